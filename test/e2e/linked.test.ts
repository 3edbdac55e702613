/**
 * Linked chats end to end: the real bundle in Chromium against the simulator's Graph and Dataverse.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { formatViolations, openHarness, runAxe, typeSearch, type OpenedHarness } from "./support/browser";
import { sim, type DirectoryRecord, type DirectoryUser } from "./support/sim";

const ROOT = '[data-testid="tcp-root"]';

let h: OpenedHarness;
let s: ReturnType<typeof sim>;
let users: DirectoryUser[];
let agent: DirectoryUser;
let colleague: DirectoryUser;
let outsider: DirectoryUser;
let record: DirectoryRecord;

interface LinkRow {
  tcp_chatlinkid: string;
  tcp_chatid: string;
  tcp_name: string;
  _ownerid_value: string;
}

const linksOf = async (chatId: string) =>
  (await s.dataverse<{ value: LinkRow[] }>(agent.systemuserid, `/tcp_chatlinks?$select=tcp_chatlinkid,tcp_chatid,tcp_name,_ownerid_value&$filter=tcp_chatid eq '${chatId}' and tcp_regardingid eq '${record.id.toLowerCase()}'`)).value;

async function open(user = agent, extra = ""): Promise<void> {
  await h.goto(`?user=${user.systemuserid.toLowerCase()}&record=${record.table}:${record.id.toLowerCase()}${extra}`);
  await h.page.locator(`${ROOT} [role=list]`).waitFor();
}

function row(name: string) {
  return h.page.locator(`${ROOT} [role=listitem]`).filter({ has: h.page.locator("[data-chat-name]", { hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) }) });
}

/** The section header above a chat row, read from the list's DOM order. */
async function sectionOf(name: string): Promise<string> {
  return row(name)
    .first()
    .evaluate((el) => {
      let item: Element | null = el.closest("[data-index]");
      while (item) {
        const h3 = item.querySelector("h3");
        if (h3) return (h3.textContent ?? "").replace(/ \(\d+\)$/, "");
        item = item.previousElementSibling;
      }
      return "";
    });
}

async function rowMenu(name: string, item: string): Promise<void> {
  await h.page.getByRole("button", { name: `More options for ${name}`, exact: true }).click();
  await h.page.getByRole("menuitem", { name: item }).click();
}

async function startLinkedChat(withUser: DirectoryUser, customName?: string): Promise<string> {
  await h.page.getByRole("button", { name: "New chat linked to this record" }).click();
  const dialog = h.page.getByRole("dialog", { name: "New linked chat" });
  await typeSearch(dialog.getByRole("combobox", { name: "Search people by name" }), withUser.fullname.slice(0, 5));
  await h.page.getByRole("listbox").getByRole("option", { name: new RegExp(withUser.fullname) }).click();
  if (customName) await dialog.getByRole("textbox", { name: /Chat name/ }).fill(customName);
  const name = await dialog.getByRole("textbox", { name: /Chat name/ }).inputValue();
  await dialog.getByRole("button", { name: "Start chat" }).click();
  await dialog.waitFor({ state: "detached" });
  return name;
}

async function chatIdByTopic(user: DirectoryUser, topic: string): Promise<string> {
  const res = await s.graph<{ value: Array<{ id: string; topic: string | null }> }>(user.systemuserid, `/me/chats?$top=50&$orderby=lastMessagePreview/createdDateTime desc`);
  const found = res.body.value.find((c) => c.topic === topic);
  if (!found) throw new Error(`no chat named ${topic} for ${user.fullname}`);
  return found.id;
}

beforeAll(async () => {
  h = await openHarness(null);
  s = sim(h.url);
  const dir = await s.directory();
  users = dir.users.filter((u) => !u.isdisabled);
  [agent, colleague] = users;
  outsider = users[users.length - 1];
  record = dir.records.find((r) => r.table === "incident")!;
});

// Each test starts from the demo data (no links made by another test) and a new page, the tour seen.
beforeEach(async () => {
  await h.fresh({ tourSeen: users.map((u) => u.systemuserid) });
});

afterAll(async () => {
  await h?.close();
});

describe("linked chats", () => {
  it("starts a group chat named after the record, linked to it, seen by its participants only", async () => {
    await open();
    const name = await startLinkedChat(colleague);
    expect(name).toBe(record.name.replace(/\s*:\s*/g, " - ").slice(0, 250).trim());
    await h.page.getByText(/is now linked to this record/).waitFor();
    expect(await sectionOf(name)).toBe("Linked to this record");
    const chatId = await chatIdByTopic(agent, name);
    const rows = await linksOf(chatId);
    expect(rows).toHaveLength(1);
    // Only a label goes to Dataverse, never the chat's topic.
    expect(rows[0].tcp_name).not.toContain(name);

    await open(colleague);
    expect(await sectionOf(name)).toBe("Linked to this record");

    await open(outsider);
    expect(await h.page.locator(ROOT).innerText()).not.toContain(name);
  });

  it("links a group chat from Other chats and unlinks it after confirmation", async () => {
    await open();
    await h.page.locator(`${ROOT} h3`).filter({ hasText: /^Other chats/ }).first().waitFor();
    const otherNames = await h.page.locator(`${ROOT} [role=listitem]`).evaluateAll((items) => {
      let section = "";
      const out: string[] = [];
      for (const it of items) {
        const h3 = it.querySelector("h3");
        if (h3) section = h3.textContent ?? "";
        const name = it.querySelector("[data-chat-name]")?.textContent;
        if (name && section.startsWith("Other chats")) out.push(name);
      }
      return out;
    });
    // A group chat with a topic from the user's other chats.
    let chosen = "";
    for (const n of otherNames) {
      await h.page.getByRole("button", { name: `More options for ${n}`, exact: true }).click();
      const canRename = (await h.page.getByRole("menuitem", { name: "Rename" }).count()) > 0;
      await h.page.keyboard.press("Escape");
      await h.page.getByRole("menu").waitFor({ state: "detached" });
      if (canRename) {
        chosen = n;
        break;
      }
    }
    expect(chosen).not.toBe("");
    await rowMenu(chosen, "Link to this record");
    await h.page.getByText(`\u201c${chosen}\u201d is now linked to this record.`).waitFor();
    expect(await sectionOf(chosen)).toBe("Linked to this record");
    const chatId = await chatIdByTopic(agent, chosen);
    expect(await linksOf(chatId)).toHaveLength(1);

    await rowMenu(chosen, "Unlink from this record");
    await h.page.getByRole("dialog").getByRole("button", { name: "Unlink" }).click();
    await h.page.getByText(`\u201c${chosen}\u201d is no longer linked to this record.`).waitFor();
    expect(await sectionOf(chosen)).toBe("Other chats");
    expect(await linksOf(chatId)).toHaveLength(0);
  });

  it("explains a refused unlink of someone else's link and keeps the chat linked", async () => {
    await open();
    const name = await startLinkedChat(colleague, "Duplex jams - escalation");
    await h.page.getByText(/is now linked to this record/).waitFor();
    const chatId = await chatIdByTopic(agent, name);
    // Re-create the link as the colleague (who owns it at user depth), so the agent may not delete it.
    const [mine] = await linksOf(chatId);
    await fetch(`${h.url}api/data/v9.2/tcp_chatlinks(${mine.tcp_chatlinkid})`, { method: "DELETE", headers: { "X-Sim-User": agent.systemuserid } });
    const created = await fetch(`${h.url}api/data/v9.2/tcp_chatlinks`, {
      method: "POST",
      headers: { "X-Sim-User": colleague.systemuserid, "Content-Type": "application/json" },
      body: JSON.stringify({ tcp_name: "x", tcp_kind: 100000000, tcp_chatid: chatId, tcp_regardingtable: record.table, tcp_regardingid: record.id.toLowerCase() }),
    });
    expect(created.status).toBeLessThan(300);
    await open();
    await rowMenu(name, "Unlink from this record");
    const dialog = h.page.getByRole("dialog");
    await dialog.getByText(/Someone else linked this chat/).waitFor();
    await dialog.getByRole("button", { name: "Unlink" }).click();
    await h.page.getByRole("alert").filter({ hasText: "Dataverse refused to unlink" }).waitFor();
    expect(await sectionOf(name)).toBe("Linked to this record");
    expect(await linksOf(chatId)).toHaveLength(1);
  });

  it("renames a group chat in Teams", async () => {
    await open();
    const name = await startLinkedChat(colleague, "Duplex jams - to rename");
    await h.page.getByText(/is now linked to this record/).waitFor();
    const chatId = await chatIdByTopic(agent, name);
    await rowMenu(name, "Rename");
    const dialog = h.page.getByRole("dialog");
    await dialog.getByRole("textbox", { name: /Chat name/ }).fill("Duplex jams - vendor call");
    await dialog.getByRole("button", { name: "Save name" }).click();
    await h.page.getByText("The chat is now called \u201cDuplex jams - vendor call\u201d.").waitFor();
    const chat = await s.graph<{ topic: string }>(agent.systemuserid, `/chats/${encodeURIComponent(chatId)}`);
    expect(chat.body.topic).toBe("Duplex jams - vendor call");
  });

  it("keeps a chat created while Dataverse is failing, across a reload, and links it once when Dataverse is back", async () => {
    await open();
    await s.fault({ service: "dataverse", method: "POST", path: "tcp_chatlinks", status: 503 });
    const name = await startLinkedChat(colleague, "Duplex jams - while Dataverse is down");
    await h.page.getByText(/was created in Teams but is not linked to this record yet/).waitFor();
    expect(await row(name).getByTestId("pending-link").innerText()).toContain("Created in Teams, not linked yet");
    // Reload in the middle: the pending link is still there.
    await open();
    await row(name).getByTestId("pending-link").waitFor();
    expect(await sectionOf(name)).toBe("Linked to this record");
    await s.clearFaults();
    await row(name).getByRole("button", { name: `Retry linking ${name}` }).click();
    await h.page.getByText(`\u201c${name}\u201d is now linked to this record.`).waitFor();
    const chatId = await chatIdByTopic(agent, name);
    expect(await linksOf(chatId)).toHaveLength(1);
    expect(await row(name).getByTestId("pending-link").count()).toBe(0);
  });

  it("offers a linked group chat instead of linking a one-to-one chat", async () => {
    await open();
    await h.page.locator(`${ROOT} h3`).filter({ hasText: /^Other chats/ }).first().waitFor();
    const oneOnOne = await h.page.locator(`${ROOT} [role=listitem]`).evaluateAll((items) => {
      let section = "";
      for (const it of items) {
        const h3 = it.querySelector("h3");
        if (h3) section = h3.textContent ?? "";
        const avatarIsPerson = it.querySelector(".fui-Avatar__initials");
        const name = it.querySelector("[data-chat-name]")?.textContent;
        if (name && avatarIsPerson && !name.includes(",") && section.startsWith("Other chats")) return name;
      }
      return "";
    });
    expect(oneOnOne).not.toBe("");
    await rowMenu(oneOnOne, "Link to this record");
    const dialog = h.page.getByRole("dialog", { name: "New linked chat" });
    await dialog.getByText(/can't get a name or more people in Teams/).waitFor();
    await dialog.getByText(oneOnOne, { exact: true }).waitFor();
    const violations = await runAxe(h.page, { include: ['[role="dialog"]'] });
    expect(violations, formatViolations(violations)).toEqual([]);
    await dialog.getByRole("button", { name: "Cancel" }).click();
  });

  it("introduces a new linked chat with the record's card, showing secured columns only to users who may read them", async () => {
    const reader = users.find((u) => u.fullname === "Megan Pierce")!;
    const nonReader = users.find((u) => u.fullname === "Daniel Okafor")!;
    const admin = await s.dataverse<{ ticketnumber: string; description: string | null }>(reader.systemuserid, `/incidents(${record.id.toLowerCase()})?$select=ticketnumber,description`);
    expect(admin.description).toBeTruthy();
    const results: Record<string, string> = {};
    for (const [who, partner, name] of [
      [reader, nonReader, "Intro check - reader"],
      [nonReader, reader, "Intro check - no access"],
    ] as const) {
      await open(who, "&p.introFields=ticketnumber,description,notacolumn");
      await startLinkedChat(partner, name);
      await h.page.getByText(/is now linked to this record/).waitFor();
      const chatId = await chatIdByTopic(who, name);
      await expect
        .poll(async () => (await s.graph<{ value: Array<{ body: { content: string } }> }>(who.systemuserid, `/chats/${encodeURIComponent(chatId)}/messages?$top=50`)).body.value.length)
        .toBeGreaterThan(0);
      const messages = await s.graph<{ value: Array<{ body: { content: string } }> }>(who.systemuserid, `/chats/${encodeURIComponent(chatId)}/messages?$top=50`);
      results[who.fullname] = messages.body.value.map((m) => m.body.content).join("\n");
    }
    for (const html of Object.values(results)) {
      expect(html).toContain(admin.ticketnumber);
      expect(html).toContain(`etn=incident&amp;id=${record.id.toLowerCase()}`);
    }
    const snippet = (admin.description ?? "").slice(0, 20).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
    expect(results["Megan Pierce"]).toContain(snippet.slice(0, 12));
    expect(results["Daniel Okafor"]).not.toContain(snippet.slice(0, 12));
  });

  it("links an existing chat picked from a search of the user's chats", async () => {
    await open();
    await h.page.getByRole("button", { name: "Link an existing chat to this record" }).click();
    const dialog = h.page.getByRole("dialog", { name: "Link an existing chat" });
    const first = dialog.getByRole("radio").first();
    const label = (await first.evaluate((el) => (el.closest(".fui-Radio") ?? el.parentElement)?.textContent ?? "")).trim();
    expect(label).not.toBe("");
    await dialog.getByRole("searchbox", { name: "Search your chats by name" }).fill(label.split(/[\s(]/)[0]);
    await dialog.getByRole("radio", { name: label }).check();
    await dialog.getByRole("button", { name: "Link chat" }).click();
    if (/one-to-one/.test(label)) {
      await h.page.getByRole("dialog", { name: "New linked chat" }).getByRole("button", { name: "Cancel" }).click();
    } else {
      await h.page.getByText(`\u201c${label}\u201d is now linked to this record.`).waitFor();
      expect(await sectionOf(label)).toBe("Linked to this record");
    }
  });

  it("proposes the participants' names when the admin chose that rule", async () => {
    await open(agent, "&p.chatNaming=participants");
    await h.page.getByRole("button", { name: "New chat linked to this record" }).click();
    const dialog = h.page.getByRole("dialog", { name: "New linked chat" });
    await typeSearch(dialog.getByRole("combobox", { name: "Search people by name" }), colleague.fullname.slice(0, 5));
    await h.page.getByRole("listbox").getByRole("option", { name: new RegExp(colleague.fullname) }).click();
    await expect.poll(() => dialog.getByRole("textbox", { name: /Chat name/ }).inputValue()).toBe(colleague.fullname);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
  });

  it("opens the other record a chat is linked to", async () => {
    await open();
    const button = h.page.locator(`${ROOT} [role=listitem] button[aria-label^="Open "]`).first();
    const label = (await button.getAttribute("aria-label")) ?? "";
    const title = label.replace(/^Open [^:]+: /, "");
    await button.click();
    await h.page.waitForFunction(([t, id]) => document.body.innerText.includes(t) && !location.search.includes(id), [title, record.id.toLowerCase()] as const);
    expect(new URL(h.page.url()).searchParams.get("record")).not.toBe(`${record.table}:${record.id.toLowerCase()}`);
    await h.page.locator(`${ROOT} [role=list]`).waitFor();
  });
});
