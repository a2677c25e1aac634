//! Translates Smithy `@pattern` values into the syntax of the Rust regex engine each one needs,
//! with the meaning java.util.regex gives them, so a generated crate accepts and rejects what the
//! service does.
//!
//! Smithy specifies patterns as ECMA-262 regular expressions, but the services that enforce them run
//! java.util.regex, and real models rely on Java syntax (lookaround, inline flags, class
//! intersection, `\A`/`\z`, Java's named classes). Where the two dialects read a pattern
//! differently, this module follows Java; where only ECMA-262 accepts a construct (Annex B
//! leniencies Java rejects), it keeps ECMA's reading, because the model author wrote it for that.
//!
//! # Engines
//!
//! Each pattern goes to the leanest engine that can run it, reported as [`Translated::engine`]:
//!
//! - [`Engine::RegexLite`] (`regex-lite`) for everything that needs neither of the below;
//! - [`Engine::Regex`] (`regex`) when a Unicode property class (`\p{L}`, `\p{Alphabetic}`) is used,
//!   which regex-lite does not know; [`Translated::unicode`] says which table groups it needs;
//! - [`Engine::FancyRegex`] (`fancy-regex`) for lookahead, lookbehind, backreferences, atomic groups
//!   and possessive quantifiers, and for a `$` that something follows (see below). fancy-regex keeps
//!   `regex` syntax and hands every part without those constructs to `regex`.
//!
//! The output is valid syntax for its engine and for every engine above it. Inline flags need no
//! engine support: `(?i)` and `(?s)` are applied here, while translating.
//!
//! # Java's meaning, construct by construct
//!
//! - Matching is unanchored (`Matcher.find`) and by code point. A surrogate pair written as two `\u`
//!   escapes (`\uD83D\uDE00`) is one code point, also as a class range endpoint, as Java reads it.
//! - `^` is the start of input (Smithy patterns never set `MULTILINE`). `$` and `\Z` match at the
//!   end of input *or before a line terminator that ends the input* (`\n`, `\r\n`, `\r`, U+0085,
//!   U+2028, U+2029), so Java's `^\d{12}$` accepts `"123456789012\n"`. When nothing consumes after
//!   the `$` (the usual case), it becomes "an optional final terminator, then the end": exact except
//!   that a value ending in `\r\n` whose pattern must consume the `\r` itself (`^a\r$`) is accepted
//!   where Java rejects it. A `$` that something follows (`a$(?=b)`, or inside a repeated group) gets
//!   Java's exact definition with lookaround, on fancy-regex.
//! - `\A` and `\G` are the start of input (validation runs one `find` from the start), `\z` the end.
//! - `.` matches any code point but Java's line terminators: `\n`, `\r`, U+0085, U+2028, U+2029.
//! - `\d`, `\w` and `\s` are ASCII (`[0-9]`, `[a-zA-Z_0-9]`, `[ \t\n\x0B\f\r]`); `\h` and `\v` are
//!   Java's horizontal and vertical whitespace classes, `\R` Java's line break (`\r\n` or one
//!   vertical whitespace character; since JDK 9 it may give back the `\n` of `\r\n`), `\e` ESC and `\a` BEL.
//! - `\b`/`\B` use `\w`'s definition, as JDK 19 and later do. JDK 17 and earlier also count
//!   non-ASCII letters and digits as word characters, so a boundary next to `é` can differ.
//! - POSIX classes (`\p{Alpha}`, `\p{Print}`, `\p{Punct}`...) have Java's ASCII-only definitions;
//!   `\p{L1}` is Latin-1, `\p{LD}` letters and digits, `\p{all}` everything. General categories
//!   (`\p{L}`, `\pL`, `\p{IsLu}`, `\p{gc=Nd}`), the binary properties behind `\p{IsAlphabetic}`,
//!   `\p{IsWhite_Space}` and the like, and `\p{javaLowerCase}`-style classes map to `regex`'s
//!   Unicode tables. Scripts (`\p{IsLatin}`) and blocks (`\p{InGreek}`) are not supported.
//! - Classes nest and intersect as in Java: `[a-d[m-p]]` is a union, `[\p{Print}&&[^|:/]]` an
//!   intersection, and a leading `^` negates the whole class including nested parts (JDK 9 and
//!   later). A `]` right after `[` or `[^` is a literal, so `[]a]` is a class of two characters and
//!   `[]` is an error, as in Java.
//! - `(?i)` is ASCII-only case-insensitivity, as Java's default: letters gain their other ASCII case
//!   (also inside classes, before negation), `\p{Lu}`/`\p{Ll}`/`\p{Lt}` and the lower/upper-case
//!   properties widen to all cased letters, and non-ASCII letters match only themselves. `(?s)` lets
//!   `.` match line terminators, and `(?d)` (`UNIX_LINES`) makes `\n` the only terminator. Flags
//!   apply from where they are set to the end of the enclosing group, across `|`, or to the end of a
//!   scoped group `(?i:...)`; `(?-i)` turns a flag off. `(?u)` together with `(?i)` (Unicode case
//!   folding), `(?m)` before `^` or `$`, `(?x)`, `(?U)` and `(?c)` are not supported.
//! - Backreferences `\1`..`\9` (more digits while such a group exists) and `\k<name>` refer to
//!   capturing groups by Java's numbering, named groups included; a reference to a group that does
//!   not exist never matches, as in Java. A backreference under `(?i)` is not supported.
//! - Lookahead `(?=`, `(?!`, lookbehind `(?<=`, `(?<!` (bounded length, as Java requires), atomic
//!   groups `(?>...)` and possessive quantifiers (`a*+`, `a{2,3}+`) keep their meaning on
//!   fancy-regex.
//! - `\Q...\E` quotes literally, in classes too (`[\Qa]\E]` is `a` or `]`): as Java does, quoting is
//!   undone first, each quoted character becoming an escaped one.
//! - `\x{h..h}` and Java's `\0` octal escapes (`\0101` is `A`) are code point escapes, and so are
//!   ECMA's `\u{h..h}`. `\cX` is `X` XOR 0x40, as in Java.
//! - Lone surrogates never occur in a Rust string: inside a class they are dropped (a range such
//!   as `\u0000-\uFFFF` simply skips U+D800..=U+DFFF), and a class or escape that could match *only*
//!   lone surrogates is an error, since it is a UTF-16 idiom whose intent we cannot keep.
//! - ECMA leniencies that Java rejects are kept: identity escapes of letters (`\k`, `\y`), a `{`
//!   that cannot start a quantifier, `{,n}`, `\0` alone (NUL), digits in a class as octal, `[\b]` as
//!   backspace, an `\x` without two hex digits as `x`.
//!
//! Anything else Java would reject, and every construct listed above as not supported, is a
//! [`PatternError`]; the generator then drops that one check with a warning, and the service still
//! enforces it. Compiling a translation can still exceed an engine's size limit when a large
//! repetition count applies to a big class (for example `\p{L}{0,1000}` with `regex`'s default
//! limit); [`crate::pattern_engine`] compiles each one with the crate's engine at generation time,
//! and one it refuses is dropped the same way.
//!
//! Translations never use the Unicode `\d`, `\w`, `\s` or `\b` (they spell out Java's ASCII
//! classes) nor inline flags, so `regex` needs neither its `unicode-perl` nor its `unicode-case`
//! tables.

use std::fmt;

/// The regex engine a translated pattern needs, from the leanest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Engine {
    /// `regex-lite`: no Unicode tables.
    RegexLite,
    /// `regex`, for Unicode property classes.
    Regex,
    /// `fancy-regex`, for lookaround, backreferences, atomic groups and possessive quantifiers.
    FancyRegex,
}

impl Engine {
    /// The crate's name as it appears in `Cargo.toml`.
    pub fn crate_name(self) -> &'static str {
        match self {
            Engine::RegexLite => "regex-lite",
            Engine::Regex => "regex",
            Engine::FancyRegex => "fancy-regex",
        }
    }
}

/// The Unicode tables a translation uses (both false for ASCII-only patterns).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UnicodeTables {
    /// General categories such as `\p{L}` (`regex`'s `unicode-gencat`).
    pub general_categories: bool,
    /// Binary properties such as `\p{Alphabetic}` (`regex`'s `unicode-bool`).
    pub binary_properties: bool,
}

impl UnicodeTables {
    /// Whether any table is used.
    pub fn any(self) -> bool {
        self.general_categories || self.binary_properties
    }

    /// The tables either uses.
    pub fn union(self, other: UnicodeTables) -> UnicodeTables {
        UnicodeTables {
            general_categories: self.general_categories || other.general_categories,
            binary_properties: self.binary_properties || other.binary_properties,
        }
    }
}

/// A pattern translated for its engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translated {
    /// The pattern in the syntax of `engine` (and of every engine above it).
    pub regex: String,
    /// The leanest engine that runs it.
    pub engine: Engine,
    /// The Unicode tables it uses.
    pub unicode: UnicodeTables,
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

/// Translates a `@pattern` into the syntax of the leanest engine that runs it with Java's meaning.
///
/// # Errors
///
/// Returns a [`PatternError`] for syntax errors, for the constructs the module lists as not
/// supported, for patterns that can only match lone surrogates, and for nesting or repetition
/// counts beyond the limits described on the module.
pub fn translate(pattern: &str) -> Result<Translated, PatternError> {
    match remove_quoting(pattern) {
        None => translate_unquoted(pattern),
        // Errors point into what the model wrote, not into the rewritten text.
        Some((unquoted, original_offset)) => translate_unquoted(&unquoted)
            .map_err(|e| PatternError { offset: original_offset[e.offset.min(unquoted.len())], ..e }),
    }
}

/// Rewrites every `\Q...\E` as the escaped characters it quotes, as java.util.regex does before it
/// parses anything else, so quoting works the same in and out of classes (`[\Qa]\E]` is the class
/// of `a` and `]`), and a quoted character may end a range or take a quantifier as a written one
/// would. Letters, digits and non-ASCII characters stay as they are (escaping them would change
/// their meaning); a digit that opens a quote becomes `\x3N`, so it cannot join a backreference
/// before it. Returns `None` when there is no quote, else the text and, for each of its bytes (and
/// its end), the byte of `pattern` it came from.
fn remove_quoting(pattern: &str) -> Option<(String, Vec<usize>)> {
    let mut chars = pattern.char_indices().peekable();
    let mut out = String::with_capacity(pattern.len() * 2);
    let mut origin = Vec::with_capacity(pattern.len() * 2 + 1);
    let push = |out: &mut String, origin: &mut Vec<usize>, text: &str, at: usize| {
        out.push_str(text);
        origin.extend(std::iter::repeat_n(at, text.len()));
    };
    let (mut quoting, mut quote_starts, mut any_quote) = (false, false, false);
    while let Some((at, c)) = chars.next() {
        let mut utf8 = [0; 4];
        match c {
            '\\' if quoting => {
                if chars.next_if(|&(_, next)| next == 'E').is_some() {
                    quoting = false;
                } else {
                    push(&mut out, &mut origin, "\\\\", at);
                }
            }
            '\\' => match chars.next() {
                Some((_, 'Q')) => {
                    (quoting, quote_starts, any_quote) = (true, true, true);
                    continue;
                }
                Some((_, next)) => {
                    push(&mut out, &mut origin, "\\", at);
                    push(&mut out, &mut origin, next.encode_utf8(&mut utf8), at);
                }
                None => push(&mut out, &mut origin, "\\", at),
            },
            '0'..='9' if quoting && quote_starts => {
                push(&mut out, &mut origin, "\\x3", at);
                push(&mut out, &mut origin, c.encode_utf8(&mut utf8), at);
            }
            _ if quoting && c.is_ascii() && !c.is_ascii_alphanumeric() => {
                push(&mut out, &mut origin, "\\", at);
                push(&mut out, &mut origin, c.encode_utf8(&mut utf8), at);
            }
            _ => push(&mut out, &mut origin, c.encode_utf8(&mut utf8), at),
        }
        quote_starts = false;
    }
    origin.push(pattern.len());
    any_quote.then_some((out, origin))
}

fn translate_unquoted(pattern: &str) -> Result<Translated, PatternError> {
    let mut parser = Parser {
        src: pattern,
        pos: 0,
        out: String::with_capacity(pattern.len() * 2),
        flags: Flags::default(),
        unicode: UnicodeTables::default(),
        fancy: false,
        groups_opened: 0,
        group_names: Vec::new(),
        depth: 0,
        lookbehind_depth: 0,
        ends: Vec::new(),
        pending_ends: Vec::new(),
    };
    parser.parse_disjunction()?;
    if parser.peek().is_some() {
        // parse_disjunction only stops early at a `)` it did not open.
        return Err(parser.error(parser.pos, "unmatched `)`"));
    }
    let regex = parser.finish_ends();
    let engine = if parser.fancy {
        Engine::FancyRegex
    } else if parser.unicode.any() {
        Engine::Regex
    } else {
        Engine::RegexLite
    };
    Ok(Translated { regex, engine, unicode: parser.unicode })
}

/// Largest repetition count accepted. Java has no such limit, but counts this big already produce
/// automata far beyond what the Rust engines will build.
const MAX_REPEAT: u64 = 100_000;

/// Deepest group nesting accepted. regex-lite refuses patterns nested about 50 levels deep (groups
/// and repetitions both count), and real models nest two or three levels, so this leaves ample room
/// on both sides.
const MAX_NESTING: usize = 32;

const MAX_CHAR: u32 = 0x10_FFFF;
const SURROGATES: (u32, u32) = (0xD800, 0xDFFF);

/// `\b` with Java's (JDK 19+) ASCII word characters.
const WORD_BOUNDARY: &str = r"(?:(?<=[0-9A-Z_a-z])(?![0-9A-Z_a-z])|(?<![0-9A-Z_a-z])(?=[0-9A-Z_a-z]))";
/// `\B` with the same word characters.
const WORD_NON_BOUNDARY: &str = r"(?:(?<=[0-9A-Z_a-z])(?=[0-9A-Z_a-z])|(?<![0-9A-Z_a-z])(?![0-9A-Z_a-z]))";
/// A class that no character matches; every engine accepts it.
const NEVER: &str = r"[^\x{0}-\x{10FFFF}]";
/// A class that every character matches.
const ANY: &str = r"[\x{0}-\x{10FFFF}]";

const DIGIT: &[(u32, u32)] = &[(0x30, 0x39)];
const WORD: &[(u32, u32)] = &[(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)];
/// Java's `\s`: `[ \t\n\x0B\f\r]`.
const SPACE: &[(u32, u32)] = &[(0x09, 0x0D), (0x20, 0x20)];
/// Java's `\h`.
const HORIZONTAL_SPACE: &[(u32, u32)] = &[
    (0x09, 0x09),
    (0x20, 0x20),
    (0xA0, 0xA0),
    (0x1680, 0x1680),
    (0x180E, 0x180E),
    (0x2000, 0x200A),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
];
/// Java's `\v`.
const VERTICAL_SPACE: &[(u32, u32)] = &[(0x0A, 0x0D), (0x85, 0x85), (0x2028, 0x2029)];
/// Java's line terminators, which `.` excludes without `(?s)`.
const LINE_TERMINATORS: &[(u32, u32)] = &[(0x0A, 0x0A), (0x0D, 0x0D), (0x85, 0x85), (0x2028, 0x2029)];
/// `Character.isWhitespace`: separators other than no-break spaces, plus `\t`..`\r` and U+001C..U+001F.
const JAVA_WHITESPACE: &[(u32, u32)] = &[
    (0x09, 0x0D),
    (0x1C, 0x20),
    (0x1680, 0x1680),
    (0x2000, 0x2006),
    (0x2008, 0x200A),
    (0x2028, 0x2029),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
];
/// `Character.isSpaceChar`: the separator categories Zs, Zl and Zp.
const JAVA_SPACE_CHAR: &[(u32, u32)] = &[
    (0x20, 0x20),
    (0xA0, 0xA0),
    (0x1680, 0x1680),
    (0x2000, 0x200A),
    (0x2028, 0x2029),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
];

/// What the previous term was, to tell whether a quantifier may follow.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    /// Start of an alternative, an assertion, a flag group, or a quantified term.
    NotQuantifiable,
    Atom,
}

/// The inline flags in force (`(?i)`, `(?s)`, `(?d)`, `(?u)`, `(?m)`).
#[derive(Clone, Copy, Default)]
struct Flags {
    case_insensitive: bool,
    dot_all: bool,
    unix_lines: bool,
    unicode_case: bool,
    multiline: bool,
}

/// A set of code points, as Java's class syntax builds it.
#[derive(Clone, Debug)]
enum Set {
    /// Explicit code points, possibly including surrogates (dropped when rendered).
    Ranges(Vec<(u32, u32)>),
    /// A Unicode property class in `regex` syntax, such as `\p{L}` or `\p{Alphabetic}`.
    Property(&'static str),
    Union(Vec<Set>),
    Intersection(Box<Set>, Box<Set>),
    Complement(Box<Set>),
}

impl Set {
    fn ranges(ranges: &[(u32, u32)]) -> Set {
        Set::Ranges(ranges.to_vec())
    }

    fn complement(self) -> Set {
        match self {
            Set::Complement(inner) => *inner,
            other => Set::Complement(Box::new(other)),
        }
    }

    /// The code points as sorted, merged ranges when no property class is involved.
    fn flat(&self) -> Option<Vec<(u32, u32)>> {
        match self {
            Set::Ranges(ranges) => Some(merge(ranges.clone())),
            Set::Property(_) => None,
            Set::Union(items) => {
                let mut all = Vec::new();
                for item in items {
                    all.extend(item.flat()?);
                }
                Some(merge(all))
            }
            Set::Intersection(a, b) => Some(intersect(&a.flat()?, &b.flat()?)),
            Set::Complement(inner) => Some(complement(&inner.flat()?)),
        }
    }
}

/// Where a `$` (or `\Z`) was written in the output, and whether anything can consume after it.
struct End {
    at: usize,
    /// Nothing consuming or asserting follows it on any path, so it may consume a final terminator.
    tail: bool,
    unix_lines: bool,
}

/// One escape sequence, read in or out of a class.
enum Escape {
    /// A single code point, possibly a lone surrogate.
    Char(u32),
    /// A class escape.
    Set(Set),
    /// `\b` (false) or `\B` (true) outside a class.
    WordBoundary(bool),
    /// A zero-width assertion written as is (`\A`, `\z`).
    Assertion(&'static str),
    /// `\Z`, which is Java's `$`.
    End,
    /// A backreference to a capturing group by number, or one that can never match.
    Backreference(Option<usize>),
    /// `\R`.
    LineBreak,
}

/// One item of a character class before ranges are formed.
enum ClassAtom {
    Char(u32),
    Set(Set),
}

struct Parser<'a> {
    src: &'a str,
    /// Byte offset of the next unread character.
    pos: usize,
    out: String,
    flags: Flags,
    unicode: UnicodeTables,
    fancy: bool,
    /// Capturing groups opened so far: Java resolves `\12` against these.
    groups_opened: usize,
    /// Named groups so far, with their numbers.
    group_names: Vec<(String, usize)>,
    depth: usize,
    lookbehind_depth: usize,
    /// Every `$` and `\Z`, in output order.
    ends: Vec<End>,
    /// Indices into `ends` that whatever is parsed next would follow.
    pending_ends: Vec<usize>,
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

    /// Something that consumes or asserts comes next: no `$` before it may consume a terminator.
    fn follows(&mut self) {
        for index in self.pending_ends.drain(..) {
            self.ends[index].tail = false;
        }
    }

    /// Writes each `$` in its final form, now that we know what follows it.
    fn finish_ends(&mut self) -> String {
        let mut out = String::with_capacity(self.out.len() + self.ends.len() * 48);
        let mut copied = 0;
        for end in &self.ends {
            out.push_str(&self.out[copied..end.at]);
            copied = end.at;
            out.push_str(match (end.tail, end.unix_lines) {
                (true, false) => r"(?:\r\n|[\n\r\x{85}\x{2028}\x{2029}])?\z",
                (true, true) => r"\n?\z",
                (false, false) => r"(?:\z|(?=\r\n\z)|(?<!\r)(?=\n\z)|(?=[\r\x{85}\x{2028}\x{2029}]\z))",
                (false, true) => r"(?:\z|(?=\n\z))",
            });
            if !end.tail {
                self.fancy = true;
            }
        }
        out.push_str(&self.out[copied..]);
        out
    }

    fn parse_disjunction(&mut self) -> Result<(), PatternError> {
        let before = self.pending_ends.clone();
        let mut after = Vec::new();
        loop {
            self.parse_alternative()?;
            after.append(&mut self.pending_ends);
            if self.eat('|') {
                self.out.push('|');
                // Another alternative follows what preceded the disjunction, not the previous alternative.
                self.pending_ends = before.clone();
            } else {
                break;
            }
        }
        after.sort_unstable();
        after.dedup();
        self.pending_ends = after;
        Ok(())
    }

    fn parse_alternative(&mut self) -> Result<(), PatternError> {
        let mut last = Last::NotQuantifiable;
        // The first `$` written by the term a quantifier would repeat.
        let mut term_ends = self.ends.len();
        while let Some(c) = self.peek() {
            let start = self.pos;
            if matches!(c, '*' | '+' | '?' | '{') {
                let quantifier = if c == '{' {
                    self.braced_quantifier()?
                } else {
                    self.bump();
                    Some(Quantifier { text: c.to_string(), repeats: c != '?' })
                };
                if let Some(q) = quantifier {
                    self.quantifier(last, start, q, term_ends)?;
                    last = Last::NotQuantifiable;
                    continue;
                }
            }
            term_ends = self.ends.len();
            last = match c {
                '|' | ')' => return Ok(()),
                '^' => {
                    self.bump();
                    self.anchor_check(start)?;
                    self.follows();
                    self.out.push('^');
                    Last::NotQuantifiable
                }
                '$' => {
                    self.bump();
                    self.anchor_check(start)?;
                    self.end_of_input();
                    Last::NotQuantifiable
                }
                '{' => {
                    // Annex B: a `{` that does not start a quantifier is literal.
                    self.bump();
                    self.literal('{' as u32);
                    Last::Atom
                }
                '(' => self.group()?,
                '[' => {
                    let set = self.class()?;
                    self.follows();
                    self.emit_set(&set, start)?;
                    Last::Atom
                }
                '.' => {
                    self.bump();
                    self.follows();
                    let dot = if self.flags.dot_all {
                        Set::ranges(&[(0, MAX_CHAR)])
                    } else if self.flags.unix_lines {
                        Set::ranges(&[(0x0A, 0x0A)]).complement()
                    } else {
                        Set::ranges(LINE_TERMINATORS).complement()
                    };
                    self.emit_set(&dot, start)?;
                    Last::Atom
                }
                '\\' => self.atom_escape()?,
                _ => {
                    self.bump();
                    self.literal(c as u32);
                    Last::Atom
                }
            };
        }
        Ok(())
    }

    /// `^` and `$` under `(?m)` match at every line, which is not supported.
    fn anchor_check(&self, start: usize) -> Result<(), PatternError> {
        if self.flags.multiline {
            return Err(self.error(start, "`^` and `$` under the multiline flag (?m) are not supported"));
        }
        Ok(())
    }

    /// Records a `$` (or `\Z`); its text is written by [`Parser::finish_ends`].
    fn end_of_input(&mut self) {
        let index = self.ends.len();
        // Inside a lookbehind the assertion must hold where the lookbehind ends, so it cannot consume.
        self.ends.push(End { at: self.out.len(), tail: self.lookbehind_depth == 0, unix_lines: self.flags.unix_lines });
        self.pending_ends.push(index);
    }

    /// Writes one literal character, in both ASCII cases under `(?i)`.
    fn literal(&mut self, c: u32) {
        self.follows();
        if self.flags.case_insensitive && other_ascii_case(c).is_some() {
            emit_flat_class(&mut self.out, &case_closure(&[(c, c)]), false);
        } else {
            push_char(&mut self.out, c);
        }
    }

    /// Emits quantifier `q` (plus a lazy `?` or possessive `+` if present) after checking that the
    /// previous term can be repeated.
    fn quantifier(&mut self, last: Last, start: usize, q: Quantifier, term_ends: usize) -> Result<(), PatternError> {
        if last != Last::Atom {
            return Err(self.error(start, format!("quantifier `{}` has nothing to repeat", q.text)));
        }
        if q.repeats {
            // A later repetition of the term follows any `$` inside it.
            for end in &mut self.ends[term_ends..] {
                end.tail = false;
            }
        }
        self.out.push_str(&q.text);
        if self.eat('?') {
            self.out.push('?');
        } else if self.eat('+') {
            self.out.push('+');
            self.fancy = true;
        }
        Ok(())
    }

    /// Reads `{n}`, `{n,}` or `{n,m}` at the current `{`. Returns `None`, with nothing consumed,
    /// when the brace is not a quantifier.
    fn braced_quantifier(&mut self) -> Result<Option<Quantifier>, PatternError> {
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
        let text = match max {
            Some(max) if max == min => format!("{{{min}}}"),
            Some(max) => format!("{{{min},{max}}}"),
            None => format!("{{{min},}}"),
        };
        Ok(Some(Quantifier { text, repeats: max != Some(0) && max != Some(1) }))
    }

    fn group(&mut self) -> Result<Last, PatternError> {
        let start = self.pos;
        self.bump();
        let saved_flags = self.flags;
        let mut lookaround = false;
        let mut lookbehind = false;
        if self.eat('?') {
            match self.peek() {
                Some(':') => {
                    self.bump();
                    self.out.push_str("(?:");
                }
                Some('=' | '!') => {
                    let c = self.bump().unwrap_or('=');
                    lookaround = true;
                    self.out.push_str(if c == '=' { "(?=" } else { "(?!" });
                }
                Some('<') if matches!(self.peek_at(1), Some('=' | '!')) => {
                    self.bump();
                    let c = self.bump().unwrap_or('=');
                    lookaround = true;
                    lookbehind = true;
                    self.out.push_str(if c == '=' { "(?<=" } else { "(?<!" });
                }
                Some('<') => {
                    self.bump();
                    let name = self.group_name(start)?;
                    self.groups_opened += 1;
                    self.group_names.push((name, self.groups_opened));
                    // Java numbers named groups with the others; the name itself is not needed.
                    self.out.push('(');
                }
                Some('>') => {
                    self.bump();
                    self.fancy = true;
                    self.out.push_str("(?>");
                }
                _ => {
                    self.inline_flags(start)?;
                    if self.eat(')') {
                        // `(?i)` alone: the flags hold to the end of the enclosing group.
                        return Ok(Last::NotQuantifiable);
                    }
                    if !self.eat(':') {
                        return Err(self.error(start, "unknown group syntax `(?`"));
                    }
                    self.out.push_str("(?:");
                }
            }
        } else {
            self.groups_opened += 1;
            self.out.push('(');
        }
        if self.depth >= MAX_NESTING {
            return Err(self.error(start, format!("groups are nested more than {MAX_NESTING} levels deep")));
        }
        let outer_ends = if lookaround {
            self.fancy = true;
            self.follows();
            Some(std::mem::take(&mut self.pending_ends))
        } else {
            None
        };
        self.depth += 1;
        self.lookbehind_depth += usize::from(lookbehind);
        self.parse_disjunction()?;
        self.lookbehind_depth -= usize::from(lookbehind);
        self.depth -= 1;
        if !self.eat(')') {
            return Err(self.error(start, "group is never closed with `)`"));
        }
        self.out.push(')');
        self.flags = saved_flags;
        if let Some(outer) = outer_ends {
            // What follows the lookaround does not follow a `$` inside it.
            self.pending_ends = outer;
            return Ok(Last::NotQuantifiable);
        }
        Ok(Last::Atom)
    }

    /// Reads the flags of `(?idmsux-idmsux` up to (not including) `)` or `:`.
    fn inline_flags(&mut self, start: usize) -> Result<(), PatternError> {
        let mut on = true;
        loop {
            let Some(c) = self.peek() else {
                return Err(self.error(start, "group is never closed with `)`"));
            };
            match c {
                ')' | ':' => break,
                '-' if on => on = false,
                'i' => self.flags.case_insensitive = on,
                's' => self.flags.dot_all = on,
                'd' => self.flags.unix_lines = on,
                'u' => self.flags.unicode_case = on,
                'm' => self.flags.multiline = on,
                'x' => return Err(self.error(start, "the comments flag (?x) is not supported")),
                'U' => return Err(self.error(start, "the Unicode character class flag (?U) is not supported")),
                'c' => return Err(self.error(start, "the canonical equivalence flag (?c) is not supported")),
                _ => return Err(self.error(start, format!("unknown inline flag `{c}`"))),
            }
            self.bump();
        }
        if self.flags.case_insensitive && self.flags.unicode_case {
            return Err(self.error(start, "Unicode case-insensitive matching (?iu) is not supported"));
        }
        Ok(())
    }

    /// Validates a group name up to and including `>`.
    fn group_name(&mut self, start: usize) -> Result<String, PatternError> {
        let mut name = String::new();
        loop {
            match self.bump() {
                Some('>') if !name.is_empty() => return Ok(name),
                Some(c) if c == '$' || c == '_' || c.is_alphabetic() => name.push(c),
                Some(c) if !name.is_empty() && c.is_alphanumeric() => name.push(c),
                _ => return Err(self.error(start, "invalid capture group name")),
            }
        }
    }

    fn atom_escape(&mut self) -> Result<Last, PatternError> {
        let start = self.pos;
        match self.escape(false)? {
            Escape::WordBoundary(negated) => {
                // No engine offers `\w`'s ASCII boundary in a form every engine above it keeps (regex
                // reads `\b` as Unicode, and fancy-regex refuses `(?-u:\b)`), so it is spelled out.
                self.follows();
                self.fancy = true;
                self.out.push_str(if negated { WORD_NON_BOUNDARY } else { WORD_BOUNDARY });
                Ok(Last::NotQuantifiable)
            }
            Escape::Assertion(text) => {
                self.follows();
                self.out.push_str(text);
                Ok(Last::NotQuantifiable)
            }
            Escape::End => {
                self.end_of_input();
                Ok(Last::NotQuantifiable)
            }
            Escape::Backreference(group) => {
                if self.flags.case_insensitive {
                    return Err(self.error(start, "a backreference under (?i) is not supported"));
                }
                self.follows();
                match group {
                    Some(n) => {
                        self.fancy = true;
                        // A digit right after would join the number.
                        if self.peek().is_some_and(|c| c.is_ascii_digit()) {
                            self.out.push_str(&format!("(?:\\{n})"));
                        } else {
                            self.out.push_str(&format!("\\{n}"));
                        }
                    }
                    None => self.out.push_str(NEVER),
                }
                Ok(Last::Atom)
            }
            Escape::LineBreak => {
                self.follows();
                self.out.push_str(r"(?:\r\n|[\n\x{B}\x{C}\r\x{85}\x{2028}\x{2029}])");
                Ok(Last::Atom)
            }
            Escape::Char(c) if is_surrogate(c) => Err(self.error(
                start,
                format!(
                    "lone surrogate \\u{c:04X} can never match a Rust string; \
                     write a supplementary character as a surrogate pair"
                ),
            )),
            Escape::Char(c) => {
                self.literal(c);
                Ok(Last::Atom)
            }
            Escape::Set(set) => {
                self.follows();
                self.emit_set(&set, start)?;
                Ok(Last::Atom)
            }
        }
    }

    /// Writes a set as a class (or a bare property escape), recording the tables it uses.
    fn emit_set(&mut self, set: &Set, start: usize) -> Result<(), PatternError> {
        if let Some(ranges) = set.flat() {
            let kept = strip_surrogates(&ranges);
            if kept.is_empty() {
                if ranges.is_empty() {
                    self.out.push_str(NEVER);
                    return Ok(());
                }
                return Err(self.error(
                    start,
                    "class matches only lone surrogates, which can never occur in a Rust string; \
                     write supplementary characters as surrogate pairs such as [\\uD800\\uDC00-\\uDBFF\\uDFFF]",
                ));
            }
            // A negated class reads best as written: `[^...]` of what it excludes.
            if let Set::Complement(inner) = set {
                let excluded = strip_surrogates(&inner.flat().unwrap_or_default());
                if excluded.is_empty() {
                    self.out.push_str(ANY);
                } else {
                    emit_flat_class(&mut self.out, &excluded, true);
                }
                return Ok(());
            }
            if kept == [(0, SURROGATES.0 - 1), (SURROGATES.1 + 1, MAX_CHAR)] {
                self.out.push_str(ANY);
            } else {
                emit_flat_class(&mut self.out, &kept, false);
            }
            return Ok(());
        }
        match set {
            Set::Property(p) => self.out.push_str(p),
            Set::Complement(inner) if matches!(**inner, Set::Property(_)) => {
                if let Set::Property(p) = **inner {
                    self.out.push_str(&flip_property(p));
                }
            }
            // An intersection writes its own brackets.
            Set::Intersection(..) => write_members(&mut self.out, set),
            _ => {
                self.out.push('[');
                if let Set::Complement(inner) = set {
                    self.out.push('^');
                    write_members(&mut self.out, inner);
                } else {
                    write_members(&mut self.out, set);
                }
                self.out.push(']');
            }
        }
        Ok(())
    }

    /// Parses a class at `[` with Java's grammar: nested classes are unions, `&&` intersects, a
    /// leading `^` negates the whole class.
    fn class(&mut self) -> Result<Set, PatternError> {
        let start = self.pos;
        self.bump();
        let negated = self.eat('^');
        let mut operands: Vec<Set> = Vec::new();
        let mut current: Vec<Set> = Vec::new();
        loop {
            match self.peek() {
                None => return Err(self.error(start, "character class is never closed with `]`")),
                // Java: a `]` before anything else in the class is a literal.
                Some(']') if !(current.is_empty() && operands.is_empty()) => {
                    self.bump();
                    break;
                }
                Some('[') => {
                    if self.depth >= MAX_NESTING {
                        return Err(
                            self.error(start, format!("classes are nested more than {MAX_NESTING} levels deep"))
                        );
                    }
                    self.depth += 1;
                    let nested = self.class();
                    self.depth -= 1;
                    current.push(nested?);
                }
                Some('&') if self.peek_at(1) == Some('&') => {
                    self.pos += 2;
                    if !current.is_empty() {
                        operands.push(Set::Union(std::mem::take(&mut current)));
                    }
                }
                Some(_) => current.push(self.class_range()?),
            }
        }
        if !current.is_empty() {
            operands.push(Set::Union(current));
        }
        let mut operands = operands.into_iter();
        let first = operands.next().unwrap_or_else(|| Set::Ranges(Vec::new()));
        let set = operands.fold(first, |acc, next| Set::Intersection(Box::new(acc), Box::new(next)));
        Ok(if negated { set.complement() } else { set })
    }

    /// One character, range or class escape inside a class.
    fn class_range(&mut self) -> Result<Set, PatternError> {
        let atom_start = self.pos;
        let first = self.class_atom()?;
        let is_range = self.peek() == Some('-') && !matches!(self.peek_at(1), None | Some(']') | Some('['));
        if !is_range || !matches!(first, ClassAtom::Char(_)) {
            return Ok(self.atom_set(first));
        }
        let save = self.pos;
        self.bump();
        if self.peek() == Some('&') && self.peek_at(1) == Some('&') {
            // `[a-&&b]`: the `-` is a literal before the intersection.
            self.pos = save;
            return Ok(self.atom_set(first));
        }
        let second = self.class_atom()?;
        match (first, second) {
            (ClassAtom::Char(lo), ClassAtom::Char(hi)) => {
                if lo > hi {
                    return Err(self.error(atom_start, "character class range is out of order"));
                }
                Ok(self.ranges_set(&[(lo, hi)]))
            }
            // Annex B: next to a class escape, `-` is a literal.
            (first, second) => {
                let first = self.atom_set(first);
                let second = self.atom_set(second);
                Ok(Set::Union(vec![first, Set::ranges(&[(0x2D, 0x2D)]), second]))
            }
        }
    }

    fn atom_set(&self, atom: ClassAtom) -> Set {
        match atom {
            ClassAtom::Char(c) => self.ranges_set(&[(c, c)]),
            ClassAtom::Set(set) => set,
        }
    }

    /// Explicit ranges, with their other ASCII case under `(?i)`.
    fn ranges_set(&self, ranges: &[(u32, u32)]) -> Set {
        if self.flags.case_insensitive {
            Set::Ranges(case_closure(ranges))
        } else {
            Set::ranges(ranges)
        }
    }

    fn class_atom(&mut self) -> Result<ClassAtom, PatternError> {
        if self.peek() == Some('\\') {
            let start = self.pos;
            return match self.escape(true)? {
                Escape::Char(c) => Ok(ClassAtom::Char(c)),
                Escape::Set(set) => Ok(ClassAtom::Set(set)),
                // escape(true) reads `\b` as a character and never returns the others.
                Escape::WordBoundary(_) => Ok(ClassAtom::Char(0x08)),
                _ => Err(self.error(start, "this escape is not supported inside a character class")),
            };
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
        let set = |ranges: &[(u32, u32)], negated: bool| {
            let set = Set::ranges(ranges);
            Escape::Set(if negated { set.complement() } else { set })
        };
        let esc = match c {
            'd' | 'D' => set(DIGIT, c == 'D'),
            'w' | 'W' => set(WORD, c == 'W'),
            's' | 'S' => set(SPACE, c == 'S'),
            'h' | 'H' => set(HORIZONTAL_SPACE, c == 'H'),
            'v' | 'V' => set(VERTICAL_SPACE, c == 'V'),
            'p' | 'P' if self.peek() == Some('{') => Escape::Set(self.property(start, c == 'P')?),
            'p' | 'P' if self.peek().is_some_and(|l| l.is_ascii_alphabetic()) => {
                let letter = self.bump().unwrap_or('L');
                let set = self.named_class(start, &letter.to_string())?;
                Escape::Set(if c == 'P' { set.complement() } else { set })
            }
            'b' if in_class => Escape::Char(0x08),
            'b' | 'B' => Escape::WordBoundary(c == 'B'),
            'A' | 'G' if !in_class => Escape::Assertion(r"\A"),
            'z' if !in_class => Escape::Assertion(r"\z"),
            'Z' if !in_class => Escape::End,
            'R' if !in_class => Escape::LineBreak,
            'X' | 'N' if !in_class => {
                return Err(self.error(start, format!("the escape \\{c} is not supported")));
            }
            'a' => Escape::Char(0x07),
            'e' => Escape::Char(0x1B),
            'f' => Escape::Char(0x0C),
            'n' => Escape::Char(0x0A),
            'r' => Escape::Char(0x0D),
            't' => Escape::Char(0x09),
            'c' => match self.bump() {
                Some(l) => Escape::Char(l as u32 ^ 0x40),
                None => return Err(self.error(start, "`\\c` needs a control character after it")),
            },
            'x' if self.peek() == Some('{') => {
                let rest = &self.src[self.pos + 1..];
                let len = rest.bytes().take_while(u8::is_ascii_hexdigit).count();
                if len == 0 || !rest[len..].starts_with('}') {
                    return Err(self.error(start, "`\\x{` needs hex digits and a closing `}`"));
                }
                let value = hex_value(&rest[..len]);
                if value > MAX_CHAR {
                    return Err(self.error(start, "code point escape is above U+10FFFF"));
                }
                self.pos += 1 + len + 1;
                Escape::Char(value)
            }
            'x' => match self.hex_digits(2) {
                Some(v) => Escape::Char(v),
                None => Escape::Char('x' as u32),
            },
            'u' => self.unicode_escape(start)?,
            '0' if self.peek().is_some_and(|d| d.is_digit(8)) => Escape::Char(self.java_octal()),
            '0' => Escape::Char(0),
            // Annex B: in a class, digits are octal or identity escapes.
            '1'..='9' if in_class => Escape::Char(self.legacy_octal(c)),
            '1'..='9' => {
                // Java: more digits join the number while such a group exists.
                let mut n = c as usize - '0' as usize;
                while let Some(d) = self.peek().and_then(|d| d.to_digit(10)) {
                    let longer = n * 10 + d as usize;
                    if longer > self.groups_opened {
                        break;
                    }
                    n = longer;
                    self.bump();
                }
                Escape::Backreference((n <= self.groups_opened).then_some(n))
            }
            'k' if !in_class && self.peek() == Some('<') => {
                let rest = &self.src[self.pos + 1..];
                let Some(end) = rest.find('>') else {
                    return Err(self.error(start, "`\\k<` is never closed with `>`"));
                };
                let name = &rest[..end];
                let Some(&(_, n)) = self.group_names.iter().find(|(known, _)| known == name) else {
                    return Err(self.error(start, format!("no group named `{name}` before this backreference")));
                };
                self.pos += 1 + end + 1;
                Escape::Backreference(Some(n))
            }
            // Identity escape: the character stands for itself.
            other => Escape::Char(other as u32),
        };
        Ok(esc)
    }

    /// Java's `\0` octal escape after the `0`: one to three octal digits, at most `\0377`.
    fn java_octal(&mut self) -> u32 {
        let mut value = 0;
        for i in 0..3 {
            let Some(d) = self.peek().and_then(|d| d.to_digit(8)) else { break };
            if i == 2 && value > 0o37 {
                break;
            }
            self.bump();
            value = value * 8 + d;
        }
        value
    }

    /// Reads the rest of a legacy (Annex B) octal escape whose first digit was `first`.
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

    /// Reads what follows `\u`: four hex digits (combining a following low surrogate escape into one
    /// code point), or `{hex}`.
    fn unicode_escape(&mut self, start: usize) -> Result<Escape, PatternError> {
        if self.peek() == Some('{') {
            let rest = &self.src[self.pos + 1..];
            let len = rest.bytes().take_while(u8::is_ascii_hexdigit).count();
            if len > 0 && rest[len..].starts_with('}') {
                let value = hex_value(&rest[..len]);
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
    fn property(&mut self, start: usize, negated: bool) -> Result<Set, PatternError> {
        let rest = &self.src[self.pos + 1..];
        let Some(end) = rest.find('}') else {
            return Err(self.error(start, "unterminated Unicode property escape: missing `}`"));
        };
        let name = &rest[..end];
        self.pos += 1 + end + 1;
        let set = self.named_class(start, name)?;
        Ok(if negated { set.complement() } else { set })
    }

    /// The set a `\p{name}` names, as Java resolves the name.
    fn named_class(&mut self, start: usize, name: &str) -> Result<Set, PatternError> {
        let unsupported = |why: &str| PatternError {
            offset: start,
            message: format!("unsupported property class \\p{{{name}}}: {why}"),
        };
        if let Some((key, value)) = name.split_once('=') {
            return match key {
                "gc" | "general_category" | "General_Category" => {
                    general_category(value).map(|c| self.category(c)).ok_or_else(|| unsupported("unknown category"))
                }
                _ => Err(unsupported(
                    "only general categories can be named with `=`; scripts and blocks are not supported",
                )),
            };
        }
        if name.starts_with("In") && name.len() > 2 {
            return Err(unsupported("Unicode blocks are not supported"));
        }
        if let Some(short) = name.strip_prefix("Is").filter(|s| !s.is_empty()) {
            if let Some(set) = self.binary_property(short) {
                return Ok(set);
            }
            if let Some(set) = self.java_property(short) {
                return Ok(set);
            }
            return Err(unsupported("Unicode scripts are not supported"));
        }
        self.java_property(name).ok_or_else(|| {
            unsupported(
                "only Unicode general categories, binary properties, Java's POSIX classes \
                 and java.lang.Character classes are supported",
            )
        })
    }

    /// A name Java's `\p{..}` resolves without a prefix: POSIX classes, categories, `java*`.
    fn java_property(&mut self, name: &str) -> Option<Set> {
        if let Some(ranges) = posix_class(name) {
            return Some(self.ranges_set(ranges));
        }
        Some(match name {
            "L1" => self.ranges_set(&[(0, 0xFF)]),
            "all" => Set::ranges(&[(0, MAX_CHAR)]),
            "LD" => Set::Union(vec![self.category("L"), self.category("Nd")]),
            "javaLowerCase" => self.cased_property("Lowercase"),
            "javaUpperCase" => self.cased_property("Uppercase"),
            "javaTitleCase" => self.category("Lt"),
            "javaAlphabetic" => self.boolean_property("Alphabetic"),
            "javaIdeographic" => self.boolean_property("Ideographic"),
            "javaLetter" => self.category("L"),
            "javaDigit" => self.category("Nd"),
            "javaLetterOrDigit" => Set::Union(vec![self.category("L"), self.category("Nd")]),
            "javaDefined" => self.category("Cn").complement(),
            "javaWhitespace" => Set::ranges(JAVA_WHITESPACE),
            "javaSpaceChar" => Set::ranges(JAVA_SPACE_CHAR),
            _ => self.category(general_category(name)?),
        })
    }

    /// Java's `\p{IsName}` binary properties (the name compared without case, as Java does).
    fn binary_property(&mut self, name: &str) -> Option<Set> {
        let key: String = name.chars().filter(|c| *c != '_' && *c != ' ').collect::<String>().to_ascii_uppercase();
        Some(match key.as_str() {
            "ALPHABETIC" => self.boolean_property("Alphabetic"),
            "IDEOGRAPHIC" => self.boolean_property("Ideographic"),
            "HEXDIGIT" => self.boolean_property("Hex_Digit"),
            "WHITESPACE" => self.boolean_property("White_Space"),
            "NONCHARACTERCODEPOINT" => self.boolean_property("Noncharacter_Code_Point"),
            "LOWERCASE" => self.cased_property("Lowercase"),
            "UPPERCASE" => self.cased_property("Uppercase"),
            "TITLECASE" => self.category("Lt"),
            "LETTER" => self.category("L"),
            "DIGIT" => self.category("Nd"),
            "PUNCTUATION" => self.category("P"),
            "CONTROL" => self.category("Cc"),
            "ASSIGNED" => self.category("Cn").complement(),
            "JOINCONTROL" => Set::ranges(&[(0x200C, 0x200D)]),
            _ => return None,
        })
    }

    fn boolean_property(&mut self, name: &'static str) -> Set {
        self.unicode.binary_properties = true;
        Set::Property(match name {
            "Alphabetic" => r"\p{Alphabetic}",
            "Ideographic" => r"\p{Ideographic}",
            "Hex_Digit" => r"\p{Hex_Digit}",
            "White_Space" => r"\p{White_Space}",
            "Noncharacter_Code_Point" => r"\p{Noncharacter_Code_Point}",
            "Lowercase" => r"\p{Lowercase}",
            _ => r"\p{Uppercase}",
        })
    }

    /// `Lowercase` or `Uppercase`; under `(?i)` Java widens either to every cased character.
    fn cased_property(&mut self, name: &'static str) -> Set {
        if self.flags.case_insensitive {
            let lower = self.boolean_property("Lowercase");
            let upper = self.boolean_property("Uppercase");
            return Set::Union(vec![lower, upper, self.category("Lt")]);
        }
        self.boolean_property(name)
    }

    /// A general category by short name. Under `(?i)` Java widens Lu, Ll and Lt to all three.
    fn category(&mut self, short: &'static str) -> Set {
        if short == "Cs" {
            // Rust strings hold no surrogates: this class can only match what never occurs.
            return Set::ranges(&[SURROGATES]);
        }
        self.unicode.general_categories = true;
        if self.flags.case_insensitive && matches!(short, "Lu" | "Ll" | "Lt") {
            return Set::Union(vec![Set::Property(r"\p{Lu}"), Set::Property(r"\p{Ll}"), Set::Property(r"\p{Lt}")]);
        }
        Set::Property(category_class(short))
    }
}

/// A quantifier's text and whether it can repeat its term more than once.
struct Quantifier {
    text: String,
    repeats: bool,
}

/// The members of a class that involves property classes, in `regex`'s nested class syntax.
fn write_members(out: &mut String, set: &Set) {
    match set {
        Set::Ranges(ranges) => {
            let kept = strip_surrogates(&merge(ranges.clone()));
            if kept.is_empty() {
                out.push_str(NEVER);
            }
            write_ranges(out, &kept);
        }
        Set::Property(p) => out.push_str(p),
        Set::Union(items) => {
            if items.is_empty() {
                out.push_str(NEVER);
            }
            for item in items {
                write_members(out, item);
            }
        }
        Set::Complement(inner) => match &**inner {
            Set::Property(p) => out.push_str(&flip_property(p)),
            inner => {
                out.push_str("[^");
                write_members(out, inner);
                out.push(']');
            }
        },
        Set::Intersection(a, b) => {
            out.push('[');
            write_members(out, a);
            out.push_str("&&");
            write_members(out, b);
            out.push(']');
        }
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

fn intersect(a: &[(u32, u32)], b: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    for &(alo, ahi) in a {
        for &(blo, bhi) in b {
            let (lo, hi) = (alo.max(blo), ahi.min(bhi));
            if lo <= hi {
                out.push((lo, hi));
            }
        }
    }
    merge(out)
}

/// The ranges without surrogates, which Rust characters can never be.
fn strip_surrogates(ranges: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let mut kept = Vec::with_capacity(ranges.len());
    for &(lo, hi) in ranges {
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
    }
    kept
}

/// The ranges plus the other ASCII case of every ASCII letter in them: Java's default `(?i)`.
fn case_closure(ranges: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let mut out = ranges.to_vec();
    for &(lo, hi) in ranges {
        for (from, to) in [(0x41u32, 0x5Au32), (0x61, 0x7A)] {
            let (l, h) = (lo.max(from), hi.min(to));
            if l <= h {
                let shift = |c: u32| if from == 0x41 { c + 0x20 } else { c - 0x20 };
                out.push((shift(l), shift(h)));
            }
        }
    }
    merge(out)
}

fn other_ascii_case(c: u32) -> Option<u32> {
    match c {
        0x41..=0x5A => Some(c + 0x20),
        0x61..=0x7A => Some(c - 0x20),
        _ => None,
    }
}

fn hex_value(digits: &str) -> u32 {
    digits.chars().fold(0u32, |acc, d| acc.saturating_mul(16).saturating_add(d.to_digit(16).unwrap_or(0)))
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

/// The `regex` class of a general category (a `'static` string, so sets stay cheap to clone).
fn category_class(short: &str) -> &'static str {
    const CLASSES: &[&str] = &[
        r"\p{L}", r"\p{LC}", r"\p{Lu}", r"\p{Ll}", r"\p{Lt}", r"\p{Lm}", r"\p{Lo}", r"\p{M}", r"\p{Mn}", r"\p{Mc}",
        r"\p{Me}", r"\p{N}", r"\p{Nd}", r"\p{Nl}", r"\p{No}", r"\p{P}", r"\p{Pc}", r"\p{Pd}", r"\p{Ps}", r"\p{Pe}",
        r"\p{Pi}", r"\p{Pf}", r"\p{Po}", r"\p{S}", r"\p{Sm}", r"\p{Sc}", r"\p{Sk}", r"\p{So}", r"\p{Z}", r"\p{Zs}",
        r"\p{Zl}", r"\p{Zp}", r"\p{C}", r"\p{Cc}", r"\p{Cf}", r"\p{Co}", r"\p{Cn}",
    ];
    CLASSES.iter().find(|class| class[3..class.len() - 1] == *short).copied().unwrap_or(r"\p{Cn}")
}

fn emit_flat_class(out: &mut String, ranges: &[(u32, u32)], negated: bool) {
    out.push('[');
    if negated {
        out.push('^');
    }
    write_ranges(out, ranges);
    out.push(']');
}

fn write_ranges(out: &mut String, ranges: &[(u32, u32)]) {
    for &(lo, hi) in ranges {
        push_char(out, lo);
        if hi > lo {
            if hi > lo + 1 {
                out.push('-');
            }
            push_char(out, hi);
        }
    }
}

/// Writes one code point so that it means itself in or out of a class in every engine: meta
/// characters are escaped, and anything not printable ASCII is a `\x{..}` escape so the output stays
/// readable and free of control bytes.
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

/// The characters the engines treat as syntax somewhere (the same set as
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

    /// The engines a translation must compile with: its own and every more capable one, since a
    /// crate runs all of its patterns on the most capable engine any of them needs.
    enum Compiled {
        Lite(regex_lite::Regex),
        Full(regex::Regex),
        Fancy(fancy_regex::Regex),
    }

    impl Compiled {
        fn is_match(&self, input: &str) -> bool {
            match self {
                Compiled::Lite(r) => r.is_match(input),
                Compiled::Full(r) => r.is_match(input),
                Compiled::Fancy(r) => r.is_match(input).expect("no backtrack limit is reached in these tests"),
            }
        }
    }

    /// A generated crate builds `regex` without `unicode-perl` (and `regex-syntax` loads no case
    /// tables), so a translation must not use the Unicode `\d`, `\w`, `\s` or `\b`, nor an inline
    /// flag. Cargo builds this crate's engines with those tables (fancy-regex's `unicode` feature
    /// turns them all on), so compiling cannot tell; the text is read instead.
    fn assert_needs_no_perl_tables(pattern: &str, regex: &str) {
        let chars: Vec<char> = regex.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            match chars[i] {
                '\\' => {
                    let next = chars.get(i + 1).copied();
                    assert!(
                        !matches!(next, Some('d' | 'D' | 'w' | 'W' | 's' | 'S' | 'b' | 'B')),
                        "{pattern:?} -> {regex:?} uses a Perl class or word boundary"
                    );
                    i += 2;
                }
                '(' if chars.get(i + 1) == Some(&'?') => {
                    let next = chars.get(i + 2).copied();
                    assert!(
                        !next.is_some_and(|c| c == '-' || c.is_ascii_alphabetic()),
                        "{pattern:?} -> {regex:?} sets an inline flag"
                    );
                    i += 2;
                }
                _ => i += 1,
            }
        }
    }

    fn compile_all(pattern: &str, t: &Translated) -> Vec<Compiled> {
        assert_needs_no_perl_tables(pattern, &t.regex);
        let mut engines = Vec::new();
        let fail =
            |engine: &str, e: &dyn std::fmt::Display| -> ! { panic!("{pattern:?} -> {:?}: {engine}: {e}", t.regex) };
        if t.engine == Engine::RegexLite {
            engines.push(Compiled::Lite(regex_lite::Regex::new(&t.regex).unwrap_or_else(|e| fail("regex-lite", &e))));
        } else if t.engine == Engine::Regex {
            // regex-lite must reject it, or the heavier engine was not needed. (No such check for
            // fancy-regex: `regex` reads some of its syntax differently, `a*+` as `(a*)+`.)
            let lite_accepts = regex_lite::Regex::new(&t.regex).is_ok();
            assert!(!lite_accepts, "{pattern:?} -> {:?} claims to need `regex`", t.regex);
        }
        if t.engine <= Engine::Regex {
            engines.push(Compiled::Full(regex::Regex::new(&t.regex).unwrap_or_else(|e| fail("regex", &e))));
        }
        engines.push(Compiled::Fancy(fancy_regex::Regex::new(&t.regex).unwrap_or_else(|e| fail("fancy-regex", &e))));
        engines
    }

    /// Translates every pattern, compiles it with each engine that may run it and checks each sample.
    fn check_table(table: &[(&str, &[(&str, bool)])]) {
        for &(pattern, samples) in table {
            let t = tr(pattern);
            for engine in compile_all(pattern, &t) {
                for &(input, expected) in samples {
                    assert_eq!(engine.is_match(input), expected, "{pattern:?} -> {:?} on {input:?}", t.regex);
                }
            }
        }
    }

    // Every expectation below is what java.util.regex answers with `Pattern.compile(p).matcher(v).find()`
    // (checked with JDK 17), except where a comment says otherwise.

    /// Patterns from AWS models that both dialects read alike (recorded from node at first, then
    /// rechecked with Java; the `\S` and `$` rows follow Java where it differs).
    const AWS_PATTERNS: &[(&str, &[(&str, bool)])] = &[
        (
            r".*",
            &[
                ("", true),
                ("abc", true),
                ("a\nb", true),
            ],
        ),
        (
            r"^AWS|ThirdParty$",
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
            r"^[0-9]{12}|\*$",
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
            r"^[A-Za-z0-9.@\-_]+$",
            &[
                ("a.b@c-d_e", true),
                ("a b", false),
                ("", false),
                ("\u{FC}", false),
                ("a/b", false),
            ],
        ),
        (
            r"^[a-zA-Z0-9!@ \(\)\.\*\?\-]+$",
            &[
                ("Hello World!", true),
                ("(a)*?.-", true),
                ("a_b", false),
                ("a#", false),
                ("", false),
            ],
        ),
        (
            r"^arn:aws(-[\w]+)*:codepipeline:.+:[0-9]{12}:.+$",
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
            r"^arn:aws(-[\w]+)*:iam::[0-9]{12}:role/",
            &[
                ("arn:aws:iam::123456789012:role/Foo", true),
                ("arn:aws:iam::123456789012:role/", true),
                ("arn:aws:iam::123456789012:user/Foo", false),
                ("xarn:aws:iam::123456789012:role/", false),
                ("arn:aws-cn:iam::123456789012:role/x", true),
            ],
        ),
        (
            r"^([0-9a-f]{16})+$",
            &[
                ("0123456789abcdef", true),
                ("0123456789abcdef0123456789abcdef", true),
                ("0123456789abcdef0", false),
                ("0123456789ABCDEF", false),
                ("", false),
            ],
        ),
        (
            r"^[,;:|\t ]$",
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
            r"^[A-Za-z0-9][A-Za-z0-9\-\_\.]{0,126}[A-Za-z0-9]$",
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
            r"^[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\r\n\t]*$",
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
            r"^[\x20-\x21\x23-\x2B\x2D-\x7E]*$",
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
            r"^[^\$]+$",
            &[
                ("abc", true),
                ("a$b", false),
                ("", false),
                ("\n", true),
                ("$", false),
            ],
        ),
        (
            r"^[a-z0-9A-Z]+[\.\-\w]*[a-z0-9A-Z]+$",
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
            r"^\p{Print}+$",
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
            r"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$",
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
            r"^[\w#+=/:,.@-]*$",
            &[
                ("a#b+c=d/e:f,g.h@i-j", true),
                ("a b", false),
                ("\u{FC}", false),
                ("", true),
                ("a_b", true),
            ],
        ),
        (
            r"^[\w-_]*$",
            &[
                ("a-b_c", true),
                ("a b", false),
                ("a.b", false),
                ("-", true),
                ("", true),
            ],
        ),
        (
            r"^[\w_-]*$",
            &[
                ("a-b_c", true),
                ("a b", false),
                ("a.b", false),
                ("-", true),
                ("\u{E9}", false),
            ],
        ),
        (
            r"^[^:*$]*$",
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
            r"^\S{36,128}$",
            &[
                ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true),
                ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false),
                ("aaaaaaaaaaaaaaaaa aaaaaaaaaaaaaaaaaa", false),
                ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true),
                ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false),
                ("aaaaaaaaaaaaaaaaa\u{A0}aaaaaaaaaaaaaaaaaa", true),
                ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\u{E9}", true),
                ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\u{85}", true),
            ],
        ),
        (
            r"^\d{12}$",
            &[
                ("123456789012", true),
                ("123456789012\n", true),
                ("123456789012\n\n", false),
                ("12345678901", false),
                ("\u{661}\u{662}\u{663}\u{664}\u{665}\u{666}\u{667}\u{668}\u{669}\u{660}\u{661}\u{662}", false),
                ("12345678901a", false),
                ("1234567890123", false),
            ],
        ),
        (
            r"^arn:aws[a-z\-]*:kms:[-a-z0-9]*:[0-9]*:key/[-a-z0-9]*$",
            &[
                ("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", true),
                ("arn:aws-cn:kms:cn-north-1:1:key/x", true),
                ("arn:aws:kms:us-east-1:123:alias/x", false),
                ("arn:aws:kms:US:1:key/x", false),
                ("arn:aws:kms:::key/", true),
            ],
        ),
        (
            r"^https://[\.\-_/#:A-Za-z0-9]+\.com$",
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
            r"^\s$",
            &[
                ("\t", true),
                ("\n", true),
                ("\u{B}", true),
                ("\u{C}", true),
                ("\r", true),
                (" ", true),
                ("\u{A0}", false),
                ("\u{1680}", false),
                ("\u{2000}", false),
                ("\u{200A}", false),
                ("\u{2028}", false),
                ("\u{2029}", false),
                ("\u{202F}", false),
                ("\u{205F}", false),
                ("\u{3000}", false),
                ("\u{FEFF}", false),
                ("\u{200B}", false),
                (" \n", true),
                ("\u{85}", false),
                ("\u{180E}", false),
                ("a", false),
                ("", false),
            ],
        ),
        (r"^\S$", &[("a", true), (" ", false), ("\u{85}", true), ("\u{3000}", true), ("\u{1F600}", true)]),
        (r"^[^\s]$", &[("a", true), (" ", false), ("\u{FEFF}", true), ("\u{85}", true)]),
        (r"^[\s\d]+$", &[(" 1\t2", true), ("a", false)]),
        (
            r"^.$",
            &[
                ("a", true),
                ("\n", false),
                ("\r", false),
                ("\u{2028}", false),
                ("\u{2029}", false),
                ("\u{85}", false),
                ("\u{1F600}", true),
                ("\t", true),
                ("a\n", true),
            ],
        ),
        (r"^\w+$", &[("abc_123", true), ("\u{E9}", false), ("a-b", false)]),
        (r"^\W+$", &[("!@", true), ("\u{E9}", true), ("a", false), (" ", true)]),
        (r"^[\W\d]+$", &[("!1", true), ("a", false), ("\u{E9}", true)]),
        (r"^\D+$", &[("abc", true), ("a1", false), ("\u{661}", true)]),
        (r"^[^\d]$", &[("a", true), ("5", false)]),
        (r"^\uD83D\uDE00+$", &[("\u{1F600}", true), ("\u{1F600}\u{1F600}", true), ("a", false)]),
        (
            r"^[\uD83D\uDE00-\uD83D\uDE4F]$",
            &[("\u{1F600}", true), ("\u{1F64F}", true), ("\u{1F650}", false), ("a", false)],
        ),
        (r"^[^\uD800-\uDFFF]+$", &[("abc", true), ("\u{1F600}", true), ("\n", true)]),
        (r"^[\u0000-\uFFFF]$", &[("a", true), ("\u{FFFF}", true), ("\u{1F600}", false)]),
        (
            // ECMA-262 reading: java.util.regex rejects this pattern.
            r"^a{$",
            &[("a{", true), ("a", false)],
        ),
        (
            // ECMA-262 reading: java.util.regex rejects this pattern.
            r"^a{1,$",
            &[("a{1,", true), ("a", false)],
        ),
        (
            // ECMA-262 reading: java.util.regex rejects this pattern.
            r"^a{,2}$",
            &[("a{,2}", true), ("aa", false)],
        ),
        (r"^x{2}?$", &[("xx", true), ("x", false)]),
        (r"^x{2,}$", &[("xx", true), ("xxxxx", true), ("x", false)]),
        (r"^x{1,2}?y$", &[("xy", true), ("xxy", true), ("xxxy", false)]),
        (r"^\d+?$", &[("123", true), ("", false)]),
        (r"^}]$", &[("}]", true)]),
        (r"^[\]]$", &[("]", true), ("\\", false)]),
        (r"^[]]$", &[("]", true), ("", false), ("a", false)]),
        (r"^[a-]$", &[("-", true), ("a", true), ("b", false)]),
        (r"^[-a]$", &[("-", true), ("a", true)]),
        (r"^[\d-z]$", &[("5", true), ("-", true), ("z", true), ("a", false)]),
        (r"^[\-\_\.]+$", &[("-_.", true), ("a", false)]),
        (r"^\/path\/$", &[("/path/", true)]),
        (r"^\$\^\.\*\+\?\(\)\[\]\{\}\|\\$", &[("$^.*+?()[]{}|\\", true)]),
        (r#"^#&~ "'<>%,;=!@$"#, &[("#&~ \"'<>%,;=!@", true)]),
        (r"^\cJ\cj$", &[("\n*", true), ("\n\n", false)]),
        (r"^\c1$", &[("q", true), ("\\c1", false)]),
        (r"^[\c1]$", &[("q", true), ("1", false)]),
        (
            // ECMA-262 reading: java.util.regex rejects this pattern.
            r"^\0$",
            &[("\u{0}", true), ("0", false)],
        ),
        (
            // ECMA-262 reading: java.util.regex rejects this pattern.
            r"^\08$",
            &[("\u{0}8", true)],
        ),
        (r"^\101\7$", &[("A\u{7}", false), ("", false)]),
        (
            // ECMA-262 reading: java.util.regex rejects this pattern.
            r"^[\101-\103]+$",
            &[("ABC", true), ("D", false)],
        ),
        (r"^a\8$", &[("a8", false), ("a", false)]),
        (
            // ECMA-262 reading: java.util.regex rejects this pattern.
            r"^\x41\u0042\x4G$",
            &[("ABx4G", true)],
        ),
        (
            // ECMA-262 reading: java.util.regex rejects this pattern.
            r"^\u00G1$",
            &[("u00G1", true)],
        ),
        (
            // ECMA-262 reading: java.util.regex rejects this pattern.
            r"^\a\e\k$",
            &[("\u{7}\u{1B}k", true), ("aek", false)],
        ),
        (
            // ECMA-262 reading: java.util.regex rejects this pattern.
            r"^[\b]$",
            &[("\u{8}", true), ("b", false)],
        ),
        (r"^\t\n\v\f\r$", &[("\t\n\u{B}\u{C}\r", true)]),
        (
            // JDK 19+ reading (ASCII word characters); JDK 17 counts `é` as a word character.
            r"\bfoo\b",
            &[("a foo b", true), ("afoob", false), ("\u{E9}foo\u{E9}", true), ("foo_", false)],
        ),
        (r"\Bfoo", &[("afoo", true), ("foo", false), (" foo", false)]),
        (r"^(?<year>\d{4})-(?:\d{2})$", &[("2024-01", true), ("2024-1", false)]),
        (r"^(ab)+$", &[("abab", true), ("aba", false)]),
        (r"^(a|)$", &[("", true), ("a", true), ("aa", false)]),
        (r"^a|b|$", &[("", true), ("a", true), ("xb", true), ("x", true)]),
        (r"^(?:a|b(?:c|d))+$", &[("abcabd", true), ("abe", false)]),
        (r"^\p{Lu}\p{Ll}+$", &[("Hello", true), ("hello", false), ("\u{C9}lan", true)]),
        (r"^\P{L}+$", &[("123", true), ("a", false), ("\u{E9}", false)]),
        (r"^[^\p{L}\s]+$", &[("123!", true), ("a", false), (" ", false)]),
        (r"^[\P{L}]+$", &[("123", true), ("a", false)]),
        (r"^\p{N}$", &[("\u{663}", true), ("5", true), ("\u{BD}", true), ("a", false)]),
        (
            // ECMA-262 reading: java.util.regex rejects this pattern.
            r"^\p{Letter}\p{gc=Nd}\p{General_Category=Zs}$",
            &[("a1 ", true), ("a1\t", false)],
        ),
        (r"^\p{Alpha}\p{Digit}\P{Alnum}$", &[("a1!", true), ("\u{E9}1!", false), ("a1b", false)]),
        (r"^[\p{Punct}\p{Space}]+$", &[("!\t ", true), ("a", false), ("\u{A0}", false)]),
        (r"^[\P{Print}]$", &[("\u{1}", true), ("a", false), ("\u{E9}", true)]),
        (
            // ECMA-262 reading: java.util.regex rejects this pattern.
            r"^\u{1F600}$",
            &[("\u{1F600}", true)],
        ),
        (r"^\P{Cs}$", &[("a", true), ("\u{1F600}", true)]),
    ];

    /// Java's constructs and Java's readings of what ECMA-262 reads differently, one row per reason.
    const JAVA_PATTERNS: &[(&str, &[(&str, bool)])] = &[
        // Lookahead: a tag key must not start with `aws:`, case-sensitively.
        (r"^(?!aws:).+$", &[("aws:x", false), ("x", true), ("awsx", true), ("Aws:x", true), ("", false)]),
        // acm's DomainNameString: no label starts with `-`.
        (
            r"^(\*\.)?(((?!-)[A-Za-z0-9-]{0,62}[A-Za-z0-9])\.)+((?!-)[A-Za-z0-9-]{1,62}[A-Za-z0-9])$",
            &[
                ("example.com", true),
                ("*.example.com", true),
                ("-a.com", false),
                ("a.-com", false),
                ("a-b.c-d", true),
                ("com", false),
            ],
        ),
        // athena: no `/`, `:` or `\` anywhere, then XML characters; astral ones are one code point.
        (
            r"^(?!.*[/:\\])[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\t]+$",
            &[
                ("notebook 1", true),
                ("a/b", false),
                ("a:b", false),
                ("a\\b", false),
                ("\u{1F600}", true),
                ("a\nb", false),
                ("ok\n", true),
            ],
        ),
        // budgets: `(?i)` inside the lookahead holds to its end and is ASCII-only.
        (
            r"^(?![^:\\]*/action/|(?i).*<script>.*</script>.*)[^:\\]+$",
            &[
                ("budget", true),
                ("x/action/y", false),
                ("<SCRIPT>a</Script>", false),
                ("<script>", true),
                ("a:b", false),
            ],
        ),
        // Lookbehind: cognito's bucket name must not end in `.`; `$` may stand before a final `\n`.
        (
            r"^[0-9A-Za-z\.\-_]*(?<!\.)$",
            &[
                ("bucket", true),
                ("bucket.", false),
                ("", true),
                ("a.b", true),
                ("bucket\n", true),
                ("bucket.\n", false),
            ],
        ),
        // Inline flags: `(?i)` to the end, scoped `(?i:...)`, across `|`, and ending with the group.
        (r"(?i)^abc$", &[("ABC", true), ("aBc", true), ("abd", false)]),
        (r"^(?i:ab)c$", &[("ABc", true), ("ABC", false)]),
        (r"^a(?i)b|c$", &[("aB", true), ("C", true), ("Ab", false)]),
        (r"^((?i)a)b$", &[("Ab", true), ("AB", false)]),
        (r"^(?i)a(?-i)b$", &[("Ab", true), ("AB", false)]),
        // Java's default `(?i)` is ASCII-only: é and É stay distinct.
        (r"^(?i)\u00e9$", &[("\u{E9}", true), ("\u{C9}", false)]),
        // Case-insensitivity applies before negation.
        (r"(?i)[^a]", &[("A", false), ("b", true)]),
        (r"^(?i)[a-c]+$", &[("ABC", true), ("abd", false)]),
        (r"^(?i)\p{Lu}$", &[("a", true), ("A", true), ("1", false)]),
        (r"^(?i)\p{Lower}$", &[("A", true), ("1", false)]),
        // `(?s)` lets `.` match line terminators; cloudtrail's `^(?s)` matches everything.
        (r"^(?s).$", &[("\n", true), ("\u{85}", true)]),
        (r"^(?s)", &[("anything\nat all", true), ("", true)]),
        // `(?d)`: only `\n` ends a line.
        (r"(?d)^.$", &[("\r", true), ("\n", false), ("a\r", false), ("a\n", true)]),
        // Backreferences, numbered and named; a reference to a missing group never matches.
        (r"^(a+)b\1$", &[("aabaa", true), ("aaba", false)]),
        (r#"^(?<q>['"]).*\k<q>$"#, &[("'x'", true), ("'x\"", false)]),
        (r"^(a)\2", &[("a", false), ("a\u{2}", false)]),
        // `\10` with one group is `\1` then `0`.
        (r"^(a)\10$", &[("aa0", true), ("a\u{8}", false)]),
        // Surrogate pairs as class endpoints cover the astral planes; matching is by code point.
        (r"^[\uD800\uDC00-\uDBFF\uDFFF]+$", &[("\u{10000}\u{10FFFF}", true), ("a", false)]),
        (r"^[^\uD800\uDC00-\uDBFF\uDFFF]$", &[("\u{1F600}", false), ("a", true)]),
        (r"^.{2}$", &[("\u{1F600}\u{1F600}", true), ("\u{1F600}", false)]),
        // `\A` and `\z` are input boundaries, not the letters A and z.
        (
            r"^\A(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}\z$",
            &[("9.16.83.207", true), ("256.1.1.1", false), ("1.1.1.1\n", false), ("A1.1.1.1z", false)],
        ),
        (r"a\Z", &[("a\n", true), ("a\n\n", false), ("ba", true)]),
        (r"^a\z", &[("a\n", false), ("a", true)]),
        // Class intersection, nested unions, and a `^` that negates the whole class.
        (r"^[\p{Print}&&[^|:/]]+$", &[("ab c", true), ("a|b", false), ("a:b", false), ("\u{E9}", false)]),
        (r"^[a-z&&[^aeiou]]+$", &[("bcd", true), ("bad", false)]),
        (r"^[^a-z&&[^x]]$", &[("x", true), ("b", false), ("B", true)]),
        (r"^[a-c[x-z]]+$", &[("abxz", true), ("d", false)]),
        (r"^[\p{L}&&[^a-z]]$", &[("A", true), ("a", false), ("\u{E9}", true), ("1", false)]),
        // A `]` first in a class is a literal.
        (r"^[]a]+$", &[("]a", true), ("b", false)]),
        (r"^[^]a]$", &[("b", true), ("]", false)]),
        // Java's named classes.
        (r"^\p{LD}+$", &[("a1\u{E9}\u{663}", true), ("a_", false)]),
        (r"^\p{IsAlphabetic}+$", &[("\u{E9}a", true), ("1", false)]),
        (r"^\p{javaLowerCase}+$", &[("a\u{E9}", true), ("A", false)]),
        (r"^\pL+\PL$", &[("ab1", true), ("1", false)]),
        (r"^\p{L1}+$", &[("\u{FF}a", true), ("\u{100}", false)]),
        (r"^\p{IsLu}$", &[("A", true), ("a", false)]),
        (r"^\p{javaWhitespace}$", &[("\u{1F}", true), ("\u{A0}", false), ("\u{2007}", false), (" ", true)]),
        (r"^\p{Alpha}$", &[("a", true), ("\u{E9}", false)]),
        // Java's line terminators: `.` excludes U+0085 too, and `$` stands before any final one.
        (r"^a.c$", &[("a\u{85}c", false), ("a\u{2028}c", false), ("abc", true)]),
        (
            r"^abc$",
            &[
                ("abc\r\n", true),
                ("abc\u{2029}", true),
                ("abc\u{85}", true),
                ("abc\r", true),
                ("abc\n\n", false),
                ("abc\n ", false),
            ],
        ),
        // A `$` something follows takes Java's exact definition.
        (r"^(?:a$)+", &[("a\n", true), ("a", true), ("b", false)]),
        (r"a$(?=\n)", &[("a\n", true), ("a", false)]),
        (r"^abc$\n?", &[("abc\n", true), ("abc", true), ("abc\r\n", true), ("abc\n\n", false)]),
        (r"^a$$", &[("a\n", true), ("a\n\n", false)]),
        // `\s` is ASCII in Java; `\h` and `\v` are its horizontal and vertical whitespace.
        (r"^\s+$", &[(" \t\n\u{B}\u{C}\r", true), ("\u{A0}", false), ("\u{3000}", false)]),
        (r"^\h\v$", &[("\u{A0}\u{2028}", true), ("a\n", false), (" \u{85}", true)]),
        // `\R` is a line break, `\r\n` or one vertical whitespace character, and may give back the `\n`.
        (r"^\R$", &[("\r\n", true), ("\u{85}", true), ("a", false)]),
        (r"^\R\n$", &[("\r\n", true), ("\n\n", true), ("\r\r", false)]),
        // Possessive quantifiers and atomic groups never give back what they took.
        (r"^a*+a$", &[("aaa", false), ("", false)]),
        (r"^(?>ab|a)b$", &[("abb", true), ("ab", false)]),
        // `\Q...\E` quotes.
        (r"^\Q.*\E$", &[(".*", true), ("ab", false)]),
        (r"^\Qa.b", &[("a.b", true), ("axb", false)]),
        // Quoting is undone before anything else, as Java does: in a class each quoted character is
        // a member, `]` and `-` included, and a quoted character can end a range or be repeated.
        (r"^[\Qa]\E]$", &[("a", true), ("]", true), ("Q", false), ("E", false)]),
        (r"^[\Q^-\E]+$", &[("^-", true), ("a", false), ("\\", false)]),
        (r"^[\Qa-c\E]$", &[("-", true), ("a", true), ("b", false)]),
        (r"^[\Qa\E-c]$", &[("b", true), ("-", false)]),
        (r"^[a-\Qc\E]$", &[("b", true), ("-", false)]),
        (r"^[a\Q&&\Eb]+$", &[("&", true), ("ab", true)]),
        (r"^[\Q]\E]$", &[("]", true)]),
        // A quoted digit does not join a backreference before it; a quoted `\` is a backslash.
        (r"^(a)\Q1\E$", &[("a1", true), ("aa", false)]),
        (r"^\Qa\b\E$", &[("a\\b", true)]),
        (r"^\Q\Q\E$", &[("\\Q", true)]),
        (r"^[\\Q]+$", &[("\\Q", true)]),
        (r"^\Qab\E+$", &[("abb", true), ("abab", false)]),
        (r"^x\Q\E+$", &[("xx", true)]),
        (r"^\Qa\E{2}$", &[("aa", true)]),
        // Java's escapes: `\x{..}`, `\e`, octal `\0101`, `\cX` as XOR 0x40.
        (r"^\x{1F600}\e$", &[("\u{1F600}\u{1B}", true)]),
        (r"^\0101\012$", &[("A\n", true)]),
        (r"^\c@\c?$", &[("\u{0}\u{7F}", true)]),
    ];

    #[test]
    fn aws_model_patterns_match_like_java() {
        check_table(AWS_PATTERNS);
    }

    #[test]
    fn escapes_classes_and_quantifiers_match_like_java() {
        check_table(EXTRA_PATTERNS);
    }

    #[test]
    fn java_constructs_match_like_java() {
        check_table(JAVA_PATTERNS);
    }

    /// Writes every table row as `pattern<TAB>input<TAB>expected`, each text as UTF-8 hex, for a
    /// throwaway Java program to recheck: `cargo test -p codegen --lib dump_tables -- --ignored`.
    #[test]
    #[ignore = "writes the tables for checking against java.util.regex by hand"]
    fn dump_tables() {
        let hex = |s: &str| s.bytes().map(|b| format!("{b:02x}")).collect::<String>();
        let mut out = String::new();
        for table in [AWS_PATTERNS, EXTRA_PATTERNS, JAVA_PATTERNS] {
            for &(pattern, samples) in table {
                for &(input, expected) in samples {
                    out.push_str(&format!("{}\t{}\t{expected}\n", hex(pattern), hex(input)));
                }
            }
        }
        let path = std::env::var("PATTERN_TABLE_OUT").expect("set PATTERN_TABLE_OUT");
        std::fs::write(path, out).expect("write the table");
    }

    #[test]
    fn each_pattern_goes_to_the_leanest_engine_that_runs_it() {
        let cases = [
            (r"^[a-z]+$", Engine::RegexLite),
            (r"(?i)^abc$", Engine::RegexLite),
            (r"^(?s).$", Engine::RegexLite),
            (r"^[\p{Print}&&[^|:/]]+$", Engine::RegexLite),
            (r"^\A\d\z$", Engine::RegexLite),
            (r"^\p{L}+$", Engine::Regex),
            (r"^\p{IsAlphabetic}$", Engine::Regex),
            (r"^(?!aws:).+$", Engine::FancyRegex),
            (r"a(?<=a)", Engine::FancyRegex),
            (r"(a)\1", Engine::FancyRegex),
            (r"a*+", Engine::FancyRegex),
            (r"(?>a)", Engine::FancyRegex),
            (r"\bfoo", Engine::FancyRegex),
            (r"a$(?=\n)", Engine::FancyRegex),
            (r"^(?:a$)+", Engine::FancyRegex),
        ];
        for (pattern, engine) in cases {
            assert_eq!(tr(pattern).engine, engine, "{pattern}");
        }
        assert_eq!(tr(r"\p{L}").unicode, UnicodeTables { general_categories: true, binary_properties: false });
        assert_eq!(
            tr(r"\p{IsWhite_Space}").unicode,
            UnicodeTables { general_categories: false, binary_properties: true }
        );
        assert!(!tr(r"\p{Print}").unicode.any());
    }

    #[test]
    fn output_is_readable_and_exact() {
        let end = r"(?:\r\n|[\n\r\x{85}\x{2028}\x{2029}])?\z";
        let cases = [
            (r"^\d{12}$", format!(r"^[0-9]{{12}}{end}")),
            (r"^AWS|ThirdParty$", format!(r"^AWS|ThirdParty{end}")),
            (r"^[0-9]{12}|\*$", format!(r"^[0-9]{{12}}|\*{end}")),
            (r"^[\w-_]*", r"^[\-0-9A-Z_a-z]*".to_string()),
            (r"^[^:*$]*", r"^[^\$\*:]*".to_string()),
            (r"a.b", r"a[^\n\r\x{85}\x{2028}\x{2029}]b".to_string()),
            (r"^\p{Print}+", r"^[ -\~]+".to_string()),
            (r"^\p{L}\P{Nd}", r"^\p{L}\P{Nd}".to_string()),
            (r"\s", r"[\t-\r ]".to_string()),
            (r"\S", r"[^\t-\r ]".to_string()),
            (r"[\D]", r"[\x{0}-/:-\x{D7FF}\x{E000}-\x{10FFFF}]".to_string()),
            (r"\bx\B", format!("{WORD_BOUNDARY}x{WORD_NON_BOUNDARY}")),
            (r"(?<name>a)(?:b)(c)", r"(a)(?:b)(c)".to_string()),
            (r"a{2,}?b{1,3}c{4}?", r"a{2,}?b{1,3}c{4}?".to_string()),
            (r"\uD83D\uDE00", r"\x{1F600}".to_string()),
            (
                r"[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\r\n\t]",
                r"[\t\n\r -\x{D7FF}\x{E000}-\x{FFFD}\x{10000}-\x{10FFFF}]".to_string(),
            ),
            (r"[a-z&&[^x]]", r"[a-wyz]".to_string()),
            (r"[\p{L}&&[^a-z]]", r"[\p{L}&&[^a-z]]".to_string()),
            (r"#~&", r"\#\~\&".to_string()),
            (r"a{,5}", r"a\{,5\}".to_string()),
            (r"é\u00e9", r"\x{E9}\x{E9}".to_string()),
            (r"(?i)ab1", r"[Aa][Bb]1".to_string()),
            (r"(?s).", r"[\x{0}-\x{10FFFF}]".to_string()),
            (r"\A\z", r"\A\z".to_string()),
            (r"(?!-)a", r"(?!\-)a".to_string()),
            (r"a$(?=x)", r"a(?:\z|(?=\r\n\z)|(?<!\r)(?=\n\z)|(?=[\r\x{85}\x{2028}\x{2029}]\z))(?=x)".to_string()),
            (r"(?d)a$", r"a\n?\z".to_string()),
            (r"\Qa+\E", r"a\+".to_string()),
            (r"\p{LD}", r"[\p{L}\p{Nd}]".to_string()),
            (r"^(?s)", r"^".to_string()),
        ];
        for (pattern, rust) in cases {
            assert_eq!(tr(pattern).regex, rust, "translating {pattern:?}");
        }
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
            "general_category=Zs",
            "IsL",
            "IsLu",
            "LD",
            "IsAlphabetic",
            "IsLetter",
            "IsDigit",
            "IsPunctuation",
            "IsControl",
            "IsWhite_Space",
            "IsWhiteSpace",
            "IsLowercase",
            "IsUppercase",
            "IsTitlecase",
            "IsIdeographic",
            "IsHex_Digit",
            "IsAssigned",
            "IsNoncharacter_Code_Point",
            "javaLowerCase",
            "javaUpperCase",
            "javaTitleCase",
            "javaAlphabetic",
            "javaIdeographic",
            "javaLetter",
            "javaDigit",
            "javaLetterOrDigit",
            "javaDefined",
        ] {
            for escape in ["p", "P"] {
                for pattern in [
                    format!(r"\{escape}{{{name}}}"),
                    format!(r"[a\{escape}{{{name}}}]"),
                    format!(r"(?i)\{escape}{{{name}}}"),
                ] {
                    let t = tr(&pattern);
                    assert_eq!(t.engine, Engine::Regex, "{pattern}");
                    compile_all(&pattern, &t);
                }
            }
        }
        for name in [
            "Lower",
            "Upper",
            "ASCII",
            "Alpha",
            "Digit",
            "Alnum",
            "Punct",
            "Graph",
            "Print",
            "Blank",
            "Cntrl",
            "XDigit",
            "Space",
            "L1",
            "all",
            "javaWhitespace",
            "javaSpaceChar",
            "IsJoin_Control",
        ] {
            for escape in ["p", "P"] {
                for pattern in [format!(r"\{escape}{{{name}}}"), format!(r"[a\{escape}{{{name}}}]")] {
                    let t = tr(&pattern);
                    assert_eq!(t.engine, Engine::RegexLite, "{pattern}");
                    compile_all(&pattern, &t);
                }
            }
        }
    }

    #[test]
    fn unsupported_and_invalid_patterns_report_where() {
        let cases: &[(&str, usize, &str)] = &[
            (r"a(?x) b", 1, "comments flag"),
            (r"a(?U)b", 1, "Unicode character class flag"),
            (r"(?c)a", 0, "canonical equivalence"),
            (r"(?iu)a", 0, "Unicode case-insensitive"),
            (r"(?u)x(?i:a)", 5, "Unicode case-insensitive"),
            (r"(?m)a$", 5, "multiline"),
            (r"(?q)a", 0, "unknown inline flag"),
            (r"(?i=a)", 0, "unknown inline flag `=`"),
            (r"(?i", 0, "never closed"),
            (r"(?i)(a)\1", 7, "backreference under (?i)"),
            (r"(a)\k<b>", 3, "no group named `b`"),
            (r"\k<a>(?<a>x)", 0, "no group named `a`"),
            (r"\p{InGreek}", 0, "blocks are not supported"),
            (r"\p{IsLatin}", 0, "scripts are not supported"),
            (r"\p{sc=Latin}", 0, "only general categories"),
            (r"\X", 0, "not supported"),
            (r"a\N{x}", 1, "not supported"),
            (r"[]", 0, "never closed"),
            (r"[^]", 0, "never closed"),
            (r"a[]", 1, "never closed"),
            (r"a**", 2, "nothing to repeat"),
            (r"*a", 0, "nothing to repeat"),
            (r"a|+", 2, "nothing to repeat"),
            (r"^*", 1, "nothing to repeat"),
            (r"\b+", 2, "nothing to repeat"),
            (r"a{2}{3}", 4, "nothing to repeat"),
            (r"(?=a)*", 5, "nothing to repeat"),
            (r"(?i)*", 4, "nothing to repeat"),
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
            (r"[a[b]", 0, "never closed"),
            (r"ab\", 2, "lone backslash"),
            (r"[\", 1, "lone backslash"),
            (r"\c", 0, "control character"),
            (r"\x{}", 0, "hex digits"),
            (r"\x{110000}", 0, "above U+10FFFF"),
            (r"\p{Foo}", 0, "unsupported property"),
            (r"x\p{L", 1, "unterminated"),
            (r"a\uD800", 1, "lone surrogate"),
            (r"\uDC00\uD800", 0, "lone surrogate"),
            (r"[\uD800-\uDBFF][\uDC00-\uDFFF]", 0, "only lone surrogates"),
            (r"\p{Cs}", 0, "only lone surrogates"),
            (r"(?<1a>x)", 0, "group name"),
            (r"(?<>x)", 0, "group name"),
            (r"(?<a", 0, "group name"),
            (r"\u{110000}", 0, "above U+10FFFF"),
            // Offsets count in the pattern as written, before quoting is undone.
            (r"a\Q.\E)", 6, "unmatched"),
            (r"\Qa\E**", 6, "nothing to repeat"),
            (r"[\Q\E]", 0, "never closed"),
        ];
        for &(pattern, offset, needle) in cases {
            let e = err(pattern);
            assert_eq!(e.offset, offset, "{pattern:?}: {e}");
            assert!(e.message.contains(needle), "{pattern:?}: {e}");
            assert!(e.to_string().starts_with(&format!("at byte {offset}: ")), "{e}");
        }
        let deep = format!("{}a{}", "(".repeat(MAX_NESTING + 1), ")".repeat(MAX_NESTING + 1));
        assert_eq!(err(&deep).offset, MAX_NESTING);
        let deep_class = format!("{}a{}", "[".repeat(MAX_NESTING + 2), "]".repeat(MAX_NESTING + 2));
        assert!(err(&deep_class).message.contains("nested"));
        let ok = format!("{}a{}", "(?:".repeat(MAX_NESTING), ")+".repeat(MAX_NESTING));
        let t = tr(&ok);
        compile_all(&ok, &t);
    }

    #[test]
    fn backslash_digits_follow_java() {
        // Java: `\1`..`\9` are always backreferences; one to a group that does not exist never matches.
        assert_eq!(tr(r"\1").regex, NEVER);
        assert_eq!(tr(r"(a)\1").regex, r"(a)\1");
        assert_eq!(tr(r"(a)\2").regex, format!("(a){NEVER}"));
        // More digits join while such a group exists; named groups count.
        assert_eq!(tr(r"(?<n>a)\10").regex, r"(a)(?:\1)0");
        assert_eq!(tr(r"(?<n>a)\k<n>").regex, r"(a)\1");
        // In a class, digits keep ECMA's octal reading (Java rejects them there).
        assert_eq!(tr(r"[\101]").regex, "[A]");
        // Without a named group, `\k` alone keeps ECMA's identity reading.
        assert_eq!(tr(r"\k").regex, "k");
    }

    /// Patterns of the real models that cannot be enforced, each with why. Empty today: every
    /// pattern of the models in `SMITHY_MODELS_DIR` translates.
    const UNENFORCEABLE: &[(&str, &str)] = &[];

    /// Every `@pattern` of a model's JSON AST: on shapes, members, list members and map keys/values.
    fn model_patterns(model: &serde_json::Value) -> std::collections::BTreeSet<String> {
        let mut found = std::collections::BTreeSet::new();
        let mut add = |traits: Option<&serde_json::Value>| {
            if let Some(p) = traits.and_then(|t| t.get("smithy.api#pattern")).and_then(|p| p.as_str()) {
                found.insert(p.to_string());
            }
        };
        for shape in model["shapes"].as_object().into_iter().flat_map(|s| s.values()) {
            add(shape.get("traits"));
            for member in shape.get("members").and_then(|m| m.as_object()).into_iter().flat_map(|m| m.values()) {
                add(member.get("traits"));
            }
            for key in ["member", "key", "value"] {
                add(shape.get(key).and_then(|m| m.get("traits")));
            }
        }
        found
    }

    /// Goes over every pattern of every model in `SMITHY_MODELS_DIR`: each translates and compiles with
    /// its engine (and every more capable one), or is listed in [`UNENFORCEABLE`] with its reason.
    #[test]
    fn every_pattern_of_the_real_models_translates_and_compiles() {
        let Some(dir) = std::env::var_os("SMITHY_MODELS_DIR") else {
            eprintln!("SKIPPED: SMITHY_MODELS_DIR is not set, so the real models' patterns were not checked");
            return;
        };
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", std::path::Path::new(&dir).display()))
            .map(|entry| entry.expect("directory entry").path())
            .filter(|path| path.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        assert!(!files.is_empty(), "no models in {}", std::path::Path::new(&dir).display());
        let mut unenforced_seen = std::collections::BTreeSet::new();
        for file in &files {
            let text = std::fs::read_to_string(file).expect("read the model");
            let model: serde_json::Value = serde_json::from_str(&text).expect("a JSON model");
            let mut per_engine = [0usize; 3];
            for pattern in model_patterns(&model) {
                match translate(&pattern) {
                    Ok(t) => {
                        compile_all(&pattern, &t);
                        per_engine[t.engine as usize] += 1;
                    }
                    Err(e) => {
                        assert!(
                            UNENFORCEABLE.iter().any(|(p, _)| *p == pattern),
                            "{}: pattern {pattern:?} cannot be translated ({e}) and is not listed as unenforceable",
                            file.display()
                        );
                        unenforced_seen.insert(pattern);
                    }
                }
            }
            let [lite, full, fancy] = per_engine;
            eprintln!(
                "{}: regex-lite {lite}, regex {full}, fancy-regex {fancy}",
                file.file_name().unwrap_or_default().to_string_lossy()
            );
        }
        for (pattern, why) in UNENFORCEABLE {
            assert!(translate(pattern).is_err(), "{pattern:?} ({why}) translates now: take it off the list");
        }
    }

    /// Compiles a translation with every engine that may run it. Only the engines' size limits may
    /// reject it: anything else would be a syntax error we produced.
    fn assert_compiles(input: &str, t: &Translated) {
        assert_needs_no_perl_tables(input, &t.regex);
        if t.engine == Engine::RegexLite {
            if let Err(e) = regex_lite::Regex::new(&t.regex) {
                assert!(e.to_string().contains("size limit"), "{input:?} -> {:?}: regex-lite: {e}", t.regex);
            }
        }
        if t.engine <= Engine::Regex {
            if let Err(e) = regex::Regex::new(&t.regex) {
                assert!(matches!(e, regex::Error::CompiledTooBig(_)), "{input:?} -> {:?}: regex: {e}", t.regex);
            }
        }
        if let Err(e) = fancy_regex::Regex::new(&t.regex) {
            let text = e.to_string();
            assert!(text.contains("size") || text.contains("too big"), "{input:?} -> {:?}: fancy-regex: {e}", t.regex);
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
            "\\",
            "[",
            "]",
            "^",
            "(",
            ")",
            "(?:",
            "(?<n>",
            "(?=",
            "{",
            "}",
            "{2}",
            "{1,3}",
            ",",
            "?",
            "*",
            "+",
            "|",
            "$",
            "-",
            ".",
            "a",
            "Z",
            "0",
            "9",
            "_",
            " ",
            "é",
            "😀",
            "\\d",
            "\\W",
            "\\s",
            "\\b",
            "\\u",
            "\\uD83D",
            "\\uDE00",
            "\\x4",
            "\\x41",
            "\\c",
            "\\p{",
            "L",
            "Print",
            "\\P{N}",
            "\\1",
            "\\k<n>",
            "\\0",
            "\\-",
            "<",
            ">",
            ":",
            "=",
            "!",
            "(?=",
            "(?!",
            "(?<=",
            "(?<!",
            "(?i)",
            "(?s)",
            "(?i:",
            "(?>",
            "&&",
            "\\A",
            "\\z",
            "\\Z",
            "\\Q",
            "\\E",
            "\\R",
            "\\h",
            "*+",
            "\\p{LD}",
            "\\pL",
            "\\x{1F600}",
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
