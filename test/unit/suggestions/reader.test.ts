/** The suggestions reader against the simulator over HTTP, through the harness's context.webAPI. */
import { mergeCandidates } from "../../../TeamsChatPanel/domain/suggestions/merge";
import { defaultRules, parseRules } from "../../../TeamsChatPanel/domain/suggestions/rules";
import { DataverseSuggestionReader } from "../../../TeamsChatPanel/services/dataverse/suggestionReader";
import { ServiceError } from "../../../TeamsChatPanel/services/errors";
import { DataverseClient } from "../../harness/page/webapi";
import { type DirectoryUser, type SimClient, startClient } from "../../simulator/test-client";

let c: SimClient;
let users: DirectoryUser[];
const requests: string[] = [];
const realFetch = globalThis.fetch;
const byName = (name: string) => users.find((u) => u.fullname === name)!;

async function caseId(titleStart: string): Promise<string> {
  const r = await c.dv(byName("Megan Pierce").systemuserid, `/incidents?$select=incidentid&$filter=${encodeURIComponent(`startswith(title,'${titleStart}')`)}`);
  return ((await r.json()) as { value: Array<{ incidentid: string }> }).value[0].incidentid;
}

function reader(user: DirectoryUser, now = new Date()): DataverseSuggestionReader {
  const dv = new DataverseClient({ userId: () => user.systemuserid, onRequest: (m, u) => requests.push(`${m} ${decodeURIComponent(u)}`) });
  return new DataverseSuggestionReader(dv.webApi(), () => now);
}

beforeAll(async () => {
  c = await startClient({ seed: "demo" });
  users = await c.directory();
  vi.stubGlobal("fetch", (input: string | URL | Request, init?: RequestInit) =>
    realFetch(typeof input === "string" && input.startsWith("/") ? `${c.url}${input}` : input, init),
  );
});
afterAll(async () => {
  vi.unstubAllGlobals();
  await c.close();
});
beforeEach(() => (requests.length = 0));

describe("related people", () => {
  it("follows the default case rules: owner, linked chats, customer owner, activities", async () => {
    const megan = byName("Megan Pierce");
    const id = await caseId("Printer jams on every duplex");
    const { people: candidates, skipped } = await reader(megan).relatedPeople({ table: "incident", id }, defaultRules("incident"));
    expect(skipped).toEqual([]);
    expect(candidates[0]).toMatchObject({ systemUserId: megan.systemuserid, reason: "owner" });
    const linked = candidates.filter((x) => x.reason === "linkedChat").map((x) => x.fullName);
    expect(linked).toEqual(expect.arrayContaining(["Daniel Okafor", "Priya Raman"]));
    expect(candidates.some((x) => x.reason === "customerOwner")).toBe(true);
    expect(candidates.filter((x) => x.reason === "activity").map((x) => x.fullName)).toContain("Lucas Moreau");
    const merged = mergeCandidates(candidates, { systemUserId: megan.systemuserid, aadObjectId: megan.aadObjectId });
    expect(merged.map((m) => m.fullName)).not.toContain("Megan Pierce");
    expect(new Set(merged.map((m) => m.systemUserId)).size).toBe(merged.length);
  });

  it("suggests the members of the owning team for a team-owned record", async () => {
    const id = await caseId("Printers offline after Windows driver update");
    const { people: candidates } = await reader(byName("Megan Pierce")).relatedPeople({ table: "incident", id }, [{ kind: "lookup", path: ["ownerid"], reason: "owner" }]);
    expect(candidates.length).toBe(8);
    expect(candidates.every((x) => x.reason === "teamMember" && x.detail === "Tier 2 Specialists")).toBe(true);
  });

  it("follows an admin's custom two-hop path", async () => {
    const id = await caseId("Printer jams on every duplex");
    const { rules } = parseRules('[{"path":"primarycontactid/ownerid","label":"Contact owner"}]', "incident");
    const { people: candidates } = await reader(byName("Megan Pierce")).relatedPeople({ table: "incident", id }, rules);
    expect(candidates).toHaveLength(1);
    expect(candidates[0]).toMatchObject({ reason: "custom", detail: "Contact owner" });
  });

  it("reports a path naming a column the table does not have, and still follows the other rules", async () => {
    const megan = byName("Megan Pierce");
    const id = await caseId("Printer jams on every duplex");
    const { people, skipped } = await reader(megan).relatedPeople({ table: "incident", id }, [
      { kind: "lookup", path: ["nosuchcolumn"], reason: "custom" },
      { kind: "lookup", path: ["ownerid"], reason: "owner" },
      { kind: "lookup", path: ["customerid", "nosuchcolumn"], reason: "custom" },
    ]);
    expect(skipped).toEqual([
      { rule: 0, column: "nosuchcolumn", table: "incident" },
      { rule: 2, column: "nosuchcolumn", table: "account" },
    ]);
    expect(people).toEqual([expect.objectContaining({ systemUserId: megan.systemuserid, reason: "owner" })]);
  });

  it("fails the group when Dataverse itself cannot answer (Try again is offered), rather than reporting a rule", async () => {
    const id = await caseId("Printer jams on every duplex");
    await c.control("/faults", { method: "POST", json: { service: "dataverse", method: "GET", path: "/incidents\\(", status: 503, times: 1 } });
    const err = await reader(byName("Megan Pierce"))
      .relatedPeople({ table: "incident", id }, [{ kind: "lookup", path: ["ownerid"], reason: "owner" }])
      .catch((e) => e);
    expect(err).toBeInstanceOf(ServiceError);
  });
});

describe("resolved cases", () => {
  it("reads text and resolver of resolved cases in the window, capped", async () => {
    const all = await reader(byName("Megan Pierce")).resolvedCases(12, 5000);
    expect(all.length).toBeGreaterThanOrEqual(50);
    expect(all.every((x) => x.resolverId && x.id)).toBe(true);
    expect(all.find((x) => x.title === "Wrong VAT on invoice")?.resolverId).toBe(byName("Mateo Rossi").systemuserid);
    expect(await reader(byName("Megan Pierce")).resolvedCases(12, 10)).toHaveLength(10);
    const recent = await reader(byName("Megan Pierce")).resolvedCases(1, 5000);
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.length).toBeLessThan(all.length);
  });
});
