//! Shell completion for CLI plugins, as Helm sets it up: a static
//! `completion.yaml` (sub-commands, valid arguments, flags) and, for leaf
//! commands of subprocess plugins, the dynamic `plugin.complete`
//! executable, whose output lines are candidates and whose last line may
//! be `:<directive>` (cobra's `ShellCompDirective`, e.g. `:4` = no file
//! completion).

use std::path::Path;

use rudder_value::Value;

use crate::args::split_global_flags;
use crate::discovery::Plugin;
use crate::host::PluginHost;
use crate::metadata::{Config, RuntimeKind};

/// The static completion file in a plugin directory.
pub const COMPLETION_FILE: &str = "completion.yaml";
/// The dynamic completion executable in a plugin directory.
pub const COMPLETION_EXECUTABLE: &str = "plugin.complete";

/// cobra's `ShellCompDirectiveDefault`.
pub const DIRECTIVE_DEFAULT: i32 = 0;
/// cobra's `ShellCompDirectiveNoFileComp`.
pub const DIRECTIVE_NO_FILE_COMP: i32 = 4;

/// One level of `completion.yaml`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CompletionSpec {
    /// The command name (the top level's is replaced by the plugin's usage).
    pub name: String,
    /// Candidates for the first argument.
    pub valid_args: Vec<String>,
    /// Flag names (one letter = a short flag).
    pub flags: Vec<String>,
    /// Sub-commands; `None` when the key is absent (then the dynamic
    /// completion applies).
    pub commands: Option<Vec<CompletionSpec>>,
}

/// Candidates and the cobra directive for the shell.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completion {
    /// The candidates, in order.
    pub candidates: Vec<String>,
    /// cobra's directive.
    pub directive: i32,
}

/// Look a key up as Go's `encoding/json` does: exact, else case-insensitive.
fn field<'a>(m: &'a [(String, Value)], key: &str) -> Option<&'a Value> {
    m.iter()
        .find(|(k, _)| k == key)
        .or_else(|| m.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)))
        .map(|(_, v)| v)
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::List(l)) => l
            .iter()
            .filter_map(|x| x.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

fn spec_of(v: &Value, depth: usize) -> Option<CompletionSpec> {
    if depth > 64 {
        return None;
    }
    let Value::Map(m) = v else { return None };
    let entries: Vec<(String, Value)> = m
        .entries()
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    let commands = match field(&entries, "commands") {
        Some(Value::List(l)) => Some(l.iter().filter_map(|c| spec_of(c, depth + 1)).collect()),
        _ => None,
    };
    Some(CompletionSpec {
        name: field(&entries, "name")
            .and_then(|n| n.as_str().map(str::to_owned))
            .unwrap_or_default(),
        valid_args: strings(field(&entries, "validArgs")),
        flags: strings(field(&entries, "flags")),
        commands,
    })
}

/// Read `<dir>/completion.yaml` (sigs.k8s.io/yaml into Helm's struct);
/// `None` when missing or invalid (then only dynamic completion applies).
pub fn load_completion_spec(dir: &Path) -> Option<CompletionSpec> {
    let text = std::fs::read_to_string(dir.join(COMPLETION_FILE)).ok()?;
    let v = rudder_yaml::from_yaml(&text).ok()?;
    spec_of(&v, 0)
}

fn first_word(s: &str) -> &str {
    s.split(' ').next().unwrap_or(s)
}

/// Flag candidates of a `completion.yaml` level for a word starting with `-`.
fn flag_candidates(spec: &CompletionSpec, to_complete: &str) -> Vec<String> {
    let shorts: Vec<&String> = spec
        .flags
        .iter()
        .filter(|f| f.chars().count() == 1)
        .collect();
    let longs: Vec<&String> = spec
        .flags
        .iter()
        .filter(|f| f.chars().count() != 1)
        .collect();
    let mut out = Vec::new();
    // Pair shorts with longs in order; surplus shorts become long flags of
    // the same letter (Helm's rule).
    let mut long_names: Vec<String> = longs.iter().map(|l| (*l).clone()).collect();
    if shorts.len() > longs.len() {
        long_names.extend(shorts[longs.len()..].iter().map(|s| (*s).clone()));
    }
    for l in &long_names {
        let cand = format!("--{l}");
        if cand.starts_with(to_complete) {
            out.push(cand);
        }
    }
    if to_complete == "-" {
        out.extend(shorts.iter().map(|s| format!("-{s}")));
    }
    out
}

impl PluginHost {
    /// Completions for `rudder <plugin> <words…> <to_complete>`: static
    /// sub-commands and valid arguments from `completion.yaml`, else (for a
    /// leaf command of a subprocess plugin) the output of `plugin.complete`.
    pub fn complete(&self, plugin: &Plugin, words: &[String], to_complete: &str) -> Completion {
        let mut spec = load_completion_spec(plugin.dir()).unwrap_or_default();
        spec.name = plugin.command_name().to_owned();
        // Walk the sub-command path.
        let mut path: Vec<String> = Vec::new();
        let mut rest = words;
        let mut level = &spec;
        while let (Some(w), Some(cmds)) = (rest.first(), level.commands.as_ref()) {
            match cmds
                .iter()
                .find(|c| !c.name.is_empty() && first_word(&c.name) == w)
            {
                Some(c) => {
                    path.push(w.clone());
                    level = c;
                    rest = &rest[1..];
                }
                None => break,
            }
        }
        let mut out = Completion::default();
        if to_complete.starts_with('-') && !level.flags.is_empty() {
            out.candidates = flag_candidates(level, to_complete);
            out.directive = DIRECTIVE_NO_FILE_COMP;
            return out;
        }
        if rest.is_empty() {
            if let Some(cmds) = &level.commands {
                for c in cmds.iter().filter(|c| !c.name.is_empty()) {
                    let name = first_word(&c.name);
                    if name.starts_with(to_complete) {
                        out.candidates.push(name.to_owned());
                    }
                }
                out.directive = DIRECTIVE_NO_FILE_COMP;
            }
            for v in &level.valid_args {
                if v.starts_with(to_complete) {
                    out.candidates.push(v.clone());
                }
            }
            if !out.candidates.is_empty() {
                out.directive = DIRECTIVE_NO_FILE_COMP;
                return out;
            }
        }
        if level.commands.is_some() {
            return out;
        }
        self.dynamic_completion(plugin, &path, rest, to_complete)
    }

    fn dynamic_completion(
        &self,
        plugin: &Plugin,
        path: &[String],
        args: &[String],
        to_complete: &str,
    ) -> Completion {
        if plugin.metadata().runtime != RuntimeKind::Subprocess {
            return Completion::default();
        }
        let ignore_flags = matches!(&plugin.metadata().config, Config::Cli(c) if c.ignore_flags);
        let (_, forwarded) = split_global_flags(args);
        let mut argv: Vec<String> = path.to_vec();
        if !ignore_flags {
            argv.extend(forwarded);
            argv.push(to_complete.to_owned());
        }
        let main = plugin.dir().join(COMPLETION_EXECUTABLE);
        let mut env = self.process_env_for_completion();
        env.insert("HELM_PLUGIN_NAME".to_owned(), plugin.name().to_owned());
        env.insert(
            "HELM_PLUGIN_DIR".to_owned(),
            plugin.dir().to_string_lossy().into_owned(),
        );
        let output = std::process::Command::new(&main)
            .args(&argv)
            .env_clear()
            .envs(&env)
            .stdin(std::process::Stdio::null())
            .output();
        let Ok(output) = output else {
            return Completion::default();
        };
        if !output.status.success() {
            return Completion::default();
        }
        let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
        text.push_str(&String::from_utf8_lossy(&output.stderr));
        let mut candidates: Vec<String> = text
            .split('\n')
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        let mut directive = DIRECTIVE_DEFAULT;
        if let Some(last) = candidates.last()
            && last.len() > 1
            && let Some(n) = last.strip_prefix(':').and_then(|d| d.parse::<i32>().ok())
        {
            directive = n;
            candidates.pop();
        }
        Completion {
            candidates,
            directive,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_pair_shorts_with_longs() {
        let spec = CompletionSpec {
            flags: vec!["a".into(), "all".into(), "b".into()],
            ..CompletionSpec::default()
        };
        assert_eq!(flag_candidates(&spec, "--"), vec!["--all", "--b"]);
        assert_eq!(
            flag_candidates(&spec, "-"),
            vec!["--all", "--b", "-a", "-b"]
        );
    }

    #[test]
    fn parses_json_style_keys_case_insensitively() {
        let v = rudder_yaml::from_yaml("name: x\nValidArgs: [a, b]\ncommands:\n- name: sub\n")
            .unwrap_or(Value::Nil);
        let spec = spec_of(&v, 0);
        assert_eq!(
            spec.map(|s| (s.valid_args, s.commands.map(|c| c.len()))),
            Some((vec!["a".to_owned(), "b".to_owned()], Some(1)))
        );
    }
}
