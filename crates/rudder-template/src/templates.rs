//! [`Templates`]: a set of parsed templates that can call each other (Go's
//! template namespace, the `common` shared by associated templates).

use std::any::Any;
use std::collections::HashMap;
use std::sync::Arc;

use rudder_value::Value;

use crate::ast::is_empty_list;
use crate::error::Error;
use crate::exec::{self, ExecOptions, Lookup};
use crate::func::{FuncMap, MapMethods};
use crate::parse::{self, FuncTable, Tree};

/// A set of parsed templates.
///
/// Parsing a text adds the template named after it and every template it
/// `{{define}}`s, with Go's `AddParseTree` rule: a later definition replaces
/// an earlier one of the same name, except that a definition whose body is
/// empty (white space only) never replaces an existing one. That rule is why,
/// in Helm, a parent chart's define beats a subchart's.
///
/// The set is `Send + Sync`: parsed trees are shared behind `Arc`s and hold
/// no [`Value`], so a chart's templates can be parsed once and rendered from
/// several threads.
#[derive(Clone)]
pub struct Templates {
    funcs: Arc<FuncTable>,
    trees: HashMap<Box<str>, Arc<Tree>>,
    root_name: String,
    /// Methods of named map types, by type name. A list, not a hash map:
    /// there are one or two types, and every field access on such a map
    /// (all of Helm's `.Values.x`) looks here first, where hashing the name
    /// cost more than comparing it.
    map_methods: Arc<Vec<(&'static str, Arc<dyn MapMethods>)>>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut names: Vec<&str> = self.names().collect();
        names.sort_unstable();
        f.debug_struct("Templates")
            .field("root_name", &self.root_name)
            .field("templates", &names)
            .finish()
    }
}

impl Templates {
    /// An empty set using these functions. Function names are resolved when
    /// a text is parsed (an unknown name is a parse error), so the map must
    /// be complete before parsing.
    pub fn new(funcs: Arc<FuncMap>) -> Templates {
        Templates {
            funcs: funcs.table(),
            trees: HashMap::new(),
            root_name: "gotpl".to_owned(),
            map_methods: Arc::new(Vec::new()),
        }
    }

    /// Set the name of the set's root template, which only appears in the
    /// error for an unknown template name (`template: no template "x"
    /// associated with template "gotpl"`). The default is Helm's `gotpl`.
    pub fn set_root_name(&mut self, name: &str) {
        self.root_name = name.to_owned();
    }

    /// Give the named map type `type_name` (a [`rudder_value::MapKind::Named`]
    /// kind, e.g. `common.Values`) these methods. Field access on such a map
    /// tries them before its keys, as Go does.
    pub fn set_map_methods(&mut self, type_name: &'static str, methods: Arc<dyn MapMethods>) {
        let list = Arc::make_mut(&mut self.map_methods);
        match list.iter_mut().find(|(n, _)| *n == type_name) {
            Some(entry) => entry.1 = methods,
            None => list.push((type_name, methods)),
        }
    }

    /// The root template name (see [`Templates::set_root_name`]).
    pub fn root_name(&self) -> &str {
        &self.root_name
    }

    /// Parse `text` as the template `name` and add it, and the templates it
    /// defines, to the set. On error nothing is added.
    pub fn parse(&mut self, name: &str, text: &str) -> Result<(), Error> {
        let parsed = self.parse_detached(name, text)?;
        self.add_parsed(parsed);
        Ok(())
    }

    /// Parse `text` as the template `name` without adding it to the set, so
    /// that several texts can be parsed at once on different threads (the
    /// set is only read). Add the result with [`Templates::add_parsed`], in
    /// the order in which [`Templates::parse`] would have been called: the
    /// definition rules depend on that order.
    pub fn parse_detached(&self, name: &str, text: &str) -> Result<Parsed, Error> {
        let trees = parse::parse(name, text, &self.funcs).map_err(|e| Error::Parse(e.0))?;
        Ok(Parsed {
            trees: trees.into_iter().map(Arc::new).collect(),
        })
    }

    /// Add the templates of a text parsed by [`Templates::parse_detached`]
    /// (of this set, whose functions it refers to), with Go's
    /// `AddParseTree` rule (see the type docs).
    pub fn add_parsed(&mut self, parsed: Parsed) {
        for tree in parsed.trees {
            let keep_old =
                self.trees.contains_key(&*tree.name) && is_empty_list(&tree.root, &tree.ast);
            if !keep_old {
                self.trees.insert(tree.name.clone(), tree);
            }
        }
    }

    /// Whether the set has a template called `name`.
    pub fn contains(&self, name: &str) -> bool {
        self.trees.contains_key(name)
    }

    /// The names of the templates in the set, in no particular order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.trees.keys().map(|k| &**k)
    }

    /// Execute the template `name` with `data` as dot and `$` (Go's
    /// `ExecuteTemplate`). `host` is handed to functions through
    /// [`crate::Context::host`].
    pub fn execute(
        &self,
        name: &str,
        data: Value,
        opts: &ExecOptions,
        host: &mut dyn Any,
    ) -> Result<String, Error> {
        let mut out = String::new();
        self.execute_into(name, data, opts, host, &mut out)?;
        Ok(out)
    }

    /// Like [`Templates::execute`], appending to `out`. On error, `out` is
    /// left as it was.
    pub fn execute_into(
        &self,
        name: &str,
        data: Value,
        opts: &ExecOptions,
        host: &mut dyn Any,
        out: &mut String,
    ) -> Result<(), Error> {
        let Some(tmpl) = self.trees.get(name) else {
            return Err(Error::Other(format!(
                "template: no template {} associated with template {}",
                rudder_value::fmt::quote(name),
                rudder_value::fmt::quote(&self.root_name)
            )));
        };
        exec::execute(self, tmpl, data, opts, host, 0, out)
    }
}

/// A parsed text not yet added to a set (see [`Templates::parse_detached`]).
/// It holds no [`Value`], can be sent between threads, and is cheap to
/// clone (the trees are shared), so a host can cache it and add it to many
/// sets — of the same function map — without parsing again.
#[derive(Clone)]
pub struct Parsed {
    trees: Vec<Arc<Tree>>,
}

impl std::fmt::Debug for Parsed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.trees.iter().map(|t| &*t.name).collect();
        f.debug_struct("Parsed").field("templates", &names).finish()
    }
}

impl Parsed {
    /// The names of the templates the text defines, its own included.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.trees.iter().map(|t| &*t.name)
    }
}

impl Lookup for Templates {
    fn lookup(&self, name: &str) -> Option<&Arc<Tree>> {
        self.trees.get(name)
    }
    fn root_name(&self) -> &str {
        &self.root_name
    }
    fn funcs(&self) -> &Arc<FuncTable> {
        &self.funcs
    }
    fn map_methods(&self, type_name: &str) -> Option<&Arc<dyn MapMethods>> {
        self.map_methods
            .iter()
            .find(|(n, _)| *n == type_name)
            .map(|(_, m)| m)
    }
}
