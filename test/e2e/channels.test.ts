/**
 * Channels end to end: the real bundle in Chromium against the simulator's Graph and Dataverse. Every
 * write is checked in the simulator's own state (Teams channels and posts, Dataverse link rows).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { formatViolations, openHarness, runAxe, type OpenedHarness } from "./support/browser";
import { sim, type DirectoryRecord, type DirectoryUser } from "./support/sim";

const ROOT = '[data-testid="tcp-root"]';

let h: OpenedHarness;
let s: ReturnType<typeof sim>;
let agent: DirectoryUser;
let outsider: DirectoryUser;
let record: DirectoryRecord;
let users: DirectoryUser[];

interface LinkRow {
  tcp_chatlinkid: string;
  tcp_chatid: string;
  tcp_teamid: string | null;
  tcp_kind: number;
}
interface Team {
  id: string;
  displayName: string;
}
interface Channel {
  id: string;
  displayName: string;
}
interface Post {
  id: string;
  body: { content: string };
  replies?: Post[];
}

const channelLinks = async () =>
  (await s.dataverse<{ value: LinkRow[] }>(agent.systemuserid, `/tcp_chatlinks?$select=tcp_chatlinkid,tcp_chatid,tcp_teamid,tcp_kind&$filter=tcp_kind eq 100000001 and tcp_regardingid eq '${record.id.toLowerCase()}'`)).value;

async function teamByName(name: string): Promise<Team> {
  const res = await s.graph<{ value: Team[] }>(agent.systemuserid, "/me/joinedTeams");
  return res.body.value.find((t) => t.displayName === name)!;
}
async function channelsOf(teamId: string): Promise<Channel[]> {
  return (await s.graph<{ value: Channel[] }>(agent.systemuserid, `/teams/${teamId}/channels`)).body.value;
}

async function openChannelTab(user = agent): Promise<void> {
  await h.goto(`?user=${user.systemuserid.toLowerCase()}&record=${record.table}:${record.id.toLowerCase()}`);
  await h.page.getByRole("tab", { name: "Channel" }).click();
  await h.page.locator(`${ROOT} [data-channel-id]`).first().waitFor();
  // Every row has finished loading its details.
  await h.page.waitForFunction(() => document.querySelectorAll('[data-channel-id][data-state="loading"]').length === 0);
}

const list = () => h.page.getByRole("list", { name: "Channels linked to this record" });

async function axeClean(include?: string[]): Promise<void> {
  const violations = await runAxe(h.page, include ? { include } : {});
  expect(violations, formatViolations(violations)).toEqual([]);
}

beforeAll(async () => {
  h = await openHarness(null);
  s = sim(h.url);
  const dir = await s.directory();
  users = dir.users.filter((u) => !u.isdisabled);
  agent = users[0];
  // Grace works in Billing only: she is not a member of Contoso Support, whose channel is linked to the case.
  outsider = users.find((u) => u.fullname.startsWith("Grace"))!;
  record = dir.records.find((r) => r.table === "incident")!;
}, 60_000);

// Each test starts from the demo data (only the seed's channel links) and a new page, the tour seen.
beforeEach(async () => {
  await h.fresh({ tourSeen: users.map((u) => u.systemuserid) });
});

/** Links a channel to the case in Dataverse as the agent, as the panel does, without the UI. */
async function linkChannel(teamId: string, channelId: string): Promise<void> {
  const res = await fetch(`${h.url}api/data/v9.2/tcp_chatlinks`, {
    method: "POST",
    headers: { "X-Sim-User": agent.systemuserid, "Content-Type": "application/json" },
    body: JSON.stringify({ tcp_name: `${record.table} ${record.id.toLowerCase()}`, tcp_kind: 100000001, tcp_chatid: channelId, tcp_teamid: teamId, tcp_regardingtable: record.table, tcp_regardingid: record.id.toLowerCase() }),
  });
  expect(res.status, await res.text()).toBeLessThan(300);
}

afterAll(async () => {
  await h?.close();
});

describe("Channel tab", () => {
  it("lists the record's channels: team, name, last activity; an archived team and an unreachable channel as such", async () => {
    await openChannelTab();
    const esc = list().locator("[data-channel-id]").filter({ hasText: "Escalations" });
    await expect(esc.textContent()).resolves.toMatch(/Contoso Support/);
    await expect(esc.textContent()).resolves.toMatch(/Last activity/);
    const archived = list().locator('[data-state="archived"]');
    await expect(archived.textContent()).resolves.toMatch(/Pilot Feedback.*Windows 11 Rollout 2025.*Archived team \(read-only\)/);
    // Network Operations' channel: the agent is not a member, so nothing about it is shown but that it is there.
    const unreachable = list().locator('[data-state="unreachable"]');
    await expect(unreachable.textContent()).resolves.toMatch(/A channel you can't open/);
    await expect(unreachable.textContent()).resolves.not.toMatch(/Outages|Network Operations/);
    expect(await h.page.locator(`${ROOT} [role=alert]`).count()).toBe(0);
    await axeClean([ROOT]);
  });

  it("reads a channel in the panel with replies, posts a message and a reply that reach Teams", async () => {
    await openChannelTab();
    const errorsBefore = h.console.errors.length;
    await list().getByRole("button", { name: /^Open Escalations in the panel/ }).click();
    const view = h.page.getByTestId("channel-view");
    await view.getByText("escalated to VP level").waitFor();
    await view.getByText("I have the firmware images and the rollback plan ready.").waitFor();
    await axeClean([ROOT]);

    const editor = view.getByRole("textbox", { name: /Escalations/ });
    await editor.click();
    await h.page.keyboard.type("Customer confirmed the change window for tomorrow 8am.");
    await h.page.keyboard.press("Enter");
    await view.locator("[data-post-id]").filter({ hasText: "Customer confirmed the change window" }).waitFor();

    await view.getByRole("button", { name: /^Reply to Priya/ }).first().click();
    await view.getByText(/^Replying to Priya/).waitFor();
    const replyBox = view.getByRole("textbox", { name: /a reply in Escalations/ });
    await replyBox.click();
    await h.page.keyboard.type("Update sent to the VP's assistant.");
    await h.page.keyboard.press("Enter");
    await view.locator("[data-reply-id]").filter({ hasText: "Update sent to the VP" }).waitFor();

    const team = await teamByName("Contoso Support");
    const esc = (await channelsOf(team.id)).find((c) => c.displayName === "Escalations")!;
    const posts = (await s.graph<{ value: Post[] }>(agent.systemuserid, `/teams/${team.id}/channels/${encodeURIComponent(esc.id)}/messages?$top=50&$expand=replies`)).body.value;
    expect(posts.some((p) => p.body.content.includes("Customer confirmed the change window"))).toBe(true);
    const threaded = posts.find((p) => (p.replies ?? []).some((r) => r.body.content.includes("Update sent to the VP")));
    expect(threaded?.body.content).toContain("escalated to VP level");

    await view.getByRole("button", { name: "Back to linked channels" }).click();
    await list().waitFor();
    expect(h.console.errors.slice(errorsBefore)).toEqual([]);
  });

  it("creates a channel from the record's title and links it; Teams and Dataverse both have it once", async () => {
    await openChannelTab();
    const before = await channelLinks();
    await h.page.getByRole("button", { name: "Collaborate with Microsoft Teams" }).click();
    const dialog = h.page.getByRole("dialog", { name: "Collaborate with Microsoft Teams" });
    const nameBox = dialog.getByRole("textbox", { name: /Channel name/ });
    // The name is proposed from the record's title, which may still be on its way.
    await expect.poll(() => nameBox.inputValue()).not.toBe("");
    const proposed = await nameBox.inputValue();
    expect(proposed.length).toBeGreaterThan(0);
    expect(proposed).not.toMatch(/[~#%&*{}+/\\:<>?|'",.]/);
    await dialog.getByRole("textbox", { name: "Filter teams" }).fill("printer");
    await dialog.getByRole("radio", { name: "Printer Fleet Experts" }).click();
    await axeClean(['[role="dialog"]']);
    await dialog.getByRole("button", { name: "Create and link" }).click();
    await dialog.waitFor({ state: "detached" });
    await list().locator("[data-channel-id]").filter({ hasText: proposed }).waitFor();

    const team = await teamByName("Printer Fleet Experts");
    const created = (await channelsOf(team.id)).filter((c) => c.displayName === proposed);
    expect(created).toHaveLength(1);
    const after = await channelLinks();
    const rows = after.filter((l) => l.tcp_chatid === created[0].id);
    expect(rows).toHaveLength(1);
    expect(rows[0].tcp_teamid).toBe(team.id);
    expect(after.length).toBe(before.length + 1);
    // The introduction card was posted to the new channel.
    const posts = (await s.graph<{ value: Post[] }>(agent.systemuserid, `/teams/${team.id}/channels/${encodeURIComponent(created[0].id)}/messages`)).body.value;
    expect(posts).toHaveLength(1);
  });

  it("refuses a duplicate channel name with a clear message, keeping the dialog and what was typed", async () => {
    await openChannelTab();
    const team = await teamByName("Contoso Support");
    const countBefore = (await channelsOf(team.id)).length;
    await h.page.getByRole("button", { name: "Collaborate with Microsoft Teams" }).click();
    const dialog = h.page.getByRole("dialog", { name: "Collaborate with Microsoft Teams" });
    await dialog.getByRole("radio", { name: "Contoso Support" }).click();
    await dialog.getByRole("textbox", { name: /Channel name/ }).fill("Shift Handover");
    await dialog.getByRole("button", { name: "Create and link" }).click();
    await expect(dialog.getByRole("alert").textContent()).resolves.toContain('Contoso Support already has a channel named "Shift Handover"');
    expect(await dialog.getByRole("textbox", { name: /Channel name/ }).inputValue()).toBe("Shift Handover");
    expect((await channelsOf(team.id)).length).toBe(countBefore);
    await axeClean(['[role="dialog"]']);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
  });

  it("links an existing channel with the keyboard only", async () => {
    await openChannelTab();
    const collab = h.page.getByRole("button", { name: "Collaborate with Microsoft Teams" });
    await collab.focus();
    await h.page.keyboard.press("Enter");
    const dialog = h.page.getByRole("dialog", { name: "Collaborate with Microsoft Teams" });
    await dialog.getByRole("radio", { name: "Create a new channel" }).waitFor();
    await dialog.getByRole("radio", { name: "Contoso Support" }).waitFor();
    // Focus starts in the dialog; the radio group moves with the arrow keys.
    await expect.poll(() => h.page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'))).toBe(true);
    await dialog.getByRole("radio", { name: "Create a new channel" }).focus();
    await h.page.keyboard.press("ArrowDown");
    await expect.poll(() => dialog.getByRole("radio", { name: "Link an existing channel" }).isChecked()).toBe(true);
    await h.page.keyboard.press("Tab");
    await h.page.keyboard.type("Printer");
    // Tab only once the filter has narrowed the teams, or it lands on a team about to disappear.
    await expect.poll(() => dialog.getByRole("radio", { name: "Contoso Support" }).count()).toBe(0);
    await dialog.getByRole("radio", { name: "Printer Fleet Experts" }).waitFor();
    await h.page.keyboard.press("Tab");
    await h.page.keyboard.press("Space");
    await expect.poll(() => dialog.getByRole("radio", { name: "Printer Fleet Experts" }).isChecked()).toBe(true);
    const firmware = dialog.getByRole("radio", { name: "Firmware" });
    await firmware.waitFor();
    await h.page.keyboard.press("Tab");
    // The first channel of the team gets focus; move to Firmware with the arrows.
    for (let i = 0; i < 4 && !(await firmware.isChecked()); i++) await h.page.keyboard.press(i === 0 ? "Space" : "ArrowDown");
    expect(await firmware.isChecked()).toBe(true);
    await dialog.getByRole("button", { name: "Start collaboration" }).focus();
    await h.page.keyboard.press("Enter");
    await dialog.waitFor({ state: "detached" });
    await list().locator("[data-channel-id]").filter({ hasText: "Firmware" }).waitFor();
    const team = await teamByName("Printer Fleet Experts");
    const fw = (await channelsOf(team.id)).find((c) => c.displayName === "Firmware")!;
    expect((await channelLinks()).filter((l) => l.tcp_chatid === fw.id)).toHaveLength(1);
    await expect.poll(() => h.page.evaluate(() => document.activeElement?.textContent ?? "")).toContain("Collaborate with Microsoft Teams");
  });

  it("unlinks a channel: the link row goes, the channel stays in Teams", async () => {
    const team = await teamByName("Printer Fleet Experts");
    const fw = (await channelsOf(team.id)).find((c) => c.displayName === "Firmware")!;
    await linkChannel(team.id, fw.id);
    await openChannelTab();
    await list().getByRole("button", { name: "Unlink Firmware" }).click();
    const confirm = h.page.getByRole("dialog", { name: "Unlink this channel?" });
    await confirm.getByText("Firmware stays in Teams with all its posts.", { exact: false }).waitFor();
    await axeClean(['[role="dialog"]']);
    await confirm.getByRole("button", { name: "Unlink", exact: true }).click();
    await h.page.getByTestId("channel-notice").getByText("Firmware is no longer linked to this record.").waitFor();
    expect((await channelLinks()).filter((l) => l.tcp_chatid === fw.id)).toHaveLength(0);
    expect((await channelsOf(team.id)).some((c) => c.id === fw.id)).toBe(true);
  });

  it("shows a user who is not in the team that the channel is there but can't be opened, and Graph refuses them", async () => {
    await openChannelTab(outsider);
    const rows = list().locator("[data-channel-id]");
    const states = await rows.evaluateAll((els) => els.map((e) => [e.getAttribute("data-state"), e.textContent ?? ""]));
    const esc = states.filter(([, text]) => /Escalations/.test(text ?? ""));
    expect(esc).toEqual([]);
    expect(states.filter(([state]) => state === "unreachable").length).toBeGreaterThanOrEqual(2);
    const team = await teamByName("Contoso Support");
    const denied = await s.graph<{ error: { code: string } }>(outsider.systemuserid, `/teams/${team.id}/channels`);
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe("Forbidden");
    await axeClean([ROOT]);
  });
});
