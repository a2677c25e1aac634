//! Emits `src/de.rs`: awsJson response deserializers for operation outputs and modeled errors, and
//! (`rest_response`) restJson1's readers of status codes, headers and bodies.
//!
//! Unknown members are ignored, unknown enum values and union members are kept, `null` means absent,
//! and a required member the service left out gets its zero value where one exists (Smithy's client
//! error correction), so a lenient service never breaks a caller.

use proc_macro2::{Ident, TokenStream};
use quote::{quote, ToTokens};

use super::common::{helper_fn, reachable};
use super::runtime_paths::{
    BIG_NUMBER_READ_DECIMAL, BIG_NUMBER_READ_INTEGER, BLOB_READ, JSON_BOOLEAN, JSON_DESERIALIZE_ERROR, JSON_FLOAT,
    JSON_INTEGER, JSON_LIST, JSON_MAP, JSON_OBJECT, JSON_OPTIONAL, JSON_PARSE, JSON_SPARSE_LIST, JSON_SPARSE_MAP,
    JSON_STRING, JSON_TIME_FORMAT, JSON_TIME_READ,
};
use super::tokens::{allow_deprecated, boxed_type, doc, ident, prefixed};
use super::types::fill_default;
use super::RustFile;
use crate::ir::{Field, Presence, Service, Ty, TyKind, TypeDefKind};
use crate::model::TimestampFormat;

/// The whole `de` module.
pub fn emit(service: &Service) -> RustFile {
    // awsJson outputs and errors are read whole from JSON; restJson1's member by member
    // (`rest_response`), which needs JSON readers only for what their members reach.
    let awsjson_ops = service.operations.iter().filter(|op| op.http.is_none());
    let mut roots: Vec<String> = awsjson_ops.clone().map(|op| op.output.clone()).collect();
    roots.extend(awsjson_ops.clone().flat_map(|op| op.errors.iter().cloned()));
    roots.extend(super::rest_response::json_roots(service));
    let needed = reachable(service, roots);
    let mut fns = super::rest_response::emit(service);
    // Models may share one output structure between operations; it gets one `from_json_body`.
    let mut with_method = std::collections::BTreeSet::new();
    for op in awsjson_ops {
        let output = ident(&op.output);
        let entry = prefixed("body_", &op.fn_name);
        let inner = helper_fn("de_", &op.output);
        let doc_line = doc(&format!("Reads the body of a successful `{}` response.", op.name));
        fns.push(quote! {
            #doc_line
            pub(crate) fn #entry(body: &[u8]) -> ::std::result::Result<crate::types::#output, #JSON_DESERIALIZE_ERROR> {
                let value = #JSON_PARSE(body)?;
                #inner(&value)
            }
        });
        if with_method.insert(&op.output) {
            fns.push(quote! {
                impl crate::types::#output {
                    /// Reads the awsJson body of a successful (2xx) response, as the client does.
                    ///
                    /// For tests, or for responses received through an HTTP stack of your own. Unknown
                    /// members are ignored; the error says which member did not match the model.
                    pub fn from_json_body(body: &[u8]) -> ::std::result::Result<Self, #JSON_DESERIALIZE_ERROR> {
                        #entry(body)
                    }
                }
            });
        }
    }
    for def in &service.types {
        if !needed.contains(&def.name) {
            continue;
        }
        let name = ident(&def.name);
        let func = helper_fn("de_", &def.name);
        match &def.kind {
            TypeDefKind::Structure(s) => {
                let is_error = s.error.is_some();
                let slots = s.fields.iter().map(|f| {
                    let slot = slot_ident(f);
                    let ty = boxed_type(f);
                    quote! { let mut #slot: ::std::option::Option<#ty> = ::std::option::Option::None; }
                });
                let arms = s.fields.iter().map(|f| {
                    let slot = slot_ident(f);
                    let wire = &f.wire_name;
                    let read = field_reader(f);
                    // awsJson services spell an error's message member either way.
                    let pattern =
                        if is_error && wire == "message" { quote!("message" | "Message") } else { quote!(#wire) };
                    quote! {
                        #pattern => #slot = #JSON_OPTIONAL(value, #read).map_err(|e| e.at(#wire))?,
                    }
                });
                let inits = s.fields.iter().map(finish_field);
                let body = if s.fields.is_empty() {
                    quote! {
                        #JSON_OBJECT(value)?;
                        ::std::result::Result::Ok(crate::types::#name {})
                    }
                } else {
                    quote! {
                        #(#slots)*
                        for (key, value) in #JSON_OBJECT(value)? {
                            match key.as_str() {
                                #(#arms)*
                                _ => {}
                            }
                        }
                        ::std::result::Result::Ok(crate::types::#name { #(#inits)* })
                    }
                };
                fns.push(quote! {
                    pub(crate) fn #func(value: &::serde_json::Value) -> ::std::result::Result<crate::types::#name, #JSON_DESERIALIZE_ERROR> {
                        #body
                    }
                });
            }
            TypeDefKind::Union(fields) => {
                let arms = fields.iter().map(|f| {
                    let variant = ident(&f.rust_name);
                    let wire = &f.wire_name;
                    let read = boxed(f, read_value(&f.ty));
                    let read = quote!((#read).map_err(|e| e.at(#wire))?);
                    match f.ty.kind {
                        TyKind::Unit => quote! {
                            #wire => {
                                #read;
                                crate::types::#name::#variant
                            }
                        },
                        _ => quote! { #wire => crate::types::#name::#variant(#read), },
                    }
                });
                fns.push(quote! {
                    pub(crate) fn #func(value: &::serde_json::Value) -> ::std::result::Result<crate::types::#name, #JSON_DESERIALIZE_ERROR> {
                        let mut found = ::std::option::Option::None;
                        // `null` members are absent; `__type` is protocol metadata, not a member.
                        for (key, value) in #JSON_OBJECT(value)? {
                            if value.is_null() || key == "__type" {
                                continue;
                            }
                            let member = match key.as_str() {
                                #(#arms)*
                                other => crate::types::#name::Unknown(other.to_owned()),
                            };
                            if found.replace(member).is_some() {
                                return ::std::result::Result::Err(#JSON_DESERIALIZE_ERROR::new("a union must have exactly one member set, found several"));
                            }
                        }
                        found.ok_or_else(|| #JSON_DESERIALIZE_ERROR::new("a union must have exactly one member set, found none"))
                    }
                });
            }
            TypeDefKind::Enum(_) | TypeDefKind::IntEnum(_) => {}
        }
    }
    let allow_deprecated = allow_deprecated(service);
    // Every structure is read with the same `match` over its keys, even when it has one member, hence
    // the `allow`.
    let module_doc = if service.operations.iter().any(|op| op.http.is_some()) {
        quote! {
            //! restJson1 response readers (status code, headers and body), and the JSON readers of the
            //! structures their bodies hold.
        }
    } else {
        quote! {
            //! awsJson response deserializers.
        }
    };
    RustFile {
        attrs: quote! {
            #module_doc
            #allow_deprecated
            #![allow(clippy::single_match)]
        },
        items: fns,
    }
}

pub(super) fn slot_ident(field: &Field) -> Ident {
    prefixed("field_", &field.rust_name)
}

/// A callable reading a field's value, boxed when the field is.
pub(super) fn field_reader(field: &Field) -> TokenStream {
    if field.boxed {
        let read = boxed(field, read_value(&field.ty));
        quote!(|value| #read)
    } else {
        reader(&field.ty)
    }
}

/// A callable reading one value: the reader function itself where one exists, else a closure.
fn reader(ty: &Ty) -> TokenStream {
    match direct_reader(ty) {
        Some(function) => function,
        None => {
            let read = read_value(ty);
            quote!(|value| #read)
        }
    }
}

/// The function that reads a value of this type from `&Value` on its own, if there is one.
fn direct_reader(ty: &Ty) -> Option<TokenStream> {
    Some(match &ty.kind {
        TyKind::Bool => quote!(#JSON_BOOLEAN),
        TyKind::Byte => quote!(#JSON_INTEGER::<i8>),
        TyKind::Short => quote!(#JSON_INTEGER::<i16>),
        TyKind::Integer => quote!(#JSON_INTEGER::<i32>),
        TyKind::Long => quote!(#JSON_INTEGER::<i64>),
        TyKind::Double => quote!(#JSON_FLOAT),
        TyKind::BigInteger => quote!(#BIG_NUMBER_READ_INTEGER),
        TyKind::BigDecimal => quote!(#BIG_NUMBER_READ_DECIMAL),
        TyKind::Blob => quote!(#BLOB_READ),
        TyKind::Structure(name) | TyKind::Union(name) => helper_fn("de_", name).into_token_stream(),
        _ => return None,
    })
}

fn boxed(field: &Field, read: TokenStream) -> TokenStream {
    if field.boxed {
        quote!((#read).map(::std::boxed::Box::new))
    } else {
        read
    }
}

pub(super) fn finish_field(field: &Field) -> TokenStream {
    let name = ident(&field.rust_name);
    let slot = slot_ident(field);
    let wire = &field.wire_name;
    let value = match &field.presence {
        Presence::Optional => quote!(#slot),
        Presence::Default(default) => fill_default(field, default, quote!(#slot)),
        Presence::Required => match zero_value(&field.ty) {
            Some(Zero::Default) => quote!(#slot.unwrap_or_default()),
            Some(Zero::Value(zero)) => {
                let zero = if field.boxed { quote!(::std::boxed::Box::new(#zero)) } else { zero };
                quote!(#slot.unwrap_or_else(|| #zero))
            }
            // A variant holding a literal costs nothing to build (and clippy asks for no closure).
            Some(Zero::Literal(zero)) if !field.boxed => quote!(#slot.unwrap_or(#zero)),
            Some(Zero::Literal(zero)) => quote!(#slot.unwrap_or_else(|| ::std::boxed::Box::new(#zero))),
            Some(Zero::Read(read)) => {
                let read = if field.boxed { quote!(::std::boxed::Box::new(#read)) } else { read };
                quote! {
                    match #slot {
                        ::std::option::Option::Some(value) => value,
                        ::std::option::Option::None => #read,
                    }
                }
            }
            None => quote!(#slot.ok_or_else(|| #JSON_DESERIALIZE_ERROR::missing(#wire))?),
        },
    };
    quote! { #name: #value, }
}

/// What Smithy's client error correction fills in for a required member a response left out.
enum Zero {
    /// The type's `Default`: empty string, blob, list or map, zero, `false`, a `null` document.
    Default,
    /// This expression.
    Value(TokenStream),
    /// This expression, a constant.
    Literal(TokenStream),
    /// This expression, which may return early with `?` (reading a structure from `{}`).
    Read(TokenStream),
}

/// The value error correction gives a missing required member of this type; `None` only for a unit
/// value, which is never a structure member.
fn zero_value(ty: &Ty) -> Option<Zero> {
    Some(match &ty.kind {
        TyKind::String
        | TyKind::Bool
        | TyKind::Byte
        | TyKind::Short
        | TyKind::Integer
        | TyKind::Long
        | TyKind::Float
        | TyKind::Double
        | TyKind::Blob
        | TyKind::ByteStream
        | TyKind::Document
        | TyKind::BigInteger
        | TyKind::BigDecimal
        | TyKind::List { .. }
        | TyKind::Map { .. } => Zero::Default,
        TyKind::Timestamp(_) => Zero::Value(quote!(crate::DateTime::from_secs(0))),
        // Enums and unions get their unknown variant, as the specification says.
        TyKind::Enum(name) | TyKind::Union(name) => {
            let name = ident(name);
            Zero::Value(quote!(crate::types::#name::Unknown(::std::string::String::new())))
        }
        TyKind::IntEnum(name) => {
            let name = ident(name);
            Zero::Literal(quote!(crate::types::#name::Unknown(0)))
        }
        // A structure is read from an empty object, so its own members get their defaults and are
        // corrected in turn (the generator refuses cycles of required structure members, so this
        // ends).
        TyKind::Structure(name) => {
            let func = helper_fn("de_", name);
            Zero::Read(quote!(#func(&::serde_json::Value::Object(::serde_json::Map::new()))?))
        }
        TyKind::Unit => return None,
    })
}

/// An expression of type `Result<T, DeserializeError>` reading `value: &serde_json::Value`.
fn read_value(ty: &Ty) -> TokenStream {
    if let Some(function) = direct_reader(ty) {
        return quote!(#function(value));
    }
    match &ty.kind {
        TyKind::String => quote!(#JSON_STRING(value).map(::std::borrow::ToOwned::to_owned)),
        TyKind::Bool => quote!(#JSON_BOOLEAN(value)),
        TyKind::Byte => quote!(#JSON_INTEGER::<i8>(value)),
        TyKind::Short => quote!(#JSON_INTEGER::<i16>(value)),
        TyKind::Integer => quote!(#JSON_INTEGER::<i32>(value)),
        TyKind::Long => quote!(#JSON_INTEGER::<i64>(value)),
        TyKind::Float => quote!(#JSON_FLOAT(value).map(|v| v as f32)),
        TyKind::Double => quote!(#JSON_FLOAT(value)),
        TyKind::BigInteger => quote!(#BIG_NUMBER_READ_INTEGER(value)),
        TyKind::BigDecimal => quote!(#BIG_NUMBER_READ_DECIMAL(value)),
        TyKind::Timestamp(format) => {
            let format = match format {
                TimestampFormat::EpochSeconds => quote!(EpochSeconds),
                TimestampFormat::DateTime => quote!(DateTime),
                TimestampFormat::HttpDate => quote!(HttpDate),
            };
            quote!(#JSON_TIME_READ(value, #JSON_TIME_FORMAT::#format))
        }
        TyKind::Blob => quote!(#BLOB_READ(value)),
        // Lowering keeps streaming blobs out of JSON bodies: they are only ever a payload.
        TyKind::ByteStream => {
            quote!(::std::result::Result::<crate::ByteStream, #JSON_DESERIALIZE_ERROR>::Ok(::std::default::Default::default()))
        }
        TyKind::Document => {
            quote!(::std::result::Result::<_, #JSON_DESERIALIZE_ERROR>::Ok(value.clone()))
        }
        // A member without a value is still sent as an object (`{}`); its contents mean nothing.
        TyKind::Unit => quote!(#JSON_OBJECT(value).map(|_| ())),
        TyKind::Enum(name) => {
            let name = ident(name);
            quote!(#JSON_STRING(value).map(crate::types::#name::from))
        }
        TyKind::IntEnum(name) => {
            let name = ident(name);
            quote!(#JSON_INTEGER::<i64>(value).map(crate::types::#name::from))
        }
        TyKind::Structure(name) | TyKind::Union(name) => {
            let func = helper_fn("de_", name);
            quote!(#func(value))
        }
        TyKind::List { member, sparse } => {
            let item = reader(member);
            if *sparse {
                quote!(#JSON_SPARSE_LIST(value, #item))
            } else {
                quote!(#JSON_LIST(value, #item))
            }
        }
        TyKind::Map { value: value_ty, sparse, .. } => {
            // The key type (`String` or a model enum) converts itself from `&str`, through the
            // map's own type.
            let item = reader(value_ty);
            if *sparse {
                quote!(#JSON_SPARSE_MAP(value, #item))
            } else {
                quote!(#JSON_MAP(value, #item))
            }
        }
    }
}
