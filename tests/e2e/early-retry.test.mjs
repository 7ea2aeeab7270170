// The virtual terminal warns before a retry goes out ahead of its payment's retryDate (the
// classic scheduler bug): FlexPay documents no refusal, so the warning, and a question before
// it is sent, are the only guard; they go once the reference data is not the latest of a
// payment in recovery. A first attempt for an order whose payment is in recovery (a CRM that
// lost the chain and starts over) is warned about at the order. A problem an edit brings
// about at another field is shown there at once.
import { test } from "node:test";
import assert from "node:assert/strict";

import { screenshotPath } from "./support/browser.mjs";
import { expectNoSeriousAxeViolations, openPortal, ready } from "./support/portal.mjs";

const { server, page } = await openPortal();

test("a retry typed before its retryDate is warned about, naming the date", async () => {
  await page.goto(`${server.url}/terminal`);
  await ready(page);
  await page.getByRole("button", { name: /^Visa/ }).click();
  await page.getByRole("textbox", { name: /^Amount/ }).fill("20.08");
  await page.getByRole("button", { name: "Send charge" }).click();
  const reference = (await page.getByTestId("response-reference-data").textContent()).trim();
  const retryDate = (await page.getByTestId("response-retry-date").textContent()).trim();
  assert.match(retryDate, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);

  const warning = page.getByTestId("early-retry");
  assert.equal(await warning.count(), 0, "no warning on a first attempt");
  await page.getByRole("textbox", { name: "Retry count" }).fill("2");
  await page.getByRole("textbox", { name: "Reference data" }).fill(reference);
  await warning.waitFor();
  assert.match(await warning.textContent(), new RegExp(`not due until ${retryDate}`));
  // The line beside Send says so too, where the eye goes before sending.
  assert.match(await page.locator("#vt-submit-state").textContent(), new RegExp(`^Early: this retry is not due until ${retryDate}`));
  await page.screenshot({ path: screenshotPath("terminal-early-retry"), fullPage: true });

  // Anything that is not the latest reference data of a payment in recovery: no warning.
  await page.getByRole("textbox", { name: "Reference data" }).fill("AAAAAAAAAAAAAAAAAAAAAA==");
  await warning.waitFor({ state: "detached" });
});

test("a retry sent early anyway is marked on its payment's recovery chain", async () => {
  const retryDate = (await page.getByTestId("response-retry-date").textContent()).trim();
  const reference = (await page.getByTestId("response-reference-data").textContent()).trim();
  await page.getByRole("textbox", { name: "Reference data" }).fill(reference);
  await page.getByRole("textbox", { name: "Merchant transaction ID" }).fill(`early-${Date.now()}`);
  const first = (await page.getByTestId("response-transaction-id").textContent()).trim();
  // Asked first: Cancel sends nothing and gives the focus back to Send.
  await page.getByRole("button", { name: "Send charge" }).click();
  const question = page.getByRole("alertdialog", { name: "Send this charge anyway?" });
  await question.waitFor();
  assert.match(await question.textContent(), new RegExp(`not due until ${retryDate}: sent now, it is retried early`));
  await expectNoSeriousAxeViolations(page, "/terminal (an early retry asked about)");
  // The question sits under the form; the last response stays beside it, to compare.
  const [form, side, asked] = await Promise.all([".vt-form", ".vt-side", ".vt-layout > .confirm"].map((s) => page.locator(s).first().boundingBox()));
  assert.ok(side.x >= form.x + form.width, `the response stays beside the form (${JSON.stringify({ form, side })})`);
  assert.ok(asked.y >= form.y + form.height - 1 && asked.x < side.x, `the question is under the form (${JSON.stringify({ form, asked })})`);
  await page.screenshot({ path: screenshotPath("terminal-early-retry-asked"), fullPage: true });
  await page.waitForFunction(() => document.activeElement?.id === "confirm-send-cancel");
  await page.keyboard.press("Enter");
  await question.waitFor({ state: "detached" });
  await page.waitForFunction(() => document.activeElement?.id === "vt-send");
  assert.equal((await page.getByTestId("response-transaction-id").textContent()).trim(), first, "nothing was sent");
  await page.getByRole("button", { name: "Send charge" }).click();
  await question.getByRole("button", { name: "Send it anyway" }).click();
  await page.getByTestId("response-transaction-id").filter({ hasNotText: first }).waitFor();
  await page.locator("#vt-result a[href^='/transactions/']").first().click();
  const timeline = page.getByRole("list", { name: "Recovery chain" });
  await timeline.waitFor();
  const attempts = timeline.getByRole("listitem");
  assert.equal(await attempts.count(), 2);
  assert.doesNotMatch(await attempts.nth(0).textContent(), /sent early/);
  assert.match(await attempts.nth(1).textContent(), new RegExp(`sent early: its retry date was ${retryDate}`));
  await page.screenshot({ path: screenshotPath("transaction-early-retry"), fullPage: true });
});

test("a first attempt for an order whose payment is in recovery is warned about at the order", async () => {
  await page.goto(`${server.url}/terminal`);
  await ready(page);
  await page.getByRole("button", { name: /^Visa/ }).click();
  await page.getByRole("textbox", { name: /^Amount/ }).fill("20.12");
  await page.getByRole("textbox", { name: /^Order ID/ }).fill("ORD-TWICE");
  const mtid = await page.getByRole("textbox", { name: /^Merchant transaction ID/ }).inputValue();
  await page.getByRole("button", { name: "Send charge" }).click();
  await page.getByTestId("response-code").waitFor();
  assert.equal((await page.getByTestId("response-code").textContent()).trim(), "20023");
  const retryDate = (await page.getByTestId("response-retry-date").textContent()).trim();

  // The same order again, as a first attempt: warned at the Order ID, not refused.
  await page.getByRole("button", { name: /^Visa/ }).click();
  await page.getByRole("textbox", { name: /^Amount/ }).fill("20.12");
  const order = page.getByRole("textbox", { name: /^Order ID/ });
  await order.fill("ORD-TWICE");
  const warning = page.locator("#vt-order-problems li[data-code='order_in_recovery']");
  await warning.waitFor();
  assert.equal(await warning.textContent(), `Warning: Order ORD-TWICE already has a payment in recovery (${mtid}; its retry 2, due ${retryDate}). Sent as a first attempt, this starts a second recovery of the order, and the customer could pay twice. To retry that payment, send retry count 2 with its reference data.`);
  assert.match(await order.getAttribute("aria-describedby"), /vt-order-problems/);
  await page.screenshot({ path: screenshotPath("terminal-order-in-recovery"), fullPage: true });
  // Another order: no warning.
  await order.fill("ORD-OTHER");
  await warning.waitFor({ state: "detached" });
  // The same order as its retry (retry count 2, its reference data): no warning either.
  await order.fill("ORD-TWICE");
  await warning.waitFor();
  await page.getByRole("textbox", { name: "Reference data" }).fill("AAAAAAAAAAAAAAAAAAAAAA==");
  await warning.waitFor({ state: "detached" });
});

test("a problem an edit brings about at another field is shown there at once", async () => {
  await page.goto(`${server.url}/terminal`);
  await ready(page);
  await page.getByRole("button", { name: /^Visa/ }).click();
  await page.getByRole("textbox", { name: /^Amount/ }).fill("10.00");
  assert.equal((await page.locator("#vt-submit-state").textContent()).trim(), "Ready to send.");
  // A retry count of 2 needs the reference data of the previous answer.
  await page.getByRole("textbox", { name: "Retry count" }).fill("2");
  const reference = page.getByRole("textbox", { name: "Reference data" });
  await page.locator("#vt-refdata-problems").waitFor();
  assert.equal(await reference.getAttribute("aria-invalid"), "true");
  assert.match(await page.locator("#vt-refdata-problems").textContent(), /referenceData/);
  assert.equal((await page.locator("#vt-submit-state").textContent()).trim(), "1 problem to fix before sending.");
  await page.screenshot({ path: screenshotPath("terminal-cross-field-problem"), fullPage: true });
  await page.getByRole("textbox", { name: "Retry count" }).fill("1");
  await page.locator("#vt-refdata-problems").waitFor({ state: "detached" });
  // Fields with problems of their own since the page opened are not marked by another's edit.
  await page.goto(`${server.url}/terminal`);
  await ready(page);
  await page.getByRole("textbox", { name: "Retry count" }).fill("2");
  await page.locator("#vt-refdata-problems").waitFor();
  assert.equal(await page.locator("#vt-amount-problems").count(), 0, "the amount, empty from the start, is not marked");
});

test("what the sandbox will refuse (a used merchant transaction ID, reference data that does not follow) is said at its field before sending", async () => {
  await page.goto(`${server.url}/terminal`);
  await ready(page);
  await page.getByRole("button", { name: /^Visa/ }).click();
  const amount = page.getByRole("textbox", { name: /^Amount/ });
  await amount.fill("20.08");
  const mtidBox = page.getByRole("textbox", { name: /^Merchant transaction ID/ });
  const used = await mtidBox.inputValue();
  const customer = page.getByRole("textbox", { name: "Customer ID" });
  await customer.fill("cust-A");
  await page.getByRole("button", { name: "Send charge" }).click();
  await page.getByTestId("response-code").waitFor();
  assert.equal((await page.getByTestId("response-code").textContent()).trim(), "20003");
  const transaction = (await page.getByTestId("response-transaction-id").textContent()).trim();
  const reference = (await page.getByTestId("response-reference-data").textContent()).trim();

  // The merchant transaction ID just used: warned at its field, in the refusal's code.
  assert.notEqual(await mtidBox.inputValue(), used, "a fresh ID is filled in after a send");
  await mtidBox.fill(used);
  const taken = page.locator("#vt-mtid-problems li[data-code='will_be_refused']");
  await taken.waitFor();
  assert.equal(await taken.textContent(), `Warning: Transaction ${transaction} already used it: the sandbox will refuse this request with 50129. Every request needs a new one, retries included.`);
  assert.match(await mtidBox.getAttribute("aria-describedby"), /vt-mtid-problems/);
  await page.screenshot({ path: screenshotPath("terminal-refused-ahead"), fullPage: true });
  // Sent anyway, the sandbox answers what was said.
  await page.getByRole("button", { name: "Send charge" }).click();
  await page.getByTestId("response-code").filter({ hasText: "50129" }).waitFor();
  await taken.waitFor({ state: "detached" });

  // The retry of that payment with a count that does not follow: warned at the reference data.
  const retry = page.getByRole("textbox", { name: "Retry count" });
  const refdata = page.getByRole("textbox", { name: "Reference data" });
  const ahead = page.locator("#vt-refdata-problems li[data-code='will_be_refused']");
  await retry.fill("3");
  await refdata.fill(reference);
  await ahead.waitFor();
  assert.equal(await ahead.textContent(), "Warning: The sandbox will refuse this request with 50132: retryCount 3 does not follow the previous attempt's 1: send 2 with this referenceData.");
  // A count that is not a number is only said to be one, not judged against the payment.
  await retry.fill("x");
  await ahead.waitFor({ state: "detached" });
  await page.locator("#vt-retry-problems").getByText(/whole number/).waitFor();
  // The right count, but another amount: a retry re-sends the same payment.
  await retry.fill("2");
  await amount.fill("20.09");
  await page.waitForFunction(() => /amount 2009 \(20\.09 USD\) is not this payment's amount 2008/.test(document.querySelector("#vt-refdata-problems")?.textContent ?? ""));
  // The payment's own amount, but another customer: another customer's payment.
  await amount.fill("20.08");
  await customer.fill("cust-B");
  await page.waitForFunction(() => /referenceData belongs to another customer's payment: its attempts sent customerId "cust-A", this request sends "cust-B"/.test(document.querySelector("#vt-refdata-problems")?.textContent ?? ""));
  // Its own customer: nothing will be refused (its early retry is asked about as before).
  await customer.fill("cust-A");
  await ahead.waitFor({ state: "detached" });
  await page.getByTestId("early-retry").waitFor();
  // Reference data no payment was given (the sandbox's form, for a chain it never opened).
  await refdata.fill("/////wEAAAAAAAAAAAAAAA==");
  await ahead.waitFor();
  assert.match(await ahead.textContent(), /^Warning: The sandbox will refuse this request with 50132: referenceData was not issued for this company's payments/);
  await expectNoSeriousAxeViolations(page, "/terminal (refusals said ahead)");
});
