//! On-disk cache of precompiled native code (`.cwasm`).
//!
//! File names: `<sha256 of the wasm>-<fingerprint>.cwasm`, where the
//! fingerprint hashes this crate's version, the wasmtime major version and
//! wasmtime's own engine-compatibility hash (compiler, target, tunables,
//! features). A different engine configuration therefore never even looks at
//! another configuration's files.
//!
//! Files: the `.cwasm` is exactly what `Module::serialize` produced, so it
//! can be memory-mapped by wasmtime (`Module::deserialize_file`): code pages
//! come straight from the page cache, nothing is copied, and a large module
//! costs what it touches. Beside it, `<name>.cwasm.sum` holds `RUDDERCW`
//! (8 bytes), the format version (u32 LE), the payload length (u64 LE) and
//! the payload's SHA-256 (32 bytes). Both are written to temp files in the
//! same directory and renamed into place (code first, then its sum), so
//! readers see whole files, never partial ones.
//!
//! Security: deserializing precompiled code is `unsafe` in wasmtime because
//! the bytes are trusted to be native code wasmtime itself produced; a
//! crafted file is arbitrary code execution in the host. We therefore treat
//! the cache directory as exactly as trusted as the user's own
//! `$HELM_CACHE_HOME` (anyone who can write there can already replace the
//! user's plugins and binaries). What we do defend against is accidental
//! damage: truncation, bit rot, a file from another wasmtime version or
//! configuration, or an unrelated file with the right name. Length and
//! digest are verified over the mapped file before wasmtime maps it again
//! for loading; wasmtime then checks its own version and configuration
//! metadata. Any failure means a clean recompile that overwrites the files.
//! The window between the check and wasmtime's own mapping only matters if
//! the file is replaced in between, and replacements are whole files from
//! the same engine configuration (another rudder process's rename).

use std::hash::Hasher;
use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::engine::hex;

const MAGIC: &[u8; 8] = b"RUDDERCW";
const FORMAT_VERSION: u32 = 2;
const SUM_LEN: usize = 8 + 4 + 8 + 32;

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

    /// The checksum file of a cache file.
    fn sum_path(path: &Path) -> PathBuf {
        let mut name = path.as_os_str().to_owned();
        name.push(".sum");
        PathBuf::from(name)
    }

    /// Load a verified module, or `None` (missing, damaged or foreign file).
    pub(crate) fn load(
        &self,
        engine: &wasmtime::Engine,
        wasm_sha256: &[u8; 32],
    ) -> Option<wasmtime::Module> {
        let path = self.path_for(wasm_sha256);
        let sum = match std::fs::read(Self::sum_path(&path)) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
            Err(e) => {
                tracing::debug!(path = %path.display(), "cannot read cache checksum: {e}");
                return None;
            }
        };
        let verified = std::fs::File::open(&path)
            .map_err(|e| e.to_string())
            .and_then(|f| map(&f))
            .is_ok_and(|code| verify(&sum, &code));
        if !verified {
            tracing::debug!(path = %path.display(), "cached module failed verification; recompiling");
            return None;
        }
        match deserialize_verified(engine, &path) {
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
        let path = self.path_for(wasm_sha256);
        self.write_atomic(&path, &payload)?;
        self.write_atomic(&Self::sum_path(&path), &sum_of(&payload))
    }

    fn write_atomic(&self, path: &Path, bytes: &[u8]) -> Result<(), String> {
        let mut tmp = tempfile::Builder::new()
            .prefix(".tmp-")
            .tempfile_in(&self.dir)
            .map_err(|e| e.to_string())?;
        tmp.as_file_mut()
            .write_all(bytes)
            .and_then(|()| tmp.as_file().sync_data())
            .map_err(|e| e.to_string())?;
        tmp.persist(path).map_err(|e| e.error.to_string())?;
        Ok(())
    }
}

/// The checksum file's contents for `payload`.
fn sum_of(payload: &[u8]) -> Vec<u8> {
    let mut sum = Vec::with_capacity(SUM_LEN);
    sum.extend_from_slice(MAGIC);
    sum.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    sum.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    sum.extend_from_slice(&Sha256::digest(payload));
    sum
}

/// Check magic, version, length and digest of `code` against `sum`.
fn verify(sum: &[u8], code: &[u8]) -> bool {
    sum.len() == SUM_LEN && sum_of(code) == sum
}

/// Map a cache file read-only, to hash it without copying it.
#[allow(
    unsafe_code,
    reason = "memory-mapping a file is unsafe: another process could change it while mapped"
)]
fn map(file: &std::fs::File) -> Result<memmap2::Mmap, String> {
    // SAFETY: the mapping is read-only and only hashed. Cache files are
    // replaced by rename, never modified in place, so the mapped inode does
    // not change under us; a user truncating a cache file by hand while
    // rudder reads it is outside the threat model (see the module docs),
    // as it is for wasmtime's own mapping of the same file.
    unsafe { memmap2::Mmap::map(file) }.map_err(|e| e.to_string())
}

/// Hand a verified cache file to wasmtime.
#[allow(
    unsafe_code,
    reason = "wasmtime's Module::deserialize_file is unsafe: it trusts the file to be its own compiled output"
)]
fn deserialize_verified(
    engine: &wasmtime::Engine,
    path: &Path,
) -> wasmtime::Result<wasmtime::Module> {
    // SAFETY: the file is in the user's own cache directory, written by us
    // with `Module::serialize` (trusted as far as $HELM_CACHE_HOME is, see
    // the module docs), and its length and SHA-256 were just verified, so it
    // is not truncated or corrupted. wasmtime additionally checks that it
    // was produced by the same wasmtime version and a compatible engine
    // configuration and returns an error otherwise. wasmtime maps the file
    // copy-on-write, so later writes to it do not reach loaded code.
    unsafe { wasmtime::Module::deserialize_file(engine, path) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_rejects_damage() {
        let payload = b"some payload bytes";
        let sum = sum_of(payload);
        assert!(verify(&sum, payload));
        // Truncated code or sum.
        assert!(!verify(&sum, &payload[..payload.len() - 1]));
        assert!(!verify(&sum[..10], payload));
        // Flipped payload bit.
        let mut bad = payload.to_vec();
        bad[3] ^= 1;
        assert!(!verify(&sum, &bad));
        // Other version / magic.
        let mut bad = sum.clone();
        bad[8] = 9;
        assert!(!verify(&bad, payload));
        let mut bad = sum;
        bad[0] = b'X';
        assert!(!verify(&bad, payload));
        assert!(!verify(b"", b""));
    }
}
