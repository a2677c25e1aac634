//! Rust expressions that build a generated crate's values, as lowering typed them from the test
//! cases' JSON: the inputs of the endpoint tests' operation calls, and the inputs, outputs and errors
//! of the protocol tests.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{quote, ToTokens};

use super::tokens::{ident, prefixed};
use crate::ir::{FloatValue, Service, TypedValue};

/// A Rust expression that builds `value` with the crate's builders.
pub fn value_tokens(service: &Service, value: &TypedValue) -> TokenStream {
    let krate = ident(&service.crate_name.replace('-', "_"));
    value_in(&krate, value)
}

fn value_in(krate: &Ident, value: &TypedValue) -> TokenStream {
    let types = quote!(#krate::types);
    let float = |value: &FloatValue, kind: TokenStream, literal: fn(f64) -> Literal| match value {
        FloatValue::Finite(n) => {
            let literal = literal(*n);
            quote!(#literal)
        }
        FloatValue::NaN => quote!(::std::primitive::#kind::NAN),
        FloatValue::Infinity => quote!(::std::primitive::#kind::INFINITY),
        FloatValue::NegInfinity => quote!(::std::primitive::#kind::NEG_INFINITY),
    };
    let optional = |sparse: bool, value: Option<&TypedValue>| match (sparse, value) {
        (true, None) => quote!(::std::option::Option::None),
        (true, Some(value)) => {
            let value = value_in(krate, value);
            quote!(::std::option::Option::Some(#value))
        }
        // Lowering gives a non-sparse collection no missing values.
        (false, value) => value.map(|value| value_in(krate, value)).unwrap_or_default(),
    };
    match value {
        TypedValue::String(s) => quote!(::std::string::String::from(#s)),
        TypedValue::Bool(b) => quote!(#b),
        TypedValue::Byte(n) => Literal::i8_suffixed(*n).into_token_stream(),
        TypedValue::Short(n) => Literal::i16_suffixed(*n).into_token_stream(),
        TypedValue::Integer(n) => Literal::i32_suffixed(*n).into_token_stream(),
        TypedValue::Long(n) => Literal::i64_suffixed(*n).into_token_stream(),
        TypedValue::Float(value) => float(value, quote!(f32), |n| Literal::f32_suffixed(n as f32)),
        TypedValue::Double(value) => float(value, quote!(f64), Literal::f64_suffixed),
        TypedValue::Document(json) => {
            let text = json.to_string();
            quote!(serde_json::from_str::<serde_json::Value>(#text).expect("a JSON document"))
        }
        TypedValue::Enum { type_name, value } => {
            let name = ident(type_name);
            quote!(#types::#name::from(#value))
        }
        TypedValue::IntEnum { type_name, value } => {
            let name = ident(type_name);
            quote!(#types::#name::from(#value))
        }
        TypedValue::List { sparse, items } => {
            let items = items.iter().map(|item| optional(*sparse, item.as_ref()));
            quote!(::std::vec![#(#items),*])
        }
        TypedValue::Map { sparse, entries } => {
            let entries = entries.iter().map(|(k, v)| {
                let k = value_in(krate, k);
                let v = optional(*sparse, v.as_ref());
                quote!((#k, #v))
            });
            quote!(::std::collections::BTreeMap::from([#(#entries),*]))
        }
        TypedValue::Structure { type_name, members } => {
            let setters = members.iter().map(|member| {
                let value = value_in(krate, &member.value);
                let setter = prefixed("set_", &member.field);
                quote!(.#setter(::std::option::Option::Some(#value)))
            });
            let name = ident(type_name);
            let message = format!("the case's `{name}` builds");
            quote!(#types::#name::builder() #(#setters)* .build().expect(#message))
        }
        TypedValue::Union { type_name, variant, value, boxed } => {
            let union = ident(type_name);
            let variant = ident(variant);
            match value {
                None => quote!(#types::#union::#variant),
                Some(value) => {
                    let value = value_in(krate, value);
                    let value = if *boxed { quote!(::std::boxed::Box::new(#value)) } else { value };
                    quote!(#types::#union::#variant(#value))
                }
            }
        }
        TypedValue::Timestamp(seconds) => {
            let seconds = Literal::f64_suffixed(*seconds);
            quote!(#krate::DateTime::from_fractional_secs(#seconds).expect("a timestamp in range"))
        }
        TypedValue::Blob(bytes) => {
            let bytes = Literal::byte_string(bytes);
            quote!(#krate::Blob::new(#bytes.to_vec()))
        }
        TypedValue::ByteStream(bytes) => {
            let bytes = Literal::byte_string(bytes);
            quote!(#krate::ByteStream::from(#bytes.to_vec()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::MemberValue;

    fn printed(value: &TypedValue) -> String {
        value_in(&ident("my_crate"), value).to_string()
    }

    #[test]
    fn sparse_collections_wrap_their_values_and_nulls_are_none() {
        let list = TypedValue::List { sparse: true, items: vec![Some(TypedValue::Integer(1)), None] };
        assert_eq!(
            printed(&list),
            ":: std :: vec ! [:: std :: option :: Option :: Some (1i32) , :: std :: option :: Option :: None]"
        );
        let dense = TypedValue::Map {
            sparse: false,
            entries: vec![(TypedValue::String("k".into()), Some(TypedValue::Bool(true)))],
        };
        assert_eq!(
            printed(&dense),
            ":: std :: collections :: BTreeMap :: from ([(:: std :: string :: String :: from (\"k\") , true)])"
        );
    }

    #[test]
    fn floats_structures_and_unions_use_the_crates_items() {
        assert_eq!(printed(&TypedValue::Float(FloatValue::NaN)), ":: std :: primitive :: f32 :: NAN");
        assert_eq!(printed(&TypedValue::Double(FloatValue::Finite(0.5))), "0.5f64");
        let inner = TypedValue::Structure {
            type_name: "Node".into(),
            members: vec![MemberValue { field: "type".into(), value: TypedValue::Long(7) }],
        };
        let union = TypedValue::Union {
            type_name: "Choice".into(),
            variant: "Next".into(),
            value: Some(Box::new(inner)),
            boxed: true,
        };
        assert_eq!(
            printed(&union),
            "my_crate :: types :: Choice :: Next (:: std :: boxed :: Box :: new (my_crate :: types :: Node :: builder () \
             . set_type (:: std :: option :: Option :: Some (7i64)) . build () . expect (\"the case's `Node` builds\")))"
        );
        let unit =
            TypedValue::Union { type_name: "Choice".into(), variant: "Nothing".into(), value: None, boxed: false };
        assert_eq!(printed(&unit), "my_crate :: types :: Choice :: Nothing");
    }
}
