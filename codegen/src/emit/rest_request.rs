//! Emits the restJson1 request builders of `src/ser.rs`: for each operation, one function that puts
//! the input's members where their HTTP bindings say (path labels, query, headers, payload or JSON
//! body) and hands the call its method, path, query and headers, with the body beside it.
//!
//! Everything that can make a request unsendable is found here, before anything is sent, and
//! reported as validation violations naming the member: an empty label (it would change the path),
//! and a header name or value HTTP cannot carry.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::common::{helper_fn, stream_field};
use super::runtime_paths::{
    BYTE_STREAM_BYTE_STREAM, CLIENT_CALL, JSON_JSON_OBJECT_WRITER, REST_ENCODE_MEDIA_TYPE, REST_JOIN_HEADER_LIST,
    REST_URI_BUILDER, VALIDATE_VALIDATION_ERROR, VALIDATE_VIOLATION, VALIDATE_VIOLATION_KIND,
};
use super::ser::structure_member;
use super::tokens::{doc, ident, prefixed};
use crate::ir::{
    Field, HttpBinding, HttpOperation, Operation, PathSegment, PayloadKind, Presence, Service, Ty, TyKind,
};
use crate::model::TimestampFormat;

/// The request builders of every operation with an HTTP binding, and the helpers they share.
pub fn emit(service: &Service) -> Vec<TokenStream> {
    let mut items = Vec::new();
    let float_outside_body = service.operations.iter().filter(|op| op.http.is_some()).any(|op| {
        service.structure(&op.input).fields.iter().any(|f| {
            let item = match &f.ty.kind {
                TyKind::List { member, .. } => &member.kind,
                kind => kind,
            };
            !f.http.is_body() && matches!(item, TyKind::Float | TyKind::Double)
        })
    });
    if float_outside_body {
        items.push(float_text());
    }
    for op in &service.operations {
        if let Some(http) = &op.http {
            items.push(request_fn(service, op, http));
        }
    }
    items
}

/// The name of an operation's request builder in `ser` (`http_get_thing`).
pub fn request_fn_name(op: &Operation) -> proc_macro2::Ident {
    prefixed("http_", &op.fn_name)
}

/// Numbers outside the body are text; floats spell their special values as Smithy does.
fn float_text() -> TokenStream {
    quote! {
        /// A float as restJson1 writes it outside the body: `NaN`, `Infinity`, `-Infinity`, or the
        /// shortest text that reads back as the same value.
        fn float_text<F: ::std::fmt::Display + ::std::convert::Into<f64> + Copy>(value: F) -> ::std::string::String {
            let wide: f64 = value.into();
            if wide.is_nan() {
                "NaN".to_string()
            } else if wide.is_infinite() {
                if wide > 0.0 { "Infinity".to_string() } else { "-Infinity".to_string() }
            } else {
                value.to_string()
            }
        }
    }
}

fn request_fn(service: &Service, op: &Operation, http: &HttpOperation) -> TokenStream {
    let input_name = ident(&op.input);
    let fn_name = request_fn_name(op);
    let fields = &service.structure(&op.input).fields;
    let field = |member: &str| fields.iter().find(|f| f.member_name == member);
    let method = &http.method;

    // The path: literal text merged, each label filled from its member.
    let mut path = Vec::new();
    let mut literal = String::new();
    for segment in &http.uri.segments {
        literal.push('/');
        match segment {
            PathSegment::Literal(text) => literal.push_str(text),
            PathSegment::Label { member_name, greedy } => {
                path.push(quote!(uri.push_literal(#literal);));
                literal.clear();
                // Lowering checked that every label names an `@httpLabel` member.
                let Some(field) = field(member_name) else { continue };
                path.push(label(field, *greedy));
            }
        }
    }
    if http.uri.segments.is_empty() {
        literal.push('/');
    }
    if !literal.is_empty() {
        path.push(quote!(uri.push_literal(#literal);));
    }
    let constant_query: Vec<String> = http
        .uri
        .query
        .iter()
        .map(|q| match &q.value {
            Some(value) => format!("{}={value}", q.name),
            None => q.name.clone(),
        })
        .collect();
    let constant_query = (!constant_query.is_empty()).then(|| {
        let text = constant_query.join("&");
        quote!(uri.push_constant_query(#text);)
    });
    // `@httpQuery` members first: the builder then skips a query-params entry of the same name.
    let queries = fields.iter().filter_map(|f| match &f.http {
        HttpBinding::Query { name, timestamp_format } => Some(query(f, name, *timestamp_format)),
        _ => None,
    });
    let query_params = fields.iter().filter(|f| f.http == HttpBinding::QueryParams).map(query_params);
    // `@httpHeader` members first: a prefix-headers entry of a name one of them set is left out.
    let header_names: Vec<String> = fields
        .iter()
        .filter_map(|f| match &f.http {
            HttpBinding::Header { name, .. } => Some(name.to_ascii_lowercase()),
            _ => None,
        })
        .collect();
    let headers = fields.iter().filter_map(|f| match &f.http {
        HttpBinding::Header { name, timestamp_format, base64 } => Some(header(f, name, *timestamp_format, *base64)),
        _ => None,
    });
    let prefix_headers = fields.iter().filter_map(|f| match &f.http {
        HttpBinding::PrefixHeaders { prefix } => Some(prefix_headers(f, prefix, &header_names)),
        _ => None,
    });
    let stream = stream_field(fields);
    let body = match stream {
        Some(stream) => stream_body(stream, op.content_md5),
        None => body(fields),
    };
    // Labels may be empty, headers unsendable and a body's length unknown; nothing else is checked here.
    let has_violations = (stream.is_some() && op.content_md5)
        || fields.iter().any(|f| {
            matches!(
                f.http,
                HttpBinding::Label { .. }
                    | HttpBinding::Header { .. }
                    | HttpBinding::PrefixHeaders { .. }
                    | HttpBinding::Payload { kind: PayloadKind::StreamingBlob { requires_length: true }, .. }
            )
        });
    let sets_headers = fields.iter().any(|f| {
        matches!(f.http, HttpBinding::Header { .. } | HttpBinding::PrefixHeaders { .. } | HttpBinding::Payload { .. })
            || f.http.is_body()
    });
    let call_binding = if sets_headers { quote!(let mut call) } else { quote!(let call) };
    let violations = if has_violations {
        quote! {
            if !violations.is_empty() {
                return ::std::result::Result::Err(#VALIDATE_VALIDATION_ERROR::new(violations));
            }
        }
    } else {
        TokenStream::new()
    };
    let violations_decl = if has_violations {
        quote!(let mut violations: ::std::vec::Vec<#VALIDATE_VIOLATION> = ::std::vec::Vec::new();)
    } else {
        TokenStream::new()
    };
    let input_arg = if fields.is_empty() { quote!(_input) } else { quote!(input) };
    let doc_line = doc(&format!(
        "The HTTP request of a `{}` call (`{} {}`): its path, query and headers on `call`, and its body{}.",
        op.name,
        http.method,
        http.uri.template,
        if stream.is_some() { ", the stream taken out of the input" } else { "" }
    ));
    let capacity = Literal::usize_unsuffixed(http.uri.template.len() + 16);
    let (input_type, body_type) = match stream {
        Some(_) => (quote!(&mut crate::types::#input_name), quote!(#BYTE_STREAM_BYTE_STREAM)),
        None => (quote!(&crate::types::#input_name), quote!(::std::vec::Vec<u8>)),
    };
    quote! {
        #doc_line
        pub(crate) fn #fn_name(
            #input_arg: #input_type,
            call: #CLIENT_CALL,
        ) -> ::std::result::Result<(#CLIENT_CALL, #body_type), #VALIDATE_VALIDATION_ERROR> {
            #violations_decl
            let mut uri = #REST_URI_BUILDER::with_capacity(#capacity);
            #(#path)*
            #constant_query
            #(#queries)*
            #(#query_params)*
            #call_binding = call.http_request(#method, uri.finish());
            #(#headers)*
            #(#prefix_headers)*
            #body
            #violations
            ::std::result::Result::Ok((call, body))
        }
    }
}

/// `value` bound to the field's value (a reference) around `then`, skipped when an optional field is
/// unset (or, with `unset`, running that instead).
fn with_value(field: &Field, then: TokenStream, unset: Option<TokenStream>) -> TokenStream {
    let name = ident(&field.rust_name);
    match field.presence {
        Presence::Optional => {
            let unset = unset.map(|unset| quote!(else { #unset }));
            quote! { if let ::std::option::Option::Some(value) = &input.#name { #then } #unset }
        }
        Presence::Required | Presence::Default(_) => quote! { { let value = &input.#name; #then } },
    }
}

/// The text of a simple value outside the body: an expression of type `String` (`owned`) or `&str`.
struct Text {
    expr: TokenStream,
    owned: bool,
}

impl Text {
    /// `text` (the expression, bound to that name) as a `&str` argument.
    fn arg(&self) -> TokenStream {
        if self.owned {
            quote!(&text)
        } else {
            quote!(text)
        }
    }

    /// The expression as a `String`.
    fn string(&self) -> TokenStream {
        let expr = &self.expr;
        if self.owned {
            expr.clone()
        } else {
            quote!(::std::string::String::from(#expr))
        }
    }
}

fn text(ty: &TyKind, value: TokenStream, timestamp_format: TimestampFormat) -> Text {
    let owned = |expr| Text { expr, owned: true };
    let borrowed = |expr| Text { expr, owned: false };
    match ty {
        TyKind::String | TyKind::Enum(_) | TyKind::BigInteger | TyKind::BigDecimal => borrowed(quote!(#value.as_str())),
        TyKind::Bool => borrowed(quote!(if *#value { "true" } else { "false" })),
        TyKind::Byte | TyKind::Short | TyKind::Integer | TyKind::Long => owned(quote!(#value.to_string())),
        TyKind::Float | TyKind::Double => owned(quote!(float_text(*#value))),
        TyKind::IntEnum(_) => owned(quote!(#value.as_i64().to_string())),
        TyKind::Timestamp(_) => owned(match timestamp_format {
            TimestampFormat::DateTime => quote!(#value.fmt_date_time()),
            TimestampFormat::HttpDate => quote!(#value.fmt_http_date()),
            TimestampFormat::EpochSeconds => quote!(#value.fmt_epoch_seconds()),
        }),
        // Lowering allows only simple values outside the body.
        _ => borrowed(quote!("")),
    }
}

fn label(field: &Field, greedy: bool) -> TokenStream {
    let HttpBinding::Label { timestamp_format } = &field.http else { return TokenStream::new() };
    let text = text(&field.ty.kind, quote!(value), *timestamp_format);
    let arg = text.arg();
    let text = text.expr;
    let member = &field.member_name;
    let empty = quote! { violations.push(#VALIDATE_VIOLATION::new(#member, #VALIDATE_VIOLATION_KIND::EmptyLabel)); };
    let push = if greedy { quote!(uri.push_greedy_label(#arg)) } else { quote!(uri.push_label(#arg)) };
    // A greedy label of nothing but `/`s would leave empty segments too.
    let is_empty = if greedy { quote!(text.trim_matches('/').is_empty()) } else { quote!(text.is_empty()) };
    with_value(
        field,
        quote! {
            let text = #text;
            if #is_empty {
                #empty
            }
            #push;
        },
        Some(empty.clone()),
    )
}

fn query(field: &Field, name: &str, timestamp_format: TimestampFormat) -> TokenStream {
    let push = match &field.ty.kind {
        TyKind::List { member, sparse } => {
            let item = text(&member.kind, quote!(item), timestamp_format);
            let (arg, item) = (item.arg(), item.expr);
            let items = if *sparse { quote!(value.iter().flatten()) } else { quote!(value.iter()) };
            quote! {
                for item in #items {
                    let text = #item;
                    uri.push_query(#name, #arg);
                }
            }
        }
        kind => {
            let text = text(kind, quote!(value), timestamp_format);
            let (arg, text) = (text.arg(), text.expr);
            quote! {
                let text = #text;
                uri.push_query(#name, #arg);
            }
        }
    };
    with_value(field, push, None)
}

fn query_params(field: &Field) -> TokenStream {
    let TyKind::Map { value: value_ty, sparse, .. } = &field.ty.kind else { return TokenStream::new() };
    let entry = match &value_ty.kind {
        TyKind::List { sparse: items_sparse, .. } => {
            let items = if *items_sparse { quote!(item.iter().flatten()) } else { quote!(item.iter()) };
            quote! {
                for text in #items {
                    uri.push_query_param(key.as_str(), text.as_str());
                }
            }
        }
        _ => quote!(uri.push_query_param(key.as_str(), item.as_str());),
    };
    let entries = if *sparse {
        quote!(value.iter().filter_map(|(key, item)| item.as_ref().map(|item| (key, item))))
    } else {
        quote!(value.iter())
    };
    with_value(
        field,
        quote! {
            for (key, item) in #entries {
                #entry
            }
        },
        None,
    )
}

/// `call.header(...)`, with a refused header a violation at the member.
fn set_header(member: &str, name: TokenStream, text: TokenStream) -> TokenStream {
    quote! {
        if let ::std::result::Result::Err(e) = call.header(#name, #text) {
            violations.push(#VALIDATE_VIOLATION::new(
                #member,
                #VALIDATE_VIOLATION_KIND::InvalidHeader { reason: e.to_string() },
            ));
        }
    }
}

fn header(field: &Field, name: &str, timestamp_format: TimestampFormat, base64: bool) -> TokenStream {
    let member = &field.member_name;
    let (value_text, arg) = match &field.ty.kind {
        TyKind::List { member: item_ty, sparse } => {
            let item = text(&item_ty.kind, quote!(item), timestamp_format).string();
            let items = if *sparse { quote!(value.iter().flatten()) } else { quote!(value.iter()) };
            // HTTP dates hold a comma of their own, and Smithy sends them as they are, unquoted.
            let http_dates =
                matches!(item_ty.kind, TyKind::Timestamp(_)) && timestamp_format == TimestampFormat::HttpDate;
            let join = if http_dates { quote!(items.join(", ")) } else { quote!(#REST_JOIN_HEADER_LIST(&items)) };
            let text = quote! {
                let items: ::std::vec::Vec<::std::string::String> = #items.map(|item| #item).collect();
                let text = #join;
            };
            (text, quote!(&text))
        }
        TyKind::String if base64 => (quote!(let text = #REST_ENCODE_MEDIA_TYPE(value.as_str());), quote!(&text)),
        kind => {
            let text = text(kind, quote!(value), timestamp_format);
            let (arg, text) = (text.arg(), text.expr);
            (quote!(let text = #text;), arg)
        }
    };
    let set = set_header(member, quote!(#name), arg);
    with_value(field, quote! { #value_text #set }, None)
}

fn prefix_headers(field: &Field, prefix: &str, taken: &[String]) -> TokenStream {
    let TyKind::Map { sparse, .. } = &field.ty.kind else { return TokenStream::new() };
    let member = &field.member_name;
    let entries = if *sparse {
        quote!(value.iter().filter_map(|(key, item)| item.as_ref().map(|item| (key, item))))
    } else {
        quote!(value.iter())
    };
    let set = set_header(member, quote!(&name), quote!(item.as_str()));
    // Only a name some header member may have set can clash.
    let skip = (!taken.is_empty()).then(|| {
        quote! {
            if call.sets_header(&name) {
                continue;
            }
        }
    });
    with_value(
        field,
        quote! {
            for (key, item) in #entries {
                let name = ::std::format!("{}{}", #prefix, key.as_str());
                #skip
                #set
            }
        },
        None,
    )
}

/// `let body = ...;` for a streaming payload: the member's stream, moved out of the input, with its
/// `Content-Type` (an unset optional one is an empty body with no type, as an unset blob payload
/// is). A `@requiresLength` body whose length is not known is a violation at the member (the runtime
/// sends the length of any other it knows), and so is a body that can be read only once when the
/// operation sends a checksum of it (`checksum`), which is taken before sending.
fn stream_body(field: &Field, checksum: bool) -> TokenStream {
    let HttpBinding::Payload { kind, content_type } = &field.http else { return TokenStream::new() };
    let name = ident(&field.rust_name);
    let member = &field.member_name;
    let set_type = set_content_type(content_type);
    let take = match field.presence {
        Presence::Optional => quote! {
            let body = match input.#name.take() {
                ::std::option::Option::Some(body) => { #set_type body }
                ::std::option::Option::None => ::std::default::Default::default(),
            };
        },
        Presence::Required | Presence::Default(_) => quote! {
            let body = ::std::mem::take(&mut input.#name);
            #set_type
        },
    };
    let length_check = matches!(kind, PayloadKind::StreamingBlob { requires_length: true }).then(|| {
        quote! {
            if body.content_length().is_none() {
                violations.push(#VALIDATE_VIOLATION::new(#member, #VALIDATE_VIOLATION_KIND::UnknownLength));
            }
        }
    });
    let replay_check = checksum.then(|| {
        quote! {
            if !body.is_replayable() {
                violations.push(#VALIDATE_VIOLATION::new(#member, #VALIDATE_VIOLATION_KIND::NotReplayable));
            }
        }
    });
    quote! {
        #take
        #length_check
        #replay_check
    }
}

/// `let body = ...;`: the payload member's bytes, else a JSON object of the body members, else none.
fn body(fields: &[Field]) -> TokenStream {
    let content_type = set_content_type;
    if let Some(payload) = fields.iter().find(|f| matches!(f.http, HttpBinding::Payload { .. })) {
        let HttpBinding::Payload { kind, content_type: media_type } = &payload.http else { unreachable!() };
        let set_type = content_type(media_type);
        let bytes = match kind {
            PayloadKind::Text => {
                if matches!(payload.ty.kind, TyKind::Enum(_)) {
                    quote!(value.as_str().as_bytes().to_vec())
                } else {
                    quote!(value.as_bytes().to_vec())
                }
            }
            PayloadKind::Blob | PayloadKind::StreamingBlob { .. } => quote!(value.as_bytes().to_vec()),
            PayloadKind::Json | PayloadKind::Document => json_value(&payload.ty),
        };
        // An unset structure payload is still an (empty) JSON object; anything else unset sends nothing.
        let unset = match &payload.ty.kind {
            TyKind::Structure(_) if payload.presence == Presence::Optional => {
                let set_type = content_type(media_type);
                Some(quote! { #set_type b"{}".to_vec() })
            }
            _ => None,
        };
        let name = ident(&payload.rust_name);
        return match (payload.presence == Presence::Optional, unset) {
            (true, unset) => {
                let unset = unset.unwrap_or_else(|| quote!(::std::vec::Vec::new()));
                quote! {
                    let body = match &input.#name {
                        ::std::option::Option::Some(value) => { #set_type #bytes }
                        ::std::option::Option::None => { #unset }
                    };
                }
            }
            (false, _) => quote! {
                let body = { let value = &input.#name; #set_type #bytes };
            },
        };
    }
    let members: Vec<&Field> = fields.iter().filter(|f| f.http.is_body()).collect();
    if members.is_empty() {
        return quote!(let body = ::std::vec::Vec::new(););
    }
    let writes = members.iter().map(|f| {
        // `structure_member` reads the structure as `value`.
        let write = structure_member(f);
        quote!(#write)
    });
    let set_type = content_type("application/json");
    quote! {
        #set_type
        let mut out = ::std::string::String::with_capacity(64);
        let mut object = #JSON_JSON_OBJECT_WRITER::new(&mut out);
        {
            let value = input;
            #(#writes)*
        }
        object.finish();
        let body = out.into_bytes();
    }
}

/// Sets the `Content-Type`, or fails the request when a model's `@mediaType` is not a valid header
/// value (nothing could send it).
fn set_content_type(content_type: &str) -> TokenStream {
    quote! {
        if let ::std::result::Result::Err(e) = call.content_type(#content_type) {
            let reason = e.to_string();
            return ::std::result::Result::Err(#VALIDATE_VALIDATION_ERROR::new(::std::vec![#VALIDATE_VIOLATION::new(
                "",
                #VALIDATE_VIOLATION_KIND::InvalidHeader { reason },
            )]));
        }
    }
}

/// The JSON text of a structure, union or document payload `value`, as bytes.
fn json_value(ty: &Ty) -> TokenStream {
    match &ty.kind {
        TyKind::Structure(name) | TyKind::Union(name) => {
            let func = helper_fn("ser_", name);
            quote! {
                let mut out = ::std::string::String::with_capacity(64);
                let mut object = #JSON_JSON_OBJECT_WRITER::new(&mut out);
                #func(value, &mut object);
                object.finish();
                out.into_bytes()
            }
        }
        // A document's JSON text, which `Display` writes compactly.
        _ => quote!(value.to_string().into_bytes()),
    }
}
