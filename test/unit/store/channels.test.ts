import type { OutgoingMessage } from "../../../TeamsChatPanel/domain/messages";
import { ServiceError } from "../../../TeamsChatPanel/services/errors";
import { createPanelStore } from "../../../TeamsChatPanel/store/createPanelStore";
import { CASE, FakeServices, ME } from "../../support/fakes";

const outgoing = (text: string): OutgoingMessage => ({ clientId: `c-${text}`, html: `<p>${text}</p>`, importance: "normal", mentions: [], hostedContents: [], files: [] });

function setup(env: { channelReading?: boolean } = {}) {
  const s = new FakeServices();
  const store = createPanelStore(s, { record: CASE, userId: ME.systemUserId, ...env });
  return { s, store };
}

afterEach(() => vi.useRealTimers());

describe("linked channels", () => {
  it("lists channels linked to the record with team name, archived and unreachable ones as such", async () => {
    const { s, store } = setup();
    s.linkRows.push(
      { id: "l1", kind: "channel", chatId: "ch-esc", teamId: "team-support", record: CASE },
      { id: "l2", kind: "channel", chatId: "ch-pilot", teamId: "team-old", record: CASE },
      { id: "l3", kind: "channel", chatId: "ch-secret", teamId: "team-not-mine", record: CASE },
      { id: "l4", kind: "chat", chatId: "chat-1", record: CASE },
    );
    s.channels.posts["ch-esc"] = [{ id: "p1", chatId: "ch-esc", kind: "message", createdDateTime: "2026-11-27T09:00:00Z", lastModifiedDateTime: "2026-11-27T09:00:00Z", importance: "normal", body: { contentType: "text", content: "hi" }, attachments: [], mentions: [], replies: [] }];
    await store.getState().loadLinkedChannels();
    const list = store.getState().linkedChannels;
    expect(list.map((l) => [l.channelId, l.state, l.teamName, l.channelName])).toEqual([
      ["ch-esc", "ok", "Contoso Support", "Escalations"],
      ["ch-pilot", "archived", "Windows 11 Rollout 2025", "Pilot Feedback"],
      // Not a member: nothing about the channel is revealed, and nothing is asked of Graph for it.
      ["ch-secret", "unreachable", undefined, undefined],
    ]);
    expect(list[0].lastActivity).toBe("2026-11-27T09:00:00Z");
    expect(s.channels.calls).not.toContain("getChannel:ch-secret");
  });

  it("creates a channel, links it and posts the introduction card", async () => {
    const { s, store } = setup();
    await store.getState().loadLinkedChannels();
    const ok = await store.getState().createAndLinkChannel("team-support", "Printer offline", { heading: "Case", openLabel: "Open", tableLabel: "Case" });
    expect(ok).toBe(true);
    const created = s.channels.channels["team-support"].find((c) => c.displayName === "Printer offline")!;
    expect(s.linkRows.filter((l) => l.chatId === created.id)).toHaveLength(1);
    expect(s.linkRows[0]).toMatchObject({ kind: "channel", teamId: "team-support" });
    expect(store.getState().linkedChannels[0]).toMatchObject({ channelId: created.id, state: "ok", teamName: "Contoso Support" });
    expect(s.channels.posted.map((p) => p.channelId)).toEqual([created.id]);
    expect(s.channels.posted[0].html).toContain("CAS-01001");
  });

  it("refuses an invalid name before asking Teams, and keeps Teams' duplicate-name refusal for the dialog", async () => {
    const { s, store } = setup();
    expect(await store.getState().createAndLinkChannel("team-support", "a/b")).toBe(false);
    expect(store.getState().channelActionError).toEqual({ kind: "invalid" });
    expect(s.channels.calls.some((c) => c.startsWith("createChannel"))).toBe(false);
    expect(await store.getState().createAndLinkChannel("team-support", "escalations")).toBe(false);
    expect(store.getState().channelActionError).toEqual({ kind: "conflict", code: "duplicateName" });
    expect(store.getState().channelAction).toBe("idle");
    expect(s.linkRows).toHaveLength(0);
  });

  it("keeps a created channel's link pending when Dataverse fails, retries it with backoff and never duplicates it", async () => {
    vi.useFakeTimers();
    const { s, store } = setup();
    s.failCreateLink = new ServiceError("offline", "down");
    await store.getState().createAndLinkChannel("team-support", "Outage follow-up");
    const created = s.channels.channels["team-support"].find((c) => c.displayName === "Outage follow-up")!;
    expect(store.getState().linkedChannels[0]).toMatchObject({ channelId: created.id, state: "pending" });
    expect(store.getState().channelNotice?.key).toBe("Channel_Pending");
    expect(JSON.stringify([...s.prefsData.values()])).toContain(created.id);

    // A reload: a new store for the same user and record picks the pending link up again.
    const again = createPanelStore(s, { record: CASE, userId: ME.systemUserId });
    await again.getState().loadLinkedChannels();
    expect(again.getState().linkedChannels.find((l) => l.channelId === created.id)?.state).toBe("pending");

    s.failCreateLink = undefined;
    await vi.advanceTimersByTimeAsync(5000);
    expect(s.linkRows.filter((l) => l.chatId === created.id)).toHaveLength(1);
    expect(store.getState().linkedChannels[0].state).toBe("ok");
    await vi.advanceTimersByTimeAsync(120_000);
    expect(s.linkRows.filter((l) => l.chatId === created.id)).toHaveLength(1);
    expect(JSON.stringify([...s.prefsData.values()])).not.toContain(created.id);
    store.getState().dispose();
    again.getState().dispose();
  });

  it("links an existing channel and unlinks it; a refused unlink puts it back with a message", async () => {
    const { s, store } = setup();
    await store.getState().loadLinkedChannels();
    const fw = s.channels.channels["team-printers"][0];
    expect(await store.getState().linkExistingChannel("team-printers", fw)).toBe(true);
    const row = store.getState().linkedChannels[0];
    expect(row).toMatchObject({ channelId: fw.id, teamName: "Printer Fleet Experts" });
    s.failDeleteLink = new ServiceError("forbidden", "no privilege", 403);
    expect(await store.getState().unlinkChannel(row.linkId)).toBe(false);
    expect(store.getState().linkedChannels).toHaveLength(1);
    expect(store.getState().channelNotice?.key).toBe("Channel_UnlinkForbidden");
    s.failDeleteLink = undefined;
    expect(await store.getState().unlinkChannel(row.linkId)).toBe(true);
    expect(store.getState().linkedChannels).toHaveLength(0);
    expect(s.deletedLinks).toEqual([row.linkId]);
  });
});

describe("channel thread", () => {
  it("reads posts oldest first, posts a message and a reply, and keeps a failed post with Retry", async () => {
    const { s, store } = setup();
    const at = (m: number) => new Date(Date.UTC(2026, 10, 27, 9, m)).toISOString();
    s.channels.posts["ch-general"] = [1, 2].map((m) => ({ id: `p${m}`, chatId: "ch-general", kind: "message" as const, createdDateTime: at(m), lastModifiedDateTime: at(m), importance: "normal" as const, body: { contentType: "text" as const, content: `post ${m}` }, attachments: [], mentions: [], replies: [] }));
    await store.getState().openChannelThread("team-support", "ch-general");
    expect(store.getState().thread?.posts.map((p) => p.id)).toEqual(["p1", "p2"]);
    expect(await store.getState().postInChannel(outgoing("new post"))).toBe(true);
    expect(await store.getState().postInChannel(outgoing("a reply"), "p1")).toBe(true);
    expect(s.channels.posted).toEqual([
      { channelId: "ch-general", html: "<p>new post</p>", replyToId: undefined },
      { channelId: "ch-general", html: "<p>a reply</p>", replyToId: "p1" },
    ]);
    const t = store.getState().thread!;
    expect(t.posts.map((p) => p.body.content).pop()).toBe("<p>new post</p>");
    expect(t.posts[0].replies.map((r) => r.body.content)).toEqual(["<p>a reply</p>"]);

    s.channels.failPost = new ServiceError("offline", "down");
    expect(await store.getState().postInChannel(outgoing("lost?"))).toBe(false);
    expect(store.getState().thread!.outgoing).toMatchObject([{ state: "failed", failure: "offline" }]);
    s.channels.failPost = undefined;
    expect(await store.getState().retryChannelPost("c-lost?")).toBe(true);
    expect(store.getState().thread!.outgoing).toEqual([]);
  });

  it("does not read when the admin turned reading off, and says so (forbidden)", async () => {
    const { s, store } = setup({ channelReading: false });
    await store.getState().openChannelThread("team-support", "ch-general");
    expect(store.getState().thread).toMatchObject({ status: "error", error: "forbidden" });
    expect(s.channels.calls.some((c) => c.startsWith("listPosts"))).toBe(false);
  });
});
