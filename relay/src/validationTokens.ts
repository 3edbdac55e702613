import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from "jose";

/** The app id of Microsoft Graph's change-notification publisher (concepts/change-notifications-with-resource-data.md, "How to validate"). */
export const GRAPH_NOTIFICATION_PUBLISHER_APP_ID = "0bf30f3b-4a52-48df-9a82-234910c4a086";

export interface ValidationTokenOptions {
  tenantId: string;
  clientId: string;
  /** Signing keys; production uses a cached remote JWKS (`{loginBaseUrl}/common/discovery/v2.0/keys`). */
  keys: JWTVerifyGetKey;
  now?: () => number;
}

export type ValidationTokenVerifier = (tokens: unknown) => Promise<boolean>;

/** Keys cached by jose (refetched on an unknown kid, at most every 30 s; kept 10 minutes). */
export function remoteKeys(url: string): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(url), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
}

/**
 * Verifies every JWT of a notification POST's `validationTokens` (concepts/change-notifications-with-resource-data.md):
 * signed by the Microsoft identity platform's keys, not expired, issuer `https://sts.windows.net/{tenantId}/`,
 * audience = this app's client id, and `appid` (v1 tokens; `azp` in v2) = Graph's notification publisher.
 * Every token must pass; an empty or missing list fails.
 */
export function createValidationTokenVerifier(options: ValidationTokenOptions): ValidationTokenVerifier {
  const issuer = `https://sts.windows.net/${options.tenantId}/`;
  return async (tokens) => {
    if (!Array.isArray(tokens) || tokens.length === 0) return false;
    for (const token of tokens) {
      if (typeof token !== "string") return false;
      try {
        const { payload } = await jwtVerify(token, options.keys, {
          algorithms: ["RS256"],
          issuer,
          audience: options.clientId,
          requiredClaims: ["exp"],
          clockTolerance: 60,
          currentDate: options.now ? new Date(options.now()) : undefined,
        });
        const publisher = payload.appid ?? payload.azp;
        if (publisher !== GRAPH_NOTIFICATION_PUBLISHER_APP_ID) return false;
      } catch {
        return false;
      }
    }
    return true;
  };
}
