/** Teams and channels as the panel reasons about them, independent of Graph's wire shape. */
import type { ChatMessageItem } from "./messages";

export interface TeamInfo {
  id: string;
  displayName: string;
  description?: string;
  /** An archived team is read-only in Teams: it can be read and unlinked, not posted to. */
  isArchived: boolean;
}

export interface ChannelInfo {
  id: string;
  teamId: string;
  displayName: string;
  description?: string;
  membershipType: "standard" | "private" | "shared" | "unknown";
  /** Opens the channel in Teams (opaque). */
  webUrl?: string;
  createdDateTime?: string;
}

/** A channel post with the replies under it (oldest first). Posts' chatId holds the channel id. */
export interface ChannelPost extends ChatMessageItem {
  replies: ChatMessageItem[];
}

/** A deep link to a channel when Graph gave none (the channel's webUrl is preferred: it is opaque). */
export function channelDeepLink(teamId: string, channelId: string, name: string): string {
  return `https://teams.microsoft.com/l/channel/${encodeURIComponent(channelId)}/${encodeURIComponent(name)}?groupId=${encodeURIComponent(teamId)}`;
}

/** Newest activity of a thread list: the latest post or reply time (ISO), or undefined when there is none. */
export function lastActivity(posts: ChannelPost[]): string | undefined {
  let last: string | undefined;
  for (const p of posts) {
    for (const t of [p.createdDateTime, ...p.replies.map((r) => r.createdDateTime)]) if (!last || t > last) last = t;
  }
  return last;
}
