//! Where in a JSON text a reader stopped, as a path (`settings.mode`, `items[2].amount`): for
//! messages that name the value at fault instead of a line and column. A plain scan of the
//! text up to the reader's position (strings skipped with their escapes, keys remembered), so
//! it needs no parse of its own and works on text the reader refused.

/// The byte offset of serde's `"L column C"` in `text` (1-based line and byte column).
pub fn offset_of(text: &str, position: &str) -> usize {
    let mut parts = position.split(" column ");
    let line = parts.next().and_then(|l| l.trim().parse().ok());
    let column = parts.next().and_then(|c| c.trim().parse().ok());
    offset_at(text, line.unwrap_or(1), column.unwrap_or(0))
}

/// The byte offset of 1-based `line` and byte `column` in `text`, as a reader reports them.
pub fn offset_at(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + column.saturating_sub(1)).min(text.len())
}

/// One level of the JSON value being read at some offset: an object and its current key, or
/// an array and its current index.
enum Level {
    Object(Option<String>),
    Array(usize),
}

/// The levels of a JSON text open at some offset, outermost first.
pub struct Levels(Vec<Level>);

impl Levels {
    /// The levels open at byte offset `end` of `text`.
    pub fn at(text: &str, end: usize) -> Levels {
        let bytes = text.as_bytes();
        let end = end.min(bytes.len());
        let mut levels = Vec::new();
        let mut expect_key = false;
        let mut i = 0;
        while i < end {
            match bytes[i] {
                b'{' => {
                    levels.push(Level::Object(None));
                    expect_key = true;
                }
                b'[' => levels.push(Level::Array(0)),
                b'}' | b']' => {
                    levels.pop();
                    expect_key = false;
                }
                b',' => match levels.last_mut() {
                    Some(Level::Object(key)) => {
                        *key = None;
                        expect_key = true;
                    }
                    Some(Level::Array(index)) => *index += 1,
                    None => {}
                },
                b':' => expect_key = false,
                b'"' => {
                    let mut j = i + 1;
                    while j < bytes.len() && bytes[j] != b'"' {
                        j += if bytes[j] == b'\\' { 2 } else { 1 };
                    }
                    let close = j.min(bytes.len());
                    if let (true, Some(Level::Object(key))) = (expect_key, levels.last_mut()) {
                        *key = Some(unescape(text.get(i + 1..close).unwrap_or_default()));
                    }
                    i = close;
                }
                _ => {}
            }
            i += 1;
        }
        Levels(levels)
    }

    /// `name` followed by the keys and indexes of the levels; the innermost level's own key or
    /// index only with `innermost` (the value read, rather than the object or array holding
    /// it). With an empty `name` the path starts at the first key (`settings.mode`).
    pub fn path(&self, name: &str, innermost: bool) -> String {
        let mut path = name.to_owned();
        let count = if innermost {
            self.0.len()
        } else {
            self.0.len().saturating_sub(1)
        };
        for level in self.0.iter().take(count) {
            match level {
                Level::Object(Some(key)) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                }
                Level::Object(None) => {}
                Level::Array(index) => path.push_str(&format!("[{index}]")),
            }
        }
        path
    }
}

/// A JSON string's text between its quotes with its escapes read (`\"`, `\n`, `\u00e9`, a
/// surrogate pair, a lone surrogate as U+FFFD); an escape that cannot be read is kept as
/// written. Written out rather than a `serde_json` string reader: the portal has no other use
/// for one (1.5 KB brotli).
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    // The UTF-16 units of `\u` escapes in a row, decoded together so a pair makes one char.
    let mut units: Vec<u16> = Vec::new();
    let flush = |units: &mut Vec<u16>, out: &mut String| {
        out.extend(char::decode_utf16(units.drain(..)).map(|c| c.unwrap_or('\u{FFFD}')));
    };
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        let rest = chars.as_str();
        if c == '\\' {
            let hex = rest.strip_prefix('u').and_then(|hex| hex.get(..4));
            if let Some(unit) = hex.and_then(|hex| u16::from_str_radix(hex, 16).ok()) {
                units.push(unit);
                chars = rest[5..].chars();
                continue;
            }
        }
        flush(&mut units, &mut out);
        if c != '\\' {
            out.push(c);
            continue;
        }
        let read = match rest.chars().next() {
            Some('n') => '\n',
            Some('t') => '\t',
            Some('r') => '\r',
            Some('b') => '\u{8}',
            Some('f') => '\u{c}',
            Some(e @ ('"' | '\\' | '/')) => e,
            // Not an escape JSON has (or a `\u` without four hex digits): kept as written.
            _ => {
                out.push('\\');
                continue;
            }
        };
        out.push(read);
        chars.next();
    }
    flush(&mut units, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_of_the_value_at_a_position() {
        let text = "{\"settings\": {\"mode\": \"Live\", \"runs\": [1, {\"a\\\"b\": x}]}}";
        let at = |needle: &str| Levels::at(text, text.find(needle).unwrap());
        assert_eq!(at("\"Live\"").path("", true), "settings.mode");
        assert_eq!(at("\"Live\"").path("doc", false), "doc.settings");
        // An escaped quote in a key is read as the key's text.
        assert_eq!(at("x}").path("", true), "settings.runs[1].a\"b");
        assert_eq!(at("x}").path("", false), "settings.runs[1]");
        // serde's position: line 2, column 3 is the third byte of the second line.
        assert_eq!(offset_of("ab\ncdef", "2 column 3"), 5);
        assert_eq!(offset_of("ab", "9 column 9"), 2);
        assert_eq!(offset_at("ab\ncdef", 2, 3), 5);
    }

    #[test]
    fn keys_are_read_with_their_escapes_as_serde_json_reads_them() {
        for raw in [
            "plain",
            "a\\\"b",
            "tab\\there\\nnew",
            "\\u00e9t\\u00E9",
            "\\ud83d\\ude00 smile",
            "\\ud83d alone",
            "slash\\/ and \\\\ back",
            "\\b\\f\\r",
        ] {
            let quoted = format!("\"{raw}\"");
            let expected: String = serde_json::from_str(&quoted).unwrap_or_else(|_| {
                // A lone surrogate: serde_json refuses it; it is read as U+FFFD.
                raw.replace("\\ud83d", "\u{FFFD}")
            });
            assert_eq!(unescape(raw), expected, "{raw}");
        }
    }
}
