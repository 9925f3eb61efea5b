//! The post-renderer seam of the template action (Helm's
//! `renderResources` with the default "combined" strategy, and its
//! `annotateAndMerge` / `splitAndDeannotate` in `pkg/action/action.go`).
//!
//! After NOTES.txt is dropped and before manifests are sorted, every
//! rendered file (hooks included) is split into documents, each document
//! is annotated with `postrenderer.helm.sh/postrender-filename: <file>`,
//! and the stream goes to the post-renderer. Its output is split again and
//! regrouped by that annotation (which is removed); documents without it
//! become `generated-by-postrender-<i>.yaml`. Both directions go through
//! kyaml (`rudder_yaml::kyaml`), which re-serialises the YAML exactly as
//! Helm's kyaml does.
//!
//! The seam is a trait so embedders can plug in anything; the CLI plugs in
//! `postrenderer/v1` plugins.

use std::collections::BTreeMap;
use std::fmt;

use rudder_yaml::kyaml;

use crate::ActionError;

/// The annotation that carries a document's template file through the
/// post-renderer.
pub const FILENAME_ANNOTATION: &str = "postrenderer.helm.sh/postrender-filename";

/// Rewrites the rendered manifests (Helm's `postrenderer.PostRenderer`).
pub trait PostRenderer: Send + Sync + fmt::Debug {
    /// Take a YAML stream and return the rewritten stream, or an error
    /// message (shown after `error while running post render on files: `).
    fn run(&self, manifests: &str) -> Result<String, String>;
}

/// Helm's `annotateAndMerge`: every document of every file (in byte order
/// of file names; partials and blank files skipped), annotated with its
/// file name, as one kyaml stream.
pub fn annotate_and_merge(files: &BTreeMap<String, String>) -> Result<String, String> {
    let mut all = Vec::new();
    for (fname, content) in files {
        let base = fname.rsplit('/').next().unwrap_or(fname);
        if base.starts_with('_') || content.trim().is_empty() {
            continue;
        }
        for doc in rudder_render::split_manifests(content) {
            if doc.trim().is_empty() {
                continue;
            }
            let parsed = kyaml::parse_all(doc).map_err(|e| format!("parsing {fname}: {e}"))?;
            for mut m in parsed {
                kyaml::set_annotation(&mut m, FILENAME_ANNOTATION, fname)
                    .map_err(|e| format!("annotating {fname}: {e}"))?;
                all.push(m);
            }
        }
    }
    kyaml::string_all(&all).map_err(|e| format!("writing merged docs: {e}"))
}

/// Helm's `splitAndDeannotate`: the post-renderer's stream regrouped into
/// files by the filename annotation (removed on the way); documents
/// without it become `generated-by-postrender-[<prefix>-]<i>.yaml`.
pub fn split_and_deannotate(
    post_rendered: &str,
    fallback_prefix: &str,
) -> Result<BTreeMap<String, String>, String> {
    let manifests =
        kyaml::parse_all(post_rendered).map_err(|e| format!("error parsing YAML: {e}"))?;
    let mut groups: BTreeMap<String, Vec<rudder_yaml::node::Node>> = BTreeMap::new();
    for (i, mut m) in manifests.into_iter().enumerate() {
        let fname = kyaml::meta_annotation(&m, FILENAME_ANNOTATION)
            .map_err(|e| format!("getting metadata: {e}"))?
            .filter(|f| !f.is_empty())
            .unwrap_or_else(|| {
                if fallback_prefix.is_empty() {
                    format!("generated-by-postrender-{i}.yaml")
                } else {
                    format!("generated-by-postrender-{fallback_prefix}-{i}.yaml")
                }
            });
        kyaml::clear_annotation(&mut m, FILENAME_ANNOTATION)
            .map_err(|e| format!("clearing filename annotation: {e}"))?;
        groups.entry(fname).or_default().push(m);
    }
    let mut out = BTreeMap::new();
    for (fname, docs) in groups {
        let text = kyaml::string_all(&docs).map_err(|e| format!("re-writing {fname}: {e}"))?;
        out.insert(fname, text);
    }
    Ok(out)
}

/// Run `pr` over the rendered files (Helm's combined strategy), with
/// Helm's error texts.
pub(crate) fn post_render(
    files: &BTreeMap<String, String>,
    pr: &dyn PostRenderer,
) -> Result<BTreeMap<String, String>, ActionError> {
    let merged = annotate_and_merge(files)
        .map_err(|e| ActionError::render(format!("error merging manifests: {e}")))?;
    let rendered = pr.run(&merged).map_err(|e| {
        ActionError::render(format!("error while running post render on files: {e}"))
    })?;
    split_and_deannotate(&rendered, "")
        .map_err(|e| ActionError::render(format!("error while parsing post rendered output: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Identity;

    impl PostRenderer for Identity {
        fn run(&self, manifests: &str) -> Result<String, String> {
            Ok(manifests.to_owned())
        }
    }

    fn files(entries: &[(&str, &str)]) -> BTreeMap<String, String> {
        entries
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn merge_annotates_every_document() {
        let f = files(&[
            (
                "c/templates/b.yaml",
                "kind: B\nmetadata:\n  name: b\n---\nkind: B2\n",
            ),
            ("c/templates/a.yaml", "kind: A\nspec:\n  list:\n    - x\n"),
            ("c/templates/_helpers.tpl", "kind: Ignored\n"),
            ("c/templates/empty.yaml", "  \n"),
        ]);
        let merged = annotate_and_merge(&f);
        assert_eq!(
            merged.as_deref(),
            Ok(
                "kind: A\nspec:\n  list:\n  - x\nmetadata:\n  annotations:\n    postrenderer.helm.sh/postrender-filename: 'c/templates/a.yaml'\n---\nkind: B\nmetadata:\n  name: b\n  annotations:\n    postrenderer.helm.sh/postrender-filename: 'c/templates/b.yaml'\n---\nkind: B2\nmetadata:\n  annotations:\n    postrenderer.helm.sh/postrender-filename: 'c/templates/b.yaml'\n"
            )
        );
    }

    #[test]
    fn identity_round_trip_regroups_files() {
        let f = files(&[
            (
                "c/templates/b.yaml",
                "kind: B\nmetadata:\n  name: b\n---\nkind: B2\n",
            ),
            ("c/templates/a.yaml", "kind: A\nspec:\n  list:\n    - x\n"),
        ]);
        let out = post_render(&f, &Identity).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            out,
            files(&[
                ("c/templates/a.yaml", "kind: A\nspec:\n  list:\n  - x\n"),
                (
                    "c/templates/b.yaml",
                    "kind: B\nmetadata:\n  name: b\n---\nkind: B2\n"
                ),
            ])
        );
    }

    #[test]
    fn unannotated_documents_get_generated_names() {
        let out = split_and_deannotate(
            "kind: New\nmetadata:\n  name: n\n---\nkind: Old\nmetadata:\n  annotations:\n    postrenderer.helm.sh/postrender-filename: 'c/templates/o.yaml'\n",
            "",
        );
        assert_eq!(
            out,
            Ok(files(&[
                (
                    "generated-by-postrender-0.yaml",
                    "kind: New\nmetadata:\n  name: n\n"
                ),
                ("c/templates/o.yaml", "kind: Old\n"),
            ]))
        );
        assert_eq!(
            split_and_deannotate("kind: X\n", "hooks").map(|m| m.into_keys().collect::<Vec<_>>()),
            Ok(vec!["generated-by-postrender-hooks-0.yaml".to_owned()])
        );
        assert_eq!(
            split_and_deannotate("foo: bar\n", ""),
            Err("getting metadata: missing Resource metadata".to_owned())
        );
    }

    #[test]
    fn errors_carry_helm_prefixes() {
        #[derive(Debug)]
        struct Fails;
        impl PostRenderer for Fails {
            fn run(&self, _: &str) -> Result<String, String> {
                Err("boom".to_owned())
            }
        }
        let f = files(&[("c/templates/a.yaml", "kind: A\n")]);
        assert_eq!(
            post_render(&f, &Fails).map_err(|e| e.message),
            Err("error while running post render on files: boom".to_owned())
        );
        let bad = files(&[("c/templates/a.yaml", "- a\n")]);
        let e = post_render(&bad, &Identity).map_err(|e| e.message);
        assert!(
            e.as_ref().err().is_some_and(|m| m.starts_with(
                "error merging manifests: annotating c/templates/a.yaml: wrong node kind: expected MappingNode but got SequenceNode"
            )),
            "{e:?}"
        );
    }
}
