//! Translates Smithy `@pattern` values (ECMA-262 regular expressions) into the
//! syntax of the Rust `regex` and `regex-lite` crates, so generated crates can
//! validate strings exactly as the service does.
//!
//! # Semantics
//!
//! The translation keeps ECMA-262 meaning wherever Rust can express it:
//!
//! - A pattern matches anywhere in the value unless it is anchored; `^` and
//!   `$` anchor the whole input (Smithy never sets the multiline flag), and
//!   `|` binds loosest, so `^a|b$` means `(^a)|(b$)`.
//! - `\d`, `\w`, `\s`, their negations and `.` are emitted as explicit code
//!   point ranges. Their ECMA definitions are ASCII-only (`\d`, `\w`) or a
//!   fixed list (`\s`, the line terminators excluded by `.`), while the Rust
//!   crates disagree with each other (regex-lite is ASCII-only, `regex` is
//!   Unicode-aware); spelling the ranges out makes the result identical in
//!   both crates. `\b`/`\B` become `(?-u:\b)`/`(?-u:\B)` for the same reason.
//! - Matching is by code point, as with ECMA's `u` flag and as Java (the
//!   language of the services that enforce these patterns) does. A surrogate
//!   pair written as two `\u` escapes (`\uD83D\uDE00`) is one code point, also
//!   as a class range endpoint, so `[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF]`
//!   covers every non-surrogate code point from U+0020 up, including all of
//!   U+10000..=U+10FFFF.
//! - Lone surrogates can never occur in a Rust string. Inside a class they are
//!   dropped (a range such as `\u0000-\uFFFF` simply skips U+D800..=U+DFFF, and
//!   `[^\uD800-\uDFFF]` matches every character); a class or atom that could
//!   match *only* lone surrogates is an error, because it is a UTF-16 idiom
//!   (such as `[\uD800-\uDBFF][\uDC00-\uDFFF]`) whose intent we cannot keep.
//! - Annex B leniencies that real models rely on are accepted: identity
//!   escapes (`\-`, `\_`, `\.`, `\/`...), `[\w-_]` (a class escape next to `-`
//!   makes the `-` literal), literal `]`, `{` and `}` where they cannot be
//!   syntax, legacy octal escapes and `\c` without a control letter.
//! - `\p{..}`/`\P{..}` are honoured although ECMA reads them only with the `u`
//!   flag, because model authors use them as Unicode classes. General
//!   categories (`L`, `Lu`, `Letter`, `gc=Lu`...) become Rust `\p{..}` classes
//!   and set [`Translated::needs_unicode`]. The Java POSIX classes (`Print`,
//!   `Alpha`, `Alnum`, `Punct`...) that appear in AWS models get Java's default
//!   ASCII-only definitions (for example `\p{Print}` is `[\x20-\x7E]`),
//!   because the Java services apply those definitions. `\u{..}` is likewise
//!   read as a code point escape.
//! - Named groups become non-capturing groups: the generated code only asks
//!   whether a value matches, and ECMA group names need not be valid Rust ones.
//!
//! Lookaround, backreferences and inline flags have no Rust equivalent and
//! are reported as [`PatternError`]s, as is any syntax ECMA rejects.
//!
//! The output is always valid syntax for `regex`, and also for `regex-lite`
//! whenever `needs_unicode` is false. Compiling it can still exceed an
//! engine's size limit when a large repetition count applies to a big class
//! (for example `\p{L}{0,300}` with `regex`'s default limit), so generated code
//! must treat compilation as fallible.

use std::fmt;

/// A pattern translated to Rust regex syntax.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translated {
    /// The pattern in the syntax shared by the `regex` and `regex-lite` crates.
    pub regex: String,
    /// True when `regex` uses Unicode property classes (`\p{..}`/`\P{..}`),
    /// which only the `regex` crate supports; otherwise `regex-lite` suffices.
    pub needs_unicode: bool,
}

/// Why a pattern could not be translated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    /// Byte offset in the original pattern where the offending construct starts.
    pub offset: usize,
    /// What is wrong, in words meant for the author of the model.
    pub message: String,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at byte {}: {}", self.offset, self.message)
    }
}

impl std::error::Error for PatternError {}

/// Translates an ECMA-262 `@pattern` into Rust regex syntax.
///
/// # Errors
///
/// Returns a [`PatternError`] for ECMA syntax errors and for constructs that
/// Rust regexes cannot express (lookaround, backreferences, inline flags,
/// patterns that can only match lone surrogates), as well as for nesting or
/// repetition counts beyond the limits described on the module.
pub fn translate(ecma: &str) -> Result<Translated, PatternError> {
    let (capture_count, has_named_groups) = scan_groups(ecma);
    let mut parser = Parser {
        src: ecma,
        pos: 0,
        out: String::with_capacity(ecma.len() * 2),
        needs_unicode: false,
        capture_count,
        has_named_groups,
        depth: 0,
    };
    parser.parse_disjunction()?;
    if parser.peek().is_some() {
        // parse_disjunction only stops early at a `)` it did not open.
        return Err(parser.error(parser.pos, "unmatched `)`"));
    }
    Ok(Translated { regex: parser.out, needs_unicode: parser.needs_unicode })
}

/// Largest repetition count accepted. ECMA has no limit, but counts this big
/// already produce automata far beyond what the Rust engines will build.
const MAX_REPEAT: u64 = 100_000;

/// Deepest group nesting accepted. regex-lite refuses patterns nested about
/// 50 levels deep (groups and repetitions both count), and real models nest
/// two or three levels, so this leaves ample room on both sides.
const MAX_NESTING: usize = 32;

const MAX_CHAR: u32 = 0x10_FFFF;
const SURROGATES: (u32, u32) = (0xD800, 0xDFFF);

/// What `.` excludes: ECMA's line terminators.
const DOT: &str = r"[^\n\r\x{2028}\x{2029}]";
/// A class that no character matches; both crates accept it.
const NEVER: &str = r"[^\x{0}-\x{10FFFF}]";
/// A class that every character matches (ECMA `[^]`).
const ANY: &str = r"[\x{0}-\x{10FFFF}]";

const DIGIT: &[(u32, u32)] = &[(0x30, 0x39)];
const WORD: &[(u32, u32)] = &[(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)];
/// ECMA WhiteSpace plus LineTerminator.
const SPACE: &[(u32, u32)] = &[
    (0x09, 0x0D),
    (0x20, 0x20),
    (0xA0, 0xA0),
    (0x1680, 0x1680),
    (0x2000, 0x200A),
    (0x2028, 0x2029),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
    (0xFEFF, 0xFEFF),
];

/// Counts capturing groups and notes whether any is named, which decides how
/// `\1` and `\k` read (backreference or Annex B escape) before we reach them.
fn scan_groups(src: &str) -> (usize, bool) {
    let mut count = 0;
    let mut named = false;
    let mut in_class = false;
    let mut chars = src.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '[' => in_class = true,
            ']' => in_class = false,
            '(' if !in_class => {
                if chars.peek() != Some(&'?') {
                    count += 1;
                    continue;
                }
                let mut ahead = chars.clone();
                ahead.next();
                if ahead.next() == Some('<') && !matches!(ahead.next(), Some('=' | '!')) {
                    count += 1;
                    named = true;
                }
            }
            _ => {}
        }
    }
    (count, named)
}

/// What the previous term was, to tell whether a quantifier may follow.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    /// Start of an alternative, an assertion, or a quantified term.
    NotQuantifiable,
    Atom,
}

/// A set of code points: explicit ranges plus Rust property classes.
#[derive(Default)]
struct ClassSet {
    ranges: Vec<(u32, u32)>,
    /// Rendered Rust property classes such as `\p{L}` or `\P{Nd}`.
    props: Vec<String>,
    /// Whether lone surrogates were asked for (and will be dropped).
    had_surrogates: bool,
}

impl ClassSet {
    fn from_ranges(ranges: &[(u32, u32)]) -> Self {
        ClassSet { ranges: ranges.to_vec(), ..ClassSet::default() }
    }

    fn add_char(&mut self, c: u32) {
        self.ranges.push((c, c));
    }

    /// Adds `other`, complemented when `negated`. Complementing needs explicit
    /// ranges because regex-lite has no nested classes; property classes are
    /// negated by switching `\p` and `\P`, which keeps them valid inside a class.
    fn add_set(&mut self, other: ClassSet, negated: bool) {
        self.had_surrogates |= other.had_surrogates;
        if negated {
            self.ranges.extend(complement(&other.ranges));
            self.props.extend(other.props.iter().map(|p| flip_property(p)));
        } else {
            self.ranges.extend(other.ranges);
            self.props.extend(other.props);
        }
    }

    /// Sorts and merges the ranges and removes surrogates, which Rust
    /// characters can never be.
    fn normalize(&mut self) {
        let mut kept = Vec::with_capacity(self.ranges.len());
        for &(lo, hi) in &self.ranges {
            if hi < SURROGATES.0 || lo > SURROGATES.1 {
                kept.push((lo, hi));
                continue;
            }
            if lo < SURROGATES.0 {
                kept.push((lo, SURROGATES.0 - 1));
            }
            if hi > SURROGATES.1 {
                kept.push((SURROGATES.1 + 1, hi));
            }
            self.had_surrogates = true;
        }
        self.ranges = merge(kept);
    }
}

fn flip_property(p: &str) -> String {
    if let Some(rest) = p.strip_prefix("\\p") {
        format!("\\P{rest}")
    } else if let Some(rest) = p.strip_prefix("\\P") {
        format!("\\p{rest}")
    } else {
        p.to_string()
    }
}

fn merge(mut ranges: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    ranges.sort_unstable();
    let mut merged: Vec<(u32, u32)> = Vec::with_capacity(ranges.len());
    for (lo, hi) in ranges {
        match merged.last_mut() {
            Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
            _ => merged.push((lo, hi)),
        }
    }
    merged
}

fn complement(ranges: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let mut next = 0u32;
    for (lo, hi) in merge(ranges.to_vec()) {
        if lo > next {
            out.push((next, lo - 1));
        }
        next = hi.saturating_add(1);
    }
    if next <= MAX_CHAR {
        out.push((next, MAX_CHAR));
    }
    out
}

/// One escape sequence, read in or out of a class.
enum Escape {
    /// A single code point, possibly a lone surrogate.
    Char(u32),
    /// A class escape; `negated` asks for the complement of the set.
    Set(ClassSet, bool),
    /// `\b` (false) or `\B` (true) outside a class.
    WordBoundary(bool),
}

/// One item of a character class before ranges are formed.
enum ClassAtom {
    Char(u32),
    Set(ClassSet, bool),
}

struct Parser<'a> {
    src: &'a str,
    /// Byte offset of the next unread character.
    pos: usize,
    out: String,
    needs_unicode: bool,
    capture_count: usize,
    has_named_groups: bool,
    depth: usize,
}

impl Parser<'_> {
    fn error(&self, offset: usize, message: impl Into<String>) -> PatternError {
        PatternError { offset, message: message.into() }
    }

    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.src[self.pos..].chars().nth(n)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn parse_disjunction(&mut self) -> Result<(), PatternError> {
        loop {
            self.parse_alternative()?;
            if self.eat('|') {
                self.out.push('|');
            } else {
                return Ok(());
            }
        }
    }

    fn parse_alternative(&mut self) -> Result<(), PatternError> {
        let mut last = Last::NotQuantifiable;
        while let Some(c) = self.peek() {
            let start = self.pos;
            last = match c {
                '|' | ')' => return Ok(()),
                '^' | '$' => {
                    self.bump();
                    self.out.push(c);
                    Last::NotQuantifiable
                }
                '*' | '+' | '?' => {
                    self.bump();
                    self.quantifier(last, start, &c.to_string())?
                }
                '{' => match self.braced_quantifier()? {
                    Some(q) => self.quantifier(last, start, &q)?,
                    None => {
                        // Annex B: a `{` that does not start a quantifier is literal.
                        self.bump();
                        push_char(&mut self.out, '{' as u32);
                        Last::Atom
                    }
                },
                '(' => {
                    self.group()?;
                    Last::Atom
                }
                '[' => {
                    self.class()?;
                    Last::Atom
                }
                '.' => {
                    self.bump();
                    self.out.push_str(DOT);
                    Last::Atom
                }
                '\\' => self.atom_escape()?,
                _ => {
                    self.bump();
                    push_char(&mut self.out, c as u32);
                    Last::Atom
                }
            };
        }
        Ok(())
    }

    /// Emits quantifier `q` (plus a lazy `?` if present) after checking that
    /// the previous term can be repeated.
    fn quantifier(&mut self, last: Last, start: usize, q: &str) -> Result<Last, PatternError> {
        if last != Last::Atom {
            return Err(self.error(start, format!("quantifier `{q}` has nothing to repeat")));
        }
        self.out.push_str(q);
        if self.eat('?') {
            self.out.push('?');
        }
        Ok(Last::NotQuantifiable)
    }

    /// Reads `{n}`, `{n,}` or `{n,m}` at the current `{`. Returns `None`, with
    /// nothing consumed, when the brace is not a quantifier.
    fn braced_quantifier(&mut self) -> Result<Option<String>, PatternError> {
        let start = self.pos;
        let rest = &self.src[start + 1..];
        let (min, after_min) = match read_number(rest) {
            Some(v) => v,
            None => return Ok(None),
        };
        let rest = &rest[after_min..];
        let (max, consumed) = if let Some(r) = rest.strip_prefix('}') {
            (Some(min), rest.len() - r.len())
        } else if let Some(r) = rest.strip_prefix(",}") {
            (None, rest.len() - r.len())
        } else if let Some(r) = rest.strip_prefix(',') {
            match read_number(r) {
                Some((m, len)) if r[len..].starts_with('}') => (Some(m), 1 + len + 1),
                _ => return Ok(None),
            }
        } else {
            return Ok(None);
        };
        for n in std::iter::once(min).chain(max) {
            if n > MAX_REPEAT {
                return Err(
                    self.error(start, format!("repetition count {n} exceeds the supported maximum of {MAX_REPEAT}"))
                );
            }
        }
        if let Some(max) = max {
            if min > max {
                return Err(self.error(start, format!("repetition range {{{min},{max}}} is out of order")));
            }
        }
        self.pos = start + 1 + after_min + consumed;
        Ok(Some(match max {
            Some(max) if max == min => format!("{{{min}}}"),
            Some(max) => format!("{{{min},{max}}}"),
            None => format!("{{{min},}}"),
        }))
    }

    fn group(&mut self) -> Result<(), PatternError> {
        let start = self.pos;
        self.bump();
        if self.eat('?') {
            match self.peek() {
                Some(':') => {
                    self.bump();
                }
                Some('=' | '!') => {
                    return Err(self.error(start, "lookahead assertions are not supported"));
                }
                Some('<') if matches!(self.peek_at(1), Some('=' | '!')) => {
                    return Err(self.error(start, "lookbehind assertions are not supported"));
                }
                Some('<') => {
                    self.bump();
                    self.group_name(start)?;
                }
                _ => {
                    return Err(self
                        .error(start, "unsupported group syntax `(?`: inline flags and modifiers are not supported"));
                }
            }
            self.out.push_str("(?:");
        } else {
            self.out.push('(');
        }
        if self.depth >= MAX_NESTING {
            return Err(self.error(start, format!("groups are nested more than {MAX_NESTING} levels deep")));
        }
        self.depth += 1;
        self.parse_disjunction()?;
        self.depth -= 1;
        if !self.eat(')') {
            return Err(self.error(start, "group is never closed with `)`"));
        }
        self.out.push(')');
        Ok(())
    }

    /// Validates a group name up to and including `>`; the name itself is
    /// dropped because the group becomes non-capturing.
    fn group_name(&mut self, start: usize) -> Result<(), PatternError> {
        let mut first = true;
        loop {
            match self.bump() {
                Some('>') if !first => return Ok(()),
                Some(c) if c == '$' || c == '_' || c.is_alphabetic() => {}
                Some(c) if !first && c.is_alphanumeric() => {}
                _ => return Err(self.error(start, "invalid capture group name")),
            }
            first = false;
        }
    }

    fn atom_escape(&mut self) -> Result<Last, PatternError> {
        let start = self.pos;
        match self.escape(false)? {
            Escape::WordBoundary(negated) => {
                self.out.push_str(if negated { r"(?-u:\B)" } else { r"(?-u:\b)" });
                Ok(Last::NotQuantifiable)
            }
            Escape::Char(c) if is_surrogate(c) => Err(self.error(
                start,
                format!(
                    "lone surrogate \\u{c:04X} can never match a Rust string; \
                     write a supplementary character as a surrogate pair"
                ),
            )),
            Escape::Char(c) => {
                push_char(&mut self.out, c);
                Ok(Last::Atom)
            }
            Escape::Set(mut set, negated) => {
                set.normalize();
                if set.ranges.is_empty() && set.props.is_empty() {
                    if negated {
                        self.out.push_str(ANY);
                        return Ok(Last::Atom);
                    }
                    return Err(
                        self.error(start, "class matches only lone surrogates, which can never occur in a Rust string")
                    );
                }
                if set.ranges.is_empty() && set.props.len() == 1 && !negated {
                    self.out.push_str(&set.props[0]);
                } else {
                    emit_class(&mut self.out, &set, negated);
                }
                Ok(Last::Atom)
            }
        }
    }

    fn class(&mut self) -> Result<(), PatternError> {
        let start = self.pos;
        self.bump();
        let negated = self.eat('^');
        let mut set = ClassSet::default();
        loop {
            match self.peek() {
                None => return Err(self.error(start, "character class is never closed with `]`")),
                Some(']') => {
                    self.bump();
                    break;
                }
                Some(_) => {}
            }
            let atom_start = self.pos;
            let first = self.class_atom()?;
            let is_range = self.peek() == Some('-') && !matches!(self.peek_at(1), None | Some(']'));
            if !is_range {
                add_atom(&mut set, first);
                continue;
            }
            self.bump();
            let second = self.class_atom()?;
            match (first, second) {
                (ClassAtom::Char(lo), ClassAtom::Char(hi)) => {
                    if lo > hi {
                        return Err(self.error(atom_start, "character class range is out of order"));
                    }
                    set.ranges.push((lo, hi));
                }
                // Annex B: next to a class escape, `-` is a literal.
                (first, second) => {
                    add_atom(&mut set, first);
                    set.add_char('-' as u32);
                    add_atom(&mut set, second);
                }
            }
        }
        set.normalize();
        if set.ranges.is_empty() && set.props.is_empty() {
            if negated {
                self.out.push_str(ANY);
            } else if set.had_surrogates {
                return Err(self.error(
                    start,
                    "character class matches only lone surrogates, which can never occur in a Rust string; \
                     write supplementary characters as surrogate pairs such as [\\uD800\\uDC00-\\uDBFF\\uDFFF]",
                ));
            } else {
                self.out.push_str(NEVER);
            }
            return Ok(());
        }
        emit_class(&mut self.out, &set, negated);
        Ok(())
    }

    fn class_atom(&mut self) -> Result<ClassAtom, PatternError> {
        if self.peek() == Some('\\') {
            return Ok(match self.escape(true)? {
                Escape::Char(c) => ClassAtom::Char(c),
                Escape::Set(set, negated) => ClassAtom::Set(set, negated),
                // escape(true) reads `\b` and `\B` as characters.
                Escape::WordBoundary(_) => ClassAtom::Char(0x08),
            });
        }
        match self.bump() {
            Some(c) => Ok(ClassAtom::Char(c as u32)),
            None => Err(self.error(self.pos, "character class is never closed with `]`")),
        }
    }

    /// Reads the escape sequence at the current `\`.
    fn escape(&mut self, in_class: bool) -> Result<Escape, PatternError> {
        let start = self.pos;
        self.bump();
        let Some(c) = self.bump() else {
            return Err(self.error(start, "pattern ends with a lone backslash"));
        };
        let esc = match c {
            'd' | 'D' => Escape::Set(ClassSet::from_ranges(DIGIT), c == 'D'),
            'w' | 'W' => Escape::Set(ClassSet::from_ranges(WORD), c == 'W'),
            's' | 'S' => Escape::Set(ClassSet::from_ranges(SPACE), c == 'S'),
            'p' | 'P' if self.peek() == Some('{') => self.property(start, c == 'P')?,
            'b' if in_class => Escape::Char(0x08),
            'b' | 'B' if !in_class => Escape::WordBoundary(c == 'B'),
            'f' => Escape::Char(0x0C),
            'n' => Escape::Char(0x0A),
            'r' => Escape::Char(0x0D),
            't' => Escape::Char(0x09),
            'v' => Escape::Char(0x0B),
            'c' => match self.peek() {
                Some(l) if l.is_ascii_alphabetic() || (in_class && (l.is_ascii_digit() || l == '_')) => {
                    self.bump();
                    Escape::Char(l as u32 % 32)
                }
                // Annex B: `\c` without a control letter is a literal backslash
                // and the `c` is read again as an ordinary character.
                _ => {
                    self.pos = start + 1;
                    Escape::Char('\\' as u32)
                }
            },
            'x' => match self.hex_digits(2) {
                Some(v) => Escape::Char(v),
                None => Escape::Char('x' as u32),
            },
            'u' => self.unicode_escape(start)?,
            '0' if self.peek().is_some_and(|d| d.is_digit(8)) => Escape::Char(self.legacy_octal(c)),
            '0' => Escape::Char(0),
            // Annex B: in a class, digits are octal or identity escapes.
            '1'..='9' if in_class => Escape::Char(self.legacy_octal(c)),
            '1'..='9' if !in_class => {
                let digits_start = start + 1;
                let digits: String = self.src[digits_start..].chars().take_while(char::is_ascii_digit).collect();
                let n = digits.parse::<usize>().unwrap_or(usize::MAX);
                if n <= self.capture_count {
                    return Err(self.error(start, "backreferences are not supported"));
                }
                // Annex B: with no such group this is an octal or identity escape.
                if c == '8' || c == '9' {
                    Escape::Char(c as u32)
                } else {
                    Escape::Char(self.legacy_octal(c))
                }
            }
            'k' if !in_class && self.has_named_groups => {
                return Err(self.error(start, "backreferences (\\k<name>) are not supported"));
            }
            // Identity escape: the character stands for itself.
            other => Escape::Char(other as u32),
        };
        Ok(esc)
    }

    /// Reads the rest of a legacy octal escape whose first digit was `first`.
    fn legacy_octal(&mut self, first: char) -> u32 {
        if first == '8' || first == '9' {
            return first as u32;
        }
        let mut value = first as u32 - '0' as u32;
        // Up to three digits while the value stays within one byte.
        let max_digits = if value <= 3 { 3 } else { 2 };
        for _ in 1..max_digits {
            match self.peek().and_then(|d| d.to_digit(8)) {
                Some(d) => {
                    self.bump();
                    value = value * 8 + d;
                }
                None => break,
            }
        }
        value
    }

    /// Reads `n` hex digits if all are present; consumes nothing otherwise.
    fn hex_digits(&mut self, n: usize) -> Option<u32> {
        let rest = &self.src[self.pos..];
        let digits = rest.get(..n)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let v = u32::from_str_radix(digits, 16).ok()?;
        self.pos += n;
        Some(v)
    }

    /// Reads what follows `\u`: four hex digits (combining a following low
    /// surrogate escape into one code point), or `{hex}`.
    fn unicode_escape(&mut self, start: usize) -> Result<Escape, PatternError> {
        if self.peek() == Some('{') {
            let rest = &self.src[self.pos + 1..];
            let len = rest.bytes().take_while(u8::is_ascii_hexdigit).count();
            if len > 0 && rest[len..].starts_with('}') {
                let value = rest[..len]
                    .chars()
                    .fold(0u32, |acc, d| acc.saturating_mul(16).saturating_add(d.to_digit(16).unwrap_or(0)));
                if value > MAX_CHAR {
                    return Err(self.error(start, "code point escape is above U+10FFFF"));
                }
                self.pos += 1 + len + 1;
                return Ok(Escape::Char(value));
            }
            return Ok(Escape::Char('u' as u32));
        }
        let Some(high) = self.hex_digits(4) else {
            return Ok(Escape::Char('u' as u32));
        };
        if (0xD800..=0xDBFF).contains(&high) && self.src[self.pos..].starts_with("\\u") {
            let save = self.pos;
            self.pos += 2;
            match self.hex_digits(4) {
                Some(low) if (0xDC00..=0xDFFF).contains(&low) => {
                    return Ok(Escape::Char(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)));
                }
                _ => self.pos = save,
            }
        }
        Ok(Escape::Char(high))
    }

    /// Reads `{name}` after `\p` or `\P`.
    fn property(&mut self, start: usize, negated: bool) -> Result<Escape, PatternError> {
        let rest = &self.src[self.pos + 1..];
        let Some(end) = rest.find('}') else {
            return Err(self.error(start, "unterminated Unicode property escape: missing `}`"));
        };
        let name = &rest[..end];
        self.pos += 1 + end + 1;
        if let Some(ranges) = posix_class(name) {
            return Ok(Escape::Set(ClassSet::from_ranges(ranges), negated));
        }
        let value = name.strip_prefix("General_Category=").or_else(|| name.strip_prefix("gc=")).unwrap_or(name);
        let Some(category) = general_category(value) else {
            return Err(self.error(
                start,
                format!(
                    "unsupported property class \\{}{{{name}}}: only Unicode general categories \
                     and Java POSIX classes are supported",
                    if negated { 'P' } else { 'p' }
                ),
            ));
        };
        if category == "Cs" {
            // Rust strings hold no surrogates: \p{Cs} is empty, \P{Cs} is everything.
            let set = ClassSet { had_surrogates: true, ..ClassSet::default() };
            return Ok(Escape::Set(set, negated));
        }
        self.needs_unicode = true;
        let set = ClassSet {
            props: vec![format!("\\{}{{{category}}}", if negated { 'P' } else { 'p' })],
            ..ClassSet::default()
        };
        Ok(Escape::Set(set, false))
    }
}

fn add_atom(set: &mut ClassSet, atom: ClassAtom) {
    match atom {
        ClassAtom::Char(c) => set.add_char(c),
        ClassAtom::Set(other, negated) => set.add_set(other, negated),
    }
}

/// Reads a run of decimal digits, saturating instead of overflowing.
fn read_number(s: &str) -> Option<(u64, usize)> {
    let len = s.bytes().take_while(u8::is_ascii_digit).count();
    if len == 0 {
        return None;
    }
    let value = s[..len].bytes().fold(0u64, |acc, b| acc.saturating_mul(10).saturating_add(u64::from(b - b'0')));
    Some((value, len))
}

fn is_surrogate(c: u32) -> bool {
    (SURROGATES.0..=SURROGATES.1).contains(&c)
}

/// Java's default (US-ASCII) POSIX classes.
fn posix_class(name: &str) -> Option<&'static [(u32, u32)]> {
    Some(match name {
        "Lower" => &[(0x61, 0x7A)],
        "Upper" => &[(0x41, 0x5A)],
        "ASCII" => &[(0x00, 0x7F)],
        "Alpha" => &[(0x41, 0x5A), (0x61, 0x7A)],
        "Digit" => DIGIT,
        "Alnum" => &[(0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)],
        "Punct" => &[(0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)],
        "Graph" => &[(0x21, 0x7E)],
        "Print" => &[(0x20, 0x7E)],
        "Blank" => &[(0x09, 0x09), (0x20, 0x20)],
        "Cntrl" => &[(0x00, 0x1F), (0x7F, 0x7F)],
        "XDigit" => &[(0x30, 0x39), (0x41, 0x46), (0x61, 0x66)],
        "Space" => &[(0x09, 0x0D), (0x20, 0x20)],
        _ => return None,
    })
}

/// Maps a general category name or alias to its short name.
fn general_category(name: &str) -> Option<&'static str> {
    const CATEGORIES: &[(&str, &[&str])] = &[
        ("L", &["Letter"]),
        ("LC", &["Cased_Letter"]),
        ("Lu", &["Uppercase_Letter"]),
        ("Ll", &["Lowercase_Letter"]),
        ("Lt", &["Titlecase_Letter"]),
        ("Lm", &["Modifier_Letter"]),
        ("Lo", &["Other_Letter"]),
        ("M", &["Mark", "Combining_Mark"]),
        ("Mn", &["Nonspacing_Mark"]),
        ("Mc", &["Spacing_Mark"]),
        ("Me", &["Enclosing_Mark"]),
        ("N", &["Number"]),
        ("Nd", &["Decimal_Number", "digit"]),
        ("Nl", &["Letter_Number"]),
        ("No", &["Other_Number"]),
        ("P", &["Punctuation", "punct"]),
        ("Pc", &["Connector_Punctuation"]),
        ("Pd", &["Dash_Punctuation"]),
        ("Ps", &["Open_Punctuation"]),
        ("Pe", &["Close_Punctuation"]),
        ("Pi", &["Initial_Punctuation"]),
        ("Pf", &["Final_Punctuation"]),
        ("Po", &["Other_Punctuation"]),
        ("S", &["Symbol"]),
        ("Sm", &["Math_Symbol"]),
        ("Sc", &["Currency_Symbol"]),
        ("Sk", &["Modifier_Symbol"]),
        ("So", &["Other_Symbol"]),
        ("Z", &["Separator"]),
        ("Zs", &["Space_Separator"]),
        ("Zl", &["Line_Separator"]),
        ("Zp", &["Paragraph_Separator"]),
        ("C", &["Other"]),
        ("Cc", &["Control", "cntrl"]),
        ("Cf", &["Format"]),
        ("Cs", &["Surrogate"]),
        ("Co", &["Private_Use"]),
        ("Cn", &["Unassigned"]),
    ];
    CATEGORIES.iter().find(|(short, long)| *short == name || long.contains(&name)).map(|(short, _)| *short)
}

fn emit_class(out: &mut String, set: &ClassSet, negated: bool) {
    out.push('[');
    if negated {
        out.push('^');
    }
    for &(lo, hi) in &set.ranges {
        push_char(out, lo);
        if hi > lo {
            if hi > lo + 1 {
                out.push('-');
            }
            push_char(out, hi);
        }
    }
    for prop in &set.props {
        out.push_str(prop);
    }
    out.push(']');
}

/// Writes one code point so that it means itself in or out of a class in both
/// crates: meta characters are escaped, and anything not printable ASCII is a
/// `\x{..}` escape so the output stays readable and free of control bytes.
fn push_char(out: &mut String, c: u32) {
    match c {
        0x09 => out.push_str(r"\t"),
        0x0A => out.push_str(r"\n"),
        0x0D => out.push_str(r"\r"),
        0x20..=0x7E => {
            let ch = char::from(c as u8);
            if is_meta(ch) {
                out.push('\\');
            }
            out.push(ch);
        }
        _ => out.push_str(&format!("\\x{{{c:X}}}")),
    }
}

/// The characters both crates treat as syntax somewhere (the same set as
/// `regex_syntax::is_meta_character`); escaping them is always allowed.
fn is_meta(c: char) -> bool {
    matches!(
        c,
        '\\' | '.' | '+' | '*' | '?' | '(' | ')' | '|' | '[' | ']' | '{' | '}' | '^' | '$' | '#' | '&' | '-' | '~'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tr(p: &str) -> Translated {
        translate(p).unwrap_or_else(|e| panic!("{p:?} failed: {e}"))
    }

    fn err(p: &str) -> PatternError {
        match translate(p) {
            Ok(t) => panic!("{p:?} unexpectedly translated to {:?}", t.regex),
            Err(e) => e,
        }
    }

    /// Translates every pattern, compiles it with `regex` (and with
    /// `regex-lite` unless it needs Unicode classes) and checks each sample
    /// against the ECMA result recorded from node.
    fn check_table(table: &[(&str, &[(&str, bool)])]) {
        for &(pattern, samples) in table {
            let t = tr(pattern);
            let full =
                regex::Regex::new(&t.regex).unwrap_or_else(|e| panic!("{pattern:?} -> {:?}: regex: {e}", t.regex));
            let lite = if t.needs_unicode {
                assert!(
                    regex_lite::Regex::new(&t.regex).is_err(),
                    "{pattern:?} -> {:?} claims to need Unicode but regex-lite accepts it",
                    t.regex
                );
                None
            } else {
                Some(
                    regex_lite::Regex::new(&t.regex)
                        .unwrap_or_else(|e| panic!("{pattern:?} -> {:?}: regex-lite: {e}", t.regex)),
                )
            };
            for &(input, expected) in samples {
                assert_eq!(full.is_match(input), expected, "regex: {pattern:?} -> {:?} on {input:?}", t.regex);
                if let Some(lite) = &lite {
                    assert_eq!(lite.is_match(input), expected, "regex-lite: {pattern:?} -> {:?} on {input:?}", t.regex);
                }
            }
        }
    }

    // Expectations below were produced by node 20 with `new RegExp(p, "u")`,
    // falling back to no flags where the `u` flag rejects the pattern (Annex B
    // syntax). Java POSIX classes were evaluated through their ASCII ranges.

    const AWS_PATTERNS: &[(&str, &[(&str, bool)])] = &[
        (
            r".*", // flags "u"
            &[
                ("", true),
                ("abc", true),
                ("a\nb", true),
            ],
        ),
        (
            r"^AWS|ThirdParty$", // flags "u"
            &[
                ("AWS", true),
                ("AWSx", true),
                ("xThirdParty", true),
                ("ThirdParty", true),
                ("ThirdPartyx", false),
                ("xAWS", false),
                ("aws", false),
                ("", false),
            ],
        ),
        (
            r"^[0-9]{12}|\*$", // flags "u"
            &[
                ("123456789012", true),
                ("1234567890123", true),
                ("12345678901", false),
                ("*", true),
                ("abc*", true),
                ("*x", false),
                ("x12345678901", false),
            ],
        ),
        (
            r"^[A-Za-z0-9.@\-_]+$", // flags "u"
            &[
                ("a.b@c-d_e", true),
                ("a b", false),
                ("", false),
                ("\u{FC}", false),
                ("a/b", false),
            ],
        ),
        (
            r"^[a-zA-Z0-9!@ \(\)\.\*\?\-]+$", // flags "u"
            &[
                ("Hello World!", true),
                ("(a)*?.-", true),
                ("a_b", false),
                ("a#", false),
                ("", false),
            ],
        ),
        (
            r"^arn:aws(-[\w]+)*:codepipeline:.+:[0-9]{12}:.+$", // flags "u"
            &[
                ("arn:aws:codepipeline:us-east-1:123456789012:MyPipeline", true),
                ("arn:aws-cn:codepipeline:cn-north-1:123456789012:p", true),
                ("arn:aws-us-gov:codepipeline:r:123456789012:p", true),
                ("arn:aws:codepipeline:us-east-1:12345:p", false),
                ("arn:aws:codepipeline:r:123456789012:a\nb", false),
                ("arn:aws:s3:::b", false),
                ("arn:aws-:codepipeline:r:123456789012:p", false),
            ],
        ),
        (
            r"^arn:aws(-[\w]+)*:iam::[0-9]{12}:role/", // flags "u"
            &[
                ("arn:aws:iam::123456789012:role/Foo", true),
                ("arn:aws:iam::123456789012:role/", true),
                ("arn:aws:iam::123456789012:user/Foo", false),
                ("xarn:aws:iam::123456789012:role/", false),
                ("arn:aws-cn:iam::123456789012:role/x", true),
            ],
        ),
        (
            r"^([0-9a-f]{16})+$", // flags "u"
            &[
                ("0123456789abcdef", true),
                ("0123456789abcdef0123456789abcdef", true),
                ("0123456789abcdef0", false),
                ("0123456789ABCDEF", false),
                ("", false),
            ],
        ),
        (
            r"^[,;:|\t ]$", // flags "u"
            &[
                (",", true),
                ("\t", true),
                (" ", true),
                ("|", true),
                (";", true),
                ("a", false),
                (",,", false),
                ("", false),
            ],
        ),
        (
            r"^[A-Za-z0-9][A-Za-z0-9\-\_\.]{0,126}[A-Za-z0-9]$", // flags ""
            &[
                ("ab", true),
                ("a-b_c.d", true),
                ("a", false),
                ("-ab", false),
                ("ab-", false),
                ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true),
                ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false),
                ("a b", false),
            ],
        ),
        (
            r"^[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\r\n\t]*$", // flags "u"
            &[
                ("hello", true),
                ("a\tb\r\n", true),
                ("\u{1F600}", true),
                ("\u{10FFFF}", true),
                ("\u{1}", false),
                ("\u{FFFE}", false),
                ("\u{FFFF}", false),
                ("", true),
                ("\u{E9}\u{D7FF}\u{E000}", true),
            ],
        ),
        (
            r"^[\x20-\x21\x23-\x2B\x2D-\x7E]*$", // flags "u"
            &[
                ("abc", true),
                ("a\"b", false),
                ("a,b", false),
                ("!#+-~", true),
                ("\u{E9}", false),
                ("\t", false),
                ("", true),
            ],
        ),
        (
            r"^[^\$]+$", // flags "u"
            &[
                ("abc", true),
                ("a$b", false),
                ("", false),
                ("\n", true),
                ("$", false),
            ],
        ),
        (
            r"^[a-z0-9A-Z]+[\.\-\w]*[a-z0-9A-Z]+$", // flags "u"
            &[
                ("ab", true),
                ("a.b-c_d", true),
                ("a", false),
                ("a.", false),
                ("-a", false),
                ("a..b", true),
            ],
        ),
        (
            r"^\p{Print}+$", // node ran ^[\x20-\x7E]+$ (flags "u")
            &[
                ("Hello, World!", true),
                ("tab\t", false),
                ("\u{E9}", false),
                ("", false),
                ("~", true),
                (" ", true),
            ],
        ),
        (
            r"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$", // flags "u"
            &[
                ("Name_1 \u{DC}mlaut \u{6771}\u{4EAC} \u{663}", true),
                ("a#b", false),
                ("tag=value:+@/.", true),
                ("\u{A0}\u{2028}", true),
                ("a\tb", false),
                ("x-y", true),
                ("", true),
            ],
        ),
        (
            r"^[\w#+=/:,.@-]*$", // flags "u"
            &[
                ("a#b+c=d/e:f,g.h@i-j", true),
                ("a b", false),
                ("\u{FC}", false),
                ("", true),
                ("a_b", true),
            ],
        ),
        (
            r"^[\w-_]*$", // flags ""
            &[
                ("a-b_c", true),
                ("a b", false),
                ("a.b", false),
                ("-", true),
                ("", true),
            ],
        ),
        (
            r"^[\w_-]*$", // flags "u"
            &[
                ("a-b_c", true),
                ("a b", false),
                ("a.b", false),
                ("-", true),
                ("\u{E9}", false),
            ],
        ),
        (
            r"^[^:*$]*$", // flags "u"
            &[
                ("abc", true),
                ("a:b", false),
                ("a*", false),
                ("$", false),
                ("", true),
                ("a\nb", true),
            ],
        ),
        (
            r"^\S{36,128}$", // flags "u"
            &[
                ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true),
                ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false),
                ("aaaaaaaaaaaaaaaaa aaaaaaaaaaaaaaaaaa", false),
                ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true),
                ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false),
                ("aaaaaaaaaaaaaaaaa\u{A0}aaaaaaaaaaaaaaaaaa", false),
                ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\u{E9}", true),
                ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\u{85}", true),
            ],
        ),
        (
            r"^\d{12}$", // flags "u"
            &[
                ("123456789012", true),
                ("12345678901", false),
                ("\u{661}\u{662}\u{663}\u{664}\u{665}\u{666}\u{667}\u{668}\u{669}\u{660}\u{661}\u{662}", false),
                ("12345678901a", false),
                ("1234567890123", false),
            ],
        ),
        (
            r"^arn:aws[a-z\-]*:kms:[-a-z0-9]*:[0-9]*:key/[-a-z0-9]*$", // flags "u"
            &[
                ("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", true),
                ("arn:aws-cn:kms:cn-north-1:1:key/x", true),
                ("arn:aws:kms:us-east-1:123:alias/x", false),
                ("arn:aws:kms:US:1:key/x", false),
                ("arn:aws:kms:::key/", true),
            ],
        ),
        (
            r"^https://[\.\-_/#:A-Za-z0-9]+\.com$", // flags "u"
            &[
                ("https://example.com", true),
                ("https://a.b-c_d/#:x.com", true),
                ("http://example.com", false),
                ("https://example.org", false),
                ("https://exa mple.com", false),
                ("https://.com", false),
            ],
        ),
    ];

    const EXTRA_PATTERNS: &[(&str, &[(&str, bool)])] = &[
        (
            r"^\s$", // flags "u"
            &[
                ("\t", true),
                ("\n", true),
                ("\u{B}", true),
                ("\u{C}", true),
                ("\r", true),
                (" ", true),
                ("\u{A0}", true),
                ("\u{1680}", true),
                ("\u{2000}", true),
                ("\u{200A}", true),
                ("\u{2028}", true),
                ("\u{2029}", true),
                ("\u{202F}", true),
                ("\u{205F}", true),
                ("\u{3000}", true),
                ("\u{FEFF}", true),
                ("\u{200B}", false),
                ("\u{85}", false),
                ("\u{180E}", false),
                ("a", false),
                ("", false),
            ],
        ),
        (
            r"^\S$", // flags "u"
            &[("a", true), (" ", false), ("\u{85}", true), ("\u{3000}", false), ("\u{1F600}", true)],
        ),
        (
            r"^[^\s]$", // flags "u"
            &[("a", true), (" ", false), ("\u{FEFF}", false), ("\u{85}", true)],
        ),
        (
            r"^[\s\d]+$", // flags "u"
            &[(" 1\t2", true), ("a", false)],
        ),
        (
            r"^.$", // flags "u"
            &[
                ("a", true),
                ("\n", false),
                ("\r", false),
                ("\u{2028}", false),
                ("\u{2029}", false),
                ("\u{85}", true),
                ("\u{1F600}", true),
                ("\t", true),
            ],
        ),
        (
            r"^\w+$", // flags "u"
            &[("abc_123", true), ("\u{E9}", false), ("a-b", false)],
        ),
        (
            r"^\W+$", // flags "u"
            &[("!@", true), ("\u{E9}", true), ("a", false), (" ", true)],
        ),
        (
            r"^[\W\d]+$", // flags "u"
            &[("!1", true), ("a", false), ("\u{E9}", true)],
        ),
        (
            r"^\D+$", // flags "u"
            &[("abc", true), ("a1", false), ("\u{661}", true)],
        ),
        (
            r"^[^\d]$", // flags "u"
            &[("a", true), ("5", false)],
        ),
        (
            r"^\uD83D\uDE00+$", // flags "u"
            &[("\u{1F600}", true), ("\u{1F600}\u{1F600}", true), ("a", false)],
        ),
        (
            r"^[\uD83D\uDE00-\uD83D\uDE4F]$", // flags "u"
            &[("\u{1F600}", true), ("\u{1F64F}", true), ("\u{1F650}", false), ("a", false)],
        ),
        (
            r"^[^\uD800-\uDFFF]+$", // flags "u"
            &[("abc", true), ("\u{1F600}", true), ("\n", true)],
        ),
        (
            r"^[\u0000-\uFFFF]$", // flags "u"
            &[("a", true), ("\u{FFFF}", true), ("\u{1F600}", false)],
        ),
        (
            r"^a{$", // flags ""
            &[("a{", true), ("a", false)],
        ),
        (
            r"^a{1,$", // flags ""
            &[("a{1,", true), ("a", false)],
        ),
        (
            r"^a{,2}$", // flags ""
            &[("a{,2}", true), ("aa", false)],
        ),
        (
            r"^x{2}?$", // flags "u"
            &[("xx", true), ("x", false)],
        ),
        (
            r"^x{2,}$", // flags "u"
            &[("xx", true), ("xxxxx", true), ("x", false)],
        ),
        (
            r"^x{1,2}?y$", // flags "u"
            &[("xy", true), ("xxy", true), ("xxxy", false)],
        ),
        (
            r"^\d+?$", // flags "u"
            &[("123", true), ("", false)],
        ),
        (
            r"^}]$", // flags ""
            &[("}]", true)],
        ),
        (
            r"^[\]]$", // flags "u"
            &[("]", true), ("\\", false)],
        ),
        (
            r"^[]]$", // flags ""
            &[("]", false), ("", false), ("a", false)],
        ),
        (
            r"^a[]$", // flags "u"
            &[("a", false), ("a]", false)],
        ),
        (
            r"^[^]$", // flags "u"
            &[("\n", true), ("a", true), ("", false)],
        ),
        (
            r"^[a-]$", // flags "u"
            &[("-", true), ("a", true), ("b", false)],
        ),
        (
            r"^[-a]$", // flags "u"
            &[("-", true), ("a", true)],
        ),
        (
            r"^[\d-z]$", // flags ""
            &[("5", true), ("-", true), ("z", true), ("a", false)],
        ),
        (
            r"^[\-\_\.]+$", // flags ""
            &[("-_.", true), ("a", false)],
        ),
        (
            r"^\/path\/$", // flags "u"
            &[("/path/", true)],
        ),
        (
            r"^\$\^\.\*\+\?\(\)\[\]\{\}\|\\$", // flags "u"
            &[("$^.*+?()[]{}|\\", true)],
        ),
        (
            r#"^#&~ "'<>%,;=!@$"#, // flags "u"
            &[("#&~ \"'<>%,;=!@", true)],
        ),
        (
            r"^\cJ\cj$", // flags "u"
            &[("\n\n", true)],
        ),
        (
            r"^\c1$", // flags ""
            &[("\\c1", true), ("\u{11}", false)],
        ),
        (
            r"^[\c1]$", // flags ""
            &[("\u{11}", true), ("1", false)],
        ),
        (
            r"^\0$", // flags "u"
            &[("\u{0}", true), ("0", false)],
        ),
        (
            r"^\08$", // flags ""
            &[("\u{0}8", true)],
        ),
        (
            r"^\101\7$", // flags ""
            &[("A\u{7}", true)],
        ),
        (
            r"^[\101-\103]+$", // flags ""
            &[("ABC", true), ("D", false)],
        ),
        (
            r"^a\8$", // flags ""
            &[("a8", true)],
        ),
        (
            r"^\x41\u0042\x4G$", // flags ""
            &[("ABx4G", true)],
        ),
        (
            r"^\u00G1$", // flags ""
            &[("u00G1", true)],
        ),
        (
            r"^\a\e\k$", // flags ""
            &[("aek", true)],
        ),
        (
            r"^[\b]$", // flags "u"
            &[("\u{8}", true), ("b", false)],
        ),
        (
            r"^\t\n\v\f\r$", // flags "u"
            &[("\t\n\u{B}\u{C}\r", true)],
        ),
        (
            r"\bfoo\b", // flags "u"
            &[("a foo b", true), ("afoob", false), ("\u{E9}foo\u{E9}", true), ("foo_", false)],
        ),
        (
            r"\Bfoo", // flags "u"
            &[("afoo", true), ("foo", false), (" foo", false)],
        ),
        (
            r"^(?<year>\d{4})-(?:\d{2})$", // flags "u"
            &[("2024-01", true), ("2024-1", false)],
        ),
        (
            r"^(ab)+$", // flags "u"
            &[("abab", true), ("aba", false)],
        ),
        (
            r"^(a|)$", // flags "u"
            &[("", true), ("a", true), ("aa", false)],
        ),
        (
            r"^a|b|$", // flags "u"
            &[("", true), ("a", true), ("xb", true), ("x", true)],
        ),
        (
            r"^(?:a|b(?:c|d))+$", // flags "u"
            &[("abcabd", true), ("abe", false)],
        ),
        (
            r"^\p{Lu}\p{Ll}+$", // flags "u"
            &[("Hello", true), ("hello", false), ("\u{C9}lan", true)],
        ),
        (
            r"^\P{L}+$", // flags "u"
            &[("123", true), ("a", false), ("\u{E9}", false)],
        ),
        (
            r"^[^\p{L}\s]+$", // flags "u"
            &[("123!", true), ("a", false), (" ", false)],
        ),
        (
            r"^[\P{L}]+$", // flags "u"
            &[("123", true), ("a", false)],
        ),
        (
            r"^\p{N}$", // flags "u"
            &[("\u{663}", true), ("5", true), ("\u{BD}", true), ("a", false)],
        ),
        (
            r"^\p{Letter}\p{gc=Nd}\p{General_Category=Zs}$", // flags "u"
            &[("a1 ", true), ("a1\t", false)],
        ),
        (
            r"^\p{Alpha}\p{Digit}\P{Alnum}$", // node ran ^[a-zA-Z][0-9][^0-9a-zA-Z]$ (flags "u")
            &[("a1!", true), ("\u{E9}1!", false), ("a1b", false)],
        ),
        (
            r"^[\p{Punct}\p{Space}]+$", // node ran ^[!-\/:-@\[-\x60{-~\t-\r ]+$ (flags "u")
            &[("!\t ", true), ("a", false), ("\u{A0}", false)],
        ),
        (
            r"^[\P{Print}]$", // node ran ^[^\x20-\x7E]$ (flags "u")
            &[("\u{1}", true), ("a", false), ("\u{E9}", true)],
        ),
        (
            r"^\u{1F600}$", // flags "u"
            &[("\u{1F600}", true)],
        ),
        (
            r"^\P{Cs}$", // flags "u"
            &[("a", true), ("\u{1F600}", true)],
        ),
    ];

    #[test]
    fn aws_model_patterns_match_like_ecma() {
        check_table(AWS_PATTERNS);
    }

    #[test]
    fn escapes_classes_and_quantifiers_match_like_ecma() {
        check_table(EXTRA_PATTERNS);
    }

    #[test]
    fn output_is_readable_and_exact() {
        let cases = [
            (r"^\d{12}$", r"^[0-9]{12}$"),
            (r"^AWS|ThirdParty$", r"^AWS|ThirdParty$"),
            (r"^[0-9]{12}|\*$", r"^[0-9]{12}|\*$"),
            (r"^[\w-_]*$", r"^[\-0-9A-Z_a-z]*$"),
            (r"^[^:*$]*$", r"^[^\$\*:]*$"),
            (r"a.b", r"a[^\n\r\x{2028}\x{2029}]b"),
            (r"^\p{Print}+$", r"^[ -\~]+$"),
            (r"^\p{L}\P{Nd}$", r"^\p{L}\P{Nd}$"),
            (r"\s", r"[\t-\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}]"),
            (r"\S", r"[^\t-\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}]"),
            (r"[\D]", r"[\x{0}-/:-\x{D7FF}\x{E000}-\x{10FFFF}]"),
            (r"\bx\B", r"(?-u:\b)x(?-u:\B)"),
            (r"(?<name>a)(?:b)(c)", r"(?:a)(?:b)(c)"),
            (r"a{2,}?b{1,3}c{4}?", r"a{2,}?b{1,3}c{4}?"),
            (r"\uD83D\uDE00", r"\x{1F600}"),
            (
                r"[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\r\n\t]",
                r"[\t\n\r -\x{D7FF}\x{E000}-\x{FFFD}\x{10000}-\x{10FFFF}]",
            ),
            (r"[a-z&&[^x]]", r"[\&\[\^a-z]\]"),
            (r"#~&", r"\#\~\&"),
            (r"a{,5}", r"a\{,5\}"),
            (r"[]", r"[^\x{0}-\x{10FFFF}]"),
            (r"[^]", r"[\x{0}-\x{10FFFF}]"),
            (r"é\u00e9", r"\x{E9}\x{E9}"),
        ];
        for (ecma, rust) in cases {
            assert_eq!(tr(ecma).regex, rust, "translating {ecma:?}");
        }
        assert!(!tr(r"^\p{Print}+$").needs_unicode);
        assert!(tr(r"[\p{Lu}]").needs_unicode);
        assert!(!tr(r"[\P{Cs}]").needs_unicode);
    }

    #[test]
    fn every_supported_property_name_compiles() {
        for name in [
            "L",
            "LC",
            "Lu",
            "Ll",
            "Lt",
            "Lm",
            "Lo",
            "M",
            "Mn",
            "Mc",
            "Me",
            "N",
            "Nd",
            "Nl",
            "No",
            "P",
            "Pc",
            "Pd",
            "Ps",
            "Pe",
            "Pi",
            "Pf",
            "Po",
            "S",
            "Sm",
            "Sc",
            "Sk",
            "So",
            "Z",
            "Zs",
            "Zl",
            "Zp",
            "C",
            "Cc",
            "Cf",
            "Co",
            "Cn",
            "Letter",
            "Cased_Letter",
            "Combining_Mark",
            "digit",
            "punct",
            "cntrl",
            "Unassigned",
            "gc=Lu",
            "General_Category=Zs",
        ] {
            for escape in ["p", "P"] {
                for pattern in [format!(r"\{escape}{{{name}}}"), format!(r"[a\{escape}{{{name}}}]")] {
                    let t = tr(&pattern);
                    assert!(t.needs_unicode, "{pattern}");
                    regex::Regex::new(&t.regex).unwrap_or_else(|e| panic!("{pattern} -> {}: {e}", t.regex));
                }
            }
        }
        for name in [
            "Lower", "Upper", "ASCII", "Alpha", "Digit", "Alnum", "Punct", "Graph", "Print", "Blank", "Cntrl",
            "XDigit", "Space",
        ] {
            for escape in ["p", "P"] {
                for pattern in [format!(r"\{escape}{{{name}}}"), format!(r"[a\{escape}{{{name}}}]")] {
                    let t = tr(&pattern);
                    assert!(!t.needs_unicode, "{pattern}");
                    regex_lite::Regex::new(&t.regex).unwrap_or_else(|e| panic!("{pattern} -> {}: {e}", t.regex));
                }
            }
        }
    }

    #[test]
    fn unsupported_and_invalid_patterns_report_where() {
        let cases: &[(&str, usize, &str)] = &[
            (r"(?=a)", 0, "lookahead"),
            (r"a(?!b)", 1, "lookahead"),
            (r"ab(?<=a)", 2, "lookbehind"),
            (r"(?<!a)b", 0, "lookbehind"),
            (r"(a)\1", 3, "backreference"),
            (r"(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)x\10", 31, "backreference"),
            (r"(?<n>a)\k<n>", 7, "backreference"),
            (r"(?i)a", 0, "inline flags"),
            (r"x(?i:a)", 1, "inline flags"),
            (r"a**", 2, "nothing to repeat"),
            (r"*a", 0, "nothing to repeat"),
            (r"a|+", 2, "nothing to repeat"),
            (r"^*", 1, "nothing to repeat"),
            (r"\b+", 2, "nothing to repeat"),
            (r"a{2}{3}", 4, "nothing to repeat"),
            (r"{1}", 0, "nothing to repeat"),
            (r"a{3,2}", 1, "out of order"),
            (r"a{99999999999}", 1, "exceeds"),
            (r"a{1,100001}", 1, "exceeds"),
            (r"x[b-a]", 2, "out of order"),
            (r"x(a", 1, "never closed"),
            (r"a)", 1, "unmatched"),
            (r"x[a", 1, "never closed"),
            (r"[", 0, "never closed"),
            (r"[^", 0, "never closed"),
            (r"[a-", 0, "never closed"),
            (r"ab\", 2, "lone backslash"),
            (r"[\", 1, "lone backslash"),
            (r"\p{Foo}", 0, "unsupported property"),
            (r"\p{Script=Latin}", 0, "unsupported property"),
            (r"x\p{L", 1, "unterminated"),
            (r"a\uD800", 1, "lone surrogate"),
            (r"\uDC00\uD800", 0, "lone surrogate"),
            (r"[\uD800-\uDBFF][\uDC00-\uDFFF]", 0, "only lone surrogates"),
            (r"\p{Cs}", 0, "only lone surrogates"),
            (r"(?<1a>x)", 0, "group name"),
            (r"(?<>x)", 0, "group name"),
            (r"(?<a", 0, "group name"),
            (r"\u{110000}", 0, "above U+10FFFF"),
        ];
        for &(pattern, offset, needle) in cases {
            let e = err(pattern);
            assert_eq!(e.offset, offset, "{pattern:?}: {e}");
            assert!(e.message.contains(needle), "{pattern:?}: {e}");
            assert!(e.to_string().starts_with(&format!("at byte {offset}: ")), "{e}");
        }
        let deep = format!("{}a{}", "(".repeat(MAX_NESTING + 1), ")".repeat(MAX_NESTING + 1));
        assert_eq!(err(&deep).offset, MAX_NESTING);
        let ok = format!("{}a{}", "(?:".repeat(MAX_NESTING), ")+".repeat(MAX_NESTING));
        let t = tr(&ok);
        regex_lite::Regex::new(&t.regex).expect("maximum nesting compiles with regex-lite");
        regex::Regex::new(&t.regex).expect("maximum nesting compiles with regex");
    }

    #[test]
    fn backslash_digits_without_groups_are_annex_b_escapes() {
        // `\1` is octal when the pattern has fewer groups; with one it is a
        // backreference.
        assert_eq!(tr(r"\1").regex, r"\x{1}");
        assert!(translate(r"(a)\1").is_err());
        assert_eq!(tr(r"(a)\2").regex, r"(a)\x{2}");
        // `\k` is a plain `k` unless the pattern has named groups.
        assert_eq!(tr(r"\k<n>").regex, "k<n>");
    }

    /// Compiles a translation with both crates. Only the engines' size limit
    /// may reject it: anything else would be a syntax error we produced.
    fn assert_compiles(input: &str, t: &Translated) {
        if let Err(e) = regex::Regex::new(&t.regex) {
            assert!(matches!(e, regex::Error::CompiledTooBig(_)), "{input:?} -> {:?}: regex: {e}", t.regex);
        }
        if !t.needs_unicode {
            if let Err(e) = regex_lite::Regex::new(&t.regex) {
                assert!(e.to_string().contains("size limit"), "{input:?} -> {:?}: regex-lite: {e}", t.regex);
            }
        }
    }

    #[test]
    fn hostile_inputs_never_panic_and_successes_always_compile() {
        let mut inputs: Vec<String> = [
            "",
            "\\",
            "\\\\",
            "[",
            "]",
            "(",
            ")",
            "{",
            "}",
            "[]",
            "[^]",
            "()",
            "(?",
            "(?:",
            "(?<",
            "|",
            "||",
            "a{",
            "a{1",
            "a{1,",
            "a{1,2",
            "a{99999999999}",
            "a{99999999999999999999999999,}",
            "\\u",
            "\\u{",
            "\\u{}",
            "\\u{FFFFFFFFFFFFFFFF}",
            "\\x",
            "\\xZ",
            "\\c",
            "\\c$",
            "[\\c]",
            "\\p",
            "\\p{",
            "\\p{}",
            "\\P{L",
            "[\\p{L}-\\p{N}]",
            "[a-\\d]",
            "[\\d-a]",
            "[--]",
            "[-]",
            "[\\uD83D\\uDE00-\\uD83D]",
            "\\uD83D\\u",
            "\\uD83D\\uDE0",
            "é{2}😀+",
            "[😀-😂]",
            "\u{0}",
            "\\0\\00\\000\\0000",
            "\\400",
            "[\\8\\9]",
            "\\8\\9",
            "(?<a>)(?<a>)",
            "a$^b",
            "$*",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        inputs.push("(".repeat(10_000));
        inputs.push(")".repeat(10_000));
        inputs.push("[".repeat(10_000));
        inputs.push("(?:a|".repeat(5_000));
        inputs.push("\\".repeat(10_001));
        inputs.push("a{1}".repeat(1_000));

        // A fixed xorshift generator keeps the corpus reproducible.
        const TOKENS: &[&str] = &[
            "\\", "[", "]", "^", "(", ")", "(?:", "(?<n>", "(?=", "{", "}", "{2}", "{1,3}", ",", "?", "*", "+", "|",
            "$", "-", ".", "a", "Z", "0", "9", "_", " ", "é", "😀", "\\d", "\\W", "\\s", "\\b", "\\u", "\\uD83D",
            "\\uDE00", "\\x4", "\\x41", "\\c", "\\p{", "L", "Print", "\\P{N}", "\\1", "\\k<n>", "\\0", "\\-", "<", ">",
            ":", "=", "!",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..600 {
            let len = (next() % 16) as usize;
            let s: String = (0..len).map(|_| TOKENS[(next() % TOKENS.len() as u64) as usize]).collect();
            inputs.push(s);
        }

        let mut accepted = 0;
        for input in &inputs {
            match translate(input) {
                Ok(t) => {
                    accepted += 1;
                    assert_compiles(input, &t);
                }
                Err(e) => {
                    assert!(e.offset <= input.len(), "{input:?}: {e}");
                    assert!(input.is_char_boundary(e.offset), "{input:?}: {e}");
                    assert!(!e.message.is_empty());
                }
            }
        }
        // The corpus must exercise both outcomes to mean anything.
        assert!(accepted > 50 && accepted < inputs.len() - 50, "accepted {accepted} of {}", inputs.len());
    }
}
