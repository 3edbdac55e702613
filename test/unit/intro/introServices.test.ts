/**
 * The intro card's services against the real simulator over HTTP: the Dataverse reader through the
 * harness's context.webAPI implementation (fetch with the platform's headers), and the Graph send
 * through the control's own Graph client and middleware.
 */
import { createGraphClient } from "../../../TeamsChatPanel/services/graph/client";
import { sendHtmlMessage } from "../../../TeamsChatPanel/services/graph/messages";
import { DataverseIntroReader } from "../../../TeamsChatPanel/services/dataverse/introFields";
import { ServiceError } from "../../../TeamsChatPanel/services/errors";
import { DataverseClient } from "../../harness/page/webapi";
import { type DirectoryUser, type SimClient, startClient } from "../../simulator/test-client";

let c: SimClient;
let users: DirectoryUser[];
let caseId: string;
const requests: string[] = [];

const byName = (name: string) => users.find((u) => u.fullname === name)!;

/** context.webAPI + context.utils for one user, over the simulator (absolute URLs for Node's fetch). */
function platform(user: DirectoryUser): { webAPI: ComponentFramework.WebApi; utils: ComponentFramework.Utility } {
  const dv = new DataverseClient({ userId: () => user.systemuserid, onRequest: (m, u) => requests.push(`${m} ${decodeURIComponent(u)}`) });
  const getEntityMetadata = async (table: string, attributes?: string[]) => {
    const d = await dv.definition(table);
    const names = (attributes ?? []).map((a) => `LogicalName eq '${a}'`).join(" or ");
    const url = `${c.url}/api/data/v9.2/EntityDefinitions(LogicalName='${table}')/Attributes?$select=LogicalName,DisplayName,AttributeType,IsSecured${names ? `&$filter=${encodeURIComponent(names)}` : ""}`;
    requests.push(`GET ${decodeURIComponent(url.slice(c.url.length))}`);
    const r = await fetch(url, { headers: { "X-Sim-User": user.systemuserid, Accept: "application/json" } });
    if (!r.ok) throw { errorCode: r.status, code: r.status, message: await r.text() };
    const body = (await r.json()) as { value: Array<Record<string, unknown>> };
    // Like Xrm's getEntityMetadata: the label as a string.
    const attrs = body.value.map((a) => ({ ...a, DisplayName: (a.DisplayName as { UserLocalizedLabel?: { Label?: string } })?.UserLocalizedLabel?.Label }));
    return { ...d, Attributes: attrs } as ComponentFramework.PropertyHelper.EntityMetadata;
  };
  return { webAPI: dv.webApi(), utils: { getEntityMetadata } as unknown as ComponentFramework.Utility };
}

const realFetch = globalThis.fetch;

beforeAll(async () => {
  c = await startClient({ seed: "demo" });
  users = await c.directory();
  // The harness client speaks in root-relative URLs like the platform page does.
  vi.stubGlobal("fetch", (input: string | URL | Request, init?: RequestInit) =>
    realFetch(typeof input === "string" && input.startsWith("/") ? `${c.url}${input}` : input, init),
  );
  const r = await c.dv(byName("Megan Pierce").systemuserid, `/incidents?$select=incidentid&$filter=${encodeURIComponent("startswith(title,'Printer jams on every duplex')")}`);
  caseId = ((await r.json()) as { value: Array<{ incidentid: string }> }).value[0].incidentid;
});
afterAll(async () => {
  vi.unstubAllGlobals();
  await c.close();
});
beforeEach(() => (requests.length = 0));

function reader(user: DirectoryUser): DataverseIntroReader {
  const p = platform(user);
  return new DataverseIntroReader(p.webAPI, p.utils, `{${user.systemuserid.toUpperCase()}}`);
}

describe("DataverseIntroReader against the simulator", () => {
  it("returns display names and formatted values, lookups by their record's name, in the admin's order", async () => {
    const fields = await reader(byName("Megan Pierce")).readFields({ table: "incident", id: caseId }, ["ticketnumber", "prioritycode", "statuscode", "customerid"]);
    expect(fields.map((f) => f.column)).toEqual(["ticketnumber", "prioritycode", "statuscode", "customerid"]);
    expect(fields.find((f) => f.column === "prioritycode")).toEqual({ column: "prioritycode", label: "Priority", value: "High" });
    expect(fields.find((f) => f.column === "statuscode")).toEqual({ column: "statuscode", label: "Status Reason", value: "In Progress" });
    expect(fields.find((f) => f.column === "customerid")).toEqual({ column: "customerid", label: "Customer", value: expect.stringMatching(/Fabrikam/) });
    expect(fields.find((f) => f.column === "ticketnumber")?.value).toMatch(/^CAS-01001-/);
    // The lookup is selected by its wire name, and no secured column means no field-security queries.
    expect(requests.some((r) => r.includes("$select=ticketnumber,prioritycode,statuscode,_customerid_value"))).toBe(true);
    expect(requests.some((r) => /fieldpermission|profiles/i.test(r))).toBe(false);
  });

  it("skips a column the table does not have instead of failing the read", async () => {
    const fields = await reader(byName("Megan Pierce")).readFields({ table: "incident", id: caseId }, ["prioritycode", "priortycode", "statuscode"]);
    expect(fields.map((f) => f.column)).toEqual(["prioritycode", "statuscode"]);
  });

  it("includes a secured column for a user whose field security profile grants read", async () => {
    const fields = await reader(byName("Megan Pierce")).readFields({ table: "incident", id: caseId }, ["prioritycode", "description"]);
    expect(fields.map((f) => f.column)).toEqual(["prioritycode", "description"]);
    expect(fields[1]).toEqual({ column: "description", label: "Description", value: expect.stringContaining("jams on every two-sided job") });
    expect(requests.some((r) => r.includes("fieldpermissions?") && r.includes("entityname eq 'incident'"))).toBe(true);
  });

  it("includes it for a user granted read through a team's profile", async () => {
    const fields = await reader(byName("Tomás Alvarez")).readFields({ table: "incident", id: caseId }, ["description"]);
    expect(fields.map((f) => f.column)).toEqual(["description"]);
  });

  it("excludes the secured column for a user without read permission, and never asks for its value", async () => {
    const fields = await reader(byName("Daniel Okafor")).readFields({ table: "incident", id: caseId }, ["prioritycode", "description"]);
    expect(fields.map((f) => f.column)).toEqual(["prioritycode"]);
    expect(requests.some((r) => /\/incidents\(.*\$select=.*description/.test(r))).toBe(false);
  });

  it("the simulator itself hides the secured value from that user (null), and shows it to the reader", async () => {
    const daniel = byName("Daniel Okafor");
    const path = `/incidents(${caseId})?$select=description,title`;
    const hidden = (await (await c.dv(daniel.systemuserid, path)).json()) as Record<string, unknown>;
    const shown = (await (await c.dv(byName("Megan Pierce").systemuserid, path)).json()) as Record<string, unknown>;
    expect(hidden.description).toBeNull();
    expect(typeof hidden.title).toBe("string");
    expect(String(shown.description)).toContain("two-sided");
  });

  it("returns nothing for no columns and throws a ServiceError when the record does not exist", async () => {
    expect(await reader(byName("Megan Pierce")).readFields({ table: "incident", id: caseId }, [])).toEqual([]);
    const err = await reader(byName("Megan Pierce"))
      .readFields({ table: "incident", id: "00000000-0000-0000-0000-000000000001" }, ["prioritycode"])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceError);
    expect((err as ServiceError).kind).toBe("notFound");
  });

  it("fails closed when Dataverse refuses the field-permission query", async () => {
    const p = platform(byName("Megan Pierce"));
    const webAPI: ComponentFramework.WebApi = {
      ...p.webAPI,
      retrieveMultipleRecords: async (t, o, m) => {
        if (t === "fieldpermission") throw { errorCode: 0x80040220, code: 0x80040220, message: "Principal user is missing prvReadFieldPermission privilege." };
        return p.webAPI.retrieveMultipleRecords(t, o, m);
      },
    };
    const fields = await new DataverseIntroReader(webAPI, p.utils, byName("Megan Pierce").systemuserid).readFields({ table: "incident", id: caseId }, ["prioritycode", "description"]);
    expect(fields.map((f) => f.column)).toEqual(["prioritycode"]);
  });
});

describe("sendHtmlMessage against the simulated Graph", () => {
  it("posts an html message that then appears in the chat's messages", async () => {
    const megan = byName("Megan Pierce");
    const tomas = byName("Tomás Alvarez");
    const token = await c.token(megan.upn);
    const created = await c.graph(token, "/chats", {
      method: "POST",
      json: {
        chatType: "group",
        topic: "Intro card test",
        members: [megan, tomas].map((u) => ({ "@odata.type": "#microsoft.graph.aadUserConversationMember", roles: ["owner"], "user@odata.bind": `https://graph.microsoft.com/v1.0/users('${u.aadObjectId}')` })),
      },
    });
    expect(created.status).toBe(201);
    const chatId = ((await created.json()) as { id: string }).id;
    const scopesAsked: string[][] = [];
    const client = createGraphClient({
      tokens: {
        getToken: async (scopes: string[]) => {
          scopesAsked.push(scopes);
          return token;
        },
      },
      baseUrl: `${c.url}/graph`,
      retryDelaySeconds: 0,
    });
    const html = "<p><strong>Case details</strong></p><p>Case: <strong>A &amp; B</strong></p>";
    const sent = await sendHtmlMessage(client, chatId, html);
    expect(sent.id).toBeTruthy();
    expect(scopesAsked).toContainEqual(["ChatMessage.Send"]);
    const list = (await (await c.graph(token, `/chats/${encodeURIComponent(chatId)}/messages`)).json()) as { value: Array<{ id: string; body: { contentType: string; content: string } }> };
    const mine = list.value.find((m) => m.id === sent.id);
    expect(mine?.body.contentType).toBe("html");
    expect(mine?.body.content).toContain("Case details");
  });

  it("maps a refusal to a ServiceError", async () => {
    const token = await c.token(byName("Megan Pierce").upn);
    const client = createGraphClient({ tokens: { getToken: async () => token }, baseUrl: `${c.url}/graph`, retryDelaySeconds: 0 });
    const err = await sendHtmlMessage(client, "19:doesnotexist@thread.v2", "<p>x</p>").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceError);
    expect(["notFound", "forbidden"]).toContain((err as ServiceError).kind);
  });
});
