//! Adversarial guests (plugins/adversarial/*, built from source): each must
//! fail safely with a clear error, and the same plugin must answer a normal
//! call right afterwards.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use rudder_extism::{CallError, Output, Plugin, Sandbox};
use serde_json::Value;

use crate::server::Server;
use crate::util::{assert_still_works, expect_host, expect_trap, plugin};

// ---------------------------------------------------------------- timeouts

/// Fastest of three runs, so one scheduling hiccup on a loaded 2-core
/// machine does not decide the result.
fn best_of_three(p: &mut Plugin, export: &str) -> Duration {
    (0..3)
        .map(|_| {
            let started = Instant::now();
            assert_eq!(p.call(export, b""), Err(CallError::Timeout));
            started.elapsed()
        })
        .min()
        .unwrap()
}

#[test]
fn infinite_loop_stops_within_timeout_plus_50ms() {
    let timeout = Duration::from_millis(100);
    let mut p = plugin(
        "adv-loop",
        Sandbox {
            timeout: Some(timeout),
            ..Sandbox::default()
        },
    );
    for export in ["spin", "spin_host_calls"] {
        let took = best_of_three(&mut p, export);
        assert!(took >= timeout, "{export} stopped early: {took:?}");
        assert!(
            took < timeout + Duration::from_millis(50),
            "{export} stopped late: {took:?}"
        );
        assert_still_works(&mut p);
    }
    assert!(CallError::Timeout.to_string().contains("timed out"));
}

#[test]
fn zero_timeout_means_no_timeout() {
    let mut p = plugin(
        "adv-loop",
        Sandbox {
            timeout: Some(Duration::ZERO),
            ..Sandbox::default()
        },
    );
    assert_still_works(&mut p);
}

#[test]
fn timeouts_of_one_plugin_do_not_disturb_another() {
    let mut slow = plugin(
        "adv-loop",
        Sandbox {
            timeout: Some(Duration::from_millis(300)),
            ..Sandbox::default()
        },
    );
    let handle = std::thread::spawn(move || slow.call("spin", b""));
    let mut other = plugin("adv-loop", Sandbox::default());
    for _ in 0..50 {
        assert_still_works(&mut other);
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(handle.join().unwrap(), Err(CallError::Timeout));
}

// ------------------------------------------------------------------ memory

#[test]
fn memory_bomb_is_stopped_at_max_pages() {
    let mut p = plugin(
        "adv-oom",
        Sandbox {
            max_pages: Some(160),
            ..Sandbox::default()
        },
    );
    assert_eq!(p.call("grow", b""), Err(CallError::OutOfMemory));
    assert_still_works(&mut p);
    assert_eq!(p.call("host_alloc", b""), Err(CallError::OutOfMemory));
    assert_still_works(&mut p);
    // An input larger than the whole budget is refused before the call.
    assert_eq!(
        p.call("ok", &vec![b'x'; 11 << 20]),
        Err(CallError::OutOfMemory)
    );
    assert_still_works(&mut p);
    assert!(CallError::OutOfMemory.to_string().contains("maxPages"));
}

// -------------------------------------------------------------- filesystem

fn probe(p: &mut Plugin, op: &str, path: &str, target: &str) -> Value {
    let req = serde_json::json!({"op": op, "path": path, "target": target});
    let out = p
        .call("probe", req.to_string().as_bytes())
        .expect("probe answers");
    serde_json::from_slice(&out).unwrap()
}

fn assert_refused(v: &Value, what: &str) {
    assert_eq!(
        v["ok"],
        Value::Bool(false),
        "{what} should have been refused: {v}"
    );
}

#[test]
fn no_filesystem_without_a_temp_dir() {
    let mut p = plugin("adv-fs", Sandbox::default());
    assert_refused(
        &probe(&mut p, "write", "/tmp/x", ""),
        "write without temp dir",
    );
    assert_refused(&probe(&mut p, "read", "/etc/passwd", ""), "absolute read");
    assert_refused(&probe(&mut p, "list", "/", ""), "list /");
    assert_refused(&probe(&mut p, "list", ".", ""), "list .");
    assert_still_works(&mut p);
}

#[test]
fn temp_dir_is_private_fresh_and_inescapable() {
    // A secret on the host, next to where the plugin's temp dirs live.
    let host = tempfile::tempdir().unwrap();
    let secret = host.path().join("secret.txt");
    std::fs::write(&secret, "host secret").unwrap();
    let tmp_parent = std::env::temp_dir();

    let mut p = plugin(
        "adv-fs",
        Sandbox {
            temp_dir: true,
            ..Sandbox::default()
        },
    );
    let v = probe(&mut p, "write", "/tmp/inside.txt", "");
    assert_eq!(v["ok"], Value::Bool(true), "{v}");
    assert_eq!(
        probe(&mut p, "read", "/tmp/inside.txt", "")["ok"],
        Value::Bool(false),
        "each call gets a fresh dir"
    );
    assert_eq!(
        probe(&mut p, "list", "/tmp", ""),
        serde_json::json!({"ok": true, "data": ""})
    );

    let secret_path = secret.to_str().unwrap();
    assert_refused(
        &probe(&mut p, "read", secret_path, ""),
        "host absolute path",
    );
    assert_refused(&probe(&mut p, "read", "/etc/passwd", ""), "/etc/passwd");
    assert_refused(
        &probe(&mut p, "read", "/tmp/../etc/passwd", ""),
        "/tmp/../etc/passwd",
    );
    assert_refused(
        &probe(&mut p, "read", "/tmp/../../../../etc/passwd", ""),
        "many ..",
    );
    assert_refused(
        &probe(&mut p, "write", "/tmp/../escape.txt", ""),
        ".. write",
    );
    assert!(
        !tmp_parent.join("escape.txt").exists(),
        "a file escaped the temp dir"
    );
    assert_refused(
        &probe(&mut p, "symlink", "/tmp/abs-link", secret_path),
        "absolute symlink",
    );
    assert_refused(
        &probe(&mut p, "symlink", "/tmp/rel-link", "../../../../etc/passwd"),
        "relative symlink",
    );
    let rel_to_secret = format!(
        "../{}",
        secret
            .strip_prefix(&tmp_parent)
            .map(|p| p.display().to_string())
            .unwrap_or_default()
    );
    assert_refused(
        &probe(&mut p, "symlink", "/tmp/sib-link", &rel_to_secret),
        "symlink to a sibling dir",
    );
    assert_refused(
        &probe(&mut p, "mkdir", "/tmp/../made-by-plugin", ""),
        ".. mkdir",
    );
    assert!(!tmp_parent.join("made-by-plugin").exists());
    assert_eq!(std::fs::read_to_string(&secret).unwrap(), "host secret");
    assert_still_works(&mut p);
}

// ------------------------------------------------------------- environment

#[test]
fn no_ambient_environment_args_or_files() {
    // SAFETY of the assertion: the test process has PATH and HOME; the guest
    // must see none of them.
    assert!(std::env::var_os("PATH").is_some());
    let mut p = plugin("adv-env", Sandbox::default());
    let v: Value = serde_json::from_slice(&p.call("probe", b"").unwrap()).unwrap();
    assert_eq!(v["vars"], serde_json::json!([]), "{v}");
    assert!(v["args"].as_array().is_some_and(|a| a.len() <= 1), "{v}");
    assert!(v["root"].as_str().unwrap().starts_with("Err"), "{v}");
    assert!(
        v["etc_hostname"].as_str().unwrap().starts_with("Err"),
        "{v}"
    );
    // The wall clock is WASI's real one.
    assert!(v["unix_time"].as_u64().unwrap() > 1_700_000_000, "{v}");

    let mut p = plugin(
        "adv-env",
        Sandbox {
            env: vec![("HELM_NAMESPACE".into(), "prod".into())],
            ..Sandbox::default()
        },
    );
    let v: Value = serde_json::from_slice(&p.call("probe", b"").unwrap()).unwrap();
    assert_eq!(
        v["vars"],
        serde_json::json!([["HELM_NAMESPACE", "prod"]]),
        "{v}"
    );
    assert_still_works(&mut p);
}

// ------------------------------------------------------------------ output

#[test]
fn huge_output_is_capped() {
    let mut p = plugin(
        "adv-output",
        Sandbox {
            max_output_bytes: Some(1 << 20),
            stdout: Output::Capture,
            ..Sandbox::default()
        },
    );
    assert_eq!(p.call("big", b"1000").unwrap().len(), 1000);
    expect_host(
        p.call("big", (2u32 << 20).to_string().as_bytes()),
        "exceeds the limit",
    );
    assert_still_works(&mut p);
    assert_eq!(p.call("stdout", b"5000").unwrap(), b"done");
    assert_eq!(p.captured_stdout().len(), 5000);
    expect_host(
        p.call("stdout", (3u32 << 20).to_string().as_bytes()),
        "the output limit",
    );
    assert!(p.captured_stdout().len() <= 1 << 20);
    assert_still_works(&mut p);

    // Without a cap, big outputs are fine within the memory budget.
    let mut p = plugin("adv-output", Sandbox::default());
    assert_eq!(
        p.call("big", (8u32 << 20).to_string().as_bytes())
            .unwrap()
            .len(),
        8 << 20
    );
}

// ------------------------------------------------------------------- traps

#[test]
fn traps_panics_and_exits_fail_cleanly() {
    let mut p = plugin(
        "adv-trap",
        Sandbox {
            stderr: Output::Capture,
            ..Sandbox::default()
        },
    );
    let msg = expect_trap(p.call("panic", b""), "unreachable");
    assert!(
        msg.contains("boom"),
        "the panic message should be shown: {msg}"
    );
    assert_still_works(&mut p);
    expect_trap(p.call("unreachable", b""), "unreachable");
    assert_still_works(&mut p);
    // Rust's shadow stack lives in linear memory: overflowing it is an
    // out-of-bounds access (deep native recursion would be "call stack
    // exhausted"); either way a trap, never a host crash.
    expect_trap(p.call("stack_overflow", b""), "");
    assert_still_works(&mut p);
    assert_eq!(
        p.call("guest_error", b""),
        Err(CallError::Guest {
            message: "guest says no".to_owned(),
            code: 3
        })
    );
    assert_still_works(&mut p);
    assert_eq!(p.call("rc_only", b""), Err(CallError::ReturnCode(7)));
    assert_still_works(&mut p);
    expect_trap(p.call("exit_3", b""), "exited with code 3");
    assert_still_works(&mut p);
    assert_eq!(p.call("exit_0", b"").unwrap(), b"before exit");
    assert_still_works(&mut p);
    expect_host(p.call("takes_param", b""), "unsupported signature");
    expect_host(
        p.call("no_such_export", b""),
        "unknown function: no_such_export",
    );
    assert_still_works(&mut p);
}

// ------------------------------------------------------ bad host arguments

#[test]
fn bogus_host_call_arguments_fail_cleanly() {
    let mut p = plugin("adv-hostcall", Sandbox::default());
    for (export, needle) in [
        ("load_oob", "load_u64: offset"),
        ("store_null", "store_u8: offset 0 is out of bounds"),
        ("output_oob", "output_set: range"),
        ("input_oob", "past the end of the input"),
        ("config_bogus", "invalid handle offset for config key"),
        ("var_bogus", "invalid handle offset for var key"),
        ("log_bogus", "invalid handle offset for log message"),
        ("http_bogus", "invalid handle offset for http request"),
    ] {
        expect_host(p.call(export, b""), needle);
        assert_still_works(&mut p);
    }
    assert_eq!(p.call("length_bogus", b"").unwrap(), b"0 0");
    assert_eq!(p.call("free_bogus", b"").unwrap(), b"survived");
    match p.call("error_bogus", b"") {
        Err(CallError::Guest { message, code: 0 }) => {
            assert!(message.contains("invalid"), "{message}")
        }
        other => panic!("expected a guest error with an invalid handle, got {other:?}"),
    }
    assert!(p.call("touch_all", b"").unwrap().starts_with(b"log level"));
    assert_still_works(&mut p);

    let mut capped = plugin(
        "adv-hostcall",
        Sandbox {
            max_output_bytes: Some(10),
            ..Sandbox::default()
        },
    );
    expect_host(
        capped.call("output_oob", b""),
        "exceeds the limit of 10 bytes",
    );
    assert_still_works(&mut capped);
}

// --------------------------------------------------------- config and vars

#[test]
fn config_is_read_only_input_and_vars_persist() {
    let mut p = plugin(
        "adv-state",
        Sandbox {
            config: BTreeMap::from([("greeting".to_owned(), "hi".to_owned())]),
            ..Sandbox::default()
        },
    );
    assert_eq!(p.call("config", b"greeting").unwrap(), b"hi");
    assert_eq!(p.call("config", b"HOME").unwrap(), b"<none>");
    assert_eq!(p.call("incr", b"").unwrap(), b"1");
    assert_eq!(p.call("incr", b"").unwrap(), b"2");
    // A failing call re-instantiates the guest; host-side vars survive.
    expect_host(p.call("missing", b""), "unknown function");
    assert_eq!(p.call("incr", b"").unwrap(), b"3");
}

#[test]
fn var_limits_match_extism() {
    let mut disabled = plugin(
        "adv-state",
        Sandbox {
            max_var_bytes: Some(0),
            ..Sandbox::default()
        },
    );
    expect_host(disabled.call("incr", b""), "Vars are disabled by this host");
    assert_still_works(&mut disabled);
    let mut small = plugin(
        "adv-state",
        Sandbox {
            max_var_bytes: Some(200),
            ..Sandbox::default()
        },
    );
    assert_eq!(small.call("set_big", b"10").unwrap(), b"stored");
    expect_host(small.call("set_big", b"1000"), "Variable store is full");
    assert_still_works(&mut small);
}

// -------------------------------------------------------------------- HTTP

fn fetch(p: &mut Plugin, url: &str) -> Result<Value, CallError> {
    p.call("fetch", url.as_bytes())
        .map(|o| serde_json::from_slice(&o).unwrap())
}

#[test]
fn http_to_a_host_that_is_not_allowed_never_leaves_the_host() {
    let server = Server::start();
    let mut p = plugin("adv-net", Sandbox::default());
    expect_host(fetch(&mut p, &server.url("/ok")), "is not allowed");
    let mut p = plugin(
        "adv-net",
        Sandbox {
            allowed_hosts: vec!["example.com".into()],
            ..Sandbox::default()
        },
    );
    expect_host(fetch(&mut p, &server.url("/ok")), "is not allowed");
    // Userinfo tricks do not change the host that is checked.
    expect_host(
        fetch(
            &mut p,
            &format!("http://example.com@127.0.0.1:{}/ok", server.port),
        ),
        "is not allowed",
    );
    assert!(
        server.requests().is_empty(),
        "the server was contacted: {:?}",
        server.requests()
    );
    assert_still_works(&mut p);
}

#[test]
fn http_to_an_allowed_host_works_and_reports_status_and_headers() {
    let server = Server::start();
    let mut p = plugin(
        "adv-net",
        Sandbox {
            allowed_hosts: vec!["127.0.0.*".into()],
            max_http_response_bytes: Some(1 << 20),
            ..Sandbox::default()
        },
    );
    let v = fetch(&mut p, &server.url("/ok")).unwrap();
    assert_eq!(v["status"], 200);
    assert_eq!(v["body"], "hello");
    assert_eq!(v["headers"]["x-test"], "a, b", "{v}");
    let v = fetch(&mut p, &server.url("/missing")).unwrap();
    assert_eq!(v["status"], 404);
}

#[test]
fn every_redirect_hop_is_checked() {
    let server = Server::start();
    let mut p = plugin(
        "adv-net",
        Sandbox {
            allowed_hosts: vec!["127.0.0.1".into()],
            max_http_response_bytes: Some(1 << 20),
            ..Sandbox::default()
        },
    );
    let target = format!("http://localhost:{}/ok", server.port);
    let msg = expect_host(
        fetch(&mut p, &server.url(&format!("/redirect?to={target}"))),
        "redirect",
    );
    assert!(msg.contains("is not allowed"), "{msg}");
    let requests = server.requests();
    assert_eq!(
        requests.len(),
        1,
        "only the first hop may reach the server: {requests:?}"
    );
    assert!(requests[0].1.starts_with("/redirect"));
    assert_still_works(&mut p);

    // Same-host redirects are followed.
    let v = fetch(
        &mut p,
        &server.url(&format!("/redirect?to={}", server.url("/ok"))),
    )
    .unwrap();
    assert_eq!(v["body"], "hello");

    // Allowed cross-host redirect: followed, but credentials are dropped.
    let mut p = plugin(
        "adv-net",
        Sandbox {
            allowed_hosts: vec!["127.0.0.1".into(), "localhost".into()],
            max_http_response_bytes: Some(1 << 20),
            ..Sandbox::default()
        },
    );
    let to = format!("http://localhost:{}/headers", server.port);
    let out = p
        .call("post", server.url(&format!("/redirect?to={to}")).as_bytes())
        .unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.starts_with("200 "), "{text}");
    assert!(
        !text.contains("authorization"),
        "credentials followed a cross-host redirect: {text}"
    );
    assert!(
        !text.contains("evil.example"),
        "a guest-chosen Host header was sent: {text}"
    );
    assert!(
        text.contains(&format!("host: localhost:{}", server.port)),
        "{text}"
    );
}

#[test]
fn http_response_size_is_capped() {
    let server = Server::start();
    let sandbox = |max| Sandbox {
        allowed_hosts: vec!["127.0.0.1".into()],
        max_http_response_bytes: max,
        ..Sandbox::default()
    };
    // Helm's effective default (0): any non-empty body fails.
    let mut p = plugin("adv-net", sandbox(Some(0)));
    expect_host(
        fetch(&mut p, &server.url("/ok")),
        "exceeds the configured maximum number of bytes: 0",
    );
    assert_still_works(&mut p);
    let mut p = plugin("adv-net", sandbox(Some(1000)));
    assert_eq!(
        fetch(&mut p, &server.url("/big?n=1000")).unwrap()["body"]
            .as_str()
            .unwrap()
            .len(),
        1000
    );
    expect_host(
        fetch(&mut p, &server.url("/big?n=1001")),
        "exceeds the configured maximum",
    );
    assert_still_works(&mut p);
}
