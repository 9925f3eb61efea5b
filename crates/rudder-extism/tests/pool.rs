//! Pooled instance slots (`EngineConfig::instance_pool`): a slot handed to
//! the next plugin holds nothing of the previous one, and running out of
//! slots is an error, not a hang or a crash.

use rudder_extism::{Engine, EngineConfig, ExtismError, InstancePool, Module, Plugin, Sandbox};

/// `scribble` grows memory by 16 pages and fills all of it with 0xAB;
/// `check` grows by 16 pages and fails (non-zero) if any byte is not zero.
const SCRIBBLE: &str = r#"
(module
  (memory (export "memory") 1)
  (func (export "scribble") (result i32)
    (drop (memory.grow (i32.const 16)))
    (memory.fill (i32.const 0) (i32.const 0xAB)
      (i32.mul (memory.size) (i32.const 65536)))
    (i32.const 0))
  (func (export "check") (result i32) (local $i i32) (local $end i32)
    (drop (memory.grow (i32.const 16)))
    (local.set $end (i32.mul (memory.size) (i32.const 65536)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (if (i64.ne (i64.load (local.get $i)) (i64.const 0))
          (then (return (i32.const 1))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $next)))
    (i32.const 0)))
"#;

fn pooled_engine(max_instances: u32) -> (Engine, Module) {
    let engine = Engine::new(EngineConfig {
        instance_pool: Some(InstancePool {
            max_instances,
            ..InstancePool::default()
        }),
        ..EngineConfig::default()
    })
    .expect("pooled engine");
    let module = engine
        .compile(&wat::parse_str(SCRIBBLE).expect("valid WAT"))
        .expect("compiles");
    (engine, module)
}

#[test]
fn a_reused_slot_starts_with_zeroed_memory() {
    let (engine, module) = pooled_engine(1);
    for round in 0..3 {
        let mut dirty = Plugin::new(&engine, &module, Sandbox::default()).expect("instance");
        dirty.call("scribble", b"").expect("scribble");
        drop(dirty);
        // One slot: the next instance gets exactly the memory just written.
        let mut next = Plugin::new(&engine, &module, Sandbox::default()).expect("instance");
        next.call("check", b"")
            .unwrap_or_else(|e| panic!("round {round}: previous instance's bytes visible: {e}"));
    }
}

#[test]
fn running_out_of_slots_is_a_clean_error() {
    let (engine, module) = pooled_engine(1);
    let first = Plugin::new(&engine, &module, Sandbox::default()).expect("instance");
    match Plugin::new(&engine, &module, Sandbox::default()) {
        Err(ExtismError::Instantiate(msg)) => {
            assert!(msg.contains("limit"), "unexpected message: {msg}");
        }
        Err(other) => panic!("expected an instantiation error, got {other}"),
        Ok(_) => panic!("a second instance fit in a one-slot pool"),
    }
    drop(first);
    let mut again = Plugin::new(&engine, &module, Sandbox::default()).expect("slot released");
    again.call("check", b"").expect("fresh memory");
}
