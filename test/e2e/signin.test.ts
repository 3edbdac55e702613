/**
 * Sign-in end to end: the control's real MSAL v5 code in Chromium against the harness's local
 * OpenID Connect provider over https (popup, hidden frame, PKCE, consent), and the Graph
 * simulator verifying each RS256 token (signature against the provider's JWKS, issuer,
 * audience, lifetime, scp).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { startHarness, type Harness } from "../harness/serve";
import { assertChromium, captureConsole, formatViolations, launchBrowser, runAxe, simControl, waitForHarness, type LaunchedBrowser } from "./support/browser";
import type { DirectoryRecord, DirectoryUser, SimRequest } from "./support/sim";

const ROOT = '[data-testid="tcp-root"]';
const LIST = `${ROOT} [role=list]`;
const PROMPT = '[data-testid="state-auth"]';

let harness: Harness;
let agent: DirectoryUser;
let record: DirectoryRecord;
let browser: LaunchedBrowser | undefined;
let control: Awaited<ReturnType<typeof simControl>>;

async function newBrowser(): Promise<{ page: Page; b: LaunchedBrowser }> {
  const b = await launchBrowser({ spki: harness.spki });
  browser = b;
  // The first-run tour would cover the panel; these tests are about sign-in.
  await b.context.addInitScript(`try { for (const k of ${JSON.stringify([agent.systemuserid.toLowerCase()])}) localStorage.setItem("tcp.tour.v1." + k, "done"); } catch {}`);
  captureConsole(b.page, { print: true });
  return { page: b.page, b };
}

function formUrl(extra = ""): string {
  return `${harness.url}?user=${agent.systemuserid.toLowerCase()}&record=${record.table}:${record.id.toLowerCase()}${extra}`;
}

async function open(page: Page, extra = ""): Promise<void> {
  await page.goto(formUrl(extra));
  await waitForHarness(page);
}

async function requests(page: Page): Promise<SimRequest[]> {
  return page.evaluate(async () => ((await (await fetch("/__sim/requests")).json()) as { requests: SimRequest[] }).requests);
}

async function clearRequests(page: Page): Promise<void> {
  await page.evaluate(async () => void (await fetch("/__sim/requests", { method: "DELETE" })));
}

/** Clicks the button that opens the sign-in window and returns that window. */
async function signInWindow(b: LaunchedBrowser, click: () => Promise<void>): Promise<Page> {
  const popup = b.context.waitForEvent("page", { timeout: 30_000 });
  await click();
  const p = await popup;
  await p.waitForLoadState("domcontentloaded");
  return p;
}

/** The provider's login page: the hinted user is preselected; returns the consent page's scopes. */
async function signInAs(popup: Page): Promise<string[]> {
  await expect.poll(() => popup.locator(`input[name=user][value="${agent.aadObjectId}"]`).isChecked()).toBe(true);
  await popup.getByRole("button", { name: "Sign in", exact: true }).click();
  await popup.getByRole("heading", { name: "Permissions requested" }).waitFor();
  return popup.locator("li code").allInnerTexts();
}

async function firstSignIn(page: Page, b: LaunchedBrowser): Promise<void> {
  await open(page);
  await page.locator(PROMPT).waitFor();
  const popup = await signInWindow(b, () => page.getByRole("button", { name: "Sign in to Teams" }).click());
  await signInAs(popup);
  await popup.getByRole("button", { name: "Accept" }).click();
  await page.locator(LIST).first().waitFor({ timeout: 20_000 });
}

beforeAll(async () => {
  assertChromium();
  harness = await startHarness({ port: 0, https: true, quiet: true });
  const state = harness.sim.state;
  const u = state.users.find((x) => x.accountEnabled)!;
  const sys = Object.values(state.dataverse.systemuser).find((r) => r.azureactivedirectoryobjectid === u.id)!;
  agent = { systemuserid: String(sys.systemuserid), aadObjectId: u.id, fullname: String(sys.fullname), upn: String(sys.domainname) };
  const first = Object.values(state.dataverse.incident)[0];
  record = { table: "incident", id: String(first.incidentid), name: String(first.title) };
  control = await simControl(harness.url);
});

// Each test starts with the demo data, the provider up and no consent given; each opens its own browser (newBrowser).
beforeEach(async () => {
  await control.reset();
  harness.identity?.setDown(false);
  harness.identity?.resetConsent();
});

afterEach(async () => {
  harness.identity?.setDown(false);
  harness.identity?.resetConsent();
  await browser?.close();
  browser = undefined;
});

afterAll(async () => {
  await control?.dispose();
  await harness?.close();
});

describe("sign-in with MSAL against the local OpenID Connect provider", () => {
  it("first sign-in by click: login, consent to reading chats only, then the chats load with a verified token", async () => {
    const { page, b } = await newBrowser();
    await open(page);
    const prompt = page.locator(PROMPT);
    await prompt.waitFor();
    expect(await prompt.getAttribute("data-problem")).toBe("signInRequired");
    const axe = await runAxe(page, { include: [ROOT] });
    expect(axe, formatViolations(axe)).toEqual([]);

    const popup = await signInWindow(b, () => page.getByRole("button", { name: "Sign in to Teams" }).click());
    const asked = await signInAs(popup);
    // Least privilege: the first sign-in asks for what reading chats needs, nothing else.
    expect(asked.filter((s) => /^[A-Z]/.test(s))).toEqual(["Chat.Read"]);
    await clearRequests(page);
    await popup.getByRole("button", { name: "Accept" }).click();
    await page.locator(LIST).first().waitFor({ timeout: 20_000 });
    await expect.poll(async () => (await requests(page)).some((r) => r.service === "graph" && r.path.startsWith("/graph/v1.0/me/chats") && r.status === 200 && r.caller === agent.upn)).toBe(true);
    expect(await page.locator(PROMPT).count()).toBe(0);
    // Tokens stay inside MSAL: nothing of ours holds one.
    const stored = await page.evaluate(() => JSON.stringify(Object.entries(localStorage)));
    expect(stored).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\./);
  });

  it("signs in silently on reload: no window, no prompt", async () => {
    const { page, b } = await newBrowser();
    await firstSignIn(page, b);
    let windows = 0;
    b.context.on("page", () => windows++);
    await page.reload();
    await waitForHarness(page);
    await page.locator(LIST).first().waitFor({ timeout: 20_000 });
    expect(await page.locator(PROMPT).count()).toBe(0);
    expect(windows).toBe(0);
  });

  it("renews a token that expires mid-session without the user noticing", async () => {
    const { page, b } = await newBrowser();
    await firstSignIn(page, b);
    let windows = 0;
    b.context.on("page", () => windows++);
    // The window opens before the expiry, so a poll tick that meets the expired token is seen too.
    await clearRequests(page);
    const { expiredBefore } = await page.evaluate(
      async () => (await (await fetch("/__sim/expire-tokens", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" })).json()) as { expiredBefore: number },
    );
    // The simulator refuses every token issued before `expiredBefore`, a whole second (iat is in
    // seconds), including ones issued in the current second. A renewal within that same second
    // would be refused as well, a race of the simulator's clock, not of the panel: renew only once
    // the clock has passed it (a condition on the same machine's clock, at most about a second).
    await page.waitForFunction((at) => Date.now() / 1000 >= at, expiredBefore, { timeout: 10_000 });
    await page.getByRole("button", { name: "More options", exact: true }).click();
    await page.getByRole("menuitem", { name: "Refresh" }).click();
    // From then on, every call made with a refused token (the Refresh, and a poll tick if one fell in
    // the window) gets a 401 and is retried once with a renewed token, which Graph accepts: as many
    // 200s as 401s, the first answer a 401, the last a 200. (A tick in the second before is left out.)
    const chatCalls = async () =>
      (await requests(page))
        .filter((r) => r.service === "graph" && r.path.startsWith("/graph/v1.0/me/chats") && Date.parse(r.time) >= expiredBefore * 1000)
        .map((r) => r.status);
    await expect
      .poll(async () => {
        const statuses = await chatCalls();
        const refused = statuses.filter((x) => x === 401).length;
        const ok = statuses.filter((x) => x === 200).length;
        return statuses.length > 0 && statuses[0] === 401 && statuses[statuses.length - 1] === 200 && ok >= refused ? "renewed" : statuses.join(",");
      })
      .toBe("renewed");
    await page.locator(LIST).first().waitFor();
    expect(await page.locator(PROMPT).count()).toBe(0);
    expect(await page.getByTestId("auth-banner").count()).toBe(0);
    expect(windows).toBe(0);
  });

  it("asks for a missing permission when a feature first needs it, then sends the waiting message", async () => {
    const { page, b } = await newBrowser();
    await firstSignIn(page, b);
    await page.locator(`${ROOT} [data-row-main]`).first().click();
    await page.getByTestId("message-list").waitFor();
    const text = `Consent check ${Date.now()}`;
    await page.getByRole("textbox", { name: /^Message / }).click();
    await page.keyboard.type(text);
    await page.keyboard.press("Enter");
    const banner = page.getByTestId("auth-banner");
    await banner.waitFor({ timeout: 20_000 });
    expect(await banner.getAttribute("data-problem")).toBe("consentRequired");
    expect(await banner.innerText()).toContain("ChatMessage.Send");
    const axe = await runAxe(page, { include: [ROOT] });
    expect(axe, formatViolations(axe)).toEqual([]);

    const popup = await signInWindow(b, () => banner.getByRole("button", { name: "Grant permission" }).click());
    await popup.getByRole("heading", { name: "Permissions requested" }).waitFor();
    expect(await popup.locator("li code").allInnerTexts()).toEqual(["ChatMessage.Send"]);
    await popup.getByRole("button", { name: "Accept" }).click();
    await banner.waitFor({ state: "detached", timeout: 20_000 });
    // The message waited (nothing had been sent without a token) and goes out once.
    await expect
      .poll(() => harness.sim.state.chats.reduce((n, c) => n + c.messages.filter((m) => m.body.content.includes(text)).length, 0), { timeout: 20_000 })
      .toBe(1);
  });

  it("says so when consent is refused, and offers to ask again", async () => {
    const { page, b } = await newBrowser();
    await open(page);
    await page.locator(PROMPT).waitFor();
    const popup = await signInWindow(b, () => page.getByRole("button", { name: "Sign in to Teams" }).click());
    await signInAs(popup);
    await popup.getByRole("button", { name: "Cancel" }).click();
    const prompt = page.locator(PROMPT);
    await expect.poll(() => prompt.getAttribute("data-problem"), { timeout: 20_000 }).toBe("consentDenied");
    expect(await prompt.innerText()).toContain("Chat.Read");
    expect(await prompt.getByRole("button", { name: "Grant permission" }).isVisible()).toBe(true);
    const link = prompt.getByRole("link", { name: "Open the admin consent page" });
    expect(await link.getAttribute("href")).toContain("adminconsent");
  });

  it("explains a blocked sign-in window and offers the button again", async () => {
    const { page } = await newBrowser();
    // What a popup blocker does to window.open.
    await page.addInitScript("window.open = () => null;");
    await open(page);
    await page.locator(PROMPT).waitFor();
    await page.getByRole("button", { name: "Sign in to Teams" }).click();
    const prompt = page.locator(PROMPT);
    await expect.poll(() => prompt.getAttribute("data-problem")).toBe("popupBlocked");
    expect(await prompt.innerText()).toContain("blocked the sign-in window");
    expect(await prompt.getByRole("button", { name: "Sign in to Teams" }).isEnabled()).toBe(true);
  });

  it("tells the user when the sign-in service is down, and recovers when it is back", async () => {
    harness.identity!.setDown(true);
    const { page, b } = await newBrowser();
    await open(page);
    const prompt = page.locator(PROMPT);
    await expect.poll(() => prompt.getAttribute("data-problem"), { timeout: 30_000 }).toBe("providerUnreachable");
    expect(await prompt.innerText()).toContain("can't be reached");
    harness.identity!.setDown(false);
    await prompt.getByRole("button", { name: "Try again" }).click();
    await expect.poll(() => prompt.getAttribute("data-problem"), { timeout: 30_000 }).toBe("signInRequired");
    const popup = await signInWindow(b, () => prompt.getByRole("button", { name: "Sign in to Teams" }).click());
    await signInAs(popup);
    await popup.getByRole("button", { name: "Accept" }).click();
    await page.locator(LIST).first().waitFor({ timeout: 20_000 });
  });

  it("names exactly what an admin must fix when the sign-in settings are wrong", async () => {
    const { page } = await newBrowser();
    await open(page, "&p.clientId=not-a-guid&p.authorityHost=http://login.example.test");
    const config = page.getByTestId("state-auth-config");
    await config.waitFor({ timeout: 20_000 });
    const text = await config.innerText();
    expect(text).toMatch(/The client ID "not-a-guid" \(environment variable tcp_TeamsChatPanelClientId, or the form property "Sign-in: client ID"\) is not a GUID/);
    expect(text).toContain('The authority host "http://login.example.test" must be an https address');
  });

  it("shows admins a diagnostics view: configuration, sign-in and scopes, link table and privileges, Graph", async () => {
    const { page, b } = await newBrowser();
    await firstSignIn(page, b);
    await open(page, "&p.showDiagnostics=true");
    await page.locator(LIST).first().waitFor({ timeout: 20_000 });
    await page.getByRole("button", { name: "More options", exact: true }).click();
    await page.getByRole("menuitem", { name: "Diagnostics" }).click();
    const dialog = page.getByRole("dialog", { name: "Diagnostics" });
    const report = dialog.getByTestId("diagnostics");
    await expect.poll(() => report.getAttribute("aria-busy"), { timeout: 20_000 }).toBe("false");
    const status = async (id: string) => report.locator(`[data-check="${id}"]`).getAttribute("data-status");
    for (const id of ["config", "signIn", "scopes", "linkTable", "linkPrivileges", "graph"]) expect(await status(id), id).toBe("ok");
    const text = await report.innerText();
    expect(text).toContain(`Signed in to Microsoft Graph as ${agent.upn}`);
    expect(text).toContain("Chat.Read");
    const axe = await runAxe(page, { include: ['[role="dialog"]'] });
    expect(axe, formatViolations(axe)).toEqual([]);
    await dialog.getByRole("button", { name: "Close" }).click();
  });

  it("diagnostics name each failing setting and how to fix it", async () => {
    const { page } = await newBrowser();
    await open(page, "&p.showDiagnostics=true&p.tenantId=%20&p.clientId=abc");
    await page.getByTestId("state-auth-config").waitFor({ timeout: 20_000 });
    await page.getByRole("button", { name: "More options", exact: true }).click();
    await page.getByRole("menuitem", { name: "Diagnostics" }).click();
    const report = page.getByRole("dialog", { name: "Diagnostics" }).getByTestId("diagnostics");
    await expect.poll(() => report.getAttribute("aria-busy"), { timeout: 20_000 }).toBe("false");
    expect(await report.locator('[data-check="config"]').getAttribute("data-status")).toBe("error");
    expect(await report.locator('[data-check="config"]').innerText()).toMatch(/The client ID "abc" .* is not a GUID/);
    expect(await report.locator('[data-check="linkTable"]').getAttribute("data-status")).toBe("ok");
  });
});
