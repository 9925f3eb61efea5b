//! Helm's own context functions (`pkg/engine/engine.go`): `include`,
//! `tpl`, `required`, `fail`, `lookup`, and the `getHostByName` override.

use std::cell::RefCell;
use std::collections::HashMap;

use rudder_template::{Context, Error, FuncError, FuncMap};
use rudder_value::fmt::quote;
use rudder_value::{Map, Value};

use crate::HelmFuncOptions;
use crate::util::{A, Args, S, def, def_ctx, sig};

/// `include` refuses to nest a name deeper than this (`recursionMaxNums`).
const RECURSION_MAX: usize = 1000;

const WARN_START: &str = "HELM_ERR_START";
const WARN_END: &str = "HELM_ERR_END";

/// Per-render host state for Helm's functions. The render engine passes a
/// `&mut RenderState` as the `host` of `Templates::execute`; `include`
/// finds it through [`Context::host`].
#[derive(Default, Debug)]
pub struct RenderState {
    /// How deeply each template name is currently being included (Helm's
    /// `includedNames`, shared across the whole render).
    included: HashMap<String, usize>,
}

impl RenderState {
    /// A fresh state for one render.
    pub fn new() -> RenderState {
        RenderState::default()
    }
}

thread_local! {
    /// Counters for executions whose host attached no `RenderState`. Every
    /// `include` decrements what it incremented, so this returns to empty
    /// after each top-level call and never leaks between renders.
    static FALLBACK: RefCell<RenderState> = RefCell::new(RenderState::default());
}

/// Run `f` on the include counters of this execution.
fn with_counters<R>(ctx: &mut dyn Context, f: impl FnOnce(&mut HashMap<String, usize>) -> R) -> R {
    match ctx.host().downcast_mut::<RenderState>() {
        Some(state) => f(&mut state.included),
        None => FALLBACK.with(|s| f(&mut s.borrow_mut().included)),
    }
}

/// Helm's `warnWrap`: the markers its error reformatting looks for.
fn warn_wrap(msg: &str) -> String {
    format!("{WARN_START}{msg}{WARN_END}")
}

/// Sprig's `fail`, which Helm replaces (see [`register`]).
pub(crate) fn register_sprig_fail(m: &mut FuncMap) {
    def(m, "fail", sig(&[S]), |mut a| {
        Err(FuncError::new(a.str()?.to_string()))
    });
}

pub(crate) fn register(m: &mut FuncMap, opts: &HelmFuncOptions) {
    def_ctx(m, "include", sig(&[S, A]), include);
    def_ctx(m, "tpl", sig(&[S, A]), tpl);

    let lint = opts.lint_mode;
    def(m, "required", sig(&[S, A]), move |mut a| {
        let (warn, val) = (a.str()?, a.any()?);
        let missing = match &val {
            Value::Nil => true,
            Value::Str(s) => s.is_empty(),
            _ => false,
        };
        if !missing {
            return Ok(val);
        }
        if lint {
            return Ok(Value::str(""));
        }
        Err(FuncError::new(warn_wrap(&warn)))
    });
    def(m, "fail", sig(&[S]), move |mut a| {
        let msg = a.str()?;
        if lint {
            return Ok(Value::str(""));
        }
        Err(FuncError::new(warn_wrap(&msg)))
    });

    let client = if opts.lint_mode {
        None
    } else {
        opts.lookup.clone()
    };
    def(m, "lookup", sig(&[S, S, S, S]), move |mut a: Args| {
        let (api, kind, ns, name) = (a.str()?, a.str()?, a.str()?, a.str()?);
        match &client {
            None => Ok(Value::Map(Map::new())),
            Some(c) => c.lookup(&api, &kind, &ns, &name).map_err(FuncError::new),
        }
    });

    if !opts.enable_dns {
        def(m, "getHostByName", sig(&[S]), |_| Ok(Value::str("")));
    }
}

/// Helm's `include`: execute a named template into a string, with a
/// render-wide nesting limit per name.
fn include(ctx: &mut dyn Context, mut a: Args) -> Result<Value, FuncError> {
    let (name, data) = (a.str()?, a.any()?);
    let refused = with_counters(ctx, |c| {
        let n = c.entry(name.to_string()).or_insert(0);
        if *n > RECURSION_MAX {
            return true;
        }
        *n += 1;
        false
    });
    if refused {
        return Err(FuncError::new(format!(
            "rendering template has a nested reference name: {name}: unable to execute template"
        )));
    }
    let result = ctx.execute_template(&name, data);
    with_counters(ctx, |c| {
        if let Some(n) = c.get_mut(&*name) {
            *n = n.saturating_sub(1);
        }
    });
    result.map(Value::string).map_err(FuncError::from)
}

/// Helm's `tpl`: parse `text` as a new template on top of a copy of the
/// whole set and execute it, with `<no value>` removed from the result.
fn tpl(ctx: &mut dyn Context, mut a: Args) -> Result<Value, FuncError> {
    let (text, data) = (a.str()?, a.any()?);
    match ctx.execute_text("gotpl", &text, data) {
        Ok(out) => Ok(Value::string(out.replace("<no value>", ""))),
        Err(e @ Error::Parse(_)) => Err(FuncError::wrap(
            format!("cannot parse template {}: {e}", quote(&text)),
            e,
        )),
        Err(e) => Err(FuncError::wrap(
            format!(
                "error during tpl function execution for {}: {e}",
                quote(&text)
            ),
            e,
        )),
    }
}

#[cfg(test)]
mod tests {
    use std::any::Any;

    use super::*;
    use crate::{HelmFuncOptions, helm};

    /// A context whose templates are canned results, recording calls.
    struct Mock {
        state: RenderState,
        result: Result<String, Error>,
        calls: Vec<String>,
        depth: usize,
        recurse: bool,
    }

    impl Context for Mock {
        fn execute_template(&mut self, name: &str, data: Value) -> Result<String, Error> {
            self.calls.push(name.to_owned());
            if self.recurse {
                self.depth += 1;
                let f = helm(HelmFuncOptions::default());
                let inc = f.get("include").map(|f| f.imp.clone());
                if let Some(inc) = inc {
                    return match inc(self, vec![Value::str(name), data]) {
                        Ok(v) => Ok(v.as_str().unwrap_or_default().to_owned()),
                        Err(e) => Err(Error::Other(e.message())),
                    };
                }
            }
            self.result.clone()
        }

        fn execute_text(&mut self, name: &str, text: &str, _data: Value) -> Result<String, Error> {
            self.calls.push(format!("{name}:{text}"));
            self.result.clone()
        }

        fn host(&mut self) -> &mut dyn Any {
            &mut self.state
        }
    }

    fn mock(result: Result<String, Error>) -> Mock {
        Mock {
            state: RenderState::default(),
            result,
            calls: Vec::new(),
            depth: 0,
            recurse: false,
        }
    }

    fn call(ctx: &mut Mock, name: &str, args: Vec<Value>) -> Result<Value, FuncError> {
        let f = helm(HelmFuncOptions::default());
        match f.get(name) {
            Some(func) => (func.imp)(ctx, args),
            None => Err(FuncError::new("missing")),
        }
    }

    #[test]
    fn include_returns_output_and_resets_counter() {
        let mut m = mock(Ok("hi".into()));
        let r = call(&mut m, "include", vec![Value::str("x"), Value::Nil]);
        assert_eq!(
            r.ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .as_deref(),
            Some("hi")
        );
        assert_eq!(m.state.included.get("x"), Some(&0));
    }

    #[test]
    fn include_passes_inner_errors_through() {
        let err =
            Error::Other("template: no template \"x\" associated with template \"gotpl\"".into());
        let mut m = mock(Err(err.clone()));
        let r = call(&mut m, "include", vec![Value::str("x"), Value::Nil]);
        assert_eq!(r.err().map(|e| e.message()), Some(err.to_string()));
    }

    #[test]
    fn include_recursion_limit() {
        let mut m = mock(Ok(String::new()));
        m.recurse = true;
        let r = std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn(move || {
                let r = call(&mut m, "include", vec![Value::str("loop"), Value::Nil]);
                (r.err().map(|e| e.message()), m.depth)
            })
            .ok()
            .and_then(|h| h.join().ok());
        let (msg, depth) = r.unwrap_or_default();
        assert_eq!(depth, 1001);
        assert_eq!(
            msg.as_deref(),
            Some(
                "rendering template has a nested reference name: loop: unable to execute template"
            )
        );
    }

    #[test]
    fn tpl_strips_no_value_and_wraps_errors() {
        let mut m = mock(Ok("a<no value>b".into()));
        let r = call(&mut m, "tpl", vec![Value::str("{{ .x }}"), Value::Nil]);
        assert_eq!(
            r.ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .as_deref(),
            Some("ab")
        );
        assert_eq!(m.calls, vec!["gotpl:{{ .x }}".to_owned()]);

        let mut m = mock(Err(Error::Parse(
            "template: gotpl:1: unexpected \"}\" in operand".into(),
        )));
        let e = call(&mut m, "tpl", vec![Value::str("{{ }"), Value::Nil]).err();
        assert_eq!(
            e.as_ref().map(FuncError::message).as_deref(),
            Some("cannot parse template \"{{ }\": template: gotpl:1: unexpected \"}\" in operand")
        );
        assert!(e.and_then(|e| e.template_error().cloned()).is_some());
    }

    #[test]
    fn required_and_fail_wrap_messages() {
        let mut m = mock(Ok(String::new()));
        let e = call(
            &mut m,
            "required",
            vec![Value::str("need x"), Value::str("")],
        )
        .err();
        assert_eq!(
            e.map(|e| e.message()).as_deref(),
            Some("HELM_ERR_STARTneed xHELM_ERR_END")
        );
        let ok = call(
            &mut m,
            "required",
            vec![Value::str("need x"), Value::int(0)],
        );
        assert!(ok.is_ok());
        let e = call(&mut m, "fail", vec![Value::str("boom")]).err();
        assert_eq!(
            e.map(|e| e.message()).as_deref(),
            Some("HELM_ERR_STARTboomHELM_ERR_END")
        );
    }

    #[test]
    fn lint_mode_swallows_required_and_fail() {
        let f = helm(HelmFuncOptions {
            lint_mode: true,
            ..HelmFuncOptions::default()
        });
        let mut m = mock(Ok(String::new()));
        for (name, args) in [
            ("required", vec![Value::str("x"), Value::Nil]),
            ("fail", vec![Value::str("x")]),
        ] {
            let r = f.get(name).map(|func| (func.imp)(&mut m, args));
            assert!(matches!(r, Some(Ok(Value::Str(s))) if s.is_empty()));
        }
    }

    struct FakeCluster;

    impl crate::Lookup for FakeCluster {
        fn lookup(&self, api: &str, kind: &str, ns: &str, name: &str) -> Result<Value, String> {
            if name == "boom" {
                return Err("the server could not find the requested resource".into());
            }
            let m = Map::new();
            m.insert("id", Value::string(format!("{api}/{kind}/{ns}/{name}")));
            Ok(Value::Map(m))
        }
    }

    #[test]
    fn lookup_uses_the_client_except_in_lint_mode() {
        let opts = HelmFuncOptions {
            lookup: Some(std::sync::Arc::new(FakeCluster)),
            ..HelmFuncOptions::default()
        };
        let args = |name: &str| {
            vec![
                Value::str("v1"),
                Value::str("Pod"),
                Value::str("ns"),
                Value::str(name),
            ]
        };
        let mut m = mock(Ok(String::new()));
        let f = helm(opts.clone());
        let got = f.get("lookup").map(|func| (func.imp)(&mut m, args("x")));
        assert!(
            matches!(got, Some(Ok(Value::Map(r))) if r.get("id").is_some_and(|v| v.as_str() == Some("v1/Pod/ns/x")))
        );
        let err = f.get("lookup").map(|func| (func.imp)(&mut m, args("boom")));
        assert!(matches!(err, Some(Err(e)) if e.message().contains("could not find")));
        let lint = helm(HelmFuncOptions {
            lint_mode: true,
            ..opts
        });
        let got = lint.get("lookup").map(|func| (func.imp)(&mut m, args("x")));
        assert!(matches!(got, Some(Ok(Value::Map(r))) if r.is_empty()));
    }

    /// A context without a `RenderState` host.
    struct Bare;

    impl Context for Bare {
        fn execute_template(&mut self, name: &str, _data: Value) -> Result<String, Error> {
            Ok(format!("<{name}>"))
        }
        fn execute_text(&mut self, _: &str, _: &str, _: Value) -> Result<String, Error> {
            Ok(String::new())
        }
        fn host(&mut self) -> &mut dyn Any {
            self
        }
    }

    #[test]
    fn include_without_render_state_uses_thread_counters() {
        let f = helm(HelmFuncOptions::default());
        for _ in 0..3 {
            let got = f
                .get("include")
                .map(|func| (func.imp)(&mut Bare, vec![Value::str("x"), Value::Nil]));
            assert!(matches!(got, Some(Ok(Value::Str(s))) if &*s == "<x>"));
        }
        assert_eq!(
            FALLBACK.with(|s| s.borrow().included.get("x").copied()),
            Some(0)
        );
    }

    #[test]
    fn lookup_without_client_is_empty_map() {
        let mut m = mock(Ok(String::new()));
        let r = call(
            &mut m,
            "lookup",
            vec![
                Value::str("v1"),
                Value::str("Pod"),
                Value::str(""),
                Value::str(""),
            ],
        );
        assert!(matches!(r, Ok(Value::Map(m)) if m.is_empty()));
    }
}
