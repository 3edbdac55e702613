/** Builds the message Teams receives from what the composer holds (chatmessage-post: mentions, hosted contents, reference attachments). */
import type { Importance, InlineImage, OutgoingMessage, UploadedFile } from "../../domain/messages";

/** Private-use characters around a mention's index: plain text, so it passes any HTML cleaning unchanged. */
const MARK_OPEN = "\uE000";
const MARK_CLOSE = "\uE001";

export function mentionMark(index: number): string {
  return `${MARK_OPEN}${index}${MARK_CLOSE}`;
}

export interface OutgoingInput {
  /** The editor's HTML with mentions as marks (editor.ts exportForSend), "" when there is no text. */
  html: string;
  mentions: Array<{ userId: string; displayName: string }>;
  /** Inline images in the order they appear; numbered 1, 2, … for this message. */
  images: Array<Pick<InlineImage, "contentType" | "base64">>;
  files: UploadedFile[];
  importance: Importance;
  /** Cleans the editor's markup into what Teams shows (domain/sanitize cleanOutgoingHtml). */
  clean(html: string): string;
  newId?: () => string;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function newClientId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  return `c-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

export function buildOutgoing(input: OutgoingInput): OutgoingMessage {
  const cleaned = input.html ? input.clean(input.html) : "";
  const used = new Set<number>();
  const body = cleaned.replace(new RegExp(`${MARK_OPEN}(\\d+)${MARK_CLOSE}`, "g"), (_whole, n: string) => {
    const i = Number(n);
    const person = input.mentions[i];
    if (!person) return "";
    used.add(i);
    return `<at id="${i}">${escapeHtml(person.displayName)}</at>`;
  });
  // A mention the cleaning dropped (it should not) is not announced to Teams either: ids must match the body.
  const mentions = input.mentions.map((m, id) => ({ id, userId: m.userId, displayName: m.displayName })).filter((m) => used.has(m.id));
  const hostedContents: InlineImage[] = input.images.map((img, i) => ({ tempId: String(i + 1), contentType: img.contentType, base64: img.base64 }));
  const images = hostedContents.map((h) => `<img src="../hostedContents/${h.tempId}/$value">`).join("");
  const attachments = input.files.map((f) => `<attachment id="${escapeHtml(f.attachmentId)}"></attachment>`).join("");
  return {
    clientId: (input.newId ?? newClientId)(),
    html: body + images + attachments,
    importance: input.importance,
    mentions,
    hostedContents,
    files: input.files,
  };
}
