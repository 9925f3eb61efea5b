//! `postrender-labels`: a `postrenderer/v1` plugin that adds labels to the
//! `metadata` of every top-level object in the rendered manifests.
//!
//! Labels come from `--post-renderer-args key=value` (repeatable); without
//! arguments it adds `rudder.sh/postrendered: "true"`. The subprocess twin
//! in `../postrender-labels-subprocess` does exactly the same with awk, so
//! both runtimes can be compared on identical output. The transform itself
//! lives in `../labels-transform`.

use rudder_pdk::{postrenderer, Error};

rudder_pdk::postrenderer!(add_labels);

fn add_labels(input: postrenderer::Input) -> Result<postrenderer::Output, Error> {
    let labels = labels_transform::parse_labels(&input.extra_args)?;
    Ok(postrenderer::Output {
        manifests: labels_transform::transform(&input.manifests, &labels),
    })
}
