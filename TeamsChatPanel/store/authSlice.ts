import type { StateCreator } from "zustand/vanilla";
import type { Services } from "../services/ports";
import type { AuthState } from "../services/auth/session";
import type { PanelState } from "./types";

export interface AuthSlice {
  /** Sign-in state; undefined when the host supplies tokens (the local harness's direct mode, tests). */
  auth?: AuthState;
  /** Opens the sign-in window: call straight from the click. */
  signIn(): void;
  /** Silent sign-in again (network or sign-in service back). */
  retrySignIn(): void;
  /** Mirrors the session into the store and resumes what waited on the user; returns the unsubscribe. */
  connectAuth(): () => void;
}

export const createAuthSlice =
  (services: Services): StateCreator<PanelState, [], [], AuthSlice> =>
  (set, get) => ({
    auth: services.auth?.getState(),

    signIn() {
      void services.auth?.signIn();
    },

    retrySignIn() {
      void services.auth?.retrySilent();
    },

    connectAuth() {
      const session = services.auth;
      if (!session) return () => undefined;
      let signIns = session.getState().signIns;
      return session.subscribe((state) => {
        set({ auth: state });
        if (state.signIns === signIns) return;
        signIns = state.signIns;
        resumeAfterSignIn(get());
      });
    },
  });

/**
 * After the user signed in or granted a permission: load what failed for want of it. Sends that
 * failed before any request went out (no token) are sent now, and paused live updates reconnect;
 * nothing else is retried silently.
 */
function resumeAfterSignIn(state: PanelState): void {
  if (state.status === "auth" || (state.status === "error" && state.error === "auth")) {
    void state.start();
    return;
  }
  state.resumeLive();
  for (const [chatId, conversation] of Object.entries(state.conversations)) {
    if (conversation.status === "error" && conversation.error === "auth") void state.reloadChat(chatId);
    for (const item of conversation.outgoing) {
      if (item.state === "failed" && item.failure === "auth" && !item.outcomeUnknown) void state.retrySend(chatId, item.message.clientId);
    }
  }
}
