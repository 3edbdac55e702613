import { type DirectoryUser, type SimClient, startClient } from "../../simulator/test-client";

interface Page<T> {
  value: T[];
  "@odata.nextLink"?: string;
  "@odata.count"?: number;
}
const enc = encodeURIComponent;
let c: SimClient;
let users: DirectoryUser[];
let megan: DirectoryUser;
let token: string;

async function body<T>(r: Response): Promise<T> {
  return (await r.json()) as T;
}

beforeAll(async () => {
  c = await startClient({ seed: "demo" });
  users = await c.directory();
  megan = users[0];
  token = await c.token(megan.upn);
});
afterAll(() => c.close());

describe("users", () => {
  it("GET /users/{id|upn} answers the default property set, and 404 Request_ResourceNotFound for unknown users", async () => {
    const tomas = users.find((u) => u.fullname === "Tomás Alvarez")!;
    const byId = await body<Record<string, unknown>>(await c.graph(token, `/users/${tomas.aadObjectId}`));
    const byUpn = await body<Record<string, unknown>>(await c.graph(token, `/users/${enc(tomas.upn)}`));
    expect(byId.id).toBe(byUpn.id);
    expect(byId.displayName).toBe("Tomás Alvarez");
    expect(byId).not.toHaveProperty("department");
    const sel = await body<Record<string, unknown>>(await c.graph(token, `/users/${tomas.aadObjectId}?$select=displayName,department`));
    expect(sel).toMatchObject({ displayName: "Tomás Alvarez", department: "Hardware Services" });
    const missing = await c.graph(token, "/users/00000000-0000-0000-0000-000000000000");
    expect(missing.status).toBe(404);
    expect((await body<{ error: { code: string } }>(missing)).error.code).toBe("Request_ResourceNotFound");
  });

  it("$search needs ConsistencyLevel: eventual", async () => {
    const q = `/users?$search=${enc('"displayName:tom"')}&$count=true`;
    const without = await c.graph(token, q);
    expect(without.status).toBe(400);
    const e = (await body<{ error: { code: string; message: string } }>(without)).error;
    expect(e.code).toBe("Request_UnsupportedQuery");
    expect(e.message).toBe("Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'");
    const withHeader = await body<Page<{ displayName: string }>>(await c.graph(token, q, { headers: { ConsistencyLevel: "eventual" } }));
    expect(withHeader.value.map((u) => u.displayName)).toEqual(["Tomás Alvarez"]);
    expect(withHeader["@odata.count"]).toBe(1);
  });

  it("supports $top (max 999), $select and $filter=accountEnabled eq true", async () => {
    expect((await c.graph(token, "/users?$top=1000")).status).toBe(400);
    const enabled = await body<Page<{ accountEnabled: boolean }>>(await c.graph(token, `/users?$select=displayName,accountEnabled&$filter=${enc("accountEnabled eq true")}`));
    expect(enabled.value.length).toBe(users.filter((u) => !u.isdisabled).length);
    expect(enabled.value.every((u) => u.accountEnabled)).toBe(true);
    const paged = await body<Page<unknown>>(await c.graph(token, "/users?$top=5"));
    expect(paged.value).toHaveLength(5);
    expect(paged["@odata.nextLink"]).toContain("$top=5");
    expect((await c.graph(token, `/users?$filter=${enc("jobTitle eq 'x'")}`)).status).toBe(400);
  });

  it("serves photos for some users and 404 ImageNotFound for the rest", async () => {
    const ok = await c.graph(token, `/users/${megan.aadObjectId}/photo/$value`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await ok.arrayBuffer()).subarray(1, 4).toString()).toBe("PNG");
    expect((await c.graph(token, "/me/photo/$value")).status).toBe(200);
    const daniel = users.find((u) => u.fullname === "Daniel Okafor")!;
    const none = await c.graph(token, `/users/${daniel.aadObjectId}/photo/$value`);
    expect(none.status).toBe(404);
    expect((await body<{ error: { code: string } }>(none)).error.code).toBe("ImageNotFound");
  });

  it("ranks /me/people by messages shared in chats, supports $top and $search", async () => {
    const people = await body<Page<{ displayName: string; scoredEmailAddresses: { relevanceScore: number }[] }>>(await c.graph(token, "/me/people?$top=5"));
    expect(people.value).toHaveLength(5);
    const scores = people.value.map((p) => p.scoredEmailAddresses[0].relevanceScore);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(people.value.map((p) => p.displayName)).toContain("Tomás Alvarez");
    // Ethan (disabled) shares a chat with Megan but is never suggested.
    const all = await body<Page<{ displayName: string }>>(await c.graph(token, "/me/people?$top=100"));
    expect(all.value.some((p) => p.displayName === "Ethan Brooks")).toBe(false);
    expect(people.value.some((p) => p.displayName === "Megan Pierce")).toBe(false);
    const found = await body<Page<{ displayName: string }>>(await c.graph(token, `/me/people?$search=${enc('"kenji"')}`));
    expect(found.value.map((p) => p.displayName)).toEqual(["Kenji Watanabe"]);
    const noScope = await c.token(megan.upn, ["User.Read"]);
    expect((await c.graph(noScope, "/me/people")).status).toBe(403);
  });
});

describe("teams and channels", () => {
  it("/me/joinedTeams takes no OData options", async () => {
    const teams = await body<Page<{ id: string; displayName: string }>>(await c.graph(token, "/me/joinedTeams"));
    expect(teams.value.map((t) => t.displayName).sort()).toEqual(["Billing & Accounts", "Contoso Support", "Printer Fleet Experts", "Windows 11 Rollout 2025"]);
    expect((await c.graph(token, "/me/joinedTeams?$top=1")).status).toBe(400);
    expect((await c.graph(token, "/me/joinedTeams?$select=id")).status).toBe(400);
  });

  it("lists channels of a team the caller belongs to (private ones only to their members) and refuses other teams", async () => {
    const support = c.sim.state.teams.find((t) => t.displayName === "Contoso Support")!;
    const chans = await body<Page<{ displayName: string; membershipType: string }>>(await c.graph(token, `/teams/${support.id}/channels`));
    expect(chans.value.map((ch) => ch.displayName)).toEqual(["General", "Escalations", "Shift Handover"]);
    const priya = users.find((u) => u.fullname === "Priya Raman")!;
    const priyaChans = await body<Page<{ displayName: string }>>(await c.graph(await c.token(priya.upn), `/teams/${support.id}/channels`));
    expect(priyaChans.value.map((ch) => ch.displayName)).toContain("Supervisors");
    const network = c.sim.state.teams.find((t) => t.displayName === "Network Operations")!;
    expect((await c.graph(token, `/teams/${network.id}/channels`)).status).toBe(403);
    expect((await c.graph(token, `/teams/${network.id}/channels/${enc(network.channels[0].id)}/messages`)).status).toBe(403);
  });

  it("reads and posts channel messages with membership enforced", async () => {
    const support = c.sim.state.teams.find((t) => t.displayName === "Contoso Support")!;
    const esc = support.channels[1];
    const path = `/teams/${support.id}/channels/${enc(esc.id)}/messages`;
    expect((await c.graph(token, `${path}?$top=51`)).status).toBe(400);
    const r = await c.graph(token, path, { method: "POST", json: { body: { contentType: "html", content: "<p>Firmware update done ✅</p>" } } });
    expect(r.status).toBe(201);
    const posted = await body<{ id: string; channelIdentity: { teamId: string; channelId: string }; webUrl: string }>(r);
    expect(posted.channelIdentity).toEqual({ teamId: support.id, channelId: esc.id });
    expect(posted.webUrl).toContain("https://teams.microsoft.com/l/message/");
    const list = await body<Page<{ id: string; replies?: unknown[] }>>(await c.graph(token, `${path}?$expand=replies`));
    expect(list.value[0].id).toBe(posted.id);
    expect(list.value[0].replies).toEqual([]);
    const readOnly = await c.token(megan.upn, ["ChannelMessage.Read.All"]);
    expect((await c.graph(readOnly, path, { method: "POST", json: { body: { content: "x" } } })).status).toBe(403);
    const supervisors = support.channels.find((ch) => ch.displayName === "Supervisors")!;
    expect((await c.graph(token, `/teams/${support.id}/channels/${enc(supervisors.id)}/messages`)).status).toBe(403);
  });
});

describe("unknown routes", () => {
  it("answers 400 'Resource not found for the segment' like Graph", async () => {
    const r = await c.graph(token, "/me/notAThing");
    expect(r.status).toBe(400);
    expect((await body<{ error: { message: string } }>(r)).error.message).toMatch(/Resource not found for the segment/);
    expect((await fetch(`${c.url}/graph/beta/me`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(400);
  });
});

describe("OneDrive simple upload (driveitem-put-content)", () => {
  it("uploads to the caller's drive (201), replaces (200), honours conflictBehavior, and the eTag GUID works as an attachment id", async () => {
    const path = `/me/drive/root:/${enc("Microsoft Teams Chat Files")}/${enc("jam log.txt")}:/content`;
    const r = await c.graph(token, path, { method: "PUT", body: "47 jams", headers: { "Content-Type": "text/plain" } });
    expect(r.status).toBe(201);
    const item = await body<{ id: string; name: string; size: number; eTag: string; webUrl: string; file: { mimeType: string } }>(r);
    expect(item).toMatchObject({ name: "jam log.txt", size: 7, file: { mimeType: "text/plain" } });
    expect(item.webUrl).toBe("https://contososupport-my.sharepoint.com/personal/megan_pierce_contososupport_onmicrosoft_com/Documents/Microsoft%20Teams%20Chat%20Files/jam%20log.txt");
    const guid = /^"\{([0-9A-F-]{36})\},1"$/.exec(item.eTag)![1];
    const again = await c.graph(token, path, { method: "PUT", body: "48 jams!", headers: { "Content-Type": "text/plain" } });
    expect(again.status).toBe(200);
    expect((await body<{ eTag: string }>(again)).eTag).toBe(`"{${guid}},2"`);
    expect((await c.graph(token, `${path}?@microsoft.graph.conflictBehavior=fail`, { method: "PUT", body: "x" })).status).toBe(409);
    const renamed = await body<{ name: string }>(await c.graph(token, `${path}?@microsoft.graph.conflictBehavior=rename`, { method: "PUT", body: "x" }));
    expect(renamed.name).toBe("jam log 1.txt");
    // the file can now be sent in a chat as a reference attachment
    const chat = c.sim.state.chats.find((ch) => ch.members.some((m) => m.userId === megan.aadObjectId))!;
    const sent = await c.graph(token, `/chats/${enc(chat.id)}/messages`, {
      method: "POST",
      json: { body: { contentType: "html", content: `log <attachment id="${guid}"></attachment>` }, attachments: [{ id: guid, contentType: "reference", contentUrl: item.webUrl, name: item.name }] },
    });
    expect(sent.status).toBe(201);
    const noScope = await c.token(megan.upn, ["Chat.ReadWrite"]);
    const denied = await c.graph(noScope, path, { method: "PUT", body: "x" });
    expect(denied.status).toBe(403);
    expect((await body<{ error: { code: string } }>(denied)).error.code).toBe("accessDenied");
    expect((await c.graph(token, "/me/drive/items/NOPE:/a.txt:/content", { method: "PUT", body: "x" })).status).toBe(404);
  });
});
