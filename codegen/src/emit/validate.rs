//! Emits `src/validate.rs`: `Validate` for every structure, union and enum, and the compiled patterns.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::common::payload;
use super::runtime_paths::{
    pattern_type, VALIDATE_LENGTH, VALIDATE_LENGTH_UNIT, VALIDATE_PATH, VALIDATE_RANGE, VALIDATE_STRING_LENGTH,
    VALIDATE_UNKNOWN_VALUE, VALIDATE_VALIDATE, VALIDATE_VIOLATION, VALIDATE_VIOLATION_KIND,
};
use super::tokens::{allow_deprecated, doc, ident, lit_float};
use super::RustFile;
use crate::ir::{Constraints, Field, PatternConst, Presence, Service, Ty, TyKind, TypeDefKind};
use crate::pattern::Engine;

/// The whole `validate` module.
pub fn emit(service: &Service) -> RustFile {
    let allow_deprecated = allow_deprecated(service);
    let mut file = RustFile::new(quote! {
        //! Constraint checks for every shape: required members, lengths, ranges, patterns and enum values.
        //!
        //! The client runs them before sending; call [`Validate::validate`](crate::Validate::validate) to run them yourself.
        #allow_deprecated
    });
    if let Some(engine) = service.features.pattern_engine {
        for pattern in &service.patterns {
            file.push(pattern_static(pattern, engine));
        }
    }
    let checked = Checked::of(service);
    for def in &service.types {
        let name = ident(&def.name);
        let body = match &def.kind {
            TypeDefKind::Structure(s) if s.error.is_some() => continue,
            TypeDefKind::Structure(s) => {
                let checks: Vec<TokenStream> = s.fields.iter().filter_map(|f| field_check(&checked, f)).collect();
                if checks.is_empty() {
                    quote! { let _ = (at, out); }
                } else {
                    quote! { #(#checks)* }
                }
            }
            TypeDefKind::Union(fields) => {
                let wire: Vec<&str> = fields.iter().map(|f| f.wire_name.as_str()).collect();
                let arms = fields.iter().map(|f| {
                    let variant = ident(&f.rust_name);
                    let wire = &f.wire_name;
                    let path = quote!(&at.member(#wire));
                    let check = value_check(&checked, &f.ty, quote!(value), path);
                    if check.is_empty() {
                        let payload = payload(f, quote!(_));
                        quote! { crate::types::#name::#variant #payload => {} }
                    } else {
                        quote! { crate::types::#name::#variant(value) => { #check } }
                    }
                });
                quote! {
                    match self {
                        #(#arms)*
                        crate::types::#name::Unknown(member) => {
                            #VALIDATE_UNKNOWN_VALUE(member, &[#(#wire),*], false, at, out)
                        }
                    }
                }
            }
            TypeDefKind::Enum(_) => quote! {
                if let crate::types::#name::Unknown(value) = self {
                    #VALIDATE_UNKNOWN_VALUE(value, crate::types::#name::values(), false, at, out);
                }
            },
            TypeDefKind::IntEnum(_) => quote! {
                if let crate::types::#name::Unknown(value) = self {
                    out.push(#VALIDATE_VIOLATION::new(
                        at.to_text(),
                        #VALIDATE_VIOLATION_KIND::Range { min: ::std::option::Option::None, max: ::std::option::Option::None, actual: ::std::option::Option::Some(*value as f64) },
                    ));
                }
            },
        };
        file.push(quote! {
            impl #VALIDATE_VALIDATE for crate::types::#name {
                fn validate_at(&self, at: &#VALIDATE_PATH<'_>, out: &mut ::std::vec::Vec<#VALIDATE_VIOLATION>) {
                    #body
                }
            }
        });
    }
    file
}

/// The compiled form of one distinct `@pattern`.
fn pattern_static(pattern: &PatternConst, engine: Engine) -> TokenStream {
    let pattern_type = pattern_type(engine);
    let name = ident(&pattern.name);
    let (ecma, regex) = (&pattern.ecma, &pattern.regex);
    // A doc line ends at a line break and may not hold a bare CR, so those show as escapes.
    let shown = ecma.replace('`', "'").replace('\n', "\\n").replace('\r', "\\r");
    let doc = doc(&format!("The model's pattern `{shown}`."));
    quote! {
        #doc
        pub(crate) static #name: #pattern_type = #pattern_type::new(#ecma, #regex);
    }
}

/// The structures that have something to check, directly or in what they contain. A structure whose
/// members only lead back to itself (a tree of nodes without constraints) has nothing, so its
/// `validate_at` does not walk the values at all.
struct Checked(std::collections::BTreeSet<String>);

impl Checked {
    fn of(service: &Service) -> Self {
        let structures: Vec<(&str, &[Field])> = service
            .types
            .iter()
            .filter_map(|def| match &def.kind {
                TypeDefKind::Structure(s) if s.error.is_none() => Some((def.name.as_str(), s.fields.as_slice())),
                _ => None,
            })
            .collect();
        // The least fixed point: a structure joins once one of its members has a check, counting
        // only the structures already in.
        let mut checked = Checked(std::collections::BTreeSet::new());
        loop {
            let before = checked.0.len();
            for (name, fields) in &structures {
                if !checked.0.contains(*name) && fields.iter().any(|f| checked.has_checks(&f.ty)) {
                    checked.0.insert((*name).to_string());
                }
            }
            if checked.0.len() == before {
                return checked;
            }
        }
    }

    /// Whether a value of this type has anything to check.
    fn has_checks(&self, ty: &Ty) -> bool {
        let Constraints { length, range, pattern } = &ty.constraints;
        length.is_some()
            || range.is_some()
            || pattern.is_some()
            || match &ty.kind {
                // Unknown values and members are refused when sent.
                TyKind::Enum(_) | TyKind::IntEnum(_) | TyKind::Union(_) => true,
                TyKind::Structure(name) => self.0.contains(name),
                TyKind::List { member, .. } => self.has_checks(member),
                TyKind::Map { key, value, .. } => self.has_checks(key) || self.has_checks(value),
                _ => false,
            }
    }
}

/// The checks of one structure member, if its type has any.
fn field_check(checked: &Checked, field: &Field) -> Option<TokenStream> {
    let name = ident(&field.rust_name);
    let wire = &field.wire_name;
    let path = quote!(&at.member(#wire));
    // A sensitive enum's only check is for an unknown value: one pattern through the `Option`
    // (nested `if let`s would be one `if let` too many for clippy).
    if let (Presence::Optional, Some(enum_name)) = (&field.presence, sensitive_enum_only(&field.ty)) {
        let enum_name = ident(enum_name);
        return Some(quote! {
            if let ::std::option::Option::Some(crate::types::#enum_name::Unknown(unknown)) = &self.#name {
                #VALIDATE_UNKNOWN_VALUE(unknown, crate::types::#enum_name::values(), true, #path, out);
            }
        });
    }
    match field.presence {
        Presence::Optional => {
            let check = value_check(checked, &field.ty, quote!(value), path);
            (!check.is_empty()).then(|| quote! { if let ::std::option::Option::Some(value) = &self.#name { #check } })
        }
        Presence::Required | Presence::Default(_) => {
            let check = value_check(checked, &field.ty, quote!(value), path);
            (!check.is_empty()).then(|| quote! { { let value = &self.#name; #check } })
        }
    }
}

/// The name of a `@sensitive` enum type whose only check is the one for unknown values.
fn sensitive_enum_only(ty: &Ty) -> Option<&str> {
    let Constraints { length, range, pattern } = &ty.constraints;
    match &ty.kind {
        TyKind::Enum(name) if ty.sensitive && length.is_none() && range.is_none() && pattern.is_none() => Some(name),
        _ => None,
    }
}

/// Statements checking `value` (an expression of type `&T`) at `path` (an expression of type `&Path`);
/// empty when the type has nothing to check.
fn value_check(checked: &Checked, ty: &Ty, value: TokenStream, path: TokenStream) -> TokenStream {
    let Constraints { length, range, pattern } = &ty.constraints;
    let opt = |v: Option<u64>| match v.map(Literal::u64_unsuffixed) {
        Some(v) => quote!(::std::option::Option::Some(#v)),
        None => quote!(::std::option::Option::None),
    };
    let optf = |v: Option<f64>| match v.map(lit_float) {
        Some(v) => quote!(::std::option::Option::Some(#v)),
        None => quote!(::std::option::Option::None),
    };
    let mut checks = Vec::new();
    if let Some(bounds) = length {
        let (min, max) = (opt(bounds.min), opt(bounds.max));
        checks.push(match &ty.kind {
            TyKind::String => quote! { #VALIDATE_STRING_LENGTH(#value, #min, #max, #path, out); },
            TyKind::Blob => quote! {
                #VALIDATE_LENGTH(#value.as_ref().len(), #min, #max, #VALIDATE_LENGTH_UNIT::Bytes, #path, out);
            },
            TyKind::List { .. } => quote! {
                #VALIDATE_LENGTH(#value.len(), #min, #max, #VALIDATE_LENGTH_UNIT::Elements, #path, out);
            },
            TyKind::Map { .. } => quote! {
                #VALIDATE_LENGTH(#value.len(), #min, #max, #VALIDATE_LENGTH_UNIT::Entries, #path, out);
            },
            _ => TokenStream::new(),
        });
    }
    if let Some(bounds) = range {
        let (min, max) = (optf(bounds.min), optf(bounds.max));
        let as_f64 = match &ty.kind {
            TyKind::BigInteger | TyKind::BigDecimal => quote!(#value.as_f64()),
            TyKind::Double => quote!(*#value),
            _ => quote!(*#value as f64),
        };
        let sensitive = ty.sensitive;
        checks.push(quote! { #VALIDATE_RANGE(#as_f64, #min, #max, #sensitive, #path, out); });
    }
    if let Some(name) = pattern {
        let name = ident(name);
        checks.push(quote! { crate::validate::#name.check(#value, #path, out); });
    }
    match &ty.kind {
        TyKind::Enum(name) if ty.sensitive => {
            let name = ident(name);
            checks.push(quote! {
                if let crate::types::#name::Unknown(unknown) = #value {
                    #VALIDATE_UNKNOWN_VALUE(unknown, crate::types::#name::values(), true, #path, out);
                }
            });
        }
        TyKind::Structure(name) if !checked.0.contains(name) => {}
        TyKind::Enum(_) | TyKind::IntEnum(_) | TyKind::Structure(_) | TyKind::Union(_) => {
            checks.push(quote! { #VALIDATE_VALIDATE::validate_at(#value, #path, out); });
        }
        TyKind::List { member, sparse } => {
            let inner = value_check(checked, member, quote!(item), quote!(&at.index(index)));
            if !inner.is_empty() {
                let item = if *sparse {
                    quote! { if let ::std::option::Option::Some(item) = item { #inner } }
                } else {
                    inner
                };
                checks.push(quote! {
                    {
                        let at = #path;
                        for (index, item) in #value.iter().enumerate() { #item }
                    }
                });
            }
        }
        TyKind::Map { key, value: value_ty, sparse } => {
            // A sensitive key is never shown, even as the place where its value is wrong.
            let at_key =
                if key.sensitive || ty.sensitive { quote!(&at.sensitive_key()) } else { quote!(&at.key(key.as_str())) };
            let key_check = value_check(checked, key, quote!(key), at_key.clone());
            let value_check_inner = value_check(checked, value_ty, quote!(item), at_key);
            let value_check_inner = if *sparse && !value_check_inner.is_empty() {
                quote! { if let ::std::option::Option::Some(item) = item { #value_check_inner } }
            } else {
                value_check_inner
            };
            if !key_check.is_empty() || !value_check_inner.is_empty() {
                checks.push(quote! {
                    {
                        let at = #path;
                        for (key, item) in #value.iter() {
                            let _ = (&key, &item);
                            #key_check
                            #value_check_inner
                        }
                    }
                });
            }
        }
        _ => {}
    }
    quote! { #(#checks)* }
}
