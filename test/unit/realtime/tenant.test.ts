import { POLL_POLICY } from "../../../TeamsChatPanel/domain/pollPolicy";
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
