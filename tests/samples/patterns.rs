//! The `patterns` fixture (`tests/models/patterns/patterns.json`) at the product surface: its
//! generated `validate()` accepts and rejects each value exactly as java.util.regex's `find()` does on
//! the member's pattern, since the services are Java. Every expectation below was written by hand and
//! then checked against JDK 17; the comment on each row says why Java decides that way.

mod common;

use patterns as sdk;

use sdk::types::CheckInput;
use sdk::Validate;

/// The input with only `member` (a wire name) set to `value`.
fn input_with(member: &str, value: &str) -> CheckInput {
    let builder = CheckInput::builder();
    let builder = match member {
        "tagKey" => builder.tag_key(value),
        "bucketName" => builder.bucket_name(value),
        "budgetName" => builder.budget_name(value),
        "hexCode" => builder.hex_code(value),
        "statement" => builder.statement(value),
        "twice" => builder.twice(value),
        "xmlText" => builder.xml_text(value),
        "ipv4" => builder.ipv4(value),
        "pathSegment" => builder.path_segment(value),
        "handle" => builder.handle(value),
        "oneLine" => builder.one_line(value),
        "tagKeys" => builder.tag_keys(vec![value.to_string()]),
        other => panic!("no member {other}"),
    };
    builder.build().expect("every member is optional")
}

/// (member, value, accepted by Java's `find()`).
const CASES: &[(&str, &str, bool)] = &[
    // tagKey `^(?!aws:)[a-zA-Z0-9+=._:/-]+$`: lookahead.
    ("tagKey", "team", true),           // no `aws:` prefix, allowed characters
    ("tagKey", "aws:team", false),      // the negative lookahead refuses the reserved prefix
    ("tagKey", "AWS:team", true),       // the lookahead is case-sensitive
    ("tagKey", "team:aws:x", true),     // the prefix is only refused at the start
    ("tagKey", "team\n", true),         // Java's `$` also matches before a final line terminator
    ("tagKey", "te am", false),         // space is not in the class
    ("tagKeys", "aws:x", false),        // the same check runs on every list element
    ("tagKeys", "x", true),             // ... and passes a good one
    // bucketName `^[0-9A-Za-z\.\-_]*(?<!\.)$`: lookbehind.
    ("bucketName", "my-bucket", true),  // does not end in `.`
    ("bucketName", "my.bucket.", false), // the lookbehind refuses a final `.`
    ("bucketName", "", true),           // empty: nothing before the end, so no `.` either
    ("bucketName", "bucket\n", true),   // `$` before the final newline; the char before is `t`
    ("bucketName", "bucket.\n", false), // before the newline stands a `.`
    // budgetName: `(?i)` inside a negative lookahead, ASCII-only.
    ("budgetName", "monthly", true),                       // neither alternative of the lookahead
    ("budgetName", "x/action/y", false),                   // first alternative: `/action/` before any `:`
    ("budgetName", "<SCRIPT>alert(1)</Script>", false),    // second alternative, any ASCII case
    ("budgetName", "<script>", true),                      // no closing tag, so the lookahead fails to match
    ("budgetName", "a:b", false),                          // `:` is outside the final class
    ("budgetName", "caf\u{E9}", true),                     // non-ASCII is fine in `[^:\\]`
    // hexCode `(?i)^[a-f0-9]{4}$`: inline flag for the whole pattern.
    ("hexCode", "BEEF", true),          // upper case matches under (?i)
    ("hexCode", "bEe1", true),          // mixed case
    ("hexCode", "beeg", false),         // g is not a hex digit in either case
    ("hexCode", "beef0", false),        // five characters
    // statement `(?s)^SELECT .+;$`: dot-all.
    ("statement", "SELECT *\nFROM t;", true), // (?s) lets `.` cross the newline
    ("statement", "select 1;", false),       // no (?i): the keyword is case-sensitive
    ("statement", "SELECT 1", false),        // no final `;`
    // twice `^(\w+)-\1$`: backreference.
    ("twice", "abc-abc", true),         // the second half repeats the first
    ("twice", "abc-abd", false),        // it does not
    ("twice", "ab-abab", false),        // `\w+` cannot make both halves equal
    // xmlText: the XML character ranges, with a surrogate-pair range for the astral planes.
    ("xmlText", "plain text\twith tab", true), // tab and printable characters
    ("xmlText", "\u{1F600} and \u{10FFFF}", true), // astral characters: one code point each
    ("xmlText", "bell\u{7}", false),            // U+0007 is below U+0020 and not a tab
    ("xmlText", "\u{FFFE}", false),             // U+FFFE is outside every range
    ("xmlText", "line\n", true),                // `\n` is not in the class, but `$` stands before it
    ("xmlText", "a\nb", false),                 // a newline in the middle is not allowed
    // ipv4 `^\A(...)(\.(...)){3}\z$`: `\A` and `\z` are input boundaries.
    ("ipv4", "9.16.83.207", true),      // four octets in range
    ("ipv4", "256.1.1.1", false),       // 256 is out of range
    ("ipv4", "1.1.1.1\n", false),       // `\z` is the very end: no final newline allowed
    ("ipv4", "1.1.1", false),           // three octets
    // pathSegment `^[\p{Print}&&[^|:/]]+$`: class intersection.
    ("pathSegment", "reports 2024", true), // printable ASCII without separators
    ("pathSegment", "a|b", false),          // `|` is taken out by the intersection
    ("pathSegment", "a/b", false),          // so is `/`
    ("pathSegment", "caf\u{E9}", false),    // \p{Print} is ASCII-only in Java
    // handle `^\p{LD}+$`: Java's letter-or-digit class.
    ("handle", "Zo\u{EB}42", true),         // letters (with a non-ASCII one) and digits
    ("handle", "\u{661}\u{662}", true),     // Arabic-Indic digits are decimal digits
    ("handle", "a_b", false),               // `_` is neither
    // oneLine `^.+$`: Java's `.` and line terminators.
    ("oneLine", "one line", true),            // nothing but ordinary characters
    ("oneLine", "two\nlines", false),         // `.` does not cross `\n`
    ("oneLine", "nel\u{85}here", false),      // nor U+0085, a line terminator in Java (not in ECMA)
    ("oneLine", "crlf\r\n", true),            // `$` stands before a final `\r\n`
    ("oneLine", "\u{1F600}", true),           // an astral character is one `.`
];

#[test]
fn validate_accepts_and_rejects_as_java_does() {
    let mut wrong = Vec::new();
    for &(member, value, accepted) in CASES {
        let outcome = input_with(member, value).validate();
        if outcome.is_ok() != accepted {
            wrong.push(format!("{member} = {value:?}: expected accepted={accepted}, got {outcome:?}"));
        }
        if let Err(error) = outcome {
            // The violation names the member and the pattern as the model wrote it, never the value.
            let text = error.to_string();
            assert!(text.contains(member), "{text}");
        }
    }
    assert!(wrong.is_empty(), "{} of {} cases disagree with Java:\n{}", wrong.len(), CASES.len(), wrong.join("\n"));
}
