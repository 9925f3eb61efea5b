//! Git sources, from local repositories (`file://` URLs; a path that
//! exists would be a development-mode directory install, as in Helm).

use rudder_plugin_install::{InstallError, InstallRecord, SourceKind, VerifyPlan};

use crate::util::{Env, Must, data, git, git_bump, git_plugin_repo};

const HOOKS: &str = "hooks:\n  install: \"echo '# changed by the install hook' >> $HELM_PLUGIN_DIR/plugin.yaml\"\n  update: \"echo '# changed by the update hook' >> $HELM_PLUGIN_DIR/plugin.yaml\"\n";

fn install(env: &Env, url: &str, version: &str) -> Result<rudder_plugin::Plugin, InstallError> {
    let m = env.manager();
    let mut inst = m.installer_for(url, version)?;
    assert_eq!(inst.kind(), SourceKind::Git);
    // VCS sources cannot be verified.
    assert!(matches!(
        m.plan(inst.as_ref(), true),
        Err(InstallError::VerifyUnsupported)
    ));
    let mut installed = m.install(inst.as_mut(), VerifyPlan::Skip, &data("keys/pub.gpg"))?;
    m.run_install_hook(&mut installed)?;
    Ok(installed.plugin)
}

#[test]
fn clone_with_version_constraint_and_update_within_it() {
    let env = Env::new();
    let repo = env.path("repos/helm-greet");
    let url = git_plugin_repo(&repo, "greet", "1.0.0", "");
    git_bump(&repo, "greet", "1.1.0", "");
    git_bump(&repo, "greet", "2.0.0", "");
    let p = install(&env, &url, "^1.0.0").must("install");
    assert_eq!(p.metadata().version, "1.1.0");
    assert_eq!(p.dir(), env.plugins().join("helm-greet"));
    assert!(
        env.plugins().join("helm-greet/.git").exists(),
        ".git copied"
    );
    assert!(
        env.path("cache/plugins")
            .join(rudder_plugin_install::cache_key(&url))
            .join(".git")
            .exists(),
        "cached clone"
    );
    let rec = InstallRecord::load(p.dir()).must("record");
    assert_eq!(
        rec.map(|r| (r.kind, r.version)),
        Some((SourceKind::Git, "^1.0.0".to_owned()))
    );

    // A new 1.x release: update follows the recorded constraint.
    git_bump(&repo, "greet", "1.2.0", "");
    let m = env.manager();
    let updated = m.update(&p, &Default::default()).must("update");
    assert_eq!(updated.plugin.metadata().version, "1.2.0");

    // A constraint nothing satisfies.
    let env2 = Env::new();
    let err = install(&env2, &url, "^3.0.0").err().map(|e| e.to_string());
    assert_eq!(
        err,
        Some(format!(
            "requested version \"^3.0.0\" does not exist for plugin \"{url}\""
        ))
    );
    assert_eq!(env2.plugin_entries(), Vec::<String>::new());
    // A tag name is a ref: checked out as is.
    let env3 = Env::new();
    let p3 = install(&env3, &url, "v2.0.0").must("install tag");
    assert_eq!(p3.metadata().version, "2.0.0");
}

#[test]
fn branch_install_updates_with_pull() {
    let env = Env::new();
    let repo = env.path("repos/helm-greet");
    let url = git_plugin_repo(&repo, "greet", "1.0.0", "");
    let p = install(&env, &url, "").must("install");
    assert_eq!(p.metadata().version, "1.0.0");
    git_bump(&repo, "greet", "1.0.1", "");
    let m = env.manager();
    let u = m.update(&p, &Default::default()).must("update");
    assert_eq!(u.plugin.metadata().version, "1.0.1");
    // A repository without plugin.yaml.
    let bare = env.path("repos/empty");
    std::fs::create_dir_all(&bare).must("mkdir");
    std::fs::write(bare.join("README"), "x").must("write");
    git(&bare, &["init", "--quiet"]);
    git(&bare, &["add", "-A"]);
    git(&bare, &["commit", "--quiet", "-m", "x"]);
    let err = install(&env, &format!("file://{}", bare.display()), "")
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some("plugin metadata (plugin.yaml) missing")
    );
    // A repository that does not exist: git's message, nothing written.
    let err = install(
        &env,
        &format!("file://{}", env.path("nowhere").display()),
        "",
    )
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(
        err.starts_with("Unable to get repository: exit status 128"),
        "{err}"
    );
    assert_eq!(
        env.plugin_entries(),
        vec![".rudder/helm-greet.json", "helm-greet"]
    );
}

#[test]
fn changes_made_by_hooks_do_not_block_updates_but_user_changes_do() {
    let env = Env::new();
    let repo = env.path("repos/helm-hooky");
    let url = git_plugin_repo(&repo, "hooky", "1.0.0", HOOKS);
    let p = install(&env, &url, "").must("install");
    let dir = p.dir().to_path_buf();
    let yaml = std::fs::read_to_string(dir.join("plugin.yaml")).must("read");
    assert!(yaml.ends_with("# changed by the install hook\n"), "{yaml}");
    let rec = InstallRecord::load(&dir)
        .must("record")
        .unwrap_or_else(|| panic!("no record"));
    assert!(rec.hook_diff_sha256.is_some());
    assert_eq!(rec.hook_diff_paths, vec!["plugin.yaml"]);

    // Helm refuses this update (helm#31664); rudder knows the change is
    // the hook's own.
    git_bump(&repo, "hooky", "1.1.0", HOOKS);
    let m = env.manager();
    let u = m.update(&p, &Default::default()).must("update");
    assert_eq!(u.plugin.metadata().version, "1.1.0");
    let yaml = std::fs::read_to_string(dir.join("plugin.yaml")).must("read");
    assert!(yaml.ends_with("# changed by the update hook\n"), "{yaml}");

    // A user edit on top of the hook's change blocks the update.
    std::fs::write(dir.join("plugin.yaml"), format!("{yaml}# mine\n")).must("edit");
    git_bump(&repo, "hooky", "1.2.0", HOOKS);
    let p = m.find("hooky").must("find");
    let err = m
        .update(&p, &Default::default())
        .err()
        .map(|e| e.to_string());
    assert_eq!(err.as_deref(), Some("plugin repo was modified"));
    assert!(
        std::fs::read_to_string(dir.join("plugin.yaml"))
            .must("read")
            .ends_with("# mine\n"),
        "the user's edit is kept"
    );
    // So does any change without a record (a Helm install): Helm's rule.
    std::fs::write(dir.join("plugin.yaml"), &yaml).must("restore");
    rudder_plugin_install::record::remove_record(&dir);
    let err = m
        .update(&p, &Default::default())
        .err()
        .map(|e| e.to_string());
    assert_eq!(err.as_deref(), Some("plugin repo was modified"));
    // Once clean, a record-less checkout updates the Helm way.
    git(&dir, &["checkout", "--quiet", "--", "plugin.yaml"]);
    let u = m.update(&p, &Default::default()).must("update");
    assert_eq!(u.plugin.metadata().version, "1.2.0");
}
