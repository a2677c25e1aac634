//! Pieces every emitter shares: identifiers, Rust types for IR types, doc attributes, reachability.

use std::collections::BTreeSet;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::docs;
use crate::ir::{Field, Presence, Service, Ty, TyKind, TypeDefKind};
use crate::model::Deprecated;

/// An identifier from a name the naming module produced (`r#type` becomes a raw identifier).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// `#[doc = "..."]` lines for model documentation, converted from HTML; `fallback` when there is none.
pub fn doc_attrs(docs: Option<&str>, fallback: &str) -> TokenStream {
    let text =
        docs.map(docs::html_to_markdown).filter(|t| !t.trim().is_empty()).unwrap_or_else(|| fallback.to_string());
    doc_lines(&text)
}

/// `#[doc = "..."]` lines for text that is already Markdown.
pub fn doc_lines(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") });
    quote! { #( #[doc = #lines] )* }
}

/// `#[doc = "..."]` attributes, one per line of `text` (whose lines already start with a space), so
/// prettyplease prints `///` lines rather than one `/** */` block.
pub fn doc_block(text: &str) -> TokenStream {
    let lines = text.lines();
    quote! { #( #[doc = #lines] )* }
}

/// `#![doc = "..."]` lines (module and crate documentation) for Markdown text.
pub fn inner_doc_lines(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") });
    quote! { #( #![doc = #lines] )* }
}

/// `#[deprecated]` when the model says so.
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
            quote! { #[deprecated(note = #note)] }
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

/// The Rust type of a value (without `Option`/`Box` for presence).
pub fn rust_type(ty: &Ty) -> TokenStream {
    match &ty.kind {
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
        TyKind::Document => quote!(crate::Document),
        TyKind::Enum(name) | TyKind::IntEnum(name) | TyKind::Structure(name) | TyKind::Union(name) => {
            let name = ident(name);
            quote!(crate::types::#name)
        }
        TyKind::List { member, sparse } => {
            let inner = rust_type(member);
            if *sparse {
                quote!(::std::vec::Vec<::std::option::Option<#inner>>)
            } else {
                quote!(::std::vec::Vec<#inner>)
            }
        }
        TyKind::Map { key, value, sparse } => {
            let key = rust_type(key);
            let value = rust_type(value);
            if *sparse {
                quote!(::std::collections::BTreeMap<#key, ::std::option::Option<#value>>)
            } else {
                quote!(::std::collections::BTreeMap<#key, #value>)
            }
        }
    }
}

/// The stored type of a field: boxed if recursive, in an `Option` unless present by construction.
pub fn field_type(field: &Field) -> TokenStream {
    let mut ty = rust_type(&field.ty);
    if field.boxed {
        ty = quote!(::std::boxed::Box<#ty>);
    }
    match field.presence {
        Presence::Optional => quote!(::std::option::Option<#ty>),
        Presence::Required | Presence::Default(_) => ty,
    }
}

/// Whether a value of this type may contain sensitive data anywhere inside (list and map elements included).
pub fn contains_sensitive_ty(ty: &Ty) -> bool {
    ty.sensitive
        || match &ty.kind {
            TyKind::List { member, .. } => contains_sensitive_ty(member),
            TyKind::Map { key, value, .. } => contains_sensitive_ty(key) || contains_sensitive_ty(value),
            _ => false,
        }
}

/// Named types reachable from `roots` (by Rust name), following members, lists and maps.
pub fn reachable(service: &Service, roots: impl IntoIterator<Item = String>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut pending: Vec<String> = roots.into_iter().collect();
    while let Some(name) = pending.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let Some(def) = service.type_def(&name) else { continue };
        let fields: &[Field] = match &def.kind {
            TypeDefKind::Structure(s) => &s.fields,
            TypeDefKind::Union(fields) => fields,
            _ => &[],
        };
        for field in fields {
            named_in(&field.ty, &mut pending);
        }
    }
    seen
}

/// Pushes every named type that appears in `ty`.
pub fn named_in(ty: &Ty, out: &mut Vec<String>) {
    match &ty.kind {
        TyKind::Enum(n) | TyKind::IntEnum(n) | TyKind::Structure(n) | TyKind::Union(n) => out.push(n.clone()),
        TyKind::List { member, .. } => named_in(member, out),
        TyKind::Map { key, value, .. } => {
            named_in(key, out);
            named_in(value, out);
        }
        _ => {}
    }
}

/// The snake_case name used in helper function names for a type (`FailureDetails` -> `failure_details`).
pub fn fn_suffix(type_name: &str) -> String {
    crate::naming::snake(type_name).trim_start_matches("r#").to_string()
}
