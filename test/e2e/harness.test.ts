/**
 * Smoke test of the harness itself: it serves the page, lists the simulator's demo
 * users and records, mounts the built control in the side pane with the state from
 * the URL, re-creates it on a change, themes the page, gives the control a working
 * webAPI, and its own chrome passes axe. The control's UI is tested elsewhere; here
 * only its root element is expected.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { formatViolations, openHarness, runAxe, type OpenedHarness } from "./support/browser";
import type { Directory } from "../harness/page/context";
import { parseQuery, toQuery } from "../harness/page/state";

const PANE = '[data-testid="harness-pane"]';
const ROOT = `${PANE} [data-testid="tcp-root"]`;

let h: OpenedHarness;
let directory: Directory;

async function harnessState(): Promise<{ renders: number; mounts: number; user: string; errors: string[] }> {
  return h.page.evaluate(() => ({
    renders: window.__harness.renders,
    mounts: window.__harness.mounts,
    user: window.__harness.state.user,
    errors: window.__harness.errors,
  }));
}

/** Waits until the harness has created an instance after `mounts` and that instance rendered. */
async function remounted(mounts: number): Promise<void> {
  await h.page.waitForFunction((m) => window.__harness.mounts > m && document.body.dataset.harnessReady !== "false", mounts);
  expect(await h.page.evaluate(() => document.body.dataset.harnessReady), (await harnessState()).errors.join("\n")).toBe("true");
}

beforeAll(async () => {
  h = await openHarness(null);
  directory = (await (await fetch(`${h.url}__sim/directory`)).json()) as Directory;
});

afterAll(async () => {
  await h?.close();
});

describe("harness", () => {
  // Each test starts from the demo data and a new page showing the harness's default state.
  beforeEach(async () => {
    await h.fresh();
    await h.goto();
  });

  // Whatever a test did, the harness itself raised no error on its page.
  afterEach(async () => {
    const errors = await h.page.evaluate(() => window.__harness?.errors ?? []);
    expect(errors).toEqual([]);
    const fromHarness = h.console.errors.filter((e) => e.startsWith("uncaught:") && e.includes("/harness.js"));
    expect(fromHarness).toEqual([]);
  });

  it("lists every demo user and record in the toolbar", async () => {
    expect(directory.users.length).toBeGreaterThan(1);
    const users = await h.page.locator("#harness-user option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(users).toEqual(directory.users.map((u) => u.systemuserid.toLowerCase()));

    const records = await h.page.locator("#harness-record option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(records).toContain("new:incident");
    for (const r of directory.records) expect(records).toContain(`${r.table}:${r.id.toLowerCase()}`);

    // By id and <label for>: a modal the control opens (its tour) aria-hides the chrome.
    const labels = await h.page.evaluate(() =>
      ["harness-user", "harness-record", "harness-theme", "harness-lang"].map((id) => (document.getElementById(id) as HTMLSelectElement).labels[0]?.textContent),
    );
    expect(labels).toEqual(["Signed-in user", "Record", "Theme", "Language"]);
    await expect(h.page.locator("#harness-reset").textContent()).resolves.toBe("Reset demo data");
  });

  it("mounts the control in the side pane with the state written to the URL", async () => {
    const state = await harnessState();
    const url = new URL(h.page.url());
    expect(url.searchParams.get("user")).toBe(state.user);
    expect(url.searchParams.get("record")).toMatch(/^incident:[0-9a-f-]{36}$/);
    expect(url.searchParams.get("theme")).toBe("light");
    expect(state.mounts).toBe(1);
    expect(state.renders).toBeGreaterThanOrEqual(1);
    await h.page.locator(ROOT).waitFor();
    const cookies = await h.browser.context.cookies(h.url);
    expect(cookies.find((c) => c.name === "tcp_sim_user")?.value).toBe(state.user);
  });

  it("re-creates the control for another user picked in the toolbar", async () => {
    const before = await harnessState();
    const other = directory.users.find((u) => !u.isdisabled && u.systemuserid.toLowerCase() !== before.user);
    if (!other) throw new Error("the demo data needs two enabled users");
    const id = other.systemuserid.toLowerCase();

    await h.page.selectOption("#harness-user", id);
    await remounted(before.mounts);

    const after = await harnessState();
    expect(new URL(h.page.url()).searchParams.get("user")).toBe(id);
    expect(after.user).toBe(id);
    expect(after.renders).toBeGreaterThan(before.renders);
    await h.page.locator(ROOT).waitFor();
    const userId = await h.page.evaluate(() => window.__harness.context()?.userSettings.userId);
    expect(userId).toBe(`{${id.toUpperCase()}}`);
    const cookies = await h.browser.context.cookies(h.url);
    expect(cookies.find((c) => c.name === "tcp_sim_user")?.value).toBe(id);
  });

  it("paints the pane for the light, dark and high-contrast themes", async () => {
    const backgrounds = new Set<string>();
    for (const theme of ["dark", "hc", "light"]) {
      const { mounts } = await harnessState();
      await h.page.selectOption("#harness-theme", theme);
      await remounted(mounts);
      expect(new URL(h.page.url()).searchParams.get("theme")).toBe(theme);
      backgrounds.add(await h.page.locator("#side-pane").evaluate((el) => getComputedStyle(el).backgroundColor));
      const dark = await h.page.evaluate(() => window.__harness.context()?.fluentDesignLanguage?.isDarkTheme);
      expect(dark).toBe(theme !== "light");
    }
    expect(backgrounds.size).toBe(3);
  });

  it("opens a user, an unsaved record, a theme, a language and a width straight from the URL", async () => {
    const user = directory.users.filter((u) => !u.isdisabled)[1] ?? directory.users[0];
    const id = user.systemuserid.toLowerCase();
    await h.goto({ user: id, record: { table: "incident", id: "" }, theme: "dark", lang: 1031, width: 360 });

    await expect(h.page.locator("#harness-user").inputValue()).resolves.toBe(id);
    await expect(h.page.locator("#harness-record").inputValue()).resolves.toBe("new:incident");
    await expect(h.page.locator("#harness-theme").inputValue()).resolves.toBe("dark");
    await expect(h.page.locator("#harness-lang").inputValue()).resolves.toBe("1031");
    await expect(h.page.locator("#pane-body").evaluate((el) => el.getBoundingClientRect().width)).resolves.toBe(360);
    await expect(h.page.locator("#side-pane").getAttribute("lang")).resolves.toBe("de-DE");

    const context = await h.page.evaluate(() => {
      const c = window.__harness.context();
      const mode = c?.mode as unknown as { contextInfo: Record<string, string> };
      return { info: mode.contextInfo, languageId: c?.userSettings.languageId, bound: (c?.parameters as Record<string, { raw: unknown }>).boundText.raw };
    });
    expect(context).toEqual({ info: { entityTypeName: "incident", entityId: "", entityRecordName: "" }, languageId: 1031, bound: "" });
    await h.page.locator(ROOT).waitFor();
  });

  it("gives the control a webAPI and metadata over the simulator's Dataverse", async () => {
    await h.goto({ theme: "light" });
    const record = directory.records.find((r) => r.table === "incident");
    if (!record) throw new Error("the demo data needs a case");
    const result = await h.page.evaluate(async (r) => {
      const c = window.__harness.context();
      if (!c) throw new Error("no control context");
      const meta = await c.utils.getEntityMetadata(r.table);
      const entity = await c.webAPI.retrieveRecord(r.table, r.id, `?$select=${meta.PrimaryNameAttribute}`);
      const page = await c.webAPI.retrieveMultipleRecords(r.table, `?$select=${meta.PrimaryNameAttribute}`, 1);
      let failure: unknown;
      await c.webAPI.retrieveRecord(r.table, "00000000-0000-0000-0000-0000000000ff").catch((e: unknown) => (failure = e));
      return { meta, name: entity[meta.PrimaryNameAttribute], count: page.entities.length, nextLink: page.nextLink, failure };
    }, record);
    expect(result.meta).toMatchObject({ LogicalName: "incident", EntitySetName: "incidents", PrimaryIdAttribute: "incidentid", PrimaryNameAttribute: "title" });
    expect(result.name).toBe(record.name);
    expect(result.count).toBe(1);
    if (directory.records.filter((r) => r.table === "incident").length > 1) expect(result.nextLink).toMatch(/\/api\/data\/v9\.2\/incidents/);
    expect(result.failure).toMatchObject({ errorCode: expect.any(Number), message: expect.any(String) });
  });

  it("keeps its own chrome free of axe violations in every theme", async () => {
    for (const theme of ["light", "dark", "hc"] as const) {
      // The page alone (mount=0): with the control, what axe sees of the chrome depends on
      // the control's state (a modal it opens aria-hides the rest), which its own tests cover.
      await h.goto({ theme, mount: false });
      const violations = await runAxe(h.page);
      expect(violations, `${theme}:\n${formatViolations(violations)}`).toEqual([]);
    }
  });

  it("destroys the control and empties the pane on unmount", async () => {
    await h.goto({ theme: "light" });
    const before = await harnessState();
    await h.page.evaluate(() => window.__harness.unmount());
    await expect(h.page.evaluate(() => document.body.dataset.harnessReady)).resolves.toBe("unmounted");
    await expect(h.page.locator(PANE).evaluate((el) => el.childElementCount)).resolves.toBe(0);
    await expect(h.page.evaluate(() => window.__harness.control())).resolves.toBeUndefined();
    await h.page.evaluate(() => window.__harness.navigate({ mount: true }));
    await remounted(before.mounts);
    await h.page.locator(ROOT).waitFor();
  });
});

describe("harness URL state", () => {
  it("round-trips every field and fills defaults", () => {
    const state = {
      user: "aa790a84-6947-4fbe-874e-652170a5a484",
      record: { table: "incident", id: "691a294e-5f87-4292-ab37-da4e9ac2fc4e" },
      theme: "hc" as const,
      lang: 1031,
      width: 360,
      params: { chatNaming: "participants", introMessage: "false" },
      mount: false,
    };
    expect(parseQuery(toQuery(state))).toEqual(state);
    expect(parseQuery("")).toEqual({ user: undefined, record: undefined, theme: "light", lang: 1033, width: 400, params: {}, mount: true });
    expect(toQuery({ record: { table: "incident", id: "" } })).toBe("?record=new%3Aincident");
  });

  it("normalises ids and ignores what it cannot use", () => {
    const q = parseQuery("?user={AA790A84-6947-4FBE-874E-652170A5A484}&record=Incident:{691A294E-5F87-4292-AB37-DA4E9AC2FC4E}&theme=neon&width=5000&lang=x");
    expect(q).toMatchObject({ user: "aa790a84-6947-4fbe-874e-652170a5a484", record: { table: "incident", id: "691a294e-5f87-4292-ab37-da4e9ac2fc4e" }, theme: "light", width: 800, lang: 1033 });
    expect(parseQuery("?user=bob&record=incident:42").record).toBeUndefined();
  });
});
