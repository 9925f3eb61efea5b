//! The executor: walks a parse tree with data, as Go's
//! `text/template/exec.go` does.
//!
//! The evaluation functions mirror Go's one for one (`evalPipeline`,
//! `evalCommand`, `evalField`, `evalCall`, `evalArg`, `validateType`, …)
//! because the observable behaviour lives in their details: which node is
//! "current" when an error is raised (it becomes the error's position and
//! `<context>`), when an interface value is unwrapped, which check fails
//! first. [`State::at`] is called exactly where Go calls `s.at`.
//!
//! Output goes to one `String`; text nodes are appended without copying the
//! tree. Variables live in a `Vec` used as a stack, popped at the end of the
//! control structure that declared them. Recursion (nested control
//! structures, `{{template}}` calls, nested parentheses) grows the stack on
//! the heap when it runs low, so Go's depth limit of 100000 template calls
//! is reached as an error, not a stack overflow.

use std::any::Any;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use rudder_value::{GoType, IntKind, ObjectRepr, Signature, Value};

use crate::ast::{
    Arg, Ast, BranchNode, Builtin, ChainNode, CommandNode, FieldNode, FuncRef, IdentifierNode,
    ListNode, Node, NodeRef, NumberNode, PipeNode, TemplateNode, VariableNode, is_empty_list,
};
use crate::builtins;
use crate::error::{Error, ExecError};
use crate::func::{Context, FuncError, Function, MapMethods};
use crate::parse::{self, FuncTable, Tree};
use crate::rv::{Rv, underlying};

/// What a missing map key evaluates to (Go's `missingkey` option).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum MissingKey {
    /// `missingkey=default` (or `invalid`): the invalid value, which prints
    /// `<no value>`; a field of it is again invalid.
    #[default]
    Default,
    /// `missingkey=zero`: the zero value of the map's element type (a nil
    /// interface for `map[string]interface{}`), as Helm uses.
    Zero,
    /// `missingkey=error`: execution stops with `map has no entry for key`.
    Error,
}

/// Options for one execution.
#[derive(Clone, Debug)]
pub struct ExecOptions {
    /// The missing-key behaviour.
    pub missing_key: MissingKey,
    /// The maximum nesting of template calls (`{{template}}`, and in rudder
    /// also `include`/`tpl` through [`Context`]). Go's is 100000.
    pub max_depth: usize,
}

impl Default for ExecOptions {
    fn default() -> ExecOptions {
        ExecOptions {
            missing_key: MissingKey::Default,
            max_depth: 100_000,
        }
    }
}

/// Stack space to keep free before recursing, and how much to add when
/// there is less.
const RED_ZONE: usize = 128 * 1024;
const STACK_GROWTH: usize = 2 * 1024 * 1024;

/// A set of templates to look names up in.
pub(crate) trait Lookup {
    fn lookup(&self, name: &str) -> Option<&Arc<Tree>>;
    fn root_name(&self) -> &str;
    fn funcs(&self) -> &Arc<FuncTable>;
    fn map_methods(&self, type_name: &str) -> Option<&Arc<dyn MapMethods>>;
}

/// The templates a `tpl` call parsed, on top of the set it runs in.
struct Overlay<'p> {
    parent: &'p dyn Lookup,
    local: HashMap<Box<str>, Arc<Tree>>,
}

impl Lookup for Overlay<'_> {
    fn lookup(&self, name: &str) -> Option<&Arc<Tree>> {
        self.local.get(name).or_else(|| self.parent.lookup(name))
    }
    fn root_name(&self) -> &str {
        self.parent.root_name()
    }
    fn funcs(&self) -> &Arc<FuncTable> {
        self.parent.funcs()
    }
    fn map_methods(&self, type_name: &str) -> Option<&Arc<dyn MapMethods>> {
        self.parent.map_methods(type_name)
    }
}

/// Why evaluation stopped early.
pub(crate) enum Stop {
    Break,
    Continue,
    Error(Box<Error>),
}

type R<T> = Result<T, Stop>;

struct Var<'a> {
    name: &'a str,
    value: Rv,
}

/// What is being called.
enum Callee<'f> {
    Builtin(Builtin),
    User(&'f Function),
    Method(Rc<dyn rudder_value::Object>, Signature),
    MapMethod(Arc<dyn MapMethods>, rudder_value::Map, Signature),
}

/// The state of one execution (Go's `state`).
pub(crate) struct State<'a, 'h> {
    set: &'a dyn Lookup,
    tmpl: &'a Tree,
    missing_key: MissingKey,
    max_depth: usize,
    host: &'h mut dyn Any,
    node: Option<NodeRef<'a>>,
    vars: Vec<Var<'a>>,
    depth: usize,
    pub(crate) out: String,
}

/// Execute `tmpl` of `set` with `data` as dot and `$`, appending to `out`.
/// On error, `out` is left as it was.
pub(crate) fn execute(
    set: &dyn Lookup,
    tmpl: &Tree,
    data: Value,
    opts: &ExecOptions,
    host: &mut dyn Any,
    depth: usize,
    out: &mut String,
) -> Result<(), Error> {
    let start = out.len();
    let mut st = State {
        set,
        tmpl,
        missing_key: opts.missing_key,
        max_depth: opts.max_depth,
        host,
        node: None,
        vars: Vec::with_capacity(8),
        depth,
        out: std::mem::take(out),
    };
    let r = st.run(Rv::plain(data));
    *out = std::mem::take(&mut st.out);
    if r.is_err() {
        out.truncate(start);
    }
    r
}

/// Go's `%v` of a value in an error message.
fn fmt_v(v: &Rv) -> String {
    match v {
        Rv::Invalid => "<invalid reflect.Value>".to_owned(),
        Rv::Iface(v) | Rv::Plain(v) => rudder_value::fmt::format_v(v),
    }
}

impl<'a> State<'a, '_> {
    fn run(&mut self, data: Rv) -> Result<(), Error> {
        self.vars.push(Var {
            name: "$",
            value: data.clone(),
        });
        match self.walk_list(&data, &self.tmpl.root) {
            Ok(()) => Ok(()),
            Err(Stop::Error(e)) => Err(*e),
            Err(Stop::Break | Stop::Continue) => Err(Error::Other(format!(
                "template: {}: internal error: break or continue outside range",
                self.tmpl.name
            ))),
        }
    }

    fn at(&mut self, node: NodeRef<'a>) {
        self.node = Some(node);
    }

    /// The nodes of the template being executed.
    fn ast(&self) -> &'a Ast {
        let tmpl: &'a Tree = self.tmpl;
        &tmpl.ast
    }

    /// An operand as Go prints it.
    fn shown(&self, n: &Arg) -> String {
        NodeRef::Arg(n).show(self.ast()).to_string()
    }

    /// Go's `ErrorContext`: `NAME:LINE:COL` and the node's text.
    fn error_context(&self, node: NodeRef<'_>) -> (String, String) {
        let pos = node.pos();
        let text = self.tmpl.text().get(..pos).unwrap_or(self.tmpl.text());
        let col = match text.rfind('\n') {
            None => pos,
            Some(i) => pos - (i + 1),
        };
        let line = 1 + text.bytes().filter(|&b| b == b'\n').count();
        (
            format!("{}:{}:{}", self.tmpl.parse_name, line, col),
            node.show(&self.tmpl.ast).to_string(),
        )
    }

    fn error_text(&self, msg: &str) -> String {
        let name = &self.tmpl.name;
        match self.node {
            None => format!("template: {name}: {msg}"),
            Some(node) => {
                let (location, context) = self.error_context(node);
                format!(
                    "template: {location}: executing {} at <{context}>: {msg}",
                    rudder_value::fmt::quote(name)
                )
            }
        }
    }

    /// Go's `errorf`: an execution error at the current node.
    fn errorf(&self, msg: impl AsRef<str>) -> Stop {
        Stop::Error(Box::new(Error::Exec(ExecError {
            text: self.error_text(msg.as_ref()),
            source: None,
        })))
    }

    fn err<T>(&self, msg: impl AsRef<str>) -> R<T> {
        Err(self.errorf(msg))
    }

    fn push_var(&mut self, name: &'a str, value: Rv) {
        self.vars.push(Var { name, value });
    }

    fn set_var(&mut self, name: &str, value: Rv) -> R<()> {
        for v in self.vars.iter_mut().rev() {
            if v.name == name {
                v.value = value;
                return Ok(());
            }
        }
        self.err(format!("undefined variable: {name}"))
    }

    fn set_top_var(&mut self, n: usize, value: Rv) {
        let len = self.vars.len();
        if let Some(v) = len.checked_sub(n).and_then(|i| self.vars.get_mut(i)) {
            v.value = value;
        }
    }

    fn var_value(&self, name: &str) -> R<Rv> {
        for v in self.vars.iter().rev() {
            if v.name == name {
                return Ok(v.value.clone());
            }
        }
        self.err(format!("undefined variable: {name}"))
    }

    fn walk_list(&mut self, dot: &Rv, list: &'a ListNode) -> R<()> {
        self.at(NodeRef::List(list));
        stacker::maybe_grow(RED_ZONE, STACK_GROWTH, || {
            for n in self.ast().nodes(list) {
                self.walk(dot, n)?;
            }
            Ok(())
        })
    }

    fn walk(&mut self, dot: &Rv, node: &'a Node) -> R<()> {
        self.at(NodeRef::Node(node));
        match node {
            Node::Text(t) => {
                let text = self.tmpl.text();
                self.out.push_str(t.text(text));
                Ok(())
            }
            Node::Action(a) => {
                let v = self.eval_pipeline(dot, &a.pipe)?;
                if a.pipe.decl.is_empty() {
                    self.print_value(node, &v);
                }
                Ok(())
            }
            Node::If(b) => self.walk_if_or_with(false, dot, b),
            Node::With(b) => self.walk_if_or_with(true, dot, b),
            Node::Range(b) => self.walk_range(dot, node, b),
            Node::Template(t) => self.walk_template(dot, node, t),
            Node::Break(_) => Err(Stop::Break),
            Node::Continue(_) => Err(Stop::Continue),
        }
    }

    fn walk_if_or_with(&mut self, with: bool, dot: &Rv, b: &'a BranchNode) -> R<()> {
        let mark = self.vars.len();
        let r = self.if_or_with_body(with, dot, b);
        self.vars.truncate(mark);
        r
    }

    fn if_or_with_body(&mut self, with: bool, dot: &Rv, b: &'a BranchNode) -> R<()> {
        let val = self.eval_pipeline(dot, &b.pipe)?;
        if val.is_true() {
            if with {
                self.walk_list(&val, &b.list)
            } else {
                self.walk_list(dot, &b.list)
            }
        } else if let Some(e) = &b.else_list {
            self.walk_list(dot, e)
        } else {
            Ok(())
        }
    }

    fn walk_range(&mut self, dot: &Rv, node: &'a Node, r: &'a BranchNode) -> R<()> {
        self.at(NodeRef::Node(node));
        let mark0 = self.vars.len();
        let res = self.range_body(dot, r);
        self.vars.truncate(mark0);
        match res {
            Err(Stop::Break) => Ok(()),
            other => other,
        }
    }

    /// Runs the iterations; `Ok(true)` when at least one ran (so `else` is
    /// skipped).
    fn range_body(&mut self, dot: &Rv, r: &'a BranchNode) -> R<()> {
        let val = self.eval_pipeline(dot, &r.pipe)?;
        let mark = self.vars.len();
        let ran = match val.value().cloned() {
            None => false,
            Some(v) => self.range_over(r, mark, &val, v)?,
        };
        if !ran && let Some(e) = &r.else_list {
            return self.walk_list(dot, e);
        }
        Ok(())
    }

    fn range_over(&mut self, r: &'a BranchNode, mark: usize, val: &Rv, v: Value) -> R<bool> {
        match &v {
            Value::Int(n, kind) => {
                if r.pipe.decl.len() > 1 {
                    return self.err(format!(
                        "can't use {} to iterate over more than one variable",
                        fmt_v(val)
                    ));
                }
                let count: u64 = if kind.is_unsigned() || *n > 0 {
                    *n as u64
                } else {
                    0
                };
                for i in 0..count {
                    let elem = Rv::Plain(Value::Int(i as i64, *kind));
                    if !self.one_iteration(r, mark, Rv::Invalid, elem)? {
                        break;
                    }
                }
                Ok(count > 0)
            }
            Value::List(l) => {
                if l.is_empty() {
                    return Ok(false);
                }
                let any = l.elem() == rudder_value::ElemType::Any;
                for (i, item) in l.iter().enumerate() {
                    let elem = if any {
                        Rv::Iface(item.clone())
                    } else {
                        Rv::plain(item.clone())
                    };
                    if !self.one_iteration(r, mark, Rv::Plain(Value::int(i as i64)), elem)? {
                        break;
                    }
                }
                Ok(true)
            }
            Value::Bytes(b) => {
                if b.is_empty() {
                    return Ok(false);
                }
                for (i, c) in b.iter().enumerate() {
                    let elem = Rv::Plain(Value::Int(i64::from(*c), IntKind::Uint8));
                    if !self.one_iteration(r, mark, Rv::Plain(Value::int(i as i64)), elem)? {
                        break;
                    }
                }
                Ok(true)
            }
            Value::Map(m) => {
                // Go sorts a snapshot of the map before iterating, so the
                // body may change the map.
                let entries = m.entries();
                if entries.is_empty() {
                    return Ok(false);
                }
                let kind = m.kind();
                for (k, item) in entries {
                    let elem = Rv::map_elem(kind, item);
                    if !self.one_iteration(r, mark, Rv::Plain(Value::Str(k)), elem)? {
                        break;
                    }
                }
                Ok(true)
            }
            Value::Object(_) => match underlying(&v) {
                Some(inner @ (Value::List(_) | Value::Map(_) | Value::Bytes(_))) => {
                    self.range_over(r, mark, val, inner)
                }
                _ => self.err(format!("range can't iterate over {}", fmt_v(val))),
            },
            _ => self.err(format!("range can't iterate over {}", fmt_v(val))),
        }
    }

    /// One iteration of a range body; `Ok(false)` after `{{break}}`.
    fn one_iteration(&mut self, r: &'a BranchNode, mark: usize, index: Rv, elem: Rv) -> R<bool> {
        let ast = self.ast();
        let decl = ast.decl(&r.pipe);
        if let Some(first) = decl.first() {
            if r.pipe.is_assign {
                let name = ast.var_name(first);
                let v = if decl.len() > 1 {
                    index.clone()
                } else {
                    elem.clone()
                };
                self.set_var(name, v)?;
            } else {
                self.set_top_var(1, elem.clone());
            }
        }
        if let Some(second) = decl.get(1) {
            if r.pipe.is_assign {
                let name = ast.var_name(second);
                self.set_var(name, elem.clone())?;
            } else {
                self.set_top_var(2, index);
            }
        }
        let res = self.walk_list(&elem, &r.list);
        self.vars.truncate(mark);
        match res {
            Ok(()) | Err(Stop::Continue) => Ok(true),
            Err(Stop::Break) => Ok(false),
            Err(e) => Err(e),
        }
    }

    fn walk_template(&mut self, dot: &Rv, node: &'a Node, t: &'a TemplateNode) -> R<()> {
        self.at(NodeRef::Node(node));
        let name = self.ast().str(t.name);
        let Some(tmpl) = self.set.lookup(name) else {
            return self.err(format!(
                "template {} not defined",
                rudder_value::fmt::quote(name)
            ));
        };
        if self.depth >= self.max_depth {
            return self.err(format!(
                "exceeded maximum template depth ({})",
                self.max_depth
            ));
        }
        let new_dot = match &t.pipe {
            Some(p) => self.eval_pipeline(dot, p)?,
            None => Rv::Invalid,
        };
        let saved_tmpl = std::mem::replace(&mut self.tmpl, tmpl);
        let saved_vars = std::mem::replace(&mut self.vars, Vec::with_capacity(4));
        let saved_node = self.node;
        self.vars.push(Var {
            name: "$",
            value: new_dot.clone(),
        });
        self.depth += 1;
        let r = self.walk_list(&new_dot, &tmpl.root);
        self.depth -= 1;
        self.tmpl = saved_tmpl;
        self.vars = saved_vars;
        self.node = saved_node;
        r
    }

    fn eval_pipeline(&mut self, dot: &Rv, pipe: &'a PipeNode) -> R<Rv> {
        self.at(NodeRef::Pipe(pipe));
        stacker::maybe_grow(RED_ZONE, STACK_GROWTH, || {
            let mut value: Option<Rv> = None;
            let ast = self.ast();
            for cmd in ast.cmds(pipe) {
                let v = self.eval_command(dot, cmd, value.take())?;
                // A value of static type interface{} is unwrapped to the
                // value inside.
                value = Some(v.unwrap_iface());
            }
            let value = value.unwrap_or(Rv::Invalid);
            for var in ast.decl(pipe) {
                let name = ast.var_name(var);
                if pipe.is_assign {
                    self.set_var(name, value.clone())?;
                } else {
                    self.push_var(name, value.clone());
                }
            }
            Ok(value)
        })
    }

    fn not_a_function(&self, args: Option<&[Arg]>, fin: &Option<Rv>) -> R<()> {
        let n = args.map_or(0, <[Arg]>::len);
        if n > 1 || fin.is_some() {
            let first = args
                .and_then(|a| a.first())
                .map(|a| self.shown(a))
                .unwrap_or_default();
            return self.err(format!("can't give argument to non-function {first}"));
        }
        Ok(())
    }

    fn eval_command(&mut self, dot: &Rv, cmd: &'a CommandNode, fin: Option<Rv>) -> R<Rv> {
        let ast = self.ast();
        let args = ast.args(cmd);
        let Some(first) = args.first() else {
            return self.err("empty command");
        };
        match first {
            Arg::Field(f) => return self.eval_field_node(dot, first, f, Some(args), fin),
            Arg::Chain(c) => return self.eval_chain_node(dot, first, c, Some(args), fin),
            Arg::Identifier(id) => {
                return self.eval_function(dot, first, id, NodeRef::Command(cmd), Some(args), fin);
            }
            Arg::Pipe(p) => {
                self.not_a_function(Some(args), &fin)?;
                return self.eval_pipeline(dot, p);
            }
            Arg::Variable(v) => {
                return self.eval_variable_node(dot, first, v, Some(args), fin);
            }
            _ => {}
        }
        self.at(NodeRef::Arg(first));
        self.not_a_function(Some(args), &fin)?;
        match first {
            Arg::Bool(_, b) => Ok(Rv::Plain(Value::Bool(*b))),
            Arg::Dot(_) => Ok(dot.clone()),
            Arg::Nil(_) => self.err("nil is not a command"),
            Arg::Number(_, i) => self.ideal_constant(first, ast.number(*i)),
            Arg::String(s) => Ok(Rv::Plain(Value::str(ast.str(s.text)))),
            _ => self.err(format!(
                "can't evaluate command {}",
                rudder_value::fmt::quote(&self.shown(first))
            )),
        }
    }

    /// A number in a context without a type: its syntax decides (Go's
    /// `idealConstant`).
    fn ideal_constant(&mut self, node: &'a Arg, n: &NumberNode) -> R<Rv> {
        self.at(NodeRef::Arg(node));
        let text = self.ast().str(n.text);
        if n.is_complex {
            return self.err(format!(
                "complex constant {text} is not supported by rudder"
            ));
        }
        let is_hex_int = text.len() > 2
            && text.starts_with('0')
            && matches!(text.as_bytes().get(1), Some(b'x' | b'X'))
            && !text.contains(['p', 'P']);
        let is_rune = text.starts_with('\'');
        if n.is_float && !is_hex_int && !is_rune && text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Ok(Rv::Plain(Value::Float(n.float64)));
        }
        if n.is_int {
            return Ok(Rv::Plain(Value::int(n.int64)));
        }
        if n.is_uint {
            return self.err(format!("{text} overflows int"));
        }
        Ok(Rv::Invalid)
    }

    fn eval_field_node(
        &mut self,
        dot: &Rv,
        node: &'a Arg,
        field: &'a FieldNode,
        args: Option<&'a [Arg]>,
        fin: Option<Rv>,
    ) -> R<Rv> {
        self.at(NodeRef::Arg(node));
        let path = self.ast().str(field.path);
        self.eval_field_chain(dot, dot.clone(), node, path, args, fin)
    }

    fn eval_chain_node(
        &mut self,
        dot: &Rv,
        node: &'a Arg,
        chain: &'a ChainNode,
        args: Option<&'a [Arg]>,
        fin: Option<Rv>,
    ) -> R<Rv> {
        self.at(NodeRef::Arg(node));
        let ast = self.ast();
        let path = ast.str(chain.path);
        if path.is_empty() {
            return self.err("internal error: no fields in evalChainNode");
        }
        let inner = ast.chained(chain);
        if let Arg::Nil(_) = inner {
            return self.err(format!(
                "indirection through explicit nil in {}",
                self.shown(node)
            ));
        }
        let pipe = self.eval_arg(dot, None, inner)?;
        self.eval_field_chain(dot, pipe, node, path, args, fin)
    }

    fn eval_variable_node(
        &mut self,
        dot: &Rv,
        node: &'a Arg,
        var: &'a VariableNode,
        args: Option<&'a [Arg]>,
        fin: Option<Rv>,
    ) -> R<Rv> {
        self.at(NodeRef::Arg(node));
        let ast = self.ast();
        let value = self.var_value(ast.var_name(var))?;
        let Some(fields) = ast.var_fields(var) else {
            self.not_a_function(args, &fin)?;
            return Ok(value);
        };
        self.eval_field_chain(dot, value, node, fields, args, fin)
    }

    fn eval_field_chain(
        &mut self,
        dot: &Rv,
        receiver: Rv,
        node: &'a Arg,
        path: &'a str,
        args: Option<&'a [Arg]>,
        fin: Option<Rv>,
    ) -> R<Rv> {
        // Segments are a few bytes long: a plain byte loop is cheaper here
        // than `split`'s searcher, and this runs for every `.Values.x.y`.
        let mut receiver = receiver;
        let mut rest = path;
        while let Some(i) = rest.bytes().position(|b| b == b'.') {
            let (name, tail) = rest.split_at(i);
            receiver = self.eval_field(dot, name, node, None, None, receiver)?;
            rest = tail.get(1..).unwrap_or("");
        }
        self.eval_field(dot, rest, node, args, fin, receiver)
    }

    fn eval_function(
        &mut self,
        dot: &Rv,
        node: &'a Arg,
        id: &'a IdentifierNode,
        call_node: NodeRef<'a>,
        args: Option<&'a [Arg]>,
        fin: Option<Rv>,
    ) -> R<Rv> {
        self.at(NodeRef::Arg(node));
        let callee = match &id.func {
            FuncRef::Builtin(b) => Callee::Builtin(*b),
            FuncRef::User(f) => Callee::User(f),
        };
        self.eval_call(dot, callee, call_node, &id.name, args, fin)
    }

    /// `.Name` on `receiver`: a method, a struct field or a map key.
    fn eval_field(
        &mut self,
        dot: &Rv,
        name: &'a str,
        node: &'a Arg,
        args: Option<&'a [Arg]>,
        fin: Option<Rv>,
        receiver: Rv,
    ) -> R<Rv> {
        let (iface, v) = match receiver {
            Rv::Invalid => {
                if self.missing_key == MissingKey::Error {
                    return self.err(format!(
                        "nil data; no entry for key {}",
                        rudder_value::fmt::quote(name)
                    ));
                }
                return Ok(Rv::Invalid);
            }
            Rv::Iface(Value::Nil) => {
                return self.err(format!("nil pointer evaluating interface {{}}.{name}"));
            }
            Rv::Iface(v) => (true, v),
            Rv::Plain(v) => (false, v),
        };
        let type_name = |v: &Value| {
            if iface {
                "interface {}".to_owned()
            } else {
                v.type_name().into_owned()
            }
        };
        if let Value::Object(o) = &v
            && let Some(sig) = o.method(name)
        {
            let callee = Callee::Method(o.clone(), sig);
            return self.eval_call(dot, callee, NodeRef::Arg(node), name, args, fin);
        }
        if let Value::Map(m) = &v
            && let rudder_value::MapKind::Named(type_name) = m.kind()
            && let Some(methods) = self.set.map_methods(type_name)
            && let Some(sig) = methods.method(name)
        {
            let callee = Callee::MapMethod(methods.clone(), m.clone(), sig);
            return self.eval_call(dot, callee, NodeRef::Arg(node), name, args, fin);
        }
        let has_args = args.map_or(0, <[Arg]>::len) > 1 || fin.is_some();
        let map = match &v {
            Value::Object(o) => {
                if let Some(field) = o.field(name) {
                    if has_args {
                        return self.err(format!(
                            "{name} has arguments but cannot be invoked as function"
                        ));
                    }
                    return Ok(Rv::from_result(field));
                }
                match o.repr() {
                    ObjectRepr::Value(Value::Map(m)) => Some(m),
                    _ => None,
                }
            }
            Value::Map(m) => Some(m.clone()),
            _ => None,
        };
        if let Some(m) = map {
            if has_args {
                return self.err(format!("{name} is not a method but has arguments"));
            }
            return match m.get(name) {
                Some(found) => Ok(Rv::map_elem(m.kind(), found)),
                None => match self.missing_key {
                    MissingKey::Default => Ok(Rv::Invalid),
                    MissingKey::Zero => Ok(Rv::map_elem(m.kind(), m.kind().zero())),
                    MissingKey::Error => self.err(format!(
                        "map has no entry for key {}",
                        rudder_value::fmt::quote(name)
                    )),
                },
            };
        }
        self.err(format!(
            "can't evaluate field {name} in type {}",
            type_name(&v)
        ))
    }

    /// Call a function or method with the command's arguments and the
    /// pipeline's previous value (Go's `evalCall`).
    fn eval_call(
        &mut self,
        dot: &Rv,
        callee: Callee<'a>,
        node: NodeRef<'a>,
        name: &'a str,
        args: Option<&'a [Arg]>,
        fin: Option<Rv>,
    ) -> R<Rv> {
        // The first argument is the function's own node.
        let args: &'a [Arg] = args.and_then(|a| a.get(1..)).unwrap_or(&[]);
        let (fixed, variadic): (&[GoType], Option<GoType>) = match &callee {
            Callee::Builtin(b) => builtins::signature(*b),
            Callee::User(f) => (&f.sig.params, f.sig.variadic),
            Callee::Method(_, sig) | Callee::MapMethod(_, _, sig) => (&sig.params, sig.variadic),
        };
        let num_in = args.len() + usize::from(fin.is_some());
        let num_fixed = if variadic.is_some() {
            if num_in < fixed.len() {
                return self.err(format!(
                    "wrong number of args for {name}: want at least {} got {}",
                    fixed.len(),
                    args.len()
                ));
            }
            fixed.len()
        } else {
            if num_in != fixed.len() {
                return self.err(format!(
                    "wrong number of args for {name}: want {} got {num_in}",
                    fixed.len()
                ));
            }
            args.len()
        };

        if let Callee::Builtin(b @ (Builtin::And | Builtin::Or)) = &callee {
            let b = *b;
            let is_or = b == Builtin::Or;
            let mut v = Rv::Invalid;
            for arg in args {
                v = self.eval_arg(dot, Some(GoType::ReflectValue), arg)?;
                if v.is_true() == is_or {
                    return Ok(v);
                }
            }
            if let Some(f) = fin {
                v = self.validate_type(f, Some(GoType::ReflectValue))?;
            }
            return Ok(v);
        }

        let call_name = if let Callee::Builtin(Builtin::Call) = &callee {
            match (args.first(), &fin) {
                (Some(a), _) => self.shown(a),
                (None, Some(f)) => reflect_string(f),
                (None, None) => String::new(),
            }
        } else {
            String::new()
        };

        // Builtins see the executor's values; other functions get plain
        // values, collected directly.
        let mut argv = if let Callee::Builtin(_) = &callee {
            Argv::Rv(Vec::with_capacity(num_in))
        } else {
            Argv::Val(Vec::with_capacity(num_in))
        };
        let mut i = 0;
        while i < num_fixed && i < args.len() {
            let t = fixed.get(i).copied();
            argv.push(self.eval_arg(dot, t, &args[i])?);
            i += 1;
        }
        if let Some(vt) = variadic {
            while i < args.len() {
                argv.push(self.eval_arg(dot, Some(vt), &args[i])?);
                i += 1;
            }
        }
        if let Some(f) = fin {
            let t = match variadic {
                Some(vt) => {
                    if num_in - 1 < num_fixed {
                        fixed.get(num_in - 1).copied()
                    } else {
                        Some(vt)
                    }
                }
                None => fixed.last().copied(),
            };
            argv.push(self.validate_type(f, t)?);
        }

        let result: Result<Rv, FuncError> = match (&callee, argv) {
            (Callee::Builtin(b), Argv::Rv(argv)) => {
                builtins::call(*b, argv, &call_name).map_err(FuncError::new)
            }
            (Callee::Builtin(b), Argv::Val(vals)) => {
                let argv = vals.into_iter().map(Rv::plain).collect();
                builtins::call(*b, argv, &call_name).map_err(FuncError::new)
            }
            (Callee::User(f), argv) => {
                let vals = argv.into_values();
                catch_panic(|| (f.imp)(self, vals)).map(Rv::from_result)
            }
            (Callee::MapMethod(methods, receiver, _), argv) => {
                let vals = argv.into_values();
                let (methods, receiver) = (methods.clone(), receiver.clone());
                catch_panic(|| methods.call(self, &receiver, name, vals)).map(Rv::from_result)
            }
            (Callee::Method(o, _), argv) => {
                let vals = argv.into_values();
                catch_panic(|| o.call_method(name, vals).map_err(FuncError::new))
                    .map(Rv::from_result)
            }
        };
        match result {
            Ok(v) => Ok(v),
            Err(e) => {
                self.at(node);
                let text = self.error_text(&format!("error calling {name}: {e}"));
                Err(Stop::Error(Box::new(Error::Exec(ExecError {
                    text,
                    source: Some(Box::new(e)),
                }))))
            }
        }
    }

    /// Check that `value` can be passed as a `typ` (Go's `validateType`);
    /// `None` is "any type, nil allowed".
    fn validate_type(&self, value: Rv, typ: Option<GoType>) -> R<Rv> {
        let Some(t) = typ else {
            return Ok(value);
        };
        if t == GoType::ReflectValue {
            return Ok(value);
        }
        match value {
            Rv::Invalid => {
                if t.can_be_nil() {
                    Ok(zero_of(t))
                } else {
                    self.err(format!("invalid value; expected {}", t.name()))
                }
            }
            Rv::Iface(Value::Nil) => {
                if t == GoType::Any {
                    Ok(Rv::Iface(Value::Nil))
                } else {
                    self.err(format!(
                        "wrong type for value; expected {}; got interface {{}}",
                        t.name()
                    ))
                }
            }
            Rv::Iface(v) if t == GoType::Any => Ok(Rv::Iface(v)),
            Rv::Iface(v) | Rv::Plain(v) => {
                if t.accepts(&v) {
                    Ok(Rv::Plain(t.coerce(v)))
                } else {
                    self.err(format!(
                        "wrong type for value; expected {}; got {}",
                        t.name(),
                        v.type_name()
                    ))
                }
            }
        }
    }

    /// Evaluate an argument for a parameter of type `typ` (Go's `evalArg`):
    /// constants take the parameter's type, other operands are checked.
    fn eval_arg(&mut self, dot: &Rv, typ: Option<GoType>, n: &'a Arg) -> R<Rv> {
        self.at(NodeRef::Arg(n));
        match n {
            Arg::Dot(_) => return self.validate_type(dot.clone(), typ),
            Arg::Nil(_) => {
                return match typ {
                    None | Some(GoType::Any | GoType::ReflectValue) => {
                        Ok(zero_of(typ.unwrap_or(GoType::Any)))
                    }
                    Some(t) if t.can_be_nil() => Ok(zero_of(t)),
                    Some(t) => self.err(format!("cannot assign nil to {}", t.name())),
                };
            }
            Arg::Field(f) => {
                let v = self.eval_field_node(dot, n, f, Some(std::slice::from_ref(n)), None)?;
                return self.validate_type(v, typ);
            }
            Arg::Variable(var) => {
                let v = self.eval_variable_node(dot, n, var, None, None)?;
                return self.validate_type(v, typ);
            }
            Arg::Pipe(p) => {
                let v = self.eval_pipeline(dot, p)?;
                return self.validate_type(v, typ);
            }
            Arg::Identifier(id) => {
                let v = self.eval_function(dot, n, id, NodeRef::Arg(n), None, None)?;
                return self.validate_type(v, typ);
            }
            Arg::Chain(c) => {
                let v = self.eval_chain_node(dot, n, c, None, None)?;
                return self.validate_type(v, typ);
            }
            Arg::Bool(..) | Arg::Number(..) | Arg::String(_) => {}
        }
        let Some(t) = typ else {
            return self.eval_empty_interface(n);
        };
        let ast = self.ast();
        let num = match n {
            Arg::Number(_, i) => Some(ast.number(*i)),
            _ => None,
        };
        match t {
            GoType::Bool => match n {
                Arg::Bool(_, b) => Ok(Rv::Plain(Value::Bool(*b))),
                _ => self.err(format!("expected bool; found {}", self.shown(n))),
            },
            GoType::Float64 => match num {
                Some(num) if num.is_float => Ok(Rv::Plain(Value::Float(num.float64))),
                _ => self.err(format!("expected float; found {}", self.shown(n))),
            },
            GoType::Int(k) if !k.is_unsigned() => match num {
                Some(num) if num.is_int => Ok(Rv::Plain(Value::Int(truncate_int(num.int64, k), k))),
                _ => self.err(format!("expected integer; found {}", self.shown(n))),
            },
            GoType::Int(k) => match num {
                Some(num) if num.is_uint => {
                    Ok(Rv::Plain(Value::Int(truncate_uint(num.uint64, k), k)))
                }
                _ => self.err(format!(
                    "expected unsigned integer; found {}",
                    self.shown(n)
                )),
            },
            GoType::String => match n {
                Arg::String(s) => Ok(Rv::Plain(Value::str(ast.str(s.text)))),
                _ => self.err(format!("expected string; found {}", self.shown(n))),
            },
            GoType::Any | GoType::ReflectValue => self.eval_empty_interface(n),
            other => self.err(format!(
                "can't handle {} for arg of type {}",
                self.shown(n),
                other.name()
            )),
        }
    }

    /// A constant passed where any type is accepted.
    fn eval_empty_interface(&mut self, n: &'a Arg) -> R<Rv> {
        self.at(NodeRef::Arg(n));
        let ast = self.ast();
        match n {
            Arg::Bool(_, b) => Ok(Rv::Plain(Value::Bool(*b))),
            Arg::Number(_, i) => self.ideal_constant(n, ast.number(*i)),
            Arg::String(s) => Ok(Rv::Plain(Value::str(ast.str(s.text)))),
            _ => self.err(format!(
                "can't handle assignment of {} to empty interface argument",
                self.shown(n)
            )),
        }
    }

    fn print_value(&mut self, node: &'a Node, v: &Rv) {
        self.at(NodeRef::Node(node));
        match v.value() {
            None => self.out.push_str("<no value>"),
            Some(Value::Object(_)) => {
                let text = builtins::printable(v.value().unwrap_or(&Value::Nil));
                self.out.push_str(&text);
            }
            Some(val) => rudder_value::fmt::write_v(&mut self.out, val),
        }
    }

    /// Run `tmpl` in a nested execution sharing this one's options, host
    /// and depth; used by [`Context`].
    fn nested(&mut self, set: &dyn Lookup, tmpl: &Tree, data: Value) -> Result<String, Error> {
        if self.depth >= self.max_depth {
            return Err(Error::Exec(ExecError {
                text: format!(
                    "template: {}: exceeded maximum template depth ({})",
                    tmpl.name, self.max_depth
                ),
                source: None,
            }));
        }
        let opts = ExecOptions {
            missing_key: self.missing_key,
            max_depth: self.max_depth,
        };
        let mut out = String::new();
        execute(
            set,
            tmpl,
            data,
            &opts,
            &mut *self.host,
            self.depth + 1,
            &mut out,
        )?;
        Ok(out)
    }
}

/// Run an injected function, turning a panic into its error as Go's
/// `safeCall` does (`error calling NAME: <panic>`), so that a bug in a
/// function fails the render instead of aborting the program.
fn catch_panic<T>(f: impl FnOnce() -> Result<T, FuncError>) -> Result<T, FuncError> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic in function".to_owned());
            Err(FuncError::new(msg))
        }
    }
}

/// The arguments of a call being built.
enum Argv {
    Rv(Vec<Rv>),
    Val(Vec<Value>),
}

impl Argv {
    fn push(&mut self, v: Rv) {
        match self {
            Argv::Rv(a) => a.push(v),
            Argv::Val(a) => a.push(v.into_value()),
        }
    }

    fn into_values(self) -> Vec<Value> {
        match self {
            Argv::Rv(a) => a.into_iter().map(Rv::into_value).collect(),
            Argv::Val(a) => a,
        }
    }
}

/// Go's `reflect.Value.String()`: the string itself, or `<T Value>`.
fn reflect_string(v: &Rv) -> String {
    match v.value() {
        Some(Value::Str(s)) => s.to_string(),
        Some(other) => format!("<{} Value>", other.type_name()),
        None => "<invalid Value>".to_owned(),
    }
}

/// The value nil stands for when passed as a `t`.
fn zero_of(t: GoType) -> Rv {
    match t {
        GoType::Any => Rv::Iface(Value::Nil),
        GoType::ReflectValue => Rv::Invalid,
        other => Rv::plain(other.zero()),
    }
}

/// Go's `reflect.Value.SetInt` on a narrower integer type keeps the low
/// bits.
fn truncate_int(v: i64, k: IntKind) -> i64 {
    match k.bits() {
        8 => i64::from(v as i8),
        16 => i64::from(v as i16),
        32 => i64::from(v as i32),
        _ => v,
    }
}

fn truncate_uint(v: u64, k: IntKind) -> i64 {
    match k.bits() {
        8 => i64::from(v as u8),
        16 => i64::from(v as u16),
        32 => i64::from(v as u32),
        _ => v as i64,
    }
}

impl Context for State<'_, '_> {
    fn execute_template(&mut self, name: &str, data: Value) -> Result<String, Error> {
        let set = self.set;
        let Some(tmpl) = set.lookup(name) else {
            return Err(Error::Other(format!(
                "template: no template {} associated with template {}",
                rudder_value::fmt::quote(name),
                rudder_value::fmt::quote(set.root_name())
            )));
        };
        self.nested(set, tmpl, data)
    }

    fn execute_text(&mut self, name: &str, text: &str, data: Value) -> Result<String, Error> {
        let set = self.set;
        let trees = parse::parse(name, text, set.funcs()).map_err(|e| Error::Parse(e.0))?;
        let mut overlay = Overlay {
            parent: set,
            local: HashMap::new(),
        };
        for tree in trees {
            let keep_old =
                overlay.lookup(&tree.name).is_some() && is_empty_list(&tree.root, &tree.ast);
            if !keep_old {
                overlay.local.insert(tree.name.clone(), Arc::new(tree));
            }
        }
        let Some(tmpl) = overlay.lookup(name).cloned() else {
            return Err(Error::Other(format!(
                "template: no template {} associated with template {}",
                rudder_value::fmt::quote(name),
                rudder_value::fmt::quote(set.root_name())
            )));
        };
        self.nested(&overlay, &tmpl, data)
    }

    fn host(&mut self) -> &mut dyn Any {
        &mut *self.host
    }
}

#[cfg(test)]
mod tests;
