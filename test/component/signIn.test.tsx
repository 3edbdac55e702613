import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ConfigProblem } from "../../TeamsChatPanel/services/auth/config";
import type { AuthProblem } from "../../TeamsChatPanel/services/auth/problems";
import type { AuthState } from "../../TeamsChatPanel/services/auth/session";
import { AuthRequiredError } from "../../TeamsChatPanel/services/errors";
import type { Services } from "../../TeamsChatPanel/services/ports";
import { FakeAuthSession } from "../support/authFakes";
import { FakeServices, chat } from "../support/fakes";
import { renderPanel } from "./render";


const CONSENT_URL = "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0/adminconsent?client_id=6f1c2d3e-4a5b-4c6d-8e7f-90a1b2c3d4e5&scope=https%3A%2F%2Fgraph.microsoft.com%2FChannelMessage.Read.All";

/** The panel whose chat list could not load because Graph needs the user to sign in. */
async function promptFor(state: Partial<AuthState>) {
  const s = new FakeServices();
  s.failChats = new AuthRequiredError();
  const auth = new FakeAuthSession({ status: "needsUser", pendingScopes: ["Chat.Read"], ...state });
  (s as Services).auth = auth;
  const r = renderPanel(s);
  const prompt = await screen.findByTestId(state.status === "misconfigured" ? "state-auth-config" : "state-auth");
  return { ...r, auth, prompt };
}

/** The panel with its chat list loaded, and a feature waiting on the user. */
async function loadedWith(state: Partial<AuthState>) {
  const s = new FakeServices();
  s.pages = [[chat({ others: ["Adele Vance"] })]];
  const auth = new FakeAuthSession(state);
  (s as Services).auth = auth;
  const r = renderPanel(s);
  await screen.findByRole("button", { name: /^Adele Vance/ });
  return { ...r, auth };
}

type Case = [problem: AuthProblem, pending: string[], title: string, body: string, button: string | null];
const CASES: Case[] = [
  ["signInRequired", ["Chat.Read"], "Sign in to Teams", "Sign in with your work account to see and send your Teams chats here.", "Sign in to Teams"],
  ["consentRequired", ["Chat.Read"], "Permission needed", "To read your chats, the panel needs your permission: Chat.Read.", "Grant permission"],
  [
    "consentDenied",
    ["Chat.Read"],
    "Permission needed",
    "Permission wasn't granted (Chat.Read), so the panel can't read your chats. You can ask again, or ask your administrator to grant it for everyone.",
    "Grant permission",
  ],
  [
    "adminConsentRequired",
    ["ChannelMessage.Read.All"],
    "Permission needed",
    "Only an administrator can grant ChannelMessage.Read.All, which the panel needs to read channel posts. Send your administrator the consent link.",
    "Grant permission",
  ],
  ["popupBlocked", ["Chat.Read"], "Sign-in didn't finish", "Your browser blocked the sign-in window. Allow pop-ups for this site, then select the button again.", "Sign in to Teams"],
  ["cancelled", ["Chat.Read"], "Sign-in didn't finish", "The sign-in window was closed before sign-in finished.", "Sign in to Teams"],
  ["inProgress", ["Chat.Read"], "Sign-in didn't finish", "A sign-in window is already open. Finish signing in there.", null],
  ["offline", ["Chat.Read"], "Sign-in didn't finish", "You're offline. Sign in again when the connection is back.", "Try again"],
  ["providerUnreachable", ["Chat.Read"], "Sign-in didn't finish", "The Microsoft sign-in service can't be reached right now. Check your connection, then try again.", "Try again"],
  [
    "silentBlocked",
    ["Chat.Read"],
    "Sign in to Teams",
    "Automatic sign-in was blocked, most likely because this browser blocks third-party cookies for login.microsoftonline.com. Sign in with the button; to stay signed in, allow those cookies for this site in the browser's cookie settings.",
    "Sign in to Teams",
  ],
  [
    "appMisconfigured",
    ["Chat.Read"],
    "Sign-in didn't finish",
    "Sign-in failed because the app registration doesn't match this environment. Ask your administrator to check the client ID, the tenant ID and the redirect URI.",
    null,
  ],
  ["unknown", ["Chat.Read"], "Sign-in didn't finish", "Sign-in didn't work. Try again.", "Sign in to Teams"],
];

describe("SignInPrompt (the chat list waits on sign-in)", () => {
  it.each(CASES)("%s: explains it and offers the button that helps", async (problem, pendingScopes, title, body, button) => {
    const { prompt } = await promptFor({ problem, pendingScopes });
    expect(prompt).toHaveAttribute("data-problem", problem);
    expect(within(prompt).getByRole("heading", { name: title })).toBeInTheDocument();
    expect(within(prompt).getByText(body)).toBeInTheDocument();
    const buttons = within(prompt).queryAllByRole("button");
    if (button) {
      expect(buttons).toHaveLength(1);
      expect(within(prompt).getByRole("button", { name: button })).toBeInTheDocument();
    } else {
      expect(buttons).toHaveLength(0);
    }
    // No consent link unless the session offers one.
    expect(within(prompt).queryByRole("link")).not.toBeInTheDocument();
  });

  it("treats a state without a problem as a plain sign-in, politely announced", async () => {
    const { prompt } = await promptFor({ problem: undefined });
    expect(prompt).toHaveAttribute("role", "status");
    expect(within(prompt).getByRole("heading", { name: "Sign in to Teams" })).toBeInTheDocument();
    expect(within(prompt).getByRole("button", { name: "Sign in to Teams" })).toBeInTheDocument();
  });

  it("announces a failure as an alert", async () => {
    const { prompt } = await promptFor({ problem: "popupBlocked" });
    expect(prompt).toHaveAttribute("role", "alert");
  });

  it("names every feature waiting on a permission", async () => {
    const { prompt } = await promptFor({ problem: "consentRequired", pendingScopes: ["ChatMessage.Send", "Files.ReadWrite"] });
    expect(within(prompt).getByText("To send messages, attach files, the panel needs your permission: ChatMessage.Send, Files.ReadWrite.")).toBeInTheDocument();
  });

  it("offers the admin consent page in a new tab, next to the button", async () => {
    const { prompt } = await promptFor({ problem: "adminConsentRequired", pendingScopes: ["ChannelMessage.Read.All"], adminConsentUrl: CONSENT_URL });
    const link = within(prompt).getByRole("link", { name: "Open the admin consent page" });
    expect(link).toHaveAttribute("href", CONSENT_URL);
    expect(link).toHaveAttribute("target", "_blank");
    expect(link.getAttribute("rel")?.split(/\s+/)).toContain("noopener");
    expect(within(prompt).getByRole("button", { name: "Grant permission" })).toBeInTheDocument();
  });

  it("shows the consent link even where no button helps", async () => {
    const { prompt } = await promptFor({ problem: "appMisconfigured", adminConsentUrl: CONSENT_URL });
    expect(within(prompt).queryAllByRole("button")).toHaveLength(0);
    expect(within(prompt).getByRole("link", { name: "Open the admin consent page" })).toHaveAttribute("href", CONSENT_URL);
  });

  it.each(["signInRequired", "consentRequired", "popupBlocked", "cancelled", "silentBlocked", "unknown"] as AuthProblem[])(
    "%s: the click itself opens the sign-in window (no async step before it)",
    async (problem) => {
      const { prompt, auth } = await promptFor({ problem });
      const button = within(prompt).getByRole("button");
      fireEvent.click(button);
      expect(auth.signIn).toHaveBeenCalledTimes(1);
      expect(auth.retrySilent).not.toHaveBeenCalled();
    },
  );

  it.each(["offline", "providerUnreachable"] as AuthProblem[])("%s: Try again retries silently, without a window", async (problem) => {
    const { prompt, auth } = await promptFor({ problem });
    await userEvent.click(within(prompt).getByRole("button", { name: "Try again" }));
    expect(auth.retrySilent).toHaveBeenCalledTimes(1);
    expect(auth.signIn).not.toHaveBeenCalled();
  });

  it("shows a labelled spinner instead of the button while the window is open", async () => {
    const { prompt, auth } = await promptFor({ problem: "signInRequired" });
    act(() => auth.emit({ status: "signingIn" }));
    expect(within(prompt).getByRole("progressbar", { name: "Signing in…" })).toBeInTheDocument();
    expect(within(prompt).queryAllByRole("button")).toHaveLength(0);
  });

  it("loads the chats once the user has signed in", async () => {
    const { auth, services } = await promptFor({ problem: "signInRequired" });
    services.failChats = undefined;
    services.pages = [[chat({ others: ["Lee Gu"] })]];
    act(() => auth.emit({ status: "signedIn", problem: undefined, pendingScopes: [], signIns: 1 }));
    expect(await screen.findByRole("button", { name: /^Lee Gu/ })).toBeInTheDocument();
    expect(screen.queryByTestId("state-auth")).not.toBeInTheDocument();
  });

  it("asks the host again when the host supplies tokens (no session)", async () => {
    const s = new FakeServices();
    s.failChats = new AuthRequiredError();
    renderPanel(s);
    const prompt = await screen.findByTestId("state-auth");
    expect(within(prompt).getByRole("heading", { name: "Sign in to see your Teams chats" })).toBeInTheDocument();
    const lists = s.calls.filter((c) => c.startsWith("listChats")).length;
    s.failChats = undefined;
    await userEvent.click(within(prompt).getByRole("button", { name: "Sign in to Teams" }));
    await waitFor(() => expect(s.calls.filter((c) => c.startsWith("listChats")).length).toBe(lists + 1));
    await waitFor(() => expect(screen.queryByTestId("state-auth")).not.toBeInTheDocument());
  });
});

describe("SignInPrompt when sign-in is not set up", () => {
  const missing: ConfigProblem[] = [
    { setting: "clientId", issue: "missing" },
    { setting: "tenantId", issue: "missing" },
  ];

  it("lists what the admin must set, naming the environment variables, with no button", async () => {
    const { prompt } = await promptFor({ status: "misconfigured", configProblems: missing });
    expect(prompt).toHaveAttribute("role", "alert");
    expect(within(prompt).getByRole("heading", { name: "Sign-in isn't set up" })).toBeInTheDocument();
    expect(within(prompt).getByText("An administrator needs to fix this before the panel can connect to Teams:")).toBeInTheDocument();
    const items = within(prompt).getAllByRole("listitem").map((li) => li.textContent ?? "");
    expect(items).toHaveLength(2);
    expect(items[0]).toContain("tcp_TeamsChatPanelClientId");
    expect(items[0]).toContain("Sign-in: client ID");
    expect(items[1]).toContain("tcp_TeamsChatPanelTenantId");
    expect(items[1]).toContain("Sign-in: tenant ID");
    expect(within(prompt).queryAllByRole("button")).toHaveLength(0);
  });

  it("quotes what the admin typed for invalid settings", async () => {
    const problems: ConfigProblem[] = [
      { setting: "clientId", issue: "invalid", value: "my-app" },
      { setting: "tenantId", issue: "invalid", value: "contoso" },
      { setting: "authorityHost", issue: "invalid", value: "http://login.example" },
      { setting: "redirectPath", issue: "invalid", value: "redirect.html" },
    ];
    const { prompt } = await promptFor({ status: "misconfigured", configProblems: problems });
    const items = within(prompt).getAllByRole("listitem").map((li) => li.textContent ?? "");
    expect(items).toEqual([
      expect.stringContaining('"my-app"'),
      expect.stringContaining('"contoso"'),
      expect.stringContaining('"http://login.example"'),
      expect.stringContaining('"redirect.html"'),
    ]);
  });

  // The README promises "a message naming the exact setting and where to set it" when the client or
  // tenant ID is missing OR malformed: a malformed value sits in the environment variable (or the form
  // property), so the admin must be told which one to correct.
  it("names the environment variable to correct for a malformed client ID or tenant ID too", async () => {
    const problems: ConfigProblem[] = [
      { setting: "clientId", issue: "invalid", value: "my-app" },
      { setting: "tenantId", issue: "invalid", value: "contoso" },
    ];
    const { prompt } = await promptFor({ status: "misconfigured", configProblems: problems });
    const items = within(prompt).getAllByRole("listitem").map((li) => li.textContent ?? "");
    expect(items[0]).toContain("tcp_TeamsChatPanelClientId");
    expect(items[1]).toContain("tcp_TeamsChatPanelTenantId");
  });

  it("says MSAL could not start when there is no setting to blame", async () => {
    const { prompt } = await promptFor({ status: "misconfigured", configProblems: [], problem: "appMisconfigured" });
    expect(within(prompt).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "The sign-in library couldn't start with these settings. Check the client ID, the tenant ID and the authority host.",
    ]);
  });

  it("shows no banner besides it", async () => {
    await promptFor({ status: "misconfigured", configProblems: missing });
    expect(screen.queryByTestId("auth-banner")).not.toBeInTheDocument();
  });
});

describe("AuthBanner (a feature waits on the user while the panel works)", () => {
  it("appears when the session needs the user, with the feature, the permission and the button", async () => {
    const { auth } = await loadedWith({ status: "signedIn" });
    expect(screen.queryByTestId("auth-banner")).not.toBeInTheDocument();
    act(() => auth.emit({ status: "needsUser", problem: "consentRequired", pendingScopes: ["ChatMessage.Send"] }));
    const banner = await screen.findByTestId("auth-banner");
    expect(banner).toHaveAttribute("data-problem", "consentRequired");
    expect(banner).toHaveAttribute("aria-label", "Sign-in");
    expect(within(banner).getByText("Permission needed")).toBeInTheDocument();
    expect(banner).toHaveTextContent("To send messages, the panel needs your permission: ChatMessage.Send.");
    fireEvent.click(within(banner).getByRole("button", { name: "Grant permission" }));
    expect(auth.signIn).toHaveBeenCalledTimes(1);
    // The chat list is still there.
    expect(screen.getByRole("button", { name: /^Adele Vance/ })).toBeInTheDocument();
  });

  it("shows a labelled spinner while signing in, and goes away once signed in", async () => {
    const { auth } = await loadedWith({ status: "needsUser", problem: "signInRequired", pendingScopes: ["ChatMember.Read"] });
    const banner = await screen.findByTestId("auth-banner");
    expect(within(banner).getByRole("button", { name: "Sign in to Teams" })).toBeInTheDocument();
    act(() => auth.emit({ status: "signingIn" }));
    expect(within(screen.getByTestId("auth-banner")).getByRole("progressbar", { name: "Signing in…" })).toBeInTheDocument();
    expect(within(screen.getByTestId("auth-banner")).queryAllByRole("button")).toHaveLength(0);
    act(() => auth.emit({ status: "signedIn", problem: undefined, pendingScopes: [], signIns: 1 }));
    expect(screen.queryByTestId("auth-banner")).not.toBeInTheDocument();
  });

  it("offers Try again for a sign-in service that did not answer", async () => {
    const { auth } = await loadedWith({ status: "needsUser", problem: "providerUnreachable", pendingScopes: ["ChatMessage.Send"] });
    const banner = await screen.findByTestId("auth-banner");
    await userEvent.click(within(banner).getByRole("button", { name: "Try again" }));
    expect(auth.retrySilent).toHaveBeenCalledTimes(1);
    expect(auth.signIn).not.toHaveBeenCalled();
  });

  it("carries the admin consent link when there is one", async () => {
    await loadedWith({ status: "needsUser", problem: "adminConsentRequired", pendingScopes: ["ChannelMessage.Read.All"], adminConsentUrl: CONSENT_URL });
    const banner = await screen.findByTestId("auth-banner");
    const link = within(banner).getByRole("link", { name: "Open the admin consent page" });
    expect(link).toHaveAttribute("href", CONSENT_URL);
    expect(link).toHaveAttribute("target", "_blank");
    expect(link.getAttribute("rel")?.split(/\s+/)).toContain("noopener");
  });

  it.each(["starting", "signedIn", "misconfigured"] as AuthState["status"][])("is absent while the session is %s", async (status) => {
    await loadedWith({ status, problem: status === "misconfigured" ? "appMisconfigured" : undefined, pendingScopes: ["ChatMessage.Send"] });
    expect(screen.queryByTestId("auth-banner")).not.toBeInTheDocument();
  });

  it("is absent while the whole list waits on sign-in (the prompt says it once)", async () => {
    const { prompt } = await promptFor({ problem: "consentRequired" });
    expect(prompt).toBeInTheDocument();
    expect(screen.queryByTestId("auth-banner")).not.toBeInTheDocument();
    expect(screen.getAllByRole("button", { name: "Grant permission" })).toHaveLength(1);
  });

  it("gives every button and link in it an accessible name", async () => {
    await loadedWith({ status: "needsUser", problem: "adminConsentRequired", pendingScopes: ["ChannelMessage.Read.All"], adminConsentUrl: CONSENT_URL });
    const banner = await screen.findByTestId("auth-banner");
    const controls = [...within(banner).queryAllByRole("button"), ...within(banner).queryAllByRole("link")];
    expect(controls.length).toBeGreaterThanOrEqual(2);
    for (const c of controls) expect(c).toHaveAccessibleName();
  });
});
