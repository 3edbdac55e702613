/** Fold case and accents so "Müller" matches "muller" and "ÉCOLE" matches "ecole". */
export function foldForSearch(s: string): string {
  return s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().trim();
}

/** Every word of the query must occur in the text, in any order. */
export function matchesFilter(text: string, query: string): boolean {
  const q = foldForSearch(query);
  if (!q) return true;
  const hay = foldForSearch(text);
  return q.split(/\s+/).every((word) => hay.includes(word));
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };
const ENTITY = /&(#x[0-9a-f]+|#\d+|[a-z]+);/gi;

/** HTML character references (numeric, and the few named ones Teams writes) as their characters; others left as written. */
export function decodeEntities(text: string): string {
  return text.replace(ENTITY, decodeEntity);
}

function decodeEntity(whole: string, code: string): string {
  if (code[0] === "#") {
    const n = code[1] === "x" || code[1] === "X" ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
    return Number.isFinite(n) && n > 0 && n < 0x110000 ? String.fromCodePoint(n) : whole;
  }
  return ENTITIES[code.toLowerCase()] ?? whole;
}

/**
 * Plain text of a Teams message body for a one-line preview. The result is rendered as text
 * (never as HTML), so this only needs to be readable, not safe.
 */
export function htmlToPreviewText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, " ")
    .replace(/<br\s*\/?>|<\/(p|div|li|h\d|blockquote)>/gi, " ")
    .replace(/<[^>]*>/g, "")
    .replace(ENTITY, decodeEntity)
    .replace(/\s+/g, " ")
    .trim();
}
