// The virtual terminal with the header on Production: a live account without a gateway of its
// own has nothing to send a payment to (50130); once it has one, the simulated live environment
// answers a real card number (any that passes the check digit) by the Sandbox Guide's trigger
// amounts, so a payment can be approved and declined there; the sandbox test cards are not
// offered, and what Production holds never shows in the Sandbox.
import { test } from "node:test";
import assert from "node:assert/strict";

import { screenshotPath } from "./support/browser.mjs";
import { openPortal, ready, sendFromTerminal } from "./support/portal.mjs";

const { server, page } = await openPortal();

async function chargeRealCard(mtid, amount) {
  const field = (name) => page.getByRole("textbox", { name });
  await field(/^Amount/).fill(amount);
  await field("Merchant transaction ID").fill(mtid);
  await field("Order ID").fill(`order-${mtid}`);
  await field("Card number").fill("4111111111111111");
  await field("Expiry (MM/YYYY)").fill("12/2030");
  await field("CVV").fill("123");
  await field("Cardholder name").fill("Avery Quinn");
  await field("Customer email").fill("avery.quinn@example.com");
  await field("City").fill("Portland");
  await field("Postcode / ZIP").fill("97205");
  await field("State / province").fill("OR");
  await sendFromTerminal(page);
  return (await page.getByTestId("response-code").textContent()).trim();
}

test("in Production a real card is approved, a trigger amount declines it, and the test cards are not offered", async () => {
  await page.goto(`${server.url}/terminal`);
  await ready(page);
  await page.getByRole("banner").getByRole("button", { name: "Production" }).click();
  await page.getByText(/Production mode: the embedded sandbox simulates the live environment/).waitFor();
  // Nothing yet in Production: the pages say so in this mode's terms.
  await page.goto(`${server.url}/transactions`);
  await page.getByTestId("transaction-count").getByText("No transactions of Default Company in Production mode yet.").waitFor();
  await page.getByRole("table", { name: "Transactions" }).waitFor();
  await page.goto(`${server.url}/dashboard`);
  await page.getByText(/No declined payments in this period yet\. Production payments are those sent with this mode's API keys/).waitFor();
  assert.equal(await page.getByRole("link", { name: "certification scenarios" }).count(), 0);
  await page.goto(`${server.url}/terminal`);
  await ready(page);
  assert.equal(await page.getByRole("heading", { name: "Sandbox test cards" }).count(), 0);
  assert.equal(await page.getByRole("heading", { name: "Trigger amounts" }).count(), 1);

  // No Production gateway yet: FlexPay's built-in sandbox gateway takes Sandbox payments only.
  assert.match(await chargeRealCard("live-no-gateway-1", "10.00"), /^50130/);
  await page.locator("section.response").getByText(/this company has no Production gateway/).waitFor();
  await page.goto(`${server.url}/gateways`);
  await ready(page);
  await page.getByText(/No gateway yet: live payments are refused \(50130, no gateway\)/).waitFor();
  await page.getByLabel("Name", { exact: true }).fill("Live Stripe");
  await page.getByLabel("Gateway type").selectOption("stripe");
  await page.getByRole("button", { name: "Save gateway" }).click();
  await page.getByTestId("new-gateway-token").waitFor();
  await page.goto(`${server.url}/terminal`);
  await ready(page);

  assert.match(await chargeRealCard("live-approved-1", "10.00"), /^10000/);
  assert.match(await chargeRealCard("live-declined-1", "20.08"), /^20003/);
  await page.screenshot({ path: screenshotPath("terminal-production"), fullPage: true });

  // Production's payments are listed in Production only.
  await page.goto(`${server.url}/transactions`);
  await ready(page);
  const list = page.locator("main table.data");
  await list.getByText("live-approved-1").waitFor();
  await page.getByRole("banner").getByRole("button", { name: "Sandbox" }).click();
  await page.getByRole("banner").getByRole("button", { name: "Sandbox", pressed: true }).waitFor();
  assert.equal(await page.getByText("live-approved-1").count(), 0);

  // Back on the Sandbox the test cards are offered again.
  await page.goto(`${server.url}/terminal`);
  await ready(page);
  await page.getByRole("heading", { name: "Sandbox test cards" }).waitFor();
});
