/**
 * The sign-in redirect page (web resource tcp_/auth/redirect.html). The sign-in window and the
 * hidden sign-in frame land here; MSAL's bridge hands the response to the panel that asked for
 * it and closes the window. It renders nothing and loads nothing else.
 */
import { broadcastResponseToMainFrame } from "@azure/msal-browser/redirect-bridge";

broadcastResponseToMainFrame().catch(() => {
  // Opened directly (no sign-in response in the address): nothing to hand over.
  document.body.textContent = document.documentElement.lang.startsWith("de") ? "Diese Seite wird für die Anmeldung verwendet und kann geschlossen werden." : "This page is used for sign-in and can be closed.";
});
