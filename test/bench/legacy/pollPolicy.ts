/**
 * How often the panel asks Teams for news. A browser-only control cannot receive change notifications,
 * so it polls one cheap request (the first page of the chat list) and reads a chat only when it moved.
 * The numbers keep a visible panel under 400 Graph requests an hour and show a new message within ~10 s.
 */
export interface PollPolicy {
  /** While the agent works in the panel: a new message shows within this (plus jitter). */
  intervalMs: number;
  /** ± share of the interval, so agents never poll in step; small, so the 10 s promise holds. */
  jitter: number;
  /** No interaction for this long (panel left open on a second screen): poll slower. */
  idleAfterMs: number;
  idleIntervalMs: number;
  idleJitter: number;
  /** Repeated network failures back off to this. */
  maxBackoffMs: number;
  /** The open chat is also read on one tick in n on average, for edits and deletions that do not move the list. */
  activeChatEvery: number;
  /** Requests allowed per hour whatever happens (a token bucket: burst + hourly refill = this). */
  budgetPerHour: number;
  /** Bucket size: the burst a panel may spend at once. */
  burst: number;
}

/**
 * 10 s ± 5 % costs 360 list requests an hour; reading open chats only when they moved, and the active one every
 * 30th tick (~5 min), keeps a working agent under 400. An agent away from the panel for 10 minutes is polled every
 * 30 s until they touch it again (then at once).
 */
export const POLL_POLICY: PollPolicy = {
  intervalMs: 10_000,
  jitter: 0.05,
  idleAfterMs: 600_000,
  idleIntervalMs: 30_000,
  idleJitter: 0.2,
  maxBackoffMs: 120_000,
  activeChatEvery: 30,
  budgetPerHour: 400,
  burst: 20,
};

export interface CadenceState {
  /** Clock time of the agent's last interaction with the panel (opened a chat, typed, sent, focused). */
  lastInteractionAt: number;
  /** Consecutive failed ticks (network, 5xx). */
  failures: number;
  /** Teams asked us to wait (429/503 Retry-After), in ms from the failed tick. */
  retryAfterMs?: number;
}

export function isIdle(state: CadenceState, now: number, policy: PollPolicy = POLL_POLICY): boolean {
  return now - state.lastInteractionAt >= policy.idleAfterMs;
}

/** Delay before the next tick, jitter included; `random` returns [0, 1). */
export function nextDelayMs(state: CadenceState, now: number, random: () => number, policy: PollPolicy = POLL_POLICY): number {
  const idle = isIdle(state, now, policy);
  let base = idle ? policy.idleIntervalMs : policy.intervalMs;
  let jitter = idle ? policy.idleJitter : policy.jitter;
  if (state.failures > 0) {
    base = Math.min(policy.maxBackoffMs, policy.intervalMs * 2 ** (state.failures - 1));
    jitter = policy.idleJitter;
  }
  const r = random();
  const jittered = base * (1 + (r * 2 - 1) * jitter);
  // Retry-After is a floor, never shortened by jitter; agents throttled together come back spread over a fifth more.
  const floor = (state.retryAfterMs ?? 0) * (1 + r * policy.idleJitter);
  return Math.round(Math.max(jittered, floor));
}

/** A token bucket over the clock: at most `burst + refill × hour` ≤ budgetPerHour requests in any hour. */
export interface Bucket {
  tokens: number;
  at: number;
}

export function newBucket(now: number, policy: PollPolicy = POLL_POLICY): Bucket {
  return { tokens: policy.burst, at: now };
}

function refillPerMs(policy: PollPolicy): number {
  return (policy.budgetPerHour - policy.burst) / 3_600_000;
}

/** Takes one token if there is one; returns the bucket after the attempt and whether it succeeded. */
export function take(bucket: Bucket, now: number, policy: PollPolicy = POLL_POLICY): { bucket: Bucket; ok: boolean } {
  const tokens = Math.min(policy.burst, bucket.tokens + Math.max(0, now - bucket.at) * refillPerMs(policy));
  if (tokens >= 1) return { bucket: { tokens: tokens - 1, at: now }, ok: true };
  return { bucket: { tokens, at: now }, ok: false };
}

/** How long until the bucket has a token again. */
export function waitForToken(bucket: Bucket, now: number, policy: PollPolicy = POLL_POLICY): number {
  const tokens = Math.min(policy.burst, bucket.tokens + Math.max(0, now - bucket.at) * refillPerMs(policy));
  return tokens >= 1 ? 0 : Math.ceil((1 - tokens) / refillPerMs(policy));
}
