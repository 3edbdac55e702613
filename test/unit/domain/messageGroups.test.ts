import { buildMessageRows, previousDay, type MessageRow } from "../../../TeamsChatPanel/domain/messageGroups";
import type { ChatMessageItem } from "../../../TeamsChatPanel/domain/messages";
import { eventLine, joinNames } from "../../../TeamsChatPanel/domain/systemEvents";

function msg(id: string, at: string, from = "megan", extra: Partial<ChatMessageItem> = {}): ChatMessageItem {
  return {
    id,
    chatId: "c1",
    kind: "message",
    createdDateTime: at,
    lastModifiedDateTime: at,
    from: from ? { id: from, displayName: from } : undefined,
    importance: "normal",
    body: { contentType: "html", content: `<p>${id}</p>` },
    attachments: [],
    mentions: [],
    ...extra,
  };
}

const labels = { today: "Today", yesterday: "Yesterday" };
const now = new Date("2026-11-28T15:00:00Z");
const opts = { locale: "en-US", now, timeZone: "UTC", labels };

/** A compact picture of the rows: "D:label", "E:id", or "id" with [ for first and ] for last of a group. */
function shape(rows: MessageRow[]): string[] {
  return rows.map((r) => (r.kind === "day" ? `D:${r.label}` : r.kind === "event" ? `E:${r.message.id}` : `${r.firstOfGroup ? "[" : ""}${r.message.id}${r.lastOfGroup ? "]" : ""}${r.deleted ? "x" : ""}`));
}

describe("buildMessageRows", () => {
  it("sorts oldest first whatever the input order, ties by id", () => {
    const rows = buildMessageRows(
      [msg("1700000000003", "2026-11-28T10:02:00Z"), msg("1700000000001", "2026-11-28T10:00:00Z"), msg("1700000000010", "2026-11-28T10:01:00Z"), msg("1700000000002", "2026-11-28T10:01:00Z")],
      opts,
    );
    expect(rows.filter((r) => r.kind === "message").map((r) => (r.kind === "message" ? r.message.id : ""))).toEqual(["1700000000001", "1700000000002", "1700000000010", "1700000000003"]);
  });

  it("compares numeric ids as numbers", () => {
    const rows = buildMessageRows([msg("10", "2026-11-28T10:00:00Z"), msg("9", "2026-11-28T10:00:00Z")], opts);
    expect(shape(rows)).toEqual(["D:Today", "[9", "10]"]);
  });

  it("puts a day separator before each new calendar day, labelled Today, Yesterday or a date", () => {
    const rows = buildMessageRows([msg("1", "2025-12-31T09:00:00Z"), msg("2", "2026-11-20T09:00:00Z"), msg("3", "2026-11-27T23:59:00Z"), msg("4", "2026-11-28T00:01:00Z")], opts);
    expect(shape(rows)).toEqual(["D:Wednesday, December 31, 2025", "[1]", "D:Friday, November 20", "[2]", "D:Yesterday", "[3]", "D:Today", "[4]"]);
    expect(rows.filter((r) => r.kind === "day").map((r) => r.key)).toEqual(["day:2025-12-31", "day:2026-11-20", "day:2026-11-27", "day:2026-11-28"]);
  });

  it("finds the day in the viewer's time zone", () => {
    // 23:30 UTC on the 27th is already the 28th in Berlin.
    const berlin = buildMessageRows([msg("1", "2026-11-27T23:30:00Z")], { ...opts, timeZone: "Europe/Berlin" });
    expect(shape(berlin)).toEqual(["D:Today", "[1]"]);
    const utc = buildMessageRows([msg("1", "2026-11-27T23:30:00Z")], opts);
    expect(shape(utc)).toEqual(["D:Yesterday", "[1]"]);
  });

  it("speaks the user's language for dates", () => {
    const rows = buildMessageRows([msg("1", "2026-11-20T09:00:00Z")], { ...opts, locale: "de-DE", labels: { today: "Heute", yesterday: "Gestern" } });
    expect(rows[0]).toMatchObject({ kind: "day", label: "Freitag, 20. November" });
  });

  it("groups one sender's messages within 5 minutes and starts a new group after a gap or another sender", () => {
    const rows = buildMessageRows(
      [
        msg("1", "2026-11-28T10:00:00Z"),
        msg("2", "2026-11-28T10:04:00Z"),
        msg("3", "2026-11-28T10:09:00Z"), // exactly 5 minutes after 2: still grouped
        msg("4", "2026-11-28T10:14:01Z"), // more than 5 minutes: new group
        msg("5", "2026-11-28T10:15:00Z", "lee"),
        msg("6", "2026-11-28T10:16:00Z"),
      ],
      opts,
    );
    expect(shape(rows)).toEqual(["D:Today", "[1", "2", "3]", "[4]", "[5]", "[6]"]);
  });

  it("lets system events and deleted messages stand alone and break groups", () => {
    const rows = buildMessageRows(
      [
        msg("1", "2026-11-28T10:00:00Z"),
        msg("2", "2026-11-28T10:01:00Z", "", { kind: "event", event: { type: "membersAdded", actorName: "Megan", names: ["Lee"] } }),
        msg("3", "2026-11-28T10:02:00Z"),
        msg("4", "2026-11-28T10:02:30Z", "megan", { deletedDateTime: "2026-11-28T10:03:00Z", body: { contentType: "html", content: "" } }),
        msg("5", "2026-11-28T10:03:00Z"),
        msg("6", "2026-11-28T10:03:30Z"),
      ],
      opts,
    );
    expect(shape(rows)).toEqual(["D:Today", "[1]", "E:2", "[3]", "[4]x", "[5", "6]"]);
  });

  it("does not group messages without a sender", () => {
    const rows = buildMessageRows([msg("1", "2026-11-28T10:00:00Z", ""), msg("2", "2026-11-28T10:01:00Z", "")], opts);
    expect(shape(rows)).toEqual(["D:Today", "[1]", "[2]"]);
  });

  it("does not group across midnight", () => {
    const rows = buildMessageRows([msg("1", "2026-11-27T23:59:00Z"), msg("2", "2026-11-28T00:01:00Z")], opts);
    expect(shape(rows)).toEqual(["D:Yesterday", "[1]", "D:Today", "[2]"]);
  });

  it("gives unique, stable keys and keeps the newest copy of a message", () => {
    const old = msg("1", "2026-11-28T10:00:00Z");
    const edited = { ...old, lastModifiedDateTime: "2026-11-28T10:05:00Z", editedDateTime: "2026-11-28T10:05:00Z", body: { contentType: "html" as const, content: "<p>edited</p>" } };
    const rows = buildMessageRows([edited, old, msg("2", "2026-11-28T10:01:00Z")], opts);
    expect(rows.map((r) => r.key)).toEqual(["day:2026-11-28", "msg:1", "msg:2"]);
    expect(rows[1]).toMatchObject({ kind: "message", message: { body: { content: "<p>edited</p>" } } });
    const again = buildMessageRows([msg("2", "2026-11-28T10:01:00Z"), edited], opts);
    expect(again.map((r) => r.key)).toEqual(rows.map((r) => r.key));
  });

  it("returns no rows for no messages", () => {
    expect(buildMessageRows([], opts)).toEqual([]);
  });

  it("steps back one calendar day across months, years and leap days", () => {
    expect(previousDay("2026-03-01")).toBe("2026-02-28");
    expect(previousDay("2024-03-01")).toBe("2024-02-29");
    expect(previousDay("2026-01-01")).toBe("2025-12-31");
  });
});

describe("eventLine", () => {
  it("says who added whom, joining names in the user's language", () => {
    expect(eventLine({ type: "membersAdded", actorName: "Megan", names: ["Alex", "Lee"] }, "en-US")).toEqual({ key: "SystemEvent_Added", args: ["Megan", "Alex and Lee"] });
    expect(eventLine({ type: "membersAdded", actorName: "Megan", names: ["Alex", "Lee", "Nestor"] }, "en-US").args[1]).toBe("Alex, Lee, and Nestor");
    expect(eventLine({ type: "membersAdded", actorName: "Megan", names: ["Alex", "Lee"] }, "de-DE").args[1]).toBe("Alex und Lee");
  });

  it("says who removed whom, and who left", () => {
    expect(eventLine({ type: "membersDeleted", actorName: "Megan", names: ["Alex"] })).toEqual({ key: "SystemEvent_Removed", args: ["Megan", "Alex"] });
    expect(eventLine({ type: "membersDeleted", actorName: "Alex", names: ["Alex"] })).toEqual({ key: "SystemEvent_Left", args: ["Alex"] });
    expect(eventLine({ type: "membersAdded", actorName: "Alex", names: ["Alex"] })).toEqual({ key: "SystemEvent_Joined", args: ["Alex"] });
  });

  it("still says something useful without an actor or without names", () => {
    expect(eventLine({ type: "membersAdded", names: ["Alex"] })).toEqual({ key: "SystemEvent_AddedNoActor", args: ["Alex"] });
    expect(eventLine({ type: "membersDeleted", names: ["Alex", "Lee"] }, "en-US")).toEqual({ key: "SystemEvent_RemovedNoActor", args: ["Alex and Lee"] });
    expect(eventLine({ type: "membersAdded", actorName: "Megan", names: [] })).toEqual({ key: "SystemEvent_AddedPeople", args: ["Megan"] });
    expect(eventLine({ type: "membersDeleted", actorName: "Megan", names: [" "] })).toEqual({ key: "SystemEvent_RemovedPeople", args: ["Megan"] });
    expect(eventLine({ type: "membersAdded" })).toEqual({ key: "SystemEvent_Other", args: [] });
  });

  it("describes renames and removed names", () => {
    expect(eventLine({ type: "renamed", actorName: "Megan", topic: "CAS-01001 - Printer" })).toEqual({ key: "SystemEvent_Renamed", args: ["Megan", "CAS-01001 - Printer"] });
    expect(eventLine({ type: "renamed", topic: "Budget" })).toEqual({ key: "SystemEvent_RenamedNoActor", args: ["Budget"] });
    expect(eventLine({ type: "renamed", actorName: "Megan", topic: "" })).toEqual({ key: "SystemEvent_NameRemoved", args: ["Megan"] });
    expect(eventLine({ type: "renamed" })).toEqual({ key: "SystemEvent_NameRemovedNoActor", args: [] });
  });

  it("falls back to a general line for other events", () => {
    expect(eventLine({ type: "other", actorName: "Megan" })).toEqual({ key: "SystemEvent_Other", args: [] });
  });

  it("joins names with commas where Intl.ListFormat is missing", () => {
    const intl = Intl as unknown as { ListFormat?: unknown };
    const saved = intl.ListFormat;
    try {
      intl.ListFormat = undefined;
      expect(joinNames(["Alex", "Lee", "Nestor"], "en-US")).toBe("Alex, Lee, Nestor");
    } finally {
      intl.ListFormat = saved;
    }
  });
});
