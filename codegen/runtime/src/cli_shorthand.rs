//! The AWS CLI's shorthand syntax for structure, list and map options, parsed into a JSON value.
//!
//! `type=JobFailed,message="it broke, badly",tags=[a,b],nested={k=v}` becomes an object whose
//! scalars are all strings; the command's typed readers then convert each one by the model's type
//! (so `percentComplete=50` becomes a number there, not here). The rules:
//!
//! - `key=value` pairs are separated by commas; keys are letters, digits and `-_.#/:`.
//! - An unquoted value runs to the next comma (or the closing bracket of an enclosing `[...]` or
//!   `{...}`), with surrounding whitespace dropped; a backslash makes the next character literal.
//! - `'...'` and `"..."` quote a value verbatim; inside, a backslash escapes the quote or itself.
//! - `key=a,b,c` is a list when what follows a comma is not another `key=`; `key=[a,b]` is an
//!   explicit list (`key=[]` an empty one) and `key={k=v,...}` a nested structure or map.
//!
//! Values nest at most [`MAX_NESTING`] deep (the top-level pairs count as one), the limit serde_json
//! puts on JSON, so hostile input is an error rather than a stack overflow.
//!
//! The parser is hand-written because no maintained crate implements this AWS-specific syntax.
//! Errors give the character position and what was expected, never the text around it, since the
//! option may carry a secret.

use std::fmt;

use serde_json::{Map, Value};

/// The deepest structures, lists and maps may nest in an option value, in shorthand syntax,
/// JSON or YAML.
pub const MAX_NESTING: usize = 128;

/// Shorthand text that does not follow the syntax.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShorthandError {
    position: usize,
    message: String,
}

impl ShorthandError {
    /// The 1-based character position where parsing stopped.
    pub fn position(&self) -> usize {
        self.position
    }

    /// What was expected there.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ShorthandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid shorthand syntax at character {}: {}", self.position, self.message)
    }
}

impl std::error::Error for ShorthandError {}

/// Parses `key=value,...` into a JSON object whose scalar values are strings.
pub fn parse(text: &str) -> Result<Value, ShorthandError> {
    let mut parser = Parser { chars: text.chars().collect(), pos: 0, depth: 1 };
    let object = parser.key_values(None)?;
    parser.skip_whitespace();
    if let Some(c) = parser.peek() {
        return Err(parser.error(format!("unexpected {c:?}; separate pairs with `,`")));
    }
    Ok(Value::Object(object))
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    /// How many structures and lists enclose the cursor.
    depth: usize,
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '#' | '/' | ':')
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn error(&self, message: impl Into<String>) -> ShorthandError {
        ShorthandError { position: self.pos + 1, message: message.into() }
    }

    fn skip_whitespace(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    /// Whether the text at the cursor is `key=` (whitespace allowed around the key).
    fn at_key_value(&self) -> bool {
        let mut i = self.pos;
        while self.chars.get(i).is_some_and(|c| c.is_whitespace()) {
            i += 1;
        }
        let start = i;
        while self.chars.get(i).is_some_and(|&c| is_key_char(c)) {
            i += 1;
        }
        if i == start {
            return false;
        }
        while self.chars.get(i).is_some_and(|c| c.is_whitespace()) {
            i += 1;
        }
        self.chars.get(i) == Some(&'=')
    }

    /// `key=value` pairs up to the end of input or, inside braces, the closing `}` (not consumed).
    fn key_values(&mut self, close: Option<char>) -> Result<Map<String, Value>, ShorthandError> {
        let mut object = Map::new();
        self.skip_whitespace();
        if close.is_some() && self.peek() == close {
            return Ok(object);
        }
        loop {
            self.skip_whitespace();
            let start = self.pos;
            while self.peek().is_some_and(is_key_char) {
                self.pos += 1;
            }
            if self.pos == start {
                return Err(match self.peek() {
                    None => self.error("expected a key, found the end of the value"),
                    Some(c) => self.error(format!("expected a key (letters, digits, `-_.#/:`), found {c:?}")),
                });
            }
            let key: String = self.chars[start..self.pos].iter().collect();
            self.skip_whitespace();
            if self.peek() != Some('=') {
                return Err(self.error(format!("expected `=` after the key `{key}`")));
            }
            self.pos += 1;
            let value = self.values(close)?;
            if object.insert(key.clone(), value).is_some() {
                return Err(self.error(format!("the key `{key}` is given twice")));
            }
            self.skip_whitespace();
            match self.peek() {
                Some(',') => self.pos += 1,
                None if close.is_none() => return Ok(object),
                Some(c) if Some(c) == close => return Ok(object),
                None => {
                    return Err(
                        self.error(format!("expected `,` or `{}`, found the end of the value", close.unwrap_or('}')))
                    )
                }
                Some(c) => return Err(self.error(format!("expected `,` between pairs, found {c:?}"))),
            }
        }
    }

    /// The value after `key=`: a nested structure, an explicit list, or one or more scalars.
    fn values(&mut self, close: Option<char>) -> Result<Value, ShorthandError> {
        self.skip_whitespace();
        match self.peek() {
            Some('{') => return self.hash(),
            Some('[') => return self.list(),
            _ => {}
        }
        let first = self.scalar(close)?;
        let mut items = vec![Value::String(first)];
        // `key=a,b` continues a list until the text after a comma looks like the next `key=`.
        while self.peek() == Some(',') {
            self.pos += 1;
            if self.at_key_value() {
                self.pos -= 1;
                break;
            }
            items.push(Value::String(self.scalar(close)?));
        }
        Ok(if items.len() == 1 { items.remove(0) } else { Value::Array(items) })
    }

    /// Enters a `{` or `[` at the cursor, refusing to go deeper than [`MAX_NESTING`].
    fn open(&mut self) -> Result<(), ShorthandError> {
        if self.depth >= MAX_NESTING {
            return Err(self.error(format!("values nest more than {MAX_NESTING} deep")));
        }
        self.depth += 1;
        self.pos += 1;
        Ok(())
    }

    fn hash(&mut self) -> Result<Value, ShorthandError> {
        self.open()?;
        let object = self.key_values(Some('}'))?;
        // key_values stops only at `}` when given a closing character.
        self.pos += 1;
        self.depth -= 1;
        Ok(Value::Object(object))
    }

    fn list(&mut self) -> Result<Value, ShorthandError> {
        self.open()?;
        let items = self.list_items()?;
        self.depth -= 1;
        Ok(items)
    }

    /// The items after `[`, and the closing `]`.
    fn list_items(&mut self) -> Result<Value, ShorthandError> {
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_whitespace();
            let item = match self.peek() {
                Some('{') => self.hash()?,
                Some('[') => self.list()?,
                _ => Value::String(self.scalar(Some(']'))?),
            };
            items.push(item);
            self.skip_whitespace();
            match self.peek() {
                Some(',') => self.pos += 1,
                Some(']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                None => return Err(self.error("expected `,` or `]`, found the end of the value")),
                Some(c) => return Err(self.error(format!("expected `,` or `]` in the list, found {c:?}"))),
            }
        }
    }

    /// One scalar: quoted, or unquoted up to `,`, `close` or the end.
    fn scalar(&mut self, close: Option<char>) -> Result<String, ShorthandError> {
        self.skip_whitespace();
        match self.peek() {
            Some(quote @ ('"' | '\'')) => {
                let opened_at = self.pos;
                self.pos += 1;
                let mut out = String::new();
                loop {
                    match self.peek() {
                        None => {
                            self.pos = opened_at;
                            return Err(self.error(format!("the quote {quote:?} opened here is never closed")));
                        }
                        Some('\\') if matches!(self.chars.get(self.pos + 1), Some(&c) if c == quote || c == '\\') => {
                            out.push(self.chars[self.pos + 1]);
                            self.pos += 2;
                        }
                        Some(c) if c == quote => {
                            self.pos += 1;
                            break;
                        }
                        Some(c) => {
                            out.push(c);
                            self.pos += 1;
                        }
                    }
                }
                self.skip_whitespace();
                Ok(out)
            }
            _ => {
                let mut out = String::new();
                // Trailing whitespace is dropped, but not whitespace that was escaped.
                let mut keep = 0;
                while let Some(c) = self.peek() {
                    if c == ',' || Some(c) == close {
                        break;
                    }
                    self.pos += 1;
                    if c == '\\' {
                        match self.peek() {
                            Some(next) => {
                                out.push(next);
                                self.pos += 1;
                                keep = out.len();
                            }
                            None => return Err(self.error("a backslash at the end of the value escapes nothing")),
                        }
                    } else {
                        out.push(c);
                        if !c.is_whitespace() {
                            keep = out.len();
                        }
                    }
                }
                out.truncate(keep);
                Ok(out)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pairs_become_an_object_of_strings() {
        let value = parse("type=JobFailed,message=oops,externalExecutionId=run-1").unwrap();
        assert_eq!(value, json!({"type": "JobFailed", "message": "oops", "externalExecutionId": "run-1"}));
        assert_eq!(parse(" a = 1 , b=  two words  ").unwrap(), json!({"a": "1", "b": "two words"}));
        assert_eq!(parse("a=").unwrap(), json!({"a": ""}));
    }

    #[test]
    fn quotes_and_escapes_keep_special_characters() {
        assert!(parse(r#"message="a, b",x='it''s'"#).is_err());
        assert_eq!(parse(r#"message="a, b",x='it\'s'"#).unwrap(), json!({"message": "a, b", "x": "it's"}));
        assert_eq!(parse(r"message=a\,b\ ").unwrap(), json!({"message": "a,b "}));
        assert_eq!(parse(r#"m="say \"hi\" \\ ok""#).unwrap(), json!({"m": r#"say "hi" \ ok"#}));
        assert_eq!(parse("m=x=y").unwrap(), json!({"m": "x=y"}));
    }

    #[test]
    fn lists_and_nested_structures() {
        assert_eq!(parse("tags=a,b,c,name=x").unwrap(), json!({"tags": ["a", "b", "c"], "name": "x"}));
        assert_eq!(parse("tags=[a, b],empty=[]").unwrap(), json!({"tags": ["a", "b"], "empty": []}));
        assert_eq!(
            parse("rev={revision=r1,created=1700000000},list=[{k=v},{k=w}]").unwrap(),
            json!({"rev": {"revision": "r1", "created": "1700000000"}, "list": [{"k": "v"}, {"k": "w"}]})
        );
        assert_eq!(parse("a={}").unwrap(), json!({"a": {}}));
    }

    #[test]
    fn errors_say_where_and_what() {
        let err = parse("type").unwrap_err();
        assert_eq!((err.position(), err.message()), (5, "expected `=` after the key `type`"));
        let err = parse("a={=2}").unwrap_err();
        assert_eq!(err.position(), 4);
        assert!(err.message().contains("expected a key"), "{err}");
        assert!(parse("a={b=1").unwrap_err().message().contains("end of the value"));
        assert!(parse("a=[1,2").unwrap_err().message().contains("`]`"));
        assert!(parse("a=1,a=2").unwrap_err().message().contains("twice"));
        let err = parse("a=\"secret-value").unwrap_err();
        assert_eq!(err.position(), 3);
        assert!(!err.to_string().contains("secret"), "{err}");
        assert!(parse("a={b=1}x").unwrap_err().message().contains("between pairs"));
        assert!(parse("").unwrap_err().message().contains("expected a key"));
    }

    #[test]
    fn nesting_is_limited_and_a_deep_value_is_an_error_not_a_stack_overflow() {
        let nested =
            |depth: usize, open: &str, close: &str| format!("a={}x{}", open.repeat(depth - 1), close.repeat(depth - 1));
        // The top-level pairs are the first level.
        assert!(parse(&nested(MAX_NESTING, "{k=", "}")).is_ok());
        assert!(parse(&nested(MAX_NESTING, "[", "]")).is_ok());
        for (open, close) in [("{k=", "}"), ("[", "]"), ("[{k=", "}]")] {
            let err = parse(&nested(100_000, open, close)).unwrap_err();
            assert!(err.message().contains(&format!("nest more than {MAX_NESTING} deep")), "{err}");
        }
        let err = parse(&nested(MAX_NESTING + 1, "{k=", "}")).unwrap_err();
        assert_eq!(err.position(), 2 + 3 * (MAX_NESTING - 1) + 1, "{err}");
    }
}
