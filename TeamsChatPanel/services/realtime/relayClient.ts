/**
 * Live updates from the relay (relay/PROTOCOL.md §1): POST {relay}/api/negotiate with a token for the relay's API,
 * then one WebSocket whose frames are JSON. Reconnects with capped exponential backoff and jitter (at once when the
 * browser is back online or the page is shown again), negotiates again before the client token expires and when the
 * relay asks, and says "resync" after every reconnect, since notifications sent meanwhile are lost.
 * Nothing here reads Microsoft Graph, and nothing here throws into the store.
 */
import { toMessage, toMessagePreview } from "../graph/mappers";
import type { WireChatMessage } from "../graph/wire";
import { AuthRequiredError } from "../errors";
import type { Clock, VisibilitySource } from "./clock";
import type { LiveChangeType, LiveHandlers, LiveInfo, LiveStatus, LiveUpdates } from "./live";
import type { RelayUrlSetting } from "./relayConfig";

/** The parts of the browser's WebSocket the client uses. */
export interface WebSocketLike {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  close(code?: number, reason?: string): void;
}

export type WebSocketFactory = (url: string) => WebSocketLike;

export interface FetchResponseLike {
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string> }) => Promise<FetchResponseLike>;

export interface OnlineSource {
  subscribe(onOnline: () => void): () => void;
}

export interface RelayClientDeps extends LiveHandlers {
  /** The relay address (read once: environment variable or per-form override). */
  relayUrl(): Promise<RelayUrlSetting>;
  /** A token for api://{clientId}/access_as_user through the panel's sign-in (incremental consent). */
  getToken(forceRefresh: boolean): Promise<string>;
  fetch: FetchLike;
  webSocket?: WebSocketFactory;
  clock: Clock;
  visibility: VisibilitySource;
  online: OnlineSource;
  random: () => number;
}

export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_CAP_MS = 60_000;
/** Negotiate again this long before the client token expires. */
export const RENEW_BEFORE_MS = 60_000;

/** Delay before reconnect attempt `failures` (1, 2, …): doubles from 1 s, ±20 % jitter, never above the cap. */
export function backoffMs(failures: number, random: () => number): number {
  const base = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(Math.min(BACKOFF_CAP_MS, base * (0.8 + 0.4 * random())));
}

const CHANGE_TYPES = new Set<LiveChangeType>(["created", "updated", "deleted"]);

type Frame = { type: "message"; chatId: string; changeType: LiveChangeType; message: WireChatMessage } | { type: "resync"; reason: string } | { type: "renew" };

/** One frame, or undefined for anything the protocol does not define. */
export function parseFrame(data: unknown): Frame | undefined {
  if (typeof data !== "string") return undefined;
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (!v || typeof v !== "object") return undefined;
  const f = v as Record<string, unknown>;
  if (f.type === "renew") return { type: "renew" };
  if (f.type === "resync") return { type: "resync", reason: typeof f.reason === "string" ? f.reason : "unknown" };
  if (f.type !== "message" || typeof f.chatId !== "string" || !f.chatId || !CHANGE_TYPES.has(f.changeType as LiveChangeType)) return undefined;
  const m = f.message as Record<string, unknown> | null | undefined;
  if (!m || typeof m !== "object" || typeof m.id !== "string" || typeof m.createdDateTime !== "string") return undefined;
  return { type: "message", chatId: f.chatId, changeType: f.changeType as LiveChangeType, message: m as unknown as WireChatMessage };
}

function browserWebSocket(url: string): WebSocketLike {
  return new WebSocket(url) as unknown as WebSocketLike;
}

export function createRelayClient(deps: RelayClientDeps): LiveUpdates {
  const { clock } = deps;
  const openSocket = deps.webSocket ?? browserWebSocket;
  let status: LiveStatus = { state: "connecting" };
  let setting: RelayUrlSetting | undefined;
  let started = false;
  let disposed = false;
  let socket: WebSocketLike | undefined;
  /** While renewing: the old socket, still read until the new one is open. */
  let draining: WebSocketLike | undefined;
  let retryTimer: unknown;
  let renewTimer: unknown;
  let failures = 0;
  let everConnected = false;
  let lastFrameAt: number | undefined;
  // Bumped by every new attempt: answers and socket events of a superseded attempt are ignored.
  let attempt = 0;
  let busy = false;
  const unsubscribers: Array<() => void> = [];

  const safely = (fn: () => void) => {
    try {
      fn();
    } catch {
      // A store action failing must not break the connection.
    }
  };

  const setStatus = (next: LiveStatus) => {
    if (disposed) return;
    const same = next.state === status.state && (next.state !== "paused" || (status.state === "paused" && status.reason === next.reason));
    status = next;
    if (!same) safely(() => deps.onStatus(next));
  };

  const clearTimer = (which: "retry" | "renew") => {
    if (which === "retry" && retryTimer !== undefined) clock.clearTimeout(retryTimer);
    if (which === "renew" && renewTimer !== undefined) clock.clearTimeout(renewTimer);
    if (which === "retry") retryTimer = undefined;
    else renewTimer = undefined;
  };

  const closeSocket = (s: WebSocketLike | undefined) => {
    if (!s) return;
    s.onopen = s.onmessage = s.onclose = s.onerror = null;
    try {
      s.close(1000, "closing");
    } catch {
      // already closed
    }
  };

  const scheduleRetry = () => {
    if (disposed || !started) return;
    failures++;
    clearTimer("retry");
    retryTimer = clock.setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, backoffMs(failures, deps.random));
  };

  const fail = (reason: "unreachable" | "unauthorized" | "needsUser") => {
    closeSocket(socket);
    closeSocket(draining);
    socket = draining = undefined;
    clearTimer("renew");
    setStatus({ state: "paused", reason });
    // A refused or missing token does not get better by itself: wait for the agent (Refresh) or the next sign-in.
    if (reason === "unreachable") scheduleRetry();
  };

  const onFrame = (data: unknown) => {
    lastFrameAt = clock.now();
    const frame = parseFrame(data);
    if (!frame) return;
    if (frame.type === "renew") {
      void connect();
      return;
    }
    if (frame.type === "resync") {
      safely(() => deps.onResync(frame.reason));
      return;
    }
    safely(() => {
      const wire = frame.changeType === "deleted" && !frame.message.deletedDateTime ? { ...frame.message, deletedDateTime: frame.message.lastModifiedDateTime ?? frame.message.createdDateTime } : frame.message;
      deps.onMessage(frame.chatId, frame.changeType, toMessage(wire, frame.chatId), toMessagePreview(wire));
    });
  };

  const negotiate = async (base: string, mine: number): Promise<{ url: string; expiresOn?: number } | "unauthorized" | "needsUser" | "unreachable" | undefined> => {
    for (const forceRefresh of [false, true]) {
      let token: string;
      try {
        token = await deps.getToken(forceRefresh);
      } catch (e) {
        // No token without the user (consent to the relay's API missing, or the session ended): nothing was refused.
        return e instanceof AuthRequiredError ? "needsUser" : "unreachable";
      }
      if (mine !== attempt || disposed) return undefined;
      let res: FetchResponseLike;
      try {
        res = await deps.fetch(`${base}/api/negotiate`, { method: "POST", headers: { Authorization: `Bearer ${token}` } });
      } catch {
        return "unreachable";
      }
      if (mine !== attempt || disposed) return undefined;
      if (res.status === 401 || res.status === 403) continue;
      if (!res.ok) return "unreachable";
      const body = (await res.json().catch(() => undefined)) as { url?: unknown; expiresOn?: unknown } | undefined;
      if (!body || typeof body.url !== "string" || !/^wss?:\/\//i.test(body.url)) return "unreachable";
      const expires = typeof body.expiresOn === "string" ? Date.parse(body.expiresOn) : NaN;
      return { url: body.url, expiresOn: Number.isFinite(expires) ? expires : undefined };
    }
    return "unauthorized";
  };

  const connect = async (): Promise<void> => {
    if (disposed || !started) return;
    const mine = ++attempt;
    clearTimer("retry");
    setting ??= await deps.relayUrl().catch((): RelayUrlSetting => ({ kind: "none" }));
    if (mine !== attempt || disposed) return;
    if (setting.kind !== "ok") {
      setStatus({ state: "paused", reason: "notConfigured" });
      return;
    }
    // Renewing while live keeps the old socket until the new one is open: nothing is missed in between.
    const renewing = status.state === "live" && !!socket;
    // Connecting after a pause (even one before the first connection, such as a missing consent): notifications sent meanwhile are lost.
    const afterPause = status.state === "paused";
    if (!renewing) setStatus({ state: "connecting" });
    busy = true;
    const result = await negotiate(setting.url, mine);
    if (mine !== attempt || disposed || result === undefined) return;
    busy = false;
    if (typeof result === "string") {
      fail(result);
      return;
    }
    let ws: WebSocketLike;
    try {
      ws = openSocket(result.url);
    } catch {
      fail("unreachable");
      return;
    }
    if (renewing && socket) {
      // The old socket stays until the new one opens; its frames are still read meanwhile, its end is no failure.
      closeSocket(draining);
      draining = socket;
      draining.onclose = draining.onerror = null;
    } else closeSocket(socket);
    socket = ws;
    ws.onopen = () => {
      if (mine !== attempt || disposed) return;
      closeSocket(draining);
      draining = undefined;
      const wasReconnect = (everConnected || afterPause) && !renewing;
      everConnected = true;
      failures = 0;
      setStatus({ state: "live" });
      clearTimer("retry");
      clearTimer("renew");
      if (result.expiresOn !== undefined) {
        renewTimer = clock.setTimeout(() => {
          renewTimer = undefined;
          void connect();
        }, Math.max(5_000, result.expiresOn - clock.now() - RENEW_BEFORE_MS));
      }
      if (wasReconnect) safely(() => deps.onResync("reconnected"));
    };
    ws.onmessage = (ev) => {
      if (!disposed && (socket === ws || draining === ws)) onFrame(ev.data);
    };
    ws.onclose = ws.onerror = () => {
      // Closed before it opened, or dropped later: either way, try again after a while.
      if (!disposed && socket === ws) fail("unreachable");
    };
  };

  const retryNow = () => {
    if (disposed || !started || busy) return;
    if (status.state === "paused" && status.reason === "unreachable") {
      failures = 0;
      void connect();
    }
  };

  return {
    start() {
      if (started || disposed) return;
      started = true;
      unsubscribers.push(
        deps.visibility.subscribe(() => {
          if (deps.visibility.isVisible()) retryNow();
        }),
        deps.online.subscribe(retryNow),
      );
      void connect();
    },
    reconnect() {
      if (disposed || !started || busy) return;
      if (status.state === "paused" && status.reason !== "notConfigured") {
        failures = 0;
        void connect();
      }
    },
    info(): LiveInfo {
      return {
        status,
        relayUrl: setting?.kind === "ok" ? setting.url : undefined,
        invalidUrl: setting?.kind === "invalid" ? setting.value : undefined,
        lastFrameAt,
      };
    },
    dispose() {
      disposed = true;
      attempt++;
      clearTimer("retry");
      clearTimer("renew");
      closeSocket(socket);
      closeSocket(draining);
      socket = draining = undefined;
      for (const u of unsubscribers.splice(0)) u();
    },
  };
}

/** The browser's online event; nothing where there is no window. */
export function browserOnline(win: Window | undefined = typeof window !== "undefined" ? window : undefined): OnlineSource {
  return {
    subscribe(onOnline) {
      if (!win) return () => undefined;
      win.addEventListener("online", onOnline);
      return () => win.removeEventListener("online", onOnline);
    },
  };
}
