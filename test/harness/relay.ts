/**
 * The live-updates relay for the harness: the real relay code (relay/src) on its own loopback
 * port, with the Azure Web PubSub stand-in (test/simulator/webpubsub.ts) and the Graph and Entra
 * simulators behind it. Graph posts its change notifications to the relay over HTTP, the relay
 * sends the panels their frames through the stand-in with the real @azure/web-pubsub SDK.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { createLocalJWKSet, type JSONWebKeySet } from "jose";
import { generate } from "selfsigned";
import { createRelay, type Relay } from "../../relay/src/server";
import type { RelayConfig } from "../../relay/src/config";
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from "../simulator/demo-data";
import { startWebPubSub, type WebPubSubSim } from "../simulator/webpubsub";

export interface LocalRelayOptions {
  /** Plain-http origin of the simulator, for the relay's own calls to Graph and Entra. */
  simOrigin: string;
  /** Origin of the harness page: the one origin allowed to negotiate. */
  pageOrigin: string;
  tenantId: string;
  mode?: "perUser" | "tenant";
  /** On https the panel's relay tokens come from the harness's OpenID Connect provider. */
  identity?: { issuer: string; jwks: JSONWebKeySet };
  /** Keeps the notification certificate between runs (npm start); omitted = one per process. */
  certFile?: string;
  quiet?: boolean;
}

export interface LocalRelay {
  /** http://127.0.0.1:<port> */
  url: string;
  relay: Relay;
  webPubSub: WebPubSubSim;
  /** An outage of the relay: its port refuses connections and Web PubSub drops every panel. */
  stop(): Promise<void>;
  /** The relay comes back on the same port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

interface Certificate {
  cert: string;
  key: string;
}

let processCertificate: Promise<Certificate> | undefined;

async function newCertificate(): Promise<Certificate> {
  const pems = await generate([{ name: "commonName", value: "TeamsChatPanel relay notifications (harness)" }], { keySize: 2048, algorithm: "sha256" });
  return { cert: pems.cert, key: pems.private };
}

async function notificationCertificate(file?: string): Promise<Certificate> {
  if (!file) return (processCertificate ??= newCertificate());
  try {
    const kept = JSON.parse(readFileSync(file, "utf8")) as Partial<Certificate>;
    if (typeof kept.cert === "string" && typeof kept.key === "string") return { cert: kept.cert, key: kept.key };
  } catch {
    // No certificate yet (or an unreadable one): make a new one.
  }
  const made = await newCertificate();
  writeFileSync(file, JSON.stringify(made), { mode: 0o600 });
  return made;
}

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

export async function startLocalRelay(opts: LocalRelayOptions): Promise<LocalRelay> {
  const certificate = await notificationCertificate(opts.certFile);
  const webPubSub = await startWebPubSub({ hub: "chat" });
  let relay: Relay | undefined;
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    if (!relay) {
      res.writeHead(503).end();
      return;
    }
    void relay.handle(req, res);
  };
  let server = createServer(listener);
  server.keepAliveTimeout = 1000;
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => ok());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const config: RelayConfig = {
    tenantId: opts.tenantId,
    clientId: DEMO_CLIENT_ID,
    clientSecret: DEMO_CLIENT_SECRET,
    publicUrl: url,
    mode: opts.mode ?? "perUser",
    webPubSubConnectionString: webPubSub.connectionString,
    webPubSubHub: webPubSub.hub,
    notificationCertPem: certificate.cert,
    notificationKeyPem: certificate.key,
    notificationCertId: "harness-relay-1",
    clientStateSecret: randomBytes(24).toString("base64url"),
    allowedOrigins: [opts.pageOrigin],
    graphBaseUrl: `${opts.simOrigin}/graph/v1.0`,
    loginBaseUrl: `${opts.simOrigin}/__sim/login`,
    // The page asks the simulator for its relay token on its own origin (http), or signs in at the local provider (https).
    tokenIssuer: opts.identity?.issuer ?? `${opts.pageOrigin}/__sim/login/${opts.tenantId}/v2.0`,
    negotiateJwksUrl: `${opts.simOrigin}/__sim/login/${opts.tenantId}/discovery/v2.0/keys`,
    validationJwksUrl: `${opts.simOrigin}/__sim/login/common/discovery/v2.0/keys`,
    graceMinutes: 15,
    port,
  };
  const build = () => createRelay(config, { log: opts.quiet ? silent : undefined, negotiateKeys: opts.identity ? createLocalJWKSet(opts.identity.jwks) : undefined });
  relay = build();
  await relay.start();
  webPubSub.setEventHandlerUrl(`${url}/api/webpubsub/events`);

  const closeServer = () =>
    new Promise<void>((ok) => {
      server.close(() => ok());
      server.closeAllConnections();
    });
  let stopped = false;
  return {
    url,
    get relay() {
      return relay as Relay;
    },
    webPubSub,
    async stop() {
      if (stopped) return;
      stopped = true;
      webPubSub.pause();
      await closeServer();
      await relay?.close();
    },
    async restart() {
      if (!stopped) return;
      relay = build();
      server = createServer(listener);
      server.keepAliveTimeout = 1000;
      await new Promise<void>((ok, fail) => {
        server.once("error", fail);
        server.listen(port, "127.0.0.1", () => ok());
      });
      await relay.start();
      webPubSub.resume();
      stopped = false;
    },
    async close() {
      if (!stopped) {
        await closeServer();
        await relay?.close();
      }
      await webPubSub.close();
    },
  };
}
