//! Integration tests for rudder-values. Every expected value comes from
//! real Helm through the generators in `scripts/oracle/` (see each fixture
//! folder's `SOURCE`).

mod common;
mod strvals_oracle;
mod values_corpus;
mod values_oracle;
