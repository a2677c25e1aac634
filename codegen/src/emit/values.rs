//! Rust expressions that build a generated crate's values from JSON: the inputs of the endpoint
//! tests' operation calls, and the inputs, outputs and errors of the protocol tests (the JSON is a
//! test case's `params`, keyed by member name).

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{quote, ToTokens};
use serde_json::Value;

use super::tokens::{ident, prefixed};
use crate::ir::{FloatValue, Service, TyKind, TypeDefKind, TypedValue};

/// A Rust expression of type `ty` with the value `json`, built with the crate's builders; an error
/// says what cannot be built. Floats take `NaN`, `Infinity` and `-Infinity` as strings, timestamps
/// are seconds since the epoch and blobs their bytes as text, as Smithy's test cases write them; a
/// structure member that is `null` is left unset.
pub fn value_tokens(service: &Service, ty: &TyKind, json: &Value) -> Result<TokenStream, String> {
    let krate = ident(&service.crate_name.replace('-', "_"));
    value_in(service, &krate, ty, json)
}

fn value_in(service: &Service, krate: &Ident, ty: &TyKind, json: &Value) -> Result<TokenStream, String> {
    let types = quote!(#krate::types);
    let wrong = |what: &str| format!("expected {what}, found {json}");
    Ok(match ty {
        TyKind::String => {
            let s = json.as_str().ok_or_else(|| wrong("a string"))?;
            quote!(::std::string::String::from(#s))
        }
        TyKind::Bool => {
            let b = json.as_bool().ok_or_else(|| wrong("a boolean"))?;
            quote!(#b)
        }
        TyKind::Byte | TyKind::Short | TyKind::Integer | TyKind::Long => {
            let n = json.as_i64().ok_or_else(|| wrong("an integer"))?;
            let literal = match ty {
                TyKind::Byte => Literal::i8_suffixed(i8::try_from(n).map_err(|_| wrong("a byte"))?),
                TyKind::Short => Literal::i16_suffixed(i16::try_from(n).map_err(|_| wrong("a short"))?),
                TyKind::Integer => Literal::i32_suffixed(i32::try_from(n).map_err(|_| wrong("an integer"))?),
                _ => Literal::i64_suffixed(n),
            };
            quote!(#literal)
        }
        TyKind::Float | TyKind::Double => {
            let special = match json.as_str() {
                Some("NaN") => Some(quote!(NAN)),
                Some("Infinity") => Some(quote!(INFINITY)),
                Some("-Infinity") => Some(quote!(NEG_INFINITY)),
                _ => None,
            };
            if let Some(constant) = special {
                let float = if matches!(ty, TyKind::Float) { quote!(f32) } else { quote!(f64) };
                return Ok(quote!(::std::primitive::#float::#constant));
            }
            let n = json.as_f64().ok_or_else(|| wrong("a number"))?;
            let literal =
                if matches!(ty, TyKind::Float) { Literal::f32_suffixed(n as f32) } else { Literal::f64_suffixed(n) };
            quote!(#literal)
        }
        TyKind::Document => {
            let text = json.to_string();
            quote!(serde_json::from_str::<serde_json::Value>(#text).expect("a JSON document"))
        }
        TyKind::Enum(name) => {
            let s = json.as_str().ok_or_else(|| wrong("a string"))?;
            let name = ident(name);
            quote!(#types::#name::from(#s))
        }
        TyKind::IntEnum(name) => {
            let n = json.as_i64().ok_or_else(|| wrong("an integer"))?;
            let name = ident(name);
            quote!(#types::#name::from(#n))
        }
        TyKind::List { member, sparse } => {
            let items = json.as_array().ok_or_else(|| wrong("a list"))?;
            let items = items
                .iter()
                .map(|item| match (sparse, item) {
                    (true, Value::Null) => Ok(quote!(::std::option::Option::None)),
                    (true, item) => {
                        value_in(service, krate, &member.kind, item).map(|v| quote!(::std::option::Option::Some(#v)))
                    }
                    (false, item) => value_in(service, krate, &member.kind, item),
                })
                .collect::<Result<Vec<_>, _>>()?;
            quote!(::std::vec![#(#items),*])
        }
        TyKind::Map { key, value, sparse } => {
            let entries = json.as_object().ok_or_else(|| wrong("a map"))?;
            let entries = entries
                .iter()
                .map(|(k, v)| {
                    let k = value_in(service, krate, &key.kind, &Value::String(k.clone()))?;
                    let v = match (sparse, v) {
                        (true, Value::Null) => quote!(::std::option::Option::None),
                        (true, v) => {
                            let v = value_in(service, krate, &value.kind, v)?;
                            quote!(::std::option::Option::Some(#v))
                        }
                        (false, v) => value_in(service, krate, &value.kind, v)?,
                    };
                    Ok(quote!((#k, #v)))
                })
                .collect::<Result<Vec<_>, String>>()?;
            quote!(::std::collections::BTreeMap::from([#(#entries),*]))
        }
        TyKind::Structure(name) => {
            let object = json.as_object().ok_or_else(|| wrong("an object"))?;
            let Some(TypeDefKind::Structure(structure)) = service.type_def(name).map(|t| &t.kind) else {
                return Err(format!("`{name}` is not a structure of the crate"));
            };
            let mut setters = Vec::new();
            for (member, member_value) in object {
                // A member given as null is one the caller leaves unset.
                if member_value.is_null() {
                    continue;
                }
                let field = structure
                    .fields
                    .iter()
                    .find(|f| f.member_name == *member)
                    .ok_or_else(|| format!("`{name}` has no member `{member}`"))?;
                let value = value_in(service, krate, &field.ty.kind, member_value)?;
                let setter = prefixed("set_", &field.rust_name);
                setters.push(quote!(.#setter(::std::option::Option::Some(#value))));
            }
            let name = ident(name);
            let message = format!("the case's `{name}` builds");
            quote!(#types::#name::builder() #(#setters)* .build().expect(#message))
        }
        TyKind::Union(name) => {
            let object = json.as_object().ok_or_else(|| wrong("an object with one member"))?;
            let (member, member_value) = match object.iter().next() {
                Some(entry) if object.len() == 1 => entry,
                _ => return Err(wrong("an object with one member")),
            };
            let Some(TypeDefKind::Union(fields)) = service.type_def(name).map(|t| &t.kind) else {
                return Err(format!("`{name}` is not a union of the crate"));
            };
            let field = fields
                .iter()
                .find(|f| f.member_name == *member)
                .ok_or_else(|| format!("`{name}` has no member `{member}`"))?;
            let union = ident(name);
            let variant = ident(&field.rust_name);
            match &field.ty.kind {
                TyKind::Unit => quote!(#types::#union::#variant),
                kind => {
                    let value = value_in(service, krate, kind, member_value)?;
                    let value = if field.boxed { quote!(::std::boxed::Box::new(#value)) } else { value };
                    quote!(#types::#union::#variant(#value))
                }
            }
        }
        TyKind::Timestamp(_) => {
            let seconds = json.as_f64().ok_or_else(|| wrong("seconds since the epoch"))?;
            let seconds = Literal::f64_suffixed(seconds);
            quote!(#krate::DateTime::from_fractional_secs(#seconds).expect("a timestamp in range"))
        }
        TyKind::Blob => {
            let text = json.as_str().ok_or_else(|| wrong("the blob's bytes as text"))?;
            let bytes = Literal::byte_string(text.as_bytes());
            quote!(#krate::Blob::new(#bytes.to_vec()))
        }
        TyKind::BigInteger | TyKind::BigDecimal | TyKind::Unit => {
            return Err(format!("a value of this kind ({json}) is not supported in generated tests"))
        }
    })
}

/// A Rust expression that builds `value` with the crate's builders.
pub fn typed_value_tokens(service: &Service, value: &TypedValue) -> TokenStream {
    let krate = ident(&service.crate_name.replace('-', "_"));
    typed_value_in(&krate, value)
}

fn typed_value_in(krate: &Ident, value: &TypedValue) -> TokenStream {
    let types = quote!(#krate::types);
    let float = |value: &FloatValue, kind: TokenStream, literal: fn(f64) -> Literal| match value {
        FloatValue::Finite(n) => {
            let literal = literal(*n);
            quote!(#literal)
        }
        FloatValue::NaN => quote!(::std::primitive::#kind::NAN),
        FloatValue::Infinity => quote!(::std::primitive::#kind::INFINITY),
        FloatValue::NegInfinity => quote!(::std::primitive::#kind::NEG_INFINITY),
    };
    let optional = |sparse: bool, value: Option<&TypedValue>| match (sparse, value) {
        (true, None) => quote!(::std::option::Option::None),
        (true, Some(value)) => {
            let value = typed_value_in(krate, value);
            quote!(::std::option::Option::Some(#value))
        }
        // Lowering gives a non-sparse collection no missing values.
        (false, value) => value.map(|value| typed_value_in(krate, value)).unwrap_or_default(),
    };
    match value {
        TypedValue::String(s) => quote!(::std::string::String::from(#s)),
        TypedValue::Bool(b) => quote!(#b),
        TypedValue::Byte(n) => Literal::i8_suffixed(*n).into_token_stream(),
        TypedValue::Short(n) => Literal::i16_suffixed(*n).into_token_stream(),
        TypedValue::Integer(n) => Literal::i32_suffixed(*n).into_token_stream(),
        TypedValue::Long(n) => Literal::i64_suffixed(*n).into_token_stream(),
        TypedValue::Float(value) => float(value, quote!(f32), |n| Literal::f32_suffixed(n as f32)),
        TypedValue::Double(value) => float(value, quote!(f64), Literal::f64_suffixed),
        TypedValue::Document(json) => {
            let text = json.to_string();
            quote!(serde_json::from_str::<serde_json::Value>(#text).expect("a JSON document"))
        }
        TypedValue::Enum { type_name, value } => {
            let name = ident(type_name);
            quote!(#types::#name::from(#value))
        }
        TypedValue::IntEnum { type_name, value } => {
            let name = ident(type_name);
            quote!(#types::#name::from(#value))
        }
        TypedValue::List { sparse, items } => {
            let items = items.iter().map(|item| optional(*sparse, item.as_ref()));
            quote!(::std::vec![#(#items),*])
        }
        TypedValue::Map { sparse, entries } => {
            let entries = entries.iter().map(|(k, v)| {
                let k = typed_value_in(krate, k);
                let v = optional(*sparse, v.as_ref());
                quote!((#k, #v))
            });
            quote!(::std::collections::BTreeMap::from([#(#entries),*]))
        }
        TypedValue::Structure { type_name, members } => {
            let setters = members.iter().map(|member| {
                let value = typed_value_in(krate, &member.value);
                let setter = prefixed("set_", &member.field);
                quote!(.#setter(::std::option::Option::Some(#value)))
            });
            let name = ident(type_name);
            let message = format!("the case's `{name}` builds");
            quote!(#types::#name::builder() #(#setters)* .build().expect(#message))
        }
        TypedValue::Union { type_name, variant, value, boxed } => {
            let union = ident(type_name);
            let variant = ident(variant);
            match value {
                None => quote!(#types::#union::#variant),
                Some(value) => {
                    let value = typed_value_in(krate, value);
                    let value = if *boxed { quote!(::std::boxed::Box::new(#value)) } else { value };
                    quote!(#types::#union::#variant(#value))
                }
            }
        }
        TypedValue::Timestamp(seconds) => {
            let seconds = Literal::f64_suffixed(*seconds);
            quote!(#krate::DateTime::from_fractional_secs(#seconds).expect("a timestamp in range"))
        }
        TypedValue::Blob(bytes) => {
            let bytes = Literal::byte_string(bytes);
            quote!(#krate::Blob::new(#bytes.to_vec()))
        }
    }
}
