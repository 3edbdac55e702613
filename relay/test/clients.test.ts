import { createEntraClient, EntraError } from "../src/entra.js";
import { createGraphClient, GraphError } from "../src/graph.js";
import { ALICE, CLIENT, T0, TENANT } from "./fixtures.js";

function stub(responses: Response[]) {
  const calls: { url: string; init?: RequestInit }[] = [];
  const fetch = async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    return responses.shift() ?? new Response("{}", { status: 500 });
  };
  return { calls, fetch };
}
const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

describe("Entra token client", () => {
  it("exchanges the negotiate token on behalf of the user and caches per user until shortly before expiry", async () => {
    let now = T0;
    const { calls, fetch } = stub([json({ access_token: "g1", expires_in: 3600 }), json({ access_token: "g2", expires_in: 3600 })]);
    const entra = createEntraClient({ loginBaseUrl: "https://login.test", tenantId: TENANT, clientId: CLIENT, clientSecret: "s", fetch, now: () => now });
    expect(await entra.userToken(ALICE, "assertion-1")).toBe("g1");
    expect(calls[0].url).toBe(`https://login.test/${TENANT}/oauth2/v2.0/token`);
    const form = new URLSearchParams(String(calls[0].init?.body));
    expect(Object.fromEntries(form)).toEqual({
      grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
      requested_token_use: "on_behalf_of",
      assertion: "assertion-1",
      client_id: CLIENT,
      client_secret: "s",
      scope: "https://graph.microsoft.com/Chat.Read",
    });
    now += 50 * 60_000;
    expect(await entra.userToken(ALICE, "assertion-2")).toBe("g1");
    now += 9 * 60_000;
    expect(await entra.userToken(ALICE, "assertion-2")).toBe("g2");
    expect(calls).toHaveLength(2);
  });

  it("maps an OAuth error (invalid_grant means the user must negotiate again)", async () => {
    const { fetch } = stub([json({ error: "invalid_grant", error_description: "AADSTS500133: Assertion is not within its valid time range." }, 400)]);
    const entra = createEntraClient({ loginBaseUrl: "https://login.test", tenantId: TENANT, clientId: CLIENT, clientSecret: "s", fetch });
    const error = await entra.userToken(ALICE, "old").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EntraError);
    expect((error as EntraError).needsUser).toBe(true);
  });
});

describe("Graph client", () => {
  it("maps Graph's error shape and Retry-After, without retrying by itself", async () => {
    const { calls, fetch } = stub([json({ error: { code: "TooManyRequests", message: "slow" } }, 429, { "retry-after": "7" })]);
    const graph = createGraphClient({ baseUrl: "https://graph.test/v1.0", fetch });
    const error = await graph.renewSubscription("t", "sub-1", "2025-01-01T00:00:00Z").catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 429, code: "TooManyRequests", retryAfterSeconds: 7 });
    expect((error as GraphError).throttled).toBe(true);
    expect(calls).toHaveLength(1);
    expect(calls[0].init?.method).toBe("PATCH");
    expect(JSON.parse(String(calls[0].init?.body))).toEqual({ expirationDateTime: "2025-01-01T00:00:00Z" });
  });

  it("lists chat member user ids across pages", async () => {
    const { calls, fetch } = stub([
      json({ value: [{ userId: "u1" }, { displayName: "no id" }], "@odata.nextLink": "https://graph.test/v1.0/next" }),
      json({ value: [{ userId: "u2" }] }),
    ]);
    const graph = createGraphClient({ baseUrl: "https://graph.test/v1.0", fetch });
    expect(await graph.listChatMemberIds("t", "19:a@thread.v2")).toEqual(["u1", "u2"]);
    expect(calls[0].url).toBe("https://graph.test/v1.0/chats/19%3Aa%40thread.v2/members");
  });
});
