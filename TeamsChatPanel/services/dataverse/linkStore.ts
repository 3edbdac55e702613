import { normaliseGuid } from "../../domain/ids";
import type { ChatLink, LinkKind, RecordRef } from "../../domain/types";
import { ServiceError } from "../errors";
import type { LinkQuery, LinkStore } from "../ports";
import { odataString, toDataverseError } from "./webApi";

export const LINK_TABLE = "tcp_chatlink";
export const LINK_KIND: Record<LinkKind, number> = { chat: 100000000, channel: 100000001 };
const LINK_COLUMNS = ["tcp_chatlinkid", "tcp_kind", "tcp_chatid", "tcp_teamid", "tcp_regardingtable", "tcp_regardingid", "createdon", "_ownerid_value"];
/** Keeps the query URL well under Dataverse's GET limit. */
export const MAX_CHAT_IDS_PER_QUERY = 100;
const MAX_PAGES = 20;

interface LinkRow {
  tcp_chatlinkid: string;
  tcp_kind?: number;
  tcp_chatid: string;
  tcp_teamid?: string | null;
  tcp_regardingtable: string;
  tcp_regardingid: string;
  createdon?: string;
  _ownerid_value?: string;
}

export function toLink(row: LinkRow): ChatLink {
  return {
    id: row.tcp_chatlinkid,
    kind: row.tcp_kind === LINK_KIND.channel ? "channel" : "chat",
    chatId: row.tcp_chatid,
    teamId: row.tcp_teamid ?? undefined,
    record: { table: row.tcp_regardingtable.toLowerCase(), id: normaliseGuid(row.tcp_regardingid) },
    createdOn: row.createdon,
    ownerId: row._ownerid_value ? normaliseGuid(row._ownerid_value) : undefined,
  };
}

/** The OData filter for "links of these chats, or links to this record". */
export function linkFilter(query: LinkQuery): string | null {
  const parts: string[] = [];
  if (query.record) {
    parts.push(`(tcp_regardingtable eq ${odataString(query.record.table.toLowerCase())} and tcp_regardingid eq ${odataString(normaliseGuid(query.record.id))})`);
  }
  const ids = [...new Set(query.chatIds)];
  if (ids.length > 0) {
    parts.push(`Microsoft.Dynamics.CRM.In(PropertyName='tcp_chatid',PropertyValues=[${ids.map(odataString).join(",")}])`);
  }
  return parts.length ? parts.join(" or ") : null;
}

/** A non-secret label for the row: never the chat's topic (Teams content stays in Teams). */
export function linkName(record: RecordRef): string {
  return `${record.table.toLowerCase()}:${normaliseGuid(record.id)}`.slice(0, 100);
}

/** Link rows through the platform's context.webAPI (the only data this product stores). */
export class DataverseLinkStore implements LinkStore {
  constructor(private readonly webAPI: ComponentFramework.WebApi) {}

  async linksFor(query: LinkQuery): Promise<ChatLink[]> {
    const chunks: string[][] = [];
    for (let i = 0; i < query.chatIds.length; i += MAX_CHAT_IDS_PER_QUERY) chunks.push(query.chatIds.slice(i, i + MAX_CHAT_IDS_PER_QUERY));
    if (chunks.length === 0) chunks.push([]);
    const out: ChatLink[] = [];
    for (const [n, chatIds] of chunks.entries()) {
      const filter = linkFilter({ record: n === 0 ? query.record : undefined, chatIds });
      if (!filter) continue;
      let options: string | undefined = `?$select=${LINK_COLUMNS.join(",")}&$filter=${filter}`;
      for (let page = 0; options && page < MAX_PAGES; page++) {
        try {
          const res = await this.webAPI.retrieveMultipleRecords(LINK_TABLE, options, 5000);
          out.push(...(res.entities as LinkRow[]).map(toLink));
          options = res.nextLink ? res.nextLink.slice(res.nextLink.indexOf("?")) : undefined;
        } catch (e) {
          throw toDataverseError(e);
        }
      }
    }
    return out;
  }

  async createLink(chatId: string, record: RecordRef): Promise<ChatLink> {
    const row = {
      tcp_name: linkName(record),
      tcp_kind: LINK_KIND.chat,
      tcp_chatid: chatId,
      tcp_regardingtable: record.table.toLowerCase(),
      tcp_regardingid: normaliseGuid(record.id),
    };
    return this.createRow(row, record, { kind: "chat", chatId });
  }

  async createChannelLink(teamId: string, channelId: string, record: RecordRef): Promise<ChatLink> {
    const row = {
      tcp_name: linkName(record),
      tcp_kind: LINK_KIND.channel,
      tcp_chatid: channelId,
      tcp_teamid: teamId,
      tcp_regardingtable: record.table.toLowerCase(),
      tcp_regardingid: normaliseGuid(record.id),
    };
    return this.createRow(row, record, { kind: "channel", chatId: channelId, teamId });
  }

  /** Writes a link row; when the alternate key says the pair is linked already, returns that link instead. */
  private async createRow(row: { tcp_regardingtable: string; tcp_regardingid: string }, record: RecordRef, link: Pick<ChatLink, "kind" | "chatId" | "teamId">): Promise<ChatLink> {
    try {
      const created = await this.webAPI.createRecord(LINK_TABLE, row);
      return { id: normaliseGuid(created.id), ...link, record: { table: row.tcp_regardingtable, id: row.tcp_regardingid } };
    } catch (e) {
      const err = toDataverseError(e);
      // The alternate key (chat or channel id, table, record) refused a second row: an earlier try or someone else linked it.
      if (err.kind === "conflict") {
        const existing = (await this.linksFor({ record, chatIds: [link.chatId] })).find((l) => l.chatId === link.chatId && l.record.id === row.tcp_regardingid && l.record.table === row.tcp_regardingtable);
        if (existing) return existing;
      }
      throw err;
    }
  }

  async deleteLink(linkId: string): Promise<void> {
    try {
      await this.webAPI.deleteRecord(LINK_TABLE, linkId);
    } catch (e) {
      const err = toDataverseError(e);
      // Already gone is what the user wanted.
      if (err.kind === "notFound") return;
      throw err instanceof ServiceError ? err : toDataverseError(err);
    }
  }
}
