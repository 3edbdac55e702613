/**
 * The simulated Entra ID under /__sim/login: relay-API user tokens from /__sim/token, the JWKS,
 * client credentials (app-only Graph tokens with roles) and on-behalf-of, with AADSTS refusals.
 */
import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from "../../simulator/demo-data";
import { type DirectoryUser, type SimClient, startClient } from "../../simulator/test-client";

let c: SimClient;
let megan: DirectoryUser;
let tenantId: string;

async function tokenEndpoint(params: Record<string, string>, tenant = tenantId): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await fetch(`${c.url}/__sim/login/${tenant}/oauth2/v2.0/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(params),
  });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

async function apiToken(user = megan.upn, clientId = DEMO_CLIENT_ID, ttlSeconds?: number): Promise<string> {
  const r = await c.control("/token", { method: "POST", json: { user, scopes: [`api://${clientId}/access_as_user`], ttlSeconds } });
  expect(r.status).toBe(200);
  return ((await r.json()) as { access_token: string }).access_token;
}

const obo = (assertion: string, over: Record<string, string> = {}) =>
  tokenEndpoint({
    grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
    requested_token_use: "on_behalf_of",
    assertion,
    scope: "https://graph.microsoft.com/Chat.Read",
    client_id: DEMO_CLIENT_ID,
    client_secret: DEMO_CLIENT_SECRET,
    ...over,
  });

beforeAll(async () => {
  c = await startClient({ seed: "demo" });
  megan = (await c.directory())[0];
  tenantId = c.sim.state.tenantId;
});
afterAll(() => c.close());

describe("user tokens for the relay's API", () => {
  it("/__sim/token issues an RS256 token for api://{clientId}/access_as_user that verifies against the tenant's JWKS", async () => {
    const t = await apiToken();
    const jwks = createRemoteJWKSet(new URL(`${c.url}/__sim/login/${tenantId}/discovery/v2.0/keys`));
    const { payload, protectedHeader } = await jwtVerify(t, jwks, { issuer: `${c.url}/__sim/login/${tenantId}/v2.0`, audience: `api://${DEMO_CLIENT_ID}` });
    expect(protectedHeader.alg).toBe("RS256");
    expect(payload).toMatchObject({ scp: "access_as_user", oid: megan.aadObjectId, tid: tenantId, ver: "2.0" });
    // Graph scopes keep their old behaviour.
    expect((await c.graph(await c.token(megan.upn, ["Chat.Read"]), "/me/chats")).status).toBe(200);
    // The common keys serve the same set.
    const common = (await (await fetch(`${c.url}/__sim/login/common/discovery/v2.0/keys`)).json()) as { keys: { kid: string }[] };
    expect(common.keys.map((k) => k.kid)).toContain(protectedHeader.kid);
  });

  it("refuses an unknown API", async () => {
    const r = await c.control("/token", { method: "POST", json: { user: megan.upn, scopes: ["api://00000000-1111-2222-3333-444444444444/access_as_user"] } });
    expect(r.status).toBe(400);
  });
});

describe("client credentials", () => {
  it("issues an app-only Graph token with roles that Graph accepts for app routes and refuses for /me", async () => {
    const r = await tokenEndpoint({ grant_type: "client_credentials", client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET, scope: "https://graph.microsoft.com/.default" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ token_type: "Bearer", expires_in: expect.any(Number) });
    const t = r.body.access_token as string;
    const claims = JSON.parse(Buffer.from(t.split(".")[1], "base64url").toString());
    expect(claims).toMatchObject({ roles: ["Chat.Read.All", "ChatMember.Read.All"], appid: DEMO_CLIENT_ID, idtyp: "app" });
    expect(claims.scp).toBeFalsy();
    const chat = c.sim.state.chats[0];
    const members = await c.graph(t, `/chats/${encodeURIComponent(chat.id)}/members`);
    expect(members.status).toBe(200);
    expect(((await members.json()) as { value: unknown[] }).value).toHaveLength(chat.members.length);
    expect((await c.graph(t, "/me/chats")).status).toBe(400);
  });

  it("answers AADSTS errors: wrong secret, unknown client, scope without /.default, unknown tenant, unsupported grant", async () => {
    const base = { grant_type: "client_credentials", client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET, scope: "https://graph.microsoft.com/.default" };
    const wrong = await tokenEndpoint({ ...base, client_secret: "nope" });
    expect(wrong).toMatchObject({ status: 401, body: { error: "invalid_client", error_codes: [7000215] } });
    expect(String(wrong.body.error_description)).toMatch(/^AADSTS7000215:/);
    expect(await tokenEndpoint({ ...base, client_id: "11111111-2222-3333-4444-555555555555" })).toMatchObject({ status: 400, body: { error: "unauthorized_client", error_codes: [700016] } });
    expect(await tokenEndpoint({ ...base, scope: "https://graph.microsoft.com/Chat.Read.All" })).toMatchObject({ status: 400, body: { error: "invalid_scope", error_codes: [1002012] } });
    expect((await tokenEndpoint(base, "not-a-tenant")).status).toBe(400);
    expect(await tokenEndpoint({ ...base, grant_type: "password" })).toMatchObject({ status: 400, body: { error: "unsupported_grant_type" } });
  });

  it("uses an app registered through /__sim/apps", async () => {
    expect((await c.control("/apps", { method: "POST", json: { clientId: "aaaaaaaa-0000-0000-0000-000000000001", clientSecret: "s2", roles: ["Chat.Read.All"] } })).status).toBe(201);
    const r = await tokenEndpoint({ grant_type: "client_credentials", client_id: "aaaaaaaa-0000-0000-0000-000000000001", client_secret: "s2", scope: "https://graph.microsoft.com/.default" });
    expect(r.status).toBe(200);
  });
});

describe("on-behalf-of", () => {
  it("exchanges a relay-API user token for a delegated Graph token of that user with the requested scope", async () => {
    const r = await obo(await apiToken());
    expect(r.status).toBe(200);
    const t = r.body.access_token as string;
    const claims = JSON.parse(Buffer.from(t.split(".")[1], "base64url").toString());
    expect(claims).toMatchObject({ oid: megan.aadObjectId, scp: "Chat.Read", appid: DEMO_CLIENT_ID });
    expect((await c.graph(t, "/me/chats")).status).toBe(200);
    // Chat.Read is not ChatMessage.Send.
    const chat = c.sim.state.chats.find((ch) => ch.members.some((m) => m.userId === megan.aadObjectId))!;
    expect((await c.graph(t, `/chats/${encodeURIComponent(chat.id)}/messages`, { method: "POST", json: { body: { content: "x" } } })).status).toBe(403);
  });

  it("refuses an expired, tampered or foreign-audience assertion, and a missing parameter", async () => {
    const expired = await apiToken(megan.upn, DEMO_CLIENT_ID, -400);
    expect(await obo(expired)).toMatchObject({ status: 400, body: { error: "invalid_grant", error_codes: [500133] } });
    const good = await apiToken();
    const [h, p, s] = good.split(".");
    const forged = JSON.parse(Buffer.from(p, "base64url").toString());
    forged.oid = "someone-else";
    expect(await obo(`${h}.${Buffer.from(JSON.stringify(forged)).toString("base64url")}.${s}`)).toMatchObject({ status: 400, body: { error: "invalid_grant", error_codes: [50013] } });
    await c.control("/apps", { method: "POST", json: { clientId: "bbbbbbbb-0000-0000-0000-000000000002", clientSecret: "s3" } });
    const foreign = await apiToken(megan.upn, "bbbbbbbb-0000-0000-0000-000000000002");
    expect(await obo(foreign)).toMatchObject({ status: 400, body: { error: "invalid_grant", error_codes: [50013] } });
    expect(await obo(good, { requested_token_use: "" })).toMatchObject({ status: 400, body: { error: "invalid_request", error_codes: [900144] } });
  });
});
