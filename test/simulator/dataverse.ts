/**
 * Dataverse Web API v9.2 as the panel uses it through context.webAPI: CRUD on a
 * handful of tables, the OData query subset, paging via odata.maxpagesize,
 * annotations, the tcp_chatlink alternate key and its security rules.
 * Behaviour and error codes follow MicrosoftDocs/powerapps-docs (webapi/*, query/*,
 * web-service-error-codes) and real responses quoted in public code.
 */
import { randomUUID } from "node:crypto";
import { DV, dataverseError } from "./errors";
import { sleep } from "./faults";
import type { ServiceContext } from "./graph";
import { ODataError, type FilterNode, evaluate, parseExpand, parseFilter, parseOrderBy, parseSelect, sortRows, unknownProperty } from "./odata";
import { TABLE_BY_NAME, TABLE_BY_SET, TABLES, type TableDef, type WireColumn, navigationProperties, wireColumns } from "./schema";
import type { DvRow, SimUser } from "./state";
import { GUID_RE, type SimRequest, type SimResponse, parseCookies, safeDecode } from "./util";

const MAX_PAGE = 5000;
const JSON_CT = "application/json; odata.metadata=minimal";

interface Caller {
  systemuserid: string;
  row: DvRow;
  user: SimUser | undefined;
}

interface AnnotationPref {
  raw: string;
  patterns: string[];
}

interface ReqCtx {
  req: SimRequest;
  caller: Caller;
  base: string;
}

class DvFail extends Error {
  constructor(readonly response: SimResponse) {
    super("dataverse failure");
  }
}

function fail(status: number, code: string, message: string): never {
  throw new DvFail(dataverseError(status, code, message));
}

function queryFail(message: string): never {
  fail(400, DV.queryError, message);
}

export class DataverseApi {
  constructor(private readonly ctx: ServiceContext) {}

  private get store() {
    return this.ctx.store;
  }

  /** `req.path` is below /api/data/v9.x. */
  async dispatch(req: SimRequest, version: string): Promise<SimResponse> {
    const full = `/api/data/${version}${req.path}${req.rawQuery ? `?${req.rawQuery}` : ""}`;
    let callerName: string | null = null;
    let res: SimResponse;
    try {
      const fault = this.ctx.faults.take("dataverse", req.method, full);
      if (fault?.latencyMs) await sleep(fault.latencyMs);
      if (fault?.status) {
        res = this.faultResponse(fault.status, fault.retryAfter, fault.body);
      } else {
        const caller = this.resolveCaller(req);
        callerName = caller.user?.userPrincipalName ?? caller.systemuserid;
        res = this.route({ req, caller, base: `${req.origin}/api/data/${version}` });
      }
    } catch (e) {
      if (e instanceof DvFail) res = e.response;
      else if (e instanceof ODataError) res = dataverseError(400, DV.queryError, e.message);
      else res = dataverseError(500, DV.unexpected, `An unexpected error occurred. ${(e as Error).message}`);
    }
    res.headers = {
      "OData-Version": "4.0",
      "x-ms-service-request-id": randomUUID(),
      ...(res.body !== undefined && !Buffer.isBuffer(res.body) ? { "Content-Type": JSON_CT } : {}),
      ...(res.headers ?? {}),
    };
    this.ctx.log({ service: "dataverse", method: req.method, path: full, status: res.status, caller: callerName });
    return res;
  }

  private faultResponse(status: number, retryAfter: number | undefined, body: unknown): SimResponse {
    const headers: Record<string, string> = {};
    if (status === 429 || status === 503) headers["Retry-After"] = String(retryAfter ?? 1);
    else if (retryAfter !== undefined) headers["Retry-After"] = String(retryAfter);
    if (body !== undefined) return { status, headers, body };
    if (status === 429) {
      // Service protection limits page: request-count limit.
      return dataverseError(429, DV.throttled, "Number of requests exceeded the limit of 6000 over time window of 300 seconds.", headers);
    }
    if (status >= 500) return dataverseError(status, DV.unexpected, "An unexpected error occurred.", headers);
    return dataverseError(status, DV.unexpected, "Injected fault.", headers);
  }

  private resolveCaller(req: SimRequest): Caller {
    // The harness stands in for the platform's sign-in: a cookie or header names the systemuser.
    const unauthenticated = () =>
      new DvFail(
        dataverseError(401, DV.unauthenticated, "The requested resource requires authentication.", {
          "WWW-Authenticate": `Bearer authorization_uri=https://login.microsoftonline.com/${this.store.state.tenantId}/oauth2/authorize, resource_id=${req.origin}/`,
        }),
      );
    const id = req.headers["x-sim-user"] ?? parseCookies(req.headers.cookie).tcp_sim_user;
    if (!id) throw unauthenticated();
    const rows = this.store.table("systemuser");
    const row = rows[id.toLowerCase()] ?? Object.values(rows).find((r) => String(r.systemuserid).toLowerCase() === id.toLowerCase());
    if (!row) throw unauthenticated();
    if (row.isdisabled === true) {
      fail(403, DV.userDisabled, `The user with SystemUserId=${String(row.systemuserid)} in OrganizationContext=${this.store.state.organizationId} is disabled. Disabled users cannot access the system.`);
    }
    return { systemuserid: String(row.systemuserid), row, user: this.store.userBySystemUserId(String(row.systemuserid)) };
  }

  // ---------------------------------------------------------------- routing

  private route(c: ReqCtx): SimResponse {
    const path = c.req.path;
    if (/^\/WhoAmI(\(\))?$/i.test(path) && c.req.method === "GET") {
      return {
        status: 200,
        body: {
          "@odata.context": `${c.base}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
          BusinessUnitId: this.store.state.businessUnitId,
          UserId: c.caller.systemuserid,
          OrganizationId: this.store.state.organizationId,
        },
      };
    }
    const attrs = /^\/EntityDefinitions\(([^)]*)\)\/Attributes(?:\((.*)\))?$/i.exec(safeDecode(path));
    if (attrs && c.req.method === "GET") return this.attributeDefinitions(c, attrs[1], attrs[2]);
    const def = /^\/EntityDefinitions(?:\((.*)\))?$/i.exec(safeDecode(path));
    if (def && c.req.method === "GET") return this.entityDefinitions(c, def[1]);
    const m = /^\/([A-Za-z0-9_]+)(?:\((.*)\))?$/.exec(path);
    if (!m) queryFail(`Resource not found for the segment '${safeDecode(path.split("/").filter(Boolean).pop() ?? "")}'.`);
    const table = TABLE_BY_SET.get(m[1]);
    if (!table) {
      fail(404, DV.queryError, `Resource not found for the segment '${m[1]}'.`);
    }
    const keyPart = m[2] !== undefined ? safeDecode(m[2]) : undefined;
    if (keyPart === undefined) {
      if (c.req.method === "GET") return this.retrieveMultiple(c, table);
      if (c.req.method === "POST") return this.create(c, table);
      fail(405, DV.queryError, `The HTTP method '${c.req.method}' is not allowed for the collection '${table.entitySetName}'.`);
    }
    const id = this.resolveKey(table, keyPart);
    switch (c.req.method) {
      case "GET":
        return this.retrieve(c, table, id, keyPart);
      case "PATCH":
        return this.update(c, table, id, keyPart);
      case "DELETE":
        return this.remove(c, table, id, keyPart);
      default:
        fail(405, DV.queryError, `The HTTP method '${c.req.method}' is not allowed for an entity.`);
    }
  }

  /** Primary key "(guid)" or alternate key "(col='v',...)"; returns the row id or null when no row matches. */
  private resolveKey(table: TableDef, keyPart: string): string | null | { missingAltKey: true } {
    const k = keyPart.trim();
    if (GUID_RE.test(k)) {
      const id = k.toLowerCase();
      return this.store.table(table.logicalName)[id] ? id : null;
    }
    const pairs = [...k.matchAll(/([A-Za-z0-9_]+)\s*=\s*'((?:[^']|'')*)'/g)].map((p) => [p[1], p[2].replace(/''/g, "'")] as const);
    if (pairs.length === 0) queryFail(`Bad Request - Error in query syntax.`);
    const cols = pairs.map((p) => p[0]).sort();
    const key = Object.values(table.keys ?? {}).find((kc) => kc.slice().sort().join(",") === cols.join(","));
    if (!key) queryFail(`The key used to retrieve '${table.entitySetName}' does not match any defined key for the entity.`);
    const rows = Object.values(this.store.table(table.logicalName));
    const hit = rows.find((r) => pairs.every(([col, v]) => String(r[col] ?? "").toLowerCase() === v.toLowerCase()));
    return hit ? String(hit[table.primaryId]) : { missingAltKey: true };
  }

  private notFound(table: TableDef, keyPart: string, id: string | null | { missingAltKey: true }): never {
    if (id && typeof id === "object") {
      fail(404, "0x80060891", `A record with the specified key values does not exist in ${table.logicalName} entity`);
    }
    fail(404, DV.notFound, `${table.logicalName} With Id = ${keyPart.toLowerCase()} Does Not Exist`);
  }

  // ---------------------------------------------------------------- preferences & formatting

  private prefer(c: ReqCtx): { maxPageSize: number | null; annotations: AnnotationPref | null; representation: boolean } {
    const raw = c.req.headers.prefer ?? "";
    const parts: string[] = [];
    let cur = "";
    let inQ = false;
    for (const ch of raw) {
      if (ch === '"') inQ = !inQ;
      if (ch === "," && !inQ) {
        parts.push(cur.trim());
        cur = "";
      } else cur += ch;
    }
    if (cur.trim()) parts.push(cur.trim());
    let maxPageSize: number | null = null;
    let annotations: AnnotationPref | null = null;
    let representation = false;
    for (const p of parts) {
      const [k, ...rest] = p.split("=");
      const v = rest.join("=").trim().replace(/^"|"$/g, "");
      switch (k.trim().toLowerCase()) {
        case "odata.maxpagesize": {
          const n = Number(v);
          if (Number.isInteger(n) && n > 0) maxPageSize = Math.min(n, MAX_PAGE);
          break;
        }
        case "odata.include-annotations":
          annotations = { raw: v, patterns: v.split(",").map((s) => s.trim()).filter(Boolean) };
          break;
        case "return":
          representation = v.toLowerCase() === "representation";
          break;
      }
    }
    return { maxPageSize, annotations, representation };
  }

  private wants(pref: AnnotationPref | null, name: string): boolean {
    if (!pref) return false;
    return pref.patterns.some((p) => {
      if (p === "*") return true;
      if (p.startsWith("-")) return false;
      if (p.endsWith(".*")) return name.startsWith(p.slice(0, -1));
      return p === name;
    });
  }

  private formatted(def: WireColumn["def"], value: unknown): string | undefined {
    if (value === null || value === undefined) return undefined;
    switch (def.type) {
      case "choice":
        return def.options?.[Number(value)];
      case "bool":
        return value ? "Yes" : "No";
      case "datetime": {
        const d = new Date(String(value));
        if (Number.isNaN(d.getTime())) return undefined;
        return d.toLocaleString("en-US", { timeZone: "UTC", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "2-digit" }).replace(",", "");
      }
      case "int":
      case "decimal":
        return Number(value).toLocaleString("en-US");
      default:
        return undefined;
    }
  }

  private lookupTarget(row: DvRow, column: string, def: WireColumn["def"]): string | null {
    const stored = row[`__lk_${column}`];
    if (typeof stored === "string") return stored;
    return def.targets && def.targets.length === 1 ? def.targets[0] : null;
  }

  private primaryNameOf(target: string, id: unknown): string | undefined {
    const t = TABLE_BY_NAME.get(target);
    if (!t || typeof id !== "string") return undefined;
    const r = this.store.table(target)[id.toLowerCase()];
    const v = r?.[t.primaryName];
    return typeof v === "string" ? v : undefined;
  }

  private formatRow(c: ReqCtx, table: TableDef, row: DvRow, select: WireColumn[] | null, ann: AnnotationPref | null): Record<string, unknown> {
    const out: Record<string, unknown> = { "@odata.etag": `W/"${String(row.versionnumber ?? 1)}"` };
    const all = wireColumns(table);
    const cols = select ? [...select] : [...all.values()];
    if (!cols.some((x) => x.wire === table.primaryId)) cols.push(all.get(table.primaryId)!);
    const hidden = this.unreadableSecured(c, table);
    for (const col of cols) {
      if (hidden.has(col.column)) {
        // Column-level security: a secured column the caller may not read comes back null, without annotations.
        out[col.wire] = null;
        continue;
      }
      const v = row[col.wire] ?? null;
      if (col.def.type === "lookup") {
        if (v !== null) {
          const target = this.lookupTarget(row, col.column, col.def);
          if (this.wants(ann, "OData.Community.Display.V1.FormattedValue")) {
            const name = target ? this.primaryNameOf(target, v) : undefined;
            if (name !== undefined) out[`${col.wire}@OData.Community.Display.V1.FormattedValue`] = name;
          }
          if (this.wants(ann, "Microsoft.Dynamics.CRM.associatednavigationproperty") && target) {
            const nav = col.column === "ownerid" ? "ownerid" : col.def.targets && col.def.targets.length > 1 ? `${col.column}_${target}` : col.column;
            out[`${col.wire}@Microsoft.Dynamics.CRM.associatednavigationproperty`] = nav;
          }
          if (this.wants(ann, "Microsoft.Dynamics.CRM.lookuplogicalname") && target) {
            out[`${col.wire}@Microsoft.Dynamics.CRM.lookuplogicalname`] = target;
          }
        }
      } else if (this.wants(ann, "OData.Community.Display.V1.FormattedValue")) {
        const f = this.formatted(col.def, v);
        if (f !== undefined) out[`${col.wire}@OData.Community.Display.V1.FormattedValue`] = f;
      }
      out[col.wire] = v;
    }
    return out;
  }

  /**
   * Secured columns of `table` the caller may not read: read is granted by a field security profile
   * (fieldpermission canread = 4) the caller belongs to directly (systemuserprofiles) or through a team (teamprofiles).
   */
  private unreadableSecured(c: ReqCtx, table: TableDef): Set<string> {
    const secured = Object.entries(table.columns).filter(([, d]) => d.secured).map(([n]) => n);
    if (secured.length === 0) return new Set();
    const me = c.caller.systemuserid.toLowerCase();
    const teams = new Set(
      Object.values(this.store.table("teammembership"))
        .filter((m) => String(m.systemuserid ?? "").toLowerCase() === me)
        .map((m) => String(m.teamid ?? "").toLowerCase()),
    );
    const profiles = new Set<string>();
    for (const r of Object.values(this.store.table("systemuserprofiles"))) {
      if (String(r.systemuserid ?? "").toLowerCase() === me) profiles.add(String(r.fieldsecurityprofileid ?? "").toLowerCase());
    }
    for (const r of Object.values(this.store.table("teamprofiles"))) {
      if (teams.has(String(r.teamid ?? "").toLowerCase())) profiles.add(String(r.fieldsecurityprofileid ?? "").toLowerCase());
    }
    const readable = new Set(
      Object.values(this.store.table("fieldpermission"))
        .filter((p) => p.canread === 4 && String(p.entityname ?? "") === table.logicalName && profiles.has(String(p._fieldsecurityprofileid_value ?? "").toLowerCase()))
        .map((p) => String(p.attributelogicalname ?? "")),
    );
    return new Set(secured.filter((col) => !readable.has(col)));
  }

  private parseSelectOpt(table: TableDef, raw: string | null): WireColumn[] | null {
    if (raw === null || raw.trim() === "") return null;
    return parseSelect(raw, table);
  }

  private applyExpand(c: ReqCtx, table: TableDef, row: DvRow, out: Record<string, unknown>, raw: string | null, ann: AnnotationPref | null): void {
    if (raw === null || raw.trim() === "") return;
    const navs = navigationProperties(table);
    for (const term of parseExpand(raw)) {
      const single = navs.get(term.nav);
      if (single) {
        const target = TABLE_BY_NAME.get(single.target);
        const id = row[`_${single.column}_value`];
        const actualTarget = this.lookupTarget(row, single.column, table.columns[single.column]);
        const targetRow = target && typeof id === "string" && actualTarget === single.target ? this.store.table(single.target)[id.toLowerCase()] : undefined;
        out[term.nav] = targetRow && target ? this.formatRow(c, target, targetRow, this.parseSelectOpt(target, term.select ?? null), ann) : null;
        continue;
      }
      const many = table.oneToMany?.find((o) => o.name === term.nav);
      if (many) {
        const target = TABLE_BY_NAME.get(many.table)!;
        const myId = String(row[table.primaryId]).toLowerCase();
        let rows = Object.values(this.store.table(many.table)).filter((r) => String(r[`_${many.column}_value`] ?? "").toLowerCase() === myId);
        if (term.filter) {
          const f = parseFilter(term.filter, target);
          rows = rows.filter((r) => evaluate(f, r, c.caller.systemuserid));
        }
        if (term.orderby) rows = sortRows(rows, parseOrderBy(term.orderby, target), target);
        out[term.nav] = rows.map((r) => this.formatRow(c, target, r, this.parseSelectOpt(target, term.select ?? null), ann));
        continue;
      }
      throw unknownProperty(term.nav, table);
    }
  }

  private opt(c: ReqCtx, name: string): string | null {
    for (const [k, v] of c.req.query.entries()) if (k.toLowerCase() === name) return v;
    return null;
  }

  // ---------------------------------------------------------------- reads

  /** query/page-results page: maxpagesize up to 5000, $top ignored when paging, no $skip. */
  private retrieveMultiple(c: ReqCtx, table: TableDef): SimResponse {
    const allowed = ["$select", "$filter", "$orderby", "$top", "$count", "$expand", "$skiptoken"];
    for (const k of c.req.query.keys()) {
      if (!k.startsWith("$")) continue;
      if (k.toLowerCase() === "$skip") queryFail("The query parameter $skip is not supported");
      if (!allowed.includes(k.toLowerCase())) queryFail(`The query parameter ${k} is not supported`);
    }
    const select = this.parseSelectOpt(table, this.opt(c, "$select"));
    const filterRaw = this.opt(c, "$filter");
    const filter: FilterNode | null = filterRaw !== null ? parseFilter(filterRaw, table) : null;
    const orderRaw = this.opt(c, "$orderby");
    const order = orderRaw !== null ? parseOrderBy(orderRaw, table) : null;
    const topRaw = this.opt(c, "$top");
    let top: number | null = null;
    if (topRaw !== null) {
      if (!/^\d+$/.test(topRaw)) queryFail(`Invalid value '${topRaw}' for $top query option found. The $top query option requires a non-negative integer value.`);
      top = Number(topRaw);
    }
    const expandRaw = this.opt(c, "$expand");
    if (expandRaw) parseExpand(expandRaw); // validate before doing work
    const pref = this.prefer(c);
    let rows = Object.values(this.store.table(table.logicalName));
    if (filter) rows = rows.filter((r) => evaluate(filter, r, c.caller.systemuserid));
    rows = sortRows(rows, order ?? [], table);
    const total = rows.length;
    const pageSize = pref.maxPageSize ?? MAX_PAGE;
    if (top !== null && pref.maxPageSize === null) rows = rows.slice(0, top);
    const pageNo = this.pageNumber(this.opt(c, "$skiptoken"));
    const start = (pageNo - 1) * pageSize;
    const page = rows.slice(start, start + pageSize);
    const value = page.map((r) => {
      const out = this.formatRow(c, table, r, select, pref.annotations);
      this.applyExpand(c, table, r, out, expandRaw, pref.annotations);
      return out;
    });
    const body: Record<string, unknown> = {
      "@odata.context": `${c.base}/$metadata#${table.entitySetName}${select ? `(${select.map((s) => s.wire).join(",")})` : ""}`,
    };
    if ((this.opt(c, "$count") ?? "").toLowerCase() === "true") body["@odata.count"] = Math.min(total, MAX_PAGE);
    body.value = value;
    if (start + pageSize < rows.length) body["@odata.nextLink"] = this.nextLink(c, table, pageNo + 1, page[page.length - 1], page[0]);
    const applied: string[] = [];
    if (pref.maxPageSize !== null) applied.push(`odata.maxpagesize=${pref.maxPageSize}`);
    if (pref.annotations) applied.push(`odata.include-annotations="${pref.annotations.raw}"`);
    return { status: 200, body, headers: applied.length ? { "Preference-Applied": applied.join(",") } : {} };
  }

  private pageNumber(token: string | null): number {
    if (token === null) return 1;
    const m = /pagenumber="(\d+)"/.exec(safeDecode(token));
    if (!m) queryFail("The $skiptoken value is not valid.");
    return Math.max(1, Number(m[1]));
  }

  /** A paging cookie shaped like Dataverse's own (page-results page); the simulator only reads pagenumber. */
  private nextLink(c: ReqCtx, table: TableDef, nextPage: number, last: DvRow, first: DvRow): string {
    const inner = `<cookie page="${nextPage - 1}"><${table.primaryId} last="{${String(last[table.primaryId]).toUpperCase()}}" first="{${String(first[table.primaryId]).toUpperCase()}}" /></cookie>`;
    const cookie = `<cookie pagenumber="${nextPage}" pagingcookie="${encodeURIComponent(encodeURIComponent(inner))}" istracking="False" />`;
    const kept = c.req.rawQuery
      .split("&")
      .filter(Boolean)
      .filter((p) => safeDecode(p.split("=")[0]).toLowerCase() !== "$skiptoken");
    kept.push(`$skiptoken=${encodeURIComponent(cookie)}`);
    return `${c.base}${c.req.path}?${kept.join("&")}`;
  }

  private retrieve(c: ReqCtx, table: TableDef, id: string | null | { missingAltKey: true }, keyPart: string): SimResponse {
    for (const k of c.req.query.keys()) {
      if (k.startsWith("$") && !["$select", "$expand"].includes(k.toLowerCase())) queryFail(`The query parameter ${k} is not supported`);
    }
    const select = this.parseSelectOpt(table, this.opt(c, "$select"));
    const expandRaw = this.opt(c, "$expand");
    if (typeof id !== "string") this.notFound(table, keyPart, id);
    const row = this.store.table(table.logicalName)[id];
    const pref = this.prefer(c);
    const out = this.formatRow(c, table, row, select, pref.annotations);
    this.applyExpand(c, table, row, out, expandRaw, pref.annotations);
    return {
      status: 200,
      body: { "@odata.context": `${c.base}/$metadata#${table.entitySetName}${select ? `(${select.map((s) => s.wire).join(",")})` : ""}/$entity`, ...out },
      headers: pref.annotations ? { "Preference-Applied": `odata.include-annotations="${pref.annotations.raw}"` } : {},
    };
  }

  private entityDefinitions(c: ReqCtx, key: string | undefined): SimResponse {
    const selectRaw = this.opt(c, "$select");
    const select = selectRaw ? selectRaw.split(",").map((s) => s.trim()).filter(Boolean) : null;
    const label = (text: string) => {
      const l = { Label: text, LanguageCode: 1033, IsManaged: true, MetadataId: randomUUID(), HasChanged: null };
      return { LocalizedLabels: [l], UserLocalizedLabel: l };
    };
    const describe = (t: TableDef): Record<string, unknown> => {
      const full: Record<string, unknown> = {
        MetadataId: `${t.objectTypeCode.toString(16).padStart(8, "0")}-0000-0000-0000-000000000000`,
        LogicalName: t.logicalName,
        SchemaName: t.logicalName === "tcp_chatlink" ? "tcp_ChatLink" : t.logicalName.charAt(0).toUpperCase() + t.logicalName.slice(1),
        EntitySetName: t.entitySetName,
        LogicalCollectionName: t.entitySetName,
        PrimaryIdAttribute: t.primaryId,
        PrimaryNameAttribute: t.primaryName,
        ObjectTypeCode: t.objectTypeCode,
        OwnershipType: t.ownership === "user" ? "UserOwned" : "OrganizationOwned",
        IsCustomEntity: t.logicalName.startsWith("tcp_"),
        DisplayName: label(t.displayName),
        DisplayCollectionName: label(t.displayCollectionName),
      };
      if (!select) return full;
      const out: Record<string, unknown> = { MetadataId: full.MetadataId };
      for (const s of select) {
        if (!(s in full)) queryFail(`Could not find a property named '${s}' on type 'Microsoft.Dynamics.CRM.EntityMetadata'.`);
        out[s] = full[s];
      }
      return out;
    };
    if (key !== undefined) {
      const m = /^\s*LogicalName\s*=\s*'([^']*)'\s*$/i.exec(key);
      let t: TableDef | undefined;
      if (m) t = TABLE_BY_NAME.get(m[1].toLowerCase());
      else if (GUID_RE.test(key.trim())) t = TABLES.find((x) => describe(x).MetadataId === key.trim().toLowerCase());
      else queryFail(`Bad Request - Error in query syntax.`);
      if (!t) fail(404, DV.notFound, `Could not find entity with name '${m ? m[1] : key}'.`);
      return { status: 200, body: { "@odata.context": `${c.base}/$metadata#EntityDefinitions(${select ? select.join(",") : ""})/$entity`, ...describe(t) } };
    }
    let tables = TABLES;
    const filter = this.opt(c, "$filter");
    if (filter) {
      const names = [...filter.matchAll(/LogicalName\s+eq\s+'([^']*)'/gi)].map((x) => x[1].toLowerCase());
      if (names.length === 0) queryFail(`The $filter '${filter}' is not supported by the simulator for EntityDefinitions.`);
      tables = TABLES.filter((t) => names.includes(t.logicalName));
    }
    return { status: 200, body: { "@odata.context": `${c.base}/$metadata#EntityDefinitions(${select ? select.join(",") : ""})`, value: tables.map(describe) } };
  }

  /**
   * EntityDefinitions(LogicalName='x')/Attributes[(LogicalName='y')] with $select and a $filter of
   * LogicalName eq '…' terms: the column definitions, including IsSecured (column-level-security page).
   */
  private attributeDefinitions(c: ReqCtx, tableKey: string, attrKey: string | undefined): SimResponse {
    const m = /^\s*LogicalName\s*=\s*'([^']*)'\s*$/i.exec(tableKey);
    if (!m) queryFail(`Bad Request - Error in query syntax.`);
    const t = TABLE_BY_NAME.get(m[1].toLowerCase());
    if (!t) fail(404, DV.notFound, `Could not find entity with name '${m[1]}'.`);
    const selectRaw = this.opt(c, "$select");
    const select = selectRaw ? selectRaw.split(",").map((x) => x.trim()).filter(Boolean) : null;
    const typeName = (d: WireColumn["def"]): string =>
      ({ guid: "Uniqueidentifier", string: "String", memo: "Memo", int: "Integer", decimal: "Decimal", bool: "Boolean", datetime: "DateTime", choice: "Picklist", lookup: "Lookup" })[d.type];
    const describe = (column: string, d: WireColumn["def"], i: number): Record<string, unknown> => {
      const text = d.label ?? column;
      const l = { Label: text, LanguageCode: 1033, IsManaged: true, MetadataId: `${t.objectTypeCode.toString(16).padStart(8, "0")}-0000-0000-0001-${(i + 1).toString(16).padStart(12, "0")}`, HasChanged: null };
      const full: Record<string, unknown> = {
        MetadataId: `${t.objectTypeCode.toString(16).padStart(8, "0")}-0000-0000-0000-${(i + 1).toString(16).padStart(12, "0")}`,
        LogicalName: column,
        SchemaName: column,
        EntityLogicalName: t.logicalName,
        AttributeType: typeName(d),
        DisplayName: { LocalizedLabels: [l], UserLocalizedLabel: l },
        IsPrimaryId: column === t.primaryId,
        IsPrimaryName: column === t.primaryName,
        IsSecured: d.secured === true,
        CanBeSecuredForRead: !d.readOnly && column !== t.primaryId,
        IsValidForRead: true,
      };
      if (!select) return full;
      const out: Record<string, unknown> = { MetadataId: full.MetadataId };
      for (const s of select) {
        if (!(s in full)) queryFail(`Could not find a property named '${s}' on type 'Microsoft.Dynamics.CRM.AttributeMetadata'.`);
        out[s] = full[s];
      }
      return out;
    };
    const all = Object.entries(t.columns).map(([column, d], i) => ({ column, d, i }));
    const ctx = `${c.base}/$metadata#EntityDefinitions('${t.logicalName}')/Attributes`;
    if (attrKey !== undefined) {
      const k = /^\s*LogicalName\s*=\s*'([^']*)'\s*$/i.exec(attrKey);
      if (!k) queryFail(`Bad Request - Error in query syntax.`);
      const hit = all.find((a) => a.column === k[1].toLowerCase());
      if (!hit) fail(404, DV.notFound, `Could not find attribute with name '${k[1]}' on entity '${t.logicalName}'.`);
      return { status: 200, body: { "@odata.context": `${ctx}/$entity`, ...describe(hit.column, hit.d, hit.i) } };
    }
    let rows = all;
    const filter = this.opt(c, "$filter");
    if (filter) {
      const names = [...filter.matchAll(/LogicalName\s+eq\s+'([^']*)'/gi)].map((x) => x[1].toLowerCase());
      if (names.length === 0) queryFail(`The $filter '${filter}' is not supported by the simulator for Attributes.`);
      rows = all.filter((a) => names.includes(a.column));
    }
    return { status: 200, body: { "@odata.context": ctx, value: rows.map((a) => describe(a.column, a.d, a.i)) } };
  }

  // ---------------------------------------------------------------- writes

  private payloadError(table: TableDef, inner: string): never {
    fail(
      400,
      DV.payloadError,
      `Error identified in Payload provided by the user for Entity :'${table.entitySetName}', For more information on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293  ---->  InnerException : Microsoft.OData.ODataException: ${inner}`,
    );
  }

  /** Applies a create/update payload to `row` (mutates), checking names, types, lengths and lookups. */
  private applyPayload(c: ReqCtx, table: TableDef, row: DvRow, body: Record<string, unknown>, creating: boolean): void {
    const navs = navigationProperties(table);
    for (const [key, value] of Object.entries(body)) {
      if (key.startsWith("@odata.") && !key.includes("@odata.bind")) continue;
      if (key.endsWith("@odata.bind")) {
        const nav = key.slice(0, -"@odata.bind".length);
        const n = navs.get(nav) ?? (nav === "ownerid" ? { column: "ownerid", target: "" } : undefined);
        if (!n) this.payloadError(table, `An undeclared property '${nav}' which only has property annotations in the payload but no property value was found in the payload.`);
        if (value === null) {
          row[`_${n.column}_value`] = null;
          delete row[`__lk_${n.column}`];
          continue;
        }
        const m = /(?:^|\/)([A-Za-z0-9_]+)\(([0-9a-fA-F-]{36})\)\s*$/.exec(String(value));
        if (!m) this.payloadError(table, `The value '${String(value)}' of '${key}' is not a valid entity reference.`);
        const targetTable = TABLE_BY_SET.get(m[1]);
        const allowed = table.columns[n.column]?.targets ?? [];
        if (!targetTable || (n.target ? targetTable.logicalName !== n.target : !allowed.includes(targetTable.logicalName))) {
          this.payloadError(table, `The entity set '${m[1]}' is not valid for the navigation property '${nav}'.`);
        }
        const targetId = m[2].toLowerCase();
        if (!this.store.table(targetTable.logicalName)[targetId]) {
          fail(404, DV.notFound, `${targetTable.logicalName} With Id = ${targetId} Does Not Exist`);
        }
        row[`_${n.column}_value`] = targetId;
        row[`__lk_${n.column}`] = targetTable.logicalName;
        continue;
      }
      if (/^_.*_value$/.test(key)) {
        fail(400, DV.payloadError, "CRM do not support direct update of Entity Reference properties, Use Navigation properties instead.");
      }
      const def = table.columns[key];
      if (!def || def.type === "lookup") {
        this.payloadError(table, `The property '${key}' does not exist on type 'Microsoft.Dynamics.CRM.${table.logicalName}'. Make sure to only use property names that are defined by the type or mark the type as open type.`);
      }
      if (key === table.primaryId) {
        if (!creating) continue;
        if (typeof value !== "string" || !GUID_RE.test(value)) this.payloadError(table, `Cannot convert the literal '${String(value)}' to the expected type 'Edm.Guid'.`);
        row[key] = value.toLowerCase();
        continue;
      }
      if (def.readOnly) continue; // the platform ignores writes to system columns
      if (value === null) {
        row[key] = null;
        continue;
      }
      switch (def.type) {
        case "string":
        case "memo":
          if (typeof value !== "string") this.payloadError(table, `Cannot convert the literal '${String(value)}' to the expected type 'Edm.String'.`);
          if (def.maxLength !== undefined && value.length > def.maxLength) {
            fail(
              400,
              DV.maxLength,
              `A validation error occurred. The length of the '${key}' attribute of the '${table.logicalName}' entity exceeded the maximum allowed length of '${def.maxLength}'.`,
            );
          }
          break;
        case "int":
        case "decimal":
          if (typeof value !== "number" || (def.type === "int" && !Number.isInteger(value))) {
            this.payloadError(table, `Cannot convert the literal '${String(value)}' to the expected type '${def.type === "int" ? "Edm.Int32" : "Edm.Decimal"}'.`);
          }
          break;
        case "choice":
          if (typeof value !== "number" || !Number.isInteger(value)) this.payloadError(table, `Cannot convert the literal '${String(value)}' to the expected type 'Edm.Int32'.`);
          if (def.options && !(value in def.options)) {
            fail(
              400,
              DV.optionOutOfRange,
              `A validation error occurred. The value ${value} of '${key}' on record of type '${table.logicalName}' is outside the valid range. Accepted Values: ${Object.keys(def.options).join(",")}`,
            );
          }
          break;
        case "bool":
          if (typeof value !== "boolean") this.payloadError(table, `Cannot convert the literal '${String(value)}' to the expected type 'Edm.Boolean'.`);
          break;
        case "datetime":
          if (typeof value !== "string" || Number.isNaN(Date.parse(value))) this.payloadError(table, `Cannot convert the literal '${String(value)}' to the expected type 'Edm.DateTimeOffset'.`);
          break;
        case "guid":
          if (typeof value !== "string" || !GUID_RE.test(value)) this.payloadError(table, `Cannot convert the literal '${String(value)}' to the expected type 'Edm.Guid'.`);
          break;
      }
      row[key] = def.type === "guid" ? String(value).toLowerCase() : value;
    }
    void c;
  }

  /** Alternate key (tcp_chatid, tcp_regardingtable, tcp_regardingid): a second row with the same values is refused with 412. */
  private checkKeys(table: TableDef, row: DvRow): void {
    for (const [name, cols] of Object.entries(table.keys ?? {})) {
      if (cols.some((col) => row[col] === null || row[col] === undefined)) continue;
      const clash = Object.values(this.store.table(table.logicalName)).find(
        (r) => r[table.primaryId] !== row[table.primaryId] && cols.every((col) => String(r[col] ?? "").toLowerCase() === String(row[col]).toLowerCase()),
      );
      if (clash) {
        fail(
          412,
          DV.duplicateKey,
          `Entity Key ${name} violated. A record with the same value for ${cols.join(",")} already exists. A duplicate record cannot be created. Select one or more unique values and try again.`,
        );
      }
    }
  }

  private accessDenied(c: ReqCtx, table: TableDef, row: DvRow, right: "DeleteAccess" | "WriteAccess" | "AssignAccess"): never {
    // Message shape of SecLib::AccessCheckEx failures (privilege depth too low for a record someone else owns).
    fail(
      403,
      DV.privilegeDenied,
      `SecLib::AccessCheckEx failed. Returned hr = -2147187962, ObjectID: ${String(row[table.primaryId])}, OwnerId: ${String(row._ownerid_value)},  OwnerIdType: 8 and CallingUser: ${c.caller.systemuserid}. ObjectTypeCode: ${table.objectTypeCode}, objectBusinessUnitId: ${this.store.state.businessUnitId}, AccessRights: ${right} `,
    );
  }

  /** tcp_chatlink security: read at organization depth, create/write/delete at user depth unless granted org delete. */
  private checkLinkRights(c: ReqCtx, table: TableDef, row: DvRow, right: "DeleteAccess" | "WriteAccess"): void {
    if (table.logicalName !== "tcp_chatlink") return;
    const own = String(row._ownerid_value ?? "").toLowerCase() === c.caller.systemuserid.toLowerCase();
    const org = this.store.state.chatLinkOrgDeleters.some((x) => x.toLowerCase() === c.caller.systemuserid.toLowerCase());
    if (!own && !org) this.accessDenied(c, table, row, right);
  }

  private body(c: ReqCtx, table: TableDef): Record<string, unknown> {
    const b = c.req.body;
    if (b === undefined || b === null || typeof b !== "object" || Array.isArray(b)) {
      this.payloadError(table, "The request body is not a valid JSON object.");
    }
    return b as Record<string, unknown>;
  }

  private entityIdHeader(c: ReqCtx, table: TableDef, id: string): Record<string, string> {
    return { "OData-EntityId": `${c.base}/${table.entitySetName}(${id})` };
  }

  private representation(c: ReqCtx, table: TableDef, row: DvRow, status: number, headers: Record<string, string>): SimResponse {
    const pref = this.prefer(c);
    const select = this.parseSelectOpt(table, this.opt(c, "$select"));
    return {
      status,
      headers: { ...headers, "Preference-Applied": "return=representation" },
      body: { "@odata.context": `${c.base}/$metadata#${table.entitySetName}/$entity`, ...this.formatRow(c, table, row, select, pref.annotations) },
    };
  }

  private stamp(c: ReqCtx, row: DvRow, table: TableDef, creating: boolean): void {
    const now = this.ctx.now().toISOString();
    if (creating) {
      if ("createdon" in table.columns) row.createdon = row.createdon ?? now;
      if ("createdby" in table.columns) {
        row._createdby_value = c.caller.systemuserid;
        row.__lk_createdby = "systemuser";
      }
      if ("statecode" in table.columns && row.statecode === undefined) row.statecode = 0;
      if ("statuscode" in table.columns && row.statuscode === undefined) row.statuscode = 1;
    }
    if ("modifiedon" in table.columns) row.modifiedon = now;
    if ("modifiedby" in table.columns) {
      row._modifiedby_value = c.caller.systemuserid;
      row.__lk_modifiedby = "systemuser";
    }
    row.versionnumber = this.store.nextDvVersion();
  }

  private create(c: ReqCtx, table: TableDef, presetId?: string): SimResponse {
    const body = this.body(c, table);
    const row: DvRow = {};
    this.applyPayload(c, table, row, body, true);
    const id = presetId ?? (typeof row[table.primaryId] === "string" ? String(row[table.primaryId]) : randomUUID());
    row[table.primaryId] = id;
    const rows = this.store.table(table.logicalName);
    if (rows[id]) fail(412, "0x80040237", "A record with matching key values already exists.");
    if ("ownerid" in table.columns) {
      if (row._ownerid_value === undefined || row._ownerid_value === null) {
        row._ownerid_value = c.caller.systemuserid;
        row.__lk_ownerid = "systemuser";
      } else if (table.logicalName === "tcp_chatlink" && String(row._ownerid_value) !== c.caller.systemuserid.toLowerCase()) {
        // Link rows are created at user depth: a user can only create rows they own.
        this.accessDenied(c, table, { ...row, _ownerid_value: row._ownerid_value }, "AssignAccess");
      }
      row._owningbusinessunit_value = this.store.state.businessUnitId;
      row.__lk_owningbusinessunit = "businessunit";
    }
    if (table.logicalName === "contact" && row.fullname === undefined) row.fullname = [row.firstname, row.lastname].filter(Boolean).join(" ");
    this.stamp(c, row, table, true);
    this.checkKeys(table, row);
    rows[id] = row;
    this.ctx.changed();
    const headers = this.entityIdHeader(c, table, id);
    if (this.prefer(c).representation) return this.representation(c, table, row, 201, headers);
    return { status: 204, headers };
  }

  /** PATCH is an upsert unless If-Match: * (update-delete-entities-using-web-api page). */
  private update(c: ReqCtx, table: TableDef, id: string | null | { missingAltKey: true }, keyPart: string): SimResponse {
    if (typeof id !== "string") {
      if ((c.req.headers["if-match"] ?? "").trim() === "*" || typeof id === "object") this.notFound(table, keyPart, id);
      return this.create(c, table, keyPart.trim().toLowerCase());
    }
    const rows = this.store.table(table.logicalName);
    const existing = rows[id];
    if ((c.req.headers["if-none-match"] ?? "").trim() === "*") fail(412, "0x80040237", "A record with matching key values already exists.");
    this.checkLinkRights(c, table, existing, "WriteAccess");
    const body = this.body(c, table);
    const row: DvRow = { ...existing };
    this.applyPayload(c, table, row, body, false);
    if (table.logicalName === "tcp_chatlink" && String(row._ownerid_value) !== String(existing._ownerid_value)) {
      this.accessDenied(c, table, existing, "AssignAccess");
    }
    this.stamp(c, row, table, false);
    this.checkKeys(table, row);
    rows[id] = row;
    this.ctx.changed();
    const headers = this.entityIdHeader(c, table, id);
    if (this.prefer(c).representation) return this.representation(c, table, row, 200, headers);
    return { status: 204, headers };
  }

  private remove(c: ReqCtx, table: TableDef, id: string | null | { missingAltKey: true }, keyPart: string): SimResponse {
    if (typeof id !== "string") this.notFound(table, keyPart, id);
    const rows = this.store.table(table.logicalName);
    this.checkLinkRights(c, table, rows[id], "DeleteAccess");
    delete rows[id];
    this.ctx.changed();
    return { status: 204 };
  }
}
