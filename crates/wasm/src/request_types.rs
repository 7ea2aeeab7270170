//! TypeScript declarations of the FlexPay request bodies: what the `validate*` functions of the
//! `flexkit` entry check and the `Sandbox` of `flexkit/sandbox` takes (its declarations import
//! them from here). Written by hand, in FlexPay's wire names; the test below holds every
//! interface to the core's field tables (`flexpay/validate/json.rs`, the schemas that
//! `taggedSchemas()` hands the JS layer), both ways, so neither can change without the other.

use wasm_bindgen::prelude::*;

/// The declarations, kept in a constant of their own so the test can read them.
// Read by the custom section below, a use the dead-code lint does not see, and by tests.
#[allow(dead_code)]
pub(crate) const REQUEST_TYPES_TS: &str = r#"
// FlexPay request bodies. Field names are FlexPay's, case-sensitive. A field that may be left
// out may also be null, which reads as left out. Amounts are integers in the currency's minor
// unit (2999 is USD 29.99). A value FlexPay would refuse is still reported at run time by the
// validators and answered as data by the sandbox; these types catch the wrong shapes first.

/** Any value JSON can hold: what FlexPay's free-form fields carry. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** `shippingAddress` of a charge or authorize; every field is optional. */
export interface ShippingAddressInput {
  /** The street address. */
  address1?: string | null;
  /** Apartment, suite, floor. */
  address2?: string | null;
  /** The postal or ZIP code. */
  postalCode?: string | null;
  city?: string | null;
  /** State, province or region: a code ("NY") or its name. */
  state?: string | null;
  /** Two upper-case letters, ISO 3166-1 alpha-2: "US". */
  country?: string | null;
}

/** `paymentPlan` of a charge or authorize: what the payment is for. */
export interface PaymentPlan {
  /** The product's SKU. */
  sku?: string | null;
  /** The product's category. */
  category?: string | null;
  /** The billing plan's name. */
  billingPlan?: string | null;
  /** Which billing cycle of the plan this payment is (1 for the first): a whole number. */
  billingCycle?: number | null;
}

/**
 * `References.PreviousTransaction` of a charge or authorize: how your own gateway declined the
 * previous attempt, the one FlexPay did not see.
 */
export interface PreviousTransaction {
  /** The merchant account (MID) the previous attempt went through. */
  merchantAccountReferenceId?: string | null;
  /** The gateway's decline code, as the gateway gave it. */
  gatewayCode?: string | null;
  /**
   * The gateway's decline message. Spelt with one "s", as FlexPay's body definition spells
   * it: FlexPay does not read `gatewayMessage`.
   */
  gatewayMesage?: string | null;
  /** When the previous attempt was made: ISO 8601 date-time, "2026-11-20T09:30:00Z". */
  transactionDate?: string | null;
}

/** `References` of a charge or authorize, with a capital "R" as FlexPay spells it. */
export interface References {
  /** Capital "P", as FlexPay spells it. */
  PreviousTransaction?: PreviousTransaction | null;
}

/** `paymentModel` of a charge or authorize (lower case; anything else is 50155). */
export type PaymentModel = "onetime" | "subscription" | "installment";

/**
 * The card holder and billing address of a card, in a charge or authorize and in the vault's
 * create call. The name is `fullName`, or `firstName` and `lastName` (50090). A charge needs
 * the transaction's `customerId` or this `email` (50048).
 */
export interface CardHolder {
  /** With `lastName`, unless `fullName` is sent. */
  firstName?: string | null;
  /** With `firstName`, unless `fullName` is sent. */
  lastName?: string | null;
  /** The whole name, instead of `firstName` and `lastName`. */
  fullName?: string | null;
  /** The billing street address. */
  address1?: string | null;
  address2?: string | null;
  /** The billing postal or ZIP code. */
  postalCode: string;
  /** The billing city. */
  city: string;
  /** The billing state, province or region: a code ("NY") or its name. */
  state: string;
  /** Two upper-case letters, ISO 3166-1 alpha-2: "US". */
  country?: string | null;
  /** The holder's email; required when the transaction has no `customerId` (50048). */
  email?: string | null;
  phoneNumber?: string | null;
}

/** `creditCard` of the vault's create call: a card in clear. */
export interface VaultCreditCard extends CardHolder {
  /**
   * The card number, digits only ("4111111111111111"): a length its brand issues, with a
   * valid Luhn check digit. Never stored in full: answers show its first six and last four.
   */
  creditCardNumber: string;
  /** Two digits, zero-padded: "07". */
  expiryMonth: string;
  /** Four digits: "2030". The card is valid through the last day of its expiry month (UTC). */
  expiryYear: string;
  /** As many digits as the brand prints: 4 for American Express, else 3. Never stored. */
  cvv?: string | null;
}

/** `paymentMethod` of a charge or authorize of a card in clear. */
export interface CreditCardPaymentMethod extends VaultCreditCard {
  /** The merchant account (MID) to charge through. */
  merchantAccountReferenceId?: string | null;
  /** Not with a card in clear: a card stored at the gateway is a `GatewayPaymentMethod`. */
  gatewayPaymentMethodId?: never;
}

/**
 * A card stored at your gateway, named by the gateway's own token: `paymentMethod` of a
 * charge or authorize, and `gatewayPaymentMethod` of the vault's create call.
 */
export interface GatewayPaymentMethod extends CardHolder {
  /** The gateway's token for the card (50138 when invalid, 50149 when of another gateway). */
  gatewayPaymentMethodId: string;
  /** The merchant account (MID) the card is stored under. */
  merchantAccountReferenceId?: string | null;
  /** The card's first six digits. */
  firstSixDigits?: string | null;
  /** The card's last four digits. */
  lastFourDigits?: string | null;
  /** Two digits, zero-padded: "07"; sent with `expiryYear`, or neither. */
  expiryMonth?: string | null;
  /** Four digits: "2030"; sent with `expiryMonth`, or neither. */
  expiryYear?: string | null;
  /** Not with a card at the gateway: a card in clear is a `CreditCardPaymentMethod`. */
  creditCardNumber?: never;
}

/** `gatewayPaymentMethod` of the vault's create call. */
export type VaultGatewayPaymentMethod = GatewayPaymentMethod;

/**
 * What every charge and authorize has, whichever way it names the card: the `transaction` of
 * `POST /v1/gateways/charge` and `POST /v1/gateways/authorize`.
 */
export interface ChargeFields {
  /**
   * Your id of this request, unique: a new one for every attempt, retry, capture, void and
   * refund (50129 when reused).
   */
  merchantTransactionId: string;
  /** Your order's id, the same on every attempt of one payment. */
  orderId: string;
  description?: string | null;
  /** Your customer's id. Send it, or the card's `email` (50048); a vaulted card has its customer. */
  customerId?: string | null;
  /** ISO 4217 alpha-3, upper case: "USD". */
  currencyCode: string;
  /**
   * An integer in the minor unit of `currencyCode`: 2999 is USD 29.99, 500 is JPY 500. Above
   * 0, at most 2^53 - 1; a fraction (29.99) is refused (50137).
   */
  amount: number;
  /** The customer's IPv4 or IPv6 address. */
  customerIp?: string | null;
  shippingAddress?: ShippingAddressInput | null;
  /** The token of the FlexPay gateway to send the payment to (the portal's "Gateway Token"). */
  gatewayToken?: string | null;
  /**
   * @deprecated The name FlexPay's body definition gave `gatewayToken`: accepted with a
   * warning and read as `gatewayToken`. Send `gatewayToken`.
   */
  assignedGatewayToken?: string | null;
  paymentPlan?: PaymentPlan | null;
  /**
   * Which attempt of this payment this is, a whole number: 1 is the first attempt sent to
   * FlexPay after your own gateway's decline; 0 when FlexPay makes the payment's very first
   * attempt instead of your gateway (then 1 is its second); one more for every later attempt. A new payment,
   * or the next after an approval or a hard decline, starts again. From 2 on, the attempt
   * needs the previous answer's `referenceData`.
   */
  retryCount: number;
  /**
   * When the payment was first attempted (the original decline): ISO 8601 in UTC,
   * "2026-11-20T09:30:00Z". Another offset is refused, no zone is read as UTC with a warning,
   * and a time in the future is refused.
   */
  dateFirstAttempt?: string | null;
  /** `true` keeps this payment out of Engaged (customer-facing) Recovery. */
  disableCustomerRecovery?: boolean | null;
  /**
   * The opaque value of FlexPay's previous answer for this payment, sent back unchanged on the
   * next attempt: null or left out on the first (`retryCount` 0 or 1), required from
   * `retryCount` 2 (50132 when lost or altered). Sent with `retryCount` 0 it is a warning: it
   * belongs to an earlier chain.
   */
  referenceData?: string | null;
  /** Free text of your own, echoed in answers. */
  customVariable1?: string | null;
  /** Free text of your own, echoed in answers. */
  customVariable2?: string | null;
  /** Free text of your own, echoed in answers. */
  customVariable3?: string | null;
  /** Free text of your own, echoed in answers. */
  customVariable4?: string | null;
  /** Free text of your own, echoed in answers. */
  customVariable5?: string | null;
  /** How the customer pays: once, by subscription, or in instalments. */
  paymentModel?: PaymentModel | null;
  References?: References | null;
  /**
   * A card in clear only: `true` keeps it in the FlexPay vault after an approval (its
   * `storageState` becomes "Stored", and its `paymentMethodId` charges it again); `false` or
   * left out, "Cached". Ignored for the other two variants.
   */
  retainOnSuccess?: boolean | null;
}

/** A charge or authorize of a card in clear. */
export interface CardCharge extends ChargeFields {
  paymentMethod: CreditCardPaymentMethod;
  /** Not with `paymentMethod`. */
  paymentMethodId?: null;
}

/** A charge or authorize of a card in the FlexPay vault. */
export interface VaultedCharge extends ChargeFields {
  /**
   * The vault's id of the card: the `paymentMethod.paymentMethodId` of the answer that stored
   * it (a charge with `retainOnSuccess`, or `createPaymentMethod`). Unknown or redacted: 50136
   * on a charge, 50134 on an authorize.
   */
  paymentMethodId: string;
  /** Not with `paymentMethodId`. */
  paymentMethod?: null;
}

/** A charge or authorize of a card stored at your gateway. */
export interface GatewayCharge extends ChargeFields {
  paymentMethod: GatewayPaymentMethod;
  /** Not with `paymentMethod`. */
  paymentMethodId?: null;
}

/** The `transaction` of a charge or authorize, in one of its three payment-method variants. */
export type ChargeTransaction = CardCharge | VaultedCharge | GatewayCharge;

/** The body of `POST /v1/gateways/charge`. */
export interface ChargeRequest {
  transaction: ChargeTransaction;
}

/** The body of `POST /v1/gateways/authorize`: a charge's, only the path differs. */
export type AuthorizeRequest = ChargeRequest;

/** The `transaction` of a capture. */
export interface CaptureTransaction {
  /** A new id of your own for this request (not the authorization's). */
  merchantTransactionId: string;
  /**
   * The amount to capture, an integer in the minor unit of the authorization's currency, at
   * most what was authorized; left out, all of it.
   */
  amount?: number | null;
  /** `true` keeps this payment out of Engaged (customer-facing) Recovery. */
  disableCustomerRecovery?: boolean | null;
}

/** The body of `POST /v1/transactions/{transactionId}/capture`, `transactionId` the authorization's. */
export interface CaptureRequest {
  transaction: CaptureTransaction;
}

/** The `transaction` of a void. */
export interface VoidTransaction {
  /** A new id of your own for this request. */
  merchantTransactionId: string;
  /** `true` keeps this payment out of Engaged (customer-facing) Recovery. */
  disableCustomerRecovery?: boolean | null;
}

/** The body of `POST /v1/transactions/{transactionId}/void`. */
export interface VoidRequest {
  transaction: VoidTransaction;
}

/** The `transaction` of a refund. */
export interface RefundTransaction {
  /** A new id of your own for this request. */
  merchantTransactionId: string;
  /**
   * The amount to refund, an integer in the minor unit of the original transaction's
   * currency, at most what is left of it; left out, all of it.
   */
  amount?: number | null;
  /** `true` keeps this payment out of Engaged (customer-facing) Recovery. */
  disableCustomerRecovery?: boolean | null;
}

/** The body of `POST /v1/transactions/{transactionId}/refund`, `transactionId` the charge's or capture's. */
export interface RefundRequest {
  transaction: RefundTransaction;
}

/** The `transaction` of a refunded-payment notice. */
export interface RefundedPaymentTransaction {
  /** A new id of your own for this request. */
  merchantTransactionId: string;
  /**
   * The amount you refunded outside FlexPay, an integer in the minor unit of the original
   * transaction's currency; left out, all of it.
   */
  amount?: number | null;
  /** `true` keeps this payment out of Engaged (customer-facing) Recovery. */
  disableCustomerRecovery?: boolean | null;
}

/**
 * The body of `POST /v1/transactions/{transactionId}/refundedpayment`: tells FlexPay that a
 * payment it recovered was refunded elsewhere, which also stops its recovery.
 */
export interface RefundedPaymentRequest {
  transaction: RefundedPaymentTransaction;
}

/**
 * The `paymentMethod` of the vault's create call: exactly one of `creditCard` and
 * `gatewayPaymentMethod`.
 */
export type PaymentMethodToVault =
  | {
      /** Your customer's id; left out, FlexPay makes one. */
      customerId?: string | null;
      creditCard: VaultCreditCard;
      /** Not with `creditCard`. */
      gatewayPaymentMethod?: null;
    }
  | {
      /** Your customer's id: required, a gateway's token means nothing without its customer. */
      customerId: string;
      gatewayPaymentMethod: VaultGatewayPaymentMethod;
      /** Not with `gatewayPaymentMethod`. */
      creditCard?: null;
    };

/** The body of `createPaymentMethod` (`POST /v1/paymentmethods`). */
export interface CreatePaymentMethodRequest {
  paymentMethod: PaymentMethodToVault;
}

/** The card holder and billing address of a vaulted payment method, each field editable. */
export interface VaultHolder {
  firstName?: string | null;
  lastName?: string | null;
  fullName?: string | null;
  address1?: string | null;
  address2?: string | null;
  postalCode?: string | null;
  city?: string | null;
  state?: string | null;
  /** Two upper-case letters, ISO 3166-1 alpha-2: "US". */
  country?: string | null;
  email?: string | null;
  phoneNumber?: string | null;
}

/**
 * The `paymentMethod` of a vault update: the fields to change, at least one with a value (an
 * empty string counts as not sent, one of only spaces is refused).
 */
export interface PaymentMethodUpdate extends VaultHolder {
  /** Two digits, zero-padded: "07". */
  expiryMonth?: string | null;
  /** Four digits: "2030". */
  expiryYear?: string | null;
}

/** The body of `updatePaymentMethod` (`PUT /v1/paymentmethods/{id}`). */
export interface UpdatePaymentMethodRequest {
  paymentMethod: PaymentMethodUpdate;
}

/** The body of `recachePaymentMethod` (`PUT /v1/paymentmethods/{id}/recache`). */
export interface RecachePaymentMethodRequest {
  paymentMethod: {
    creditCard: {
      /** The card's CVV, for its next payment: as many digits as the brand prints. Never stored. */
      cvv: string;
    };
  };
}

/** The query of `GET /v1/transactions`, parameter names as keys; every parameter is optional. */
export interface ListTransactionsQuery {
  /** Oldest first (FlexPay's default) or newest first. */
  order?: "asc" | "desc" | null;
  /** Page size, a whole number from 1 to 100: 20 when left out; another is refused, never clamped. */
  count?: number | null;
  /** The `transactionId` of the last item of the previous page. */
  sinceTransactionId?: string | null;
  /**
   * @deprecated The name one client library used for `sinceTransactionId`: accepted with a
   * warning. Send `sinceTransactionId`.
   */
  sinceToken?: string | null;
  /** A date, "2023-11-8" or "2023-11-08", on the first call of a time frame. */
  startDate?: string | null;
  /** The compact item shape. */
  responseType?: "simplified" | null;
}

/** Which kinds of card of one brand a gateway accepts. */
export interface CardAcceptance {
  acceptCreditCard?: boolean | null;
  acceptPrepaidCard?: boolean | null;
  acceptDebitCard?: boolean | null;
}

/** `acceptedCards` of a gateway, by brand. */
export interface AcceptedCards {
  visa?: CardAcceptance | null;
  masterCard?: CardAcceptance | null;
  amex?: CardAcceptance | null;
  discover?: CardAcceptance | null;
  dinersClub?: CardAcceptance | null;
  jcb?: CardAcceptance | null;
  maestro?: CardAcceptance | null;
}

/** `status` of a gateway: the portal's "Enabled", "Disabled" and "Refund Only". */
export type GatewayStatus = "Available" | "Disabled" | "RefundOnly";

/** A gateway as FlexPay's Gateway Management API takes it. */
export interface Gateway {
  /** The gateway token (the portal's "Gateway Token"); left out when creating. */
  id?: string | null;
  /** Set when creating; FlexPay takes no new name. */
  name: string;
  /** The merchant account (MID). */
  merchantAccountReferenceId?: string | null;
  /**
   * The gateway type's code, case-sensitive: "stripe", "braintree", "flexpay_sandbox", ... A
   * code flexkit does not know is a warning (FlexPay adds gateways).
   */
  gatewayType: string;
  /** The merchant account's currency, ISO 4217 alpha-3: "USD". */
  currencyCode: string;
  status: GatewayStatus;
  /** ISO 4217 alpha-3 codes. */
  acceptedCurrencyCodes?: string[] | null;
  acceptedCards?: AcceptedCards | null;
  /** The gateway's share of routed traffic (the portal's "Distribution"; 1 by default). */
  weight?: number | null;
  /** Whether FlexPay may send retries to this gateway. */
  acceptRetries?: boolean | null;
  /** Whether charges through this gateway need a CVV. */
  cvvRequired?: boolean | null;
  /** The fee on approved charges and captures, in percent: 2.9 for 2.9 %. */
  approvedChargeOrCaptureRateFee?: number | null;
  /** The flat fee on approved charges and captures, an integer in the minor unit of `currencyCode`. */
  approvedChargeOrCaptureFlatFee?: number | null;
  /** The flat fee on other transactions, an integer in the minor unit of `currencyCode`. */
  otherTransactionFlatFee?: number | null;
  /** The gateway type's own connection settings (credentials among them); not checked. */
  settings?: { [key: string]: JsonValue } | null;
}

/** A FlexPay environment: each API key belongs to one. */
export type FlexPayEnvironment = "Sandbox" | "Production";

/** A company of a FlexPay account. */
export interface Company {
  name: string;
  /** Letters and digits: it also starts batch file names. */
  code: string;
}

/** A request for an API key of a company in one environment. */
export interface ApiKeyRequest {
  name: string;
  /** The company's code. */
  company: string;
  mode: FlexPayEnvironment;
}

/** A FlexPay Retries (auto-retry) configuration. */
export interface AutoRetryConfig {
  name: string;
  /** The company's code. */
  company: string;
  environment: FlexPayEnvironment;
  status: "Enabled" | "Disabled";
}

/** The request type of each `RequestKind`: what `validate(kind, request)` expects. */
export interface FlexPayRequests {
  charge: ChargeRequest;
  authorize: AuthorizeRequest;
  capture: CaptureRequest;
  void: VoidRequest;
  refund: RefundRequest;
  refundedPayment: RefundedPaymentRequest;
  createPaymentMethod: CreatePaymentMethodRequest;
  listQuery: ListTransactionsQuery;
  gateway: Gateway;
  company: Company;
  apiKeyRequest: ApiKeyRequest;
  autoRetryConfig: AutoRetryConfig;
  updatePaymentMethod: UpdatePaymentMethodRequest;
  recachePaymentMethod: RecachePaymentMethodRequest;
}
"#;

#[wasm_bindgen(typescript_custom_section)]
const REQUEST_TYPES: &'static str = REQUEST_TYPES_TS;

#[cfg(test)]
mod tests;
