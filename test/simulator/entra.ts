/**
 * The Entra ID side the live-updates relay talks to (relay/PROTOCOL.md §2-3), served under
 * /__sim/login/ so the relay runs unchanged with loginBaseUrl = {simOrigin}/__sim/login:
 *
 * - POST /__sim/login/{tenant}/oauth2/v2.0/token: client_credentials and on-behalf-of
 *   (v2-oauth2-client-creds-grant-flow, v2-oauth2-on-behalf-of-flow in the identity platform docs);
 *   errors in Entra's shape (error, error_description with its AADSTS code, error_codes, ...).
 * - GET /__sim/login/{tenant|common}/discovery/v2.0/keys: the JWKS of the keys that sign
 *   (a) user tokens for the relay's API (what /__sim/token issues for api://{clientId}/access_as_user) and
 *   (b) the validationTokens of change notifications (the "Microsoft identity platform" key).
 *
 * Graph access tokens this endpoint issues are the simulator's own HS256 tokens (TokenService):
 * Graph tokens are opaque to clients, and only the simulator's Graph reads them.
 */
import { type KeyObject, createSign, generateKeyPairSync, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWK } from "jose";
import { DEFAULT_SCOPES } from "./graph";
import type { SimStore } from "./state";
import { GRAPH_AUDIENCE, type TokenService } from "./tokens";
import { type SimRequest, type SimResponse, base64url } from "./util";

/** The app id Microsoft Graph's change-notification publisher puts in validation tokens (change-notifications-with-resource-data.md). */
export const GRAPH_NOTIFICATION_PUBLISHER_APPID = "0bf30f3b-4a52-48df-9a82-234910c4a086";
export const RELAY_API_SCOPE_NAME = "access_as_user";
/** Application permissions the demo app registration has been granted (admin consent) by default. */
export const DEFAULT_APP_ROLES = ["Chat.Read.All", "ChatMember.Read.All"];

export interface AppRegistration {
  clientId: string;
  clientSecret: string;
  /** Application permissions granted to the app (roles in its app-only Graph tokens). */
  roles: string[];
  /** Object id of the app's service principal (oid of its app-only tokens, creatorId of its subscriptions). */
  servicePrincipalId: string;
  displayName: string;
}

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  jwk: JWK;
}

function newKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = base64url(randomBytes(20));
  return { kid, privateKey, jwk: { ...(publicKey.export({ format: "jwk" }) as JWK), kid, use: "sig", alg: "RS256", kty: "RSA" } };
}

function signRs256(key: SigningKey, claims: Record<string, unknown>): string {
  const header = base64url(JSON.stringify({ typ: "JWT", alg: "RS256", kid: key.kid }));
  const payload = base64url(JSON.stringify(claims));
  const sig = createSign("RSA-SHA256").update(`${header}.${payload}`).sign(key.privateKey);
  return `${header}.${payload}.${base64url(sig)}`;
}

function form(req: SimRequest): URLSearchParams {
  // The token endpoint takes application/x-www-form-urlencoded bodies only.
  return new URLSearchParams(req.bodyText);
}

/** Entra's error body: AADSTS code in the description and in error_codes. Codes from the AADSTS error reference (reference-error-codes). */
export function entraError(status: number, error: string, aadsts: number, description: string): SimResponse {
  const now = new Date();
  const traceId = randomUUID();
  const correlationId = randomUUID();
  return {
    status,
    headers: { "Cache-Control": "no-store", Pragma: "no-cache" },
    body: {
      error,
      error_description: `AADSTS${aadsts}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${now.toISOString().replace("T", " ").slice(0, 19)}Z`,
      error_codes: [aadsts],
      timestamp: now.toISOString().replace(/\.\d+Z$/, "Z"),
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${aadsts}`,
    },
  };
}

export interface EntraDeps {
  store: SimStore;
  tokens: TokenService;
  now: () => Date;
}

export class EntraService {
  private keys: { user: SigningKey; platform: SigningKey; set: ReturnType<typeof createLocalJWKSet> } | null = null;
  private readonly apps = new Map<string, AppRegistration>();

  constructor(private readonly d: EntraDeps) {}

  /** RSA keys are made on first use: most simulator runs never need them. */
  private get k(): { user: SigningKey; platform: SigningKey; set: ReturnType<typeof createLocalJWKSet> } {
    if (!this.keys) {
      // user: signs tokens for the relay's API (issuer {origin}/__sim/login/{tid}/v2.0);
      // platform: signs change notifications' validationTokens (issuer https://sts.windows.net/{tid}/).
      const user = newKey();
      const platform = newKey();
      this.keys = { user, platform, set: createLocalJWKSet({ keys: [user.jwk, platform.jwk] }) };
    }
    return this.keys;
  }

  jwks(): JSONWebKeySet {
    return { keys: [this.k.user.jwk, this.k.platform.jwk] };
  }

  registerApp(app: Partial<AppRegistration> & { clientId: string; clientSecret: string }): AppRegistration {
    const reg: AppRegistration = {
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      roles: app.roles ?? [...DEFAULT_APP_ROLES],
      servicePrincipalId: app.servicePrincipalId ?? this.apps.get(app.clientId)?.servicePrincipalId ?? randomUUID(),
      displayName: app.displayName ?? "Teams Chat Panel (simulated)",
    };
    this.apps.set(reg.clientId, reg);
    return reg;
  }

  listApps(): AppRegistration[] {
    return [...this.apps.values()];
  }

  app(clientId: string): AppRegistration | undefined {
    return this.apps.get(clientId);
  }

  private nowS(): number {
    return Math.floor(this.d.now().getTime() / 1000);
  }

  /** A v2.0 access token for the relay's API, as MSAL would get for scope api://{clientId}/access_as_user. */
  signRelayApiToken(origin: string, user: { id: string; userPrincipalName: string; displayName: string }, clientId: string, ttl: number): { token: string; iat: number } {
    const tid = this.d.store.state.tenantId;
    const iat = this.nowS();
    const token = signRs256(this.k.user, {
      aud: `api://${clientId}`,
      iss: `${origin}/__sim/login/${tid}/v2.0`,
      iat,
      nbf: iat,
      exp: iat + ttl,
      azp: clientId,
      azpacr: "0",
      name: user.displayName,
      oid: user.id,
      preferred_username: user.userPrincipalName,
      scp: RELAY_API_SCOPE_NAME,
      sub: base64url(Buffer.from(`${user.id}|${clientId}`)).slice(0, 43),
      tid,
      uti: base64url(randomBytes(16)),
      ver: "2.0",
    });
    return { token, iat };
  }

  /**
   * A change notification's validation token: one per app and tenant in a notification collection
   * (change-notifications-with-resource-data.md, "Validation tokens in the change notification" and its example claims).
   */
  signValidationToken(tenantId: string, subscriberAppId: string): string {
    const iat = this.nowS();
    const iss = `https://sts.windows.net/${tenantId}/`;
    return signRs256(this.k.platform, {
      aud: subscriberAppId,
      iss,
      iat,
      nbf: iat,
      exp: iat + 8 * 3600,
      aio: base64url(randomBytes(24)),
      appid: GRAPH_NOTIFICATION_PUBLISHER_APPID,
      azp: GRAPH_NOTIFICATION_PUBLISHER_APPID,
      appidacr: "2",
      idp: iss,
      tid: tenantId,
      uti: base64url(randomBytes(16)),
      ver: "1.0",
    });
  }

  /** Routes below /__sim/login. `path` is what follows /__sim/login. */
  async handle(req: SimRequest): Promise<SimResponse> {
    const segs = req.path.split("/").filter(Boolean);
    // {tenant}/discovery/v2.0/keys (also {tenant}/discovery/keys, the v1 form)
    if (req.method === "GET" && segs.length >= 3 && segs[1] === "discovery" && segs[segs.length - 1] === "keys") {
      if (!this.knownTenant(segs[0])) return entraError(400, "invalid_tenant", 90002, `Tenant '${segs[0]}' not found.`);
      return { status: 200, headers: { "Cache-Control": "max-age=86400, private" }, body: this.jwks() };
    }
    if (req.method === "GET" && segs.length === 4 && segs[1] === "v2.0" && segs[2] === ".well-known" && segs[3] === "openid-configuration") {
      const t = segs[0];
      const base = `${req.origin}/__sim/login/${t}`;
      return {
        status: 200,
        body: {
          token_endpoint: `${base}/oauth2/v2.0/token`,
          jwks_uri: `${base}/discovery/v2.0/keys`,
          issuer: `${req.origin}/__sim/login/${t === "common" ? "{tenantid}" : t}/v2.0`,
          id_token_signing_alg_values_supported: ["RS256"],
          response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
          token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
        },
      };
    }
    if (segs.length === 4 && segs[1] === "oauth2" && segs[2] === "v2.0" && segs[3] === "token") {
      if (req.method !== "POST") return entraError(400, "invalid_request", 900561, "The endpoint only accepts POST requests.");
      if (!this.knownTenant(segs[0]) || segs[0] === "common") {
        // Client credentials and OBO need a tenant; the simulator knows one.
        return entraError(400, "invalid_tenant", 90002, `Tenant '${segs[0]}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
      }
      return this.token(req);
    }
    return { status: 404, body: { error: "not_found", error_description: `No login route ${req.method} ${req.path}` } };
  }

  private knownTenant(t: string): boolean {
    const s = this.d.store.state;
    return t === "common" || t === "organizations" || t.toLowerCase() === s.tenantId.toLowerCase() || t.toLowerCase() === s.domain.toLowerCase();
  }

  private clientAuth(req: SimRequest, p: URLSearchParams): AppRegistration | SimResponse {
    let clientId = p.get("client_id") ?? "";
    let secret = p.get("client_secret") ?? "";
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? "");
    if (basic) {
      const [id, sec] = Buffer.from(basic[1], "base64").toString("utf8").split(":");
      clientId = decodeURIComponent(id ?? "");
      secret = decodeURIComponent(sec ?? "");
    }
    if (!clientId) return entraError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.");
    const app = this.apps.get(clientId);
    if (!app) {
      return entraError(400, "unauthorized_client", 700016, `Application with identifier '${clientId}' was not found in the directory '${this.d.store.state.tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`);
    }
    if (!secret) return entraError(401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    const a = Buffer.from(secret);
    const b = Buffer.from(app.clientSecret);
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      return entraError(401, "invalid_client", 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`);
    }
    return app;
  }

  private async token(req: SimRequest): Promise<SimResponse> {
    if (!/application\/x-www-form-urlencoded/i.test(req.headers["content-type"] ?? "")) {
      return entraError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.");
    }
    const p = form(req);
    const grant = p.get("grant_type");
    if (!grant) return entraError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.");
    if (grant !== "client_credentials" && grant !== "urn:ietf:params:oauth:grant-type:jwt-bearer") {
      return entraError(400, "unsupported_grant_type", 70003, `The app requested an unsupported grant type '${grant}'.`);
    }
    const app = this.clientAuth(req, p);
    if ("status" in app) return app;
    const scope = (p.get("scope") ?? "").trim();
    if (!scope) return entraError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'scope'.");
    return grant === "client_credentials" ? this.clientCredentials(app, scope) : this.onBehalfOf(app, p, scope);
  }

  /** v2-oauth2-client-creds-grant-flow: scope must be {resource}/.default; the token carries the granted roles. */
  private clientCredentials(app: AppRegistration, scope: string): SimResponse {
    const scopes = scope.split(/\s+/);
    if (scopes.length !== 1 || !/\/\.default$/.test(scopes[0])) {
      return entraError(400, "invalid_scope", 1002012, `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
    }
    const resource = scopes[0].replace(/\/\.default$/, "");
    if (resource !== GRAPH_AUDIENCE && resource !== "00000003-0000-0000-c000-000000000000") {
      return entraError(400, "invalid_resource", 500011, `The resource principal named ${resource} was not found in the tenant named ${this.d.store.state.tenantId}.`);
    }
    const iat = this.nowS();
    const ttl = 3599;
    const tid = this.d.store.state.tenantId;
    const access_token = this.d.tokens.sign({
      aud: GRAPH_AUDIENCE,
      iss: `https://sts.windows.net/${tid}/`,
      oid: app.servicePrincipalId,
      tid,
      upn: "",
      name: "",
      scp: "",
      iat,
      nbf: iat,
      exp: iat + ttl,
      ver: "1.0",
      appid: app.clientId,
      roles: [...app.roles],
      idtyp: "app",
    });
    return { status: 200, headers: { "Cache-Control": "no-store", Pragma: "no-cache" }, body: { token_type: "Bearer", expires_in: ttl, ext_expires_in: ttl, access_token } };
  }

  /** v2-oauth2-on-behalf-of-flow: the assertion is a user token for this app's API; the answer is a delegated Graph token for that user. */
  private async onBehalfOf(app: AppRegistration, p: URLSearchParams, scope: string): Promise<SimResponse> {
    if (p.get("requested_token_use") !== "on_behalf_of") {
      return entraError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'requested_token_use'.");
    }
    const assertion = p.get("assertion");
    if (!assertion) return entraError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'assertion'.");
    const audiences = [`api://${app.clientId}`, app.clientId];
    const nowS = this.nowS();
    let claims: Record<string, unknown> | null = null;
    try {
      const { payload } = await jwtVerify(assertion, this.k.set, { audience: audiences, algorithms: ["RS256"], currentDate: new Date(nowS * 1000), clockTolerance: 300 });
      // Our own key signs only user tokens of this form; any origin may have served it (the harness page and the relay can see the simulator at different origins).
      if (typeof payload.iss !== "string" || !payload.iss.endsWith(`/__sim/login/${String(payload.tid)}/v2.0`)) {
        return entraError(400, "invalid_grant", 50013, "Assertion failed signature validation.");
      }
      claims = payload as Record<string, unknown>;
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === "ERR_JWKS_NO_MATCHING_KEY" || code === "ERR_JWS_SIGNATURE_VERIFICATION_FAILED" || code === "ERR_JWS_INVALID" || code === "ERR_JWT_INVALID") {
        // Maybe a token from the harness's sign-in (a trusted issuer).
        const t = await this.d.tokens.verifyTrustedFor(assertion, audiences, nowS);
        if (t.ok) claims = t.payload;
        else if (t.reason === "expired") return entraError(400, "invalid_grant", 500133, "Assertion is not within its valid time range. Ensure that the access token is not expired before using it for user assertion, or request a new token.");
        else if (t.reason === "aud") return entraError(400, "invalid_grant", 50013, "Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was not expected.");
        else return entraError(400, "invalid_grant", 50013, "Assertion failed signature validation.");
      } else if (code === "ERR_JWT_EXPIRED") {
        return entraError(400, "invalid_grant", 500133, "Assertion is not within its valid time range. Ensure that the access token is not expired before using it for user assertion, or request a new token.");
      } else if (code === "ERR_JWT_CLAIM_VALIDATION_FAILED" && (e as { claim?: string }).claim === "aud") {
        return entraError(400, "invalid_grant", 50013, "Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was not expected.");
      } else {
        return entraError(400, "invalid_grant", 50013, "Assertion failed signature validation.");
      }
    }
    const tid = String(claims.tid ?? "");
    if (tid.toLowerCase() !== this.d.store.state.tenantId.toLowerCase()) {
      return entraError(400, "invalid_grant", 50013, "Assertion contains an invalid tenant.");
    }
    const user = this.d.store.user(String(claims.oid ?? ""));
    if (!user) return entraError(400, "invalid_grant", 50034, "The user account does not exist in the directory.");
    if (!user.accountEnabled) return entraError(400, "invalid_grant", 50057, "The user account is disabled.");
    // Graph scopes: https://graph.microsoft.com/Chat.Read (or bare names, which mean Graph); .default = every delegated scope consented.
    const requested = scope.split(/\s+/).filter(Boolean).filter((s) => !["openid", "profile", "offline_access", "email"].includes(s));
    const names: string[] = [];
    for (const s of requested) {
      const m = /^(?:https:\/\/graph\.microsoft\.com\/|00000003-0000-0000-c000-000000000000\/)?([A-Za-z.]+)$/.exec(s);
      if (!m || s === ".default") return entraError(400, "invalid_scope", 70011, `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`);
      if (m[1] === ".default") names.push(...DEFAULT_SCOPES);
      else if (!DEFAULT_SCOPES.includes(m[1])) return entraError(400, "invalid_grant", 65001, `The user or administrator has not consented to use the application with ID '${app.clientId}' named '${app.displayName}'. Send an interactive authorization request for this user and resource.`);
      else names.push(m[1]);
    }
    if (!names.length) return entraError(400, "invalid_scope", 70011, `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`);
    const iat = nowS;
    const exp = iat + 3600;
    const scp = [...new Set(names)].join(" ");
    const access_token = this.d.tokens.sign({
      aud: GRAPH_AUDIENCE,
      iss: `https://sts.windows.net/${tid}/`,
      oid: user.id,
      tid,
      upn: user.userPrincipalName,
      name: user.displayName,
      scp,
      iat,
      nbf: iat,
      exp,
      ver: "1.0",
      appid: app.clientId,
    });
    return {
      status: 200,
      headers: { "Cache-Control": "no-store", Pragma: "no-cache" },
      body: { token_type: "Bearer", scope: scp.split(" ").map((s) => `${GRAPH_AUDIENCE}/${s}`).join(" "), expires_in: exp - iat, ext_expires_in: exp - iat, access_token },
    };
  }
}
