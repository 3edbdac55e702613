/**
 * Suggested contacts' reads through context.webAPI: resolved cases and who resolved them (the user who
 * created the case's incidentresolution activity when closing it), and the people the admin's rules connect
 * to a record. Dataverse security applies to every read: what the user cannot read is left out.
 */
import { normaliseGuid } from "../../domain/ids";
import type { Candidate } from "../../domain/suggestions/merge";
import type { Rule } from "../../domain/suggestions/rules";
import type { ResolvedCase } from "../../domain/suggestions/textModel";
import type { RecordRef } from "../../domain/types";
import type { RelatedPeople, SuggestionReader } from "../ports";
import { LINK_TABLE } from "./linkStore";
import { odataString, toDataverseError } from "./webApi";

type Row = Record<string, unknown>;
const LOGICAL = "@Microsoft.Dynamics.CRM.lookuplogicalname";
/** Ids per In() filter: keeps the URL well under the 32 KB Dataverse accepts. */
const IDS_PER_QUERY = 100;

function str(v: unknown): string | null {
  return typeof v === "string" && v ? v : null;
}

export class DataverseSuggestionReader implements SuggestionReader {
  constructor(
    private readonly webAPI: ComponentFramework.WebApi,
    private readonly now: () => Date = () => new Date(),
    private readonly utils?: ComponentFramework.Utility,
  ) {}

  async recordText(record: RecordRef): Promise<{ title: string | null; description: string | null } | null> {
    try {
      const row = await this.webAPI.retrieveRecord(record.table, normaliseGuid(record.id), "?$select=title,description");
      return { title: str(row.title), description: str(row.description) };
    } catch (e) {
      const err = toDataverseError(e);
      // A table without a title and a description is not case-like: the similar-cases group is hidden there.
      if (err.kind === "invalid") return null;
      throw err;
    }
  }

  async canCustomize(): Promise<boolean> {
    if (!this.utils) return false;
    try {
      // Organization-wide write on forms is what System Customizers and Administrators hold: the people who set the property.
      await this.utils.getEntityMetadata("systemform", []);
      return this.utils.hasEntityPrivilege("systemform", 3, 3);
    } catch {
      return false;
    }
  }

  /** Every page of a query up to `cap` rows. */
  private async all(table: string, query: string, cap: number): Promise<Row[]> {
    const out: Row[] = [];
    let options: string | undefined = query;
    try {
      while (options !== undefined && out.length < cap) {
        const res = await this.webAPI.retrieveMultipleRecords(table, options, Math.min(5000, cap));
        out.push(...(res.entities as Row[]));
        options = res.nextLink ? res.nextLink.slice(res.nextLink.indexOf("?")) : undefined;
      }
    } catch (e) {
      throw toDataverseError(e);
    }
    return out.slice(0, cap);
  }

  async resolvedCases(months: number, cap: number): Promise<ResolvedCase[]> {
    const since = new Date(this.now());
    since.setUTCMonth(since.getUTCMonth() - months);
    const iso = since.toISOString();
    // Resolutions first: they say who resolved and when; the cases' text is joined by id.
    const resolutions = await this.all(
      "incidentresolution",
      `?$select=_incidentid_value,_createdby_value,actualend&$filter=statecode eq 1 and actualend ge ${iso}&$orderby=actualend desc`,
      cap,
    );
    const resolver = new Map<string, { by: string; on: string | undefined }>();
    for (const r of resolutions) {
      const incident = str(r._incidentid_value);
      const by = str(r._createdby_value);
      if (incident && by && !resolver.has(normaliseGuid(incident))) resolver.set(normaliseGuid(incident), { by: normaliseGuid(by), on: str(r.actualend) ?? undefined });
    }
    const cases = await this.all("incident", `?$select=incidentid,title,description&$filter=statecode eq 1 and modifiedon ge ${iso}&$orderby=modifiedon desc`, cap);
    const out: ResolvedCase[] = [];
    for (const c of cases) {
      const id = normaliseGuid(String(c.incidentid ?? ""));
      const who = resolver.get(id);
      if (!who) continue;
      out.push({ id, title: str(c.title), description: str(c.description), resolverId: who.by, resolvedOn: who.on });
    }
    return out;
  }

  async users(systemUserIds: string[]): Promise<Array<Omit<Candidate, "reason" | "detail">>> {
    const ids = [...new Set(systemUserIds.map(normaliseGuid))];
    const out: Array<Omit<Candidate, "reason" | "detail">> = [];
    for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
      const chunk = ids.slice(i, i + IDS_PER_QUERY);
      const rows = await this.all(
        "systemuser",
        `?$select=systemuserid,fullname,azureactivedirectoryobjectid,isdisabled&$filter=Microsoft.Dynamics.CRM.In(PropertyName='systemuserid',PropertyValues=[${chunk.map(odataString).join(",")}])`,
        chunk.length,
      );
      for (const r of rows) {
        out.push({
          systemUserId: normaliseGuid(String(r.systemuserid)),
          aadObjectId: str(r.azureactivedirectoryobjectid) ? normaliseGuid(String(r.azureactivedirectoryobjectid)) : null,
          fullName: String(r.fullname ?? ""),
          isDisabled: r.isdisabled === true,
        });
      }
    }
    return out;
  }

  private async teamMembers(teamId: string): Promise<string[]> {
    const rows = await this.all("teammembership", `?$select=systemuserid&$filter=teamid eq ${normaliseGuid(teamId)}`, 500);
    return rows.map((r) => String(r.systemuserid));
  }

  private async teamName(teamId: string): Promise<string | undefined> {
    try {
      const t = await this.webAPI.retrieveRecord("team", normaliseGuid(teamId), "?$select=name");
      return str(t.name) ?? undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Follows a lookup path; the last hop lands on a user or a team. A missing value or an unreadable record ends
   * it quietly; a column the table does not have is returned as `missing` for the caller to report.
   */
  private async follow(record: RecordRef, path: string[]): Promise<{ table: string; id: string } | { missing: string; table: string } | null> {
    let table = record.table;
    let id = record.id;
    for (const column of path) {
      let row: Row;
      try {
        row = await this.webAPI.retrieveRecord(table, normaliseGuid(id), `?$select=_${column}_value`);
      } catch (e) {
        const err = toDataverseError(e);
        // A record out of reach ends the path quietly; a column that does not exist is the admin's mistake
        // (or a default owner rule on an organisation-owned table) and is reported without failing the others.
        if (err.kind === "notFound" || err.kind === "forbidden") return null;
        if (err.kind === "invalid") return { missing: column, table };
        throw err;
      }
      const value = str(row[`_${column}_value`]);
      const target = str(row[`_${column}_value${LOGICAL}`]);
      if (!value || !target) return null;
      table = target;
      id = value;
    }
    return { table, id };
  }

  async relatedPeople(record: RecordRef, rules: Rule[], linkOwnerIds?: string[]): Promise<RelatedPeople> {
    const hits: Array<{ userId: string; reason: Candidate["reason"]; detail?: string }> = [];
    const skipped: RelatedPeople["skipped"] = [];
    for (const [index, rule] of rules.entries()) {
      if (rule.kind === "lookup") {
        const end = await this.follow(record, rule.path);
        if (!end) continue;
        if ("missing" in end) {
          skipped.push({ rule: index, column: end.missing, table: end.table });
          continue;
        }
        if (end.table === "systemuser") hits.push({ userId: end.id, reason: rule.reason, detail: rule.label });
        else if (end.table === "team") {
          const name = await this.teamName(end.id);
          for (const m of await this.teamMembers(end.id)) hits.push({ userId: m, reason: rule.reason === "owner" ? "teamMember" : rule.reason, detail: rule.label ?? name });
        }
      } else if (rule.kind === "linkedChats" && linkOwnerIds) {
        // The panel has already read this record's links: no second query.
        for (const id of linkOwnerIds) hits.push({ userId: id, reason: "linkedChat" });
      } else if (rule.kind === "linkedChats") {
        const rows = await this.all(
          LINK_TABLE,
          `?$select=_ownerid_value&$filter=tcp_regardingtable eq ${odataString(record.table)} and tcp_regardingid eq ${odataString(normaliseGuid(record.id))} and statecode eq 0&$orderby=createdon desc`,
          50,
        );
        for (const r of rows) if (str(r._ownerid_value) && r[`_ownerid_value${LOGICAL}`] === "systemuser") hits.push({ userId: String(r._ownerid_value), reason: "linkedChat" });
      } else {
        const since = new Date(this.now().getTime() - rule.days * 86_400_000).toISOString();
        const rows = await this.all(
          "activitypointer",
          `?$select=_ownerid_value&$filter=_regardingobjectid_value eq ${normaliseGuid(record.id)} and modifiedon ge ${since}&$orderby=modifiedon desc`,
          50,
        );
        for (const r of rows) if (str(r._ownerid_value) && r[`_ownerid_value${LOGICAL}`] === "systemuser") hits.push({ userId: String(r._ownerid_value), reason: "activity" });
      }
    }
    const users = new Map((await this.users(hits.map((h) => h.userId))).map((u) => [u.systemUserId, u]));
    const out: Candidate[] = [];
    for (const h of hits) {
      const u = users.get(normaliseGuid(h.userId));
      if (u) out.push({ ...u, reason: h.reason, ...(h.detail ? { detail: h.detail } : {}) });
    }
    return { people: out, skipped };
  }
}
