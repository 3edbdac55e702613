import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ServiceError } from "../../TeamsChatPanel/services/errors";
import { FakeServices, chat } from "../support/fakes";
import { renderPanel } from "./render";

function setup() {
  const s = new FakeServices();
  s.pages = [[chat({ others: ["Adele Vance"] })]];
  s.people = [
    { id: "aad-alex", displayName: "Alex Wilber", jobTitle: "Printer specialist" },
    { id: "aad-lee", displayName: "Lee Gu", jobTitle: "Network engineer" },
    { id: "aad-lidia", displayName: "Lidia Holloway" },
  ];
  return s;
}

/** The button is disabled while the list loads; wait for the list, then open the dialog. */
async function openDialog() {
  await screen.findByRole("button", { name: /^Adele Vance/ });
  await userEvent.click(screen.getByRole("button", { name: "New chat" }));
  return screen.findByRole("dialog");
}

async function pick(name: string, query: string) {
  const input = screen.getByRole("combobox", { name: "Search people by name" });
  await userEvent.type(input, query);
  await userEvent.click(await screen.findByRole("option", { name: new RegExp(name) }));
}

describe("New chat", () => {
  it("searches the directory as you type and starts a one-to-one chat that is then focused in the list", async () => {
    const s = setup();
    renderPanel(s);
    const dialog = await openDialog();
    await pick("Alex Wilber", "ale");
    expect(s.calls).toContain("searchPeople:ale");
    expect(within(dialog).getByText(/A chat with just Alex Wilber/)).toBeInTheDocument();
    expect(within(dialog).queryByRole("textbox", { name: /Group name/ })).not.toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole("button", { name: "Start chat" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(s.created).toEqual([{ meId: "aad-me", memberIds: ["aad-alex"], topic: undefined }]);
    await waitFor(() => expect(screen.getByRole("button", { name: /^Alex Wilber/ })).toHaveFocus());
  });

  it("validates a group name inline and keeps the picks when creating fails", async () => {
    const s = setup();
    renderPanel(s);
    const dialog = await openDialog();
    await pick("Alex Wilber", "al");
    await pick("Lee Gu", "lee");
    const name = within(dialog).getByRole("textbox", { name: /Group name/ });
    await userEvent.type(name, "Case 42: printer");
    expect(within(dialog).getByText(/does not allow a colon/)).toBeInTheDocument();
    expect(within(dialog).getByRole("button", { name: "Start chat" })).toBeDisabled();
    await userEvent.clear(name);
    await userEvent.type(name, "Case 42 - printer");
    expect(within(dialog).queryByText(/does not allow a colon/)).not.toBeInTheDocument();

    s.failCreate = new ServiceError("service", "boom", 500);
    await userEvent.click(within(dialog).getByRole("button", { name: "Start chat" }));
    expect(await within(dialog).findByRole("alert")).toHaveTextContent(/could not be started\. Your choices are kept/);
    expect(within(dialog).getByText("Alex Wilber")).toBeInTheDocument();
    expect(within(dialog).getByText("Lee Gu")).toBeInTheDocument();
    expect(name).toHaveValue("Case 42 - printer");

    s.failCreate = undefined;
    await userEvent.click(within(dialog).getByRole("button", { name: "Start chat" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(s.created[0]).toEqual({ meId: "aad-me", memberIds: ["aad-alex", "aad-lee"], topic: "Case 42 - printer" });
    expect(await screen.findByRole("button", { name: /^Case 42 - printer/ })).toBeInTheDocument();
  });

  it("rejects a name over 250 characters and says how long it is", async () => {
    const s = setup();
    renderPanel(s);
    const dialog = await openDialog();
    await pick("Alex Wilber", "al");
    await pick("Lee Gu", "lee");
    const name = within(dialog).getByRole("textbox", { name: /Group name/ });
    await userEvent.click(name);
    await userEvent.paste("x".repeat(251));
    expect(within(dialog).getByText("Teams allows at most 250 characters; this name has 251. Shorten it.")).toBeInTheDocument();
    expect(within(dialog).getByRole("button", { name: "Start chat" })).toBeDisabled();
  });

  it("tells the user when nobody matches", async () => {
    const s = setup();
    renderPanel(s);
    await openDialog();
    await userEvent.type(screen.getByRole("combobox", { name: "Search people by name" }), "zzz");
    expect(await screen.findByText("Nobody found for \u201czzz\u201d.")).toBeInTheDocument();
  });

  it("returns focus to the New chat button when cancelled", async () => {
    const s = setup();
    renderPanel(s);
    const dialog = await openDialog();
    const button = screen.getByRole("button", { name: "New chat" });
    await userEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(button).toHaveFocus());
  });
});
