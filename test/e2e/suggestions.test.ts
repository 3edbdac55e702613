/**
 * Suggested contacts end to end: the real bundle in Chromium against the simulator's Dataverse and Graph.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { formatViolations, openHarness, runAxe, type OpenedHarness } from "./support/browser";
import { sim, type DirectoryRecord, type DirectoryUser } from "./support/sim";

const ROOT = '[data-testid="tcp-root"]';
const SECTION = '[data-testid="suggestions"]';

let h: OpenedHarness;
let s: ReturnType<typeof sim>;
let agent: DirectoryUser;
let record: DirectoryRecord;
let teamCase: DirectoryRecord;
let users: DirectoryUser[];

async function open(rec: DirectoryRecord, extra = ""): Promise<void> {
  await h.goto(`?user=${agent.systemuserid.toLowerCase()}&record=${rec.table}:${rec.id.toLowerCase()}${extra}`);
  await h.page.locator(`${ROOT} [role=list]`).first().waitFor();
}

/** On a case with linked chats the section starts collapsed (the list needs the room): open it. */
async function expand(): Promise<void> {
  const toggle = h.page.getByRole("button", { name: "Suggested contacts" });
  await toggle.waitFor();
  if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
}

const similarList = () => h.page.getByRole("list", { name: "Similar solved cases" });
const relatedList = () => h.page.getByRole("list", { name: "Related to this record" });

beforeAll(async () => {
  h = await openHarness(null);
  s = sim(h.url);
  const dir = await s.directory();
  users = dir.users.filter((u) => !u.isdisabled);
  agent = users.find((u) => u.fullname === "Megan Pierce")!;
  record = dir.records.find((r) => r.table === "incident")!;
  teamCase = dir.records.find((r) => r.name === "Printers offline after Windows driver update")!;
});

// Each test starts from the demo data and a new page: a new browser session, so no corpus cached in sessionStorage.
beforeEach(async () => {
  await h.fresh({ tourSeen: users.map((u) => u.systemuserid) });
});

afterAll(async () => {
  await h?.close();
});

describe("suggested contacts", () => {
  it("shows colleagues who solved similar cases and people related to the record, with reasons", async () => {
    await open(teamCase);
    await similarList().waitFor();
    const first = similarList().getByRole("listitem").first();
    await expect.poll(() => first.textContent()).toMatch(/Resolved/);
    expect(await similarList().getByRole("listitem").count()).toBe(3);
    // The team-owned case suggests the owning team's members, with the reason.
    await relatedList().waitFor();
    await expect.poll(() => relatedList().textContent()).toMatch(/Member of the owning team Tier 2 Specialists/);
    expect(await h.page.locator(SECTION).textContent()).not.toContain("Megan Pierce");
    // Explanation on keyboard focus.
    await similarList().getByTestId("suggest-confidence").first().focus();
    await expect.poll(() => h.page.getByRole("tooltip").textContent()).toMatch(/^Resolved '.+', \d+% similar/);
    const corpusReads = (await s.requests()).filter((r) => r.service === "dataverse" && r.path.includes("incidentresolutions")).length;
    expect(corpusReads).toBeGreaterThan(0);

    const violations = await runAxe(h.page, { include: [SECTION] });
    expect(violations, formatViolations(violations)).toEqual([]);
  });

  it("reads the corpus once per session: a second case does not fetch it again", async () => {
    // The session's first case reads the corpus: its similar cases are ranked once the read is done.
    await open(teamCase);
    await similarList().waitFor();
    await expect.poll(() => similarList().getByRole("listitem").first().textContent()).toMatch(/Resolved/);
    expect((await s.requests()).filter((r) => r.service === "dataverse" && r.path.includes("incidentresolutions")).length).toBeGreaterThan(0);
    await s.clearRequests();
    await open(record);
    await expand();
    await relatedList().waitFor();
    await similarList().waitFor();
    const reads = (await s.requests()).filter((r) => r.service === "dataverse" && r.path.includes("incidentresolutions"));
    expect(reads).toEqual([]);
    await expect.poll(() => relatedList().textContent()).toMatch(/Daniel Okafor.*Linked a chat to this record/);
  });

  it("starts a linked chat with the suggested person already picked", async () => {
    await open(record);
    await expand();
    await relatedList().waitFor();
    await h.page.getByRole("button", { name: "Start a linked chat with Lucas Moreau" }).first().click();
    const dialog = h.page.getByRole("dialog", { name: "New linked chat" });
    await dialog.waitFor();
    await expect.poll(() => dialog.textContent()).toContain("Lucas Moreau");
    const violations = await runAxe(h.page, { include: ['[role="dialog"]'] });
    expect(violations, formatViolations(violations)).toEqual([]);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
  });

  it("opens the person's one-to-one chat", async () => {
    await open(record);
    await expand();
    await relatedList().waitFor();
    await s.clearRequests();
    await relatedList().getByRole("button", { name: "Chat with Priya Raman", exact: true }).click();
    await h.page.getByRole("tab", { name: /Priya Raman/ }).first().waitFor();
    // Megan and Priya already have a one-to-one chat in the demo tenant: it is opened, not created again.
    const created = (await s.requests()).filter((r) => r.service === "graph" && r.method === "POST" && /\/chats$/.test(r.path));
    expect(created).toEqual([]);
  });

  it("names a rule whose lookup column the table lacks to a form editor and still follows the other rules", async () => {
    const rules = '[{"source":"linkedChats"},{"path":"new_accountmanager","label":"Account manager"}]';
    await open(record, `&p.suggestionRules=${encodeURIComponent(rules)}`);
    await expand();
    const box = h.page.getByTestId("suggest-rule-errors");
    await box.waitFor();
    expect(await box.textContent()).toContain("Rule 2: the table incident has no lookup column new_accountmanager.");
    // Rule 1 still stands: who linked chats to the case is suggested.
    await relatedList().waitFor();
    await expect.poll(() => relatedList().textContent()).toMatch(/Daniel Okafor.*Linked a chat to this record/);
    expect(await h.page.getByTestId("suggest-related-error").count()).toBe(0);
    const violations = await runAxe(h.page, { include: [SECTION] });
    expect(violations, formatViolations(violations)).toEqual([]);
  });
});
