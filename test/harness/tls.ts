/**
 * A certificate for the harness's https origin on loopback, generated at start-up: MSAL refuses
 * any sign-in authority that is not https, and the local provider shares the page's origin.
 * `npm start` keeps it in .sim-data so the browser's one-time exception stays valid; tests make a
 * fresh one and tell Chromium to trust exactly this key (--ignore-certificate-errors-spki-list).
 */
import { createHash, X509Certificate } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { generate } from "selfsigned";

export interface LoopbackCertificate {
  key: string;
  cert: string;
  /** base64 SHA-256 of the certificate's public key (SubjectPublicKeyInfo), as Chromium's flag wants it. */
  spki: string;
}

function spkiOf(cert: string): string {
  const der = new X509Certificate(cert).publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(der).digest("base64");
}

async function fresh(): Promise<LoopbackCertificate> {
  const now = new Date();
  const pems = await generate([{ name: "commonName", value: "TeamsChatPanel harness (loopback)" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate: new Date(now.getTime() - 24 * 3600_000),
    notAfterDate: new Date(now.getTime() + 365 * 24 * 3600_000),
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert, spki: spkiOf(pems.cert) };
}

/** Reuses the certificate in `file` while it is valid for at least a day; otherwise makes and saves a new one. */
export async function loopbackCertificate(file?: string): Promise<LoopbackCertificate> {
  if (file && existsSync(file)) {
    try {
      const saved = JSON.parse(readFileSync(file, "utf8")) as { key: string; cert: string };
      const validTo = Date.parse(new X509Certificate(saved.cert).validTo);
      if (validTo - Date.now() > 24 * 3600_000) return { ...saved, spki: spkiOf(saved.cert) };
    } catch {
      // Unreadable: replace it.
    }
  }
  const made = await fresh();
  if (file) writeFileSync(file, JSON.stringify({ key: made.key, cert: made.cert }), { mode: 0o600 });
  return made;
}
