/**
 * Access tokens Graph accepts: HS256 JWTs the simulator issues to itself (the harness's direct
 * mode; the secret lives only in this process, so a token from a previous run fails like a stale
 * real one), and RS256 JWTs from a trusted OpenID Connect provider (the harness's sign-in),
 * verified against the provider's JWKS, issuer, audience and lifetime like Graph does.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
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
  /** Application permissions of an app-only token (client credentials); such a token has no scp. */
  roles?: string[];
  /** "app" on app-only tokens (the optional idtyp claim Entra ID adds to them). */
  idtyp?: string;
}

/** An app-only token: roles and no scp (access-token-claims-reference: scp is absent from app tokens). */
export function isAppToken(c: TokenClaims): boolean {
  return !c.scp && Array.isArray(c.roles);
}

export type VerifyResult =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: "empty" | "malformed" | "signature" | "expired" | "audience" | "notyet" | "issuer" };

export interface TrustedIssuer {
  issuer: string;
  jwks: JSONWebKeySet;
}

export class TokenService {
  private readonly secret = randomBytes(32);
  private readonly issuers = new Map<string, ReturnType<typeof createLocalJWKSet>>();
  /** Tokens issued before this (seconds) count as expired: how tests make a session's token lapse mid-use. */
  private expiredBefore = 0;

  trust(issuer: TrustedIssuer): void {
    this.issuers.set(issuer.issuer, createLocalJWKSet(issuer.jwks));
  }

  expireIssuedBefore(seconds: number): void {
    this.expiredBefore = seconds;
  }

  /** Verifies either kind of token. */
  async verifyAny(token: string | undefined, nowSeconds: number): Promise<VerifyResult> {
    if (!token) return { ok: false, reason: "empty" };
    const parts = token.split(".");
    if (parts.length !== 3) return { ok: false, reason: "malformed" };
    let header: { alg?: string };
    try {
      header = JSON.parse(fromBase64url(parts[0]).toString("utf8"));
    } catch {
      return { ok: false, reason: "malformed" };
    }
    const result = header.alg === "HS256" ? this.verify(token, nowSeconds) : await this.verifySigned(token, nowSeconds);
    if (result.ok && result.claims.iat < this.expiredBefore) return { ok: false, reason: "expired" };
    return result;
  }

  private async verifySigned(token: string, nowSeconds: number): Promise<VerifyResult> {
    let iss: unknown;
    try {
      iss = JSON.parse(fromBase64url(token.split(".")[1]).toString("utf8")).iss;
    } catch {
      return { ok: false, reason: "malformed" };
    }
    const keys = typeof iss === "string" ? this.issuers.get(iss) : undefined;
    if (!keys) return { ok: false, reason: "issuer" };
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: iss as string,
        audience: [GRAPH_AUDIENCE, "00000003-0000-0000-c000-000000000000"],
        algorithms: ["RS256"],
        currentDate: new Date(nowSeconds * 1000),
        clockTolerance: 300,
      });
      const claims: TokenClaims = {
        aud: GRAPH_AUDIENCE,
        iss: String(payload.iss),
        oid: String(payload.oid ?? payload.sub ?? ""),
        tid: String(payload.tid ?? ""),
        upn: String(payload.upn ?? ""),
        name: String(payload.name ?? ""),
        scp: String(payload.scp ?? payload.scope ?? ""),
        iat: Number(payload.iat ?? 0),
        nbf: Number(payload.nbf ?? payload.iat ?? 0),
        exp: Number(payload.exp ?? 0),
        ver: "2.0",
        appid: String(payload.appid ?? payload.azp ?? payload.client_id ?? ""),
        ...(Array.isArray(payload.roles) ? { roles: payload.roles.map(String) } : {}),
      };
      return { ok: true, claims };
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === "ERR_JWT_EXPIRED") return { ok: false, reason: "expired" };
      if (code === "ERR_JWT_CLAIM_VALIDATION_FAILED") {
        const claim = (e as { claim?: string }).claim;
        if (claim === "aud") return { ok: false, reason: "audience" };
        if (claim === "nbf" || claim === "iat") return { ok: false, reason: "notyet" };
        if (claim === "iss") return { ok: false, reason: "issuer" };
      }
      return { ok: false, reason: "signature" };
    }
  }

  /** Verifies an RS256 token from a trusted issuer for another audience (the relay API's OBO assertion). */
  async verifyTrustedFor(token: string, audiences: string[], nowSeconds: number): Promise<{ ok: true; payload: Record<string, unknown> } | { ok: false; reason: string }> {
    let iss: unknown;
    try {
      iss = JSON.parse(fromBase64url(token.split(".")[1] ?? "").toString("utf8")).iss;
    } catch {
      return { ok: false, reason: "malformed" };
    }
    const keys = typeof iss === "string" ? this.issuers.get(iss) : undefined;
    if (!keys) return { ok: false, reason: "issuer" };
    try {
      const { payload } = await jwtVerify(token, keys, { issuer: iss as string, audience: audiences, algorithms: ["RS256"], currentDate: new Date(nowSeconds * 1000), clockTolerance: 300 });
      return { ok: true, payload: payload as Record<string, unknown> };
    } catch (e) {
      const code = (e as { code?: string }).code;
      return { ok: false, reason: code === "ERR_JWT_EXPIRED" ? "expired" : code === "ERR_JWT_CLAIM_VALIDATION_FAILED" ? String((e as { claim?: string }).claim) : "signature" };
    }
  }

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
    case "issuer":
      return "Access token validation failure. Invalid issuer.";
    default:
      return "Access token validation failure.";
  }
}
