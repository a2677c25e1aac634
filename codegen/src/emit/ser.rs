//! Emits `src/ser.rs`: awsJson request bodies for every operation input and what it contains.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::common::{helper_fn, payload, reachable};
use super::runtime_paths::{BLOB_WRITE, JSON_JSON_OBJECT_WRITER, JSON_TIME_FORMAT, JSON_TIME_WRITE};
use super::tokens::{allow_deprecated, doc, ident, prefixed};
use super::RustFile;
use crate::ir::{Field, Presence, Service, Ty, TyKind, TypeDefKind};
use crate::model::TimestampFormat;

/// The whole `ser` module.
pub fn emit(service: &Service) -> RustFile {
    // An awsJson input is written whole; of a restJson1 input, only what goes in its body (its
    // body members or its payload: `rest_request` writes the input's own object itself).
    let mut inputs: Vec<String> = Vec::new();
    for op in &service.operations {
        match &op.http {
            None => inputs.push(op.input.clone()),
            Some(_) => {
                for field in service.structure(&op.input).fields.iter() {
                    if field.http.is_body() || matches!(field.http, crate::ir::HttpBinding::Payload { .. }) {
                        super::common::named_in(&field.ty, &mut inputs);
                    }
                }
            }
        }
    }
    let needed = reachable(service, inputs.iter().cloned());
    // The command-line tool (feature `cli`) also prints outputs; what only it needs is compiled only with it.
    let outputs = service.operations.iter().map(|op| op.output.clone());
    let cli_only: std::collections::BTreeSet<String> =
        reachable(service, outputs).difference(&needed).cloned().collect();
    let mut fns = Vec::new();
    // Models may share one input structure between operations; it gets one `to_json_body`.
    let mut with_method = std::collections::BTreeSet::new();
    if service.operations.iter().any(|op| op.http.is_some()) {
        fns.extend(super::rest_request::emit(service));
    }
    for op in &service.operations {
        let input = ident(&op.input);
        let entry = prefixed("body_", &op.fn_name);
        let inner = helper_fn("ser_", &op.input);
        let doc_line = doc(&format!("The JSON body of a `{}` request.", op.name));
        let capacity = Literal::usize_unsuffixed(body_size_estimate(service, &op.input, 0));
        // A restJson1 input's JSON is only part of its request: `rest_request` builds the whole.
        let awsjson = op.http.is_none();
        if awsjson {
            fns.push(quote! {
            #doc_line
            pub(crate) fn #entry(input: &crate::types::#input) -> String {
                let mut out = String::with_capacity(#capacity);
                let mut object = #JSON_JSON_OBJECT_WRITER::new(&mut out);
                #inner(input, &mut object);
                object.finish();
                out
            }
            });
        }
        let output = ident(&op.output);
        let print = prefixed("output_", &op.fn_name);
        let inner_output = helper_fn("ser_", &op.output);
        let doc_line = doc(&format!("The JSON the command-line tool prints for a `{}` response.", op.name));
        fns.push(quote! {
            #[cfg(feature = "cli")]
            #doc_line
            pub(crate) fn #print(output: &crate::types::#output) -> String {
                let mut out = String::with_capacity(64);
                let mut object = #JSON_JSON_OBJECT_WRITER::new(&mut out);
                #inner_output(output, &mut object);
                object.finish();
                out
            }
        });
        if awsjson && with_method.insert(&op.input) {
            fns.push(quote! {
                impl crate::types::#input {
                    /// The awsJson request body the client sends for this input, exactly as signed.
                    ///
                    /// For logging, for tests, or for sending through an HTTP stack of your own. It does not
                    /// validate: call [`Validate::validate`](crate::Validate::validate) first if the input
                    /// was not built by a builder.
                    pub fn to_json_body(&self) -> String {
                        #entry(self)
                    }
                }
            });
        }
    }
    for def in &service.types {
        let gate = if needed.contains(&def.name) {
            TokenStream::new()
        } else if cli_only.contains(&def.name) {
            quote!(#[cfg(feature = "cli")])
        } else {
            continue;
        };
        let name = ident(&def.name);
        let func = helper_fn("ser_", &def.name);
        match &def.kind {
            TypeDefKind::Structure(s) => {
                let members: Vec<TokenStream> = s.fields.iter().map(structure_member).collect();
                let value = if s.fields.is_empty() { quote!(_value) } else { quote!(value) };
                let object = if s.fields.is_empty() { quote!(_object) } else { quote!(object) };
                fns.push(quote! {
                    #gate
                    pub(crate) fn #func(#value: &crate::types::#name, #object: &mut #JSON_JSON_OBJECT_WRITER<'_>) {
                        #(#members)*
                    }
                });
            }
            TypeDefKind::Union(fields) => {
                // Validation rejects unknown members before a request is serialized, so they write nothing.
                let arms = fields.iter().map(|f| {
                    let variant = ident(&f.rust_name);
                    let wire = &f.wire_name;
                    let write = write_value(&f.ty, quote!(value), quote!(object.key(#wire)));
                    let payload = payload(f, quote!(value));
                    quote! { crate::types::#name::#variant #payload => { #write } }
                });
                fns.push(quote! {
                    #gate
                    pub(crate) fn #func(value: &crate::types::#name, object: &mut #JSON_JSON_OBJECT_WRITER<'_>) {
                        match value {
                            #(#arms)*
                            crate::types::#name::Unknown(_) => {}
                        }
                    }
                });
            }
            TypeDefKind::Enum(_) | TypeDefKind::IntEnum(_) => {}
        }
    }
    let allow_deprecated = allow_deprecated(service);
    RustFile {
        attrs: if service.protocol == crate::model::Protocol::RestJson1 {
            quote! {
                //! restJson1 requests: each operation's path, query, headers and body from its input, and
                //! the JSON serializers of what goes in bodies (absent optional members left out).
                #allow_deprecated
            }
        } else {
            quote! {
                //! awsJson request serializers: wire member names, absent optional members left out.
                #allow_deprecated
            }
        },
        items: fns,
    }
}

/// A rough size in bytes of a structure's JSON with every member set, so that a request body is
/// usually written without growing its buffer (each growth copies what was written so far).
/// Strings are guessed at 40 bytes and lists and maps at 64; nesting deeper than four levels is
/// guessed at 64 too. The result stays between 64 bytes and 4 KiB.
fn body_size_estimate(service: &crate::ir::Service, structure: &str, depth: usize) -> usize {
    let Some(TypeDefKind::Structure(s)) = service.types.iter().find(|d| d.name == structure).map(|d| &d.kind) else {
        return 64;
    };
    let value_size = |ty: &Ty| match &ty.kind {
        TyKind::Bool => 5,
        TyKind::Byte | TyKind::Short | TyKind::Integer | TyKind::Long | TyKind::IntEnum(_) => 12,
        TyKind::Float | TyKind::Double | TyKind::BigInteger | TyKind::BigDecimal => 24,
        TyKind::Timestamp(_) => 26,
        TyKind::String | TyKind::Enum(_) => 40,
        TyKind::Structure(name) if depth < 4 => body_size_estimate(service, name, depth + 1),
        _ => 64,
    };
    let members: usize = s.fields.iter().map(|f| f.wire_name.len() + 4 + value_size(&f.ty)).sum();
    (members + 2).clamp(64, 4096)
}

/// The statements writing one member of the structure `value` into `object` (left out when unset).
pub(super) fn structure_member(field: &Field) -> TokenStream {
    if matches!(field.ty.kind, TyKind::ByteStream) {
        // A streaming body is no JSON member: the command-line tool writes it to its `outfile`.
        return TokenStream::new();
    }
    let name = ident(&field.rust_name);
    let wire = &field.wire_name;
    match &field.presence {
        Presence::Optional => {
            let write = write_value(&field.ty, quote!(value), quote!(object.key(#wire)));
            quote! { if let Some(value) = &value.#name { #write } }
        }
        Presence::Required => {
            let write = write_value(&field.ty, quote!(value), quote!(object.key(#wire)));
            quote! { { let value = &value.#name; #write } }
        }
        // Smithy asks that a member with a default be sent whenever the structure is: a nested member
        // the caller left out carries the default the builder filled in, and a value equal to the
        // default is sent like any other. (An operation input's members with defaults that are not
        // also `@required` are `Optional`, so those the caller did not set stay out.)
        Presence::Default(_) => {
            let write = write_value(&field.ty, quote!(value), quote!(object.key(#wire)));
            quote! { { let value = &value.#name; #write } }
        }
    }
}

/// Statements writing `value` (an expression of type `&T`) with `writer` (a `JsonValueWriter` expression).
fn write_value(ty: &Ty, value: TokenStream, writer: TokenStream) -> TokenStream {
    match &ty.kind {
        TyKind::String => quote! { #writer.string(#value); },
        TyKind::Bool => quote! { #writer.boolean(*#value); },
        TyKind::Byte | TyKind::Short | TyKind::Integer => quote! { #writer.integer(i64::from(*#value)); },
        TyKind::Long => quote! { #writer.integer(*#value); },
        TyKind::Float => quote! { #writer.float(f64::from(*#value)); },
        TyKind::Double => quote! { #writer.float(*#value); },
        TyKind::BigInteger | TyKind::BigDecimal => quote! { #writer.raw_number(#value.as_str()); },
        TyKind::Timestamp(format) => {
            let format = match format {
                TimestampFormat::EpochSeconds => quote!(EpochSeconds),
                TimestampFormat::DateTime => quote!(DateTime),
                TimestampFormat::HttpDate => quote!(HttpDate),
            };
            quote! { #JSON_TIME_WRITE(#value, #JSON_TIME_FORMAT::#format, #writer); }
        }
        TyKind::Blob => quote! { #BLOB_WRITE(#value, #writer); },
        // Lowering keeps streaming blobs out of JSON bodies: they are only ever a payload.
        TyKind::ByteStream => quote! { #writer.null(); },
        TyKind::Document => quote! { #writer.value(#value); },
        TyKind::Unit => quote! { #writer.object().finish(); },
        TyKind::Enum(_) => quote! { #writer.string(#value.as_str()); },
        TyKind::IntEnum(_) => quote! { #writer.integer(#value.as_i64()); },
        TyKind::Structure(name) | TyKind::Union(name) => {
            let func = helper_fn("ser_", name);
            quote! {
                let mut object = #writer.object();
                #func(#value, &mut object);
                object.finish();
            }
        }
        TyKind::List { member, sparse } => {
            let item = write_value(member, quote!(item), quote!(array.value()));
            let item = if *sparse {
                quote! {
                    match item {
                        Some(item) => { #item }
                        None => array.value().null(),
                    }
                }
            } else {
                item
            };
            quote! {
                let mut array = #writer.array();
                for item in #value.iter() { #item }
                array.finish();
            }
        }
        TyKind::Map { value: value_ty, sparse, .. } => {
            let item = write_value(value_ty, quote!(item), quote!(object.key(key.as_str())));
            let item = if *sparse {
                quote! {
                    match item {
                        Some(item) => { #item }
                        None => object.key(key.as_str()).null(),
                    }
                }
            } else {
                item
            };
            quote! {
                let mut object = #writer.object();
                for (key, item) in #value.iter() { #item }
                object.finish();
            }
        }
    }
}
