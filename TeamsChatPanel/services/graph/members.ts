import type { Client } from "@microsoft/microsoft-graph-client";
import type { ChatMember } from "../../domain/types";
import { ScopeOptions } from "./client";
import { toServiceError } from "./errors";
import { toMember } from "./mappers";
import { SCOPES } from "./scopes";
import type { WireCollection, WireMember } from "./wire";

/**
 * The value of visibleHistoryStartDateTime that shares a chat's whole history with a new member
 * (chat-post-members, example 3). Leaving the property out shares none (example 2); any other
 * instant shares the messages from that instant on (example 1).
 */
export const ALL_HISTORY = "0001-01-01T00:00:00Z";

const membersPath = (chatId: string) => `/chats/${encodeURIComponent(chatId)}/members`;

/**
 * Everyone in a chat (GET /chats/{id}/members). Unlike the chat list's expanded members, which stop
 * at 25, this returns the whole roster in one response (chat-list-members documents no paging and no
 * query options). Members of every kind are kept, not just directory users: the roster must show
 * everyone who can read the chat.
 */
export async function listChatMembers(client: Client, chatId: string): Promise<ChatMember[]> {
  try {
    const res = (await client
      .api(membersPath(chatId))
      .middlewareOptions([new ScopeOptions([...SCOPES.readMembers])])
      .get()) as WireCollection<WireMember>;
    return res.value.map(toMember);
  } catch (e) {
    throw toServiceError(e);
  }
}

/**
 * Adds a directory user to a group or meeting chat (POST /chats/{id}/members, 201). Teams refuses
 * this for one-to-one chats, whose roster is fixed; that answer comes back as a ServiceError
 * ("invalid").
 *
 * `historyFrom` says how much of the chat the new member may read:
 * - undefined: none; the property is left out, which is how Graph shares no history;
 * - an ISO instant: messages from that instant on (e.g. "the past 7 days" is now minus 7 days);
 * - ALL_HISTORY ("0001-01-01T00:00:00Z"): the whole history.
 *
 * The member gets the "owner" role, as Teams gives everyone in a chat it created.
 */
export async function addChatMember(client: Client, chatId: string, userId: string, historyFrom?: string): Promise<void> {
  const body: Record<string, unknown> = {
    "@odata.type": "#microsoft.graph.aadUserConversationMember",
    "user@odata.bind": `https://graph.microsoft.com/v1.0/users('${userId}')`,
    roles: ["owner"],
  };
  if (historyFrom !== undefined) body.visibleHistoryStartDateTime = historyFrom;
  try {
    await client
      .api(membersPath(chatId))
      .middlewareOptions([new ScopeOptions([...SCOPES.manageMembers])])
      .post(body);
  } catch (e) {
    throw toServiceError(e);
  }
}

/**
 * Removes someone from a chat by their membership id (DELETE /chats/{id}/members/{membershipId}, 204).
 * Membership ids are opaque: they are passed back exactly as listChatMembers returned them.
 */
export async function removeChatMember(client: Client, chatId: string, membershipId: string): Promise<void> {
  try {
    await client
      .api(`${membersPath(chatId)}/${encodeURIComponent(membershipId)}`)
      .middlewareOptions([new ScopeOptions([...SCOPES.manageMembers])])
      .delete();
  } catch (e) {
    throw toServiceError(e);
  }
}
