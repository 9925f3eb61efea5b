//! `postrender-labels`: a `postrenderer/v1` plugin that adds labels to the
//! `metadata` of every top-level object in the rendered manifests.
//!
//! Labels come from `--post-renderer-args key=value` (repeatable); without
//! arguments it adds `rudder.sh/postrendered: "true"`. The subprocess twin
//! in `../postrender-labels-subprocess` does exactly the same with awk, so
//! both runtimes can be compared on identical output.
//!
//! The transform is line-based (no YAML parser, to keep the plugin small):
//! in each top-level `metadata:` block it appends to an existing block-style
//! `  labels:` map or inserts one right after `metadata:`. Flow-style
//! `labels: {…}` maps are not handled.

use rudder_pdk::{postrenderer, Error};

rudder_pdk::postrenderer!(add_labels);

/// The label every object gets when no arguments are given.
const DEFAULT_LABEL: (&str, &str) = ("rudder.sh/postrendered", "true");

fn add_labels(input: postrenderer::Input) -> Result<postrenderer::Output, Error> {
    let labels = parse_labels(&input.extra_args)?;
    Ok(postrenderer::Output {
        manifests: transform(&input.manifests, &labels),
    })
}

/// `key=value` arguments, or the default label when there are none.
fn parse_labels(args: &[String]) -> Result<Vec<(String, String)>, Error> {
    if args.is_empty() {
        return Ok(vec![(
            DEFAULT_LABEL.0.to_owned(),
            DEFAULT_LABEL.1.to_owned(),
        )]);
    }
    args.iter()
        .map(|a| match a.split_once('=') {
            Some((k, v)) if !k.is_empty() => Ok((k.to_owned(), v.to_owned())),
            _ => Err(format!("postrender-labels: argument {a:?} is not key=value").into()),
        })
        .collect()
}

fn label_lines(labels: &[(String, String)], indent: &str, out: &mut String) {
    for (k, v) in labels {
        out.push_str(&format!("{indent}{k}: \"{v}\"\n"));
    }
}

/// Apply the labels to a whole YAML stream (see the module docs).
fn transform(manifests: &str, labels: &[(String, String)]) -> String {
    let mut out = String::with_capacity(manifests.len() + 256);
    let mut block: Option<Vec<&str>> = None;
    for line in manifests.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        if let Some(lines) = &mut block {
            // The metadata block runs until the next line at column 0.
            if bare.is_empty() || bare.starts_with(' ') || bare.starts_with('\t') {
                lines.push(line);
                continue;
            }
            flush(&mut out, lines, labels);
            block = None;
        }
        if bare.trim_end() == "metadata:" {
            out.push_str(line);
            if !line.ends_with('\n') {
                out.push('\n');
            }
            block = Some(Vec::new());
        } else {
            out.push_str(line);
        }
    }
    if let Some(lines) = &block {
        flush(&mut out, lines, labels);
    }
    out
}

/// Emit a buffered metadata block with the labels added.
fn flush(out: &mut String, lines: &[&str], labels: &[(String, String)]) {
    let labels_at = lines
        .iter()
        .position(|l| l.trim_end_matches(['\n', '\r']).trim_end() == "  labels:");
    match labels_at {
        Some(i) => {
            for l in &lines[..=i] {
                out.push_str(l);
            }
            label_lines(labels, "    ", out);
            for l in &lines[i + 1..] {
                out.push_str(l);
            }
        }
        None => {
            out.push_str("  labels:\n");
            label_lines(labels, "    ", out);
            for l in lines {
                out.push_str(l);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default_labels() -> Vec<(String, String)> {
        parse_labels(&[]).unwrap()
    }

    #[test]
    fn inserts_a_labels_block() {
        let input = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: y\n";
        assert_eq!(
            transform(input, &default_labels()),
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels:\n    rudder.sh/postrendered: \"true\"\n  name: a\ndata:\n  x: y\n"
        );
    }

    #[test]
    fn extends_existing_labels_and_handles_many_documents() {
        let input = "---\nkind: A\nmetadata:\n  name: a\n  labels:\n    app: x\nspec: {}\n---\nkind: B\nmetadata:\n  name: b\n";
        let labels = parse_labels(&["team=blue".to_owned()]).unwrap();
        assert_eq!(
            transform(input, &labels),
            "---\nkind: A\nmetadata:\n  name: a\n  labels:\n    team: \"blue\"\n    app: x\nspec: {}\n---\nkind: B\nmetadata:\n  labels:\n    team: \"blue\"\n  name: b\n"
        );
    }

    #[test]
    fn nested_metadata_is_left_alone() {
        let input = "kind: Deployment\nspec:\n  template:\n    metadata:\n      name: p\n";
        assert_eq!(transform(input, &default_labels()), input);
    }

    #[test]
    fn bad_arguments_are_errors() {
        assert!(parse_labels(&["novalue".to_owned()]).is_err());
        assert!(parse_labels(&["=v".to_owned()]).is_err());
    }
}
