import { DEMO_CLIENT_ID } from "../../simulator/demo-data";
import { type DirectoryUser, type SimClient, startClient } from "../../simulator/test-client";

type Row = Record<string, unknown>;
interface Coll {
  value: Row[];
  "@odata.nextLink"?: string;
  "@odata.count"?: number;
}
interface DvErr {
  error: { code: string; message: string };
}
const enc = encodeURIComponent;
let c: SimClient;
let users: DirectoryUser[];
let megan: DirectoryUser;
let daniel: DirectoryUser;
let priya: DirectoryUser;

async function body<T>(r: Response): Promise<T> {
  return (await r.json()) as T;
}
async function expectDvError(r: Response, status: number, code: string): Promise<string> {
  expect(r.status).toBe(status);
  const b = await body<DvErr>(r);
  expect(Object.keys(b)).toEqual(["error"]);
  expect(b.error.code).toBe(code);
  return b.error.message;
}

beforeAll(async () => {
  c = await startClient({ seed: "demo" });
  users = await c.directory();
  megan = users[0];
  daniel = users.find((u) => u.fullname === "Daniel Okafor")!;
  priya = users.find((u) => u.fullname === "Priya Raman")!;
});
afterAll(() => c.close());

describe("caller identity", () => {
  it("refuses requests without a caller (header or cookie) with 401 in Dataverse's shape", async () => {
    const anon = await c.dv(null, "/incidents");
    expect(anon.headers.get("www-authenticate")).toMatch(/^Bearer authorization_uri=https:\/\/login\.microsoftonline\.com\//);
    await expectDvError(anon, 401, "0x8005F101");
    await expectDvError(await c.dv("00000000-0000-0000-0000-000000000000", "/incidents"), 401, "0x8005F101");
    const viaCookie = await fetch(`${c.url}/api/data/v9.2/WhoAmI`, { headers: { Cookie: `tcp_sim_user=${megan.systemuserid}` } });
    expect(viaCookie.status).toBe(200);
    expect((await body<{ UserId: string }>(viaCookie)).UserId).toBe(megan.systemuserid);
  });

  it("refuses a disabled user", async () => {
    const ethan = users.find((u) => u.isdisabled)!;
    await expectDvError(await c.dv(ethan.systemuserid, "/WhoAmI"), 403, "0x80040225");
  });
});

describe("OData query subset", () => {
  it("$select returns only the selected columns plus the primary id and etag", async () => {
    const r = await body<Coll>(await c.dv(megan.systemuserid, "/accounts?$select=name,accountnumber"));
    expect(r.value).toHaveLength(4);
    for (const row of r.value) expect(Object.keys(row).sort()).toEqual(["@odata.etag", "accountid", "accountnumber", "name"]);
  });

  it("$filter supports eq/ne/gt/lt/ge/le, and/or/not, parentheses, null, contains/startswith/endswith", async () => {
    const q = async (f: string) => (await body<Coll>(await c.dv(megan.systemuserid, `/incidents?$select=title,prioritycode,statecode,ticketnumber&$filter=${enc(f)}`))).value;
    const active = await q("statecode eq 0");
    // Nine active demo cases plus the team-owned one the suggestions demo adds.
    expect(active).toHaveLength(10);
    expect((await q("statecode ne 0")).length).toBeGreaterThanOrEqual(30);
    const highActive = await q("statecode eq 0 and prioritycode eq 1");
    expect(highActive.every((r) => r.prioritycode === 1 && r.statecode === 0)).toBe(true);
    const either = await q("statecode eq 0 and (prioritycode eq 1 or prioritycode eq 3)");
    expect(either.every((r) => r.prioritycode === 1 || r.prioritycode === 3)).toBe(true);
    expect(either.length).toBe(active.filter((r) => r.prioritycode !== 2).length);
    expect((await q("statecode eq 0 and not (prioritycode eq 2)")).length).toBe(either.length);
    expect((await q("statecode eq 0 and prioritycode le 1")).length).toBe(highActive.length);
    expect((await q("contains(title,'DUPLEX')")).map((r) => r.title)).toContain("Printer jams on every duplex job – 3rd floor MFP");
    expect((await q("startswith(ticketnumber,'CAS-0100')")).length).toBe(9);
    expect((await q("endswith(title,'MFP')")).length).toBeGreaterThan(0);
    expect((await q("_primarycontactid_value eq null and statecode eq 0")).length).toBe(4);
  });

  it("supports Microsoft.Dynamics.CRM.In and guid literals; refuses a quoted guid with Dataverse's type error", async () => {
    const accounts = (await body<Coll>(await c.dv(megan.systemuserid, "/accounts?$select=name"))).value;
    const two = accounts.slice(0, 2).map((a) => String(a.accountid));
    const inQ = `Microsoft.Dynamics.CRM.In(PropertyName='_customerid_value',PropertyValues=['${two[0]}','${two[1]}'])`;
    const rows = (await body<Coll>(await c.dv(megan.systemuserid, `/incidents?$select=_customerid_value&$filter=${enc(inQ)}`))).value;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => two.includes(String(r._customerid_value)))).toBe(true);
    const bare = await c.dv(megan.systemuserid, `/incidents?$select=title&$filter=${enc(`_customerid_value eq ${two[0]}`)}`);
    expect(bare.status).toBe(200);
    const quoted = await c.dv(megan.systemuserid, `/incidents?$select=title&$filter=${enc(`_customerid_value eq '${two[0]}'`)}`);
    const msg = await expectDvError(quoted, 400, "0x80060888");
    expect(msg).toBe("A binary operator with incompatible types was detected. Found operand types 'Edm.Guid' and 'Edm.String' for operator kind 'Equal'.");
  });

  it("refuses unknown columns in $select, $filter and $orderby with 0x80060888", async () => {
    const m1 = await expectDvError(await c.dv(megan.systemuserid, "/tcp_chatlinks?$select=tcp_chat"), 400, "0x80060888");
    expect(m1).toBe("Could not find a property named 'tcp_chat' on type 'Microsoft.Dynamics.CRM.tcp_chatlink'.");
    await expectDvError(await c.dv(megan.systemuserid, `/tcp_chatlinks?$filter=${enc("ownerid eq null")}`), 400, "0x80060888");
    await expectDvError(await c.dv(megan.systemuserid, "/tcp_chatlinks?$orderby=nothing desc"), 400, "0x80060888");
    await expectDvError(await c.dv(megan.systemuserid, `/tcp_chatlinks?$filter=${enc("tcp_chatid eq")}`), 400, "0x80060888");
    await expectDvError(await c.dv(megan.systemuserid, "/tcp_chatlinks?$skip=2"), 400, "0x80060888");
    await expectDvError(await c.dv(megan.systemuserid, "/nosuchtables"), 404, "0x80060888");
  });

  it("$orderby with several terms and $top", async () => {
    const rows = (await body<Coll>(await c.dv(megan.systemuserid, "/incidents?$select=prioritycode,createdon&$orderby=prioritycode asc,createdon desc&$top=12"))).value;
    expect(rows).toHaveLength(12);
    for (let i = 1; i < rows.length; i++) {
      const a = rows[i - 1];
      const b = rows[i];
      expect(Number(a.prioritycode)).toBeLessThanOrEqual(Number(b.prioritycode));
      if (a.prioritycode === b.prioritycode) expect(Date.parse(String(a.createdon))).toBeGreaterThanOrEqual(Date.parse(String(b.createdon)));
    }
  });

  it("pages with Prefer: odata.maxpagesize and @odata.nextLink through every row without duplicates; $top is ignored then", async () => {
    const total = Object.keys(c.sim.state.dataverse.incident).length;
    const ids: string[] = [];
    let url: string | undefined = `/incidents?$select=title&$orderby=createdon desc&$count=true&$top=3`;
    let first = true;
    while (url) {
      const r = await c.dv(megan.systemuserid, url, { headers: { Prefer: "odata.maxpagesize=7" } });
      expect(r.headers.get("preference-applied")).toBe("odata.maxpagesize=7");
      const page = await body<Coll>(r);
      if (first) expect(page["@odata.count"]).toBe(total);
      first = false;
      ids.push(...page.value.map((x) => String(x.incidentid)));
      url = page["@odata.nextLink"];
      if (url) {
        expect(url.startsWith(`${c.url}/api/data/v9.2/incidents?`)).toBe(true);
        expect(decodeURIComponent(url)).toContain("pagenumber=");
        expect(page.value).toHaveLength(7);
      }
    }
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
  });

  it("adds FormattedValue and lookup annotations when asked", async () => {
    const plain = (await body<Coll>(await c.dv(megan.systemuserid, "/incidents?$select=prioritycode,_customerid_value&$top=1"))).value[0];
    expect(Object.keys(plain).some((k) => k.includes("@OData"))).toBe(false);
    const r = await c.dv(megan.systemuserid, `/incidents?$select=title,prioritycode,_customerid_value,_ownerid_value&$filter=${enc("startswith(ticketnumber,'CAS-01001')")}`, {
      headers: { Prefer: 'odata.include-annotations="*"' },
    });
    expect(r.headers.get("preference-applied")).toBe('odata.include-annotations="*"');
    const row = (await body<Coll>(r)).value[0];
    expect(row["prioritycode@OData.Community.Display.V1.FormattedValue"]).toBe("High");
    expect(row["_customerid_value@OData.Community.Display.V1.FormattedValue"]).toBe("Fabrikam, Inc.");
    expect(row["_customerid_value@Microsoft.Dynamics.CRM.lookuplogicalname"]).toBe("account");
    expect(row["_customerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty"]).toBe("customerid_account");
    expect(row["_ownerid_value@OData.Community.Display.V1.FormattedValue"]).toBe("Megan Pierce");
    const only = (await body<Coll>(await c.dv(megan.systemuserid, "/incidents?$select=prioritycode,_customerid_value&$top=1", { headers: { Prefer: 'odata.include-annotations="Microsoft.Dynamics.CRM.lookuplogicalname"' } }))).value[0];
    expect(only).toHaveProperty("_customerid_value@Microsoft.Dynamics.CRM.lookuplogicalname");
    expect(only).not.toHaveProperty("prioritycode@OData.Community.Display.V1.FormattedValue");
  });

  it("retrieves one row by id with $select and $expand of a lookup; 404 0x80040217 for a missing id", async () => {
    const id = Object.keys(c.sim.state.dataverse.incident)[0];
    const row = await body<Row>(await c.dv(megan.systemuserid, `/incidents(${id})?$select=title&$expand=customerid_account($select=name)`));
    expect(row.incidentid).toBe(id);
    expect(row).toHaveProperty("customerid_account");
    const msg = await expectDvError(await c.dv(megan.systemuserid, "/incidents(00000000-0000-0000-0000-000000000001)"), 404, "0x80040217");
    expect(msg).toContain("Does Not Exist");
  });

  it("answers EntityDefinitions for each table", async () => {
    for (const [logical, set, pid, pname, label] of [
      ["incident", "incidents", "incidentid", "title", "Case"],
      ["tcp_chatlink", "tcp_chatlinks", "tcp_chatlinkid", "tcp_name", "Chat link"],
      ["contact", "contacts", "contactid", "fullname", "Contact"],
    ]) {
      const r = await body<Row & { DisplayName: { UserLocalizedLabel: { Label: string } } }>(
        await c.dv(megan.systemuserid, `/EntityDefinitions(LogicalName='${logical}')?$select=LogicalName,EntitySetName,PrimaryIdAttribute,PrimaryNameAttribute,DisplayName`),
      );
      expect(r).toMatchObject({ LogicalName: logical, EntitySetName: set, PrimaryIdAttribute: pid, PrimaryNameAttribute: pname });
      expect(r.DisplayName.UserLocalizedLabel.Label).toBe(label);
    }
  });

  it("expands environment variable values (the demo sets the client id's current value)", async () => {
    const r = await body<Coll>(
      await c.dv(megan.systemuserid, `/environmentvariabledefinitions?$select=schemaname&$filter=${enc("schemaname eq 'tcp_TeamsChatPanelClientId'")}&$expand=environmentvariabledefinition_environmentvariablevalue($select=value)`),
    );
    expect(r.value).toHaveLength(1);
    expect(r.value[0].environmentvariabledefinition_environmentvariablevalue).toEqual([expect.objectContaining({ value: DEMO_CLIENT_ID })]);
  });
});

describe("tcp_chatlink writes, alternate key and security", () => {
  const newLink = (chatId: string, recordId: string) => ({
    tcp_name: `incident ${recordId}`,
    tcp_kind: 100000000,
    tcp_chatid: chatId,
    tcp_regardingtable: "incident",
    tcp_regardingid: recordId,
  });

  it("creates with 204 + OData-EntityId, or 201 with the row when return=representation", async () => {
    const rec = "11111111-2222-4333-8444-555555555555";
    const r = await c.dv(megan.systemuserid, "/tcp_chatlinks", { method: "POST", json: newLink("19:create-test@thread.v2", rec) });
    expect(r.status).toBe(204);
    const entityId = r.headers.get("odata-entityid")!;
    expect(entityId).toMatch(new RegExp(`^${c.url}/api/data/v9.2/tcp_chatlinks\\([0-9a-f-]{36}\\)$`));
    const id = /\(([^)]+)\)/.exec(entityId)![1];
    const row = await body<Row>(await c.dv(megan.systemuserid, `/tcp_chatlinks(${id})`));
    expect(row._ownerid_value).toBe(megan.systemuserid);
    expect(row._createdby_value).toBe(megan.systemuserid);
    expect(typeof row.createdon).toBe("string");
    const rep = await c.dv(megan.systemuserid, "/tcp_chatlinks?$select=tcp_chatid,_ownerid_value", {
      method: "POST",
      json: newLink("19:rep-test@thread.v2", rec),
      headers: { Prefer: "return=representation" },
    });
    expect(rep.status).toBe(201);
    expect(await body<Row>(rep)).toMatchObject({ tcp_chatid: "19:rep-test@thread.v2", _ownerid_value: megan.systemuserid });
  });

  it("refuses a second link of the same chat and record with 412 0x80060892 (alternate key), whatever the case", async () => {
    const rec = "22222222-2222-4333-8444-555555555555";
    expect((await c.dv(megan.systemuserid, "/tcp_chatlinks", { method: "POST", json: newLink("19:dup@thread.v2", rec) })).status).toBe(204);
    const msg = await expectDvError(await c.dv(daniel.systemuserid, "/tcp_chatlinks", { method: "POST", json: newLink("19:DUP@thread.v2", rec) }), 412, "0x80060892");
    expect(msg).toMatch(/^Entity Key .* violated\. A record with the same value for tcp_chatid,tcp_regardingtable,tcp_regardingid already exists\./);
    // the same chat on another record is fine
    expect((await c.dv(megan.systemuserid, "/tcp_chatlinks", { method: "POST", json: newLink("19:dup@thread.v2", "33333333-2222-4333-8444-555555555555") })).status).toBe(204);
    const byKey = await c.dv(megan.systemuserid, `/tcp_chatlinks(tcp_chatid='19:dup@thread.v2',tcp_regardingtable='incident',tcp_regardingid='${rec}')`);
    expect(byKey.status).toBe(200);
  });

  it("lets owners delete their links, refuses others with 403 0x80040220, and lets a supervisor with org-level delete do it", async () => {
    const mk = async (who: DirectoryUser, chat: string) => {
      const r = await c.dv(who.systemuserid, "/tcp_chatlinks", { method: "POST", json: newLink(chat, "44444444-2222-4333-8444-555555555555") });
      return /\(([^)]+)\)/.exec(r.headers.get("odata-entityid")!)![1];
    };
    const mine = await mk(megan, "19:own@thread.v2");
    const theirs = await mk(daniel, "19:theirs@thread.v2");
    expect((await c.dv(megan.systemuserid, `/tcp_chatlinks(${mine})`, { method: "DELETE" })).status).toBe(204);
    const msg = await expectDvError(await c.dv(megan.systemuserid, `/tcp_chatlinks(${theirs})`, { method: "DELETE" }), 403, "0x80040220");
    expect(msg).toMatch(/^SecLib::AccessCheckEx failed\..*AccessRights: DeleteAccess/);
    // everybody can still read it (organization-level read)
    expect((await c.dv(megan.systemuserid, `/tcp_chatlinks(${theirs})`)).status).toBe(200);
    expect(users.find((u) => u.systemuserid === priya.systemuserid)!.isSupervisor).toBe(true);
    expect((await c.dv(priya.systemuserid, `/tcp_chatlinks(${theirs})`, { method: "DELETE" })).status).toBe(204);
    await expectDvError(await c.dv(priya.systemuserid, `/tcp_chatlinks(${theirs})`, { method: "DELETE" }), 404, "0x80040217");
  });

  it("refuses creating a link owned by someone else, and updates by others", async () => {
    const body1 = { ...newLink("19:owner-test@thread.v2", "55555555-2222-4333-8444-555555555555"), "ownerid@odata.bind": `/systemusers(${daniel.systemuserid})` };
    await expectDvError(await c.dv(megan.systemuserid, "/tcp_chatlinks", { method: "POST", json: body1 }), 403, "0x80040220");
    const r = await c.dv(daniel.systemuserid, "/tcp_chatlinks", { method: "POST", json: newLink("19:upd@thread.v2", "66666666-2222-4333-8444-555555555555") });
    const id = /\(([^)]+)\)/.exec(r.headers.get("odata-entityid")!)![1];
    await expectDvError(await c.dv(megan.systemuserid, `/tcp_chatlinks(${id})`, { method: "PATCH", json: { tcp_name: "x" } }), 403, "0x80040220");
    expect((await c.dv(daniel.systemuserid, `/tcp_chatlinks(${id})`, { method: "PATCH", json: { tcp_name: "renamed" } })).status).toBe(204);
  });

  it("validates payloads: unknown property, direct lookup writes, max length, choice range", async () => {
    await expectDvError(await c.dv(megan.systemuserid, "/tcp_chatlinks", { method: "POST", json: { ...newLink("19:v@thread.v2", "7"), tcp_nope: 1 } }), 400, "0x80048d19");
    await expectDvError(await c.dv(megan.systemuserid, "/tcp_chatlinks", { method: "POST", json: { ...newLink("19:v@thread.v2", "7"), _ownerid_value: megan.systemuserid } }), 400, "0x80048d19");
    const long = await expectDvError(await c.dv(megan.systemuserid, "/tcp_chatlinks", { method: "POST", json: newLink(`19:${"x".repeat(200)}@thread.v2`, "7") }), 400, "0x80044331");
    expect(long).toBe("A validation error occurred. The length of the 'tcp_chatid' attribute of the 'tcp_chatlink' entity exceeded the maximum allowed length of '200'.");
    const bad = await c.dv(megan.systemuserid, "/tcp_chatlinks", { method: "POST", json: { ...newLink("19:v@thread.v2", "7"), tcp_kind: 5 } });
    expect(bad.status).toBe(400);
  });

  it("binds lookups on other tables with @odata.bind", async () => {
    const account = Object.keys(c.sim.state.dataverse.account)[0];
    const r = await c.dv(megan.systemuserid, "/incidents?$select=title,_customerid_value", {
      method: "POST",
      json: { title: "Created by test", prioritycode: 2, "customerid_account@odata.bind": `/accounts(${account})` },
      headers: { Prefer: 'return=representation,odata.include-annotations="*"' },
    });
    expect(r.status).toBe(201);
    const row = await body<Row>(r);
    expect(row._customerid_value).toBe(account);
    expect(row["_customerid_value@Microsoft.Dynamics.CRM.lookuplogicalname"]).toBe("account");
    await expectDvError(
      await c.dv(megan.systemuserid, "/incidents", { method: "POST", json: { title: "x", "customerid_account@odata.bind": "/accounts(00000000-0000-0000-0000-0000000000aa)" } }),
      404,
      "0x80040217",
    );
  });
});
