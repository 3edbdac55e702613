import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ServiceError } from "../../TeamsChatPanel/services/errors";
import { ACCOUNT, CASE, FakeServices, chat, link } from "../support/fakes";
import { renderPanel } from "./render";

function setup() {
  const s = new FakeServices();
  const here = chat({ topic: "Printer escalation", others: ["Alex Wilber", "Lee Gu"] });
  const group = chat({ topic: "Coffee machine", others: ["Diego Siciliani", "Adele Vance"] });
  const oneOnOne = chat({ others: ["Lidia Holloway"] });
  s.pages = [[here, group, oneOnOne]];
  s.linkRows = [link(here.id, CASE, "link-here")];
  s.people = [{ id: "aad-Lidia Holloway", displayName: "Lidia Holloway" }];
  return { s, here, group, oneOnOne };
}

function sectionOf(name: string): string {
  let el: Element | null = screen.getByRole("button", { name: new RegExp(`^${name}`) }).closest("[data-index]");
  while (el) {
    const header = el.querySelector("h3");
    if (header) return (header.textContent ?? "").replace(/ \(\d+\)$/, "");
    el = el.previousElementSibling;
  }
  return "";
}

async function menu(name: string, item: string) {
  await userEvent.click(await screen.findByRole("button", { name: `More options for ${name}` }));
  await userEvent.click(await screen.findByRole("menuitem", { name: item }));
}

describe("Link, unlink, rename", () => {
  it("links a group chat at once and says so", async () => {
    const { s, group } = setup();
    renderPanel(s);
    await menu("Coffee machine", "Link to this record");
    expect(sectionOf("Coffee machine")).toBe("Linked to this record");
    expect(await screen.findByText("\u201cCoffee machine\u201d is now linked to this record.")).toBeInTheDocument();
    expect(s.calls).toContain(`createLink:${group.id}`);
  });

  it("rolls a link back with a clear message when Dataverse refuses", async () => {
    const { s } = setup();
    s.failCreateLink = new ServiceError("forbidden", "no", 403);
    renderPanel(s);
    await menu("Coffee machine", "Link to this record");
    expect(await screen.findByRole("alert")).toHaveTextContent("You are not allowed to link chats.");
    expect(sectionOf("Coffee machine")).toBe("Other chats");
  });

  it("unlinks after confirmation, and keeps the chat in Teams", async () => {
    const { s } = setup();
    renderPanel(s);
    await menu("Printer escalation", "Unlink from this record");
    const dialog = await screen.findByRole("dialog");
    expect(within(dialog).getByText(/The chat itself stays in Teams/)).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole("button", { name: "Unlink" }));
    await waitFor(() => expect(sectionOf("Printer escalation")).toBe("Other chats"));
    expect(s.deletedLinks).toEqual(["link-here"]);
  });

  it("restores the link and explains when the delete is refused", async () => {
    const { s } = setup();
    s.failDeleteLink = new ServiceError("forbidden", "SecLib::AccessCheckEx failed", 403);
    renderPanel(s);
    await menu("Printer escalation", "Unlink from this record");
    await userEvent.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Unlink" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(/only the person who linked it, or someone with the Link Manager role/);
    expect(sectionOf("Printer escalation")).toBe("Linked to this record");
  });

  it("renames a group chat with Teams' rules, and rolls back on failure", async () => {
    const { s, group } = setup();
    renderPanel(s);
    await menu("Coffee machine", "Rename");
    const dialog = await screen.findByRole("dialog");
    const input = within(dialog).getByRole("textbox", { name: /Chat name/ });
    expect(input).toHaveValue("Coffee machine");
    await userEvent.clear(input);
    await userEvent.type(input, "Kitchen: coffee");
    expect(within(dialog).getByText(/does not allow a colon/)).toBeInTheDocument();
    expect(within(dialog).getByRole("button", { name: "Save name" })).toBeDisabled();
    await userEvent.clear(input);
    await userEvent.type(input, "Kitchen coffee");
    await userEvent.click(within(dialog).getByRole("button", { name: "Save name" }));
    expect(await screen.findByRole("button", { name: /^Kitchen coffee/ })).toBeInTheDocument();
    expect(s.renamed).toEqual([{ chatId: group.id, topic: "Kitchen coffee" }]);

    s.failRename = new ServiceError("service", "boom", 500);
    await menu("Kitchen coffee", "Rename");
    const again = await screen.findByRole("dialog");
    await userEvent.clear(within(again).getByRole("textbox", { name: /Chat name/ }));
    await userEvent.type(within(again).getByRole("textbox", { name: /Chat name/ }), "Broken");
    await userEvent.click(within(again).getByRole("button", { name: "Save name" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Teams did not rename the chat to \u201cBroken\u201d. The old name is kept");
    expect(screen.getByRole("button", { name: /^Kitchen coffee/ })).toBeInTheDocument();
  });

  it("offers no rename for a one-to-one chat", async () => {
    const { s } = setup();
    renderPanel(s);
    await userEvent.click(await screen.findByRole("button", { name: "More options for Lidia Holloway" }));
    expect(await screen.findByRole("menuitem", { name: "Open in Teams" })).toBeInTheDocument();
    expect(screen.queryByRole("menuitem", { name: "Rename" })).not.toBeInTheDocument();
  });

  it("explains why a one-to-one chat cannot be linked and starts a linked group chat with that person instead", async () => {
    const { s } = setup();
    renderPanel(s);
    // Picked from "Link an existing chat" (the row menu's path is covered in Chromium, test/e2e/linked.test.ts).
    await userEvent.click(await screen.findByRole("button", { name: "Link an existing chat to this record" }));
    const picker = await screen.findByRole("dialog", { name: "Link an existing chat" });
    await userEvent.click(within(picker).getByRole("radio", { name: /^Lidia Holloway \(one-to-one/ }));
    await userEvent.click(within(picker).getByRole("button", { name: "Link chat" }));
    const dialog = await screen.findByRole("dialog", { name: "New linked chat" });
    expect(within(dialog).getByText(/can't get a name or more people in Teams/)).toBeInTheDocument();
    expect(within(dialog).getByText("Lidia Holloway")).toBeInTheDocument();
    // The proposed name is the record's title (the admin's default rule); focus settles inside the dialog.
    expect(await within(dialog).findByRole("textbox", { name: /Chat name/ })).toHaveValue("Printer offline after update");
    await waitFor(() => expect(dialog.contains(document.activeElement)).toBe(true));
    await userEvent.click(within(dialog).getByRole("button", { name: "Start chat" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(s.created[0]).toMatchObject({ memberIds: ["aad-Lidia Holloway"], forceGroup: true, topic: "Printer offline after update" });
    expect(await screen.findByText("\u201cPrinter offline after update\u201d is now linked to this record.")).toBeInTheDocument();
    expect(sectionOf("Printer offline after update")).toBe("Linked to this record");
  });

  it("names the other record's link for chats linked elsewhere, and leaves linking to the group chats", async () => {
    const { s, group } = setup();
    s.linkRows.push(link(group.id, ACCOUNT));
    renderPanel(s);
    await screen.findByRole("button", { name: /^Coffee machine/ });
    expect(sectionOf("Coffee machine")).toBe("Linked to other records");
    await menu("Coffee machine", "Link to this record");
    await waitFor(() => expect(sectionOf("Coffee machine")).toBe("Linked to this record"));
  });
});

describe("A linked chat whose link has not reached Dataverse", () => {
  async function startLinked(s: FakeServices) {
    await userEvent.click(await screen.findByRole("button", { name: "New chat linked to this record" }));
    const dialog = await screen.findByRole("dialog", { name: "New linked chat" });
    await userEvent.type(within(dialog).getByRole("combobox", { name: "Search people by name" }), "Lidia");
    await userEvent.click(await screen.findByRole("option", { name: /Lidia Holloway/ }));
    await userEvent.click(within(dialog).getByRole("button", { name: "Start chat" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    return s.created.length;
  }

  it("stays under this record as 'not linked yet', survives a reload, and lands when Dataverse recovers", async () => {
    const { s } = setup();
    s.failCreateLink = new ServiceError("service", "dataverse down", 503);
    const first = renderPanel(s);
    await startLinked(s);
    expect(await screen.findByText(/was created in Teams but is not linked to this record yet/)).toBeInTheDocument();
    expect(screen.getByTestId("pending-link")).toHaveTextContent("Created in Teams, not linked yet");
    expect(sectionOf("Printer offline after update")).toBe("Linked to this record");
    expect(JSON.parse(s.prefsData.get("pendingLinks.v1.00000000-0000-0000-0000-0000000000a1") ?? "[]")).toHaveLength(1);

    // Reload: a new panel on the same browser storage; Dataverse is back.
    const createdId = s.pages[0][0].id;
    first.unmount();
    s.failCreateLink = undefined;
    renderPanel(s);
    await waitFor(() => expect(s.linkRows.filter((l) => l.chatId === createdId)).toHaveLength(1));
    await waitFor(() => expect(JSON.parse(s.prefsData.get("pendingLinks.v1.00000000-0000-0000-0000-0000000000a1") ?? "[]")).toHaveLength(0));
    await waitFor(() => expect(sectionOf("Printer offline after update")).toBe("Linked to this record"));
    expect(screen.queryByTestId("pending-link")).not.toBeInTheDocument();
  });

  it("is retried from the row, and never written twice", async () => {
    const { s } = setup();
    s.failCreateLink = new ServiceError("service", "dataverse down", 503);
    renderPanel(s);
    await startLinked(s);
    await screen.findByTestId("pending-link");
    s.failCreateLink = undefined;
    await userEvent.click(within(screen.getByTestId("pending-link")).getByRole("button", { name: /Retry linking/ }));
    await waitFor(() => expect(screen.queryByTestId("pending-link")).not.toBeInTheDocument());
    expect(sectionOf("Printer offline after update")).toBe("Linked to this record");
    const createdId = s.pages[0][0].id;
    expect(s.calls.filter((c) => c === `createLink:${createdId}`)).toHaveLength(2);
    expect(s.linkRows.filter((l) => l.chatId === createdId)).toHaveLength(1);
  });

  it("gives up and says so when Dataverse refuses the link outright", async () => {
    const { s } = setup();
    s.failCreateLink = new ServiceError("forbidden", "no", 403);
    renderPanel(s);
    await startLinked(s);
    expect(await screen.findByRole("alert")).toHaveTextContent("You are not allowed to link chats.");
    expect(screen.queryByTestId("pending-link")).not.toBeInTheDocument();
    expect(sectionOf("Printer offline after update")).toBe("Other chats");
  });
});

describe("Link an existing chat", () => {
  it("searches the user's chats by name and links the picked one", async () => {
    const { s, group } = setup();
    renderPanel(s);
    await userEvent.click(await screen.findByRole("button", { name: "Link an existing chat to this record" }));
    const dialog = await screen.findByRole("dialog", { name: "Link an existing chat" });
    // Chats already linked here are not offered.
    expect(within(dialog).queryByRole("radio", { name: "Printer escalation" })).not.toBeInTheDocument();
    await userEvent.type(within(dialog).getByRole("searchbox", { name: "Search your chats by name" }), "coffee");
    expect(within(dialog).getAllByRole("radio")).toHaveLength(1);
    expect(within(dialog).getByRole("button", { name: "Link chat" })).toBeDisabled();
    await userEvent.click(within(dialog).getByRole("radio", { name: "Coffee machine" }));
    await userEvent.click(within(dialog).getByRole("button", { name: "Link chat" }));
    await waitFor(() => expect(sectionOf("Coffee machine")).toBe("Linked to this record"));
    expect(s.calls).toContain(`createLink:${group.id}`);
  });

  it("routes a one-to-one pick to the explanation", async () => {
    const { s } = setup();
    renderPanel(s);
    await userEvent.click(await screen.findByRole("button", { name: "Link an existing chat to this record" }));
    const dialog = await screen.findByRole("dialog", { name: "Link an existing chat" });
    await userEvent.click(within(dialog).getByRole("radio", { name: /^Lidia Holloway \(one-to-one/ }));
    await userEvent.click(within(dialog).getByRole("button", { name: "Link chat" }));
    const linked = await screen.findByRole("dialog", { name: "New linked chat" });
    expect(within(linked).getByText(/can't get a name or more people in Teams/)).toBeInTheDocument();
  });
});

describe("Introduction message", () => {
  async function startLinkedWith(intro: boolean | "hidden") {
    await userEvent.click(await screen.findByRole("button", { name: "New chat linked to this record" }));
    const dialog = await screen.findByRole("dialog", { name: "New linked chat" });
    await userEvent.type(within(dialog).getByRole("combobox", { name: "Search people by name" }), "Lidia");
    await userEvent.click(await screen.findByRole("option", { name: /Lidia Holloway/ }));
    const box = within(dialog).queryByRole("checkbox", { name: /Send an introduction/ });
    if (intro === "hidden") expect(box).toBeNull();
    else {
      expect(box).toBeChecked();
      if (!intro) await userEvent.click(box!);
    }
    await userEvent.click(within(dialog).getByRole("button", { name: "Start chat" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
  }

  it("sends the record's card, with the admin's fields, escaped, as the first message", async () => {
    const { s } = setup();
    renderPanel(s, { env: { introFields: "ticketnumber, prioritycode" } });
    await startLinkedWith(true);
    await waitFor(() => expect(s.sent).toHaveLength(1));
    expect(s.introRequests).toEqual([["ticketnumber", "prioritycode"]]);
    const html = s.sent[0].html;
    expect(html).toContain("Printer offline after update");
    expect(html).toContain("<strong>Case Number:</strong> CAS-01001-Z2T0D1");
    expect(html).toContain("High &lt;urgent&gt;");
    expect(html).toContain(`href="https://contoso.crm.dynamics.com/main.aspx?pagetype=entityrecord&amp;etn=incident&amp;id=${CASE.id}"`);
    expect(s.calls.indexOf(`sendHtml:${s.sent[0].chatId}`)).toBeGreaterThan(s.calls.findIndex((c) => c.startsWith("createLink:")));
  });

  it("sends nothing when the agent unticks it, and offers nothing when the admin turned it off", async () => {
    const a = setup();
    const first = renderPanel(a.s);
    await startLinkedWith(false);
    await screen.findByText(/is now linked to this record/);
    expect(a.s.sent).toEqual([]);
    first.unmount();

    const b = setup();
    renderPanel(b.s, { env: { introMessage: false } });
    await startLinkedWith("hidden");
    await screen.findByText(/is now linked to this record/);
    expect(b.s.sent).toEqual([]);
  });

  it("warns, without losing the chat, when the introduction cannot be sent", async () => {
    const { s } = setup();
    s.failSend = new ServiceError("forbidden", "no ChatMessage.Send", 403);
    renderPanel(s);
    await startLinkedWith(true);
    expect(await screen.findByText(/its introduction message could not be sent/)).toBeInTheDocument();
    expect(sectionOf("Printer offline after update")).toBe("Linked to this record");
  });
});
