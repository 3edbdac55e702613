/**
 * The local host page for the TeamsChatPanel control: one HTTP server on loopback that
 * serves the simulator (Graph, Dataverse, control routes) and, beside it on the same
 * origin, the harness page, the platform's React/Fluent library files and the built
 * control. Used by `npm start` and by the end-to-end tests.
 *
 *   npx tsx test/harness/serve.ts      (PORT, default 8181; data in .sim-data/state.json)
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { mkdirSync, readdirSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { createSimulator } from "../simulator/server";
import { setEnvironmentValue } from "../simulator/environment";
import type { IdentityProvider } from "./identity";
import { startLocalRelay, type LocalRelay } from "./relay";
import { loopbackCertificate } from "./tls";

export type Simulator = Awaited<ReturnType<typeof createSimulator>>;

export interface HarnessOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Where the simulator persists its state; omitted = in memory. */
  dataFile?: string;
  seed?: "demo" | "empty";
  /** No request log on stdout. */
  quiet?: boolean;
  /**
   * Serve over https with the local OpenID Connect provider, so the control signs in with its
   * real MSAL code (the page switches to it on https). Plain http hands the control simulator
   * tokens directly (quicker for tests that are not about sign-in).
   */
  https?: boolean;
  /** Where to keep the https certificate between runs (npm start); omitted = a fresh one. */
  certFile?: string;
  /** Access token lifetime of the local provider, seconds. */
  accessTokenTtl?: number;
  /**
   * The live-updates relay (default per user; false: none, the panel then refreshes on the agent's
   * actions only). Its address becomes the current value of tcp_TeamsChatPanelRelayUrl.
   */
  relay?: false | { mode?: "perUser" | "tenant" };
  /** Where to keep the relay's notification certificate between runs (npm start). */
  relayCertFile?: string;
}

export interface Harness {
  /** "http://127.0.0.1:<port>/" or "https://127.0.0.1:<port>/" */
  url: string;
  close(): Promise<void>;
  sim: Simulator;
  /** The local sign-in provider (https only). */
  identity?: IdentityProvider;
  /** Chromium's --ignore-certificate-errors-spki-list value for this harness's certificate (https only). */
  spki?: string;
  /** The live-updates relay and its Web PubSub stand-in (absent with relay: false). */
  relay?: LocalRelay;
  /** Plain-http origin of the simulator for services (the relay's Graph and Entra calls, tests). */
  simOrigin: string;
}

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "..", "..");
const PAGE_DIR = join(HERE, "page");
const CONTROL_DIR = join(ROOT, "out", "controls", "TeamsChatPanel");
const REDIRECT_FILE = join(ROOT, "out", "webresources", "tcp_", "auth", "redirect.html");
/** Where Dataverse serves the solution's redirect web resource. */
// eslint-disable-next-line @microsoft/power-apps/use-cached-webresource
const REDIRECT_PAGE = "/WebResources/tcp_/auth/redirect.html";
const PCF_LIB = join(ROOT, "node_modules", "pcf-start", "lib");

/** The platform's own library files: what Dataverse loads for <platform-library> React 16.14 / Fluent 9. */
const FIXED: Record<string, string> = {
  "/": join(HERE, "index.html"),
  "/index.html": join(HERE, "index.html"),
  "/harness.css": join(HERE, "styles.css"),
  "/lib/react.js": join(PCF_LIB, "react_16_14_0.js"),
  "/lib/fluent.js": join(PCF_LIB, "fluent_9_4_0.js"),
};

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".resx": "application/xml; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".gif": "image/gif",
  ".ico": "image/x-icon",
};

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  // no-store: a rebuilt bundle or an edited page is picked up by a plain reload.
  res.writeHead(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(body), "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" });
  res.end(body);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string);
}

function errorPage(res: ServerResponse, status: number, title: string, detail: string): void {
  send(
    res,
    status,
    "text/html; charset=utf-8",
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p></main></body></html>`,
  );
}

async function sendFile(res: ServerResponse, file: string, head: boolean): Promise<boolean> {
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return false;
  }
  const type = TYPES[extname(file).toLowerCase()] ?? "application/octet-stream";
  if (head) {
    res.writeHead(200, { "Content-Type": type, "Content-Length": body.length, "Cache-Control": "no-store" });
    res.end();
  } else send(res, 200, type, body);
  return true;
}

/** The page code, bundled on first request and again only when a file under page/ changed. */
function pageBundler(): () => Promise<string> {
  let cached: { stamp: string; code: Promise<string> } | undefined;
  const stamp = () =>
    readdirSync(PAGE_DIR)
      .map((f) => `${f}:${statSync(join(PAGE_DIR, f)).mtimeMs}`)
      .join("|");
  return () => {
    const now = stamp();
    if (!cached || cached.stamp !== now) {
      const code = build({
        entryPoints: [join(PAGE_DIR, "main.ts")],
        bundle: true,
        format: "iife",
        target: "es2020",
        platform: "browser",
        sourcemap: "inline",
        write: false,
        logLevel: "silent",
      }).then((r) => r.outputFiles[0].text);
      code.catch(() => {
        if (cached?.code === code) cached = undefined;
      });
      cached = { stamp: now, code };
    }
    return cached.code;
  };
}

/** Resolves /control/<rest> inside the control output folder, or undefined when it would leave it. */
function controlFile(rest: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    return undefined;
  }
  if (decoded.includes("\0") || decoded.split(/[\\/]/).includes("..")) return undefined;
  const file = resolve(CONTROL_DIR, decoded);
  return file.startsWith(CONTROL_DIR + sep) ? file : undefined;
}

function readText(req: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > 64 * 1024) {
        fail(new Error("Form too large"));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => ok(Buffer.concat(chunks).toString("utf8")));
    req.on("error", fail);
  });
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const sim = await createSimulator({ dataFile: opts.dataFile, seed: opts.seed ?? "demo" });
  const pageCode = pageBundler();
  let identity: IdentityProvider | undefined;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (identity && (await identity.handle(req, res, () => readText(req)))) return;
    if (await sim.handle(req, res)) return;
    const method = req.method ?? "GET";
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    if (method !== "GET" && method !== "HEAD") return errorPage(res, 405, "Method not allowed", `${method} ${path}`);
    const head = method === "HEAD";

    if (path === "/harness.js") {
      try {
        return send(res, 200, TYPES[".js"], await pageCode());
      } catch (e) {
        const message = `Bundling test/harness/page/main.ts failed: ${(e as Error).message}`;
        console.error(message);
        return send(res, 500, TYPES[".js"], `console.error(${JSON.stringify(message)});`);
      }
    }
    if (path === REDIRECT_PAGE) {
      // Dataverse serves the web resource without COOP headers, as MSAL's redirect bridge needs.
      if (await sendFile(res, REDIRECT_FILE, head)) return;
      return errorPage(res, 500, "Redirect page not built", `${REDIRECT_FILE} is missing: run npm run build`);
    }
    if (path === "/favicon.ico") {
      res.writeHead(204, { "Cache-Control": "no-store" });
      return void res.end();
    }
    const fixed = FIXED[path];
    if (fixed) {
      if (await sendFile(res, fixed, head)) return;
      return errorPage(res, 500, "Harness file missing", `${fixed} is missing: run npm install`);
    }
    if (path.startsWith("/control/")) {
      const file = controlFile(path.slice("/control/".length));
      if (!file) return errorPage(res, 404, "Not found", path);
      if (await sendFile(res, file, head)) return;
      // Only a missing build is a server-side problem; any other unknown file is a plain 404.
      if (path === "/control/bundle.js" || path.startsWith("/control/strings/TeamsChatPanel.1033")) {
        return errorPage(res, 500, "Control not built", `${file} is missing: run npm run build`);
      }
      return errorPage(res, 404, "Not found", path);
    }
    return errorPage(res, 404, "Not found", path);
  }

  const tls = opts.https ? await loopbackCertificate(opts.certFile) : undefined;
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const started = Date.now();
    if (!opts.quiet) res.on("finish", () => console.log(`${req.method} ${req.url} ${res.statusCode} ${Date.now() - started}ms`));
    handle(req, res).catch((e: Error) => {
      console.error(e);
      if (!res.headersSent) errorPage(res, 500, "Harness error", e.message);
      else res.destroy(e);
    });
  };
  const server = tls ? createTlsServer({ key: tls.key, cert: tls.cert }, listener) : createServer(listener);
  // Keep-alive sockets would hold close() open until they time out.
  server.keepAliveTimeout = 1000;

  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(opts.port ?? 0, "127.0.0.1", () => ok());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `${tls ? "https" : "http"}://127.0.0.1:${port}`;
  if (tls) {
    // Loaded only for https: the provider library is not needed (nor its start-up notices wanted) otherwise.
    const { createIdentityProvider } = await import("./identity");
    identity = createIdentityProvider({ origin, tenantId: sim.state.tenantId, users: () => sim.state.users, accessTokenTtl: opts.accessTokenTtl });
    sim.trustIssuer({ issuer: identity.issuer, jwks: identity.jwks });
  }

  // Services reach the simulator over plain http on loopback, as they would reach Graph without the page's certificate.
  const simServer = createServer((req, res) => {
    sim.handle(req, res).then((handled) => {
      if (!handled) errorPage(res, 404, "Not found", req.url ?? "");
    }, (e: Error) => {
      if (!res.headersSent) errorPage(res, 500, "Simulator error", e.message);
    });
  });
  simServer.keepAliveTimeout = 1000;
  await new Promise<void>((ok, fail) => {
    simServer.once("error", fail);
    simServer.listen(0, "127.0.0.1", () => ok());
  });
  const simOrigin = `http://127.0.0.1:${(simServer.address() as AddressInfo).port}`;
  let relay: LocalRelay | undefined;
  if (opts.relay !== false) {
    relay = await startLocalRelay({
      simOrigin,
      pageOrigin: origin,
      tenantId: sim.state.tenantId,
      mode: opts.relay?.mode,
      identity: identity ? { issuer: identity.issuer, jwks: identity.jwks } : undefined,
      certFile: opts.relayCertFile,
      quiet: opts.quiet,
    });
  }
  const setRelayUrl = () => setEnvironmentValue(sim.state, "tcp_TeamsChatPanelRelayUrl", "Teams Chat Panel: relay address", relay ? relay.url : null);
  setRelayUrl();
  sim.onReset(setRelayUrl);

  let closing: Promise<void> | undefined;
  return {
    url: `${origin}/`,
    sim,
    identity,
    spki: tls?.spki,
    relay,
    simOrigin,
    close() {
      closing ??= (async () => {
        await relay?.close();
        for (const s of [server, simServer]) {
          await new Promise<void>((ok) => {
            s.close(() => ok());
            s.closeAllConnections();
          });
        }
        await sim.close();
      })();
      return closing;
    },
  };
}

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 8181);
  const dataDir = join(ROOT, ".sim-data");
  mkdirSync(dataDir, { recursive: true });
  const https = process.env.HARNESS_HTTP !== "1";
  const relayMode = process.env.RELAY_MODE === "tenant" ? "tenant" : "perUser";
  const harness = await startHarness({
    port,
    dataFile: join(dataDir, "state.json"),
    certFile: join(dataDir, "tls.json"),
    relayCertFile: join(dataDir, "relay-cert.json"),
    seed: "demo",
    quiet: process.env.HARNESS_QUIET === "1",
    https,
    relay: process.env.RELAY === "0" ? false : { mode: relayMode },
  });
  console.log(`TeamsChatPanel harness: ${harness.url}`);
  if (harness.relay) console.log(`  Live updates: relay ${harness.relay.url} (${relayMode === "tenant" ? "tenant-wide" : "per user"}), Web PubSub stand-in ${harness.relay.webPubSub.endpoint}. RELAY=0 starts without it.`);
  if (https) {
    console.log("  Sign-in runs through a local OpenID Connect provider on this https origin; its certificate is made for loopback at first start,");
    console.log("  so the browser warns once: choose Advanced > Proceed to 127.0.0.1. (HARNESS_HTTP=1 npm start serves plain http with simulator tokens instead.)");
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: saving simulator data and stopping`);
    try {
      await harness.sim.flush();
      await harness.close();
    } finally {
      process.exit(0);
    }
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

// Run as a script (npx tsx test/harness/serve.ts), not when imported by tests.
if (/[\\/]test[\\/]harness[\\/]serve\.ts$/.test(resolve(process.argv[1] ?? ""))) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
