//! Lowering of the JSON values of test cases (an endpoint test's `operationParams`, a protocol test's
//! `params`, keyed by member name) to [`TypedValue`]s, checked against the crate's types.

use serde_json::Value;

use super::{FloatValue, MemberValue, Service, TyKind, TypeDefKind, TypedValue};

/// The value of type `ty` that `json` gives; an error says what cannot be built. Floats take `NaN`,
/// `Infinity` and `-Infinity` as strings, timestamps are seconds since the epoch and blobs their
/// bytes as text, as Smithy's test cases write them; a structure member that is `null` is left unset.
pub fn typed_value(service: &Service, ty: &TyKind, json: &Value) -> Result<TypedValue, String> {
    let wrong = |what: &str| format!("expected {what}, found {json}");
    let integer = || json.as_i64().ok_or_else(|| wrong("an integer"));
    Ok(match ty {
        TyKind::String => TypedValue::String(json.as_str().ok_or_else(|| wrong("a string"))?.to_string()),
        TyKind::Bool => TypedValue::Bool(json.as_bool().ok_or_else(|| wrong("a boolean"))?),
        TyKind::Byte => TypedValue::Byte(i8::try_from(integer()?).map_err(|_| wrong("a byte"))?),
        TyKind::Short => TypedValue::Short(i16::try_from(integer()?).map_err(|_| wrong("a short"))?),
        TyKind::Integer => TypedValue::Integer(i32::try_from(integer()?).map_err(|_| wrong("an integer"))?),
        TyKind::Long => TypedValue::Long(integer()?),
        TyKind::Float | TyKind::Double => {
            let value = match json.as_str() {
                Some("NaN") => FloatValue::NaN,
                Some("Infinity") => FloatValue::Infinity,
                Some("-Infinity") => FloatValue::NegInfinity,
                _ => FloatValue::Finite(json.as_f64().ok_or_else(|| wrong("a number"))?),
            };
            if matches!(ty, TyKind::Float) {
                TypedValue::Float(value)
            } else {
                TypedValue::Double(value)
            }
        }
        TyKind::Document => TypedValue::Document(json.clone()),
        TyKind::Enum(name) => TypedValue::Enum {
            type_name: name.clone(),
            value: json.as_str().ok_or_else(|| wrong("a string"))?.to_string(),
        },
        TyKind::IntEnum(name) => TypedValue::IntEnum { type_name: name.clone(), value: integer()? },
        TyKind::List { member, sparse } => {
            let items = json.as_array().ok_or_else(|| wrong("a list"))?;
            let items = items
                .iter()
                .map(|item| match (sparse, item) {
                    (true, Value::Null) => Ok(None),
                    (_, item) => typed_value(service, &member.kind, item).map(Some),
                })
                .collect::<Result<Vec<_>, _>>()?;
            TypedValue::List { sparse: *sparse, items }
        }
        TyKind::Map { key, value, sparse } => {
            let entries = json.as_object().ok_or_else(|| wrong("a map"))?;
            let entries = entries
                .iter()
                .map(|(k, v)| {
                    let k = typed_value(service, &key.kind, &Value::String(k.clone()))?;
                    let v = match (sparse, v) {
                        (true, Value::Null) => None,
                        (_, v) => Some(typed_value(service, &value.kind, v)?),
                    };
                    Ok((k, v))
                })
                .collect::<Result<Vec<_>, String>>()?;
            TypedValue::Map { sparse: *sparse, entries }
        }
        TyKind::Structure(name) => {
            let object = json.as_object().ok_or_else(|| wrong("an object"))?;
            let Some(TypeDefKind::Structure(structure)) = service.type_def(name).map(|t| &t.kind) else {
                return Err(format!("`{name}` is not a structure of the crate"));
            };
            let mut members = Vec::new();
            for (member, member_value) in object {
                // A member given as null is one the caller leaves unset.
                if member_value.is_null() {
                    continue;
                }
                let field = structure
                    .fields
                    .iter()
                    .find(|f| f.member_name == *member)
                    .ok_or_else(|| format!("`{name}` has no member `{member}`"))?;
                let value = typed_value(service, &field.ty.kind, member_value)?;
                members.push(MemberValue { field: field.rust_name.clone(), value });
            }
            TypedValue::Structure { type_name: name.clone(), members }
        }
        TyKind::Union(name) => {
            let object = json.as_object().ok_or_else(|| wrong("an object with one member"))?;
            let (member, member_value) = match object.iter().next() {
                Some(entry) if object.len() == 1 => entry,
                _ => return Err(wrong("an object with one member")),
            };
            let Some(TypeDefKind::Union(fields)) = service.type_def(name).map(|t| &t.kind) else {
                return Err(format!("`{name}` is not a union of the crate"));
            };
            let field = fields
                .iter()
                .find(|f| f.member_name == *member)
                .ok_or_else(|| format!("`{name}` has no member `{member}`"))?;
            let value = match &field.ty.kind {
                TyKind::Unit => None,
                kind => Some(Box::new(typed_value(service, kind, member_value)?)),
            };
            TypedValue::Union { type_name: name.clone(), variant: field.rust_name.clone(), value, boxed: field.boxed }
        }
        TyKind::Timestamp(_) => TypedValue::Timestamp(json.as_f64().ok_or_else(|| wrong("seconds since the epoch"))?),
        TyKind::Blob => {
            TypedValue::Blob(json.as_str().ok_or_else(|| wrong("the blob's bytes as text"))?.as_bytes().to_vec())
        }
        TyKind::ByteStream => {
            TypedValue::ByteStream(json.as_str().ok_or_else(|| wrong("the body's bytes as text"))?.as_bytes().to_vec())
        }
        TyKind::BigInteger | TyKind::BigDecimal | TyKind::Unit => {
            return Err(format!("a value of this kind ({json}) is not supported in generated tests"))
        }
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::{lower, Selection};
    use super::*;
    use crate::model::load_slice;

    fn service() -> Service {
        let text = r#"{"smithy":"2.0","shapes":{
            "ex#Svc":{"type":"service","version":"1","operations":[{"target":"ex#Op"}],
                      "traits":{"aws.protocols#awsJson1_1":{}}},
            "ex#Op":{"type":"operation","input":{"target":"ex#In"}},
            "ex#In":{"type":"structure","members":{
                "Ratio":{"target":"smithy.api#Float"},
                "Small":{"target":"smithy.api#Byte"},
                "Tags":{"target":"ex#Tags"},
                "Counts":{"target":"ex#Counts"},
                "Choice":{"target":"ex#Choice"},
                "Color":{"target":"ex#Color"},
                "Data":{"target":"smithy.api#Blob"},
                "At":{"target":"smithy.api#Timestamp"}}},
            "ex#Tags":{"type":"list","member":{"target":"smithy.api#String"},"traits":{"smithy.api#sparse":{}}},
            "ex#Counts":{"type":"map","key":{"target":"smithy.api#String"},"value":{"target":"smithy.api#Long"}},
            "ex#Choice":{"type":"union","members":{"Nothing":{"target":"smithy.api#Unit"},"Next":{"target":"ex#In"}}},
            "ex#Color":{"type":"enum","members":{"RED":{"target":"smithy.api#Unit","traits":{"smithy.api#enumValue":"red"}}}}}}"#;
        let model = load_slice("test.json", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        lower(&model, &Selection { crate_name: "test".into(), ..Selection::default() }).unwrap()
    }

    fn input(json: Value) -> Result<TypedValue, String> {
        typed_value(&service(), &TyKind::Structure("In".into()), &json)
    }

    fn structure(members: Vec<(&str, TypedValue)>) -> TypedValue {
        TypedValue::Structure {
            type_name: "In".into(),
            members: members.into_iter().map(|(field, value)| MemberValue { field: field.into(), value }).collect(),
        }
    }

    #[test]
    fn json_values_become_values_of_the_members_types() {
        let got = input(json!({
            "Ratio": "-Infinity", "Small": -3, "Tags": ["a", null], "Counts": {"x": 2}, "Color": "red",
            "Data": "hi", "At": 1.5, "Choice": {"Next": {"Ratio": 0.5, "Choice": {"Nothing": {}}}}, "Missing": null
        }))
        .unwrap();
        let inner = structure(vec![
            ("ratio", TypedValue::Float(FloatValue::Finite(0.5))),
            (
                "choice",
                TypedValue::Union { type_name: "Choice".into(), variant: "Nothing".into(), value: None, boxed: false },
            ),
        ]);
        let expected = structure(vec![
            ("ratio", TypedValue::Float(FloatValue::NegInfinity)),
            ("small", TypedValue::Byte(-3)),
            ("tags", TypedValue::List { sparse: true, items: vec![Some(TypedValue::String("a".into())), None] }),
            (
                "counts",
                TypedValue::Map {
                    sparse: false,
                    entries: vec![(TypedValue::String("x".into()), Some(TypedValue::Long(2)))],
                },
            ),
            ("color", TypedValue::Enum { type_name: "Color".into(), value: "red".into() }),
            ("data", TypedValue::Blob(b"hi".to_vec())),
            ("at", TypedValue::Timestamp(1.5)),
            (
                "choice",
                TypedValue::Union {
                    type_name: "Choice".into(),
                    variant: "Next".into(),
                    value: Some(Box::new(inner)),
                    boxed: true,
                },
            ),
        ]);
        assert_eq!(got, expected);
    }

    #[test]
    fn a_value_that_does_not_fit_its_type_says_why() {
        for (json, why) in [
            (json!({"Small": 300}), "expected a byte, found 300"),
            (json!({"Tags": "a"}), r#"expected a list, found "a""#),
            (json!({"Counts": {"x": null}}), "expected an integer, found null"),
            (json!({"Choice": {"Nothing": {}, "Next": {}}}), "expected an object with one member"),
            (json!({"Choice": {"Other": {}}}), "`Choice` has no member `Other`"),
            (json!({"Ratio": "NaNa"}), r#"expected a number, found "NaNa""#),
        ] {
            let error = input(json.clone()).unwrap_err();
            assert!(error.starts_with(why), "{json}: {error}");
        }
    }
}
