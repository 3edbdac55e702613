/**
 * HS256 JWTs the simulator issues to itself. The secret lives only in this
 * process, so a token from a previous run fails validation like a stale real one.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { base64url, fromBase64url } from "./util";

export const GRAPH_AUDIENCE = "https://graph.microsoft.com";

export interface TokenClaims {
  aud: string;
  iss: string;
  oid: string;
  tid: string;
  upn: string;
  name: string;
  scp: string;
  iat: number;
  nbf: number;
  exp: number;
  ver: string;
  appid: string;
}

export type VerifyResult =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: "empty" | "malformed" | "signature" | "expired" | "audience" | "notyet" };

export class TokenService {
  private readonly secret = randomBytes(32);

  sign(claims: TokenClaims): string {
    const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
    const payload = base64url(JSON.stringify(claims));
    const sig = base64url(createHmac("sha256", this.secret).update(`${header}.${payload}`).digest());
    return `${header}.${payload}.${sig}`;
  }

  verify(token: string | undefined, nowSeconds: number): VerifyResult {
    if (!token) return { ok: false, reason: "empty" };
    const parts = token.split(".");
    if (parts.length !== 3) return { ok: false, reason: "malformed" };
    let header: { alg?: string };
    let claims: TokenClaims;
    try {
      header = JSON.parse(fromBase64url(parts[0]).toString("utf8"));
      claims = JSON.parse(fromBase64url(parts[1]).toString("utf8"));
    } catch {
      return { ok: false, reason: "malformed" };
    }
    if (header.alg !== "HS256") return { ok: false, reason: "signature" };
    const expected = createHmac("sha256", this.secret).update(`${parts[0]}.${parts[1]}`).digest();
    const given = fromBase64url(parts[2]);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "signature" };
    if (claims.aud !== GRAPH_AUDIENCE && claims.aud !== "00000003-0000-0000-c000-000000000000") {
      return { ok: false, reason: "audience" };
    }
    if (typeof claims.exp !== "number" || claims.exp <= nowSeconds) return { ok: false, reason: "expired" };
    if (typeof claims.nbf === "number" && claims.nbf > nowSeconds + 300) return { ok: false, reason: "notyet" };
    return { ok: true, claims };
  }
}

/** Messages Graph returns for each failure (seen in real responses). */
export function invalidTokenMessage(reason: Exclude<VerifyResult, { ok: true }>["reason"]): string {
  switch (reason) {
    case "empty":
      return "Access token is empty.";
    case "malformed":
      return "IDX14100: JWT is not well formed, there are no dots (.).";
    case "expired":
      return "Lifetime validation failed, the token is expired.";
    case "audience":
      return "Access token validation failure. Invalid audience.";
    case "notyet":
      return "Lifetime validation failed, the token is not yet valid.";
    default:
      return "Access token validation failure.";
  }
}
