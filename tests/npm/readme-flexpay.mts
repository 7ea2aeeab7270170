// The README's typed FlexPay request ("Typed request bodies" in web/npm/README.md), as it is
// written there: readme-examples.test.mjs checks that the packed README holds the text below
// the marker exactly and runs it without its types; tsc --strict type-checks it (tsconfig.json,
// tsconfig.node.json, tsconfig.ts5.2.json). Change both together.
// ---- README ----
import { validateCharge } from "flexkit";
import type { ChargeRequest } from "flexkit";

// The second FlexPay attempt of a declined payment, on the card the vault holds.
const retry: ChargeRequest = {
  transaction: {
    merchantTransactionId: "mt-2026-000124", // a new one for every attempt
    orderId: "order-98765",
    customerId: "cust-4411",
    currencyCode: "USD",
    amount: 2999,                            // minor units: USD 29.99
    retryCount: 2,
    referenceData: "UkVGMQ==",               // from FlexPay's answer to the first attempt
    paymentMethodId: "PM4F2K9Q7XW3ZB8N1TC6VR5YHD",
  },
};
validateCharge(retry, { now: new Date("2026-11-21T10:00:00Z") }).ok; // true

// `ok` narrows the result: once it is false, `errors` holds at least one problem.
const lost = validateCharge({ transaction: { ...retry.transaction, referenceData: null } });
if (!lost.ok) lost.errors[0].code; // "retry_count_without_reference_data"

// tsc refuses, among others:
//   amount: "29.99"                     Type 'string' is not assignable to type 'number'.
//   orderID: "order-98765"              ... 'orderID' does not exist in type 'VaultedCharge'. Did you mean to write 'orderId'?
//   paymentMethod with paymentMethodId  Types of property 'paymentMethod' are incompatible.
//   no { transaction } envelope         ... 'merchantTransactionId' does not exist in type 'ChargeRequest'.
