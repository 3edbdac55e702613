import { normaliseGuid } from "../../domain/ids";
import { odataString, toDataverseError } from "./webApi";

export interface IntroField {
  column: string;
  label: string;
  value: string;
}

interface ColumnMeta {
  column: string;
  label: string;
  secured: boolean;
  isLookup: boolean;
}

const FORMATTED = "@OData.Community.Display.V1.FormattedValue";
/** fieldpermission.canread: 4 = Allowed (field_security_permission_type). */
const ALLOWED = 4;

function labelText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  const label = (value as { UserLocalizedLabel?: { Label?: unknown } } | undefined)?.UserLocalizedLabel?.Label;
  return typeof label === "string" ? label : undefined;
}

/** Attribute metadata as the platform hands it over: an array, an Xrm-style collection with get(), or a map by name. */
function attributeOf(attributes: unknown, column: string): Record<string, unknown> | undefined {
  if (!attributes) return undefined;
  if (Array.isArray(attributes)) {
    return attributes.find((a) => String((a as { LogicalName?: unknown })?.LogicalName ?? "").toLowerCase() === column) as Record<string, unknown> | undefined;
  }
  const coll = attributes as { get?: (name: string) => unknown; _collection?: Record<string, unknown> } & Record<string, unknown>;
  if (typeof coll.get === "function") {
    const hit = coll.get(column);
    if (hit && typeof hit === "object") return hit as Record<string, unknown>;
  }
  const map = coll._collection ?? coll;
  const hit = map[column];
  return hit && typeof hit === "object" ? (hit as Record<string, unknown>) : undefined;
}

/**
 * Reads the introduction card's columns of one record, as the signed-in user may see them.
 *
 * - Column names and display names come from attribute metadata (`context.utils.getEntityMetadata`);
 *   a column the table does not have is skipped (the admin may have mistyped it).
 * - Column-level security: a column whose metadata says `IsSecured` is kept only when one of the user's
 *   field security profiles (directly or through a team) has a fieldpermission with canread = Allowed for
 *   it. If Dataverse refuses to tell (no read on those tables), secured columns are left out: fail closed.
 *   Dataverse also returns null for secured columns the user may not read; empty values are never shown.
 * - Values are the formatted values Dataverse returns (choices, lookups' names, dates, numbers).
 */
export class DataverseIntroReader {
  private readonly meta = new Map<string, Promise<Map<string, ColumnMeta>>>();
  private profiles?: Promise<string[] | null>;

  constructor(
    private readonly webAPI: ComponentFramework.WebApi,
    private readonly utils: ComponentFramework.Utility,
    private readonly userId: string,
  ) {}

  async readFields(record: { table: string; id: string }, columns: string[]): Promise<IntroField[]> {
    const table = record.table.trim().toLowerCase();
    const wanted = [...new Set(columns.map((c) => c.trim().toLowerCase()).filter((c) => /^[a-z_][a-z0-9_]*$/.test(c)))];
    if (wanted.length === 0) return [];
    try {
      const meta = await this.columnMeta(table, wanted);
      let present = wanted.map((c) => meta.get(c)).filter((m): m is ColumnMeta => !!m);
      const secured = present.filter((m) => m.secured).map((m) => m.column);
      if (secured.length > 0) {
        const readable = await this.readableSecured(table, secured);
        present = present.filter((m) => !m.secured || readable.has(m.column));
      }
      if (present.length === 0) return [];
      const select = present.map((m) => (m.isLookup ? `_${m.column}_value` : m.column));
      const row = await this.webAPI.retrieveRecord(table, normaliseGuid(record.id), `?$select=${select.join(",")}`);
      const out: IntroField[] = [];
      for (const m of present) {
        const wire = m.isLookup ? `_${m.column}_value` : m.column;
        const raw = row[wire] as unknown;
        if (raw === null || raw === undefined || raw === "") continue;
        const formatted = row[`${wire}${FORMATTED}`] as unknown;
        const value = typeof formatted === "string" ? formatted : m.isLookup ? "" : String(raw);
        if (value.trim() === "") continue;
        out.push({ column: m.column, label: m.label, value });
      }
      return out;
    } catch (e) {
      throw toDataverseError(e);
    }
  }

  private columnMeta(table: string, columns: string[]): Promise<Map<string, ColumnMeta>> {
    const key = `${table}|${columns.slice().sort().join(",")}`;
    let pending = this.meta.get(key);
    if (!pending) {
      pending = this.utils.getEntityMetadata(table, columns).then((md: ComponentFramework.PropertyHelper.EntityMetadata) => {
        const attributes = (md as Record<string, unknown>).Attributes;
        const map = new Map<string, ColumnMeta>();
        for (const column of columns) {
          const a = attributeOf(attributes, column);
          // No metadata for the name, or an echo without a type: the table has no such column.
          if (!a || (a.AttributeType === undefined && a.AttributeTypeName === undefined && a.DisplayName === undefined)) continue;
          const type = String(a.AttributeType ?? (a.AttributeTypeName as { Value?: string } | undefined)?.Value ?? "").toLowerCase();
          map.set(column, {
            column,
            label: labelText(a.DisplayName) ?? column,
            secured: a.IsSecured === true,
            isLookup: type === "lookup" || type === "customer" || type === "owner" || type === "lookuptype" || type === "customertype" || type === "ownertype",
          });
        }
        return map;
      });
      pending.catch(() => this.meta.delete(key));
      this.meta.set(key, pending);
    }
    return pending;
  }

  /** The user's field security profiles (their own and their teams'), or null when Dataverse will not say. */
  private userProfiles(): Promise<string[] | null> {
    if (!this.profiles) {
      const me = normaliseGuid(this.userId);
      this.profiles = (async () => {
        try {
          const own = await this.webAPI.retrieveMultipleRecords("systemuserprofiles", `?$select=fieldsecurityprofileid&$filter=systemuserid eq ${me}`);
          const teams = await this.webAPI.retrieveMultipleRecords("teammembership", `?$select=teamid&$filter=systemuserid eq ${me}`);
          const teamIds = teams.entities.map((t) => normaliseGuid(String(t.teamid ?? ""))).filter(Boolean);
          let viaTeams: ComponentFramework.WebApi.Entity[] = [];
          if (teamIds.length > 0) {
            const list = teamIds.map((id) => `'${id}'`).join(",");
            viaTeams = (
              await this.webAPI.retrieveMultipleRecords("teamprofiles", `?$select=fieldsecurityprofileid&$filter=Microsoft.Dynamics.CRM.In(PropertyName='teamid',PropertyValues=[${list}])`)
            ).entities;
          }
          return [...new Set([...own.entities, ...viaTeams].map((r) => normaliseGuid(String(r.fieldsecurityprofileid ?? ""))).filter(Boolean))];
        } catch (e) {
          const err = toDataverseError(e);
          // No read on the security tables (commonly only administrators have it): treat as "no permission".
          if (err.kind === "forbidden" || err.kind === "invalid" || err.kind === "notFound") return null;
          this.profiles = undefined;
          throw err;
        }
      })();
    }
    return this.profiles;
  }

  /** Which of `columns` (all secured) the user may read, by their profiles' field permissions. */
  private async readableSecured(table: string, columns: string[]): Promise<Set<string>> {
    const profiles = await this.userProfiles();
    if (!profiles || profiles.length === 0) return new Set();
    try {
      const list = profiles.map((id) => `'${id}'`).join(",");
      const names = columns.map((c) => `'${c}'`).join(",");
      const res = await this.webAPI.retrieveMultipleRecords(
        "fieldpermission",
        `?$select=attributelogicalname,canread&$filter=entityname eq ${odataString(table)} and canread eq ${ALLOWED}` +
          ` and Microsoft.Dynamics.CRM.In(PropertyName='attributelogicalname',PropertyValues=[${names}])` +
          ` and Microsoft.Dynamics.CRM.In(PropertyName='fieldsecurityprofileid',PropertyValues=[${list}])`,
      );
      return new Set(res.entities.filter((p) => Number(p.canread) === ALLOWED).map((p) => String(p.attributelogicalname ?? "").toLowerCase()));
    } catch (e) {
      const err = toDataverseError(e);
      if (err.kind === "forbidden") return new Set();
      throw err;
    }
  }
}
