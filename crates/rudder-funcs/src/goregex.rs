//! Go's `regexp` on top of the `regex` crate.
//!
//! Both are RE2-family engines with leftmost-first semantics, but their
//! syntaxes differ at the edges: Go's `\d \w \s \b` are ASCII-only, Go
//! has `\Q…\E` and octal escapes, treats `x{,3}` as a literal, limits
//! counted repetition to 1000, and reports syntax errors with its own texts
//! (`error parsing regexp: missing closing ): `(``), which Sprig's `must*`
//! functions pass to the user. So a pattern is first parsed here following
//! Go's `regexp/syntax` parser (same acceptance, same first error, same
//! error expression) and re-emitted in an equivalent `regex` syntax:
//! literals as `\x{…}` escapes, Perl classes as explicit ASCII ranges,
//! capture groups unnamed (names are kept here, for Go's `Expand` rules).
//!
//! The matching loops (`FindAll`, `ReplaceAll`, `Split`) and template
//! expansion are Go's, implemented on the crate's `find_at`/`captures_at`,
//! because Go's handling of empty matches differs from the crate's
//! iterators.

use std::fmt::Write as _;

/// A Go syntax error: its `Error()` text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    code: &'static str,
    expr: String,
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "error parsing regexp: {}: `{}`", self.code, self.expr)
    }
}

const INVALID_CHAR_RANGE: &str = "invalid character class range";
const INVALID_ESCAPE: &str = "invalid escape sequence";
const INVALID_NAMED_CAPTURE: &str = "invalid named capture";
const INVALID_PERL_OP: &str = "invalid or unsupported Perl syntax";
const INVALID_REPEAT_OP: &str = "invalid nested repetition operator";
const INVALID_REPEAT_SIZE: &str = "invalid repeat count";
const MISSING_BRACKET: &str = "missing closing ]";
const MISSING_PAREN: &str = "missing closing )";
const MISSING_REPEAT_ARG: &str = "missing argument to repetition operator";
const TRAILING_BACKSLASH: &str = "trailing backslash at end of expression";
const UNEXPECTED_PAREN: &str = "unexpected )";
pub(crate) const LARGE: &str = "expression too large";

fn err(code: &'static str, expr: &str) -> SyntaxError {
    SyntaxError {
        code,
        expr: expr.to_owned(),
    }
}

/// Go's limit on any counted repetition (and on nested products).
const MAX_REPEAT: u64 = 1000;

/// A translated pattern.
#[derive(Debug)]
pub(crate) struct Translated {
    /// The pattern in `regex` crate syntax.
    pub(crate) pattern: String,
    /// Capture group names by index (index 0 is the whole match).
    pub(crate) names: Vec<String>,
}

/// One parsed element of the current concatenation.
#[derive(Debug)]
struct Item {
    text: String,
    /// Whether a repetition operator may apply (flag groups are not).
    repeatable: bool,
    /// The smallest repetition budget this subtree needs (see
    /// `repeat_need`).
    need: u64,
}

/// An open group.
#[derive(Debug)]
struct Frame {
    /// The opening text (`(`, `(?:`, `(?i:`); empty for the top level.
    open: String,
    /// Finished alternatives.
    alts: Vec<String>,
    items: Vec<Item>,
    need: u64,
    /// Whether the last thing parsed was `|` or the group opening (Go's
    /// pseudo-operators), which a repetition cannot apply to.
    at_pseudo: bool,
}

impl Frame {
    fn new(open: String) -> Frame {
        Frame {
            open,
            alts: Vec::new(),
            items: Vec::new(),
            need: 0,
            at_pseudo: true,
        }
    }

    fn finish_alt(&mut self) {
        let mut s = String::new();
        for it in self.items.drain(..) {
            self.need = self.need.max(it.need);
            s.push_str(&it.text);
        }
        self.alts.push(s);
    }
}

/// Go's `repeatIsValid` as a budget: the smallest `n` for which the
/// repetition `{m}` of a subtree needing `inner` is valid.
fn repeat_need(m: u64, inner: u64) -> u64 {
    if m == 0 {
        return 0;
    }
    m.max(m.saturating_mul(inner)).min(MAX_REPEAT + 1)
}

fn push_lit(out: &mut String, c: u32) {
    if let Some(ch) = char::from_u32(c)
        && ch.is_ascii_alphanumeric()
    {
        out.push(ch);
        return;
    }
    let _ = write!(out, "\\x{{{c:X}}}");
}

/// A literal rune as a pattern. Surrogate code points cannot occur in
/// UTF-8 text, so they match nothing.
fn lit_text(c: u32) -> String {
    if (0xD800..=0xDFFF).contains(&c) {
        return "[^\\x{0}-\\x{10FFFF}]".to_owned();
    }
    let mut s = String::new();
    push_lit(&mut s, c);
    s
}

/// A class range in `regex` syntax, without surrogates.
fn push_range(out: &mut String, lo: u32, hi: u32) {
    let mut ranges = Vec::new();
    if hi < 0xD800 || lo > 0xDFFF {
        ranges.push((lo, hi));
    } else {
        if lo < 0xD800 {
            ranges.push((lo, 0xD7FF));
        }
        if hi > 0xDFFF {
            ranges.push((0xE000, hi));
        }
    }
    for (l, h) in ranges {
        push_lit(out, l);
        if h != l {
            out.push('-');
            push_lit(out, h);
        }
    }
}

fn perl_class(c: u8) -> Option<(&'static str, bool)> {
    match c {
        b'd' => Some(("0-9", false)),
        b'D' => Some(("0-9", true)),
        b's' => Some(("\\x{9}\\x{A}\\x{C}\\x{D}\\x{20}", false)),
        b'S' => Some(("\\x{9}\\x{A}\\x{C}\\x{D}\\x{20}", true)),
        b'w' => Some(("0-9A-Za-z_", false)),
        b'W' => Some(("0-9A-Za-z_", true)),
        _ => None,
    }
}

const POSIX: [&str; 14] = [
    "alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct",
    "space", "upper", "word", "xdigit",
];

const CATEGORIES: [&str; 36] = [
    "C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn", "N",
    "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So",
    "Z", "Zl", "Zp", "Zs",
];

/// Go's `unicode.CategoryAliases`, keyed by canonical name.
const ALIASES: [(&str, &str); 41] = [
    ("Casedletter", "LC"),
    ("Closepunctuation", "Pe"),
    ("Combiningmark", "M"),
    ("Connectorpunctuation", "Pc"),
    ("Control", "Cc"),
    ("Currencysymbol", "Sc"),
    ("Dashpunctuation", "Pd"),
    ("Decimalnumber", "Nd"),
    ("Enclosingmark", "Me"),
    ("Finalpunctuation", "Pf"),
    ("Format", "Cf"),
    ("Initialpunctuation", "Pi"),
    ("Letter", "L"),
    ("Letternumber", "Nl"),
    ("Lineseparator", "Zl"),
    ("Lowercaseletter", "Ll"),
    ("Mark", "M"),
    ("Mathsymbol", "Sm"),
    ("Modifierletter", "Lm"),
    ("Modifiersymbol", "Sk"),
    ("Nonspacingmark", "Mn"),
    ("Number", "N"),
    ("Openpunctuation", "Ps"),
    ("Other", "C"),
    ("Otherletter", "Lo"),
    ("Othernumber", "No"),
    ("Otherpunctuation", "Po"),
    ("Othersymbol", "So"),
    ("Paragraphseparator", "Zp"),
    ("Privateuse", "Co"),
    ("Punctuation", "P"),
    ("Separator", "Z"),
    ("Spaceseparator", "Zs"),
    ("Spacingmark", "Mc"),
    ("Surrogate", "Cs"),
    ("Symbol", "S"),
    ("Titlecaseletter", "Lt"),
    ("Uppercaseletter", "Lu"),
    ("Cntrl", "Cc"),
    ("Digit", "Nd"),
    ("Punct", "P"),
];

/// Go's `canonicalName`: first letter upper, the rest lower, without `_`,
/// `-` and spaces.
fn canonical(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c == '_' || c == '-' || c == ' ' {
            continue;
        }
        if out.is_empty() {
            out.push(c.to_ascii_uppercase());
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// The `regex` class text for a Go Unicode class name, or `None` when Go
/// does not know the name.
fn unicode_class(name: &str, negate: bool) -> Option<String> {
    let (mut neg, name) = match name.strip_prefix('^') {
        Some(n) => (!negate, n),
        None => (negate, name),
    };
    let canon = canonical(name);
    let body = match canon.as_str() {
        "Any" => "Any".to_owned(),
        "Assigned" => {
            neg = !neg;
            "Cn".to_owned()
        }
        "Ascii" => "ASCII".to_owned(),
        "Lc" => "LC".to_owned(),
        c if CATEGORIES.contains(&c) => c.to_owned(),
        c => match ALIASES.iter().find(|(k, _)| *k == c) {
            Some((_, v)) => (*v).to_owned(),
            None => {
                if canon.is_empty() || !canon.chars().all(|c| c.is_ascii_alphanumeric()) {
                    return None;
                }
                let probe = format!("\\p{{sc={canon}}}");
                regex::Regex::new(&probe).ok()?;
                format!("sc={canon}")
            }
        },
    };
    Some(format!("\\{}{{{body}}}", if neg { 'P' } else { 'p' }))
}

struct Parser<'a> {
    whole: &'a str,
    stack: Vec<Frame>,
    names: Vec<String>,
}

/// Translate a Go pattern, or return Go's syntax error.
pub(crate) fn translate(pattern: &str) -> Result<Translated, SyntaxError> {
    let mut p = Parser {
        whole: pattern,
        stack: vec![Frame::new(String::new())],
        names: vec![String::new()],
    };
    p.parse()?;
    if p.stack.len() != 1 {
        return Err(err(MISSING_PAREN, pattern));
    }
    let mut top = p.stack.pop().unwrap_or_else(|| Frame::new(String::new()));
    top.finish_alt();
    Ok(Translated {
        pattern: top.alts.join("|"),
        names: p.names,
    })
}

/// The next rune of `s` and the rest.
fn next_rune(s: &str) -> (Option<char>, &str) {
    let mut it = s.chars();
    let c = it.next();
    (c, it.as_str())
}

fn unhex(c: char) -> Option<u32> {
    c.to_digit(16)
}

/// Go's `parseEscape`: one escaped rune at the start of `s` (which begins
/// with `\`).
fn parse_escape(s: &str) -> Result<(u32, &str), SyntaxError> {
    let t = &s[1..];
    let (Some(c), mut t) = next_rune(t) else {
        return Err(err(TRAILING_BACKSLASH, ""));
    };
    let consumed = |t: &str| &s[..s.len() - t.len()];
    match c {
        '1'..='7' if !t.starts_with(|d: char| ('0'..='7').contains(&d)) => {}
        '0'..='7' => {
            let mut r = c as u32 - '0' as u32;
            for _ in 1..3 {
                match t.as_bytes().first() {
                    Some(&d) if (b'0'..=b'7').contains(&d) => {
                        r = r * 8 + u32::from(d - b'0');
                        t = &t[1..];
                    }
                    _ => break,
                }
            }
            return Ok((r, t));
        }
        'x' => {
            if t.is_empty() {
                return Err(err(INVALID_ESCAPE, consumed(t)));
            }
            let (c2, t2) = next_rune(t);
            t = t2;
            if c2 == Some('{') {
                let mut nhex = 0;
                let mut r: u32 = 0;
                loop {
                    let (c3, t3) = next_rune(t);
                    let Some(c3) = c3 else {
                        return Err(err(INVALID_ESCAPE, consumed(t)));
                    };
                    t = t3;
                    if c3 == '}' {
                        break;
                    }
                    let Some(v) = unhex(c3) else {
                        return Err(err(INVALID_ESCAPE, consumed(t)));
                    };
                    r = r * 16 + v;
                    if r > 0x10FFFF {
                        return Err(err(INVALID_ESCAPE, consumed(t)));
                    }
                    nhex += 1;
                }
                if nhex == 0 {
                    return Err(err(INVALID_ESCAPE, consumed(t)));
                }
                return Ok((r, t));
            }
            let x = c2.and_then(unhex);
            let (c3, t3) = next_rune(t);
            t = t3;
            let y = c3.and_then(unhex);
            if let (Some(x), Some(y)) = (x, y) {
                return Ok((x * 16 + y, t));
            }
        }
        'a' => return Ok((7, t)),
        'f' => return Ok((12, t)),
        'n' => return Ok((10, t)),
        'r' => return Ok((13, t)),
        't' => return Ok((9, t)),
        'v' => return Ok((11, t)),
        c if c.is_ascii() && !c.is_ascii_alphanumeric() => return Ok((c as u32, t)),
        _ => {}
    }
    Err(err(INVALID_ESCAPE, consumed(t)))
}

/// Go's `parseInt` for repeat counts: no leading zeros; huge values are
/// reported as -1.
fn parse_int(s: &str) -> Option<(i64, &str)> {
    let b = s.as_bytes();
    if b.first().is_none_or(|c| !c.is_ascii_digit()) {
        return None;
    }
    if b.len() >= 2 && b[0] == b'0' && b[1].is_ascii_digit() {
        return None;
    }
    let n = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let mut v: i64 = 0;
    for &d in &b[..n] {
        if v >= 100_000_000 {
            v = -1;
            break;
        }
        v = v * 10 + i64::from(d - b'0');
    }
    Some((v, &s[n..]))
}

/// Go's `parseRepeat`: `{n}`, `{n,}` or `{n,m}` at the start of `s`.
fn parse_repeat(s: &str) -> Option<(i64, i64, &str)> {
    let s = s.strip_prefix('{')?;
    let (mut min, s) = parse_int(s)?;
    let (max, s) = if let Some(s) = s.strip_prefix(',') {
        if let Some(rest) = s.strip_prefix('}') {
            return Some((min, -1, rest));
        }
        let (max, s) = parse_int(s)?;
        if max < 0 {
            min = -1;
        }
        (max, s)
    } else {
        (min, s)
    };
    let rest = s.strip_prefix('}')?;
    Some((min, max, rest))
}

impl<'a> Parser<'a> {
    fn top(&mut self) -> &mut Frame {
        // The stack always holds the top-level frame.
        let n = self.stack.len();
        &mut self.stack[n.saturating_sub(1)]
    }

    fn push(&mut self, text: String) {
        let f = self.top();
        f.items.push(Item {
            text,
            repeatable: true,
            need: 0,
        });
        f.at_pseudo = false;
    }

    fn parse(&mut self) -> Result<(), SyntaxError> {
        let mut t: &'a str = self.whole;
        let mut last_repeat: &'a str = "";
        while let Some(&c0) = t.as_bytes().first() {
            let mut repeat: &'a str = "";
            match c0 {
                b'(' => {
                    if t.as_bytes().get(1) == Some(&b'?') {
                        t = self.parse_perl_flags(t)?;
                    } else {
                        self.names.push(String::new());
                        self.stack.push(Frame::new("(".to_owned()));
                        t = &t[1..];
                    }
                }
                b'|' => {
                    let f = self.top();
                    f.finish_alt();
                    f.at_pseudo = true;
                    t = &t[1..];
                }
                b')' => {
                    if self.stack.len() < 2 {
                        return Err(err(UNEXPECTED_PAREN, self.whole));
                    }
                    let Some(mut f) = self.stack.pop() else {
                        return Err(err(UNEXPECTED_PAREN, self.whole));
                    };
                    f.finish_alt();
                    let text = format!("{}{})", f.open, f.alts.join("|"));
                    let need = f.need;
                    let top = self.top();
                    top.items.push(Item {
                        text,
                        repeatable: true,
                        need,
                    });
                    top.at_pseudo = false;
                    t = &t[1..];
                }
                b'^' => {
                    self.push("^".to_owned());
                    t = &t[1..];
                }
                b'$' => {
                    self.push("$".to_owned());
                    t = &t[1..];
                }
                b'.' => {
                    self.push(".".to_owned());
                    t = &t[1..];
                }
                b'[' => t = self.parse_class(t)?,
                b'*' | b'+' | b'?' => {
                    let before = t;
                    let op = (c0 as char).to_string();
                    t = self.repeat(&op, None, before, &t[1..], last_repeat)?;
                    repeat = before;
                }
                b'{' => {
                    let before = t;
                    match parse_repeat(t) {
                        None => {
                            self.push(lit_text('{' as u32));
                            t = &t[1..];
                        }
                        Some((min, max, after)) => {
                            if min < 0
                                || min > MAX_REPEAT as i64
                                || max > MAX_REPEAT as i64
                                || (max >= 0 && min > max)
                            {
                                return Err(err(
                                    INVALID_REPEAT_SIZE,
                                    &before[..before.len() - after.len()],
                                ));
                            }
                            let op = if max == min {
                                format!("{{{min}}}")
                            } else if max < 0 {
                                format!("{{{min},}}")
                            } else {
                                format!("{{{min},{max}}}")
                            };
                            t = self.repeat(&op, Some((min, max)), before, after, last_repeat)?;
                            repeat = before;
                        }
                    }
                }
                b'\\' => t = self.parse_backslash(t)?,
                _ => {
                    let (c, rest) = next_rune(t);
                    if let Some(c) = c {
                        self.push(lit_text(c as u32));
                    }
                    t = rest;
                }
            }
            last_repeat = repeat;
        }
        Ok(())
    }

    /// Go's `repeat`: apply `op` to the last item.
    fn repeat(
        &mut self,
        op: &str,
        counted: Option<(i64, i64)>,
        before: &'a str,
        mut after: &'a str,
        last_repeat: &str,
    ) -> Result<&'a str, SyntaxError> {
        let mut lazy = false;
        if let Some(rest) = after.strip_prefix('?') {
            after = rest;
            lazy = true;
        }
        if !last_repeat.is_empty() {
            return Err(err(
                INVALID_REPEAT_OP,
                &last_repeat[..last_repeat.len() - after.len()],
            ));
        }
        let expr = &before[..before.len() - after.len()];
        let f = self.top();
        if f.at_pseudo {
            return Err(err(MISSING_REPEAT_ARG, expr));
        }
        let Some(idx) = f.items.iter().rposition(|it| it.repeatable) else {
            return Err(err(MISSING_REPEAT_ARG, expr));
        };
        let it = &mut f.items[idx];
        it.text = format!("(?:{}){op}{}", it.text, if lazy { "?" } else { "" });
        if let Some((min, max)) = counted {
            let m = if max < 0 { min } else { max } as u64;
            it.need = repeat_need(m, it.need);
            if (min >= 2 || max >= 2) && it.need > MAX_REPEAT {
                return Err(err(INVALID_REPEAT_SIZE, expr));
            }
        }
        Ok(after)
    }

    fn parse_perl_flags(&mut self, s: &'a str) -> Result<&'a str, SyntaxError> {
        let b = s.as_bytes();
        let starts_p = b.len() > 4 && b[2] == b'P' && b[3] == b'<';
        let starts_name = b.len() > 3 && b[2] == b'<';
        if starts_p || starts_name {
            let start = if starts_p { 4 } else { 3 };
            let Some(end) = s.find('>') else {
                return Err(err(INVALID_NAMED_CAPTURE, s));
            };
            let capture = &s[..=end];
            let name = s.get(start..end).unwrap_or("");
            if name.is_empty() || !name.chars().all(|c| c == '_' || c.is_ascii_alphanumeric()) {
                return Err(err(INVALID_NAMED_CAPTURE, capture));
            }
            self.names.push(name.to_owned());
            self.stack.push(Frame::new("(".to_owned()));
            return Ok(&s[end + 1..]);
        }
        let mut t = &s[2..];
        let mut negated = false;
        let mut saw_flag = false;
        let mut flags = String::new();
        loop {
            let (c, rest) = next_rune(t);
            let Some(c) = c else {
                break;
            };
            t = rest;
            match c {
                'i' | 'm' | 's' | 'U' => {
                    flags.push(c);
                    saw_flag = true;
                }
                '-' => {
                    if negated {
                        break;
                    }
                    negated = true;
                    flags.push('-');
                    saw_flag = false;
                }
                ':' | ')' => {
                    if negated && !saw_flag {
                        break;
                    }
                    if c == ':' {
                        self.stack.push(Frame::new(format!("(?{flags}:")));
                    } else if !flags.is_empty() {
                        let f = self.top();
                        f.items.push(Item {
                            text: format!("(?{flags})"),
                            repeatable: false,
                            need: 0,
                        });
                    }
                    return Ok(t);
                }
                _ => break,
            }
        }
        Err(err(INVALID_PERL_OP, &s[..s.len() - t.len()]))
    }

    fn parse_backslash(&mut self, t: &'a str) -> Result<&'a str, SyntaxError> {
        let b = t.as_bytes();
        if let Some(&c1) = b.get(1) {
            match c1 {
                b'A' => {
                    self.push("\\A".to_owned());
                    return Ok(&t[2..]);
                }
                b'b' => {
                    self.push("(?-u:\\b)".to_owned());
                    return Ok(&t[2..]);
                }
                b'B' => {
                    self.push("(?-u:\\B)".to_owned());
                    return Ok(&t[2..]);
                }
                b'C' => return Err(err(INVALID_ESCAPE, &t[..2])),
                b'Q' => {
                    let body = &t[2..];
                    let (lit, rest) = match body.find("\\E") {
                        Some(i) => (&body[..i], &body[i + 2..]),
                        None => (body, ""),
                    };
                    for c in lit.chars() {
                        self.push(lit_text(c as u32));
                    }
                    return Ok(rest);
                }
                b'z' => {
                    self.push("\\z".to_owned());
                    return Ok(&t[2..]);
                }
                b'p' | b'P' => {
                    let (class, rest) = parse_unicode_class(t)?;
                    self.push(class);
                    return Ok(rest);
                }
                c => {
                    if let Some((body, neg)) = perl_class(c) {
                        self.push(format!("[{}{body}]", if neg { "^" } else { "" }));
                        return Ok(&t[2..]);
                    }
                }
            }
        }
        let (r, rest) = parse_escape(t)?;
        self.push(lit_text(r));
        Ok(rest)
    }

    fn parse_class(&mut self, s: &'a str) -> Result<&'a str, SyntaxError> {
        let mut t = &s[1..];
        let mut out = String::from("[");
        if let Some(rest) = t.strip_prefix('^') {
            out.push('^');
            t = rest;
        }
        let mut first = true;
        while t.is_empty() || !t.starts_with(']') || first {
            first = false;
            if t.len() > 2
                && t.starts_with("[:")
                && let Some(i) = t[2..].find(":]")
            {
                let name = &t[..i + 4];
                let inner = &t[2..i + 2];
                let bare = inner.strip_prefix('^').unwrap_or(inner);
                if !POSIX.contains(&bare) {
                    return Err(err(INVALID_CHAR_RANGE, name));
                }
                out.push_str(name);
                t = &t[i + 4..];
                continue;
            }
            if t.starts_with("\\p") || t.starts_with("\\P") {
                let (class, rest) = parse_unicode_class(t)?;
                out.push_str(&class);
                t = rest;
                continue;
            }
            if let Some(&c1) = t.as_bytes().get(1)
                && t.starts_with('\\')
                && let Some((body, neg)) = perl_class(c1)
            {
                if neg {
                    // A negated class inside a class: use a nested class.
                    let _ = write!(out, "[^{body}]");
                } else {
                    out.push_str(body);
                }
                t = &t[2..];
                continue;
            }
            let rng = t;
            let (lo, rest) = class_char(t, s)?;
            t = rest;
            let mut hi = lo;
            if t.len() >= 2 && t.starts_with('-') && !t[1..].starts_with(']') {
                let (h, rest) = class_char(&t[1..], s)?;
                t = rest;
                hi = h;
                if hi < lo {
                    return Err(err(INVALID_CHAR_RANGE, &rng[..rng.len() - t.len()]));
                }
            }
            push_range(&mut out, lo, hi);
        }
        t = &t[1..];
        out.push(']');
        if out == "[]" || out == "[^]" {
            // Every range was a surrogate: a class that matches nothing
            // (or, negated, anything).
            out = if out == "[]" {
                "[^\\x{0}-\\x{10FFFF}]".to_owned()
            } else {
                "[\\x{0}-\\x{10FFFF}]".to_owned()
            };
        }
        self.push(out);
        Ok(t)
    }
}

/// Go's `parseClassChar`.
fn class_char<'b>(t: &'b str, whole_class: &str) -> Result<(u32, &'b str), SyntaxError> {
    if t.is_empty() {
        return Err(err(MISSING_BRACKET, whole_class));
    }
    if t.starts_with('\\') {
        return parse_escape(t);
    }
    let (c, rest) = next_rune(t);
    Ok((c.map_or(0, |c| c as u32), rest))
}

/// Go's `parseUnicodeClass` for `\pX`, `\p{Name}`, `\PX`, `\P{^Name}`.
fn parse_unicode_class(s: &str) -> Result<(String, &str), SyntaxError> {
    let negate = s.as_bytes().get(1) == Some(&b'P');
    let t = &s[2..];
    let (c, rest) = next_rune(t);
    let (seq, name, rest) = if c != Some('{') {
        let seq = &s[..s.len() - rest.len()];
        (seq, &seq[2..], rest)
    } else {
        let Some(end) = s.find('}') else {
            return Err(err(INVALID_CHAR_RANGE, s));
        };
        (&s[..=end], &s[3..end], &s[end + 1..])
    };
    match unicode_class(name, negate) {
        Some(class) => Ok((class, rest)),
        None => Err(err(INVALID_CHAR_RANGE, seq)),
    }
}

/// Go's `regexp.QuoteMeta`.
pub(crate) fn quote_meta(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tr(p: &str) -> Result<String, String> {
        translate(p).map(|t| t.pattern).map_err(|e| e.to_string())
    }

    #[test]
    fn go_errors() {
        let e = |p: &str| tr(p).err().unwrap_or_default();
        assert_eq!(e("("), "error parsing regexp: missing closing ): `(`");
        assert_eq!(e("a)"), "error parsing regexp: unexpected ): `a)`");
        assert_eq!(e("[a"), "error parsing regexp: missing closing ]: `[a`");
        assert_eq!(
            e("*"),
            "error parsing regexp: missing argument to repetition operator: `*`"
        );
        assert_eq!(
            e("a**"),
            "error parsing regexp: invalid nested repetition operator: `**`"
        );
        assert_eq!(
            e("a{1001}"),
            "error parsing regexp: invalid repeat count: `{1001}`"
        );
        assert_eq!(
            e("(a{100}){100}"),
            "error parsing regexp: invalid repeat count: `{100}`"
        );
        assert_eq!(
            e("\\8"),
            "error parsing regexp: invalid escape sequence: `\\8`"
        );
        assert_eq!(
            e("a\\"),
            "error parsing regexp: trailing backslash at end of expression: ``"
        );
        assert_eq!(
            e("[z-a]"),
            "error parsing regexp: invalid character class range: `z-a`"
        );
        assert_eq!(
            e("(?x)"),
            "error parsing regexp: invalid or unsupported Perl syntax: `(?x`"
        );
        assert_eq!(
            e("(?P<a-b>x)"),
            "error parsing regexp: invalid named capture: `(?P<a-b>`"
        );
        assert_eq!(
            e("\\p{Foo}"),
            "error parsing regexp: invalid character class range: `\\p{Foo}`"
        );
    }

    #[test]
    fn translations_compile() {
        for p in [
            "a{,3}",
            "\\d+\\w*\\s?",
            "[\\d\\W]",
            "\\Qa.b\\E",
            "(?i)abc",
            "(?P<x>a)|(?<y>b)",
            "\\pL\\p{Greek}\\PN",
            "[[:alpha:]]",
            "^*",
            "\\101",
            "\\x{41}\\x41",
            "(?i:a)*",
            "a(?i)*",
            "[^\\x{D800}-\\x{DFFF}]",
            "\\b\\B",
        ] {
            let t = tr(p);
            assert!(t.is_ok(), "{p}: {t:?}");
            let t = t.unwrap_or_default();
            assert!(regex::Regex::new(&t).is_ok(), "{p} -> {t}");
        }
        assert_eq!(quote_meta("a.b*c"), "a\\.b\\*c");
    }
}
