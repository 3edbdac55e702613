import { type DirectoryUser, type SimClient, startClient } from "../../simulator/test-client";
import { encodePng } from "../../simulator/png";

interface Msg {
  id: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  messageType: string;
  importance: string;
  chatId: string;
  body: { contentType: string; content: string };
  from: { user: { id: string; displayName: string } } | null;
  mentions: { id: number; mentionText: string; mentioned: { user: { id: string } } }[];
  attachments: { id: string; contentType: string; contentUrl: string; name: string }[];
}
interface Page<T> {
  value: T[];
  "@odata.nextLink"?: string;
}

const enc = encodeURIComponent;
let c: SimClient;
let users: DirectoryUser[];
let megan: DirectoryUser;
let token: string;
let chatId: string;
let clock = Date.parse("2025-03-10T12:00:00.000Z");

async function body<T>(r: Response): Promise<T> {
  return (await r.json()) as T;
}
const msgs = (q = "") => `/chats/${enc(chatId)}/messages${q}`;

beforeAll(async () => {
  // A controllable clock: every request can advance it so message times are predictable.
  c = await startClient({ seed: "demo", now: () => new Date(clock) });
  users = await c.directory();
  megan = users[0];
  // The token's lifetime follows the simulated clock, which this file moves forward by hours.
  token = await c.token(megan.upn, undefined, 30 * 86400);
  const tomas = users.find((u) => u.fullname === "Tomás Alvarez")!;
  const r = await c.graph(token, "/chats", {
    method: "POST",
    json: {
      chatType: "group",
      topic: "Message rules",
      members: [megan, tomas].map((u) => ({ "@odata.type": "#microsoft.graph.aadUserConversationMember", roles: ["owner"], "user@odata.bind": `https://graph.microsoft.com/v1.0/users('${u.aadObjectId}')` })),
    },
  });
  chatId = ((await r.json()) as { id: string }).id;
  for (let i = 0; i < 60; i++) {
    clock += 60_000;
    const p = await c.graph(token, msgs(), { method: "POST", json: { body: { content: `message ${i}` } } });
    expect(p.status).toBe(201);
  }
});
afterAll(() => c.close());

describe("GET /chats/{id}/messages (chat-list-messages)", () => {
  it("caps $top at 50 and defaults to 20", async () => {
    expect((await c.graph(token, msgs("?$top=51"))).status).toBe(400);
    expect((await body<Page<Msg>>(await c.graph(token, msgs("?$top=50")))).value).toHaveLength(50);
    expect((await body<Page<Msg>>(await c.graph(token, msgs()))).value).toHaveLength(20);
  });

  it("orders newest first by lastModifiedDateTime (default) or createdDateTime, desc only", async () => {
    const page = await body<Page<Msg>>(await c.graph(token, msgs("?$top=50")));
    const times = page.value.map((m) => Date.parse(m.lastModifiedDateTime));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect((await c.graph(token, msgs(`?$orderby=${enc("createdDateTime desc")}`))).status).toBe(200);
    expect((await c.graph(token, msgs(`?$orderby=${enc("lastModifiedDateTime desc")}`))).status).toBe(200);
    expect((await c.graph(token, msgs(`?$orderby=${enc("createdDateTime asc")}`))).status).toBe(400);
    expect((await c.graph(token, msgs(`?$orderby=createdDateTime`))).status).toBe(400);
    expect((await c.graph(token, msgs(`?$orderby=${enc("importance desc")}`))).status).toBe(400);
  });

  it("applies lastModifiedDateTime gt/lt (alone, because it is the default order, or as a range)", async () => {
    const all = await body<Page<Msg>>(await c.graph(token, msgs("?$top=50")));
    const pivot = all.value[9].lastModifiedDateTime; // 9 newer messages after it
    const gt = await body<Page<Msg>>(await c.graph(token, msgs(`?$filter=${enc(`lastModifiedDateTime gt ${pivot}`)}`)));
    expect(gt.value).toHaveLength(9);
    const lo = all.value[20].lastModifiedDateTime;
    const range = await body<Page<Msg>>(
      await c.graph(token, msgs(`?$orderby=${enc("lastModifiedDateTime desc")}&$filter=${enc(`lastModifiedDateTime gt ${lo} and lastModifiedDateTime lt ${pivot}`)}`)),
    );
    expect(range.value).toHaveLength(10);
  });

  it("applies createdDateTime lt only with $orderby createdDateTime, otherwise ignores the filter (as documented)", async () => {
    const all = await body<Page<Msg>>(await c.graph(token, msgs("?$top=50")));
    const pivot = all.value[30].createdDateTime;
    const filtered = await body<Page<Msg>>(await c.graph(token, msgs(`?$top=50&$orderby=${enc("createdDateTime desc")}&$filter=${enc(`createdDateTime lt ${pivot}`)}`)));
    expect(filtered.value.every((m) => Date.parse(m.createdDateTime) < Date.parse(pivot))).toBe(true);
    const ignored = await body<Page<Msg>>(await c.graph(token, msgs(`?$top=50&$filter=${enc(`createdDateTime lt ${pivot}`)}`)));
    expect(ignored.value).toHaveLength(50);
    expect(ignored.value.some((m) => Date.parse(m.createdDateTime) >= Date.parse(pivot))).toBe(true);
  });

  it("refuses operators the docs do not list, with Graph's wording", async () => {
    const r = await c.graph(token, msgs(`?$orderby=${enc("createdDateTime desc")}&$filter=${enc("createdDateTime gt 2025-03-10T12:00:00Z")}`));
    expect(r.status).toBe(400);
    expect((await body<{ error: { message: string } }>(r)).error.message).toBe(
      "The entity property 'createdDateTime' and operationKind 'GreaterThan' is not allowed in $filter query.",
    );
    expect((await c.graph(token, msgs(`?$filter=${enc("lastModifiedDateTime ge 2025-03-10T12:00:00Z")}`))).status).toBe(400);
    expect((await c.graph(token, msgs(`?$filter=${enc("importance eq 'high'")}`))).status).toBe(400);
    expect((await c.graph(token, msgs("?$select=id"))).status).toBe(400);
  });

  it("pages through every message with nextLink, without duplicates", async () => {
    const ids: string[] = [];
    let url: string | undefined = msgs("?$top=13");
    while (url) {
      const page: Page<Msg> = await body(await c.graph(token, url));
      ids.push(...page.value.map((m) => m.id));
      url = page["@odata.nextLink"];
      if (url) expect(url).toContain("$top=13");
    }
    const expected = c.sim.state.chats.find((ch) => ch.id === chatId)!.messages.length;
    expect(ids).toHaveLength(expected);
    expect(new Set(ids).size).toBe(expected);
  });
});

describe("POST /chats/{id}/messages (chatmessage-post)", () => {
  it("creates text and html messages with epoch-ms ids unique within the chat", async () => {
    clock += 60_000;
    const a = await body<Msg>(await c.graph(token, msgs(), { method: "POST", json: { body: { content: "same millisecond 1" } } }));
    const b = await body<Msg>(await c.graph(token, msgs(), { method: "POST", json: { body: { contentType: "html", content: "<p>same <b>millisecond</b> 2</p>" }, importance: "urgent" } }));
    expect(a.id).toBe(String(clock));
    expect(b.id).not.toBe(a.id);
    expect(Number(b.id)).toBeGreaterThan(Number(a.id));
    expect(a.body.contentType).toBe("text");
    expect(b.body.contentType).toBe("html");
    expect(b.importance).toBe("urgent");
    expect(b.from!.user.id).toBe(megan.aadObjectId);
    expect(b.chatId).toBe(chatId);
  });

  it("refuses invalid contentType and importance", async () => {
    expect((await c.graph(token, msgs(), { method: "POST", json: { body: { contentType: "markdown", content: "x" } } })).status).toBe(400);
    expect((await c.graph(token, msgs(), { method: "POST", json: { body: { content: "x" }, importance: "critical" } })).status).toBe(400);
    expect((await c.graph(token, msgs(), { method: "POST", json: { subject: "no body" } })).status).toBe(400);
    expect((await c.graph(token, msgs(), { method: "POST", body: "{not json", headers: { "Content-Type": "application/json" } })).status).toBe(400);
  });

  it("requires an <at id> marker for every mention", async () => {
    const tomas = users.find((u) => u.fullname === "Tomás Alvarez")!;
    const mention = { id: 0, mentionText: "Tomás Alvarez", mentioned: { user: { id: tomas.aadObjectId, displayName: "Tomás Alvarez", userIdentityType: "aadUser" } } };
    const bad = await c.graph(token, msgs(), { method: "POST", json: { body: { contentType: "html", content: "Hi Tomás" }, mentions: [mention] } });
    expect(bad.status).toBe(400);
    expect((await body<{ error: { message: string } }>(bad)).error.message).toBe("Body does not contain marker for mention with Id '0'. Add 'Tomás Alvarez' to the body.");
    const good = await c.graph(token, msgs(), { method: "POST", json: { body: { contentType: "html", content: 'Hi <at id="0">Tomás Alvarez</at>' }, mentions: [mention] } });
    expect(good.status).toBe(201);
    const m = await body<Msg>(good);
    expect(m.mentions[0].mentioned.user.id).toBe(tomas.aadObjectId);
  });

  it("requires each reference attachment to be marked in the body", async () => {
    const att = { id: "153fa47d-18c9-4179-be08-9879815a9f90", contentType: "reference", contentUrl: "https://contososupport.sharepoint.com/sites/s/Shared%20Documents/a.docx", name: "a.docx" };
    const bad = await c.graph(token, msgs(), { method: "POST", json: { body: { contentType: "html", content: "see file" }, attachments: [att] } });
    expect(bad.status).toBe(400);
    expect((await body<{ error: { message: string } }>(bad)).error.message).toContain("Body does not contain marker for attachment with Id");
    const good = await c.graph(token, msgs(), { method: "POST", json: { body: { contentType: "html", content: `see file <attachment id="${att.id}"></attachment>` }, attachments: [att] } });
    expect(good.status).toBe(201);
    expect((await body<Msg>(good)).attachments[0]).toMatchObject({ id: att.id, contentType: "reference", name: "a.docx" });
  });

  it("stores hostedContents and serves them at the URL written into the body", async () => {
    const png = encodePng(4, 3, (x, y) => [x * 60, y * 80, 200]);
    const r = await c.graph(token, msgs(), {
      method: "POST",
      json: {
        body: { contentType: "html", content: '<p>look</p><img src="../hostedContents/1/$value" width="4" height="3">' },
        hostedContents: [{ "@microsoft.graph.temporaryId": "1", contentBytes: png.toString("base64"), contentType: "image/png" }],
      },
    });
    expect(r.status).toBe(201);
    const m = await body<Msg>(r);
    const src = /src="([^"]+)"/.exec(m.body.content)![1];
    expect(src.startsWith(`${c.url}/graph/v1.0/chats/`)).toBe(true);
    expect(src).toContain(`/messages/${m.id}/hostedContents/`);
    const img = await c.graph(token, src);
    expect(img.status).toBe(200);
    expect(img.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await img.arrayBuffer()).equals(png)).toBe(true);
    // and the stored copy is the same when the message is read back
    const again = await body<Msg>(await c.graph(token, `/chats/${enc(chatId)}/messages/${m.id}`));
    expect(again.body.content).toBe(m.body.content);
    const unreferenced = await c.graph(token, msgs(), {
      method: "POST",
      json: { body: { contentType: "html", content: "<p>no img</p>" }, hostedContents: [{ "@microsoft.graph.temporaryId": "1", contentBytes: png.toString("base64"), contentType: "image/png" }] },
    });
    expect(unreferenced.status).toBe(400);
  });

  it("updates lastMessagePreview but not lastUpdatedDateTime (which tracks renames and roster changes)", async () => {
    const before = c.sim.state.chats.find((ch) => ch.id === chatId)!.lastUpdatedDateTime;
    clock += 120_000;
    const posted = await body<Msg>(await c.graph(token, msgs(), { method: "POST", json: { body: { content: "latest words" } } }));
    const list = await body<Page<{ id: string; lastUpdatedDateTime: string; lastMessagePreview: { id: string; body: { content: string } } }>>(
      await c.graph(token, `/me/chats?$expand=lastMessagePreview&$orderby=${enc("lastMessagePreview/createdDateTime desc")}&$top=1`),
    );
    expect(list.value[0].id).toBe(chatId);
    expect(list.value[0].lastMessagePreview.id).toBe(posted.id);
    expect(list.value[0].lastMessagePreview.body.content).toBe("latest words");
    expect(list.value[0].lastUpdatedDateTime).toBe(before);
  });

  it("lets another member's message arrive through /__sim/send-as", async () => {
    const tomas = users.find((u) => u.fullname === "Tomás Alvarez")!;
    clock += 60_000;
    const r = await c.control("/send-as", { method: "POST", json: { user: tomas.upn, chatId, html: "<p>on my way</p>" } });
    expect(r.status).toBe(201);
    const page = await body<Page<Msg>>(await c.graph(token, msgs("?$top=1")));
    expect(page.value[0].from!.user.displayName).toBe("Tomás Alvarez");
    const outsider = users.find((u) => u.fullname === "Grace Liu")!;
    expect((await c.control("/send-as", { method: "POST", json: { user: outsider.upn, chatId, html: "x" } })).status).toBe(403);
  });
});
