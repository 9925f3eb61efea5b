//! Go's `net/url` as Sprig's `urlParse` and `urlJoin` use it: `url.Parse`
//! (with the bracketed-host validation of Go ≥ 1.25.2, which Helm 4.2.3 is
//! built with), `URL.String`, `Hostname`, `Userinfo.String`, and the
//! escaping rules behind them. Strings are handled as bytes, as in Go: a
//! `%`-escape may decode to bytes that are not UTF-8, which become U+FFFD
//! only when the result is handed back as a template string.

use rudder_value::fmt::quote;

/// Which part of a URL is being escaped or unescaped (Go's `encoding`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Path,
    Host,
    Zone,
    UserPassword,
    Fragment,
}

/// A parsed URL (the fields Sprig reads or writes).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Url {
    pub(crate) scheme: Vec<u8>,
    pub(crate) opaque: Vec<u8>,
    pub(crate) user: Option<Userinfo>,
    pub(crate) host: Vec<u8>,
    pub(crate) path: Vec<u8>,
    raw_path: Vec<u8>,
    omit_host: bool,
    force_query: bool,
    pub(crate) raw_query: Vec<u8>,
    pub(crate) fragment: Vec<u8>,
    raw_fragment: Vec<u8>,
}

/// Username and optional password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Userinfo {
    username: Vec<u8>,
    password: Option<Vec<u8>>,
}

impl Userinfo {
    /// `Userinfo.String()`: the escaped `user[:password]`.
    pub(crate) fn string(&self) -> Vec<u8> {
        let mut s = escape(&self.username, Mode::UserPassword);
        if let Some(p) = &self.password {
            s.push(b':');
            s.extend(escape(p, Mode::UserPassword));
        }
        s
    }
}

fn should_escape(c: u8, mode: Mode) -> bool {
    if c.is_ascii_alphanumeric() {
        return false;
    }
    if matches!(mode, Mode::Host | Mode::Zone)
        && matches!(
            c,
            b'!' | b'$'
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
    {
        return false;
    }
    match c {
        b'-' | b'_' | b'.' | b'~' => return false,
        b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'?' | b'@' => match mode {
            Mode::Path => return c == b'?',
            Mode::UserPassword => return matches!(c, b'@' | b'/' | b'?' | b':'),
            Mode::Fragment => return false,
            Mode::Host | Mode::Zone => {}
        },
        _ => {}
    }
    if mode == Mode::Fragment && matches!(c, b'!' | b'(' | b')' | b'*') {
        return false;
    }
    true
}

fn unhex(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => 0,
    }
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// `strconv.Quote` of bytes that may not be UTF-8: invalid bytes print as
/// `\xNN`, as Go prints them.
fn quote_bytes(b: &[u8]) -> String {
    let mut out = String::from("\"");
    for chunk in b.utf8_chunks() {
        let q = quote(chunk.valid());
        out.push_str(q.get(1..q.len() - 1).unwrap_or(""));
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02x}"));
        }
    }
    out.push('"');
    out
}

/// Go's `unescape`: decode `%XX`, rejecting bad escapes (and, in hosts,
/// characters that may not appear there).
fn unescape(s: &[u8], mode: Mode) -> Result<Vec<u8>, String> {
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'%' => {
                let ok =
                    i + 2 < s.len() && s[i + 1].is_ascii_hexdigit() && s[i + 2].is_ascii_hexdigit();
                if !ok {
                    let end = (i + 3).min(s.len());
                    return Err(format!("invalid URL escape {}", quote_bytes(&s[i..end])));
                }
                let esc = &s[i..i + 3];
                if mode == Mode::Host && unhex(s[i + 1]) < 8 && esc != b"%25" {
                    return Err(format!("invalid URL escape {}", quote_bytes(esc)));
                }
                if mode == Mode::Zone {
                    let v = (unhex(s[i + 1]) << 4) | unhex(s[i + 2]);
                    if esc != b"%25" && v != b' ' && should_escape(v, Mode::Host) {
                        return Err(format!("invalid URL escape {}", quote_bytes(esc)));
                    }
                }
                i += 3;
            }
            c => {
                if matches!(mode, Mode::Host | Mode::Zone) && c < 0x80 && should_escape(c, mode) {
                    return Err(format!(
                        "invalid character {} in host name",
                        quote(&lossy(&s[i..=i]))
                    ));
                }
                i += 1;
            }
        }
    }
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'%' {
            out.push((unhex(s[i + 1]) << 4) | unhex(s[i + 2]));
            i += 3;
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    Ok(out)
}

fn escape(s: &[u8], mode: Mode) -> Vec<u8> {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = Vec::with_capacity(s.len());
    for &c in s {
        if should_escape(c, mode) {
            out.push(b'%');
            out.push(HEX[usize::from(c >> 4)]);
            out.push(HEX[usize::from(c & 15)]);
        } else {
            out.push(c);
        }
    }
    out
}

/// `scheme:rest`, if `raw` starts with a scheme.
fn get_scheme(raw: &[u8]) -> Result<(&[u8], &[u8]), String> {
    for (i, &c) in raw.iter().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' => {
                if i == 0 {
                    return Ok((&[], raw));
                }
            }
            b':' => {
                if i == 0 {
                    return Err("missing protocol scheme".to_owned());
                }
                return Ok((&raw[..i], &raw[i + 1..]));
            }
            _ => return Ok((&[], raw)),
        }
    }
    Ok((&[], raw))
}

fn cut(s: &[u8], sep: u8) -> (&[u8], &[u8]) {
    match s.iter().position(|&c| c == sep) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, &[]),
    }
}

/// `url.Parse`, with Go's `parse "<url>": <reason>` error text.
pub(crate) fn parse(raw: &str) -> Result<Url, String> {
    let raw = raw.as_bytes();
    let (u, frag) = match raw.iter().position(|&c| c == b'#') {
        Some(i) => (&raw[..i], Some(&raw[i + 1..])),
        None => (raw, None),
    };
    let mut url = parse_no_fragment(u).map_err(|e| format!("parse {}: {e}", quote(&lossy(u))))?;
    if let Some(f) = frag.filter(|f| !f.is_empty()) {
        let frag = unescape(f, Mode::Fragment)
            .map_err(|e| format!("parse {}: {e}", quote(&lossy(raw))))?;
        url.raw_fragment = if escape(&frag, Mode::Fragment) == f {
            Vec::new()
        } else {
            f.to_vec()
        };
        url.fragment = frag;
    }
    Ok(url)
}

fn parse_no_fragment(raw: &[u8]) -> Result<Url, String> {
    if raw.iter().any(|&b| b < b' ' || b == 0x7f) {
        return Err("net/url: invalid control character in URL".to_owned());
    }
    let mut url = Url::default();
    if raw == b"*" {
        url.path = b"*".to_vec();
        return Ok(url);
    }
    let (scheme, mut rest) = get_scheme(raw)?;
    url.scheme = scheme.to_ascii_lowercase();
    if rest.ends_with(b"?") && rest.iter().filter(|&&c| c == b'?').count() == 1 {
        url.force_query = true;
        rest = &rest[..rest.len() - 1];
    } else {
        let (r, q) = cut(rest, b'?');
        url.raw_query = q.to_vec();
        rest = r;
    }
    if !rest.starts_with(b"/") {
        if !url.scheme.is_empty() {
            // A rootless path after a scheme is opaque (RFC 3986).
            url.opaque = rest.to_vec();
            return Ok(url);
        }
        let (segment, _) = cut(rest, b'/');
        if segment.contains(&b':') {
            return Err("first path segment in URL cannot contain colon".to_owned());
        }
    }
    if (!url.scheme.is_empty() || !rest.starts_with(b"///")) && rest.starts_with(b"//") {
        let authority = &rest[2..];
        let (authority, path) = match authority.iter().position(|&c| c == b'/') {
            Some(i) => (&authority[..i], &authority[i..]),
            None => (authority, &b""[..]),
        };
        let (user, host) = parse_authority(authority)?;
        url.user = user;
        url.host = host;
        rest = path;
    } else if !url.scheme.is_empty() && rest.starts_with(b"/") {
        url.omit_host = true;
    }
    let path = unescape(rest, Mode::Path)?;
    url.raw_path = if escape(&path, Mode::Path) == rest {
        Vec::new()
    } else {
        rest.to_vec()
    };
    url.path = path;
    Ok(url)
}

fn valid_userinfo(s: &[u8]) -> bool {
    // Multi-byte characters are never valid, so a byte check suffices.
    s.iter().all(|&c| {
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

fn parse_authority(authority: &[u8]) -> Result<(Option<Userinfo>, Vec<u8>), String> {
    let at = authority.iter().rposition(|&c| c == b'@');
    let host = parse_host(match at {
        Some(i) => &authority[i + 1..],
        None => authority,
    })?;
    let Some(i) = at else {
        return Ok((None, host));
    };
    let userinfo = &authority[..i];
    if !valid_userinfo(userinfo) {
        return Err("net/url: invalid userinfo".to_owned());
    }
    let user = if userinfo.contains(&b':') {
        let (name, pass) = cut(userinfo, b':');
        Userinfo {
            username: unescape(name, Mode::UserPassword)?,
            password: Some(unescape(pass, Mode::UserPassword)?),
        }
    } else {
        Userinfo {
            username: unescape(userinfo, Mode::UserPassword)?,
            password: None,
        }
    };
    Ok((Some(user), host))
}

fn valid_optional_port(port: &[u8]) -> bool {
    match port.split_first() {
        None => true,
        Some((b':', digits)) => digits.iter().all(u8::is_ascii_digit),
        Some(_) => false,
    }
}

fn invalid_port(p: &[u8]) -> String {
    format!("invalid port {} after host", quote(&lossy(p)))
}

fn parse_host(host: &[u8]) -> Result<Vec<u8>, String> {
    if let Some(open) = host.iter().rposition(|&c| c == b'[') {
        // Only a whole host can be an IP literal.
        if open > 0 {
            return Err("invalid IP-literal".to_owned());
        }
        let close = host
            .iter()
            .rposition(|&c| c == b']')
            .ok_or_else(|| "missing ']' in host".to_owned())?;
        let colon_port = host.get(close + 1..).unwrap_or(&[]);
        if !valid_optional_port(colon_port) {
            return Err(invalid_port(colon_port));
        }
        let colon_port = unescape(colon_port, Mode::Host)?;
        let inner = host.get(1..close).unwrap_or(&[]);
        // RFC 6874: `%25` starts a zone, which may use any escapes.
        let unescaped = match inner.windows(3).position(|w| w == b"%25") {
            Some(z) => {
                let mut h = unescape(&inner[..z], Mode::Host)?;
                h.extend(unescape(&inner[z..], Mode::Zone)?);
                h
            }
            None => unescape(inner, Mode::Host)?,
        };
        // Brackets may only hold an IPv6 address.
        if parse_addr(&unescaped).map_err(|e| format!("invalid host: {e}"))? {
            return Err("invalid IP-literal".to_owned());
        }
        let mut out = Vec::with_capacity(unescaped.len() + colon_port.len() + 2);
        out.push(b'[');
        out.extend(unescaped);
        out.push(b']');
        out.extend(colon_port);
        return Ok(out);
    }
    if let Some(i) = host.iter().position(|&c| c == b':') {
        let colon_port = &host[i..];
        if !valid_optional_port(colon_port) {
            return Err(invalid_port(colon_port));
        }
    }
    unescape(host, Mode::Host)
}

/// Go's `netip.ParseAddr`: `Ok(true)` for IPv4, `Ok(false)` for IPv6, or
/// its error text.
fn parse_addr(s: &[u8]) -> Result<bool, String> {
    let fail = |msg: &str, at: &[u8]| {
        let mut e = format!("ParseAddr({}): {msg}", quote_bytes(s));
        if !at.is_empty() {
            e.push_str(&format!(" (at {})", quote_bytes(at)));
        }
        e
    };
    for &c in s {
        match c {
            b'.' => return ipv4_fields(s, &fail).map(|()| true),
            b':' => return ipv6(s, &fail).map(|()| false),
            b'%' => return Err(fail("missing IPv6 address", &[])),
            _ => {}
        }
    }
    Err(fail("unable to parse IP", &[]))
}

type Fail<'a> = &'a dyn Fn(&str, &[u8]) -> String;

fn ipv4_fields(s: &[u8], fail: Fail<'_>) -> Result<(), String> {
    let (mut val, mut pos, mut digits) = (0u32, 0, 0);
    for (i, &c) in s.iter().enumerate() {
        if c.is_ascii_digit() {
            if digits == 1 && val == 0 {
                return Err(fail("IPv4 field has octet with leading zero", &[]));
            }
            val = val * 10 + u32::from(c - b'0');
            digits += 1;
            if val > 255 {
                return Err(fail("IPv4 field has value >255", &[]));
            }
        } else if c == b'.' {
            if i == 0 || i == s.len() - 1 || s[i - 1] == b'.' {
                return Err(fail("IPv4 field must have at least one digit", &s[i..]));
            }
            if pos == 3 {
                return Err(fail("IPv4 address too long", &[]));
            }
            pos += 1;
            val = 0;
            digits = 0;
        } else {
            return Err(fail("unexpected character", &s[i..]));
        }
    }
    if pos < 3 {
        return Err(fail("IPv4 address too short", &[]));
    }
    Ok(())
}

fn ipv6(input: &[u8], fail: Fail<'_>) -> Result<(), String> {
    let (mut s, zone_len) = match input.iter().position(|&c| c == b'%') {
        Some(i) => {
            if i + 1 == input.len() {
                return Err(fail("zone must be a non-empty string", &[]));
            }
            (&input[..i], input.len() - i)
        }
        None => (input, 0),
    };
    let mut ellipsis: i32 = -1;
    if s.starts_with(b"::") {
        ellipsis = 0;
        s = &s[2..];
        if s.is_empty() {
            return Ok(());
        }
    }
    let mut i = 0i32;
    while i < 16 {
        let mut off = 0;
        let mut acc: u32 = 0;
        while let Some(&c) = s.get(off) {
            let Some(d) = char::from(c).to_digit(16) else {
                break;
            };
            acc = (acc << 4) + d;
            if off > 3 {
                return Err(fail("each group must have 4 or less digits", s));
            }
            if acc > 0xFFFF {
                return Err(fail("IPv6 field has value >=2^16", s));
            }
            off += 1;
        }
        if off == 0 {
            return Err(fail(
                "each colon-separated field must have at least one digit",
                s,
            ));
        }
        if s.get(off) == Some(&b'.') {
            if ellipsis < 0 && i != 12 {
                return Err(fail(
                    "embedded IPv4 address must replace the final 2 fields of the address",
                    s,
                ));
            }
            if i + 4 > 16 {
                return Err(fail(
                    "too many hex fields to fit an embedded IPv4 at the end of the address",
                    s,
                ));
            }
            // The IPv4 part is checked in place; errors name the whole input.
            let end = input.len() - zone_len;
            let part = &input[end - s.len()..end];
            ipv4_fields(part, fail)?;
            s = &[];
            i += 4;
            break;
        }
        i += 2;
        s = &s[off..];
        if s.is_empty() {
            break;
        }
        if s[0] != b':' {
            return Err(fail("unexpected character, want colon", s));
        } else if s.len() == 1 {
            return Err(fail("colon must be followed by more characters", s));
        }
        s = &s[1..];
        if s.first() == Some(&b':') {
            if ellipsis >= 0 {
                return Err(fail("multiple :: in address", s));
            }
            ellipsis = i;
            s = &s[1..];
            if s.is_empty() {
                break;
            }
        }
    }
    if !s.is_empty() {
        return Err(fail("trailing garbage after address", s));
    }
    if i < 16 {
        if ellipsis < 0 {
            return Err(fail("address string too short", &[]));
        }
    } else if ellipsis >= 0 {
        return Err(fail(
            "the :: must expand to at least one field of zeros",
            &[],
        ));
    }
    Ok(())
}

fn valid_encoded(s: &[u8], mode: Mode) -> bool {
    s.iter().all(|&c| {
        matches!(
            c,
            b'!' | b'$'
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
                | b'@'
                | b'['
                | b']'
                | b'%'
        ) || !should_escape(c, mode)
    })
}

impl Url {
    /// A URL from its parts, as Sprig's `urlJoin` builds one.
    pub(crate) fn from_parts(
        scheme: &str,
        host: &str,
        path: &str,
        query: &str,
        opaque: &str,
        fragment: &str,
        user: Option<Userinfo>,
    ) -> Url {
        Url {
            scheme: scheme.as_bytes().to_vec(),
            host: host.as_bytes().to_vec(),
            path: path.as_bytes().to_vec(),
            raw_query: query.as_bytes().to_vec(),
            opaque: opaque.as_bytes().to_vec(),
            fragment: fragment.as_bytes().to_vec(),
            user,
            ..Url::default()
        }
    }

    fn escaped_path(&self) -> Vec<u8> {
        if !self.raw_path.is_empty()
            && valid_encoded(&self.raw_path, Mode::Path)
            && unescape(&self.raw_path, Mode::Path).is_ok_and(|p| p == self.path)
        {
            return self.raw_path.clone();
        }
        if self.path == b"*" {
            return b"*".to_vec();
        }
        escape(&self.path, Mode::Path)
    }

    fn escaped_fragment(&self) -> Vec<u8> {
        if !self.raw_fragment.is_empty()
            && valid_encoded(&self.raw_fragment, Mode::Fragment)
            && unescape(&self.raw_fragment, Mode::Fragment).is_ok_and(|f| f == self.fragment)
        {
            return self.raw_fragment.clone();
        }
        escape(&self.fragment, Mode::Fragment)
    }

    /// `URL.String()`.
    pub(crate) fn string(&self) -> String {
        let mut buf: Vec<u8> = Vec::new();
        if !self.scheme.is_empty() {
            buf.extend_from_slice(&self.scheme);
            buf.push(b':');
        }
        if self.opaque.is_empty() {
            let has_authority =
                !self.scheme.is_empty() || !self.host.is_empty() || self.user.is_some();
            if has_authority && !(self.omit_host && self.host.is_empty() && self.user.is_none()) {
                if !self.host.is_empty() || !self.path.is_empty() || self.user.is_some() {
                    buf.extend_from_slice(b"//");
                }
                if let Some(u) = &self.user {
                    buf.extend(u.string());
                    buf.push(b'@');
                }
                if !self.host.is_empty() {
                    buf.extend(escape(&self.host, Mode::Host));
                }
            }
            let path = self.escaped_path();
            if path.first().is_some_and(|&c| c != b'/') && !self.host.is_empty() {
                buf.push(b'/');
            }
            if buf.is_empty() {
                // A first segment with a colon would read as a scheme.
                let (segment, _) = cut(&path, b'/');
                if segment.contains(&b':') {
                    buf.extend_from_slice(b"./");
                }
            }
            buf.extend(path);
        } else {
            buf.extend_from_slice(&self.opaque);
        }
        if self.force_query || !self.raw_query.is_empty() {
            buf.push(b'?');
            buf.extend_from_slice(&self.raw_query);
        }
        if !self.fragment.is_empty() {
            buf.push(b'#');
            buf.extend(self.escaped_fragment());
        }
        lossy(&buf)
    }

    /// `URL.Hostname()`: the host without a valid port and brackets.
    pub(crate) fn hostname(&self) -> Vec<u8> {
        let mut host: &[u8] = &self.host;
        if let Some(colon) = host.iter().rposition(|&c| c == b':')
            && valid_optional_port(&host[colon..])
        {
            host = &host[..colon];
        }
        if host.len() >= 2 && host.starts_with(b"[") && host.ends_with(b"]") {
            host = &host[1..host.len() - 1];
        }
        host.to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Url {
        parse(s).unwrap_or_else(|e| unreachable!("{s}: {e}"))
    }

    #[test]
    fn parses_and_reassembles() {
        let u = ok("http://u:p@h:80/a%20b?q=1#f%20g");
        assert_eq!(u.host, b"h:80");
        assert_eq!(u.hostname(), b"h");
        assert_eq!(u.path, b"/a b");
        assert_eq!(u.fragment, b"f g");
        assert_eq!(u.user.as_ref().map(Userinfo::string), Some(b"u:p".to_vec()));
        assert_eq!(u.string(), "http://u:p@h:80/a%20b?q=1#f%20g");
        assert_eq!(ok("mailto:x@y").opaque, b"x@y");
        assert_eq!(ok("http:///p").string(), "http:///p");
        assert_eq!(ok("a/b:c").path, b"a/b:c".to_vec());
    }

    #[test]
    fn errors() {
        let err = |s: &str| parse(s).err().unwrap_or_default();
        assert_eq!(err("://x"), "parse \"://x\": missing protocol scheme");
        assert_eq!(
            err("http://[abc]/"),
            "parse \"http://[abc]/\": invalid host: ParseAddr(\"abc\"): unable to parse IP"
        );
        assert_eq!(
            err("http://[1.2.3.4]/"),
            "parse \"http://[1.2.3.4]/\": invalid IP-literal"
        );
        assert_eq!(
            err("http://a:b:c/"),
            "parse \"http://a:b:c/\": invalid port \":b:c\" after host"
        );
        assert_eq!(
            err("http://h%41/"),
            "parse \"http://h%41/\": invalid URL escape \"%41\""
        );
        assert_eq!(
            err("http://h /"),
            "parse \"http://h /\": invalid character \" \" in host name"
        );
        assert_eq!(
            err("http://h/p#%zz"),
            "parse \"http://h/p#%zz\": invalid URL escape \"%zz\""
        );
        assert_eq!(
            err("a\u{7f}"),
            "parse \"a\\x7f\": net/url: invalid control character in URL"
        );
        assert_eq!(
            err("http://h/%zé"),
            "parse \"http://h/%zé\": invalid URL escape \"%z\\xc3\""
        );
    }

    #[test]
    fn random_urls_do_not_panic() {
        let pieces = [
            "http", ":", "//", "/", "@", "[", "]", "::1", "%", "%2", "%25", "%41", "%zz", "?", "#",
            "a", "1", ".", "é", " ", "\u{7f}", "+", "-", "1.2.3.4", "%c3%a9",
        ];
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as usize
        };
        for _ in 0..5000 {
            let s: String = (0..next() % 9)
                .map(|_| pieces[next() % pieces.len()])
                .collect();
            if let Ok(u) = parse(&s) {
                let _ = u.string();
                let _ = u.hostname();
            }
        }
    }

    #[test]
    fn ip_literals() {
        assert_eq!(parse_addr(b"::1"), Ok(false));
        assert_eq!(parse_addr(b"::ffff:1.2.3.4"), Ok(false));
        assert_eq!(parse_addr(b"fe80::1%en0"), Ok(false));
        assert_eq!(parse_addr(b"1.2.3.4"), Ok(true));
        assert!(parse_addr(b"1::2::3").is_err());
        assert!(parse_addr(b"12345::").is_err());
        assert!(parse_addr(b"1.2.3").is_err());
        assert!(parse_addr(b"01.2.3.4").is_err());
    }
}
