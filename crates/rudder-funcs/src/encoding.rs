//! Sprig's encodings and hashes: `b64enc`/`b64dec`, `b32enc`/`b32dec`
//! (Go's `StdEncoding`s, whose decoders Sprig lets return their error text
//! as the result, so the error offsets must match Go's), and `sha1sum`,
//! `sha256sum`, `sha512sum`, `adler32sum`.

use rudder_template::FuncMap;
use rudder_value::Value;
use sha1::Digest;

use crate::util::{S, def, from_bytes, sig};

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

pub(crate) fn register(m: &mut FuncMap) {
    str_fn(m, "b64enc", |s| b64_encode(s.as_bytes()));
    str_fn(m, "b64dec", |s| match b64_decode(s.as_bytes()) {
        Ok(b) => from_bytes(&b),
        Err(at) => format!("illegal base64 data at input byte {at}"),
    });
    str_fn(m, "b32enc", |s| b32_encode(s.as_bytes()));
    str_fn(m, "b32dec", |s| match b32_decode(s.as_bytes()) {
        Ok(b) => from_bytes(&b),
        Err(at) => format!("illegal base32 data at input byte {at}"),
    });
    str_fn(m, "sha1sum", |s| hex(&sha1::Sha1::digest(s.as_bytes())));
    str_fn(m, "sha256sum", |s| hex(&sha2::Sha256::digest(s.as_bytes())));
    str_fn(m, "sha512sum", |s| hex(&sha2::Sha512::digest(s.as_bytes())));
    str_fn(m, "adler32sum", |s| adler32(s.as_bytes()).to_string());
}

fn str_fn(m: &mut FuncMap, name: &str, f: fn(&str) -> String) {
    def(m, name, sig(&[S]), move |mut a| {
        Ok(Value::string(f(&a.str()?)))
    });
}

fn hex(b: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(b.len() * 2);
    for x in b {
        let _ = write!(s, "{x:02x}");
    }
    s
}

/// Go's `hash/adler32`.
pub(crate) fn adler32(b: &[u8]) -> u32 {
    const MOD: u32 = 65521;
    let (mut a, mut s) = (1u32, 0u32);
    for chunk in b.chunks(5552) {
        for &x in chunk {
            a += u32::from(x);
            s += a;
        }
        a %= MOD;
        s %= MOD;
    }
    (s << 16) | a
}

pub(crate) fn b64_encode(b: &[u8]) -> String {
    let mut out = String::with_capacity(b.len().div_ceil(3) * 4);
    for chunk in b.chunks(3) {
        let v = (u32::from(chunk[0]) << 16)
            | (u32::from(chunk.get(1).copied().unwrap_or(0)) << 8)
            | u32::from(chunk.get(2).copied().unwrap_or(0));
        let n = chunk.len() + 1;
        for k in 0..4 {
            if k < n {
                out.push(B64[((v >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn b64_value(c: u8) -> Option<u8> {
    B64.iter().position(|&x| x == c).map(|p| p as u8)
}

/// Go's `base64.StdEncoding.DecodeString`; the error is the offset Go's
/// `CorruptInputError` reports.
pub(crate) fn b64_decode(s: &[u8]) -> Result<Vec<u8>, usize> {
    let len = s.len();
    let mut out = Vec::with_capacity(len / 4 * 3);
    let mut si = 0;
    let skip_newlines = |mut i: usize| {
        while i < len && (s[i] == b'\n' || s[i] == b'\r') {
            i += 1;
        }
        i
    };
    while si < len {
        let mut dbuf = [0u8; 4];
        let mut dlen = 4;
        let mut j = 0;
        let mut trailing = None;
        while j < 4 {
            if si == len {
                if j == 0 {
                    return Ok(out);
                }
                return Err(si - j);
            }
            let c = s[si];
            si += 1;
            if let Some(v) = b64_value(c) {
                dbuf[j] = v;
                j += 1;
                continue;
            }
            if c == b'\n' || c == b'\r' {
                continue;
            }
            if c != b'=' {
                return Err(si - 1);
            }
            match j {
                0 | 1 => return Err(si - 1),
                2 => {
                    si = skip_newlines(si);
                    if si == len {
                        return Err(len);
                    }
                    if s[si] != b'=' {
                        return Err(si - 1);
                    }
                    si += 1;
                }
                _ => {}
            }
            si = skip_newlines(si);
            if si < len {
                trailing = Some(si);
            }
            dlen = j;
            break;
        }
        let v = (u32::from(dbuf[0]) << 18)
            | (u32::from(dbuf[1]) << 12)
            | (u32::from(dbuf[2]) << 6)
            | u32::from(dbuf[3]);
        let bytes = [(v >> 16) as u8, (v >> 8) as u8, v as u8];
        out.extend_from_slice(&bytes[..dlen - 1]);
        if let Some(at) = trailing {
            return Err(at);
        }
    }
    Ok(out)
}

pub(crate) fn b32_encode(b: &[u8]) -> String {
    let mut out = String::with_capacity(b.len().div_ceil(5) * 8);
    for chunk in b.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let v = buf.iter().fold(0u64, |acc, &x| (acc << 8) | u64::from(x));
        let used = match chunk.len() {
            1 => 2,
            2 => 4,
            3 => 5,
            4 => 7,
            _ => 8,
        };
        for k in 0..8 {
            if k < used {
                out.push(B32[((v >> (35 - 5 * k)) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Go's `base32.StdEncoding.DecodeString` (newlines are removed first, so
/// error offsets count the remaining bytes).
pub(crate) fn b32_decode(s: &[u8]) -> Result<Vec<u8>, usize> {
    let src: Vec<u8> = s
        .iter()
        .copied()
        .filter(|&c| c != b'\n' && c != b'\r')
        .collect();
    let olen = src.len();
    let mut out = Vec::with_capacity(olen / 8 * 5);
    let mut pos = 0;
    let mut end = false;
    while pos < olen && !end {
        let mut dbuf = [0u8; 8];
        let mut dlen = 8;
        let mut j = 0;
        while j < 8 {
            if pos == olen {
                return Err(pos - j);
            }
            let c = src[pos];
            pos += 1;
            let remaining = olen - pos;
            if c == b'=' && j >= 2 && remaining < 8 {
                if remaining + j < 7 {
                    return Err(olen);
                }
                for k in 0..(7 - j) {
                    if remaining > k && src[pos + k] != b'=' {
                        return Err(pos + k - 1);
                    }
                }
                dlen = j;
                end = true;
                if matches!(dlen, 1 | 3 | 6) {
                    return Err(pos - 1);
                }
                break;
            }
            match B32.iter().position(|&x| x == c) {
                Some(v) => dbuf[j] = v as u8,
                None => return Err(pos - 1),
            }
            j += 1;
        }
        let v = dbuf.iter().fold(0u64, |acc, &x| (acc << 5) | u64::from(x));
        let bytes = [
            (v >> 32) as u8,
            (v >> 24) as u8,
            (v >> 16) as u8,
            (v >> 8) as u8,
            v as u8,
        ];
        let n = match dlen {
            2 => 1,
            4 => 2,
            5 => 3,
            7 => 4,
            _ => 5,
        };
        out.extend_from_slice(&bytes[..n]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trip_and_errors() {
        assert_eq!(b64_encode(b"hello"), "aGVsbG8=");
        assert_eq!(b64_decode(b"aGVsbG8="), Ok(b"hello".to_vec()));
        assert_eq!(b64_decode(b"aGVs\nbG8="), Ok(b"hello".to_vec()));
        assert_eq!(b64_decode(b"aGVsbG8"), Err(4));
        assert_eq!(b64_decode(b"a!"), Err(1));
        assert_eq!(b64_decode(b""), Ok(vec![]));
    }

    #[test]
    fn base32_round_trip_and_errors() {
        assert_eq!(b32_encode(b"hello"), "NBSWY3DP");
        assert_eq!(b32_encode(b"a"), "ME======");
        assert_eq!(b32_decode(b"NBSWY3DP"), Ok(b"hello".to_vec()));
        assert_eq!(b32_decode(b"ME======"), Ok(b"a".to_vec()));
        assert!(b32_decode(b"ME").is_err());
    }

    #[test]
    fn checksums() {
        assert_eq!(adler32(b"hello"), 103_547_413);
        assert_eq!(
            hex(&sha1::Sha1::digest(b"")),
            "da39a3ee5e6b4b0d3255bfef95601890afd80709"
        );
    }
}
