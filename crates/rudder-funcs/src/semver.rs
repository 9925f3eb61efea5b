//! Sprig's `semver` and `semverCompare` over `rudder-semver` (Masterminds
//! semver v3.5, the version Helm 4.2 links), and the `*semver.Version`
//! object templates see (`.Major`, `.Prerelease`, `.Original`,
//! `String()`, comparisons, `IncMajor` and friends).

use std::any::Any;

use rudder_template::{FuncError, FuncMap};
use rudder_value::{GoType, IntKind, Object, ObjectRepr, Signature, Value};

use crate::util::{S, def, sig};

/// The Go type name of the object `semver` returns.
const PTR_TYPE: &str = "*semver.Version";

/// A version as templates see it: `semver` returns a `*semver.Version`;
/// `IncMajor` and the other derived versions are `semver.Version` values,
/// which have fewer methods.
#[derive(Clone, Debug)]
struct Version {
    v: rudder_semver::Version,
    pointer: bool,
}

impl Version {
    fn pointer(v: rudder_semver::Version) -> Version {
        Version { v, pointer: true }
    }

    fn value(v: rudder_semver::Version) -> Value {
        Value::object(Version { v, pointer: false })
    }
}

fn err(e: rudder_semver::SemverError) -> String {
    e.to_string()
}

impl Object for Version {
    fn type_name(&self) -> &str {
        if self.pointer {
            PTR_TYPE
        } else {
            "semver.Version"
        }
    }

    fn repr(&self) -> ObjectRepr {
        ObjectRepr::Struct {
            pointer: self.pointer,
            fields: vec![
                ("major", u(self.v.major())),
                ("minor", u(self.v.minor())),
                ("patch", u(self.v.patch())),
                ("pre", Value::str(self.v.prerelease())),
                ("metadata", Value::str(self.v.metadata())),
                ("original", Value::str(self.v.original())),
            ],
        }
    }

    fn stringer(&self) -> Option<String> {
        Some(self.v.to_string())
    }

    fn field(&self, _name: &str) -> Option<Value> {
        // Every field is unexported.
        None
    }

    fn method(&self, name: &str) -> Option<Signature> {
        let ptr = GoType::Object(PTR_TYPE);
        match name {
            "Major" | "Minor" | "Patch" | "Prerelease" | "Metadata" | "String" | "IncPatch"
            | "IncMinor" | "IncMajor" | "MarshalText" | "MarshalJSON" => Some(sig(&[])),
            "SetPrerelease" | "SetMetadata" => Some(sig(&[S])),
            "Original" if self.pointer => Some(sig(&[])),
            "LessThan" | "LessThanEqual" | "GreaterThan" | "GreaterThanEqual" | "Equal"
            | "Compare"
                if self.pointer =>
            {
                Some(sig(&[ptr]))
            }
            _ => None,
        }
    }

    fn call_method(&self, name: &str, args: Vec<Value>) -> Result<Value, String> {
        let other = || {
            args.first()
                .and_then(|a| a.downcast::<Version>())
                .map(|o| &o.v)
                .ok_or_else(|| "invalid memory address or nil pointer dereference".to_owned())
        };
        let arg_str = || args.first().and_then(Value::as_str).unwrap_or("");
        let v = &self.v;
        Ok(match name {
            "Major" => u(v.major()),
            "Minor" => u(v.minor()),
            "Patch" => u(v.patch()),
            "Prerelease" => Value::str(v.prerelease()),
            "Metadata" => Value::str(v.metadata()),
            "Original" => Value::str(v.original()),
            "String" => Value::string(v.to_string()),
            "MarshalText" => Value::Bytes(v.to_string().into_bytes().into()),
            "MarshalJSON" => {
                Value::Bytes(rudder_value::fmt::quote(&v.to_string()).into_bytes().into())
            }
            "IncPatch" => Version::value(v.inc_patch().map_err(err)?),
            "IncMinor" => Version::value(v.inc_minor().map_err(err)?),
            "IncMajor" => Version::value(v.inc_major().map_err(err)?),
            "SetPrerelease" => Version::value(v.with_prerelease(arg_str()).map_err(err)?),
            "SetMetadata" => Version::value(v.with_metadata(arg_str()).map_err(err)?),
            "LessThan" => Value::Bool(v.compare(other()?).is_lt()),
            "LessThanEqual" => Value::Bool(v.compare(other()?).is_le()),
            "GreaterThan" => Value::Bool(v.compare(other()?).is_gt()),
            "GreaterThanEqual" => Value::Bool(v.compare(other()?).is_ge()),
            "Equal" => Value::Bool(v.compare(other()?).is_eq()),
            "Compare" => Value::int(v.compare(other()?) as i64),
            _ => return Err(format!("can't call method/function {name:?}")),
        })
    }

    fn marshal_json(&self) -> Result<Value, String> {
        Ok(Value::string(self.v.to_string()))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A Go `uint64`.
fn u(x: u64) -> Value {
    Value::Int(x as i64, IntKind::Uint64)
}

pub(crate) fn register(m: &mut FuncMap) {
    def(m, "semver", sig(&[S]), |mut a| {
        rudder_semver::Version::parse(&a.str()?)
            .map(|v| Value::object(Version::pointer(v)))
            .map_err(|e| FuncError::new(e.to_string()))
    });
    def(m, "semverCompare", sig(&[S, S]), |mut a| {
        let (c, v) = (a.str()?, a.str()?);
        let cs =
            rudder_semver::Constraints::parse(&c).map_err(|e| FuncError::new(e.to_string()))?;
        let v = rudder_semver::Version::parse(&v).map_err(|e| FuncError::new(e.to_string()))?;
        Ok(Value::Bool(cs.check(&v)))
    });
}
