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

/// Spaces per indentation level, as rustfmt and prettyplease use.
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

/// Indents `code` by bracket depth and puts a blank line between consecutive items.
///
/// Each line is indented one level deeper than the line that opened its enclosing bracket (however
/// many brackets that line opened, so `x.map(|v| {` indents its body once); a line that starts by
/// closing goes back to its opener's level; a method-chain or boolean continuation line (`.call()`,
/// `&& b`) goes one level deeper. A blank line goes after a closing `}` (or the last `pub use`) when
/// the next line at the same level starts an item, which is how hand-written Rust reads.
pub fn layout(code: &str) -> String {
    let mut out = String::with_capacity(code.len() + code.len() / 2);
    let mut level: usize = 0;
    let mut previous: Option<(&str, usize)> = None;
    for raw in code.lines() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let (net, starts_closed) = bracket_balance(line);
        let indent = if starts_closed {
            level = level.saturating_sub(1);
            level
        } else if is_continuation(line) {
            level + 1
        } else {
            level
        };
        if let Some((prev, prev_indent)) = previous {
            let prev_is_use = prev.starts_with("pub use ") && prev.ends_with(';');
            let is_use = line.starts_with("pub use ");
            let closes_item = prev == "}" || prev == "};" || prev_is_use;
            let starts_item = !is_use && ITEM_STARTS.iter().any(|start| line.starts_with(start));
            if indent == prev_indent && starts_item && closes_item {
                out.push('\n');
            }
        }
        for _ in 0..indent * INDENT {
            out.push(' ');
        }
        out.push_str(line);
        out.push('\n');
        if starts_closed {
            // The closer is balanced by the opener's line; what is left opens at most one level.
            if net >= 0 {
                level += 1;
            }
        } else if net > 0 {
            level += 1;
        } else if net < 0 {
            level = level.saturating_sub(1);
        }
        previous = Some((line, indent));
    }
    out
}

/// Whether a line continues the expression of the line before (and so sits one level deeper).
fn is_continuation(line: &str) -> bool {
    (line.starts_with('.') && !line.starts_with("..")) || line.starts_with("&& ") || line.starts_with("|| ")
}

/// Opening minus closing brackets on a line, outside strings, character literals and comments; and
/// whether the line starts with a closing bracket.
fn bracket_balance(line: &str) -> (i32, bool) {
    let bytes = line.as_bytes();
    let starts_closed = matches!(bytes.first(), Some(b'}' | b')' | b']'));
    if line.starts_with("//") {
        return (0, false);
    }
    let mut net = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'(' | b'[' => net += 1,
            b'}' | b')' | b']' => net -= 1,
            b'/' if bytes.get(i + 1) == Some(&b'/') => break,
            b'"' => i = skip_string(bytes, i + 1, 0),
            b'r' if is_raw_string_start(bytes, i) => {
                let hashes = bytes[i + 1..].iter().take_while(|&&b| b == b'#').count();
                i = skip_string(bytes, i + 2 + hashes, hashes);
            }
            b'\'' => i = skip_char_literal(bytes, i),
            _ => {}
        }
        i += 1;
    }
    (net, starts_closed)
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
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if hashes == 0 => i += 1,
            b'"' if bytes[i + 1..].iter().take(hashes).filter(|&&b| b == b'#').count() == hashes => {
                return i + hashes;
            }
            _ => {}
        }
        i += 1;
    }
    i
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
    let mut chars = value.chars();
    while let Some(ch) = chars.next() {
        match ch {
            // `\0` followed by a digit would read as an octal escape to a human (clippy flags it).
            '\0' if chars.as_str().starts_with(|next| ('0'..='7').contains(&next)) => lit.push_str("\\x00"),
            '\0' => lit.push_str("\\0"),
            // `escape_debug` writes `\'`, which a string does not need.
            '\'' => lit.push('\''),
            _ => lit.extend(ch.escape_debug()),
        }
    }
    lit.push('"');
    lit
}

/// `///` lines for model documentation, converted from HTML; `fallback` (Markdown) when there is none.
pub fn doc_comment(out: &mut String, docs: Option<&str>, fallback: &str) {
    match docs.map(crate::docs::html_to_markdown).filter(|text| !text.trim().is_empty()) {
        Some(text) => doc_lines(out, &text),
        None => doc_lines(out, fallback),
    }
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
    fn str_lit_escapes_like_proc_macro2() {
        for value in ["plain", "quote \" and \\ backslash", "it's", "tab\tnew\nline", "\0", "\x001", "é\u{301}", "{}"]
        {
            assert_eq!(str_lit(value), proc_macro2::Literal::string(value).to_string(), "{value:?}");
        }
    }

    #[test]
    fn doc_lines_mark_empty_lines_without_trailing_space() {
        let mut out = String::new();
        doc_lines(&mut out, "First.\n\nSecond.");
        assert_eq!(out, "/// First.\n///\n/// Second.\n");
    }
}
