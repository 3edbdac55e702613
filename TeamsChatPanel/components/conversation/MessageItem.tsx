import * as React from "react";
import { Avatar, Badge, Button, Spinner, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import { AlertUrgentRegular, ErrorCircleRegular, ImportantRegular, PeopleRegular } from "@fluentui/react-icons";
import { useStrings } from "../../app/strings";
import type { ChatMessageItem, Importance } from "../../domain/messages";
import { formatFullTime } from "../../domain/time";
import { eventLine } from "../../domain/systemEvents";
import type { OutgoingItem } from "../../store/types";
import { MessageBody } from "./MessageBody";

const useStyles = makeStyles({
  row: { display: "flex", gap: tokens.spacingHorizontalS, padding: `0 ${tokens.spacingHorizontalS}`, boxSizing: "border-box", width: "100%" },
  first: { paddingTop: tokens.spacingVerticalS },
  mine: { justifyContent: "flex-end" },
  gutter: { width: "28px", flexShrink: 0 },
  bubble: {
    minWidth: 0,
    maxWidth: "calc(100% - 40px)",
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground3,
    marginTop: "2px",
    overflowWrap: "anywhere",
  },
  bubbleMine: { backgroundColor: tokens.colorBrandBackground2 },
  important: { borderLeft: `${tokens.strokeWidthThicker} solid ${tokens.colorPaletteDarkOrangeBorder2}` },
  urgent: { borderLeft: `${tokens.strokeWidthThicker} solid ${tokens.colorPaletteRedBorder2}` },
  meta: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "baseline", fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground3 },
  sender: { fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground2, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
  flag: { display: "inline-flex", alignItems: "center", gap: "2px", fontWeight: tokens.fontWeightSemibold },
  flagImportant: { color: tokens.colorPaletteDarkOrangeForeground1 },
  flagUrgent: { color: tokens.colorPaletteRedForeground1 },
  event: { display: "flex", justifyContent: "center", gap: tokens.spacingHorizontalXS, alignItems: "center", padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`, color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200, textAlign: "center" },
  day: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalM} ${tokens.spacingVerticalXS}`, color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200, "::before": { content: '""', flexGrow: 1, borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}` }, "::after": { content: '""', flexGrow: 1, borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}` } },
  status: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, justifyContent: "flex-end", flexWrap: "wrap", fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground3, padding: `2px ${tokens.spacingHorizontalS} 0` },
  failed: { color: tokens.colorPaletteRedForeground1, display: "inline-flex", alignItems: "center", gap: "4px" },
  hidden: { position: "absolute", width: "1px", height: "1px", overflow: "hidden", clip: "rect(0 0 0 0)", whiteSpace: "nowrap" },
});

const ImportanceFlag: React.FC<{ importance: Importance }> = ({ importance }) => {
  const styles = useStyles();
  const { t } = useStrings();
  if (importance === "normal") return null;
  return importance === "urgent" ? (
    <span className={mergeClasses(styles.flag, styles.flagUrgent)}>
      <AlertUrgentRegular aria-hidden="true" />
      {t("Message_Urgent")}
    </span>
  ) : (
    <span className={mergeClasses(styles.flag, styles.flagImportant)}>
      <ImportantRegular aria-hidden="true" />
      {t("Message_Important")}
    </span>
  );
};

export const DayRow: React.FC<{ label: string }> = ({ label }) => {
  const styles = useStyles();
  return (
    <div className={styles.day} role="heading" aria-level={3}>
      {label}
    </div>
  );
};

export const EventRow: React.FC<{ message: ChatMessageItem; locale: string }> = ({ message, locale }) => {
  const styles = useStyles();
  const { t } = useStrings();
  const line = message.event ? eventLine(message.event, locale) : undefined;
  return (
    <div className={styles.event} title={formatFullTime(message.createdDateTime, locale)}>
      <PeopleRegular aria-hidden="true" />
      <span>{line ? t(line.key, ...line.args) : t("Message_Event")}</span>
    </div>
  );
};

export interface MessageItemProps {
  message: ChatMessageItem;
  mine: boolean;
  firstOfGroup: boolean;
  locale: string;
  graphRoot: string;
  loadHostedImage(url: string): Promise<string>;
}

export const MessageItem: React.FC<MessageItemProps> = ({ message, mine, firstOfGroup, locale, graphRoot, loadHostedImage }) => {
  const styles = useStyles();
  const { t } = useStrings();
  const time = new Intl.DateTimeFormat(locale, { hour: "numeric", minute: "2-digit" }).format(new Date(message.createdDateTime));
  const full = formatFullTime(message.createdDateTime, locale);
  const name = message.from?.displayName ?? t("Message_UnknownSender");
  const showHeader = firstOfGroup || message.importance !== "normal";
  return (
    <div className={mergeClasses(styles.row, mine && styles.mine, firstOfGroup && styles.first)} data-message-id={message.id}>
      {!mine && (firstOfGroup ? <Avatar aria-hidden="true" size={28} name={name} color="colorful" /> : <span className={styles.gutter} />)}
      <div className={mergeClasses(styles.bubble, mine && styles.bubbleMine, message.importance === "high" && styles.important, message.importance === "urgent" && styles.urgent)}>
        {showHeader ? (
          <div className={styles.meta}>
            {!mine && <span className={styles.sender}>{name}</span>}
            <span title={full}>{time}</span>
            {message.editedDateTime && !message.deletedDateTime && <span>{t("Message_Edited")}</span>}
            <ImportanceFlag importance={message.importance} />
          </div>
        ) : (
          <span className={styles.hidden}>{mine ? time : `${name}, ${time}`}</span>
        )}
        <MessageBody message={message} graphBaseUrl={graphRoot} loadHostedImage={loadHostedImage} />
        {!showHeader && message.editedDateTime && !message.deletedDateTime && <div className={styles.meta}>{t("Message_Edited")}</div>}
      </div>
    </div>
  );
};

export interface OutgoingItemViewProps {
  item: OutgoingItem;
  chatId: string;
  graphRoot: string;
  onRetry(): void;
  onDiscard(): void;
}

const FAILURE_KEY: Record<string, string> = {
  offline: "Send_Failed_Offline",
  throttled: "Send_Failed_Throttled",
  forbidden: "Send_Failed_Forbidden",
  auth: "Send_Failed_Auth",
  notFound: "Send_Failed_NotFound",
  invalid: "Send_Failed_Invalid",
};

/** A message on its way: "Sending…", or failed with Retry and Delete (it is never lost silently). */
export const OutgoingItemView: React.FC<OutgoingItemViewProps> = ({ item, chatId, graphRoot, onRetry, onDiscard }) => {
  const styles = useStyles();
  const { t } = useStrings();
  const preview: ChatMessageItem = React.useMemo(
    () => ({
      id: item.message.clientId,
      chatId,
      kind: "message",
      createdDateTime: item.sentAt,
      lastModifiedDateTime: item.sentAt,
      importance: item.message.importance,
      body: { contentType: "html", content: item.message.html },
      attachments: item.message.files.map((f) => ({ id: f.attachmentId, contentType: "reference", name: f.name, contentUrl: f.webUrl })),
      mentions: item.message.mentions.map((m) => ({ id: m.id, text: m.displayName, userId: m.userId })),
    }),
    [item, chatId],
  );
  const noImages = React.useCallback(() => Promise.reject(new Error("not sent yet")), []);
  return (
    <div data-outgoing={item.message.clientId} data-state={item.state}>
      <div className={mergeClasses(styles.row, styles.mine, styles.first)}>
        <div className={mergeClasses(styles.bubble, styles.bubbleMine, item.message.importance === "high" && styles.important, item.message.importance === "urgent" && styles.urgent)}>
          {item.message.importance !== "normal" && (
            <div className={styles.meta}>
              <ImportanceFlag importance={item.message.importance} />
            </div>
          )}
          <MessageBody message={preview} graphBaseUrl={graphRoot} loadHostedImage={noImages} />
          {item.message.hostedContents.length > 0 && (
            <Badge appearance="tint" size="small">
              {t("Send_Images", item.message.hostedContents.length)}
            </Badge>
          )}
        </div>
      </div>
      <div className={styles.status} role={item.state === "failed" ? "alert" : "status"}>
        {item.state === "sending" && <Spinner size="extra-tiny" label={t("Send_Sending")} labelPosition="before" />}
        {item.state === "checking" && <Spinner size="extra-tiny" label={t("Send_Checking")} labelPosition="before" />}
        {item.state === "failed" && (
          <>
            <span className={styles.failed}>
              <ErrorCircleRegular aria-hidden="true" />
              {t(FAILURE_KEY[item.failure ?? ""] ?? "Send_Failed")}
            </span>
            <Button size="small" appearance="subtle" onClick={onRetry}>
              {t("Send_Retry")}
            </Button>
            <Button size="small" appearance="subtle" onClick={onDiscard}>
              {t("Send_Delete")}
            </Button>
          </>
        )}
      </div>
    </div>
  );
};
