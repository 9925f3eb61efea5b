//! Go's `encoding/pem` and `encoding/base64` (standard alphabet, padded)
//! as Sprig's crypto functions see them: the same blocks found in the
//! same places, the same lenience (CR/LF inside base64, text around PEM
//! blocks) and the same `illegal base64 data at input byte N` offsets.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// `base64.StdEncoding.EncodeToString`.
pub(crate) fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let sym = |shift: u32| char::from(ALPHABET[((n >> shift) & 63) as usize]);
        out.push(sym(18));
        out.push(sym(12));
        out.push(if chunk.len() > 1 { sym(6) } else { '=' });
        out.push(if chunk.len() > 2 { sym(0) } else { '=' });
    }
    out
}

fn decode_symbol(c: u8) -> Option<u32> {
    Some(u32::from(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    }))
}

/// `base64.StdEncoding.DecodeString`: the bytes, or the offset Go's
/// `CorruptInputError` reports.
pub(crate) fn base64_decode(src: &[u8]) -> Result<Vec<u8>, usize> {
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0;
    let is_nl = |c: u8| c == b'\n' || c == b'\r';
    while si < src.len() {
        // One quantum of up to four symbols.
        let mut buf = [0u32; 4];
        let mut dlen = 4;
        let mut j = 0;
        let mut trailing_err = None;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                // Padding is required.
                return Err(si - j);
            }
            let c = src[si];
            si += 1;
            if let Some(v) = decode_symbol(c) {
                buf[j] = v;
                j += 1;
                continue;
            }
            if is_nl(c) {
                continue;
            }
            if c != b'=' {
                return Err(si - 1);
            }
            match j {
                0 | 1 => return Err(si - 1),
                2 => {
                    while si < src.len() && is_nl(src[si]) {
                        si += 1;
                    }
                    if si == src.len() {
                        return Err(src.len());
                    }
                    if src[si] != b'=' {
                        return Err(si - 1);
                    }
                    si += 1;
                }
                _ => {}
            }
            while si < src.len() && is_nl(src[si]) {
                si += 1;
            }
            if si < src.len() {
                trailing_err = Some(si);
            }
            dlen = j;
            break;
        }
        let val = (buf[0] << 18) | (buf[1] << 12) | (buf[2] << 6) | buf[3];
        let bytes = [(val >> 16) as u8, (val >> 8) as u8, val as u8];
        out.extend_from_slice(&bytes[..dlen - 1]);
        if let Some(e) = trailing_err {
            return Err(e);
        }
    }
    Ok(out)
}

/// `pem.EncodeToMemory` of a block without headers.
pub(crate) fn encode(kind: &str, der: &[u8]) -> String {
    let b64 = base64_encode(der);
    let mut out = String::with_capacity(b64.len() + b64.len() / 64 + 2 * kind.len() + 40);
    out.push_str("-----BEGIN ");
    out.push_str(kind);
    out.push_str("-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str("-----END ");
    out.push_str(kind);
    out.push_str("-----\n");
    out
}

/// A decoded PEM block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Block {
    pub(crate) kind: String,
    pub(crate) bytes: Vec<u8>,
}

/// The first line of `data` without its line ending and trailing spaces,
/// and what follows it.
fn get_line(data: &[u8]) -> (&[u8], &[u8]) {
    let (line, rest) = match data.iter().position(|&c| c == b'\n') {
        Some(i) => {
            let mut line = &data[..i];
            if line.last() == Some(&b'\r') {
                line = &line[..line.len() - 1];
            }
            (line, &data[i + 1..])
        }
        None => (data, &data[data.len()..]),
    };
    let trimmed = line.len()
        - line
            .iter()
            .rev()
            .take_while(|&&c| c == b' ' || c == b'\t')
            .count();
    (&line[..trimmed], rest)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// `pem.Decode`: the first well-formed block in `data`.
pub(crate) fn decode(data: &[u8]) -> Option<Block> {
    const START: &[u8] = b"\n-----BEGIN ";
    const END: &[u8] = b"\n-----END ";
    const EOL: &[u8] = b"-----";
    let mut rest = data;
    loop {
        if rest.starts_with(&START[1..]) {
            rest = &rest[START.len() - 1..];
        } else if let Some(i) = find(rest, START) {
            rest = &rest[i + START.len()..];
        } else {
            return None;
        }
        let (type_line, after) = get_line(rest);
        rest = after;
        let Some(kind) = type_line.strip_suffix(EOL) else {
            continue;
        };
        // Headers: `Key: value` lines before the body.
        let mut has_headers = false;
        loop {
            if rest.is_empty() {
                return None;
            }
            let (line, next) = get_line(rest);
            if !line.contains(&b':') {
                break;
            }
            has_headers = true;
            rest = next;
        }
        let (end_index, trailer_index) = if !has_headers && rest.starts_with(&END[1..]) {
            (0, END.len() - 1)
        } else {
            match find(rest, END) {
                Some(i) => (i, i + END.len()),
                None => continue,
            }
        };
        let trailer = &rest[trailer_index..];
        let trailer_len = kind.len() + EOL.len();
        if trailer.len() < trailer_len {
            continue;
        }
        let (end_line, rest_of_end_line) = trailer.split_at(trailer_len);
        if !end_line.starts_with(kind) || !end_line.ends_with(EOL) {
            continue;
        }
        if !get_line(rest_of_end_line).0.is_empty() {
            continue;
        }
        let body: Vec<u8> = rest[..end_index]
            .iter()
            .copied()
            .filter(|&c| c != b' ' && c != b'\t')
            .collect();
        let Ok(bytes) = base64_decode(&body) else {
            continue;
        };
        return Some(Block {
            kind: String::from_utf8_lossy(kind).into_owned(),
            bytes,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_offsets_follow_go() {
        assert_eq!(base64_decode(b"YWJj"), Ok(b"abc".to_vec()));
        assert_eq!(base64_decode(b"YR=="), Ok(b"a".to_vec()));
        assert_eq!(base64_decode(b"YW\r\nJj"), Ok(b"abc".to_vec()));
        assert_eq!(base64_decode(b""), Ok(Vec::new()));
        assert_eq!(base64_decode(b"abc"), Err(0));
        assert_eq!(base64_decode(b"ab=c"), Err(2));
        assert_eq!(base64_decode(b"a\nb"), Err(1));
        assert_eq!(base64_decode(b"YW Jj"), Err(2));
        assert_eq!(base64_decode(b"YWJjZA"), Err(4));
        assert_eq!(base64_decode(b"YQ==YQ=="), Err(4));
        assert_eq!(base64_decode(b"Y==="), Err(1));
        assert_eq!(base64_decode(b"YQ="), Err(3));
        assert_eq!(base64_encode(b"fo"), "Zm8=");
        assert_eq!(base64_encode(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn pem_round_trip() {
        let der: Vec<u8> = (0..100).collect();
        let text = encode("TEST BLOCK", &der);
        assert!(text.starts_with("-----BEGIN TEST BLOCK-----\n"));
        assert!(text.ends_with("\n-----END TEST BLOCK-----\n"));
        let junk = format!("leading junk\n{text}trailing");
        let b = decode(junk.as_bytes()).unwrap_or_else(|| unreachable!());
        assert_eq!((b.kind.as_str(), b.bytes), ("TEST BLOCK", der));
        assert!(decode(b"nope").is_none());
        assert!(decode(b"-----BEGIN X-----\nAAAA\n-----END Y-----\n").is_none());
        let b = decode(b"-----BEGIN X-----\nA: b\n\nAAAA\n-----END X-----")
            .unwrap_or_else(|| unreachable!());
        assert_eq!(b.bytes, vec![0, 0, 0]);
    }
}
