import { channelNameProblem } from "../../simulator/graph";
import { type DirectoryUser, type SimClient, startClient } from "../../simulator/test-client";

interface Team {
  id: string;
  displayName: string;
  isArchived: boolean;
}
interface Channel {
  id: string;
  displayName: string;
  webUrl: string;
  membershipType: string;
}
interface Msg {
  id: string;
  replyToId: string | null;
  body: { content: string };
  replies?: Msg[];
}
interface GraphErr {
  error: { code: string; message: string; innerError: { "request-id": string } };
}

const enc = encodeURIComponent;
let c: SimClient;
let megan: DirectoryUser;
let hannah: DirectoryUser;
let token: string;
let teams: Team[];
let clock = Date.parse("2025-03-10T12:00:00.000Z");

const json = async <T>(r: Response) => (await r.json()) as T;
const team = (name: string) => teams.find((t) => t.displayName === name)!;

beforeAll(async () => {
  c = await startClient({ seed: "demo", now: () => new Date(clock) });
  const users = await c.directory();
  megan = users[0];
  hannah = users.find((u) => u.fullname.startsWith("Hannah"))!;
  token = await c.token(megan.upn, undefined, 30 * 86400);
  teams = (await json<{ value: Team[] }>(await c.graph(token, "/me/joinedTeams"))).value;
});
afterAll(() => c.close());
afterEach(async () => {
  await c.control("/faults", { method: "DELETE" });
  clock += 5000;
});

describe("joined teams", () => {
  it("lists the caller's teams with isArchived and refuses OData options", async () => {
    expect(teams.map((t) => t.displayName)).toEqual(expect.arrayContaining(["Contoso Support", "Windows 11 Rollout 2025"]));
    expect(teams.some((t) => t.displayName === "Network Operations")).toBe(false);
    expect(team("Windows 11 Rollout 2025").isArchived).toBe(true);
    expect(team("Contoso Support").isArchived).toBe(false);
    const r = await c.graph(token, "/me/joinedTeams?$top=5");
    expect(r.status).toBe(400);
    expect((await json<GraphErr>(r)).error.message).toMatch(/Query option 'Top' is not allowed/);
  });

  it("needs Team.ReadBasic.All (or a broader scope)", async () => {
    const narrow = await c.token(megan.upn, ["Chat.Read"]);
    const r = await c.graph(narrow, "/me/joinedTeams");
    expect(r.status).toBe(403);
    expect((await json<GraphErr>(r)).error.message).toMatch(/Team\.ReadBasic\.All/);
  });
});

describe("channels", () => {
  it("creates a standard channel (201) and refuses a duplicate name in the same team with Graph's error", async () => {
    const t = team("Contoso Support");
    const r = await c.graph(token, `/teams/${t.id}/channels`, { method: "POST", json: { displayName: "CAS-01001 Fabrikam", description: "case", membershipType: "standard" } });
    expect(r.status).toBe(201);
    const ch = await json<Channel>(r);
    expect(ch.id).toMatch(/^19:.+@thread\.tacv2$/);
    expect(ch.membershipType).toBe("standard");
    expect(ch.webUrl).toContain(`groupId=${t.id}`);
    const list = await json<{ value: Channel[] }>(await c.graph(token, `/teams/${t.id}/channels`));
    expect(list.value.some((x) => x.id === ch.id)).toBe(true);
    const dup = await c.graph(token, `/teams/${t.id}/channels`, { method: "POST", json: { displayName: "cas-01001 fabrikam" } });
    expect(dup.status).toBe(400);
    const e = await json<GraphErr>(dup);
    expect(e.error.code).toBe("BadRequest");
    expect(e.error.message).toBe("Channel name already existed, please use other name.");
    expect(e.error.innerError["request-id"]).toBeTruthy();
  });

  it("refuses names against Teams' channel-name rules", async () => {
    const t = team("Contoso Support");
    for (const bad of ["a/b", "Case #12", "x".repeat(51), "_hidden", "ends.", "CON"]) {
      const r = await c.graph(token, `/teams/${t.id}/channels`, { method: "POST", json: { displayName: bad } });
      expect(r.status, bad).toBe(400);
    }
    expect(channelNameProblem("Fabrikam – printer outage")).toBeNull();
  });

  it("answers a non-member with 403 Forbidden on the team's channels and messages", async () => {
    const net = (await json<{ value: Team[] }>(await c.graph(await c.token(hannah.upn), "/me/joinedTeams"))).value.find((t) => t.displayName === "Network Operations")!;
    for (const path of [`/teams/${net.id}/channels`, `/teams/${net.id}/channels/x/messages`]) {
      const r = await c.graph(token, path);
      expect(r.status).toBe(403);
      expect((await json<GraphErr>(r)).error.code).toBe("Forbidden");
    }
    const post = await c.graph(token, `/teams/${net.id}/channels`, { method: "POST", json: { displayName: "Sneaky" } });
    expect(post.status).toBe(403);
  });

  it("keeps an archived team readable and refuses writes", async () => {
    const t = team("Windows 11 Rollout 2025");
    const chans = (await json<{ value: Channel[] }>(await c.graph(token, `/teams/${t.id}/channels`))).value;
    const msgs = await c.graph(token, `/teams/${t.id}/channels/${enc(chans[1].id)}/messages`);
    expect(msgs.status).toBe(200);
    const post = await c.graph(token, `/teams/${t.id}/channels/${enc(chans[1].id)}/messages`, { method: "POST", json: { body: { content: "hello" } } });
    expect(post.status).toBe(403);
    const create = await c.graph(token, `/teams/${t.id}/channels`, { method: "POST", json: { displayName: "New" } });
    expect(create.status).toBe(403);
  });
});

describe("channel messages and replies", () => {
  it("lists posts with $expand=replies, lists and posts replies", async () => {
    const t = team("Contoso Support");
    const general = (await json<{ value: Channel[] }>(await c.graph(token, `/teams/${t.id}/channels`))).value.find((x) => x.displayName === "General")!;
    const base = `/teams/${t.id}/channels/${enc(general.id)}/messages`;
    const page = await json<{ value: Msg[] }>(await c.graph(token, `${base}?$top=50&$expand=replies`));
    const withReplies = page.value.find((m) => (m.replies ?? []).length > 0)!;
    expect(withReplies.replies![0].replyToId).toBe(withReplies.id);
    expect(page.value.every((m) => m.replyToId === null)).toBe(true);
    const bad = await c.graph(token, `${base}?$orderby=createdDateTime desc`);
    expect(bad.status).toBe(400);

    const sent = await c.graph(token, `${base}/${withReplies.id}/replies`, { method: "POST", json: { body: { contentType: "html", content: "<p>Reply from the panel</p>" } } });
    expect(sent.status).toBe(201);
    const reply = await json<Msg>(sent);
    expect(reply.replyToId).toBe(withReplies.id);
    const replies = await json<{ value: Msg[] }>(await c.graph(token, `${base}/${withReplies.id}/replies?$top=50`));
    expect(replies.value[0].id).toBe(reply.id);
    expect((await c.graph(token, `${base}/${withReplies.id}/replies?$top=51`)).status).toBe(400);
    expect((await c.graph(token, `${base}/123/replies`)).status).toBe(404);

    const post = await c.graph(token, base, { method: "POST", json: { body: { contentType: "html", content: "<p>New post</p>" } } });
    expect(post.status).toBe(201);
    expect((await json<Msg>(post)).replyToId).toBeNull();
  });

  it("enforces 4 requests per second on one team when the limit is turned on, with Retry-After", async () => {
    const t = team("Printer Fleet Experts");
    const on = await c.control("/team-limit", { method: "POST", json: { perSecond: 4 } });
    expect(on.status).toBe(200);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 5; i++) {
      const r = await c.graph(token, `/teams/${t.id}/channels`);
      statuses.push(r.status);
      if (r.status === 429) retryAfter = r.headers.get("retry-after");
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    // Another team has its own budget.
    expect((await c.graph(token, `/teams/${team("Contoso Support").id}/channels`)).status).toBe(200);
    // A second later the team answers again.
    clock += 1000;
    expect((await c.graph(token, `/teams/${t.id}/channels`)).status).toBe(200);
  });
});
