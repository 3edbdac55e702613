/** The host-supplied token provider: tokens come from the simulator for the current demo user. */

export interface TokenProvider {
  getToken(scopes: string[], options?: { forceRefresh?: boolean }): Promise<string>;
}

interface Cached {
  token: string;
  expiresAt: number;
}

/** Renew this long before expiry so a token never expires in flight. */
const MARGIN_MS = 60_000;

function expiryMs(value: unknown): number {
  if (typeof value === "number") return value < 1e12 ? value * 1000 : value;
  if (typeof value === "string") {
    if (/^\d+$/.test(value)) return expiryMs(Number(value));
    const parsed = Date.parse(value);
    if (!Number.isNaN(parsed)) return parsed;
  }
  return Date.now() + 5 * 60_000;
}

export function createTokenProvider(userId: string, onRequest?: (scopes: string[]) => void): TokenProvider {
  const cache = new Map<string, Cached>();
  const inFlight = new Map<string, Promise<string>>();
  return {
    getToken(scopes, options) {
      const key = [...scopes].sort().join(" ");
      const cached = cache.get(key);
      if (!options?.forceRefresh && cached && cached.expiresAt - MARGIN_MS > Date.now()) return Promise.resolve(cached.token);
      const pending = inFlight.get(key);
      if (pending && !options?.forceRefresh) return pending;
      onRequest?.(scopes);
      const request = fetch("/__sim/token", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ user: userId, scopes }),
      })
        .then(async (response) => {
          if (!response.ok) throw new Error(`Token request failed: HTTP ${response.status} ${await response.text()}`);
          const body = (await response.json()) as { access_token: string; expires_on: unknown };
          cache.set(key, { token: body.access_token, expiresAt: expiryMs(body.expires_on) });
          return body.access_token;
        })
        .finally(() => inFlight.delete(key));
      inFlight.set(key, request);
      return request;
    },
  };
}
