import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createGraphClient } from "../../../TeamsChatPanel/services/graph/client";
import { GraphChatGateway } from "../../../TeamsChatPanel/services/graph/chatGateway";
import { AuthRequiredError, ServiceError } from "../../../TeamsChatPanel/services/errors";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let server: Server;
let base = "";
let handler: Handler = (_req, res) => res.end();
const seen: Array<{ url: string; auth?: string; consistency?: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? "", auth: req.headers.authorization, consistency: req.headers["consistencylevel"] as string | undefined });
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graph`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => (seen.length = 0));

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** The request's JSON body, handed to `then` once it has arrived. */
function readJson(req: IncomingMessage, then: (body: unknown) => void): void {
  let data = "";
  req.on("data", (c) => (data += c));
  req.on("end", () => then(JSON.parse(data)));
}

function gateway(tokens = { getToken: vi.fn(async (_s: string[], o?: { forceRefresh?: boolean }) => (o?.forceRefresh ? "fresh" : "stale")) }) {
  return { gw: new GraphChatGateway(createGraphClient({ tokens, baseUrl: base, retryDelaySeconds: 0 }), base), tokens };
}

describe("Graph gateway over the real Graph client", () => {
  it("asks for the first page with Graph's allowed options and follows nextLink relative to the base", async () => {
    handler = (req, res) =>
      req.url?.includes("skiptoken")
        ? json(res, 200, { value: [{ id: "c2", chatType: "group", createdDateTime: "2026-01-01T00:00:00Z" }] })
        : json(res, 200, { value: [{ id: "c1", chatType: "oneOnOne", createdDateTime: "2026-01-02T00:00:00Z" }], "@odata.nextLink": `${base}/v1.0/me/chats?$skiptoken=abc&$top=50` });
    const { gw, tokens } = gateway();
    const first = await gw.listChats();
    expect(decodeURIComponent(seen[0].url)).toBe("/graph/v1.0/me/chats?$expand=members,lastMessagePreview&$orderby=lastMessagePreview/createdDateTime desc&$top=50");
    expect(seen[0].auth).toBe("Bearer stale");
    expect(tokens.getToken).toHaveBeenCalledWith(["Chat.Read"]);
    const second = await gw.listChats(first.next);
    expect(second.items.map((c) => c.id)).toEqual(["c2"]);
    expect(seen[1].url).toContain("skiptoken=abc");
  });

  it("refuses a nextLink that points at another host, so the token never leaves", async () => {
    const { gw } = gateway();
    await expect(gw.listChats("https://evil.example/v1.0/me/chats?$skiptoken=x")).rejects.toMatchObject({ kind: "invalid" });
    expect(seen).toHaveLength(0);
  });

  it("waits for Retry-After on 429 and then succeeds", async () => {
    let n = 0;
    handler = (_req, res) => (n++ === 0 ? json(res, 429, { error: { code: "TooManyRequests", message: "slow down" } }, { "Retry-After": "1" }) : json(res, 200, { value: [] }));
    const { gw } = gateway();
    const started = Date.now();
    await gw.listChats();
    expect(seen).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it("does not sit silently through a long Retry-After: it reports throttling with the wait", async () => {
    handler = (_req, res) => json(res, 429, { error: { code: "TooManyRequests", message: "slow down" } }, { "Retry-After": "120" });
    const { gw } = gateway();
    const err = (await gw.listChats().catch((e) => e)) as ServiceError;
    expect(seen).toHaveLength(1);
    expect(err.kind).toBe("throttled");
    expect(err.retryAfterSeconds).toBe(120);
  });

  it("renews a refused token once, then asks the user to sign in", async () => {
    handler = (_req, res) => json(res, 401, { error: { code: "InvalidAuthenticationToken", message: "expired" } });
    const { gw, tokens } = gateway();
    const err = await gw.listChats().catch((e) => e);
    expect(err).toBeInstanceOf(AuthRequiredError);
    expect(seen.map((s) => s.auth)).toEqual(["Bearer stale", "Bearer fresh"]);
    expect(tokens.getToken).toHaveBeenLastCalledWith(["Chat.Read"], { forceRefresh: true });
  });

  it("succeeds after renewal when the fresh token is accepted", async () => {
    handler = (req, res) => (req.headers.authorization === "Bearer fresh" ? json(res, 200, { value: [] }) : json(res, 401, { error: { code: "InvalidAuthenticationToken", message: "expired" } }));
    const { gw } = gateway();
    await expect(gw.listChats()).resolves.toEqual({ items: [], next: undefined });
  });

  it("searches people with ConsistencyLevel eventual and its own scope", async () => {
    handler = (_req, res) => json(res, 200, { value: [{ id: "u1", displayName: "Alex Wilber" }] });
    const { gw, tokens } = gateway();
    const people = await gw.searchPeople('Al"ex');
    expect(people.map((p) => p.displayName)).toEqual(["Alex Wilber"]);
    expect(seen[0].consistency).toBe("eventual");
    expect(decodeURIComponent(seen[0].url)).toContain('$search="displayName:Al ex"');
    expect(tokens.getToken).toHaveBeenCalledWith(["User.ReadBasic.All"]);
  });

  it("creates a group chat with every member bound as owner, then reads it back with members", async () => {
    const bodies: unknown[] = [];
    handler = (req, res) => {
      if (req.method === "POST") {
        readJson(req, (body) => {
          bodies.push(body as Record<string, unknown>);
          json(res, 201, { id: "19:new@thread.v2", chatType: "group", createdDateTime: "2026-01-01T00:00:00Z" })
        });
      } else json(res, 200, { id: "19:new@thread.v2", chatType: "group", topic: "T", createdDateTime: "2026-01-01T00:00:00Z", members: [] });
    };
    const { gw, tokens } = gateway();
    const chat = await gw.createChat({ meId: "me", memberIds: ["a", "b", "a"], topic: " T " });
    expect(chat.id).toBe("19:new@thread.v2");
    expect(bodies[0]).toEqual({
      chatType: "group",
      topic: "T",
      members: ["me", "a", "b"].map((id) => ({ "@odata.type": "#microsoft.graph.aadUserConversationMember", roles: ["owner"], "user@odata.bind": `https://graph.microsoft.com/v1.0/users('${id}')` })),
    });
    expect(tokens.getToken).toHaveBeenCalledWith(["Chat.Create"]);
  });

  it("sends no topic for a one-to-one chat", async () => {
    const bodies: Array<Record<string, unknown>> = [];
    handler = (req, res) => {
      if (req.method === "POST") {
        readJson(req, (body) => {
          bodies.push(body as Record<string, unknown>);
          json(res, 201, { id: "19:one", chatType: "oneOnOne", createdDateTime: "2026-01-01T00:00:00Z" })
        });
      } else json(res, 200, { id: "19:one", chatType: "oneOnOne", createdDateTime: "2026-01-01T00:00:00Z", members: [] });
    };
    const { gw } = gateway();
    await gw.createChat({ meId: "me", memberIds: ["a"], topic: "ignored" });
    expect(bodies[0].chatType).toBe("oneOnOne");
    expect(bodies[0]).not.toHaveProperty("topic");
  });

  it("fetches linked chats in $batch and leaves out the ones Graph refuses", async () => {
    handler = (req, res) => {
      readJson(req, (body) => {
        const { requests } = body as { requests: Array<{ id: string }> };
        json(res, 200, { responses: requests.map((r, i) => (i === 0 ? { id: r.id, status: 200, body: { id: "c1", chatType: "group", createdDateTime: "2026-01-01T00:00:00Z" } } : { id: r.id, status: 403, body: { error: { code: "Forbidden" } } })) });
      });
    };
    const { gw } = gateway();
    const chats = await gw.getChats(Array.from({ length: 25 }, (_, i) => `c${i}`));
    expect(seen).toHaveLength(2); // 20 + 5: Graph's batch limit
    expect(chats.map((c) => c.id)).toEqual(["c1", "c1"]);
  });
});
