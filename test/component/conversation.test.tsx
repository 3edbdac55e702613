import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ServiceError } from "../../TeamsChatPanel/services/errors";
import { FakeServices, ME, chat, message } from "../support/fakes";
import { renderPanel } from "./render";

function setup() {
  const s = new FakeServices();
  const alex = chat({ others: ["Alex Wilber"] });
  const team = chat({ topic: "Escalation", others: ["Lee Gu", "Adele Vance"] });
  s.pages = [[alex, team]];
  s.messages.set(alex.id, [
    message(alex.id, { minutesAgo: 3, text: "<b>Bold</b> news", importance: "urgent" }),
    message(alex.id, { minutesAgo: 4, fromName: ME.fullName, text: "My question" }),
    message(alex.id, { minutesAgo: 30, text: "Earlier <script>alert(1)</script>thought", editedDateTime: "2026-11-28T09:40:00.000Z" }),
  ]);
  s.messages.set(team.id, [message(team.id, { minutesAgo: 2, fromName: "Lee Gu", text: "Team note" })]);
  return { s, alex, team };
}

async function openRow(name: RegExp) {
  await userEvent.click(await screen.findByRole("button", { name }));
  return screen.findByTestId("conversation");
}

describe("Conversation view", () => {
  it("shows a chat's messages safely, with sender, markers and a tab", async () => {
    const { s } = setup();
    renderPanel(s);
    const view = await openRow(/^Alex Wilber/);
    const list = within(view).getByRole("region", { name: "Messages in Alex Wilber" });
    expect(await within(list).findByText("news")).toBeInTheDocument();
    expect(within(list).getByText("Bold").tagName).toBe("B");
    expect(within(list).getByText("Urgent")).toBeInTheDocument();
    expect(within(list).getByText("Edited")).toBeInTheDocument();
    expect(view.querySelector("script")).toBeNull();
    expect(screen.getByRole("tab", { name: "Alex Wilber" })).toHaveAttribute("aria-selected", "true");
    expect(screen.getByRole("textbox", { name: "Message Alex Wilber" })).toBeInTheDocument();
    // The row that had focus is hidden now: focus moved into the chat.
    await waitFor(() => expect(list).toHaveFocus());
  });

  it("switches between open chats as tabs and back to the list", async () => {
    const { s } = setup();
    renderPanel(s);
    await openRow(/^Alex Wilber/);
    await userEvent.click(screen.getByRole("tab", { name: "All chats" }));
    const team = await openRow(/^Escalation/);
    expect(await within(team).findByText("Team note")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("tab", { name: "Alex Wilber" }));
    expect(await screen.findByText("My question")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Close Alex Wilber" }));
    expect(screen.queryByRole("tab", { name: "Alex Wilber" })).not.toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole("tab", { name: "Escalation" })).toHaveFocus());
    expect(await screen.findByText("Team note")).toBeInTheDocument();
  });

  it("a failed send stays in the chat with Retry and Delete", async () => {
    const { s, alex } = setup();
    const { store } = renderPanel(s);
    await openRow(/^Alex Wilber/);
    s.sendFailures = [new ServiceError("forbidden", "no", 403)];
    await act(() => store.getState().sendMessage(alex.id, { clientId: "x1", html: "<p>Will it go?</p>", importance: "normal", mentions: [], hostedContents: [], files: [] }));
    const failed = await screen.findByText("Not sent: you can no longer post in this chat.");
    const item = failed.closest("[data-outgoing]") as HTMLElement;
    expect(within(item).getByText("Will it go?")).toBeInTheDocument();
    await userEvent.click(within(item).getByRole("button", { name: "Retry" }));
    await waitFor(() => expect(document.querySelector("[data-outgoing]")).toBeNull());
    expect(s.posted.map((p) => p.message.clientId)).toEqual(["x1"]);
    expect(await screen.findByText("Will it go?")).toBeInTheDocument();

    s.sendFailures = [new ServiceError("invalid", "bad", 400)];
    await act(() => store.getState().sendMessage(alex.id, { clientId: "x2", html: "<p>Drop me</p>", importance: "normal", mentions: [], hostedContents: [], files: [] }));
    const second = (await screen.findByText("Drop me")).closest("[data-outgoing]") as HTMLElement;
    await userEvent.click(within(second).getByRole("button", { name: "Delete" }));
    expect(screen.queryByText("Drop me")).not.toBeInTheDocument();
  });

  it("a message arriving in a background tab counts as unread there", async () => {
    const { s, alex, team } = setup();
    const { store } = renderPanel(s);
    await openRow(/^Alex Wilber/);
    await userEvent.click(screen.getByRole("tab", { name: "All chats" }));
    await openRow(/^Escalation/);
    const news = message(alex.id, { createdDateTime: "2026-11-28T10:01:00.000Z", text: "Are you there?" });
    s.messages.set(alex.id, [news, ...(s.messages.get(alex.id) ?? [])]);
    act(() => {
      store.getState().applyLiveMessage(alex.id, "created", news, { createdDateTime: news.createdDateTime, senderId: news.from?.id, senderName: news.from?.displayName, kind: "text", text: "Are you there?" });
    });
    expect(screen.getByRole("tab", { name: "Alex Wilber, 1 unread" })).toBeInTheDocument();
    await userEvent.click(screen.getByRole("tab", { name: "Alex Wilber, 1 unread" }));
    expect(await screen.findByText("Are you there?")).toBeInTheDocument();
    expect(screen.getByRole("tab", { name: "Alex Wilber" })).toBeInTheDocument();
    expect(store.getState().conversations[team.id].unread).toBe(0);
  });

  it("says so when the chat cannot be read, and retries", async () => {
    const { s } = setup();
    s.failMessages = new ServiceError("forbidden", "no", 403);
    renderPanel(s);
    const view = await openRow(/^Alex Wilber/);
    expect(await within(view).findByText("You are no longer in this chat, or it was deleted.")).toBeInTheDocument();
    s.failMessages = undefined;
    await userEvent.click(within(view).getByRole("button", { name: "Try again" }));
    expect(await within(view).findByText("My question")).toBeInTheDocument();
  });

  it("opens the people dialog with the chat's members", async () => {
    const { s, team } = setup();
    s.members.set(team.id, [
      { membershipId: "m1", userId: ME.aadObjectId, displayName: ME.fullName },
      { membershipId: "m2", userId: "aad-Lee Gu", displayName: "Lee Gu" },
    ]);
    renderPanel(s);
    const view = await openRow(/^Escalation/);
    await userEvent.click(within(view).getByRole("button", { name: /people in this chat$/ }));
    const dialog = await screen.findByRole("dialog");
    expect(await within(dialog).findByText(`${ME.fullName} (You)`)).toBeInTheDocument();
    expect(within(dialog).getByRole("button", { name: "Remove Lee Gu" })).toBeInTheDocument();
  });
});
