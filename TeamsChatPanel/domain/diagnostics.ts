/**
 * The admin diagnostics report: one line per thing the panel depends on, each with its state and,
 * when it fails, how to fix it. Pure: the store gathers the facts, the dialog translates the keys.
 */
import type { AuthState } from "./auth";
import type { FailureKind } from "./errors";

export type CheckStatus = "ok" | "warning" | "error";

export interface DiagnosticLine {
  id: "config" | "signIn" | "scopes" | "linkTable" | "linkPrivileges" | "graph" | "live";
  status: CheckStatus;
  /** resx key and its arguments; config problems are listed apart. */
  key: string;
  args: string[];
}

export type Probe = { ok: true } | { ok: false; kind: FailureKind; message?: string };

export interface LinkPrivileges {
  read: boolean;
  create: boolean;
  deleteOwn: boolean;
  /** Delete at organization depth: may unlink links others made (optional, the Link Manager role). */
  deleteAny: boolean;
}

/** Live updates as the relay client sees them (services/realtime/live.ts). */
export interface LiveFacts {
  state: "connecting" | "live" | "paused";
  reason?: "unreachable" | "unauthorized" | "needsUser" | "notConfigured";
  relayUrl?: string;
  /** The configured value, when it is not a usable address. */
  invalidUrl?: string;
  /** ISO time of the last frame from the relay. */
  lastFrameAt?: string;
}

export interface DiagnosticsFacts {
  /** undefined: the host supplies the tokens (no sign-in of our own). */
  auth?: AuthState;
  linkTable: Probe;
  privileges: LinkPrivileges;
  graph: Probe;
  /** Undefined where the host runs no live updates. */
  live?: LiveFacts;
}

/** Live updates: which relay, whether connected and when it last spoke; failing states say what to fix. */
export function liveLine(l: LiveFacts): DiagnosticLine {
  const url = l.relayUrl ?? "";
  if (l.invalidUrl !== undefined) return { id: "live", status: "error", key: "Diag_Live_Invalid", args: [l.invalidUrl] };
  if (l.state === "live") return { id: "live", status: "ok", key: "Diag_Live_Ok", args: [url, l.lastFrameAt ?? ""] };
  if (l.state === "connecting") return { id: "live", status: "warning", key: "Diag_Live_Connecting", args: [url] };
  if (l.reason === "unauthorized") return { id: "live", status: "error", key: "Diag_Live_Unauthorized", args: [url] };
  if (l.reason === "needsUser") return { id: "live", status: "warning", key: "Diag_Live_NeedsUser", args: [url] };
  if (l.reason === "unreachable") return { id: "live", status: "error", key: "Diag_Live_Unreachable", args: [url] };
  return { id: "live", status: "warning", key: "Diag_Live_NotConfigured", args: [] };
}

export function diagnose(f: DiagnosticsFacts): DiagnosticLine[] {
  const lines: DiagnosticLine[] = [];
  const a = f.auth;
  if (!a) lines.push({ id: "config", status: "ok", key: "Diag_Config_Host", args: [] });
  else if (a.status === "misconfigured") lines.push({ id: "config", status: "error", key: "Diag_Config_Problems", args: [] });
  else lines.push({ id: "config", status: "ok", key: "Diag_Config_Ok", args: [] });

  if (!a) lines.push({ id: "signIn", status: "ok", key: "Diag_SignIn_Host", args: [] });
  else if (a.status === "signedIn") lines.push({ id: "signIn", status: "ok", key: "Diag_SignIn_Ok", args: [a.account?.username ?? ""] });
  else if (a.status === "misconfigured") lines.push({ id: "signIn", status: "error", key: "Diag_SignIn_Blocked", args: [] });
  else lines.push({ id: "signIn", status: "warning", key: "Diag_SignIn_Needed", args: [a.problem ?? "signInRequired"] });

  if (a && a.status !== "misconfigured") {
    const granted = a.grantedScopes.join(", ");
    if (a.pendingScopes.length) lines.push({ id: "scopes", status: "warning", key: "Diag_Scopes_Pending", args: [granted || "—", a.pendingScopes.join(", ")] });
    else lines.push({ id: "scopes", status: granted ? "ok" : "warning", key: granted ? "Diag_Scopes_Ok" : "Diag_Scopes_None", args: [granted] });
  }

  if (f.linkTable.ok) lines.push({ id: "linkTable", status: "ok", key: "Diag_Links_Ok", args: [] });
  else if (f.linkTable.kind === "notFound") lines.push({ id: "linkTable", status: "error", key: "Diag_Links_Missing", args: [] });
  else if (f.linkTable.kind === "forbidden") lines.push({ id: "linkTable", status: "error", key: "Diag_Links_Forbidden", args: [] });
  else lines.push({ id: "linkTable", status: "error", key: "Diag_Links_Failed", args: [f.linkTable.message ?? f.linkTable.kind] });

  const p = f.privileges;
  const missing = [p.read ? "" : "Read", p.create ? "" : "Create", p.deleteOwn ? "" : "Delete"].filter(Boolean);
  if (missing.length) lines.push({ id: "linkPrivileges", status: "error", key: "Diag_Privileges_Missing", args: [missing.join(", ")] });
  else lines.push({ id: "linkPrivileges", status: "ok", key: p.deleteAny ? "Diag_Privileges_Manager" : "Diag_Privileges_Ok", args: [] });

  if (f.graph.ok) lines.push({ id: "graph", status: "ok", key: "Diag_Graph_Ok", args: [] });
  else if (f.graph.kind === "auth") lines.push({ id: "graph", status: "warning", key: "Diag_Graph_SignIn", args: [] });
  else if (f.graph.kind === "forbidden") lines.push({ id: "graph", status: "error", key: "Diag_Graph_Forbidden", args: [] });
  else if (f.graph.kind === "offline") lines.push({ id: "graph", status: "error", key: "Diag_Graph_Offline", args: [] });
  else lines.push({ id: "graph", status: "error", key: "Diag_Graph_Failed", args: [f.graph.message ?? f.graph.kind] });
  if (f.live) lines.push(liveLine(f.live));
  return lines;
}

/** Plain-text report an admin can paste into a support ticket (never a token). */
export function reportText(lines: Array<{ status: CheckStatus; text: string }>): string {
  return lines.map((l) => `[${l.status.toUpperCase()}] ${l.text}`).join("\n");
}
