//! Fuzz target: arbitrary text as a CLI option value in the AWS CLI's shorthand syntax.
//!
//! Text that does not follow the syntax is an error with a position inside it; a panic, a stack
//! overflow or a hang is a bug.
#![no_main]

use codepipeline_jobs::runtime::cli_shorthand::parse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match parse(text) {
        Ok(value) => assert!(value.is_object(), "shorthand parsed to a non-object: {value}"),
        Err(error) => {
            let characters = text.chars().count();
            assert!(error.position() <= characters + 1, "position {} past the end ({characters})", error.position());
        }
    }
});
