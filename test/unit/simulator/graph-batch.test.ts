import { type DirectoryUser, type SimClient, startClient } from "../../simulator/test-client";

interface SubResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: { error?: { code: string }; value?: unknown[] } | string;
}
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

const batch = (requests: unknown[]) => c.graph(token, "/$batch", { method: "POST", json: { requests } });

describe("POST /$batch (json-batching)", () => {
  it("refuses more than 20 requests, duplicate ids and unknown dependencies", async () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i + 1), method: "GET", url: "/me" }));
    const r = await batch(many);
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe("BadRequest");
    expect((await batch(many.slice(0, 20))).status).toBe(200);
    expect((await batch([{ id: "1", method: "GET", url: "/me" }, { id: "1", method: "GET", url: "/me" }])).status).toBe(400);
    expect((await batch([{ id: "1", method: "GET", url: "/me", dependsOn: ["9"] }])).status).toBe(400);
  });

  it("answers each request with id/status/headers/body, runs dependsOn in order and fails dependents with 424", async () => {
    const r = await batch([
      { id: "3", method: "GET", url: "/me/chats?$top=1", dependsOn: ["2"] },
      { id: "1", method: "GET", url: "/me" },
      { id: "2", method: "GET", url: "/chats/19:nope@thread.v2", dependsOn: ["1"] },
      { id: "4", method: "GET", url: "me/joinedTeams" },
    ]);
    expect(r.status).toBe(200);
    const { responses } = (await r.json()) as { responses: SubResponse[] };
    const byId = Object.fromEntries(responses.map((x) => [x.id, x]));
    expect(byId["1"].status).toBe(200);
    expect(byId["2"].status).toBe(404);
    expect(byId["3"].status).toBe(424);
    expect(byId["4"].status).toBe(200);
    expect(byId["1"].headers["Content-Type"]).toMatch(/application\/json/);
    const order = responses.map((x) => x.id);
    expect(order.indexOf("1")).toBeLessThan(order.indexOf("2"));
    expect(order.indexOf("2")).toBeLessThan(order.indexOf("3"));
  });

  it("returns a 429 inside the batch as that sub-response (not retried), with Retry-After", async () => {
    await c.control("/requests", { method: "DELETE" });
    await c.control("/faults", { method: "POST", json: { service: "graph", path: "/graph/v1\\.0/me/joinedTeams", status: 429, retryAfter: 7 } });
    const r = await batch([
      { id: "a", method: "GET", url: "/me/joinedTeams" },
      { id: "b", method: "GET", url: "/me" },
    ]);
    expect(r.status).toBe(200);
    const { responses } = (await r.json()) as { responses: SubResponse[] };
    const a = responses.find((x) => x.id === "a")!;
    expect(a.status).toBe(429);
    expect(a.headers["Retry-After"]).toBe("7");
    expect((a.body as { error: { code: string } }).error.code).toBe("TooManyRequests");
    expect(responses.find((x) => x.id === "b")!.status).toBe(200);
    // One HTTP request on the wire; the simulator did not retry the throttled sub-request.
    const log = (await (await c.control("/requests")).json()) as { requests: { path: string; status: number; batch?: { id: string; path: string; status: number }[] }[] };
    expect(log.requests).toHaveLength(1);
    expect(log.requests[0]).toMatchObject({ path: "/graph/v1.0/$batch", status: 200 });
    expect(log.requests[0].batch!.filter((x) => x.path === "/graph/v1.0/me/joinedTeams")).toEqual([{ id: "a", method: "GET", path: "/graph/v1.0/me/joinedTeams", status: 429 }]);
  });

  it("carries binary bodies as base64 and honours sub-request headers", async () => {
    const r = await batch([
      { id: "p", method: "GET", url: `/users/${megan.aadObjectId}/photo/$value` },
      { id: "s", method: "GET", url: `/users?$search="displayName:megan"`, headers: { ConsistencyLevel: "eventual" } },
      { id: "n", method: "GET", url: `/users?$search="displayName:megan"` },
      { id: "post", method: "POST", url: "/chats", body: { chatType: "group", members: [] }, headers: { "Content-Type": "application/json" } },
    ]);
    const { responses } = (await r.json()) as { responses: SubResponse[] };
    const p = responses.find((x) => x.id === "p")!;
    expect(p.status).toBe(200);
    expect(Buffer.from(p.body as string, "base64").subarray(1, 4).toString()).toBe("PNG");
    expect(responses.find((x) => x.id === "s")!.status).toBe(200);
    expect(responses.find((x) => x.id === "n")!.status).toBe(400);
    expect(responses.find((x) => x.id === "post")!.status).toBe(400);
  });

  it("authenticates the batch itself and applies the caller's token to every sub-request", async () => {
    const anon = await fetch(`${c.url}/graph/v1.0/$batch`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ requests: [{ id: "1", method: "GET", url: "/me" }] }) });
    expect(anon.status).toBe(401);
    const limited = await c.token(megan.upn, ["User.Read"]);
    const r = await c.graph(limited, "/$batch", { method: "POST", json: { requests: [{ id: "1", method: "GET", url: "/me" }, { id: "2", method: "GET", url: "/me/chats" }] } });
    const { responses } = (await r.json()) as { responses: SubResponse[] };
    expect(responses.find((x) => x.id === "1")!.status).toBe(200);
    expect(responses.find((x) => x.id === "2")!.status).toBe(403);
  });
});
