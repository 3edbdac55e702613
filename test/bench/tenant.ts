/**
 * Tenant-scale simulation of live updates: N agents, each running the panel's former poller and policy
 * (test/bench/legacy) on a simulated clock for one working hour, against Teams' limits: per app per tenant
 * (GET chat messages 20/s, POST chat messages 20/s, the chat list counts towards the other Teams GETs, 30/s),
 * per app per tenant on any one chat (1/s) and per user (list/get chat 5/s, POST in one chat 1/s); source:
 * microsoftgraph/microsoft-graph-docs-contrib includes/throttling-teams.md. Beside it, a pure model of what the
 * relay design (live updates from change notifications, Graph read only when the agent acts) costs under the
 * same seed and load. Deterministic for a seed. Run: npx tsx test/bench/tenant.ts
 */
import { POLL_POLICY, type PollPolicy } from "./legacy/pollPolicy";
import { prng } from "../simulator/util";
import { ServiceError } from "../../TeamsChatPanel/services/errors";
import type { Clock, VisibilitySource } from "../../TeamsChatPanel/services/realtime/clock";
import { createPoller, type Poller } from "./legacy/poller";

// ---- Teams limits (includes/throttling-teams.md) ----------------------------------------------------------------

/** GET 1:1/group chat messages, per app per tenant. */
export const MESSAGE_GET_LIMIT = 20;
/** Other Teams GETs (the chat list, chat members), per app per tenant. */
export const OTHER_GET_LIMIT = 30;
/** POST 1:1/group chat message, per app per tenant. */
export const MESSAGE_POST_LIMIT = 20;
/** Any request on one chat, per app per tenant ("a maximum of one request per second … on a given chat"). */
export const PER_CHAT_LIMIT = 1;
/** List chats / get chat, per user. */
export const PER_USER_LIST_LIMIT = 5;
/** POST message in one chat, per user. */
export const PER_USER_CHAT_POST_LIMIT = 1;
export const DELAY_TARGET_MS = 10_000;

// ---- Assumptions about the load (both designs see the same) -----------------------------------------------------

/** Chats each agent has open in the panel (the case chat of the form, and one more). */
export const OPEN_CHATS_PER_AGENT = 2;
/** A case chat is open in the panels of this many agents (uniform, inclusive): the case team swarming on it. */
export const CASE_CHAT_AGENTS: readonly [number, number] = [3, 8];
/** Agents per team; each team has one team chat. */
export const TEAM_SIZE = 60;
/** Share of agents whose second open chat is their team chat (the rest: a second case chat): ~24 panels per team chat. */
export const TEAM_CHAT_OPEN_SHARE = 0.4;
/** Other chats per agent (1:1s, small groups no other agent has open): they move the list, never polled. */
export const OTHER_CHATS_PER_AGENT = 40;
/** Times an agent opens a chat in the panel per hour (each reads it once), while the page is visible. */
export const CHAT_OPENS_PER_AGENT_HOUR = 12;
/** Messages an agent sends per hour (one POST each, no read), while the page is visible. */
export const SENDS_PER_AGENT_HOUR = 6;
/** Other touches of the panel per hour (typing): no request, but they keep the poller out of its idle cadence. */
export const TYPING_PER_AGENT_HOUR = 6;
/** A person does not act twice within this (two clicks, two sends): the floor of the gap between one agent's actions. */
export const HUMAN_MIN_GAP_MS = 2_000;
/** WebSocket reconnects per agent-hour in the relay design (network blips, sleep/wake, the client URL's renewal). */
export const RECONNECTS_PER_AGENT_HOUR = 0.5;

// ---- Assumptions about the relay (relay/src) --------------------------------------------------------------------

/** Subscriptions live 55 minutes and are renewed 10 minutes before they end (relay/src/subscriptions.ts). */
export const SUBSCRIPTION_RENEW_MS = 45 * 60_000;
/**
 * Tenant mode: a chat's membership read (GET /chats/{id}/members) is cached this long. One hour here; the relay's
 * code default is 10 minutes (relay/src/membership.ts), kept current by /chats/getAllMembers notifications.
 */
export const MEMBERSHIP_CACHE_MS = 60 * 60_000;
/** Tenant mode: /chats/getAllMessages and /chats/getAllMembers, one renewal each per 45 minutes. */
export const TENANT_SUBSCRIPTIONS = 2;

// ---- The load ---------------------------------------------------------------------------------------------------

export interface TenantLoadOptions {
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
  /** When the agents' panels open: uniformly within this, ms (default: the poll interval). */
  startSpreadMs?: number;
}

export interface TimedChat {
  at: number;
  chat: string;
}

export interface AgentLoad {
  /** The panel opens (the poller starts; the relay client connects). */
  startAt: number;
  visibleAtStart: boolean;
  /** Times the page's visibility flips, ascending. */
  toggles: number[];
  openChats: string[];
  /** Chat opens while visible (one message read each). */
  opens: TimedChat[];
  /** Messages sent while visible (one POST each). */
  sends: TimedChat[];
  /** Typing while visible (no request). */
  typing: number[];
  /** Relay design: WebSocket reconnects. */
  reconnects: number[];
}

export interface TenantLoad {
  durationMs: number;
  agents: AgentLoad[];
  /** Agents with each shared chat open. */
  openBy: Map<string, number[]>;
  /** Colleagues' messages in chats agents have open, ascending. */
  sharedMessages: TimedChat[];
  /** Messages in the agents' other chats, ascending (only the relay's tenant mode reads anything for them). */
  otherMessages: TimedChat[];
}

function exp(random: () => number, mean: number): number {
  return -Math.log(1 - random()) * mean;
}

/** Poisson arrivals over [from, until), ascending. */
function poisson(random: () => number, perHour: number, from: number, until: number, minGap = 0): number[] {
  const out: number[] = [];
  if (perHour <= 0) return out;
  const mean = 3_600_000 / perHour;
  for (let t = from + minGap + exp(random, Math.max(1, mean - minGap)); t < until; t += minGap + exp(random, Math.max(1, mean - minGap))) out.push(t);
  return out;
}

function visibleAt(load: Pick<AgentLoad, "visibleAtStart" | "toggles">, t: number): boolean {
  let v = load.visibleAtStart;
  for (const x of load.toggles) {
    if (x > t) break;
    v = !v;
  }
  return v;
}

function shuffle<T>(random: () => number, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

/**
 * Who has which chat open, and every event of the hour, from the seed alone. Every agent has a case chat open,
 * shared with 3–8 agents; the second open chat is the agent's team chat (~24 panels each) or a second case chat.
 * Messages in a shared chat come at `messagesPerHour × openChatShare / OPEN_CHATS_PER_AGENT` an hour, so each agent
 * still receives `openChatShare` of its messages in open chats; all its members see each one.
 */
export function buildTenantLoad(opts: TenantLoadOptions): TenantLoad {
  const duration = opts.durationMs ?? 3_600_000;
  const msgsPerHour = opts.messagesPerHour ?? 20;
  const openShare = opts.openChatShare ?? 1 / 3;
  const visibleShare = opts.visibleShare ?? 0.7;
  const stretch = opts.visibleStretchMs ?? 20 * 60_000;
  const spread = opts.startSpreadMs ?? POLL_POLICY.intervalMs;
  const seed = opts.seed ?? 42;
  const n = opts.agents;
  const random = prng(seed);

  // Shared chats: slot 0 is a case chat for everyone; slot 1 the team chat for some, a second case chat for the rest.
  const open: string[][] = Array.from({ length: n }, () => []);
  const openBy = new Map<string, number[]>();
  const join = (chat: string, a: number) => {
    open[a].push(chat);
    const m = openBy.get(chat);
    if (m) m.push(a);
    else openBy.set(chat, [a]);
  };
  const second = Array.from({ length: n }, () => random() < TEAM_CHAT_OPEN_SHARE);
  let cases = 0;
  const caseChats = (agents: number[]) => {
    shuffle(random, agents);
    const [lo, hi] = CASE_CHAT_AGENTS;
    for (let i = 0; i < agents.length; ) {
      let k = lo + Math.floor(random() * (hi - lo + 1));
      // Never leave a remainder smaller than a case team: the last chat takes it.
      if (agents.length - (i + k) < lo) k = agents.length - i;
      const id = `case-${++cases}`;
      for (const a of agents.slice(i, i + k)) join(id, a);
      i += k;
    }
  };
  caseChats(Array.from({ length: n }, (_, a) => a));
  for (let a = 0; a < n; a++) if (second[a]) join(`team-${Math.floor(a / TEAM_SIZE) + 1}`, a);
  caseChats(Array.from({ length: n }, (_, a) => a).filter((a) => !second[a]));

  const sharedRate = (msgsPerHour * openShare) / OPEN_CHATS_PER_AGENT;
  const sharedMessages: TimedChat[] = [];
  for (const chat of [...openBy.keys()].sort()) for (const at of poisson(random, sharedRate, 0, duration)) sharedMessages.push({ at, chat });
  sharedMessages.sort((x, y) => x.at - y.at || (x.chat < y.chat ? -1 : 1));

  const agents: AgentLoad[] = [];
  const otherMessages: TimedChat[] = [];
  for (let a = 0; a < n; a++) {
    // Each agent's own stream: an agent's hour does not change when others join.
    const r = prng(seed * 104_729 + a * 31 + 17);
    const startAt = r() * spread;
    const visibleAtStart = r() < visibleShare;
    const toggles: number[] = [];
    let v = visibleAtStart;
    for (let t = exp(r, v ? stretch : (stretch * (1 - visibleShare)) / visibleShare); t < duration; ) {
      toggles.push(t);
      v = !v;
      t += exp(r, v ? stretch : (stretch * (1 - visibleShare)) / visibleShare);
    }
    const vis = { visibleAtStart, toggles };
    const other = (i: number) => `other-${a}-${i}`;
    const pick = (): string => {
      const x = r();
      // The case chat most, the second open chat less, now and then one of the agent's other chats.
      return x < 0.5 ? open[a][0] : x < 0.75 ? open[a][1] : other(Math.floor(r() * OTHER_CHATS_PER_AGENT));
    };
    const whileVisible = (ts: number[]) => ts.filter((t) => visibleAt(vis, t));
    const opens = whileVisible(poisson(r, CHAT_OPENS_PER_AGENT_HOUR, startAt, duration, HUMAN_MIN_GAP_MS)).map((at) => ({ at, chat: pick() }));
    const sends = whileVisible(poisson(r, SENDS_PER_AGENT_HOUR, startAt, duration, HUMAN_MIN_GAP_MS)).map((at) => ({ at, chat: pick() }));
    const typing = whileVisible(poisson(r, TYPING_PER_AGENT_HOUR, startAt, duration));
    const reconnects = poisson(r, RECONNECTS_PER_AGENT_HOUR, startAt, duration);
    for (const at of poisson(r, msgsPerHour * (1 - openShare), 0, duration)) otherMessages.push({ at, chat: other(Math.floor(r() * OTHER_CHATS_PER_AGENT)) });
    agents.push({ startAt, visibleAtStart, toggles, openChats: open[a], opens, sends, typing, reconnects });
  }
  otherMessages.sort((x, y) => x.at - y.at || (x.chat < y.chat ? -1 : 1));
  return { durationMs: duration, agents, openBy, sharedMessages, otherMessages };
}

// ---- Counting against the limits --------------------------------------------------------------------------------

export type TeamsRequest = "list" | "messageGet" | "messagePost" | "members";

/** A running count for one key: requests in the current second. Time only moves forward. */
interface Window {
  sec: number;
  n: number;
}

function bump(map: Map<string, Window>, key: string, sec: number): number {
  const w = map.get(key);
  if (!w || w.sec !== sec) {
    map.set(key, { sec, n: 1 });
    return 1;
  }
  return ++w.n;
}

/**
 * Counts the Teams-metered requests of one run per second: tenant-wide per kind, per chat, per user. Requests must
 * come in time order. `count` returns whether the request is past a limit (Teams would answer it 429).
 */
export class TeamsMeter {
  readonly perSecond: Record<TeamsRequest, Uint32Array>;
  readonly totals: Record<TeamsRequest, number> = { list: 0, messageGet: 0, messagePost: 0, members: 0 };
  chatPeak = 0;
  /** Chat-seconds with more than PER_CHAT_LIMIT requests. */
  chatSecondsOver = 0;
  /** Requests on a chat beyond PER_CHAT_LIMIT in their second (the ones Teams would refuse). */
  chatRequestsOver = 0;
  chatRequests = 0;
  userListPeak = 0;
  userChatPostPeak = 0;
  private readonly chats = new Map<string, Window>();
  private readonly userLists = new Map<string, Window>();
  private readonly userPosts = new Map<string, Window>();

  constructor(readonly seconds: number) {
    this.perSecond = { list: new Uint32Array(seconds + 1), messageGet: new Uint32Array(seconds + 1), messagePost: new Uint32Array(seconds + 1), members: new Uint32Array(seconds + 1) };
  }

  count(kind: TeamsRequest, at: number, agent?: number, chat?: string): boolean {
    const sec = Math.min(this.seconds, Math.floor(at / 1000));
    this.totals[kind]++;
    const tenant = ++this.perSecond[kind][sec];
    let over =
      kind === "messageGet" ? tenant > MESSAGE_GET_LIMIT : kind === "messagePost" ? tenant > MESSAGE_POST_LIMIT : this.perSecond.list[sec] + this.perSecond.members[sec] > OTHER_GET_LIMIT;
    if (chat !== undefined) {
      this.chatRequests++;
      const n = bump(this.chats, chat, sec);
      this.chatPeak = Math.max(this.chatPeak, n);
      if (n === PER_CHAT_LIMIT + 1) this.chatSecondsOver++;
      if (n > PER_CHAT_LIMIT) {
        this.chatRequestsOver++;
        over = true;
      }
    }
    if (agent !== undefined && kind === "list") {
      const n = bump(this.userLists, String(agent), sec);
      this.userListPeak = Math.max(this.userListPeak, n);
      if (n > PER_USER_LIST_LIMIT) over = true;
    }
    if (agent !== undefined && chat !== undefined && kind === "messagePost") {
      const n = bump(this.userPosts, `${agent}\u0000${chat}`, sec);
      this.userChatPostPeak = Math.max(this.userChatPostPeak, n);
      if (n > PER_USER_CHAT_POST_LIMIT) over = true;
    }
    return over;
  }

  peak(kind: TeamsRequest | "otherGet"): number {
    if (kind !== "otherGet") return Math.max(0, ...this.perSecond[kind]);
    let m = 0;
    for (let s = 0; s <= this.seconds; s++) m = Math.max(m, this.perSecond.list[s] + this.perSecond.members[s]);
    return m;
  }

  mean(kind: TeamsRequest): number {
    return this.totals[kind] / this.seconds;
  }
}

/** The figures every limit is judged on, for either design. */
export interface LimitFigures {
  /** Other Teams GETs per second (chat list, and chat members in the relay's tenant mode), peak. */
  otherGetPeak: number;
  messageGetPeak: number;
  messagePostPeak: number;
  /** Requests in one second on the busiest single chat. */
  chatPeak: number;
  chatSecondsOver: number;
  chatRequestsOver: number;
  chatRequests: number;
  userListPeak: number;
  userChatPostPeak: number;
}

export function limitFigures(m: TeamsMeter): LimitFigures {
  return {
    otherGetPeak: m.peak("otherGet"),
    messageGetPeak: m.peak("messageGet"),
    messagePostPeak: m.peak("messagePost"),
    chatPeak: m.chatPeak,
    chatSecondsOver: m.chatSecondsOver,
    chatRequestsOver: m.chatRequestsOver,
    chatRequests: m.chatRequests,
    userListPeak: m.userListPeak,
    userChatPostPeak: m.userChatPostPeak,
  };
}

// ---- The poller (former design), simulated ----------------------------------------------------------------------

export interface TenantOptions extends TenantLoadOptions {
  /** A prepared load (a hand-made case); otherwise built from the options and seed. */
  load?: TenantLoad;
  policy?: PollPolicy;
  /**
   * Answer like Teams past its limits: a request beyond 20 message GETs (or 30 list GETs) in the current second
   * tenant-wide, beyond 1 request on its chat, or beyond 5 list requests of its user, fails with 429 and this
   * Retry-After, in seconds. Off by default (the tables then show the demand).
   */
  throttleRetryAfterSeconds?: number;
}

export interface TenantResult extends LimitFigures {
  agents: number;
  listPerSecondMean: number;
  listPerSecondPeak: number;
  messagePerSecondMean: number;
  messagePerSecondPeak: number;
  /** Delay from a message's arrival in an open chat of a panel in use (visible, touched within the idle threshold) to the poll that shows it, ms. */
  delayP50: number;
  delayP95: number;
  delayedMessages: number;
  /** Poll requests per hour of visible panel. */
  requestsPerVisibleAgentHour: number;
  /** Every request (polls, chat opens, sends) per agent-hour, the panel open all along. */
  requestsPerAgentHour: number;
  hiddenRequests: number;
  /** Requests that reached Teams, counted on the tenant side (429s included): polls of the list… */
  listRequests: number;
  /** …message reads (polls and chat opens)… */
  messageRequests: number;
  /** …of which on chat opens… */
  openReads: number;
  /** …and message POSTs (sends). */
  postRequests: number;
  /** The same, summed from every agent's poller stats. */
  pollerListRequests: number;
  pollerChatRequests: number;
  /** Requests answered 429 (only with throttleRetryAfterSeconds). */
  throttledRequests: number;
  /** Messages counted for the delay that no poll had shown by the end of the run. */
  unshownMessages: number;
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
  /** Schedule at an absolute time (the prepared load's events). */
  at(t: number, fn: () => void) {
    this.setTimeout(fn, t - this.t);
  }
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
  const load = opts.load ?? buildTenantLoad(opts);
  const duration = load.durationMs;
  const policy = opts.policy ?? POLL_POLICY;
  const seed = opts.seed ?? 42;
  const clock = new SimClock();
  const seconds = Math.ceil(duration / 1000);
  const meter = new TeamsMeter(seconds);
  const delays: number[] = [];
  let hiddenRequests = 0;
  let throttledRequests = 0;
  let openReads = 0;
  const throttled = (over: boolean): boolean => {
    if (opts.throttleRetryAfterSeconds === undefined || !over) return false;
    throttledRequests++;
    return true;
  };
  const refuse = () => new ServiceError("throttled", "Teams limit", 429, undefined, opts.throttleRetryAfterSeconds);
  let visibleMs = 0;
  const pollers: Poller[] = [];
  const n = load.agents.length;
  const moved: Array<Set<string>> = [];
  const unseenByAgent: Array<Map<string, number[]>> = [];
  const lastInteraction: number[] = [];
  const visibility: Visibility[] = [];

  for (let a = 0; a < n; a++) {
    const al = load.agents[a];
    const vis = new Visibility();
    vis.visible = al.visibleAtStart;
    visibility.push(vis);
    const openChats = al.openChats;
    const movedSinceList = new Set<string>();
    moved.push(movedSinceList);
    const unseen = new Map<string, number[]>(openChats.map((c) => [c, []]));
    unseenByAgent.push(unseen);
    lastInteraction.push(0);
    let visibleSince = vis.visible ? 0 : -1;
    const poller = createPoller(
      {
        clock,
        visibility: vis,
        random: prng(seed * 7919 + a),
        pollList: async () => {
          if (!vis.visible) hiddenRequests++;
          if (throttled(meter.count("list", clock.t, a))) throw refuse();
          const changed = [...movedSinceList];
          movedSinceList.clear();
          return { changedChatIds: changed };
        },
        pollChat: async (id) => {
          if (!vis.visible) hiddenRequests++;
          if (throttled(meter.count("messageGet", clock.t, a, id))) throw refuse();
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
    clock.at(al.startAt, () => poller.start());
    for (const t of al.toggles)
      clock.at(t, () => {
        if (vis.visible) visibleMs += clock.t - visibleSince;
        vis.set(!vis.visible);
        if (vis.visible) {
          visibleSince = clock.t;
          lastInteraction[a] = clock.t;
          poller.nudge("focus");
        }
      });
    // The agent's actions cost the same requests in both designs; here they also wake an idle poller.
    for (const o of al.opens)
      clock.at(o.at, () => {
        lastInteraction[a] = clock.t;
        openReads++;
        throttled(meter.count("messageGet", clock.t, a, o.chat));
        poller.nudge("opened");
      });
    for (const s of al.sends)
      clock.at(s.at, () => {
        lastInteraction[a] = clock.t;
        throttled(meter.count("messagePost", clock.t, a, s.chat));
        poller.nudge("sent");
      });
    for (const t of al.typing)
      clock.at(t, () => {
        lastInteraction[a] = clock.t;
        poller.nudge("typing");
      });
    // Keep the visible-time account right for agents visible at the end.
    clock.at(duration, () => {
      if (vis.visible) visibleMs += clock.t - visibleSince;
      vis.visible = false;
    });
  }
  // A colleague's message in a shared chat moves it in every member's list. Only messages arriving while the panel is
  // in use (visible, touched within the idle threshold) count for the delay; a hidden panel shows them on return.
  // Messages in the agents' other chats move nothing the poller reads (it reads open chats only): left out here.
  for (const m of load.sharedMessages)
    clock.at(m.at, () => {
      for (const a of load.openBy.get(m.chat) ?? []) {
        moved[a].add(m.chat);
        unseenByAgent[a].get(m.chat)?.push(visibility[a].visible && clock.t - lastInteraction[a] < policy.idleAfterMs ? clock.t : -1);
      }
    });

  await clock.run(duration);
  for (const p of pollers) p.dispose();

  const polls = pollers.reduce((k, p) => k + p.stats().listRequests + p.stats().chatRequests, 0);
  const all = meter.totals.list + meter.totals.messageGet + meter.totals.messagePost;
  return {
    agents: n,
    ...limitFigures(meter),
    listPerSecondMean: meter.mean("list"),
    listPerSecondPeak: meter.peak("list"),
    messagePerSecondMean: meter.mean("messageGet"),
    messagePerSecondPeak: meter.peak("messageGet"),
    delayP50: percentile(delays, 50),
    delayP95: percentile(delays, 95),
    delayedMessages: delays.length,
    requestsPerVisibleAgentHour: visibleMs > 0 ? polls / (visibleMs / 3_600_000) : 0,
    requestsPerAgentHour: n > 0 ? all / n / (duration / 3_600_000) : 0,
    hiddenRequests,
    listRequests: meter.totals.list,
    messageRequests: meter.totals.messageGet,
    openReads,
    postRequests: meter.totals.messagePost,
    pollerListRequests: pollers.reduce((k, p) => k + p.stats().listRequests, 0),
    pollerChatRequests: pollers.reduce((k, p) => k + p.stats().chatRequests, 0),
    throttledRequests,
    unshownMessages: unseenByAgent.reduce((k, m) => k + [...m.values()].reduce((j, at) => j + at.filter((x) => x >= 0).length, 0), 0),
  };
}

// ---- The relay (current design), a pure model -------------------------------------------------------------------

/** perUser: one delegated subscription per agent (/users/{id}/chats/getAllMessages); tenant: /chats/getAllMessages. */
export type RelayMode = "perUser" | "tenant";

export interface RelayBreakdown {
  /** Panel: one message read per chat opened. */
  chatOpens: number;
  /** Panel: one POST per message sent (the sent message comes back live; no read). */
  sends: number;
  /** Panel after a WebSocket reconnect: the chat list… */
  reconnectLists: number;
  /** …and each open chat. */
  reconnectReads: number;
  /** Per-user mode: a token request (on-behalf-of, to Entra) when the panel opens. */
  tokens: number;
  /** Per-user mode: POST /subscriptions when the panel opens. */
  subscriptionCreates: number;
  /** PATCH /subscriptions/{id} every 45 minutes: per open panel (per-user mode) or per tenant subscription. */
  renewals: number;
  /** Tenant mode: GET /chats/{id}/members, once per active chat per cache lifetime. */
  membershipReads: number;
}

export interface RelayResult extends LimitFigures {
  agents: number;
  mode: RelayMode;
  /** Requests the panel makes on a timer: none. */
  timerRequests: 0;
  /** Every request (Graph, and Entra tokens in per-user mode). */
  requests: number;
  requestsPerAgentHour: number;
  breakdown: RelayBreakdown;
  listPerSecondPeak: number;
  messagePerSecondPeak: number;
}

/**
 * What the relay design costs for a load: the panel reads Graph only when the agent acts (opening a chat: one read;
 * sending: one POST; back on the page: nothing, it is live) and after a reconnect (the list and the open chats); the
 * relay adds its subscriptions, and in tenant mode the membership reads that route each chat's notifications.
 * Pure: the same load gives the same figures.
 */
export function relayModel(load: TenantLoad, mode: RelayMode): RelayResult {
  const duration = load.durationMs;
  const meter = new TeamsMeter(Math.ceil(duration / 1000));
  const b: RelayBreakdown = { chatOpens: 0, sends: 0, reconnectLists: 0, reconnectReads: 0, tokens: 0, subscriptionCreates: 0, renewals: 0, membershipReads: 0 };
  const events: Array<{ at: number; kind: TeamsRequest; agent?: number; chat?: string }> = [];
  const renewalsWhileOpen = (from: number) => {
    let k = 0;
    for (let t = from + SUBSCRIPTION_RENEW_MS; t < duration; t += SUBSCRIPTION_RENEW_MS) k++;
    return k;
  };
  load.agents.forEach((al, a) => {
    if (mode === "perUser") {
      b.tokens++;
      b.subscriptionCreates++;
      b.renewals += renewalsWhileOpen(al.startAt);
    }
    for (const o of al.opens) {
      b.chatOpens++;
      events.push({ at: o.at, kind: "messageGet", agent: a, chat: o.chat });
    }
    for (const s of al.sends) {
      b.sends++;
      events.push({ at: s.at, kind: "messagePost", agent: a, chat: s.chat });
    }
    for (const t of al.reconnects) {
      b.reconnectLists++;
      events.push({ at: t, kind: "list", agent: a });
      for (const chat of al.openChats) {
        b.reconnectReads++;
        events.push({ at: t, kind: "messageGet", agent: a, chat });
      }
    }
  });
  if (mode === "tenant") {
    // The tenant's subscriptions exist before the hour; each is renewed every 45 minutes, the first within the hour.
    for (let t = SUBSCRIPTION_RENEW_MS; t < duration; t += SUBSCRIPTION_RENEW_MS) b.renewals += TENANT_SUBSCRIPTIONS;
    // A chat's members are read on its first notification while one of its agents' panels is open, then again once
    // the cache entry has expired.
    const opensAt = new Map<string, number>();
    for (const [chat, members] of load.openBy) opensAt.set(chat, Math.min(...members.map((a) => load.agents[a].startAt)));
    const ownerOpensAt = (chat: string) => {
      const m = /^other-(\d+)-/.exec(chat);
      return opensAt.get(chat) ?? (m ? load.agents[Number(m[1])]?.startAt : undefined) ?? Infinity;
    };
    const expires = new Map<string, number>();
    const messages = [...load.sharedMessages, ...load.otherMessages].sort((x, y) => x.at - y.at || (x.chat < y.chat ? -1 : 1));
    for (const m of messages) {
      if (m.at < ownerOpensAt(m.chat) || (expires.get(m.chat) ?? -Infinity) > m.at) continue;
      expires.set(m.chat, m.at + MEMBERSHIP_CACHE_MS);
      b.membershipReads++;
      events.push({ at: m.at, kind: "members", chat: m.chat });
    }
  }
  // Stable by time: equal times keep the order above.
  events.map((e, i) => ({ e, i })).sort((x, y) => x.e.at - y.e.at || x.i - y.i).forEach(({ e }) => meter.count(e.kind, e.at, e.agent, e.chat));
  const requests = Object.values(b).reduce((k, x) => k + x, 0);
  const n = load.agents.length;
  return {
    agents: n,
    mode,
    timerRequests: 0,
    requests,
    requestsPerAgentHour: n > 0 ? requests / n / (duration / 3_600_000) : 0,
    breakdown: b,
    ...limitFigures(meter),
    listPerSecondPeak: meter.peak("list"),
    messagePerSecondPeak: meter.peak("messageGet"),
  };
}

/** Every limit at once: tenant-wide per kind, per chat, per user. */
export function withinAllLimits(r: LimitFigures): boolean {
  return (
    r.otherGetPeak <= OTHER_GET_LIMIT &&
    r.messageGetPeak <= MESSAGE_GET_LIMIT &&
    r.messagePostPeak <= MESSAGE_POST_LIMIT &&
    r.chatPeak <= PER_CHAT_LIMIT &&
    r.userListPeak <= PER_USER_LIST_LIMIT &&
    r.userChatPostPeak <= PER_USER_CHAT_POST_LIMIT
  );
}

/**
 * Two agents acting on the same chat in the same second is chance, not design: Teams refuses the second request and
 * the panel retries it after Retry-After (a second). A design is counted within the per-chat limit "tolerating
 * coincidences" while such refused requests stay under this share of its requests on chats; strictly, not one.
 */
export const PER_CHAT_TOLERATED_SHARE = 0.01;

export function withinLimitsTolerant(r: LimitFigures): boolean {
  return withinAllLimits({ ...r, chatPeak: PER_CHAT_LIMIT }) && r.chatRequestsOver <= PER_CHAT_TOLERATED_SHARE * r.chatRequests;
}

// ---- The report -------------------------------------------------------------------------------------------------

export interface Largest {
  /** Not one second over any limit. */
  strict: number;
  /** Tenant-wide and per-user limits, per-chat coincidences under PER_CHAT_TOLERATED_SHARE. */
  tolerant: number;
}

export interface Comparison {
  agents: number;
  poller: TenantResult;
  perUser: RelayResult;
  tenant: RelayResult;
}

export interface TenantReport {
  seed: number;
  rows: TenantResult[];
  /** Largest N (of those tried) with peak message GETs under 20/s and p95 delay within 10 s. */
  largestForMessages: number;
  /** Largest N (of those tried) with peak chat-list GETs under 30/s. */
  largestForList: number;
  /** Past the limits: the same agents when Teams answers the excess with 429 and Retry-After. */
  throttledRows: TenantResult[];
  /** Poller and relay on the same loads (the N series). */
  comparison: Comparison[];
  largest: { poller: Largest; perUser: Largest; tenant: Largest };
}

/** Retry-After assumed for the throttled runs (Teams gives no fixed figure; a few seconds is what it typically sends). */
export const THROTTLE_RETRY_AFTER_SECONDS = 5;

/**
 * The largest N that passes, from the N already tried: the largest passing N, then bisection towards the first
 * failing N above it (doubling first when none fails, up to maxN). Coarse steps at large N. Assumes a rough monotony.
 */
async function largestN(pass: (n: number) => Promise<boolean>, tried: Array<[number, boolean]>, maxN: number): Promise<number> {
  const known = new Map(tried);
  const test = async (n: number) => {
    if (!known.has(n)) known.set(n, await pass(n));
    return known.get(n)!;
  };
  let lo = Math.max(0, ...[...known].filter(([, ok]) => ok).map(([k]) => k));
  let hi = Math.min(...[...known].filter(([k, ok]) => !ok && k > lo).map(([k]) => k));
  while (!Number.isFinite(hi) && lo < maxN) {
    const next = Math.min(maxN, Math.max(1, lo * 2));
    if (await test(next)) lo = next;
    else hi = next;
    if (lo === maxN) return lo;
  }
  const step = (h: number) => (h > 400 ? 50 : h > 40 ? 5 : 1);
  for (let i = 0; i < 10 && hi - lo > step(hi); i++) {
    const s = step(hi);
    let mid = Math.round((lo + hi) / 2 / s) * s;
    if (mid <= lo || mid >= hi) mid = Math.floor((lo + hi) / 2);
    if (await test(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

export async function tenantReport(series: number[] = [50, 100, 200, 400, 800, 1600, 3200], seed = 42, throttledSeries: number[] = [200, 400, 800, 1600]): Promise<TenantReport> {
  const rows: TenantResult[] = [];
  const comparison: Comparison[] = [];
  for (const agents of series) {
    const load = buildTenantLoad({ agents, seed });
    const poller = await runTenantSimulation({ agents, seed, load });
    rows.push(poller);
    comparison.push({ agents, poller, perUser: relayModel(load, "perUser"), tenant: relayModel(load, "tenant") });
  }
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
  const okMsg = rows.filter(passes);
  const okList = rows.filter((r) => r.listPerSecondPeak < OTHER_GET_LIMIT);
  const throttledRows: TenantResult[] = [];
  for (const agents of throttledSeries) throttledRows.push(await runTenantSimulation({ agents, seed, throttleRetryAfterSeconds: THROTTLE_RETRY_AFTER_SECONDS }));

  const maxN = 4 * Math.max(...series);
  const largestPoller = async (ok: (r: LimitFigures) => boolean) =>
    largestN(async (agents) => ok(await runTenantSimulation({ agents, seed })), rows.map((r) => [r.agents, ok(r)]), Math.max(...series));
  const largestRelay = async (mode: RelayMode, ok: (r: LimitFigures) => boolean) =>
    largestN(async (agents) => ok(relayModel(buildTenantLoad({ agents, seed }), mode)), comparison.map((c) => [c.agents, ok(c[mode])]), maxN);
  const largest = {
    poller: { strict: await largestPoller(withinAllLimits), tolerant: await largestPoller(withinLimitsTolerant) },
    perUser: { strict: await largestRelay("perUser", withinAllLimits), tolerant: await largestRelay("perUser", withinLimitsTolerant) },
    tenant: { strict: await largestRelay("tenant", withinAllLimits), tolerant: await largestRelay("tenant", withinLimitsTolerant) },
  };
  return {
    seed,
    rows,
    throttledRows,
    largestForMessages: okMsg.length ? Math.max(...okMsg.map((r) => r.agents)) : 0,
    largestForList: okList.length ? Math.max(...okList.map((r) => r.agents)) : 0,
    comparison,
    largest,
  };
}

const pad = (s: string | number, w: number) => String(s).padStart(w);
const pct = (x: number, of: number) => `${((100 * x) / Math.max(1, of)).toFixed(1)}%`;
const pair = (a: number, b: number) => `${a} | ${b}`;

export function formatTenantReport(report: TenantReport): string {
  const head = "  agents  list/s mean  list/s peak  msg/s mean  msg/s peak  delay p50  delay p95  req/visible agent-h";
  const lines = report.rows.map(
    (r) =>
      `  ${pad(r.agents, 6)}  ${pad(r.listPerSecondMean.toFixed(1), 11)}  ${pad(r.listPerSecondPeak, 11)}  ${pad(r.messagePerSecondMean.toFixed(2), 10)}  ${pad(r.messagePerSecondPeak, 10)}  ${pad((r.delayP50 / 1000).toFixed(1), 8)}s  ${pad((r.delayP95 / 1000).toFixed(1), 8)}s  ${pad(r.requestsPerVisibleAgentHour.toFixed(0), 20)}`,
  );
  const chatLines = report.rows.map(
    (r) =>
      `  ${pad(r.agents, 6)}  ${pad(r.chatPeak, 12)}  ${pad(r.chatSecondsOver, 13)}  ${pad(pct(r.chatRequestsOver, r.chatRequests), 16)}  ${pad(r.userListPeak, 15)}  ${pad(r.userChatPostPeak, 20)}`,
  );
  const c = report.comparison;
  const L = report.largest;
  return [
    `Tenant simulation (one hour, seed ${report.seed}): the former poller and policy, 70 % visible, 20 messages/agent-hour, a third in open chats;`,
    `each agent has ${OPEN_CHATS_PER_AGENT} chats open: a case chat shared by ${CASE_CHAT_AGENTS[0]}–${CASE_CHAT_AGENTS[1]} agents, and its team chat (~${Math.round(TEAM_SIZE * TEAM_CHAT_OPEN_SHARE)} panels, ${TEAM_CHAT_OPEN_SHARE * 100} % of agents) or a second case chat;`,
    `${CHAT_OPENS_PER_AGENT_HOUR} chat opens (1 read each) and ${SENDS_PER_AGENT_HOUR} sends (1 POST) per agent-hour while visible, counted in both designs`,
    head,
    ...lines,
    `  largest N with message GETs < ${MESSAGE_GET_LIMIT}/s and p95 delay <= ${DELAY_TARGET_MS / 1000} s: ${report.largestForMessages}`,
    `  largest N with chat-list GETs < ${OTHER_GET_LIMIT}/s: ${report.largestForList}`,
    `The poller per chat (Teams: ${PER_CHAT_LIMIT} request/s per app on any one chat) and per user (${PER_USER_LIST_LIMIT} list/get chat per second, ${PER_USER_CHAT_POST_LIMIT} POST per second in one chat)`,
    "  agents  busiest chat  chat-seconds  chat requests    user list/s  user POST/s in a chat",
    "          requests/s    over 1/s      over 1/s         peak         peak",
    ...chatLines,
    ...(report.throttledRows.length
      ? [
          `Past the limits: Teams answers the excess (tenant, per chat, per user) with 429, Retry-After ${THROTTLE_RETRY_AFTER_SECONDS} s (the poller backs off and keeps unread chats due)`,
          "  agents  list/s peak  msg/s peak  429 share  delay p50  delay p95  not shown by the end",
          ...report.throttledRows.map(
            (r) =>
              `  ${pad(r.agents, 6)}  ${pad(r.listPerSecondPeak, 11)}  ${pad(r.messagePerSecondPeak, 10)}  ${pad(pct(r.throttledRequests, r.listRequests + r.messageRequests + r.postRequests), 9)}  ${pad((r.delayP50 / 1000).toFixed(1), 8)}s  ${pad((r.delayP95 / 1000).toFixed(1), 8)}s  ${pad(r.unshownMessages, 20)}`,
          ),
        ]
      : []),
    `Poller vs relay, same load: Graph requests per agent-hour, and peaks per second (poller | relay; the relay's in tenant mode,`,
    `whose membership reads add to the list in "other GET"; the relay panel makes 0 timer-driven requests)`,
    "  agents  req/agent-h  relay per user  relay tenant  other GET/s  msg GET/s  busiest chat  chat-seconds  user list/s",
    "          poller       req/agent-h     req/agent-h   peak         peak       req/s peak    over 1/s      peak",
    ...c.map(
      (x) =>
        `  ${pad(x.agents, 6)}  ${pad(x.poller.requestsPerAgentHour.toFixed(0), 11)}  ${pad(x.perUser.requestsPerAgentHour.toFixed(1), 14)}  ${pad(x.tenant.requestsPerAgentHour.toFixed(1), 12)}  ${pad(pair(x.poller.otherGetPeak, x.tenant.otherGetPeak), 11)}  ${pad(pair(x.poller.messageGetPeak, x.tenant.messageGetPeak), 9)}  ${pad(pair(x.poller.chatPeak, x.tenant.chatPeak), 12)}  ${pad(pair(x.poller.chatSecondsOver, x.tenant.chatSecondsOver), 12)}  ${pad(pair(x.poller.userListPeak, x.tenant.userListPeak), 11)}`,
    ),
    `  chat requests refused past 1/s: ${c.map((x) => `${x.agents}: ${pct(x.poller.chatRequestsOver, x.poller.chatRequests)} | ${pct(x.tenant.chatRequestsOver, x.tenant.chatRequests)}`).join(", ")}`,
    `  relay per agent-hour at ${c[c.length - 1]?.agents} agents, per user: ${breakdownLine(c[c.length - 1]?.perUser)}; tenant: ${breakdownLine(c[c.length - 1]?.tenant)}`,
    `  largest N within every limit (${OTHER_GET_LIMIT} other GET/s, ${MESSAGE_GET_LIMIT} message GET/s, ${MESSAGE_POST_LIMIT} POST/s, ${PER_CHAT_LIMIT}/s per chat, ${PER_USER_LIST_LIMIT} list/s and ${PER_USER_CHAT_POST_LIMIT} POST/s in a chat per user):`,
    `    strictly, not one second over:                      poller ${L.poller.strict}, relay per user ${L.perUser.strict}, relay tenant ${L.tenant.strict}`,
    `    per-chat coincidences < ${PER_CHAT_TOLERATED_SHARE * 100} % of chat requests (retried): poller ${L.poller.tolerant}, relay per user ${L.perUser.tolerant}, relay tenant ${L.tenant.tolerant}`,
    `  assumptions: ${RECONNECTS_PER_AGENT_HOUR} reconnects/agent-hour (1 list + the open chats each); subscription renewal every ${SUBSCRIPTION_RENEW_MS / 60_000} min; membership cache ${MEMBERSHIP_CACHE_MS / 60_000} min,`,
    `  read for the agents' chats only (the relay code also reads for other chats of the tenant, with a 10-minute TTL); token + subscription per panel opening in the hour`,
  ].join("\n");
}

function breakdownLine(r: RelayResult | undefined): string {
  if (!r) return "";
  const per = (k: number) => {
    const x = k / Math.max(1, r.agents);
    return x > 0 && x < 0.01 ? x.toPrecision(2) : x.toFixed(2);
  };
  const b = r.breakdown;
  const parts: Array<[string, number]> = [
    ["opens", b.chatOpens],
    ["sends", b.sends],
    ["reconnect list", b.reconnectLists],
    ["reconnect reads", b.reconnectReads],
    ["tokens", b.tokens],
    ["subscriptions", b.subscriptionCreates],
    ["renewals", b.renewals],
    ["members", b.membershipReads],
  ];
  return parts
    .filter(([, k]) => k > 0)
    .map(([name, k]) => `${name} ${per(k)}`)
    .join(", ");
}

if (process.argv[1] && /tenant\.ts$/.test(process.argv[1])) {
  tenantReport()
    .then((r) => console.log(formatTenantReport(r)))
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
