//! A small JSON reader for the stored documents (the sandboxes' snapshots), in place of serde's
//! derived `Deserialize` on the reading path.
//!
//! A derived reader is one generic function per type with serde_json's parser inlined into
//! it, so every type carries its own copy of the parsing code. This reader is a position over
//! the text with non-generic methods (an object calls one `dyn` callback per key, an array one
//! per item), so each type costs only its own field list ([`read_json_struct!`]).
//!
//! It accepts and refuses exactly what `serde_json::from_str` (through
//! [`crate::json_objects`]) accepted and refused for the same types, at the same points of the
//! text, so a refusal falls in the same category: the text ending early is
//! [`ReadError::is_eof`] (serde_json's `Category::Eof`), anything else not. Messages are
//! serde_json's words at its line and column ("missing field `x` at line 1 column 20"), which
//! the npm entries and [`crate::json_objects::plain_words`] turn into the document's words.
//! Values it skips (unknown keys of a type that ignores them) are checked as serde_json checks
//! what it ignores: strings for escapes and control characters but not for lone surrogates,
//! numbers for their shape but not their range.

use core::fmt;

/// Why a document could not be read (boxed: a result stays two words).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadError(Box<Problem>);

#[derive(Clone, Debug, PartialEq, Eq)]
struct Problem {
    eof: bool,
    /// The text is JSON, of another shape than the type's (serde_json's `Category::Data`).
    data: bool,
    message: String,
    line: usize,
    column: usize,
}

impl ReadError {
    /// The text ends before the document does (serde_json's `Category::Eof`).
    pub fn is_eof(&self) -> bool {
        self.0.eof
    }

    /// The text is JSON but not of the shape read (serde_json's `Category::Data`: a wrong
    /// type or value, a key missing, unknown or given twice, a value refused after reading);
    /// neither this nor [`Self::is_eof`]: the text is not JSON (`Category::Syntax`).
    pub fn is_data(&self) -> bool {
        self.0.data
    }

    pub fn line(&self) -> usize {
        self.0.line
    }

    pub fn column(&self) -> usize {
        self.0.column
    }

    /// The message without its position.
    pub fn message(&self) -> &str {
        &self.0.message
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {} column {}",
            self.0.message, self.0.line, self.0.column
        )
    }
}

impl std::error::Error for ReadError {}

pub type Read<T> = Result<T, ReadError>;

/// A number as serde_json parses it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    Unsigned(u64),
    Negative(i64),
    Float(f64),
}

/// A float as serde_json names it in a refusal (`1.5`, `1000.0`).
fn shown(value: f64) -> String {
    serde_json::Number::from_f64(value).map_or_else(String::new, |n| n.to_string())
}

const EOF_VALUE: &str = "EOF while parsing a value";
const EOF_STRING: &str = "EOF while parsing a string";
const EOF_OBJECT: &str = "EOF while parsing an object";
const EOF_LIST: &str = "EOF while parsing a list";

/// A read position in a JSON text.
pub struct Reader<'a> {
    text: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(text: &'a str) -> Reader<'a> {
        Reader {
            text: text.as_bytes(),
            pos: 0,
        }
    }

    /// An error at byte `at` (serde_json's line, and column counted in bytes); `eof` or
    /// `data` its category, else syntax.
    fn error_at(&self, at: usize, eof: bool, message: String) -> ReadError {
        self.error_in(at, eof, false, message)
    }

    fn error_in(&self, at: usize, eof: bool, data: bool, message: String) -> ReadError {
        let at = at.min(self.text.len());
        let start = self.text[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        let line = 1 + self.text[..start].iter().filter(|&&b| b == b'\n').count();
        ReadError(Box::new(Problem {
            eof,
            data,
            message,
            line,
            column: at - start,
        }))
    }

    /// An error a value's reader raises after reading it (serde's `Error::custom` outside
    /// serde_json's visitors: a `String` read, then refused). serde_json places it where the
    /// enclosing object or array was left: [`Self::place`].
    pub fn custom(&self, message: String) -> ReadError {
        ReadError(Box::new(Problem {
            eof: false,
            data: true,
            message,
            line: 0,
            column: 0,
        }))
    }

    /// Places a [`Self::custom`] error as serde_json does when it leaves the object or array
    /// (`close`) the value was in: after the whitespace that follows, and after the closing
    /// bracket (or, in an array, a comma and its whitespace) when one is next.
    fn place(&mut self, error: ReadError, close: u8) -> ReadError {
        if error.0.line != 0 {
            return error;
        }
        match self.ws() {
            Some(b) if b == close => self.pos += 1,
            Some(b',') if close == b']' => {
                self.pos += 1;
                self.ws();
            }
            _ => {}
        }
        self.error_in(self.pos, false, true, error.0.message)
    }

    /// A refusal of the value read (a data error), placed after what was consumed
    /// (serde_json's `error`).
    pub fn fail(&self, message: String) -> ReadError {
        self.error_in(self.pos, false, true, message)
    }

    fn fail_str(&self, message: &str) -> ReadError {
        self.error_at(self.pos, false, message.into())
    }

    /// An error at the next byte (serde_json's `peek_error`).
    fn fail_peek(&self, message: &str) -> ReadError {
        self.error_at(self.pos + 1, false, message.into())
    }

    fn eof(&self, message: &str) -> ReadError {
        self.error_at(self.pos + 1, true, message.into())
    }

    fn eof_here(&self, message: &str) -> ReadError {
        self.error_at(self.pos, true, message.into())
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    /// Skips whitespace and peeks at the next byte.
    pub fn ws(&mut self) -> Option<u8> {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
            self.pos += 1;
        }
        self.peek()
    }

    /// The next byte of a value, or the end-of-input error.
    fn value_start(&mut self) -> Read<u8> {
        self.ws().ok_or_else(|| self.eof(EOF_VALUE))
    }

    /// Nothing but whitespace is left.
    pub fn end(&mut self) -> Read<()> {
        match self.ws() {
            None => Ok(()),
            Some(_) => Err(self.fail_peek("trailing characters")),
        }
    }

    /// The rest of `null`, `true` or `false`, whose first byte was consumed.
    fn ident(&mut self, rest: &[u8]) -> Read<()> {
        for &expected in rest {
            match self.peek() {
                None => return Err(self.eof_here(EOF_VALUE)),
                Some(b) => {
                    self.pos += 1;
                    if b != expected {
                        return Err(self.fail_str("expected ident"));
                    }
                }
            }
        }
        Ok(())
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    /// A number starting at the next byte (`-` or a digit). `typed`: read as a value (the text
    /// ending inside it is the end of input), else skipped (that is an invalid number, as
    /// serde_json's skipping says).
    fn number(&mut self, typed: bool) -> Read<Number> {
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        // The digits before any fraction or exponent; `None` beyond `u64` (a float to
        // serde_json).
        let mut significand = Some(0u64);
        let invalid = |r: &Self, peek: bool| {
            if peek {
                r.fail_peek("invalid number")
            } else {
                r.fail_str("invalid number")
            }
        };
        match self.peek() {
            None if typed => return Err(self.eof_here(EOF_VALUE)),
            Some(b'0') => {
                self.pos += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(invalid(self, true));
                }
            }
            Some(b'1'..=b'9') => {
                self.digits();
                significand =
                    core::str::from_utf8(&self.text[start + usize::from(negative)..self.pos])
                        .ok()
                        .and_then(|digits| digits.parse().ok());
            }
            _ => {
                self.pos = (self.pos + 1).min(self.text.len());
                return Err(invalid(self, false));
            }
        }
        let mut float = false;
        if self.peek() == Some(b'.') {
            float = true;
            self.pos += 1;
            if self.digits() == 0 {
                return Err(match self.peek() {
                    None if typed => self.eof(EOF_VALUE),
                    _ => invalid(self, true),
                });
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            float = true;
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            match self.peek() {
                Some(b'0'..=b'9') => {
                    self.digits();
                }
                None if typed => return Err(self.eof_here(EOF_VALUE)),
                _ => {
                    self.pos = (self.pos + 1).min(self.text.len());
                    return Err(invalid(self, false));
                }
            }
        }
        if !typed {
            return Ok(Number::Unsigned(0));
        }
        // The text is valid UTF-8 and the token ASCII.
        let token = core::str::from_utf8(&self.text[start..self.pos]).unwrap_or_default();
        match (float, significand, negative) {
            (false, Some(value), false) => return Ok(Number::Unsigned(value)),
            // `-0` is a float to serde_json.
            (false, Some(value @ 1..=0x8000_0000_0000_0000), true) => {
                return Ok(Number::Negative((value as i64).wrapping_neg()))
            }
            _ => {}
        }
        // serde_json's own float parsing (already in every binary that reads JSON).
        match serde_json::from_str::<f64>(token) {
            Ok(value) => Ok(Number::Float(value)),
            Err(_) => Err(self.fail_str("number out of range")),
        }
    }

    fn hex4(&mut self) -> Read<u16> {
        let Some(digits) = self.text.get(self.pos..self.pos + 4) else {
            self.pos = self.text.len();
            return Err(self.eof_here(EOF_STRING));
        };
        self.pos += 4;
        let mut value: u16 = 0;
        for &b in digits {
            let digit = match b {
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                _ => return Err(self.fail_str("invalid escape")),
            };
            value = value * 16 + u16::from(digit);
        }
        Ok(value)
    }

    fn next_or_eof(&mut self) -> Read<u8> {
        match self.peek() {
            Some(b) => {
                self.pos += 1;
                Ok(b)
            }
            None => Err(self.eof_here(EOF_STRING)),
        }
    }

    /// The rest of a string whose opening quote was consumed. `validate`: read as a value,
    /// so escaped surrogates must pair (else skipped, as serde_json skips: any escape).
    fn string_rest(&mut self, validate: bool) -> Read<String> {
        let mut out = String::new();
        loop {
            let start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            // Runs end at ASCII bytes, so they are whole characters.
            out.push_str(core::str::from_utf8(&self.text[start..self.pos]).unwrap_or_default());
            match self.peek() {
                None => return Err(self.eof_here(EOF_STRING)),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    self.escape(validate, &mut out)?;
                }
                Some(_) => {
                    // serde_json places it after the character when reading, at it when
                    // skipping.
                    self.pos += usize::from(validate);
                    return Err(self.fail_str(
                        "control character (\\u0000-\\u001F) found while parsing a string",
                    ));
                }
            }
        }
    }

    fn escape(&mut self, validate: bool, out: &mut String) -> Read<()> {
        let simple = match self.next_or_eof()? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.unicode_escape(validate, out),
            _ => return Err(self.fail_str("invalid escape")),
        };
        out.push(simple);
        Ok(())
    }

    fn unicode_escape(&mut self, validate: bool, out: &mut String) -> Read<()> {
        let first = self.hex4()?;
        if !validate {
            return Ok(());
        }
        let lone = |r: &Self| r.fail_str("lone leading surrogate in hex escape");
        if (0xDC00..=0xDFFF).contains(&first) {
            return Err(lone(self));
        }
        let code = if (0xD800..=0xDBFF).contains(&first) {
            for expected in [b'\\', b'u'] {
                let next = self.peek().ok_or_else(|| self.eof_here(EOF_STRING))?;
                self.pos += 1;
                if next != expected {
                    return Err(self.fail_str("unexpected end of hex escape"));
                }
            }
            let second = self.hex4()?;
            if !(0xDC00..=0xDFFF).contains(&second) {
                return Err(lone(self));
            }
            0x1_0000 + ((u32::from(first) - 0xD800) << 10) + (u32::from(second) - 0xDC00)
        } else {
            u32::from(first)
        };
        out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
        Ok(())
    }

    /// Skips one value as serde_json skips what it ignores (see the module documentation).
    pub fn skip(&mut self) -> Read<()> {
        self.skip_value(false, u32::MAX)
    }

    /// Skips one value, checking it as serde_json checks a value it reads into its value tree
    /// when `strict` (strings, numbers' range, at most `depth` levels of nesting).
    fn skip_value(&mut self, strict: bool, depth: u32) -> Read<()> {
        let mut frames: Vec<u8> = Vec::new();
        loop {
            let peek = self.value_start()?;
            let frame = match peek {
                b'n' | b't' | b'f' => {
                    self.pos += 1;
                    self.ident(match peek {
                        b'n' => b"ull",
                        b't' => b"rue",
                        _ => b"alse",
                    })?;
                    None
                }
                b'-' | b'0'..=b'9' => {
                    self.number(strict)?;
                    None
                }
                b'"' => {
                    self.pos += 1;
                    self.string_rest(strict)?;
                    None
                }
                b'[' | b'{' => {
                    self.pos += 1;
                    if frames.len() as u32 + 1 >= depth {
                        return Err(self.fail_str("recursion limit exceeded"));
                    }
                    Some(peek)
                }
                _ => return Err(self.fail_peek("expected value")),
            };
            let (mut accept_comma, mut frame) = match frame {
                Some(frame) => (false, frame),
                None => match frames.pop() {
                    Some(frame) => (true, frame),
                    None => return Ok(()),
                },
            };
            loop {
                match self.ws() {
                    Some(b',') if accept_comma => {
                        self.pos += 1;
                        break;
                    }
                    Some(b']') if frame == b'[' => {}
                    Some(b'}') if frame == b'{' => {}
                    Some(_) if accept_comma => {
                        return Err(self.fail_peek(if frame == b'[' {
                            "expected `,` or `]`"
                        } else {
                            "expected `,` or `}`"
                        }))
                    }
                    Some(_) => break,
                    None => {
                        return Err(self.eof(if frame == b'[' { EOF_LIST } else { EOF_OBJECT }))
                    }
                }
                self.pos += 1;
                frame = match frames.pop() {
                    Some(frame) => frame,
                    None => return Ok(()),
                };
                accept_comma = true;
            }
            if frame == b'{' {
                match self.ws() {
                    Some(b'"') => self.pos += 1,
                    Some(_) => return Err(self.fail_peek("key must be a string")),
                    None => return Err(self.eof(EOF_OBJECT)),
                }
                self.string_rest(strict)?;
                match self.ws() {
                    Some(b':') => self.pos += 1,
                    Some(_) => return Err(self.fail_peek("expected `:`")),
                    None => return Err(self.eof(EOF_OBJECT)),
                }
            }
            frames.push(frame);
        }
    }

    /// serde_json's refusal of a value of the wrong type: the value is read first (so a text
    /// that ends inside it is cut short), then named.
    pub fn invalid_type(&mut self, expected: &str) -> ReadError {
        let given = match self.ws() {
            None => return self.eof(EOF_VALUE),
            Some(b'n') => {
                self.pos += 1;
                self.ident(b"ull").map(|()| "null".to_owned())
            }
            Some(b't') => {
                self.pos += 1;
                self.ident(b"rue").map(|()| "boolean `true`".to_owned())
            }
            Some(b'f') => {
                self.pos += 1;
                self.ident(b"alse").map(|()| "boolean `false`".to_owned())
            }
            Some(b'-' | b'0'..=b'9') => self.number(true).map(|n| match n {
                Number::Unsigned(n) => format!("integer `{n}`"),
                Number::Negative(n) => format!("integer `{n}`"),
                Number::Float(n) => format!("floating point `{}`", shown(n)),
            }),
            Some(b'"') => {
                self.pos += 1;
                self.string_rest(true).map(|s| format!("string {s:?}"))
            }
            Some(b'[') => Ok("sequence".to_owned()),
            Some(b'{') => Ok("map".to_owned()),
            Some(_) => return self.fail_peek("expected value"),
        };
        match given {
            Ok(given) => self.fail(format!("invalid type: {given}, expected {expected}")),
            Err(e) => e,
        }
    }

    /// [`Self::invalid_type`] as serde_json's `deserialize_any` words it: after an array or
    /// object's opening bracket, its closing one when it is empty.
    pub fn invalid_type_any(&mut self, expected: &str) -> ReadError {
        let (given, close) = match self.ws() {
            Some(b'[') => ("sequence", b']'),
            Some(b'{') => ("map", b'}'),
            _ => return self.invalid_type(expected),
        };
        self.pos += 1;
        if self.ws() == Some(close) {
            self.pos += 1;
        }
        self.fail(format!("invalid type: {given}, expected {expected}"))
    }

    /// A string value.
    pub fn string(&mut self, expected: &str) -> Read<String> {
        match self.value_start()? {
            b'"' => {
                self.pos += 1;
                self.string_rest(true)
            }
            _ => Err(self.invalid_type(expected)),
        }
    }

    /// `null` (consumed: true) or the start of another value (nothing consumed), as serde_json
    /// reads an `Option`.
    pub fn null(&mut self) -> Read<bool> {
        if self.ws() == Some(b'n') {
            self.pos += 1;
            self.ident(b"ull")?;
            return Ok(true);
        }
        Ok(false)
    }

    pub fn bool(&mut self) -> Read<bool> {
        let (value, rest): (bool, &[u8]) = match self.value_start()? {
            b't' => (true, b"rue"),
            b'f' => (false, b"alse"),
            _ => return Err(self.invalid_type("a boolean")),
        };
        self.pos += 1;
        self.ident(rest)?;
        Ok(value)
    }

    /// A number value (an integer or a float), as serde_json's `deserialize_any` reads one.
    pub fn number_value(&mut self, expected: &str) -> Read<Number> {
        match self.value_start()? {
            b'-' | b'0'..=b'9' => self.number(true),
            _ => Err(self.invalid_type(expected)),
        }
    }

    /// A whole number from `min` to `max`; `expected` names the type (`u32`, `i64`).
    pub fn integer(&mut self, min: i64, max: u64, expected: &str) -> Read<i128> {
        let number = self.number_value(expected)?;
        let (value, shown) = match number {
            Number::Unsigned(n) => (i128::from(n), n.to_string()),
            Number::Negative(n) => (i128::from(n), n.to_string()),
            Number::Float(n) => return Err(self.float_refused(n, expected)),
        };
        if value < i128::from(min) || value > i128::from(max) {
            return Err(self.fail(format!(
                "invalid value: integer `{shown}`, expected {expected}"
            )));
        }
        Ok(value)
    }

    /// serde's refusal of a float where a whole number is wanted.
    pub fn float_refused(&self, value: f64, expected: &str) -> ReadError {
        self.fail(format!(
            "invalid type: floating point `{}`, expected {expected}",
            shown(value)
        ))
    }

    pub fn u64(&mut self) -> Read<u64> {
        self.integer(0, u64::MAX, "u64").map(|v| v as u64)
    }

    pub fn i64(&mut self) -> Read<i64> {
        self.integer(i64::MIN, i64::MAX as u64, "i64")
            .map(|v| v as i64)
    }

    pub fn u32(&mut self) -> Read<u32> {
        self.integer(0, u64::from(u32::MAX), "u32")
            .map(|v| v as u32)
    }

    pub fn u8(&mut self) -> Read<u8> {
        self.integer(0, u64::from(u8::MAX), "u8").map(|v| v as u8)
    }

    pub fn u16(&mut self) -> Read<u16> {
        self.integer(0, u64::from(u16::MAX), "u16")
            .map(|v| v as u16)
    }

    /// An array, calling `item` for each item.
    pub fn array(
        &mut self,
        expected: &str,
        item: &mut dyn FnMut(&mut Reader<'a>) -> Read<()>,
    ) -> Read<()> {
        if self.value_start()? != b'[' {
            return Err(self.invalid_type(expected));
        }
        self.pos += 1;
        let mut first = true;
        loop {
            match self.ws() {
                Some(b']') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b',') if !first => {
                    self.pos += 1;
                    match self.ws() {
                        Some(b']') => return Err(self.fail_peek("trailing comma")),
                        None => return Err(self.eof(EOF_VALUE)),
                        Some(_) => {}
                    }
                }
                Some(_) if first => first = false,
                Some(_) => return Err(self.fail_peek("expected `,` or `]`")),
                None => return Err(self.eof(EOF_LIST)),
            }
            if let Err(error) = item(self) {
                return Err(self.place(error, b']'));
            }
        }
    }

    /// An object read into a type with the given fields (JSON keys): `field` is called with
    /// the index of each key in `fields`, once each (a key given twice is refused, as
    /// serde's derived readers refuse it). Other keys are refused when `deny_unknown`, else
    /// skipped. `expected` names the type in a wrong-type refusal.
    pub fn object(
        &mut self,
        expected: &str,
        fields: &[&str],
        required: u64,
        deny_unknown: bool,
        field: &mut dyn FnMut(&mut Reader<'a>, usize) -> Read<()>,
    ) -> Read<()> {
        if self.value_start()? != b'{' {
            return Err(self.invalid_type(expected));
        }
        self.pos += 1;
        let mut seen: u64 = 0;
        let mut first = true;
        loop {
            let Some(key) = self.next_key(&mut first)? else {
                // serde's derived readers name the first field missing.
                let missing = required & !seen;
                return match fields.get(missing.trailing_zeros() as usize) {
                    Some(key) if missing != 0 => Err(self.missing(key)),
                    _ => Ok(()),
                };
            };
            let index = fields.iter().position(|name| *name == key);
            match index {
                Some(index) if seen & (1 << index) != 0 => {
                    return Err(self.fail(format!("duplicate field `{key}`")))
                }
                Some(index) => seen |= 1 << index,
                None if deny_unknown => return Err(self.unknown_field(&key, fields)),
                None => {}
            }
            match self.ws() {
                Some(b':') => self.pos += 1,
                Some(_) => return Err(self.fail_peek("expected `:`")),
                None => return Err(self.eof(EOF_OBJECT)),
            }
            match index {
                Some(index) => {
                    if let Err(error) = field(self, index) {
                        return Err(self.place(error, b'}'));
                    }
                }
                None => self.skip()?,
            }
        }
    }

    fn unknown_field(&mut self, key: &str, fields: &[&str]) -> ReadError {
        let listed = |names: &[&str]| {
            names
                .iter()
                .map(|name| format!("`{name}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let expected = match fields {
            [] => "there are no fields".to_owned(),
            [one] => format!("expected `{one}`"),
            [a, b] => format!("expected `{a}` or `{b}`"),
            all => format!("expected one of {}", listed(all)),
        };
        // serde_json places it after the whitespace that follows the key.
        self.ws();
        self.fail(format!("unknown field `{key}`, {expected}"))
    }

    /// An object with any keys, as serde reads a map: `entry` is called with each key, the
    /// reader at its value (a key given twice is read twice). `expected` names the map in a
    /// wrong-type refusal.
    pub fn map(
        &mut self,
        expected: &str,
        entry: &mut dyn FnMut(&mut Reader<'a>, String) -> Read<()>,
    ) -> Read<()> {
        if self.value_start()? != b'{' {
            return Err(self.invalid_type(expected));
        }
        self.pos += 1;
        let mut first = true;
        while let Some(key) = self.next_key(&mut first)? {
            if let Err(error) = entry(self, key) {
                return Err(self.place(error, b'}'));
            }
        }
        Ok(())
    }

    /// The next key of an object whose `{` was read (`first`: none read yet), or `None` at
    /// its closing `}`, which is consumed.
    fn next_key(&mut self, first: &mut bool) -> Read<Option<String>> {
        match self.ws() {
            Some(b'}') => {
                self.pos += 1;
                return Ok(None);
            }
            Some(b',') if !*first => {
                self.pos += 1;
                self.ws();
            }
            Some(_) if *first => *first = false,
            Some(_) => return Err(self.fail_peek("expected `,` or `}`")),
            None => return Err(self.eof(EOF_OBJECT)),
        }
        match self.peek() {
            Some(b'"') => self.pos += 1,
            Some(b'}') => return Err(self.fail_peek("trailing comma")),
            Some(_) => return Err(self.fail_peek("key must be a string")),
            None => return Err(self.eof(EOF_VALUE)),
        }
        self.string_rest(true).map(Some)
    }

    /// The `:` after a key [`Self::map`] handed over.
    pub fn colon(&mut self) -> Read<()> {
        match self.ws() {
            Some(b':') => {
                self.pos += 1;
                Ok(())
            }
            Some(_) => Err(self.fail_peek("expected `:`")),
            None => Err(self.eof(EOF_OBJECT)),
        }
    }

    /// The text of one value, checked as serde_json checks a value it skips (its
    /// `RawValue`'s reading).
    pub fn raw(&mut self) -> Read<&'a str> {
        self.value_start()?;
        let start = self.pos;
        self.skip()?;
        let text: &'a [u8] = self.text;
        Ok(core::str::from_utf8(&text[start..self.pos]).unwrap_or_default())
    }

    /// The text of one value, checked as serde_json checks a value it reads into its value
    /// tree with `depth` levels of its 128 left.
    pub fn raw_value(&mut self, depth: u32) -> Read<&'a str> {
        self.value_start()?;
        let start = self.pos;
        self.skip_value(true, depth)?;
        let text: &'a [u8] = self.text;
        Ok(core::str::from_utf8(&text[start..self.pos]).unwrap_or_default())
    }

    /// serde's refusal of an object without a required key, after the object.
    pub fn missing(&self, key: &str) -> ReadError {
        self.fail(format!("missing field `{key}`"))
    }

    /// The index of one of `variants`, written as its name (`"N"`) or as serde_json also
    /// reads a unit variant (`{"N": null}`).
    pub fn variant(&mut self, variants: &[&str]) -> Read<usize> {
        self.tagged(variants, &|_| true, &mut |r, _| {
            if !r.null()? {
                return Err(r.invalid_type("unit"));
            }
            Ok(())
        })
    }

    /// An externally tagged enum as serde_json reads one: `"N"` (a unit variant, those for
    /// which `unit` holds) or `{"N": value}`, the value read by `content` with the variant's
    /// index. Returns the index.
    pub fn tagged(
        &mut self,
        variants: &[&str],
        unit: &dyn Fn(usize) -> bool,
        content: &mut dyn FnMut(&mut Reader<'a>, usize) -> Read<()>,
    ) -> Read<usize> {
        match self.value_start()? {
            b'"' => {
                self.pos += 1;
                let name = self.string_rest(true)?;
                let index = self.variant_named(&name, variants)?;
                if !unit(index) {
                    return Err(
                        self.fail("invalid type: unit variant, expected newtype variant".into())
                    );
                }
                Ok(index)
            }
            b'{' => {
                self.pos += 1;
                let name = self.string("variant identifier")?;
                let index = self.variant_named(&name, variants)?;
                match self.ws() {
                    Some(b':') => self.pos += 1,
                    Some(_) => return Err(self.fail_peek("expected `:`")),
                    None => return Err(self.eof(EOF_OBJECT)),
                }
                content(self, index)?;
                match self.ws() {
                    Some(b'}') => {
                        self.pos += 1;
                        Ok(index)
                    }
                    Some(_) => Err(self.fail_str("expected value")),
                    None => Err(self.eof_here(EOF_OBJECT)),
                }
            }
            _ => Err(self.fail_peek("expected value")),
        }
    }

    /// The index of `name` among `variants`, or serde's refusal of an unknown variant.
    pub fn variant_named(&self, name: &str, variants: &[&str]) -> Read<usize> {
        variants
            .iter()
            .position(|v| *v == name)
            .ok_or_else(|| self.unknown_variant(name, variants))
    }

    fn unknown_variant(&self, given: &str, variants: &[&str]) -> ReadError {
        let expected = match variants {
            [one] => format!("expected `{one}`"),
            [a, b] => format!("expected `{a}` or `{b}`"),
            all => format!(
                "expected one of {}",
                all.iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        self.fail(format!("unknown variant `{given}`, {expected}"))
    }

    /// The number at `schemaVersion` as a version probe reads it (serde_json's value tree
    /// under an `Option`): `None` for `null` or any value that is not a whole number from 0,
    /// the value checked as serde_json checks a value tree.
    pub fn version(&mut self) -> Read<Option<u64>> {
        if self.null()? {
            return Ok(None);
        }
        if let Some(b'-' | b'0'..=b'9') = self.ws() {
            return Ok(match self.number(true)? {
                Number::Unsigned(n) => Some(n),
                _ => None,
            });
        }
        // A probe's object is one level of serde_json's 128.
        self.skip_value(true, 127).map(|()| None)
    }
}

/// A value read from JSON text by [`Reader`].
pub trait ReadJson: Sized {
    fn read_json(r: &mut Reader<'_>) -> Read<Self>;

    /// A value a struct's field holds until its key is read (never returned: a key left
    /// out is refused or given its default).
    fn placeholder() -> Self;
}

macro_rules! read_json_default {
    ($($ty:ty => $method:ident),*) => {$(
        impl ReadJson for $ty {
            fn read_json(r: &mut Reader<'_>) -> Read<$ty> {
                r.$method()
            }

            fn placeholder() -> $ty {
                <$ty>::default()
            }
        }
    )*};
}

read_json_default!(bool => bool, u64 => u64, i64 => i64, u32 => u32, u16 => u16, u8 => u8);

impl ReadJson for String {
    fn read_json(r: &mut Reader<'_>) -> Read<String> {
        r.string("a string")
    }

    fn placeholder() -> String {
        String::new()
    }
}

impl<T: ReadJson> ReadJson for Option<T> {
    fn read_json(r: &mut Reader<'_>) -> Read<Option<T>> {
        if r.null()? {
            return Ok(None);
        }
        T::read_json(r).map(Some)
    }

    fn placeholder() -> Option<T> {
        None
    }
}

impl<T: ReadJson> ReadJson for Vec<T> {
    fn read_json(r: &mut Reader<'_>) -> Read<Vec<T>> {
        let mut items = Vec::new();
        r.array("a sequence", &mut |r| {
            items.push(T::read_json(r)?);
            Ok(())
        })?;
        Ok(items)
    }

    fn placeholder() -> Vec<T> {
        Vec::new()
    }
}

impl ReadJson for crate::UtcTimestamp {
    fn read_json(r: &mut Reader<'_>) -> Read<crate::UtcTimestamp> {
        let text = r.string("an ISO 8601 timestamp such as \"2024-07-01T00:00:00Z\"")?;
        crate::UtcTimestamp::parse_iso8601(&text).map_err(|e| r.fail(e.to_string()))
    }

    fn placeholder() -> crate::UtcTimestamp {
        crate::UtcTimestamp::UNIX_EPOCH
    }
}

/// Reads a whole text into `T`: one value, then only whitespace.
pub fn from_str<T: ReadJson>(text: &str) -> Read<T> {
    let mut reader = Reader::new(text);
    let value = T::read_json(&mut reader)?;
    reader.end()?;
    Ok(value)
}

/// `ReadJson` for a struct read from a JSON object, field by field:
/// `name: "jsonKey"`, then optionally `with(path)` (a reader function other than the field
/// type's `ReadJson`) and `or expr` (the value when the key is absent; without it the key is
/// required). `deny_unknown` refuses other keys, as `#[serde(deny_unknown_fields)]` does.
#[macro_export]
macro_rules! read_json_struct {
    ($ty:ident, deny_unknown = $deny:expr, {
        $($field:ident : $key:literal $(with($read:path))? $(or $default:expr)?),* $(,)?
    }) => {
        impl $crate::json_reader::ReadJson for $ty {
            fn read_json(
                r: &mut $crate::json_reader::Reader<'_>,
            ) -> $crate::json_reader::Read<Self> {
                let mut value = <$ty as $crate::json_reader::ReadJson>::placeholder();
                #[allow(unused_mut)]
                let mut required = 0u64;
                let mut bit = 1u64;
                $(
                    $crate::read_json_struct!(@required required bit $($default)?);
                    bit <<= 1;
                )*
                let _ = bit;
                r.object(
                    concat!("struct ", stringify!($ty)),
                    &[$($key),*],
                    required,
                    $deny,
                    &mut |r, index| {
                        let mut at = 0usize;
                        $(
                            if index == at {
                                value.$field = $crate::read_json_struct!(@read r $($read)?);
                                return Ok(());
                            }
                            at += 1;
                        )*
                        let _ = at;
                        Ok(())
                    },
                )?;
                Ok(value)
            }

            fn placeholder() -> Self {
                $ty {
                    $($field: $crate::read_json_struct!(@initial $($default)?),)*
                }
            }
        }
    };
    (@read $r:ident) => { $crate::json_reader::ReadJson::read_json($r)? };
    (@read $r:ident $read:path) => { $read($r)? };
    (@required $required:ident $bit:ident) => { $required |= $bit };
    (@required $required:ident $bit:ident $default:expr) => {};
    (@initial) => { $crate::json_reader::ReadJson::placeholder() };
    (@initial $default:expr) => { $default };
}

/// `ReadJson` for an enum written as the name of its variant.
#[macro_export]
macro_rules! read_json_enum {
    ($ty:ident { $first:ident = $first_name:literal $(, $variant:ident = $name:literal)* $(,)? }) => {
        impl $crate::json_reader::ReadJson for $ty {
            fn read_json(
                r: &mut $crate::json_reader::Reader<'_>,
            ) -> $crate::json_reader::Read<Self> {
                const ALL: &[$ty] = &[$ty::$first $(, $ty::$variant)*];
                let index = r.variant(&[$first_name $(, $name)*])?;
                Ok(ALL[index])
            }

            fn placeholder() -> Self {
                $ty::$first
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use core::fmt::Debug;

    use serde::de::DeserializeOwned;

    use super::{from_str, ReadJson};

    /// The reader and serde_json accept the same texts as the same values, and refuse the
    /// same texts in the same category and words.
    fn agree<T: ReadJson + DeserializeOwned + PartialEq + Debug>(text: &str) {
        let ours = from_str::<T>(text);
        let theirs = crate::json_objects::from_str::<T>(text);
        match (&ours, &theirs) {
            (Ok(ours), Ok(theirs)) => assert_eq!(ours, theirs, "{text:?}"),
            (Err(ours), Err(theirs)) => {
                assert_eq!(
                    ours.is_eof(),
                    theirs.classify() == serde_json::error::Category::Eof,
                    "{text:?}: {ours} / {theirs}"
                );
                assert_eq!(
                    ours.is_data(),
                    theirs.classify() == serde_json::error::Category::Data,
                    "{text:?}: {ours} / {theirs}"
                );
                let words = theirs.to_string();
                let words = words.rsplit_once(" at line ").map_or(&*words, |(w, _)| w);
                assert_eq!(ours.message(), words, "{text:?}");
                assert_eq!(
                    (ours.line(), ours.column()),
                    (theirs.line(), theirs.column()),
                    "{text:?}: {ours} / {theirs}"
                );
            }
            _ => panic!("{text:?}: json_reader {ours:?}, serde_json {theirs:?}"),
        }
    }

    const VALUES: &[&str] = &[
        "",
        " ",
        "0",
        "-0",
        "7",
        " 7 ",
        "-7",
        "07",
        "-",
        "1.",
        "1.5",
        "1e3",
        "1E+3",
        "1e",
        "1e-",
        "1.5e400",
        "1e400",
        "-1e400",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "4294967295",
        "4294967296",
        "65536",
        "99999999999999999999999.5",
        "null",
        "nul",
        "nulx",
        "true",
        "tru",
        "false",
        "fals",
        "\"\"",
        "\"a\"",
        "\"a",
        "\"\\",
        "\"\\u12",
        "\"\\u12345\"",
        "\"\\uD83D\\uDE00\"",
        "\"\\uD83D\"",
        "\"\\uD83Dx\"",
        "\"\\uD83D\\n\"",
        "\"\\uD83D\\u0041\"",
        "\"\\uDE00\"",
        "\"\\uZZZZ\"",
        "\"\\q\"",
        "\"\t\"",
        "\"é\\u00e9\\/\\b\\f\\n\\r\\t\\\"\\\\\"",
        "[",
        "[]",
        "[1",
        "[1,",
        "[1,]",
        "[1 2]",
        "[,1]",
        "[1,2]",
        "[[1]]",
        "[\"1\"]",
        "{",
        "{}",
        "x",
        "1 x",
        "[] []",
        "[1]\n",
        "[null]",
        "[1.0]",
    ];

    #[test]
    fn reads_values_as_serde_json_does() {
        for text in VALUES {
            agree::<u64>(text);
            agree::<i64>(text);
            agree::<u32>(text);
            agree::<u16>(text);
            agree::<u8>(text);
            agree::<bool>(text);
            agree::<String>(text);
            agree::<Option<u32>>(text);
            agree::<Vec<u32>>(text);
            agree::<Vec<String>>(text);
            agree::<Option<Vec<i64>>>(text);
        }
    }
}
