/**
 * Beyond Graph's page of 50: a user with thousands of chats scrolls through all of them, and the
 * list keeps a screenful of rows in the DOM (virtualised). Frame times are in `npm run bench`.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { openHarness, type OpenedHarness } from "./support/browser";
import { sim } from "./support/sim";

const ROOT = '[data-testid="tcp-root"]';
const EXTRA = 5000;
let h: OpenedHarness;

beforeAll(async () => {
  h = await openHarness(undefined, { waitReady: false });
  const s = sim(h.url);
  const dir = await s.directory();
  const user = dir.users[1];
  await s.bulkChats(user.systemuserid, EXTRA);
  await h.page.evaluate((id) => localStorage.setItem(`tcp.tour.v1.${id}`, "done"), user.systemuserid.toLowerCase());
  const record = dir.records.find((r) => r.table === "account")!;
  await h.goto(`?user=${user.systemuserid.toLowerCase()}&record=${record.table}:${record.id.toLowerCase()}`);
}, 120_000);

afterAll(async () => {
  await h?.close();
});

it(`scrolls through ${EXTRA}+ chats page by page with a bounded number of rows in the DOM`, async () => {
  const scroller = h.page.locator(`${ROOT} [data-virtual-scroll]`);
  await scroller.waitFor();
  let maxRows = 0;
  let total = 0;
  for (let i = 0; i < 400; i++) {
    const state = await scroller.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
      // Headers scroll out of the DOM; every chat row carries the list's size.
      const row = el.querySelector("[role=listitem][aria-setsize]");
      return {
        rows: el.querySelectorAll("[data-row-main]").length,
        loading: !!el.querySelector('[role="progressbar"], .fui-Spinner'),
        size: Number(row?.getAttribute("aria-setsize") ?? 0),
      };
    });
    maxRows = Math.max(maxRows, state.rows);
    total = state.size;
    if (total >= EXTRA && !state.loading) break;
    await h.page.waitForTimeout(100);
  }
  expect(total).toBeGreaterThanOrEqual(EXTRA);
  expect(maxRows).toBeGreaterThan(5);
  expect(maxRows).toBeLessThan(80);
  // The last chat is reachable at the bottom. The virtualiser renders the rows a frame after the
  // scroll, so keep the view at the bottom until they are there (or the wait times out).
  const handle = await h.page.waitForFunction(
    ({ sel, min }) => {
      const el = document.querySelector(sel) as HTMLElement | null;
      if (!el) return 0;
      el.scrollTop = el.scrollHeight;
      const last = Math.max(0, ...[...el.querySelectorAll("[data-index]")].map((n) => Number((n as HTMLElement).dataset.index)));
      return last > min ? last : 0;
    },
    { sel: `${ROOT} [data-virtual-scroll]`, min: EXTRA },
    { timeout: 30_000, polling: 100 },
  ).catch(() => null);
  const lastIndex = handle ? Number(await handle.jsonValue()) : await scroller.evaluate((el) => Math.max(0, ...[...el.querySelectorAll("[data-index]")].map((n) => Number((n as HTMLElement).dataset.index))));
  expect(lastIndex).toBeGreaterThan(EXTRA);
}, 240_000);
