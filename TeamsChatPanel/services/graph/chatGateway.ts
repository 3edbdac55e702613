import type { Client } from "@microsoft/microsoft-graph-client";
import type { ChatSummary, Person } from "../../domain/types";
import { ServiceError } from "../errors";
import type { ChatGateway, NewChatRequest, Page } from "../ports";
import { GRAPH_VERSION, ScopeOptions } from "./client";
import { toServiceError } from "./errors";
import { toChat, toPerson } from "./mappers";
import { sendHtmlMessage } from "./messages";
import { SCOPES } from "./scopes";
import type { WireBatchResponse, WireChat, WireCollection, WireUser } from "./wire";

/** Graph's maximum page for GET /me/chats. */
export const CHAT_PAGE_SIZE = 50;
/** Graph's maximum number of requests in one $batch. */
export const BATCH_LIMIT = 20;

const CHAT_LIST_PATH = `/me/chats?$expand=members,lastMessagePreview&$orderby=lastMessagePreview/createdDateTime desc&$top=${CHAT_PAGE_SIZE}`;

/** Escapes a value for a Graph OData string literal and for the $search quoted phrase. */
function searchPhrase(q: string): string {
  return q.replace(/["\\]/g, " ").trim();
}

export class GraphChatGateway implements ChatGateway {
  private readonly root: string;

  constructor(private readonly client: Client, baseUrl: string) {
    this.root = `${baseUrl.replace(/\/+$/, "")}/${GRAPH_VERSION}`;
  }

  /**
   * nextLink is an absolute URL; only links to the Graph we were configured with are followed,
   * so a token is never sent elsewhere.
   */
  private relative(nextLink: string): string {
    if (!nextLink.toLowerCase().startsWith(this.root.toLowerCase() + "/")) {
      throw new ServiceError("invalid", "nextLink points outside the configured Graph endpoint");
    }
    return nextLink.slice(this.root.length);
  }

  async listChats(next?: string): Promise<Page<ChatSummary>> {
    try {
      const path = next ? this.relative(next) : CHAT_LIST_PATH;
      const res = (await this.client.api(path).middlewareOptions([new ScopeOptions([...SCOPES.readChats])]).get()) as WireCollection<WireChat>;
      return { items: res.value.map(toChat), next: res["@odata.nextLink"] };
    } catch (e) {
      throw toServiceError(e);
    }
  }

  async getChats(ids: string[]): Promise<ChatSummary[]> {
    const out: ChatSummary[] = [];
    for (let i = 0; i < ids.length; i += BATCH_LIMIT) {
      const chunk = ids.slice(i, i + BATCH_LIMIT);
      const requests = chunk.map((id, n) => ({ id: String(n + 1), method: "GET", url: `/chats/${encodeURIComponent(id)}?$expand=members,lastMessagePreview` }));
      let res: WireBatchResponse;
      try {
        res = (await this.client.api("/$batch").middlewareOptions([new ScopeOptions([...SCOPES.readChats])]).post({ requests })) as WireBatchResponse;
      } catch (e) {
        throw toServiceError(e);
      }
      for (const r of res.responses) {
        // 403/404: not a member (or gone) — such a chat is never shown, whatever links say.
        if (r.status === 200 && r.body) out.push(toChat(r.body as WireChat));
      }
    }
    return out;
  }

  async createChat(request: NewChatRequest): Promise<ChatSummary> {
    const others = [...new Set(request.memberIds.filter((id) => id !== request.meId))];
    if (others.length === 0) throw new ServiceError("invalid", "A chat needs at least one other person");
    const chatType = others.length === 1 && !request.forceGroup ? "oneOnOne" : "group";
    const members = [request.meId, ...others].map((id) => ({
      "@odata.type": "#microsoft.graph.aadUserConversationMember",
      roles: ["owner"],
      "user@odata.bind": `https://graph.microsoft.com/v1.0/users('${id}')`,
    }));
    const body: Record<string, unknown> = { chatType, members };
    const topic = request.topic?.trim();
    if (chatType === "group" && topic) body.topic = topic;
    try {
      const created = (await this.client.api("/chats").middlewareOptions([new ScopeOptions([...SCOPES.createChat])]).post(body)) as WireChat;
      // The create response has no members; read the chat back so the list can name it.
      const full = (await this.client
        .api(`/chats/${encodeURIComponent(created.id)}?$expand=members,lastMessagePreview`)
        .middlewareOptions([new ScopeOptions([...SCOPES.readChats])])
        .get()) as WireChat;
      return toChat(full);
    } catch (e) {
      throw toServiceError(e);
    }
  }

  async sendHtml(chatId: string, html: string): Promise<void> {
    await sendHtmlMessage(this.client, chatId, html);
  }

  async renameChat(chatId: string, topic: string): Promise<void> {
    try {
      await this.client.api(`/chats/${encodeURIComponent(chatId)}`).middlewareOptions([new ScopeOptions([...SCOPES.renameChat])]).patch({ topic });
    } catch (e) {
      throw toServiceError(e);
    }
  }

  async searchPeople(query: string, top = 10): Promise<Person[]> {
    const phrase = searchPhrase(query);
    if (!phrase) return [];
    try {
      const res = (await this.client
        .api("/users")
        .header("ConsistencyLevel", "eventual")
        .query({ $search: `"displayName:${phrase}"`, $top: String(top), $select: "id,displayName,mail,userPrincipalName,jobTitle" })
        .middlewareOptions([new ScopeOptions([...SCOPES.searchPeople])])
        .get()) as WireCollection<WireUser>;
      return res.value.map(toPerson);
    } catch (e) {
      throw toServiceError(e);
    }
  }
}
