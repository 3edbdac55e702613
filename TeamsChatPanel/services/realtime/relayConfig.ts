/** Where the live-updates relay is: the solution's environment variable, overridable per form. */
export const ENV_RELAY_URL = "tcp_TeamsChatPanelRelayUrl";

export type RelayUrlSetting = { kind: "none" } | { kind: "ok"; url: string } | { kind: "invalid"; value: string };

/** https only; plain http only to this machine (a relay run locally for a trial or the harness). */
export function parseRelayUrl(override: string | null | undefined, env: string | null | undefined): RelayUrlSetting {
  const value = (override ?? "").trim() || (env ?? "").trim();
  if (!value) return { kind: "none" };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { kind: "invalid", value };
  }
  const local = url.protocol === "http:" && (url.hostname === "127.0.0.1" || url.hostname === "localhost");
  if ((url.protocol !== "https:" && !local) || url.search || url.hash || url.username || url.password) return { kind: "invalid", value };
  return { kind: "ok", url: `${url.origin}${url.pathname.replace(/\/+$/, "")}` };
}
