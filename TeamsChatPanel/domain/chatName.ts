import type { ChatSummary } from "./types";

export interface NameStrings {
  /** "{0} and {1} others" style, {0} = names, {1} = count */
  andOthers: (names: string, count: number) => string;
  /** A chat where the user is alone or whose members are unknown. */
  untitled: string;
}

const MAX_NAMED = 3;

/** Teams shows a chat's topic; without one, the other participants' names. */
export function chatDisplayName(chat: Pick<ChatSummary, "topic" | "members" | "membersTruncated">, meId: string, strings: NameStrings): string {
  const topic = chat.topic?.trim();
  if (topic) return topic;
  const others = chat.members.filter((m) => m.userId !== meId && m.displayName.trim() !== "");
  if (others.length === 0) return strings.untitled;
  const names = others.map((m) => firstNameWhenMany(m.displayName, others.length));
  if (names.length <= MAX_NAMED && !chat.membersTruncated) return names.join(", ");
  const shown = names.slice(0, MAX_NAMED).join(", ");
  const hidden = Math.max(0, others.length - MAX_NAMED) + (chat.membersTruncated ? 1 : 0);
  return hidden > 0 ? strings.andOthers(shown, hidden) : shown;
}

/** In a list of several people Teams shortens to first names; one person keeps the full name. */
function firstNameWhenMany(name: string, count: number): string {
  const trimmed = name.trim();
  if (count < 2) return trimmed;
  const first = trimmed.split(/\s+/)[0];
  return first || trimmed;
}

/** Up to two letters for an avatar, from the first and last word. */
export function initials(name: string): string {
  const words = name
    .replace(/\(.*?\)/g, " ")
    .split(/[\s,]+/)
    .filter((w) => /\p{L}/u.test(w));
  if (words.length === 0) return "";
  const first = Array.from(words[0])[0] ?? "";
  const last = words.length > 1 ? (Array.from(words[words.length - 1])[0] ?? "") : "";
  return (first + last).toUpperCase();
}
