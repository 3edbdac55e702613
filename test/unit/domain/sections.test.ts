import { buildSections, toRows } from "../../../TeamsChatPanel/domain/sections";
import type { ChatLink, ChatSummary } from "../../../TeamsChatPanel/domain/types";

const rec = { table: "incident", id: "aaaaaaaa-0000-0000-0000-000000000001" };
const other = { table: "account", id: "bbbbbbbb-0000-0000-0000-000000000002" };
const c = (id: string, name: string): ChatSummary => ({
  id,
  chatType: "group",
  topic: name,
  members: [],
  membersTruncated: false,
  lastUpdatedDateTime: "2026-11-01T00:00:00Z",
  createdDateTime: "2026-11-01T00:00:00Z",
});
const l = (chatId: string, record: { table: string; id: string }, id = `${chatId}-${record.table}`): ChatLink => ({ id, kind: "chat", chatId, record });
const nameOf = (x: ChatSummary) => x.topic ?? "";

describe("buildSections", () => {
  const chats = [c("1", "Printer outage"), c("2", "Coffee order"), c("3", "Weekly sync"), c("4", "Müller escalation")];

  it("puts a chat linked here first even when it is also linked elsewhere, and names only the other records", () => {
    const s = buildSections({ chats, links: [l("1", rec), l("1", other), l("2", other), l("2", other, "dup")], record: rec, filter: "", nameOf });
    expect(s.linkedHere.map((e) => e.chat.id)).toEqual(["1"]);
    expect(s.linkedHere[0].otherLinks.map((x) => x.record)).toEqual([other]);
    expect(s.linkedElsewhere.map((e) => e.chat.id)).toEqual(["2"]);
    expect(s.linkedElsewhere[0].otherLinks).toHaveLength(1);
    expect(s.other.map((e) => e.chat.id)).toEqual(["3", "4"]);
  });

  it("matches record ids whatever their case or braces", () => {
    const s = buildSections({ chats, links: [l("3", { table: "Incident", id: `{${rec.id.toUpperCase()}}` })], record: rec, filter: "", nameOf });
    // Links are normalised when they are read; a raw mismatch in table case still matches by sameRecord.
    expect(s.linkedHere.map((e) => e.chat.id)).toEqual(["3"]);
  });

  it("filters all sections by name, every word, ignoring case and accents", () => {
    const s = buildSections({ chats, links: [l("1", rec), l("2", other)], record: rec, filter: "muller ESC", nameOf });
    expect([...s.linkedHere, ...s.linkedElsewhere, ...s.other].map((e) => e.chat.id)).toEqual(["4"]);
  });

  it("ignores channel links for chats", () => {
    const s = buildSections({ chats, links: [{ ...l("1", rec), kind: "channel" }], record: rec, filter: "", nameOf });
    expect(s.linkedHere).toHaveLength(0);
  });

  it("never lists a chat that is not in the user's chats, even when a link row exists", () => {
    const s = buildSections({ chats, links: [l("secret", rec)], record: rec, filter: "", nameOf });
    expect(s.linkedHere).toHaveLength(0);
  });
});

describe("toRows", () => {
  it("flattens sections with headers, empty rows, collapsed sections and a tail", () => {
    const s = buildSections({ chats: [c("1", "A"), c("2", "B")], links: [l("1", rec)], record: rec, filter: "", nameOf });
    const rows = toRows(s, { other: true }, { loading: true });
    expect(rows.map((r) => (r.kind === "chat" ? `chat:${r.entry.chat.id}` : r.kind === "more" ? "more" : `${r.kind}:${r.section}`))).toEqual([
      "header:linkedHere",
      "chat:1",
      "header:linkedElsewhere",
      "empty:linkedElsewhere",
      "header:other",
      "more",
    ]);
  });
});
