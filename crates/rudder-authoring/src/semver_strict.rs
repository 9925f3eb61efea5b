//! Masterminds semver's `StrictNewVersion` (SemVer 2 exactly: three
//! numeric parts without leading zeros, optional prerelease and build
//! metadata), which Helm uses for `helm lint`'s "not a valid SemVerV2"
//! warning and for `dependency list`'s archive names. The lenient parser
//! lives in `rudder_chart::semver`.

/// Why a version is not strict SemVer 2 (Masterminds' texts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrictError {
    /// `ErrInvalidSemVer`.
    Invalid,
    /// `ErrSegmentStartsZero`.
    LeadingZero,
    /// `ErrInvalidPrerelease`.
    Prerelease,
    /// `ErrInvalidMetadata`.
    Metadata,
}

fn numeric(s: &str) -> Result<(), StrictError> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(StrictError::Invalid);
    }
    if s.len() > 1 && s.starts_with('0') {
        return Err(StrictError::LeadingZero);
    }
    s.parse::<u64>()
        .map(|_| ())
        .map_err(|_| StrictError::Invalid)
}

fn ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

/// Checks `v` the way `StrictNewVersion` does.
pub fn parse(v: &str) -> Result<(), StrictError> {
    if v.is_empty() {
        return Err(StrictError::Invalid);
    }
    let mut parts = v.splitn(3, '.');
    let (Some(major), Some(minor), Some(rest)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(StrictError::Invalid);
    };
    let (patch, extra) = match rest.find(['-', '+']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    for p in [major, minor, patch] {
        numeric(p)?;
    }
    let (pre, meta) = match extra.strip_prefix('-') {
        Some(e) => match e.find('+') {
            Some(i) => (Some(&e[..i]), Some(&e[i + 1..])),
            None => (Some(e), None),
        },
        None => (None, extra.strip_prefix('+')),
    };
    if let Some(pre) = pre {
        for id in pre.split('.') {
            if id.is_empty() || !id.bytes().all(ident) {
                return Err(StrictError::Prerelease);
            }
            if id.bytes().all(|b| b.is_ascii_digit()) && id.len() > 1 && id.starts_with('0') {
                return Err(StrictError::LeadingZero);
            }
        }
    }
    if let Some(meta) = meta
        && meta
            .split('.')
            .any(|id| id.is_empty() || !id.bytes().all(ident))
    {
        return Err(StrictError::Metadata);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_semver() {
        assert!(parse("1.2.3").is_ok());
        assert!(parse("1.2.3-rc.1+build.5").is_ok());
        assert!(parse("1.2").is_err());
        assert!(parse("v1.2.3").is_err());
        assert!(parse("01.2.3").is_err());
        assert!(parse("1.2.3-01").is_err());
        assert!(parse("1.2.3-").is_err());
        assert!(parse("1.2.3+").is_err());
    }
}
