//! Go's `path` and `path/filepath` functions as Sprig exposes them. On the
//! platforms Helm ships for (Unix), `filepath` behaves like `path`, so both
//! families share one implementation.

use rudder_template::FuncMap;
use rudder_value::Value;
use rudder_value::path::{base, clean, dir, ext};

use crate::util::{S, def, sig};

pub(crate) fn register(m: &mut FuncMap) {
    for (plain, os) in [
        ("base", "osBase"),
        ("dir", "osDir"),
        ("clean", "osClean"),
        ("ext", "osExt"),
    ] {
        let f: fn(&str) -> String = match plain {
            "base" => |p| base(p).to_owned(),
            "dir" => dir,
            "clean" => clean,
            _ => |p| ext(p).to_owned(),
        };
        for name in [plain, os] {
            def(m, name, sig(&[S]), move |mut a| {
                Ok(Value::string(f(&a.str()?)))
            });
        }
    }
    for name in ["isAbs", "osIsAbs"] {
        def(m, name, sig(&[S]), |mut a| {
            Ok(Value::Bool(a.str()?.starts_with('/')))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_functions() {
        assert_eq!(clean("a//b/./../c/"), "a/c");
        assert_eq!(clean("/../a"), "/a");
        assert_eq!(clean("../../a"), "../../a");
        assert_eq!(clean(""), ".");
        assert_eq!(base("/a/b/"), "b");
        assert_eq!(base("///"), "/");
        assert_eq!(dir("/a/b"), "/a");
        assert_eq!(dir("a"), ".");
        assert_eq!(ext("a/b.tar.gz"), ".gz");
        assert_eq!(ext("a.b/c"), "");
    }
}
