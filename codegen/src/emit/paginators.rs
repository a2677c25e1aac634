//! Emits `src/paginators.rs`, for a model with `@paginated` operations: per operation, a paginator
//! that its fluent builder's `into_paginator()` returns, and the three small functions the
//! runtime's page loop (`paginator::Pages`) needs: read the output token, set the input token, take
//! the items out of a page. The loop itself is the runtime's.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::runtime_paths::{PAGINATOR_ITEMS, PAGINATOR_OPERATION, PAGINATOR_PAGES, PAGINATOR_PAGE_FUTURE};
use super::tokens::{doc, doc_block, ident, prefixed, rust_type};
use super::RustFile;
use crate::ir::{MemberPath, Paginator};
use crate::ir::{Operation, Presence, Service};
use crate::naming::unraw;

/// Whether the crate has any paginator (and so `src/paginators.rs`).
pub fn any(service: &Service) -> bool {
    service.operations.iter().any(|op| op.paginator.is_some())
}

/// The `paginators` module.
pub fn emit(service: &Service) -> RustFile {
    let allow = service.uses_deprecated().then(|| quote!(#![allow(deprecated)]));
    let mut file = RustFile::new(quote! {
        //! Paginators for the operations whose model marks them `@paginated`: call `into_paginator()`
        //! on the operation's fluent builder, then `send()` for a stream of pages or `items()` for a
        //! stream of the items on them. Each page costs one call, made when the stream is polled.
        #allow
    });
    for op in &service.operations {
        if let Some(paginator) = &op.paginator {
            file.push(paginator_items(op, paginator));
        }
    }
    file
}

/// The paginator of one operation, its stream types and its three functions.
fn paginator_items(op: &Operation, paginator: &Paginator) -> TokenStream {
    let name = unraw(&op.name);
    let paginator_ty = format_ident!("{name}Paginator");
    let pages_ty = format_ident!("{name}Pages");
    let input = ident(&op.input);
    let output = ident(&op.output);
    let error = ident(&op.error_name);
    let builder = format_ident!("{}Builder", unraw(&op.input));
    let call = prefixed("call_", &op.fn_name);
    let token_ty = rust_type(&paginator.input_token.ty);
    let output_token = prefixed("output_token_", &op.fn_name);
    let set_input_token = prefixed("set_input_token_", &op.fn_name);
    let output_token_fn = output_token_fn(&output_token, &output, &token_ty, &paginator.output_token);
    let input_field = ident(&paginator.input_token.rust_name);
    let set_value = match paginator.input_token.presence {
        Presence::Optional => quote!(::std::option::Option::Some(token)),
        Presence::Required | Presence::Default(_) => quote!(token),
    };
    let error_ty = quote!(crate::error::SdkError<crate::error::#error>);
    let pages_doc = doc(&format!("The pages of `{}`, as a stream of results.", op.name));
    let paginator_doc = doc_block(&format!(
        " Pages through `{}`: the input token `{}` is set from each page's `{}`.\n\n Built by the operation's fluent builder ([`into_paginator`](crate::client::fluent::{name}Fluent::into_paginator)).",
        op.name,
        paginator.input_token.member_name,
        paginator.output_token.wire_names().join("."),
    ));
    let page_size = paginator.page_size.as_ref().map(|field| {
        let setter = ident(&field.rust_name);
        let ty = rust_type(&field.ty);
        let text = doc(&format!(
            "Sets `{}`: the most items the service puts on one page (it may put fewer).",
            field.member_name
        ));
        quote! {
            #text
            pub fn page_size(mut self, value: #ty) -> Self {
                self.inner = self.inner.#setter(value);
                self
            }
        }
    });
    let (items_alias, items_method, items_fn) = match &paginator.items {
        None => (TokenStream::new(), TokenStream::new(), TokenStream::new()),
        Some(items) => {
            let items_ty = format_ident!("{name}Items");
            let items_fn = prefixed("items_", &op.fn_name);
            let collection = rust_type(&items.ty);
            let alias_doc = doc(&format!("The items of every page of `{}`, as a stream of results.", op.name));
            let method_doc = doc(&format!(
                "A stream of the items (`{}`) of every page; an error ends it.",
                items.path.wire_names().join(".")
            ));
            let body = take_path(&items.path);
            (
                quote! {
                    #alias_doc
                    pub type #items_ty = #PAGINATOR_ITEMS<crate::types::#input, crate::types::#output, #error_ty, #token_ty, #collection>;
                },
                quote! {
                    #method_doc
                    pub fn items(self) -> #items_ty {
                        self.send().items(#items_fn)
                    }
                },
                quote! {
                    fn #items_fn(output: crate::types::#output) -> #collection {
                        #body
                    }
                },
            )
        }
    };
    quote! {
        #pages_doc
        pub type #pages_ty = #PAGINATOR_PAGES<crate::types::#input, crate::types::#output, #error_ty, #token_ty>;

        #items_alias

        #paginator_doc
        #[derive(Debug, Clone)]
        pub struct #paginator_ty {
            client: crate::client::Client,
            inner: crate::types::builders::#builder,
            stop_on_duplicate_token: bool,
        }

        impl #paginator_ty {
            pub(crate) fn new(client: crate::client::Client, inner: crate::types::builders::#builder) -> Self {
                #paginator_ty { client, inner, stop_on_duplicate_token: true }
            }

            #page_size

            /// Whether a page whose token is the one its request carried ends the stream (the
            /// default, `true`). Turn it off only for an operation that repeats its token by design,
            /// and stop reading the stream yourself.
            pub fn stop_on_duplicate_token(mut self, stop: bool) -> Self {
                self.stop_on_duplicate_token = stop;
                self
            }

            /// A stream of the pages. An input that does not build is its only item, an error; a
            /// failed call is yielded and ends it.
            pub fn send(self) -> #pages_ty {
                let client = self.client;
                let operation = #PAGINATOR_OPERATION::new(
                    move |input: crate::types::#input| -> #PAGINATOR_PAGE_FUTURE<crate::types::#output, #error_ty> {
                        let client = client.clone();
                        ::std::boxed::Box::pin(async move { client.#call(input).await })
                    },
                    #output_token,
                    #set_input_token,
                );
                let input = self.inner.build().map_err(crate::error::SdkError::Validation);
                #PAGINATOR_PAGES::new(operation, input).stop_on_duplicate_token(self.stop_on_duplicate_token)
            }

            #items_method
        }

        #output_token_fn

        pub(crate) fn #set_input_token(input: &mut crate::types::#input, token: #token_ty) {
            input.#input_field = #set_value;
        }

        #items_fn
    }
}

/// `fn output_token_x(output: &Output) -> Option<&Token>`: follows the path by reference.
fn output_token_fn(
    name: &proc_macro2::Ident,
    output: &proc_macro2::Ident,
    token_ty: &TokenStream,
    path: &MemberPath,
) -> TokenStream {
    let (last, parents) = path.steps.split_last().expect("a member path has a step");
    let mut statements = Vec::new();
    let mut current = quote!(output);
    for (depth, step) in parents.iter().enumerate() {
        let field = ident(&step.field);
        let next = format_ident!("v{depth}");
        let value = match (step.optional, step.boxed) {
            (true, true) => quote!(#current.#field.as_deref()?),
            (true, false) => quote!(#current.#field.as_ref()?),
            (false, true) => quote!(&*#current.#field),
            (false, false) => quote!(&#current.#field),
        };
        statements.push(quote!(let #next = #value;));
        current = quote!(#next);
    }
    let field = ident(&last.field);
    let tail = if last.optional {
        quote!(#current.#field.as_ref())
    } else {
        quote!(::std::option::Option::Some(&#current.#field))
    };
    let visibility = quote!(pub(crate));
    quote! {
        #visibility fn #name(output: &crate::types::#output) -> ::std::option::Option<&#token_ty> {
            #(#statements)*
            #tail
        }
    }
}

/// The body of a function that takes the value at `path` out of `output` (a default, empty value
/// where a member on the way is absent).
fn take_path(path: &MemberPath) -> TokenStream {
    let (last, parents) = path.steps.split_last().expect("a member path has a step");
    let mut statements = Vec::new();
    let mut current = quote!(output);
    for (depth, step) in parents.iter().enumerate() {
        let field = ident(&step.field);
        let next = format_ident!("v{depth}");
        statements.push(if step.optional {
            quote! {
                let ::std::option::Option::Some(#next) = #current.#field else {
                    return ::std::default::Default::default();
                };
            }
        } else {
            quote!(let #next = #current.#field;)
        });
        if step.boxed {
            statements.push(quote!(let #next = *#next;));
        }
        current = quote!(#next);
    }
    let field = ident(&last.field);
    let tail = if last.optional { quote!(#current.#field.unwrap_or_default()) } else { quote!(#current.#field) };
    quote! {
        #(#statements)*
        #tail
    }
}
