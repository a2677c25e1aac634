//! Fuzz target: arbitrary bytes through the model loader and, when they load, lowering to the IR.
//!
//! Either stage may refuse the input, but only with an error that names the file; a panic, a stack
//! overflow or a hang is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;

const FILE: &str = "fuzz.json";

fuzz_target!(|data: &[u8]| {
    let model = match codegen::model::load_slice(FILE, data) {
        Ok(model) => model,
        Err(e) => {
            assert!(e.to_string().starts_with("fuzz.json: "), "load error without the file name: {e}");
            return;
        }
    };
    if let Err(e) = codegen::ir::lower(&model, &codegen::Selection::default()) {
        assert!(e.to_string().starts_with("fuzz.json: "), "lowering error without the file name: {e}");
    }
});
