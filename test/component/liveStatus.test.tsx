import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { LiveHandlers, LiveInfo, LiveUpdates } from "../../TeamsChatPanel/services/realtime/live";
import { FakeServices, chat } from "../support/fakes";
import { renderPanel } from "./render";

function services() {
  const s = new FakeServices();
  s.pages = [[chat({ others: ["Alex Wilber"] }), chat({ others: ["Adele Vance"] })]];
  return s;
}

function fakeLive(info: Partial<LiveInfo> = {}) {
  const ref: { handlers?: LiveHandlers; info: LiveInfo } = { info: { status: { state: "connecting" }, relayUrl: "https://relay.contoso.test", ...info } };
  const factory = (handlers: LiveHandlers): LiveUpdates => {
    ref.handlers = handlers;
    return { start: () => undefined, reconnect: () => undefined, info: () => ref.info, dispose: () => undefined };
  };
  return { ref, factory };
}

describe("live status above the chat list", () => {
  it("without a relay: says when the list was updated, that live updates are paused and why, and refreshes from the keyboard", async () => {
    const s = services();
    renderPanel(s);
    expect(await screen.findByRole("button", { name: /^Alex Wilber/ })).toBeInTheDocument();
    expect(screen.getByTestId("live-updated")).toHaveTextContent("Updated just now");
    expect(screen.getByTestId("live-paused")).toHaveTextContent("Live updates paused: not set up in this environment. The list refreshes when you come back to it or press Refresh.");
    const refresh = screen.getByRole("button", { name: "Refresh chats" });
    s.calls = [];
    refresh.focus();
    await userEvent.keyboard("{Enter}");
    await waitFor(() => expect(s.calls).toContain("listChats:"));
    s.calls = [];
    await userEvent.keyboard(" ");
    await waitFor(() => expect(s.calls).toContain("listChats:"));
  });

  it("in German", async () => {
    renderPanel(services(), { lcid: 1031 });
    expect(await screen.findByText("Aktualisiert gerade eben")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Chats aktualisieren" })).toBeInTheDocument();
    expect(screen.getByTestId("live-paused")).toHaveTextContent("Liveaktualisierung angehalten: in dieser Umgebung nicht eingerichtet.");
  });

  it("while live: says so and shows no paused line; when the relay drops: says why", async () => {
    const live = fakeLive();
    renderPanel(services(), { live: live.factory });
    expect(await screen.findByRole("button", { name: /^Alex Wilber/ })).toBeInTheDocument();
    act(() => live.ref.handlers?.onStatus({ state: "live" }));
    expect(screen.getByTestId("live-updated")).toHaveTextContent("Live updates on");
    expect(screen.queryByTestId("live-paused")).not.toBeInTheDocument();
    act(() => live.ref.handlers?.onStatus({ state: "paused", reason: "unreachable" }));
    expect(screen.getByTestId("live-paused")).toHaveTextContent("Live updates paused: the live-updates service can't be reached.");
    expect(screen.getByTestId("live-updated")).toHaveTextContent("Updated just now");
    act(() => live.ref.handlers?.onStatus({ state: "paused", reason: "unauthorized" }));
    expect(screen.getByTestId("live-paused")).toHaveTextContent("sign-in to the live-updates service was refused");
  });

  it("Diagnostics has a line for live updates that says how to fix it", async () => {
    const live = fakeLive({ status: { state: "paused", reason: "unauthorized" } });
    renderPanel(services(), { live: live.factory, env: { showDiagnostics: true } });
    expect(await screen.findByRole("button", { name: /^Alex Wilber/ })).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "More options" }));
    await userEvent.click(await screen.findByRole("menuitem", { name: "Diagnostics" }));
    const list = await screen.findByTestId("diagnostics");
    await waitFor(() => expect(list.querySelector('[data-check="live"]')).not.toBeNull());
    const line = list.querySelector('[data-check="live"]') as HTMLElement;
    expect(line).toHaveAttribute("data-status", "error");
    expect(within(line).getByText(/access_as_user/)).toBeInTheDocument();
    live.ref.info = { status: { state: "live" }, relayUrl: "https://relay.contoso.test" };
    await userEvent.click(screen.getByRole("button", { name: "Check again" }));
    await waitFor(() => expect(list.querySelector('[data-check="live"]')).toHaveAttribute("data-status", "ok"));
    expect(within(list.querySelector('[data-check="live"]') as HTMLElement).getByText("Live updates: connected to the relay at https://relay.contoso.test. Last message from it: none yet.")).toBeInTheDocument();
  });
});
