/**
 * context.webAPI and context.utils.getEntityMetadata over HTTP, the way the platform
 * does it: the logical name is resolved to the entity set through EntityDefinitions,
 * every call goes to /api/data/v9.2 with the OData headers, and failures reject with
 * the platform's error object rather than an Error.
 */

export const API_ROOT = "/api/data/v9.2";

export interface EntityDefinition {
  LogicalName: string;
  EntitySetName: string;
  PrimaryIdAttribute: string;
  PrimaryNameAttribute: string;
  /** The user's label, as Xrm.Utility.getEntityMetadata gives it (a string, not the Label object). */
  DisplayName: string;
}

/**
 * What context.webAPI rejects with on the platform: `errorCode` is the Dataverse code
 * (e.g. 0x80040217) as a number, `code` repeats it, `raw` is the response body.
 */
export interface WebApiErrorResponse {
  errorCode: number;
  message: string;
  code: number;
  title?: string;
  raw?: string;
}

export interface WebApiOptions {
  /** systemuserid of the caller; sent as X-Sim-User so two tabs can act as two users. */
  userId: () => string;
  /** Called once per HTTP request (the harness counts them for tests). */
  onRequest?: (method: string, url: string) => void;
}

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

function cleanId(id: string): string {
  return id.replace(/[{}]/g, "").toLowerCase();
}

/** "?$select=a" | "$select=a" | "" -> "?$select=a"; a fetchXml value is URI-encoded like the platform does. */
export function normaliseOptions(options: string | undefined): string {
  if (!options) return "";
  let text = options.trim();
  if (!text) return "";
  if (!text.startsWith("?")) text = `?${text}`;
  const fetch = /^\?fetchXml=(.*)$/is.exec(text);
  if (fetch && /^\s*</.test(fetch[1])) return `?fetchXml=${encodeURIComponent(fetch[1])}`;
  return text;
}

function toErrorCode(code: unknown, status: number): number {
  if (typeof code === "number") return code;
  if (typeof code === "string") {
    if (/^0x[0-9a-f]+$/i.test(code)) return parseInt(code.slice(2), 16);
    if (/^\d+$/.test(code)) return Number(code);
  }
  // Dataverse leaves the code empty for some failures; the HTTP status is the best number left.
  return status;
}

export function errorResponse(status: number, raw: string, fallback: string): WebApiErrorResponse {
  let code: unknown;
  let message = fallback;
  try {
    const body = JSON.parse(raw) as { error?: { code?: unknown; message?: string } };
    code = body.error?.code;
    if (body.error?.message) message = body.error.message;
  } catch {
    // not JSON: keep the fallback message
  }
  const errorCode = toErrorCode(code, status);
  return { errorCode, code: errorCode, message, raw };
}

export class DataverseClient {
  private readonly definitions = new Map<string, Promise<EntityDefinition>>();

  constructor(private readonly options: WebApiOptions) {}

  private async request(method: string, url: string, body?: unknown, extra?: Record<string, string>): Promise<Response> {
    const headers: Record<string, string> = {
      Accept: "application/json",
      "OData-MaxVersion": "4.0",
      "OData-Version": "4.0",
      "X-Sim-User": this.options.userId(),
      ...extra,
    };
    if (body !== undefined) headers["Content-Type"] = "application/json; charset=utf-8";
    this.options.onRequest?.(method, url);
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "same-origin" });
    } catch (e) {
      const reason: WebApiErrorResponse = { errorCode: 0, code: 0, message: `Network error: ${(e as Error).message}` };
      throw reason;
    }
    if (!response.ok) throw errorResponse(response.status, await response.text(), `${method} ${url} failed with HTTP ${response.status}`);
    return response;
  }

  /** EntityDefinitions lookup, cached per logical name (failed lookups are retried next time). */
  definition(table: string): Promise<EntityDefinition> {
    const key = table.toLowerCase();
    let pending = this.definitions.get(key);
    if (!pending) {
      const url = `${API_ROOT}/EntityDefinitions(LogicalName='${encodeURIComponent(key)}')?$select=LogicalName,EntitySetName,PrimaryIdAttribute,PrimaryNameAttribute,DisplayName`;
      pending = this.request("GET", url)
        .then((r) => r.json())
        .then((d: Record<string, unknown>) => {
          const display = d.DisplayName as { UserLocalizedLabel?: { Label?: string } } | undefined;
          return {
            LogicalName: String(d.LogicalName),
            EntitySetName: String(d.EntitySetName),
            PrimaryIdAttribute: String(d.PrimaryIdAttribute),
            PrimaryNameAttribute: String(d.PrimaryNameAttribute),
            DisplayName: display?.UserLocalizedLabel?.Label ?? String(d.LogicalName),
          };
        });
      pending.catch(() => this.definitions.delete(key));
      this.definitions.set(key, pending);
    }
    return pending;
  }

  private async setUrl(table: string): Promise<string> {
    return `${API_ROOT}/${(await this.definition(table)).EntitySetName}`;
  }

  async retrieveRecord(table: string, id: string, options?: string): Promise<ComponentFramework.WebApi.Entity> {
    const url = `${await this.setUrl(table)}(${cleanId(id)})${normaliseOptions(options)}`;
    const response = await this.request("GET", url, undefined, { Prefer: 'odata.include-annotations="*"' });
    return (await response.json()) as ComponentFramework.WebApi.Entity;
  }

  async retrieveMultipleRecords(table: string, options?: string, maxPageSize?: number): Promise<ComponentFramework.WebApi.RetrieveMultipleResponse> {
    // A nextLink from an earlier page may come back as the options: follow it as is.
    const next = options && /^(https?:\/\/[^/]+)?\/api\/data\//i.test(options.trim()) ? options.trim() : undefined;
    const url = next ?? `${await this.setUrl(table)}${normaliseOptions(options)}`;
    const prefer = ['odata.include-annotations="*"'];
    if (maxPageSize && maxPageSize > 0) prefer.push(`odata.maxpagesize=${Math.floor(maxPageSize)}`);
    const response = await this.request("GET", url, undefined, { Prefer: prefer.join(",") });
    const body = (await response.json()) as { value?: ComponentFramework.WebApi.Entity[]; "@odata.nextLink"?: string };
    const result = { entities: body.value ?? [] } as ComponentFramework.WebApi.RetrieveMultipleResponse;
    if (body["@odata.nextLink"]) result.nextLink = body["@odata.nextLink"];
    return result;
  }

  async createRecord(table: string, data: ComponentFramework.WebApi.Entity): Promise<ComponentFramework.LookupValue> {
    const response = await this.request("POST", await this.setUrl(table), data);
    const location = response.headers.get("OData-EntityId") ?? response.headers.get("Location") ?? "";
    let id = GUID.exec(location.slice(location.lastIndexOf("(")))?.[0];
    if (!id && response.status === 201) {
      // return=representation: the id is the primary key column of the body
      const body = (await response.json()) as Record<string, unknown>;
      id = String(body[(await this.definition(table)).PrimaryIdAttribute] ?? "");
    }
    if (!id) {
      const reason: WebApiErrorResponse = { errorCode: response.status, code: response.status, message: "Create succeeded but the response named no record id (OData-EntityId missing)." };
      throw reason;
    }
    return { entityType: table, id: cleanId(id) };
  }

  async updateRecord(table: string, id: string, data: ComponentFramework.WebApi.Entity): Promise<ComponentFramework.LookupValue> {
    // If-Match: * makes PATCH an update only; without it a missing row would be created (upsert).
    await this.request("PATCH", `${await this.setUrl(table)}(${cleanId(id)})`, data, { "If-Match": "*" });
    return { entityType: table, id: cleanId(id) };
  }

  async deleteRecord(table: string, id: string): Promise<ComponentFramework.LookupValue> {
    await this.request("DELETE", `${await this.setUrl(table)}(${cleanId(id)})`);
    return { entityType: table, id: cleanId(id) };
  }

  async getEntityMetadata(table: string, attributes?: string[]): Promise<ComponentFramework.PropertyHelper.EntityMetadata> {
    const d = await this.definition(table);
    if (!attributes || attributes.length === 0) return { ...d, Attributes: [] };
    // Attribute metadata from EntityDefinitions(...)/Attributes, with the label as a string like Xrm's getEntityMetadata.
    const filter = attributes.map((a) => `LogicalName eq '${a.replace(/'/g, "''")}'`).join(" or ");
    const res = await this.request("GET", `${API_ROOT}/EntityDefinitions(LogicalName='${table}')/Attributes?$select=LogicalName,DisplayName,AttributeType,IsSecured&$filter=${encodeURIComponent(filter)}`);
    const body = (await res.json()) as { value: Array<Record<string, unknown>> };
    const attrs = body.value.map((a) => ({ ...a, DisplayName: (a.DisplayName as { UserLocalizedLabel?: { Label?: string } } | undefined)?.UserLocalizedLabel?.Label }));
    return { ...d, Attributes: attrs } as unknown as ComponentFramework.PropertyHelper.EntityMetadata;
  }

  webApi(): ComponentFramework.WebApi {
    return {
      retrieveRecord: (t, id, o) => this.retrieveRecord(t, id, o),
      retrieveMultipleRecords: (t, o, m) => this.retrieveMultipleRecords(t, o, m),
      createRecord: (t, d) => this.createRecord(t, d),
      updateRecord: (t, id, d) => this.updateRecord(t, id, d),
      deleteRecord: (t, id) => this.deleteRecord(t, id),
    };
  }
}
