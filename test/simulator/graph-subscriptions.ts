/**
 * Graph change notifications for Teams chats: /subscriptions (create, list, get, renew, delete,
 * reauthorize), the validation handshake, and delivery of changeNotificationCollections with
 * encrypted resource data and validation tokens to the subscriber's webhook, plus lifecycle
 * notifications. Rules and their pages (microsoftgraph/microsoft-graph-docs-contrib):
 *
 * - api-reference/v1.0/resources/subscription.md: properties, clientState <= 128 characters,
 *   maximum expiration per resource (Teams chatMessage and conversationMember: 4,320 minutes).
 * - api-reference/v1.0/api/subscription-post-subscriptions.md, subscription-update.md,
 *   subscription-list.md, subscription-delete.md, subscription-reauthorize.md.
 * - concepts/teams-changenotifications-chatmessage.md and teams-changenotifications-chatmembership.md:
 *   resources, delegated/application permissions, lifecycleNotificationUrl required when the
 *   expiration is more than 1 hour away.
 * - api-reference/v1.0/resources/webhooks.md (Teams limitations): quotas per app and chat (1),
 *   per user (10) and per organisation (10,000).
 * - concepts/change-notifications-delivery-webhooks.md: the validationToken handshake
 *   (200 text/plain echo within 10 seconds, else the create fails with 400 ValidationError).
 * - concepts/change-notifications-with-resource-data.md: encryptedContent and validationTokens.
 * - concepts/change-notifications-lifecycle-events.md: reauthorizationRequired, subscriptionRemoved, missed.
 *
 * Subscriptions live in memory only: a simulator restart drops them, as if they had expired
 * (renewals then get 404 and the subscriber creates new ones).
 */
import { X509Certificate, type KeyObject, constants, createCipheriv, createHmac, publicEncrypt, randomBytes, randomUUID } from "node:crypto";
import * as http from "node:http";
import * as https from "node:https";
import type { EntraService } from "./entra";
import { G, type GraphErrorContext, graphError } from "./errors";
import type { SimChat, SimMember, SimMessage, SimStore, StoreEvent } from "./state";
import type { SimRequest, SimResponse } from "./util";

/** Who calls /subscriptions: a user through an app (delegated) or an app alone. */
export interface SubscriptionCaller {
  kind: "delegated" | "app";
  appId: string;
  /** The signed-in user (delegated only). */
  userId: string | null;
  userPrincipalName: string | null;
  /** scp (delegated) or roles (app). */
  permissions: Set<string>;
  /** User id (delegated) or the app's service principal id (app). */
  creatorId: string;
}

/** Turns a chat message or member into the JSON Graph's GET returns (graph.ts owns that shape). */
export interface NotificationRenderer {
  message(chat: SimChat, message: SimMessage, origin: string): Record<string, unknown>;
  member(chat: SimChat, member: SimMember): Record<string, unknown>;
}

type ResourceKind = "allChatMessages" | "userChatMessages" | "chatMessages" | "allChatMembers" | "chatMembers";

export interface SimSubscription {
  id: string;
  resource: string;
  kind: ResourceKind;
  userId: string | null;
  chatId: string | null;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  clientState: string | null;
  expirationDateTime: string;
  includeResourceData: boolean;
  encryptionCertificate: string | null;
  encryptionCertificateId: string | null;
  applicationId: string;
  creatorId: string;
  /** Delegated subscriptions act for their creator: they only hear chats the creator is in. */
  delegated: boolean;
  tenantId: string;
  /** The simulator origin the subscriber used (URLs inside the message JSON point there). */
  origin: string;
  createdDateTime: string;
}

interface LiveSubscription extends SimSubscription {
  publicKey: KeyObject | null;
  thumbprint: string | null;
  queue: Promise<void>;
}

export interface DeliveryRecord {
  seq: number;
  time: string;
  subscriptionId: string;
  url: string;
  kind: "notification" | "lifecycle" | "validation";
  changeType?: string;
  lifecycleEvent?: string;
  resource?: string;
  attempt: number;
  /** HTTP status, or null when the endpoint could not be reached or timed out. */
  status: number | null;
  error?: string;
  durationMs: number;
}

export type LifecycleEvent = "reauthorizationRequired" | "subscriptionRemoved" | "missed";

export interface SubscriptionServiceOptions {
  store: SimStore;
  entra: EntraService;
  now: () => Date;
  /** How long the handshake may take (docs: 10 seconds); tests shorten it. */
  validationTimeoutMs?: number;
  /** How long one delivery may take before it counts as failed (docs: the endpoint must answer within 3 seconds). */
  deliveryTimeoutMs?: number;
  /** Waits between delivery attempts (the simulator's short stand-in for Graph's hours of backoff). */
  retryDelaysMs?: number[];
}

/** subscription.md, "Maximum length of subscription per resource type": Teams chatMessage and conversationMember. */
export const MAX_EXPIRATION_MINUTES = 4320;
/** teams-changenotifications-*.md: beyond 1 hour a lifecycleNotificationUrl is required. */
const LIFECYCLE_REQUIRED_AFTER_MS = 60 * 60 * 1000;
/** webhooks.md, Teams chatMessage limitations. */
export const QUOTA = { perAppPerChat: 1, perUser: 10, perTenant: 10_000 };
const MAX_DELIVERIES = 5000;

interface ResourceRule {
  kind: ResourceKind;
  /** Least privileged first; null = that permission type is not supported. */
  delegated: string[] | null;
  application: string[];
  changeTypes: string[];
}

/** The permission tables of teams-changenotifications-chatmessage.md and -chatmembership.md. */
const RULES: Record<ResourceKind, ResourceRule> = {
  allChatMessages: { kind: "allChatMessages", delegated: null, application: ["Chat.Read.All", "Chat.ReadWrite.All"], changeTypes: ["created", "updated", "deleted"] },
  userChatMessages: { kind: "userChatMessages", delegated: ["Chat.Read", "Chat.ReadWrite"], application: ["Chat.Read.All", "Chat.ReadWrite.All"], changeTypes: ["created", "updated", "deleted"] },
  chatMessages: { kind: "chatMessages", delegated: ["Chat.Read", "Chat.ReadWrite"], application: ["ChatMessage.Read.Chat", "Chat.Read.All", "Chat.ReadWrite.All"], changeTypes: ["created", "updated", "deleted"] },
  allChatMembers: { kind: "allChatMembers", delegated: null, application: ["ChatMember.Read.All", "ChatMember.ReadWrite.All", "Chat.ReadBasic.All", "Chat.Read.All", "Chat.ReadWrite.All"], changeTypes: ["created", "updated", "deleted"] },
  chatMembers: { kind: "chatMembers", delegated: ["ChatMember.Read", "ChatMember.ReadWrite", "Chat.ReadBasic", "Chat.Read", "Chat.ReadWrite"], application: ["ChatMember.Read.Chat", "ChatMember.Read.All", "ChatMember.ReadWrite.All", "Chat.ReadBasic.All", "Chat.Read.All", "Chat.ReadWrite.All"], changeTypes: ["created", "updated", "deleted"] },
};

function parseResource(raw: string): { kind: ResourceKind; userKey?: string; chatId?: string } | null {
  const path = raw.trim().replace(/^\/+/, "").replace(/\/+$/, "");
  let m: RegExpExecArray | null;
  if (/^chats\/getAllMessages$/i.test(path)) return { kind: "allChatMessages" };
  if (/^chats\/getAllMembers$/i.test(path)) return { kind: "allChatMembers" };
  if ((m = /^users\/([^/]+)\/chats\/getAllMessages$/i.exec(path))) return { kind: "userChatMessages", userKey: unquote(m[1]) };
  if ((m = /^users\('([^']+)'\)\/chats\/getAllMessages$/i.exec(path))) return { kind: "userChatMessages", userKey: m[1] };
  if ((m = /^chats\/([^/]+)\/messages$/i.exec(path))) return { kind: "chatMessages", chatId: unquote(m[1]) };
  if ((m = /^chats\('([^']+)'\)\/messages$/i.exec(path))) return { kind: "chatMessages", chatId: m[1] };
  if ((m = /^chats\/([^/]+)\/members$/i.exec(path))) return { kind: "chatMembers", chatId: unquote(m[1]) };
  return null;
}

function unquote(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** https only; the simulator also allows http to this machine (a local concession: real Graph would refuse it). */
function allowedUrl(u: unknown): boolean {
  if (typeof u !== "string") return false;
  let url: URL;
  try {
    url = new URL(u);
  } catch {
    return false;
  }
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && (url.hostname === "127.0.0.1" || url.hostname === "localhost" || url.hostname === "[::1]");
}

function withQuery(url: string, name: string, value: string): string {
  return `${url}${url.includes("?") ? "&" : "?"}${name}=${encodeURIComponent(value)}`;
}

interface PostResult {
  status: number | null;
  body: string;
  error?: string;
}

function post(url: string, body: string, contentType: string, timeoutMs: number): Promise<PostResult> {
  return new Promise((resolve) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      resolve({ status: null, body: "", error: "invalid URL" });
      return;
    }
    const lib = u.protocol === "https:" ? https : http;
    const req = lib.request(
      u,
      {
        method: "POST",
        headers: { "Content-Type": contentType, "Content-Length": Buffer.byteLength(body) },
        // Local https endpoints use self-signed certificates.
        ...(u.protocol === "https:" ? { rejectUnauthorized: false } : {}),
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? null, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", (e) => resolve({ status: null, body: "", error: e.message }));
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on("error", (e) => {
      clearTimeout(timer);
      resolve({ status: null, body: "", error: e.message });
    });
    req.on("close", () => clearTimeout(timer));
    req.end(body);
  });
}

/**
 * encryptedContent as change-notifications-with-resource-data.md describes it: a fresh AES-256 key;
 * data = AES-CBC/PKCS7 with IV = the key's first 16 bytes; dataSignature = HMAC-SHA256(key, data);
 * dataKey = the key, RSA-OAEP encrypted with the subscription certificate's public key.
 */
export function encryptContent(json: string, publicKey: KeyObject, certificateId: string, thumbprint: string): Record<string, string> {
  const key = randomBytes(32);
  const cipher = createCipheriv("aes-256-cbc", key, key.subarray(0, 16));
  const data = Buffer.concat([cipher.update(json, "utf8"), cipher.final()]);
  return {
    data: data.toString("base64"),
    dataSignature: createHmac("sha256", key).update(data).digest("base64"),
    dataKey: publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING }, key).toString("base64"),
    encryptionCertificateId: certificateId,
    encryptionCertificateThumbprint: thumbprint,
  };
}

export class SubscriptionService {
  private readonly subs = new Map<string, LiveSubscription>();
  private readonly deliveries: DeliveryRecord[] = [];
  private seq = 0;
  private pending = 0;
  private idleWaiters: (() => void)[] = [];
  private renderer: NotificationRenderer | null = null;
  private readonly validationTimeoutMs: number;
  private readonly deliveryTimeoutMs: number;
  private readonly retryDelaysMs: number[];

  constructor(private readonly o: SubscriptionServiceOptions) {
    this.validationTimeoutMs = o.validationTimeoutMs ?? 10_000;
    this.deliveryTimeoutMs = o.deliveryTimeoutMs ?? 3_000;
    this.retryDelaysMs = o.retryDelaysMs ?? [200, 1000];
    o.store.onChange((e) => this.onStoreEvent(e));
  }

  setRenderer(r: NotificationRenderer): void {
    this.renderer = r;
  }

  // ------------------------------------------------------------------ REST

  /** /subscriptions[/{id}[/reauthorize]]; `segs` follow "subscriptions". */
  async handle(req: SimRequest, err: GraphErrorContext, caller: SubscriptionCaller, segs: string[]): Promise<SimResponse> {
    this.pruneExpired();
    if (segs.length === 0) {
      if (req.method === "POST") return this.create(req, err, caller);
      if (req.method === "GET") return this.list(req, caller);
      return graphError(err, 405, G.badRequest, "Specified HTTP method is not allowed for the request target.");
    }
    const sub = this.subs.get(segs[0]);
    const visible = sub && this.visibleTo(sub, caller) ? sub : undefined;
    if (segs.length === 2 && segs[1].toLowerCase() === "reauthorize" && req.method === "POST") {
      if (!visible) return this.notFound(err, segs[0]);
      // subscription-reauthorize.md: 204 No Content.
      return { status: 204 };
    }
    if (segs.length !== 1) return graphError(err, 400, G.badRequest, `Resource not found for the segment '${segs[segs.length - 1]}'.`);
    if (!visible) return this.notFound(err, segs[0]);
    switch (req.method) {
      case "GET":
        return { status: 200, body: { "@odata.context": `${req.origin}/graph/v1.0/$metadata#subscriptions/$entity`, ...this.json(visible) } };
      case "PATCH":
        return this.update(req, err, caller, visible);
      case "DELETE":
        this.subs.delete(visible.id);
        return { status: 204 };
      default:
        return graphError(err, 405, G.badRequest, "Specified HTTP method is not allowed for the request target.");
    }
  }

  private notFound(err: GraphErrorContext, id: string): SimResponse {
    // Code and wording unverified: real answers vary between ResourceNotFound and ExtensionError wrappers.
    return graphError(err, 404, "ResourceNotFound", `The object was not found: subscription '${id}'.`);
  }

  /** subscription-list.md: an app sees its own subscriptions; delegated, only those it made for the signed-in user. */
  private visibleTo(s: LiveSubscription, c: SubscriptionCaller): boolean {
    if (s.applicationId !== c.appId) return false;
    return c.kind === "app" ? true : s.creatorId === c.creatorId;
  }

  private list(req: SimRequest, caller: SubscriptionCaller): SimResponse {
    const value = [...this.subs.values()].filter((s) => this.visibleTo(s, caller)).map((s) => this.json(s));
    return { status: 200, body: { "@odata.context": `${req.origin}/graph/v1.0/$metadata#subscriptions`, value } };
  }

  json(s: SimSubscription): Record<string, unknown> {
    return {
      id: s.id,
      resource: s.resource,
      applicationId: s.applicationId,
      changeType: s.changeType,
      clientState: s.clientState,
      notificationUrl: s.notificationUrl,
      notificationQueryOptions: null,
      lifecycleNotificationUrl: s.lifecycleNotificationUrl,
      expirationDateTime: s.expirationDateTime,
      creatorId: s.creatorId,
      includeResourceData: s.includeResourceData,
      latestSupportedTlsVersion: "v1_2",
      encryptionCertificate: s.encryptionCertificate,
      encryptionCertificateId: s.encryptionCertificateId,
      notificationUrlAppId: null,
    };
  }

  private invalid(err: GraphErrorContext, message: string): SimResponse {
    // Graph answers subscription payload problems with 400; code "InvalidRequest" per real responses (wording here is the simulator's).
    return graphError(err, 400, "InvalidRequest", message);
  }

  private checkPermission(err: GraphErrorContext, rule: ResourceRule, caller: SubscriptionCaller, resource: string): SimResponse | null {
    if (caller.kind === "delegated") {
      if (!rule.delegated) {
        // The permission tables say "Delegated: Not supported." for tenant-wide resources.
        return graphError(err, 403, G.forbidden, `Operation: Create; Exception: [Status Code: Forbidden; Reason: The resource '${resource}' supports application permissions only; delegated permissions are not supported.]`);
      }
      if (!rule.delegated.some((p) => caller.permissions.has(p))) {
        return graphError(err, 403, G.forbidden, `Missing scope permissions on the request. API requires one of '${rule.delegated.join(", ")}'. Scopes on the request '${[...caller.permissions].join(", ")}'`);
      }
      return null;
    }
    if (!rule.application.some((p) => caller.permissions.has(p))) {
      return graphError(err, 403, G.forbidden, `Missing role permissions on the request. API requires one of '${rule.application.join(", ")}'. Roles on the request '${[...caller.permissions].join(", ")}'.`);
    }
    return null;
  }

  private checkExpiration(err: GraphErrorContext, raw: unknown, lifecycleUrl: string | null): string | SimResponse {
    if (typeof raw !== "string" || Number.isNaN(Date.parse(raw))) return this.invalid(err, "expirationDateTime is required and must be a DateTimeOffset.");
    const at = Date.parse(raw);
    const now = this.o.now().getTime();
    if (at <= now) return this.invalid(err, "Subscription expiration must be in the future.");
    if (at > now + MAX_EXPIRATION_MINUTES * 60_000) return this.invalid(err, `Subscription expiration can only be ${MAX_EXPIRATION_MINUTES} minutes in the future.`);
    if (at > now + LIFECYCLE_REQUIRED_AFTER_MS && !lifecycleUrl) {
      // Message quoted by teams-changenotifications-chatmessage.md.
      return this.invalid(err, "lifecycleNotificationUrl is a required property for subscription creation on this resource when the expirationDateTime value is set to greater than 1 hour.");
    }
    return new Date(at).toISOString();
  }

  private async create(req: SimRequest, err: GraphErrorContext, caller: SubscriptionCaller): Promise<SimResponse> {
    const b = req.body;
    if (!b || typeof b !== "object" || Array.isArray(b)) {
      return graphError(err, 400, G.badRequest, "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
    }
    const body = b as Record<string, unknown>;
    for (const k of ["changeType", "notificationUrl", "resource", "expirationDateTime"]) {
      if (body[k] === undefined || body[k] === null || body[k] === "") return this.invalid(err, `${k} is a required property.`);
    }
    if (typeof body.resource !== "string") return this.invalid(err, "resource must be a string.");
    if (body.resource.includes("?")) return this.invalid(err, "The simulator does not model $search/$filter on subscription resources.");
    const parsed = parseResource(body.resource);
    if (!parsed) return this.invalid(err, `Resource '${body.resource}' is not supported for change notifications by the simulator (supported: /chats/getAllMessages, /users/{id}/chats/getAllMessages, /chats/{id}/messages, /chats/getAllMembers, /chats/{id}/members).`);
    const rule = RULES[parsed.kind];
    const denied = this.checkPermission(err, rule, caller, body.resource);
    if (denied) return denied;
    const store = this.o.store;
    let userId: string | null = null;
    let chatId: string | null = null;
    if (parsed.userKey !== undefined) {
      const u = store.user(parsed.userKey);
      if (!u) return graphError(err, 404, G.notFound, `User '${parsed.userKey}' was not found.`);
      // A delegated caller may watch only its own chats (a user can't read another user's chats).
      if (caller.kind === "delegated" && u.id !== caller.userId) {
        return graphError(err, 403, G.forbidden, `Operation: Create; Exception: [Status Code: Forbidden; Reason: A delegated subscription to '${body.resource}' is only allowed for the signed-in user.]`);
      }
      userId = u.id;
    }
    if (parsed.chatId !== undefined) {
      const chat = store.chat(parsed.chatId);
      if (!chat) return graphError(err, 404, G.notFound, `Chat '${parsed.chatId}' was not found.`);
      if (caller.kind === "delegated" && !store.isMember(chat, caller.userId ?? "")) return graphError(err, 403, G.forbidden, "Forbidden");
      chatId = chat.id;
    }
    if (typeof body.changeType !== "string") return this.invalid(err, "changeType must be a string.");
    const changeTypes = body.changeType.split(",").map((s) => s.trim());
    for (const ct of changeTypes) {
      if (!rule.changeTypes.includes(ct)) return this.invalid(err, `Invalid changeType '${ct}'. Supported values for this resource: ${rule.changeTypes.join(", ")}.`);
    }
    if (!allowedUrl(body.notificationUrl)) return this.invalid(err, "The notificationUrl must be an https URL (the simulator also accepts http://localhost and http://127.0.0.1).");
    const lifecycleUrl = body.lifecycleNotificationUrl ?? null;
    if (lifecycleUrl !== null && !allowedUrl(lifecycleUrl)) return this.invalid(err, "The lifecycleNotificationUrl must be an https URL (the simulator also accepts http://localhost and http://127.0.0.1).");
    if (body.clientState !== undefined && body.clientState !== null && (typeof body.clientState !== "string" || body.clientState.length > 128)) {
      return this.invalid(err, "clientState must be a string of at most 128 characters.");
    }
    const exp = this.checkExpiration(err, body.expirationDateTime, lifecycleUrl as string | null);
    if (typeof exp !== "string") return exp;
    const include = body.includeResourceData === true;
    let publicKey: KeyObject | null = null;
    let thumbprint: string | null = null;
    if (include) {
      if (typeof body.encryptionCertificate !== "string" || !body.encryptionCertificate) return this.invalid(err, "encryptionCertificate is required when includeResourceData is true.");
      if (typeof body.encryptionCertificateId !== "string" || !body.encryptionCertificateId) return this.invalid(err, "encryptionCertificateId is required when includeResourceData is true.");
      if (body.encryptionCertificateId.length > 128) return this.invalid(err, "encryptionCertificateId can be up to 128 characters.");
      try {
        const text = body.encryptionCertificate;
        const cert = new X509Certificate(text.includes("-----BEGIN") ? text : Buffer.from(text, "base64"));
        publicKey = cert.publicKey;
        thumbprint = cert.fingerprint.replace(/:/g, "").toUpperCase();
      } catch {
        return this.invalid(err, "encryptionCertificate is not a valid base64-encoded X.509 certificate.");
      }
      // change-notifications-with-resource-data.md: an RSA key of 2,048 to 4,096 bits.
      const bits = publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
      if (publicKey.asymmetricKeyType !== "rsa" || bits < 2048 || bits > 4096) return this.invalid(err, "The encryption certificate's key must be RSA, 2048 to 4096 bits.");
    }
    const quota = this.checkQuota(err, parsed.kind, caller.appId, userId, chatId);
    if (quota) return quota;
    // change-notifications-delivery-webhooks.md: both endpoints are validated before the subscription exists.
    for (const url of [body.notificationUrl as string, ...(lifecycleUrl ? [lifecycleUrl as string] : [])]) {
      const ok = await this.validate(url);
      if (!ok) return graphError(err, 400, "ValidationError", "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.");
    }
    const sub: LiveSubscription = {
      id: randomUUID(),
      resource: body.resource,
      kind: parsed.kind,
      userId,
      chatId,
      changeType: changeTypes.join(","),
      notificationUrl: body.notificationUrl as string,
      lifecycleNotificationUrl: lifecycleUrl as string | null,
      clientState: (body.clientState as string | undefined) ?? null,
      expirationDateTime: exp,
      includeResourceData: include,
      encryptionCertificate: include ? (body.encryptionCertificate as string) : null,
      encryptionCertificateId: include ? (body.encryptionCertificateId as string) : null,
      applicationId: caller.appId,
      creatorId: caller.creatorId,
      delegated: caller.kind === "delegated",
      tenantId: store.state.tenantId,
      origin: req.origin,
      createdDateTime: this.o.now().toISOString(),
      publicKey,
      thumbprint,
      queue: Promise.resolve(),
    };
    this.subs.set(sub.id, sub);
    return { status: 201, body: { "@odata.context": `${req.origin}/graph/v1.0/$metadata#subscriptions/$entity`, ...this.json(sub) } };
  }

  private checkQuota(err: GraphErrorContext, kind: ResourceKind, appId: string, userId: string | null, chatId: string | null): SimResponse | null {
    const all = [...this.subs.values()];
    const messageSubs = all.filter((s) => s.kind === "allChatMessages" || s.kind === "userChatMessages" || s.kind === "chatMessages");
    // Status and code unverified: real quota refusals come as 403 with the reason inside the message.
    const refuse = (what: string) => graphError(err, 403, G.forbidden, `Operation: Create; Exception: [Status Code: Forbidden; Reason: Subscription quota exceeded: ${what}.]`);
    if (kind === "chatMessages" && all.some((s) => s.kind === "chatMessages" && s.chatId === chatId && s.applicationId === appId)) {
      return refuse(`at most ${QUOTA.perAppPerChat} subscription per app and chat`);
    }
    if (kind === "userChatMessages" && all.filter((s) => s.kind === "userChatMessages" && s.userId === userId).length >= QUOTA.perUser) {
      return refuse(`at most ${QUOTA.perUser} subscriptions per user`);
    }
    if (kind !== "allChatMembers" && kind !== "chatMembers" && messageSubs.length >= QUOTA.perTenant) {
      return refuse(`at most ${QUOTA.perTenant} chat message subscriptions per organization`);
    }
    return null;
  }

  private async validate(url: string): Promise<boolean> {
    const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
    const started = Date.now();
    const res = await post(withQuery(url, "validationToken", token), "", "text/plain; charset=utf-8", this.validationTimeoutMs);
    this.record({ subscriptionId: "", url, kind: "validation", attempt: 1, status: res.status, error: res.error, durationMs: Date.now() - started });
    return res.status === 200 && res.body === token;
  }

  private async update(req: SimRequest, err: GraphErrorContext, caller: SubscriptionCaller, sub: LiveSubscription): Promise<SimResponse> {
    const b = req.body;
    if (!b || typeof b !== "object" || Array.isArray(b)) {
      return graphError(err, 400, G.badRequest, "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
    }
    const body = b as Record<string, unknown>;
    const other = Object.keys(body).filter((k) => k !== "expirationDateTime" && k !== "@odata.type");
    if (other.length) return this.invalid(err, `Only expirationDateTime can be updated by the simulator (got ${other.join(", ")}).`);
    // subscription-update.md: renewing needs the same permission as creating.
    const denied = this.checkPermission(err, RULES[sub.kind], caller, sub.resource);
    if (denied) return denied;
    const exp = this.checkExpiration(err, body.expirationDateTime, sub.lifecycleNotificationUrl);
    if (typeof exp !== "string") return exp;
    sub.expirationDateTime = exp;
    return { status: 200, body: { "@odata.context": `${req.origin}/graph/v1.0/$metadata#subscriptions/$entity`, ...this.json(sub) } };
  }

  // ------------------------------------------------------------------ delivery

  private pruneExpired(): void {
    const now = this.o.now().getTime();
    for (const [id, s] of this.subs) if (Date.parse(s.expirationDateTime) <= now) this.subs.delete(id);
  }

  private matches(s: LiveSubscription, e: StoreEvent): boolean {
    if (!s.changeType.split(",").includes(e.changeType)) return false;
    // Delegated subscriptions see what their user sees: chats the user is in at that moment.
    if (s.delegated && !e.memberIds.includes(s.creatorId)) return false;
    if (e.kind === "message") {
      switch (s.kind) {
        case "allChatMessages":
          return true;
        case "userChatMessages":
          return e.memberIds.includes(s.userId ?? "");
        case "chatMessages":
          return s.chatId === e.chat.id;
        default:
          return false;
      }
    }
    if (s.kind === "allChatMembers") return true;
    return s.kind === "chatMembers" && s.chatId === e.chat.id;
  }

  private onStoreEvent(e: StoreEvent): void {
    if (!this.subs.size) return;
    this.pruneExpired();
    const matched = [...this.subs.values()].filter((s) => this.matches(s, e));
    if (!matched.length) return;
    // Build payloads after the current request finished mutating the message (e.g. hosted-content URLs).
    for (const s of matched) this.enqueue(s, () => this.notificationBody(s, e), e.changeType);
  }

  private notificationBody(s: LiveSubscription, e: StoreEvent): { body: Record<string, unknown>; resource: string } {
    const chatRef = `chats('${e.chat.id}')`;
    const resource = e.kind === "message" ? `${chatRef}/messages('${e.message.id}')` : `${chatRef}/members('${e.member.membershipId}')`;
    const item: Record<string, unknown> = {
      subscriptionId: s.id,
      changeType: e.changeType,
      clientState: s.clientState,
      subscriptionExpirationDateTime: s.expirationDateTime,
      resource,
      resourceData: {
        id: e.kind === "message" ? e.message.id : e.member.membershipId,
        "@odata.type": e.kind === "message" ? "#Microsoft.Graph.chatMessage" : "#Microsoft.Graph.aadUserConversationMember",
        "@odata.id": resource,
      },
      tenantId: s.tenantId,
    };
    const body: Record<string, unknown> = { value: [item] };
    if (s.includeResourceData && s.publicKey && this.renderer) {
      const content = e.kind === "message" ? this.renderer.message(e.chat, e.message, s.origin) : this.renderer.member(e.chat, e.member);
      item.encryptedContent = encryptContent(JSON.stringify(content), s.publicKey, s.encryptionCertificateId ?? "", s.thumbprint ?? "");
      body.validationTokens = [this.o.entra.signValidationToken(s.tenantId, s.applicationId)];
    }
    return { body, resource };
  }

  private enqueue(s: LiveSubscription, build: () => { body: Record<string, unknown>; resource: string }, changeType: string, lifecycleEvent?: LifecycleEvent): void {
    this.pending++;
    const url = lifecycleEvent ? (s.lifecycleNotificationUrl ?? "") : s.notificationUrl;
    s.queue = s.queue
      .then(async () => {
        // Deferred a turn: the request that caused the change finishes its writes first.
        await new Promise<void>((r) => setImmediate(r));
        const { body, resource } = build();
        const text = JSON.stringify(body);
        const delays = [0, ...this.retryDelaysMs];
        for (let i = 0; i < delays.length; i++) {
          if (delays[i]) await new Promise<void>((r) => setTimeout(r, delays[i]));
          const started = Date.now();
          const res = await post(url, text, "application/json; charset=utf-8", this.deliveryTimeoutMs);
          this.record({
            subscriptionId: s.id,
            url,
            kind: lifecycleEvent ? "lifecycle" : "notification",
            ...(lifecycleEvent ? { lifecycleEvent } : { changeType, resource }),
            attempt: i + 1,
            status: res.status,
            error: res.error,
            durationMs: Date.now() - started,
          });
          if (res.status !== null && res.status >= 200 && res.status < 300) return;
        }
      })
      .catch(() => undefined)
      .finally(() => {
        this.pending--;
        if (this.pending === 0) {
          const waiters = this.idleWaiters;
          this.idleWaiters = [];
          for (const w of waiters) w();
        }
      });
  }

  private record(r: Omit<DeliveryRecord, "seq" | "time">): void {
    this.deliveries.push({ seq: ++this.seq, time: new Date().toISOString(), ...r, ...(r.error === undefined ? {} : { error: r.error }) });
    if (this.deliveries.length > MAX_DELIVERIES) this.deliveries.splice(0, this.deliveries.length - MAX_DELIVERIES);
  }

  /** concepts/change-notifications-lifecycle-events.md: POSTs the event to lifecycleNotificationUrl; subscriptionRemoved also ends the subscription. */
  fireLifecycle(id: string, event: LifecycleEvent): { ok: true } | { ok: false; reason: string } {
    const s = this.subs.get(id);
    if (!s) return { ok: false, reason: `no subscription '${id}'` };
    if (!s.lifecycleNotificationUrl) return { ok: false, reason: "the subscription has no lifecycleNotificationUrl" };
    if (event === "subscriptionRemoved") this.subs.delete(id);
    this.enqueue(
      s,
      () => {
        const item: Record<string, unknown> = {
          subscriptionId: s.id,
          subscriptionExpirationDateTime: s.expirationDateTime,
          tenantId: s.tenantId,
          clientState: s.clientState,
          lifecycleEvent: event,
        };
        const body: Record<string, unknown> = { value: [item] };
        if (s.includeResourceData) body.validationTokens = [this.o.entra.signValidationToken(s.tenantId, s.applicationId)];
        return { body, resource: "" };
      },
      "",
      event,
    );
    return { ok: true };
  }

  /** Every live subscription (control routes, tests). */
  all(): SimSubscription[] {
    this.pruneExpired();
    return [...this.subs.values()].map((s) => {
      const out: Record<string, unknown> = { ...s };
      delete out.publicKey;
      delete out.thumbprint;
      delete out.queue;
      return out as unknown as SimSubscription;
    });
  }

  get(id: string): SimSubscription | undefined {
    return this.all().find((s) => s.id === id);
  }

  clear(): void {
    this.subs.clear();
  }

  /** Ends a subscription now, as if its expirationDateTime had passed (no notification, like real expiry). */
  expire(id: string): boolean {
    return this.subs.delete(id);
  }

  deliveryLog(): DeliveryRecord[] {
    return this.deliveries.slice();
  }

  clearDeliveries(): void {
    this.deliveries.length = 0;
  }

  /** Resolves when every queued delivery (with its retries) is done. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
