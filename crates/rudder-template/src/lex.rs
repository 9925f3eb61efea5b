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
///
/// Word-sized on purpose: the parser copies items into its look-ahead and
/// reads them back at once, word by word, and a one-byte field stored as a
/// byte and reloaded as part of a word stalls the CPU (store forwarding
/// fails) on every item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u64)]
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

/// The lexer's states between items. Go has one per token kind too; here
/// the action-internal ones are entered directly from `InsideAction`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Text,
    LeftDelim,
    Comment,
    RightDelim,
    InsideAction,
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
    /// Every item of the text, lexed at the first request (see
    /// [`Lexer::next_item`]), and how many have been handed out.
    items: Vec<Item<'s>>,
    read: usize,
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

/// The outcome of one state function: its item (if any) is pushed to the
/// lexer's items, and it sets the next state itself.
type Step = ();

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
            items: Vec::new(),
            read: 0,
        }
    }

    /// The next item. After an error or EOF, every call returns EOF.
    ///
    /// Go's lexer runs one state step per item requested; this one runs
    /// them all at the first request and hands the items out in order.
    /// The items are the same either way (lexing does not depend on the
    /// parser), and so is every error: the parser still reports the line
    /// of the last item it took. Lexing in one loop keeps the state
    /// machine's dispatch and the items' copies out of the parser's way.
    pub(crate) fn next_item(&mut self) -> Item<'s> {
        if self.read == self.items.len() && self.state != State::Done {
            self.lex_all();
        }
        match self.items.get(self.read) {
            Some(&item) => {
                self.read += 1;
                item
            }
            None => Item {
                typ: ItemType::Eof,
                pos: self.pos,
                val: "",
                line: self.start_line,
            },
        }
    }

    fn lex_all(&mut self) {
        // Most of a template is text; actions average a token per few bytes.
        self.items.reserve(self.input.len() / 8 + 4);
        loop {
            match self.state {
                State::Done => return,
                State::Text => self.lex_text(),
                State::LeftDelim => self.lex_left_delim(),
                State::Comment => self.lex_comment(),
                State::RightDelim => self.lex_right_delim(),
                State::InsideAction => self.lex_inside_action(),
            }
        }
    }

    /// Move to state `next`.
    #[inline]
    fn go(&mut self, next: State) -> Step {
        self.state = next;
    }

    fn rest(&self) -> &'s str {
        self.input.get(self.pos..).unwrap_or("")
    }

    fn next(&mut self) -> Option<char> {
        match self.peek() {
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

    #[inline]
    fn peek(&self) -> Option<char> {
        // Actions are ASCII almost always; decode only what is not.
        match self.input.as_bytes().get(self.pos) {
            None => None,
            Some(&b) if b < 0x80 => Some(char::from(b)),
            Some(_) => self.rest().chars().next(),
        }
    }

    fn backup(&mut self) {
        self.pos -= self.width;
    }

    /// Count the newlines in `start..pos` into the start line and move
    /// `start` to `pos`.
    #[inline(always)]
    fn advance_start(&mut self) {
        let skipped = self.input.get(self.start..self.pos).unwrap_or("");
        self.start_line += skipped.bytes().filter(|&b| b == b'\n').count();
        self.start = self.pos;
    }

    /// Produce an item of `typ` for the text since the last one. It goes
    /// straight into the items (built there, not copied: a copy of a
    /// freshly built item stalls the CPU on store forwarding).
    #[inline(always)]
    fn emit(&mut self, typ: ItemType) {
        self.items.push(Item {
            typ,
            pos: self.start,
            val: self.input.get(self.start..self.pos).unwrap_or(""),
            line: self.start_line,
        });
        self.advance_start();
    }

    fn ignore(&mut self) {
        self.advance_start();
    }

    fn errorf(&mut self, msg: String) -> Step {
        self.error = Some(msg);
        self.items.push(Item {
            typ: ItemType::Error,
            pos: self.start,
            val: "",
            line: self.start_line,
        });
        self.go(State::Done)
    }

    fn accept(&mut self, valid: impl Fn(char) -> bool) -> bool {
        match self.next() {
            Some(c) if valid(c) => true,
            Some(_) => {
                self.backup();
                false
            }
            None => false,
        }
    }

    fn accept_run(&mut self, valid: impl Fn(char) -> bool) {
        while let Some(c) = self.next() {
            if !valid(c) {
                self.backup();
                return;
            }
        }
    }

    #[inline(always)]
    fn lex_text(&mut self) -> Step {
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
            if self.pos > self.start {
                self.emit(ItemType::Text);
            }
            self.pos += trim;
            self.ignore();
            return self.go(State::LeftDelim);
        }
        self.pos = self.input.len();
        if self.pos > self.start {
            {
                self.emit(ItemType::Text);
                return self.go(State::Text);
            }
        }
        self.emit(ItemType::Eof);
        self.go(State::Done)
    }

    /// Whether the input is at a right delimiter, and whether it has a trim
    /// marker.
    #[inline(always)]
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

    #[inline(always)]
    fn lex_left_delim(&mut self) -> Step {
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
            return self.go(State::Comment);
        }
        self.emit(ItemType::LeftDelim);
        self.pos += after_marker;
        self.ignore();
        self.paren_depth = 0;
        self.go(State::InsideAction)
    }

    fn lex_comment(&mut self) -> Step {
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
        self.go(State::Text)
    }

    #[inline(always)]
    fn lex_right_delim(&mut self) -> Step {
        let trim = has_right_trim_marker(self.rest());
        if trim {
            self.pos += TRIM_MARKER_LEN;
            self.ignore();
        }
        self.pos += RIGHT_DELIM.len();
        self.emit(ItemType::RightDelim);
        if trim {
            let rest = self.rest();
            self.pos += rest.len() - rest.trim_start_matches(SPACE_CHARS).len();
            self.ignore();
        }
        self.go(State::Text)
    }

    #[inline(always)]
    // Each sub-lexer is entered directly rather than through the state
    // loop, as the loop would do next anyway: one unpredictable dispatch
    // per item instead of two.
    fn lex_inside_action(&mut self) -> Step {
        let (delim, _) = self.at_right_delim();
        if delim {
            if self.paren_depth == 0 {
                return self.lex_right_delim();
            }
            return self.errorf("unclosed left paren".to_owned());
        }
        let Some(r) = self.next() else {
            return self.errorf("unclosed action".to_owned());
        };
        match r {
            _ if is_space(r) => {
                self.backup();
                return self.lex_space();
            }
            '=' => {
                self.emit(ItemType::Assign);
                return self.go(State::InsideAction);
            }
            ':' => {
                if self.next() != Some('=') {
                    return self.errorf("expected :=".to_owned());
                }
                {
                    self.emit(ItemType::Declare);
                    return self.go(State::InsideAction);
                }
            }
            '|' => {
                self.emit(ItemType::Pipe);
                return self.go(State::InsideAction);
            }
            '"' => return self.lex_quote(),
            '`' => return self.lex_raw_quote(),
            '$' => return self.lex_variable(),
            '\'' => return self.lex_char(),
            '(' => {
                self.emit(ItemType::LeftParen);
                self.paren_depth += 1;
                return self.go(State::InsideAction);
            }
            ')' => {
                if self.paren_depth == 0 {
                    // Go emits the paren and returns the error instead:
                    // the paren item is never seen, but the error item
                    // starts after it.
                    self.advance_start();
                    return self.errorf("unexpected right paren".to_owned());
                }
                self.emit(ItemType::RightParen);
                self.paren_depth -= 1;
                return self.go(State::InsideAction);
            }
            _ => {}
        }
        if r == '.' {
            // A '.' followed by a digit starts a number; anything else a field.
            match self.input.as_bytes().get(self.pos) {
                Some(c) if c.is_ascii_digit() => {}
                Some(_) => return self.lex_field_or_variable(ItemType::Field),
                None => {}
            }
        }
        if matches!(r, '.' | '+' | '-') || r.is_ascii_digit() {
            self.backup();
            return self.lex_number();
        }
        if is_alphanumeric(r) {
            self.backup();
            return self.lex_identifier();
        }
        if r.is_ascii() && rudder_value::fmt::is_print(r) {
            {
                self.emit(ItemType::Char);
                return self.go(State::InsideAction);
            }
        }
        self.errorf(format!("unrecognized character in action: {}", sharp_u(r)))
    }

    /// Skip ASCII letters, digits and `_` (the common case of Go's
    /// alphanumerics; the callers go on rune by rune after them).
    #[inline(always)]
    fn skip_ascii_alphanumerics(&mut self) {
        let b = self.input.as_bytes();
        while b
            .get(self.pos)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
        {
            self.pos += 1;
        }
    }

    #[inline(always)]
    fn lex_space(&mut self) -> Step {
        // Spaces are one byte each, as `next` would have counted them.
        let b = self.input.as_bytes();
        let mut num_spaces = 0;
        while b.get(self.pos).is_some_and(|&c| is_space(char::from(c))) {
            self.pos += 1;
            num_spaces += 1;
        }
        if num_spaces > 0 {
            self.width = 1;
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
                return self.go(State::RightDelim);
            }
        }
        self.emit(ItemType::Space);
        self.go(State::InsideAction)
    }

    #[inline(always)]
    fn at_terminator(&self) -> bool {
        match self.peek() {
            None => true,
            Some(r) => is_space(r) || matches!(r, '.' | ',' | '|' | ':' | ')' | '(') || r == '}',
        }
    }

    #[inline(always)]
    fn lex_identifier(&mut self) -> Step {
        self.skip_ascii_alphanumerics();
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
                    {
                        self.emit(typ);
                        return self.go(State::InsideAction);
                    }
                }
            }
        }
    }

    fn lex_variable(&mut self) -> Step {
        if self.at_terminator() {
            {
                self.emit(ItemType::Variable);
                return self.go(State::InsideAction);
            }
        }
        self.lex_field_or_variable(ItemType::Variable)
    }

    #[inline(always)]
    fn lex_field_or_variable(&mut self, typ: ItemType) -> Step {
        if self.at_terminator() {
            let t = if typ == ItemType::Variable {
                ItemType::Variable
            } else {
                ItemType::Dot
            };
            {
                self.emit(t);
                return self.go(State::InsideAction);
            }
        }
        self.skip_ascii_alphanumerics();
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
        self.emit(typ);
        self.go(State::InsideAction)
    }

    fn lex_char(&mut self) -> Step {
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
        self.emit(ItemType::CharConstant);
        self.go(State::InsideAction)
    }

    fn lex_number(&mut self) -> Step {
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
            {
                self.emit(ItemType::Complex);
                return self.go(State::InsideAction);
            }
        }
        self.emit(ItemType::Number);
        self.go(State::InsideAction)
    }

    fn scan_number(&mut self) -> bool {
        #[derive(PartialEq)]
        enum Base {
            Decimal,
            Hex,
            Octal,
            Binary,
        }
        let decimal = |c: char| c.is_ascii_digit() || c == '_';
        self.accept(|c| c == '+' || c == '-');
        let mut base = Base::Decimal;
        if self.accept(|c| c == '0') {
            if self.accept(|c| c == 'x' || c == 'X') {
                base = Base::Hex;
            } else if self.accept(|c| c == 'o' || c == 'O') {
                base = Base::Octal;
            } else if self.accept(|c| c == 'b' || c == 'B') {
                base = Base::Binary;
            }
        }
        let digits = |c: char| match base {
            Base::Decimal => decimal(c),
            Base::Hex => c.is_ascii_hexdigit() || c == '_',
            Base::Octal => matches!(c, '0'..='7' | '_'),
            Base::Binary => matches!(c, '0' | '1' | '_'),
        };
        self.accept_run(digits);
        if self.accept(|c| c == '.') {
            self.accept_run(digits);
        }
        if base == Base::Decimal && self.accept(|c| c == 'e' || c == 'E') {
            self.accept(|c| c == '+' || c == '-');
            self.accept_run(decimal);
        }
        if base == Base::Hex && self.accept(|c| c == 'p' || c == 'P') {
            self.accept(|c| c == '+' || c == '-');
            self.accept_run(decimal);
        }
        self.accept(|c| c == 'i');
        if self.peek().is_some_and(is_alphanumeric) {
            self.next();
            return false;
        }
        true
    }

    fn lex_quote(&mut self) -> Step {
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
        self.emit(ItemType::String);
        self.go(State::InsideAction)
    }

    fn lex_raw_quote(&mut self) -> Step {
        loop {
            match self.next() {
                None => return self.errorf("unterminated raw quoted string".to_owned()),
                Some('`') => break,
                Some(_) => {}
            }
        }
        self.emit(ItemType::RawString);
        self.go(State::InsideAction)
    }
}

/// The offset of the first `{{` in `s`. Templates are mostly text, so this
/// byte scan is the lexer's hottest loop: it looks for `{` eight bytes at a
/// time.
fn find_left_delim(s: &str) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    const BRACES: u64 = 0x7B7B_7B7B_7B7B_7B7B;
    let b = s.as_bytes();
    let mut i = 0;
    loop {
        match b.get(i..i + 8) {
            Some(chunk) => {
                let mut w = [0u8; 8];
                w.copy_from_slice(chunk);
                let x = u64::from_le_bytes(w) ^ BRACES;
                // A zero byte in `x` is a `{` (exact for the lowest one).
                let found = x.wrapping_sub(ONES) & !x & HIGHS;
                if found == 0 {
                    i += 8;
                    continue;
                }
                let at = i + (found.trailing_zeros() / 8) as usize;
                if b.get(at + 1) == Some(&b'{') {
                    return Some(at);
                }
                i = at + 1;
            }
            None => {
                let rest = b.get(i..)?;
                let at = i + rest.iter().position(|&c| c == b'{')?;
                if b.get(at + 1) == Some(&b'{') {
                    return Some(at);
                }
                i = at + 1;
            }
        }
    }
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
    fn left_delimiters_are_found_anywhere() {
        for text in [
            "{{",
            "a{{",
            "{a{{",
            "0123456{{",
            "01234567{{",
            "012345{{{",
            "{{{{",
            "x{y{z",
        ] {
            assert_eq!(find_left_delim(text), text.find("{{"), "{text:?}");
        }
        let long = format!("{}{{{}{{{{", "a".repeat(37), "b".repeat(20));
        assert_eq!(find_left_delim(&long), long.find("{{"));
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
