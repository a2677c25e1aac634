//! Emits `src/ser.rs`: awsJson request bodies for every operation input and what it contains.

use super::common::{fn_suffix, payload, reachable};
use super::text::{allow_deprecated, code, float_lit, str_lit};
use crate::ir::{DefaultValue, Field, Presence, Service, Ty, TyKind, TypeDefKind};
use crate::model::TimestampFormat;

/// The whole `ser` module.
pub fn emit(service: &Service) -> String {
    let inputs: Vec<String> = service.operations.iter().map(|op| op.input.clone()).collect();
    let needed = reachable(service, inputs.iter().cloned());
    // The command-line tool (feature `cli`) also prints outputs; what only it needs is compiled only with it.
    let outputs = service.operations.iter().map(|op| op.output.clone());
    let cli_only: std::collections::BTreeSet<String> =
        reachable(service, outputs).difference(&needed).cloned().collect();
    let mut out = String::with_capacity(64 * 1024);
    code!(
        out,
        "//! awsJson request serializers: wire member names, absent optional members left out.
        {allow_deprecated}",
        allow_deprecated = allow_deprecated(service),
    );
    // Models may share one input structure between operations; it gets one `to_json_body`.
    let mut with_method = std::collections::BTreeSet::new();
    for op in &service.operations {
        let input = &op.input;
        let entry = format!("body_{}", crate::naming::unraw(&op.fn_name));
        code!(
            out,
            "/// The JSON body of a `{op_name}` request.
            pub(crate) fn {entry}(input: &crate::types::{input}) -> ::std::string::String {{
                let mut out = ::std::string::String::with_capacity({capacity});
                let mut object = crate::runtime::json::JsonObjectWriter::new(&mut out);
                ser_{inner}(input, &mut object);
                object.finish();
                out
            }}",
            op_name = op.name,
            capacity = body_size_estimate(service, &op.input, 0),
            inner = fn_suffix(&op.input),
        );
        code!(
            out,
            "#[cfg(feature = \"cli\")]
            /// The JSON the command-line tool prints for a `{op_name}` response.
            pub(crate) fn output_{print}(output: &crate::types::{output}) -> ::std::string::String {{
                let mut out = ::std::string::String::with_capacity(64);
                let mut object = crate::runtime::json::JsonObjectWriter::new(&mut out);
                ser_{inner_output}(output, &mut object);
                object.finish();
                out
            }}",
            op_name = op.name,
            print = crate::naming::unraw(&op.fn_name),
            output = op.output,
            inner_output = fn_suffix(&op.output),
        );
        if with_method.insert(&op.input) {
            code!(
                out,
                "impl crate::types::{input} {{
                    /// The awsJson request body the client sends for this input, exactly as signed.
                    ///
                    /// For logging, for tests, or for sending through an HTTP stack of your own. It does not
                    /// validate: call [`Validate::validate`](crate::Validate::validate) first if the input
                    /// was not built by a builder.
                    pub fn to_json_body(&self) -> ::std::string::String {{
                        {entry}(self)
                    }}
                }}"
            );
        }
    }
    for def in &service.types {
        let gate = if needed.contains(&def.name) {
            ""
        } else if cli_only.contains(&def.name) {
            "#[cfg(feature = \"cli\")]"
        } else {
            continue;
        };
        let name = &def.name;
        let func = format!("ser_{}", fn_suffix(&def.name));
        match &def.kind {
            TypeDefKind::Structure(s) if s.fields.is_empty() => code!(
                out,
                "{gate}
                pub(crate) fn {func}(_value: &crate::types::{name}, _object: &mut crate::runtime::json::JsonObjectWriter<'_>) {{}}"
            ),
            TypeDefKind::Structure(s) => {
                let mut members = String::new();
                for field in &s.fields {
                    structure_member(&mut members, field);
                }
                code!(
                    out,
                    "{gate}
                    pub(crate) fn {func}(value: &crate::types::{name}, object: &mut crate::runtime::json::JsonObjectWriter<'_>) {{
                        {members}
                    }}"
                );
            }
            TypeDefKind::Union(fields) => {
                let mut arms = String::new();
                for f in fields {
                    let mut write = String::new();
                    write_value(&mut write, &f.ty, "value", &format!("object.key({})", str_lit(&f.wire_name)));
                    code!(
                        arms,
                        "crate::types::{name}::{variant}{payload} => {{
                            {write}
                        }}",
                        variant = f.rust_name,
                        payload = payload(f, "value"),
                    );
                }
                code!(
                    out,
                    "{gate}
                    pub(crate) fn {func}(value: &crate::types::{name}, object: &mut crate::runtime::json::JsonObjectWriter<'_>) {{
                        match value {{
                            {arms}
                            // Validation rejects unknown members before a request is serialized.
                            crate::types::{name}::Unknown(_) => {{}}
                        }}
                    }}"
                );
            }
            TypeDefKind::Enum(_) | TypeDefKind::IntEnum(_) => {}
        }
    }
    out
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

fn structure_member(out: &mut String, field: &Field) {
    let name = &field.rust_name;
    let mut write = String::new();
    write_value(&mut write, &field.ty, "value", &format!("object.key({})", str_lit(&field.wire_name)));
    match &field.presence {
        Presence::Optional => code!(
            out,
            "if let ::std::option::Option::Some(value) = &value.{name} {{
                {write}
            }}"
        ),
        Presence::Required => code!(
            out,
            "{{
                let value = &value.{name};
                {write}
            }}"
        ),
        Presence::Default(default) => {
            let block = format!(
                "{{
                    let value = &value.{name};
                    {write}
                }}"
            );
            // Like the AWS SDKs, a member equal to its default is left out; the service applies it.
            match differs_from_default(&field.ty, default, &format!("value.{name}")) {
                Some(differs) => code!(
                    out,
                    "if {differs} {{
                        {block}
                    }}"
                ),
                None => code!(out, "{block}"),
            }
        }
    }
}

/// A condition that holds when `value` is not the member's default, or `None` when that cannot be told.
fn differs_from_default(ty: &Ty, default: &DefaultValue, value: &str) -> Option<String> {
    Some(match (&ty.kind, default) {
        (TyKind::Bool, DefaultValue::Bool(true)) => format!("!{value}"),
        (TyKind::Bool, DefaultValue::Bool(false)) => value.to_string(),
        // Unsuffixed, so the literal takes the member's integer or float type.
        (TyKind::Byte | TyKind::Short | TyKind::Integer | TyKind::Long, DefaultValue::Int(i)) => {
            format!("{value} != {i}")
        }
        (TyKind::Float | TyKind::Double, DefaultValue::Float(f)) => format!("{value} != {}", float_lit(*f)),
        (TyKind::String, DefaultValue::String(s)) => format!("{value} != {}", str_lit(s)),
        (TyKind::Enum(_), DefaultValue::String(s)) => format!("{value}.as_str() != {}", str_lit(s)),
        (TyKind::IntEnum(_), DefaultValue::Int(i)) => format!("{value}.as_i64() != {i}i64"),
        (TyKind::List { .. } | TyKind::Map { .. }, DefaultValue::Empty) => format!("!{value}.is_empty()"),
        _ => return None,
    })
}

/// Statements writing `value` (an expression of type `&T`) with `writer` (a `JsonValueWriter` expression).
fn write_value(out: &mut String, ty: &Ty, value: &str, writer: &str) {
    match &ty.kind {
        TyKind::String => code!(out, "{writer}.string({value});"),
        TyKind::Bool => code!(out, "{writer}.boolean(*{value});"),
        TyKind::Byte | TyKind::Short | TyKind::Integer => code!(out, "{writer}.integer(i64::from(*{value}));"),
        TyKind::Long => code!(out, "{writer}.integer(*{value});"),
        TyKind::Float => code!(out, "{writer}.float(f64::from(*{value}));"),
        TyKind::Double => code!(out, "{writer}.float(*{value});"),
        TyKind::BigInteger | TyKind::BigDecimal => code!(out, "{writer}.raw_number({value}.as_str());"),
        TyKind::Timestamp(format) => {
            let format = match format {
                TimestampFormat::EpochSeconds => "EpochSeconds",
                TimestampFormat::DateTime => "DateTime",
                TimestampFormat::HttpDate => "HttpDate",
            };
            code!(
                out,
                "crate::runtime::json_time::write({value}, crate::runtime::json_time::Format::{format}, {writer});"
            );
        }
        TyKind::Blob => code!(out, "crate::runtime::blob::write({value}, {writer});"),
        TyKind::Document => code!(out, "{writer}.value({value});"),
        TyKind::Unit => code!(out, "{writer}.object().finish();"),
        TyKind::Enum(_) => code!(out, "{writer}.string({value}.as_str());"),
        TyKind::IntEnum(_) => code!(out, "{writer}.integer({value}.as_i64());"),
        TyKind::Structure(name) | TyKind::Union(name) => code!(
            out,
            "let mut object = {writer}.object();
            ser_{suffix}({value}, &mut object);
            object.finish();",
            suffix = fn_suffix(name),
        ),
        TyKind::List { member, sparse } => {
            let mut item = String::new();
            write_value(&mut item, member, "item", "array.value()");
            if *sparse {
                item = format!(
                    "match item {{
                        ::std::option::Option::Some(item) => {{
                            {item}
                        }}
                        ::std::option::Option::None => array.value().null(),
                    }}"
                );
            }
            code!(
                out,
                "let mut array = {writer}.array();
                for item in {value}.iter() {{
                    {item}
                }}
                array.finish();"
            );
        }
        TyKind::Map { value: value_ty, sparse, .. } => {
            let mut item = String::new();
            write_value(&mut item, value_ty, "item", "object.key(key.as_str())");
            if *sparse {
                item = format!(
                    "match item {{
                        ::std::option::Option::Some(item) => {{
                            {item}
                        }}
                        ::std::option::Option::None => object.key(key.as_str()).null(),
                    }}"
                );
            }
            code!(
                out,
                "let mut object = {writer}.object();
                for (key, item) in {value}.iter() {{
                    {item}
                }}
                object.finish();"
            );
        }
    }
}
