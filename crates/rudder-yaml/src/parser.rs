//! The YAML event parser: libyaml's parser state machine (as yaml.v2 runs
//! it) over the tokens of [`crate::scanner`]. It decides where collections
//! start and end, fills in empty scalars, resolves tag handles and reports
//! the "did not find expected …" errors with libyaml's marks.

use std::borrow::Cow;

use crate::scanner::{ErrorKind, Mark, ScalarStyle, ScanError, Scanner, Tk, Token, TokenKind};

/// A parser event. Scalar values and anchor names borrow the input when
/// the scanner could (see [`crate::scanner`]).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum EventKind<'a> {
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    Alias(&'a str),
    Scalar {
        anchor: Option<&'a str>,
        tag: String,
        value: Cow<'a, str>,
        /// Plain with no tag (or the `!` tag): the value is resolved by content.
        plain_implicit: bool,
        style: ScalarStyle,
    },
    SequenceStart {
        anchor: Option<&'a str>,
    },
    SequenceEnd,
    MappingStart {
        anchor: Option<&'a str>,
    },
    MappingEnd,
}

#[derive(Clone, Debug)]
pub(crate) struct Event<'a> {
    pub(crate) kind: EventKind<'a>,
    pub(crate) start: Mark,
}

/// What the parser looks at in the head token: its kind and marks. The
/// token itself is only taken (not cloned) when its data is needed.
#[derive(Clone, Copy, Debug)]
struct Peeked {
    kind: Tk,
    start: Mark,
    end: Mark,
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

pub(crate) struct Parser<'a> {
    scanner: Scanner<'a>,
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

impl<'a> Parser<'a> {
    pub(crate) fn new(text: &'a str) -> Parser<'a> {
        Parser {
            scanner: Scanner::new(text),
            state: State::StreamStart,
            states: Vec::new(),
            marks: Vec::new(),
            tag_directives: Vec::new(),
        }
    }

    fn peek(&mut self) -> Result<Peeked> {
        let t = self.scanner.peek()?;
        Ok(Peeked {
            kind: t.kind.tk(),
            start: t.start,
            end: t.end,
        })
    }

    /// Take the head token (which [`Parser::peek`] has just looked at).
    fn take(&mut self) -> Result<Token<'a>> {
        self.scanner.take_token().ok_or_else(|| ScanError {
            kind: ErrorKind::Parser,
            problem: "unexpected end of token stream".to_owned(),
            problem_mark: Mark::default(),
            context_mark: Mark::default(),
        })
    }

    fn skip(&mut self) {
        self.scanner.skip_token();
    }

    fn pop_state(&mut self) {
        self.state = self.states.pop().unwrap_or(State::End);
    }

    /// The next event, or `None` once the stream has ended.
    pub(crate) fn next_event(&mut self) -> Result<Option<Event<'a>>> {
        if self.scanner.stream_end_produced() || self.state == State::End {
            return Ok(None);
        }
        self.state_machine().map(Some)
    }

    fn state_machine(&mut self) -> Result<Event<'a>> {
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

    fn parse_stream_start(&mut self) -> Result<Event<'a>> {
        let t = self.peek()?;
        if t.kind != Tk::StreamStart {
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

    fn parse_document_start(&mut self, implicit: bool) -> Result<Event<'a>> {
        let mut t = self.peek()?;
        if !implicit {
            while t.kind == Tk::DocumentEnd {
                self.skip();
                t = self.peek()?;
            }
        }
        let is_directive = matches!(t.kind, Tk::VersionDirective | Tk::TagDirective);
        if implicit && !is_directive && t.kind != Tk::DocumentStart && t.kind != Tk::StreamEnd {
            self.process_directives()?;
            self.states.push(State::DocumentEnd);
            self.state = State::BlockNode;
            Ok(Event {
                kind: EventKind::DocumentStart,
                start: t.start,
            })
        } else if t.kind != Tk::StreamEnd {
            let start = t.start;
            self.process_directives()?;
            let t = self.peek()?;
            if t.kind != Tk::DocumentStart {
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

    fn parse_document_content(&mut self) -> Result<Event<'a>> {
        let t = self.peek()?;
        if matches!(
            t.kind,
            Tk::VersionDirective
                | Tk::TagDirective
                | Tk::DocumentStart
                | Tk::DocumentEnd
                | Tk::StreamEnd
        ) {
            self.pop_state();
            return Ok(empty_scalar(t.start));
        }
        self.parse_node(true, false)
    }

    fn parse_document_end(&mut self) -> Result<Event<'a>> {
        let t = self.peek()?;
        if t.kind == Tk::DocumentEnd {
            self.skip();
        }
        self.tag_directives.clear();
        self.state = State::DocumentStart;
        Ok(Event {
            kind: EventKind::DocumentEnd,
            start: t.start,
        })
    }

    fn parse_node(&mut self, block: bool, indentless_sequence: bool) -> Result<Event<'a>> {
        let mut t = self.peek()?;
        if t.kind == Tk::Alias {
            self.pop_state();
            let name = match self.take()?.kind {
                TokenKind::Alias(name) => name,
                _ => "",
            };
            return Ok(Event {
                kind: EventKind::Alias(name),
                start: t.start,
            });
        }
        let mut start = t.start;
        let mut anchor: Option<&'a str> = None;
        let mut tag_token: Option<(String, String, Mark)> = None;
        if t.kind == Tk::Anchor {
            anchor = self.take_anchor()?;
            t = self.peek()?;
            if t.kind == Tk::Tag {
                tag_token = Some(self.take_tag(t.start)?);
                t = self.peek()?;
            }
        } else if t.kind == Tk::Tag {
            tag_token = Some(self.take_tag(t.start)?);
            start = t.start;
            t = self.peek()?;
            if t.kind == Tk::Anchor {
                anchor = self.take_anchor()?;
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
        if indentless_sequence && t.kind == Tk::BlockEntry {
            self.state = State::IndentlessSequenceEntry;
            return Ok(Event {
                kind: EventKind::SequenceStart { anchor },
                start,
            });
        }
        if t.kind == Tk::Scalar {
            self.pop_state();
            let (value, style) = match self.take()?.kind {
                TokenKind::Scalar(value, style) => (value, style),
                _ => (Cow::Borrowed(""), ScalarStyle::Plain),
            };
            let plain_implicit = (tag.is_empty() && style == ScalarStyle::Plain) || tag == "!";
            return Ok(Event {
                kind: EventKind::Scalar {
                    anchor,
                    tag,
                    value,
                    plain_implicit,
                    style,
                },
                start,
            });
        }
        match t.kind {
            Tk::FlowSequenceStart => {
                self.state = State::FlowSequenceFirstEntry;
                return Ok(Event {
                    kind: EventKind::SequenceStart { anchor },
                    start,
                });
            }
            Tk::FlowMappingStart => {
                self.state = State::FlowMappingFirstKey;
                return Ok(Event {
                    kind: EventKind::MappingStart { anchor },
                    start,
                });
            }
            Tk::BlockSequenceStart if block => {
                self.state = State::BlockSequenceFirstEntry;
                return Ok(Event {
                    kind: EventKind::SequenceStart { anchor },
                    start,
                });
            }
            Tk::BlockMappingStart if block => {
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
                    value: Cow::Borrowed(""),
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

    fn parse_block_sequence_entry(&mut self, first: bool) -> Result<Event<'a>> {
        if first {
            let t = self.peek()?;
            self.marks.push(t.start);
            self.skip();
        }
        let t = self.peek()?;
        if t.kind == Tk::BlockEntry {
            let mark = t.end;
            self.skip();
            let t = self.peek()?;
            if t.kind != Tk::BlockEntry && t.kind != Tk::BlockEnd {
                self.states.push(State::BlockSequenceEntry);
                return self.parse_node(true, false);
            }
            self.state = State::BlockSequenceEntry;
            return Ok(empty_scalar(mark));
        }
        if t.kind == Tk::BlockEnd {
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

    fn parse_indentless_sequence_entry(&mut self) -> Result<Event<'a>> {
        let t = self.peek()?;
        if t.kind == Tk::BlockEntry {
            let mark = t.end;
            self.skip();
            let t = self.peek()?;
            if !matches!(t.kind, Tk::BlockEntry | Tk::Key | Tk::Value | Tk::BlockEnd) {
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

    fn parse_block_mapping_key(&mut self, first: bool) -> Result<Event<'a>> {
        if first {
            let t = self.peek()?;
            self.marks.push(t.start);
            self.skip();
        }
        let t = self.peek()?;
        if t.kind == Tk::Key {
            let mark = t.end;
            self.skip();
            let t = self.peek()?;
            if !matches!(t.kind, Tk::Key | Tk::Value | Tk::BlockEnd) {
                self.states.push(State::BlockMappingValue);
                return self.parse_node(true, true);
            }
            self.state = State::BlockMappingValue;
            return Ok(empty_scalar(mark));
        }
        if t.kind == Tk::BlockEnd {
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

    fn parse_block_mapping_value(&mut self) -> Result<Event<'a>> {
        let t = self.peek()?;
        if t.kind == Tk::Value {
            let mark = t.end;
            self.skip();
            let t = self.peek()?;
            if !matches!(t.kind, Tk::Key | Tk::Value | Tk::BlockEnd) {
                self.states.push(State::BlockMappingKey);
                return self.parse_node(true, true);
            }
            self.state = State::BlockMappingKey;
            return Ok(empty_scalar(mark));
        }
        self.state = State::BlockMappingKey;
        Ok(empty_scalar(t.start))
    }

    fn parse_flow_sequence_entry(&mut self, first: bool) -> Result<Event<'a>> {
        if first {
            let t = self.peek()?;
            self.marks.push(t.start);
            self.skip();
        }
        let mut t = self.peek()?;
        if t.kind != Tk::FlowSequenceEnd {
            if !first {
                if t.kind == Tk::FlowEntry {
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
            if t.kind == Tk::Key {
                self.state = State::FlowSequenceEntryMappingKey;
                self.skip();
                return Ok(Event {
                    kind: EventKind::MappingStart { anchor: None },
                    start: t.start,
                });
            } else if t.kind != Tk::FlowSequenceEnd {
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

    fn parse_flow_sequence_entry_mapping_key(&mut self) -> Result<Event<'a>> {
        let t = self.peek()?;
        if !matches!(t.kind, Tk::Value | Tk::FlowEntry | Tk::FlowSequenceEnd) {
            self.states.push(State::FlowSequenceEntryMappingValue);
            return self.parse_node(false, false);
        }
        let mark = t.end;
        self.skip();
        self.state = State::FlowSequenceEntryMappingValue;
        Ok(empty_scalar(mark))
    }

    fn parse_flow_sequence_entry_mapping_value(&mut self) -> Result<Event<'a>> {
        let mut t = self.peek()?;
        if t.kind == Tk::Value {
            self.skip();
            t = self.peek()?;
            if t.kind != Tk::FlowEntry && t.kind != Tk::FlowSequenceEnd {
                self.states.push(State::FlowSequenceEntryMappingEnd);
                return self.parse_node(false, false);
            }
        }
        self.state = State::FlowSequenceEntryMappingEnd;
        Ok(empty_scalar(t.start))
    }

    fn parse_flow_sequence_entry_mapping_end(&mut self) -> Result<Event<'a>> {
        let t = self.peek()?;
        self.state = State::FlowSequenceEntry;
        Ok(Event {
            kind: EventKind::MappingEnd,
            start: t.start,
        })
    }

    fn parse_flow_mapping_key(&mut self, first: bool) -> Result<Event<'a>> {
        if first {
            let t = self.peek()?;
            self.marks.push(t.start);
            self.skip();
        }
        let mut t = self.peek()?;
        if t.kind != Tk::FlowMappingEnd {
            if !first {
                if t.kind == Tk::FlowEntry {
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
            if t.kind == Tk::Key {
                self.skip();
                let t = self.peek()?;
                if !matches!(t.kind, Tk::Value | Tk::FlowEntry | Tk::FlowMappingEnd) {
                    self.states.push(State::FlowMappingValue);
                    return self.parse_node(false, false);
                }
                self.state = State::FlowMappingValue;
                return Ok(empty_scalar(t.start));
            } else if t.kind != Tk::FlowMappingEnd {
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

    fn parse_flow_mapping_value(&mut self, empty: bool) -> Result<Event<'a>> {
        let mut t = self.peek()?;
        if empty {
            self.state = State::FlowMappingKey;
            return Ok(empty_scalar(t.start));
        }
        if t.kind == Tk::Value {
            self.skip();
            t = self.peek()?;
            if t.kind != Tk::FlowEntry && t.kind != Tk::FlowMappingEnd {
                self.states.push(State::FlowMappingKey);
                return self.parse_node(false, false);
            }
        }
        self.state = State::FlowMappingKey;
        Ok(empty_scalar(t.start))
    }

    fn take_anchor(&mut self) -> Result<Option<&'a str>> {
        Ok(match self.take()?.kind {
            TokenKind::Anchor(a) => Some(a),
            _ => None,
        })
    }

    fn take_tag(&mut self, mark: Mark) -> Result<(String, String, Mark)> {
        Ok(match self.take()?.kind {
            TokenKind::Tag(t) => (t.0, t.1, mark),
            _ => (String::new(), String::new(), mark),
        })
    }

    fn process_directives(&mut self) -> Result<()> {
        let mut version_seen = false;
        let mut t = self.peek()?;
        loop {
            match t.kind {
                Tk::VersionDirective => {
                    let Token {
                        kind: TokenKind::VersionDirective(major, minor),
                        ..
                    } = self.take()?
                    else {
                        break;
                    };
                    if version_seen {
                        return Err(parser_error("found duplicate %YAML directive", t.start));
                    }
                    if major != 1 || minor != 1 {
                        return Err(parser_error("found incompatible YAML document", t.start));
                    }
                    version_seen = true;
                }
                Tk::TagDirective => {
                    let Token {
                        kind: TokenKind::TagDirective(directive),
                        ..
                    } = self.take()?
                    else {
                        break;
                    };
                    let (handle, prefix) = *directive;
                    if self.tag_directives.iter().any(|(h, _)| *h == handle) {
                        return Err(parser_error("found duplicate %TAG directive", t.start));
                    }
                    self.tag_directives.push((handle, prefix));
                }
                _ => break,
            }
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

fn empty_scalar<'a>(mark: Mark) -> Event<'a> {
    Event {
        kind: EventKind::Scalar {
            anchor: None,
            tag: String::new(),
            value: Cow::Borrowed(""),
            plain_implicit: true,
            style: ScalarStyle::Plain,
        },
        start: mark,
    }
}
