//! The decimal text of a JSON number with a fraction, as JavaScript and `{value}` write it,
//! worked out with integer arithmetic: Flexiti's amounts and rates have at most 2 and 4
//! places, so the shortest text of a float that has such a decimal is that decimal. Rust's
//! float formatting (several kilobytes of WebAssembly) is then never linked.

/// The shortest decimal with at most `max_places` places that reads back as exactly `value`
/// (`0.1 + 0.2` has none with 2 places; `10.5` is `"10.5"`, `3.0` is `"3"`), or `None` when
/// no such decimal exists or the value is beyond 2^53 once scaled.
pub(crate) fn short_decimal(value: f64, max_places: u32) -> Option<String> {
    if !value.is_finite() {
        return None;
    }
    let mut scale = 1.0_f64;
    for places in 0..=max_places as usize {
        let scaled = (value * scale).round();
        if scaled.abs() >= 9_007_199_254_740_992.0 {
            return None;
        }
        if scaled / scale == value {
            // Exact: |scaled| < 2^53.
            let digits = (scaled.abs() as u64).to_string();
            let digits = format!("{digits:0>width$}", width = places + 1);
            let (whole, fraction) = digits.split_at(digits.len() - places);
            let sign = if value.is_sign_negative() { "-" } else { "" };
            return Some(if places == 0 {
                format!("{sign}{whole}")
            } else {
                format!("{sign}{whole}.{fraction}")
            });
        }
        scale *= 10.0;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::short_decimal;

    #[test]
    fn the_text_is_the_shortest_as_display_writes_it() {
        let samples = [
            0.0,
            -0.0,
            1.0,
            3.0,
            10.5,
            10.05,
            0.01,
            -12.34,
            0.2999,
            9.9999,
            1234567.89,
            0.1,
            0.7,
            1.15,
            2.675,
            100.0,
            1e15,
            123456789012.34,
        ];
        for value in samples {
            let display = format!("{value}");
            let places = display.split_once('.').map_or(0, |(_, f)| f.len());
            for max in places as u32..=4 {
                assert_eq!(
                    short_decimal(value, max).as_deref(),
                    Some(display.as_str()),
                    "{value} at {max}"
                );
            }
            if places > 0 {
                assert_eq!(short_decimal(value, places as u32 - 1), None, "{value}");
            }
        }
    }

    #[test]
    fn a_float_with_more_places_or_too_large_has_none() {
        assert_eq!(short_decimal(0.1 + 0.2, 2), None);
        assert_eq!(short_decimal(1.1 * 3.0, 2), None);
        assert_eq!(short_decimal(10.001, 2), None);
        assert_eq!(short_decimal(1e20, 2), None);
        assert_eq!(short_decimal(f64::NAN, 2), None);
        assert_eq!(short_decimal(f64::INFINITY, 4), None);
    }

    #[test]
    fn every_cent_up_to_a_million_reads_back_as_written() {
        for cents in (0..100_000_000_i64).step_by(9_973) {
            let text = format!("{}.{:02}", cents / 100, cents % 100);
            let value: f64 = text.parse().unwrap();
            let expected = format!("{value}");
            assert_eq!(short_decimal(value, 2), Some(expected), "{text}");
        }
    }
}
