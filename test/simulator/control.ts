/**
 * /__sim/* control routes for the harness and tests: tokens, the demo directory,
 * the request log, fault injection, reset, bulk data and "incoming" messages.
 */
import type { EntraService } from "./entra";
import { DEFAULT_SCOPES, type RequestLogEntry } from "./graph";
import type { LifecycleEvent, SubscriptionService } from "./graph-subscriptions";
import type { FaultRegistry, FaultSpec } from "./faults";
import { TABLE_BY_NAME } from "./schema";
import { type SimChat, type SimStore, groupChatId, oneOnOneChatId } from "./state";
import { GRAPH_AUDIENCE, type TokenService } from "./tokens";
import { type SimRequest, type SimResponse, escapeHtml, guidFrom, pick, prng } from "./util";

export interface ControlDeps {
  store: SimStore;
  tokens: TokenService;
  faults: FaultRegistry;
  now: () => Date;
  requests: () => RequestLogEntry[];
  clearRequests: () => void;
  reset: (seed: "demo" | "empty") => void;
  changed: () => void;
  entra?: EntraService;
  subscriptions?: SubscriptionService;
}

function json(status: number, body: unknown): SimResponse {
  return { status, body };
}

function badInput(message: string): SimResponse {
  return json(400, { error: "bad_request", message });
}

export class ControlApi {
  constructor(private readonly d: ControlDeps) {}

  dispatch(req: SimRequest): SimResponse {
    const route = `${req.method} ${req.path.replace(/\/+$/, "")}`;
    const body = (req.body && typeof req.body === "object" ? req.body : {}) as Record<string, unknown>;
    const sub = /^(POST) \/subscriptions\/([^/]+)\/(lifecycle|expire)$/.exec(route);
    if (sub) return this.subscriptionAction(decodeURIComponent(sub[2]), sub[3], body);
    switch (route) {
      case "GET /subscriptions":
        return json(200, { subscriptions: this.d.subscriptions?.all() ?? [] });
      case "DELETE /subscriptions":
        this.d.subscriptions?.clear();
        return { status: 204 };
      case "GET /deliveries":
        return json(200, { deliveries: this.d.subscriptions?.deliveryLog() ?? [] });
      case "DELETE /deliveries":
        this.d.subscriptions?.clearDeliveries();
        return { status: 204 };
      case "GET /apps":
        return json(200, { apps: this.d.entra?.listApps() ?? [] });
      case "POST /apps": {
        if (!this.d.entra) return json(404, { error: "not_found", message: "no Entra simulator" });
        if (typeof body.clientId !== "string" || typeof body.clientSecret !== "string" || !body.clientId || !body.clientSecret) return badInput("clientId and clientSecret are required");
        if (body.roles !== undefined && (!Array.isArray(body.roles) || body.roles.some((r) => typeof r !== "string"))) return badInput("roles must be an array of strings");
        const app = this.d.entra.registerApp({ clientId: body.clientId, clientSecret: body.clientSecret, ...(body.roles ? { roles: body.roles as string[] } : {}) });
        return json(201, app);
      }
      case "POST /edit-message":
      case "POST /delete-message":
        return this.changeMessage(route === "POST /edit-message", body);
      case "POST /token":
        return this.token(req, body);
      case "GET /directory":
        return json(200, this.directory());
      case "GET /requests":
        return json(200, { requests: this.d.requests() });
      case "DELETE /requests":
        this.d.clearRequests();
        return { status: 204 };
      case "GET /faults":
        return json(200, { faults: this.d.faults.list() });
      case "POST /faults":
        try {
          const f = this.d.faults.add(body as unknown as FaultSpec);
          return json(201, { id: f.id });
        } catch (e) {
          return badInput((e as Error).message);
        }
      case "DELETE /faults":
        this.d.faults.clear();
        return { status: 204 };
      case "POST /team-limit": {
        const n = body.perSecond ?? 4;
        if (n !== null && (typeof n !== "number" || !Number.isInteger(n) || n < 1)) return badInput("perSecond must be a positive integer or null");
        this.d.faults.teamLimitPerSecond = n as number | null;
        return json(200, { perSecond: n });
      }
      case "POST /reset": {
        const seed = body.seed ?? "demo";
        if (seed !== "demo" && seed !== "empty") return badInput("seed must be 'demo' or 'empty'");
        this.d.reset(seed);
        return json(200, { seed });
      }
      case "POST /expire-tokens": {
        // Every token issued so far now fails Graph's lifetime check, as an expired one would.
        const at = Math.floor(this.d.now().getTime() / 1000) + 1;
        this.d.tokens.expireIssuedBefore(at);
        return json(200, { expiredBefore: at });
      }
      case "POST /bulk-chats":
        return this.bulkChats(body);
      case "POST /send-as":
        return this.sendAs(body);
      case "POST /bulk-messages":
        return this.bulkMessages(body);
      default:
        return json(404, { error: "not_found", message: `No control route ${route}` });
    }
  }

  private token(req: SimRequest, body: Record<string, unknown>): SimResponse {
    if (typeof body.user !== "string") return badInput("user (systemuserid, aadObjectId or upn) is required");
    const u = this.d.store.anyUser(body.user);
    if (!u) return badInput(`unknown user '${body.user}'`);
    if (!u.accountEnabled) {
      // What Entra ID answers for a disabled account.
      return json(400, { error: "invalid_grant", error_description: "AADSTS50057: The user account is disabled." });
    }
    const scopes = Array.isArray(body.scopes) ? body.scopes.map(String) : DEFAULT_SCOPES;
    const ttl = typeof body.ttlSeconds === "number" ? body.ttlSeconds : 3600;
    const api = scopes.map((sc) => /^api:\/\/([^/]+)\/([^/]+)$/.exec(sc)).find((m) => m);
    if (api) {
      // A user token for the relay's API (relay/PROTOCOL.md §1), RS256 from the simulated Entra ID.
      const app = this.d.entra?.app(api[1]);
      if (!app) return json(400, { error: "invalid_resource", error_description: `AADSTS500011: The resource principal named api://${api[1]} was not found in the tenant.` });
      if (api[2] !== "access_as_user" || scopes.some((sc) => sc !== api[0] && !["openid", "profile", "offline_access", "email"].includes(sc))) {
        return json(400, { error: "invalid_scope", error_description: `AADSTS70011: The provided value for the input parameter 'scope' is not valid. Only api://${api[1]}/access_as_user can be combined with OpenID scopes.` });
      }
      const { token, iat } = this.d.entra!.signRelayApiToken(req.origin, u, app.clientId, ttl);
      return json(200, { access_token: token, token_type: "Bearer", expires_in: ttl, expires_on: iat + ttl, scope: api[0] });
    }
    const iat = Math.floor(this.d.now().getTime() / 1000);
    const access_token = this.d.tokens.sign({
      aud: GRAPH_AUDIENCE,
      iss: `${req.origin}/sim`,
      oid: u.id,
      tid: this.d.store.state.tenantId,
      upn: u.userPrincipalName,
      name: u.displayName,
      scp: scopes.join(" "),
      iat,
      nbf: iat,
      exp: iat + ttl,
      ver: "1.0",
      appid: "00000000-0000-0000-0000-00000000c0de",
    });
    return json(200, { access_token, token_type: "Bearer", expires_in: ttl, expires_on: iat + ttl, scope: scopes.join(" ") });
  }

  private subscriptionAction(id: string, action: string, body: Record<string, unknown>): SimResponse {
    const subs = this.d.subscriptions;
    if (!subs) return json(404, { error: "not_found", message: "no subscriptions service" });
    if (action === "expire") return subs.expire(id) ? { status: 204 } : json(404, { error: "not_found", message: `no subscription '${id}'` });
    const event = body.event;
    if (event !== "reauthorizationRequired" && event !== "subscriptionRemoved" && event !== "missed") return badInput("event must be reauthorizationRequired, subscriptionRemoved or missed");
    const r = subs.fireLifecycle(id, event as LifecycleEvent);
    if (!r.ok) return json(r.reason.startsWith("no subscription") ? 404 : 400, { error: "bad_request", message: r.reason });
    return json(202, { subscriptionId: id, event });
  }

  /** A colleague edits or deletes their message in Teams (drives "updated"/"deleted" change notifications). */
  private changeMessage(edit: boolean, body: Record<string, unknown>): SimResponse {
    const store = this.d.store;
    if (typeof body.chatId !== "string" || typeof body.messageId !== "string") return badInput("chatId and messageId are required");
    const chat = store.chat(body.chatId);
    if (!chat) return json(404, { error: "not_found", message: "no such chat" });
    const msg = chat.messages.find((m) => m.id === body.messageId);
    if (!msg) return json(404, { error: "not_found", message: "no such message" });
    if (msg.deletedDateTime) return json(409, { error: "conflict", message: "the message is deleted" });
    const at = Math.max(this.d.now().getTime(), Date.parse(msg.lastModifiedDateTime) + 1);
    if (edit) {
      if (typeof body.html !== "string") return badInput("html is required");
      store.editMessage(msg, body.html, at, chat);
    } else {
      store.deleteMessage(msg, at, chat);
    }
    this.d.changed();
    return json(200, { chatId: chat.id, id: msg.id, lastModifiedDateTime: msg.lastModifiedDateTime });
  }

  directory(): { users: unknown[]; records: unknown[] } {
    const s = this.d.store.state;
    const users = s.users.map((u) => ({
      systemuserid: u.systemuserid,
      aadObjectId: u.id,
      fullname: u.displayName,
      upn: u.userPrincipalName,
      email: u.mail,
      title: u.jobTitle,
      isdisabled: !u.accountEnabled,
      isSupervisor: u.isSupervisor,
      orgDelete: s.chatLinkOrgDeleters.some((x) => x.toLowerCase() === u.systemuserid.toLowerCase()),
    }));
    const records: { table: string; id: string; name: string }[] = [];
    for (const table of ["incident", "account", "contact"]) {
      const t = TABLE_BY_NAME.get(table)!;
      const rows = Object.values(s.dataverse[table] ?? {});
      // Active cases first: those are the ones a harness user opens.
      const sorted = table === "incident" ? rows.filter((r) => r.statecode === 0).concat(rows.filter((r) => r.statecode !== 0)) : rows;
      for (const r of sorted) records.push({ table, id: String(r[t.primaryId]), name: String(r[t.primaryName] ?? "") });
    }
    return { users, records };
  }

  /** Many chats at once (list virtualisation, paging and benchmarks); deterministic for a given state. */
  private bulkChats(body: Record<string, unknown>): SimResponse {
    const store = this.d.store;
    const user = typeof body.user === "string" ? store.anyUser(body.user) : undefined;
    if (!user) return badInput("user is required and must exist");
    const count = Number(body.count);
    if (!Number.isInteger(count) || count < 1 || count > 100000) return badInput("count must be an integer between 1 and 100000");
    const linkEvery = body.linkEvery === undefined ? 1 : Number(body.linkEvery);
    const linked = body.linkedTo as { table?: string; id?: string } | undefined;
    if (linked && (typeof linked.table !== "string" || typeof linked.id !== "string")) return badInput("linkedTo needs {table, id}");
    if (!Number.isInteger(linkEvery) || linkEvery < 1) return badInput("linkEvery must be a positive integer");
    const s = store.state;
    const rand = prng(0x5eed + s.bulkCounter);
    const others = s.users.filter((u) => u.accountEnabled && u.id !== user.id);
    if (others.length < 2) return badInput("need at least two other enabled users");
    const haveOneOnOne = new Set(
      store
        .chatsOf(user.id)
        .filter((c) => c.chatType === "oneOnOne")
        .flatMap((c) => c.members.map((m) => m.userId)),
    );
    const topics = ["Escalation follow-up", "Shift swap", "Quarterly review prep", "Customer callback", "Parts order", "Firmware rollout", "Invoice dispute", "Onsite visit", null];
    const lines = [
      "Can you take a look when you have a minute?",
      "Customer confirmed the fix works 👍",
      "I've attached the logs to the case.",
      "Let's sync after the standup.",
      "Waiting on the vendor for an ETA.",
      "<p>Quick one: is the <b>loaner unit</b> still available?</p>",
    ];
    const nowMs = this.d.now().getTime();
    const ids: string[] = [];
    let links = 0;
    const linkRows = store.table("tcp_chatlink");
    for (let i = 0; i < count; i++) {
      const n = s.bulkCounter + i;
      const created = nowMs - (n + 1) * 7 * 60_000 - Math.floor(rand() * 60_000);
      let chat: SimChat;
      const partner = others.find((o) => !haveOneOnOne.has(o.id));
      if (i % 7 === 3 && partner) {
        haveOneOnOne.add(partner.id);
        const id = oneOnOneChatId(user.id, partner.id);
        chat = {
          id,
          chatType: "oneOnOne",
          topic: null,
          createdDateTime: new Date(created).toISOString(),
          lastUpdatedDateTime: new Date(created).toISOString(),
          members: [user, partner].map((u) => store.newMember(id, u.id, ["owner"], "0001-01-01T00:00:00Z")),
          messages: [],
          lastReadBy: {},
        };
      } else {
        const a = pick(rand, others);
        let b = pick(rand, others);
        while (b.id === a.id) b = pick(rand, others);
        const id = groupChatId(guidFrom(rand).replace(/-/g, ""));
        const topic = pick(rand, topics);
        chat = {
          id,
          chatType: "group",
          topic: topic ? `${topic} #${n + 1}` : null,
          createdDateTime: new Date(created).toISOString(),
          lastUpdatedDateTime: new Date(created).toISOString(),
          members: [user, a, b].map((u) => store.newMember(id, u.id, ["owner"], "0001-01-01T00:00:00Z")),
          messages: [],
          lastReadBy: {},
        };
      }
      const from = pick(rand, chat.members).userId;
      const line = pick(rand, lines);
      store.appendMessage(chat, { fromUserId: from, at: created + 90_000, ...(line.startsWith("<") ? { html: line } : { text: line }) });
      store.addChat(chat);
      ids.push(chat.id);
      if (linked && i % linkEvery === 0) {
        const rowId = guidFrom(rand);
        const at = new Date(created + 120_000).toISOString();
        linkRows[rowId] = {
          tcp_chatlinkid: rowId,
          tcp_name: `${linked.table} ${linked.id}`,
          tcp_kind: 100000000,
          tcp_chatid: chat.id,
          tcp_teamid: null,
          tcp_regardingtable: linked.table,
          tcp_regardingid: linked.id,
          statecode: 0,
          statuscode: 1,
          _ownerid_value: user.systemuserid,
          __lk_ownerid: "systemuser",
          _createdby_value: user.systemuserid,
          __lk_createdby: "systemuser",
          _modifiedby_value: user.systemuserid,
          __lk_modifiedby: "systemuser",
          _owningbusinessunit_value: s.businessUnitId,
          __lk_owningbusinessunit: "businessunit",
          createdon: at,
          modifiedon: at,
          versionnumber: store.nextDvVersion(),
        };
        links++;
      }
    }
    s.bulkCounter += count;
    this.d.changed();
    return json(201, { created: ids.length, linked: links, chatIds: ids });
  }

  /** Posts as another user, as if a colleague typed in Teams. */
  /** History for scale tests: `count` messages from the chat's members, one a minute, before its first message. */
  private bulkMessages(body: Record<string, unknown>): SimResponse {
    const store = this.d.store;
    const chat = typeof body.chatId === "string" ? store.chat(body.chatId) : undefined;
    if (!chat) return badInput("chatId is required and must exist");
    const count = Number(body.count);
    if (!Number.isInteger(count) || count < 1 || count > 50000) return badInput("count must be an integer between 1 and 50000");
    const first = chat.messages.length ? Date.parse(chat.messages[0].createdDateTime) : this.d.now().getTime();
    const lines = ["<p>Checked the logs, nothing new.</p>", "<p>Can you <b>confirm</b> the serial number?</p>", "<p>Steps:</p><ol><li>Restart</li><li>Test page</li></ol>", "<p>Thanks!</p>", "<p>Customer called back about the <i>replacement</i>.</p>"];
    const made = [];
    for (let i = count; i >= 1; i--) {
      const at = new Date(first - i * 60_000).toISOString();
      const from = chat.members[i % chat.members.length].userId;
      made.push({
        id: String(Date.parse(at)),
        createdDateTime: at,
        lastModifiedDateTime: at,
        messageType: "message" as const,
        fromUserId: from,
        body: { contentType: "html" as const, content: `${lines[i % lines.length]}<p>#${count - i + 1}</p>` },
        importance: "normal" as const,
        subject: null,
        mentions: [],
        attachments: [],
        hostedContents: [],
        eventDetail: null,
      });
    }
    chat.messages.unshift(...made);
    this.d.changed();
    return json(201, { chatId: chat.id, count, total: chat.messages.length });
  }

  private sendAs(body: Record<string, unknown>): SimResponse {
    const store = this.d.store;
    const user = typeof body.user === "string" ? store.anyUser(body.user) : undefined;
    if (!user) return badInput("user is required and must exist");
    if (typeof body.chatId !== "string" || typeof body.html !== "string") return badInput("chatId and html are required");
    const chat = store.chat(body.chatId);
    if (!chat) return json(404, { error: "not_found", message: "no such chat" });
    if (!store.isMember(chat, user.id)) return json(403, { error: "forbidden", message: `${user.displayName} is not a member of the chat` });
    const msg = store.appendMessage(chat, { fromUserId: user.id, at: this.d.now().getTime(), html: body.html });
    chat.lastReadBy[user.id] = msg.createdDateTime;
    this.d.changed();
    return json(201, { id: msg.id, chatId: chat.id, createdDateTime: msg.createdDateTime, preview: escapeHtml(body.html.replace(/<[^>]+>/g, "")).slice(0, 80) });
  }
}
