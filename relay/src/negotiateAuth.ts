import { errors, jwtVerify, type JWTVerifyGetKey } from "jose";

export interface NegotiateAuthOptions {
  tenantId: string;
  clientId: string;
  /** `{loginBaseUrl}/{tenantId}/v2.0` unless overridden. */
  issuer: string;
  keys: JWTVerifyGetKey;
  now?: () => number;
  /** Seconds of clock skew accepted on exp/nbf (PROTOCOL.md §1: 5 minutes). */
  clockToleranceSeconds?: number;
}

export type NegotiateRefusal =
  | "missingToken"
  | "malformed"
  | "algorithm"
  | "signature"
  | "expired"
  | "notYetValid"
  | "issuer"
  | "audience"
  | "tenant"
  | "scope"
  | "noUser";

export type NegotiateAuthResult =
  | { ok: true; userId: string; token: string; expiresAt: number }
  | { ok: false; reason: NegotiateRefusal; message: string };

export const RELAY_SCOPE = "access_as_user";

function refuse(reason: NegotiateRefusal, message: string): NegotiateAuthResult {
  return { ok: false, reason, message };
}

/**
 * Validates the panel's bearer token (PROTOCOL.md §1): RS256 against the tenant's keys, issuer, audience
 * `api://{clientId}` or `{clientId}`, exp/nbf with skew, `tid`, `scp` containing `access_as_user`. The user is `oid`.
 */
export function createNegotiateAuth(options: NegotiateAuthOptions) {
  const tolerance = options.clockToleranceSeconds ?? 300;
  return async function authenticate(authorization: string | undefined): Promise<NegotiateAuthResult> {
    const match = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)\s*$/i.exec(authorization ?? "");
    if (!authorization) return refuse("missingToken", "Authorization: Bearer token required");
    if (!match) return refuse("malformed", "Authorization header is not a bearer JWT");
    const token = match[1];
    try {
      const { payload } = await jwtVerify(token, options.keys, {
        algorithms: ["RS256"],
        issuer: options.issuer,
        audience: [`api://${options.clientId}`, options.clientId],
        requiredClaims: ["exp", "oid", "tid"],
        clockTolerance: tolerance,
        currentDate: options.now ? new Date(options.now()) : undefined,
      });
      if (payload.tid !== options.tenantId) return refuse("tenant", "token is from another tenant");
      const scopes = typeof payload.scp === "string" ? payload.scp.split(" ") : [];
      if (!scopes.includes(RELAY_SCOPE)) return refuse("scope", `token lacks the ${RELAY_SCOPE} scope`);
      if (typeof payload.oid !== "string" || payload.oid === "") return refuse("noUser", "token has no oid");
      return { ok: true, userId: payload.oid, token, expiresAt: (payload.exp ?? 0) * 1000 };
    } catch (error) {
      if (error instanceof errors.JWTExpired) return refuse("expired", "token expired");
      if (error instanceof errors.JWTClaimValidationFailed) {
        if (error.claim === "iss") return refuse("issuer", "token issuer is not the tenant's");
        if (error.claim === "aud") return refuse("audience", "token is not for the relay's API");
        if (error.claim === "nbf") return refuse("notYetValid", "token not yet valid");
        if (error.claim === "tid" || error.claim === "oid") {
          return refuse(error.claim === "tid" ? "tenant" : "noUser", `token has no ${error.claim}`);
        }
        return refuse("malformed", `token claim ${error.claim} is invalid`);
      }
      if (error instanceof errors.JOSEAlgNotAllowed) return refuse("algorithm", "only RS256 tokens are accepted");
      if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) {
        return refuse("signature", "token signature is not valid");
      }
      return refuse("malformed", "token can't be verified");
    }
  };
}

export type NegotiateAuthenticator = ReturnType<typeof createNegotiateAuth>;
