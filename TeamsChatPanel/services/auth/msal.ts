/**
 * Graph tokens from Microsoft Entra ID through MSAL browser v5, one PublicClientApplication per
 * control instance. Silent first (cache, then the user's existing session with the UPN as login
 * hint), a popup only from a click, and every scope asked for only when a feature needs it.
 * The account is kept on the instance (never setActiveAccount: that is shared by every MSAL
 * instance on the page). Tokens stay inside MSAL: nothing here logs or stores them.
 */
import { BrowserCacheLocation, LogLevel, ProtocolMode, PublicClientApplication, type AccountInfo, type AuthenticationResult, type Configuration } from "@azure/msal-browser";
import { AuthRequiredError, ServiceError } from "../errors";
import type { TokenRequestOptions } from "../ports";
import { adminOnlyScopes, SCOPES, splitByResource } from "../graph/scopes";
import { adminConsentUrl, type ConfigProblem, type SignInConfig } from "./config";
import { classifyAuthError, type AuthProblem } from "./problems";
import { initialAuthState, type AuthSession, type AuthState } from "./session";

/** The parts of PublicClientApplication the session uses (tests substitute their own). */
export type MsalClient = Pick<PublicClientApplication, "initialize" | "acquireTokenSilent" | "ssoSilent" | "acquireTokenPopup" | "getAllAccounts">;

export interface MsalSessionOptions {
  /** Resolves the configuration, or the problems that keep sign-in from working. */
  loadConfig: () => Promise<{ ok: true; config: SignInConfig } | { ok: false; problems: ConfigProblem[] }>;
  /** The user's UPN (systemuser domainname), used as login hint and to pick the account. */
  loadLoginHint: () => Promise<string | undefined>;
  /**
   * Scopes of other APIs the panel will need (the live-updates relay's, when one is configured): the sign-in window
   * asks the user to consent to them too (MSAL's extraScopesToConsent), so their tokens come silently afterwards.
   */
  loadConsentAlso?: () => Promise<string[]>;
  createClient?: (configuration: Configuration) => MsalClient;
}

/** Scopes MSAL adds to every request; they are not Graph permissions. */
const OIDC_SCOPES = new Set(["openid", "profile", "offline_access", "email"]);

export function msalConfiguration(config: SignInConfig): Configuration {
  return {
    auth: {
      clientId: config.clientId,
      authority: config.authority,
      redirectUri: config.redirectUri,
      ...(config.entra ? {} : { knownAuthorities: [config.authorityHostName] }),
    },
    // Session storage: a reload signs in silently from the cache; closing the tab forgets it.
    cache: { cacheLocation: BrowserCacheLocation.SessionStorage },
    system: {
      // A provider other than Entra ID speaks plain OpenID Connect (the harness's local provider, for one).
      ...(config.entra ? {} : { protocolMode: ProtocolMode.OIDC }),
      loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => undefined },
    },
  };
}

export class MsalAuthSession implements AuthSession {
  private state: AuthState = initialAuthState;
  private readonly listeners = new Set<(s: AuthState) => void>();
  private client?: MsalClient;
  private config?: SignInConfig;
  private loginHint?: string;
  /** Known before any click (start() loads it): signIn() must not wait for anything. */
  private consentAlso: string[] = [];
  private account?: AccountInfo;
  private ssoInFlight?: Promise<AuthenticationResult>;
  /** The sign-in window must ask who is signing in (another person's session is open). */
  private forceLogin = false;
  private disposed = false;
  private readonly ready: Promise<void>;

  constructor(private readonly options: MsalSessionOptions) {
    this.ready = this.start();
    this.ready.catch(() => undefined);
  }

  getState(): AuthState {
    return this.state;
  }

  subscribe(listener: (s: AuthState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
  }

  private set(patch: Partial<AuthState>): void {
    if (this.disposed) return;
    this.state = { ...this.state, ...patch };
    for (const l of [...this.listeners]) l(this.state);
  }

  private async start(): Promise<void> {
    const [loaded, hint, also] = await Promise.all([
      this.options.loadConfig(),
      this.options.loadLoginHint().catch(() => undefined),
      (this.options.loadConsentAlso?.() ?? Promise.resolve([])).catch((): string[] => []),
    ]);
    if (!loaded.ok) {
      this.set({ status: "misconfigured", configProblems: loaded.problems, problem: undefined });
      return;
    }
    this.config = loaded.config;
    this.loginHint = hint?.trim() || undefined;
    this.consentAlso = also;
    const create = this.options.createClient ?? ((c: Configuration) => new PublicClientApplication(c));
    try {
      const client = create(msalConfiguration(loaded.config));
      await client.initialize();
      this.client = client;
    } catch (e) {
      this.set({ status: "misconfigured", configProblems: [], problem: classifyAuthError(e) });
      return;
    }
    this.account = this.findAccount();
    // Without a cached account the state stays "starting" until the first silent attempt tells.
    if (this.account && this.state.status === "starting") this.set({ status: "signedIn" });
  }

  /** The cached account of this user; never another person's, even when the tab was shared. */
  private findAccount(): AccountInfo | undefined {
    const accounts = this.client?.getAllAccounts() ?? [];
    if (this.loginHint) return accounts.find((a) => a.username.toLowerCase() === this.loginHint?.toLowerCase());
    return accounts.length === 1 ? accounts[0] : undefined;
  }

  async getToken(scopes: string[], options?: TokenRequestOptions): Promise<string> {
    await this.ready;
    const client = this.client;
    if (!client || this.state.status === "misconfigured") throw new AuthRequiredError("Sign-in is not configured");
    try {
      const result = await this.silent(client, scopes, options?.forceRefresh === true);
      this.accepted(result);
      return result.accessToken;
    } catch (e) {
      throw this.needsUser(e, scopes);
    }
  }

  private async silent(client: MsalClient, scopes: string[], forceRefresh: boolean): Promise<AuthenticationResult> {
    this.account ??= this.findAccount();
    if (this.account) return client.acquireTokenSilent({ scopes, account: this.account, forceRefresh });
    if (!this.loginHint) throw Object.assign(new Error("No account"), { errorCode: "no_account_error" });
    // One hidden-frame sign-in at a time: the first panel load asks for several scopes at once.
    this.ssoInFlight ??= client.ssoSilent({ scopes, loginHint: this.loginHint }).finally(() => (this.ssoInFlight = undefined));
    const first = await this.ssoInFlight;
    if (first.account.username.toLowerCase() !== this.loginHint.toLowerCase()) {
      // The browser's session belongs to someone else: this user must sign in themselves.
      this.forceLogin = true;
      throw Object.assign(new Error("Session belongs to another account"), { errorCode: "login_required" });
    }
    const missing = scopes.filter((s) => !first.scopes.some((g) => g.toLowerCase() === s.toLowerCase()));
    if (!missing.length) return first;
    this.account = first.account;
    return client.acquireTokenSilent({ scopes, account: first.account });
  }

  private accepted(result: AuthenticationResult): void {
    this.account = result.account;
    const granted = new Set(this.state.grantedScopes);
    for (const s of result.scopes) if (!OIDC_SCOPES.has(s.toLowerCase())) granted.add(s);
    const pending = this.state.pendingScopes.filter((s) => !granted.has(s));
    const patch: Partial<AuthState> = {
      grantedScopes: [...granted].sort(),
      account: { name: result.account.name, username: result.account.username },
      pendingScopes: pending,
    };
    if (this.state.status === "starting" || (this.state.status === "needsUser" && !pending.length)) Object.assign(patch, { status: "signedIn", problem: undefined, adminConsentUrl: undefined });
    this.set(patch);
  }

  /** Records what the user must do and returns the error the Graph call fails with. */
  private needsUser(error: unknown, scopes: string[]): Error {
    const problem = classifyAuthError(error, adminOnlyScopes(scopes));
    if (problem === "offline") return new ServiceError("offline", "No network connection for sign-in");
    const pendingScopes = [...new Set([...this.state.pendingScopes, ...scopes])];
    // While the sign-in window is open, other failures only add what they wait for: the window's outcome decides the state.
    if (this.state.status === "signingIn") this.set({ pendingScopes });
    else this.set({ status: "needsUser", problem, pendingScopes, adminConsentUrl: this.consentLink(problem, pendingScopes) });
    return new AuthRequiredError(`Sign-in needed (${problem})`);
  }

  private consentLink(problem: AuthProblem, scopes: string[]): string | undefined {
    if (!this.config || (problem !== "adminConsentRequired" && problem !== "consentDenied")) return undefined;
    const wanted = problem === "adminConsentRequired" ? adminOnlyScopes(scopes) : scopes;
    return adminConsentUrl(this.config, wanted.length ? wanted : scopes);
  }

  /** Graph refused a token MSAL just renewed: the session is over and the user must sign in again. */
  rejected(scopes: string[]): void {
    this.account = undefined;
    this.set({ status: "needsUser", problem: "signInRequired", adminConsentUrl: undefined, pendingScopes: [...new Set([...this.state.pendingScopes, ...scopes])] });
  }

  signIn(): Promise<boolean> {
    const client = this.client;
    if (!client || this.state.status === "signingIn" || this.state.status === "misconfigured") return Promise.resolve(false);
    const scopes = this.state.pendingScopes.length ? this.state.pendingScopes : [...SCOPES.readChats];
    // One token is for one resource: Graph's scopes are asked for, the relay's API is consented to in the same prompt
    // (also when nothing waits on it yet: the first sign-in then covers live updates too).
    const granted = new Set([...scopes, ...this.state.grantedScopes].map((s) => s.toLowerCase()));
    const split = splitByResource([...scopes, ...this.consentAlso.filter((s) => !granted.has(s.toLowerCase()))]);
    // No await before this call: the popup must open inside the click that asked for it.
    const who = this.account ? { account: this.account } : this.loginHint ? { loginHint: this.loginHint } : {};
    const popup = client.acquireTokenPopup({ scopes: split.scopes, ...(split.extra.length ? { extraScopesToConsent: split.extra } : {}), ...who, ...(this.forceLogin ? { prompt: "login" } : {}) });
    this.set({ status: "signingIn" });
    return popup.then(
      (result) => {
        this.forceLogin = false;
        this.set({ status: "needsUser" });
        this.accepted(result);
        this.set({ status: "signedIn", problem: undefined, pendingScopes: [], adminConsentUrl: undefined, signIns: this.state.signIns + 1 });
        return true;
      },
      (e: unknown) => {
        const problem = classifyAuthError(e, adminOnlyScopes(scopes));
        this.set({ status: "needsUser", problem, adminConsentUrl: this.consentLink(problem, scopes) });
        return false;
      },
    );
  }

  async retrySilent(): Promise<boolean> {
    await this.ready;
    const client = this.client;
    if (!client) return false;
    const scopes = this.state.pendingScopes.length ? this.state.pendingScopes : [...SCOPES.readChats];
    try {
      const split = splitByResource(scopes);
      this.accepted(await this.silent(client, split.scopes, false));
      for (const other of new Set(split.extra.map((s) => s.slice(0, s.lastIndexOf("/"))))) this.accepted(await this.silent(client, split.extra.filter((s) => s.startsWith(`${other}/`)), false));
      this.set({ status: "signedIn", problem: undefined, pendingScopes: [], signIns: this.state.signIns + 1 });
      return true;
    } catch (e) {
      const err = this.needsUser(e, scopes);
      if (err instanceof ServiceError && err.kind === "offline") this.set({ status: "needsUser", problem: "offline" });
      return false;
    }
  }
}
