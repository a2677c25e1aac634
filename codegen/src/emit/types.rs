//! Emits `src/types.rs`: a struct per structure, enums for enums and unions, and builders.

use super::common::{contains_sensitive_ty, payload};
use super::text::{allow_deprecated, boxed_type, code, deprecated_attr, doc_comment, field_type, rust_type, str_lit};
use crate::ir::{
    DefaultValue, EnumVariant, Field, IntEnumVariant, Presence, Service, Structure, TyKind, TypeDef, TypeDefKind,
};

/// The whole `types` module.
pub fn emit(service: &Service) -> String {
    let mut out = String::with_capacity(256 * 1024);
    code!(
        out,
        "//! Shapes of the service model: structures, enums, unions, and their builders.
        {allow_deprecated}",
        allow_deprecated = allow_deprecated(service),
    );
    for def in &service.types {
        match &def.kind {
            TypeDefKind::Structure(s) => {
                structure(&mut out, def, s);
                if s.error.is_some() {
                    error_impls(&mut out, def, s);
                }
            }
            TypeDefKind::Enum(variants) => string_enum(&mut out, def, variants),
            TypeDefKind::IntEnum(variants) => int_enum(&mut out, def, variants),
            TypeDefKind::Union(fields) => union(&mut out, def, fields),
        }
    }
    code!(
        out,
        "/// Builders for the structures in [`crate::types`].
        pub mod builders {{"
    );
    for def in &service.types {
        if let TypeDefKind::Structure(s) = &def.kind {
            builder(&mut out, def, s);
        }
    }
    code!(out, "}}");
    out
}

fn structure(out: &mut String, def: &TypeDef, s: &Structure) {
    let name = &def.name;
    doc_comment(out, def.docs.as_deref(), &format!("The `{name}` structure of the service model."));
    code!(
        out,
        "{deprecated}
        #[derive({derive_debug}Clone, PartialEq)]
        #[non_exhaustive]
        pub struct {name} {{",
        deprecated = deprecated_attr(def.deprecated.as_ref()),
        derive_debug = derive_debug(&s.fields, s.sensitive),
    );
    for f in &s.fields {
        doc_comment(out, f.docs.as_deref(), &format!("The `{}` member.", f.member_name));
        code!(
            out,
            "{deprecated}
            pub {field_name}: {ty},",
            deprecated = deprecated_attr(f.deprecated.as_ref()),
            field_name = f.rust_name,
            ty = field_type(f),
        );
    }
    code!(out, "}}");
    code!(
        out,
        "impl {name} {{
            /// A builder for [`{name}`].
            pub fn builder() -> builders::{builder_name}Builder {{
                builders::{builder_name}Builder::default()
            }}
        }}",
        builder_name = crate::naming::unraw(name),
    );
    debug_impl(out, name, &s.fields, s.sensitive);
}

/// `Display` and `Error` for a modeled error structure: its code, then its message if it has one.
fn error_impls(out: &mut String, def: &TypeDef, s: &Structure) {
    let name = &def.name;
    let code = s.error.as_ref().map(|e| e.code.as_str()).unwrap_or_default();
    let code_lit = str_lit(code);
    let message =
        s.fields.iter().find(|f| f.wire_name.eq_ignore_ascii_case("message") && matches!(f.ty.kind, TyKind::String));
    let display = match message {
        Some(f) if !contains_sensitive_ty(&f.ty) => {
            let field = &f.rust_name;
            let with_message = str_lit(&format!("{}: {{}}", code.replace('{', "{{").replace('}', "}}")));
            match f.presence {
                Presence::Optional => format!(
                    "match &self.{field} {{
                        ::std::option::Option::Some(message) => write!(f, {with_message}, message),
                        ::std::option::Option::None => f.write_str({code_lit}),
                    }}"
                ),
                _ => format!("write!(f, {with_message}, self.{field})"),
            }
        }
        _ => format!("f.write_str({code_lit})"),
    };
    code!(
        out,
        "impl {name} {{
            /// The error code on the wire, `{code}`.
            pub const CODE: &'static str = {code_lit};
        }}

        impl ::std::fmt::Display for {name} {{
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {{
                {display}
            }}
        }}

        impl ::std::error::Error for {name} {{}}"
    );
}

/// Whether a type with these members gets a hand-written, redacting `Debug` instead of a derived one.
fn redacts_debug(fields: &[Field], whole_is_sensitive: bool) -> bool {
    whole_is_sensitive || fields.iter().any(|f| contains_sensitive_ty(&f.ty))
}

/// `Debug, ` for a derive list, unless [`debug_impl`] writes a redacting `Debug`.
fn derive_debug(fields: &[Field], whole_is_sensitive: bool) -> &'static str {
    if redacts_debug(fields, whole_is_sensitive) {
        ""
    } else {
        "Debug, "
    }
}

/// A hand-written `Debug` that redacts sensitive members; nothing when deriving is safe.
pub fn debug_impl(out: &mut String, type_name: &str, fields: &[Field], whole_is_sensitive: bool) {
    let name = type_name;
    let label = str_lit(crate::naming::unraw(type_name));
    if whole_is_sensitive {
        code!(
            out,
            "impl ::std::fmt::Debug for {name} {{
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {{
                    f.write_str(concat!({label}, \" {{ *** Sensitive Data Redacted *** }}\"))
                }}
            }}"
        );
        return;
    }
    if !redacts_debug(fields, false) {
        return;
    }
    code!(
        out,
        "impl ::std::fmt::Debug for {name} {{
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {{
                f.debug_struct({label})"
    );
    for f in fields {
        let field_name = &f.rust_name;
        let label = str_lit(crate::naming::unraw(field_name));
        if contains_sensitive_ty(&f.ty) {
            code!(out, ".field({label}, &\"*** Sensitive Data Redacted ***\")");
        } else {
            code!(out, ".field({label}, &self.{field_name})");
        }
    }
    code!(
        out,
        "       .finish()
            }}
        }}"
    );
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

/// Whether `build` fills in this member when the caller left it out (a string idempotency token).
fn fills_token(f: &Field) -> bool {
    f.idempotency_token && matches!(f.ty.kind, TyKind::String)
}

fn builder(out: &mut String, def: &TypeDef, s: &Structure) {
    let name = &def.name;
    let unraw = crate::naming::unraw(name);
    let builder_name = format!("{unraw}Builder");
    code!(
        out,
        "/// A builder for [`{name}`](crate::types::{unraw}).
        #[derive({derive_debug}Clone, Default, PartialEq)]
        pub struct {builder_name} {{",
        derive_debug = derive_debug(&s.fields, s.sensitive),
    );
    for f in &s.fields {
        code!(out, "{}: ::std::option::Option<{}>,", f.rust_name, boxed_type(f));
    }
    code!(out, "}}");
    code!(out, "impl {builder_name} {{");
    for f in &s.fields {
        setter(out, f);
    }
    let checked = |f: &Field| matches!(f.presence, Presence::Required) && !fills_token(f);
    if s.fields.iter().any(checked) {
        code!(
            out,
            "/// Builds the [`{name}`](crate::types::{unraw}), or fails naming every required member that was not set.
            pub fn build(self) -> ::std::result::Result<crate::types::{name}, crate::ValidationError> {{
                let mut missing = ::std::vec::Vec::new();"
        );
        for f in s.fields.iter().filter(|f| checked(f)) {
            code!(
                out,
                "if self.{field_name}.is_none() {{
                    missing.push(crate::runtime::validate::Violation::missing({wire}));
                }}",
                field_name = f.rust_name,
                wire = str_lit(&f.wire_name),
            );
        }
        code!(
            out,
            "if !missing.is_empty() {{
                return ::std::result::Result::Err(crate::ValidationError::new(missing));
            }}"
        );
    } else {
        code!(
            out,
            "/// Builds the [`{name}`](crate::types::{unraw}); it has no required members, so this cannot fail.
            pub fn build(self) -> ::std::result::Result<crate::types::{name}, crate::ValidationError> {{"
        );
    }
    code!(out, "::std::result::Result::Ok(crate::types::{name} {{");
    for f in &s.fields {
        let field_name = &f.rust_name;
        match &f.presence {
            // Smithy asks clients to fill an idempotency token the caller left out, so retries of one
            // logical request share it.
            Presence::Optional if fills_token(f) => code!(
                out,
                "{field_name}: ::std::option::Option::Some(self.{field_name}.unwrap_or_else(|| ::uuid::Uuid::new_v4().to_string())),"
            ),
            Presence::Required if fills_token(f) => {
                code!(out, "{field_name}: self.{field_name}.unwrap_or_else(|| ::uuid::Uuid::new_v4().to_string()),")
            }
            Presence::Optional => code!(out, "{field_name}: self.{field_name},"),
            Presence::Default(value) => {
                code!(out, "{field_name}: {},", fill_default(f, value, &format!("self.{field_name}")))
            }
            Presence::Required => code!(out, "{field_name}: self.{field_name}.expect(\"checked above\"),"),
        }
    }
    code!(out, "}})");
    code!(
        out,
        "   }}
        }}"
    );
    debug_impl(out, &builder_name, &s.fields, s.sensitive);
}

fn setter(out: &mut String, f: &Field) {
    let field_name = &f.rust_name;
    let ty = rust_type(&f.ty);
    let (param, convert) = match &f.ty.kind {
        TyKind::String => ("impl ::std::convert::Into<::std::string::String>", "value.into()"),
        TyKind::Blob => ("impl ::std::convert::Into<crate::Blob>", "value.into()"),
        _ => (ty.as_str(), "value"),
    };
    let (wrap, wrap_opt) = if f.boxed {
        (format!("::std::boxed::Box::new({convert})"), "value.map(::std::boxed::Box::new)")
    } else {
        (convert.to_string(), "value")
    };
    let doc = if f.idempotency_token {
        format!("Sets `{}`; when left unset, `build` fills in a fresh UUID v4.", f.wire_name)
    } else {
        format!("Sets `{}`.", f.wire_name)
    };
    code!(
        out,
        "/// {doc}
        {deprecated}
        pub fn {field_name}(mut self, value: {param}) -> Self {{
            self.{field_name} = ::std::option::Option::Some({wrap});
            self
        }}

        /// Sets or clears `{wire}`.
        {deprecated}
        pub fn {set_name}(mut self, value: ::std::option::Option<{ty}>) -> Self {{
            self.{field_name} = {wrap_opt};
            self
        }}",
        deprecated = deprecated_attr(f.deprecated.as_ref()),
        wire = f.wire_name,
        set_name = crate::naming::setter_name(field_name),
    );
}

fn string_enum(out: &mut String, def: &TypeDef, variants: &[EnumVariant]) {
    let name = &def.name;
    let mut variant_defs = String::new();
    let mut as_str = String::new();
    let mut from_str = String::new();
    let mut values = String::new();
    for v in variants {
        let variant = &v.name;
        let value = str_lit(&v.value);
        doc_comment(&mut variant_defs, v.docs.as_deref(), &format!("`{}`", v.value));
        code!(variant_defs, "{}{variant},", deprecated_attr(v.deprecated.as_ref()));
        code!(as_str, "{name}::{variant} => {value},");
        code!(from_str, "{value} => {name}::{variant},");
        if !values.is_empty() {
            values.push_str(", ");
        }
        values.push_str(&value);
    }
    let allow = if variants.iter().any(|v| v.deprecated.is_some()) { "#[allow(deprecated)]" } else { "" };
    doc_comment(out, def.docs.as_deref(), &format!("The `{name}` enum of the service model."));
    code!(
        out,
        "{deprecated}
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum {name} {{
            {variant_defs}
            /// A value this version of the crate does not know, kept as it came over the wire.
            ///
            /// Received values are never rejected; sending one fails validation.
            Unknown(::std::string::String),
        }}

        {allow}
        impl {name} {{
            /// The wire value.
            pub fn as_str(&self) -> &str {{
                match self {{
                    {as_str}
                    {name}::Unknown(value) => value.as_str(),
                }}
            }}

            /// Every value the model defines, in model order.
            pub const fn values() -> &'static [&'static str] {{
                &[{values}]
            }}

            /// Whether this is a value the model does not define.
            pub fn is_unknown(&self) -> bool {{
                matches!(self, {name}::Unknown(_))
            }}
        }}

        {allow}
        impl ::std::convert::From<&str> for {name} {{
            fn from(value: &str) -> Self {{
                match value {{
                    {from_str}
                    other => {name}::Unknown(other.to_owned()),
                }}
            }}
        }}

        impl ::std::str::FromStr for {name} {{
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {{
                ::std::result::Result::Ok({name}::from(value))
            }}
        }}

        impl ::std::fmt::Display for {name} {{
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {{
                f.write_str(self.as_str())
            }}
        }}",
        deprecated = deprecated_attr(def.deprecated.as_ref()),
    );
}

fn int_enum(out: &mut String, def: &TypeDef, variants: &[IntEnumVariant]) {
    let name = &def.name;
    let mut variant_defs = String::new();
    let mut to_int = String::new();
    let mut from_int = String::new();
    let mut values = String::new();
    for v in variants {
        let variant = &v.name;
        // Suffixed, as the generated code has always spelled these values.
        let value = format!("{}i64", v.value);
        doc_comment(&mut variant_defs, v.docs.as_deref(), &format!("`{}`", v.value));
        code!(variant_defs, "{}{variant},", deprecated_attr(v.deprecated.as_ref()));
        code!(to_int, "{name}::{variant} => {value},");
        code!(from_int, "{value} => {name}::{variant},");
        if !values.is_empty() {
            values.push_str(", ");
        }
        values.push_str(&value);
    }
    doc_comment(out, def.docs.as_deref(), &format!("The `{name}` enum of the service model."));
    code!(
        out,
        "{deprecated}
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum {name} {{
            {variant_defs}
            /// A value this version of the crate does not know, kept as it came over the wire.
            Unknown(i64),
        }}

        impl {name} {{
            /// The wire value.
            pub fn as_i64(&self) -> i64 {{
                match self {{
                    {to_int}
                    {name}::Unknown(value) => *value,
                }}
            }}

            /// Every value the model defines, in model order.
            pub const fn values() -> &'static [i64] {{
                &[{values}]
            }}

            /// Whether this is a value the model does not define.
            pub fn is_unknown(&self) -> bool {{
                matches!(self, {name}::Unknown(_))
            }}
        }}

        impl ::std::convert::From<i64> for {name} {{
            fn from(value: i64) -> Self {{
                match value {{
                    {from_int}
                    other => {name}::Unknown(other),
                }}
            }}
        }}",
        deprecated = deprecated_attr(def.deprecated.as_ref()),
    );
}

fn union(out: &mut String, def: &TypeDef, fields: &[Field]) {
    let name = &def.name;
    let sensitive = fields.iter().any(|f| contains_sensitive_ty(&f.ty));
    doc_comment(out, def.docs.as_deref(), &format!("The `{name}` union of the service model."));
    // Variants mirror the wire shape; boxing the large ones would only make the type harder to use,
    // hence the `allow`.
    code!(
        out,
        "{deprecated}
        #[derive({derive_debug}Clone, PartialEq)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum {name} {{",
        deprecated = deprecated_attr(def.deprecated.as_ref()),
        derive_debug = if sensitive { "" } else { "Debug, " },
    );
    for f in fields {
        doc_comment(out, f.docs.as_deref(), &format!("The `{}` member.", f.member_name));
        code!(
            out,
            "{deprecated}
            {variant}{payload},",
            deprecated = deprecated_attr(f.deprecated.as_ref()),
            variant = f.rust_name,
            payload = payload(f, &boxed_type(f)),
        );
    }
    code!(
        out,
        "   /// A member this version of the crate does not know; holds its wire name.
            ///
            /// Received values are kept; sending one fails validation.
            Unknown(::std::string::String),
        }}"
    );
    if !sensitive {
        return;
    }
    let label = crate::naming::unraw(name);
    code!(
        out,
        "impl ::std::fmt::Debug for {name} {{
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {{
                match self {{"
    );
    for f in fields {
        let variant = crate::naming::unraw(&f.rust_name);
        let text = match f.ty.kind {
            TyKind::Unit => str_lit(&format!("{label}::{variant}")),
            _ => str_lit(&format!("{label}::{variant}(*** Sensitive Data Redacted ***)")),
        };
        code!(
            out,
            "{name}::{variant}{payload} => f.write_str({text}),",
            variant = f.rust_name,
            payload = payload(f, "_")
        );
    }
    code!(
        out,
        "           {name}::Unknown(member) => f.debug_tuple(\"Unknown\").field(member).finish(),
                }}
            }}
        }}"
    );
}
