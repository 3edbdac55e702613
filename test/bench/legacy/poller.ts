import { POLL_POLICY, isIdle, newBucket, nextDelayMs, take, waitForToken, type Bucket, type CadenceState, type PollPolicy } from "./pollPolicy";
import { ServiceError } from "../../../TeamsChatPanel/services/errors";
import type { Clock, VisibilitySource } from "../../../TeamsChatPanel/services/realtime/clock";

export type NudgeReason = "sent" | "opened" | "typing" | "focus";

/**
 * How the store receives news from Teams. Today a poller; beyond the tenant limits (README, "Live updates")
 * a client of a change-notification relay (Graph subscriptions → Azure Event Hubs → relay) takes its place
 * behind the same four calls.
 */
export interface LiveUpdates {
  start(): void;
  stop(): void;
  nudge(reason: NudgeReason): void;
  dispose(): void;
}

export interface PollerDeps {
  clock: Clock;
  visibility: VisibilitySource;
  random: () => number;
  /** One chat-list request; returns the chats whose last message moved. */
  pollList(): Promise<{ changedChatIds: string[] }>;
  /** What changed in one open chat since the last look (one request). */
  pollChat(chatId: string): Promise<{ newMessages: number }>;
  openChatIds(): string[];
  activeChatId(): string | undefined;
  onError?(error: unknown): void;
}

export interface PollerStats {
  ticks: number;
  listRequests: number;
  chatRequests: number;
}

export interface Poller extends LiveUpdates {
  stats(): PollerStats;
}

export function createPoller(deps: PollerDeps, policy: PollPolicy = POLL_POLICY): Poller {
  const { clock, visibility } = deps;
  const stats: PollerStats = { ticks: 0, listRequests: 0, chatRequests: 0 };
  const cadence: CadenceState = { lastInteractionAt: clock.now(), failures: 0 };
  let bucket: Bucket = newBucket(clock.now(), policy);
  let running = false;
  let disposed = false;
  let inFlight = false;
  let timer: unknown;
  let dueAt = 0;
  let lastTickAt = clock.now();
  // Teams asked for quiet until then: nothing (a nudge, the page shown again, start) sends a request earlier.
  let notBefore = 0;
  let unsubscribe: (() => void) | undefined;
  // Open chats that moved but are not read yet. The store merges the list on every poll, so a chat whose read
  // failed or found no budget is never reported as moved again: it stays due here until it is read.
  const due = new Set<string>();

  const spend = (): boolean => {
    const r = take(bucket, clock.now(), policy);
    bucket = r.bucket;
    return r.ok;
  };

  const schedule = (ms: number) => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    if (!running || !visibility.isVisible()) return;
    const wait = Math.max(ms, notBefore - clock.now(), waitForToken(bucket, clock.now(), policy));
    dueAt = clock.now() + wait;
    timer = clock.setTimeout(() => {
      timer = undefined;
      void tick();
    }, wait);
  };

  const tick = async () => {
    if (!running || inFlight || !visibility.isVisible()) return;
    if (!spend()) {
      schedule(0);
      return;
    }
    inFlight = true;
    stats.ticks++;
    let stop = false;
    try {
      stats.listRequests++;
      const { changedChatIds } = await deps.pollList();
      const open = new Set(deps.openChatIds());
      for (const id of changedChatIds) if (open.has(id)) due.add(id);
      for (const id of due) if (!open.has(id)) due.delete(id);
      const targets = [...due];
      const active = deps.activeChatId();
      // By chance, not every n-th tick: agents who opened their panels together must not check in step.
      if (active && open.has(active) && !due.has(active) && deps.random() < 1 / policy.activeChatEvery) targets.push(active);
      for (const id of targets) {
        if (!running || !spend()) break;
        stats.chatRequests++;
        try {
          await deps.pollChat(id);
          due.delete(id);
        } catch (e) {
          // Left or deleted chat: nothing more to read there; the other chats still are.
          if (!(e instanceof ServiceError && (e.kind === "notFound" || e.kind === "forbidden"))) throw e;
          due.delete(id);
          deps.onError?.(e);
        }
      }
      cadence.failures = 0;
      cadence.retryAfterMs = undefined;
    } catch (e) {
      deps.onError?.(e);
      if (e instanceof ServiceError && (e.kind === "auth" || e.kind === "forbidden")) stop = true;
      cadence.failures++;
      cadence.retryAfterMs = e instanceof ServiceError && e.retryAfterSeconds ? e.retryAfterSeconds * 1000 : undefined;
      if (cadence.retryAfterMs) notBefore = clock.now() + cadence.retryAfterMs;
    } finally {
      inFlight = false;
      lastTickAt = clock.now();
    }
    // Signed out or no longer allowed: wait until the panel starts us again.
    if (stop) running = false;
    else schedule(nextDelayMs(cadence, clock.now(), deps.random, policy));
  };

  const onVisibility = () => {
    if (!running) return;
    if (!visibility.isVisible()) {
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      return;
    }
    // Back in view: the agent is looking again, so the working cadence; catch up at once if a tick was missed.
    cadence.lastInteractionAt = clock.now();
    const sinceLast = clock.now() - lastTickAt;
    const delay = nextDelayMs(cadence, clock.now(), deps.random, policy);
    schedule(sinceLast >= delay ? 0 : delay - sinceLast);
  };

  return {
    start() {
      if (running || disposed) return;
      running = true;
      unsubscribe ??= visibility.subscribe(onVisibility);
      // The list was just loaded: the first tick waits one interval.
      lastTickAt = clock.now();
      schedule(nextDelayMs(cadence, clock.now(), deps.random, policy));
    },
    stop() {
      running = false;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
    nudge() {
      const wasIdle = isIdle(cadence, clock.now(), policy);
      cadence.lastInteractionAt = clock.now();
      if (!running || inFlight || !wasIdle) return;
      // Back from idle: keep the working cadence from the last tick (at once when it is overdue).
      const due = Math.max(0, lastTickAt + policy.intervalMs - clock.now());
      if (timer === undefined || dueAt - clock.now() > due) schedule(due);
    },
    dispose() {
      disposed = true;
      this.stop();
      unsubscribe?.();
      unsubscribe = undefined;
    },
    stats: () => ({ ...stats }),
  };
}
