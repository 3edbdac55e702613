import { normaliseGuid, sameRecord } from "./ids";
import { matchesFilter } from "./text";
import type { ChatLink, ChatSummary, RecordRef, SectionId } from "./types";

export interface ChatEntry {
  chat: ChatSummary;
  name: string;
  /** Links of this chat to records other than the current one. */
  otherLinks: ChatLink[];
  /** Created for this record, link not yet written to Dataverse. */
  pending?: boolean;
}

export interface Sections {
  linkedHere: ChatEntry[];
  linkedElsewhere: ChatEntry[];
  other: ChatEntry[];
}

export interface SectionInput {
  chats: ChatSummary[];
  /** Links loaded for the listed chats and for the current record. */
  links: ChatLink[];
  /** The record on the form; undefined when it is not saved yet. */
  record?: RecordRef;
  filter: string;
  nameOf: (chat: ChatSummary) => string;
  /** Chats whose link to this record is still on its way. */
  pendingChatIds?: ReadonlySet<string>;
}

/**
 * Splits chats into the three sections. A chat linked to this record belongs to "Linked to this record"
 * even when it is also linked elsewhere. Order within a section is the chats' order (most recent first).
 * Only chats the user is a member of are passed in, so a link row alone never reveals a chat.
 */
export function buildSections({ chats, links, record, filter, nameOf, pendingChatIds }: SectionInput): Sections {
  const byChat = new Map<string, ChatLink[]>();
  for (const link of links) {
    if (link.kind !== "chat") continue;
    const list = byChat.get(link.chatId);
    if (list) list.push(link);
    else byChat.set(link.chatId, [link]);
  }
  const out: Sections = { linkedHere: [], linkedElsewhere: [], other: [] };
  for (const chat of chats) {
    const name = nameOf(chat);
    if (!matchesFilter(name, filter)) continue;
    const chatLinks = byChat.get(chat.id) ?? [];
    const here = record ? chatLinks.some((l) => sameRecord(l.record, record)) : false;
    const otherLinks = record ? chatLinks.filter((l) => !sameRecord(l.record, record)) : chatLinks;
    const pending = !!pendingChatIds?.has(chat.id);
    const entry: ChatEntry = { chat, name, otherLinks: dedupeRecords(otherLinks), ...(pending ? { pending } : {}) };
    if (here || pending) out.linkedHere.push(entry);
    else if (otherLinks.length > 0) out.linkedElsewhere.push(entry);
    else out.other.push(entry);
  }
  return out;
}

function dedupeRecords(links: ChatLink[]): ChatLink[] {
  const seen = new Set<string>();
  return links.filter((l) => {
    const key = `${l.record.table.toLowerCase()}|${normaliseGuid(l.record.id)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export type ListRow =
  | { kind: "header"; section: SectionId; count: number; collapsed: boolean }
  | { kind: "chat"; section: SectionId; entry: ChatEntry }
  | { kind: "empty"; section: SectionId }
  | { kind: "more"; loading: boolean };

export const SECTION_ORDER: SectionId[] = ["linkedHere", "linkedElsewhere", "other"];

/** Flattens sections into the rows of one virtualised list. */
export function toRows(sections: Sections, collapsed: Partial<Record<SectionId, boolean>>, tail?: { loading: boolean }): ListRow[] {
  const rows: ListRow[] = [];
  for (const section of SECTION_ORDER) {
    const entries = sections[section];
    const isCollapsed = !!collapsed[section];
    rows.push({ kind: "header", section, count: entries.length, collapsed: isCollapsed });
    if (isCollapsed) continue;
    if (entries.length === 0) rows.push({ kind: "empty", section });
    for (const entry of entries) rows.push({ kind: "chat", section, entry });
  }
  if (tail) rows.push({ kind: "more", loading: tail.loading });
  return rows;
}
