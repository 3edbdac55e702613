import type { Client } from "@microsoft/microsoft-graph-client";
import { ScopeOptions } from "./client";
import { toServiceError } from "./errors";

/** Least permission for POST /chats/{id}/messages (DESIGN.md §4). */
const SEND_SCOPES = ["ChatMessage.Send"];

/**
 * Posts an HTML message to a chat (POST /chats/{chat-id}/messages, body.contentType "html") through the
 * control's Graph middleware (auth with ChatMessage.Send, Retry-After aware retries). The caller builds and
 * escapes the HTML (see domain/introCard.ts). Failures come back as ServiceError.
 */
export async function sendHtmlMessage(client: Client, chatId: string, html: string): Promise<{ id: string }> {
  try {
    const created = (await client
      .api(`/chats/${encodeURIComponent(chatId)}/messages`)
      .middlewareOptions([new ScopeOptions(SEND_SCOPES)])
      .post({ body: { contentType: "html", content: html } })) as { id?: unknown } | undefined;
    if (!created || typeof created.id !== "string" || created.id === "") {
      throw new Error("Graph accepted the message but returned no message id");
    }
    return { id: created.id };
  } catch (e) {
    throw toServiceError(e);
  }
}
