/**
 * Figures for the chat list at scale, printed, never asserted (machines are shared and noisy):
 * requests to open the panel, time to first list, pages to reach 5,000 chats, DOM rows per chat,
 * and frame times while scrolling the virtualised list. Run: npm run bench
 */
import type { Locator } from "playwright-core";
import { openHarness } from "../e2e/support/browser";
import { sim } from "../e2e/support/sim";
import { suggestFigures } from "./suggest";
import { formatTenantReport, tenantReport } from "./tenant";
import { formatRelayBench, runRelayBench, type RelayBenchResult } from "./relay";

/** The relay at tenant scale: BENCH_RELAY_AGENTS panels (default 10,000) tenant-wide, and 1,000 per user. */
async function relayFigures(): Promise<RelayBenchResult[]> {
  const agents = Number(process.env.BENCH_RELAY_AGENTS ?? 10_000);
  const steadySeconds = Number(process.env.BENCH_RELAY_SECONDS ?? 20);
  return [
    await runRelayBench({ agents, mode: "tenant", steadySeconds, burstSeconds: 5, throughputNotifications: 5000 }),
    await runRelayBench({ agents: Math.min(agents, 1000), mode: "perUser", steadySeconds, burstSeconds: 5, throughputNotifications: 2000 }),
  ];
}

const EXTRA = Number(process.env.BENCH_CHATS ?? 5000);
const ROOT = '[data-testid="tcp-root"]';

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

/**
 * Scrolling a list from the top to the bottom in 300 px steps. Per step: the main-thread cost of the step
 * (scroll handlers, the virtualiser's synchronous React render, layout), which is what must fit in a 16 ms frame;
 * and the interval between animation frames, which headless Chromium without a GPU also spends on painting.
 */
function scrollFrames(list: Locator): Promise<{ cost: number[]; interval: number[] }> {
  return list.evaluate(async (el) => {
    el.scrollTop = 0;
    const cost: number[] = [];
    const interval: number[] = [];
    let last = performance.now();
    while (el.scrollTop + el.clientHeight < el.scrollHeight - 1) {
      const t0 = performance.now();
      el.scrollTop += 300;
      el.dispatchEvent(new Event("scroll"));
      void el.getBoundingClientRect().height;
      void document.body.offsetHeight;
      cost.push(performance.now() - t0);
      await new Promise((r) => requestAnimationFrame(() => r(null)));
      const now = performance.now();
      interval.push(now - last);
      last = now;
    }
    return { cost, interval };
  });
}

const ONLY_LIST = process.env.BENCH_ONLY === "list";
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 5000);

/** A chat's first page, and scrolling a 5,000-message chat, for the demo agent. */
async function conversationFigures(h: Awaited<ReturnType<typeof openHarness>>, s: ReturnType<typeof sim>, dir: Awaited<ReturnType<ReturnType<typeof sim>["directory"]>>): Promise<Array<[string, string]>> {
  const agent = dir.users[0];
  const record = dir.records.find((r) => r.table === "incident")!;
  const chats = await s.graph<{ value: Array<{ id: string; topic: string | null }> }>(agent.systemuserid, `/me/chats?$filter=${encodeURIComponent("topic eq 'CAS-01001 · Fabrikam duplex jams'")}`);
  const target = chats.body.value[0];
  await h.page.evaluate((id) => localStorage.setItem(`tcp.tour.v1.${id}`, "done"), agent.systemuserid.toLowerCase());
  await h.goto(`?user=${agent.systemuserid.toLowerCase()}&record=${record.table}:${record.id.toLowerCase()}`);
  await h.page.locator(`${ROOT} [role=list]`).waitFor();
  // The bench user's 5,000 chats push this one down the list: the filter brings it into view.
  await h.page.getByRole("searchbox", { name: "Filter chats by name" }).fill("CAS-01001");
  await s.clearRequests();
  const row = h.page.locator(`${ROOT} [data-row-main]`).filter({ hasText: target.topic ?? "" }).first();
  const t0 = Date.now();
  await row.click();
  await h.page.getByTestId("message-list").locator("[data-message-id]").first().waitFor();
  const firstPage = Date.now() - t0;
  const firstPageRequests = (await s.requests()).filter((r) => r.service === "graph" && r.path.includes("/messages") && !r.path.includes("/hostedContents/")).length;

  // A long chat: 5,000 more messages, all pages loaded by scrolling up, then frame times scrolling down.
  await s.bulkMessages(target.id, MESSAGES);
  await h.page.getByRole("button", { name: /^Close / }).click();
  await row.click();
  const list = h.page.getByTestId("message-list");
  await list.locator("[data-message-id]").first().waitFor();
  let loaded = 0;
  let maxRows = 0;
  for (let i = 0; i < 400; i++) {
    const st = await list.evaluate((el) => {
      el.scrollTop = 0;
      return { rows: el.querySelectorAll("[data-message-id]").length, start: !!Array.from(el.querySelectorAll("span")).find((x) => x.textContent?.startsWith("This is the start")) };
    });
    maxRows = Math.max(maxRows, st.rows);
    if (st.start) break;
    await h.page.waitForTimeout(60);
    loaded = i;
  }
  const total = await h.page.evaluate(() => document.querySelector('[data-testid="message-list"] [role=list]')?.getBoundingClientRect().height ?? 0);
  const frames = await scrollFrames(list);
  const pages = (await s.requests()).filter((r) => r.service === "graph" && r.path.includes("/messages") && !r.path.includes("/hostedContents/")).length;
  return [
    ["time to show a chat's first page (ms)", String(firstPage)],
    ["Graph message requests for the first page", String(firstPageRequests)],
    ["messages in the long chat", String(MESSAGES)],
    ["Graph pages to read it all (scrolling up)", String(pages)],
    ["scroll-up rounds", String(loaded + 1)],
    ["message list height (px)", String(Math.round(total))],
    ["max message rows in the DOM", String(maxRows)],
    ["message scroll steps measured", String(frames.cost.length)],
    ["main-thread cost per message scroll step p50 / p95 (ms)", `${pct(frames.cost, 50).toFixed(1)} / ${pct(frames.cost, 95).toFixed(1)}`],
    ["animation-frame interval while scrolling messages p50 / p95 (ms)", `${pct(frames.interval, 50).toFixed(1)} / ${pct(frames.interval, 95).toFixed(1)}`],
  ];
}

/**
 * Graph requests an open panel makes by itself, with a chat open and the agent idle: the page's timers run on
 * Playwright's clock, so an hour passes in moments with every timer firing on time. Without the relay too.
 */
async function hourlyRequests(dir: Awaited<ReturnType<ReturnType<typeof sim>["directory"]>>): Promise<Array<[string, string]>> {
  const agent = dir.users[0];
  const record = dir.records.find((r) => r.table === "incident")!;
  const perHour = async (relay: boolean) => {
    const h = await openHarness(undefined, { relay: relay ? undefined : false, printConsole: false, beforeLoad: (page) => page.clock.install() });
    try {
      const local = sim(h.url);
      await h.page.evaluate((id) => localStorage.setItem(`tcp.tour.v1.${id}`, "done"), agent.systemuserid.toLowerCase());
      await h.goto(`?user=${agent.systemuserid.toLowerCase()}&record=${record.table}:${record.id.toLowerCase()}`);
      await h.page.locator(`${ROOT} [data-row-main]`).first().click();
      await h.page.getByTestId("message-list").locator("[data-message-id]").first().waitFor();
      await local.clearRequests();
      for (let minute = 0; minute < 60; minute++) await h.page.clock.runFor(60_000);
      return (await local.requests()).filter((r) => r.service === "graph").length;
    } finally {
      await h.close();
    }
  };
  return [
    ["Graph requests per agent-hour by an open panel, chat open, agent idle, relay live", String(await perHour(true))],
    ["the same without a relay (refresh on the agent's actions only)", String(await perHour(false))],
  ];
}

async function main(): Promise<void> {
  // BENCH_ONLY=hourly: an open panel's own Graph requests per hour, with and without the relay.
  if (process.env.BENCH_ONLY === "hourly") {
    const h = await openHarness(null, { printConsole: false });
    const dir = await sim(h.url).directory();
    await h.close();
    for (const [k, v] of await hourlyRequests(dir)) console.log(`  ${k}  ${v}`);
    return;
  }
  // BENCH_ONLY=relay: the relay at scale alone (no browser needed).
  if (process.env.BENCH_ONLY === "relay") {
    console.log(formatRelayBench(await relayFigures()));
    return;
  }
  // BENCH_ONLY=suggest: the suggested-contacts model alone (no browser needed).
  if (process.env.BENCH_ONLY === "suggest") {
    printSuggest();
    return;
  }
  const h = await openHarness(undefined, { waitReady: false, printConsole: false });
  try {
    const s = sim(h.url);
    const dir = await s.directory();
    const user = dir.users[1];
    const record = dir.records.find((r) => r.table === "incident")!;
    await s.bulkChats(user.systemuserid, EXTRA);
    await h.page.evaluate((id) => localStorage.setItem(`tcp.tour.v1.${id}`, "done"), user.systemuserid.toLowerCase());

    await s.clearRequests();
    const t0 = Date.now();
    await h.goto(`?user=${user.systemuserid.toLowerCase()}&record=${record.table}:${record.id.toLowerCase()}`);
    await h.page.locator(`${ROOT} [role=list]`).waitFor();
    const firstList = Date.now() - t0;
    await h.page.waitForTimeout(300);
    const open = await s.requests();
    const graphOpen = open.filter((r) => r.service === "graph").length;
    const dvLinks = open.filter((r) => r.service === "dataverse" && r.path.includes("tcp_chatlinks")).length;

    // Load every page by scrolling to the end.
    const scroller = h.page.locator(`${ROOT} [data-virtual-scroll]`);
    const t1 = Date.now();
    let total = 0;
    let maxRows = 0;
    for (let i = 0; i < 1000 && total < EXTRA; i++) {
      const st = await scroller.evaluate((el) => {
        el.scrollTop = el.scrollHeight;
        return { rows: el.querySelectorAll("[data-row-main]").length, size: Number(el.querySelector("[role=listitem][aria-setsize]")?.getAttribute("aria-setsize") ?? 0) };
      });
      total = st.size;
      maxRows = Math.max(maxRows, st.rows);
      await h.page.waitForTimeout(50);
    }
    const loadAll = Date.now() - t1;
    const pages = (await s.requests()).filter((r) => r.service === "graph" && r.path.includes("/me/chats")).length;

    // Keystroke to filtered list: from keydown to the end of the input event (React 16 renders the list
    // synchronously in it) plus layout. This is the work a keystroke costs before the next paint.
    const filterBox = h.page.getByRole("searchbox", { name: "Filter chats by name" });
    await filterBox.click();
    await h.page.evaluate(`(() => {
      window.__keys = [];
      let t0 = 0;
      document.addEventListener("keydown", () => { t0 = performance.now(); }, true);
      window.addEventListener("input", () => { void document.body.offsetHeight; window.__keys.push(performance.now() - t0); });
    })()`);
    for (const word of ["esc", "shift", "parts", "zzz"]) {
      await h.page.keyboard.type(word, { delay: 120 });
      for (let i = 0; i < word.length; i++) await h.page.keyboard.press("Backspace", { delay: 120 });
    }
    await h.page.waitForTimeout(300);
    const keys = await h.page.evaluate(() => (window as unknown as { __keys: number[] }).__keys);

    const frames = await scrollFrames(scroller);

    const rows: Array<[string, string]> = [
      ["chats for the user", String(total)],
      ["Graph requests to open the panel", String(graphOpen)],
      ["Dataverse link queries to open the panel", String(dvLinks)],
      ["time to first list (ms)", String(firstList)],
      ["Graph pages to load every chat", String(pages)],
      ["chats per Graph page", (total / Math.max(1, pages)).toFixed(1)],
      ["time to load every chat (ms)", String(loadAll)],
      ["max chat rows in the DOM", String(maxRows)],
      ["DOM rows per 1,000 chats", ((maxRows / Math.max(1, total)) * 1000).toFixed(2)],
      ["scroll steps measured", String(frames.cost.length)],
      ["main-thread cost per scroll step p50 / p95 (ms)", `${pct(frames.cost, 50).toFixed(1)} / ${pct(frames.cost, 95).toFixed(1)}`],
      ["animation-frame interval while scrolling p50 / p95 (ms)", `${pct(frames.interval, 50).toFixed(1)} / ${pct(frames.interval, 95).toFixed(1)}`],
      ["keystrokes measured in the filter", String(keys.length)],
      ["keystroke to filtered list (main-thread cost) p50 / p95 (ms)", `${pct(keys, 50).toFixed(1)} / ${pct(keys, 95).toFixed(1)}`],
      // BENCH_ONLY=list skips the conversation, hourly and tenant figures (a quicker run while tuning the list).
      ...(ONLY_LIST ? [] : await conversationFigures(h, s, dir)),
      ...(ONLY_LIST ? [] : await hourlyRequests(dir)),
    ];
    const w = Math.max(...rows.map((r) => r[0].length));
    console.log("\nTeamsChatPanel chat list benchmark");
    for (const [k, v] of rows) console.log(`  ${k.padEnd(w)}  ${v}`);
    if (!ONLY_LIST) console.log(`\n${formatTenantReport(await tenantReport())}`);
    if (!ONLY_LIST) console.log(`\n${formatRelayBench(await relayFigures())}`);
    if (!ONLY_LIST) printSuggest();
  } finally {
    await h.close();
  }
}

function printSuggest(): void {
  const rows = suggestFigures();
  const w = Math.max(...rows.map((r) => r[0].length));
  console.log("\nSuggested contacts model benchmark");
  for (const [k, v] of rows) console.log(`  ${k.padEnd(w)}  ${v}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
