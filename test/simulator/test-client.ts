/**
 * Small fetch helpers for tests that talk to a running simulator over HTTP.
 * Shared by the simulator's own tests; other suites may use them too.
 */
import { type SimulatorOptions, startSimulator } from "./server";

export type RunningSim = Awaited<ReturnType<typeof startSimulator>>;

export interface SimClient {
  sim: RunningSim;
  url: string;
  directory(): Promise<DirectoryUser[]>;
  token(user: string, scopes?: string[], ttlSeconds?: number): Promise<string>;
  graph(token: string | null, path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  dv(user: string | null, path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  control(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

export interface DirectoryUser {
  systemuserid: string;
  aadObjectId: string;
  fullname: string;
  upn: string;
  email: string;
  title: string;
  isdisabled: boolean;
  isSupervisor: boolean;
}

function withJson(init: (RequestInit & { json?: unknown }) | undefined, extra: Record<string, string>): RequestInit {
  const { json, headers, ...rest } = init ?? {};
  const h: Record<string, string> = { ...extra, ...((headers as Record<string, string> | undefined) ?? {}) };
  if (json !== undefined) h["Content-Type"] = "application/json";
  return { ...rest, headers: h, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) };
}

export async function startClient(opts: SimulatorOptions = {}): Promise<SimClient> {
  const sim = await startSimulator({ port: 0, ...opts });
  const url = sim.url;
  const control = (path: string, init?: RequestInit & { json?: unknown }) => fetch(`${url}/__sim${path}`, withJson(init, {}));
  return {
    sim,
    url,
    control,
    async directory() {
      const r = await control("/directory");
      return ((await r.json()) as { users: DirectoryUser[] }).users;
    },
    async token(user, scopes, ttlSeconds) {
      const r = await control("/token", { method: "POST", json: { user, scopes, ttlSeconds } });
      if (r.status !== 200) throw new Error(`token for ${user}: ${r.status} ${await r.text()}`);
      return ((await r.json()) as { access_token: string }).access_token;
    },
    graph(token, path, init) {
      const target = path.startsWith("http") ? path : `${url}/graph/v1.0${path}`;
      return fetch(target, withJson(init, token ? { Authorization: `Bearer ${token}` } : {}));
    },
    dv(user, path, init) {
      const target = path.startsWith("http") ? path : `${url}/api/data/v9.2${path}`;
      return fetch(target, withJson(init, user ? { "X-Sim-User": user } : {}));
    },
    close: () => sim.close(),
  };
}
