/**
 * Drafts kept per user and chat in browser storage, so nothing typed is lost across closing a chat, switching
 * records or reloading. Storage is reached only through the Prefs port (which has no delete: a cleared entry is
 * written as ""). An index per user lists the chats with a draft and when each was saved, so old drafts can be
 * pruned without scanning storage.
 */
import type { Draft, Importance, UploadedFile } from "./messages";
import type { Prefs } from "./types";

export const DRAFT_MAX_AGE_MS = 30 * 24 * 60 * 60_000;
export const MAX_DRAFTS_PER_USER = 50;

export function draftKey(userId: string, chatId: string): string {
  return `draft.v1.${userId}.${chatId}`;
}

/** Its own prefix, so no chat id can ever collide with it. */
export function draftIndexKey(userId: string): string {
  return `draftindex.v1.${userId}`;
}

/** chat id → ISO time the draft was saved. */
type DraftIndex = Record<string, string>;

const IMPORTANCE: ReadonlySet<string> = new Set<Importance>(["normal", "high", "urgent"]);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isUploadedFile(v: unknown): v is UploadedFile {
  return (
    isRecord(v) &&
    typeof v.attachmentId === "string" &&
    typeof v.driveItemId === "string" &&
    typeof v.name === "string" &&
    typeof v.webUrl === "string" &&
    typeof v.size === "number" &&
    Number.isFinite(v.size)
  );
}

/** A stored value as a Draft, or undefined when it is missing, not JSON, or not a draft's shape. */
export function parseDraft(raw: string | null): Draft | undefined {
  if (!raw) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isRecord(v)) return undefined;
  if (typeof v.html !== "string" || typeof v.importance !== "string" || !IMPORTANCE.has(v.importance)) return undefined;
  if (!Array.isArray(v.files) || !v.files.every(isUploadedFile)) return undefined;
  if (typeof v.savedAt !== "string" || Number.isNaN(Date.parse(v.savedAt))) return undefined;
  return {
    html: v.html,
    importance: v.importance as Importance,
    files: v.files.map((f: UploadedFile) => ({ attachmentId: f.attachmentId, driveItemId: f.driveItemId, name: f.name, webUrl: f.webUrl, size: f.size })),
    savedAt: v.savedAt,
  };
}

/** Nothing worth keeping: no files, and editor HTML with no text, image, mention or attachment in it. */
export function isEmptyDraft(draft: Pick<Draft, "html" | "files">): boolean {
  if (draft.files.length) return false;
  if (/<(img|at|attachment)\b/i.test(draft.html)) return false;
  const text = draft.html
    .replace(/<[^>]*>/g, "")
    .replace(/&nbsp;|&#160;|&#xa0;/gi, " ")
    .replace(/\u200b/g, "");
  return text.trim() === "";
}

function readIndex(prefs: Prefs, userId: string): DraftIndex {
  const raw = prefs.get(draftIndexKey(userId));
  if (!raw) return {};
  try {
    const v: unknown = JSON.parse(raw);
    if (!isRecord(v)) return {};
    const out: DraftIndex = {};
    for (const [chatId, at] of Object.entries(v)) if (typeof at === "string" && !Number.isNaN(Date.parse(at))) out[chatId] = at;
    return out;
  } catch {
    return {};
  }
}

function writeIndex(prefs: Prefs, userId: string, index: DraftIndex): void {
  prefs.set(draftIndexKey(userId), Object.keys(index).length ? JSON.stringify(index) : "");
}

/**
 * The draft of a chat, or undefined (none, junk, or older than 30 days when `now` is given).
 */
export function loadDraft(prefs: Prefs, userId: string, chatId: string, now?: Date): Draft | undefined {
  const draft = parseDraft(prefs.get(draftKey(userId, chatId)));
  if (!draft) return undefined;
  if (now && now.getTime() - Date.parse(draft.savedAt) > DRAFT_MAX_AGE_MS) return undefined;
  return draft;
}

export function clearDraft(prefs: Prefs, userId: string, chatId: string): void {
  const key = draftKey(userId, chatId);
  if (prefs.get(key)) prefs.set(key, "");
  const index = readIndex(prefs, userId);
  if (chatId in index) {
    delete index[chatId];
    writeIndex(prefs, userId, index);
  }
}

/**
 * Keeps the draft of a chat (stamped with `now`); an empty draft clears it instead. Old and surplus drafts of the
 * user are pruned on the way.
 */
export function saveDraft(prefs: Prefs, userId: string, chatId: string, draft: Omit<Draft, "savedAt"> & { savedAt?: string }, now: Date): void {
  if (isEmptyDraft(draft)) {
    clearDraft(prefs, userId, chatId);
    return;
  }
  const savedAt = now.toISOString();
  const stored: Draft = { html: draft.html, importance: draft.importance, files: draft.files, savedAt };
  prefs.set(draftKey(userId, chatId), JSON.stringify(stored));
  const index = readIndex(prefs, userId);
  index[chatId] = savedAt;
  writeIndex(prefs, userId, pruneIndex(prefs, userId, index, now));
}

/** Drops drafts saved more than 30 days ago and, beyond 50, the oldest ones; returns the index that remains. */
function pruneIndex(prefs: Prefs, userId: string, index: DraftIndex, now: Date): DraftIndex {
  const newestFirst = Object.entries(index).sort((a, b) => Date.parse(b[1]) - Date.parse(a[1]));
  const keep: DraftIndex = {};
  newestFirst.forEach(([chatId, at], i) => {
    if (i < MAX_DRAFTS_PER_USER && now.getTime() - Date.parse(at) <= DRAFT_MAX_AGE_MS) keep[chatId] = at;
    else prefs.set(draftKey(userId, chatId), "");
  });
  return keep;
}

/** Runs the pruning alone (e.g. once when the panel starts). */
export function pruneDrafts(prefs: Prefs, userId: string, now: Date): void {
  const index = readIndex(prefs, userId);
  const kept = pruneIndex(prefs, userId, index, now);
  if (Object.keys(kept).length !== Object.keys(index).length) writeIndex(prefs, userId, kept);
}

/** Chats with a kept draft, newest first (for a "Draft" marker in lists or tabs). */
export function draftChatIds(prefs: Prefs, userId: string): string[] {
  return Object.entries(readIndex(prefs, userId))
    .sort((a, b) => Date.parse(b[1]) - Date.parse(a[1]))
    .map(([chatId]) => chatId);
}
