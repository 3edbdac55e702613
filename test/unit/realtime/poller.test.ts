import { POLL_POLICY, isIdle, newBucket, nextDelayMs, take, waitForToken } from "../../../TeamsChatPanel/domain/pollPolicy";
import { ServiceError } from "../../../TeamsChatPanel/services/errors";
import type { Clock, VisibilitySource } from "../../../TeamsChatPanel/services/realtime/clock";
import { scaledClock } from "../../../TeamsChatPanel/services/realtime/clock";
import { createPoller, type PollerDeps } from "../../../TeamsChatPanel/services/realtime/poller";

/** A clock whose timers run only when the test advances it. */
class FakeClock implements Clock {
  t = 0;
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private seq = 0;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = ++this.seq;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  };
  clearTimeout = (h: unknown) => {
    this.timers = this.timers.filter((x) => x.id !== h);
  };
  pending(): number {
    return this.timers.length;
  }
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = next.at;
      next.fn();
      // Let the tick's awaited requests settle before time moves on.
      await new Promise((r) => setImmediate(r));
    }
    this.t = end;
  }
}

class FakeVisibility implements VisibilitySource {
  visible = true;
  private subs: Array<() => void> = [];
  isVisible = () => this.visible;
  subscribe = (cb: () => void) => {
    this.subs.push(cb);
    return () => (this.subs = this.subs.filter((x) => x !== cb));
  };
  set(v: boolean) {
    this.visible = v;
    this.subs.forEach((cb) => cb());
  }
}

function setup(over: Partial<PollerDeps> = {}) {
  const clock = new FakeClock();
  const visibility = new FakeVisibility();
  const calls: string[] = [];
  const state = { changed: [] as string[], open: ["A"], active: "A" as string | undefined, listError: undefined as unknown };
  const deps: PollerDeps = {
    clock,
    visibility,
    random: () => 0.5,
    pollList: async () => {
      calls.push("list");
      if (state.listError) throw state.listError;
      const changed = state.changed;
      state.changed = [];
      return { changedChatIds: changed };
    },
    pollChat: async (id) => {
      calls.push(`chat:${id}`);
      return { newMessages: 1 };
    },
    openChatIds: () => state.open,
    activeChatId: () => state.active,
    ...over,
  };
  const poller = createPoller(deps);
  return { clock, visibility, calls, state, poller };
}

describe("poll policy", () => {
  const P = POLL_POLICY;
  it("polls every interval while the agent works, with small jitter that keeps the 10 s promise", () => {
    const working = { lastInteractionAt: 0, failures: 0 };
    expect(nextDelayMs(working, 1_000, () => 0.5)).toBe(P.intervalMs);
    const low = nextDelayMs(working, 1_000, () => 0);
    const high = nextDelayMs(working, 1_000, () => 0.999999);
    expect(low).toBe(P.intervalMs * (1 - P.jitter));
    expect(high).toBeLessThanOrEqual(P.intervalMs * (1 + P.jitter));
    expect(high).toBeLessThanOrEqual(10_500);
    // 3,600 s / interval list requests plus the active chat's check stay under the budget.
    expect(3_600_000 / P.intervalMs + 3_600_000 / P.intervalMs / P.activeChatEvery).toBeLessThan(P.budgetPerHour);
  });

  it("slows down when the agent has not touched the panel for a while", () => {
    const idle = { lastInteractionAt: 0, failures: 0 };
    expect(isIdle(idle, P.idleAfterMs)).toBe(true);
    expect(nextDelayMs(idle, P.idleAfterMs, () => 0.5)).toBe(P.idleIntervalMs);
  });

  it("backs off on failures up to a ceiling, and never waits less than Retry-After", () => {
    const d = (failures: number) => nextDelayMs({ lastInteractionAt: 0, failures }, 1_000, () => 0.5);
    expect(d(1)).toBe(P.intervalMs);
    expect(d(2)).toBe(P.intervalMs * 2);
    expect(d(30)).toBe(P.maxBackoffMs);
    expect(nextDelayMs({ lastInteractionAt: 0, failures: 1, retryAfterMs: 45_000 }, 1_000, () => 0)).toBe(45_000);
  });

  it("the bucket allows a burst, then only its hourly refill", () => {
    let b = newBucket(0);
    let ok = 0;
    for (let i = 0; i < 100; i++) {
      const r = take(b, 0);
      b = r.bucket;
      if (r.ok) ok++;
    }
    expect(ok).toBe(POLL_POLICY.burst);
    const wait = waitForToken(b, 0);
    expect(wait).toBeGreaterThan(0);
    expect(take(b, wait).ok).toBe(true);
  });
});

describe("poller", () => {
  it("waits one interval before the first tick (the list was just loaded)", async () => {
    const { clock, calls, poller } = setup();
    poller.start();
    await clock.advance(POLL_POLICY.intervalMs - 1);
    expect(calls).toEqual([]);
    await clock.advance(1);
    expect(calls).toEqual(["list"]);
  });

  it("reads only chats that moved and are open", async () => {
    const { clock, calls, state, poller } = setup();
    state.open = ["A", "B"];
    state.active = "B";
    poller.start();
    state.changed = ["A", "C"];
    await clock.advance(POLL_POLICY.intervalMs);
    expect(calls).toEqual(["list", "chat:A"]);
  });

  it("checks the active chat by chance (one tick in activeChatEvery), for edits that do not move the list", async () => {
    const seen: string[] = [];
    const pollChat = async (id: string) => (seen.push(id), { newMessages: 0 });
    // A draw under 1/activeChatEvery checks; above it does not.
    const never = setup({ pollChat, random: () => 1 / POLL_POLICY.activeChatEvery + 0.01 });
    never.poller.start();
    await never.clock.advance(POLL_POLICY.intervalMs * 10);
    expect(never.calls.filter((c) => c === "list").length).toBeGreaterThan(5);
    expect(seen).toEqual([]);
    const always = setup({ pollChat, random: () => 0 });
    always.poller.start();
    await always.clock.advance(POLL_POLICY.intervalMs * 5);
    expect(seen.length).toBe(always.calls.filter((c) => c === "list").length);
    expect(new Set(seen)).toEqual(new Set(["A"]));
  });

  it("slows down when the agent is away and is back to the working cadence on a nudge", async () => {
    const { clock, calls, poller } = setup({ pollChat: async () => ({ newMessages: 0 }) });
    poller.start();
    await clock.advance(POLL_POLICY.idleAfterMs + POLL_POLICY.idleIntervalMs * 2);
    calls.length = 0;
    await clock.advance(POLL_POLICY.idleIntervalMs * 6);
    expect(calls.filter((c) => c === "list")).toHaveLength(6);
    calls.length = 0;
    await clock.advance(POLL_POLICY.idleIntervalMs / 2);
    poller.nudge("focus");
    await clock.advance(0);
    expect(calls.filter((c) => c === "list")).toHaveLength(1);
    calls.length = 0;
    await clock.advance(POLL_POLICY.intervalMs * 6);
    expect(calls.filter((c) => c === "list")).toHaveLength(6);
  });

  it("makes no request while the page is hidden and catches up when it is shown", async () => {
    const { clock, calls, visibility, poller } = setup();
    poller.start();
    visibility.set(false);
    await clock.advance(3_600_000);
    expect(calls).toEqual([]);
    expect(clock.pending()).toBe(0);
    visibility.set(true);
    await clock.advance(0);
    expect(calls).toEqual(["list"]);
  });

  it("obeys Retry-After and backs off when offline", async () => {
    const { clock, calls, state, poller } = setup();
    poller.start();
    state.listError = new ServiceError("throttled", "busy", 429, undefined, 50);
    await clock.advance(POLL_POLICY.intervalMs);
    expect(calls).toHaveLength(1);
    await clock.advance(49_000);
    expect(calls).toHaveLength(1);
    state.listError = new ServiceError("offline", "no network");
    // Retry-After plus this agent's share of the spread (random 0.5).
    await clock.advance(1_000 + 50_000 * 0.5 * POLL_POLICY.idleJitter);
    expect(calls).toHaveLength(2);
    // Offline: the next waits grow.
    await clock.advance(POLL_POLICY.intervalMs * 2 * (1 - POLL_POLICY.idleJitter) - 1);
    expect(calls).toHaveLength(2);
  });

  it("stops on an auth failure until started again", async () => {
    const { clock, calls, state, poller } = setup();
    poller.start();
    state.listError = new ServiceError("auth", "sign in", 401);
    await clock.advance(POLL_POLICY.intervalMs);
    await clock.advance(3_600_000);
    expect(calls).toEqual(["list"]);
    state.listError = undefined;
    poller.start();
    await clock.advance(POLL_POLICY.intervalMs * 2);
    expect(calls.length).toBeGreaterThan(1);
  });

  it("never has two ticks in flight", async () => {
    let release: () => void = () => undefined;
    let inFlight = 0;
    let maxInFlight = 0;
    const { clock, poller } = setup({
      pollList: () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        return new Promise((r) => {
          release = () => {
            inFlight--;
            r({ changedChatIds: [] });
          };
        });
      },
    });
    poller.start();
    await clock.advance(POLL_POLICY.intervalMs);
    poller.nudge("typing");
    await clock.advance(POLL_POLICY.intervalMs * 5);
    expect(maxInFlight).toBe(1);
    release();
  });

  it("stays within the hourly budget even when every chat always moves", async () => {
    const { clock, state, poller } = setup({
      pollList: async () => ({ changedChatIds: ["A", "B", "C"] }),
    });
    state.open = ["A", "B", "C"];
    poller.start();
    await clock.advance(3_600_000);
    const s = poller.stats();
    expect(s.listRequests + s.chatRequests).toBeLessThanOrEqual(POLL_POLICY.budgetPerHour);
    expect(s.listRequests + s.chatRequests).toBeGreaterThan(POLL_POLICY.budgetPerHour * 0.9);
  });

  it("costs well under the budget for a quiet visible hour with one chat open", async () => {
    const { clock, poller } = setup({ pollChat: async () => ({ newMessages: 0 }) });
    poller.start();
    await clock.advance(3_600_000);
    const s = poller.stats();
    expect(s.listRequests + s.chatRequests).toBeLessThan(POLL_POLICY.budgetPerHour);
  });

  it("dispose stops everything", async () => {
    const { clock, calls, poller } = setup();
    poller.start();
    poller.dispose();
    await clock.advance(3_600_000);
    expect(calls).toEqual([]);
    poller.start();
    await clock.advance(60_000);
    expect(calls).toEqual([]);
  });
});

describe("scaled clock", () => {
  it("runs timers and time faster by its factor", () => {
    const base = new FakeClock();
    const fast = scaledClock(60, base);
    let fired = false;
    fast.setTimeout(() => (fired = true), 60_000);
    base.t = 999;
    expect(fast.now()).toBe(999 * 60);
    return base.advance(1).then(() => expect(fired).toBe(true));
  });
});

describe("poller: no news lost", () => {
  const throttled = (seconds: number) => new ServiceError("throttled", "busy", 429, undefined, seconds);

  it("reads a moved chat again on a later tick when its read failed (the list will not report it twice)", async () => {
    let failNext = true;
    const { clock, calls, state, poller } = setup({
      pollChat: async (id) => {
        calls.push(`chat:${id}`);
        if (failNext) {
          failNext = false;
          throw throttled(30);
        }
        return { newMessages: 1 };
      },
    });
    poller.start();
    state.changed = ["A"];
    await clock.advance(POLL_POLICY.intervalMs);
    expect(calls).toEqual(["list", "chat:A"]);
    // Retry-After is obeyed first, then the chat is read although the list no longer reports it.
    await clock.advance(29_999);
    expect(calls).toHaveLength(2);
    await clock.advance(POLL_POLICY.intervalMs * 4);
    expect(calls.slice(2, 4)).toEqual(["list", "chat:A"]);
    expect(calls.filter((c) => c === "chat:A")).toHaveLength(2);
  });

  it("reads the moved chats it had no budget for on a later tick", async () => {
    const read: string[] = [];
    const { clock, state, poller } = setup({
      pollChat: async (id) => {
        read.push(id);
        return { newMessages: 1 };
      },
    });
    state.open = Array.from({ length: POLL_POLICY.burst + 5 }, (_, i) => `c${i}`);
    state.active = undefined;
    state.changed = [...state.open];
    poller.start();
    await clock.advance(POLL_POLICY.intervalMs);
    // One token went to the list: the burst cannot cover every moved chat at once.
    expect(read.length).toBe(POLL_POLICY.burst - 1);
    await clock.advance(3_600_000);
    expect(new Set(read)).toEqual(new Set(state.open));
    expect(read).toHaveLength(state.open.length);
  });

  it("forgets a moved chat once it is closed, and one Teams no longer lets it read", async () => {
    const { clock, calls, state, poller } = setup({
      pollChat: async (id) => {
        calls.push(`chat:${id}`);
        if (id === "B") throw new ServiceError("notFound", "gone", 404);
        throw throttled(1);
      },
    });
    state.open = ["A", "B"];
    state.active = undefined;
    poller.start();
    state.changed = ["B", "A"];
    await clock.advance(POLL_POLICY.intervalMs);
    // B is gone, A throttled: A stays due, B does not.
    expect(calls).toEqual(["list", "chat:B", "chat:A"]);
    state.open = ["B"];
    calls.length = 0;
    await clock.advance(POLL_POLICY.maxBackoffMs * 3);
    expect(calls.filter((c) => c.startsWith("chat:"))).toEqual([]);
    expect(calls.filter((c) => c === "list").length).toBeGreaterThan(0);
  });

  it("agents throttled together come back spread out, never before Retry-After", () => {
    const at = 1_000;
    const back = [0, 0.25, 0.5, 0.75, 0.999].map((r) => nextDelayMs({ lastInteractionAt: 0, failures: 1, retryAfterMs: 60_000 }, at, () => r));
    for (const d of back) expect(d).toBeGreaterThanOrEqual(60_000);
    expect(new Set(back).size).toBe(back.length);
    expect(Math.max(...back)).toBeLessThanOrEqual(60_000 * (1 + POLL_POLICY.idleJitter));
  });
});

describe("poller: Retry-After and coming back", () => {
  it("a nudge never brings the next request before Retry-After", async () => {
    const at: number[] = [];
    let throttleNext = false;
    const { clock, poller } = setup({
      pollList: async () => {
        at.push(clock.t);
        if (throttleNext) {
          throttleNext = false;
          throw new ServiceError("throttled", "busy", 429, undefined, 60);
        }
        return { changedChatIds: [] };
      },
    });
    poller.start();
    // Away long enough for a nudge to count as coming back.
    await clock.advance(POLL_POLICY.idleAfterMs + POLL_POLICY.idleIntervalMs * 2);
    throttleNext = true;
    const before = at.length;
    await clock.advance(POLL_POLICY.idleIntervalMs * 1.3);
    expect(at.length).toBe(before + 1);
    const failedAt = at[at.length - 1];
    await clock.advance(5_000);
    poller.nudge("typing");
    await clock.advance(120_000);
    const next = at[before + 1];
    expect(next).toBeGreaterThanOrEqual(failedAt + 60_000);
    // Once Teams allows it, the nudge's working cadence takes over.
    expect(next).toBeLessThan(failedAt + 60_000 * (1 + POLL_POLICY.idleJitter));
  });

  it("an agent coming back to the page after a long absence is polled at the working cadence", async () => {
    const { clock, calls, visibility, poller } = setup();
    poller.start();
    visibility.set(false);
    await clock.advance(POLL_POLICY.idleAfterMs * 2);
    visibility.set(true);
    await clock.advance(0);
    expect(calls).toEqual(["list"]);
    calls.length = 0;
    await clock.advance(POLL_POLICY.intervalMs * 6);
    expect(calls.filter((c) => c === "list")).toHaveLength(6);
  });
});
