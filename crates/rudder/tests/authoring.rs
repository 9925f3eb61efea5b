//! The chart-authoring commands end to end: `create`, `lint`, `package
//! --sign`, `verify`, `show`, `dependency list`. Findings, file contents
//! and statuses are checked against Helm 4.2.3 in rudder-authoring's and
//! rudder-provenance's tests; here the CLI framing is checked, which the
//! oracle cannot show: it follows Helm's source (pkg/cmd/{create,lint,
//! package,verify,show,dependency}.go) and the output files of Helm's own
//! CLI tests (pkg/cmd/testdata/output/lint-*.txt, dependency-list*.txt).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn rudder(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rudder"))
        .args(args)
        .current_dir(cwd)
        .env("HELM_DATA_HOME", cwd.join("data-home"))
        .env_remove("HELM_NAMESPACE")
        .output()
        .unwrap_or_else(|e| panic!("running rudder: {e}"))
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn authoring_data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../rudder-authoring/tests/data")
}

fn provenance_data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../rudder-provenance/tests/data")
}

#[test]
fn create_then_lint_then_package_then_show() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let o = rudder(&["create", "web"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "Creating web\n");

    // Creating again overwrites, warning on stdout for each file.
    let o = rudder(&["create", "web"], dir.path());
    let out = stdout(&o);
    assert!(out.starts_with("Creating web\nWARNING: File \""), "{out}");
    assert_eq!(out.matches("already exists. Overwriting.\n").count(), 12);

    let o = rudder(&["lint", "web"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "==> Linting web\n[INFO] Chart.yaml: icon is recommended\n\n1 chart(s) linted, 0 chart(s) failed\n"
    );
    // --quiet prints nothing for a chart with infos only.
    let o = rudder(&["lint", "--quiet", "web"], dir.path());
    assert!(o.status.success());
    assert_eq!(stdout(&o), "");

    let o = rudder(
        &[
            "package",
            "web",
            "-d",
            "out",
            "--version",
            "1.2.3",
            "--app-version",
            "2.0",
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "Successfully packaged chart and saved it to: out/web-1.2.3.tgz\n"
    );
    let o = rudder(&["show", "chart", "out/web-1.2.3.tgz"], dir.path());
    assert_eq!(
        stdout(&o),
        "apiVersion: v2\nappVersion: \"2.0\"\ndescription: A Helm chart for Kubernetes\nname: web\ntype: application\nversion: 1.2.3\n\n"
    );
    // The archive lints like the directory (unpacked to a temp dir).
    let o = rudder(&["lint", "out/web-1.2.3.tgz", "--strict"], dir.path());
    assert!(o.status.success(), "{}", stdout(&o));
}

#[test]
fn lint_failures_print_helms_report() {
    let cases = authoring_data().join("lint/cases");
    let o = rudder(
        &[
            "lint",
            "deps-bad-subchart",
            "chartfile-version-prerelease",
            "missing",
        ],
        &cases,
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stdout(&o),
        "==> Linting deps-bad-subchart\n\
         [INFO] Chart.yaml: icon is recommended\n\
         [INFO] values.yaml: file does not exist\n\
         [WARNING] templates/: directory does not exist\n\
         [ERROR] : unable to load chart\n\
         \terror unpacking subchart bad in badsub: validation: chart.metadata.name is required\n\
         \n\
         ==> Linting chartfile-version-prerelease\n\
         [INFO] Chart.yaml: icon is recommended\n\
         [WARNING] Chart.yaml: version 'v1.2' is not a valid SemVerV2\n\
         [INFO] values.yaml: file does not exist\n\
         [WARNING] templates/: directory does not exist\n\
         \n\
         ==> Linting missing\n\
         Error unable to check Chart.yaml file in chart: stat missing/Chart.yaml: no such file or directory\n\
         \n"
    );
    assert_eq!(stderr(&o), "Error: 3 chart(s) linted, 2 chart(s) failed\n");

    // --strict turns the warnings into failures; --quiet drops the infos.
    let o = rudder(
        &[
            "lint",
            "--strict",
            "--quiet",
            "chartfile-version-prerelease",
        ],
        &cases,
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stdout(&o),
        "==> Linting chartfile-version-prerelease\n\
         [WARNING] Chart.yaml: version 'v1.2' is not a valid SemVerV2\n\
         [WARNING] templates/: directory does not exist\n\n"
    );
    assert_eq!(stderr(&o), "Error: 1 chart(s) linted, 1 chart(s) failed\n");
}

#[test]
fn lint_with_subcharts_and_values() {
    let charts = authoring_data().join("charts");
    let o = rudder(
        &["lint", "legacy", "--with-subcharts", "--set", "a=2"],
        &charts,
    );
    assert!(o.status.success(), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(out.starts_with("==> Linting legacy\n"), "{out}");
    assert!(out.contains("\n==> Linting legacy/charts/sub\n"), "{out}");
    assert!(
        out.ends_with("2 chart(s) linted, 0 chart(s) failed\n"),
        "{out}"
    );
    let o = rudder(&["lint", "legacy", "--kube-version", "x.y"], &charts);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("Error: invalid kube version 'x.y': "),
        "{}",
        stderr(&o)
    );
}

#[test]
fn package_sign_and_verify() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let chart = authoring_data().join("charts/plain");
    let sec = provenance_data().join("ed.sec.gpg");
    let public = provenance_data().join("ed.pub.gpg");
    let pass = provenance_data().join("passphrase.txt");
    let o = rudder(
        &[
            "package",
            &chart.to_string_lossy(),
            "--sign",
            "--key",
            "ed@example.com",
            "--keyring",
            &sec.to_string_lossy(),
            "--passphrase-file",
            &pass.to_string_lossy(),
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let archive = dir.path().join("plain-0.1.0.tgz");
    assert_eq!(
        stdout(&o),
        format!(
            "Successfully packaged chart and saved it to: {}\n",
            archive.display()
        )
    );
    let o = rudder(
        &[
            "verify",
            "plain-0.1.0.tgz",
            "--keyring",
            &public.to_string_lossy(),
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with("Signed by: Rudder Ed <ed@example.com>\nUsing Key With Fingerprint: "),
        "{out}"
    );
    assert!(out.contains("\nChart Hash Verified: sha256:"), "{out}");

    // Verification is a hard error without a .prov or with the wrong key.
    let o = rudder(
        &[
            "verify",
            "plain-0.1.0.tgz",
            "--keyring",
            &provenance_data().join("rsa.pub.gpg").to_string_lossy(),
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "Error: openpgp: signature made by unknown entity\n"
    );
    std::fs::remove_file(dir.path().join("plain-0.1.0.tgz.prov")).unwrap_or_else(|e| panic!("{e}"));
    let o = rudder(
        &[
            "verify",
            "plain-0.1.0.tgz",
            "--keyring",
            &public.to_string_lossy(),
        ],
        dir.path(),
    );
    assert_eq!(
        stderr(&o),
        "Error: could not load provenance file plain-0.1.0.tgz.prov: stat plain-0.1.0.tgz.prov: no such file or directory\n"
    );
    // --show --verify refuses an unsigned archive too.
    let o = rudder(
        &[
            "show",
            "chart",
            "plain-0.1.0.tgz",
            "--verify",
            "--keyring",
            &public.to_string_lossy(),
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1));

    // A wrong passphrase writes nothing.
    let wrong = dir.path().join("wrong.txt");
    std::fs::write(&wrong, "nope\n").unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("out");
    let o = rudder(
        &[
            "package",
            &chart.to_string_lossy(),
            "-d",
            &out.to_string_lossy(),
            "--sign",
            "--key",
            "ed@example.com",
            "--keyring",
            &sec.to_string_lossy(),
            "--passphrase-file",
            &wrong.to_string_lossy(),
        ],
        dir.path(),
    );
    assert_eq!(
        stderr(&o),
        "Error: openpgp: invalid data: private key checksum failure\n"
    );
    assert!(!out.exists());
    let o = rudder(&["package", "--sign", &chart.to_string_lossy()], dir.path());
    assert_eq!(
        stderr(&o),
        "Error: --key is required for signing a package\n"
    );
    let o = rudder(&["package"], dir.path());
    assert_eq!(
        stderr(&o),
        "Error: need at least one argument, the path to the chart\n"
    );
}

#[test]
fn dependency_list_and_show() {
    let charts = authoring_data().join("charts");
    let o = rudder(&["dependency", "list", "legacy"], &charts);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "NAME\tVERSION\tREPOSITORY\tSTATUS  \nsub \t1.2.3  \t          \tunpacked\n\n"
    );
    let o = rudder(&["dep", "ls", "nodeps"], &charts);
    assert_eq!(stdout(&o), "WARNING: no dependencies at nodeps/charts\n");
    let o = rudder(&["dependency", "list", "nope"], &charts);
    assert_eq!(stderr(&o), "Error: stat nope: no such file or directory\n");
    let o = rudder(&["show", "readme", "plain"], &charts);
    assert_eq!(stdout(&o), "lower-case readme\n\n");
    let o = rudder(&["inspect", "values", "legacy"], &charts);
    assert_eq!(stdout(&o), "a: 1\n\n");
}

#[test]
fn create_from_a_starter_in_helm_data_home() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // `--starter NAME` is looked up under $HELM_DATA_HOME/starters.
    let starters = dir.path().join("data-home/starters");
    let src = authoring_data().join("charts/starter");
    for rel in [
        "Chart.yaml",
        "values.yaml",
        "templates/cm.yaml",
        "README.md",
        "charts/sub/Chart.yaml",
    ] {
        let to = starters.join("mine").join(rel);
        std::fs::create_dir_all(to.parent().unwrap_or(&starters)).unwrap_or_else(|e| panic!("{e}"));
        std::fs::copy(src.join(rel), &to).unwrap_or_else(|e| panic!("{e}"));
    }
    let o = rudder(&["create", "app", "--starter", "mine"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "Creating app\n");
    let values = std::fs::read_to_string(dir.path().join("app/values.yaml")).unwrap_or_default();
    assert_eq!(values, "# values for app\nname: app\n");
    assert!(dir.path().join("app/charts/sub-1.2.3.tgz").is_file());
    let o = rudder(&["create", "other", "-p", "absent"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("Error: could not load "),
        "{}",
        stderr(&o)
    );
    // A file where the chart directory would go.
    std::fs::write(dir.path().join("taken"), "x").unwrap_or_else(|e| panic!("{e}"));
    let o = rudder(&["create", "taken"], dir.path());
    assert_eq!(
        stderr(&o),
        format!(
            "Error: file {} already exists and is not a directory\n",
            dir.path().join("taken").display()
        )
    );
}
