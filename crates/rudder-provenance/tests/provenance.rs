//! Provenance interop: `.prov` files signed by Helm 4.2.3 (the oracle) and
//! by GnuPG verify in rudder with the oracle's results and error texts;
//! rudder's signatures verify in rudder and, when `gpg` is installed (CI
//! installs gnupg), with `gpg --verify`. Fixtures come from
//! scripts/oracle/gen_authoring_provenance.py.

use std::path::{Path, PathBuf};
use std::process::Command;

use rudder_provenance::{Keyring, ProvenanceError, Signatory, message_block, verify};
use serde_json::Value as Json;

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(data().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn ring(name: &str) -> Keyring {
    Keyring::load(&data().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

const ARCHIVE: &str = "signtest-0.1.0.tgz";

#[test]
fn verifies_like_helm() {
    let expected: serde_json::Map<String, Json> =
        serde_json::from_slice(&read("expected.json")).unwrap_or_default();
    let archive = read(ARCHIVE);
    let mut n = 0;
    for (case, want) in &expected {
        let Some((prov, keyring)) = case.split_once(" with ") else {
            continue;
        };
        n += 1;
        let got = verify(&ring(keyring), &archive, &read(prov), ARCHIVE);
        match (got, want.get("ok"), want.get("error")) {
            (Ok(v), Some(ok), None) => {
                assert_eq!(
                    Some(v.file_hash.as_str()),
                    ok["file_hash"].as_str(),
                    "{case}"
                );
                assert_eq!(
                    Some(v.file_name.as_str()),
                    ok["file_name"].as_str(),
                    "{case}"
                );
                let ids: Vec<Json> = v
                    .signed_by
                    .identities()
                    .into_iter()
                    .map(Json::String)
                    .collect();
                assert_eq!(Some(&Json::Array(ids)), ok.get("signed_by"), "{case}");
            }
            (Err(e), None, Some(err)) => {
                assert_eq!(Some(e.to_string().as_str()), err.as_str(), "{case}")
            }
            (got, _, _) => panic!("{case}: got {got:?}, want {want}"),
        }
    }
    assert_eq!(n, 5);
}

#[test]
fn armored_keyrings_work_too() {
    let v = verify(
        &ring("rsa.pub.asc"),
        &read(ARCHIVE),
        &read("helm-rsa.prov"),
        ARCHIVE,
    );
    assert!(v.is_ok(), "{v:?}");
}

#[test]
fn digest_checks_use_helms_texts() {
    let archive = read(ARCHIVE);
    let prov = read("helm-rsa.prov");
    let err = verify(&ring("rsa.pub.gpg"), &archive, &prov, "other-0.1.0.tgz").err();
    assert_eq!(
        err.map(|e| e.to_string()).as_deref(),
        Some("provenance does not contain a SHA for a file named \"other-0.1.0.tgz\"")
    );
    let err = verify(&ring("rsa.pub.gpg"), b"not the archive", &prov, ARCHIVE).err();
    assert!(
        matches!(err, Some(ProvenanceError::DigestMismatch { .. })),
        "{err:?}"
    );
    let err = verify(&ring("rsa.pub.gpg"), &archive, b"no block here", ARCHIVE).err();
    assert_eq!(
        err.map(|e| e.to_string()).as_deref(),
        Some("signature block not found")
    );
}

#[test]
fn signed_text_is_helms() {
    let prov = String::from_utf8(read("helm-rsa.prov")).unwrap_or_default();
    // Helm's text sits between the armor header's blank line and the
    // blank line before the signature.
    let body = prov
        .split_once("\n\n")
        .and_then(|(_, rest)| rest.split_once("\n-----BEGIN PGP SIGNATURE-----"))
        .map(|(b, _)| b.to_owned())
        .unwrap_or_default();
    let block = message_block(
        &read(ARCHIVE),
        ARCHIVE,
        "apiVersion: v2\ndescription: A chart to sign\nname: signtest\nversion: 0.1.0\n",
    )
    .unwrap_or_default();
    assert_eq!(block, body);
}

/// Signs with rudder and checks the result with rudder (and gpg).
fn sign_and_check(sec: &str, public: &str, key: &str, passphrase: Option<&[u8]>) {
    let archive = read(ARCHIVE);
    let mut signer = Signatory::new(ring(sec), key).unwrap_or_else(|e| panic!("{e}"));
    let pw = passphrase.map(<[u8]>::to_vec);
    signer
        .decrypt_key(|_| pw.ok_or_else(|| "no passphrase".to_owned()))
        .unwrap_or_else(|e| panic!("{e}"));
    let prov = signer
        .clear_sign(
            &archive,
            ARCHIVE,
            "apiVersion: v2\ndescription: A chart to sign\nname: signtest\nversion: 0.1.0\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    // Helm 4's layout: blank line before the signature, no final line
    // break (plus the armor checksum GnuPG needs).
    assert!(
        prov.contains("\n\n-----BEGIN PGP SIGNATURE-----\n\n"),
        "{prov}"
    );
    assert!(prov.ends_with("-----END PGP SIGNATURE-----"), "{prov}");
    let v =
        verify(&ring(public), &archive, prov.as_bytes(), ARCHIVE).unwrap_or_else(|e| panic!("{e}"));
    assert!(v.file_hash.starts_with("sha256:"));
    gpg_verifies(public, &prov);
}

/// `gpg --verify` of a `.prov`, when GnuPG is installed (CI installs the
/// gnupg package; see .ci/run).
#[expect(
    clippy::print_stderr,
    reason = "a skipped interop check says so in the test output"
)]
fn gpg_verifies(public: &str, prov: &str) {
    if Command::new("gpg").arg("--version").output().is_err() {
        eprintln!("gpg not installed: GnuPG interop not checked");
        return;
    }
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let run = |args: &[&str]| {
        Command::new("gpg")
            .arg("--homedir")
            .arg(home.path())
            .arg("--batch")
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("gpg: {e}"))
    };
    let key = data().join(public);
    let imported = run(&["--import", &key.to_string_lossy()]);
    assert!(imported.status.success(), "{imported:?}");
    let file = home.path().join("x.prov");
    std::fs::write(&file, prov).unwrap_or_else(|e| panic!("{e}"));
    let out = run(&["--verify", &file.to_string_lossy()]);
    assert!(
        out.status.success(),
        "gpg --verify failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn rudder_signatures_verify_rsa() {
    sign_and_check("rsa.sec.gpg", "rsa.pub.gpg", "Rudder RSA", None);
}

#[test]
fn rudder_signatures_verify_ed25519_with_passphrase() {
    let pw = read("passphrase.txt");
    let pw = pw.strip_suffix(b"\n").unwrap_or(&pw);
    sign_and_check("ed.sec.gpg", "ed.pub.gpg", "ed@example.com", Some(pw));
}

#[test]
fn key_selection_and_passphrases() {
    // "Rudder" is in both identities of a merged keyring: ambiguous.
    let mut both = read("rsa.sec.gpg");
    both.extend(read("ed.sec.gpg"));
    let keys = Keyring::from_bytes(&both).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(keys.entities.len(), 2);
    let err = Signatory::new(keys.clone(), "Rudder")
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some("more than one key contain the id \"Rudder\"")
    );
    // An exact identity wins over substrings.
    let s = Signatory::new(keys.clone(), "Rudder Ed <ed@example.com>")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        s.entity().map(rudder_provenance::Entity::identities),
        Some(vec!["Rudder Ed <ed@example.com>".to_owned()])
    );
    let mut none = Signatory::new(keys.clone(), "nobody").unwrap_or_else(|e| panic!("{e}"));
    let err = none
        .decrypt_key(|_| Ok(Vec::new()))
        .err()
        .map(|e| e.to_string());
    assert_eq!(err.as_deref(), Some("private key not found"));
    let mut ed = Signatory::new(keys, "ed@example.com").unwrap_or_else(|e| panic!("{e}"));
    let err = ed
        .decrypt_key(|_| Ok(b"wrong".to_vec()))
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some("openpgp: invalid data: private key checksum failure")
    );
    // A public keyring cannot sign.
    let mut public =
        Signatory::new(ring("rsa.pub.gpg"), "Rudder RSA").unwrap_or_else(|e| panic!("{e}"));
    let err = public
        .decrypt_key(|_| Ok(Vec::new()))
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some("provided key is not a private key. Try providing a keyring with secret keys")
    );
}
