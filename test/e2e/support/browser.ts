/**
 * Browser plumbing for the end-to-end tests: Debian's Chromium driven by playwright-core
 * (no downloaded browsers), a fresh profile per launch, the harness on a free port with
 * its own data file, axe-core from node_modules, and browser errors in the test output.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { chromium, type BrowserContext, type ConsoleMessage, type Page } from "playwright-core";
import { startHarness, type Harness, type HarnessOptions } from "../../harness/serve";
import { toQuery, type HarnessQuery } from "../../harness/page/state";
import type {} from "../../harness/page/api";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface LaunchedBrowser {
  context: BrowserContext;
  /** The page Chromium opened with the profile. */
  page: Page;
  newPage(): Promise<Page>;
  /** Closes Chromium and removes the profile directory. */
  close(): Promise<void>;
}

export interface LaunchOptions {
  viewport?: { width: number; height: number };
  /** BCP 47 locale of the browser (navigator.language). */
  locale?: string;
  timezoneId?: string;
  /** Trust exactly this certificate key (the harness's https certificate): base64 SHA-256 of its SPKI. */
  spki?: string;
}

export function assertChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}; the end-to-end tests need it. run: apt-get update && apt-get install -y chromium`);
  }
}

export async function launchBrowser(options: LaunchOptions = {}): Promise<LaunchedBrowser> {
  assertChromium();
  const profile = mkdtempSync(join(tmpdir(), "tcp-chromium-"));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      // ARGS carries --headless too, so the flags are the documented set whatever Playwright adds.
      headless: true,
      args: options.spki ? [...ARGS, `--ignore-certificate-errors-spki-list=${options.spki}`] : ARGS,
      viewport: options.viewport ?? { width: 1280, height: 800 },
      locale: options.locale ?? "en-US",
      timezoneId: options.timezoneId ?? "UTC",
      timeout: 30_000,
    });
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  let closed: Promise<void> | undefined;
  return {
    context,
    page,
    newPage: () => context.newPage(),
    close() {
      closed ??= context
        .close()
        .catch(() => undefined)
        .finally(() => rmSync(profile, { recursive: true, force: true }));
      return closed;
    },
  };
}

export interface ConsoleCapture {
  /** console.error messages, uncaught page errors and failed requests, in order. */
  errors: string[];
  /** Every console message as "type: text". */
  messages: string[];
  /** Errors other than the ones matching `allow`. */
  unexpected(allow?: RegExp[]): string[];
}

/**
 * Prints the browser's console errors, uncaught exceptions and failed requests into the
 * test output as they happen (prefixed [browser]) and keeps them for assertions.
 */
export function captureConsole(page: Page, options: { print?: boolean } = {}): ConsoleCapture {
  const print = options.print ?? true;
  const capture: ConsoleCapture = {
    errors: [],
    messages: [],
    unexpected: (allow = []) => capture.errors.filter((e) => !allow.some((re) => re.test(e))),
  };
  const error = (text: string) => {
    capture.errors.push(text);
    if (print) process.stderr.write(`[browser] ${text}\n`);
  };
  page.on("console", (m: ConsoleMessage) => {
    capture.messages.push(`${m.type()}: ${m.text()}`);
    if (m.type() === "error") {
      const where = m.location();
      error(`console.error: ${m.text()}${where.url ? ` (${where.url}:${where.lineNumber})` : ""}`);
    }
  });
  page.on("pageerror", (e) => error(`uncaught: ${e.stack ?? e.message}`));
  page.on("requestfailed", (r) => {
    // Navigations away abort in-flight requests; those are not failures of the page.
    if (r.failure()?.errorText !== "net::ERR_ABORTED") error(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ""}`);
  });
  return capture;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: string[]; html: string; failureSummary?: string }[];
}

export interface AxeOptions {
  /** CSS selectors to check (default: the whole document). */
  include?: string[];
  /** CSS selectors to leave out. */
  exclude?: string[];
  /** Rule ids to switch off, with a reason in the calling test. */
  disableRules?: string[];
  /**
   * Report aria-hidden-focus on Fluent's tabster focus guards too. Off by default: those
   * guards (`data-tabster-dummy`) are a documented Fluent v9 false positive, which
   * Microsoft's Accessibility Insights suppresses the same way.
   */
  keepTabsterGuards?: boolean;
}

const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

let axeSource: string | undefined;

/** Runs axe-core (from node_modules) in the page and returns its violations. */
export async function runAxe(page: Page, options: AxeOptions = {}): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === "object");
  if (!loaded) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(
    async ({ include, exclude, tags, disable }) => {
      const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: unknown[] }> } }).axe;
      const context: Record<string, unknown> = {};
      if (include.length) context.include = include.map((s) => [s]);
      if (exclude.length) context.exclude = exclude.map((s) => [s]);
      const rules = Object.fromEntries(disable.map((id) => [id, { enabled: false }]));
      const result = await axe.run(Object.keys(context).length ? context : document, { runOnly: { type: "tag", values: tags }, rules, resultTypes: ["violations"] });
      return result.violations as AxeViolation[];
    },
    { include: options.include ?? [], exclude: options.exclude ?? [], tags: AXE_TAGS, disable: options.disableRules ?? [] },
  );
  if (options.keepTabsterGuards) return violations;
  return violations
    .map((v) => (v.id === "aria-hidden-focus" ? { ...v, nodes: v.nodes.filter((n) => !n.html.includes("data-tabster-dummy")) } : v))
    .filter((v) => v.nodes.length > 0);
}

/** A readable list of violations for an assertion message. */
export function formatViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(" ")}: ${n.failureSummary?.replace(/\n/g, " ") ?? n.html}`).join("\n")}`)
    .join("\n");
}

export interface OpenHarnessOptions {
  seed?: "demo" | "empty";
  viewport?: { width: number; height: number };
  /** Wait for the control's first render (default true). */
  waitReady?: boolean;
  /** Print browser console errors (default true). */
  printConsole?: boolean;
  /** Serve over https with the local sign-in provider: the control signs in with MSAL. */
  https?: boolean;
  accessTokenTtl?: number;
  /** The live-updates relay (default: one per harness, per user). */
  relay?: HarnessOptions["relay"];
  /** Runs before the first page load (e.g. installing Playwright's clock). */
  beforeLoad?: (page: Page) => Promise<void>;
}

export interface OpenedHarness {
  page: Page;
  browser: LaunchedBrowser;
  harness: Harness;
  console: ConsoleCapture;
  /** Base URL of the harness ("http://127.0.0.1:<port>/"). */
  url: string;
  /** Opens another state of the harness in the same page and waits for the control. */
  goto(query?: string | Partial<HarnessQuery>): Promise<void>;
  close(): Promise<void>;
}

function queryString(query: string | Partial<HarnessQuery> | undefined): string {
  if (!query) return "";
  if (typeof query === "string") return query === "" || query.startsWith("?") ? query : `?${query}`;
  return toQuery(query);
}

/**
 * Waits until the harness mounted and rendered the control (or, with `mount=0`, showed the
 * page without it); throws with the reason when mounting failed.
 */
export async function waitForHarness(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForFunction(() => ["true", "error", "unmounted"].includes(document.body?.dataset.harnessReady ?? ""), undefined, { timeout });
  const state = await page.evaluate(() => ({ ready: document.body.dataset.harnessReady, errors: window.__harness?.errors ?? [] }));
  if (state.ready === "error") throw new Error(`The harness failed to mount the control:\n${state.errors.join("\n")}`);
}

/**
 * Starts a harness (free port, temporary data file, demo seed), launches Chromium and
 * opens the page with the given state, e.g. `openHarness({ user, record, theme: "dark" })`
 * or `openHarness("?lang=1031")`.
 */
export async function openHarness(query?: string | Partial<HarnessQuery>, options: OpenHarnessOptions = {}): Promise<OpenedHarness> {
  assertChromium();
  const dataDir = mkdtempSync(join(tmpdir(), "tcp-harness-"));
  const cleanups: (() => Promise<void> | void)[] = [() => rmSync(dataDir, { recursive: true, force: true })];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    const harness = await startHarness({ port: 0, dataFile: join(dataDir, "state.json"), seed: options.seed ?? "demo", quiet: true, https: options.https, accessTokenTtl: options.accessTokenTtl, relay: options.relay });
    cleanups.push(() => harness.close());
    const browser = await launchBrowser({ viewport: options.viewport, spki: harness.spki });
    cleanups.push(() => browser.close());
    const page = browser.page;
    const consoleCapture = captureConsole(page, { print: options.printConsole });
    const goto = async (q?: string | Partial<HarnessQuery>) => {
      await page.goto(`${harness.url}${queryString(q)}`);
      if (options.waitReady ?? true) await waitForHarness(page);
    };
    await options.beforeLoad?.(page);
    await goto(query);
    return { page, browser, harness, console: consoleCapture, url: harness.url, goto, close };
  } catch (e) {
    await close();
    throw e;
  }
}
