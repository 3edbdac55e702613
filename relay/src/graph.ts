import { retryAfterSeconds, type FetchLike } from "./http.js";

/** Graph's error shape `{ error: { code, message } }` with the status and, on 429/503, `Retry-After`. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** When to try again (seconds), from `Retry-After`; the caller schedules it, the client never loops. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "GraphError";
  }
  get throttled(): boolean {
    return this.status === 429 || (this.status === 503 && this.retryAfterSeconds !== undefined);
  }
}

export interface Subscription {
  id: string;
  resource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl?: string;
  expirationDateTime: string;
  clientState?: string;
  includeResourceData?: boolean;
  creatorId?: string;
}

export interface NewSubscription {
  resource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string;
  expirationDateTime: string;
  clientState: string;
  includeResourceData: true;
  encryptionCertificate: string;
  encryptionCertificateId: string;
}

export interface GraphClient {
  createSubscription(token: string, body: NewSubscription): Promise<Subscription>;
  renewSubscription(token: string, id: string, expirationDateTime: string): Promise<Subscription>;
  deleteSubscription(token: string, id: string): Promise<void>;
  listSubscriptions(token: string): Promise<Subscription[]>;
  /** The chat's members' Entra user ids (`aadUserConversationMember.userId`). */
  listChatMemberIds(token: string, chatId: string): Promise<string[]>;
}

export function createGraphClient(options: { baseUrl: string; fetch?: FetchLike; now?: () => number }): GraphClient {
  const fetchFn = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const base = options.baseUrl.replace(/\/+$/, "");

  async function call<T>(token: string, method: string, pathOrUrl: string, body?: unknown): Promise<T> {
    const url = pathOrUrl.startsWith("http") ? pathOrUrl : `${base}${pathOrUrl}`;
    const response = await fetchFn(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      const parsed = (await response.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined;
      throw new GraphError(
        response.status,
        parsed?.error?.code ?? `http${response.status}`,
        parsed?.error?.message ?? `Graph ${method} failed with ${response.status}`,
        retryAfterSeconds(response.headers.get("retry-after"), now()),
      );
    }
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  return {
    createSubscription: (token, body) => call<Subscription>(token, "POST", "/subscriptions", body),
    renewSubscription: (token, id, expirationDateTime) =>
      call<Subscription>(token, "PATCH", `/subscriptions/${encodeURIComponent(id)}`, { expirationDateTime }),
    deleteSubscription: (token, id) => call<void>(token, "DELETE", `/subscriptions/${encodeURIComponent(id)}`),
    async listSubscriptions(token) {
      const all: Subscription[] = [];
      let next: string | undefined = "/subscriptions";
      for (let page = 0; next && page < 20; page++) {
        const result: { value?: Subscription[]; "@odata.nextLink"?: string } = await call(token, "GET", next);
        all.push(...(result.value ?? []));
        next = result["@odata.nextLink"];
      }
      return all;
    },
    async listChatMemberIds(token, chatId) {
      const ids: string[] = [];
      let next: string | undefined = `/chats/${encodeURIComponent(chatId)}/members`;
      for (let page = 0; next && page < 50; page++) {
        const result: { value?: { userId?: string }[]; "@odata.nextLink"?: string } = await call(token, "GET", next);
        for (const member of result.value ?? []) if (member.userId) ids.push(member.userId);
        next = result["@odata.nextLink"];
      }
      return ids;
    },
  };
}
