/**
 * A local stand-in for Azure Web PubSub, speaking what the relay uses (relay/PROTOCOL.md §4):
 *
 * - The data-plane REST API exactly as @azure/web-pubsub's WebPubSubServiceClient calls it
 *   (api-version 2024-12-01; Authorization: Bearer <HS256 JWT signed with the access key, aud = the
 *   request URL>, see webPubSubCredentialPolicy.js in the SDK):
 *   POST /api/hubs/{hub}/users/{userId}/:send, POST /api/hubs/{hub}/:send,
 *   POST /api/hubs/{hub}/users/{userId}/:closeConnections, HEAD /api/hubs/{hub}/users/{userId},
 *   HEAD|DELETE /api/hubs/{hub}/connections/{connectionId}.
 * - Simple WebSocket clients (no subprotocol) at /client/hubs/{hub}?access_token=<JWT from
 *   getClientAccessToken: HS256 with the access key, aud = {endpoint}/client/hubs/{hub}, sub = userId, exp>;
 *   each message arrives as one frame (text for JSON/text, binary for octet-stream).
 * - The event handler: CloudEvents in binary mode, azure.webpubsub.sys.connected / disconnected,
 *   signed with ce-signature: sha256=<hex HMAC-SHA256(accessKey, connectionId)>, after the
 *   abuse-protection OPTIONS handshake (WebHook-Request-Origin / WebHook-Allowed-Origin)
 *   (the "CloudEvents extension for Azure Web PubSub event handler" reference page).
 *
 * Test controls: pause() drops every connection and refuses new ones until resume() (an outage);
 * dropAll() just drops them; connections(), sent() and events() show what happened.
 */
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import * as http from "node:http";
import type { Duplex } from "node:stream";
import { jwtVerify } from "jose";
import { WebSocket, WebSocketServer } from "ws";

export const WEBPUBSUB_API_VERSION = "2024-12-01";

export interface WebPubSubOptions {
  port?: number;
  /** The access key (AccessKey= in the connection string); random when absent. */
  accessKey?: string;
  /** The hub the relay uses; other hubs work too. Default "chat". */
  hub?: string;
  /** Where CloudEvents go (the relay's {publicUrl}/api/webpubsub/events); none = no events. */
  eventHandlerUrl?: string;
}

export interface WpsConnection {
  connectionId: string;
  userId: string | null;
  hub: string;
  connectedAt: string;
}

export interface WpsSent {
  time: string;
  hub: string;
  /** null for sendToAll. */
  userId: string | null;
  contentType: string;
  data: string;
  /** How many connections got it. */
  delivered: number;
}

export interface WpsEvent {
  time: string;
  type: "validation" | "connected" | "disconnected";
  connectionId?: string;
  userId?: string | null;
  status: number | null;
  error?: string;
}

export interface WebPubSubSim {
  /** http://127.0.0.1:{port} */
  endpoint: string;
  /** For new WebPubSubServiceClient(connectionString, hub). */
  connectionString: string;
  accessKey: string;
  hub: string;
  close(): Promise<void>;
  connections(): WpsConnection[];
  sent(): WpsSent[];
  events(): WpsEvent[];
  /** Closes every client connection (they may reconnect). */
  dropAll(): void;
  /** An outage: drops every connection and refuses new ones until resume(). */
  pause(): void;
  resume(): void;
  /** Changes where CloudEvents go (re-runs the abuse-protection handshake). */
  setEventHandlerUrl(url: string | undefined): void;
  /** Resolves when queued CloudEvents have been posted. */
  idle(): Promise<void>;
}

interface Live extends WpsConnection {
  ws: WebSocket;
}

function errorBody(code: string, message: string): string {
  // The service's ErrorDetail shape (Mappers.ErrorDetail in the SDK).
  return JSON.stringify({ code, message, target: null, details: null, inner: null });
}

export async function startWebPubSub(opts: WebPubSubOptions = {}): Promise<WebPubSubSim> {
  const accessKey = opts.accessKey ?? randomBytes(32).toString("base64");
  // jsonwebtoken (which the SDK signs with) uses a string secret's UTF-8 bytes.
  const key = new TextEncoder().encode(accessKey);
  const hubName = opts.hub ?? "chat";
  let eventHandlerUrl = opts.eventHandlerUrl;
  let handlerValidated: Promise<boolean> | null = null;
  let paused = false;
  const live = new Map<string, Live>();
  const sent: WpsSent[] = [];
  const events: WpsEvent[] = [];
  let eventQueue: Promise<void> = Promise.resolve();
  let pendingEvents = 0;
  let idleWaiters: (() => void)[] = [];
  const wss = new WebSocketServer({ noServer: true, handleProtocols: () => false });

  const sign = (connectionId: string) => `sha256=${createHmac("sha256", key).update(connectionId).digest("hex")}`;

  function postEvent(method: "OPTIONS" | "POST", url: string, headers: Record<string, string>, body: string): Promise<{ status: number | null; headers: http.IncomingHttpHeaders; error?: string }> {
    return new Promise((resolve) => {
      const req = http.request(url, { method, headers: { ...headers, "Content-Length": Buffer.byteLength(body) }, timeout: 5000 }, (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? null, headers: res.headers }));
      });
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", (e) => resolve({ status: null, headers: {}, error: e.message }));
      req.end(body);
    });
  }

  function validateHandler(url: string): Promise<boolean> {
    if (!handlerValidated) {
      handlerValidated = (async () => {
        const origin = new URL(endpoint).host;
        const r = await postEvent("OPTIONS", url, { "WebHook-Request-Origin": origin }, "");
        const allowed = String(r.headers["webhook-allowed-origin"] ?? "");
        const ok = r.status === 200 && allowed.split(",").map((s) => s.trim()).some((s) => s === "*" || s === origin);
        events.push({ time: new Date().toISOString(), type: "validation", status: r.status, ...(ok ? {} : { error: r.error ?? `WebHook-Allowed-Origin '${allowed}'` }) });
        return ok;
      })();
    }
    return handlerValidated;
  }

  function cloudEvent(type: "connected" | "disconnected", c: WpsConnection, reason?: string): void {
    const url = eventHandlerUrl;
    if (!url) return;
    pendingEvents++;
    eventQueue = eventQueue
      .then(async () => {
        if (!(await validateHandler(url))) return;
        const body = type === "connected" ? "{}" : JSON.stringify({ reason: reason ?? "" });
        const headers: Record<string, string> = {
          "Content-Type": "application/json; charset=utf-8",
          "WebHook-Request-Origin": new URL(endpoint).host,
          "ce-specversion": "1.0",
          "ce-type": `azure.webpubsub.sys.${type}`,
          "ce-source": `/hubs/${c.hub}/client/${c.connectionId}`,
          "ce-id": randomUUID(),
          "ce-time": new Date().toISOString(),
          "ce-signature": sign(c.connectionId),
          "ce-connectionId": c.connectionId,
          "ce-hub": c.hub,
          "ce-eventName": type,
          ...(c.userId ? { "ce-userId": c.userId } : {}),
        };
        const r = await postEvent("POST", url, headers, body);
        events.push({ time: new Date().toISOString(), type, connectionId: c.connectionId, userId: c.userId, status: r.status, ...(r.error ? { error: r.error } : {}) });
      })
      .catch(() => undefined)
      .finally(() => {
        pendingEvents--;
        if (pendingEvents === 0) {
          const w = idleWaiters;
          idleWaiters = [];
          for (const f of w) f();
        }
      });
  }

  function refuse(socket: Duplex, status: number, text: string): void {
    socket.write(`HTTP/1.1 ${status} ${text}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    socket.destroy();
  }

  async function upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? "/", endpoint);
    const m = /^\/client\/hubs\/([^/]+)\/?$/.exec(url.pathname);
    if (!m) return refuse(socket, 404, "Not Found");
    if (paused) return refuse(socket, 503, "Service Unavailable");
    const hub = decodeURIComponent(m[1]);
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "");
    const token = url.searchParams.get("access_token") ?? bearer?.[1];
    if (!token) return refuse(socket, 401, "Unauthorized");
    const audiences = [`${endpoint}/client/hubs/${hub}`, `http://${req.headers.host}/client/hubs/${hub}`];
    let userId: string | null = null;
    try {
      const { payload } = await jwtVerify(token, key, { algorithms: ["HS256"], audience: audiences });
      userId = typeof payload.sub === "string" ? payload.sub : null;
    } catch {
      return refuse(socket, 401, "Unauthorized");
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const c: Live = { connectionId: base64urlId(), userId, hub, connectedAt: new Date().toISOString(), ws };
      live.set(c.connectionId, c);
      cloudEvent("connected", c);
      ws.on("close", (code, reason) => {
        live.delete(c.connectionId);
        cloudEvent("disconnected", c, reason.toString() || `closed with ${code}`);
      });
      ws.on("error", () => undefined);
    });
  }

  /** The SDK's bearer: HS256 with the access key, aud = the request URL (with or without its query). */
  async function authorised(req: http.IncomingMessage): Promise<boolean> {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "");
    if (!bearer) return false;
    const full = `http://${req.headers.host}${req.url}`;
    const noQuery = full.split("?")[0];
    try {
      await jwtVerify(bearer[1], key, { algorithms: ["HS256"], audience: [full, noQuery, `${endpoint}${req.url}`, `${endpoint}${(req.url ?? "").split("?")[0]}`] });
      return true;
    } catch {
      return false;
    }
  }

  function deliver(hub: string, userId: string | null, contentType: string, data: Buffer, excluded: string[]): number {
    let n = 0;
    const binary = /octet-stream/i.test(contentType);
    for (const c of live.values()) {
      if (c.hub.toLowerCase() !== hub.toLowerCase() || (userId !== null && c.userId !== userId) || excluded.includes(c.connectionId)) continue;
      if (c.ws.readyState !== WebSocket.OPEN) continue;
      c.ws.send(binary ? data : data.toString("utf8"), { binary });
      n++;
    }
    sent.push({ time: new Date().toISOString(), hub, userId, contentType, data: data.toString(binary ? "base64" : "utf8"), delivered: n });
    return n;
  }

  async function rest(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): Promise<void> {
    const url = new URL(req.url ?? "/", endpoint);
    const send = (status: number, text = "", headers: Record<string, string> = {}) => {
      res.writeHead(status, { ...(text ? { "Content-Type": "application/json" } : {}), ...headers });
      res.end(req.method === "HEAD" ? undefined : text);
    };
    const m = /^\/api\/hubs\/([^/]+)(\/.*)?$/.exec(url.pathname);
    if (!m) return send(404, errorBody("NotFound", `No route ${req.method} ${url.pathname}`));
    if (!url.searchParams.get("api-version")) return send(400, errorBody("InvalidRequest", "api-version is required."));
    if (!(await authorised(req))) return send(401, "", { "WWW-Authenticate": 'Bearer error="invalid_token"' });
    const hub = decodeURIComponent(m[1]);
    const rest = m[2] ?? "/";
    const contentType = String(req.headers["content-type"] ?? "application/octet-stream");
    const excluded = url.searchParams.getAll("excluded");
    let r: RegExpExecArray | null;
    if (req.method === "POST" && rest === "/:send") {
      deliver(hub, null, contentType, body, excluded);
      return send(202);
    }
    if (req.method === "POST" && (r = /^\/users\/([^/]+)\/:send$/.exec(rest))) {
      deliver(hub, decodeURIComponent(r[1]), contentType, body, []);
      return send(202);
    }
    if (req.method === "POST" && (r = /^\/users\/([^/]+)\/:closeConnections$/.exec(rest))) {
      const user = decodeURIComponent(r[1]);
      for (const c of [...live.values()]) if (c.hub.toLowerCase() === hub.toLowerCase() && c.userId === user && !excluded.includes(c.connectionId)) c.ws.close(1000, url.searchParams.get("reason") ?? "");
      return send(204);
    }
    if (req.method === "HEAD" && (r = /^\/users\/([^/]+)$/.exec(rest))) {
      const user = decodeURIComponent(r[1]);
      return send([...live.values()].some((c) => c.hub.toLowerCase() === hub.toLowerCase() && c.userId === user) ? 200 : 404);
    }
    if ((r = /^\/connections\/([^/]+)$/.exec(rest)) && (req.method === "HEAD" || req.method === "DELETE")) {
      const c = live.get(decodeURIComponent(r[1]));
      if (req.method === "HEAD") return send(c ? 200 : 404);
      c?.ws.close(1000, url.searchParams.get("reason") ?? "");
      return send(204);
    }
    return send(404, errorBody("NotFound", `The simulator does not serve ${req.method} ${url.pathname}`));
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      rest(req, res, Buffer.concat(chunks)).catch((e: Error) => {
        if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" });
        res.end(errorBody("InternalServerError", e.message));
      });
    });
  });
  server.on("upgrade", (req, socket, head) => {
    upgrade(req, socket, head).catch(() => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const endpoint = `http://127.0.0.1:${port}`;

  const dropAll = () => {
    for (const c of [...live.values()]) c.ws.terminate();
  };
  return {
    endpoint,
    connectionString: `Endpoint=http://127.0.0.1;Port=${port};AccessKey=${accessKey};Version=1.0;`,
    accessKey,
    hub: hubName,
    connections: () => [...live.values()].map(({ ws: _ws, ...c }) => (void _ws, c)),
    sent: () => sent.slice(),
    events: () => events.slice(),
    dropAll,
    pause() {
      paused = true;
      dropAll();
    },
    resume() {
      paused = false;
    },
    setEventHandlerUrl(url) {
      eventHandlerUrl = url;
      handlerValidated = null;
    },
    idle: () => (pendingEvents === 0 ? Promise.resolve() : new Promise<void>((r) => idleWaiters.push(r))),
    close: async () => {
      dropAll();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function base64urlId(): string {
  return randomBytes(16).toString("base64url");
}
