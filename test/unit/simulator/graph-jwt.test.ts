/**
 * Graph in the simulator accepts RS256 access tokens from a trusted OpenID Connect provider
 * (the harness's sign-in) only when signature, issuer, audience, lifetime and scp hold, and
 * answers like Graph when they do not: 401 InvalidAuthenticationToken, or 403 for a missing scope.
 */
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { SignJWT, importJWK, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startClient, type DirectoryUser, type SimClient } from "../../simulator/test-client";

const ISSUER = "https://127.0.0.1:1/oidc/tenant";
let c: SimClient;
let user: DirectoryUser;
let privateJwk: JWK;
let otherJwk: JWK;
const kid = randomUUID();

function keyPair(): { priv: JWK; pub: JWK } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { priv: { ...privateKey.export({ format: "jwk" }), kid, alg: "RS256" } as JWK, pub: { ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" } as JWK };
}

async function token(claims: Record<string, unknown>, opts: { key?: JWK; issuer?: string; audience?: string; expiresIn?: number; iat?: number } = {}): Promise<string> {
  const key = await importJWK(opts.key ?? privateJwk, "RS256");
  const now = opts.iat ?? Math.floor(Date.now() / 1000);
  return new SignJWT({ oid: user.aadObjectId, tid: "tenant", upn: user.upn, ...claims })
    .setProtectedHeader({ alg: "RS256", kid })
    .setIssuer(opts.issuer ?? ISSUER)
    .setAudience(opts.audience ?? "https://graph.microsoft.com")
    .setSubject(user.aadObjectId)
    .setIssuedAt(now)
    .setExpirationTime(now + (opts.expiresIn ?? 3600))
    .sign(key);
}

async function errorOf(res: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await res.json()) as { error: { code: string; message: string } };
  return { status: res.status, code: body.error.code, message: body.error.message };
}

beforeAll(async () => {
  c = await startClient({ seed: "demo" });
  user = (await c.directory()).find((u) => !u.isdisabled)!;
  const mine = keyPair();
  privateJwk = mine.priv;
  otherJwk = keyPair().priv;
  c.sim.trustIssuer({ issuer: ISSUER, jwks: { keys: [mine.pub] } });
});

afterAll(async () => {
  await c?.close();
});

describe("RS256 tokens from the trusted provider", () => {
  it("accepts a valid token and acts as its oid", async () => {
    const res = await c.graph(await token({ scp: "Chat.Read" }), "/me/chats?$top=5");
    expect(res.status).toBe(200);
    const log = (await (await c.control("/requests")).json()) as { requests: Array<{ caller?: string }> };
    expect(log.requests.at(-1)?.caller).toBe(user.upn);
  });

  it("answers 403 with Graph's error when the token lacks the route's scope", async () => {
    const chats = (await (await c.graph(await token({ scp: "Chat.Read" }), "/me/chats?$top=1")).json()) as { value: Array<{ id: string }> };
    const res = await c.graph(await token({ scp: "Chat.Read" }), `/chats/${encodeURIComponent(chats.value[0].id)}/messages`, { method: "POST", json: { body: { content: "hi" } } });
    const e = await errorOf(res);
    expect(e.status).toBe(403);
    expect(e.code).toBe("Forbidden");
  });

  it.each([
    ["a key the provider does not publish", { key: "other" }, "Access token validation failure."],
    ["another issuer", { issuer: "https://evil.example/oidc" }, "Access token validation failure. Invalid issuer."],
    ["another audience", { audience: "api://someone-else" }, "Access token validation failure. Invalid audience."],
    ["an expired token", { iat: Math.floor(Date.now() / 1000) - 7200, expiresIn: 600 }, "Lifetime validation failed, the token is expired."],
  ])("refuses %s with 401 InvalidAuthenticationToken", async (_name, variant, message) => {
    const v = variant as { key?: string; issuer?: string; audience?: string; iat?: number; expiresIn?: number };
    const t = await token({ scp: "Chat.Read" }, { ...v, key: v.key === "other" ? otherJwk : undefined });
    const e = await errorOf(await c.graph(t, "/me/chats?$top=1"));
    expect(e).toMatchObject({ status: 401, code: "InvalidAuthenticationToken", message });
  });

  it("treats every token issued before /__sim/expire-tokens as expired, and accepts newer ones", async () => {
    const before = await token({ scp: "Chat.Read" }, { iat: Math.floor(Date.now() / 1000) - 5 });
    expect((await c.graph(before, "/me/chats?$top=1")).status).toBe(200);
    expect((await c.control("/expire-tokens", { method: "POST", json: {} })).status).toBe(200);
    const e = await errorOf(await c.graph(before, "/me/chats?$top=1"));
    expect(e).toMatchObject({ status: 401, message: "Lifetime validation failed, the token is expired." });
    const after = await token({ scp: "Chat.Read" }, { iat: Math.floor(Date.now() / 1000) + 2 });
    expect((await c.graph(after, "/me/chats?$top=1")).status).toBe(200);
  });
});
