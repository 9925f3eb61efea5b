//! The parse tree: Go's `text/template/parse` nodes, with constants already
//! converted and function names already resolved.
//!
//! Every node keeps its byte position, because execution errors report the
//! position of the node being evaluated (`NAME:LINE:COL`), and prints as Go's
//! `Node.String()` does, because that text is the `<…>` context of an
//! execution error. The tree holds no [`rudder_value::Value`]: it is shared
//! between threads, and constants become values when evaluated.

use std::fmt::{self, Display, Formatter, Write as _};
use std::sync::Arc;

use crate::func::Function;

/// A sequence of nodes (Go's `ListNode`).
#[derive(Debug, Clone)]
pub(crate) struct ListNode {
    pub(crate) pos: usize,
    pub(crate) nodes: Vec<Node>,
}

/// A node that can appear in a list.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    Text(TextNode),
    Action(ActionNode),
    If(BranchNode),
    Range(BranchNode),
    With(BranchNode),
    Template(TemplateNode),
    Break(usize),
    Continue(usize),
}

/// Plain text: `len` bytes of the tree's source text at `pos` (kept as a
/// range, so parsing copies no text).
#[derive(Debug, Clone)]
pub(crate) struct TextNode {
    pub(crate) pos: usize,
    pub(crate) len: usize,
}

impl TextNode {
    /// The text, given the source text of the tree it belongs to.
    pub(crate) fn text<'t>(&self, src: &'t str) -> &'t str {
        src.get(self.pos..self.pos + self.len).unwrap_or("")
    }
}

/// `{{pipeline}}`.
#[derive(Debug, Clone)]
pub(crate) struct ActionNode {
    pub(crate) pos: usize,
    pub(crate) pipe: PipeNode,
}

/// `if`, `range` or `with`.
#[derive(Debug, Clone)]
pub(crate) struct BranchNode {
    pub(crate) pos: usize,
    pub(crate) pipe: PipeNode,
    pub(crate) list: ListNode,
    pub(crate) else_list: Option<ListNode>,
}

/// `{{template "name" pipeline}}`.
#[derive(Debug, Clone)]
pub(crate) struct TemplateNode {
    pub(crate) pos: usize,
    pub(crate) name: Box<str>,
    pub(crate) pipe: Option<PipeNode>,
}

/// A pipeline with optional variable declarations.
#[derive(Debug, Clone)]
pub(crate) struct PipeNode {
    pub(crate) pos: usize,
    pub(crate) is_assign: bool,
    pub(crate) decl: Vec<VariableNode>,
    pub(crate) cmds: Vec<CommandNode>,
}

/// One command of a pipeline: an operand and its arguments.
#[derive(Debug, Clone)]
pub(crate) struct CommandNode {
    pub(crate) pos: usize,
    pub(crate) args: Vec<Arg>,
}

/// An operand.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Field(FieldNode),
    Chain(ChainNode),
    Identifier(IdentifierNode),
    Pipe(Box<PipeNode>),
    Variable(VariableNode),
    Dot(usize),
    Nil(usize),
    Bool(usize, bool),
    Number(Box<NumberNode>),
    String(StringNode),
}

/// `.A.B`: the field names joined by dots, without the leading dot
/// (`A.B`). One string rather than a list keeps parsing to one allocation.
#[derive(Debug, Clone)]
pub(crate) struct FieldNode {
    pub(crate) pos: usize,
    pub(crate) path: Box<str>,
}

/// `$x.A.B`: the variable name (with its `$`) then the fields, joined by
/// dots.
#[derive(Debug, Clone)]
pub(crate) struct VariableNode {
    pub(crate) pos: usize,
    pub(crate) path: Box<str>,
}

impl VariableNode {
    /// The variable's name, `$x`.
    pub(crate) fn name(&self) -> &str {
        self.path.split('.').next().unwrap_or("")
    }

    /// The fields after the name (`A.B`), if any.
    pub(crate) fn fields(&self) -> Option<&str> {
        self.path.split_once('.').map(|(_, f)| f)
    }
}

/// `(pipeline).A` or `fn.A`: a term followed by fields (`A.B`).
#[derive(Debug, Clone)]
pub(crate) struct ChainNode {
    pub(crate) pos: usize,
    pub(crate) node: Box<Arg>,
    pub(crate) path: Box<str>,
}

/// A function name, resolved when parsed.
#[derive(Debug, Clone)]
pub(crate) struct IdentifierNode {
    pub(crate) pos: usize,
    /// Shared with the function table, so naming a function allocates
    /// nothing.
    pub(crate) name: Arc<str>,
    pub(crate) func: FuncRef,
}

/// What a function name refers to.
#[derive(Debug, Clone)]
pub(crate) enum FuncRef {
    Builtin(Builtin),
    User(Arc<Function>),
}

/// Go's builtin functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Builtin {
    And,
    Or,
    Not,
    Len,
    Index,
    Slice,
    Print,
    Printf,
    Println,
    Html,
    Js,
    Urlquery,
    Call,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Builtin {
    /// The names of all builtins.
    pub(crate) const NAMES: &'static [&'static str] = &[
        "and", "or", "not", "len", "index", "slice", "print", "printf", "println", "html", "js",
        "urlquery", "call", "eq", "ne", "lt", "le", "gt", "ge",
    ];

    pub(crate) fn lookup(name: &str) -> Option<Builtin> {
        Some(match name {
            "and" => Builtin::And,
            "or" => Builtin::Or,
            "not" => Builtin::Not,
            "len" => Builtin::Len,
            "index" => Builtin::Index,
            "slice" => Builtin::Slice,
            "print" => Builtin::Print,
            "printf" => Builtin::Printf,
            "println" => Builtin::Println,
            "html" => Builtin::Html,
            "js" => Builtin::Js,
            "urlquery" => Builtin::Urlquery,
            "call" => Builtin::Call,
            "eq" => Builtin::Eq,
            "ne" => Builtin::Ne,
            "lt" => Builtin::Lt,
            "le" => Builtin::Le,
            "gt" => Builtin::Gt,
            "ge" => Builtin::Ge,
            _ => return None,
        })
    }
}

/// A number constant, stored under every type that can represent it, as
/// Go does to simulate untyped constants.
#[derive(Debug, Clone)]
pub(crate) struct NumberNode {
    pub(crate) pos: usize,
    pub(crate) is_int: bool,
    pub(crate) is_uint: bool,
    pub(crate) is_float: bool,
    pub(crate) is_complex: bool,
    pub(crate) int64: i64,
    pub(crate) uint64: u64,
    pub(crate) float64: f64,
    pub(crate) complex: (f64, f64),
    pub(crate) text: Box<str>,
}

/// A string constant: its source form and its value.
#[derive(Debug, Clone)]
pub(crate) struct StringNode {
    pub(crate) pos: usize,
    pub(crate) quoted: Box<str>,
    pub(crate) text: Box<str>,
}

impl Node {
    pub(crate) fn pos(&self) -> usize {
        match self {
            Node::Text(n) => n.pos,
            Node::Action(n) => n.pos,
            Node::If(n) | Node::Range(n) | Node::With(n) => n.pos,
            Node::Template(n) => n.pos,
            Node::Break(p) | Node::Continue(p) => *p,
        }
    }
}

impl Arg {
    pub(crate) fn pos(&self) -> usize {
        match self {
            Arg::Field(n) => n.pos,
            Arg::Chain(n) => n.pos,
            Arg::Identifier(n) => n.pos,
            Arg::Pipe(n) => n.pos,
            Arg::Variable(n) => n.pos,
            Arg::Dot(p) | Arg::Nil(p) | Arg::Bool(p, _) => *p,
            Arg::Number(n) => n.pos,
            Arg::String(n) => n.pos,
        }
    }

    /// Whether this operand cannot start a later stage of a pipeline (Go's
    /// "non executable command").
    pub(crate) fn is_constant(&self) -> bool {
        matches!(
            self,
            Arg::Bool(..) | Arg::Dot(_) | Arg::Nil(_) | Arg::Number(_) | Arg::String(_)
        )
    }
}

/// Whether a tree holds nothing but white space (Go's `parse.IsEmptyTree`):
/// such a definition never replaces an existing one. `src` is the tree's
/// source text.
pub(crate) fn is_empty_list(list: &ListNode, src: &str) -> bool {
    list.nodes.iter().all(|n| match n {
        Node::Text(t) => t.text(src).trim().is_empty(),
        _ => false,
    })
}

/// Stack space to keep free before recursing into a nested node, and how
/// much to add when there is less (see [`grow`]).
const RED_ZONE: usize = 64 * 1024;
const STACK_GROWTH: usize = 1024 * 1024;

/// Run `f` with enough stack for one more level of a nested tree. Trees can
/// nest as deeply as their source text allows (Go limits only parentheses),
/// so every recursive walk over them, dropping and printing included, grows
/// the stack on the heap when it runs low.
pub(crate) fn grow<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(RED_ZONE, STACK_GROWTH, f)
}

impl Drop for ListNode {
    fn drop(&mut self) {
        let nodes = std::mem::take(&mut self.nodes);
        grow(move || drop(nodes));
    }
}

impl Drop for PipeNode {
    fn drop(&mut self) {
        let cmds = std::mem::take(&mut self.cmds);
        grow(move || drop(cmds));
    }
}

/// A reference to any node, for error reporting.
#[derive(Clone, Copy, Debug)]
pub(crate) enum NodeRef<'a> {
    List(&'a ListNode),
    Node(&'a Node),
    Pipe(&'a PipeNode),
    Command(&'a CommandNode),
    Arg(&'a Arg),
}

impl NodeRef<'_> {
    pub(crate) fn pos(&self) -> usize {
        match self {
            NodeRef::List(n) => n.pos,
            NodeRef::Node(n) => n.pos(),
            NodeRef::Pipe(n) => n.pos,
            NodeRef::Command(n) => n.pos,
            NodeRef::Arg(n) => n.pos(),
        }
    }
}

impl<'a> NodeRef<'a> {
    /// The node as Go's `Node.String()` prints it; `src` is the source text
    /// of the node's tree (text nodes are ranges of it).
    pub(crate) fn show(self, src: &'a str) -> Shown<'a> {
        Shown { node: self, src }
    }
}

/// A node with its tree's source text, printable as Go prints the node.
pub(crate) struct Shown<'a> {
    node: NodeRef<'a>,
    src: &'a str,
}

impl Display for Shown<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self.node {
            NodeRef::List(n) => fmt_list(f, n, self.src),
            NodeRef::Node(n) => fmt_node(f, n, self.src),
            NodeRef::Pipe(n) => n.fmt(f),
            NodeRef::Command(n) => n.fmt(f),
            NodeRef::Arg(n) => n.fmt(f),
        }
    }
}

fn fmt_list(f: &mut Formatter<'_>, list: &ListNode, src: &str) -> fmt::Result {
    grow(|| {
        for n in &list.nodes {
            fmt_node(f, n, src)?;
        }
        Ok(())
    })
}

fn fmt_node(f: &mut Formatter<'_>, node: &Node, src: &str) -> fmt::Result {
    match node {
        Node::Text(t) => f.write_str(t.text(src)),
        Node::Action(a) => write!(f, "{{{{{}}}}}", a.pipe),
        Node::If(b) => fmt_branch(f, "if", b, src),
        Node::Range(b) => fmt_branch(f, "range", b, src),
        Node::With(b) => fmt_branch(f, "with", b, src),
        Node::Template(t) => {
            write!(f, "{{{{template {}", rudder_value::fmt::quote(&t.name))?;
            if let Some(p) = &t.pipe {
                write!(f, " {p}")?;
            }
            f.write_str("}}")
        }
        Node::Break(_) => f.write_str("{{break}}"),
        Node::Continue(_) => f.write_str("{{continue}}"),
    }
}

fn fmt_branch(f: &mut Formatter<'_>, name: &str, b: &BranchNode, src: &str) -> fmt::Result {
    write!(f, "{{{{{name} {}}}}}", b.pipe)?;
    fmt_list(f, &b.list, src)?;
    if let Some(e) = &b.else_list {
        f.write_str("{{else}}")?;
        fmt_list(f, e, src)?;
    }
    f.write_str("{{end}}")
}

impl Display for PipeNode {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        grow(|| self.fmt_inner(f))
    }
}

impl PipeNode {
    fn fmt_inner(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            for (i, v) in self.decl.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                v.fmt(f)?;
            }
            f.write_str(if self.is_assign { " = " } else { " := " })?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            c.fmt(f)?;
        }
        Ok(())
    }
}

impl Display for CommandNode {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_char(' ')?;
            }
            if let Arg::Pipe(p) = a {
                write!(f, "({p})")?;
            } else {
                a.fmt(f)?;
            }
        }
        Ok(())
    }
}

impl Display for Arg {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Field(n) => write!(f, ".{}", n.path),
            Arg::Chain(n) => {
                if let Arg::Pipe(p) = n.node.as_ref() {
                    write!(f, "({p})")?;
                } else {
                    n.node.fmt(f)?;
                }
                write!(f, ".{}", n.path)
            }
            Arg::Identifier(n) => f.write_str(&n.name),
            Arg::Pipe(p) => p.fmt(f),
            Arg::Variable(v) => v.fmt(f),
            Arg::Dot(_) => f.write_str("."),
            Arg::Nil(_) => f.write_str("nil"),
            Arg::Bool(_, b) => f.write_str(if *b { "true" } else { "false" }),
            Arg::Number(n) => f.write_str(&n.text),
            Arg::String(s) => f.write_str(&s.quoted),
        }
    }
}

impl Display for VariableNode {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_follow_go() {
        let field = Arg::Field(FieldNode {
            pos: 0,
            path: "Values.x".into(),
        });
        let num = Arg::Number(Box::new(NumberNode {
            pos: 0,
            is_int: true,
            is_uint: true,
            is_float: true,
            is_complex: false,
            int64: 1,
            uint64: 1,
            float64: 1.0,
            complex: (0.0, 0.0),
            text: "1".into(),
        }));
        let inner = PipeNode {
            pos: 0,
            is_assign: false,
            decl: vec![],
            cmds: vec![CommandNode {
                pos: 0,
                args: vec![field.clone()],
            }],
        };
        let cmd = CommandNode {
            pos: 0,
            args: vec![
                Arg::Identifier(IdentifierNode {
                    pos: 0,
                    name: "eq".into(),
                    func: FuncRef::Builtin(Builtin::Eq),
                }),
                Arg::Pipe(Box::new(inner.clone())),
                num,
            ],
        };
        assert_eq!(cmd.to_string(), "eq (.Values.x) 1");
        let pipe = PipeNode {
            pos: 0,
            is_assign: false,
            decl: vec![VariableNode {
                pos: 0,
                path: "$x".into(),
            }],
            cmds: vec![cmd.clone(), cmd],
        };
        assert_eq!(
            pipe.to_string(),
            "$x := eq (.Values.x) 1 | eq (.Values.x) 1"
        );
        let chain = Arg::Chain(ChainNode {
            pos: 0,
            node: Box::new(Arg::Pipe(Box::new(inner))),
            path: "a".into(),
        });
        assert_eq!(chain.to_string(), "(.Values.x).a");
        let t = Node::Template(TemplateNode {
            pos: 0,
            name: "x\"y".into(),
            pipe: None,
        });
        assert_eq!(
            NodeRef::Node(&t).show("").to_string(),
            "{{template \"x\\\"y\"}}"
        );
    }
}
