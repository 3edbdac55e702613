import { AuthRequiredError } from "../errors";
import type { TokenProvider } from "../ports";

/** Until sign-in is configured for the environment, every Graph call asks the user to sign in. */
export const unconfiguredTokenProvider: TokenProvider = {
  getToken: () => Promise.reject(new AuthRequiredError("No Graph token provider is configured")),
};
