/**
 * Small helpers shared by the simulator modules: HTTP plumbing, a seeded PRNG,
 * id formats. Nothing here knows about Graph or Dataverse rules.
 */
import type * as http from "node:http";
import { randomUUID } from "node:crypto";

/** The shape every route handler returns, so $batch can reuse handlers without a socket. */
export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /** JSON-serialisable value, a Buffer (binary), or undefined (no body). */
  body?: unknown;
  /** Sub-requests of a $batch, recorded on the batch's request-log entry (never sent to the client). */
  batchLog?: { id: string; method: string; path: string; status: number }[];
}

export interface SimRequest {
  method: string;
  /** Path below the service root, e.g. "/me/chats" (Graph) or "/incidents" (Dataverse); segments still encoded. */
  path: string;
  query: URLSearchParams;
  /** The raw query string without "?" (kept for nextLinks and the request log). */
  rawQuery: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: unknown;
  /** Raw body text (for error reporting). */
  bodyText: string;
  /** Raw request bytes (binary uploads). */
  raw?: Buffer;
  /** e.g. "http://127.0.0.1:8182" taken from the Host header. */
  origin: string;
}

export function headerValue(v: string | string[] | undefined): string | undefined {
  if (Array.isArray(v)) return v.join(", ");
  return v;
}

export function lowerHeaders(req: http.IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    const val = headerValue(v);
    if (val !== undefined) out[k.toLowerCase()] = val;
  }
  return out;
}

export function originOf(req: http.IncomingMessage): string {
  // A host server may serve us over TLS (MSAL needs https); keep the scheme the client used.
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  const host = headerValue(req.headers.host) ?? "127.0.0.1";
  return `${encrypted ? "https" : "http"}://${host}`;
}

/** OneDrive's simple upload takes up to 250 MB; nothing else comes close. */
export const MAX_BODY = 250 * 1024 * 1024;

export function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error("body too large"));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export function writeResponse(res: http.ServerResponse, r: SimResponse, extraHeaders: Record<string, string> = {}): void {
  const headers: Record<string, string> = { ...extraHeaders, ...(r.headers ?? {}) };
  let payload: Buffer | undefined;
  if (Buffer.isBuffer(r.body)) {
    payload = r.body;
  } else if (r.body !== undefined) {
    payload = Buffer.from(JSON.stringify(r.body), "utf8");
    if (!Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) {
      headers["Content-Type"] = "application/json; charset=utf-8";
    }
  }
  if (payload) headers["Content-Length"] = String(payload.length);
  res.writeHead(r.status, headers);
  res.end(payload);
}

export function newRequestId(): string {
  return randomUUID();
}

/** Deterministic PRNG (mulberry32) so demo data is identical on every seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function hexFrom(rand: () => number, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += Math.floor(rand() * 16).toString(16);
  return s;
}

/** A v4-shaped GUID drawn from the given PRNG. */
export function guidFrom(rand: () => number): string {
  const h = hexFrom(rand, 32).split("");
  h[12] = "4";
  h[16] = "89ab"[Math.floor(rand() * 4)];
  const s = h.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

export const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)];
}

export function iso(d: Date | number): string {
  return new Date(d).toISOString();
}

export function base64url(buf: Buffer | string): string {
  return Buffer.from(buf).toString("base64").replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
}

export function fromBase64url(s: string): Buffer {
  return Buffer.from(s.replace(/-/g, "+").replace(/_/g, "/"), "base64");
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(";")) {
    const i = part.indexOf("=");
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    const v = part.slice(i + 1).trim();
    try {
      out[k] = decodeURIComponent(v);
    } catch {
      out[k] = v;
    }
  }
  return out;
}

export function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
