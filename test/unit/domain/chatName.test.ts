import { chatDisplayName, initials } from "../../../TeamsChatPanel/domain/chatName";
import type { ChatSummary } from "../../../TeamsChatPanel/domain/types";

const strings = { andOthers: (names: string, n: number) => `${names} +${n}`, untitled: "Untitled" };
const member = (userId: string, displayName: string) => ({ membershipId: `m-${userId}`, userId, displayName });
const chatWith = (topic: string | null, names: string[], truncated = false): Pick<ChatSummary, "topic" | "members" | "membersTruncated"> => ({
  topic,
  members: [member("me", "Megan Bowen"), ...names.map((n, i) => member(`u${i}`, n))],
  membersTruncated: truncated,
});

describe("chatDisplayName", () => {
  it("uses the topic when there is one", () => {
    expect(chatDisplayName(chatWith("  Printer escalation ", ["Alex Wilber"]), "me", strings)).toBe("Printer escalation");
  });
  it("names the other person of a one-to-one chat in full, never the user", () => {
    expect(chatDisplayName(chatWith(null, ["Alex Wilber"]), "me", strings)).toBe("Alex Wilber");
  });
  it("lists first names of a group without topic", () => {
    expect(chatDisplayName(chatWith(null, ["Alex Wilber", "Lee Gu", "Diego Siciliani"]), "me", strings)).toBe("Alex, Lee, Diego");
  });
  it("shortens long groups and counts the rest", () => {
    expect(chatDisplayName(chatWith(null, ["A One", "B Two", "C Three", "D Four", "E Five"]), "me", strings)).toBe("A, B, C +2");
  });
  it("counts at least one more when Graph truncated the members", () => {
    expect(chatDisplayName(chatWith(null, ["A One", "B Two"], true), "me", strings)).toBe("A, B +1");
  });
  it("falls back when the user is alone in the chat", () => {
    expect(chatDisplayName(chatWith(null, []), "me", strings)).toBe("Untitled");
  });
});

describe("initials", () => {
  it.each([
    ["Megan Bowen", "MB"],
    ["Lee", "L"],
    ["Émile  Zola", "ÉZ"],
    ["Bowen, Megan (Contoso)", "BM"],
    ["", ""],
  ])("%s → %s", (name, expected) => expect(initials(name)).toBe(expected));
});
