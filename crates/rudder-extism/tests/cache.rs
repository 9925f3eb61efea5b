//! The precompiled-code cache: hits, and recovery from damaged files.

use rudder_extism::{Engine, EngineConfig, Plugin, Sandbox};

use crate::util::assert_still_works;

fn wasm() -> Vec<u8> {
    std::fs::read(rudder_extism::test_support::require_wasm("adv-loop")).unwrap()
}

fn fresh_engine(dir: &std::path::Path) -> Engine {
    Engine::new(EngineConfig {
        cache_dir: Some(dir.to_owned()),
        ..EngineConfig::default()
    })
    .unwrap()
}

fn works(engine: &Engine, wasm: &[u8]) {
    let module = engine.compile(wasm).unwrap();
    let mut p = Plugin::new(engine, &module, Sandbox::default()).unwrap();
    assert_still_works(&mut p);
}

#[test]
fn compiles_once_per_process_and_once_per_cache_dir() {
    let dir = tempfile::tempdir().unwrap();
    let wasm = wasm();
    let e1 = fresh_engine(dir.path());
    works(&e1, &wasm);
    works(&e1, &wasm);
    let s = e1.cache_stats();
    assert_eq!((s.compiles, s.disk_hits, s.memory_hits), (1, 0, 1));
    let path = e1.cache_path(&wasm).unwrap();
    assert!(path.is_file());
    let name = path.file_name().unwrap().to_str().unwrap();
    assert!(name.ends_with(".cwasm") && name.len() > 64 + 6, "{name}");

    let e2 = fresh_engine(dir.path());
    works(&e2, &wasm);
    assert_eq!(e2.cache_stats().disk_hits, 1);
    assert_eq!(e2.cache_stats().compiles, 0);
}

/// The checksum file beside a cache file (`<name>.cwasm.sum`).
fn sum_path(path: &std::path::Path) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".sum");
    name.into()
}

/// A checksum file as the cache writes it: magic, format version 3, the
/// payload length and its CRC-32 (IEEE).
fn sum_for(payload: &[u8]) -> Vec<u8> {
    let mut sum = b"RUDDERCW".to_vec();
    sum.extend_from_slice(&3u32.to_le_bytes());
    sum.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    sum.extend_from_slice(&crc32_ieee(payload).to_le_bytes());
    sum
}

/// CRC-32 (IEEE 802.3, as in zlib and gzip), bit by bit: an independent
/// reference for the checksum the cache writes.
fn crc32_ieee(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn damaged_or_foreign_cache_files_are_recompiled_and_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let wasm = wasm();
    let path = fresh_engine(dir.path()).cache_path(&wasm).unwrap();
    let (good, good_sum) = {
        let e = fresh_engine(dir.path());
        works(&e, &wasm);
        (
            std::fs::read(&path).unwrap(),
            std::fs::read(sum_path(&path)).unwrap(),
        )
    };
    assert_eq!(good_sum, sum_for(&good), "checksum file format");

    let mut flipped = good.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x40;
    // A payload wasmtime rejects, with a checksum file that matches it.
    let garbage = b"this is not a wasmtime artifact".to_vec();

    for (what, code, sum) in [
        (
            "truncated",
            good[..good.len() / 3].to_vec(),
            good_sum.clone(),
        ),
        ("bit flip", flipped, good_sum.clone()),
        ("empty", Vec::new(), good_sum.clone()),
        (
            "foreign",
            b"\x7fELF not ours at all".to_vec(),
            good_sum.clone(),
        ),
        (
            "valid digest, bogus payload",
            garbage.clone(),
            sum_for(&garbage),
        ),
        ("truncated checksum", good.clone(), good_sum[..20].to_vec()),
        ("missing checksum", good.clone(), Vec::new()),
    ] {
        std::fs::write(&path, &code).unwrap();
        if sum.is_empty() {
            std::fs::remove_file(sum_path(&path)).unwrap();
        } else {
            std::fs::write(sum_path(&path), &sum).unwrap();
        }
        let e = fresh_engine(dir.path());
        works(&e, &wasm);
        assert_eq!(e.cache_stats().compiles, 1, "{what}: should recompile");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            good,
            "{what}: cache file should be rewritten"
        );
        assert_eq!(
            std::fs::read(sum_path(&path)).unwrap(),
            good_sum,
            "{what}: checksum should be rewritten"
        );
    }
    // And the rewritten pair is used again.
    let e = fresh_engine(dir.path());
    works(&e, &wasm);
    assert_eq!(e.cache_stats().disk_hits, 1);
}

#[test]
fn an_unusable_cache_dir_does_not_break_compilation() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("not-a-dir");
    std::fs::write(&blocker, "file").unwrap();
    let e = fresh_engine(&blocker.join("cache"));
    works(&e, &wasm());
    assert_eq!(e.cache_stats().compiles, 1);
}

fn sha2_digest(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
}

#[test]
fn load_file_reuses_an_unchanged_file_and_notices_a_replaced_one() {
    let dir = tempfile::tempdir().unwrap();
    let e = Engine::new(EngineConfig::default()).unwrap();
    let path = dir.path().join("plugin.wasm");
    std::fs::write(&path, wasm()).unwrap();
    let first = e.load_file(&path).unwrap();
    let again = e.load_file(&path).unwrap();
    assert_eq!(first.sha256(), again.sha256());
    let s = e.cache_stats();
    assert_eq!((s.compiles, s.memory_hits), (1, 1));

    // Rewritten in place with another plugin: a different module.
    let other = std::fs::read(rudder_extism::test_support::require_wasm("adv-trap")).unwrap();
    std::fs::write(&path, &other).unwrap();
    let replaced = e.load_file(&path).unwrap();
    assert_eq!(replaced.sha256(), sha2_digest(&other));
    assert_eq!(e.cache_stats().compiles, 2);
}

/// The stamp files a cache dir holds (`stamps/*`).
fn stamps(cache: &std::path::Path) -> Vec<std::path::PathBuf> {
    match std::fs::read_dir(cache.join("stamps")) {
        Ok(rd) => rd
            .map(|e| e.unwrap().path())
            .filter(|p| {
                !p.file_name()
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .starts_with(".tmp-")
            })
            .collect(),
        Err(_) => Vec::new(),
    }
}

#[test]
fn stamps_lead_new_processes_to_compiled_code_and_never_to_stale_code() {
    let cache = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let path = files.path().join("plugin.wasm");
    let wasm = wasm();
    std::fs::write(&path, &wasm).unwrap();

    // A file changed in the last two seconds is hashed, not stamped: its
    // time stamps may not yet tell it apart from a rewrite.
    let e = fresh_engine(cache.path());
    assert_eq!(e.load_file(&path).unwrap().sha256(), sha2_digest(&wasm));
    assert!(stamps(cache.path()).is_empty());

    // Settled: the next process stamps it, the one after goes by the stamp.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let e = fresh_engine(cache.path());
    assert_eq!(e.load_file(&path).unwrap().sha256(), sha2_digest(&wasm));
    assert_eq!(stamps(cache.path()).len(), 1);
    let e = fresh_engine(cache.path());
    let m = e.load_file(&path).unwrap();
    assert_eq!(m.sha256(), sha2_digest(&wasm));
    let s = e.cache_stats();
    assert_eq!((s.compiles, s.disk_hits), (0, 1));
    let mut p = Plugin::new(&e, &m, Sandbox::default()).unwrap();
    assert_still_works(&mut p);

    // Compiled code gone: the stamp alone is not enough, the file is read
    // and compiled again.
    let code = e.cache_path(&wasm).unwrap();
    std::fs::remove_file(&code).unwrap();
    let e = fresh_engine(cache.path());
    assert_eq!(e.load_file(&path).unwrap().sha256(), sha2_digest(&wasm));
    assert_eq!(e.cache_stats().compiles, 1);

    // A damaged stamp is ignored.
    for stamp in stamps(cache.path()) {
        std::fs::write(&stamp, b"RUDDERST garbage").unwrap();
    }
    let e = fresh_engine(cache.path());
    assert_eq!(e.load_file(&path).unwrap().sha256(), sha2_digest(&wasm));

    // Rewritten in place (same path, same inode): the stamp no longer
    // matches, so the new contents are what runs.
    let other = std::fs::read(rudder_extism::test_support::require_wasm("adv-trap")).unwrap();
    std::fs::write(&path, &other).unwrap();
    let e = fresh_engine(cache.path());
    assert_eq!(e.load_file(&path).unwrap().sha256(), sha2_digest(&other));
}
