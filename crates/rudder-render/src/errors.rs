//! How Helm reshapes template errors before users see them
//! (`pkg/engine/engine.go`: `cleanupParseError`, `reformatExecErrorMsg`).
//!
//! Helm parses Go's error *text*: a parse error keeps only its location and
//! last message part; an execution error carrying Helm's
//! `HELM_ERR_START…HELM_ERR_END` markers (from `required`/`fail`) becomes
//! `execution error at (LOCATION): MESSAGE`; any other execution error is
//! rebuilt as indented blocks, one per link of Go's `errors.Unwrap` chain,
//! unless a link does not parse as a template error, in which case Go's raw
//! text is kept. The texts in [`rudder_template::Error::go_chain`] are
//! exactly the links Go would produce, so this module can follow the same
//! rules on them.

use rudder_template::Error;

/// The markers Helm's `required` and `fail` wrap their message in.
pub const WARN_START: &str = "HELM_ERR_START";
/// See [`WARN_START`].
pub const WARN_END: &str = "HELM_ERR_END";

/// Helm's `cleanupParseError(filename, err)`.
pub fn cleanup_parse_error(filename: &str, err: &str) -> String {
    let tokens: Vec<&str> = err.split(": ").collect();
    if tokens.len() == 1 {
        return format!("parse error in ({filename}): {err}");
    }
    let location = tokens[1];
    let message = tokens[tokens.len() - 1];
    format!("parse error at ({location}): {message}")
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Traceable {
    location: String,
    message: String,
    executed: String,
}

impl Traceable {
    fn write(&self, out: &mut String) {
        if !self.location.is_empty() {
            out.push_str(&self.location);
            out.push_str("\n  ");
        }
        if !self.executed.is_empty() {
            out.push_str(&self.executed);
            out.push_str("\n    ");
        }
        if !self.message.is_empty() {
            out.push_str(&self.message);
            out.push('\n');
        }
    }
}

fn cut_chained(msg: &str) -> &str {
    match msg.find(" template:") {
        Some(i) => &msg[..i],
        None => msg,
    }
}

/// Helm's `parseTemplateExecErrorString`.
fn parse_exec_error_string(s: &str) -> Option<Traceable> {
    let remainder = s.strip_prefix("template: ")?;
    if remainder.starts_with("no template ") {
        return Some(Traceable {
            location: String::new(),
            message: s.to_owned(),
            executed: String::new(),
        });
    }
    if let Some((name, after)) = remainder.split_once(": executing ") {
        let after_quote = after.strip_prefix('"')?;
        let end = after_quote.find('"')?;
        let function = &after_quote[..end];
        let after_func = &after_quote[end + 1..];
        let after_at = after_func.strip_prefix(" at <")?;
        let (ctx, msg) = after_at.split_once(">: ")?;
        return Some(Traceable {
            location: name.to_owned(),
            message: cut_chained(msg).to_owned(),
            executed: format!("executing \"{function}\" at <{ctx}>:"),
        });
    }
    let sep = remainder.rfind(": ")?;
    Some(Traceable {
        location: remainder[..sep].to_owned(),
        message: cut_chained(&remainder[sep + 2..]).to_owned(),
        executed: String::new(),
    })
}

/// Helm's `reformatExecErrorMsg(filename, err)` for an error returned by
/// executing a template file.
pub fn reformat_exec_error(filename: &str, err: &Error) -> String {
    let text = err.to_string();
    if !matches!(err, Error::Exec(_)) {
        return text;
    }
    let tokens: Vec<&str> = text.splitn(3, ": ").collect();
    if tokens.len() != 3 {
        return format!("execution error in ({filename}): {text}");
    }
    let location = tokens[1];
    if let Some(start) = tokens[2].find(WARN_START) {
        let rest = &tokens[2][start + WARN_START.len()..];
        if let Some(end) = rest.rfind(WARN_END) {
            return format!("execution error at ({location}): {}", &rest[..end]);
        }
    }
    let mut blocks: Vec<Traceable> = Vec::new();
    for link in err.go_chain() {
        match parse_exec_error_string(&link) {
            Some(t) => {
                if blocks.last() != Some(&t) {
                    blocks.push(t);
                }
            }
            None => return text,
        }
    }
    let mut out = String::new();
    for b in &blocks {
        b.write(&mut out);
    }
    out.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rudder_template::{ExecError, FuncError};

    fn exec(text: &str, source: Option<FuncError>) -> Error {
        Error::Exec(ExecError {
            text: text.to_owned(),
            source: source.map(Box::new),
        })
    }

    #[test]
    fn parse_errors() {
        assert_eq!(
            cleanup_parse_error(
                "c/templates/t.yaml",
                "template: c/templates/t.yaml:1: unexpected \"}\" in command"
            ),
            "parse error at (c/templates/t.yaml:1): unexpected \"}\" in command"
        );
        assert_eq!(cleanup_parse_error("f", "boom"), "parse error in (f): boom");
    }

    /// Expected texts recorded from the oracle (see scripts/oracle/helmcase.py).
    #[test]
    fn exec_errors_match_helm() {
        let e = exec(
            "template: c/templates/t.yaml:1:10: executing \"c/templates/t.yaml\" at <.Values.a.b>: nil pointer evaluating interface {}.b",
            None,
        );
        assert_eq!(
            reformat_exec_error("c/templates/t.yaml", &e),
            "c/templates/t.yaml:1:10\n  executing \"c/templates/t.yaml\" at <.Values.a.b>:\n    nil pointer evaluating interface {}.b"
        );
        let e = exec(
            "template: c/templates/t.yaml:1:3: executing \"c/templates/t.yaml\" at <index (list 1) 5>: error calling index: index out of range: 5",
            Some(FuncError::new("index out of range: 5")),
        );
        assert_eq!(reformat_exec_error("c/templates/t.yaml", &e), e.to_string());
        let e = exec(
            "template: c/templates/t.yaml:2:3: executing \"c/templates/t.yaml\" at <fail \"x\">: error calling fail: HELM_ERR_STARTboom\nHELM_ERR_END",
            Some(FuncError::new("HELM_ERR_STARTboom\nHELM_ERR_END")),
        );
        assert_eq!(
            reformat_exec_error("c/templates/t.yaml", &e),
            "execution error at (c/templates/t.yaml:2:3): boom\n"
        );
        let inner = Error::Other(
            "template: no template \"x\" associated with template \"gotpl\"".to_owned(),
        );
        let e = exec(
            "template: c/templates/t.yaml:1:3: executing \"c/templates/t.yaml\" at <include \"x\" .>: error calling include: template: no template \"x\" associated with template \"gotpl\"",
            Some(FuncError::from(inner)),
        );
        assert_eq!(
            reformat_exec_error("c/templates/t.yaml", &e),
            "c/templates/t.yaml:1:3\n  executing \"c/templates/t.yaml\" at <include \"x\" .>:\n    error calling include:\ntemplate: no template \"x\" associated with template \"gotpl\""
        );
    }
}
