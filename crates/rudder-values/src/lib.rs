//! Helm values for rudder: strvals, coalescing, dependencies, schema.

mod json;
pub mod strvals;

pub use strvals::{
    StrvalsError, parse_set, parse_set_file, parse_set_json, parse_set_literal, parse_set_string,
};
