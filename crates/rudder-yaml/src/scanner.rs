//! The YAML tokenizer, following the algorithm of libyaml's scanner as
//! yaml.v2 (a Go translation of libyaml) runs it.
//!
//! Helm reports yaml.v2's error texts and line numbers to users, and charts
//! depend on its exact acceptance rules (tabs, simple-key limits, YAML 1.1
//! quirks). Reproducing those means reproducing the scanner's state machine
//! (simple keys, the indentation stack, token insertion), so this module is
//! organised the same way: one `fetch_*` step per token kind, with the same
//! error points and marks. The code is our own.
//!
//! The scanner reads the UTF-8 bytes of the input directly (libyaml decodes
//! into a character buffer first), because rendering parses megabytes of
//! YAML: marks still count characters, as libyaml's do, and the hot loops
//! (blanks, comments, plain and quoted scalars, block scalar lines) run over
//! bytes. Scalars that are a contiguous piece of the input (a one-line plain
//! scalar, a quoted one without escapes or line breaks) borrow it instead of
//! being copied character by character.

use std::borrow::Cow;
use std::collections::VecDeque;

/// A position in the input: character index, 0-based line and column
/// (both counted in characters, as libyaml counts them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Mark {
    pub(crate) index: usize,
    pub(crate) line: usize,
    pub(crate) column: usize,
}

/// Scalar styles as the scanner reports them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum TokenKind<'a> {
    StreamStart,
    StreamEnd,
    VersionDirective(u32, u32),
    /// Handle and prefix (boxed: rare, and tokens are moved a lot).
    TagDirective(Box<(String, String)>),
    DocumentStart,
    DocumentEnd,
    BlockSequenceStart,
    BlockMappingStart,
    BlockEnd,
    FlowSequenceStart,
    FlowSequenceEnd,
    FlowMappingStart,
    FlowMappingEnd,
    BlockEntry,
    FlowEntry,
    Key,
    Value,
    /// Anchor names are runs of ASCII letters, digits, `_` and `-`, so they
    /// are always a piece of the input.
    Alias(&'a str),
    Anchor(&'a str),
    /// Handle and suffix (boxed, as for `TagDirective`).
    Tag(Box<(String, String)>),
    Scalar(Cow<'a, str>, ScalarStyle),
}

/// A token kind without its data, so that the parser can look at the head
/// token without cloning it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tk {
    StreamStart,
    StreamEnd,
    VersionDirective,
    TagDirective,
    DocumentStart,
    DocumentEnd,
    BlockSequenceStart,
    BlockMappingStart,
    BlockEnd,
    FlowSequenceStart,
    FlowSequenceEnd,
    FlowMappingStart,
    FlowMappingEnd,
    BlockEntry,
    FlowEntry,
    Key,
    Value,
    Alias,
    Anchor,
    Tag,
    Scalar,
}

impl TokenKind<'_> {
    pub(crate) fn tk(&self) -> Tk {
        match self {
            TokenKind::StreamStart => Tk::StreamStart,
            TokenKind::StreamEnd => Tk::StreamEnd,
            TokenKind::VersionDirective(..) => Tk::VersionDirective,
            TokenKind::TagDirective(..) => Tk::TagDirective,
            TokenKind::DocumentStart => Tk::DocumentStart,
            TokenKind::DocumentEnd => Tk::DocumentEnd,
            TokenKind::BlockSequenceStart => Tk::BlockSequenceStart,
            TokenKind::BlockMappingStart => Tk::BlockMappingStart,
            TokenKind::BlockEnd => Tk::BlockEnd,
            TokenKind::FlowSequenceStart => Tk::FlowSequenceStart,
            TokenKind::FlowSequenceEnd => Tk::FlowSequenceEnd,
            TokenKind::FlowMappingStart => Tk::FlowMappingStart,
            TokenKind::FlowMappingEnd => Tk::FlowMappingEnd,
            TokenKind::BlockEntry => Tk::BlockEntry,
            TokenKind::FlowEntry => Tk::FlowEntry,
            TokenKind::Key => Tk::Key,
            TokenKind::Value => Tk::Value,
            TokenKind::Alias(_) => Tk::Alias,
            TokenKind::Anchor(_) => Tk::Anchor,
            TokenKind::Tag(..) => Tk::Tag,
            TokenKind::Scalar(..) => Tk::Scalar,
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Token<'a> {
    pub(crate) kind: TokenKind<'a>,
    pub(crate) start: Mark,
    pub(crate) end: Mark,
}

/// Which stage produced an error; yaml.v2 counts lines differently for each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ErrorKind {
    Scanner,
    Parser,
}

/// A libyaml-style error: a problem at a mark, in a context at another mark.
#[derive(Clone, Debug)]
pub(crate) struct ScanError {
    pub(crate) kind: ErrorKind,
    pub(crate) problem: String,
    pub(crate) problem_mark: Mark,
    pub(crate) context_mark: Mark,
}

impl ScanError {
    /// The line yaml.v2 prints: a scanner error's 0-based problem line plus
    /// one, a parser error's 0-based problem line as it is, falling back on
    /// the context mark's line; nothing when both are line 0.
    pub(crate) fn reported_line(&self) -> Option<usize> {
        if self.problem_mark.line != 0 {
            let mut line = self.problem_mark.line;
            if self.kind == ErrorKind::Scanner {
                line += 1;
            }
            Some(line)
        } else if self.context_mark.line != 0 {
            Some(self.context_mark.line)
        } else {
            None
        }
    }
}

type Result<T> = std::result::Result<T, ScanError>;

#[derive(Clone, Copy, Debug, Default)]
struct SimpleKey {
    possible: bool,
    required: bool,
    token_number: usize,
    mark: Mark,
}

/// libyaml's limits on flow nesting and the indentation stack.
const MAX_FLOW_LEVEL: usize = 10000;
const MAX_INDENTS: usize = 10000;

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}
fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}
fn is_z(c: char) -> bool {
    c == '\0'
}
fn is_breakz(c: char) -> bool {
    is_break(c) || is_z(c)
}
fn is_blankz(c: char) -> bool {
    is_blank(c) || is_breakz(c)
}
fn is_alpha(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// Characters the libyaml reader accepts in a stream.
pub(crate) fn is_allowed_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7E}' | '\u{85}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Whether every character of `text` is one the libyaml reader accepts
/// ([`is_allowed_char`]), checked on the UTF-8 bytes: the disallowed
/// characters are the C0 controls but tab and line breaks, DEL, the C1
/// controls but NEL (`C2 80`–`C2 9F`), and U+FFFE/U+FFFF (`EF BF BE/BF`).
/// Surrogates cannot occur in a `str`.
pub(crate) fn all_chars_allowed(text: &str) -> bool {
    const LOW: u64 = 0x2020_2020_2020_2020;
    const ONE: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let b = text.as_bytes();
    let mut i = 0;
    loop {
        // Eight printable ASCII bytes at a time: no byte below 0x20 (the
        // subtraction borrows into its top bit) and none above 0x7E (the
        // addition carries into it, or it is set already).
        let Some(chunk) = b.get(i..i + 8) else {
            return tail_allowed(b, i);
        };
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let w = u64::from_le_bytes(w);
        if (w.wrapping_sub(LOW) | w.wrapping_add(ONE) | w) & HIGH == 0 {
            i += 8;
            continue;
        }
        // Something else in these eight bytes (a line break, usually):
        // look at them one character at a time.
        let end = i + 8;
        while i < end {
            match char_allowed_at(b, i) {
                Some(next) => i = next,
                None => return false,
            }
        }
    }
}

fn tail_allowed(b: &[u8], mut i: usize) -> bool {
    while i < b.len() {
        match char_allowed_at(b, i) {
            Some(next) => i = next,
            None => return false,
        }
    }
    true
}

/// Whether the character at byte `i` is allowed; the offset of the next
/// character if it is.
fn char_allowed_at(b: &[u8], i: usize) -> Option<usize> {
    let c = *b.get(i)?;
    match c {
        0x20..=0x7E | b'\t' | b'\n' | b'\r' => Some(i + 1),
        0xC2 => {
            let n = b.get(i + 1).copied().unwrap_or(0);
            if (0x80..=0x9F).contains(&n) && n != 0x85 {
                return None;
            }
            Some(i + 2)
        }
        0xEF => {
            if b.get(i + 1) == Some(&0xBF) && matches!(b.get(i + 2), Some(0xBE | 0xBF)) {
                return None;
            }
            Some(i + 3)
        }
        0xC3..=0xDF => Some(i + 2),
        0xE0..=0xEE => Some(i + 3),
        0xF0..=0xF7 => Some(i + 4),
        _ => None,
    }
}

/// The length of the UTF-8 sequence a lead byte starts.
fn utf8_len(b: u8) -> usize {
    if b < 0x80 {
        1
    } else if b < 0xE0 {
        2
    } else if b < 0xF0 {
        3
    } else {
        4
    }
}

/// Whether `b` starts a character (is not a UTF-8 continuation byte).
fn is_char_start(b: u8) -> bool {
    b & 0xC0 != 0x80
}

/// A byte class table for the scanning loops: `true` for the bytes that
/// may end a run (line breaks and the lead bytes of NEL, LS and PS, NUL),
/// plus `extra`.
const fn stops(extra: &[u8]) -> [bool; 256] {
    let mut t = [false; 256];
    t[b'\n' as usize] = true;
    t[b'\r' as usize] = true;
    t[0] = true;
    t[0xC2] = true;
    t[0xE2] = true;
    let mut i = 0;
    while i < extra.len() {
        t[extra[i] as usize] = true;
        i += 1;
    }
    t
}

/// Where a run of plain-scalar characters may end, in block and in flow
/// context.
static PLAIN_STOPS: [bool; 256] = stops(b" \t:");
static PLAIN_STOPS_FLOW: [bool; 256] = stops(b" \t:,?[]{}");
/// Where a line may end.
static LINE_STOPS: [bool; 256] = stops(b"");
/// Where the one-line form of a quoted scalar may end.
static SINGLE_QUOTED_STOPS: [bool; 256] = stops(b"'");
static DOUBLE_QUOTED_STOPS: [bool; 256] = stops(b"\"\\");

/// Whether the bytes at `p` are a line break (`\r`, `\n`, NEL, LS, PS).
fn break_in(buf: &[u8], p: usize) -> bool {
    match buf.get(p) {
        Some(b'\n' | b'\r') => true,
        Some(0xC2) => buf.get(p + 1) == Some(&0x85),
        Some(0xE2) => buf.get(p + 1) == Some(&0x80) && matches!(buf.get(p + 2), Some(0xA8 | 0xA9)),
        _ => false,
    }
}

/// The number of characters in a piece of UTF-8.
fn char_count(b: &[u8]) -> usize {
    b.iter().filter(|&&c| is_char_start(c)).count()
}

pub(crate) struct Scanner<'a> {
    text: &'a str,
    buf: &'a [u8],
    /// Byte offset of the current character.
    pos: usize,
    mark: Mark,
    tokens: VecDeque<Token<'a>>,
    tokens_parsed: usize,
    token_available: bool,
    stream_start_produced: bool,
    stream_end_produced: bool,
    indent: i64,
    indents: Vec<i64>,
    simple_key_allowed: bool,
    simple_keys: Vec<SimpleKey>,
    /// yaml.v2's `simple_keys_by_tok` (token number → index into
    /// `simple_keys`), as a short list: it is only ever looked up for the
    /// head token's number, so entries for tokens already parsed are dead
    /// and are dropped, which keeps it a few entries long.
    keys_by_tok: Vec<(usize, usize)>,
    flow_level: usize,
    error: Option<ScanError>,
}

impl<'a> Scanner<'a> {
    pub(crate) fn new(text: &'a str) -> Scanner<'a> {
        Scanner {
            text,
            buf: text.as_bytes(),
            pos: 0,
            mark: Mark::default(),
            tokens: VecDeque::new(),
            tokens_parsed: 0,
            token_available: false,
            stream_start_produced: false,
            stream_end_produced: false,
            indent: -1,
            indents: Vec::new(),
            simple_key_allowed: false,
            simple_keys: Vec::new(),
            keys_by_tok: Vec::new(),
            flow_level: 0,
            error: None,
        }
    }

    /// The byte `off` bytes ahead, or 0 past the end (NUL is `'\0'`, the
    /// end-of-stream character, either way).
    #[inline]
    fn byte(&self, off: usize) -> u8 {
        self.buf.get(self.pos + off).copied().unwrap_or(0)
    }

    fn char_at(&self, p: usize) -> char {
        match self.buf.get(p) {
            None => '\0',
            Some(&b) if b < 0x80 => b as char,
            Some(_) => self
                .text
                .get(p..)
                .and_then(|s| s.chars().next())
                .unwrap_or('\0'),
        }
    }

    /// The character `k` places ahead, or `'\0'` past the end.
    fn ch(&self, k: usize) -> char {
        let mut p = self.pos;
        for _ in 0..k {
            match self.buf.get(p) {
                Some(&b) => p += utf8_len(b),
                None => return '\0',
            }
        }
        self.char_at(p)
    }

    #[inline]
    fn cur(&self) -> char {
        self.char_at(self.pos)
    }

    /// Whether the character at byte offset `off` (past ASCII characters
    /// only) is a line break.
    #[inline]
    fn break_at(&self, off: usize) -> bool {
        match self.byte(off) {
            b'\n' | b'\r' => true,
            0xC2 => self.byte(off + 1) == 0x85,
            0xE2 => self.byte(off + 1) == 0x80 && matches!(self.byte(off + 2), 0xA8 | 0xA9),
            _ => false,
        }
    }

    /// `is_blankz` of the character at byte offset `off` (past ASCII
    /// characters only).
    #[inline]
    fn blankz_at(&self, off: usize) -> bool {
        matches!(self.byte(off), b' ' | b'\t' | 0) || self.break_at(off)
    }

    #[inline]
    fn at_blank(&self) -> bool {
        matches!(self.byte(0), b' ' | b'\t')
    }

    #[inline]
    fn at_break(&self) -> bool {
        self.break_at(0)
    }

    #[inline]
    fn at_breakz(&self) -> bool {
        self.byte(0) == 0 || self.break_at(0)
    }

    fn skip(&mut self) {
        let w = self.buf.get(self.pos).map_or(1, |&b| utf8_len(b));
        self.pos += w;
        self.mark.index += 1;
        self.mark.column += 1;
    }

    /// Skip a run of spaces (indentation, mostly) in one step.
    #[inline]
    fn skip_spaces(&mut self) {
        let n = self
            .buf
            .get(self.pos..)
            .map_or(0, |rest| rest.iter().take_while(|&&b| b == b' ').count());
        self.skip_ascii(n);
    }

    /// Skip `n` characters known to be ASCII.
    #[inline]
    fn skip_ascii(&mut self, n: usize) {
        self.pos += n;
        self.mark.index += n;
        self.mark.column += n;
    }

    fn skip_line(&mut self) {
        if self.byte(0) == b'\r' && self.byte(1) == b'\n' {
            self.mark.index += 2;
            self.mark.column = 0;
            self.mark.line += 1;
            self.pos += 2;
        } else if self.at_break() {
            self.pos += utf8_len(self.byte(0));
            self.mark.index += 1;
            self.mark.column = 0;
            self.mark.line += 1;
        }
    }

    fn read(&mut self, s: &mut String) {
        s.push(self.cur());
        self.skip();
    }

    fn read_line(&mut self, s: &mut String) {
        if let Some(c) = self.read_break() {
            s.push(c);
        }
    }

    /// Consume a line break, returning what it reads as (`\n`, or LS/PS
    /// as they are), or nothing when not at a break.
    fn read_break(&mut self) -> Option<char> {
        let b = self.byte(0);
        let c;
        if b == b'\r' && self.byte(1) == b'\n' {
            c = '\n';
            self.pos += 2;
            self.mark.index += 1;
        } else if b == b'\r' || b == b'\n' {
            c = '\n';
            self.pos += 1;
        } else if b == 0xC2 && self.byte(1) == 0x85 {
            c = '\n';
            self.pos += 2;
        } else if b == 0xE2 && self.break_at(0) {
            c = self.cur();
            self.pos += 3;
        } else {
            return None;
        }
        self.mark.index += 1;
        self.mark.column = 0;
        self.mark.line += 1;
        Some(c)
    }

    /// Skip to the next line break or the end of the input (comments).
    fn skip_to_breakz(&mut self) {
        let end = self.line_end();
        let chars = self.count_chars(self.pos, end);
        self.pos = end;
        self.mark.index += chars;
        self.mark.column += chars;
    }

    /// The byte offset of the next line break (or NUL, or the end) at or
    /// after the current position.
    fn line_end(&self) -> usize {
        let buf = self.buf;
        let mut p = self.pos;
        loop {
            while let Some(&b) = buf.get(p) {
                if LINE_STOPS[usize::from(b)] {
                    break;
                }
                p += 1;
            }
            // A NEL or LS/PS lead byte that starts another character.
            if matches!(buf.get(p), Some(0xC2 | 0xE2)) && !break_in(buf, p) {
                p += 1;
                continue;
            }
            return p;
        }
    }

    fn count_chars(&self, from: usize, to: usize) -> usize {
        self.buf.get(from..to).map_or(0, char_count)
    }

    fn scanner_error(&mut self, context_mark: Mark, problem: &str) -> ScanError {
        let e = ScanError {
            kind: ErrorKind::Scanner,
            problem: problem.to_owned(),
            problem_mark: self.mark,
            context_mark,
        };
        self.error = Some(e.clone());
        e
    }

    /// The head token, fetching more as the simple-key rules require.
    pub(crate) fn peek(&mut self) -> Result<&Token<'a>> {
        if !self.token_available {
            self.fetch_more_tokens()?;
        }
        match self.tokens.front() {
            Some(t) => Ok(t),
            None => Err(ScanError {
                kind: ErrorKind::Parser,
                problem: "unexpected end of token stream".to_owned(),
                problem_mark: self.mark,
                context_mark: Mark::default(),
            }),
        }
    }

    /// Remove the head token (after a successful [`Scanner::peek`]).
    pub(crate) fn skip_token(&mut self) {
        drop(self.take_token());
    }

    /// Remove the head token and hand it over (after a successful
    /// [`Scanner::peek`]).
    pub(crate) fn take_token(&mut self) -> Option<Token<'a>> {
        self.token_available = false;
        self.tokens_parsed += 1;
        let t = self.tokens.pop_front();
        if let Some(t) = &t {
            self.stream_end_produced = t.kind == TokenKind::StreamEnd;
        }
        t
    }

    pub(crate) fn stream_end_produced(&self) -> bool {
        self.stream_end_produced
    }

    fn key_for_token(&self, token_number: usize) -> Option<usize> {
        self.keys_by_tok
            .iter()
            .find(|(t, _)| *t == token_number)
            .map(|&(_, i)| i)
    }

    fn forget_key_token(&mut self, token_number: usize) {
        self.keys_by_tok.retain(|(t, _)| *t != token_number);
    }

    fn fetch_more_tokens(&mut self) -> Result<()> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        loop {
            if !self.tokens.is_empty() {
                let Some(idx) = self.key_for_token(self.tokens_parsed) else {
                    break;
                };
                if !self.simple_key_is_valid(idx)? {
                    break;
                }
            }
            if self.stream_end_produced_in_queue() {
                break;
            }
            self.fetch_next_token()?;
        }
        self.token_available = true;
        Ok(())
    }

    /// Guards against fetching past the end: once STREAM-END is queued the
    /// scanner has nothing more to give.
    fn stream_end_produced_in_queue(&self) -> bool {
        self.tokens
            .back()
            .is_some_and(|t| t.kind == TokenKind::StreamEnd)
    }

    fn insert_token(&mut self, pos: Option<usize>, token: Token<'a>) {
        match pos {
            Some(p) if p <= self.tokens.len() => self.tokens.insert(p, token),
            _ => self.tokens.push_back(token),
        }
    }

    fn fetch_next_token(&mut self) -> Result<()> {
        if !self.stream_start_produced {
            self.fetch_stream_start();
            return Ok(());
        }
        self.scan_to_next_token();
        self.unroll_indent(self.mark.column as i64);
        let b = self.byte(0);
        if b == 0 {
            return self.fetch_stream_end();
        }
        if self.mark.column == 0 && b == b'%' {
            return self.fetch_directive();
        }
        if self.mark.column == 0
            && b == b'-'
            && self.byte(1) == b'-'
            && self.byte(2) == b'-'
            && self.blankz_at(3)
        {
            return self.fetch_document_indicator(TokenKind::DocumentStart);
        }
        if self.mark.column == 0
            && b == b'.'
            && self.byte(1) == b'.'
            && self.byte(2) == b'.'
            && self.blankz_at(3)
        {
            return self.fetch_document_indicator(TokenKind::DocumentEnd);
        }
        match b {
            b'[' => return self.fetch_flow_collection_start(TokenKind::FlowSequenceStart),
            b'{' => return self.fetch_flow_collection_start(TokenKind::FlowMappingStart),
            b']' => return self.fetch_flow_collection_end(TokenKind::FlowSequenceEnd),
            b'}' => return self.fetch_flow_collection_end(TokenKind::FlowMappingEnd),
            b',' => return self.fetch_flow_entry(),
            _ => {}
        }
        // Every indicator is ASCII, so the next character is at byte 1
        // whenever it matters.
        if b == b'-' && self.blankz_at(1) {
            return self.fetch_block_entry();
        }
        if b == b'?' && (self.flow_level > 0 || self.blankz_at(1)) {
            return self.fetch_key();
        }
        if b == b':' && (self.flow_level > 0 || self.blankz_at(1)) {
            return self.fetch_value();
        }
        match b {
            b'*' => return self.fetch_anchor(true),
            b'&' => return self.fetch_anchor(false),
            b'!' => return self.fetch_tag(),
            b'|' if self.flow_level == 0 => return self.fetch_block_scalar(true),
            b'>' if self.flow_level == 0 => return self.fetch_block_scalar(false),
            b'\'' => return self.fetch_flow_scalar(true),
            b'"' => return self.fetch_flow_scalar(false),
            _ => {}
        }
        let c = self.cur();
        let indicator = is_blankz(c)
            || matches!(
                c,
                '-' | '?'
                    | ':'
                    | ','
                    | '['
                    | ']'
                    | '{'
                    | '}'
                    | '#'
                    | '&'
                    | '*'
                    | '!'
                    | '|'
                    | '>'
                    | '\''
                    | '"'
                    | '%'
                    | '@'
                    | '`'
            );
        if !indicator
            || (c == '-' && !matches!(self.byte(1), b' ' | b'\t'))
            || (self.flow_level == 0 && (c == '?' || c == ':') && !self.blankz_at(1))
        {
            return self.fetch_plain_scalar();
        }
        let m = self.mark;
        Err(self.scanner_error(m, "found character that cannot start any token"))
    }

    fn simple_key_is_valid(&mut self, idx: usize) -> Result<bool> {
        let Some(key) = self.simple_keys.get(idx).copied() else {
            return Ok(false);
        };
        if !key.possible {
            return Ok(false);
        }
        if key.mark.line < self.mark.line || key.mark.index + 1024 < self.mark.index {
            if key.required {
                return Err(self.scanner_error(key.mark, "could not find expected ':'"));
            }
            if let Some(k) = self.simple_keys.get_mut(idx) {
                k.possible = false;
            }
            return Ok(false);
        }
        Ok(true)
    }

    fn save_simple_key(&mut self) -> Result<()> {
        let required = self.flow_level == 0 && self.indent == self.mark.column as i64;
        if self.simple_key_allowed {
            let key = SimpleKey {
                possible: true,
                required,
                token_number: self.tokens_parsed + self.tokens.len(),
                mark: self.mark,
            };
            self.remove_simple_key()?;
            let last = self.simple_keys.len().saturating_sub(1);
            if let Some(slot) = self.simple_keys.get_mut(last) {
                *slot = key;
                let parsed = self.tokens_parsed;
                self.keys_by_tok
                    .retain(|(t, _)| *t >= parsed && *t != key.token_number);
                self.keys_by_tok.push((key.token_number, last));
            }
        }
        Ok(())
    }

    fn remove_simple_key(&mut self) -> Result<()> {
        let last = self.simple_keys.len().saturating_sub(1);
        let Some(key) = self.simple_keys.get(last).copied() else {
            return Ok(());
        };
        if key.possible {
            if key.required {
                return Err(self.scanner_error(key.mark, "could not find expected ':'"));
            }
            if let Some(k) = self.simple_keys.get_mut(last) {
                k.possible = false;
            }
            self.forget_key_token(key.token_number);
        }
        Ok(())
    }

    fn increase_flow_level(&mut self) -> Result<()> {
        self.simple_keys.push(SimpleKey {
            possible: false,
            required: false,
            token_number: self.tokens_parsed + self.tokens.len(),
            mark: self.mark,
        });
        self.flow_level += 1;
        if self.flow_level > MAX_FLOW_LEVEL {
            let m = self.simple_keys.last().map(|k| k.mark).unwrap_or_default();
            return Err(self.scanner_error(m, &format!("exceeded max depth of {MAX_FLOW_LEVEL}")));
        }
        Ok(())
    }

    fn decrease_flow_level(&mut self) {
        if self.flow_level > 0 {
            self.flow_level -= 1;
            if let Some(k) = self.simple_keys.pop() {
                self.forget_key_token(k.token_number);
            }
        }
    }

    /// Push an indentation level and insert the collection-start token at
    /// `number` (an absolute token number) or at the end.
    fn roll_indent(
        &mut self,
        column: i64,
        number: Option<usize>,
        kind: TokenKind<'a>,
        mark: Mark,
    ) -> Result<()> {
        if self.flow_level > 0 {
            return Ok(());
        }
        if self.indent < column {
            self.indents.push(self.indent);
            self.indent = column;
            if self.indents.len() > MAX_INDENTS {
                let m = self.simple_keys.last().map(|k| k.mark).unwrap_or_default();
                return Err(self.scanner_error(m, &format!("exceeded max depth of {MAX_INDENTS}")));
            }
            let token = Token {
                kind,
                start: mark,
                end: mark,
            };
            let pos = number.map(|n| n.saturating_sub(self.tokens_parsed));
            self.insert_token(pos, token);
        }
        Ok(())
    }

    fn unroll_indent(&mut self, column: i64) {
        if self.flow_level > 0 {
            return;
        }
        while self.indent > column {
            let token = Token {
                kind: TokenKind::BlockEnd,
                start: self.mark,
                end: self.mark,
            };
            self.insert_token(None, token);
            self.indent = self.indents.pop().unwrap_or(-1);
        }
    }

    fn fetch_stream_start(&mut self) {
        self.indent = -1;
        self.simple_keys.push(SimpleKey::default());
        self.simple_key_allowed = true;
        self.stream_start_produced = true;
        let m = self.mark;
        self.insert_token(
            None,
            Token {
                kind: TokenKind::StreamStart,
                start: m,
                end: m,
            },
        );
    }

    fn fetch_stream_end(&mut self) -> Result<()> {
        // libyaml forces a new line so that the end is past the last line.
        if self.mark.column != 0 {
            self.mark.column = 0;
            self.mark.line += 1;
        }
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let m = self.mark;
        self.insert_token(
            None,
            Token {
                kind: TokenKind::StreamEnd,
                start: m,
                end: m,
            },
        );
        Ok(())
    }

    fn fetch_directive(&mut self) -> Result<()> {
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_directive()?;
        self.insert_token(None, token);
        Ok(())
    }

    fn fetch_document_indicator(&mut self, kind: TokenKind<'a>) -> Result<()> {
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let start = self.mark;
        self.skip_ascii(3);
        let end = self.mark;
        self.insert_token(None, Token { kind, start, end });
        Ok(())
    }

    fn fetch_flow_collection_start(&mut self, kind: TokenKind<'a>) -> Result<()> {
        self.save_simple_key()?;
        self.increase_flow_level()?;
        self.simple_key_allowed = true;
        self.push_simple(kind);
        Ok(())
    }

    /// Consume one (ASCII) character and queue a token spanning it.
    fn push_simple(&mut self, kind: TokenKind<'a>) {
        let start = self.mark;
        self.skip_ascii(1);
        let end = self.mark;
        self.insert_token(None, Token { kind, start, end });
    }

    fn fetch_flow_collection_end(&mut self, kind: TokenKind<'a>) -> Result<()> {
        self.remove_simple_key()?;
        self.decrease_flow_level();
        self.simple_key_allowed = false;
        self.push_simple(kind);
        Ok(())
    }

    fn fetch_flow_entry(&mut self) -> Result<()> {
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        self.push_simple(TokenKind::FlowEntry);
        Ok(())
    }

    fn fetch_block_entry(&mut self) -> Result<()> {
        if self.flow_level == 0 {
            if !self.simple_key_allowed {
                let m = self.mark;
                return Err(
                    self.scanner_error(m, "block sequence entries are not allowed in this context")
                );
            }
            let m = self.mark;
            self.roll_indent(m.column as i64, None, TokenKind::BlockSequenceStart, m)?;
        }
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        self.push_simple(TokenKind::BlockEntry);
        Ok(())
    }

    fn fetch_key(&mut self) -> Result<()> {
        if self.flow_level == 0 {
            if !self.simple_key_allowed {
                let m = self.mark;
                return Err(self.scanner_error(m, "mapping keys are not allowed in this context"));
            }
            let m = self.mark;
            self.roll_indent(m.column as i64, None, TokenKind::BlockMappingStart, m)?;
        }
        self.remove_simple_key()?;
        self.simple_key_allowed = self.flow_level == 0;
        self.push_simple(TokenKind::Key);
        Ok(())
    }

    fn fetch_value(&mut self) -> Result<()> {
        let idx = self.simple_keys.len().saturating_sub(1);
        if self.simple_key_is_valid(idx)? {
            let Some(key) = self.simple_keys.get(idx).copied() else {
                return Ok(());
            };
            let token = Token {
                kind: TokenKind::Key,
                start: key.mark,
                end: key.mark,
            };
            self.insert_token(
                Some(key.token_number.saturating_sub(self.tokens_parsed)),
                token,
            );
            self.roll_indent(
                key.mark.column as i64,
                Some(key.token_number),
                TokenKind::BlockMappingStart,
                key.mark,
            )?;
            if let Some(k) = self.simple_keys.get_mut(idx) {
                k.possible = false;
            }
            self.forget_key_token(key.token_number);
            self.simple_key_allowed = false;
        } else {
            if self.flow_level == 0 {
                if !self.simple_key_allowed {
                    let m = self.mark;
                    return Err(
                        self.scanner_error(m, "mapping values are not allowed in this context")
                    );
                }
                let m = self.mark;
                self.roll_indent(m.column as i64, None, TokenKind::BlockMappingStart, m)?;
            }
            self.simple_key_allowed = self.flow_level == 0;
        }
        self.push_simple(TokenKind::Value);
        Ok(())
    }

    fn fetch_anchor(&mut self, alias: bool) -> Result<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_anchor(alias)?;
        self.insert_token(None, token);
        Ok(())
    }

    fn fetch_tag(&mut self) -> Result<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_tag()?;
        self.insert_token(None, token);
        Ok(())
    }

    fn fetch_block_scalar(&mut self, literal: bool) -> Result<()> {
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let token = self.scan_block_scalar(literal)?;
        self.insert_token(None, token);
        Ok(())
    }

    fn fetch_flow_scalar(&mut self, single: bool) -> Result<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_flow_scalar(single)?;
        self.insert_token(None, token);
        Ok(())
    }

    fn fetch_plain_scalar(&mut self) -> Result<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_plain_scalar()?;
        self.insert_token(None, token);
        Ok(())
    }

    fn scan_to_next_token(&mut self) {
        loop {
            // U+FEFF (a byte order mark) at the start of a line.
            if self.mark.column == 0
                && self.byte(0) == 0xEF
                && self.byte(1) == 0xBB
                && self.byte(2) == 0xBF
            {
                self.skip();
            }
            let tabs_ok = self.flow_level > 0 || !self.simple_key_allowed;
            loop {
                match self.byte(0) {
                    b' ' => self.skip_spaces(),
                    b'\t' if tabs_ok => self.skip_ascii(1),
                    _ => break,
                }
            }
            if self.byte(0) == b'#' {
                self.skip_to_breakz();
            }
            if self.at_break() {
                self.skip_line();
                if self.flow_level == 0 {
                    self.simple_key_allowed = true;
                }
            } else {
                break;
            }
        }
    }

    fn skip_blanks_and_comment(&mut self) {
        while self.at_blank() {
            self.skip_ascii(1);
        }
        if self.byte(0) == b'#' {
            self.skip_to_breakz();
        }
    }

    fn scan_directive(&mut self) -> Result<Token<'a>> {
        let start = self.mark;
        self.skip();
        let name = self.scan_directive_name(start)?;
        let kind = if name == "YAML" {
            let (major, minor) = self.scan_version_directive_value(start)?;
            TokenKind::VersionDirective(major, minor)
        } else if name == "TAG" {
            let (handle, prefix) = self.scan_tag_directive_value(start)?;
            TokenKind::TagDirective(Box::new((handle, prefix)))
        } else {
            return Err(self.scanner_error(start, "found unknown directive name"));
        };
        let end = self.mark;
        self.skip_blanks_and_comment();
        if !self.at_breakz() {
            return Err(self.scanner_error(start, "did not find expected comment or line break"));
        }
        if self.at_break() {
            self.skip_line();
        }
        Ok(Token { kind, start, end })
    }

    fn scan_directive_name(&mut self, start: Mark) -> Result<String> {
        let mut s = String::new();
        while is_alpha(self.cur()) {
            self.read(&mut s);
        }
        if s.is_empty() {
            return Err(self.scanner_error(start, "could not find expected directive name"));
        }
        if !is_blankz(self.cur()) {
            return Err(self.scanner_error(start, "found unexpected non-alphabetical character"));
        }
        Ok(s)
    }

    fn scan_version_directive_value(&mut self, start: Mark) -> Result<(u32, u32)> {
        while self.at_blank() {
            self.skip_ascii(1);
        }
        let major = self.scan_version_directive_number(start)?;
        if self.cur() != '.' {
            return Err(self.scanner_error(start, "did not find expected digit or '.' character"));
        }
        self.skip();
        let minor = self.scan_version_directive_number(start)?;
        Ok((major, minor))
    }

    fn scan_version_directive_number(&mut self, start: Mark) -> Result<u32> {
        let mut value = 0u32;
        let mut length = 0;
        while let Some(d) = self.cur().to_digit(10) {
            length += 1;
            if length > 2 {
                return Err(self.scanner_error(start, "found extremely long version number"));
            }
            value = value * 10 + d;
            self.skip();
        }
        if length == 0 {
            return Err(self.scanner_error(start, "did not find expected version number"));
        }
        Ok(value)
    }

    fn scan_tag_directive_value(&mut self, start: Mark) -> Result<(String, String)> {
        while self.at_blank() {
            self.skip_ascii(1);
        }
        let handle = self.scan_tag_handle(true, start)?;
        if !self.at_blank() {
            return Err(self.scanner_error(start, "did not find expected whitespace"));
        }
        while self.at_blank() {
            self.skip_ascii(1);
        }
        let prefix = self.scan_tag_uri(true, "", start)?;
        if !is_blankz(self.cur()) {
            return Err(self.scanner_error(start, "did not find expected whitespace or line break"));
        }
        Ok((handle, prefix))
    }

    fn scan_anchor(&mut self, alias: bool) -> Result<Token<'a>> {
        let start = self.mark;
        self.skip();
        let from = self.pos;
        while is_alpha(self.cur()) {
            self.skip_ascii(1);
        }
        let s = self.text.get(from..self.pos).unwrap_or("");
        let end = self.mark;
        let c = self.cur();
        if s.is_empty()
            || !(is_blankz(c) || matches!(c, '?' | ':' | ',' | ']' | '}' | '%' | '@' | '`'))
        {
            return Err(self.scanner_error(
                start,
                "did not find expected alphabetic or numeric character",
            ));
        }
        let kind = if alias {
            TokenKind::Alias(s)
        } else {
            TokenKind::Anchor(s)
        };
        Ok(Token { kind, start, end })
    }

    fn scan_tag(&mut self) -> Result<Token<'a>> {
        let start = self.mark;
        let (handle, suffix);
        if self.ch(1) == '<' {
            self.skip();
            self.skip();
            suffix = self.scan_tag_uri(false, "", start)?;
            if self.cur() != '>' {
                return Err(self.scanner_error(start, "did not find the expected '>'"));
            }
            self.skip();
            handle = String::new();
        } else {
            let h = self.scan_tag_handle(false, start)?;
            if h.len() > 1 && h.starts_with('!') && h.ends_with('!') {
                handle = h;
                suffix = self.scan_tag_uri(false, "", start)?;
            } else {
                let s = self.scan_tag_uri(false, &h, start)?;
                if s.is_empty() {
                    // A lone `!`: the non-specific tag.
                    handle = String::new();
                    suffix = "!".to_owned();
                } else {
                    handle = "!".to_owned();
                    suffix = s;
                }
            }
        }
        if !is_blankz(self.cur()) {
            return Err(self.scanner_error(start, "did not find expected whitespace or line break"));
        }
        let end = self.mark;
        Ok(Token {
            kind: TokenKind::Tag(Box::new((handle, suffix))),
            start,
            end,
        })
    }

    fn tag_error(&mut self, start: Mark, problem: &str) -> ScanError {
        self.scanner_error(start, problem)
    }

    fn scan_tag_handle(&mut self, directive: bool, start: Mark) -> Result<String> {
        if self.cur() != '!' {
            return Err(self.tag_error(start, "did not find expected '!'"));
        }
        let mut s = String::new();
        self.read(&mut s);
        while is_alpha(self.cur()) {
            self.read(&mut s);
        }
        if self.cur() == '!' {
            self.read(&mut s);
        } else if directive && s != "!" {
            return Err(self.tag_error(start, "did not find expected '!'"));
        }
        Ok(s)
    }

    fn scan_tag_uri(&mut self, directive: bool, head: &str, start: Mark) -> Result<String> {
        let mut bytes: Vec<u8> = Vec::new();
        let mut has_tag = !head.is_empty();
        if head.len() > 1 {
            bytes.extend_from_slice(head.get(1..).unwrap_or("").as_bytes());
        }
        loop {
            let c = self.cur();
            let ok = is_alpha(c)
                || matches!(
                    c,
                    ';' | '/'
                        | '?'
                        | ':'
                        | '@'
                        | '&'
                        | '='
                        | '+'
                        | '$'
                        | ','
                        | '.'
                        | '!'
                        | '~'
                        | '*'
                        | '\''
                        | '('
                        | ')'
                        | '['
                        | ']'
                        | '%'
                );
            if !ok {
                break;
            }
            if c == '%' {
                self.scan_uri_escapes(directive, start, &mut bytes)?;
            } else {
                let mut buf = [0u8; 4];
                bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                self.skip();
            }
            has_tag = true;
        }
        if !has_tag {
            return Err(self.tag_error(start, "did not find expected tag URI"));
        }
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    fn scan_uri_escapes(&mut self, _directive: bool, start: Mark, out: &mut Vec<u8>) -> Result<()> {
        let mut width = 0usize;
        let mut first = true;
        loop {
            let (c0, c1, c2) = (self.cur(), self.ch(1), self.ch(2));
            let (Some(h), Some(l)) = (c1.to_digit(16), c2.to_digit(16)) else {
                return Err(self.tag_error(start, "did not find URI escaped octet"));
            };
            if c0 != '%' {
                return Err(self.tag_error(start, "did not find URI escaped octet"));
            }
            let octet = (h * 16 + l) as u8;
            if first {
                width = utf8_width(octet);
                if width == 0 {
                    return Err(self.tag_error(start, "found an incorrect leading UTF-8 octet"));
                }
                first = false;
            } else if octet & 0xC0 != 0x80 {
                return Err(self.tag_error(start, "found an incorrect trailing UTF-8 octet"));
            }
            out.push(octet);
            self.skip_ascii(3);
            width -= 1;
            if width == 0 {
                return Ok(());
            }
        }
    }

    fn scan_block_scalar(&mut self, literal: bool) -> Result<Token<'a>> {
        let start = self.mark;
        self.skip();
        let mut chomping = 0i8;
        let mut increment = 0i64;
        let c = self.cur();
        if c == '+' || c == '-' {
            chomping = if c == '+' { 1 } else { -1 };
            self.skip();
            if let Some(d) = self.cur().to_digit(10) {
                if d == 0 {
                    return Err(
                        self.scanner_error(start, "found an indentation indicator equal to 0")
                    );
                }
                increment = i64::from(d);
                self.skip();
            }
        } else if let Some(d) = c.to_digit(10) {
            if d == 0 {
                return Err(self.scanner_error(start, "found an indentation indicator equal to 0"));
            }
            increment = i64::from(d);
            self.skip();
            let c = self.cur();
            if c == '+' || c == '-' {
                chomping = if c == '+' { 1 } else { -1 };
                self.skip();
            }
        }
        self.skip_blanks_and_comment();
        if !self.at_breakz() {
            return Err(self.scanner_error(start, "did not find expected comment or line break"));
        }
        if self.at_break() {
            self.skip_line();
        }
        let mut end = self.mark;
        let mut indent: i64 = 0;
        if increment > 0 {
            indent = if self.indent >= 0 {
                self.indent + increment
            } else {
                increment
            };
        }
        let mut s = String::new();
        let mut leading_break = String::new();
        let mut trailing_breaks = String::new();
        self.scan_block_scalar_breaks(&mut indent, &mut trailing_breaks, start, &mut end)?;
        let mut leading_blank = false;
        while self.mark.column as i64 == indent && self.byte(0) != 0 {
            let trailing_blank = self.at_blank();
            if !literal && !leading_blank && !trailing_blank && leading_break.starts_with('\n') {
                if trailing_breaks.is_empty() {
                    s.push(' ');
                }
            } else {
                s.push_str(&leading_break);
            }
            leading_break.clear();
            s.push_str(&trailing_breaks);
            trailing_breaks.clear();
            leading_blank = self.at_blank();
            // The rest of the line, as it is.
            let from = self.pos;
            self.skip_to_breakz();
            s.push_str(self.text.get(from..self.pos).unwrap_or(""));
            self.read_line(&mut leading_break);
            self.scan_block_scalar_breaks(&mut indent, &mut trailing_breaks, start, &mut end)?;
        }
        if chomping != -1 {
            s.push_str(&leading_break);
        }
        if chomping == 1 {
            s.push_str(&trailing_breaks);
        }
        let style = if literal {
            ScalarStyle::Literal
        } else {
            ScalarStyle::Folded
        };
        Ok(Token {
            kind: TokenKind::Scalar(Cow::Owned(s), style),
            start,
            end,
        })
    }

    fn scan_block_scalar_breaks(
        &mut self,
        indent: &mut i64,
        breaks: &mut String,
        start: Mark,
        end: &mut Mark,
    ) -> Result<()> {
        *end = self.mark;
        let mut max_indent: i64 = 0;
        loop {
            while (*indent == 0 || (self.mark.column as i64) < *indent) && self.byte(0) == b' ' {
                self.skip_ascii(1);
            }
            if self.mark.column as i64 > max_indent {
                max_indent = self.mark.column as i64;
            }
            if (*indent == 0 || (self.mark.column as i64) < *indent) && self.byte(0) == b'\t' {
                return Err(self.scanner_error(
                    start,
                    "found a tab character where an indentation space is expected",
                ));
            }
            if !self.at_break() {
                break;
            }
            self.read_line(breaks);
            *end = self.mark;
        }
        if *indent == 0 {
            *indent = max_indent;
            if *indent < self.indent + 1 {
                *indent = self.indent + 1;
            }
            if *indent < 1 {
                *indent = 1;
            }
        }
        Ok(())
    }

    fn at_document_indicator(&self) -> bool {
        self.mark.column == 0
            && ((self.byte(0) == b'-' && self.byte(1) == b'-' && self.byte(2) == b'-')
                || (self.byte(0) == b'.' && self.byte(1) == b'.' && self.byte(2) == b'.'))
            && self.blankz_at(3)
    }

    fn scan_flow_scalar(&mut self, single: bool) -> Result<Token<'a>> {
        if let Some(t) = self.scan_flow_scalar_on_one_line(single) {
            return Ok(t);
        }
        let start = self.mark;
        self.skip();
        let mut s = String::new();
        let mut leading_break = String::new();
        let mut trailing_breaks = String::new();
        let mut whitespaces = String::new();
        loop {
            if self.at_document_indicator() {
                return Err(self.scanner_error(start, "found unexpected document indicator"));
            }
            if self.byte(0) == 0 {
                return Err(self.scanner_error(start, "found unexpected end of stream"));
            }
            let mut leading_blanks = false;
            while !is_blankz(self.cur()) {
                let c = self.cur();
                if single && c == '\'' && self.byte(1) == b'\'' {
                    s.push('\'');
                    self.skip_ascii(2);
                } else if (single && c == '\'') || (!single && c == '"') {
                    break;
                } else if !single && c == '\\' && self.break_at(1) {
                    self.skip_ascii(1);
                    self.skip_line();
                    leading_blanks = true;
                    break;
                } else if !single && c == '\\' {
                    let mut code_length = 0;
                    match self.ch(1) {
                        '0' => s.push('\0'),
                        'a' => s.push('\u{07}'),
                        'b' => s.push('\u{08}'),
                        't' | '\t' => s.push('\t'),
                        'n' => s.push('\n'),
                        'v' => s.push('\u{0B}'),
                        'f' => s.push('\u{0C}'),
                        'r' => s.push('\r'),
                        'e' => s.push('\u{1B}'),
                        ' ' => s.push(' '),
                        '"' => s.push('"'),
                        '\'' => s.push('\''),
                        '\\' => s.push('\\'),
                        'N' => s.push('\u{85}'),
                        '_' => s.push('\u{A0}'),
                        'L' => s.push('\u{2028}'),
                        'P' => s.push('\u{2029}'),
                        'x' => code_length = 2,
                        'u' => code_length = 4,
                        'U' => code_length = 8,
                        _ => {
                            return Err(self.scanner_error(start, "found unknown escape character"));
                        }
                    }
                    self.skip_ascii(2);
                    if code_length > 0 {
                        let mut value: u32 = 0;
                        for k in 0..code_length {
                            let Some(d) = self.ch(k).to_digit(16) else {
                                return Err(self.scanner_error(
                                    start,
                                    "did not find expected hexdecimal number",
                                ));
                            };
                            value = (value << 4) + d;
                        }
                        let Some(ch) = char::from_u32(value) else {
                            return Err(self.scanner_error(
                                start,
                                "found invalid Unicode character escape code",
                            ));
                        };
                        s.push(ch);
                        self.skip_ascii(code_length);
                    }
                } else {
                    self.read(&mut s);
                }
            }
            let c = self.cur();
            if (single && c == '\'') || (!single && c == '"') {
                break;
            }
            while self.at_blank() || self.at_break() {
                if self.at_blank() {
                    if leading_blanks {
                        self.skip_ascii(1);
                    } else {
                        self.read(&mut whitespaces);
                    }
                } else if leading_blanks {
                    self.read_line(&mut trailing_breaks);
                } else {
                    whitespaces.clear();
                    self.read_line(&mut leading_break);
                    leading_blanks = true;
                }
            }
            if leading_blanks {
                if leading_break.starts_with('\n') {
                    if trailing_breaks.is_empty() {
                        s.push(' ');
                    } else {
                        s.push_str(&trailing_breaks);
                    }
                } else {
                    s.push_str(&leading_break);
                    s.push_str(&trailing_breaks);
                }
                trailing_breaks.clear();
                leading_break.clear();
            } else {
                s.push_str(&whitespaces);
                whitespaces.clear();
            }
        }
        self.skip();
        let end = self.mark;
        let style = if single {
            ScalarStyle::SingleQuoted
        } else {
            ScalarStyle::DoubleQuoted
        };
        Ok(Token {
            kind: TokenKind::Scalar(Cow::Owned(s), style),
            start,
            end,
        })
    }

    /// The common case of a quoted scalar: closed on the line it starts,
    /// with no escape (`\` or `''`). Its value is then exactly the input
    /// between the quotes (blanks inside a line are kept as they are), so
    /// it is borrowed. `None` leaves everything else to the general loop.
    fn scan_flow_scalar_on_one_line(&mut self, single: bool) -> Option<Token<'a>> {
        let table = if single {
            &SINGLE_QUOTED_STOPS
        } else {
            &DOUBLE_QUOTED_STOPS
        };
        let body = self.pos + 1;
        let buf = self.buf;
        let mut p = body;
        loop {
            while let Some(&b) = buf.get(p) {
                if table[usize::from(b)] {
                    break;
                }
                p += 1;
            }
            match *buf.get(p)? {
                b'\'' if single => {
                    if buf.get(p + 1) == Some(&b'\'') {
                        return None;
                    }
                    break;
                }
                b'"' if !single => break,
                0xC2 | 0xE2 if !break_in(buf, p) => p += 1,
                // A line break, an escape, NUL.
                _ => return None,
            }
        }
        let chars = char_count(buf.get(body..p)?);
        let value = self.text.get(body..p)?;
        let start = self.mark;
        self.pos = p + 1;
        self.mark.index += chars + 2;
        self.mark.column += chars + 2;
        let style = if single {
            ScalarStyle::SingleQuoted
        } else {
            ScalarStyle::DoubleQuoted
        };
        Some(Token {
            kind: TokenKind::Scalar(Cow::Borrowed(value), style),
            start,
            end: self.mark,
        })
    }

    /// libyaml's plain scalar scan. The value is built as a run of the
    /// input (`run`) after an owned prefix (`s`): blanks between words on
    /// a line are part of the run, so only line folding (where breaks and
    /// indentation are replaced) needs the owned prefix, and a one-line
    /// scalar is borrowed.
    fn scan_plain_scalar(&mut self) -> Result<Token<'a>> {
        let mut s = String::new();
        let mut folded = false;
        let mut run_start = self.pos;
        let mut run_end = self.pos;
        let mut leading_break = Breaks::default();
        let mut trailing_breaks = Breaks::default();
        let mut leading_blanks = false;
        let indent = self.indent + 1;
        let start = self.mark;
        let mut end = self.mark;
        let flow = self.flow_level > 0;
        loop {
            if self.at_document_indicator() {
                break;
            }
            if self.byte(0) == b'#' {
                break;
            }
            // Scan the characters of one word run.
            let buf = self.buf;
            let table = if flow {
                &PLAIN_STOPS_FLOW
            } else {
                &PLAIN_STOPS
            };
            let mut p = self.pos;
            loop {
                while let Some(&b) = buf.get(p) {
                    if table[usize::from(b)] {
                        break;
                    }
                    p += 1;
                }
                match buf.get(p) {
                    // `:` ends the scalar only before a blank or break.
                    Some(b':') => {
                        if matches!(buf.get(p + 1), None | Some(b' ' | b'\t' | 0))
                            || break_in(buf, p + 1)
                        {
                            break;
                        }
                        p += 1;
                    }
                    Some(0xC2 | 0xE2) if !break_in(buf, p) => p += 1,
                    _ => break,
                }
            }
            let chars = self.count_chars(self.pos, p);
            if p > self.pos {
                if leading_blanks {
                    // A line fold: the input is no longer contiguous.
                    s.push_str(self.text.get(run_start..run_end).unwrap_or(""));
                    if leading_break.starts_with_newline() {
                        if trailing_breaks.is_empty() {
                            s.push(' ');
                        } else {
                            trailing_breaks.push_to(&mut s);
                        }
                    } else {
                        leading_break.push_to(&mut s);
                        trailing_breaks.push_to(&mut s);
                    }
                    trailing_breaks.clear();
                    leading_break.clear();
                    leading_blanks = false;
                    folded = true;
                    run_start = self.pos;
                }
                // Blanks since the last word (same line) belong to the run.
                run_end = p;
                self.pos = p;
                self.mark.index += chars;
                self.mark.column += chars;
                end = self.mark;
            }
            if !(self.at_blank() || self.at_break()) {
                break;
            }
            loop {
                let b = self.byte(0);
                if b == b' ' {
                    self.skip_spaces();
                } else if b == b'\t' {
                    if leading_blanks && (self.mark.column as i64) < indent {
                        return Err(self.scanner_error(
                            start,
                            "found a tab character that violates indentation",
                        ));
                    }
                    self.skip_ascii(1);
                } else if !self.at_break() {
                    break;
                } else if leading_blanks {
                    trailing_breaks.push(self.read_break());
                } else {
                    leading_break.push(self.read_break());
                    leading_blanks = true;
                }
            }
            if !flow && (self.mark.column as i64) < indent {
                break;
            }
        }
        if leading_blanks {
            self.simple_key_allowed = true;
        }
        let run = self.text.get(run_start..run_end).unwrap_or("");
        let value = if folded {
            s.push_str(run);
            Cow::Owned(s)
        } else {
            Cow::Borrowed(run)
        };
        Ok(Token {
            kind: TokenKind::Scalar(value, ScalarStyle::Plain),
            start,
            end,
        })
    }
}

/// Line breaks read while folding a plain scalar: `\n`s (as a count, so
/// that the usual single break at the end of a value allocates nothing)
/// or, once an LS/PS is among them, the text.
#[derive(Default)]
struct Breaks {
    newlines: usize,
    text: Option<String>,
}

impl Breaks {
    fn push(&mut self, c: Option<char>) {
        let Some(c) = c else {
            return;
        };
        match &mut self.text {
            Some(t) => t.push(c),
            None if c == '\n' => self.newlines += 1,
            None => {
                let mut t = "\n".repeat(self.newlines);
                t.push(c);
                self.text = Some(t);
            }
        }
    }

    fn is_empty(&self) -> bool {
        self.newlines == 0 && self.text.as_ref().is_none_or(String::is_empty)
    }

    fn starts_with_newline(&self) -> bool {
        match &self.text {
            Some(t) => t.starts_with('\n'),
            None => self.newlines > 0,
        }
    }

    fn clear(&mut self) {
        self.newlines = 0;
        self.text = None;
    }

    /// Append the breaks to `s` and forget them.
    fn push_to(&mut self, s: &mut String) {
        match self.text.take() {
            Some(t) => s.push_str(&t),
            None => s.extend(std::iter::repeat_n('\n', self.newlines)),
        }
        self.newlines = 0;
    }
}

fn utf8_width(b: u8) -> usize {
    if b & 0x80 == 0 {
        1
    } else if b & 0xE0 == 0xC0 {
        2
    } else if b & 0xF0 == 0xE0 {
        3
    } else if b & 0xF8 == 0xF0 {
        4
    } else {
        0
    }
}
