//! Lowering of data shapes: members to fields with their types, presence and defaults, enum
//! variants, and the boxing that gives recursive types a finite size.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Bounds, EnumValue, Member, Shape, ShapeId, ShapeKind, TimestampFormat, Traits};
use crate::naming;

use super::lower::Lowerer;
use super::{
    Constraints, DefaultValue, EnumVariant, Field, IntEnumVariant, IrError, Presence, Ty, TyKind, UnenforcedPattern,
};

impl Lowerer<'_> {
    pub(super) fn fields(
        &mut self,
        owner: &ShapeId,
        members: &[Member],
        boxed_edges: &BTreeSet<(ShapeId, String)>,
        is_union: bool,
        top_level_input: bool,
    ) -> Result<Vec<Field>, IrError> {
        let mut fields = Vec::with_capacity(members.len());
        for member in members {
            let target = self.shape(&member.target);
            let ty = if is_union && member.target.as_str() == "smithy.api#Unit" {
                Ty {
                    kind: TyKind::Unit,
                    constraints: Constraints::default(),
                    sensitive: false,
                    unenforced_pattern: None,
                }
            } else {
                self.ty(&member.target, &member.traits, &member.json_path)?
            };
            let presence =
                if is_union { Presence::Required } else { self.presence(member, target, &ty, top_level_input)? };
            let service_default = match (&presence, &member.traits.default, &target.traits.default) {
                (Presence::Optional, Some(value), _) | (Presence::Optional, None, Some(value))
                    if top_level_input && !value.is_null() && !member.traits.client_optional =>
                {
                    Some(value.to_string())
                }
                _ => None,
            };
            if member.traits.idempotency_token {
                self.features.idempotency_tokens = true;
            }
            fields.push(Field {
                member_name: member.name.clone(),
                // The awsJson protocols always use member names on the wire: `@jsonName` belongs to
                // restJson1 and is not part of their definition.
                wire_name: member.name.clone(),
                rust_name: String::new(),
                boxed: boxed_edges.contains(&(owner.clone(), member.name.clone())),
                ty,
                presence,
                service_default,
                docs: member.traits.documentation.clone().or_else(|| target.traits.documentation.clone()),
                summary: None,
                deprecated: member.traits.deprecated.clone(),
                idempotency_token: member.traits.idempotency_token,
                host_label: member.traits.host_label,
                http: super::HttpBinding::Body,
            });
        }
        let member_names: Vec<&str> = members.iter().map(|m| m.name.as_str()).collect();
        let names = if is_union { naming::variant_names(&member_names) } else { naming::field_names(&member_names) };
        for (field, name) in fields.iter_mut().zip(names) {
            field.rust_name = name;
        }
        Ok(fields)
    }

    /// How a member is present: `top_level_input` is set for the members of an operation's input,
    /// where a `@default` the caller did not set is left for the service to apply, unless the member is
    /// also `@required` (such a member is always sent, as Smithy asks).
    pub(super) fn presence(
        &self,
        member: &Member,
        target: &Shape,
        ty: &Ty,
        top_level_input: bool,
    ) -> Result<Presence, IrError> {
        // `@clientOptional` makes a client ignore the member's default and its `@required`.
        if member.traits.client_optional {
            return Ok(Presence::Optional);
        }
        // A member's own default wins over its target's, and `null` there removes the target's.
        let default = match &member.traits.default {
            Some(value) => Some(value),
            None => target.traits.default.as_ref(),
        };
        if let Some(value) = default.filter(|value| !value.is_null()) {
            // Point at whichever traits object holds the default: the member's own, else the target's.
            let at = if member.traits.default.is_some() { &member.traits.json_path } else { &target.traits.json_path };
            let default = self.default_value(value, ty, at)?;
            if top_level_input && !member.traits.required {
                return Ok(Presence::Optional);
            }
            return Ok(Presence::Default(default));
        }
        Ok(if member.traits.required { Presence::Required } else { Presence::Optional })
    }

    pub(super) fn default_value(
        &self,
        value: &serde_json::Value,
        ty: &Ty,
        path: &str,
    ) -> Result<DefaultValue, IrError> {
        use serde_json::Value as V;
        let wrong = |why: &str| {
            self.error(
                format!("{path}.\"smithy.api#default\""),
                format!("default value {value} does not fit the member's type{why}"),
            )
        };
        Ok(match (&ty.kind, value) {
            (TyKind::Bool, V::Bool(b)) => DefaultValue::Bool(*b),
            (TyKind::Byte | TyKind::Short | TyKind::Integer | TyKind::Long | TyKind::IntEnum(_), V::Number(n)) => {
                let int = n.as_i64().ok_or_else(|| wrong(": not a whole number"))?;
                let fits = match ty.kind {
                    TyKind::Byte => i8::try_from(int).is_ok(),
                    TyKind::Short => i16::try_from(int).is_ok(),
                    TyKind::Integer => i32::try_from(int).is_ok(),
                    _ => true,
                };
                if !fits {
                    return Err(wrong(": out of range"));
                }
                DefaultValue::Int(int)
            }
            (TyKind::Float | TyKind::Double, V::Number(n)) => {
                DefaultValue::Float(n.as_f64().ok_or_else(|| wrong(": not a number"))?)
            }
            (TyKind::String | TyKind::Enum(_), V::String(s)) => DefaultValue::String(s.clone()),
            (TyKind::List { .. }, V::Array(a)) if a.is_empty() => DefaultValue::Empty,
            (TyKind::Map { .. }, V::Object(o)) if o.is_empty() => DefaultValue::Empty,
            (TyKind::List { .. } | TyKind::Map { .. }, _) => {
                return Err(wrong(": a list or map default must be empty"))
            }
            (TyKind::Timestamp(_), V::Number(n)) => {
                DefaultValue::Timestamp(n.as_f64().ok_or_else(|| wrong(": not a number"))?)
            }
            (TyKind::Timestamp(_), V::String(s)) => {
                DefaultValue::Timestamp(parse_date_time(s).ok_or_else(|| wrong(": not an RFC 3339 date-time"))?)
            }
            // Smithy gives a streaming blob member the empty default: no body.
            (TyKind::ByteStream, V::String(s)) if s.is_empty() => DefaultValue::Empty,
            (TyKind::Blob, V::String(s)) => DefaultValue::Blob(decode_base64(s).ok_or_else(|| wrong(": not base64"))?),
            (TyKind::Document, value) => DefaultValue::Document(value.clone()),
            (TyKind::BigInteger, V::Number(n)) if n.is_i64() || n.is_u64() => DefaultValue::BigNumber(n.to_string()),
            (TyKind::BigDecimal, V::Number(n)) => DefaultValue::BigNumber(n.to_string()),
            _ => return Err(wrong("")),
        })
    }

    /// The type of a member targeting `target`, with member traits overriding the target's constraints.
    pub(super) fn ty(&mut self, target_id: &ShapeId, member_traits: &Traits, path: &str) -> Result<Ty, IrError> {
        if target_id.as_str() == "smithy.api#Unit" {
            return Err(self.error(
                format!("{path}.target"),
                "only a union member can target smithy.api#Unit (a member without a value)",
            ));
        }
        let target = self.shape(target_id);
        let traits = &target.traits;
        let pick_length = member_traits.length.or(traits.length);
        let range = member_traits.range.clone().or_else(|| traits.range.clone());
        let pattern = member_traits.pattern.clone().or_else(|| traits.pattern.clone());
        let kind = match &target.kind {
            ShapeKind::String => TyKind::String,
            ShapeKind::Boolean => TyKind::Bool,
            ShapeKind::Byte => TyKind::Byte,
            ShapeKind::Short => TyKind::Short,
            ShapeKind::Integer => TyKind::Integer,
            ShapeKind::Long => TyKind::Long,
            ShapeKind::Float => TyKind::Float,
            ShapeKind::Double => TyKind::Double,
            ShapeKind::BigInteger => {
                self.features.big_numbers = true;
                TyKind::BigInteger
            }
            ShapeKind::BigDecimal => {
                self.features.big_numbers = true;
                TyKind::BigDecimal
            }
            ShapeKind::Timestamp => {
                self.features.timestamps = true;
                TyKind::Timestamp(
                    member_traits.timestamp_format.or(traits.timestamp_format).unwrap_or(TimestampFormat::EpochSeconds),
                )
            }
            ShapeKind::Blob if traits.streaming => {
                self.features.byte_streams = true;
                TyKind::ByteStream
            }
            ShapeKind::Blob => {
                self.features.blobs = true;
                TyKind::Blob
            }
            ShapeKind::Document => {
                self.features.documents = true;
                TyKind::Document
            }
            ShapeKind::Enum { .. } => TyKind::Enum(self.names[target_id].clone()),
            ShapeKind::IntEnum { .. } => TyKind::IntEnum(self.names[target_id].clone()),
            ShapeKind::Structure { .. } => TyKind::Structure(self.names[target_id].clone()),
            ShapeKind::Union { .. } => TyKind::Union(self.names[target_id].clone()),
            ShapeKind::List { member } => TyKind::List {
                member: Box::new(self.ty(&member.target, &member.traits, &member.json_path)?),
                sparse: traits.sparse,
            },
            ShapeKind::Map { key, value } => TyKind::Map {
                key: Box::new(self.ty(&key.target, &key.traits, &key.json_path)?),
                value: Box::new(self.ty(&value.target, &value.traits, &value.json_path)?),
                sparse: traits.sparse,
            },
            ShapeKind::Operation { .. } | ShapeKind::Service { .. } | ShapeKind::Resource { .. } => {
                unreachable!("the loader rejects members targeting non-data shapes")
            }
        };
        let sized = matches!(kind, TyKind::String | TyKind::Blob | TyKind::List { .. } | TyKind::Map { .. });
        let numeric = matches!(
            kind,
            TyKind::Byte
                | TyKind::Short
                | TyKind::Integer
                | TyKind::Long
                | TyKind::Float
                | TyKind::Double
                | TyKind::BigInteger
                | TyKind::BigDecimal
        );
        let length = if sized { pick_length } else { None };
        let range = if numeric {
            range.map(|b| Bounds { min: b.min.and_then(|n| n.as_f64()), max: b.max.and_then(|n| n.as_f64()) })
        } else {
            None
        };
        let (pattern, unenforced_pattern) = match (&kind, pattern) {
            (TyKind::String, Some(ecma)) => {
                // Point at whichever traits object holds the pattern: the member's own, else the target's.
                let at =
                    if member_traits.pattern.is_some() { format!("{path}.traits") } else { traits.json_path.clone() };
                match self.pattern_const(&ecma, target_id, &at) {
                    Ok(name) => (Some(name), None),
                    Err(reason) => (None, Some(UnenforcedPattern { pattern: ecma, reason })),
                }
            }
            _ => (None, None),
        };
        Ok(Ty {
            kind,
            constraints: Constraints { length, range, pattern },
            sensitive: traits.sensitive || member_traits.sensitive,
            unenforced_pattern,
        })
    }

    pub(super) fn enum_variants(&self, id: &ShapeId, members: &[Member]) -> Result<Vec<EnumVariant>, IrError> {
        let mut variants = Vec::new();
        for (member, name) in members.iter().zip(variant_names(members)) {
            let value = match &member.traits.enum_value {
                Some(EnumValue::String(s)) => s.clone(),
                None => member.name.clone(),
                Some(EnumValue::Int(_)) => {
                    return Err(self.error(
                        format!("{}.traits.\"smithy.api#enumValue\"", member.json_path),
                        format!(
                            "enum `{id}` member `{}` has an integer value; string enums need string values",
                            member.name
                        ),
                    ))
                }
            };
            variants.push(EnumVariant {
                name,
                value,
                docs: member.traits.documentation.clone(),
                deprecated: member.traits.deprecated.clone(),
            });
        }
        Ok(variants)
    }

    pub(super) fn int_enum_variants(&self, id: &ShapeId, members: &[Member]) -> Result<Vec<IntEnumVariant>, IrError> {
        let mut variants = Vec::new();
        for (member, name) in members.iter().zip(variant_names(members)) {
            let Some(EnumValue::Int(value)) = member.traits.enum_value else {
                let at = match member.traits.enum_value {
                    Some(_) => format!("{}.traits.\"smithy.api#enumValue\"", member.json_path),
                    None => format!("{}.traits", member.json_path),
                };
                return Err(
                    self.error(at, format!("intEnum `{id}` member `{}` needs an integer @enumValue", member.name))
                );
            };
            variants.push(IntEnumVariant {
                name,
                value,
                docs: member.traits.documentation.clone(),
                deprecated: member.traits.deprecated.clone(),
            });
        }
        Ok(variants)
    }

    /// Direct containment edges: a structure or union member whose value is stored inline
    /// (not behind a list or map, which already live on the heap).
    pub(super) fn direct_edges(&self, named: &[&ShapeId]) -> BTreeMap<ShapeId, Vec<(String, ShapeId, bool)>> {
        let mut edges = BTreeMap::new();
        for id in named {
            let shape = self.shape(id);
            let (members, is_union) = match &shape.kind {
                ShapeKind::Structure { members } => (members, false),
                ShapeKind::Union { members } => (members, true),
                _ => continue,
            };
            let mut out = Vec::new();
            for member in members {
                if matches!(self.shape(&member.target).kind, ShapeKind::Structure { .. } | ShapeKind::Union { .. }) {
                    let mandatory = !is_union && member.traits.required && !member.traits.client_optional;
                    out.push((member.name.clone(), member.target.clone(), mandatory));
                }
            }
            edges.insert((*id).clone(), out);
        }
        edges
    }

    /// Members that close a cycle of inline values; boxing them gives the types a finite size.
    pub(super) fn recursive_edges(&self, named: &[&ShapeId]) -> BTreeSet<(ShapeId, String)> {
        let edges = self.direct_edges(named);
        let mut boxed = BTreeSet::new();
        for (from, out) in &edges {
            for (member, to, _) in out {
                if reaches(&edges, to, from, false) {
                    boxed.insert((from.clone(), member.clone()));
                }
            }
        }
        boxed
    }

    /// A cycle through required structure members has no finite value at all: no boxing helps.
    pub(super) fn check_required_cycles(&self, named: &[&ShapeId]) -> Result<(), IrError> {
        let edges = self.direct_edges(named);
        for (from, out) in &edges {
            for (member, to, mandatory) in out {
                if *mandatory && reaches(&edges, to, from, true) {
                    return Err(self.error(
                        format!("{}.members.{}", Self::shape_path(from), member),
                        format!(
                            "`{from}` contains itself through required members (via `{member}`), so no value of it can exist; make a member of the cycle optional"
                        ),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Whether `goal` is reachable from `start` over direct edges (only mandatory ones when asked).
pub(super) fn reaches(
    edges: &BTreeMap<ShapeId, Vec<(String, ShapeId, bool)>>,
    start: &ShapeId,
    goal: &ShapeId,
    mandatory_only: bool,
) -> bool {
    let mut seen = BTreeSet::new();
    let mut pending = vec![start];
    while let Some(id) = pending.pop() {
        if id == goal {
            return true;
        }
        if !seen.insert(id) {
            continue;
        }
        if let Some(out) = edges.get(id) {
            pending.extend(out.iter().filter(|(_, _, m)| *m || !mandatory_only).map(|(_, to, _)| to));
        }
    }
    false
}

/// The bytes of a `@default` blob value, which the model writes in standard base64 (padding
/// optional); `None` when it is not base64.
pub(super) fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let digit = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let body = text.trim_end_matches('=');
    if text.len() - body.len() > 2 || body.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    for chunk in body.as_bytes().chunks(4) {
        let mut group = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            group |= digit(c)? << (18 - 6 * i);
        }
        let bytes = group.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}

/// Seconds since the epoch of an RFC 3339 date-time (`1985-04-12T23:20:50.52Z`, or with an offset),
/// the string form Smithy allows for a timestamp `@default`.
pub(super) fn parse_date_time(text: &str) -> Option<f64> {
    let number = |part: &str| -> Option<i64> {
        (!part.is_empty() && part.bytes().all(|b| b.is_ascii_digit())).then(|| part.parse().ok()).flatten()
    };
    let (date, time) = text.split_once(['T', 't'])?;
    let mut date_parts = date.splitn(3, '-');
    let (year, month, day) = (number(date_parts.next()?)?, number(date_parts.next()?)?, number(date_parts.next()?)?);
    let (clock, offset) = if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        (clock, 0)
    } else {
        let at = time.rfind(['+', '-'])?;
        let (hours, minutes) = time[at + 1..].split_once(':')?;
        let minutes = number(hours)? * 60 + number(minutes)?;
        (&time[..at], if &time[at..at + 1] == "-" { -minutes } else { minutes })
    };
    let (clock, fraction) = match clock.split_once('.') {
        Some((clock, digits)) => (clock, format!("0.{digits}").parse::<f64>().ok()?),
        None => (clock, 0.0),
    };
    let mut clock_parts = clock.splitn(3, ':');
    let (hour, minute, second) =
        (number(clock_parts.next()?)?, number(clock_parts.next()?)?, number(clock_parts.next()?)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    // Days from the civil date (proleptic Gregorian), counting from 1970-01-01.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset * 60;
    Some(seconds as f64 + fraction)
}

/// The Rust names of an enum's or intEnum's variants, in member order: PascalCase, `Unknown` renamed
/// (the generated enums keep that name for values the model does not list), then made distinct.
fn variant_names(members: &[Member]) -> Vec<String> {
    let mut names: Vec<String> = members
        .iter()
        .map(|member| match naming::pascal(&member.name) {
            name if name == "Unknown" => "UnknownValue".to_string(),
            name => name,
        })
        .collect();
    naming::dedupe_pascal(&mut names);
    names
}
