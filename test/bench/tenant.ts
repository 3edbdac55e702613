/**
 * Tenant-scale simulation of live updates: N agents, each running the panel's real poller and policy on a
 * simulated clock for one working hour, against Teams' per-tenant limits (GET chat messages 20/s; the chat
 * list counts towards the other Teams GETs, 30/s). Deterministic for a seed. Run: npx tsx test/bench/tenant.ts
 */
import { POLL_POLICY, type PollPolicy } from "./legacy/pollPolicy";
import { prng } from "../simulator/util";
import { ServiceError } from "../../TeamsChatPanel/services/errors";
import type { Clock, VisibilitySource } from "../../TeamsChatPanel/services/realtime/clock";
import { createPoller, type Poller } from "./legacy/poller";

export interface TenantOptions {
  agents: number;
  seed?: number;
  /** Simulated time, ms (default one hour). */
  durationMs?: number;
  /** Messages an agent receives per hour across all chats. */
  messagesPerHour?: number;
  /** Share of those that land in a chat the agent has open. */
  openChatShare?: number;
  /** Share of time the panel is visible. */
  visibleShare?: number;
  /** Mean length of a visible stretch, ms. */
  visibleStretchMs?: number;
  /** Times an agent interacts with the panel per hour (typing, sending, opening). */
  interactionsPerHour?: number;
  policy?: PollPolicy;
  /**
   * Answer like Teams past its per-tenant limits: a request beyond 20 message GETs (or 30 list GETs) in the current
   * second fails with 429 and this Retry-After, in seconds. Off by default (the table then shows the demand).
   */
  throttleRetryAfterSeconds?: number;
}

export interface TenantResult {
  agents: number;
  listPerSecondMean: number;
  listPerSecondPeak: number;
  messagePerSecondMean: number;
  messagePerSecondPeak: number;
  /** Delay from a message's arrival in an open chat of a panel in use (visible, touched within the idle threshold) to the poll that shows it, ms. */
  delayP50: number;
  delayP95: number;
  delayedMessages: number;
  requestsPerVisibleAgentHour: number;
  hiddenRequests: number;
  /** Requests that reached Teams, counted on the tenant side (429s included). */
  listRequests: number;
  messageRequests: number;
  /** The same, summed from every agent's poller stats. */
  pollerListRequests: number;
  pollerChatRequests: number;
  /** Requests answered 429 (only with throttleRetryAfterSeconds). */
  throttledRequests: number;
  /** Messages counted for the delay that no poll had shown by the end of the run. */
  unshownMessages: number;
}


function exp(random: () => number, mean: number): number {
  return -Math.log(1 - random()) * mean;
}

/** A discrete-event clock shared by every simulated agent. */
class SimClock implements Clock {
  t = 0;
  private heap: Array<{ at: number; seq: number; fn: () => void }> = [];
  private seq = 0;
  private cancelled = new Set<number>();
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const e = { at: this.t + Math.max(0, ms), seq: ++this.seq, fn };
    this.push(e);
    return e.seq;
  };
  clearTimeout = (h: unknown) => {
    this.cancelled.add(h as number);
  };
  private push(e: { at: number; seq: number; fn: () => void }) {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p].at < e.at || (h[p].at === e.at && h[p].seq < e.seq)) break;
      h[i] = h[p];
      i = p;
    }
    h[i] = e;
  }
  private pop() {
    const h = this.heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        const lt = (a: typeof last, b: typeof last) => a.at < b.at || (a.at === b.at && a.seq < b.seq);
        if (l < h.length && lt(h[l], m === i ? last : h[m])) m = l;
        if (r < h.length && lt(h[r], m === i ? last : h[m])) m = r;
        if (m === i) break;
        h[i] = h[m];
        i = m;
      }
      h[i] = last;
    }
    return top;
  }
  async run(until: number): Promise<void> {
    while (this.heap.length && this.heap[0].at <= until) {
      const e = this.pop();
      if (this.cancelled.delete(e.seq)) continue;
      this.t = e.at;
      e.fn();
      // The poller awaits its (instant) requests: let them settle before time moves on.
      for (let i = 0; i < 8; i++) await Promise.resolve();
    }
    this.t = until;
  }
}

class Visibility implements VisibilitySource {
  visible = true;
  private subs: Array<() => void> = [];
  isVisible = () => this.visible;
  subscribe = (cb: () => void) => {
    this.subs.push(cb);
    return () => (this.subs = this.subs.filter((x) => x !== cb));
  };
  set(v: boolean) {
    if (v === this.visible) return;
    this.visible = v;
    for (const cb of this.subs) cb();
  }
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

export async function runTenantSimulation(opts: TenantOptions): Promise<TenantResult> {
  const duration = opts.durationMs ?? 3_600_000;
  const msgsPerHour = opts.messagesPerHour ?? 20;
  const openShare = opts.openChatShare ?? 1 / 3;
  const visibleShare = opts.visibleShare ?? 0.7;
  const stretch = opts.visibleStretchMs ?? 20 * 60_000;
  const interactions = opts.interactionsPerHour ?? 12;
  const policy = opts.policy ?? POLL_POLICY;
  const random = prng(opts.seed ?? 42);
  const clock = new SimClock();
  const seconds = Math.ceil(duration / 1000);
  const listPerSecond = new Uint32Array(seconds + 1);
  const msgPerSecond = new Uint32Array(seconds + 1);
  const delays: number[] = [];
  let hiddenRequests = 0;
  let throttledRequests = 0;
  const unseenByAgent: Array<Map<string, number[]>> = [];
  const throttle = (counts: Uint32Array, limit: number) => {
    if (opts.throttleRetryAfterSeconds === undefined || counts[Math.floor(clock.t / 1000)] <= limit) return;
    throttledRequests++;
    throw new ServiceError("throttled", "tenant limit", 429, undefined, opts.throttleRetryAfterSeconds);
  };
  let visibleMs = 0;
  const pollers: Poller[] = [];

  for (let a = 0; a < opts.agents; a++) {
    const vis = new Visibility();
    vis.visible = random() < visibleShare;
    const openChats = ["open-1", "open-2"];
    const movedSinceList = new Set<string>();
    const unseen = new Map<string, number[]>(openChats.map((c) => [c, []]));
    unseenByAgent.push(unseen);
    let visibleSince = vis.visible ? 0 : -1;
    const poller = createPoller(
      {
        clock,
        visibility: vis,
        random: prng((opts.seed ?? 42) * 7919 + a),
        pollList: async () => {
          if (!vis.visible) hiddenRequests++;
          listPerSecond[Math.floor(clock.t / 1000)]++;
          throttle(listPerSecond, OTHER_GET_LIMIT);
          const changed = [...movedSinceList];
          movedSinceList.clear();
          return { changedChatIds: changed };
        },
        pollChat: async (id) => {
          if (!vis.visible) hiddenRequests++;
          msgPerSecond[Math.floor(clock.t / 1000)]++;
          throttle(msgPerSecond, MESSAGE_GET_LIMIT);
          const waiting = unseen.get(id) ?? [];
          for (const at of waiting) if (at >= 0) delays.push(clock.t - at);
          unseen.set(id, []);
          return { newMessages: waiting.length };
        },
        openChatIds: () => openChats,
        activeChatId: () => openChats[0],
      },
      policy,
    );
    pollers.push(poller);
    // Agents open their panels at different moments: start each within the first working interval.
    clock.setTimeout(() => poller.start(), random() * policy.intervalMs);
    let lastInteraction = 0;

    // Visibility alternates in stretches whose means give the visible share.
    const toggle = () => {
      const now = clock.t;
      if (vis.visible) visibleMs += now - visibleSince;
      vis.set(!vis.visible);
      if (vis.visible) {
        visibleSince = now;
        lastInteraction = now;
        poller.nudge("focus");
      }
      clock.setTimeout(toggle, exp(random, vis.visible ? stretch : (stretch * (1 - visibleShare)) / visibleShare));
    };
    clock.setTimeout(toggle, exp(random, vis.visible ? stretch : (stretch * (1 - visibleShare)) / visibleShare));
    // Incoming messages: a Poisson stream; some land in an open chat (only those have a display delay).
    const arrive = () => {
      const inOpen = random() < openShare;
      const chat = inOpen ? openChats[random() < 0.75 ? 0 : 1] : `other-${Math.floor(random() * 40)}`;
      movedSinceList.add(chat);
      // Only messages arriving while the panel is visible count for the delay (a hidden panel shows them on return).
      // The promise is for panels in use: visible, and touched within the idle threshold.
      if (inOpen) unseen.get(chat)!.push(vis.visible && clock.t - lastInteraction < policy.idleAfterMs ? clock.t : -1);
      clock.setTimeout(arrive, exp(random, 3_600_000 / msgsPerHour));
    };
    clock.setTimeout(arrive, exp(random, 3_600_000 / msgsPerHour));
    const interact = () => {
      if (vis.visible) {
        lastInteraction = clock.t;
        poller.nudge(random() < 0.5 ? "typing" : "sent");
      }
      clock.setTimeout(interact, exp(random, 3_600_000 / interactions));
    };
    clock.setTimeout(interact, exp(random, 3_600_000 / interactions));
    // Keep the visible-time account right for agents visible at the end.
    clock.setTimeout(() => {
      if (vis.visible) visibleMs += clock.t - visibleSince;
      vis.visible = false;
    }, duration);
  }

  await clock.run(duration);
  for (const p of pollers) p.dispose();

  const requests = pollers.reduce((n, p) => n + p.stats().listRequests + p.stats().chatRequests, 0);
  const sum = (arr: Uint32Array) => arr.reduce((n, x) => n + x, 0);
  return {
    agents: opts.agents,
    listPerSecondMean: sum(listPerSecond) / seconds,
    listPerSecondPeak: Math.max(...listPerSecond),
    messagePerSecondMean: sum(msgPerSecond) / seconds,
    messagePerSecondPeak: Math.max(...msgPerSecond),
    delayP50: percentile(delays, 50),
    delayP95: percentile(delays, 95),
    delayedMessages: delays.length,
    requestsPerVisibleAgentHour: visibleMs > 0 ? requests / (visibleMs / 3_600_000) : 0,
    hiddenRequests,
    listRequests: sum(listPerSecond),
    messageRequests: sum(msgPerSecond),
    pollerListRequests: pollers.reduce((n, p) => n + p.stats().listRequests, 0),
    pollerChatRequests: pollers.reduce((n, p) => n + p.stats().chatRequests, 0),
    throttledRequests,
    unshownMessages: unseenByAgent.reduce((n, m) => n + [...m.values()].reduce((k, at) => k + at.filter((x) => x >= 0).length, 0), 0),
  };
}

export const MESSAGE_GET_LIMIT = 20;
export const OTHER_GET_LIMIT = 30;
export const DELAY_TARGET_MS = 10_000;

export interface TenantReport {
  rows: TenantResult[];
  /** Largest N (of those tried) with peak message GETs under 20/s and p95 delay within 10 s. */
  largestForMessages: number;
  /** Largest N (of those tried) with peak chat-list GETs under 30/s. */
  largestForList: number;
  /** Past the limits: the same agents when Teams answers the excess with 429 and Retry-After. */
  throttledRows: TenantResult[];
}

/** Retry-After assumed for the throttled runs (Teams gives no fixed figure; a few seconds is what it typically sends). */
export const THROTTLE_RETRY_AFTER_SECONDS = 5;

export async function tenantReport(series: number[] = [50, 100, 200, 400, 800, 1600, 3200], seed = 42, throttledSeries: number[] = [200, 400, 800, 1600]): Promise<TenantReport> {
  const rows: TenantResult[] = [];
  for (const agents of series) rows.push(await runTenantSimulation({ agents, seed }));
  // Narrow the message limit down between the last N that passed and the first that failed.
  const passes = (r: TenantResult) => r.messagePerSecondPeak < MESSAGE_GET_LIMIT && r.delayP95 <= DELAY_TARGET_MS;
  let lo = Math.max(0, ...rows.filter(passes).map((r) => r.agents));
  let hi = Math.min(...rows.filter((r) => !passes(r) && r.agents > lo).map((r) => r.agents));
  for (let i = 0; i < 3 && Number.isFinite(hi) && hi - lo > 50; i++) {
    const mid = Math.round((lo + hi) / 2 / 50) * 50;
    const r = await runTenantSimulation({ agents: mid, seed });
    rows.push(r);
    if (passes(r)) lo = mid;
    else hi = mid;
  }
  rows.sort((a, b) => a.agents - b.agents);
  const okMsg = rows.filter((r) => r.messagePerSecondPeak < MESSAGE_GET_LIMIT && r.delayP95 <= DELAY_TARGET_MS);
  const okList = rows.filter((r) => r.listPerSecondPeak < OTHER_GET_LIMIT);
  const throttledRows: TenantResult[] = [];
  for (const agents of throttledSeries) throttledRows.push(await runTenantSimulation({ agents, seed, throttleRetryAfterSeconds: THROTTLE_RETRY_AFTER_SECONDS }));
  return {
    rows,
    throttledRows,
    largestForMessages: okMsg.length ? Math.max(...okMsg.map((r) => r.agents)) : 0,
    largestForList: okList.length ? Math.max(...okList.map((r) => r.agents)) : 0,
  };
}

export function formatTenantReport(report: TenantReport): string {
  const head = "  agents  list/s mean  list/s peak  msg/s mean  msg/s peak  delay p50  delay p95  req/visible agent-h";
  const lines = report.rows.map(
    (r) =>
      `  ${String(r.agents).padStart(6)}  ${r.listPerSecondMean.toFixed(1).padStart(11)}  ${String(r.listPerSecondPeak).padStart(11)}  ${r.messagePerSecondMean.toFixed(2).padStart(10)}  ${String(r.messagePerSecondPeak).padStart(10)}  ${(r.delayP50 / 1000).toFixed(1).padStart(8)}s  ${(r.delayP95 / 1000).toFixed(1).padStart(8)}s  ${r.requestsPerVisibleAgentHour.toFixed(0).padStart(20)}`,
  );
  return [
    "Tenant simulation (one hour, real poller and policy, 70 % visible, 20 messages/agent-hour, a third in open chats)",
    head,
    ...lines,
    `  largest N with message GETs < ${MESSAGE_GET_LIMIT}/s and p95 delay <= ${DELAY_TARGET_MS / 1000} s: ${report.largestForMessages}`,
    `  largest N with chat-list GETs < ${OTHER_GET_LIMIT}/s: ${report.largestForList}`,
    ...(report.throttledRows.length
      ? [
          `Past the limits: Teams answers the excess with 429, Retry-After ${THROTTLE_RETRY_AFTER_SECONDS} s (the poller backs off and keeps unread chats due)`,
          "  agents  list/s peak  msg/s peak  429 share  delay p50  delay p95  not shown by the end",
          ...report.throttledRows.map(
            (r) =>
              `  ${String(r.agents).padStart(6)}  ${String(r.listPerSecondPeak).padStart(11)}  ${String(r.messagePerSecondPeak).padStart(10)}  ${((100 * r.throttledRequests) / Math.max(1, r.listRequests + r.messageRequests)).toFixed(1).padStart(8)}%  ${(r.delayP50 / 1000).toFixed(1).padStart(8)}s  ${(r.delayP95 / 1000).toFixed(1).padStart(8)}s  ${String(r.unshownMessages).padStart(20)}`,
          ),
        ]
      : []),
  ].join("\n");
}

if (process.argv[1] && /tenant\.ts$/.test(process.argv[1])) {
  tenantReport()
    .then((r) => console.log(formatTenantReport(r)))
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
