//! Fuzz target: arbitrary text as `~/.aws/config` and as `~/.aws/credentials`.
//!
//! A file may be refused, with an error naming the line; a panic, a stack overflow or a hang is a
//! bug. A profile that parses keeps the name it was read under.
#![no_main]

use codepipeline_jobs::runtime::profile_file::{parse, parse_sections, FileKind, ProfileSet};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(sections) = parse_sections(text, FileKind::Config) {
        for (name, profile) in &sections.profiles {
            assert_eq!(profile.name(), name);
        }
    }
    if let Ok(profiles) = parse(text, FileKind::Credentials) {
        for (name, profile) in &profiles {
            assert_eq!(profile.name(), name);
        }
    }
    // Merging the two files and looking up the default profile, as the credential chain does.
    if let Ok(set) = ProfileSet::from_texts(Some(text), Some(text), None) {
        let _ = set.selected().map(|profile| profile.property_names());
    }
});
