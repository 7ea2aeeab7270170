//! [`crate::json_reader`] for the snapshot's types: the keys, defaults and refusals of their
//! serde attributes (which still write them), read without serde's derived readers.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::flexpay::account::{AutoRetryStatus, Environment};
use crate::flexpay::gateway::{AcceptedCards, CardAcceptance, Gateway, GatewayStatus, GatewayType};
use crate::flexpay::response_code::ResponseCode;
use crate::flexpay::verification::{AvsResult, CvvResult};
use crate::json_reader::{Number, Read, ReadJson, Reader};
use crate::money::Currency;
use crate::{read_json_enum, read_json_struct, u64_text, CardBrand};

use super::accounts::CompanyRecord;
use super::api_keys::{unhex, ApiKeyId, ApiKeyRecord, KeyHash};
use super::auto_retry::{AutoRetryId, AutoRetryRecord};
use super::compact::{CompactText, EchoWriter, SharedEcho};
use super::gateways::{GatewayRecord, GatewayRef};
use super::platform::PlatformConfigs;
use super::recovery::{ChainOutcome, ChainRecord};
use super::retry_schedule::{RecoveryLimits, ReferenceData};
use super::tokens::{SplitMix64, Token};
use super::transactions::{CardSummary, CardSummaryWire, EchoField, Kind, TransactionRecord};
use super::users::{self, PasswordHash, UserRecord};
use super::State;

/// Levels of serde_json's 128 left inside a gateway's `settings` (the state, the gateway
/// list, its record and the gateway are four).
const SETTINGS_DEPTH: u32 = 124;
/// Levels left inside the state's `platform`.
const PLATFORM_DEPTH: u32 = 127;

read_json_struct!(State, deny_unknown = true, {
    schema_version: "schemaVersion",
    seed: "seed" with(u64_text::read),
    rng: "rng",
    companies: "companies",
    api_keys: "apiKeys",
    next_api_key_id: "nextApiKeyId",
    auto_retries: "autoRetries",
    next_auto_retry_id: "nextAutoRetryId",
    gateways: "gateways",
    transactions: "transactions",
    chains: "chains",
    users: "users" or users::seeded(),
    platform: "platform" or PlatformConfigs::default(),
});

read_json_struct!(CompanyRecord, deny_unknown = true, {
    name: "name",
    code: "code",
    created_at: "createdAt" or None,
    deleted: "deleted" or false,
    recovery: "recovery" or None,
});

read_json_struct!(RecoveryLimits, deny_unknown = true, {
    max_retries: "maxRetries",
    window_days: "windowDays",
});

read_json_struct!(ApiKeyRecord, deny_unknown = true, {
    id: "id",
    name: "name",
    company: "company",
    mode: "mode",
    created_at: "createdAt",
    sha256: "sha256",
});

read_json_struct!(AutoRetryRecord, deny_unknown = true, {
    id: "id",
    name: "name",
    company: "company",
    environment: "environment",
    status: "status",
    created_at: "createdAt",
    updated_at: "updatedAt",
});

read_json_struct!(GatewayRecord, deny_unknown = true, {
    token: "token",
    company: "company",
    mode: "mode",
    gateway: "gateway",
    settings: "settings",
    created_at: "createdAt",
    updated_at: "updatedAt",
    deleted: "deleted" or false,
    routing_credit: "routingCredit" or 0,
});

read_json_struct!(Gateway, deny_unknown = false, {
    id: "id" or None,
    name: "name",
    merchant_account_reference_id: "merchantAccountReferenceId" or None,
    gateway_type: "gatewayType",
    currency_code: "currencyCode",
    status: "status",
    accepted_currency_codes: "acceptedCurrencyCodes" or None,
    accepted_cards: "acceptedCards" or None,
    weight: "weight" or None,
    accept_retries: "acceptRetries" or None,
    cvv_required: "cvvRequired" or None,
    approved_charge_or_capture_rate_fee: "approvedChargeOrCaptureRateFee" or None,
    approved_charge_or_capture_flat_fee: "approvedChargeOrCaptureFlatFee" or None,
    other_transaction_flat_fee: "otherTransactionFlatFee" or None,
    settings: "settings" with(with_settings) or None,
});

read_json_struct!(AcceptedCards, deny_unknown = false, {
    visa: "visa" or None,
    master_card: "masterCard" or None,
    amex: "amex" or None,
    discover: "discover" or None,
    diners_club: "dinersClub" or None,
    jcb: "jcb" or None,
    maestro: "maestro" or None,
});

read_json_struct!(CardAcceptance, deny_unknown = false, {
    accept_credit_card: "acceptCreditCard" or None,
    accept_prepaid_card: "acceptPrepaidCard" or None,
    accept_debit_card: "acceptDebitCard" or None,
});

read_json_struct!(TransactionRecord, deny_unknown = true, {
    id: "id",
    kind: "kind",
    company: "company",
    mode: "mode",
    date: "date",
    code: "code",
    merchant_transaction_id: "merchantTransactionId",
    gateway: "gateway",
    amount: "amount" or None,
    currency: "currency" or None,
    retry_count: "retryCount" or None,
    retry_date: "retryDate" or None,
    reference_data: "referenceData" or None,
    date_first_attempt: "dateFirstAttempt" or None,
    chain: "chain" or None,
    original: "original" or None,
    vault: "vault" or None,
    card: "card" or None,
    avs: "avs" or None,
    cvv: "cvv" or None,
    disable_customer_recovery: "disableCustomerRecovery" or None,
    stored: "stored" or false,
    redacted: "redacted" or false,
    cvv_cached: "cvvCached" or false,
    scheduled: "scheduled" or false,
    captured: "captured" or 0,
    refunded: "refunded" or 0,
    voided: "voided" or false,
    note: "note" or None,
    echo: "echo" with(read_echo) or SharedEcho::default(),
});

read_json_struct!(ChainRecord, deny_unknown = true, {
    company: "company",
    mode: "mode",
    currency: "currency" or None,
    amount: "amount",
    first_transaction: "firstTransaction",
    first_attempt_at: "firstAttemptAt",
    last_transaction: "lastTransaction",
    attempts: "attempts",
    last_retry_count: "lastRetryCount",
    reference: "reference" or None,
    next_retry: "nextRetry" or None,
    outcome: "outcome",
    decline_code: "declineCode" or None,
    received_decline: "receivedDecline" or false,
    approved_amount: "approvedAmount" or 0,
    refunded_amount: "refundedAmount" or 0,
    auto_retry: "autoRetry" or false,
    scheduled_attempts: "scheduledAttempts" or 0,
    early_attempts: "earlyAttempts" or 0,
    late_attempts: "lateAttempts" or 0,
    closed_at: "closedAt" or None,
    rebill: "rebill" or false,
});

read_json_struct!(UserRecord, deny_unknown = true, {
    name: "name",
    username: "username",
    access_level: "accessLevel",
    disabled: "disabled" or false,
    locked: "locked" or false,
    created_at: "createdAt" or None,
    password: "password" or None,
});

read_json_struct!(PasswordHash, deny_unknown = true, {
    salt: "salt",
    sha256: "sha256",
});

read_json_struct!(CardSummaryWire, deny_unknown = true, {
    masked: "masked",
    brand: "brand" or None,
    cvv_sent: "cvvSent" or false,
});

read_json_enum!(Environment {
    Sandbox = "Sandbox",
    Production = "Production",
});

read_json_enum!(AutoRetryStatus {
    Enabled = "Enabled",
    Disabled = "Disabled",
});

read_json_enum!(GatewayStatus {
    Available = "Available",
    Disabled = "Disabled",
    RefundOnly = "RefundOnly",
});

read_json_enum!(ChainOutcome {
    InRecovery = "inRecovery",
    Approved = "approved",
    Declined = "declined",
    Stopped = "stopped",
});

read_json_enum!(Kind {
    Charge = "Charge",
    Authorize = "Authorize",
    Capture = "Capture",
    Void = "Void",
    Refund = "Refund",
    RefundedPayment = "RefundedPayment",
    CreateCreditCard = "CreateCreditCard",
    CreateGatewayPaymentMethod = "CreateGatewayPaymentMethod",
    UpdatePaymentMethod = "UpdatePaymentMethod",
    RedactPaymentMethod = "RedactPaymentMethod",
    RecachePaymentMethod = "RecachePaymentMethod",
});

read_json_enum!(CardBrand {
    Visa = "visa",
    Mastercard = "mastercard",
    AmericanExpress = "americanExpress",
    Discover = "discover",
    DinersClub = "dinersClub",
    Jcb = "jcb",
    UnionPay = "unionPay",
    Maestro = "maestro",
});

read_json_enum!(AvsResult {
    StreetMatchOnly = "A",
    NotAllowed = "E",
    NoMatch = "N",
    NotSupported = "S",
    StreetAndNineDigitZipMatch = "X",
    StreetAndFiveDigitZipMatch = "Y",
});

read_json_enum!(CvvResult {
    Match = "M",
    NoMatch = "N",
    NotProcessed = "P",
    NoResult = "Q",
    ShouldBeOnCard = "S",
    IssuerNotCertified = "U",
});

/// `#[serde(transparent)]` over a `u32`.
macro_rules! read_json_u32_newtype {
    ($($ty:ident),*) => {$(
        impl ReadJson for $ty {
            fn read_json(r: &mut Reader<'_>) -> Read<$ty> {
                r.u32().map($ty)
            }

            fn placeholder() -> $ty {
                $ty(0)
            }
        }
    )*};
}

read_json_u32_newtype!(ApiKeyId, AutoRetryId);

impl ReadJson for SplitMix64 {
    fn read_json(r: &mut Reader<'_>) -> Read<SplitMix64> {
        u64_text::read(r).map(SplitMix64::new)
    }

    fn placeholder() -> SplitMix64 {
        SplitMix64::new(0)
    }
}

/// A string, then `parse` of it or serde's custom refusal (placed by the enclosing object).
fn parsed<T>(r: &mut Reader<'_>, parse: impl FnOnce(&str) -> Result<T, String>) -> Read<T> {
    let text = r.string("a string")?;
    parse(&text).map_err(|message| r.custom(message))
}

impl ReadJson for Token {
    fn read_json(r: &mut Reader<'_>) -> Read<Token> {
        parsed(r, |text| {
            Token::parse(text)
                .ok_or_else(|| format!("{text:?} is not a 26-character upper-case base32 token"))
        })
    }

    fn placeholder() -> Token {
        Token(0)
    }
}

impl ReadJson for KeyHash {
    fn read_json(r: &mut Reader<'_>) -> Read<KeyHash> {
        parsed(r, |text| {
            unhex::<32>(text)
                .map(KeyHash)
                .ok_or_else(|| "a key hash must be 64 hex digits".to_owned())
        })
    }

    fn placeholder() -> KeyHash {
        KeyHash([0; 32])
    }
}

impl ReadJson for ReferenceData {
    fn read_json(r: &mut Reader<'_>) -> Read<ReferenceData> {
        parsed(r, |text| {
            ReferenceData::parse(text)
                .ok_or_else(|| format!("{text:?} is not sandbox referenceData"))
        })
    }

    fn placeholder() -> ReferenceData {
        ReferenceData {
            chain: 0,
            attempt: 0,
            salt: 0,
        }
    }
}

impl ReadJson for CompactText {
    fn read_json(r: &mut Reader<'_>) -> Read<CompactText> {
        r.string("a string").map(CompactText::from)
    }

    fn placeholder() -> CompactText {
        CompactText::from(String::new())
    }
}

impl ReadJson for Cow<'static, str> {
    fn read_json(r: &mut Reader<'_>) -> Read<Cow<'static, str>> {
        r.string("a string").map(Cow::Owned)
    }

    fn placeholder() -> Cow<'static, str> {
        Cow::Borrowed("")
    }
}

impl ReadJson for GatewayType {
    fn read_json(r: &mut Reader<'_>) -> Read<GatewayType> {
        r.string("a string")
            .map(|text| GatewayType::from_wire(&text))
    }

    fn placeholder() -> GatewayType {
        GatewayType::Other(String::new())
    }
}

impl ReadJson for Currency {
    fn read_json(r: &mut Reader<'_>) -> Read<Currency> {
        let text = r.string("an ISO 4217 currency code such as \"USD\"")?;
        Currency::from_code(&text).map_err(|e| r.fail(e.to_string()))
    }

    fn placeholder() -> Currency {
        Currency::USD
    }
}

impl ReadJson for ResponseCode {
    fn read_json(r: &mut Reader<'_>) -> Read<ResponseCode> {
        const EXPECTED: &str = "a FlexPay response code: a string of up to 9 digits or an integer";
        match r.ws() {
            Some(b'"') => {
                let text = r.string(EXPECTED)?;
                ResponseCode::parse(&text).map_err(|e| r.fail(e.to_string()))
            }
            Some(b'-' | b'0'..=b'9') => match r.number_value(EXPECTED)? {
                Number::Unsigned(value) => u32::try_from(value)
                    .ok()
                    .and_then(|v| ResponseCode::new(v).ok())
                    .ok_or_else(|| {
                        r.fail(format!(
                            "invalid value: integer `{value}`, expected {EXPECTED}"
                        ))
                    }),
                Number::Negative(value) => Err(r.fail(format!(
                    "invalid value: integer `{value}`, expected {EXPECTED}"
                ))),
                Number::Float(value) => Err(r.float_refused(value, EXPECTED)),
            },
            _ => Err(r.invalid_type_any(EXPECTED)),
        }
    }

    fn placeholder() -> ResponseCode {
        ResponseCode::APPROVED
    }
}

impl ReadJson for serde_json::Number {
    fn read_json(r: &mut Reader<'_>) -> Read<serde_json::Number> {
        const EXPECTED: &str = "a JSON number";
        match r.ws() {
            Some(b'-' | b'0'..=b'9') => Ok(match r.number_value(EXPECTED)? {
                Number::Unsigned(value) => serde_json::Number::from(value),
                Number::Negative(value) => serde_json::Number::from(value),
                Number::Float(value) => {
                    serde_json::Number::from_f64(value).unwrap_or_else(|| 0.into())
                }
            }),
            _ => Err(r.invalid_type_any(EXPECTED)),
        }
    }

    fn placeholder() -> serde_json::Number {
        serde_json::Number::from(0u64)
    }
}

impl ReadJson for BTreeMap<String, KeyHash> {
    fn read_json(r: &mut Reader<'_>) -> Read<BTreeMap<String, KeyHash>> {
        let mut map = BTreeMap::new();
        r.map("a map", &mut |r, key| {
            r.colon()?;
            map.insert(key, KeyHash::read_json(r)?);
            Ok(())
        })?;
        Ok(map)
    }

    fn placeholder() -> BTreeMap<String, KeyHash> {
        BTreeMap::new()
    }
}

/// A gateway's `settings`: any JSON object, read by serde_json's value tree.
fn with_settings(r: &mut Reader<'_>) -> Read<Option<serde_json::Map<String, serde_json::Value>>> {
    if r.null()? {
        return Ok(None);
    }
    if r.ws() != Some(b'{') {
        return Err(r.invalid_type("a map"));
    }
    let text = r.raw_value(SETTINGS_DEPTH)?;
    serde_json::from_str(text).map_err(|e| r.fail(e.to_string()))
}

impl ReadJson for PlatformConfigs {
    fn read_json(r: &mut Reader<'_>) -> Read<PlatformConfigs> {
        let text = r.raw_value(PLATFORM_DEPTH)?;
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| r.fail(e.to_string()))?;
        super::platform::read_configs(&value).map_err(|message| r.custom(message))
    }

    fn placeholder() -> PlatformConfigs {
        PlatformConfigs::default()
    }
}

impl ReadJson for GatewayRef {
    fn read_json(r: &mut Reader<'_>) -> Read<GatewayRef> {
        let mut created = 0;
        let index = r.tagged(
            &["builtIn", "notReached", "created"],
            &|index| index != 2,
            &mut |r, index| {
                if index == 2 {
                    created = r.u32()?;
                } else if !r.null()? {
                    return Err(r.invalid_type("unit"));
                }
                Ok(())
            },
        )?;
        Ok(match index {
            0 => GatewayRef::BuiltIn,
            1 => GatewayRef::NotReached,
            _ => GatewayRef::Created(created),
        })
    }

    fn placeholder() -> GatewayRef {
        GatewayRef::BuiltIn
    }
}

impl ReadJson for CardSummary {
    fn read_json(r: &mut Reader<'_>) -> Read<CardSummary> {
        let wire = CardSummaryWire::read_json(r)?;
        CardSummary::try_from(wire).map_err(|message| r.custom(message))
    }

    fn placeholder() -> CardSummary {
        CardSummary {
            first_six: [0; 6],
            last_four: [0; 4],
            length: 0,
            brand: None,
            cvv_sent: false,
        }
    }
}

/// The echo list: an object of echoed request fields in the order they were sent.
fn read_echo(r: &mut Reader<'_>) -> Read<SharedEcho> {
    const NAMES: [&str; 35] = EchoField::NAMES;
    let mut echo = EchoWriter::default();
    r.map("an object of echoed request fields", &mut |r, key| {
        let field = EchoField::ALL[r.variant_named(&key, &NAMES)?];
        r.colon()?;
        let value = r.string("a string")?;
        echo.push(field, &value);
        Ok(())
    })?;
    Ok(SharedEcho::from_writer(&mut echo))
}
