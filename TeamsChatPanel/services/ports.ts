/** The ports the store talks to. Adapters live beside this file; tests and the harness supply their own. */
import type { ChatLink, ChatSummary, Person, RecordInfo, RecordRef } from "../domain/types";

export interface TokenRequestOptions {
  /** Bypass any cache: the last token was refused. */
  forceRefresh?: boolean;
}

export interface TokenProvider {
  /** Resolves a Graph access token carrying the scopes; rejects with AuthRequiredError when the user must act. */
  getToken(scopes: string[], options?: TokenRequestOptions): Promise<string>;
}

export interface Page<T> {
  items: T[];
  /** Opaque continuation for the next page; undefined on the last page. */
  next?: string;
}

export interface NewChatRequest {
  meId: string;
  memberIds: string[];
  topic?: string;
  /** Make a group chat even with one other person (a chat that will be linked must be able to carry a name). */
  forceGroup?: boolean;
}

export interface ChatGateway {
  listChats(next?: string): Promise<Page<ChatSummary>>;
  /** Chats by id; chats the user is not a member of are left out (Graph refuses them). */
  getChats(ids: string[]): Promise<ChatSummary[]>;
  createChat(request: NewChatRequest): Promise<ChatSummary>;
  /** Posts an HTML message (the introduction card of a new linked chat). */
  sendHtml(chatId: string, html: string): Promise<void>;
  /** Renames a group chat (Teams allows a topic on group chats only). */
  renameChat(chatId: string, topic: string): Promise<void>;
  searchPeople(query: string, top?: number): Promise<Person[]>;
}

export interface LinkQuery {
  record?: RecordRef;
  chatIds: string[];
}

export interface LinkStore {
  /** Links of the given chats plus every link to the record, in one query. */
  linksFor(query: LinkQuery): Promise<ChatLink[]>;
  /** Links a chat to a record. An existing link of the same pair (alternate key) is returned, never duplicated. */
  createLink(chatId: string, record: RecordRef): Promise<ChatLink>;
  deleteLink(linkId: string): Promise<void>;
}

export interface CurrentUser {
  systemUserId: string;
  aadObjectId: string;
  fullName: string;
  upn: string;
}

export interface RecordReader {
  currentUser(): Promise<CurrentUser>;
  recordInfo(ref: RecordRef): Promise<RecordInfo>;
  /** Titles of several records, one query per table; records the user cannot read are left out. */
  titles(refs: RecordRef[]): Promise<RecordInfo[]>;
  /** The introduction card's fields as this user may see them (field security applies). */
  introFields(record: RecordRef, columns: string[]): Promise<Array<{ label: string; value: string }>>;
}

/** Per-user preferences kept in the browser (never secrets). */
export interface Prefs {
  get(key: string): string | null;
  set(key: string, value: string): void;
}

export interface Services {
  chats: ChatGateway;
  links: LinkStore;
  records: RecordReader;
  prefs: Prefs;
  now: () => Date;
}
