import { ResponseType, RetryHandlerOptions, type Client } from "@microsoft/microsoft-graph-client";
import type { ChatMessageItem, OutgoingMessage } from "../../domain/messages";
import type { ChatMember } from "../../domain/types";
import { ServiceError } from "../errors";
import type { ConversationGateway, Page } from "../ports";
import { GRAPH_VERSION, ScopeOptions } from "./client";
import { toServiceError } from "./errors";
import { toMessage } from "./mappers";
import { addChatMember, listChatMembers, removeChatMember } from "./members";
import { SCOPES } from "./scopes";
import type { WireChatMessage, WireCollection } from "./wire";

/** Graph's maximum page for GET /chats/{id}/messages. */
export const MESSAGE_PAGE_SIZE = 50;
/** A send that has not answered by then is treated as "outcome unknown" and checked before any retry. */
export const SEND_TIMEOUT_MS = 30_000;

export class GraphConversationGateway implements ConversationGateway {
  private readonly root: string;

  constructor(
    private readonly client: Client,
    baseUrl: string,
    private readonly sendTimeoutMs = SEND_TIMEOUT_MS,
  ) {
    this.root = `${baseUrl.replace(/\/+$/, "")}/${GRAPH_VERSION}`;
  }

  /** Only URLs of the configured Graph endpoint are followed, so a token never goes elsewhere. */
  private relative(url: string): string {
    if (!url.toLowerCase().startsWith(this.root.toLowerCase() + "/")) {
      throw new ServiceError("invalid", "URL points outside the configured Graph endpoint");
    }
    return url.slice(this.root.length);
  }

  private messagesPath(chatId: string): string {
    return `/chats/${encodeURIComponent(chatId)}/messages`;
  }

  async listMessages(chatId: string, next?: string): Promise<Page<ChatMessageItem>> {
    // createdDateTime order pages through history; the default (lastModified) would move edited old messages to the top.
    const path = next ? this.relative(next) : `${this.messagesPath(chatId)}?$top=${MESSAGE_PAGE_SIZE}&$orderby=createdDateTime desc`;
    try {
      const res = (await this.client.api(path).middlewareOptions([new ScopeOptions([...SCOPES.readMessages])]).get()) as WireCollection<WireChatMessage>;
      return { items: res.value.map((m) => toMessage(m, chatId)), next: res["@odata.nextLink"] };
    } catch (e) {
      throw toServiceError(e);
    }
  }

  async send(chatId: string, message: OutgoingMessage): Promise<ChatMessageItem> {
    const payload: Record<string, unknown> = {
      body: { contentType: "html", content: message.html },
      importance: message.importance,
    };
    if (message.mentions.length) {
      payload.mentions = message.mentions.map((m) => ({
        id: m.id,
        mentionText: m.displayName,
        mentioned: { user: { id: m.userId, displayName: m.displayName, userIdentityType: "aadUser" } },
      }));
    }
    if (message.hostedContents.length) {
      payload.hostedContents = message.hostedContents.map((h) => ({ "@microsoft.graph.temporaryId": h.tempId, contentBytes: h.base64, contentType: h.contentType }));
    }
    if (message.files.length) {
      payload.attachments = message.files.map((f) => ({ id: f.attachmentId, contentType: "reference", contentUrl: f.webUrl, name: f.name }));
    }
    const abort = typeof AbortController !== "undefined" ? new AbortController() : undefined;
    let timedOut = false;
    const timer = abort
      ? setTimeout(() => {
          timedOut = true;
          abort.abort();
        }, this.sendTimeoutMs)
      : undefined;
    try {
      let req = this.client
        .api(this.messagesPath(chatId))
        // No silent retry: a 5xx or a lost answer may mean Teams posted it; the store checks before retrying.
        .middlewareOptions([new ScopeOptions([...SCOPES.sendMessage]), new RetryHandlerOptions(0, 0)]);
      if (abort) req = req.option("signal", abort.signal);
      const created = (await req.post(payload)) as WireChatMessage;
      return toMessage(created, chatId);
    } catch (e) {
      if (timedOut) throw new ServiceError("offline", "The send did not answer in time", undefined, "timeout");
      throw toServiceError(e);
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  async hostedContent(url: string): Promise<Blob> {
    try {
      return (await this.client
        .api(this.relative(url))
        .responseType(ResponseType.BLOB)
        .middlewareOptions([new ScopeOptions([...SCOPES.readMessages])])
        .get()) as Blob;
    } catch (e) {
      throw toServiceError(e);
    }
  }

  listMembers(chatId: string): Promise<ChatMember[]> {
    return listChatMembers(this.client, chatId);
  }

  addMember(chatId: string, userId: string, historyFrom?: string): Promise<void> {
    return addChatMember(this.client, chatId, userId, historyFrom);
  }

  removeMember(chatId: string, membershipId: string): Promise<void> {
    return removeChatMember(this.client, chatId, membershipId);
  }
}
