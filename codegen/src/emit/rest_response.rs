//! Emits the restJson1 response readers of `src/de.rs`: for each operation, one function that reads
//! a successful response's output from its status code, headers and body as the members' HTTP
//! bindings say, and one that turns an error response into the operation's error enum.
//!
//! An error's type comes from the runtime (`rest::error_metadata`: the `X-Amzn-Errortype` header,
//! else the body's `__type`, else its `code`); when a response names none, an `@httpError` status
//! that only one of the operation's errors has identifies it. Structures nested in an output or error
//! are JSON throughout and are read by the awsJson readers (`de_*`), with restJson1's `@jsonName`
//! keys. A success body is read token by token; an error's body arrives as the tree its metadata was
//! read from, and its members are read from that tree's text (errors are the cold path).

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::common::{helper_fn, named_in, stream_field};
use super::de::{field_reader, finish_field, slot_ident};
use super::runtime_paths::{
    CLIENT_RAW_RESPONSE, CLIENT_STREAMING_RESPONSE, ERROR_ERROR_METADATA, ERROR_UNHANDLED_ERROR,
    JSON_DESERIALIZE_ERROR, JSON_DOCUMENT, JSON_OBJECT, JSON_OPTIONAL, JSON_PARSE, JSON_READ_BODY, JSON_TIME_FORMAT,
    REST_HEADER_BASE64, REST_HEADER_BOOL, REST_HEADER_FLOAT, REST_HEADER_INTEGER, REST_HEADER_LIST, REST_HEADER_MAP,
    REST_HEADER_MEDIA_TYPE, REST_HEADER_STRING, REST_HEADER_TIMESTAMP, REST_HEADER_TIMESTAMP_LIST, REST_PARSE_BOOL,
    REST_PARSE_FLOAT, REST_PARSE_INTEGER, REST_PARSE_STRING, REST_PAYLOAD_TEXT, REST_PREFIX_HEADERS, REST_READ_BODY,
};
use super::tokens::{doc, ident, model_type, prefixed};
use crate::ir::{Field, HttpBinding, Operation, PayloadKind, Presence, Service, Structure, Ty, TyKind, TypeDefKind};
use crate::model::TimestampFormat;

/// The name of an operation's success reader in `de` (`http_get_thing`).
pub fn response_fn_name(op: &Operation) -> proc_macro2::Ident {
    prefixed("http_", &op.fn_name)
}

/// The name of an operation's error reader in `de` (`http_error_get_thing`).
pub fn error_fn_name(op: &Operation) -> proc_macro2::Ident {
    prefixed("http_error_", &op.fn_name)
}

/// The named types the JSON readers (`de_*`) must exist for: those the members of restJson1 outputs
/// and errors reach (the outputs and errors themselves are read here, member by member).
pub fn json_roots(service: &Service) -> Vec<String> {
    let mut roots = Vec::new();
    for op in service.operations.iter().filter(|op| op.http.is_some()) {
        for name in std::iter::once(&op.output).chain(&op.errors) {
            if let Some(TypeDefKind::Structure(s)) = service.type_def(name).map(|def| &def.kind) {
                for field in &s.fields {
                    named_in(&field.ty, &mut roots);
                }
            }
        }
    }
    roots
}

/// The response readers of every operation with an HTTP binding, and one reader per error structure
/// they can answer with.
pub fn emit(service: &Service) -> Vec<TokenStream> {
    let mut items = Vec::new();
    let mut errors = BTreeSet::new();
    // Operations often share an output structure (a resource's create, get and update); its reader is
    // generated once and the others call it.
    let mut readers: BTreeMap<&str, &Operation> = BTreeMap::new();
    for op in service.operations.iter().filter(|op| op.http.is_some()) {
        // A streaming output's reader takes the response itself, not its bytes, so it is never shared.
        let streams = stream_field(&service.structure(&op.output).fields).is_some();
        match readers.get(op.output.as_str()) {
            Some(first) if !streams => items.push(shared_response_fn(op, first)),
            _ => {
                readers.insert(&op.output, op);
                items.push(response_fn(service, op));
            }
        }
        items.push(error_dispatch_fn(service, op));
        errors.extend(op.errors.iter().filter(|name| is_error_structure(service, name)));
    }
    for name in errors {
        items.push(error_structure_fn(service, name));
    }
    items
}

fn is_error_structure(service: &Service, name: &str) -> bool {
    matches!(service.type_def(name).map(|def| &def.kind), Some(TypeDefKind::Structure(s)) if s.error.is_some())
}

/// Where a top-level structure's body comes from in the reader being generated.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    /// `response: &RawResponse` (an operation's output).
    Response,
    /// `headers` and the parsed `body: &Value` (an error).
    Error,
}

fn response_fn(service: &Service, op: &Operation) -> TokenStream {
    let output = service.structure(&op.output);
    let name = response_fn_name(op);
    let output_type = model_type(&op.output);
    let body = read_structure(output, &op.output, Source::Response);
    let response = if output.fields.is_empty() { quote!(_response) } else { quote!(response) };
    if stream_field(&output.fields).is_some() {
        // The body is moved into the output unread; the response keeps its head for error reports.
        let doc_line = doc(&format!(
            "Reads the output of a successful `{}` response from its head, taking its body as the output's stream.",
            op.name
        ));
        return quote! {
            #doc_line
            pub(crate) fn #name(response: &mut #CLIENT_STREAMING_RESPONSE) -> ::std::result::Result<#output_type, #JSON_DESERIALIZE_ERROR> {
                #body
            }
        };
    }
    let doc_line = doc(&format!("Reads the output of a successful `{}` response.", op.name));
    quote! {
        #doc_line
        pub(crate) fn #name(#response: &#CLIENT_RAW_RESPONSE) -> ::std::result::Result<#output_type, #JSON_DESERIALIZE_ERROR> {
            #body
        }
    }
}

/// The success reader of an operation whose output structure `first` already reads: a call to
/// `first`'s reader, which reads the same members from the same places.
fn shared_response_fn(op: &Operation, first: &Operation) -> TokenStream {
    let name = response_fn_name(op);
    let shared = response_fn_name(first);
    let output_type = model_type(&op.output);
    let doc_line = doc(&format!(
        "Reads the output of a successful `{}` response, as `{}`'s, which has the same output.",
        op.name, first.name
    ));
    quote! {
        #doc_line
        pub(crate) fn #name(response: &#CLIENT_RAW_RESPONSE) -> ::std::result::Result<#output_type, #JSON_DESERIALIZE_ERROR> {
            #shared(response)
        }
    }
}

fn error_structure_fn(service: &Service, name: &str) -> TokenStream {
    let structure = service.structure(name);
    let func = helper_fn("http_de_", name);
    let error_type = model_type(name);
    let body = read_structure(structure, name, Source::Error);
    let uses_headers = structure.fields.iter().any(|f| reads_headers(&f.http));
    let headers = if uses_headers { quote!(headers) } else { quote!(_headers) };
    let status = if structure.fields.iter().any(|f| matches!(f.http, HttpBinding::ResponseCode)) {
        quote!(status)
    } else {
        quote!(_status)
    };
    quote! {
        fn #func(
            #status: ::std::option::Option<u16>,
            #headers: &#REST_HEADER_MAP,
            body: &[u8],
        ) -> ::std::result::Result<#error_type, #JSON_DESERIALIZE_ERROR> {
            #body
        }
    }
}

fn reads_headers(binding: &HttpBinding) -> bool {
    matches!(binding, HttpBinding::Header { .. } | HttpBinding::PrefixHeaders { .. })
}

/// The body of a reader: the members from wherever their bindings put them, then the structure.
fn read_structure(structure: &Structure, name: &str, source: Source) -> TokenStream {
    let type_name = ident(name);
    let is_error = structure.error.is_some();
    let body_fields: Vec<&Field> = structure.fields.iter().filter(|f| f.http.is_body()).collect();
    let mut steps = Vec::new();
    let (headers, bytes) = match source {
        Source::Response => (quote!(&response.headers), quote!(response.body)),
        Source::Error => (quote!(headers), TokenStream::new()),
    };
    if !body_fields.is_empty() {
        let slots = body_fields.iter().map(|f| {
            let slot = slot_ident(f);
            let ty = super::tokens::boxed_type(f);
            quote! { let mut #slot: ::std::option::Option<#ty> = ::std::option::Option::None; }
        });
        let arms = body_fields.iter().map(|f| {
            let slot = slot_ident(f);
            let wire = &f.wire_name;
            let read = field_reader(f);
            let pattern = if is_error && wire == "message" { quote!("message" | "Message") } else { quote!(#wire) };
            quote! { #pattern => { #slot = #JSON_OPTIONAL(reader, #read)?; } }
        });
        let read_members = quote! {
            |reader, key| {
                match key {
                    #(#arms)*
                    _ => {}
                }
                ::std::result::Result::Ok(())
            }
        };
        let read = match source {
            Source::Response => quote!(#REST_READ_BODY(&#bytes, #read_members)?;),
            Source::Error => quote!(#JSON_READ_BODY(body, |reader| #JSON_OBJECT(reader, #read_members))?;),
        };
        steps.push(quote! {
            #(#slots)*
            #read
        });
    } else if source == Source::Error {
        steps.push(quote! { let _ = body; });
    }
    for field in structure.fields.iter().filter(|f| !f.http.is_body()) {
        let slot = slot_ident(field);
        let value = match &field.http {
            HttpBinding::Header { name, timestamp_format, base64 } => {
                let read = header_value(&field.ty, &headers, name, *timestamp_format, *base64);
                quote!(#read?)
            }
            HttpBinding::PrefixHeaders { prefix } => {
                let map = super::tokens::rust_type(&field.ty);
                quote! {{
                    let map: #map = #REST_PREFIX_HEADERS(#headers, #prefix)?;
                    (!map.is_empty()).then_some(map)
                }}
            }
            HttpBinding::ResponseCode => {
                let rust = super::tokens::rust_type(&field.ty);
                match source {
                    // A success always has a status: the member is set directly (see `inits`).
                    Source::Response => continue,
                    Source::Error => quote!(status.map(#rust::from)),
                }
            }
            // A stream is the body itself, set directly (see `inits`).
            HttpBinding::Payload { .. } if is_stream(field, source) => continue,
            HttpBinding::Payload { kind, .. } => payload_value(field, *kind, source, &bytes),
            // Request-only bindings cannot occur in a response; the member stays unset.
            HttpBinding::Label { .. } | HttpBinding::Query { .. } | HttpBinding::QueryParams | HttpBinding::Body => {
                quote!(::std::option::Option::None)
            }
        };
        let ty = super::tokens::boxed_type(field);
        steps.push(quote! { let #slot: ::std::option::Option<#ty> = #value; });
    }
    let inits = structure.fields.iter().map(|field| match (&field.http, source) {
        (HttpBinding::ResponseCode, Source::Response) => {
            let (name, rust) = (ident(&field.rust_name), super::tokens::rust_type(&field.ty));
            match field.presence {
                Presence::Optional => quote! { #name: ::std::option::Option::Some(#rust::from(response.status)), },
                Presence::Required | Presence::Default(_) => quote! { #name: #rust::from(response.status), },
            }
        }
        // The stream is the output's whatever its length; the caller reads it.
        _ if is_stream(field, source) => {
            let name = ident(&field.rust_name);
            let body = quote!(::std::mem::take(&mut response.body));
            match field.presence {
                Presence::Optional => quote! { #name: ::std::option::Option::Some(#body), },
                Presence::Required | Presence::Default(_) => quote! { #name: #body, },
            }
        }
        _ => finish_field(field),
    });
    quote! {
        #(#steps)*
        ::std::result::Result::Ok(crate::types::#type_name { #(#inits)* })
    }
}

/// Whether the field is an output's streaming payload, taken from the response unread.
fn is_stream(field: &Field, source: Source) -> bool {
    source == Source::Response && matches!(field.ty.kind, TyKind::ByteStream)
}

/// `Result<Option<T>, DeserializeError>`: a header member's value.
fn header_value(ty: &Ty, headers: &TokenStream, name: &str, format: TimestampFormat, base64: bool) -> TokenStream {
    let format_tokens = time_format(format);
    match &ty.kind {
        TyKind::String if base64 => quote!(#REST_HEADER_MEDIA_TYPE(#headers, #name)),
        TyKind::String => quote!(#REST_HEADER_STRING(#headers, #name)),
        TyKind::Enum(enum_name) => {
            let enum_type = model_type(enum_name);
            quote!(#REST_HEADER_STRING(#headers, #name).map(|v| v.map(|v| #enum_type::from(v.as_str()))))
        }
        TyKind::Bool => quote!(#REST_HEADER_BOOL(#headers, #name)),
        TyKind::Byte => quote!(#REST_HEADER_INTEGER::<i8>(#headers, #name)),
        TyKind::Short => quote!(#REST_HEADER_INTEGER::<i16>(#headers, #name)),
        TyKind::Integer => quote!(#REST_HEADER_INTEGER::<i32>(#headers, #name)),
        TyKind::Long => quote!(#REST_HEADER_INTEGER::<i64>(#headers, #name)),
        TyKind::BigInteger => quote!(#REST_HEADER_INTEGER::<crate::BigInteger>(#headers, #name)),
        TyKind::BigDecimal => quote!(#REST_HEADER_INTEGER::<crate::BigDecimal>(#headers, #name)),
        TyKind::IntEnum(enum_name) => {
            let enum_type = model_type(enum_name);
            quote!(#REST_HEADER_INTEGER::<i64>(#headers, #name).map(|v| v.map(#enum_type::from)))
        }
        TyKind::Float => quote!(#REST_HEADER_FLOAT(#headers, #name).map(|v| v.map(|v| v as f32))),
        TyKind::Double => quote!(#REST_HEADER_FLOAT(#headers, #name)),
        TyKind::Timestamp(_) => quote!(#REST_HEADER_TIMESTAMP(#headers, #name, #format_tokens)),
        TyKind::Blob => quote!(#REST_HEADER_BASE64(#headers, #name).map(|v| v.map(crate::Blob::new))),
        TyKind::List { member, .. } if matches!(member.kind, TyKind::Timestamp(_)) => {
            quote!(#REST_HEADER_TIMESTAMP_LIST(#headers, #name, #format_tokens))
        }
        TyKind::List { member, sparse } => {
            let parse = item_parser(member);
            let list = quote!(#REST_HEADER_LIST(#headers, #name, #parse));
            if *sparse {
                quote!(#list.map(|v| v.map(|items| items.into_iter().map(::std::option::Option::Some).collect())))
            } else {
                list
            }
        }
        // Smithy allows no other header types; such a member reads as absent.
        TyKind::ByteStream
        | TyKind::Document
        | TyKind::Unit
        | TyKind::Structure(_)
        | TyKind::Union(_)
        | TyKind::Map { .. } => {
            quote!(::std::result::Result::<_, #JSON_DESERIALIZE_ERROR>::Ok(::std::option::Option::None))
        }
    }
}

/// A `fn(&str) -> Result<T, DeserializeError>` reading one item of a header list.
fn item_parser(ty: &Ty) -> TokenStream {
    match &ty.kind {
        TyKind::Bool => quote!(#REST_PARSE_BOOL),
        TyKind::Byte => quote!(#REST_PARSE_INTEGER::<i8>),
        TyKind::Short => quote!(#REST_PARSE_INTEGER::<i16>),
        TyKind::Integer => quote!(#REST_PARSE_INTEGER::<i32>),
        TyKind::Long => quote!(#REST_PARSE_INTEGER::<i64>),
        TyKind::Double => quote!(#REST_PARSE_FLOAT),
        TyKind::Float => quote!(|text: &str| #REST_PARSE_FLOAT(text).map(|v| v as f32)),
        TyKind::Enum(name) => {
            let enum_type = model_type(name);
            quote!(|text: &str| ::std::result::Result::Ok(#enum_type::from(text)))
        }
        TyKind::IntEnum(name) => {
            let enum_type = model_type(name);
            quote!(|text: &str| #REST_PARSE_INTEGER::<i64>(text).map(#enum_type::from))
        }
        _ => quote!(#REST_PARSE_STRING),
    }
}

fn time_format(format: TimestampFormat) -> TokenStream {
    match format {
        TimestampFormat::EpochSeconds => quote!(#JSON_TIME_FORMAT::EpochSeconds),
        TimestampFormat::DateTime => quote!(#JSON_TIME_FORMAT::DateTime),
        TimestampFormat::HttpDate => quote!(#JSON_TIME_FORMAT::HttpDate),
    }
}

/// `Option<T>`: the payload member, `None` when the body is empty. In an error, whose body is already
/// parsed JSON, only a structure or document payload can be read.
fn payload_value(field: &Field, kind: PayloadKind, source: Source, bytes: &TokenStream) -> TokenStream {
    let boxed = |value: TokenStream| if field.boxed { quote!(::std::boxed::Box::new(#value)) } else { value };
    if source == Source::Error {
        return match (&field.ty.kind, kind) {
            (TyKind::Structure(name) | TyKind::Union(name), _) => {
                let read = helper_fn("de_", name);
                let value = boxed(quote!(#JSON_READ_BODY(body, #read)?));
                quote!(::std::option::Option::Some(#value))
            }
            (_, PayloadKind::Document) => quote!(::std::option::Option::Some(#JSON_READ_BODY(body, #JSON_DOCUMENT)?)),
            _ => quote!(::std::option::Option::None),
        };
    }
    let value = match (&field.ty.kind, kind) {
        (TyKind::Structure(name) | TyKind::Union(name), _) => {
            let read = helper_fn("de_", name);
            quote!(#JSON_READ_BODY(&#bytes, #read)?)
        }
        (_, PayloadKind::Document) => quote!(#JSON_PARSE(&#bytes)?),
        (TyKind::Enum(name), _) => {
            let enum_type = model_type(name);
            quote!(#enum_type::from(#REST_PAYLOAD_TEXT(&#bytes)?.as_str()))
        }
        (TyKind::String, _) => quote!(#REST_PAYLOAD_TEXT(&#bytes)?),
        (TyKind::Blob, _) => quote!(crate::Blob::new(#bytes.clone())),
        _ => return quote!(::std::option::Option::None),
    };
    let value = boxed(value);
    quote! {
        if #bytes.is_empty() {
            ::std::option::Option::None
        } else {
            ::std::option::Option::Some(#value)
        }
    }
}

/// The error reader of one operation: the modeled error the response names, or `Unhandled`.
///
/// A status names the type when the response names none, so there is one `match` on the type; each
/// arm is one expression that yields the error when its structure reads, and one `unwrap_or_else` at
/// the end turns every other case into `Unhandled`. An API with a hundred operations of six errors
/// each then generates a few lines per error instead of a nested `match` per error and per status.
fn error_dispatch_fn(service: &Service, op: &Operation) -> TokenStream {
    let func = error_fn_name(op);
    let enum_name = ident(&op.error_name);
    let unhandled = quote!(crate::error::#enum_name::Unhandled(#ERROR_UNHANDLED_ERROR::new(meta.clone())));
    let mut arms = Vec::new();
    // Statuses of `@httpError`, with the codes of the errors that have each; one with a single error
    // identifies it.
    let mut by_status: BTreeMap<u16, Vec<&str>> = BTreeMap::new();
    let read = |error: &str| {
        let variant = ident(error);
        let reader = helper_fn("http_de_", error);
        quote!(#reader(meta.status(), headers, body).map(crate::error::#enum_name::#variant).ok())
    };
    for error in op.errors.iter().filter(|name| is_error_structure(service, name)) {
        let structure = service.structure(error);
        let Some(info) = &structure.error else { continue };
        let code = info.code.as_str();
        let value = read(error);
        arms.push(quote! { ::std::option::Option::Some(#code) => #value, });
        if let Some(status) = info.http_status {
            by_status.entry(status).or_default().push(code);
        }
    }
    let status_arms: Vec<TokenStream> = by_status
        .iter()
        .filter(|(_, codes)| codes.len() == 1)
        .map(|(status, codes)| {
            let (status, code) = (Literal::u16_unsuffixed(*status), codes[0]);
            quote! { ::std::option::Option::Some(#status) => ::std::option::Option::Some(#code), }
        })
        .collect();
    let doc_line = doc(&format!("Reads an error response to `{}`.", op.name));
    let uses_inputs = !arms.is_empty();
    let (headers, body) = if uses_inputs { (quote!(headers), quote!(body)) } else { (quote!(_headers), quote!(_body)) };
    let by_code = if arms.is_empty() {
        unhandled
    } else {
        let code = if status_arms.is_empty() {
            quote!(let code = meta.code();)
        } else {
            // No type named: an `@httpError` status only one of the errors has names it.
            quote! {
                let code = meta.code().or_else(|| match meta.status() {
                    #(#status_arms)*
                    _ => ::std::option::Option::None,
                });
            }
        };
        // A type the operation does not know, or an error body that does not read as its structure,
        // is `Unhandled` with the response's metadata.
        quote! {
            #code
            let error = match code {
                #(#arms)*
                _ => ::std::option::Option::None,
            };
            error.unwrap_or_else(|| #unhandled)
        }
    };
    quote! {
        #doc_line
        pub(crate) fn #func(
            meta: &#ERROR_ERROR_METADATA,
            #headers: &#REST_HEADER_MAP,
            #body: &[u8],
        ) -> crate::error::#enum_name {
            #by_code
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service() -> Service {
        let error = |status: u16| {
            format!(
                r#"{{"type":"structure","members":{{}},"traits":{{"smithy.api#error":"client","smithy.api#httpError":{status}}}}}"#
            )
        };
        let text = format!(
            r#"{{"smithy":"2.0","shapes":{{
            "ex#Svc":{{"type":"service","version":"1","operations":[{{"target":"ex#GetThing"}}],
                      "traits":{{"aws.protocols#restJson1":{{}}}}}},
            "ex#GetThing":{{"type":"operation","output":{{"target":"ex#Out"}},
                      "errors":[{{"target":"ex#Gone"}},{{"target":"ex#Missing"}},{{"target":"ex#Clash"}}],
                      "traits":{{"smithy.api#http":{{"method":"GET","uri":"/things"}}}}}},
            "ex#Out":{{"type":"structure","members":{{
                "when":{{"target":"ex#Dates","traits":{{"smithy.api#httpHeader":"X-When"}}}},
                "code":{{"target":"smithy.api#Integer","traits":{{"smithy.api#httpResponseCode":{{}}}}}},
                "rest":{{"target":"smithy.api#String"}}}}}},
            "ex#Dates":{{"type":"list","member":{{"target":"smithy.api#Timestamp"}}}},
            "ex#Gone":{},"ex#Missing":{},"ex#Clash":{}}}}}"#,
            error(404),
            error(404),
            error(409)
        );
        let model = crate::model::load_slice("test.json", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let selection = crate::Selection { crate_name: "test".into(), ..crate::Selection::default() };
        crate::ir::lower(&model, &selection).unwrap_or_else(|e| panic!("{e}"))
    }

    fn squeeze(tokens: TokenStream) -> String {
        tokens.to_string().replace(' ', "")
    }

    #[test]
    fn a_status_names_an_error_only_when_one_error_has_it() {
        let service = service();
        let dispatch = squeeze(error_dispatch_fn(&service, &service.operations[0]));
        for code in ["Gone", "Missing", "Clash"] {
            assert!(dispatch.contains(&format!("Some(\"{code}\")=>")), "{dispatch}");
        }
        // 409 is `Clash`'s alone; 404 is shared, so it names neither.
        assert!(dispatch.contains("Some(409)=>::std::option::Option::Some(\"Clash\")"), "{dispatch}");
        assert!(!dispatch.contains("Some(404)"), "{dispatch}");
    }

    #[test]
    fn operations_with_one_output_share_its_reader() {
        let text = r#"{"smithy":"2.0","shapes":{
            "ex#Svc":{"type":"service","version":"1","operations":[{"target":"ex#GetThing"},{"target":"ex#PutThing"}],
                      "traits":{"aws.protocols#restJson1":{}}},
            "ex#GetThing":{"type":"operation","output":{"target":"ex#Thing"},
                      "traits":{"smithy.api#http":{"method":"GET","uri":"/thing"}}},
            "ex#PutThing":{"type":"operation","output":{"target":"ex#Thing"},
                      "traits":{"smithy.api#http":{"method":"PUT","uri":"/thing"}}},
            "ex#Thing":{"type":"structure","members":{"name":{"target":"smithy.api#String"}}}}}"#;
        let model = crate::model::load_slice("test.json", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let selection = crate::Selection { crate_name: "test".into(), ..crate::Selection::default() };
        let service = crate::ir::lower(&model, &selection).unwrap_or_else(|e| panic!("{e}"));
        let items: Vec<String> = emit(&service).into_iter().map(squeeze).collect();
        let reader = |name: &str| {
            let signature = format!("fn{name}(response:");
            items.iter().find(|item| item.contains(&signature)).unwrap_or_else(|| panic!("no {name} in {items:?}"))
        };
        assert!(reader("http_get_thing").contains("\"name\"=>"), "{items:?}");
        assert!(reader("http_put_thing").contains("{http_get_thing(response)}"), "{items:?}");
    }

    #[test]
    fn outputs_read_each_member_from_where_it_is_bound() {
        let service = service();
        let reader = squeeze(response_fn(&service, &service.operations[0]));
        // An HTTP-date list header is split at every second comma; the status is the response code;
        // the rest comes from the JSON body.
        let http_date = squeeze(quote!(#JSON_TIME_FORMAT::HttpDate));
        let list = format!("rest::header_timestamp_list(&response.headers,\"X-When\",{http_date})?");
        assert!(reader.contains(&list), "{reader}");
        assert!(reader.contains("code:::std::option::Option::Some(i32::from(response.status))"), "{reader}");
        assert!(reader.contains("rest::read_body(&response.body,"), "{reader}");
        assert!(reader.contains("\"rest\"=>{"), "{reader}");
        assert!(
            !reader.contains("\"when\"=>") && !reader.contains("\"code\"=>"),
            "bound members are not read from the body: {reader}"
        );
    }
}
