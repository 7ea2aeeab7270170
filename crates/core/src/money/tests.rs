use super::*;
use proptest::prelude::*;

fn currency(code: &str) -> Currency {
    Currency::from_code(code).unwrap()
}

fn usd(minor_units: i64) -> Money {
    Money::new(minor_units, Currency::USD)
}

fn parse_err(amount: &str, currency: Currency) -> MoneyError {
    match Money::parse(amount, currency) {
        Ok(m) => panic!("{amount:?} parsed as {m}"),
        Err(e) => e,
    }
}

#[test]
fn parses_the_documented_examples() {
    assert_eq!(Money::parse("10.50", Currency::USD), Ok(usd(1050)));
    assert_eq!(Money::parse("10.5", Currency::USD), Ok(usd(1050)));
    assert_eq!(Money::parse("-3.00", Currency::USD), Ok(usd(-300)));
    assert_eq!(
        Money::parse("1000", Currency::JPY),
        Ok(Money::new(1000, Currency::JPY))
    );
    assert_eq!(Money::parse("0.05", Currency::USD), Ok(usd(5)));
    assert_eq!(Money::parse("10", Currency::USD), Ok(usd(1000)));
    assert_eq!(
        Money::parse("1.000", currency("BHD")),
        Ok(Money::new(1000, currency("BHD")))
    );
    assert_eq!(
        Money::parse("0.0001", currency("CLF")),
        Ok(Money::new(1, currency("CLF")))
    );
}

#[test]
fn rejects_fractions_below_the_minor_unit() {
    let err = parse_err("10.505", Currency::USD);
    assert_eq!(err.code(), "not_minor_units");
    assert_eq!(
        err,
        MoneyError::NotMinorUnits {
            currency: Currency::USD
        }
    );
    assert!(err.to_string().contains("2 decimal places"), "{err}");

    let err = parse_err("1000.5", Currency::JPY);
    assert_eq!(err.code(), "not_minor_units");
    assert!(err.to_string().contains("whole units"), "{err}");

    assert_eq!(
        parse_err("1.0001", currency("KWD")).code(),
        "not_minor_units"
    );
    assert_eq!(
        parse_err("0.00001", currency("UYW")).code(),
        "not_minor_units"
    );
    assert_eq!(parse_err("1.5", currency("XAU")).code(), "not_minor_units");
}

#[test]
fn zeros_below_the_minor_unit_are_exact_and_accepted() {
    assert_eq!(Money::parse("10.500", Currency::USD), Ok(usd(1050)));
    assert_eq!(
        Money::parse("10.50000000000000000000", Currency::USD),
        Ok(usd(1050))
    );
    assert_eq!(
        Money::parse("1000.0", Currency::JPY),
        Ok(Money::new(1000, Currency::JPY))
    );
}

#[test]
fn leading_zeros_and_negative_zero() {
    assert_eq!(Money::parse("007.50", Currency::USD), Ok(usd(750)));
    assert_eq!(
        Money::parse("0000000000000000000000001", Currency::USD),
        Ok(usd(100))
    );
    let zero = Money::parse("-0.00", Currency::USD).unwrap();
    assert!(zero.is_zero());
    assert_eq!(zero.format(), "0.00");
    assert_eq!(Money::parse("-0", Currency::JPY).unwrap().format(), "0");
}

#[test]
fn rejects_malformed_decimals_with_a_reason() {
    let cases: &[(&str, DecimalProblem)] = &[
        ("", DecimalProblem::Empty),
        ("-", DecimalProblem::MissingDigits),
        ("+1", DecimalProblem::LeadingPlus),
        ("+10.50", DecimalProblem::LeadingPlus),
        ("+-1", DecimalProblem::LeadingPlus),
        (".5", DecimalProblem::LeadingPoint),
        ("-.5", DecimalProblem::LeadingPoint),
        (".", DecimalProblem::LeadingPoint),
        ("10.", DecimalProblem::TrailingPoint),
        ("-1.", DecimalProblem::TrailingPoint),
        (" 1", DecimalProblem::Whitespace),
        ("1 ", DecimalProblem::Whitespace),
        ("1 000", DecimalProblem::Whitespace),
        ("1\t", DecimalProblem::Whitespace),
        ("1e3", DecimalProblem::Exponent),
        ("1E3", DecimalProblem::Exponent),
        ("1.5e2", DecimalProblem::Exponent),
        (
            "１",
            DecimalProblem::UnexpectedCharacter {
                at: 0, found: '１'
            },
        ),
        (
            "1１",
            DecimalProblem::UnexpectedCharacter {
                at: 1, found: '１'
            },
        ),
        (
            "NaN",
            DecimalProblem::UnexpectedCharacter { at: 0, found: 'N' },
        ),
        (
            "Infinity",
            DecimalProblem::UnexpectedCharacter { at: 0, found: 'I' },
        ),
        (
            "-Infinity",
            DecimalProblem::UnexpectedCharacter { at: 1, found: 'I' },
        ),
        (
            "inf",
            DecimalProblem::UnexpectedCharacter { at: 0, found: 'i' },
        ),
        (
            "e3",
            DecimalProblem::UnexpectedCharacter { at: 0, found: 'e' },
        ),
        (
            "1.2.3",
            DecimalProblem::UnexpectedCharacter { at: 3, found: '.' },
        ),
        (
            "--1",
            DecimalProblem::UnexpectedCharacter { at: 1, found: '-' },
        ),
        (
            "-+1",
            DecimalProblem::UnexpectedCharacter { at: 1, found: '+' },
        ),
        (
            "1-",
            DecimalProblem::UnexpectedCharacter { at: 1, found: '-' },
        ),
        (
            "$10",
            DecimalProblem::UnexpectedCharacter { at: 0, found: '$' },
        ),
        ("10 USD", DecimalProblem::Whitespace),
        (
            "0x10",
            DecimalProblem::UnexpectedCharacter { at: 1, found: 'x' },
        ),
    ];
    for (input, problem) in cases {
        let err = parse_err(input, Currency::USD);
        assert_eq!(err, MoneyError::InvalidDecimal(*problem), "{input:?}");
        assert_eq!(err.code(), "invalid_decimal", "{input:?}");
        assert!(
            err.to_string().contains("such as \"10.50\""),
            "{input:?}: {err}"
        );
    }
}

/// The message of `input` refused in `currency`, past the shared prefix.
fn separator_message(input: &str, currency: Currency) -> String {
    let err = parse_err(input, currency);
    assert_eq!(err.code(), "invalid_decimal", "{input:?}");
    let text = err.to_string();
    text.strip_prefix("invalid amount: ")
        .and_then(|rest| {
            rest.split_once(". Write a plain decimal number")
                .map(|(m, _)| m)
        })
        .unwrap_or_else(|| panic!("{input:?}: {text}"))
        .to_owned()
}

#[test]
fn a_decimal_comma_is_told_as_one_and_written_corrected() {
    for (input, corrected) in [
        ("10,50", "10.50"),
        ("10,5", "10.5"),
        ("-3,25", "-3.25"),
        ("0,07", "0.07"),
        ("0012,50", "0012.50"),
    ] {
        assert!(matches!(
            parse_err(input, Currency::EUR),
            MoneyError::InvalidDecimal(DecimalProblem::DecimalComma { typed: Some(_) })
        ));
        assert_eq!(
            separator_message(input, Currency::EUR),
            format!("the amount has a decimal comma; write \"{corrected}\", not \"{input}\""),
        );
    }
    // Three digits after the comma are a decimal comma only where the currency has three
    // decimals: 1,000 USD is a thousand, grouped.
    assert_eq!(
        separator_message("1,000", Currency::from_code("KWD").unwrap()),
        "the amount has a decimal comma; write \"1.000\", not \"1,000\""
    );
    assert_eq!(
        separator_message("1,000", Currency::USD),
        "the amount contains a digit-grouping separator; write \"1000\", not \"1,000\""
    );
    // A decimal comma whose corrected form the currency refuses is not written out: JPY has
    // no decimals.
    assert_eq!(
        separator_message("10,50", Currency::JPY),
        "the amount has a decimal comma; write \".\" as the decimal point"
    );
}

#[test]
fn digit_grouping_is_written_corrected_from_the_amount_typed() {
    for (input, corrected) in [
        ("1,000.00", "1000.00"),
        ("1_000", "1000"),
        ("1'000.50", "1000.50"),
        ("12,345,678", "12345678"),
        ("-1,000,000.25", "-1000000.25"),
        ("1,00,000", "100000"),
        ("9,223,372,036,854,775.80", "9223372036854775.80"),
    ] {
        assert!(matches!(
            parse_err(input, Currency::USD),
            MoneyError::InvalidDecimal(DecimalProblem::GroupingSeparator { typed: Some(_) })
        ));
        assert_eq!(
            separator_message(input, Currency::USD),
            format!(
                "the amount contains a digit-grouping separator; write \"{corrected}\", not \"{input}\""
            ),
        );
    }
    // Never a corrected form the currency refuses, nor one of another amount's text.
    for input in [
        "1,000.005",
        "1,000x",
        "1,0.0.0",
        "1,,",
        "1,.5",
        "-,1",
        &"1,".repeat(30),
        "1,000 000",
    ] {
        let message = separator_message(input, Currency::USD);
        assert_eq!(
            message,
            "the amount contains a digit-grouping separator (\",\", \"_\" or \"'\"); write the \
             digits without it",
            "{input:?}"
        );
    }
}

#[test]
fn digit_overflow_is_an_error() {
    let err = parse_err("99999999999999999999", Currency::USD);
    assert_eq!(err.code(), "amount_overflow");
    assert_eq!(
        err.to_string(),
        "amount out of range: USD amounts must lie between -92233720368547758.08 and \
         92233720368547758.07; check the amount for extra digits"
    );
    // One past each end of i64, spelled with the currency's exponent.
    assert_eq!(
        parse_err("92233720368547758.08", Currency::USD).code(),
        "amount_overflow"
    );
    assert_eq!(
        parse_err("-92233720368547758.09", Currency::USD).code(),
        "amount_overflow"
    );
    assert_eq!(
        parse_err("9223372036854775808", Currency::JPY).code(),
        "amount_overflow"
    );
    // The ends themselves parse.
    assert_eq!(
        Money::parse("92233720368547758.07", Currency::USD),
        Ok(usd(i64::MAX))
    );
    assert_eq!(
        Money::parse("-92233720368547758.08", Currency::USD),
        Ok(usd(i64::MIN))
    );
    // Overflow caused by scaling up a short fraction.
    assert_eq!(
        parse_err("92233720368547758.1", Currency::USD).code(),
        "amount_overflow"
    );
    assert_eq!(
        parse_err("18446744073709551616", Currency::JPY).code(),
        "amount_overflow"
    );
}

#[test]
fn formats_with_exactly_the_currency_exponent() {
    assert_eq!(usd(1050).format(), "10.50");
    assert_eq!(usd(-5).format(), "-0.05");
    assert_eq!(usd(0).format(), "0.00");
    assert_eq!(usd(1).format(), "0.01");
    assert_eq!(usd(-300).format(), "-3.00");
    assert_eq!(Money::new(1000, Currency::JPY).format(), "1000");
    assert_eq!(Money::new(-7, Currency::JPY).format(), "-7");
    assert_eq!(Money::new(1000, currency("BHD")).format(), "1.000");
    assert_eq!(Money::new(5, currency("CLF")).format(), "0.0005");
    assert_eq!(Money::new(3, currency("XAU")).format(), "3");
    assert_eq!(usd(i64::MAX).format(), "92233720368547758.07");
    assert_eq!(usd(i64::MIN).format(), "-92233720368547758.08");
}

#[test]
fn display_appends_the_code() {
    assert_eq!(usd(1050).to_string(), "10.50 USD");
    assert_eq!(Money::new(-1, Currency::EUR).to_string(), "-0.01 EUR");
    assert_eq!(Money::new(1000, Currency::JPY).to_string(), "1000 JPY");
}

#[test]
fn accessors_and_sign_checks() {
    let m = Money::new(-250, Currency::CAD);
    assert_eq!(m.minor_units(), -250);
    assert_eq!(m.currency(), Currency::CAD);
    assert!(m.is_negative() && !m.is_positive() && !m.is_zero());
    assert!(usd(1).is_positive());
    assert!(Money::zero(Currency::GBP).is_zero());
    assert!(!Money::zero(Currency::GBP).is_positive());
}

#[test]
fn arithmetic_in_one_currency() {
    assert_eq!(usd(1050).checked_add(usd(-50)), Ok(usd(1000)));
    assert_eq!(usd(1050).checked_sub(usd(2000)), Ok(usd(-950)));
    assert_eq!(usd(1050).checked_neg(), Ok(usd(-1050)));
    assert_eq!(usd(1050).checked_mul(3), Ok(usd(3150)));
    assert_eq!(usd(1050).checked_mul(-1), Ok(usd(-1050)));
    assert_eq!(usd(1050).checked_mul(0), Ok(usd(0)));
}

#[test]
fn an_unexpected_character_is_named_never_its_byte_offset() {
    let message = |input: &str| parse_err(input, Currency::USD).to_string();
    for (input, named) in [
        ("abc", "has \"a\", which is not a digit 0-9"),
        ("１２", "has \"１\", which is not a digit 0-9"),
        ("12€", "has \"€\", which is not a digit 0-9"),
        ("1\u{7}", "has \"\\u{7}\", which is not a digit 0-9"),
        ("1\"", "has \"\\\"\", which is not a digit 0-9"),
        ("1.2.3", "has a second \".\""),
        ("1-2", "has \"-\" after its first character"),
    ] {
        let text = message(input);
        assert!(text.contains(named), "{input:?}: {text}");
        assert!(!text.contains("byte"), "{input:?}: {text}");
        // The example is one that every amount field takes: positive.
        assert!(!text.contains("-3.00"), "{input:?}: {text}");
    }
}

#[test]
fn arithmetic_overflow_is_an_error() {
    let overflow = MoneyError::AmountOverflow {
        currency: Currency::USD,
    };
    assert_eq!(usd(i64::MAX).checked_add(usd(1)), Err(overflow));
    assert_eq!(usd(i64::MIN).checked_sub(usd(1)), Err(overflow));
    assert_eq!(usd(i64::MIN).checked_neg(), Err(overflow));
    assert_eq!(usd(i64::MAX).checked_mul(2), Err(overflow));
    assert_eq!(usd(i64::MIN).checked_mul(-1), Err(overflow));
    assert_eq!(overflow.code(), "amount_overflow");
}

#[test]
fn mixing_currencies_is_an_error() {
    let eur = Money::new(100, Currency::EUR);
    let err = usd(100).checked_add(eur).unwrap_err();
    assert_eq!(
        err,
        MoneyError::CurrencyMismatch {
            left: Currency::USD,
            right: Currency::EUR
        }
    );
    assert_eq!(err.code(), "currency_mismatch");
    assert!(err.to_string().contains("USD and EUR"), "{err}");
    assert_eq!(
        usd(100).checked_sub(eur).unwrap_err().code(),
        "currency_mismatch"
    );
    // The mismatch is reported even when the sum would also overflow.
    assert_eq!(
        usd(i64::MAX)
            .checked_add(Money::new(i64::MAX, Currency::EUR))
            .unwrap_err()
            .code(),
        "currency_mismatch"
    );
}

#[test]
fn unknown_currency_converts_into_money_error() {
    let err: MoneyError = Currency::from_code("usd").unwrap_err().into();
    assert_eq!(err.code(), "unknown_currency");
    assert!(err.to_string().contains("use \"USD\""), "{err}");
    assert!(std::error::Error::source(&err).is_some());
}

#[test]
fn every_message_says_what_to_do() {
    let errors = [
        MoneyError::InvalidDecimal(DecimalProblem::Empty),
        MoneyError::NotMinorUnits {
            currency: currency("BHD"),
        },
        MoneyError::NotMinorUnits {
            currency: currency("XAU"),
        },
        MoneyError::AmountOverflow {
            currency: Currency::JPY,
        },
        MoneyError::CurrencyMismatch {
            left: Currency::USD,
            right: Currency::CAD,
        },
    ];
    for err in errors {
        let message = err.to_string().to_lowercase();
        let actionable = ["write", "round", "check", "convert", "use"]
            .iter()
            .any(|verb| message.contains(verb));
        assert!(actionable, "{message}");
    }
}

fn any_currency() -> impl Strategy<Value = Currency> {
    proptest::sample::select(Currency::all().collect::<Vec<_>>())
}

#[test]
fn extremes_round_trip_in_every_currency() {
    for c in Currency::all() {
        for minor_units in [i64::MIN, i64::MIN + 1, -1, 0, 1, i64::MAX - 1, i64::MAX] {
            let m = Money::new(minor_units, c);
            assert_eq!(Money::parse(&m.format(), c), Ok(m), "{m}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn format_then_parse_round_trips(minor_units in any::<i64>(), c in any_currency()) {
        let m = Money::new(minor_units, c);
        let text = m.format();
        prop_assert_eq!(Money::parse(&text, c), Ok(m));
        let fraction = text.split_once('.').map_or(0, |(_, f)| f.len());
        prop_assert_eq!(fraction, usize::from(c.exponent()));
    }

    #[test]
    fn add_and_sub_agree_with_wide_arithmetic(a in any::<i64>(), b in any::<i64>()) {
        let sum = i128::from(a) + i128::from(b);
        match usd(a).checked_add(usd(b)) {
            Ok(m) => prop_assert_eq!(i128::from(m.minor_units()), sum),
            Err(e) => {
                prop_assert!(i64::try_from(sum).is_err());
                prop_assert_eq!(e.code(), "amount_overflow");
            }
        }
        let difference = i128::from(a) - i128::from(b);
        match usd(a).checked_sub(usd(b)) {
            Ok(m) => prop_assert_eq!(i128::from(m.minor_units()), difference),
            Err(e) => {
                prop_assert!(i64::try_from(difference).is_err());
                prop_assert_eq!(e.code(), "amount_overflow");
            }
        }
    }

    #[test]
    fn add_near_the_limits_agrees_with_wide_arithmetic(
        a in prop_oneof![i64::MAX - 1000..=i64::MAX, i64::MIN..=i64::MIN + 1000],
        b in -2000i64..=2000,
    ) {
        let sum = i128::from(a) + i128::from(b);
        let result = usd(a).checked_add(usd(b)).map(Money::minor_units);
        prop_assert_eq!(result.ok(), i64::try_from(sum).ok());
    }

    #[test]
    fn mul_and_neg_agree_with_wide_arithmetic(
        a in any::<i64>(),
        factor in prop_oneof![any::<i64>(), -1000i64..=1000],
    ) {
        let product = i128::from(a) * i128::from(factor);
        let result = usd(a).checked_mul(factor).map(Money::minor_units);
        prop_assert_eq!(result.ok(), i64::try_from(product).ok());
        let negated = usd(a).checked_neg().map(Money::minor_units);
        prop_assert_eq!(negated.ok(), i64::try_from(-i128::from(a)).ok());
    }

    #[test]
    fn parse_never_panics(text in any::<String>(), c in any_currency()) {
        let _ = Money::parse(&text, c);
    }

    #[test]
    fn parse_never_panics_on_near_decimals(
        text in "[-+]?[0-9０-９.,eE _]{0,30}",
        c in any_currency(),
    ) {
        if let Ok(m) = Money::parse(&text, c) {
            // Whatever parses must format back to something that parses to the same amount.
            prop_assert_eq!(Money::parse(&m.format(), c), Ok(m));
        }
    }
}

#[test]
fn digits_grouped_by_points_are_a_grouped_amount_not_decimals() {
    let eur = Currency::EUR;
    for (input, corrected, currency) in [
        ("1.000,00", "1000.00", eur),
        ("2.500,00", "2500.00", Currency::USD),
        ("1.234,56", "1234.56", eur),
        ("1.234,5", "1234.5", eur),
        ("12.345.678,90", "12345678.90", eur),
        ("-1.234,56", "-1234.56", eur),
        ("1.234,567", "1234.567", Currency::from_code("KWD").unwrap()),
    ] {
        assert_eq!(
            separator_message(input, currency),
            format!("the amount has a decimal comma; write \"{corrected}\", not \"{input}\""),
        );
        // What the message says to write reads as the amount meant.
        let meant = Money::parse(corrected, currency).unwrap();
        assert!(meant.minor_units().abs() >= 100_000, "{input:?}");
    }
    for (input, corrected) in [("1.234.567", "1234567"), ("12.345.678.901", "12345678901")] {
        for currency in [eur, Currency::USD, Currency::JPY] {
            assert_eq!(
                separator_message(input, currency),
                format!(
                    "the amount contains a digit-grouping separator; write \"{corrected}\", not \"{input}\""
                ),
            );
        }
    }
    // One point stays a decimal point, and points that do not group in threes are no grouping.
    assert_eq!(parse_err("1.234", Currency::USD).code(), "not_minor_units");
    assert_eq!(
        Money::parse("1.000", Currency::from_code("KWD").unwrap())
            .unwrap()
            .minor_units(),
        1000
    );
    assert_eq!(
        parse_err("1.2.3", Currency::USD),
        MoneyError::InvalidDecimal(DecimalProblem::UnexpectedCharacter { at: 3, found: '.' })
    );
    assert_eq!(
        parse_err("1.23.456", Currency::USD),
        MoneyError::InvalidDecimal(DecimalProblem::UnexpectedCharacter { at: 4, found: '.' })
    );
    // A comma after two points that do not group stays a grouping comma, never written out.
    assert!(matches!(
        parse_err("1.2.3,45", Currency::USD),
        MoneyError::InvalidDecimal(DecimalProblem::GroupingSeparator { typed: None })
    ));
}

#[test]
fn a_point_before_three_digits_groups_a_thousand_where_the_currency_has_no_minor_unit() {
    let vnd = Currency::from_code("VND").unwrap();
    let clp = Currency::from_code("CLP").unwrap();
    for (input, currency, corrected) in [
        ("100.000", vnd, "100000"),
        ("1.500", Currency::JPY, "1500"),
        ("10.000", clp, "10000"),
        ("-2.000", clp, "-2000"),
    ] {
        assert_eq!(
            separator_message(input, currency),
            format!(
                "the amount contains a digit-grouping separator; write \"{corrected}\", not \"{input}\""
            ),
        );
    }
    // Not three digits after one point of a group: zeros are still no fraction there, and the
    // currencies with minor units keep reading the point as a decimal point.
    assert_eq!(Money::parse("100.0", vnd).unwrap().minor_units(), 100);
    assert_eq!(Money::parse("1000.000", vnd).unwrap().minor_units(), 1000);
    assert_eq!(
        Money::parse("1.000", Currency::USD).unwrap().minor_units(),
        100
    );
    assert_eq!(
        Money::parse("1.000", Currency::from_code("KWD").unwrap())
            .unwrap()
            .minor_units(),
        1000
    );
    assert!(matches!(
        parse_err("1.5", Currency::JPY),
        MoneyError::NotMinorUnits { .. }
    ));
}
