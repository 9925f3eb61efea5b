//! The transform shared by the `postrender-labels` plugins: the Wasm
//! example (`../postrender-labels`), the multi-megabyte Wasm plugin and the
//! native subprocess twin used by the plugin benchmark (`../../bench`), so
//! every runtime is measured doing exactly the same work on identical
//! output.
//!
//! The transform is line-based (no YAML parser, to keep plugins small):
//! in each top-level `metadata:` block it appends to an existing block-style
//! `  labels:` map or inserts one right after `metadata:`. Flow-style
//! `labels: {…}` maps are not handled.

/// The label every object gets when no arguments are given.
pub const DEFAULT_LABEL: (&str, &str) = ("rudder.sh/postrendered", "true");

/// `key=value` arguments, or the default label when there are none.
pub fn parse_labels(args: &[String]) -> Result<Vec<(String, String)>, String> {
    if args.is_empty() {
        return Ok(vec![(
            DEFAULT_LABEL.0.to_owned(),
            DEFAULT_LABEL.1.to_owned(),
        )]);
    }
    args.iter()
        .map(|a| match a.split_once('=') {
            Some((k, v)) if !k.is_empty() => Ok((k.to_owned(), v.to_owned())),
            _ => Err(format!(
                "postrender-labels: argument {a:?} is not key=value"
            )),
        })
        .collect()
}

/// The label lines, rendered once per call.
fn label_lines(labels: &[(String, String)]) -> String {
    let mut out = String::new();
    for (k, v) in labels {
        out.push_str("    ");
        out.push_str(k);
        out.push_str(": \"");
        out.push_str(v);
        out.push_str("\"\n");
    }
    out
}

/// Apply the labels to a whole YAML stream (see the module docs).
pub fn transform(manifests: &str, labels: &[(String, String)]) -> String {
    let label_text = label_lines(labels);
    // Room for a label block per small document without regrowing.
    let mut out = String::with_capacity(manifests.len() + manifests.len() / 2 + 256);
    // Lines of the current top-level metadata block (one buffer, reused).
    let mut block: Vec<&str> = Vec::new();
    let mut in_block = false;
    for line in manifests.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        if in_block {
            // The metadata block runs until the next line at column 0.
            if bare.is_empty() || bare.starts_with(' ') || bare.starts_with('\t') {
                block.push(line);
                continue;
            }
            flush(&mut out, &block, &label_text);
            block.clear();
            in_block = false;
        }
        out.push_str(line);
        if bare.trim_end() == "metadata:" {
            if !line.ends_with('\n') {
                out.push('\n');
            }
            in_block = true;
        }
    }
    if in_block {
        flush(&mut out, &block, &label_text);
    }
    out
}

/// Emit a buffered metadata block with the label lines added.
fn flush(out: &mut String, lines: &[&str], label_text: &str) {
    let labels_at = lines
        .iter()
        .position(|l| l.trim_end_matches(['\n', '\r']).trim_end() == "  labels:");
    match labels_at {
        Some(i) => {
            for l in &lines[..=i] {
                out.push_str(l);
            }
            out.push_str(label_text);
            for l in &lines[i + 1..] {
                out.push_str(l);
            }
        }
        None => {
            out.push_str("  labels:\n");
            out.push_str(label_text);
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
