//! `create`, `package`, `show` and `dependency list` against Helm 4.2.3's
//! own outputs (tests/data/*.json and tests/data/create, written by
//! scripts/oracle/gen_authoring_goldens.py).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use rudder_authoring::package::{PackageOptions, package};
use rudder_authoring::show::{ShowFormat, show};
use serde_json::Value as Json;

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

fn golden(name: &str) -> serde_json::Map<String, Json> {
    let text = std::fs::read_to_string(data().join(name)).unwrap_or_default();
    match serde_json::from_str(&text) {
        Ok(Json::Object(m)) => m,
        _ => panic!("{name} is not a JSON object"),
    }
}

fn cases(g: &serde_json::Map<String, Json>) -> impl Iterator<Item = (&String, &Json)> {
    g.iter().filter(|(k, _)| !k.starts_with('_'))
}

/// One tar entry: name, header with mtime and checksum zeroed (hex),
/// SHA-256 of the data, and the mtime.
struct Entry {
    name: String,
    header: String,
    sha256: String,
    mtime: u64,
}

fn octal(field: &[u8]) -> u64 {
    let s: String = field
        .iter()
        .take_while(|b| **b != 0 && **b != b' ')
        .map(|b| char::from(*b))
        .collect();
    u64::from_str_radix(&s, 8).unwrap_or(0)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256(data: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(data))
}

/// Parses a gzipped tar stream as written: entries and trailer length.
fn entries(tgz: &[u8]) -> (Vec<Entry>, usize) {
    let mut raw = Vec::new();
    flate2::read::GzDecoder::new(tgz)
        .read_to_end(&mut raw)
        .unwrap_or_else(|e| panic!("gunzip: {e}"));
    let mut out = Vec::new();
    let mut off = 0;
    while off + 512 <= raw.len() {
        let mut hdr = raw[off..off + 512].to_vec();
        if hdr.iter().all(|b| *b == 0) {
            break;
        }
        // The checksum must be right before we blank it.
        let stored = octal(&hdr[148..156]);
        let mut for_sum = hdr.clone();
        for_sum[148..156].copy_from_slice(b"        ");
        let sum: u64 = for_sum.iter().map(|b| u64::from(*b)).sum();
        assert_eq!(stored, sum, "checksum of entry at {off}");
        let size = usize::try_from(octal(&hdr[124..136])).unwrap_or(0);
        let data = &raw[off + 512..off + 512 + size];
        let name: String = String::from_utf8_lossy(&hdr[0..100])
            .trim_end_matches('\0')
            .to_owned();
        let prefix: String = String::from_utf8_lossy(&hdr[345..500])
            .trim_end_matches('\0')
            .to_owned();
        let mtime = octal(&hdr[136..148]);
        hdr[136..156].fill(0);
        out.push(Entry {
            name: if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            },
            header: hex(&hdr),
            sha256: sha256(data),
            mtime,
        });
        off += 512 + size.div_ceil(512) * 512;
    }
    (out, raw.len() - off)
}

fn file_mtime(path: &Path) -> Option<u64> {
    let m = std::fs::metadata(path).ok()?.modified().ok()?;
    let d = m.duration_since(std::time::UNIX_EPOCH).ok()?;
    Some(d.as_secs() + u64::from(d.subsec_nanos() >= 500_000_000))
}

#[test]
fn package_lays_out_archives_like_helm() {
    let g = golden("package.json");
    let mut n = 0;
    for (case, want) in cases(&g) {
        n += 1;
        let chart = want["chart"].as_str().unwrap_or_default();
        let dest = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let src = data().join("charts").join(chart);
        let opts = PackageOptions {
            version: want["version"].as_str().map(str::to_owned),
            app_version: want["app_version"].as_str().map(str::to_owned),
            destination: Some(dest.path().to_path_buf()),
        };
        let packaged = package(&src, &opts).unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(
            packaged
                .path
                .file_name()
                .map(|f| f.to_string_lossy().into_owned()),
            want["file"].as_str().map(str::to_owned),
            "{case}: file name"
        );
        let bytes = std::fs::read(&packaged.path).unwrap_or_default();
        // Helm's gzip header: FEXTRA|FCOMMENT, no mtime, OS 255, its Extra
        // bytes and the comment "Helm".
        assert_eq!(&bytes[..10], &[0x1f, 0x8b, 8, 0x14, 0, 0, 0, 0, 0, 0xff]);
        assert_eq!(&bytes[10..12], &[41, 0]);
        assert_eq!(&bytes[12..53], rudder_authoring::tarball::GZIP_EXTRA);
        assert_eq!(&bytes[53..58], b"Helm\0");
        let (got, trailer) = entries(&bytes);
        assert_eq!(
            Some(trailer as u64),
            want["trailer"].as_u64(),
            "{case}: trailer"
        );
        let want_entries = want["entries"].as_array().cloned().unwrap_or_default();
        let got_names: Vec<&str> = got.iter().map(|e| e.name.as_str()).collect();
        let want_names: Vec<&str> = want_entries
            .iter()
            .filter_map(|e| e["name"].as_str())
            .collect();
        assert_eq!(got_names, want_names, "{case}: entry order");
        for (g, w) in got.iter().zip(&want_entries) {
            assert_eq!(
                Some(g.header.as_str()),
                w["header"].as_str(),
                "{case}: header of {}",
                g.name
            );
            assert_eq!(
                Some(g.sha256.as_str()),
                w["sha256"].as_str(),
                "{case}: data of {}",
                g.name
            );
            if let Some(t) = w["mtime"].as_u64() {
                assert_eq!(g.mtime, t, "{case}: mtime of {}", g.name);
            } else {
                // File-backed entries carry the file's time, rounded.
                let rel = g.name.split_once('/').map_or("", |(_, r)| r);
                if let Some(t) = file_mtime(&src.join(rel)) {
                    assert_eq!(g.mtime, t, "{case}: mtime of {}", g.name);
                }
            }
        }
    }
    assert_eq!(n, 3);
}

/// A loaded chart in the oracle's terms.
fn describe(chart: &rudder_chart::Chart) -> Json {
    let md = rudder_authoring::save::metadata_value(&chart.metadata);
    let md_json = rudder_yaml::to_json(&md).unwrap_or_default();
    let mut files: Vec<String> = chart.files.iter().map(|f| f.name.clone()).collect();
    files.sort();
    let mut templates: Vec<String> = chart.templates.iter().map(|f| f.name.clone()).collect();
    templates.sort();
    let mut deps: Vec<String> = chart
        .dependencies
        .iter()
        .map(|d| d.name().to_owned())
        .collect();
    deps.sort();
    // Go's values map is nil (JSON null) when the chart has no values.yaml.
    let values = if chart.raw.iter().any(|f| f.name == "values.yaml") {
        rudder_yaml::to_json(&rudder_value::Value::Map(chart.values.clone())).unwrap_or_default()
    } else {
        "null".to_owned()
    };
    serde_json::json!({
        "metadata": serde_json::from_str::<Json>(&md_json).unwrap_or(Json::Null),
        "files": files,
        "templates": templates,
        "dependencies": deps,
        "values": serde_json::from_str::<Json>(&values).unwrap_or(Json::Null),
    })
}

#[test]
fn helm_archives_load_in_rudder_as_in_helm() {
    let g = golden("helm-archives.json");
    for (case, want) in cases(&g) {
        let path = data().join("helm-archives").join(format!("{case}.tgz"));
        let chart =
            rudder_chart::load_archive_file(&path).unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(&describe(&chart), want, "{case}");
    }
}

#[test]
fn rudder_archives_load_as_helm_archives_do() {
    let g = golden("helm-archives.json");
    let pk = golden("package.json");
    for (case, want) in cases(&g) {
        let p = &pk[case.as_str()];
        let dest = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let opts = PackageOptions {
            version: p["version"].as_str().map(str::to_owned),
            app_version: p["app_version"].as_str().map(str::to_owned),
            destination: Some(dest.path().to_path_buf()),
        };
        let src = data()
            .join("charts")
            .join(p["chart"].as_str().unwrap_or_default());
        let packaged = package(&src, &opts).unwrap_or_else(|e| panic!("{case}: {e}"));
        let chart = rudder_chart::load_archive_file(&packaged.path)
            .unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(&describe(&chart), want, "{case}");
    }
}

#[test]
fn package_rejections_write_nothing() {
    let dest = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let opts = PackageOptions {
        version: Some("not-semver".into()),
        destination: Some(dest.path().to_path_buf()),
        ..PackageOptions::default()
    };
    let err = package(&data().join("charts/plain"), &opts)
        .err()
        .map(|e| e.to_string());
    assert_eq!(err.as_deref(), Some("invalid semantic version"));
    // A declared dependency missing from charts/ (Helm's CheckDependencies).
    let err = package(
        &data().join("lint/cases/deps-mismatch"),
        &PackageOptions {
            destination: Some(dest.path().to_path_buf()),
            ..PackageOptions::default()
        },
    )
    .err()
    .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some("found in Chart.yaml, but missing in charts/ directory: absent")
    );
    assert_eq!(
        std::fs::read_dir(dest.path()).map(Iterator::count).ok(),
        Some(0)
    );
}

#[test]
fn show_matches_helm() {
    let g = golden("show.json");
    let formats = [
        ("all", ShowFormat::All),
        ("chart", ShowFormat::Chart),
        ("values", ShowFormat::Values),
        ("readme", ShowFormat::Readme),
        ("crds", ShowFormat::Crds),
    ];
    for (chart_name, want) in cases(&g) {
        let path = match chart_name.strip_suffix(".tgz") {
            Some(n) => data().join("helm-archives").join(format!("{n}.tgz")),
            None => data().join("charts").join(chart_name),
        };
        let chart = rudder_chart::load(&path).unwrap_or_else(|e| panic!("{chart_name}: {e}"));
        for (key, fmt) in formats {
            let got = show(&chart, fmt).unwrap_or_else(|e| panic!("{chart_name}: {e}"));
            assert_eq!(Some(got.as_str()), want[key].as_str(), "{chart_name} {key}");
        }
    }
}

#[test]
fn dependency_statuses_match_helm() {
    let g = golden("deps.json");
    for (chart_name, want) in cases(&g) {
        let path = data().join("charts").join(chart_name);
        let chart = rudder_chart::load(&path).unwrap_or_else(|e| panic!("{chart_name}: {e}"));
        let got = rudder_authoring::dependency::statuses(&path.to_string_lossy(), &chart)
            .unwrap_or_default();
        let got: Vec<Json> = got
            .into_iter()
            .map(|d| {
                serde_json::json!({
                    "name": d.name, "version": d.version,
                    "repository": d.repository, "status": d.status,
                })
            })
            .collect();
        assert_eq!(&Json::Array(got), want, "{chart_name}");
    }
}

#[test]
fn dependency_list_prints_helms_table() {
    // Layout of Helm's pkg/cmd/testdata/output/dependency-list.txt: every
    // cell padded to its column, tab separators, a blank line after.
    let out = rudder_authoring::dependency::list(&data().join("charts/full").to_string_lossy(), 80)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out,
        "NAME  \tVERSION   \tREPOSITORY                \tSTATUS  \n\
         sub   \t>=1.0.0 <2\tfile://../sub             \tunpacked\n\
         packed\t0.1.0     \thttps://example.com/charts\tok      \n\n"
    );
    let path = data().join("charts/nodeps");
    let out = rudder_authoring::dependency::list(&path.to_string_lossy(), 80)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out,
        format!("WARNING: no dependencies at {}/charts\n", path.display())
    );
    let t = rudder_authoring::dependency::table(
        &[
            vec!["a".repeat(12), "b".into()],
            vec!["c".into(), "d".into()],
        ],
        10,
    );
    assert_eq!(t, "aaaaaaa...\tb\nc         \td");
}

fn tree(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Option<Vec<u8>>>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            let rel = p
                .strip_prefix(base)
                .map(|r| r.to_string_lossy().into_owned())
                .unwrap_or_default();
            if p.is_dir() {
                out.insert(format!("{rel}/"), None);
                walk(base, &p, out);
            } else {
                out.insert(rel, std::fs::read(&p).ok());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn create_writes_helms_scaffold() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let arg = dir.path().join("my-app");
    let created =
        rudder_authoring::create::create(&arg.to_string_lossy()).unwrap_or_else(|e| panic!("{e}"));
    assert!(created.overwritten.is_empty());
    let want = tree(&data().join("create/scaffold/my-app"));
    // An empty charts/ directory is not kept by git; Helm creates it.
    let mut got = tree(&arg);
    assert_eq!(got.remove("charts/"), Some(None));
    let mut want = want;
    want.remove("charts/");
    assert_eq!(got, want);
    // Again: every file is overwritten, with a warning each.
    let again =
        rudder_authoring::create::create(&arg.to_string_lossy()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.overwritten.len(), 12);
    let err = rudder_authoring::create::create("bad$name")
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some("chart name must match the regular expression \"^[a-zA-Z0-9._-]+$\"")
    );
}

#[test]
fn create_from_starter_matches_helm() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let arg = dir.path().join("from-starter");
    rudder_authoring::create::create_from_starter(
        &arg.to_string_lossy(),
        &data().join("charts/starter"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut got = tree(&arg);
    let mut want = tree(&data().join("create/starter/from-starter"));
    // The subchart archive holds file times; compare what it contains.
    let sub = "charts/sub-1.2.3.tgz";
    let got_sub = got.remove(sub).flatten().unwrap_or_default();
    let want_sub = want.remove(sub).flatten().unwrap_or_default();
    let names = |b: &[u8]| {
        entries(b)
            .0
            .into_iter()
            .map(|e| (e.name, e.header, e.sha256))
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&got_sub), names(&want_sub));
    // The SDK's create_from gives the new chart only apiVersion, name,
    // version and appVersion; `helm create --starter` (pkg/cmd/create.go)
    // also sets the description and type, which rudder follows.
    let chart_yaml = got.remove("Chart.yaml").flatten().unwrap_or_default();
    assert_eq!(
        String::from_utf8_lossy(&chart_yaml),
        "apiVersion: v2\nappVersion: 0.1.0\ndescription: A Helm chart for Kubernetes\nname: from-starter\ntype: application\nversion: 0.1.0\n"
    );
    assert_eq!(
        want.remove("Chart.yaml")
            .flatten()
            .map(|b| String::from_utf8_lossy(&b).into_owned()),
        Some("apiVersion: v2\nappVersion: 0.1.0\nname: from-starter\nversion: 0.1.0\n".to_owned())
    );
    assert_eq!(got, want);
}
