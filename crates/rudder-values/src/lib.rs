//! Helm values for rudder, compatible with Helm 4.2.3 (spec §2):
//!
//! * [`strvals`]: `--set`, `--set-string`, `--set-file`, `--set-json` and
//!   `--set-literal` parsing, error texts included;
//! * [`ValueOptions::merge_values`]: the user values from all flags, in
//!   Helm's precedence by flag kind;
//! * [`process_dependencies`]: tags, conditions, aliases, pruning and
//!   import-values on a loaded [`rudder_chart::Chart`];
//! * [`coalesce_values`]: the final `.Values` (defaults, subcharts, globals
//!   and null deletion, exactly as Helm's algorithm does it, warnings
//!   included);
//! * [`validate_schema`]: `values.schema.json` checks with Helm's error
//!   report.
//!
//! ```
//! use rudder_values::{ValueOptions, strvals};
//! let opts = ValueOptions { values: vec!["image.tag=v2,replicas=3".into()], ..Default::default() };
//! let user = opts.merge_values(&|p: &str| Err(format!("open {p}: no such file or directory")))?;
//! assert_eq!(rudder_value::fmt::format_v(&rudder_value::Value::Map(user)), "map[image:map[tag:v2] replicas:3]");
//! # Ok::<(), rudder_values::ValuesError>(())
//! ```
//!
//! Non-goals: fetching `-f` URLs or reading stdin (the caller's reader
//! does), and rendering. Values are `rudder_value::Value`s, which are not
//! `Send`.

mod coalesce;
mod dependencies;
mod error;
mod json;
mod options;
mod schema;
pub mod strvals;

pub use coalesce::{GLOBAL_KEY, coalesce_values, merge_values};
pub use dependencies::process_dependencies;
pub use error::ValuesError;
pub use options::ValueOptions;
pub use schema::validate_schema;
pub use strvals::{
    StrvalsError, parse_set, parse_set_file, parse_set_json, parse_set_literal, parse_set_string,
};
