//! Emits `src/types.rs`: a struct per structure, enums for enums and unions, and builders.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::common::{
    allow_deprecated, contains_sensitive_ty, deprecated_attr, doc_attrs, field_type, ident, rust_type,
};
use super::text::str_lit;
use crate::ir::{
    DefaultValue, EnumVariant, Field, IntEnumVariant, Presence, Service, Structure, TyKind, TypeDef, TypeDefKind,
};

/// The whole `types` module.
pub fn emit(service: &Service) -> TokenStream {
    let mut items = Vec::new();
    let mut builders = Vec::new();
    for def in &service.types {
        match &def.kind {
            TypeDefKind::Structure(s) => {
                items.push(structure(def, s));
                builders.push(builder(def, s));
                if s.error.is_some() {
                    items.push(error_impls(def, s));
                }
            }
            TypeDefKind::Enum(variants) => items.push(string_enum(def, variants)),
            TypeDefKind::IntEnum(variants) => items.push(int_enum(def, variants)),
            TypeDefKind::Union(fields) => items.push(union(def, fields)),
        }
    }
    let allow_deprecated = allow_deprecated(service);
    quote! {
        //! Shapes of the service model: structures, enums, unions, and their builders.
        #allow_deprecated
        #(#items)*

        /// Builders for the structures in [`crate::types`].
        pub mod builders {
            #(#builders)*
        }
    }
}

fn structure(def: &TypeDef, s: &Structure) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_attrs(def.docs.as_deref(), &format!("The `{}` structure of the service model.", def.name));
    let deprecated = deprecated_attr(def.deprecated.as_ref());
    let fields = s.fields.iter().map(|f| {
        let field_name = ident(&f.rust_name);
        let ty = field_type(f);
        let docs = doc_attrs(f.docs.as_deref(), &format!("The `{}` member.", f.member_name));
        let deprecated = deprecated_attr(f.deprecated.as_ref());
        quote! { #docs #deprecated pub #field_name: #ty, }
    });
    let builder_name = format_ident!("{}Builder", crate::naming::unraw(&def.name));
    let debug = debug_impl(&def.name, &s.fields, s.sensitive);
    let derive_debug = if debug.is_empty() { quote!(Debug,) } else { TokenStream::new() };
    let builder_doc = format!(" A builder for [`{}`].", def.name);
    quote! {
        #docs
        #deprecated
        #[derive(#derive_debug Clone, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #[doc = #builder_doc]
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
    let code_doc = format!(" The error code on the wire, `{code}`.");
    quote! {
        impl #name {
            #[doc = #code_doc]
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

/// A hand-written `Debug` that redacts sensitive members; empty when deriving is safe.
pub fn debug_impl(type_name: &str, fields: &[Field], whole_is_sensitive: bool) -> TokenStream {
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
    if !fields.iter().any(|f| contains_sensitive_ty(&f.ty)) {
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
pub fn default_expr(field: &Field, value: &DefaultValue) -> String {
    let expr = match (&field.ty.kind, value) {
        (TyKind::Bool, DefaultValue::Bool(b)) => b.to_string(),
        (TyKind::Byte, DefaultValue::Int(i)) => format!("{}i8", *i as i8),
        (TyKind::Short, DefaultValue::Int(i)) => format!("{}i16", *i as i16),
        (TyKind::Integer, DefaultValue::Int(i)) => format!("{}i32", *i as i32),
        (TyKind::Long, DefaultValue::Int(i)) => format!("{i}i64"),
        (TyKind::Float, DefaultValue::Float(f)) => format!("{}f32", *f as f32),
        (TyKind::Double, DefaultValue::Float(f)) => format!("{f}f64"),
        (TyKind::String, DefaultValue::String(s)) => format!("::std::string::String::from({})", str_lit(s)),
        (TyKind::Enum(name), DefaultValue::String(s)) => format!("crate::types::{name}::from({})", str_lit(s)),
        (TyKind::IntEnum(name), DefaultValue::Int(i)) => format!("crate::types::{name}::from({i}i64)"),
        (TyKind::Timestamp(_), DefaultValue::Timestamp(secs)) => format!(
            "crate::DateTime::from_fractional_secs({secs}f64).unwrap_or_else(|_| crate::DateTime::from_secs(0))"
        ),
        // Empty collections, and (the IR only produces defaults matching the field type) nothing else.
        _ => "::std::default::Default::default()".to_string(),
    };
    if field.boxed {
        format!("::std::boxed::Box::new({expr})")
    } else {
        expr
    }
}

/// `slot` (an `Option` of the field's type) with the field's `@default` filled in when it is `None`.
pub fn fill_default(f: &Field, value: &DefaultValue, slot: &str) -> String {
    let default = default_expr(f, value);
    // Literals and empty collections need no closure (and clippy flags one).
    match value {
        _ if f.boxed => format!("{slot}.unwrap_or_else(|| {default})"),
        DefaultValue::Bool(_) | DefaultValue::Int(_) | DefaultValue::Float(_)
            if !matches!(f.ty.kind, TyKind::IntEnum(_)) =>
        {
            format!("{slot}.unwrap_or({default})")
        }
        DefaultValue::Empty => format!("{slot}.unwrap_or_default()"),
        _ => format!("{slot}.unwrap_or_else(|| {default})"),
    }
}

fn builder(def: &TypeDef, s: &Structure) -> TokenStream {
    let name = ident(&def.name);
    let builder_name = format_ident!("{}Builder", crate::naming::unraw(&def.name));
    let doc = format!(" A builder for [`{}`](crate::types::{}).", def.name, crate::naming::unraw(&def.name));
    let slots = s.fields.iter().map(|f| {
        let field_name = ident(&f.rust_name);
        let mut ty = rust_type(&f.ty);
        if f.boxed {
            ty = quote!(::std::boxed::Box<#ty>);
        }
        quote! { #field_name: ::std::option::Option<#ty>, }
    });
    let setters = s.fields.iter().map(setter);
    let mut checks = Vec::new();
    let inits = s.fields.iter().map(|f| {
        let field_name = ident(&f.rust_name);
        let wire = &f.wire_name;
        let token = f.idempotency_token && matches!(f.ty.kind, TyKind::String);
        match &f.presence {
            // Smithy asks clients to fill an idempotency token the caller left out, so retries of one
            // logical request share it.
            Presence::Optional if token => quote! {
                #field_name: ::std::option::Option::Some(self.#field_name.unwrap_or_else(|| ::uuid::Uuid::new_v4().to_string())),
            },
            Presence::Required if token => quote! {
                #field_name: self.#field_name.unwrap_or_else(|| ::uuid::Uuid::new_v4().to_string()),
            },
            Presence::Optional => quote! { #field_name: self.#field_name, },
            Presence::Default(value) => {
                let filled: TokenStream =
                    fill_default(f, value, &format!("self.{}", f.rust_name)).parse().expect("valid Rust");
                quote! { #field_name: #filled, }
            }
            Presence::Required => {
                checks.push(quote! {
                    if self.#field_name.is_none() { missing.push(crate::runtime::validate::Violation::missing(#wire)); }
                });
                quote! { #field_name: self.#field_name.expect("checked above"), }
            }
        }
    }).collect::<Vec<_>>();
    let debug = debug_impl(&format!("{}Builder", crate::naming::unraw(&def.name)), &s.fields, s.sensitive);
    let derive_debug = if debug.is_empty() { quote!(Debug,) } else { TokenStream::new() };
    let build_doc = if checks.is_empty() {
        format!(
            " Builds the [`{}`](crate::types::{}); it has no required members, so this cannot fail.",
            def.name,
            crate::naming::unraw(&def.name)
        )
    } else {
        format!(
            " Builds the [`{}`](crate::types::{}), or fails naming every required member that was not set.",
            def.name,
            crate::naming::unraw(&def.name)
        )
    };
    let body = if checks.is_empty() {
        quote! { ::std::result::Result::Ok(crate::types::#name { #(#inits)* }) }
    } else {
        quote! {
            let mut missing = ::std::vec::Vec::new();
            #(#checks)*
            if !missing.is_empty() {
                return ::std::result::Result::Err(crate::ValidationError::new(missing));
            }
            ::std::result::Result::Ok(crate::types::#name { #(#inits)* })
        }
    };
    quote! {
        #[doc = #doc]
        #[derive(#derive_debug Clone, Default, PartialEq)]
        pub struct #builder_name {
            #(#slots)*
        }

        impl #builder_name {
            #(#setters)*

            #[doc = #build_doc]
            pub fn build(self) -> ::std::result::Result<crate::types::#name, crate::ValidationError> {
                #body
            }
        }

        #debug
    }
}

fn setter(f: &Field) -> TokenStream {
    let field_name = ident(&f.rust_name);
    let set_name = ident(&crate::naming::setter_name(&f.rust_name));
    let ty = rust_type(&f.ty);
    let doc = if f.idempotency_token {
        format!(" Sets `{}`; when left unset, `build` fills in a fresh UUID v4.", f.wire_name)
    } else {
        format!(" Sets `{}`.", f.wire_name)
    };
    let set_doc = format!(" Sets or clears `{}`.", f.wire_name);
    let deprecated = deprecated_attr(f.deprecated.as_ref());
    let (param, convert) = match &f.ty.kind {
        TyKind::String => (quote!(impl ::std::convert::Into<::std::string::String>), quote!(value.into())),
        TyKind::Blob => (quote!(impl ::std::convert::Into<crate::Blob>), quote!(value.into())),
        _ => (ty.clone(), quote!(value)),
    };
    let wrap = if f.boxed { quote!(::std::boxed::Box::new(#convert)) } else { convert };
    let wrap_opt = if f.boxed { quote!(value.map(::std::boxed::Box::new)) } else { quote!(value) };
    quote! {
        #[doc = #doc]
        #deprecated
        pub fn #field_name(mut self, value: #param) -> Self {
            self.#field_name = ::std::option::Option::Some(#wrap);
            self
        }

        #[doc = #set_doc]
        #deprecated
        pub fn #set_name(mut self, value: ::std::option::Option<#ty>) -> Self {
            self.#field_name = #wrap_opt;
            self
        }
    }
}

fn string_enum(def: &TypeDef, variants: &[EnumVariant]) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_attrs(def.docs.as_deref(), &format!("The `{}` enum of the service model.", def.name));
    let deprecated = deprecated_attr(def.deprecated.as_ref());
    let variant_defs = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = &v.value;
        let docs = doc_attrs(v.docs.as_deref(), &format!("`{value}`"));
        let deprecated = deprecated_attr(v.deprecated.as_ref());
        quote! { #docs #deprecated #variant, }
    });
    let as_str = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = &v.value;
        quote! { #name::#variant => #value, }
    });
    let from_str = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = &v.value;
        quote! { #value => #name::#variant, }
    });
    let values = variants.iter().map(|v| &v.value);
    let any_deprecated = variants.iter().any(|v| v.deprecated.is_some());
    let allow = if any_deprecated { quote!(#[allow(deprecated)]) } else { TokenStream::new() };
    quote! {
        #docs
        #deprecated
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_defs)*
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
                    #(#as_str)*
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
                    #(#from_str)*
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
    let variant_defs = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let docs = doc_attrs(v.docs.as_deref(), &format!("`{}`", v.value));
        let deprecated = deprecated_attr(v.deprecated.as_ref());
        quote! { #docs #deprecated #variant, }
    });
    let to_int = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = v.value;
        quote! { #name::#variant => #value, }
    });
    let from_int = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = v.value;
        quote! { #value => #name::#variant, }
    });
    let values = variants.iter().map(|v| v.value);
    quote! {
        #docs
        #deprecated
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_defs)*
            /// A value this version of the crate does not know, kept as it came over the wire.
            Unknown(i64),
        }

        impl #name {
            /// The wire value.
            pub fn as_i64(&self) -> i64 {
                match self {
                    #(#to_int)*
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
                    #(#from_int)*
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
    let variants = fields.iter().map(|f| {
        let variant = ident(&f.rust_name);
        let mut ty = rust_type(&f.ty);
        if f.boxed {
            ty = quote!(::std::boxed::Box<#ty>);
        }
        let docs = doc_attrs(f.docs.as_deref(), &format!("The `{}` member.", f.member_name));
        let deprecated = deprecated_attr(f.deprecated.as_ref());
        quote! { #docs #deprecated #variant(#ty), }
    });
    let sensitive = fields.iter().any(|f| contains_sensitive_ty(&f.ty));
    let (derive_debug, debug) = if sensitive {
        let label = crate::naming::unraw(&def.name);
        let arms = fields.iter().map(|f| {
            let variant = ident(&f.rust_name);
            let text = format!("{label}::{}(*** Sensitive Data Redacted ***)", crate::naming::unraw(&f.rust_name));
            quote! { #name::#variant(_) => f.write_str(#text), }
        });
        let debug = quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match self {
                        #(#arms)*
                        #name::Unknown(member) => f.debug_tuple("Unknown").field(member).finish(),
                    }
                }
            }
        };
        (TokenStream::new(), debug)
    } else {
        (quote!(Debug,), TokenStream::new())
    };
    quote! {
        #docs
        #deprecated
        #[derive(#derive_debug Clone, PartialEq)]
        #[non_exhaustive]
        // Variants mirror the wire shape; boxing the large ones would only make the type harder to use.
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
