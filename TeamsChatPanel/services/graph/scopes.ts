/**
 * Least-privilege delegated scopes per feature (DESIGN.md §4). Each call asks only for its own,
 * so a user is never asked to consent to more than the feature in use needs.
 */
export const SCOPES = {
  /** GET /me/chats with members and lastMessagePreview expanded, GET /chats/{id}. */
  readChats: ["Chat.Read"],
  /** POST /chats. */
  createChat: ["Chat.Create"],
  /** PATCH /chats/{id} (topic). */
  renameChat: ["Chat.ReadWrite"],
  /** GET /chats/{id}/messages and their hosted contents (inline images). */
  readMessages: ["Chat.Read"],
  /** POST /chats/{id}/messages. */
  sendMessage: ["ChatMessage.Send"],
  /**
   * GET /chats/{id}/members (all of them; the chat list caps expanded members at 25). Graph accepts
   * Chat.Read here too; ChatMember.Read would need an administrator's consent and a second prompt.
   */
  readMembers: ["Chat.Read"],
  /** POST and DELETE /chats/{id}/members. */
  manageMembers: ["ChatMember.ReadWrite"],
  /** Files attached to messages are uploaded to the sender's OneDrive first. */
  uploadFiles: ["Files.ReadWrite"],
  /** GET /users?$search. */
  searchPeople: ["User.ReadBasic.All"],
  /** GET /me/joinedTeams. */
  readTeams: ["Team.ReadBasic.All"],
  /** GET /teams/{id}/channels and /channels/{id}. */
  readChannels: ["Channel.ReadBasic.All"],
  /** POST /teams/{id}/channels. */
  createChannel: ["Channel.Create"],
  /** GET /teams/{id}/channels/{id}/messages (with replies) and their hosted contents. */
  readChannelMessages: ["ChannelMessage.Read.All"],
  /** POST /teams/{id}/channels/{id}/messages and …/messages/{id}/replies. */
  sendChannelMessage: ["ChannelMessage.Send"],
} as const satisfies Record<string, readonly string[]>;

/**
 * Delegated scopes only an administrator can grant (Graph permissions reference: "Admin consent
 * required: Yes"). A user asked for one of these is told to ask their admin, with the link.
 */
export const ADMIN_CONSENT_SCOPES: ReadonlySet<string> = new Set(["ChatMember.Read", "ChatMember.ReadWrite", "Channel.Create", "ChannelMessage.Read.All", "ChannelMessage.ReadWrite"]);

export function adminOnlyScopes(scopes: readonly string[]): string[] {
  return scopes.filter((s) => ADMIN_CONSENT_SCOPES.has(s));
}

/** The resource a scope belongs to: Microsoft Graph for bare names, else the part before the last "/". */
function resourceOf(scope: string): string {
  if (!scope.includes("/")) return "https://graph.microsoft.com";
  return scope.slice(0, scope.lastIndexOf("/"));
}

/**
 * Entra issues a token for one resource at a time: the scopes of one resource (Graph first) to ask a token for,
 * and the others to consent to in the same prompt (MSAL's extraScopesToConsent).
 */
export function splitByResource(scopes: readonly string[]): { scopes: string[]; extra: string[] } {
  if (scopes.length === 0) return { scopes: [], extra: [] };
  const graph = "https://graph.microsoft.com";
  const primary = scopes.some((s) => resourceOf(s) === graph) ? graph : resourceOf(scopes[0]);
  return { scopes: scopes.filter((s) => resourceOf(s) === primary), extra: scopes.filter((s) => resourceOf(s) !== primary) };
}
