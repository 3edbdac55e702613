/**
 * The panel's sign-in state as the UI and the admin diagnostics read it. The sign-in adapter (services/auth/msal.ts)
 * produces it; services/auth re-exports these types for its callers.
 */

/** What went wrong with sign-in, in terms a person can act on (services/auth/problems.ts classifies MSAL errors). */
export type AuthProblem =
  /** Nobody is signed in yet, or the session ended: a click on "Sign in" fixes it. */
  | "signInRequired"
  /** The feature needs a permission the user has not granted yet. */
  | "consentRequired"
  /** The user (or the tenant's policy) said no to a permission. */
  | "consentDenied"
  /** The permission can only be granted by an administrator. */
  | "adminConsentRequired"
  /** The browser blocked the sign-in window. */
  | "popupBlocked"
  /** The user closed the sign-in window. */
  | "cancelled"
  /** Another sign-in window is already open. */
  | "inProgress"
  /** The device is offline. */
  | "offline"
  /** The sign-in service did not answer. */
  | "providerUnreachable"
  /** Silent sign-in could not reach the sign-in service from a hidden frame: usually third-party cookies are blocked. */
  | "silentBlocked"
  /** The app registration does not match (client id, redirect URI, authority). */
  | "appMisconfigured"
  | "unknown";

export type ConfigSetting = "clientId" | "tenantId" | "authorityHost" | "redirectPath";

export interface ConfigProblem {
  setting: ConfigSetting;
  issue: "missing" | "invalid";
  /** What the admin typed, so the message can show it. */
  value?: string;
}

export type AuthStatus =
  /** Configuration and MSAL are loading. */
  | "starting"
  /** Tokens come silently. */
  | "signedIn"
  /** The user must click to sign in or grant a permission (see problem). */
  | "needsUser"
  /** A sign-in window is open. */
  | "signingIn"
  /** Client id / tenant id / authority / redirect settings are missing or wrong: only an admin can fix it. */
  | "misconfigured";

export interface AuthState {
  status: AuthStatus;
  problem?: AuthProblem;
  /** Scopes the features waiting on the user need; what the consent prompt will ask for. */
  pendingScopes: string[];
  /** Scopes granted so far in this session (from token responses). */
  grantedScopes: string[];
  account?: { name?: string; username: string };
  configProblems?: ConfigProblem[];
  /** Entra's admin consent page for the pending scopes, when the problem is admin consent. */
  adminConsentUrl?: string;
  /** Bumped after every successful interactive sign-in: work that waited on the user can run again. */
  signIns: number;
}
