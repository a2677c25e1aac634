//! `@pattern` checks: each distinct pattern is compiled once, on first use, and shared.
//!
//! The generator translates the model's patterns ahead of time into the syntax of the one regex engine
//! this crate uses, with the meaning java.util.regex gives them (the services are Java), so only the
//! engine runs here. The engine sits behind its own module, `pattern_engine`, the only part that
//! differs between crates: the generator copies in one of three files, `regex-lite`'s (the lean
//! default), `regex`'s (for Unicode property classes) or `fancy-regex`'s (for lookaround and
//! backreferences), so a crate depends on exactly one engine.
//!
//! A value that cannot be checked here passes: fancy-regex reaching its backtrack limit, or a
//! translation the engine refuses (a size limit). The generator compiles every translation with this
//! crate's engine and leaves out, with a warning, any it refuses, so the latter takes an engine that
//! differs from the one it checked with (another version, or features some other crate turns on).
//! The service checks every pattern again, and rejecting a valid value would keep a good request
//! from being sent; hanging on a hostile one would be worse.

use std::sync::OnceLock;

use super::pattern_engine as engine;
use super::validate::{Path, Violation, ViolationKind};

/// A pattern from the model and its lazily compiled form.
#[derive(Debug)]
pub struct Pattern {
    ecma: &'static str,
    regex: &'static str,
    compiled: OnceLock<Option<engine::Compiled>>,
}

impl Pattern {
    /// A pattern as the model wrote it (`ecma`) and its translation for this crate's engine.
    pub const fn new(ecma: &'static str, regex: &'static str) -> Self {
        Pattern { ecma, regex, compiled: OnceLock::new() }
    }

    /// Whether `value` matches (anywhere, unless the pattern is anchored), or `None` when it cannot be
    /// checked here.
    pub fn matches(&self, value: &str) -> Option<bool> {
        self.compiled.get_or_init(|| engine::Compiled::new(self.regex)).as_ref()?.matches(value)
    }

    /// Whether `value` passes: it matches, or it cannot be checked here (the service will).
    pub fn is_match(&self, value: &str) -> bool {
        self.matches(value).unwrap_or(true)
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
        assert_eq!(DIGITS.matches("abc"), Some(false));
    }

    #[test]
    fn violations_name_the_pattern_not_the_value() {
        static ANCHORED: Pattern = Pattern::new("^a+$", "^a+$");
        let mut out = Vec::new();
        ANCHORED.check("secret-b", &Path::Root.member("name"), &mut out);
        let text = out[0].to_string();
        assert!(text.contains("name") && text.contains("^a+$") && !text.contains("secret-b"), "{text}");
    }

    #[test]
    fn a_translation_the_engine_refuses_lets_every_value_pass() {
        // Far beyond every engine's size limit: it cannot be checked here, so it is left to the service.
        static HUGE: Pattern = Pattern::new("^(?:a{1000}){1000}$", "^(?:a{1000}){1000}$");
        assert_eq!(HUGE.matches("b"), None);
        assert!(HUGE.is_match("b"));
        let mut out = Vec::new();
        HUGE.check("b", &Path::Root, &mut out);
        assert!(out.is_empty());
    }
}
