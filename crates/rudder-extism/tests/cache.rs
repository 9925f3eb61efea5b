//! The precompiled-code cache: hits, and recovery from damaged files.

use rudder_extism::{Engine, EngineConfig, Plugin, Sandbox};

use crate::util::assert_still_works;

fn wasm() -> Vec<u8> {
    std::fs::read(rudder_extism::test_support::require_wasm("adv-loop")).unwrap()
}

fn fresh_engine(dir: &std::path::Path) -> Engine {
    Engine::new(EngineConfig {
        cache_dir: Some(dir.to_owned()),
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

#[test]
fn damaged_or_foreign_cache_files_are_recompiled_and_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let wasm = wasm();
    let good = {
        let e = fresh_engine(dir.path());
        works(&e, &wasm);
        std::fs::read(e.cache_path(&wasm).unwrap()).unwrap()
    };
    let path = fresh_engine(dir.path()).cache_path(&wasm).unwrap();

    let mut flipped = good.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x40;
    // A file with a valid header and digest whose payload wasmtime rejects.
    let garbage_payload = b"this is not a wasmtime artifact".to_vec();
    let mut foreign = good[..12].to_vec();
    foreign.extend_from_slice(&sha2_digest(&garbage_payload));
    foreign.extend_from_slice(&garbage_payload);

    for (what, bytes) in [
        ("truncated", good[..good.len() / 3].to_vec()),
        ("bit flip", flipped),
        ("empty", Vec::new()),
        ("foreign", b"\x7fELF not ours at all".to_vec()),
        ("valid digest, bogus payload", foreign),
    ] {
        std::fs::write(&path, &bytes).unwrap();
        let e = fresh_engine(dir.path());
        works(&e, &wasm);
        assert_eq!(e.cache_stats().compiles, 1, "{what}: should recompile");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            good,
            "{what}: cache file should be rewritten"
        );
    }
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
