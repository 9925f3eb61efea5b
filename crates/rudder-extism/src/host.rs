//! The `extism:host/env` import module: Extism's kernel functions (memory,
//! input/output, errors) implemented over [`crate::arena::Arena`], plus the
//! standard Extism host functions (`config_get`, vars, HTTP, logging).
//!
//! Security: every function here receives raw guest integers. None of them
//! is trusted: handles are looked up, offsets and lengths are range-checked
//! by the arena, strings are UTF-8-validated, and anything invalid becomes a
//! [`HostTrap`] error that ends the call with a message naming the import.
//! Nothing here can panic on guest input. Functions that take ownership of a
//! handle (key, message, request) free it, as upstream does.

use std::time::Instant;

use wasmtime::{Caller, Linker};

use crate::arena::AllocError;
use crate::http;
use crate::plugin::{HostTrap, StoreState, TimeoutTrap};

/// Import module name used by extism-pdk, go-pdk and the other PDKs.
pub(crate) const ENV: &str = "extism:host/env";

/// Every function this module provides, for import checking and tests.
pub(crate) const ENV_FUNCTIONS: &[&str] = &[
    "alloc",
    "free",
    "length",
    "length_unsafe",
    "load_u8",
    "load_u64",
    "store_u8",
    "store_u64",
    "input_load_u8",
    "input_load_u64",
    "input_length",
    "input_offset",
    "input_set",
    "output_set",
    "output_length",
    "output_offset",
    "error_set",
    "error_get",
    "reset",
    "memory_bytes",
    "config_get",
    "var_get",
    "var_set",
    "http_request",
    "http_status_code",
    "http_headers",
    "log_trace",
    "log_debug",
    "log_info",
    "log_warn",
    "log_error",
    "get_log_level",
];

/// Does the host provide `module::name`? WASI preview 1 functions are
/// provided by wasmtime-wasi and validated by the linker.
pub(crate) fn provides(module: &str, name: &str) -> bool {
    match module {
        ENV => ENV_FUNCTIONS.contains(&name),
        "wasi_snapshot_preview1" => true,
        _ => false,
    }
}

type R<T> = wasmtime::Result<T>;

fn trap(msg: String) -> wasmtime::Error {
    wasmtime::Error::new(HostTrap(msg))
}

/// Guest integers are signed in Wasm but are unsigned offsets in the ABI
/// (u64 passed as i64): reinterpret the bits, never range-check here.
fn u(v: i64) -> u64 {
    v as u64
}

/// The reverse of [`u`].
fn s(v: u64) -> i64 {
    v as i64
}

/// Allocate `data` in the arena for a result; budget failures are recorded
/// as out-of-memory and end the call.
fn alloc_result(state: &mut StoreState, data: &[u8], what: &str) -> R<i64> {
    let budget = state.budget_left();
    match state.arena.alloc_bytes(data, budget) {
        Ok(h) => Ok(s(h)),
        Err(_) => {
            state.oom_hit = true;
            Err(trap(format!(
                "{what}: out of memory storing {} bytes",
                data.len()
            )))
        }
    }
}

/// Read an owned string argument (key, log message), then free its block.
fn take_string(state: &mut StoreState, handle: i64, what: &str) -> R<String> {
    let h = u(handle);
    let bytes = state
        .arena
        .block_bytes(h)
        .ok_or_else(|| trap(format!("invalid handle offset for {what}: {h}")))?;
    let text = std::str::from_utf8(bytes)
        .map_err(|_| trap(format!("{what} is not valid UTF-8")))?
        .to_owned();
    state.arena.free(h);
    Ok(text)
}

/// Build the linker: WASI preview 1 plus `extism:host/env`.
pub(crate) fn linker(engine: &wasmtime::Engine) -> R<Linker<StoreState>> {
    let mut l: Linker<StoreState> = Linker::new(engine);
    wasmtime_wasi::p1::add_to_linker_sync(&mut l, |s: &mut StoreState| &mut s.wasi)?;
    add_kernel(&mut l)?;
    add_host_functions(&mut l)?;
    Ok(l)
}

fn add_kernel(l: &mut Linker<StoreState>) -> R<()> {
    l.func_wrap(
        ENV,
        "alloc",
        |mut c: Caller<'_, StoreState>, n: i64| -> R<i64> {
            let state = c.data_mut();
            let budget = state.budget_left();
            match state.arena.alloc(u(n), budget) {
                Ok(h) => Ok(s(h)),
                // The kernel contract: 0 on failure. Remember a budget failure
                // so the trap that usually follows is reported as OOM.
                Err(AllocError::Budget | AllocError::Host) => {
                    state.oom_hit = true;
                    Ok(0)
                }
            }
        },
    )?;
    l.func_wrap(ENV, "free", |mut c: Caller<'_, StoreState>, h: i64| {
        c.data_mut().arena.free(u(h));
    })?;
    l.func_wrap(ENV, "length", |c: Caller<'_, StoreState>, h: i64| -> i64 {
        s(c.data().arena.length(u(h)))
    })?;
    l.func_wrap(
        ENV,
        "length_unsafe",
        |c: Caller<'_, StoreState>, h: i64| -> i64 { s(c.data().arena.length(u(h))) },
    )?;
    l.func_wrap(
        ENV,
        "load_u8",
        |c: Caller<'_, StoreState>, p: i64| -> R<i32> {
            c.data()
                .arena
                .load_u8(u(p))
                .map(i32::from)
                .ok_or_else(|| trap(format!("load_u8: offset {} is out of bounds", u(p))))
        },
    )?;
    l.func_wrap(
        ENV,
        "load_u64",
        |c: Caller<'_, StoreState>, p: i64| -> R<i64> {
            c.data()
                .arena
                .load_u64(u(p))
                .map(s)
                .ok_or_else(|| trap(format!("load_u64: offset {} is out of bounds", u(p))))
        },
    )?;
    l.func_wrap(
        ENV,
        "store_u8",
        |mut c: Caller<'_, StoreState>, p: i64, v: i32| -> R<()> {
            // The ABI passes a byte as i32; only the low 8 bits count.
            let byte = v as u8;
            c.data_mut()
                .arena
                .store_u8(u(p), byte)
                .ok_or_else(|| trap(format!("store_u8: offset {} is out of bounds", u(p))))
        },
    )?;
    l.func_wrap(
        ENV,
        "store_u64",
        |mut c: Caller<'_, StoreState>, p: i64, v: i64| -> R<()> {
            c.data_mut()
                .arena
                .store_u64(u(p), u(v))
                .ok_or_else(|| trap(format!("store_u64: offset {} is out of bounds", u(p))))
        },
    )?;
    l.func_wrap(
        ENV,
        "input_load_u8",
        |c: Caller<'_, StoreState>, i: i64| -> R<i32> {
            let a = &c.data().arena;
            a.input_load_u8(u(i)).map(i32::from).ok_or_else(|| {
                trap(format!(
                    "input_load_u8: offset {} is past the end of the input ({} bytes)",
                    u(i),
                    a.input().1
                ))
            })
        },
    )?;
    l.func_wrap(
        ENV,
        "input_load_u64",
        |c: Caller<'_, StoreState>, i: i64| -> R<i64> {
            let a = &c.data().arena;
            a.input_load_u64(u(i)).map(s).ok_or_else(|| {
                trap(format!(
                    "input_load_u64: offset {} is past the end of the input ({} bytes)",
                    u(i),
                    a.input().1
                ))
            })
        },
    )?;
    l.func_wrap(ENV, "input_length", |c: Caller<'_, StoreState>| -> i64 {
        s(c.data().arena.input().1)
    })?;
    l.func_wrap(ENV, "input_offset", |c: Caller<'_, StoreState>| -> i64 {
        s(c.data().arena.input().0)
    })?;
    l.func_wrap(
        ENV,
        "input_set",
        |mut c: Caller<'_, StoreState>, p: i64, n: i64| -> R<()> {
            c.data_mut().arena.set_input(u(p), u(n)).ok_or_else(|| {
                trap(format!(
                    "input_set: range {}+{} is out of bounds",
                    u(p),
                    u(n)
                ))
            })
        },
    )?;
    l.func_wrap(
        ENV,
        "output_set",
        |mut c: Caller<'_, StoreState>, p: i64, n: i64| -> R<()> {
            let state = c.data_mut();
            if let Some(cap) = state.policy.max_output_bytes
                && u(n) > cap
            {
                return Err(trap(format!(
                    "plugin output of {} bytes exceeds the limit of {cap} bytes",
                    u(n)
                )));
            }
            state.arena.set_output(u(p), u(n)).ok_or_else(|| {
                trap(format!(
                    "output_set: range {}+{} is out of bounds",
                    u(p),
                    u(n)
                ))
            })
        },
    )?;
    l.func_wrap(ENV, "output_length", |c: Caller<'_, StoreState>| -> i64 {
        s(c.data().arena.output().1)
    })?;
    l.func_wrap(ENV, "output_offset", |c: Caller<'_, StoreState>| -> i64 {
        s(c.data().arena.output().0)
    })?;
    l.func_wrap(ENV, "error_set", |mut c: Caller<'_, StoreState>, h: i64| {
        c.data_mut().arena.set_error(u(h));
    })?;
    l.func_wrap(ENV, "error_get", |c: Caller<'_, StoreState>| -> i64 {
        s(c.data().arena.error())
    })?;
    l.func_wrap(ENV, "reset", |mut c: Caller<'_, StoreState>| {
        c.data_mut().arena.reset();
    })?;
    l.func_wrap(ENV, "memory_bytes", |c: Caller<'_, StoreState>| -> i64 {
        s(c.data().arena.footprint())
    })?;
    Ok(())
}

fn add_host_functions(l: &mut Linker<StoreState>) -> R<()> {
    l.func_wrap(
        ENV,
        "config_get",
        |mut c: Caller<'_, StoreState>, key: i64| -> R<i64> {
            let state = c.data_mut();
            let key = take_string(state, key, "config key")?;
            let policy = std::sync::Arc::clone(&state.policy);
            match policy.config.get(&key) {
                Some(v) => alloc_result(state, v.as_bytes(), "config_get"),
                None => Ok(0),
            }
        },
    )?;
    l.func_wrap(
        ENV,
        "var_get",
        |mut c: Caller<'_, StoreState>, key: i64| -> R<i64> {
            let state = c.data_mut();
            let key = take_string(state, key, "var key")?;
            match state.vars.get(&key).cloned() {
                Some(v) => alloc_result(state, &v, "var_get"),
                None => Ok(0),
            }
        },
    )?;
    l.func_wrap(
        ENV,
        "var_set",
        |mut c: Caller<'_, StoreState>, key: i64, value: i64| -> R<()> {
            let state = c.data_mut();
            let limit = state.policy.max_var_bytes.unwrap_or(DEFAULT_MAX_VAR_BYTES);
            if limit == 0 {
                return Err(trap("Vars are disabled by this host".to_owned()));
            }
            let key = take_string(state, key, "var key")?;
            if value == 0 {
                state.vars.remove(&key);
                return Ok(());
            }
            let vh = u(value);
            let bytes = state
                .arena
                .block_bytes(vh)
                .ok_or_else(|| trap(format!("invalid handle offset for var value: {vh}")))?
                .to_vec();
            state.arena.free(vh);
            // Estimate like Extism: every entry costs its key and value plus
            // the String/Vec headers; the entry being replaced is not counted.
            let entry = |k: &str, v: &[u8]| (k.len() + v.len() + VAR_ENTRY_OVERHEAD) as u64;
            let others: u64 = state
                .vars
                .iter()
                .filter(|(k, _)| **k != key)
                .map(|(k, v)| entry(k, v))
                .sum();
            if others + entry(&key, &bytes) > limit {
                return Err(trap("Variable store is full".to_owned()));
            }
            state.vars.insert(key, bytes);
            Ok(())
        },
    )?;
    l.func_wrap(
        ENV,
        "http_request",
        |mut c: Caller<'_, StoreState>, req: i64, body: i64| -> R<i64> {
            let state = c.data_mut();
            state.http_status = 0;
            state.http_headers.clear();
            let rh = u(req);
            let req_bytes = state
                .arena
                .block_bytes(rh)
                .ok_or_else(|| trap(format!("invalid handle offset for http request: {rh}")))?
                .to_vec();
            state.arena.free(rh);
            let request: http::Request = serde_json::from_slice(&req_bytes)
                .map_err(|e| trap(format!("http_request: invalid request JSON: {e}")))?;
            let body = match u(body) {
                0 => None,
                bh => {
                    let b = state
                        .arena
                        .block_bytes(bh)
                        .ok_or_else(|| {
                            trap(format!("invalid handle offset for http request body: {bh}"))
                        })?
                        .to_vec();
                    state.arena.free(bh);
                    Some(b)
                }
            };
            let remaining = match state.deadline {
                Some(d) => {
                    let left = d.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(wasmtime::Error::new(TimeoutTrap));
                    }
                    Some(left)
                }
                None => None,
            };
            let max = state
                .policy
                .max_http_response_bytes
                .unwrap_or(http::DEFAULT_MAX_RESPONSE_BYTES);
            let policy = std::sync::Arc::clone(&state.policy);
            let agent = state.http_agent().clone();
            let response = match http::execute(
                &agent,
                &policy.allowed_hosts,
                max,
                &request,
                body,
                remaining,
            ) {
                Ok(r) => r,
                Err(msg) if msg == "timeout" => return Err(wasmtime::Error::new(TimeoutTrap)),
                Err(msg) if msg.contains("timed out") || msg.contains("Timeout") => {
                    if state.deadline.is_some_and(|d| Instant::now() >= d) {
                        return Err(wasmtime::Error::new(TimeoutTrap));
                    }
                    return Err(trap(msg));
                }
                Err(msg) => return Err(trap(msg)),
            };
            state.http_status = response.status;
            state.http_headers = response.headers;
            if response.body.is_empty() {
                return Ok(0);
            }
            alloc_result(state, &response.body, "http_request")
        },
    )?;
    l.func_wrap(
        ENV,
        "http_status_code",
        |c: Caller<'_, StoreState>| -> i32 { i32::from(c.data().http_status) },
    )?;
    l.func_wrap(
        ENV,
        "http_headers",
        |mut c: Caller<'_, StoreState>| -> R<i64> {
            let state = c.data_mut();
            let json = serde_json::to_vec(&state.http_headers)
                .map_err(|e| trap(format!("http_headers: {e}")))?;
            alloc_result(state, &json, "http_headers")
        },
    )?;
    for (name, level) in [
        ("log_trace", tracing::Level::TRACE),
        ("log_debug", tracing::Level::DEBUG),
        ("log_info", tracing::Level::INFO),
        ("log_warn", tracing::Level::WARN),
        ("log_error", tracing::Level::ERROR),
    ] {
        l.func_wrap(
            ENV,
            name,
            move |mut c: Caller<'_, StoreState>, msg: i64| -> R<()> {
                let state = c.data_mut();
                // The handle is validated (and freed) even when the level is
                // filtered out, so a guest bug does not hide behind the host's
                // log settings.
                let text = take_string(state, msg, "log message")?;
                if tracing::level_filters::LevelFilter::current() >= level {
                    log(level, &text);
                }
                Ok(())
            },
        )?;
    }
    l.func_wrap(ENV, "get_log_level", |_c: Caller<'_, StoreState>| -> i32 {
        use tracing::level_filters::LevelFilter;
        match LevelFilter::current() {
            LevelFilter::OFF => i32::MAX,
            f if f >= LevelFilter::TRACE => 0,
            f if f >= LevelFilter::DEBUG => 1,
            f if f >= LevelFilter::INFO => 2,
            f if f >= LevelFilter::WARN => 3,
            _ => 4,
        }
    })?;
    Ok(())
}

/// Extism's default `max_var_bytes` (1 MiB).
const DEFAULT_MAX_VAR_BYTES: u64 = 1024 * 1024;

/// Per-entry overhead used in the var-store estimate (String + Vec headers).
const VAR_ENTRY_OVERHEAD: usize = 2 * std::mem::size_of::<Vec<u8>>();

/// Guest log lines go to `tracing` under the target `rudder_extism::guest`.
fn log(level: tracing::Level, text: &str) {
    match level {
        tracing::Level::TRACE => tracing::trace!(target: "rudder_extism::guest", "{text}"),
        tracing::Level::DEBUG => tracing::debug!(target: "rudder_extism::guest", "{text}"),
        tracing::Level::INFO => tracing::info!(target: "rudder_extism::guest", "{text}"),
        tracing::Level::WARN => tracing::warn!(target: "rudder_extism::guest", "{text}"),
        tracing::Level::ERROR => tracing::error!(target: "rudder_extism::guest", "{text}"),
    }
}
