//! Paginators: the loop that follows an operation's page token, written once and shared by every
//! `@paginated` operation of every generated crate. Generated code supplies only what differs per
//! operation (how to call it, where the tokens and the items live) as plain functions.
//!
//! [`Pages`] is a [`futures_core::Stream`] of pages. It sends the first request with the input as
//! given, then each next one with the previous page's output token copied into the input, and ends
//!
//! - after a page whose output token is absent or empty (the last page),
//! - after yielding an error (a failed call is never retried here; the client already retried it),
//! - after a page whose output token equals the token sent for it, unless
//!   [`Pages::stop_on_duplicate_token`] turned that off: a service that answers a token with itself
//!   would otherwise be called forever. Some services repeat the token by design (CloudWatch Logs'
//!   `GetLogEvents` returns the same `nextForwardToken` once the stream has no newer events), so a
//!   caller that wants to keep polling such an operation turns the check off.
//!
//! [`Items`] flattens the pages into the items of the list (or map) the operation's `items` path
//! names, ending where the pages end.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

pub use futures_core::Stream;

/// A boxed future of one page, as [`Pages`] keeps it between polls.
pub type PageFuture<O, E> = Pin<Box<dyn Future<Output = Result<O, E>> + Send>>;

/// A page token: a string for nearly every service, a map for a few (DynamoDB's `Query` and `Scan`
/// page with `ExclusiveStartKey`/`LastEvaluatedKey`). An empty token means "no more pages", as an
/// absent one does.
pub trait PageToken: Clone + PartialEq + Send + 'static {
    /// Whether the token is empty: the service has no further page.
    fn is_empty_token(&self) -> bool;
}

impl PageToken for String {
    fn is_empty_token(&self) -> bool {
        self.is_empty()
    }
}

impl<K, V> PageToken for std::collections::BTreeMap<K, V>
where
    K: Clone + PartialEq + Send + 'static,
    V: Clone + PartialEq + Send + 'static,
{
    fn is_empty_token(&self) -> bool {
        self.is_empty()
    }
}

/// What a paginator needs to know about one operation: how to send it, how to read the next token
/// from its output, and how to put a token into its input. The generated code builds one per
/// paginated operation from a closure and two functions.
pub struct Operation<I, O, E, T> {
    call: Arc<dyn Fn(I) -> PageFuture<O, E> + Send + Sync>,
    output_token: fn(&O) -> Option<&T>,
    set_input_token: fn(&mut I, T),
}

impl<I, O, E, T> Operation<I, O, E, T> {
    /// The operation sent by `call`, whose page token is read with `output_token` and sent with
    /// `set_input_token`.
    pub fn new(
        call: impl Fn(I) -> PageFuture<O, E> + Send + Sync + 'static,
        output_token: fn(&O) -> Option<&T>,
        set_input_token: fn(&mut I, T),
    ) -> Self {
        Operation { call: Arc::new(call), output_token, set_input_token }
    }
}

impl<I, O, E, T> std::fmt::Debug for Operation<I, O, E, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Operation").finish_non_exhaustive()
    }
}

/// Where the stream is between polls.
enum State<I, O, E> {
    /// The next request's input, not sent yet.
    Ready(I),
    /// A request in flight, with the input it was sent with (for the next page).
    Sending(PageFuture<O, E>, I),
    /// An input that could not be built: yielded once as the stream's only item.
    Failed(E),
    /// The stream has ended.
    Done,
}

/// The pages of a paginated operation, as a [`Stream`] of results: one call per page, sent only when
/// the stream is polled for that page.
pub struct Pages<I, O, E, T> {
    operation: Operation<I, O, E, T>,
    state: State<I, O, E>,
    /// The token the request in flight carries (`None` for the first page).
    sent_token: Option<T>,
    stop_on_duplicate_token: bool,
}

// Nothing in `Pages` is structurally pinned: the only future it polls is boxed.
impl<I, O, E, T> Unpin for Pages<I, O, E, T> {}

impl<I, O, E, T> std::fmt::Debug for Pages<I, O, E, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = match self.state {
            State::Ready(_) => "ready",
            State::Sending(..) => "sending",
            State::Failed(_) => "failed",
            State::Done => "done",
        };
        f.debug_struct("Pages")
            .field("state", &state)
            .field("stop_on_duplicate_token", &self.stop_on_duplicate_token)
            .finish_non_exhaustive()
    }
}

impl<I, O, E, T> Pages<I, O, E, T>
where
    I: Clone + Send + 'static,
    O: Send + 'static,
    E: Send + 'static,
    T: PageToken,
{
    /// The pages of `operation` starting from `input`, or, when the input could not be built, a
    /// stream that yields that error and ends.
    pub fn new(operation: Operation<I, O, E, T>, input: Result<I, E>) -> Self {
        let state = match input {
            Ok(input) => State::Ready(input),
            Err(error) => State::Failed(error),
        };
        Pages { operation, state, sent_token: None, stop_on_duplicate_token: true }
    }

    /// Whether a page whose output token equals the token its request carried ends the stream (the
    /// default, `true`). Turn it off only for operations that repeat a token by design, and stop
    /// reading the stream yourself.
    pub fn stop_on_duplicate_token(mut self, stop: bool) -> Self {
        self.stop_on_duplicate_token = stop;
        self
    }

    /// The items of every page: `items` takes a page apart into the collection the operation's
    /// `items` path names (an empty one where the page has none).
    pub fn items<C>(self, items: fn(O) -> C) -> Items<I, O, E, T, C>
    where
        C: IntoIterator,
    {
        Items { pages: self, items, current: None }
    }

    /// The next page, `None` once the stream has ended: [`StreamExt::next`] without importing it.
    ///
    /// [`StreamExt::next`]: https://docs.rs/futures/latest/futures/stream/trait.StreamExt.html#method.next
    pub async fn next(&mut self) -> Option<Result<O, E>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every page, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<O>, E> {
        let mut pages = Vec::new();
        while let Some(page) = self.next().await {
            pages.push(page?);
        }
        Ok(pages)
    }

    /// What to do with a page that arrived: keep it for the caller, and either set up the next
    /// request or end the stream.
    fn after_page(&mut self, page: &O, mut input: I) {
        let next = (self.operation.output_token)(page).filter(|token| !token.is_empty_token()).cloned();
        let Some(next) = next else {
            self.state = State::Done;
            return;
        };
        if self.stop_on_duplicate_token && self.sent_token.as_ref() == Some(&next) {
            self.state = State::Done;
            return;
        }
        (self.operation.set_input_token)(&mut input, next.clone());
        self.sent_token = Some(next);
        self.state = State::Ready(input);
    }
}

impl<I, O, E, T> Stream for Pages<I, O, E, T>
where
    I: Clone + Send + 'static,
    O: Send + 'static,
    E: Send + 'static,
    T: PageToken,
{
    type Item = Result<O, E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match std::mem::replace(&mut this.state, State::Done) {
                State::Done => return Poll::Ready(None),
                State::Failed(error) => return Poll::Ready(Some(Err(error))),
                State::Ready(input) => {
                    let future = (this.operation.call)(input.clone());
                    this.state = State::Sending(future, input);
                }
                State::Sending(mut future, input) => match future.as_mut().poll(cx) {
                    Poll::Pending => {
                        this.state = State::Sending(future, input);
                        return Poll::Pending;
                    }
                    // The state stays `Done`: an error ends the stream.
                    Poll::Ready(Err(error)) => return Poll::Ready(Some(Err(error))),
                    Poll::Ready(Ok(page)) => {
                        this.after_page(&page, input);
                        return Poll::Ready(Some(Ok(page)));
                    }
                },
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self.state {
            State::Done => (0, Some(0)),
            State::Failed(_) => (1, Some(1)),
            _ => (0, None),
        }
    }
}

/// The items of every page of a paginated operation, as a [`Stream`]: an error (of any page) is
/// yielded as an item, and ends the stream.
pub struct Items<I, O, E, T, C: IntoIterator> {
    pages: Pages<I, O, E, T>,
    items: fn(O) -> C,
    current: Option<C::IntoIter>,
}

// As for `Pages`: no field is structurally pinned.
impl<I, O, E, T, C: IntoIterator> Unpin for Items<I, O, E, T, C> {}

impl<I, O, E, T, C: IntoIterator> std::fmt::Debug for Items<I, O, E, T, C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items").field("pages", &self.pages).finish_non_exhaustive()
    }
}

impl<I, O, E, T, C> Items<I, O, E, T, C>
where
    I: Clone + Send + 'static,
    O: Send + 'static,
    E: Send + 'static,
    T: PageToken,
    C: IntoIterator,
{
    /// The next item, `None` once the stream has ended.
    pub async fn next(&mut self) -> Option<Result<C::Item, E>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every item, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<C::Item>, E> {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item?);
        }
        Ok(items)
    }
}

impl<I, O, E, T, C> Stream for Items<I, O, E, T, C>
where
    I: Clone + Send + 'static,
    O: Send + 'static,
    E: Send + 'static,
    T: PageToken,
    C: IntoIterator,
{
    type Item = Result<C::Item, E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.current.as_mut().and_then(Iterator::next) {
                return Poll::Ready(Some(Ok(item)));
            }
            this.current = None;
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(Some(Ok(page))) => this.current = Some((this.items)(page).into_iter()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;
    use std::sync::Mutex;

    #[derive(Debug, Clone, Default, PartialEq)]
    struct Input {
        token: Option<String>,
    }

    #[derive(Debug, Clone, PartialEq)]
    struct Output {
        next: Option<String>,
        items: Vec<u32>,
    }

    /// The tokens the scripted operation was called with, in order.
    type SentTokens = Arc<Mutex<Vec<Option<String>>>>;

    /// An operation that answers the n-th call with `script[n]` and records each input's token.
    fn scripted(script: Vec<Result<Output, String>>) -> (Operation<Input, Output, String, String>, SentTokens) {
        let sent = Arc::new(Mutex::new(Vec::new()));
        let record = sent.clone();
        let script = Arc::new(Mutex::new(script.into_iter()));
        let operation = Operation::new(
            move |input: Input| {
                record.lock().unwrap().push(input.token);
                let answer = script.lock().unwrap().next().unwrap_or_else(|| Err("called past the script".into()));
                Box::pin(async move { answer }) as PageFuture<Output, String>
            },
            |output: &Output| output.next.as_ref(),
            |input: &mut Input, token: String| input.token = Some(token),
        );
        (operation, sent)
    }

    fn page(next: Option<&str>, items: &[u32]) -> Result<Output, String> {
        Ok(Output { next: next.map(str::to_owned), items: items.to_vec() })
    }

    fn tokens(sent: &SentTokens) -> Vec<Option<String>> {
        sent.lock().unwrap().clone()
    }

    fn some(token: &str) -> Option<String> {
        Some(token.to_owned())
    }

    #[tokio::test]
    async fn follows_tokens_until_an_absent_one() {
        let (operation, sent) = scripted(vec![page(Some("a"), &[1]), page(Some("b"), &[2]), page(None, &[3])]);
        let pages: Vec<_> = Pages::new(operation, Ok(Input::default())).collect().await;
        assert_eq!(pages, vec![page(Some("a"), &[1]), page(Some("b"), &[2]), page(None, &[3])]);
        assert_eq!(tokens(&sent), vec![None, some("a"), some("b")]);
    }

    #[tokio::test]
    async fn an_empty_token_is_the_last_page() {
        let (operation, sent) = scripted(vec![page(Some("a"), &[1]), page(Some(""), &[2])]);
        let pages: Vec<_> = Pages::new(operation, Ok(Input::default())).collect().await;
        assert_eq!(pages.len(), 2);
        assert_eq!(tokens(&sent), vec![None, some("a")]);
    }

    #[tokio::test]
    async fn the_first_request_keeps_a_starting_token() {
        let (operation, sent) = scripted(vec![page(None, &[])]);
        let input = Input { token: some("resume") };
        let pages: Vec<_> = Pages::new(operation, Ok(input)).collect().await;
        assert_eq!(pages.len(), 1);
        assert_eq!(tokens(&sent), vec![some("resume")]);
    }

    #[tokio::test]
    async fn an_error_is_yielded_and_ends_the_stream() {
        let (operation, sent) = scripted(vec![page(Some("a"), &[1]), Err("throttled".into()), page(None, &[3])]);
        let pages: Vec<_> = Pages::new(operation, Ok(Input::default())).collect().await;
        assert_eq!(pages, vec![page(Some("a"), &[1]), Err("throttled".into())]);
        assert_eq!(tokens(&sent).len(), 2, "nothing is sent after the error");
    }

    #[tokio::test]
    async fn an_input_that_did_not_build_is_the_only_item() {
        let (operation, sent) = scripted(vec![]);
        let pages: Vec<_> = Pages::new(operation, Err("missing `name`".to_owned())).collect().await;
        assert_eq!(pages, vec![Err("missing `name`".to_owned())]);
        assert!(tokens(&sent).is_empty());
    }

    #[tokio::test]
    async fn a_repeated_token_ends_the_stream_after_its_page() {
        let script = vec![page(Some("a"), &[1]), page(Some("a"), &[2]), page(None, &[3])];
        let (operation, sent) = scripted(script);
        let pages: Vec<_> = Pages::new(operation, Ok(Input::default())).collect().await;
        assert_eq!(pages, vec![page(Some("a"), &[1]), page(Some("a"), &[2])]);
        assert_eq!(tokens(&sent), vec![None, some("a")]);
    }

    #[tokio::test]
    async fn a_token_seen_earlier_but_not_just_before_is_followed() {
        let script = vec![page(Some("a"), &[]), page(Some("b"), &[]), page(Some("a"), &[]), page(None, &[])];
        let (operation, sent) = scripted(script);
        let pages: Vec<_> = Pages::new(operation, Ok(Input::default())).collect().await;
        assert_eq!(pages.len(), 4);
        assert_eq!(tokens(&sent), vec![None, some("a"), some("b"), some("a")]);
    }

    #[tokio::test]
    async fn with_the_duplicate_check_off_a_repeated_token_is_followed() {
        let script = vec![page(Some("a"), &[1]), page(Some("a"), &[2]), page(Some("a"), &[3]), page(None, &[4])];
        let (operation, sent) = scripted(script);
        let pages = Pages::new(operation, Ok(Input::default())).stop_on_duplicate_token(false);
        let pages: Vec<_> = pages.collect().await;
        assert_eq!(pages.len(), 4);
        assert_eq!(tokens(&sent), vec![None, some("a"), some("a"), some("a")]);
    }

    #[tokio::test]
    async fn items_flatten_the_pages_and_skip_empty_ones() {
        let script = vec![page(Some("a"), &[1, 2]), page(Some("b"), &[]), page(None, &[3])];
        let (operation, _) = scripted(script);
        let items: Vec<_> =
            Pages::new(operation, Ok(Input::default())).items(|page: Output| page.items).collect().await;
        assert_eq!(items, vec![Ok(1), Ok(2), Ok(3)]);
    }

    #[tokio::test]
    async fn items_end_with_the_error_of_a_later_page() {
        let (operation, _) = scripted(vec![page(Some("a"), &[1, 2]), Err("denied".into())]);
        let items: Vec<_> =
            Pages::new(operation, Ok(Input::default())).items(|page: Output| page.items).collect().await;
        assert_eq!(items, vec![Ok(1), Ok(2), Err("denied".into())]);
    }

    #[tokio::test]
    async fn nothing_is_sent_until_the_stream_is_polled_and_one_page_costs_one_call() {
        let (operation, sent) = scripted(vec![page(Some("a"), &[1]), page(None, &[2])]);
        let mut pages = Pages::new(operation, Ok(Input::default()));
        assert!(tokens(&sent).is_empty());
        assert_eq!(pages.next().await, Some(page(Some("a"), &[1])));
        assert_eq!(tokens(&sent).len(), 1);
        assert_eq!(pages.next().await, Some(page(None, &[2])));
        assert_eq!(pages.next().await, None);
        assert_eq!(pages.next().await, None, "an ended stream stays ended");
        assert_eq!(tokens(&sent).len(), 2);
    }

    #[tokio::test]
    async fn the_inherent_next_and_try_collect_need_no_stream_trait() {
        let (operation, _) = scripted(vec![page(Some("a"), &[1]), page(None, &[2])]);
        let mut pages = Pages::new(operation, Ok(Input::default()));
        assert_eq!(Pages::next(&mut pages).await, Some(page(Some("a"), &[1])));
        assert_eq!(pages.try_collect().await.unwrap().len(), 1, "the rest");
        let (operation, _) = scripted(vec![page(Some("a"), &[1, 2]), Err("denied".into())]);
        let items = Pages::new(operation, Ok(Input::default())).items(|page: Output| page.items);
        assert_eq!(items.try_collect().await, Err("denied".to_owned()));
    }

    #[tokio::test]
    async fn map_tokens_page_like_string_tokens() {
        type Key = std::collections::BTreeMap<String, u32>;
        let key = |n: u32| Key::from([("id".to_owned(), n)]);
        let answers = Arc::new(Mutex::new(vec![Some(key(1)), Some(Key::new())].into_iter()));
        let sent = Arc::new(Mutex::new(Vec::new()));
        let record = sent.clone();
        let operation = Operation::new(
            move |input: Option<Key>| {
                record.lock().unwrap().push(input);
                let answer = answers.lock().unwrap().next().flatten();
                Box::pin(async move { Ok::<_, String>(answer) }) as PageFuture<Option<Key>, String>
            },
            |output: &Option<Key>| output.as_ref(),
            |input: &mut Option<Key>, token: Key| *input = Some(token),
        );
        let pages: Vec<_> = Pages::new(operation, Ok(None)).collect().await;
        assert_eq!(pages.len(), 2, "an empty map ends the pages");
        assert_eq!(*sent.lock().unwrap(), vec![None, Some(key(1))]);
    }
}
