//! Criterion benchmarks of the hot template functions, called directly
//! through their `Function` implementations.

use criterion::{Criterion, criterion_group, criterion_main};

fn benches(_c: &mut Criterion) {}

criterion_group!(funcs, benches);
criterion_main!(funcs);
