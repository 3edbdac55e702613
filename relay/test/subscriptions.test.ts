import { silentLogger } from "../src/clock.js";
import { GraphError } from "../src/graph.js";
import { Presence } from "../src/presence.js";
import { RENEW_BEFORE_MS, SUBSCRIPTION_LIFETIME_MS, SubscriptionManager } from "../src/subscriptions.js";
import { ALICE, CLIENT_STATE, FakeClock, FakeGraph, FakePush, FakeTokens } from "./fixtures.js";

const MIN = 60_000;

function setup(mode: "perUser" | "tenant" = "perUser", graceMinutes = 15) {
  const clock = new FakeClock();
  const graph = new FakeGraph(clock);
  const tokens = new FakeTokens();
  const push = new FakePush();
  const presence = new Presence();
  const manager = new SubscriptionManager({
    mode,
    graph,
    tokens,
    push,
    presence,
    clock,
    log: silentLogger,
    notificationUrl: "https://relay.test/api/notifications",
    lifecycleNotificationUrl: "https://relay.test/api/lifecycle",
    clientState: CLIENT_STATE,
    encryptionCertificate: "Q0VSVA==",
    encryptionCertificateId: "cert-1",
    graceMinutes,
  });
  return { clock, graph, tokens, push, presence, manager };
}

describe("per-user subscriptions", () => {
  it("creates the user's subscription on negotiate with the documented properties", async () => {
    const { graph, manager, clock } = setup();
    await manager.ensureForUser(ALICE, "negotiate-token");
    const [sub] = graph.subscriptions.values();
    expect(sub).toMatchObject({
      resource: `/users/${ALICE}/chats/getAllMessages`,
      changeType: "created,updated,deleted",
      includeResourceData: true,
      encryptionCertificateId: "cert-1",
      clientState: CLIENT_STATE,
      lifecycleNotificationUrl: "https://relay.test/api/lifecycle",
      token: `obo:${ALICE}`,
    });
    expect(Date.parse(sub.expirationDateTime) - clock.now()).toBeLessThanOrEqual(60 * MIN);
    // A second negotiate with plenty of lifetime left costs no Graph call.
    const before = graph.calls.length;
    await manager.ensureForUser(ALICE, "negotiate-token-2");
    expect(graph.calls.length).toBe(before);
  });

  it("adopts the relay's existing subscription after a restart instead of creating a twin", async () => {
    const { graph, manager } = setup();
    await graph.createSubscription(`obo:${ALICE}`, {
      resource: `/users/${ALICE}/chats/getAllMessages`,
      changeType: "created,updated,deleted",
      notificationUrl: "https://relay.test/api/notifications",
      lifecycleNotificationUrl: "https://relay.test/api/lifecycle",
      expirationDateTime: new Date().toISOString(),
      clientState: CLIENT_STATE,
      includeResourceData: true,
      encryptionCertificate: "x",
      encryptionCertificateId: "cert-1",
    });
    await manager.ensureForUser(ALICE, "t");
    expect(graph.ops("create")).toHaveLength(1);
    expect(graph.ops("renew")).toHaveLength(1);
    expect(manager.lookup("sub-1")).toEqual({ kind: "user", userId: ALICE });
  });

  it("renews before expiry while a panel is connected, then deletes after the grace period", async () => {
    const { graph, manager, clock, presence } = setup();
    await manager.ensureForUser(ALICE, "t");
    presence.connected("c1", ALICE);
    await clock.advance(SUBSCRIPTION_LIFETIME_MS - RENEW_BEFORE_MS - 1);
    expect(graph.ops("renew")).toHaveLength(0);
    await clock.advance(1);
    expect(graph.ops("renew")).toHaveLength(1);
    await clock.advance(3 * (SUBSCRIPTION_LIFETIME_MS - RENEW_BEFORE_MS));
    expect(graph.ops("renew")).toHaveLength(4);
    expect(graph.subscriptions.size).toBe(1);

    presence.disconnected("c1");
    await clock.advance(15 * MIN - 1);
    expect(graph.ops("delete")).toHaveLength(0);
    await clock.advance(1);
    expect(graph.ops("delete")).toHaveLength(1);
    expect(graph.subscriptions.size).toBe(0);
    expect(manager.lookup("sub-1")).toBeUndefined();
    // Nothing left scheduled: no renewals for a user without a panel.
    await clock.advance(5 * SUBSCRIPTION_LIFETIME_MS);
    expect(graph.ops("renew")).toHaveLength(4);
  });

  it("keeps the subscription when the panel comes back within the grace period", async () => {
    const { graph, manager, clock, presence } = setup();
    await manager.ensureForUser(ALICE, "t");
    presence.connected("c1", ALICE);
    presence.disconnected("c1");
    await clock.advance(10 * MIN);
    presence.connected("c2", ALICE);
    await clock.advance(30 * MIN);
    expect(graph.ops("delete")).toHaveLength(0);
    expect(manager.state()).toMatchObject({ userSubscriptions: 1, usersInGrace: 0 });
  });

  it("asks the panels to negotiate again when the user's token can't be exchanged any more", async () => {
    const { manager, clock, presence, push, tokens, graph } = setup();
    await manager.ensureForUser(ALICE, "t");
    presence.connected("c1", ALICE);
    tokens.failingUsers.add(ALICE);
    await clock.advance(SUBSCRIPTION_LIFETIME_MS - RENEW_BEFORE_MS);
    expect(push.to(ALICE)).toEqual([{ type: "renew" }]);
    expect(manager.state().usersNeedingNegotiate).toBe(1);
    tokens.failingUsers.delete(ALICE);
    await manager.ensureForUser(ALICE, "fresh-token");
    expect(graph.ops("renew")).toHaveLength(1);
    expect(tokens.assertions.at(-1)).toEqual({ userId: ALICE, assertion: "fresh-token" });
    expect(manager.state().usersNeedingNegotiate).toBe(0);
  });

  it("retries a throttled renewal after Retry-After, once", async () => {
    const { graph, manager, clock, presence } = setup();
    await manager.ensureForUser(ALICE, "t");
    presence.connected("c1", ALICE);
    graph.failures.renew = [new GraphError(429, "TooManyRequests", "throttled", 30)];
    await clock.advance(SUBSCRIPTION_LIFETIME_MS - RENEW_BEFORE_MS);
    expect(graph.ops("renew")).toHaveLength(1);
    await clock.advance(29_999);
    expect(graph.ops("renew")).toHaveLength(1);
    await clock.advance(1);
    expect(graph.ops("renew")).toHaveLength(2);
    expect(Date.parse(graph.subscriptions.get("sub-1")!.expirationDateTime)).toBe(clock.now() + SUBSCRIPTION_LIFETIME_MS);
  });

  it("renews at once on reauthorizationRequired", async () => {
    const { graph, manager, presence } = setup();
    await manager.ensureForUser(ALICE, "t");
    presence.connected("c1", ALICE);
    expect(await manager.lifecycle("sub-1", "reauthorizationRequired")).toBe(true);
    expect(graph.ops("renew")).toHaveLength(1);
  });

  it("recreates after subscriptionRemoved and tells the user's panels to resync", async () => {
    const { graph, manager, presence, push } = setup();
    await manager.ensureForUser(ALICE, "t");
    presence.connected("c1", ALICE);
    graph.subscriptions.delete("sub-1");
    await manager.lifecycle("sub-1", "subscriptionRemoved");
    expect(graph.ops("create")).toHaveLength(2);
    expect(manager.lookup("sub-1")).toBeUndefined();
    expect(manager.lookup("sub-2")).toEqual({ kind: "user", userId: ALICE });
    expect(push.to(ALICE)).toEqual([{ type: "resync", reason: "removed" }]);
  });

  it("sends resync on missed, and a renewal of a vanished subscription recreates it", async () => {
    const { graph, manager, presence, push, clock } = setup();
    await manager.ensureForUser(ALICE, "t");
    presence.connected("c1", ALICE);
    await manager.lifecycle("sub-1", "missed");
    expect(push.to(ALICE)).toEqual([{ type: "resync", reason: "missed" }]);
    graph.subscriptions.clear();
    await clock.advance(SUBSCRIPTION_LIFETIME_MS - RENEW_BEFORE_MS);
    expect(graph.ops("create")).toHaveLength(2);
    expect(push.to(ALICE).at(-1)).toEqual({ type: "resync", reason: "subscribed" });
    expect(await manager.lifecycle("unknown", "missed")).toBe(false);
  });

  it("reports quota and throttling to negotiate", async () => {
    const { graph, manager } = setup();
    graph.failures.create = [
      new GraphError(403, "ExtensionError", "Operation: Create; Exception: [Status Code: Forbidden; Reason: Quota limit reached]"),
      new GraphError(429, "TooManyRequests", "throttled", 12),
    ];
    await expect(manager.ensureForUser(ALICE, "t")).rejects.toMatchObject({ code: "quotaExceeded" });
    await expect(manager.ensureForUser(ALICE, "t")).rejects.toMatchObject({ code: "subscriptionFailed", retryAfterSeconds: 12 });
  });
});

describe("tenant subscriptions", () => {
  it("creates messages and members subscriptions with the app token, renews them, recreates after removal", async () => {
    const { graph, manager, clock, presence, push } = setup("tenant");
    await manager.ensureTenant();
    expect(graph.ops("create").map((c) => [c.resource, c.token])).toEqual([
      ["/chats/getAllMessages", "app"],
      ["/chats/getAllMembers", "app"],
    ]);
    await clock.advance(SUBSCRIPTION_LIFETIME_MS - RENEW_BEFORE_MS);
    expect(graph.ops("renew")).toHaveLength(2);
    presence.connected("c1", ALICE);
    presence.connected("c2", "bob");
    await manager.lifecycle("sub-1", "subscriptionRemoved");
    expect(graph.ops("create")).toHaveLength(3);
    expect(push.frames).toEqual([
      { userId: ALICE, frame: { type: "resync", reason: "removed" } },
      { userId: "bob", frame: { type: "resync", reason: "removed" } },
    ]);
  });
});
