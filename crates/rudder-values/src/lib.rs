//! Helm values: strvals, coalescing, dependencies, schema (under construction).
