import { AuthRequiredError } from "../../../TeamsChatPanel/services/errors";
import type { LiveStatus } from "../../../TeamsChatPanel/services/realtime/live";
import { BACKOFF_CAP_MS, RENEW_BEFORE_MS, backoffMs, createRelayClient, parseFrame, type FetchResponseLike } from "../../../TeamsChatPanel/services/realtime/relayClient";
import { parseRelayUrl, type RelayUrlSetting } from "../../../TeamsChatPanel/services/realtime/relayConfig";
import { FakeClock, FakeOnline, FakeSocket, FakeVisibility, response, settle } from "../../support/liveFakes";

const RELAY = "https://relay.contoso.test";
const wire = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  chatId: "19:a@thread.v2",
  messageType: "message",
  createdDateTime: "2026-11-28T10:01:00.000Z",
  lastModifiedDateTime: "2026-11-28T10:01:00.000Z",
  from: { user: { id: "aad-alex", displayName: "Alex Wilber" } },
  body: { contentType: "html", content: "<p>Hi there</p>" },
  ...extra,
});

function setup(opts: { setting?: RelayUrlSetting; negotiate?: () => FetchResponseLike | Promise<FetchResponseLike>; token?: (force: boolean) => Promise<string> } = {}) {
  const clock = new FakeClock();
  const visibility = new FakeVisibility();
  const online = new FakeOnline();
  const sockets: FakeSocket[] = [];
  const requests: Array<{ url: string; auth: string }> = [];
  const tokens: boolean[] = [];
  const messages: Array<{ chatId: string; changeType: string; id: string; text: string; preview: string }> = [];
  const resyncs: string[] = [];
  const statuses: LiveStatus[] = [];
  let n = 0;
  const client = createRelayClient({
    relayUrl: async () => opts.setting ?? { kind: "ok", url: RELAY },
    getToken: async (force) => {
      tokens.push(force);
      return opts.token ? opts.token(force) : `token-${tokens.length}`;
    },
    fetch: async (url, init) => {
      requests.push({ url, auth: init.headers.Authorization });
      if (opts.negotiate) return opts.negotiate();
      n++;
      return response(200, { url: `wss://wps.contoso.test/client/hubs/chat?access_token=t${n}`, userId: "aad-me", expiresOn: new Date(clock.now() + 60 * 60_000).toISOString(), mode: "perUser" });
    },
    webSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    clock,
    visibility,
    online,
    random: () => 0.5,
    onMessage: (chatId, changeType, m, preview) => messages.push({ chatId, changeType, id: m.id, text: m.body.content, preview: preview.text }),
    onResync: (reason) => resyncs.push(reason),
    onStatus: (s) => statuses.push(s),
  });
  const last = () => sockets[sockets.length - 1];
  return { client, clock, visibility, online, sockets, requests, tokens, messages, resyncs, statuses, last };
}

async function connected(opts: Parameters<typeof setup>[0] = {}) {
  const t = setup(opts);
  t.client.start();
  await settle();
  t.last().open();
  return t;
}

describe("relay client", () => {
  it("negotiates with the bearer token, opens the returned url and is live", async () => {
    const t = setup();
    t.client.start();
    expect(t.client.info().status).toEqual({ state: "connecting" });
    await settle();
    expect(t.requests).toEqual([{ url: `${RELAY}/api/negotiate`, auth: "Bearer token-1" }]);
    expect(t.sockets.map((s) => s.url)).toEqual(["wss://wps.contoso.test/client/hubs/chat?access_token=t1"]);
    t.last().open();
    expect(t.client.info()).toMatchObject({ status: { state: "live" }, relayUrl: RELAY });
    expect(t.statuses.map((s) => s.state)).toEqual(["live"]);
    // The first connect is no reconnect: nothing to catch up on.
    expect(t.resyncs).toEqual([]);
    t.client.dispose();
  });

  it("dispatches message and resync frames, mapped from Graph's chatMessage", async () => {
    const t = await connected();
    t.last().send({ type: "message", chatId: "19:a@thread.v2", changeType: "created", message: wire("1") });
    t.last().send({ type: "message", chatId: "19:a@thread.v2", changeType: "deleted", message: wire("1") });
    t.last().send({ type: "resync", reason: "missed" });
    expect(t.messages).toEqual([
      { chatId: "19:a@thread.v2", changeType: "created", id: "1", text: "<p>Hi there</p>", preview: "Hi there" },
      { chatId: "19:a@thread.v2", changeType: "deleted", id: "1", text: "", preview: "" },
    ]);
    expect(t.resyncs).toEqual(["missed"]);
    expect(t.client.info().lastFrameAt).toBe(t.clock.now());
    t.client.dispose();
  });

  it("ignores malformed frames", async () => {
    const t = await connected();
    for (const f of ["not json", "42", "null", JSON.stringify({ type: "message", chatId: "19:a", changeType: "edited", message: wire("1") }), JSON.stringify({ type: "message", chatId: "19:a", changeType: "created", message: { id: 5 } }), JSON.stringify({ type: "message", changeType: "created", message: wire("1") }), JSON.stringify({ type: "what" })]) t.last().send(f);
    t.last().onmessage?.({ data: new ArrayBuffer(2) });
    expect(t.messages).toEqual([]);
    expect(t.resyncs).toEqual([]);
    expect(t.client.info().status).toEqual({ state: "live" });
    expect(parseFrame(JSON.stringify({ type: "renew" }))).toEqual({ type: "renew" });
    t.client.dispose();
  });

  it("reconnects with a growing backoff that caps, and resyncs after each reconnect", async () => {
    let fail = false;
    let n = 0;
    const t = setup({ negotiate: () => (fail ? response(503, { error: { code: "quotaExceeded" } }) : response(200, { url: `wss://w/${++n}`, expiresOn: new Date(Date.UTC(2026, 10, 29)).toISOString() })) });
    t.client.start();
    await settle();
    t.last().open();
    fail = true;
    t.clock.delays = [];
    t.last().drop();
    expect(t.client.info().status).toEqual({ state: "paused", reason: "unreachable" });
    for (let i = 0; i < 9; i++) await t.clock.advance(BACKOFF_CAP_MS * 2);
    const retries = t.clock.delays;
    expect(retries.slice(0, 4)).toEqual([1000, 2000, 4000, 8000]);
    expect(Math.max(...retries)).toBe(BACKOFF_CAP_MS);
    expect(retries[retries.length - 1]).toBe(BACKOFF_CAP_MS);
    for (let i = 1; i < retries.length; i++) expect(retries[i]).toBeGreaterThanOrEqual(retries[i - 1]);
    expect(t.resyncs).toEqual([]);
    fail = false;
    await t.clock.advance(BACKOFF_CAP_MS);
    t.last().open();
    expect(t.client.info().status).toEqual({ state: "live" });
    expect(t.resyncs).toEqual(["reconnected"]);
    // A second drop: the backoff starts small again.
    t.clock.delays = [];
    t.last().drop();
    expect(t.clock.delays).toEqual([1000]);
    await t.clock.advance(1000);
    t.last().open();
    expect(t.resyncs).toEqual(["reconnected", "reconnected"]);
    t.client.dispose();
  });

  it("jitters the backoff within ±20 % and never above the cap", () => {
    expect(backoffMs(1, () => 0)).toBe(800);
    expect(backoffMs(1, () => 0.999999)).toBe(1200);
    expect(backoffMs(30, () => 0.999999)).toBe(BACKOFF_CAP_MS);
  });

  it("tries again at once when the browser is online again or the page is shown", async () => {
    const t = await connected();
    t.last().drop();
    await settle();
    const before = t.requests.length;
    t.online.fire();
    await settle();
    expect(t.requests.length).toBe(before + 1);
    t.last().drop();
    await settle();
    t.visibility.set(false);
    await settle();
    expect(t.requests.length).toBe(before + 1);
    t.visibility.set(true);
    await settle();
    expect(t.requests.length).toBe(before + 2);
    t.last().open();
    expect(t.resyncs).toEqual(["reconnected"]);
    t.client.dispose();
  });

  it("negotiates again before the client token expires, and on a renew frame, without a resync", async () => {
    const t = await connected();
    expect(t.requests).toHaveLength(1);
    // Expiry in an hour: renewed a minute before.
    await t.clock.advance(60 * 60_000 - RENEW_BEFORE_MS);
    expect(t.requests).toHaveLength(2);
    const old = t.sockets[0];
    // The old socket is read until the new one opens, then closed.
    old.send({ type: "message", chatId: "19:a", changeType: "created", message: wire("2") });
    expect(t.messages.map((m) => m.id)).toEqual(["2"]);
    t.last().open();
    expect(old.closed).toBe(true);
    t.last().send({ type: "renew" });
    await settle();
    expect(t.requests).toHaveLength(3);
    t.last().open();
    expect(t.client.info().status).toEqual({ state: "live" });
    expect(t.resyncs).toEqual([]);
    t.client.dispose();
  });

  it("401 from negotiate: one more try with a fresh token, then paused (unauthorized) with no retry timer", async () => {
    const t = setup({ negotiate: () => response(401, { error: { code: "invalidToken" } }) });
    t.client.start();
    await settle();
    expect(t.tokens).toEqual([false, true]);
    expect(t.requests.map((r) => r.auth)).toEqual(["Bearer token-1", "Bearer token-2"]);
    expect(t.client.info().status).toEqual({ state: "paused", reason: "unauthorized" });
    expect(t.clock.pending()).toBe(0);
    t.client.dispose();
  });

  it("a token the user must consent to first: paused (needs the user, not refused), no retry timer, nothing thrown", async () => {
    const t = setup({
      token: async () => {
        throw new AuthRequiredError("consent");
      },
    });
    t.client.start();
    await settle();
    expect(t.requests).toEqual([]);
    expect(t.client.info().status).toEqual({ state: "paused", reason: "needsUser" });
    expect(t.clock.pending()).toBe(0);
    t.client.dispose();
  });

  it("once the user granted it, reconnect() connects at once and resyncs (notifications meanwhile were lost)", async () => {
    let consented = false;
    const t = setup({
      token: async () => {
        if (!consented) throw new AuthRequiredError("consent");
        return "relay-token";
      },
    });
    t.client.start();
    await settle();
    expect(t.client.info().status).toEqual({ state: "paused", reason: "needsUser" });
    consented = true;
    t.client.reconnect();
    await settle();
    expect(t.requests.map((r) => r.auth)).toEqual(["Bearer relay-token"]);
    t.last().open();
    expect(t.client.info().status).toEqual({ state: "live" });
    expect(t.resyncs).toEqual(["reconnected"]);
    t.client.dispose();
  });

  it("without a relay address: paused (not configured), no request, no timer", async () => {
    const t = setup({ setting: { kind: "none" } });
    t.client.start();
    await settle();
    expect(t.client.info().status).toEqual({ state: "paused", reason: "notConfigured" });
    expect(t.requests).toEqual([]);
    expect(t.clock.pending()).toBe(0);
    const bad = setup({ setting: parseRelayUrl("ftp://relay", undefined) });
    bad.client.start();
    await settle();
    expect(bad.client.info()).toMatchObject({ status: { state: "paused", reason: "notConfigured" }, invalidUrl: "ftp://relay" });
    t.client.dispose();
    bad.client.dispose();
  });

  it("a failing store callback does not break the connection", async () => {
    const t = await connected();
    const c = createRelayClient({
      relayUrl: async () => ({ kind: "ok", url: RELAY }),
      getToken: async () => "x",
      fetch: async () => response(200, { url: "wss://w/1" }),
      webSocket: (url) => (t.sockets[t.sockets.length] = new FakeSocket(url)),
      clock: t.clock,
      visibility: t.visibility,
      online: t.online,
      random: () => 0.5,
      onMessage: () => {
        throw new Error("boom");
      },
      onResync: () => undefined,
      onStatus: () => undefined,
    });
    c.start();
    await settle();
    t.last().open();
    expect(() => t.last().send({ type: "message", chatId: "19:a", changeType: "created", message: wire("1") })).not.toThrow();
    expect(c.info().status).toEqual({ state: "live" });
    c.dispose();
    t.client.dispose();
  });

  it("dispose closes the socket and leaves no timer or listener behind", async () => {
    const t = await connected();
    expect(t.clock.pending()).toBe(1); // the renewal
    t.client.dispose();
    expect(t.last().closed).toBe(true);
    expect(t.clock.pending()).toBe(0);
    expect(t.online.count + t.visibility.count).toBe(0);
    // While waiting to retry, too.
    const u = await connected();
    u.last().drop();
    expect(u.clock.pending()).toBe(1);
    u.client.dispose();
    expect(u.clock.pending()).toBe(0);
    await u.clock.advance(10 * 60_000);
    expect(u.requests).toHaveLength(1);
  });
});

describe("relay address", () => {
  it("takes https, http only on this machine, the form's value before the variable", () => {
    expect(parseRelayUrl("", "")).toEqual({ kind: "none" });
    expect(parseRelayUrl(null, " https://relay.contoso.test/ ")).toEqual({ kind: "ok", url: "https://relay.contoso.test" });
    expect(parseRelayUrl("https://form.contoso.test/base/", "https://env.contoso.test")).toEqual({ kind: "ok", url: "https://form.contoso.test/base" });
    expect(parseRelayUrl("http://127.0.0.1:7071", undefined)).toEqual({ kind: "ok", url: "http://127.0.0.1:7071" });
    expect(parseRelayUrl("http://localhost:7071", undefined)).toEqual({ kind: "ok", url: "http://localhost:7071" });
    expect(parseRelayUrl("http://relay.contoso.test", undefined)).toEqual({ kind: "invalid", value: "http://relay.contoso.test" });
    expect(parseRelayUrl("relay.contoso.test", undefined)).toEqual({ kind: "invalid", value: "relay.contoso.test" });
    expect(parseRelayUrl("https://relay.contoso.test?x=1", undefined).kind).toBe("invalid");
  });
});
