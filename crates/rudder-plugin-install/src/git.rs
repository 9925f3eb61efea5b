//! Git through the `git` command, the way Helm drives it through
//! Masterminds/vcs: `clone --recursive`, `fetch --tags`, `pull`,
//! `checkout <ref>`, the submodule "defence" (`submodule update`, `clean
//! -xdff`), dirtiness as a non-empty `git diff`, and `--version` solved as
//! a ref or else as a SemVer constraint over the tags.
//!
//! Only git is supported (Helm also drives hg, bzr and svn). Commands run
//! with `GIT_TERMINAL_PROMPT=0`, so a repository that needs credentials
//! fails instead of waiting for input, and with their output captured:
//! git's message becomes the error text.

use std::path::Path;
use std::process::{Command, Stdio};

use rudder_chart::semver::{Constraints, Version};

use crate::error::InstallError;

/// Run git in `dir` (or the current directory); stdout on success, git's
/// message on failure.
fn run(dir: Option<&Path>, args: &[&str]) -> Result<Vec<u8>, String> {
    let mut cmd = Command::new("git");
    if let Some(d) = dir {
        cmd.arg("-C").arg(d);
    }
    cmd.args(["-c", "advice.detachedHead=false"])
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(Stdio::null());
    let out = cmd.output().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            "git is not installed (rudder needs the git command for git plugin sources)".to_owned()
        } else {
            format!("running git: {e}")
        }
    })?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        let msg = String::from_utf8_lossy(&out.stderr).trim().to_owned();
        let code = out
            .status
            .code()
            .map_or_else(|| "signal".to_owned(), |c| c.to_string());
        Err(if msg.is_empty() {
            format!("exit status {code}")
        } else {
            format!("exit status {code}: {msg}")
        })
    }
}

fn git_err(action: &str) -> impl Fn(String) -> InstallError + '_ {
    move |detail| InstallError::Git {
        action: action.to_owned(),
        detail,
    }
}

/// Refuse refs that git would read as options.
fn safe_ref(r: &str) -> bool {
    !r.is_empty() && !r.starts_with('-')
}

/// `git clone --recursive -- REMOTE DEST`.
pub(crate) fn clone(remote: &str, dest: &Path) -> Result<(), InstallError> {
    let dest_s = dest.to_string_lossy();
    run(None, &["clone", "--recursive", "--", remote, &dest_s])
        .map(|_| ())
        .map_err(git_err("Unable to get repository"))
}

/// `git fetch --tags origin`.
pub(crate) fn fetch(dir: &Path) -> Result<(), InstallError> {
    run(Some(dir), &["fetch", "--tags", "--force", "--", "origin"])
        .map(|_| ())
        .map_err(git_err("Unable to update repository"))
}

/// Whether HEAD is detached (a tag or commit is checked out).
pub(crate) fn is_detached(dir: &Path) -> Result<bool, InstallError> {
    let out = run(Some(dir), &["rev-parse", "--abbrev-ref", "HEAD"])
        .map_err(git_err("Unable to update repository"))?;
    Ok(String::from_utf8_lossy(&out).trim() == "HEAD")
}

/// `git pull --ff-only` (a plugin checkout has no commits of its own; a
/// merge commit would only hide a diverged history).
pub(crate) fn pull(dir: &Path) -> Result<(), InstallError> {
    run(Some(dir), &["pull", "--ff-only"])
        .map(|_| ())
        .map_err(git_err("Unable to update repository"))
}

/// Masterminds' `IsReference`: `rev-parse --verify` or `show-ref` knows it.
pub(crate) fn is_reference(dir: &Path, r: &str) -> bool {
    safe_ref(r)
        && (run(Some(dir), &["rev-parse", "--verify", "--quiet", r]).is_ok()
            || run(Some(dir), &["show-ref", r]).is_ok())
}

/// `git checkout REF`, then the submodule defence.
pub(crate) fn checkout(dir: &Path, r: &str) -> Result<(), InstallError> {
    if !safe_ref(r) {
        return Err(InstallError::Git {
            action: "Unable to update checked out version".to_owned(),
            detail: format!("invalid reference {r:?}"),
        });
    }
    run(Some(dir), &["checkout", "--quiet", r, "--"])
        .map_err(git_err("Unable to update checked out version"))?;
    defend_against_submodules(dir)
}

/// Masterminds' `defendAgainstSubmodules`: bring submodules in line and
/// remove everything untracked or ignored (as Helm does after every
/// update: files an install hook downloaded are gone until the update
/// hook fetches them again).
pub(crate) fn defend_against_submodules(dir: &Path) -> Result<(), InstallError> {
    let err = git_err("Unexpected error while defensively updating submodules");
    run(Some(dir), &["submodule", "update", "--init", "--recursive"]).map_err(&err)?;
    run(Some(dir), &["clean", "-x", "-d", "-f", "-f"]).map_err(&err)?;
    run(
        Some(dir),
        &[
            "submodule",
            "foreach",
            "--recursive",
            "git clean -x -d -f -f",
        ],
    )
    .map_err(&err)?;
    Ok(())
}

/// The unstaged changes to tracked files (`git diff`; Helm's dirtiness),
/// in a form stable enough to hash. External diff drivers are off so the
/// output only depends on the files.
pub(crate) fn diff(dir: &Path) -> Result<Vec<u8>, InstallError> {
    run(
        Some(dir),
        &[
            "diff",
            "--no-ext-diff",
            "--no-textconv",
            "--no-color",
            "--binary",
        ],
    )
    .map_err(git_err("Unable to inspect repository"))
}

/// The tracked files with unstaged changes.
pub(crate) fn changed_paths(dir: &Path) -> Result<Vec<String>, InstallError> {
    let out = run(Some(dir), &["diff", "--name-only", "-z", "--no-ext-diff"])
        .map_err(git_err("Unable to inspect repository"))?;
    Ok(out
        .split(|b| *b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect())
}

/// Put tracked `paths` back to their committed content.
pub(crate) fn restore(dir: &Path, paths: &[String]) -> Result<(), InstallError> {
    if paths.is_empty() {
        return Ok(());
    }
    let mut args = vec!["checkout", "--quiet", "--"];
    args.extend(paths.iter().map(String::as_str));
    run(Some(dir), &args).map(|_| ()).map_err(git_err(
        "Unable to reset changes made by the plugin's hooks",
    ))
}

/// The tags of the repository (`git show-ref`, `refs/tags/<name>` lines).
fn tags(dir: &Path) -> Result<Vec<String>, InstallError> {
    let out = match run(Some(dir), &["show-ref"]) {
        Ok(o) => o,
        // No refs at all: show-ref exits 1 with no output.
        Err(e) if e.starts_with("exit status 1") && !e.contains(':') => Vec::new(),
        Err(e) => return Err(git_err("Unable to retrieve tags")(e)),
    };
    Ok(String::from_utf8_lossy(&out)
        .lines()
        .filter_map(|l| l.split_once(" refs/tags/").map(|(_, t)| t.to_owned()))
        .collect())
}

/// Helm's `solveVersion`: nothing for an empty version, the version itself
/// when it names a ref, else the highest tag satisfying it as a SemVer
/// constraint.
pub(crate) fn solve_version(
    dir: &Path,
    version: &str,
    remote: &str,
) -> Result<Option<String>, InstallError> {
    if version.is_empty() {
        return Ok(None);
    }
    if is_reference(dir, version) {
        return Ok(Some(version.to_owned()));
    }
    let constraint =
        Constraints::parse(version).map_err(|e| InstallError::Constraint(e.to_string()))?;
    let mut versions: Vec<Version> = tags(dir)?
        .iter()
        .filter_map(|t| Version::parse(t).ok())
        .collect();
    versions.sort_by(|a, b| b.compare(a));
    versions
        .into_iter()
        .find(|v| constraint.check(v))
        .map(|v| Some(v.original().to_owned()))
        .ok_or_else(|| InstallError::VersionNotFound {
            version: version.to_owned(),
            remote: remote.to_owned(),
        })
}

/// Whether `dir` is the top of a git working tree (Masterminds'
/// detection: a `.git` entry).
pub(crate) fn is_repo(dir: &Path) -> bool {
    std::fs::symlink_metadata(dir.join(".git")).is_ok()
}
