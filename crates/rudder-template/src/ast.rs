//! The parse tree: Go's `text/template/parse` nodes, with constants already
//! converted and function names already resolved.
//!
//! Every node keeps its byte position, because execution errors report the
//! position of the node being evaluated (`NAME:LINE:COL`), and prints as Go's
//! `Node.String()` does, because that text is the `<…>` context of an
//! execution error. The tree holds no [`rudder_value::Value`]: it is shared
//! between threads, and constants become values when evaluated.
//!
//! The nodes of all the trees parsed from one text live in one [`Ast`]:
//! lists, pipelines and commands refer to runs of its arenas by index
//! ([`Span`]), and names, paths and literals are pieces of the source text
//! (or of a buffer for the few strings parsing has to build, [`TStr`]).
//! Parsing then allocates a few vectors per text instead of several boxes
//! and vectors per action, and dropping a tree frees those few vectors.

use std::fmt::{self, Display, Formatter, Write as _};
use std::sync::Arc;

use crate::func::Function;

/// A run of items in one of an [`Ast`]'s arenas.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) start: usize,
    pub(crate) end: usize,
}

impl Span {
    pub(crate) fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub(crate) fn is_empty(self) -> bool {
        self.len() == 0
    }
}

/// A string of a tree: a piece of the source text, or (`owned`) of the
/// buffer of strings the parser built (unquoted strings with escapes).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct TStr {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) owned: bool,
}

/// The nodes of the trees parsed from one text.
#[derive(Debug, Default)]
pub(crate) struct Ast {
    /// The source text.
    pub(crate) text: Arc<str>,
    /// Strings the parser built.
    pub(crate) strs: String,
    pub(crate) nodes: Vec<Node>,
    pub(crate) cmds: Vec<CommandNode>,
    pub(crate) args: Vec<Arg>,
    pub(crate) vars: Vec<VariableNode>,
    pub(crate) numbers: Vec<NumberNode>,
}

impl Ast {
    pub(crate) fn str(&self, s: TStr) -> &str {
        let src: &str = if s.owned { &self.strs } else { &self.text };
        src.get(s.start..s.end).unwrap_or("")
    }

    pub(crate) fn nodes(&self, l: &ListNode) -> &[Node] {
        self.nodes.get(l.nodes.start..l.nodes.end).unwrap_or(&[])
    }

    pub(crate) fn cmds(&self, p: &PipeNode) -> &[CommandNode] {
        self.cmds.get(p.cmds.start..p.cmds.end).unwrap_or(&[])
    }

    pub(crate) fn decl(&self, p: &PipeNode) -> &[VariableNode] {
        self.vars.get(p.decl.start..p.decl.end).unwrap_or(&[])
    }

    pub(crate) fn args(&self, c: &CommandNode) -> &[Arg] {
        self.args.get(c.args.start..c.args.end).unwrap_or(&[])
    }

    /// The term a chain applies its fields to.
    pub(crate) fn chained(&self, c: &ChainNode) -> &Arg {
        self.args.get(c.node).unwrap_or(&Arg::Nil(0))
    }

    pub(crate) fn number(&self, i: usize) -> &NumberNode {
        static ZERO: NumberNode = NumberNode {
            is_int: false,
            is_uint: false,
            is_float: false,
            is_complex: false,
            int64: 0,
            uint64: 0,
            float64: 0.0,
            complex: (0.0, 0.0),
            text: TStr {
                start: 0,
                end: 0,
                owned: false,
            },
        };
        self.numbers.get(i).unwrap_or(&ZERO)
    }

    /// A variable's name, `$x`.
    pub(crate) fn var_name(&self, v: &VariableNode) -> &str {
        let p = self.str(v.path);
        p.split('.').next().unwrap_or("")
    }

    /// The fields after a variable's name (`A.B`), if any.
    pub(crate) fn var_fields(&self, v: &VariableNode) -> Option<&str> {
        self.str(v.path).split_once('.').map(|(_, f)| f)
    }
}

/// A sequence of nodes (Go's `ListNode`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ListNode {
    pub(crate) pos: usize,
    pub(crate) nodes: Span,
}

/// A node that can appear in a list.
#[derive(Debug, Clone, Copy)]
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
#[derive(Debug, Clone, Copy)]
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
#[derive(Debug, Clone, Copy)]
pub(crate) struct ActionNode {
    pub(crate) pos: usize,
    pub(crate) pipe: PipeNode,
}

/// `if`, `range` or `with`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BranchNode {
    pub(crate) pos: usize,
    pub(crate) pipe: PipeNode,
    pub(crate) list: ListNode,
    pub(crate) else_list: Option<ListNode>,
}

/// `{{template "name" pipeline}}`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TemplateNode {
    pub(crate) pos: usize,
    pub(crate) name: TStr,
    pub(crate) pipe: Option<PipeNode>,
}

/// A pipeline with optional variable declarations.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PipeNode {
    pub(crate) pos: usize,
    pub(crate) is_assign: bool,
    pub(crate) decl: Span,
    pub(crate) cmds: Span,
}

/// One command of a pipeline: an operand and its arguments.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CommandNode {
    pub(crate) pos: usize,
    pub(crate) args: Span,
}

/// An operand.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Field(FieldNode),
    Chain(ChainNode),
    Identifier(IdentifierNode),
    Pipe(PipeNode),
    Variable(VariableNode),
    Dot(usize),
    Nil(usize),
    Bool(usize, bool),
    /// A number: its position and its index in [`Ast::numbers`].
    Number(usize, usize),
    String(StringNode),
}

/// `.A.B`: the field names joined by dots, without the leading dot
/// (`A.B`), as they are in the source.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FieldNode {
    pub(crate) pos: usize,
    pub(crate) path: TStr,
}

/// `$x.A.B`: the variable name (with its `$`) then the fields, joined by
/// dots.
#[derive(Debug, Clone, Copy)]
pub(crate) struct VariableNode {
    pub(crate) pos: usize,
    pub(crate) path: TStr,
}

/// `(pipeline).A` or `fn.A`: a term (at index `node` of [`Ast::args`])
/// followed by fields (`A.B`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ChainNode {
    pub(crate) pos: usize,
    pub(crate) node: usize,
    pub(crate) path: TStr,
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
    pub(crate) is_int: bool,
    pub(crate) is_uint: bool,
    pub(crate) is_float: bool,
    pub(crate) is_complex: bool,
    pub(crate) int64: i64,
    pub(crate) uint64: u64,
    pub(crate) float64: f64,
    pub(crate) complex: (f64, f64),
    /// The literal as written.
    pub(crate) text: TStr,
}

/// A string constant: its source form and its value.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StringNode {
    pub(crate) pos: usize,
    pub(crate) quoted: TStr,
    pub(crate) text: TStr,
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
            Arg::Dot(p) | Arg::Nil(p) | Arg::Bool(p, _) | Arg::Number(p, _) => *p,
            Arg::String(n) => n.pos,
        }
    }

    /// Whether this operand cannot start a later stage of a pipeline (Go's
    /// "non executable command").
    pub(crate) fn is_constant(&self) -> bool {
        matches!(
            self,
            Arg::Bool(..) | Arg::Dot(_) | Arg::Nil(_) | Arg::Number(..) | Arg::String(_)
        )
    }
}

/// Whether a tree holds nothing but white space (Go's `parse.IsEmptyTree`):
/// such a definition never replaces an existing one.
pub(crate) fn is_empty_list(list: &ListNode, ast: &Ast) -> bool {
    ast.nodes(list).iter().all(|n| match n {
        Node::Text(t) => t.text(&ast.text).trim().is_empty(),
        _ => false,
    })
}

/// Stack space to keep free before recursing into a nested node, and how
/// much to add when there is less (see [`grow`]).
const RED_ZONE: usize = 64 * 1024;
const STACK_GROWTH: usize = 1024 * 1024;

/// Run `f` with enough stack for one more level of a nested tree. Trees can
/// nest as deeply as their source text allows (Go limits only parentheses),
/// so every recursive walk over them grows the stack on the heap when it
/// runs low.
pub(crate) fn grow<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(RED_ZONE, STACK_GROWTH, f)
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
    /// The node as Go's `Node.String()` prints it; `ast` holds the tree
    /// it belongs to.
    pub(crate) fn show(self, ast: &'a Ast) -> Shown<'a> {
        Shown { node: self, ast }
    }
}

/// A node with its tree, printable as Go prints the node.
pub(crate) struct Shown<'a> {
    node: NodeRef<'a>,
    ast: &'a Ast,
}

impl Display for Shown<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let p = Printer { ast: self.ast };
        match self.node {
            NodeRef::List(n) => p.list(f, n),
            NodeRef::Node(n) => p.node(f, n),
            NodeRef::Pipe(n) => p.pipe(f, n),
            NodeRef::Command(n) => p.command(f, n),
            NodeRef::Arg(n) => p.arg(f, n),
        }
    }
}

/// Go's `String()` methods of the nodes.
struct Printer<'a> {
    ast: &'a Ast,
}

impl Printer<'_> {
    fn list(&self, f: &mut Formatter<'_>, list: &ListNode) -> fmt::Result {
        grow(|| {
            for n in self.ast.nodes(list) {
                self.node(f, n)?;
            }
            Ok(())
        })
    }

    fn node(&self, f: &mut Formatter<'_>, node: &Node) -> fmt::Result {
        match node {
            Node::Text(t) => f.write_str(t.text(&self.ast.text)),
            Node::Action(a) => {
                f.write_str("{{")?;
                self.pipe(f, &a.pipe)?;
                f.write_str("}}")
            }
            Node::If(b) => self.branch(f, "if", b),
            Node::Range(b) => self.branch(f, "range", b),
            Node::With(b) => self.branch(f, "with", b),
            Node::Template(t) => {
                write!(
                    f,
                    "{{{{template {}",
                    rudder_value::fmt::quote(self.ast.str(t.name))
                )?;
                if let Some(p) = &t.pipe {
                    f.write_char(' ')?;
                    self.pipe(f, p)?;
                }
                f.write_str("}}")
            }
            Node::Break(_) => f.write_str("{{break}}"),
            Node::Continue(_) => f.write_str("{{continue}}"),
        }
    }

    fn branch(&self, f: &mut Formatter<'_>, name: &str, b: &BranchNode) -> fmt::Result {
        write!(f, "{{{{{name} ")?;
        self.pipe(f, &b.pipe)?;
        f.write_str("}}")?;
        self.list(f, &b.list)?;
        if let Some(e) = &b.else_list {
            f.write_str("{{else}}")?;
            self.list(f, e)?;
        }
        f.write_str("{{end}}")
    }

    fn pipe(&self, f: &mut Formatter<'_>, p: &PipeNode) -> fmt::Result {
        grow(|| {
            let decl = self.ast.decl(p);
            if !decl.is_empty() {
                for (i, v) in decl.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    f.write_str(self.ast.str(v.path))?;
                }
                f.write_str(if p.is_assign { " = " } else { " := " })?;
            }
            for (i, c) in self.ast.cmds(p).iter().enumerate() {
                if i > 0 {
                    f.write_str(" | ")?;
                }
                self.command(f, c)?;
            }
            Ok(())
        })
    }

    fn command(&self, f: &mut Formatter<'_>, c: &CommandNode) -> fmt::Result {
        for (i, a) in self.ast.args(c).iter().enumerate() {
            if i > 0 {
                f.write_char(' ')?;
            }
            if let Arg::Pipe(p) = a {
                f.write_char('(')?;
                self.pipe(f, p)?;
                f.write_char(')')?;
            } else {
                self.arg(f, a)?;
            }
        }
        Ok(())
    }

    fn arg(&self, f: &mut Formatter<'_>, a: &Arg) -> fmt::Result {
        match a {
            Arg::Field(n) => {
                f.write_char('.')?;
                f.write_str(self.ast.str(n.path))
            }
            Arg::Chain(n) => {
                let inner = self.ast.chained(n);
                if let Arg::Pipe(p) = inner {
                    f.write_char('(')?;
                    self.pipe(f, p)?;
                    f.write_char(')')?;
                } else {
                    grow(|| self.arg(f, inner))?;
                }
                f.write_char('.')?;
                f.write_str(self.ast.str(n.path))
            }
            Arg::Identifier(n) => f.write_str(&n.name),
            Arg::Pipe(p) => self.pipe(f, p),
            Arg::Variable(v) => f.write_str(self.ast.str(v.path)),
            Arg::Dot(_) => f.write_str("."),
            Arg::Nil(_) => f.write_str("nil"),
            Arg::Bool(_, b) => f.write_str(if *b { "true" } else { "false" }),
            Arg::Number(_, i) => f.write_str(self.ast.str(self.ast.number(*i).text)),
            Arg::String(s) => f.write_str(self.ast.str(s.quoted)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(ast: &Ast, s: &str) -> TStr {
        let start = ast.text.find(s).unwrap_or(0);
        TStr {
            start,
            end: start + s.len(),
            owned: false,
        }
    }

    #[test]
    fn strings_follow_go() {
        let mut ast = Ast {
            text: Arc::from("Values.x 1 $x a x\"y"),
            ..Ast::default()
        };
        let field = Arg::Field(FieldNode {
            pos: 0,
            path: src(&ast, "Values.x"),
        });
        ast.numbers.push(NumberNode {
            is_int: true,
            is_uint: true,
            is_float: true,
            is_complex: false,
            int64: 1,
            uint64: 1,
            float64: 1.0,
            complex: (0.0, 0.0),
            text: src(&ast, "1"),
        });
        // The inner pipeline `.Values.x`: args 0, command 0.
        ast.args.push(field);
        ast.cmds.push(CommandNode {
            pos: 0,
            args: Span { start: 0, end: 1 },
        });
        let inner = PipeNode {
            pos: 0,
            is_assign: false,
            decl: Span::default(),
            cmds: Span { start: 0, end: 1 },
        };
        // `eq (.Values.x) 1`: args 1..4, command 1.
        ast.args.push(Arg::Identifier(IdentifierNode {
            pos: 0,
            name: "eq".into(),
            func: FuncRef::Builtin(Builtin::Eq),
        }));
        ast.args.push(Arg::Pipe(inner));
        ast.args.push(Arg::Number(0, 0));
        ast.cmds.push(CommandNode {
            pos: 0,
            args: Span { start: 1, end: 4 },
        });
        let cmd = ast.cmds[1];
        assert_eq!(
            NodeRef::Command(&cmd).show(&ast).to_string(),
            "eq (.Values.x) 1"
        );
        ast.cmds.push(cmd);
        ast.vars.push(VariableNode {
            pos: 0,
            path: src(&ast, "$x"),
        });
        let pipe = PipeNode {
            pos: 0,
            is_assign: false,
            decl: Span { start: 0, end: 1 },
            cmds: Span { start: 1, end: 3 },
        };
        assert_eq!(
            NodeRef::Pipe(&pipe).show(&ast).to_string(),
            "$x := eq (.Values.x) 1 | eq (.Values.x) 1"
        );
        ast.args.push(Arg::Pipe(inner));
        let chain = Arg::Chain(ChainNode {
            pos: 0,
            node: 4,
            path: src(&ast, "a"),
        });
        assert_eq!(NodeRef::Arg(&chain).show(&ast).to_string(), "(.Values.x).a");
        let t = Node::Template(TemplateNode {
            pos: 0,
            name: src(&ast, "x\"y"),
            pipe: None,
        });
        assert_eq!(
            NodeRef::Node(&t).show(&ast).to_string(),
            "{{template \"x\\\"y\"}}"
        );
    }
}
