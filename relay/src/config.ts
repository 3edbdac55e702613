import { readFileSync } from "node:fs";

export type RelayMode = "perUser" | "tenant";

/** Everything the relay needs; build it with {@link loadConfig} or directly (tests, local harness). */
export interface RelayConfig {
  tenantId: string;
  /** The panel's app registration; it also exposes the relay's API `api://{clientId}/access_as_user`. */
  clientId: string;
  clientSecret: string;
  /** https base URL Graph posts notifications to (no trailing slash). */
  publicUrl: string;
  mode: RelayMode;
  webPubSubConnectionString: string;
  webPubSubHub: string;
  notificationCertPem: string;
  notificationKeyPem: string;
  notificationCertId: string;
  /** Sent to Graph as each subscription's `clientState` (at most 128 characters) and compared on every notification. */
  clientStateSecret: string;
  /** Exact origins or origins with `*` in the host, e.g. `https://*.crm.dynamics.com`. */
  allowedOrigins: string[];
  graphBaseUrl: string;
  loginBaseUrl: string;
  /** Issuer of the panel's tokens; default `{loginBaseUrl}/{tenantId}/v2.0`. */
  tokenIssuer: string;
  /** Keys of the panel's tokens; default `{loginBaseUrl}/{tenantId}/discovery/v2.0/keys`. */
  negotiateJwksUrl: string;
  /** Keys of Graph's validation tokens; default `{loginBaseUrl}/common/discovery/v2.0/keys`. */
  validationJwksUrl: string;
  /** Minutes a per-user subscription is kept after the user's last panel disconnects. */
  graceMinutes: number;
  port: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid relay configuration:\n- ${problems.join("\n- ")}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

/** Reads and validates the relay's configuration; every problem names its variable. */
export function loadConfig(env: Env = process.env): RelayConfig {
  const problems: string[] = [];
  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) problems.push(`${name} is required`);
    return value ?? "";
  };
  const optional = (name: string, fallback: string): string => env[name]?.trim() || fallback;
  const url = (name: string, value: string, httpsOnly: boolean): string => {
    if (!value) return value;
    try {
      const parsed = new URL(value);
      if (httpsOnly ? parsed.protocol !== "https:" : !/^https?:$/.test(parsed.protocol)) {
        problems.push(`${name} must be an ${httpsOnly ? "https" : "http(s)"} URL`);
      }
    } catch {
      problems.push(`${name} is not a URL`);
    }
    return trimSlash(value);
  };
  const pemOrPath = (name: string): string => {
    const inline = env[name]?.trim();
    const path = env[`${name}_PATH`]?.trim();
    if (inline) return inline.replace(/\\n/g, "\n");
    if (path) {
      try {
        return readFileSync(path, "utf8");
      } catch {
        problems.push(`${name}_PATH (${path}) can't be read`);
        return "";
      }
    }
    problems.push(`${name} or ${name}_PATH is required`);
    return "";
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };

  const tenantId = required("TENANT_ID");
  if (tenantId && !GUID.test(tenantId)) problems.push("TENANT_ID must be a GUID");
  const clientId = required("CLIENT_ID");
  if (clientId && !GUID.test(clientId)) problems.push("CLIENT_ID must be a GUID");
  const clientSecret = required("CLIENT_SECRET");
  const publicUrl = url("PUBLIC_URL", required("PUBLIC_URL"), false);
  const modeRaw = optional("MODE", "perUser");
  if (modeRaw !== "perUser" && modeRaw !== "tenant") problems.push("MODE must be perUser or tenant");
  const mode: RelayMode = modeRaw === "tenant" ? "tenant" : "perUser";
  const webPubSubConnectionString = required("WEBPUBSUB_CONNECTION_STRING");
  if (webPubSubConnectionString && !/endpoint=/i.test(webPubSubConnectionString)) {
    problems.push("WEBPUBSUB_CONNECTION_STRING has no Endpoint=");
  }
  if (webPubSubConnectionString && !/accesskey=/i.test(webPubSubConnectionString)) {
    problems.push("WEBPUBSUB_CONNECTION_STRING has no AccessKey= (the relay verifies event signatures with it)");
  }
  const webPubSubHub = optional("WEBPUBSUB_HUB", "chat");
  if (!/^[A-Za-z][A-Za-z0-9_`,.[\]]{0,127}$/.test(webPubSubHub)) problems.push("WEBPUBSUB_HUB is not a valid hub name");
  const notificationCertPem = pemOrPath("NOTIFICATION_CERT_PEM");
  const notificationKeyPem = pemOrPath("NOTIFICATION_KEY_PEM");
  const notificationCertId = required("NOTIFICATION_CERT_ID");
  if (notificationCertId.length > 128) problems.push("NOTIFICATION_CERT_ID must be at most 128 characters");
  const clientStateSecret = required("CLIENT_STATE_SECRET");
  // subscription.md: clientState is at most 128 characters.
  if (clientStateSecret && (clientStateSecret.length < 16 || clientStateSecret.length > 128)) {
    problems.push("CLIENT_STATE_SECRET must be 16 to 128 characters");
  }
  const allowedOrigins = (env.ALLOWED_ORIGINS ?? "")
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean)
    .map(trimSlash);
  if (allowedOrigins.length === 0) problems.push("ALLOWED_ORIGINS is required (comma-separated origins)");
  for (const origin of allowedOrigins) {
    if (!/^https?:\/\/[A-Za-z0-9*.-]+(:\d+)?$/.test(origin)) problems.push(`ALLOWED_ORIGINS entry ${origin} is not an origin`);
  }
  const graphBaseUrl = url("GRAPH_BASE_URL", optional("GRAPH_BASE_URL", "https://graph.microsoft.com/v1.0"), false);
  const loginBaseUrl = url("LOGIN_BASE_URL", optional("LOGIN_BASE_URL", "https://login.microsoftonline.com"), false);
  const tokenIssuer = optional("TOKEN_ISSUER", `${loginBaseUrl}/${tenantId}/v2.0`);
  const negotiateJwksUrl = url(
    "NEGOTIATE_JWKS_URL",
    optional("NEGOTIATE_JWKS_URL", `${loginBaseUrl}/${tenantId}/discovery/v2.0/keys`),
    false,
  );
  const validationJwksUrl = url(
    "VALIDATION_JWKS_URL",
    optional("VALIDATION_JWKS_URL", `${loginBaseUrl}/common/discovery/v2.0/keys`),
    false,
  );
  const graceMinutes = int("GRACE_MINUTES", 15, 0, 24 * 60);
  const port = int("PORT", 8080, 0, 65535);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    tenantId,
    clientId,
    clientSecret,
    publicUrl,
    mode,
    webPubSubConnectionString,
    webPubSubHub,
    notificationCertPem,
    notificationKeyPem,
    notificationCertId,
    clientStateSecret,
    allowedOrigins,
    graphBaseUrl,
    loginBaseUrl,
    tokenIssuer,
    negotiateJwksUrl,
    validationJwksUrl,
    graceMinutes,
    port,
  };
}

/** True when `origin` matches one of the configured origins (`*` stands for exactly one host label). */
export function originAllowed(origin: string, allowed: readonly string[]): boolean {
  return allowed.some((pattern) => {
    if (pattern === origin) return true;
    if (!pattern.includes("*")) return false;
    const re = new RegExp(
      "^" + pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, "\\$&")).join("[A-Za-z0-9-]+") + "$",
      "i",
    );
    return re.test(origin);
  });
}
