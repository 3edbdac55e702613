/** Talking to the simulator from a test, over the same HTTP the control uses. */
export interface DirectoryUser {
  systemuserid: string;
  aadObjectId: string;
  fullname: string;
  upn: string;
  isdisabled?: boolean;
  isSupervisor?: boolean;
}
export interface DirectoryRecord {
  table: string;
  id: string;
  name: string;
}
export interface SimRequest {
  seq: number;
  /** When the simulator answered (ISO). */
  time: string;
  service: "graph" | "dataverse";
  method: string;
  path: string;
  status: number;
  caller?: string;
}

export function sim(base: string) {
  const url = (p: string) => `${base.replace(/\/$/, "")}${p}`;
  const json = async <T>(path: string, init?: RequestInit): Promise<T> => {
    const res = await fetch(url(path), { ...init, headers: { "Content-Type": "application/json", ...(init?.headers ?? {}) } });
    const text = await res.text();
    if (!res.ok) throw new Error(`${init?.method ?? "GET"} ${path} → ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  const token = async (user: string) => (await json<{ access_token: string }>("/__sim/token", { method: "POST", body: JSON.stringify({ user }) })).access_token;
  return {
    directory: () => json<{ users: DirectoryUser[]; records: DirectoryRecord[] }>("/__sim/directory"),
    requests: async () => (await json<{ requests: SimRequest[] }>("/__sim/requests")).requests,
    clearRequests: () => json("/__sim/requests", { method: "DELETE" }),
    fault: (f: { service?: "graph" | "dataverse"; method?: string; path: string; status?: number; retryAfter?: number; latencyMs?: number; times?: number }) =>
      json<{ id: string }>("/__sim/faults", { method: "POST", body: JSON.stringify(f) }),
    clearFaults: () => json("/__sim/faults", { method: "DELETE" }),
    /** Another demo user posts in a chat (through the simulator's control API, as if from Teams). */
    sendAs: (user: string, chatId: string, html: string) => json<{ id: string }>("/__sim/send-as", { method: "POST", body: JSON.stringify({ user, chatId, html }) }),
    bulkMessages: (chatId: string, count: number) => json<{ total: number }>("/__sim/bulk-messages", { method: "POST", body: JSON.stringify({ chatId, count }) }),
    bulkChats: (user: string, count: number) => json("/__sim/bulk-chats", { method: "POST", body: JSON.stringify({ user, count }) }),
    token,
    async graph<T>(user: string, path: string, init?: RequestInit): Promise<{ status: number; body: T }> {
      const res = await fetch(url(`/graph/v1.0${path}`), { ...init, headers: { Authorization: `Bearer ${await token(user)}`, "Content-Type": "application/json", ...(init?.headers ?? {}) } });
      return { status: res.status, body: (await res.json().catch(() => undefined)) as T };
    },
    async dataverse<T>(user: string, path: string): Promise<T> {
      return json<T>(`/api/data/v9.2${path}`, { headers: { "X-Sim-User": user } });
    },
  };
}
