//! Executor tests for what the Helm oracle cannot reach without Sprig or
//! Helm's objects: host objects (methods, fields, printing), injected
//! functions and their argument checking, the [`Context`] re-entry used by
//! `include`/`tpl`, the missing-key modes Helm does not use, and the set's
//! definition rules. Expected texts follow Go's `exec.go`/`funcs.go`.

use std::any::Any;
use std::sync::Arc;

use rudder_value::{
    ElemType, GoType, IntKind, List, Map, MapKind, Object, ObjectRepr, Signature, Value,
};

use crate::{
    Context, Error, ExecOptions, FuncError, FuncMap, FuncResult, Function, MapMethods, MissingKey,
    Templates,
};

/// A stand-in for a Go struct pointer with methods, like Helm's
/// `*common.Capabilities`.
struct Caps;

impl Object for Caps {
    fn type_name(&self) -> &str {
        "*common.Capabilities"
    }
    fn repr(&self) -> ObjectRepr {
        ObjectRepr::Struct {
            pointer: true,
            fields: vec![
                ("Version", Value::str("v1.36.0")),
                ("Name", Value::str("caps")),
                ("KubeVersion", Value::object(KubeVersion)),
            ],
        }
    }
    fn method(&self, name: &str) -> Option<Signature> {
        match name {
            "Has" => Some(Signature::new(vec![GoType::String])),
            "Fail" | "Nothing" => Some(Signature::new(vec![])),
            "Sum" => Some(Signature::variadic(vec![], GoType::Int(IntKind::Int))),
            _ => None,
        }
    }
    fn call_method(&self, name: &str, args: Vec<Value>) -> Result<Value, String> {
        match name {
            "Has" => Ok(Value::Bool(
                args.first().and_then(Value::as_str) == Some("apps/v1"),
            )),
            "Fail" => Err("boom".to_owned()),
            "Nothing" => Ok(Value::Nil),
            "Sum" => Ok(Value::int(args.iter().filter_map(Value::as_i64).sum())),
            _ => Err(format!("no method {name}")),
        }
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A struct held by value, like `common.KubeVersion`.
struct KubeVersion;

impl Object for KubeVersion {
    fn type_name(&self) -> &str {
        "common.KubeVersion"
    }
    fn repr(&self) -> ObjectRepr {
        ObjectRepr::Struct {
            pointer: false,
            fields: vec![("Minor", Value::str("36"))],
        }
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A value type with a `String` method, like `*semver.Version`.
struct Version;

impl Object for Version {
    fn type_name(&self) -> &str {
        "*semver.Version"
    }
    fn repr(&self) -> ObjectRepr {
        ObjectRepr::Struct {
            pointer: true,
            fields: vec![("Major", Value::int(1))],
        }
    }
    fn stringer(&self) -> Option<String> {
        Some("1.2.3".to_owned())
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A named slice type, like Helm's `common.VersionSet`.
struct VersionSet;

impl Object for VersionSet {
    fn type_name(&self) -> &str {
        "common.VersionSet"
    }
    fn repr(&self) -> ObjectRepr {
        ObjectRepr::Value(Value::List(List::strings(["v1", "apps/v1"])))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn func(params: Vec<GoType>, f: fn(Vec<Value>) -> Result<Value, FuncError>) -> Function {
    Function::new(
        Signature::new(params),
        move |_ctx: &mut dyn Context, args| f(args),
    )
}

fn funcs() -> FuncMap {
    let mut m = FuncMap::new();
    m.insert(
        "fl",
        func(vec![GoType::Float64], |a| {
            Ok(Value::string(format!(
                "{:?}",
                a.first().cloned().unwrap_or(Value::Nil)
            )))
        }),
    );
    m.insert(
        "in",
        func(vec![GoType::Int(IntKind::Int)], |a| {
            Ok(a.into_iter().next().unwrap_or(Value::Nil))
        }),
    );
    m.insert(
        "u8",
        func(vec![GoType::Int(IntKind::Uint8)], |a| {
            Ok(Value::string(format!(
                "{:?}",
                a.first().cloned().unwrap_or(Value::Nil)
            )))
        }),
    );
    m.insert(
        "st",
        func(vec![GoType::String], |a| {
            Ok(a.into_iter().next().unwrap_or(Value::Nil))
        }),
    );
    m.insert(
        "any",
        func(vec![GoType::Any], |a| {
            Ok(Value::string(format!(
                "{:?}",
                a.first().cloned().unwrap_or(Value::Nil)
            )))
        }),
    );
    m.insert(
        "strs",
        func(vec![GoType::List(ElemType::String)], |a| {
            Ok(a.into_iter().next().unwrap_or(Value::Nil))
        }),
    );
    m.insert(
        "typ",
        func(vec![GoType::Map(MapKind::Any)], |a| {
            Ok(Value::string(
                a.first()
                    .map(|v| v.type_name().into_owned())
                    .unwrap_or_default(),
            ))
        }),
    );
    m.insert("fail", func(vec![], |_| Err(FuncError::new("bad thing"))));
    m.insert("oops", func(vec![], |_| panic!("oops: index out of range")));
    m.insert("null", func(vec![], |_| Ok(Value::Nil)));
    m.insert("len", func(vec![GoType::Any], |_| Ok(Value::str("mine"))));
    m.insert("break", func(vec![], |_| Ok(Value::str("fn-break"))));
    m.insert(
        "include",
        Function::new(
            Signature::new(vec![GoType::String, GoType::Any]),
            |ctx: &mut dyn Context, args| {
                let mut it = args.into_iter();
                let name = it.next().unwrap_or(Value::Nil);
                let data = it.next().unwrap_or(Value::Nil);
                let out = ctx.execute_template(name.as_str().unwrap_or(""), data)?;
                Ok(Value::string(out))
            },
        ),
    );
    m.insert(
        "tpl",
        Function::new(
            Signature::new(vec![GoType::String, GoType::Any]),
            |ctx: &mut dyn Context, args| {
                let mut it = args.into_iter();
                let text = it.next().unwrap_or(Value::Nil);
                let data = it.next().unwrap_or(Value::Nil);
                ctx.execute_text("gotpl", text.as_str().unwrap_or(""), data)
                    .map(Value::string)
                    .map_err(|e| FuncError::wrap(format!("tpl failed: {e}"), e))
            },
        ),
    );
    m.insert(
        "count",
        Function::new(Signature::new(vec![]), |ctx: &mut dyn Context, _| {
            let n = ctx.host().downcast_mut::<u32>().ok_or("no counter")?;
            *n += 1;
            Ok(Value::int(i64::from(*n)))
        }),
    );
    m
}

fn data() -> Value {
    let m = Map::new();
    m.insert("Caps", Value::object(Caps));
    m.insert("Ver", Value::object(Version));
    m.insert("Set", Value::object(VersionSet));
    m.insert("f", Value::Float(1.5));
    m.insert("s", Value::str("str"));
    m.insert("l", Value::list(vec![Value::str("a")]));
    m.insert("strs", Value::List(List::strings(["x", "y"])));
    m.insert(
        "sm",
        Value::Map(Map::from_entries(MapKind::String, [("k", Value::str("v"))])),
    );
    m.insert(
        "vals",
        Value::Map(Map::with_kind(MapKind::Named("common.Values"))),
    );
    m.insert("n64", Value::int64(2));
    Value::Map(m)
}

fn run_opts(text: &str, opts: &ExecOptions) -> Result<String, Error> {
    let mut set = Templates::new(Arc::new(funcs()));
    set.parse("t", text)?;
    set.execute("t", data(), opts, &mut ())
}

fn zero() -> ExecOptions {
    ExecOptions {
        missing_key: MissingKey::Zero,
        ..ExecOptions::default()
    }
}

fn ok(text: &str) -> String {
    match run_opts(text, &zero()) {
        Ok(s) => s,
        Err(e) => format!("ERR {e}"),
    }
}

fn err(text: &str) -> String {
    match run_opts(text, &zero()) {
        Ok(s) => format!("OK {s}"),
        Err(e) => e.to_string(),
    }
}

fn at(col: usize, ctx: &str, msg: &str) -> String {
    format!("template: t:1:{col}: executing \"t\" at <{ctx}>: {msg}")
}

#[test]
fn methods_on_host_objects() {
    assert_eq!(
        ok("{{ .Caps.Has \"apps/v1\" }} {{ \"x\" | .Caps.Has }}"),
        "true false"
    );
    assert_eq!(ok("{{ .Caps.Sum 1 2 3 }}"), "6");
    assert_eq!(
        err("{{ .Caps.Has }}"),
        at(8, ".Caps.Has", "wrong number of args for Has: want 1 got 0")
    );
    assert_eq!(
        err("{{ .Caps.Has 1 }}"),
        at(13, "1", "expected string; found 1")
    );
    let e = run_opts("{{ .Caps.Fail }}", &zero()).err();
    assert_eq!(
        e.as_ref().map(ToString::to_string),
        Some(at(8, ".Caps.Fail", "error calling Fail: boom"))
    );
    let chain = e.map(|e| e.go_chain()).unwrap_or_default();
    assert_eq!(chain.last().map(String::as_str), Some("boom"));
    assert_eq!(
        err("{{ .Caps.Nothing.x }}"),
        at(
            8,
            ".Caps.Nothing.x",
            "nil pointer evaluating interface {}.x"
        )
    );
}

#[test]
fn fields_and_printing_of_host_objects() {
    assert_eq!(ok("{{ .Caps.Name }}"), "caps");
    assert_eq!(
        err("{{ .Caps.Name 1 }}"),
        at(
            8,
            ".Caps.Name",
            "Name has arguments but cannot be invoked as function"
        )
    );
    // Read from a map[string]interface{}, the object's static type is
    // interface {} (as Helm reports for `.Capabilities.Nope`); read from a
    // struct field, it is the field's type.
    assert_eq!(
        err("{{ .Caps.Nope }}"),
        at(
            8,
            ".Caps.Nope",
            "can't evaluate field Nope in type interface {}"
        )
    );
    assert_eq!(
        err("{{ .Caps.KubeVersion.Nope }}"),
        at(
            8,
            ".Caps.KubeVersion.Nope",
            "can't evaluate field Nope in type common.KubeVersion"
        )
    );
    assert_eq!(
        err("{{ $c := .Caps }}{{ $c.Nope }}"),
        at(
            22,
            "$c.Nope",
            "can't evaluate field Nope in type *common.Capabilities"
        )
    );
    assert_eq!(
        ok("{{ .Caps.KubeVersion.Minor }} {{ .Caps.KubeVersion }}"),
        "36 {36}"
    );
    // The template prints a struct pointer as the struct; fmt keeps the &.
    assert_eq!(
        ok("{{ .Caps }}|{{ print .Caps }}"),
        "{v1.36.0 caps {36}}|&{v1.36.0 caps {36}}"
    );
    assert_eq!(
        ok("{{ .Ver }} {{ printf \"%v\" .Ver }} {{ .Ver.Major }}"),
        "1.2.3 1.2.3 1"
    );
    assert_eq!(ok("{{ .Set }} {{ index .Set 1 }}"), "[v1 apps/v1] apps/v1");
    let mut plain = Templates::new(Arc::new(FuncMap::new()));
    assert!(plain.parse("t", "{{ len .Set }}").is_ok());
    let out = plain.execute("t", data(), &zero(), &mut ());
    assert_eq!(out.ok().as_deref(), Some("2"));
    assert_eq!(ok("{{ range .Set }}<{{ . }}>{{ end }}"), "<v1><apps/v1>");
    assert_eq!(ok("{{ if .Caps }}t{{ end }}"), "t");
}

#[test]
fn untyped_constants_take_the_parameter_type() {
    assert_eq!(
        ok("{{ fl 3 }} {{ fl 3.5 }} {{ fl 'a' }}"),
        "float64(3) float64(3.5) float64(97)"
    );
    assert_eq!(
        err("{{ in 3.5 }}"),
        at(6, "3.5", "expected integer; found 3.5")
    );
    assert_eq!(ok("{{ in 3.0 }} {{ in 0x10 }}"), "3 16");
    assert_eq!(ok("{{ u8 300 }}"), "uint8(44)");
    assert_eq!(
        err("{{ u8 -1 }}"),
        at(6, "-1", "expected unsigned integer; found -1")
    );
    assert_eq!(
        err("{{ fl \"x\" }}"),
        at(6, "\"x\"", "expected float; found \"x\"")
    );
    assert_eq!(
        err("{{ st true }}"),
        at(6, "true", "expected string; found true")
    );
    assert_eq!(
        err("{{ st nil }}"),
        at(6, "nil", "cannot assign nil to string")
    );
    assert_eq!(ok("{{ any nil }}"), "nil");
    assert_eq!(
        err("{{ typ \"x\" }}"),
        at(
            7,
            "\"x\"",
            "can't handle \"x\" for arg of type map[string]interface {}"
        )
    );
}

#[test]
fn argument_values_are_checked_like_go() {
    assert_eq!(
        err("{{ in .f }}"),
        at(6, ".f", "wrong type for value; expected int; got float64")
    );
    assert_eq!(
        err("{{ st .missing }}"),
        at(
            6,
            ".missing",
            "wrong type for value; expected string; got interface {}"
        )
    );
    assert_eq!(
        err("{{ .missing | st }}"),
        at(14, "st", "invalid value; expected string")
    );
    assert_eq!(
        err("{{ strs .l }}"),
        at(
            8,
            ".l",
            "wrong type for value; expected []string; got []interface {}"
        )
    );
    assert_eq!(ok("{{ strs .strs }}"), "[x y]");
    // A common.Values is passed to a map[string]interface{} parameter as one.
    assert_eq!(ok("{{ typ .vals }}"), "map[string]interface {}");
    assert_eq!(ok("{{ any .missing }} {{ any .s }}"), "nil \"str\"");
    assert_eq!(
        err("{{ null.x }}"),
        at(3, "null", "nil pointer evaluating interface {}.x")
    );
}

#[test]
fn function_errors_keep_their_source() {
    let e = run_opts("{{ fail }}", &zero()).err();
    assert_eq!(
        e.as_ref().map(ToString::to_string),
        Some(at(3, "fail", "error calling fail: bad thing"))
    );
    let chain = e.map(|e| e.go_chain()).unwrap_or_default();
    assert_eq!(chain.len(), 3);
    assert_eq!(chain.get(2).map(String::as_str), Some("bad thing"));
}

/// Helm's `common.Values` methods, reduced to two.
struct ValuesMethods;

impl MapMethods for ValuesMethods {
    fn method(&self, name: &str) -> Option<Signature> {
        match name {
            "AsMap" => Some(Signature::new(vec![])),
            "Table" => Some(Signature::new(vec![GoType::String])),
            _ => None,
        }
    }
    fn call(
        &self,
        _ctx: &mut dyn Context,
        receiver: &Map,
        name: &str,
        args: Vec<Value>,
    ) -> FuncResult {
        match name {
            "AsMap" => Ok(Value::Map(receiver.with_kind_of(MapKind::Any))),
            _ => {
                let key = args.first().and_then(Value::as_str).unwrap_or("");
                match receiver.get(key) {
                    Some(Value::Map(m)) => Ok(Value::Map(m.with_kind_of(receiver.kind()))),
                    _ => Err(FuncError::new(format!("no table named {key:?}"))),
                }
            }
        }
    }
}

#[test]
fn named_map_methods_come_before_keys() {
    let mut set = Templates::new(Arc::new(FuncMap::new()));
    set.set_map_methods("common.Values", Arc::new(ValuesMethods));
    let vals = Map::with_kind(MapKind::Named("common.Values"));
    vals.insert("Table", Value::str("key"));
    vals.insert(
        "sub",
        Value::Map(Map::from_entries(MapKind::Any, [("x", Value::int(1))])),
    );
    vals.insert("plain", Value::str("p"));
    let top = Map::from_entries(MapKind::Any, [("Values", Value::Map(vals))]);
    let run = |set: &mut Templates, text: &str| {
        set.parse("t", text).map_err(|e| e.to_string())?;
        set.execute("t", Value::Map(top.clone()), &zero(), &mut ())
            .map_err(|e| e.to_string())
    };
    assert_eq!(run(&mut set, "{{ .Values.plain }}"), Ok("p".to_owned()));
    assert_eq!(
        run(&mut set, "{{ (.Values.Table \"sub\").x }}"),
        Ok("1".to_owned())
    );
    assert_eq!(
        run(&mut set, "{{ printf \"%T\" .Values.AsMap }}"),
        Ok("map[string]interface {}".to_owned())
    );
    assert_eq!(
        run(&mut set, "{{ .Values.Table }}"),
        Err(at(
            10,
            ".Values.Table",
            "wrong number of args for Table: want 1 got 0"
        ))
    );
    assert_eq!(
        run(&mut set, "{{ .Values.Table \"nope\" }}"),
        Err(at(
            10,
            ".Values.Table",
            "error calling Table: no table named \"nope\""
        ))
    );
}

#[test]
fn a_panicking_function_is_an_error() {
    assert_eq!(
        err("{{ oops }}"),
        at(3, "oops", "error calling oops: oops: index out of range")
    );
}

#[test]
fn function_map_shadows_builtins_and_keywords() {
    assert_eq!(ok("{{ len 1 }}"), "mine");
    assert_eq!(ok("{{ break }}"), "fn-break");
}

#[test]
fn include_and_tpl_reenter_the_engine() {
    assert_eq!(
        ok("{{ define \"x\" }}X{{ . }}{{ end }}{{ include \"x\" 1 }}"),
        "X1"
    );
    assert_eq!(
        err("{{ include \"nope\" 1 }}"),
        at(
            3,
            "include \"nope\" 1",
            "error calling include: template: no template \"nope\" associated with template \"gotpl\""
        )
    );
    assert_eq!(
        ok("{{ tpl \"{{ define \\\"y\\\" }}Y{{ end }}{{ include \\\"y\\\" . }}{{ .s }}\" . }}"),
        "Ystr"
    );
    // Defines made by tpl are local to that call.
    let e = err("{{ tpl \"{{ define \\\"y\\\" }}Y{{ end }}\" . }}{{ include \"y\" . }}");
    assert!(e.contains("no template \"y\""), "{e}");
    // tpl sees the set's defines.
    assert_eq!(
        ok("{{ define \"z\" }}Z{{ end }}{{ tpl \"{{ template \\\"z\\\" }}\" . }}"),
        "Z"
    );
    let e = run_opts("{{ tpl \"{{ .x }}\" .s }}", &zero()).err();
    let chain = e.map(|e| e.go_chain()).unwrap_or_default();
    let inner =
        "template: gotpl:1:3: executing \"gotpl\" at <.x>: can't evaluate field x in type string";
    assert_eq!(
        chain.get(2).map(String::as_str),
        Some(format!("tpl failed: {inner}").as_str())
    );
    assert_eq!(chain.get(3).map(String::as_str), Some(inner));
    let e = err("{{ tpl \"{{ if }}\" . }}");
    assert!(e.contains("template: gotpl:1: missing value for if"), "{e}");
}

#[test]
fn functions_reach_the_host() {
    let mut set = Templates::new(Arc::new(funcs()));
    assert!(set.parse("t", "{{ count }}{{ count }}").is_ok());
    let mut counter: u32 = 10;
    let out = set.execute("t", Value::Nil, &ExecOptions::default(), &mut counter);
    assert_eq!(out.ok().as_deref(), Some("1112"));
    assert_eq!(counter, 12);
    let out = set.execute("t", Value::Nil, &ExecOptions::default(), &mut ());
    assert!(out.is_err());
}

#[test]
fn missing_key_modes() {
    let default = ExecOptions::default();
    let error = ExecOptions {
        missing_key: MissingKey::Error,
        ..ExecOptions::default()
    };
    let show = |r: Result<String, Error>| match r {
        Ok(s) => s,
        Err(e) => e.to_string(),
    };
    assert_eq!(show(run_opts("{{ .a.b.c }}", &default)), "<no value>");
    assert_eq!(
        show(run_opts("{{ .a.b.c }}", &zero())),
        at(5, ".a.b.c", "nil pointer evaluating interface {}.b")
    );
    assert_eq!(
        show(run_opts("{{ .a }}", &error)),
        at(3, ".a", "map has no entry for key \"a\"")
    );
    assert_eq!(
        show(run_opts(
            "{{ define \"d\" }}{{ .x }}{{ end }}{{ template \"d\" }}",
            &error
        )),
        "template: t:1:19: executing \"d\" at <.x>: nil data; no entry for key \"x\""
    );
    // A map[string]string yields "" for a missing key under zero.
    assert_eq!(show(run_opts("[{{ .sm.nope }}]", &zero())), "[]");
    assert_eq!(show(run_opts("[{{ .sm.nope }}]", &default)), "[<no value>]");
    assert_eq!(show(run_opts("{{ .sm.k }}", &error)), "v");
}

#[test]
fn range_element_types() {
    assert_eq!(
        err("{{ range .strs }}{{ .x }}{{ end }}"),
        at(20, ".x", "can't evaluate field x in type string")
    );
    assert_eq!(
        ok("{{ range .n64 }}{{ printf \"%T \" . }}{{ end }}"),
        "int64 int64 "
    );
    assert_eq!(
        ok("{{ range $k, $v := .sm }}{{ $k }}{{ $v }}{{ end }}"),
        "kv"
    );
}

#[test]
fn depth_limit_is_an_error() {
    let opts = ExecOptions {
        missing_key: MissingKey::Zero,
        max_depth: 5,
    };
    let r = run_opts(
        "{{ define \"r\" }}{{ template \"r\" }}{{ end }}{{ template \"r\" }}",
        &opts,
    );
    assert_eq!(
        r.err().map(|e| e.to_string()),
        Some("template: t:1:28: executing \"r\" at <{{template \"r\"}}>: exceeded maximum template depth (5)".to_owned())
    );
    let r = run_opts(
        "{{ define \"r\" }}{{ include \"r\" . }}{{ end }}{{ include \"r\" . }}",
        &opts,
    );
    let msg = r.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(msg.contains("exceeded maximum template depth (5)"), "{msg}");
}

#[test]
fn unsupported_constructs_fail_clearly() {
    assert_eq!(
        err("{{ 1i }}"),
        at(3, "1i", "complex constant 1i is not supported by rudder")
    );
    let mut set = Templates::new(Arc::new(FuncMap::new()));
    let e = set
        .parse("t", "{{ \"\\xff\" }}")
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        e.as_deref(),
        Some(
            "template: t:1: string literal \"\\xff\" is not valid UTF-8, which rudder does not support"
        )
    );
}

#[test]
fn definitions_follow_add_parse_tree() {
    let mut set = Templates::new(Arc::new(FuncMap::new()));
    let run = |set: &Templates, name: &str| {
        set.execute(name, Value::Nil, &ExecOptions::default(), &mut ())
            .unwrap_or_else(|e| e.to_string())
    };
    assert!(set.parse("a", "A{{ define \"x\" }}1{{ end }}").is_ok());
    assert!(set.parse("b", "{{ define \"x\" }} {{ end }}").is_ok());
    assert_eq!(run(&set, "x"), "1");
    assert!(set.parse("c", "{{ define \"x\" }}3{{ end }}").is_ok());
    assert_eq!(run(&set, "x"), "3");
    // A body of white space does not replace the existing "a".
    assert!(set.parse("a", "  {{ define \"y\" }}y{{ end }}").is_ok());
    assert_eq!(run(&set, "a"), "A");
    assert!(set.parse("a", "new").is_ok());
    assert_eq!(run(&set, "a"), "new");
    // A failed parse adds nothing.
    assert!(
        set.parse("d", "{{ define \"z\" }}z{{ end }}{{ if }}")
            .is_err()
    );
    assert!(!set.contains("z") && !set.contains("d"));
    let mut names: Vec<&str> = set.names().collect();
    names.sort_unstable();
    assert_eq!(names, ["a", "b", "c", "x", "y"]);
    assert_eq!(
        run(&set, "nope"),
        "template: no template \"nope\" associated with template \"gotpl\""
    );
    set.set_root_name("root");
    assert_eq!(
        run(&set, "nope"),
        "template: no template \"nope\" associated with template \"root\""
    );
}

#[test]
fn detached_parsing_matches_parse() {
    let set = Templates::new(Arc::new(FuncMap::new()));
    let texts = [
        ("a", "{{ define \"x\" }}1{{ end }}A"),
        ("b", "{{ define \"x\" }}2{{ end }}B"),
    ];
    let parsed: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = texts
            .iter()
            .map(|(n, t)| s.spawn(|| set.parse_detached(n, t)))
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    let mut set = set;
    for p in parsed {
        let p = p.map_err(|e| e.to_string());
        assert!(p.is_ok(), "{p:?}");
        if let Ok(p) = p {
            set.add_parsed(p);
        }
    }
    let out = set.execute("x", Value::Nil, &ExecOptions::default(), &mut ());
    assert_eq!(out.ok().as_deref(), Some("2"));
    let mut names: Vec<&str> = set.names().collect();
    names.sort_unstable();
    assert_eq!(names, ["a", "b", "x"]);
}

#[test]
fn execute_into_appends_and_is_clean_on_error() {
    let mut set = Templates::new(Arc::new(FuncMap::new()));
    assert!(set.parse("ok", "b").is_ok());
    assert!(set.parse("bad", "partial{{ .x.y }}").is_ok());
    let opts = zero();
    let mut out = String::from("a");
    assert!(
        set.execute_into("ok", Value::Nil, &opts, &mut (), &mut out)
            .is_ok()
    );
    assert_eq!(out, "ab");
    let data = Value::Map(Map::new());
    assert!(
        set.execute_into("bad", data, &opts, &mut (), &mut out)
            .is_err()
    );
    assert_eq!(out, "ab");
}

#[test]
fn templates_can_be_shared_between_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Templates>();
    let mut set = Templates::new(Arc::new(FuncMap::new()));
    assert!(set.parse("t", "{{ range 3 }}{{ . }}{{ end }}").is_ok());
    let set = Arc::new(set);
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let set = set.clone();
            std::thread::spawn(move || {
                set.execute("t", Value::Nil, &ExecOptions::default(), &mut ())
                    .unwrap_or_default()
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().ok().as_deref(), Some("012"));
    }
}
