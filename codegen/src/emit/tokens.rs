//! The Rust syntax pieces every emitter builds with: identifiers, literals, the Rust types of IR
//! types, and doc and deprecation attributes. An emitter needing another such piece adds it here.
//!
//! Everything is a `proc_macro2` token (never text), so it drops into `quote!` as `#piece`; the file
//! is printed by [`super::format`].

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};

use crate::ir::{Field, Presence, Service, Ty, TyKind};
use crate::model::Deprecated;

/// An identifier from a name the naming module produced (`r#type` becomes a raw identifier).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// `prefix` followed by a name, as one identifier (`ser_` + `failure_details`); a raw name loses its `r#`.
pub fn prefixed(prefix: &str, name: &str) -> Ident {
    format_ident!("{prefix}{}", crate::naming::unraw(name))
}

/// A string literal.
pub fn lit_str(value: &str) -> Literal {
    Literal::string(value)
}

/// An unsuffixed float literal: `1.5`, and `2.0` rather than `2` (which would read as an integer).
pub fn lit_float(value: f64) -> Literal {
    Literal::f64_unsuffixed(value)
}

/// `#[doc = "..."]`, one attribute per line of model documentation (Markdown in the IR), so each
/// prints as a `///` line; `fallback` when there is none.
pub fn doc_attrs(docs: Option<&str>, fallback: &str) -> TokenStream {
    doc_lines(docs.unwrap_or(fallback))
}

/// A structure member's or union variant's doc attributes: its documentation (or `fallback`), then a
/// paragraph for each of its patterns the crate leaves to the service, so users know that check
/// happens only there.
pub fn member_doc_attrs(field: &Field, fallback: &str) -> TokenStream {
    let mut tokens = doc_attrs(field.docs.as_deref(), fallback);
    if let Some(default) = &field.service_default {
        tokens.extend(quote!(#[doc = ""]));
        tokens.extend(doc(&format!("When not set, it is not sent and the service applies its default, `{default}`.")));
    }
    for unchecked in super::common::unchecked_patterns(&field.ty) {
        tokens.extend(quote!(#[doc = ""]));
        tokens.extend(doc(&unchecked.doc_note()));
    }
    tokens
}

/// `#[doc = "..."]` lines for text that is already Markdown.
pub fn doc_lines(text: &str) -> TokenStream {
    let mut tokens = TokenStream::new();
    for line in text.lines() {
        let line = doc_literal(&spaced(line));
        tokens.extend(quote!(#[doc = #line]));
    }
    tokens
}

/// `#[doc = "..."]` lines for text whose lines already start with the space that follows `///` (or are empty).
pub fn doc_block(text: &str) -> TokenStream {
    let mut tokens = TokenStream::new();
    for line in text.lines() {
        let line = doc_literal(line);
        tokens.extend(quote!(#[doc = #line]));
    }
    tokens
}

/// `#![doc = "..."]` lines (module and crate documentation, printed as `//!`) for Markdown text.
pub fn inner_doc_lines(text: &str) -> TokenStream {
    let mut tokens = TokenStream::new();
    for line in text.lines() {
        let line = doc_literal(&spaced(line));
        tokens.extend(quote!(#![doc = #line]));
    }
    tokens
}

/// A one-line doc attribute for text the emitter composes (`A builder for [`Foo`].`).
pub fn doc(text: &str) -> TokenStream {
    let line = doc_literal(&spaced(text));
    quote!(#[doc = #line])
}

/// The string literal of one doc line. The printer shows a one-line doc attribute as a `///` (or
/// `//!`) comment of the literal's value, so the literal's spelling never reaches the output, and a
/// raw literal (`r"..."`, as `rustc` spells doc comments) is the cheap one: escaping the text for a
/// quoted literal, and reading the escapes back twice (when parsing and when printing), cost about a
/// tenth of a large model's generation. Text the printer would show as a `#[doc = ...]` attribute
/// instead (several lines, a carriage return, or a leading `/` or `*`, which would read as another
/// comment) keeps the quoted spelling the output has always had.
pub fn doc_literal(text: &str) -> Literal {
    let printed_as_comment = !text.contains(['\n', '\r']) && !text.starts_with(['/', '*']);
    if !printed_as_comment {
        return Literal::string(text);
    }
    // Enough `#` that no `"` in the text closes the literal early.
    let mut hashes = 0;
    for (at, _) in text.match_indices('"') {
        let run = text[at + 1..].bytes().take_while(|&b| b == b'#').count();
        hashes = hashes.max(run + 1);
    }
    let fence = "#".repeat(hashes);
    format!("r{fence}\"{text}\"{fence}").parse().unwrap_or_else(|_| Literal::string(text))
}

/// A doc line as it follows `///`: one space before the text, nothing on an empty line.
fn spaced(line: &str) -> String {
    if line.is_empty() {
        String::new()
    } else {
        let mut spaced = String::with_capacity(line.len() + 1);
        spaced.push(' ');
        spaced.push_str(line);
        spaced
    }
}

/// `#[deprecated(note = "...")]` when the model deprecates the item; nothing otherwise.
pub fn deprecated_attr(deprecated: Option<&Deprecated>) -> TokenStream {
    match deprecated {
        None => TokenStream::new(),
        Some(d) => {
            let note = match (&d.message, &d.since) {
                (Some(m), Some(s)) => format!("{m} (since {s})"),
                (Some(m), None) => m.clone(),
                (None, Some(s)) => format!("deprecated since {s}"),
                (None, None) => "deprecated by the service model".to_string(),
            };
            quote!(#[deprecated(note = #note)])
        }
    }
}

/// `#![allow(deprecated)]` for a generated module when the model deprecates something: the crate's own
/// code still has to build and serialize those items, while its users keep getting the warnings.
pub fn allow_deprecated(service: &Service) -> TokenStream {
    if service.uses_deprecated() {
        quote!(#![allow(deprecated)])
    } else {
        TokenStream::new()
    }
}

/// How a file spells the standard library's prelude types (`Option`, `String`, `Vec`, `Box`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StdNames {
    /// Fully qualified (`::std::option::Option`), so a model type named `Option` or `String` declared
    /// in the same module cannot shadow the standard one.
    Qualified,
    /// By their prelude names, for a module whose own items no model can name after one: the
    /// builders (`...Builder`), the fluent builders (`...Fluent`), the waiters (`...Waiter`), the
    /// operation errors (`...Error`) and the serializers (`ser_...`). Shorter to read, and each
    /// qualified path is nine tokens the formatter parses and prints (a third of `builders.rs`'s).
    Prelude,
}

/// The Rust type of a value (without `Option`/`Box` for presence), with fully qualified paths so a
/// model type named `Option` or `String` cannot shadow the standard one.
pub fn rust_type(ty: &Ty) -> TokenStream {
    rust_type_with(ty, StdNames::Qualified)
}

/// [`rust_type`], with the standard types spelled as `names` says.
pub fn rust_type_with(ty: &Ty, names: StdNames) -> TokenStream {
    let prelude = names == StdNames::Prelude;
    match &ty.kind {
        TyKind::String if prelude => quote!(String),
        TyKind::String => quote!(::std::string::String),
        TyKind::Bool => quote!(bool),
        TyKind::Byte => quote!(i8),
        TyKind::Short => quote!(i16),
        TyKind::Integer => quote!(i32),
        TyKind::Long => quote!(i64),
        TyKind::Float => quote!(f32),
        TyKind::Double => quote!(f64),
        TyKind::BigInteger => quote!(crate::BigInteger),
        TyKind::BigDecimal => quote!(crate::BigDecimal),
        TyKind::Timestamp(_) => quote!(crate::DateTime),
        TyKind::Blob => quote!(crate::Blob),
        TyKind::ByteStream => quote!(crate::ByteStream),
        TyKind::Document => quote!(crate::Document),
        TyKind::Unit => quote!(()),
        TyKind::Enum(name) | TyKind::IntEnum(name) | TyKind::Structure(name) | TyKind::Union(name) => model_type(name),
        TyKind::List { member, sparse } => {
            let member = rust_type_with(member, names);
            match (*sparse, prelude) {
                (true, true) => quote!(Vec<Option<#member>>),
                (true, false) => quote!(::std::vec::Vec<::std::option::Option<#member>>),
                (false, true) => quote!(Vec<#member>),
                (false, false) => quote!(::std::vec::Vec<#member>),
            }
        }
        TyKind::Map { key, value, sparse } => {
            let (key, value) = (rust_type_with(key, names), rust_type_with(value, names));
            match (*sparse, prelude) {
                (true, true) => quote!(::std::collections::BTreeMap<#key, Option<#value>>),
                (true, false) => quote!(::std::collections::BTreeMap<#key, ::std::option::Option<#value>>),
                (false, _) => quote!(::std::collections::BTreeMap<#key, #value>),
            }
        }
    }
}

/// `crate::types::Name`: the path of a type the model defines.
pub fn model_type(name: &str) -> TokenStream {
    let name = ident(name);
    quote!(crate::types::#name)
}

/// The stored type of a field: boxed if recursive, in an `Option` unless present by construction.
pub fn field_type(field: &Field) -> TokenStream {
    let ty = boxed_type(field);
    match field.presence {
        Presence::Optional => quote!(::std::option::Option<#ty>),
        Presence::Required | Presence::Default(_) => ty,
    }
}

/// The field's value type, in a `Box` when the field breaks a recursive cycle.
pub fn boxed_type(field: &Field) -> TokenStream {
    boxed_type_with(field, StdNames::Qualified)
}

/// [`boxed_type`], with the standard types spelled as `names` says.
pub fn boxed_type_with(field: &Field, names: StdNames) -> TokenStream {
    let ty = rust_type_with(&field.ty, names);
    match (field.boxed, names) {
        (false, _) => ty,
        (true, StdNames::Prelude) => quote!(Box<#ty>),
        (true, StdNames::Qualified) => quote!(::std::boxed::Box<#ty>),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Constraints;
    use quote::ToTokens;

    fn ty(kind: TyKind) -> Ty {
        Ty { kind, constraints: Constraints::default(), sensitive: false, unenforced_pattern: None }
    }

    #[test]
    fn raw_names_become_raw_identifiers_and_prefixes_drop_the_marker() {
        assert_eq!(ident("r#type").to_string(), "r#type");
        assert_eq!(ident("job_id").to_string(), "job_id");
        assert_eq!(prefixed("set_", "r#type").to_string(), "set_type");
        assert_eq!(prefixed("ser_", "failure_details").to_string(), "ser_failure_details");
    }

    #[test]
    fn string_literals_escape_what_a_rust_string_cannot_hold_as_is() {
        let cases = [
            ("plain", r#""plain""#),
            ("quote \" and \\ backslash", r#""quote \" and \\ backslash""#),
            ("it's", r#""it's""#),
            ("tab\tnew\nline", r#""tab\tnew\nline""#),
            ("\0", r#""\0""#),
            // `\0` before a digit would read as an octal escape.
            ("\x001", r#""\x001""#),
            ("{}", r#""{}""#),
        ];
        for (value, literal) in cases {
            assert_eq!(lit_str(value).to_string(), literal, "{value:?}");
        }
    }

    #[test]
    fn float_literals_always_read_as_floats() {
        assert_eq!(lit_float(2.0).to_string(), "2.0");
        assert_eq!(lit_float(0.5).to_string(), "0.5");
    }

    #[test]
    fn doc_lines_are_one_attribute_per_line_with_the_space_rustdoc_expects() {
        assert_eq!(doc_values(doc_lines("First.\n\nSecond.")), [" First.", "", " Second."]);
        assert_eq!(doc_values(doc_block(" a\n b")), [" a", " b"]);
        assert_eq!(doc_values(doc_attrs(None, "Fallback.")), [" Fallback."]);
        let inner = inner_doc_lines("Module.").to_string();
        assert!(inner.starts_with("# ! [doc ="), "{inner}");
        assert_eq!(doc_values(inner_doc_lines("Module.")), [" Module."]);
    }

    /// The text of each `#[doc = ...]` (or `#![doc = ...]`) attribute in `tokens`, as rustdoc reads it.
    fn doc_values(tokens: TokenStream) -> Vec<String> {
        tokens
            .into_iter()
            .filter_map(|tree| match tree {
                proc_macro2::TokenTree::Group(group) => {
                    let literal = group.stream().into_iter().last()?;
                    Some(syn::parse2::<syn::LitStr>(literal.into_token_stream()).expect("a string literal").value())
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn doc_literals_keep_the_text_and_print_as_the_quoted_literal_does() {
        let texts = [
            " plain",
            "",
            " \"quoted\" and \"# and \"## and a \\ backslash",
            " ends with a quote\"",
            " tab\tand unicode \u{e9}\u{1f600}",
            "/ leading slash",
            "* leading star",
            " two\nlines",
            " carriage\rreturn",
        ];
        for text in texts {
            let raw = doc_literal(text);
            let quoted = Literal::string(text);
            // Only text the printer shows as a `///` comment takes the cheaper raw spelling.
            let one_line_comment = !text.contains(['\n', '\r']) && !text.starts_with(['/', '*']);
            assert_eq!(raw.to_string().starts_with('r'), one_line_comment, "{text:?}: {raw}");
            assert_eq!(doc_values(quote!(#[doc = #raw])), [text], "{text:?}");
            let printed = |literal: &Literal| {
                let item = quote!(#[doc = #literal] fn f() {});
                super::super::format(super::super::RustFile { attrs: TokenStream::new(), items: vec![item] })
                    .expect("a doc attribute on a function")
            };
            assert_eq!(printed(&raw), printed(&quoted), "{text:?}");
        }
    }

    #[test]
    fn deprecation_notes_say_what_the_model_says() {
        let deprecated = |message: Option<&str>, since: Option<&str>| {
            deprecated_attr(Some(&Deprecated { message: message.map(Into::into), since: since.map(Into::into) }))
                .to_string()
        };
        assert_eq!(
            deprecated(Some("Use B"), Some("2020")),
            quote!(#[deprecated(note = "Use B (since 2020)")]).to_string()
        );
        assert_eq!(deprecated(None, Some("2020")), quote!(#[deprecated(note = "deprecated since 2020")]).to_string());
        assert_eq!(deprecated(None, None), quote!(#[deprecated(note = "deprecated by the service model")]).to_string());
        assert!(deprecated_attr(None).is_empty());
    }

    #[test]
    fn types_are_fully_qualified_and_nest() {
        let map = ty(TyKind::Map {
            key: Box::new(ty(TyKind::String)),
            value: Box::new(ty(TyKind::List { member: Box::new(ty(TyKind::Structure("Job".into()))), sparse: true })),
            sparse: false,
        });
        assert_eq!(
            rust_type(&map).to_string(),
            quote!(::std::collections::BTreeMap<::std::string::String, ::std::vec::Vec<::std::option::Option<crate::types::Job>>>)
                .to_string()
        );
        assert_eq!(rust_type(&ty(TyKind::Unit)).to_string(), "()");
    }

    #[test]
    fn field_types_box_recursive_members_and_wrap_optional_ones() {
        let field = |presence: Presence, boxed: bool| Field {
            member_name: "next".into(),
            wire_name: "next".into(),
            rust_name: "next".into(),
            ty: ty(TyKind::Structure("Node".into())),
            presence,
            service_default: None,
            boxed,
            docs: None,
            summary: None,
            deprecated: None,
            idempotency_token: false,
            host_label: false,
            http: crate::ir::HttpBinding::Body,
        };
        // Spacing aside (`>>` prints as one joint token or two).
        let text = |tokens: TokenStream| tokens.to_string().replace(' ', "");
        assert_eq!(
            text(field_type(&field(Presence::Optional, true))),
            "::std::option::Option<::std::boxed::Box<crate::types::Node>>"
        );
        assert_eq!(text(field_type(&field(Presence::Required, false))), "crate::types::Node");
        assert_eq!(text(boxed_type(&field(Presence::Optional, true))), "::std::boxed::Box<crate::types::Node>");
    }

    #[test]
    fn member_docs_say_which_patterns_only_the_service_checks() {
        let unchecked = |pattern: &str| Ty {
            unenforced_pattern: Some(crate::ir::UnenforcedPattern {
                pattern: pattern.into(),
                reason: "at byte 1: Unicode blocks such as \\p{InGreek} are not supported".into(),
            }),
            ..ty(TyKind::String)
        };
        let element = unchecked("^\\p{InGreek}+$");
        let map = ty(TyKind::Map {
            key: Box::new(ty(TyKind::String)),
            value: Box::new(ty(TyKind::List { member: Box::new(element), sparse: false })),
            sparse: false,
        });
        let field = Field {
            member_name: "names".into(),
            wire_name: "names".into(),
            rust_name: "names".into(),
            ty: map,
            presence: Presence::Optional,
            service_default: None,
            boxed: false,
            docs: Some("Names by language.".into()),
            summary: None,
            deprecated: None,
            idempotency_token: false,
            host_label: false,
            http: crate::ir::HttpBinding::Body,
        };
        assert_eq!(
            doc_values(member_doc_attrs(&field, "unused")),
            [
                " Names by language.",
                "",
                " Not checked here: the model's pattern `^\\p{InGreek}+$` for each element of each value (at byte 1: Unicode blocks such as \\\\p{InGreek} are not supported). The service checks it.",
            ]
        );
        // Without such a pattern the docs are the member's own.
        let plain = Field { ty: ty(TyKind::String), ..field };
        assert_eq!(
            member_doc_attrs(&plain, "unused").to_string(),
            doc_attrs(Some("Names by language."), "").to_string()
        );
        // A pattern with a backtick or a line break still makes one code span on one line.
        let awkward = unchecked("a`b\nc");
        let note = &crate::emit::common::unchecked_patterns(&awkward)[0];
        assert!(
            note.doc_note().starts_with("Not checked here: the model's pattern ``a`b\\nc`` ("),
            "{}",
            note.doc_note()
        );
        assert_eq!(
            note.help_note(),
            "pattern a`b\\nc checked only by the service (at byte 1: Unicode blocks such as \\p{InGreek} are not supported)"
        );
    }
}
