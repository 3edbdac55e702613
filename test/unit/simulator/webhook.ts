/**
 * Test helpers for change notifications: a local webhook that answers Graph's validation
 * handshake (or refuses it), records what arrives and lets a test wait for it; the subscriber's
 * certificate; and decryption of encryptedContent done the way the Graph docs describe
 * (change-notifications-with-resource-data.md), independently of the simulator's code.
 */
import { createDecipheriv, createHmac, privateDecrypt, constants } from "node:crypto";
import * as http from "node:http";
import { generate } from "selfsigned";

export type HandshakeMode = "echo" | "wrong" | "error" | "silent";

export interface Received {
  path: string;
  body: Record<string, unknown>;
}

export interface Webhook {
  url: string;
  /** What the validation handshake gets. */
  mode: HandshakeMode;
  /** Status notifications get (202 unless a test wants failures). */
  status: number;
  validations: string[];
  received: Received[];
  /** Resolves with the n-th (1-based) notification POST at `path`. */
  waitFor(pred: (r: Received) => boolean, timeoutMs?: number): Promise<Received>;
  close(): Promise<void>;
}

export async function startWebhook(): Promise<Webhook> {
  const waiters: { pred: (r: Received) => boolean; resolve: (r: Received) => void }[] = [];
  const hook: Webhook = {
    url: "",
    mode: "echo",
    status: 202,
    validations: [],
    received: [],
    waitFor(pred, timeoutMs = 5000) {
      const hit = hook.received.find(pred);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const w = { pred, resolve };
        waiters.push(w);
        setTimeout(() => {
          const i = waiters.indexOf(w);
          if (i >= 0) {
            waiters.splice(i, 1);
            reject(new Error(`no matching notification within ${timeoutMs} ms; got ${JSON.stringify(hook.received.map((r) => r.path))}`));
          }
        }, timeoutMs);
      });
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      const token = url.searchParams.get("validationToken");
      if (token !== null) {
        hook.validations.push(url.pathname);
        if (hook.mode === "silent") return; // never answers
        if (hook.mode === "error") {
          res.writeHead(500).end();
          return;
        }
        res.writeHead(200, { "Content-Type": "text/plain" }).end(hook.mode === "echo" ? token : "not the token");
        return;
      }
      const r: Received = { path: url.pathname, body: JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") };
      res.writeHead(hook.status).end();
      if (hook.status >= 300) return;
      hook.received.push(r);
      for (const w of waiters.slice()) {
        if (w.pred(r)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(r);
        }
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const addr = server.address() as { port: number };
  hook.url = `http://127.0.0.1:${addr.port}`;
  return hook;
}

export interface Cert {
  /** Base64 DER, what encryptionCertificate takes. */
  base64: string;
  privateKeyPem: string;
}

export async function makeCert(keySize = 2048): Promise<Cert> {
  const pems = await generate([{ name: "commonName", value: "relay-notifications" }], { keySize, algorithm: "sha256" });
  const base64 = pems.cert.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s+/g, "");
  return { base64, privateKeyPem: pems.private };
}

/** Decrypts one notification's encryptedContent per the docs: RSA-OAEP key, HMAC check, AES-256-CBC with IV = key[0..16). */
export function decrypt(enc: { data: string; dataKey: string; dataSignature: string }, privateKeyPem: string): unknown {
  const key = privateDecrypt({ key: privateKeyPem, padding: constants.RSA_PKCS1_OAEP_PADDING }, Buffer.from(enc.dataKey, "base64"));
  const sig = createHmac("sha256", key).update(Buffer.from(enc.data, "base64")).digest("base64");
  if (sig !== enc.dataSignature) throw new Error("dataSignature mismatch");
  const decipher = createDecipheriv("aes-256-cbc", key, key.subarray(0, 16));
  const text = decipher.update(enc.data, "base64", "utf8") + decipher.final("utf8");
  return JSON.parse(text);
}
