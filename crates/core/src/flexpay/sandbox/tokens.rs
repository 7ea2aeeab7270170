//! The sandbox's only source of randomness and the opaque strings it hands out.
//!
//! Everything random — transaction ids, gateway tokens, API keys, `referenceData` — comes from
//! one SplitMix64 stream seeded by the caller, so the same seed and the same calls always give
//! the same sandbox. Ids are kept as integers and only spelled out when a response is built:
//! the engine compares and hashes numbers, not strings.

use core::fmt;
use core::hash::{BuildHasherDefault, Hasher};
use std::collections::HashMap;

#[cfg(test)]
use serde::{Deserialize, Deserializer};
use serde::{Serialize, Serializer};

/// SplitMix64: tiny, fast, and its whole state is one `u64`, which the snapshot stores as a
/// decimal string (see [`crate::u64_text`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
#[serde(transparent)]
pub(crate) struct SplitMix64 {
    #[serde(with = "crate::u64_text")]
    state: u64,
}

impl SplitMix64 {
    pub(crate) const fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A transaction id: 96 random bits and the transaction's position, scrambled together
    /// so that the id looks random yet gives its position back ([`Token::position`]) without
    /// a lookup table.
    pub(crate) fn next_positioned_token(&mut self, position: u32) -> Token {
        let random = (u128::from(self.next_u64()) << 64 | u128::from(self.next_u64())) << 32;
        Token(scramble(random | u128::from(position)))
    }

    pub(crate) fn next_token(&mut self) -> Token {
        let high = u128::from(self.next_u64());
        let low = u128::from(self.next_u64());
        Token((high << 64) | low)
    }
}

/// What masks the secrets the sandbox hands out — API keys, suggested temporary passwords —
/// so that no snapshot gives them back: the main stream's state is stored (a snapshot must
/// go on with the same ids), and SplitMix64's draws can be replayed from it. A secret is the
/// main stream's draws (which it still takes, so every other id stays what it was) masked by
/// this stream's: SHA-256 of a 32-byte seed and a counter. Its seed is never stored. The
/// portal and the npm package give it 32 bytes of the platform's cryptographic randomness
/// ([`super::Sandbox::use_entropy`]) whenever they make or load a sandbox; until then it
/// masks nothing, so native tests stay deterministic.
#[derive(Clone)]
pub(crate) struct SecretStream {
    seed: Option<[u8; 32]>,
    counter: u64,
    block: [u8; 32],
    used: usize,
}

impl SecretStream {
    /// A stream that masks nothing: a sandbox given no entropy.
    pub(crate) const NONE: SecretStream = SecretStream {
        seed: None,
        counter: 0,
        block: [0; 32],
        used: 32,
    };

    pub(crate) fn new(seed: [u8; 32]) -> SecretStream {
        SecretStream {
            seed: Some(seed),
            ..SecretStream::NONE
        }
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        let Some(seed) = self.seed else {
            return 0;
        };
        if self.used == 32 {
            let mut input = [0u8; 40];
            input[..32].copy_from_slice(&seed);
            input[32..].copy_from_slice(&self.counter.to_le_bytes());
            self.block = super::api_keys::sha256(&input);
            self.counter = self.counter.wrapping_add(1);
            self.used = 0;
        }
        let mut word = [0u8; 8];
        word.copy_from_slice(&self.block[self.used..self.used + 8]);
        self.used += 8;
        u64::from_le_bytes(word)
    }
}

/// Never prints its seed.
impl fmt::Debug for SecretStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretStream(..)")
    }
}

const SCRAMBLE_A: u128 = 0x2545_F491_4F6C_DD1D_9E37_79B9_7F4A_7C15;
const SCRAMBLE_B: u128 = 0xD6E8_FEB8_6659_FD93_BF58_476D_1CE4_E5B9;

/// The inverse of an odd number modulo 2^128 (Newton's iteration doubles the correct bits).
const fn inverse(odd: u128) -> u128 {
    let mut x = odd;
    let mut i = 0;
    while i < 7 {
        x = x.wrapping_mul(2u128.wrapping_sub(odd.wrapping_mul(x)));
        i += 1;
    }
    x
}

const SCRAMBLE_A_INVERSE: u128 = inverse(SCRAMBLE_A);
const SCRAMBLE_B_INVERSE: u128 = inverse(SCRAMBLE_B);

/// A bijection on u128 that spreads every input bit over the whole output: multiplications
/// carry low bits upwards, the shifts bring high bits down.
fn scramble(value: u128) -> u128 {
    let mut x = value.wrapping_mul(SCRAMBLE_A);
    x ^= x >> 64;
    x = x.wrapping_mul(SCRAMBLE_B);
    x ^ (x >> 64)
}

fn unscramble(value: u128) -> u128 {
    let mut x = value ^ (value >> 64);
    x = x.wrapping_mul(SCRAMBLE_B_INVERSE);
    x ^= x >> 64;
    x.wrapping_mul(SCRAMBLE_A_INVERSE)
}

/// Crockford's base32 digits: upper case, no I, L, O or U, so a token read aloud or retyped
/// is unambiguous.
const BASE32: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Length of a transaction id or gateway token, as FlexPay's 26-character tokens.
pub const TOKEN_LENGTH: usize = 26;

/// A 128-bit random identifier, written as 26 upper-case base32 characters (the top two bits
/// of the 130 the characters could hold are always zero, so the first character is 0–7).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Token(pub(crate) u128);

impl Token {
    pub(crate) fn to_chars(self) -> [u8; TOKEN_LENGTH] {
        let mut out = [b'0'; TOKEN_LENGTH];
        let mut value = self.0;
        for slot in out.iter_mut().rev() {
            *slot = BASE32[(value & 31) as usize];
            value >>= 5;
        }
        out
    }

    /// Reads exactly what [`Token::to_chars`] writes; anything else is `None`.
    pub(crate) fn parse(text: &str) -> Option<Token> {
        let bytes = text.as_bytes();
        if bytes.len() != TOKEN_LENGTH {
            return None;
        }
        let mut value: u128 = 0;
        for &byte in bytes {
            let digit = BASE32_VALUES[usize::from(byte)];
            if digit == 0xFF || value >> 123 != 0 {
                return None;
            }
            value = (value << 5) | u128::from(digit);
        }
        Some(Token(value))
    }

    /// The position a [`SplitMix64::next_positioned_token`] token was made for. Meaningless
    /// for other tokens: callers check that the record there really has this id.
    pub(crate) fn position(self) -> u32 {
        unscramble(self.0) as u32
    }

    /// A second, unrelated-looking token derived from this one (the payment method id of a
    /// transaction), so it costs no draw from the random stream.
    pub(crate) fn derived(self, salt: u128) -> Token {
        // An odd multiplier is a bijection on u128, so distinct ids give distinct tokens.
        Token((self.0 ^ salt).wrapping_mul(DERIVE_MULTIPLIER))
    }

    /// The token [`Token::derived`] was made from with this salt: a payment method id back
    /// to the transaction whose card it is.
    pub(crate) fn underived(self, salt: u128) -> Token {
        Token(self.0.wrapping_mul(DERIVE_INVERSE) ^ salt)
    }
}

const DERIVE_MULTIPLIER: u128 = 0x2545_F491_4F6C_DD1D_9E37_79B9_7F4A_7C15;

/// `DERIVE_MULTIPLIER`'s inverse modulo 2^128 (Newton's iteration: each step doubles the
/// correct low bits, starting from 3 since an odd m has m·m ≡ 1 mod 8).
const DERIVE_INVERSE: u128 = {
    let mut inverse = DERIVE_MULTIPLIER;
    let mut step = 0;
    while step < 6 {
        inverse = inverse.wrapping_mul(2u128.wrapping_sub(DERIVE_MULTIPLIER.wrapping_mul(inverse)));
        step += 1;
    }
    inverse
};

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let chars = self.to_chars();
        // Every byte comes from BASE32, which is ASCII.
        f.write_str(core::str::from_utf8(&chars).unwrap_or_default())
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Token({self})")
    }
}

impl Serialize for Token {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// serde's reader, for the tests' comparison with the snapshot's reader.
#[cfg(test)]
impl<'de> Deserialize<'de> for Token {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Token::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "{text:?} is not a 26-character upper-case base32 token"
            ))
        })
    }
}

/// Hasher for keys that are already uniformly random (tokens) or already hashed (merchant
/// transaction ids): one multiply instead of SipHash. The sandbox's maps are never exposed to
/// keys an attacker could choose to collide, and collisions only cost time anyway.
#[derive(Default, Clone, Copy)]
pub(crate) struct PrehashedHasher(u64);

impl Hasher for PrehashedHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(byte)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = (self.0 ^ value).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    fn write_u128(&mut self, value: u128) {
        self.write_u64((value as u64) ^ ((value >> 64) as u64));
    }
}

pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<PrehashedHasher>>;

/// FNV-1a: a stable (seed-independent) 64-bit hash for merchant transaction ids.
pub(crate) fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xCBF2_9CE4_8422_2325;
    for part in parts {
        for &byte in *part {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01B3);
        }
        // Separates the parts so ("ab", "c") and ("a", "bc") differ.
        hash = (hash ^ 0xFF).wrapping_mul(0x0100_0000_01B3);
    }
    hash
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with `=` padding: the shape of FlexPay's API keys and `referenceData`.
pub(crate) fn base64_encode(bytes: &[u8]) -> String {
    let mut out = vec![0u8; bytes.len().div_ceil(3) * 4];
    base64_encode_to(bytes, &mut out);
    // Every byte written comes from BASE64 or is `=`: ASCII.
    String::from_utf8(out).unwrap_or_default()
}

/// Exactly `N` bytes as padded standard base64 in a buffer of `M = ceil(N / 3) * 4` bytes,
/// so `Display` writes it in one go, without allocating.
pub(crate) fn base64_encode_array<const N: usize, const M: usize>(bytes: &[u8; N]) -> [u8; M] {
    let mut out = [b'='; M];
    base64_encode_to(bytes, &mut out);
    out
}

/// Writes the base64 of `bytes` to the start of `out`, which must hold
/// `ceil(bytes.len() / 3) * 4` bytes (a shorter `out` gets the start of the text). Whole
/// groups of three bytes first, then the padded tail: no per-byte branch, so the fixed-size
/// callers (`referenceData`) compile to straight-line code.
#[inline]
fn base64_encode_to(bytes: &[u8], out: &mut [u8]) {
    let digit = |n: u32, shift: u32| BASE64[(n >> shift) as usize & 63];
    let groups = bytes.chunks_exact(3);
    let tail = groups.remainder();
    let mut quads = out.chunks_exact_mut(4);
    for (group, quad) in groups.zip(quads.by_ref()) {
        let n = u32::from(group[0]) << 16 | u32::from(group[1]) << 8 | u32::from(group[2]);
        quad.copy_from_slice(&[digit(n, 18), digit(n, 12), digit(n, 6), digit(n, 0)]);
    }
    if let (Some(&first), Some(quad)) = (tail.first(), quads.next()) {
        let second = tail.get(1).copied();
        let n = u32::from(first) << 16 | u32::from(second.unwrap_or(0)) << 8;
        let third = if second.is_some() { digit(n, 6) } else { b'=' };
        quad.copy_from_slice(&[digit(n, 18), digit(n, 12), third, b'=']);
    }
}

/// Value of each byte as a base64 digit; 0xFF for bytes that are not one.
const BASE64_VALUES: [u8; 256] = {
    let mut table = [0xFF_u8; 256];
    let mut i = 0;
    while i < 64 {
        table[BASE64[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// Value of each byte as a base32 digit; 0xFF for bytes that are not one.
const BASE32_VALUES: [u8; 256] = {
    let mut table = [0xFF_u8; 256];
    let mut i = 0;
    while i < 32 {
        table[BASE32[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// Decodes exactly `N` bytes of padded standard base64; anything else is `None`, including
/// `=` anywhere but in the padding of the last four characters.
#[inline]
pub(crate) fn base64_decode<const N: usize>(text: &str) -> Option<[u8; N]> {
    let bytes = text.as_bytes();
    if bytes.len() != N.div_ceil(3) * 4 {
        return None;
    }
    // `=` is not a digit (0xFF), so a digit's value or `None` for anything else.
    let value = |c: u8| match BASE64_VALUES[usize::from(c)] {
        0xFF => None,
        v => Some(u32::from(v)),
    };
    let mut out = [0u8; N];
    let mut triples = out.chunks_exact_mut(3);
    let mut quads = bytes.chunks_exact(4);
    for (triple, quad) in triples.by_ref().zip(quads.by_ref()) {
        let n =
            value(quad[0])? << 18 | value(quad[1])? << 12 | value(quad[2])? << 6 | value(quad[3])?;
        triple.copy_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8]);
    }
    let tail = triples.into_remainder();
    if let (Some(first), Some(quad)) = (tail.first_mut(), quads.next()) {
        let n = value(quad[0])? << 18 | value(quad[1])? << 12;
        *first = (n >> 16) as u8;
        match (tail.get_mut(1), quad[2], quad[3]) {
            (None, b'=', b'=') => {}
            (Some(second), c, b'=') => *second = ((n | value(c)? << 6) >> 8) as u8,
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_derived_token_leads_back_to_its_source() {
        assert_eq!(DERIVE_MULTIPLIER.wrapping_mul(DERIVE_INVERSE), 1);
        let mut rng = SplitMix64::new(9);
        for salt in [0, 1, u128::MAX, 0x5041_594D_4554_484F_4400_0000_0000_0001] {
            for _ in 0..100 {
                let token = rng.next_token();
                let derived = token.derived(salt);
                assert_ne!(derived, token);
                assert_eq!(derived.underived(salt), token);
                assert_eq!(Token::parse(&derived.to_string()), Some(derived));
            }
        }
    }

    #[test]
    fn the_stream_is_determined_by_the_seed() {
        let mut a = SplitMix64::new(7);
        let mut b = SplitMix64::new(7);
        let mut c = SplitMix64::new(8);
        let first: Vec<u64> = (0..4).map(|_| a.next_u64()).collect();
        assert_eq!(first, (0..4).map(|_| b.next_u64()).collect::<Vec<_>>());
        assert_ne!(first, (0..4).map(|_| c.next_u64()).collect::<Vec<_>>());
        // The published first output for seed 0.
        assert_eq!(SplitMix64::new(0).next_u64(), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn tokens_are_26_upper_case_alphanumerics_and_parse_back() {
        let mut rng = SplitMix64::new(42);
        for _ in 0..200 {
            let token = rng.next_token();
            let text = token.to_string();
            assert_eq!(text.len(), TOKEN_LENGTH);
            assert!(text
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
            assert_eq!(Token::parse(&text), Some(token));
            assert_ne!(token.derived(1), token);
        }
        assert_eq!(Token(u128::MAX).to_string(), "7ZZZZZZZZZZZZZZZZZZZZZZZZZ");
    }

    #[test]
    fn positioned_tokens_give_their_position_back_and_look_random() {
        let mut rng = SplitMix64::new(5);
        let a = rng.next_positioned_token(0);
        let b = rng.next_positioned_token(1);
        assert_eq!((a.position(), b.position()), (0, 1));
        assert_eq!(rng.next_positioned_token(u32::MAX).position(), u32::MAX);
        // Neighbouring positions share no visible suffix or prefix.
        let (a, b) = (a.to_string(), b.to_string());
        assert_ne!(a[20..], b[20..]);
        assert_ne!(a[..6], b[..6]);
        for value in [0, 1, u128::MAX, 0xDEAD_BEEF] {
            assert_eq!(unscramble(scramble(value)), value);
        }
    }

    #[test]
    fn token_parse_refuses_anything_else() {
        for text in [
            "",
            "8ZZZZZZZZZZZZZZZZZZZZZZZZZ",
            "7ZZZZZZZZZZZZZZZZZZZZZZZZ",
            "0000000000000000000000000I",
            "0000000000000000000000000a",
            "ééééééééééééé",
        ] {
            assert_eq!(Token::parse(text), None, "{text}");
        }
    }

    #[test]
    fn base64_round_trips_and_refuses_bad_text() {
        let bytes: [u8; 16] = core::array::from_fn(|i| (i * 37) as u8);
        let text = base64_encode(&bytes);
        assert_eq!(text.len(), 24);
        assert!(text.ends_with("=="));
        assert_eq!(base64_decode::<16>(&text), Some(bytes));
        assert_eq!(base64_encode(b"Man"), "TWFu");
        assert_eq!(base64_encode(b"Ma"), "TWE=");
        for bad in [
            "",
            "TWFu",
            "!!!!!!!!!!!!!!!!!!!!!!==",
            "AAAAAAAAAAAAAAAAAAAA=AAA",
            // Padding in the middle spells 16 bytes too, but is not what the sandbox writes.
            "AAAAAAAAAAAAAAAAAA==AAAA",
            "AAAAAAAAAAAAAAAAAAAAAA=A",
            "AAAAAAAAAAAAAAAAAAAAAAA=",
        ] {
            assert_eq!(base64_decode::<16>(bad), None, "{bad}");
        }
        assert_eq!(base64_decode::<2>("TWE="), Some(*b"Ma"));
        assert_eq!(&base64_encode_array::<16, 24>(&bytes), text.as_bytes());
        assert_eq!(&base64_encode_array::<2, 4>(b"Ma"), b"TWE=");
        for seed in 0..200u64 {
            let mut rng = SplitMix64::new(seed);
            let bytes: [u8; 17] = core::array::from_fn(|_| rng.next_u64() as u8);
            assert_eq!(base64_decode::<17>(&base64_encode(&bytes)), Some(bytes));
            let short: [u8; 15] = core::array::from_fn(|i| bytes[i]);
            assert_eq!(base64_decode::<15>(&base64_encode(&short)), Some(short));
        }
        assert_eq!(base64_decode::<1>("TQ=="), Some(*b"M"));
        assert_eq!(base64_decode::<1>("TQ=A"), None);
        assert_eq!(base64_decode::<2>("TW=="), None);
    }

    #[test]
    fn fnv_separates_parts() {
        assert_ne!(fnv1a(&[b"ab", b"c"]), fnv1a(&[b"a", b"bc"]));
        assert_eq!(fnv1a(&[b"x"]), fnv1a(&[b"x"]));
    }
}
