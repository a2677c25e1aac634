//! Emits `src/types.rs` (a struct per structure, enums for enums and unions) and
//! `src/types/builders.rs` (a builder per structure).

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote, ToTokens};

use super::common::{contains_sensitive_ty, payload, stream_field};
use super::runtime_paths::VALIDATE_VIOLATION;
use super::tokens::{
    allow_deprecated, boxed_type, boxed_type_with, deprecated_attr, doc, doc_attrs, field_type, ident, lit_str,
    member_doc_attrs, rust_type_with, StdNames,
};
use super::RustFile;
use crate::ir::{
    DefaultValue, EnumVariant, Field, IntEnumVariant, Presence, Service, Structure, TyKind, TypeDef, TypeDefKind,
};

/// The whole `types` module.
pub fn emit(service: &Service) -> RustFile {
    let allow_deprecated = allow_deprecated(service);
    let mut file = RustFile::new(quote! {
        //! Shapes of the service model: structures, enums, unions, and their builders.
        #allow_deprecated
    });
    for def in &service.types {
        match &def.kind {
            TypeDefKind::Structure(s) => {
                file.push(structure(def, s));
                if s.error.is_some() {
                    file.push(error_impls(def, s));
                }
            }
            TypeDefKind::Enum(variants) => file.push(string_enum(def, variants)),
            TypeDefKind::IntEnum(variants) => file.push(int_enum(def, variants)),
            TypeDefKind::Union(fields) => file.push(union(def, fields)),
        }
    }
    file.push(quote! { pub mod builders; });
    file
}

/// The `types::builders` module: a builder per structure.
pub fn emit_builders(service: &Service) -> RustFile {
    let mut file = RustFile::new(quote! {
        //! Builders for the structures in [`crate::types`].
    });
    for def in &service.types {
        if let TypeDefKind::Structure(s) = &def.kind {
            file.push(builder(def, s));
        }
    }
    file
}

fn structure(def: &TypeDef, s: &Structure) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_attrs(def.docs.as_deref(), &format!("The `{}` structure of the service model.", def.name));
    let deprecated = deprecated_attr(def.deprecated.as_ref());
    let derive_debug = derive_debug(&s.fields, s.sensitive);
    let fields = s.fields.iter().map(|f| {
        let field_name = ident(&f.rust_name);
        let docs = member_doc_attrs(f, &format!("The `{}` member.", f.member_name));
        let deprecated = deprecated_attr(f.deprecated.as_ref());
        let ty = field_type(f);
        quote! { #docs #deprecated pub #field_name: #ty, }
    });
    let builder_doc = doc(&format!("A builder for [`{}`].", def.name));
    let builder_name = format_ident!("{}Builder", crate::naming::unraw(&def.name));
    let debug = debug_impl(&def.name, &s.fields, s.sensitive);
    let derive = derive_attr(derive_debug, s, quote!(Clone, PartialEq));
    quote! {
        #docs
        #deprecated
        #derive
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #builder_doc
            pub fn builder() -> builders::#builder_name {
                builders::#builder_name::default()
            }
        }

        #debug
    }
}

/// `Display` and `Error` for a modeled error structure: its code, then its message if it has one.
fn error_impls(def: &TypeDef, s: &Structure) -> TokenStream {
    let name = ident(&def.name);
    let code = s.error.as_ref().map(|e| e.code.as_str()).unwrap_or_default();
    let message =
        s.fields.iter().find(|f| f.wire_name.eq_ignore_ascii_case("message") && matches!(f.ty.kind, TyKind::String));
    let display = match message {
        Some(f) if !contains_sensitive_ty(&f.ty) => {
            let field = ident(&f.rust_name);
            let with_message = format!("{}: {{}}", code.replace('{', "{{").replace('}', "}}"));
            match f.presence {
                Presence::Optional => quote! {
                    match &self.#field {
                        ::std::option::Option::Some(message) => write!(f, #with_message, message),
                        ::std::option::Option::None => f.write_str(#code),
                    }
                },
                _ => quote! { write!(f, #with_message, self.#field) },
            }
        }
        _ => quote! { f.write_str(#code) },
    };
    let code_doc = doc(&format!("The error code on the wire, `{code}`."));
    quote! {
        impl #name {
            #code_doc
            pub const CODE: &'static str = #code;
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #display
            }
        }

        impl ::std::error::Error for #name {}
    }
}

/// The `#[derive(...)]` of a structure: `Debug` unless it redacts, then `rest`, which a structure
/// holding a streaming body (read once, never compared) does without.
fn derive_attr(derive_debug: TokenStream, s: &Structure, rest: TokenStream) -> TokenStream {
    match (stream_field(&s.fields), derive_debug.is_empty()) {
        (Some(_), true) => TokenStream::new(),
        (Some(_), false) => quote!(#[derive(Debug)]),
        (None, _) => quote!(#[derive(#derive_debug #rest)]),
    }
}

/// Whether a type with these members gets a hand-written, redacting `Debug` instead of a derived one.
fn redacts_debug(fields: &[Field], whole_is_sensitive: bool) -> bool {
    whole_is_sensitive || fields.iter().any(|f| contains_sensitive_ty(&f.ty))
}

/// `Debug,` for a derive list, unless [`debug_impl`] writes a redacting `Debug`.
fn derive_debug(fields: &[Field], whole_is_sensitive: bool) -> TokenStream {
    if redacts_debug(fields, whole_is_sensitive) {
        TokenStream::new()
    } else {
        quote!(Debug,)
    }
}

/// A hand-written `Debug` that redacts sensitive members; nothing when deriving is safe.
fn debug_impl(type_name: &str, fields: &[Field], whole_is_sensitive: bool) -> TokenStream {
    let name = ident(type_name);
    let label = crate::naming::unraw(type_name);
    if whole_is_sensitive {
        return quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(concat!(#label, " { *** Sensitive Data Redacted *** }"))
                }
            }
        };
    }
    if !redacts_debug(fields, false) {
        return TokenStream::new();
    }
    let entries = fields.iter().map(|f| {
        let field_name = ident(&f.rust_name);
        let label = crate::naming::unraw(&f.rust_name);
        if contains_sensitive_ty(&f.ty) {
            quote! { .field(#label, &"*** Sensitive Data Redacted ***") }
        } else {
            quote! { .field(#label, &self.#field_name) }
        }
    });
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#label) #(#entries)* .finish()
            }
        }
    }
}

/// The Rust expression for a `@default` value of this field's type (literals carry their type suffix).
pub fn default_expr(field: &Field, value: &DefaultValue) -> TokenStream {
    let expr = match (&field.ty.kind, value) {
        (TyKind::Bool, DefaultValue::Bool(b)) => quote!(#b),
        (TyKind::Byte, DefaultValue::Int(i)) => Literal::i8_suffixed(*i as i8).into_token_stream(),
        (TyKind::Short, DefaultValue::Int(i)) => Literal::i16_suffixed(*i as i16).into_token_stream(),
        (TyKind::Integer, DefaultValue::Int(i)) => Literal::i32_suffixed(*i as i32).into_token_stream(),
        (TyKind::Long, DefaultValue::Int(i)) => Literal::i64_suffixed(*i).into_token_stream(),
        (TyKind::Float, DefaultValue::Float(f)) => Literal::f32_suffixed(*f as f32).into_token_stream(),
        (TyKind::Double, DefaultValue::Float(f)) => Literal::f64_suffixed(*f).into_token_stream(),
        (TyKind::String, DefaultValue::String(s)) => quote!(::std::string::String::from(#s)),
        (TyKind::Enum(name), DefaultValue::String(s)) => {
            let name = ident(name);
            quote!(crate::types::#name::from(#s))
        }
        (TyKind::IntEnum(name), DefaultValue::Int(i)) => {
            let name = ident(name);
            quote!(crate::types::#name::from(#i))
        }
        (TyKind::Timestamp(_), DefaultValue::Timestamp(secs)) if secs.fract() == 0.0 => {
            let secs = Literal::i64_suffixed(*secs as i64);
            quote!(crate::DateTime::from_secs(#secs))
        }
        (TyKind::Timestamp(_), DefaultValue::Timestamp(secs)) => {
            quote!(crate::DateTime::from_fractional_secs(#secs).unwrap_or_else(|_| crate::DateTime::from_secs(0)))
        }
        (TyKind::Blob, DefaultValue::Blob(bytes)) => {
            let bytes = Literal::byte_string(bytes);
            quote!(crate::Blob::new(#bytes.to_vec()))
        }
        (TyKind::Document, DefaultValue::Document(value)) => document_expr(value),
        (TyKind::BigInteger | TyKind::BigDecimal, DefaultValue::BigNumber(text)) => {
            let ty = if matches!(field.ty.kind, TyKind::BigInteger) { quote!(BigInteger) } else { quote!(BigDecimal) };
            // The generator checked that the text is a JSON number of the right kind.
            quote!(crate::#ty::from_json_number(::std::string::String::from(#text)).unwrap_or_else(|_| crate::#ty::from(0_i64)))
        }
        // Empty collections, and (the IR only produces defaults matching the field type) nothing else.
        _ => quote!(::std::default::Default::default()),
    };
    if field.boxed {
        quote!(::std::boxed::Box::new(#expr))
    } else {
        expr
    }
}

/// An expression building a document (`serde_json::Value`) equal to `value`.
fn document_expr(value: &serde_json::Value) -> TokenStream {
    use serde_json::Value as V;
    match value {
        V::Null => quote!(::serde_json::Value::Null),
        V::Bool(b) => quote!(::serde_json::Value::Bool(#b)),
        V::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => quote!(::serde_json::Value::from(#i)),
            (None, Some(u), _) => quote!(::serde_json::Value::from(#u)),
            (None, None, f) => {
                let f = Literal::f64_suffixed(f.unwrap_or_default());
                quote!(::serde_json::Value::from(#f))
            }
        },
        V::String(text) => quote!(::serde_json::Value::String(::std::string::String::from(#text))),
        V::Array(items) => {
            let items = items.iter().map(document_expr);
            quote!(::serde_json::Value::Array(::std::vec![#(#items),*]))
        }
        V::Object(entries) => {
            let entries = entries.iter().map(|(key, value)| {
                let value = document_expr(value);
                quote!((::std::string::String::from(#key), #value))
            });
            quote!(::serde_json::Value::Object(::serde_json::Map::from_iter([#(#entries),*])))
        }
    }
}

/// `slot` (an `Option` of the field's type) with the field's `@default` filled in when it is `None`.
pub fn fill_default(f: &Field, value: &DefaultValue, slot: TokenStream) -> TokenStream {
    let default = default_expr(f, value);
    // Literals and empty collections need no closure (and clippy flags one).
    match value {
        _ if f.boxed => quote! { #slot.unwrap_or_else(|| #default) },
        DefaultValue::Bool(_) | DefaultValue::Int(_) | DefaultValue::Float(_)
            if !matches!(f.ty.kind, TyKind::IntEnum(_)) =>
        {
            quote! { #slot.unwrap_or(#default) }
        }
        DefaultValue::Empty => quote! { #slot.unwrap_or_default() },
        DefaultValue::Document(serde_json::Value::Bool(_) | serde_json::Value::Null) => {
            quote! { #slot.unwrap_or(#default) }
        }
        _ => quote! { #slot.unwrap_or_else(|| #default) },
    }
}

/// Whether this member is a string idempotency token, which is filled in when the caller left it out.
pub(super) fn fills_token(f: &Field) -> bool {
    f.idempotency_token && matches!(f.ty.kind, TyKind::String)
}

/// Whether the operation call fills in this member of its input when it is unset, from the client's
/// idempotency token provider (an optional token of an operation input), rather than `build`.
pub(super) fn call_fills_token(s: &Structure, f: &Field) -> bool {
    s.is_input && matches!(f.presence, Presence::Optional) && fills_token(f)
}

fn builder(def: &TypeDef, s: &Structure) -> TokenStream {
    let name = ident(&def.name);
    let unraw = crate::naming::unraw(&def.name);
    let builder_name = format_ident!("{unraw}Builder");
    let doc_line = doc(&format!("A builder for [`{}`](crate::types::{unraw}).", def.name));
    let derive_debug = derive_debug(&s.fields, s.sensitive);
    let slots = s.fields.iter().map(|f| {
        let field_name = ident(&f.rust_name);
        let ty = boxed_type_with(f, StdNames::Prelude);
        quote! { #field_name: Option<#ty>, }
    });
    let setters = s.fields.iter().map(|f| setter(s, f));
    let checked = |f: &&Field| matches!(f.presence, Presence::Required) && !fills_token(f);
    let checks: Vec<TokenStream> = s
        .fields
        .iter()
        .filter(checked)
        .map(|f| {
            let field_name = ident(&f.rust_name);
            let wire = &f.wire_name;
            quote! {
                if self.#field_name.is_none() {
                    missing.push(#VALIDATE_VIOLATION::missing(#wire));
                }
            }
        })
        .collect();
    let inits = s.fields.iter().map(|f| {
        let field_name = ident(&f.rust_name);
        match &f.presence {
            // Smithy asks clients to fill an idempotency token the caller left out, so retries of one
            // logical request share it. An operation input's optional token is filled by the call,
            // from the client's provider.
            Presence::Optional if fills_token(f) && !s.is_input => quote! {
                #field_name: Some(self.#field_name.unwrap_or_else(|| ::uuid::Uuid::new_v4().to_string())),
            },
            Presence::Required if fills_token(f) => quote! {
                #field_name: self.#field_name.unwrap_or_else(|| ::uuid::Uuid::new_v4().to_string()),
            },
            Presence::Optional => quote! { #field_name: self.#field_name, },
            Presence::Default(value) => {
                let filled = fill_default(f, value, quote!(self.#field_name));
                quote! { #field_name: #filled, }
            }
            Presence::Required => quote! { #field_name: self.#field_name.expect("checked above"), },
        }
    });
    let (build_doc, check_missing) = if checks.is_empty() {
        (
            doc(&format!(
                "Builds the [`{}`](crate::types::{unraw}); it has no required members, so this cannot fail.",
                def.name
            )),
            TokenStream::new(),
        )
    } else {
        (
            doc(&format!(
                "Builds the [`{}`](crate::types::{unraw}), or fails naming every required member that was not set.",
                def.name
            )),
            quote! {
                let mut missing = Vec::new();
                #(#checks)*
                if !missing.is_empty() {
                    return Err(crate::ValidationError::new(missing));
                }
            },
        )
    };
    let debug = debug_impl(&builder_name.to_string(), &s.fields, s.sensitive);
    let derive = if stream_field(&s.fields).is_some() {
        quote!(#[derive(#derive_debug Default)])
    } else {
        quote!(#[derive(#derive_debug Clone, Default, PartialEq)])
    };
    quote! {
        #doc_line
        #derive
        pub struct #builder_name {
            #(#slots)*
        }

        impl #builder_name {
            #(#setters)*

            #build_doc
            pub fn build(self) -> Result<crate::types::#name, crate::ValidationError> {
                #check_missing
                Ok(crate::types::#name { #(#inits)* })
            }
        }

        #debug
    }
}

fn setter(s: &Structure, f: &Field) -> TokenStream {
    let field_name = ident(&f.rust_name);
    let set_name = ident(&crate::naming::setter_name(&f.rust_name));
    let ty = rust_type_with(&f.ty, StdNames::Prelude);
    let (param, convert) = match &f.ty.kind {
        TyKind::String => (quote!(impl Into<String>), quote!(value.into())),
        TyKind::Blob => (quote!(impl Into<crate::Blob>), quote!(value.into())),
        TyKind::ByteStream => (quote!(impl Into<crate::ByteStream>), quote!(value.into())),
        _ => (ty.clone(), quote!(value)),
    };
    let (wrap, wrap_opt) =
        if f.boxed { (quote!(Box::new(#convert)), quote!(value.map(Box::new))) } else { (convert, quote!(value)) };
    let doc_line = if call_fills_token(s, f) {
        doc(&format!(
            "Sets `{}`; when left unset, the call fills in the client's idempotency token (a fresh UUID v4 unless `Config::idempotency_token_provider` says otherwise).",
            f.wire_name
        ))
    } else if fills_token(f) {
        doc(&format!("Sets `{}`; when left unset, `build` fills in a fresh UUID v4.", f.wire_name))
    } else {
        doc(&format!("Sets `{}`.", f.wire_name))
    };
    let set_doc = doc(&format!("Sets or clears `{}`.", f.wire_name));
    let deprecated = deprecated_attr(f.deprecated.as_ref());
    quote! {
        #doc_line
        #deprecated
        pub fn #field_name(mut self, value: #param) -> Self {
            self.#field_name = Some(#wrap);
            self
        }

        #set_doc
        #deprecated
        pub fn #set_name(mut self, value: Option<#ty>) -> Self {
            self.#field_name = #wrap_opt;
            self
        }
    }
}

fn string_enum(def: &TypeDef, variants: &[EnumVariant]) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_attrs(def.docs.as_deref(), &format!("The `{}` enum of the service model.", def.name));
    let deprecated = deprecated_attr(def.deprecated.as_ref());
    let mut variant_defs = TokenStream::new();
    let mut as_str = TokenStream::new();
    let mut from_str = TokenStream::new();
    let mut values = Vec::with_capacity(variants.len());
    for v in variants {
        let variant = ident(&v.name);
        let value = lit_str(&v.value);
        let docs = doc_attrs(v.docs.as_deref(), &format!("`{}`", v.value));
        let deprecated = deprecated_attr(v.deprecated.as_ref());
        variant_defs.extend(quote! { #docs #deprecated #variant, });
        as_str.extend(quote! { #name::#variant => #value, });
        from_str.extend(quote! { #value => #name::#variant, });
        values.push(value);
    }
    let allow =
        if variants.iter().any(|v| v.deprecated.is_some()) { quote!(#[allow(deprecated)]) } else { TokenStream::new() };
    quote! {
        #docs
        #deprecated
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #variant_defs
            /// A value this version of the crate does not know, kept as it came over the wire.
            ///
            /// Received values are never rejected; sending one fails validation.
            Unknown(::std::string::String),
        }

        #allow
        impl #name {
            /// The wire value.
            pub fn as_str(&self) -> &str {
                match self {
                    #as_str
                    #name::Unknown(value) => value.as_str(),
                }
            }

            /// Every value the model defines, in model order.
            pub const fn values() -> &'static [&'static str] {
                &[#(#values),*]
            }

            /// Whether this is a value the model does not define.
            pub fn is_unknown(&self) -> bool {
                matches!(self, #name::Unknown(_))
            }
        }

        #allow
        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #from_str
                    other => #name::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(#name::from(value))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

fn int_enum(def: &TypeDef, variants: &[IntEnumVariant]) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_attrs(def.docs.as_deref(), &format!("The `{}` enum of the service model.", def.name));
    let deprecated = deprecated_attr(def.deprecated.as_ref());
    let mut variant_defs = TokenStream::new();
    let mut to_int = TokenStream::new();
    let mut from_int = TokenStream::new();
    let mut values = Vec::with_capacity(variants.len());
    for v in variants {
        let variant = ident(&v.name);
        // Suffixed, as the generated code has always spelled these values.
        let value = Literal::i64_suffixed(v.value);
        let docs = doc_attrs(v.docs.as_deref(), &format!("`{}`", v.value));
        let deprecated = deprecated_attr(v.deprecated.as_ref());
        variant_defs.extend(quote! { #docs #deprecated #variant, });
        to_int.extend(quote! { #name::#variant => #value, });
        from_int.extend(quote! { #value => #name::#variant, });
        values.push(value);
    }
    quote! {
        #docs
        #deprecated
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #variant_defs
            /// A value this version of the crate does not know, kept as it came over the wire.
            Unknown(i64),
        }

        impl #name {
            /// The wire value.
            pub fn as_i64(&self) -> i64 {
                match self {
                    #to_int
                    #name::Unknown(value) => *value,
                }
            }

            /// Every value the model defines, in model order.
            pub const fn values() -> &'static [i64] {
                &[#(#values),*]
            }

            /// Whether this is a value the model does not define.
            pub fn is_unknown(&self) -> bool {
                matches!(self, #name::Unknown(_))
            }
        }

        impl ::std::convert::From<i64> for #name {
            fn from(value: i64) -> Self {
                match value {
                    #from_int
                    other => #name::Unknown(other),
                }
            }
        }
    }
}

fn union(def: &TypeDef, fields: &[Field]) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_attrs(def.docs.as_deref(), &format!("The `{}` union of the service model.", def.name));
    let deprecated = deprecated_attr(def.deprecated.as_ref());
    let sensitive = fields.iter().any(|f| contains_sensitive_ty(&f.ty));
    let variants = fields.iter().map(|f| {
        let variant = ident(&f.rust_name);
        let docs = member_doc_attrs(f, &format!("The `{}` member.", f.member_name));
        let deprecated = deprecated_attr(f.deprecated.as_ref());
        let payload = payload(f, boxed_type(f));
        quote! { #docs #deprecated #variant #payload, }
    });
    let derive_debug = if sensitive { TokenStream::new() } else { quote!(Debug,) };
    let debug = if sensitive { redacted_union_debug(def, fields) } else { TokenStream::new() };
    // Variants mirror the wire shape; boxing the large ones would only make the type harder to use,
    // hence the `allow`.
    quote! {
        #docs
        #deprecated
        #[derive(#derive_debug Clone, PartialEq)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
            /// A member this version of the crate does not know; holds its wire name.
            ///
            /// Received values are kept; sending one fails validation.
            Unknown(::std::string::String),
        }

        #debug
    }
}

/// `Debug` for a union with a sensitive member: the variant's name, never its value.
fn redacted_union_debug(def: &TypeDef, fields: &[Field]) -> TokenStream {
    let name = ident(&def.name);
    let label = crate::naming::unraw(&def.name);
    let arms = fields.iter().map(|f| {
        let variant = ident(&f.rust_name);
        let unraw = crate::naming::unraw(&f.rust_name);
        let text = match f.ty.kind {
            TyKind::Unit => format!("{label}::{unraw}"),
            _ => format!("{label}::{unraw}(*** Sensitive Data Redacted ***)"),
        };
        let payload = payload(f, quote!(_));
        quote! { #name::#variant #payload => f.write_str(#text), }
    });
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#arms)*
                    #name::Unknown(member) => f.debug_tuple("Unknown").field(member).finish(),
                }
            }
        }
    }
}
