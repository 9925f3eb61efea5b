//! Sprig's random functions: `randAlphaNum`, `randAlpha`, `randNumeric`,
//! `randAscii` (goutils' crypto-random strings), `randBytes`, `randInt`,
//! `uuidv4` and `shuffle`.
//!
//! Their output cannot match Helm's byte for byte; what is reproduced is the
//! alphabet, the length, the distribution (uniform over the alphabet) and
//! the edge cases: a negative count gives `""` for the strings but a
//! `makeslice` error for `randBytes`, `randInt` with an empty range fails
//! like Go's `rand.Intn`. Randomness comes from the operating system
//! (`getrandom`), as Go's `crypto/rand` does; `randInt` and `shuffle` use
//! it too where Go uses `math/rand`, which is indistinguishable from a
//! template.

use rudder_template::{FuncError, FuncMap, Function};
use rudder_value::{GoType, IntKind, Signature, Value};

const INT: GoType = GoType::Int(IntKind::Int);

/// Go's allocation limit: a slice larger than this many bytes is a
/// `makeslice` panic rather than an allocation attempt.
const MAX_ALLOC: u64 = 1 << 48;

pub(crate) fn register(m: &mut FuncMap) {
    for (name, alphabet) in [
        ("randAlphaNum", ALPHANUMERIC),
        ("randAlpha", ALPHA),
        ("randNumeric", NUMERIC),
        ("randAscii", ASCII),
    ] {
        m.insert(
            name,
            Function::new(Signature::new(vec![INT]), move |_, args| {
                let count = int_arg(&args, 0);
                random_string(count, alphabet).map(Value::string)
            }),
        );
    }

    m.insert(
        "randBytes",
        Function::new(Signature::new(vec![INT]), |_, args| {
            let count = int_arg(&args, 0);
            let buf = make_slice(count, 1)?;
            let mut buf = vec![0u8; buf];
            fill(&mut buf)?;
            Ok(Value::string(crate::crypto::base64_encode(&buf)))
        }),
    );

    m.insert(
        "randInt",
        Function::new(Signature::new(vec![INT, INT]), |_, args| {
            let (min, max) = (int_arg(&args, 0), int_arg(&args, 1));
            let n = max.wrapping_sub(min);
            if n <= 0 {
                return Err(FuncError::new("invalid argument to Intn"));
            }
            let r = below(n as u64)? as i64;
            Ok(Value::int(r.wrapping_add(min)))
        }),
    );

    m.insert(
        "uuidv4",
        Function::new(Signature::new(vec![]), |_, _| {
            let mut b = [0u8; 16];
            fill(&mut b)?;
            Ok(Value::string(format_uuid_v4(b)))
        }),
    );

    m.insert(
        "shuffle",
        Function::new(Signature::new(vec![GoType::String]), |_, args| {
            let mut runes: Vec<char> = args
                .first()
                .and_then(Value::as_str)
                .unwrap_or("")
                .chars()
                .collect();
            // Fisher–Yates from the end, as xstrings.Shuffle does.
            for i in (1..runes.len()).rev() {
                let j = below(i as u64 + 1)? as usize;
                runes.swap(i, j);
            }
            Ok(Value::string(runes.into_iter().collect()))
        }),
    );
}

const ALPHANUMERIC: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const ALPHA: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const NUMERIC: &str = "0123456789";
/// Printable ASCII, space included: goutils draws from 32..127.
const ASCII: &str = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";

fn int_arg(args: &[Value], i: usize) -> i64 {
    args.get(i).and_then(Value::as_i64).unwrap_or(0)
}

/// The number of elements Go's `make([]T, count)` would allocate, or its
/// panic text. Allocation failure of a size Go would attempt is reported
/// the same way instead of aborting the process.
fn make_slice(count: i64, elem_size: u64) -> Result<usize, FuncError> {
    let err = || FuncError::new("runtime error: makeslice: len out of range");
    let n = u64::try_from(count).map_err(|_| err())?;
    if n.saturating_mul(elem_size) > MAX_ALLOC {
        return Err(err());
    }
    let n = usize::try_from(n).map_err(|_| err())?;
    let mut probe: Vec<u8> = Vec::new();
    probe
        .try_reserve_exact(n.saturating_mul(usize::try_from(elem_size).unwrap_or(1)))
        .map_err(|_| err())?;
    Ok(n)
}

/// goutils' `CryptoRandom` for one alphabet: `count` characters drawn
/// uniformly; a negative count is an error that Sprig discards (so `""`).
fn random_string(count: i64, alphabet: &str) -> Result<String, FuncError> {
    if count <= 0 {
        return Ok(String::new());
    }
    // goutils builds a []rune of this length first.
    let n = make_slice(count, 4)?;
    let chars = alphabet.as_bytes();
    // Random bytes, keeping those below the largest multiple of the
    // alphabet's size so every symbol is equally likely; one system call
    // per batch rather than per character.
    let size = chars.len().max(1);
    let limit = 256 - 256 % size;
    let mut out = String::with_capacity(n);
    let mut buf = [0u8; 256];
    while out.len() < n {
        fill(&mut buf)?;
        for &b in &buf {
            let b = usize::from(b);
            if b < limit {
                out.push(char::from(chars.get(b % size).copied().unwrap_or(b'a')));
                if out.len() == n {
                    break;
                }
            }
        }
    }
    Ok(out)
}

/// Fill `buf` from the operating system's random source.
pub(crate) fn fill(buf: &mut [u8]) -> Result<(), FuncError> {
    getrandom::fill(buf).map_err(|e| FuncError::new(format!("crypto/rand: {e}")))
}

/// A uniform random integer in `0..n` (`n > 0`), by rejection sampling.
pub(crate) fn below(n: u64) -> Result<u64, FuncError> {
    if n <= 1 {
        return Ok(0);
    }
    // The largest multiple of n that fits, so every residue is equally likely.
    let zone = u64::MAX - (u64::MAX % n + 1) % n;
    loop {
        let mut b = [0u8; 8];
        fill(&mut b)?;
        let v = u64::from_le_bytes(b);
        if v <= zone {
            return Ok(v % n);
        }
    }
}

/// A version-4 UUID in its lower-case hyphenated form.
fn format_uuid_v4(mut b: [u8; 16]) -> String {
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_bits() {
        let u = format_uuid_v4([0xff; 16]);
        assert_eq!(u, "ffffffff-ffff-4fff-bfff-ffffffffffff");
        let u = format_uuid_v4([0; 16]);
        assert_eq!(u, "00000000-0000-4000-8000-000000000000");
    }

    #[test]
    fn uniform_below() {
        for n in [1, 2, 3, 10, 62, u64::MAX] {
            for _ in 0..50 {
                let v = below(n).unwrap_or(u64::MAX);
                assert!(v < n.max(1));
            }
        }
    }

    #[test]
    fn slice_limits() {
        assert!(make_slice(-1, 1).is_err());
        assert!(make_slice(1 << 47, 4).is_err());
        assert_eq!(make_slice(3, 4).ok(), Some(3));
    }
}
