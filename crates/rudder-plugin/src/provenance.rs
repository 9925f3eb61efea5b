//! The PROVENANCE column of `plugin list` (Helm's `GetPluginSigningInfo`):
//! computed from `$HELM_DATA_HOME/plugins/<name>` and the tarball copies
//! Helm keeps beside it, not from where the plugin was actually found.
//! The signature itself is not checked (Helm does not either here; it only
//! compares the SHA-256 the provenance file records).

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::metadata::Metadata;

/// The provenance status of an installed plugin: `local dev`, `unsigned`,
/// `invalid provenance`, `mismatched provenance`, `signed` or `unknown`.
pub fn signing_status(data_plugins_dir: &Path, m: &Metadata) -> &'static str {
    let dir = data_plugins_dir.join(&m.name);
    let Ok(meta) = std::fs::symlink_metadata(&dir) else {
        return "unknown";
    };
    if meta.file_type().is_symlink() {
        return "local dev";
    }
    let tarball = data_plugins_dir.join(format!("{}-{}.tgz", m.name, m.version));
    if std::fs::metadata(&tarball).is_err() {
        return "unsigned";
    }
    let prov = match std::fs::read(tarball.with_extension("tgz.prov")) {
        Ok(p) => p,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return "unsigned",
        Err(_) => return "unknown",
    };
    let Some(plaintext) = clearsign_plaintext(&String::from_utf8_lossy(&prov)) else {
        return "invalid provenance";
    };
    let Ok(archive) = std::fs::read(&tarball) else {
        return "mismatched provenance";
    };
    let actual = format!("sha256:{:x}", Sha256::digest(&archive));
    let base = tarball
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let files = provenance_files(&plaintext);
    if files
        .iter()
        .any(|(f, sum)| f.contains(&base) && *sum == actual)
    {
        "signed"
    } else {
        "mismatched provenance"
    }
}

/// The signed text of an OpenPGP clearsigned document, or `None` when the
/// document is not one (no header, no blank line, no signature block).
fn clearsign_plaintext(doc: &str) -> Option<String> {
    let mut lines = doc.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    lines.find(|l| l.trim_end() == "-----BEGIN PGP SIGNED MESSAGE-----")?;
    // Armor headers up to the first blank line.
    for l in lines.by_ref() {
        if l.trim().is_empty() {
            break;
        }
        l.split_once(':')?;
    }
    let mut text: Vec<&str> = Vec::new();
    let mut signed = false;
    for l in lines.by_ref() {
        if l.trim_end() == "-----BEGIN PGP SIGNATURE-----" {
            signed = true;
            break;
        }
        text.push(l.strip_prefix("- ").unwrap_or(l));
    }
    if !signed || !lines.any(|l| l.trim_end() == "-----END PGP SIGNATURE-----") {
        return None;
    }
    Some(text.join("\n"))
}

/// The `files:` map after the `...` separator of a provenance message.
fn provenance_files(plaintext: &str) -> Vec<(String, String)> {
    let Some((_, sums)) = plaintext.split_once("\n...\n") else {
        return Vec::new();
    };
    let Ok(rudder_value::Value::Map(m)) = rudder_yaml::from_yaml(sums) else {
        return Vec::new();
    };
    let files = m.get("files");
    let Some(rudder_value::Value::Map(files)) = files else {
        return Vec::new();
    };
    files
        .entries()
        .into_iter()
        .filter_map(|(k, v)| v.as_str().map(|s| (k.to_string(), s.to_owned())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clearsign_text() {
        let doc = "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nname: x\n- -- dashed\n...\nfiles:\n  x-1.0.0.tgz: sha256:ab\n-----BEGIN PGP SIGNATURE-----\n\nwsBc\n-----END PGP SIGNATURE-----\n";
        let t = clearsign_plaintext(doc);
        assert_eq!(
            t.as_deref(),
            Some("name: x\n-- dashed\n...\nfiles:\n  x-1.0.0.tgz: sha256:ab")
        );
        assert_eq!(
            provenance_files(t.as_deref().unwrap_or("")),
            vec![("x-1.0.0.tgz".to_owned(), "sha256:ab".to_owned())]
        );
        assert_eq!(clearsign_plaintext("name: x\n"), None);
    }
}
