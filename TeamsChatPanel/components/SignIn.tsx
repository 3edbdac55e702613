import * as React from "react";
import { Button, Link, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Spinner, makeStyles, tokens } from "@fluentui/react-components";
import { LockClosedRegular, ShieldErrorRegular } from "@fluentui/react-icons";
import { useStrings, type Translate } from "../app/strings";
import { usePanel } from "../store/context";
import type { AuthState } from "../services/auth/session";
import type { AuthProblem } from "../services/auth/problems";
import type { ConfigProblem } from "../services/auth/config";
import { isRelayScope } from "../domain/relayScope";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", alignItems: "center", textAlign: "center", gap: tokens.spacingVerticalS, padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalL}`, color: tokens.colorNeutralForeground2 },
  icon: { fontSize: "40px", color: tokens.colorBrandForeground1, display: "flex" },
  title: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground1 },
  body: { margin: 0, fontSize: tokens.fontSizeBase300, maxWidth: "320px" },
  list: { margin: 0, paddingInlineStart: tokens.spacingHorizontalL, textAlign: "start", maxWidth: "340px", fontSize: tokens.fontSizeBase300, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  actions: { display: "flex", flexWrap: "wrap", justifyContent: "center", gap: tokens.spacingHorizontalS },
  // Never squeezed by the panel body below it.
  banner: { flexShrink: 0, margin: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}` },
});

/** What each permission lets the panel do, in the user's words. */
export function featureOf(t: Translate, scope: string): string {
  if (isRelayScope(scope)) return t("Auth_Scope_Relay");
  switch (scope) {
    case "Chat.Read":
      return t("Auth_Scope_Chat_Read");
    case "Chat.Create":
      return t("Auth_Scope_Chat_Create");
    case "Chat.ReadWrite":
      return t("Auth_Scope_Chat_ReadWrite");
    case "ChatMessage.Send":
      return t("Auth_Scope_ChatMessage_Send");
    case "ChatMember.Read":
      return t("Auth_Scope_ChatMember_Read");
    case "ChatMember.ReadWrite":
      return t("Auth_Scope_ChatMember_ReadWrite");
    case "Files.ReadWrite":
      return t("Auth_Scope_Files_ReadWrite");
    case "User.ReadBasic.All":
      return t("Auth_Scope_User_ReadBasic_All");
    case "Team.ReadBasic.All":
      return t("Auth_Scope_Team_ReadBasic_All");
    case "Channel.ReadBasic.All":
      return t("Auth_Scope_Channel_ReadBasic_All");
    case "Channel.Create":
      return t("Auth_Scope_Channel_Create");
    case "ChannelMessage.Read.All":
      return t("Auth_Scope_ChannelMessage_Read_All");
    case "ChannelMessage.Send":
      return t("Auth_Scope_ChannelMessage_Send");
    default:
      return t("Auth_Scope_Other");
  }
}

/** A permission as the user may see it named: Graph's by name (Chat.Read), the relay's API in words, never its URI. */
export function permissionName(t: Translate, scope: string): string {
  return isRelayScope(scope) ? t("Auth_Permission_Relay") : scope;
}

export function configLine(t: Translate, p: ConfigProblem): string {
  const value = p.value ?? "";
  switch (`${p.setting}:${p.issue}`) {
    case "clientId:missing":
      return t("Auth_Config_ClientIdMissing");
    case "clientId:invalid":
      return t("Auth_Config_ClientIdInvalid", value);
    case "tenantId:missing":
      return t("Auth_Config_TenantIdMissing");
    case "tenantId:invalid":
      return t("Auth_Config_TenantIdInvalid", value);
    case "authorityHost:invalid":
      return t("Auth_Config_AuthorityHostInvalid", value);
    default:
      return t("Auth_Config_RedirectPathInvalid", value);
  }
}

interface Explained {
  title: string;
  body: string;
  action: "signIn" | "grant" | "retry" | "none";
}

/** Title, text and the one action that helps, for the user's situation. */
export function explain(t: Translate, auth: AuthState): Explained {
  const problem: AuthProblem = auth.problem ?? "signInRequired";
  const features = [...new Set(auth.pendingScopes.map((s) => featureOf(t, s)))].join(", ") || t("Auth_Scope_Other");
  const scopes = auth.pendingScopes.map((s) => permissionName(t, s)).join(", ");
  switch (problem) {
    case "consentRequired":
      return { title: t("Auth_Title_Permission"), body: t("Auth_Body_ConsentRequired", features, scopes), action: "grant" };
    case "consentDenied":
      return { title: t("Auth_Title_Permission"), body: t("Auth_Body_ConsentDenied", features, scopes), action: "grant" };
    case "adminConsentRequired":
      return { title: t("Auth_Title_Permission"), body: t("Auth_Body_AdminConsent", features, scopes), action: "grant" };
    case "popupBlocked":
      return { title: t("Auth_Title_Problem"), body: t("Auth_Body_PopupBlocked"), action: "signIn" };
    case "cancelled":
      return { title: t("Auth_Title_Problem"), body: t("Auth_Body_Cancelled"), action: "signIn" };
    case "inProgress":
      return { title: t("Auth_Title_Problem"), body: t("Auth_Body_InProgress"), action: "none" };
    case "offline":
      return { title: t("Auth_Title_Problem"), body: t("Auth_Body_Offline"), action: "retry" };
    case "providerUnreachable":
      return { title: t("Auth_Title_Problem"), body: t("Auth_Body_ProviderUnreachable"), action: "retry" };
    case "silentBlocked":
      return { title: t("Auth_Title_SignIn"), body: t("Auth_Body_SilentBlocked"), action: "signIn" };
    case "appMisconfigured":
      return { title: t("Auth_Title_Problem"), body: t("Auth_Body_AppMisconfigured"), action: "none" };
    case "unknown":
      return { title: t("Auth_Title_Problem"), body: t("Auth_Body_Unknown"), action: "signIn" };
    default:
      return { title: t("Auth_Title_SignIn"), body: t("Auth_Body_SignInRequired"), action: "signIn" };
  }
}

const AuthAction: React.FC<{ auth: AuthState; action: Explained["action"]; primary?: boolean }> = ({ auth, action, primary = true }) => {
  const { t } = useStrings();
  const signIn = usePanel((s) => s.signIn);
  const retry = usePanel((s) => s.retrySignIn);
  if (auth.status === "signingIn") return <Spinner size="tiny" label={t("Auth_Signing")} />;
  const appearance = primary ? "primary" : "secondary";
  const consent = auth.adminConsentUrl ? (
    <Link href={auth.adminConsentUrl} target="_blank" rel="noopener noreferrer">
      {t("Auth_Action_AdminConsent")}
    </Link>
  ) : null;
  if (action === "none") return consent;
  const label = action === "grant" ? t("Auth_Action_Grant") : action === "retry" ? t("Auth_Action_TryAgain") : t("Action_SignIn");
  return (
    <>
      {/* The click itself opens the window: nothing may run asynchronously before it. */}
      <Button appearance={appearance} onClick={action === "retry" ? retry : signIn}>
        {label}
      </Button>
      {consent}
    </>
  );
};

/** The whole panel waits on sign-in (the chat list could not load): what happened and the button that helps. */
export const SignInPrompt: React.FC<{ fallback: () => void }> = ({ fallback }) => {
  const { t } = useStrings();
  const styles = useStyles();
  const auth = usePanel((s) => s.auth);
  if (!auth) {
    // The host supplies tokens: all the panel can do is ask it again.
    return (
      <div className={styles.root} role="status" data-testid="state-auth">
        <span className={styles.icon} aria-hidden="true">
          <LockClosedRegular />
        </span>
        <h2 className={styles.title}>{t("Error_Auth_Title")}</h2>
        <p className={styles.body}>{t("Error_Auth_Body")}</p>
        <Button appearance="primary" onClick={fallback}>
          {t("Action_SignIn")}
        </Button>
      </div>
    );
  }
  if (auth.status === "misconfigured") {
    const lines = auth.configProblems?.length ? auth.configProblems.map((p) => configLine(t, p)) : [t("Auth_Config_Unavailable")];
    return (
      <div className={styles.root} role="alert" data-testid="state-auth-config">
        <span className={styles.icon} aria-hidden="true">
          <ShieldErrorRegular />
        </span>
        <h2 className={styles.title}>{t("Auth_Config_Title")}</h2>
        <p className={styles.body}>{t("Auth_Config_Body")}</p>
        <ul className={styles.list}>
          {lines.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </div>
    );
  }
  const e = explain(t, auth);
  return (
    <div className={styles.root} role={auth.problem && auth.problem !== "signInRequired" ? "alert" : "status"} data-testid="state-auth" data-problem={auth.problem ?? "signInRequired"}>
      <span className={styles.icon} aria-hidden="true">
        <LockClosedRegular />
      </span>
      <h2 className={styles.title}>{e.title}</h2>
      <p className={styles.body}>{e.body}</p>
      <div className={styles.actions}>
        <AuthAction auth={auth} action={e.action} />
      </div>
    </div>
  );
};

/** A feature (send, people, files…) waits on a permission while the rest of the panel works. */
export const AuthBanner: React.FC = () => {
  const { t } = useStrings();
  const styles = useStyles();
  const auth = usePanel((s) => s.auth);
  const listStatus = usePanel((s) => s.status);
  if (!auth || listStatus === "auth" || (auth.status !== "needsUser" && auth.status !== "signingIn")) return null;
  const e = explain(t, auth);
  return (
    <MessageBar className={styles.banner} intent="warning" layout="multiline" data-testid="auth-banner" data-problem={auth.problem ?? "signInRequired"} aria-label={t("Auth_Region")}>
      <MessageBarBody>
        <MessageBarTitle>{e.title}</MessageBarTitle>
        {e.body}
      </MessageBarBody>
      <MessageBarActions>
        <AuthAction auth={auth} action={e.action} primary={false} />
      </MessageBarActions>
    </MessageBar>
  );
};
