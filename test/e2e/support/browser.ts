/**
 * Browser plumbing for the end-to-end tests: Debian's Chromium driven by playwright-core
 * (no downloaded browsers), a fresh context (no storage) on demand, the harness on a free port with
 * its own data file, axe-core from node_modules, and browser errors in the test output.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { chromium, request, type Browser, type BrowserContext, type BrowserContextOptions, type ConsoleMessage, type Locator, type Page } from "playwright-core";
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
  /** The context of `page` (the latest one `newContext` made). */
  context: BrowserContext;
  /** The page the context opened with. */
  page: Page;
  newPage(): Promise<Page>;
  /**
   * A new, empty context (no cookies, storage or routes) with one page, made the browser's
   * current `context` and `page`; the previous context is closed. Cheap: the browser stays.
   */
  newContext(options?: { storageState?: StorageState }): Promise<{ context: BrowserContext; page: Page }>;
  /**
   * The current context, emptied for a new test and with one new page (made `page`): its
   * pages closed, cookies, routes and permissions gone, and what the given origins stored
   * (localStorage, IndexedDB, Cache Storage, service workers) cleared; sessionStorage is per
   * page anyway. Only the HTTP cache stays, so the bundle is not fetched and compiled again.
   * Scripts added with `context.addInitScript` would stay too: tests that share a context add none.
   */
  emptyContext(origins: string[]): Promise<Page>;
  /** Closes Chromium (Playwright removes its temporary profile). */
  close(): Promise<void>;
}

/** What a new context starts with: Playwright's storageState (cookies and per-origin localStorage). */
export type StorageState = Exclude<NonNullable<BrowserContextOptions["storageState"]>, string>;

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

/**
 * Launches Chromium with a fresh context. Every context asks for reduced motion, so Fluent's
 * motions (Web Animations with a 1 ms reduced-motion duration) and CSS transitions (their
 * `prefers-reduced-motion` styles) are near-instant; `waitForSettled` is the guarantee.
 */
export async function launchBrowser(options: LaunchOptions = {}): Promise<LaunchedBrowser> {
  assertChromium();
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    // ARGS carries --headless too, so the flags are the documented set whatever Playwright adds.
    headless: true,
    args: options.spki ? [...ARGS, `--ignore-certificate-errors-spki-list=${options.spki}`] : ARGS,
    timeout: 60_000,
  });
  const contextOptions: BrowserContextOptions = {
    viewport: options.viewport ?? { width: 1280, height: 800 },
    locale: options.locale ?? "en-US",
    timezoneId: options.timezoneId ?? "UTC",
    reducedMotion: "reduce",
  };
  let closed: Promise<void> | undefined;
  const launched: LaunchedBrowser = {
    context: undefined as unknown as BrowserContext,
    page: undefined as unknown as Page,
    newPage: () => launched.context.newPage(),
    async newContext(o = {}) {
      const previous = launched.context;
      const context = await browser.newContext({ ...contextOptions, ...(o.storageState ? { storageState: o.storageState } : {}) });
      const page = await context.newPage();
      launched.context = context;
      launched.page = page;
      await previous?.close().catch(() => undefined);
      return { context, page };
    },
    async emptyContext(origins) {
      const context = launched.context;
      for (const p of context.pages()) await p.close();
      await context.clearCookies();
      await context.clearPermissions();
      await context.unrouteAll({ behavior: "ignoreErrors" });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      for (const origin of origins) {
        await cdp.send("Storage.clearDataForOrigin", { origin: new URL(origin).origin, storageTypes: "cookies,local_storage,indexeddb,websql,service_workers,cache_storage,file_systems" });
      }
      await cdp.detach();
      launched.page = page;
      return page;
    },
    close() {
      closed ??= browser.close().catch(() => undefined);
      return closed;
    },
  };
  try {
    await launched.newContext();
  } catch (e) {
    await launched.close();
    throw e;
  }
  return launched;
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

export interface SettleOptions {
  /** How long to wait for the motions to end before failing (default 20 s: generous on a busy machine). */
  timeout?: number;
}

/**
 * Waits until nothing on the page moves: no running or pending finite animation in
 * `document.getAnimations()` (Web Animations, Fluent's motions, CSS animations and CSS
 * transitions) for two consecutive animation frames. Endless loops (a spinner, a progress
 * bar) are not waited for: they never end, and they are not what a colour or layout check
 * reads. On timeout it throws with the motions that were still running.
 *
 * Call it before anything that measures what is painted (axe's colour contrast, a screenshot):
 * a colour in the middle of a fade is neither the theme's start nor its end colour.
 */
export async function waitForSettled(page: Page, options: SettleOptions = {}): Promise<void> {
  const timeout = options.timeout ?? 20_000;
  const result = await page.evaluate(
    (ms) =>
      new Promise<{ settled: boolean; running: string[] }>((resolve) => {
        const deadline = performance.now() + ms;
        const moving = () =>
          document.getAnimations().filter((a) => {
            if (a.playState !== "running" && !a.pending) return false;
            const iterations = a.effect?.getComputedTiming().iterations ?? 1;
            return iterations !== Infinity;
          });
        const describe = (a: Animation) => {
          const target = (a.effect as KeyframeEffect | null)?.target as Element | null | undefined;
          const where = target
            ? `${target.tagName.toLowerCase()}${target.id ? `#${target.id}` : ""}${target.getAttribute("data-testid") ? `[data-testid=${target.getAttribute("data-testid")}]` : ""}${typeof target.className === "string" && target.className ? `.${target.className.trim().split(/\s+/).slice(0, 3).join(".")}` : ""}`
            : "(no target)";
          const kind =
            "transitionProperty" in a
              ? `CSS transition of ${(a as unknown as { transitionProperty: string }).transitionProperty}`
              : "animationName" in a
                ? `CSS animation ${(a as unknown as { animationName: string }).animationName}`
                : `Web Animation${a.id ? ` ${a.id}` : ""}`;
          const t = a.effect?.getComputedTiming();
          return `${kind} on ${where} (${a.playState}${a.pending ? ", pending" : ""}, at ${Math.round(Number(a.currentTime ?? 0))} of ${String(t?.endTime ?? "?")} ms)`;
        };
        let quiet = 0;
        // Without animation frames (a hidden page) nothing would end the wait: say so instead.
        const stop = setTimeout(() => resolve({ settled: false, running: ["(no animation frame ran: is the page hidden?)"] }), ms + 2_000);
        const frame = () => {
          const running = moving();
          quiet = running.length === 0 ? quiet + 1 : 0;
          if (quiet >= 2) return clearTimeout(stop), resolve({ settled: true, running: [] });
          if (performance.now() > deadline) return clearTimeout(stop), resolve({ settled: false, running: running.map(describe) });
          requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      }),
    timeout,
  );
  if (!result.settled) throw new Error(`The page was still animating after ${timeout} ms:\n  ${result.running.join("\n  ")}`);
}

/** A screenshot of a settled page (no motion in progress); same options as Playwright's. */
export async function screenshot(page: Page, options: Parameters<Page["screenshot"]>[0] = {}): Promise<Buffer> {
  await waitForSettled(page);
  return page.screenshot({ animations: "disabled", ...options });
}

const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

let axeSource: string | undefined;

/**
 * Runs axe-core (from node_modules) in the page and returns its violations, once the page
 * has settled (`waitForSettled`): colour contrast measured mid-fade reports colours the theme
 * never paints.
 */
export async function runAxe(page: Page, options: AxeOptions = {}): Promise<AxeViolation[]> {
  await waitForSettled(page);
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

export interface FreshOptions {
  /**
   * Users (systemuserids) whose first-run tour counts as seen in the new context (it would
   * cover the panel); default none. Written to localStorage once, as a returning user has it.
   */
  tourSeen?: string[];
}

export interface OpenedHarness {
  /** The current test's page (a new one after each `fresh`). */
  readonly page: Page;
  /** The current page's browser context. */
  readonly context: BrowserContext;
  browser: LaunchedBrowser;
  harness: Harness;
  /** The current page's console (a new capture after each `fresh`). */
  readonly console: ConsoleCapture;
  /** Base URL of the harness ("http://127.0.0.1:<port>/"). */
  url: string;
  /** Opens another state of the harness in the same page and waits for the control. */
  goto(query?: string | Partial<HarnessQuery>): Promise<void>;
  /**
   * A clean start for one test, whatever the tests before it did: the simulator's data back
   * to the seed, no faults or rate limit, an empty request log, and a new page in an emptied
   * browser context (no localStorage, sessionStorage, IndexedDB, cookies or routes; only the
   * HTTP cache stays). Does not open the harness: follow with `goto`.
   */
  fresh(options?: FreshOptions): Promise<void>;
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
 * The simulator's /__sim/ control routes from the test process, over http or the harness's
 * https (its certificate is self-signed).
 */
export async function simControl(base: string): Promise<{ reset(seed?: "demo" | "empty"): Promise<void>; dispose(): Promise<void> }> {
  const api = await request.newContext({ baseURL: base, ignoreHTTPSErrors: true });
  const call = async (method: "POST" | "DELETE", path: string, data?: unknown) => {
    const res = await api.fetch(`__sim/${path}`, { method, data, timeout: 30_000 });
    if (!res.ok()) throw new Error(`${method} /__sim/${path} → ${res.status()} ${await res.text()}`);
  };
  return {
    /** Seed data again, no faults or rate limit (the reset route clears those), an empty request log. */
    async reset(seed = "demo") {
      await call("POST", "reset", { seed });
      await call("DELETE", "requests");
    },
    dispose: () => api.dispose(),
  };
}

/**
 * Starts a harness (free port, temporary data file, demo seed) and launches Chromium, once per
 * test file; each test then calls `fresh()` and `goto(...)`, e.g.
 * `await h.fresh({ tourSeen }); await h.goto({ user, record, theme: "dark" })` or `h.goto("?lang=1031")`.
 * Opens `query` (default: the harness's default state) right away, unless it is `null`.
 */
export async function openHarness(query?: string | Partial<HarnessQuery> | null, options: OpenHarnessOptions = {}): Promise<OpenedHarness> {
  assertChromium();
  const seed = options.seed ?? "demo";
  const dataDir = mkdtempSync(join(tmpdir(), "tcp-harness-"));
  const cleanups: (() => Promise<void> | void)[] = [() => rmSync(dataDir, { recursive: true, force: true })];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    const harness = await startHarness({ port: 0, dataFile: join(dataDir, "state.json"), seed, quiet: true, https: options.https, accessTokenTtl: options.accessTokenTtl, relay: options.relay });
    cleanups.push(() => harness.close());
    const browser = await launchBrowser({ viewport: options.viewport, spki: harness.spki });
    cleanups.push(() => browser.close());
    let consoleCapture = captureConsole(browser.page, { print: options.printConsole });
    const control = await simControl(harness.url);
    cleanups.push(() => control.dispose());
    const opened: OpenedHarness = {
      get page() {
        return browser.page;
      },
      get context() {
        return browser.context;
      },
      get console() {
        return consoleCapture;
      },
      browser,
      harness,
      url: harness.url,
      async goto(q?: string | Partial<HarnessQuery>) {
        await browser.page.goto(`${harness.url}${queryString(q)}`);
        if (options.waitReady ?? true) await waitForHarness(browser.page);
      },
      async fresh(o: FreshOptions = {}) {
        // Reset clears the faults and the team rate limit too; the request log is separate.
        await control.reset(seed);
        const page = await browser.emptyContext([harness.url]);
        if (o.tourSeen?.length) {
          // localStorage belongs to the origin: write it from a small same-origin document.
          await page.goto(`${harness.url}__sim/directory`);
          await page.evaluate((ids) => ids.forEach((id) => localStorage.setItem(`tcp.tour.v1.${id.toLowerCase()}`, "done")), o.tourSeen);
        }
        consoleCapture = captureConsole(page, { print: options.printConsole });
      },
      close,
    };
    await options.beforeLoad?.(browser.page);
    if (query !== null) await opened.goto(query);
    return opened;
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * Types `text` key by key into a search box (a people picker, say) once it is visible and
 * its dialog has stopped moving, and checks the box holds exactly that: on a busy machine a
 * dialog that moves focus while it opens can swallow keys, which would leave the test waiting
 * for suggestions that never come. Retypes once if keys were lost.
 */
export async function typeSearch(box: Locator, text: string): Promise<void> {
  await box.waitFor();
  await waitForSettled(box.page());
  for (let attempt = 0; attempt < 3; attempt++) {
    await box.fill("");
    await box.pressSequentially(text, { delay: 30 });
    if ((await box.inputValue()) === text) return;
  }
  throw new Error(`the search box kept losing keys: it holds "${await box.inputValue()}", not "${text}"`);
}
