// Compiled with `tsc --strict` against the installed package: the shipped .d.ts must describe
// the API precisely enough for this to type-check, and must reject the misuse below.
import { checkCardNumber, detectBrand, cardBrandInfo, init, version } from "flexkit";
import type { CardBrand, CardNumberCheck, CardBrandInfo } from "flexkit";

async function main(): Promise<void> {
  await init();
  const check: CardNumberCheck = checkCardNumber("4920201996449560");
  const brand: CardBrand | null = check.brand;
  const valid: boolean = check.isValid && check.isPotentiallyValid && check.luhnValid;
  const count: number = check.digitCount;
  const digits: string = check.digits;
  const first: CardBrand | undefined = check.candidates[0];
  const detected: CardBrand | null = detectBrand("34");
  const info: CardBrandInfo | null = cardBrandInfo("visa");
  const cvv: number | undefined = info?.cvvLength;
  const v: string = version();
  console.log(brand, valid, count, digits, first, detected, cvv, v);

  // @ts-expect-error a number is not a card number string
  checkCardNumber(4920201996449560);
  // @ts-expect-error not a brand
  cardBrandInfo("visa card");
  // @ts-expect-error brand is nullable
  const notNull: CardBrand = check.brand;
  console.log(notNull);
}

void main();

import { parseAmount, describeResponseCode, checkExpiry, checkCvv, initSync } from "flexkit";
import type { AmountParse, ResponseCodeDescription, ExpiryCheck, CvvCheck } from "flexkit";
import { RetryChain, Sandbox } from "flexkit/sandbox";
import type { NextAttempt, Transition, ScenarioRun, ScenarioOptions } from "flexkit/sandbox";

export function moneyAndCodes(): void {
  const p: AmountParse = parseAmount("1.00", "USD");
  if (p.ok) {
    const n: number = p.minorUnits;
    console.log(n);
  } else {
    const c: string = p.error.code;
    console.log(c);
  }
  const d: ResponseCodeDescription | null = describeResponseCode(20023);
  const e: ExpiryCheck = checkExpiry("12", "2030", new Date());
  // `now` defaults to the current time, and the brand to none.
  const later: ExpiryCheck = checkExpiry("12", "2030");
  const cvv: CvvCheck = checkCvv("123");
  const amex: CvvCheck = checkCvv("1234", "americanExpress");
  // @ts-expect-error the year is needed
  checkExpiry("12");
  // @ts-expect-error not an instant
  checkExpiry("12", "2030", true);
  // The advisory of a year far ahead, as the validators word their warnings.
  const advisory: string | undefined = e.warnings[0]?.message;
  console.log(d?.category, e.isValid, later.expired, cvv.expectedLength, amex.isValid, advisory);
}

import type { FlexkitError, InitInput, WasmBytes } from "flexkit";
import type { SandboxApiError, FlexkitError as SandboxFlexkitError } from "flexkit/sandbox";
import type { FlexitiError, FlexkitError as FlexitiFlexkitError, InvalidCredentialsError } from "flexkit/flexiti";

export function codedErrors(error: unknown): string {
  if (error instanceof Error && "code" in error) {
    const coded = error as FlexkitError;
    const same: SandboxFlexkitError & FlexitiFlexkitError = coded;
    return same.code;
  }
  const refused = error as SandboxApiError;
  const status: number = refused.status;
  const flexiti = error as FlexitiError;
  const flags: [true, boolean] = [flexiti.flexiti, flexiti.known];
  const body: string = flexiti.body;
  const fields: string[] = flexiti.fieldErrors.map((f) => `${f.param}: ${f.msg} (${f.value ?? "no value"})`);
  const parsed: FlexitiApiError = parseError(flexiti.status, flexiti.body);
  // @ts-expect-error misuse carries no HTTP status
  const none: number = (error as FlexkitError).status;
  const credentials = error as InvalidCredentialsError;
  const wrong: string[] = credentials.errors.map((p) => `${p.path} ${p.code}: ${p.message}`);
  const coded: FlexitiFlexkitError = credentials;
  console.log(wrong, coded.code === "invalid_credentials");
  return `${status} ${flags.join()} ${body} ${fields.join()} ${flexiti.description} ${parsed.code} ${none}`;
}

export async function initInputs(bytes: Uint8Array, buffer: ArrayBuffer, url: URL): Promise<void> {
  const inputs: InitInput[] = [bytes, buffer, url, "/flexkit/web/flexkit_wasm_bg.wasm", new Response(buffer)];
  const raw: WasmBytes[] = [bytes, buffer, new DataView(buffer)];
  await init(inputs[0]);
  initSync(raw[0]);
  // @ts-expect-error not a module source
  await init(42);
}

export function sandboxTypes(): void {
  const declined = new Date();
  const chain = RetryChain.afterGatewayDecline("inv", declined, {
    policy: { maxRetries: 3 },
    // A Date, as every other instant of the API takes.
    firstAttemptDueAt: new Date(declined.getTime() + 86_400_000),
  });
  const next: NextAttempt = chain.nextAttempt(Date.now());
  if (next.ok) {
    console.log(next.attempt.retryCount);
  } else if (next.notReady.code === "not_yet") {
    const at: string = next.notReady.allowedAt;
    console.log(at);
  }
  const t: Transition = chain.recordResponse({ responseCode: "10000" }, new Date());
  console.log(t.next.action);
  const sandbox = new Sandbox(1);
  const key: string = sandbox.generateApiKey("k", { now: "2026-01-01T00:00:00Z" }).key;
  const run: ScenarioRun = sandbox.runAllScenarios(key, new Date());
  console.log(run.appendixA.csv);
  const options: ScenarioOptions = { currencies: ["EUR", "JPY"] as const };
  const twoCurrencies: ScenarioRun = sandbox.runScenario(1, key, new Date(), options);
  console.log(twoCurrencies.passed);
  // @ts-expect-error the currencies are a list of codes
  sandbox.runAllScenarios(key, new Date(), { currencies: "EUR" });
  // @ts-expect-error RetryChain has no public constructor
  new RetryChain();
  chain.free();
}

import { validateCharge, validateChargeJson, validateBatch, validateJson, validateUpdatePaymentMethod, validateRecachePaymentMethodJson } from "flexkit";
import type { ValidationResult } from "flexkit";

export function validation(): void {
  const r: ValidationResult = validateCharge({ transaction: {} }, { now: new Date(), environment: "sandbox" });
  const first: string | undefined = r.errors[0]?.code;
  const j: boolean = validateChargeJson("{}").ok;
  const b: ValidationResult[] = validateBatch("capture", [{}]);
  const u: ValidationResult = validateUpdatePaymentMethod({ paymentMethod: { city: "Portland" } });
  const c: ValidationResult[] = validateBatch("recachePaymentMethod", [{ paymentMethod: { creditCard: { cvv: "123" } } }]);
  const rc: boolean = validateRecachePaymentMethodJson("{}").ok;
  console.log(u, c, rc);
  // @ts-expect-error not a request kind
  validateBatch("nope", []);
  console.log(first, j, b);
}

import type { ValidationProblem } from "flexkit";

// `ValidationResult` is a union on `ok`: once `!r.ok`, `r.errors` has at least one problem, so
// `r.errors[0]` needs no `!` (these projects set `noUncheckedIndexedAccess`); when `ok` is true
// it has none. Each `@ts-expect-error` fails tsc when the error below it disappears.
export function validationResultNarrowsOnOk(): void {
  const r = validateCharge({ transaction: {} });
  if (!r.ok) {
    const code: string = r.errors[0].code;
    const problem: ValidationProblem = r.errors[0];
    const rest: ValidationProblem[] = r.errors.slice(1);
    console.log(code, problem.path, rest.length);
  } else {
    const none: [] = r.errors;
    const warned: ValidationProblem[] = r.warnings;
    console.log(none, warned);
    // @ts-expect-error an accepted request has no errors to read
    console.log(r.errors[0].code);
  }
  // @ts-expect-error before `ok` is checked the errors may be empty
  console.log(r.errors[0].code);
  // What worked before still compiles: optional reads, array methods, destructuring.
  const maybe: string | undefined = r.errors[0]?.code;
  const codes: string[] = r.errors.map((p) => p.code);
  const { ok, errors } = validateChargeJson("{}");
  if (!ok) console.log(errors[0].message);
  for (const item of validateBatch("capture", [{}, {}])) {
    if (!item.ok) console.log(item.errors[0].path);
  }
  const j = validateJson("void", "{}");
  const firstOrNone: ValidationProblem | null = j.ok ? null : j.errors[0];
  console.log(maybe, codes, firstOrNone);
  // @ts-expect-error ok with errors is not a ValidationResult
  const lying: ValidationResult = { ok: true, errors: [{ path: "", code: "required", message: "m" }], warnings: [] };
  // @ts-expect-error refused without any error is not one either
  const empty: ValidationResult = { ok: false, errors: [], warnings: [] };
  // @ts-expect-error ok is true or false, not any boolean: build results by their branch
  const loose: ValidationResult = { ok: r.errors.length === 0, errors: r.errors, warnings: [] };
  console.log(lying, empty, loose);
}

import {
  FlexitiSandbox, tokenRequest, accessToken, tokenNeedsRefresh, validateAuthorization, prepare,
  parseError, checkRules, endpointUrl,
} from "flexkit/flexiti";
import type {
  AccessToken, AuthorizationRequest, FlexitiValidation, HttpRequest, PrepareResult,
  AuthorizationAnswer, FlexitiApiError, RulesResult, CallSetup, EndpointRef, EndpointOf, PathlessCallKind,
  CustomerLookupQuery, TransactionRequest, ReturnRequest,
} from "flexkit/flexiti";

export function flexiti(): void {
  const http: HttpRequest = tokenRequest({ clientId: "flexitidemo", clientSecret: "s" }, "TRAINING", { scope: "merchant" });
  const body: string | null = http.body;
  const sandbox = new FlexitiSandbox(1);
  const token: AccessToken = accessToken(sandbox.token(body ?? "", new Date()), "TRAINING", new Date());
  const due: boolean = tokenNeedsRefresh(token, Date.now());
  const purchase: AuthorizationRequest = {
    account_number: 10000000000001, amount: "100.00", auto_capture: false,
    financing_option: { transaction_type: "promotional_purchase", plan_id: "EMP-EQUAL", term: 12 },
  };
  const v: FlexitiValidation = validateAuthorization(purchase);
  const auth: AuthorizationAnswer = sandbox.authorize(purchase, { token, now: new Date() });
  const id: string = auth.authorization_id;
  const capture = sandbox.capture(id, { amount: "100.00" }, { token: token.accessToken, now: Date.now() });
  const remaining: string = capture.remaining_authorization_amount;
  const ready: PrepareResult = prepare({ kind: "return", authorizationId: id, captureId: capture.capture_id }, { full_return: true },
    { environment: "TRAINING", clientId: "flexitidemo", token, now: new Date() });
  if (ready.ok) {
    const url: string = ready.request.url;
    console.log(url);
  } else if (ready.code === "token_refresh_due") {
    const refreshAt: string = ready.refreshAt;
    console.log(refreshAt);
  }
  for (const found of sandbox.search({ first_name: "Test", last_name: "Goodstanding", dob: "1980-01-15" }, { token, now: new Date() })) {
    const opened: [string, number, string, string] = [found.risk_rating, found.originating_merchant_id, found.originating_merchant_name, found.creation_date];
    console.log(opened);
  }
  const rules: RulesResult = checkRules("capture", { amount: "1.00" }, { open: true, remaining: "5.00" });
  flexitiResultsNarrowOnOk(v, rules, ready);
  const error: FlexitiApiError = parseError(409, { error: "wrong_input" });
  const flexitiFetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response> = sandbox.createFetch({ now: () => Date.now() });
  void flexitiFetch("https://posapi-training.flexiti.fi/flexiti/pos-api/v2.5/oauth/token", { method: "POST", body: http.body ?? "" });
  console.log(due, v.ok, remaining, rules.ok, error.code, sandbox.toJSON());
  // @ts-expect-error the return endpoint needs a captureId
  prepare({ kind: "return", authorizationId: id }, { full_return: true }, { environment: "TRAINING", clientId: "c", token, now: 0 });
  endpointTypes(token, id);
  // @ts-expect-error not an environment
  tokenRequest({ clientId: "a", clientSecret: "b" }, "STAGING");
  // @ts-expect-error a capture needs an amount
  sandbox.capture(id, {}, { token, now: 0 });
  sandbox.free();
}

// `FlexitiValidation`, `RulesResult` and `prepare`'s refusal of an invalid request are unions
// on `ok`, as `ValidationResult` is: refused means a first error, accepted means none.
function flexitiResultsNarrowOnOk(v: FlexitiValidation, rules: RulesResult, ready: PrepareResult): void {
  if (!v.ok) {
    const code: string = v.errors[0].code;
    console.log(code);
  } else {
    const none: [] = v.errors;
    const warned: string[] = v.warnings.map((w) => w.path);
    console.log(none, warned);
  }
  if (!rules.ok) {
    const first = rules.errors[0];
    const flexitiCode: string | undefined = "flexitiCode" in first ? first.flexitiCode : undefined;
    console.log(first.path, flexitiCode);
  } else {
    const none: [] = rules.errors;
    console.log(none);
  }
  if (!ready.ok && ready.code === "invalid_request") {
    const path: string = ready.errors[0].path;
    console.log(path);
  }
  // @ts-expect-error ok with errors is not a FlexitiValidation
  const lying: FlexitiValidation = { ok: true, errors: [{ path: "amount", code: "required", message: "m" }], warnings: [] };
  // @ts-expect-error refused without any error is not a RulesResult
  const empty: RulesResult = { ok: false, errors: [], warnings: [] };
  // @ts-expect-error without narrowing, the first error may be missing
  const unchecked: string = v.errors[0].code;
  console.log(lying, empty, unchecked);
}

// Every endpoint kind with path ids takes its object form, with exactly those ids; the kinds
// without take their object form or the kind alone. (Which ids each kind needs is checked
// against the runtime by typed-api.test.mjs.)
function endpointTypes(token: AccessToken, id: string): void {
  const setup: CallSetup = { environment: "TRAINING", clientId: "c", token, now: 0 };
  const results: PrepareResult[] = [
    prepare({ kind: "capture", authorizationId: id }, { amount: "600.00" }, setup),
    prepare({ kind: "release", authorizationId: id }, {}, setup),
    prepare({ kind: "authorizationDetail", authorizationId: id, issuedIn: "TRAINING" }, { lang: "fr" }, setup),
    prepare({ kind: "return", authorizationId: id, captureId: 4711 }, { full_return: true }, setup),
    prepare({ kind: "refund", accountNumber: 10000000000001 }, { amount: "5.00" }, setup),
    prepare({ kind: "accountVerify", accountNumber: "10000000000001" }, { request_id: "r", format: "sms" }, setup),
    prepare({ kind: "calculateInterest", accountNumber: 10000000000001 }, { amount: "100.00" }, setup),
    prepare("customerLookup", { account_number: 10000000000001 }, setup),
    prepare({ kind: "customerLookup" }, { customer_id: "c-1" }, setup),
    prepare("authorizationList", {}, setup),
  ];
  const endpoint: EndpointRef = { kind: "release", authorizationId: id };
  const capture: EndpointOf<"capture"> = { kind: "capture", authorizationId: id };
  const url: string = endpointUrl(endpoint, "TRAINING", "c") + endpointUrl("captureList", "TRAINING", "c");
  const pathless: PathlessCallKind[] = ["authorization", "transaction", "customerSearch", "customerLookup", "authorizationList", "captureList"];
  console.log(results, capture, url, pathless);

  // @ts-expect-error a capture's path needs the authorization id
  prepare({ kind: "capture" }, { amount: "600.00" }, setup);
  // @ts-expect-error nor can the kind alone name it
  prepare("capture", { amount: "600.00" }, setup);
  // @ts-expect-error a release's path needs the authorization id
  prepare({ kind: "release" }, {}, setup);
  // @ts-expect-error the detail's path needs the authorization id
  prepare("authorizationDetail", {}, setup);
  // @ts-expect-error a refund names the account, not an authorization
  prepare({ kind: "refund", authorizationId: id }, { amount: "5.00" }, setup);
  // @ts-expect-error the verify call's path needs the account number
  prepare({ kind: "accountVerify" }, { request_id: "r", format: "sms" }, setup);
  // @ts-expect-error calculate-interest's path needs the account number
  prepare("calculateInterest", { amount: "100.00" }, setup);
  // @ts-expect-error an authorization's path takes no id
  prepare({ kind: "authorization", authorizationId: id }, { account_number: 1, amount: "1.00", auto_capture: true, financing_option: { transaction_type: "regular_purchase" } }, setup);
  // @ts-expect-error the request must be the endpoint's: a capture has an amount, not full_return
  prepare({ kind: "capture", authorizationId: id }, { full_return: true }, setup);
  // @ts-expect-error not an environment
  prepare({ kind: "capture", authorizationId: id, issuedIn: "STAGING" }, { amount: "1.00" }, setup);
  // @ts-expect-error skuData is a request type, not a call
  prepare("skuData", {}, setup);
  // @ts-expect-error endpointUrl too needs the path's ids
  endpointUrl({ kind: "return", authorizationId: id }, "TRAINING", "c");
  // @ts-expect-error ... and takes only a pathless call by its kind alone
  endpointUrl("refund", "TRAINING", "c");
  exclusiveRequests(setup);
}

// The request types are as exclusive as the runtime: one account key, never two (the runtime
// answers `conflict`), and a partial return with its amount (the runtime answers `required`).
function exclusiveRequests(setup: CallSetup): void {
  const byAccount: CustomerLookupQuery = { account_number: 10000000000001, lang: "fr" };
  const byCard: CustomerLookupQuery = { vcc_number: "6011000000000001" };
  const byCustomer: CustomerLookupQuery = { customer_id: "1234567-12345" };
  const deposit: TransactionRequest = { account_number: 1, transaction_type: "deposit", amount: "1.00", verification_code: 2222 };
  const payment: TransactionRequest = { vcc_number: "6011000000000001", transaction_type: "instore_payment", amount: "1.00", verification_code: "2222" };
  const full: ReturnRequest = { full_return: true };
  const fullWithAmount: ReturnRequest = { full_return: true, amount: "5.00", reference: "r" };
  const partial: ReturnRequest = { full_return: false, amount: "5.00" };
  const flag = Math.random() > 0.5;
  const either: ReturnRequest = { full_return: flag, amount: "5.00" };
  console.log(byAccount, byCard, byCustomer, deposit, payment, full, fullWithAmount, partial, either);
  prepare("customerLookup", { vcc_number: "6011000000000001" }, setup);
  prepare({ kind: "return", authorizationId: "1", captureId: 1 }, { full_return: false, amount: "1.00" }, setup);

  // @ts-expect-error two account keys: the runtime refuses them as a conflict
  const twoKeys: CustomerLookupQuery = { account_number: 1, vcc_number: "6011000000000001" };
  // @ts-expect-error all three keys
  const threeKeys: CustomerLookupQuery = { account_number: 1, vcc_number: "6011000000000001", customer_id: "c" };
  // @ts-expect-error a transaction with two account keys
  const twoKeysPaid: TransactionRequest = { account_number: 1, customer_id: "c", transaction_type: "deposit", amount: "1", verification_code: 1 };
  // @ts-expect-error no account key at all
  const noKey: CustomerLookupQuery = { lang: "en" };
  // @ts-expect-error a partial return needs its amount
  const partialWithout: ReturnRequest = { full_return: false };
  // @ts-expect-error full_return is required
  const neither: ReturnRequest = { amount: "5.00" };
  // @ts-expect-error through prepare too
  prepare("customerLookup", { account_number: 1, vcc_number: "6011000000000001" }, setup);
  // @ts-expect-error through prepare too
  prepare({ kind: "return", authorizationId: "1", captureId: 1 }, { full_return: false }, setup);
  console.log(twoKeys, threeKeys, twoKeysPaid, noKey, partialWithout, neither);
}

// ---------------------------------------------------------------------------------------------
// flexkit/sandbox: the shapes of transitions, snapshots, listings and scheduler runs.

import type {
  Decision, ChainState, AttemptRecord, ResponseNote, RetryChainSnapshot, TransactionResponse,
  FullTransactionListItem, SimplifiedTransactionListItem, ScheduledRetryRun, ListTransactionsQuery,
} from "flexkit/sandbox";

function describeDecision(decision: Decision): string {
  switch (decision.kind) {
    case "retryAt":
      return `retry at ${decision.at}`;
    case "unrecoverable":
      return `unrecoverable: ${decision.reason}`;
    case "exhausted":
      return `exhausted: ${decision.limit}`;
    case "recovered":
    case "fixRequest":
    case "riskBlocked":
    case "needsInvestigation":
      return decision.kind;
    default: {
      const unreachable: never = decision;
      return unreachable;
    }
  }
}

function describeState(state: ChainState): string {
  switch (state.status) {
    case "scheduled":
      return state.dueAt;
    case "awaitingResponse":
      return `${state.sentAt} ${state.merchantTransactionId ?? ""}`;
    case "recoveredThenRefunded":
      return state.refunds.map((r) => `${r.transactionId} ${r.amount ?? "full"} ${r.refundedAt}`).join();
    case "exhausted":
      return `${state.limit} ${state.code ?? "no answer"}`;
    case "stopped":
      return state.reason;
    case "recovered":
      return state.transactionId ?? state.at;
    case "unrecoverable":
      return `${state.code} ${state.reason}`;
    case "riskBlocked":
    case "needsInvestigation":
      return state.code;
    default: {
      const unreachable: never = state;
      return unreachable;
    }
  }
}

export function sandboxShapes(): void {
  const chain = RetryChain.afterGatewayDecline("inv", "2026-01-01T00:00:00Z");
  const t = chain.recordResponse({ responseCode: 20023, retryDate: "2026-01-05T00:00:00Z", referenceData: "UkVG" }, Date.now());
  const decision: Decision | null = t.decision;
  if (decision !== null) console.log(describeDecision(decision));
  // @ts-expect-error decision is null for stops and refunds
  console.log(t.decision.kind);
  for (const note of t.notes) {
    const n: ResponseNote = note;
    const at: string = n.retryDate;
    console.log(n.note, at);
  }
  const snapshot: RetryChainSnapshot = chain.snapshot();
  console.log(describeState(snapshot.state));
  const last: AttemptRecord | undefined = snapshot.history[0];
  if (last) {
    const category: "approved" | "softDecline" | "hardDecline" | "risk" | "apiValidation" | "unknown" = last.category;
    console.log(category, describeDecision(last.decision), last.retryDate ?? "no retry date");
  }
  // @ts-expect-error not a stop reason
  chain.stop("bored", Date.now());

  const sandbox = new Sandbox(1);
  const key = sandbox.generateApiKey("k", { now: "2026-01-01T00:00:00Z" }).key;
  const full = sandbox.listTransactions(key, { count: 10, order: "desc" });
  const fullItem: FullTransactionListItem | undefined = full.transactions[0];
  console.log(fullItem?.gateway?.referenceId, fullItem?.transactionStatus === 2);
  // @ts-expect-error a full item has no amount
  console.log(fullItem?.amount);
  const simple = sandbox.listTransactions(key, { responseType: "simplified", startDate: "2026-1-1" });
  const simpleItem: SimplifiedTransactionListItem | undefined = simple.transactions[0];
  const amount: number | null | undefined = simpleItem?.amount;
  console.log(amount, simpleItem?.paymentMethodStorageState, sandbox.listTransactions(key).transactions.length);
  const query: ListTransactionsQuery = {};
  const either = sandbox.listTransactions(key, query);
  console.log(either.transactions.length);
  // @ts-expect-error only "simplified" is a response type
  sandbox.listTransactions(key, { responseType: "full" });

  const runs: ScheduledRetryRun[] = sandbox.runDueRetries(new Date());
  for (const run of runs) {
    const chainId: number = run.chain;
    const response: TransactionResponse = run.response;
    const status: 1 | 2 | 3 = response.transactionStatus;
    console.log(chainId, run.due, status, response.paymentMethod?.lastFourDigits, response.shippingAddress?.city);
    // @ts-expect-error the record has no field of this name
    console.log(response.transactionStatusText);
  }
  chain.free();
  sandbox.free();
}

// flexkit/sandbox: the vault calls.
import type {
  CreatePaymentMethodRequest, UpdatePaymentMethodRequest, PaymentMethodTransaction, PaymentMethodRecord,
  ListPaymentMethodsQuery,
} from "flexkit/sandbox";

export function sandboxVault(): void {
  const sandbox = new Sandbox(1);
  const key = sandbox.generateApiKey("k", { now: "2026-01-01T00:00:00Z" }).key;
  const request: CreatePaymentMethodRequest = {
    paymentMethod: {
      customerId: "cust-1",
      creditCard: {
        creditCardNumber: "4920201996449560", expiryMonth: "12", expiryYear: "2030", fullName: "Ada Lovelace",
        postalCode: "10001", city: "New York", state: "NY",
      },
    },
  };
  const created: PaymentMethodTransaction = sandbox.createPaymentMethod(key, request, new Date()).transaction;
  const id: string | null | undefined = created.paymentMethod?.paymentMethodId;
  const update: UpdatePaymentMethodRequest = { paymentMethod: { city: "Boston", expiryYear: "2031" } };
  sandbox.updatePaymentMethod(key, id ?? "", update, Date.now());
  const method: PaymentMethodRecord = sandbox.getPaymentMethod(key, id ?? "").paymentMethod;
  console.log(method.storageState, created.transactionType, created.responseCode);
  const query: ListPaymentMethodsQuery = { order: "desc", count: 5 };
  const page = sandbox.listPaymentMethods(key, query).paymentMethods;
  console.log(page[0]?.paymentMethod.cardType);
  sandbox.redactPaymentMethod(key, id ?? "", "2026-01-01T00:00:00Z");
  sandbox.recachePaymentMethod(key, id ?? "", { paymentMethod: { creditCard: { cvv: "879" } } }, 0);
  // @ts-expect-error the payment method list takes no responseType
  sandbox.listPaymentMethods(key, { responseType: "simplified" });
  // @ts-expect-error a recache body carries only the CVV
  sandbox.recachePaymentMethod(key, id ?? "", { paymentMethod: { cvv: "879" } }, 0);
  sandbox.free();
}

export async function sandboxFetch(): Promise<void> {
  const sandbox = new Sandbox(1);
  const fetchFromSandbox: (input: string | URL | Request, init?: RequestInit) => Promise<Response> =
    sandbox.createFetch({ now: () => new Date() });
  const response: Response = await fetchFromSandbox("https://api.flexpay.io/api/test");
  // @ts-expect-error now is a function
  sandbox.createFetch({ now: new Date() });
  console.log(response.status);
}

// ---------------------------------------------------------------------------------------------
// FlexPay request bodies: a charge in each of its three payment-method variants and every
// follow-up compile; a body of the wrong shape does not (each `@ts-expect-error` fails tsc
// when the error below it disappears). Validators still take any value.

import { validate, validateCapture } from "flexkit";
import type {
  ChargeRequest, AuthorizeRequest, CaptureRequest, VoidRequest, RefundRequest, RefundedPaymentRequest,
  ChargeTransaction, CardCharge, VaultedCharge, GatewayCharge, CreditCardPaymentMethod, GatewayPaymentMethod,
  FlexPayRequests, RequestKind, Gateway, ListTransactionsQuery as ValidatedListQuery,
  CreatePaymentMethodRequest as ValidatedCreateRequest,
} from "flexkit";
import type { ChargeRequest as SandboxChargeRequest, ShippingAddress } from "flexkit/sandbox";

const fields = {
  merchantTransactionId: "m-1", orderId: "order-1", customerId: "cust-1", currencyCode: "USD", amount: 2008,
  retryCount: 1, referenceData: null,
};
const visa: CreditCardPaymentMethod = {
  creditCardNumber: "4920201996449560", expiryMonth: "12", expiryYear: "2030", cvv: "879",
  firstName: "Ada", lastName: "Lovelace", postalCode: "10001", city: "New York", state: "NY", country: "US",
};
const atGateway: GatewayPaymentMethod = {
  gatewayPaymentMethodId: "tok_1", fullName: "Ada Lovelace", postalCode: "10001", city: "New York", state: "NY",
  lastFourDigits: "9560", expiryMonth: "12", expiryYear: "2030",
};

/** What a charge names the card by, told apart by its fields. */
function cardOf(transaction: ChargeTransaction): string {
  if (transaction.paymentMethodId != null) return `vault ${transaction.paymentMethodId}`;
  const method = transaction.paymentMethod;
  if (method == null) return "none";
  return "creditCardNumber" in method && method.creditCardNumber !== undefined
    ? `card ${method.expiryMonth}/${method.expiryYear}`
    : `gateway ${method.gatewayPaymentMethodId}`;
}

export function flexpayRequests(key: string, transactionId: string): void {
  const card: ChargeRequest = {
    transaction: {
      merchantTransactionId: "m-1", orderId: "order-1", customerId: "cust-1", currencyCode: "USD", amount: 2008,
      retryCount: 1, referenceData: null, paymentMethod: visa, retainOnSuccess: true,
    },
  };
  const vaulted: ChargeRequest = {
    transaction: { ...fields, retryCount: 2, referenceData: "UkVGMQ==", paymentMethodId: "PM4F2K9Q7XW3ZB8N1TC6VR5YHD" },
  };
  const gateway: AuthorizeRequest = {
    transaction: {
      ...fields, paymentMethod: atGateway, gatewayToken: "GW0000000000000000000000AB", description: null,
      customerIp: "203.0.113.7", dateFirstAttempt: "2026-11-20T09:30:00Z", disableCustomerRecovery: false,
      shippingAddress: { address1: "1 Main St", city: "New York", state: "NY", postalCode: "10001", country: "US" },
      paymentPlan: { sku: "PLAN-1", category: "software", billingPlan: "monthly", billingCycle: 3 },
      paymentModel: "subscription", customVariable1: "crm-42", customVariable5: null,
      References: { PreviousTransaction: { gatewayCode: "05", gatewayMesage: "Do not honor", transactionDate: "2026-11-20T09:30:00Z" } },
    },
  };
  const variants: [CardCharge, VaultedCharge, GatewayCharge] = [
    { ...fields, paymentMethod: visa },
    { ...fields, paymentMethodId: "PM4F2K9Q7XW3ZB8N1TC6VR5YHD", paymentMethod: null },
    { ...fields, paymentMethod: atGateway, paymentMethodId: null },
  ];
  const same: SandboxChargeRequest = card;
  const capture: CaptureRequest = { transaction: { merchantTransactionId: "m-2", amount: 1000 } };
  const voided: VoidRequest = { transaction: { merchantTransactionId: "m-3", disableCustomerRecovery: true } };
  const refund: RefundRequest = { transaction: { merchantTransactionId: "m-4", amount: null } };
  const refunded: RefundedPaymentRequest = { transaction: { merchantTransactionId: "m-5" } };

  const sandbox = new Sandbox(1);
  const approved: TransactionResponse = sandbox.charge(key, card, 0).transaction;
  sandbox.charge(key, vaulted, 0);
  sandbox.authorize(key, gateway, 0);
  sandbox.capture(key, transactionId, capture, 0);
  sandbox.void(key, transactionId, voided, 0);
  sandbox.refund(key, transactionId, refund, 0);
  sandbox.refundedPayment(key, transactionId, refunded, 0);
  console.log(approved.responseCode, variants.map(cardOf), same, cardOf(gateway.transaction));

  // The validators check what comes from outside: any value compiles.
  const untrusted: unknown = JSON.parse("{}");
  const checked: ValidationResult[] = [validateCharge(untrusted), validateCapture({ transaction: { amount: "1.00" } }), validate("void", 42)];
  const byKind: { [K in RequestKind]?: FlexPayRequests[K] } = { charge: card, capture, listQuery: { order: "desc", sinceToken: null } };
  const gatewayObject: Gateway = { name: "Stripe EU", gatewayType: "stripe", currencyCode: "EUR", status: "RefundOnly", settings: { apiKey: "sk_test", retries: [1, 2] } };
  const query: ValidatedListQuery = { count: 50, responseType: "simplified" };
  const store: ValidatedCreateRequest = { paymentMethod: { customerId: "cust-1", gatewayPaymentMethod: atGateway } };
  const shipped: ShippingAddress = { address1: null, address2: null, postalCode: null, city: null, state: null, country: null };
  console.log(checked, byKind, gatewayObject, query, store, shipped);

  // @ts-expect-error amounts are integers of minor units, not decimal strings
  sandbox.charge(key, { transaction: { ...fields, amount: "20.08", paymentMethod: visa } }, 0);
  // @ts-expect-error a misspelt field: FlexPay's is orderId
  sandbox.charge(key, { transaction: { ...fields, orderID: "order-1", paymentMethod: visa } }, 0);
  // @ts-expect-error retryCount is a number
  const retryText: ChargeRequest = { transaction: { ...fields, retryCount: "2", paymentMethodId: "pm-1" } };
  // @ts-expect-error the body goes in its { transaction } envelope
  sandbox.charge(key, { ...fields, paymentMethodId: "pm-1" }, 0);
  // @ts-expect-error a card in clear or a vaulted card, not both
  const both: ChargeRequest = { transaction: { ...fields, paymentMethod: visa, paymentMethodId: "pm-1" } };
  // @ts-expect-error no payment method at all
  const neither: ChargeRequest = { transaction: { ...fields } };
  // @ts-expect-error a card in clear or a card at the gateway, not both
  const mixed: CreditCardPaymentMethod = { ...visa, gatewayPaymentMethodId: "tok_1" };
  // @ts-expect-error a card in clear needs its billing postal code, city and state
  const noAddress: CreditCardPaymentMethod = { creditCardNumber: "4920201996449560", expiryMonth: "12", expiryYear: "2030", fullName: "Ada Lovelace" };
  // @ts-expect-error FlexPay spells it gatewayMesage: gatewayMessage would be dropped
  const spelt: ChargeRequest = { transaction: { ...fields, paymentMethodId: "pm-1", References: { PreviousTransaction: { gatewayMessage: "Do not honor" } } } };
  // @ts-expect-error not a payment model
  const model: ChargeRequest = { transaction: { ...fields, paymentMethodId: "pm-1", paymentModel: "monthly" } };
  // @ts-expect-error a void has no amount
  sandbox.void(key, transactionId, { transaction: { merchantTransactionId: "m-6", amount: 100 } }, 0);
  // @ts-expect-error a capture's amount is in minor units too
  sandbox.capture(key, transactionId, { transaction: { merchantTransactionId: "m-7", amount: "10.00" } }, 0);
  // @ts-expect-error a refund needs its own merchantTransactionId
  sandbox.refund(key, transactionId, { transaction: { amount: 100 } }, 0);
  // @ts-expect-error not a gateway status
  const portalStatus: Gateway = { ...gatewayObject, status: "Enabled" };
  // @ts-expect-error a gateway payment method is stored for a customer
  const orphan: ValidatedCreateRequest = { paymentMethod: { gatewayPaymentMethod: atGateway } };
  console.log(retryText, both, neither, mixed, noAddress, spelt, model, portalStatus, orphan);
  sandbox.free();
}

// ---------------------------------------------------------------------------------------------
// flexkit/sandbox: the account's users and each environment's platform configuration. The
// answers are the validators' `ValidationResult`s, narrowed by `ok`; a wrong call does not
// compile (each `@ts-expect-error` fails tsc when the error below it disappears).

import { accessLevels, accessRights } from "flexkit/sandbox";
import type {
  AccessLevel, AccessRight, AccessLevelInfo, AccessRightInfo, UserListing, NewUser, UserChanges, Invitation,
  UserField, UserProblem, UserProblemCode, AddUserResult, UpdateUserResult, GatewayRouting, RecoveryMinimum,
  PlatformConfig, PlatformConfigInput, PlatformProblem, PlatformProblemCode, SetPlatformConfigResult,
} from "flexkit/sandbox";

export function sandboxUsers(): void {
  const levels: AccessLevelInfo[] = accessLevels();
  const rights: AccessRightInfo[] = accessRights();
  const level: AccessLevel | undefined = levels[0]?.accessLevel;
  const right: AccessRight | undefined = rights[0]?.right;
  const labels: string[] = levels.map((l) => `${l.label}: ${l.summary} (${l.rights.join(", ")})`);
  console.log(level, right, labels);

  const sandbox = new Sandbox(1);
  const users: UserListing[] = sandbox.users();
  const createdAt: string | null | undefined = users[0]?.createdAt;
  const flags: boolean | undefined = users[0] && users[0].enabled && !users[0].locked;
  console.log(createdAt, flags);
  const user: NewUser = {
    name: "Ada", username: "ada@example.com", accessLevel: "accountReader", temporaryPassword: sandbox.suggestTemporaryPassword(),
  };
  const added: AddUserResult = sandbox.addUser(user, new Date());
  const asResult: ValidationResult = added;
  console.log(asResult.ok);
  if (added.ok) {
    const invitation: Invitation = added.invitation;
    console.log(invitation.temporaryPassword, invitation.accessLevel);
  } else {
    for (const problem of added.errors) {
      const p: UserProblem = problem;
      const code: UserProblemCode = p.code;
      const field: UserField = p.path;
      console.log(code, field, p.message);
    }
    // @ts-expect-error a refused user has no invitation
    console.log(added.invitation);
  }
  const changes: UserChanges = { accessLevel: "gatewayAdministrator" };
  const updated: UpdateUserResult = sandbox.updateUser("ada@example.com", changes, Date.now());
  if (updated.ok) console.log(updated.user.name, updated.user.accessLevel);
  const known: boolean = sandbox.checkTemporaryPassword("ada@example.com", user.temporaryPassword);
  const nothing: void = sandbox.setUserEnabled("ada@example.com", false, "2026-01-01T00:00:00Z");
  sandbox.unlockUser("ada@example.com", 0);
  sandbox.deleteUser("ada@example.com", new Date());
  console.log(known, nothing);

  // @ts-expect-error access levels are codes, not the portal's labels
  sandbox.addUser({ ...user, accessLevel: "Account Reader" }, 0);
  // @ts-expect-error a new user needs its temporary password
  sandbox.addUser({ name: "Bo", username: "bo@example.com", accessLevel: "accountReader" }, 0);
  // @ts-expect-error NewUser takes no other key
  sandbox.addUser({ ...user, password: "Secret#12" }, 0);
  // @ts-expect-error adding a user takes its now
  sandbox.addUser(user);
  // @ts-expect-error the username never changes
  sandbox.updateUser("ada@example.com", { username: "ada@example.org" }, 0);
  // @ts-expect-error enabled is a boolean
  sandbox.setUserEnabled("ada@example.com", "false", 0);
  // @ts-expect-error every user action takes its now
  sandbox.deleteUser("ada@example.com");
  // @ts-expect-error the listing has no password
  console.log(users[0]?.temporaryPassword);
  sandbox.free();
}

export function sandboxPlatformConfig(): void {
  const sandbox = new Sandbox(1);
  const config: PlatformConfig = sandbox.platformConfig("production");
  const routing: GatewayRouting = config.gatewayRouting;
  const minimum: RecoveryMinimum | undefined = config.recoveryMinimums[0];
  const amounts: number | undefined = minimum && minimum.initialSale + minimum.rebill;
  const shown: string[] = config.accountCurrencies;
  console.log(routing, amounts, shown);
  const input: PlatformConfigInput = {
    recoveryMinimums: [{ currency: "USD", initialSale: 2500 }, { currency: "EUR", rebill: 1000 }],
    gatewayRouting: "routingEnabled",
  };
  const set: SetPlatformConfigResult = sandbox.setPlatformConfig("sandbox", input);
  const asResult: ValidationResult = set;
  console.log(asResult.ok);
  if (set.ok) {
    console.log(set.config.gatewayRouting);
  } else {
    for (const problem of set.errors) {
      const p: PlatformProblem = problem;
      const code: PlatformProblemCode = p.code;
      console.log(p.path, code);
    }
    // @ts-expect-error a refused configuration answers no config
    console.log(set.config);
  }
  // What platformConfig answers is taken back as it is; every field may be left out.
  sandbox.setPlatformConfig("sandbox", config);
  sandbox.setPlatformConfig("production", {});
  sandbox.setPlatformConfig("production", { accountCurrencies: null });

  // @ts-expect-error environments are "sandbox" and "production"
  sandbox.platformConfig("live");
  // @ts-expect-error the environment is required
  sandbox.platformConfig();
  // @ts-expect-error not one of the routings
  sandbox.setPlatformConfig("sandbox", { gatewayRouting: "sticky" });
  // @ts-expect-error minimums are integer minor units, not text
  sandbox.setPlatformConfig("sandbox", { recoveryMinimums: [{ currency: "USD", rebill: "10.00" }] });
  // @ts-expect-error a minimum names its currency
  sandbox.setPlatformConfig("sandbox", { recoveryMinimums: [{ rebill: 1000 }] });
  // @ts-expect-error the configuration has no field of this name
  sandbox.setPlatformConfig("sandbox", { recoveryMinimum: [] });
  // @ts-expect-error the configuration answered is not a ValidationResult's problem list
  const wrong: PlatformProblem[] = sandbox.platformConfig("sandbox").recoveryMinimums;
  console.log(wrong);
  sandbox.free();
}

import type { TransactionType, StoredRetryChain } from "flexkit/sandbox";

/** The values an open enum names (`OpenEnum` adds any other string). */
type Known<T> = T extends string ? (string extends T ? never : T) : never;

export function transactionTypesAndStoredChains(): void {
  // Every transactionType the sandbox answers is one TransactionType names.
  const every: Record<Known<TransactionType>, true> = {
    Authorize: true, Charge: true, Capture: true, Void: true, Refund: true, RefundedPayment: true,
    UpdatePaymentMethod: true, CreateGatewayPaymentMethod: true, CreateCreditCard: true,
    RedactPaymentMethod: true, RecachePaymentMethod: true,
  };
  const refundedPayment: Known<TransactionType> = "RefundedPayment";
  // A chain goes into a JSON document and comes back as the object JSON.parse gives.
  const chain = RetryChain.afterGatewayDecline("INV-9", "2026-01-01T00:00:00Z");
  const stored: StoredRetryChain = chain.toJSON();
  const version: number = stored.schemaVersion;
  const row: { chain: StoredRetryChain } = JSON.parse(JSON.stringify({ chain }));
  const restored: RetryChain = RetryChain.fromJson(row.chain);
  const fromText: RetryChain = RetryChain.fromJson(chain.toJson());
  // @ts-expect-error an array is not a stored chain
  RetryChain.fromJson([]);
  // @ts-expect-error a stored chain has its schemaVersion
  RetryChain.fromJson({ status: "scheduled" });
  // A payment sent without a merchantTransactionId lists it as null.
  const initial = (item: SimplifiedTransactionListItem): string | null => item.initialMerchantTransactionId;
  console.log(every, refundedPayment, version, restored.status, fromText.status, initial);
}

// Gateway Management on the sandbox: a gateway goes in as `validateGateway` takes it and comes
// back with its token; a status FlexPay does not have does not compile.
import type { SavedGateway, GatewayStatus as SandboxGatewayStatus } from "flexkit/sandbox";

export function sandboxGateways(): void {
  const sandbox = new Sandbox(1);
  const { key } = sandbox.generateApiKey("ci", { now: "2026-05-01T00:00:00Z" });
  const saved: SavedGateway = sandbox.createGateway(key, {
    name: "Stripe EU", gatewayType: "stripe", currencyCode: "EUR", status: "Available", settings: { apiKey: "sk_1" },
  }, "2026-05-01T00:00:00Z");
  const token: string = saved.id;
  const status: SandboxGatewayStatus = sandbox.setGatewayStatus(key, token, "RefundOnly", new Date()).status;
  const all: SavedGateway[] = sandbox.listGateways(key);
  sandbox.updateGateway(key, token, { ...sandbox.getGateway(key, token), weight: 2 }, Date.now());
  // @ts-expect-error the portal's "Enabled" is FlexPay's "Available"
  sandbox.setGatewayStatus(key, token, "Enabled", new Date());
  // @ts-expect-error a gateway has its currencyCode
  sandbox.createGateway(key, { name: "X", gatewayType: "stripe", status: "Available" }, new Date());
  sandbox.deleteGateway(key, token, new Date());
  console.log(status, all.length);
  sandbox.free();
}
