import { type DirectoryUser, type SimClient, startClient } from "../../simulator/test-client";
import type { SimUser } from "../../simulator/state";

interface Chat {
  id: string;
  topic: string | null;
  chatType: string;
  lastUpdatedDateTime: string;
  webUrl: string;
  members?: { id: string; userId: string; displayName: string; roles: string[]; visibleHistoryStartDateTime: string }[];
  lastMessagePreview?: { createdDateTime: string } | null;
}
interface Page<T> {
  value: T[];
  "@odata.nextLink"?: string;
}

let c: SimClient;
let users: DirectoryUser[];
let megan: DirectoryUser;
let token: string;
const enc = encodeURIComponent;
const byName = (n: string) => users.find((u) => u.fullname === n)!;
const bind = (u: DirectoryUser) => ({
  "@odata.type": "#microsoft.graph.aadUserConversationMember",
  roles: ["owner"],
  "user@odata.bind": `https://graph.microsoft.com/v1.0/users('${u.aadObjectId}')`,
});

async function body<T>(r: Response): Promise<T> {
  return (await r.json()) as T;
}

beforeAll(async () => {
  c = await startClient({ seed: "demo" });
  users = await c.directory();
  megan = users[0];
  token = await c.token(megan.upn);
});
afterAll(() => c.close());

describe("GET /me/chats (chat-list)", () => {
  it("caps $top at 50 with Graph's message and refuses 0", async () => {
    const r = await c.graph(token, "/me/chats?$top=51");
    expect(r.status).toBe(400);
    expect((await body<{ error: { message: string } }>(r)).error.message).toContain("The limit of '50' for Top query has been exceeded");
    expect((await c.graph(token, "/me/chats?$top=0")).status).toBe(400);
    expect((await c.graph(token, "/me/chats?$top=50")).status).toBe(200);
  });

  it("accepts only lastMessagePreview/createdDateTime desc as $orderby", async () => {
    expect((await c.graph(token, `/me/chats?$orderby=${enc("lastMessagePreview/createdDateTime desc")}`)).status).toBe(200);
    for (const o of ["lastMessagePreview/createdDateTime asc", "lastMessagePreview/createdDateTime", "lastUpdatedDateTime desc", "topic"]) {
      expect((await c.graph(token, `/me/chats?$orderby=${enc(o)}`)).status, o).toBe(400);
    }
  });

  it("expands only members and lastMessagePreview", async () => {
    expect((await c.graph(token, "/me/chats?$expand=members,lastMessagePreview")).status).toBe(200);
    expect((await c.graph(token, "/me/chats?$expand=messages")).status).toBe(400);
    expect((await c.graph(token, "/me/chats?$skip=10")).status).toBe(400);
  });

  it("pages with absolute nextLinks that keep the caller's options, through every chat without duplicates", async () => {
    const expected = c.sim.state.chats.filter((ch) => ch.members.some((m) => m.userId === megan.aadObjectId)).length;
    const seen: string[] = [];
    let url: string | undefined = `/me/chats?$expand=lastMessagePreview&$orderby=${enc("lastMessagePreview/createdDateTime desc")}&$top=7`;
    let pages = 0;
    let prev = Infinity;
    while (url) {
      const page: Page<Chat> = await body(await c.graph(token, url));
      pages++;
      for (const ch of page.value) {
        seen.push(ch.id);
        const k = ch.lastMessagePreview ? Date.parse(ch.lastMessagePreview.createdDateTime) : -1;
        expect(k).toBeLessThanOrEqual(prev);
        prev = k;
      }
      url = page["@odata.nextLink"];
      if (url) {
        expect(url.startsWith(`${c.url}/graph/v1.0/me/chats?`)).toBe(true);
        expect(url).toContain("$expand=lastMessagePreview");
        expect(url).toContain("$top=7");
        expect(page.value).toHaveLength(7);
      }
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(expected);
    expect(pages).toBe(Math.ceil(expected / 7));
  });

  it("defaults to 20 chats per page", async () => {
    const page: Page<Chat> = await body(await c.graph(token, "/me/chats"));
    expect(page.value).toHaveLength(20);
    expect(page["@odata.nextLink"]).toBeDefined();
  });

  it("lists only chats the caller is a member of", async () => {
    const notMine = c.sim.state.chats.find((ch) => !ch.members.some((m) => m.userId === megan.aadObjectId))!;
    let url: string | undefined = "/me/chats?$top=50&$expand=members";
    while (url) {
      const page: Page<Chat> = await body(await c.graph(token, url));
      for (const ch of page.value) {
        expect(ch.id).not.toBe(notMine.id);
        expect(ch.members!.some((m) => m.userId === megan.aadObjectId)).toBe(true);
      }
      url = page["@odata.nextLink"];
    }
  });

  it("caps expanded members at 25 per chat", async () => {
    const extra: SimUser[] = [];
    for (let i = 0; i < 30; i++) {
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
      extra.push({
        id,
        displayName: `Temp ${i}`,
        givenName: "Temp",
        surname: String(i),
        userPrincipalName: `temp${i}@contososupport.onmicrosoft.com`,
        mail: `temp${i}@contososupport.onmicrosoft.com`,
        jobTitle: "",
        department: "",
        officeLocation: "",
        businessPhones: [],
        mobilePhone: null,
        preferredLanguage: "en-US",
        accountEnabled: true,
        systemuserid: `10000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
        isSupervisor: false,
      });
    }
    c.sim.state.users.push(...extra);
    const r = await c.graph(token, "/chats", { method: "POST", json: { chatType: "group", topic: "Big room", members: [bind(megan), ...extra.map((u) => bind({ aadObjectId: u.id } as DirectoryUser))] } });
    expect(r.status).toBe(201);
    const created = await body<Chat>(r);
    const page: Page<Chat> = await body(await c.graph(token, `/me/chats?$expand=members&$filter=${enc("topic eq 'Big room'")}`));
    expect(page.value).toHaveLength(1);
    expect(page.value[0].members).toHaveLength(25);
    const full: Chat = await body(await c.graph(token, `/chats/${enc(created.id)}?$expand=members`));
    expect(full.members).toHaveLength(31);
  });

  it("filters by chatType and by member display name; refuses unsupported filters", async () => {
    const ones: Page<Chat> = await body(await c.graph(token, `/me/chats?$top=50&$filter=${enc("chatType eq 'oneOnOne'")}`));
    expect(ones.value.length).toBeGreaterThan(5);
    expect(ones.value.every((ch) => ch.chatType === "oneOnOne")).toBe(true);
    const withTomas: Page<Chat> = await body(await c.graph(token, `/me/chats?$top=50&$expand=members&$filter=${enc("members/any(o: o/displayName eq 'Tomás Alvarez')")}`));
    expect(withTomas.value.length).toBeGreaterThan(2);
    expect(withTomas.value.every((ch) => ch.members!.some((m) => m.displayName === "Tomás Alvarez"))).toBe(true);
    expect((await c.graph(token, `/me/chats?$filter=${enc("createdDateTime gt 2020-01-01T00:00:00Z")}`)).status).toBe(400);
  });

  it("lists /users/{id}/chats for the caller only", async () => {
    expect((await c.graph(token, `/users/${megan.aadObjectId}/chats`)).status).toBe(200);
    expect((await c.graph(token, `/users/${byName("Daniel Okafor").aadObjectId}/chats`)).status).toBe(403);
  });
});

describe("GET /chats/{id} (chat-get)", () => {
  it("answers 403 to a non-member and 404 to an unknown chat", async () => {
    const privacy = c.sim.state.chats.find((ch) => ch.topic === "CAS-01001 · network path to MFP")!;
    expect(privacy.members.some((m) => m.userId === megan.aadObjectId)).toBe(false);
    const r = await c.graph(token, `/chats/${enc(privacy.id)}`);
    expect(r.status).toBe(403);
    expect((await body<{ error: { code: string } }>(r)).error.code).toBe("Forbidden");
    expect((await c.graph(token, `/chats/${enc(privacy.id)}/messages`)).status).toBe(403);
    expect((await c.graph(token, `/chats/${enc("19:doesnotexist@thread.v2")}`)).status).toBe(404);
  });

  it("expands members and lastMessagePreview, nothing else", async () => {
    const mine = c.sim.state.chats.find((ch) => ch.topic === "CAS-01001 · Fabrikam duplex jams")!;
    const ok: Chat = await body(await c.graph(token, `/chats/${enc(mine.id)}?$expand=members,lastMessagePreview`));
    expect(ok.members!.map((m) => m.displayName).sort()).toEqual(["Lucas Moreau", "Megan Pierce", "Tomás Alvarez"]);
    expect(ok.lastMessagePreview!.createdDateTime).toBe(mine.messages[mine.messages.length - 1].createdDateTime);
    expect(ok.webUrl).toBe(`https://teams.microsoft.com/l/chat/${enc(mine.id)}/0?tenantId=${c.sim.state.tenantId}`);
    const plain: Chat = await body(await c.graph(token, `/chats/${enc(mine.id)}`));
    expect(plain).not.toHaveProperty("members");
    expect(plain).not.toHaveProperty("lastMessagePreview");
    expect((await c.graph(token, `/chats/${enc(mine.id)}?$expand=messages`)).status).toBe(400);
    expect((await c.graph(token, `/me/chats/${enc(mine.id)}`)).status).toBe(200);
  });
});

describe("POST /chats (chat-post)", () => {
  it("returns the existing oneOnOne chat instead of creating a second one (201 both times)", async () => {
    const other = byName("Noah Fischer");
    const before = c.sim.state.chats.length;
    const r1 = await c.graph(token, "/chats", { method: "POST", json: { chatType: "oneOnOne", members: [bind(megan), bind(other)] } });
    const r2 = await c.graph(token, "/chats", { method: "POST", json: { chatType: "oneOnOne", members: [bind(other), bind(megan)] } });
    expect(r1.status).toBe(201);
    expect(r2.status).toBe(201);
    expect((await body<Chat>(r1)).id).toBe((await body<Chat>(r2)).id);
    expect(c.sim.state.chats.length).toBe(before); // demo already has this 1:1
  });

  it("creates a new oneOnOne by UPN bind", async () => {
    const other = byName("Isabel Santos");
    const daniel = await c.token(byName("Daniel Okafor").upn);
    const r = await c.graph(daniel, "/chats", {
      method: "POST",
      json: {
        chatType: "oneOnOne",
        members: [
          { ...bind(byName("Daniel Okafor")) },
          { "@odata.type": "#microsoft.graph.aadUserConversationMember", roles: ["owner"], "user@odata.bind": `https://graph.microsoft.com/v1.0/users('${other.upn}')` },
        ],
      },
    });
    expect(r.status).toBe(201);
    const chat = await body<Chat>(r);
    expect(chat.chatType).toBe("oneOnOne");
    expect(chat.topic).toBeNull();
    expect(chat.id).toMatch(/^19:.*@unq\.gbl\.spaces$/);
  });

  it("refuses a topic, a third member or a missing caller on oneOnOne", async () => {
    const a = byName("Grace Liu");
    const b = byName("Kenji Watanabe");
    expect((await c.graph(token, "/chats", { method: "POST", json: { chatType: "oneOnOne", topic: "x", members: [bind(megan), bind(a)] } })).status).toBe(400);
    expect((await c.graph(token, "/chats", { method: "POST", json: { chatType: "oneOnOne", members: [bind(megan), bind(a), bind(b)] } })).status).toBe(400);
    expect((await c.graph(token, "/chats", { method: "POST", json: { chatType: "oneOnOne", members: [bind(a), bind(b)] } })).status).toBe(400);
  });

  it("requires owner or guest roles, the aadUserConversationMember type and a known chatType", async () => {
    const a = byName("Grace Liu");
    const r = await c.graph(token, "/chats", { method: "POST", json: { chatType: "group", members: [bind(megan), { ...bind(a), roles: ["member"] }] } });
    expect(r.status).toBe(400);
    expect((await body<{ error: { message: string } }>(r)).error.message).toBe("The passed-in role 'member' is not supported.");
    expect((await c.graph(token, "/chats", { method: "POST", json: { chatType: "group", members: [bind(megan), { ...bind(a), "@odata.type": "#microsoft.graph.conversationMember" }] } })).status).toBe(400);
    expect((await c.graph(token, "/chats", { method: "POST", json: { chatType: "meeting", members: [bind(megan), bind(a)] } })).status).toBe(400);
    expect((await c.graph(token, "/chats", { method: "POST", json: { chatType: "group", members: [] } })).status).toBe(400);
    expect((await c.graph(token, "/chats", { method: "POST", json: { chatType: "group", members: [bind(megan)] } })).status).toBe(400);
  });

  it("always creates a new group chat and sets its topic", async () => {
    const members = [bind(megan), bind(byName("Grace Liu")), bind(byName("Kenji Watanabe"))];
    const r1 = await body<Chat>(await c.graph(token, "/chats", { method: "POST", json: { chatType: "group", topic: "Renewal prep", members } }));
    const r2 = await body<Chat>(await c.graph(token, "/chats", { method: "POST", json: { chatType: "group", topic: "Renewal prep", members } }));
    expect(r1.id).not.toBe(r2.id);
    expect(r1.topic).toBe("Renewal prep");
    expect(r1.id).toMatch(/^19:[0-9a-f]{32}@thread\.v2$/);
  });
});

describe("PATCH /chats/{id} (chat-patch)", () => {
  it("renames group chats only, at most 250 characters, without ':', and records a chatRenamed event", async () => {
    const group = await body<Chat>(await c.graph(token, "/chats", { method: "POST", json: { chatType: "group", members: [bind(megan), bind(byName("Amara Nwosu"))] } }));
    const path = `/chats/${enc(group.id)}`;
    expect((await c.graph(token, path, { method: "PATCH", json: { topic: "x".repeat(251) } })).status).toBe(400);
    expect((await c.graph(token, path, { method: "PATCH", json: { topic: "Case: 42" } })).status).toBe(400);
    expect((await c.graph(token, path, { method: "PATCH", json: { topic: "ok", chatType: "oneOnOne" } })).status).toBe(400);
    const ok = await c.graph(token, path, { method: "PATCH", json: { topic: "y".repeat(250) } });
    expect(ok.status).toBe(200);
    const renamed = await body<Chat>(ok);
    expect(renamed.topic).toBe("y".repeat(250));
    expect(Date.parse(renamed.lastUpdatedDateTime)).toBeGreaterThanOrEqual(Date.parse(group.lastUpdatedDateTime));
    const withEnum: Page<{ messageType: string; eventDetail: Record<string, unknown> }> = await body(
      await c.graph(token, `${path}/messages`, { headers: { Prefer: "include-unknown-enum-members" } }),
    );
    expect(withEnum.value[0].messageType).toBe("systemEventMessage");
    expect(withEnum.value[0].eventDetail["@odata.type"]).toBe("#microsoft.graph.chatRenamedEventMessageDetail");
    expect(withEnum.value[0].eventDetail.chatDisplayName).toBe("y".repeat(250));
    const plain: Page<{ messageType: string }> = await body(await c.graph(token, `${path}/messages`));
    expect(plain.value[0].messageType).toBe("unknownFutureValue");

    const oneOnOne = c.sim.state.chats.find((ch) => ch.chatType === "oneOnOne" && ch.members.some((m) => m.userId === megan.aadObjectId))!;
    expect((await c.graph(token, `/chats/${enc(oneOnOne.id)}`, { method: "PATCH", json: { topic: "nope" } })).status).toBe(400);
  });
});

describe("chat members (chat-post-members, chat-delete-members)", () => {
  it("adds with 201 + Location, limits history, records events, removes with 204", async () => {
    const group = await body<Chat>(
      await c.graph(token, "/chats", { method: "POST", json: { chatType: "group", topic: "Members test", members: [bind(megan), bind(byName("Amara Nwosu"))] } }),
    );
    const path = `/chats/${enc(group.id)}`;
    await c.graph(token, `${path}/messages`, { method: "POST", json: { body: { content: "before the newcomer joined" } } });
    await new Promise((r) => setTimeout(r, 5));
    const chloe = byName("Chloe Dubois");
    const add = await c.graph(token, `${path}/members`, {
      method: "POST",
      json: { "@odata.type": "#microsoft.graph.aadUserConversationMember", "user@odata.bind": `https://graph.microsoft.com/v1.0/users/${chloe.aadObjectId}`, roles: ["owner"] },
    });
    expect(add.status).toBe(201);
    const location = add.headers.get("location")!;
    expect(location).toMatch(new RegExp(`^/chats/.*/members/.+`));
    const membershipId = decodeURIComponent(location.split("/members/")[1]);
    // adding again is refused
    expect(
      (
        await c.graph(token, `${path}/members`, {
          method: "POST",
          json: { "@odata.type": "#microsoft.graph.aadUserConversationMember", "user@odata.bind": `https://graph.microsoft.com/v1.0/users/${chloe.aadObjectId}`, roles: ["owner"] },
        })
      ).status,
    ).toBe(409);

    const members: Page<{ id: string; userId: string; visibleHistoryStartDateTime: string }> = await body(await c.graph(token, `${path}/members`));
    const m = members.value.find((x) => x.userId === chloe.aadObjectId)!;
    expect(m.id).toBe(membershipId);
    expect(m.visibleHistoryStartDateTime).not.toBe("0001-01-01T00:00:00Z");

    // the newcomer sees the membersAdded event but not the earlier message
    const chloeToken = await c.token(chloe.upn);
    const seen: Page<{ body: { content: string }; eventDetail: Record<string, unknown> | null }> = await body(await c.graph(chloeToken, `${path}/messages`));
    expect(seen.value.some((x) => x.body.content === "before the newcomer joined")).toBe(false);
    expect(seen.value.some((x) => x.eventDetail?.["@odata.type"] === "#microsoft.graph.membersAddedEventMessageDetail")).toBe(true);
    const meganSees: Page<{ body: { content: string } }> = await body(await c.graph(token, `${path}/messages`));
    expect(meganSees.value.some((x) => x.body.content === "before the newcomer joined")).toBe(true);

    const del = await c.graph(token, `${path}/members/${enc(membershipId)}`, { method: "DELETE" });
    expect(del.status).toBe(204);
    expect((await c.graph(token, `${path}/members/${enc(membershipId)}`, { method: "DELETE" })).status).toBe(404);
    const after: Page<{ eventDetail: Record<string, unknown> | null }> = await body(await c.graph(token, `${path}/messages`));
    expect(after.value[0].eventDetail?.["@odata.type"]).toBe("#microsoft.graph.membersDeletedEventMessageDetail");
    expect((await c.graph(chloeToken, `${path}/messages`)).status).toBe(403);
  });

  it("refuses roster changes on oneOnOne chats", async () => {
    const oneOnOne = c.sim.state.chats.find((ch) => ch.chatType === "oneOnOne" && ch.members.some((m) => m.userId === megan.aadObjectId))!;
    const path = `/chats/${enc(oneOnOne.id)}`;
    const add = await c.graph(token, `${path}/members`, {
      method: "POST",
      json: { "@odata.type": "#microsoft.graph.aadUserConversationMember", "user@odata.bind": `https://graph.microsoft.com/v1.0/users/${byName("Chloe Dubois").aadObjectId}`, roles: ["owner"] },
    });
    expect(add.status).toBe(400);
    const del = await c.graph(token, `${path}/members/${enc(oneOnOne.members[1].membershipId)}`, { method: "DELETE" });
    expect(del.status).toBe(400);
  });

  it("needs ChatMember.ReadWrite to change members", async () => {
    const t = await c.token(megan.upn, ["Chat.Read", "ChatMessage.Send"]);
    const group = c.sim.state.chats.find((ch) => ch.chatType === "group" && ch.members.some((m) => m.userId === megan.aadObjectId))!;
    const r = await c.graph(t, `/chats/${enc(group.id)}/members/${enc(group.members[1].membershipId)}`, { method: "DELETE" });
    expect(r.status).toBe(403);
  });
});
