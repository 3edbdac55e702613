/**
 * The live-updates relay at tenant scale, measured (printed, never asserted): the real relay code in a process
 * of its own, the Web PubSub stand-in holding N panel connections opened from a third process, and the Graph
 * simulator delivering encrypted change notifications for a tenant's chat traffic.
 *
 *   BENCH_ONLY=relay npm run bench          (BENCH_RELAY_AGENTS, default 10,000; BENCH_RELAY_SECONDS, default 20)
 *
 * Figures: negotiations per second, relay memory per 1,000 connected panels, notifications a relay instance
 * processes per second (verified, decrypted, fanned out), end-to-end delay from Graph accepting a message to
 * the panel having it (p50 / p95) at 20 messages per agent-hour with a 10× burst, and the Graph requests per
 * agent-hour the design costs.
 */
import { fork, type ChildProcess } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { X509Certificate, randomBytes, randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { generate } from "selfsigned";
import type { RelayConfig } from "../../relay/src/config";
import { createSimulator } from "../simulator/server";
import { startWebPubSub } from "../simulator/webpubsub";
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from "../simulator/demo-data";
import { encryptContent } from "../simulator/graph-subscriptions";
import type { SimChat, SimUser } from "../simulator/state";
import { prng } from "../simulator/util";

const HERE = dirname(fileURLToPath(import.meta.url));
const RELAY_SCOPE = `api://${DEMO_CLIENT_ID}/access_as_user`;
const ORIGIN = "https://contoso.crm.dynamics.com";

export interface RelayBenchOptions {
  agents: number;
  mode: "perUser" | "tenant";
  /** Seconds of steady load (20 messages per agent-hour) before the burst. */
  steadySeconds: number;
  /** Seconds of 10× burst. */
  burstSeconds: number;
  /** Notifications posted straight to the relay to find what one instance processes per second. */
  throughputNotifications: number;
  seed?: number;
}

export interface RelayBenchResult {
  mode: string;
  agents: number;
  connected: number;
  negotiatePerSecond: number;
  relayRssPer1000: number;
  relayHeapPer1000: number;
  relayRssMb: number;
  steadyMessagesPerSecond: number;
  messagesSent: number;
  framesExpected: number;
  framesReceived: number;
  /** Frames a panel got a second time for the same message (the panel merges them away). */
  repeatedFrames: number;
  droppedDuplicates: number;
  delayP50: number;
  delayP95: number;
  delayMax: number;
  burstDelayP95: number;
  throughputPerSecond: number;
  relayGraphRequests: number;
  relayGraphRequestsPerAgentHour: number;
  droppedNoRecipient: number;
}

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
}

/** Progress on stderr: a 10,000-panel run takes minutes. */
const progress = (text: string) => process.stderr.write(`[relay bench] ${text}\n`);
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await wait(100);
  }
}

/** A child process speaking request/answer over IPC. */
function child(file: string, execArgv: string[] = []) {
  const proc: ChildProcess = fork(join(HERE, file), [], { execArgv: ["--import", "tsx", ...execArgv], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const waiting: { type: string; ok: (m: Record<string, unknown>) => void; fail: (e: Error) => void }[] = [];
  proc.on("message", (m: Record<string, unknown>) => {
    const i = waiting.findIndex((w) => w.type === m.type || m.type === "error");
    if (i < 0) return;
    const [w] = waiting.splice(i, 1);
    if (m.type === "error") w.fail(new Error(String(m.message)));
    else w.ok(m);
  });
  const next = (type: string) => new Promise<Record<string, unknown>>((ok, fail) => waiting.push({ type, ok, fail }));
  return {
    ready: next("ready"),
    ask: (msg: Record<string, unknown>, answer: string) => {
      const p = next(answer);
      proc.send(msg);
      return p;
    },
    kill: () => proc.kill("SIGKILL"),
  };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, "127.0.0.1", () => ok()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((ok) => s.close(() => ok()));
  return port;
}

/** N agents, each in a group chat of three and a one-on-one, as users of the simulated tenant. */
function populate(users: SimUser[], chats: SimChat[], agents: number, now: Date): { agents: SimUser[]; chats: SimChat[] } {
  const template = users[0];
  const made: SimUser[] = [];
  for (let i = 0; i < agents; i++) {
    const id = randomUUID();
    made.push({ ...template, id, displayName: `Agent ${i}`, givenName: "Agent", surname: String(i), userPrincipalName: `agent${i}@bench.example`, mail: `agent${i}@bench.example`, systemuserid: randomUUID(), photo: undefined, accountEnabled: true, isSupervisor: false });
  }
  users.push(...made);
  const at = now.toISOString();
  const member = (u: SimUser) => ({ membershipId: randomUUID(), userId: u.id, roles: ["owner"], visibleHistoryStartDateTime: "0001-01-01T00:00:00Z" });
  const newChats: SimChat[] = [];
  for (let i = 0; i + 2 < agents; i += 3) {
    newChats.push({ id: `19:bench-group-${i}@thread.v2`, chatType: "group", topic: `Case ${i}`, createdDateTime: at, lastUpdatedDateTime: at, members: [made[i], made[i + 1], made[i + 2]].map(member), messages: [], lastReadBy: {} });
  }
  for (let i = 0; i < agents / 2; i++) {
    const a = made[i];
    const b = made[i + Math.floor(agents / 2)];
    newChats.push({ id: `19:${a.id}_${b.id}@unq.gbl.spaces`, chatType: "oneOnOne", topic: null, createdDateTime: at, lastUpdatedDateTime: at, members: [a, b].map(member), messages: [], lastReadBy: {} });
  }
  chats.push(...newChats);
  return { agents: made, chats: newChats };
}

async function mapLimit<T, R>(items: T[], width: number, fn: (t: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

export async function runRelayBench(opts: RelayBenchOptions): Promise<RelayBenchResult> {
  const random = prng(opts.seed ?? 42);
  const sim = await createSimulator({ seed: "demo" });
  const simServer = createServer((req, res) => {
    void sim.handle(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  simServer.keepAliveTimeout = 5000;
  await new Promise<void>((ok) => simServer.listen(0, "127.0.0.1", () => ok()));
  const simOrigin = `http://127.0.0.1:${(simServer.address() as AddressInfo).port}`;
  const tenantId = sim.state.tenantId;
  const { agents, chats } = populate(sim.state.users, sim.state.chats, opts.agents, new Date());
  const chatsOf = new Map<string, SimChat[]>();
  for (const c of chats) for (const m of c.members) chatsOf.set(m.userId, [...(chatsOf.get(m.userId) ?? []), c]);

  const wps = await startWebPubSub({ hub: "chat" });
  const pems = await generate([{ name: "commonName", value: "relay bench" }], { keySize: 2048, algorithm: "sha256" });
  const port = await freePort();
  const relayUrl = `http://127.0.0.1:${port}`;
  const config: RelayConfig = {
    tenantId,
    clientId: DEMO_CLIENT_ID,
    clientSecret: DEMO_CLIENT_SECRET,
    publicUrl: relayUrl,
    mode: opts.mode,
    webPubSubConnectionString: wps.connectionString,
    webPubSubHub: wps.hub,
    notificationCertPem: pems.cert,
    notificationKeyPem: pems.private,
    notificationCertId: "bench-1",
    clientStateSecret: randomBytes(24).toString("base64url"),
    allowedOrigins: [ORIGIN],
    graphBaseUrl: `${simOrigin}/graph/v1.0`,
    loginBaseUrl: `${simOrigin}/__sim/login`,
    tokenIssuer: `${simOrigin}/__sim/login/${tenantId}/v2.0`,
    negotiateJwksUrl: `${simOrigin}/__sim/login/${tenantId}/discovery/v2.0/keys`,
    validationJwksUrl: `${simOrigin}/__sim/login/common/discovery/v2.0/keys`,
    graceMinutes: 15,
    port,
  };
  progress(`${opts.mode}: ${agents.length} agents, ${chats.length} chats`);
  const relay = child("relay-process.ts", ["--expose-gc"]);
  const clients = child("relay-clients.ts");
  try {
    await relay.ready;
    await relay.ask({ type: "start", config }, "started");
    wps.setEventHandlerUrl(`${relayUrl}/api/webpubsub/events`);
    if (opts.mode === "tenant") await until("the tenant subscription", () => sim.subscriptions.all().some((s) => s.resource === "/chats/getAllMessages"), 60_000);
    progress("relay started");
    const base = (await relay.ask({ type: "memory" }, "memory")) as { rss: number; heapUsed: number };

    // Every agent's panel negotiates with its own token, as the panel does.
    const t0 = Date.now();
    const urls = await mapLimit(agents, 32, async (u) => {
      const tok = await fetch(`${simOrigin}/__sim/token`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ user: u.id, scopes: [RELAY_SCOPE] }) });
      const { access_token } = (await tok.json()) as { access_token: string };
      const res = await fetch(`${relayUrl}/api/negotiate`, { method: "POST", headers: { Authorization: `Bearer ${access_token}`, Origin: ORIGIN } });
      if (!res.ok) throw new Error(`negotiate ${res.status} ${await res.text()}`);
      return ((await res.json()) as { url: string }).url;
    });
    const negotiateSeconds = (Date.now() - t0) / 1000;
    progress(`negotiated ${urls.length} in ${negotiateSeconds.toFixed(1)} s`);
    await clients.ready;
    await clients.ask({ type: "connect", urls }, "connected");
    await until("every panel counted as connected by the relay", async () => {
      const s = (await relay.ask({ type: "stats" }, "stats")).stats as { connections: { users: number } };
      return s.connections.users >= agents.length;
    }, 300_000);
    progress("panels connected");
    const connected = (await relay.ask({ type: "memory" }, "memory")) as { rss: number; heapUsed: number };

    // Tenant traffic: 20 messages per agent-hour in the agents' chats, then a 10× burst.
    const steadyRate = (agents.length * 20) / 3600;
    const sentAt = new Map<string, { at: number; members: number; burst: boolean }>();
    await fetch(`${simOrigin}/__sim/requests`, { method: "DELETE" });
    const send = async (burst: boolean) => {
      const chat = chats[Math.floor(random() * chats.length)];
      const from = chat.members[Math.floor(random() * chat.members.length)].userId;
      const at = Date.now();
      const res = await fetch(`${simOrigin}/__sim/send-as`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ user: from, chatId: chat.id, html: "<p>Any update on the case?</p>" }) });
      const { id } = (await res.json()) as { id: string };
      sentAt.set(`${chat.id}|${id}`, { at, members: chat.members.length, burst });
    };
    const phase = async (seconds: number, rate: number, burst: boolean) => {
      const start = Date.now();
      let sent = 0;
      const inFlight: Promise<void>[] = [];
      while (Date.now() - start < seconds * 1000) {
        const due = Math.floor(((Date.now() - start) / 1000) * rate);
        while (sent < due) {
          sent++;
          inFlight.push(send(burst));
        }
        await wait(10);
      }
      await Promise.all(inFlight);
    };
    const loadStart = Date.now();
    await phase(opts.steadySeconds, steadyRate, false);
    await phase(opts.burstSeconds, steadyRate * 10, true);
    const loadSeconds = (Date.now() - loadStart) / 1000;
    progress(`load sent: ${sentAt.size} messages in ${loadSeconds.toFixed(1)} s`);
    const expected = [...sentAt.values()].reduce((n, m) => n + m.members, 0);
    let report: { arrivals: [string, number[]][]; repeats: number } = { arrivals: [], repeats: 0 };
    const received = () => report.arrivals.filter(([id]) => sentAt.has(id)).reduce((n, [, t]) => n + t.length, 0);
    await until(
      "the frames of every message",
      async () => {
        report = (await clients.ask({ type: "report" }, "report")) as unknown as typeof report;
        return received() >= expected;
      },
      120_000,
    ).catch(() => undefined);
    const delays: number[] = [];
    const burstDelays: number[] = [];
    for (const [id, times] of report.arrivals) {
      const s = sentAt.get(id);
      if (!s) continue;
      for (const t of times) (s.burst ? burstDelays : delays).push(t - s.at);
    }
    const logEnd = (await (await fetch(`${simOrigin}/__sim/requests`)).json()) as { requests: { service: string }[] };
    const relayGraph = logEnd.requests.filter((r) => r.service === "graph").length;
    const afterLoad = (await relay.ask({ type: "stats" }, "stats")).stats as { stats: { decrypted: number; dropped: { noRecipient: number; duplicate: number } } };

    // What one instance processes at most: batches of 50 notifications posted straight to it, encrypted for its certificate.
    const sub = sim.subscriptions.all().find((s) => s.notificationUrl.startsWith(relayUrl) && s.resource.includes("getAllMessages"))!;
    const cert = new X509Certificate(Buffer.from(sub.encryptionCertificate!, "base64"));
    const thumb = cert.fingerprint.replace(/:/g, "");
    const mine = opts.mode === "tenant" ? undefined : sub.userId;
    const targets = mine ? chatsOf.get(mine) ?? [] : chats;
    const batches: string[] = [];
    for (let i = 0; i < opts.throughputNotifications; i += 50) {
      const value = Array.from({ length: Math.min(50, opts.throughputNotifications - i) }, (_, k) => {
        const chat = targets[(i + k) % targets.length];
        const id = `bench-${i + k}`;
        const message = { id, chatId: chat.id, messageType: "message", createdDateTime: new Date().toISOString(), lastModifiedDateTime: new Date().toISOString(), from: { user: { id: chat.members[0].userId } }, body: { contentType: "html", content: "<p>throughput</p>" } };
        return {
          subscriptionId: sub.id,
          clientState: sub.clientState,
          changeType: "created",
          resource: `chats('${chat.id}')/messages('${id}')`,
          subscriptionExpirationDateTime: sub.expirationDateTime,
          tenantId,
          resourceData: { id, "@odata.type": "#Microsoft.Graph.chatMessage", "@odata.id": `chats('${chat.id}')/messages('${id}')` },
          encryptedContent: encryptContent(JSON.stringify(message), cert.publicKey, sub.encryptionCertificateId!, thumb),
        };
      });
      batches.push(JSON.stringify({ value, validationTokens: [sim.entra.signValidationToken(tenantId, DEMO_CLIENT_ID)] }));
    }
    progress("frames collected; throughput run");
    const before = afterLoad.stats.decrypted;
    const t1 = Date.now();
    await mapLimit(batches, 4, async (body) => {
      const res = await fetch(`${relayUrl}/api/notifications`, { method: "POST", headers: { "Content-Type": "application/json" }, body });
      await res.text();
    });
    let last: unknown;
    await until(
      "the relay to process the posted notifications",
      async () => {
        last = (await relay.ask({ type: "stats" }, "stats")).stats;
        return (last as { stats: { decrypted: number } }).stats.decrypted >= before + opts.throughputNotifications;
      },
      Number(process.env.BENCH_RELAY_WAIT_MS ?? 300_000),
    ).catch((e: Error) => {
      throw new Error(`${e.message}; relay counters: ${JSON.stringify(last)}`);
    });
    const throughput = opts.throughputNotifications / ((Date.now() - t1) / 1000);
    const final = (await relay.ask({ type: "memory" }, "memory")) as { rss: number; heapUsed: number };

    return {
      mode: opts.mode,
      agents: opts.agents,
      connected: agents.length,
      negotiatePerSecond: agents.length / negotiateSeconds,
      relayRssPer1000: ((connected.rss - base.rss) / agents.length) * 1000,
      relayHeapPer1000: ((connected.heapUsed - base.heapUsed) / agents.length) * 1000,
      relayRssMb: final.rss / 2 ** 20,
      steadyMessagesPerSecond: steadyRate,
      messagesSent: sentAt.size,
      framesExpected: expected,
      framesReceived: received(),
      repeatedFrames: report.repeats,
      droppedDuplicates: afterLoad.stats.dropped.duplicate,
      delayP50: pct(delays, 50),
      delayP95: pct(delays, 95),
      delayMax: Math.max(...delays, ...burstDelays),
      burstDelayP95: pct(burstDelays, 95),
      throughputPerSecond: throughput,
      relayGraphRequests: relayGraph,
      relayGraphRequestsPerAgentHour: relayGraph / agents.length / (loadSeconds / 3600),
      droppedNoRecipient: afterLoad.stats.dropped.noRecipient,
    };
  } finally {
    clients.kill();
    relay.kill();
    await wps.close();
    await new Promise<void>((ok) => {
      simServer.close(() => ok());
      simServer.closeAllConnections();
    });
    await sim.close();
  }
}

export function formatRelayBench(rows: RelayBenchResult[]): string {
  const kb = (b: number) => `${(b / 1024).toFixed(0)} KB`;
  const lines = rows.map((r) =>
    [
      `${r.mode === "tenant" ? "tenant-wide" : "per user"}, ${r.agents.toLocaleString("en-US")} panels connected`,
      `    negotiations/s (token check + client URL${r.mode === "perUser" ? " + on-behalf-of + Graph subscription" : ""}): ${r.negotiatePerSecond.toFixed(0)}`,
      `    relay memory per 1,000 connected panels: ${kb(r.relayRssPer1000)} RSS, ${kb(r.relayHeapPer1000)} heap (relay RSS at the end ${r.relayRssMb.toFixed(0)} MB; the sockets live in Web PubSub)`,
      `    load: ${r.steadyMessagesPerSecond.toFixed(1)} messages/s (20 per agent-hour), then 10×; ${r.messagesSent} messages; panels that got each: ${r.framesReceived} of ${r.framesExpected}; repeats reaching a panel ${r.repeatedFrames}; Graph re-deliveries dropped by the relay ${r.droppedDuplicates}`,
      `    Graph accepted → panel has it: p50 ${r.delayP50.toFixed(0)} ms, p95 ${r.delayP95.toFixed(0)} ms; during the burst p95 ${r.burstDelayP95.toFixed(0)} ms; max ${r.delayMax.toFixed(0)} ms`,
      `    notifications one relay instance processes (checked, decrypted, fanned out): ${r.throughputPerSecond.toFixed(0)}/s`,
      `    Graph requests by the relay during the load: ${r.relayGraphRequests} (${r.relayGraphRequestsPerAgentHour.toFixed(2)} per agent-hour); the panels: 0 (no timer reads)`,
    ].join("\n"),
  );
  return ["Live-updates relay (real relay code; Web PubSub stand-in; Graph simulator delivering encrypted notifications)", ...lines].join("\n");
}
