import type { ChannelInfo, ChannelPost, TeamInfo } from "../domain/channels";
import type { OutgoingMessage } from "../domain/messages";
import type { FailureKind } from "../services/errors";
import type { IntroTexts, LoadStatus, Notice } from "./types";

/** A channel linked to this record as the Channel tab shows it. */
export interface LinkedChannel {
  /** The link row's id, or "pending:{channelId}" while the link has not reached Dataverse. */
  linkId: string;
  teamId: string;
  channelId: string;
  /** "archived": the team is read-only; "unreachable": not a member (any more) or the channel is gone. */
  state: "loading" | "ok" | "archived" | "unreachable" | "pending";
  teamName?: string;
  channelName?: string;
  webUrl?: string;
  /** ISO time of the newest post or reply seen. */
  lastActivity?: string;
  /** Who linked it (systemuser id): unlinking someone else's link needs more than the default role. */
  ownerId?: string;
}

/** A channel created in Teams whose link has not reached Dataverse yet (browser storage, retried with backoff). */
export interface PendingChannelLink {
  teamId: string;
  channelId: string;
  table: string;
  id: string;
  name: string;
  attempts: number;
}

export interface ChannelOutgoing {
  message: OutgoingMessage;
  replyToId?: string;
  state: "sending" | "failed";
  failure?: FailureKind;
}

export interface ChannelThread {
  teamId: string;
  channelId: string;
  status: LoadStatus;
  error?: FailureKind;
  /** Oldest first. */
  posts: ChannelPost[];
  outgoing: ChannelOutgoing[];
}

export interface ChannelsSlice {
  channelsStatus: LoadStatus;
  channelsError?: FailureKind;
  linkedChannels: LinkedChannel[];
  teams: TeamInfo[];
  teamsStatus: LoadStatus;
  teamsError?: FailureKind;
  teamChannels: Record<string, { status: LoadStatus; error?: FailureKind; channels: ChannelInfo[] }>;
  channelAction: "idle" | "creating" | "linking";
  channelActionError?: { kind: FailureKind; code?: string };
  channelNotice?: Notice;
  busyChannelLinks: Record<string, true>;
  thread?: ChannelThread;
  loadLinkedChannels(): Promise<void>;
  loadTeams(): Promise<void>;
  loadTeamChannels(teamId: string): Promise<void>;
  /** Creates a standard channel, links it (kept pending and retried when Dataverse fails) and optionally posts the card. */
  createAndLinkChannel(teamId: string, name: string, intro?: IntroTexts): Promise<boolean>;
  linkExistingChannel(teamId: string, channel: ChannelInfo): Promise<boolean>;
  retryChannelLink(channelId: string): Promise<boolean>;
  unlinkChannel(linkId: string): Promise<boolean>;
  openChannelThread(teamId: string, channelId: string): Promise<void>;
  closeChannelThread(): void;
  /** A new post, or a reply when `replyToId` is given; a failure stays in the thread with Retry. */
  postInChannel(message: OutgoingMessage, replyToId?: string): Promise<boolean>;
  retryChannelPost(clientId: string): Promise<boolean>;
  discardChannelPost(clientId: string): void;
  resetChannelAction(): void;
  dismissChannelNotice(): void;
  disposeChannels(): void;
}
