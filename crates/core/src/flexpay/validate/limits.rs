//! Maximum lengths of FlexPay request fields, in characters (Unicode scalar values).
//!
//! **These are flexkit's choice, not FlexPay's.** FlexPay publishes no field lengths: its
//! response codes only show that it checks them (50104 for `merchantTransactionId`, 50111
//! for `referenceData`, ...). Each limit below is generous enough for every legitimate value
//! seen in FlexPay's samples and in common practice, and tight enough to catch a value
//! that is plainly wrong (a whole address in `city`, a log line in `orderId`). A value over its
//! limit is a `too_long` *warning*, never an error: the request stays valid and the sandbox
//! takes it, since FlexPay may well accept it (a 64-character SHA-256 hex id). When FlexPay's
//! real limits become known, this file is the only place to change.

/// `merchantTransactionId`: leaves room for a UUID (36) with a short prefix.
pub const MERCHANT_TRANSACTION_ID: usize = 50;
/// `orderId`.
pub const ORDER_ID: usize = 50;
/// `customerId` (FlexPay's "customer token", 50014).
pub const CUSTOMER_ID: usize = 50;
/// `description`.
pub const DESCRIPTION: usize = 255;
/// `referenceData`: opaque base64 from FlexPay, about 100 characters in samples; the limit
/// allows for FlexPay growing it without notice.
pub const REFERENCE_DATA: usize = 4096;
/// `customVariable1` to `customVariable5`.
pub const CUSTOM_VARIABLE: usize = 255;
/// `gatewayToken` and a gateway's `id`: FlexPay tokens are 26 characters in every sample.
pub const GATEWAY_TOKEN: usize = 64;
/// `paymentMethodId`: FlexPay vault tokens are 26 characters in every sample.
pub const PAYMENT_METHOD_ID: usize = 64;
/// `gatewayPaymentMethodId`: the gateway's own token, whose format each gateway chooses.
pub const GATEWAY_PAYMENT_METHOD_ID: usize = 255;
/// `merchantAccountReferenceId` (the MID or account reference).
pub const MERCHANT_ACCOUNT_REFERENCE_ID: usize = 100;
/// `firstName` and `lastName`.
pub const NAME: usize = 100;
/// `fullName`: a first and a last name with a space.
pub const FULL_NAME: usize = 201;
/// `address1` and `address2`, billing and shipping.
pub const ADDRESS_LINE: usize = 100;
/// `city`, billing and shipping.
pub const CITY: usize = 50;
/// `state`, billing and shipping: a code (`OR`) or a full region name.
pub const STATE: usize = 50;
/// `postalCode`, billing and shipping; the longest national formats have about 10.
pub const POSTAL_CODE: usize = 20;
/// `email`: the longest address SMTP can deliver (RFC 5321).
pub const EMAIL: usize = 254;
/// `phoneNumber`: 15 digits of E.164 plus formatting and an extension.
pub const PHONE_NUMBER: usize = 32;
/// `customerIp`: the longest textual IPv6 address (45, IPv4-mapped form).
pub const CUSTOMER_IP: usize = 45;
/// `paymentPlan.sku`, `paymentPlan.category`, `paymentPlan.billingPlan`.
pub const PAYMENT_PLAN_FIELD: usize = 100;
/// `References.PreviousTransaction.gatewayCode`: a gateway decline code.
pub const GATEWAY_CODE: usize = 50;
/// `References.PreviousTransaction.gatewayMesage`: a gateway decline message.
pub const GATEWAY_MESSAGE: usize = 255;
/// `sinceTransactionId` of a list query: FlexPay transaction ids are 26 to 29 characters.
pub const TRANSACTION_ID: usize = 64;
/// A gateway's `name`.
pub const GATEWAY_NAME: usize = 100;
/// A company's `name`.
pub const COMPANY_NAME: usize = 100;
/// A company `code`: it also prefixes batch file names, so it stays short.
pub const COMPANY_CODE: usize = 20;
/// The `name` of an API key or of a FlexPay Retries (auto-retry) configuration.
pub const SETTING_NAME: usize = 100;

/// An expiry year further ahead than this many years is reported as a likely typo (cards are
/// issued for up to about ten years).
pub const EXPIRY_YEARS_AHEAD: i32 = 20;

/// How far after `now` a `dateFirstAttempt` may lie before it counts as in the future, in
/// seconds. The merchant's clock and the validating machine's clock are never exactly in
/// step, and a chain started through FlexPay (`retryCount` 0) stamps its first attempt
/// at about `now`.
pub const CLOCK_SKEW_SECONDS: i64 = 300;
