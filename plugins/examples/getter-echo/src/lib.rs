//! `getter-echo`: a `getter/v1` plugin for the `echo://` scheme.
//!
//! `echo://<anything>?b64=<standard base64>` returns the decoded bytes (so a
//! test can serve a whole chart archive through the plugin);
//! `echo://<anything>` without `b64` returns the URL itself as text. It
//! never touches the network or the filesystem: everything it serves is in
//! the URL.

use rudder_pdk::{getter, Error};

rudder_pdk::getter!(get);

fn get(input: getter::Input) -> Result<getter::Output, Error> {
    if input.protocol != "echo" {
        return Err(format!("getter-echo only serves echo://, not {}://", input.protocol).into());
    }
    let query = input.href.split_once('?').map(|(_, q)| q).unwrap_or("");
    let payload = query.split('&').find_map(|pair| pair.strip_prefix("b64="));
    let data = match payload {
        Some(b64) => rudder_pdk::decode_base64(percent_decode(b64).as_bytes())
            .map_err(|e| format!("getter-echo: b64 parameter is not valid base64: {e}"))?,
        None => input.href.into_bytes(),
    };
    Ok(getter::Output { data })
}

/// Undo URL percent-encoding (`%2B` → `+`, `%3D` → `=`, `%2F` → `/`).
fn percent_decode(s: &str) -> String {
    fn hex(b: u8) -> Option<u8> {
        (b as char).to_digit(16).map(|d| d as u8)
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(href: &str) -> getter::Input {
        getter::Input {
            href: href.to_owned(),
            protocol: "echo".to_owned(),
            ..Default::default()
        }
    }

    #[test]
    fn echoes_the_url_or_the_payload() {
        assert_eq!(get(input("echo://x/y")).unwrap().data, b"echo://x/y");
        assert_eq!(
            get(input("echo://x/c.tgz?b64=aGVsbG8%3D")).unwrap().data,
            b"hello"
        );
        assert!(get(input("echo://x?b64=***")).is_err());
        let mut other = input("s3://x");
        other.protocol = "s3".to_owned();
        assert!(get(other).is_err());
    }
}
