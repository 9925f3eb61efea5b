//! [`Plugin`]: one sandboxed instance of a [`Module`], and the Extism call
//! protocol (spec §7.2, go-sdk semantics from §6.1).
//!
//! Per call: re-create the per-call WASI context (fresh temp dir, stdio),
//! reset the Extism memory, copy the input in, call the export (no
//! parameters, zero or one `i32` result), then read the error register
//! (error text wins over the return code), the return code, and the output.
//!
//! Robustness: after any trap, timeout or out-of-memory the instance is
//! considered poisoned (its memory may be mid-update) and is transparently
//! re-instantiated before the next call; host-side variables survive that.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Instant;

use wasmtime::{Instance, ResourceLimiter, Store, UpdateDeadline, Val, ValType};
use wasmtime_wasi::I32Exit;
use wasmtime_wasi::p1::WasiP1Ctx;

use crate::arena::Arena;
use crate::sandbox::{self, Sandbox};
use crate::{CallError, Engine, ExtismError, Module};

/// Error returned by host functions to end a call (bad arguments, policy
/// refusals). Carries the user-facing message.
#[derive(Debug)]
pub(crate) struct HostTrap(pub(crate) String);

impl fmt::Display for HostTrap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for HostTrap {}

/// Error raised when a call's deadline has passed.
#[derive(Debug)]
pub(crate) struct TimeoutTrap;

impl fmt::Display for TimeoutTrap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("timeout")
    }
}

impl std::error::Error for TimeoutTrap {}

/// The sandbox settings host functions need during a call.
#[derive(Debug)]
pub(crate) struct Policy {
    pub(crate) config: BTreeMap<String, String>,
    pub(crate) allowed_hosts: Vec<String>,
    pub(crate) max_http_response_bytes: Option<u64>,
    pub(crate) max_var_bytes: Option<u64>,
    pub(crate) max_output_bytes: Option<u64>,
    /// Memory budget in bytes for all memories of the store.
    pub(crate) max_bytes: Option<u64>,
}

/// Most table elements one instance may have. Tables are not part of the
/// page budget; this keeps a `table.grow` loop from exhausting host memory.
const MAX_TABLE_ELEMENTS: usize = 1_000_000;

/// Everything a store owns: the Extism memory, WASI, limits, vars, HTTP state.
pub(crate) struct StoreState {
    pub(crate) arena: Arena,
    pub(crate) wasi: WasiP1Ctx,
    pub(crate) policy: Arc<Policy>,
    pub(crate) vars: BTreeMap<String, Vec<u8>>,
    pub(crate) http_status: u16,
    pub(crate) http_headers: BTreeMap<String, String>,
    http_agent: Option<ureq::Agent>,
    /// When the current call must stop, if it has a timeout.
    pub(crate) deadline: Option<Instant>,
    /// Bytes of guest linear memory granted so far (all memories).
    wasm_bytes: u64,
    /// Set when any allocation was refused for lack of budget; a trap after
    /// that is reported as [`CallError::OutOfMemory`].
    pub(crate) oom_hit: bool,
}

impl StoreState {
    /// Bytes still available under the memory budget.
    pub(crate) fn budget_left(&self) -> u64 {
        match self.policy.max_bytes {
            Some(max) => max.saturating_sub(self.wasm_bytes.saturating_add(self.arena.footprint())),
            None => u64::MAX,
        }
    }

    pub(crate) fn http_agent(&mut self) -> &ureq::Agent {
        self.http_agent.get_or_insert_with(crate::http::agent)
    }
}

/// Security: the memory budget. wasmtime asks before creating or growing
/// any linear memory (including the initial allocation at instantiation);
/// we refuse once guest memories plus the Extism arena would exceed
/// `max_pages`. The guest sees a failed `memory.grow` (-1), which Rust and
/// Go guests turn into an abort, reported as out-of-memory.
impl ResourceLimiter for StoreState {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let delta = desired.saturating_sub(current) as u64;
        if let Some(max) = self.policy.max_bytes {
            let total = self
                .wasm_bytes
                .saturating_add(delta)
                .saturating_add(self.arena.footprint());
            if total > max {
                self.oom_hit = true;
                return Ok(false);
            }
        }
        self.wasm_bytes = self.wasm_bytes.saturating_add(delta);
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(desired <= MAX_TABLE_ELEMENTS)
    }
}

/// One instance (wasmtime `Store`) of a [`Module`] running under a
/// [`Sandbox`]. Reusable for many calls (warm); not `Sync` (one call at a
/// time), but `Send`.
pub struct Plugin {
    engine: Engine,
    module: Module,
    sandbox: Sandbox,
    policy: Arc<Policy>,
    store: Store<StoreState>,
    instance: Instance,
    /// `_initialize` / `__wasm_call_ctors` has run on this instance.
    initialized: bool,
    /// The instance trapped; re-instantiate before the next call.
    poisoned: bool,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

impl Drop for Plugin {
    fn drop(&mut self) {
        let buf = self.store.data_mut().arena.take_buffer();
        self.engine.return_buffer(buf);
    }
}

impl fmt::Debug for Plugin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Plugin")
            .field("module", &self.module)
            .field("sandbox", &self.sandbox)
            .finish_non_exhaustive()
    }
}

impl Plugin {
    /// Instantiate `module` under `sandbox`. The module's start function, if
    /// any, runs here (bounded by the sandbox's timeout and memory budget).
    pub fn new(engine: &Engine, module: &Module, sandbox: Sandbox) -> Result<Plugin, ExtismError> {
        if !wasmtime::Engine::same(&engine.inner.engine, module.inner.module.engine()) {
            return Err(ExtismError::Instantiate(
                "the module was compiled by a different Engine".to_owned(),
            ));
        }
        let policy = Arc::new(Policy {
            config: sandbox.config.clone(),
            allowed_hosts: sandbox.allowed_hosts.clone(),
            max_http_response_bytes: sandbox.max_http_response_bytes,
            max_var_bytes: sandbox.max_var_bytes,
            max_output_bytes: sandbox.max_output_bytes,
            max_bytes: sandbox.max_bytes(),
        });
        let (store, instance) = instantiate(engine, module, &sandbox, &policy, BTreeMap::new())?;
        Ok(Plugin {
            engine: engine.clone(),
            module: module.clone(),
            sandbox,
            policy,
            store,
            instance,
            initialized: false,
            poisoned: false,
            stdout: Vec::new(),
            stderr: Vec::new(),
        })
    }

    /// The sandbox this plugin runs with.
    pub fn sandbox(&self) -> &Sandbox {
        &self.sandbox
    }

    /// Does the module export a function called `name`?
    pub fn function_exists(&self, name: &str) -> bool {
        self.module
            .inner
            .module
            .get_export(name)
            .is_some_and(|e| e.func().is_some())
    }

    /// What the guest wrote to stdout during the last call (only with
    /// [`crate::Output::Capture`]).
    pub fn captured_stdout(&self) -> &[u8] {
        &self.stdout
    }

    /// What the guest wrote to stderr during the last call (only with
    /// [`crate::Output::Capture`]).
    pub fn captured_stderr(&self) -> &[u8] {
        &self.stderr
    }

    /// Call the export `export` with `input`; returns the guest's output.
    pub fn call(&mut self, export: &str, input: &[u8]) -> Result<Vec<u8>, CallError> {
        self.stdout.clear();
        self.stderr.clear();
        if self.poisoned {
            let vars = std::mem::take(&mut self.store.data_mut().vars);
            let (store, instance) = instantiate(
                &self.engine,
                &self.module,
                &self.sandbox,
                &self.policy,
                vars,
            )
            .map_err(|e| {
                CallError::Host(format!(
                    "cannot restart the plugin after its last failure: {e}"
                ))
            })?;
            self.store = store;
            self.instance = instance;
            self.initialized = false;
            self.poisoned = false;
        }

        // Per-call resources: temp dir and WASI context.
        let temp_dir = if self.sandbox.temp_dir {
            Some(
                tempfile::Builder::new()
                    .prefix("rudder-plugin-")
                    .tempdir()
                    .map_err(|e| {
                        CallError::Host(format!("cannot create the plugin's temp dir: {e}"))
                    })?,
            )
        } else {
            None
        };
        // Sandboxes without per-call state (temp dir, stdin bytes, capture
        // pipes) keep the WASI context built at instantiation: building one
        // seeds fresh RNGs, which is a measurable part of a small call.
        let per_call = self.sandbox.per_call_wasi();
        let (out_pipe, err_pipe) = if per_call {
            let wasi = sandbox::build_wasi(
                &self.sandbox,
                temp_dir.as_ref().map(tempfile::TempDir::path),
            )
            .map_err(|e| CallError::Host(e.to_string()))?;
            self.store.data_mut().wasi = wasi.ctx;
            (wasi.stdout, wasi.stderr)
        } else {
            (None, None)
        };

        let timeout = self.sandbox.effective_timeout();
        let _tick = timeout.map(|_| self.engine.inner.ticker.enter());
        self.store.data_mut().deadline = timeout.map(|t| Instant::now() + t);
        self.store.data_mut().oom_hit = false;
        self.store.set_epoch_deadline(1);

        let mut result = self.call_inner(export, input);

        // Collect stdio, then tear the per-call resources down.
        let cap = self.sandbox.max_output_bytes;
        for (pipe, buf, name) in [
            (out_pipe, &mut self.stdout, "stdout"),
            (err_pipe, &mut self.stderr, "stderr"),
        ] {
            if let Some(pipe) = pipe {
                *buf = pipe.contents().to_vec();
                if let Some(cap) = cap
                    && buf.len() as u64 > cap
                {
                    buf.truncate(usize::try_from(cap).unwrap_or(usize::MAX));
                    result = Err(CallError::Host(format!(
                        "plugin wrote more than {cap} bytes to {name} (the output limit)"
                    )));
                }
            }
        }
        if let Err(CallError::Trap(msg)) = &result {
            result = Err(if msg.contains("beyond capacity of MemoryOutputPipe") {
                CallError::Host(format!(
                    "plugin wrote more than {} bytes to stdout or stderr (the output limit)",
                    cap.unwrap_or(u64::MAX)
                ))
            } else if let Some(tail) = stderr_tail(&self.stderr) {
                // A panicking Rust guest prints the reason to stderr just
                // before trapping; show it with the trap when we have it.
                CallError::Trap(format!("{msg} (stderr: {tail})"))
            } else {
                CallError::Trap(msg.clone())
            });
        }
        let state = self.store.data_mut();
        if per_call {
            state.wasi = sandbox::empty_wasi();
        }
        state.deadline = None;
        if let Some(dir) = temp_dir {
            let path = dir.path().to_owned();
            if let Err(e) = dir.close() {
                tracing::warn!(dir = %path.display(), "failed to remove plugin temp dir: {e}");
            }
        }
        if matches!(
            result,
            Err(CallError::Timeout
                | CallError::OutOfMemory
                | CallError::Trap(_)
                | CallError::Host(_))
        ) {
            self.poisoned = true;
        }
        result
    }

    fn call_inner(&mut self, export: &str, input: &[u8]) -> Result<Vec<u8>, CallError> {
        if !self.initialized {
            self.initialize()?;
        }
        let func = self
            .instance
            .get_func(&mut self.store, export)
            .ok_or_else(|| CallError::Host(format!("unknown function: {export}")))?;
        let ty = func.ty(&self.store);
        let results: Vec<ValType> = ty.results().collect();
        if ty.params().len() != 0
            || !(results.is_empty() || (results.len() == 1 && matches!(results[0], ValType::I32)))
        {
            return Err(CallError::Host(format!(
                "function {export} has an unsupported signature (expected no parameters and an optional i32 result)"
            )));
        }

        // Extism protocol: reset, copy input, input_set, clear error.
        let state = self.store.data_mut();
        state.arena.reset();
        state.http_status = 0;
        state.http_headers.clear();
        let budget = state.budget_left();
        let handle = state
            .arena
            .alloc_bytes(input, budget)
            .map_err(|_| CallError::OutOfMemory)?;
        state
            .arena
            .set_input(handle, input.len() as u64)
            .ok_or_else(|| CallError::Host("cannot place the input in plugin memory".to_owned()))?;
        state.arena.set_error(0);

        let mut out = vec![Val::I32(0); results.len()];
        let mut exited = false;
        if let Err(e) = func.call(&mut self.store, &[], &mut out) {
            match e.downcast_ref::<I32Exit>() {
                // WASI proc_exit(0) is a successful return (go-sdk
                // semantics); the runtime has shut down, so restart later.
                Some(I32Exit(0)) => exited = true,
                Some(I32Exit(code)) => {
                    return Err(CallError::Trap(format!(
                        "plugin exited with code {code} (WASI proc_exit)"
                    )));
                }
                None => return Err(self.classify(&e)),
            }
        }
        if exited {
            self.poisoned = true;
        }
        let rc = out.first().and_then(Val::i32).unwrap_or(0);
        let arena = &self.store.data().arena;
        let err = arena.error();
        if err != 0 {
            let message = match arena.block_bytes(err) {
                Some(bytes) => String::from_utf8_lossy(bytes).into_owned(),
                None => format!(
                    "(the plugin reported an error, but its message handle {err} is invalid)"
                ),
            };
            return Err(CallError::Guest { message, code: rc });
        }
        if rc != 0 {
            return Err(CallError::ReturnCode(rc));
        }
        arena
            .output_bytes()
            .map(<[u8]>::to_vec)
            .ok_or_else(|| CallError::Host("the plugin's output range is invalid".to_owned()))
    }

    /// Run the guest runtime's initialiser once: `_initialize` (WASI
    /// reactors, Go `-buildmode=c-shared`) if exported, else
    /// `__wasm_call_ctors` (static constructors of C/Rust cdylibs).
    fn initialize(&mut self) -> Result<(), CallError> {
        for name in ["_initialize", "__wasm_call_ctors"] {
            if let Some(f) = self.instance.get_func(&mut self.store, name) {
                let typed = f.typed::<(), ()>(&self.store).map_err(|_| {
                    CallError::Host(format!(
                        "{name} has an unsupported signature (expected no parameters, no results)"
                    ))
                })?;
                typed
                    .call(&mut self.store, ())
                    .map_err(|e| match self.classify(&e) {
                        CallError::Trap(msg) => {
                            CallError::Trap(format!("plugin initialisation ({name}) failed: {msg}"))
                        }
                        other => other,
                    })?;
                break;
            }
        }
        self.initialized = true;
        Ok(())
    }

    /// Map a wasmtime error from a call to a [`CallError`].
    fn classify(&self, e: &wasmtime::Error) -> CallError {
        if e.downcast_ref::<TimeoutTrap>().is_some()
            || matches!(
                e.downcast_ref::<wasmtime::Trap>(),
                Some(wasmtime::Trap::Interrupt)
            )
        {
            return CallError::Timeout;
        }
        if self.store.data().oom_hit {
            return CallError::OutOfMemory;
        }
        if let Some(h) = e.downcast_ref::<HostTrap>() {
            return CallError::Host(h.0.clone());
        }
        if let Some(trap) = e.downcast_ref::<wasmtime::Trap>() {
            return CallError::Trap(trap.to_string());
        }
        CallError::Trap(format!("{e:#}"))
    }
}

/// What a trap message should quote from the guest's stderr: a Rust panic
/// ("panicked at <loc>:" plus the message line) if there is one, else the
/// last non-empty line; shortened.
fn stderr_tail(stderr: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(stderr);
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let tail = match lines.iter().rposition(|l| l.contains("panicked at")) {
        Some(i) => match lines.get(i + 1) {
            Some(next) if !next.starts_with("note:") => format!("{} {next}", lines[i]),
            _ => lines[i].to_owned(),
        },
        None => (*lines.last()?).to_owned(),
    };
    Some(tail.chars().take(400).collect())
}

/// Create a store with its limits and epoch callback, and instantiate.
fn instantiate(
    engine: &Engine,
    module: &Module,
    sandbox: &Sandbox,
    policy: &Arc<Policy>,
    vars: BTreeMap<String, Vec<u8>>,
) -> Result<(Store<StoreState>, Instance), ExtismError> {
    let state = StoreState {
        arena: Arena::with_buffer(engine.take_buffer()),
        wasi: if sandbox.per_call_wasi() {
            sandbox::empty_wasi()
        } else {
            sandbox::build_wasi(sandbox, None)?.ctx
        },
        policy: Arc::clone(policy),
        vars,
        http_status: 0,
        http_headers: BTreeMap::new(),
        http_agent: None,
        deadline: None,
        wasm_bytes: 0,
        oom_hit: false,
    };
    let mut store = Store::new(&engine.inner.engine, state);
    store.limiter(|s| s as &mut dyn ResourceLimiter);
    // Security: timeouts. The engine's ticker bumps the epoch every few ms
    // while any timed call runs; at each bump wasm code calls back here and
    // we stop it once its own deadline has passed. Without a deadline we
    // just extend, so untimed plugins are never interrupted.
    store.epoch_deadline_callback(|ctx| match ctx.data().deadline {
        Some(d) if Instant::now() >= d => Err(wasmtime::Error::new(TimeoutTrap)),
        _ => Ok(UpdateDeadline::Continue(1)),
    });
    store.set_epoch_deadline(1);

    // A start function runs during instantiation: bound it like a call.
    let timeout = sandbox.effective_timeout();
    let _tick = timeout.map(|_| engine.inner.ticker.enter());
    store.data_mut().deadline = timeout.map(|t| Instant::now() + t);
    let instance = module.inner.pre.instantiate(&mut store).map_err(|e| {
        if store.data().oom_hit {
            ExtismError::Instantiate(
                "the module needs more memory than its memory limit (maxPages) allows".to_owned(),
            )
        } else if e.downcast_ref::<TimeoutTrap>().is_some() {
            ExtismError::Instantiate("the module's start function exceeded the timeout".to_owned())
        } else {
            ExtismError::Instantiate(format!("{e:#}"))
        }
    })?;
    store.data_mut().deadline = None;
    Ok((store, instance))
}
