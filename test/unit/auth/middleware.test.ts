import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { GraphError, type Context, type Middleware } from "@microsoft/microsoft-graph-client";
import { AuthMiddleware, createGraphClient, ScopeOptions } from "../../../TeamsChatPanel/services/graph/client";
import { GraphChatGateway } from "../../../TeamsChatPanel/services/graph/chatGateway";
import { toServiceError } from "../../../TeamsChatPanel/services/graph/errors";
import { AuthRequiredError, ServiceError } from "../../../TeamsChatPanel/services/errors";
import type { TokenProvider } from "../../../TeamsChatPanel/services/ports";

/** A token provider that hands out "stale" from the cache and "fresh" when asked to bypass it. */
function tokens() {
  return {
    getToken: vi.fn(async (_scopes: string[], o?: { forceRefresh?: boolean }) => (o?.forceRefresh ? "fresh" : "stale")),
    rejected: vi.fn((_scopes: string[]) => undefined),
  } satisfies TokenProvider;
}

/** The next middleware: answers with the statuses in turn and records the Authorization header it saw. */
function answering(...statuses: number[]) {
  const seen: string[] = [];
  const next: Middleware = {
    execute: async (context: Context) => {
      const headers = context.options?.headers as Record<string, string> | undefined;
      seen.push(headers?.Authorization ?? "");
      context.response = new Response(null, { status: statuses.shift() ?? 200 });
    },
  };
  return { next, seen };
}

function contextWith(scopes?: string[], headers?: Record<string, string>): Context {
  const control = { getMiddlewareOptions: (cls: unknown) => (cls === ScopeOptions && scopes ? new ScopeOptions(scopes) : undefined) };
  return { request: "https://graph.microsoft.com/v1.0/me/chats", options: { method: "GET", headers }, middlewareControl: control as unknown as Context["middlewareControl"] };
}

describe("AuthMiddleware", () => {
  it("adds the bearer token for the request's own scopes, once, when Graph accepts it", async () => {
    const t = tokens();
    const auth = new AuthMiddleware(t, ["User.Read"]);
    const { next, seen } = answering(200);
    auth.setNext(next);
    await auth.execute(contextWith(["ChatMessage.Send"]));
    expect(seen).toEqual(["Bearer stale"]);
    expect(t.getToken).toHaveBeenCalledTimes(1);
    expect(t.getToken).toHaveBeenCalledWith(["ChatMessage.Send"]);
    expect(t.rejected).not.toHaveBeenCalled();
  });

  it("uses the default scopes when the request names none", async () => {
    const t = tokens();
    const auth = new AuthMiddleware(t, ["User.Read"]);
    auth.setNext(answering(200).next);
    await auth.execute(contextWith(undefined));
    expect(t.getToken).toHaveBeenCalledWith(["User.Read"]);
  });

  it("after a 401 renews the token once, bypassing the cache, and succeeds without bothering the user", async () => {
    const t = tokens();
    const auth = new AuthMiddleware(t, ["User.Read"]);
    const { next, seen } = answering(401, 200);
    auth.setNext(next);
    const context = contextWith(["Chat.Read"]);
    await auth.execute(context);
    expect(seen).toEqual(["Bearer stale", "Bearer fresh"]);
    expect(t.getToken).toHaveBeenNthCalledWith(2, ["Chat.Read"], { forceRefresh: true });
    expect(context.response?.status).toBe(200);
    expect(t.rejected).not.toHaveBeenCalled();
  });

  it("when Graph refuses the renewed token too, tells the token provider the session is over, and lets the 401 through", async () => {
    const t = tokens();
    const auth = new AuthMiddleware(t, ["User.Read"]);
    const { next, seen } = answering(401, 401, 200);
    auth.setNext(next);
    const context = contextWith(["Chat.Read"]);
    await auth.execute(context);
    expect(seen).toEqual(["Bearer stale", "Bearer fresh"]);
    expect(t.getToken).toHaveBeenCalledTimes(2);
    expect(t.rejected).toHaveBeenCalledTimes(1);
    expect(t.rejected).toHaveBeenCalledWith(["Chat.Read"]);
    expect(context.response?.status).toBe(401);
  });

  it("works with a token provider that has no rejected()", async () => {
    const getToken = vi.fn(async () => "t");
    const auth = new AuthMiddleware({ getToken }, ["User.Read"]);
    auth.setNext(answering(401, 401).next);
    await expect(auth.execute(contextWith(["Chat.Read"]))).resolves.toBeUndefined();
    expect(getToken).toHaveBeenCalledTimes(2);
  });

  it("does not renew on other failures (403 is a permission, not a token problem)", async () => {
    const t = tokens();
    const auth = new AuthMiddleware(t, ["User.Read"]);
    const { next, seen } = answering(403);
    auth.setNext(next);
    await auth.execute(contextWith(["Chat.Read"]));
    expect(seen).toEqual(["Bearer stale"]);
    expect(t.getToken).toHaveBeenCalledTimes(1);
    expect(t.rejected).not.toHaveBeenCalled();
  });

  it("sends no request when no token can be had: the token provider's AuthRequiredError goes up", async () => {
    const getToken = vi.fn(async () => Promise.reject(new AuthRequiredError("Sign-in needed (signInRequired)")));
    const auth = new AuthMiddleware({ getToken }, ["User.Read"]);
    const { next, seen } = answering(200);
    auth.setNext(next);
    await expect(auth.execute(contextWith(["Chat.Read"]))).rejects.toBeInstanceOf(AuthRequiredError);
    expect(seen).toEqual([]);
  });

  it("refuses to run without a next middleware", async () => {
    await expect(new AuthMiddleware(tokens(), ["User.Read"]).execute(contextWith(["Chat.Read"]))).rejects.toThrow(/next middleware/);
  });
});

describe("AuthMiddleware in the real Graph client", () => {
  let server: Server;
  let base = "";
  let status = 200;
  const auths: Array<string | undefined> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      auths.push(req.headers.authorization);
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(status === 200 ? { value: [] } : { error: { code: "InvalidAuthenticationToken", message: "Access token has expired." } }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graph`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    auths.length = 0;
    status = 200;
  });

  it("a 401 twice: one forced renewal, then rejected(scopes) and an AuthRequiredError for the caller", async () => {
    status = 401;
    const t = tokens();
    const gw = new GraphChatGateway(createGraphClient({ tokens: t, baseUrl: base, retryDelaySeconds: 0 }), base);
    const err = await gw.listChats().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthRequiredError);
    expect(auths).toEqual(["Bearer stale", "Bearer fresh"]);
    expect(t.getToken).toHaveBeenLastCalledWith(["Chat.Read"], { forceRefresh: true });
    expect(t.rejected).toHaveBeenCalledTimes(1);
    expect(t.rejected).toHaveBeenCalledWith(["Chat.Read"]);
  });

  it("no token at all: nothing reaches Graph and the caller gets AuthRequiredError (not offline)", async () => {
    const t = { getToken: vi.fn(async () => Promise.reject(new AuthRequiredError("Sign-in needed (consentRequired)"))), rejected: vi.fn() };
    const gw = new GraphChatGateway(createGraphClient({ tokens: t, baseUrl: base, retryDelaySeconds: 0 }), base);
    const err = (await gw.listChats().catch((e: unknown) => e)) as ServiceError;
    expect(err).toBeInstanceOf(AuthRequiredError);
    expect(err.kind).toBe("auth");
    expect(auths).toEqual([]);
    expect(t.rejected).not.toHaveBeenCalled();
  });

  it("an offline token provider stays offline through the Graph client", async () => {
    const t = { getToken: vi.fn(async () => Promise.reject(new ServiceError("offline", "No network connection for sign-in"))) };
    const gw = new GraphChatGateway(createGraphClient({ tokens: t, baseUrl: base, retryDelaySeconds: 0 }), base);
    const err = (await gw.listChats().catch((e: unknown) => e)) as ServiceError;
    expect(err).toBeInstanceOf(ServiceError);
    expect(err.kind).toBe("offline");
    expect(err).not.toBeInstanceOf(AuthRequiredError);
  });
});

describe("toServiceError for sign-in failures", () => {
  it("maps the Graph client's wrapper of a middleware's AuthRequiredError (status -1) to AuthRequiredError", () => {
    const wrapped = new GraphError(-1, "Sign-in needed (signInRequired)");
    wrapped.code = "AuthRequiredError";
    const e = toServiceError(wrapped);
    expect(e).toBeInstanceOf(AuthRequiredError);
    expect(e.kind).toBe("auth");
    expect(e.message).toBe("Sign-in needed (signInRequired)");
  });

  it("maps a Graph 401 to AuthRequiredError", () => {
    const e = toServiceError(Object.assign(new GraphError(401, "expired"), { code: "InvalidAuthenticationToken" }));
    expect(e).toBeInstanceOf(AuthRequiredError);
  });

  it("keeps other status -1 wrappers as offline, not auth", () => {
    const wrapped = new GraphError(-1, "Failed to fetch");
    wrapped.code = "TypeError";
    const e = toServiceError(wrapped);
    expect(e).not.toBeInstanceOf(AuthRequiredError);
    expect(e.kind).toBe("offline");
  });

  it("passes an AuthRequiredError through unchanged", () => {
    const original = new AuthRequiredError("x");
    expect(toServiceError(original)).toBe(original);
  });
});
