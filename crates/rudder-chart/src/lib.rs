//! Helm charts: the model and the loader (under construction).
