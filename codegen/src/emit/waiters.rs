//! Emits `src/waiters.rs` for a model with waiters: a `Client::wait_until_*` method per waiter, the
//! builder it returns (the operation's input setters, then `wait(max_wait)`), and the waiter's
//! acceptors compiled to one function, with each JMESPath path compiled to Rust (`crate::jmespath`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::client::fluent_setter;
use super::runtime_paths::{
    WAITER, WAITER_ACCEPTOR_STATE, WAITER_FINAL_POLL, WAITER_WAIT, WAITER_WAITER_CONFIG, WAITER_WAITER_ERROR,
};
use super::tokens::{doc, doc_block, ident, prefixed};
use super::RustFile;
use crate::ir::waiters::{AcceptorState, Matcher, Waiter};
use crate::ir::{Operation, Service};
use crate::jmespath::{self, Root};
use crate::naming::{pascal, unraw};

/// The whole `waiters` module.
pub fn emit(service: &Service) -> RustFile {
    let mut file = RustFile::new(quote! {
        //! Waiters: poll an operation until a resource reaches the state waited for
        //! (`Client::wait_until_*`), as the model's `smithy.waiters#waitable` traits describe.
    });
    if service.uses_deprecated() {
        file.attrs.extend(quote!(#![allow(deprecated)]));
    }
    file.push(quote! {
        pub use #WAITER_FINAL_POLL;
        pub use #WAITER_WAITER_ERROR;
    });
    for waiter in &service.waiters {
        let Some(op) = service.operations.iter().find(|op| op.name == waiter.operation) else { continue };
        file.push(waiter_items(service, op, waiter));
    }
    file
}

/// The `Client` method, the builder and the acceptors of one waiter.
fn waiter_items(service: &Service, op: &Operation, waiter: &Waiter) -> TokenStream {
    let method = format_ident!("wait_until_{}", unraw(&waiter.fn_name));
    let builder_type = format_ident!("{}Waiter", pascal(&waiter.name));
    let acceptors_fn = prefixed("acceptors_", &waiter.fn_name);
    let wait_fn = prefixed("wait_", &waiter.fn_name);
    let input = ident(&op.input);
    let output = ident(&op.output);
    let error = ident(&op.error_name);
    let input_builder = format_ident!("{}Builder", unraw(&op.input));
    let call = prefixed("call_", &op.fn_name);
    let setters = service.structure(&op.input).fields.iter().map(fluent_setter);
    let (min_delay, max_delay) = (waiter.min_delay, waiter.max_delay);
    let deprecated = waiter.deprecated.then(|| quote!(#[deprecated(note = "the model marks this waiter deprecated")]));
    let summary = format!(
        " The `{}` waiter: polls `{}` until its acceptors reach a success state, every {min_delay} s at first, backing off to at most every {max_delay} s.",
        waiter.name, op.name
    );
    let mut text = summary;
    if let Some(docs) = &waiter.docs {
        text.push_str("\n\n");
        text.push_str(docs);
    }
    text.push_str("\n\nSet the input's members on the returned builder, then `.wait(max_wait).await`.");
    let method_doc = doc_block(&text);
    let builder_doc = doc(&format!(
        "Waits for `{}`; see [`Client::wait_until_{}`](crate::client::Client::wait_until_{}).",
        waiter.name,
        unraw(&waiter.fn_name),
        unraw(&waiter.fn_name)
    ));
    let acceptors = acceptors_body(service, op, waiter);
    quote! {
        impl crate::client::Client {
            #method_doc
            #deprecated
            pub fn #method(&self) -> #builder_type {
                #builder_type { client: self.clone(), inner: ::std::default::Default::default() }
            }
        }

        #builder_doc
        #[derive(Debug, Clone)]
        pub struct #builder_type {
            client: crate::client::Client,
            inner: crate::types::builders::#input_builder,
        }

        impl #builder_type {
            #(#setters)*

            /// The input as set so far.
            pub fn as_input(&self) -> &crate::types::builders::#input_builder {
                &self.inner
            }

            /// Polls until an acceptor reaches a success state (the last poll is returned) or a
            /// failure state, the operation fails in a way no acceptor matches, or `max_wait` has
            /// passed ([`WaiterError`] says which). The first poll is sent at once; no delay runs
            /// past `max_wait`. An input missing a required member fails with
            /// [`WaiterError::OperationFailed`] (0 attempts) before anything is sent.
            pub async fn wait(
                self,
                max_wait: ::std::time::Duration,
            ) -> ::std::result::Result<
                FinalPoll<crate::types::#output, crate::error::SdkError<crate::error::#error>>,
                WaiterError<crate::types::#output, crate::error::SdkError<crate::error::#error>>,
            > {
                let input: crate::types::#input = match self.inner.build() {
                    ::std::result::Result::Ok(input) => input,
                    ::std::result::Result::Err(e) => {
                        return ::std::result::Result::Err(WaiterError::OperationFailed {
                            error: crate::error::SdkError::Validation(e),
                            attempts: 0,
                        });
                    }
                };
                #wait_fn(&self.client, input, max_wait).await
            }
        }

        /// Runs the waiter on a complete input (also for the command-line tool's `wait` command).
        pub(crate) async fn #wait_fn(
            client: &crate::client::Client,
            input: crate::types::#input,
            max_wait: ::std::time::Duration,
        ) -> ::std::result::Result<
            FinalPoll<crate::types::#output, crate::error::SdkError<crate::error::#error>>,
            WaiterError<crate::types::#output, crate::error::SdkError<crate::error::#error>>,
        > {
            let input = &input;
            #WAITER_WAIT(
                #WAITER_WAITER_CONFIG::new(#min_delay, #max_delay),
                max_wait,
                || client.#call(input.clone()),
                |result| #acceptors_fn(input, result),
            )
            .await
        }

        /// The acceptors, in the model's order: the state of the first that matches, and its position.
        #[allow(unused_variables)]
        fn #acceptors_fn(
            input: &crate::types::#input,
            result: &::std::result::Result<crate::types::#output, crate::error::SdkError<crate::error::#error>>,
        ) -> ::std::option::Option<(#WAITER_ACCEPTOR_STATE, usize)> {
            #acceptors
            ::std::option::Option::None
        }
    }
}

/// One `if` per acceptor, returning its state when it matches.
fn acceptors_body(service: &Service, op: &Operation, waiter: &Waiter) -> TokenStream {
    let mut body = TokenStream::new();
    for (index, acceptor) in waiter.acceptors.iter().enumerate() {
        let state = match acceptor.state {
            AcceptorState::Success => quote!(Success),
            AcceptorState::Failure => quote!(Failure),
            AcceptorState::Retry => quote!(Retry),
        };
        let matched = quote!(return ::std::option::Option::Some((#WAITER_ACCEPTOR_STATE::#state, #index)););
        body.extend(match &acceptor.matcher {
            Matcher::Output(path) | Matcher::InputOutput(path) => {
                let root = match &acceptor.matcher {
                    Matcher::Output(_) => Root::Output(&op.output),
                    _ => Root::InputOutput { input: &op.input, output: &op.output },
                };
                // Lowering compiled this path already and dropped the waiter if it failed.
                let test = jmespath::compile_matcher(
                    service,
                    &quote!(#WAITER),
                    root,
                    &path.path,
                    path.comparator,
                    &path.expected,
                )
                .unwrap_or_else(|e| panic!("waiter {}: path `{}` no longer compiles: {e}", waiter.name, path.path));
                quote! {
                    if let ::std::result::Result::Ok(output) = result {
                        if #test {
                            #matched
                        }
                    }
                }
            }
            Matcher::Success(true) => quote! {
                if result.is_ok() {
                    #matched
                }
            },
            Matcher::Success(false) => quote! {
                if result.is_err() {
                    #matched
                }
            },
            Matcher::ErrorType(code) => quote! {
                if let ::std::result::Result::Err(error) = result {
                    // The modeled error's shape name, or the code an unmodeled error came with.
                    if error.as_service_error().and_then(|e| e.code()) == ::std::option::Option::Some(#code)
                        || error.meta().and_then(|m| m.code()) == ::std::option::Option::Some(#code)
                    {
                        #matched
                    }
                }
            },
        });
    }
    body
}
