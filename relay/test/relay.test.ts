import { silentLogger } from "../src/clock.js";
import { createDecryptor, encryptResourceData, type Decryptor } from "../src/crypto.js";
import { webPubSubSignature } from "../src/presence.js";
import { createRelay, type Relay } from "../src/server.js";
import {
  ACCESS_KEY,
  ALICE,
  BOB,
  CAROL,
  CERT_ID,
  CLIENT_STATE,
  FakeClock,
  FakeGraph,
  FakePush,
  FakeTokens,
  createSigner,
  graphValidationClaims,
  panelClaims,
  testCertificate,
  testConfig,
  type Signer,
} from "./fixtures.js";

const CHAT = "19:case-chat@thread.v2";

interface Harness {
  relay: Relay;
  url: string;
  push: FakePush;
  graph: FakeGraph;
  clock: FakeClock;
  decryptCalls: number;
  panelSigner: Signer;
  graphSigner: Signer;
  cert: string;
}

const open: Relay[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

async function harness(mode: "perUser" | "tenant" = "perUser"): Promise<Harness> {
  const config = await testConfig({ mode });
  const { cert, key } = await testCertificate();
  const clock = new FakeClock();
  const push = new FakePush();
  const graph = new FakeGraph(clock);
  const panelSigner = await createSigner();
  const graphSigner = await createSigner("g1");
  const real = createDecryptor({ privateKeyPem: key, certificateId: CERT_ID });
  const h = { push, graph, clock, decryptCalls: 0, panelSigner, graphSigner, cert } as Harness;
  const decryptor: Decryptor = {
    decrypt(content) {
      h.decryptCalls++;
      return real.decrypt(content);
    },
  };
  h.relay = createRelay(config, {
    clock,
    push,
    graph,
    tokens: new FakeTokens(),
    log: silentLogger,
    negotiateKeys: panelSigner.keys,
    validationKeys: graphSigner.keys,
    decryptor,
  });
  open.push(h.relay);
  h.url = (await h.relay.listen(0)).url;
  return h;
}

async function negotiate(h: Harness, userId: string, init: { origin?: string; token?: string; body?: unknown } = {}) {
  const token = init.token ?? (await h.panelSigner.sign(panelClaims(userId)));
  return fetch(`${h.url}/api/negotiate`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      ...(init.origin ? { origin: init.origin } : {}),
    },
    body: JSON.stringify(init.body ?? {}),
  });
}

async function wpsEvent(h: Harness, type: "connected" | "disconnected", connectionId: string, userId: string, key = ACCESS_KEY) {
  return fetch(`${h.url}/api/webpubsub/events`, {
    method: "POST",
    headers: {
      "ce-type": `azure.webpubsub.sys.${type}`,
      "ce-userid": userId,
      "ce-connectionid": connectionId,
      "ce-hub": "chat",
      "ce-signature": webPubSubSignature(connectionId, key),
      "content-type": "application/json",
    },
    body: "{}",
  });
}

async function notification(
  h: Harness,
  subscriptionId: string,
  resource: unknown,
  options: { chatId?: string; clientState?: string; changeType?: string; members?: boolean; tamper?: boolean } = {},
) {
  const chatId = options.chatId ?? CHAT;
  const encryptedContent = encryptResourceData(resource, h.cert, CERT_ID);
  if (options.tamper) encryptedContent.dataSignature = Buffer.alloc(32).toString("base64");
  const id = (resource as { id: string }).id;
  return {
    subscriptionId,
    changeType: options.changeType ?? "created",
    clientState: options.clientState ?? CLIENT_STATE,
    tenantId: "t",
    resource: options.members ? `chats('${chatId}')/members('${id}')` : `chats('${chatId}')/messages('${id}')`,
    resourceData: { id },
    encryptedContent,
  };
}

async function post(h: Harness, value: unknown[], validationTokens?: string[]) {
  const tokens = validationTokens ?? [await h.graphSigner.sign(graphValidationClaims())];
  const response = await fetch(`${h.url}/api/notifications`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ value, validationTokens: tokens }),
  });
  await h.relay.idle();
  return response;
}

const message = (id: string, chatId = CHAT) => ({ id, chatId, body: { contentType: "text", content: "hello" } });

describe("relay HTTP API", () => {
  it("echoes Graph's validation token as text/plain on both webhooks", async () => {
    const h = await harness();
    for (const path of ["notifications", "lifecycle"]) {
      const response = await fetch(`${h.url}/api/${path}?validationToken=${encodeURIComponent("Validation: <b>x</b> & y")}`, {
        method: "POST",
      });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(await response.text()).toBe("Validation: <b>x</b> & y");
    }
  });

  it("answers notifications with 202, malformed JSON with 400, oversized bodies with 413", async () => {
    const h = await harness();
    expect((await post(h, [])).status).toBe(202);
    const bad = await fetch(`${h.url}/api/notifications`, { method: "POST", body: "{not json" });
    expect(bad.status).toBe(400);
    const big = await fetch(`${h.url}/api/negotiate`, { method: "POST", body: "x".repeat(70_000) });
    expect(big.status).toBe(413);
  });

  it("negotiates: 200 with a client URL for the token's user, whatever the body says", async () => {
    const h = await harness();
    const response = await negotiate(h, ALICE, { body: { userId: BOB }, origin: "https://contoso.crm.dynamics.com" });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("https://contoso.crm.dynamics.com");
    const body = (await response.json()) as { url: string; expiresOn: string };
    expect(body).toMatchObject({ userId: ALICE, mode: "perUser" });
    expect(body.url).toContain(encodeURIComponent(ALICE));
    expect(Date.parse(body.expiresOn)).toBe(h.clock.now() + 60 * 60_000);
    expect([...h.graph.subscriptions.values()].map((s) => s.resource)).toEqual([`/users/${ALICE}/chats/getAllMessages`]);
  });

  it("refuses bad tokens with 401 invalidToken", async () => {
    const h = await harness();
    const cases = [
      await h.panelSigner.sign(panelClaims(ALICE, { aud: "api://someone-else" })),
      await h.panelSigner.sign(panelClaims(ALICE, { tid: "99999999-9999-4999-8999-999999999999" })),
      await h.panelSigner.sign(panelClaims(ALICE), { iat: Math.floor(h.clock.now() / 1000) - 7200 }),
      await (await createSigner()).sign(panelClaims(ALICE)),
      "garbage",
    ];
    for (const token of cases) {
      const response = await negotiate(h, ALICE, { token });
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invalidToken");
    }
    expect(h.graph.calls).toHaveLength(0);
  });

  it("answers CORS preflight only for allowed origins", async () => {
    const h = await harness();
    const preflight = (origin: string) =>
      fetch(`${h.url}/api/negotiate`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization" },
      });
    const ok = await preflight("https://org1.crm4.dynamics.com".replace("crm4", "crm"));
    expect(ok.status).toBe(204);
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://org1.crm.dynamics.com");
    expect(ok.headers.get("access-control-allow-headers")).toContain("authorization");
    for (const origin of ["https://evil.example", "https://a.b.crm.dynamics.com", "http://org1.crm.dynamics.com"]) {
      const refused = await preflight(origin);
      expect(refused.status).toBe(403);
      expect(refused.headers.get("access-control-allow-origin")).toBeNull();
    }
    expect((await negotiate(h, ALICE, { origin: "https://evil.example" })).status).toBe(403);
  });

  it("answers 503 with Retry-After when Graph throttles the subscription", async () => {
    const h = await harness();
    const { GraphError } = await import("../src/graph.js");
    h.graph.failures.create = [new GraphError(429, "TooManyRequests", "slow down", 20)];
    const response = await negotiate(h, ALICE);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("20");
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("subscriptionFailed");
  });

  it("verifies Web PubSub event signatures and answers the abuse-protection check", async () => {
    const h = await harness();
    expect((await wpsEvent(h, "connected", "c1", ALICE, "wrong-key")).status).toBe(401);
    expect(h.relay.stats().connections.users).toBe(0);
    expect((await wpsEvent(h, "connected", "c1", ALICE)).status).toBe(204);
    expect(h.relay.stats().connections).toEqual({ users: 1, connections: 1 });
    const options = await fetch(`${h.url}/api/webpubsub/events`, { method: "OPTIONS", headers: { "webhook-request-origin": "localhost" } });
    expect(options.status).toBe(200);
    expect(options.headers.get("webhook-allowed-origin")).toBe("localhost");
    const foreign = await fetch(`${h.url}/api/webpubsub/events`, { method: "OPTIONS", headers: { "webhook-request-origin": "evil.example" } });
    expect(foreign.status).toBe(403);
  });

  it("health shows counters and subscription state without secrets", async () => {
    const h = await harness();
    await negotiate(h, ALICE);
    const health = await (await fetch(`${h.url}/api/health`)).json();
    expect(health).toMatchObject({ status: "ok", mode: "perUser", subscriptions: { userSubscriptions: 1 } });
    const text = JSON.stringify(health);
    expect(text).not.toContain(CLIENT_STATE);
    expect(text).not.toContain("secret");
  });
});

describe("fan-out, per-user mode", () => {
  it("delivers a user's notification only to that user, decrypted", async () => {
    const h = await harness();
    await negotiate(h, ALICE);
    await negotiate(h, BOB);
    await wpsEvent(h, "connected", "ca", ALICE);
    await wpsEvent(h, "connected", "cb", BOB);
    const aliceSub = [...h.graph.subscriptions.values()].find((s) => s.resource.includes(ALICE))!.id;
    await post(h, [await notification(h, aliceSub, message("m1"))]);
    expect(h.push.frames).toEqual([
      { userId: ALICE, frame: { type: "message", chatId: CHAT, changeType: "created", message: message("m1") } },
    ]);
    expect(h.relay.stats().stats).toMatchObject({ received: 1, decrypted: 1, delivered: 1 });
  });

  it("drops a notification for a user without a connected panel before verifying or decrypting it", async () => {
    const h = await harness();
    await negotiate(h, ALICE);
    await post(h, [await notification(h, "sub-1", message("m1"))], ["not-even-a-jwt"]);
    expect(h.decryptCalls).toBe(0);
    expect(h.push.frames).toEqual([]);
    expect(h.relay.stats().stats.dropped).toMatchObject({ noRecipient: 1, validationToken: 0 });
  });

  it("drops and counts bad clientState, unknown subscription, bad validation token and bad signature", async () => {
    const h = await harness();
    await negotiate(h, ALICE);
    await wpsEvent(h, "connected", "ca", ALICE);
    await post(h, [await notification(h, "sub-1", message("m1"), { clientState: "guess" })]);
    await post(h, [await notification(h, "sub-404", message("m2"))]);
    await post(h, [await notification(h, "sub-1", message("m3"))], [await h.graphSigner.sign(graphValidationClaims({ aud: "x" }))]);
    await post(h, [await notification(h, "sub-1", message("m4"), { tamper: true })]);
    expect(h.push.frames).toEqual([]);
    expect(h.relay.stats().stats.dropped).toMatchObject({
      clientState: 1,
      unknownSubscription: 1,
      validationToken: 1,
      signature: 1,
    });
    expect(h.decryptCalls).toBe(1); // only the tampered one reached the decryptor, and was refused there
  });

  it("sends resync frames for lifecycle events that pass the clientState check", async () => {
    const h = await harness();
    await negotiate(h, ALICE);
    await wpsEvent(h, "connected", "ca", ALICE);
    const lifecycle = (event: string, clientState = CLIENT_STATE) =>
      fetch(`${h.url}/api/lifecycle`, {
        method: "POST",
        body: JSON.stringify({ value: [{ subscriptionId: "sub-1", lifecycleEvent: event, clientState }] }),
      });
    expect((await lifecycle("missed", "wrong")).status).toBe(202);
    expect((await lifecycle("missed")).status).toBe(202);
    await h.relay.idle();
    expect(h.push.to(ALICE)).toEqual([{ type: "resync", reason: "missed" }]);
    expect(h.relay.stats().stats.lifecycle).toMatchObject({ missed: 1, dropped: 1 });
  });
});

describe("fan-out, tenant mode", () => {
  it("delivers only to connected members, and a removed member stops receiving at once", async () => {
    const h = await harness("tenant");
    await h.relay.start();
    const [messagesSub, membersSub] = [...h.graph.subscriptions.values()].map((s) => s.id);
    h.graph.members.set(CHAT, [ALICE, BOB]);
    for (const [c, u] of [["ca", ALICE], ["cb", BOB], ["cc", CAROL]] as const) await wpsEvent(h, "connected", c, u);

    await post(h, [await notification(h, messagesSub, message("m1"))]);
    expect(h.push.frames.map((f) => f.userId).sort()).toEqual([ALICE, BOB].sort());
    expect(h.graph.ops("members")).toHaveLength(1);

    h.push.frames = [];
    await post(h, [
      await notification(h, membersSub, { id: "mem-bob", userId: BOB, displayName: "Bob" }, { members: true, changeType: "deleted" }),
    ]);
    await post(h, [await notification(h, messagesSub, message("m2"))]);
    expect(h.push.frames.map((f) => f.userId)).toEqual([ALICE]);

    h.push.frames = [];
    await post(h, [
      await notification(h, membersSub, { id: "mem-carol", userId: CAROL }, { members: true, changeType: "created" }),
    ]);
    await post(h, [await notification(h, messagesSub, message("m3"))]);
    expect(h.push.frames.map((f) => f.userId).sort()).toEqual([ALICE, CAROL].sort());
  });

  it("drops chats without a connected member before decrypting", async () => {
    const h = await harness("tenant");
    await h.relay.start();
    const messagesSub = [...h.graph.subscriptions.values()][0].id;
    h.graph.members.set("19:other@thread.v2", [CAROL]);
    await wpsEvent(h, "connected", "ca", ALICE);
    await post(h, [await notification(h, messagesSub, message("m1", "19:other@thread.v2"), { chatId: "19:other@thread.v2" })]);
    expect(h.decryptCalls).toBe(0);
    expect(h.relay.stats().stats.dropped.noRecipient).toBe(1);
  });

  it("reads a chat's members once while membership notifications keep them current, and again after a missed one", async () => {
    const h = await harness("tenant");
    await h.relay.start();
    const [messagesSub, membersSub] = [...h.graph.subscriptions.values()].map((s) => s.id);
    h.graph.members.set(CHAT, [ALICE, BOB]);
    await wpsEvent(h, "connected", "ca", ALICE);
    await post(h, [await notification(h, messagesSub, message("m1"))]);
    // An hour later the cached members still serve: no second read.
    await h.clock.advance(3_600_000);
    await post(h, [await notification(h, messagesSub, message("m2"))]);
    expect(h.graph.ops("members")).toHaveLength(1);
    // Graph says membership notifications were lost: the members are read again.
    await fetch(`${h.url}/api/lifecycle`, {
      method: "POST",
      body: JSON.stringify({ value: [{ subscriptionId: membersSub, lifecycleEvent: "missed", clientState: CLIENT_STATE }] }),
    });
    await h.relay.idle();
    await post(h, [await notification(h, messagesSub, message("m3"))]);
    expect(h.graph.ops("members")).toHaveLength(2);
    expect(h.push.to(ALICE).filter((f) => f.type === "message")).toHaveLength(3);
  });

  it("drops a repeated notification (same encrypted content) before decrypting it again", async () => {
    const h = await harness("tenant");
    await h.relay.start();
    const messagesSub = [...h.graph.subscriptions.values()][0].id;
    h.graph.members.set(CHAT, [ALICE]);
    await wpsEvent(h, "connected", "ca", ALICE);
    const once = await notification(h, messagesSub, message("m1"));
    await post(h, [once]);
    await post(h, [once]);
    expect(h.decryptCalls).toBe(1);
    expect(h.push.to(ALICE).filter((f) => f.type === "message")).toHaveLength(1);
    expect(h.relay.stats().stats.dropped.duplicate).toBe(1);
  });
});
