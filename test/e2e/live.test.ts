/**
 * Live updates end to end: the real bundle in Chromium, the harness's real relay, the Web PubSub
 * stand-in and the Graph simulator delivering encrypted change notifications. The panel reads Graph
 * only when the agent acts; what arrives by itself comes over the relay's WebSocket.
 * Each test has its own harness, relay and browser: nothing carries over.
 */
import { afterEach, describe, expect, it } from "vitest";
import { openHarness, type OpenedHarness } from "./support/browser";
import { sim, type DirectoryUser } from "./support/sim";
import { DEMO_CLIENT_ID } from "../simulator/demo-data";

const ROOT = '[data-testid="tcp-root"]';
const ROW = `${ROOT} [data-row-main]`;

let h: OpenedHarness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

interface Chat {
  id: string;
  topic: string | null;
  members: { userId: string }[];
}

interface Ctx {
  h: OpenedHarness;
  s: ReturnType<typeof sim>;
  agent: DirectoryUser;
  colleague: DirectoryUser;
  chat: Chat;
  /** The list's rows when the panel opened. */
  rowsBefore: string[];
}

/**
 * A harness on the agent's case form (tour done), the panel open, and a named group chat shown below
 * the top row (so that moving up is visible) with a colleague in it.
 */
async function start(options: Parameters<typeof openHarness>[1] = {}): Promise<Ctx> {
  h = await openHarness(undefined, options);
  const s = sim(h.url);
  const dir = await s.directory();
  const users = dir.users.filter((u) => !u.isdisabled);
  const agent = users[0];
  const record = dir.records.find((r) => r.table === "incident")!;
  await h.page.evaluate((id) => localStorage.setItem(`tcp.tour.v1.${id}`, "done"), agent.systemuserid.toLowerCase());
  await h.goto(`?user=${agent.systemuserid.toLowerCase()}&record=${record.table}:${record.id.toLowerCase()}`);
  await h.page.locator(ROW).first().waitFor();
  const rows = await h.page.locator(ROW).allInnerTexts();
  const chats = (await s.graph<{ value: Chat[] }>(agent.systemuserid, "/me/chats?$expand=members&$top=50")).body.value;
  const chat = chats.find((c) => c.topic && c.members.length > 2 && rows.slice(1).some((r) => r.includes(c.topic!)))!;
  expect(chat, `a named group chat below the first row among ${JSON.stringify(rows)}`).toBeDefined();
  const colleague = users.find((u) => u.aadObjectId !== agent.aadObjectId && chat.members.some((m) => m.userId === u.aadObjectId)) as DirectoryUser;
  return { h, s, agent, colleague, chat, rowsBefore: rows };
}

async function liveOn(ctx: Ctx) {
  await ctx.h.page.getByTestId("live-updated").filter({ hasText: "Live updates on" }).waitFor({ timeout: 30_000 });
}

async function openChat(ctx: Ctx) {
  await ctx.h.page.locator(ROW).filter({ hasText: ctx.chat.topic! }).first().click();
  await ctx.h.page.getByTestId("message-list").waitFor();
}

function message(ctx: Ctx, text: string) {
  return ctx.h.page.getByTestId("message-list").locator("[data-message-id]").filter({ hasText: text });
}

const graphGets = async (ctx: Ctx) => (await ctx.s.requests()).filter((r) => r.service === "graph" && r.method === "GET");

describe("live updates through the relay", () => {
  it("shows a colleague's message in the open chat and moves the chat up the list, with no Graph read", async () => {
    const ctx = await start();
    await liveOn(ctx);
    await openChat(ctx);
    await ctx.h.page.getByTestId("message-list").locator("[data-message-id]").first().waitFor();
    await ctx.s.clearRequests();

    await ctx.s.sendAs(ctx.colleague.systemuserid, ctx.chat.id, "<p>Live: the spare part shipped</p>");
    await message(ctx, "Live: the spare part shipped").waitFor({ timeout: 20_000 });
    // The list moved too: up, with the new message as its preview.
    await ctx.h.page.getByRole("tab", { name: "All chats" }).click();
    const row = ctx.h.page.locator(ROW).filter({ hasText: ctx.chat.topic! }).first();
    await row.filter({ hasText: "Live: the spare part shipped" }).waitFor();
    const after = await ctx.h.page.locator(ROW).allInnerTexts();
    const at = (rows: string[]) => rows.findIndex((r) => r.includes(ctx.chat.topic!));
    expect(at(after)).toBeLessThan(at(ctx.rowsBefore));
    expect(await graphGets(ctx)).toEqual([]);
  });

  it("an idle panel with a chat open makes no Graph request in ten minutes", async () => {
    // The page's timers run on a clock the test moves: ten minutes pass in a moment, every timer firing on time.
    const ctx = await start({ beforeLoad: (page) => page.clock.install() });
    await liveOn(ctx);
    await openChat(ctx);
    await ctx.h.page.getByTestId("message-list").locator("[data-message-id]").first().waitFor();
    await ctx.s.clearRequests();
    for (let minute = 0; minute < 10; minute++) await ctx.h.page.clock.runFor(60_000);
    // Still connected, and nothing was read.
    expect(await ctx.h.page.getByTestId("live-updated").innerText()).toContain("Live updates on");
    expect((await ctx.s.requests()).filter((r) => r.service === "graph")).toEqual([]);
  });

  it("relay down: says live updates are paused, refreshes on the agent's action, then reconnects and catches up", async () => {
    const ctx = await start();
    await liveOn(ctx);
    await openChat(ctx);
    await ctx.h.page.getByTestId("message-list").locator("[data-message-id]").first().waitFor();

    await ctx.h.harness.relay!.stop();
    await ctx.h.page.getByTestId("live-paused").filter({ hasText: "can't be reached" }).waitFor({ timeout: 30_000 });
    // Refresh on the agent's action still works.
    await ctx.s.sendAs(ctx.colleague.systemuserid, ctx.chat.id, "<p>While the relay was down (1)</p>");
    await ctx.h.page.getByRole("button", { name: "Refresh chats" }).click();
    await message(ctx, "While the relay was down (1)").waitFor({ timeout: 20_000 });

    // A message the agent does not ask for arrives after the relay is back: the reconnect reads what was missed.
    await ctx.s.sendAs(ctx.colleague.systemuserid, ctx.chat.id, "<p>While the relay was down (2)</p>");
    await ctx.h.harness.relay!.restart();
    await liveOn(ctx);
    await message(ctx, "While the relay was down (2)").waitFor({ timeout: 30_000 });
    expect(await ctx.h.page.getByTestId("live-paused").count()).toBe(0);
    // And live again: the next one comes over the relay.
    await ctx.s.clearRequests();
    await ctx.s.sendAs(ctx.colleague.systemuserid, ctx.chat.id, "<p>Back live</p>");
    await message(ctx, "Back live").waitFor({ timeout: 20_000 });
    expect(await graphGets(ctx)).toEqual([]);
    // Each message once.
    for (const text of ["While the relay was down (1)", "While the relay was down (2)", "Back live"]) expect(await message(ctx, text).count()).toBe(1);
  });

  it("without a relay the panel says so and reads Teams only when the agent acts", async () => {
    const ctx = await start({ relay: false });
    await ctx.h.page.getByTestId("live-paused").waitFor();
    await openChat(ctx);
    await ctx.h.page.getByTestId("message-list").locator("[data-message-id]").first().waitFor();
    await ctx.s.sendAs(ctx.colleague.systemuserid, ctx.chat.id, "<p>Only on refresh</p>");
    await ctx.h.page.getByRole("button", { name: "Refresh chats" }).click();
    await message(ctx, "Only on refresh").waitFor({ timeout: 20_000 });
  });

  it("with real sign-in (https and MSAL): the relay's token comes from the same sign-in, and messages arrive live", async () => {
    h = await openHarness(undefined, { https: true });
    const state = h.harness.sim.state;
    const u = state.users.find((x) => x.accountEnabled)!;
    const sys = Object.values(state.dataverse.systemuser).find((r) => r.azureactivedirectoryobjectid === u.id)!;
    const record = Object.values(state.dataverse.incident)[0];
    await h.page.evaluate((id) => localStorage.setItem(`tcp.tour.v1.${id}`, "done"), String(sys.systemuserid).toLowerCase());
    await h.goto(`?user=${String(sys.systemuserid).toLowerCase()}&record=incident:${String(record.incidentid).toLowerCase()}`);
    await h.page.locator('[data-testid="state-auth"]').waitFor();
    const popup = h.browser.context.waitForEvent("page", { timeout: 15_000 });
    await h.page.getByRole("button", { name: "Sign in to Teams" }).click();
    const p = await popup;
    await p.getByRole("button", { name: "Sign in", exact: true }).click();
    await p.getByRole("heading", { name: "Permissions requested" }).waitFor();
    // The relay's API is asked for in the same consent as reading chats.
    expect(await p.locator("li code").allInnerTexts()).toEqual(expect.arrayContaining(["Chat.Read", `api://${DEMO_CLIENT_ID}/access_as_user`]));
    await p.getByRole("button", { name: "Accept" }).click();
    await h.page.locator(ROW).first().waitFor({ timeout: 20_000 });
    await h.page.getByTestId("live-updated").filter({ hasText: "Live updates on" }).waitFor({ timeout: 30_000 });

    // Over https the harness's certificate is trusted by the browser only: the simulator is driven from the page.
    const rows = await h.page.locator(ROW).allInnerTexts();
    const chat = state.chats.find((c) => c.topic && c.members.length > 2 && c.members.some((m) => m.userId === u.id) && rows.some((r) => r.includes(c.topic!)))!;
    expect(chat, `a named group chat of the agent among ${JSON.stringify(rows)}`).toBeDefined();
    const colleague = chat.members.find((m) => m.userId !== u.id)!;
    await h.page.locator(ROW).filter({ hasText: chat.topic! }).first().click();
    await h.page.getByTestId("message-list").locator("[data-message-id]").first().waitFor();
    const sent = await h.page.evaluate(
      async (body) => (await fetch("/__sim/send-as", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })).ok,
      { user: colleague.userId, chatId: chat.id, html: "<p>Signed in and live</p>" },
    );
    expect(sent).toBe(true);
    await h.page.getByTestId("message-list").locator("[data-message-id]").filter({ hasText: "Signed in and live" }).waitFor({ timeout: 20_000 });
  });
});
