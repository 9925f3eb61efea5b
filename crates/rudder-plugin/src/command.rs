//! Turning a plugin's `platformCommand` list into an argv, as Helm does:
//! platform selection by Go's `GOOS`/`GOARCH` names, splitting the command
//! on single spaces, and Go `os.Expand` of `$VARS` against the plugin's
//! environment (not the process environment).

use std::collections::BTreeMap;

use crate::metadata::PlatformCommand;

/// Go's `runtime.GOOS` for the running system.
pub fn go_os() -> &'static str {
    match std::env::consts::OS {
        "macos" => "darwin",
        other => other,
    }
}

/// Go's `runtime.GOARCH` for the running system.
pub fn go_arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        "powerpc64" if cfg!(target_endian = "little") => "ppc64le",
        "powerpc64" => "ppc64",
        "loongarch64" => "loong64",
        "mips64" if cfg!(target_endian = "little") => "mips64le",
        "mips" if cfg!(target_endian = "little") => "mipsle",
        "sparc64" => "sparc64",
        other => other,
    }
}

/// Helm's `getPlatformCommand` for a given OS and architecture: the first
/// exact `os`+`arch` match wins at once; otherwise the first entry for this
/// OS without an `arch`, else the first entry with neither. Entries with a
/// non-matching `arch` are skipped even without an `os` (Helm's comments
/// promise an arch-only priority that its code does not implement).
/// Returns the command split on single spaces, and the entry's args.
pub fn select_platform_command<'a>(
    cmds: &'a [PlatformCommand],
    os: &str,
    arch: &str,
) -> Option<(Vec<&'a str>, &'a [String])> {
    let mut chosen: Option<&PlatformCommand> = None;
    let mut found_os = false;
    for c in cmds {
        if c.os.eq_ignore_ascii_case(os) && c.arch.eq_ignore_ascii_case(arch) {
            chosen = Some(c);
            break;
        }
        if (!c.os.is_empty() && !c.os.eq_ignore_ascii_case(os)) || !c.arch.is_empty() {
            continue;
        }
        if !found_os && !c.os.is_empty() && c.os.eq_ignore_ascii_case(os) {
            chosen = Some(c);
            found_os = true;
        } else if chosen.is_none() {
            chosen = Some(c);
        }
    }
    chosen.map(|c| (c.command.split(' ').collect(), c.args.as_slice()))
}

/// A command that could not be prepared.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PrepareError {
    /// No entry fits this platform, or its command is empty.
    #[error("no plugin command is applicable")]
    NotApplicable,
}

/// Helm's `PrepareCommands` for this platform: the executable (always
/// expanded), then the command's other words and the entry's `args`
/// (expanded when `expand_args`), then `extra` unchanged.
pub fn prepare_command(
    cmds: &[PlatformCommand],
    expand_args: bool,
    extra: &[String],
    env: &BTreeMap<String, String>,
) -> Result<(String, Vec<String>), PrepareError> {
    prepare_command_for(cmds, go_os(), go_arch(), expand_args, extra, env)
}

/// [`prepare_command`] for an explicit platform.
pub fn prepare_command_for(
    cmds: &[PlatformCommand],
    os: &str,
    arch: &str,
    expand_args: bool,
    extra: &[String],
    env: &BTreeMap<String, String>,
) -> Result<(String, Vec<String>), PrepareError> {
    let (parts, args) =
        select_platform_command(cmds, os, arch).ok_or(PrepareError::NotApplicable)?;
    let Some((main, rest)) = parts.split_first().filter(|(m, _)| !m.is_empty()) else {
        return Err(PrepareError::NotApplicable);
    };
    let lookup = |k: &str| env.get(k).cloned().unwrap_or_default();
    let main = os_expand(main, lookup);
    let mut argv: Vec<String> = Vec::with_capacity(rest.len() + args.len() + extra.len());
    for p in rest {
        argv.push(if expand_args {
            os_expand(p, lookup)
        } else {
            (*p).to_owned()
        });
    }
    for a in args {
        argv.push(if expand_args {
            os_expand(a, lookup)
        } else {
            a.clone()
        });
    }
    argv.extend(extra.iter().cloned());
    Ok((main, argv))
}

fn is_shell_special(c: u8) -> bool {
    matches!(
        c,
        b'*' | b'#' | b'$' | b'@' | b'!' | b'?' | b'-' | b'0'..=b'9'
    )
}

fn is_alnum(c: u8) -> bool {
    c == b'_' || c.is_ascii_alphanumeric()
}

/// Go's `getShellName`: the variable name after a `$` and how many bytes
/// it spans. An empty name with a non-zero width is bad syntax to drop.
fn shell_name(s: &str) -> (&str, usize) {
    let b = s.as_bytes();
    if b[0] == b'{' {
        if b.len() > 2 && is_shell_special(b[1]) && b[2] == b'}' {
            return (&s[1..2], 3);
        }
        for i in 1..b.len() {
            if b[i] == b'}' {
                if i == 1 {
                    return ("", 2);
                }
                return (&s[1..i], i + 1);
            }
        }
        return ("", 1);
    }
    if is_shell_special(b[0]) {
        return (&s[..1], 1);
    }
    let n = b.iter().take_while(|c| is_alnum(**c)).count();
    (&s[..n], n)
}

/// Go's `os.Expand`: `$NAME` and `${NAME}` replaced by `mapping(NAME)`.
pub fn os_expand(s: &str, mapping: impl Fn(&str) -> String) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let mut j = 0;
    while j < b.len() {
        if b[j] == b'$' && j + 1 < b.len() {
            out.push_str(&s[i..j]);
            let (name, w) = shell_name(&s[j + 1..]);
            if name.is_empty() && w > 0 {
                // Bad syntax: the characters are dropped.
            } else if name.is_empty() {
                out.push('$');
            } else {
                out.push_str(&mapping(name));
            }
            j += w;
            i = j + 1;
        }
        j += 1;
    }
    out.push_str(s.get(i..).unwrap_or(""));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn expand_like_go() {
        let e = env(&[("A", "x"), ("HOME", "/h"), ("a b", "sp"), ("1", "one")]);
        let m = |k: &str| e.get(k).cloned().unwrap_or_default();
        let cases = [
            ("$A", "x"),
            ("${A}", "x"),
            ("$A$A", "xx"),
            ("pre-$HOME/bin", "pre-/h/bin"),
            ("$UNSET.", "."),
            ("${a b}", "sp"),
            ("${}", ""),
            ("a${}b", "ab"),
            ("${A", "A"),
            ("x${", "x"),
            ("$", "$"),
            ("a$", "a$"),
            ("$-", ""),
            ("$1x", "onex"),
            ("${1}", "one"),
            ("$$", ""),
            ("100% $%", "100% $%"),
            ("é$Aé", "éxé"),
            ("$ A", "$ A"),
        ];
        for (input, want) in cases {
            assert_eq!(os_expand(input, m), want, "{input}");
        }
    }

    fn pc(os: &str, arch: &str, command: &str) -> PlatformCommand {
        PlatformCommand {
            os: os.into(),
            arch: arch.into(),
            command: command.into(),
            args: vec![],
        }
    }

    #[test]
    fn platform_selection_spec_case_8() {
        let cmds = [
            pc("linux", "amd64", "a"),
            pc("linux", "", "b"),
            pc("", "", "c"),
        ];
        let pick =
            |os, arch| select_platform_command(&cmds, os, arch).map(|(p, _)| p[0].to_owned());
        assert_eq!(pick("linux", "amd64").as_deref(), Some("a"));
        assert_eq!(pick("linux", "arm64").as_deref(), Some("b"));
        assert_eq!(pick("darwin", "arm64").as_deref(), Some("c"));
        let only_arch = [pc("", "arm64", "d")];
        assert_eq!(
            prepare_command_for(&only_arch, "linux", "arm64", true, &[], &env(&[])),
            Err(PrepareError::NotApplicable)
        );
        // Case-insensitive, and a later exact match beats an earlier OS match.
        let cmds = [pc("Linux", "", "os"), pc("LINUX", "ARM64", "exact")];
        assert_eq!(
            select_platform_command(&cmds, "linux", "arm64").map(|(p, _)| p[0]),
            Some("exact")
        );
    }

    #[test]
    fn prepare_splits_on_single_spaces_and_expands() {
        let cmds = [PlatformCommand {
            command: "$DIR/run.sh --x  y".into(),
            args: vec!["$A".into()],
            ..PlatformCommand::default()
        }];
        let e = env(&[("DIR", "/p"), ("A", "1")]);
        let extra = vec!["$A".to_owned()];
        assert_eq!(
            prepare_command_for(&cmds, "linux", "amd64", true, &extra, &e),
            Ok((
                "/p/run.sh".to_owned(),
                vec![
                    "--x".into(),
                    String::new(),
                    "y".into(),
                    "1".into(),
                    "$A".into()
                ]
            ))
        );
        assert_eq!(
            prepare_command_for(&cmds, "linux", "amd64", false, &[], &e),
            Ok((
                "/p/run.sh".to_owned(),
                vec!["--x".into(), String::new(), "y".into(), "$A".into()]
            ))
        );
        assert_eq!(
            prepare_command_for(&[pc("", "", "")], "linux", "amd64", true, &[], &e),
            Err(PrepareError::NotApplicable)
        );
    }
}
