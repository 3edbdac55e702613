import { normaliseGuid } from "../../domain/ids";
import type { RecordInfo, RecordRef } from "../../domain/types";
import type { CurrentUser, RecordReader } from "../ports";
import { DataverseIntroReader } from "./introFields";
import { toDataverseError } from "./webApi";

interface TableMeta {
  primaryId: string;
  primaryName: string;
  displayName?: string;
}

/** Reads the form's record, the signed-in user and other records' titles; Dataverse security applies to every read. */
export class DataverseRecordReader implements RecordReader {
  private readonly meta = new Map<string, Promise<TableMeta>>();
  private readonly intro: DataverseIntroReader;

  constructor(
    private readonly webAPI: ComponentFramework.WebApi,
    private readonly utils: ComponentFramework.Utility,
    private readonly userId: string,
  ) {
    this.intro = new DataverseIntroReader(webAPI, utils, userId);
  }

  async introFields(record: RecordRef, columns: string[]): Promise<Array<{ label: string; value: string }>> {
    return (await this.intro.readFields(record, columns)).map(({ label, value }) => ({ label, value }));
  }

  private tableMeta(table: string): Promise<TableMeta> {
    let m = this.meta.get(table);
    if (!m) {
      m = this.utils.getEntityMetadata(table, []).then(
        (md: ComponentFramework.PropertyHelper.EntityMetadata) => {
          const raw = md as unknown as Record<string, unknown>;
          const dn = raw.DisplayName as unknown;
          const label = typeof dn === "string" ? dn : (dn as { UserLocalizedLabel?: { Label?: string } } | undefined)?.UserLocalizedLabel?.Label;
          return { primaryId: String(raw.PrimaryIdAttribute ?? `${table}id`), primaryName: String(raw.PrimaryNameAttribute ?? "name"), displayName: label };
        },
      );
      m.catch(() => this.meta.delete(table));
      this.meta.set(table, m);
    }
    return m;
  }

  async currentUser(): Promise<CurrentUser> {
    try {
      const u = await this.webAPI.retrieveRecord("systemuser", normaliseGuid(this.userId), "?$select=fullname,domainname,azureactivedirectoryobjectid");
      return {
        systemUserId: normaliseGuid(this.userId),
        aadObjectId: normaliseGuid(String(u.azureactivedirectoryobjectid ?? "")),
        fullName: String(u.fullname ?? ""),
        upn: String(u.domainname ?? ""),
      };
    } catch (e) {
      throw toDataverseError(e);
    }
  }

  async recordInfo(ref: RecordRef): Promise<RecordInfo> {
    try {
      const meta = await this.tableMeta(ref.table);
      const row = await this.webAPI.retrieveRecord(ref.table, normaliseGuid(ref.id), `?$select=${meta.primaryName}`);
      return { table: ref.table, id: normaliseGuid(ref.id), title: String(row[meta.primaryName] ?? ""), tableDisplayName: meta.displayName };
    } catch (e) {
      throw toDataverseError(e);
    }
  }

  async titles(refs: RecordRef[]): Promise<RecordInfo[]> {
    const byTable = new Map<string, Set<string>>();
    for (const r of refs) {
      const set = byTable.get(r.table) ?? new Set<string>();
      set.add(normaliseGuid(r.id));
      byTable.set(r.table, set);
    }
    const results = await Promise.all(
      [...byTable].map(async ([table, ids]) => {
        try {
          const meta = await this.tableMeta(table);
          const list = [...ids].map((id) => `'${id}'`).join(",");
          const res = await this.webAPI.retrieveMultipleRecords(
            table,
            `?$select=${meta.primaryId},${meta.primaryName}&$filter=Microsoft.Dynamics.CRM.In(PropertyName='${meta.primaryId}',PropertyValues=[${list}])`,
          );
          return res.entities.map((e) => ({ table, id: normaliseGuid(String(e[meta.primaryId])), title: String(e[meta.primaryName] ?? ""), tableDisplayName: meta.displayName }));
        } catch {
          // A table the user cannot read: its links show the table only.
          return [] as RecordInfo[];
        }
      }),
    );
    return results.flat();
  }
}
