//! The regex engine behind `pattern.rs` in crates whose patterns use Unicode property classes
//! (`\p{L}`, `\p{Alphabetic}`) and no backtracking construct: `regex`, built with only the Unicode
//! tables those classes need. It matches with finite automata, so every check finishes in time
//! linear in the value.
//!
//! The generator copies this file, `pattern_engine_regex_lite.rs` or `pattern_engine_fancy.rs` into
//! a crate as `runtime/pattern_engine.rs`; the three offer the same two functions.

use regex::Regex;

/// A compiled pattern.
#[derive(Debug)]
pub(super) struct Compiled(Regex);

impl Compiled {
    /// Compiles a translation, or `None` when the engine refuses it (a size limit, or a Unicode table
    /// the crate was not built with).
    pub(super) fn new(regex: &str) -> Option<Self> {
        Regex::new(regex).ok().map(Compiled)
    }

    /// Whether `value` matches; this engine always has an answer.
    pub(super) fn matches(&self, value: &str) -> Option<bool> {
        Some(self.0.is_match(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unicode_classes_match_beyond_ascii() {
        // A crate is built with the tables its patterns use: general categories, binary properties
        // or both.
        let letters = Compiled::new(r"^\p{L}+\z")
            .or_else(|| Compiled::new(r"^\p{Alphabetic}+\z"))
            .expect("the crate has one of the two tables");
        assert_eq!(letters.matches("Zo\u{EB}\u{3B1}"), Some(true));
        assert_eq!(letters.matches("a1"), Some(false));
    }

    #[test]
    fn a_translation_it_refuses_is_none() {
        assert!(Compiled::new("(unclosed").is_none());
        assert!(Compiled::new(r"^(?:a{1000}){1000}$").is_none(), "beyond the size limit");
    }
}
