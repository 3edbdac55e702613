import { SimStore } from "../../simulator/state";
import { type DirectoryUser, type SimClient, startClient } from "../../simulator/test-client";

interface Msg {
  id: string;
  messageType: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  lastEditedDateTime: string | null;
  deletedDateTime: string | null;
  from: { user: { id: string; displayName: string } } | null;
  body: { contentType: string; content: string };
  attachments: unknown[];
  mentions: unknown[];
  eventDetail: Record<string, unknown> | null;
}
interface ChatWithPreview {
  id: string;
  lastMessagePreview: { id: string; isDeleted: boolean; body: { content: string } } | null;
}

const enc = encodeURIComponent;
const now = Date.parse("2025-06-02T15:30:00.000Z");
let c: SimClient;
let megan: DirectoryUser;
let token: string;

beforeAll(async () => {
  c = await startClient({ seed: "demo", now: () => new Date(now) });
  megan = (await c.directory())[0];
  token = await c.token(megan.upn);
});
afterAll(() => c.close());

const chatByTopic = (topic: string) => c.sim.state.chats.find((ch) => ch.topic === topic)!;
async function messages(chatId: string, query = "?$top=50", headers: Record<string, string> = {}): Promise<Msg[]> {
  const r = await c.graph(token, `/chats/${enc(chatId)}/messages${query}`, { headers });
  expect(r.status).toBe(200);
  return ((await r.json()) as { value: Msg[] }).value;
}

describe("edited and deleted messages (chatMessage resource)", () => {
  it("shows a deleted message with its sender and times but no content", async () => {
    const lunch = await messages(chatByTopic("Team lunch Friday 🍕").id);
    const deleted = lunch.filter((m) => m.deletedDateTime !== null);
    expect(deleted).toHaveLength(1);
    const [d] = deleted;
    expect(d.from?.user.displayName).toBe("Chloe Dubois");
    expect(d.body.content).toBe("");
    expect(d.attachments).toEqual([]);
    expect(d.mentions).toEqual([]);
    expect(Date.parse(d.deletedDateTime!)).toBeGreaterThan(Date.parse(d.createdDateTime));
    expect(d.lastModifiedDateTime).toBe(d.deletedDateTime);
    expect(d.lastEditedDateTime).toBeNull();
  });

  it("marks edited messages with lastEditedDateTime, which also moves lastModifiedDateTime", async () => {
    const lunch = await messages(chatByTopic("Team lunch Friday 🍕").id);
    const edited = lunch.find((m) => m.lastEditedDateTime !== null)!;
    expect(edited.body.content).toContain("5 people");
    expect(edited.lastModifiedDateTime).toBe(edited.lastEditedDateTime);
    expect(Date.parse(edited.lastEditedDateTime!)).toBeGreaterThan(Date.parse(edited.createdDateTime));
    expect(edited.deletedDateTime).toBeNull();
    // untouched messages carry nulls
    expect(lunch.filter((m) => m.lastEditedDateTime === null && m.deletedDateTime === null).length).toBeGreaterThan(2);
  });

  it("gives the default demo user several edited messages and one deleted one across her chats", () => {
    const mine = c.sim.state.chats.filter((ch) => ch.members.some((m) => m.userId === megan.aadObjectId)).flatMap((ch) => ch.messages);
    expect(mine.filter((m) => m.lastEditedDateTime).length).toBeGreaterThanOrEqual(3);
    expect(mine.filter((m) => m.deletedDateTime)).toHaveLength(1);
    expect(mine.every((m) => !m.lastEditedDateTime || m.lastEditedDateTime < new Date(now).toISOString())).toBe(true);
  });

  it("finds an edit through the lastModifiedDateTime filter used for live updates", async () => {
    const chat = chatByTopic("Printer firmware 4.2 rollout");
    const edited = chat.messages.find((m) => m.lastEditedDateTime)!;
    const justBefore = new Date(Date.parse(edited.lastEditedDateTime!) - 1000).toISOString();
    const since = await messages(chat.id, `?$orderby=lastModifiedDateTime desc&$filter=lastModifiedDateTime gt ${justBefore}`);
    expect(since.map((m) => m.id)).toContain(edited.id);
    expect(since.find((m) => m.id === edited.id)!.body.content).toContain("Release notes");
  });

  it("reports a deleted last message in lastMessagePreview, and its inline images are gone", async () => {
    const created = await c.graph(token, "/chats", {
      method: "POST",
      json: {
        chatType: "group",
        topic: "Deletion check",
        members: [megan, (await c.directory())[1]].map((u) => ({ "@odata.type": "#microsoft.graph.aadUserConversationMember", roles: ["owner"], "user@odata.bind": `https://graph.microsoft.com/v1.0/users('${u.aadObjectId}')` })),
      },
    });
    const chatId = ((await created.json()) as { id: string }).id;
    const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";
    const sent = await c.graph(token, `/chats/${enc(chatId)}/messages`, {
      method: "POST",
      json: { body: { contentType: "html", content: `<p>oops</p><img src="../hostedContents/1/$value">` }, hostedContents: [{ "@microsoft.graph.temporaryId": "1", contentBytes: png, contentType: "image/png" }] },
    });
    expect(sent.status).toBe(201);
    const msgId = ((await sent.json()) as { id: string }).id;
    const chat = c.sim.state.chats.find((ch) => ch.id === chatId)!;
    const hid = chat.messages.find((m) => m.id === msgId)!.hostedContents[0].id;
    expect((await c.graph(token, `/chats/${enc(chatId)}/messages/${msgId}/hostedContents/${hid}/$value`)).status).toBe(200);
    new SimStore(c.sim.state).deleteMessage(chat.messages.find((m) => m.id === msgId)!, now);

    const r = await c.graph(token, `/chats/${enc(chatId)}?$expand=lastMessagePreview`);
    const preview = ((await r.json()) as ChatWithPreview).lastMessagePreview!;
    expect(preview).toMatchObject({ id: msgId, isDeleted: true, body: { content: "" } });
    const one = (await (await c.graph(token, `/chats/${enc(chatId)}/messages/${msgId}`)).json()) as Msg;
    expect(one.deletedDateTime).toBe(new Date(now).toISOString());
    expect(one.body.content).toBe("");
    expect((await c.graph(token, `/chats/${enc(chatId)}/messages/${msgId}/hostedContents/${hid}/$value`)).status).toBe(404);
  });
});

describe("system events in the default user's group chats", () => {
  it("include members added, a member removed and a rename, as systemEventMessage with the include-unknown-enum-members preference", async () => {
    const prefer = { Prefer: "include-unknown-enum-members" };
    const security = await messages(chatByTopic("Security awareness Q&A").id, "?$top=50", prefer);
    const kb = await messages(chatByTopic("Knowledge base: printer troubleshooting").id, "?$top=50", prefer);
    const types = [...security, ...kb].filter((m) => m.messageType === "systemEventMessage").map((m) => m.eventDetail?.["@odata.type"]);
    expect(types).toEqual(expect.arrayContaining(["#microsoft.graph.membersAddedEventMessageDetail", "#microsoft.graph.membersDeletedEventMessageDetail", "#microsoft.graph.chatRenamedEventMessageDetail"]));
    // without the preference the same events come back as unknownFutureValue
    const plain = await messages(chatByTopic("Security awareness Q&A").id);
    expect(plain.filter((m) => m.eventDetail).every((m) => m.messageType === "unknownFutureValue")).toBe(true);
  });
});
