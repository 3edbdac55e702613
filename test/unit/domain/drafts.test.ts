import { DRAFT_MAX_AGE_MS, MAX_DRAFTS_PER_USER, clearDraft, draftChatIds, draftIndexKey, draftKey, isEmptyDraft, loadDraft, parseDraft, pruneDrafts, saveDraft } from "../../../TeamsChatPanel/domain/drafts";
import type { Draft, UploadedFile } from "../../../TeamsChatPanel/domain/messages";
import type { Prefs } from "../../../TeamsChatPanel/services/ports";

class MemoryPrefs implements Prefs {
  data = new Map<string, string>();
  get(key: string): string | null {
    return this.data.get(key) ?? null;
  }
  set(key: string, value: string): void {
    this.data.set(key, value);
  }
  /** Keys that still hold something (cleared entries are written as ""). */
  live(): string[] {
    return [...this.data.entries()].filter(([, v]) => v !== "").map(([k]) => k);
  }
}

const USER = "u1";
const file: UploadedFile = { attachmentId: "153fa47d-18c9-4179-be08-9879815a9f90", driveItemId: "01ABC", name: "report.pdf", webUrl: "https://contoso-my.sharepoint.com/report.pdf", size: 1234 };
const now = new Date("2026-11-28T12:00:00Z");
const draft = (html: string, files: UploadedFile[] = []): Omit<Draft, "savedAt"> => ({ html, importance: "high", files });
const days = (n: number) => new Date(now.getTime() - n * 86_400_000);

describe("draft storage", () => {
  it("keeps a draft per user and chat under draft.v1.<user>.<chat>, stamped with the time", () => {
    const prefs = new MemoryPrefs();
    saveDraft(prefs, USER, "19:a@thread.v2", draft("<p>Hello</p>", [file]), now);
    expect(prefs.get(draftKey(USER, "19:a@thread.v2"))).not.toBeNull();
    expect(draftKey(USER, "19:a@thread.v2")).toBe("draft.v1.u1.19:a@thread.v2");
    expect(loadDraft(prefs, USER, "19:a@thread.v2")).toEqual({ html: "<p>Hello</p>", importance: "high", files: [file], savedAt: now.toISOString() });
    expect(loadDraft(prefs, "u2", "19:a@thread.v2")).toBeUndefined();
    expect(loadDraft(prefs, USER, "19:b@thread.v2")).toBeUndefined();
  });

  it("clears a draft and its index entry", () => {
    const prefs = new MemoryPrefs();
    saveDraft(prefs, USER, "c1", draft("<p>x</p>"), now);
    saveDraft(prefs, USER, "c2", draft("<p>y</p>"), now);
    clearDraft(prefs, USER, "c1");
    expect(loadDraft(prefs, USER, "c1")).toBeUndefined();
    expect(draftChatIds(prefs, USER)).toEqual(["c2"]);
    clearDraft(prefs, USER, "never-saved");
    expect(draftChatIds(prefs, USER)).toEqual(["c2"]);
  });

  it("clears instead of saving an empty draft", () => {
    const prefs = new MemoryPrefs();
    saveDraft(prefs, USER, "c1", draft("<p>x</p>"), now);
    saveDraft(prefs, USER, "c1", draft("<p><br></p><p>&nbsp; </p>"), now);
    expect(loadDraft(prefs, USER, "c1")).toBeUndefined();
    expect(prefs.live()).toEqual([]);
  });

  it("returns undefined for junk instead of throwing", () => {
    const prefs = new MemoryPrefs();
    const junk = ["not json", "null", "[]", '"text"', '{"html":1}', '{"html":"x","importance":"loud","files":[],"savedAt":"2026-11-28T12:00:00Z"}', '{"html":"x","importance":"normal","files":[{"name":"a"}],"savedAt":"2026-11-28T12:00:00Z"}', '{"html":"x","importance":"normal","files":[],"savedAt":"yesterday"}', '{"html":"x","importance":"normal","savedAt":"2026-11-28T12:00:00Z"}'];
    for (const raw of junk) {
      prefs.set(draftKey(USER, "c1"), raw);
      expect(loadDraft(prefs, USER, "c1")).toBeUndefined();
    }
    prefs.set(draftIndexKey(USER), "{broken");
    expect(draftChatIds(prefs, USER)).toEqual([]);
  });

  it("drops unknown fields when reading", () => {
    const raw = JSON.stringify({ html: "<p>x</p>", importance: "urgent", files: [{ ...file, extra: 1 }], savedAt: now.toISOString(), extra: "y" });
    expect(parseDraft(raw)).toEqual({ html: "<p>x</p>", importance: "urgent", files: [file], savedAt: now.toISOString() });
  });

  it("ignores drafts older than 30 days when asked with a time", () => {
    const prefs = new MemoryPrefs();
    saveDraft(prefs, USER, "c1", draft("<p>x</p>"), days(31));
    expect(loadDraft(prefs, USER, "c1", now)).toBeUndefined();
    expect(loadDraft(prefs, USER, "c1", days(1))).toBeDefined();
  });

  it("prunes drafts older than 30 days when another is saved", () => {
    const prefs = new MemoryPrefs();
    saveDraft(prefs, USER, "old", draft("<p>old</p>"), days(31));
    saveDraft(prefs, USER, "recent", draft("<p>recent</p>"), days(29));
    saveDraft(prefs, USER, "new", draft("<p>new</p>"), now);
    expect(draftChatIds(prefs, USER)).toEqual(["new", "recent"]);
    expect(prefs.get(draftKey(USER, "old"))).toBe("");
    expect(loadDraft(prefs, USER, "recent")).toBeDefined();
  });

  it("keeps at most 50 drafts per user, dropping the oldest", () => {
    const prefs = new MemoryPrefs();
    for (let i = 0; i < MAX_DRAFTS_PER_USER + 3; i++) saveDraft(prefs, USER, `c${i}`, draft(`<p>${i}</p>`), new Date(now.getTime() + i * 1000));
    saveDraft(prefs, "other-user", "c0", draft("<p>mine</p>"), now);
    const ids = draftChatIds(prefs, USER);
    expect(ids).toHaveLength(MAX_DRAFTS_PER_USER);
    expect(ids[0]).toBe(`c${MAX_DRAFTS_PER_USER + 2}`);
    expect(ids).not.toContain("c0");
    expect(ids).not.toContain("c2");
    expect(ids).toContain("c3");
    expect(loadDraft(prefs, USER, "c0")).toBeUndefined();
    expect(loadDraft(prefs, "other-user", "c0")).toBeDefined();
    expect(prefs.live().filter((k) => k.startsWith(`draft.v1.${USER}.`))).toHaveLength(MAX_DRAFTS_PER_USER);
  });

  it("prunes on demand", () => {
    const prefs = new MemoryPrefs();
    saveDraft(prefs, USER, "a", draft("<p>a</p>"), days(40));
    saveDraft(prefs, USER, "b", draft("<p>b</p>"), days(10));
    pruneDrafts(prefs, USER, new Date(now.getTime() + 25 * 86_400_000));
    expect(draftChatIds(prefs, USER)).toEqual([]);
    expect(prefs.live()).toEqual([]);
    expect(DRAFT_MAX_AGE_MS).toBe(30 * 86_400_000);
  });
});

describe("isEmptyDraft", () => {
  it("treats whitespace-only editor HTML without files as empty", () => {
    expect(isEmptyDraft({ html: "", files: [] })).toBe(true);
    expect(isEmptyDraft({ html: '<p class="x"><br></p><p dir="ltr"><span> &nbsp;&#160;</span></p>\n', files: [] })).toBe(true);
  });
  it("keeps text, files, images, mentions and attachments", () => {
    expect(isEmptyDraft({ html: "<p>a</p>", files: [] })).toBe(false);
    expect(isEmptyDraft({ html: "", files: [file] })).toBe(false);
    expect(isEmptyDraft({ html: '<p><img src="../hostedContents/1/$value"></p>', files: [] })).toBe(false);
    expect(isEmptyDraft({ html: '<attachment id="x"></attachment>', files: [] })).toBe(false);
  });
});
