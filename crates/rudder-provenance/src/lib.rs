//! Helm provenance files (`.prov`, `pkg/provenance`): an OpenPGP
//! clear-signed message whose text is the chart's `Chart.yaml` (as Helm
//! re-serialises it), a `...` line, and a YAML `files:` map from the
//! archive's name to `sha256:<hex>` of the archive.
//!
//! ```no_run
//! use rudder_provenance::{Keyring, Signatory, verify};
//! let secret = Keyring::load(std::path::Path::new("secring.gpg"))?;
//! let mut signer = Signatory::new(secret, "Alice")?;
//! signer.decrypt_key(|_name| Ok(b"passphrase".to_vec()))?;
//! let archive = std::fs::read("mychart-0.1.0.tgz").unwrap_or_default();
//! let prov = signer.clear_sign(&archive, "mychart-0.1.0.tgz", "name: mychart\n")?;
//! let public = Keyring::load(std::path::Path::new("pubring.gpg"))?;
//! let v = verify(&public, &archive, prov.as_bytes(), "mychart-0.1.0.tgz")?;
//! println!("{}", v.file_hash);
//! # Ok::<(), rudder_provenance::ProvenanceError>(())
//! ```
//!
//! What follows Helm (go-crypto's `openpgp`):
//!
//! * keyrings are read like `openpgp.ReadKeyRing` reads GnuPG 1's
//!   `pubring.gpg`/`secring.gpg` (binary packets); armored key files are
//!   accepted too, which Helm does not do;
//! * the signing key is chosen by identity: an exact match, else the one
//!   identity containing the text (several is an error), and Helm signs
//!   with the primary key, SHA-512, a text-mode signature;
//! * verification looks the issuer up among every key and signing subkey
//!   of the keyring, then checks the archive's SHA-256 against the
//!   `files:` entry for its base name, with Helm's error texts.
//!
//! Signatures are made with the current time and random salt/nonces as
//! OpenPGP requires, so two signatures of one chart differ; the signed
//! text is byte-identical to Helm's.

use std::fmt::Write as _;
use std::path::Path;

use pgp::composed::{CleartextSignedMessage, PublicOrSecret, SignedPublicKey, SignedSecretKey};
use pgp::crypto::hash::HashAlgorithm;
use pgp::packet::{SignatureConfig, SignatureType, Subpacket, SubpacketData};
use pgp::types::{KeyDetails, KeyId, Password, Timestamp};
use sha2::{Digest, Sha256};

/// Why signing or verification failed; `Display` is Helm's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProvenanceError {
    /// A keyring file could not be opened (`open PATH: reason`).
    #[error("{0}")]
    Io(String),
    /// The keyring is not OpenPGP key material.
    #[error("openpgp: invalid data: {0}")]
    InvalidKeyring(String),
    /// Several keys' identities contain the requested id.
    #[error("more than one key contain the id {0:?}")]
    AmbiguousKey(String),
    /// No key matched the requested id.
    #[error("private key not found")]
    KeyNotFound,
    /// The chosen key has no secret part.
    #[error("provided key is not a private key. Try providing a keyring with secret keys")]
    NotPrivate,
    /// The passphrase did not unlock the key.
    #[error("openpgp: invalid data: private key checksum failure")]
    BadPassphrase,
    /// Reading the passphrase failed.
    #[error("{0}")]
    Passphrase(String),
    /// The OpenPGP library could not sign.
    #[error("failed to either sign or armor message block: {0}")]
    Sign(String),
    /// The `.prov` has no clear-signed block.
    #[error("signature block not found")]
    NoSignatureBlock,
    /// The issuer of the signature is not in the keyring.
    #[error("openpgp: signature made by unknown entity")]
    UnknownIssuer,
    /// The signature does not verify.
    #[error("openpgp: invalid signature: {0}")]
    InvalidSignature(String),
    /// The signed text has no `...` separator.
    #[error("message block must have at least two parts")]
    MessageBlock,
    /// The `files:` part is not YAML of the right shape.
    #[error("{0}")]
    Sums(String),
    /// The provenance names no digest for this archive.
    #[error("provenance does not contain a SHA for a file named {0:?}")]
    NoDigest(String),
    /// The archive's digest differs from the signed one.
    #[error("sha256 sum does not match for {name}: {signed:?} != {actual:?}")]
    DigestMismatch {
        /// The archive's base name.
        name: String,
        /// The digest in the provenance file.
        signed: String,
        /// The archive's digest.
        actual: String,
    },
}

/// One key of a keyring (go-crypto's `Entity`).
#[derive(Debug, Clone)]
pub struct Entity {
    /// The public key with its subkeys.
    pub public: SignedPublicKey,
    /// The secret key, when the keyring holds it.
    pub secret: Option<SignedSecretKey>,
}

impl Entity {
    /// The user IDs, as written in the key (`Name (Comment) <email>`).
    pub fn identities(&self) -> Vec<String> {
        self.public
            .details
            .users
            .iter()
            .map(|u| String::from_utf8_lossy(u.id.id()).into_owned())
            .collect()
    }

    /// The primary key's fingerprint as Helm prints it (`%X`).
    pub fn fingerprint_hex(&self) -> String {
        let mut s = String::new();
        for b in self.public.primary_key.fingerprint().as_bytes() {
            let _ = write!(s, "{b:02X}");
        }
        s
    }

    fn has_key_id(&self, id: &KeyId) -> bool {
        self.public.primary_key.legacy_key_id() == *id
            || self
                .public
                .public_subkeys
                .iter()
                .any(|k| k.key.legacy_key_id() == *id)
    }
}

/// A set of keys read from a keyring file.
#[derive(Debug, Clone, Default)]
pub struct Keyring {
    /// The keys, in file order.
    pub entities: Vec<Entity>,
}

impl Keyring {
    /// Reads a keyring file (binary, as GnuPG 1 writes `pubring.gpg` and
    /// `secring.gpg`, or ASCII-armored).
    pub fn load(path: &Path) -> Result<Keyring, ProvenanceError> {
        let bytes = std::fs::read(path).map_err(|e| {
            ProvenanceError::Io(format!("open {}: {}", path.display(), errno_text(&e)))
        })?;
        Keyring::from_bytes(&bytes)
    }

    /// Parses keyring bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Keyring, ProvenanceError> {
        let (iter, _) = PublicOrSecret::from_reader_many(bytes)
            .map_err(|e| ProvenanceError::InvalidKeyring(e.to_string()))?;
        let mut entities = Vec::new();
        for key in iter {
            let key = key.map_err(|e| ProvenanceError::InvalidKeyring(e.to_string()))?;
            match key {
                PublicOrSecret::Secret(secret) => entities.push(Entity {
                    public: secret.to_public_key(),
                    secret: Some(secret),
                }),
                PublicOrSecret::Public(public) => entities.push(Entity {
                    public,
                    secret: None,
                }),
            }
        }
        Ok(Keyring { entities })
    }
}

/// Go's text for common `syscall.Errno`s.
fn errno_text(err: &std::io::Error) -> String {
    match err.raw_os_error() {
        Some(2) => "no such file or directory".to_owned(),
        Some(13) => "permission denied".to_owned(),
        Some(20) => "not a directory".to_owned(),
        Some(21) => "is a directory".to_owned(),
        _ => {
            let s = err.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_lowercase(),
                None => s,
            }
        }
    }
}

/// Hex SHA-256 of `data` (Helm's `provenance.Digest`).
pub fn digest(data: &[u8]) -> String {
    let mut s = String::with_capacity(64);
    for b in Sha256::digest(data) {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The text Helm signs: the metadata YAML, `\n...\n`, then the `files:`
/// map as `sigs.k8s.io/yaml` writes it.
pub fn message_block(
    archive: &[u8],
    filename: &str,
    metadata_yaml: &str,
) -> Result<String, ProvenanceError> {
    use rudder_value::{Map, MapKind, Value};
    let files = Map::with_kind(MapKind::String);
    files.insert(
        filename,
        Value::string(format!("sha256:{}", digest(archive))),
    );
    let top = Map::with_kind(MapKind::Any);
    top.insert("files", Value::Map(files));
    let sums =
        rudder_yaml::to_yaml(&Value::Map(top)).map_err(|e| ProvenanceError::Sign(e.to_string()))?;
    Ok(format!("{metadata_yaml}\n...\n{sums}"))
}

/// A keyring and the key chosen to sign with (Helm's `Signatory`).
#[derive(Debug)]
pub struct Signatory {
    keyring: Keyring,
    entity: Option<usize>,
    password: Password,
}

impl Signatory {
    /// Helm's `NewFromKeyring`: picks the key whose identity equals `id`,
    /// else the single one containing it. An empty `id` picks none.
    pub fn new(keyring: Keyring, id: &str) -> Result<Signatory, ProvenanceError> {
        let mut sig = Signatory {
            keyring,
            entity: None,
            password: Password::empty(),
        };
        if id.is_empty() {
            return Ok(sig);
        }
        let mut candidate = None;
        let mut vague = false;
        for (i, e) in sig.keyring.entities.iter().enumerate() {
            for name in e.identities() {
                if name == id {
                    sig.entity = Some(i);
                    return Ok(sig);
                }
                if name.contains(id) {
                    if candidate.is_some() {
                        vague = true;
                    }
                    candidate = Some(i);
                }
            }
        }
        if vague {
            return Err(ProvenanceError::AmbiguousKey(id.to_owned()));
        }
        sig.entity = candidate;
        Ok(sig)
    }

    /// The chosen key.
    pub fn entity(&self) -> Option<&Entity> {
        self.entity.and_then(|i| self.keyring.entities.get(i))
    }

    fn secret(&self) -> Result<&SignedSecretKey, ProvenanceError> {
        let e = self.entity().ok_or(ProvenanceError::KeyNotFound)?;
        e.secret.as_ref().ok_or(ProvenanceError::NotPrivate)
    }

    /// Whether the chosen secret key is protected by a passphrase.
    pub fn is_encrypted(&self) -> Result<bool, ProvenanceError> {
        Ok(self.secret()?.primary_key.secret_params().is_encrypted())
    }

    /// Helm's `DecryptKey`: when the key is protected, asks `fetch` for the
    /// passphrase (given the key's first identity, or `Unknown`) and checks
    /// that it unlocks the key.
    pub fn decrypt_key(
        &mut self,
        fetch: impl FnOnce(&str) -> Result<Vec<u8>, String>,
    ) -> Result<(), ProvenanceError> {
        let secret = self.secret()?;
        if !secret.primary_key.secret_params().is_encrypted() {
            return Ok(());
        }
        let name = self
            .entity()
            .and_then(|e| e.identities().into_iter().find(|n| !n.is_empty()))
            .unwrap_or_else(|| "Unknown".to_owned());
        let pw = fetch(&name).map_err(ProvenanceError::Passphrase)?;
        let password = Password::from(&pw[..]);
        secret
            .primary_key
            .unlock(&password, |_, _| Ok(()))
            .map_err(|_| ProvenanceError::BadPassphrase)?
            .map_err(|_| ProvenanceError::BadPassphrase)?;
        self.password = password;
        Ok(())
    }

    /// Helm's `ClearSign`: the `.prov` text for an archive.
    pub fn clear_sign(
        &self,
        archive: &[u8],
        filename: &str,
        metadata_yaml: &str,
    ) -> Result<String, ProvenanceError> {
        let secret = self.secret()?;
        let block = message_block(archive, filename, metadata_yaml)?;
        // go-crypto 1.4's encoder (Helm 4.2) signs the text with its final
        // line break and writes one more line break before the signature,
        // which is what a clear-signed text whose last line is empty is.
        let text = block.as_str();
        let key = &secret.primary_key;
        let sign_err = |e: pgp::errors::Error| ProvenanceError::Sign(e.to_string());
        let mut config =
            SignatureConfig::v4(SignatureType::Text, key.algorithm(), HashAlgorithm::Sha512);
        config.hashed_subpackets = vec![
            Subpacket::regular(SubpacketData::SignatureCreationTime(Timestamp::now()))
                .map_err(sign_err)?,
            Subpacket::regular(SubpacketData::IssuerFingerprint(key.fingerprint()))
                .map_err(sign_err)?,
        ];
        config.unhashed_subpackets = vec![
            Subpacket::regular(SubpacketData::IssuerKeyId(key.legacy_key_id()))
                .map_err(sign_err)?,
        ];
        let msg =
            CleartextSignedMessage::new(text, config, key, &self.password).map_err(sign_err)?;
        // Go writes no line break after the END line. It writes no armor
        // checksum either, but GnuPG then cannot tell where the base64 ends
        // when it needs no `=` padding and fails (after "Good signature"),
        // so rudder keeps the optional CRC line that every reader accepts.
        let out = msg
            .to_armored_string(pgp::composed::ArmorOptions {
                headers: None,
                include_checksum: true,
            })
            .map_err(sign_err)?;
        Ok(out.trim_end_matches('\n').to_owned())
    }
}

/// The result of a verification (Helm's `Verification`).
#[derive(Debug, Clone)]
pub struct Verification {
    /// The key that made the signature.
    pub signed_by: Entity,
    /// `sha256:<hex>` of the archive.
    pub file_hash: String,
    /// The archive's base name.
    pub file_name: String,
}

/// The `files:` digests of a signed text (Helm's `parseMessageBlock`).
fn parse_sums(plaintext: &str) -> Result<rudder_value::Map, ProvenanceError> {
    let mut parts = plaintext.split("\n...\n");
    let (Some(_meta), Some(sums)) = (parts.next(), parts.next()) else {
        return Err(ProvenanceError::MessageBlock);
    };
    let doc = rudder_yaml::from_yaml(sums).map_err(|e| ProvenanceError::Sums(e.to_string()))?;
    let files = match doc {
        rudder_value::Value::Map(m) => m.get("files"),
        rudder_value::Value::Nil => None,
        _ => {
            return Err(ProvenanceError::Sums(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal non-object into Go value of type provenance.SumCollection".to_owned(),
            ));
        }
    };
    Ok(match files {
        Some(rudder_value::Value::Map(m)) => m,
        _ => rudder_value::Map::new(),
    })
}

/// Undoes clear-sign dash escaping (`- -foo` is `-foo`).
fn dash_unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 1);
    for line in text.split('\n') {
        out.push_str(line.strip_prefix("- ").unwrap_or(line));
        out.push('\n');
    }
    out
}

/// Helm's `Signatory.Verify`: checks the clear-signed `.prov` against the
/// keyring, then the archive's digest against the signed `files:` entry
/// for `filename`.
pub fn verify(
    keyring: &Keyring,
    archive: &[u8],
    prov: &[u8],
    filename: &str,
) -> Result<Verification, ProvenanceError> {
    let text = String::from_utf8_lossy(prov);
    let start = text
        .find("-----BEGIN PGP SIGNED MESSAGE-----")
        .ok_or(ProvenanceError::NoSignatureBlock)?;
    let (msg, _) = CleartextSignedMessage::from_string(&text[start..])
        .map_err(|_| ProvenanceError::NoSignatureBlock)?;
    let signed = msg.signed_text();
    let mut signer = None;
    let mut last_err = None;
    'sigs: for sig in msg.signatures() {
        let issuers: Vec<KeyId> = sig.issuer_key_id().into_iter().cloned().collect();
        for e in &keyring.entities {
            if !issuers.iter().any(|id| e.has_key_id(id)) {
                continue;
            }
            let primary_ok = sig.verify(&e.public.primary_key, signed.as_bytes());
            let ok = primary_ok.is_ok()
                || e.public
                    .public_subkeys
                    .iter()
                    .any(|k| sig.verify(&k.key, signed.as_bytes()).is_ok());
            if ok {
                signer = Some(e.clone());
                break 'sigs;
            }
            last_err = Some(format!(
                "{:?} verification failure",
                e.public.primary_key.algorithm()
            ));
        }
    }
    let signed_by = match (signer, last_err) {
        (Some(e), _) => e,
        (None, Some(err)) => return Err(ProvenanceError::InvalidSignature(err)),
        (None, None) => return Err(ProvenanceError::UnknownIssuer),
    };
    let sum = format!("sha256:{}", digest(archive));
    let sums = parse_sums(&dash_unescape(msg.text()))?;
    match sums.get(filename) {
        None => Err(ProvenanceError::NoDigest(filename.to_owned())),
        Some(v) => {
            let signed = match &v {
                rudder_value::Value::Str(s) => s.to_string(),
                other => rudder_value::fmt::format_v(other),
            };
            if signed != sum {
                return Err(ProvenanceError::DigestMismatch {
                    name: filename.to_owned(),
                    signed,
                    actual: sum,
                });
            }
            Ok(Verification {
                signed_by,
                file_hash: sum,
                file_name: filename.to_owned(),
            })
        }
    }
}

/// What `helm verify` prints for a successful verification.
pub fn verification_report(v: &Verification) -> String {
    let mut out = String::new();
    for name in v.signed_by.identities() {
        out.push_str(&format!("Signed by: {name}\n"));
    }
    out.push_str(&format!(
        "Using Key With Fingerprint: {}\n",
        v.signed_by.fingerprint_hex()
    ));
    out.push_str(&format!("Chart Hash Verified: {}\n", v.file_hash));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_block_layout() {
        let b = message_block(b"abc", "c-0.1.0.tgz", "name: c\n").unwrap_or_default();
        assert_eq!(
            b,
            "name: c\n\n...\nfiles:\n  c-0.1.0.tgz: sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n"
        );
        let sums = parse_sums(&b).unwrap_or_default();
        assert!(sums.get("c-0.1.0.tgz").is_some());
    }

    #[test]
    fn dash_escapes_are_removed() {
        assert_eq!(dash_unescape("- -a\nb"), "-a\nb\n");
    }
}
