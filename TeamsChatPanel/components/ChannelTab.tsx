import * as React from "react";
import {
  Badge,
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Spinner,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { ArrowClockwiseRegular, DismissRegular, LinkDismissRegular, OpenRegular, PeopleTeamAddRegular, PeopleTeamRegular } from "@fluentui/react-icons";
import { useHost } from "../app/host";
import { useDialogFocus } from "../app/useDialogFocus";
import { useStrings } from "../app/strings";
import { formatFullTime, formatListTime } from "../domain/time";
import type { LinkedChannel } from "../store/channelTypes";
import { usePanel } from "../store/context";
import { CollaborateDialog } from "./channels/CollaborateDialog";
import { ChannelThreadView } from "./channels/ChannelThreadView";
import { StateMessage } from "./StateMessage";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", flexGrow: 1, minHeight: 0 },
  toolbar: { flexShrink: 0, display: "flex", padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalS}` },
  list: { flexGrow: 1, minHeight: 0, overflowY: "auto", margin: 0, padding: 0, listStyleType: "none" },
  row: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalS}`, borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}` },
  icon: { fontSize: "24px", color: tokens.colorBrandForeground1, display: "flex", flexShrink: 0 },
  text: { flexGrow: 1, minWidth: 0, display: "flex", flexDirection: "column" },
  open: { justifyContent: "flex-start", textAlign: "start", padding: 0, minWidth: 0, fontWeight: tokens.fontWeightSemibold, maxWidth: "100%" },
  name: { fontWeight: tokens.fontWeightSemibold, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
  secondary: { fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground3, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
  badges: { display: "flex", gap: tokens.spacingHorizontalXS, flexWrap: "wrap" },
  actions: { display: "flex", flexShrink: 0 },
});

/** Unlinking asks first, like a chat: the channel stays in Teams, only the record loses it. */
const UnlinkDialog: React.FC<{ channel?: LinkedChannel; name: string; onClose(): void }> = ({ channel, name, onClose }) => {
  const { t } = useStrings();
  const unlink = usePanel((s) => s.unlinkChannel);
  const me = usePanel((s) => s.me?.systemUserId);
  const surface = useDialogFocus(!!channel);
  if (!channel) return null;
  const notMine = !!channel.ownerId && !!me && channel.ownerId.toLowerCase() !== me.toLowerCase();
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface ref={surface}>
        <DialogBody>
          <DialogTitle>{t("ChannelUnlink_Title")}</DialogTitle>
          <DialogContent>
            <p>{t("ChannelUnlink_Body", name)}</p>
            {notMine && <p>{t("ChannelUnlink_NotYours")}</p>}
          </DialogContent>
          <DialogActions>
            <Button appearance="secondary" onClick={onClose}>
              {t("Action_Cancel")}
            </Button>
            <Button
              appearance="primary"
              onClick={() => {
                onClose();
                void unlink(channel.linkId);
              }}
            >
              {t("Unlink_Confirm")}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
};

const ChannelRow: React.FC<{ channel: LinkedChannel; now: Date; onOpen(): void; canRead: boolean }> = ({ channel, now, onOpen, canRead }) => {
  const styles = useStyles();
  const { t, locale } = useStrings();
  const host = useHost();
  const [confirming, setConfirming] = React.useState(false);
  const unlinkButton = React.useRef<HTMLButtonElement>(null);
  const retry = usePanel((s) => s.retryChannelLink);
  const busy = usePanel((s) => !!s.busyChannelLinks[channel.linkId] || !!s.busyChannelLinks[channel.channelId]);
  const unreachable = channel.state === "unreachable";
  const name = unreachable ? (channel.channelName ?? t("Channel_Unreachable")) : (channel.channelName ?? t("Channel_Loading"));
  const readable = canRead && (channel.state === "ok" || channel.state === "archived" || channel.state === "pending");
  return (
    <li className={styles.row} data-channel-id={channel.channelId} data-state={channel.state}>
      <span className={styles.icon} aria-hidden="true">
        <PeopleTeamRegular />
      </span>
      <div className={styles.text}>
        {readable ? (
          <Button appearance="transparent" className={styles.open} onClick={onOpen} aria-label={t("Channel_OpenNamed", name, channel.teamName ?? "")}>
            <span className={styles.name}>{name}</span>
          </Button>
        ) : (
          <span className={styles.name}>{name}</span>
        )}
        <span className={styles.secondary}>
          {unreachable ? (channel.teamName ? t("Channel_UnreachableIn", channel.teamName) : t("Channel_UnreachableBody")) : channel.teamName}
        </span>
        {channel.lastActivity && (
          <span className={styles.secondary} title={formatFullTime(channel.lastActivity, locale)}>
            {t("Channel_LastActivity", formatListTime(channel.lastActivity, now, locale, { yesterday: t("Time_Yesterday") }))}
          </span>
        )}
        <span className={styles.badges}>
          {channel.state === "loading" && <Spinner size="extra-tiny" label={t("Channel_Loading")} />}
          {channel.state === "archived" && (
            <Badge appearance="tint" color="informative">
              {t("Channel_Archived")}
            </Badge>
          )}
          {channel.state === "pending" && (
            <Badge appearance="tint" color="warning">
              {t("Channel_PendingBadge")}
            </Badge>
          )}
        </span>
      </div>
      <div className={styles.actions}>
        {channel.state === "pending" && (
          <Button appearance="subtle" icon={busy ? <Spinner size="extra-tiny" /> : <ArrowClockwiseRegular />} disabled={busy} aria-label={t("Channel_RetryLink", name)} onClick={() => void retry(channel.channelId)} />
        )}
        {channel.webUrl && <Button appearance="subtle" icon={<OpenRegular />} aria-label={t("Channel_OpenInTeamsNamed", name)} onClick={() => host.openUrl(channel.webUrl as string)} />}
        <Button ref={unlinkButton} appearance="subtle" icon={<LinkDismissRegular />} disabled={busy} aria-label={t("Channel_Unlink", name)} onClick={() => setConfirming(true)} />
      </div>
      <UnlinkDialog
        channel={confirming ? channel : undefined}
        name={name}
        onClose={() => {
          setConfirming(false);
          // After a cancel focus returns to the button; after an unlink the row is gone and the list's first control takes it.
          setTimeout(() => (unlinkButton.current ?? document.querySelector<HTMLElement>('[data-channel-id] button, [data-testid="channels-empty"]'))?.focus(), 0);
        }}
      />
    </li>
  );
};

/** The Channel tab: channels linked to this record, "Collaborate with Microsoft Teams", and a channel read in the panel. */
export const ChannelTab: React.FC<{ now?: Date }> = ({ now = new Date() }) => {
  const styles = useStyles();
  const { t } = useStrings();
  const recordRef = usePanel((s) => s.env.record);
  const status = usePanel((s) => s.channelsStatus);
  const error = usePanel((s) => s.channelsError);
  const linked = usePanel((s) => s.linkedChannels);
  const notice = usePanel((s) => s.channelNotice);
  const dismiss = usePanel((s) => s.dismissChannelNotice);
  const load = usePanel((s) => s.loadLinkedChannels);
  const thread = usePanel((s) => s.thread);
  const openThread = usePanel((s) => s.openChannelThread);
  const closeThread = usePanel((s) => s.closeChannelThread);
  const canRead = usePanel((s) => s.env.channelReading !== false);
  const [dialogOpen, setDialogOpen] = React.useState(false);
  const collabButton = React.useRef<HTMLButtonElement>(null);
  const returnTo = React.useRef<string | undefined>();

  React.useEffect(() => {
    if (recordRef && status === "idle") void load();
  }, [recordRef, status, load]);

  if (!recordRef) return <StateMessage icon={<PeopleTeamRegular />} title={t("Channels_Unsaved_Title")} body={t("Channels_Unsaved_Body")} testId="channels-unsaved" />;

  const reading = thread && linked.find((l) => l.channelId === thread.channelId);
  if (reading) {
    return (
      <ChannelThreadView
        channel={reading}
        onBack={() => {
          returnTo.current = reading.channelId;
          closeThread();
          // Back in the list, focus goes to the channel the user came from.
          setTimeout(() => document.querySelector<HTMLElement>(`[data-channel-id="${CSS.escape(returnTo.current ?? "")}"] button`)?.focus(), 0);
        }}
      />
    );
  }

  return (
    <div className={styles.root}>
      <div className={styles.toolbar}>
        <Button ref={collabButton} appearance="primary" icon={<PeopleTeamAddRegular />} onClick={() => setDialogOpen(true)}>
          {t("Collab_Open")}
        </Button>
      </div>
      {notice && (
        <MessageBar intent={notice.intent} layout="multiline" data-testid="channel-notice" role={notice.intent === "error" ? "alert" : "status"}>
          <MessageBarBody>{t(notice.key, ...notice.args)}</MessageBarBody>
          <MessageBarActions containerAction={<Button appearance="transparent" size="small" icon={<DismissRegular />} aria-label={t("Notice_Dismiss")} onClick={dismiss} />} />
        </MessageBar>
      )}
      {!canRead && linked.length > 0 && (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>{t("Channels_ReadingOff")}</MessageBarBody>
        </MessageBar>
      )}
      {status === "loading" && <Spinner label={t("Channels_Loading")} />}
      {status === "error" && (
        <StateMessage
          icon={<PeopleTeamRegular />}
          title={t("Channels_Failed_Title")}
          body={error === "auth" ? t("Error_Auth_Body") : error === "forbidden" ? t("Channels_Failed_Forbidden") : t("Channels_Failed_Body")}
          role="alert"
          action={{ label: t("Action_Retry"), onClick: () => void load() }}
          testId="channels-error"
        />
      )}
      {status === "ready" && linked.length === 0 && <StateMessage icon={<PeopleTeamRegular />} title={t("Channels_Empty_Title")} body={t("Channels_Empty_Body")} testId="channels-empty" />}
      {status === "ready" && linked.length > 0 && (
        <ul className={styles.list} aria-label={t("Channels_ListLabel")}>
          {linked.map((c) => (
            <ChannelRow key={c.linkId} channel={c} now={now} canRead={canRead} onOpen={() => void openThread(c.teamId, c.channelId)} />
          ))}
        </ul>
      )}
      <CollaborateDialog
        open={dialogOpen}
        onClose={() => {
          setDialogOpen(false);
          setTimeout(() => collabButton.current?.focus(), 0);
        }}
      />
    </div>
  );
};
