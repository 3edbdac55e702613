/** How a chat's messages are laid out as rows: oldest first, a separator per day, runs of one sender grouped. */
import type { ChatMessageItem } from "./messages";

/** Consecutive messages of one sender closer than this share one header (avatar, name, time). */
export const GROUP_GAP_MS = 5 * 60_000;

export type MessageRow =
  /** `day` is the calendar day (YYYY-MM-DD) in the viewer's time zone; `label` is what the separator shows. */
  | { kind: "day"; key: string; day: string; label: string }
  | { kind: "event"; key: string; message: ChatMessageItem }
  /**
   * Only the first row of a group shows avatar, name and time. A deleted message stands alone
   * (first and last of its own group) and ends the group before it.
   */
  | { kind: "message"; key: string; message: ChatMessageItem; firstOfGroup: boolean; lastOfGroup: boolean; deleted: boolean };

export interface MessageRowOptions {
  /** BCP 47 locale for the date labels. */
  locale: string;
  now: Date;
  /** IANA time zone that decides where a day starts; the browser's when omitted. */
  timeZone?: string;
  /** Already translated words for the two nearest days (resx). */
  labels: { today: string; yesterday: string };
}

function time(m: ChatMessageItem): number {
  const t = Date.parse(m.createdDateTime);
  return Number.isNaN(t) ? 0 : t;
}

/** Teams message ids are epoch milliseconds as text: compare them as numbers when they are, as text otherwise. */
function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b) && a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareMessages(a: ChatMessageItem, b: ChatMessageItem): number {
  return time(a) - time(b) || compareIds(a.id, b.id);
}

/** Calendar day keys (YYYY-MM-DD) in one time zone. */
function dayKeyer(timeZone: string | undefined): (d: Date) => string {
  const fmt = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
  return (d) => {
    const parts: Record<string, string> = {};
    for (const p of fmt.formatToParts(d)) parts[p.type] = p.value;
    return `${parts.year}-${parts.month}-${parts.day}`;
  };
}

/** The day before a YYYY-MM-DD key, on the calendar (no clock arithmetic, so daylight saving changes cannot shift it). */
export function previousDay(day: string): string {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
}

/**
 * Rows for a message list. Input may come in any order (pages arrive newest first); output is oldest first,
 * one row per message id, with stable keys ("day:YYYY-MM-DD", "msg:<id>") for the virtualised list.
 */
export function buildMessageRows(messages: ChatMessageItem[], opts: MessageRowOptions): MessageRow[] {
  const dayOf = dayKeyer(opts.timeZone);
  const today = dayOf(opts.now);
  const yesterday = previousDay(today);
  const sameYear = new Intl.DateTimeFormat(opts.locale, { timeZone: opts.timeZone, weekday: "long", month: "long", day: "numeric" });
  const otherYear = new Intl.DateTimeFormat(opts.locale, { timeZone: opts.timeZone, weekday: "long", month: "long", day: "numeric", year: "numeric" });
  const label = (day: string, at: Date): string => {
    if (day === today) return opts.labels.today;
    if (day === yesterday) return opts.labels.yesterday;
    return (day.slice(0, 4) === today.slice(0, 4) ? sameYear : otherYear).format(at);
  };

  // One copy per id (the newest edit wins), so keys stay unique even if a page and a live update overlap.
  const byId = new Map<string, ChatMessageItem>();
  for (const m of messages) {
    const seen = byId.get(m.id);
    if (!seen || Date.parse(m.lastModifiedDateTime) >= Date.parse(seen.lastModifiedDateTime)) byId.set(m.id, m);
  }
  const sorted = [...byId.values()].sort(compareMessages);

  const rows: MessageRow[] = [];
  let currentDay = "";
  let previous: { message: ChatMessageItem; groupable: boolean } | undefined;
  for (const message of sorted) {
    const at = new Date(time(message));
    const day = dayOf(at);
    if (day !== currentDay) {
      rows.push({ kind: "day", key: `day:${day}`, day, label: label(day, at) });
      currentDay = day;
      previous = undefined;
    }
    if (message.kind === "event") {
      rows.push({ kind: "event", key: `msg:${message.id}`, message });
      previous = undefined;
      continue;
    }
    const deleted = !!message.deletedDateTime;
    const sender = message.from?.id;
    const continues =
      !deleted &&
      !!previous?.groupable &&
      !!sender &&
      previous.message.from?.id === sender &&
      time(message) - time(previous.message) <= GROUP_GAP_MS;
    rows.push({ kind: "message", key: `msg:${message.id}`, message, firstOfGroup: !continues, lastOfGroup: true, deleted });
    previous = { message, groupable: !deleted };
  }
  // A row is the last of its group unless the next row continues it.
  for (let i = 0; i < rows.length - 1; i++) {
    const row = rows[i];
    const next = rows[i + 1];
    if (row.kind === "message" && next.kind === "message" && !next.firstOfGroup) row.lastOfGroup = false;
  }
  return rows;
}
