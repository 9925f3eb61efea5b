//! On-disk cache of precompiled native code (`.cwasm`).
//!
//! File name: `<sha256 of the wasm>-<fingerprint>.cwasm`, where the
//! fingerprint hashes this crate's version, the wasmtime major version and
//! wasmtime's own engine-compatibility hash (compiler, target, tunables,
//! features). A different engine configuration therefore never even looks at
//! another configuration's files.
//!
//! File format: `RUDDERCW` (8 bytes), format version (u32 LE), SHA-256 of the
//! payload (32 bytes), then the payload exactly as `Module::serialize`
//! produced it. Writes go to a temp file in the same directory and are
//! renamed into place, so readers see either the old or the new file, never
//! a partial one.
//!
//! Security: deserializing precompiled code is `unsafe` in wasmtime because
//! the bytes are trusted to be native code wasmtime itself produced; a
//! crafted file is arbitrary code execution in the host. We therefore treat
//! the cache directory as exactly as trusted as the user's own
//! `$HELM_CACHE_HOME` (anyone who can write there can already replace the
//! user's plugins and binaries). What we do defend against is accidental
//! damage: truncation, bit rot, a file from another wasmtime version or
//! configuration, or an unrelated file with the right name. The header
//! digest is verified over the bytes in memory, and those same bytes are
//! handed to wasmtime (no check-then-reopen window); wasmtime then checks
//! its own version and configuration metadata. Any failure means a clean
//! recompile that overwrites the file.

use std::hash::Hasher;
use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::engine::hex;

const MAGIC: &[u8; 8] = b"RUDDERCW";
const FORMAT_VERSION: u32 = 1;
const HEADER_LEN: usize = 8 + 4 + 32;

/// Wasmtime major version this crate is built against; part of the
/// fingerprint so an upgrade starts a fresh set of files.
const WASMTIME_MAJOR: &str = "48";

pub(crate) struct DiskCache {
    dir: PathBuf,
    fingerprint: String,
}

/// Feeds `std::hash::Hash` output into SHA-256, so wasmtime's compatibility
/// hash becomes a stable digest instead of a `u64` from a seeded hasher.
struct ShaHasher(Sha256);

impl Hasher for ShaHasher {
    fn finish(&self) -> u64 {
        0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
}

impl DiskCache {
    pub(crate) fn new(dir: PathBuf, engine: &wasmtime::Engine) -> DiskCache {
        let mut h = ShaHasher(Sha256::new());
        h.write(b"rudder-extism ");
        h.write(env!("CARGO_PKG_VERSION").as_bytes());
        h.write(b" wasmtime ");
        h.write(WASMTIME_MAJOR.as_bytes());
        std::hash::Hash::hash(&engine.precompile_compatibility_hash(), &mut h);
        let digest = h.0.finalize();
        DiskCache {
            dir,
            fingerprint: hex(&digest[..8]),
        }
    }

    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    pub(crate) fn path_for(&self, wasm_sha256: &[u8; 32]) -> PathBuf {
        self.dir
            .join(format!("{}-{}.cwasm", hex(wasm_sha256), self.fingerprint))
    }

    /// Load a verified module, or `None` (missing, damaged or foreign file).
    pub(crate) fn load(
        &self,
        engine: &wasmtime::Engine,
        wasm_sha256: &[u8; 32],
    ) -> Option<wasmtime::Module> {
        let path = self.path_for(wasm_sha256);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
            Err(e) => {
                tracing::debug!(path = %path.display(), "cannot read cached module: {e}");
                return None;
            }
        };
        let Some(payload) = verify(&bytes) else {
            tracing::debug!(path = %path.display(), "cached module failed verification; recompiling");
            return None;
        };
        match deserialize_verified(engine, payload) {
            Ok(m) => Some(m),
            Err(e) => {
                tracing::debug!(path = %path.display(), "cached module rejected by wasmtime ({e}); recompiling");
                None
            }
        }
    }

    /// Best effort: a cache that cannot be written only costs a recompile
    /// next time, so failures are logged, never returned.
    pub(crate) fn store(&self, module: &wasmtime::Module, wasm_sha256: &[u8; 32]) {
        if let Err(e) = self.try_store(module, wasm_sha256) {
            tracing::warn!(dir = %self.dir.display(), "cannot write the plugin code cache: {e}");
        }
    }

    fn try_store(&self, module: &wasmtime::Module, wasm_sha256: &[u8; 32]) -> Result<(), String> {
        let payload = module.serialize().map_err(|e| format!("{e:#}"))?;
        std::fs::create_dir_all(&self.dir).map_err(|e| e.to_string())?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".tmp-")
            .suffix(".cwasm")
            .tempfile_in(&self.dir)
            .map_err(|e| e.to_string())?;
        let digest = Sha256::digest(&payload);
        let write = |f: &mut std::fs::File| -> std::io::Result<()> {
            f.write_all(MAGIC)?;
            f.write_all(&FORMAT_VERSION.to_le_bytes())?;
            f.write_all(&digest)?;
            f.write_all(&payload)?;
            f.sync_data()
        };
        write(tmp.as_file_mut()).map_err(|e| e.to_string())?;
        tmp.persist(self.path_for(wasm_sha256))
            .map_err(|e| e.error.to_string())?;
        Ok(())
    }
}

/// Check magic, version and digest; return the payload if all match.
fn verify(bytes: &[u8]) -> Option<&[u8]> {
    if bytes.len() < HEADER_LEN || &bytes[..8] != MAGIC {
        return None;
    }
    let version = u32::from_le_bytes(bytes[8..12].try_into().ok()?);
    if version != FORMAT_VERSION {
        return None;
    }
    let payload = &bytes[HEADER_LEN..];
    let digest: [u8; 32] = Sha256::digest(payload).into();
    (digest[..] == bytes[12..HEADER_LEN]).then_some(payload)
}

/// The one place this crate uses `unsafe`.
#[allow(
    unsafe_code,
    reason = "wasmtime's Module::deserialize is unsafe: it trusts the bytes to be its own compiled output"
)]
fn deserialize_verified(
    engine: &wasmtime::Engine,
    payload: &[u8],
) -> wasmtime::Result<wasmtime::Module> {
    // SAFETY: `payload` comes from a file in the user's own cache directory
    // that we wrote with `Module::serialize` (trusted as far as
    // $HELM_CACHE_HOME is, see the module docs), and its SHA-256 was just
    // verified over these exact in-memory bytes, so it is not truncated or
    // corrupted. wasmtime additionally checks that it was produced by the
    // same wasmtime version and a compatible engine configuration and
    // returns an error otherwise. The bytes are copied into fresh executable
    // memory, so later changes to the file cannot affect the module.
    unsafe { wasmtime::Module::deserialize(engine, payload) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_rejects_damage() {
        let payload = b"some payload bytes";
        let mut file = Vec::new();
        file.extend_from_slice(MAGIC);
        file.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        file.extend_from_slice(&Sha256::digest(payload));
        file.extend_from_slice(payload);
        assert_eq!(verify(&file), Some(&payload[..]));
        // Truncated.
        assert_eq!(verify(&file[..file.len() - 1]), None);
        assert_eq!(verify(&file[..10]), None);
        // Flipped payload bit.
        let mut bad = file.clone();
        let last = bad.len() - 1;
        bad[last] ^= 1;
        assert_eq!(verify(&bad), None);
        // Other version / magic.
        let mut bad = file.clone();
        bad[8] = 9;
        assert_eq!(verify(&bad), None);
        let mut bad = file;
        bad[0] = b'X';
        assert_eq!(verify(&bad), None);
        assert_eq!(verify(b""), None);
    }
}
