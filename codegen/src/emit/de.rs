//! Emits `src/de.rs`: awsJson response deserializers for operation outputs and modeled errors, and
//! (`rest_response`) restJson1's readers of status codes, headers and bodies.
//!
//! The readers take the body's tokens straight into the output structures (the runtime's
//! `json::JsonReader`); no tree is built. Unknown members are skipped, unknown enum values and union
//! members are kept, `null` means absent,
//! and a required member the service left out gets its zero value where one exists (Smithy's client
//! error correction), so a lenient service never breaks a caller.

use proc_macro2::{Ident, TokenStream};
use quote::{quote, ToTokens};

use super::common::{helper_fn, reachable};
use super::runtime_paths::{
    BIG_NUMBER_READ_DECIMAL, BIG_NUMBER_READ_INTEGER, BLOB_READ_JSON, JSON_BOOLEAN, JSON_DESERIALIZE_ERROR,
    JSON_DOCUMENT, JSON_FLOAT, JSON_FROM_EMPTY_OBJECT, JSON_INTEGER, JSON_LIST, JSON_MAP, JSON_OBJECT, JSON_OPTIONAL,
    JSON_READER, JSON_READ_BODY, JSON_SKIP, JSON_SPARSE_LIST, JSON_SPARSE_MAP, JSON_STRING, JSON_TEXT,
    JSON_TIME_FORMAT, JSON_TIME_READ, JSON_UNION, JSON_UNIT,
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
                #JSON_READ_BODY(body, #inner)
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
                        #pattern => { #slot = #JSON_OPTIONAL(reader, #read)?; }
                    }
                });
                let inits = s.fields.iter().map(finish_field);
                // Members left unread (unknown ones) are skipped by the runtime's `object`.
                let body = if s.fields.is_empty() {
                    quote! {
                        #JSON_OBJECT(reader, |_, _| ::std::result::Result::Ok(()))?;
                        ::std::result::Result::Ok(crate::types::#name {})
                    }
                } else {
                    quote! {
                        #(#slots)*
                        #JSON_OBJECT(reader, |reader, key| {
                            match key {
                                #(#arms)*
                                _ => {}
                            }
                            ::std::result::Result::Ok(())
                        })?;
                        ::std::result::Result::Ok(crate::types::#name { #(#inits)* })
                    }
                };
                fns.push(quote! {
                    pub(crate) fn #func(reader: &mut #JSON_READER<'_>) -> ::std::result::Result<crate::types::#name, #JSON_DESERIALIZE_ERROR> {
                        #body
                    }
                });
            }
            TypeDefKind::Union(fields) => {
                let arms = fields.iter().map(|f| {
                    let variant = ident(&f.rust_name);
                    let wire = &f.wire_name;
                    let read = boxed(f, read_value(&f.ty));
                    let read = quote!(#read?);
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
                // The runtime's `union` skips `null` members and `__type`, and checks that exactly one
                // member is set.
                fns.push(quote! {
                    pub(crate) fn #func(reader: &mut #JSON_READER<'_>) -> ::std::result::Result<crate::types::#name, #JSON_DESERIALIZE_ERROR> {
                        #JSON_UNION(reader, |reader, key| {
                            ::std::result::Result::Ok(match key {
                                #(#arms)*
                                other => crate::types::#name::Unknown(other.to_owned()),
                            })
                        })
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
        quote!(|reader| #read)
    } else {
        reader(&field.ty)
    }
}

/// A callable reading one value: the reader function itself where one exists, else a closure.
fn reader(ty: &Ty) -> TokenStream {
    match read(ty) {
        Read::Function(function) => function,
        Read::Expression(read) => quote!(|reader| #read),
    }
}

/// An expression of type `Result<T, DeserializeError>` reading one value from
/// `reader: &mut JsonReader`.
fn read_value(ty: &Ty) -> TokenStream {
    match read(ty) {
        Read::Function(function) => quote!(#function(reader)),
        Read::Expression(read) => read,
    }
}

/// How a value of some type is read.
enum Read {
    /// This function, `fn(&mut JsonReader) -> Result<T, DeserializeError>`, reads it.
    Function(TokenStream),
    /// This expression reads it from `reader`.
    Expression(TokenStream),
}

fn read(ty: &Ty) -> Read {
    Read::Function(match &ty.kind {
        TyKind::String => quote!(#JSON_STRING),
        TyKind::Enum(name) => {
            let name = ident(name);
            quote!(#JSON_TEXT::<crate::types::#name>)
        }
        TyKind::Document => quote!(#JSON_DOCUMENT),
        TyKind::Unit => quote!(#JSON_UNIT),
        TyKind::Bool => quote!(#JSON_BOOLEAN),
        TyKind::Byte => quote!(#JSON_INTEGER::<i8>),
        TyKind::Short => quote!(#JSON_INTEGER::<i16>),
        TyKind::Integer => quote!(#JSON_INTEGER::<i32>),
        TyKind::Long => quote!(#JSON_INTEGER::<i64>),
        TyKind::Double => quote!(#JSON_FLOAT),
        TyKind::BigInteger => quote!(#BIG_NUMBER_READ_INTEGER),
        TyKind::BigDecimal => quote!(#BIG_NUMBER_READ_DECIMAL),
        TyKind::Blob => quote!(#BLOB_READ_JSON),
        TyKind::Structure(name) | TyKind::Union(name) => helper_fn("de_", name).into_token_stream(),
        TyKind::Float
        | TyKind::Timestamp(_)
        | TyKind::ByteStream
        | TyKind::IntEnum(_)
        | TyKind::List { .. }
        | TyKind::Map { .. } => return Read::Expression(read_expression(ty)),
    })
}

/// The expression reading a value of one of the types that `read` gives no function of its own.
fn read_expression(ty: &Ty) -> TokenStream {
    match &ty.kind {
        TyKind::Float => quote!(#JSON_FLOAT(reader).map(|v| v as f32)),
        TyKind::Timestamp(format) => {
            let format = match format {
                TimestampFormat::EpochSeconds => quote!(EpochSeconds),
                TimestampFormat::DateTime => quote!(DateTime),
                TimestampFormat::HttpDate => quote!(HttpDate),
            };
            quote!(#JSON_TIME_READ(reader, #JSON_TIME_FORMAT::#format))
        }
        // Lowering keeps streaming blobs out of JSON bodies: they are only ever a payload.
        TyKind::ByteStream => {
            quote!(#JSON_SKIP(reader).map(|()| <crate::ByteStream as ::std::default::Default>::default()))
        }
        TyKind::IntEnum(name) => {
            let name = ident(name);
            quote!(#JSON_INTEGER::<i64>(reader).map(crate::types::#name::from))
        }
        TyKind::List { member, sparse } => {
            let item = reader(member);
            if *sparse {
                quote!(#JSON_SPARSE_LIST(reader, #item))
            } else {
                quote!(#JSON_LIST(reader, #item))
            }
        }
        TyKind::Map { value: value_ty, sparse, .. } => {
            // The key type (`String` or a model enum) converts itself from `&str`, through the
            // map's own type.
            let item = reader(value_ty);
            if *sparse {
                quote!(#JSON_SPARSE_MAP(reader, #item))
            } else {
                quote!(#JSON_MAP(reader, #item))
            }
        }
        // `read` gives every other type a function of its own and never asks for an expression.
        _ => TokenStream::new(),
    }
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
            Zero::Read(quote!(#JSON_FROM_EMPTY_OBJECT(#func)?))
        }
        TyKind::Unit => return None,
    })
}
