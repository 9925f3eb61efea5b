//! Sprig v3.3 and Helm 4.2 template functions (under construction).
//!
//! Each module registers one group of functions into a [`FuncMap`].

use rudder_template::FuncMap;

mod crypto;
mod date;
mod network;
mod random;

/// Every Sprig function (minus `env` and `expandenv`), as Helm installs them.
pub fn sprig() -> FuncMap {
    let mut m = FuncMap::new();
    date::register(&mut m);
    crypto::register(&mut m);
    random::register(&mut m);
    network::register(&mut m);
    m
}
