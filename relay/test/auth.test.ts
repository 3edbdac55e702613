import { SignJWT, base64url } from "jose";
import { createNegotiateAuth } from "../src/negotiateAuth.js";
import { createValidationTokenVerifier } from "../src/validationTokens.js";
import { ALICE, CLIENT, T0, TENANT, createSigner, graphValidationClaims, panelClaims } from "./fixtures.js";

const now = () => T0 + 60_000;

describe("Graph validation tokens", () => {
  it("accepts Graph's tokens and refuses any token that breaks a documented rule", async () => {
    const signer = await createSigner();
    const stranger = await createSigner("k1");
    const verify = createValidationTokenVerifier({ tenantId: TENANT, clientId: CLIENT, keys: signer.keys, now });
    const good = await signer.sign(graphValidationClaims());
    expect(await verify([good])).toBe(true);
    expect(await verify([await signer.sign(graphValidationClaims({ appid: undefined, azp: "0bf30f3b-4a52-48df-9a82-234910c4a086" }))])).toBe(true);

    expect(await verify([good, await signer.sign(graphValidationClaims({ aud: "33333333-3333-4333-8333-333333333333" }))])).toBe(false);
    expect(await verify([await signer.sign(graphValidationClaims({ iss: "https://sts.windows.net/99999999-9999-4999-8999-999999999999/" }))])).toBe(false);
    expect(await verify([await signer.sign(graphValidationClaims({ appid: "44444444-4444-4444-8444-444444444444" }))])).toBe(false);
    expect(await verify([await signer.sign(graphValidationClaims(), { iat: Math.floor(T0 / 1000) - 7200 })])).toBe(false);
    expect(await verify([await stranger.sign(graphValidationClaims())])).toBe(false);
    expect(await verify([])).toBe(false);
    expect(await verify(undefined)).toBe(false);
    expect(await verify(["not-a-jwt"])).toBe(false);
  });
});

describe("negotiate token", () => {
  async function setup() {
    const signer = await createSigner();
    const authenticate = createNegotiateAuth({
      tenantId: TENANT,
      clientId: CLIENT,
      issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`,
      keys: signer.keys,
      now,
    });
    const reasonOf = async (token: string) => {
      const result = await authenticate(`Bearer ${token}`);
      return result.ok ? "ok" : result.reason;
    };
    return { signer, authenticate, reasonOf };
  }

  it("returns the token's oid for a valid token (either audience form)", async () => {
    const { signer, authenticate } = await setup();
    const result = await authenticate(`Bearer ${await signer.sign(panelClaims(ALICE))}`);
    expect(result).toMatchObject({ ok: true, userId: ALICE });
    const plain = await authenticate(`Bearer ${await signer.sign(panelClaims(ALICE, { aud: CLIENT, scp: "User.Read access_as_user" }))}`);
    expect(plain.ok).toBe(true);
  });

  it("refuses foreign audience, issuer and tenant, expiry, missing scope and missing oid", async () => {
    const { signer, reasonOf } = await setup();
    expect(await reasonOf(await signer.sign(panelClaims(ALICE, { aud: "https://graph.microsoft.com" })))).toBe("audience");
    expect(await reasonOf(await signer.sign(panelClaims(ALICE, { iss: "https://login.microsoftonline.com/other/v2.0" })))).toBe("issuer");
    expect(await reasonOf(await signer.sign(panelClaims(ALICE, { tid: "99999999-9999-4999-8999-999999999999" })))).toBe("tenant");
    expect(await reasonOf(await signer.sign(panelClaims(ALICE), { iat: Math.floor(T0 / 1000) - 3600 - 400 }))).toBe("expired");
    // Within the 5 minutes' skew it still passes.
    expect(await reasonOf(await signer.sign(panelClaims(ALICE), { iat: Math.floor(T0 / 1000) - 3600 + 100 }))).toBe("ok");
    expect(await reasonOf(await signer.sign(panelClaims(ALICE, { scp: "User.Read" })))).toBe("scope");
    expect(await reasonOf(await signer.sign(panelClaims(ALICE, { oid: undefined })))).toBe("noUser");
  });

  it("refuses alg none, HS256 and a signature from other keys", async () => {
    const { reasonOf } = await setup();
    const other = await createSigner();
    const payload = base64url.encode(JSON.stringify({ ...panelClaims(ALICE), exp: Math.floor(T0 / 1000) + 3600 }));
    const none = `${base64url.encode(JSON.stringify({ alg: "none", typ: "JWT" }))}.${payload}.`;
    expect(await reasonOf(none)).not.toBe("ok");
    const hs = await new SignJWT(panelClaims(ALICE))
      .setProtectedHeader({ alg: "HS256", kid: "k1" })
      .setExpirationTime(Math.floor(T0 / 1000) + 3600)
      .sign(new TextEncoder().encode("a-shared-secret-of-enough-length-32b"));
    expect(await reasonOf(hs)).toBe("algorithm");
    expect(await reasonOf(await other.sign(panelClaims(ALICE)))).toBe("signature");
  });

  it("refuses a missing or non-bearer header", async () => {
    const { authenticate } = await setup();
    expect(await authenticate(undefined)).toMatchObject({ ok: false, reason: "missingToken" });
    expect(await authenticate("Basic Zm9vOmJhcg==")).toMatchObject({ ok: false, reason: "malformed" });
  });
});
