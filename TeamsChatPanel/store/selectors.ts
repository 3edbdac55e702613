import { chatDisplayName, type NameStrings } from "../domain/chatName";
import { buildSections, toRows, type ListRow, type Sections } from "../domain/sections";
import type { PanelState } from "./types";

/** Sections for the current filter. Memoised on the inputs that change them, so scrolling does not rebuild 5,000 rows. */
export function makeSectionsSelector(strings: NameStrings) {
  let last: { chats: unknown; links: unknown; pending: unknown; filter: string; meId?: string; linksOk: boolean; result: Sections } | undefined;
  return (s: PanelState): Sections => {
    const linksOk = s.linksStatus !== "error";
    const meId = s.me?.aadObjectId;
    if (last && last.chats === s.chats && last.links === s.links && last.pending === s.pendingLinks && last.filter === s.filter && last.meId === meId && last.linksOk === linksOk) return last.result;
    const result = buildSections({
      chats: s.chats,
      links: linksOk ? s.links : [],
      record: s.env.record,
      filter: s.filter,
      nameOf: (chat) => chatDisplayName(chat, meId ?? "", strings),
      pendingChatIds: new Set(s.pendingLinks.map((p) => p.chatId)),
    });
    last = { chats: s.chats, links: s.links, pending: s.pendingLinks, filter: s.filter, meId, linksOk, result };
    return result;
  };
}

export function rowsFor(sections: Sections, s: Pick<PanelState, "collapsed" | "next" | "loadingMore" | "linksStatus">): ListRow[] {
  const rows = toRows(sections, s.collapsed, s.next ? { loading: s.loadingMore } : undefined);
  // Without links only one section is meaningful: every chat is listed as "Chats".
  if (s.linksStatus === "error") return rows.filter((r) => !("section" in r) || r.section === "other");
  return rows;
}
