//! Go `encoding/json` rules: HTML-safe encoding, and decoding that matches
//! keys case-insensitively, ignores unknown keys, treats `null` as "leave
//! the zero value" and reports type mismatches in Go's words.
//!
//! Decoding is written as "decode into an existing value" ([`GoDecode`])
//! rather than serde's "produce a value", because that is Go's model: a
//! `null` or a repeated key updates what is already there.

use std::fmt;

use serde::Serialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// A plugin message that could not be decoded. The text is Go's
/// (`json: cannot unmarshal …`, `illegal base64 data at input byte 4`,
/// `unexpected end of JSON input`) where rudder knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    message: String,
}

impl DecodeError {
    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DecodeError {}

/// A message that could not be encoded (only possible for foreign
/// `Serialize` implementations; this crate's messages always encode).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncodeError {
    message: String,
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EncodeError {}

/// Where a value sits in the message, for Go's error texts: Go names the
/// innermost struct type and the JSON field path (`GetterOptionsV1.options.URL`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// The whole message.
    Top,
    /// A struct field.
    Field {
        /// The Go name of the struct that declares the field.
        strukt: &'static str,
        /// JSON field names from the top, joined with `.`.
        path: String,
    },
}

impl Place {
    /// The place of field `json` of struct `strukt` below `self`.
    pub fn child(&self, strukt: &'static str, json: &str) -> Place {
        let path = match self {
            Place::Top => json.to_owned(),
            Place::Field { path, .. } => format!("{path}.{json}"),
        };
        Place::Field { strukt, path }
    }

    /// Go's `UnmarshalTypeError` text for a `kind` JSON value (`string`,
    /// `number`, `number 1.5`, `bool`, `array`, `object`) found where a
    /// `go_type` was expected.
    pub fn type_error<E: de::Error>(&self, kind: &str, go_type: &str) -> E {
        E::custom(match self {
            Place::Top => format!("json: cannot unmarshal {kind} into Go value of type {go_type}"),
            Place::Field { strukt, path } => format!(
                "json: cannot unmarshal {kind} into Go struct field {strukt}.{path} of type {go_type}"
            ),
        })
    }
}

/// A value Go's `encoding/json` can decode into, with Go's rules.
pub trait GoDecode {
    /// The Go type name used in error texts (`string`, `schema.GetterOptionsV1`).
    fn go_type() -> &'static str;

    /// Decode the next JSON value into `self`, as Go's `json.Unmarshal` into
    /// an existing value does.
    fn decode_into<'de, D: Deserializer<'de>>(
        &mut self,
        deserializer: D,
        at: &Place,
    ) -> Result<(), D::Error>;
}

/// Decodes one value into a slot; used for struct fields and list elements.
pub(crate) struct Seed<'a, T> {
    target: &'a mut T,
    at: &'a Place,
}

impl<'a, T> Seed<'a, T> {
    pub(crate) fn new(target: &'a mut T, at: &'a Place) -> Seed<'a, T> {
        Seed { target, at }
    }
}

impl<'de, T: GoDecode> DeserializeSeed<'de> for Seed<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        self.target.decode_into(deserializer, self.at)
    }
}

/// Go's field lookup: an exact match wins, then a case-insensitive one.
/// Returns the canonical JSON name of the matching field.
pub(crate) fn match_field(key: &str, fields: &[&'static str]) -> Option<&'static str> {
    if let Some(f) = fields.iter().find(|f| **f == key) {
        return Some(f);
    }
    fields.iter().copied().find(|f| fold_eq(key, f))
}

/// Unicode simple case folding, restricted to what can equal an ASCII
/// field name: ASCII letters, plus the Kelvin sign (folds to `k`) and the
/// long s (folds to `s`), which Go's folding also maps onto ASCII.
fn fold_eq(key: &str, field: &str) -> bool {
    let mut k = key.chars();
    let mut f = field.chars();
    loop {
        match (k.next(), f.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) => {
                let a = match a {
                    '\u{212A}' => 'k',
                    '\u{17F}' => 's',
                    c => c.to_ascii_lowercase(),
                };
                if a != b.to_ascii_lowercase() {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

/// Skip a value nobody asked for.
pub(crate) fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// Implements [`GoDecode`] for a single-kind scalar through a visitor that
/// overrides the accepted `visit_*` and rejects every other kind.
struct ScalarVisitor<'a, T> {
    target: &'a mut T,
    at: &'a Place,
    go_type: &'static str,
}

impl<'de> Visitor<'de> for ScalarVisitor<'_, String> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON string or null")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_bool<E: de::Error>(self, _v: bool) -> Result<(), E> {
        Err(self.at.type_error("bool", self.go_type))
    }
    fn visit_i64<E: de::Error>(self, _v: i64) -> Result<(), E> {
        Err(self.at.type_error("number", self.go_type))
    }
    fn visit_u64<E: de::Error>(self, _v: u64) -> Result<(), E> {
        Err(self.at.type_error("number", self.go_type))
    }
    fn visit_f64<E: de::Error>(self, _v: f64) -> Result<(), E> {
        Err(self.at.type_error("number", self.go_type))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        v.clone_into(self.target);
        Ok(())
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<(), E> {
        *self.target = v;
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _seq: A) -> Result<(), A::Error> {
        Err(self.at.type_error("array", self.go_type))
    }
    fn visit_map<A: MapAccess<'de>>(self, _map: A) -> Result<(), A::Error> {
        Err(self.at.type_error("object", self.go_type))
    }
}

impl GoDecode for String {
    fn go_type() -> &'static str {
        "string"
    }

    fn decode_into<'de, D: Deserializer<'de>>(&mut self, d: D, at: &Place) -> Result<(), D::Error> {
        d.deserialize_any(ScalarVisitor {
            target: self,
            at,
            go_type: "string",
        })
    }
}

impl<'de> Visitor<'de> for ScalarVisitor<'_, bool> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON boolean or null")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        *self.target = v;
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _v: i64) -> Result<(), E> {
        Err(self.at.type_error("number", self.go_type))
    }
    fn visit_u64<E: de::Error>(self, _v: u64) -> Result<(), E> {
        Err(self.at.type_error("number", self.go_type))
    }
    fn visit_f64<E: de::Error>(self, _v: f64) -> Result<(), E> {
        Err(self.at.type_error("number", self.go_type))
    }
    fn visit_str<E: de::Error>(self, _v: &str) -> Result<(), E> {
        Err(self.at.type_error("string", self.go_type))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _seq: A) -> Result<(), A::Error> {
        Err(self.at.type_error("array", self.go_type))
    }
    fn visit_map<A: MapAccess<'de>>(self, _map: A) -> Result<(), A::Error> {
        Err(self.at.type_error("object", self.go_type))
    }
}

impl GoDecode for bool {
    fn go_type() -> &'static str {
        "bool"
    }

    fn decode_into<'de, D: Deserializer<'de>>(&mut self, d: D, at: &Place) -> Result<(), D::Error> {
        d.deserialize_any(ScalarVisitor {
            target: self,
            at,
            go_type: "bool",
        })
    }
}

/// Go's `time.Duration` (an `int64` of nanoseconds): only integral JSON
/// numbers in range are accepted; `1.5` or `1e3` fail as in Go.
impl<'de> Visitor<'de> for ScalarVisitor<'_, i64> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON integer or null")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_bool<E: de::Error>(self, _v: bool) -> Result<(), E> {
        Err(self.at.type_error("bool", self.go_type))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        *self.target = v;
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        match i64::try_from(v) {
            Ok(v) => {
                *self.target = v;
                Ok(())
            }
            Err(_) => Err(self.at.type_error(&format!("number {v}"), self.go_type)),
        }
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        Err(self.at.type_error(&format!("number {v}"), self.go_type))
    }
    fn visit_str<E: de::Error>(self, _v: &str) -> Result<(), E> {
        Err(self.at.type_error("string", self.go_type))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _seq: A) -> Result<(), A::Error> {
        Err(self.at.type_error("array", self.go_type))
    }
    fn visit_map<A: MapAccess<'de>>(self, _map: A) -> Result<(), A::Error> {
        Err(self.at.type_error("object", self.go_type))
    }
}

impl GoDecode for i64 {
    fn go_type() -> &'static str {
        "time.Duration"
    }

    fn decode_into<'de, D: Deserializer<'de>>(&mut self, d: D, at: &Place) -> Result<(), D::Error> {
        d.deserialize_any(ScalarVisitor {
            target: self,
            at,
            go_type: "time.Duration",
        })
    }
}

/// `[]string`: `null` empties the list (Go sets a nil slice); an array
/// replaces it element by element, `null` elements becoming `""`.
impl<'de> Visitor<'de> for ScalarVisitor<'_, Vec<String>> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON array of strings or null")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.target.clear();
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut out = Vec::new();
        loop {
            let mut item = String::new();
            match seq.next_element_seed(Seed::new(&mut item, self.at))? {
                Some(()) => out.push(item),
                None => break,
            }
        }
        *self.target = out;
        Ok(())
    }
    fn visit_bool<E: de::Error>(self, _v: bool) -> Result<(), E> {
        Err(self.at.type_error("bool", self.go_type))
    }
    fn visit_i64<E: de::Error>(self, _v: i64) -> Result<(), E> {
        Err(self.at.type_error("number", self.go_type))
    }
    fn visit_u64<E: de::Error>(self, _v: u64) -> Result<(), E> {
        Err(self.at.type_error("number", self.go_type))
    }
    fn visit_f64<E: de::Error>(self, _v: f64) -> Result<(), E> {
        Err(self.at.type_error("number", self.go_type))
    }
    fn visit_str<E: de::Error>(self, _v: &str) -> Result<(), E> {
        Err(self.at.type_error("string", self.go_type))
    }
    fn visit_map<A: MapAccess<'de>>(self, _map: A) -> Result<(), A::Error> {
        Err(self.at.type_error("object", self.go_type))
    }
}

impl GoDecode for Vec<String> {
    fn go_type() -> &'static str {
        "[]string"
    }

    fn decode_into<'de, D: Deserializer<'de>>(&mut self, d: D, at: &Place) -> Result<(), D::Error> {
        d.deserialize_any(ScalarVisitor {
            target: self,
            at,
            go_type: "[]string",
        })
    }
}

/// `[]byte`: a padded standard base64 string (newlines ignored, as Go's
/// decoder does), `null`, or (rarely used, but Go accepts it) an array of
/// numbers 0–255.
impl<'de> Visitor<'de> for ScalarVisitor<'_, Vec<u8>> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a base64 JSON string, an array of bytes or null")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.target.clear();
        Ok(())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        *self.target = crate::base64::decode_base64(v.as_bytes()).map_err(E::custom)?;
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut out = Vec::new();
        loop {
            let mut item = ByteElem(0);
            match seq.next_element_seed(Seed::new(&mut item, self.at))? {
                Some(()) => out.push(item.0),
                None => break,
            }
        }
        *self.target = out;
        Ok(())
    }
    fn visit_bool<E: de::Error>(self, _v: bool) -> Result<(), E> {
        Err(self.at.type_error("bool", self.go_type))
    }
    fn visit_i64<E: de::Error>(self, _v: i64) -> Result<(), E> {
        Err(self.at.type_error("number", self.go_type))
    }
    fn visit_u64<E: de::Error>(self, _v: u64) -> Result<(), E> {
        Err(self.at.type_error("number", self.go_type))
    }
    fn visit_f64<E: de::Error>(self, _v: f64) -> Result<(), E> {
        Err(self.at.type_error("number", self.go_type))
    }
    fn visit_map<A: MapAccess<'de>>(self, _map: A) -> Result<(), A::Error> {
        Err(self.at.type_error("object", self.go_type))
    }
}

impl GoDecode for Vec<u8> {
    fn go_type() -> &'static str {
        "[]uint8"
    }

    fn decode_into<'de, D: Deserializer<'de>>(&mut self, d: D, at: &Place) -> Result<(), D::Error> {
        d.deserialize_any(ScalarVisitor {
            target: self,
            at,
            go_type: "[]uint8",
        })
    }
}

/// One element of a `[]byte` written as a JSON array.
struct ByteElem(u8);

impl<'de> Visitor<'de> for ScalarVisitor<'_, ByteElem> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a byte")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        match u8::try_from(v) {
            Ok(b) => {
                self.target.0 = b;
                Ok(())
            }
            Err(_) => Err(self.at.type_error(&format!("number {v}"), self.go_type)),
        }
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        Err(self.at.type_error(&format!("number {v}"), self.go_type))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        Err(self.at.type_error(&format!("number {v}"), self.go_type))
    }
    fn visit_bool<E: de::Error>(self, _v: bool) -> Result<(), E> {
        Err(self.at.type_error("bool", self.go_type))
    }
    fn visit_str<E: de::Error>(self, _v: &str) -> Result<(), E> {
        Err(self.at.type_error("string", self.go_type))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _seq: A) -> Result<(), A::Error> {
        Err(self.at.type_error("array", self.go_type))
    }
    fn visit_map<A: MapAccess<'de>>(self, _map: A) -> Result<(), A::Error> {
        Err(self.at.type_error("object", self.go_type))
    }
}

impl GoDecode for ByteElem {
    fn go_type() -> &'static str {
        "uint8"
    }

    fn decode_into<'de, D: Deserializer<'de>>(&mut self, d: D, at: &Place) -> Result<(), D::Error> {
        d.deserialize_any(ScalarVisitor {
            target: self,
            at,
            go_type: "uint8",
        })
    }
}

/// Go's `*bytes.Buffer` as Helm declares some message fields: it has no
/// exported fields, so Go accepts `null` or any object (whose keys it
/// ignores) and rejects every other kind. It carries no data.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct GoBuffer;

impl<'de> Visitor<'de> for ScalarVisitor<'_, GoBuffer> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object or null")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key::<IgnoredAny>()?.is_some() {
            skip(&mut map)?;
        }
        Ok(())
    }
    fn visit_bool<E: de::Error>(self, _v: bool) -> Result<(), E> {
        Err(self.at.type_error("bool", self.go_type))
    }
    fn visit_i64<E: de::Error>(self, _v: i64) -> Result<(), E> {
        Err(self.at.type_error("number", self.go_type))
    }
    fn visit_u64<E: de::Error>(self, _v: u64) -> Result<(), E> {
        Err(self.at.type_error("number", self.go_type))
    }
    fn visit_f64<E: de::Error>(self, _v: f64) -> Result<(), E> {
        Err(self.at.type_error("number", self.go_type))
    }
    fn visit_str<E: de::Error>(self, _v: &str) -> Result<(), E> {
        Err(self.at.type_error("string", self.go_type))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _seq: A) -> Result<(), A::Error> {
        Err(self.at.type_error("array", self.go_type))
    }
}

impl GoDecode for GoBuffer {
    fn go_type() -> &'static str {
        "bytes.Buffer"
    }

    fn decode_into<'de, D: Deserializer<'de>>(&mut self, d: D, at: &Place) -> Result<(), D::Error> {
        d.deserialize_any(ScalarVisitor {
            target: self,
            at,
            go_type: "bytes.Buffer",
        })
    }
}

/// Declares a message struct: the Rust struct (serialized with Go's field
/// names in declaration order) and its Go-rules [`GoDecode`] and serde
/// `Deserialize` implementations. `as "Name"` is the Go type name used in
/// error texts.
macro_rules! go_struct {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident as $go_name:literal {
            $(
                $(#[$fmeta:meta])*
                $fvis:vis $field:ident : $ty:ty => $json:literal
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
        $vis struct $name {
            $(
                $(#[$fmeta])*
                #[serde(rename = $json)]
                $fvis $field: $ty,
            )*
        }

        impl $crate::go::GoDecode for $name {
            fn go_type() -> &'static str {
                concat!("schema.", $go_name)
            }

            fn decode_into<'de, D: serde::Deserializer<'de>>(
                &mut self,
                deserializer: D,
                at: &$crate::go::Place,
            ) -> Result<(), D::Error> {
                struct StructVisitor<'a> {
                    target: &'a mut $name,
                    at: &'a $crate::go::Place,
                    go_type: &'static str,
                }

                impl<'de> serde::de::Visitor<'de> for StructVisitor<'_> {
                    type Value = ();

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("a JSON object for ", $go_name))
                    }

                    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
                        Ok(())
                    }

                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<(), A::Error> {
                        const FIELDS: &[&str] = &[$($json),*];
                        while let Some(key) = map.next_key::<String>()? {
                            match $crate::go::match_field(&key, FIELDS) {
                                $(
                                    Some($json) => {
                                        let place = self.at.child($go_name, $json);
                                        map.next_value_seed($crate::go::Seed::new(
                                            &mut self.target.$field,
                                            &place,
                                        ))?;
                                    }
                                )*
                                _ => $crate::go::skip(&mut map)?,
                            }
                        }
                        Ok(())
                    }

                    fn visit_bool<E: serde::de::Error>(self, _v: bool) -> Result<(), E> {
                        Err(self.at.type_error("bool", self.go_type))
                    }
                    fn visit_i64<E: serde::de::Error>(self, _v: i64) -> Result<(), E> {
                        Err(self.at.type_error("number", self.go_type))
                    }
                    fn visit_u64<E: serde::de::Error>(self, _v: u64) -> Result<(), E> {
                        Err(self.at.type_error("number", self.go_type))
                    }
                    fn visit_f64<E: serde::de::Error>(self, _v: f64) -> Result<(), E> {
                        Err(self.at.type_error("number", self.go_type))
                    }
                    fn visit_str<E: serde::de::Error>(self, _v: &str) -> Result<(), E> {
                        Err(self.at.type_error("string", self.go_type))
                    }
                    fn visit_seq<A: serde::de::SeqAccess<'de>>(
                        self,
                        _seq: A,
                    ) -> Result<(), A::Error> {
                        Err(self.at.type_error("array", self.go_type))
                    }
                }

                deserializer.deserialize_any(StructVisitor {
                    target: self,
                    at,
                    go_type: <Self as $crate::go::GoDecode>::go_type(),
                })
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let mut value = $name::default();
                $crate::go::GoDecode::decode_into(&mut value, deserializer, &$crate::go::Place::Top)?;
                Ok(value)
            }
        }
    };
}
pub(crate) use go_struct;

/// Decode a plugin message with Go's `json.Unmarshal` rules (see the crate
/// docs). As in Go, the whole input is checked for syntax first, so a
/// syntax error anywhere wins over a type error.
pub fn from_json<T: GoDecode + Default>(input: &[u8]) -> Result<T, DecodeError> {
    let text = std::str::from_utf8(input).map_err(|e| DecodeError {
        message: format!("invalid UTF-8 in JSON input at byte {}", e.valid_up_to()),
    })?;
    let mut value = T::default();
    let mut de = serde_json::Deserializer::from_str(text);
    // Decoding walks every byte (unknown fields are skipped, not ignored),
    // so a decode that succeeds and reaches the end proves the syntax too;
    // the separate syntax pass only runs to choose the error to report.
    // That keeps multi-MiB messages to one pass.
    match value
        .decode_into(&mut de, &Place::Top)
        .and_then(|()| de.end())
    {
        Ok(()) => Ok(value),
        Err(e) => {
            serde_json::from_str::<IgnoredAny>(text).map_err(syntax_error)?;
            Err(DecodeError {
                message: bare_message(&e),
            })
        }
    }
}

/// serde_json appends ` at line L column C` to messages; Go does not.
fn bare_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    match text.strip_suffix(&suffix) {
        Some(bare) => bare.to_owned(),
        None => text,
    }
}

fn syntax_error(e: serde_json::Error) -> DecodeError {
    let message = if e.is_eof() {
        "unexpected end of JSON input".to_owned()
    } else {
        bare_message(&e)
    };
    DecodeError { message }
}

/// Encode a message as Go's `json.Marshal` would: compact, fields in
/// declaration order, and HTML-safe string escapes.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, EncodeError> {
    to_json_sized(value, 0)
}

/// [`to_json`] into a buffer of `capacity` bytes to start with: a caller
/// that knows the rough size (a post-renderer's output is about its input)
/// saves the copies of a growing buffer.
pub fn to_json_sized<T: Serialize + ?Sized>(
    value: &T,
    capacity: usize,
) -> Result<Vec<u8>, EncodeError> {
    let mut out = Vec::with_capacity(capacity);
    let mut ser = serde_json::Serializer::new(&mut out);
    value.serialize(&mut ser).map_err(|e| EncodeError {
        message: e.to_string(),
    })?;
    Ok(go_escapes(out))
}

/// serde_json's compact output plus Go's extra escapes: `<`, `>`, `&`,
/// U+2028 and U+2029 (serde_json already escapes control characters the way
/// Go 1.22+ does: `\b`, `\f`, `\n`, `\r`, `\t`, otherwise `\u00XX` in
/// lower-case hex).
///
/// Done as one pass over the finished message rather than per string
/// fragment: outside strings, compact JSON only has `{}[]:,"`, digits,
/// signs, `.eE` and literals, so every one of these bytes is inside a string
/// and escaping it is exactly what Go does. Multi-MiB manifests usually
/// contain none, and then the message is returned untouched after a
/// vectorised search.
fn go_escapes(json: Vec<u8>) -> Vec<u8> {
    let separator = memchr::memchr_iter(0xE2, &json).find(|&i| {
        json[i..].starts_with("\u{2028}".as_bytes()) || json[i..].starts_with("\u{2029}".as_bytes())
    });
    let first = [memchr::memchr3(b'<', b'>', b'&', &json), separator]
        .into_iter()
        .flatten()
        .min();
    let Some(first) = first else {
        return json;
    };
    let mut out = Vec::with_capacity(json.len() + 64);
    out.extend_from_slice(&json[..first]);
    let mut i = first;
    while i < json.len() {
        let (escape, len): (&[u8], usize) = match json[i] {
            b'<' => (b"\\u003c", 1),
            b'>' => (b"\\u003e", 1),
            b'&' => (b"\\u0026", 1),
            0xE2 if json[i..].starts_with("\u{2028}".as_bytes()) => (b"\\u2028", 3),
            0xE2 if json[i..].starts_with("\u{2029}".as_bytes()) => (b"\\u2029", 3),
            b => {
                out.push(b);
                i += 1;
                continue;
            }
        };
        out.extend_from_slice(escape);
        i += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_matching_prefers_exact_then_folds() {
        let fields = ["data", "Data"];
        assert_eq!(match_field("Data", &fields), Some("Data"));
        assert_eq!(match_field("DATA", &fields), Some("data"));
        assert_eq!(match_field("\u{212A}ey", &["key"]), Some("key"));
        assert_eq!(match_field("datas", &fields), None);
        assert_eq!(match_field("dat", &fields), None);
    }

    #[test]
    fn escapes_like_go() {
        let out = to_json(&"<a&b>\u{2028}\u{2029}\n\u{1}\u{7f}é").map(String::from_utf8);
        assert_eq!(
            out,
            Ok(Ok(
                "\"\\u003ca\\u0026b\\u003e\\u2028\\u2029\\n\\u0001\u{7f}é\"".to_owned()
            ))
        );
    }
}
