// The README's Flexiti example ("Flexiti" in web/npm/README.md), as it is written there:
// readme-examples.test.mjs checks that the packed README holds the text below the marker
// exactly and runs it; tsc --strict type-checks it with and without the DOM lib
// (tsconfig.json, tsconfig.node.json). Change both together.
// ---- README ----
import { tokenRequest, accessToken, tokenNeedsRefresh, prepare } from "flexkit/flexiti";

const credentials = { clientId: "flexitidemo", clientSecret: "my-training-secret" };
const call = tokenRequest(credentials, "TRAINING");
// { method: "POST", url: "https://posapi-training.flexiti.fi/flexiti/pos-api/v2.5/oauth/token",
//   headers: { "content-type": "application/x-www-form-urlencoded", "x-reference-id": "…" },
//   body: "client_id=flexitidemo&client_secret=my-training-secret&grant_type=client_credentials", … }

// After `fetch(call.url, call)` answered 200:
const answer = { token_type: "bearer", access_token: "4f3c9a1e0b7d42c6", expires_in: 1200, refresh_token: "9a1e5b2c7d3f4e60" };
const token = accessToken(answer, "TRAINING", new Date("2026-11-21T10:00:00Z"));
tokenNeedsRefresh(token, new Date("2026-11-21T10:18:59Z")); // false
tokenNeedsRefresh(token, new Date("2026-11-21T10:19:00Z")); // true: renewTokenRequest() gives the call

const ready = prepare({ kind: "capture", authorizationId: "7620877612482005" }, { amount: "600.00" },
  { environment: "TRAINING", clientId: "flexitidemo", token, now: new Date("2026-11-21T10:05:00Z") });
// { ok: true, request: { method: "POST", url: ".../v2.5/client-id/flexitidemo/authorization/7620877612482005/capture",
//   headers: { authorization: "Bearer 4f3c9a1e0b7d42c6", "x-reference-id": "…", "content-type": "application/json" },
//   body: "{\"amount\":\"600.00\"}", … } }
// A token in its last minute gives { ok: false, code: "token_refresh_due", refreshAt, expiresAt, … }:
// renew it first. An expired token, a token or an id of another environment, a customer-scope
// token on a merchant call or an invalid body give { ok: false, code: "token_expired" |
// "token_environment_mismatch" | "environment_mismatch" | "insufficient_scope" | "invalid_request",
// message, errors }.
