//! The template parser: Go's `text/template/parse/parse.go`, producing the
//! trees of [`crate::ast`].
//!
//! The structure follows Go's closely, down to its three-token look-ahead
//! buffer, because parse errors report the line of the most recently lexed
//! token (`template: NAME:LINE: …`) and which token that is depends on how
//! far the parser has looked ahead. A `{{define}}` or `{{block}}` body is
//! parsed with a fresh parser state sharing the lexer, as in Go, so its
//! errors report its own last token.
//!
//! Function names are resolved here: a name missing from the function map
//! and the builtins is a parse error (`function "x" not defined`), and the
//! node keeps a direct reference to the function for execution.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use crate::ast::{
    Arg, Ast, BranchNode, Builtin, ChainNode, CommandNode, FieldNode, FuncRef, IdentifierNode,
    ListNode, Node, NodeRef, NumberNode, PipeNode, Span, StringNode, TStr, TemplateNode, TextNode,
    VariableNode, is_empty_list,
};
use crate::func::FuncMap;
use crate::lex::{Item, ItemType, LexOptions, Lexer};
use crate::strconv::{self, UnquoteErr};
use rudder_value::strconv as numbers;

/// Go's limit on nested parenthesised expressions.
const MAX_STACK_DEPTH: usize = 10_000;
/// Go's limit on the commands of one pipeline.
const MAX_PIPELINE_CMDS: usize = 100_000;

/// The functions known to the parser, resolved once per function map: the
/// map's entries, then the builtins it does not shadow.
#[derive(Debug)]
pub(crate) struct FuncTable {
    map: HashMap<Box<str>, (Arc<str>, FuncRef), BuildHasherDefault<FxHasher>>,
}

/// A fast multiplicative hash (as rustc's FxHash) for the function table,
/// which every identifier of every template is looked up in. Its keys are
/// the host's function names, so collisions cannot be forced by templates.
#[derive(Clone, Copy, Default)]
pub(crate) struct FxHasher {
    hash: u64,
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

impl Default for FuncTable {
    fn default() -> FuncTable {
        FuncTable::new(&FuncMap::new())
    }
}

impl FuncTable {
    pub(crate) fn new(funcs: &FuncMap) -> FuncTable {
        let mut map: HashMap<Box<str>, (Arc<str>, FuncRef), BuildHasherDefault<FxHasher>> =
            HashMap::default();
        for name in Builtin::NAMES {
            if let Some(b) = Builtin::lookup(name) {
                map.insert((*name).into(), (Arc::from(*name), FuncRef::Builtin(b)));
            }
        }
        for name in funcs.names() {
            if let Some(f) = funcs.get(name) {
                let entry = (Arc::from(name), FuncRef::User(Arc::new(f.clone())));
                map.insert(name.into(), entry);
            }
        }
        FuncTable { map }
    }

    fn resolve(&self, name: &str) -> Option<(Arc<str>, FuncRef)> {
        self.map.get(name).cloned()
    }

    fn lex_options(&self) -> LexOptions {
        let user = |n: &str| matches!(self.map.get(n), Some((_, FuncRef::User(_))));
        LexOptions {
            break_ok: !user("break"),
            continue_ok: !user("continue"),
        }
    }
}

/// A parsed template.
#[derive(Debug)]
pub(crate) struct Tree {
    /// The template's name (a define's name, or the name given to `parse`).
    pub(crate) name: Box<str>,
    /// The name of the text it was parsed from, for error locations.
    pub(crate) parse_name: Arc<str>,
    /// The nodes of every tree of the text, and the text itself (for text
    /// nodes and error locations).
    pub(crate) ast: Arc<Ast>,
    pub(crate) root: ListNode,
}

impl Tree {
    /// The whole text the tree was parsed from.
    pub(crate) fn text(&self) -> &str {
        &self.ast.text
    }
}

/// A parse error, already formatted as Go formats it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParseError(pub(crate) String);

type PResult<T> = Result<T, ParseError>;

/// What `action` can produce: a node, or an `{{end}}`/`{{else}}` marker.
enum Parsed {
    Node(Node),
    End,
    Else(usize),
}

impl Parsed {
    fn describe(&self, ast: &Ast) -> String {
        match self {
            Parsed::Node(n) => NodeRef::Node(n).show(ast).to_string(),
            Parsed::End => "{{end}}".to_owned(),
            Parsed::Else(_) => "{{else}}".to_owned(),
        }
    }
}

/// The per-tree parsing state (Go's `Tree` fields used while parsing).
struct TreeState<'s> {
    token: [Item<'s>; 3],
    peek_count: usize,
    vars: Vec<&'s str>,
    action_line: usize,
    range_depth: usize,
    stack_depth: usize,
}

fn eof_item<'s>() -> Item<'s> {
    Item {
        typ: ItemType::Eof,
        pos: 0,
        val: "",
        line: 0,
    }
}

impl<'s> TreeState<'s> {
    fn new() -> TreeState<'s> {
        TreeState {
            token: [eof_item(), eof_item(), eof_item()],
            peek_count: 0,
            vars: vec!["$"],
            action_line: 0,
            range_depth: 0,
            stack_depth: 0,
        }
    }
}

struct Parser<'s, 'f> {
    lex: Lexer<'s>,
    funcs: &'f FuncTable,
    parse_name: &'s str,
    st: TreeState<'s>,
    /// Trees defined so far, by name (Go's `treeSet`).
    set: HashMap<Box<str>, ListNode>,
    /// The nodes parsed so far.
    ast: Ast,
    /// Children of the lists, pipelines and commands being parsed: each
    /// pushes its children here and moves them to the arena, contiguous,
    /// when it is complete (nested ones have moved theirs by then).
    node_stack: Vec<Node>,
    cmd_stack: Vec<CommandNode>,
    arg_stack: Vec<Arg>,
    var_stack: Vec<VariableNode>,
}

/// Parse `text` as the template `name`. Returns every tree it defines: the
/// top-level one (called `name`) and those of its `{{define}}`s and
/// `{{block}}`s, with Go's rule that a name defined twice in one text with
/// non-empty bodies is an error.
pub(crate) fn parse(name: &str, text: &str, funcs: &FuncTable) -> PResult<Vec<Tree>> {
    let mut p = Parser {
        lex: Lexer::new(text, funcs.lex_options()),
        funcs,
        parse_name: name,
        st: TreeState::new(),
        set: HashMap::new(),
        ast: Ast {
            text: Arc::from(text),
            ..Ast::default()
        },
        node_stack: Vec::new(),
        cmd_stack: Vec::new(),
        arg_stack: Vec::new(),
        var_stack: Vec::new(),
    };
    let root = stacker::maybe_grow(64 * 1024, 1024 * 1024, || p.parse_top())?;
    p.add(name, root)?;
    let parse_name: Arc<str> = Arc::from(name);
    let ast = Arc::new(p.ast);
    Ok(p.set
        .into_iter()
        .map(|(n, root)| Tree {
            name: n,
            parse_name: parse_name.clone(),
            ast: ast.clone(),
            root,
        })
        .collect())
}

/// Move `stack[mark..]` to the end of `arena`, returning where it went.
fn flush<T: Clone>(stack: &mut Vec<T>, mark: usize, arena: &mut Vec<T>) -> Span {
    let start = arena.len();
    if let Some(items) = stack.get(mark..) {
        arena.extend_from_slice(items);
        stack.truncate(mark);
    }
    Span {
        start,
        end: arena.len(),
    }
}

/// A piece of the source text as a tree string.
fn src_str(start: usize, end: usize) -> TStr {
    TStr {
        start,
        end,
        owned: false,
    }
}

impl<'s> Parser<'s, '_> {
    fn errorf(&self, msg: impl AsRef<str>) -> ParseError {
        ParseError(format!(
            "template: {}:{}: {}",
            self.parse_name,
            self.st.token[0].line,
            msg.as_ref()
        ))
    }

    fn unexpected(&self, token: &Item<'s>, context: &str) -> ParseError {
        if token.typ == ItemType::Error {
            let mut extra = String::new();
            if self.st.action_line != 0 && self.st.action_line != token.line {
                extra = format!(
                    " in action started at {}:{}",
                    self.parse_name, self.st.action_line
                );
                if self.lex_error().ends_with(" action") {
                    extra = extra[" in action".len()..].to_owned();
                }
            }
            return self.errorf(format!("{}{}", self.lex_error(), extra));
        }
        self.errorf(format!("unexpected {} in {}", token.describe(), context))
    }

    /// The message of the lexer's error item.
    fn lex_error(&self) -> &str {
        self.lex.error.as_deref().unwrap_or("")
    }

    fn token(&self, i: usize) -> Item<'s> {
        self.st.token.get(i).copied().unwrap_or_else(eof_item)
    }

    fn next(&mut self) -> Item<'s> {
        if self.st.peek_count > 0 {
            self.st.peek_count -= 1;
        } else {
            self.st.token[0] = self.lex.next_item();
        }
        self.token(self.st.peek_count)
    }

    /// Back up one token. The parser never backs up past its three-token
    /// buffer (Go's invariant); the bound keeps a bug from indexing out of it.
    fn backup(&mut self) {
        self.st.peek_count = (self.st.peek_count + 1).min(3);
    }

    fn backup2(&mut self, t1: Item<'s>) {
        self.st.token[1] = t1;
        self.st.peek_count = 2;
    }

    fn backup3(&mut self, t2: Item<'s>, t1: Item<'s>) {
        self.st.token[1] = t1;
        self.st.token[2] = t2;
        self.st.peek_count = 3;
    }

    fn peek(&mut self) -> Item<'s> {
        if self.st.peek_count > 0 {
            return self.token(self.st.peek_count - 1);
        }
        self.st.peek_count = 1;
        self.st.token[0] = self.lex.next_item();
        self.st.token[0]
    }

    fn next_non_space(&mut self) -> Item<'s> {
        loop {
            let t = self.next();
            if t.typ != ItemType::Space {
                return t;
            }
        }
    }

    fn peek_non_space(&mut self) -> Item<'s> {
        let t = self.next_non_space();
        self.backup();
        t
    }

    fn expect(&mut self, expected: ItemType, context: &str) -> PResult<Item<'s>> {
        let t = self.next_non_space();
        if t.typ != expected {
            return Err(self.unexpected(&t, context));
        }
        Ok(t)
    }

    /// Record a tree in the set, with Go's `Tree.add` rule.
    fn add(&mut self, name: &str, root: ListNode) -> PResult<()> {
        match self.set.get(name) {
            Some(existing) if !is_empty_list(existing, &self.ast) => {
                if !is_empty_list(&root, &self.ast) {
                    return Err(self.errorf(format!(
                        "template: multiple definition of template {}",
                        rudder_value::fmt::quote(name)
                    )));
                }
            }
            _ => {
                self.set.insert(name.into(), root);
            }
        }
        Ok(())
    }

    fn parse_top(&mut self) -> PResult<ListNode> {
        let pos = self.peek().pos;
        let mark = self.node_stack.len();
        while self.peek().typ != ItemType::Eof {
            if self.peek().typ == ItemType::LeftDelim {
                let delim = self.next();
                if self.next_non_space().typ == ItemType::Define {
                    let saved = std::mem::replace(&mut self.st, TreeState::new());
                    let r = self.parse_definition();
                    self.st = saved;
                    r?;
                    continue;
                }
                self.backup2(delim);
            }
            match self.text_or_action()? {
                Parsed::Node(n) => self.node_stack.push(n),
                other => {
                    return Err(self.errorf(format!("unexpected {}", other.describe(&self.ast))));
                }
            }
        }
        Ok(ListNode {
            pos,
            nodes: flush(&mut self.node_stack, mark, &mut self.ast.nodes),
        })
    }

    fn parse_definition(&mut self) -> PResult<()> {
        const CONTEXT: &str = "define clause";
        let t = self.next_non_space();
        if t.typ != ItemType::String && t.typ != ItemType::RawString {
            return Err(self.unexpected(&t, CONTEXT));
        }
        let name = self.unquote(t.val)?;
        self.expect(ItemType::RightDelim, CONTEXT)?;
        let (root, end) = self.item_list()?;
        if !matches!(end, Parsed::End) {
            return Err(self.errorf(format!(
                "unexpected {} in {CONTEXT}",
                end.describe(&self.ast)
            )));
        }
        self.add(&name, root)
    }

    /// A string literal's value as a tree string: the source between the
    /// quotes when unquoting changes nothing (no escapes), else built.
    fn unquote_str(&mut self, t: &Item<'s>) -> PResult<TStr> {
        let q = t.val;
        let b = q.as_bytes();
        let plain = b.len() >= 2
            && b.first() == b.last()
            && match b.first() {
                Some(b'"') => !b[1..b.len() - 1]
                    .iter()
                    .any(|&c| matches!(c, b'\\' | b'\n' | b'"')),
                Some(b'`') => !b[1..b.len() - 1].iter().any(|&c| matches!(c, b'`' | b'\r')),
                _ => false,
            };
        if plain {
            return Ok(src_str(t.pos + 1, t.pos + q.len() - 1));
        }
        let text = self.unquote(q)?;
        let start = self.ast.strs.len();
        self.ast.strs.push_str(&text);
        Ok(TStr {
            start,
            end: self.ast.strs.len(),
            owned: true,
        })
    }

    fn unquote(&self, quoted: &str) -> PResult<String> {
        strconv::unquote(quoted).map_err(|e| match e {
            UnquoteErr::Syntax => self.errorf("invalid syntax"),
            UnquoteErr::InvalidUtf8 => self.errorf(format!(
                "string literal {quoted} is not valid UTF-8, which rudder does not support"
            )),
        })
    }

    fn item_list(&mut self) -> PResult<(ListNode, Parsed)> {
        let pos = self.peek_non_space().pos;
        let mark = self.node_stack.len();
        while self.peek_non_space().typ != ItemType::Eof {
            match self.text_or_action()? {
                Parsed::Node(n) => self.node_stack.push(n),
                other => {
                    let nodes = flush(&mut self.node_stack, mark, &mut self.ast.nodes);
                    return Ok((ListNode { pos, nodes }, other));
                }
            }
        }
        Err(self.errorf("unexpected EOF"))
    }

    fn text_or_action(&mut self) -> PResult<Parsed> {
        let t = self.next_non_space();
        match t.typ {
            ItemType::Text => Ok(Parsed::Node(Node::Text(TextNode {
                pos: t.pos,
                len: t.val.len(),
            }))),
            ItemType::LeftDelim => {
                self.st.action_line = t.line;
                let r = stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.action());
                self.st.action_line = 0;
                r
            }
            _ => Err(self.unexpected(&t, "input")),
        }
    }

    fn action(&mut self) -> PResult<Parsed> {
        let t = self.next_non_space();
        match t.typ {
            ItemType::Block => return self.block_control(),
            ItemType::Break => return self.break_control(t.pos, "{{break}}"),
            ItemType::Continue => return self.break_control(t.pos, "{{continue}}"),
            ItemType::Else => return self.else_control(),
            ItemType::End => {
                self.expect(ItemType::RightDelim, "end")?;
                return Ok(Parsed::End);
            }
            ItemType::If => return self.if_control(),
            ItemType::Range => {
                let b = self.parse_control("range")?;
                return Ok(Parsed::Node(Node::Range(b)));
            }
            ItemType::Template => return self.template_control(),
            ItemType::With => return self.with_control(),
            _ => {}
        }
        self.backup();
        let t = self.peek();
        let pipe = self.pipeline("command", ItemType::RightDelim)?;
        Ok(Parsed::Node(Node::Action(crate::ast::ActionNode {
            pos: t.pos,
            pipe,
        })))
    }

    fn break_control(&mut self, pos: usize, what: &str) -> PResult<Parsed> {
        let t = self.next_non_space();
        if t.typ != ItemType::RightDelim {
            return Err(self.unexpected(&t, what));
        }
        if self.st.range_depth == 0 {
            return Err(self.errorf(format!("{what} outside {{{{range}}}}")));
        }
        Ok(Parsed::Node(if what == "{{break}}" {
            Node::Break(pos)
        } else {
            Node::Continue(pos)
        }))
    }

    fn if_control(&mut self) -> PResult<Parsed> {
        Ok(Parsed::Node(Node::If(self.parse_control("if")?)))
    }

    fn with_control(&mut self) -> PResult<Parsed> {
        Ok(Parsed::Node(Node::With(self.parse_control("with")?)))
    }

    fn parse_control(&mut self, context: &str) -> PResult<BranchNode> {
        let vars = self.st.vars.len();
        let pipe = self.pipeline(context, ItemType::RightDelim)?;
        if context == "range" {
            self.st.range_depth += 1;
        }
        let (list, next) = self.item_list()?;
        if context == "range" {
            self.st.range_depth -= 1;
        }
        let mut else_list = None;
        match next {
            Parsed::End => {}
            Parsed::Else(pos) => {
                let peek = self.peek().typ;
                if context == "if" && peek == ItemType::If {
                    self.next();
                    let n = self.if_control()?;
                    else_list = Some(self.single(pos, n));
                } else if context == "with" && peek == ItemType::With {
                    self.next();
                    let n = self.with_control()?;
                    else_list = Some(self.single(pos, n));
                } else {
                    let (l, next) = self.item_list()?;
                    if !matches!(next, Parsed::End) {
                        return Err(self
                            .errorf(format!("expected end; found {}", next.describe(&self.ast))));
                    }
                    else_list = Some(l);
                }
            }
            Parsed::Node(_) => {}
        }
        self.st.vars.truncate(vars);
        Ok(BranchNode {
            pos: pipe.pos,
            pipe,
            list,
            else_list,
        })
    }

    fn else_control(&mut self) -> PResult<Parsed> {
        let peek = self.peek_non_space();
        if peek.typ == ItemType::If || peek.typ == ItemType::With {
            return Ok(Parsed::Else(peek.pos));
        }
        let t = self.expect(ItemType::RightDelim, "else")?;
        Ok(Parsed::Else(t.pos))
    }

    fn block_control(&mut self) -> PResult<Parsed> {
        const CONTEXT: &str = "block clause";
        let t = self.next_non_space();
        let name = self.parse_template_name(&t, CONTEXT)?;
        let pipe = self.pipeline(CONTEXT, ItemType::RightDelim)?;
        let saved = std::mem::replace(&mut self.st, TreeState::new());
        let r = self.item_list();
        let block_state = std::mem::replace(&mut self.st, saved);
        let (root, end) = r?;
        if !matches!(end, Parsed::End) {
            return Err(self.errorf(format!(
                "unexpected {} in {CONTEXT}",
                end.describe(&self.ast)
            )));
        }
        // Go adds the block with the block's own state (its last token).
        let outer = std::mem::replace(&mut self.st, block_state);
        let block_name = self.ast.str(name).to_owned();
        let r = self.add(&block_name, root);
        self.st = outer;
        r?;
        Ok(Parsed::Node(Node::Template(TemplateNode {
            pos: t.pos,
            name,
            pipe: Some(pipe),
        })))
    }

    fn template_control(&mut self) -> PResult<Parsed> {
        const CONTEXT: &str = "template clause";
        let t = self.next_non_space();
        let name = self.parse_template_name(&t, CONTEXT)?;
        let mut pipe = None;
        if self.next_non_space().typ != ItemType::RightDelim {
            self.backup();
            pipe = Some(self.pipeline(CONTEXT, ItemType::RightDelim)?);
        }
        Ok(Parsed::Node(Node::Template(TemplateNode {
            pos: t.pos,
            name,
            pipe,
        })))
    }

    fn parse_template_name(&mut self, t: &Item<'s>, context: &str) -> PResult<TStr> {
        match t.typ {
            ItemType::String | ItemType::RawString => self.unquote_str(t),
            _ => Err(self.unexpected(t, context)),
        }
    }

    fn pipeline(&mut self, context: &str, end: ItemType) -> PResult<PipeNode> {
        let t = self.peek_non_space();
        let pos = t.pos;
        let mut is_assign = false;
        let var_mark = self.var_stack.len();
        let cmd_mark = self.cmd_stack.len();
        loop {
            let v = self.peek_non_space();
            if v.typ != ItemType::Variable {
                break;
            }
            self.next();
            // Space is a token, so "$x foo" needs three tokens of
            // look-ahead to tell a use of $x from a declaration.
            let after = self.peek();
            let next = self.peek_non_space();
            let var_name = v.val;
            if next.typ == ItemType::Assign || next.typ == ItemType::Declare {
                is_assign = next.typ == ItemType::Assign;
                self.next_non_space();
                self.var_stack.push(new_variable(v.pos, var_name));
                self.st.vars.push(var_name);
            } else if next.typ == ItemType::Char && next.val == "," {
                self.next_non_space();
                self.var_stack.push(new_variable(v.pos, var_name));
                self.st.vars.push(var_name);
                if context == "range" && self.var_stack.len() - var_mark < 2 {
                    match self.peek_non_space().typ {
                        ItemType::Variable | ItemType::RightDelim | ItemType::RightParen => {
                            continue;
                        }
                        _ => return Err(self.errorf("range can only initialize variables")),
                    }
                }
                return Err(self.errorf(format!("too many declarations in {context}")));
            } else if after.typ == ItemType::Space {
                self.backup3(v, after);
            } else {
                self.backup2(v);
            }
            break;
        }
        loop {
            let t = self.next_non_space();
            match t.typ {
                typ if typ == end => {
                    self.check_pipeline(cmd_mark, context)?;
                    let decl = flush(&mut self.var_stack, var_mark, &mut self.ast.vars);
                    let cmds = flush(&mut self.cmd_stack, cmd_mark, &mut self.ast.cmds);
                    return Ok(PipeNode {
                        pos,
                        is_assign,
                        decl,
                        cmds,
                    });
                }
                ItemType::Bool
                | ItemType::CharConstant
                | ItemType::Complex
                | ItemType::Dot
                | ItemType::Field
                | ItemType::Identifier
                | ItemType::Number
                | ItemType::Nil
                | ItemType::RawString
                | ItemType::String
                | ItemType::Variable
                | ItemType::LeftParen => {
                    self.backup();
                    let cmd = self.command()?;
                    self.cmd_stack.push(cmd);
                    if self.cmd_stack.len() - cmd_mark > MAX_PIPELINE_CMDS {
                        return Err(self.errorf("pipeline too long"));
                    }
                }
                _ => return Err(self.unexpected(&t, context)),
            }
        }
    }

    fn check_pipeline(&self, cmd_mark: usize, context: &str) -> PResult<()> {
        let cmds = self.cmd_stack.get(cmd_mark..).unwrap_or(&[]);
        if cmds.is_empty() {
            return Err(self.errorf(format!("missing value for {context}")));
        }
        for (i, c) in cmds.iter().enumerate().skip(1) {
            if self.ast.args(c).first().is_some_and(Arg::is_constant) {
                return Err(self.errorf(format!(
                    "non executable command in pipeline stage {}",
                    i + 1
                )));
            }
        }
        Ok(())
    }

    fn command(&mut self) -> PResult<CommandNode> {
        let pos = self.peek_non_space().pos;
        let mark = self.arg_stack.len();
        loop {
            self.peek_non_space();
            if let Some(op) = self.operand()? {
                self.arg_stack.push(op);
            }
            let t = self.next();
            match t.typ {
                ItemType::Space => continue,
                ItemType::RightDelim | ItemType::RightParen => self.backup(),
                ItemType::Pipe => {}
                _ => return Err(self.unexpected(&t, "operand")),
            }
            break;
        }
        if self.arg_stack.len() == mark {
            return Err(self.errorf("empty command"));
        }
        Ok(CommandNode {
            pos,
            args: flush(&mut self.arg_stack, mark, &mut self.ast.args),
        })
    }

    fn operand(&mut self) -> PResult<Option<Arg>> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        if self.peek().typ != ItemType::Field {
            return Ok(Some(node));
        }
        let pos = self.peek().pos;
        // The field tokens (`.A`, `.B`) follow each other in the source
        // (a space would be a token), so the path is a piece of it.
        let mut end = pos;
        while self.peek().typ == ItemType::Field {
            let t = self.next();
            end = t.pos + t.val.len();
        }
        Ok(Some(match node {
            // `.A` then `.B.C`: `A.B.C`.
            Arg::Field(f) => Arg::Field(FieldNode {
                pos,
                path: src_str(f.path.start, end),
            }),
            // `$x` then `.A`: `$x.A`.
            Arg::Variable(v) => Arg::Variable(VariableNode {
                pos,
                path: src_str(v.path.start, end),
            }),
            n if n.is_constant() => {
                let shown = NodeRef::Arg(&n).show(&self.ast).to_string();
                return Err(self.errorf(format!(
                    "unexpected . after term {}",
                    rudder_value::fmt::quote(&shown)
                )));
            }
            n => {
                let node = self.ast.args.len();
                self.ast.args.push(n);
                Arg::Chain(ChainNode {
                    pos,
                    node,
                    path: src_str(pos + 1, end),
                })
            }
        }))
    }

    fn term(&mut self) -> PResult<Option<Arg>> {
        let t = self.next_non_space();
        let arg = match t.typ {
            ItemType::Identifier => {
                let name = t.val;
                let Some((name, func)) = self.funcs.resolve(name) else {
                    return Err(self.errorf(format!(
                        "function {} not defined",
                        rudder_value::fmt::quote(name)
                    )));
                };
                Arg::Identifier(IdentifierNode {
                    pos: t.pos,
                    name,
                    func,
                })
            }
            ItemType::Dot => Arg::Dot(t.pos),
            ItemType::Nil => Arg::Nil(t.pos),
            ItemType::Variable => {
                let name = t.val.split('.').next().unwrap_or("");
                if !self.st.vars.contains(&name) {
                    return Err(self.errorf(format!(
                        "undefined variable {}",
                        rudder_value::fmt::quote(name)
                    )));
                }
                Arg::Variable(new_variable(t.pos, t.val))
            }
            ItemType::Field => Arg::Field(FieldNode {
                pos: t.pos,
                path: src_str((t.pos + 1).min(t.pos + t.val.len()), t.pos + t.val.len()),
            }),
            ItemType::Bool => Arg::Bool(t.pos, t.val == "true"),
            ItemType::CharConstant | ItemType::Complex | ItemType::Number => {
                match new_number(t.pos, t.val, t.typ) {
                    Ok(n) => {
                        let i = self.ast.numbers.len();
                        self.ast.numbers.push(n);
                        Arg::Number(t.pos, i)
                    }
                    Err(msg) => return Err(self.errorf(msg)),
                }
            }
            ItemType::LeftParen => {
                if self.st.stack_depth >= MAX_STACK_DEPTH {
                    return Err(self.errorf("max expression depth exceeded"));
                }
                self.st.stack_depth += 1;
                let r = stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
                    self.pipeline("parenthesized pipeline", ItemType::RightParen)
                });
                self.st.stack_depth -= 1;
                Arg::Pipe(r?)
            }
            ItemType::String | ItemType::RawString => {
                let text = self.unquote_str(&t)?;
                Arg::String(StringNode {
                    pos: t.pos,
                    quoted: src_str(t.pos, t.pos + t.val.len()),
                    text,
                })
            }
            _ => {
                self.backup();
                return Ok(None);
            }
        };
        Ok(Some(arg))
    }
}

impl Parser<'_, '_> {
    /// The list of an `else if`/`else with`: the one node.
    fn single(&mut self, pos: usize, n: Parsed) -> ListNode {
        let start = self.ast.nodes.len();
        if let Parsed::Node(n) = n {
            self.ast.nodes.push(n);
        }
        ListNode {
            pos,
            nodes: Span {
                start,
                end: self.ast.nodes.len(),
            },
        }
    }
}

/// A variable token (its text is a piece of the source at `pos`).
fn new_variable(pos: usize, name: &str) -> VariableNode {
    VariableNode {
        pos,
        path: src_str(pos, pos + name.len()),
    }
}

/// Whether `f` converts to `int64` and back unchanged (Go's
/// `float64(int64(f)) == f`, for the values where Go's conversion is
/// defined).
fn float_is_int(f: f64) -> bool {
    (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f) && f.trunc() == f
}

fn float_is_uint(f: f64) -> bool {
    (0.0..18_446_744_073_709_551_616.0).contains(&f) && f.trunc() == f
}

/// Go's `newNumber`: classify a number literal under every type that can
/// hold it. The error is the message Go reports.
pub(crate) fn new_number(pos: usize, text: &str, typ: ItemType) -> Result<NumberNode, String> {
    let mut n = NumberNode {
        is_int: false,
        is_uint: false,
        is_float: false,
        is_complex: false,
        int64: 0,
        uint64: 0,
        float64: 0.0,
        complex: (0.0, 0.0),
        text: src_str(pos, pos + text.len()),
    };
    match typ {
        ItemType::CharConstant => {
            let quote = text.as_bytes().first().copied().unwrap_or(b'\'');
            let (r, _, tail) = strconv::unquote_char(text.get(1..).unwrap_or(""), quote)
                .map_err(|()| "invalid syntax".to_owned())?;
            if tail != "'" {
                return Err(format!("malformed character constant: {text}"));
            }
            n.int64 = i64::from(r);
            n.is_int = true;
            n.uint64 = u64::from(r);
            n.is_uint = true;
            n.float64 = f64::from(r);
            n.is_float = true;
            return Ok(n);
        }
        ItemType::Complex => {
            let (re, im) = parse_complex(text).ok_or_else(|| {
                format!("illegal number syntax: {}", rudder_value::fmt::quote(text))
            })?;
            n.is_complex = true;
            n.complex = (re, im);
            simplify_complex(&mut n);
            return Ok(n);
        }
        _ => {}
    }
    if let Some(im) = text.strip_suffix('i')
        && let Ok(f) = numbers::parse_float(im)
    {
        n.is_complex = true;
        n.complex = (0.0, f);
        simplify_complex(&mut n);
        return Ok(n);
    }
    let u = numbers::parse_uint(text, 0);
    if let Ok(u) = u {
        n.is_uint = true;
        n.uint64 = u;
    }
    if let Ok(i) = numbers::parse_int(text, 0) {
        n.is_int = true;
        n.int64 = i;
        if i == 0 {
            n.is_uint = true;
            n.uint64 = 0;
        }
    }
    if n.is_int {
        n.is_float = true;
        n.float64 = n.int64 as f64;
    } else if n.is_uint {
        n.is_float = true;
        n.float64 = n.uint64 as f64;
    } else if let Ok(f) = numbers::parse_float(text) {
        if !text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Err(format!(
                "integer overflow: {}",
                rudder_value::fmt::quote(text)
            ));
        }
        n.is_float = true;
        n.float64 = f;
        if !n.is_int && float_is_int(f) {
            n.is_int = true;
            n.int64 = f as i64;
        }
        if !n.is_uint && float_is_uint(f) {
            n.is_uint = true;
            n.uint64 = f as u64;
        }
    }
    if !n.is_int && !n.is_uint && !n.is_float {
        return Err(format!(
            "illegal number syntax: {}",
            rudder_value::fmt::quote(text)
        ));
    }
    Ok(n)
}

/// `re+imi` or `re-imi`, as the lexer produces complex constants.
fn parse_complex(text: &str) -> Option<(f64, f64)> {
    let body = text.strip_suffix('i')?;
    let b = body.as_bytes();
    let split = (1..b.len())
        .rev()
        .find(|&i| matches!(b[i], b'+' | b'-') && !matches!(b[i - 1], b'e' | b'E' | b'p' | b'P'))?;
    let re = numbers::parse_float(body.get(..split)?).ok()?;
    let im = numbers::parse_float(body.get(split..)?).ok()?;
    Some((re, im))
}

fn simplify_complex(n: &mut NumberNode) {
    n.is_float = n.complex.1 == 0.0;
    if n.is_float {
        n.float64 = n.complex.0;
        n.is_int = float_is_int(n.float64);
        if n.is_int {
            n.int64 = n.float64 as i64;
        }
        n.is_uint = float_is_uint(n.float64);
        if n.is_uint {
            n.uint64 = n.float64 as u64;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_err(text: &str) -> String {
        match parse("t", text, &FuncTable::default()) {
            Ok(_) => String::new(),
            Err(e) => e.0,
        }
    }

    fn roots(text: &str) -> HashMap<String, String> {
        parse("t", text, &FuncTable::default())
            .map(|trees| {
                trees
                    .into_iter()
                    .map(|t| {
                        let shown = NodeRef::List(&t.root).show(&t.ast).to_string();
                        (t.name.to_string(), shown)
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn round_trips_through_strings() {
        let r = roots("a{{.X.Y | printf \"%d\" 3}}{{if $x := 1}}b{{else if 2}}c{{end}}");
        assert_eq!(
            r.get("t").map(String::as_str),
            Some("a{{.X.Y | printf \"%d\" 3}}{{if $x := 1}}b{{else}}{{if 2}}c{{end}}{{end}}")
        );
        let r = roots("{{define \"x\"}}X{{end}}{{block \"y\" .}}Y{{end}}");
        assert_eq!(r.get("x").map(String::as_str), Some("X"));
        assert_eq!(r.get("y").map(String::as_str), Some("Y"));
        assert_eq!(r.get("t").map(String::as_str), Some("{{template \"y\" .}}"));
        let r = roots("{{range $i, $v := .}}{{$i}}{{break}}{{end}}{{(.a).b}}");
        assert_eq!(
            r.get("t").map(String::as_str),
            Some("{{range $i, $v := .}}{{$i}}{{break}}{{end}}{{(.a).b}}")
        );
    }

    #[test]
    fn errors_match_go() {
        assert_eq!(parse_err("{{if}}"), "template: t:1: missing value for if");
        assert_eq!(parse_err("{{end}}"), "template: t:1: unexpected {{end}}");
        assert_eq!(parse_err("{{if 1}}"), "template: t:1: unexpected EOF");
        assert_eq!(
            parse_err("{{foo}}"),
            "template: t:1: function \"foo\" not defined"
        );
        assert_eq!(
            parse_err("{{$x}}"),
            "template: t:1: undefined variable \"$x\""
        );
        assert_eq!(
            parse_err("{{1 | 2}}"),
            "template: t:1: non executable command in pipeline stage 2"
        );
        assert_eq!(
            parse_err("{{break}}"),
            "template: t:1: {{break}} outside {{range}}"
        );
        assert_eq!(
            parse_err("\n{{\n.X"),
            "template: t:3: unclosed action started at t:2"
        );
        assert_eq!(
            parse_err("{{\"a\".b}}"),
            "template: t:1: unexpected . after term \"\\\"a\\\"\""
        );
        assert_eq!(
            parse_err("{{define \"a\"}}x{{end}}{{define \"a\"}}y{{end}}"),
            "template: t:1: template: multiple definition of template \"a\""
        );
        assert_eq!(
            parse_err("{{range $a, 1}}{{end}}"),
            "template: t:1: range can only initialize variables"
        );
        assert_eq!(
            parse_err("{{with $a, $b := 1}}{{end}}"),
            "template: t:1: too many declarations in with"
        );
        assert_eq!(
            parse_err("{{if 1}}{{else}}{{else}}{{end}}"),
            "template: t:1: expected end; found {{else}}"
        );
        assert_eq!(
            parse_err("{{089}}"),
            "template: t:1: integer overflow: \"089\""
        );
        assert_eq!(
            parse_err("{{'ab'}}"),
            "template: t:1: malformed character constant: 'ab'"
        );
        assert_eq!(
            parse_err("{{ ) }}"),
            "template: t:1: unexpected right paren"
        );
        assert_eq!(
            parse_err("{{template .}}"),
            "template: t:1: unexpected <.> in template clause"
        );
    }

    #[test]
    fn numbers_are_classified_like_go() {
        let n = new_number(0, "0x10", ItemType::Number).ok();
        assert!(
            n.as_ref()
                .is_some_and(|n| n.is_int && n.int64 == 16 && n.is_float)
        );
        let n = new_number(0, "1.0", ItemType::Number).ok();
        assert!(
            n.as_ref()
                .is_some_and(|n| n.is_int && n.is_float && n.int64 == 1)
        );
        let n = new_number(0, "1.5", ItemType::Number).ok();
        assert!(n.as_ref().is_some_and(|n| !n.is_int && n.is_float));
        let n = new_number(0, "'a'", ItemType::CharConstant).ok();
        assert!(n.as_ref().is_some_and(|n| n.int64 == 97));
        let n = new_number(0, "1+2i", ItemType::Complex).ok();
        assert!(
            n.as_ref()
                .is_some_and(|n| n.is_complex && n.complex == (1.0, 2.0) && !n.is_float)
        );
        let n = new_number(0, "2i", ItemType::Number).ok();
        assert!(
            n.as_ref()
                .is_some_and(|n| n.is_complex && n.complex == (0.0, 2.0))
        );
        assert_eq!(
            new_number(0, "99999999999999999999", ItemType::Number).err(),
            Some("integer overflow: \"99999999999999999999\"".to_owned())
        );
        assert_eq!(
            new_number(0, "-", ItemType::Number).err(),
            Some("illegal number syntax: \"-\"".to_owned())
        );
    }
}
