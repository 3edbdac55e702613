/**
 * Figures for the chat list at scale, printed, never asserted (machines are shared and noisy):
 * requests to open the panel, time to first list, pages to reach 5,000 chats, DOM rows per chat,
 * and frame times while scrolling the virtualised list. Run: npm run bench
 */
import { openHarness } from "../e2e/support/browser";
import { sim } from "../e2e/support/sim";

const EXTRA = Number(process.env.BENCH_CHATS ?? 5000);
const ROOT = '[data-testid="tcp-root"]';

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

async function main(): Promise<void> {
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

    // Frame times while scrolling from the top to the bottom in 300 px steps, one step per frame.
    const frames = await scroller.evaluate(async (el) => {
      el.scrollTop = 0;
      const times: number[] = [];
      let last = performance.now();
      while (el.scrollTop + el.clientHeight < el.scrollHeight - 1) {
        el.scrollTop += 300;
        await new Promise((r) => requestAnimationFrame(() => r(null)));
        const now = performance.now();
        times.push(now - last);
        last = now;
      }
      return times;
    });

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
      ["scroll frames measured", String(frames.length)],
      ["frame time p50 / p95 / max (ms)", `${pct(frames, 50).toFixed(1)} / ${pct(frames, 95).toFixed(1)} / ${Math.max(...frames).toFixed(1)}`],
      ["frames over 50 ms (share)", `${((frames.filter((f) => f > 50).length / Math.max(1, frames.length)) * 100).toFixed(1)}%`],
    ];
    const w = Math.max(...rows.map((r) => r[0].length));
    console.log("\nTeamsChatPanel chat list benchmark");
    for (const [k, v] of rows) console.log(`  ${k.padEnd(w)}  ${v}`);
  } finally {
    await h.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
