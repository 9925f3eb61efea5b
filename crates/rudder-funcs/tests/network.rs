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

#[test]
fn dns_lookups_with_enable_dns() {
    let funcs = std::sync::Arc::new(rudder_funcs::helm(rudder_funcs::HelmFuncOptions {
        enable_dns: true,
        ..Default::default()
    }));
    let r = |t: &str| date_harness::render_with(&funcs, t, None);
    // Literal addresses and /etc/hosts names resolve without the network.
    assert_eq!(
        r("{{ getHostByName \"127.0.0.1\" }}").as_deref(),
        Ok("127.0.0.1")
    );
    let local = r("{{ getHostByName \"localhost\" }}").unwrap_or_default();
    assert!(local == "127.0.0.1" || local == "::1", "{local}");
    let err = r("{{ getHostByName \"\" }}").err().unwrap_or_default();
    assert!(
        err.ends_with("error calling getHostByName: invalid argument to Intn"),
        "{err}"
    );
}

#[test]
fn every_function_of_these_groups_is_registered() {
    let m = rudder_funcs::sprig();
    for name in [
        "ago",
        "date",
        "date_in_zone",
        "date_modify",
        "dateInZone",
        "dateModify",
        "duration",
        "durationRound",
        "htmlDate",
        "htmlDateInZone",
        "must_date_modify",
        "mustDateModify",
        "mustToDate",
        "now",
        "toDate",
        "unixEpoch",
        "randAlphaNum",
        "randAlpha",
        "randAscii",
        "randNumeric",
        "shuffle",
        "randInt",
        "bcrypt",
        "htpasswd",
        "genPrivateKey",
        "derivePassword",
        "buildCustomCert",
        "genCA",
        "genCAWithKey",
        "genSelfSignedCert",
        "genSelfSignedCertWithKey",
        "genSignedCert",
        "genSignedCertWithKey",
        "encryptAES",
        "decryptAES",
        "randBytes",
        "uuidv4",
        "getHostByName",
        "urlParse",
        "urlJoin",
    ] {
        assert!(m.contains(name), "{name} missing");
    }
}
