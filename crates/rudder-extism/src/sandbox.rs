//! The capability set a plugin runs with: [`Sandbox`].
//!
//! Deny by default. `Sandbox::default()` grants nothing: no files, no
//! environment variables, no arguments, no network, stdin closed, stdout and
//! stderr discarded, no config, no vars limit beyond Extism's default, no
//! timeout. Every field widens exactly one capability, and this module is
//! where those capabilities are turned into a WASI context (see
//! [`build_wasi`]). The per-field docs say what is granted; docs/security.md
//! has the whole model and maps plugin.yaml's `runtimeConfig` onto it.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::time::Duration;

use wasmtime_wasi::p1::WasiP1Ctx;
use wasmtime_wasi::p2::pipe::{MemoryInputPipe, MemoryOutputPipe};
use wasmtime_wasi::{FsPerms, WasiCtxBuilder};

use crate::ExtismError;

/// Where the guest's WASI stdin comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Stdin {
    /// Closed: reads return end-of-file immediately.
    #[default]
    None,
    /// The host process's own stdin (for interactive `cli/v1` plugins).
    Inherit,
    /// These bytes, then end-of-file. Every call reads them from the start.
    Bytes(Vec<u8>),
}

/// Where the guest's WASI stdout or stderr goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Output {
    /// Discarded.
    #[default]
    None,
    /// Written straight to the host process's stdout/stderr.
    Inherit,
    /// Collected in memory; read it after the call with
    /// [`crate::Plugin::captured_stdout`] / [`crate::Plugin::captured_stderr`].
    /// Bounded by [`Sandbox::max_output_bytes`].
    Capture,
}

/// Deny-by-default capability set for one plugin instance.
///
/// Build it field by field from `Sandbox::default()`; what is not granted
/// here is not available to the guest. Fields and what they grant:
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sandbox {
    /// Key/value pairs the guest can read with Extism's `config_get`
    /// (plugin.yaml `runtimeConfig.config`). Read-only for the guest.
    pub config: BTreeMap<String, String>,
    /// Host name globs the guest may reach with Extism's `http_request`
    /// (`*` any run of characters, `?` one character, `[a-z]` classes; an
    /// invalid glob is compared literally). Matched against the URL's host
    /// only (no port, no DNS resolution), case-insensitively, on **every
    /// redirect hop**. Empty = no HTTP at all. Only `http`/`https` URLs.
    pub allowed_hosts: Vec<String>,
    /// Budget in 64 KiB pages for all the instance's memory together: every
    /// linear memory of the guest plus the host-side Extism memory holding
    /// inputs, outputs and allocations. `None` = no budget beyond wasmtime's
    /// per-memory maximum (4 GiB for 32-bit memories). `Some(0)` allows no
    /// memory at all; map Helm's "0 = unset" to `None`.
    pub max_pages: Option<u32>,
    /// Largest HTTP response body accepted, in bytes. `None` = Extism's
    /// default, 50 MiB. `Some(0)` = any non-empty body fails (Helm's
    /// effective behaviour when `maxHttpResponseBytes` is omitted).
    pub max_http_response_bytes: Option<u64>,
    /// Size limit of the guest's variable store (`var_set`), estimated like
    /// Extism (keys + values + per-entry overhead). `None` = Extism's
    /// default, 1 MiB. `Some(0)` = vars disabled: `var_set` fails with
    /// "Vars are disabled by this host".
    pub max_var_bytes: Option<u64>,
    /// Wall-clock limit for one call (and for instantiation). `None` or
    /// `Some(Duration::ZERO)` = no limit. Enforced with epoch interruption;
    /// a call stops within the timeout plus a few milliseconds.
    pub timeout: Option<Duration>,
    /// Give the guest a fresh, empty host directory mounted read-write at
    /// `/tmp` for the duration of each call; it is deleted afterwards.
    /// Without it the guest has no filesystem at all. The guest cannot leave
    /// the directory (`..` and symlinks pointing outside are refused).
    pub temp_dir: bool,
    /// The guest's WASI environment: exactly these variables, nothing is
    /// inherited from the host process.
    pub env: Vec<(String, String)>,
    /// WASI stdin. Default: closed.
    pub stdin: Stdin,
    /// WASI stdout. Default: discarded.
    pub stdout: Output,
    /// WASI stderr. Default: discarded.
    pub stderr: Output,
    /// Cap on the output the guest hands back with `output_set` and on each
    /// captured stdio stream, in bytes. `None` = no cap beyond the memory
    /// budget. Exceeding it fails the call.
    pub max_output_bytes: Option<u64>,
}

impl Sandbox {
    /// The timeout that is actually in force (`Some(0)` means none).
    pub(crate) fn effective_timeout(&self) -> Option<Duration> {
        self.timeout.filter(|t| !t.is_zero())
    }

    /// Does each call need its own WASI context (a fresh temp dir, stdin
    /// bytes read from the start, fresh capture pipes)? Otherwise one
    /// context, built at instantiation, serves every call.
    pub(crate) fn per_call_wasi(&self) -> bool {
        self.temp_dir
            || matches!(self.stdin, Stdin::Bytes(_))
            || self.stdout == Output::Capture
            || self.stderr == Output::Capture
    }

    /// The memory budget in bytes, if any.
    pub(crate) fn max_bytes(&self) -> Option<u64> {
        self.max_pages.map(|p| u64::from(p) * 65536)
    }
}

impl fmt::Display for Sandbox {
    /// A one-line human summary, for `--debug` logs and error reports.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let opt = |v: Option<u64>| v.map_or_else(|| "default".to_owned(), |v| v.to_string());
        write!(
            f,
            "sandbox(config keys: {}, allowed hosts: [{}], max pages: {}, max http bytes: {}, max var bytes: {}, timeout: {}, /tmp: {}, env vars: {}, stdin: {}, stdout: {:?}, stderr: {:?}, max output bytes: {})",
            self.config.len(),
            self.allowed_hosts.join(", "),
            self.max_pages
                .map_or_else(|| "unlimited".to_owned(), |p| p.to_string()),
            opt(self.max_http_response_bytes),
            opt(self.max_var_bytes),
            self.effective_timeout()
                .map_or_else(|| "none".to_owned(), |t| format!("{t:?}")),
            if self.temp_dir {
                "fresh temp dir"
            } else {
                "none"
            },
            self.env.len(),
            match self.stdin {
                Stdin::None => "closed",
                Stdin::Inherit => "inherit",
                Stdin::Bytes(_) => "bytes",
            },
            self.stdout,
            self.stderr,
            self.max_output_bytes
                .map_or_else(|| "unlimited".to_owned(), |v| v.to_string()),
        )
    }
}

/// The WASI context for one call plus the capture pipes, if any.
pub(crate) struct CallWasi {
    pub(crate) ctx: WasiP1Ctx,
    pub(crate) stdout: Option<MemoryOutputPipe>,
    pub(crate) stderr: Option<MemoryOutputPipe>,
}

/// Capacity of a capture pipe: one byte more than the cap, so a full pipe
/// proves the guest tried to write past the limit.
pub(crate) fn capture_capacity(max_output_bytes: Option<u64>) -> usize {
    max_output_bytes
        .and_then(|cap| usize::try_from(cap.saturating_add(1)).ok())
        .unwrap_or(usize::MAX)
}

/// Build the WASI preview 1 context for one call.
///
/// Security: this is the only place WASI capabilities are granted.
/// `WasiCtxBuilder::new()` starts with no env, no args, no preopens, closed
/// stdin and discarded stdout/stderr, and preview 1 has no way to open
/// sockets. We add exactly what the sandbox grants: the listed env vars,
/// stdio as configured, and (only with `temp_dir`) one preopen at `/tmp`.
/// wasmtime-wasi resolves every path relative to a preopened directory
/// capability (cap-std), so `..` and absolute symlinks cannot escape it.
/// Clocks are WASI's own (wall and monotonic); randomness is WASI's CSPRNG.
pub(crate) fn build_wasi(
    sandbox: &Sandbox,
    temp_dir: Option<&Path>,
) -> Result<CallWasi, ExtismError> {
    let mut b = WasiCtxBuilder::new();
    // Sync embedding: let filesystem calls run inline instead of being
    // shipped to a blocking thread pool.
    b.allow_blocking_current_thread(true);
    match &sandbox.stdin {
        Stdin::None => {}
        Stdin::Inherit => {
            b.inherit_stdin();
        }
        Stdin::Bytes(bytes) => {
            b.stdin(MemoryInputPipe::new(bytes.clone()));
        }
    }
    let capacity = capture_capacity(sandbox.max_output_bytes);
    let stdout = match sandbox.stdout {
        Output::None => None,
        Output::Inherit => {
            b.inherit_stdout();
            None
        }
        Output::Capture => {
            let pipe = MemoryOutputPipe::new(capacity);
            b.stdout(pipe.clone());
            Some(pipe)
        }
    };
    let stderr = match sandbox.stderr {
        Output::None => None,
        Output::Inherit => {
            b.inherit_stderr();
            None
        }
        Output::Capture => {
            let pipe = MemoryOutputPipe::new(capacity);
            b.stderr(pipe.clone());
            Some(pipe)
        }
    };
    for (k, v) in &sandbox.env {
        b.env(k, v);
    }
    if let Some(dir) = temp_dir {
        b.preopened_dir(dir, "/tmp", FsPerms::ReadWrite)
            .map_err(|e| {
                ExtismError::Sandbox(format!("cannot open temp dir {}: {e}", dir.display()))
            })?;
    }
    Ok(CallWasi {
        ctx: b.build_p1(),
        stdout,
        stderr,
    })
}

/// A WASI context with nothing in it, installed between calls so no file
/// descriptor of a finished call (its temp dir) outlives the call.
pub(crate) fn empty_wasi() -> WasiP1Ctx {
    WasiCtxBuilder::new().build_p1()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_grants_nothing() {
        let s = Sandbox::default();
        assert!(s.config.is_empty());
        assert!(s.allowed_hosts.is_empty());
        assert!(s.env.is_empty());
        assert!(!s.temp_dir);
        assert_eq!(s.stdin, Stdin::None);
        assert_eq!(s.stdout, Output::None);
        assert_eq!(s.stderr, Output::None);
        assert_eq!(s.effective_timeout(), None);
        assert_eq!(s.max_bytes(), None);
    }

    #[test]
    fn zero_timeout_means_no_timeout() {
        let s = Sandbox {
            timeout: Some(Duration::ZERO),
            ..Sandbox::default()
        };
        assert_eq!(s.effective_timeout(), None);
        let s = Sandbox {
            timeout: Some(Duration::from_millis(5)),
            ..Sandbox::default()
        };
        assert_eq!(s.effective_timeout(), Some(Duration::from_millis(5)));
    }

    #[test]
    fn display_summarises_the_policy() {
        let s = Sandbox {
            allowed_hosts: vec!["*.example.com".into()],
            max_pages: Some(16),
            ..Sandbox::default()
        };
        let text = s.to_string();
        assert!(text.contains("allowed hosts: [*.example.com]"), "{text}");
        assert!(text.contains("max pages: 16"), "{text}");
        assert!(text.contains("timeout: none"), "{text}");
    }

    #[test]
    fn capture_capacity_is_one_past_the_cap() {
        assert_eq!(capture_capacity(Some(10)), 11);
        assert_eq!(capture_capacity(None), usize::MAX);
        assert_eq!(capture_capacity(Some(u64::MAX)), usize::MAX);
    }
}
