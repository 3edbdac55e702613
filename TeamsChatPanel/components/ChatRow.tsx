import * as React from "react";
import { Avatar, Button, Menu, MenuItem, MenuList, MenuPopover, Tooltip, makeStyles, mergeClasses, tokens, useId } from "@fluentui/react-components";
import { EditRegular, LinkDismissRegular, LinkRegular, MoreHorizontalRegular, OpenRegular, PeopleRegular } from "@fluentui/react-icons";
import { useHost } from "../app/host";
import { useStrings } from "../app/strings";
import type { ChatEntry } from "../domain/sections";
import { formatFullTime, formatListTime } from "../domain/time";
import type { RecordInfo, SectionId } from "../domain/types";
import { recordKey } from "../store/types";
import { previewLine } from "./previewText";
import { TableIcon } from "./tableIcon";

const useStyles = makeStyles({
  row: {
    display: "flex",
    alignItems: "stretch",
    boxSizing: "border-box",
    height: "100%",
    borderRadius: tokens.borderRadiusMedium,
    ":hover": { backgroundColor: tokens.colorSubtleBackgroundHover },
  },
  active: { backgroundColor: tokens.colorSubtleBackgroundSelected },
  main: {
    flexGrow: 1,
    minWidth: 0,
    display: "flex",
    gap: tokens.spacingHorizontalS,
    alignItems: "flex-start",
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalS}`,
    border: "none",
    background: "transparent",
    color: tokens.colorNeutralForeground1,
    textAlign: "start",
    cursor: "pointer",
    fontFamily: tokens.fontFamilyBase,
    borderRadius: tokens.borderRadiusMedium,
    ":focus-visible": { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`, outlineOffset: "-2px" },
  },
  text: { display: "flex", flexDirection: "column", minWidth: 0, flexGrow: 1, gap: "2px" },
  top: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "baseline" },
  name: { flexGrow: 1, minWidth: 0, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap", fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
  fresh: { fontWeight: tokens.fontWeightBold, color: tokens.colorNeutralForeground1 },
  dot: { flexShrink: 0, alignSelf: "center", width: "8px", height: "8px", borderRadius: "50%", backgroundColor: tokens.colorBrandForeground1 },
  time: { flexShrink: 0, fontSize: tokens.fontSizeBase100, color: tokens.colorNeutralForeground2 },
  preview: { overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap", fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2 },
  links: { display: "flex", gap: tokens.spacingHorizontalXS, flexWrap: "nowrap", overflow: "hidden", paddingLeft: "48px", paddingRight: tokens.spacingHorizontalS },
  recordButton: { maxWidth: "100%", minWidth: 0, justifyContent: "flex-start", overflow: "hidden", whiteSpace: "nowrap", textOverflow: "ellipsis" },
  // Level with the chat's name, also when a line of linked records sits below.
  menu: { alignSelf: "flex-start", marginTop: tokens.spacingVerticalM, flexShrink: 0 },
  col: { display: "flex", flexDirection: "column", flexGrow: 1, minWidth: 0 },
  pendingText: { alignSelf: "center", fontSize: tokens.fontSizeBase200, color: tokens.colorPaletteDarkOrangeForeground1, whiteSpace: "nowrap", overflow: "hidden", textOverflow: "ellipsis" },
  hidden: { position: "absolute", width: "1px", height: "1px", overflow: "hidden", clip: "rect(0 0 0 0)", whiteSpace: "nowrap" },
});

export interface ChatRowProps {
  entry: ChatEntry;
  meId?: string;
  now: Date;
  active: boolean;
  tabbable: boolean;
  recordTitles: Record<string, RecordInfo | null>;
  position: number;
  setSize: number;
  onFocusRow(): void;
  buttonRef?: (el: HTMLButtonElement | null) => void;
  section: SectionId;
  /** Linking needs a saved record and a loaded link list. */
  canLink: boolean;
  busy: boolean;
  onAction(action: RowAction, entry: ChatEntry): void;
  onRetryLink(chatId: string): void;
  onOpen(chatId: string): void;
  /** Someone wrote in this chat since the panel loaded and the user has not opened it since. */
  fresh?: boolean;
}

export type RowAction = "link" | "unlink" | "rename";

interface RowMenuProps {
  className: string;
  label: string;
  tabIndex: number;
  onFocusRow(): void;
  children: React.ReactNode;
}

/**
 * The row's "more options" button. Fluent's Menu is mounted only once the menu is first opened:
 * a list of thousands of rows re-renders its visible rows on every scroll step and keystroke, and
 * a Menu per row was the largest part of that cost. The button stays the same element throughout,
 * so focus never moves when the menu mounts.
 */
const RowMenu: React.FC<RowMenuProps> = ({ className, label, tabIndex, onFocusRow, children }) => {
  const [armed, setArmed] = React.useState(false);
  const [open, setOpen] = React.useState(false);
  const [target, setTarget] = React.useState<HTMLElement | null>(null);
  const show = () => {
    setArmed(true);
    setOpen(true);
  };
  return (
    <>
      <Button
        ref={setTarget}
        className={className}
        appearance="subtle"
        icon={<MoreHorizontalRegular />}
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open}
        tabIndex={tabIndex}
        onFocus={onFocusRow}
        onClick={() => (open ? setOpen(false) : show())}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown" && !open) {
            e.preventDefault();
            show();
          }
        }}
      />
      {armed && target && (
        <Menu
          open={open}
          positioning={{ target }}
          onOpenChange={(_, d) => {
            setOpen(d.open);
            // No MenuTrigger to hand focus back to: the button takes it, as a trigger would.
            if (!d.open) target.focus();
          }}
        >
          <MenuPopover>
            <MenuList>{children}</MenuList>
          </MenuPopover>
        </Menu>
      )}
    </>
  );
};

export const ChatRow: React.FC<ChatRowProps> = React.memo(function ChatRow({ entry, meId, now, active, tabbable, recordTitles, position, setSize, onFocusRow, buttonRef, section, canLink, busy, onAction, onRetryLink, onOpen, fresh }) {
  const styles = useStyles();
  const { t, locale } = useStrings();
  const host = useHost();
  const { chat, name } = entry;
  const preview = previewLine(chat.lastMessage, meId, t);
  const when = chat.lastMessage?.createdDateTime ?? chat.lastUpdatedDateTime;
  const shortTime = formatListTime(when, now, locale, { yesterday: t("Time_Yesterday") });
  const fullTime = formatFullTime(when, locale);
  const isGroup = chat.chatType !== "oneOnOne";
  const other = chat.members.find((m) => m.userId !== meId);
  // The row's name is its visible text (name, time, preview); the full date and the action are its description.
  const hintId = `tcp-row-hint-${useId()}`;
  const openInTeams = () => chat.webUrl && host.openUrl(chat.webUrl);
  const tabIndex = tabbable ? 0 : -1;
  const mainRef = React.useRef<HTMLButtonElement | null>(null);
  const setMain = React.useCallback(
    (el: HTMLButtonElement | null) => {
      mainRef.current = el;
      buttonRef?.(el);
    },
    [buttonRef],
  );
  // Focus the row before acting, so the closing menu has no focus to hand back and a dialog opened next keeps it.
  const act = (action: RowAction) => {
    mainRef.current?.focus();
    onAction(action, entry);
  };

  return (
    <div role="listitem" aria-posinset={position} aria-setsize={setSize} className={mergeClasses(styles.row, active && styles.active)} data-chat-id={chat.id}>
      <div className={styles.col}>
        <button
          type="button"
          ref={setMain}
          className={styles.main}
          tabIndex={tabIndex}
          onFocus={onFocusRow}
          onClick={() => onOpen(chat.id)}
          aria-describedby={hintId}
          data-row-main="true"
        >
          {isGroup ? (
            <Avatar aria-hidden="true" size={32} icon={<PeopleRegular />} name={chat.topic ? name : undefined} color="colorful" />
          ) : (
            <Avatar aria-hidden="true" size={32} name={other?.displayName ?? name} color="colorful" />
          )}
          <span className={styles.text}>
            <span className={styles.top}>
              <span className={styles.name} data-chat-name="">{name}</span>
              {fresh && <span className={styles.dot} data-testid="fresh-dot" />}
              <span className={styles.time} title={fullTime}>
                {shortTime}
              </span>
            </span>
            <span className={mergeClasses(styles.preview, fresh && styles.fresh)}>{preview}</span>
          </span>
        </button>
        <span id={hintId} className={styles.hidden}>
          {fresh ? t("ChatRow_HintNew", fullTime) : fullTime ? t("ChatRow_Hint", fullTime) : t("ChatRow_OpenHere")}
        </span>
        {entry.pending && (
          <div className={styles.links} data-testid="pending-link">
            <span className={styles.pendingText}>{t("Pending_Row")}</span>
            <Button size="small" appearance="subtle" tabIndex={tabIndex} onFocus={onFocusRow} disabled={busy} onClick={() => onRetryLink(chat.id)} aria-label={t("Pending_RetryLabel", name)}>
              {t("Action_Retry")}
            </Button>
          </div>
        )}
        {!entry.pending && entry.otherLinks.length > 0 && (
          <div className={styles.links}>
            {entry.otherLinks.slice(0, 2).map((l) => {
              const info = recordTitles[recordKey(l.record)];
              const label = info === undefined ? t("Record_Loading") : info === null ? t("Record_Unavailable") : info.title || t("Record_Untitled");
              const table = info?.tableDisplayName ?? l.record.table;
              return (
                <Tooltip key={l.id} content={t("ChatRow_LinkedRecordTooltip", table, label)} relationship="description">
                  <Button
                    size="small"
                    appearance="subtle"
                    className={styles.recordButton}
                    icon={<TableIcon table={l.record.table} />}
                    tabIndex={tabIndex}
                    onFocus={onFocusRow}
                    aria-label={t("ChatRow_OpenRecordLabel", table, label)}
                    disabled={info === null}
                    onClick={() => host.openRecord(l.record)}
                  >
                    {label}
                  </Button>
                </Tooltip>
              );
            })}
            {entry.otherLinks.length > 2 && <span className={styles.time}>{t("ChatRow_MoreRecords", entry.otherLinks.length - 2)}</span>}
          </div>
        )}
      </div>
      <RowMenu className={styles.menu} label={t("ChatRow_MoreLabel", name)} tabIndex={tabIndex} onFocusRow={onFocusRow}>
        <MenuItem icon={<OpenRegular />} disabled={!chat.webUrl} onClick={openInTeams}>
          {t("ChatRow_OpenInTeams")}
        </MenuItem>
        {canLink && section !== "linkedHere" && chat.chatType !== "meeting" && (
          <MenuItem icon={<LinkRegular />} disabled={busy} onClick={() => act("link")}>
            {t("ChatRow_Link")}
          </MenuItem>
        )}
        {canLink && section === "linkedHere" && !entry.pending && (
          <MenuItem icon={<LinkDismissRegular />} disabled={busy} onClick={() => act("unlink")}>
            {t("ChatRow_Unlink")}
          </MenuItem>
        )}
        {chat.chatType === "group" && (
          <MenuItem icon={<EditRegular />} disabled={busy} onClick={() => act("rename")}>
            {t("ChatRow_Rename")}
          </MenuItem>
        )}
      </RowMenu>
    </div>
  );
});
