/**
 * Microsoft Graph v1.0 (delegated) as far as this project uses it. Every rule
 * enforced here is one Microsoft documents (api-reference/v1.0/api/*.md in
 * microsoftgraph/microsoft-graph-docs-contrib) or one real responses show; the
 * page each rule comes from is named next to it.
 */
import { type Hash, createHash, randomBytes, randomUUID } from "node:crypto";
import { G, type GraphErrorContext, graphCodeForStatus, graphError } from "./errors";
import type { FaultRegistry } from "./faults";
import { sleep } from "./faults";
import {
  type SimAttachment,
  type SimChat,
  type SimChannel,
  type SimDriveItem,
  type SimHostedContent,
  type SimMention,
  type SimMessage,
  type SimStore,
  type SimTeam,
  type SimUser,
  chatWebUrl,
  groupChatId,
  oneOnOneChatId,
} from "./state";
import type { NotificationRenderer, SubscriptionCaller, SubscriptionService } from "./graph-subscriptions";
import { type TokenClaims, type TokenService, invalidTokenMessage, isAppToken } from "./tokens";
import { type SimRequest, type SimResponse, base64url, fromBase64url, safeDecode } from "./util";

export const GRAPH_PUBLIC_BASE = "https://graph.microsoft.com/v1.0/";

export interface RequestLogEntry {
  seq: number;
  time: string;
  service: "graph" | "dataverse";
  method: string;
  path: string;
  status: number;
  caller: string | null;
  /** For POST /$batch: what each sub-request did (one HTTP request on the wire, many operations). */
  batch?: { id: string; method: string; path: string; status: number }[];
}

export interface ServiceContext {
  store: SimStore;
  tokens: TokenService;
  faults: FaultRegistry;
  now: () => Date;
  log: (e: Omit<RequestLogEntry, "seq" | "time">) => void;
  changed: () => void;
  /** /subscriptions and change notifications (graph-subscriptions.ts); absent = not served. */
  subscriptions?: SubscriptionService;
}

/** Delegated scopes accepted per operation: least privileged first (each page's permission table). */
export const SCOPES = {
  me: ["User.Read", "User.ReadWrite", "User.ReadBasic.All", "User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  users: ["User.ReadBasic.All", "User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  people: ["People.Read", "People.Read.All"],
  chatReadBasic: ["Chat.ReadBasic", "Chat.Read", "Chat.ReadWrite"],
  chatCreate: ["Chat.Create", "Chat.ReadWrite"],
  chatUpdate: ["Chat.ReadWrite"],
  membersRead: ["Chat.ReadBasic", "ChatMember.Read", "ChatMember.ReadWrite", "Chat.Read", "Chat.ReadWrite"],
  membersWrite: ["ChatMember.ReadWrite", "Chat.ReadWrite"],
  messagesRead: ["Chat.Read", "Chat.ReadWrite"],
  messageSend: ["ChatMessage.Send", "Chat.ReadWrite"],
  joinedTeams: ["Team.ReadBasic.All", "TeamSettings.Read.All", "TeamSettings.ReadWrite.All", "User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  channels: ["Channel.ReadBasic.All", "ChannelSettings.Read.All", "ChannelSettings.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  channelMessagesRead: ["ChannelMessage.Read.All", "Group.Read.All", "Group.ReadWrite.All"],
  channelMessageSend: ["ChannelMessage.Send", "Group.ReadWrite.All"],
  channelCreate: ["Channel.Create", "Group.ReadWrite.All", "Directory.ReadWrite.All"],
  filesWrite: ["Files.ReadWrite", "Files.ReadWrite.All", "Sites.ReadWrite.All"],
} as const;

/** Every delegated scope DESIGN.md §4 uses: the default for /__sim/token. */
export const DEFAULT_SCOPES = [
  "User.Read",
  "User.ReadBasic.All",
  "People.Read",
  "Chat.ReadBasic",
  "Chat.Read",
  "Chat.Create",
  "Chat.ReadWrite",
  "ChatMember.ReadWrite",
  "ChatMessage.Send",
  "Files.ReadWrite",
  "Team.ReadBasic.All",
  "Channel.ReadBasic.All",
  "Channel.Create",
  "ChannelMessage.Read.All",
  "ChannelMessage.Send",
];

type DeniedStyle = "teams" | "directory" | "exchange" | "onedrive";

interface Caller {
  user: SimUser;
  claims: TokenClaims;
  scopes: Set<string>;
}

/** An app-only caller (client credentials): roles instead of scopes, no signed-in user. */
interface AppCaller {
  app: true;
  claims: TokenClaims;
  roles: Set<string>;
}

interface Ctx {
  req: SimRequest;
  err: GraphErrorContext;
  caller: Caller;
  params: Record<string, string>;
  inBatch: boolean;
}

type Handler = (c: Ctx) => SimResponse | Promise<SimResponse>;

interface Route {
  method: string;
  segs: string[];
  scopes: readonly string[];
  denied: DeniedStyle;
  handler: Handler;
}

const MAX_BATCH = 20;
/** Where the simulator serves upload sessions' uploadUrls (its own origin, outside /graph/v1.0, like OneDrive's upload host). */
export const UPLOAD_PATH = "/upload/";
/** driveitem-createuploadsession page: fragments are multiples of 320 KiB (except the last) and under 60 MiB. */
const FRAGMENT_MULTIPLE = 320 * 1024;
const MAX_FRAGMENT = 60 * 1024 * 1024;
/** The docs leave the lifetime to the service; the simulator gives a session an hour, renewed by every fragment. */
export const UPLOAD_SESSION_TTL_MS = 60 * 60 * 1000;

/** An upload session in progress. Kept in memory only: a simulator restart ends every session (clients start over). */
interface UploadSession {
  ownerId: string;
  parts: string[];
  conflict: string;
  /** The file size the fragments declare; fixed by item.fileSize or the first fragment. */
  total: number | null;
  received: number;
  hash: Hash;
  mimeType: string;
  expires: number;
}

const ODATA_JSON = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
const OPTION_NAMES: Record<string, string> = {
  $select: "Select",
  $expand: "Expand",
  $top: "Top",
  $filter: "Filter",
  $orderby: "OrderBy",
  $count: "Count",
  $skip: "Skip",
  $search: "Search",
  $format: "Format",
  $skiptoken: "SkipToken",
};

export class GraphApi {
  private readonly routes: Route[] = [];
  private readonly uploads = new Map<string, UploadSession>();

  constructor(private readonly ctx: ServiceContext) {
    const r = (method: string, pattern: string, scopes: readonly string[], denied: DeniedStyle, handler: Handler) =>
      this.routes.push({ method, segs: pattern.split("/").filter(Boolean), scopes, denied, handler });
    r("GET", "/me", SCOPES.me, "directory", (c) => this.getUser(c, c.caller.user.id));
    r("GET", "/me/photo/$value", SCOPES.me, "exchange", (c) => this.getPhoto(c, c.caller.user.id));
    r("GET", "/users", SCOPES.users, "directory", (c) => this.listUsers(c));
    r("GET", "/users/:uid", SCOPES.users, "directory", (c) => this.getUser(c, c.params.uid));
    r("GET", "/users/:uid/photo/$value", SCOPES.users, "exchange", (c) => this.getPhoto(c, c.params.uid));
    r("GET", "/me/people", SCOPES.people, "exchange", (c) => this.listPeople(c));
    r("GET", "/me/chats", SCOPES.chatReadBasic, "teams", (c) => this.listChats(c));
    r("GET", "/chats", SCOPES.chatReadBasic, "teams", (c) => this.listChats(c));
    r("GET", "/users/:uid/chats", SCOPES.chatReadBasic, "teams", (c) => this.listChatsOfUser(c));
    r("POST", "/chats", SCOPES.chatCreate, "teams", (c) => this.createChat(c));
    r("GET", "/chats/:cid", SCOPES.chatReadBasic, "teams", (c) => this.getChat(c));
    r("PATCH", "/chats/:cid", SCOPES.chatUpdate, "teams", (c) => this.updateChat(c));
    r("GET", "/chats/:cid/members", SCOPES.membersRead, "teams", (c) => this.listMembers(c));
    r("GET", "/chats/:cid/members/:mid", SCOPES.membersRead, "teams", (c) => this.getMember(c));
    r("POST", "/chats/:cid/members", SCOPES.membersWrite, "teams", (c) => this.addMember(c));
    r("DELETE", "/chats/:cid/members/:mid", SCOPES.membersWrite, "teams", (c) => this.removeMember(c));
    r("GET", "/chats/:cid/messages", SCOPES.messagesRead, "teams", (c) => this.listChatMessages(c));
    r("POST", "/chats/:cid/messages", SCOPES.messageSend, "teams", (c) => this.postChatMessage(c));
    r("GET", "/chats/:cid/messages/:msgid", SCOPES.messagesRead, "teams", (c) => this.getChatMessage(c));
    r("GET", "/chats/:cid/messages/:msgid/hostedContents/:hid/$value", SCOPES.messagesRead, "teams", (c) => this.getChatHostedContent(c));
    r("GET", "/me/joinedTeams", SCOPES.joinedTeams, "teams", (c) => this.joinedTeams(c));
    r("GET", "/teams/:tid/channels", SCOPES.channels, "teams", (c) => this.listChannels(c));
    r("GET", "/teams/:tid/channels/:chid", SCOPES.channels, "teams", (c) => this.getChannel(c));
    r("GET", "/teams/:tid/channels/:chid/messages", SCOPES.channelMessagesRead, "teams", (c) => this.listChannelMessages(c));
    r("POST", "/teams/:tid/channels", SCOPES.channelCreate, "teams", (c) => this.createChannel(c));
    r("POST", "/teams/:tid/channels/:chid/messages", SCOPES.channelMessageSend, "teams", (c) => this.postChannelMessage(c));
    r("GET", "/teams/:tid/channels/:chid/messages/:msgid/replies", SCOPES.channelMessagesRead, "teams", (c) => this.listReplies(c));
    r("POST", "/teams/:tid/channels/:chid/messages/:msgid/replies", SCOPES.channelMessageSend, "teams", (c) => this.postReply(c));
    r(
      "GET",
      "/teams/:tid/channels/:chid/messages/:msgid/hostedContents/:hid/$value",
      SCOPES.channelMessagesRead,
      "teams",
      (c) => this.getChannelHostedContent(c),
    );
  }

  private get store(): SimStore {
    return this.ctx.store;
  }

  /** Entry point for one Graph request (top level or inside $batch). `req.path` is below /graph/v1.0. */
  async dispatch(req: SimRequest, inBatch = false): Promise<SimResponse> {
    const requestId = randomUUID();
    const err: GraphErrorContext = { requestId, clientRequestId: req.headers["client-request-id"] ?? requestId, now: this.ctx.now() };
    const res = await this.dispatchInner(req, err, inBatch);
    res.headers = {
      "request-id": requestId,
      "client-request-id": err.clientRequestId,
      "Cache-Control": "no-cache",
      ...(res.body !== undefined && !Buffer.isBuffer(res.body) ? { "Content-Type": ODATA_JSON } : {}),
      ...(res.headers ?? {}),
    };
    return res;
  }

  private async dispatchInner(req: SimRequest, err: GraphErrorContext, inBatch: boolean): Promise<SimResponse> {
    const full = `/graph/v1.0${req.path}${req.rawQuery ? `?${req.rawQuery}` : ""}`;
    let callerUpn: string | null = null;
    let res: SimResponse;
    try {
      const fault = this.ctx.faults.take("graph", req.method, full);
      if (fault?.latencyMs) await sleep(fault.latencyMs);
      if (fault?.status) {
        res = this.faultResponse(err, fault.status, fault.retryAfter, fault.body);
      } else {
        const auth = await this.authenticate(req, err);
        if ("status" in auth) res = auth;
        else if ("app" in auth) {
          callerUpn = `app:${auth.claims.appid}`;
          res = await this.routeApp(req, err, auth);
        } else {
          callerUpn = auth.user.userPrincipalName;
          res = await this.route(req, err, auth, inBatch);
        }
      }
    } catch (e) {
      res = graphError(err, 500, G.internal, `Simulator error: ${(e as Error).message}`);
    }
    // The log lists HTTP requests; sub-requests of a $batch are recorded on the batch's own entry.
    if (!inBatch) {
      const { batchLog, ...rest } = res;
      this.ctx.log({ service: "graph", method: req.method, path: full, status: res.status, caller: callerUpn, ...(batchLog ? { batch: batchLog } : {}) });
      res = rest;
    }
    return res;
  }

  private faultResponse(err: GraphErrorContext, status: number, retryAfter: number | undefined, body: unknown): SimResponse {
    const headers: Record<string, string> = {};
    if (status === 429 || status === 503) headers["Retry-After"] = String(retryAfter ?? 1);
    else if (retryAfter !== undefined) headers["Retry-After"] = String(retryAfter);
    if (body !== undefined) return { status, headers, body };
    const message =
      status === 429 ? "Too many requests." : status >= 500 ? "The service is temporarily unavailable. Please try again later." : "Injected fault.";
    return graphError(err, status, graphCodeForStatus(status), message, headers);
  }

  private async authenticate(req: SimRequest, err: GraphErrorContext): Promise<Caller | AppCaller | SimResponse> {
    const authz = req.headers.authorization ?? "";
    const m = /^Bearer\s+(.*)$/i.exec(authz);
    const token = m ? m[1].trim() : "";
    const nowS = Math.floor(this.ctx.now().getTime() / 1000);
    const v = await this.ctx.tokens.verifyAny(token || undefined, nowS);
    const wwwAuth = {
      "WWW-Authenticate": 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
    };
    if (!v.ok) return graphError(err, 401, G.invalidAuth, invalidTokenMessage(v.reason), wwwAuth);
    if (isAppToken(v.claims)) return { app: true, claims: v.claims, roles: new Set(v.claims.roles) };
    const user = this.store.user(v.claims.oid);
    if (!user || !user.accountEnabled) return graphError(err, 401, G.invalidAuth, "Access token validation failure.", wwwAuth);
    return { user, claims: v.claims, scopes: new Set(v.claims.scp.split(" ").filter(Boolean)) };
  }

  private normalise(segs: string[], caller: Caller): string[] {
    const isCaller = (s: string) => s.toLowerCase() === caller.user.id.toLowerCase() || s.toLowerCase() === caller.user.userPrincipalName.toLowerCase();
    // /me/chats/{id}/... and /users/{me}/chats/{id}/... are aliases of /chats/{id}/... (chat-get, chat-list-messages pages).
    if (segs[0]?.toLowerCase() === "me" && segs[1]?.toLowerCase() === "chats" && segs.length > 2) return segs.slice(1);
    if (segs[0]?.toLowerCase() === "users" && segs[2]?.toLowerCase() === "chats" && segs.length > 3 && isCaller(segs[1])) return segs.slice(2);
    if (segs[0]?.toLowerCase() === "users" && segs[2]?.toLowerCase() === "joinedteams" && segs.length === 3 && isCaller(segs[1])) return ["me", "joinedTeams"];
    if (segs[0]?.toLowerCase() === "users" && segs[1] && isCaller(segs[1]) && segs[2]?.toLowerCase() === "photo") return ["me", ...segs.slice(2)];
    return segs;
  }

  private async route(req: SimRequest, err: GraphErrorContext, caller: Caller, inBatch: boolean): Promise<SimResponse> {
    const raw = req.path.split("/").filter(Boolean).map(safeDecode);
    if (raw.length === 1 && raw[0] === "$batch") {
      if (req.method !== "POST") return graphError(err, 405, G.badRequest, "Specified HTTP method is not allowed for the request target.");
      if (inBatch) return graphError(err, 400, G.badRequest, "Nested batch requests are not supported.");
      return this.batch(req, err);
    }
    // OneDrive uploads use ':' path syntax, which the segment router does not model.
    const drive = /^\/me\/drive\/(root|items\/([^/:]+)):\/(.+):\/(content|createUploadSession)$/i.exec(safeDecode(req.path));
    if (drive) {
      const session = drive[4].toLowerCase() === "createuploadsession";
      if (req.method !== (session ? "POST" : "PUT")) return graphError(err, 405, G.badRequest, "Specified HTTP method is not allowed for the request target.");
      const route: Route = { method: req.method, segs: [], scopes: SCOPES.filesWrite, denied: "onedrive", handler: () => ({ status: 500 }) };
      if (!route.scopes.some((s) => caller.scopes.has(s))) return this.denied(err, route, caller);
      return session ? this.createUploadSession(req, err, caller, drive[2] ?? null, drive[3]) : this.uploadFile(req, err, caller, drive[2] ?? null, drive[3]);
    }
    const segs = this.normalise(raw, caller);
    if (segs[0]?.toLowerCase() === "subscriptions" && this.ctx.subscriptions) {
      const sc: SubscriptionCaller = {
        kind: "delegated",
        appId: caller.claims.appid,
        userId: caller.user.id,
        userPrincipalName: caller.user.userPrincipalName,
        permissions: caller.scopes,
        creatorId: caller.user.id,
      };
      return this.ctx.subscriptions.handle(req, err, sc, segs.slice(1));
    }
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchSegs(route.segs, segs);
      if (!params) continue;
      pathMatched = true;
      if (route.method !== req.method) continue;
      if (!route.scopes.some((s) => caller.scopes.has(s))) return this.denied(err, route, caller);
      return route.handler({ req, err, caller, params, inBatch });
    }
    if (pathMatched) return graphError(err, 405, G.badRequest, "Specified HTTP method is not allowed for the request target.");
    if (segs[0]?.toLowerCase() === "users" && segs[2]?.toLowerCase() === "joinedteams") {
      return graphError(err, 403, G.forbidden, "Forbidden");
    }
    const unknown = segs.find((_, i) => !this.routes.some((r) => r.segs.length > i && (r.segs[i].startsWith(":") || r.segs[i].toLowerCase() === segs[i].toLowerCase()))) ?? segs[segs.length - 1] ?? "";
    return graphError(err, 400, G.badRequest, `Resource not found for the segment '${unknown}'.`);
  }

  /**
   * App-only requests (client credentials): the few the live-updates relay makes. Permissions per page:
   * chat-list-members.md, chat-get.md, chatmessage-get.md (application columns).
   */
  private async routeApp(req: SimRequest, err: GraphErrorContext, app: AppCaller): Promise<SimResponse> {
    const segs = req.path.split("/").filter(Boolean).map(safeDecode);
    if (segs[0]?.toLowerCase() === "me") return graphError(err, 400, G.badRequest, "/me request is only valid with delegated authentication flow.");
    if (segs[0]?.toLowerCase() === "subscriptions" && this.ctx.subscriptions) {
      const sc: SubscriptionCaller = { kind: "app", appId: app.claims.appid, userId: null, userPrincipalName: null, permissions: app.roles, creatorId: app.claims.oid };
      return this.ctx.subscriptions.handle(req, err, sc, segs.slice(1));
    }
    const need = (roles: string[]): SimResponse | null =>
      roles.some((r) => app.roles.has(r))
        ? null
        : graphError(err, 403, G.forbidden, `Missing role permissions on the request. API requires one of '${roles.join(", ")}'. Roles on the request '${[...app.roles].join(", ")}'.`);
    const chat = segs[0] === "chats" && segs[1] ? this.store.chat(segs[1]) : undefined;
    if (req.method === "GET" && segs[0] === "chats" && segs.length >= 2) {
      const denied =
        segs.length === 3 && segs[2] === "members"
          ? need(["ChatMember.Read.All", "ChatMember.ReadWrite.All", "Chat.ReadBasic.All", "Chat.Read.All", "Chat.ReadWrite.All"])
          : segs.length === 2
            ? need(["ChatSettings.Read.Chat", "Chat.ReadBasic.All", "Chat.Read.All", "Chat.ReadWrite.All"])
            : need(["Chat.Read.All", "Chat.ReadWrite.All"]);
      if (denied) return denied;
      if (!chat) return graphError(err, 404, G.notFound, `Chat '${segs[1]}' was not found.`);
      const ctxPath = (suffix: string) => `${req.origin}/graph/v1.0/$metadata#${suffix}`;
      if (segs.length === 2) {
        const { viewpoint: _v, ...rest } = this.chatJson(this.appCtx(req, err), chat);
        void _v;
        return this.ok({ "@odata.context": ctxPath("chats/$entity"), ...rest });
      }
      if (segs.length === 3 && segs[2] === "members") {
        return this.ok({ "@odata.context": ctxPath(`chats('${encodeURIComponent(chat.id)}')/members`), "@odata.count": chat.members.length, value: chat.members.map((m) => this.memberJson(m)) });
      }
      if (segs.length === 4 && segs[2] === "messages") {
        const m = chat.messages.find((x) => x.id === segs[3]);
        if (!m) return graphError(err, 404, G.notFound, `Message '${segs[3]}' was not found.`);
        return this.ok({ "@odata.context": ctxPath(`chats('${encodeURIComponent(chat.id)}')/messages/$entity`), ...this.renderChatMessage(chat, m, req.origin) });
      }
    }
    return graphError(err, 403, G.forbidden, "The simulator serves only GET /chats/{id}, /chats/{id}/members, /chats/{id}/messages/{id} and /subscriptions to app-only tokens.");
  }

  /** A Ctx for rendering helpers that need only the request (origin, Prefer), not a signed-in user. */
  private appCtx(req: SimRequest, err: GraphErrorContext): Ctx {
    const nobody: SimUser = { id: "" } as SimUser;
    return { req, err, caller: { user: nobody, claims: {} as TokenClaims, scopes: new Set() }, params: {}, inBatch: false };
  }

  /** The chatMessage exactly as GET /chats/{id}/messages/{id} returns it (without @odata.context), for change notifications. */
  renderChatMessage(chat: SimChat, m: SimMessage, origin: string): Record<string, unknown> {
    const req: SimRequest = { method: "GET", path: "", query: new URLSearchParams(), rawQuery: "", headers: {}, body: undefined, bodyText: "", origin };
    const c = this.appCtx(req, { requestId: "", clientRequestId: "", now: this.ctx.now() });
    return this.localUrls(c, this.messageJson(c, m, { chatId: chat.id }));
  }

  /** What change notifications need from Graph's JSON shapes. */
  renderer(): NotificationRenderer {
    return {
      message: (chat, m, origin) => this.renderChatMessage(chat, m, origin),
      member: (_chat, m) => this.memberJson(m),
    };
  }

  private denied(err: GraphErrorContext, route: Route, caller: Caller): SimResponse {
    switch (route.denied) {
      case "directory":
        return graphError(err, 403, G.directoryDenied, "Insufficient privileges to complete the operation.");
      case "exchange":
        return graphError(err, 403, G.exchangeDenied, "Access is denied. Check credentials and try again.");
      case "onedrive":
        return graphError(err, 403, "accessDenied", "Access denied");
      default:
        return graphError(
          err,
          403,
          G.forbidden,
          `Missing scope permissions on the request. API requires one of '${route.scopes.join(", ")}'. Scopes on the request '${[...caller.scopes].join(", ")}'`,
        );
    }
  }

  // ---------------------------------------------------------------- helpers

  private bad(c: Ctx, message: string, status = 400, code: string = G.badRequest): SimResponse {
    return graphError(c.err, status, code, message);
  }

  /** ASP.NET OData's own refusal for options an API does not enable. */
  private rejectOptions(c: Ctx, allowed: string[]): SimResponse | null {
    for (const key of c.req.query.keys()) {
      if (!key.startsWith("$")) continue;
      if (allowed.includes(key.toLowerCase())) continue;
      const name = OPTION_NAMES[key.toLowerCase()] ?? key.slice(1);
      return this.bad(c, `Query option '${name}' is not allowed. To allow it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or QueryValidationSettings.`);
    }
    return null;
  }

  /** Lower-cased "$option" lookup (Graph accepts $top and $Top alike). */
  private opt(c: Ctx, name: string): string | null {
    for (const [k, v] of c.req.query.entries()) if (k.toLowerCase() === name) return v;
    return null;
  }

  private parseTop(c: Ctx, max: number, dflt: number): number | SimResponse {
    const raw = this.opt(c, "$top");
    if (raw === null) return dflt;
    if (!/^\d+$/.test(raw.trim())) return this.bad(c, `Invalid value '${raw}' for $top query option found.`);
    const n = Number(raw);
    if (n > max) {
      // Wording from real responses quoted in msgraph-sdk-powershell#1248.
      return this.bad(c, `The query specified in the URI is not valid. The limit of '${max}' for Top query has been exceeded. The value from the incoming request is '${n}'.`);
    }
    if (n < 1) return this.bad(c, `Invalid value '${raw}' for $top query option found.`);
    return n;
  }

  private nextLink(c: Ctx, token: string): string {
    const kept = c.req.rawQuery
      .split("&")
      .filter(Boolean)
      .filter((p) => safeDecode(p.split("=")[0]).toLowerCase() !== "$skiptoken");
    kept.push(`$skiptoken=${encodeURIComponent(token)}`);
    return `${c.req.origin}/graph/v1.0${c.req.path}?${kept.join("&")}`;
  }

  private localUrls<T>(c: Ctx, value: T): T {
    // Stored HTML carries graph.microsoft.com URLs for hosted content; answer with ours so the client can fetch them.
    const json = JSON.stringify(value).split(GRAPH_PUBLIC_BASE).join(`${c.req.origin}/graph/v1.0/`);
    return JSON.parse(json) as T;
  }

  private context(c: Ctx, suffix: string): string {
    return `${c.req.origin}/graph/v1.0/$metadata#${suffix}`;
  }

  private ok(body: unknown, status = 200, headers: Record<string, string> = {}): SimResponse {
    return { status, body, headers };
  }

  private parseBody(c: Ctx): Record<string, unknown> | null {
    if (c.req.body === undefined || c.req.body === null || typeof c.req.body !== "object" || Array.isArray(c.req.body)) return null;
    return c.req.body as Record<string, unknown>;
  }

  private badJson(c: Ctx): SimResponse {
    return this.bad(c, "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
  }

  // ---------------------------------------------------------------- users

  private userJson(u: SimUser, select: string[] | null): Record<string, unknown> {
    const full: Record<string, unknown> = {
      businessPhones: u.businessPhones,
      displayName: u.displayName,
      givenName: u.givenName,
      jobTitle: u.jobTitle,
      mail: u.mail,
      mobilePhone: u.mobilePhone,
      officeLocation: u.officeLocation,
      preferredLanguage: u.preferredLanguage,
      surname: u.surname,
      userPrincipalName: u.userPrincipalName,
      id: u.id,
    };
    if (!select) return full;
    // Non-default properties (accountEnabled, department, ...) only come back when selected (user resource page).
    const extra: Record<string, unknown> = { ...full, accountEnabled: u.accountEnabled, department: u.department, companyName: "Contoso Support" };
    const out: Record<string, unknown> = {};
    for (const s of select) {
      const key = Object.keys(extra).find((k) => k.toLowerCase() === s.toLowerCase());
      if (key) out[key] = extra[key];
    }
    return out;
  }

  private parseUserSelect(c: Ctx): string[] | null | SimResponse {
    const sel = this.opt(c, "$select");
    if (sel === null) return null;
    const known = ["businessphones", "displayname", "givenname", "jobtitle", "mail", "mobilephone", "officelocation", "preferredlanguage", "surname", "userprincipalname", "id", "accountenabled", "department", "companyname"];
    const props = sel.split(",").map((s) => s.trim()).filter(Boolean);
    for (const p of props) {
      if (!known.includes(p.toLowerCase())) return this.bad(c, `Could not find a property named '${p}' on type 'microsoft.graph.user'.`, 400, G.directoryBadRequest);
    }
    return props;
  }

  private getUser(c: Ctx, key: string): SimResponse {
    const sel = this.parseUserSelect(c);
    if (sel && !Array.isArray(sel)) return sel;
    const u = this.store.user(key);
    if (!u) {
      return this.bad(c, `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`, 404, G.directoryNotFound);
    }
    return this.ok({ "@odata.context": this.context(c, "users/$entity"), ...this.userJson(u, sel) });
  }

  private getPhoto(c: Ctx, key: string): SimResponse {
    const u = this.store.user(key);
    if (!u) {
      return this.bad(c, `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`, 404, G.directoryNotFound);
    }
    if (!u.photo) {
      return this.bad(c, "Exception of type 'Microsoft.Fast.Profile.Core.Exception.ImageNotFoundException' was thrown.", 404, G.imageNotFound);
    }
    return { status: 200, headers: { "Content-Type": "image/png" }, body: Buffer.from(u.photo, "base64") };
  }

  /** GET /users: $search needs ConsistencyLevel: eventual (aad-advanced-queries page). */
  private listUsers(c: Ctx): SimResponse {
    const rej = this.rejectOptions(c, ["$select", "$top", "$filter", "$search", "$count", "$orderby", "$skiptoken"]);
    if (rej) return rej;
    const sel = this.parseUserSelect(c);
    if (sel && !Array.isArray(sel)) return sel;
    const top = this.parseTop(c, 999, 100);
    if (typeof top !== "number") return top;
    const eventual = (c.req.headers.consistencylevel ?? "").toLowerCase() === "eventual";
    let users = this.store.state.users.slice();
    const search = this.opt(c, "$search");
    if (search !== null) {
      if (!eventual) {
        return this.bad(
          c,
          "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
          400,
          G.directoryUnsupported,
        );
      }
      const terms = [...search.matchAll(/"([A-Za-z]+):([^"]*)"/g)];
      if (terms.length === 0) return this.bad(c, "Syntax error: character '\"' is not valid in $search.", 400, G.directoryBadRequest);
      const allowed = ["displayname", "mail", "userprincipalname", "givenname", "surname", "jobtitle"];
      for (const t of terms) {
        if (!allowed.includes(t[1].toLowerCase())) return this.bad(c, `Invalid search property '${t[1]}'.`, 400, G.directoryUnsupported);
      }
      const useAnd = /"\s+AND\s+"/.test(search);
      users = users.filter((u) => {
        const hits = terms.map((t) => tokenMatch(String(userProp(u, t[1])), t[2]));
        return useAnd ? hits.every(Boolean) : hits.some(Boolean);
      });
    }
    const filter = this.opt(c, "$filter");
    if (filter !== null) {
      const pred = parseUserFilter(filter);
      if (typeof pred === "string") return this.bad(c, pred, 400, G.directoryUnsupported);
      users = users.filter(pred);
    }
    const orderby = this.opt(c, "$orderby");
    if (orderby !== null) {
      const m = /^\s*displayName(\s+(asc|desc))?\s*$/i.exec(orderby);
      if (!m) return this.bad(c, "Unsupported sort property.", 400, G.directoryUnsupported);
      users.sort((a, b) => a.displayName.localeCompare(b.displayName) * (m[2]?.toLowerCase() === "desc" ? -1 : 1));
    }
    const offset = this.decodeOffset(this.opt(c, "$skiptoken"));
    if (offset === null) return this.bad(c, "Invalid $skiptoken.", 400, G.directoryBadRequest);
    const page = users.slice(offset, offset + top);
    const body: Record<string, unknown> = { "@odata.context": this.context(c, sel ? `users(${sel.join(",")})` : "users") };
    if ((this.opt(c, "$count") ?? "").toLowerCase() === "true") body["@odata.count"] = users.length;
    if (offset + top < users.length) body["@odata.nextLink"] = this.nextLink(c, this.encodeOffset(offset + top));
    body.value = page.map((u) => this.userJson(u, sel));
    return this.ok(body);
  }

  private encodeOffset(n: number): string {
    return `RFNwdAIAAQAAA${base64url(JSON.stringify({ o: n }))}`;
  }

  private decodeOffset(token: string | null): number | null {
    if (token === null) return 0;
    try {
      const v = JSON.parse(fromBase64url(token.slice(13)).toString("utf8")) as { o?: number };
      return typeof v.o === "number" && v.o >= 0 ? v.o : null;
    } catch {
      return null;
    }
  }

  /** /me/people: relevance = messages in chats the caller shares with the person (people-list page; ranking is ours). */
  private listPeople(c: Ctx): SimResponse {
    const rej = this.rejectOptions(c, ["$select", "$top", "$skip", "$search", "$filter", "$orderby", "$skiptoken"]);
    if (rej) return rej;
    const top = this.parseTop(c, 1000, 10);
    if (typeof top !== "number") return top;
    const skipRaw = this.opt(c, "$skip");
    const skip = skipRaw === null ? 0 : Number(skipRaw);
    if (!Number.isInteger(skip) || skip < 0) return this.bad(c, `Invalid value '${skipRaw}' for $skip query option found.`);
    const me = c.caller.user.id;
    const score = new Map<string, number>();
    for (const chat of this.store.state.chats) {
      if (!chat.members.some((m) => m.userId === me)) continue;
      const count = chat.messages.filter((m) => m.messageType === "message").length + 1;
      for (const m of chat.members) if (m.userId !== me) score.set(m.userId, (score.get(m.userId) ?? 0) + count);
    }
    let people = [...score.entries()]
      .map(([id, s]) => ({ u: this.store.user(id), s }))
      .filter((x): x is { u: SimUser; s: number } => !!x.u && x.u.accountEnabled)
      .sort((a, b) => b.s - a.s || a.u.displayName.localeCompare(b.u.displayName));
    const search = this.opt(c, "$search");
    if (search !== null) {
      const term = search.replace(/^"|"$/g, "").trim();
      people = people.filter(({ u }) => tokenMatch(u.displayName, term) || u.mail.toLowerCase().startsWith(term.toLowerCase()));
    }
    const max = people.length ? people[0].s : 1;
    const value = people.slice(skip, skip + top).map(({ u, s }) => ({
      id: u.id,
      displayName: u.displayName,
      givenName: u.givenName,
      surname: u.surname,
      birthday: "",
      personNotes: "",
      isFavorite: false,
      jobTitle: u.jobTitle,
      companyName: null,
      yomiCompany: "",
      department: u.department,
      officeLocation: u.officeLocation,
      profession: "",
      userPrincipalName: u.userPrincipalName,
      imAddress: `sip:${u.userPrincipalName}`,
      scoredEmailAddresses: [{ address: u.mail, relevanceScore: Math.round((s / max) * 100) / 10, selectionLikelihood: "notSpecified" }],
      phones: u.businessPhones.map((n) => ({ type: "business", number: n })),
      personType: { class: "Person", subclass: "OrganizationUser" },
    }));
    return this.ok({ "@odata.context": this.context(c, `users('${encodeURIComponent(c.caller.user.id)}')/people`), value });
  }

  // ---------------------------------------------------------------- chats

  private memberJson(m: { membershipId: string; userId: string; roles: string[]; visibleHistoryStartDateTime: string }): Record<string, unknown> {
    const u = this.store.user(m.userId);
    return {
      "@odata.type": "#microsoft.graph.aadUserConversationMember",
      id: m.membershipId,
      roles: m.roles,
      displayName: u?.displayName ?? null,
      visibleHistoryStartDateTime: m.visibleHistoryStartDateTime,
      userId: m.userId,
      email: u?.mail ?? null,
      tenantId: this.store.state.tenantId,
    };
  }

  private lastMessage(chat: SimChat): SimMessage | null {
    return chat.messages.length ? chat.messages[chat.messages.length - 1] : null;
  }

  private chatJson(c: Ctx, chat: SimChat, opts: { members?: number; preview?: boolean } = {}): Record<string, unknown> {
    const me = c.caller.user.id;
    const last = this.lastMessage(chat);
    const out: Record<string, unknown> = {
      id: chat.id,
      topic: chat.topic,
      createdDateTime: chat.createdDateTime,
      lastUpdatedDateTime: chat.lastUpdatedDateTime,
      chatType: chat.chatType,
      webUrl: chatWebUrl(chat.id, this.store.state.tenantId),
      tenantId: this.store.state.tenantId,
      onlineMeetingInfo: null,
      isHiddenForAllMembers: false,
      viewpoint: { isHidden: false, lastMessageReadDateTime: chat.lastReadBy[me] ?? chat.createdDateTime },
    };
    if (opts.members !== undefined) {
      out["members@odata.context"] = this.context(c, `chats('${encodeURIComponent(chat.id)}')/members`);
      out.members = chat.members.slice(0, opts.members).map((m) => this.memberJson(m));
    }
    if (opts.preview) {
      out["lastMessagePreview@odata.context"] = this.context(c, `chats('${encodeURIComponent(chat.id)}')/lastMessagePreview/$entity`);
      out.lastMessagePreview = last
        ? {
            id: last.id,
            createdDateTime: last.createdDateTime,
            isDeleted: !!last.deletedDateTime,
            messageType: this.messageType(c, last),
            eventDetail: last.eventDetail,
            body: last.deletedDateTime ? { contentType: last.body.contentType, content: "" } : last.body,
            from: last.fromUserId ? this.identity(last.fromUserId) : null,
          }
        : null;
    }
    return out;
  }

  private identity(userId: string): Record<string, unknown> {
    const u = this.store.user(userId);
    return { application: null, device: null, user: { "@odata.type": "#microsoft.graph.teamworkUserIdentity", id: userId, displayName: u?.displayName ?? null, userIdentityType: "aadUser", tenantId: this.store.state.tenantId } };
  }

  /** Without `Prefer: include-unknown-enum-members` system events come back as unknownFutureValue (chat-list-messages examples). */
  private messageType(c: Ctx, m: SimMessage): string {
    if (m.messageType === "message") return "message";
    return /include-unknown-enum-members/i.test(c.req.headers.prefer ?? "") ? m.messageType : "unknownFutureValue";
  }

  /**
   * $expand on chats: members and lastMessagePreview (chat-list page; chat-get gained the lastMessagePreview
   * example when the preview went GA in v1.0, microsoft-graph-docs#18721, although the chat resource page
   * still says only list chats supports it).
   */
  private parseChatExpand(c: Ctx): { members: boolean; preview: boolean } | SimResponse {
    const raw = this.opt(c, "$expand");
    const out = { members: false, preview: false };
    if (raw === null) return out;
    for (const part of raw.split(",").map((s) => s.trim()).filter(Boolean)) {
      if (part.toLowerCase() === "members") out.members = true;
      else if (part.toLowerCase() === "lastmessagepreview") out.preview = true;
      else return this.bad(c, `Parameter '${part}' is not supported in $expand. Supported values: members, lastMessagePreview.`);
    }
    return out;
  }

  private listChatsOfUser(c: Ctx): SimResponse {
    const u = this.store.user(c.params.uid);
    if (!u || u.id !== c.caller.user.id) {
      // chat-list page: with delegated permissions only the signed-in user's chats can be listed.
      return this.bad(c, "Forbidden", 403, G.forbidden);
    }
    return this.listChats(c);
  }

  /** chat-list page: $expand members/lastMessagePreview, $top <= 50, $orderby lastMessagePreview/createdDateTime desc only, $filter. */
  private listChats(c: Ctx): SimResponse {
    const rej = this.rejectOptions(c, ["$expand", "$top", "$filter", "$orderby", "$skiptoken", "$select"]);
    if (rej) return rej;
    const exp = this.parseChatExpand(c);
    if ("status" in exp) return exp;
    const top = this.parseTop(c, 50, 20);
    if (typeof top !== "number") return top;
    const orderby = this.opt(c, "$orderby");
    let byPreview = false;
    if (orderby !== null) {
      if (!/^\s*lastMessagePreview\/createdDateTime\s+desc\s*$/i.test(orderby)) {
        return this.bad(c, `The $orderby '${orderby}' is not supported. Only 'lastMessagePreview/createdDateTime desc' is supported.`);
      }
      byPreview = true;
    }
    const me = c.caller.user.id;
    let chats = this.store.chatsOf(me);
    const filter = this.opt(c, "$filter");
    if (filter !== null) {
      const pred = this.parseChatFilter(filter);
      if (typeof pred === "string") return this.bad(c, pred);
      chats = chats.filter(pred);
    }
    // The docs define no default order; answer in creation order so a client that needs recency must ask for it.
    const keyOf = (ch: SimChat): number => {
      if (!byPreview) return Date.parse(ch.createdDateTime);
      const last = this.lastMessage(ch);
      return last ? Date.parse(last.createdDateTime) : -1;
    };
    const keyed = chats.map((ch) => ({ ch, k: keyOf(ch) }));
    keyed.sort((a, b) => b.k - a.k || (a.ch.id < b.ch.id ? 1 : a.ch.id > b.ch.id ? -1 : 0));
    const cursor = this.decodeCursor(this.opt(c, "$skiptoken"));
    if (cursor === "invalid") return this.bad(c, "Invalid skip token.");
    let start = 0;
    if (cursor) {
      start = keyed.findIndex((x) => x.k < cursor.k || (x.k === cursor.k && x.ch.id < cursor.id));
      if (start < 0) start = keyed.length;
    }
    const page = keyed.slice(start, start + top);
    const sel = this.opt(c, "$select");
    const selected = sel ? new Set(sel.split(",").map((s) => s.trim().toLowerCase())) : null;
    const value = page.map(({ ch }) => {
      const json = this.chatJson(c, ch, { members: exp.members ? 25 : undefined, preview: exp.preview });
      if (!selected) return json;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(json)) {
        const base = k.split("@")[0].toLowerCase();
        if (selected.has(base) || base === "id" || (base === "members" && exp.members) || (base === "lastmessagepreview" && exp.preview)) out[k] = v;
      }
      return out;
    });
    const body: Record<string, unknown> = { "@odata.context": this.context(c, exp.members ? "chats(members())" : "chats"), "@odata.count": value.length };
    if (start + top < keyed.length) {
      const last = page[page.length - 1];
      body["@odata.nextLink"] = this.nextLink(c, this.encodeCursor(last.k, last.ch.id));
    }
    body.value = this.localUrls(c, value);
    return this.ok(body);
  }

  private encodeCursor(k: number, id: string): string {
    return base64url(JSON.stringify({ k, id }));
  }

  private decodeCursor(token: string | null): { k: number; id: string } | null | "invalid" {
    if (token === null) return null;
    try {
      const v = JSON.parse(fromBase64url(token).toString("utf8")) as { k?: number; id?: string };
      if (typeof v.k !== "number" || typeof v.id !== "string") return "invalid";
      return { k: v.k, id: v.id };
    } catch {
      return "invalid";
    }
  }

  /** Filters the chat-list examples use: chatType eq, topic eq, members/any(m: m/displayName eq '...'), joined with 'and'. */
  private parseChatFilter(src: string): ((ch: SimChat) => boolean) | string {
    const clauses = src.split(/\s+and\s+/i);
    const preds: ((ch: SimChat) => boolean)[] = [];
    for (const clause of clauses) {
      let m = /^\s*chatType\s+eq\s+'([^']*)'\s*$/i.exec(clause);
      if (m) {
        const v = m[1];
        preds.push((ch) => ch.chatType === v);
        continue;
      }
      m = /^\s*topic\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(clause);
      if (m) {
        const v = m[1].replace(/''/g, "'");
        preds.push((ch) => (ch.topic ?? "") === v);
        continue;
      }
      m = /^\s*members\/any\(\s*(\w+)\s*:\s*\1\/displayName\s+eq\s+'((?:[^']|'')*)'\s*\)\s*$/i.exec(clause);
      if (m) {
        const v = m[2].replace(/''/g, "'").toLowerCase();
        preds.push((ch) => ch.members.some((mm) => (this.store.user(mm.userId)?.displayName ?? "").toLowerCase() === v));
        continue;
      }
      return `Invalid filter clause: '${clause.trim()}' is not supported.`;
    }
    return (ch) => preds.every((p) => p(ch));
  }

  /** A chat the caller is not a member of answers 403 Forbidden (real responses in docs-contrib#2843); an unknown id 404. */
  private chatFor(c: Ctx): SimChat | SimResponse {
    const chat = this.store.chat(c.params.cid);
    if (!chat) return this.bad(c, `Chat '${c.params.cid}' was not found.`, 404, G.notFound);
    if (!this.store.isMember(chat, c.caller.user.id)) return this.bad(c, "Forbidden", 403, G.forbidden);
    return chat;
  }

  /** chat-get page: $expand=members (all of them) and lastMessagePreview. */
  private getChat(c: Ctx): SimResponse {
    const rej = this.rejectOptions(c, ["$expand", "$select"]);
    if (rej) return rej;
    const exp = this.parseChatExpand(c);
    if ("status" in exp) return exp;
    const chat = this.chatFor(c);
    if ("status" in chat) return chat;
    const json = this.localUrls(c, this.chatJson(c, chat, { members: exp.members ? chat.members.length : undefined, preview: exp.preview }));
    return this.ok({ "@odata.context": this.context(c, exp.members ? "chats(members())/$entity" : "chats/$entity"), ...json });
  }

  /** Parses "https://graph.microsoft.com/v1.0/users('id')" and ".../users/id". */
  private boundUser(bind: unknown): SimUser | null | "malformed" {
    if (typeof bind !== "string") return "malformed";
    const m = /\/users(?:\('([^']+)'\)|\/([^/?]+))\s*$/i.exec(bind);
    if (!m) return "malformed";
    return this.store.user(safeDecode(m[1] ?? m[2])) ?? null;
  }

  private validateMemberPayload(
    c: Ctx,
    m: unknown,
    oneOnOne: boolean,
  ): { user: SimUser; roles: string[]; visible?: string } | SimResponse {
    if (!m || typeof m !== "object") return this.bad(c, "Chat members cannot be null. (Parameter 'Members')");
    const o = m as Record<string, unknown>;
    const type = o["@odata.type"];
    if (type !== "#microsoft.graph.aadUserConversationMember" && type !== "microsoft.graph.aadUserConversationMember") {
      return this.bad(c, `The provided '${String(type ?? "")}' for 'odata.type' is not valid for this operation.`);
    }
    const user = this.boundUser(o["user@odata.bind"]);
    if (user === "malformed") return this.bad(c, "Invalid value for 'user@odata.bind'. Expected a URL such as https://graph.microsoft.com/v1.0/users('{id}').");
    if (!user) return this.bad(c, "The user specified in 'user@odata.bind' was not found.", 404, G.notFound);
    const roles = o.roles ?? [];
    if (!Array.isArray(roles) || roles.some((r) => typeof r !== "string")) return this.bad(c, "Roles must be a collection of strings.");
    for (const r of roles as string[]) {
      // chat-post page: each member must be assigned owner or guest; "member" is refused (teams-mcp#68 quotes the message).
      if (r !== "owner" && r !== "guest") return this.bad(c, `The passed-in role '${r}' is not supported.`);
    }
    if (oneOnOne && (roles as string[]).length === 0) return this.bad(c, "The passed-in role '' is not supported.");
    const visible = o.visibleHistoryStartDateTime;
    if (visible !== undefined && (typeof visible !== "string" || Number.isNaN(Date.parse(visible)))) {
      return this.bad(c, "Invalid value for 'visibleHistoryStartDateTime'.");
    }
    return { user, roles: roles as string[], visible: visible as string | undefined };
  }

  /** chat-post page. */
  private createChat(c: Ctx): SimResponse {
    const body = this.parseBody(c);
    if (!body) return this.badJson(c);
    const chatType = body.chatType;
    if (chatType !== "oneOnOne" && chatType !== "group") {
      return this.bad(c, `Invalid chatType '${String(chatType ?? "")}'. Possible values are: group, oneOnOne.`);
    }
    const members = body.members;
    if (!Array.isArray(members) || members.length === 0) return this.bad(c, "Chat members cannot be null. (Parameter 'Members')");
    const parsed: { user: SimUser; roles: string[] }[] = [];
    for (const m of members) {
      const p = this.validateMemberPayload(c, m, chatType === "oneOnOne");
      if ("status" in p) return p;
      if (parsed.some((x) => x.user.id === p.user.id)) return this.bad(c, `Duplicate member '${p.user.id}' in the request.`);
      parsed.push(p);
    }
    const me = c.caller.user.id;
    // chat-post page: every participant, the caller included, must be listed.
    if (!parsed.some((p) => p.user.id === me)) return this.bad(c, "The members of the chat must include the user who creates the chat.");
    const topic = body.topic;
    if (topic !== undefined && topic !== null && typeof topic !== "string") return this.bad(c, "Invalid value for 'topic'.");
    const now = this.ctx.now();
    if (chatType === "oneOnOne") {
      if (parsed.length !== 2) return this.bad(c, "A oneOnOne chat must have exactly 2 members.");
      // chat-post page: "The chat title can be provided only if the chat is of group type."
      if (topic) return this.bad(c, "Topic can only be set for group chats.");
      // chat-post page: only one oneOnOne chat exists between two people; creating it again returns it.
      const id = oneOnOneChatId(parsed[0].user.id, parsed[1].user.id);
      const existing = this.store.chat(id);
      if (existing) return this.ok({ "@odata.context": this.context(c, "chats/$entity"), ...this.chatJson(c, existing) }, 201);
      return this.addNewChat(c, id, "oneOnOne", null, parsed, now);
    }
    // chat resource page: a group chat's roster has at least two people.
    if (parsed.length < 2) return this.bad(c, "A group chat must have at least 2 members.");
    if (typeof topic === "string" && topic.length > 250) return this.bad(c, "The topic cannot be longer than 250 characters.");
    return this.addNewChat(c, groupChatId(), "group", typeof topic === "string" && topic.length ? topic : null, parsed, now);
  }

  /** Stores a chat created by POST /chats and answers 201 with it. */
  private addNewChat(c: Parameters<typeof this.chatJson>[0], id: string, chatType: "oneOnOne" | "group", topic: string | null, parsed: Array<{ user: { id: string }; roles: string[] }>, now: Date) {
    const at = now.toISOString();
    const chat: SimChat = {
      id,
      chatType,
      topic,
      createdDateTime: at,
      lastUpdatedDateTime: at,
      members: parsed.map((p) => this.store.newMember(id, p.user.id, p.roles, "0001-01-01T00:00:00Z")),
      messages: [],
      lastReadBy: {},
    };
    this.store.addChat(chat);
    this.ctx.changed();
    return this.ok({ "@odata.context": this.context(c, "chats/$entity"), ...this.chatJson(c, chat) }, 201);
  }

  /** chat-patch page: only topic; group chats only; at most 250 characters; ':' not allowed. */
  private updateChat(c: Ctx): SimResponse {
    const body = this.parseBody(c);
    if (!body) return this.badJson(c);
    const chat = this.chatFor(c);
    if ("status" in chat) return chat;
    const keys = Object.keys(body).filter((k) => !k.startsWith("@odata"));
    const other = keys.find((k) => k !== "topic");
    if (other) return this.bad(c, `The property '${other}' cannot be updated. Only 'topic' can be updated.`);
    if (!("topic" in body)) return this.bad(c, "The request body must contain 'topic'.");
    const topic = body.topic;
    if (chat.chatType !== "group") return this.bad(c, "The topic can only be set for a chat of type 'group'.");
    if (typeof topic !== "string") return this.bad(c, "Invalid value for 'topic'.");
    if (topic.length > 250) return this.bad(c, "The topic cannot be longer than 250 characters.");
    if (topic.includes(":")) return this.bad(c, "The topic cannot contain ':'.");
    const now = this.ctx.now().getTime();
    chat.topic = topic;
    chat.lastUpdatedDateTime = new Date(now).toISOString();
    this.store.eventChatRenamed(chat, c.caller.user.id, topic, now);
    this.ctx.changed();
    return this.ok({ "@odata.context": this.context(c, "chats/$entity"), ...this.chatJson(c, chat) });
  }

  private listMembers(c: Ctx): SimResponse {
    const chat = this.chatFor(c);
    if ("status" in chat) return chat;
    return this.ok({
      "@odata.context": this.context(c, `chats('${encodeURIComponent(chat.id)}')/members`),
      "@odata.count": chat.members.length,
      value: chat.members.map((m) => this.memberJson(m)),
    });
  }

  private getMember(c: Ctx): SimResponse {
    const chat = this.chatFor(c);
    if ("status" in chat) return chat;
    const m = chat.members.find((x) => x.membershipId === c.params.mid);
    if (!m) return this.bad(c, `Member '${c.params.mid}' was not found in the chat.`, 404, G.notFound);
    return this.ok({ "@odata.context": this.context(c, `chats('${encodeURIComponent(chat.id)}')/members/$entity`), ...this.memberJson(m) });
  }

  /** chat-post-members page: 201 + Location; visibleHistoryStartDateTime bounds the history the new member sees. */
  private addMember(c: Ctx): SimResponse {
    const body = this.parseBody(c);
    if (!body) return this.badJson(c);
    const chat = this.chatFor(c);
    if ("status" in chat) return chat;
    // chat resource page: a oneOnOne roster is fixed; members can't be added or removed.
    if (chat.chatType === "oneOnOne") return this.bad(c, "Members cannot be added to a oneOnOne chat.");
    const p = this.validateMemberPayload(c, body, false);
    if ("status" in p) return p;
    if (chat.members.some((m) => m.userId === p.user.id)) return this.bad(c, "The user is already a member of the chat.", 409, G.conflict);
    const now = this.ctx.now();
    // Without visibleHistoryStartDateTime the new member sees no history (example 2 on the page).
    const visible = p.visible ? new Date(Date.parse(p.visible)).toISOString().replace("0001-01-01T00:00:00.000Z", "0001-01-01T00:00:00Z") : now.toISOString();
    const member = this.store.newMember(chat.id, p.user.id, p.roles.length ? p.roles : ["owner"], visible);
    chat.members.push(member);
    chat.lastUpdatedDateTime = now.toISOString();
    this.store.memberChanged(chat, member, "created");
    this.store.eventMembersAdded(chat, c.caller.user.id, [p.user.id], now.getTime(), visible);
    this.ctx.changed();
    return { status: 201, headers: { Location: `/chats/${chat.id}/members/${member.membershipId}` } };
  }

  /** chat-delete-members page: 204. */
  private removeMember(c: Ctx): SimResponse {
    const chat = this.chatFor(c);
    if ("status" in chat) return chat;
    if (chat.chatType === "oneOnOne") return this.bad(c, "Members cannot be removed from a oneOnOne chat.");
    const idx = chat.members.findIndex((m) => m.membershipId === c.params.mid);
    if (idx < 0) return this.bad(c, `Member '${c.params.mid}' was not found in the chat.`, 404, G.notFound);
    const [removed] = chat.members.splice(idx, 1);
    const now = this.ctx.now();
    chat.lastUpdatedDateTime = now.toISOString();
    this.store.memberChanged(chat, removed, "deleted");
    this.store.eventMembersDeleted(chat, c.caller.user.id, [removed.userId], now.getTime());
    this.ctx.changed();
    return { status: 204 };
  }

  // ---------------------------------------------------------------- messages

  private messageJson(
    c: Ctx,
    m: SimMessage,
    where: { chatId: string } | { teamId: string; channelId: string; replyToId?: string },
  ): Record<string, unknown> {
    const isChannel = "teamId" in where;
    const replyToId = "replyToId" in where ? (where.replyToId ?? null) : null;
    const webUrl = isChannel
      ? `https://teams.microsoft.com/l/message/${encodeURIComponent(where.channelId)}/${m.id}?groupId=${where.teamId}&tenantId=${this.store.state.tenantId}&createdTime=${m.id}&parentMessageId=${replyToId ?? m.id}`
      : null;
    // A deleted message keeps its id, sender and times; what it said (body, mentions, attachments) is gone.
    const deleted = !!m.deletedDateTime;
    return {
      id: m.id,
      replyToId,
      etag: m.id,
      messageType: this.messageType(c, m),
      createdDateTime: m.createdDateTime,
      lastModifiedDateTime: m.lastModifiedDateTime,
      lastEditedDateTime: m.lastEditedDateTime ?? null,
      deletedDateTime: m.deletedDateTime ?? null,
      subject: m.subject,
      summary: null,
      chatId: isChannel ? null : where.chatId,
      importance: m.importance,
      locale: "en-us",
      webUrl,
      channelIdentity: isChannel ? { teamId: where.teamId, channelId: where.channelId } : null,
      policyViolation: null,
      eventDetail: m.eventDetail,
      from: m.fromUserId ? this.identity(m.fromUserId) : null,
      body: deleted ? { contentType: m.body.contentType, content: "" } : m.body,
      attachments: deleted ? [] : m.attachments,
      mentions: (deleted ? [] : m.mentions).map((x) => ({
        id: x.id,
        mentionText: x.mentionText,
        mentioned: { application: null, device: null, conversation: null, tag: null, user: { "@odata.type": "#microsoft.graph.teamworkUserIdentity", id: x.userId, displayName: this.store.user(x.userId)?.displayName ?? x.mentionText, userIdentityType: "aadUser", tenantId: this.store.state.tenantId } },
      })),
      reactions: [],
      messageHistory: [],
    };
  }

  /** chat-list-messages page: $top <= 50; $orderby lastModifiedDateTime (default) or createdDateTime, desc only; $filter rules. */
  private listChatMessages(c: Ctx): SimResponse {
    const rej = this.rejectOptions(c, ["$top", "$orderby", "$filter", "$skiptoken"]);
    if (rej) return rej;
    const top = this.parseTop(c, 50, 20);
    if (typeof top !== "number") return top;
    const chat = this.chatFor(c);
    if ("status" in chat) return chat;
    const member = chat.members.find((m) => m.userId === c.caller.user.id);
    const visibleFrom = member ? Date.parse(member.visibleHistoryStartDateTime) || 0 : 0;
    const orderby = this.opt(c, "$orderby");
    let prop: "lastModifiedDateTime" | "createdDateTime" = "lastModifiedDateTime";
    if (orderby !== null) {
      const m = /^\s*(lastModifiedDateTime|createdDateTime)(?:\s+(asc|desc))?\s*$/i.exec(orderby);
      if (!m) return this.bad(c, `The $orderby '${orderby}' is not supported. Supported: lastModifiedDateTime desc, createdDateTime desc.`);
      if ((m[2] ?? "asc").toLowerCase() !== "desc") return this.bad(c, "Ascending order is not supported for $orderby. Use 'desc'.");
      prop = m[1].toLowerCase() === "createddatetime" ? "createdDateTime" : "lastModifiedDateTime";
    }
    let msgs = chat.messages.filter((m) => Date.parse(m.createdDateTime) >= visibleFrom);
    const filter = this.opt(c, "$filter");
    if (filter !== null) {
      const f = parseMessageFilter(filter);
      if (typeof f === "string") return this.bad(c, f);
      // "You can only filter results if the request URL contains the $orderby and $filter query parameters configured
      // for the same property; otherwise, the $filter query option is ignored." (chat-list-messages page)
      if (f.every((cl) => cl.prop === prop)) {
        msgs = msgs.filter((m) => f.every((cl) => (cl.op === "gt" ? Date.parse(m[cl.prop]) > cl.value : Date.parse(m[cl.prop]) < cl.value)));
      }
    }
    return this.pageMessages(c, msgs, prop, top, { chatId: chat.id }, `chats('${encodeURIComponent(chat.id)}')/messages`);
  }

  private pageMessages(
    c: Ctx,
    msgs: SimMessage[],
    prop: "lastModifiedDateTime" | "createdDateTime",
    top: number,
    where: { chatId: string } | { teamId: string; channelId: string; replyToId?: string },
    contextPath: string,
    extra: (m: SimMessage) => Record<string, unknown> = () => ({}),
  ): SimResponse {
    const keyed = msgs.map((m) => ({ m, k: Date.parse(m[prop]), n: Number(m.id) }));
    keyed.sort((a, b) => b.k - a.k || b.n - a.n);
    const cursor = this.decodeCursor(this.opt(c, "$skiptoken"));
    if (cursor === "invalid") return this.bad(c, "Invalid skip token.");
    let start = 0;
    if (cursor) {
      const cn = Number(cursor.id);
      start = keyed.findIndex((x) => x.k < cursor.k || (x.k === cursor.k && x.n < cn));
      if (start < 0) start = keyed.length;
    }
    const page = keyed.slice(start, start + top);
    const body: Record<string, unknown> = { "@odata.context": this.context(c, contextPath), "@odata.count": page.length };
    if (start + top < keyed.length) {
      const last = page[page.length - 1];
      body["@odata.nextLink"] = this.nextLink(c, this.encodeCursor(last.k, last.m.id));
    }
    body.value = this.localUrls(c, page.map(({ m }) => ({ ...this.messageJson(c, m, where), ...extra(m) })));
    return this.ok(body);
  }

  private getChatMessage(c: Ctx): SimResponse {
    const chat = this.chatFor(c);
    if ("status" in chat) return chat;
    const member = chat.members.find((m) => m.userId === c.caller.user.id);
    const m = chat.messages.find((x) => x.id === c.params.msgid);
    if (!m || (member && Date.parse(m.createdDateTime) < (Date.parse(member.visibleHistoryStartDateTime) || 0))) {
      return this.bad(c, `Message '${c.params.msgid}' was not found.`, 404, G.notFound);
    }
    return this.ok({
      "@odata.context": this.context(c, `chats('${encodeURIComponent(chat.id)}')/messages/$entity`),
      ...this.localUrls(c, this.messageJson(c, m, { chatId: chat.id })),
    });
  }

  private hostedContent(c: Ctx, m: SimMessage | undefined): SimResponse {
    const h = m && !m.deletedDateTime ? m.hostedContents.find((x) => x.id === c.params.hid) : undefined;
    if (!h) return this.bad(c, "The requested hosted content was not found.", 404, G.notFound);
    return { status: 200, headers: { "Content-Type": h.contentType }, body: Buffer.from(h.bytes, "base64") };
  }

  private getChatHostedContent(c: Ctx): SimResponse {
    const chat = this.chatFor(c);
    if ("status" in chat) return chat;
    return this.hostedContent(c, chat.messages.find((x) => x.id === c.params.msgid));
  }

  /**
   * Validates a chatMessage payload (chatmessage-post page): body.contentType text|html, importance, mentions that
   * must each have an <at id="N"> marker, hostedContents referenced as ../hostedContents/{temporaryId}/$value, and
   * attachments whose ids must appear as <attachment id="..."> in the body.
   */
  private buildMessage(
    c: Ctx,
    urlBase: string,
  ):
    | { html: boolean; content: string; importance: SimMessage["importance"]; subject: string | null; mentions: SimMention[]; attachments: SimAttachment[]; hosted: SimHostedContent[]; hostedRefs: Map<string, string> }
    | SimResponse {
    const body = this.parseBody(c);
    if (!body) return this.badJson(c);
    const b = body.body as Record<string, unknown> | undefined;
    if (!b || typeof b !== "object") return this.bad(c, "Message body cannot be null.");
    const contentType = (b.contentType ?? "text") as string;
    if (contentType !== "text" && contentType !== "html") return this.bad(c, `Invalid value '${contentType}' for 'body.contentType'. Possible values are: text, html.`);
    if (typeof b.content !== "string") return this.bad(c, "Message body content cannot be null.");
    let content = b.content;
    const importance = (body.importance ?? "normal") as string;
    if (!["normal", "high", "urgent"].includes(importance)) return this.bad(c, `Invalid value '${importance}' for 'importance'. Possible values are: normal, high, urgent.`);
    const subject = typeof body.subject === "string" ? body.subject : null;
    const mentions: SimMention[] = [];
    const rawMentions = body.mentions ?? [];
    if (!Array.isArray(rawMentions)) return this.bad(c, "Invalid value for 'mentions'.");
    for (const rm of rawMentions) {
      const mm = rm as Record<string, unknown>;
      const id = mm?.id;
      if (typeof id !== "number" || !Number.isInteger(id)) return this.bad(c, "Mention id must be an integer.");
      const mentionText = typeof mm.mentionText === "string" ? mm.mentionText : "";
      // Message from a real response quoted in microsoft-graph-docs#8832.
      if (!new RegExp(`<at\\s+id\\s*=\\s*["']?${id}["']?\\s*>`, "i").test(content)) {
        return this.bad(c, `Body does not contain marker for mention with Id '${id}'. Add '${mentionText}' to the body.`);
      }
      const user = (mm.mentioned as { user?: { id?: string } } | undefined)?.user;
      if (!user?.id || !this.store.user(user.id)) return this.bad(c, `The mentioned user for mention with Id '${id}' was not found.`);
      mentions.push({ id, mentionText, userId: user.id });
    }
    const attachments: SimAttachment[] = [];
    const rawAtt = body.attachments ?? [];
    if (!Array.isArray(rawAtt)) return this.bad(c, "Invalid value for 'attachments'.");
    for (const ra of rawAtt) {
      const a = ra as Record<string, unknown>;
      const id = typeof a?.id === "string" ? a.id : "";
      if (!id) return this.bad(c, "Attachment id cannot be null.");
      if (!new RegExp(`<attachment\\s+id\\s*=\\s*["']${escapeRe(id)}["']`, "i").test(content)) {
        return this.bad(c, `Body does not contain marker for attachment with Id '${id}'.`);
      }
      const ct = typeof a.contentType === "string" ? a.contentType : "";
      if (ct === "reference" && (typeof a.contentUrl !== "string" || !/^https:\/\//i.test(a.contentUrl))) {
        return this.bad(c, `Attachment with Id '${id}' of contentType 'reference' must have a contentUrl.`);
      }
      attachments.push({
        id,
        contentType: ct,
        contentUrl: typeof a.contentUrl === "string" ? a.contentUrl : null,
        content: typeof a.content === "string" ? a.content : null,
        name: typeof a.name === "string" ? a.name : null,
        thumbnailUrl: typeof a.thumbnailUrl === "string" ? a.thumbnailUrl : null,
      });
    }
    const hosted: SimHostedContent[] = [];
    const hostedRefs = new Map<string, string>();
    const rawHosted = body.hostedContents ?? [];
    if (!Array.isArray(rawHosted)) return this.bad(c, "Invalid value for 'hostedContents'.");
    for (const rh of rawHosted) {
      const h = rh as Record<string, unknown>;
      const temp = h?.["@microsoft.graph.temporaryId"];
      if (typeof temp !== "string" || !temp) return this.bad(c, "Hosted content must have '@microsoft.graph.temporaryId'.");
      if (typeof h.contentBytes !== "string" || !h.contentBytes) return this.bad(c, `Hosted content '${temp}' must have contentBytes.`);
      if (!content.includes(`../hostedContents/${temp}/$value`)) {
        return this.bad(c, `Hosted content with temporary id '${temp}' is not referenced in the message body.`);
      }
      const id = base64url(`id=x_0-sim-${randomUUID()},type=1`);
      hosted.push({ id, contentType: typeof h.contentType === "string" ? h.contentType : "image/png", bytes: h.contentBytes });
      hostedRefs.set(temp, id);
    }
    if (!content.trim() && attachments.length === 0) return this.bad(c, "Message body content cannot be empty.");
    if (hosted.length && contentType !== "html") return this.bad(c, "Hosted contents require body.contentType 'html'.");
    for (const [temp, id] of hostedRefs) content = content.split(`../hostedContents/${temp}/$value`).join(`${urlBase}/hostedContents/${id}/$value`);
    return { html: contentType === "html", content, importance: importance as SimMessage["importance"], subject, mentions, attachments, hosted, hostedRefs };
  }

  /** chat-post-messages page: 201 with the new chatMessage. */
  private postChatMessage(c: Ctx): SimResponse {
    const chat = this.chatFor(c);
    if ("status" in chat) return chat;
    // Hosted-content URLs need the message id, which we only know after appending; use a marker and fix it up.
    const marker = `__SIM_MSG_${randomUUID()}__`;
    const built = this.buildMessage(c, `${GRAPH_PUBLIC_BASE}chats/${chat.id}/messages/${marker}`);
    if ("status" in built) return built;
    const now = this.ctx.now().getTime();
    const msg = this.store.appendMessage(chat, {
      fromUserId: c.caller.user.id,
      at: now,
      ...(built.html ? { html: built.content } : { text: built.content }),
      importance: built.importance,
      subject: built.subject,
      mentions: built.mentions,
      attachments: built.attachments,
      hostedContents: built.hosted,
    });
    msg.body.content = msg.body.content.split(marker).join(msg.id);
    // chat resource page: lastUpdatedDateTime tracks renames and roster changes, not messages.
    chat.lastReadBy[c.caller.user.id] = msg.createdDateTime;
    this.ctx.changed();
    return this.ok(
      {
        "@odata.context": this.context(c, `chats('${encodeURIComponent(chat.id)}')/messages/$entity`),
        ...this.localUrls(c, this.messageJson(c, msg, { chatId: chat.id })),
      },
      201,
    );
  }

  // ---------------------------------------------------------------- teams & channels

  /** user-list-joinedteams page: no OData query parameters; returns id, displayName, description, isArchived. */
  private joinedTeams(c: Ctx): SimResponse {
    for (const key of c.req.query.keys()) {
      if (key.startsWith("$")) {
        const name = OPTION_NAMES[key.toLowerCase()] ?? key.slice(1);
        return this.bad(c, `Query option '${name}' is not allowed. To allow it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or QueryValidationSettings.`);
      }
    }
    const me = c.caller.user.id;
    const value = this.store.state.teams
      .filter((t) => t.memberIds.includes(me))
      .map((t) => ({ id: t.id, displayName: t.displayName, description: t.description, isArchived: !!t.isArchived, tenantId: this.store.state.tenantId }));
    return this.ok({ "@odata.context": this.context(c, "teams"), "@odata.count": value.length, value });
  }

  /**
   * Teams' limit of 4 requests per second on one team or channel (throttling-limits page, Microsoft Teams
   * service limits), enforced only when a test turns it on (/__sim/team-limit); a 429 carries Retry-After.
   */
  private throttled(c: Ctx, key: string): SimResponse | null {
    const wait = this.ctx.faults.teamRequest(key, this.ctx.now().getTime());
    if (wait === null) return null;
    return graphError(c.err, 429, G.tooMany, "Too many requests.", { "Retry-After": String(wait) });
  }

  private teamFor(c: Ctx): SimTeam | SimResponse {
    const limited = this.throttled(c, `team:${c.params.tid.toLowerCase()}`);
    if (limited) return limited;
    const t = this.store.team(c.params.tid);
    if (!t) return this.bad(c, `No team found with Group Id ${c.params.tid}`, 404, G.notFound);
    if (!t.memberIds.includes(c.caller.user.id)) return this.bad(c, "Forbidden", 403, G.forbidden);
    return t;
  }

  /** An archived team is read-only for everyone (Teams "archive a team"): writes are refused. */
  private readOnly(c: Ctx, t: SimTeam): SimResponse | null {
    return t.isArchived ? this.bad(c, "The team is archived and read-only.", 403, G.forbidden) : null;
  }

  private canSeeChannel(ch: SimChannel, userId: string): boolean {
    return ch.membershipType === "standard" || (ch.memberIds ?? []).includes(userId);
  }

  private channelJson(t: SimTeam, ch: SimChannel): Record<string, unknown> {
    return {
      id: ch.id,
      createdDateTime: ch.createdDateTime,
      displayName: ch.displayName,
      description: ch.description,
      isFavoriteByDefault: null,
      email: "",
      tenantId: this.store.state.tenantId,
      webUrl: `https://teams.microsoft.com/l/channel/${encodeURIComponent(ch.id)}/${encodeURIComponent(ch.displayName)}?groupId=${t.id}&tenantId=${this.store.state.tenantId}`,
      membershipType: ch.membershipType,
    };
  }

  private listChannels(c: Ctx): SimResponse {
    const t = this.teamFor(c);
    if ("status" in t) return t;
    const value = t.channels.filter((ch) => this.canSeeChannel(ch, c.caller.user.id)).map((ch) => this.channelJson(t, ch));
    return this.ok({ "@odata.context": this.context(c, `teams('${t.id}')/channels`), "@odata.count": value.length, value });
  }

  /**
   * channel-post page: 201 and the channel. Teams' naming rules (Teams limits page, "Channel names"): at most
   * 50 characters; none of ~ # % & * { } + / \ : < > ? | ' " , . or control characters; not one of the
   * reserved words; not starting with _ or ., not ending with . A name already used in the team (ignoring
   * case) is refused with 400 "Channel name already existed, please use other name." (the answer real
   * clients match on).
   */
  private createChannel(c: Ctx): SimResponse {
    const t = this.teamFor(c);
    if ("status" in t) return t;
    const ro = this.readOnly(c, t);
    if (ro) return ro;
    const body = this.parseBody(c);
    if (!body) return this.badJson(c);
    const name = typeof body.displayName === "string" ? body.displayName : "";
    const type = body.membershipType === undefined ? "standard" : body.membershipType;
    if (type !== "standard") return this.bad(c, "Only standard channels can be created by the simulator.");
    const problem = channelNameProblem(name);
    if (problem) return this.bad(c, problem);
    if (t.channels.some((ch) => ch.displayName.trim().toLowerCase() === name.trim().toLowerCase())) {
      return this.bad(c, "Channel name already existed, please use other name.");
    }
    const now = this.ctx.now();
    const ch: SimChannel = {
      id: `19:${randomBytes(16).toString("hex")}@thread.tacv2`,
      displayName: name.trim(),
      description: typeof body.description === "string" ? body.description : "",
      membershipType: "standard",
      createdDateTime: now.toISOString(),
      memberIds: null,
      messages: [],
    };
    t.channels.push(ch);
    this.ctx.changed();
    return this.ok({ "@odata.context": this.context(c, `teams('${t.id}')/channels/$entity`), ...this.channelJson(t, ch) }, 201, {
      Location: `${c.req.origin}/graph/v1.0/teams('${t.id}')/channels('${encodeURIComponent(ch.id)}')`,
    });
  }

  private channelFor(c: Ctx): { t: SimTeam; ch: SimChannel } | SimResponse {
    const t = this.teamFor(c);
    if ("status" in t) return t;
    const limited = this.throttled(c, `channel:${c.params.chid}`);
    if (limited) return limited;
    const ch = t.channels.find((x) => x.id === c.params.chid);
    if (!ch) return this.bad(c, `Channel '${c.params.chid}' was not found.`, 404, G.notFound);
    if (!this.canSeeChannel(ch, c.caller.user.id)) return this.bad(c, "Forbidden", 403, G.forbidden);
    return { t, ch };
  }

  private getChannel(c: Ctx): SimResponse {
    const r = this.channelFor(c);
    if ("status" in r) return r;
    return this.ok({ "@odata.context": this.context(c, `teams('${r.t.id}')/channels/$entity`), ...this.channelJson(r.t, r.ch) });
  }

  /** channel-list-messages page: $top up to 50 (default 20), $expand=replies; replies are not listed as posts. */
  private listChannelMessages(c: Ctx): SimResponse {
    const rej = this.rejectOptions(c, ["$top", "$expand", "$skiptoken"]);
    if (rej) return rej;
    const top = this.parseTop(c, 50, 20);
    if (typeof top !== "number") return top;
    const exp = this.opt(c, "$expand");
    if (exp !== null && exp.trim().toLowerCase() !== "replies") return this.bad(c, `Parameter '${exp}' is not supported in $expand.`);
    const r = this.channelFor(c);
    if ("status" in r) return r;
    const where = { teamId: r.t.id, channelId: r.ch.id };
    return this.pageMessages(
      c,
      r.ch.messages,
      "createdDateTime",
      top,
      where,
      `teams('${r.t.id}')/channels('${encodeURIComponent(r.ch.id)}')/messages`,
      exp !== null
        ? (m) => ({
            "replies@odata.context": this.context(c, `teams('${r.t.id}')/channels('${encodeURIComponent(r.ch.id)}')/messages('${m.id}')/replies`),
            replies: this.localUrls(c, (m.replies ?? []).map((x) => this.messageJson(c, x, { ...where, replyToId: m.id }))),
          })
        : undefined,
    );
  }

  private postFor(c: Ctx): { t: SimTeam; ch: SimChannel; post: SimMessage } | SimResponse {
    const r = this.channelFor(c);
    if ("status" in r) return r;
    const post = r.ch.messages.find((m) => m.id === c.params.msgid);
    if (!post) return this.bad(c, `Message '${c.params.msgid}' was not found.`, 404, G.notFound);
    return { ...r, post };
  }

  /** chatmessage-list-replies page: $top up to 50; newest first, @odata.nextLink for more. */
  private listReplies(c: Ctx): SimResponse {
    const rej = this.rejectOptions(c, ["$top", "$skiptoken"]);
    if (rej) return rej;
    const top = this.parseTop(c, 50, 20);
    if (typeof top !== "number") return top;
    const r = this.postFor(c);
    if ("status" in r) return r;
    return this.pageMessages(
      c,
      r.post.replies ?? [],
      "createdDateTime",
      top,
      { teamId: r.t.id, channelId: r.ch.id, replyToId: r.post.id },
      `teams('${r.t.id}')/channels('${encodeURIComponent(r.ch.id)}')/messages('${r.post.id}')/replies`,
    );
  }

  private postToChannel(c: Ctx, t: SimTeam, ch: SimChannel, inReplyTo: SimMessage | null): SimResponse {
    const ro = this.readOnly(c, t);
    if (ro) return ro;
    const marker = `__SIM_MSG_${randomUUID()}__`;
    const path = inReplyTo ? `messages/${inReplyTo.id}/replies/${marker}` : `messages/${marker}`;
    const built = this.buildMessage(c, `${GRAPH_PUBLIC_BASE}teams/${t.id}/channels/${ch.id}/${path}`);
    if ("status" in built) return built;
    const container = inReplyTo ? { messages: (inReplyTo.replies ??= []) } : ch;
    const msg = this.store.appendMessage(container, {
      fromUserId: c.caller.user.id,
      at: this.ctx.now().getTime(),
      ...(built.html ? { html: built.content } : { text: built.content }),
      importance: built.importance,
      subject: inReplyTo ? null : built.subject,
      mentions: built.mentions,
      attachments: built.attachments,
      hostedContents: built.hosted,
    });
    msg.body.content = msg.body.content.split(marker).join(msg.id);
    // A reply moves its post's lastModifiedDateTime (Teams lists the thread as active again).
    if (inReplyTo) inReplyTo.lastModifiedDateTime = msg.createdDateTime;
    this.ctx.changed();
    const base = `teams('${t.id}')/channels('${encodeURIComponent(ch.id)}')/messages`;
    return this.ok(
      {
        "@odata.context": this.context(c, inReplyTo ? `${base}('${inReplyTo.id}')/replies/$entity` : `${base}/$entity`),
        ...this.localUrls(c, this.messageJson(c, msg, { teamId: t.id, channelId: ch.id, ...(inReplyTo ? { replyToId: inReplyTo.id } : {}) })),
      },
      201,
    );
  }

  /** channel-post-messages page: 201 and the chatMessage. */
  private postChannelMessage(c: Ctx): SimResponse {
    const r = this.channelFor(c);
    if ("status" in r) return r;
    return this.postToChannel(c, r.t, r.ch, null);
  }

  /** chatmessage-post-replies page: 201 and the reply (replyToId = the post). */
  private postReply(c: Ctx): SimResponse {
    const r = this.postFor(c);
    if ("status" in r) return r;
    return this.postToChannel(c, r.t, r.ch, r.post);
  }

  private getChannelHostedContent(c: Ctx): SimResponse {
    const r = this.channelFor(c);
    if ("status" in r) return r;
    return this.hostedContent(c, r.ch.messages.find((x) => x.id === c.params.msgid));
  }

  // ---------------------------------------------------------------- OneDrive

  /** `{root | items/{parent}}:/{relPath}:` in the caller's drive as path parts below the root, or OneDrive's error. */
  private drivePath(err: GraphErrorContext, me: string, parentId: string | null, relPath: string): string[] | SimResponse {
    const items = (this.store.state.driveItems ??= []);
    let base = "";
    if (parentId && parentId.toLowerCase() !== "root") {
      const parent = items.find((i) => i.id === parentId && i.ownerId === me && i.folder);
      if (!parent) return graphError(err, 404, "itemNotFound", "Item not found");
      base = parent.path;
    }
    const parts = [...base.split("/"), ...relPath.split("/")].map((p) => p.trim()).filter(Boolean);
    if (parts.length === 0) return graphError(err, 400, "invalidRequest", "Invalid request");
    const bad = parts.find((p) => /["*:<>?\\|]/.test(p));
    if (bad) return graphError(err, 400, "invalidRequest", `The provided name '${bad}' contains characters that are not allowed.`);
    return parts;
  }

  private driveItemAt(me: string, path: string): SimDriveItem | undefined {
    return (this.store.state.driveItems ?? []).find((x) => x.ownerId === me && x.path.toLowerCase() === path.toLowerCase());
  }

  /**
   * driveitem-put-content page: simple upload of up to 250 MB to the caller's OneDrive; 201 for a new file,
   * 200 when replacing; @microsoft.graph.conflictBehavior fail/rename/replace (default replace here).
   */
  private uploadFile(req: SimRequest, err: GraphErrorContext, caller: Caller, parentId: string | null, relPath: string): SimResponse {
    const parts = this.drivePath(err, caller.user.id, parentId, relPath);
    if (!Array.isArray(parts)) return parts;
    const bytes = req.raw ?? Buffer.alloc(0);
    const conflict = (req.query.get("@microsoft.graph.conflictBehavior") ?? "replace").toLowerCase();
    const mimeType = (req.headers["content-type"] ?? "application/octet-stream").split(";")[0].trim();
    return this.commitDriveItem(req.origin, err, caller.user, parts, conflict, {
      size: bytes.length,
      sha256Hash: createHash("sha256").update(bytes).digest("hex").toUpperCase(),
      mimeType,
    });
  }

  /**
   * Writes a file's metadata at `parts` (creating parent folders as OneDrive does for path-based uploads) and
   * answers with the driveItem: the one place both simple uploads and upload sessions create files, so both
   * produce the same JSON. Only metadata and a hash are kept, never the bytes.
   */
  private commitDriveItem(
    origin: string,
    err: GraphErrorContext,
    u: SimUser,
    parts: string[],
    conflict: string,
    content: { size: number; sha256Hash: string; mimeType: string },
  ): SimResponse {
    const items = (this.store.state.driveItems ??= []);
    const me = u.id;
    const now = this.ctx.now().toISOString();
    let path = parts.join("/");
    let existing = this.driveItemAt(me, path);
    if (existing && (existing.folder || conflict === "fail")) return graphError(err, 409, "nameAlreadyExists", "The specified item name already exists.");
    for (let i = 1; i < parts.length; i++) {
      const folderPath = parts.slice(0, i).join("/");
      if (!this.driveItemAt(me, folderPath)) {
        items.push({ id: driveId(), ownerId: me, path: folderPath, name: parts[i - 1], folder: true, size: 0, mimeType: null, etagGuid: randomUUID().toUpperCase(), version: 1, createdDateTime: now, lastModifiedDateTime: now });
      }
    }
    if (existing && conflict === "rename") {
      const dot = path.lastIndexOf(".");
      const stem = dot > path.lastIndexOf("/") ? path.slice(0, dot) : path;
      const ext = dot > path.lastIndexOf("/") ? path.slice(dot) : "";
      for (let n = 1; this.driveItemAt(me, path); n++) path = `${stem} ${n}${ext}`;
      existing = undefined;
    }
    let status = 201;
    let item = existing;
    if (item) {
      status = 200;
      item.version++;
      item.size = content.size;
      item.mimeType = content.mimeType;
      item.sha256Hash = content.sha256Hash;
      item.lastModifiedDateTime = now;
    } else {
      item = { id: driveId(), ownerId: me, path, name: path.split("/").pop()!, folder: false, size: content.size, mimeType: content.mimeType, etagGuid: randomUUID().toUpperCase(), version: 1, createdDateTime: now, lastModifiedDateTime: now, sha256Hash: content.sha256Hash };
      items.push(item);
    }
    this.ctx.changed();
    const personal = `https://contososupport-my.sharepoint.com/personal/${u.userPrincipalName.replace(/[@.]/g, "_")}/Documents`;
    const parentPath = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
    const who = { user: { email: u.mail, id: u.id, displayName: u.displayName } };
    return {
      status,
      body: {
        "@odata.context": `${origin}/graph/v1.0/$metadata#drives('b!sim')/items/$entity`,
        createdDateTime: item.createdDateTime,
        eTag: `"{${item.etagGuid}},${item.version}"`,
        id: item.id,
        lastModifiedDateTime: item.lastModifiedDateTime,
        name: item.name,
        webUrl: `${personal}/${path.split("/").map(encodeURIComponent).join("/")}`,
        cTag: `"c:{${item.etagGuid}},${item.version}"`,
        size: item.size,
        createdBy: who,
        lastModifiedBy: who,
        parentReference: { driveType: "business", driveId: "b!sim", id: "root", path: `/drive/root:${parentPath ? `/${parentPath}` : ""}` },
        file: { mimeType: item.mimeType, hashes: { sha256Hash: item.sha256Hash ?? null } },
        fileSystemInfo: { createdDateTime: item.createdDateTime, lastModifiedDateTime: item.lastModifiedDateTime },
      },
    };
  }

  /**
   * driveitem-createuploadsession page: POST {parent}:/{name}:/createUploadSession answers an uploadSession whose
   * uploadUrl is pre-authenticated. conflictBehavior defaults to fail for sessions; a name in the body must be
   * the one in the path; fileSize, when given, fixes the total every fragment must declare. deferCommit is not
   * simulated (refused, so a client that relies on it notices).
   */
  private createUploadSession(req: SimRequest, err: GraphErrorContext, caller: Caller, parentId: string | null, relPath: string): SimResponse {
    const parts = this.drivePath(err, caller.user.id, parentId, relPath);
    if (!Array.isArray(parts)) return parts;
    let body: Record<string, unknown> = {};
    if (req.bodyText.trim()) {
      if (!req.body || typeof req.body !== "object" || Array.isArray(req.body)) return graphError(err, 400, "invalidRequest", "Invalid request body.");
      body = req.body as Record<string, unknown>;
    }
    const item = body.item ?? {};
    if (!item || typeof item !== "object" || Array.isArray(item)) return graphError(err, 400, "invalidRequest", "Invalid value for 'item'.");
    const props = item as Record<string, unknown>;
    const conflict = String(props["@microsoft.graph.conflictBehavior"] ?? "fail").toLowerCase();
    if (!["fail", "replace", "rename"].includes(conflict)) return graphError(err, 400, "invalidRequest", `Invalid conflict behavior '${conflict}'.`);
    const name = parts[parts.length - 1];
    if (props.name !== undefined && props.name !== name) return graphError(err, 400, "invalidRequest", "The name in the request body must match the name in the request path.");
    if (body.deferCommit === true) return graphError(err, 400, "notSupported", "deferCommit is not supported by the simulator.");
    const fileSize = props.fileSize;
    if (fileSize !== undefined && (typeof fileSize !== "number" || !Number.isInteger(fileSize) || fileSize < 0)) return graphError(err, 400, "invalidRequest", "Invalid value for 'fileSize'.");
    const existing = this.driveItemAt(caller.user.id, parts.join("/"));
    if (existing && (existing.folder || conflict === "fail")) return graphError(err, 409, "nameAlreadyExists", "The specified item name already exists.");
    const token = base64url(randomBytes(24));
    const session: UploadSession = {
      ownerId: caller.user.id,
      parts,
      conflict,
      total: typeof fileSize === "number" ? fileSize : null,
      received: 0,
      hash: createHash("sha256"),
      mimeType: mimeTypeFor(name),
      expires: this.ctx.now().getTime() + UPLOAD_SESSION_TTL_MS,
    };
    this.uploads.set(token, session);
    return this.ok(
      {
        "@odata.context": `${req.origin}/graph/v1.0/$metadata#microsoft.graph.uploadSession`,
        uploadUrl: `${req.origin}${UPLOAD_PATH}${token}`,
        expirationDateTime: new Date(session.expires).toISOString(),
        nextExpectedRanges: ["0-"],
      },
      200,
    );
  }

  /**
   * Entry point for requests to an uploadUrl (`/upload/{token}` on the simulator's origin, outside /graph/v1.0).
   * Fault injection sees them as service "graph" with the path "/upload/{token}", and they are logged as such.
   */
  async dispatchUpload(req: SimRequest): Promise<SimResponse> {
    const requestId = randomUUID();
    const err: GraphErrorContext = { requestId, clientRequestId: req.headers["client-request-id"] ?? requestId, now: this.ctx.now() };
    const full = `${req.path}${req.rawQuery ? `?${req.rawQuery}` : ""}`;
    const token = req.path.startsWith(UPLOAD_PATH) ? req.path.slice(UPLOAD_PATH.length) : "";
    const owner = this.uploads.get(token)?.ownerId;
    let res: SimResponse;
    try {
      const fault = this.ctx.faults.take("graph", req.method, full);
      if (fault?.latencyMs) await sleep(fault.latencyMs);
      res = fault?.status ? this.faultResponse(err, fault.status, fault.retryAfter, fault.body) : this.uploadRequest(req, err, token);
    } catch (e) {
      res = graphError(err, 500, G.internal, `Simulator error: ${(e as Error).message}`);
    }
    this.ctx.log({ service: "graph", method: req.method, path: full, status: res.status, caller: owner ? (this.store.user(owner)?.userPrincipalName ?? null) : null });
    res.headers = {
      "request-id": requestId,
      "client-request-id": err.clientRequestId,
      "Cache-Control": "no-cache",
      ...(res.body !== undefined ? { "Content-Type": "application/json" } : {}),
      ...(res.headers ?? {}),
    };
    return res;
  }

  private uploadRequest(req: SimRequest, err: GraphErrorContext, token: string): SimResponse {
    // The URL carries its own authorisation. The docs warn a bearer token on the PUT may be refused; the simulator
    // refuses it on every method so a client that would leak its Graph token to the upload host is caught.
    if (req.headers.authorization) {
      return graphError(err, 401, "unauthenticated", "The upload URL is pre-authenticated: do not send an Authorization header.");
    }
    const session = this.uploads.get(token);
    const nowMs = this.ctx.now().getTime();
    if (!session || session.expires <= nowMs || !this.store.user(session.ownerId)?.accountEnabled) {
      if (session) this.uploads.delete(token);
      return graphError(err, 404, "itemNotFound", "The upload session was not found or has expired.");
    }
    const status = () => ({ expirationDateTime: new Date(session.expires).toISOString(), nextExpectedRanges: session.total !== null && session.received >= session.total ? [] : [`${session.received}-`] });
    switch (req.method) {
      case "GET":
        return this.ok(status());
      case "DELETE":
        this.uploads.delete(token);
        return { status: 204 };
      case "PUT":
        break;
      default:
        return graphError(err, 405, "invalidRequest", "Specified HTTP method is not allowed for the request target.");
    }
    const bytes = req.raw ?? Buffer.alloc(0);
    if (bytes.length > MAX_FRAGMENT) return graphError(err, 413, "requestTooLarge", "A fragment must be smaller than 60 MiB.");
    const range = /^\s*bytes\s+(\d+)-(\d+)\/(\d+)\s*$/i.exec(req.headers["content-range"] ?? "");
    if (!range) return graphError(err, 400, "invalidRequest", "The Content-Range header is missing or malformed.");
    const [start, end, total] = [Number(range[1]), Number(range[2]), Number(range[3])];
    if (end < start || end >= total) return graphError(err, 400, "invalidRange", "The Content-Range header is not valid.");
    if (bytes.length !== end - start + 1) return graphError(err, 400, "invalidRequest", "The Content-Range header length does not match the provided number of bytes.");
    if (session.total !== null && total !== session.total) {
      return graphError(err, 400, "invalidRequest", `The declared file size ${total} differs from the size ${session.total} declared before.`);
    }
    if (start !== session.received) {
      const why = start < session.received ? "overlaps with data that has already been received" : "does not start where the received data ends";
      return graphError(err, 416, "invalidRange", `The uploaded fragment ${why}. Next expected range: ${session.received}-.`);
    }
    const last = end + 1 === total;
    if (!last && bytes.length % FRAGMENT_MULTIPLE !== 0) {
      return graphError(err, 400, "invalidRequest", "Fragments other than the last must be a multiple of 320 KiB (327,680 bytes).");
    }
    session.total = total;
    session.received = end + 1;
    session.hash.update(bytes);
    session.expires = nowMs + UPLOAD_SESSION_TTL_MS;
    if (!last) return this.ok(status(), 202);
    const owner = this.store.user(session.ownerId)!;
    const res = this.commitDriveItem(req.origin, err, owner, session.parts, session.conflict, {
      size: total,
      sha256Hash: session.hash.digest("hex").toUpperCase(),
      mimeType: session.mimeType,
    });
    // Redirecting a session that clashed at the end (a PUT with new metadata) is not simulated: it ends either way.
    this.uploads.delete(token);
    return res;
  }

  // ---------------------------------------------------------------- $batch

  /** json-batching page: at most 20 requests, unique ids, dependsOn ordering, 424 for failed dependencies. */
  private async batch(req: SimRequest, err: GraphErrorContext): Promise<SimResponse> {
    const body = req.body as { requests?: unknown } | undefined;
    if (!body || typeof body !== "object" || !Array.isArray(body.requests)) {
      return graphError(err, 400, G.badRequest, "Invalid batch payload format.");
    }
    const requests = body.requests as Record<string, unknown>[];
    if (requests.length === 0) return graphError(err, 400, G.badRequest, "Invalid batch payload format.");
    if (requests.length > MAX_BATCH) {
      return graphError(err, 400, G.badRequest, `The number of requests in the batch (${requests.length}) exceeds the limit of ${MAX_BATCH}.`);
    }
    const ids = new Set<string>();
    for (const r of requests) {
      if (!r || typeof r !== "object" || typeof r.id !== "string" || typeof r.method !== "string" || typeof r.url !== "string") {
        return graphError(err, 400, G.badRequest, "Invalid batch payload format.");
      }
      if (ids.has(r.id)) return graphError(err, 400, G.badRequest, `Batch request contains duplicate id '${r.id}'.`);
      ids.add(r.id);
    }
    for (const r of requests) {
      const deps = r.dependsOn;
      if (deps !== undefined && (!Array.isArray(deps) || deps.some((d) => typeof d !== "string" || !ids.has(d) || d === r.id))) {
        return graphError(err, 400, G.badRequest, `Request '${String(r.id)}' depends on an unknown request.`);
      }
    }
    const results = new Map<string, SimResponse & { id: string }>();
    const order: string[] = [];
    const pending = new Set(requests.map((r) => r.id as string));
    while (pending.size) {
      const ready = requests.filter(
        (r) => pending.has(r.id as string) && ((r.dependsOn as string[] | undefined) ?? []).every((d) => results.has(d)),
      );
      if (ready.length === 0) return graphError(err, 400, G.badRequest, "Batch request contains a dependency cycle.");
      for (const r of ready) {
        const id = r.id as string;
        pending.delete(id);
        order.push(id);
        const failedDep = ((r.dependsOn as string[] | undefined) ?? []).find((d) => (results.get(d)?.status ?? 200) >= 400);
        if (failedDep) {
          results.set(id, { id, ...graphError({ ...err, requestId: randomUUID() }, 424, G.failedDependency, `Dependent request '${failedDep}' failed.`) });
          continue;
        }
        const sub = await this.runSub(req, r);
        results.set(id, { id, ...sub });
      }
    }
    const batchLog = order.map((id) => {
      const r = requests.find((x) => x.id === id)!;
      const url = String(r.url);
      return { id, method: String(r.method).toUpperCase(), path: `/graph/v1.0${url.startsWith("/") ? url : `/${url}`}`, status: results.get(id)!.status };
    });
    const responses = order.map((id) => {
      const r = results.get(id)!;
      const headers = { ...(r.headers ?? {}) };
      const out: Record<string, unknown> = { id, status: r.status, headers };
      if (Buffer.isBuffer(r.body)) out.body = r.body.toString("base64");
      else if (r.body !== undefined) out.body = r.body;
      return out;
    });
    return { status: 200, body: { responses }, batchLog };
  }

  private async runSub(outer: SimRequest, r: Record<string, unknown>): Promise<SimResponse> {
    const url = String(r.url);
    const rel = url.startsWith("/") ? url : `/${url}`;
    const qi = rel.indexOf("?");
    const path = qi >= 0 ? rel.slice(0, qi) : rel;
    const rawQuery = qi >= 0 ? rel.slice(qi + 1) : "";
    const subHeaders: Record<string, string> = {};
    for (const [k, v] of Object.entries((r.headers as Record<string, string> | undefined) ?? {})) subHeaders[k.toLowerCase()] = String(v);
    const headers: Record<string, string> = { ...subHeaders };
    if (outer.headers.authorization) headers.authorization = outer.headers.authorization;
    if (outer.headers.prefer && !headers.prefer) headers.prefer = outer.headers.prefer;
    const sub: SimRequest = {
      method: String(r.method).toUpperCase(),
      path,
      query: new URLSearchParams(rawQuery),
      rawQuery,
      headers,
      body: r.body,
      bodyText: r.body === undefined ? "" : JSON.stringify(r.body),
      origin: outer.origin,
    };
    return this.dispatch(sub, true);
  }
}

// ---------------------------------------------------------------- free helpers

function matchSegs(pattern: string[], segs: string[]): Record<string, string> | null {
  if (pattern.length !== segs.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i].startsWith(":")) params[pattern[i].slice(1)] = segs[i];
    else if (pattern[i].toLowerCase() !== segs[i].toLowerCase()) return null;
  }
  return params;
}

const MIME_TYPES: Record<string, string> = {
  pdf: "application/pdf",
  txt: "text/plain",
  csv: "text/csv",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  zip: "application/zip",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  mp4: "video/mp4",
};

/** Fragments carry no Content-Type of the file, so a session's file type follows its name, as OneDrive's does. */
function mimeTypeFor(name: string): string {
  const dot = name.lastIndexOf(".");
  return (dot >= 0 && MIME_TYPES[name.slice(dot + 1).toLowerCase()]) || "application/octet-stream";
}

/** OneDrive item ids look like "01BYE5RZ..." (34 upper-case base32 characters). */
function driveId(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let s = "01";
  for (const b of randomUUID().replace(/-/g, "").slice(0, 32)) s += alphabet[parseInt(b, 16) * 2];
  return s;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Directory $search is tokenised: a term matches the start of any word. */
function tokenMatch(value: string, term: string): boolean {
  const t = term.trim().toLowerCase();
  if (!t) return true;
  return value
    .toLowerCase()
    .split(/[\s.@_-]+/)
    .some((w) => w.startsWith(t)) || value.toLowerCase().startsWith(t);
}

function userProp(u: SimUser, prop: string): unknown {
  const key = Object.keys(u).find((k) => k.toLowerCase() === prop.toLowerCase()) as keyof SimUser | undefined;
  return key ? u[key] : "";
}

function parseUserFilter(src: string): ((u: SimUser) => boolean) | string {
  const preds: ((u: SimUser) => boolean)[] = [];
  for (const clause of src.split(/\s+and\s+/i)) {
    let m = /^\s*accountEnabled\s+eq\s+(true|false)\s*$/i.exec(clause);
    if (m) {
      const v = m[1].toLowerCase() === "true";
      preds.push((u) => u.accountEnabled === v);
      continue;
    }
    m = /^\s*startswith\(\s*(displayName|mail|userPrincipalName|givenName|surname)\s*,\s*'((?:[^']|'')*)'\s*\)\s*$/i.exec(clause);
    if (m) {
      const prop = m[1];
      const v = m[2].replace(/''/g, "'").toLowerCase();
      preds.push((u) => String(userProp(u, prop)).toLowerCase().startsWith(v));
      continue;
    }
    m = /^\s*(id|mail|userPrincipalName|displayName)\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(clause);
    if (m) {
      const prop = m[1];
      const v = m[2].replace(/''/g, "'").toLowerCase();
      preds.push((u) => String(userProp(u, prop)).toLowerCase() === v);
      continue;
    }
    const prop = /^\s*(?:startswith\(\s*)?(\w+)/.exec(clause)?.[1] ?? clause;
    return `Unsupported or invalid query filter clause specified for property '${prop}' of resource 'User'.`;
  }
  return (u) => preds.every((p) => p(u));
}

interface MessageFilterClause {
  prop: "lastModifiedDateTime" | "createdDateTime";
  op: "gt" | "lt";
  value: number;
}

const OP_KIND: Record<string, string> = { eq: "Equal", ne: "NotEqual", gt: "GreaterThan", ge: "GreaterThanOrEqual", lt: "LessThan", le: "LessThanOrEqual" };

/** lastModifiedDateTime supports gt and lt, createdDateTime only lt (chat-list-messages page; wording from docs#20146). */
function parseMessageFilter(src: string): MessageFilterClause[] | string {
  const out: MessageFilterClause[] = [];
  for (const clause of src.split(/\s+and\s+/i)) {
    const m = /^\s*(\w+)\s+(\w+)\s+'?([^'\s]+)'?\s*$/.exec(clause);
    if (!m) return `Invalid $filter query.`;
    const [, rawProp, rawOp, rawVal] = m;
    const prop = rawProp.toLowerCase() === "lastmodifieddatetime" ? "lastModifiedDateTime" : rawProp.toLowerCase() === "createddatetime" ? "createdDateTime" : null;
    const op = rawOp.toLowerCase();
    if (!(op in OP_KIND)) return `Invalid $filter query.`;
    const allowed = prop === "lastModifiedDateTime" ? ["gt", "lt"] : prop === "createdDateTime" ? ["lt"] : [];
    if (!prop || !allowed.includes(op)) {
      return `The entity property '${rawProp}' and operationKind '${OP_KIND[op]}' is not allowed in $filter query.`;
    }
    const value = Date.parse(rawVal);
    if (Number.isNaN(value)) return `Invalid $filter query.`;
    out.push({ prop, op: op as "gt" | "lt", value });
  }
  return out;
}

const CHANNEL_NAME_MAX = 50;
const CHANNEL_FORBIDDEN = /[~#%&*{}+/\\:<>?|'",.\u0000-\u001f\u0080-\u009f]/;
const CHANNEL_RESERVED = /^(forms|con|conin\$|conout\$|prn|aux|nul|com[1-9]|lpt[1-9]|desktop\.ini)$/i;

/** Teams' channel-name rules (Teams limits and specifications page, "Channel names"); null when the name is fine. */
export function channelNameProblem(name: string): string | null {
  const n = name.trim();
  if (!n) return "Channel name cannot be empty.";
  if (n.length > CHANNEL_NAME_MAX) return `Channel name cannot be longer than ${CHANNEL_NAME_MAX} characters.`;
  if (CHANNEL_RESERVED.test(n) || /_vti_/i.test(n)) return "Channel name contains a reserved word.";
  if (/^[_.]/.test(n) || n.endsWith(".")) return "Channel name cannot start with an underscore or period, or end with a period.";
  if (CHANNEL_FORBIDDEN.test(n)) return "Channel name contains characters that are not allowed.";
  return null;
}
