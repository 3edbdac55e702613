/**
 * The relay end to end without a browser: the harness's real relay, the Graph simulator delivering
 * encrypted change notifications to it over HTTP, and the Web PubSub stand-in carrying the frames
 * to a WebSocket client that negotiated like the panel does.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { X509Certificate } from "node:crypto";
import WebSocket from "ws";
import { encryptContent } from "../../simulator/graph-subscriptions";
import { startHarness, type Harness } from "../../harness/serve";
import { sim as simClient } from "../../e2e/support/sim";
import { DEMO_CLIENT_ID } from "../../simulator/demo-data";

const RELAY_SCOPE = `api://${DEMO_CLIENT_ID}/access_as_user`;

interface Frame {
  type: string;
  chatId?: string;
  changeType?: string;
  message?: { id: string; body?: { content?: string } };
}

let harness: Harness;

async function relayToken(user: string, origin = harness.url.replace(/\/$/, ""), ttlSeconds = 3600): Promise<string> {
  const res = await fetch(`${origin}/__sim/token`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ user, scopes: [RELAY_SCOPE], ttlSeconds }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

async function negotiate(token: string, origin = harness.url.replace(/\/$/, "")) {
  return fetch(`${harness.relay!.url}/api/negotiate`, { method: "POST", headers: { Authorization: `Bearer ${token}`, Origin: origin } });
}

/** Connects like the panel and collects frames; `next(pred)` resolves with the first matching one. */
async function connect(url: string) {
  const ws = new WebSocket(url);
  const frames: Frame[] = [];
  const waiters: { pred: (f: Frame) => boolean; ok: (f: Frame) => void }[] = [];
  ws.on("message", (data) => {
    const f = JSON.parse(String(data)) as Frame;
    frames.push(f);
    for (const w of [...waiters]) if (w.pred(f)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.ok(f);
    }
  });
  await new Promise<void>((ok, fail) => {
    ws.once("open", () => ok());
    ws.once("error", fail);
  });
  return {
    ws,
    frames,
    next: (pred: (f: Frame) => boolean, timeoutMs = 20_000) =>
      new Promise<Frame>((ok, fail) => {
        const found = frames.find(pred);
        if (found) return ok(found);
        const t = setTimeout(() => fail(new Error(`no matching frame in ${timeoutMs} ms; got ${JSON.stringify(frames)}`)), timeoutMs);
        waiters.push({ pred, ok: (f) => (clearTimeout(t), ok(f)) });
      }),
  };
}

interface Chat {
  id: string;
  chatType: string;
  members: { id: string; userId: string }[];
}

/** Two users with a panel each, and a group chat they share with a third. */
async function twoPanels() {
  const api = simClient(harness.url);
  const { users } = await api.directory();
  const active = users.filter((u) => !u.isdisabled);
  const alice = active[0];
  const chats = (await api.graph<{ value: Chat[] }>(alice.systemuserid, "/me/chats?$expand=members&$top=50")).body.value;
  const chat = chats.find((c) => c.chatType === "group" && c.members.length >= 3)!;
  const [bob, carol] = chat.members.filter((m) => m.userId !== alice.aadObjectId).map((m) => active.find((u) => u.aadObjectId === m.userId)!);
  const panel = async (u: typeof alice) => {
    const res = await negotiate(await relayToken(u.systemuserid));
    expect(res.status).toBe(200);
    return connect(((await res.json()) as { url: string }).url);
  };
  return { api, alice, bob, carol, chat, a: await panel(alice), b: await panel(bob) };
}

/** Waits until Graph's deliveries and the relay's work are done, so that a frame that never came is known not to come. */
async function settled() {
  await harness.sim.subscriptions.idle();
  await harness.relay!.relay.idle();
  await harness.relay!.webPubSub.idle();
}

// Real servers and RSA work on a shared machine: generous limits, conditions rather than sleeps.
describe.each([["perUser"], ["tenant"]] as const)("live updates through the relay (%s)", { timeout: 60_000 }, (mode) => {
  beforeAll(async () => {
    harness = await startHarness({ port: 0, seed: "demo", quiet: true, relay: { mode } });
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  it("a member removed from a chat stops receiving it; the others still do", async () => {
    const { api, alice, bob, chat, a, b } = await twoPanels();
    const first = await api.sendAs(alice.systemuserid, chat.id, "<p>Before the change</p>");
    await b.next((f) => f.message?.id === first.id);
    const membership = chat.members.find((m) => m.userId === bob.aadObjectId)!;
    const removed = await api.graph(alice.systemuserid, `/chats/${encodeURIComponent(chat.id)}/members/${encodeURIComponent(membership.id)}`, { method: "DELETE" });
    expect(removed.status).toBe(204);
    await settled();
    const second = await api.sendAs(alice.systemuserid, chat.id, "<p>After the change</p>");
    await a.next((f) => f.message?.id === second.id);
    await settled();
    expect(b.frames.some((f) => f.message?.id === second.id)).toBe(false);
    a.ws.close();
    b.ws.close();
  });

  it("drops and counts a notification with a wrong clientState or a forged signature", async () => {
    const { chat, a, b } = await twoPanels();
    const sub = harness.sim.subscriptions.all().find((x) => x.notificationUrl.startsWith(harness.relay!.url) && x.resource.includes("getAllMessages"))!;
    const before = harness.relay!.relay.stats().stats;
    const post = (body: unknown) => fetch(`${harness.relay!.url}/api/notifications`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const resource = `chats('${chat.id}')/messages('1700000000000')`;
    const base = { subscriptionId: sub.id, changeType: "created", resource, tenantId: harness.sim.state.tenantId, subscriptionExpirationDateTime: sub.expirationDateTime };
    expect((await post({ value: [{ ...base, clientState: "not-the-secret" }] })).status).toBe(202);
    // Everything right (certificate, validation token) but the content's HMAC signature.
    const cert = new X509Certificate(Buffer.from(sub.encryptionCertificate!, "base64"));
    const content = encryptContent(JSON.stringify({ id: "1700000000000", body: { contentType: "html", content: "<p>forged</p>" } }), cert.publicKey, sub.encryptionCertificateId!, cert.fingerprint.replace(/:/g, ""));
    const real = {
      value: [{ ...base, clientState: sub.clientState, encryptedContent: { ...content, dataSignature: Buffer.from("forged").toString("base64") } }],
      validationTokens: [harness.sim.entra.signValidationToken(harness.sim.state.tenantId, DEMO_CLIENT_ID)],
    };
    expect((await post(real)).status).toBe(202);
    await settled();
    const after = harness.relay!.relay.stats().stats;
    expect(after.dropped.clientState).toBe(before.dropped.clientState + 1);
    expect(after.dropped.signature).toBe(before.dropped.signature + 1);
    a.ws.close();
    b.ws.close();
  });

  it("a colleague's message reaches a member's panel decrypted, and not a non-member's", async () => {
    const api = simClient(harness.url);
    const { users } = await api.directory();
    const [alice, bob] = users;
    // A chat both are in, and one outsider.
    const chats = (await api.graph<{ value: { id: string; members: { userId: string }[] }[] }>(alice.systemuserid, "/me/chats?$expand=members&$top=50")).body.value;
    const chat = chats.find((c) => c.members.some((m) => m.userId === bob.aadObjectId))!;
    expect(chat).toBeDefined();
    const outsider = users.find((u) => !chat.members.some((m) => m.userId === u.aadObjectId) && !u.isdisabled)!;

    const n1 = await negotiate(await relayToken(alice.systemuserid));
    expect(n1.status).toBe(200);
    const body = (await n1.json()) as { url: string; userId: string };
    expect(body.userId).toBe(alice.aadObjectId);
    const n2 = await negotiate(await relayToken(outsider.systemuserid));
    expect(n2.status).toBe(200);
    const a = await connect(body.url);
    const o = await connect(((await n2.json()) as { url: string }).url);
    // The subscription (the user's own, or the tenant's) exists before the colleague posts.
    const wanted = mode === "perUser" ? `/users/${alice.aadObjectId}/chats/getAllMessages` : "/chats/getAllMessages";
    await expect.poll(() => harness.sim.subscriptions.all().filter((s) => s.resource === wanted).length, { timeout: 20_000 }).toBe(1);

    const sent = await api.sendAs(bob.systemuserid, chat.id, "<p>Printer fixed?</p>");
    const frame = await a.next((f) => f.type === "message" && f.message?.id === sent.id);
    expect(frame.chatId).toBe(chat.id);
    expect(frame.changeType).toBe("created");
    expect(frame.message?.body?.content).toContain("Printer fixed?");
    await harness.sim.subscriptions.idle();
    await harness.relay!.relay.idle();
    expect(o.frames.filter((f) => f.type === "message")).toEqual([]);
    a.ws.close();
    o.ws.close();
  });

  it("refuses a negotiate with another audience's token, a forged or expired token, or no token", async () => {
    const { users } = await simClient(harness.url).directory();
    const graphToken = await simClient(harness.url).token(users[0].systemuserid);
    expect((await negotiate(graphToken)).status).toBe(401);
    const real = await relayToken(users[0].systemuserid);
    const [h, p] = real.split(".");
    const claims = JSON.parse(Buffer.from(p, "base64url").toString("utf8")) as Record<string, unknown>;
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, oid: users[1].aadObjectId })).toString("base64url")}.${real.split(".")[2]}`;
    expect((await negotiate(forged)).status).toBe(401);
    expect((await fetch(`${harness.relay!.url}/api/negotiate`, { method: "POST", headers: { Origin: harness.url.replace(/\/$/, "") } })).status).toBe(401);
    expect((await negotiate(await relayToken(users[0].systemuserid, undefined, -600))).status).toBe(401);
  });
});
