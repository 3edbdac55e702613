/**
 * Chat participants through the control's own Graph client and middleware, against the simulator over
 * HTTP. Each user gets tokens carrying only the scopes a call asks for, so a call that asked for too
 * little would be refused just as Graph refuses it.
 */
import { createGraphClient } from "../../../TeamsChatPanel/services/graph/client";
import { ALL_HISTORY, addChatMember, listChatMembers, removeChatMember } from "../../../TeamsChatPanel/services/graph/members";
import { ServiceError } from "../../../TeamsChatPanel/services/errors";
import { type DirectoryUser, type SimClient, startClient } from "../../simulator/test-client";

const DAY = 86_400_000;
let clock = new Date("2026-11-20T09:00:00Z");
let c: SimClient;
let users: DirectoryUser[];
const scopesAsked: string[][] = [];
const enc = encodeURIComponent;
const byName = (name: string) => users.find((u) => u.fullname === name)!;

function clientFor(user: DirectoryUser) {
  return createGraphClient({
    tokens: {
      getToken: async (scopes: string[]) => {
        scopesAsked.push(scopes);
        return c.token(user.upn, scopes);
      },
    },
    baseUrl: `${c.url}/graph`,
    retryDelaySeconds: 0,
  });
}

const bind = (u: DirectoryUser) => ({
  "@odata.type": "#microsoft.graph.aadUserConversationMember",
  roles: ["owner"],
  "user@odata.bind": `https://graph.microsoft.com/v1.0/users('${u.aadObjectId}')`,
});

/** A new group chat of Megan's with one message in it, written at the current simulated time. */
async function groupWithMessage(others: DirectoryUser[], text: string): Promise<string> {
  const megan = byName("Megan Pierce");
  const token = await c.token(megan.upn);
  const created = (await (await c.graph(token, "/chats", { method: "POST", json: { chatType: "group", members: [bind(megan), ...others.map(bind)] } })).json()) as { id: string };
  const posted = await c.graph(token, `/chats/${enc(created.id)}/messages`, { method: "POST", json: { body: { content: text } } });
  expect(posted.status).toBe(201);
  return created.id;
}

/** What one user reads in a chat, as message texts. */
async function textsSeenBy(user: DirectoryUser, chatId: string): Promise<string[]> {
  const r = await c.graph(await c.token(user.upn), `/chats/${enc(chatId)}/messages`);
  expect(r.status).toBe(200);
  return ((await r.json()) as { value: Array<{ body: { content: string } }> }).value.map((m) => m.body.content);
}

beforeAll(async () => {
  c = await startClient({ seed: "demo", now: () => clock });
  users = await c.directory();
});
afterAll(() => c.close());
beforeEach(() => {
  scopesAsked.length = 0;
  clock = new Date(clock.getTime() + DAY);
});

describe("listChatMembers", () => {
  it("returns the whole roster with membership ids, names and emails, asking only for Chat.Read, which reading chats already has", async () => {
    const megan = byName("Megan Pierce");
    const amara = byName("Amara Nwosu");
    const chatId = await groupWithMessage([amara], "hello");
    const members = await listChatMembers(clientFor(megan), chatId);
    expect(members.map((m) => m.displayName).sort()).toEqual(["Amara Nwosu", "Megan Pierce"]);
    const a = members.find((m) => m.userId === amara.aadObjectId)!;
    expect(a.email).toBe(amara.email);
    expect(a.membershipId).toBe(c.sim.state.chats.find((ch) => ch.id === chatId)!.members.find((m) => m.userId === amara.aadObjectId)!.membershipId);
    expect(scopesAsked).toEqual([["Chat.Read"]]);
  });

  it("lists more than the 25 people the chat list expands", async () => {
    const megan = byName("Megan Pierce");
    // Thirty more directory users, cloned from a demo user, so the room is bigger than the list's cap.
    const template = c.sim.state.users.find((u) => u.id !== megan.aadObjectId)!;
    const extra = Array.from({ length: 30 }, (_, i) => {
      const id = `00000000-0000-4000-8000-${String(900 + i).padStart(12, "0")}`;
      c.sim.state.users.push({ ...template, id, displayName: `Extra ${i}`, userPrincipalName: `extra${i}@contoso.test`, mail: `extra${i}@contoso.test`, systemuserid: `10000000-0000-4000-8000-${String(900 + i).padStart(12, "0")}` });
      return { aadObjectId: id } as DirectoryUser;
    });
    const chatId = await groupWithMessage(extra, "big room");
    const members = await listChatMembers(clientFor(megan), chatId);
    expect(members).toHaveLength(31);
    expect(new Set(members.map((m) => m.membershipId)).size).toBe(31);
    expect(members.find((m) => m.displayName === "Extra 29")?.email).toBe("extra29@contoso.test");
  });

  it("refuses a chat the caller is not in (forbidden) and an unknown chat (notFound)", async () => {
    const megan = byName("Megan Pierce");
    const notMine = c.sim.state.chats.find((ch) => !ch.members.some((m) => m.userId === megan.aadObjectId))!;
    const forbidden = (await listChatMembers(clientFor(megan), notMine.id).catch((e: unknown) => e)) as ServiceError;
    expect(forbidden).toBeInstanceOf(ServiceError);
    expect(forbidden.kind).toBe("forbidden");
    const missing = (await listChatMembers(clientFor(megan), "19:doesnotexist@thread.v2").catch((e: unknown) => e)) as ServiceError;
    expect(missing.kind).toBe("notFound");
  });
});

describe("addChatMember", () => {
  it("without historyFrom shares no history: the newcomer reads only what follows", async () => {
    const megan = byName("Megan Pierce");
    const chloe = byName("Chloe Dubois");
    const chatId = await groupWithMessage([byName("Amara Nwosu")], "said before Chloe joined");
    clock = new Date(clock.getTime() + 60_000);
    await addChatMember(clientFor(megan), chatId, chloe.aadObjectId);
    expect(scopesAsked).toEqual([["ChatMember.ReadWrite"]]);

    const members = await listChatMembers(clientFor(megan), chatId);
    expect(members.some((m) => m.userId === chloe.aadObjectId)).toBe(true);
    const stored = c.sim.state.chats.find((ch) => ch.id === chatId)!.members.find((m) => m.userId === chloe.aadObjectId)!;
    expect(stored.visibleHistoryStartDateTime).toBe(clock.toISOString());
    expect(await textsSeenBy(chloe, chatId)).not.toContain("said before Chloe joined");
    expect(await textsSeenBy(megan, chatId)).toContain("said before Chloe joined");
  });

  it("with ALL_HISTORY shares everything, the way Teams' 'Include all chat history' does", async () => {
    const megan = byName("Megan Pierce");
    const grace = byName("Grace Liu");
    const chatId = await groupWithMessage([byName("Amara Nwosu")], "an old message");
    clock = new Date(clock.getTime() + 400 * DAY);
    await addChatMember(clientFor(megan), chatId, grace.aadObjectId, ALL_HISTORY);
    const stored = c.sim.state.chats.find((ch) => ch.id === chatId)!.members.find((m) => m.userId === grace.aadObjectId)!;
    expect(stored.visibleHistoryStartDateTime).toBe("0001-01-01T00:00:00Z");
    expect(await textsSeenBy(grace, chatId)).toContain("an old message");
  });

  it("with an instant shares the messages from then on (the past N days)", async () => {
    const megan = byName("Megan Pierce");
    const kenji = byName("Kenji Watanabe");
    const lucas = byName("Lucas Moreau");
    const chatId = await groupWithMessage([byName("Amara Nwosu")], "three days ago");
    clock = new Date(clock.getTime() + 3 * DAY);
    await addChatMember(clientFor(megan), chatId, kenji.aadObjectId, new Date(clock.getTime() - 7 * DAY).toISOString());
    await addChatMember(clientFor(megan), chatId, lucas.aadObjectId, new Date(clock.getTime() - 1 * DAY).toISOString());
    expect(await textsSeenBy(kenji, chatId)).toContain("three days ago");
    expect(await textsSeenBy(lucas, chatId)).not.toContain("three days ago");
  });

  it("is refused for a one-to-one chat with Graph's 400, as ServiceError 'invalid'", async () => {
    const megan = byName("Megan Pierce");
    const oneOnOne = c.sim.state.chats.find((ch) => ch.chatType === "oneOnOne" && ch.members.some((m) => m.userId === megan.aadObjectId))!;
    const before = oneOnOne.members.length;
    const err = (await addChatMember(clientFor(megan), oneOnOne.id, byName("Chloe Dubois").aadObjectId).catch((e: unknown) => e)) as ServiceError;
    expect(err).toBeInstanceOf(ServiceError);
    expect(err.kind).toBe("invalid");
    expect(err.status).toBe(400);
    expect(oneOnOne.members).toHaveLength(before);
  });

  it("reports someone already in the chat as a conflict and a chat the caller is not in as forbidden", async () => {
    const megan = byName("Megan Pierce");
    const amara = byName("Amara Nwosu");
    const chatId = await groupWithMessage([amara], "hi");
    const again = (await addChatMember(clientFor(megan), chatId, amara.aadObjectId).catch((e: unknown) => e)) as ServiceError;
    expect(again.kind).toBe("conflict");
    const notMine = c.sim.state.chats.find((ch) => ch.chatType === "group" && !ch.members.some((m) => m.userId === megan.aadObjectId))!;
    const refused = (await addChatMember(clientFor(megan), notMine.id, amara.aadObjectId).catch((e: unknown) => e)) as ServiceError;
    expect(refused.kind).toBe("forbidden");
  });
});

describe("removeChatMember", () => {
  it("removes by membership id with ChatMember.ReadWrite; the removed person can no longer read the chat", async () => {
    const megan = byName("Megan Pierce");
    const amara = byName("Amara Nwosu");
    const chloe = byName("Chloe Dubois");
    const chatId = await groupWithMessage([amara, chloe], "before the removal");
    const target = (await listChatMembers(clientFor(megan), chatId)).find((m) => m.userId === chloe.aadObjectId)!;
    scopesAsked.length = 0;
    await removeChatMember(clientFor(megan), chatId, target.membershipId);
    expect(scopesAsked).toEqual([["ChatMember.ReadWrite"]]);
    const after = await listChatMembers(clientFor(megan), chatId);
    expect(after.map((m) => m.displayName).sort()).toEqual(["Amara Nwosu", "Megan Pierce"]);
    const r = await c.graph(await c.token(chloe.upn), `/chats/${enc(chatId)}/messages`);
    expect(r.status).toBe(403);
  });

  it("says notFound for a membership that is gone and 'invalid' for a one-to-one chat", async () => {
    const megan = byName("Megan Pierce");
    const chatId = await groupWithMessage([byName("Amara Nwosu"), byName("Grace Liu")], "x");
    const target = (await listChatMembers(clientFor(megan), chatId)).find((m) => m.displayName === "Grace Liu")!;
    await removeChatMember(clientFor(megan), chatId, target.membershipId);
    const gone = (await removeChatMember(clientFor(megan), chatId, target.membershipId).catch((e: unknown) => e)) as ServiceError;
    expect(gone.kind).toBe("notFound");

    const oneOnOne = c.sim.state.chats.find((ch) => ch.chatType === "oneOnOne" && ch.members.some((m) => m.userId === megan.aadObjectId))!;
    const other = oneOnOne.members.find((m) => m.userId !== megan.aadObjectId)!;
    const refused = (await removeChatMember(clientFor(megan), oneOnOne.id, other.membershipId).catch((e: unknown) => e)) as ServiceError;
    expect(refused.kind).toBe("invalid");
    expect(oneOnOne.members.some((m) => m.membershipId === other.membershipId)).toBe(true);
  });
});
