//! Writing Rust source as text: the `code!` macro emitters use, the layout pass that indents and spaces
//! the result, and the small pieces of syntax (literals, types, doc comments) every emitter needs.
//!
//! Emitters write lines without caring about indentation or blank lines; [`layout`] derives both from
//! the brackets, so fragments compose freely. Going straight to text (instead of building token streams
//! with `quote`, parsing them with `syn` and printing them with `prettyplease`) is what makes a
//! whole-service run take milliseconds: the round trip allocated per token and dominated the run time.

use crate::ir::{Field, Presence, Service, Ty, TyKind};
use crate::model::Deprecated;

/// Appends formatted code and a newline to a `String`.
///
/// A template may span several lines and be indented any way that reads well in the emitter: [`layout`]
/// throws away leading whitespace and blank lines and works both out again.
macro_rules! code {
    ($out:expr, $($fmt:tt)*) => {{
        use ::std::fmt::Write as _;
        ::std::writeln!($out, $($fmt)*).expect("writing to a String cannot fail");
    }};
}
pub(crate) use code;

/// Spaces per indentation level, as rustfmt uses.
const INDENT: usize = 4;

/// How lines that begin an item (or its docs and attributes) start.
const ITEM_STARTS: &[&str] = &[
    "///",
    "#[",
    "pub ",
    "pub(crate) ",
    "impl",
    "fn ",
    "async fn ",
    "mod ",
    "static ",
    "const ",
    "enum ",
    "struct ",
    "type ",
    "use ",
    "trait ",
];

/// The width lines are broken at, as rustfmt's default.
const MAX_WIDTH: usize = 100;

/// Indents `code` by bracket depth, breaks long lines, and puts a blank line between consecutive items.
///
/// Each line is indented one level deeper than the line that opened its enclosing bracket (however
/// many brackets that line opened, so `x.map(|v| {` indents its body once); a line that starts by
/// closing goes back to its opener's level; a method-chain or boolean continuation line (`.call()`,
/// `&& b`) goes one level deeper. A line wider than [`MAX_WIDTH`] with a comma-separated list in
/// brackets gets one element per line, as rustfmt would. A blank line goes after a closing `}` (or the
/// last `pub use`) when the next line at the same level starts an item, which is how hand-written Rust
/// reads.
pub fn layout(code: &str) -> String {
    let mut layout = Layout {
        out: String::with_capacity(code.len() + code.len() / 2),
        open: Vec::new(),
        previous: None,
        just_opened: false,
    };
    for line in code.lines() {
        layout.place(line.trim_ascii());
    }
    layout.out
}

struct Layout {
    out: String,
    /// The indentation level of each line that opened a bracket not yet closed (at most one per line).
    open: Vec<usize>,
    /// The last line placed: whether it closed an item, and its indentation level.
    previous: Option<(bool, usize)>,
    /// Whether the last line placed ended by opening a bracket, so a closer right after it empties it.
    just_opened: bool,
}

impl Layout {
    fn place(&mut self, line: &str) {
        if line.is_empty() {
            return;
        }
        let (net, starts_closed) = bracket_balance(line);
        let inner = self.open.last().map_or(0, |&opener| opener + 1);
        let indent = if starts_closed {
            // A closing line sits at its opener's level.
            self.open.last().copied().unwrap_or(0)
        } else if is_continuation(line) {
            inner + 1
        } else {
            inner
        };
        // Only a line with a comma, or a function signature, can be broken.
        if indent * INDENT + line.len() > MAX_WIDTH && (line.contains(',') || line.contains("fn ")) {
            if let Some(pieces) = split_match_arm(line).or_else(|| split_list(line)) {
                for piece in pieces {
                    self.place(&piece);
                }
                return;
            }
        }
        if starts_closed
            && self.just_opened
            && self.out.as_bytes().get(self.out.len().wrapping_sub(2)) == Some(&opener_of(line))
        {
            // An empty body closes on its opener's line: `struct Empty {}`, `f()`.
            self.out.pop();
            self.out.push_str(line);
            self.out.push('\n');
            let merged = self.out[..self.out.len() - 1].rsplit('\n').next().unwrap_or_default().trim_start();
            self.close_line(net, true, ends_item(merged), indent);
            return;
        }
        if self.previous == Some((true, indent)) && !line.starts_with("pub use ") && starts_item(line) {
            self.out.push('\n');
        }
        push_indent(&mut self.out, indent);
        self.out.push_str(line);
        self.out.push('\n');
        self.close_line(net, starts_closed, ends_item(line), indent);
    }

    /// Updates the open brackets and the previous-line facts after a line is written.
    fn close_line(&mut self, net: i32, starts_closed: bool, closed_item: bool, indent: usize) {
        self.just_opened = false;
        if starts_closed {
            self.open.pop();
            // The closer is balanced by the opener's line; what is left opens at most one level.
            if net >= 0 {
                self.open.push(indent);
                self.just_opened = true;
            }
        } else if net > 0 {
            self.open.push(indent);
            self.just_opened = true;
        } else if net < 0 {
            self.open.pop();
        }
        self.previous = Some((closed_item, indent));
    }
}

fn push_indent(out: &mut String, level: usize) {
    const SPACES: &str = "                                                                ";
    let mut width = level * INDENT;
    while width > 0 {
        let step = width.min(SPACES.len());
        out.push_str(&SPACES[..step]);
        width -= step;
    }
}

/// Whether a line begins an item (or its docs or attributes).
fn starts_item(line: &str) -> bool {
    ITEM_STARTS.iter().any(|start| line.starts_with(start))
}

/// Whether a line ends an item, so a following item gets a blank line before it.
fn ends_item(line: &str) -> bool {
    line == "}"
        || line == "};"
        || (line.starts_with("pub use ") && line.ends_with(';'))
        || (line.ends_with(" {}") && starts_item(line))
}

/// The opening bracket a line's first (closing) character matches.
fn opener_of(line: &str) -> u8 {
    match line.as_bytes().first() {
        Some(b'}') => b'{',
        Some(b')') => b'(',
        Some(b']') => b'[',
        _ => 0,
    }
}

/// Whether a line continues the expression of the line before (and so sits one level deeper).
fn is_continuation(line: &str) -> bool {
    (line.starts_with('.') && !line.starts_with("..")) || line.starts_with("&& ") || line.starts_with("|| ")
}

/// Calls `visit` with the index and byte of every character of `line` that is code: not inside a
/// string or character literal, and before any `//` comment.
fn scan_code(line: &str, mut visit: impl FnMut(usize, u8)) {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Layout runs over every generated line; most bytes are names and spaces, skipped here at once.
        if !SIGNIFICANT[usize::from(bytes[i])] {
            i += 1;
            continue;
        }
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => return,
            b'"' => i = skip_string(bytes, i + 1, 0),
            b'r' if matches!(bytes.get(i + 1), Some(b'"' | b'#')) && is_raw_string_start(bytes, i) => {
                let hashes = bytes[i + 1..].iter().take_while(|&&b| b == b'#').count();
                i = skip_string(bytes, i + 2 + hashes, hashes);
            }
            b'\'' => i = skip_char_literal(bytes, i),
            byte => visit(i, byte),
        }
        i += 1;
    }
}

/// Bytes that [`scan_code`] looks at: those that start a literal or a comment, and those its callers
/// want to see (brackets, commas, closure bars, angle brackets and the `=` of a match arm's `=>`).
const SIGNIFICANT: [bool; 256] = {
    let mut table = [false; 256];
    let bytes = b"/\"'r{}()[],|<>=";
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
};

/// Opening minus closing brackets on a line, outside strings, character literals and comments; and
/// whether the line starts with a closing bracket.
fn bracket_balance(line: &str) -> (i32, bool) {
    let starts_closed = matches!(line.as_bytes().first(), Some(b'}' | b')' | b']'));
    let mut net = 0;
    scan_code(line, |_, byte| match byte {
        b'{' | b'(' | b'[' => net += 1,
        b'}' | b')' | b']' => net -= 1,
        _ => {}
    });
    (net, starts_closed)
}

/// Turns a long match arm `pattern => expression,` into a block, so the expression gets a line of its own.
fn split_match_arm(line: &str) -> Option<Vec<String>> {
    let expression_end = line.strip_suffix(',')?.len();
    if matches!(line.as_bytes()[0], b'}' | b')' | b']') || line.starts_with("//") {
        return None;
    }
    let bytes = line.as_bytes();
    let mut depth = 0usize;
    let mut arrow = None;
    scan_code(line, |i, byte| match byte {
        b'{' | b'(' | b'[' => depth += 1,
        b'}' | b')' | b']' => depth = depth.saturating_sub(1),
        b'=' if depth == 0 && arrow.is_none() && bytes.get(i + 1) == Some(&b'>') => arrow = Some(i),
        _ => {}
    });
    let arrow = arrow?;
    let expression = line[arrow + 2..expression_end].trim();
    if expression.is_empty() || expression.starts_with('{') {
        return None;
    }
    Some(vec![format!("{} => {{", line[..arrow].trim_end()), expression.to_string(), "}".to_string()])
}

/// Breaks a line at its first bracketed, comma-separated list of two or more elements: the text up to
/// the opening bracket, one element per line (each with a trailing comma), then the closing bracket and
/// the rest. `None` when the line has no such list, or one whose commas cannot be told apart safely
/// (closure parameters), so the line stays as it is.
fn split_list(line: &str) -> Option<Vec<String>> {
    if line.starts_with("//") || line.starts_with("#[doc") {
        return None;
    }
    let bytes = line.as_bytes();
    // (position, byte) of every bracket, comma, `|` and angle bracket that is code.
    let mut marks = Vec::new();
    scan_code(line, |i, byte| {
        if matches!(byte, b'{' | b'(' | b'[' | b'}' | b')' | b']' | b',' | b'|' | b'<' | b'>') {
            marks.push((i, byte));
        }
    });
    for (start, &(open, open_byte)) in marks.iter().enumerate() {
        if !matches!(open_byte, b'{' | b'(' | b'[') {
            continue;
        }
        let mut depth = 0usize;
        let mut angles = 0usize;
        let mut commas = Vec::new();
        let mut splittable = true;
        let mut close = None;
        for &(i, byte) in &marks[start + 1..] {
            match byte {
                b'{' | b'(' | b'[' => depth += 1,
                b'}' | b')' | b']' if depth == 0 => {
                    close = Some(i);
                    break;
                }
                b'}' | b')' | b']' => depth -= 1,
                // Generic arguments (`Map<K, V>`) hold commas too; a `<` right after a name or `::`
                // opens them, where a comparison has a space before it.
                b'<' if depth == 0 && i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b':') => {
                    angles += 1
                }
                b'>' if depth == 0 && angles > 0 && !matches!(bytes[i - 1], b'-' | b'=') => angles -= 1,
                b',' if depth == 0 && angles == 0 => commas.push(i),
                b'|' if depth == 0 => splittable = false,
                _ => {}
            }
        }
        let Some(close) = close else { continue };
        // A function's parameters go one per line even when there is only one, as rustfmt does when
        // the signature is too long; any other single element gains nothing from a line of its own.
        let is_fn_params = open_byte == b'(' && is_fn_name_before(&line[..open]);
        if !splittable || (commas.is_empty() && !is_fn_params) {
            continue;
        }
        let mut elements = Vec::with_capacity(commas.len() + 1);
        let mut from = open + 1;
        for &comma in commas.iter().chain(std::iter::once(&close)) {
            let element = line[from..comma].trim();
            if !element.is_empty() {
                elements.push(element);
            }
            from = comma + 1;
        }
        if elements.len() < 2 && !(is_fn_params && elements.len() == 1) {
            continue;
        }
        // A macro decides for itself whether it takes a trailing comma.
        let is_macro = line[..open].ends_with('!');
        let last = elements.len() - 1;
        let mut pieces = Vec::with_capacity(elements.len() + 2);
        pieces.push(line[..=open].to_string());
        for (index, element) in elements.into_iter().enumerate() {
            // `..base` in a struct literal or `..` in a pattern must stay last and takes no comma.
            if element.starts_with("..") || (is_macro && index == last) {
                pieces.push(element.to_string());
            } else {
                pieces.push(format!("{element},"));
            }
        }
        pieces.push(line[close..].to_string());
        return Some(pieces);
    }
    None
}

/// Whether `prefix` ends with `fn name` (optionally with generic parameters), so the bracket after it
/// holds a function's parameters.
fn is_fn_name_before(prefix: &str) -> bool {
    let prefix = match prefix.strip_suffix('>') {
        Some(generic) => generic.rsplit_once('<').map_or(generic, |(name, _)| name),
        None => prefix,
    };
    let name_start = prefix.trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '#');
    name_start.len() < prefix.len()
        && (name_start.ends_with("fn ") && (name_start.len() == 3 || name_start.ends_with(" fn ")))
}

/// Whether `r` at `i` starts a raw string (`r"` or `r#"`), not an identifier ending or starting in `r`.
fn is_raw_string_start(bytes: &[u8], i: usize) -> bool {
    let after_ident = i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
    let rest = &bytes[i + 1..];
    let hashes = rest.iter().take_while(|&&b| b == b'#').count();
    !after_ident && rest.get(hashes) == Some(&b'"') && (hashes > 0 || rest.first() == Some(&b'"'))
}

/// The index of the closing quote of a string whose contents start at `i` (`hashes` > 0 for raw strings).
fn skip_string(bytes: &[u8], mut i: usize, hashes: usize) -> usize {
    // Help texts make for long literals; jumping between quotes and backslashes keeps them cheap.
    while let Some(offset) = memchr::memchr2(b'"', b'\\', bytes.get(i..).unwrap_or_default()) {
        i += offset;
        match bytes[i] {
            b'\\' if hashes == 0 => i += 1,
            b'"' if bytes[i + 1..].iter().take(hashes).filter(|&&b| b == b'#').count() == hashes => {
                return i + hashes;
            }
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// Skips a character literal starting at the quote `i`; a lifetime (`'a`, `'static`) is left alone.
fn skip_char_literal(bytes: &[u8], i: usize) -> usize {
    match bytes.get(i + 1) {
        Some(b'\\') => {
            let mut j = i + 2;
            while j < bytes.len() && bytes[j] != b'\'' {
                j += 1;
            }
            j
        }
        Some(_) => {
            // A character may be several UTF-8 bytes; a literal closes within four.
            match (2..=5).find(|&k| bytes.get(i + k) == Some(&b'\'')) {
                Some(k) if std::str::from_utf8(&bytes[i + 1..i + k]).is_ok_and(|s| s.chars().count() == 1) => i + k,
                _ => i,
            }
        }
        None => i,
    }
}

/// A Rust string literal for `value`, escaped the way `proc_macro2` does it.
pub fn str_lit(value: &str) -> String {
    let mut lit = String::with_capacity(value.len() + 2);
    lit.push('"');
    // Most text needs no escapes; copying it whole keeps long help texts cheap.
    if value.bytes().all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\') {
        lit.push_str(value);
        lit.push('"');
        return lit;
    }
    let mut chars = value.chars();
    while let Some(ch) = chars.next() {
        match ch {
            // `\0` followed by a digit would read as an octal escape to a human (clippy flags it).
            '\0' if chars.as_str().starts_with(|next| ('0'..='7').contains(&next)) => lit.push_str("\\x00"),
            '\0' => lit.push_str("\\0"),
            // `escape_debug` writes `\'`, which a string does not need.
            '\'' => lit.push('\''),
            ' '..='~' if ch != '"' && ch != '\\' => lit.push(ch),
            _ => lit.extend(ch.escape_debug()),
        }
    }
    lit.push('"');
    lit
}

/// An unsuffixed float literal: `1.5`, and `2.0` rather than `2` (which would read as an integer).
pub fn float_lit(value: f64) -> String {
    let mut literal = value.to_string();
    if !literal.contains('.') {
        literal.push_str(".0");
    }
    literal
}

/// `///` lines for model documentation (Markdown in the IR); `fallback` when there is none.
pub fn doc_comment(out: &mut String, docs: Option<&str>, fallback: &str) {
    doc_lines(out, docs.unwrap_or(fallback));
}

/// `///` lines for text that is already Markdown.
pub fn doc_lines(out: &mut String, text: &str) {
    comment_lines(out, "///", text);
}

/// `///` lines for text whose lines already start with the space that follows `///` (or are empty).
pub fn doc_block(out: &mut String, text: &str) {
    for line in text.lines() {
        out.push_str("///");
        out.push_str(line);
        out.push('\n');
    }
}

/// `//!` lines (module and crate documentation) for Markdown text.
pub fn inner_doc_lines(out: &mut String, text: &str) {
    comment_lines(out, "//!", text);
}

fn comment_lines(out: &mut String, marker: &str, text: &str) {
    for line in text.lines() {
        out.push_str(marker);
        if !line.is_empty() {
            out.push(' ');
            out.push_str(line);
        }
        out.push('\n');
    }
}

/// `#[deprecated(note = "...")]` and a newline when the model deprecates the item; nothing otherwise.
pub fn deprecated_attr(deprecated: Option<&Deprecated>) -> String {
    match deprecated {
        None => String::new(),
        Some(d) => {
            let note = match (&d.message, &d.since) {
                (Some(m), Some(s)) => format!("{m} (since {s})"),
                (Some(m), None) => m.clone(),
                (None, Some(s)) => format!("deprecated since {s}"),
                (None, None) => "deprecated by the service model".to_string(),
            };
            format!("#[deprecated(note = {})]\n", str_lit(&note))
        }
    }
}

/// `#![allow(deprecated)]` for a generated module when the model deprecates something: the crate's own
/// code still has to build and serialize those items, while its users keep getting the warnings.
pub fn allow_deprecated(service: &Service) -> &'static str {
    if service.uses_deprecated() {
        "#![allow(deprecated)]\n"
    } else {
        ""
    }
}

/// The Rust type of a value (without `Option`/`Box` for presence), with fully qualified paths so a
/// model type named `Option` or `String` cannot shadow the standard one.
pub fn rust_type(ty: &Ty) -> String {
    match &ty.kind {
        TyKind::String => "::std::string::String".to_string(),
        TyKind::Bool => "bool".to_string(),
        TyKind::Byte => "i8".to_string(),
        TyKind::Short => "i16".to_string(),
        TyKind::Integer => "i32".to_string(),
        TyKind::Long => "i64".to_string(),
        TyKind::Float => "f32".to_string(),
        TyKind::Double => "f64".to_string(),
        TyKind::BigInteger => "crate::BigInteger".to_string(),
        TyKind::BigDecimal => "crate::BigDecimal".to_string(),
        TyKind::Timestamp(_) => "crate::DateTime".to_string(),
        TyKind::Blob => "crate::Blob".to_string(),
        TyKind::Document => "crate::Document".to_string(),
        TyKind::Unit => "()".to_string(),
        TyKind::Enum(name) | TyKind::IntEnum(name) | TyKind::Structure(name) | TyKind::Union(name) => {
            format!("crate::types::{name}")
        }
        TyKind::List { member, sparse: false } => format!("::std::vec::Vec<{}>", rust_type(member)),
        TyKind::List { member, sparse: true } => {
            format!("::std::vec::Vec<::std::option::Option<{}>>", rust_type(member))
        }
        TyKind::Map { key, value, sparse: false } => {
            format!("::std::collections::BTreeMap<{}, {}>", rust_type(key), rust_type(value))
        }
        TyKind::Map { key, value, sparse: true } => {
            format!("::std::collections::BTreeMap<{}, ::std::option::Option<{}>>", rust_type(key), rust_type(value))
        }
    }
}

/// The stored type of a field: boxed if recursive, in an `Option` unless present by construction.
pub fn field_type(field: &Field) -> String {
    let ty = boxed_type(field);
    match field.presence {
        Presence::Optional => format!("::std::option::Option<{ty}>"),
        Presence::Required | Presence::Default(_) => ty,
    }
}

/// The field's value type, in a `Box` when the field breaks a recursive cycle.
pub fn boxed_type(field: &Field) -> String {
    let ty = rust_type(&field.ty);
    if field.boxed {
        format!("::std::boxed::Box<{ty}>")
    } else {
        ty
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_indents_by_bracket_and_spaces_items() {
        let code = "pub struct A {\nx: i32,\n}\nimpl A {\nfn f(&self) -> i32 {\nself.x.max(\n1,\n)\n}\n}\n";
        assert_eq!(
            layout(code),
            "pub struct A {\n    x: i32,\n}\n\nimpl A {\n    fn f(&self) -> i32 {\n        self.x.max(\n            1,\n        )\n    }\n}\n"
        );
    }

    #[test]
    fn layout_indents_a_closure_body_once_and_continuations_deeper() {
        let code = "x.map(|v| {\nv\n})\n.unwrap_or(0)\n} else {\n";
        assert_eq!(layout(code), "x.map(|v| {\n    v\n})\n    .unwrap_or(0)\n} else {\n");
        assert_eq!(
            layout("match x {\nA => {\n1\n}\n_ => 2,\n}\n"),
            "match x {\n    A => {\n        1\n    }\n    _ => 2,\n}\n"
        );
    }

    #[test]
    fn layout_ignores_brackets_in_strings_chars_and_comments() {
        let code = "f(\"{(\", '{', '\\'', r#\"}\"#); 'a: loop {} // }}\n/// docs {\ng(\n";
        assert_eq!(layout(code), "f(\"{(\", '{', '\\'', r#\"}\"#); 'a: loop {} // }}\n/// docs {\ng(\n");
        assert_eq!(layout("m(\"\\\"{\")\nx\n"), "m(\"\\\"{\")\nx\n");
        assert_eq!(
            layout("f(|c: char| c == '}', &'static str) {\nx\n}\n"),
            "f(|c: char| c == '}', &'static str) {\n    x\n}\n"
        );
        assert_eq!(layout("['é', '\\u{301}'] {\nx\n}\n"), "['é', '\\u{301}'] {\n    x\n}\n");
    }

    #[test]
    fn layout_drops_template_blank_lines_and_leading_whitespace() {
        assert_eq!(layout("\n   fn a() {\n\n      b();\n  }\n\n  fn c() {}\n"), "fn a() {\n    b();\n}\n\nfn c() {}\n");
        assert_eq!(
            layout("pub use a::B;\npub use c::D;\npub mod e;\n"),
            "pub use a::B;\npub use c::D;\n\npub mod e;\n"
        );
        // Field docs after a field are not a new item after a closing brace.
        assert_eq!(layout("struct S {\na: A,\n/// b\nb: B,\n}\n"), "struct S {\n    a: A,\n    /// b\n    b: B,\n}\n");
    }

    #[test]
    fn layout_breaks_a_long_line_at_its_first_list() {
        let long = format!(
            "pub fn f(first: ::std::collections::BTreeMap<K, V>, second: {}) -> Self {{\nx\n}}\n",
            "T".repeat(60)
        );
        assert_eq!(
            layout(&long),
            format!(
                "pub fn f(\n    first: ::std::collections::BTreeMap<K, V>,\n    second: {},\n) -> Self {{\n    x\n}}\n",
                "T".repeat(60)
            )
        );
        // A struct literal's base stays last without a comma; short lines are left alone.
        let literal = format!("let x = Foo {{ a: {}, b: 2, ..Default::default() }};\n", "1".repeat(80));
        assert_eq!(
            layout(&literal),
            format!("let x = Foo {{\n    a: {},\n    b: 2,\n    ..Default::default()\n}};\n", "1".repeat(80))
        );
        assert_eq!(layout("f(a, b)\n"), "f(a, b)\n");
        let call = format!("write!(f, \"{{}}\", {})\n", "x".repeat(100));
        assert_eq!(layout(&call), format!("write!(\n    f,\n    \"{{}}\",\n    {}\n)\n", "x".repeat(100)));
    }

    #[test]
    fn layout_indents_inside_a_continuation_line_from_that_line() {
        let code = "let r = self\n.invoke(\na,\nb,\n)\n.await?;\nnext();\n";
        assert_eq!(layout(code), "let r = self\n    .invoke(\n        a,\n        b,\n    )\n    .await?;\nnext();\n");
    }

    #[test]
    fn layout_closes_an_empty_body_on_its_opening_line() {
        let code = "pub struct Empty {\n}\nimpl Empty {\nfn f() {\n}\n}\nimpl ::std::error::Error for Empty {}\n/// Next.\nfn g() {\nh(\n)\n} else {\n}\n";
        assert_eq!(
            layout(code),
            "pub struct Empty {}\n\nimpl Empty {\n    fn f() {}\n}\n\nimpl ::std::error::Error for Empty {}\n\n/// Next.\nfn g() {\n    h()\n} else {}\n"
        );
    }

    #[test]
    fn layout_puts_a_long_match_arm_in_a_block() {
        let arm = format!("match x {{\nSome(\"a\") => Foo::{}(value),\n_ => 1,\n}}\n", "b".repeat(80));
        assert_eq!(
            layout(&arm),
            format!(
                "match x {{\n    Some(\"a\") => {{\n        Foo::{}(value)\n    }}\n    _ => 1,\n}}\n",
                "b".repeat(80)
            )
        );
    }

    #[test]
    fn layout_breaks_a_long_signature_with_one_parameter() {
        let line =
            format!("pub(crate) fn body(body: &[u8]) -> ::std::result::Result<{}, Error> {{\nx\n}}\n", "T".repeat(70));
        assert_eq!(
            layout(&line),
            format!(
                "pub(crate) fn body(\n    body: &[u8],\n) -> ::std::result::Result<{}, Error> {{\n    x\n}}\n",
                "T".repeat(70)
            )
        );
        assert!(is_fn_name_before("fn r#type"));
        assert!(is_fn_name_before("pub async fn call<T>"));
        assert!(!is_fn_name_before("let x = fnord"));
        assert!(!is_fn_name_before("Foo::new"));
    }

    #[test]
    fn layout_leaves_long_lines_it_cannot_split_safely() {
        let closure = format!("x.map(|a, b| a + b + {})\n", "1".repeat(100));
        assert_eq!(layout(&closure), closure);
        let one_element = format!("f({})\n", "a".repeat(120));
        assert_eq!(layout(&one_element), one_element);
        let docs = format!("/// {}, {}\n", "a".repeat(60), "b".repeat(60));
        assert_eq!(layout(&docs), docs);
        // A comparison is not a generic argument list: its comma still splits.
        let compare = format!("f(a < b, c > d, {})\n", "e".repeat(100));
        assert_eq!(layout(&compare), format!("f(\n    a < b,\n    c > d,\n    {},\n)\n", "e".repeat(100)));
    }

    #[test]
    fn str_lit_escapes_what_a_rust_string_cannot_hold_as_is() {
        let cases = [
            ("plain", r#""plain""#),
            ("quote \" and \\ backslash", r#""quote \" and \\ backslash""#),
            ("it's", r#""it's""#),
            ("tab\tnew\nline", r#""tab\tnew\nline""#),
            ("\0", r#""\0""#),
            // `\0` before a digit would read as an octal escape.
            ("\x001", r#""\x001""#),
            ("é\u{301}", r#""é\u{301}""#),
            ("{}", r#""{}""#),
        ];
        for (value, literal) in cases {
            assert_eq!(str_lit(value), literal, "{value:?}");
        }
    }

    #[test]
    fn doc_lines_mark_empty_lines_without_trailing_space() {
        let mut out = String::new();
        doc_lines(&mut out, "First.\n\nSecond.");
        assert_eq!(out, "/// First.\n///\n/// Second.\n");
    }
}
