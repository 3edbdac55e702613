import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ServiceError, AuthRequiredError } from "../../TeamsChatPanel/services/errors";
import { ACCOUNT, CASE, FakeServices, chat, link } from "../support/fakes";
import { renderPanel } from "./render";

function demo() {
  const s = new FakeServices();
  const here = chat({ topic: "Printer escalation", others: ["Alex Wilber", "Lee Gu"] });
  const elsewhere = chat({ others: ["Diego Siciliani"] });
  const other = chat({ others: ["Adele Vance"] });
  s.pages = [[here, elsewhere, other]];
  s.linkRows = [link(here.id, CASE), link(elsewhere.id, ACCOUNT)];
  s.titleRows = [{ ...ACCOUNT, title: "Fourth Coffee", tableDisplayName: "Account" }];
  return { s, here, elsewhere, other };
}

function sectionOf(name: string): string {
  const row = screen.getByRole("button", { name: new RegExp(`^${name}`) });
  // Walk back through the rows to the nearest section header.
  let el: Element | null = row.closest("[data-index]");
  while (el) {
    const header = el.querySelector("h3");
    if (header) return header.textContent ?? "";
    el = el.previousElementSibling;
  }
  return "";
}

describe("Chat tab", () => {
  it("lists chats in the three sections with the other record named", async () => {
    const { s } = demo();
    renderPanel(s);
    expect(await screen.findByRole("button", { name: /^Printer escalation/ })).toBeInTheDocument();
    expect(sectionOf("Printer escalation")).toBe("Linked to this record (1)");
    expect(sectionOf("Diego Siciliani")).toBe("Linked to other records (1)");
    expect(sectionOf("Adele Vance")).toBe("Other chats (1)");
    expect(await screen.findByRole("button", { name: "Open Account: Fourth Coffee" })).toBeInTheDocument();
  });

  it("opens the linked record through the host", async () => {
    const { s } = demo();
    const { host } = renderPanel(s);
    await userEvent.click(await screen.findByRole("button", { name: "Open Account: Fourth Coffee" }));
    expect(host.openRecord).toHaveBeenCalledWith(ACCOUNT);
  });

  it("opens a chat in the panel from its row, and in Teams from its menu", async () => {
    const { s, other } = demo();
    const { host } = renderPanel(s);
    await userEvent.click(await screen.findByRole("button", { name: /^Adele Vance/ }));
    expect(await screen.findByTestId("conversation")).toHaveAttribute("data-chat-id", other.id);
    expect(host.openUrl).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole("tab", { name: "All chats" }));
    await userEvent.click(await screen.findByRole("button", { name: "More options for Adele Vance" }));
    await userEvent.click(await screen.findByRole("menuitem", { name: "Open in Teams" }));
    expect(host.openUrl).toHaveBeenCalledWith(other.webUrl);
  });

  it("narrows every section as the filter is typed, accent- and case-insensitively", async () => {
    const { s } = demo();
    renderPanel(s);
    await screen.findByRole("button", { name: /^Adele Vance/ });
    await userEvent.type(screen.getByRole("searchbox", { name: "Filter chats by name" }), "ADÈLE");
    expect(screen.getByRole("button", { name: /^Adele Vance/ })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /^Printer escalation/ })).not.toBeInTheDocument();
    expect(screen.getAllByText("No chats match the filter.")).toHaveLength(2);
  });

  it("shows a designed error state with retry when Graph fails, and recovers", async () => {
    const { s } = demo();
    s.failChats = new ServiceError("service", "boom", 500);
    renderPanel(s);
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText("Your chats could not be loaded")).toBeInTheDocument();
    s.failChats = undefined;
    await userEvent.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("button", { name: /^Adele Vance/ })).toBeInTheDocument();
  });

  it("asks to sign in when Graph needs authentication", async () => {
    const { s } = demo();
    s.failChats = new AuthRequiredError();
    renderPanel(s);
    expect(await screen.findByRole("button", { name: "Sign in to Teams" })).toBeInTheDocument();
    expect(screen.getByText("Sign in to see your Teams chats")).toBeInTheDocument();
  });

  it("still lists chats when links cannot be loaded, says so, and retries", async () => {
    const { s } = demo();
    s.failLinks = new ServiceError("service", "dataverse down", 500);
    renderPanel(s);
    expect(await screen.findByText(/Links to records could not be loaded/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: /^Printer escalation/ })).toBeInTheDocument();
    expect(screen.queryByText(/Linked to this record/)).not.toBeInTheDocument();
    s.failLinks = undefined;
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(sectionOf("Printer escalation")).toBe("Linked to this record (1)"));
    expect(screen.queryByText(/Links to records could not be loaded/)).not.toBeInTheDocument();
  });

  it("says to save the record first when it has no id, and calls nothing", async () => {
    const { s } = demo();
    renderPanel(s, { record: null });
    expect(await screen.findByText("Save the record first")).toBeInTheDocument();
    expect(s.calls).toEqual([]);
  });

  it("shows a skeleton while loading", async () => {
    const { s } = demo();
    let release!: () => void;
    s.holdList = new Promise<void>((r) => (release = r));
    renderPanel(s);
    expect(screen.getByTestId("chat-skeleton")).toBeInTheDocument();
    await act(async () => release());
    expect(await screen.findByRole("button", { name: /^Adele Vance/ })).toBeInTheDocument();
    expect(screen.queryByTestId("chat-skeleton")).not.toBeInTheDocument();
  });

  it("shows an empty state when the user has no chats", async () => {
    const s = new FakeServices();
    renderPanel(s);
    expect(await screen.findByText("No chats yet")).toBeInTheDocument();
  });

  it("loads the next page when the list is scrolled to its end", async () => {
    const s = new FakeServices();
    s.pages = [[chat({ others: ["First Page"] })], [chat({ others: ["Second Page"] })]];
    renderPanel(s);
    // A one-row first page already shows the list's end: the next page is fetched.
    expect(await screen.findByRole("button", { name: /^Second Page/ })).toBeInTheDocument();
    expect(s.calls.filter((c) => c.startsWith("listChats"))).toEqual(["listChats:", "listChats:1"]);
  });

  it("offers retry when a further page fails", async () => {
    const s = new FakeServices();
    s.pages = [[chat({ others: ["First Page"] })], [chat({ others: ["Second Page"] })]];
    s.failMore = new ServiceError("service", "x", 503);
    renderPanel(s);
    expect(await screen.findByText("More chats could not be loaded.")).toBeInTheDocument();
    s.failMore = undefined;
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("button", { name: /^Second Page/ })).toBeInTheDocument();
  });

  it("moves between rows with the arrow keys and keeps one tab stop", async () => {
    const { s } = demo();
    renderPanel(s);
    const first = await screen.findByRole("button", { name: /^Linked to this record/ });
    first.focus();
    await userEvent.keyboard("{ArrowDown}");
    expect(screen.getByRole("button", { name: /^Printer escalation/ })).toHaveFocus();
    await userEvent.keyboard("{End}");
    expect(screen.getByRole("button", { name: /^Adele Vance/ })).toHaveFocus();
    const tabbable = screen.getAllByRole("button").filter((b) => b.closest("[role=list]") && b.getAttribute("tabindex") === "0");
    // The active row's main button and its menu button.
    expect(tabbable.map((b) => b.getAttribute("aria-label") ?? b.querySelector("[data-chat-name]")?.textContent)).toEqual(["Adele Vance", "More options for Adele Vance"]);
  });

  it("collapses a section from its header", async () => {
    const { s } = demo();
    renderPanel(s);
    const header = await screen.findByRole("button", { name: /^Other chats/ });
    expect(header).toHaveAttribute("aria-expanded", "true");
    await userEvent.click(header);
    expect(header).toHaveAttribute("aria-expanded", "false");
    expect(screen.queryByRole("button", { name: /^Adele Vance/ })).not.toBeInTheDocument();
  });

  it("speaks German when the user's language is German", async () => {
    const { s } = demo();
    renderPanel(s, { lcid: 1031 });
    expect(await screen.findByRole("button", { name: /^Mit diesem Datensatz verknüpft/ })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Neuer Chat" })).toBeInTheDocument();
  });
});
