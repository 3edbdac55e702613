import * as React from "react";
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Spinner, makeStyles, tokens } from "@fluentui/react-components";
import { CheckmarkCircleRegular, ErrorCircleRegular, WarningRegular } from "@fluentui/react-icons";
import { useDialogFocus } from "../app/useDialogFocus";
import { useStrings } from "../app/strings";
import { formatFullTime } from "../domain/time";
import { reportText, type CheckStatus, type DiagnosticLine } from "../domain/diagnostics";
import { usePanel } from "../store/context";
import { configLine, explain } from "./SignIn";

const useStyles = makeStyles({
  list: { listStyle: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  line: { display: "grid", gridTemplateColumns: "20px 1fr", columnGap: tokens.spacingHorizontalS, alignItems: "start" },
  icon: { fontSize: "20px", display: "flex" },
  ok: { color: tokens.colorPaletteGreenForeground1 },
  warning: { color: tokens.colorPaletteDarkOrangeForeground1 },
  error: { color: tokens.colorPaletteRedForeground1 },
  text: { margin: 0 },
  sub: { margin: `${tokens.spacingVerticalXS} 0 0`, paddingInlineStart: tokens.spacingHorizontalL },
  copied: { color: tokens.colorNeutralForeground2, alignSelf: "center" },
});

const ICONS: Record<CheckStatus, React.ReactElement> = { ok: <CheckmarkCircleRegular />, warning: <WarningRegular />, error: <ErrorCircleRegular /> };

/** The admin's view of what the panel depends on: configuration, sign-in, the link table, Graph. */
export const DiagnosticsDialog: React.FC<{ open: boolean; onClose(): void }> = ({ open, onClose }) => {
  const { t, locale } = useStrings();
  const styles = useStyles();
  const surface = useDialogFocus(open);
  const diagnostics = usePanel((s) => s.diagnostics);
  const run = usePanel((s) => s.runDiagnostics);
  const auth = usePanel((s) => s.auth);
  const [copied, setCopied] = React.useState(false);

  React.useEffect(() => {
    if (open) {
      setCopied(false);
      void run();
    }
  }, [open, run]);

  const statusLabel = (s: CheckStatus) => (s === "ok" ? t("Diag_Status_Ok") : s === "warning" ? t("Diag_Status_Warning") : t("Diag_Status_Error"));
  const textOf = (line: DiagnosticLine): string => {
    if (line.key === "Diag_SignIn_Needed" && auth) return t(line.key, explain(t, auth).body);
    if (line.key === "Diag_Live_Ok") return t(line.key, line.args[0], line.args[1] ? formatFullTime(line.args[1], locale) : t("Diag_Live_NoFrame"));
    return t(line.key, ...line.args);
  };
  const details = (line: DiagnosticLine): string[] => (line.id === "config" && auth?.status === "misconfigured" ? (auth.configProblems?.length ? auth.configProblems.map((p) => configLine(t, p)) : [t("Auth_Config_Unavailable")]) : []);

  const copy = async () => {
    const text = reportText(diagnostics.lines.flatMap((l) => [{ status: l.status, text: textOf(l) }, ...details(l).map((d) => ({ status: l.status, text: `  ${d}` }))]));
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };

  return (
    <Dialog open={open} onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface ref={surface}>
        <DialogBody>
          <DialogTitle>{t("Diag_Title")}</DialogTitle>
          <DialogContent>
            {diagnostics.status === "running" && !diagnostics.lines.length ? (
              <Spinner size="small" label={t("Diag_Running")} />
            ) : (
              <ul className={styles.list} aria-label={t("Diag_Title")} aria-busy={diagnostics.status === "running"} data-testid="diagnostics">
                {diagnostics.lines.map((line) => (
                  <li key={line.id} className={styles.line} data-check={line.id} data-status={line.status}>
                    <span className={`${styles.icon} ${styles[line.status]}`} role="img" aria-label={statusLabel(line.status)}>
                      {ICONS[line.status]}
                    </span>
                    <div>
                      <p className={styles.text}>{textOf(line)}</p>
                      {details(line).length > 0 && (
                        <ul className={styles.sub}>
                          {details(line).map((d) => (
                            <li key={d}>{d}</li>
                          ))}
                        </ul>
                      )}
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </DialogContent>
          <DialogActions>
            {copied && (
              <span className={styles.copied} role="status">
                {t("Diag_Copied")}
              </span>
            )}
            <Button appearance="secondary" disabled={diagnostics.status !== "done"} onClick={() => void copy()}>
              {t("Diag_Copy")}
            </Button>
            <Button appearance="secondary" disabled={diagnostics.status === "running"} onClick={() => void run()}>
              {t("Diag_Run")}
            </Button>
            <Button appearance="primary" onClick={onClose}>
              {t("Diag_Close")}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
};
