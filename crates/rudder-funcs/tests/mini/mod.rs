//! A deliberately small Go-template evaluator for testing the functions
//! before (and independently of) the real engine in `rudder-template`.
//!
//! It understands what the golden cases use: text, actions with trim
//! markers, pipelines, parenthesised commands, literals (with Go's untyped
//! constant rules), `.a.b` and `$x.a` field chains, method calls on host
//! objects, `$x := …` declarations and the `printf` builtin. Arguments are
//! checked and converted against each function's Go signature the way Go's
//! reflection-based calls do, closely enough that a Go type error is an
//! error here too (its text is the engine's business and is not compared).

use std::any::Any;
use std::collections::HashMap;

use rudder_funcs::RenderState;
use rudder_template::{Context, Error, FuncError, FuncMap};
use rudder_value::fmt::{format_v, sprintf};
use rudder_value::{GoType, Signature, Value};

/// A failure of a mini-engine run.
#[derive(Debug)]
pub(crate) enum Failure {
    /// A function returned an error (its message).
    Func(String, FuncError),
    /// Anything the engine itself rejects (syntax, types, fields).
    Engine(String),
}

#[derive(Debug, Clone)]
enum Tok {
    Str(String),
    Int(i64),
    Float(f64),
    Ident(String),
    Field(Vec<String>),
    Var(String, Vec<String>),
    LParen,
    RParen(Vec<String>),
    Pipe,
    Declare,
}

fn lex(src: &str) -> Result<Vec<Tok>, String> {
    let b = src.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    let fields = |i: &mut usize| {
        let mut f = Vec::new();
        while *i < b.len() && b[*i] == b'.' {
            *i += 1;
            let s = *i;
            while *i < b.len() && (b[*i].is_ascii_alphanumeric() || b[*i] == b'_') {
                *i += 1;
            }
            if *i > s {
                f.push(src[s..*i].to_owned());
            }
        }
        f
    };
    while i < b.len() {
        let c = b[i];
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'(' => {
                out.push(Tok::LParen);
                i += 1;
            }
            b')' => {
                i += 1;
                out.push(Tok::RParen(fields(&mut i)));
            }
            b'|' => {
                out.push(Tok::Pipe);
                i += 1;
            }
            b':' if b.get(i + 1) == Some(&b'=') => {
                out.push(Tok::Declare);
                i += 2;
            }
            b'"' => {
                let mut s = Vec::new();
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                        let e = *b.get(i).ok_or("bad escape")?;
                        match e {
                            b'n' => s.push(b'\n'),
                            b't' => s.push(b'\t'),
                            b'r' => s.push(b'\r'),
                            b'\\' => s.push(b'\\'),
                            b'"' => s.push(b'"'),
                            b'x' => {
                                let h = src.get(i + 1..i + 3).ok_or("bad \\x")?;
                                s.push(u8::from_str_radix(h, 16).map_err(|e| e.to_string())?);
                                i += 2;
                            }
                            b'u' => {
                                let h = src.get(i + 1..i + 5).ok_or("bad \\u")?;
                                let cp = u32::from_str_radix(h, 16).map_err(|e| e.to_string())?;
                                let ch = char::from_u32(cp).ok_or("bad \\u")?;
                                s.extend_from_slice(ch.to_string().as_bytes());
                                i += 4;
                            }
                            _ => return Err(format!("unsupported escape \\{}", e as char)),
                        }
                        i += 1;
                    } else {
                        s.push(b[i]);
                        i += 1;
                    }
                }
                i += 1;
                out.push(Tok::Str(String::from_utf8(s).map_err(|e| e.to_string())?));
            }
            b'.' => out.push(Tok::Field(fields(&mut i))),
            b'$' => {
                let s = i;
                i += 1;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                let name = src[s..i].to_owned();
                out.push(Tok::Var(name, fields(&mut i)));
            }
            b'-' | b'0'..=b'9' => {
                let s = i;
                i += 1;
                while i < b.len()
                    && (b[i].is_ascii_alphanumeric()
                        || b[i] == b'.'
                        || b[i] == b'+'
                        || (b[i] == b'-' && matches!(b[i - 1], b'e' | b'E')))
                {
                    i += 1;
                }
                let t = &src[s..i];
                if let Ok(n) = t.parse::<i64>() {
                    out.push(Tok::Int(n));
                } else {
                    out.push(Tok::Float(
                        t.parse::<f64>().map_err(|_| format!("bad number {t}"))?,
                    ));
                }
            }
            _ if c.is_ascii_alphabetic() => {
                let s = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                out.push(Tok::Ident(src[s..i].to_owned()));
            }
            _ => return Err(format!("unexpected {:?}", c as char)),
        }
    }
    Ok(out)
}

/// An evaluated operand: a typed value or an untyped constant.
#[derive(Debug, Clone)]
enum Arg {
    Val(Value),
    Int(i64),
    Float(f64),
    Str(String),
    Bool(bool),
    Nil,
}

impl Arg {
    fn value(self) -> Value {
        match self {
            Arg::Val(v) => v,
            Arg::Int(i) => Value::int(i),
            Arg::Float(f) => Value::Float(f),
            Arg::Str(s) => Value::string(s),
            Arg::Bool(b) => Value::Bool(b),
            Arg::Nil => Value::Nil,
        }
    }
}

fn convert(a: Arg, t: GoType) -> Result<Value, String> {
    let bad = |a: &Arg| format!("cannot use {a:?} as {}", t.name());
    match (a, t) {
        (Arg::Int(i), GoType::Int(k)) => Ok(Value::Int(i, k)),
        (Arg::Int(i), GoType::Float64) => Ok(Value::Float(i as f64)),
        (Arg::Int(i), GoType::Any | GoType::ReflectValue) => Ok(Value::int(i)),
        (Arg::Float(f), GoType::Float64 | GoType::Any | GoType::ReflectValue) => {
            Ok(Value::Float(f))
        }
        (Arg::Str(s), GoType::String | GoType::Any | GoType::ReflectValue) => Ok(Value::string(s)),
        (Arg::Bool(b), GoType::Bool | GoType::Any | GoType::ReflectValue) => Ok(Value::Bool(b)),
        (Arg::Nil, t) if t.can_be_nil() => Ok(t.zero()),
        (Arg::Val(Value::Nil), t) if t.can_be_nil() => Ok(t.zero()),
        (Arg::Val(v), t) if t.accepts(&v) => Ok(t.coerce(v)),
        (a, _) => Err(bad(&a)),
    }
}

fn convert_args(sig: &Signature, args: Vec<Arg>) -> Result<Vec<Value>, String> {
    if args.len() < sig.params.len() || (sig.variadic.is_none() && args.len() > sig.params.len()) {
        return Err(format!(
            "wrong number of args: got {} want {}",
            args.len(),
            sig.params.len()
        ));
    }
    args.into_iter()
        .enumerate()
        .map(|(i, a)| convert(a, sig.param(i).unwrap_or(GoType::Any)))
        .collect()
}

/// The template evaluator.
pub(crate) struct Mini<'f> {
    funcs: &'f FuncMap,
    vars: HashMap<String, Value>,
    root: Value,
    state: RenderState,
}

impl Context for Mini<'_> {
    fn execute_template(&mut self, name: &str, _data: Value) -> Result<String, Error> {
        Err(Error::Other(format!("mini: no template {name:?}")))
    }

    fn execute_text(&mut self, _name: &str, _text: &str, _data: Value) -> Result<String, Error> {
        Err(Error::Other("mini: tpl unsupported".into()))
    }

    fn host(&mut self) -> &mut dyn Any {
        &mut self.state
    }
}

fn field(v: &Value, name: &str, args: Vec<Arg>) -> Result<Value, Failure> {
    match v {
        Value::Map(m) => Ok(m.get_or_zero(name)),
        Value::Object(o) => {
            if let Some(sig) = o.method(name) {
                let args = convert_args(&sig, args).map_err(Failure::Engine)?;
                return o
                    .call_method(name, args)
                    .map_err(|e| Failure::Func(name.to_owned(), FuncError::new(e)));
            }
            o.field(name)
                .ok_or_else(|| Failure::Engine(format!("can't evaluate field {name}")))
        }
        Value::Nil => Err(Failure::Engine(format!(
            "nil pointer evaluating interface {{}}.{name}"
        ))),
        _ => Err(Failure::Engine(format!("can't evaluate field {name}"))),
    }
}

fn fields(mut v: Value, names: &[String], mut args: Vec<Arg>) -> Result<Value, Failure> {
    for (i, n) in names.iter().enumerate() {
        let a = if i + 1 == names.len() {
            std::mem::take(&mut args)
        } else {
            Vec::new()
        };
        v = field(&v, n, a)?;
    }
    if !args.is_empty() {
        return Err(Failure::Engine(
            "can't give argument to non-function".into(),
        ));
    }
    Ok(v)
}

impl<'f> Mini<'f> {
    /// An evaluator over `funcs` with `root` as the dot.
    pub(crate) fn new(funcs: &'f FuncMap, root: Value) -> Mini<'f> {
        Mini {
            funcs,
            vars: HashMap::new(),
            root,
            state: RenderState::default(),
        }
    }

    /// Render `tpl`, returning the output with `<no value>` removed, as
    /// Helm does.
    pub(crate) fn render(&mut self, tpl: &str) -> Result<String, Failure> {
        let mut out = String::new();
        let mut rest = tpl;
        while let Some(open) = rest.find("{{") {
            let mut text = &rest[..open];
            let mut body = &rest[open + 2..];
            if let Some(b) = body.strip_prefix("- ") {
                text = text.trim_end();
                body = b;
            }
            out.push_str(text);
            let close = body
                .find("}}")
                .ok_or_else(|| Failure::Engine("unclosed action".into()))?;
            let mut action = &body[..close];
            rest = &body[close + 2..];
            if let Some(a) = action.strip_suffix(" -") {
                action = a;
                rest = rest.trim_start();
            }
            self.action(action, &mut out)?;
        }
        out.push_str(rest);
        Ok(out.replace("<no value>", ""))
    }

    fn action(&mut self, src: &str, out: &mut String) -> Result<(), Failure> {
        let toks = lex(src).map_err(Failure::Engine)?;
        if let [Tok::Var(name, f), Tok::Declare, rest @ ..] = toks.as_slice()
            && f.is_empty()
        {
            let v = self.pipeline(rest)?;
            self.vars.insert(name.clone(), v.value());
            return Ok(());
        }
        let v = self.pipeline(&toks)?.value();
        match v {
            Value::Nil => out.push_str("<no value>"),
            v => out.push_str(&format_v(&v)),
        }
        Ok(())
    }

    fn pipeline(&mut self, toks: &[Tok]) -> Result<Arg, Failure> {
        let mut cmds: Vec<&[Tok]> = Vec::new();
        let (mut depth, mut start) = (0, 0);
        for (i, t) in toks.iter().enumerate() {
            match t {
                Tok::LParen => depth += 1,
                Tok::RParen(_) => depth -= 1,
                Tok::Pipe if depth == 0 => {
                    cmds.push(&toks[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        cmds.push(&toks[start..]);
        let mut prev: Option<Arg> = None;
        for c in cmds {
            prev = Some(self.command(c, prev)?);
        }
        prev.ok_or_else(|| Failure::Engine("empty pipeline".into()))
    }

    /// Split a command into operands (each a token slice).
    fn operands(toks: &[Tok]) -> Result<Vec<&[Tok]>, Failure> {
        let mut ops = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            if let Tok::LParen = toks[i] {
                let mut depth = 0;
                let s = i;
                loop {
                    match toks.get(i) {
                        Some(Tok::LParen) => depth += 1,
                        Some(Tok::RParen(_)) => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        Some(_) => {}
                        None => return Err(Failure::Engine("unclosed paren".into())),
                    }
                    i += 1;
                }
                ops.push(&toks[s..=i]);
            } else {
                ops.push(&toks[i..=i]);
            }
            i += 1;
        }
        Ok(ops)
    }

    fn operand(&mut self, op: &[Tok]) -> Result<Arg, Failure> {
        match op {
            [Tok::Str(s)] => Ok(Arg::Str(s.clone())),
            [Tok::Int(i)] => Ok(Arg::Int(*i)),
            [Tok::Float(f)] => Ok(Arg::Float(*f)),
            [Tok::Ident(id)] if id == "true" || id == "false" => Ok(Arg::Bool(id == "true")),
            [Tok::Ident(id)] if id == "nil" => Ok(Arg::Nil),
            [Tok::Ident(_)] => self.command(op, None),
            [Tok::Field(f)] => Ok(Arg::Val(fields(self.root.clone(), f, Vec::new())?)),
            [Tok::Var(name, f)] => {
                let v = if name == "$" {
                    self.root.clone()
                } else {
                    self.vars
                        .get(name)
                        .cloned()
                        .ok_or_else(|| Failure::Engine(format!("undefined variable {name}")))?
                };
                Ok(Arg::Val(fields(v, f, Vec::new())?))
            }
            [Tok::LParen, inner @ .., Tok::RParen(f)] => {
                let v = self.pipeline(inner)?;
                if f.is_empty() {
                    Ok(v)
                } else {
                    Ok(Arg::Val(fields(v.value(), f, Vec::new())?))
                }
            }
            _ => Err(Failure::Engine(format!("bad operand {op:?}"))),
        }
    }

    fn command(&mut self, toks: &[Tok], piped: Option<Arg>) -> Result<Arg, Failure> {
        let ops = Self::operands(toks)?;
        let Some((head, tail)) = ops.split_first() else {
            return Err(Failure::Engine("empty command".into()));
        };
        let mut args = Vec::new();
        for t in tail {
            args.push(self.operand(t)?);
        }
        if let Some(p) = piped {
            args.push(p);
        }
        if let [Tok::Ident(name)] = head
            && name != "true"
            && name != "false"
            && name != "nil"
        {
            if name == "printf" {
                let mut vals: Vec<Value> = args.into_iter().map(Arg::value).collect();
                let fmt = match vals.first() {
                    Some(Value::Str(s)) => s.to_string(),
                    _ => return Err(Failure::Engine("printf needs a format".into())),
                };
                vals.remove(0);
                return Ok(Arg::Val(Value::string(sprintf(&fmt, &vals))));
            }
            let f = self
                .funcs
                .get(name)
                .ok_or_else(|| Failure::Engine(format!("function {name:?} not defined")))?
                .clone();
            let vals = convert_args(&f.sig, args).map_err(Failure::Engine)?;
            return (f.imp)(self, vals)
                .map(Arg::Val)
                .map_err(|e| Failure::Func(name.clone(), e));
        }
        // A field chain on an object with arguments is a method call.
        if !args.is_empty() {
            let (base, names) = match head {
                [Tok::LParen, inner @ .., Tok::RParen(f)] if !f.is_empty() => {
                    (self.pipeline(inner)?.value(), f.clone())
                }
                [Tok::Field(f)] if !f.is_empty() => (self.root.clone(), f.clone()),
                _ => {
                    return Err(Failure::Engine(
                        "can't give argument to non-function".into(),
                    ));
                }
            };
            return Ok(Arg::Val(fields(base, &names, args)?));
        }
        self.operand(head)
    }
}
