import { POLL_POLICY, newBucket, nextDelayMs, take, waitForToken, type Bucket } from "../../../TeamsChatPanel/domain/pollPolicy";
import { prng } from "../../simulator/util";


const P = POLL_POLICY;
const HOUR = 3_600_000;

describe("poll cadence: properties over many draws", () => {
  it("keeps every delay inside its documented band", () => {
    const random = prng(1);
    for (let i = 0; i < 5_000; i++) {
      const now = Math.floor(random() * 4 * HOUR);
      const lastInteractionAt = now - Math.floor(random() * 2 * P.idleAfterMs);
      const failures = random() < 0.3 ? 1 + Math.floor(random() * 8) : 0;
      const retryAfterMs = random() < 0.2 ? Math.floor(random() * 300) * 1000 : undefined;
      const d = nextDelayMs({ lastInteractionAt, failures, retryAfterMs }, now, random);
      const idle = now - lastInteractionAt >= P.idleAfterMs;
      if (retryAfterMs) {
        expect(d).toBeGreaterThanOrEqual(retryAfterMs);
      }
      if (failures > 0) {
        const base = Math.min(P.maxBackoffMs, P.intervalMs * 2 ** (failures - 1));
        expect(d).toBeGreaterThanOrEqual(Math.floor(base * (1 - P.idleJitter)));
        expect(d).toBeLessThanOrEqual(Math.ceil(Math.max(base, retryAfterMs ?? 0) * (1 + P.idleJitter)));
      } else if (!retryAfterMs) {
        const base = idle ? P.idleIntervalMs : P.intervalMs;
        const j = idle ? P.idleJitter : P.jitter;
        expect(d).toBeGreaterThanOrEqual(Math.floor(base * (1 - j)));
        expect(d).toBeLessThanOrEqual(Math.ceil(base * (1 + j)));
      }
    }
  });

  it("spreads delays across the whole jitter band, not a few values", () => {
    const random = prng(2);
    const working = Array.from({ length: 2_000 }, () => nextDelayMs({ lastInteractionAt: 0, failures: 0 }, 1_000, random));
    const lo = Math.min(...working);
    const hi = Math.max(...working);
    expect(lo).toBeLessThan(P.intervalMs * (1 - P.jitter * 0.9));
    expect(hi).toBeGreaterThan(P.intervalMs * (1 + P.jitter * 0.9));
    // No value dominates: agents that start together drift apart.
    const counts = new Map<number, number>();
    for (const d of working) counts.set(d, (counts.get(d) ?? 0) + 1);
    expect(Math.max(...counts.values())).toBeLessThan(working.length / 20);
  });

  it("never lets more than the hourly budget through in any sliding hour, however greedy the caller", () => {
    const random = prng(3);
    let bucket: Bucket = newBucket(0);
    const granted: number[] = [];
    // Five hours of bursts at random moments, each trying to spend far more than it may.
    let t = 0;
    while (t < 5 * HOUR) {
      t += Math.floor(random() * 120_000);
      const want = 1 + Math.floor(random() * 60);
      for (let i = 0; i < want; i++) {
        const r = take(bucket, t);
        bucket = r.bucket;
        if (r.ok) granted.push(t);
      }
    }
    let start = 0;
    for (let end = 0; end < granted.length; end++) {
      while (granted[end] - granted[start] >= HOUR) start++;
      expect(end - start + 1).toBeLessThanOrEqual(P.budgetPerHour);
    }
    // And the cap is the budget, not something far below it.
    expect(granted.length).toBeGreaterThan(P.budgetPerHour * 4.5);
  });

  it("says exactly how long until the next token", () => {
    const random = prng(4);
    let bucket: Bucket = newBucket(0);
    let t = 0;
    for (let i = 0; i < 500; i++) {
      t += Math.floor(random() * 5_000);
      const wait = waitForToken(bucket, t);
      if (wait > 1) expect(take(bucket, t + wait - 2).ok).toBe(false);
      const r = take(bucket, t + wait);
      expect(r.ok).toBe(true);
      bucket = r.bucket;
      t += wait;
    }
  });

  it("a visible working hour costs about 372 requests and an untouched one about 165, both under the budget", () => {
    // Working: one list request per interval plus the active chat's occasional check.
    const working = HOUR / P.intervalMs + HOUR / P.intervalMs / P.activeChatEvery;
    expect(Math.round(working)).toBe(372);
    expect(working).toBeLessThan(P.budgetPerHour);
    // Untouched: the working cadence until idle, then the idle one.
    const untouched = (P.idleAfterMs / P.intervalMs + (HOUR - P.idleAfterMs) / P.idleIntervalMs) * (1 + 1 / P.activeChatEvery);
    expect(Math.round(untouched)).toBe(165);
    expect(untouched).toBeLessThan(working);
  });
});
