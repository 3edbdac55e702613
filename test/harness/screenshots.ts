/**
 * Screenshots for the admin guide (docs/images), taken from the harness in Chromium:
 *   npx tsx test/harness/screenshots.ts
 * Needs a built control (npm run build) and Debian's chromium.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Page } from "playwright-core";
import { startHarness } from "./serve";

const OUT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "docs", "images");
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const harness = await startHarness({ port: 0, https: true, quiet: true });
  const profile = mkdtempSync(join(tmpdir(), "tcp-shots-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [...ARGS, `--ignore-certificate-errors-spki-list=${harness.spki}`],
    viewport: { width: 1280, height: 820 },
    locale: "en-US",
    timezoneId: "UTC",
  });
  try {
    const state = harness.sim.state;
    const user = state.users.find((u) => u.accountEnabled)!;
    const sys = Object.values(state.dataverse.systemuser).find((r) => r.azureactivedirectoryobjectid === user.id)!;
    const incident = Object.values(state.dataverse.incident)[0];
    await context.addInitScript(`localStorage.setItem("tcp.tour.v1.${String(sys.systemuserid).toLowerCase()}", "done");`);
    const page = context.pages()[0] ?? (await context.newPage());
    const form = (extra = "") => `${harness.url}?user=${String(sys.systemuserid).toLowerCase()}&record=incident:${String(incident.incidentid).toLowerCase()}${extra}`;
    const shot = async (p: Page, name: string) => {
      await p.waitForTimeout(400);
      await p.screenshot({ path: join(OUT, name) });
      console.log(`screenshots: docs/images/${name}`);
    };

    await page.goto(form("&p.showDiagnostics=true"));
    await page.locator('[data-testid="state-auth"]').waitFor({ timeout: 30_000 });
    await shot(page, "sign-in-prompt.png");

    const popupPromise = context.waitForEvent("page");
    await page.getByRole("button", { name: "Sign in to Teams" }).click();
    const popup = await popupPromise;
    await popup.getByRole("button", { name: "Sign in", exact: true }).click();
    await popup.getByRole("heading", { name: "Permissions requested" }).waitFor();
    await shot(popup, "consent.png");
    await popup.getByRole("button", { name: "Accept" }).click();
    await page.locator('[data-testid="tcp-root"] [role=list]').first().waitFor({ timeout: 30_000 });
    await shot(page, "panel-on-case-form.png");

    await page.getByRole("button", { name: "More options", exact: true }).click();
    await page.getByRole("menuitem", { name: "Diagnostics" }).click();
    await page.getByTestId("diagnostics").waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="diagnostics"]')?.getAttribute("aria-busy") === "false");
    await shot(page, "diagnostics.png");

    await page.goto(form("&p.clientId=&p.tenantId=contoso&p.authorityHost=http://login.example"));
    await page.getByTestId("state-auth-config").waitFor({ timeout: 30_000 });
    await shot(page, "sign-in-not-set-up.png");
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
    await harness.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
