import { toChat, toPerson, toPreview } from "../../../TeamsChatPanel/services/graph/mappers";

describe("Graph → domain mappers", () => {
  it("maps a chat with expanded members and preview, ignoring non-user members", () => {
    const chat = toChat({
      id: "19:abc@thread.v2",
      topic: null,
      createdDateTime: "2026-11-01T10:00:00Z",
      lastUpdatedDateTime: "2026-11-02T10:00:00Z",
      chatType: "group",
      webUrl: "https://teams.microsoft.com/l/chat/19%3Aabc%40thread.v2/0",
      members: [
        { "@odata.type": "#microsoft.graph.aadUserConversationMember", id: "m1", userId: "u1", displayName: "Alex Wilber", email: "alex@x" },
        { "@odata.type": "#microsoft.graph.anonymousGuestConversationMember", id: "m2", displayName: "Guest" },
      ],
      lastMessagePreview: { id: "1", createdDateTime: "2026-11-03T10:00:00Z", body: { contentType: "html", content: "<p>Hi <b>there</b></p>" }, from: { user: { id: "u1", displayName: "Alex Wilber" } } },
    });
    expect(chat.members).toEqual([{ membershipId: "m1", userId: "u1", displayName: "Alex Wilber", email: "alex@x" }]);
    expect(chat.lastMessage).toMatchObject({ kind: "text", text: "Hi there", senderId: "u1" });
    // Sorting uses the last message time when there is one.
    expect(chat.lastUpdatedDateTime).toBe("2026-11-03T10:00:00Z");
    expect(chat.membersTruncated).toBe(false);
  });

  it("flags a member list at Graph's cap of 25 as possibly truncated", () => {
    const members = Array.from({ length: 25 }, (_, i) => ({ id: `m${i}`, userId: `u${i}`, displayName: `P ${i}` }));
    expect(toChat({ id: "x", createdDateTime: "2026-01-01T00:00:00Z", chatType: "group", members }).membersTruncated).toBe(true);
  });

  it("classifies previews: deleted, files, images, system events", () => {
    const base = { id: "1", createdDateTime: "2026-11-03T10:00:00Z" };
    expect(toPreview({ ...base, isDeleted: true }).kind).toBe("deleted");
    expect(toPreview({ ...base, body: { contentType: "html", content: '<attachment id="a1"></attachment>' } }).kind).toBe("file");
    expect(toPreview({ ...base, body: { contentType: "html", content: '<p><img src="../hostedContents/1/$value"></p>' } }).kind).toBe("image");
    const ev = toPreview({
      ...base,
      messageType: "systemEventMessage",
      eventDetail: { "@odata.type": "#microsoft.graph.membersAddedEventMessageDetail", members: [{ id: "u2", displayName: "Lee Gu" }], initiator: { user: { id: "u1", displayName: "Alex Wilber" } } },
    });
    expect(ev).toMatchObject({ kind: "event", event: { type: "membersAdded", actorName: "Alex Wilber", names: ["Lee Gu"] } });
    const renamed = toPreview({ ...base, messageType: "systemEventMessage", eventDetail: { "@odata.type": "#microsoft.graph.chatRenamedEventMessageDetail", chatDisplayName: "New name" } });
    expect(renamed.event).toMatchObject({ type: "renamed", topic: "New name" });
  });

  it("maps a directory user, falling back from display name to UPN", () => {
    expect(toPerson({ id: "u1", displayName: null, userPrincipalName: "lee@x", mail: null })).toEqual({ id: "u1", displayName: "lee@x", email: "lee@x", jobTitle: undefined });
  });
});
