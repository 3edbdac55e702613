/**
 * The panel's sign-in state: a TokenProvider the Graph client uses, plus what the UI shows
 * when the user has to act. Implemented on MSAL (msal.ts); a fake implements it in tests.
 */
import type { AuthState } from "../../domain/auth";
import type { TokenProvider } from "../ports";

/** The sign-in state's shape lives in domain/auth.ts (the diagnostics read it); adapters and the UI import it from here. */
export type { AuthState, AuthStatus } from "../../domain/auth";

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
