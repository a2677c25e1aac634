//! The regex engine behind `pattern.rs` in crates whose patterns need lookaround, backreferences,
//! atomic groups or possessive quantifiers: `fancy-regex`, which hands every part without them to
//! `regex`'s automata and backtracks only where it must. Backtracking is bounded, so a hostile value
//! cannot make a check hang: past the limit the value counts as "could not check here".
//!
//! The generator copies this file, `pattern_engine_regex_lite.rs` or `pattern_engine_regex.rs` into
//! a crate as `runtime/pattern_engine.rs`; the three offer the same two functions.

use fancy_regex::{Regex, RegexBuilder};

/// Backtracking steps one match may take before giving up. A tenth of fancy-regex's default: a
/// few milliseconds of work at most, and far more than any real pattern needs on a real value.
const BACKTRACK_LIMIT: usize = 100_000;

/// A compiled pattern.
#[derive(Debug)]
pub(super) struct Compiled(Regex);

impl Compiled {
    /// Compiles a translation, or `None` when the engine refuses it (a size limit).
    pub(super) fn new(regex: &str) -> Option<Self> {
        RegexBuilder::new(regex).backtrack_limit(BACKTRACK_LIMIT).build().ok().map(Compiled)
    }

    /// Whether `value` matches, or `None` when the engine gave up (the backtrack limit) and the
    /// value cannot be checked here.
    pub(super) fn matches(&self, value: &str) -> Option<bool> {
        self.0.is_match(value).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookaround_and_backreferences_match() {
        let tag_key = Compiled::new(r"^(?!aws:)[^\n\r\x{85}\x{2028}\x{2029}]+\z").expect("compiles");
        assert_eq!(tag_key.matches("team"), Some(true));
        assert_eq!(tag_key.matches("aws:team"), Some(false));
        let doubled = Compiled::new(r"^(a+)b\1\z").expect("compiles");
        assert_eq!(doubled.matches("aabaa"), Some(true));
        assert_eq!(doubled.matches("aaba"), Some(false));
    }

    #[test]
    fn a_pathological_pattern_gives_up_instead_of_hanging() {
        // Two identical alternatives under `+`, then a lookahead that forces backtracking: about
        // 2^40 paths before failing on the missing `b`. The limit stops it within milliseconds.
        let pathological = Compiled::new(r"^(?:a|a)+(?!x)b").expect("compiles");
        assert_eq!(pathological.matches(&"a".repeat(40)), None);
        // The same pattern still answers on values that do not explode.
        assert_eq!(pathological.matches("aab"), Some(true));
        assert_eq!(pathological.matches("c"), Some(false));
    }
}
