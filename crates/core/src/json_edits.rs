//! Test support: every edit of a stored JSON document the snapshot readers' tests try on it —
//! each value replaced by values of other types, each key left out, renamed and given twice —
//! handed to the reader under test one by one. The FlexPay and Flexiti snapshot tests share it,
//! and the portal's saved-document tests use it through the `test-support` feature.

use serde_json::Value;

/// What the snapshot tests put after a whole document: nothing, white space, and text that
/// is not.
pub const SUFFIXES: &[&str] = &["", " ", "x", "{}", "\n\t"];

/// `schemaVersion` values a version probe must refuse or read as some version: absent,
/// other types, fractions and exponents, out of range, cut short, nested past the depth cap.
pub const VERSIONS: &[&str] = &[
    "null",
    "0",
    "-1",
    "1.0",
    "2e0",
    "\"4\"",
    "[4]",
    "{}",
    "5",
    "1e400",
    "-",
    "18446744073709551616",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
];

/// Hands `load` every edit of `text`: each value replaced by each of `others`, and each key
/// of an object left out, renamed (`{key}X`) and, the first of its object, given twice.
/// Answers how many edits it handed over.
pub fn each_edit(text: &str, others: &[Value], mut load: impl FnMut(&str)) -> usize {
    let value: Value = serde_json::from_str(text).unwrap();
    let mut paths = Vec::new();
    pointers(&value, String::new(), &mut paths);
    let mut count = 0;
    for path in &paths {
        for other in others {
            let mut edited = value.clone();
            *edited.pointer_mut(path).unwrap() = other.clone();
            load(&edited.to_string());
            count += 1;
        }
        let Some((parent, key)) = path.rsplit_once('/') else {
            continue;
        };
        if let Some(map) = value.pointer(parent).and_then(Value::as_object) {
            let mut removed = value.clone();
            let mut map_left = map.clone();
            let item = map_left.remove(key).unwrap();
            *removed.pointer_mut(parent).unwrap() = Value::Object(map_left.clone());
            load(&removed.to_string());
            map_left.insert(format!("{key}X"), item);
            *removed.pointer_mut(parent).unwrap() = Value::Object(map_left);
            load(&removed.to_string());
            if map.keys().next().map(String::as_str) == Some(key) {
                let mut twice = String::new();
                with_key_twice(&value, "", parent, &mut twice);
                load(&twice);
            }
            count += 3;
        }
    }
    count
}

/// Every path to a value in `value`, as JSON pointers.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                pointers(item, format!("{at}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                pointers(item, format!("{at}/{index}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

/// `value` as JSON text with the first key of the object at `twice` given twice.
fn with_key_twice(value: &Value, at: &str, twice: &str, out: &mut String) {
    match value {
        Value::Object(map) => {
            out.push('{');
            let mut first = true;
            for (key, item) in map {
                let mut write = |out: &mut String| {
                    if !first {
                        out.push(',');
                    }
                    first = false;
                    out.push_str(&serde_json::to_string(key).unwrap());
                    out.push(':');
                    with_key_twice(item, &format!("{at}/{key}"), twice, out);
                };
                write(out);
                if at == twice {
                    write(out);
                }
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                with_key_twice(item, &format!("{at}/{index}"), twice, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}
