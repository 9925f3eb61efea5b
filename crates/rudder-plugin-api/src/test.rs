//! `test/v1`: the type Helm's own runtime tests use; not reachable from the
//! command line. Its fields have no JSON tags in Helm, so the wire names
//! are the Go field names.

use crate::go::go_struct;

go_struct! {
    /// What the host sends: `{"Name":"Phippy"}`.
    pub struct Input as "InputMessageTestV1" {
        /// Who to greet.
        pub name: String => "Name",
    }
}

go_struct! {
    /// What the plugin answers: `{"Greeting":"Hello, Phippy! (6)"}`.
    pub struct Output as "OutputMessageTestV1" {
        /// The greeting.
        pub greeting: String => "Greeting",
    }
}

/// The `test/v1` plugin type.
#[derive(Clone, Copy, Debug)]
pub struct TestV1;

impl crate::PluginType for TestV1 {
    const NAME: &'static str = "test/v1";
    type Input = Input;
    type Output = Output;
}
