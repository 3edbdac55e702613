import { RetryHandlerOptions, type Client } from "@microsoft/microsoft-graph-client";
import type { ChannelInfo, ChannelPost, TeamInfo } from "../../domain/channels";
import type { ChatMessageItem, OutgoingMessage } from "../../domain/messages";
import { ServiceError } from "../errors";
import type { ChannelGateway } from "../ports";
import { ScopeOptions } from "./client";
import { toServiceError } from "./errors";
import { toMessage } from "./mappers";
import { SCOPES } from "./scopes";
import type { WireChatMessage, WireCollection } from "./wire";

/** Graph's maximum page for channel messages (channel-list-messages). */
export const CHANNEL_POST_PAGE = 50;

interface WireTeam {
  id: string;
  displayName?: string | null;
  description?: string | null;
  isArchived?: boolean | null;
}

interface WireChannel {
  id: string;
  displayName?: string | null;
  description?: string | null;
  membershipType?: string | null;
  webUrl?: string | null;
  createdDateTime?: string | null;
}

type WirePost = WireChatMessage & { replies?: WireChatMessage[] };

export function toTeam(w: WireTeam): TeamInfo {
  return { id: w.id, displayName: w.displayName ?? "", description: w.description ?? undefined, isArchived: w.isArchived === true };
}

export function toChannel(w: WireChannel, teamId: string): ChannelInfo {
  const type = w.membershipType === "standard" || w.membershipType === "private" || w.membershipType === "shared" ? w.membershipType : "unknown";
  return { id: w.id, teamId, displayName: w.displayName ?? "", description: w.description || undefined, membershipType: type, webUrl: w.webUrl ?? undefined, createdDateTime: w.createdDateTime ?? undefined };
}

/** Graph's answer to a channel name already used in the team (channel-post): 400 with this wording. */
export function isDuplicateName(e: ServiceError): boolean {
  return e.status === 400 && /already exist/i.test(e.message);
}

const byCreated = (a: ChatMessageItem, b: ChatMessageItem) => (a.createdDateTime < b.createdDateTime ? -1 : a.createdDateTime > b.createdDateTime ? 1 : 0);

/** Teams and channels through the control's Graph client; each call asks for its own least scope. */
export class GraphChannelGateway implements ChannelGateway {
  constructor(private readonly client: Client) {}

  private channelPath(teamId: string, channelId: string): string {
    return `/teams/${encodeURIComponent(teamId)}/channels/${encodeURIComponent(channelId)}`;
  }

  async joinedTeams(): Promise<TeamInfo[]> {
    try {
      // user-list-joinedteams: no OData options are supported, so none are sent.
      const res = (await this.client.api("/me/joinedTeams").middlewareOptions([new ScopeOptions([...SCOPES.readTeams])]).get()) as WireCollection<WireTeam>;
      return res.value.map(toTeam);
    } catch (e) {
      throw toServiceError(e);
    }
  }

  async listChannels(teamId: string): Promise<ChannelInfo[]> {
    try {
      const res = (await this.client.api(`/teams/${encodeURIComponent(teamId)}/channels`).middlewareOptions([new ScopeOptions([...SCOPES.readChannels])]).get()) as WireCollection<WireChannel>;
      return res.value.map((c) => toChannel(c, teamId));
    } catch (e) {
      throw toServiceError(e);
    }
  }

  async getChannel(teamId: string, channelId: string): Promise<ChannelInfo> {
    try {
      const res = (await this.client.api(this.channelPath(teamId, channelId)).middlewareOptions([new ScopeOptions([...SCOPES.readChannels])]).get()) as WireChannel;
      return toChannel(res, teamId);
    } catch (e) {
      throw toServiceError(e);
    }
  }

  async createChannel(teamId: string, displayName: string, description?: string): Promise<ChannelInfo> {
    const body: Record<string, unknown> = { displayName: displayName.trim(), membershipType: "standard" };
    if (description) body.description = description;
    try {
      // Not retried silently: a lost answer may mean the channel exists; the duplicate-name answer then tells.
      const res = (await this.client
        .api(`/teams/${encodeURIComponent(teamId)}/channels`)
        .middlewareOptions([new ScopeOptions([...SCOPES.createChannel]), new RetryHandlerOptions(0, 0)])
        .post(body)) as WireChannel;
      return toChannel(res, teamId);
    } catch (e) {
      const err = toServiceError(e);
      if (isDuplicateName(err)) throw new ServiceError("conflict", err.message, err.status, "duplicateName");
      throw err;
    }
  }

  async listPosts(teamId: string, channelId: string, top = CHANNEL_POST_PAGE): Promise<ChannelPost[]> {
    try {
      const res = (await this.client
        .api(`${this.channelPath(teamId, channelId)}/messages?$top=${Math.min(CHANNEL_POST_PAGE, Math.max(1, top))}&$expand=replies`)
        .middlewareOptions([new ScopeOptions([...SCOPES.readChannelMessages])])
        .get()) as WireCollection<WirePost>;
      return res.value.map((w) => ({ ...toMessage(w, channelId), chatId: channelId, replies: (w.replies ?? []).map((r) => ({ ...toMessage(r, channelId), chatId: channelId })).sort(byCreated) }));
    } catch (e) {
      throw toServiceError(e);
    }
  }

  async post(teamId: string, channelId: string, message: OutgoingMessage, replyToId?: string): Promise<ChatMessageItem> {
    const payload: Record<string, unknown> = { body: { contentType: "html", content: message.html }, importance: message.importance };
    if (message.mentions.length) {
      payload.mentions = message.mentions.map((m) => ({ id: m.id, mentionText: m.displayName, mentioned: { user: { id: m.userId, displayName: m.displayName, userIdentityType: "aadUser" } } }));
    }
    if (message.hostedContents.length) {
      payload.hostedContents = message.hostedContents.map((h) => ({ "@microsoft.graph.temporaryId": h.tempId, contentBytes: h.base64, contentType: h.contentType }));
    }
    if (message.files.length) {
      payload.attachments = message.files.map((f) => ({ id: f.attachmentId, contentType: "reference", contentUrl: f.webUrl, name: f.name }));
    }
    const path = `${this.channelPath(teamId, channelId)}/messages${replyToId ? `/${encodeURIComponent(replyToId)}/replies` : ""}`;
    try {
      const created = (await this.client
        .api(path)
        .middlewareOptions([new ScopeOptions([...SCOPES.sendChannelMessage]), new RetryHandlerOptions(0, 0)])
        .post(payload)) as WireChatMessage;
      return { ...toMessage(created, channelId), chatId: channelId };
    } catch (e) {
      throw toServiceError(e);
    }
  }

  async postHtml(teamId: string, channelId: string, html: string): Promise<void> {
    try {
      await this.client
        .api(`${this.channelPath(teamId, channelId)}/messages`)
        .middlewareOptions([new ScopeOptions([...SCOPES.sendChannelMessage]), new RetryHandlerOptions(0, 0)])
        .post({ body: { contentType: "html", content: html } });
    } catch (e) {
      throw toServiceError(e);
    }
  }
}
