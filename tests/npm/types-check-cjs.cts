// The CommonJS view of the types (`require` condition) of every entry: what a `.cts` file, or
// a project without "type": "module", sees. Checked by the current TypeScript (tsconfig.json,
// tsconfig.node.json) and by the oldest the README claims (tsconfig.ts5.2.json: TypeScript 5.2,
// which refuses a CommonJS declaration that imports an ES module).
import flexkit = require("flexkit");
import sandbox = require("flexkit/sandbox");
import flexiti = require("flexkit/flexiti");

const check: flexkit.CardNumberCheck = flexkit.checkCardNumber("5244209084665514");
const brand: flexkit.CardBrand | null = check.brand;
console.log(brand);

const charge: flexkit.ChargeRequest = {
  transaction: {
    merchantTransactionId: "m-1", orderId: "order-1", customerId: "cust-1", currencyCode: "USD", amount: 2008,
    retryCount: 2, referenceData: "UkVGMQ==", paymentMethodId: "PM4F2K9Q7XW3ZB8N1TC6VR5YHD",
  },
};
const result: flexkit.ValidationResult = flexkit.validateCharge(charge, { now: new Date() });
console.log(result.ok);
if (!result.ok) {
  const firstError: flexkit.ValidationProblem = result.errors[0];
  console.log(firstError.code);
}

export function sandboxCalls(): void {
  const box = new sandbox.Sandbox(1);
  const { key }: sandbox.GeneratedApiKey = box.generateApiKey("ci", { now: "2026-01-01T00:00:00Z" });
  const same: sandbox.ChargeRequest = charge;
  const answer: sandbox.TransactionResponse = box.charge(key, same, Date.now()).transaction;
  const chain: sandbox.RetryChain = sandbox.RetryChain.afterGatewayDecline("inv", new Date());
  console.log(answer.responseCode, chain.status);
  // @ts-expect-error amounts are integers of minor units
  box.capture(key, answer.transactionId, { transaction: { merchantTransactionId: "m-2", amount: "10.00" } }, 0);
  box.free();
}

export function sandboxAccount(): void {
  const box = new sandbox.Sandbox(1);
  const levels: sandbox.AccessLevelInfo[] = sandbox.accessLevels();
  const rights: sandbox.AccessRightInfo[] = sandbox.accessRights();
  const user: sandbox.NewUser = {
    name: "Ada", username: "ada@example.com", accessLevel: "accountReader", temporaryPassword: box.suggestTemporaryPassword(),
  };
  const added: sandbox.AddUserResult = box.addUser(user, new Date());
  const result: flexkit.ValidationResult = added;
  const users: sandbox.UserListing[] = box.users();
  const updated: sandbox.UpdateUserResult = box.updateUser("ada@example.com", { name: "Ada L" }, 0);
  box.setUserEnabled("ada@example.com", false, 0);
  const config: sandbox.PlatformConfig = box.platformConfig("sandbox");
  const set: sandbox.SetPlatformConfigResult = box.setPlatformConfig("production", { gatewayRouting: "OriginalGatewayRouting" });
  console.log(levels.length, rights.length, result.ok, users.length, updated.ok, config.gatewayRouting, set.ok);
  // @ts-expect-error not an access level
  box.updateUser("ada@example.com", { accessLevel: "admin" }, 0);
  // @ts-expect-error not an environment
  box.setPlatformConfig("staging", {});
  box.free();
}

export function flexitiCalls(): void {
  const box = new flexiti.FlexitiSandbox(1);
  const token: flexiti.AccessToken = box.issueToken(new Date());
  const request: flexiti.CaptureRequest = { amount: "10.00" };
  const ready: flexiti.PrepareResult = flexiti.prepare({ kind: "capture", authorizationId: "7620877612482005" }, request,
    { environment: "TRAINING", clientId: "flexitidemo", token, now: new Date() });
  console.log(ready.ok);
  box.free();
}

export function errors(error: unknown): string {
  const coded = error as flexkit.FlexkitError & Partial<sandbox.SandboxApiError> & Partial<flexiti.FlexitiError>;
  return `${coded.code} ${coded.status ?? ""}`;
}

export async function initialise(bytes: Uint8Array): Promise<void> {
  const input: flexkit.InitInput = bytes;
  await flexkit.init(input);
  await sandbox.init();
  flexiti.initSync(bytes);
}
