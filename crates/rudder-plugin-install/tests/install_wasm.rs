//! Wasm plugins are compiled into the plugin host's code cache at install
//! time, so their first call reads compiled code from disk.

use rudder_plugin_install::VerifyPlan;

use crate::util::{Env, Must, data};

#[test]
fn wasm_plugin_is_precompiled_into_the_host_cache() {
    if let Err(e) = rudder_extism::test_support::build_plugins() {
        panic!("\n\n*** the example Wasm plugins could not be built ***\n{e}\n\n");
    }
    let example = rudder_extism::test_support::example_dir("getter-echo");
    let env = Env::new();
    // Package the example (unsigned) and install the tarball, as a user
    // would install a released Wasm plugin.
    let tgz = rudder_plugin_install::package(&example, &env.path("out"), None)
        .must("package")
        .tarball;
    let m = env.manager();
    let mut inst = m
        .installer_for(&tgz.to_string_lossy(), "")
        .must("installer");
    let installed = m
        .install(inst.as_mut(), VerifyPlan::Skip, &data("keys/pub.gpg"))
        .must("install");
    assert!(installed.warnings.is_empty(), "{:?}", installed.warnings);
    // The directory PluginHost::from_settings uses.
    let cache = env.settings().paths.cache_path("rudder/wasm");
    let engine = rudder_extism::Engine::new(rudder_extism::EngineConfig {
        cache_dir: Some(cache),
        ..rudder_extism::EngineConfig::default()
    })
    .must("engine");
    let wasm = std::fs::read(installed.plugin.dir().join("plugin.wasm")).must("read wasm");
    let cached = engine.cache_path(&wasm).unwrap_or_default();
    assert!(cached.is_file(), "no compiled code at {}", cached.display());
    engine.compile(&wasm).must("compile");
    let stats = engine.cache_stats();
    assert_eq!((stats.disk_hits, stats.compiles), (1, 0), "{stats:?}");
}
