/**
 * Checks for the admin diagnostics: is the link table there and readable, and what may this user
 * do with it. Privileges come from the platform (context.utils.hasEntityPrivilege), not a query.
 */
import type { LinkPrivileges, Probe } from "../../domain/diagnostics";
import { toDataverseError } from "./webApi";

export const LINK_TABLE = "tcp_chatlink";

// PCF's PrivilegeType and PrivilegeDepth values.
const READ = 2;
const CREATE = 1;
const DELETE = 4;
const BASIC = 0;
const GLOBAL = 3;

export class DataverseSetupProbe {
  constructor(
    private readonly webAPI: ComponentFramework.WebApi,
    private readonly utils: ComponentFramework.Utility,
  ) {}

  async linkTable(): Promise<Probe> {
    try {
      await this.webAPI.retrieveMultipleRecords(LINK_TABLE, "?$select=tcp_chatlinkid&$top=1");
      return { ok: true };
    } catch (e) {
      const err = toDataverseError(e);
      return { ok: false, kind: err.kind, message: err.message };
    }
  }

  linkPrivileges(): LinkPrivileges {
    const has = (type: number, depth: number) => {
      try {
        return this.utils.hasEntityPrivilege(LINK_TABLE, type as ComponentFramework.PropertyHelper.Types.PrivilegeType, depth as ComponentFramework.PropertyHelper.Types.PrivilegeDepth);
      } catch {
        return false;
      }
    };
    return { read: has(READ, GLOBAL), create: has(CREATE, BASIC), deleteOwn: has(DELETE, BASIC), deleteAny: has(DELETE, GLOBAL) };
  }
}
