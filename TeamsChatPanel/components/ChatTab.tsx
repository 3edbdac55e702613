import * as React from "react";
import { Button, MessageBar, MessageBarActions, MessageBarBody, SearchBox, Tooltip, makeStyles, tokens } from "@fluentui/react-components";
import { ChatAddRegular, ChatMultipleRegular, DismissRegular, ErrorCircleRegular, LinkAddRegular, LinkRegular, SaveRegular } from "@fluentui/react-icons";
import type { ChatEntry } from "../domain/sections";
import type { Person } from "../domain/types";
import { useStrings } from "../app/strings";
import { useTourTarget } from "../app/tourTargets";
import { usePanel } from "../store/context";
import { makeSectionsSelector, rowsFor } from "../store/selectors";
import { ChatList } from "./ChatList";
import { ChatListSkeleton } from "./ChatListSkeleton";
import { ChatRow, type RowAction } from "./ChatRow";
import { LinkExistingDialog } from "./LinkExistingDialog";
import { RowActionDialogs, type PendingAction } from "./RowActionDialogs";
import { NewChatDialog } from "./NewChatDialog";
import { SignInPrompt } from "./SignIn";
import { StateMessage } from "./StateMessage";
import { SuggestedContacts } from "./SuggestedContacts";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", minHeight: 0, flexGrow: 1 },
  toolbar: { flexShrink: 0, display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalS}` },
  search: { flexGrow: 1, minWidth: 0, maxWidth: "none" },
  // Labels stay on one line; the filter box gives up the width.
  tool: { flexShrink: 0, whiteSpace: "nowrap" },
  // flexShrink 0: in the column layout the list takes the space left, the bar keeps its own height.
  bar: { flexShrink: 0, margin: `0 ${tokens.spacingHorizontalS} ${tokens.spacingVerticalS}` },
});

export interface ChatTabProps {
  now: Date;
}

export const ChatTab: React.FC<ChatTabProps> = ({ now }) => {
  const styles = useStyles();
  const { t } = useStrings();
  const status = usePanel((s) => s.status);
  const error = usePanel((s) => s.error);
  const retryAfter = usePanel((s) => s.retryAfterSeconds);
  const start = usePanel((s) => s.start);
  const filter = usePanel((s) => s.filter);
  const setFilter = usePanel((s) => s.setFilter);
  const linksStatus = usePanel((s) => s.linksStatus);
  const retryLinks = usePanel((s) => s.retryLinks);
  const meId = usePanel((s) => s.me?.aadObjectId);
  const recordTitles = usePanel((s) => s.recordTitles);
  const collapsed = usePanel((s) => s.collapsed);
  const next = usePanel((s) => s.next);
  const loadingMore = usePanel((s) => s.loadingMore);
  const [newChatOpen, setNewChatOpen] = React.useState(false);
  const [linkedChat, setLinkedChat] = React.useState<{ people: Person[]; fromOneOnOne?: string } | undefined>();
  const [pendingAction, setPendingAction] = React.useState<PendingAction | undefined>();
  const [linkExistingOpen, setLinkExistingOpen] = React.useState(false);
  const notice = usePanel((s) => s.notice);
  const dismissNotice = usePanel((s) => s.dismissNotice);
  const linkChat = usePanel((s) => s.linkChat);
  const retryPendingLink = usePanel((s) => s.retryPendingLink);
  const onRetryLink = React.useCallback((chatId: string) => void retryPendingLink(chatId), [retryPendingLink]);
  const busyChats = usePanel((s) => s.busyChats);
  const freshChats = usePanel((s) => s.freshChats);
  const openChat = usePanel((s) => s.openChat);
  const onOpen = React.useCallback((chatId: string) => void openChat(chatId), [openChat]);
  const canLink = linksStatus === "ready" && status === "ready";
  const onAction = React.useCallback(
    (action: RowAction, entry: ChatEntry) => {
      // A group chat is linked as it is; a one-to-one chat needs the explanation first.
      if (action === "link" && entry.chat.chatType === "group") void linkChat(entry.chat.id, entry.name);
      else if (action === "link") {
        // A one-to-one chat cannot carry a name or more people: offer a linked group chat with that person, saying why.
        const other = entry.chat.members.find((m) => m.userId !== meId);
        if (other) setTimeout(() => setLinkedChat({ people: [{ id: other.userId, displayName: other.displayName, email: other.email }], fromOneOnOne: entry.name }), 0);
      }
      // Open after the menu has closed and handed focus back, so the dialog keeps focus (and stays visible to assistive technology).
      else setTimeout(() => setPendingAction({ action, entry }), 0);
    },
    [linkChat, meId],
  );
  const newChatButton = React.useRef<HTMLButtonElement | HTMLAnchorElement | null>(null);
  const filterTarget = useTourTarget("filter");
  const newChatTarget = useTourTarget("newChat");
  const sectionsTarget = useTourTarget("sections");
  const newChatRef = React.useCallback(
    (el: HTMLButtonElement | HTMLAnchorElement | null) => {
      newChatButton.current = el;
      newChatTarget(el);
    },
    [newChatTarget],
  );

  const nameStrings = React.useMemo(() => ({ andOthers: (names: string, n: number) => t("ChatName_AndOthers", names, n), untitled: t("ChatName_Untitled") }), [t]);
  const selectSections = React.useMemo(() => makeSectionsSelector(nameStrings), [nameStrings]);
  const sections = usePanel(selectSections);
  const rows = React.useMemo(() => rowsFor(sections, { collapsed, next, loadingMore, linksStatus }), [sections, collapsed, next, loadingMore, linksStatus]);

  const closeNewChat = (createdId?: string) => {
    setNewChatOpen(false);
    setLinkedChat(undefined);
    // Without a new chat to focus, focus goes back to the button that opened the dialog.
    if (!createdId) setTimeout(() => newChatButton.current?.focus(), 0);
  };

  if (status === "unsaved") {
    return <StateMessage icon={<SaveRegular />} title={t("Unsaved_Title")} body={t("Unsaved_Body")} testId="state-unsaved" />;
  }
  if (status === "auth") {
    return <SignInPrompt fallback={() => void start()} />;
  }
  if (status === "error") {
    const body =
      error === "offline" ? t("Error_Offline_Body") : error === "throttled" ? (retryAfter ? t("Error_ThrottledAfter_Body", retryAfter) : t("Error_Throttled_Body")) : error === "forbidden" ? t("Error_Forbidden_Body") : t("Error_Generic_Body");
    return <StateMessage role="alert" icon={<ErrorCircleRegular />} title={t("Error_Chats_Title")} body={body} action={{ label: t("Action_Retry"), onClick: () => void start() }} testId="state-error" />;
  }

  const loading = status === "loading" || status === "idle";
  const noChatsAtAll = !loading && sections.linkedHere.length + sections.linkedElsewhere.length + sections.other.length === 0 && !filter && !next;

  return (
    <div className={styles.root}>
      <div className={styles.toolbar}>
        <SearchBox
          ref={filterTarget}
          className={styles.search}
          placeholder={t("Filter_Placeholder")}
          aria-label={t("Filter_Label")}
          value={filter}
          onChange={(_, d) => setFilter(d.value)}
          dismiss={{ "aria-label": t("Filter_Clear") }}
        />
        <Button
          className={styles.tool}
          ref={newChatRef}
          icon={<ChatAddRegular />}
          onClick={() => setNewChatOpen(true)}
          disabled={loading}
        >
          {t("NewChat_Button")}
        </Button>
        <Tooltip content={t("NewLinkedChat_Button")} relationship="label">
          <Button className={styles.tool} icon={<LinkAddRegular />} onClick={() => setLinkedChat({ people: [] })} disabled={loading || !canLink} />
        </Tooltip>
        <Tooltip content={t("LinkExisting_Button")} relationship="label">
          <Button className={styles.tool} icon={<LinkRegular />} onClick={() => setLinkExistingOpen(true)} disabled={loading || !canLink} />
        </Tooltip>
      </div>
      {notice && (
        <MessageBar intent={notice.intent} layout="multiline" className={styles.bar} data-testid="notice" role={notice.intent === "error" ? "alert" : "status"}>
          <MessageBarBody>{t(notice.key, ...notice.args)}</MessageBarBody>
          <MessageBarActions containerAction={<Button appearance="transparent" size="small" icon={<DismissRegular />} aria-label={t("Notice_Dismiss")} onClick={dismissNotice} />} />
        </MessageBar>
      )}
      {linksStatus === "error" && (
        <MessageBar intent="warning" layout="multiline" className={styles.bar} data-testid="links-error">
          <MessageBarBody>{t("Links_Failed")}</MessageBarBody>
          <MessageBarActions>
            <Button size="small" onClick={() => void retryLinks()}>
              {t("Action_Retry")}
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {loading ? (
        <ChatListSkeleton />
      ) : noChatsAtAll ? (
        <StateMessage icon={<ChatMultipleRegular />} title={t("NoChats_Title")} body={t("NoChats_Body")} testId="state-no-chats" />
      ) : (
        <ChatList
          rows={rows}
          linksUnavailable={linksStatus === "error"}
          filtering={filter.trim() !== ""}
          listRef={sectionsTarget}
          renderChat={(row, ctx) => (
            <ChatRow
              entry={row.entry}
              meId={meId}
              now={now}
              recordTitles={recordTitles}
              active={ctx.active}
              tabbable={ctx.tabbable}
              position={ctx.position}
              setSize={ctx.setSize}
              onFocusRow={ctx.onFocusRow}
              buttonRef={ctx.buttonRef}
              section={row.section}
              canLink={canLink}
              busy={!!busyChats[row.entry.chat.id]}
              onAction={onAction}
              onRetryLink={onRetryLink}
              onOpen={onOpen}
              fresh={!!freshChats[row.entry.chat.id]}
            />
          )}
        />
      )}
      {/* Below the list: the chats keep the first place in the pane and in the tab order. */}
      <SuggestedContacts onStartLinked={canLink ? (person) => setLinkedChat({ people: [person] }) : undefined} />
      <NewChatDialog open={newChatOpen || !!linkedChat} onClose={closeNewChat} linked={linkedChat} />
      <LinkExistingDialog
        open={linkExistingOpen}
        candidates={linkExistingOpen ? [...sections.linkedElsewhere, ...sections.other].filter((e) => e.chat.chatType !== "meeting") : []}
        onClose={() => setLinkExistingOpen(false)}
        onPick={(entry) => {
          setLinkExistingOpen(false);
          onAction("link", entry);
        }}
      />
      <RowActionDialogs
        pending={pendingAction}
        onClose={() => setPendingAction(undefined)}
      />
    </div>
  );
};
