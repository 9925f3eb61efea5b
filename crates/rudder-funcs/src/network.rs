//! Sprig's network and URL functions: `getHostByName`, `urlParse` and
//! `urlJoin`.
//!
//! [`register`] installs Sprig's `getHostByName`, which resolves the name
//! through the system resolver (`getaddrinfo`, where Go may use its own
//! resolver; both read `/etc/hosts` and the system DNS configuration) and
//! returns one of the addresses at random, failing like Sprig (`invalid
//! argument to Intn`) when there is none. Helm replaces it with a function
//! returning `""` unless DNS lookups are enabled (`--enable-dns`,
//! `Engine.EnableDNS`); [`register_get_host_by_name`] installs either
//! variant for a caller that knows the setting.
//!
//! The URL functions follow Go's `net/url` (submodule `url`).

mod url;

use std::net::ToSocketAddrs;

use rudder_template::{FuncError, FuncMap, Function};
use rudder_value::{GoType, Map, MapKind, Signature, Value};

use crate::random::below;

pub(crate) fn register(m: &mut FuncMap) {
    register_get_host_by_name(m, true);

    m.insert(
        "urlParse",
        Function::new(Signature::new(vec![GoType::String]), |_, args| {
            let raw = args.first().and_then(Value::as_str).unwrap_or("");
            let u =
                url::parse(raw).map_err(|e| FuncError::new(format!("unable to parse url: {e}")))?;
            let s = |b: &[u8]| Value::string(String::from_utf8_lossy(b).into_owned());
            let userinfo = u
                .user
                .as_ref()
                .map(url::Userinfo::string)
                .unwrap_or_default();
            Ok(Value::Map(Map::from_entries(
                MapKind::Any,
                [
                    ("scheme", s(&u.scheme)),
                    ("host", s(&u.host)),
                    ("hostname", s(&u.hostname())),
                    ("path", s(&u.path)),
                    ("query", s(&u.raw_query)),
                    ("opaque", s(&u.opaque)),
                    ("fragment", s(&u.fragment)),
                    ("userinfo", s(&userinfo)),
                ],
            )))
        }),
    );

    m.insert(
        "urlJoin",
        Function::new(
            Signature::new(vec![GoType::Map(MapKind::Any)]),
            |_, args| {
                let d = args
                    .first()
                    .and_then(Value::as_map)
                    .cloned()
                    .unwrap_or_default();
                let scheme = dict_get_or_empty(&d, "scheme")?;
                let host = dict_get_or_empty(&d, "host")?;
                let path = dict_get_or_empty(&d, "path")?;
                let query = dict_get_or_empty(&d, "query")?;
                let opaque = dict_get_or_empty(&d, "opaque")?;
                let fragment = dict_get_or_empty(&d, "fragment")?;
                let userinfo = dict_get_or_empty(&d, "userinfo")?;
                let user = if userinfo.is_empty() {
                    None
                } else {
                    url::parse(&format!("proto://{userinfo}@host"))
                        .map_err(|e| {
                            FuncError::new(format!("unable to parse userinfo in dict: {e}"))
                        })?
                        .user
                };
                let u =
                    url::Url::from_parts(&scheme, &host, &path, &query, &opaque, &fragment, user);
                Ok(Value::string(u.string()))
            },
        ),
    );
}

/// Install `getHostByName`: Helm's stub returning `""` when `enable_dns` is
/// false (Helm's default), Sprig's resolver when it is true.
pub(crate) fn register_get_host_by_name(m: &mut FuncMap, enable_dns: bool) {
    let f = if enable_dns {
        Function::new(Signature::new(vec![GoType::String]), |_, args| {
            let name = args.first().and_then(Value::as_str).unwrap_or("");
            let addrs = lookup_host(name);
            if addrs.is_empty() {
                // Sprig indexes a random element of the (empty) result.
                return Err(FuncError::new("invalid argument to Intn"));
            }
            let i = usize::try_from(below(addrs.len() as u64)?).unwrap_or(0);
            Ok(Value::string(addrs.get(i).cloned().unwrap_or_default()))
        })
    } else {
        Function::new(Signature::new(vec![GoType::String]), |_, _| {
            Ok(Value::str(""))
        })
    };
    m.insert("getHostByName", f);
}

/// The addresses `name` resolves to, without duplicates, in resolver
/// order (Go's `net.LookupHost`); empty when the lookup fails.
fn lookup_host(name: &str) -> Vec<String> {
    if name.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    if let Ok(addrs) = (name, 0u16).to_socket_addrs() {
        for a in addrs {
            let ip = a.ip().to_string();
            if !out.contains(&ip) {
                out.push(ip);
            }
        }
    }
    out
}

/// Sprig's `dictGetOrEmpty`: a missing key is `""`, a string is itself,
/// anything else is a panic naming its kind (nil dereferences a nil type).
fn dict_get_or_empty(d: &Map, key: &str) -> Result<String, FuncError> {
    match d.get(key) {
        None => Ok(String::new()),
        Some(Value::Str(s)) => Ok(s.to_string()),
        Some(Value::Nil) => Err(FuncError::new(
            "runtime error: invalid memory address or nil pointer dereference",
        )),
        Some(v) => Err(FuncError::new(format!(
            "unable to parse {key} key, must be of type string, but {} found",
            v.kind_name()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rudder_template::{Context, Error};

    /// A context for calling functions that never use the engine.
    struct NoEngine;

    impl Context for NoEngine {
        fn execute_template(&mut self, _: &str, _: Value) -> Result<String, Error> {
            Err(Error::Other("no engine".to_owned()))
        }

        fn execute_text(&mut self, _: &str, _: &str, _: Value) -> Result<String, Error> {
            Err(Error::Other("no engine".to_owned()))
        }

        fn host(&mut self) -> &mut dyn std::any::Any {
            self
        }
    }

    fn call(m: &FuncMap, name: &str, arg: &str) -> Result<Value, FuncError> {
        let f = m
            .get(name)
            .unwrap_or_else(|| unreachable!("{name} missing"));
        (f.imp)(&mut NoEngine, vec![Value::str(arg)])
    }

    #[test]
    fn get_host_by_name_follows_enable_dns() {
        let mut m = FuncMap::new();
        register(&mut m);
        let got = call(&m, "getHostByName", "127.0.0.1").ok();
        assert_eq!(got.as_ref().and_then(Value::as_str), Some("127.0.0.1"));
        let local = call(&m, "getHostByName", "localhost").ok();
        let local = local
            .as_ref()
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        assert!(local == "127.0.0.1" || local == "::1", "{local}");
        assert_eq!(
            call(&m, "getHostByName", "")
                .err()
                .map(|e| e.message())
                .as_deref(),
            Some("invalid argument to Intn")
        );
        register_get_host_by_name(&mut m, false);
        assert_eq!(
            call(&m, "getHostByName", "127.0.0.1")
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .as_deref(),
            Some("")
        );
    }

    #[test]
    fn lookups_stay_local() {
        assert!(lookup_host("").is_empty());
        assert_eq!(lookup_host("127.0.0.1"), vec!["127.0.0.1".to_owned()]);
        assert_eq!(lookup_host("::1"), vec!["::1".to_owned()]);
    }

    #[test]
    fn dict_values() {
        let d = Map::from_entries(
            MapKind::Any,
            [
                ("a", Value::str("x")),
                ("b", Value::int(1)),
                ("c", Value::Nil),
            ],
        );
        assert_eq!(dict_get_or_empty(&d, "a").ok().as_deref(), Some("x"));
        assert_eq!(dict_get_or_empty(&d, "z").ok().as_deref(), Some(""));
        assert_eq!(
            dict_get_or_empty(&d, "b")
                .err()
                .map(|e| e.message())
                .as_deref(),
            Some("unable to parse b key, must be of type string, but int found")
        );
        assert!(dict_get_or_empty(&d, "c").is_err());
    }
}
