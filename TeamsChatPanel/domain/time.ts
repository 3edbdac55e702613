/** Dataverse language ids (LCID) to BCP 47 tags for Intl. Unknown ids fall back to English. */
const LCID: Record<number, string> = {
  1025: "ar-SA", 1028: "zh-TW", 1029: "cs-CZ", 1030: "da-DK", 1031: "de-DE", 1032: "el-GR", 1033: "en-US",
  1035: "fi-FI", 1036: "fr-FR", 1037: "he-IL", 1038: "hu-HU", 1040: "it-IT", 1041: "ja-JP", 1042: "ko-KR",
  1043: "nl-NL", 1044: "nb-NO", 1045: "pl-PL", 1046: "pt-BR", 1049: "ru-RU", 1053: "sv-SE", 1055: "tr-TR",
  2052: "zh-CN", 2057: "en-GB", 2070: "pt-PT", 3082: "es-ES", 3084: "fr-CA",
};

export function localeFromLcid(lcid: number | undefined): string {
  return (lcid && LCID[lcid]) || "en-US";
}

function startOfDay(d: Date): number {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/**
 * Teams-style time for a chat list: the time today, the weekday within the last week,
 * otherwise the date (with the year only when it differs).
 */
export function formatListTime(iso: string | undefined, now: Date, locale: string, labels: { yesterday: string }): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const days = Math.round((startOfDay(now) - startOfDay(d)) / 86_400_000);
  if (days <= 0) return new Intl.DateTimeFormat(locale, { hour: "numeric", minute: "2-digit" }).format(d);
  if (days === 1) return labels.yesterday;
  if (days < 7) return new Intl.DateTimeFormat(locale, { weekday: "short" }).format(d);
  const sameYear = d.getFullYear() === now.getFullYear();
  return new Intl.DateTimeFormat(locale, sameYear ? { day: "numeric", month: "numeric" } : { day: "numeric", month: "numeric", year: "numeric" }).format(d);
}

/** Full date and time for tooltips and accessible names. */
export function formatFullTime(iso: string | undefined, locale: string): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(d);
}

/** "just now" under a minute, then "5 minutes ago", "2 hours ago", "yesterday"… in the user's language. */
export function formatSince(at: number, now: number, locale: string, justNow: string): string {
  const seconds = Math.round((now - at) / 1000);
  if (seconds < 60) return justNow;
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  if (seconds < 3600) return rtf.format(-Math.floor(seconds / 60), "minute");
  if (seconds < 86_400) return rtf.format(-Math.floor(seconds / 3600), "hour");
  return rtf.format(-Math.floor(seconds / 86_400), "day");
}
