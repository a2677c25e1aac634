//! Emits `src/validate.rs`: `Validate` for every structure, union and enum, and the compiled patterns.

use super::common::payload;
use super::text::{allow_deprecated, code, float_lit, str_lit};
use crate::ir::{Constraints, Field, PatternConst, Presence, Service, Ty, TyKind, TypeDef, TypeDefKind};

/// The whole `validate` module.
pub fn emit(service: &Service) -> String {
    let mut out = String::with_capacity(256 * 1024);
    code!(
        out,
        "//! Constraint checks for every shape: required members, lengths, ranges, patterns and enum values.
        //!
        //! The client runs them before sending; call [`Validate::validate`](crate::Validate::validate) to run them yourself.
        {allow_deprecated}",
        allow_deprecated = allow_deprecated(service),
    );
    for pattern in &service.patterns {
        pattern_static(&mut out, pattern);
    }
    for def in &service.types {
        validate_impl(&mut out, def);
    }
    out
}

/// The compiled form of one distinct `@pattern`.
fn pattern_static(out: &mut String, pattern: &PatternConst) {
    let doc = format!(" The model's pattern `{}`.", pattern.ecma.replace('`', "'"));
    if doc.contains(['\n', '\r']) {
        // A `///` comment ends at the line break (and may not hold a bare CR); the attribute it stands
        // for can say the same.
        code!(out, "#[doc = {}]", str_lit(&doc));
    } else {
        code!(out, "///{doc}");
    }
    code!(
        out,
        "pub(crate) static {name}: crate::runtime::pattern::Pattern = crate::runtime::pattern::Pattern::new({ecma}, {regex});",
        name = pattern.name,
        ecma = str_lit(&pattern.ecma),
        regex = str_lit(&pattern.regex),
    );
}

/// `Validate` for one type (error structures get none).
fn validate_impl(out: &mut String, def: &TypeDef) {
    let name = &def.name;
    if matches!(&def.kind, TypeDefKind::Structure(s) if s.error.is_some()) {
        return;
    }
    code!(
        out,
        "impl crate::runtime::validate::Validate for crate::types::{name} {{
            fn validate_at(&self, at: &crate::runtime::validate::Path<'_>, out: &mut ::std::vec::Vec<crate::runtime::validate::Violation>) {{"
    );
    match &def.kind {
        TypeDefKind::Structure(s) => {
            let start = out.len();
            for field in &s.fields {
                field_check(out, field);
            }
            if out.len() == start {
                code!(out, "let _ = (at, out);");
            }
        }
        TypeDefKind::Union(fields) => {
            code!(out, "match self {{");
            for f in fields {
                let variant = &f.rust_name;
                let check = value_check(&f.ty, "value", &format!("&at.member({})", str_lit(&f.wire_name)));
                if check.is_empty() {
                    code!(out, "crate::types::{name}::{variant}{payload} => {{}}", payload = payload(f, "_"));
                } else {
                    code!(
                        out,
                        "crate::types::{name}::{variant}(value) => {{
                            {check}
                        }}"
                    );
                }
            }
            let wire: Vec<String> = fields.iter().map(|f| str_lit(&f.wire_name)).collect();
            code!(
                out,
                "crate::types::{name}::Unknown(member) => {{
                        crate::runtime::validate::unknown_value(member, &[{wire}], false, at, out)
                    }}
                }}",
                wire = wire.join(", "),
            );
        }
        TypeDefKind::Enum(_) => code!(
            out,
            "if let crate::types::{name}::Unknown(value) = self {{
                crate::runtime::validate::unknown_value(value, crate::types::{name}::values(), false, at, out);
            }}"
        ),
        TypeDefKind::IntEnum(_) => code!(
            out,
            "if let crate::types::{name}::Unknown(value) = self {{
                out.push(crate::runtime::validate::Violation::new(
                    at.to_text(),
                    crate::runtime::validate::ViolationKind::Range {{ min: ::std::option::Option::None, max: ::std::option::Option::None, actual: *value as f64 }},
                ));
            }}"
        ),
    }
    code!(out, "}}\n}}");
}

/// The checks of one structure member, if its type has any.
fn field_check(out: &mut String, field: &Field) {
    let name = &field.rust_name;
    let check = value_check(&field.ty, "value", &format!("&at.member({})", str_lit(&field.wire_name)));
    if check.is_empty() {
        return;
    }
    match field.presence {
        Presence::Optional => code!(
            out,
            "if let ::std::option::Option::Some(value) = &self.{name} {{
                {check}
            }}"
        ),
        Presence::Required | Presence::Default(_) => code!(
            out,
            "{{
                let value = &self.{name};
                {check}
            }}"
        ),
    }
}

/// Statements checking `value` (an expression of type `&T`) at `path` (an expression of type `&Path`);
/// empty when the type has nothing to check.
fn value_check(ty: &Ty, value: &str, path: &str) -> String {
    let Constraints { length, range, pattern } = &ty.constraints;
    let mut checks = String::new();
    if let Some(bounds) = length {
        let (min, max) = (option_lit(bounds.min.map(|v| v.to_string())), option_lit(bounds.max.map(|v| v.to_string())));
        match &ty.kind {
            TyKind::String => {
                code!(checks, "crate::runtime::validate::string_length({value}, {min}, {max}, {path}, out);");
            }
            TyKind::Blob => code!(
                checks,
                "crate::runtime::validate::length({value}.as_ref().len(), {min}, {max}, crate::runtime::validate::LengthUnit::Bytes, {path}, out);"
            ),
            TyKind::List { .. } => code!(
                checks,
                "crate::runtime::validate::length({value}.len(), {min}, {max}, crate::runtime::validate::LengthUnit::Elements, {path}, out);"
            ),
            TyKind::Map { .. } => code!(
                checks,
                "crate::runtime::validate::length({value}.len(), {min}, {max}, crate::runtime::validate::LengthUnit::Entries, {path}, out);"
            ),
            _ => {}
        }
    }
    if let Some(bounds) = range {
        let (min, max) = (option_lit(bounds.min.map(float_lit)), option_lit(bounds.max.map(float_lit)));
        let as_f64 = match &ty.kind {
            TyKind::BigInteger | TyKind::BigDecimal => format!("{value}.as_f64()"),
            _ => format!("*{value} as f64"),
        };
        code!(checks, "crate::runtime::validate::range({as_f64}, {min}, {max}, {path}, out);");
    }
    if let Some(name) = pattern {
        code!(checks, "crate::validate::{name}.check({value}, {path}, out);");
    }
    match &ty.kind {
        TyKind::Enum(name) if ty.sensitive => code!(
            checks,
            "if let crate::types::{name}::Unknown(unknown) = {value} {{
                crate::runtime::validate::unknown_value(unknown, crate::types::{name}::values(), true, {path}, out);
            }}"
        ),
        TyKind::Enum(_) | TyKind::IntEnum(_) | TyKind::Structure(_) | TyKind::Union(_) => {
            code!(checks, "crate::runtime::validate::Validate::validate_at({value}, {path}, out);");
        }
        TyKind::List { member, sparse } => {
            let inner = value_check(member, "item", "&at.index(index)");
            if !inner.is_empty() {
                let item = if *sparse { some_item(&inner) } else { inner };
                code!(
                    checks,
                    "{{
                        let at = {path};
                        for (index, item) in {value}.iter().enumerate() {{
                            {item}
                        }}
                    }}"
                );
            }
        }
        TyKind::Map { key, value: value_ty, sparse } => {
            let key_check = value_check(key, "key", "&at.key(key.as_str())");
            let mut item_check = value_check(value_ty, "item", "&at.key(key.as_str())");
            if *sparse && !item_check.is_empty() {
                item_check = some_item(&item_check);
            }
            if !key_check.is_empty() || !item_check.is_empty() {
                code!(
                    checks,
                    "{{
                        let at = {path};
                        for (key, item) in {value}.iter() {{
                            let _ = &item;
                            {key_check}
                            {item_check}
                        }}
                    }}"
                );
            }
        }
        _ => {}
    }
    checks
}

/// `check` run on the element of a sparse list or map only when it is present.
fn some_item(check: &str) -> String {
    format!(
        "if let ::std::option::Option::Some(item) = item {{
            {check}
        }}"
    )
}

/// `Some(literal)` or `None`.
fn option_lit(literal: Option<String>) -> String {
    match literal {
        Some(literal) => format!("::std::option::Option::Some({literal})"),
        None => "::std::option::Option::None".to_string(),
    }
}
