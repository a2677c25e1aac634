//! Questions about the IR that several emitters ask: reachability, sensitivity, helper-function names,
//! union payloads.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::ir::{Field, Service, Ty, TyKind, TypeDefKind, UnenforcedPattern};

/// What follows a union variant's name in a pattern, constructor or declaration: `(binding)`, or
/// nothing for a member without a value (`smithy.api#Unit`).
pub fn payload(field: &Field, binding: TokenStream) -> TokenStream {
    if matches!(field.ty.kind, TyKind::Unit) {
        TokenStream::new()
    } else {
        quote!((#binding))
    }
}

/// The member of an operation's input or output that is its streaming body (a `ByteStream`), if any.
pub fn stream_field(fields: &[Field]) -> Option<&Field> {
    fields.iter().find(|f| matches!(f.ty.kind, TyKind::ByteStream))
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
    crate::naming::unraw(&crate::naming::snake(type_name)).to_string()
}

/// The name of a per-type helper function: `prefix` and the type's [`fn_suffix`] (`ser_failure_details`).
pub fn helper_fn(prefix: &str, type_name: &str) -> Ident {
    format_ident!("{prefix}{}", fn_suffix(type_name))
}

/// A `@pattern` somewhere in a member's type that the crate leaves to the service, with the part of
/// the value it applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UncheckedPattern<'t> {
    /// `None` for the value itself, else which parts of it (`each element`, `each key of each value`).
    pub applies_to: Option<String>,
    /// The pattern and why the crate cannot check it.
    pub pattern: &'t UnenforcedPattern,
}

/// Every pattern in `ty` (the value, list elements, map keys and values, at any depth) that the
/// crate does not check, outermost first.
pub fn unchecked_patterns(ty: &Ty) -> Vec<UncheckedPattern<'_>> {
    fn walk<'t>(ty: &'t Ty, applies_to: Option<String>, out: &mut Vec<UncheckedPattern<'t>>) {
        if let Some(pattern) = &ty.unenforced_pattern {
            out.push(UncheckedPattern { applies_to: applies_to.clone(), pattern });
        }
        let within = |part: &str| {
            Some(applies_to.as_ref().map_or_else(|| part.to_string(), |outer| format!("{part} of {outer}")))
        };
        match &ty.kind {
            TyKind::List { member, .. } => walk(member, within("each element"), out),
            TyKind::Map { key, value, .. } => {
                walk(key, within("each key"), out);
                walk(value, within("each value"), out);
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    walk(ty, None, &mut found);
    found
}

impl UncheckedPattern<'_> {
    /// The pattern as one line of text: line breaks in it show as `\n` and `\r` escapes.
    fn shown(&self) -> String {
        self.pattern.pattern.replace('\n', "\\n").replace('\r', "\\r")
    }

    fn part(&self) -> String {
        self.applies_to.as_ref().map(|part| format!(" for {part}")).unwrap_or_default()
    }

    /// The note for the member's rustdoc, in Markdown.
    pub fn doc_note(&self) -> String {
        format!(
            "Not checked here: the model's pattern {}{} ({}). The service checks it.",
            crate::docs::code_span(&self.shown()),
            self.part(),
            crate::docs::escape_markdown(&self.pattern.reason),
        )
    }

    /// The note for the member's command-line help, in plain text.
    pub fn help_note(&self) -> String {
        format!("pattern {}{} checked only by the service ({})", self.shown(), self.part(), self.pattern.reason)
    }
}
