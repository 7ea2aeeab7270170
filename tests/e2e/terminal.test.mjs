// The virtual terminal in a real Chromium: live validation by the core at each field, presets,
// and the sandbox's answers (soft decline with retry date, refund, void, capture; a void refused
// because the charge settled, refunded instead), and a payment's page with its follow-ups.
import { test } from "node:test";
import assert from "node:assert/strict";

import { screenshotPath } from "./support/browser.mjs";
import { openPortal, sendFromTerminal } from "./support/portal.mjs";

const { server, browser } = await openPortal();

async function openTerminal(path = "/terminal") {
  const page = await browser.newPage();
  await page.goto(`${server.url}${path}`);
  await page.getByRole("heading", { name: "Virtual terminal", level: 1 }).waitFor();
  return page;
}

/** Sends the form and waits for the new response (its transaction id changes). */
async function send(page, kind) {
  await sendFromTerminal(page, kind);
  return {
    code: await page.getByTestId("response-code").textContent(),
    category: await page.getByTestId("response-category").textContent(),
    status: await page.getByTestId("response-status").textContent(),
    id: await page.getByTestId("response-transaction-id").textContent(),
    retryDate: await page.getByTestId("response-retry-date").textContent(),
  };
}

const amountField = (page) => page.getByRole("textbox", { name: /^Amount/ });

async function visaCharge(page, amount) {
  await page.getByRole("button", { name: /^Visa/ }).click();
  await amountField(page).fill(amount);
}

test("a mistyped card number shows invalid_luhn's message at the field, live, and fixing it clears it", async () => {
  const page = await openTerminal();
  const card = page.getByLabel("Card number");
  await card.fill("4920201996449561");
  const problem = page.locator('#vt-card-problems [data-code="invalid_luhn"]');
  await problem.waitFor();
  assert.match(await problem.textContent(), /Luhn checksum/);
  assert.equal(await card.getAttribute("aria-invalid"), "true");
  assert.match(await card.getAttribute("aria-describedby"), /\bvt-card-problems\b/);
  // Other untouched fields stay quiet until the form is sent.
  assert.equal(await page.getByLabel("Cardholder name").getAttribute("aria-invalid"), "false");
  await page.screenshot({ path: screenshotPath("terminal-validation"), fullPage: true });

  await card.fill("4920201996449560");
  await problem.waitFor({ state: "detached" });
  assert.equal(await card.getAttribute("aria-invalid"), "false");
  assert.equal(await card.getAttribute("aria-describedby"), null);

  // The core's messages are given in the form's words: its labels, not the API's names.
  await card.fill("4111a11111111111");
  await page.locator("#vt-card-problems").getByText(/Card number must be digits only/).waitFor();
  const expiry = page.getByLabel("Expiry (MM/YYYY)");
  await expiry.fill("07/30");
  await page.locator("#vt-expiry-problems").getByText(/Expiry year must have four digits/).waitFor();
  assert.doesNotMatch(await page.locator("main form").textContent(), /creditCardNumber|expiryYear|expiryMonth/);
  await expiry.fill("12/2030");
  await card.fill("4920201996449560");

  // Text with half of a surrogate pair (cut off when copied) reaches the page as U+FFFD: it
  // would be sent as another text than the one typed, so it is refused at its field.
  await page.getByLabel("Customer ID").evaluate((input) => {
    input.value = "cust\uD800X";
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
  await page.locator('#vt-customer-problems [data-code="lone_surrogate"]').getByText(/type that character again/).waitFor();
  assert.equal(await page.getByLabel("Customer ID").getAttribute("aria-invalid"), "true");
  await page.getByLabel("Customer ID").fill("");

  // Sending an incomplete form shows every problem at once and sends nothing.
  await page.getByRole("button", { name: "Send charge" }).click();
  const summary = page.getByRole("alert").filter({ hasText: "Nothing was sent" });
  await summary.waitFor();
  assert.equal(await page.getByLabel("Cardholder name").getAttribute("aria-invalid"), "true");
  // One name field: the API's fullName, firstName and lastName are not the user's words.
  assert.equal((await page.locator("#vt-name-problems").textContent()).trim(), "Error: Cardholder name is required: type the name on the card.");
  assert.equal(await page.getByLabel("City").getAttribute("aria-invalid"), "true");
  assert.match(await page.locator("#vt-submit-state").textContent(), /problems to fix/);
  // The summary links move the focus to the field.
  await summary.getByRole("link", { name: "Cardholder name" }).click();
  await page.waitForFunction((id) => document.activeElement?.id === id, "vt-name");
  assert.equal(await page.getByTestId("response-code").count(), 0);
});

test("a preset card and trigger amount 2008 give a soft decline with its retry date", async () => {
  const page = await openTerminal();
  await page.getByRole("button", { name: /^Visa/ }).click();
  assert.equal(await page.getByLabel("Card number").inputValue(), "4920201996449560");
  assert.equal(await page.getByLabel("Expiry (MM/YYYY)").inputValue(), "07/2024");
  // The CVV is typed masked, and not kept once the payment is sent.
  assert.equal(await page.getByLabel("CVV", { exact: true }).getAttribute("type"), "password");
  assert.equal(await page.getByLabel("CVV", { exact: true }).inputValue(), "879");
  await page.getByRole("button", { name: /^20\.08 USD 20003/ }).click();
  assert.equal(await amountField(page).inputValue(), "20.08");
  const r = await send(page, "charge");
  assert.equal(r.code, "20003");
  assert.equal(await page.getByLabel("CVV", { exact: true }).inputValue(), "");
  assert.equal(await page.getByLabel("Card number").inputValue(), "4920201996449560");
  assert.equal(r.category, "Soft decline");
  assert.equal(r.status, "Declined");
  assert.match(r.retryDate, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
  assert.ok((await page.getByTestId("response-reference-data").textContent()).length > 0);
  await page.getByRole("link", { name: "See it on the retry schedule" }).waitFor();
  // The next attempt filled in, not sent: count 2 and the reference data to chain, and the
  // form says it is not due yet.
  const reference = (await page.getByTestId("response-reference-data").textContent()).trim();
  await page.getByRole("button", { name: "Fill in retry 2" }).click();
  await page.waitForFunction(() => document.activeElement?.id === "vt-retry");
  assert.equal(await page.getByRole("textbox", { name: "Retry count" }).inputValue(), "2");
  assert.equal(await page.getByRole("textbox", { name: "Reference data" }).inputValue(), reference);
  await page.getByTestId("early-retry").waitFor();
  assert.match(await page.locator("#vt-submit-state").textContent(), /^Early: this retry is not due until /);
  const link = page.getByRole("link", { name: r.id });
  assert.equal(await link.getAttribute("href"), `/transactions/${r.id}`);
  await page.screenshot({ path: screenshotPath("terminal-soft-decline"), fullPage: true });
  await link.click();
  await page.getByRole("heading", { name: `Charge ${r.id}` }).waitFor();
});

test("trigger amount 5023's 50000 is a rejected request, not an attempt: no recovery chain", async () => {
  const page = await openTerminal();
  await page.getByRole("button", { name: /^Visa/ }).click();
  await page.getByRole("button", { name: /^50\.23 USD 50000/ }).click();
  const r = await send(page, "charge");
  assert.deepEqual([r.code, r.category], ["50000", "API validation"]);
  assert.equal(r.retryDate, "none: the request was rejected, not attempted; fix it and send it again");
  await page.getByRole("link", { name: r.id }).click();
  await page.getByRole("heading", { name: `Charge ${r.id}` }).waitFor();
  assert.match(await page.locator("dl.facts").textContent(), /Retry datenone: the request was rejected, not attempted/);
  assert.equal(await page.getByRole("heading", { name: "Recovery chain" }).count(), 0);
});

test("an approved charge, a partial refund of it, and a void of another", async () => {
  const page = await openTerminal();
  await visaCharge(page, "75.00");
  const charge = await send(page, "charge");
  assert.equal(charge.code, "10000");
  assert.equal(charge.status, "Approved");
  assert.equal(await page.locator(".response dt", { hasText: "Retry count" }).count(), 1);

  await page.getByRole("button", { name: "Refund it" }).click();
  assert.equal(await page.getByLabel("Transaction type").inputValue(), "refund");
  assert.equal(await page.getByLabel("Original transaction ID").inputValue(), charge.id);
  await amountField(page).fill("40.00");
  const refund = await send(page, "refund");
  assert.equal(refund.code, "10000");
  assert.match(await page.locator(".response").textContent(), /40\.00 USD/);
  // A refund is no attempt of a payment: no retry count.
  assert.equal(await page.locator(".response dt", { hasText: "Retry count" }).count(), 0);
  await page.screenshot({ path: screenshotPath("terminal-refund"), fullPage: true });
  // The form still holds the charge and 40.00, more than the 35.00 left: said before it is sent.
  await amountField(page).fill("40.00");
  await page.locator("#vt-amount-problems").getByText("More than the 35.00 USD left to refund: the sandbox will refuse it.").waitFor();
  assert.equal(
    (await page.locator("#vt-submit-state").textContent()).trim(),
    "If sent now, it will be refused: More than the 35.00 USD left to refund: the sandbox will refuse it.",
  );
  await amountField(page).fill("35.00");
  await page.locator("#vt-submit-state").getByText("Ready to send.", { exact: true }).waitFor();
  // A void of the refunded charge would be refused too.
  await page.getByLabel("Transaction type").selectOption("void");
  await page.getByLabel("Original transaction ID").fill(charge.id);
  await page.locator("#vt-original-problems").getByText(`It was already refunded (${refund.id}): the sandbox will refuse a void of it.`).waitFor();
  await page.getByLabel("Transaction type").selectOption("refund");

  // V2: a charge of 75.14 can be voided; the original is chosen from the latest approved ones.
  await page.getByLabel("Transaction type").selectOption("charge");
  await visaCharge(page, "75.14");
  const second = await send(page, "charge");
  assert.equal(second.code, "10000");
  await page.getByLabel("Transaction type").selectOption("void");
  await page.getByLabel("Latest approved transactions").selectOption(second.id);
  assert.equal(await page.getByLabel("Original transaction ID").inputValue(), second.id);
  const voided = await send(page, "void");
  assert.equal(voided.code, "10000");
  assert.match(await page.locator(".response").textContent(), /Void/);
});

test("a void refused because the charge settled offers a refund of what remains; the charge's page lists both", async () => {
  const page = await openTerminal();
  // V1 of the Sandbox Guide: a charge of 90.00 settles, its void answers 30013.
  await visaCharge(page, "90.00");
  await page.getByLabel("Customer ID").fill("cust-v1");
  await page.getByLabel("Order ID").fill("order-v1");
  const charge = await send(page, "charge");
  assert.equal(charge.code, "10000");
  await page.getByRole("button", { name: "Void it" }).click();
  const voided = await send(page, "void");
  assert.equal(voided.code, "30013");
  assert.match(await page.locator(".response").textContent(), /refund it instead/);
  await page.screenshot({ path: screenshotPath("terminal-void-refused"), fullPage: true });

  await page.getByRole("button", { name: "Refund it" }).click();
  assert.equal(await page.getByLabel("Transaction type").inputValue(), "refund");
  assert.equal(await page.getByLabel("Original transaction ID").inputValue(), charge.id);
  assert.equal(await amountField(page).inputValue(), "90.00", "what remains of the charge");
  const refund = await send(page, "refund");
  assert.equal(refund.code, "10000");

  // The charge's page: what the request sent, and its void and refund with their answers.
  await page.goto(`${server.url}/transactions/${charge.id}`);
  await page.getByRole("heading", { name: `Charge ${charge.id}` }).waitFor();
  const facts = await page.locator("dl.facts").textContent();
  for (const fact of ["Customer IDcust-v1", "Emailavery.quinn@example.com", "Order IDorder-v1"]) {
    assert.ok(facts.includes(fact), `${fact} in ${facts}`);
  }
  const table = page.getByRole("table", { name: "Refunds, voids and captures" });
  const rows = await table.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
  assert.equal(rows.length, 2);
  const [v, r] = rows;
  assert.equal(v[0], voided.id);
  assert.match(v[1], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
  assert.deepEqual(v.slice(2, 5), ["Void", "30013 Hard decline", "90.00 USD"]);
  assert.equal(r[0], refund.id);
  assert.deepEqual(r.slice(2, 5), ["Refund", "10000 Approved", "90.00 USD"]);
  await page.screenshot({ path: screenshotPath("transaction-detail-follow-ups"), fullPage: true });

  // The refund's page names its original's customer and order too.
  await table.getByRole("link", { name: refund.id }).click();
  await page.getByRole("heading", { name: `Refund ${refund.id}` }).waitFor();
  assert.match(await page.locator("dl.facts").textContent(), /Customer IDcust-v1/);
});

test("an authorization is captured", async () => {
  const page = await openTerminal();
  await page.getByLabel("Transaction type").selectOption("authorize");
  await visaCharge(page, "50.00");
  const auth = await send(page, "authorize");
  assert.equal(auth.code, "10000");
  await page.getByRole("button", { name: "Capture it" }).click();
  assert.equal(await page.getByLabel("Transaction type").inputValue(), "capture");
  const capture = await send(page, "capture");
  assert.equal(capture.code, "10000");
  assert.equal(capture.status, "Approved");
  assert.match(await page.locator(".response").textContent(), /Capture/);
  await page.screenshot({ path: screenshotPath("terminal-capture"), fullPage: true });

  // More than was authorized: the refusal speaks in money, not minor units.
  await page.getByLabel("Transaction type").selectOption("authorize");
  await visaCharge(page, "10.00");
  assert.equal((await send(page, "authorize")).code, "10000");
  await page.getByRole("button", { name: "Capture it" }).click();
  await amountField(page).fill("20.00");
  assert.equal((await send(page, "capture")).code, "50137");
  await page.locator(".response").getByText("the capture asks for 20.00 USD but 10.00 USD was authorized").waitFor();
});

test("a card number typed with spaces or dashes is read as the card checker reads it", async () => {
  const page = await openTerminal();
  await visaCharge(page, "10.00");
  const card = page.getByLabel("Card number");
  for (const typed of ["4920-2019-9644-9560", "4920 2019 9644 9560"]) {
    await card.fill(typed);
    await page.getByLabel("Merchant transaction ID").fill(`sep-${typed.includes("-") ? "dash" : "space"}`);
    assert.equal((await send(page, "charge")).code, "10000", typed);
    assert.equal(await page.locator('#vt-card-problems').count(), 0, typed);
  }
});

test("in Sandbox a card other than the test cards is warned about at the field: the sandbox declines it with 30016", async () => {
  const page = await openTerminal();
  await visaCharge(page, "10.00");
  const card = page.getByLabel("Card number");
  await card.fill("4111 1111 1111 1111");
  const warning = page.locator('#vt-card-problems [data-code="not_a_test_card"]');
  await warning.waitFor();
  assert.match(await warning.textContent(), /Card number is not a FlexPay sandbox test card, so the sandbox declines payments with it \(30016\)/);
  assert.equal(await card.getAttribute("aria-invalid"), "false", "a warning, not an error");
  await page.screenshot({ path: screenshotPath("terminal-not-a-test-card"), fullPage: true });
  await page.getByLabel("Merchant transaction ID").fill("not-a-test-card");
  // The test card's printed expiry is past, which the sandbox forgives its test cards only.
  await page.getByLabel("Expiry (MM/YYYY)").fill("12/2030");
  assert.equal((await send(page, "charge")).code, "30016", "sent anyway, and declined as said");
  await card.fill("4920 2019 9644 9560");
  await warning.waitFor({ state: "detached" });
  await page.close();
});

test("a refusal before any gateway says why and shows FlexPay's placeholder gateway token as what it is", async () => {
  const page = await openTerminal();
  // A retry whose referenceData FlexPay never issued is refused before any gateway.
  await visaCharge(page, "20.00");
  await page.getByLabel("Retry count").fill("2");
  await page.getByLabel("Reference data").fill("not-a-reference");
  const refused = await send(page, "charge");
  assert.equal(refused.code, "50132");
  const why = "referenceData was not issued for this company's payments";
  const answer = await page.locator(".response").textContent();
  assert.ok(answer.includes(why), answer);
  assert.ok(answer.includes("AAAAAAAAAAAAAAAAAAAAAAAAAA (FlexPay's placeholder: the request reached no gateway)"), answer);
  await page.screenshot({ path: screenshotPath("terminal-no-gateway"), fullPage: true });

  // Its page says the same.
  await page.getByRole("link", { name: refused.id }).click();
  await page.getByRole("heading", { name: `Charge ${refused.id}` }).waitFor();
  assert.match(await page.getByTestId("detail-message").textContent(), new RegExp(`^${why}`));
  assert.match(await page.locator("dl.facts").textContent(), /Gatewaynone: the request reached no gateway/);
});

test("amount messages are in the units typed, name the real limits and never suggest a refused value", async () => {
  const page = await openTerminal();
  await visaCharge(page, "20.08");
  const amount = amountField(page);
  const problems = page.locator("#vt-amount-problems");
  const most = "Enter at most 90071992547409.91, the largest amount the API carries exactly.";
  for (const [typed, says] of [
    ["-1", "Enter an amount above zero, e.g. 20.08."],
    ["0", "Enter an amount above zero, e.g. 20.08."],
    ["abc", 'The amount has "a", which is not a digit 0-9. Enter digits with at most one ".", e.g. 20.08.'],
    ["１２", 'The amount has "１", which is not a digit 0-9.'],
    ["20.", 'The amount ends with "."'],
    ["1,000.00", 'write "1000.00", not "1,000.00"'],
    ["90071992547409.92", most],
    ["99999999999999999999", most],
  ]) {
    await amount.fill(typed);
    await problems.getByText(says).waitFor();
    const text = await problems.textContent();
    assert.equal(text.match(/Error: /g).length, 1, `one message for ${typed}: ${text}`);
    assert.doesNotMatch(text, /-3\.00|byte|minor units|-100|92233720368547758/, `${typed}: ${text}`);
  }
  await page.screenshot({ path: screenshotPath("terminal-amount-message"), fullPage: true });
  await amount.fill("90071992547409.91");
  await problems.waitFor({ state: "detached" });
});

test("an amount typed for a currency with other decimals is emptied when that currency changes, so it is typed again", async () => {
  const page = await openTerminal();
  const amount = amountField(page);
  const currency = page.locator("#vt-currency");
  const problems = page.locator("#vt-amount-problems");
  await page.getByRole("button", { name: /^Visa/ }).click();
  await currency.selectOption("JPY");
  // The scenarios' amounts, and the triggers', are written in the currency chosen.
  const scenario = (name) => page.getByRole("button", { name: new RegExp(`^[\\d.]+ [A-Z]{3} ${name}`) });
  await scenario("P2: refund 4000, then 3500").waitFor();
  await scenario("P3: a refund of 5500 is refused with 30015").waitFor();
  await page.getByRole("button", { name: /^2008 JPY 20003 soft decline/ }).waitFor();
  await amount.fill("2008");
  // The same decimals: the amount means what was typed.
  await currency.selectOption("KRW");
  assert.equal(await amount.inputValue(), "2008");
  // 2008 typed for yen is not 2008 dinars, a thousand times more: emptied, and said at the field.
  await currency.selectOption("BHD");
  assert.equal(await amount.inputValue(), "");
  await problems.getByText("Enter the amount in the currency's units.").waitFor();
  assert.equal(await amount.getAttribute("aria-invalid"), "true");
  assert.equal(await page.getByRole("textbox", { name: "Amount (BHD)" }).count(), 1);
  await page.screenshot({ path: screenshotPath("terminal-currency-changed"), fullPage: true });
  await page.getByRole("button", { name: "Send charge" }).click();
  await page.getByRole("alert").filter({ hasText: "Nothing was sent" }).waitFor();
  assert.equal(await page.getByTestId("response-transaction-id").count(), 0, "nothing was sent");
  await amount.fill("2.008");
  await problems.waitFor({ state: "detached" });
  // 20.08 dollars are not 2008 yen either.
  await currency.selectOption("USD");
  assert.equal(await amount.inputValue(), "", "BHD has 3 decimals, USD 2");
  await scenario("P2: refund 40.00, then 35.00").waitFor();
  await amount.fill("20.08");
  await currency.selectOption("EUR");
  assert.equal(await amount.inputValue(), "20.08");
  assert.equal((await send(page, "charge")).code, "20003");
});

test("the currency list offers the currencies payments are made in, not gold, test, no-currency or fund codes", async () => {
  const page = await openTerminal();
  const codes = await page.locator("#vt-currency option").evaluateAll((options) => options.map((o) => o.value));
  for (const code of ["USD", "EUR", "CAD", "JPY", "BHD", "CLP", "CHF"]) assert.ok(codes.includes(code), `${code} is offered`);
  // ISO 4217 codes without a minor unit, which the core refuses as payment currencies, and
  // funds (units of account, not currencies cards are charged in).
  for (const code of ["XAU", "XAG", "XPT", "XPD", "XDR", "XTS", "XXX", "XBA", "XSU", "XUA", "CLF", "USN", "CHE", "BOV", "UYI"]) {
    assert.ok(!codes.includes(code), `${code} is not offered`);
  }
  // The gateway form offers the same list.
  await page.goto(`${server.url}/gateways`);
  await page.getByRole("heading", { name: "Payment gateways", level: 1 }).waitFor();
  const gateway = await page.locator("#gw-currency option").evaluateAll((options) => options.map((o) => o.value));
  assert.deepEqual(gateway, codes);
});

test("a shipping address is sent on request, checked at its fields, and shown on the transaction", async () => {
  const page = await openTerminal();
  await visaCharge(page, "42.00");
  const shipping = page.getByRole("group", { name: "Shipping address" });
  assert.equal(await shipping.getByRole("textbox").count(), 0, "no shipping fields until asked");
  await page.getByLabel("Send a shipping address").check();
  await shipping.getByRole("button", { name: "Copy the billing address" }).click();
  assert.equal(await page.locator("#vt-ship_city").inputValue(), await page.locator("#vt-city").inputValue());

  // A country of three letters is refused by the core at the shipping field itself.
  await page.locator("#vt-ship_country").fill("CAN");
  await page.locator("#vt-ship_city").fill("Halifax");
  await page.locator("#vt-ship_address1").fill("5 Quay Road");
  await page.locator("#vt-ship_postal").fill("B3H 1A1");
  await page.locator("#vt-ship_state").fill("NS");
  await page.getByRole("button", { name: "Send charge" }).click();
  await page.locator("#vt-ship_country-problems").waitFor();
  assert.equal(await page.locator("#vt-ship_country").getAttribute("aria-invalid"), "true");

  await page.locator("#vt-ship_country").fill("CA");
  const charge = await send(page, "charge");
  assert.equal(charge.code, "10000");
  await page.screenshot({ path: screenshotPath("terminal-shipping"), fullPage: true });

  await page.goto(`${server.url}/transactions/${charge.id}`);
  await page.getByRole("heading", { name: `Charge ${charge.id}` }).waitFor();
  const facts = page.locator("dl.facts");
  assert.match(await facts.textContent(), /Shipping address\s*5 Quay Road, Halifax, NS, B3H 1A1, CA/);
  assert.match(await facts.textContent(), /Billing address\s*1180 Harbour Street, Portland, OR, 97205, US/);
  assert.match(await facts.textContent(), /Cardholder\s*Avery Quinn/);
  await page.screenshot({ path: screenshotPath("transaction-detail-addresses"), fullPage: true });
});

test("a card kept in the vault is charged again by its payment method id", async () => {
  const page = await openTerminal();
  await visaCharge(page, "10.00");
  await page.getByLabel("Keep the card in the vault if approved (retainOnSuccess)").check();
  const kept = await send(page, "charge");
  assert.equal(kept.code, "10000");
  const methodId = await page.getByTestId("response-payment-method-id").textContent();
  assert.match(methodId, /^[0-9A-Z]{26}$/);
  assert.match(await page.locator(".response").textContent(), /\(Stored\)/);

  await page.getByLabel("Pay with").selectOption("vault");
  assert.equal(await page.getByRole("group", { name: "Billing address" }).count(), 0, "the vault has the address");
  assert.equal(await page.getByLabel("Card number").count(), 0);
  assert.equal(await page.getByLabel("Customer email").count(), 0, "the vault keeps the email too");
  await page.getByLabel("Cards in the vault").selectOption(methodId);
  assert.equal(await page.getByLabel("Payment method ID").inputValue(), methodId);
  await amountField(page).fill("20.08");
  const rebill = await send(page, "charge");
  assert.equal(rebill.code, "20003");
  assert.equal(await page.getByTestId("response-payment-method-id").textContent(), methodId);
  await page.screenshot({ path: screenshotPath("terminal-vault"), fullPage: true });

  // An id the vault does not hold is answered as FlexPay does.
  await page.getByLabel("Payment method ID").fill("KQ8ZKQ8ZKQ8ZKQ8ZKQ8ZKQ8ZKQ");
  const unknown = await send(page, "charge");
  assert.equal(unknown.code, "50136");

  // The rebill's page names the vaulted method and the holder it was kept with.
  await page.goto(`${server.url}/transactions/${rebill.id}`);
  await page.getByRole("heading", { name: `Charge ${rebill.id}` }).waitFor();
  const facts = await page.locator("dl.facts").textContent();
  assert.match(facts, new RegExp(`Payment method ID\\s*${methodId} \\(Stored\\)`));
  assert.match(facts, /Cardholder\s*Avery Quinn/);
});

test("?original=ID pre-fills a refund and survives a reload", async () => {
  const page = await openTerminal("/terminal?original=ABC123");
  assert.equal(await page.getByLabel("Transaction type").inputValue(), "refund");
  assert.equal(await page.getByLabel("Original transaction ID").inputValue(), "ABC123");
  await page.reload();
  await page.getByRole("heading", { name: "Virtual terminal", level: 1 }).waitFor();
  assert.equal(await page.getByLabel("Original transaction ID").inputValue(), "ABC123");
  await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Virtual terminal" }).waitFor();
});

test("no page errors were logged", () => {
  assert.deepEqual(browser.errors, []);
});
