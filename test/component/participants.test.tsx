import * as React from "react";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { ParticipantsDialog, type ParticipantsDialogProps } from "../../TeamsChatPanel/components/conversation/ParticipantsDialog";
import { StringsProvider, makeTranslate } from "../../TeamsChatPanel/app/strings";
import { StoreProvider } from "../../TeamsChatPanel/store/context";
import type { PanelStore } from "../../TeamsChatPanel/store/createPanelStore";
import { createPeopleSlice } from "../../TeamsChatPanel/store/peopleSlice";
import type { PanelState } from "../../TeamsChatPanel/store/types";
import { createStore } from "zustand/vanilla";
import type { ChatMember } from "../../TeamsChatPanel/domain/types";
import { FakeServices, ME } from "../support/fakes";
import { loadResx } from "../support/resx";

const MEMBERS: ChatMember[] = [
  { membershipId: "m-lee", userId: "aad-lee", displayName: "Lee Gu", email: "lee@contoso.test" },
  { membershipId: "m-me", userId: ME.aadObjectId, displayName: ME.fullName, email: ME.upn },
  { membershipId: "m-adele", userId: "aad-adele", displayName: "Adele Vance", email: "adele@contoso.test" },
];

function setup(overrides: Partial<ParticipantsDialogProps> = {}, lcid: 1033 | 1031 = 1033) {
  const services = new FakeServices();
  services.people = [
    { id: "aad-alex", displayName: "Alex Wilber", jobTitle: "Printer specialist" },
    { id: "aad-alan", displayName: "Alan Steiner", email: "alan@contoso.test" },
    { id: "aad-adele", displayName: "Adele Vance" },
  ];
  // The dialog reads only the people search from the store: the real slice over fake services is all it needs.
  const store = createStore<PanelState>()((...a) => ({ me: ME, ...createPeopleSlice(services)(...a) }) as PanelState) as PanelStore;
  const strings = loadResx(lcid);
  const t = makeTranslate((k) => strings[k] ?? k);
  const props: ParticipantsDialogProps = {
    open: true,
    chatName: "Printer escalation",
    chatType: "group",
    members: MEMBERS,
    membersStatus: "ready",
    meId: ME.aadObjectId,
    onRetry: vi.fn(),
    onAdd: vi.fn(async () => true),
    onRemove: vi.fn(async () => true),
    onClose: vi.fn(),
    ...overrides,
  };
  const ui = (p: ParticipantsDialogProps) => (
    <FluentProvider theme={webLightTheme}>
      <StringsProvider value={{ t, locale: lcid === 1031 ? "de-DE" : "en-US" }}>
        <StoreProvider store={store}>
          <ParticipantsDialog {...p} />
        </StoreProvider>
      </StringsProvider>
    </FluentProvider>
  );
  const result = render(ui(props));
  return { ...result, props, services, rerenderWith: (p: Partial<ParticipantsDialogProps>) => result.rerender(ui({ ...props, ...p })) };
}

async function pick(name: string, query: string) {
  const input = screen.getByRole("combobox", { name: "Search people to add" });
  await userEvent.type(input, query);
  await userEvent.click(await screen.findByRole("option", { name: new RegExp(name) }));
}

const rows = () => within(screen.getByRole("list", { name: /In this chat/ })).getAllByRole("listitem");

describe("Participants dialog", () => {
  it("lists everyone sorted by name with email, marks me with (You), and offers Remove for others only", async () => {
    setup();
    const dialog = await screen.findByRole("dialog");
    expect(within(dialog).getByText("People in Printer escalation")).toBeInTheDocument();
    expect(within(dialog).getByRole("heading", { name: "In this chat (3)" })).toBeInTheDocument();
    expect(rows().map((r) => r.textContent)).toEqual([
      expect.stringContaining("Adele Vance"),
      expect.stringContaining("Lee Gu"),
      expect.stringContaining("Megan Bowen (You)"),
    ]);
    expect(within(rows()[1]).getByText("lee@contoso.test")).toBeInTheDocument();
    expect(within(dialog).getByRole("button", { name: "Remove Lee Gu" })).toBeInTheDocument();
    expect(within(dialog).getByRole("button", { name: "Remove Adele Vance" })).toBeInTheDocument();
    expect(within(dialog).queryByRole("button", { name: /Remove Megan Bowen/ })).not.toBeInTheDocument();
  });

  it("asks before removing, calls onRemove with that member, then hides the row and moves focus on", async () => {
    const { props } = setup();
    await userEvent.click(await screen.findByRole("button", { name: "Remove Adele Vance" }));
    const question = screen.getByRole("group", { name: "Remove Adele Vance from this chat?" });
    expect(props.onRemove).not.toHaveBeenCalled();
    // Focus starts on Cancel so a stray Enter removes nobody.
    await waitFor(() => expect(within(question).getByRole("button", { name: "Cancel" })).toHaveFocus());
    await userEvent.click(within(question).getByRole("button", { name: "Yes, remove" }));
    expect(props.onRemove).toHaveBeenCalledTimes(1);
    expect(props.onRemove).toHaveBeenCalledWith(MEMBERS[2]);
    await waitFor(() => expect(screen.queryByText("Adele Vance")).not.toBeInTheDocument());
    expect(screen.getByRole("status")).toHaveTextContent("Adele Vance was removed from the chat.");
    await waitFor(() => expect(screen.getByRole("button", { name: "Remove Lee Gu" })).toHaveFocus());
  });

  it("shows someone again who was removed and then added back (Teams may reuse the membership id)", async () => {
    const without = MEMBERS.filter((m) => m.membershipId !== "m-adele");
    // Like the store: the roster drops the person before the removal resolves.
    const holder: { rerender?: (p: Partial<ParticipantsDialogProps>) => void } = {};
    const { rerenderWith } = setup({
      onRemove: vi.fn(async () => {
        holder.rerender?.({ members: without });
        return true;
      }),
    });
    holder.rerender = rerenderWith;
    await userEvent.click(await screen.findByRole("button", { name: "Remove Adele Vance" }));
    await userEvent.click(screen.getByRole("button", { name: "Yes, remove" }));
    await waitFor(() => expect(screen.queryByText("Adele Vance")).not.toBeInTheDocument());
    rerenderWith({ members: MEMBERS });
    expect(await screen.findByText("Adele Vance")).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "In this chat (3)" })).toBeInTheDocument();
  });

  it("cancelling (or Escape) keeps the person and returns focus to their Remove button; a failed removal says so", async () => {
    const onRemove = vi.fn(async () => false);
    setup({ onRemove });
    await userEvent.click(await screen.findByRole("button", { name: "Remove Lee Gu" }));
    await userEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("group", { name: /from this chat\?/ })).not.toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole("button", { name: "Remove Lee Gu" })).toHaveFocus());

    await userEvent.keyboard("{Enter}");
    await waitFor(() => expect(screen.getByRole("button", { name: "Cancel" })).toHaveFocus());
    await userEvent.keyboard("{Escape}");
    expect(screen.getByRole("dialog")).toBeInTheDocument();
    expect(screen.queryByRole("group", { name: /from this chat\?/ })).not.toBeInTheDocument();
    expect(onRemove).not.toHaveBeenCalled();

    await userEvent.click(screen.getByRole("button", { name: "Remove Lee Gu" }));
    await userEvent.click(screen.getByRole("button", { name: "Yes, remove" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Lee Gu could not be removed. Try again.");
    expect(screen.getByText("Lee Gu")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Yes, remove" })).toBeEnabled();
  });

  it("searches the directory, leaves out people already in the chat, and adds with history from the past 7 days", async () => {
    const { props, services } = setup();
    await screen.findByRole("dialog");
    await userEvent.type(screen.getByRole("combobox", { name: "Search people to add" }), "al");
    expect(await screen.findByRole("option", { name: /Alex Wilber/ })).toBeInTheDocument();
    expect(screen.getByRole("option", { name: /Alan Steiner/ })).toBeInTheDocument();
    // Adele matches "al" too but is in the chat already.
    expect(screen.queryByRole("option", { name: /Adele Vance/ })).not.toBeInTheDocument();
    expect(services.calls).toContain("searchPeople:al");
    await userEvent.click(screen.getByRole("option", { name: /Alex Wilber/ }));
    await pick("Alan Steiner", "ala");
    expect(screen.getByRole("option", { name: "Don't add Alex Wilber" })).toBeInTheDocument();
    expect(screen.getByRole("option", { name: "Don't add Alan Steiner" })).toBeInTheDocument();

    await userEvent.click(screen.getByRole("radio", { name: "Include history from the past number of days" }));
    const days = screen.getByRole("spinbutton", { name: "Number of days" });
    await userEvent.clear(days);
    await userEvent.type(days, "7");
    await userEvent.click(screen.getByRole("button", { name: "Add" }));
    expect(props.onAdd).toHaveBeenCalledWith(
      [expect.objectContaining({ id: "aad-alex" }), expect.objectContaining({ id: "aad-alan" })],
      "days",
      7,
    );
    expect(await screen.findByRole("status")).toHaveTextContent("Added Alex Wilber, Alan Steiner.");
    // The picks are cleared once added.
    expect(screen.queryByRole("option", { name: /^Don't add/ })).not.toBeInTheDocument();
  });

  it("passes no day count for 'none' (the default) and 'all'", async () => {
    const { props } = setup();
    await screen.findByRole("dialog");
    expect(screen.getByRole("radio", { name: "Don't include chat history" })).toBeChecked();
    await pick("Alex Wilber", "alex");
    await userEvent.click(screen.getByRole("button", { name: "Add" }));
    expect(props.onAdd).toHaveBeenLastCalledWith([expect.objectContaining({ id: "aad-alex" })], "none", undefined);

    await pick("Alan Steiner", "alan");
    await userEvent.click(screen.getByRole("radio", { name: "Include all chat history" }));
    await userEvent.click(screen.getByRole("button", { name: "Add" }));
    expect(props.onAdd).toHaveBeenLastCalledWith([expect.objectContaining({ id: "aad-alan" })], "all", undefined);
  });

  it("rejects a day count outside 1–365 inline and keeps the picks", async () => {
    const { props } = setup();
    await screen.findByRole("dialog");
    await pick("Alex Wilber", "alex");
    await userEvent.click(screen.getByRole("radio", { name: "Include history from the past number of days" }));
    const days = screen.getByRole("spinbutton", { name: "Number of days" });
    await userEvent.clear(days);
    await userEvent.type(days, "400");
    expect(screen.getByText("Enter a whole number from 1 to 365.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Add" }));
    expect(props.onAdd).not.toHaveBeenCalled();
    expect(days).toHaveFocus();
    expect(screen.getByRole("option", { name: "Don't add Alex Wilber" })).toBeInTheDocument();

    await userEvent.clear(days);
    expect(screen.getByText("Enter a whole number from 1 to 365.")).toBeInTheDocument();
    await userEvent.type(days, "30");
    expect(screen.queryByText("Enter a whole number from 1 to 365.")).not.toBeInTheDocument();
    await userEvent.keyboard("{Enter}");
    expect(props.onAdd).toHaveBeenCalledWith([expect.objectContaining({ id: "aad-alex" })], "days", 30);
  });

  it("shows a spinner while adding and, when adding fails, an error with the picks and the choice kept", async () => {
    let finish: (ok: boolean) => void = () => undefined;
    const onAdd = vi.fn(() => new Promise<boolean>((r) => (finish = r)));
    setup({ onAdd });
    await screen.findByRole("dialog");
    await pick("Alex Wilber", "alex");
    await userEvent.click(screen.getByRole("radio", { name: "Include all chat history" }));
    await userEvent.click(screen.getByRole("button", { name: "Add" }));
    const busy = screen.getByRole("button", { name: /Adding/ });
    expect(busy).toBeDisabled();
    expect(screen.getByRole("button", { name: "Close" })).toBeDisabled();
    finish(false);
    expect(await screen.findByRole("alert")).toHaveTextContent("The people you picked could not be added. Your choices are kept: try again.");
    expect(screen.getByRole("option", { name: "Don't add Alex Wilber" })).toBeInTheDocument();
    expect(screen.getByRole("radio", { name: "Include all chat history" })).toBeChecked();
    expect(screen.getByRole("button", { name: "Add" })).toBeEnabled();
  });

  it("explains that a one-to-one chat cannot take more people, with nothing to add or remove", async () => {
    setup({ chatType: "oneOnOne", members: [MEMBERS[0], MEMBERS[1]] });
    const dialog = await screen.findByRole("dialog");
    expect(within(dialog).getByText(/does not let you add people to a one-to-one chat.*start a group chat with Lee Gu/)).toBeInTheDocument();
    expect(within(dialog).queryByRole("combobox")).not.toBeInTheDocument();
    expect(within(dialog).queryByRole("button", { name: /^Remove/ })).not.toBeInTheDocument();
    expect(within(dialog).queryByRole("button", { name: "Add" })).not.toBeInTheDocument();
    expect(within(dialog).queryByRole("button", { name: "Start a group chat" })).not.toBeInTheDocument();
  });

  it("offers a group chat with the picked people from a one-to-one chat when the panel can start one", async () => {
    const onStartGroup = vi.fn();
    setup({ chatType: "oneOnOne", members: [MEMBERS[0], MEMBERS[1]], onStartGroup });
    await screen.findByRole("dialog");
    await pick("Alex Wilber", "alex");
    await userEvent.click(screen.getByRole("button", { name: "Start a group chat" }));
    expect(onStartGroup).toHaveBeenCalledWith([expect.objectContaining({ id: "aad-alex" })]);
  });

  it("shows loading, and a failure with Try again", async () => {
    const { props, rerenderWith } = setup({ membersStatus: "loading", members: [] });
    expect(await screen.findByText("Loading the people in this chat…")).toBeInTheDocument();
    rerenderWith({ membersStatus: "error", members: [] });
    expect(await screen.findByText("The people in this chat could not be loaded.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(props.onRetry).toHaveBeenCalledTimes(1);
  });

  it("closes with the Close button and speaks German", async () => {
    const { props } = setup({}, 1031);
    const dialog = await screen.findByRole("dialog");
    expect(within(dialog).getByText("Megan Bowen (Sie)")).toBeInTheDocument();
    expect(within(dialog).getByRole("button", { name: "Lee Gu entfernen" })).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole("button", { name: "Schließen" }));
    expect(props.onClose).toHaveBeenCalledTimes(1);
  });
});
