// The Flexiti section in a real Chromium: credentials (the secret is written once and never
// shown again, not even after a reload), customer look-up, a purchase that is refused as
// not_verified until the customer is verified and is then captured, partly released and
// returned in part and then in full with the remaining amounts shown, the errors shown when a
// rule is broken, and the history filtered by store and date.
import { test } from "node:test";
import assert from "node:assert/strict";

import { screenshotPath } from "./support/browser.mjs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { download, expectNoSeriousAxeViolations, openPortal, saved } from "./support/portal.mjs";

const { server, browser, page } = await openPortal();

async function go(path, heading) {
  await page.goto(`${server.url}${path}`);
  await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
}

const tabs = () => page.getByRole("navigation", { name: "Flexiti" });
const verifyForm = () => page.getByRole("form", { name: "2. Verify the customer" });

/** Verifies the customer of the terminal's account by the chosen format (step 2). */
async function verifyCustomer(format = "SMS") {
  await verifyForm().getByRole("radio", { name: format, exact: true }).check();
  await verifyForm().getByRole("button", { name: "Verify", exact: true }).click();
  await page.getByTestId("verify-outcome").getByText(/^(Verified by \w+|PIN sent by (SMS|e-mail)) for request pos-\d+[:( ]/).waitFor();
}
const today = new Date().toISOString().slice(0, 10);
let secret;

test("credentials: a wrong secret is refused with invalid_client; the secret is never shown again", async () => {
  await go("/flexiti", "Flexiti");
  const navLink = page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Flexiti" });
  assert.equal(await navLink.getAttribute("aria-current"), "page");
  assert.equal(await tabs().getByRole("link", { name: "Overview" }).getAttribute("aria-current"), "page");

  // Live validation: an empty client id is an error at the field once edited.
  await page.getByLabel("Client ID").fill("x");
  await page.getByLabel("Client ID").fill("");
  await page.getByText("client_id is empty").waitFor();
  assert.equal(await page.getByLabel("Client ID").getAttribute("aria-invalid"), "true");

  await page.getByLabel("Client ID").fill("flexitidemo");
  await page.getByLabel("Client secret").fill("not-the-secret");
  await page.getByRole("button", { name: "Save credentials" }).click();
  const outcome = page.getByTestId("credentials-outcome");
  await outcome.getByText(/400 invalid_client/).waitFor();
  assert.equal(await outcome.getAttribute("role"), "alert");
  await page.screenshot({ path: screenshotPath("flexiti-credentials-wrong"), fullPage: true });

  // The secret's field takes the button's place, and the focus goes into it.
  await page.getByRole("button", { name: "Replace secret" }).focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.activeElement?.id === "fx-client_secret");
  await page.getByRole("button", { name: "Fill in the sandbox's credentials" }).click();
  const field = page.getByLabel("Client secret");
  assert.equal(await field.getAttribute("type"), "password");
  secret = await field.inputValue();
  assert.match(secret, /^[0-9a-f]{32}$/);
  await page.getByRole("button", { name: "Save credentials" }).click();
  await outcome.getByText(/Credentials saved\. The TRAINING sandbox issued an access token/).waitFor();
  assert.equal(await page.locator('input[type="password"]').count(), 0);
  await page.getByTestId("secret-state").getByText("saved").waitFor();
  assert.ok(!(await page.content()).includes(secret), "the secret is not in the page");
  await page.getByTestId("token-state").getByText("Valid", { exact: true }).waitFor();

  await page.reload();
  await page.getByRole("heading", { name: "Flexiti", level: 1 }).waitFor();
  await page.getByTestId("secret-state").getByText("saved").waitFor();
  assert.equal(await page.getByLabel("Client ID").inputValue(), "flexitidemo");
  assert.ok(!(await page.content()).includes(secret), "not after a reload either");
  await page.screenshot({ path: screenshotPath("flexiti-credentials"), fullPage: true });
});

test("customer look-up by account number and by FlexitiCard, validated live", async () => {
  await go("/flexiti/customers", "Flexiti customers");
  assert.equal(await tabs().getByRole("link", { name: "Customers" }).getAttribute("aria-current"), "page");
  const value = page.getByLabel("Account, card or customer number");
  await value.fill("12ab");
  await page.getByText("account_number must be digits only").waitFor();
  assert.equal(await value.getAttribute("aria-invalid"), "true");

  // An account number has 14 digits, as a FlexitiCard has 16: a shorter one is refused at the
  // field and not sent, like a card of 15 digits.
  await value.fill("1234");
  await page.locator("#fx-lookup-value-problems").getByText("account_number has 4 digits; it has exactly 14").waitFor();
  await page.getByRole("button", { name: "Look up" }).click();
  await page.getByTestId("lookup-outcome").getByText("Fix the marked field; the focus is on it.").waitFor();
  assert.equal(await value.evaluate((el) => el === document.activeElement), true, "the focus is on the field to fix");
  await page.getByRole("radio", { name: "FlexitiCard number" }).check();
  await value.fill("601100000000000");
  await page.locator("#fx-lookup-value-problems").getByText("vcc_number has 15 digits; it has exactly 16").waitFor();
  await page.getByRole("radio", { name: "Account number" }).check();

  // Filled in from a test account, the fields are new: what was said of the old ones goes.
  await page.getByRole("button", { name: "Fill in Test Goodstanding" }).click();
  await page.getByTestId("lookup-outcome").waitFor({ state: "detached" });
  await page.getByRole("button", { name: "Look up" }).click();
  const customer = page.getByTestId("customer");
  await customer.getByRole("heading", { name: "Test Goodstanding" }).waitFor();
  assert.equal(await customer.getByTestId("available-credit").textContent(), "5000.00 CAD");
  await page.screenshot({ path: screenshotPath("flexiti-customer"), fullPage: true });

  await page.getByRole("radio", { name: "FlexitiCard number" }).check();
  await value.fill("6011000000000004");
  await page.getByRole("button", { name: "Look up" }).click();
  const outcome = page.getByTestId("lookup-outcome");
  await outcome.getByText(/409 user_not_able_to_purchase/).waitFor();
  assert.equal(await outcome.getAttribute("role"), "alert");
  assert.equal(await customer.count(), 0);
});

test("test accounts: each card of the business account beside its own holder's customer ID, as a look-up answers", async () => {
  const table = page.getByRole("table", { name: "Test accounts" });
  const row = table.getByRole("row").filter({ hasText: "Test Business" });
  // Columns: Customer, What it is for, Account number, FlexitiCard, Customer ID, …: each card
  // is in one row with its holder's ID, the account's cells spanning both rows.
  assert.equal(await row.getByRole("cell").nth(3).textContent(), "6011000000000008");
  assert.equal(await row.getByRole("cell").nth(4).textContent(), "1000008");
  const second = table.getByRole("row").filter({ hasText: "6011000000000018" });
  assert.deepEqual(await second.getByRole("cell").allTextContents(), ["6011000000000018", "1000008-00001"]);
  // In the table's grid, so under its column's header for a screen reader too.
  const x = async (locator) => Math.round((await locator.boundingBox()).x);
  assert.equal(await x(second.getByRole("cell").nth(0)), await x(table.getByRole("columnheader", { name: "FlexitiCard" })));
  assert.equal(await x(second.getByRole("cell").nth(1)), await x(table.getByRole("columnheader", { name: "Customer ID" })));
  await expectNoSeriousAxeViolations(page, "the test accounts");
  await table.screenshot({ path: screenshotPath("flexiti-test-accounts") });

  await page.getByRole("radio", { name: "FlexitiCard number" }).check();
  await page.getByLabel("Account, card or customer number").fill("6011000000000018");
  await page.getByRole("button", { name: "Look up" }).click();
  const customer = page.getByTestId("customer");
  await customer.getByRole("heading", { name: "Test Business" }).waitFor();
  const facts = await customer.locator("dl.facts").innerText();
  assert.match(facts, /Customer ID\s+1000008-00001/);
  assert.match(facts, /Card ending in\s+0018/);
});

test("a look-up by an authorized user's card starts the purchase with that card", async () => {
  // The page still shows the look-up of card 6011000000000018 (authorized user 1000008-00001).
  const customer = page.getByTestId("customer");
  const start = customer.getByRole("link", { name: "Start a purchase for this account" });
  // The card goes over in memory: a card number in the address would stay in the history
  // and reach the static host's log on a reload.
  assert.equal(await start.getAttribute("href"), "/flexiti/terminal?account=10000000000008");
  await start.click();
  await page.getByRole("heading", { name: "Flexiti terminal", level: 1 }).waitFor();
  assert.equal(await page.getByLabel("Account number").inputValue(), "10000000000008");
  assert.equal(await page.getByLabel("FlexitiCard number (optional)").inputValue(), "6011000000000018");
  assert.ok(!page.url().includes("6011000000000018"), page.url());
  await page.screenshot({ path: screenshotPath("flexiti-terminal-authorized-user"), fullPage: true });

  // By customer id the answer names the card by its last digits only: the page says so.
  await go("/flexiti/customers", "Flexiti customers");
  await page.getByRole("radio", { name: "Customer ID" }).check();
  await page.getByLabel("Account, card or customer number").fill("1000008-00001");
  await page.getByRole("button", { name: "Look up" }).click();
  await customer.getByRole("heading", { name: "Test Business" }).waitFor();
  assert.equal(await start.getAttribute("href"), "/flexiti/terminal?account=10000000000008");
  assert.match(
    await customer.locator("dl.facts").innerText(),
    /Card ending in\s+0018 \(an authorized user buys with their own FlexitiCard: enter it in the terminal, or look the customer up by card\)/,
  );
  // The primary holder, by account number: the account alone, and no such note.
  await page.getByRole("radio", { name: "Account number" }).check();
  await page.getByLabel("Account, card or customer number").fill("10000000000008");
  await page.getByRole("button", { name: "Look up" }).click();
  await customer.locator("dl.facts code").getByText("1000008", { exact: true }).waitFor();
  assert.doesNotMatch(await customer.locator("dl.facts").innerText(), /authorized user/);
  assert.equal(await start.getAttribute("href"), "/flexiti/terminal?account=10000000000008");
});

test("purchase (refused until the customer is verified) → capture → release → partial return → full return, with what remains", async () => {
  await go("/flexiti/terminal", "Flexiti terminal");
  assert.equal(await tabs().getByRole("link", { name: "Terminal" }).getAttribute("aria-current"), "page");
  await page.getByRole("button", { name: /^Account Test Goodstanding/ }).click();
  const amount = page.getByLabel("Amount (CAD)", { exact: true });
  // Every problem at once, each at its field.
  await amount.fill("12.345");
  await page.getByRole("button", { name: "Authorize purchase" }).click();
  await page.getByTestId("purchase-outcome").getByText(/Nothing was sent/).waitFor();
  assert.equal(await amount.getAttribute("aria-invalid"), "true");
  assert.equal(await page.getByLabel("Customer PIN").getAttribute("aria-invalid"), "true");
  assert.equal(await page.getByLabel("Store ID").getAttribute("aria-invalid"), "true");
  assert.equal(await page.getByLabel("Employee ID").getAttribute("aria-invalid"), "true");
  await page.screenshot({ path: screenshotPath("flexiti-terminal-problems"), fullPage: true });

  await amount.fill("1000.00");
  await page.getByRole("button", { name: "Use the test PIN 2222" }).click();
  await page.getByRole("button", { name: /^Use store 00-12345/ }).click();
  assert.equal(await page.getByLabel("Plan", { exact: true }).inputValue(), "EMP-EQUAL");
  await page.getByLabel("Term (months)").selectOption("12");
  // Sent before step 2: the sandbox answers not_verified, shown at the purchase's request id.
  const request = page.getByTestId("purchase-request");
  await request.getByText(/^Request pos-\d+ is not verified yet: verify the customer in step 2 first\.$/).waitFor();
  await page.getByRole("button", { name: "Authorize purchase" }).click();
  const bought = page.getByTestId("purchase-outcome");
  await bought.getByText(/^409 not_verified: request_id "pos-\d+" was not verified for account 10000000000001: call verify/).waitFor();
  assert.equal(await bought.getAttribute("role"), "alert");
  const requestProblems = page.locator("#fx-buy-request_id-problems");
  await requestProblems.getByText(/^not_verified: request_id "pos-\d+" was not verified/).waitFor();
  await page.screenshot({ path: screenshotPath("flexiti-purchase-not-verified"), fullPage: true });

  await verifyCustomer();
  await request.getByText(/^Request pos-\d+, verified in step 2: it serves one purchase\.$/).waitFor();
  assert.equal(await requestProblems.locator("li").count(), 0, "the answer was for the unverified request");
  await page.getByRole("button", { name: "Authorize purchase" }).click();
  await bought.getByText(/^Authorized 1000\.00 CAD: authorization \d+ is opened/).waitFor();
  assert.match(page.url(), /\/flexiti\/terminal\?authorization=\d+$/);
  await page.getByTestId("remaining-authorization").getByText("1000.00 CAD").waitFor();

  // A release of too much is refused at its field; a capture after it answers for the capture
  // only: the release's problem does not come back worded for what now remains.
  const releaseAmount = page.getByLabel("Release amount (CAD)");
  await releaseAmount.fill("1000.01");
  await page.getByRole("button", { name: "Release", exact: true }).click();
  await page.locator("#fx-release-amount-problems").getByText("1000.01 is more than the 1000.00 that remains authorized; release at most that").waitFor();
  await page.getByTestId("release-outcome").waitFor();

  await page.getByLabel("Capture amount (CAD)").fill("600.00");
  await page.getByRole("button", { name: "Capture", exact: true }).click();
  await page.getByTestId("capture-outcome").getByText(/^Captured 600\.00 CAD: capture \d+\. 400\.00 CAD remains authorized\./).waitFor();
  await page.getByTestId("remaining-authorization").getByText("400.00 CAD").waitFor();
  assert.equal(await page.getByTestId("release-outcome").count(), 0);
  assert.equal(await page.locator("#fx-release-amount-problems li").count(), 0, "no release was attempted since");
  assert.equal(await releaseAmount.getAttribute("aria-invalid"), "false");
  await page.screenshot({ path: screenshotPath("flexiti-capture-after-release-refused"), fullPage: true });
  // Edited again, the release field checks what it holds against what remains now.
  await releaseAmount.fill("1000.00");
  await page.locator("#fx-release-amount-problems").getByText("1000.00 is more than the 400.00 that remains authorized; release at most that").waitFor();
  await releaseAmount.fill("");

  await page.getByRole("button", { name: "Release", exact: true }).click();
  await page.getByTestId("release-outcome").getByText("Released 400.00 CAD. 0.00 CAD remains authorized; the authorization is closed.").waitFor();
  await page.getByTestId("authorization-status").getByText("closed").waitFor();

  await page.getByLabel("Return amount (CAD)").fill("250.00");
  await page.getByRole("button", { name: "Return", exact: true }).click();
  await page.getByTestId("return-outcome").getByText(/^Returned 250\.00 CAD of capture \d+ \(return \d+\)\. 350\.00 CAD of the capture remains\./).waitFor();
  await page.getByTestId("capture-remaining").getByText("350.00 CAD").waitFor();

  await page.getByRole("radio", { name: /^Full return/ }).check();
  await page.getByRole("button", { name: "Return", exact: true }).click();
  await page.getByTestId("return-outcome").getByText(/^Returned 350\.00 CAD .* 0\.00 CAD of the capture remains\./).waitFor();
  await page.getByTestId("capture-remaining").getByText("0.00 CAD").waitFor();
  // A capture fully returned is no longer offered as one to return.
  const spent = page.locator("#fx-return-capture option").filter({ hasText: /nothing remains of 600\.00 CAD/ });
  await spent.waitFor({ state: "attached" });
  assert.equal(await spent.isDisabled(), true);
  await page.screenshot({ path: screenshotPath("flexiti-terminal-flow"), fullPage: true });

  // The authorization is a deep link that survives a reload.
  await page.reload();
  await page.getByTestId("capture-remaining").getByText("0.00 CAD").waitFor();
  await page.getByTestId("authorization-status").getByText("closed").waitFor();
});

test("a broken rule is shown at the field, and the sandbox's documented error after sending", async () => {
  // A return above what remains of the capture (nothing is left).
  await page.getByRole("radio", { name: "Partial return" }).check();
  const returnAmount = page.getByLabel("Return amount (CAD)");
  await returnAmount.fill("1.00");
  await page.getByText("the capture has been returned in full; nothing remains to return").first().waitFor();
  assert.equal(await returnAmount.getAttribute("aria-invalid"), "true");
  await page.getByRole("button", { name: "Return", exact: true }).click();
  const returned = page.getByTestId("return-outcome");
  await returned.getByText(/409 capture_amount_exceeded/).waitFor();
  assert.equal(await returned.getAttribute("role"), "alert");
  await page.screenshot({ path: screenshotPath("flexiti-return-refused"), fullPage: true });

  // A purchase on an account that is not in good standing.
  // (The form is fresh after the reload: the standing is checked before anything else.)
  await page.getByRole("button", { name: /^Account Test Frozen/ }).click();
  const account = page.getByLabel("Account number");
  await page.locator("#fx-buy-account_number-problems").getByText(/user_not_able_to_purchase/).waitFor();
  assert.equal(await account.getAttribute("aria-invalid"), "true");
  await page.getByLabel("Amount (CAD)", { exact: true }).fill("100.00");
  await page.getByRole("button", { name: "Use the test PIN 2222" }).click();
  await page.getByRole("button", { name: /^Use store 00-12345/ }).click();
  // Verified, so the answer is about the account's standing.
  await verifyCustomer();
  await page.getByRole("button", { name: "Authorize purchase" }).click();
  const bought = page.getByTestId("purchase-outcome");
  await bought.getByText(/409 user_not_able_to_purchase/).waitFor();
  assert.equal(await bought.getAttribute("role"), "alert");
  await page.screenshot({ path: screenshotPath("flexiti-purchase-refused"), fullPage: true });

  // A regular purchase at another store, for the history. The request was verified for the
  // frozen account, not this one: not_verified until this customer is verified (by e-mail:
  // there is no mobile number on file).
  await page.getByRole("button", { name: /^Account Test Business/ }).click();
  await page.getByTestId("purchase-request").getByText(/^Request pos-\d+ was verified for account 10000000000004, not this one: verify this customer in step 2 first\.$/).waitFor();
  await page.getByRole("radio", { name: "Regular purchase" }).check();
  await page.getByLabel("Amount (CAD)", { exact: true }).fill("50.00");
  await page.getByLabel("Store ID").fill("00-99999");
  await page.getByRole("button", { name: "Authorize purchase" }).click();
  await bought.getByText(/^409 not_verified: request_id "pos-\d+" was not verified for account 10000000000008/).waitFor();
  await page.locator("#fx-buy-request_id-problems").getByText(/^not_verified: /).waitFor();
  // A field that leaves the screen leaves the form: an answer the browser could not read,
  // typed for the security question and then hidden by choosing e-mail, holds nothing back.
  await verifyForm().getByRole("radio", { name: "Security question", exact: true }).check();
  await verifyForm().getByLabel("Security answer").evaluate((input) => {
    input.value = "blue\uD800";
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
  await page.locator("#fx-verify-security_answer-problems").getByText(/type that character again/).waitFor();
  await verifyCustomer("E-mail");
  // A reference the browser could not read in full (half of a surrogate pair, handed over as
  // U+FFFD) is refused at its field, and nothing is sent.
  const reference = page.getByLabel("Order reference (optional)");
  await reference.evaluate((input) => {
    input.value = "order-\uD800";
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
  await page.locator("#fx-buy-reference-problems").getByText(/This text holds \uFFFD, where a character could not be read .*type that character again\./).waitFor();
  assert.equal(await reference.getAttribute("aria-invalid"), "true");
  await page.getByRole("button", { name: "Authorize purchase" }).click();
  await bought.getByText("Nothing was sent: fix the marked fields; the focus is on the first.").waitFor();
  await page.waitForFunction(() => document.activeElement?.id === "fx-buy-reference");
  await reference.fill("");
  assert.equal(await reference.getAttribute("aria-invalid"), "false");
  await page.getByRole("button", { name: "Authorize purchase" }).click();
  await bought.getByText(/^Authorized 50\.00 CAD/).waitFor();
});

// What the user reads at a field, found through the control's aria-describedby.
async function describedBy(control) {
  const ids = ((await control.getAttribute("aria-describedby")) ?? "").split(" ").filter(Boolean);
  const texts = [];
  for (const id of ids) texts.push(await page.locator(`[id="${id}"]`).textContent());
  return texts.join(" ");
}

test("amounts are worded as the FlexPay terminal's Amount field: in the units typed, the character out of place, Flexiti's limit", async () => {
  // The 50.00 CAD authorization of the test before is open: capture and release are offered.
  await page.getByTestId("remaining-authorization").getByText("50.00 CAD").waitFor();
  const example = 'Enter digits with at most one ".", e.g. 20.08.';
  const cases = [
    [page.getByLabel("Amount (CAD)", { exact: true }), "12a", `The amount has "a", which is not a digit 0-9. ${example}`],
    [page.getByLabel("Amount (CAD)", { exact: true }), "99999999999999999", "Enter at most 9999999999999999.99, the largest amount Flexiti carries."],
    [page.getByLabel("Capture amount (CAD)"), "0", "Enter an amount above zero, e.g. 20.08."],
    [page.getByLabel("Capture amount (CAD)"), "", "Enter the amount in the currency's units."],
    [page.getByLabel("Release amount (CAD)"), "-5", "Enter an amount above zero, e.g. 20.08."],
    [page.getByLabel("Release amount (CAD)"), "1.2.3", `The amount has a second ".". ${example}`],
  ];
  for (const [field, typed, says] of cases) {
    await field.fill("1");
    await field.fill(typed);
    await page.waitForFunction(
      ([id, text]) => document.getElementById(id)?.textContent === text,
      [`${await field.getAttribute("id")}-problems`, says],
    );
    // The problems follow the field's hint, if it has one.
    assert.ok((await describedBy(field)).endsWith(says), typed);
    assert.equal(await field.getAttribute("aria-invalid"), "true", typed);
  }
  await page.screenshot({ path: screenshotPath("flexiti-terminal-amounts"), fullPage: true });
  await expectNoSeriousAxeViolations(page, "the Flexiti terminal with amount problems");
  const shown = await page.locator("main").textContent();
  for (const core of ["invalid amount", "Write a plain decimal", "amount is required", "send an amount", "number (18,2)"]) {
    assert.ok(!shown.includes(core), `the terminal shows the core's wording "${core}"`);
  }
  for (const label of ["Amount (CAD)", "Capture amount (CAD)", "Release amount (CAD)"]) {
    await page.getByLabel(label, { exact: true }).fill("");
  }

  await go("/flexiti/refund", "Flexiti refund");
  const refund = page.getByLabel("Refund amount (CAD)");
  await refund.fill("abc");
  await page.locator("#fx-refund-amount-problems").getByText(`The amount has "a", which is not a digit 0-9. ${example}`).waitFor();
  assert.equal(await describedBy(refund), `The amount has "a", which is not a digit 0-9. ${example}`);
  assert.equal(await refund.getAttribute("aria-invalid"), "true");
  await page.screenshot({ path: screenshotPath("flexiti-refund-amount"), fullPage: true });
  await refund.fill("");
});

test("history: authorizations and captures by store and date, paged, deep link survives reload", async () => {
  await go("/flexiti/history", "Flexiti history");
  assert.equal(await tabs().getByRole("link", { name: "History" }).getAttribute("aria-current"), "page");
  await page.getByTestId("authorizations-count").getByText("2 authorizations", { exact: true }).waitFor();
  await page.getByTestId("captures-count").getByText("1 capture", { exact: true }).waitFor();
  const pager = page.getByRole("navigation", { name: "Pages of authorizations" });
  await pager.getByText("Page 1 of 1").waitFor();
  assert.equal(await pager.getByRole("button", { name: "Next page" }).isDisabled(), true);
  assert.equal(await pager.getByRole("button", { name: "Previous page" }).isDisabled(), true);

  await page.getByLabel("Store ID").fill("00-99999");
  await page.getByTestId("authorizations-count").getByText("1 authorization", { exact: true }).waitFor();
  await page.getByTestId("captures-count").getByText("No captures match.").waitFor();
  await page.getByLabel("Store ID").fill("00-12345");
  await page.getByTestId("captures-count").getByText("1 capture", { exact: true }).waitFor();

  await page.getByLabel("From (UTC)").fill(today);
  await page.getByLabel("To (UTC)").fill("2000-01-01");
  await page.getByText(/is before creation_date_from/).waitFor();
  assert.equal(await page.getByLabel("To (UTC)").getAttribute("aria-invalid"), "true");
  await page.getByLabel("To (UTC)").fill(today);
  await page.getByTestId("authorizations-count").getByText("1 authorization", { exact: true }).waitFor();
  await page.screenshot({ path: screenshotPath("flexiti-history"), fullPage: true });

  // The filters are in the address: a reload (or a link) shows the same lists.
  assert.equal(new URL(page.url()).search, `?store=00-12345&from=${today}&to=${today}`);
  await page.reload();
  await page.getByRole("heading", { name: "Flexiti history", level: 1 }).waitFor();
  await page.getByTestId("authorizations-count").getByText("1 authorization", { exact: true }).waitFor();
  assert.equal(await page.getByLabel("Store ID").inputValue(), "00-12345");
  assert.equal(await page.getByLabel("To (UTC)").inputValue(), today);
  // The History tab is the bare page: no filters.
  await tabs().getByRole("link", { name: "History" }).click();
  await page.getByTestId("authorizations-count").getByText("2 authorizations", { exact: true }).waitFor();
  assert.equal(await page.getByLabel("Store ID").inputValue(), "");
  assert.equal(new URL(page.url()).search, "");
  // Leaving with filters set lands where asked: the page's address writer stays behind.
  await page.getByLabel("Store ID").fill("00-12345");
  await page.waitForFunction(() => location.search === "?store=00-12345");
  await tabs().getByRole("link", { name: "Customers" }).click();
  await page.getByRole("heading", { name: "Flexiti customers", level: 1 }).waitFor();
  await page.waitForTimeout(500);
  assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, "/flexiti/customers");
  await page.goBack();
  await page.getByRole("heading", { name: "Flexiti history", level: 1 }).waitFor();
  assert.equal(await page.getByLabel("Store ID").inputValue(), "00-12345");
  await page.getByRole("table", { name: "Authorizations" }).getByRole("link").first().click();
  await page.getByRole("heading", { name: "Flexiti terminal", level: 1 }).waitFor();
  await page.getByTestId("authorization-status").waitFor();
});

test("history: the pager keeps the focus on the button pressed, and on the other one at the first or last page", async () => {
  await go("/flexiti/terminal", "Flexiti terminal");
  await page.getByRole("button", { name: /^Account Test Goodstanding/ }).click();
  const amount = page.getByLabel("Amount (CAD)", { exact: true });
  // Ten more in-store purchases, each verified (one verify serves one): over a page of ten.
  for (let i = 0; i < 10; i++) {
    const before = page.url();
    await amount.fill("1.00");
    await verifyCustomer();
    await page.getByRole("button", { name: "Use the test PIN 2222" }).click();
    await page.getByRole("button", { name: /^Use store 00-12345/ }).click();
    await page.getByRole("button", { name: "Authorize purchase" }).click();
    await page.waitForURL((url) => url.href !== before);
  }
  await go("/flexiti/history", "Flexiti history");
  const pager = page.getByRole("navigation", { name: "Pages of authorizations" });
  await pager.getByText("Page 1 of 2").waitFor();
  const focused = () => page.evaluate(() => `${document.activeElement?.id}`);
  await pager.getByRole("button", { name: "Next page" }).focus();
  await page.keyboard.press("Enter");
  await pager.getByText("Page 2 of 2").waitFor();
  // The last page disables Next: the focus is on Previous, not on the page's body.
  await page.waitForFunction(() => document.activeElement?.id === "fx-authorizations-previous");
  await page.keyboard.press("Enter");
  await pager.getByText("Page 1 of 2").waitFor();
  await page.waitForFunction(() => document.activeElement?.id === "fx-authorizations-next");
  assert.equal(await focused(), "fx-authorizations-next");
});

test("history: filters the address gives and the core refuses are shown with the value and why; the lists say what to fix", async () => {
  const none = "Fix the filters marked above to see the list.";
  for (const [query, field, label, message] of [
    ["from=2026-02-30", "creation_date_from", "From (UTC)", 'creation_date_from "2026-02-30" is not a calendar date; write it as YYYY-MM-DD'],
    ["to=abc", "creation_date_to", "To (UTC)", 'creation_date_to "abc" is not a calendar date; write it as YYYY-MM-DD'],
    ["store=%F0%9F%98%80", "external_location_id", "Store ID", "external_location_id contains '😀'; Flexiti accepts printable ASCII only, so transliterate or drop the character"],
  ]) {
    await go(`/flexiti/history?${query}`, "Flexiti history");
    await page.locator(`#fx-history-${field}-problems`).getByText(message, { exact: true }).waitFor();
    assert.equal(await page.getByLabel(label).getAttribute("aria-invalid"), "true", query);
    await page.getByTestId("authorizations-none").getByText(none, { exact: true }).waitFor();
    await page.getByTestId("captures-none").getByText(none, { exact: true }).waitFor();
  }
  assert.equal(await page.getByLabel("Store ID").inputValue(), "😀");
  await page.screenshot({ path: screenshotPath("flexiti-history-refused-filters"), fullPage: true });
  // Fixed, the lists come back.
  await page.getByLabel("Store ID").fill("00-12345");
  await page.getByTestId("captures-count").getByText("1 capture", { exact: true }).waitFor();
});

const FLEXITI_PAGES = [
  ["/flexiti", "Flexiti"],
  ["/flexiti/customers", "Flexiti customers"],
  ["/flexiti/terminal", "Flexiti terminal"],
  ["/flexiti/refund", "Flexiti refund"],
  ["/flexiti/history", "Flexiti history"],
];
const scopeNote = (environment) =>
  `Flexiti environment: ${environment}, set on the Flexiti overview. The header's company and Sandbox/Production mode apply to FlexPay only, not to Flexiti.`;

test("every Flexiti page names the Flexiti environment and says the header's company and mode do not apply to it", async () => {
  for (const [path, heading] of FLEXITI_PAGES) {
    await go(path, heading);
    assert.equal(await page.getByTestId("flexiti-scope").textContent(), scopeNote("TRAINING"), path);
  }
  // In Production the Flexiti pages are the same, and still say so.
  await page.getByRole("button", { name: "Production" }).click();
  await page.getByTestId("flexiti-scope").getByText(scopeNote("TRAINING")).waitFor();
  await page.getByTestId("authorizations-count").getByText("1–10 of 12 authorizations", { exact: true }).waitFor();
  await page.screenshot({ path: screenshotPath("flexiti-history-production-header"), fullPage: true });
  await page.getByRole("button", { name: "Sandbox" }).click();
  await go("/companies", "Companies");
  await page.getByText("The company switcher in the header scopes the FlexPay pages that hold a company's data").waitFor();
});

test("environment: an unsaved choice is shown as unsaved and asks for that environment's credentials; saving it carries nothing over", async () => {
  await go("/flexiti", "Flexiti");
  const select = page.locator("#fx-environment");
  const hint = page.locator("#fx-environment-hint");
  const clientId = page.getByLabel("Client ID");
  await hint.getByText("API base: https://posapi-training.flexiti.fi/flexiti/pos-api/").waitFor();
  await select.selectOption("PRODUCTION");
  await hint.getByText("Not saved: TRAINING is in force. Save PRODUCTION's own client ID and secret to switch (API base: https://posapi.flexiti.fi/flexiti/pos-api/).").waitFor();
  // PRODUCTION's credentials are asked for: neither TRAINING's client id nor its secret.
  assert.equal(await clientId.inputValue(), "");
  assert.equal(await page.getByTestId("secret-state").count(), 0);
  assert.equal(await page.getByLabel("Client secret").inputValue(), "");
  // The token shown is the one in force, TRAINING's.
  await page.getByTestId("token-state").getByText("TRAINING").waitFor();
  await page.getByTestId("flexiti-scope").getByText(scopeNote("TRAINING")).waitFor();
  await page.screenshot({ path: screenshotPath("flexiti-environment-unsaved"), fullPage: true });
  await expectNoSeriousAxeViolations(page, "the Flexiti overview with an unsaved environment");

  // Saving without them is refused, and nothing changes.
  await page.getByRole("button", { name: "Save credentials" }).click();
  await page.getByTestId("credentials-outcome").getByText("Fix the marked fields, then save again; the focus is on the first.").waitFor();
  assert.equal(await clientId.getAttribute("aria-invalid"), "true");
  assert.equal(await page.getByLabel("Client secret").getAttribute("aria-invalid"), "true");

  // Back to the environment in force: its saved credentials again.
  await select.selectOption("TRAINING");
  await hint.getByText("API base: https://posapi-training.flexiti.fi/flexiti/pos-api/").waitFor();
  assert.equal(await clientId.inputValue(), "flexitidemo");
  await page.getByTestId("secret-state").getByText("saved").waitFor();

  // PRODUCTION saved with its own credentials: in force, and TRAINING's token is gone.
  await select.selectOption("PRODUCTION");
  await clientId.fill("production-client");
  await page.getByLabel("Client secret").fill("production-secret");
  await page.getByRole("button", { name: "Save credentials" }).click();
  await page.getByTestId("credentials-outcome").getByText(/^Credentials saved, but no token was issued: the portal embeds the TRAINING sandbox only/).waitFor();
  await hint.getByText("API base: https://posapi.flexiti.fi/flexiti/pos-api/").waitFor();
  await page.getByTestId("token-state").getByText("No token: it is requested before the next call.").waitFor();
  await page.getByTestId("flexiti-scope").getByText(scopeNote("PRODUCTION")).waitFor();
  await go("/flexiti/history", "Flexiti history");
  await page.getByTestId("flexiti-scope").getByText(scopeNote("PRODUCTION")).waitFor();
  // With valid filters the lists name the real cause: only TRAINING is embedded.
  for (const noun of ["authorizations", "captures"]) {
    await page.getByTestId(`${noun}-none`).getByText(
      "Nothing to show: the portal embeds the TRAINING sandbox only; PRODUCTION is reached from your server with its own keys. Switch the environment to TRAINING.",
      { exact: true },
    ).waitFor();
  }

  // And back to TRAINING: PRODUCTION's secret is not kept for it either.
  await go("/flexiti", "Flexiti");
  await select.selectOption("TRAINING");
  assert.equal(await clientId.inputValue(), "");
  assert.equal(await page.getByTestId("secret-state").count(), 0);
  await page.getByRole("button", { name: "Fill in the sandbox's credentials" }).click();
  await page.getByRole("button", { name: "Save credentials" }).click();
  await page.getByTestId("credentials-outcome").getByText(/^Credentials saved\. The TRAINING sandbox issued an access token/).waitFor();
});

test("a document imported without its Flexiti sandbox: the token that sandbox issued is replaced, not shown as invalid_token", async () => {
  await go("/data", "Data & storage");
  const { text } = await download(page, () => page.getByRole("button", { name: "Export to a file" }).click());
  const doc = JSON.parse(text);
  assert.ok(doc.settings.flexiti.token, "a token is saved");
  delete doc.flexitiSandbox;
  const dir = await mkdtemp(join(tmpdir(), "flexkit-flexiti-"));
  const path = join(dir, "no-flexiti.json");
  await writeFile(path, JSON.stringify(doc));
  await page.locator('input[type="file"]').setInputFiles(path);
  await page.getByRole("alertdialog").getByRole("button", { name: "Replace with the file" }).click();
  await page.getByRole("status").getByText(/^Imported /).waitFor();
  await saved(page);
  await rm(dir, { recursive: true, force: true });

  await go("/flexiti/history", "Flexiti history");
  await page.getByTestId("authorizations-count").getByText("No authorizations match.").waitFor();
  await page.getByTestId("captures-count").getByText("No captures match.").waitFor();
  assert.ok(!(await page.locator("main").textContent()).includes("invalid_token"));
  await page.screenshot({ path: screenshotPath("flexiti-history-after-import"), fullPage: true });
});

test("no page errors were logged", () => {
  assert.deepEqual(browser.errors, []);
});
