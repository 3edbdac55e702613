import * as React from "react";
import { Button, Caption1, Tooltip, makeStyles, tokens } from "@fluentui/react-components";
import { ArrowClockwiseRegular } from "@fluentui/react-icons";
import { useStrings, type Translate } from "../app/strings";
import { formatSince } from "../domain/time";
import { usePanel } from "../store/context";
import type { LivePauseReason } from "../services/realtime/live";

const useStyles = makeStyles({
  root: { flexShrink: 0, display: "flex", flexDirection: "column", padding: `0 ${tokens.spacingHorizontalS} ${tokens.spacingVerticalXS}` },
  row: { display: "flex", alignItems: "center", justifyContent: "space-between", gap: tokens.spacingHorizontalS, minHeight: "24px" },
  text: { color: tokens.colorNeutralForeground3 },
  paused: { color: tokens.colorNeutralForeground2 },
});

const REDRAW_MS = 60_000;

/**
 * The host's "now" moved on by the time passed since it was given, redrawn every minute, so "Updated 5 minutes ago"
 * stays true while nothing else redraws the panel (display only; nothing is read).
 */
function useCurrentTime(now: Date): number {
  const [, setTick] = React.useState(0);
  const given = React.useRef({ at: now.getTime(), wall: Date.now() });
  if (given.current.at !== now.getTime()) given.current = { at: now.getTime(), wall: Date.now() };
  React.useEffect(() => {
    const id = setInterval(() => setTick((n) => n + 1), REDRAW_MS);
    return () => clearInterval(id);
  }, []);
  return given.current.at + Math.max(0, Date.now() - given.current.wall);
}

function pauseReason(t: Translate, reason: LivePauseReason): string {
  switch (reason) {
    case "unreachable":
      return t("Live_Reason_Unreachable");
    case "unauthorized":
      return t("Live_Reason_Unauthorized");
    case "needsUser":
      return t("Live_Reason_NeedsUser");
    default:
      return t("Live_Reason_NotConfigured");
  }
}

/** How current the list is, the Refresh button, and why live updates are paused when they are. */
export const LiveStatus: React.FC<{ now: Date }> = ({ now }) => {
  const styles = useStyles();
  const { t, locale } = useStrings();
  const live = usePanel((s) => s.liveStatus);
  const lastUpdatedAt = usePanel((s) => s.lastUpdatedAt);
  const refresh = usePanel((s) => s.refresh);
  const current = useCurrentTime(now);

  const text =
    live.state === "live" ? t("Live_On") : live.state === "connecting" ? t("Live_Connecting") : lastUpdatedAt !== undefined ? t("Live_Updated", formatSince(lastUpdatedAt, current, locale, t("Live_JustNow"))) : "";
  const reason = live.state === "paused" ? pauseReason(t, live.reason) : undefined;

  return (
    <div className={styles.root} data-testid="live-status">
      <div className={styles.row}>
        <Caption1 className={styles.text} data-testid="live-updated">
          {text}
        </Caption1>
        <Tooltip content={t("Live_Refresh")} relationship="label">
          <Button appearance="subtle" size="small" icon={<ArrowClockwiseRegular />} onClick={() => void refresh()} />
        </Tooltip>
      </div>
      {reason && (
        <Caption1 className={styles.paused} role="status" data-testid="live-paused">
          {t("Live_Paused", reason)}
        </Caption1>
      )}
    </div>
  );
};
