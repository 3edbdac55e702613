import * as React from "react";
import { Avatar, Button, Spinner, Tooltip, makeStyles, tokens } from "@fluentui/react-components";
import { DismissRegular, ErrorCircleRegular, OpenRegular, PeopleRegular, PeopleTeamRegular } from "@fluentui/react-icons";
import { useHost } from "../../app/host";
import { useStrings } from "../../app/strings";
import type { Draft } from "../../domain/messages";
import { buildMessageRows } from "../../domain/messageGroups";
import { usePanel } from "../../store/context";
import { Composer } from "../composer/Composer";
import { StateMessage } from "../StateMessage";
import { MessageList, type ListItem } from "./MessageList";
import { ParticipantsDialog } from "./ParticipantsDialog";
import { useChatName, useChatSummary } from "./useChatName";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", flexGrow: 1, minHeight: 0 },
  header: { flexShrink: 0, display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`, borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}` },
  title: { flexGrow: 1, minWidth: 0, margin: 0, fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
  composer: { flexShrink: 0, borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}` },
  loading: { display: "flex", justifyContent: "center", padding: tokens.spacingVerticalXXL },
});

export interface ConversationViewProps {
  chatId: string;
  now: Date;
}

export const ConversationView: React.FC<ConversationViewProps> = ({ chatId, now }) => {
  const styles = useStyles();
  const { t, locale } = useStrings();
  const host = useHost();
  const name = useChatName(chatId);
  const chat = useChatSummary(chatId);
  const conversation = usePanel((s) => s.conversations[chatId]);
  const meId = usePanel((s) => s.me?.aadObjectId ?? "");
  const graphRoot = usePanel((s) => s.env.graphRoot ?? "https://graph.microsoft.com/v1.0/");
  const uploadFile = usePanel((s) => s.uploadFile);
  const gifs = usePanel((s) => s.gifs);
  const loadHostedImage = usePanel((s) => s.loadHostedImage);
  const loadOlder = usePanel((s) => s.loadOlder);
  const reloadChat = usePanel((s) => s.reloadChat);
  const retrySend = usePanel((s) => s.retrySend);
  const discardSend = usePanel((s) => s.discardSend);
  const sendMessage = usePanel((s) => s.sendMessage);
  const saveDraft = usePanel((s) => s.saveDraft);
  const draftFor = usePanel((s) => s.draftFor);
  const saveScroll = usePanel((s) => s.saveScroll);
  const closeChat = usePanel((s) => s.closeChat);
  const loadMembers = usePanel((s) => s.loadMembers);
  const addMembers = usePanel((s) => s.addMembers);
  const removeMember = usePanel((s) => s.removeMember);
  const [peopleOpen, setPeopleOpen] = React.useState(false);
  const rootRef = React.useRef<HTMLDivElement | null>(null);
  // Opening a chat hides the row that had focus: bring focus to the chat's messages, unless it is already inside.
  React.useEffect(() => {
    const root = rootRef.current;
    if (root && !root.contains(document.activeElement) && document.activeElement?.getAttribute("role") !== "tab") {
      root.querySelector<HTMLElement>('[data-testid="message-list"]')?.focus();
    }
  }, [conversation?.status]);
  const close = () => {
    const panel = rootRef.current?.closest('[data-testid="tcp-root"]');
    closeChat(chatId);
    // The close button goes with the chat: focus the tab now selected.
    setTimeout(() => panel?.querySelector<HTMLElement>('[data-open-chat][aria-selected="true"]')?.focus(), 0);
  };
  const peopleButton = React.useRef<HTMLButtonElement | null>(null);
  const initialDraft = React.useMemo(() => draftFor(chatId), [draftFor, chatId]);

  const items = React.useMemo<ListItem[]>(() => {
    if (!conversation) return [];
    const rows = buildMessageRows(conversation.messages, { locale, now, labels: { today: t("Day_Today"), yesterday: t("Day_Yesterday") } });
    const out: ListItem[] = [{ key: "top", kind: "top" }];
    for (const r of rows) {
      if (r.kind === "day") out.push({ key: r.key, kind: "day", label: r.label });
      else if (r.kind === "event") out.push({ key: r.key, kind: "event", message: r.message });
      else out.push({ key: r.key, kind: "message", message: r.message, first: r.firstOfGroup });
    }
    for (const o of conversation.outgoing) out.push({ key: `out:${o.message.clientId}`, kind: "outgoing", item: o });
    return out;
  }, [conversation, locale, now, t]);

  const participants = React.useMemo(
    () => (conversation?.members ?? chat?.members ?? []).filter((m) => m.userId !== meId).map((m) => ({ id: m.userId, displayName: m.displayName })),
    [conversation?.members, chat?.members, meId],
  );
  const onDraftChange = React.useCallback((d: Draft) => saveDraft(chatId, d), [saveDraft, chatId]);
  const onLoadOlder = React.useCallback(() => void loadOlder(chatId), [loadOlder, chatId]);
  const openPeople = () => {
    setPeopleOpen(true);
    void loadMembers(chatId);
  };

  if (!conversation) return null;
  const memberCount = conversation.members?.length ?? chat?.members.length ?? 0;

  return (
    <div ref={rootRef} className={styles.root} data-testid="conversation" data-chat-id={chatId}>
      <div className={styles.header}>
        {chat?.chatType === "oneOnOne" ? <Avatar aria-hidden="true" size={24} name={name} color="colorful" /> : <Avatar aria-hidden="true" size={24} icon={<PeopleTeamRegular />} color="colorful" />}
        <h2 className={styles.title} title={name}>
          {name}
        </h2>
        <Tooltip content={t("Conversation_People", memberCount)} relationship="label">
          <Button ref={peopleButton} appearance="subtle" icon={<PeopleRegular />} onClick={openPeople}>
            {memberCount || undefined}
          </Button>
        </Tooltip>
        <Tooltip content={t("ChatRow_OpenInTeams")} relationship="label">
          <Button appearance="subtle" icon={<OpenRegular />} disabled={!chat?.webUrl} onClick={() => chat?.webUrl && host.openUrl(chat.webUrl)} />
        </Tooltip>
        <Tooltip content={t("Conversation_Close", name)} relationship="label">
          <Button appearance="subtle" icon={<DismissRegular />} onClick={close} />
        </Tooltip>
      </div>
      {conversation.status === "error" && conversation.messages.length === 0 ? (
        <StateMessage
          role="alert"
          icon={<ErrorCircleRegular />}
          title={t("Conversation_Failed_Title")}
          body={conversation.error === "forbidden" || conversation.error === "notFound" ? t("Conversation_Failed_NoAccess") : conversation.error === "offline" ? t("Error_Offline_Body") : t("Error_Generic_Body")}
          action={{ label: t("Action_Retry"), onClick: () => void reloadChat(chatId) }}
          testId="conversation-error"
        />
      ) : conversation.status !== "ready" && conversation.messages.length === 0 ? (
        <div className={styles.loading}>
          <Spinner label={t("Conversation_Loading")} />
        </div>
      ) : (
        <MessageList
          key={chatId}
          chatName={name}
          conversation={conversation}
          items={items}
          meId={meId}
          locale={locale}
          graphRoot={graphRoot}
          loadHostedImage={loadHostedImage}
          onLoadOlder={onLoadOlder}
          onRetry={(id) => void retrySend(chatId, id)}
          onDiscard={(id) => discardSend(chatId, id)}
          onScrollSaved={(scroll) => saveScroll(chatId, scroll)}
        />
      )}
      <div className={styles.composer}>
        <Composer
          key={chatId}
          chatId={chatId}
          chatName={name}
          initialDraft={initialDraft}
          onDraftChange={onDraftChange}
          onSend={(m) => void sendMessage(chatId, m)}
          participants={participants}
          upload={uploadFile}
          gifs={gifs}
          now={() => new Date()}
        />
      </div>
      <ParticipantsDialog
        open={peopleOpen}
        chatName={name}
        chatType={chat?.chatType ?? "group"}
        members={conversation.members ?? []}
        membersStatus={conversation.membersStatus === "ready" ? "ready" : conversation.membersStatus === "error" ? "error" : "loading"}
        meId={meId}
        onRetry={() => void loadMembers(chatId)}
        onAdd={(people, history, days) => addMembers(chatId, people, history, days)}
        onRemove={(member) => removeMember(chatId, member)}
        onClose={() => {
          setPeopleOpen(false);
          setTimeout(() => peopleButton.current?.focus(), 0);
        }}
      />
    </div>
  );
};
