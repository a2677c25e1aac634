//! The regex engine behind `pattern.rs` in crates whose patterns need neither Unicode property
//! classes nor backtracking: `regex-lite`, which carries no Unicode tables and matches with finite
//! automata, so every check finishes in time linear in the value.
//!
//! The generator copies this file, `pattern_engine_regex.rs` or `pattern_engine_fancy.rs` into a
//! crate as `runtime/pattern_engine.rs`; the three offer the same two functions.

use regex_lite::Regex;

/// A compiled pattern.
#[derive(Debug)]
pub(super) struct Compiled(Regex);

impl Compiled {
    /// Compiles a translation, or `None` when the engine refuses it (a size limit).
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
    fn matching_is_by_code_point_and_unanchored() {
        // The generator writes every code point as an escape; an astral one is a single `.`.
        let one_char = Compiled::new(r"^[\x{1F600}-\x{1F64F}].\z").expect("compiles");
        assert_eq!(one_char.matches("\u{1F600}\u{10FFFF}"), Some(true));
        assert_eq!(one_char.matches("\u{1F600}ab"), Some(false));
        let digits = Compiled::new("[0-9]{3}").expect("compiles");
        assert_eq!(digits.matches("abc1234"), Some(true));
    }

    #[test]
    fn a_translation_it_refuses_is_none() {
        assert!(Compiled::new("(unclosed").is_none());
        assert!(Compiled::new(r"^(?:a{1000}){1000}$").is_none(), "beyond the size limit");
    }
}
