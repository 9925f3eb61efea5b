//! The event parser behind [`crate::node`]: this crate's libyaml parser
//! state machine (see `parser.rs`, which it was copied from) over the
//! comment-aware tokens of [`crate::node_scanner`], with what
//! go.yaml.in/yaml/v3 adds: comments handed to events as tokens are
//! peeked (head, line and foot comments, the split of a document's head
//! comment at its last empty line, "stem" comments above nested
//! collections in sequences), and the tag and flow style of collections.

use crate::node_scanner::{ErrorKind, Mark, ScalarStyle, ScanError, Scanner, Token, TokenKind};

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum EventKind {
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    Alias(String),
    Scalar {
        anchor: Option<String>,
        tag: String,
        value: String,
        /// Plain with no tag (or the `!` tag): the value is resolved by content.
        plain_implicit: bool,
        style: ScalarStyle,
    },
    SequenceStart {
        anchor: Option<String>,
        /// The resolved explicit tag, empty when none.
        tag: String,
        flow: bool,
    },
    SequenceEnd,
    MappingStart {
        anchor: Option<String>,
        /// The resolved explicit tag, empty when none.
        tag: String,
        flow: bool,
    },
    MappingEnd,
}

#[derive(Clone, Debug)]
pub(crate) struct Event {
    pub(crate) kind: EventKind,
    pub(crate) start: Mark,
    pub(crate) head: String,
    pub(crate) line: String,
    pub(crate) foot: String,
}

fn ev(kind: EventKind, start: Mark) -> Event {
    Event {
        kind,
        start,
        head: String::new(),
        line: String::new(),
        foot: String::new(),
    }
}

/// Append a comment to one of the parser's pending comment buffers.
fn join_comment(buf: &mut String, text: &str) {
    if !buf.is_empty() {
        buf.push('\n');
    }
    buf.push_str(text);
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    StreamStart,
    ImplicitDocumentStart,
    DocumentStart,
    DocumentContent,
    DocumentEnd,
    BlockNode,
    BlockSequenceFirstEntry,
    BlockSequenceEntry,
    IndentlessSequenceEntry,
    BlockMappingFirstKey,
    BlockMappingKey,
    BlockMappingValue,
    FlowSequenceFirstEntry,
    FlowSequenceEntry,
    FlowSequenceEntryMappingKey,
    FlowSequenceEntryMappingValue,
    FlowSequenceEntryMappingEnd,
    FlowMappingFirstKey,
    FlowMappingKey,
    FlowMappingValue,
    FlowMappingEmptyValue,
    End,
}

type Result<T> = std::result::Result<T, ScanError>;

pub(crate) struct Parser {
    scanner: Scanner,
    state: State,
    states: Vec<State>,
    marks: Vec<Mark>,
    tag_directives: Vec<(String, String)>,
    head_comment: String,
    line_comment: String,
    foot_comment: String,
    stem_comment: Option<String>,
}

fn parser_error(problem: &str, problem_mark: Mark) -> ScanError {
    ScanError {
        kind: ErrorKind::Parser,
        problem: problem.to_owned(),
        problem_mark,
        context_mark: Mark::default(),
    }
}

fn parser_error_context(context_mark: Mark, problem: &str, problem_mark: Mark) -> ScanError {
    ScanError {
        kind: ErrorKind::Parser,
        problem: problem.to_owned(),
        problem_mark,
        context_mark,
    }
}

impl Parser {
    pub(crate) fn new(text: &str) -> Parser {
        Parser {
            scanner: Scanner::new(text),
            state: State::StreamStart,
            states: Vec::new(),
            marks: Vec::new(),
            tag_directives: Vec::new(),
            head_comment: String::new(),
            line_comment: String::new(),
            foot_comment: String::new(),
            stem_comment: None,
        }
    }

    /// The head token; comments recorded before it join the pending
    /// comment buffers (yaml.v3's `peek_token` + `unfold_comments`).
    fn peek(&mut self) -> Result<Token> {
        let t = self.scanner.peek().cloned()?;
        self.unfold_comments(&t);
        Ok(t)
    }

    fn unfold_comments(&mut self, token: &Token) {
        let sc = &mut self.scanner;
        while sc.comments_head < sc.comments.len()
            && token.start.index >= sc.comments[sc.comments_head].token_mark.index
        {
            let c = &mut sc.comments[sc.comments_head];
            if !c.head.is_empty() {
                if token.kind == TokenKind::BlockEnd {
                    // Block ends take no head comments; keep it for the
                    // token that follows.
                    break;
                }
                join_comment(&mut self.head_comment, &c.head);
            }
            if !c.foot.is_empty() {
                join_comment(&mut self.foot_comment, &c.foot);
            }
            if !c.line.is_empty() {
                join_comment(&mut self.line_comment, &c.line);
            }
            *c = crate::node_scanner::Comment::default();
            sc.comments_head += 1;
        }
    }

    /// Move the pending comments onto `e` (yaml.v3's
    /// `set_event_comments`).
    fn set_event_comments(&mut self, e: &mut Event) {
        e.head = std::mem::take(&mut self.head_comment);
        e.line = std::mem::take(&mut self.line_comment);
        e.foot = std::mem::take(&mut self.foot_comment);
        self.stem_comment = None;
    }

    /// When a block collection starts right after a sequence entry, the
    /// head comment read before the entry belongs to the collection (the
    /// "stem"); what was read after the `-` stays for the first item.
    fn split_stem_comment(&mut self, stem_len: usize) -> Result<()> {
        if stem_len == 0 {
            return Ok(());
        }
        let t = self.peek()?;
        if t.kind != TokenKind::BlockSequenceStart && t.kind != TokenKind::BlockMappingStart {
            return Ok(());
        }
        let head = std::mem::take(&mut self.head_comment);
        let stem: String = head.chars().take(stem_len).collect();
        if head.len() > stem_len {
            self.head_comment = head.get(stem_len + 1..).unwrap_or("").to_owned();
        }
        self.stem_comment = Some(stem);
        Ok(())
    }

    fn skip(&mut self) {
        self.scanner.skip_token();
    }

    fn pop_state(&mut self) {
        self.state = self.states.pop().unwrap_or(State::End);
    }

    /// The next event, or `None` once the stream has ended.
    pub(crate) fn next_event(&mut self) -> Result<Option<Event>> {
        if self.scanner.stream_end_produced() || self.state == State::End {
            return Ok(None);
        }
        self.state_machine().map(Some)
    }

    fn state_machine(&mut self) -> Result<Event> {
        match self.state {
            State::StreamStart => self.parse_stream_start(),
            State::ImplicitDocumentStart => self.parse_document_start(true),
            State::DocumentStart => self.parse_document_start(false),
            State::DocumentContent => self.parse_document_content(),
            State::DocumentEnd => self.parse_document_end(),
            State::BlockNode => self.parse_node(true, false),
            State::BlockSequenceFirstEntry => self.parse_block_sequence_entry(true),
            State::BlockSequenceEntry => self.parse_block_sequence_entry(false),
            State::IndentlessSequenceEntry => self.parse_indentless_sequence_entry(),
            State::BlockMappingFirstKey => self.parse_block_mapping_key(true),
            State::BlockMappingKey => self.parse_block_mapping_key(false),
            State::BlockMappingValue => self.parse_block_mapping_value(),
            State::FlowSequenceFirstEntry => self.parse_flow_sequence_entry(true),
            State::FlowSequenceEntry => self.parse_flow_sequence_entry(false),
            State::FlowSequenceEntryMappingKey => self.parse_flow_sequence_entry_mapping_key(),
            State::FlowSequenceEntryMappingValue => self.parse_flow_sequence_entry_mapping_value(),
            State::FlowSequenceEntryMappingEnd => self.parse_flow_sequence_entry_mapping_end(),
            State::FlowMappingFirstKey => self.parse_flow_mapping_key(true),
            State::FlowMappingKey => self.parse_flow_mapping_key(false),
            State::FlowMappingValue => self.parse_flow_mapping_value(false),
            State::FlowMappingEmptyValue => self.parse_flow_mapping_value(true),
            State::End => Ok(ev(EventKind::StreamEnd, Mark::default())),
        }
    }

    fn parse_stream_start(&mut self) -> Result<Event> {
        let t = self.peek()?;
        if t.kind != TokenKind::StreamStart {
            return Err(parser_error(
                "did not find expected <stream-start>",
                t.start,
            ));
        }
        self.state = State::ImplicitDocumentStart;
        self.skip();
        Ok(ev(EventKind::StreamStart, t.start))
    }

    fn parse_document_start(&mut self, implicit: bool) -> Result<Event> {
        let mut t = self.peek()?;
        if !implicit {
            while t.kind == TokenKind::DocumentEnd {
                self.skip();
                t = self.peek()?;
            }
        }
        let is_directive = matches!(
            t.kind,
            TokenKind::VersionDirective(..) | TokenKind::TagDirective(..)
        );
        if implicit
            && !is_directive
            && t.kind != TokenKind::DocumentStart
            && t.kind != TokenKind::StreamEnd
        {
            self.process_directives()?;
            self.states.push(State::DocumentEnd);
            self.state = State::BlockNode;
            // The part of the pending head comment before its last empty
            // line is the document's; the rest stays for the first node.
            let mut head = String::new();
            let hc: Vec<char> = self.head_comment.chars().collect();
            let mut i = hc.len().saturating_sub(1);
            while i > 0 {
                if hc[i] == '\n' {
                    if i == hc.len() - 1 {
                        head = hc[..i].iter().collect();
                        self.head_comment = hc[i + 1..].iter().collect();
                        break;
                    } else if hc[i - 1] == '\n' {
                        head = hc[..i - 1].iter().collect();
                        self.head_comment = hc[i + 1..].iter().collect();
                        break;
                    }
                }
                i -= 1;
            }
            let mut e = ev(EventKind::DocumentStart, t.start);
            e.head = head;
            Ok(e)
        } else if t.kind != TokenKind::StreamEnd {
            let start = t.start;
            self.process_directives()?;
            let t = self.peek()?;
            if t.kind != TokenKind::DocumentStart {
                return Err(parser_error(
                    "did not find expected <document start>",
                    t.start,
                ));
            }
            self.states.push(State::DocumentEnd);
            self.state = State::DocumentContent;
            self.skip();
            Ok(ev(EventKind::DocumentStart, start))
        } else {
            self.state = State::End;
            self.skip();
            Ok(ev(EventKind::StreamEnd, t.start))
        }
    }

    fn parse_document_content(&mut self) -> Result<Event> {
        let t = self.peek()?;
        if matches!(
            t.kind,
            TokenKind::VersionDirective(..)
                | TokenKind::TagDirective(..)
                | TokenKind::DocumentStart
                | TokenKind::DocumentEnd
                | TokenKind::StreamEnd
        ) {
            self.pop_state();
            return Ok(empty_scalar(t.start));
        }
        self.parse_node(true, false)
    }

    fn parse_document_end(&mut self) -> Result<Event> {
        let t = self.peek()?;
        if t.kind == TokenKind::DocumentEnd {
            self.skip();
        }
        self.tag_directives.clear();
        self.state = State::DocumentStart;
        let mut e = ev(EventKind::DocumentEnd, t.start);
        self.set_event_comments(&mut e);
        if !e.head.is_empty() && e.foot.is_empty() {
            e.foot = std::mem::take(&mut e.head);
        }
        Ok(e)
    }

    fn parse_node(&mut self, block: bool, indentless_sequence: bool) -> Result<Event> {
        let mut t = self.peek()?;
        if let TokenKind::Alias(name) = &t.kind {
            self.pop_state();
            let mut e = ev(EventKind::Alias(name.clone()), t.start);
            self.set_event_comments(&mut e);
            self.skip();
            return Ok(e);
        }
        let mut start = t.start;
        let mut anchor: Option<String> = None;
        let mut tag_token: Option<(String, String, Mark)> = None;
        if let TokenKind::Anchor(a) = &t.kind {
            anchor = Some(a.clone());
            self.skip();
            t = self.peek()?;
            if let TokenKind::Tag(h, s) = &t.kind {
                tag_token = Some((h.clone(), s.clone(), t.start));
                self.skip();
                t = self.peek()?;
            }
        } else if let TokenKind::Tag(h, s) = &t.kind {
            tag_token = Some((h.clone(), s.clone(), t.start));
            start = t.start;
            self.skip();
            t = self.peek()?;
            if let TokenKind::Anchor(a) = &t.kind {
                anchor = Some(a.clone());
                self.skip();
                t = self.peek()?;
            }
        }
        let mut tag = String::new();
        if let Some((handle, suffix, tag_mark)) = tag_token {
            if handle.is_empty() {
                tag = suffix;
            } else {
                let prefix = self
                    .tag_directives
                    .iter()
                    .find(|(h, _)| *h == handle)
                    .map(|(_, p)| p.clone());
                match prefix {
                    Some(p) => tag = p + &suffix,
                    None => {
                        return Err(parser_error_context(
                            start,
                            "found undefined tag handle",
                            tag_mark,
                        ));
                    }
                }
                if tag.is_empty() {
                    return Err(parser_error_context(
                        start,
                        "found undefined tag handle",
                        tag_mark,
                    ));
                }
            }
        }
        if indentless_sequence && t.kind == TokenKind::BlockEntry {
            self.state = State::IndentlessSequenceEntry;
            return Ok(ev(
                EventKind::SequenceStart {
                    anchor,
                    tag,
                    flow: false,
                },
                start,
            ));
        }
        if let TokenKind::Scalar(value, style) = &t.kind {
            let plain_implicit = (tag.is_empty() && *style == ScalarStyle::Plain) || tag == "!";
            self.pop_state();
            let mut e = ev(
                EventKind::Scalar {
                    anchor,
                    tag,
                    value: value.clone(),
                    plain_implicit,
                    style: *style,
                },
                start,
            );
            self.set_event_comments(&mut e);
            self.skip();
            return Ok(e);
        }
        match t.kind {
            TokenKind::FlowSequenceStart => {
                self.state = State::FlowSequenceFirstEntry;
                let mut e = ev(
                    EventKind::SequenceStart {
                        anchor,
                        tag,
                        flow: true,
                    },
                    start,
                );
                self.set_event_comments(&mut e);
                return Ok(e);
            }
            TokenKind::FlowMappingStart => {
                self.state = State::FlowMappingFirstKey;
                let mut e = ev(
                    EventKind::MappingStart {
                        anchor,
                        tag,
                        flow: true,
                    },
                    start,
                );
                self.set_event_comments(&mut e);
                return Ok(e);
            }
            TokenKind::BlockSequenceStart if block => {
                self.state = State::BlockSequenceFirstEntry;
                let mut e = ev(
                    EventKind::SequenceStart {
                        anchor,
                        tag,
                        flow: false,
                    },
                    start,
                );
                if let Some(stem) = self.stem_comment.take() {
                    e.head = stem;
                }
                return Ok(e);
            }
            TokenKind::BlockMappingStart if block => {
                self.state = State::BlockMappingFirstKey;
                let mut e = ev(
                    EventKind::MappingStart {
                        anchor,
                        tag,
                        flow: false,
                    },
                    start,
                );
                if let Some(stem) = self.stem_comment.take() {
                    e.head = stem;
                }
                return Ok(e);
            }
            _ => {}
        }
        if anchor.is_some() || !tag.is_empty() {
            self.pop_state();
            let implicit = tag.is_empty();
            return Ok(ev(
                EventKind::Scalar {
                    anchor,
                    tag,
                    value: String::new(),
                    plain_implicit: implicit,
                    style: ScalarStyle::Plain,
                },
                start,
            ));
        }
        Err(parser_error_context(
            start,
            "did not find expected node content",
            t.start,
        ))
    }

    fn parse_block_sequence_entry(&mut self, first: bool) -> Result<Event> {
        if first {
            let t = self.peek()?;
            self.marks.push(t.start);
            self.skip();
        }
        let t = self.peek()?;
        if t.kind == TokenKind::BlockEntry {
            let mark = t.end;
            let prior_head_len = self.head_comment.len();
            self.skip();
            self.split_stem_comment(prior_head_len)?;
            let t = self.peek()?;
            if t.kind != TokenKind::BlockEntry && t.kind != TokenKind::BlockEnd {
                self.states.push(State::BlockSequenceEntry);
                return self.parse_node(true, false);
            }
            self.state = State::BlockSequenceEntry;
            return Ok(empty_scalar(mark));
        }
        if t.kind == TokenKind::BlockEnd {
            self.pop_state();
            self.marks.pop();
            self.skip();
            return Ok(ev(EventKind::SequenceEnd, t.start));
        }
        let context = self.marks.pop().unwrap_or_default();
        Err(parser_error_context(
            context,
            "did not find expected '-' indicator",
            t.start,
        ))
    }

    fn parse_indentless_sequence_entry(&mut self) -> Result<Event> {
        let t = self.peek()?;
        if t.kind == TokenKind::BlockEntry {
            let mark = t.end;
            let prior_head_len = self.head_comment.len();
            self.skip();
            self.split_stem_comment(prior_head_len)?;
            let t = self.peek()?;
            if !matches!(
                t.kind,
                TokenKind::BlockEntry | TokenKind::Key | TokenKind::Value | TokenKind::BlockEnd
            ) {
                self.states.push(State::IndentlessSequenceEntry);
                return self.parse_node(true, false);
            }
            self.state = State::IndentlessSequenceEntry;
            return Ok(empty_scalar(mark));
        }
        self.pop_state();
        Ok(ev(EventKind::SequenceEnd, t.start))
    }

    fn parse_block_mapping_key(&mut self, first: bool) -> Result<Event> {
        if first {
            let t = self.peek()?;
            self.marks.push(t.start);
            self.skip();
        }
        let t = self.peek()?;
        if t.kind == TokenKind::Key {
            let mark = t.end;
            self.skip();
            let t = self.peek()?;
            if !matches!(
                t.kind,
                TokenKind::Key | TokenKind::Value | TokenKind::BlockEnd
            ) {
                self.states.push(State::BlockMappingValue);
                return self.parse_node(true, true);
            }
            self.state = State::BlockMappingValue;
            return Ok(empty_scalar(mark));
        }
        if t.kind == TokenKind::BlockEnd {
            self.pop_state();
            self.marks.pop();
            let mut e = ev(EventKind::MappingEnd, t.start);
            self.set_event_comments(&mut e);
            self.skip();
            return Ok(e);
        }
        let context = self.marks.pop().unwrap_or_default();
        Err(parser_error_context(
            context,
            "did not find expected key",
            t.start,
        ))
    }

    fn parse_block_mapping_value(&mut self) -> Result<Event> {
        let t = self.peek()?;
        if t.kind == TokenKind::Value {
            let mark = t.end;
            self.skip();
            let t = self.peek()?;
            if !matches!(
                t.kind,
                TokenKind::Key | TokenKind::Value | TokenKind::BlockEnd
            ) {
                self.states.push(State::BlockMappingKey);
                return self.parse_node(true, true);
            }
            self.state = State::BlockMappingKey;
            return Ok(empty_scalar(mark));
        }
        self.state = State::BlockMappingKey;
        Ok(empty_scalar(t.start))
    }

    fn parse_flow_sequence_entry(&mut self, first: bool) -> Result<Event> {
        if first {
            let t = self.peek()?;
            self.marks.push(t.start);
            self.skip();
        }
        let mut t = self.peek()?;
        if t.kind != TokenKind::FlowSequenceEnd {
            if !first {
                if t.kind == TokenKind::FlowEntry {
                    self.skip();
                    t = self.peek()?;
                } else {
                    let context = self.marks.pop().unwrap_or_default();
                    return Err(parser_error_context(
                        context,
                        "did not find expected ',' or ']'",
                        t.start,
                    ));
                }
            }
            if t.kind == TokenKind::Key {
                self.state = State::FlowSequenceEntryMappingKey;
                self.skip();
                return Ok(ev(
                    EventKind::MappingStart {
                        anchor: None,
                        tag: String::new(),
                        flow: true,
                    },
                    t.start,
                ));
            } else if t.kind != TokenKind::FlowSequenceEnd {
                self.states.push(State::FlowSequenceEntry);
                return self.parse_node(false, false);
            }
        }
        self.pop_state();
        self.marks.pop();
        let mut e = ev(EventKind::SequenceEnd, t.start);
        self.set_event_comments(&mut e);
        self.skip();
        Ok(e)
    }

    fn parse_flow_sequence_entry_mapping_key(&mut self) -> Result<Event> {
        let t = self.peek()?;
        if !matches!(
            t.kind,
            TokenKind::Value | TokenKind::FlowEntry | TokenKind::FlowSequenceEnd
        ) {
            self.states.push(State::FlowSequenceEntryMappingValue);
            return self.parse_node(false, false);
        }
        let mark = t.end;
        self.skip();
        self.state = State::FlowSequenceEntryMappingValue;
        Ok(empty_scalar(mark))
    }

    fn parse_flow_sequence_entry_mapping_value(&mut self) -> Result<Event> {
        let mut t = self.peek()?;
        if t.kind == TokenKind::Value {
            self.skip();
            t = self.peek()?;
            if t.kind != TokenKind::FlowEntry && t.kind != TokenKind::FlowSequenceEnd {
                self.states.push(State::FlowSequenceEntryMappingEnd);
                return self.parse_node(false, false);
            }
        }
        self.state = State::FlowSequenceEntryMappingEnd;
        Ok(empty_scalar(t.start))
    }

    fn parse_flow_sequence_entry_mapping_end(&mut self) -> Result<Event> {
        let t = self.peek()?;
        self.state = State::FlowSequenceEntry;
        Ok(ev(EventKind::MappingEnd, t.start))
    }

    fn parse_flow_mapping_key(&mut self, first: bool) -> Result<Event> {
        if first {
            let t = self.peek()?;
            self.marks.push(t.start);
            self.skip();
        }
        let mut t = self.peek()?;
        if t.kind != TokenKind::FlowMappingEnd {
            if !first {
                if t.kind == TokenKind::FlowEntry {
                    self.skip();
                    t = self.peek()?;
                } else {
                    let context = self.marks.pop().unwrap_or_default();
                    return Err(parser_error_context(
                        context,
                        "did not find expected ',' or '}'",
                        t.start,
                    ));
                }
            }
            if t.kind == TokenKind::Key {
                self.skip();
                let t = self.peek()?;
                if !matches!(
                    t.kind,
                    TokenKind::Value | TokenKind::FlowEntry | TokenKind::FlowMappingEnd
                ) {
                    self.states.push(State::FlowMappingValue);
                    return self.parse_node(false, false);
                }
                self.state = State::FlowMappingValue;
                return Ok(empty_scalar(t.start));
            } else if t.kind != TokenKind::FlowMappingEnd {
                self.states.push(State::FlowMappingEmptyValue);
                return self.parse_node(false, false);
            }
        }
        self.pop_state();
        self.marks.pop();
        let mut e = ev(EventKind::MappingEnd, t.start);
        self.set_event_comments(&mut e);
        self.skip();
        Ok(e)
    }

    fn parse_flow_mapping_value(&mut self, empty: bool) -> Result<Event> {
        let mut t = self.peek()?;
        if empty {
            self.state = State::FlowMappingKey;
            return Ok(empty_scalar(t.start));
        }
        if t.kind == TokenKind::Value {
            self.skip();
            t = self.peek()?;
            if t.kind != TokenKind::FlowEntry && t.kind != TokenKind::FlowMappingEnd {
                self.states.push(State::FlowMappingKey);
                return self.parse_node(false, false);
            }
        }
        self.state = State::FlowMappingKey;
        Ok(empty_scalar(t.start))
    }

    fn process_directives(&mut self) -> Result<()> {
        let mut version_seen = false;
        let mut t = self.peek()?;
        loop {
            match &t.kind {
                TokenKind::VersionDirective(major, minor) => {
                    if version_seen {
                        return Err(parser_error("found duplicate %YAML directive", t.start));
                    }
                    if *major != 1 || *minor != 1 {
                        return Err(parser_error("found incompatible YAML document", t.start));
                    }
                    version_seen = true;
                }
                TokenKind::TagDirective(handle, prefix) => {
                    if self.tag_directives.iter().any(|(h, _)| h == handle) {
                        return Err(parser_error("found duplicate %TAG directive", t.start));
                    }
                    self.tag_directives.push((handle.clone(), prefix.clone()));
                }
                _ => break,
            }
            self.skip();
            t = self.peek()?;
        }
        for (h, p) in [("!", "!"), ("!!", "tag:yaml.org,2002:")] {
            if !self.tag_directives.iter().any(|(x, _)| x == h) {
                self.tag_directives.push((h.to_owned(), p.to_owned()));
            }
        }
        Ok(())
    }
}

fn empty_scalar(mark: Mark) -> Event {
    ev(
        EventKind::Scalar {
            anchor: None,
            tag: String::new(),
            value: String::new(),
            plain_implicit: true,
            style: ScalarStyle::Plain,
        },
        mark,
    )
}
