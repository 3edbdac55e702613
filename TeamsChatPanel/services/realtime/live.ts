import type { ChatMessageItem } from "../../domain/messages";
import type { MessagePreview } from "../../domain/types";

/**
 * Why live updates are off: no relay set, the relay can't be reached, it refused a fresh token, or no token for its
 * API can be had without the user (consent to the relay's API missing, or the sign-in ended: the panel asks the user).
 */
export type LivePauseReason = "unreachable" | "unauthorized" | "needsUser" | "notConfigured";

export type LiveStatus = { state: "connecting" } | { state: "live" } | { state: "paused"; reason: LivePauseReason };

export type LiveChangeType = "created" | "updated" | "deleted";

/** What the store is told by live updates. Every call is an event from the relay, never a timer. */
export interface LiveHandlers {
  /** A message of one of the user's chats changed; `preview` is what the chat list shows for it. */
  onMessage(chatId: string, changeType: LiveChangeType, message: ChatMessageItem, preview: MessagePreview): void;
  /** Notifications may have been lost: read the chat list and the open chats' newest page once. */
  onResync(reason: string): void;
  onStatus(status: LiveStatus): void;
}

/** What an admin needs to see about live updates (Diagnostics). */
export interface LiveInfo {
  status: LiveStatus;
  /** The relay address in use; undefined when none is set. */
  relayUrl?: string;
  /** The configured value was not an https address (shown as typed). */
  invalidUrl?: string;
  /** Clock time (ms) of the last frame from the relay. */
  lastFrameAt?: number;
}

/**
 * How the store receives news from Teams: a client of the change-notification relay (relay/PROTOCOL.md §1).
 * There is no polling behind this seam: Teams' terms forbid it.
 */
export interface LiveUpdates {
  start(): void;
  /** Tries again at once (the agent pressed Refresh, or signed in or granted a permission, while live updates were paused). */
  reconnect(): void;
  info(): LiveInfo;
  dispose(): void;
}

export type LiveFactory = (handlers: LiveHandlers) => LiveUpdates;
