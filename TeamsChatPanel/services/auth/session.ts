/**
 * The panel's sign-in state: a TokenProvider the Graph client uses, plus what the UI shows
 * when the user has to act. Implemented on MSAL (msal.ts); a fake implements it in tests.
 */
import type { TokenProvider } from "../ports";
import type { ConfigProblem } from "./config";
import type { AuthProblem } from "./problems";

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

export interface AuthSession extends TokenProvider {
  getState(): AuthState;
  subscribe(listener: (state: AuthState) => void): () => void;
  /** Opens the sign-in window. Call it straight from a click handler: browsers block windows opened later. */
  signIn(): Promise<boolean>;
  /** Tries the silent path again (after the network or the sign-in service came back). */
  retrySilent(): Promise<boolean>;
  dispose(): void;
}

export const initialAuthState: AuthState = { status: "starting", pendingScopes: [], grantedScopes: [], signIns: 0 };
