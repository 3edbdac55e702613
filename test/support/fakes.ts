import type { ChatMessageItem, OutgoingMessage, UploadedFile } from "../../TeamsChatPanel/domain/messages";
import type { ChatLink, ChatMember, ChatSummary, Person, RecordInfo, RecordRef } from "../../TeamsChatPanel/domain/types";
import { ServiceError } from "../../TeamsChatPanel/services/errors";
import type { ChatGateway, ConversationGateway, CurrentUser, FileUploader, LinkQuery, LinkStore, NewChatRequest, Page, Prefs, RecordReader, Services } from "../../TeamsChatPanel/services/ports";
import { FakeChannelGateway } from "./channelFakes";

export const ME: CurrentUser = { systemUserId: "00000000-0000-0000-0000-0000000000a1", aadObjectId: "aad-me", fullName: "Megan Bowen", upn: "megan@contoso.test" };
export const CASE: RecordRef = { table: "incident", id: "11111111-1111-1111-1111-111111111111" };
export const ACCOUNT: RecordRef = { table: "account", id: "22222222-2222-2222-2222-222222222222" };

let seq = 0;

/** A message as Graph would return it, created at `minutesAgo` before the fakes' now (2026-11-28 10:00 UTC). */
export function message(chatId: string, partial: Partial<ChatMessageItem> & { minutesAgo?: number; fromName?: string; text?: string } = {}): ChatMessageItem {
  const n = ++seq;
  const at = new Date(Date.UTC(2026, 10, 28, 10, 0) - (partial.minutesAgo ?? n) * 60_000).toISOString();
  const fromName = partial.fromName ?? "Alex Wilber";
  return {
    id: partial.id ?? String(1_700_000_000_000 + n),
    chatId,
    kind: partial.kind ?? "message",
    createdDateTime: partial.createdDateTime ?? at,
    lastModifiedDateTime: partial.lastModifiedDateTime ?? partial.createdDateTime ?? at,
    from: partial.from ?? { id: fromName === ME.fullName ? ME.aadObjectId : `aad-${fromName}`, displayName: fromName },
    importance: partial.importance ?? "normal",
    body: partial.body ?? { contentType: "html", content: `<p>${partial.text ?? `Message ${n}`}</p>` },
    attachments: partial.attachments ?? [],
    mentions: partial.mentions ?? [],
    editedDateTime: partial.editedDateTime,
    deletedDateTime: partial.deletedDateTime,
    event: partial.event,
  };
}
export function chat(partial: Partial<ChatSummary> & { others?: string[] } = {}): ChatSummary {
  const n = ++seq;
  const others = partial.others ?? [`Person ${n}`];
  const time = partial.lastUpdatedDateTime ?? new Date(Date.UTC(2026, 10, 28, 9, 0) - n * 60_000).toISOString();
  return {
    id: partial.id ?? `19:chat${n}@thread.v2`,
    chatType: partial.chatType ?? (others.length > 1 ? "group" : "oneOnOne"),
    topic: partial.topic ?? null,
    members: partial.members ?? [
      { membershipId: `m-me-${n}`, userId: ME.aadObjectId, displayName: ME.fullName },
      ...others.map((name, i) => ({ membershipId: `m-${n}-${i}`, userId: `aad-${name}`, displayName: name })),
    ],
    membersTruncated: false,
    lastMessage: partial.lastMessage ?? { createdDateTime: time, senderId: `aad-${others[0]}`, senderName: others[0], kind: "text", text: `Hello from ${others[0]}` },
    lastUpdatedDateTime: time,
    createdDateTime: time,
    webUrl: partial.webUrl ?? `https://teams.microsoft.com/l/chat/${n}/0`,
  };
}

export function link(chatId: string, record: RecordRef, id = `link-${++seq}`): ChatLink {
  return { id, kind: "chat", chatId, record };
}

/** In-memory services with switches for failures; every call is recorded. */
export class FakeServices implements Services {
  calls: string[] = [];
  pages: ChatSummary[][] = [[]];
  extraChats: ChatSummary[] = [];
  linkRows: ChatLink[] = [];
  people: Person[] = [];
  titleRows: RecordInfo[] = [];
  failChats?: ServiceError;
  failLinks?: ServiceError;
  failCreate?: ServiceError;
  failMore?: ServiceError;
  failCreateLink?: ServiceError;
  failDeleteLink?: ServiceError;
  failRename?: ServiceError;
  renamed: Array<{ chatId: string; topic: string }> = [];
  sent: Array<{ chatId: string; html: string }> = [];
  introRequests: string[][] = [];
  failSend?: ServiceError;
  deletedLinks: string[] = [];
  created: NewChatRequest[] = [];
  prefsData = new Map<string, string>();
  /** Resolve list calls only when the test says so. */
  holdList?: Promise<void>;

  chats: ChatGateway = {
    listChats: async (next?: string): Promise<Page<ChatSummary>> => {
      this.calls.push(`listChats:${next ?? ""}`);
      if (this.holdList) await this.holdList;
      const i = next ? Number(next) : 0;
      if (i > 0 && this.failMore) throw this.failMore;
      if (this.failChats) throw this.failChats;
      return { items: this.pages[i] ?? [], next: i + 1 < this.pages.length ? String(i + 1) : undefined };
    },
    getChats: async (ids) => {
      this.calls.push(`getChats:${ids.join(",")}`);
      return this.extraChats.filter((c) => ids.includes(c.id));
    },
    createChat: async (req) => {
      this.calls.push("createChat");
      if (this.failCreate) throw this.failCreate;
      this.created.push(req);
      const people = this.people.filter((p) => req.memberIds.includes(p.id));
      const created = chat({ topic: req.topic ?? null, others: people.map((p) => p.displayName), lastUpdatedDateTime: "2026-11-28T10:00:00Z" });
      const result: ChatSummary = req.forceGroup ? { ...created, chatType: "group" } : created;
      // Like Teams: the new chat is listed first from now on.
      this.pages[0] = [result, ...(this.pages[0] ?? [])];
      return result;
    },
    sendHtml: async (chatId, html) => {
      this.calls.push(`sendHtml:${chatId}`);
      if (this.failSend) throw this.failSend;
      this.sent.push({ chatId, html });
    },
    renameChat: async (chatId, topic) => {
      this.calls.push(`renameChat:${chatId}`);
      if (this.failRename) throw this.failRename;
      this.renamed.push({ chatId, topic });
    },
    searchPeople: async (q) => {
      this.calls.push(`searchPeople:${q}`);
      return this.people.filter((p) => p.displayName.toLowerCase().includes(q.toLowerCase()));
    },
  };

  channels = new FakeChannelGateway();

  links: LinkStore = {
    linksFor: async (q: LinkQuery) => {
      this.calls.push(`linksFor:${q.record ? "record+" : ""}${q.chatIds.length}`);
      if (this.failLinks) throw this.failLinks;
      return this.linkRows.filter((l) => q.chatIds.includes(l.chatId) || (q.record && l.record.id === q.record.id && l.record.table === q.record.table));
    },
    createLink: async (chatId, record) => {
      this.calls.push(`createLink:${chatId}`);
      if (this.failCreateLink) throw this.failCreateLink;
      const row = link(chatId, record);
      this.linkRows.push(row);
      return row;
    },
    deleteLink: async (id) => {
      this.calls.push(`deleteLink:${id}`);
      if (this.failDeleteLink) throw this.failDeleteLink;
      this.deletedLinks.push(id);
      this.linkRows = this.linkRows.filter((l) => l.id !== id);
    },
    createChannelLink: async (teamId, channelId, record) => {
      this.calls.push(`createChannelLink:${channelId}`);
      if (this.failCreateLink) throw this.failCreateLink;
      const existing = this.linkRows.find((l) => l.chatId === channelId && l.record.id === record.id);
      if (existing) return existing;
      const row: ChatLink = { id: `link-${++seq}`, kind: "channel", chatId: channelId, teamId, record };
      this.linkRows.push(row);
      return row;
    },
  };

  records: RecordReader = {
    currentUser: async () => ME,
    recordInfo: async (ref) => ({ ...ref, title: "Printer offline after update", tableDisplayName: "Case" }),
    titles: async (refs) => this.titleRows.filter((r) => refs.some((x) => x.id === r.id)),
    introFields: async (_record, columns) => {
      this.introRequests.push(columns);
      return [
        { label: "Case Number", value: "CAS-01001-Z2T0D1" },
        { label: "Priority", value: "High <urgent>" },
      ];
    },
  };

  prefs: Prefs = {
    get: (k) => this.prefsData.get(k) ?? null,
    set: (k, v) => void this.prefsData.set(k, v),
  };

  /** Messages per chat, newest first (Graph's order); pages of `messagePageSize`. */
  messages = new Map<string, ChatMessageItem[]>();
  messagePageSize = 50;
  members = new Map<string, ChatMember[]>();
  posted: Array<{ chatId: string; message: OutgoingMessage }> = [];
  /** Errors thrown by the next sends, one per call, before sends succeed again. */
  sendFailures: ServiceError[] = [];
  /** When a send fails with this flag, Teams did post it (the answer was lost). */
  postedDespiteFailure = false;
  failMessages?: ServiceError;
  failMembers?: ServiceError;
  uploads: string[] = [];

  conversations: ConversationGateway = {
    listMessages: async (chatId, next) => {
      this.calls.push(`listMessages:${chatId}:${next ?? ""}`);
      if (this.failMessages) throw this.failMessages;
      const all = [...(this.messages.get(chatId) ?? [])].sort((a, b) => (a.createdDateTime < b.createdDateTime ? 1 : -1));
      const start = next ? Number(next) : 0;
      const end = start + this.messagePageSize;
      return { items: all.slice(start, end), next: end < all.length ? String(end) : undefined };
    },
    send: async (chatId, m) => {
      this.calls.push(`send:${chatId}`);
      const failure = this.sendFailures.shift();
      const stored = message(chatId, {
        fromName: ME.fullName,
        createdDateTime: this.now().toISOString(),
        body: { contentType: "html", content: m.html },
        importance: m.importance,
        attachments: m.files.map((f) => ({ id: f.attachmentId, contentType: "reference", name: f.name, contentUrl: f.webUrl })),
      });
      if (!failure || this.postedDespiteFailure) {
        this.posted.push({ chatId, message: m });
        this.messages.set(chatId, [stored, ...(this.messages.get(chatId) ?? [])]);
      }
      if (failure) throw failure;
      return stored;
    },
    hostedContent: async (url) => {
      this.calls.push(`hostedContent:${url}`);
      return new Blob(["png"], { type: "image/png" });
    },
    listMembers: async (chatId) => {
      this.calls.push(`listMembers:${chatId}`);
      if (this.failMembers) throw this.failMembers;
      return this.members.get(chatId) ?? [];
    },
    addMember: async (chatId, userId, historyFrom) => {
      this.calls.push(`addMember:${chatId}:${userId}:${historyFrom ?? "none"}`);
      if (this.failMembers) throw this.failMembers;
      const person = this.people.find((p) => p.id === userId);
      this.members.set(chatId, [...(this.members.get(chatId) ?? []), { membershipId: `m-${userId}`, userId, displayName: person?.displayName ?? userId }]);
    },
    removeMember: async (chatId, membershipId) => {
      this.calls.push(`removeMember:${chatId}:${membershipId}`);
      if (this.failMembers) throw this.failMembers;
      this.members.set(chatId, (this.members.get(chatId) ?? []).filter((m) => m.membershipId !== membershipId));
    },
  };

  files: FileUploader = {
    upload: async (file, onProgress): Promise<UploadedFile> => {
      this.uploads.push(file.name);
      onProgress({ sent: file.size, total: file.size });
      return { attachmentId: `att-${this.uploads.length}`, driveItemId: `item-${this.uploads.length}`, name: file.name, webUrl: `https://contoso.sharepoint.com/${file.name}`, size: file.size };
    },
  };

  now = () => new Date("2026-11-28T10:00:00Z");
}
