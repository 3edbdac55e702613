/**
 * The chat list as an agent uses it: the real production bundle in Chromium, on the harness,
 * against the simulator's Graph and Dataverse.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { formatViolations, openHarness, runAxe, typeSearch, type OpenedHarness } from "./support/browser";
import { sim, type DirectoryRecord, type DirectoryUser } from "./support/sim";

const ROOT = '[data-testid="tcp-root"]';

let h: OpenedHarness;
let s: ReturnType<typeof sim>;
let users: DirectoryUser[];
let caseRecord: DirectoryRecord;
let agent: DirectoryUser;

interface LinkRow {
  tcp_chatid: string;
}

/** The chats linked to the record that this user is a member of, asked of Graph and Dataverse directly. */
async function visibleLinkedChats(user: DirectoryUser, record: DirectoryRecord): Promise<string[]> {
  const rows = await s.dataverse<{ value: LinkRow[] }>(
    user.systemuserid,
    `/tcp_chatlinks?$select=tcp_chatid&$filter=tcp_regardingtable eq '${record.table}' and tcp_regardingid eq '${record.id.toLowerCase()}'`,
  );
  const ids = [...new Set(rows.value.map((r) => r.tcp_chatid))];
  const visible: string[] = [];
  for (const id of ids) if ((await s.graph(user.systemuserid, `/chats/${encodeURIComponent(id)}`)).status === 200) visible.push(id);
  return visible;
}

async function sectionCount(label: RegExp): Promise<number> {
  const text = await h.page.locator(`${ROOT} h3 button`).filter({ hasText: label }).first().innerText({ timeout: 20_000 });
  return Number(/\((\d+)\)/.exec(text)?.[1] ?? NaN);
}

async function open(query: Record<string, string> = {}): Promise<void> {
  const sp = new URLSearchParams({ user: agent.systemuserid.toLowerCase(), record: `${caseRecord.table}:${caseRecord.id.toLowerCase()}`, ...query });
  await h.goto(`?${sp}`);
}

beforeAll(async () => {
  h = await openHarness(null);
  s = sim(h.url);
  const dir = await s.directory();
  users = dir.users;
  agent = users[0];
  caseRecord = dir.records.find((r) => r.table === "incident")!;
});

// Each test starts from the demo data and a new browser context, with the tour seen (it would cover the panel).
beforeEach(async () => {
  await h.fresh({ tourSeen: users.map((u) => u.systemuserid) });
});

afterAll(async () => {
  await h?.close();
});

describe("chat list in the harness", () => {
  it("shows the three sections, with the other record's title and the chats' names", async () => {
    const expected = await visibleLinkedChats(agent, caseRecord);
    expect(expected.length).toBeGreaterThan(0);
    await open();
    await h.page.locator(`${ROOT} [role=list]`).waitFor();
    // Linked chats older than the first page of Graph come in a moment later: wait for the full count.
    await expect.poll(() => sectionCount(/Linked to this record/), { timeout: 20_000 }).toBe(expected.length);
    expect(await sectionCount(/Linked to other records/)).toBeGreaterThan(0);
    expect(await sectionCount(/Other chats/)).toBeGreaterThan(0);
    // A chat linked elsewhere names its record (title read from Dataverse), not a placeholder.
    const recordButton = h.page.locator(`${ROOT} [role=listitem] button[aria-label^="Open "]`).first();
    await expect.poll(() => recordButton.innerText()).not.toMatch(/Loading record/);
    // Every chat row has a name, and says what activating it does.
    const firstRow = h.page.locator(`${ROOT} [data-row-main]`).first();
    expect((await firstRow.locator("[data-chat-name]").innerText()).trim()).not.toBe("");
    const hint = await firstRow.evaluate((el) => document.getElementById(el.getAttribute("aria-describedby") ?? "")?.textContent ?? "");
    expect(hint).toMatch(/Opens the chat here\.$/);
  });

  it("opens the panel with one Graph and one Dataverse round trip for the list", async () => {
    // Asked before the window opens: these direct reads go through the simulator's log too.
    const expected = (await visibleLinkedChats(agent, caseRecord)).length;
    await s.clearRequests();
    await open();
    // The window ends when the first load is complete in the UI: every linked chat counted (the
    // $batch of older ones answered) and the other records' titles read. Counting then, not after
    // a sleep, sees every request of the load; the poller's first tick is ~10 s after it.
    await h.page.locator(`${ROOT} [role=list]`).waitFor();
    await expect.poll(() => sectionCount(/Linked to this record/), { timeout: 20_000 }).toBe(expected);
    const recordButton = h.page.locator(`${ROOT} [role=listitem] button[aria-label^="Open "]`).first();
    await expect.poll(() => recordButton.innerText(), { timeout: 20_000 }).not.toMatch(/Loading record/);
    const reqs = await s.requests();
    const graphLists = reqs.filter((r) => r.service === "graph" && /\/me\/chats/.test(r.path));
    const linkQueries = reqs.filter((r) => r.service === "dataverse" && /tcp_chatlinks/.test(r.path));
    expect(graphLists.map((r) => r.path), JSON.stringify(reqs.map((r) => `${r.service} ${r.path.slice(0, 120)}`), null, 1)).toHaveLength(1);
    expect(graphLists[0].path).toContain("$top=50");
    expect(linkQueries).toHaveLength(1);
    // No per-chat requests: chats linked here but older than the first page come in at most one $batch.
    expect(reqs.filter((r) => r.service === "graph" && /\/chats\//.test(r.path))).toHaveLength(0);
    expect(reqs.filter((r) => r.service === "graph" && r.path.includes("$batch")).length).toBeLessThanOrEqual(1);
  });

  it("shows a linked chat only to its participants", async () => {
    const results: Array<{ user: string; expected: number; shown: number }> = [];
    for (const user of users.slice(0, 4)) {
      const expected = (await visibleLinkedChats(user, caseRecord)).length;
      await h.goto(`?${new URLSearchParams({ user: user.systemuserid.toLowerCase(), record: `${caseRecord.table}:${caseRecord.id.toLowerCase()}` })}`);
      // The count settles once the older linked chats (a $batch) are in.
      await expect.poll(() => sectionCount(/Linked to this record/), { timeout: 20_000 }).toBe(expected);
      results.push({ user: user.fullname, expected, shown: await sectionCount(/Linked to this record/) });
    }
    for (const r of results) expect(r.shown, r.user).toBe(r.expected);
    const allLinks = await s.dataverse<{ value: LinkRow[] }>(agent.systemuserid, `/tcp_chatlinks?$select=tcp_chatid&$filter=tcp_regardingid eq '${caseRecord.id.toLowerCase()}'`);
    // The demo data has a link some of these users are not in: someone sees fewer than all links.
    expect(results.some((r) => r.expected < new Set(allLinks.value.map((l) => l.tcp_chatid)).size)).toBe(true);
  });

  it("narrows all sections as the filter is typed", async () => {
    await open();
    await h.page.locator(`${ROOT} [data-row-main]`).first().waitFor();
    const before = await h.page.locator(`${ROOT} [data-chat-name]`).allInnerTexts();
    const name = await h.page.locator(`${ROOT} [data-chat-name]`).nth(1).innerText();
    const word = name.split(/[\s,]+/).find((w) => w.length >= 4) ?? name;
    expect(before.some((l) => !l.toLowerCase().includes(word.toLowerCase())), "the filter must have something to hide").toBe(true);
    await h.page.getByRole("searchbox", { name: "Filter chats by name" }).fill(word.toLowerCase());
    // The list follows the filter on its next render: wait until every shown name matches.
    await expect
      .poll(async () => {
        const labels = await h.page.locator(`${ROOT} [data-chat-name]`).allInnerTexts();
        return labels.length > 0 && labels.every((l) => l.toLowerCase().includes(word.toLowerCase()));
      })
      .toBe(true);
  });

  it("starts a new chat with a person found in the directory", async () => {
    const colleague = users.find((u) => u.systemuserid !== agent.systemuserid && !u.isdisabled)!;
    await open();
    await h.page.getByRole("button", { name: "New chat", exact: true }).click();
    const dialog = h.page.getByRole("dialog");
    await typeSearch(dialog.getByRole("combobox", { name: "Search people by name" }), colleague.fullname.slice(0, 4));
    await h.page.getByRole("listbox").getByRole("option", { name: new RegExp(colleague.fullname) }).click();
    await dialog.getByRole("button", { name: "Start chat" }).click();
    await dialog.waitFor({ state: "detached" });
    // The chat is in Teams (the simulator) and focused in the list (once the list shows it).
    await expect.poll(() => h.page.evaluate(() => document.activeElement?.querySelector("[data-chat-name]")?.textContent ?? "")).toBe(colleague.fullname);
    const mine = await s.graph<{ value: Array<{ chatType: string; members: Array<{ userId: string }> }> }>(agent.systemuserid, "/me/chats?$expand=members&$top=50");
    expect(mine.body.value.some((c) => c.chatType === "oneOnOne" && c.members.some((m) => m.userId === colleague.aadObjectId))).toBe(true);
  });

  it("says to save the record first on a new record", async () => {
    await open({ record: "new:incident" });
    await h.page.locator(ROOT).getByText("Save the record first").waitFor();
    expect(await h.page.locator(ROOT).getByText("Save the record first").count()).toBe(1);
  });

  it("asks to sign in when Graph refuses the token, and recovers from the button", async () => {
    await s.fault({ service: "graph", path: "/me/chats", status: 401 });
    await open();
    await h.page.getByRole("button", { name: "Sign in to Teams" }).waitFor();
    await s.clearFaults();
    await h.page.getByRole("button", { name: "Sign in to Teams" }).click();
    await h.page.locator(`${ROOT} [role=list]`).waitFor();
    expect(await h.page.getByRole("button", { name: "Sign in to Teams" }).count()).toBe(0);
  });

  it("keeps listing chats when the link query fails, and retries", async () => {
    await s.fault({ service: "dataverse", path: "tcp_chatlinks", status: 500 });
    await open();
    await h.page.getByTestId("links-error").waitFor();
    expect(await h.page.locator(`${ROOT} [data-row-main]`).count()).toBeGreaterThan(0);
    expect(await h.page.locator(`${ROOT} h3`).allInnerTexts()).toEqual([expect.stringMatching(/^Chats \(\d+\)$/)]);
    await s.clearFaults();
    await h.page.getByTestId("links-error").getByRole("button", { name: "Try again" }).click();
    await h.page.getByTestId("links-error").waitFor({ state: "detached" });
    expect(await sectionCount(/Linked to this record/)).toBeGreaterThan(0);
  });

  it("rides out a 429 by waiting for Retry-After", async () => {
    await s.fault({ service: "graph", path: "/me/chats", status: 429, retryAfter: 1, times: 1 });
    await open();
    // The list on screen is the event that ends the window: the load's requests are all logged.
    await h.page.locator(`${ROOT} [role=list]`).waitFor();
    const lists = (await s.requests()).filter((r) => r.service === "graph" && /\/me\/chats/.test(r.path));
    expect(lists.map((r) => r.status)).toEqual([429, 200]);
  });

  it("speaks German for a German user", async () => {
    await open({ lang: "1031" });
    expect(await sectionCount(/Mit diesem Datensatz verknüpft/)).toBeGreaterThan(0);
    await expect(h.page.getByRole("button", { name: "Neuer Chat", exact: true }).count()).resolves.toBe(1);
  });

  for (const theme of ["light", "dark", "hc"]) {
    it(`has no accessibility violations in the ${theme} theme`, async () => {
      await open({ theme });
      await h.page.locator(`${ROOT} [role=list]`).waitFor();
      const violations = await runAxe(h.page, { include: [ROOT] });
      expect(violations, formatViolations(violations)).toEqual([]);
    });
  }

  it("follows the host theme", async () => {
    const bg = async () => h.page.locator(ROOT).evaluate((el) => getComputedStyle(el).backgroundColor);
    await open({ theme: "light" });
    const light = await bg();
    await open({ theme: "dark" });
    expect(await bg()).not.toBe(light);
  });

  it("works with the keyboard alone", async () => {
    await open();
    await h.page.locator(`${ROOT} [role=list]`).waitFor();
    await h.page.getByRole("searchbox", { name: "Filter chats by name" }).focus();
    // Tab order: filter → New chat → new linked chat → link existing chat → the list's one tab stop (its first section header).
    const focusedName = () => h.page.evaluate(() => document.activeElement?.getAttribute("aria-label") || document.activeElement?.textContent || "");
    await h.page.keyboard.press("Tab");
    expect(await focusedName()).toBe("New chat");
    const isFocused = (name: string) => h.page.getByRole("button", { name, exact: true }).evaluate((el) => el === document.activeElement);
    await h.page.keyboard.press("Tab");
    expect(await isFocused("New chat linked to this record")).toBe(true);
    await h.page.keyboard.press("Tab");
    expect(await isFocused("Link an existing chat to this record")).toBe(true);
    await h.page.keyboard.press("Tab");
    expect(await h.page.evaluate(() => document.activeElement?.textContent ?? "")).toMatch(/^Linked to this record \(\d+\)$/);
    await h.page.keyboard.press("ArrowDown");
    expect(await h.page.evaluate(() => document.activeElement?.hasAttribute("data-row-main"))).toBe(true);
    // Enter opens the chat in the panel, with focus on its messages.
    await h.page.keyboard.press("Enter");
    await h.page.getByTestId("message-list").waitFor();
    expect(await h.page.evaluate(() => !!document.activeElement?.closest('[data-testid="conversation"]'))).toBe(true);
    // "Open in Teams" sits in the chat's header, a few Shift+Tabs back.
    for (let i = 0; i < 5 && (await focusedName()) !== "Open in Teams"; i++) await h.page.keyboard.press("Shift+Tab");
    expect(await focusedName()).toBe("Open in Teams");
    // Teams is not reachable from here: answer the new tab locally so its address can be read.
    await h.context.route("https://teams.microsoft.com/**", (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<title>Teams</title>" }));
    const popup = h.context.waitForEvent("page");
    await h.page.keyboard.press("Enter");
    expect((await popup).url()).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/chat\//);
  });

  it("opens a chat row's menu from the keyboard, moves through it, and gives focus back on Escape", async () => {
    await open();
    // From a row, Tab reaches its menu button (after any linked-record buttons of the row).
    await h.page.locator(`${ROOT} [data-row-main]`).first().focus();
    for (let i = 0; i < 4 && !/^More options for /.test(await h.page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? "")); i++) await h.page.keyboard.press("Tab");
    const more = await h.page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? "");
    expect(more).toMatch(/^More options for /);
    expect(await h.page.evaluate(() => document.activeElement?.getAttribute("aria-expanded"))).toBe("false");
    await h.page.keyboard.press("Enter");
    await h.page.getByRole("menu").waitFor();
    await expect.poll(() => h.page.evaluate(() => document.activeElement?.getAttribute("role"))).toBe("menuitem");
    expect(await h.page.evaluate(() => document.activeElement?.textContent)).toBe("Open in Teams");
    expect(await h.page.getByRole("button", { name: more, exact: true }).getAttribute("aria-expanded")).toBe("true");
    await h.page.keyboard.press("ArrowDown");
    expect(await h.page.evaluate(() => document.activeElement?.getAttribute("role"))).toBe("menuitem");
    await h.page.keyboard.press("Escape");
    await h.page.getByRole("menu").waitFor({ state: "detached" });
    expect(await h.page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe(more);
    // A second opening with ArrowDown, as menu buttons allow.
    await h.page.keyboard.press("ArrowDown");
    await h.page.getByRole("menu").waitFor();
    await h.page.keyboard.press("Escape");
    await h.page.getByRole("menu").waitFor({ state: "detached" });
  });

  it("shows the first-run tour once per user, and again from the menu", async () => {
    // A first visit: nothing in localStorage.
    await h.fresh();
    await open();
    const tour = h.page.getByTestId("tour");
    await tour.waitFor();
    await h.page.getByRole("button", { name: "Skip tour" }).click();
    await tour.waitFor({ state: "detached" });
    await open();
    await h.page.locator(`${ROOT} [role=list]`).waitFor();
    expect(await tour.count()).toBe(0);
    await h.page.getByRole("button", { name: "More options", exact: true }).click();
    await h.page.getByRole("menuitem", { name: "Show the tour" }).click();
    await tour.waitFor();
    await h.page.keyboard.press("Escape");
    await tour.waitFor({ state: "detached" });
  });
});
