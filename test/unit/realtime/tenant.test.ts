import { POLL_POLICY } from "../../bench/legacy/pollPolicy";
import { runTenantSimulation } from "../../bench/tenant";

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
    expect(r.messageRequests).toBe(r.pollerChatRequests);
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
    expect(r.messageRequests).toBe(r.pollerChatRequests);
    expect(r.delayedMessages).toBeGreaterThan(0);
    expect(r.unshownMessages).toBeLessThan(r.delayedMessages * 0.05);
  });
});
