import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ServiceError } from "../../TeamsChatPanel/services/errors";
import { CASE, FakeServices } from "../support/fakes";
import { renderPanel } from "./render";

async function openChannelTab() {
  await userEvent.click(screen.getByRole("tab", { name: "Channel" }));
  await screen.findByTestId("channels-empty");
}

async function openDialog() {
  await openChannelTab();
  await userEvent.click(screen.getByRole("button", { name: "Collaborate with Microsoft Teams" }));
  const dialog = await screen.findByRole("dialog");
  await within(dialog).findByRole("radio", { name: "Contoso Support" });
  return dialog;
}

describe("Collaborate with Microsoft Teams", () => {
  it("proposes a channel name from the record title, creates the channel in the picked team and lists it", async () => {
    const s = new FakeServices();
    const { host } = renderPanel(s);
    const dialog = await openDialog();
    const name = within(dialog).getByRole("textbox", { name: /Channel name/ });
    expect(name).toHaveValue("Printer offline after update");
    // An archived team takes no new channels, so it is not offered for creating one.
    expect(within(dialog).queryByRole("radio", { name: /Windows 11 Rollout/ })).not.toBeInTheDocument();
    await userEvent.type(within(dialog).getByRole("textbox", { name: "Filter teams" }), "print");
    expect(within(dialog).queryByRole("radio", { name: "Contoso Support" })).not.toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole("radio", { name: "Printer Fleet Experts" }));
    await userEvent.click(within(dialog).getByRole("button", { name: "Create and link" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(s.channels.calls).toContain("createChannel:team-printers:Printer offline after update");
    expect(s.linkRows).toEqual([expect.objectContaining({ kind: "channel", teamId: "team-printers", record: CASE })]);
    const list = screen.getByRole("list", { name: "Channels linked to this record" });
    expect(within(list).getByText("Printer offline after update")).toBeInTheDocument();
    expect(within(list).getByText("Printer Fleet Experts")).toBeInTheDocument();
    expect(screen.getByTestId("channel-notice")).toHaveTextContent(/was created in Printer Fleet Experts and linked/);
    // The introduction card went to the new channel.
    expect(s.channels.posted).toHaveLength(1);
    // Focus goes back to the button that opened the dialog.
    await waitFor(() => expect(screen.getByRole("button", { name: "Collaborate with Microsoft Teams" })).toHaveFocus());
    await userEvent.click(within(list).getByRole("button", { name: "Open Printer offline after update in Teams" }));
    expect(host.openUrl).toHaveBeenCalledWith(expect.stringContaining("teams.microsoft.com/l/channel/"));
  });

  it("explains a name Teams would refuse and keeps the dialog and the input", async () => {
    const s = new FakeServices();
    renderPanel(s);
    const dialog = await openDialog();
    const name = within(dialog).getByRole("textbox", { name: /Channel name/ });
    await userEvent.clear(name);
    await userEvent.type(name, "Fabrikam: printers / toner?");
    expect(within(dialog).getByText("Teams does not allow these characters in a channel name: : / ?")).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole("radio", { name: "Contoso Support" }));
    await userEvent.click(within(dialog).getByRole("button", { name: "Create and link" }));
    expect(s.channels.calls.some((c) => c.startsWith("createChannel"))).toBe(false);
    expect(name).toHaveValue("Fabrikam: printers / toner?");
  });

  it("shows Teams' duplicate-name refusal in plain words and keeps what was typed", async () => {
    const s = new FakeServices();
    renderPanel(s);
    const dialog = await openDialog();
    const name = within(dialog).getByRole("textbox", { name: /Channel name/ });
    await userEvent.clear(name);
    await userEvent.type(name, "Escalations");
    await userEvent.click(within(dialog).getByRole("radio", { name: "Contoso Support" }));
    await userEvent.click(within(dialog).getByRole("button", { name: "Create and link" }));
    expect(await within(dialog).findByRole("alert")).toHaveTextContent('Contoso Support already has a channel named "Escalations"');
    expect(name).toHaveValue("Escalations");
    expect(s.linkRows).toHaveLength(0);
  });

  it("links an existing channel: team, then channel, then Start collaboration", async () => {
    const s = new FakeServices();
    renderPanel(s);
    const dialog = await openDialog();
    await userEvent.click(within(dialog).getByRole("radio", { name: "Link an existing channel" }));
    await userEvent.click(within(dialog).getByRole("radio", { name: "Contoso Support" }));
    await userEvent.click(await within(dialog).findByRole("radio", { name: "Escalations" }));
    await userEvent.click(within(dialog).getByRole("button", { name: "Start collaboration" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(s.linkRows).toEqual([expect.objectContaining({ kind: "channel", chatId: "ch-esc", teamId: "team-support" })]);
    expect(s.channels.calls.some((c) => c.startsWith("createChannel"))).toBe(false);
    expect(screen.getByRole("list", { name: "Channels linked to this record" })).toHaveTextContent("Escalations");
  });

  it("says when the user cannot create a channel in the team", async () => {
    const s = new FakeServices();
    s.channels.failCreate = new ServiceError("forbidden", "Forbidden", 403);
    renderPanel(s);
    const dialog = await openDialog();
    await userEvent.click(within(dialog).getByRole("radio", { name: "Contoso Support" }));
    await userEvent.click(within(dialog).getByRole("button", { name: "Create and link" }));
    expect(await within(dialog).findByRole("alert")).toHaveTextContent("Teams did not let you create a channel in Contoso Support");
  });
});

describe("Channel tab", () => {
  it("shows archived and unreachable channels as such and lets them be unlinked", async () => {
    const s = new FakeServices();
    s.linkRows.push({ id: "l2", kind: "channel", chatId: "ch-pilot", teamId: "team-old", record: CASE }, { id: "l3", kind: "channel", chatId: "ch-x", teamId: "team-other", record: CASE });
    renderPanel(s);
    await userEvent.click(screen.getByRole("tab", { name: "Channel" }));
    const list = await screen.findByRole("list", { name: "Channels linked to this record" });
    await within(list).findByText("Archived team (read-only)");
    expect(within(list).getByText("A channel you can't open")).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    await userEvent.click(within(list).getByRole("button", { name: "Unlink A channel you can't open" }));
    const confirm = await screen.findByRole("dialog", { name: "Unlink this channel?" });
    await userEvent.click(within(confirm).getByRole("button", { name: "Cancel" }));
    expect(s.deletedLinks).toEqual([]);
    await waitFor(() => expect(within(list).getByRole("button", { name: "Unlink A channel you can't open" })).toHaveFocus());
    await userEvent.click(within(list).getByRole("button", { name: "Unlink A channel you can't open" }));
    await userEvent.click(within(await screen.findByRole("dialog", { name: "Unlink this channel?" })).getByRole("button", { name: "Unlink" }));
    await waitFor(() => expect(s.deletedLinks).toEqual(["l3"]));
  });

  it("reads a linked channel in the panel and replies to a post", async () => {
    const s = new FakeServices();
    s.linkRows.push({ id: "l1", kind: "channel", chatId: "ch-esc", teamId: "team-support", record: CASE });
    const at = "2026-11-27T09:00:00.000Z";
    s.channels.posts["ch-esc"] = [{ id: "p1", chatId: "ch-esc", kind: "message", createdDateTime: at, lastModifiedDateTime: at, importance: "normal", from: { id: "u1", displayName: "Priya Shah" }, body: { contentType: "html", content: "<p>Fabrikam escalated<img src=x onerror=alert(1)></p>" }, attachments: [], mentions: [], replies: [] }];
    renderPanel(s);
    await userEvent.click(screen.getByRole("tab", { name: "Channel" }));
    await userEvent.click(await screen.findByRole("button", { name: /^Open Escalations in the panel/ }));
    const view = await screen.findByTestId("channel-view");
    expect(await within(view).findByText("Fabrikam escalated")).toBeInTheDocument();
    expect(view.querySelector("[onerror]")).toBeNull();
    await userEvent.click(within(view).getByRole("button", { name: "Reply to Priya Shah" }));
    expect(within(view).getByText("Replying to Priya Shah")).toBeInTheDocument();
    await userEvent.click(within(view).getByRole("button", { name: "Back to linked channels" }));
    await waitFor(() => expect(screen.getByRole("button", { name: /^Open Escalations in the panel/ })).toHaveFocus());
  });

  it("explains and offers Open in Teams when reading in the panel is off", async () => {
    const s = new FakeServices();
    s.linkRows.push({ id: "l1", kind: "channel", chatId: "ch-esc", teamId: "team-support", record: CASE });
    renderPanel(s, { env: { channelReading: false } });
    await userEvent.click(screen.getByRole("tab", { name: "Channel" }));
    const list = await screen.findByRole("list", { name: "Channels linked to this record" });
    await within(list).findByText("Escalations");
    expect(screen.getByText("Your administrator has set linked channels to open in Teams.")).toBeInTheDocument();
    expect(within(list).queryByRole("button", { name: /in the panel/ })).not.toBeInTheDocument();
    expect(within(list).getByRole("button", { name: "Open Escalations in Teams" })).toBeInTheDocument();
  });
});
