//! Property tests: random template text never makes the parser or the
//! executor panic, and execution always terminates.
//!
//! Text is built from a grammar of template tokens (delimiters, trim
//! markers, keywords, builtins, fields, variables, literals, punctuation),
//! so most inputs get past the lexer and exercise the parser and executor;
//! arbitrary strings cover the lexer. Numbers are small and the template
//! depth limit is low, so every execution finishes quickly.

use std::sync::Arc;

use proptest::prelude::*;
use rudder_template::{ExecOptions, FuncMap, MissingKey, Templates};
use rudder_value::{Map, Value};

const TOKENS: &[&str] = &[
    "{{",
    "}}",
    "{{- ",
    " -}}",
    "{{/*",
    "*/}}",
    " ",
    "  ",
    "\n",
    "\t",
    "text",
    "-",
    "if ",
    "else ",
    "end",
    "range ",
    "with ",
    "define ",
    "template ",
    "block ",
    "break",
    "continue",
    "$x",
    "$",
    "$y",
    ":=",
    "=",
    " := ",
    " = ",
    "|",
    " | ",
    "(",
    ")",
    ".",
    ".a",
    ".b",
    ".a.b",
    ".l",
    ".s",
    ".n",
    ".nope",
    "\"t\"",
    "\"s\"",
    "`r`",
    "'c'",
    "'\\n'",
    "1",
    "2",
    "0",
    "-1",
    "1.5",
    "0x1F",
    "1e3",
    "1i",
    "nil",
    "true",
    "false",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "and",
    "or",
    "not",
    "len",
    "index",
    "slice",
    "print",
    "printf",
    "println",
    "html",
    "js",
    "urlquery",
    "call",
    ",",
    "\"%d\"",
    "\"%v\"",
    "\\",
    "\"",
    "`",
    "'",
    "}",
    "{",
    "é",
    ")(",
];

fn data() -> Value {
    let inner = Map::new();
    inner.insert("b", Value::Float(1.0));
    let m = Map::new();
    m.insert("a", Value::Map(inner));
    m.insert(
        "l",
        Value::list(vec![Value::Float(1.0), Value::str("x"), Value::Nil]),
    );
    m.insert("s", Value::str("str"));
    m.insert("n", Value::Float(2.0));
    Value::Map(m)
}

fn run(text: &str) {
    let mut set = Templates::new(Arc::new(FuncMap::new()));
    if set.parse("t", text).is_err() {
        return;
    }
    let names: Vec<String> = set.names().map(str::to_owned).collect();
    for missing_key in [MissingKey::Default, MissingKey::Zero, MissingKey::Error] {
        let opts = ExecOptions {
            missing_key,
            max_depth: 8,
        };
        for name in &names {
            let _ = set.execute(name, data(), &opts, &mut ());
            let _ = set.execute(name, Value::Nil, &opts, &mut ());
        }
    }
}

fn template_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..40).prop_map(|t| t.concat())
}

/// Short well-formed actions, so more inputs reach the executor.
fn actions() -> impl Strategy<Value = String> {
    let word = prop::sample::select(&TOKENS[22..]);
    prop::collection::vec(
        (
            prop::sample::select(&["{{ ", "{{- ", "{{"][..]),
            prop::collection::vec(word, 1..6),
        )
            .prop_map(|(open, words)| format!("{open}{} }}}}", words.join(" "))),
        0..8,
    )
    .prop_map(|a| a.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    #[test]
    fn token_soup_never_panics(text in template_text()) {
        run(&text);
    }

    #[test]
    fn actions_never_panic(text in actions()) {
        run(&text);
    }

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        run(&text);
    }
}

#[test]
fn nested_structures_do_not_overflow_the_stack() {
    let depth = 20_000;
    let text = format!(
        "{}x{}",
        "{{ if true }}".repeat(depth),
        "{{ end }}".repeat(depth)
    );
    let mut set = Templates::new(Arc::new(FuncMap::new()));
    assert!(set.parse("t", &text).is_ok());
    let out = set.execute("t", Value::Nil, &ExecOptions::default(), &mut ());
    assert_eq!(out.ok().as_deref(), Some("x"));
    let parens = format!("{{{{ {}1{} }}}}", "(".repeat(9_000), ")".repeat(9_000));
    assert!(set.parse("p", &parens).is_ok());
    let out = set.execute("p", Value::Nil, &ExecOptions::default(), &mut ());
    assert_eq!(out.ok().as_deref(), Some("1"));
    let too_deep = format!("{{{{ {}1{} }}}}", "(".repeat(10_001), ")".repeat(10_001));
    let err = set.parse("q", &too_deep).err().map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some("template: q:1: max expression depth exceeded")
    );
}
