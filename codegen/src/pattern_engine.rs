//! Compiles translated patterns at generation time with the engine a generated crate will run them
//! on, built as that crate builds it, so a translation the engine refuses (its compiled form is over
//! the size limit, as `\p{L}{0,1000}` is for `regex` and `\p{L}{0,300}` for fancy-regex) is found
//! here and reported, instead of being emitted as a check that lets every value pass.
//!
//! The crate's side lives in `codegen/runtime/src/pattern_engine_{regex_lite,regex,fancy}.rs`; what is
//! compiled here must fail exactly where `Compiled::new` there fails:
//!
//! - regex-lite and fancy-regex are compiled the way those files compile them (the backtrack limit
//!   that fancy-regex's runtime sets only matters while matching);
//! - for `regex`, cargo builds one `regex-automata` for this crate, and fancy-regex turns on its lazy
//!   DFA, with which `regex::Regex::new` also builds a reverse automaton and fails when that one is
//!   over the limit (it refuses `\p{L}{0,300}` here). A generated crate builds `regex` without its
//!   `perf` features, so it never does (and accepts up to about `\p{L}{0,560}`); the automaton is
//!   therefore built here through `regex-automata` with the configuration `regex::Regex::new` passes
//!   it, and the optional engines a crate without `perf` lacks turned off.
//!
//! Unicode tables cannot make a difference: every table a translation names is one its crate is
//! built with ([`crate::pattern::UnicodeTables`]), this crate is built with all of them, and no
//! translation uses the Perl classes or case folding whose tables a crate leaves out (the tests of
//! [`crate::pattern`] read every translation to make sure).

use std::fmt;

use regex_automata::{meta, util::syntax, MatchKind};

use crate::pattern::Engine;

/// `regex`'s default size limit for a compiled pattern (`RegexBuilder::size_limit`), which it passes
/// to `regex-automata` as the limit of the automaton.
const REGEX_SIZE_LIMIT: usize = 10 * (1 << 20);

/// Why an engine will not build a translation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The engine that refuses.
    pub engine: Engine,
    /// Its reason, in one line.
    pub reason: String,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the {} engine refuses the translation: {}", self.engine.crate_name(), self.reason)
    }
}

/// The words for the refusal every engine has in common; the others mean a translation this
/// generator got wrong.
const SIZE_LIMIT: &str = "compiled size limit exceeded";

/// Compiles `regex` (a translation from [`crate::pattern::translate`]) with `engine`, as a generated
/// crate whose patterns run on that engine compiles it.
///
/// # Errors
///
/// Returns a [`Refusal`] when the engine will not build it.
pub fn compile(engine: Engine, regex: &str) -> Result<(), Refusal> {
    let reason = match engine {
        Engine::RegexLite => regex_lite::Regex::new(regex).err().map(|e| {
            let text = e.to_string();
            if text.contains("size limit") {
                SIZE_LIMIT.to_string()
            } else {
                one_line(&text)
            }
        }),
        Engine::Regex => {
            let config = meta::Config::new()
                .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
                .match_kind(MatchKind::LeftmostFirst)
                .utf8_empty(true)
                .hybrid(false)
                .dfa(false)
                .onepass(false)
                .backtrack(false);
            meta::Builder::new()
                .configure(config)
                .syntax(syntax::Config::new().utf8(true))
                .build(regex)
                .err()
                .map(|e| build_error(&e))
        }
        Engine::FancyRegex => fancy_regex::Regex::new(regex).err().map(|e| match &e {
            fancy_regex::Error::CompileError(inner) => match inner.as_ref() {
                fancy_regex::CompileError::InnerError(build) => build_error(build),
                _ => one_line(&e.to_string()),
            },
            _ => one_line(&e.to_string()),
        }),
    };
    match reason {
        None => Ok(()),
        Some(reason) => Err(Refusal { engine, reason }),
    }
}

/// The reason `regex-automata` gives (also for the parts fancy-regex hands it).
fn build_error(e: &meta::BuildError) -> String {
    if e.size_limit().is_some() {
        SIZE_LIMIT.to_string()
    } else if let Some(syntax) = e.syntax_error() {
        one_line(&syntax.to_string())
    } else {
        one_line(&e.to_string())
    }
}

/// An engine's message on one line (regex's syntax errors draw the pattern over several).
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::translate;

    const ENGINES: [Engine; 3] = [Engine::RegexLite, Engine::Regex, Engine::FancyRegex];

    #[test]
    fn ordinary_translations_compile_on_their_engine_and_every_engine_above_it() {
        for pattern in ["^[0-9]{12}$", r"^[\p{L}\p{N}]{1,64}$", r"^(?!aws:)[a-z]+$", r"^[\w+=,.@-]{1,128}$"] {
            let t = translate(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
            for engine in ENGINES.into_iter().filter(|&engine| engine >= t.engine) {
                assert_eq!(compile(engine, &t.regex), Ok(()), "{pattern} on {engine:?}");
            }
        }
    }

    #[test]
    fn oversized_translations_are_refused_with_the_engine_and_the_reason() {
        let huge = translate("^(?:a{1000}){1000}$").expect("translates");
        for engine in ENGINES {
            let refusal = compile(engine, &huge.regex).expect_err("beyond every engine's size limit");
            assert_eq!(refusal.engine, engine);
            assert_eq!(
                refusal.to_string(),
                format!("the {} engine refuses the translation: compiled size limit exceeded", engine.crate_name())
            );
        }
        // A thousand letters of any script: small as a class of code points, too big as the UTF-8
        // automaton `regex` builds.
        let letters = translate(r"^\p{L}{1,1000}$").expect("translates");
        assert_eq!(letters.engine, Engine::Regex);
        assert_eq!(compile(Engine::Regex, &letters.regex).map_err(|r| r.reason), Err(SIZE_LIMIT.to_string()));
    }

    /// Four hundred letters fit in the automaton a generated crate's `regex` builds (about 560 do),
    /// but not with the reverse automaton that `regex::Regex::new` adds in this build: the check
    /// follows the crate.
    #[test]
    fn the_regex_engine_is_checked_as_a_crate_without_its_perf_features_builds_it() {
        let letters = translate(r"\p{L}{0,400}").expect("translates");
        assert_eq!(compile(Engine::Regex, &letters.regex), Ok(()));
        assert!(matches!(regex::Regex::new(&letters.regex), Err(regex::Error::CompiledTooBig(_))));
        // fancy-regex builds the reverse automaton in the crate too.
        assert!(compile(Engine::FancyRegex, &letters.regex).is_err());
        for pattern in [r"^[\p{L}\p{M}\p{S}\p{N}\p{P}\p{Z}]+$", r"^\p{IsAlphabetic}{1,10}$", r"[^a]{200}", "^a+$"] {
            let t = translate(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
            assert!(regex::Regex::new(&t.regex).is_ok(), "{pattern}");
            assert_eq!(compile(Engine::Regex, &t.regex), Ok(()), "{pattern}");
        }
    }

    #[test]
    fn other_refusals_keep_the_engines_words_on_one_line() {
        let refusal = compile(Engine::Regex, "(unclosed").expect_err("a syntax error");
        assert!(!refusal.reason.contains('\n') && refusal.reason.contains("unclosed group"), "{refusal}");
        let refusal = compile(Engine::RegexLite, "(unclosed").expect_err("a syntax error");
        assert!(!refusal.reason.contains('\n') && !refusal.reason.is_empty(), "{refusal}");
        let refusal = compile(Engine::FancyRegex, "(unclosed").expect_err("a syntax error");
        assert!(!refusal.reason.contains('\n') && !refusal.reason.is_empty(), "{refusal}");
    }
}
