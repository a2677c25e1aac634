//! `@pattern` checks: each distinct pattern is compiled once, on first use, and shared.
//!
//! The generator translates the model's ECMA-262 patterns to Rust regex syntax ahead of time, so only
//! the regex engine runs here. Crates whose patterns need Unicode classes use `regex`; the rest use the
//! much lighter `regex-lite`, and the generator rewrites the import below accordingly.

use std::sync::OnceLock;

use regex_lite::Regex;

use super::validate::{Path, Violation, ViolationKind};

/// A pattern from the model and its lazily compiled form.
#[derive(Debug)]
pub struct Pattern {
    ecma: &'static str,
    regex: &'static str,
    compiled: OnceLock<Option<Regex>>,
}

impl Pattern {
    /// A pattern as the model wrote it (`ecma`) and its translation for the regex engine.
    pub const fn new(ecma: &'static str, regex: &'static str) -> Self {
        Pattern { ecma, regex, compiled: OnceLock::new() }
    }

    /// Whether `value` matches (anywhere, unless the pattern is anchored).
    ///
    /// A translation the engine rejects matches everything rather than failing every call; the
    /// generator's tests compile every pattern of the models it ships, so this does not happen there.
    pub fn is_match(&self, value: &str) -> bool {
        match self.compiled.get_or_init(|| Regex::new(self.regex).ok()) {
            Some(regex) => regex.is_match(value),
            None => true,
        }
    }

    /// Records a violation at `at` when `value` does not match.
    pub fn check(&self, value: &str, at: &Path<'_>, out: &mut Vec<Violation>) {
        if !self.is_match(value) {
            out.push(Violation::new(at.to_text(), ViolationKind::Pattern { pattern: self.ecma }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unanchored_patterns_match_anywhere() {
        static DIGITS: Pattern = Pattern::new("[0-9]+", "[0-9]+");
        assert!(DIGITS.is_match("abc123"));
        assert!(!DIGITS.is_match("abc"));
    }

    #[test]
    fn violations_name_the_pattern_not_the_value() {
        static ANCHORED: Pattern = Pattern::new("^a+$", "^a+$");
        let mut out = Vec::new();
        ANCHORED.check("secret-b", &Path::Root.member("name"), &mut out);
        let text = out[0].to_string();
        assert!(text.contains("name") && text.contains("^a+$") && !text.contains("secret-b"), "{text}");
    }
}
