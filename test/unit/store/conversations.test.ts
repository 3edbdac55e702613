import type { OutgoingMessage } from "../../../TeamsChatPanel/domain/messages";
import { ServiceError } from "../../../TeamsChatPanel/services/errors";
import { MAX_OPEN_CHATS, mergeMessages } from "../../../TeamsChatPanel/store/conversationsSlice";
import { createPanelStore } from "../../../TeamsChatPanel/store/createPanelStore";
import { CASE, FakeServices, ME, chat, message } from "../../support/fakes";

function outgoing(text: string, extra: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return { clientId: `c-${text}`, html: `<p>${text}</p>`, importance: "normal", mentions: [], hostedContents: [], files: [], ...extra };
}

async function setup(messages = 3) {
  const s = new FakeServices();
  const a = chat({ others: ["Alex Wilber"] });
  const b = chat({ topic: "Escalation", others: ["Lee Gu", "Adele Vance"] });
  s.pages = [[a, b]];
  s.messages.set(a.id, Array.from({ length: messages }, (_, i) => message(a.id, { minutesAgo: 10 + i, text: `hello ${i}` })));
  const store = createPanelStore(s, { record: CASE, userId: ME.systemUserId });
  await store.getState().start();
  return { s, store, a, b };
}

describe("mergeMessages", () => {
  it("keeps one copy per id, oldest first, and the newer edit of a message", () => {
    const m1 = message("c", { id: "1", minutesAgo: 5, text: "one" });
    const m2 = message("c", { id: "2", minutesAgo: 3, text: "two" });
    const edited = { ...m1, lastModifiedDateTime: "2026-11-28T09:59:00.000Z", body: { contentType: "html" as const, content: "<p>one, edited</p>" } };
    const merged = mergeMessages([m2, m1], [edited, m2]);
    expect(merged.map((m) => m.id)).toEqual(["1", "2"]);
    expect(merged[0].body.content).toBe("<p>one, edited</p>");
    // An older copy arriving late does not undo the edit.
    expect(mergeMessages(merged, [m1])[0].body.content).toBe("<p>one, edited</p>");
  });
});

describe("conversations", () => {
  it("opens a chat as a tab and loads its newest page in one request", async () => {
    const { s, store, a } = await setup();
    await store.getState().openChat(a.id);
    const st = store.getState();
    expect(st.view).toBe("chat");
    expect(st.openChatIds).toEqual([a.id]);
    expect(st.conversations[a.id].status).toBe("ready");
    expect(st.conversations[a.id].messages.map((m) => m.body.content)).toEqual(["<p>hello 2</p>", "<p>hello 1</p>", "<p>hello 0</p>"]);
    expect(s.calls.filter((c) => c.startsWith("listMessages"))).toEqual([`listMessages:${a.id}:`]);
  });

  it("pages to older messages and knows when the start is reached", async () => {
    const { s, store, a } = await setup(5);
    s.messagePageSize = 2;
    await store.getState().openChat(a.id);
    expect(store.getState().conversations[a.id].messages).toHaveLength(2);
    await store.getState().loadOlder(a.id);
    await store.getState().loadOlder(a.id);
    const c = store.getState().conversations[a.id];
    expect(c.messages).toHaveLength(5);
    expect(c.older).toBeUndefined();
  });

  it("keeps at most the allowed number of tabs, closing the one used longest ago", async () => {
    const { s, store } = await setup();
    const many = Array.from({ length: MAX_OPEN_CHATS + 1 }, (_, i) => chat({ others: [`Person ${i}`] }));
    s.pages = [many];
    await store.getState().start();
    for (const c of many) await store.getState().openChat(c.id);
    expect(store.getState().openChatIds).toHaveLength(MAX_OPEN_CHATS);
    expect(store.getState().openChatIds).not.toContain(many[0].id);
    expect(store.getState().activeChatId).toBe(many[many.length - 1].id);
  });

  it("closing the active tab activates its neighbour, closing the last shows the list", async () => {
    const { store, a, b } = await setup();
    await store.getState().openChat(a.id);
    await store.getState().openChat(b.id);
    store.getState().closeChat(b.id);
    expect(store.getState().activeChatId).toBe(a.id);
    store.getState().closeChat(a.id);
    expect(store.getState().view).toBe("list");
    expect(store.getState().openChatIds).toEqual([]);
  });

  it("remembers open tabs across a reload", async () => {
    const { s, store, a, b } = await setup();
    await store.getState().openChat(a.id);
    await store.getState().openChat(b.id);
    const again = createPanelStore(s, { record: CASE, userId: ME.systemUserId });
    await again.getState().start();
    await again.getState().openChat(b.id);
    expect(again.getState().openChatIds).toEqual([a.id, b.id]);
  });

  it("sends: the message shows as sending, then is replaced by Teams' copy", async () => {
    const { s, store, a } = await setup();
    await store.getState().openChat(a.id);
    const pending = store.getState().sendMessage(a.id, outgoing("hi"));
    expect(store.getState().conversations[a.id].outgoing.map((o) => o.state)).toEqual(["sending"]);
    await pending;
    const c = store.getState().conversations[a.id];
    expect(c.outgoing).toEqual([]);
    expect(c.messages[c.messages.length - 1].body.content).toBe("<p>hi</p>");
    expect(s.posted).toHaveLength(1);
  });

  it("a refused send stays failed with its content; Retry posts it once", async () => {
    const { s, store, a } = await setup();
    await store.getState().openChat(a.id);
    s.sendFailures = [new ServiceError("throttled", "busy", 429)];
    await store.getState().sendMessage(a.id, outgoing("again"));
    let o = store.getState().conversations[a.id].outgoing[0];
    expect(o.state).toBe("failed");
    expect(o.failure).toBe("throttled");
    expect(o.outcomeUnknown).toBe(false);
    await store.getState().retrySend(a.id, "c-again");
    o = store.getState().conversations[a.id].outgoing[0];
    expect(o).toBeUndefined();
    expect(s.posted.map((p) => p.message.clientId)).toEqual(["c-again"]);
  });

  it("after a timeout that did reach Teams, Retry finds the message and does not post it twice", async () => {
    const { s, store, a } = await setup();
    await store.getState().openChat(a.id);
    s.sendFailures = [new ServiceError("offline", "The send did not answer in time", undefined, "timeout")];
    s.postedDespiteFailure = true;
    await store.getState().sendMessage(a.id, outgoing("once"));
    expect(store.getState().conversations[a.id].outgoing[0].outcomeUnknown).toBe(true);
    await store.getState().retrySend(a.id, "c-once");
    expect(store.getState().conversations[a.id].outgoing).toEqual([]);
    expect(s.posted).toHaveLength(1);
    expect(s.calls.filter((c) => c.startsWith("send:"))).toHaveLength(1);
    expect(store.getState().conversations[a.id].messages.filter((m) => m.body.content === "<p>once</p>")).toHaveLength(1);
  });

  it("after a timeout that did not reach Teams, Retry checks, then posts", async () => {
    const { s, store, a } = await setup();
    await store.getState().openChat(a.id);
    s.sendFailures = [new ServiceError("offline", "network", undefined)];
    await store.getState().sendMessage(a.id, outgoing("lost"));
    await store.getState().retrySend(a.id, "c-lost");
    expect(s.posted.map((p) => p.message.clientId)).toEqual(["c-lost"]);
    expect(s.calls.filter((c) => c.startsWith("send:"))).toHaveLength(2);
  });

  it("a failed message survives a reload, marked to be checked before it is sent again", async () => {
    const { s, store, a } = await setup();
    await store.getState().openChat(a.id);
    s.sendFailures = [new ServiceError("service", "bad gateway", 502)];
    await store.getState().sendMessage(a.id, outgoing("keep me"));
    const again = createPanelStore(s, { record: CASE, userId: ME.systemUserId });
    await again.getState().start();
    await again.getState().openChat(a.id);
    const o = again.getState().conversations[a.id].outgoing;
    expect(o.map((x) => [x.message.html, x.state])).toEqual([["<p>keep me</p>", "failed"]]);
    again.getState().discardSend(a.id, "c-keep me");
    const third = createPanelStore(s, { record: CASE, userId: ME.systemUserId });
    await third.getState().start();
    await third.getState().openChat(a.id);
    expect(third.getState().conversations[a.id].outgoing).toEqual([]);
  });

  it("keeps drafts per chat across stores (reloads) and clears one when its message is sent", async () => {
    const { store, a, b, s } = await setup();
    const draft = { html: "<p>half a thought</p>", importance: "high" as const, files: [], savedAt: "2026-11-28T10:00:00.000Z" };
    store.getState().saveDraft(a.id, draft);
    store.getState().saveDraft(b.id, { ...draft, html: "<p>other</p>" });
    const again = createPanelStore(s, { record: CASE, userId: ME.systemUserId });
    expect(again.getState().draftFor(a.id)?.html).toBe("<p>half a thought</p>");
    expect(again.getState().draftFor(a.id)?.importance).toBe("high");
    await again.getState().start();
    await again.getState().openChat(a.id);
    await again.getState().sendMessage(a.id, outgoing("half a thought"));
    expect(again.getState().draftFor(a.id)).toBeUndefined();
    expect(again.getState().draftFor(b.id)?.html).toBe("<p>other</p>");
  });

  it("resync: the list marks others' news and open chats take their newest page once", async () => {
    const { s, store, a, b } = await setup();
    await store.getState().openChat(a.id);
    store.getState().showList();
    const moved = { ...b, lastUpdatedDateTime: "2026-11-28T10:05:00.000Z", lastMessage: { createdDateTime: "2026-11-28T10:05:00.000Z", senderId: "aad-Lee Gu", senderName: "Lee Gu", kind: "text" as const, text: "ping" } };
    const aMoved = { ...a, lastUpdatedDateTime: "2026-11-28T10:06:00.000Z", lastMessage: { createdDateTime: "2026-11-28T10:06:00.000Z", senderId: "aad-Alex Wilber", senderName: "Alex Wilber", kind: "text" as const, text: "new" } };
    s.pages = [[aMoved, moved]];
    const newMsg = message(a.id, { createdDateTime: "2026-11-28T10:06:00.000Z", text: "new" });
    s.messages.set(a.id, [newMsg, ...(s.messages.get(a.id) ?? [])]);
    s.calls = [];
    await store.getState().resync("missed");
    expect(s.calls.sort()).toEqual([`listChats:`, `listMessages:${a.id}:`].sort());
    expect(store.getState().chats[0].id).toBe(a.id);
    expect(Object.keys(store.getState().freshChats).sort()).toEqual([a.id, b.id].sort());
    expect(store.getState().conversations[a.id].unread).toBe(1);
    expect(store.getState().conversations[a.id].messages.filter((m) => m.id === newMsg.id)).toHaveLength(1);
    // Opening the chat reads it: unread and the list mark go.
    await store.getState().openChat(a.id);
    expect(store.getState().conversations[a.id].unread).toBe(0);
    expect(store.getState().freshChats[a.id]).toBeUndefined();
    // Nothing new: nothing marked again, no copy added.
    await store.getState().resync();
    expect(store.getState().freshChats[a.id]).toBeUndefined();
    expect(store.getState().conversations[a.id].messages).toHaveLength(4);
  });

  it("members: adds with the chosen history and removes", async () => {
    const { s, store, b } = await setup();
    s.people = [{ id: "aad-Nestor", displayName: "Nestor Wilke" }];
    await store.getState().openChat(b.id);
    expect(await store.getState().addMembers(b.id, s.people, "all")).toBe(true);
    expect(s.calls).toContain(`addMember:${b.id}:aad-Nestor:0001-01-01T00:00:00Z`);
    await store.getState().addMembers(b.id, [{ id: "aad-Megan", displayName: "Megan" }], "days", 7);
    expect(s.calls).toContain(`addMember:${b.id}:aad-Megan:2026-11-21T10:00:00.000Z`);
    await store.getState().addMembers(b.id, [{ id: "aad-Joni", displayName: "Joni" }], "none");
    expect(s.calls).toContain(`addMember:${b.id}:aad-Joni:none`);
    const nestor = store.getState().conversations[b.id].members!.find((m) => m.userId === "aad-Nestor")!;
    expect(await store.getState().removeMember(b.id, nestor)).toBe(true);
    expect(store.getState().conversations[b.id].members!.map((m) => m.userId)).toEqual(["aad-Megan", "aad-Joni"]);
    s.failMembers = new ServiceError("forbidden", "no", 403);
    expect(await store.getState().addMembers(b.id, [{ id: "aad-X", displayName: "X" }], "none")).toBe(false);
  });
});
