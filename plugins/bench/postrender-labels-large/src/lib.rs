//! `postrender-labels-large`: the `postrender-labels` transform in a module
//! of about 3.5 MB, for the plugin benchmark. Go-built plugins (Helm's
//! own test plugin, go-pdk) are ~3.5 MB with ~2.7 MiB of memory at start,
//! and no Go toolchain or go-pdk is reachable on our build machines, so this
//! plugin stands in for one: the same transform as the small example plus
//! generated ballast (see build.rs) that every call runs once, the way a Go
//! module runs its runtime initialisation in each new instance. Only the
//! module's size and start-up work differ from the small plugin.

use rudder_pdk::{postrenderer, Error};

mod ballast {
    include!(concat!(env!("OUT_DIR"), "/ballast.rs"));
}

static DATA: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/data.bin"));

rudder_pdk::postrenderer!(add_labels);

/// Touch every generated function and every data page, like a runtime's
/// start-up; the result only feeds `black_box` so nothing is optimised away.
fn start_up() {
    let mut h = 0u64;
    for f in ballast::BALLAST.iter() {
        h = f(h);
    }
    for page in DATA.chunks(4096) {
        h = h.wrapping_add(u64::from(page[0]));
    }
    std::hint::black_box(h);
}

fn add_labels(input: postrenderer::Input) -> Result<postrenderer::Output, Error> {
    start_up();
    let labels = labels_transform::parse_labels(&input.extra_args)?;
    Ok(postrenderer::Output {
        manifests: labels_transform::transform(&input.manifests, &labels),
    })
}
