//! Standard padded base64, as Go's `encoding/json` writes and reads `[]byte`
//! (`base64.StdEncoding`): the decoder requires padding, skips `\r` and
//! `\n`, tolerates non-zero trailing bits, and reports errors as
//! `illegal base64 data at input byte N` with Go's offsets.

use std::fmt;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Encode with the standard alphabet and `=` padding.
pub fn encode_base64(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let sextet = |shift: u32| char::from(ALPHABET[((n >> shift) & 63) as usize]);
        out.push(sextet(18));
        out.push(sextet(12));
        out.push(if chunk.len() > 1 { sextet(6) } else { '=' });
        out.push(if chunk.len() > 2 { sextet(0) } else { '=' });
    }
    out
}

/// Go's `base64.CorruptInputError`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CorruptInput(pub usize);

impl fmt::Display for CorruptInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "illegal base64 data at input byte {}", self.0)
    }
}

impl std::error::Error for CorruptInput {}

fn sextet(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

fn is_newline(c: u8) -> bool {
    c == b'\n' || c == b'\r'
}

/// Decode standard padded base64 with Go's `StdEncoding.Decode` rules.
pub fn decode_base64(src: &[u8]) -> Result<Vec<u8>, CorruptInput> {
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0;
    while si < src.len() {
        // One quantum of up to four symbols, following Go's decodeQuantum.
        let mut buf = [0u8; 4];
        let mut len = 4;
        let mut j = 0;
        let mut trailing_error = None;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                // Padding is mandatory, so a short final quantum is corrupt.
                return Err(CorruptInput(si - j));
            }
            let c = src[si];
            si += 1;
            if let Some(v) = sextet(c) {
                buf[j] = v;
                j += 1;
                continue;
            }
            if is_newline(c) {
                continue;
            }
            if c != b'=' {
                return Err(CorruptInput(si - 1));
            }
            match j {
                0 | 1 => return Err(CorruptInput(si - 1)),
                2 => {
                    while si < src.len() && is_newline(src[si]) {
                        si += 1;
                    }
                    if si == src.len() {
                        return Err(CorruptInput(src.len()));
                    }
                    if src[si] != b'=' {
                        return Err(CorruptInput(si - 1));
                    }
                    si += 1;
                }
                _ => {}
            }
            while si < src.len() && is_newline(src[si]) {
                si += 1;
            }
            if si < src.len() {
                trailing_error = Some(CorruptInput(si));
            }
            len = j;
            break;
        }
        let v = (u32::from(buf[0]) << 18)
            | (u32::from(buf[1]) << 12)
            | (u32::from(buf[2]) << 6)
            | u32::from(buf[3]);
        let bytes = [(v >> 16) as u8, (v >> 8) as u8, v as u8];
        match len {
            4 => out.extend_from_slice(&bytes),
            3 => out.extend_from_slice(&bytes[..2]),
            2 => out.push(bytes[0]),
            _ => {}
        }
        if let Some(e) = trailing_error {
            return Err(e);
        }
        if len < 4 {
            break;
        }
    }
    Ok(out)
}

/// serde `serialize_with` for `[]byte` fields.
pub(crate) fn serialize<S: serde::Serializer>(data: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&encode_base64(data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for data in [&b""[..], b"h", b"he", b"hel", b"hello", &[0, 255, 254, 1]] {
            assert_eq!(
                decode_base64(encode_base64(data).as_bytes()),
                Ok(data.to_vec())
            );
        }
        assert_eq!(encode_base64(b"hello"), "aGVsbG8=");
    }

    #[test]
    fn go_error_offsets() {
        // Unpadded input: Go reports the start of the short quantum.
        assert_eq!(decode_base64(b"aGVsbG8"), Err(CorruptInput(4)));
        assert_eq!(decode_base64(b"a"), Err(CorruptInput(0)));
        assert_eq!(decode_base64(b"aGVs*G8="), Err(CorruptInput(4)));
        assert_eq!(decode_base64(b"a==="), Err(CorruptInput(1)));
        assert_eq!(decode_base64(b"aG=x"), Err(CorruptInput(2)));
        assert_eq!(decode_base64(b"aG="), Err(CorruptInput(3)));
        assert_eq!(decode_base64(b"aGU=aGU="), Err(CorruptInput(4)));
        // URL-safe symbols are not standard base64.
        assert_eq!(decode_base64(b"a-_="), Err(CorruptInput(1)));
    }

    #[test]
    fn newlines_are_skipped() {
        assert_eq!(decode_base64(b"aGVs\nbG8=\r\n"), Ok(b"hello".to_vec()));
        assert_eq!(decode_base64(b"aG\n=\n="), Ok(b"h".to_vec()));
    }

    #[test]
    fn trailing_bits_are_tolerated() {
        // "aGW=" has non-zero bits after the last full byte; Go's
        // non-strict StdEncoding accepts it.
        assert_eq!(decode_base64(b"aGV="), Ok(b"he".to_vec()));
        assert_eq!(decode_base64(b"aGW="), Ok(b"he".to_vec()));
    }
}
