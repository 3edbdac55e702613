/**
 * The Web PubSub stand-in driven by the real @azure/web-pubsub service client: client tokens,
 * a plain WebSocket receiving sendToUser frames, refusals of forged tokens and bearers, user
 * presence, closing a user's connections, the outage switch, and signed CloudEvents.
 */
import { createHmac } from "node:crypto";
import * as http from "node:http";
import { WebPubSubServiceClient } from "@azure/web-pubsub";
import { SignJWT } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { type WebPubSubSim, startWebPubSub } from "../../simulator/webpubsub";

interface EventReq {
  method: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let wps: WebPubSubSim;
let client: WebPubSubServiceClient;
let handler: http.Server;
const got: EventReq[] = [];
let eventWaiters: (() => void)[] = [];

function open(url: string): Promise<{ ws: WebSocket; frames: string[]; next(): Promise<string> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const frames: string[] = [];
    let waiter: ((s: string) => void) | null = null;
    ws.on("message", (d, binary) => {
      const s = binary ? Buffer.from(d as Buffer).toString("base64") : d.toString();
      if (waiter) {
        const w = waiter;
        waiter = null;
        w(s);
      } else frames.push(s);
    });
    ws.once("open", () =>
      resolve({
        ws,
        frames,
        next: () => (frames.length ? Promise.resolve(frames.shift()!) : new Promise((r) => (waiter = r))),
      }),
    );
    ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once("error", reject);
  });
}

const erinPosts = () => got.filter((e) => e.method === "POST" && e.headers["ce-userid"] === "erin").length;
function waitEvents(n: number): Promise<void> {
  if (erinPosts() >= n) return Promise.resolve();
  return new Promise((resolve) => {
    const check = () => {
      if (erinPosts() >= n) resolve();
      else eventWaiters.push(check);
    };
    eventWaiters.push(check);
  });
}

beforeAll(async () => {
  handler = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      got.push({ method: req.method ?? "", headers: req.headers, body: Buffer.concat(chunks).toString() });
      if (req.method === "OPTIONS") res.writeHead(200, { "WebHook-Allowed-Origin": String(req.headers["webhook-request-origin"]) });
      else res.writeHead(200);
      res.end();
      const w = eventWaiters;
      eventWaiters = [];
      for (const f of w) f();
    });
  });
  await new Promise<void>((r) => handler.listen(0, "127.0.0.1", () => r()));
  const port = (handler.address() as { port: number }).port;
  wps = await startWebPubSub({ hub: "chat", eventHandlerUrl: `http://127.0.0.1:${port}/api/webpubsub/events` });
  // The SDK refuses http endpoints unless told otherwise (core-rest-pipeline's allowInsecureConnection).
  client = new WebPubSubServiceClient(wps.connectionString, "chat", { allowInsecureConnection: true });
});
afterAll(async () => {
  await wps.close();
  await new Promise<void>((r) => handler.close(() => r()));
});
beforeEach(() => wps.resume());

describe("Web PubSub stand-in with the real service client", () => {
  it("accepts the SDK's client token and delivers sendToUser as one text frame to that user only", async () => {
    const alice = await client.getClientAccessToken({ userId: "alice", expirationTimeInMinutes: 5 });
    const bob = await client.getClientAccessToken({ userId: "bob" });
    expect(alice.url.startsWith(`ws://127.0.0.1:${new URL(wps.endpoint).port}/client/hubs/chat?access_token=`)).toBe(true);
    const a = await open(alice.url);
    const b = await open(bob.url);
    expect(await client.userExists("alice")).toBe(true);
    expect(await client.userExists("carol")).toBe(false);
    const frame = { type: "message", chatId: "19:x", changeType: "created", message: { id: "1" } };
    // A JSON value goes as application/json (the SDK types refuse an explicit contentType option for objects).
    await client.sendToUser("alice", frame);
    expect(JSON.parse(await a.next())).toEqual(frame);
    await client.sendToAll({ type: "resync", reason: "missed" });
    expect(JSON.parse(await b.next())).toEqual({ type: "resync", reason: "missed" });
    expect(JSON.parse(await a.next())).toEqual({ type: "resync", reason: "missed" });
    expect(b.frames).toEqual([]);
    expect(wps.sent().map((s) => [s.userId, s.delivered])).toEqual([
      ["alice", 1],
      [null, 2],
    ]);
    const closed = new Promise((r) => a.ws.once("close", r));
    await client.closeUserConnections("alice");
    await closed;
    b.ws.close();
  });

  it("refuses a forged client token, a token for another hub, an expired token, and a forged bearer on the REST API", async () => {
    const forged = await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setAudience(`${wps.endpoint}/client/hubs/chat`).setSubject("mallory").setExpirationTime("1h").sign(new TextEncoder().encode("not-the-key"));
    await expect(open(`${wps.endpoint.replace("http", "ws")}/client/hubs/chat?access_token=${forged}`)).rejects.toThrow("HTTP 401");
    const other = await new WebPubSubServiceClient(wps.connectionString, "other", { allowInsecureConnection: true }).getClientAccessToken({ userId: "alice" });
    await expect(open(other.url.replace("/hubs/other", "/hubs/chat"))).rejects.toThrow("HTTP 401");
    const expired = await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setAudience(`${wps.endpoint}/client/hubs/chat`).setSubject("alice").setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(new TextEncoder().encode(wps.accessKey));
    await expect(open(`${wps.endpoint.replace("http", "ws")}/client/hubs/chat?access_token=${expired}`)).rejects.toThrow("HTTP 401");
    const wrongKey = new WebPubSubServiceClient(`Endpoint=http://127.0.0.1;Port=${new URL(wps.endpoint).port};AccessKey=wrong;Version=1.0;`, "chat", { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } });
    await expect(wrongKey.sendToUser("alice", { x: 1 })).rejects.toMatchObject({ statusCode: 401 });
  });

  it("refuses connections while paused and accepts them after resume", async () => {
    const t = await client.getClientAccessToken({ userId: "dave" });
    const d = await open(t.url);
    const dropped = new Promise((r) => d.ws.once("close", r));
    wps.pause();
    await dropped;
    expect(wps.connections()).toEqual([]);
    await expect(open(t.url)).rejects.toThrow("HTTP 503");
    wps.resume();
    const again = await open(t.url);
    expect(wps.connections().map((c) => c.userId)).toEqual(["dave"]);
    again.ws.close();
  });

  it("posts connected and disconnected CloudEvents, signed with the access key, after the abuse-protection handshake", async () => {
    await new Promise((r) => setImmediate(r));
    await wps.idle();
    got.length = 0;
    wps.setEventHandlerUrl(`http://127.0.0.1:${(handler.address() as { port: number }).port}/api/webpubsub/events`);
    const t = await client.getClientAccessToken({ userId: "erin" });
    const e = await open(t.url);
    e.ws.close();
    await waitEvents(2);
    await wps.idle();
    expect(got[0].method).toBe("OPTIONS");
    expect(got[0].headers["webhook-request-origin"]).toBeTruthy();
    // (Other tests' connections may still be reporting their disconnects.)
    const posts = got.filter((g) => g.method === "POST" && g.headers["ce-userid"] === "erin");
    expect(posts.map((p) => p.headers["ce-type"])).toEqual(["azure.webpubsub.sys.connected", "azure.webpubsub.sys.disconnected"]);
    for (const p of posts) {
      const id = String(p.headers["ce-connectionid"]);
      expect(p.headers).toMatchObject({ "ce-userid": "erin", "ce-hub": "chat", "ce-specversion": "1.0" });
      expect(p.headers["ce-signature"]).toBe(`sha256=${createHmac("sha256", wps.accessKey).update(id).digest("hex")}`);
    }
  });
});
