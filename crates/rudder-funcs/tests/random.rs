//! Sprig's random functions: the oracle's golden edge cases
//! (`tests/data/random.json`: empty and negative counts, allocation
//! limits, empty ranges, type errors) and statistical shape checks of the
//! output (lengths, alphabets, full coverage of each alphabet, ranges,
//! UUID layout, permutations).

mod date_harness;

use std::collections::BTreeSet;

use date_harness::{ok, run_golden};

#[test]
fn golden_cases() {
    assert!(run_golden("random.json") >= 30);
}

/// Draw `n` characters with `func` and return the set seen.
fn alphabet_seen(func: &str, n: usize) -> BTreeSet<char> {
    let s = ok(&format!("{{{{ {func} {n} }}}}"));
    assert_eq!(s.chars().count(), n, "{func}");
    s.chars().collect()
}

#[test]
fn random_strings_cover_exactly_their_alphabets() {
    let digits: BTreeSet<char> = ('0'..='9').collect();
    let letters: BTreeSet<char> = ('a'..='z').chain('A'..='Z').collect();
    let alnum: BTreeSet<char> = letters.union(&digits).copied().collect();
    let ascii: BTreeSet<char> = (' '..='~').collect();
    // With these sizes a missing symbol has probability below 1e-20.
    assert_eq!(alphabet_seen("randNumeric", 1000), digits);
    assert_eq!(alphabet_seen("randAlpha", 4000), letters);
    assert_eq!(alphabet_seen("randAlphaNum", 4000), alnum);
    assert_eq!(alphabet_seen("randAscii", 8000), ascii);
    assert_ne!(ok("{{ randAlphaNum 32 }}"), ok("{{ randAlphaNum 32 }}"));
}

#[test]
fn rand_int_is_half_open() {
    let seen: BTreeSet<i64> = ok("{{ range until 400 }}{{ randInt -2 3 }} {{ end }}")
        .split_whitespace()
        .map(|s| s.parse().unwrap_or(99))
        .collect();
    assert_eq!(seen, (-2..3).collect());
    assert_eq!(ok("{{ randInt 7 8 }}"), "7");
    assert_eq!(ok("{{ typeOf (randInt 0 10) }}"), "int");
}

#[test]
fn rand_bytes_are_base64() {
    for n in [0usize, 1, 2, 3, 31, 64] {
        let s = ok(&format!("{{{{ randBytes {n} }}}}"));
        assert_eq!(s.len(), n.div_ceil(3) * 4);
        let body = s.trim_end_matches('=');
        assert_eq!(s.len() - body.len(), (3 - n % 3) % 3, "padding of {s}");
        assert!(
            body.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'+' || c == b'/')
        );
    }
}

#[test]
fn uuids_are_version_4_and_distinct() {
    let re =
        regex::Regex::new("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
            .unwrap_or_else(|e| panic!("{e}"));
    let all: BTreeSet<String> = ok("{{ range until 200 }}{{ uuidv4 }} {{ end }}")
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    assert_eq!(all.len(), 200);
    assert!(all.iter().all(|u| re.is_match(u)), "{all:?}");
    // Both variant nibbles 8, 9, a, b occur.
    let variants: BTreeSet<char> = all.iter().filter_map(|u| u.chars().nth(19)).collect();
    assert_eq!(variants.len(), 4);
}

#[test]
fn shuffle_permutes_runes() {
    let input = "héllo wörld ✓ 12345";
    let mut want: Vec<char> = input.chars().collect();
    want.sort_unstable();
    let mut changed = false;
    for _ in 0..20 {
        let out = ok(&format!("{{{{ shuffle {input:?} }}}}"));
        let mut got: Vec<char> = out.chars().collect();
        got.sort_unstable();
        assert_eq!(got, want);
        changed |= out != input;
    }
    assert!(changed);
}
