/**
 * Conversations end to end: the real bundle in Chromium, reading and writing chats against the simulator's Graph.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { formatViolations, openHarness, runAxe, typeSearch, type OpenedHarness } from "./support/browser";
import { sim, type DirectoryRecord, type DirectoryUser } from "./support/sim";

const ROOT = '[data-testid="tcp-root"]';
const C1 = "CAS-01001 · Fabrikam duplex jams";

let h: OpenedHarness;
let s: ReturnType<typeof sim>;
let agent: DirectoryUser;
let users: DirectoryUser[];
let record: DirectoryRecord;
let c1Id: string;

interface WireMsg {
  id: string;
  importance: string;
  body: { content: string };
  from: { user?: { id: string } } | null;
  mentions: Array<{ id: number; mentioned: { user: { id: string } } }>;
  attachments: Array<{ id: string; name: string | null; contentType: string }>;
}

async function latest(n = 1): Promise<WireMsg[]> {
  const res = await s.graph<{ value: WireMsg[] }>(agent.systemuserid, `/chats/${encodeURIComponent(c1Id)}/messages?$top=${n}&$orderby=createdDateTime desc`);
  return res.body.value;
}

async function open(extra = ""): Promise<void> {
  await h.goto(`?user=${agent.systemuserid.toLowerCase()}&record=${record.table}:${record.id.toLowerCase()}${extra}`);
  await h.page.locator(`${ROOT} [role=list]`).first().waitFor();
}

async function openChat(name: string): Promise<void> {
  await h.page.locator(`${ROOT} [data-row-main]`).filter({ hasText: name }).first().click();
  await h.page.getByTestId("message-list").waitFor();
}

/** The panel on the case with C1 open, its latest messages shown. */
async function openC1(extra = ""): Promise<void> {
  await open(extra);
  await openChat(C1);
  await h.page.getByTestId("message-list").locator("[data-message-id]").first().waitFor();
}

function editor() {
  return h.page.getByRole("textbox", { name: `Message ${C1}` });
}

async function typeAndWait(text: string): Promise<void> {
  await editor().click();
  await h.page.keyboard.type(text, { delay: 10 });
}

async function sendAndWait(text: string): Promise<WireMsg> {
  await h.page.keyboard.press("Enter");
  await h.page.locator(`[data-message-id]`).filter({ hasText: text }).last().waitFor();
  await h.page.locator("[data-outgoing]").waitFor({ state: "detached" });
  const [m] = await latest();
  expect(m.body.content).toContain(text);
  return m;
}

beforeAll(async () => {
  h = await openHarness(null);
  s = sim(h.url);
  const dir = await s.directory();
  users = dir.users.filter((u) => !u.isdisabled);
  agent = users[0];
  record = dir.records.find((r) => r.table === "incident")!;
  // The demo data's ids are fixed (seeded), so this id holds after every reset.
  const chats = await s.graph<{ value: Array<{ id: string; topic: string | null }> }>(agent.systemuserid, "/me/chats?$top=50");
  c1Id = chats.body.value.find((c) => c.topic === C1)!.id;
});

// Each test starts from the demo data and a new page with nothing stored but the tour seen.
beforeEach(async () => {
  await h.fresh({ tourSeen: users.map((u) => u.systemuserid) });
});

afterAll(async () => {
  await h?.close();
});

describe("reading a chat", () => {
  it("opens a chat as a tab: Teams formatting, inline image, file card, markers, in one Graph round trip", async () => {
    await open();
    await s.clearRequests();
    await openChat(C1);
    const list = h.page.getByTestId("message-list");
    await list.getByText("Firmware 4.2.1 has a duplex timing fix").waitFor();
    const reqs = (await s.requests()).filter((r) => r.service === "graph" && r.path.includes("/messages") && !r.path.includes("/hostedContents/"));
    expect(reqs.map((r) => r.method)).toEqual(["GET"]);
    // Formatting survives sanitising.
    expect(await list.locator("code", { hasText: "mx4200_fw_4.2.1.bin" }).count()).toBe(1);
    expect(await list.locator("ol li").count()).toBeGreaterThanOrEqual(3);
    await expect.poll(() => list.getByText("Important").count()).toBeGreaterThan(0);
    // Older messages come on scrolling up; the image is fetched with the user's token and shown from a blob.
    await list.evaluate((el) => (el.scrollTop = 0));
    const img = list.locator('img[alt="MFP error panel"]');
    await img.waitFor({ timeout: 30_000 });
    await expect.poll(() => img.getAttribute("src")).toMatch(/^blob:/);
    const file = list.getByRole("link", { name: "Open fabrikam-mfp-jam-counter.xlsx" });
    expect(await file.getAttribute("target")).toBe("_blank");
    expect(await file.getAttribute("rel")).toContain("noopener");
    expect(await list.getByText("Edited").count()).toBeGreaterThan(0);
    // The tab strip shows the chat; "Chats" goes back to the list and keeps the tab.
    await h.page.getByRole("tab", { name: "All chats" }).click();
    await h.page.locator(`${ROOT} [data-row-main]`).first().waitFor();
    await h.page.getByRole("tab", { name: C1 }).click();
    await list.waitFor();
  });

  it("has no accessibility violations in the conversation view", async () => {
    await openC1();
    const violations = await runAxe(h.page, { include: [ROOT] });
    expect(violations, formatViolations(violations)).toEqual([]);
  });
});

describe("writing", () => {
  it("sends formatted text with Enter; Shift+Enter is a new line", async () => {
    await openC1();
    await typeAndWait("Plain then ");
    await h.page.keyboard.press("Control+b");
    await h.page.keyboard.type("bold words");
    await h.page.keyboard.press("Control+b");
    await h.page.keyboard.press("Shift+Enter");
    await h.page.keyboard.type("second line");
    const m = await sendAndWait("second line");
    expect(m.body.content).toMatch(/<(b|strong)>bold words<\/(b|strong)>/);
    expect(m.body.content).toMatch(/<br\s*\/?>|<\/p>\s*<p>/);
  });

  it("sends an emoji picked from the picker", async () => {
    await openC1();
    await typeAndWait("Thanks ");
    await h.page.getByRole("button", { name: "Emoji" }).click();
    await h.page.getByRole("searchbox", { name: "Search emoji" }).fill("thumbs up");
    await h.page.getByRole("button", { name: /thumbs up/i }).first().click();
    const m = await sendAndWait("Thanks");
    expect(m.body.content).toContain("👍");
  });

  it("sends an urgent message", async () => {
    await openC1();
    await h.page.getByRole("button", { name: "Delivery options" }).click();
    await h.page.getByRole("menuitemradio", { name: /Urgent/ }).click();
    await typeAndWait("Customer is down, please call");
    const m = await sendAndWait("Customer is down");
    expect(m.importance).toBe("urgent");
    expect(await h.page.locator(`[data-message-id="${m.id}"]`).getByText("Urgent").count()).toBe(1);
  });

  it("mentions a participant", async () => {
    await openC1();
    await typeAndWait("Over to @Tom");
    await h.page.getByRole("listbox", { name: "People to mention" }).getByRole("option").first().click();
    await h.page.keyboard.type(" for the firmware");
    const m = await sendAndWait("for the firmware");
    expect(m.body.content).toMatch(/<at id="0">[^<]+<\/at>/);
    expect(m.mentions).toHaveLength(1);
    expect(await h.page.locator(`[data-message-id="${m.id}"] [data-tcp-mention]`).count()).toBe(1);
  });

  it("sends a GIF as an inline image", async () => {
    await openC1();
    await editor().click();
    await h.page.getByRole("button", { name: "GIF" }).click();
    await h.page.getByRole("searchbox", { name: "Search GIFs" }).fill("thank");
    const pick = h.page.getByRole("group", { name: "GIFs" }).getByRole("button").first();
    await pick.click();
    await h.page.getByRole("img", { name: /^Image 1:/ }).waitFor();
    await editor().click();
    await h.page.keyboard.type("gif for you");
    const m = await sendAndWait("gif for you");
    expect(m.body.content).toMatch(/hostedContents\/[^/]+\/\$value/);
  });

  it("pastes an image into the message", async () => {
    await openC1();
    await editor().click();
    await h.page.keyboard.type("pasted screenshot");
    await editor().evaluate((el) => {
      // A 1×1 PNG, as a screenshot tool puts it on the clipboard.
      const bytes = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], "screenshot.png", { type: "image/png" }));
      el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
    });
    await h.page.getByRole("button", { name: "Remove image screenshot.png" }).waitFor();
    await editor().click();
    const m = await sendAndWait("pasted screenshot");
    expect(m.body.content).toMatch(/hostedContents\/[^/]+\/\$value/);
  });

  it("attaches a file: uploaded to OneDrive with progress, then sent as an attachment", async () => {
    await openC1();
    await editor().click();
    const chooser = h.page.waitForEvent("filechooser");
    await h.page.getByRole("button", { name: "Attach files" }).click();
    await (await chooser).setFiles({ name: "duplex-log.txt", mimeType: "text/plain", buffer: Buffer.from("jam at 10:02\n".repeat(200)) });
    await h.page.getByRole("button", { name: "Remove duplex-log.txt" }).waitFor();
    await editor().click();
    await h.page.keyboard.type("log attached");
    const m = await sendAndWait("log attached");
    expect(m.attachments.map((a) => [a.name, a.contentType])).toEqual([["duplex-log.txt", "reference"]]);
    expect(await h.page.getByRole("link", { name: "Open duplex-log.txt" }).count()).toBeGreaterThan(0);
  });
});

describe("nothing typed is lost", () => {
  it("a failed send stays with Retry; Retry posts it exactly once", async () => {
    await openC1();
    await s.fault({ service: "graph", method: "POST", path: "/messages$", status: 503, times: 1 });
    await typeAndWait("through the outage");
    await h.page.keyboard.press("Enter");
    const failed = h.page.locator('[data-outgoing][data-state="failed"]');
    await failed.waitFor();
    expect(await failed.innerText()).toContain("through the outage");
    await failed.getByRole("button", { name: "Retry" }).click();
    // Retry turns it to "sending" at once; it leaves the outgoing queue only when Graph has the message.
    await h.page.locator("[data-outgoing]", { hasText: "through the outage" }).waitFor({ state: "detached" });
    const recent = await latest(5);
    expect(recent.filter((m) => m.body.content.includes("through the outage"))).toHaveLength(1);
  });

  it("keeps a draft across a reload", async () => {
    await openC1();
    await typeAndWait("half-written reply");
    // Reload only once the draft is saved (it is written a moment after typing stops): in localStorage, under the panel's prefix.
    await expect
      .poll(() => h.page.evaluate(() => Object.keys(localStorage).some((k) => k.startsWith("tcp.draft.v1.") && (localStorage.getItem(k) ?? "").includes("half-written reply"))))
      .toBe(true);
    await open();
    await h.page.getByRole("tab", { name: C1 }).click();
    await expect.poll(() => editor().innerText()).toContain("half-written reply");
  });
});

describe("live", () => {
  it("shows a message from a colleague without a reload", async () => {
    await openC1();
    const tomas = users.find((u) => u.fullname.startsWith("Tom"))!;
    await s.sendAs(tomas.systemuserid, c1Id, "<p>Firmware is on, running the test page now</p>");
    // The panel learns of it on its next poll (every ~10 s, later on a busy machine): a long but finite wait.
    await h.page.getByTestId("message-list").getByText("running the test page now").waitFor({ timeout: 45_000 });
  });
});

describe("keyboard and themes", () => {
  it("opens a chat, writes and sends with the keyboard alone", async () => {
    await open();
    const filter = h.page.getByRole("searchbox", { name: "Filter chats by name" });
    await filter.fill("Fabrikam duplex");
    // Into the list (one tab stop), then Enter opens the chat in the panel.
    const active = () =>
      h.page.evaluate(() => ({
        label: document.activeElement?.getAttribute("aria-label") ?? "",
        row: document.activeElement?.hasAttribute("data-row-main") ?? false,
        inList: !!document.activeElement?.closest("[data-virtual-scroll]"),
      }));
    // Tab to the list (one tab stop), arrows to the chat, Enter opens it in the panel.
    for (let i = 0; i < 12 && !(await active()).inList; i++) await h.page.keyboard.press("Tab");
    for (let i = 0; i < 5 && !(await active()).row; i++) await h.page.keyboard.press("ArrowDown");
    expect((await active()).row).toBe(true);
    await h.page.keyboard.press("Enter");
    await h.page.getByTestId("message-list").waitFor();
    // Focus moved into the chat; Tab reaches the message box.
    for (let i = 0; i < 6 && (await active()).label !== `Message ${C1}`; i++) await h.page.keyboard.press("Tab");
    expect((await active()).label).toBe(`Message ${C1}`);
    await h.page.keyboard.type("typed without a mouse");
    await sendAndWait("typed without a mouse");
  });

  for (const theme of ["dark", "hc"]) {
    it(`has no accessibility violations in the ${theme} theme`, async () => {
      await openC1(`&theme=${theme}`);
      const violations = await runAxe(h.page, { include: [ROOT] });
      expect(violations, `${theme}: ${formatViolations(violations)}`).toEqual([]);
    });
  }
});

describe("participants", () => {
  it("lists the people in the chat and adds someone without history", async () => {
    await openC1();
    await h.page.getByRole("button", { name: /^\d+ people in this chat$/ }).click();
    const dialog = h.page.getByRole("dialog");
    await dialog.getByText(`${agent.fullname} (You)`).waitFor();
    const newcomer = users.find((u) => u.fullname.startsWith("Noah"))!;
    await typeSearch(dialog.getByRole("combobox", { name: "Search people to add" }), newcomer.fullname.slice(0, 4));
    await h.page.getByRole("option", { name: new RegExp(newcomer.fullname) }).click();
    await dialog.getByRole("button", { name: "Add", exact: true }).click();
    await dialog.getByText(newcomer.fullname, { exact: true }).waitFor();
    const members = await s.graph<{ value: Array<{ userId: string; visibleHistoryStartDateTime: string }> }>(agent.systemuserid, `/chats/${encodeURIComponent(c1Id)}/members`);
    const added = members.body.value.find((m) => m.userId === newcomer.aadObjectId);
    expect(added).toBeDefined();
    expect(added!.visibleHistoryStartDateTime).not.toBe("0001-01-01T00:00:00Z");
  });
});
