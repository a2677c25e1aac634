//! Converts model documentation, written in the small HTML dialect AWS uses,
//! into rustdoc Markdown that builds without rustdoc warnings.
//!
//! The parser is hand-written: AWS documentation uses a tiny, known subset of
//! HTML (paragraphs, lists, links, code, a few AWS-specific tags such as
//! `<note>` and `<fullname>`), and a full HTML parser crate would be a heavy
//! build dependency of the generator for no gain. A forgiving tokenizer plus
//! a tree builder that tolerates unclosed and stray tags covers it.
//!
//! The Markdown escapes everything rustdoc would misread: brackets that would
//! become broken intra-doc links, `<`/`>` that would look like HTML tags, bare
//! URLs (wrapped as `<https://..>` autolinks), emphasis and code characters,
//! and line starts that would become headings or list items. Preformatted
//! text becomes ```` ```text ```` blocks so rustdoc never compiles it.

/// Converts AWS-flavoured HTML documentation into rustdoc Markdown.
///
/// Paragraphs are separated by a blank line, whitespace is collapsed as a
/// browser would, and the result has no trailing whitespace and no raw HTML.
/// Malformed input (unclosed tags, stray `<`, unknown entities) is handled
/// gracefully: the text is kept, the markup is dropped.
pub fn html_to_markdown(html: &str) -> String {
    let tree = build_tree(tokenize(html));
    let mut builder = BlockBuilder::default();
    render_children(&tree, &mut builder);
    render_blocks(&builder.finish())
}

/// Returns the first sentence of the first paragraph of `md` (Markdown as
/// produced by [`html_to_markdown`]) as plain text, for one-line summaries
/// such as CLI help.
///
/// Markup is removed (emphasis, code spans, links keep their text, escapes
/// and entities are resolved) and whitespace is collapsed. A sentence ends
/// at `.`, `!` or `?` followed by whitespace and a word that does not start
/// in lower case; periods inside code spans and URLs never end one.
pub fn first_sentence(md: &str) -> String {
    let plain = plain_text(&first_paragraph(md));
    let mut end = plain.len();
    for (i, &(c, protected)) in plain.iter().enumerate() {
        if protected || !matches!(c, '.' | '!' | '?') {
            continue;
        }
        // Closing quotes and brackets belong to the sentence they end.
        let mut j = i + 1;
        while j < plain.len() && matches!(plain[j].0, '"' | '\'' | ')' | ']' | '\u{201D}' | '\u{2019}') {
            j += 1;
        }
        if j == plain.len() {
            break;
        }
        if !plain[j].0.is_whitespace() {
            continue;
        }
        let next_word = plain[j..].iter().map(|&(c, _)| c).find(|c| !c.is_whitespace());
        if next_word.is_some_and(char::is_lowercase) || (c == '.' && ends_with_abbreviation(&plain[..=i])) {
            continue;
        }
        end = j;
        break;
    }
    let sentence: String = plain[..end].iter().map(|&(c, _)| c).collect();
    sentence.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Abbreviations whose period does not end a sentence even before a capital.
fn ends_with_abbreviation(text: &[(char, bool)]) -> bool {
    // Only the last word matters, and the longest abbreviation has four characters.
    let start = text.iter().rposition(|&(c, _)| c.is_whitespace() || c == '(').map_or(0, |i| i + 1);
    let word = &text[start..];
    word.len() <= 4 && {
        let word: String = word.iter().map(|&(c, _)| c.to_ascii_lowercase()).collect();
        matches!(word.as_str(), "e.g." | "i.e." | "vs.")
    }
}

/// The first block of `md` that is not a code block, with list markers,
/// heading markers and hard-break backslashes removed.
fn first_paragraph(md: &str) -> String {
    let mut lines = Vec::new();
    let mut fence: Option<String> = None;
    for line in md.lines() {
        let trimmed = line.trim();
        if let Some(f) = &fence {
            if trimmed.starts_with(f.as_str()) && trimmed.chars().all(|c| c == '`') {
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") {
            if !lines.is_empty() {
                break;
            }
            fence = Some(trimmed.chars().take_while(|&c| c == '`').collect());
            continue;
        }
        if trimmed.is_empty() {
            if lines.is_empty() {
                continue;
            }
            break;
        }
        let mut content = trimmed.trim_start_matches('#').trim_start();
        let item = content.strip_prefix("- ").or_else(|| {
            let (number, rest) = content.split_once(". ")?;
            (!number.is_empty() && number.bytes().all(|b| b.is_ascii_digit())).then_some(rest)
        });
        if let Some(rest) = item {
            if !lines.is_empty() {
                // The next list item is not part of the first one's sentence.
                break;
            }
            content = rest;
        }
        let content = content.strip_suffix('\\').unwrap_or(content);
        lines.push(content.to_string());
    }
    lines.join(" ")
}

/// Strips Markdown markup, returning characters flagged as protected when
/// they come from code spans or autolinks (so their periods are not sentence
/// ends).
fn plain_text(md: &str) -> Vec<(char, bool)> {
    let chars: Vec<char> = md.chars().collect();
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if chars.get(i + 1).is_some_and(char::is_ascii_punctuation) => {
                out.push((chars[i + 1], false));
                i += 2;
            }
            '`' => {
                let run = chars[i..].iter().take_while(|&&c| c == '`').count();
                let content_start = i + run;
                let close = (content_start..chars.len()).find(|&k| {
                    chars[k..].iter().take_while(|&&c| c == '`').count() == run && (k == 0 || chars[k - 1] != '`')
                });
                match close {
                    Some(k) => {
                        let inner: String = chars[content_start..k].iter().collect();
                        out.extend(inner.trim().chars().map(|c| (c, true)));
                        i = k + run;
                    }
                    None => {
                        out.extend(chars[i..content_start].iter().map(|&c| (c, false)));
                        i = content_start;
                    }
                }
            }
            '*' | '[' => i += 1,
            ']' if chars.get(i + 1) == Some(&'(') => {
                // Skip the link destination; ours never contain `)`.
                i = (i + 2..chars.len()).find(|&k| chars[k] == ')').map_or(chars.len(), |k| k + 1);
            }
            '<' => match (i + 1..chars.len()).find(|&k| chars[k] == '>') {
                Some(k) => {
                    out.extend(chars[i + 1..k].iter().map(|&c| (c, true)));
                    i = k + 1;
                }
                None => {
                    out.push((c, false));
                    i += 1;
                }
            },
            '&' => {
                let rest: String = chars[i..chars.len().min(i + 8)].iter().collect();
                let decoded = [("&lt;", '<'), ("&gt;", '>'), ("&amp;", '&'), ("&quot;", '"')]
                    .iter()
                    .find(|(name, _)| rest.starts_with(name));
                match decoded {
                    Some((name, ch)) => {
                        out.push((*ch, false));
                        i += name.len();
                    }
                    None => {
                        out.push((c, false));
                        i += 1;
                    }
                }
            }
            _ => {
                out.push((c, false));
                i += 1;
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Tokenizer

enum Token {
    Text(String),
    Start { name: String, href: Option<String>, self_closing: bool },
    End(String),
}

fn tokenize(html: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut text = String::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        text.push_str(&rest[..lt]);
        rest = &rest[lt..];
        match read_markup(rest) {
            Some((token, len)) => {
                if !text.is_empty() {
                    tokens.push(Token::Text(decode_entities(&std::mem::take(&mut text))));
                }
                tokens.extend(token);
                rest = &rest[len..];
            }
            None => {
                // Not markup after all: a literal `<` in the text.
                text.push('<');
                rest = &rest[1..];
            }
        }
    }
    text.push_str(rest);
    if !text.is_empty() {
        tokens.push(Token::Text(decode_entities(&text)));
    }
    tokens
}

/// Reads the tag, comment or declaration at the start of `s` (which begins
/// with `<`). Returns the token (none for comments) and its length, or `None`
/// when the `<` does not start well-formed markup.
fn read_markup(s: &str) -> Option<(Option<Token>, usize)> {
    if let Some(body) = s.strip_prefix("<!--") {
        let len = body.find("-->").map_or(s.len(), |end| 4 + end + 3);
        return Some((None, len));
    }
    let after = &s[1..];
    if after.starts_with(['!', '?']) {
        return after.find('>').map(|end| (None, end + 2));
    }
    let (closing, name_start) = match after.strip_prefix('/') {
        Some(r) => (true, r),
        None => (false, after),
    };
    if !name_start.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let name_len =
        name_start.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':')).unwrap_or(name_start.len());
    let name = name_start[..name_len].to_ascii_lowercase();
    let attrs_start = s.len() - name_start.len() + name_len;
    let (attrs, end) = read_attributes(&s[attrs_start..])?;
    let len = attrs_start + end;
    if closing {
        return Some((Some(Token::End(name)), len));
    }
    let self_closing = s[..len - 1].trim_end().ends_with('/');
    let href = attrs.into_iter().find(|(k, _)| k == "href").map(|(_, v)| v);
    Some((Some(Token::Start { name, href, self_closing }), len))
}

/// Reads attributes up to the closing `>`; returns them (names lower-cased,
/// values decoded) and the length including the `>`, or `None` if the tag is
/// never closed.
fn read_attributes(s: &str) -> Option<(Vec<(String, String)>, usize)> {
    let mut attrs = Vec::new();
    let bytes = s.as_bytes();
    let mut i = 0;
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        match bytes.get(i)? {
            b'>' => return Some((attrs, i + 1)),
            b'<' => return None,
            _ => {}
        }
        let name_end = s[i..]
            .find(|c: char| c.is_ascii_whitespace() || matches!(c, '=' | '>' | '/' | '<'))
            .map_or(s.len(), |n| i + n);
        let name = s[i..name_end].to_ascii_lowercase();
        i = name_end;
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            match bytes.get(i)? {
                &q @ (b'"' | b'\'') => {
                    let close = s[i + 1..].find(char::from(q))? + i + 1;
                    value = decode_entities(&s[i + 1..close]);
                    i = close + 1;
                }
                _ => {
                    let end = s[i..].find(|c: char| c.is_ascii_whitespace() || c == '>').map_or(s.len(), |n| i + n);
                    value = decode_entities(&s[i..end]);
                    i = end;
                }
            }
        }
        if !name.is_empty() {
            attrs.push((name, value));
        }
    }
}

/// Decodes character references; unknown or malformed ones stay as written.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        // Names are short; looking further would make `&&&...` quadratic.
        let decoded = rest[1..]
            .char_indices()
            .take(33)
            .find(|&(_, c)| c == ';')
            .and_then(|(semi, _)| entity(&rest[1..1 + semi]).map(|c| (c, semi + 2)));
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let (digits, radix) = match num.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16),
            None => (num, 10),
        };
        if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
            return None;
        }
        let value = u32::from_str_radix(digits, radix).unwrap_or(u32::MAX);
        return Some(char::from_u32(value).filter(|&c| c != '\0').unwrap_or('\u{FFFD}'));
    }
    Some(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{A0}',
        "ndash" => '\u{2013}',
        "mdash" => '\u{2014}',
        "hellip" => '\u{2026}',
        "lsquo" => '\u{2018}',
        "rsquo" => '\u{2019}',
        "ldquo" => '\u{201C}',
        "rdquo" => '\u{201D}',
        "bull" => '\u{2022}',
        "middot" => '\u{B7}',
        "times" => '\u{D7}',
        "copy" => '\u{A9}',
        "reg" => '\u{AE}',
        "trade" => '\u{2122}',
        "deg" => '\u{B0}',
        _ => return None,
    })
}

// ---------------------------------------------------------------------------
// Tree

enum Node {
    Text(String),
    Elem(Elem),
}

struct Elem {
    name: String,
    href: Option<String>,
    children: Vec<Node>,
}

/// Deepest element nesting kept; deeper tags are ignored (their text stays)
/// so hostile input cannot exhaust the stack of the recursive renderer.
const MAX_DEPTH: usize = 48;

fn is_void(name: &str) -> bool {
    matches!(name, "br" | "hr" | "img" | "wbr" | "input" | "meta" | "link" | "col" | "area" | "base" | "source")
}

fn build_tree(tokens: Vec<Token>) -> Vec<Node> {
    let root = Elem { name: String::new(), href: None, children: Vec::new() };
    let mut stack = vec![root];
    // Names of start tags dropped for depth, so their end tags are dropped too.
    let mut ignored: Vec<String> = Vec::new();
    for token in tokens {
        match token {
            Token::Text(t) => push_child(&mut stack, Node::Text(t)),
            Token::Start { name, href, self_closing } => {
                if is_void(&name) || self_closing {
                    let elem = Elem { name, href, children: Vec::new() };
                    push_child(&mut stack, Node::Elem(elem));
                    continue;
                }
                close_implied(&mut stack, &name);
                if stack.len() > MAX_DEPTH {
                    ignored.push(name);
                    continue;
                }
                stack.push(Elem { name, href, children: Vec::new() });
            }
            Token::End(name) => {
                if ignored.last() == Some(&name) {
                    ignored.pop();
                } else if let Some(at) = stack.iter().skip(1).rposition(|e| e.name == name) {
                    while stack.len() > at + 1 {
                        close_top(&mut stack);
                    }
                }
            }
        }
    }
    while stack.len() > 1 {
        close_top(&mut stack);
    }
    stack.pop().map(|root| root.children).unwrap_or_default()
}

fn push_child(stack: &mut [Elem], node: Node) {
    if let Some(top) = stack.last_mut() {
        top.children.push(node);
    }
}

fn close_top(stack: &mut Vec<Elem>) {
    if stack.len() > 1 {
        if let Some(elem) = stack.pop() {
            push_child(stack, Node::Elem(elem));
        }
    }
}

/// Closes elements that HTML closes implicitly when `name` starts: a new list
/// item ends the previous one, a new paragraph ends an open one.
fn close_implied(stack: &mut Vec<Elem>, name: &str) {
    let (siblings, boundaries): (&[&str], &[&str]) = match name {
        "li" => (&["li"], &["ul", "ol"]),
        "dt" | "dd" => (&["dt", "dd"], &["dl"]),
        "p" => {
            if stack.last().is_some_and(|e| e.name == "p") {
                close_top(stack);
            }
            return;
        }
        _ => return,
    };
    let found =
        stack.iter().rposition(|e| siblings.contains(&e.name.as_str()) || boundaries.contains(&e.name.as_str()));
    if let Some(at) = found {
        if at > 0 && siblings.contains(&stack[at].name.as_str()) {
            while stack.len() > at {
                close_top(stack);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Rendering

enum Block {
    Para(Vec<String>),
    Heading(usize, String),
    Code(String),
    List { ordered: bool, items: Vec<Vec<Block>> },
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "ul"
            | "ol"
            | "li"
            | "dl"
            | "dt"
            | "dd"
            | "pre"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "note"
            | "important"
            | "fullname"
            | "blockquote"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "hr"
            | "body"
            | "html"
    )
}

fn has_block_descendant(elem: &Elem) -> bool {
    elem.children.iter().any(|child| match child {
        Node::Elem(e) => is_block(&e.name) || has_block_descendant(e),
        Node::Text(_) => false,
    })
}

#[derive(Default)]
struct BlockBuilder {
    blocks: Vec<Block>,
    inline: Inline,
}

impl BlockBuilder {
    /// Ends the paragraph being written, if it has any content.
    fn flush(&mut self) {
        let inline = std::mem::take(&mut self.inline);
        let lines: Vec<String> =
            inline.buf.split('\n').map(str::trim).filter(|l| !l.is_empty()).map(escape_line_start).collect();
        if !lines.is_empty() {
            self.blocks.push(Block::Para(lines));
        }
    }

    fn finish(mut self) -> Vec<Block> {
        self.flush();
        self.blocks
    }
}

fn render_children(children: &[Node], b: &mut BlockBuilder) {
    // A multi-line <code> that is alone in its container is a code block.
    let mut significant = children.iter().filter(|n| match n {
        Node::Text(t) => !t.chars().all(is_html_space),
        Node::Elem(_) => true,
    });
    if let (Some(Node::Elem(e)), None) = (significant.next(), significant.next()) {
        if e.name == "code" && raw_text(e).contains('\n') {
            b.flush();
            push_code(b, e);
            return;
        }
    }
    for child in children {
        render_node(child, b);
    }
}

fn render_node(node: &Node, b: &mut BlockBuilder) {
    let e = match node {
        Node::Text(t) => {
            b.inline.text(t);
            return;
        }
        Node::Elem(e) => e,
    };
    match e.name.as_str() {
        "br" => b.inline.line_break(),
        "script" | "style" | "head" | "title" => {}
        "ul" | "ol" => {
            b.flush();
            render_list(e, b);
        }
        "dl" => {
            b.flush();
            render_definitions(e, b);
        }
        "pre" => {
            b.flush();
            push_code(b, e);
        }
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
            b.flush();
            let level = usize::from(e.name.as_bytes()[1] - b'0');
            let mut sub = BlockBuilder::default();
            render_children(&e.children, &mut sub);
            let text = sub
                .finish()
                .into_iter()
                .filter_map(|block| match block {
                    Block::Para(lines) => Some(lines.join(" ")),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join(" ");
            if !text.is_empty() {
                b.blocks.push(Block::Heading(level, text));
            }
        }
        "note" | "important" => {
            b.flush();
            let mut sub = BlockBuilder::default();
            render_children(&e.children, &mut sub);
            let mut blocks = sub.finish();
            let label = if e.name == "note" { "**Note:**" } else { "**Important:**" };
            match blocks.first_mut() {
                Some(Block::Para(lines)) => lines[0] = format!("{label} {}", lines[0]),
                _ => blocks.insert(0, Block::Para(vec![label.to_string()])),
            }
            b.blocks.extend(blocks);
        }
        name if is_block(name) => {
            b.flush();
            render_children(&e.children, b);
            b.flush();
        }
        // Inline markup cannot hold blocks in Markdown: keep just the content.
        _ if has_block_descendant(e) => render_children(&e.children, b),
        _ => render_inline(e, &mut b.inline),
    }
}

fn push_code(b: &mut BlockBuilder, e: &Elem) {
    let code = tidy_code(&raw_text(e));
    if !code.is_empty() {
        b.blocks.push(Block::Code(code));
    }
}

fn render_list(e: &Elem, b: &mut BlockBuilder) {
    let mut items: Vec<Vec<Block>> = Vec::new();
    for child in &e.children {
        let mut sub = BlockBuilder::default();
        match child {
            Node::Elem(li) if li.name == "li" => render_children(&li.children, &mut sub),
            Node::Text(t) if t.chars().all(is_html_space) => continue,
            other => render_node(other, &mut sub),
        }
        let blocks = sub.finish();
        if blocks.is_empty() {
            continue;
        }
        // A list written directly inside a list belongs to the previous item.
        let is_sublist = matches!(child, Node::Elem(x) if x.name == "ul" || x.name == "ol");
        match items.last_mut() {
            Some(last) if is_sublist => last.extend(blocks),
            _ => items.push(blocks),
        }
    }
    if !items.is_empty() {
        b.blocks.push(Block::List { ordered: e.name == "ol", items });
    }
}

/// Renders `<dl>` as a bullet list of "**term**: definition" items.
fn render_definitions(e: &Elem, b: &mut BlockBuilder) {
    let mut items: Vec<Vec<Block>> = Vec::new();
    // Whether the last item so far holds only its term.
    let mut term_only = false;
    for child in &e.children {
        let mut sub = BlockBuilder::default();
        match child {
            Node::Elem(dt) if dt.name == "dt" => {
                if has_block_descendant(dt) {
                    render_children(&dt.children, &mut sub);
                } else {
                    sub.inline.bold = true;
                    for c in &dt.children {
                        render_node(c, &mut sub);
                    }
                    let term = std::mem::take(&mut sub.inline.buf).replace('\n', " ");
                    let term = term.trim();
                    if !term.is_empty() {
                        sub.inline = Inline::default();
                        sub.inline.push(&format!("**{term}**"));
                    }
                }
                let blocks = sub.finish();
                term_only = matches!(blocks.as_slice(), [Block::Para(lines)] if lines.len() == 1);
                if !blocks.is_empty() {
                    items.push(blocks);
                }
                continue;
            }
            Node::Elem(dd) if dd.name == "dd" => render_children(&dd.children, &mut sub),
            Node::Text(t) if t.chars().all(is_html_space) => continue,
            other => {
                render_node(other, &mut sub);
                term_only = false;
                items.push(sub.finish());
                continue;
            }
        }
        let mut blocks = sub.finish();
        if blocks.is_empty() {
            continue;
        }
        match items.last_mut() {
            Some(item) if term_only => {
                if let (Some(Block::Para(term)), Block::Para(def)) = (item.last_mut(), &mut blocks[0]) {
                    let merged = format!("{}: {}", term[0], def[0]);
                    def[0] = merged;
                    item.clear();
                }
                item.extend(blocks);
            }
            Some(item) => item.append(&mut blocks),
            None => items.push(blocks),
        }
        term_only = false;
    }
    items.retain(|item| !item.is_empty());
    if !items.is_empty() {
        b.blocks.push(Block::List { ordered: false, items });
    }
}

/// All text below `e`, with `<br>` as a newline, for code.
fn raw_text(e: &Elem) -> String {
    let mut out = String::new();
    collect_text(e, &mut out, true);
    out
}

fn collect_text(e: &Elem, out: &mut String, breaks: bool) {
    for child in &e.children {
        match child {
            Node::Text(t) => out.push_str(t),
            Node::Elem(c) if c.name == "br" && breaks => out.push('\n'),
            Node::Elem(c) => collect_text(c, out, breaks),
        }
    }
}

/// Prepares preformatted text for a fenced block: drops the newline that
/// follows `<pre>`, trailing whitespace, surrounding blank lines and the
/// indentation every line shares (AWS sources indent their HTML).
fn tidy_code(raw: &str) -> String {
    let text = raw.replace("\r\n", "\n").replace(['\r'], "\n").replace('\u{A0}', " ");
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let first = lines.iter().position(|l| !l.is_empty());
    let last = lines.iter().rposition(|l| !l.is_empty());
    let (Some(first), Some(last)) = (first, last) else {
        return String::new();
    };
    let lines = &lines[first..=last];
    let indent = lines
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    lines.iter().map(|l| if l.is_empty() { "" } else { &l[indent..] }).collect::<Vec<_>>().join("\n")
}

fn render_inline(e: &Elem, w: &mut Inline) {
    match e.name.as_str() {
        "b" | "strong" => wrap(e, w, "**", |w| w.bold = true, |w| w.bold),
        "i" | "em" | "cite" => wrap(e, w, "*", |w| w.italic = true, |w| w.italic),
        "code" | "tt" | "kbd" | "samp" | "var" => {
            w.edge_spaces(e);
            w.push_code(&collapse(&raw_text(e)));
            w.edge_spaces_after(e);
        }
        "a" => render_link(e, w),
        "br" => w.line_break(),
        "img" | "script" | "style" => {}
        _ => {
            for child in &e.children {
                render_inline_node(child, w);
            }
        }
    }
}

fn render_inline_node(node: &Node, w: &mut Inline) {
    match node {
        Node::Text(t) => w.text(t),
        Node::Elem(e) => render_inline(e, w),
    }
}

/// Renders `e` into a child writer and surrounds the result with `marker`,
/// keeping whitespace outside the markers (`** x **` is not emphasis) and
/// skipping markers when an enclosing element already applies them.
fn wrap(e: &Elem, w: &mut Inline, marker: &'static str, set: fn(&mut Inline), active: fn(&Inline) -> bool) {
    if active(w) {
        for child in &e.children {
            render_inline_node(child, w);
        }
        return;
    }
    let mut sub = w.child();
    set(&mut sub);
    for child in &e.children {
        render_inline_node(child, &mut sub);
    }
    let text = sub.buf.trim_matches('\n');
    if sub.leading_space {
        w.space();
    }
    if !text.is_empty() {
        // Nested markers fuse with ours into one delimiter run, so the
        // characters that decide flanking are the ones inside them.
        let core = text.trim_matches('*');
        let starts_with_punct = core.chars().next().is_some_and(is_md_punct);
        let ends_with_punct = core.chars().last().is_some_and(is_md_punct);
        let touching = w
            .last_emphasis
            .as_ref()
            .filter(|prev| prev.marker == marker && prev.end == w.buf.len() && !w.pending_space)
            .map(|prev| prev.open);
        let prev_char = if w.pending_space { None } else { w.buf.chars().last() };
        if let Some(open) = touching {
            // `**a****b**` is not two bold words: extend the previous run.
            w.buf.truncate(w.buf.len() - marker.len());
            w.buf.push_str(text);
            w.buf.push_str(marker);
            w.last_emphasis = Some(Emphasis { marker, open, end: w.buf.len(), ends_with_punct });
        } else if starts_with_punct && prev_char.is_some_and(is_word_char) {
            // `x**(y)**` cannot open emphasis in CommonMark; show the text plainly.
            w.push(text);
        } else {
            w.push(&format!("{marker}{text}{marker}"));
            let end = w.buf.len();
            w.last_emphasis =
                Some(Emphasis { marker, open: end - text.len() - 2 * marker.len(), end, ends_with_punct });
        }
    }
    if sub.pending_space {
        w.space();
    }
}

/// CommonMark's punctuation for flanking rules (approximated: anything that
/// is neither alphanumeric nor whitespace).
fn is_md_punct(c: char) -> bool {
    !c.is_alphanumeric() && !c.is_whitespace()
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn render_link(e: &Elem, w: &mut Inline) {
    let href = e.href.as_deref().map(str::trim).unwrap_or("");
    let lower = href.to_ascii_lowercase();
    let absolute = ["https://", "http://", "mailto:", "ftp://"]
        .iter()
        .any(|scheme| lower.starts_with(scheme) && lower.len() > scheme.len());
    if e.href.is_none() {
        // AWS writes cross references as <a>ShapeName</a>.
        w.edge_spaces(e);
        let text = collapse(&raw_text(e));
        if w.in_link {
            w.push(&escape_text(&text, true));
        } else {
            w.push_code(&text);
        }
        w.edge_spaces_after(e);
        return;
    }
    if !absolute || w.in_link {
        // Relative links would resolve against the rustdoc output and break.
        for child in &e.children {
            render_inline_node(child, w);
        }
        return;
    }
    let dest = encode_destination(href);
    let mut sub = w.child();
    sub.in_link = true;
    for child in &e.children {
        render_inline_node(child, &mut sub);
    }
    let text = sub.buf.replace('\n', " ");
    let text = text.trim();
    if sub.leading_space {
        w.space();
    }
    if text.is_empty() || collapse(&raw_text(e)) == href {
        w.push(&format!("<{dest}>"));
    } else {
        w.push(&format!("[{text}]({dest})"));
    }
    if sub.pending_space {
        w.space();
    }
}

/// Percent-encodes what cannot appear in a Markdown link destination.
fn encode_destination(href: &str) -> String {
    let mut out = String::with_capacity(href.len());
    for c in href.chars() {
        match c {
            ' ' | '<' | '>' | '(' | ')' | '\\' | '`' | '"' => out.push_str(&format!("%{:02X}", c as u32)),
            c if c.is_control() || c == '\u{A0}' => {
                let mut buf = [0u8; 4];
                for byte in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{byte:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// `text` as a Markdown code span, fenced with more backticks than it contains.
pub fn code_span(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}

fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0C' | '\u{A0}')
}

fn collapse(s: &str) -> String {
    s.split(is_html_space).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Where an emphasis run sits in [`Inline::buf`].
struct Emphasis {
    marker: &'static str,
    /// Byte offset of the opening marker.
    open: usize,
    /// Byte offset just past the closing marker.
    end: usize,
    /// Whether the text ends with punctuation, so the closing marker only
    /// works if whitespace or punctuation follows.
    ends_with_punct: bool,
}

/// Accumulates the Markdown of one paragraph, collapsing whitespace.
#[derive(Default)]
struct Inline {
    buf: String,
    /// Whitespace was seen after the last content.
    pending_space: bool,
    /// Whitespace was seen before any content (for child writers).
    leading_space: bool,
    bold: bool,
    italic: bool,
    in_link: bool,
    /// The emphasis run written last, while nothing has followed it.
    last_emphasis: Option<Emphasis>,
    /// The text of the last code span and where the span starts and ends.
    last_code: Option<(String, usize, usize)>,
}

impl Inline {
    fn child(&self) -> Inline {
        Inline { bold: self.bold, italic: self.italic, in_link: self.in_link, ..Inline::default() }
    }

    fn space(&mut self) {
        if self.buf.is_empty() {
            self.leading_space = true;
        } else {
            self.pending_space = true;
        }
    }

    fn push(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        self.last_code = None;
        if let Some(em) = self.last_emphasis.take() {
            let touching = !self.pending_space && em.end == self.buf.len();
            if touching && em.ends_with_punct && s.starts_with(is_word_char) {
                // `**(x)**y` would not close: drop the markers, keep the text.
                let len = em.marker.len();
                self.buf.replace_range(em.end - len..em.end, "");
                self.buf.replace_range(em.open..em.open + len, "");
            }
        }
        if self.pending_space && !self.buf.ends_with('\n') {
            self.buf.push(' ');
        }
        self.pending_space = false;
        self.buf.push_str(s);
    }

    /// Writes a code span. One that touches the previous span is merged
    /// with it, because adjacent backtick fences would fuse into one run.
    fn push_code(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        let text = match self.last_code.take() {
            Some((prev, start, end)) if !self.pending_space && end == self.buf.len() => {
                self.buf.truncate(start);
                prev + text
            }
            _ => text.to_string(),
        };
        let span = code_span(&text);
        self.push(&span);
        self.last_code = Some((text, self.buf.len() - span.len(), self.buf.len()));
    }

    fn line_break(&mut self) {
        self.pending_space = false;
        self.last_code = None;
        self.last_emphasis = None;
        if !self.buf.is_empty() {
            self.buf.push('\n');
        }
    }

    fn text(&mut self, t: &str) {
        if t.starts_with(is_html_space) {
            self.space();
        }
        for (i, word) in t.split(is_html_space).filter(|w| !w.is_empty()).enumerate() {
            if i > 0 {
                self.space();
            }
            self.push(&escape_word(word, self.in_link));
        }
        if t.ends_with(is_html_space) {
            self.space();
        }
    }

    /// Carries whitespace at the edges of an element rendered as one unit.
    fn edge_spaces(&mut self, e: &Elem) {
        if raw_text(e).starts_with(is_html_space) {
            self.space();
        }
    }

    fn edge_spaces_after(&mut self, e: &Elem) {
        if raw_text(e).ends_with(is_html_space) {
            self.space();
        }
    }
}

/// Escapes one whitespace-free word of text, turning URLs into autolinks
/// (outside links, where rustdoc's `bare_urls` lint would flag them).
fn escape_word(word: &str, in_link: bool) -> std::borrow::Cow<'_, str> {
    // Most words hold nothing to escape and no URL (a URL needs a `:`); they are used as they are.
    if !word
        .bytes()
        .any(|b| matches!(b, b'\\' | b'[' | b']' | b'*' | b'`' | b'~' | b'_' | b'-' | b':' | b'<' | b'>' | b'&'))
    {
        return std::borrow::Cow::Borrowed(word);
    }
    std::borrow::Cow::Owned(escape_word_slow(word, in_link))
}

fn escape_word_slow(word: &str, in_link: bool) -> String {
    if in_link {
        // rustdoc does not check link text for bare URLs.
        return escape_text(word, true);
    }
    let mut out = String::new();
    let mut rest = word;
    while let Some((start, scheme)) =
        ["https://", "http://"].iter().filter_map(|scheme| rest.find(scheme).map(|at| (at, scheme.len()))).min()
    {
        let tail = &rest[start..];
        let url = url_prefix(tail);
        if url.len() > scheme {
            out.push_str(&escape_text(&rest[..start], false));
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &tail[url.len()..];
        } else {
            // A scheme with no host stays text; look for URLs after it.
            out.push_str(&escape_text(&rest[..start + scheme], false));
            rest = &rest[start + scheme..];
        }
    }
    out.push_str(&escape_text(rest, false));
    out
}

/// The URL at the start of `s`, without trailing punctuation that more
/// likely belongs to the sentence (as GitHub's autolinking does).
fn url_prefix(s: &str) -> &str {
    let end = s.find(|c: char| matches!(c, '<' | '>' | '"' | '`') || c.is_control()).unwrap_or(s.len());
    let mut url = &s[..end];
    while let Some(last) = url.chars().last() {
        let unbalanced = (last == ')' && url.matches('(').count() < url.matches(')').count())
            || (last == ']' && url.matches('[').count() < url.matches(']').count());
        if !(unbalanced || matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*')) {
            break;
        }
        url = &url[..url.len() - last.len_utf8()];
    }
    url
}

/// Escapes plain text (a message the generator composes) so Markdown shows it literally.
pub fn escape_markdown(text: &str) -> String {
    escape_text(text, false)
}

/// Escapes text so Markdown shows it literally.
fn escape_text(s: &str, in_link: bool) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\\' | '[' | ']' | '*' | '`' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '_' => {
                // Between letters or digits `_` cannot start emphasis, and
                // leaving it bare keeps identifiers readable.
                let inner =
                    i > 0 && chars[i - 1].is_alphanumeric() && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
                if !inner {
                    out.push('\\');
                }
                out.push('_');
            }
            // rustdoc's smart punctuation would turn `--` into a dash,
            // mangling command-line options such as `--region`.
            '-' if (i > 0 && chars[i - 1] == '-') || chars.get(i + 1) == Some(&'-') => {
                out.push_str("\\-");
            }
            // A scheme left as text (no host followed in this word) could
            // still meet one in the next text node; the escape keeps
            // rustdoc's bare_urls lint from seeing a URL there.
            ':' if !in_link && (out.ends_with("http") || out.ends_with("https")) => out.push_str("\\:"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' if looks_like_reference(&chars[i + 1..]) => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
    out
}

/// Whether `&` followed by `rest` would be read as a character reference.
fn looks_like_reference(rest: &[char]) -> bool {
    let body: Vec<char> = rest.iter().copied().take_while(|&c| c != ';').take(33).collect();
    !body.is_empty() && body.len() < rest.len() && body.iter().all(|c| c.is_ascii_alphanumeric() || *c == '#')
}

/// Escapes what would turn the start of a line into a heading, list item,
/// setext underline or block quote.
fn escape_line_start(line: &str) -> String {
    if line.starts_with(['#', '-', '+', '=']) {
        return format!("\\{line}");
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=9).contains(&digits) && line[digits..].starts_with(['.', ')']) {
        return format!("{}\\{}", &line[..digits], &line[digits..]);
    }
    line.to_string()
}

fn render_blocks(blocks: &[Block]) -> String {
    let lines = block_lines(blocks, false);
    let mut out = String::new();
    for line in &lines {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.trim_matches('\n').to_string()
}

/// Lays out blocks as lines, separated by blank lines.
fn block_lines(blocks: &[Block], in_item: bool) -> Vec<String> {
    let mut lines = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        // Inside a list item a sublist may follow the item's paragraph
        // directly, which keeps the outer list tight.
        let tight = in_item && i > 0 && matches!((&blocks[i - 1], block), (Block::Para(_), Block::List { .. }));
        if i > 0 && !tight {
            lines.push(String::new());
        }
        match block {
            Block::Para(para) => {
                let last = para.len() - 1;
                for (k, line) in para.iter().enumerate() {
                    // A trailing backslash is a hard line break.
                    lines.push(if k < last { format!("{line}\\") } else { line.clone() });
                }
            }
            Block::Heading(level, text) => {
                let text = match text.strip_suffix('#') {
                    Some(head) => format!("{head}\\#"),
                    None => text.clone(),
                };
                lines.push(format!("{} {text}", "#".repeat(*level)));
            }
            Block::Code(code) => {
                let longest =
                    code.lines().map(|l| l.trim_start().chars().take_while(|&c| c == '`').count()).max().unwrap_or(0);
                let fence = "`".repeat(longest.max(2) + 1);
                lines.push(format!("{fence}text"));
                lines.extend(code.lines().map(str::to_string));
                lines.push(fence);
            }
            Block::List { ordered, items } => {
                let rendered: Vec<Vec<String>> = items.iter().map(|item| block_lines(item, true)).collect();
                let loose = rendered.iter().any(|item| item.iter().any(String::is_empty));
                for (n, item) in rendered.iter().enumerate() {
                    if n > 0 && loose {
                        lines.push(String::new());
                    }
                    let marker = if *ordered { format!("{}. ", n + 1) } else { "- ".to_string() };
                    let indent = " ".repeat(marker.len());
                    for (k, line) in item.iter().enumerate() {
                        lines.push(if k == 0 {
                            format!("{marker}{line}")
                        } else if line.is_empty() {
                            String::new()
                        } else {
                            format!("{indent}{line}")
                        });
                    }
                }
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(html: &str) -> String {
        let out = html_to_markdown(html);
        assert_rustdoc_safe(html, &out);
        out
    }

    /// Removes fenced code blocks and code spans, which rustdoc shows
    /// verbatim, leaving the text it interprets.
    fn outside_code(md: &str) -> String {
        let mut text = String::new();
        let mut fence: Option<String> = None;
        for line in md.lines() {
            let t = line.trim_start();
            // A fence may open on the marker line of (nested) list items.
            let mut after_marker = t;
            while let Some(rest) = after_marker.strip_prefix("- ").or_else(|| {
                after_marker
                    .split_once(". ")
                    .filter(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                    .map(|(_, r)| r)
            }) {
                after_marker = rest;
            }
            match &fence {
                Some(f) if t.trim_end() == f => fence = None,
                Some(_) => {}
                None if after_marker.starts_with("```") => {
                    fence = Some(after_marker.chars().take_while(|&c| c == '`').collect());
                    text.push_str("CODEBLOCK\n");
                }
                None => {
                    text.push_str(line);
                    text.push('\n');
                }
            }
        }
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::new();
        let mut i = 0;
        while i < chars.len() {
            if chars[i] == '\\' && i + 1 < chars.len() {
                out.push(chars[i]);
                out.push(chars[i + 1]);
                i += 2;
                continue;
            }
            if chars[i] == '`' {
                let run = chars[i..].iter().take_while(|&&c| c == '`').count();
                let close = (i + run..chars.len()).find(|&k| {
                    chars[k] == '`'
                        && chars[k - 1] != '`'
                        && chars[k..].iter().take_while(|&&c| c == '`').count() == run
                });
                let close = close.unwrap_or_else(|| panic!("unclosed code span in {md:?}"));
                out.push_str("CODE");
                i = close + run;
                continue;
            }
            out.push(chars[i]);
            i += 1;
        }
        out
    }

    /// Checks the properties rustdoc's lints rely on.
    fn assert_rustdoc_safe(html: &str, md: &str) {
        assert!(!md.starts_with('\n') && !md.ends_with('\n'), "{html:?} -> {md:?}");
        for line in md.lines() {
            assert_eq!(line, line.trim_end(), "trailing whitespace: {html:?} -> {md:?}");
        }
        let text = outside_code(md);
        assert!(!text.contains("\n\n\n"), "{html:?} -> {md:?}");
        let chars: Vec<char> = text.chars().collect();
        let mut link_depth = 0usize;
        let mut i = 0;
        while i < chars.len() {
            let rest: String = chars[i..].iter().take(12).collect();
            match chars[i] {
                '\\' => i += 1,
                '<' => {
                    // Only autolinks may look like tags.
                    let next = chars.get(i + 1).copied().unwrap_or(' ');
                    let is_tag_like = next.is_ascii_alphabetic() || matches!(next, '/' | '!' | '?');
                    assert!(
                        !is_tag_like || rest.starts_with("<http") || rest.starts_with("<mailto:"),
                        "raw tag in {html:?} -> {md:?}"
                    );
                    if is_tag_like {
                        i += chars[i..].iter().position(|&c| c == '>').expect("closed autolink");
                    }
                }
                '[' => link_depth += 1,
                ']' => {
                    // Every unescaped bracket pair is one of our absolute links.
                    assert!(
                        ["](http", "](mailto:", "](ftp"].iter().any(|p| rest.starts_with(p)),
                        "bracket that is not a link in {html:?} -> {md:?}"
                    );
                    link_depth = link_depth.saturating_sub(1);
                    i += chars[i..].iter().position(|&c| c == ')').expect("closed destination");
                }
                // What rustdoc's bare_urls lint looks for: a scheme and a host.
                ':' if rest.starts_with("://")
                    && rest[3..].starts_with(|c: char| c.is_ascii_alphanumeric())
                    && link_depth == 0 =>
                {
                    panic!("bare URL in {html:?} -> {md:?}");
                }
                _ => {}
            }
            i += 1;
        }
        assert_eq!(link_depth, 0, "unbalanced link in {html:?} -> {md:?}");
    }

    #[test]
    fn paragraphs_are_separated_by_one_blank_line_and_whitespace_collapses() {
        assert_eq!(md("<p>One</p><p>Two</p>"), "One\n\nTwo");
        assert_eq!(md("\n  <p>\n    Lots   of\n\tspace\n  </p>\n\n\n  <p>  next  </p>  "), "Lots of space\n\nnext");
        assert_eq!(md("loose text <p>para</p> tail"), "loose text\n\npara\n\ntail");
        assert_eq!(md(""), "");
        assert_eq!(md("   \n\t "), "");
        assert_eq!(md("<p></p><p> </p>"), "");
    }

    #[test]
    fn line_breaks_become_hard_breaks() {
        assert_eq!(md("<p>a<br/>b<br>c</p>"), "a\\\nb\\\nc");
        assert_eq!(md("<p><br/>a<br/><br/></p>"), "a");
        assert_eq!(md("<p>a<br/>- b</p>"), "a\\\n\\- b");
    }

    #[test]
    fn inline_formatting() {
        assert_eq!(md("<p>A <b>bold</b> and <strong>strong</strong> word</p>"), "A **bold** and **strong** word");
        assert_eq!(md("<p>An <i>italic</i> and <em>em</em> word</p>"), "An *italic* and *em* word");
        assert_eq!(md("<p>x <b> spaced </b> y</p>"), "x **spaced** y");
        assert_eq!(md("<p>x<b></b>y <b> </b>z</p>"), "xy z");
        assert_eq!(md("<p><b>outer <b>inner</b></b></p>"), "**outer inner**");
        assert_eq!(md("<p><b>a</b><b>b</b></p>"), "**ab**");
        assert_eq!(md("<p><i><b>both</b></i></p>"), "***both***");
        assert_eq!(md("<p><b>x</b> <code>y</code></p>"), "**x** `y`");
        assert_eq!(md("<p>mid<b>word</b>bold</p>"), "mid**word**bold");
        // Emphasis that CommonMark could not open or close stays plain text.
        assert_eq!(md("<p>say<b>\"hi\"</b> now</p>"), "say\"hi\" now");
        assert_eq!(md("<p><b>(x)</b>y and <i>(z)</i>.</p>"), "(x)y and *(z)*.");
        assert_eq!(md("<p>a <b>(x)</b> b<i>c</i></p>"), "a **(x)** b*c*");
    }

    #[test]
    fn code_spans_keep_their_text_verbatim() {
        assert_eq!(md("<p>Use <code>a &lt; b &amp;&amp; *c*</code>.</p>"), "Use `a < b && *c*`.");
        assert_eq!(md("<p><code>a`b</code></p>"), "``a`b``");
        assert_eq!(md("<p><code>`tick</code></p>"), "`` `tick ``");
        assert_eq!(md("<p><code>  spaced\n  out </code>x</p>"), "`spaced out` x");
        assert_eq!(md("<p>x<code></code>y</p>"), "xy");
        assert_eq!(md("<p><code>a</code><code>b</code> <code>c</code></p>"), "`ab` `c`");
        assert_eq!(md("<p><a>Shape</a><code>.field</code></p>"), "`Shape.field`");
        assert_eq!(md("<p><code><b>bold</b> code</code></p>"), "`bold code`");
    }

    #[test]
    fn links() {
        assert_eq!(
            md(r#"<p>See <a href="https://docs.aws.amazon.com/x.html">the guide</a>.</p>"#),
            "See [the guide](https://docs.aws.amazon.com/x.html)."
        );
        assert_eq!(md(r#"<a href=" https://x.io/a b(c)">t</a>"#), "[t](https://x.io/a%20b%28c%29)");
        assert_eq!(md(r#"<a href="https://x.io">https://x.io</a>"#), "<https://x.io>");
        assert_eq!(md(r#"<a href="https://x.io"> </a>"#), "<https://x.io>");
        assert_eq!(md(r#"<a href='https://x.io'><b>bold</b> <code>c</code></a>"#), "[**bold** `c`](https://x.io)");
        assert_eq!(md(r#"<a href="mailto:a@b.io">mail</a>"#), "[mail](mailto:a@b.io)");
        // AWS cross references and links rustdoc could not resolve.
        assert_eq!(
            md("<p>Call <a>PutThirdPartyJobSuccessResult</a> next.</p>"),
            "Call `PutThirdPartyJobSuccessResult` next."
        );
        assert_eq!(md(r##"<a href="Welcome.html">relative</a> <a href="#top">anchor</a>"##), "relative anchor");
        assert_eq!(
            md(r#"<a href="https://a.io">outer <a href="https://b.io">inner</a></a>"#),
            "[outer inner](https://a.io)"
        );
        assert_eq!(
            md(r#"<a href="https://a.io">see https://b.io [x]</a>"#),
            "[see https://b.io \\[x\\]](https://a.io)"
        );
        assert_eq!(md("<a name=\"anchor\"></a>text"), "text");
    }

    #[test]
    fn bare_urls_become_autolinks() {
        assert_eq!(
            md("<p>Visit https://aws.amazon.com/codepipeline/. Or (http://x.io/a_(b)), ok</p>"),
            "Visit <https://aws.amazon.com/codepipeline/>. Or (<http://x.io/a_(b)>), ok"
        );
        assert_eq!(md("<p>q https://a.io/?x=1&amp;y=*2*</p>"), "q <https://a.io/?x=1&y=*2>\\*");
        assert_eq!(md("<p>just http:// here</p>"), "just http\\:// here");
        // A URL split over text nodes is not linked, but must not read as bare.
        assert_eq!(md("<p>https://<span>x.io</span></p>"), "https\\://x.io");
        assert_eq!(md("<p>see:https://a.io</p>"), "see:<https://a.io>");
    }

    #[test]
    fn lists_nest_with_indentation() {
        assert_eq!(md("<ul><li>one</li><li>two</li></ul>"), "- one\n- two");
        assert_eq!(md("<ol><li>one</li><li>two</li></ol>"), "1. one\n2. two");
        assert_eq!(
            md("<ul>\n  <li>a\n    <ul><li>b</li><li>c <ol><li>d</li></ol></li></ul>\n  </li>\n  <li>e</li>\n</ul>"),
            "- a\n  - b\n  - c\n    1. d\n- e"
        );
        assert_eq!(
            md(r#"<ul><li><p>Use <a href="https://x.io">this</a>.</p></li><li><a>Shape</a></li></ul>"#),
            "- Use [this](https://x.io).\n- `Shape`"
        );
        // Unclosed items, and a list written straight inside a list.
        assert_eq!(md("<ul><li>a<li>b</ul>"), "- a\n- b");
        assert_eq!(md("<ul><li>a</li><ul><li>b</li></ul><li>c</li></ul>"), "- a\n  - b\n- c");
        // Items with several blocks make a loose list.
        assert_eq!(md("<ol><li><p>p1</p><p>p2</p></li><li>two</li></ol>"), "1. p1\n\n   p2\n\n2. two");
        assert_eq!(md("<p>Intro</p><ul><li>x</li></ul><p>After</p>"), "Intro\n\n- x\n\nAfter");
        assert_eq!(md("<ul><li></li><li> </li></ul>"), "");
        let ten: String = (1..=10).map(|n| format!("<li>i{n}<br/>more</li>")).collect();
        let out = md(&format!("<ol>{ten}</ol>"));
        assert!(out.ends_with("10. i10\\\n    more"), "{out}");
    }

    #[test]
    fn notes_and_important_become_labelled_paragraphs() {
        assert_eq!(md("<note><p>Be careful.</p><p>Really.</p></note>"), "**Note:** Be careful.\n\nReally.");
        assert_eq!(md("<important>Do not.</important>"), "**Important:** Do not.");
        assert_eq!(md("<note><ul><li>x</li></ul></note>"), "**Note:**\n\n- x");
        assert_eq!(md("<p>Before</p><note>N</note><p>After</p>"), "Before\n\n**Note:** N\n\nAfter");
    }

    #[test]
    fn fullname_is_a_plain_line() {
        assert_eq!(
            md("<fullname>AWS CodePipeline</fullname> <p><b>Overview</b></p>"),
            "AWS CodePipeline\n\n**Overview**"
        );
    }

    #[test]
    fn definition_lists() {
        assert_eq!(
            md("<dl><dt>Term</dt><dd>Meaning.</dd><dt><code>Other</code></dt><dd><p>P1</p><p>P2</p></dd></dl>"),
            "- **Term**: Meaning.\n\n- **`Other`**: P1\n\n  P2"
        );
        assert_eq!(md("<dl><dt>Alone</dt></dl>"), "- **Alone**");
        assert_eq!(md("<dl><dd>No term</dd></dl>"), "- No term");
        assert_eq!(md("<dl><dt>A<dd>a<dt>B<dd>b</dl>"), "- **A**: a\n- **B**: b");
    }

    #[test]
    fn preformatted_text_is_fenced_as_text() {
        assert_eq!(md("<pre>\n    {\n      \"a\": 1\n    }\n</pre>"), "```text\n{\n  \"a\": 1\n}\n```");
        assert_eq!(md("<pre><code>let x = &lt;T&gt;;</code></pre>"), "```text\nlet x = <T>;\n```");
        assert_eq!(md("<pre>```\ninner\n```</pre>"), "````text\n```\ninner\n```\n````");
        assert_eq!(md("<pre>a  \n\n\n b</pre>"), "```text\na\n\n\n b\n```");
        assert_eq!(md("<pre>  </pre>"), "");
        assert_eq!(md("<p><code>{\n  \"k\": 1\n}</code></p>"), "```text\n{\n  \"k\": 1\n}\n```");
        assert_eq!(md("<ul><li>x<pre>y</pre></li></ul>"), "- x\n\n  ```text\n  y\n  ```");
    }

    #[test]
    fn headings() {
        assert_eq!(md("<h1>Title</h1><p>Body</p>"), "# Title\n\nBody");
        assert_eq!(md("<h3>Sub <b>x</b></h3>"), "### Sub **x**");
        assert_eq!(md("<h6>Issue #</h6>"), "###### Issue \\#");
        assert_eq!(md("<h2> </h2>"), "");
    }

    #[test]
    fn unknown_tags_and_comments_are_dropped_but_text_stays() {
        assert_eq!(md("<p>a <span class=\"x\">b</span> <custom>c</custom></p>"), "a b c");
        assert_eq!(md("<p>a<!-- hidden <b>x</b> -->b</p>"), "ab");
        assert_eq!(md("<p>a<script>alert(1)</script>b</p>"), "ab");
        assert_eq!(md("<!DOCTYPE html><p>x</p><?xml ?>"), "x");
        assert_eq!(md("<p>a<img src=\"x.png\"/>b<hr/>c</p>"), "ab\n\nc");
        assert_eq!(md("<DIV><P>Upper <B>case</B></P></DIV>"), "Upper **case**");
    }

    #[test]
    fn entities_are_decoded_then_escaped() {
        assert_eq!(
            md("<p>&lt;tag&gt; &amp; &quot;q&quot; &apos;a&apos; &#39;b&#39; &#x2F; x&nbsp;&nbsp;y</p>"),
            "&lt;tag&gt; & \"q\" 'a' 'b' / x y"
        );
        assert_eq!(
            md("<p>&unknown; &amp;lt; &#0; &#x110000; &#xZZ; &</p>"),
            "&amp;unknown; &amp;lt; \u{FFFD} \u{FFFD} &amp;#xZZ; &"
        );
        assert_eq!(md("<p>&mdash; &hellip; &copy;</p>"), "\u{2014} \u{2026} \u{A9}");
    }

    #[test]
    fn text_that_markdown_would_misread_is_escaped() {
        assert_eq!(md("<p>[brackets] and [^1] and [a]: b</p>"), "\\[brackets\\] and \\[^1\\] and \\[a\\]: b");
        assert_eq!(
            md("<p>*stars* `ticks` ~tilde~ back\\slash</p>"),
            "\\*stars\\* \\`ticks\\` \\~tilde\\~ back\\\\slash"
        );
        assert_eq!(md("<p>snake_case _under_ a_ _b</p>"), "snake_case \\_under\\_ a\\_ \\_b");
        assert_eq!(md("<p>Vec&lt;String&gt; a&gt;b</p>"), "Vec&lt;String&gt; a&gt;b");
        assert_eq!(md("<p>use --region or a -- b - c</p>"), "use \\-\\-region or a \\-\\- b - c");
        for (text, escaped) in [
            ("# not a heading", "\\# not a heading"),
            ("- not an item", "\\- not an item"),
            ("+ not an item", "\\+ not an item"),
            ("1. not an item", "1\\. not an item"),
            ("2023) year", "2023\\) year"),
            ("=== not a heading underline", "\\=== not a heading underline"),
            ("1234567890. long number", "1234567890. long number"),
            ("> not a quote", "&gt; not a quote"),
        ] {
            assert_eq!(md(&format!("<p>{text}</p>")), escaped);
            assert_eq!(md(&format!("<ul><li>{text}</li></ul>")), format!("- {escaped}"));
        }
    }

    #[test]
    fn malformed_html_never_leaves_tags_or_loses_text() {
        assert_eq!(md("<p>Unclosed <b>bold <i>both"), "Unclosed **bold *both***");
        assert_eq!(md("a < b and c <3 and <"), "a &lt; b and c &lt;3 and &lt;");
        assert_eq!(md("<p>x</b></ul></p></p>y"), "x\n\ny");
        assert_eq!(md("<div<p>text"), "&lt;div\n\ntext");
        assert_eq!(md("<a href=\"https://x.io>never closed"), "&lt;a href=\"<https://x.io>&gt;never closed");
        assert_eq!(md("<b unterminated"), "&lt;b unterminated");
        assert_eq!(md("</>"), "&lt;/&gt;");
        assert_eq!(md("<!-- never closed <b>x</b>"), "");
        assert_eq!(md("<p>one<p>two"), "one\n\ntwo");
        let deep = format!("{}deep{}", "<b><ul><li>".repeat(20_000), "</li></ul></b>".repeat(3));
        assert!(md(&deep).contains("deep"));
        let deep_inline = format!("{}x", "<i>".repeat(100_000));
        assert_eq!(md(&deep_inline), "*x*");
    }

    #[test]
    fn whitespace_variants_give_identical_output() {
        let compact = r#"<p>Intro <b>bold</b> text.</p><ul><li>One <a href="https://x.io">link</a></li><li>Two</li></ul><note>Careful.</note>"#;
        let indented = r#"
            <p>
                Intro
                <b>bold</b>
                text.
            </p>
            <ul>
                <li>One <a href="https://x.io">link</a></li>
                <li>
                    Two
                </li>
            </ul>
            <note>
                Careful.
            </note>
        "#;
        assert_eq!(md(compact), md(indented));
        // Plain prose is left alone, so converting twice changes nothing.
        let prose = "A sentence, with punctuation; and more.\n\nSecond paragraph (with parentheses).";
        assert_eq!(md(prose), "A sentence, with punctuation; and more. Second paragraph (with parentheses).");
        let once = md("<p>A sentence.</p><p>Another one.</p>");
        assert_eq!(md(&once.replace("\n\n", "<p>")), once);
    }

    #[test]
    fn realistic_service_documentation() {
        let html = r#"<fullname>AWS CodePipeline</fullname>
            <p><b>Overview</b></p>
            <p>This is the CodePipeline API Reference. For more information, see the
              <a href="https://docs.aws.amazon.com/codepipeline/latest/userguide/welcome.html">CodePipeline User Guide</a>.</p>
            <p>Third-party job workers call these:</p>
            <ul>
              <li>
                <p><a>AcknowledgeThirdPartyJob</a>, which confirms the job worker received the job.</p>
              </li>
              <li>
                <p><a>PutThirdPartyJobFailureResult</a>, which reports a failure.</p>
              </li>
            </ul>
            <note><p>Values such as <code>clientToken</code> must match [a-z]*.</p></note>"#;
        assert_eq!(
            md(html),
            "AWS CodePipeline\n\n**Overview**\n\nThis is the CodePipeline API Reference. For more information, see the \
             [CodePipeline User Guide](https://docs.aws.amazon.com/codepipeline/latest/userguide/welcome.html).\n\n\
             Third-party job workers call these:\n\n\
             - `AcknowledgeThirdPartyJob`, which confirms the job worker received the job.\n\
             - `PutThirdPartyJobFailureResult`, which reports a failure.\n\n\
             **Note:** Values such as `clientToken` must match \\[a-z\\]\\*."
        );
    }

    #[test]
    fn arbitrary_input_never_panics_and_stays_rustdoc_safe() {
        const TOKENS: &[&str] = &[
            "<p>",
            "</p>",
            "<b>",
            "</b>",
            "<i>",
            "</i>",
            "<code>",
            "</code>",
            "<a href=\"https://x.io/p\">",
            "<a href='rel'>",
            "<a>",
            "</a>",
            "<ul>",
            "<ol>",
            "<li>",
            "</li>",
            "</ul>",
            "</ol>",
            "<pre>",
            "</pre>",
            "<br/>",
            "<note>",
            "</note>",
            "<dl>",
            "<dt>",
            "<dd>",
            "</dl>",
            "<h2>",
            "</h2>",
            "<fullname>",
            "<unknown x=1>",
            "<!--",
            "-->",
            "<",
            ">",
            "</",
            "<b",
            "&",
            "&lt;",
            "&gt;",
            "&amp;",
            "&#x2F;",
            "&bogus;",
            "&#99999999;",
            "[",
            "]",
            "(",
            ")",
            "*",
            "**",
            "_",
            "`",
            "``",
            "~",
            "#",
            "-",
            "--",
            "+",
            "=",
            "1.",
            "2)",
            "\\",
            "|",
            "!",
            " ",
            "  ",
            "\n",
            "\n\n",
            "\t",
            "\u{A0}",
            "text",
            "snake_case",
            "https://aws.amazon.com/x.",
            "http://",
            "mailto:a@b.io",
            "\"",
            "'",
            "é",
            "😀",
        ];
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..2_000 {
            let len = (next() % 40) as usize;
            let html: String = (0..len).map(|_| TOKENS[(next() % TOKENS.len() as u64) as usize]).collect();
            let out = md(&html);
            let summary = first_sentence(&out);
            assert!(!summary.contains('\n'), "{html:?}");
        }
    }

    #[test]
    fn first_sentence_is_plain_text() {
        let cases = [
            ("Creates a pipeline. It has stages.", "Creates a pipeline."),
            ("Does **this** with `code.x` and [a link](https://x.io/a.b). More.", "Does this with code.x and a link."),
            ("Uses e.g. Lambda. Then stops.", "Uses e.g. Lambda."),
            ("Version 1.2 is here. Next.", "Version 1.2 is here."),
            ("Stops at <https://x.io/a.html>. Next.", "Stops at https://x.io/a.html."),
            ("Ends with a question? Yes.", "Ends with a question?"),
            ("Quoted \"end.\" Next.", "Quoted \"end.\""),
            ("It is fine. and lowercase continues. Then stops.", "It is fine. and lowercase continues."),
            ("No terminator at all", "No terminator at all"),
            ("Escaped \\[x\\] \\*y\\* a &lt; b &amp; c. Next.", "Escaped [x] *y* a < b & c."),
            ("Line one\\\nline two. Next.", "Line one line two."),
            ("First paragraph\nwraps.\n\nSecond paragraph.", "First paragraph wraps."),
            ("```text\ncode. Here.\n```\n\nProse. More.", "Prose."),
            ("- item one. Two.\n- item two.", "item one."),
            ("- no period\n- next item", "no period"),
            ("1. first. Second.", "first."),
            ("## Heading\n\nBody.", "Heading"),
            ("**Note:** Careful. Really.", "Note: Careful."),
            ("", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(first_sentence(input), expected, "{input:?}");
        }
        let converted = html_to_markdown("<p>Returns the <a>Job</a> for a <code>jobId</code>. Fails otherwise.</p>");
        assert_eq!(first_sentence(&converted), "Returns the Job for a jobId.");
    }
}
