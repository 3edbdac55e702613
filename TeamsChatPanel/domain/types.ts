/** Domain types: what the panel reasons about, independent of Graph's and Dataverse's wire shapes. */

export type ChatType = "oneOnOne" | "group" | "meeting";

export interface Person {
  /** Microsoft Entra object id (Graph user id). */
  id: string;
  displayName: string;
  email?: string;
  jobTitle?: string;
}

export interface ChatMember {
  /** Graph's opaque membership id. */
  membershipId: string;
  userId: string;
  displayName: string;
  email?: string;
}

export type PreviewKind = "text" | "file" | "image" | "event" | "deleted";

export interface MessagePreview {
  createdDateTime: string;
  senderId?: string;
  senderName?: string;
  kind: PreviewKind;
  /** Plain text, never HTML. */
  text: string;
  event?: PreviewEvent;
}

export interface PreviewEvent {
  type: "membersAdded" | "membersDeleted" | "renamed" | "other";
  actorName?: string;
  names?: string[];
  topic?: string;
}

export interface ChatSummary {
  id: string;
  chatType: ChatType;
  topic: string | null;
  members: ChatMember[];
  /** Graph caps expanded members at 25; the chat may have more. */
  membersTruncated: boolean;
  lastMessage?: MessagePreview;
  lastUpdatedDateTime: string;
  createdDateTime: string;
  webUrl?: string;
}

export type LinkKind = "chat" | "channel";

export interface RecordRef {
  table: string;
  id: string;
}

export interface ChatLink {
  id: string;
  kind: LinkKind;
  chatId: string;
  teamId?: string;
  record: RecordRef;
  createdOn?: string;
  ownerId?: string;
}

export interface RecordInfo extends RecordRef {
  title: string;
  tableDisplayName?: string;
}

export type SectionId = "linkedHere" | "linkedElsewhere" | "other";

/** Per-user preferences kept in the browser (never secrets). The store's port (services/ports.ts) and drafts use it. */
export interface Prefs {
  get(key: string): string | null;
  set(key: string, value: string): void;
}
