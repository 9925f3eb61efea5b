//! Sprig v3.3.0 and Helm 4.2 template functions for `rudder-template`.
//!
//! [`sprig()`] is Sprig's `TxtFuncMap()` without `env` and `expandenv`,
//! which Helm removes. [`helm()`] adds Helm's own functions on top
//! (`include`, `tpl`, `required`, `fail`, `lookup`, `toYaml` and the other
//! serialisers), overriding Sprig's where Helm does, exactly as
//! `pkg/engine/funcs.go` and `engine.go` assemble Helm's map.
//!
//! Every function declares its Go signature (see
//! [`rudder_template::Function`]), so the engine checks and converts
//! arguments the way Go's reflection does, and every behaviour, including
//! error texts, follows the Go code it replaces: spf13/cast conversions,
//! mergo merges, Go's `regexp` syntax and replacement rules, shopspring
//! decimal arithmetic, Masterminds semver constraints.
//!
//! ```
//! use rudder_funcs::{helm, HelmFuncOptions};
//! let funcs = helm(HelmFuncOptions::default());
//! assert!(funcs.contains("toYaml") && funcs.contains("trunc"));
//! assert!(!funcs.contains("env"));
//! ```
//!
//! Not here: the template language itself (`rudder-template`), and the
//! builtins `and`, `eq`, `printf`, `index`, … that the engine provides.
//! A function this crate does not implement is absent from the maps, so
//! the engine reports Go's parse error `function "x" not defined`.
//!
//! # Known differences from Helm
//!
//! * `fromToml` is absent (no TOML decoder yet).
//! * Go strings may hold invalid UTF-8 (`trunc 1 "é"`, `b64dec "////"`);
//!   [`Value`] strings cannot, so each invalid byte becomes U+FFFD, which is
//!   also what Go's own JSON and `range` decoding show.
//! * A nil slice and an empty one are the same here, so `toJson (rest
//!   list)` prints `[]` where Go prints `null`.
//! * `keys` and `values` follow key order; Go's is random.
//! * `mergeOverwrite` of two `*semver.Version` values under the same key
//!   replaces the key but does not also overwrite the old object in place.

mod cast;
mod crypto;
mod date;
mod decimal;
mod defaults;
mod dicts;
mod encoding;
mod goregex;
mod helm;
mod lists;
mod math;
mod mergo;
mod network;
mod paths;
mod random;
mod reflect;
mod regex;
mod semver;
mod serial;
mod strings;
mod toml_de;
mod unicode;
mod util;

use std::sync::Arc;

use rudder_template::FuncMap;
use rudder_value::Value;

pub use crate::helm::RenderState;

/// Every Sprig function, as Helm installs them: Sprig's `TxtFuncMap()`
/// minus `env` and `expandenv`.
pub fn sprig() -> FuncMap {
    let mut m = FuncMap::new();
    strings::register(&mut m);
    math::register(&mut m);
    lists::register(&mut m);
    dicts::register(&mut m);
    defaults::register(&mut m);
    encoding::register(&mut m);
    reflect::register(&mut m);
    paths::register(&mut m);
    regex::register(&mut m);
    semver::register(&mut m);
    serial::register_sprig(&mut m);
    helm::register_sprig_fail(&mut m);
    date::register(&mut m);
    crypto::register(&mut m);
    random::register(&mut m);
    network::register(&mut m);
    m
}

/// How Helm's engine is configured (the `Engine` fields that change the
/// function map).
#[derive(Clone, Default)]
pub struct HelmFuncOptions {
    /// `helm lint`: `required` and `fail` log instead of failing, and
    /// `lookup` never calls the cluster.
    pub lint_mode: bool,
    /// `--enable-dns`: without it `getHostByName` returns `""`.
    pub enable_dns: bool,
    /// The cluster behind `lookup`. `None` (as in `helm template`) makes
    /// `lookup` return an empty map.
    pub lookup: Option<Arc<dyn Lookup>>,
}

/// Access to the cluster for Helm's `lookup` function.
pub trait Lookup: Send + Sync {
    /// Look up an object (`name` non-empty) or list the objects of a kind
    /// (`name` empty), as unstructured JSON. A missing object is an empty
    /// map, not an error; an `Err` is the client's error text.
    fn lookup(
        &self,
        api_version: &str,
        kind: &str,
        namespace: &str,
        name: &str,
    ) -> Result<Value, String>;
}

/// Sprig's functions plus Helm's, as `engine.initFunMap` builds them.
pub fn helm(opts: HelmFuncOptions) -> FuncMap {
    let mut m = sprig();
    serial::register_helm(&mut m);
    helm::register(&mut m, &opts);
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every Sprig v3.3.0 function outside the date, crypto, random and
    /// network groups (which their own modules register and test).
    const CORE: &[&str] = &[
        "abbrev",
        "abbrevboth",
        "add",
        "add1",
        "add1f",
        "addf",
        "adler32sum",
        "all",
        "any",
        "append",
        "atoi",
        "b32dec",
        "b32enc",
        "b64dec",
        "b64enc",
        "base",
        "biggest",
        "camelcase",
        "cat",
        "ceil",
        "chunk",
        "clean",
        "coalesce",
        "compact",
        "concat",
        "contains",
        "deepCopy",
        "deepEqual",
        "default",
        "dict",
        "dig",
        "dir",
        "div",
        "divf",
        "empty",
        "ext",
        "fail",
        "first",
        "float64",
        "floor",
        "fromJson",
        "get",
        "has",
        "hasKey",
        "hasPrefix",
        "hasSuffix",
        "hello",
        "indent",
        "initial",
        "initials",
        "int",
        "int64",
        "isAbs",
        "join",
        "kebabcase",
        "keys",
        "kindIs",
        "kindOf",
        "last",
        "list",
        "lower",
        "max",
        "maxf",
        "merge",
        "mergeOverwrite",
        "min",
        "minf",
        "mod",
        "mul",
        "mulf",
        "mustAppend",
        "mustChunk",
        "mustCompact",
        "mustDeepCopy",
        "mustFirst",
        "mustFromJson",
        "mustHas",
        "mustInitial",
        "mustLast",
        "mustMerge",
        "mustMergeOverwrite",
        "mustPrepend",
        "mustPush",
        "mustRegexFind",
        "mustRegexFindAll",
        "mustRegexMatch",
        "mustRegexReplaceAll",
        "mustRegexReplaceAllLiteral",
        "mustRegexSplit",
        "mustRest",
        "mustReverse",
        "mustSlice",
        "mustToJson",
        "mustToPrettyJson",
        "mustToRawJson",
        "mustUniq",
        "mustWithout",
        "nindent",
        "nospace",
        "omit",
        "osBase",
        "osClean",
        "osDir",
        "osExt",
        "osIsAbs",
        "pick",
        "pluck",
        "plural",
        "prepend",
        "push",
        "quote",
        "regexFind",
        "regexFindAll",
        "regexMatch",
        "regexQuoteMeta",
        "regexReplaceAll",
        "regexReplaceAllLiteral",
        "regexSplit",
        "repeat",
        "replace",
        "rest",
        "reverse",
        "round",
        "semver",
        "semverCompare",
        "seq",
        "set",
        "sha1sum",
        "sha256sum",
        "sha512sum",
        "slice",
        "snakecase",
        "sortAlpha",
        "split",
        "splitList",
        "splitn",
        "squote",
        "sub",
        "subf",
        "substr",
        "swapcase",
        "ternary",
        "title",
        "toDecimal",
        "toJson",
        "toPrettyJson",
        "toRawJson",
        "toString",
        "toStrings",
        "trim",
        "trimAll",
        "trimPrefix",
        "trimSuffix",
        "trimall",
        "trunc",
        "tuple",
        "typeIs",
        "typeIsLike",
        "typeOf",
        "uniq",
        "unset",
        "until",
        "untilStep",
        "untitle",
        "upper",
        "values",
        "without",
        "wrap",
        "wrapWith",
    ];

    /// Helm's additions and overrides (`pkg/engine/funcs.go`, `engine.go`),
    /// except `fromToml`, which is not implemented yet.
    const HELM: &[&str] = &[
        "toToml",
        "mustToToml",
        "toYaml",
        "mustToYaml",
        "toYamlPretty",
        "fromYaml",
        "fromYamlArray",
        "toJson",
        "mustToJson",
        "fromJson",
        "fromJsonArray",
        "include",
        "tpl",
        "required",
        "lookup",
        "fail",
        "getHostByName",
    ];

    #[test]
    fn every_core_sprig_and_helm_function_is_present() {
        let s = sprig();
        let missing: Vec<&&str> = CORE.iter().filter(|n| !s.contains(n)).collect();
        assert!(missing.is_empty(), "missing from sprig(): {missing:?}");
        let h = helm(HelmFuncOptions::default());
        let missing: Vec<&&str> = CORE.iter().chain(HELM).filter(|n| !h.contains(n)).collect();
        assert!(missing.is_empty(), "missing from helm(): {missing:?}");
    }

    #[test]
    fn helm_map_has_helm_functions_and_no_env() {
        let m = helm(HelmFuncOptions::default());
        for name in [
            "include",
            "tpl",
            "required",
            "fail",
            "lookup",
            "toYaml",
            "dict",
            "regexFind",
        ] {
            assert!(m.contains(name), "{name}");
        }
        assert!(!m.contains("env") && !m.contains("expandenv"));
        let s = sprig();
        assert!(!s.contains("include") && s.contains("fail"));
    }
}
