import type { AuthSlice } from "./authSlice";
import type { DiagnosticsSlice } from "./diagnosticsSlice";
import type { ChatMessageItem, Draft, OutgoingMessage, UploadedFile } from "../domain/messages";
import type { ChatLink, ChatMember, ChatSummary, MessagePreview, Person, RecordInfo, RecordRef, SectionId } from "../domain/types";
import type { FailureKind } from "../services/errors";
import type { SuggestionsSlice } from "./suggestionsSlice";
import type { CurrentUser, GifProvider, UploadProgress } from "../services/ports";
import type { ChannelsSlice } from "./channelTypes";
import type { LiveChangeType, LiveInfo, LiveStatus } from "../services/realtime/live";

export type LoadStatus = "idle" | "loading" | "ready" | "error";

export interface ChatsSlice {
  /** "unsaved": the form's record has no id yet. "auth": Graph needs the user to sign in. */
  status: LoadStatus | "unsaved" | "auth";
  error?: FailureKind;
  retryAfterSeconds?: number;
  me?: CurrentUser;
  record?: RecordInfo;
  chats: ChatSummary[];
  next?: string;
  loadingMore: boolean;
  moreError?: FailureKind;
  links: ChatLink[];
  linksStatus: LoadStatus;
  /** Titles of other records that chats are linked to; null = not readable by this user. */
  recordTitles: Record<string, RecordInfo | null>;
  /** Clock time (ms) the list was last read from Teams or moved by a live update. */
  lastUpdatedAt?: number;
  /** The chat to bring into view and focus (after creating it). */
  focusChatId?: string;
  start(): Promise<void>;
  loadMore(): Promise<void>;
  retryLinks(): Promise<void>;
}

export interface FilterSlice {
  filter: string;
  collapsed: Partial<Record<SectionId, boolean>>;
  setFilter(value: string): void;
  toggleSection(section: SectionId): void;
}

export interface PeopleSlice {
  peopleQuery: string;
  people: Person[];
  peopleStatus: LoadStatus;
  peopleError?: FailureKind;
  searchPeople(query: string): Promise<void>;
  clearPeople(): void;
}

export interface NewChatSlice {
  createStatus: "idle" | "creating" | "error";
  createError?: FailureKind;
  /** Returns the new chat's id, or undefined when it failed (the dialog keeps what the user picked). */
  createChat(people: Person[], topic: string): Promise<string | undefined>;
  /** A group chat (so it can carry a name and more people later) linked to this record. */
  createLinkedChat(people: Person[], topic: string, intro?: IntroTexts): Promise<string | undefined>;
  resetCreate(): void;
  clearFocus(): void;
}

export interface Notice {
  intent: "success" | "error" | "warning";
  /** resx key and its arguments. */
  key: string;
  args: Array<string | number>;
}

/** A chat created in Teams whose link to a record has not reached Dataverse yet. Kept in browser storage. */
export interface PendingLink {
  chatId: string;
  table: string;
  id: string;
  name: string;
  attempts: number;
}

export interface LinkActionsSlice {
  notice?: Notice;
  pendingLinks: PendingLink[];
  /** Links a chat that was just created; when Dataverse fails it stays pending and is retried with backoff. */
  linkNewChat(chatId: string, chatName: string): Promise<boolean>;
  retryPendingLink(chatId: string): Promise<boolean>;
  /** Picks up pending links of this record (after a reload) and retries them. */
  resumePendingLinks(): void;
  dispose(): void;
  /** Chats with a link or rename on its way to the server. */
  busyChats: Record<string, true>;
  linkChat(chatId: string, chatName: string): Promise<boolean>;
  unlinkChat(chatId: string, chatName: string): Promise<boolean>;
  renameChat(chatId: string, topic: string): Promise<boolean>;
  dismissNotice(): void;
}

export type TourStep = "filter" | "newChat" | "sections" | "menu";
export const TOUR_STEPS: TourStep[] = ["filter", "newChat", "sections", "menu"];

export interface TourSlice {
  tourStep?: TourStep;
  maybeStartTour(): void;
  startTour(): void;
  nextTourStep(): void;
  endTour(): void;
}

/** A message on its way to Teams, shown at the bottom of the chat until Teams has it. */
export interface OutgoingItem {
  message: OutgoingMessage;
  state: "sending" | "checking" | "failed";
  failure?: FailureKind;
  /** The last attempt may have reached Teams (timeout, network, 5xx): look for it before posting again. */
  outcomeUnknown?: boolean;
  /** ISO time of the first attempt. */
  sentAt: string;
  attempts: number;
  /** Messages of mine already in the chat around the first attempt: never taken for this one's echo. */
  knownIds?: string[];
}

export interface Conversation {
  chatId: string;
  status: LoadStatus;
  error?: FailureKind;
  retryAfterSeconds?: number;
  /** Oldest first, one copy per message id. */
  messages: ChatMessageItem[];
  /** Continuation to older messages; undefined when the start of the chat (or of the visible history) is loaded. */
  older?: string;
  loadingOlder: boolean;
  olderError?: FailureKind;
  outgoing: OutgoingItem[];
  unread: number;
  /** Where the reader was, so switching tabs does not lose the place. */
  scroll?: { offset: number; atBottom: boolean };
  members?: ChatMember[];
  membersStatus: LoadStatus;
}

export type HistoryChoice = "none" | "all" | "days";

export interface ConversationsSlice {
  view: "list" | "chat";
  /** Open chats in tab order. */
  openChatIds: string[];
  activeChatId?: string;
  conversations: Record<string, Conversation>;
  /** Chats someone else wrote in since the panel loaded, not opened since. */
  freshChats: Record<string, true>;
  openChat(chatId: string): Promise<void>;
  showList(): void;
  closeChat(chatId: string): void;
  loadOlder(chatId: string): Promise<void>;
  reloadChat(chatId: string): Promise<void>;
  sendMessage(chatId: string, message: OutgoingMessage): Promise<void>;
  retrySend(chatId: string, clientId: string): Promise<void>;
  discardSend(chatId: string, clientId: string): void;
  draftFor(chatId: string): Draft | undefined;
  saveDraft(chatId: string, draft: Draft): void;
  saveScroll(chatId: string, scroll: { offset: number; atBottom: boolean }): void;
  /** Object URL of a hosted content (inline image), loaded once with the user's token. */
  loadHostedImage(url: string): Promise<string>;
  loadMembers(chatId: string): Promise<void>;
  addMembers(chatId: string, people: Person[], history: HistoryChoice, days?: number): Promise<boolean>;
  removeMember(chatId: string, member: ChatMember): Promise<boolean>;
  /** Live updates from the relay: connecting, live, or paused (and why). */
  liveStatus: LiveStatus;
  /** A message from the relay: merged into its open conversation, the chat moved up with its new preview. No request. */
  applyLiveMessage(chatId: string, changeType: LiveChangeType, message: ChatMessageItem, preview: MessagePreview): void;
  /** Reads the chat list's first page and each open chat's newest page once (after a reconnect, lost notifications). */
  resync(reason?: string): Promise<void>;
  /** The visible Refresh: reconnects paused live updates and reads the list and the open chats once. */
  refresh(): Promise<void>;
  /** The page was shown or focused again: refreshes while live updates are paused, at most every 30 s. */
  pageReturned(): void;
  /** What Diagnostics shows about live updates. */
  liveInfo(): LiveInfo;
  /** Brings back the tabs this user had open (after a reload or on another record). */
  restoreOpenChats(): void;
  /** Connects to the relay once the panel has loaded (no polling: without a relay nothing runs on a timer). */
  startLive(): void;
  /** The user signed in or granted a permission: live updates paused for want of a token (or refused) try again at once. */
  resumeLive(): void;
  disposeConversations(): void;
  /** Uploads a file for a message (the composer shows its progress). */
  uploadFile(file: File, onProgress: (p: UploadProgress) => void, signal: AbortSignal): Promise<UploadedFile>;
  /** The admin's GIF provider; undefined hides the GIF picker. */
  gifs?: GifProvider;
}

export interface PanelState extends ChatsSlice, FilterSlice, PeopleSlice, NewChatSlice, TourSlice, LinkActionsSlice, ConversationsSlice, AuthSlice, DiagnosticsSlice, ChannelsSlice, SuggestionsSlice {
  env: PanelEnv;
}

export interface PanelEnv {
  /** The record on the form; undefined when it is not saved yet. */
  record?: RecordRef;
  userId: string;
  /** The admin's rule for a new linked chat's proposed name. */
  chatNaming?: "recordTitle" | "participants";
  /** Whether a new linked chat may start with the record's introduction card (admin, per form). */
  introMessage?: boolean;
  /** The admin's list of columns for the card ("" = the table's defaults). */
  introFields?: string;
  /** Base URL of the app, for the card's link to the record. */
  clientUrl?: string;
  appId?: string;
  /** Graph root with version and trailing slash: inline images under it are loaded with the user's token. */
  graphRoot?: string;
  /** The admin turned on the diagnostics view for this form. */
  showDiagnostics?: boolean;
  /** The admin lets agents read and post in linked channels inside the panel (false: "Open in Teams" only). */
  channelReading?: boolean;
  /** Suggested contacts (admin, per form): off hides the section; rules JSON ("" = defaults); months of resolved cases. */
  showSuggestions?: boolean;
  suggestRules?: string;
  suggestMonths?: number;
}

export interface IntroTexts {
  heading: string;
  openLabel: string;
  tableLabel: string;
}

export function recordKey(ref: RecordRef): string {
  return `${ref.table.toLowerCase()}|${ref.id.toLowerCase()}`;
}
