/**
 * The relay end to end without a browser: the harness's real relay, the Graph simulator delivering
 * encrypted change notifications to it over HTTP, and the Web PubSub stand-in carrying the frames
 * to a WebSocket client that negotiated like the panel does.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
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

beforeAll(async () => {
  harness = await startHarness({ port: 0, seed: "demo", quiet: true });
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

async function relayToken(user: string, origin = harness.url.replace(/\/$/, "")): Promise<string> {
  const res = await fetch(`${origin}/__sim/token`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ user, scopes: [RELAY_SCOPE] }) });
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

describe("live updates through the relay", () => {
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
    // The per-user subscription exists before the colleague posts.
    await expect.poll(async () => harness.sim.subscriptions.all().filter((s) => s.resource.includes(alice.aadObjectId)).length, { timeout: 20_000 }).toBe(1);

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

  it("refuses a negotiate with another audience's token, a forged token or no token", async () => {
    const { users } = await simClient(harness.url).directory();
    const graphToken = await simClient(harness.url).token(users[0].systemuserid);
    expect((await negotiate(graphToken)).status).toBe(401);
    const real = await relayToken(users[0].systemuserid);
    const [h, p] = real.split(".");
    const claims = JSON.parse(Buffer.from(p, "base64url").toString("utf8")) as Record<string, unknown>;
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, oid: users[1].aadObjectId })).toString("base64url")}.${real.split(".")[2]}`;
    expect((await negotiate(forged)).status).toBe(401);
    expect((await fetch(`${harness.relay!.url}/api/negotiate`, { method: "POST", headers: { Origin: harness.url.replace(/\/$/, "") } })).status).toBe(401);
  });
});
