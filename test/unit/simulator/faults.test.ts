import { type DirectoryUser, type SimClient, startClient } from "../../simulator/test-client";

let c: SimClient;
let megan: DirectoryUser;
let token: string;

beforeAll(async () => {
  c = await startClient({ seed: "demo" });
  megan = (await c.directory())[0];
  token = await c.token(megan.upn);
});
afterAll(() => c.close());
afterEach(() => c.control("/faults", { method: "DELETE" }));

const addFault = async (spec: Record<string, unknown>) => {
  const r = await c.control("/faults", { method: "POST", json: spec });
  expect(r.status).toBe(201);
  return ((await r.json()) as { id: string }).id;
};

describe("fault injection", () => {
  it("answers a Graph 429 with Retry-After and Graph's TooManyRequests body", async () => {
    await addFault({ service: "graph", path: "/me/chats", status: 429, retryAfter: 3 });
    const r = await c.graph(token, "/me/chats?$top=5");
    expect(r.status).toBe(429);
    expect(r.headers.get("retry-after")).toBe("3");
    const b = (await r.json()) as { error: { code: string; innerError: { "request-id": string } } };
    expect(b.error.code).toBe("TooManyRequests");
    expect(b.error.innerError["request-id"]).toBe(r.headers.get("request-id"));
    // other routes are untouched
    expect((await c.graph(token, "/me")).status).toBe(200);
  });

  it("answers a Dataverse 429 with Retry-After and the service-protection code", async () => {
    await addFault({ service: "dataverse", path: "tcp_chatlinks", status: 429, retryAfter: 12 });
    const r = await c.dv(megan.systemuserid, "/tcp_chatlinks?$select=tcp_chatid");
    expect(r.status).toBe(429);
    expect(r.headers.get("retry-after")).toBe("12");
    expect(await r.json()).toEqual({ error: { code: "0x80072322", message: "Number of requests exceeded the limit of 6000 over time window of 300 seconds." } });
  });

  it("applies a fault only `times` times, then lets requests through", async () => {
    await addFault({ path: "/graph/v1\\.0/me$", status: 503, times: 2 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await c.graph(token, "/me")).status);
    expect(statuses).toEqual([503, 503, 200, 200]);
  });

  it("answers 5xx with the service's own error body", async () => {
    await addFault({ service: "graph", path: "/me$", status: 500, times: 1 });
    const g = await c.graph(token, "/me");
    expect(g.status).toBe(500);
    expect(((await g.json()) as { error: { code: string } }).error.code).toBe("InternalServerError");
    await addFault({ service: "dataverse", path: "WhoAmI", status: 500, times: 1 });
    const d = await c.dv(megan.systemuserid, "/WhoAmI");
    expect(d.status).toBe(500);
    expect(((await d.json()) as { error: { code: string } }).error.code).toBe("0x80040216");
  });

  it("adds latency without changing the answer", async () => {
    await addFault({ service: "graph", path: "/me$", latencyMs: 300, times: 1 });
    const t0 = Date.now();
    const r = await c.graph(token, "/me");
    expect(r.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
  });

  it("matches on method and service", async () => {
    await addFault({ service: "dataverse", method: "DELETE", path: "tcp_chatlinks", status: 503 });
    expect((await c.dv(megan.systemuserid, "/tcp_chatlinks?$top=1")).status).toBe(200);
    expect((await c.graph(token, "/me")).status).toBe(200);
    const del = await c.dv(megan.systemuserid, "/tcp_chatlinks(00000000-0000-0000-0000-000000000000)", { method: "DELETE" });
    expect(del.status).toBe(503);
  });

  it("returns a custom body when given, and clears all faults on DELETE", async () => {
    await addFault({ path: "/me$", status: 418, body: { error: { code: "Teapot", message: "short and stout" } } });
    expect(await (await c.graph(token, "/me")).json()).toEqual({ error: { code: "Teapot", message: "short and stout" } });
    expect((await c.control("/faults", { method: "DELETE" })).status).toBe(204);
    expect((await c.graph(token, "/me")).status).toBe(200);
  });

  it("rejects malformed fault specs", async () => {
    expect((await c.control("/faults", { method: "POST", json: { path: "(" } })).status).toBe(400);
    expect((await c.control("/faults", { method: "POST", json: { path: "x", status: 42 } })).status).toBe(400);
  });

  it("logs requests with service, status and caller, and clears the log", async () => {
    await c.control("/requests", { method: "DELETE" });
    await c.graph(token, "/me");
    await c.dv(megan.systemuserid, "/WhoAmI");
    const log = (await (await c.control("/requests")).json()) as { requests: { seq: number; service: string; method: string; path: string; status: number; caller: string }[] };
    expect(log.requests.map((r) => [r.service, r.method, r.path, r.status, r.caller])).toEqual([
      ["graph", "GET", "/graph/v1.0/me", 200, megan.upn],
      ["dataverse", "GET", "/api/data/v9.2/WhoAmI", 200, megan.upn],
    ]);
    expect(log.requests[1].seq).toBeGreaterThan(log.requests[0].seq);
  });
});
