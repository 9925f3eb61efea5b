//! The checks `helm lint` borrows from `asaskevich/govalidator` (the
//! version Helm 4.2.3 pins): `IsEmail`, `IsURL` and `IsRequestURL`, with
//! the parts of Go's `net/url` parser they rely on.
//!
//! The patterns are govalidator's, with Go's ASCII-only `\d`, `\s` and
//! `\S` spelled out as classes (Rust's are Unicode-aware).

use std::sync::LazyLock;

use regex::Regex;

const U: &str = r"\x{00A0}-\x{D7FF}\x{F900}-\x{FDCF}\x{FDF0}-\x{FFEF}";

static EMAIL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let p = format!(
        concat!(
            r"^(((([a-zA-Z]|[0-9]|[!#\$%&'\*\+\-\/=\?\^_`{{\|}}~]|[{u}])+(\.([a-zA-Z]|[0-9]|[!#\$%&'\*\+\-\/=\?\^_`{{\|}}~]|[{u}])+)*)",
            r"|((\x22)((((\x20|\x09)*(\x0d\x0a))?(\x20|\x09)+)?(([\x01-\x08\x0b\x0c\x0e-\x1f\x7f]|\x21|[\x23-\x5b]|[\x5d-\x7e]|[{u}])|(\([\x01-\x09\x0b\x0c\x0d-\x7f]|[{u}]))))*(((\x20|\x09)*(\x0d\x0a))?(\x20|\x09)+)?(\x22)))",
            r"@((([a-zA-Z]|[0-9]|[{u}])|(([a-zA-Z]|[0-9]|[{u}])([a-zA-Z]|[0-9]|-|\.|_|~|[{u}])*([a-zA-Z]|[0-9]|[{u}])))\.)+",
            r"(([a-zA-Z]|[{u}])|(([a-zA-Z]|[{u}])([a-zA-Z]|[0-9]|-|_|~|[{u}])*([a-zA-Z]|[{u}])))\.?$"
        ),
        u = U
    );
    Regex::new(&p).ok()
});

static URL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let ip = concat!(
        r"(([0-9a-fA-F]{1,4}:){7,7}[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,7}:|([0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-F]{1,4}",
        r"|([0-9a-fA-F]{1,4}:){1,5}(:[0-9a-fA-F]{1,4}){1,2}|([0-9a-fA-F]{1,4}:){1,4}(:[0-9a-fA-F]{1,4}){1,3}",
        r"|([0-9a-fA-F]{1,4}:){1,3}(:[0-9a-fA-F]{1,4}){1,4}|([0-9a-fA-F]{1,4}:){1,2}(:[0-9a-fA-F]{1,4}){1,5}",
        r"|[0-9a-fA-F]{1,4}:((:[0-9a-fA-F]{1,4}){1,6})|:((:[0-9a-fA-F]{1,4}){1,7}|:)|fe80:(:[0-9a-fA-F]{0,4}){0,4}%[0-9a-zA-Z]{1,}",
        r"|::(ffff(:0{1,4}){0,1}:){0,1}((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])",
        r"|([0-9a-fA-F]{1,4}:){1,4}:((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9]))"
    );
    let schema = r"((ftp|tcp|udp|wss?|https?):\/\/)";
    let username = r"([^\t\n\f\r ]+(:[^\t\n\f\r ]*)?@)";
    let path = r"((\/|\?|#)[^\t\n\f\r ]*)";
    let port = r"(:([0-9]{1,5}))";
    let url_ip = r"([1-9][0-9]?|1[0-9][0-9]|2[01][0-9]|22[0-3]|24[0-9]|25[0-5])(\.([0-9]{1,2}|1[0-9][0-9]|2[0-4][0-9]|25[0-5])){2}(?:\.([0-9][0-9]?|1[0-9][0-9]|2[0-4][0-9]|25[0-5]))";
    let subdomain = r"((www\.)|([a-zA-Z0-9]+([-_\.]?[a-zA-Z0-9])*[a-zA-Z0-9]\.[a-zA-Z0-9]+))";
    let p = format!(
        r"^{schema}?{username}?(({url_ip}|(\[{ip}\])|(([a-zA-Z0-9]([a-zA-Z0-9-_]+)?[a-zA-Z0-9]([-\.][a-zA-Z0-9]+)*)|({subdomain}?))?(([a-zA-Z\x{{00a1}}-\x{{ffff}}0-9]+-?-?)*[a-zA-Z\x{{00a1}}-\x{{ffff}}0-9]+)(?:\.([a-zA-Z\x{{00a1}}-\x{{ffff}}]{{1,}}))?))\.?{port}?{path}?$"
    );
    Regex::new(&p).ok()
});

/// govalidator's `IsEmail`.
pub(crate) fn is_email(s: &str) -> bool {
    EMAIL.as_ref().is_some_and(|r| r.is_match(s))
}

/// The parts of a parsed URL the validators look at.
#[derive(Debug, Default)]
struct GoUrl {
    scheme: String,
    host: String,
    path: String,
}

fn is_hex(b: u8) -> bool {
    b.is_ascii_hexdigit()
}

fn unhex(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        b'A'..=b'F' => b - b'A' + 10,
        _ => 0,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Host,
    Path,
    User,
    Fragment,
}

/// Go's `shouldEscape` for the host mode (the only mode where it makes
/// `unescape` fail).
fn host_char_ok(c: u8) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            b'-' | b'_'
                | b'.'
                | b'~'
                | b'!'
                | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'['
                | b']'
                | b'<'
                | b'>'
                | b'"'
        )
}

/// Go's `unescape`: validates `%` escapes (and host characters); returns
/// the decoded text.
fn unescape(s: &str, mode: Mode) -> Result<String, ()> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                if i + 2 >= b.len() || !is_hex(b[i + 1]) || !is_hex(b[i + 2]) {
                    return Err(());
                }
                if mode == Mode::Host && unhex(b[i + 1]) < 8 && &s[i..i + 3] != "%25" {
                    return Err(());
                }
                out.push(unhex(b[i + 1]) << 4 | unhex(b[i + 2]));
                i += 3;
            }
            c => {
                if mode == Mode::Host && c < 0x80 && !host_char_ok(c) {
                    return Err(());
                }
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

fn valid_optional_port(port: &str) -> bool {
    if port.is_empty() {
        return true;
    }
    match port.strip_prefix(':') {
        Some(digits) => digits.bytes().all(|b| b.is_ascii_digit()),
        None => false,
    }
}

fn parse_host(host: &str) -> Result<String, ()> {
    if host.starts_with('[') {
        let i = host.rfind(']').ok_or(())?;
        if !valid_optional_port(&host[i + 1..]) {
            return Err(());
        }
    } else if let Some(i) = host.rfind(':')
        && !valid_optional_port(&host[i..])
    {
        return Err(());
    }
    unescape(host, Mode::Host)
}

fn valid_userinfo(s: &str) -> bool {
    s.bytes().all(|c| {
        c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'-' | b'.'
                    | b'_'
                    | b':'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'%'
                    | b'@'
            )
    })
}

/// Go's `getScheme`.
fn get_scheme(raw: &str) -> Result<(&str, &str), ()> {
    for (i, c) in raw.bytes().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' => {
                if i == 0 {
                    return Ok(("", raw));
                }
            }
            b':' => {
                if i == 0 {
                    return Err(());
                }
                return Ok((&raw[..i], &raw[i + 1..]));
            }
            _ => return Ok(("", raw)),
        }
    }
    Ok(("", raw))
}

/// Go's `url.parse(rawURL, viaRequest)`.
fn parse(raw: &str, via_request: bool) -> Result<GoUrl, ()> {
    if raw.bytes().any(|b| b < b' ' || b == 0x7f) {
        return Err(());
    }
    if raw.is_empty() && via_request {
        return Err(());
    }
    let mut url = GoUrl::default();
    if raw == "*" {
        url.path = "*".to_owned();
        return Ok(url);
    }
    let (scheme, rest) = get_scheme(raw)?;
    url.scheme = scheme.to_lowercase();
    let mut rest = rest;
    if rest.ends_with('?') && rest.matches('?').count() == 1 {
        rest = &rest[..rest.len() - 1];
    } else if let Some(i) = rest.find('?') {
        rest = &rest[..i];
    }
    if !rest.starts_with('/') {
        if !url.scheme.is_empty() {
            return Ok(url);
        }
        if via_request {
            return Err(());
        }
        let segment = rest.split('/').next().unwrap_or("");
        if segment.contains(':') {
            return Err(());
        }
    }
    if (!url.scheme.is_empty() || !via_request && !rest.starts_with("///"))
        && rest.starts_with("//")
    {
        let after = &rest[2..];
        let (authority, tail) = match after.find('/') {
            Some(i) => (&after[..i], &after[i..]),
            None => (after, ""),
        };
        let (userinfo, hostpart) = match authority.rfind('@') {
            Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
            None => (None, authority),
        };
        url.host = parse_host(hostpart)?;
        if let Some(u) = userinfo {
            if !valid_userinfo(u) {
                return Err(());
            }
            match u.split_once(':') {
                Some((name, pass)) => {
                    unescape(name, Mode::User)?;
                    unescape(pass, Mode::User)?;
                }
                None => {
                    unescape(u, Mode::User)?;
                }
            }
        }
        rest = tail;
    }
    url.path = unescape(rest, Mode::Path)?;
    Ok(url)
}

/// Go's `url.Parse` (fragment split off first).
fn go_parse(raw: &str) -> Result<GoUrl, ()> {
    let (u, frag) = match raw.find('#') {
        Some(i) => (&raw[..i], Some(&raw[i + 1..])),
        None => (raw, None),
    };
    let url = parse(u, false)?;
    if let Some(f) = frag {
        unescape(f, Mode::Fragment)?;
    }
    Ok(url)
}

/// govalidator's `IsRequestURL`: `url.ParseRequestURI` succeeds and gives
/// a scheme.
pub(crate) fn is_request_url(s: &str) -> bool {
    parse(s, true).is_ok_and(|u| !u.scheme.is_empty())
}

/// govalidator's `IsURL`.
pub(crate) fn is_url(s: &str) -> bool {
    if s.is_empty() || s.chars().count() >= 2083 || s.len() <= 3 || s.starts_with('.') {
        return false;
    }
    let tmp = if s.contains(':') && !s.contains("://") {
        format!("http://{s}")
    } else {
        s.to_owned()
    };
    let Ok(u) = go_parse(&tmp) else {
        return false;
    };
    if u.host.starts_with('.') {
        return false;
    }
    if u.host.is_empty() && !u.path.is_empty() && !u.path.contains('.') {
        return false;
    }
    URL.as_ref().is_some_and(|r| r.is_match(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validators() {
        assert!(EMAIL.is_some() && URL.is_some());
        assert!(is_email("a.b@example.com"));
        assert!(!is_email("not-an-email"));
        assert!(is_request_url("https://example.com/x"));
        assert!(is_request_url("mailto:x"));
        assert!(!is_request_url("example.com"));
        assert!(!is_request_url("http://host:port/"));
        assert!(is_url("https://example.com"));
        assert!(is_url("example.com"));
        assert!(!is_url("not a url"));
    }
}
