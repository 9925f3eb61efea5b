//! A tar writer that produces the bytes Go's `archive/tar` writes for
//! Helm's `writeToTar` headers (`Name`, `Mode 0644`, `Size`, `ModTime`,
//! nothing else), and the gzip framing of Helm's `chartutil.Save`.
//!
//! Go picks the USTAR format whenever the name fits (splitting long names
//! into USTAR's prefix field), and PAX otherwise (a `PaxHeaders.0/…`
//! record carrying `path`). Numbers are zero-padded octal with a NUL, the
//! checksum six octal digits, a NUL and a space. The archive ends with two
//! zero blocks and no padding to a record size.
//!
//! The gzip header matches Go's `gzip.Writer` as Helm configures it (the
//! `Extra` bytes, the comment `Helm`, no modification time, OS 255). The
//! deflate stream itself comes from `flate2` and is not byte-identical to
//! Go's `compress/flate` (different match finder); any gzip reader, Helm's
//! included, reads both.

use std::io::Write;

/// The `Extra` field Helm puts in every chart archive's gzip header.
pub const GZIP_EXTRA: &[u8] = b"+aHR0cHM6Ly95b3V0dS5iZS96OVV6MWljandyTQo=";

const BLOCK: usize = 512;
const NAME_SIZE: usize = 100;
const PREFIX_SIZE: usize = 155;

/// Go's `formatter.formatOctal`: zero-padded octal leaving room for a NUL.
fn put_octal(field: &mut [u8], x: u64) {
    let s = format!("{x:o}");
    let width = field.len() - 1;
    let s = if s.len() < width {
        format!("{}{s}", "0".repeat(width - s.len()))
    } else {
        s
    };
    put_str(field, &s);
}

/// Go's `formatter.formatString`: copy, NUL-terminate when there is room.
fn put_str(field: &mut [u8], s: &str) {
    let b = s.as_bytes();
    let n = b.len().min(field.len());
    field[..n].copy_from_slice(&b[..n]);
    if n < field.len() {
        field[n] = 0;
    }
}

/// Go's `splitUSTARPath`.
fn split_ustar(name: &str) -> Option<(&str, &str)> {
    let mut length = name.len();
    if length <= NAME_SIZE || !name.is_ascii() {
        return None;
    } else if length > PREFIX_SIZE + 1 {
        length = PREFIX_SIZE + 1;
    } else if name.as_bytes()[length - 1] == b'/' {
        length -= 1;
    }
    let i = name[..length].rfind('/')?;
    let nlen = name.len() - i - 1;
    if i == 0 || nlen > NAME_SIZE || nlen == 0 || i > PREFIX_SIZE {
        return None;
    }
    Some((&name[..i], &name[i + 1..]))
}

/// A header block with the V7 fields, USTAR magic and checksum.
fn header(name: &str, prefix: &str, size: u64, mode: u64, mtime: i64, flag: u8) -> [u8; BLOCK] {
    let mut b = [0u8; BLOCK];
    put_str(&mut b[0..100], name);
    put_octal(&mut b[100..108], mode);
    put_octal(&mut b[108..116], 0);
    put_octal(&mut b[116..124], 0);
    put_octal(&mut b[124..136], size);
    put_octal(&mut b[136..148], u64::try_from(mtime.max(0)).unwrap_or(0));
    b[156] = flag;
    b[257..263].copy_from_slice(b"ustar\0");
    b[263..265].copy_from_slice(b"00");
    put_octal(&mut b[329..337], 0);
    put_octal(&mut b[337..345], 0);
    put_str(&mut b[345..500], prefix);
    // The checksum is computed with its own field as spaces.
    b[148..156].copy_from_slice(b"        ");
    let sum: u64 = b.iter().map(|&x| u64::from(x)).sum();
    put_octal(&mut b[148..155], sum);
    b[155] = b' ';
    b
}

fn pad(out: &mut Vec<u8>, len: usize) {
    let rem = len % BLOCK;
    if rem != 0 {
        out.resize(out.len() + BLOCK - rem, 0);
    }
}

/// Go's `formatPAXRecord`: `"%d %s=%s\n"` where the length counts itself.
fn pax_record(key: &str, value: &str) -> String {
    let body = format!(" {key}={value}\n");
    let mut size = body.len();
    loop {
        let total = size.to_string().len() + body.len();
        if total == size {
            return format!("{size}{body}");
        }
        size = total;
    }
}

/// Builds an uncompressed tar stream in memory.
#[derive(Default)]
pub struct TarWriter {
    out: Vec<u8>,
}

impl TarWriter {
    /// An empty archive.
    pub fn new() -> TarWriter {
        TarWriter::default()
    }

    /// Adds a regular file with mode 0644, owned by 0:0, as Helm's
    /// `writeToTar` does. `mtime` is already rounded to the second.
    pub fn add_file(&mut self, name: &str, data: &[u8], mtime: i64) {
        let size = data.len() as u64;
        let fits_plain = name.len() <= NAME_SIZE && name.is_ascii();
        if fits_plain {
            self.out
                .extend_from_slice(&header(name, "", size, 0o644, mtime, b'0'));
        } else if let Some((prefix, suffix)) = split_ustar(name) {
            self.out
                .extend_from_slice(&header(suffix, prefix, size, 0o644, mtime, b'0'));
        } else {
            // PAX: an extended header carrying the real path, then the
            // main header with a best-effort ASCII name.
            let record = pax_record("path", name);
            let (dir, file) = match name.rfind('/') {
                Some(i) => (&name[..=i], &name[i + 1..]),
                None => ("", name),
            };
            let mut pax_name: String = format!("{dir}PaxHeaders.0/{file}")
                .chars()
                .filter(char::is_ascii)
                .collect();
            pax_name.truncate(NAME_SIZE);
            let pax_name = pax_name.trim_end_matches('/');
            self.out
                .extend_from_slice(&header(pax_name, "", record.len() as u64, 0, 0, b'x'));
            self.out.extend_from_slice(record.as_bytes());
            pad(&mut self.out, record.len());
            let ascii: String = name.chars().filter(char::is_ascii).collect();
            self.out
                .extend_from_slice(&header(&ascii, "", size, 0o644, mtime, b'0'));
        }
        self.out.extend_from_slice(data);
        pad(&mut self.out, data.len());
    }

    /// The finished stream: entries and two zero blocks.
    pub fn finish(mut self) -> Vec<u8> {
        self.out.resize(self.out.len() + 2 * BLOCK, 0);
        self.out
    }
}

/// Compresses a tar stream with Helm's gzip header.
pub fn gzip(tar: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut enc = flate2::GzBuilder::new()
        .extra(GZIP_EXTRA)
        .comment("Helm")
        .mtime(0)
        .operating_system(255)
        .write(Vec::new(), flate2::Compression::default());
    enc.write_all(tar)?;
    enc.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ustar_header_fields() {
        let mut w = TarWriter::new();
        w.add_file("c/Chart.yaml", b"name: c\n", 0o1234);
        let out = w.finish();
        assert_eq!(out.len(), 512 * 4);
        assert_eq!(&out[100..108], b"0000644\0");
        assert_eq!(&out[124..136], b"00000000010\0");
        assert_eq!(&out[136..148], b"00000001234\0");
        assert_eq!(&out[257..265], b"ustar\x0000");
        assert_eq!(out[155], b' ');
        assert_eq!(out[154], 0);
    }

    #[test]
    fn long_names_split_or_use_pax() {
        let long = format!("c/{}/file.yaml", "d".repeat(120));
        assert_eq!(
            split_ustar(&long).map(|(p, s)| (p.len(), s)),
            Some((122, "file.yaml"))
        );
        assert_eq!(pax_record("path", "abc"), "12 path=abc\n");
        let very = format!("c/{}", "x".repeat(120));
        let mut w = TarWriter::new();
        w.add_file(&very, b"", 0);
        let out = w.finish();
        assert_eq!(out[156], b'x');
        assert!(out.starts_with(b"c/PaxHeaders.0/xxx"));
    }
}
