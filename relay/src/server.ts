import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { JWTVerifyGetKey } from "jose";
import { jsonLogger, systemClock, type Clock, type Logger } from "./clock.js";
import { originAllowed, type RelayConfig } from "./config.js";
import { createDecryptor, encryptionCertificateFromPem, type Decryptor } from "./crypto.js";
import { createEntraClient, type TokenProvider } from "./entra.js";
import { createGraphClient, type GraphClient } from "./graph.js";
import type { FetchLike } from "./http.js";
import { MembershipCache } from "./membership.js";
import { createNegotiateAuth } from "./negotiateAuth.js";
import { createNotificationPipeline, createStats, type RelayStats } from "./notifications.js";
import { Presence, verifyWebPubSubSignature } from "./presence.js";
import { createWebPubSubPush, parseWebPubSubConnectionString, type Push } from "./push.js";
import { SubscriptionError, SubscriptionManager, describe, type SubscriptionState } from "./subscriptions.js";
import { createValidationTokenVerifier, remoteKeys } from "./validationTokens.js";

/** Replaceable parts (tests, local harness); production builds each from the config. */
export interface RelayDeps {
  fetch?: FetchLike;
  clock?: Clock;
  log?: Logger;
  push?: Push;
  /** Keys for the panel's tokens (default: remote JWKS at `config.negotiateJwksUrl`). */
  negotiateKeys?: JWTVerifyGetKey;
  /** Keys for Graph's validation tokens (default: remote JWKS at `config.validationJwksUrl`). */
  validationKeys?: JWTVerifyGetKey;
  decryptor?: Decryptor;
  tokens?: TokenProvider;
  graph?: GraphClient;
}

export interface RelayHealth {
  status: "ok";
  mode: RelayConfig["mode"];
  stats: RelayStats;
  subscriptions: SubscriptionState;
  connections: { users: number; connections: number };
  membershipCachedChats: number;
}

export interface Relay {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  listen(port?: number): Promise<{ url: string }>;
  /** Tenant mode: create the tenant-wide subscriptions (listen() calls it once the webhook can answer Graph's validation). */
  start(): Promise<void>;
  close(): Promise<void>;
  stats(): RelayHealth;
  /** Resolves when the notification work accepted so far (after the 202s) has finished. */
  idle(): Promise<void>;
}

/** Web PubSub client URL lifetime; the panel negotiates again before it ends (PROTOCOL.md §1). */
export const CLIENT_URL_MINUTES = 60;
const NOTIFICATION_BODY_LIMIT = 4 * 1024 * 1024;
const SMALL_BODY_LIMIT = 64 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > limit) {
      reject(new HttpError(413, "tooLarge", "request body too large"));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop keeping it, let the rest drain, answer 413.
        if (chunks.length > 0 || size - chunk.length <= limit) reject(new HttpError(413, "tooLarge", "request body too large"));
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => (size > limit ? undefined : resolve(Buffer.concat(chunks))));
    req.on("error", reject);
  });
}

function parseJson(buffer: Buffer): unknown {
  try {
    return JSON.parse(buffer.toString("utf8"));
  } catch {
    throw new HttpError(400, "badRequest", "body is not JSON");
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: { code, message } }, headers);
}

export function createRelay(config: RelayConfig, deps: RelayDeps = {}): Relay {
  const clock = deps.clock ?? systemClock;
  const log = deps.log ?? jsonLogger;
  const now = () => clock.now();
  const stats = createStats();
  const presence = new Presence();
  const push = deps.push ?? createWebPubSubPush(config.webPubSubConnectionString, config.webPubSubHub);
  const tokens =
    deps.tokens ??
    createEntraClient({
      loginBaseUrl: config.loginBaseUrl,
      tenantId: config.tenantId,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      fetch: deps.fetch,
      now,
    });
  const graph = deps.graph ?? createGraphClient({ baseUrl: config.graphBaseUrl, fetch: deps.fetch, now });
  const authenticate = createNegotiateAuth({
    tenantId: config.tenantId,
    clientId: config.clientId,
    issuer: config.tokenIssuer,
    keys: deps.negotiateKeys ?? remoteKeys(config.negotiateJwksUrl),
    now,
  });
  const verifyValidationTokens = createValidationTokenVerifier({
    tenantId: config.tenantId,
    clientId: config.clientId,
    keys: deps.validationKeys ?? remoteKeys(config.validationJwksUrl),
    now,
  });
  const decryptor =
    deps.decryptor ?? createDecryptor({ privateKeyPem: config.notificationKeyPem, certificateId: config.notificationCertId });
  const subscriptions = new SubscriptionManager({
    mode: config.mode,
    graph,
    tokens,
    push,
    presence,
    clock,
    log,
    notificationUrl: `${config.publicUrl}/api/notifications`,
    lifecycleNotificationUrl: `${config.publicUrl}/api/lifecycle`,
    clientState: config.clientStateSecret,
    encryptionCertificate: encryptionCertificateFromPem(config.notificationCertPem),
    encryptionCertificateId: config.notificationCertId,
    graceMinutes: config.graceMinutes,
    onGap: (resource) => {
      if (resource.toLowerCase().endsWith("/chats/getallmembers")) membership?.clear();
    },
  });
  const membership =
    config.mode === "tenant"
      ? new MembershipCache({
          clock,
          fetchMembers: async (chatId) => graph.listChatMemberIds(await tokens.appToken(), chatId),
        })
      : undefined;
  const pipeline = createNotificationPipeline({
    mode: config.mode,
    clientState: config.clientStateSecret,
    subscriptions,
    presence,
    membership,
    verifyValidationTokens,
    decryptor,
    push,
    stats,
    log,
  });
  const webPubSub = parseWebPubSubConnectionString(config.webPubSubConnectionString);
  const webPubSubHost = webPubSub.endpoint ? new URL(webPubSub.endpoint) : undefined;

  const inFlight = new Set<Promise<void>>();
  const background = (work: Promise<void>) => {
    const tracked = work.catch((error: unknown) => log.error("background work failed", { error: describe(error) }));
    inFlight.add(tracked);
    void tracked.finally(() => inFlight.delete(tracked));
  };

  function cors(req: IncomingMessage, res: ServerResponse): boolean {
    const origin = req.headers.origin;
    if (origin === undefined) return true; // not a browser cross-origin call
    if (!originAllowed(origin, config.allowedOrigins)) return false;
    res.setHeader("access-control-allow-origin", origin);
    res.setHeader("vary", "Origin");
    return true;
  }

  async function negotiate(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === "OPTIONS") {
      if (!cors(req, res)) return sendError(res, 403, "originNotAllowed", "origin not allowed");
      res.writeHead(204, {
        "access-control-allow-methods": "POST, OPTIONS",
        "access-control-allow-headers": "authorization, content-type",
        "access-control-max-age": "600",
      });
      res.end();
      return;
    }
    if (req.method !== "POST") return sendError(res, 405, "methodNotAllowed", "POST only", { allow: "POST, OPTIONS" });
    if (!cors(req, res)) return sendError(res, 403, "originNotAllowed", "origin not allowed");
    await readBody(req, SMALL_BODY_LIMIT); // the body is not trusted for anything
    const auth = await authenticate(req.headers.authorization);
    if (!auth.ok) {
      log.info("negotiate refused", { reason: auth.reason });
      return sendError(res, 401, "invalidToken", auth.message, { "www-authenticate": 'Bearer error="invalid_token"' });
    }
    try {
      if (config.mode === "perUser") await subscriptions.ensureForUser(auth.userId, auth.token);
      else await subscriptions.ensureTenant();
    } catch (error) {
      const e = error instanceof SubscriptionError ? error : new SubscriptionError("subscriptionFailed", "subscription failed");
      log.warn("negotiate: subscription failed", { code: e.code, message: e.message });
      return sendError(
        res,
        503,
        e.code,
        e.message,
        e.retryAfterSeconds !== undefined ? { "retry-after": String(e.retryAfterSeconds) } : {},
      );
    }
    let url: string;
    try {
      url = (await push.clientUrl(auth.userId, CLIENT_URL_MINUTES)).url;
    } catch (error) {
      log.error("negotiate: client URL failed", { error: describe(error) });
      return sendError(res, 503, "pushUnavailable", "the WebSocket service is unavailable");
    }
    sendJson(res, 200, {
      url,
      userId: auth.userId,
      expiresOn: new Date(now() + CLIENT_URL_MINUTES * 60_000).toISOString(),
      mode: config.mode,
    });
  }

  async function graphWebhook(req: IncomingMessage, res: ServerResponse, kind: "notifications" | "lifecycle"): Promise<void> {
    const validationToken = new URL(req.url ?? "/", "http://relay").searchParams.get("validationToken");
    if (validationToken !== null) {
      // concepts/change-notifications-delivery-webhooks.md: echo the (URL-decoded) token, 200 text/plain, within 10 s.
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" });
      res.end(validationToken);
      return;
    }
    if (req.method !== "POST") return sendError(res, 405, "methodNotAllowed", "POST only", { allow: "POST" });
    const body = parseJson(await readBody(req, NOTIFICATION_BODY_LIMIT));
    // Accept at once and work afterwards: Graph must not wait (and learns nothing about the checks).
    res.writeHead(202);
    res.end();
    background(kind === "notifications" ? pipeline.notifications(body) : pipeline.lifecycle(body));
  }

  async function webPubSubEvents(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === "OPTIONS") {
      // CloudEvents abuse protection: allow only our own Web PubSub service.
      const requestOrigin = String(req.headers["webhook-request-origin"] ?? "");
      const ours = webPubSubHost && (requestOrigin === webPubSubHost.host || requestOrigin === webPubSubHost.hostname);
      if (!ours) return sendError(res, 403, "originNotAllowed", "unknown WebHook-Request-Origin");
      res.writeHead(200, { "webhook-allowed-origin": requestOrigin });
      res.end();
      return;
    }
    if (req.method !== "POST") return sendError(res, 405, "methodNotAllowed", "POST or OPTIONS", { allow: "POST, OPTIONS" });
    await readBody(req, SMALL_BODY_LIMIT);
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const connectionId = header("ce-connectionid") ?? "";
    if (!verifyWebPubSubSignature(connectionId, header("ce-signature"), [webPubSub.accessKey])) {
      return sendError(res, 401, "invalidSignature", "ce-signature does not match");
    }
    if (header("ce-hub") !== config.webPubSubHub) return sendError(res, 400, "unknownHub", "unknown hub");
    const type = header("ce-type");
    const userId = header("ce-userid");
    if (type === "azure.webpubsub.sys.connected" && userId) presence.connected(connectionId, userId);
    else if (type === "azure.webpubsub.sys.disconnected") presence.disconnected(connectionId);
    res.writeHead(204);
    res.end();
  }

  function health(): RelayHealth {
    return {
      status: "ok",
      mode: config.mode,
      stats: structuredClone(stats),
      subscriptions: subscriptions.state(),
      connections: { users: presence.connectedUsers().length, connections: presence.connectionCount },
      membershipCachedChats: membership?.size ?? 0,
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://relay").pathname.replace(/\/+$/, "");
    try {
      switch (path) {
        case "/api/negotiate":
          return await negotiate(req, res);
        case "/api/notifications":
          return await graphWebhook(req, res, "notifications");
        case "/api/lifecycle":
          return await graphWebhook(req, res, "lifecycle");
        case "/api/webpubsub/events":
          return await webPubSubEvents(req, res);
        case "/api/health":
          if (req.method !== "GET") return sendError(res, 405, "methodNotAllowed", "GET only", { allow: "GET" });
          return sendJson(res, 200, health());
        default:
          return sendError(res, 404, "notFound", "no such route");
      }
    } catch (error) {
      if (res.headersSent) return;
      if (error instanceof HttpError) return sendError(res, error.status, error.code, error.message);
      log.error("request failed", { path, error: describe(error) });
      return sendError(res, 500, "internal", "internal error");
    }
  }

  let server: Server | undefined;
  const start = async () => {
    if (config.mode !== "tenant") return;
    await subscriptions.ensureTenant().catch(() => {
      /* logged and retried by the manager */
    });
  };

  return {
    handle,
    start,
    async listen(port = config.port) {
      server = createServer((req, res) => void handle(req, res));
      await new Promise<void>((resolve, reject) => {
        server!.once("error", reject);
        server!.listen(port, resolve);
      });
      const address = server.address() as AddressInfo;
      log.info("relay listening", { port: address.port, mode: config.mode });
      void start();
      return { url: `http://127.0.0.1:${address.port}` };
    },
    async close() {
      subscriptions.stop();
      await Promise.all(inFlight);
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      server = undefined;
    },
    stats: health,
    async idle() {
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
  };
}
