/**
 * Beyond Graph's page of 50: a user with thousands of chats scrolls through all of them, and the
 * list keeps a screenful of rows in the DOM (virtualised). Frame times are in `npm run bench`.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { openHarness, type OpenedHarness } from "./support/browser";
import { sim } from "./support/sim";

const ROOT = '[data-testid="tcp-root"]';
const EXTRA = 5000;
let h: OpenedHarness;

beforeAll(async () => {
  h = await openHarness(null, { waitReady: false });
}, 120_000);

// The seed data plus EXTRA chats for one user, and a new page on an account of theirs.
beforeEach(async () => {
  const s = sim(h.url);
  const dir = await s.directory();
  const user = dir.users[1];
  await h.fresh({ tourSeen: [user.systemuserid] });
  await s.bulkChats(user.systemuserid, EXTRA);
  const record = dir.records.find((r) => r.table === "account")!;
  await h.goto(`?user=${user.systemuserid.toLowerCase()}&record=${record.table}:${record.id.toLowerCase()}`);
}, 120_000);

afterAll(async () => {
  await h?.close();
});

it(`scrolls through ${EXTRA}+ chats page by page with a bounded number of rows in the DOM`, async () => {
  const scroller = h.page.locator(`${ROOT} [data-virtual-scroll]`);
  await scroller.waitFor({ timeout: 60_000 });
  // Keep the view at the bottom, so the list asks Graph for page after page, until the list's size
  // counts every chat and nothing is loading; note the most rows the DOM held at any check on the way.
  // One condition polled every 100 ms with a generous deadline, not a count of sleeps.
  const handle = await h.page.waitForFunction(
    ({ sel, extra }) => {
      const el = document.querySelector(sel) as HTMLElement | null;
      if (!el) return false;
      const w = window as unknown as { __maxRows?: number };
      el.scrollTop = el.scrollHeight;
      // Headers scroll out of the DOM; every chat row carries the list's size.
      const row = el.querySelector("[role=listitem][aria-setsize]");
      const rows = el.querySelectorAll("[data-row-main]").length;
      w.__maxRows = Math.max(w.__maxRows ?? 0, rows);
      const loading = !!el.querySelector('[role="progressbar"], .fui-Spinner');
      const size = Number(row?.getAttribute("aria-setsize") ?? 0);
      return size >= extra && !loading ? { maxRows: w.__maxRows, total: size } : false;
    },
    { sel: `${ROOT} [data-virtual-scroll]`, extra: EXTRA },
    { timeout: 180_000, polling: 100 },
  );
  const { maxRows, total } = (await handle.jsonValue()) as { maxRows: number; total: number };
  expect(total).toBeGreaterThanOrEqual(EXTRA);
  expect(maxRows).toBeGreaterThan(5);
  expect(maxRows).toBeLessThan(80);
  // The last chat is reachable at the bottom. The virtualiser renders the rows a frame after the
  // scroll, so keep the view at the bottom until they are there (or the wait times out).
  const last = await h.page.waitForFunction(
    ({ sel, min }) => {
      const el = document.querySelector(sel) as HTMLElement | null;
      if (!el) return 0;
      el.scrollTop = el.scrollHeight;
      const index = Math.max(0, ...[...el.querySelectorAll("[data-index]")].map((n) => Number((n as HTMLElement).dataset.index)));
      return index > min ? index : 0;
    },
    { sel: `${ROOT} [data-virtual-scroll]`, min: EXTRA },
    { timeout: 30_000, polling: 100 },
  );
  expect(Number(await last.jsonValue())).toBeGreaterThan(EXTRA);
}, 240_000);
