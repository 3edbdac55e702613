/**
 * The introduction message a new linked chat can start with: a read-only summary of the record
 * (title, a link that opens it in the app, a few admin-chosen columns) as Teams message HTML.
 *
 * Teams renders a small subset of HTML in chat messages; tables and lists are not shown on every
 * client (mobile shows text messages without them), so the card uses only p, strong, a and br.
 * Every piece of text is user data and is escaped; the only link allowed is http(s).
 */

/** Columns shown when the admin lists none (`introFields` empty). */
export const DEFAULT_INTRO_FIELDS: Readonly<Record<string, readonly string[]>> = {
  incident: ["ticketnumber", "prioritycode", "statuscode", "customerid"],
  account: ["accountnumber", "telephone1", "address1_city", "primarycontactid"],
  contact: ["emailaddress1", "telephone1", "parentcustomerid"],
};

export const MAX_INTRO_FIELDS = 8;

const LOGICAL_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * The columns the card shows for `table`: the admin's comma-separated list (trimmed, lower-cased,
 * de-duplicated, invalid names dropped, at most 8), or the table's defaults when the list names
 * no valid column. Other tables have no defaults: the card then shows only the title.
 */
export function introFieldsFor(table: string, configured: string | null | undefined): string[] {
  const out: string[] = [];
  for (const part of (configured ?? "").split(",")) {
    const name = part.trim().toLowerCase();
    if (!name || !LOGICAL_NAME.test(name) || out.includes(name)) continue;
    out.push(name);
    if (out.length === MAX_INTRO_FIELDS) break;
  }
  if (out.length > 0) return out;
  return [...(DEFAULT_INTRO_FIELDS[table.trim().toLowerCase()] ?? [])];
}

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** The URL when it is an absolute http(s) URL, else null (javascript:, data:, relative, garbage). */
export function safeHttpUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
}

/**
 * A model-driven app URL that opens the record's form:
 * `{clientUrl}/main.aspx?appid={appId}&pagetype=entityrecord&etn={table}&id={id}` (appid only when known;
 * without it the user's default app opens). `clientUrl` is the organisation URL (context.page.getClientUrl()).
 */
export function recordUrl(clientUrl: string, table: string, id: string, appId?: string): string {
  const base = clientUrl.trim().replace(/\/+$/, "");
  const params: string[] = [];
  const app = appId?.trim().replace(/[{}]/g, "");
  if (app) params.push(`appid=${encodeURIComponent(app)}`);
  params.push("pagetype=entityrecord");
  params.push(`etn=${encodeURIComponent(table.trim().toLowerCase())}`);
  params.push(`id=${encodeURIComponent(id.trim().replace(/[{}]/g, "").toLowerCase())}`);
  return `${base}/main.aspx?${params.join("&")}`;
}

export interface IntroCardInput {
  title: string;
  recordUrl: string;
  tableLabel: string;
  fields: Array<{ label: string; value: string }>;
  /** Localised heading, e.g. "Case details". */
  heading: string;
  /** Localised link text, e.g. "Open in Dynamics 365". */
  openLabel: string;
}

/** The introduction message's body (chatMessage body, contentType html). */
export function buildIntroCard(input: IntroCardInput): string {
  const href = safeHttpUrl(input.recordUrl);
  const title = input.title.trim() || input.tableLabel.trim();
  const link = (text: string) => (href ? `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>` : escapeHtml(text));
  const parts: string[] = [];
  parts.push(`<p><strong>${escapeHtml(input.heading)}</strong></p>`);
  const kind = input.tableLabel.trim() ? `${escapeHtml(input.tableLabel.trim())}: ` : "";
  parts.push(`<p>${kind}<strong>${link(title)}</strong></p>`);
  const lines = input.fields
    .filter((f) => f.label.trim() !== "" && f.value.trim() !== "")
    .map((f) => `<strong>${escapeHtml(f.label.trim())}:</strong> ${escapeHtml(f.value.trim())}`);
  if (lines.length > 0) parts.push(`<p>${lines.join("<br>")}</p>`);
  if (href) parts.push(`<p>${link(input.openLabel)}</p>`);
  return parts.join("");
}
