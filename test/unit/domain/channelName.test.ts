import { CHANNEL_NAME_MAX, channelNameProblem, forbiddenCharacters, proposeChannelName } from "../../../TeamsChatPanel/domain/channelName";
import { lastActivity } from "../../../TeamsChatPanel/domain/channels";

describe("channelNameProblem (Teams' channel-name rules)", () => {
  it("accepts ordinary names, spaces, dashes, parentheses and non-Latin letters", () => {
    for (const ok of ["General", "CAS-01001 Fabrikam (VIP)", "Übergabe Frühschicht", "顧客 エスカレーション", "x".repeat(CHANNEL_NAME_MAX)]) expect(channelNameProblem(ok), ok).toBeNull();
  });
  it("refuses empty, too long, forbidden characters, reserved words and bad edges", () => {
    expect(channelNameProblem("   ")).toBe("empty");
    expect(channelNameProblem("x".repeat(CHANNEL_NAME_MAX + 1))).toBe("tooLong");
    for (const c of "~#%&*{}+/\\:<>?|'\",.") expect(channelNameProblem(`a${c}b`), c).toBe("characters");
    expect(channelNameProblem("tab\there")).toBe("characters");
    for (const w of ["CON", "nul", "COM1", "lpt9", "forms", "CONIN$", "a_vti_b"]) expect(channelNameProblem(w), w).toBe("reserved");
    expect(channelNameProblem("_private")).toBe("edges");
    expect(channelNameProblem(".hidden")).toBe("edges");
  });
  it("lists each refused character once for the message", () => {
    expect(forbiddenCharacters("a/b/c: d?")).toEqual(["/", ":", "?"]);
  });
});

describe("proposeChannelName", () => {
  it("turns a record title into a valid name", () => {
    expect(proposeChannelName("Printer offline after update")).toBe("Printer offline after update");
    expect(proposeChannelName("CAS-01001: Fabrikam / printer #3 offline.")).toBe("CAS-01001 Fabrikam printer 3 offline");
    expect(proposeChannelName("_internal: test")).toBe("internal test");
  });
  it("cuts a long title at a word boundary within 50 characters", () => {
    const name = proposeChannelName("Intermittent VPN disconnects for the whole Berlin office after the firewall upgrade");
    expect(name.length).toBeLessThanOrEqual(CHANNEL_NAME_MAX);
    expect(channelNameProblem(name)).toBeNull();
    expect("Intermittent VPN disconnects for the whole Berlin office".startsWith(name)).toBe(true);
    expect(name.endsWith(" ")).toBe(false);
  });
  it("falls back when nothing usable is left", () => {
    expect(proposeChannelName("???", "Zusammenarbeit")).toBe("Zusammenarbeit");
    expect(proposeChannelName("CON")).toBe("Collaboration");
    expect(proposeChannelName("")).toBe("Collaboration");
  });
});

describe("lastActivity", () => {
  it("is the newest post or reply", () => {
    const m = (id: string, at: string) => ({ id, chatId: "c", kind: "message" as const, createdDateTime: at, lastModifiedDateTime: at, importance: "normal" as const, body: { contentType: "text" as const, content: "" }, attachments: [], mentions: [] });
    expect(lastActivity([])).toBeUndefined();
    expect(lastActivity([{ ...m("1", "2026-01-01T10:00:00Z"), replies: [m("2", "2026-01-03T10:00:00Z")] }, { ...m("3", "2026-01-02T10:00:00Z"), replies: [] }])).toBe("2026-01-03T10:00:00Z");
  });
});
