//! The template lexer: splits template text into items, as Go's
//! `text/template/parse/lex.go` does.
//!
//! Go's lexer is a state machine that yields one item per call; this one is
//! the same machine driven by [`Lexer::next_item`]. Positions are byte
//! offsets into the text and lines count from 1, because parse errors
//! (`template: NAME:LINE: …`) and execution errors (`NAME:LINE:COL`) report
//! them. Trim markers (`{{- ` and ` -}}`) are handled here, so the parser
//! never sees the trimmed spaces.

use std::fmt::Write as _;

/// The kind of a lexed item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ItemType {
    Error,
    Bool,
    Char,
    CharConstant,
    Complex,
    Assign,
    Declare,
    Eof,
    Field,
    Identifier,
    LeftDelim,
    LeftParen,
    Number,
    Pipe,
    RawString,
    RightDelim,
    RightParen,
    Space,
    String,
    Text,
    Variable,
    // Keywords come after this marker, as in Go (item printing depends on it).
    Keyword,
    Block,
    Break,
    Continue,
    Dot,
    Define,
    Else,
    End,
    If,
    Nil,
    Range,
    Template,
    With,
}

/// A lexed item: its kind, where it starts, its text and its line.
///
/// Items are small and `Copy`: the parser's look-ahead copies them a lot.
/// An error item's message is kept by the lexer ([`Lexer::error`]), since
/// there is at most one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Item<'s> {
    pub(crate) typ: ItemType,
    pub(crate) pos: usize,
    pub(crate) val: &'s str,
    pub(crate) line: usize,
}

impl Item<'_> {
    /// Go's `item.String()` for items other than errors, used in
    /// `unexpected X in Y` messages.
    pub(crate) fn describe(&self) -> String {
        let v = self.val;
        match self.typ {
            ItemType::Eof => "EOF".to_owned(),
            ItemType::Error => v.to_owned(),
            t if t > ItemType::Keyword => format!("<{v}>"),
            _ => {
                if v.chars().count() > 10 {
                    let head: String = v.chars().take(10).collect();
                    format!("{}...", rudder_value::fmt::quote(&head))
                } else {
                    rudder_value::fmt::quote(v)
                }
            }
        }
    }
}

/// What the lexer needs to know from the function map: a function named
/// `break` or `continue` turns the keyword into an identifier.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct LexOptions {
    pub(crate) break_ok: bool,
    pub(crate) continue_ok: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Text,
    LeftDelim,
    Comment,
    RightDelim,
    InsideAction,
    Space,
    Identifier,
    Field,
    Variable,
    Char,
    Number,
    Quote,
    RawQuote,
    Done,
}

const LEFT_DELIM: &str = "{{";
const RIGHT_DELIM: &str = "}}";
const LEFT_COMMENT: &str = "/*";
const RIGHT_COMMENT: &str = "*/";
const TRIM_MARKER_LEN: usize = 2;

/// The lexer over one template text.
pub(crate) struct Lexer<'s> {
    input: &'s str,
    pos: usize,
    start: usize,
    /// Width of the last rune read, for `backup`.
    width: usize,
    paren_depth: usize,
    /// Line of `start`.
    start_line: usize,
    state: State,
    pub(crate) options: LexOptions,
    /// The message of the error item, once one has been produced.
    pub(crate) error: Option<String>,
}

fn is_space(r: char) -> bool {
    matches!(r, ' ' | '\t' | '\r' | '\n')
}

/// Go's `isAlphaNumeric`: `_`, a letter or a digit. Non-ASCII letters and
/// digits are classified with Rust's Unicode properties, which are slightly
/// broader than Go's categories L and Nd.
pub(crate) fn is_alphanumeric(r: char) -> bool {
    r == '_' || r.is_alphabetic() || r.is_numeric()
}

fn has_left_trim_marker(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && b[0] == b'-' && is_space(b[1] as char)
}

fn has_right_trim_marker(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && is_space(b[0] as char) && b[1] == b'-'
}

/// Go's `%#U` of a rune: `U+0029 ')'`.
pub(crate) fn sharp_u(r: char) -> String {
    let mut s = String::new();
    let _ = write!(s, "U+{:04X}", r as u32);
    if rudder_value::fmt::is_print(r) {
        let _ = write!(s, " '{r}'");
    }
    s
}

const SPACE_CHARS: &[char] = &[' ', '\t', '\r', '\n'];

/// The outcome of one state function: maybe an item, and the next state.
type Step<'s> = (Option<Item<'s>>, State);

impl<'s> Lexer<'s> {
    pub(crate) fn new(input: &'s str, options: LexOptions) -> Lexer<'s> {
        Lexer {
            input,
            pos: 0,
            start: 0,
            width: 0,
            paren_depth: 0,
            start_line: 1,
            state: State::Text,
            options,
            error: None,
        }
    }

    /// The next item. After an error or EOF, every call returns EOF.
    pub(crate) fn next_item(&mut self) -> Item<'s> {
        loop {
            let (item, next) = match self.state {
                State::Done => {
                    return Item {
                        typ: ItemType::Eof,
                        pos: self.pos,
                        val: "",
                        line: self.start_line,
                    };
                }
                State::Text => self.lex_text(),
                State::LeftDelim => self.lex_left_delim(),
                State::Comment => self.lex_comment(),
                State::RightDelim => self.lex_right_delim(),
                State::InsideAction => self.lex_inside_action(),
                State::Space => self.lex_space(),
                State::Identifier => self.lex_identifier(),
                State::Field => self.lex_field_or_variable(ItemType::Field),
                State::Variable => self.lex_variable(),
                State::Char => self.lex_char(),
                State::Number => self.lex_number(),
                State::Quote => self.lex_quote(),
                State::RawQuote => self.lex_raw_quote(),
            };
            self.state = next;
            if let Some(item) = item {
                return item;
            }
        }
    }

    fn rest(&self) -> &'s str {
        self.input.get(self.pos..).unwrap_or("")
    }

    fn next(&mut self) -> Option<char> {
        match self.rest().chars().next() {
            Some(c) => {
                self.width = c.len_utf8();
                self.pos += self.width;
                Some(c)
            }
            None => {
                self.width = 0;
                None
            }
        }
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn backup(&mut self) {
        self.pos -= self.width;
    }

    /// Count the newlines in `start..pos` into the start line and move
    /// `start` to `pos`.
    fn advance_start(&mut self) {
        let skipped = self.input.get(self.start..self.pos).unwrap_or("");
        self.start_line += skipped.bytes().filter(|&b| b == b'\n').count();
        self.start = self.pos;
    }

    fn emit(&mut self, typ: ItemType) -> Item<'s> {
        let item = Item {
            typ,
            pos: self.start,
            val: self.input.get(self.start..self.pos).unwrap_or(""),
            line: self.start_line,
        };
        self.advance_start();
        item
    }

    fn ignore(&mut self) {
        self.advance_start();
    }

    fn errorf(&mut self, msg: String) -> Step<'s> {
        self.error = Some(msg);
        let item = Item {
            typ: ItemType::Error,
            pos: self.start,
            val: "",
            line: self.start_line,
        };
        (Some(item), State::Done)
    }

    fn accept(&mut self, valid: &str) -> bool {
        match self.next() {
            Some(c) if valid.contains(c) => true,
            Some(_) => {
                self.backup();
                false
            }
            None => false,
        }
    }

    fn accept_run(&mut self, valid: &str) {
        while let Some(c) = self.next() {
            if !valid.contains(c) {
                self.backup();
                return;
            }
        }
    }

    fn lex_text(&mut self) -> Step<'s> {
        self.width = 0;
        if let Some(x) = find_left_delim(self.rest()) {
            self.pos += x;
            let after = self.input.get(self.pos + LEFT_DELIM.len()..).unwrap_or("");
            let mut trim = 0;
            if has_left_trim_marker(after) {
                let text = self.input.get(self.start..self.pos).unwrap_or("");
                trim = text.len() - text.trim_end_matches(SPACE_CHARS).len();
            }
            self.pos -= trim;
            let item = if self.pos > self.start {
                Some(self.emit(ItemType::Text))
            } else {
                None
            };
            self.pos += trim;
            self.ignore();
            return (item, State::LeftDelim);
        }
        self.pos = self.input.len();
        if self.pos > self.start {
            return (Some(self.emit(ItemType::Text)), State::Text);
        }
        (Some(self.emit(ItemType::Eof)), State::Done)
    }

    /// Whether the input is at a right delimiter, and whether it has a trim
    /// marker.
    fn at_right_delim(&self) -> (bool, bool) {
        let rest = self.rest();
        if has_right_trim_marker(rest)
            && rest
                .get(TRIM_MARKER_LEN..)
                .is_some_and(|r| r.starts_with(RIGHT_DELIM))
        {
            return (true, true);
        }
        (rest.starts_with(RIGHT_DELIM), false)
    }

    fn lex_left_delim(&mut self) -> Step<'s> {
        self.pos += LEFT_DELIM.len();
        let trim = has_left_trim_marker(self.rest());
        let after_marker = if trim { TRIM_MARKER_LEN } else { 0 };
        if self
            .input
            .get(self.pos + after_marker..)
            .is_some_and(|r| r.starts_with(LEFT_COMMENT))
        {
            self.pos += after_marker;
            self.ignore();
            return (None, State::Comment);
        }
        let item = self.emit(ItemType::LeftDelim);
        self.pos += after_marker;
        self.ignore();
        self.paren_depth = 0;
        (Some(item), State::InsideAction)
    }

    fn lex_comment(&mut self) -> Step<'s> {
        self.pos += LEFT_COMMENT.len();
        let Some(i) = self.rest().find(RIGHT_COMMENT) else {
            return self.errorf("unclosed comment".to_owned());
        };
        self.pos += i + RIGHT_COMMENT.len();
        let (delim, trim) = self.at_right_delim();
        if !delim {
            return self.errorf("comment ends before closing delimiter".to_owned());
        }
        if trim {
            self.pos += TRIM_MARKER_LEN;
        }
        self.pos += RIGHT_DELIM.len();
        if trim {
            let rest = self.rest();
            self.pos += rest.len() - rest.trim_start_matches(SPACE_CHARS).len();
        }
        self.ignore();
        (None, State::Text)
    }

    fn lex_right_delim(&mut self) -> Step<'s> {
        let trim = has_right_trim_marker(self.rest());
        if trim {
            self.pos += TRIM_MARKER_LEN;
            self.ignore();
        }
        self.pos += RIGHT_DELIM.len();
        let item = self.emit(ItemType::RightDelim);
        if trim {
            let rest = self.rest();
            self.pos += rest.len() - rest.trim_start_matches(SPACE_CHARS).len();
            self.ignore();
        }
        (Some(item), State::Text)
    }

    fn lex_inside_action(&mut self) -> Step<'s> {
        let (delim, _) = self.at_right_delim();
        if delim {
            if self.paren_depth == 0 {
                return (None, State::RightDelim);
            }
            return self.errorf("unclosed left paren".to_owned());
        }
        let Some(r) = self.next() else {
            return self.errorf("unclosed action".to_owned());
        };
        match r {
            _ if is_space(r) => {
                self.backup();
                return (None, State::Space);
            }
            '=' => return (Some(self.emit(ItemType::Assign)), State::InsideAction),
            ':' => {
                if self.next() != Some('=') {
                    return self.errorf("expected :=".to_owned());
                }
                return (Some(self.emit(ItemType::Declare)), State::InsideAction);
            }
            '|' => return (Some(self.emit(ItemType::Pipe)), State::InsideAction),
            '"' => return (None, State::Quote),
            '`' => return (None, State::RawQuote),
            '$' => return (None, State::Variable),
            '\'' => return (None, State::Char),
            '(' => {
                let item = self.emit(ItemType::LeftParen);
                self.paren_depth += 1;
                return (Some(item), State::InsideAction);
            }
            ')' => {
                let item = self.emit(ItemType::RightParen);
                if self.paren_depth == 0 {
                    return self.errorf("unexpected right paren".to_owned());
                }
                self.paren_depth -= 1;
                return (Some(item), State::InsideAction);
            }
            _ => {}
        }
        if r == '.' {
            // A '.' followed by a digit starts a number; anything else a field.
            match self.input.as_bytes().get(self.pos) {
                Some(c) if c.is_ascii_digit() => {}
                Some(_) => return (None, State::Field),
                None => {}
            }
        }
        if matches!(r, '.' | '+' | '-') || r.is_ascii_digit() {
            self.backup();
            return (None, State::Number);
        }
        if is_alphanumeric(r) {
            self.backup();
            return (None, State::Identifier);
        }
        if r.is_ascii() && rudder_value::fmt::is_print(r) {
            return (Some(self.emit(ItemType::Char)), State::InsideAction);
        }
        self.errorf(format!("unrecognized character in action: {}", sharp_u(r)))
    }

    fn lex_space(&mut self) -> Step<'s> {
        let mut num_spaces = 0;
        while let Some(r) = self.peek() {
            if !is_space(r) {
                break;
            }
            self.next();
            num_spaces += 1;
        }
        // A trim-marked right delimiter starts with a space: leave it.
        let from = self.pos - 1;
        let marked = self.input.get(from..).is_some_and(|s| {
            has_right_trim_marker(s)
                && s.get(TRIM_MARKER_LEN..)
                    .is_some_and(|r| r.starts_with(RIGHT_DELIM))
        });
        if marked {
            self.backup();
            if num_spaces == 1 {
                return (None, State::RightDelim);
            }
        }
        (Some(self.emit(ItemType::Space)), State::InsideAction)
    }

    fn at_terminator(&self) -> bool {
        match self.peek() {
            None => true,
            Some(r) => is_space(r) || matches!(r, '.' | ',' | '|' | ':' | ')' | '(') || r == '}',
        }
    }

    fn lex_identifier(&mut self) -> Step<'s> {
        loop {
            match self.next() {
                Some(r) if is_alphanumeric(r) => {}
                other => {
                    if other.is_some() {
                        self.backup();
                    }
                    let word = self.input.get(self.start..self.pos).unwrap_or("");
                    if !self.at_terminator() {
                        let r = other.unwrap_or('\u{FFFD}');
                        return self.errorf(format!("bad character {}", sharp_u(r)));
                    }
                    let typ = match keyword(word) {
                        Some(ItemType::Break) if !self.options.break_ok => ItemType::Identifier,
                        Some(ItemType::Continue) if !self.options.continue_ok => {
                            ItemType::Identifier
                        }
                        Some(k) => k,
                        None if word == "true" || word == "false" => ItemType::Bool,
                        None => ItemType::Identifier,
                    };
                    return (Some(self.emit(typ)), State::InsideAction);
                }
            }
        }
    }

    fn lex_variable(&mut self) -> Step<'s> {
        if self.at_terminator() {
            return (Some(self.emit(ItemType::Variable)), State::InsideAction);
        }
        self.lex_field_or_variable(ItemType::Variable)
    }

    fn lex_field_or_variable(&mut self, typ: ItemType) -> Step<'s> {
        if self.at_terminator() {
            let t = if typ == ItemType::Variable {
                ItemType::Variable
            } else {
                ItemType::Dot
            };
            return (Some(self.emit(t)), State::InsideAction);
        }
        let last = loop {
            let r = self.next();
            match r {
                Some(c) if is_alphanumeric(c) => {}
                _ => {
                    if r.is_some() {
                        self.backup();
                    }
                    break r;
                }
            }
        };
        if !self.at_terminator() {
            let r = last.unwrap_or('\u{FFFD}');
            return self.errorf(format!("bad character {}", sharp_u(r)));
        }
        (Some(self.emit(typ)), State::InsideAction)
    }

    fn lex_char(&mut self) -> Step<'s> {
        loop {
            match self.next() {
                Some('\\') => match self.next() {
                    Some(r) if r != '\n' => {}
                    _ => return self.errorf("unterminated character constant".to_owned()),
                },
                None | Some('\n') => {
                    return self.errorf("unterminated character constant".to_owned());
                }
                Some('\'') => break,
                Some(_) => {}
            }
        }
        (Some(self.emit(ItemType::CharConstant)), State::InsideAction)
    }

    fn lex_number(&mut self) -> Step<'s> {
        if !self.scan_number() {
            let text = self.input.get(self.start..self.pos).unwrap_or("");
            let msg = format!("bad number syntax: {}", rudder_value::fmt::quote(text));
            return self.errorf(msg);
        }
        if matches!(self.peek(), Some('+' | '-')) {
            // A complex constant: 1+2i, no spaces, ending in 'i'.
            if !self.scan_number() || !self.input.get(..self.pos).is_some_and(|s| s.ends_with('i'))
            {
                let text = self.input.get(self.start..self.pos).unwrap_or("");
                let msg = format!("bad number syntax: {}", rudder_value::fmt::quote(text));
                return self.errorf(msg);
            }
            return (Some(self.emit(ItemType::Complex)), State::InsideAction);
        }
        (Some(self.emit(ItemType::Number)), State::InsideAction)
    }

    fn scan_number(&mut self) -> bool {
        self.accept("+-");
        let mut digits = "0123456789_";
        if self.accept("0") {
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 11 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 23 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        self.accept("i");
        if self.peek().is_some_and(is_alphanumeric) {
            self.next();
            return false;
        }
        true
    }

    fn lex_quote(&mut self) -> Step<'s> {
        loop {
            match self.next() {
                Some('\\') => match self.next() {
                    Some(r) if r != '\n' => {}
                    _ => return self.errorf("unterminated quoted string".to_owned()),
                },
                None | Some('\n') => return self.errorf("unterminated quoted string".to_owned()),
                Some('"') => break,
                Some(_) => {}
            }
        }
        (Some(self.emit(ItemType::String)), State::InsideAction)
    }

    fn lex_raw_quote(&mut self) -> Step<'s> {
        loop {
            match self.next() {
                None => return self.errorf("unterminated raw quoted string".to_owned()),
                Some('`') => break,
                Some(_) => {}
            }
        }
        (Some(self.emit(ItemType::RawString)), State::InsideAction)
    }
}

/// The offset of the first `{{` in `s`. Templates are mostly text, so this
/// byte scan is the lexer's hottest loop.
fn find_left_delim(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut from = 0;
    while let Some(i) = b.get(from..)?.iter().position(|&c| c == b'{') {
        let at = from + i;
        if b.get(at + 1) == Some(&b'{') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn keyword(word: &str) -> Option<ItemType> {
    Some(match word {
        "." => ItemType::Dot,
        "block" => ItemType::Block,
        "break" => ItemType::Break,
        "continue" => ItemType::Continue,
        "define" => ItemType::Define,
        "else" => ItemType::Else,
        "end" => ItemType::End,
        "if" => ItemType::If,
        "range" => ItemType::Range,
        "nil" => ItemType::Nil,
        "template" => ItemType::Template,
        "with" => ItemType::With,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex_all(s: &str) -> Vec<(ItemType, String, usize)> {
        let mut l = Lexer::new(
            s,
            LexOptions {
                break_ok: true,
                continue_ok: true,
            },
        );
        let mut out = Vec::new();
        loop {
            let it = l.next_item();
            let done = matches!(it.typ, ItemType::Eof | ItemType::Error);
            let text = if it.typ == ItemType::Error {
                l.error.clone().unwrap_or_default()
            } else {
                it.val.to_owned()
            };
            out.push((it.typ, text, it.line));
            if done {
                return out;
            }
        }
    }

    fn types(s: &str) -> Vec<ItemType> {
        lex_all(s).into_iter().map(|(t, _, _)| t).collect()
    }

    #[test]
    fn text_and_actions() {
        use ItemType::*;
        assert_eq!(
            types("a{{.X | f 1}}b"),
            vec![
                Text, LeftDelim, Field, Space, Pipe, Space, Identifier, Space, Number, RightDelim,
                Text, Eof
            ]
        );
        assert_eq!(
            types("{{$x := 3}}"),
            vec![
                LeftDelim, Variable, Space, Declare, Space, Number, RightDelim, Eof
            ]
        );
        assert_eq!(types("{{-3}}"), vec![LeftDelim, Number, RightDelim, Eof]);
    }

    #[test]
    fn trimming() {
        let items = lex_all("a  \n {{- .X -}} \n b");
        assert_eq!(items[0].1, "a");
        assert_eq!(items[items.len() - 2].1, "b");
        assert_eq!(items[items.len() - 2].2, 3);
        let items = lex_all("x {{- /* c */ -}} y");
        assert_eq!(
            items.iter().map(|i| i.1.as_str()).collect::<Vec<_>>(),
            vec!["x", "y", ""]
        );
    }

    #[test]
    fn keywords_and_items() {
        use ItemType::*;
        assert_eq!(
            types("{{if true}}{{else}}{{end}}"),
            vec![
                LeftDelim, If, Space, Bool, RightDelim, LeftDelim, Else, RightDelim, LeftDelim,
                End, RightDelim, Eof
            ]
        );
        assert_eq!(types("{{.}}"), vec![LeftDelim, Dot, RightDelim, Eof]);
        assert_eq!(
            types("{{'a' `r` \"s\" 1+2i}}"),
            vec![
                LeftDelim,
                CharConstant,
                Space,
                RawString,
                Space,
                String,
                Space,
                Complex,
                RightDelim,
                Eof
            ]
        );
    }

    #[test]
    fn errors() {
        let last = |s: &str| lex_all(s).pop().map(|i| i.1).unwrap_or_default();
        assert_eq!(last("{{"), "unclosed action");
        assert_eq!(last("{{ (x }}"), "unclosed left paren");
        assert_eq!(last("{{ ) }}"), "unexpected right paren");
        assert_eq!(last("{{ \"abc }}"), "unterminated quoted string");
        assert_eq!(last("{{ 3x }}"), "bad number syntax: \"3x\"");
        assert_eq!(last("{{ $x=1 }}"), "bad character U+003D '='");
        assert_eq!(
            last("{{/* x */ }}"),
            "comment ends before closing delimiter"
        );
        assert_eq!(last("{{/* x "), "unclosed comment");
        assert_eq!(last("{{ : }}"), "expected :=");
        assert_eq!(
            last("{{ \u{1} }}"),
            "unrecognized character in action: U+0001"
        );
    }

    #[test]
    fn item_descriptions() {
        let it = |typ, v: &'static str| Item {
            typ,
            pos: 0,
            val: v,
            line: 1,
        };
        assert_eq!(it(ItemType::End, "end").describe(), "<end>");
        assert_eq!(it(ItemType::Dot, ".").describe(), "<.>");
        assert_eq!(
            it(ItemType::String, "\"abcdefghijkl\"").describe(),
            "\"\\\"abcdefghi\"..."
        );
        assert_eq!(it(ItemType::Eof, "").describe(), "EOF");
        assert_eq!(it(ItemType::Char, "/").describe(), "\"/\"");
    }
}
