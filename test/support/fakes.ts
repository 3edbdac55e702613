import type { ChatLink, ChatSummary, Person, RecordInfo, RecordRef } from "../../TeamsChatPanel/domain/types";
import { ServiceError } from "../../TeamsChatPanel/services/errors";
import type { ChatGateway, CurrentUser, LinkQuery, LinkStore, NewChatRequest, Page, Prefs, RecordReader, Services } from "../../TeamsChatPanel/services/ports";

export const ME: CurrentUser = { systemUserId: "00000000-0000-0000-0000-0000000000a1", aadObjectId: "aad-me", fullName: "Megan Bowen", upn: "megan@contoso.test" };
export const CASE: RecordRef = { table: "incident", id: "11111111-1111-1111-1111-111111111111" };
export const ACCOUNT: RecordRef = { table: "account", id: "22222222-2222-2222-2222-222222222222" };

let seq = 0;
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

  now = () => new Date("2026-11-28T10:00:00Z");
}
