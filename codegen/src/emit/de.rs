//! Emits `src/de.rs`: awsJson response deserializers for operation outputs and modeled errors.
//!
//! Unknown members are ignored, unknown enum values and union members are kept, `null` means absent,
//! and a required member the service left out gets its zero value where one exists (Smithy's client
//! error correction), so a lenient service never breaks a caller.

use std::borrow::Cow;

use super::common::{fn_suffix, reachable};
use super::text::{allow_deprecated, boxed_type, code, str_lit};
use super::types::fill_default;
use crate::ir::{Field, Presence, Service, Ty, TyKind, TypeDefKind};
use crate::model::TimestampFormat;

/// The whole `de` module.
pub fn emit(service: &Service) -> String {
    let mut roots: Vec<String> = service.operations.iter().map(|op| op.output.clone()).collect();
    roots.extend(service.operations.iter().flat_map(|op| op.errors.iter().cloned()));
    let needed = reachable(service, roots);
    let mut out = String::with_capacity(128 * 1024);
    code!(
        out,
        "//! awsJson response deserializers.
        {allow_deprecated}
        // Every structure is read with the same `match` over its keys, even when it has one member.
        #![allow(clippy::single_match)]",
        allow_deprecated = allow_deprecated(service),
    );
    // Models may share one output structure between operations; it gets one `from_json_body`.
    let mut with_method = std::collections::BTreeSet::new();
    for op in &service.operations {
        let output = &op.output;
        let entry = format!("body_{}", crate::naming::unraw(&op.fn_name));
        code!(
            out,
            "/// Reads the body of a successful `{op_name}` response.
            pub(crate) fn {entry}(body: &[u8]) -> ::std::result::Result<crate::types::{output}, crate::runtime::json::DeserializeError> {{
                let value = crate::runtime::json::parse(body)?;
                de_{inner}(&value)
            }}",
            op_name = op.name,
            inner = fn_suffix(&op.output),
        );
        if with_method.insert(&op.output) {
            code!(
                out,
                "impl crate::types::{output} {{
                    /// Reads the awsJson body of a successful (2xx) response, as the client does.
                    ///
                    /// For tests, or for responses received through an HTTP stack of your own. Unknown
                    /// members are ignored; the error says which member did not match the model.
                    pub fn from_json_body(body: &[u8]) -> ::std::result::Result<Self, crate::runtime::json::DeserializeError> {{
                        {entry}(body)
                    }}
                }}"
            );
        }
    }
    for def in &service.types {
        if !needed.contains(&def.name) {
            continue;
        }
        let name = &def.name;
        let signature = format!(
            "pub(crate) fn de_{suffix}(value: &::serde_json::Value) -> ::std::result::Result<crate::types::{name}, crate::runtime::json::DeserializeError>",
            suffix = fn_suffix(name),
        );
        match &def.kind {
            TypeDefKind::Structure(s) if s.fields.is_empty() => code!(
                out,
                "{signature} {{
                    crate::runtime::json::object(value)?;
                    ::std::result::Result::Ok(crate::types::{name} {{}})
                }}"
            ),
            TypeDefKind::Structure(s) => {
                let is_error = s.error.is_some();
                let mut slots = String::new();
                let mut arms = String::new();
                let mut inits = String::new();
                for f in &s.fields {
                    let slot = slot_ident(f);
                    code!(
                        slots,
                        "let mut {slot}: ::std::option::Option<{ty}> = ::std::option::Option::None;",
                        ty = boxed_type(f),
                    );
                    let wire = str_lit(&f.wire_name);
                    // awsJson services spell an error's message member either way.
                    let pattern =
                        if is_error && f.wire_name == "message" { "\"message\" | \"Message\"" } else { &wire };
                    code!(
                        arms,
                        "{pattern} => {slot} = crate::runtime::json::optional(value, {read}).map_err(|e| e.at({wire}))?,",
                        read = field_reader(f),
                    );
                    finish_field(&mut inits, f);
                }
                code!(
                    out,
                    "{signature} {{
                        {slots}
                        for (key, value) in crate::runtime::json::object(value)? {{
                            match key.as_str() {{
                                {arms}
                                _ => {{}}
                            }}
                        }}
                        ::std::result::Result::Ok(crate::types::{name} {{
                            {inits}
                        }})
                    }}"
                );
            }
            TypeDefKind::Union(fields) => {
                let mut arms = String::new();
                for f in fields {
                    let wire = str_lit(&f.wire_name);
                    let read = format!("({}).map_err(|e| e.at({wire}))?", boxed(f, read_value(&f.ty)));
                    match f.ty.kind {
                        TyKind::Unit => code!(
                            arms,
                            "{wire} => {{
                                {read};
                                crate::types::{name}::{variant}
                            }}",
                            variant = f.rust_name,
                        ),
                        _ => code!(arms, "{wire} => crate::types::{name}::{variant}({read}),", variant = f.rust_name),
                    }
                }
                code!(
                    out,
                    "{signature} {{
                        let mut found = ::std::option::Option::None;
                        for (key, value) in crate::runtime::json::object(value)? {{
                            // `null` members are absent; `__type` is protocol metadata, not a member.
                            if value.is_null() || key == \"__type\" {{
                                continue;
                            }}
                            let member = match key.as_str() {{
                                {arms}
                                other => crate::types::{name}::Unknown(other.to_owned()),
                            }};
                            if found.replace(member).is_some() {{
                                return ::std::result::Result::Err(crate::runtime::json::DeserializeError::new(\"a union must have exactly one member set, found several\"));
                            }}
                        }}
                        found.ok_or_else(|| crate::runtime::json::DeserializeError::new(\"a union must have exactly one member set, found none\"))
                    }}"
                );
            }
            TypeDefKind::Enum(_) | TypeDefKind::IntEnum(_) => {}
        }
    }
    out
}

fn slot_ident(field: &Field) -> String {
    format!("field_{}", crate::naming::unraw(&field.rust_name))
}

/// A callable reading a field's value, boxed when the field is.
fn field_reader(field: &Field) -> Cow<'static, str> {
    if field.boxed {
        format!("|value| {}", boxed(field, read_value(&field.ty))).into()
    } else {
        reader(&field.ty)
    }
}

/// A callable reading one value: the reader function itself where one exists, else a closure.
fn reader(ty: &Ty) -> Cow<'static, str> {
    match direct_reader(ty) {
        Some(function) => function,
        None => format!("|value| {}", read_value(ty)).into(),
    }
}

/// The function that reads a value of this type from `&Value` on its own, if there is one.
fn direct_reader(ty: &Ty) -> Option<Cow<'static, str>> {
    Some(match &ty.kind {
        TyKind::Bool => "crate::runtime::json::boolean".into(),
        TyKind::Byte => "crate::runtime::json::integer::<i8>".into(),
        TyKind::Short => "crate::runtime::json::integer::<i16>".into(),
        TyKind::Integer => "crate::runtime::json::integer::<i32>".into(),
        TyKind::Long => "crate::runtime::json::integer::<i64>".into(),
        TyKind::Double => "crate::runtime::json::float".into(),
        TyKind::BigInteger => "crate::runtime::big_number::read_integer".into(),
        TyKind::BigDecimal => "crate::runtime::big_number::read_decimal".into(),
        TyKind::Blob => "crate::runtime::blob::read".into(),
        TyKind::Structure(name) | TyKind::Union(name) => format!("de_{}", fn_suffix(name)).into(),
        _ => return None,
    })
}

fn boxed(field: &Field, read: String) -> String {
    if field.boxed {
        format!("({read}).map(::std::boxed::Box::new)")
    } else {
        read
    }
}

fn finish_field(out: &mut String, field: &Field) {
    let name = &field.rust_name;
    let slot = slot_ident(field);
    let value = match &field.presence {
        Presence::Optional => slot,
        Presence::Default(default) => fill_default(field, default, &slot),
        Presence::Required => match zero_value(&field.ty) {
            Some(zero) if zero.is_empty() => format!("{slot}.unwrap_or_default()"),
            Some(zero) if field.boxed => format!("{slot}.unwrap_or_else(|| ::std::boxed::Box::new({zero}))"),
            Some(zero) => format!("{slot}.unwrap_or_else(|| {zero})"),
            None => format!(
                "{slot}.ok_or_else(|| crate::runtime::json::DeserializeError::missing({wire}))?",
                wire = str_lit(&field.wire_name),
            ),
        },
    };
    code!(out, "{name}: {value},");
}

/// The value Smithy's error correction fills in for a missing required member, if the type has one;
/// an empty string means the type's `Default`.
fn zero_value(ty: &Ty) -> Option<String> {
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
        | TyKind::Document
        | TyKind::BigInteger
        | TyKind::BigDecimal
        | TyKind::List { .. }
        | TyKind::Map { .. } => String::new(),
        TyKind::Timestamp(_) => "crate::DateTime::from_secs(0)".to_string(),
        TyKind::Enum(name) => format!("crate::types::{name}::from(\"\")"),
        TyKind::IntEnum(name) => format!("crate::types::{name}::from(0)"),
        TyKind::Structure(_) | TyKind::Union(_) | TyKind::Unit => return None,
    })
}

/// An expression of type `Result<T, DeserializeError>` reading `value: &serde_json::Value`.
fn read_value(ty: &Ty) -> String {
    if let Some(function) = direct_reader(ty) {
        return format!("{function}(value)");
    }
    match &ty.kind {
        TyKind::String => "crate::runtime::json::string(value).map(::std::borrow::ToOwned::to_owned)".to_string(),
        TyKind::Bool => "crate::runtime::json::boolean(value)".to_string(),
        TyKind::Byte => "crate::runtime::json::integer::<i8>(value)".to_string(),
        TyKind::Short => "crate::runtime::json::integer::<i16>(value)".to_string(),
        TyKind::Integer => "crate::runtime::json::integer::<i32>(value)".to_string(),
        TyKind::Long => "crate::runtime::json::integer::<i64>(value)".to_string(),
        TyKind::Float => "crate::runtime::json::float(value).map(|v| v as f32)".to_string(),
        TyKind::Double => "crate::runtime::json::float(value)".to_string(),
        TyKind::BigInteger => "crate::runtime::big_number::read_integer(value)".to_string(),
        TyKind::BigDecimal => "crate::runtime::big_number::read_decimal(value)".to_string(),
        TyKind::Timestamp(format) => {
            let format = match format {
                TimestampFormat::EpochSeconds => "EpochSeconds",
                TimestampFormat::DateTime => "DateTime",
                TimestampFormat::HttpDate => "HttpDate",
            };
            format!("crate::runtime::json_time::read(value, crate::runtime::json_time::Format::{format})")
        }
        TyKind::Blob => "crate::runtime::blob::read(value)".to_string(),
        TyKind::Document => {
            "::std::result::Result::<_, crate::runtime::json::DeserializeError>::Ok(value.clone())".to_string()
        }
        // A member without a value is still sent as an object (`{}`); its contents mean nothing.
        TyKind::Unit => "crate::runtime::json::object(value).map(|_| ())".to_string(),
        TyKind::Enum(name) => format!("crate::runtime::json::string(value).map(crate::types::{name}::from)"),
        TyKind::IntEnum(name) => format!("crate::runtime::json::integer::<i64>(value).map(crate::types::{name}::from)"),
        TyKind::Structure(name) | TyKind::Union(name) => format!("de_{}(value)", fn_suffix(name)),
        TyKind::List { member, sparse } => {
            let list = if *sparse { "sparse_list" } else { "list" };
            format!("crate::runtime::json::{list}(value, {item})", item = reader(member))
        }
        TyKind::Map { key, value: value_ty, sparse } => {
            let map = if *sparse { "sparse_map" } else { "map" };
            let key = match &key.kind {
                TyKind::Enum(name) => Cow::Owned(format!("crate::types::{name}::from")),
                _ => Cow::Borrowed("::std::borrow::ToOwned::to_owned"),
            };
            format!("crate::runtime::json::{map}(value, {key}, {item})", item = reader(value_ty))
        }
    }
}
