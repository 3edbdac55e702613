import type { LiveHandlers, LiveStatus, LiveUpdates } from "../../../TeamsChatPanel/services/realtime/live";
import type { MessagePreview } from "../../../TeamsChatPanel/domain/types";
import type { ChatMessageItem } from "../../../TeamsChatPanel/domain/messages";
import { ServiceError } from "../../../TeamsChatPanel/services/errors";
import { createPanelStore } from "../../../TeamsChatPanel/store/createPanelStore";
import { CASE, FakeServices, ME, chat, message } from "../../support/fakes";

const preview = (m: ChatMessageItem, text = "hi"): MessagePreview => ({ createdDateTime: m.createdDateTime, senderId: m.from?.id, senderName: m.from?.displayName, kind: "text", text });

/** A stand-in for the relay client: the test plays its events. */
function fakeLive() {
  const ref: { handlers?: LiveHandlers; reconnects: number; started: number; disposed: boolean } = { reconnects: 0, started: 0, disposed: false };
  const factory = (handlers: LiveHandlers): LiveUpdates => {
    ref.handlers = handlers;
    let status: LiveStatus = { state: "connecting" };
    return {
      start: () => void ref.started++,
      reconnect: () => void ref.reconnects++,
      info: () => ({ status, relayUrl: "https://relay.test" }),
      dispose: () => {
        ref.disposed = true;
        status = { state: "paused", reason: "unreachable" };
      },
    };
  };
  return { ref, factory };
}

async function setup(live = fakeLive()) {
  const s = new FakeServices();
  const a = chat({ others: ["Alex Wilber"] });
  const b = chat({ topic: "Escalation", others: ["Lee Gu", "Adele Vance"] });
  s.pages = [[a, b]];
  s.messages.set(a.id, [message(a.id, { minutesAgo: 12, text: "one" }), message(a.id, { minutesAgo: 11, text: "two" })]);
  s.messages.set(b.id, [message(b.id, { minutesAgo: 30, text: "old" })]);
  const store = createPanelStore(s, { record: CASE, userId: ME.systemUserId }, { live: live.factory });
  await store.getState().start();
  live.ref.handlers?.onStatus({ state: "live" });
  return { s, store, a, b, live };
}

describe("live updates in the store", () => {
  it("starts the relay client once the list has loaded", async () => {
    const { live, store } = await setup();
    expect(live.ref.started).toBe(1);
    expect(store.getState().liveStatus).toEqual({ state: "live" });
    store.getState().dispose();
    expect(live.ref.disposed).toBe(true);
  });

  it("applyLiveMessage merges into the open chat without duplicates, moves the chat up, no Graph request", async () => {
    const { s, store, a, b } = await setup();
    await store.getState().openChat(b.id);
    s.calls = [];
    const news = message(b.id, { createdDateTime: "2026-11-28T10:02:00.000Z", fromName: "Lee Gu", text: "new" });
    store.getState().applyLiveMessage(b.id, "created", news, preview(news, "new"));
    store.getState().applyLiveMessage(b.id, "created", news, preview(news, "new"));
    expect(s.calls).toEqual([]);
    const c = store.getState().conversations[b.id];
    expect(c.messages.filter((m) => m.id === news.id)).toHaveLength(1);
    expect(c.unread).toBe(0); // being read
    expect(store.getState().chats[0].id).toBe(b.id);
    expect(store.getState().chats[0].lastMessage?.text).toBe("new");
    expect(store.getState().freshChats[b.id]).toBeUndefined();
    // Another chat, not being read: marked fresh, moved to the top.
    const other = message(a.id, { createdDateTime: "2026-11-28T10:03:00.000Z", text: "psst" });
    store.getState().applyLiveMessage(a.id, "created", other, preview(other, "psst"));
    expect(store.getState().chats.map((c) => c.id)).toEqual([a.id, b.id]);
    expect(store.getState().freshChats[a.id]).toBe(true);
    expect(s.calls).toEqual([]);
  });

  it("counts unread in a background tab, shows an edit and a deletion in place", async () => {
    const { store, a, b } = await setup();
    await store.getState().openChat(a.id);
    await store.getState().openChat(b.id);
    const news = message(a.id, { createdDateTime: "2026-11-28T10:02:00.000Z", text: "are you there?" });
    store.getState().applyLiveMessage(a.id, "created", news, preview(news));
    expect(store.getState().conversations[a.id].unread).toBe(1);
    const edited = { ...news, lastModifiedDateTime: "2026-11-28T10:04:00.000Z", editedDateTime: "2026-11-28T10:04:00.000Z", body: { contentType: "html" as const, content: "<p>still there?</p>" } };
    store.getState().applyLiveMessage(a.id, "updated", edited, preview(edited, "still there?"));
    expect(store.getState().conversations[a.id].unread).toBe(1);
    expect(store.getState().conversations[a.id].messages.find((m) => m.id === news.id)?.body.content).toBe("<p>still there?</p>");
    expect(store.getState().chats.find((c) => c.id === a.id)?.lastMessage?.text).toBe("still there?");
    store.getState().applyLiveMessage(a.id, "deleted", { ...news, lastModifiedDateTime: "2026-11-28T10:03:00.000Z" }, { ...preview(news), kind: "deleted", text: "" });
    const gone = store.getState().conversations[a.id].messages.find((m) => m.id === news.id)!;
    expect(gone.deletedDateTime).toBeDefined();
    expect(gone.body.content).toBe("");
    expect(store.getState().conversations[a.id].messages.filter((m) => m.id === news.id)).toHaveLength(1);
    expect(store.getState().chats.find((c) => c.id === a.id)?.lastMessage?.kind).toBe("deleted");
  });

  it("a failed send whose echo arrives is no longer pending", async () => {
    const { s, store, a } = await setup();
    await store.getState().openChat(a.id);
    s.sendFailures = [new ServiceError("offline", "lost", 0)];
    s.postedDespiteFailure = true;
    await store.getState().sendMessage(a.id, { clientId: "c1", html: "<p>did it go?</p>", importance: "normal", mentions: [], hostedContents: [], files: [] });
    expect(store.getState().conversations[a.id].outgoing.map((o) => o.state)).toEqual(["failed"]);
    const echo = (s.messages.get(a.id) ?? []).find((m) => m.body.content.includes("did it go?"));
    expect(echo).toBeDefined();
    store.getState().applyLiveMessage(a.id, "created", echo!, preview(echo!, "did it go?"));
    expect(store.getState().conversations[a.id].outgoing).toEqual([]);
    expect(store.getState().conversations[a.id].messages.filter((m) => m.id === echo!.id)).toHaveLength(1);
  });

  it("a message of a chat the list does not have reads that chat once", async () => {
    const { s, store } = await setup();
    const fresh = chat({ others: ["Nestor Wilke"], lastUpdatedDateTime: "2026-11-28T10:05:00.000Z" });
    s.extraChats = [fresh];
    s.calls = [];
    const m = message(fresh.id, { createdDateTime: "2026-11-28T10:05:00.000Z", fromName: "Nestor Wilke" });
    store.getState().applyLiveMessage(fresh.id, "created", m, preview(m));
    store.getState().applyLiveMessage(fresh.id, "created", m, preview(m));
    await Promise.resolve();
    await Promise.resolve();
    expect(s.calls).toEqual([`getChats:${fresh.id}`]);
    expect(store.getState().chats[0].id).toBe(fresh.id);
  });

  it("resync reads the list's first page and each open chat's newest page once: no duplicates, nothing lost", async () => {
    const { s, store, a, b } = await setup();
    await store.getState().openChat(a.id);
    await store.getState().openChat(b.id);
    const seen = message(a.id, { createdDateTime: "2026-11-28T10:01:00.000Z", text: "seen live" });
    store.getState().applyLiveMessage(a.id, "created", seen, preview(seen));
    const missed = message(a.id, { createdDateTime: "2026-11-28T10:02:00.000Z", text: "missed" });
    s.messages.set(a.id, [missed, seen, ...(s.messages.get(a.id) ?? [])]);
    s.pages = [[{ ...a, lastUpdatedDateTime: missed.createdDateTime }, b]];
    s.calls = [];
    await Promise.all([store.getState().resync("missed"), store.getState().resync("reconnected")]);
    expect(s.calls.sort()).toEqual(["listChats:", `listMessages:${a.id}:`, `listMessages:${b.id}:`].sort());
    const ids = store.getState().conversations[a.id].messages.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain(missed.id);
    expect(ids).toHaveLength(4);
    expect(store.getState().chats[0].id).toBe(a.id);
  });

  it("resync: a newest page that does not reach what was loaded replaces it (older pages continue), so no hole is left", async () => {
    const { s, store, a } = await setup();
    await store.getState().openChat(a.id);
    s.messagePageSize = 2;
    const burst = [3, 4, 5].map((i) => message(a.id, { createdDateTime: `2026-11-28T10:0${i}:00.000Z`, text: `burst ${i}` }));
    s.messages.set(a.id, [...burst.reverse(), ...(s.messages.get(a.id) ?? [])]);
    await store.getState().resync();
    const c = store.getState().conversations[a.id];
    expect(c.messages.map((m) => m.body.content)).toEqual(["<p>burst 4</p>", "<p>burst 5</p>"]);
    expect(c.older).toBe("2");
    await store.getState().loadOlder(a.id);
    await store.getState().loadOlder(a.id);
    expect(store.getState().conversations[a.id].messages).toHaveLength(5);
  });

  it("creates no timers and reads nothing on its own: an hour passes without a request", async () => {
    vi.useFakeTimers();
    try {
      const { s, store, a, b } = await setup();
      await store.getState().openChat(a.id);
      await store.getState().openChat(b.id);
      expect(vi.getTimerCount()).toBe(0);
      s.calls = [];
      await vi.advanceTimersByTimeAsync(60 * 60_000);
      expect(s.calls).toEqual([]);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it("without live updates: refreshes on opening a chat, after sending, on coming back (at most every 30 s) and on Refresh", async () => {
    const s = new FakeServices();
    const a = chat({ others: ["Alex Wilber"] });
    s.pages = [[a]];
    s.messages.set(a.id, [message(a.id, { minutesAgo: 12 })]);
    let now = Date.UTC(2026, 10, 28, 10, 0);
    s.now = () => new Date(now);
    const store = createPanelStore(s, { record: CASE, userId: ME.systemUserId });
    await store.getState().start();
    expect(store.getState().liveStatus).toEqual({ state: "paused", reason: "notConfigured" });
    expect(store.getState().lastUpdatedAt).toBe(now);
    await store.getState().openChat(a.id);
    store.getState().showList();
    s.calls = [];
    await store.getState().openChat(a.id);
    expect(s.calls).toEqual([`listMessages:${a.id}:`]);
    s.calls = [];
    await store.getState().sendMessage(a.id, { clientId: "c1", html: "<p>hi</p>", importance: "normal", mentions: [], hostedContents: [], files: [] });
    expect(s.calls.sort()).toEqual(["listChats:", `listMessages:${a.id}:`, `send:${a.id}`].sort());
    s.calls = [];
    now += 10_000;
    store.getState().pageReturned();
    expect(s.calls).toEqual([]);
    now += 30_000;
    store.getState().pageReturned();
    await Promise.resolve();
    expect(s.calls.sort()).toEqual(["listChats:", `listMessages:${a.id}:`].sort());
    await store.getState().resync();
    s.calls = [];
    await store.getState().refresh();
    expect(s.calls.sort()).toEqual(["listChats:", `listMessages:${a.id}:`].sort());
    expect(store.getState().lastUpdatedAt).toBe(now);
  });

  it("while live: coming back to the page reads nothing (the relay's resync does it after a reconnect)", async () => {
    const { s, store, live } = await setup();
    s.calls = [];
    store.getState().pageReturned();
    expect(s.calls).toEqual([]);
    // Refresh asks the relay client to reconnect if it is paused, and reads once.
    await store.getState().refresh();
    expect(live.ref.reconnects).toBe(1);
    expect(s.calls).toEqual(["listChats:"]);
    live.ref.handlers?.onResync("reconnected");
    await Promise.resolve();
    expect(s.calls).toEqual(["listChats:", "listChats:"]);
  });

  it("after a sign-in or a granted permission, live updates paused for want of a token reconnect at once; other pauses wait", async () => {
    const { store, live } = await setup();
    const cases: Array<[LiveStatus, number]> = [
      [{ state: "paused", reason: "needsUser" }, 1],
      [{ state: "paused", reason: "unauthorized" }, 1],
      [{ state: "paused", reason: "unreachable" }, 0],
      [{ state: "paused", reason: "notConfigured" }, 0],
      [{ state: "live" }, 0],
    ];
    for (const [status, reconnects] of cases) {
      live.ref.reconnects = 0;
      live.ref.handlers?.onStatus(status);
      store.getState().resumeLive();
      expect(live.ref.reconnects, JSON.stringify(status)).toBe(reconnects);
    }
  });
});
