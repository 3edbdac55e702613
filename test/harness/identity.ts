/**
 * A local OpenID Connect provider for the harness (the certified `oidc-provider` package),
 * standing in for Microsoft Entra ID so that the control's real MSAL code signs in end to end:
 * authorization code with PKCE, popup and hidden-frame flows, prompt=none, incremental consent,
 * RS256 access tokens for Graph carrying `scp`, verified by the Graph simulator against this
 * provider's JWKS. Served on the harness's own https origin under /oidc/<tenant>.
 *
 * Like Entra: consent is remembered per user and app (not per browser session); some scopes can
 * only be granted by an administrator (tenant-wide, see adminConsented); a user who declines gets
 * error=access_denied back in the app.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import Provider, { type InteractionDetails } from "oidc-provider";
import type { JSONWebKeySet } from "jose";
import { DEMO_CLIENT_ID } from "../simulator/demo-data";

export const GRAPH_RESOURCE = "https://graph.microsoft.com";
/** The harness's app registration: the environment variable in the demo data holds it. */
export const HARNESS_CLIENT_ID = DEMO_CLIENT_ID;
// The redirect URI registered for the app, not a resource the page loads.
// eslint-disable-next-line @microsoft/power-apps/use-cached-webresource
export const REDIRECT_PATH = "/WebResources/tcp_/auth/redirect.html";

/** Delegated Graph permissions the app registration lists. */
const GRAPH_SCOPES = [
  "Chat.Read",
  "Chat.ReadBasic",
  "Chat.Create",
  "Chat.ReadWrite",
  "ChatMessage.Send",
  "ChatMember.Read",
  "ChatMember.ReadWrite",
  "Files.ReadWrite",
  "User.Read",
  "User.ReadBasic.All",
  "People.Read",
  "Team.ReadBasic.All",
  "Channel.ReadBasic.All",
  "Channel.Create",
  "ChannelMessage.Read.All",
  "ChannelMessage.Send",
];
/**
 * The relay's API, exposed by the same app registration (relay/PROTOCOL.md §1): its one scope,
 * as MSAL sends it, and the audience of its tokens.
 */
export const RELAY_RESOURCE = `api://${HARNESS_CLIENT_ID}`;
export const RELAY_SCOPE = `${RELAY_RESOURCE}/access_as_user`;

/** Graph permissions marked "Admin consent required: Yes" in the permissions reference. */
export const ADMIN_ONLY_SCOPES = new Set(["ChatMember.Read", "ChatMember.ReadWrite", "Channel.Create", "ChannelMessage.Read.All", "ChannelMessage.ReadWrite"]);

export interface IdentityUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
  accountEnabled: boolean;
}

export interface IdentityOptions {
  /** https://127.0.0.1:<port> */
  origin: string;
  tenantId: string;
  users: () => IdentityUser[];
  /** Access token lifetime in seconds (default one hour, like Entra's minimum default). */
  accessTokenTtl?: number;
}

export interface IdentityProvider {
  issuer: string;
  jwks: JSONWebKeySet;
  /** Serves the request when it is under the provider's path. */
  handle(req: IncomingMessage, res: ServerResponse, body: () => Promise<string>): Promise<boolean>;
  /** While down, every provider URL answers 503 (the sign-in service is unreachable). */
  setDown(down: boolean): void;
  /** Scopes an administrator granted for the whole tenant (default: the admin-only ones). */
  adminConsented: Set<string>;
  /** Forgets every user's consent (a fresh tenant). */
  resetConsent(): void;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title>
<style>body{font-family:"Segoe UI",system-ui,sans-serif;margin:0;background:#f5f5f5;color:#242424}main{max-width:420px;margin:40px auto;background:#fff;padding:24px 28px;border-radius:8px;box-shadow:0 2px 8px rgba(0,0,0,.12)}
h1{font-size:20px;margin:0 0 12px}p,li,label{font-size:14px;line-height:1.45}ul{padding-left:20px}fieldset{border:0;padding:0;margin:0 0 16px}label{display:block;padding:6px 0}
.actions{display:flex;gap:8px;justify-content:flex-end;margin-top:16px}button{font:inherit;font-size:14px;padding:6px 16px;border-radius:4px;border:1px solid #8a8886;background:#fff;cursor:pointer}
button.primary{background:#0f6cbd;border-color:#0f6cbd;color:#fff}.note{color:#616161;font-size:12px}code{font-size:13px}</style></head><body><main>${body}</main></body></html>`;
}

export function createIdentityProvider(opts: IdentityOptions): IdentityProvider {
  const mount = `/oidc/${opts.tenantId}`;
  const issuer = `${opts.origin}${mount}`;
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = randomUUID();
  const privateJwk = { ...privateKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" };
  const publicJwk = { ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" };
  const adminConsented = new Set(ADMIN_ONLY_SCOPES);
  /** accountId|clientId -> grant id: consent outlives the browser session, as in Entra. */
  const grants = new Map<string, string>();
  let down = false;

  const userById = (id: string) => opts.users().find((u) => u.id === id);

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: HARNESS_CLIENT_ID,
        client_name: "TeamsChatPanel (harness)",
        application_type: "web",
        token_endpoint_auth_method: "none",
        redirect_uris: [`${opts.origin}${REDIRECT_PATH}`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    jwks: { keys: [privateJwk] },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    pkce: { required: () => true },
    scopes: ["openid", "profile", "email", "offline_access"],
    claims: { openid: ["sub"], profile: ["name", "preferred_username", "oid", "tid"], email: ["email"] },
    conformIdTokenClaims: false,
    // The app calls the token endpoint from its own origin, which is this one.
    clientBasedCORS: (_ctx: unknown, origin: string) => origin === opts.origin,
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        // MSAL sends no resource parameter: like Entra, the scope names the resource (a bare name is Graph's).
        // oidc-provider only consents to, and puts in the code, the scopes of the request's resources: a scope of
        // another resource in the same request would be dropped silently. A request for Graph that also names the
        // relay's scope (MSAL's extraScopesToConsent) therefore names both resources, so that the consent page asks
        // for both and accepting grants both; the token is still issued for one resource, Graph, as Entra does.
        defaultResource: (ctx: { oidc: { params?: { scope?: unknown } } }, _client: unknown, oneOf?: string | string[]) => {
          if (Array.isArray(oneOf)) return oneOf.includes(GRAPH_RESOURCE) ? GRAPH_RESOURCE : oneOf[0];
          if (oneOf) return oneOf;
          const scopes = String(ctx.oidc.params?.scope ?? "").split(" ");
          if (!scopes.includes(RELAY_SCOPE)) return GRAPH_RESOURCE;
          return scopes.some((s) => GRAPH_SCOPES.includes(s)) ? [GRAPH_RESOURCE, RELAY_RESOURCE] : RELAY_RESOURCE;
        },
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, resource: string) => ({
          scope: resource === RELAY_RESOURCE ? RELAY_SCOPE : GRAPH_SCOPES.join(" "),
          audience: resource === RELAY_RESOURCE ? RELAY_RESOURCE : GRAPH_RESOURCE,
          accessTokenTTL: opts.accessTokenTtl ?? 3600,
          accessTokenFormat: "jwt",
          jwt: { sign: { alg: "RS256" } },
        }),
      },
    },
    ttl: { AccessToken: opts.accessTokenTtl ?? 3600, IdToken: 3600, Interaction: 600, Session: 8 * 3600, Grant: 30 * 24 * 3600, AuthorizationCode: 60 },
    findAccount: async (_ctx: unknown, sub: string) => {
      const u = userById(sub);
      if (!u || !u.accountEnabled) return undefined;
      return {
        accountId: u.id,
        claims: async () => ({ sub: u.id, oid: u.id, tid: opts.tenantId, name: u.displayName, preferred_username: u.userPrincipalName, email: u.userPrincipalName }),
      };
    },
    extraTokenClaims: async (_ctx: unknown, token: { kind?: string; accountId?: string; scope?: string }) => {
      if (token.kind !== "AccessToken" || !token.accountId) return undefined;
      const u = userById(token.accountId);
      const requested = (token.scope ?? "").split(" ");
      // Entra writes a custom API's scope into scp by its short name.
      const scp = requested.includes(RELAY_SCOPE) ? "access_as_user" : requested.filter((s) => GRAPH_SCOPES.includes(s)).join(" ");
      return { oid: token.accountId, tid: opts.tenantId, upn: u?.userPrincipalName, name: u?.displayName, scp };
    },
    loadExistingGrant: async (ctx: {
      oidc: { client: { clientId: string }; session: { accountId?: string }; result?: { consent?: { grantId?: string } }; provider: Provider };
    }) => {
      const accountId = ctx.oidc.session.accountId;
      if (!accountId) return undefined;
      const key = `${accountId}|${ctx.oidc.client.clientId}`;
      const grantId = ctx.oidc.result?.consent?.grantId ?? grants.get(key);
      let grant = grantId ? await provider.Grant.find(grantId) : undefined;
      // What an administrator granted for the tenant counts for every user without asking.
      if (!grant && adminConsented.size) grant = new provider.Grant({ accountId, clientId: ctx.oidc.client.clientId });
      if (!grant) return undefined;
      if (adminConsented.size) grant.addResourceScope(GRAPH_RESOURCE, [...adminConsented].join(" "));
      grants.set(key, await grant.save());
      return grant;
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `${mount}/interaction/${interaction.uid}` },
    renderError: async (ctx: { type: string; body: string }, out: { error?: string; error_description?: string }) => {
      ctx.type = "html";
      ctx.body = page("Sign-in error", `<h1>Sign-in error</h1><p><code>${escapeHtml(out.error ?? "error")}</code></p><p>${escapeHtml(out.error_description ?? "")}</p>`);
    },
  });
  provider.proxy = false;
  const callback = provider.callback();

  function loginPage(details: InteractionDetails): string {
    const hint = typeof details.params.login_hint === "string" ? details.params.login_hint.toLowerCase() : "";
    const users = opts.users().filter((u) => u.accountEnabled);
    const hinted = users.find((u) => u.userPrincipalName.toLowerCase() === hint);
    const options = users
      .map((u) => `<label><input type="radio" name="user" value="${escapeHtml(u.id)}"${u === (hinted ?? users[0]) ? " checked" : ""}> ${escapeHtml(u.displayName)} <span class="note">${escapeHtml(u.userPrincipalName)}</span></label>`)
      .join("");
    return page(
      "Sign in",
      `<h1>Sign in</h1><p>Local sign-in for the TeamsChatPanel harness: pick a demo user (no password).</p>
<form method="post" action="${mount}/interaction/${details.uid}/login"><fieldset><legend class="note">Demo users</legend>${options}</fieldset>
<div class="actions"><button type="submit" name="action" value="cancel">Cancel</button><button class="primary" type="submit" name="action" value="login">Sign in</button></div></form>`,
    );
  }

  function consentPage(details: InteractionDetails, missing: string[]): string {
    const needsAdmin = missing.filter((s) => ADMIN_ONLY_SCOPES.has(s) && !adminConsented.has(s));
    if (needsAdmin.length) {
      return page(
        "Need admin approval",
        `<h1>Need admin approval</h1><p>TeamsChatPanel (harness) needs permission to access resources in your organization that only an admin can grant:</p><ul>${needsAdmin.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join("")}</ul>
<form method="post" action="${mount}/interaction/${details.uid}/consent"><div class="actions"><button class="primary" type="submit" name="action" value="cancel">Back to the app</button></div></form>`,
      );
    }
    return page(
      "Permissions requested",
      `<h1>Permissions requested</h1><p>TeamsChatPanel (harness) would like to:</p><ul>${missing.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join("")}</ul>
<form method="post" action="${mount}/interaction/${details.uid}/consent"><div class="actions"><button type="submit" name="action" value="cancel">Cancel</button><button class="primary" type="submit" name="action" value="accept">Accept</button></div></form>`,
    );
  }

  function missingOf(details: InteractionDetails): string[] {
    const d = details.prompt.details as { missingOIDCScope?: string[]; missingResourceScopes?: Record<string, string[]> };
    return [...(d.missingOIDCScope ?? []), ...Object.values(d.missingResourceScopes ?? {}).flat()];
  }

  async function interaction(req: IncomingMessage, res: ServerResponse, rest: string, body: () => Promise<string>): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    const send = (html: string) => {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
      res.end(html);
    };
    if (req.method === "GET") {
      if (details.prompt.name === "login") return send(loginPage(details));
      return send(consentPage(details, missingOf(details)));
    }
    const form = new URLSearchParams(await body());
    if (form.get("action") !== "login" && form.get("action") !== "accept") {
      const refused = missingOf(details).filter((s) => ADMIN_ONLY_SCOPES.has(s) && !adminConsented.has(s));
      // What Entra sends back when the user declines, or when only an admin could approve.
      return provider.interactionFinished(
        req,
        res,
        { error: "access_denied", error_description: refused.length ? "AADSTS90094: The grant requires admin permission." : "AADSTS65004: User declined to consent to access the app." },
        { mergeWithLastSubmission: false },
      );
    }
    if (rest.endsWith("/login")) {
      const user = userById(form.get("user") ?? "");
      if (!user || !user.accountEnabled) return send(loginPage(details));
      return provider.interactionFinished(req, res, { login: { accountId: user.id } }, { mergeWithLastSubmission: false });
    }
    const accountId = details.session?.accountId;
    if (!accountId) return send(page("Sign-in error", "<h1>Sign-in error</h1><p>The sign-in session was lost. Close this window and try again.</p>"));
    const clientId = String(details.params.client_id);
    const grant = (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ?? new provider.Grant({ accountId, clientId });
    const d = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
    if (d.missingOIDCScope?.length) grant.addOIDCScope(d.missingOIDCScope.join(" "));
    if (d.missingOIDCClaims?.length) grant.addOIDCClaims(d.missingOIDCClaims);
    for (const [resource, scopes] of Object.entries(d.missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(" "));
    const grantId = await grant.save();
    grants.set(`${accountId}|${clientId}`, grantId);
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  return {
    issuer,
    jwks: { keys: [publicJwk as JSONWebKeySet["keys"][number]] },
    adminConsented,
    setDown(value) {
      down = value;
    },
    resetConsent() {
      grants.clear();
    },
    async handle(req, res, body) {
      const url = req.url ?? "/";
      if (url !== mount && !url.startsWith(`${mount}/`) && !url.startsWith(`${mount}?`)) return false;
      if (down) {
        res.writeHead(503, { "Content-Type": "text/plain; charset=utf-8", "Retry-After": "30" });
        res.end("The sign-in service is unavailable.");
        return true;
      }
      const rest = url.slice(mount.length) || "/";
      if (rest.startsWith("/interaction/")) {
        await interaction(req, res, rest.split("?")[0], body);
        return true;
      }
      // Mounted like an Express sub-app: oidc-provider reads its mount path from originalUrl.
      Object.assign(req, { originalUrl: url, url: rest });
      callback(req, res);
      return true;
    },
  };
}
