import { WebPubSubServiceClient, type JSONTypes } from "@azure/web-pubsub";

/** Frames the relay sends to a panel (PROTOCOL.md §1, "The WebSocket"). */
export type Frame =
  | { type: "message"; chatId: string; changeType: "created" | "updated" | "deleted"; message: unknown }
  | { type: "resync"; reason: "missed" | "subscribed" | "removed" }
  | { type: "renew" };

/** The relay's port to the WebSocket service. */
export interface Push {
  /** A client URL for a simple WebSocket client of `userId`, valid `minutes`. */
  clientUrl(userId: string, minutes: number): Promise<{ url: string }>;
  sendToUser(userId: string, frame: Frame): Promise<void>;
}

/**
 * Azure Web PubSub through its server SDK. The connection string goes through unchanged; an `http://` Endpoint (the
 * local stand-in) gives `ws://` client URLs, as the SDK derives them from the endpoint.
 */
export function createWebPubSubPush(connectionString: string, hub: string): Push {
  // The SDK's pipeline refuses plain http unless told; only the local stand-in has an http:// Endpoint.
  const insecure = parseWebPubSubConnectionString(connectionString).endpoint.startsWith("http://");
  const client = new WebPubSubServiceClient(connectionString, hub, insecure ? { allowInsecureConnection: true } : {});
  return {
    async clientUrl(userId, minutes) {
      const { url } = await client.getClientAccessToken({ userId, expirationTimeInMinutes: minutes });
      return { url };
    },
    async sendToUser(userId, frame) {
      // The SDK posts a JSON value (not a string, not binary) with Content-Type application/json.
      await client.sendToUser(userId, frame as unknown as JSONTypes);
    },
  };
}

/** Endpoint and access key of a Web PubSub connection string (the key verifies event-handler signatures). */
export function parseWebPubSubConnectionString(connectionString: string): { endpoint: string; accessKey: string } {
  const parts = new Map<string, string>();
  for (const part of connectionString.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) parts.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  let endpoint = parts.get("endpoint") ?? "";
  if (endpoint && !/^https?:\/\//i.test(endpoint)) endpoint = `https://${endpoint}`;
  const port = parts.get("port");
  if (endpoint && port) {
    const url = new URL(endpoint);
    url.port = port;
    endpoint = url.toString();
  }
  return { endpoint: endpoint.replace(/\/+$/, ""), accessKey: parts.get("accesskey") ?? "" };
}
