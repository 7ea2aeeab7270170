// The README's RetryChain example ("Recovering a declined payment: `RetryChain`" in
// web/npm/README.md), as it is written there: readme-examples.test.mjs checks that the packed
// README holds the text below the marker exactly and runs it with `rebill` and `visa` of the
// README's first sandbox example (readme-requests.mjs); tsc --strict type-checks it
// (tsconfig.json, tsconfig.node.json, tsconfig.ts5.2.json) with the two declared as below, so
// the example narrows every answer it reads. Change both together.
import type { ChargeRequest } from "flexkit/sandbox";
declare const rebill: (id: string, amount: number, paymentMethod: object) => ChargeRequest;
declare const visa: object;
// ---- README ----
import { RetryChain, Sandbox } from "flexkit/sandbox";

const sandbox = new Sandbox(11);
const { key } = sandbox.generateApiKey("ci", { now: "2026-06-01T00:00:00Z" });
const chain = RetryChain.afterGatewayDecline("INV-1001", "2026-06-01T00:00:00Z", {
  merchantTransactionIdBase: "INV-1001",
  policy: { maxRetries: 15, maxAgeDays: 30 },          // FlexPay's own limits, the default
});

let now = "2026-06-02T00:00:00Z";                        // a day after the decline, the default
const next = chain.nextAttempt(now);                     // { ok: true, attempt } or { ok: false, notReady }
if (!next.ok) throw new Error(next.notReady.message);    // not due yet, awaiting a response, or ended
const { attempt } = next;                                // retryCount 1, referenceData null
const id = attempt.merchantTransactionId;                // { kind: "derived", id: "INV-1001-r1" }
if (id.kind !== "derived") throw new Error("a chain with a merchantTransactionIdBase derives the ids");
const request = rebill(id.id, 2008, visa);
Object.assign(request.transaction, {
  retryCount: attempt.retryCount, referenceData: attempt.referenceData, dateFirstAttempt: attempt.dateFirstAttempt,
});
const declined = sandbox.charge(key, request, now);      // 20003, with a retryDate and referenceData
const step = chain.recordResponse(declined, now);        // the { transaction } envelope will do
// step.next: { action: "sendAttempt", retryCount: 2, at: "2026-06-03T00:00:00Z" }
if (step.next.action === "sendAttempt") now = step.next.at;  // other actions: see below
const retry = chain.nextAttempt(now);
const referenceData = retry.ok ? retry.attempt.referenceData : null; // declined.transaction.referenceData

// Kept with the invoice in a JSON column: JSON.stringify embeds the stored chain (toJSON),
// and RetryChain.fromJson takes it back as the object JSON.parse gives, or as toJson()'s text.
const row = JSON.stringify({ invoice: "INV-1001", chain });
const restored = RetryChain.fromJson(JSON.parse(row).chain);
restored.toJson() === chain.toJson();                     // true: the attempt in flight included
