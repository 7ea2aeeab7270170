// `cargo xtask bench-js`: flexkit against zod 4 and valibot 1 on the same FlexPay charge
// request, in one Node process. The zod and valibot schemas implement comparable rules:
// types, required fields, lengths, digits, Luhn (refine), expiry month, currency code,
// positive integer amount, retryCount >= 0.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import * as flexkit from "flexkit";

const root = process.env.FLEXKIT_ROOT;
const fromRoot = createRequire(root + "/package.json");
const { z } = await import(pathToFileURL(fromRoot.resolve("zod")).href);
const v = await import(pathToFileURL(fromRoot.resolve("valibot")).href);

const NOW = new Date("2026-11-21T10:00:00Z");
const OPTIONS = { now: NOW, environment: "production" };

export const valid = {
  transaction: {
    merchantTransactionId: "mt-2026-000123",
    orderId: "order-98765",
    description: "Monthly plan",
    customerId: "cust-4411",
    currencyCode: "USD",
    amount: 2999,
    customerIp: "203.0.113.7",
    retryCount: 1,
    referenceData: null,
    dateFirstAttempt: "2026-11-20T09:00:00Z",
    paymentMethod: {
      creditCardNumber: "4111111111111111",
      expiryMonth: "09",
      expiryYear: "2029",
      cvv: "123",
      firstName: "Ada",
      lastName: "Lovelace",
      address1: "1 Main Street",
      postalCode: "10001",
      city: "New York",
      state: "NY",
      country: "US",
      email: "ada@example.com",
    },
    retainOnSuccess: false,
  },
};

// Six problems: Luhn, month, currency, amount, retryCount, missing orderId.
export const invalid = structuredClone(valid);
invalid.transaction.paymentMethod.creditCardNumber = "4111111111111112";
invalid.transaction.paymentMethod.expiryMonth = "13";
invalid.transaction.currencyCode = "usd";
invalid.transaction.amount = -5;
invalid.transaction.retryCount = -1;
delete invalid.transaction.orderId;

const luhn = (s) => {
  let sum = 0;
  for (let i = 0; i < s.length; i++) {
    let d = s.charCodeAt(s.length - 1 - i) - 48;
    if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return sum % 10 === 0;
};
const text = (max) => z.string().min(1).max(max);
const zodSchema = z.object({
  transaction: z.object({
    merchantTransactionId: text(255),
    orderId: text(255),
    description: z.string().max(255).optional(),
    customerId: z.string().max(255).optional(),
    currencyCode: z.string().regex(/^[A-Z]{3}$/),
    amount: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    customerIp: z.string().max(45).optional(),
    retryCount: z.number().int().min(0),
    referenceData: z.string().nullable().optional(),
    dateFirstAttempt: z.string().datetime().optional(),
    paymentMethod: z.object({
      creditCardNumber: z.string().regex(/^\d{12,19}$/).refine(luhn, "Luhn"),
      expiryMonth: z.string().regex(/^(0[1-9]|1[0-2])$/),
      expiryYear: z.string().regex(/^\d{4}$/),
      cvv: z.string().regex(/^\d{3,4}$/).optional(),
      firstName: z.string().max(255).optional(),
      lastName: z.string().max(255).optional(),
      address1: z.string().max(255).optional(),
      postalCode: text(20),
      city: text(100),
      state: text(100),
      country: z.string().regex(/^[A-Z]{2}$/).optional(),
      email: z.string().email().optional(),
    }),
    retainOnSuccess: z.boolean(),
  }),
});
const vtext = (max) => v.pipe(v.string(), v.minLength(1), v.maxLength(max));
const valibotSchema = v.object({
  transaction: v.object({
    merchantTransactionId: vtext(255),
    orderId: vtext(255),
    description: v.optional(v.pipe(v.string(), v.maxLength(255))),
    customerId: v.optional(v.pipe(v.string(), v.maxLength(255))),
    currencyCode: v.pipe(v.string(), v.regex(/^[A-Z]{3}$/)),
    amount: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(Number.MAX_SAFE_INTEGER)),
    customerIp: v.optional(v.pipe(v.string(), v.maxLength(45))),
    retryCount: v.pipe(v.number(), v.integer(), v.minValue(0)),
    referenceData: v.optional(v.nullable(v.string())),
    dateFirstAttempt: v.optional(v.pipe(v.string(), v.isoTimestamp())),
    paymentMethod: v.object({
      creditCardNumber: v.pipe(v.string(), v.regex(/^\d{12,19}$/), v.check(luhn, "Luhn")),
      expiryMonth: v.pipe(v.string(), v.regex(/^(0[1-9]|1[0-2])$/)),
      expiryYear: v.pipe(v.string(), v.regex(/^\d{4}$/)),
      cvv: v.optional(v.pipe(v.string(), v.regex(/^\d{3,4}$/))),
      firstName: v.optional(v.pipe(v.string(), v.maxLength(255))),
      lastName: v.optional(v.pipe(v.string(), v.maxLength(255))),
      address1: v.optional(v.pipe(v.string(), v.maxLength(255))),
      postalCode: vtext(20),
      city: vtext(100),
      state: vtext(100),
      country: v.optional(v.pipe(v.string(), v.regex(/^[A-Z]{2}$/))),
      email: v.optional(v.pipe(v.string(), v.email())),
    }),
    retainOnSuccess: v.boolean(),
  }),
});

const contenders = {
  flexkit: (req) => flexkit.validateCharge(req, OPTIONS),
  zod: (req) => zodSchema.safeParse(req),
  valibot: (req) => v.safeParse(valibotSchema, req),
};

// Sanity: every contender accepts the valid request and reports the invalid one in full.
const r = contenders.flexkit(valid);
if (!r.ok) throw new Error("flexkit rejects the valid request: " + JSON.stringify(r.errors));
if (!contenders.zod(valid).success || !contenders.valibot(valid).success) throw new Error("schema rejects valid");
const counts = {
  flexkit: contenders.flexkit(invalid).errors.length,
  zod: contenders.zod(invalid).error.issues.length,
  valibot: contenders.valibot(invalid).issues.length,
};

/** Ops/s of `f(arg)` over one window of about 200 ms. */
function rate(f, arg) {
  let n = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0n;
  while (elapsed < 200_000_000n) {
    for (let i = 0; i < 200; i++) f(arg);
    n += 200;
    elapsed = process.hrtime.bigint() - start;
  }
  return n / (Number(elapsed) / 1e9);
}

/** The best of five windows for each function, the functions taking turns window by window,
 * so that load from elsewhere on the machine weighs on all of them alike. */
function bestOf(fns, arg) {
  const best = {};
  for (const [name, f] of Object.entries(fns)) {
    for (let i = 0; i < 2000; i++) f(arg);
    best[name] = 0;
  }
  for (let round = 0; round < 5; round++) {
    for (const [name, f] of Object.entries(fns)) best[name] = Math.max(best[name], rate(f, arg));
  }
  return best;
}

const opsPerSecond = (f, arg) => bestOf({ f }, arg).f;

const rows = [];
for (const [label, request] of [["valid", valid], ["invalid", invalid]]) {
  rows.push([label, bestOf(contenders, request)]);
}
const fmt = (n) => Math.round(n).toLocaleString("en-US").padStart(12);
console.log(`charge request (${Object.keys(valid.transaction).length} top-level fields, raw card), Node.js ${process.version}`);
console.log(`${"request".padEnd(9)} ${"flexkit".padStart(12)} ${"zod 4".padStart(12)} ${"valibot".padStart(12)}   flexkit/zod  flexkit/valibot   (ops/s)`);
for (const [label, ops] of rows) {
  console.log(
    `${label.padEnd(9)} ${fmt(ops.flexkit)} ${fmt(ops.zod)} ${fmt(ops.valibot)}   ${(ops.flexkit / ops.zod).toFixed(2).padStart(10)}x ${(ops.flexkit / ops.valibot).toFixed(2).padStart(14)}x`,
  );
}
console.log(`problems reported on the invalid request: flexkit ${counts.flexkit}, zod ${counts.zod}, valibot ${counts.valibot}`);

// Each request with its own merchantTransactionId, as in a real batch (a repeated one is refused).
const batch = Array.from({ length: 1000 }, (_, i) => {
  const request = structuredClone(i % 10 === 0 ? invalid : valid);
  request.transaction.merchantTransactionId = `mt-2026-${String(i).padStart(6, "0")}`;
  return request;
});
const batchOps = opsPerSecond((b) => flexkit.validateBatch("charge", b, OPTIONS), batch);
console.log(`flexkit validateBatch (1000 requests, 10% invalid): ${fmt(batchOps * batch.length)} items/s`);
const jsonText = JSON.stringify(valid);
console.log(`flexkit validateChargeJson (text in), valid: ${fmt(opsPerSecond((t) => flexkit.validateChargeJson(t, OPTIONS), jsonText))} ops/s`);
const target = rows[0][1].flexkit / rows[0][1].zod;
console.log(`target: object-in validation >= 1.5x zod 4 on the valid request: ${target >= 1.5 ? "met" : "NOT met"} (${target.toFixed(2)}x)`);

// What a browser downloads for the `flexkit` entry (the files of `cargo xtask size`).
const { readFileSync } = await import("node:fs");
const zlib = await import("node:zlib");
// The package xtask assembled (under CARGO_TARGET_DIR when set), else the default target.
const pkg = process.env.FLEXKIT_PACKAGE
  ? `${process.env.FLEXKIT_PACKAGE}/`
  : fromRoot.resolve("./target/npm/package/package.json").replace(/package\.json$/, "");
let sizes = [0, 0, 0];
for (const f of ["web/flexkit_wasm_bg.wasm", "web/flexkit_wasm.js", "index.js", "lib/validation-api.js", "lib/errors.js", "lib/init.js"]) {
  const b = readFileSync(pkg + f);
  const s = [b.length, zlib.gzipSync(b, { level: 9 }).length, zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length];
  sizes = sizes.map((x, i) => x + s[i]);
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`entry \`flexkit\` (browser): ${kb(sizes[0])} raw, ${kb(sizes[1])} gzip, ${kb(sizes[2])} brotli (target <= 40 KB, limit 80 KB brotli)`);
