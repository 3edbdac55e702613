import { generateKeyPair, exportJWK, createLocalJWKSet, SignJWT, type JWTPayload, type CryptoKey } from "jose";
import { generate } from "selfsigned";
import type { Clock } from "../src/clock.js";
import type { RelayConfig } from "../src/config.js";
import type { TokenProvider } from "../src/entra.js";
import { EntraError } from "../src/entra.js";
import { GraphError, type GraphClient, type NewSubscription, type Subscription } from "../src/graph.js";
import type { Frame, Push } from "../src/push.js";

export const TENANT = "11111111-1111-4111-8111-111111111111";
export const CLIENT = "22222222-2222-4222-8222-222222222222";
export const ALICE = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
export const BOB = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb";
export const CAROL = "cccccccc-cccc-4ccc-8ccc-cccccccccccc";
export const CLIENT_STATE = "client-state-secret-0123456789";
export const CERT_ID = "relay-cert-1";
export const ACCESS_KEY = "wps-access-key";
export const T0 = Date.parse("2025-03-01T10:00:00Z");

let certPromise: Promise<{ cert: string; key: string }> | undefined;
/** One RSA 2048 certificate for the whole test run. */
export function testCertificate(): Promise<{ cert: string; key: string }> {
  certPromise ??= generate([{ name: "commonName", value: "relay.test" }], { keySize: 2048, algorithm: "sha256" }).then(
    (pems) => ({ cert: pems.cert, key: pems.private }),
  );
  return certPromise;
}

export interface Signer {
  keys: ReturnType<typeof createLocalJWKSet>;
  sign(claims: JWTPayload, options?: { expiresInSeconds?: number; iat?: number; alg?: string }): Promise<string>;
}

/** An RS256 key pair with its local JWKS (the identity platform's keys in tests). */
export async function createSigner(kid = "k1"): Promise<Signer> {
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  const keys = createLocalJWKSet({ keys: [jwk] });
  return {
    keys,
    async sign(claims, options = {}) {
      const iat = options.iat ?? Math.floor(T0 / 1000);
      return new SignJWT(claims)
        .setProtectedHeader({ alg: "RS256", kid, typ: "JWT" })
        .setIssuedAt(iat)
        .setNotBefore(iat)
        .setExpirationTime(iat + (options.expiresInSeconds ?? 3600))
        .sign(privateKey as CryptoKey);
    },
  };
}

export function panelClaims(userId: string, overrides: JWTPayload = {}): JWTPayload {
  return {
    iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
    aud: `api://${CLIENT}`,
    tid: TENANT,
    oid: userId,
    scp: "access_as_user",
    ver: "2.0",
    ...overrides,
  };
}

export function graphValidationClaims(overrides: JWTPayload = {}): JWTPayload {
  return {
    iss: `https://sts.windows.net/${TENANT}/`,
    aud: CLIENT,
    appid: "0bf30f3b-4a52-48df-9a82-234910c4a086",
    tid: TENANT,
    ver: "1.0",
    ...overrides,
  };
}

/** A manual clock: timers run when the test advances time. */
export class FakeClock implements Clock {
  private timers = new Map<number, { at: number; fn: () => void }>();
  private nextId = 1;
  constructor(public time = T0) {}
  now = () => this.time;
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + Math.max(0, ms), fn });
    return id;
  };
  clearTimeout = (handle: unknown) => {
    this.timers.delete(handle as number);
  };
  pending(): number {
    return this.timers.size;
  }
  /** Moves time forward, running every timer due on the way (and the promise work it starts). */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await flush();
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = Math.max(this.time, due[1].at);
      due[1].fn();
    }
    this.time = end;
    await flush();
  }
}

/** Lets pending promise chains (including mocked I/O) settle. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export class FakePush implements Push {
  frames: { userId: string; frame: Frame }[] = [];
  async clientUrl(userId: string, minutes: number) {
    return { url: `ws://wps.test/client/hubs/chat?access_token=${encodeURIComponent(userId)}.${minutes}` };
  }
  async sendToUser(userId: string, frame: Frame) {
    this.frames.push({ userId, frame });
  }
  to(userId: string): Frame[] {
    return this.frames.filter((f) => f.userId === userId).map((f) => f.frame);
  }
}

/** In-memory Graph: records calls; a test can queue failures per operation. */
export class FakeGraph implements GraphClient {
  subscriptions = new Map<string, Subscription & { token: string }>();
  calls: { op: string; id?: string; resource?: string; token: string; expirationDateTime?: string }[] = [];
  failures: Partial<Record<"create" | "renew" | "delete" | "list" | "members", GraphError[]>> = {};
  members = new Map<string, string[]>();
  private seq = 0;
  constructor(readonly clock?: Clock) {}

  private fail(op: keyof FakeGraph["failures"]): void {
    const error = this.failures[op]?.shift();
    if (error) throw error;
  }
  async createSubscription(token: string, body: NewSubscription): Promise<Subscription> {
    this.calls.push({ op: "create", resource: body.resource, token, expirationDateTime: body.expirationDateTime });
    this.fail("create");
    const id = `sub-${++this.seq}`;
    const sub = { ...body, id, token };
    this.subscriptions.set(id, sub);
    return sub;
  }
  async renewSubscription(token: string, id: string, expirationDateTime: string): Promise<Subscription> {
    this.calls.push({ op: "renew", id, token, expirationDateTime });
    this.fail("renew");
    const sub = this.subscriptions.get(id);
    if (!sub) throw new GraphError(404, "ResourceNotFound", "subscription not found");
    sub.expirationDateTime = expirationDateTime;
    return sub;
  }
  async deleteSubscription(token: string, id: string): Promise<void> {
    this.calls.push({ op: "delete", id, token });
    this.fail("delete");
    this.subscriptions.delete(id);
  }
  async listSubscriptions(token: string): Promise<Subscription[]> {
    this.calls.push({ op: "list", token });
    this.fail("list");
    return [...this.subscriptions.values()].filter((s) => s.token === token);
  }
  async listChatMemberIds(token: string, chatId: string): Promise<string[]> {
    this.calls.push({ op: "members", id: chatId, token });
    this.fail("members");
    return [...(this.members.get(chatId) ?? [])];
  }
  ops(op: string) {
    return this.calls.filter((c) => c.op === op);
  }
}

/** Tokens: `obo:<user>` per user and `app`; a user's exchange can be made to fail. */
export class FakeTokens implements TokenProvider {
  failingUsers = new Set<string>();
  assertions: { userId: string; assertion: string }[] = [];
  async appToken() {
    return "app";
  }
  async userToken(userId: string, assertion: string) {
    this.assertions.push({ userId, assertion });
    if (this.failingUsers.has(userId)) throw new EntraError(400, "invalid_grant", "AADSTS500133: assertion expired");
    return `obo:${userId}`;
  }
  forgetUser() {}
}

export async function testConfig(overrides: Partial<RelayConfig> = {}): Promise<RelayConfig> {
  const { cert, key } = await testCertificate();
  return {
    tenantId: TENANT,
    clientId: CLIENT,
    clientSecret: "secret",
    publicUrl: "https://relay.test",
    mode: "perUser",
    webPubSubConnectionString: `Endpoint=http://localhost:7071;AccessKey=${ACCESS_KEY};Version=1.0;`,
    webPubSubHub: "chat",
    notificationCertPem: cert,
    notificationKeyPem: key,
    notificationCertId: CERT_ID,
    clientStateSecret: CLIENT_STATE,
    allowedOrigins: ["https://*.crm.dynamics.com", "https://panel.test"],
    graphBaseUrl: "https://graph.test/v1.0",
    loginBaseUrl: "https://login.microsoftonline.com",
    tokenIssuer: `https://login.microsoftonline.com/${TENANT}/v2.0`,
    negotiateJwksUrl: "https://login.test/keys",
    validationJwksUrl: "https://login.test/common/keys",
    graceMinutes: 15,
    port: 0,
    ...overrides,
  };
}
