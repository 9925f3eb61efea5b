//! Sprig's URL functions and `getHostByName` against the oracle
//! (`tests/data/network.json`: `urlParse` of many URL shapes and Go's
//! parse errors, `urlJoin` of assembled dicts and its type errors, and
//! `getHostByName` with DNS lookups disabled, as in `helm template`).

mod date_harness;

use date_harness::{ok, run_golden};

#[test]
fn golden_cases() {
    assert!(run_golden("network.json") >= 85);
}

#[test]
fn url_parse_and_join_round_trip() {
    for u in [
        "https://user:pw@example.com:8443/a%20b/c?x=1&y=2#frag%20ment",
        "mailto:someone@example.com?subject=hi",
        "postgres://db:5432/name?sslmode=disable",
        "http://[::1]:8080/metrics",
        "/relative/path?q",
    ] {
        assert_eq!(ok(&format!("{{{{ urlParse {u:?} | urlJoin }}}}")), u);
    }
}

#[test]
fn dns_lookups_are_off_in_helms_default_map() {
    assert_eq!(ok("{{ getHostByName \"localhost\" | quote }}"), "\"\"");
}
