/**
 * Graph /subscriptions in the simulator: the documented refusals, the validation handshake,
 * change notifications with encrypted resource data (decrypted here per the docs and compared
 * with GET of the message), per-user matching, lifecycle events and expiry.
 */
import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from "../../simulator/demo-data";
import { GRAPH_NOTIFICATION_PUBLISHER_APPID } from "../../simulator/entra";
import type { SimChat } from "../../simulator/state";
import { type DirectoryUser, type SimClient, startClient } from "../../simulator/test-client";
import { type Cert, type Webhook, decrypt, makeCert, startWebhook } from "./webhook";

let c: SimClient;
let hook: Webhook;
let cert: Cert;
let users: DirectoryUser[];
let megan: DirectoryUser;
let tenantId: string;
let offsetMs = 0;
const SCOPES = ["Chat.Read", "Chat.ReadWrite", "ChatMessage.Send", "ChatMember.ReadWrite", "User.Read"];
const inMinutes = (m: number) => new Date(Date.now() + offsetMs + m * 60_000).toISOString();

async function errorOf(r: Response): Promise<{ status: number; code: string; message: string }> {
  const b = (await r.json()) as { error: { code: string; message: string } };
  return { status: r.status, code: b.error.code, message: b.error.message };
}

async function appToken(): Promise<string> {
  const r = await fetch(`${c.url}/__sim/login/${tenantId}/oauth2/v2.0/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET, scope: "https://graph.microsoft.com/.default" }),
  });
  expect(r.status).toBe(200);
  return ((await r.json()) as { access_token: string }).access_token;
}

function subBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    changeType: "created,updated,deleted",
    notificationUrl: `${hook.url}/api/notifications`,
    lifecycleNotificationUrl: `${hook.url}/api/lifecycle`,
    resource: `/users/${megan.aadObjectId}/chats/getAllMessages`,
    includeResourceData: true,
    encryptionCertificate: cert.base64,
    encryptionCertificateId: "relay-cert-1",
    expirationDateTime: inMinutes(50),
    clientState: "s3cret",
    ...over,
  };
}

async function subscribe(token: string, over: Record<string, unknown> = {}): Promise<{ id: string; [k: string]: unknown }> {
  const r = await c.graph(token, "/subscriptions", { method: "POST", json: subBody(over) });
  if (r.status !== 201) throw new Error(`subscribe: ${r.status} ${await r.text()}`);
  return (await r.json()) as { id: string };
}

const chats = (): SimChat[] => c.sim.state.chats;
const groupChatOf = (userId: string) => chats().find((ch) => ch.chatType === "group" && ch.members.some((m) => m.userId === userId))!;
const chatWithout = (userId: string) => chats().find((ch) => ch.chatType === "group" && !ch.members.some((m) => m.userId === userId))!;

beforeAll(async () => {
  c = await startClient({ seed: "demo", validationTimeoutMs: 400, deliveryRetryDelaysMs: [20, 40], now: () => new Date(Date.now() + offsetMs) });
  hook = await startWebhook();
  cert = await makeCert();
  users = await c.directory();
  megan = users[0];
  tenantId = c.sim.state.tenantId;
});
afterAll(async () => {
  await hook.close();
  await c.close();
});
beforeEach(() => {
  c.sim.subscriptions.clear();
  hook.mode = "echo";
  hook.status = 202;
  hook.received.length = 0;
  hook.validations.length = 0;
});

describe("POST /subscriptions: documented refusals", () => {
  it("refuses /chats/getAllMessages with a delegated token (application permission only)", async () => {
    const t = await c.token(megan.upn, SCOPES);
    const e = await errorOf(await c.graph(t, "/subscriptions", { method: "POST", json: subBody({ resource: "/chats/getAllMessages" }) }));
    expect(e.status).toBe(403);
    expect(hook.validations).toEqual([]);
  });

  it("lets a delegated caller subscribe only to its own /users/{id}/chats/getAllMessages, and needs Chat.Read", async () => {
    const t = await c.token(megan.upn, SCOPES);
    expect((await c.graph(t, "/subscriptions", { method: "POST", json: subBody({ resource: `/users/${users[1].aadObjectId}/chats/getAllMessages` }) })).status).toBe(403);
    const noScope = await c.token(megan.upn, ["User.Read"]);
    const e = await errorOf(await c.graph(noScope, "/subscriptions", { method: "POST", json: subBody() }));
    expect(e.status).toBe(403);
    expect(e.message).toContain("Chat.Read");
    expect((await c.graph(t, "/subscriptions", { method: "POST", json: subBody() })).status).toBe(201);
  });

  it("checks includeResourceData's certificate, the URLs, changeType and clientState", async () => {
    const t = await c.token(megan.upn, SCOPES);
    const bad = async (over: Record<string, unknown>) => (await c.graph(t, "/subscriptions", { method: "POST", json: subBody(over) })).status;
    expect(await bad({ encryptionCertificate: undefined })).toBe(400);
    expect(await bad({ encryptionCertificateId: undefined })).toBe(400);
    expect(await bad({ encryptionCertificate: "bm90IGEgY2VydA==" })).toBe(400);
    expect(await bad({ notificationUrl: "http://example.com/hook" })).toBe(400);
    expect(await bad({ lifecycleNotificationUrl: "ftp://127.0.0.1/x" })).toBe(400);
    expect(await bad({ changeType: "created,renamed" })).toBe(400);
    expect(await bad({ clientState: "x".repeat(129) })).toBe(400);
    expect(await bad({ resource: "/me/events" })).toBe(400);
    expect(hook.validations).toEqual([]);
    // Without resource data no certificate is needed.
    expect(await bad({ includeResourceData: false, encryptionCertificate: undefined, encryptionCertificateId: undefined })).toBe(201);
  });

  it("bounds expirationDateTime: future, at most 4320 minutes, lifecycleNotificationUrl beyond one hour", async () => {
    const t = await c.token(megan.upn, SCOPES);
    const post = (over: Record<string, unknown>) => c.graph(t, "/subscriptions", { method: "POST", json: subBody(over) });
    expect((await post({ expirationDateTime: inMinutes(-1) })).status).toBe(400);
    expect((await post({ expirationDateTime: inMinutes(4330) })).status).toBe(400);
    const e = await errorOf(await post({ expirationDateTime: inMinutes(90), lifecycleNotificationUrl: undefined }));
    expect(e.status).toBe(400);
    expect(e.message).toContain("lifecycleNotificationUrl is a required property");
    expect((await post({ expirationDateTime: inMinutes(50), lifecycleNotificationUrl: undefined })).status).toBe(201);
    expect((await post({ expirationDateTime: inMinutes(4300) })).status).toBe(201);
  });

  it("enforces the quotas: one subscription per app and chat, ten per user", async () => {
    const t = await c.token(megan.upn, SCOPES);
    const chat = groupChatOf(megan.aadObjectId);
    const perChat = { resource: `/chats/${chat.id}/messages` };
    expect((await c.graph(t, "/subscriptions", { method: "POST", json: subBody(perChat) })).status).toBe(201);
    expect((await c.graph(t, "/subscriptions", { method: "POST", json: subBody(perChat) })).status).toBe(403);
    for (let i = 0; i < 10; i++) expect((await c.graph(t, "/subscriptions", { method: "POST", json: subBody() })).status).toBe(201);
    expect((await c.graph(t, "/subscriptions", { method: "POST", json: subBody() })).status).toBe(403);
  });
});

describe("the validation handshake", () => {
  it("validates both endpoints with a validationToken before creating the subscription", async () => {
    const t = await c.token(megan.upn, SCOPES);
    await subscribe(t);
    expect(hook.validations).toEqual(["/api/notifications", "/api/lifecycle"]);
  });

  it("answers 400 ValidationError when the endpoint does not echo the token, fails, or stays silent", async () => {
    const t = await c.token(megan.upn, SCOPES);
    for (const mode of ["wrong", "error", "silent"] as const) {
      hook.mode = mode;
      const e = await errorOf(await c.graph(t, "/subscriptions", { method: "POST", json: subBody() }));
      expect(e, mode).toMatchObject({ status: 400, code: "ValidationError" });
    }
    expect(c.sim.subscriptions.all()).toEqual([]);
  });
});

describe("GET, PATCH, DELETE /subscriptions", () => {
  it("lists and reads the caller's own subscriptions, renews only expirationDateTime, deletes", async () => {
    const t = await c.token(megan.upn, SCOPES);
    const other = await c.token(users[1].upn, SCOPES);
    const s = await subscribe(t);
    expect(s).toMatchObject({ resource: subBody().resource, clientState: "s3cret", includeResourceData: true, encryptionCertificateId: "relay-cert-1", creatorId: megan.aadObjectId });
    const list = (await (await c.graph(t, "/subscriptions")).json()) as { value: { id: string }[] };
    expect(list.value.map((x) => x.id)).toEqual([s.id]);
    expect(((await (await c.graph(other, "/subscriptions")).json()) as { value: unknown[] }).value).toEqual([]);
    expect((await c.graph(other, `/subscriptions/${s.id}`)).status).toBe(404);
    const renewed = await c.graph(t, `/subscriptions/${s.id}`, { method: "PATCH", json: { expirationDateTime: inMinutes(55) } });
    expect(renewed.status).toBe(200);
    expect(Date.parse(((await renewed.json()) as { expirationDateTime: string }).expirationDateTime)).toBeGreaterThan(Date.parse(s.expirationDateTime as string));
    expect((await c.graph(t, `/subscriptions/${s.id}`, { method: "PATCH", json: { expirationDateTime: inMinutes(5000) } })).status).toBe(400);
    expect((await c.graph(t, `/subscriptions/${s.id}`, { method: "PATCH", json: { clientState: "other" } })).status).toBe(400);
    expect((await c.graph(t, `/subscriptions/${s.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await c.graph(t, `/subscriptions/${s.id}`)).status).toBe(404);
  });
});

describe("change notifications", () => {
  it("delivers a created message with encryptedContent equal to GET of the message, and a valid validation token", async () => {
    const t = await c.token(megan.upn, SCOPES);
    const s = await subscribe(t);
    const chat = groupChatOf(megan.aadObjectId);
    const colleague = chat.members.find((m) => m.userId !== megan.aadObjectId)!;
    const ct = await c.token(colleague.userId, SCOPES);
    const posted = (await (await c.graph(ct, `/chats/${chat.id}/messages`, { method: "POST", json: { body: { contentType: "html", content: "<p>Live <b>hello</b></p>" } } })).json()) as { id: string };
    const got = await hook.waitFor((r) => r.path === "/api/notifications");
    const n = (got.body.value as Record<string, unknown>[])[0];
    expect(n).toMatchObject({
      subscriptionId: s.id,
      clientState: "s3cret",
      changeType: "created",
      tenantId,
      resource: `chats('${chat.id}')/messages('${posted.id}')`,
      resourceData: { id: posted.id, "@odata.type": "#Microsoft.Graph.chatMessage", "@odata.id": `chats('${chat.id}')/messages('${posted.id}')` },
      subscriptionExpirationDateTime: s.expirationDateTime,
    });
    const content = decrypt(n.encryptedContent as { data: string; dataKey: string; dataSignature: string }, cert.privateKeyPem);
    const viaGet = (await (await c.graph(t, `/chats/${chat.id}/messages/${posted.id}`)).json()) as Record<string, unknown>;
    delete viaGet["@odata.context"];
    expect(content).toEqual(viaGet);
    expect((n.encryptedContent as Record<string, string>).encryptionCertificateId).toBe("relay-cert-1");

    const [vt] = got.body.validationTokens as string[];
    const jwks = createRemoteJWKSet(new URL(`${c.url}/__sim/login/common/discovery/v2.0/keys`));
    const appId = JSON.parse(Buffer.from(t.split(".")[1], "base64url").toString()).appid as string;
    const { payload } = await jwtVerify(vt, jwks, { issuer: `https://sts.windows.net/${tenantId}/`, audience: appId });
    expect(payload).toMatchObject({ appid: GRAPH_NOTIFICATION_PUBLISHER_APPID, azp: GRAPH_NOTIFICATION_PUBLISHER_APPID, tid: tenantId });
  });

  it("matches a per-user subscription only to chats the user is in, and not after the user is removed", async () => {
    const t = await c.token(megan.upn, SCOPES);
    const elsewhere = chatWithout(megan.aadObjectId);
    const mine = groupChatOf(megan.aadObjectId);
    const byMember = (ch: SimChat) => ch.members.find((m) => m.userId !== megan.aadObjectId)!.userId;
    const s = await subscribe(t);
    await c.control("/send-as", { method: "POST", json: { user: byMember(elsewhere), chatId: elsewhere.id, html: "<p>not for Megan</p>" } });
    await c.control("/send-as", { method: "POST", json: { user: byMember(mine), chatId: mine.id, html: "<p>for Megan</p>" } });
    await c.sim.subscriptions.idle();
    const resources = hook.received.map((r) => ((r.body.value as { resource: string }[])[0]).resource);
    expect(resources.every((x) => x.startsWith(`chats('${mine.id}')`))).toBe(true);
    expect(resources).toHaveLength(1);

    // Megan leaves the chat: her subscription no longer hears it.
    const owner = await c.token(byMember(mine), SCOPES);
    const membership = mine.members.find((m) => m.userId === megan.aadObjectId)!;
    expect((await c.graph(owner, `/chats/${mine.id}/members/${encodeURIComponent(membership.membershipId)}`, { method: "DELETE" })).status).toBe(204);
    await c.sim.subscriptions.idle();
    hook.received.length = 0;
    await c.control("/send-as", { method: "POST", json: { user: byMember(mine), chatId: mine.id, html: "<p>after she left</p>" } });
    await c.sim.subscriptions.idle();
    expect(hook.received).toEqual([]);
    expect(c.sim.subscriptions.deliveryLog().some((d) => d.subscriptionId === s.id && d.kind === "notification")).toBe(true);
  });

  it("delivers updated and deleted messages, in order, and member changes to an app's tenant-wide subscriptions", async () => {
    const app = await appToken();
    const chat = groupChatOf(megan.aadObjectId);
    await subscribe(app, { resource: "/chats/getAllMessages" });
    await subscribe(app, { resource: "/chats/getAllMembers", changeType: "created,deleted", notificationUrl: `${hook.url}/api/members` });
    const sender = chat.members[0].userId;
    const sent = (await (await c.control("/send-as", { method: "POST", json: { user: sender, chatId: chat.id, html: "<p>v1</p>" } })).json()) as { id: string };
    await c.control("/edit-message", { method: "POST", json: { chatId: chat.id, messageId: sent.id, html: "<p>v2</p>" } });
    await c.control("/delete-message", { method: "POST", json: { chatId: chat.id, messageId: sent.id } });
    await c.sim.subscriptions.idle();
    const mine = hook.received.filter((r) => r.path === "/api/notifications").map((r) => (r.body.value as { changeType: string; resource: string }[])[0]);
    expect(mine.filter((n) => n.resource.endsWith(`messages('${sent.id}')`)).map((n) => n.changeType)).toEqual(["created", "updated", "deleted"]);
    const last = hook.received.filter((r) => r.path === "/api/notifications").at(-1)!;
    const deleted = decrypt((last.body.value as { encryptedContent: { data: string; dataKey: string; dataSignature: string } }[])[0].encryptedContent, cert.privateKeyPem) as { deletedDateTime: string | null };
    expect(deleted.deletedDateTime).not.toBeNull();

    const u = await c.token(megan.upn, SCOPES);
    const newcomer = users.find((x) => !chat.members.some((m) => m.userId === x.aadObjectId) && !x.isdisabled)!;
    const add = await c.graph(u, `/chats/${chat.id}/members`, {
      method: "POST",
      json: { "@odata.type": "#microsoft.graph.aadUserConversationMember", roles: ["owner"], "user@odata.bind": `https://graph.microsoft.com/v1.0/users('${newcomer.aadObjectId}')` },
    });
    expect(add.status).toBe(201);
    const member = await hook.waitFor((r) => r.path === "/api/members");
    expect((member.body.value as { changeType: string; resource: string }[])[0]).toMatchObject({ changeType: "created", resource: expect.stringContaining(`chats('${chat.id}')/members(`) });
  });

  it("retries a failed delivery and records each attempt", async () => {
    const t = await c.token(megan.upn, SCOPES);
    const s = await subscribe(t);
    hook.status = 500;
    const chat = groupChatOf(megan.aadObjectId);
    await c.control("/send-as", { method: "POST", json: { user: chat.members.find((m) => m.userId !== megan.aadObjectId)!.userId, chatId: chat.id, html: "<p>x</p>" } });
    await c.sim.subscriptions.idle();
    const attempts = c.sim.subscriptions.deliveryLog().filter((d) => d.subscriptionId === s.id);
    expect(attempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, 500],
      [2, 500],
      [3, 500],
    ]);
    const viaControl = (await (await c.control("/deliveries")).json()) as { deliveries: unknown[] };
    expect(viaControl.deliveries.length).toBeGreaterThanOrEqual(3);
  });
});

describe("lifecycle notifications and expiry", () => {
  it("fires reauthorizationRequired, missed and subscriptionRemoved (which ends the subscription)", async () => {
    const t = await c.token(megan.upn, SCOPES);
    const s = await subscribe(t);
    for (const event of ["reauthorizationRequired", "missed", "subscriptionRemoved"]) {
      expect((await c.control(`/subscriptions/${s.id}/lifecycle`, { method: "POST", json: { event } })).status).toBe(202);
    }
    await c.sim.subscriptions.idle();
    const events = hook.received.filter((r) => r.path === "/api/lifecycle").map((r) => (r.body.value as Record<string, unknown>[])[0]);
    expect(events.map((e) => e.lifecycleEvent)).toEqual(["reauthorizationRequired", "missed", "subscriptionRemoved"]);
    expect(events[0]).toMatchObject({ subscriptionId: s.id, clientState: "s3cret", tenantId });
    expect((await c.graph(t, `/subscriptions/${s.id}`)).status).toBe(404);
    expect((await c.control(`/subscriptions/${s.id}/lifecycle`, { method: "POST", json: { event: "missed" } })).status).toBe(404);
  });

  it("stops delivering once a subscription expires, and removes it", async () => {
    const t = await c.token(megan.upn, SCOPES);
    const s = await subscribe(t, { expirationDateTime: inMinutes(30) });
    offsetMs += 31 * 60_000;
    try {
      const chat = groupChatOf(megan.aadObjectId);
      await c.control("/send-as", { method: "POST", json: { user: chat.members.find((m) => m.userId !== megan.aadObjectId)!.userId, chatId: chat.id, html: "<p>too late</p>" } });
      await c.sim.subscriptions.idle();
      expect(hook.received).toEqual([]);
      expect(c.sim.subscriptions.get(s.id)).toBeUndefined();
      expect(((await (await c.control("/subscriptions")).json()) as { subscriptions: unknown[] }).subscriptions).toEqual([]);
    } finally {
      offsetMs = 0;
    }
  });
});
