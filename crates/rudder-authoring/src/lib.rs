//! Chart authoring as Helm 4.2.3 does it: `create` (the scaffold and
//! starters), `package` (archives laid out byte for byte like Helm's tar
//! stream), `show`, `dependency list` and `lint` (Helm's rules and
//! messages).
//!
//! ```no_run
//! let packaged = rudder_authoring::package::package(
//!     std::path::Path::new("./mychart"),
//!     &rudder_authoring::package::PackageOptions::default(),
//! )?;
//! println!("{}", packaged.path.display());
//! # Ok::<(), rudder_authoring::AuthoringError>(())
//! ```
//!
//! Known difference: archive bytes differ from Helm's inside the deflate
//! stream only (see [`tarball`]); the tar stream and gzip header are Helm's.

pub mod create;
pub mod dependency;
mod error;
pub mod lint;
pub mod package;
pub mod save;
pub mod semver_strict;
pub mod show;
pub mod tarball;
pub mod timefmt;
mod util;

pub use error::AuthoringError;
