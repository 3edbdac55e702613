import { type DirectoryUser, type SimClient, startClient } from "../../simulator/test-client";

let c: SimClient;
let megan: DirectoryUser;

beforeAll(async () => {
  c = await startClient({ seed: "demo" });
  megan = (await c.directory())[0];
});
afterAll(() => c.close());

async function expectGraphError(r: Response, status: number, code: string): Promise<{ code: string; message: string }> {
  expect(r.status).toBe(status);
  expect(r.headers.get("request-id")).toMatch(/^[0-9a-f-]{36}$/);
  const body = (await r.json()) as { error: { code: string; message: string; innerError: Record<string, string> } };
  expect(Object.keys(body)).toEqual(["error"]);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe("string");
  expect(body.error.innerError["request-id"]).toBe(r.headers.get("request-id"));
  expect(body.error.innerError.date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
  expect(typeof body.error.innerError["client-request-id"]).toBe("string");
  return body.error;
}

describe("Graph authentication", () => {
  it("refuses a request without a token with 401 InvalidAuthenticationToken in Graph's error shape", async () => {
    const e = await expectGraphError(await c.graph(null, "/me/chats"), 401, "InvalidAuthenticationToken");
    expect(e.message).toBe("Access token is empty.");
  });

  it("refuses a malformed token and a token signed with another key", async () => {
    await expectGraphError(await c.graph("not-a-jwt", "/me"), 401, "InvalidAuthenticationToken");
    const good = await c.token(megan.upn);
    const [h, p] = good.split(".");
    const forged = `${h}.${p}.${Buffer.from("forged-signature").toString("base64url")}`;
    const e = await expectGraphError(await c.graph(forged, "/me"), 401, "InvalidAuthenticationToken");
    expect(e.message).toMatch(/validation failure/);
  });

  it("refuses an expired token", async () => {
    const expired = await c.token(megan.upn, undefined, -10);
    const e = await expectGraphError(await c.graph(expired, "/me"), 401, "InvalidAuthenticationToken");
    expect(e.message).toMatch(/expired/);
  });

  it("echoes client-request-id and accepts a valid token", async () => {
    const t = await c.token(megan.systemuserid);
    const r = await c.graph(t, "/me", { headers: { "client-request-id": "abc-123" } });
    expect(r.status).toBe(200);
    expect(r.headers.get("client-request-id")).toBe("abc-123");
    const me = (await r.json()) as { id: string; userPrincipalName: string };
    expect(me.id).toBe(megan.aadObjectId);
  });

  it("does not issue tokens to a disabled account", async () => {
    const disabled = (await c.directory()).find((u) => u.isdisabled)!;
    const r = await c.control("/token", { method: "POST", json: { user: disabled.upn } });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error_description: string }).error_description).toMatch(/AADSTS50057/);
  });
});

describe("delegated scopes", () => {
  it("answers 403 Forbidden naming the accepted scopes when a Teams scope is missing", async () => {
    const t = await c.token(megan.upn, ["User.Read"]);
    const e = await expectGraphError(await c.graph(t, "/me/chats"), 403, "Forbidden");
    expect(e.message).toContain("Missing scope permissions on the request. API requires one of 'Chat.ReadBasic, Chat.Read, Chat.ReadWrite'");
  });

  it("accepts a higher scope listed by the docs (Chat.ReadWrite implies reading)", async () => {
    const t = await c.token(megan.upn, ["Chat.ReadWrite"]);
    expect((await c.graph(t, "/me/chats")).status).toBe(200);
    const chats = (await (await c.graph(t, "/me/chats")).json()) as { value: { id: string }[] };
    expect((await c.graph(t, `/chats/${encodeURIComponent(chats.value[0].id)}/messages`)).status).toBe(200);
  });

  it("needs Chat.Read (not Chat.ReadBasic) for messages", async () => {
    const t = await c.token(megan.upn, ["Chat.ReadBasic"]);
    const chats = (await (await c.graph(t, "/me/chats")).json()) as { value: { id: string }[] };
    await expectGraphError(await c.graph(t, `/chats/${encodeURIComponent(chats.value[0].id)}/messages`), 403, "Forbidden");
  });

  it("uses the directory's own code for user reads without User.ReadBasic.All", async () => {
    const t = await c.token(megan.upn, ["User.Read"]);
    expect((await c.graph(t, "/me")).status).toBe(200);
    const e = await expectGraphError(await c.graph(t, "/users?$top=5"), 403, "Authorization_RequestDenied");
    expect(e.message).toBe("Insufficient privileges to complete the operation.");
  });

  it("needs ChatMessage.Send to post", async () => {
    const t = await c.token(megan.upn, ["Chat.Read"]);
    const chats = (await (await c.graph(t, "/me/chats")).json()) as { value: { id: string }[] };
    const r = await c.graph(t, `/chats/${encodeURIComponent(chats.value[0].id)}/messages`, { method: "POST", json: { body: { content: "hi" } } });
    await expectGraphError(r, 403, "Forbidden");
  });
});

describe("CORS", () => {
  it("answers preflight and exposes Graph's headers", async () => {
    const r = await fetch(`${c.url}/graph/v1.0/me/chats`, {
      method: "OPTIONS",
      headers: { Origin: "https://contoso.crm.dynamics.com", "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization,consistencylevel" },
    });
    expect(r.status).toBe(204);
    expect(r.headers.get("access-control-allow-origin")).toBe("https://contoso.crm.dynamics.com");
    expect(r.headers.get("access-control-allow-headers")).toBe("authorization,consistencylevel");
    const t = await c.token(megan.upn);
    const g = await c.graph(t, "/me", { headers: { Origin: "http://localhost:8181" } });
    expect(g.headers.get("access-control-allow-origin")).toBe("http://localhost:8181");
    expect(g.headers.get("access-control-expose-headers")).toMatch(/Retry-After/);
  });

  it("leaves other paths to the host server", async () => {
    const r = await fetch(`${c.url}/index.html`);
    expect(r.status).toBe(404);
    expect(await r.text()).toBe("Not found");
  });
});
