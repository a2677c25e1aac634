//! JMESPath, as Smithy waiters use it: a parser to an AST, and a compiler that checks a path against
//! the IR's shapes and emits the Rust that evaluates it on the operation's input and output.
//!
//! Navigation (members, indexes, projections, flatten, filters) compiles to plain field accesses and
//! iterators over the crate's own types, so a misspelt member or a member of the wrong type is found
//! when the crate is generated. What is computed on the values found (comparisons, `&&`, `||`, `!`,
//! `length`, `contains`) runs on the runtime's small JMESPath value (`waiter::Value`), with JMESPath's
//! semantics for nulls and truthiness. Anything else is [`Error::Unsupported`], which the caller
//! turns into a warning for that one waiter.
//!
//! The module stands on its own: it sees the model's shapes through [`Shapes`] (which the IR
//! implements, `ir::waiters`) and names the runtime's `waiter` module by the path its caller gives
//! (`emit::runtime_paths`), so the lowering and the emitters can both use it.

use std::fmt;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// At most this many tokens in a path: real waiters use fewer than 20, and the bound keeps the
/// parser's and compiler's recursion shallow for any input.
const MAX_TOKENS: usize = 256;

/// A parsed JMESPath expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// `@`: the current node.
    Identity,
    /// A member (`Table`, `"quoted name"`).
    Field(String),
    /// `left.right`: `right` evaluated on the result of `left`.
    Subexpr(Box<Expr>, Box<Expr>),
    /// `left[n]`; a negative `n` counts from the end.
    Index(Box<Expr>, i64),
    /// `left[]` as the left side of a projection: `left`'s elements, nested lists merged one level.
    Flatten(Box<Expr>),
    /// `left[*].rhs`, `left[].rhs` (with a [`Expr::Flatten`] left) or `left[?filter].rhs`: `rhs`
    /// evaluated on each element (that passes the filter), nulls dropped.
    Projection {
        /// The list projected.
        lhs: Box<Expr>,
        /// The filter's condition, for `[?...]`.
        filter: Option<Box<Expr>>,
        /// Evaluated on each element.
        rhs: Box<Expr>,
    },
    /// `left op right`.
    Compare(Comparison, Box<Expr>, Box<Expr>),
    /// `left && right`.
    And(Box<Expr>, Box<Expr>),
    /// `left || right`.
    Or(Box<Expr>, Box<Expr>),
    /// `!expr`.
    Not(Box<Expr>),
    /// `` `json` `` or `'raw string'`.
    Literal(serde_json::Value),
    /// `name(args...)`.
    Function(String, Vec<Expr>),
    /// `left | right`.
    Pipe(Box<Expr>, Box<Expr>),
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// Why a path is not compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// Not JMESPath: the byte offset in the path and what is wrong there.
    Syntax {
        /// Byte offset into the path.
        offset: usize,
        /// What was expected or found.
        message: String,
    },
    /// Valid JMESPath this compiler does not handle (a multi-select, a slice, a function it lacks).
    Unsupported(String),
    /// The path does not fit the shapes: a member that does not exist, a member of a string, a
    /// comparator given a value of the wrong type.
    Type(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Syntax { offset, message } => {
                write!(f, "not a valid JMESPath expression: at byte {offset}: {message}")
            }
            Error::Unsupported(what) => write!(f, "{what}, which the generator's JMESPath compiler does not support"),
            Error::Type(what) => write!(f, "{what}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Lexer

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Identifier(String),
    QuotedIdentifier(String),
    Literal(serde_json::Value),
    Number(i64),
    Dot,
    Star,
    LBracket,
    RBracket,
    Flatten,
    Filter,
    LBrace,
    RBrace,
    LParen,
    RParen,
    Comma,
    Colon,
    Pipe,
    Or,
    And,
    Ampersand,
    Not,
    Compare(Comparison),
    At,
    Eof,
}

fn syntax(offset: usize, message: impl Into<String>) -> Error {
    Error::Syntax { offset, message: message.into() }
}

fn lex(text: &str) -> Result<Vec<(usize, Token)>, Error> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if tokens.len() > MAX_TOKENS {
            return Err(Error::Unsupported(format!("a path of more than {MAX_TOKENS} tokens")));
        }
        let start = i;
        let c = bytes[i];
        let next = bytes.get(i + 1).copied();
        let token = match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                tokens.push((start, Token::Identifier(text[start..i].to_string())));
                continue;
            }
            b'-' | b'0'..=b'9' => {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                let digits = &text[start..i];
                let number = digits.parse::<i64>().map_err(|_| syntax(start, format!("`{digits}` is not a number")))?;
                tokens.push((start, Token::Number(number)));
                continue;
            }
            b'"' => {
                let (end, raw) = delimited(text, i, b'"')?;
                i = end;
                let name: String = serde_json::from_str(&format!("\"{raw}\""))
                    .map_err(|e| syntax(start, format!("bad quoted identifier: {e}")))?;
                tokens.push((start, Token::QuotedIdentifier(name)));
                continue;
            }
            b'\'' => {
                let (end, raw) = delimited(text, i, b'\'')?;
                i = end;
                tokens.push((start, Token::Literal(serde_json::Value::String(raw.replace("\\'", "'")))));
                continue;
            }
            b'`' => {
                let (end, raw) = delimited(text, i, b'`')?;
                i = end;
                let json = raw.replace("\\`", "`");
                let value: serde_json::Value = serde_json::from_str(json.trim())
                    .map_err(|e| syntax(start, format!("the literal is not JSON: {e}")))?;
                tokens.push((start, Token::Literal(value)));
                continue;
            }
            b'.' => (1, Token::Dot),
            b'*' => (1, Token::Star),
            b'[' => match next {
                Some(b']') => (2, Token::Flatten),
                Some(b'?') => (2, Token::Filter),
                _ => (1, Token::LBracket),
            },
            b']' => (1, Token::RBracket),
            b'{' => (1, Token::LBrace),
            b'}' => (1, Token::RBrace),
            b'(' => (1, Token::LParen),
            b')' => (1, Token::RParen),
            b',' => (1, Token::Comma),
            b':' => (1, Token::Colon),
            b'@' => (1, Token::At),
            b'|' if next == Some(b'|') => (2, Token::Or),
            b'|' => (1, Token::Pipe),
            b'&' if next == Some(b'&') => (2, Token::And),
            b'&' => (1, Token::Ampersand),
            b'!' if next == Some(b'=') => (2, Token::Compare(Comparison::Ne)),
            b'!' => (1, Token::Not),
            b'=' if next == Some(b'=') => (2, Token::Compare(Comparison::Eq)),
            b'<' if next == Some(b'=') => (2, Token::Compare(Comparison::Le)),
            b'<' => (1, Token::Compare(Comparison::Lt)),
            b'>' if next == Some(b'=') => (2, Token::Compare(Comparison::Ge)),
            b'>' => (1, Token::Compare(Comparison::Gt)),
            _ => {
                let found = text[start..].chars().next().unwrap_or('?');
                return Err(syntax(start, format!("unexpected character `{found}`")));
            }
        };
        i += token.0;
        tokens.push((start, token.1));
    }
    tokens.push((text.len(), Token::Eof));
    Ok(tokens)
}

/// The text between the delimiter at `start` and the next one not escaped with `\`, and the offset
/// after the closing delimiter.
fn delimited(text: &str, start: usize, delimiter: u8) -> Result<(usize, &str), Error> {
    let bytes = text.as_bytes();
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b if b == delimiter => return Ok((i + 1, &text[start + 1..i])),
            _ => i += 1,
        }
    }
    Err(syntax(start, format!("`{}` is never closed", delimiter as char)))
}

// ---------------------------------------------------------------------------------------------
// Parser (top-down operator precedence, with JMESPath's binding powers)

fn binding_power(token: &Token) -> u8 {
    match token {
        Token::Pipe => 1,
        Token::Or => 2,
        Token::And => 3,
        Token::Compare(_) => 5,
        Token::Flatten => 9,
        Token::Star => 20,
        Token::Filter => 21,
        Token::Dot => 40,
        Token::Not => 45,
        Token::LBrace => 50,
        Token::LBracket => 55,
        Token::LParen => 60,
        _ => 0,
    }
}

/// Tokens binding less tightly than this end a projection's right side.
const PROJECTION_STOP: u8 = 10;

/// Parses a JMESPath expression.
pub fn parse(text: &str) -> Result<Expr, Error> {
    let tokens = lex(text)?;
    let mut parser = Parser { tokens, position: 0 };
    let expr = parser.expression(0)?;
    match parser.peek() {
        Token::Eof => Ok(expr),
        token => Err(syntax(parser.offset(), format!("unexpected {} after a complete expression", describe(token)))),
    }
}

struct Parser {
    tokens: Vec<(usize, Token)>,
    position: usize,
}

fn describe(token: &Token) -> String {
    match token {
        Token::Identifier(name) | Token::QuotedIdentifier(name) => format!("identifier `{name}`"),
        Token::Literal(value) => format!("literal `{value}`"),
        Token::Number(n) => format!("number `{n}`"),
        Token::Eof => "end of the expression".to_string(),
        other => format!("`{}`", symbol(other)),
    }
}

fn symbol(token: &Token) -> &'static str {
    match token {
        Token::Dot => ".",
        Token::Star => "*",
        Token::LBracket => "[",
        Token::RBracket => "]",
        Token::Flatten => "[]",
        Token::Filter => "[?",
        Token::LBrace => "{",
        Token::RBrace => "}",
        Token::LParen => "(",
        Token::RParen => ")",
        Token::Comma => ",",
        Token::Colon => ":",
        Token::Pipe => "|",
        Token::Or => "||",
        Token::And => "&&",
        Token::Ampersand => "&",
        Token::Not => "!",
        Token::At => "@",
        Token::Compare(Comparison::Eq) => "==",
        Token::Compare(Comparison::Ne) => "!=",
        Token::Compare(Comparison::Lt) => "<",
        Token::Compare(Comparison::Le) => "<=",
        Token::Compare(Comparison::Gt) => ">",
        Token::Compare(Comparison::Ge) => ">=",
        _ => "?",
    }
}

impl Parser {
    fn peek(&self) -> &Token {
        &self.tokens[self.position].1
    }

    fn peek_at(&self, ahead: usize) -> &Token {
        let last = self.tokens.len() - 1;
        &self.tokens[(self.position + ahead).min(last)].1
    }

    fn offset(&self) -> usize {
        self.tokens[self.position].0
    }

    fn advance(&mut self) -> Token {
        let token = self.tokens[self.position].1.clone();
        if self.position + 1 < self.tokens.len() {
            self.position += 1;
        }
        token
    }

    fn expect(&mut self, wanted: Token) -> Result<(), Error> {
        if *self.peek() == wanted {
            self.advance();
            Ok(())
        } else {
            Err(syntax(self.offset(), format!("expected `{}`, found {}", symbol(&wanted), describe(self.peek()))))
        }
    }

    fn expression(&mut self, right_binding: u8) -> Result<Expr, Error> {
        let mut left = self.prefix()?;
        while right_binding < binding_power(self.peek()) {
            left = self.infix(left)?;
        }
        Ok(left)
    }

    fn prefix(&mut self) -> Result<Expr, Error> {
        let offset = self.offset();
        match self.advance() {
            Token::Identifier(name) => Ok(Expr::Field(name)),
            Token::QuotedIdentifier(name) => {
                if *self.peek() == Token::LParen {
                    return Err(syntax(self.offset(), "a quoted identifier cannot name a function"));
                }
                Ok(Expr::Field(name))
            }
            Token::Literal(value) => Ok(Expr::Literal(value)),
            Token::At => Ok(Expr::Identity),
            Token::Not => Ok(Expr::Not(Box::new(self.expression(binding_power(&Token::Not))?))),
            Token::LParen => {
                let inner = self.expression(0)?;
                self.expect(Token::RParen)?;
                Ok(inner)
            }
            Token::Flatten => {
                let rhs = self.projection_rhs(binding_power(&Token::Flatten))?;
                Ok(projection(Expr::Flatten(Box::new(Expr::Identity)), None, rhs))
            }
            Token::Filter => self.filter(Expr::Identity),
            Token::LBracket => self.bracket(Expr::Identity),
            Token::Star => Err(Error::Unsupported("an object wildcard (`*`)".to_string())),
            Token::LBrace => Err(Error::Unsupported("a multi-select hash (`{...}`)".to_string())),
            Token::Ampersand => Err(Error::Unsupported("an expression reference (`&`)".to_string())),
            token => Err(syntax(offset, format!("unexpected {}", describe(&token)))),
        }
    }

    fn infix(&mut self, left: Expr) -> Result<Expr, Error> {
        let offset = self.offset();
        match self.advance() {
            Token::Dot => {
                let right = self.dot_rhs(binding_power(&Token::Dot))?;
                Ok(Expr::Subexpr(Box::new(left), Box::new(right)))
            }
            Token::Pipe => Ok(Expr::Pipe(Box::new(left), Box::new(self.expression(binding_power(&Token::Pipe))?))),
            Token::Or => Ok(Expr::Or(Box::new(left), Box::new(self.expression(binding_power(&Token::Or))?))),
            Token::And => Ok(Expr::And(Box::new(left), Box::new(self.expression(binding_power(&Token::And))?))),
            Token::Compare(op) => {
                let right = self.expression(binding_power(&Token::Compare(op)))?;
                Ok(Expr::Compare(op, Box::new(left), Box::new(right)))
            }
            Token::Flatten => {
                let rhs = self.projection_rhs(binding_power(&Token::Flatten))?;
                Ok(projection(Expr::Flatten(Box::new(left)), None, rhs))
            }
            Token::Filter => self.filter(left),
            Token::LBracket => self.bracket(left),
            Token::LParen => {
                let Expr::Field(name) = left else {
                    return Err(syntax(offset, "only a name can be called as a function"));
                };
                let mut args = Vec::new();
                while *self.peek() != Token::RParen {
                    args.push(self.expression(0)?);
                    if *self.peek() == Token::Comma {
                        self.advance();
                    } else if *self.peek() != Token::RParen {
                        return Err(syntax(
                            self.offset(),
                            format!("expected `,` or `)`, found {}", describe(self.peek())),
                        ));
                    }
                }
                self.advance();
                Ok(Expr::Function(name, args))
            }
            Token::LBrace => Err(Error::Unsupported("a multi-select hash (`{...}`)".to_string())),
            token => Err(syntax(offset, format!("unexpected {}", describe(&token)))),
        }
    }

    /// After `[` (not `[]` or `[?`): an index, a slice, or a list wildcard `[*]`.
    fn bracket(&mut self, left: Expr) -> Result<Expr, Error> {
        match self.peek().clone() {
            Token::Number(n) => {
                self.advance();
                if *self.peek() == Token::Colon {
                    return Err(Error::Unsupported("a slice (`[a:b]`)".to_string()));
                }
                self.expect(Token::RBracket)?;
                Ok(Expr::Index(Box::new(left), n))
            }
            Token::Colon => Err(Error::Unsupported("a slice (`[a:b]`)".to_string())),
            Token::Star if *self.peek_at(1) == Token::RBracket => {
                self.advance();
                self.advance();
                let rhs = self.projection_rhs(binding_power(&Token::Star))?;
                Ok(projection(left, None, rhs))
            }
            _ => Err(Error::Unsupported("a multi-select list (`[a, b]`)".to_string())),
        }
    }

    /// After `[?`: the condition, `]`, and the projection's right side.
    fn filter(&mut self, left: Expr) -> Result<Expr, Error> {
        let condition = self.expression(0)?;
        self.expect(Token::RBracket)?;
        let rhs = self.projection_rhs(binding_power(&Token::Filter))?;
        Ok(projection(left, Some(condition), rhs))
    }

    fn projection_rhs(&mut self, binding: u8) -> Result<Expr, Error> {
        let token = self.peek().clone();
        if binding_power(&token) < PROJECTION_STOP {
            return Ok(Expr::Identity);
        }
        match token {
            Token::LBracket | Token::Filter => self.expression(binding),
            Token::Dot => {
                self.advance();
                self.dot_rhs(binding)
            }
            other => Err(syntax(self.offset(), format!("unexpected {} after a projection", describe(&other)))),
        }
    }

    fn dot_rhs(&mut self, binding: u8) -> Result<Expr, Error> {
        match self.peek() {
            Token::Identifier(_) | Token::QuotedIdentifier(_) => self.expression(binding),
            Token::Star => Err(Error::Unsupported("an object wildcard (`.*`)".to_string())),
            Token::LBracket => Err(Error::Unsupported("a multi-select list (`.[a, b]`)".to_string())),
            Token::LBrace => Err(Error::Unsupported("a multi-select hash (`.{...}`)".to_string())),
            other => Err(syntax(self.offset(), format!("expected a member name after `.`, found {}", describe(other)))),
        }
    }
}

fn projection(lhs: Expr, filter: Option<Expr>, rhs: Expr) -> Expr {
    Expr::Projection { lhs: Box::new(lhs), filter: filter.map(Box::new), rhs: Box::new(rhs) }
}

// ---------------------------------------------------------------------------------------------
// Shapes

/// A member's or element's type, as far as paths care.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Shape {
    String,
    /// A string enum (the Rust type has `as_str()`), by name.
    Enum(String),
    IntEnum(String),
    Bool,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    Timestamp,
    Blob,
    Document,
    BigNumber,
    Unit,
    /// A structure, by its Rust name.
    Structure(String),
    Union(String),
    List {
        member: Box<Shape>,
        sparse: bool,
    },
    Map {
        /// Whether the keys are plain strings (not an enum).
        string_keys: bool,
        value: Box<Shape>,
        sparse: bool,
    },
}

/// A structure member as a path reaches it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The model's member name, which paths use.
    pub name: String,
    /// The Rust field's name (`r#type` for a keyword).
    pub rust_name: String,
    /// Its type.
    pub shape: Shape,
    /// An `Option` field.
    pub optional: bool,
    /// A `Box`ed field.
    pub boxed: bool,
}

/// The model's structures, as the compiler looks them up.
pub trait Shapes {
    /// The members of the structure with this Rust name, in model order; `None` when there is none.
    fn members(&self, structure: &str) -> Option<Vec<Member>>;
}

/// An identifier, raw when the name is (`r#type`).
fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

// ---------------------------------------------------------------------------------------------
// Compiler

/// What a path is evaluated on.
#[derive(Debug, Clone, Copy)]
pub enum Root<'a> {
    /// An `output` matcher: the output structure (its Rust name), bound to `output: &Output`.
    Output(&'a str),
    /// An `inputOutput` matcher: `{"input": ..., "output": ...}`, bound to `input: &Input` and
    /// `output: &Output`.
    InputOutput {
        /// The input structure's Rust name.
        input: &'a str,
        /// The output structure's Rust name.
        output: &'a str,
    },
}

/// How a matcher compares the value a path gives with the expected one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparator {
    /// A string equal to the expected one.
    StringEquals,
    /// A boolean equal to the expected one (`"true"` or `"false"`).
    BooleanEquals,
    /// A non-empty list whose every element is a string equal to the expected one.
    AllStringEquals,
    /// A list with some element a string equal to the expected one.
    AnyStringEquals,
}

impl Comparator {
    /// The comparator as the model names it.
    pub fn name(self) -> &'static str {
        match self {
            Comparator::StringEquals => "stringEquals",
            Comparator::BooleanEquals => "booleanEquals",
            Comparator::AllStringEquals => "allStringEquals",
            Comparator::AnyStringEquals => "anyStringEquals",
        }
    }

    /// The comparator the model names `name`.
    pub fn from_name(name: &str) -> Option<Comparator> {
        [Comparator::StringEquals, Comparator::BooleanEquals, Comparator::AllStringEquals, Comparator::AnyStringEquals]
            .into_iter()
            .find(|c| c.name() == name)
    }
}

/// The JMESPath type a compiled value is known to have when it is not null.
#[derive(Debug, Clone, PartialEq)]
pub enum JType {
    /// Only null.
    Null,
    /// A boolean.
    Bool,
    /// A number.
    Number,
    /// A string.
    String,
    /// An array of this.
    Array(Box<JType>),
    /// An object (a structure, union or map).
    Object,
    /// Not known when the crate is generated.
    Any,
}

impl JType {
    fn describe(&self) -> String {
        match self {
            JType::Null => "null".to_string(),
            JType::Bool => "a boolean".to_string(),
            JType::Number => "a number".to_string(),
            JType::String => "a string".to_string(),
            JType::Array(element) => format!("a list of {}", element.plural()),
            JType::Object => "an object".to_string(),
            JType::Any => "a value of any type".to_string(),
        }
    }

    fn plural(&self) -> String {
        match self {
            JType::Null => "nulls".to_string(),
            JType::Bool => "booleans".to_string(),
            JType::Number => "numbers".to_string(),
            JType::String => "strings".to_string(),
            JType::Array(element) => format!("lists of {}", element.plural()),
            JType::Object => "objects".to_string(),
            JType::Any => "values of any type".to_string(),
        }
    }

    /// Whether a value of this type can be `other` (null and unknown types fit everything).
    fn may_be(&self, other: &JType) -> bool {
        match (self, other) {
            (JType::Any | JType::Null, _) | (_, JType::Any) => true,
            (JType::Array(a), JType::Array(b)) => a.may_be(b),
            (a, b) => a == b,
        }
    }

    fn join(self, other: JType) -> JType {
        match (self, other) {
            (JType::Null, t) | (t, JType::Null) => t,
            (a, b) if a == b => a,
            _ => JType::Any,
        }
    }
}

/// A compiled path: Rust that evaluates to the runtime's `Value<'_>`, and the type it has.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// An expression of type `Value<'a>`, borrowing from `output` (and `input`).
    pub tokens: TokenStream,
    /// Its type when not null.
    pub ty: JType,
}

/// Parses `path`, checks it against the shapes `root` names, and compiles it with `comparator`
/// into a Rust `bool` expression over `output` (and `input`). `waiter` is the path of the runtime's
/// `waiter` module in the generated crate.
pub fn compile_matcher(
    shapes: &dyn Shapes,
    waiter: &TokenStream,
    root: Root<'_>,
    path: &str,
    comparator: Comparator,
    expected: &str,
) -> Result<TokenStream, Error> {
    let expr = parse(path)?;
    let compiled = compile(shapes, waiter, root, &expr)?;
    let wanted = match comparator {
        Comparator::StringEquals => JType::String,
        Comparator::BooleanEquals => JType::Bool,
        Comparator::AllStringEquals | Comparator::AnyStringEquals => JType::Array(Box::new(JType::String)),
    };
    if !compiled.ty.may_be(&wanted) {
        return Err(Error::Type(format!(
            "the path gives {}, and `{}` needs {}",
            compiled.ty.describe(),
            comparator.name(),
            wanted.describe()
        )));
    }
    let value = compiled.tokens;
    let value_module = waiter;
    Ok(match comparator {
        Comparator::StringEquals => quote!(#value_module::string_equals(&#value, #expected)),
        Comparator::BooleanEquals => {
            let expected = match expected {
                "true" => true,
                "false" => false,
                other => {
                    return Err(Error::Type(format!(
                        "`booleanEquals` expects `true` or `false`, not `{}`",
                        other.escape_debug()
                    )))
                }
            };
            quote!(#value_module::boolean_equals(&#value, #expected))
        }
        Comparator::AllStringEquals => quote!(#value_module::all_string_equals(&#value, #expected)),
        Comparator::AnyStringEquals => quote!(#value_module::any_string_equals(&#value, #expected)),
    })
}

/// Compiles a parsed path on `root`; `waiter` as for [`compile_matcher`].
pub fn compile(shapes: &dyn Shapes, waiter: &TokenStream, root: Root<'_>, expr: &Expr) -> Result<Compiled, Error> {
    let compiler = Compiler { shapes, waiter };
    let start = match root {
        Root::Output(output) => {
            Node::Ref { tokens: quote!(::std::option::Option::Some(output)), ty: structure(output) }
        }
        Root::InputOutput { input, output } => Node::InputOutput { input: structure(input), output: structure(output) },
    };
    let node = compiler.node(expr, start)?;
    compiler.value(node)
}

fn structure(name: &str) -> Shape {
    Shape::Structure(name.to_string())
}

/// A compiled subexpression.
#[derive(Clone)]
enum Node {
    /// `Option<&'a T>` for the type `ty`; `None` is JMESPath's null.
    Ref { tokens: TokenStream, ty: Shape },
    /// `Option<Vec<&'a T>>`: the result of a projection whose elements are of the type `ty`.
    Refs { tokens: TokenStream, ty: Shape },
    /// `Value<'a>`.
    Value(Compiled),
    /// The root of an `inputOutput` matcher.
    InputOutput { input: Shape, output: Shape },
}

struct Compiler<'s> {
    shapes: &'s dyn Shapes,
    waiter: &'s TokenStream,
}

fn describe_kind(kind: &Shape) -> String {
    match kind {
        Shape::String => "a string".to_string(),
        Shape::Enum(name) => format!("the enum `{name}`"),
        Shape::IntEnum(name) => format!("the intEnum `{name}`"),
        Shape::Bool => "a boolean".to_string(),
        Shape::Structure(name) => format!("the structure `{name}`"),
        Shape::Union(name) => format!("the union `{name}`"),
        Shape::List { .. } => "a list".to_string(),
        Shape::Map { .. } => "a map".to_string(),
        Shape::Timestamp => "a timestamp".to_string(),
        Shape::Blob => "a blob".to_string(),
        Shape::Document => "a document".to_string(),
        Shape::BigNumber => "a big number".to_string(),
        Shape::Unit => "unit".to_string(),
        _ => "a number".to_string(),
    }
}

impl Compiler<'_> {
    fn value_type(&self) -> TokenStream {
        let module = self.waiter;
        quote!(#module::Value)
    }

    fn members_of(&self, shape: &str) -> Result<Vec<Member>, Error> {
        self.shapes.members(shape).ok_or_else(|| Error::Type(format!("`{shape}` is not a structure of this service")))
    }

    fn node(&self, expr: &Expr, current: Node) -> Result<Node, Error> {
        match expr {
            Expr::Identity => Ok(current),
            Expr::Field(name) => self.field(current, name),
            Expr::Subexpr(left, right) | Expr::Pipe(left, right) => {
                let left = self.node(left, current)?;
                self.node(right, left)
            }
            Expr::Index(left, index) => {
                let left = self.node(left, current)?;
                self.index(left, *index)
            }
            Expr::Flatten(_) => Err(Error::Unsupported("a flatten (`[]`) outside a projection".to_string())),
            Expr::Projection { lhs, filter, rhs } => self.projection(current, lhs, filter.as_deref(), rhs),
            Expr::Compare(op, left, right) => {
                let left = self.value_of(left, current.clone())?;
                let right = self.value_of(right, current)?;
                self.compare(*op, left, right).map(Node::Value)
            }
            Expr::And(left, right) | Expr::Or(left, right) => {
                let left = self.value_of(left, current.clone())?;
                let right = self.value_of(right, current)?;
                let (l, r) = (left.tokens, right.tokens);
                let tokens = if matches!(expr, Expr::And(..)) {
                    quote!({ let left = #l; if left.is_truthy() { #r } else { left } })
                } else {
                    quote!({ let left = #l; if left.is_truthy() { left } else { #r } })
                };
                Ok(Node::Value(Compiled { tokens, ty: left.ty.join(right.ty) }))
            }
            Expr::Not(inner) => {
                let inner = self.value_of(inner, current)?.tokens;
                let value = self.value_type();
                Ok(Node::Value(Compiled { tokens: quote!(#value::Bool(!#inner.is_truthy())), ty: JType::Bool }))
            }
            Expr::Literal(json) => literal(json, &self.value_type()).map(Node::Value),
            Expr::Function(name, args) => self.function(name, args, current).map(Node::Value),
        }
    }

    fn value_of(&self, expr: &Expr, current: Node) -> Result<Compiled, Error> {
        let node = self.node(expr, current)?;
        self.value(node)
    }

    fn field(&self, current: Node, name: &str) -> Result<Node, Error> {
        match current {
            Node::InputOutput { input, output } => match name {
                "input" => Ok(Node::Ref { tokens: quote!(::std::option::Option::Some(input)), ty: input }),
                "output" => Ok(Node::Ref { tokens: quote!(::std::option::Option::Some(output)), ty: output }),
                other => {
                    Err(Error::Type(format!("an `inputOutput` path starts at `input` or `output`, not `{other}`")))
                }
            },
            Node::Ref { tokens, ty: Shape::Structure(shape) } => {
                let members = self.members_of(&shape)?;
                let Some(field) = members.iter().find(|f| f.name == name) else {
                    let members: Vec<&str> = members.iter().map(|f| f.name.as_str()).collect();
                    return Err(Error::Type(format!(
                        "`{shape}` has no member `{name}` (its members: {})",
                        if members.is_empty() { "none".to_string() } else { members.join(", ") }
                    )));
                };
                let member = ident(&field.rust_name);
                let access = match (field.optional, field.boxed) {
                    (true, true) => quote!(#tokens.and_then(|node| node.#member.as_deref())),
                    (true, false) => quote!(#tokens.and_then(|node| node.#member.as_ref())),
                    (_, true) => quote!(#tokens.map(|node| &*node.#member)),
                    (_, false) => quote!(#tokens.map(|node| &node.#member)),
                };
                Ok(Node::Ref { tokens: access, ty: field.shape.clone() })
            }
            Node::Ref { tokens, ty: Shape::Map { string_keys, value, sparse } } => {
                if !string_keys {
                    return Err(Error::Unsupported(format!("member `{name}` of a map whose keys are not strings")));
                }
                let access = if sparse {
                    quote!(#tokens.and_then(|node| node.get(#name)).and_then(|entry| entry.as_ref()))
                } else {
                    quote!(#tokens.and_then(|node| node.get(#name)))
                };
                Ok(Node::Ref { tokens: access, ty: *value })
            }
            Node::Ref { ty: Shape::Union(union), .. } => {
                Err(Error::Unsupported(format!("member `{name}` of the union `{union}`")))
            }
            Node::Ref { ty, .. } => {
                Err(Error::Type(format!("member `{name}` of {}, which has no members", describe_kind(&ty))))
            }
            Node::Refs { .. } => Err(Error::Type(format!(
                "member `{name}` of a projection's result, a list, which is always null (a projection takes \
                 members of its elements with `[].{name}`)"
            ))),
            Node::Value(_) => Err(Error::Unsupported(format!(
                "member `{name}` of a computed value (a comparison or function's result)"
            ))),
        }
    }

    fn index(&self, current: Node, index: i64) -> Result<Node, Error> {
        let position = |list: TokenStream| -> TokenStream {
            if index >= 0 {
                let index = index as usize;
                quote!(#list.get(#index))
            } else {
                let back = index.unsigned_abs() as usize;
                quote!(#list.len().checked_sub(#back).and_then(|at| #list.get(at)))
            }
        };
        match current {
            Node::Ref { tokens, ty: Shape::List { member, sparse } } => {
                let get = position(quote!(list));
                let access = if sparse {
                    quote!(#tokens.and_then(|list| #get).and_then(|entry| entry.as_ref()))
                } else {
                    quote!(#tokens.and_then(|list| #get))
                };
                Ok(Node::Ref { tokens: access, ty: *member })
            }
            Node::Refs { tokens, ty } => {
                let get = position(quote!(list));
                Ok(Node::Ref { tokens: quote!(#tokens.and_then(|list| #get.copied())), ty })
            }
            Node::Ref { ty, .. } => {
                Err(Error::Type(format!("index `[{index}]` of {}, which is not a list", describe_kind(&ty))))
            }
            Node::Value(value) => {
                let tokens = value.tokens;
                let ty = match value.ty {
                    JType::Array(element) => *element,
                    JType::Any => JType::Any,
                    other => {
                        return Err(Error::Type(format!(
                            "index `[{index}]` of {}, which is not a list",
                            other.describe()
                        )))
                    }
                };
                Ok(Node::Value(Compiled { tokens: quote!(#tokens.index(#index)), ty }))
            }
            Node::InputOutput { .. } => Err(Error::Type(format!("index `[{index}]` of the input and output object"))),
        }
    }

    /// An iterator over `node`'s elements: tokens of type `Option<impl Iterator<Item = &'a T>>` and the
    /// elements' type. `flatten` merges nested lists one level, as `[]` does. Null elements of sparse
    /// lists are left out: a projection drops what they would give.
    fn elements(&self, node: Node, flatten: bool) -> Result<(TokenStream, Shape), Error> {
        let (iter, element) = match node {
            Node::Ref { tokens, ty: Shape::List { member, sparse } } => {
                let iter = if sparse {
                    quote!(#tokens.map(|list| list.iter().flatten()))
                } else {
                    quote!(#tokens.map(|list| list.iter()))
                };
                (iter, *member)
            }
            Node::Refs { tokens, ty } => (quote!(#tokens.map(|list| list.into_iter())), ty),
            Node::Ref { ty, .. } => {
                return Err(Error::Type(format!("a projection of {}, which is not a list", describe_kind(&ty))))
            }
            Node::Value(_) => {
                return Err(Error::Unsupported(
                    "a projection of a computed value (a comparison or function's result)".to_string(),
                ))
            }
            Node::InputOutput { .. } => {
                return Err(Error::Type("a projection of the input and output object".to_string()))
            }
        };
        if !flatten {
            return Ok((iter, element));
        }
        match element {
            Shape::List { member, sparse: false } => {
                Ok((quote!(#iter.map(|elements| elements.flat_map(|inner| inner.iter()))), *member))
            }
            Shape::List { member, sparse: true } => {
                Ok((quote!(#iter.map(|elements| elements.flat_map(|inner| inner.iter().flatten()))), *member))
            }
            element => Ok((iter, element)),
        }
    }

    fn projection(&self, current: Node, lhs: &Expr, filter: Option<&Expr>, rhs: &Expr) -> Result<Node, Error> {
        let (list, flatten) = match lhs {
            Expr::Flatten(inner) => (self.node(inner, current.clone())?, true),
            other => (self.node(other, current.clone())?, false),
        };
        let (mut iter, element) = self.elements(list, flatten)?;
        let item = Node::Ref { tokens: quote!(::std::option::Option::Some(item)), ty: element.clone() };
        if let Some(condition) = filter {
            let condition = self.value_of(condition, item.clone())?.tokens;
            iter = quote!(#iter.map(|elements| elements.filter(|item| { let item = *item; #condition.is_truthy() })));
        }
        let value = self.value_type();
        if *rhs == Expr::Identity {
            return Ok(Node::Refs {
                tokens: quote!(#iter.map(|elements| elements.collect::<::std::vec::Vec<_>>())),
                ty: element,
            });
        }
        match self.node(rhs, item)? {
            Node::Ref { tokens, ty } => Ok(Node::Refs {
                tokens: quote!(#iter.map(|elements| elements.filter_map(|item| #tokens).collect::<::std::vec::Vec<_>>())),
                ty,
            }),
            other => {
                let each = self.value(other)?;
                let tokens = each.tokens;
                Ok(Node::Value(Compiled {
                    tokens: quote!(#iter.map_or(#value::Null, |elements| {
                        #value::Array(elements.map(|item| #tokens).filter(|each| !each.is_null()).collect())
                    })),
                    ty: JType::Array(Box::new(each.ty)),
                }))
            }
        }
    }

    fn compare(&self, op: Comparison, left: Compiled, right: Compiled) -> Result<Compiled, Error> {
        let module = self.waiter;
        let op_tokens = match op {
            Comparison::Eq | Comparison::Ne => {
                for side in [&left.ty, &right.ty] {
                    if matches!(side, JType::Object | JType::Any)
                        || matches!(side, JType::Array(e) if matches!(**e, JType::Object | JType::Any))
                    {
                        return Err(Error::Unsupported(format!("`==` or `!=` on {}", side.describe())));
                    }
                }
                if op == Comparison::Eq {
                    quote!(Eq)
                } else {
                    quote!(Ne)
                }
            }
            _ => match op {
                Comparison::Lt => quote!(Lt),
                Comparison::Le => quote!(Le),
                Comparison::Gt => quote!(Gt),
                _ => quote!(Ge),
            },
        };
        let (l, r) = (left.tokens, right.tokens);
        Ok(Compiled { tokens: quote!(#module::compare(#module::Comparison::#op_tokens, &#l, &#r)), ty: JType::Bool })
    }

    fn function(&self, name: &str, args: &[Expr], current: Node) -> Result<Compiled, Error> {
        let arity = |wanted: usize| {
            if args.len() == wanted {
                Ok(())
            } else {
                Err(Error::Type(format!("`{name}` takes {wanted} argument(s), not {}", args.len())))
            }
        };
        match name {
            "length" => {
                arity(1)?;
                let subject = self.value_of(&args[0], current)?;
                if !matches!(subject.ty, JType::String | JType::Array(_) | JType::Object | JType::Any | JType::Null) {
                    return Err(Error::Type(format!("`length` of {}", subject.ty.describe())));
                }
                let tokens = subject.tokens;
                Ok(Compiled { tokens: quote!(#tokens.length()), ty: JType::Number })
            }
            "contains" => {
                arity(2)?;
                let subject = self.value_of(&args[0], current.clone())?;
                let search = self.value_of(&args[1], current)?;
                if !matches!(subject.ty, JType::String | JType::Array(_) | JType::Any | JType::Null) {
                    return Err(Error::Type(format!("`contains` in {}", subject.ty.describe())));
                }
                let (s, x) = (subject.tokens, search.tokens);
                let module = self.waiter;
                Ok(Compiled { tokens: quote!(#module::contains(&#s, &#x)), ty: JType::Bool })
            }
            other => Err(Error::Unsupported(format!("the function `{other}`"))),
        }
    }

    /// The node as a `Value<'a>`.
    fn value(&self, node: Node) -> Result<Compiled, Error> {
        let value = self.value_type();
        match node {
            Node::Value(compiled) => Ok(compiled),
            Node::Ref { tokens, ty } => {
                let (each, jtype) = self.convert(&ty, quote!(node))?;
                Ok(Compiled { tokens: quote!(#tokens.map_or(#value::Null, |node| #each)), ty: jtype })
            }
            Node::Refs { tokens, ty } => {
                let (each, jtype) = self.convert(&ty, quote!(node))?;
                Ok(Compiled {
                    tokens: quote!(#tokens.map_or(#value::Null, |list| {
                        #value::Array(list.into_iter().map(|node| #each).collect())
                    })),
                    ty: JType::Array(Box::new(jtype)),
                })
            }
            Node::InputOutput { .. } => {
                Err(Error::Unsupported("the whole input and output object as a value".to_string()))
            }
        }
    }

    /// Converts `name`, a `&'a T` of the type `ty`, to a `Value<'a>`.
    fn convert(&self, ty: &Shape, name: TokenStream) -> Result<(TokenStream, JType), Error> {
        let value = self.value_type();
        Ok(match ty {
            Shape::String => (quote!(#value::from(#name.as_str())), JType::String),
            Shape::Enum(_) => (quote!(#value::from(#name.as_str())), JType::String),
            Shape::Bool => (quote!(#value::Bool(*#name)), JType::Bool),
            Shape::Byte | Shape::Short | Shape::Integer | Shape::Float | Shape::Double => {
                (quote!(#value::Number(f64::from(*#name))), JType::Number)
            }
            // JMESPath numbers are doubles; a long beyond 2^53 loses precision, as the spec warns.
            Shape::Long => (quote!(#value::Number(*#name as f64)), JType::Number),
            Shape::Timestamp => (quote!(#value::Number(#name.as_secs_f64())), JType::Number),
            Shape::List { member, sparse } => {
                let (each, jtype) = self.convert(member, quote!(element))?;
                let tokens = if *sparse {
                    quote!(#value::Array(#name.iter().map(|element| element.as_ref().map_or(#value::Null, |element| #each)).collect()))
                } else {
                    quote!(#value::Array(#name.iter().map(|element| #each).collect()))
                };
                (tokens, JType::Array(Box::new(jtype)))
            }
            Shape::Map { .. } => (quote!(#value::Object(#name.len())), JType::Object),
            Shape::Union(_) => (quote!(#value::Object(1)), JType::Object),
            Shape::Structure(shape) => {
                let members = self.members_of(shape)?;
                // JMESPath sees the members that are set: the required ones always, the others when present.
                let always = members.iter().filter(|f| !f.optional).count();
                let optional = members.iter().filter(|f| f.optional).map(|f| {
                    let member = ident(&f.rust_name);
                    quote!(+ usize::from(#name.#member.is_some()))
                });
                (quote!(#value::Object(#always #(#optional)*)), JType::Object)
            }
            other => return Err(Error::Unsupported(format!("{} as a value", describe_kind(other)))),
        })
    }
}

/// A literal as a `Value<'static>`; `value` is the path of the runtime's `Value`.
fn literal(json: &serde_json::Value, value: &TokenStream) -> Result<Compiled, Error> {
    Ok(match json {
        serde_json::Value::Null => Compiled { tokens: quote!(#value::Null), ty: JType::Null },
        serde_json::Value::Bool(b) => Compiled { tokens: quote!(#value::Bool(#b)), ty: JType::Bool },
        serde_json::Value::Number(n) => {
            let Some(n) = n.as_f64().filter(|n| n.is_finite()) else {
                return Err(Error::Unsupported(format!("the number literal `{n}`")));
            };
            Compiled { tokens: quote!(#value::Number(#n)), ty: JType::Number }
        }
        serde_json::Value::String(s) => Compiled { tokens: quote!(#value::from(#s)), ty: JType::String },
        serde_json::Value::Array(items) => {
            let items = items.iter().map(|item| literal(item, value)).collect::<Result<Vec<_>, _>>()?;
            let ty = items.iter().fold(JType::Null, |ty, item| ty.join(item.ty.clone()));
            let tokens = items.iter().map(|item| &item.tokens);
            Compiled { tokens: quote!(#value::Array(::std::vec![#(#tokens),*])), ty: JType::Array(Box::new(ty)) }
        }
        serde_json::Value::Object(_) => return Err(Error::Unsupported("an object literal".to_string())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str) -> Box<Expr> {
        Box::new(Expr::Field(name.to_string()))
    }

    fn sub(left: Box<Expr>, right: Box<Expr>) -> Box<Expr> {
        Box::new(Expr::Subexpr(left, right))
    }

    fn project(lhs: Box<Expr>, filter: Option<Box<Expr>>, rhs: Box<Expr>) -> Expr {
        Expr::Projection { lhs, filter, rhs }
    }

    fn string(text: &str) -> Box<Expr> {
        Box::new(Expr::Literal(serde_json::Value::String(text.to_string())))
    }

    #[test]
    fn parses_fields_and_subexpressions() {
        assert_eq!(parse("Table").unwrap(), Expr::Field("Table".into()));
        assert_eq!(parse("Table.TableStatus").unwrap(), *sub(field("Table"), field("TableStatus")));
        assert_eq!(parse("a.b.c").unwrap(), *sub(sub(field("a"), field("b")), field("c")));
        assert_eq!(parse(r#""with space"."q\"uote""#).unwrap(), *sub(field("with space"), field("q\"uote")));
        assert_eq!(parse("  a . b  ").unwrap(), *sub(field("a"), field("b")));
        assert_eq!(parse("@").unwrap(), Expr::Identity);
    }

    #[test]
    fn parses_indexes() {
        assert_eq!(parse("a[0]").unwrap(), Expr::Index(field("a"), 0));
        assert_eq!(parse("a[-1]").unwrap(), Expr::Index(field("a"), -1));
        assert_eq!(parse("a.b[2]").unwrap(), *sub(field("a"), Box::new(Expr::Index(field("b"), 2))));
        assert_eq!(parse("[1]").unwrap(), Expr::Index(Box::new(Expr::Identity), 1));
    }

    #[test]
    fn parses_projections_flatten_and_filters() {
        // The real models' shape of path: a flatten projecting a member of each element.
        assert_eq!(
            parse("Certificate.DomainValidationOptions[].ValidationStatus").unwrap(),
            project(
                Box::new(Expr::Flatten(sub(field("Certificate"), field("DomainValidationOptions")))),
                None,
                field("ValidationStatus")
            )
        );
        assert_eq!(parse("a[*].b").unwrap(), project(field("a"), None, field("b")));
        assert_eq!(parse("a[*]").unwrap(), project(field("a"), None, Box::new(Expr::Identity)));
        assert_eq!(parse("a[]").unwrap(), project(Box::new(Expr::Flatten(field("a"))), None, Box::new(Expr::Identity)));
        // The projection takes in what follows it, up to a comparison.
        assert_eq!(
            parse("a[].b.c == 'x'").unwrap(),
            Expr::Compare(
                Comparison::Eq,
                Box::new(project(Box::new(Expr::Flatten(field("a"))), None, sub(field("b"), field("c")))),
                string("x")
            )
        );
        // A second flatten flattens the first projection's results.
        assert_eq!(
            parse("a[].b[].c").unwrap(),
            project(
                Box::new(Expr::Flatten(Box::new(project(Box::new(Expr::Flatten(field("a"))), None, field("b"))))),
                None,
                field("c")
            )
        );
        assert_eq!(
            parse("a[?state == 'on'].name").unwrap(),
            project(
                field("a"),
                Some(Box::new(Expr::Compare(Comparison::Eq, field("state"), string("on")))),
                field("name")
            )
        );
        assert_eq!(
            parse("a[].b[0]").unwrap(),
            project(Box::new(Expr::Flatten(field("a"))), None, Box::new(Expr::Index(field("b"), 0)))
        );
    }

    #[test]
    fn parses_operators_with_jmespath_precedence() {
        let eq = |l: &str, r: &str| Box::new(Expr::Compare(Comparison::Eq, field(l), field(r)));
        // `&&` binds tighter than `||`.
        assert_eq!(
            parse("a == b || c == d && e == f").unwrap(),
            Expr::Or(eq("a", "b"), Box::new(Expr::And(eq("c", "d"), eq("e", "f"))))
        );
        assert_eq!(parse("!a").unwrap(), Expr::Not(field("a")));
        // `!` binds tighter than `.`, as in the reference implementation: `!a.b` is `(!a).b`.
        assert_eq!(parse("!a.b").unwrap(), *sub(Box::new(Expr::Not(field("a"))), field("b")));
        assert_eq!(parse("!(a || b)").unwrap(), Expr::Not(Box::new(Expr::Or(field("a"), field("b")))));
        for (text, op) in [
            ("a != b", Comparison::Ne),
            ("a < b", Comparison::Lt),
            ("a <= b", Comparison::Le),
            ("a > b", Comparison::Gt),
            ("a >= b", Comparison::Ge),
        ] {
            assert_eq!(parse(text).unwrap(), Expr::Compare(op, field("a"), field("b")), "{text}");
        }
        assert_eq!(parse("a | b").unwrap(), Expr::Pipe(field("a"), field("b")));
    }

    #[test]
    fn parses_literals_and_functions() {
        assert_eq!(parse("`true`").unwrap(), Expr::Literal(serde_json::json!(true)));
        assert_eq!(parse("`[1, \"a\"]`").unwrap(), Expr::Literal(serde_json::json!([1, "a"])));
        assert_eq!(parse("`\"back\\`tick\"`").unwrap(), Expr::Literal(serde_json::json!("back`tick")));
        assert_eq!(parse(r"'it\'s'").unwrap(), Expr::Literal(serde_json::json!("it's")));
        assert_eq!(
            parse("length(input.groups) == length(output.groups)").unwrap(),
            Expr::Compare(
                Comparison::Eq,
                Box::new(Expr::Function("length".into(), vec![*sub(field("input"), field("groups"))])),
                Box::new(Expr::Function("length".into(), vec![*sub(field("output"), field("groups"))]))
            )
        );
        assert_eq!(
            parse("contains(a, 'x')").unwrap(),
            Expr::Function("contains".into(), vec![Expr::Field("a".into()), Expr::Literal(serde_json::json!("x"))])
        );
    }

    #[test]
    fn syntax_errors_say_where() {
        let offset = |text: &str| match parse(text) {
            Err(Error::Syntax { offset, .. }) => offset,
            other => panic!("{text}: {other:?}"),
        };
        assert_eq!(offset("a."), 2);
        assert_eq!(offset("a.b c"), 4);
        assert_eq!(offset("a[0"), 3);
        assert_eq!(offset("a == "), 5);
        assert_eq!(offset("'open"), 0);
        assert_eq!(offset("`{not json`"), 0);
        assert_eq!(offset("a # b"), 2);
        assert_eq!(offset("f(a"), 3);
        assert_eq!(offset(""), 0);
        assert_eq!(offset("-"), 0);
        assert!(parse("a.b c").unwrap_err().to_string().contains("identifier `c`"));
    }

    #[test]
    fn constructs_outside_the_subset_are_unsupported_not_errors_of_syntax() {
        for text in ["a[0:2]", "a[:2]", "[a, b]", "{x: a}", "a.*", "*", "a.[b]", "a.{x: b}", "sort_by(a, &b)"] {
            assert!(matches!(parse(text), Err(Error::Unsupported(_))), "{text}: {:?}", parse(text));
        }
    }

    #[test]
    fn hostile_paths_are_errors_not_overflows() {
        let deep = format!("{}a{}", "(".repeat(100_000), ")".repeat(100_000));
        assert!(matches!(parse(&deep), Err(Error::Unsupported(_))));
        let long = vec!["a"; 100_000].join(".");
        assert!(matches!(parse(&long), Err(Error::Unsupported(_))));
        assert!(parse(&"!".repeat(200)).is_err());
        assert!(parse("99999999999999999999").is_err());
        assert!(parse("\"\\u12\"").is_err());
    }

    /// The structures the tests' paths run on, as the IR would describe them.
    struct TestShapes;

    fn member(name: &str, shape: Shape, optional: bool) -> Member {
        Member { name: name.into(), rust_name: name.into(), shape, optional, boxed: false }
    }

    fn list(member: Shape) -> Shape {
        Shape::List { member: Box::new(member), sparse: false }
    }

    impl Shapes for TestShapes {
        fn members(&self, structure: &str) -> Option<Vec<Member>> {
            let thing = || Shape::Structure("Thing".into());
            Some(match structure {
                "GetThingInput" => {
                    vec![member("name", Shape::String, false), member("groups", list(Shape::String), true)]
                }
                "GetThingOutput" => vec![
                    member("status", Shape::Enum("Status".into()), true),
                    member("count", Shape::Integer, true),
                    member("size", Shape::Long, false),
                    member("ready", Shape::Bool, true),
                    member("when", Shape::Timestamp, true),
                    member("data", Shape::Blob, true),
                    member("groups", list(Shape::String), true),
                    member("items", list(thing()), true),
                    member("grid", list(list(Shape::String)), true),
                    member(
                        "labels",
                        Shape::Map { string_keys: true, value: Box::new(Shape::String), sparse: false },
                        true,
                    ),
                    member("thing", thing(), true),
                ],
                "Thing" => vec![member("state", Shape::String, false), member("note", Shape::String, true)],
                _ => return None,
            })
        }
    }

    fn waiter() -> TokenStream {
        quote!(crate::runtime::waiter)
    }

    const OUTPUT: Root<'static> = Root::Output("GetThingOutput");
    const BOTH: Root<'static> = Root::InputOutput { input: "GetThingInput", output: "GetThingOutput" };

    fn compiled(root: Root<'_>, path: &str) -> Result<Compiled, Error> {
        compile(&TestShapes, &waiter(), root, &parse(path)?)
    }

    /// The compiled tokens with the spaces `quote` puts between tokens taken out, for comparison.
    fn code(root: Root<'_>, path: &str) -> String {
        let compiled = compiled(root, path).unwrap_or_else(|e| panic!("{path}: {e}"));
        compiled.tokens.to_string().replace(' ', "")
    }

    fn type_of(root: Root<'_>, path: &str) -> JType {
        compiled(root, path).unwrap_or_else(|e| panic!("{path}: {e}")).ty
    }

    fn error(root: Root<'_>, path: &str) -> Error {
        match compiled(root, path) {
            Ok(c) => panic!("{path} compiled to {}", c.tokens),
            Err(e) => e,
        }
    }

    #[test]
    fn members_compile_to_field_accesses_by_presence() {
        assert_eq!(
            code(OUTPUT, "status"),
            "::std::option::Option::Some(output).and_then(|node|node.status.as_ref())\
             .map_or(crate::runtime::waiter::Value::Null,|node|crate::runtime::waiter::Value::from(node.as_str()))"
        );
        // A required member is always there.
        assert!(code(OUTPUT, "size").contains(".map(|node|&node.size)"));
        assert!(code(OUTPUT, "size").contains("Value::Number(*nodeasf64)"));
        assert!(code(OUTPUT, "thing.state").contains(".and_then(|node|node.thing.as_ref()).map(|node|&node.state)"));
        assert!(code(OUTPUT, "count").contains("Value::Number(f64::from(*node))"));
        assert!(code(OUTPUT, "ready").contains("Value::Bool(*node)"));
        assert!(code(OUTPUT, "when").contains("Value::Number(node.as_secs_f64())"));
        assert!(code(OUTPUT, "labels.key").contains(".and_then(|node|node.get(\"key\"))"));
    }

    #[test]
    fn types_follow_the_shapes() {
        assert_eq!(type_of(OUTPUT, "status"), JType::String);
        assert_eq!(type_of(OUTPUT, "thing.note"), JType::String);
        assert_eq!(type_of(OUTPUT, "count"), JType::Number);
        assert_eq!(type_of(OUTPUT, "when"), JType::Number);
        assert_eq!(type_of(OUTPUT, "ready"), JType::Bool);
        assert_eq!(type_of(OUTPUT, "groups"), JType::Array(Box::new(JType::String)));
        assert_eq!(type_of(OUTPUT, "grid"), JType::Array(Box::new(JType::Array(Box::new(JType::String)))));
        assert_eq!(type_of(OUTPUT, "thing"), JType::Object);
        assert_eq!(type_of(OUTPUT, "labels"), JType::Object);
        assert_eq!(type_of(OUTPUT, "items[].state"), JType::Array(Box::new(JType::String)));
        assert_eq!(type_of(OUTPUT, "grid[]"), JType::Array(Box::new(JType::String)));
        assert_eq!(type_of(OUTPUT, "grid[*]"), JType::Array(Box::new(JType::Array(Box::new(JType::String)))));
        assert_eq!(type_of(OUTPUT, "items[0].state"), JType::String);
        assert_eq!(type_of(OUTPUT, "items[?state == 'a'].note"), JType::Array(Box::new(JType::String)));
        assert_eq!(type_of(OUTPUT, "length(items) > `1`"), JType::Bool);
        assert_eq!(type_of(OUTPUT, "contains(groups, 'a')"), JType::Bool);
        assert_eq!(type_of(OUTPUT, "!ready"), JType::Bool);
        assert_eq!(type_of(OUTPUT, "status || thing.state"), JType::String);
        assert_eq!(type_of(OUTPUT, "status || count"), JType::Any);
        assert_eq!(type_of(OUTPUT, "items[].state | [0]"), JType::String);
        assert_eq!(type_of(OUTPUT, "`[1, 2]`"), JType::Array(Box::new(JType::Number)));
        assert_eq!(type_of(BOTH, "input.name"), JType::String);
        assert_eq!(type_of(BOTH, "length(input.groups) == length(output.groups)"), JType::Bool);
    }

    #[test]
    fn projections_compile_to_iterators() {
        // Elements of a projection stay typed references until the result is needed as a value.
        let flat = code(OUTPUT, "items[].state");
        assert!(flat.contains(".map(|list|list.iter())"), "{flat}");
        assert!(flat.contains(".filter_map(|item|::std::option::Option::Some(item).map(|node|&node.state))"), "{flat}");
        assert!(flat.contains("Value::Array(list.into_iter().map(|node|"), "{flat}");
        let nested = code(OUTPUT, "grid[]");
        assert!(nested.contains(".flat_map(|inner|inner.iter())"), "{nested}");
        let filtered = code(OUTPUT, "items[?state == 'a'].note");
        assert!(filtered.contains(".filter(|item|{letitem=*item;crate::runtime::waiter::compare("), "{filtered}");
        let last = code(OUTPUT, "items[-1].state");
        assert!(last.contains("list.len().checked_sub(1usize).and_then(|at|list.get(at))"), "{last}");
        // A projection of the elements themselves collects them, with no per-element step.
        let whole = code(OUTPUT, "items[?state == 'a']");
        assert!(whole.contains(".map(|elements|elements.collect::<::std::vec::Vec<_>>())"), "{whole}");
        assert!(!whole.contains("filter_map"), "{whole}");
        // A projection whose elements give computed values builds an array of them, nulls dropped.
        let computed = code(OUTPUT, "items[].length(state)");
        assert!(computed.contains(".filter(|each|!each.is_null()).collect()"), "{computed}");
    }

    #[test]
    fn operators_compile_to_the_runtime_values() {
        let and = code(OUTPUT, "ready && status");
        assert!(and.contains("{letleft="), "{and}");
        assert!(and.contains("ifleft.is_truthy(){"), "{and}");
        let not = code(OUTPUT, "!ready");
        assert!(not.starts_with("crate::runtime::waiter::Value::Bool(!"), "{not}");
        let cmp = code(OUTPUT, "count >= `3`");
        assert!(cmp.starts_with("crate::runtime::waiter::compare(crate::runtime::waiter::Comparison::Ge,&"), "{cmp}");
        assert!(cmp.ends_with("&crate::runtime::waiter::Value::Number(3f64))"), "{cmp}");
        assert!(code(OUTPUT, "length(groups)").ends_with(".length()"));
        assert!(code(OUTPUT, "contains(groups, 'x')").starts_with("crate::runtime::waiter::contains(&"));
        assert!(code(BOTH, "input.name").starts_with("::std::option::Option::Some(input).map(|node|&node.name)"));
        // Structures are objects as JMESPath sees them: their required members and the others set.
        assert!(code(OUTPUT, "thing").contains("Value::Object(1usize+usize::from(node.note.is_some()))"));
    }

    #[test]
    fn paths_that_do_not_fit_the_shapes_are_type_errors() {
        let message = |root, path| match error(root, path) {
            Error::Type(message) => message,
            other => panic!("{path}: {other:?}"),
        };
        assert_eq!(
            message(OUTPUT, "Status"),
            "`GetThingOutput` has no member `Status` (its members: status, count, size, ready, when, data, groups, items, grid, labels, thing)"
        );
        assert!(message(OUTPUT, "status.name").contains("member `name` of the enum `Status`"));
        assert!(message(OUTPUT, "count[0]").contains("not a list"));
        assert!(message(OUTPUT, "thing[]").contains("not a list"));
        assert!(message(OUTPUT, "items[].state.x").contains("member `x` of a string"));
        assert!(message(OUTPUT, "length(count)").contains("`length` of a number"));
        assert!(message(OUTPUT, "length(a, b)").contains("takes 1 argument"));
        assert!(message(BOTH, "status").contains("starts at `input` or `output`"));
        assert!(message(OUTPUT, "(items[]).state").contains("always null"));
    }

    #[test]
    fn values_the_compiler_cannot_represent_are_unsupported() {
        for path in ["data", "abs(count)", "thing == thing", "`{\"a\": 1}`", "length(status) | x"] {
            assert!(matches!(error(OUTPUT, path), Error::Unsupported(_)), "{path}: {:?}", error(OUTPUT, path));
        }
    }

    #[test]
    fn matchers_check_the_comparator_against_the_type() {
        let waiter = waiter();
        let matcher = |path: &str, comparator, expected: &str| {
            compile_matcher(&TestShapes, &waiter, OUTPUT, path, comparator, expected)
        };
        let ok = matcher("status", Comparator::StringEquals, "on").unwrap().to_string().replace(' ', "");
        assert!(ok.starts_with("crate::runtime::waiter::string_equals(&"), "{ok}");
        assert!(ok.ends_with(",\"on\")"), "{ok}");
        let all = matcher("items[].state", Comparator::AllStringEquals, "on").unwrap().to_string().replace(' ', "");
        assert!(all.starts_with("crate::runtime::waiter::all_string_equals(&"), "{all}");
        let any = matcher("groups", Comparator::AnyStringEquals, "x").unwrap().to_string().replace(' ', "");
        assert!(any.starts_with("crate::runtime::waiter::any_string_equals(&"), "{any}");
        let boolean = matcher("count > `1`", Comparator::BooleanEquals, "false").unwrap().to_string().replace(' ', "");
        assert!(boolean.ends_with(",false)"), "{boolean}");
        assert_eq!(
            matcher("count", Comparator::StringEquals, "1").unwrap_err(),
            Error::Type("the path gives a number, and `stringEquals` needs a string".into())
        );
        assert!(matcher("status", Comparator::AllStringEquals, "on").is_err());
        assert!(matcher("grid", Comparator::AnyStringEquals, "on").is_err());
        assert!(matcher("ready", Comparator::BooleanEquals, "yes")
            .unwrap_err()
            .to_string()
            .contains("`true` or `false`"));
        assert!(matches!(matcher("a.", Comparator::StringEquals, "x"), Err(Error::Syntax { .. })));
    }

    #[test]
    fn comparator_names_round_trip() {
        for name in ["stringEquals", "booleanEquals", "allStringEquals", "anyStringEquals"] {
            assert_eq!(Comparator::from_name(name).map(Comparator::name), Some(name));
        }
        assert_eq!(Comparator::from_name("StringEquals"), None);
    }
}
