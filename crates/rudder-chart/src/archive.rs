//! Reading chart archives (`.tgz`) into memory with Helm's safety checks
//! (`pkg/chart/loader/archive`): entry paths are normalised and rejected
//! when absolute, outside the chart directory or drive-lettered, and the
//! decompressed size is capped per file and per archive.
//!
//! Nothing is ever written to disk: an archive is either fully accepted as
//! a list of in-memory files or rejected with Helm's error text.

use std::io::Read;

use flate2::read::MultiGzDecoder;

/// Helm's `MaxDecompressedChartSize`: the total decompressed size allowed
/// for one archive (100 MiB). A subchart archive has its own budget.
pub const MAX_DECOMPRESSED_CHART_SIZE: u64 = 100 * 1024 * 1024;

/// Helm's `MaxDecompressedFileSize`: the largest file Helm loads (5 MiB),
/// from an archive or a directory.
pub const MAX_DECOMPRESSED_FILE_SIZE: u64 = 5 * 1024 * 1024;

const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// Why an archive was rejected. Display gives Helm's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArchiveError {
    /// Not gzip at all (Go's `gzip.ErrHeader`).
    #[error("gzip: invalid header")]
    GzipHeader,
    /// The stream ended early.
    #[error("unexpected EOF")]
    UnexpectedEof,
    /// An empty input.
    #[error("EOF")]
    Eof,
    /// Corrupt compressed data or a bad tar stream.
    #[error("{0}")]
    Corrupt(String),
    /// An entry with an absolute path.
    #[error("chart illegally contains absolute paths")]
    AbsolutePath,
    /// An entry that cleans to the chart directory itself.
    #[error("chart illegally contains content outside the base directory: {0}")]
    OutsideBase(String),
    /// An entry that climbs out with `..`.
    #[error("chart illegally references parent directory")]
    ParentDirectory,
    /// An entry named like a Windows drive path (`c:/…`).
    #[error("chart contains illegally named files")]
    IllegalName,
    /// A `Chart.yaml` outside any directory.
    #[error("chart yaml not in base directory")]
    ChartYamlNotInBase,
    /// The archive decompresses to more than the total limit.
    #[error("decompressed chart is larger than the maximum size {max}")]
    TooLarge {
        /// The limit in bytes.
        max: u64,
    },
    /// One entry is larger than the per-file limit.
    #[error("decompressed chart file {name} is larger than the maximum file size {max}")]
    FileTooLarge {
        /// The entry's name, Go-quoted.
        name: String,
        /// The limit in bytes.
        max: u64,
    },
    /// No file entries at all.
    #[error("no files in chart archive")]
    Empty,
}

impl ArchiveError {
    /// Whether this is Go's `gzip.ErrHeader`, which Helm reports with an
    /// extra hint.
    pub fn is_gzip_header(&self) -> bool {
        matches!(self, ArchiveError::GzipHeader)
    }
}

/// A file read from an archive: its name relative to the chart root.
#[derive(Debug, Clone)]
pub struct BufferedFile {
    /// The `/`-separated path inside the chart.
    pub name: String,
    /// The contents, BOM stripped.
    pub data: Vec<u8>,
}

/// Checks the gzip member header as Go's `gzip.NewReader` does, so that
/// non-gzip input gets Go's error.
fn check_gzip_header(data: &[u8]) -> Result<(), ArchiveError> {
    if data.is_empty() {
        return Err(ArchiveError::Eof);
    }
    if data.len() < 10 {
        return Err(ArchiveError::UnexpectedEof);
    }
    // ID1, ID2, deflate, and no reserved flag bits.
    if data[0] != 0x1f || data[1] != 0x8b || data[2] != 8 || data[3] & 0xe0 != 0 {
        return Err(ArchiveError::GzipHeader);
    }
    Ok(())
}

fn io_error(e: &std::io::Error) -> ArchiveError {
    match e.kind() {
        std::io::ErrorKind::UnexpectedEof => ArchiveError::UnexpectedEof,
        _ => ArchiveError::Corrupt(e.to_string()),
    }
}

fn is_drive_path(n: &str) -> bool {
    let b = n.as_bytes();
    b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/'
}

/// Helm's `LoadArchiveFiles`: every regular entry of a gzipped tar, minus
/// its first path component, in archive order. Directory entries and PAX
/// headers are skipped; any other entry type (symlinks included) is read
/// as a file with its (empty) contents, as Go's loader does.
pub fn load_archive_files(data: &[u8]) -> Result<Vec<BufferedFile>, ArchiveError> {
    check_gzip_header(data)?;
    let mut archive = tar::Archive::new(MultiGzDecoder::new(data));
    let entries = archive.entries().map_err(|e| io_error(&e))?;
    let mut files = Vec::new();
    let mut remaining = MAX_DECOMPRESSED_CHART_SIZE;
    for entry in entries {
        let mut entry = entry.map_err(|e| match e.kind() {
            std::io::ErrorKind::UnexpectedEof => ArchiveError::UnexpectedEof,
            _ => ArchiveError::Corrupt("archive/tar: invalid tar header".to_owned()),
        })?;
        let header = entry.header();
        let flag = header.as_bytes()[156];
        let raw_name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let mode_is_dir = header.mode().is_ok_and(|m| m & 0o170000 == 0o040000);
        let is_dir = flag == b'5' || (flag == 0 && raw_name.ends_with('/')) || mode_is_dir;
        if is_dir || flag == b'g' || flag == b'x' {
            continue;
        }
        // Names with a backslash come from Windows: treat it as the separator.
        let delim = if raw_name.contains('\\') { '\\' } else { '/' };
        let mut parts = raw_name.split(delim);
        let first = parts.next().unwrap_or("");
        let rest: Vec<&str> = parts.collect();
        let n = rest.join("/");
        if n.starts_with('/') {
            return Err(ArchiveError::AbsolutePath);
        }
        let n = rudder_value::path::clean(&n);
        if n == "." {
            return Err(ArchiveError::OutsideBase(rudder_value::fmt::quote(
                &raw_name,
            )));
        }
        if n.starts_with("..") {
            return Err(ArchiveError::ParentDirectory);
        }
        if is_drive_path(&n) {
            return Err(ArchiveError::IllegalName);
        }
        if first == "Chart.yaml" {
            return Err(ArchiveError::ChartYamlNotInBase);
        }
        let size = entry.size();
        if size > remaining {
            return Err(ArchiveError::TooLarge {
                max: MAX_DECOMPRESSED_CHART_SIZE,
            });
        }
        if size > MAX_DECOMPRESSED_FILE_SIZE {
            return Err(ArchiveError::FileTooLarge {
                name: rudder_value::fmt::quote(&raw_name),
                max: MAX_DECOMPRESSED_FILE_SIZE,
            });
        }
        let mut buf = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        let written = (&mut entry)
            .take(remaining)
            .read_to_end(&mut buf)
            .map_err(|e| io_error(&e))? as u64;
        remaining = remaining.saturating_sub(written);
        if written < size || remaining == 0 {
            return Err(ArchiveError::TooLarge {
                max: MAX_DECOMPRESSED_CHART_SIZE,
            });
        }
        if buf.starts_with(UTF8_BOM) {
            buf.drain(..UTF8_BOM.len());
        }
        files.push(BufferedFile { name: n, data: buf });
    }
    if files.is_empty() {
        return Err(ArchiveError::Empty);
    }
    Ok(files)
}

/// Whether a file's first bytes look like gzip to Go's
/// `http.DetectContentType` or start with the gzip magic (`EnsureArchive`).
pub(crate) fn looks_gzipped(head: &[u8]) -> bool {
    head.starts_with(&[0x1f, 0x8b, 0x08])
}

/// The content type Go's `http.DetectContentType` reports for `head`, for
/// the "does not appear to be a gzipped archive" error. Only the answers
/// relevant to chart paths are distinguished.
pub(crate) fn detect_content_type(head: &[u8]) -> &'static str {
    if head.starts_with(b"PK\x03\x04") {
        return "application/zip";
    }
    if head.starts_with(b"%PDF-") {
        return "application/pdf";
    }
    if head.starts_with(b"BZh") {
        return "application/octet-stream";
    }
    let text = head
        .iter()
        .all(|&b| !matches!(b, 0x00..=0x08 | 0x0B | 0x0E..=0x1A | 0x1C..=0x1F));
    if text {
        "text/plain; charset=utf-8"
    } else {
        "application/octet-stream"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::Compression;
    use flate2::write::GzEncoder;
    use std::io::Write;

    fn tgz(entries: &[(&str, &[u8], u8)]) -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        for (name, data, kind) in entries {
            let mut h = tar::Header::new_ustar();
            h.as_mut_bytes()[156] = *kind;
            h.set_size(data.len() as u64);
            h.set_mode(0o644);
            let bytes = h.as_mut_bytes();
            bytes[..name.len()].copy_from_slice(name.as_bytes());
            h.set_cksum();
            let _ = builder.append(&h, *data);
        }
        let tar = builder.into_inner().unwrap_or_default();
        let mut gz = GzEncoder::new(Vec::new(), Compression::default());
        let _ = gz.write_all(&tar);
        gz.finish().unwrap_or_default()
    }

    #[test]
    fn strips_first_component_and_bom() {
        let data = tgz(&[
            ("c/Chart.yaml", b"\xEF\xBB\xBFname: c", b'0'),
            ("c/templates/", b"", b'5'),
        ]);
        let files = load_archive_files(&data).unwrap_or_default();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].name, "Chart.yaml");
        assert_eq!(files[0].data, b"name: c");
    }

    #[test]
    fn rejects_unsafe_paths() {
        let cases: [(&str, ArchiveError); 5] = [
            ("c//etc/passwd", ArchiveError::AbsolutePath),
            ("c/../x", ArchiveError::ParentDirectory),
            ("c/c:/x", ArchiveError::IllegalName),
            ("c/.", ArchiveError::OutsideBase("\"c/.\"".into())),
            (
                "Chart.yaml",
                ArchiveError::OutsideBase("\"Chart.yaml\"".into()),
            ),
        ];
        for (name, want) in cases {
            let data = tgz(&[(name, b"x", b'0')]);
            assert_eq!(load_archive_files(&data).err(), Some(want), "{name}");
        }
    }

    #[test]
    fn not_gzip() {
        assert_eq!(load_archive_files(b"").err(), Some(ArchiveError::Eof));
        assert_eq!(
            load_archive_files(b"hello").err(),
            Some(ArchiveError::UnexpectedEof)
        );
        assert_eq!(
            load_archive_files(b"hello world, not gzip").err(),
            Some(ArchiveError::GzipHeader)
        );
    }

    #[test]
    fn per_file_limit() {
        let big = vec![b'a'; (MAX_DECOMPRESSED_FILE_SIZE + 1) as usize];
        let data = tgz(&[("c/big", &big, b'0')]);
        assert_eq!(
            load_archive_files(&data)
                .err()
                .map(|e| e.to_string())
                .as_deref(),
            Some("decompressed chart file \"c/big\" is larger than the maximum file size 5242880")
        );
    }
}
