/**
 * The local Graph + Dataverse simulator: one origin serving /graph/v1.0/*,
 * OneDrive upload URLs (/upload/*), /api/data/v9.2/*, /__sim/* and a demo GIF
 * search API (/gifapi/v2/*, see gif.ts). Use createSimulator() to mount it in another
 * server (the harness), startSimulator() for a standalone one, or run this file.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import { ControlApi } from "./control";
import { DataverseApi } from "./dataverse";
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, buildDemoState } from "./demo-data";
import { EntraService } from "./entra";
import { SubscriptionService } from "./graph-subscriptions";
import { FaultRegistry } from "./faults";
import { GifApi } from "./gif";
import { GraphApi, type RequestLogEntry, type ServiceContext, UPLOAD_PATH } from "./graph";
import { graphError } from "./errors";
import { DebouncedWriter, loadJson, removeStaleTempFiles } from "./persist";
import { SimStore, type SimState, emptyState } from "./state";
import { TokenService, type TrustedIssuer } from "./tokens";
import { MAX_BODY, type SimRequest, lowerHeaders, newRequestId, originOf, readBody, writeResponse } from "./util";

export type { SimState } from "./state";

export interface SimulatorOptions {
  /** JSON persistence; absent = memory only. */
  dataFile?: string;
  seed?: "demo" | "empty";
  now?: () => Date;
  /** Change notifications: how long the validation handshake may take (default 10 s, as Graph). */
  validationTimeoutMs?: number;
  /** Change notifications: waits between delivery attempts (default [200, 1000] ms). */
  deliveryRetryDelaysMs?: number[];
}

export interface Simulator {
  /** Handles the request if it belongs to the simulator (/graph/, /upload/, /api/data/, /__sim/, /gifapi/); returns false otherwise so a host server can serve other files. */
  handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean>;
  /** Writes pending state. */
  flush(): Promise<void>;
  close(): Promise<void>;
  /** Typed in-memory data for tests. */
  state: SimState;
  /** Accepts RS256 access tokens from this OpenID Connect provider (the harness's sign-in). */
  trustIssuer(issuer: TrustedIssuer): void;
  /** Runs after every reset of the data (the harness sets its relay's address again). */
  onReset(fn: (state: SimState) => void): void;
  /** Graph subscriptions and their deliveries (also at /__sim/subscriptions, /__sim/deliveries). */
  subscriptions: SubscriptionService;
  /** The simulated Entra ID: app registrations, JWKS, token endpoint (/__sim/login/...). */
  entra: EntraService;
}

const MAX_LOG = 20000;
const EXPOSED = "request-id, client-request-id, Retry-After, Location, OData-EntityId, OData-Version, Preference-Applied, ETag, x-ms-service-request-id, WWW-Authenticate";

export async function createSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const now = opts.now ?? (() => new Date());
  const seedName = opts.seed ?? "demo";
  const store = new SimStore(emptyState());
  const seed = (name: "demo" | "empty"): SimState => (name === "demo" ? buildDemoState(now()) : emptyState());

  let writer: DebouncedWriter | null = null;
  if (opts.dataFile) {
    const file = path.resolve(opts.dataFile);
    removeStaleTempFiles(file);
    const loaded = loadJson<SimState>(file);
    if (loaded.kind === "ok" && loaded.value && loaded.value.version === 1) {
      store.replace(loaded.value);
    } else {
      if (loaded.kind === "corrupt" || loaded.kind === "ok") {
        // Keep the unreadable file for inspection rather than overwrite it silently.
        fs.renameSync(file, `${file}.corrupt-${Date.now()}`);
      }
      store.replace(seed(seedName));
    }
    writer = new DebouncedWriter(file, () => JSON.stringify(store.state));
    if (loaded.kind !== "ok") {
      writer.schedule();
      writer.flushSync();
    }
  } else {
    store.replace(seed(seedName));
  }

  const log: RequestLogEntry[] = [];
  const resetHooks: ((state: SimState) => void)[] = [];
  let seq = 0;
  const tokens = new TokenService();
  const faults = new FaultRegistry();
  const entra = new EntraService({ store, tokens, now });
  // The demo app registration: the panel's client id exposes the relay's API and is the relay's confidential client.
  entra.registerApp({ clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET });
  const subscriptions = new SubscriptionService({ store, entra, now, validationTimeoutMs: opts.validationTimeoutMs, retryDelaysMs: opts.deliveryRetryDelaysMs });
  const changed = () => writer?.schedule();
  const ctx: ServiceContext = {
    store,
    tokens,
    faults,
    now,
    changed,
    subscriptions,
    log: (e) => {
      log.push({ seq: ++seq, time: now().toISOString(), ...e });
      if (log.length > MAX_LOG) log.splice(0, log.length - MAX_LOG);
    },
  };
  const graph = new GraphApi(ctx);
  subscriptions.setRenderer(graph.renderer());
  const gifs = new GifApi();
  const dataverse = new DataverseApi(ctx);
  const control = new ControlApi({
    store,
    tokens,
    faults,
    now,
    changed,
    entra,
    subscriptions,
    requests: () => log.slice(),
    clearRequests: () => {
      log.length = 0;
    },
    reset: (name) => {
      store.replace(seed(name));
      faults.clear();
      for (const fn of resetHooks) fn(store.state);
      changed();
    },
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? "/", "http://sim.local");
    const p = url.pathname;
    if (GifApi.owns(p)) {
      // The demo GIF provider is same-origin with the harness page, so it sends no CORS headers.
      const sreq: SimRequest = { method: (req.method ?? "GET").toUpperCase(), path: p, query: url.searchParams, rawQuery: url.search.slice(1), headers: lowerHeaders(req), body: undefined, bodyText: "", origin: originOf(req) };
      req.resume();
      writeResponse(res, gifs.handle(sreq));
      return true;
    }
    const service = p.startsWith("/graph/")
      ? "graph"
      : p.startsWith(UPLOAD_PATH)
        ? "upload"
        : p.startsWith("/api/data/")
          ? "dataverse"
          : p.startsWith("/__sim/")
            ? "control"
            : null;
    if (!service) return false;
    const origin = req.headers.origin;
    const cors: Record<string, string> = {
      "Access-Control-Allow-Origin": typeof origin === "string" ? origin : "*",
      "Access-Control-Expose-Headers": EXPOSED,
      ...(typeof origin === "string" ? { "Access-Control-Allow-Credentials": "true", Vary: "Origin" } : {}),
    };
    if (req.method === "OPTIONS") {
      const reqHeaders = req.headers["access-control-request-headers"];
      writeResponse(res, {
        status: 204,
        headers: {
          ...cors,
          "Access-Control-Allow-Methods": "GET, POST, PATCH, PUT, DELETE, OPTIONS",
          "Access-Control-Allow-Headers": typeof reqHeaders === "string" ? reqHeaders : "Authorization, Content-Type, ConsistencyLevel, Prefer, client-request-id, X-Sim-User, If-Match, If-None-Match, OData-Version, OData-MaxVersion",
          "Access-Control-Max-Age": "3600",
        },
      });
      return true;
    }
    try {
      if (Number(req.headers["content-length"] ?? 0) > MAX_BODY) {
        const rid = newRequestId();
        writeResponse(res, graphError({ requestId: rid, clientRequestId: rid, now: now() }, 413, "requestTooLarge", "Maximum request length exceeded."), { ...cors, Connection: "close" });
        req.resume();
        return true;
      }
      const raw = await readBody(req);
      const bodyText = raw.toString("utf8");
      let body: unknown;
      if (bodyText.trim()) {
        try {
          body = JSON.parse(bodyText);
        } catch {
          body = undefined;
        }
      }
      const rawQuery = url.search.startsWith("?") ? url.search.slice(1) : "";
      const method = (req.method ?? "GET").toUpperCase();
      const headers = lowerHeaders(req);
      const o = originOf(req);
      if (service === "graph") {
        const m = /^\/graph\/(v1\.0|beta)(\/.*)?$/.exec(p);
        const rest = (req.url ?? "").split("?")[0].replace(/^\/graph\/[^/]+/, "") || "/";
        if (!m || m[1] !== "v1.0") {
          const rid = newRequestId();
          writeResponse(res, graphError({ requestId: rid, clientRequestId: rid, now: now() }, 400, "BadRequest", "Invalid version: only v1.0 is simulated."), cors);
          return true;
        }
        const sreq: SimRequest = { method, path: rest, query: url.searchParams, rawQuery, headers, body, bodyText, raw, origin: o };
        writeResponse(res, await graph.dispatch(sreq), cors);
        return true;
      }
      if (service === "upload") {
        // Upload sessions' uploadUrls: pre-authenticated, outside the Graph version root (like OneDrive's upload host).
        const sreq: SimRequest = { method, path: p, query: url.searchParams, rawQuery, headers, body: undefined, bodyText: "", raw, origin: o };
        writeResponse(res, await graph.dispatchUpload(sreq), cors);
        return true;
      }
      if (service === "dataverse") {
        const m = /^\/api\/data\/(v9\.[0-2])(\/.*)?$/.exec(p);
        if (!m) {
          writeResponse(res, { status: 404, body: { error: { code: "0x80060888", message: `Resource not found for the segment '${p}'.` } } }, cors);
          return true;
        }
        const rest = (req.url ?? "").split("?")[0].replace(/^\/api\/data\/[^/]+/, "") || "/";
        const sreq: SimRequest = { method, path: rest, query: url.searchParams, rawQuery, headers, body, bodyText, origin: o };
        writeResponse(res, await dataverse.dispatch(sreq, m[1]), cors);
        return true;
      }
      if (p.startsWith("/__sim/login/")) {
        const sreq: SimRequest = { method, path: p.slice("/__sim/login".length), query: url.searchParams, rawQuery, headers, body, bodyText, origin: o };
        writeResponse(res, await entra.handle(sreq), cors);
        return true;
      }
      const sreq: SimRequest = { method, path: p.slice("/__sim".length), query: url.searchParams, rawQuery, headers, body, bodyText, origin: o };
      writeResponse(res, control.dispatch(sreq), cors);
      return true;
    } catch (e) {
      if (!res.headersSent) writeResponse(res, { status: 500, body: { error: { code: "SimulatorError", message: (e as Error).message } } }, cors);
      else res.end();
      return true;
    }
  }

  return {
    handle,
    flush: async () => writer?.flushSync(),
    close: async () => writer?.close(),
    get state() {
      return store.state;
    },
    trustIssuer: (issuer) => tokens.trust(issuer),
    onReset: (fn) => void resetHooks.push(fn),
    subscriptions,
    entra,
  };
}

export async function startSimulator(opts: SimulatorOptions & { port?: number } = {}): Promise<Simulator & { url: string }> {
  const sim = await createSimulator(opts);
  const server = http.createServer((req, res) => {
    sim.handle(req, res).then(
      (handled) => {
        if (!handled) {
          res.writeHead(404, { "Content-Type": "text/plain" });
          res.end("Not found");
        }
      },
      (e: Error) => {
        res.writeHead(500, { "Content-Type": "text/plain" });
        res.end(e.message);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : opts.port;
  const url = `http://127.0.0.1:${port}`;
  return {
    handle: sim.handle,
    flush: sim.flush,
    get state() {
      return sim.state;
    },
    trustIssuer: sim.trustIssuer,
    onReset: sim.onReset,
    subscriptions: sim.subscriptions,
    entra: sim.entra,
    url,
    close: async () => {
      await sim.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function runDirectly(): boolean {
  const entry = process.argv[1] ? path.resolve(process.argv[1]) : "";
  return /[\\/]test[\\/]simulator[\\/]server\.ts$/.test(entry);
}

if (runDirectly()) {
  const port = Number(process.env.PORT ?? 8182);
  const dataFile = process.env.SIM_DATA_FILE ?? ".sim-data/simulator.json";
  startSimulator({ port, dataFile: dataFile === "memory" ? undefined : dataFile }).then(
    (sim) => {
      console.log(`Simulator listening on ${sim.url}`);
      console.log(`  Graph:     ${sim.url}/graph/v1.0`);
      console.log(`  Dataverse: ${sim.url}/api/data/v9.2`);
      console.log(`  Control:   ${sim.url}/__sim/directory, POST ${sim.url}/__sim/token`);
      console.log(`  Entra ID:  ${sim.url}/__sim/login/{tenant}/oauth2/v2.0/token, ${sim.url}/__sim/login/common/discovery/v2.0/keys`);
      console.log(`  GIFs:      ${sim.url}/gifapi/v2/search?q=thanks&key=demo-gif-key`);
      const stop = () => {
        sim.close().then(() => process.exit(0));
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    },
    (e: Error) => {
      console.error(e);
      process.exit(1);
    },
  );
}
