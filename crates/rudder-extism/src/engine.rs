//! [`Engine`] (one configured wasmtime engine, its linker, the compiled-module
//! caches and the timeout ticker) and [`Module`] (a compiled plugin).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use sha2::{Digest, Sha256};
use wasmtime::{InstancePre, Linker};

use crate::ExtismError;
use crate::cache::{DiskCache, FileStamp};
use crate::host;
use crate::plugin::StoreState;

/// Engine settings. The default: no disk cache, no instance pool.
#[derive(Debug, Clone, Default)]
pub struct EngineConfig {
    /// Directory for precompiled native code (`<sha256>-<fingerprint>.cwasm`
    /// files). `None` = compile in memory only. rudder points this at
    /// `$HELM_CACHE_HOME/rudder/wasm`. The directory is created on first use; if it
    /// cannot be created or written, compilation still succeeds uncached.
    pub cache_dir: Option<PathBuf>,
    /// Reuse instance slots across calls instead of mapping fresh memory
    /// for every instance. `None` = wasmtime's on-demand allocator, which
    /// costs nothing up front; the pool pays off from the second call on.
    pub instance_pool: Option<InstancePool>,
}

/// Pooled instance slots (wasmtime's pooling allocator).
///
/// A plugin call is a new instance, and a new instance on the on-demand
/// allocator is a fresh memory mapping: every page the guest touches is a
/// page fault plus zeroing, and the mapping is torn down afterwards. With a
/// 5 MiB post-render input that is ~30 MiB of guest memory, and the kernel's
/// share was about a quarter of the call. Pooled slots stay mapped; a
/// released slot is reset to zero before anyone else gets it.
///
/// Security: a slot can next hold a *different* plugin, so the reset is the
/// isolation boundary. wasmtime performs it on release: up to
/// [`keep_resident_bytes`](Self::keep_resident_bytes) of the memory are
/// zeroed in place (on Linux >= 6.7 only the pages actually written, found
/// with the `PAGEMAP_SCAN` ioctl), the rest is returned to the kernel with
/// `madvise(MADV_DONTNEED)`, which also reads back as zeros. Nothing of a
/// previous instance is visible to the next one.
///
/// Cost: creating the pool adds ~0.2 ms to engine creation (measured with
/// 16 slots); warm 5 MiB post-render calls got ~15% faster.
///
/// Limits: every instance alive at once holds a slot, so at most
/// [`max_instances`](Self::max_instances) plugin instances can exist in the
/// engine at a time; instantiating one more fails with an error rather
/// than waiting. Each slot reserves (does not commit) 4 GiB of address
/// space for its memory plus guard pages, as the on-demand allocator does
/// per instance. A pooled module may have at most one memory and one
/// table (what every PDK produces); others fail to instantiate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstancePool {
    /// Most instances alive at once in this engine.
    pub max_instances: u32,
    /// Bytes of each released memory reset in place and kept resident.
    pub keep_resident_bytes: usize,
    /// Largest function table a pooled module may declare, in elements
    /// (Go-built plugins have tables of several thousand entries).
    pub max_table_elements: usize,
}

impl Default for InstancePool {
    fn default() -> InstancePool {
        InstancePool {
            max_instances: 16,
            keep_resident_bytes: 64 << 20,
            max_table_elements: 1 << 16,
        }
    }
}

/// A configured wasmtime engine shared by all plugins of a process.
///
/// Cheap to clone (`Arc` inside), `Send + Sync`. Compiles each distinct
/// module once per process (an in-memory map keyed by the Wasm's SHA-256)
/// and, with [`EngineConfig::cache_dir`], once per machine.
#[derive(Clone)]
pub struct Engine {
    pub(crate) inner: Arc<EngineInner>,
}

pub(crate) struct EngineInner {
    pub(crate) engine: wasmtime::Engine,
    linker: Linker<StoreState>,
    disk: Option<DiskCache>,
    modules: Mutex<HashMap<[u8; 32], Module>>,
    /// `load_file` paths already compiled, with the file's identity then:
    /// a warm call on an unchanged file neither reads nor hashes it again
    /// (hashing 3.7 MB of Wasm costs milliseconds).
    files: Mutex<HashMap<PathBuf, (FileStamp, [u8; 32])>>,
    /// Held while compiling, so two threads asking for the same module do
    /// not both run Cranelift (compilation itself is parallel inside).
    compiling: Mutex<()>,
    stats: Mutex<CacheStats>,
    pub(crate) ticker: Arc<Ticker>,
    /// Extism-memory buffers of dropped plugins, kept so the next plugin's
    /// arena grows into pages that are already mapped and resident instead
    /// of faulting in (and reallocating) megabytes on every call.
    spare_buffers: Mutex<Vec<Vec<u8>>>,
}

/// Where [`Engine::compile`] found its modules so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Served from this process's in-memory map.
    pub memory_hits: u64,
    /// Loaded (after verification) from the disk cache.
    pub disk_hits: u64,
    /// Compiled with Cranelift.
    pub compiles: u64,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("cache_dir", &self.inner.disk.as_ref().map(DiskCache::dir))
            .finish_non_exhaustive()
    }
}

/// A compiled plugin module. Cheap to clone, `Send + Sync`.
#[derive(Clone)]
pub struct Module {
    pub(crate) inner: Arc<ModuleInner>,
}

pub(crate) struct ModuleInner {
    pub(crate) module: wasmtime::Module,
    /// Imports resolved against the engine's linker once, at compile time.
    pub(crate) pre: InstancePre<StoreState>,
    sha256: [u8; 32],
}

impl std::fmt::Debug for Module {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Module")
            .field("sha256", &hex(&self.inner.sha256))
            .finish_non_exhaustive()
    }
}

impl Module {
    /// SHA-256 of the Wasm bytes this module was compiled from.
    pub fn sha256(&self) -> [u8; 32] {
        self.inner.sha256
    }

    /// Names of the module's exported functions (e.g. to check that the
    /// configured entry point exists before calling it).
    pub fn exported_functions(&self) -> Vec<String> {
        self.inner
            .module
            .exports()
            .filter(|e| e.ty().func().is_some())
            .map(|e| e.name().to_owned())
            .collect()
    }
}

/// Spare arena buffers kept per engine, and the largest one kept: enough
/// for sequential calls and a little concurrency without holding on to a
/// huge buffer after one outsized call.
const SPARE_BUFFERS: usize = 4;
const SPARE_BUFFER_MAX_BYTES: usize = 256 << 20;

impl Engine {
    /// An empty buffer for a new plugin's Extism memory, with the capacity
    /// of an earlier plugin's when one is spare. Its length is 0: nothing of
    /// the earlier contents is reachable (the arena only grows by writing
    /// zeros, see `Arena::grow_to`).
    pub(crate) fn take_buffer(&self) -> Vec<u8> {
        self.inner
            .spare_buffers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
            .unwrap_or_default()
    }

    /// Give a dropped plugin's buffer back for reuse.
    pub(crate) fn return_buffer(&self, mut buf: Vec<u8>) {
        if buf.capacity() == 0 || buf.capacity() > SPARE_BUFFER_MAX_BYTES {
            return;
        }
        buf.clear();
        let mut spare = self
            .inner
            .spare_buffers
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if spare.len() < SPARE_BUFFERS {
            spare.push(buf);
        }
    }

    /// Configure the engine: Cranelift, epoch interruption on (timeouts),
    /// no fuel, wasmtime's default Wasm feature set.
    pub fn new(cfg: EngineConfig) -> Result<Engine, ExtismError> {
        let mut config = wasmtime::Config::new();
        config
            .epoch_interruption(true)
            .strategy(wasmtime::Strategy::Cranelift)
            .cranelift_opt_level(wasmtime::OptLevel::Speed)
            .parallel_compilation(true);
        if let Some(pool) = cfg.instance_pool {
            let mut p = wasmtime::PoolingAllocationConfig::new();
            p.total_core_instances(pool.max_instances)
                .total_memories(pool.max_instances)
                .total_tables(pool.max_instances)
                // Plugins are core modules; WASI p1 makes no components,
                // and calls are synchronous, so no fiber stacks (the default
                // pool of 1,000 guard-paged stacks costs ~3 ms to map).
                .total_component_instances(0)
                .total_stacks(0)
                // The whole 32-bit range, as the on-demand allocator allows;
                // the sandbox's page budget is enforced separately.
                .max_memory_size(1 << 32)
                .max_memories_per_module(1)
                .max_tables_per_module(1)
                .table_elements(pool.max_table_elements)
                .linear_memory_keep_resident(pool.keep_resident_bytes)
                .table_keep_resident(pool.keep_resident_bytes.min(1 << 20))
                .pagemap_scan(wasmtime::Enabled::Auto);
            config.allocation_strategy(wasmtime::InstanceAllocationStrategy::Pooling(p));
        }
        let engine =
            wasmtime::Engine::new(&config).map_err(|e| ExtismError::Engine(format!("{e:#}")))?;
        let linker = host::linker(&engine).map_err(|e| ExtismError::Engine(format!("{e:#}")))?;
        let disk = cfg.cache_dir.map(|dir| DiskCache::new(dir, &engine));
        let ticker = Ticker::new(&engine);
        Ok(Engine {
            inner: Arc::new(EngineInner {
                engine,
                linker,
                disk,
                modules: Mutex::new(HashMap::new()),
                files: Mutex::new(HashMap::new()),
                compiling: Mutex::new(()),
                stats: Mutex::new(CacheStats::default()),
                spare_buffers: Mutex::new(Vec::new()),
                ticker,
            }),
        })
    }

    /// Compile Wasm bytes (binary format only) into a [`Module`].
    ///
    /// Order of lookups: this process's map, then the disk cache (verified
    /// before use, see `cache.rs`), then Cranelift; a fresh compile is written
    /// back to the disk cache. Unknown imports are reported here, not at the
    /// first call.
    pub fn compile(&self, wasm: &[u8]) -> Result<Module, ExtismError> {
        let sha256: [u8; 32] = Sha256::digest(wasm).into();
        match self.compile_digested(sha256, Some(wasm))? {
            Some(m) => Ok(m),
            // Unreachable: with the bytes at hand the last step compiles.
            None => Err(ExtismError::Compile("module not compiled".to_owned())),
        }
    }

    /// The module whose Wasm has digest `sha256`: from this process's map,
    /// the disk cache, or (when `wasm` is given) Cranelift. `None` when it
    /// is in neither cache and there are no bytes to compile.
    fn compile_digested(
        &self,
        sha256: [u8; 32],
        wasm: Option<&[u8]>,
    ) -> Result<Option<Module>, ExtismError> {
        if let Some(m) = self.lookup(&sha256) {
            self.count(|s| s.memory_hits += 1);
            return Ok(Some(m));
        }
        let _compiling = self
            .inner
            .compiling
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        // Another thread may have finished the same module while we waited.
        if let Some(m) = self.lookup(&sha256) {
            self.count(|s| s.memory_hits += 1);
            return Ok(Some(m));
        }
        if let Some(wasm) = wasm
            && !wasm.starts_with(b"\0asm")
        {
            return Err(ExtismError::Compile(
                "not a WebAssembly binary (missing \\0asm magic)".to_owned(),
            ));
        }
        let cached = self
            .inner
            .disk
            .as_ref()
            .and_then(|d| d.load(&self.inner.engine, &sha256));
        let module = match (cached, wasm) {
            (Some(m), _) => {
                self.count(|s| s.disk_hits += 1);
                m
            }
            (None, None) => return Ok(None),
            (None, Some(wasm)) => {
                self.count(|s| s.compiles += 1);
                let m = wasmtime::Module::from_binary(&self.inner.engine, wasm)
                    .map_err(|e| ExtismError::Compile(format!("{e:#}")))?;
                if let Some(d) = &self.inner.disk {
                    d.store(&m, &sha256);
                }
                m
            }
        };
        let pre = self.pre_instantiate(&module)?;
        let m = Module {
            inner: Arc::new(ModuleInner {
                module,
                pre,
                sha256,
            }),
        };
        self.inner
            .modules
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(sha256, m.clone());
        Ok(Some(m))
    }

    /// Read a `.wasm` file and [`compile`](Engine::compile) it.
    ///
    /// A file this engine already loaded is not read again while its
    /// identity (size, modification and change times, device and inode) is
    /// unchanged;
    /// any change means a fresh read, hash and lookup. With a disk cache,
    /// the same holds across processes: a stamp beside the compiled code
    /// (see `cache.rs`) leads a new process to it without reading the file.
    pub fn load_file(&self, path: &Path) -> Result<Module, ExtismError> {
        let io = |source| ExtismError::Io {
            path: path.to_owned(),
            source,
        };
        let meta = std::fs::metadata(path).map_err(io)?;
        let stamp = FileStamp::of(&meta);
        let known = self
            .inner
            .files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(path)
            .filter(|(s, _)| *s == stamp)
            .map(|(_, sha)| *sha);
        if let Some(m) = known.and_then(|sha| self.lookup(&sha)) {
            self.count(|s| s.memory_hits += 1);
            return Ok(m);
        }
        let disk = self.inner.disk.as_ref();
        let stamped = disk.and_then(|d| d.stamped_digest(path, &stamp));
        let module = match stamped {
            Some(sha) => self.compile_digested(sha, None)?,
            None => None,
        };
        let module = match module {
            Some(m) => m,
            None => {
                let wasm = std::fs::read(path).map_err(io)?;
                let m = self.compile(&wasm)?;
                if let Some(d) = disk {
                    d.record_stamp(path, &stamp, &m.sha256());
                }
                m
            }
        };
        // The stamp from before the read: if the file changed in between,
        // the next call sees a different stamp and reads it again.
        self.inner
            .files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(path.to_owned(), (stamp, module.sha256()));
        Ok(module)
    }

    /// Counters of where compiled modules came from.
    pub fn cache_stats(&self) -> CacheStats {
        *self
            .inner
            .stats
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The disk-cache file `wasm` would be stored in, if a cache is set.
    pub fn cache_path(&self, wasm: &[u8]) -> Option<PathBuf> {
        let sha256: [u8; 32] = Sha256::digest(wasm).into();
        self.inner.disk.as_ref().map(|d| d.path_for(&sha256))
    }

    fn count(&self, f: impl FnOnce(&mut CacheStats)) {
        f(&mut self
            .inner
            .stats
            .lock()
            .unwrap_or_else(PoisonError::into_inner));
    }

    fn lookup(&self, sha256: &[u8; 32]) -> Option<Module> {
        self.inner
            .modules
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(sha256)
            .cloned()
    }

    fn pre_instantiate(
        &self,
        module: &wasmtime::Module,
    ) -> Result<InstancePre<StoreState>, ExtismError> {
        // Report the first unknown import by name; the linker's own error is
        // less specific. WASI preview 1 is checked by the linker itself.
        for import in module.imports() {
            if !host::provides(import.module(), import.name()) {
                return Err(ExtismError::UnknownImport {
                    module: import.module().to_owned(),
                    name: import.name().to_owned(),
                });
            }
        }
        self.inner
            .linker
            .instantiate_pre(module)
            .map_err(|e| ExtismError::Instantiate(format!("{e:#}")))
    }
}

/// Lower-case hex of a digest.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// How often the ticker bumps the engine epoch while a timed call runs.
/// A timed-out call stops within its timeout plus about one tick.
const TICK: Duration = Duration::from_millis(5);

/// Drives epoch interruption for timeouts.
///
/// One background thread per engine, alive only while at least one call
/// with a timeout is running: it bumps the engine epoch every [`TICK`], and
/// each store's epoch callback compares its own deadline with the clock.
/// Untimed calls are unaffected (their callback just extends the deadline).
pub(crate) struct Ticker {
    engine: wasmtime::EngineWeak,
    state: Mutex<TickerState>,
}

#[derive(Default)]
struct TickerState {
    active: usize,
    running: bool,
}

impl Ticker {
    fn new(engine: &wasmtime::Engine) -> Arc<Ticker> {
        Arc::new(Ticker {
            engine: engine.weak(),
            state: Mutex::new(TickerState::default()),
        })
    }

    /// Register a timed call; the returned guard unregisters it on drop.
    pub(crate) fn enter(self: &Arc<Self>) -> TickGuard {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.active += 1;
        if !state.running {
            let ticker = Arc::clone(self);
            let spawned = std::thread::Builder::new()
                .name("rudder-extism-epoch".to_owned())
                .spawn(move || ticker.run());
            // If the thread cannot be spawned the call runs without a
            // timeout; the failure is logged rather than failing the call.
            match spawned {
                Ok(_) => state.running = true,
                Err(e) => tracing::warn!("cannot start the plugin timeout thread: {e}"),
            }
        }
        TickGuard {
            ticker: Arc::clone(self),
        }
    }

    fn run(&self) {
        loop {
            std::thread::sleep(TICK);
            {
                let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
                if state.active == 0 {
                    state.running = false;
                    return;
                }
            }
            match self.engine.upgrade() {
                Some(engine) => engine.increment_epoch(),
                None => {
                    self.state
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .running = false;
                    return;
                }
            }
        }
    }
}

/// Keeps the ticker running for one timed call.
pub(crate) struct TickGuard {
    ticker: Arc<Ticker>,
}

impl Drop for TickGuard {
    fn drop(&mut self) {
        let mut state = self
            .ticker
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        state.active = state.active.saturating_sub(1);
    }
}
