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
//! the payload's CRC-32 (u32 LE). Both are written to temp files in the
//! same directory and renamed into place (code first, then its sum), so
//! readers see whole files, never partial ones.
//!
//! Stamps: `stamps/<sha256 of the plugin file's path>` remembers the SHA-256
//! of a `plugin.wasm` together with what identifies that file's contents
//! cheaply (see [`FileStamp`]), so a new process finds the `.cwasm` without
//! reading and hashing the Wasm again (for a 3.7 MB module that was ~3 ms of
//! a 6 ms first call). A stamp is only written for a file whose change time
//! is at least [`SETTLED`] old: file times tick coarsely, and a file
//! rewritten within the same tick as its stamp (same size) would otherwise
//! match a stamp of its old contents (git's "racy clean" problem). A
//! freshly installed plugin is therefore hashed once more on its first
//! call, and from then on looked up by stamp.
//!
//! Security: deserializing precompiled code is `unsafe` in wasmtime because
//! the bytes are trusted to be native code wasmtime itself produced; a
//! crafted file is arbitrary code execution in the host. We therefore treat
//! the cache directory as exactly as trusted as the user's own
//! `$HELM_CACHE_HOME` (anyone who can write there can already replace the
//! user's plugins and binaries). What we do defend against is accidental
//! damage: truncation, bit rot, a file from another wasmtime version or
//! configuration, or an unrelated file with the right name. Length and
//! checksum are verified over the mapped file before wasmtime maps it again
//! for loading. The checksum is a CRC-32, made for exactly that kind of
//! damage: a cryptographic digest would add nothing, since whoever can
//! rewrite a `.cwasm` can rewrite its `.sum` too, and SHA-256 over a large
//! plugin's code was half of its first call (7.6 MB of code for a 3.7 MB
//! module: ~4 ms, against ~0.5 ms for the CRC); wasmtime then checks its own version and configuration
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
const FORMAT_VERSION: u32 = 3;
const STAMP_MAGIC: &[u8; 8] = b"RUDDERST";
const STAMP_VERSION: u32 = 1;
/// How old a file's last change must be before its digest is stamped.
pub(crate) const SETTLED: std::time::Duration = std::time::Duration::from_secs(2);
const SUM_LEN: usize = 8 + 4 + 8 + 4;

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

    fn stamp_path(&self, file: &Path) -> PathBuf {
        let digest = Sha256::digest(file.as_os_str().as_encoded_bytes());
        self.dir.join("stamps").join(hex(&digest[..16]))
    }

    /// The SHA-256 stamped for `file` if its stamp still describes it.
    pub(crate) fn stamped_digest(&self, file: &Path, now: &FileStamp) -> Option<[u8; 32]> {
        if !now.durable() {
            return None;
        }
        let bytes = std::fs::read(self.stamp_path(file)).ok()?;
        let (stamp, digest) = parse_stamp(&bytes)?;
        (stamp == *now).then_some(digest)
    }

    /// Remember `digest` for `file` (best effort, and only for a settled
    /// file: see the module docs).
    pub(crate) fn record_stamp(&self, file: &Path, stamp: &FileStamp, digest: &[u8; 32]) {
        if !stamp.durable() || !stamp.settled(std::time::SystemTime::now()) {
            return;
        }
        let path = self.stamp_path(file);
        let result = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .map_err(|e| e.to_string())
            // No fsync: a stamp lost or torn in a crash fails to parse and
            // only costs one more hash.
            .and_then(|()| self.write_atomic(&path, &stamp_bytes(stamp, digest), false));
        if let Err(e) = result {
            tracing::debug!(path = %path.display(), "cannot write a plugin stamp: {e}");
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
        self.write_atomic(&path, &payload, true)?;
        self.write_atomic(&Self::sum_path(&path), &sum_of(&payload), true)
    }

    fn write_atomic(&self, path: &Path, bytes: &[u8], sync: bool) -> Result<(), String> {
        let dir = path.parent().unwrap_or(&self.dir);
        let mut tmp = tempfile::Builder::new()
            .prefix(".tmp-")
            .tempfile_in(dir)
            .map_err(|e| e.to_string())?;
        tmp.as_file_mut()
            .write_all(bytes)
            .and_then(|()| {
                if sync {
                    tmp.as_file().sync_data()
                } else {
                    Ok(())
                }
            })
            .map_err(|e| e.to_string())?;
        tmp.persist(path).map_err(|e| e.error.to_string())?;
        Ok(())
    }
}

/// What identifies a file's contents without reading them: size,
/// modification and change times to the nanosecond, device and inode. The
/// change time cannot be set by a program (any write, rename or `touch`
/// moves it to the present), so a file with an unchanged stamp has not
/// been written since, tick granularity aside (see [`SETTLED`]). The
/// engine compares stamps within a process too; only Unix stamps are
/// [`durable`](Self::durable) enough to be written to disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FileStamp {
    len: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
    dev: u64,
    ino: u64,
}

impl FileStamp {
    /// The stamp of a file.
    #[cfg(unix)]
    pub(crate) fn of(meta: &std::fs::Metadata) -> FileStamp {
        use std::os::unix::fs::MetadataExt;
        FileStamp {
            len: meta.len(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            ctime: (meta.ctime(), meta.ctime_nsec()),
            dev: meta.dev(),
            ino: meta.ino(),
        }
    }

    /// The stamp of a file: size and modification time only (no change
    /// time, device or inode here).
    #[cfg(not(unix))]
    pub(crate) fn of(meta: &std::fs::Metadata) -> FileStamp {
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or((-1, 0), |d| {
                (
                    i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
                    i64::from(d.subsec_nanos()),
                )
            });
        FileStamp {
            len: meta.len(),
            mtime,
            ctime: (0, 0),
            dev: 0,
            ino: 0,
        }
    }

    /// Whether the stamp may stand for the file's contents in another
    /// process: only with a change time, which programs cannot set.
    fn durable(&self) -> bool {
        cfg!(unix)
    }

    /// Whether both file times are at least [`SETTLED`] before `now`.
    fn settled(&self, now: std::time::SystemTime) -> bool {
        let Ok(now) = now.duration_since(std::time::UNIX_EPOCH) else {
            return false;
        };
        let limit = now.saturating_sub(SETTLED);
        let before = |(secs, nanos): (i64, i64)| {
            u64::try_from(secs).is_ok_and(|s| {
                let t = std::time::Duration::new(s, u32::try_from(nanos).unwrap_or(0));
                t <= limit
            })
        };
        before(self.mtime) && before(self.ctime)
    }
}

fn stamp_bytes(stamp: &FileStamp, digest: &[u8; 32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(STAMP_LEN);
    out.extend_from_slice(STAMP_MAGIC);
    out.extend_from_slice(&STAMP_VERSION.to_le_bytes());
    for n in [stamp.len, stamp.dev, stamp.ino] {
        out.extend_from_slice(&n.to_le_bytes());
    }
    for n in [stamp.mtime.0, stamp.mtime.1, stamp.ctime.0, stamp.ctime.1] {
        out.extend_from_slice(&n.to_le_bytes());
    }
    out.extend_from_slice(digest);
    out
}

const STAMP_LEN: usize = 8 + 4 + 3 * 8 + 4 * 8 + 32;

fn parse_stamp(bytes: &[u8]) -> Option<(FileStamp, [u8; 32])> {
    if bytes.len() != STAMP_LEN {
        return None;
    }
    let (magic, rest) = bytes.split_at(8);
    let (version, rest) = rest.split_at(4);
    if magic != STAMP_MAGIC || version != STAMP_VERSION.to_le_bytes() {
        return None;
    }
    let (nums, digest) = rest.split_at(7 * 8);
    let mut n = nums
        .chunks_exact(8)
        .map(|c| c.try_into().map(u64::from_le_bytes).unwrap_or(0));
    let mut next = || n.next().unwrap_or(0);
    let (len, dev, ino) = (next(), next(), next());
    // Times were written as i64; the bits round-trip through u64.
    let mut time = || next().cast_signed();
    let mtime = (time(), time());
    let ctime = (time(), time());
    Some((
        FileStamp {
            len,
            mtime,
            ctime,
            dev,
            ino,
        },
        digest.try_into().ok()?,
    ))
}

/// The checksum file's contents for `payload`.
fn sum_of(payload: &[u8]) -> Vec<u8> {
    let mut sum = Vec::with_capacity(SUM_LEN);
    sum.extend_from_slice(MAGIC);
    sum.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    sum.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    sum.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
    sum
}

/// Check magic, version, length and digest of `code` against `sum`.
fn verify(sum: &[u8], code: &[u8]) -> bool {
    sum.len() == SUM_LEN && sum_of(code) == sum
}

/// Map a cache file read-only, to check it without copying it.
#[allow(
    unsafe_code,
    reason = "memory-mapping a file is unsafe: another process could change it while mapped"
)]
fn map(file: &std::fs::File) -> Result<memmap2::Mmap, String> {
    // SAFETY: the mapping is read-only and only checksummed. Cache files are
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
    // the module docs), and its length and CRC-32 were just verified, so it
    // is not truncated or corrupted. wasmtime additionally checks that it
    // was produced by the same wasmtime version and a compatible engine
    // configuration and returns an error otherwise. wasmtime maps the file
    // copy-on-write, so later writes to it do not reach loaded code.
    unsafe { wasmtime::Module::deserialize_file(engine, path) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp() -> FileStamp {
        FileStamp {
            len: 3_720_972,
            mtime: (1_764_000_000, 123_456_789),
            ctime: (1_764_000_001, 5),
            dev: 2049,
            ino: 77,
        }
    }

    #[test]
    fn stamps_round_trip_and_reject_damage() {
        let digest = [7u8; 32];
        let bytes = stamp_bytes(&stamp(), &digest);
        assert_eq!(bytes.len(), STAMP_LEN);
        assert_eq!(parse_stamp(&bytes), Some((stamp(), digest)));
        assert_eq!(parse_stamp(&bytes[..STAMP_LEN - 1]), None);
        let mut bad = bytes.clone();
        bad[9] ^= 1;
        assert_eq!(parse_stamp(&bad), None, "other version");
        let mut negative = stamp();
        negative.mtime = (-5, 0);
        assert_eq!(
            parse_stamp(&stamp_bytes(&negative, &digest)).map(|p| p.0),
            Some(negative)
        );
    }

    #[test]
    fn only_settled_files_are_stamped() {
        let at = |secs: u64| std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs);
        let s = stamp();
        assert!(s.settled(at(1_764_000_010)));
        // Changed within the last two seconds (the change time counts too).
        assert!(!s.settled(at(1_764_000_002)));
        assert!(!s.settled(at(1_764_000_000)));
        let mut future = s;
        future.mtime = (1_900_000_000, 0);
        assert!(!future.settled(at(1_764_000_010)));
    }

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
