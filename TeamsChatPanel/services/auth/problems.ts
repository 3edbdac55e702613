/**
 * What went wrong with sign-in, in terms a person can act on. MSAL errors are classified by
 * their errorCode (and subError), never by message text, which changes between releases.
 */

import type { AuthProblem } from "../../domain/auth";

export type { AuthProblem } from "../../domain/auth";

interface ErrorLike {
  errorCode?: unknown;
  subError?: unknown;
}

const SIGN_IN = new Set(["interrupted_user", "interaction_required", "login_required", "no_account_error", "no_tokens_found", "native_account_unavailable", "bad_token", "refresh_token_expired", "no_account_found", "token_refresh_required", "ui_not_allowed"]);
/** Sub-errors Entra sends with invalid_grant when only the user can fix it (MSAL's interaction-required list). */
const SIGN_IN_SUB = new Set(["basic_action", "additional_action", "user_password_expired", "message_only", "bad_token"]);
const POPUP_BLOCKED = new Set(["popup_window_error", "empty_window_error"]);
const CANCELLED = new Set(["user_cancelled", "user_canceled", "interaction_in_progress_cancelled"]);
const UNREACHABLE = new Set(["endpoints_resolution_error", "openid_config_error", "network_error", "post_request_failed", "get_request_failed", "failed_to_parse_response", "temporarily_unavailable", "server_error"]);
const SILENT_BLOCKED = new Set(["monitor_window_timeout", "timed_out", "iframe_closed_prematurely", "block_iframe_reload"]);
const APP_CONFIG = new Set([
  "invalid_client",
  "unauthorized_client",
  "invalid_request",
  "authority_uri_insecure",
  "url_parse_error",
  "untrusted_authority",
  "invalid_authority_metadata",
  "issuer_validation_failed",
  "redirect_uri_empty",
  "authority_mismatch",
]);

export function errorCodeOf(error: unknown): string | undefined {
  const code = (error as ErrorLike | null)?.errorCode;
  return typeof code === "string" && code ? code : undefined;
}

/**
 * @param adminOnly the requested scopes an administrator must grant: a refusal or a consent
 *   prompt for them means "ask your admin", not "try again".
 */
export function classifyAuthError(error: unknown, adminOnly: readonly string[] = []): AuthProblem {
  const code = errorCodeOf(error);
  const sub = (error as ErrorLike | null)?.subError;
  if (!code) return "unknown";
  if (code === "consent_required" || sub === "consent_required") return adminOnly.length ? "adminConsentRequired" : "consentRequired";
  if (code === "access_denied") return adminOnly.length ? "adminConsentRequired" : "consentDenied";
  if (code === "no_network_connectivity") return "offline";
  if (POPUP_BLOCKED.has(code)) return "popupBlocked";
  if (CANCELLED.has(code)) return "cancelled";
  if (code === "interaction_in_progress") return "inProgress";
  if (SILENT_BLOCKED.has(code)) return "silentBlocked";
  if (UNREACHABLE.has(code)) return "providerUnreachable";
  if (APP_CONFIG.has(code)) return "appMisconfigured";
  if (SIGN_IN.has(code) || (typeof sub === "string" && SIGN_IN_SUB.has(sub))) return "signInRequired";
  return "unknown";
}

/** Problems a click on the sign-in button can solve (the others need the network, a browser setting or an admin). */
export function canRetryInteractively(problem: AuthProblem): boolean {
  return problem !== "appMisconfigured";
}
