//! A tiny deterministic generator for ids and tokens. The core never draws on ambient
//! randomness: callers hand in a seed, so the sandbox replays identically from a snapshot.

/// SplitMix64: one `u64` of state, full period, good enough spread for test identifiers. Not
/// for secrets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub const fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    /// The state to store to resume the sequence later with [`SplitMix64::new`].
    pub const fn state(self) -> u64 {
        self.state
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `low..=high` (`low` when the range is empty). The modulo bias is
    /// irrelevant for test identifiers.
    pub fn in_range(&mut self, low: u64, high: u64) -> u64 {
        let span = high.saturating_sub(low).saturating_add(1);
        if span == 0 {
            // low..=high covers every u64.
            return self.next_u64();
        }
        low.saturating_add(self.next_u64() % span)
    }

    /// `count` lower-case hex digits.
    pub fn hex(&mut self, count: usize) -> String {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut out = String::with_capacity(count);
        let mut bits = 0u64;
        for index in 0..count {
            if index % 16 == 0 {
                bits = self.next_u64();
            }
            out.push(char::from(DIGITS[(bits & 0xF) as usize]));
            bits >>= 4;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_deterministic_and_resumable() {
        let mut a = SplitMix64::new(7);
        let first = a.next_u64();
        let mut b = SplitMix64::new(7);
        assert_eq!(b.next_u64(), first);
        let mut resumed = SplitMix64::new(a.state());
        assert_eq!(resumed.next_u64(), a.next_u64());
        assert_eq!(SplitMix64::new(0).next_u64(), 0xE220_A839_7B1D_CDAF);
        let hex = SplitMix64::new(1).hex(40);
        assert_eq!(hex.len(), 40);
        assert!(hex.bytes().all(|b| b.is_ascii_hexdigit()));
        let mut r = SplitMix64::new(3);
        for _ in 0..100 {
            assert!((10..=12).contains(&r.in_range(10, 12)));
        }
        assert_eq!(r.in_range(5, 1), 5);
    }
}
