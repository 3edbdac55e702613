import { buildDemoState } from "../../simulator/demo-data";
import { type SimClient, startClient } from "../../simulator/test-client";

describe("demo seed", () => {
  const now = new Date("2025-06-02T15:30:00.000Z");
  const s = buildDemoState(now);
  const megan = s.users[0];
  const inChat = (chatId: string, userId: string) => s.chats.find((c) => c.id === chatId)!.members.some((m) => m.userId === userId);
  const links = Object.values(s.dataverse.tcp_chatlink);
  const incidents = Object.values(s.dataverse.incident);
  const firstCase = incidents.find((r) => String(r.ticketnumber).startsWith("CAS-01001"))!;

  it("is deterministic for a given clock", () => {
    expect(JSON.stringify(buildDemoState(now))).toBe(JSON.stringify(s));
  });

  it("has a believable directory: 15+ users, a disabled one, supervisors, photos for a few", () => {
    expect(s.users.length).toBeGreaterThanOrEqual(15);
    expect(s.users.filter((u) => !u.accountEnabled)).toHaveLength(1);
    expect(s.users.filter((u) => u.isSupervisor).length).toBeGreaterThanOrEqual(2);
    expect(s.chatLinkOrgDeleters).toHaveLength(1);
    expect(s.users.find((u) => u.systemuserid === s.chatLinkOrgDeleters[0])!.isSupervisor).toBe(true);
    expect(s.users.filter((u) => u.photo).length).toBeGreaterThanOrEqual(2);
    for (const u of s.users) {
      const row = s.dataverse.systemuser[u.systemuserid];
      expect(row.azureactivedirectoryobjectid).toBe(u.id);
      expect(row.domainname).toBe(u.userPrincipalName);
    }
  });

  it("has 40+ chats of both types over the last 60 days with rich content", () => {
    expect(s.chats.length).toBeGreaterThanOrEqual(40);
    expect(s.chats.some((c) => c.chatType === "oneOnOne")).toBe(true);
    expect(s.chats.some((c) => c.chatType === "group" && c.topic === null)).toBe(true);
    const msgs = s.chats.flatMap((c) => c.messages);
    const oldest = Math.min(...msgs.map((m) => Date.parse(m.createdDateTime)));
    expect(now.getTime() - oldest).toBeLessThanOrEqual(60 * 86400000);
    expect(msgs.every((m) => Date.parse(m.createdDateTime) < now.getTime())).toBe(true);
    const html = msgs.filter((m) => m.body.contentType === "html").map((m) => m.body.content).join("\n");
    for (const tag of ["<b>", "<ul>", "<ol>", "<a href=", "<code>", "<blockquote>", "<at id=", "<emoji", "<img ", "<attachment id="]) expect(html).toContain(tag);
    expect(msgs.some((m) => m.hostedContents.length > 0)).toBe(true);
    expect(msgs.some((m) => m.attachments.some((a) => a.contentType === "reference" && a.contentUrl!.includes("sharepoint.com")))).toBe(true);
    expect(msgs.some((m) => m.importance === "urgent")).toBe(true);
    const events = new Set(msgs.map((m) => (m.eventDetail?.["@odata.type"] as string | undefined) ?? ""));
    expect(events).toContain("#microsoft.graph.membersAddedEventMessageDetail");
    expect(events).toContain("#microsoft.graph.membersDeletedEventMessageDetail");
    expect(events).toContain("#microsoft.graph.chatRenamedEventMessageDetail");
    // every mention has its marker, every attachment its <attachment> tag
    for (const m of msgs) {
      for (const x of m.mentions) expect(m.body.content).toContain(`<at id="${x.id}">`);
      for (const a of m.attachments) expect(m.body.content).toContain(`<attachment id="${a.id}">`);
    }
  });

  it("has teams with channels, a private channel and channel messages", () => {
    expect(s.teams.length).toBeGreaterThanOrEqual(3);
    expect(s.teams.every((t) => t.channels.some((c) => c.displayName === "General"))).toBe(true);
    expect(s.teams.some((t) => t.channels.some((c) => c.membershipType === "private"))).toBe(true);
    expect(s.teams.flatMap((t) => t.channels).flatMap((c) => c.messages).length).toBeGreaterThan(10);
  });

  it("has cases, resolved history with resolutions, accounts, contacts, activities", () => {
    const active = incidents.filter((r) => r.statecode === 0);
    expect(active.length).toBeGreaterThanOrEqual(8);
    expect(incidents.filter((r) => r.statecode === 1).length).toBeGreaterThanOrEqual(30);
    expect(Object.keys(s.dataverse.incidentresolution).length).toBeGreaterThanOrEqual(30);
    expect(incidents.every((r) => /^CAS-\d{5}-[A-Z]\d[A-Z]\d[A-Z]\d$/.test(String(r.ticketnumber)))).toBe(true);
    expect(Object.keys(s.dataverse.account)).toHaveLength(4);
    expect(Object.keys(s.dataverse.contact)).toHaveLength(6);
    expect(Object.values(s.dataverse.contact).every((r) => typeof r._parentcustomerid_value === "string")).toBe(true);
    expect(Object.keys(s.dataverse.activitypointer).length).toBeGreaterThan(3);
    expect(Object.values(s.dataverse.environmentvariabledefinition).map((r) => r.schemaname).sort()).toEqual(["tcp_TeamsChatPanelClientId", "tcp_TeamsChatPanelRelayUrl", "tcp_TeamsChatPanelTenantId"]);
    // The client id has a current value (as an admin sets it); the tenant id keeps the solution's default; the relay address is set by the harness that starts a relay.
    expect(Object.values(s.dataverse.environmentvariablevalue ?? {}).map((r) => r.schemaname)).toEqual(["tcp_TeamsChatPanelClientId"]);
    expect(Object.values(s.dataverse.environmentvariabledefinition).find((r) => r.schemaname === "tcp_TeamsChatPanelTenantId")?.defaultvalue).toBe(s.tenantId);
  });

  it("links chats to records for the demo stories", () => {
    expect(links.length).toBeGreaterThanOrEqual(10);
    const firstCaseLinks = links.filter((l) => l.tcp_regardingid === firstCase.incidentid);
    // the default agent owns the first case and has chats linked to it
    expect(firstCase._ownerid_value).toBe(megan.systemuserid);
    expect(firstCaseLinks.filter((l) => l.tcp_kind === 100000000 && inChat(String(l.tcp_chatid), megan.id)).length).toBeGreaterThanOrEqual(2);
    // privacy demo: a chat linked to the case that she is not in
    expect(firstCaseLinks.some((l) => l.tcp_kind === 100000000 && !inChat(String(l.tcp_chatid), megan.id))).toBe(true);
    // a channel link
    expect(firstCaseLinks.some((l) => l.tcp_kind === 100000001 && typeof l.tcp_teamid === "string")).toBe(true);
    // a chat linked to two records
    const perChat = new Map<string, number>();
    for (const l of links) perChat.set(String(l.tcp_chatid), (perChat.get(String(l.tcp_chatid)) ?? 0) + 1);
    expect([...perChat.values()].some((n) => n >= 2)).toBe(true);
    // chats linked to other records, and plenty of unlinked chats for the default agent
    expect(links.some((l) => l.tcp_regardingid !== firstCase.incidentid && l.tcp_kind === 100000000 && inChat(String(l.tcp_chatid), megan.id))).toBe(true);
    const meganChats = s.chats.filter((c) => c.members.some((m) => m.userId === megan.id));
    expect(meganChats.filter((c) => !perChat.has(c.id)).length).toBeGreaterThan(15);
  });
});

describe("POST /__sim/bulk-chats", () => {
  let c: SimClient;
  beforeAll(async () => {
    c = await startClient({ seed: "demo" });
  });
  afterAll(() => c.close());

  it("creates 5000 chats with one message each, linking every Nth, visible through Graph and Dataverse", async () => {
    const megan = (await c.directory())[0];
    const caseId = String(Object.values(c.sim.state.dataverse.incident).find((r) => String(r.ticketnumber).startsWith("CAS-01001"))!.incidentid);
    const before = c.sim.state.chats.length;
    const r = await c.control("/bulk-chats", { method: "POST", json: { user: megan.upn, count: 5000, linkedTo: { table: "incident", id: caseId }, linkEvery: 10 } });
    expect(r.status).toBe(201);
    const res = (await r.json()) as { created: number; linked: number; chatIds: string[] };
    expect(res.created).toBe(5000);
    expect(res.linked).toBe(500);
    expect(new Set(res.chatIds).size).toBe(5000);
    expect(c.sim.state.chats.length).toBe(before + 5000);
    const created = new Set(res.chatIds);
    const bulk = c.sim.state.chats.filter((ch) => created.has(ch.id));
    expect(bulk.every((ch) => ch.messages.length === 1 && ch.members.some((m) => m.userId === megan.aadObjectId))).toBe(true);

    const token = await c.token(megan.upn);
    const first = (await (await c.graph(token, `/me/chats?$top=50&$orderby=${encodeURIComponent("lastMessagePreview/createdDateTime desc")}`)).json()) as { value: unknown[]; "@odata.nextLink": string };
    expect(first.value).toHaveLength(50);
    expect(first["@odata.nextLink"]).toBeDefined();
    const links = (await (
      await c.dv(megan.systemuserid, `/tcp_chatlinks?$select=tcp_chatid&$count=true&$filter=${encodeURIComponent(`tcp_regardingid eq '${caseId}'`)}`)
    ).json()) as { "@odata.count": number };
    expect(links["@odata.count"]).toBeGreaterThanOrEqual(500);
  }, 20_000);

  it("refuses bad input", async () => {
    expect((await c.control("/bulk-chats", { method: "POST", json: { user: "nobody", count: 5 } })).status).toBe(400);
    const megan = (await c.directory())[0];
    expect((await c.control("/bulk-chats", { method: "POST", json: { user: megan.upn, count: 0 } })).status).toBe(400);
  });
});

describe("control routes", () => {
  let c: SimClient;
  beforeAll(async () => {
    c = await startClient({ seed: "empty" });
  });
  afterAll(() => c.close());

  it("starts empty with seed 'empty' and switches seeds on reset", async () => {
    expect((await c.control("/directory").then((r) => r.json())) as unknown).toEqual({ users: [], records: [] });
    expect((await c.control("/reset", { method: "POST", json: { seed: "demo" } })).status).toBe(200);
    const dir = (await (await c.control("/directory")).json()) as { users: { fullname: string }[]; records: { table: string; id: string; name: string }[] };
    expect(dir.users[0].fullname).toBe("Megan Pierce");
    expect(dir.records.filter((r) => r.table === "incident").length).toBeGreaterThanOrEqual(3);
    expect(dir.records.filter((r) => r.table === "account").length).toBeGreaterThanOrEqual(2);
    expect(dir.records.filter((r) => r.table === "contact").length).toBeGreaterThanOrEqual(2);
    expect(dir.records[0]).toMatchObject({ table: "incident", name: "Printer jams on every duplex job – 3rd floor MFP" });
    expect((await c.control("/reset", { method: "POST", json: { seed: "nonsense" } })).status).toBe(400);
    expect((await c.control("/nope")).status).toBe(404);
  });
});
