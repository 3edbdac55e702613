import type { AccountInfo, AuthenticationResult, Configuration } from "@azure/msal-browser";
import { DEFAULT_REDIRECT_PATH, resolveSignInConfig, type ConfigProblem, type SignInConfig } from "../../../TeamsChatPanel/services/auth/config";
import { MsalAuthSession, msalConfiguration, type MsalClient } from "../../../TeamsChatPanel/services/auth/msal";
import type { AuthState } from "../../../TeamsChatPanel/services/auth/session";
import { AuthRequiredError, ServiceError } from "../../../TeamsChatPanel/services/errors";

const CLIENT = "6f1c2d3e-4a5b-4c6d-8e7f-90a1b2c3d4e5";
const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const HINT = "megan@contoso.test";
const ORIGIN = "https://contoso.crm.dynamics.com";
const REDIRECT_URI = `${ORIGIN}${DEFAULT_REDIRECT_PATH}`;

function configFor(authorityHost?: string): SignInConfig {
  const r = resolveSignInConfig({ env: { clientId: CLIENT, tenantId: TENANT }, authorityHost, origin: ORIGIN });
  if (!r.ok) throw new Error("test configuration is invalid");
  return r.config;
}

function account(username: string, name = username.split("@")[0]): AccountInfo {
  return { homeAccountId: `${username}.home`, environment: "login.microsoftonline.com", tenantId: TENANT, username, localAccountId: `${username}.local`, name };
}

function result(acc: AccountInfo, scopes: string[], accessToken = `token-for-${acc.username}-${scopes.join("+")}`): AuthenticationResult {
  return { accessToken, account: acc, scopes, idToken: "", idTokenClaims: {}, tenantId: TENANT, uniqueId: acc.localAccountId, authority: "", fromCache: false, expiresOn: null, tokenType: "Bearer", correlationId: "c" } as unknown as AuthenticationResult;
}

/** What MSAL throws: an Error with errorCode (and maybe subError). */
function msalError(errorCode: string, subError = "") {
  return Object.assign(new Error(`${errorCode} happened`), { errorCode, subError });
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(v: T): void;
  reject(e: unknown): void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise<void>((r) => setTimeout(r, 0));

function fakeClient(accounts: AccountInfo[] = []) {
  const fake = {
    initialize: vi.fn(async (): Promise<void> => undefined),
    getAllAccounts: vi.fn(() => accounts),
    acquireTokenSilent: vi.fn(async (req: { scopes: string[]; account: AccountInfo; forceRefresh?: boolean }) => result(req.account, req.scopes)),
    ssoSilent: vi.fn(async (req: { scopes: string[]; loginHint?: string }) => result(account(req.loginHint ?? "nobody@contoso.test"), [...req.scopes, "openid", "profile"])),
    acquireTokenPopup: vi.fn(async (req: { scopes: string[]; account?: AccountInfo; loginHint?: string; prompt?: string }) =>
      result(req.account ?? account(req.loginHint ?? HINT), [...req.scopes, "openid", "profile", "offline_access"]),
    ),
  };
  return fake;
}
type FakeClient = ReturnType<typeof fakeClient>;

interface SetupOptions {
  accounts?: AccountInfo[];
  hint?: string | undefined | Error;
  config?: { ok: true; config: SignInConfig } | { ok: false; problems: ConfigProblem[] };
  client?: FakeClient;
  /** What loadConsentAlso resolves to (the relay's scope when a relay is configured); absent: no such option. */
  consentAlso?: string[] | Error;
}

async function setup(opts: SetupOptions = {}) {
  const client = opts.client ?? fakeClient(opts.accounts ?? []);
  const configurations: Configuration[] = [];
  const createClient = vi.fn((c: Configuration) => {
    configurations.push(c);
    return client as unknown as MsalClient;
  });
  const hint = "hint" in opts ? opts.hint : HINT;
  const session = new MsalAuthSession({
    loadConfig: async () => opts.config ?? { ok: true, config: configFor() },
    loadLoginHint: async () => {
      if (hint instanceof Error) throw hint;
      return hint;
    },
    createClient,
    ...("consentAlso" in opts
      ? {
          loadConsentAlso: async () => {
            if (opts.consentAlso instanceof Error) throw opts.consentAlso;
            return opts.consentAlso ?? [];
          },
        }
      : {}),
  });
  const states: AuthState[] = [];
  session.subscribe((s) => states.push(s));
  await tick();
  return { session, client, createClient, configurations, states };
}

describe("MsalAuthSession: silent tokens", () => {
  it("starts MSAL once with the session's configuration, initialize() first", async () => {
    const { client, createClient, configurations } = await setup({ accounts: [account(HINT)] });
    expect(createClient).toHaveBeenCalledTimes(1);
    expect(configurations[0].auth.clientId).toBe(CLIENT);
    expect(configurations[0].auth.authority).toBe(`https://login.microsoftonline.com/${TENANT}`);
    expect(client.initialize).toHaveBeenCalledTimes(1);
  });

  it("is signed in at start when the cache holds this user's account, and gets tokens silently from it", async () => {
    const megan = account("Megan@Contoso.TEST");
    const { session, client } = await setup({ accounts: [account("adele@contoso.test"), megan] });
    expect(session.getState().status).toBe("signedIn");
    const token = await session.getToken(["Chat.Read"]);
    expect(token).toBe(`token-for-Megan@Contoso.TEST-Chat.Read`);
    expect(client.acquireTokenSilent).toHaveBeenCalledTimes(1);
    expect(client.acquireTokenSilent).toHaveBeenCalledWith({ scopes: ["Chat.Read"], account: megan, forceRefresh: false });
    expect(client.ssoSilent).not.toHaveBeenCalled();
    expect(client.acquireTokenPopup).not.toHaveBeenCalled();
    expect(session.getState()).toMatchObject({ status: "signedIn", grantedScopes: ["Chat.Read"], account: { username: "Megan@Contoso.TEST" } });
  });

  it("never uses another person's cached account: it asks the browser session for this user instead", async () => {
    const adele = account("adele@contoso.test");
    const { session, client } = await setup({ accounts: [adele] });
    expect(session.getState().status).toBe("starting");
    await session.getToken(["Chat.Read"]);
    expect(client.ssoSilent).toHaveBeenCalledWith({ scopes: ["Chat.Read"], loginHint: HINT });
    for (const [req] of client.acquireTokenSilent.mock.calls) expect(req.account.username).not.toBe(adele.username);
    expect(session.getState()).toMatchObject({ status: "signedIn", account: { username: HINT } });
  });

  it("passes forceRefresh through to MSAL when the last token was refused", async () => {
    const megan = account(HINT);
    const { session, client } = await setup({ accounts: [megan] });
    await session.getToken(["Chat.Read"], { forceRefresh: true });
    expect(client.acquireTokenSilent).toHaveBeenLastCalledWith({ scopes: ["Chat.Read"], account: megan, forceRefresh: true });
    await session.getToken(["Chat.Read"]);
    expect(client.acquireTokenSilent).toHaveBeenLastCalledWith({ scopes: ["Chat.Read"], account: megan, forceRefresh: false });
  });

  it("without a cached account signs in through ssoSilent with the UPN as login hint, excluding OIDC scopes from the granted ones", async () => {
    const { session, client } = await setup();
    const token = await session.getToken(["Chat.Read"]);
    expect(client.ssoSilent).toHaveBeenCalledTimes(1);
    expect(client.ssoSilent).toHaveBeenCalledWith({ scopes: ["Chat.Read"], loginHint: HINT });
    expect(token).toBe(`token-for-${HINT}-Chat.Read+openid+profile`);
    expect(session.getState()).toMatchObject({ status: "signedIn", grantedScopes: ["Chat.Read"], pendingScopes: [] });
    // From then on the account is known: tokens come from the cache.
    await session.getToken(["Chat.Read"]);
    expect(client.ssoSilent).toHaveBeenCalledTimes(1);
    expect(client.acquireTokenSilent).toHaveBeenLastCalledWith({ scopes: ["Chat.Read"], account: expect.objectContaining({ username: HINT }), forceRefresh: false });
  });

  it("shares one ssoSilent between concurrent getToken calls, and asks the cache for the scopes it did not cover", async () => {
    const client = fakeClient();
    const sso = deferred<AuthenticationResult>();
    client.ssoSilent.mockImplementation(() => sso.promise);
    const { session } = await setup({ client });
    const first = session.getToken(["Chat.Read"]);
    const second = session.getToken(["ChatMessage.Send"]);
    const third = session.getToken(["Chat.Read"]);
    await tick();
    expect(client.ssoSilent).toHaveBeenCalledTimes(1);
    const megan = account(HINT);
    sso.resolve(result(megan, ["Chat.Read", "openid", "profile"], "sso-token"));
    await expect(first).resolves.toBe("sso-token");
    await expect(third).resolves.toBe("sso-token");
    await expect(second).resolves.toBe(`token-for-${HINT}-ChatMessage.Send`);
    expect(client.ssoSilent).toHaveBeenCalledTimes(1);
    expect(client.acquireTokenSilent).toHaveBeenCalledTimes(1);
    expect(client.acquireTokenSilent).toHaveBeenCalledWith(expect.objectContaining({ scopes: ["ChatMessage.Send"], account: megan }));
    expect(session.getState().grantedScopes).toEqual(["Chat.Read", "ChatMessage.Send"]);
  });

  it("refuses an ssoSilent result for another user; the next sign-in window asks who is signing in", async () => {
    const client = fakeClient();
    client.ssoSilent.mockImplementation(async (req) => result(account("adele@contoso.test"), req.scopes, "adele-token"));
    const { session } = await setup({ client });
    const err = await session.getToken(["Chat.Read"]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthRequiredError);
    expect(session.getState()).toMatchObject({ status: "needsUser", problem: "signInRequired", pendingScopes: ["Chat.Read"] });
    expect(session.getState().account).toBeUndefined();
    expect(session.getState().grantedScopes).toEqual([]);
    // The other person's session is not used for the cache either.
    expect(client.acquireTokenSilent).not.toHaveBeenCalled();

    await session.signIn();
    expect(client.acquireTokenPopup).toHaveBeenCalledWith({ scopes: ["Chat.Read"], loginHint: HINT, prompt: "login" });
    expect(session.getState()).toMatchObject({ status: "signedIn", account: { username: HINT } });
  });

  it("compares the ssoSilent account with the login hint case-insensitively", async () => {
    const client = fakeClient();
    client.ssoSilent.mockImplementation(async (req) => result(account("MEGAN@contoso.TEST"), req.scopes, "ok"));
    const { session } = await setup({ client });
    await expect(session.getToken(["Chat.Read"])).resolves.toBe("ok");
  });

  it("with no login hint uses the only cached account, but never picks one of several", async () => {
    const only = account("someone@contoso.test");
    const one = await setup({ accounts: [only], hint: undefined });
    await one.session.getToken(["Chat.Read"]);
    expect(one.client.acquireTokenSilent).toHaveBeenCalledWith({ scopes: ["Chat.Read"], account: only, forceRefresh: false });

    const two = await setup({ accounts: [only, account("other@contoso.test")], hint: new Error("systemuser unreadable") });
    await expect(two.session.getToken(["Chat.Read"])).rejects.toBeInstanceOf(AuthRequiredError);
    expect(two.client.acquireTokenSilent).not.toHaveBeenCalled();
    expect(two.client.ssoSilent).not.toHaveBeenCalled();
    expect(two.session.getState()).toMatchObject({ status: "needsUser", problem: "signInRequired" });
  });
});

describe("MsalAuthSession: when the user must act", () => {
  it("turns interaction-required errors into AuthRequiredError, recording the problem and every pending scope", async () => {
    const client = fakeClient([account(HINT)]);
    client.acquireTokenSilent.mockImplementation(async (req) => {
      if (req.scopes.includes("Chat.Read")) throw msalError("interaction_required");
      throw msalError("invalid_grant", "consent_required");
    });
    const { session, states } = await setup({ client });
    const first = await session.getToken(["Chat.Read"]).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(AuthRequiredError);
    expect((first as ServiceError).kind).toBe("auth");
    expect(session.getState()).toMatchObject({ status: "needsUser", problem: "signInRequired", pendingScopes: ["Chat.Read"] });

    await expect(session.getToken(["ChatMessage.Send"])).rejects.toBeInstanceOf(AuthRequiredError);
    expect(session.getState()).toMatchObject({ status: "needsUser", problem: "consentRequired", pendingScopes: ["Chat.Read", "ChatMessage.Send"] });
    expect(session.getState().adminConsentUrl).toBeUndefined();
    // The same scope again does not repeat it.
    await expect(session.getToken(["Chat.Read"])).rejects.toBeInstanceOf(AuthRequiredError);
    expect(session.getState().pendingScopes).toEqual(["Chat.Read", "ChatMessage.Send"]);
    expect(states.at(-1)).toBe(session.getState());
    expect(client.acquireTokenPopup).not.toHaveBeenCalled();
  });

  it("records an admin-only scope's consent prompt as admin consent, with the consent link", async () => {
    const client = fakeClient([account(HINT)]);
    client.acquireTokenSilent.mockRejectedValue(msalError("consent_required"));
    const { session } = await setup({ client });
    await expect(session.getToken(["ChannelMessage.Read.All"])).rejects.toBeInstanceOf(AuthRequiredError);
    const state = session.getState();
    expect(state).toMatchObject({ status: "needsUser", problem: "adminConsentRequired", pendingScopes: ["ChannelMessage.Read.All"] });
    const url = new URL(state.adminConsentUrl ?? "");
    expect(url.pathname).toBe(`/${TENANT}/v2.0/adminconsent`);
    expect(url.searchParams.get("client_id")).toBe(CLIENT);
    expect(url.searchParams.get("scope")).toContain("ChannelMessage.Read.All");
  });

  it("reports no network as an offline ServiceError, not as a sign-in problem", async () => {
    const client = fakeClient([account(HINT)]);
    client.acquireTokenSilent.mockRejectedValue(msalError("no_network_connectivity"));
    const { session } = await setup({ client });
    const err = await session.getToken(["Chat.Read"]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceError);
    expect(err).not.toBeInstanceOf(AuthRequiredError);
    expect((err as ServiceError).kind).toBe("offline");
    expect(session.getState()).toMatchObject({ status: "signedIn", pendingScopes: [] });
    expect(session.getState().problem).toBeUndefined();
  });

  it("rejected(scopes): Graph refused a renewed token, so the user must sign in again", async () => {
    const { session } = await setup({ accounts: [account(HINT)] });
    await session.getToken(["Chat.Read"]);
    session.rejected(["Chat.Read"]);
    expect(session.getState()).toMatchObject({ status: "needsUser", problem: "signInRequired", pendingScopes: ["Chat.Read"] });
    session.rejected(["ChatMember.Read"]);
    expect(session.getState().pendingScopes).toEqual(["Chat.Read", "ChatMember.Read"]);
  });
});

describe("MsalAuthSession: the sign-in window", () => {
  async function needingUser(scopes: string[][] = [["Chat.Read"], ["ChatMessage.Send"]]) {
    const client = fakeClient();
    client.ssoSilent.mockRejectedValue(msalError("login_required"));
    const ctx = await setup({ client });
    for (const s of scopes) await ctx.session.getToken(s).catch(() => undefined);
    return ctx;
  }

  it("opens the popup synchronously inside the click, for the pending scopes", async () => {
    const { session, client } = await needingUser();
    expect(session.getState()).toMatchObject({ status: "needsUser", pendingScopes: ["Chat.Read", "ChatMessage.Send"] });
    const done = session.signIn();
    // No await, no microtask: the browser only allows a window opened in the click's own task.
    expect(client.acquireTokenPopup).toHaveBeenCalledTimes(1);
    expect(client.acquireTokenPopup).toHaveBeenCalledWith({ scopes: ["Chat.Read", "ChatMessage.Send"], loginHint: HINT });
    expect(session.getState().status).toBe("signingIn");
    await expect(done).resolves.toBe(true);
  });

  it("after the popup: signed in, signIns bumped, granted scopes without openid/profile/offline_access, nothing pending", async () => {
    const { session, states } = await needingUser();
    expect(session.getState().signIns).toBe(0);
    await session.signIn();
    const state = session.getState();
    expect(state).toMatchObject({ status: "signedIn", signIns: 1, pendingScopes: [], grantedScopes: ["Chat.Read", "ChatMessage.Send"], account: { username: HINT } });
    expect(state.problem).toBeUndefined();
    expect(state.adminConsentUrl).toBeUndefined();
    expect(states.some((s) => s.status === "signingIn")).toBe(true);
    expect(states.at(-1)).toEqual(state);
  });

  it("uses the signed-in account for later silent calls, and a second sign-in bumps signIns again", async () => {
    const { session, client } = await needingUser([["Chat.Read"]]);
    await session.signIn();
    await session.getToken(["Chat.Read"]);
    expect(client.acquireTokenSilent).toHaveBeenLastCalledWith({ scopes: ["Chat.Read"], account: expect.objectContaining({ username: HINT }), forceRefresh: false });
    session.rejected(["Chat.Read"]);
    await session.signIn();
    expect(session.getState().signIns).toBe(2);
  });

  it("asks for the chat list's scope when nothing is pending", async () => {
    const { session, client } = await setup();
    await session.signIn();
    expect(client.acquireTokenPopup).toHaveBeenCalledWith(expect.objectContaining({ scopes: ["Chat.Read"] }));
  });

  it("passes the known account rather than the hint, and no prompt once the right user signed in", async () => {
    const client = fakeClient();
    client.ssoSilent.mockImplementationOnce(async (req) => result(account("adele@contoso.test"), req.scopes));
    const { session } = await setup({ client });
    await session.getToken(["Chat.Read"]).catch(() => undefined);
    await session.signIn();
    expect(client.acquireTokenPopup.mock.calls[0][0]).toMatchObject({ prompt: "login" });
    session.rejected(["ChatMessage.Send"]);
    client.acquireTokenPopup.mockClear();
    await session.signIn();
    expect(client.acquireTokenPopup).toHaveBeenCalledTimes(1);
    const second = client.acquireTokenPopup.mock.calls[0][0];
    expect(second).not.toHaveProperty("prompt");
    expect(second.account?.username ?? second.loginHint).toBe(HINT);
  });

  it("does not open a second window while one is open", async () => {
    const { session, client } = await needingUser();
    const popup = deferred<AuthenticationResult>();
    client.acquireTokenPopup.mockImplementation(() => popup.promise);
    const first = session.signIn();
    await expect(session.signIn()).resolves.toBe(false);
    expect(client.acquireTokenPopup).toHaveBeenCalledTimes(1);
    popup.resolve(result(account(HINT), ["Chat.Read", "ChatMessage.Send"]));
    await expect(first).resolves.toBe(true);
  });

  it("stays signing in while the window is open, even when another Graph call needs the user meanwhile", async () => {
    const { session, client } = await needingUser([["Chat.Read"]]);
    const popup = deferred<AuthenticationResult>();
    client.acquireTokenPopup.mockImplementation(() => popup.promise);
    const first = session.signIn();
    // A background call (live updates, members) fails silently while the user is in the window.
    await expect(session.getToken(["ChatMember.Read"])).rejects.toBeInstanceOf(AuthRequiredError);
    expect(session.getState().pendingScopes).toEqual(["Chat.Read", "ChatMember.Read"]);
    // The spinner stays, and a second click cannot open a second window.
    expect(session.getState().status).toBe("signingIn");
    await expect(session.signIn()).resolves.toBe(false);
    expect(client.acquireTokenPopup).toHaveBeenCalledTimes(1);
    popup.resolve(result(account(HINT), ["Chat.Read"]));
    await expect(first).resolves.toBe(true);
  });

  it.each([
    ["popup_window_error", "popupBlocked"],
    ["empty_window_error", "popupBlocked"],
    ["user_cancelled", "cancelled"],
    ["interaction_in_progress", "inProgress"],
    ["invalid_client", "appMisconfigured"],
  ])("a popup failing with %s leaves the user a %s problem", async (code, problem) => {
    const { session, client } = await needingUser();
    client.acquireTokenPopup.mockRejectedValue(msalError(code));
    await expect(session.signIn()).resolves.toBe(false);
    expect(session.getState()).toMatchObject({ status: "needsUser", problem, signIns: 0, pendingScopes: ["Chat.Read", "ChatMessage.Send"] });
    expect(session.getState().adminConsentUrl).toBeUndefined();
  });

  it("a refused consent keeps the scopes pending and offers the admin consent link for them", async () => {
    const { session, client } = await needingUser();
    client.acquireTokenPopup.mockRejectedValue(msalError("access_denied"));
    await session.signIn();
    const state = session.getState();
    expect(state).toMatchObject({ status: "needsUser", problem: "consentDenied", pendingScopes: ["Chat.Read", "ChatMessage.Send"] });
    const scope = new URL(state.adminConsentUrl ?? "").searchParams.get("scope") ?? "";
    expect(scope.split(" ")).toEqual(["https://graph.microsoft.com/Chat.Read", "https://graph.microsoft.com/ChatMessage.Send"]);
  });

  it("consent_required for an admin-only scope means admin consent, with a link naming the app and that scope", async () => {
    const { session, client } = await needingUser([["Chat.Read"], ["ChannelMessage.Read.All"]]);
    client.acquireTokenPopup.mockRejectedValue(msalError("consent_required"));
    await expect(session.signIn()).resolves.toBe(false);
    expect(client.acquireTokenPopup).toHaveBeenCalledWith(expect.objectContaining({ scopes: ["Chat.Read", "ChannelMessage.Read.All"] }));
    const state = session.getState();
    expect(state).toMatchObject({ status: "needsUser", problem: "adminConsentRequired" });
    const url = new URL(state.adminConsentUrl ?? "");
    expect(url.origin).toBe("https://login.microsoftonline.com");
    expect(url.pathname).toBe(`/${TENANT}/v2.0/adminconsent`);
    expect(url.searchParams.get("client_id")).toBe(CLIENT);
    // Only the scope the admin must grant, not the ones the user can grant.
    expect(url.searchParams.get("scope")).toBe("https://graph.microsoft.com/ChannelMessage.Read.All");
    expect(url.searchParams.get("redirect_uri")).toBe(REDIRECT_URI);
  });

  it("does nothing before MSAL is ready", async () => {
    const client = fakeClient();
    const init = deferred<void>();
    client.initialize.mockImplementation(() => init.promise);
    const { session } = await setup({ client });
    await expect(session.signIn()).resolves.toBe(false);
    expect(client.acquireTokenPopup).not.toHaveBeenCalled();
    init.resolve();
  });
});

describe("MsalAuthSession: the relay's API consented to with the first sign-in", () => {
  const RELAY = `api://${CLIENT}/access_as_user`;

  it("with a relay configured, the first window asks for Chat.Read and consent to the relay's scope, opened inside the click", async () => {
    const client = fakeClient();
    client.ssoSilent.mockRejectedValue(msalError("login_required"));
    const { session } = await setup({ client, consentAlso: [RELAY] });
    await session.getToken(["Chat.Read"]).catch(() => undefined);
    const done = session.signIn();
    expect(client.acquireTokenPopup).toHaveBeenCalledTimes(1);
    expect(client.acquireTokenPopup).toHaveBeenCalledWith({ scopes: ["Chat.Read"], extraScopesToConsent: [RELAY], loginHint: HINT });
    await expect(done).resolves.toBe(true);
    // Afterwards the relay's token comes silently, for the account that signed in.
    await expect(session.getToken([RELAY])).resolves.toBe(`token-for-${HINT}-${RELAY}`);
    expect(client.acquireTokenSilent).toHaveBeenLastCalledWith({ scopes: [RELAY], account: expect.objectContaining({ username: HINT }), forceRefresh: false });
    expect(client.acquireTokenPopup).toHaveBeenCalledTimes(1);
    expect(session.getState()).toMatchObject({ status: "signedIn", pendingScopes: [] });
  });

  it("asks no consent to the relay's scope again once it was granted", async () => {
    const { session, client } = await setup({ accounts: [account(HINT)], consentAlso: [RELAY] });
    await session.getToken([RELAY]);
    client.acquireTokenSilent.mockRejectedValueOnce(msalError("consent_required"));
    await session.getToken(["ChatMessage.Send"]).catch(() => undefined);
    await session.signIn();
    expect(client.acquireTokenPopup.mock.calls[0][0]).toEqual({ scopes: ["ChatMessage.Send"], account: expect.objectContaining({ username: HINT }) });
  });

  it("consent to the relay still missing (relay set up after the user signed in): the window asks for the relay's scope itself", async () => {
    const { session, client } = await setup({ accounts: [account(HINT)], consentAlso: [RELAY] });
    client.acquireTokenSilent.mockRejectedValueOnce(msalError("consent_required"));
    await expect(session.getToken([RELAY])).rejects.toBeInstanceOf(AuthRequiredError);
    expect(session.getState()).toMatchObject({ status: "needsUser", problem: "consentRequired", pendingScopes: [RELAY] });
    await expect(session.signIn()).resolves.toBe(true);
    expect(client.acquireTokenPopup.mock.calls[0][0]).toEqual({ scopes: [RELAY], account: expect.objectContaining({ username: HINT }) });
    expect(session.getState()).toMatchObject({ status: "signedIn", signIns: 1, pendingScopes: [] });
  });

  it("without a relay, or when its setting can't be read, the window asks for Graph's scopes only", async () => {
    for (const consentAlso of [[], new Error("no privilege")]) {
      const { session, client } = await setup({ consentAlso });
      await session.signIn();
      expect(client.acquireTokenPopup.mock.calls[0][0]).toEqual({ scopes: ["Chat.Read"], loginHint: HINT });
    }
  });
});

describe("MsalAuthSession: retrying silently", () => {
  it("after the network is back, signs in silently and bumps signIns so waiting work resumes", async () => {
    const client = fakeClient([account(HINT)]);
    client.acquireTokenSilent.mockRejectedValueOnce(msalError("no_network_connectivity"));
    const { session } = await setup({ client });
    await expect(session.retrySilent()).resolves.toBe(false);
    expect(session.getState()).toMatchObject({ status: "needsUser", problem: "offline" });
    await expect(session.retrySilent()).resolves.toBe(true);
    expect(session.getState()).toMatchObject({ status: "signedIn", signIns: 1, pendingScopes: [] });
    expect(session.getState().problem).toBeUndefined();
  });
});

describe("MsalAuthSession: misconfiguration", () => {
  const problems: ConfigProblem[] = [
    { setting: "clientId", issue: "missing" },
    { setting: "tenantId", issue: "invalid", value: "contoso" },
  ];

  it("reports the configuration problems, never starts MSAL, and refuses tokens with AuthRequiredError", async () => {
    const { session, createClient, client } = await setup({ config: { ok: false, problems } });
    expect(session.getState()).toMatchObject({ status: "misconfigured", configProblems: problems });
    expect(createClient).not.toHaveBeenCalled();
    await expect(session.getToken(["Chat.Read"])).rejects.toBeInstanceOf(AuthRequiredError);
    expect(session.getState().status).toBe("misconfigured");
    await expect(session.signIn()).resolves.toBe(false);
    expect(client.acquireTokenPopup).not.toHaveBeenCalled();
  });

  it("reports MSAL refusing the settings as misconfigured, with the problem it named", async () => {
    const client = fakeClient();
    client.initialize.mockRejectedValue(msalError("untrusted_authority"));
    const { session } = await setup({ client });
    expect(session.getState()).toMatchObject({ status: "misconfigured", configProblems: [], problem: "appMisconfigured" });
    await expect(session.getToken(["Chat.Read"])).rejects.toBeInstanceOf(AuthRequiredError);
    expect(client.acquireTokenSilent).not.toHaveBeenCalled();
  });
});

describe("MsalAuthSession: listeners", () => {
  it("stops notifying after unsubscribe and after dispose", async () => {
    const { session, client } = await setup({ accounts: [account(HINT)] });
    const seen: AuthState[] = [];
    const off = session.subscribe((s) => seen.push(s));
    client.acquireTokenSilent.mockRejectedValue(msalError("login_required"));
    await session.getToken(["Chat.Read"]).catch(() => undefined);
    expect(seen).toHaveLength(1);
    off();
    session.rejected(["Chat.Read"]);
    expect(seen).toHaveLength(1);
    const after: AuthState[] = [];
    session.subscribe((s) => after.push(s));
    session.dispose();
    session.rejected(["Chat.Read"]);
    expect(after).toEqual([]);
  });
});

describe("msalConfiguration", () => {
  it("for Entra: client, authority and redirect, no OIDC protocol mode and no known authorities", () => {
    const config = configFor();
    const c = msalConfiguration(config);
    expect(c.auth).toEqual({ clientId: CLIENT, authority: `https://login.microsoftonline.com/${TENANT}`, redirectUri: REDIRECT_URI });
    expect(c.auth).not.toHaveProperty("knownAuthorities");
    expect(c.system).not.toHaveProperty("protocolMode");
  });

  it("for another OpenID Connect provider: OIDC protocol mode and that host (with port) as known authority", () => {
    const c = msalConfiguration(configFor("https://localhost:8443"));
    expect(c.system?.protocolMode).toBe("OIDC");
    expect(c.auth.knownAuthorities).toEqual(["localhost:8443"]);
    expect(c.auth.authority).toBe(`https://localhost:8443/${TENANT}`);
  });

  it("keeps the cache in session storage", () => {
    expect(msalConfiguration(configFor()).cache?.cacheLocation).toBe("sessionStorage");
  });

  it("logs errors only, without personal data, and writes nothing to the console", () => {
    const { loggerOptions } = msalConfiguration(configFor()).system ?? {};
    expect(loggerOptions?.piiLoggingEnabled).toBe(false);
    expect(loggerOptions?.logLevel).toBe(0); // LogLevel.Error
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((m) => vi.spyOn(console, m).mockImplementation(() => undefined));
    try {
      loggerOptions?.loggerCallback?.(0, "megan@contoso.test token=eyJ...", true);
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});
