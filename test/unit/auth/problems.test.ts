import { canRetryInteractively, classifyAuthError, errorCodeOf, type AuthProblem } from "../../../TeamsChatPanel/services/auth/problems";

/** What MSAL throws: an Error with errorCode (and sometimes subError). */
function msalError(errorCode: string, subError = "", message = `${errorCode}: something happened`) {
  return Object.assign(new Error(message), { errorCode, subError });
}

const CASES: Array<[string, AuthProblem]> = [
  ["interaction_required", "signInRequired"],
  ["login_required", "signInRequired"],
  ["no_account_error", "signInRequired"],
  ["no_tokens_found", "signInRequired"],
  ["native_account_unavailable", "signInRequired"],
  ["bad_token", "signInRequired"],
  ["refresh_token_expired", "signInRequired"],
  ["no_account_found", "signInRequired"],
  ["token_refresh_required", "signInRequired"],
  ["ui_not_allowed", "signInRequired"],
  ["consent_required", "consentRequired"],
  ["access_denied", "consentDenied"],
  ["popup_window_error", "popupBlocked"],
  ["empty_window_error", "popupBlocked"],
  ["user_cancelled", "cancelled"],
  ["user_canceled", "cancelled"],
  ["interaction_in_progress_cancelled", "cancelled"],
  ["interaction_in_progress", "inProgress"],
  ["no_network_connectivity", "offline"],
  ["endpoints_resolution_error", "providerUnreachable"],
  ["openid_config_error", "providerUnreachable"],
  ["network_error", "providerUnreachable"],
  ["post_request_failed", "providerUnreachable"],
  ["get_request_failed", "providerUnreachable"],
  ["failed_to_parse_response", "providerUnreachable"],
  ["temporarily_unavailable", "providerUnreachable"],
  ["server_error", "providerUnreachable"],
  ["monitor_window_timeout", "silentBlocked"],
  ["timed_out", "silentBlocked"],
  ["iframe_closed_prematurely", "silentBlocked"],
  ["block_iframe_reload", "silentBlocked"],
  ["invalid_client", "appMisconfigured"],
  ["unauthorized_client", "appMisconfigured"],
  ["invalid_request", "appMisconfigured"],
  ["authority_uri_insecure", "appMisconfigured"],
  ["url_parse_error", "appMisconfigured"],
  ["untrusted_authority", "appMisconfigured"],
  ["invalid_authority_metadata", "appMisconfigured"],
  ["issuer_validation_failed", "appMisconfigured"],
  ["redirect_uri_empty", "appMisconfigured"],
  ["authority_mismatch", "appMisconfigured"],
  ["something_new_in_msal_6", "unknown"],
];

describe("classifyAuthError", () => {
  it.each(CASES)("%s → %s", (code, problem) => {
    expect(classifyAuthError(msalError(code))).toBe(problem);
  });

  it("classifies plain objects carrying an errorCode (not only Error instances)", () => {
    expect(classifyAuthError({ errorCode: "popup_window_error" })).toBe("popupBlocked");
  });

  it("never reads the message text", () => {
    expect(classifyAuthError(new Error("user_cancelled: the user closed the window"))).toBe("unknown");
    expect(classifyAuthError(msalError("something_else", "", "AADSTS65001: consent_required, popup_window_error, no_network_connectivity"))).toBe("unknown");
    expect(classifyAuthError(msalError("user_cancelled", "", "interaction_required"))).toBe("cancelled");
  });

  it("is unknown for things that are not MSAL errors", () => {
    for (const e of [undefined, null, "login_required", 42, {}, { errorCode: 7 }, { errorCode: "" }]) expect(classifyAuthError(e)).toBe("unknown");
  });

  it("reads consent_required from the subError of an interaction-required error", () => {
    expect(classifyAuthError(msalError("invalid_grant", "consent_required"))).toBe("consentRequired");
    expect(classifyAuthError(msalError("interaction_required", "consent_required"))).toBe("consentRequired");
  });

  it("turns consent prompts and refusals for admin-only scopes into admin consent", () => {
    const adminOnly = ["ChannelMessage.Read.All"];
    expect(classifyAuthError(msalError("consent_required"), adminOnly)).toBe("adminConsentRequired");
    expect(classifyAuthError(msalError("interaction_required", "consent_required"), adminOnly)).toBe("adminConsentRequired");
    expect(classifyAuthError(msalError("access_denied"), adminOnly)).toBe("adminConsentRequired");
    // Other failures keep their meaning even when an admin-only scope was asked for.
    expect(classifyAuthError(msalError("popup_window_error"), adminOnly)).toBe("popupBlocked");
    expect(classifyAuthError(msalError("login_required"), adminOnly)).toBe("signInRequired");
  });

  // MSAL raises InteractionRequiredAuthError for these (isInteractionRequiredError: the server's
  // invalid_grant with an interaction sub-error, and the interrupted_user code): a click on
  // "Sign in" is what fixes them, so they are not an "unknown" failure.
  it.each([
    ["invalid_grant", "basic_action"],
    ["invalid_grant", "additional_action"],
    ["invalid_grant", "user_password_expired"],
    ["interrupted_user", ""],
  ])("an interaction-required error %s (subError %j) asks the user to sign in", (code, sub) => {
    expect(classifyAuthError(msalError(code, sub))).toBe("signInRequired");
  });
});

describe("errorCodeOf", () => {
  it("returns the errorCode string only", () => {
    expect(errorCodeOf(msalError("timed_out"))).toBe("timed_out");
    expect(errorCodeOf({ errorCode: 3 })).toBeUndefined();
    expect(errorCodeOf(null)).toBeUndefined();
    expect(errorCodeOf(new Error("timed_out"))).toBeUndefined();
  });
});

describe("canRetryInteractively", () => {
  it("offers a click for every problem but a mismatched app registration", () => {
    expect(canRetryInteractively("appMisconfigured")).toBe(false);
    for (const p of ["signInRequired", "consentRequired", "consentDenied", "adminConsentRequired", "popupBlocked", "cancelled", "inProgress", "offline", "providerUnreachable", "silentBlocked", "unknown"] as AuthProblem[]) {
      expect(canRetryInteractively(p)).toBe(true);
    }
  });
});
