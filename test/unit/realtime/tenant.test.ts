import { POLL_POLICY } from "../../bench/legacy/pollPolicy";
import {
  CASE_CHAT_AGENTS,
  MEMBERSHIP_CACHE_MS,
  OPEN_CHATS_PER_AGENT,
  TENANT_SUBSCRIPTIONS,
  TeamsMeter,
  buildTenantLoad,
  formatTenantReport,
  limitFigures,
  relayModel,
  runTenantSimulation,
  tenantReport,
  withinAllLimits,
  type AgentLoad,
  type TenantLoad,
} from "../../bench/tenant";

describe("tenant simulation", () => {
  it("is deterministic for a seed", async () => {
    const a = await runTenantSimulation({ agents: 20, seed: 7, durationMs: 900_000 });
    const b = await runTenantSimulation({ agents: 20, seed: 7, durationMs: 900_000 });
    expect(b).toEqual(a);
    const c = await runTenantSimulation({ agents: 20, seed: 8, durationMs: 900_000 });
    expect(c).not.toEqual(a);
  });

  it("makes no request from hidden panels and keeps each visible agent within the hourly budget", async () => {
    const r = await runTenantSimulation({ agents: 30, seed: 3 });
    expect(r.hiddenRequests).toBe(0);
    expect(r.requestsPerVisibleAgentHour).toBeLessThanOrEqual(POLL_POLICY.budgetPerHour);
    expect(r.requestsPerVisibleAgentHour).toBeGreaterThan(0);
    expect(r.delayedMessages).toBeGreaterThan(0);
    // A message in an open chat of a panel in use waits at most one working interval plus its jitter.
    expect(r.delayP95).toBeLessThanOrEqual(POLL_POLICY.intervalMs * (1 + POLL_POLICY.jitter));
  });

  it("grows with the number of agents", async () => {
    const small = await runTenantSimulation({ agents: 10, seed: 5, durationMs: 900_000 });
    const large = await runTenantSimulation({ agents: 40, seed: 5, durationMs: 900_000 });
    expect(large.listPerSecondMean).toBeGreaterThan(small.listPerSecondMean * 2);
    expect(large.messagePerSecondMean).toBeGreaterThan(small.messagePerSecondMean);
  });
});

describe("tenant simulation: accounting", () => {
  it("counts on the tenant side exactly the requests the agents' pollers report", async () => {
    const r = await runTenantSimulation({ agents: 25, seed: 11, durationMs: 900_000 });
    expect(r.listRequests).toBe(r.pollerListRequests);
    // Message reads reaching Teams: the pollers' and one per chat the agents opened.
    expect(r.messageRequests).toBe(r.pollerChatRequests + r.openReads);
    expect(r.chatRequests).toBe(r.messageRequests + r.postRequests);
    expect(r.listRequests).toBeGreaterThan(0);
    expect(r.messageRequests).toBeGreaterThan(0);
    expect(r.throttledRequests).toBe(0);
  });

  it("never makes fewer requests with more agents", async () => {
    let last = 0;
    for (const agents of [5, 10, 20, 40]) {
      const r = await runTenantSimulation({ agents, seed: 9, durationMs: 600_000 });
      const total = r.listRequests + r.messageRequests;
      expect(total).toBeGreaterThanOrEqual(last);
      last = total;
    }
  });

  it("past the tenant limits, throttled agents back off and still show their messages", async () => {
    const r = await runTenantSimulation({ agents: 400, seed: 4, durationMs: 900_000, throttleRetryAfterSeconds: 5 });
    expect(r.throttledRequests).toBeGreaterThan(0);
    expect(r.hiddenRequests).toBe(0);
    // A 429 is a request too: both sides still agree.
    expect(r.listRequests).toBe(r.pollerListRequests);
    expect(r.messageRequests).toBe(r.pollerChatRequests + r.openReads);
    expect(r.delayedMessages).toBeGreaterThan(0);
    expect(r.unshownMessages).toBeLessThan(r.delayedMessages * 0.05);
  });
});

const agent = (over: Partial<AgentLoad> = {}): AgentLoad => ({
  startAt: 0,
  visibleAtStart: true,
  toggles: [],
  openChats: ["case-1", "team-1"],
  opens: [],
  sends: [],
  typing: [],
  reconnects: [],
  ...over,
});

const handMade = (agents: AgentLoad[], over: Partial<TenantLoad> = {}): TenantLoad => {
  const openBy = new Map<string, number[]>();
  agents.forEach((a, i) => a.openChats.forEach((c) => openBy.set(c, [...(openBy.get(c) ?? []), i])));
  return { durationMs: 3_600_000, agents, openBy, sharedMessages: [], otherMessages: [], ...over };
};

describe("tenant simulation: per-chat and per-user limits", () => {
  it("counts requests per chat, per user and tenant-wide in each second", () => {
    const m = new TeamsMeter(10);
    // Three reads of one chat within second 0 (two past Teams' 1/s on a chat), one more in second 1.
    expect(m.count("messageGet", 100, 0, "case-1")).toBe(false);
    expect(m.count("messageGet", 500, 1, "case-1")).toBe(true);
    expect(m.count("messageGet", 999, 2, "case-1")).toBe(true);
    expect(m.count("messageGet", 200, 0, "case-2")).toBe(false);
    expect(m.count("messageGet", 1_000, 0, "case-1")).toBe(false);
    expect(m.chatPeak).toBe(3);
    expect(m.chatSecondsOver).toBe(1);
    expect(m.chatRequestsOver).toBe(2);
    expect(m.chatRequests).toBe(5);
    expect(m.peak("messageGet")).toBe(4);
    // One user: six chat lists in a second (limit 5), two POSTs in one chat (limit 1), one in another.
    const lists = [0, 1, 2, 3, 4, 5].map((i) => m.count("list", 3_000 + i * 100, 7));
    expect(lists).toEqual([false, false, false, false, false, true]);
    expect(m.userListPeak).toBe(6);
    expect(m.count("messagePost", 5_000, 7, "case-3")).toBe(false);
    expect(m.count("messagePost", 5_600, 7, "case-4")).toBe(false);
    expect(m.count("messagePost", 5_900, 7, "case-3")).toBe(true);
    expect(m.userChatPostPeak).toBe(2);
    expect(withinAllLimits({ ...limitFigures(m), chatPeak: 1, userListPeak: 5, userChatPostPeak: 1 })).toBe(true);
    expect(withinAllLimits(limitFigures(m))).toBe(false);
  });

  it("counts three agents opening the same case chat within one second as one chat-second over the limit", () => {
    const load = handMade([
      agent({ opens: [{ at: 1_000, chat: "case-1" }] }),
      agent({ opens: [{ at: 1_500, chat: "case-1" }] }),
      agent({ opens: [{ at: 1_900, chat: "case-1" }, { at: 2_100, chat: "case-1" }] }),
    ]);
    const r = relayModel(load, "perUser");
    expect(r.chatPeak).toBe(3);
    expect(r.chatSecondsOver).toBe(1);
    expect(r.chatRequestsOver).toBe(2);
    expect(r.chatRequests).toBe(4);
    expect(r.messageGetPeak).toBe(3);
  });

  it("makes the poller read a shared chat once per panel that has it open when a colleague writes in it", async () => {
    const load = handMade([agent(), agent(), agent()], { durationMs: 120_000, sharedMessages: [{ at: 30_000, chat: "case-1" }] });
    // No random check of the active chat: only reads that the message causes.
    const r = await runTenantSimulation({ agents: 3, load, policy: { ...POLL_POLICY, activeChatEvery: Infinity } });
    // Every panel polls the list; each of the three reads case-1 once, within one poll interval of the message.
    expect(r.pollerChatRequests).toBe(3);
    expect(r.delayedMessages).toBe(3);
    expect(r.delayP95).toBeLessThanOrEqual(POLL_POLICY.intervalMs * (1 + POLL_POLICY.jitter));
    expect(r.chatRequests).toBe(3);
  });
});


describe("tenant simulation: the relay model", () => {
  const load = handMade(
    [
      agent({
        opens: [
          { at: 60_000, chat: "case-1" },
          { at: 120_000, chat: "team-1" },
          { at: 180_000, chat: "other-0-3" },
        ],
        sends: [
          { at: 200_000, chat: "case-1" },
          { at: 300_000, chat: "case-1" },
        ],
        reconnects: [1_000_000],
      }),
      agent({ startAt: 5_000, openChats: ["case-1", "case-2"], opens: [{ at: 400_000, chat: "case-2" }] }),
    ],
    {
      sharedMessages: [
        { at: 10_000, chat: "case-1" },
        { at: 20_000, chat: "case-1" },
      ],
      otherMessages: [{ at: 30_000, chat: "other-0-3" }],
    },
  );

  it("costs per user: the agents' actions, a reconnect, and per panel a token, a subscription and a renewal in the hour", () => {
    const r = relayModel(load, "perUser");
    expect(r.timerRequests).toBe(0);
    expect(r.breakdown).toEqual({ chatOpens: 4, sends: 2, reconnectLists: 1, reconnectReads: 2, tokens: 2, subscriptionCreates: 2, renewals: 2, membershipReads: 0 });
    expect(r.requests).toBe(15);
    expect(r.requestsPerAgentHour).toBe(7.5);
    expect(r.otherGetPeak).toBe(1);
    expect(r.userListPeak).toBe(1);
  });

  it("costs in tenant mode: the same actions, membership reads per active chat per cache lifetime, the tenant's renewals", () => {
    const r = relayModel(load, "tenant");
    // case-1 read once (the second message hits the cache), other-0-3 once; case-2 and team-1 had no message.
    expect(r.breakdown.membershipReads).toBe(2);
    expect(r.breakdown.renewals).toBe(TENANT_SUBSCRIPTIONS);
    expect(r.breakdown.tokens + r.breakdown.subscriptionCreates).toBe(0);
    expect(r.requests).toBe(4 + 2 + 3 + 2 + TENANT_SUBSCRIPTIONS);
    expect(r.requestsPerAgentHour).toBe((11 + TENANT_SUBSCRIPTIONS) / 2);
    // Two hours: a chat still active after the cache lifetime is read again.
    const longer = relayModel(
      { ...load, durationMs: 2 * 3_600_000, sharedMessages: [...load.sharedMessages, { at: 10_000 + MEMBERSHIP_CACHE_MS, chat: "case-1" }] },
      "tenant",
    );
    expect(longer.breakdown.membershipReads).toBe(3);
  });

  it("grows with the agents' actions, not with a timer: per agent-hour stays flat as N grows", () => {
    const small = relayModel(buildTenantLoad({ agents: 100, seed: 5 }), "perUser");
    const large = relayModel(buildTenantLoad({ agents: 800, seed: 5 }), "perUser");
    expect(Math.abs(large.requestsPerAgentHour - small.requestsPerAgentHour)).toBeLessThan(2);
    expect(large.requestsPerAgentHour).toBeLessThan(40);
  });
});

describe("tenant simulation: shared chats and determinism", () => {
  it("shares every case chat among 3–8 agents and each team chat among dozens", () => {
    const load = buildTenantLoad({ agents: 300, seed: 42 });
    for (const a of load.agents) {
      expect(a.openChats).toHaveLength(OPEN_CHATS_PER_AGENT);
      expect(new Set(a.openChats).size).toBe(OPEN_CHATS_PER_AGENT);
    }
    const sizes = (prefix: string) => [...load.openBy].filter(([c]) => c.startsWith(prefix)).map(([, m]) => m.length);
    for (const k of sizes("case-")) {
      expect(k).toBeGreaterThanOrEqual(CASE_CHAT_AGENTS[0]);
      expect(k).toBeLessThan(2 * CASE_CHAT_AGENTS[0] + CASE_CHAT_AGENTS[1]);
    }
    expect(Math.max(...sizes("team-"))).toBeGreaterThanOrEqual(20);
  });

  it("gives the same load, relay figures and report for a seed, and another for another seed", async () => {
    const a = buildTenantLoad({ agents: 60, seed: 7 });
    expect(buildTenantLoad({ agents: 60, seed: 7 })).toEqual(a);
    expect(buildTenantLoad({ agents: 60, seed: 8 })).not.toEqual(a);
    expect(relayModel(buildTenantLoad({ agents: 60, seed: 7 }), "tenant")).toEqual(relayModel(a, "tenant"));
    const report = () => tenantReport([10, 20], 7, []).then(formatTenantReport);
    const first = await report();
    expect(await report()).toBe(first);
    expect(first).toContain("Poller vs relay");
  });
});
