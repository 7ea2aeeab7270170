// What the smoke-test pages do with the package, written once: the Vite and webpack builds of
// `main.js`, the plain `<script type="module">` page and the Node run the test compares them
// with all call `runChecks`. Every input and instant is fixed, so the results are the same
// wherever the package runs.

const T0 = "2026-01-01T00:00:00Z";
const NOW = new Date("2026-11-21T10:00:00Z");

// A Visa test number for the card and validation checks; the sandbox declines every card but
// its own test cards (30016), so its charges use the Sandbox Guide's Visa.
const VISA = "4111111111111111";
const SANDBOX_VISA = "4920201996449560";

const charge = (amount, merchantTransactionId, creditCardNumber = VISA) => ({
  transaction: {
    merchantTransactionId,
    orderId: "order-" + merchantTransactionId,
    customerId: "cust-4411",
    currencyCode: "USD",
    amount,
    retryCount: 1,
    referenceData: null,
    paymentMethod: {
      creditCardNumber,
      expiryMonth: "09",
      expiryYear: "2029",
      cvv: "123",
      firstName: "Ada",
      lastName: "Lovelace",
      postalCode: "10001",
      city: "New York",
      state: "NY",
    },
    retainOnSuccess: false,
  },
});

/**
 * `flexkit` is the main entry's namespace; `loadSandbox()` imports `flexkit/sandbox` (lazily,
 * as a checkout page would: its module is only downloaded when it is needed).
 */
export async function runChecks(flexkit, loadSandbox) {
  // Before init() a browser entry throws not_initialized (Node's are ready on import: null).
  const beforeInit = { flexkit: codeOf(() => flexkit.checkCardNumber(VISA)) };
  // One initialisation, idempotent: two concurrent calls and a later one are all fine.
  await Promise.all([flexkit.init(), flexkit.init()]);
  await flexkit.init();

  const card = flexkit.checkCardNumber(VISA);
  const options = { now: NOW, environment: "production" };
  const valid = flexkit.validateCharge(charge(2999, "mt-valid"), options);
  const broken = charge(10.5, "mt-broken");
  delete broken.transaction.orderId;
  broken.transaction.currencyCode = "usd";
  const invalid = flexkit.validateCharge(broken, options);

  const sandboxEntry = await loadSandbox();
  beforeInit.sandbox = codeOf(() => new sandboxEntry.Sandbox(1));
  await sandboxEntry.init();
  const { RetryChain, Sandbox } = sandboxEntry;

  const chain = RetryChain.afterGatewayDecline("inv-1", T0, { merchantTransactionIdBase: "inv-1" });
  const early = chain.nextAttempt("2026-01-01T01:00:00Z");
  const due = chain.nextAttempt("2026-01-02T00:00:00Z");
  const transition = chain.recordResponse(
    {
      responseCode: "20023",
      retryDate: "2026-01-05T00:00:00Z",
      referenceData: "ref-1",
      retryCount: 1,
      merchantTransactionId: "inv-1-r1",
    },
    "2026-01-02T00:00:05Z",
  );
  const status = chain.status;
  chain.free();

  const sandbox = new Sandbox(7);
  const { key } = sandbox.generateApiKey("smoke", { now: T0 });
  const approved = sandbox.charge(key, charge(1000, "mt-approved", SANDBOX_VISA), T0).transaction;
  const softDecline = sandbox.charge(key, charge(2012, "mt-soft", SANDBOX_VISA), T0).transaction;
  const transactionCount = sandbox.transactionCount;
  sandbox.free();

  return {
    beforeInit,
    versions: { flexkit: flexkit.version(), sandbox: sandboxEntry.version() },
    card,
    valid,
    invalid,
    retryChain: { early, due, transition, status },
    sandbox: { approved, softDecline, transactionCount },
  };
}

/** The `code` of what `f` throws, or null when it returns (what it returns is freed). */
function codeOf(f) {
  try {
    f()?.free?.();
    return null;
  } catch (error) {
    return error?.code ?? String(error);
  }
}

/** Writes each result into `root` as a section with its JSON, and the error list as items. */
export function render(root, results) {
  const doc = root.ownerDocument;
  for (const [name, value] of Object.entries(results)) {
    const section = doc.createElement("section");
    section.dataset.check = name;
    const title = doc.createElement("h2");
    title.textContent = name;
    const json = doc.createElement("pre");
    json.textContent = JSON.stringify(value, null, 2);
    section.append(title, json);
    root.append(section);
  }
  const list = doc.createElement("ul");
  list.id = "invalid-errors";
  for (const problem of results.invalid.errors) {
    const item = doc.createElement("li");
    item.dataset.path = problem.path;
    item.dataset.code = problem.code;
    item.textContent = problem.message;
    list.append(item);
  }
  root.querySelector('[data-check="invalid"]').append(list);
}

/**
 * Wires a page: the button is enabled once the modules are imported (nothing has been
 * initialised yet); a click runs the checks and marks `root` done or failed.
 */
export function start(doc, flexkit, loadSandbox) {
  const button = doc.getElementById("run");
  const root = doc.getElementById("results");
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      render(root, await runChecks(flexkit, loadSandbox));
      root.dataset.state = "done";
    } catch (error) {
      root.dataset.state = "failed";
      root.textContent = String(error?.stack ?? error);
      console.error(error);
    }
  });
  button.disabled = false;
}
