/**
 * Where the panel signs in: client id and tenant id from the solution's environment variables,
 * each overridable per form, plus the authority host and the redirect page. Every problem is
 * named precisely so an admin knows which setting to fix and where.
 */
import type { ConfigProblem } from "../../domain/auth";
import { isGuid } from "../../domain/ids";

export type { ConfigProblem, ConfigSetting } from "../../domain/auth";

export const ENV_CLIENT_ID = "tcp_TeamsChatPanelClientId";
export const ENV_TENANT_ID = "tcp_TeamsChatPanelTenantId";
export const DEFAULT_AUTHORITY_HOST = "https://login.microsoftonline.com";
/**
 * The HTML web resource shipped in the solution; Dataverse serves web resources under /WebResources/.
 * It is a sign-in redirect URI registered in Entra, never loaded by the panel: it must be absolute.
 */
// eslint-disable-next-line @microsoft/power-apps/use-cached-webresource
export const DEFAULT_REDIRECT_PATH = "/WebResources/tcp_/auth/redirect.html";

/** Microsoft Entra sign-in hosts (public and national clouds): everything else is a plain OpenID Connect provider. */
const ENTRA_HOSTS = new Set(["login.microsoftonline.com", "login.microsoftonline.us", "login.partner.microsoftonline.cn", "login.microsoftonline.de"]);

export interface SignInConfig {
  clientId: string;
  tenantId: string;
  /** https://<host>/<tenant> */
  authority: string;
  /** true for Microsoft Entra ID; false for another OpenID Connect provider (MSAL's OIDC protocol mode). */
  entra: boolean;
  /** "host[:port]" of the authority, trusted by MSAL when it is not Entra. */
  authorityHostName: string;
  redirectUri: string;
}

export interface ConfigInputs {
  /** Per-form overrides (manifest properties); blank means "use the environment variable". */
  clientId?: string | null;
  tenantId?: string | null;
  authorityHost?: string | null;
  redirectPath?: string | null;
  /** Values of the environment variables (current value, else default). */
  env: { clientId?: string | null; tenantId?: string | null };
  /** The app's origin, e.g. https://contoso.crm.dynamics.com */
  origin: string;
}

/** A tenant is its directory id or one of its domain names (contoso.onmicrosoft.com). */
const DOMAIN = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

function clean(value: string | null | undefined): string {
  return (value ?? "").trim().replace(/^\{(.*)\}$/, "$1");
}

export function resolveSignInConfig(inputs: ConfigInputs): { ok: true; config: SignInConfig } | { ok: false; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const clientId = clean(inputs.clientId) || clean(inputs.env.clientId);
  const tenantId = clean(inputs.tenantId) || clean(inputs.env.tenantId);
  if (!clientId) problems.push({ setting: "clientId", issue: "missing" });
  else if (!isGuid(clientId)) problems.push({ setting: "clientId", issue: "invalid", value: clientId });
  if (!tenantId) problems.push({ setting: "tenantId", issue: "missing" });
  else if (!isGuid(tenantId) && !DOMAIN.test(tenantId)) problems.push({ setting: "tenantId", issue: "invalid", value: tenantId });

  const hostText = (inputs.authorityHost ?? "").trim() || DEFAULT_AUTHORITY_HOST;
  let host: URL | undefined;
  try {
    host = new URL(hostText);
  } catch {
    host = undefined;
  }
  // MSAL refuses any authority that is not https.
  if (!host || host.protocol !== "https:" || host.search || host.hash) {
    problems.push({ setting: "authorityHost", issue: "invalid", value: hostText });
    host = undefined;
  }

  const path = (inputs.redirectPath ?? "").trim() || DEFAULT_REDIRECT_PATH;
  if (!path.startsWith("/") || path.startsWith("//") || /[\s?#]/.test(path)) problems.push({ setting: "redirectPath", issue: "invalid", value: path });

  if (problems.length || !host) return { ok: false, problems };
  const base = `${host.origin}${host.pathname.replace(/\/+$/, "")}`;
  return {
    ok: true,
    config: {
      clientId: clientId.toLowerCase(),
      tenantId,
      authority: `${base}/${tenantId}`,
      entra: ENTRA_HOSTS.has(host.hostname.toLowerCase()),
      authorityHostName: host.host,
      redirectUri: `${inputs.origin.replace(/\/+$/, "")}${path}`,
    },
  };
}

/** Entra's admin consent page for exactly these Graph scopes (v2 endpoint, the app's own redirect page). */
export function adminConsentUrl(config: SignInConfig, scopes: readonly string[]): string {
  const scope = scopes.map((s) => (s.includes("/") ? s : `https://graph.microsoft.com/${s}`)).join(" ");
  const q = new URLSearchParams({ client_id: config.clientId, scope, redirect_uri: config.redirectUri });
  return `${config.authority}/v2.0/adminconsent?${q.toString()}`;
}
