//! The YAML event parser: libyaml's parser state machine (as yaml.v2 runs
//! it) over the tokens of [`crate::scanner`]. It decides where collections
//! start and end, fills in empty scalars, resolves tag handles and reports
//! the "did not find expected …" errors with libyaml's marks.

use crate::scanner::{ErrorKind, Mark, ScalarStyle, ScanError, Scanner, Token, TokenKind};

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
    },
    SequenceEnd,
    MappingStart {
        anchor: Option<String>,
    },
    MappingEnd,
}

#[derive(Clone, Debug)]
pub(crate) struct Event {
    pub(crate) kind: EventKind,
    pub(crate) start: Mark,
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
        }
    }

    fn peek(&mut self) -> Result<Token> {
        self.scanner.peek().cloned()
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
            State::End => Ok(Event {
                kind: EventKind::StreamEnd,
                start: Mark::default(),
            }),
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
        Ok(Event {
            kind: EventKind::StreamStart,
            start: t.start,
        })
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
            Ok(Event {
                kind: EventKind::DocumentStart,
                start: t.start,
            })
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
            Ok(Event {
                kind: EventKind::DocumentStart,
                start,
            })
        } else {
            self.state = State::End;
            self.skip();
            Ok(Event {
                kind: EventKind::StreamEnd,
                start: t.start,
            })
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
        Ok(Event {
            kind: EventKind::DocumentEnd,
            start: t.start,
        })
    }

    fn parse_node(&mut self, block: bool, indentless_sequence: bool) -> Result<Event> {
        let mut t = self.peek()?;
        if let TokenKind::Alias(name) = &t.kind {
            self.pop_state();
            self.skip();
            return Ok(Event {
                kind: EventKind::Alias(name.clone()),
                start: t.start,
            });
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
            return Ok(Event {
                kind: EventKind::SequenceStart { anchor },
                start,
            });
        }
        if let TokenKind::Scalar(value, style) = &t.kind {
            let plain_implicit = (tag.is_empty() && *style == ScalarStyle::Plain) || tag == "!";
            self.pop_state();
            self.skip();
            return Ok(Event {
                kind: EventKind::Scalar {
                    anchor,
                    tag,
                    value: value.clone(),
                    plain_implicit,
                    style: *style,
                },
                start,
            });
        }
        match t.kind {
            TokenKind::FlowSequenceStart => {
                self.state = State::FlowSequenceFirstEntry;
                return Ok(Event {
                    kind: EventKind::SequenceStart { anchor },
                    start,
                });
            }
            TokenKind::FlowMappingStart => {
                self.state = State::FlowMappingFirstKey;
                return Ok(Event {
                    kind: EventKind::MappingStart { anchor },
                    start,
                });
            }
            TokenKind::BlockSequenceStart if block => {
                self.state = State::BlockSequenceFirstEntry;
                return Ok(Event {
                    kind: EventKind::SequenceStart { anchor },
                    start,
                });
            }
            TokenKind::BlockMappingStart if block => {
                self.state = State::BlockMappingFirstKey;
                return Ok(Event {
                    kind: EventKind::MappingStart { anchor },
                    start,
                });
            }
            _ => {}
        }
        if anchor.is_some() || !tag.is_empty() {
            self.pop_state();
            let implicit = tag.is_empty();
            return Ok(Event {
                kind: EventKind::Scalar {
                    anchor,
                    tag,
                    value: String::new(),
                    plain_implicit: implicit,
                    style: ScalarStyle::Plain,
                },
                start,
            });
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
            self.skip();
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
            return Ok(Event {
                kind: EventKind::SequenceEnd,
                start: t.start,
            });
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
            self.skip();
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
        Ok(Event {
            kind: EventKind::SequenceEnd,
            start: t.start,
        })
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
            self.skip();
            return Ok(Event {
                kind: EventKind::MappingEnd,
                start: t.start,
            });
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
                return Ok(Event {
                    kind: EventKind::MappingStart { anchor: None },
                    start: t.start,
                });
            } else if t.kind != TokenKind::FlowSequenceEnd {
                self.states.push(State::FlowSequenceEntry);
                return self.parse_node(false, false);
            }
        }
        self.pop_state();
        self.marks.pop();
        self.skip();
        Ok(Event {
            kind: EventKind::SequenceEnd,
            start: t.start,
        })
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
        Ok(Event {
            kind: EventKind::MappingEnd,
            start: t.start,
        })
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
        self.skip();
        Ok(Event {
            kind: EventKind::MappingEnd,
            start: t.start,
        })
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
    Event {
        kind: EventKind::Scalar {
            anchor: None,
            tag: String::new(),
            value: String::new(),
            plain_implicit: true,
            style: ScalarStyle::Plain,
        },
        start: mark,
    }
}
