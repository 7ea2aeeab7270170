// The documented in-store flow of the Flexiti section in a real Chromium, driven from the
// keyboard (focus, typing, Enter and Space): customer search by name, date of birth and postal
// code → calculate-interest quote and the choice of a plan → verify (a wrong security answer
// first; a change of account or a new sale clears its answer) → purchase with the request id and
// PIN (a wrong PIN first) → capture (then Capture and Release are off, with the reason) → refund
// to the account against the capture (an over-limit refund first), with the remaining amounts,
// and everything still there after a reload.
import { test } from "node:test";
import assert from "node:assert/strict";

import { screenshotPath } from "./support/browser.mjs";
import { expectNoSeriousAxeViolations, openPortal, saved } from "./support/portal.mjs";

const { server, browser, page } = await openPortal();

const GOOD = "10000000000001";

async function go(path, heading) {
  await page.goto(`${server.url}${path}`);
  await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
}

/** Focuses `locator` and presses `key`, as a keyboard user would once there. */
async function press(locator, key = "Enter") {
  await locator.focus();
  await page.keyboard.press(key);
}

/** Replaces a field's text by typing it. */
async function type(locator, text) {
  await locator.focus();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Backspace");
  await page.keyboard.type(text);
}

async function invalid(locator) {
  return (await locator.getAttribute("aria-invalid")) === "true";
}

test("the sandbox's credentials are saved", async () => {
  await go("/flexiti", "Flexiti");
  await press(page.getByRole("button", { name: "Fill in the sandbox's credentials" }));
  await press(page.getByRole("button", { name: "Save credentials" }));
  await page.getByTestId("credentials-outcome").getByText(/Credentials saved\./).waitFor();
});

test("search: by name, date of birth and postal code, normalised; errors at the field; results link to a sale", async () => {
  await go("/flexiti/customers", "Flexiti customers");
  const form = page.getByRole("form", { name: "Customer search" });
  const first = form.getByLabel("First name");
  const dob = form.getByLabel("Date of birth");
  await type(first, "test");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "fx-search-last_name");
  await page.keyboard.type("GOODSTANDING");

  // A date of birth in the future is an error at its field, and nothing is sent.
  await dob.fill("2999-01-01");
  await form.locator("#fx-search-dob-problems").getByText(/is not before today/).waitFor();
  assert.ok(await invalid(dob));
  await press(form.getByRole("button", { name: "Search" }));
  await page.getByTestId("search-outcome").getByText(/Nothing was sent/).waitFor();

  // Nobody with that postal code: the sandbox's 404 with its meaning.
  await dob.fill("1980-01-15");
  const postal = form.getByLabel("Postal code (optional)");
  await type(postal, "h2x 1y4");
  await form.getByText("Sent as H2X1Y4.").waitFor();
  await page.keyboard.press("Enter");
  const outcome = page.getByTestId("search-outcome");
  await outcome.getByText(/404 not_found: no account matches that name, dob and postal code/).waitFor();
  assert.equal(await outcome.getAttribute("role"), "alert");

  // Spaces and case do not matter: M1M 1M1 is sent as M1M1M1.
  await type(postal, "m1m 1m1");
  await form.getByText("Sent as M1M1M1.").waitFor();
  await page.keyboard.press("Enter");
  await outcome.getByText("1 account for test GOODSTANDING, born 1980-01-15, postal code M1M1M1.").waitFor();
  const found = page.getByRole("table", { name: "Accounts found" });
  await found.getByText(GOOD).waitFor();
  assert.match(await found.textContent(), /N — normal, purchases allowed.*5000\.00 CAD/);
  await page.screenshot({ path: screenshotPath("flexiti-flow-search"), fullPage: true });

  await press(found.getByRole("link", { name: `Start a purchase for Test Goodstanding, account ${GOOD}` }));
  await page.getByRole("heading", { name: "Flexiti terminal", level: 1 }).waitFor();
  assert.match(page.url(), new RegExp(`/flexiti/terminal\\?account=${GOOD}$`));
  assert.equal(await page.getByLabel("Account number").inputValue(), GOOD);
});

test("quote: plans, terms and payments for the amount, the bypass rule, and the choice carried into the purchase", async () => {
  const amount = page.getByLabel("Amount (CAD)", { exact: true });
  await type(amount, "150.00");
  await page.keyboard.press("Enter");
  const plans = page.getByRole("table", { name: "Plans and terms" });
  await plans.waitFor();
  // Said in a status region: a screen reader hears that the quote came.
  const said = page.getByTestId("quote-outcome");
  assert.equal(await said.getAttribute("role"), "status");
  assert.match(await said.textContent(), /^Quote for 150\.00 CAD: \d+ promotional plans and the regular purchase, below\.$/);
  const row = (label) => plans.getByRole("row").filter({ has: page.getByRole("button", { name: label }) });
  assert.match(await row("Choose EMP-EQUAL, 12 months").textContent(), /12 months12\.50 CAD/);
  assert.match(await row("Choose DEF-NOINT, 6 months").textContent(), /6 months150\.00 CAD/);
  assert.match(await row("Choose regular purchase").textContent(), /10\.00 CAD/);
  // Annual rates read as percentages (the API's 0.2999 is 29.99 %).
  assert.match(await row("Choose regular purchase").textContent(), /CAD\d{1,3}\.\d{2} %/);
  assert.match(await row("Choose EMP-EQUAL, 12 months").textContent(), /CAD\d{1,3}\.\d{2} %/);
  assert.match(await page.getByTestId("bypass").textContent(), /^applies/);

  await press(page.getByRole("button", { name: "Choose DEF-NOINT, 6 months" }));
  await page.getByTestId("chosen").getByText("Chosen: DEF-NOINT, 6 months, carried into the purchase below.").waitFor();
  assert.equal(await page.getByLabel("Plan", { exact: true }).inputValue(), "DEF-NOINT");
  assert.equal(await page.getByLabel("Term (months)").inputValue(), "6");
  await page.screenshot({ path: screenshotPath("flexiti-flow-quote"), fullPage: true });
  await expectNoSeriousAxeViolations(page, "terminal with a quote");

  // Above $200 the regular-purchase bypass no longer applies.
  await type(amount, "250.00");
  assert.equal(await plans.count(), 0, "a quote for another amount is not shown");
  await page.keyboard.press("Enter");
  await page.getByTestId("bypass").getByText(/^does not apply/).waitFor();
  // In the words of the rule (≤ 3 regular purchases already made in 24 h) and of the sandbox.
  assert.equal(
    await page.getByTestId("bypass").textContent(),
    "does not apply (more than $200, or more than 3 regular purchases in the past 24 h): verify the customer",
  );
  assert.equal(await page.getByTestId("over-credit").count(), 0);
  // Above the available credit every plan is quoted, with what a purchase of it meets.
  await type(amount, "5000.01");
  await page.keyboard.press("Enter");
  await page.getByTestId("over-credit").getByText(
    "5000.01 CAD is above the available credit of 5000.00 CAD: Flexiti refuses a purchase of it, on any plan, with credit_exceeded (409). Lower the amount or split the tender.",
  ).waitFor();
  await type(amount, "150.00");
  await page.keyboard.press("Enter");
  await page.getByTestId("bypass").getByText(/^applies/).waitFor();
  assert.equal(await page.getByTestId("over-credit").count(), 0);
});

test("verify: a wrong security answer is shown at the field; SMS with a fresh request id verifies the request", async () => {
  const form = page.getByRole("form", { name: "2. Verify the customer" });
  const outcome = page.getByTestId("verify-outcome");
  await press(form.getByRole("radio", { name: "Security question" }), "Space");
  await form.getByText("TRAINING: Test Goodstanding answers question 5 with “Blue”.").waitFor();
  await type(form.getByLabel("Question ID"), "5");
  const answer = form.getByLabel("Security answer");
  await type(answer, "Red");
  await page.keyboard.press("Enter");
  await outcome.getByText("409 secret_answer_mismatch: the security answer is wrong: ask the customer again").waitFor();
  assert.equal(await outcome.getAttribute("role"), "alert");
  await form.locator("#fx-verify-security_answer-problems").getByText(/secret_answer_mismatch/).waitFor();
  assert.ok(await invalid(answer));
  await page.screenshot({ path: screenshotPath("flexiti-flow-verify-wrong"), fullPage: true });

  // The merchant is not enabled for an override: the error is at the format.
  await press(form.getByRole("radio", { name: "Merchant override" }), "Space");
  await press(form.getByRole("button", { name: "Verify" }));
  await form.locator("#fx-verify-format-problems").getByText(/merchant_override_is_not_allowed/).waitFor();

  // The bypass PIN is returned at once, and the answer says what it covers.
  await press(form.getByRole("radio", { name: "Regular-purchase bypass" }), "Space");
  await press(form.getByRole("button", { name: "Verify" }));
  await outcome.getByText(/^Verified by regular_purchase_bypass for request pos-\d+: PIN \d+ returned; it is filled in the purchase\. It covers only a regular purchase of at most 200\.00 CAD: a promotional plan or a larger amount with this request is refused with not_verified/).waitFor();

  await press(form.getByRole("radio", { name: "SMS" }), "Space");
  const request = form.getByLabel("Request ID");
  const before = await request.inputValue();
  await page.waitForTimeout(5);
  await press(form.getByRole("button", { name: "New request ID" }));
  const id = await request.inputValue();
  assert.match(id, /^pos-\d+$/);
  assert.notEqual(id, before);
  await press(form.getByRole("button", { name: "Verify" }));
  const verified = `PIN sent by SMS for request ${id} (verification_sent_to_sms): ask the customer for the PIN their mobile received and type it in the purchase (TRAINING: 2222).`;
  await outcome.getByText(verified).waitFor();
  await page.getByTestId("purchase-request").getByText(`Request ${id}, verified in step 2: it serves one purchase.`).waitFor();

  // Another Flexiti page and back: the sale is kept, so the customer is not verified twice.
  const tabs = page.getByRole("navigation", { name: "Flexiti" });
  await tabs.getByRole("link", { name: "History" }).click();
  await page.getByRole("heading", { name: "Flexiti history", level: 1 }).waitFor();
  await tabs.getByRole("link", { name: "Terminal" }).click();
  await page.getByTestId("purchase-request").getByText(`Request ${id}, verified in step 2`).waitFor();
  assert.equal(await form.getByLabel("Request ID").inputValue(), id);
  assert.equal(await page.getByLabel("Account number").inputValue(), GOOD);

  // Another account in step 1: the verification was not for it, and step 2 no longer says so;
  // back to the verified account, verifying again says so again.
  const account = page.getByLabel("Account number");
  await type(account, "10000000000008");
  await outcome.waitFor({ state: "detached" });
  await page.getByTestId("purchase-request").getByText(/was verified for account 10000000000001, not this one/).waitFor();
  await type(account, GOOD);
  await press(form.getByRole("button", { name: "Verify" }));
  await outcome.getByText(verified).waitFor();
});

test("purchase: a wrong PIN is refused at the field; the right one authorizes the chosen plan; capture", async () => {
  const form = page.getByRole("form", { name: "3. Purchase" });
  const pin = form.getByLabel("Customer PIN");
  await type(pin, "1111");
  await press(form.getByRole("button", { name: /^Use store 00-12345/ }));
  await press(form.getByRole("button", { name: "Authorize purchase" }));
  const outcome = page.getByTestId("purchase-outcome");
  await outcome.getByText("409 wrong_verification_code: the PIN is wrong: ask the customer for the PIN they received").waitFor();
  assert.equal(await outcome.getAttribute("role"), "alert");
  await form.locator("#fx-buy-verification_code-problems").getByText(/wrong_verification_code/).waitFor();
  assert.ok(await invalid(pin));
  await page.screenshot({ path: screenshotPath("flexiti-flow-wrong-pin"), fullPage: true });

  await type(pin, "2222");
  assert.ok(!(await invalid(pin)), "the refusal was for the other PIN");
  const requestBox = page.getByRole("form", { name: "2. Verify the customer" }).getByLabel("Request ID");
  const usedId = await requestBox.inputValue();
  await press(form.getByRole("button", { name: "Authorize purchase" }));
  await outcome.getByText(/^Authorized 150\.00 CAD: authorization \d+ is opened.* The verification was used by this purchase: verify the customer again for the next one\.$/).waitFor();

  assert.match(page.url(), /\/flexiti\/terminal\?authorization=\d+$/);
  const facts = page.getByTestId("authorization");
  await facts.getByText("Promotional purchase, DEF-NOINT, 6 months").waitFor();
  // The next sale needs a new verification, and the verify step no longer shows the last one.
  await page.getByTestId("purchase-request").getByText(/is not verified yet/).waitFor();
  await page.getByTestId("verify-outcome").waitFor({ state: "detached" });
  // The request just used, typed back: the sandbox's record says it was used.
  const fresh = await requestBox.inputValue();
  await type(requestBox, usedId);
  await page.getByTestId("purchase-request").getByText(`Request ${usedId} was used by an earlier purchase: a verification serves one, so verify the customer again in step 2.`).waitFor();
  await type(requestBox, fresh);

  const capture = page.getByRole("button", { name: "Capture", exact: true });
  const release = page.getByRole("button", { name: "Release", exact: true });
  assert.ok(!(await capture.isDisabled()) && !(await release.isDisabled()), "150.00 CAD remains");
  await page.getByTestId("nothing-remains").waitFor({ state: "detached" });
  // A release of a cent, then a capture of the rest: the release's answer goes, as the
  // capture made it untrue (one answer about the authorization at a time).
  await type(page.getByLabel("Release amount (CAD)"), "0.01");
  await press(release);
  await page.getByTestId("release-outcome").getByText(/^Released 0\.01 CAD\. 149\.99 CAD remains authorized/).waitFor();
  // The purchase's "150.00 CAD remains to capture" is untrue now: it goes too.
  assert.equal(await page.getByTestId("purchase-outcome").count(), 0, "the purchase's answer is gone");
  await press(page.getByRole("button", { name: "Fill in what remains" }));
  await press(capture);
  // The answer is read whole, so that another one (a refusal) is named by the failure.
  await page.getByTestId("capture-outcome").waitFor();
  assert.match(await page.getByTestId("capture-outcome").textContent(), /^Captured 149\.99 CAD: capture \d+\. 0\.00 CAD remains authorized\./);
  assert.equal(await page.getByTestId("release-outcome").count(), 0, "the release's answer is gone");
  await page.getByTestId("capture-remaining").getByText("149.99 CAD").waitFor();
  // Nothing remains: Capture and Release are off, and the page says why.
  await page.getByTestId("nothing-remains").getByText(/^Nothing remains to capture or release: 0\.00 CAD remains/).waitFor();
  assert.ok(await capture.isDisabled(), "Capture is off");
  assert.ok(await release.isDisabled(), "Release is off");
  assert.ok(await page.getByRole("button", { name: "Fill in what remains" }).isDisabled());
  // The button pressed is off now; the focus is on the answer, not lost to the page.
  await page.waitForFunction(() => document.activeElement?.id === "capture-outcome");
  await page.screenshot({ path: screenshotPath("flexiti-flow-purchase"), fullPage: true });
});

test("refund: what remains is shown; an over-limit refund is marked and refused; a refund against the capture", async () => {
  await press(page.getByRole("link", { name: "refund to this account" }));
  await page.getByRole("heading", { name: "Flexiti refund", level: 1 }).waitFor();
  assert.equal(await page.getByRole("navigation", { name: "Flexiti" }).getByRole("link", { name: "Refund" }).getAttribute("aria-current"), "page");
  assert.match(page.url(), new RegExp(`/flexiti/refund\\?account=${GOOD}&capture=\\d+$`));
  const capture = new URL(page.url()).searchParams.get("capture");
  assert.equal(await page.getByLabel("Account number").inputValue(), GOOD);
  assert.equal(await page.getByLabel("Against capture (optional)").inputValue(), capture);
  await page.getByTestId("refund-owed").getByText("149.99 CAD").waitFor();
  await page.getByTestId("refund-capture-remaining").getByText("149.99 CAD").waitFor();

  const amount = page.getByLabel("Refund amount (CAD)");
  await type(amount, "200.00");
  await page.locator("#fx-refund-amount-problems").getByText("200.00 is more than the 149.99 the account owes; refund at most that").waitFor();
  assert.ok(await invalid(amount));
  await page.keyboard.press("Enter");
  const outcome = page.getByTestId("refund-outcome");
  await outcome.getByText(/^Not refunded: 409 refunds_limit_exceeded_amount, marked at the field above\.$/).waitFor();
  assert.equal(await outcome.getAttribute("role"), "alert");
  assert.ok(await invalid(amount), "the amount stays marked");
  await page.screenshot({ path: screenshotPath("flexiti-flow-refund-refused"), fullPage: true });
  await expectNoSeriousAxeViolations(page, "refund with an error");

  await type(amount, "40.00");
  await type(page.getByLabel("Refund reference (optional)"), "RF-1");
  await page.keyboard.press("Enter");
  await outcome.getByText(`Refunded 40.00 CAD to account ${GOOD} against capture ${capture}; the sandbox answered {}.`).waitFor();
  await page.getByTestId("refund-owed").getByText("109.99 CAD").waitFor();
  await page.getByTestId("refund-capture-remaining").getByText("109.99 CAD").waitFor();
  await page.getByRole("option", { name: `${capture} — 109.99 CAD remaining of 149.99 CAD` }).waitFor({ state: "attached" });
  await page.screenshot({ path: screenshotPath("flexiti-flow-refund"), fullPage: true });

  // Saved: the remaining amounts survive a reload.
  await saved(page);
  await page.reload();
  await page.getByTestId("refund-owed").getByText("109.99 CAD").waitFor();
  await page.getByTestId("refund-capture-remaining").getByText("109.99 CAD").waitFor();
});

test("refund: another account drops the capture from the link, the address follows the form, and what is shown is sent", async () => {
  const capture = new URL(page.url()).searchParams.get("capture");
  const account = page.getByLabel("Account number");
  const select = page.getByLabel("Against capture (optional)");
  assert.equal(await select.inputValue(), capture);
  await type(account, "10000000000002");
  // The capture was the other account's: the form no longer refunds against it, and the
  // address says what the form holds.
  await page.waitForFunction(() => /\/flexiti\/refund\?account=10000000000002$/.test(location.href));
  assert.equal(await select.inputValue(), "");
  await page.getByTestId("refund-owed").getByText("1200.00 CAD").waitFor();
  await page.getByTestId("refund-capture-remaining").getByText("— (no capture chosen)").waitFor();
  assert.ok(!(await invalid(account)));
  await type(page.getByLabel("Refund amount (CAD)"), "1200");
  await page.keyboard.press("Enter");
  const outcome = page.getByTestId("refund-outcome");
  await outcome.getByText("Refunded 1200.00 CAD to account 10000000000002; the sandbox answered {}.").waitFor();
  await page.getByTestId("refund-owed").getByText("0.00 CAD").waitFor();
  await page.screenshot({ path: screenshotPath("flexiti-flow-refund-other-account"), fullPage: true });

  // A link naming a capture of another account: the capture is shown as chosen, and the
  // sandbox's not_found is shown once, at the capture.
  await go(`/flexiti/refund?account=10000000000002&capture=${capture}`, "Flexiti refund");
  assert.equal(await select.inputValue(), capture);
  const problem = /not_found: the capture on this account does not exist/;
  await page.locator("#fx-refund-capture_id-problems").getByText(problem).waitFor();
  assert.ok(!(await invalid(account)), "the account is not at fault");
  await type(page.getByLabel("Refund amount (CAD)"), "1");
  await page.keyboard.press("Enter");
  await outcome.getByText(/^Not refunded: 404 not_found, marked at the field above\.$/).waitFor();
  const main = await page.locator("main").textContent();
  assert.equal(main.split("the capture on this account does not exist").length - 1, 1, "the error is shown once");
  await page.screenshot({ path: screenshotPath("flexiti-flow-refund-foreign-capture"), fullPage: true });
  // Choosing no capture is what is sent: the address drops it too.
  await select.selectOption("");
  await page.waitForFunction(() => /\/flexiti\/refund\?account=10000000000002$/.test(location.href));
  assert.equal(await page.locator("#fx-refund-capture_id-problems li").count(), 0);

  // The Refund tab is the bare page: the form empties, as its address says; Back fills it
  // in again from the address before.
  await press(page.getByRole("navigation", { name: "Flexiti" }).getByRole("link", { name: "Refund" }));
  await page.waitForFunction(() => location.pathname === "/flexiti/refund" && location.search === "");
  await page.waitForFunction(() => document.getElementById("fx-refund-account_number").value === "");
  await page.goBack();
  await page.waitForFunction(() => document.getElementById("fx-refund-account_number").value === "10000000000002");
  assert.match(page.url(), /\/flexiti\/refund\?account=10000000000002$/);
  await page.getByTestId("refund-owed").getByText("0.00 CAD").waitFor();
});

test("an address whose capture or authorization is not an id shows it refused at its place, and nothing is sent", async () => {
  await go(`/flexiti/refund?account=${GOOD}&capture=abc`, "Flexiti refund");
  const select = page.getByLabel("Against capture (optional)");
  assert.equal(await select.inputValue(), "abc");
  await page.locator("#fx-refund-capture_id-problems").getByText("capture_id must be a whole number from 1 to 999999999").waitFor();
  await page.getByTestId("refund-owed").getByText("109.99 CAD").waitFor();
  await type(page.getByLabel("Refund amount (CAD)"), "1.00");
  await page.keyboard.press("Enter");
  const outcome = page.getByTestId("refund-outcome");
  await outcome.getByText("Nothing was sent: fix the marked fields; the focus is on the first.").waitFor();
  // The focus went from the Refund amount, where Enter was pressed, to the capture refused.
  await page.waitForFunction(() => document.activeElement?.getAttribute("aria-invalid") === "true");
  assert.equal(await select.evaluate((el) => el === document.activeElement), true);
  await page.getByTestId("refund-owed").getByText("109.99 CAD").waitFor();
  await page.screenshot({ path: screenshotPath("flexiti-flow-refund-bad-capture"), fullPage: true });
  // Choosing a capture of the list, or none, is sent as chosen.
  await select.selectOption("");
  assert.equal(await page.locator("#fx-refund-capture_id-problems li").count(), 0);

  for (const [id, why] of [
    ["abc", "authorization_id must be digits only; remove spaces, dashes and other characters"],
    ["12345678901234567", "authorization_id has 17 digits; it has at most 16"],
  ]) {
    await go(`/flexiti/terminal?authorization=${id}`, "Flexiti terminal");
    const shown = page.getByTestId("authorization-problem");
    await shown.getByText(`The address names authorization “${id}”: ${why}.`).waitFor();
    assert.equal(await shown.getAttribute("role"), "alert");
  }
  await page.screenshot({ path: screenshotPath("flexiti-flow-terminal-bad-authorization"), fullPage: true });
});

test("no page errors were logged", () => {
  assert.deepEqual(browser.errors, []);
});
