//! rudder's library API: Helm's actions as plain functions.
//!
//! Each action takes loaded inputs (a chart, merged values, options) and
//! returns typed results; the CLI only parses flags and prints. Embedders
//! call the same functions:
//!
//! ```no_run
//! use rudder_action::{template, TemplateOptions};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let chart = rudder_chart::load(std::path::Path::new("examples/hello"))?;
//! let values = rudder_value::Map::new();
//! let out = template(chart, &values, &TemplateOptions {
//!     release_name: "demo".into(),
//!     namespace: "default".into(),
//!     ..TemplateOptions::default()
//! })?;
//! print!("{}", out.manifest);
//! # Ok(()) }
//! ```
//!
//! Today: `template` (Helm's client-side dry-run install) and its output
//! assembly. Installing to a cluster comes with the release work.

mod output;
mod postrender;
mod template;

pub use output::{OutputOptions, Printed, go_filepath_match, print_template, write_to_file};
pub use postrender::{FILENAME_ANNOTATION, PostRenderer, annotate_and_merge, split_and_deannotate};
pub use template::{
    TemplateOptions, TemplateOutput, check_chart, name_and_chart, render_chart, render_files,
    template, template_name, validate_release_name,
};

/// An action failure, with Helm's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ActionError {
    /// The message as Helm prints it after `Error: `.
    pub message: String,
    /// The failure happened while rendering (Helm then suggests `--debug`).
    pub during_render: bool,
    /// What Helm prints with `--debug` despite the failure.
    pub manifest: Option<String>,
}

impl ActionError {
    /// A failure before rendering.
    pub fn plain(message: impl Into<String>) -> ActionError {
        ActionError {
            message: message.into(),
            during_render: false,
            manifest: None,
        }
    }

    /// A failure while rendering.
    pub fn render(message: impl Into<String>) -> ActionError {
        ActionError {
            message: message.into(),
            during_render: true,
            manifest: None,
        }
    }

    /// Attach the text `--debug` prints.
    pub fn with_manifest(mut self, manifest: String) -> ActionError {
        self.manifest = Some(manifest);
        self
    }
}
