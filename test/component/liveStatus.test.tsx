import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { LiveHandlers, LiveInfo, LiveUpdates } from "../../TeamsChatPanel/services/realtime/live";
import type { Services } from "../../TeamsChatPanel/services/ports";
import { FakeAuthSession } from "../support/authFakes";
import { FakeServices, chat } from "../support/fakes";
import { renderPanel } from "./render";

const RELAY_SCOPE = "api://6f1c2d3e-4a5b-4c6d-8e7f-90a1b2c3d4e5/access_as_user";


function services() {
  const s = new FakeServices();
  s.pages = [[chat({ others: ["Alex Wilber"] }), chat({ others: ["Adele Vance"] })]];
  return s;
}

function fakeLive(info: Partial<LiveInfo> = {}) {
  const ref: { handlers?: LiveHandlers; info: LiveInfo; reconnects: number } = { info: { status: { state: "connecting" }, relayUrl: "https://relay.contoso.test", ...info }, reconnects: 0 };
  const factory = (handlers: LiveHandlers): LiveUpdates => {
    ref.handlers = handlers;
    return { start: () => undefined, reconnect: () => void ref.reconnects++, info: () => ref.info, dispose: () => undefined };
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

  it("consent to the relay's API missing: the banner names live updates (no scope URI), the live line asks for permission, and granting it reconnects without Refresh", async () => {
    const s = services();
    const auth = new FakeAuthSession({ status: "signedIn" });
    // Granting consent in the window: the session reports the user signed in with it.
    auth.signIn.mockImplementation(async () => {
      auth.signedIn();
      return true;
    });
    (s as Services).auth = auth;
    const live = fakeLive();
    renderPanel(s, { live: live.factory });
    expect(await screen.findByRole("button", { name: /^Alex Wilber/ })).toBeInTheDocument();
    // What the relay client and the session report when the relay's token needs the user's consent.
    act(() => {
      auth.emit({ status: "needsUser", problem: "consentRequired", pendingScopes: [RELAY_SCOPE] });
      live.ref.handlers?.onStatus({ state: "paused", reason: "needsUser" });
    });
    const banner = await screen.findByTestId("auth-banner");
    expect(banner).toHaveTextContent("To receive live updates, the panel needs your permission: access to the live-updates service.");
    expect(banner).not.toHaveTextContent("api://");
    const paused = screen.getByTestId("live-paused");
    expect(paused).toHaveTextContent("Live updates paused: they need your permission; select Grant permission.");
    expect(paused).not.toHaveTextContent("refused");

    await userEvent.click(within(banner).getByRole("button", { name: "Grant permission" }));
    expect(auth.signIn).toHaveBeenCalledTimes(1);
    // What waited runs: the relay client connects again at once, with no press on Refresh.
    await waitFor(() => expect(live.ref.reconnects).toBe(1));
    expect(screen.queryByTestId("auth-banner")).not.toBeInTheDocument();
    act(() => live.ref.handlers?.onStatus({ state: "live" }));
    expect(screen.getByTestId("live-updated")).toHaveTextContent("Live updates on");
  });

  it("consent to the relay's API missing, in German", async () => {
    const s = services();
    const auth = new FakeAuthSession({ status: "needsUser", problem: "consentRequired", pendingScopes: [RELAY_SCOPE] });
    (s as Services).auth = auth;
    const live = fakeLive();
    renderPanel(s, { live: live.factory, lcid: 1031 });
    const banner = await screen.findByTestId("auth-banner");
    act(() => live.ref.handlers?.onStatus({ state: "paused", reason: "needsUser" }));
    expect(banner).toHaveTextContent("Um Liveaktualisierungen zu empfangen, braucht der Bereich Ihre Berechtigung: Zugriff auf den Dienst für Liveaktualisierungen.");
    expect(banner).not.toHaveTextContent("api://");
    expect(screen.getByTestId("live-paused")).toHaveTextContent("Liveaktualisierung angehalten: sie braucht Ihre Berechtigung; wählen Sie „Berechtigung erteilen“.");
  });

  it("a relay that refuses a fresh token still says it was refused, and Diagnostics tells a missing consent apart", async () => {
    const live = fakeLive();
    renderPanel(services(), { live: live.factory, env: { showDiagnostics: true } });
    expect(await screen.findByRole("button", { name: /^Alex Wilber/ })).toBeInTheDocument();
    act(() => live.ref.handlers?.onStatus({ state: "paused", reason: "unauthorized" }));
    expect(screen.getByTestId("live-paused")).toHaveTextContent("Live updates paused: sign-in to the live-updates service was refused.");
    live.ref.info = { status: { state: "paused", reason: "needsUser" }, relayUrl: "https://relay.contoso.test" };
    act(() => live.ref.handlers?.onStatus({ state: "paused", reason: "needsUser" }));
    await userEvent.click(screen.getByRole("button", { name: "More options" }));
    await userEvent.click(await screen.findByRole("menuitem", { name: "Diagnostics" }));
    const list = await screen.findByTestId("diagnostics");
    await waitFor(() => expect(list.querySelector('[data-check="live"]')).not.toBeNull());
    const line = list.querySelector('[data-check="live"]') as HTMLElement;
    expect(line).toHaveAttribute("data-status", "warning");
    expect(line).toHaveTextContent("waiting for the user to grant the panel access to the relay at https://relay.contoso.test");
  });
});
