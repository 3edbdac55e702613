/**
 * Teams and channels through the control's own Graph client, against the simulator over HTTP. Tokens carry
 * only the scopes a call asks for, so a call that asked for too little is refused as Graph refuses it.
 */
import { createGraphClient } from "../../../TeamsChatPanel/services/graph/client";
import { GraphChannelGateway } from "../../../TeamsChatPanel/services/graph/channels";
import { ServiceError } from "../../../TeamsChatPanel/services/errors";
import type { OutgoingMessage } from "../../../TeamsChatPanel/domain/messages";
import { type DirectoryUser, type SimClient, startClient } from "../../simulator/test-client";

let clock = new Date("2026-11-20T09:00:00Z");
let c: SimClient;
let users: DirectoryUser[];
const scopesAsked: string[][] = [];

function gatewayFor(user: DirectoryUser) {
  const client = createGraphClient({
    tokens: {
      getToken: async (scopes: string[]) => {
        scopesAsked.push(scopes);
        return c.token(user.upn, scopes);
      },
    },
    baseUrl: `${c.url}/graph`,
    retryDelaySeconds: 0,
  });
  return new GraphChannelGateway(client);
}

const outgoing = (html: string): OutgoingMessage => ({ clientId: `c-${html}`, html, importance: "normal", mentions: [], hostedContents: [], files: [] });

beforeAll(async () => {
  c = await startClient({ seed: "demo", now: () => clock });
  users = await c.directory();
});
afterAll(() => c.close());
beforeEach(() => {
  scopesAsked.length = 0;
  clock = new Date(clock.getTime() + 10_000);
});

describe("GraphChannelGateway", () => {
  it("lists joined teams with the archived flag, asking only for Team.ReadBasic.All", async () => {
    const g = gatewayFor(users[0]);
    const teams = await g.joinedTeams();
    expect(teams.find((t) => t.displayName === "Windows 11 Rollout 2025")?.isArchived).toBe(true);
    expect(teams.find((t) => t.displayName === "Contoso Support")?.isArchived).toBe(false);
    expect(scopesAsked).toEqual([["Team.ReadBasic.All"]]);
  });

  it("creates a channel with Channel.Create and reports a duplicate name as conflict/duplicateName", async () => {
    const g = gatewayFor(users[0]);
    const team = (await g.joinedTeams()).find((t) => t.displayName === "Printer Fleet Experts")!;
    const ch = await g.createChannel(team.id, "CAS-02002 Tailspin toner");
    expect(ch).toMatchObject({ teamId: team.id, displayName: "CAS-02002 Tailspin toner", membershipType: "standard" });
    expect(ch.webUrl).toContain("teams.microsoft.com/l/channel/");
    expect(scopesAsked).toContainEqual(["Channel.Create"]);
    const err = await g.createChannel(team.id, "cas-02002 tailspin toner").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceError);
    expect(err).toMatchObject({ kind: "conflict", code: "duplicateName", status: 400 });
    const listed = await g.listChannels(team.id);
    expect(listed.filter((x) => x.displayName.toLowerCase() === "cas-02002 tailspin toner")).toHaveLength(1);
    expect(scopesAsked).toContainEqual(["Channel.ReadBasic.All"]);
  });

  it("reads posts with replies (ChannelMessage.Read.All) and posts a message and a reply (ChannelMessage.Send)", async () => {
    const g = gatewayFor(users[0]);
    const team = (await g.joinedTeams()).find((t) => t.displayName === "Contoso Support")!;
    const general = (await g.listChannels(team.id)).find((x) => x.displayName === "General")!;
    const posts = await g.listPosts(team.id, general.id);
    expect(scopesAsked).toContainEqual(["ChannelMessage.Read.All"]);
    const threaded = posts.find((p) => p.replies.length > 1)!;
    expect(threaded.replies[0].createdDateTime <= threaded.replies[1].createdDateTime).toBe(true);
    const sent = await g.post(team.id, general.id, outgoing("<p>From the panel</p>"));
    const reply = await g.post(team.id, general.id, outgoing("<p>A reply</p>"), threaded.id);
    expect(scopesAsked).toContainEqual(["ChannelMessage.Send"]);
    const after = await g.listPosts(team.id, general.id);
    expect(after.some((p) => p.id === sent.id && p.body.content.includes("From the panel"))).toBe(true);
    expect(after.find((p) => p.id === threaded.id)!.replies.some((r) => r.id === reply.id)).toBe(true);
  });

  it("answers 'forbidden' for a team the user is not a member of", async () => {
    const hannah = users.find((u) => u.fullname.startsWith("Hannah"))!;
    const net = (await gatewayFor(hannah).joinedTeams()).find((t) => t.displayName === "Network Operations")!;
    const err = await gatewayFor(users[0]).listChannels(net.id).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: "forbidden", status: 403 });
  });

  it("gets through Teams' 4 requests per second on one team by honouring Retry-After", async () => {
    const g = gatewayFor(users[0]);
    const team = (await g.joinedTeams()).find((t) => t.displayName === "Contoso Support")!;
    await c.control("/team-limit", { method: "POST", json: { perSecond: 4 } });
    try {
      // The simulated clock moves on while the retry waits, so the team answers again.
      const tick = setInterval(() => (clock = new Date(clock.getTime() + 250)), 50);
      try {
        const all = await Promise.all([1, 2, 3, 4, 5, 6].map(() => g.listChannels(team.id)));
        expect(all.every((l) => l.length > 0)).toBe(true);
      } finally {
        clearInterval(tick);
      }
      const log = (await (await c.control("/requests")).json()) as { requests: { path: string; status: number }[] };
      expect(log.requests.some((r) => r.path.includes(`/teams/${team.id}/channels`) && r.status === 429)).toBe(true);
    } finally {
      await c.control("/faults", { method: "DELETE" });
    }
  });
});
