/**
 * The harness state lives in the URL query so a test (or a bookmark) can open any
 * user / record / theme / language directly. Pure functions: imported by the page
 * and by the end-to-end helpers in Node.
 *
 *   ?user=<systemuserid>&record=<table>:<id>|new:<table>&theme=light|dark|hc
 *    &lang=1033|1031&width=400&p.<property>=<value>&mount=0
 *
 * `mount=0` shows the page without the control (its chrome alone).
 */

export type ThemeName = "light" | "dark" | "hc";

export const THEMES: readonly ThemeName[] = ["light", "dark", "hc"];

export interface RecordKey {
  table: string;
  /** "" for a record that is not saved yet (the platform gives no id). */
  id: string;
}

export interface HarnessQuery {
  user?: string;
  record?: RecordKey;
  theme: ThemeName;
  lang: number;
  /** Side pane width in CSS pixels. */
  width: number;
  /** Overrides of the control's manifest properties (`p.chatNaming=participants`), raw strings. */
  params: Record<string, string>;
  /** false: no control in the pane (URL `mount=0`). */
  mount: boolean;
}

export const DEFAULT_WIDTH = 400;
export const MIN_WIDTH = 280;
export const MAX_WIDTH = 800;
export const DEFAULT_LANG = 1033;

const GUID = /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i;

export function clampWidth(width: number): number {
  if (!Number.isFinite(width)) return DEFAULT_WIDTH;
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, Math.round(width)));
}

/** "incident:<guid>" or "new:incident"; undefined when malformed. */
export function parseRecordParam(value: string | null | undefined): RecordKey | undefined {
  if (!value) return undefined;
  const at = value.indexOf(":");
  if (at <= 0) return undefined;
  const left = value.slice(0, at).trim();
  const right = value.slice(at + 1).trim();
  if (left === "new") return /^[a-z_][a-z0-9_]*$/i.test(right) ? { table: right.toLowerCase(), id: "" } : undefined;
  if (!/^[a-z_][a-z0-9_]*$/i.test(left) || !GUID.test(right)) return undefined;
  return { table: left.toLowerCase(), id: right.replace(/[{}]/g, "").toLowerCase() };
}

export function recordParam(record: RecordKey): string {
  return record.id ? `${record.table}:${record.id}` : `new:${record.table}`;
}

export function parseQuery(search: string): HarnessQuery {
  const sp = new URLSearchParams(search.startsWith("?") ? search.slice(1) : search);
  const theme = sp.get("theme");
  const lang = Number(sp.get("lang"));
  const width = sp.get("width");
  const params: Record<string, string> = {};
  sp.forEach((value, key) => {
    if (key.startsWith("p.") && key.length > 2) params[key.slice(2)] = value;
  });
  const user = sp.get("user")?.replace(/[{}]/g, "").toLowerCase();
  return {
    user: user && GUID.test(user) ? user : undefined,
    record: parseRecordParam(sp.get("record")),
    theme: (THEMES as readonly string[]).includes(theme ?? "") ? (theme as ThemeName) : "light",
    lang: Number.isInteger(lang) && lang > 0 ? lang : DEFAULT_LANG,
    width: width === null ? DEFAULT_WIDTH : clampWidth(Number(width)),
    params,
    mount: sp.get("mount") !== "0",
  };
}

/** Builds "?user=…&record=…" from a partial state; keys left out stay out of the URL. */
export function toQuery(state: Partial<HarnessQuery>): string {
  const sp = new URLSearchParams();
  if (state.user) sp.set("user", state.user);
  if (state.record) sp.set("record", recordParam(state.record));
  if (state.theme) sp.set("theme", state.theme);
  if (state.lang) sp.set("lang", String(state.lang));
  if (state.width !== undefined) sp.set("width", String(clampWidth(state.width)));
  for (const [key, value] of Object.entries(state.params ?? {})) sp.set(`p.${key}`, value);
  if (state.mount === false) sp.set("mount", "0");
  const text = sp.toString();
  return text ? `?${text}` : "";
}

/** BCP 47 tag for the LCIDs the harness knows; the control formats dates with Intl in this locale. */
const LOCALES: Record<number, { tag: string; rtl: boolean }> = {
  1025: { tag: "ar-SA", rtl: true },
  1031: { tag: "de-DE", rtl: false },
  1033: { tag: "en-US", rtl: false },
  1036: { tag: "fr-FR", rtl: false },
  1037: { tag: "he-IL", rtl: true },
  1040: { tag: "it-IT", rtl: false },
  1041: { tag: "ja-JP", rtl: false },
  1043: { tag: "nl-NL", rtl: false },
  2057: { tag: "en-GB", rtl: false },
  3082: { tag: "es-ES", rtl: false },
};

export function localeFor(lcid: number): { tag: string; rtl: boolean } {
  return LOCALES[lcid] ?? LOCALES[DEFAULT_LANG];
}
