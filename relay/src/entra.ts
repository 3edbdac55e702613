import { retryAfterSeconds, type FetchLike } from "./http.js";

export class EntraError extends Error {
  constructor(
    readonly status: number,
    /** The OAuth `error`, e.g. `invalid_grant`, `interaction_required`. */
    readonly code: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "EntraError";
  }
  /** The user must sign in again (a new negotiate token) before an OBO exchange can succeed. */
  get needsUser(): boolean {
    return this.code === "invalid_grant" || this.code === "interaction_required" || this.code === "consent_required";
  }
}

export interface TokenProvider {
  /** App-only token for Graph (client credentials). */
  appToken(): Promise<string>;
  /** Delegated Graph token for the user; `assertion` is the user's latest negotiate token. */
  userToken(userId: string, assertion: string): Promise<string>;
  forgetUser(userId: string): void;
}

export interface EntraOptions {
  loginBaseUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  fetch?: FetchLike;
  now?: () => number;
  /** Scope of the OBO token (PROTOCOL.md §3). */
  delegatedScope?: string;
}

interface Cached {
  token: string;
  expiresAt: number;
  assertion?: string;
}

/** Tokens are used until this long before they expire. */
const EARLY_MS = 2 * 60_000;

/** Token calls to `{loginBaseUrl}/{tenant}/oauth2/v2.0/token` (PROTOCOL.md §3), cached until shortly before expiry. */
export function createEntraClient(options: EntraOptions): TokenProvider {
  const fetchFn = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const endpoint = `${options.loginBaseUrl}/${options.tenantId}/oauth2/v2.0/token`;
  let app: Cached | undefined;
  let appPending: Promise<string> | undefined;
  const users = new Map<string, Cached>();

  async function request(form: Record<string, string>): Promise<Cached> {
    const response = await fetchFn(endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    });
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok || typeof body.access_token !== "string") {
      throw new EntraError(
        response.status,
        typeof body.error === "string" ? body.error : "token_error",
        // error_description may echo request details but never the secret; keep only its first line.
        `token request failed: ${typeof body.error_description === "string" ? body.error_description.split("\n")[0] : response.status}`,
        retryAfterSeconds(response.headers.get("retry-after"), now()),
      );
    }
    const expiresIn = Number(body.expires_in ?? 3600);
    return { token: body.access_token, expiresAt: now() + (Number.isFinite(expiresIn) ? expiresIn : 3600) * 1000 };
  }

  return {
    async appToken() {
      if (app && app.expiresAt - EARLY_MS > now()) return app.token;
      appPending ??= request({
        grant_type: "client_credentials",
        client_id: options.clientId,
        client_secret: options.clientSecret,
        scope: "https://graph.microsoft.com/.default",
      })
        .then((fresh) => {
          app = fresh;
          return fresh.token;
        })
        .finally(() => {
          appPending = undefined;
        });
      return appPending;
    },
    async userToken(userId, assertion) {
      const cached = users.get(userId);
      if (cached && cached.expiresAt - EARLY_MS > now()) return cached.token;
      const fresh = await request({
        grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
        requested_token_use: "on_behalf_of",
        assertion,
        client_id: options.clientId,
        client_secret: options.clientSecret,
        scope: options.delegatedScope ?? "https://graph.microsoft.com/Chat.Read",
      });
      users.set(userId, { ...fresh, assertion });
      return fresh.token;
    },
    forgetUser(userId) {
      users.delete(userId);
    },
  };
}
