/**
 * The simulator's data: one JSON-serialisable object (persisted as is) plus a
 * store that keeps lookup indexes and applies the Teams-side mutations shared by
 * the Graph routes, the demo seed and the control routes.
 */
import { randomBytes } from "node:crypto";

export interface SimUser {
  id: string;
  displayName: string;
  givenName: string;
  surname: string;
  userPrincipalName: string;
  mail: string;
  jobTitle: string;
  department: string;
  officeLocation: string;
  businessPhones: string[];
  mobilePhone: string | null;
  preferredLanguage: string;
  accountEnabled: boolean;
  /** Base64 PNG, absent when the user has no photo (Graph then answers 404 ImageNotFound). */
  photo?: string;
  /** The Dataverse systemuser row that mirrors this user. */
  systemuserid: string;
  isSupervisor: boolean;
}

export interface SimMember {
  membershipId: string;
  userId: string;
  roles: string[];
  visibleHistoryStartDateTime: string;
}

export interface SimMention {
  id: number;
  mentionText: string;
  userId: string;
}

export interface SimAttachment {
  id: string;
  contentType: string;
  contentUrl: string | null;
  content: string | null;
  name: string | null;
  thumbnailUrl: string | null;
}

export interface SimHostedContent {
  id: string;
  contentType: string;
  /** base64 */
  bytes: string;
}

export interface SimMessage {
  id: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  messageType: "message" | "systemEventMessage";
  fromUserId: string | null;
  body: { contentType: "text" | "html"; content: string };
  importance: "normal" | "high" | "urgent";
  subject: string | null;
  mentions: SimMention[];
  attachments: SimAttachment[];
  hostedContents: SimHostedContent[];
  eventDetail: Record<string, unknown> | null;
  /** Set when the sender edited the message (Teams shows "Edited"); absent in older data files. */
  lastEditedDateTime?: string | null;
  /** Set when the message was deleted; its content is gone by then. */
  deletedDateTime?: string | null;
  /** Channel posts only: the replies under the post, oldest first (absent in older data files). */
  replies?: SimMessage[];
}

export interface SimChat {
  id: string;
  chatType: "oneOnOne" | "group";
  topic: string | null;
  createdDateTime: string;
  lastUpdatedDateTime: string;
  members: SimMember[];
  /** Oldest first. */
  messages: SimMessage[];
  /** userId -> last read time (chat viewpoint). */
  lastReadBy: Record<string, string>;
}

export interface SimChannel {
  id: string;
  displayName: string;
  description: string;
  membershipType: "standard" | "private";
  createdDateTime: string;
  /** Only for private channels; standard channels follow team membership. */
  memberIds: string[] | null;
  messages: SimMessage[];
}

export interface SimTeam {
  id: string;
  displayName: string;
  description: string;
  createdDateTime: string;
  memberIds: string[];
  channels: SimChannel[];
  /** An archived team is read-only: members can read it, nobody can post or add channels (absent = active). */
  isArchived?: boolean;
}

export type DvRow = Record<string, unknown>;

/** A file in a user's OneDrive (metadata only: the simulator does not keep file bytes). */
export interface SimDriveItem {
  id: string;
  ownerId: string;
  /** Path below the drive root, e.g. "Microsoft Teams Chat Files/report.docx". */
  path: string;
  name: string;
  folder: boolean;
  size: number;
  mimeType: string | null;
  /** The GUID in the eTag; it is also what a chat message uses as the attachment id. */
  etagGuid: string;
  version: number;
  createdDateTime: string;
  lastModifiedDateTime: string;
  /** Upper-case hex SHA-256 of the uploaded bytes (file.hashes.sha256Hash), so tests can prove what arrived. */
  sha256Hash?: string;
}

export interface SimState {
  version: 1;
  seed: "demo" | "empty";
  tenantId: string;
  tenantName: string;
  domain: string;
  organizationId: string;
  businessUnitId: string;
  users: SimUser[];
  chats: SimChat[];
  teams: SimTeam[];
  /** OneDrive items uploaded through Graph (absent in older data files). */
  driveItems?: SimDriveItem[];
  /** logical name -> primary id -> row */
  dataverse: Record<string, Record<string, DvRow>>;
  /** Row version counter for @odata.etag. */
  dvVersion: number;
  /** systemuserids holding organisation-depth delete on tcp_chatlink. */
  chatLinkOrgDeleters: string[];
  /** Counter so bulk-created data stays deterministic across calls. */
  bulkCounter: number;
}

export const TENANT_ID = "6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b";

export function emptyState(): SimState {
  return {
    version: 1,
    seed: "empty",
    tenantId: TENANT_ID,
    tenantName: "Contoso Support",
    domain: "contososupport.onmicrosoft.com",
    organizationId: "0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d",
    businessUnitId: "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e",
    users: [],
    chats: [],
    teams: [],
    driveItems: [],
    dataverse: {},
    dvVersion: 1000,
    chatLinkOrgDeleters: [],
    bulkCounter: 0,
  };
}

export function membershipIdFor(tenantId: string, chatId: string, userId: string): string {
  // Shaped like Graph's own (base64 of "0#tenant#chat#user"): opaque to clients.
  return Buffer.from(`0#${tenantId}#${chatId}#${userId}`, "utf8").toString("base64");
}

export function oneOnOneChatId(a: string, b: string): string {
  const [x, y] = [a, b].sort();
  return `19:${x}_${y}@unq.gbl.spaces`;
}

export function groupChatId(hex32?: string): string {
  return `19:${hex32 ?? randomBytes(16).toString("hex")}@thread.v2`;
}

export function chatWebUrl(chatId: string, tenantId: string): string {
  return `https://teams.microsoft.com/l/chat/${encodeURIComponent(chatId)}/0?tenantId=${tenantId}`;
}

export interface NewMessage {
  fromUserId: string | null;
  at: number;
  html?: string;
  text?: string;
  importance?: SimMessage["importance"];
  subject?: string | null;
  mentions?: SimMention[];
  attachments?: SimAttachment[];
  hostedContents?: SimHostedContent[];
  eventDetail?: Record<string, unknown> | null;
}

/**
 * What changed in a chat, for change notifications (graph-subscriptions.ts). `memberIds` is the
 * roster at that moment: a per-user subscription matches only chats its user is in right then.
 */
export type StoreEvent =
  | { kind: "message"; changeType: "created" | "updated" | "deleted"; chat: SimChat; message: SimMessage; memberIds: string[] }
  | { kind: "member"; changeType: "created" | "deleted"; chat: SimChat; member: SimMember; memberIds: string[] };

export class SimStore {
  state: SimState;
  private readonly listeners = new Set<(e: StoreEvent) => void>();
  private chatIndex = new Map<string, SimChat>();
  private userIndex = new Map<string, SimUser>();
  private indexedChats = -1;
  private indexedUsers = -1;

  constructor(state: SimState) {
    this.state = state;
  }

  /** Observes chat changes; returns the unsubscribe function. */
  onChange(fn: (e: StoreEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(e: StoreEvent): void {
    for (const fn of this.listeners) fn(e);
  }

  /** A member joined or left `chat` (call after the roster changed). */
  memberChanged(chat: SimChat, member: SimMember, changeType: "created" | "deleted"): void {
    if (!this.listeners.size) return;
    // The roster after a removal no longer holds the member; its own subscriptions still hear that it left.
    const memberIds = chat.members.map((m) => m.userId);
    if (changeType === "deleted") memberIds.push(member.userId);
    this.emit({ kind: "member", changeType, chat, member, memberIds });
  }

  private messageChanged(container: { messages: SimMessage[] }, message: SimMessage, changeType: "created" | "updated" | "deleted"): void {
    if (!this.listeners.size || !("chatType" in container)) return;
    const chat = container as SimChat;
    this.emit({ kind: "message", changeType, chat, message, memberIds: chat.members.map((m) => m.userId) });
  }

  replace(state: SimState): void {
    this.state = state;
    this.indexedChats = -1;
    this.indexedUsers = -1;
  }

  private ensureUserIndex(): void {
    if (this.indexedUsers === this.state.users.length) return;
    this.userIndex.clear();
    for (const u of this.state.users) {
      this.userIndex.set(u.id.toLowerCase(), u);
      this.userIndex.set(u.userPrincipalName.toLowerCase(), u);
      this.userIndex.set(u.systemuserid.toLowerCase(), u);
    }
    this.indexedUsers = this.state.users.length;
  }

  /** By Graph id or UPN (what Graph's /users/{id | userPrincipalName} accepts). */
  user(idOrUpn: string): SimUser | undefined {
    this.ensureUserIndex();
    const u = this.userIndex.get(idOrUpn.toLowerCase());
    if (u && (u.id.toLowerCase() === idOrUpn.toLowerCase() || u.userPrincipalName.toLowerCase() === idOrUpn.toLowerCase())) return u;
    return undefined;
  }

  /** By Graph id, UPN or systemuserid (the control routes accept any of them). */
  anyUser(key: string): SimUser | undefined {
    this.ensureUserIndex();
    return this.userIndex.get(key.toLowerCase());
  }

  userBySystemUserId(id: string): SimUser | undefined {
    this.ensureUserIndex();
    const u = this.userIndex.get(id.toLowerCase());
    return u && u.systemuserid.toLowerCase() === id.toLowerCase() ? u : undefined;
  }

  chat(id: string): SimChat | undefined {
    if (this.indexedChats !== this.state.chats.length) {
      this.chatIndex.clear();
      for (const c of this.state.chats) this.chatIndex.set(c.id, c);
      this.indexedChats = this.state.chats.length;
    }
    const c = this.chatIndex.get(id);
    if (c) return c;
    // Tests may have edited state directly; fall back to a scan.
    const found = this.state.chats.find((x) => x.id === id);
    if (found) this.chatIndex.set(id, found);
    return found;
  }

  addChat(chat: SimChat): void {
    this.chat(chat.id); // make sure the index is current before growing it
    this.state.chats.push(chat);
    this.chatIndex.set(chat.id, chat);
    this.indexedChats = this.state.chats.length;
  }

  isMember(chat: SimChat, userId: string): boolean {
    return chat.members.some((m) => m.userId === userId);
  }

  chatsOf(userId: string): SimChat[] {
    return this.state.chats.filter((c) => c.members.some((m) => m.userId === userId));
  }

  team(id: string): SimTeam | undefined {
    return this.state.teams.find((t) => t.id === id);
  }

  newMember(chatId: string, userId: string, roles: string[], visibleFrom: string): SimMember {
    return {
      membershipId: membershipIdFor(this.state.tenantId, chatId, userId),
      userId,
      roles,
      visibleHistoryStartDateTime: visibleFrom,
    };
  }

  /** Message ids are epoch milliseconds, unique within their chat or channel. */
  appendMessage(container: { messages: SimMessage[] }, m: NewMessage): SimMessage {
    let ms = Math.floor(m.at);
    const taken = new Set(container.messages.map((x) => x.id));
    while (taken.has(String(ms))) ms++;
    const at = new Date(ms).toISOString();
    const msg: SimMessage = {
      id: String(ms),
      createdDateTime: at,
      lastModifiedDateTime: at,
      messageType: m.eventDetail ? "systemEventMessage" : "message",
      fromUserId: m.eventDetail ? null : m.fromUserId,
      body: m.eventDetail
        ? { contentType: "html", content: "<systemEventMessage/>" }
        : m.html !== undefined
          ? { contentType: "html", content: m.html }
          : { contentType: "text", content: m.text ?? "" },
      importance: m.importance ?? "normal",
      subject: m.subject ?? null,
      mentions: m.mentions ?? [],
      attachments: m.attachments ?? [],
      hostedContents: m.hostedContents ?? [],
      eventDetail: m.eventDetail ?? null,
    };
    // Keep oldest-first order even when a message is inserted "in the past" (demo data).
    const list = container.messages;
    if (list.length === 0 || list[list.length - 1].createdDateTime <= at) list.push(msg);
    else {
      let i = list.length - 1;
      while (i >= 0 && list[i].createdDateTime > at) i--;
      list.splice(i + 1, 0, msg);
    }
    this.messageChanged(container, msg, "created");
    return msg;
  }

  /** The sender changed the text: the body is replaced and both lastEditedDateTime and lastModifiedDateTime move. */
  editMessage(msg: SimMessage, html: string, at: number, chat?: SimChat): SimMessage {
    const when = new Date(at).toISOString();
    msg.body = { contentType: "html", content: html };
    msg.lastEditedDateTime = when;
    msg.lastModifiedDateTime = when;
    if (chat) this.messageChanged(chat, msg, "updated");
    return msg;
  }

  /** Teams keeps a deleted message in the thread with its times but drops everything it said. */
  deleteMessage(msg: SimMessage, at: number, chat?: SimChat): SimMessage {
    const when = new Date(at).toISOString();
    msg.deletedDateTime = when;
    msg.lastModifiedDateTime = when;
    msg.body = { contentType: msg.body.contentType, content: "" };
    msg.mentions = [];
    msg.attachments = [];
    msg.hostedContents = [];
    if (chat) this.messageChanged(chat, msg, "deleted");
    return msg;
  }

  initiator(userId: string): Record<string, unknown> {
    return { application: null, device: null, user: { id: userId, displayName: null, userIdentityType: "aadUser", tenantId: this.state.tenantId } };
  }

  eventMembersAdded(chat: SimChat, byUserId: string, userIds: string[], at: number, visibleHistoryStartDateTime: string): SimMessage {
    return this.appendMessage(chat, {
      fromUserId: null,
      at,
      eventDetail: {
        "@odata.type": "#microsoft.graph.membersAddedEventMessageDetail",
        visibleHistoryStartDateTime,
        members: userIds.map((id) => ({ id, displayName: null, userIdentityType: "aadUser", tenantId: this.state.tenantId })),
        initiator: this.initiator(byUserId),
      },
    });
  }

  eventMembersDeleted(chat: SimChat, byUserId: string, userIds: string[], at: number): SimMessage {
    return this.appendMessage(chat, {
      fromUserId: null,
      at,
      eventDetail: {
        "@odata.type": "#microsoft.graph.membersDeletedEventMessageDetail",
        members: userIds.map((id) => ({ id, displayName: null, userIdentityType: "aadUser", tenantId: this.state.tenantId })),
        initiator: this.initiator(byUserId),
      },
    });
  }

  eventChatRenamed(chat: SimChat, byUserId: string, topic: string, at: number): SimMessage {
    return this.appendMessage(chat, {
      fromUserId: null,
      at,
      eventDetail: {
        "@odata.type": "#microsoft.graph.chatRenamedEventMessageDetail",
        chatId: chat.id,
        chatDisplayName: topic,
        initiator: this.initiator(byUserId),
      },
    });
  }

  nextDvVersion(): number {
    this.state.dvVersion += 1;
    return this.state.dvVersion;
  }

  table(logicalName: string): Record<string, DvRow> {
    let t = this.state.dataverse[logicalName];
    if (!t) {
      t = {};
      this.state.dataverse[logicalName] = t;
    }
    return t;
  }
}
