//! [`LoadError`]: every way loading a chart can fail, each printing Helm's
//! own text so that `rudder` and `helm` report the same message.

use std::io;

use crate::archive::ArchiveError;
use crate::ignore::IgnoreError;
use crate::metadata::ValidationError;

/// A chart could not be loaded. `Display` gives Helm's message.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// An OS-level failure, printed like Go's `*fs.PathError`
    /// (`stat x: no such file or directory`).
    #[error("{op} {path}: {msg}")]
    Os {
        /// The failed operation (`stat`, `open`, `lstat`, `read`).
        op: &'static str,
        /// The path as given.
        path: String,
        /// Go's text for the OS error.
        msg: String,
    },
    /// The directory has no readable `Chart.yaml` (generic loader).
    #[error("unable to detect chart at {path}: {source}")]
    DetectChart {
        /// The `Chart.yaml` path.
        path: String,
        /// Why it could not be read.
        source: Box<LoadError>,
    },
    /// `Chart.yaml` does not parse or decode.
    #[error("cannot load Chart.yaml: {0}")]
    ChartYaml(String),
    /// `apiVersion` is neither v1, v2 nor empty (v3 charts are out of scope).
    #[error("unsupported chart version")]
    UnsupportedVersion,
    /// An archive path names a directory.
    #[error("cannot load a directory")]
    IsDirectory,
    /// The root `.helmignore` is malformed.
    #[error(transparent)]
    Ignore(#[from] IgnoreError),
    /// A device, socket or other non-regular file in a chart directory.
    #[error("cannot load irregular file {0} as it has file mode type bits set")]
    IrregularFile(String),
    /// A chart directory file over the 5 MiB limit.
    #[error("chart file {name} is larger than the maximum file size {max}")]
    FileTooLarge {
        /// The file's base name, Go-quoted.
        name: String,
        /// The limit.
        max: u64,
    },
    /// A file could not be read.
    #[error("error reading {name}: {source}")]
    ReadFile {
        /// The path relative to the chart.
        name: String,
        /// The OS error.
        source: Box<LoadError>,
    },
    /// A symbolic link could not be resolved.
    #[error("error evaluating symlink {path}: {source}")]
    Symlink {
        /// The link's path.
        path: String,
        /// The OS error.
        source: Box<LoadError>,
    },
    /// Symbolic links form a cycle. Go would recurse until the OS refuses
    /// the path; rudder stops at the first repeated directory.
    #[error("error evaluating symlink {0}: symbolic link cycle")]
    SymlinkCycle(String),
    /// A `.yaml` file was given where an archive was expected.
    #[error("file '{0}' seems to be a YAML file, but expected a gzipped archive")]
    YamlNotArchive(String),
    /// A file that is not gzip was given where an archive was expected.
    #[error("file '{name}' does not appear to be a gzipped archive; got '{content_type}'")]
    NotArchive {
        /// The path.
        name: String,
        /// What Go's content sniffing calls it.
        content_type: String,
    },
    /// The archive's gzip header is bad.
    #[error("file '{name}' does not appear to be a valid chart file (details: {source})")]
    InvalidChartFile {
        /// The path.
        name: String,
        /// The gzip error.
        source: ArchiveError,
    },
    /// Helm's generic loader hides the archive error behind this text.
    #[error("unable to load chart archive")]
    UnableToLoadArchive,
    /// Helm's generic loader found no `Chart.yaml` in an archive.
    #[error("unable to detect chart version, no Chart.yaml found")]
    NoChartYamlInArchive,
    /// The archive itself was rejected.
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    /// `Chart.lock` does not parse.
    #[error("cannot load Chart.lock: {0}")]
    ChartLock(String),
    /// `values.yaml` does not parse.
    #[error("cannot load values.yaml: {0}")]
    Values(String),
    /// `requirements.yaml` does not parse.
    #[error("cannot load requirements.yaml: {0}")]
    Requirements(String),
    /// `requirements.lock` does not parse.
    #[error("cannot load requirements.lock: {0}")]
    RequirementsLock(String),
    /// No `Chart.yaml` among the chart's files.
    #[error("Chart.yaml file is missing")]
    MissingChartYaml,
    /// `Chart.yaml` failed validation.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// A `charts/<n>.tgz` group holds more than the archive itself.
    #[error("error unpacking subchart tar in {parent}: expected {expected}, got {got}")]
    SubchartTar {
        /// The parent chart's name.
        parent: String,
        /// The archive name.
        expected: String,
        /// The first file of the group.
        got: String,
    },
    /// A subchart failed to load.
    #[error("error unpacking subchart {name} in {parent}: {source}")]
    Subchart {
        /// The directory or archive name under `charts/`.
        name: String,
        /// The parent chart's name.
        parent: String,
        /// Why.
        source: Box<LoadError>,
    },
}

impl LoadError {
    /// A Go-style path error for an I/O failure.
    pub(crate) fn os(op: &'static str, path: &str, err: &io::Error) -> LoadError {
        LoadError::Os {
            op,
            path: path.to_owned(),
            msg: go_errno_text(err),
        }
    }
}

/// Go's text for common `syscall.Errno`s (Rust prints its own wording).
pub(crate) fn go_errno_text(err: &io::Error) -> String {
    let text = match err.raw_os_error() {
        Some(1) => "operation not permitted",
        Some(2) => "no such file or directory",
        Some(5) => "input/output error",
        Some(13) => "permission denied",
        Some(20) => "not a directory",
        Some(21) => "is a directory",
        Some(36) => "file name too long",
        Some(40) => "too many levels of symbolic links",
        _ => return err.to_string(),
    };
    text.to_owned()
}
