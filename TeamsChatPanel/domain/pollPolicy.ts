/**
 * How often the panel asks Teams for news. A browser-only control cannot receive change notifications,
 * so it polls one cheap request (the first page of the chat list) and reads a chat only when it moved.
 * The numbers keep a visible panel under 400 Graph requests an hour and show a new message within ~10 s.
 */
export interface PollPolicy {
  /** Right after activity (a message seen or sent, a chat opened, typing). */
  fastMs: number;
  /** A visible, quiet panel. */
  steadyMs: number;
  /** Activity keeps the fast cadence this long. */
  activeWindowMs: number;
  /** Repeated network failures back off to this. */
  maxBackoffMs: number;
  /** ± share of each delay, so thousands of agents never poll in step. */
  jitter: number;
  /** The open chat is also read every n-th tick, for edits and deletions that do not move the list. */
  activeChatEvery: number;
  /** Requests allowed per hour whatever happens (a token bucket: burst + refill ≤ this). */
  budgetPerHour: number;
  /** Bucket size: the burst a panel may spend at once. */
  burst: number;
}

export const POLL_POLICY: PollPolicy = {
  fastMs: 4_000,
  steadyMs: 10_000,
  activeWindowMs: 60_000,
  maxBackoffMs: 120_000,
  jitter: 0.2,
  activeChatEvery: 12,
  budgetPerHour: 400,
  burst: 20,
};

export interface CadenceState {
  /** Clock time of the last activity. */
  lastActivityAt: number;
  /** Consecutive failed ticks (network, 5xx). */
  failures: number;
  /** Teams asked us to wait (429/503 Retry-After), in ms from the failed tick. */
  retryAfterMs?: number;
}

/** Delay before the next tick, jitter included; `random` returns [0, 1). */
export function nextDelayMs(state: CadenceState, now: number, random: () => number, policy: PollPolicy = POLL_POLICY): number {
  let base = now - state.lastActivityAt < policy.activeWindowMs ? policy.fastMs : policy.steadyMs;
  if (state.failures > 0) base = Math.min(policy.maxBackoffMs, policy.steadyMs * 2 ** (state.failures - 1));
  const jittered = base * (1 + (random() * 2 - 1) * policy.jitter);
  // Retry-After is a floor, never shortened by jitter.
  return Math.round(Math.max(jittered, state.retryAfterMs ?? 0));
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
