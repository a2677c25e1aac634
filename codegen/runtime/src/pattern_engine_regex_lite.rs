//! The regex engine behind `pattern.rs` in crates whose patterns need neither Unicode property
//! classes nor backtracking: `regex-lite`, which carries no Unicode tables and matches with finite
//! automata, so every check finishes in time linear in the value.
//!
//! The generator copies this file, `pattern_engine_regex.rs` or `pattern_engine_fancy.rs` into a
//! crate as `runtime/pattern_engine.rs`; the three offer the same two functions.

use regex_lite::Regex;

/// A compiled pattern. Most model patterns are one run of a character set (`^[a-zA-Z0-9_-]+$`,
/// `^[a-f0-9]{32}$`); their translations are checked against a table of the set's ASCII characters,
/// which costs a fraction of running the engine's automaton. Every other translation runs on regex-lite.
#[derive(Debug)]
pub(super) enum Compiled {
    AsciiRun(AsciiRun),
    Regex(Regex),
}

impl Compiled {
    /// Compiles a translation, or `None` when the engine refuses it (a size limit).
    pub(super) fn new(regex: &str) -> Option<Self> {
        let engine = Regex::new(regex).ok()?;
        // The engine's verdict on the translation stands: only what it accepts gets the table.
        Some(AsciiRun::parse(regex).map_or(Compiled::Regex(engine), Compiled::AsciiRun))
    }

    /// Whether `value` matches; this engine always has an answer.
    pub(super) fn matches(&self, value: &str) -> Option<bool> {
        Some(match self {
            Compiled::AsciiRun(run) => run.matches(value),
            Compiled::Regex(regex) => regex.is_match(value),
        })
    }
}

/// A translation of the form `^[SET]Q\z`: SET ASCII characters, ranges and escaped punctuation, Q
/// one of `+`, `*`, `{n}`, `{n,}`, `{n,m}`, and before `\z` optionally the line terminator that
/// java.util.regex lets `$` skip.
#[derive(Debug)]
pub(super) struct AsciiRun {
    set: [bool; 128],
    min: usize,
    max: Option<usize>,
    /// Whether one final line terminator may follow the run.
    line_end: bool,
}

/// What the generator writes for `$` at the end of a pattern: an optional line terminator, then the end.
const JAVA_END: &str = r"(?:\r\n|[\n\r\x{85}\x{2028}\x{2029}])?\z";
/// The line terminators [`JAVA_END`] skips.
const LINE_TERMINATORS: [&str; 6] = ["\r\n", "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"];

impl AsciiRun {
    /// The run a translation describes, or `None` when it is anything else.
    fn parse(regex: &str) -> Option<AsciiRun> {
        let bytes = regex.as_bytes();
        let mut i = 2;
        if !regex.starts_with("^[") || bytes.get(i) == Some(&b'^') {
            return None;
        }
        let mut set = [false; 128];
        let literal = |i: usize| -> Option<(u8, usize)> {
            match *bytes.get(i)? {
                b'\\' => bytes.get(i + 1).filter(|b| b.is_ascii_punctuation()).map(|&b| (b, i + 2)),
                b'[' | b']' | b'-' | b'^' | b'&' | b'~' => None,
                b if b.is_ascii_graphic() => Some((b, i + 1)),
                _ => None,
            }
        };
        while bytes.get(i) != Some(&b']') {
            let (low, next) = literal(i)?;
            let (high, next) = if bytes.get(next) == Some(&b'-') { literal(next + 1)? } else { (low, next) };
            if low > high {
                return None;
            }
            for byte in low..=high {
                set[usize::from(byte)] = true;
            }
            i = next;
        }
        let rest = &regex[i + 1..];
        let (min, max, rest) = if let Some(rest) = rest.strip_prefix('+') {
            (1, None, rest)
        } else if let Some(rest) = rest.strip_prefix('*') {
            (0, None, rest)
        } else {
            let (counts, rest) = rest.strip_prefix('{')?.split_once('}')?;
            let (min, max) = match counts.split_once(',') {
                None => (counts, Some(counts)),
                Some((min, "")) => (min, None),
                Some((min, max)) => (min, Some(max)),
            };
            let min: usize = min.parse().ok()?;
            let max: Option<usize> = max.map(str::parse).transpose().ok()?;
            (min, max, rest)
        };
        let line_end = match rest {
            r"\z" => false,
            _ if rest == JAVA_END => true,
            _ => return None,
        };
        Some(AsciiRun { set, min, max, line_end })
    }

    fn matches(&self, value: &str) -> bool {
        let is_run = |text: &str| {
            // Only ASCII bytes can be in the set, so the byte count is the character count.
            text.len() >= self.min
                && self.max.is_none_or(|max| text.len() <= max)
                && text.bytes().all(|b| self.set.get(usize::from(b)).copied().unwrap_or(false))
        };
        is_run(value)
            || (self.line_end && LINE_TERMINATORS.iter().any(|end| value.strip_suffix(end).is_some_and(&is_run)))
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

    /// The table gives the engine's answer for every translation it takes, and takes the common ones.
    #[test]
    fn character_set_runs_match_as_the_engine_does() {
        let end = JAVA_END;
        let translations = [
            format!(r"^[\-0-9A-Z_a-z]+{end}"),
            format!(r"^[0-9a-f]{{32}}{end}"),
            format!(r"^[0-9a-f]{{2,4}}{end}"),
            format!(r"^[0-9a-f]{{2,}}{end}"),
            r"^[\-.0-9A-Z_a-z]*\z".to_string(),
            r"^[\+/-9=A-Z\\a-z]+\z".to_string(),
        ];
        let values = [
            "",
            "a",
            "abc",
            "a-b_C9",
            "a b",
            "abc\n",
            "abc\r\n",
            "abc\n\n",
            "abc\r",
            "\n",
            "abc\u{2028}",
            "abc\u{85}",
            "ab\u{e9}",
            "0123456789abcdef0123456789abcdef",
            "0123456789abcdef0123456789abcdef\n",
            "0123456789abcdef0123456789abcde",
            "ff",
            "fffff",
            "a.b",
            "a+b/c=d\\e",
            "a,b",
            "\u{1F600}",
            "a\0",
        ];
        for translation in &translations {
            let compiled = Compiled::new(translation).expect("compiles");
            assert!(matches!(compiled, Compiled::AsciiRun(_)), "{translation} takes the table");
            let engine = Regex::new(translation).expect("compiles");
            for value in values {
                assert_eq!(compiled.matches(value), Some(engine.is_match(value)), "{translation} on {value:?}");
            }
        }
        for other in [r"^[^a]+\z", r"^[a-z]+(?:x)\z", r"^[\x{E9}a]+\z", r"[a-z]+\z", r"^[a-z]{2,1}\z", r"^[z-a]+\z"] {
            assert!(!matches!(Compiled::new(other), Some(Compiled::AsciiRun(_))), "{other} runs on the engine");
        }
    }

    #[test]
    fn a_translation_it_refuses_is_none() {
        assert!(Compiled::new("(unclosed").is_none());
        assert!(Compiled::new(r"^(?:a{1000}){1000}$").is_none(), "beyond the size limit");
    }
}
