//! `cli-hello`: a `cli/v1` plugin (`rudder hello [names...]`).
//!
//! Prints a greeting to WASI stdout (the host wires it to the terminal) and
//! reports the namespace from the WASI environment (`HELM_NAMESPACE`, which
//! the host grants to CLI plugins together with Helm's other settings).
//! `--fail` makes it exit with an error, to show how errors surface.

use rudder_pdk::{cli, Error};

rudder_pdk::cli!(hello);

#[allow(
    clippy::print_stdout,
    reason = "a CLI plugin talks to the user through WASI stdout"
)]
fn hello(input: cli::Input) -> Result<cli::Output, Error> {
    if input.extra_args.iter().any(|a| a == "--fail") {
        return Err("hello: asked to fail with --fail".into());
    }
    println!(
        "{}",
        greeting(&input.extra_args, std::env::var("HELM_NAMESPACE").ok())
    );
    Ok(cli::Output::default())
}

fn greeting(names: &[String], namespace: Option<String>) -> String {
    let who = if names.is_empty() {
        "world".to_owned()
    } else {
        names.join(" and ")
    };
    let ns = namespace.unwrap_or_else(|| "(HELM_NAMESPACE not set)".to_owned());
    format!("Hello, {who}! namespace: {ns}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greets() {
        assert_eq!(
            greeting(&[], None),
            "Hello, world! namespace: (HELM_NAMESPACE not set)"
        );
        assert_eq!(
            greeting(&["a".into(), "b".into()], Some("prod".into())),
            "Hello, a and b! namespace: prod"
        );
    }
}
