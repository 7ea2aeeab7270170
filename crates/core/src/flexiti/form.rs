//! `application/x-www-form-urlencoded`, written by hand: the token call needs it in the body
//! and every GET needs it in the query string.
//!
//! Encoding follows the WHATWG URL standard's form serializer, which is what servers parse:
//! ASCII letters, digits and `*-._` stay as they are, a space becomes `+`, every other byte of
//! the UTF-8 text becomes `%XX` with upper-case hex. Path segments use
//! [`encode_component`] instead, where a space must be `%20` and `*` is escaped too.

use core::fmt;

const HEX: &[u8; 16] = b"0123456789ABCDEF";

fn push_escaped(out: &mut String, byte: u8) {
    out.push('%');
    out.push(char::from(HEX[usize::from(byte >> 4)]));
    out.push(char::from(HEX[usize::from(byte & 0x0F)]));
}

/// Encodes one name or value for a form body or query string.
pub fn encode_value(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for &byte in text.as_bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            _ => push_escaped(&mut out, byte),
        }
    }
    out
}

/// Encodes one URL path segment: only RFC 3986 unreserved characters stay unescaped.
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for &byte in text.as_bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(char::from(byte));
            }
            _ => push_escaped(&mut out, byte),
        }
    }
    out
}

/// Joins `name=value` pairs with `&`, each side encoded with [`encode_value`], in the order
/// given.
pub fn encode<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (index, (name, value)) in pairs.into_iter().enumerate() {
        if index > 0 {
            out.push('&');
        }
        out.push_str(&encode_value(name));
        out.push('=');
        out.push_str(&encode_value(value));
    }
    out
}

/// Why a form body could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormError {
    /// A `%` not followed by two hex digits, at this byte offset.
    BadEscape { at: usize },
    /// The decoded bytes of a name or value are not UTF-8; `pair` is its zero-based index.
    NotUtf8 { pair: usize },
}

impl FormError {
    pub const fn code(&self) -> &'static str {
        "invalid_format"
    }
}

impl fmt::Display for FormError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormError::BadEscape { at } => write!(
                f,
                "the form body has a \"%\" at byte {at} that is not followed by two hex digits; \
                 escape a literal percent sign as %25"
            ),
            FormError::NotUtf8 { pair } => write!(
                f,
                "pair {pair} of the form body decodes to bytes that are not UTF-8; percent-encode \
                 the UTF-8 bytes of the text"
            ),
        }
    }
}

impl std::error::Error for FormError {}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

fn decode_part(text: &str, offset: usize, pair: usize) -> Result<String, FormError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        match byte {
            b'+' => out.push(b' '),
            b'%' => {
                let high = bytes.get(index + 1).copied().and_then(hex_value);
                let low = bytes.get(index + 2).copied().and_then(hex_value);
                match (high, low) {
                    (Some(high), Some(low)) => {
                        out.push(high << 4 | low);
                        index += 2;
                    }
                    _ => return Err(FormError::BadEscape { at: offset + index }),
                }
            }
            _ => out.push(byte),
        }
        index += 1;
    }
    String::from_utf8(out).map_err(|_| FormError::NotUtf8 { pair })
}

/// Reads a form body or query string into its pairs, in order. Empty segments (`a=1&&b=2`)
/// are skipped and a segment without `=` is a name with an empty value, as browsers do.
/// Unlike browsers, a malformed `%` escape is an error: silently keeping it would let a
/// mangled secret through to the server.
pub fn decode(text: &str) -> Result<Vec<(String, String)>, FormError> {
    let mut pairs = Vec::new();
    let mut offset = 0;
    for segment in text.split('&') {
        if !segment.is_empty() {
            let pair = pairs.len();
            let (name, value, value_offset) = match segment.split_once('=') {
                Some((name, value)) => (name, value, offset + name.len() + 1),
                None => (segment, "", offset + segment.len()),
            };
            pairs.push((
                decode_part(name, offset, pair)?,
                decode_part(value, value_offset, pair)?,
            ));
        }
        offset += segment.len() + 1;
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn encodes_exactly_like_a_browser_form() {
        assert_eq!(
            encode([
                ("grant_type", "client_credentials"),
                ("client_id", "flexitidemo"),
                ("client_secret", "a b+c&d=e/f%g~h*i"),
            ]),
            "grant_type=client_credentials&client_id=flexitidemo&client_secret=a+b%2Bc%26d%3De%2Ff%25g%7Eh*i"
        );
        assert_eq!(encode_value("é€"), "%C3%A9%E2%82%AC");
        assert_eq!(encode_value(""), "");
        assert_eq!(encode_component("a b*~"), "a%20b%2A~");
    }

    #[test]
    fn decodes_and_reports_bad_escapes() {
        assert_eq!(
            decode("a=1&&b=x+y%2B&c").unwrap(),
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "x y+".into()),
                ("c".into(), String::new())
            ]
        );
        assert_eq!(decode("a=1&b=%4"), Err(FormError::BadEscape { at: 6 }));
        assert_eq!(decode("a=%zz"), Err(FormError::BadEscape { at: 2 }));
        assert_eq!(decode("a=%FF"), Err(FormError::NotUtf8 { pair: 0 }));
        assert!(FormError::BadEscape { at: 0 }.to_string().contains("%25"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn round_trips_any_text(name in ".*", value in ".*") {
            let body = encode([(name.as_str(), value.as_str())]);
            prop_assert!(body.bytes().all(|b| b.is_ascii_graphic()));
            let expected = if name.is_empty() && value.is_empty() { vec![] } else { vec![(name.clone(), value.clone())] };
            // "=" alone decodes to one pair with two empty parts.
            let decoded = decode(&body).unwrap();
            if name.is_empty() && value.is_empty() {
                prop_assert_eq!(decoded, vec![(String::new(), String::new())]);
            } else {
                prop_assert_eq!(decoded, expected);
            }
        }

        #[test]
        fn decode_never_panics(text in ".*") {
            let _ = decode(&text);
        }
    }
}
