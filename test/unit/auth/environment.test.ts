import { ENV_CLIENT_ID, ENV_TENANT_ID } from "../../../TeamsChatPanel/services/auth/config";
import { readEnvironmentVariables } from "../../../TeamsChatPanel/services/auth/environment";

type Row = { schemaname?: string; defaultvalue?: string | null; environmentvariabledefinition_environmentvariablevalue?: Array<{ value?: string | null }> };

/** A webAPI that answers every retrieveMultipleRecords with `rows` and records what was asked. */
function fakeWebApi(rows: Row[]) {
  const calls: Array<{ table: string; options?: string }> = [];
  const api = {
    retrieveMultipleRecords: vi.fn(async (table: string, options?: string) => {
      calls.push({ table, options });
      return { entities: rows, nextLink: undefined as unknown as string };
    }),
  };
  return { webAPI: api as unknown as ComponentFramework.WebApi, calls, api };
}

const NAMES = [ENV_CLIENT_ID, ENV_TENANT_ID];

describe("readEnvironmentVariables", () => {
  it("reads every variable in one request: filter on schemaname, the values expanded", async () => {
    const { webAPI, calls } = fakeWebApi([]);
    await readEnvironmentVariables(webAPI, NAMES);
    expect(calls).toHaveLength(1);
    expect(calls[0].table).toBe("environmentvariabledefinition");
    const options = calls[0].options ?? "";
    expect(options.startsWith("?")).toBe(true);
    const params = new URLSearchParams(options.slice(1));
    expect(params.get("$select")?.split(",").sort()).toEqual(["defaultvalue", "schemaname"]);
    expect(params.get("$filter")).toBe("schemaname eq 'tcp_TeamsChatPanelClientId' or schemaname eq 'tcp_TeamsChatPanelTenantId'");
    expect(params.get("$expand")).toBe("environmentvariabledefinition_environmentvariablevalue($select=value)");
  });

  it("escapes quotes in a schema name so the filter stays one literal", async () => {
    const { webAPI, calls } = fakeWebApi([]);
    await readEnvironmentVariables(webAPI, ["o'brien_Var"]);
    expect(calls[0].options).toContain("schemaname eq 'o''brien_Var'");
  });

  it("prefers the current value over the default", async () => {
    const { webAPI } = fakeWebApi([
      { schemaname: ENV_CLIENT_ID, defaultvalue: "default-client", environmentvariabledefinition_environmentvariablevalue: [{ value: " current-client " }] },
      { schemaname: ENV_TENANT_ID, defaultvalue: "default-tenant", environmentvariabledefinition_environmentvariablevalue: [{ value: "contoso.onmicrosoft.com" }] },
    ]);
    expect(await readEnvironmentVariables(webAPI, NAMES)).toEqual({ [ENV_CLIENT_ID]: "current-client", [ENV_TENANT_ID]: "contoso.onmicrosoft.com" });
  });

  it("falls back to the default when the current value is blank, null or absent", async () => {
    const { webAPI } = fakeWebApi([
      { schemaname: ENV_CLIENT_ID, defaultvalue: " default-client ", environmentvariabledefinition_environmentvariablevalue: [{ value: "   " }] },
      { schemaname: ENV_TENANT_ID, defaultvalue: "default-tenant", environmentvariabledefinition_environmentvariablevalue: [{ value: null }] },
      { schemaname: "tcp_Other", defaultvalue: "other-default" },
    ]);
    expect(await readEnvironmentVariables(webAPI, [...NAMES, "tcp_Other"])).toEqual({ [ENV_CLIENT_ID]: "default-client", [ENV_TENANT_ID]: "default-tenant", tcp_Other: "other-default" });
  });

  it("takes the first non-blank value when there are several value rows", async () => {
    const { webAPI } = fakeWebApi([{ schemaname: ENV_CLIENT_ID, defaultvalue: "d", environmentvariabledefinition_environmentvariablevalue: [{ value: "" }, { value: "second" }] }]);
    expect((await readEnvironmentVariables(webAPI, NAMES))[ENV_CLIENT_ID]).toBe("second");
  });

  it("reads a variable with neither value nor default, or not in the solution, as undefined", async () => {
    const { webAPI } = fakeWebApi([{ schemaname: ENV_CLIENT_ID, defaultvalue: null, environmentvariabledefinition_environmentvariablevalue: [] }]);
    const out = await readEnvironmentVariables(webAPI, NAMES);
    expect(out[ENV_CLIENT_ID]).toBeUndefined();
    expect(out[ENV_TENANT_ID]).toBeUndefined();
  });

  it("lets a failing request reject (the caller decides what unreadable means)", async () => {
    const webAPI = { retrieveMultipleRecords: async () => Promise.reject({ errorCode: 0x80040220, message: "no privilege" }) } as unknown as ComponentFramework.WebApi;
    await expect(readEnvironmentVariables(webAPI, NAMES)).rejects.toMatchObject({ message: "no privilege" });
  });
});
