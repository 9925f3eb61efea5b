//! Go-compatible YAML, JSON and TOML for rudder (under construction).
