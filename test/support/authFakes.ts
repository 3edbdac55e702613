/** The AuthSession the tests drive: emit() is what MSAL's session does when its state changes; spies record what the UI asks. */
import { vi } from "vitest";
import { initialAuthState, type AuthSession, type AuthState } from "../../TeamsChatPanel/services/auth/session";

export class FakeAuthSession implements AuthSession {
  state: AuthState;
  private readonly listeners = new Set<(s: AuthState) => void>();
  signIn = vi.fn(async () => true);
  retrySilent = vi.fn(async () => true);
  getToken = vi.fn(async () => "token");
  rejected = vi.fn();

  constructor(state: Partial<AuthState> = {}) {
    this.state = { ...initialAuthState, ...state };
  }
  getState(): AuthState {
    return this.state;
  }
  subscribe(listener: (s: AuthState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  dispose(): void {
    this.listeners.clear();
  }
  emit(patch: Partial<AuthState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of [...this.listeners]) l(this.state);
  }
  /** What a successful interactive sign-in looks like to the store. */
  signedIn(): void {
    this.emit({ status: "signedIn", problem: undefined, pendingScopes: [], signIns: this.state.signIns + 1 });
  }
  get listenerCount(): number {
    return this.listeners.size;
  }
}
