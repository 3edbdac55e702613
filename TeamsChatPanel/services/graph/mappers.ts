import { htmlToPreviewText } from "../../domain/text";
import type { ChatMember, ChatSummary, ChatType, MessagePreview, Person, PreviewEvent } from "../../domain/types";
import type { ChatMessageItem, Importance } from "../../domain/messages";
import type { WireChat, WireChatMessage, WireEventDetail, WireMember, WireMessagePreview, WireUser } from "./wire";

/** Graph caps expanded members at 25 per chat (GET /me/chats). */
export const EXPANDED_MEMBERS_CAP = 25;

export function toChatType(t: string): ChatType {
  return t === "oneOnOne" || t === "meeting" ? t : "group";
}

export function toMember(m: WireMember): ChatMember {
  return { membershipId: m.id, userId: m.userId ?? "", displayName: m.displayName ?? "", email: m.email ?? undefined };
}

export function toChat(w: WireChat): ChatSummary {
  const members = (w.members ?? []).filter((m) => !m["@odata.type"] || m["@odata.type"].endsWith("aadUserConversationMember")).map(toMember);
  return {
    id: w.id,
    chatType: toChatType(w.chatType),
    topic: w.topic ?? null,
    members,
    membersTruncated: (w.members?.length ?? 0) >= EXPANDED_MEMBERS_CAP,
    lastMessage: w.lastMessagePreview ? toPreview(w.lastMessagePreview) : undefined,
    lastUpdatedDateTime: w.lastMessagePreview?.createdDateTime ?? w.lastUpdatedDateTime ?? w.createdDateTime,
    createdDateTime: w.createdDateTime,
    webUrl: w.webUrl ?? undefined,
  };
}

export function toEvent(detail: WireEventDetail | null | undefined): PreviewEvent {
  const type = detail?.["@odata.type"] ?? "";
  const actorName = detail?.initiator?.user?.displayName ?? detail?.initiator?.application?.displayName ?? undefined;
  const names = (detail?.members ?? []).map((m) => m.displayName ?? "").filter(Boolean);
  if (type.endsWith("membersAddedEventMessageDetail")) return { type: "membersAdded", actorName, names };
  if (type.endsWith("membersDeletedEventMessageDetail")) return { type: "membersDeleted", actorName, names };
  if (type.endsWith("chatRenamedEventMessageDetail")) return { type: "renamed", actorName, topic: detail?.chatDisplayName ?? "" };
  return { type: "other", actorName };
}

export function toPreview(p: WireMessagePreview): MessagePreview {
  const senderId = p.from?.user?.id ?? undefined;
  const senderName = p.from?.user?.displayName ?? p.from?.application?.displayName ?? undefined;
  const base = { createdDateTime: p.createdDateTime, senderId, senderName };
  if (p.isDeleted) return { ...base, kind: "deleted", text: "" };
  if (p.messageType && p.messageType !== "message") return { ...base, kind: "event", text: "", event: toEvent(p.eventDetail) };
  const content = p.body?.content ?? "";
  const html = p.body?.contentType === "html";
  const text = html ? htmlToPreviewText(content) : content.replace(/\s+/g, " ").trim();
  if (!text && /<attachment\b/i.test(content)) return { ...base, kind: "file", text: "" };
  if (!text && /<img\b/i.test(content)) return { ...base, kind: "image", text: "" };
  return { ...base, kind: "text", text };
}

export function toPerson(u: WireUser): Person {
  return {
    id: u.id,
    displayName: u.displayName ?? u.userPrincipalName ?? u.mail ?? u.id,
    email: u.mail ?? u.userPrincipalName ?? undefined,
    jobTitle: u.jobTitle ?? undefined,
  };
}

function toImportance(v: string | null | undefined): Importance {
  return v === "high" || v === "urgent" ? v : "normal";
}

export function toMessage(w: WireChatMessage, chatId: string): ChatMessageItem {
  const isEvent = !!w.messageType && w.messageType !== "message";
  const fromUser = w.from?.user ?? w.from?.application ?? undefined;
  return {
    id: w.id,
    chatId: w.chatId ?? chatId,
    kind: isEvent ? "event" : "message",
    createdDateTime: w.createdDateTime,
    lastModifiedDateTime: w.lastModifiedDateTime ?? w.createdDateTime,
    editedDateTime: w.lastEditedDateTime ?? undefined,
    deletedDateTime: w.deletedDateTime ?? undefined,
    from: fromUser?.id ? { id: fromUser.id, displayName: fromUser.displayName ?? "" } : undefined,
    importance: toImportance(w.importance),
    subject: w.subject ?? undefined,
    body: { contentType: w.body?.contentType === "html" ? "html" : "text", content: w.deletedDateTime ? "" : (w.body?.content ?? "") },
    attachments: (w.attachments ?? [])
      .filter((a) => typeof a.id === "string" && a.id)
      .map((a) => ({ id: a.id as string, contentType: a.contentType ?? "", name: a.name ?? undefined, contentUrl: a.contentUrl ?? undefined, thumbnailUrl: a.thumbnailUrl ?? undefined })),
    mentions: (w.mentions ?? []).map((m) => ({ id: m.id ?? 0, text: m.mentionText ?? "", userId: m.mentioned?.user?.id ?? undefined })),
    event: isEvent ? toEvent(w.eventDetail) : undefined,
  };
}

/** The chat list's preview of a full message (a live update carries the message, not the list's preview). */
export function toMessagePreview(w: WireChatMessage): MessagePreview {
  return toPreview({ id: w.id, createdDateTime: w.createdDateTime, isDeleted: !!w.deletedDateTime, messageType: w.messageType, eventDetail: w.eventDetail, body: w.body, from: w.from });
}
