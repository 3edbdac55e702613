/** In-memory Teams and channels for store and component tests; every call is recorded. */
import type { ChannelInfo, ChannelPost, TeamInfo } from "../../TeamsChatPanel/domain/channels";
import type { ChatMessageItem, OutgoingMessage } from "../../TeamsChatPanel/domain/messages";
import { ServiceError } from "../../TeamsChatPanel/services/errors";
import type { ChannelGateway } from "../../TeamsChatPanel/services/ports";

let seq = 0;

export class FakeChannelGateway implements ChannelGateway {
  calls: string[] = [];
  teams: TeamInfo[] = [
    { id: "team-support", displayName: "Contoso Support", isArchived: false },
    { id: "team-printers", displayName: "Printer Fleet Experts", isArchived: false },
    { id: "team-old", displayName: "Windows 11 Rollout 2025", isArchived: true },
  ];
  channels: Record<string, ChannelInfo[]> = {
    "team-support": [
      { id: "ch-general", teamId: "team-support", displayName: "General", membershipType: "standard", webUrl: "https://teams.microsoft.com/l/channel/ch-general/General" },
      { id: "ch-esc", teamId: "team-support", displayName: "Escalations", membershipType: "standard", webUrl: "https://teams.microsoft.com/l/channel/ch-esc/Escalations" },
    ],
    "team-printers": [{ id: "ch-fw", teamId: "team-printers", displayName: "Firmware", membershipType: "standard" }],
    "team-old": [{ id: "ch-pilot", teamId: "team-old", displayName: "Pilot Feedback", membershipType: "standard" }],
  };
  posts: Record<string, ChannelPost[]> = {};
  posted: Array<{ channelId: string; html: string; replyToId?: string }> = [];
  failCreate?: ServiceError;
  failPost?: ServiceError;
  failRead?: ServiceError;

  joinedTeams = async (): Promise<TeamInfo[]> => {
    this.calls.push("joinedTeams");
    return this.teams.map((t) => ({ ...t }));
  };

  listChannels = async (teamId: string): Promise<ChannelInfo[]> => {
    this.calls.push(`listChannels:${teamId}`);
    if (!this.teams.some((t) => t.id === teamId)) throw new ServiceError("forbidden", "Forbidden", 403, "Forbidden");
    return [...(this.channels[teamId] ?? [])];
  };

  getChannel = async (teamId: string, channelId: string): Promise<ChannelInfo> => {
    this.calls.push(`getChannel:${channelId}`);
    if (!this.teams.some((t) => t.id === teamId)) throw new ServiceError("forbidden", "Forbidden", 403, "Forbidden");
    const ch = (this.channels[teamId] ?? []).find((c) => c.id === channelId);
    if (!ch) throw new ServiceError("notFound", "Not found", 404);
    return ch;
  };

  createChannel = async (teamId: string, displayName: string): Promise<ChannelInfo> => {
    this.calls.push(`createChannel:${teamId}:${displayName}`);
    if (this.failCreate) throw this.failCreate;
    const list = (this.channels[teamId] ??= []);
    if (list.some((c) => c.displayName.toLowerCase() === displayName.toLowerCase())) {
      throw new ServiceError("conflict", "Channel name already existed, please use other name.", 400, "duplicateName");
    }
    const ch: ChannelInfo = { id: `ch-new-${++seq}`, teamId, displayName, membershipType: "standard", webUrl: `https://teams.microsoft.com/l/channel/new-${seq}` };
    list.push(ch);
    return ch;
  };

  listPosts = async (_teamId: string, channelId: string, top = 50): Promise<ChannelPost[]> => {
    this.calls.push(`listPosts:${channelId}:${top}`);
    if (this.failRead) throw this.failRead;
    return [...(this.posts[channelId] ?? [])].reverse().slice(0, top);
  };

  post = async (_teamId: string, channelId: string, message: OutgoingMessage, replyToId?: string): Promise<ChatMessageItem> => {
    this.calls.push(`post:${channelId}${replyToId ? `:${replyToId}` : ""}`);
    if (this.failPost) throw this.failPost;
    this.posted.push({ channelId, html: message.html, replyToId });
    const at = new Date(Date.UTC(2026, 10, 28, 10, 0, seq++)).toISOString();
    return { id: `m-${seq}`, chatId: channelId, kind: "message", createdDateTime: at, lastModifiedDateTime: at, importance: message.importance, body: { contentType: "html", content: message.html }, attachments: [], mentions: [], from: { id: "me", displayName: "Megan Bowen" } };
  };

  postHtml = async (_teamId: string, channelId: string, html: string): Promise<void> => {
    this.calls.push(`postHtml:${channelId}`);
    this.posted.push({ channelId, html });
  };
}
