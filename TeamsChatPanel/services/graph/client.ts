import {
  Client,
  HTTPMessageHandler,
  RetryHandler,
  RetryHandlerOptions,
  type Context,
  type Middleware,
  type MiddlewareOptions,
} from "@microsoft/microsoft-graph-client";
import type { TokenProvider } from "../ports";

export const GRAPH_BASE_URL = "https://graph.microsoft.com";
export const GRAPH_VERSION = "v1.0";

/** Per-request delegated scopes, read by the auth middleware (incremental consent asks for only these). */
export class ScopeOptions implements MiddlewareOptions {
  constructor(public readonly scopes: string[]) {}
}

/** Longest Retry-After we wait for silently; beyond it the user sees a "busy" state with a retry. */
export const MAX_SILENT_RETRY_AFTER_SECONDS = 10;

function headerOf(context: Context, name: string): string | null {
  const req = context.request;
  if (typeof req !== "string" && typeof Request !== "undefined" && req instanceof Request) return req.headers.get(name);
  const headers = context.options?.headers as Record<string, string> | Headers | undefined;
  if (!headers) return null;
  if (typeof Headers !== "undefined" && headers instanceof Headers) return headers.get(name);
  const rec = headers as Record<string, string>;
  const key = Object.keys(rec).find((k) => k.toLowerCase() === name.toLowerCase());
  return key ? rec[key] : null;
}

function setHeader(context: Context, name: string, value: string): void {
  const req = context.request;
  if (typeof req !== "string" && typeof Request !== "undefined" && req instanceof Request) {
    req.headers.set(name, value);
    return;
  }
  const options = (context.options ??= {});
  if (typeof Headers !== "undefined" && options.headers instanceof Headers) {
    options.headers.set(name, value);
    return;
  }
  options.headers = { ...((options.headers as Record<string, string>) ?? {}), [name]: value };
}

/**
 * Adds the bearer token for the request's scopes. A 401 means the token was refused (expired, revoked):
 * renew once without the cache, then let the 401 through so the UI can ask the user to sign in.
 */
export class AuthMiddleware implements Middleware {
  private next?: Middleware;
  constructor(private readonly tokens: TokenProvider, private readonly defaultScopes: string[]) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    if (!this.next) throw new Error("AuthMiddleware needs a next middleware");
    const scoped = context.middlewareControl?.getMiddlewareOptions(ScopeOptions) as ScopeOptions | undefined;
    const scopes = scoped?.scopes ?? this.defaultScopes;
    if (!headerOf(context, "Authorization")) setHeader(context, "Authorization", `Bearer ${await this.tokens.getToken(scopes)}`);
    await this.next.execute(context);
    if (context.response?.status === 401) {
      setHeader(context, "Authorization", `Bearer ${await this.tokens.getToken(scopes, { forceRefresh: true })}`);
      await this.next.execute(context);
      if (context.response?.status === 401) this.tokens.rejected?.(scopes);
    }
  }
}

export interface GraphClientOptions {
  tokens: TokenProvider;
  /** https://graph.microsoft.com in production; the simulator's base in the harness. */
  baseUrl?: string;
  /** Seconds before the first retry of a 429/503/504 without Retry-After. */
  retryDelaySeconds?: number;
  maxRetries?: number;
}

/** One Graph client per control instance, with our middleware chain: auth → retry (honours Retry-After) → fetch. */
export function createGraphClient(options: GraphClientOptions): Client {
  const auth = new AuthMiddleware(options.tokens, ["User.Read"]);
  const retry = new RetryHandler(
    new RetryHandlerOptions(options.retryDelaySeconds ?? 1, options.maxRetries ?? 3, (_delay, _attempt, _req, _opts, response) => {
      const after = Number(response.headers.get("Retry-After"));
      return !Number.isFinite(after) || after <= MAX_SILENT_RETRY_AFTER_SECONDS;
    }),
  );
  const http = new HTTPMessageHandler();
  auth.setNext(retry);
  retry.setNext(http);
  return Client.initWithMiddleware({
    middleware: auth,
    baseUrl: options.baseUrl ?? GRAPH_BASE_URL,
    defaultVersion: GRAPH_VERSION,
  });
}
