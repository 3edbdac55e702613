/** The ports the store talks to. Adapters live beside this file; tests and the harness supply their own. */
import type { AuthSession } from "./auth/session";
import type { LinkPrivileges, Probe } from "../domain/diagnostics";
import type { ChatMessageItem, GifResult, OutgoingMessage, UploadedFile } from "../domain/messages";
import type { Candidate } from "../domain/suggestions/merge";
import type { Rule } from "../domain/suggestions/rules";
import type { ResolvedCase } from "../domain/suggestions/textModel";
import type { ChatLink, ChatMember, ChatSummary, Person, Prefs, RecordInfo, RecordRef } from "../domain/types";
import type { ChannelInfo, ChannelPost, TeamInfo } from "../domain/channels";

export interface TokenRequestOptions {
  /** Bypass any cache: the last token was refused. */
  forceRefresh?: boolean;
}

export interface TokenProvider {
  /** Resolves a Graph access token carrying the scopes; rejects with AuthRequiredError when the user must act. */
  getToken(scopes: string[], options?: TokenRequestOptions): Promise<string>;
  /** Graph refused a freshly renewed token for these scopes: the user must sign in again. */
  rejected?(scopes: string[]): void;
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

/** Messages and members of one chat (Graph /chats/{id}/messages and /members). */
export interface ConversationGateway {
  /** Newest first, at most 50 a page (Graph's cap); `next` continues to older messages. */
  listMessages(chatId: string, next?: string): Promise<Page<ChatMessageItem>>;
  send(chatId: string, message: OutgoingMessage): Promise<ChatMessageItem>;
  /** Loads a hosted content (inline image) with the user's token; the caller makes an object URL of it. */
  hostedContent(url: string): Promise<Blob>;
  listMembers(chatId: string): Promise<ChatMember[]>;
  /** Adds a person; `historyFrom` is an ISO date (the start of time for all history), or undefined for none. */
  addMember(chatId: string, userId: string, historyFrom?: string): Promise<void>;
  removeMember(chatId: string, membershipId: string): Promise<void>;
}

/** Teams and channels (Graph /me/joinedTeams, /teams/{id}/channels and channel messages). */
export interface ChannelGateway {
  /** The user's teams (Graph takes no query options here). */
  joinedTeams(): Promise<TeamInfo[]>;
  /** The channels of a team the user can see; rejects with "forbidden" when the user is not a member. */
  listChannels(teamId: string): Promise<ChannelInfo[]>;
  getChannel(teamId: string, channelId: string): Promise<ChannelInfo>;
  /** Creates a standard channel; a name already used in the team rejects with ServiceError code "duplicateName". */
  createChannel(teamId: string, displayName: string, description?: string): Promise<ChannelInfo>;
  /** Recent posts, newest first, each with its replies (one request: $top=50&$expand=replies). */
  listPosts(teamId: string, channelId: string, top?: number): Promise<ChannelPost[]>;
  /** A new post, or a reply to `replyToId`. Never retried silently. */
  post(teamId: string, channelId: string, message: OutgoingMessage, replyToId?: string): Promise<ChatMessageItem>;
  /** Posts ready HTML (the record's introduction card). */
  postHtml(teamId: string, channelId: string, html: string): Promise<void>;
}

export interface UploadProgress {
  sent: number;
  total: number;
}

/** Uploads into the sender's OneDrive (the only place Teams takes chat files from). */
export interface FileUploader {
  /** Small files in one PUT, larger ones through a resumable upload session; rejects with ServiceError. */
  upload(file: Blob & { name: string }, onProgress: (p: UploadProgress) => void, signal?: AbortSignal): Promise<UploadedFile>;
}

/** A GIF search service chosen and keyed by the admin (behind this port so the provider can change). */
export interface GifProvider {
  search(query: string, limit: number, signal?: AbortSignal): Promise<GifResult[]>;
  /** Fetches the picked GIF's bytes to send as an inline image. */
  download(gif: GifResult, signal?: AbortSignal): Promise<Blob>;
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
  /** Links a channel to a record (kind "channel"); an existing link of the same pair is returned, never duplicated. */
  createChannelLink(teamId: string, channelId: string, record: RecordRef): Promise<ChatLink>;
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

export interface RelatedPeople {
  people: Candidate[];
  /** Lookup rules that could not be followed: `rule` is the 0-based position in the list given. */
  skipped: Array<{ rule: number; column: string; table: string }>;
}

/** What suggested contacts read from Dataverse (services/dataverse/suggestionReader.ts). */
export interface SuggestionReader {
  /** Resolved cases of the last `months` months, newest first, at most `cap`, each with who resolved it. */
  resolvedCases(months: number, cap: number): Promise<ResolvedCase[]>;
  /**
   * People connected to the record by the rules, in rule order (not yet merged or filtered). `linkOwnerIds`: who
   * linked chats to the record, when the panel already knows. A lookup rule naming a column its table lacks is
   * skipped and reported, so one wrong rule (or an organisation-owned table without an owner) costs only itself.
   */
  relatedPeople(record: RecordRef, rules: Rule[], linkOwnerIds?: string[]): Promise<RelatedPeople>;
  /** Users by systemuser id (who resolved the similar cases), with their Entra id and disabled flag. */
  users(systemUserIds: string[]): Promise<Array<Omit<Candidate, "reason" | "detail">>>;
  /** The record's title and description; null when its table has no such columns (not case-like). */
  recordText(record: RecordRef): Promise<{ title: string | null; description: string | null } | null>;
  /** Whether the user may change forms (and so the panel's properties): they see what is wrong with the rules. */
  canCustomize(): Promise<boolean>;
}

/** Per-user preferences kept in the browser (never secrets); defined in domain/types.ts, where drafts use it. */
export type { Prefs };

export interface Services {
  chats: ChatGateway;
  conversations: ConversationGateway;
  channels: ChannelGateway;
  files: FileUploader;
  /** Undefined when the admin has not configured a GIF provider (the GIF button is then hidden). */
  gifs?: GifProvider;
  links: LinkStore;
  records: RecordReader;
  prefs: Prefs;
  now: () => Date;
  /** Sign-in state when the panel signs in itself (undefined when the host supplies tokens). */
  auth?: AuthSession;
  /** Checks of the link table for the admin diagnostics (undefined where there is no Dataverse). */
  setup?: SetupProbe;
  /** Undefined where the host gives no Dataverse access (suggested contacts are then hidden). */
  suggestions?: SuggestionReader;
}

export interface SetupProbe {
  linkTable(): Promise<Probe>;
  linkPrivileges(): LinkPrivileges;
}
