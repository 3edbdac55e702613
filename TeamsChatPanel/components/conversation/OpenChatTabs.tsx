import * as React from "react";
import { CounterBadge, Tab, TabList, makeStyles, tokens } from "@fluentui/react-components";
import { ChatMultipleRegular } from "@fluentui/react-icons";
import { useStrings } from "../../app/strings";
import { usePanel } from "../../store/context";
import { useChatName } from "./useChatName";

const useStyles = makeStyles({
  strip: {
    flexShrink: 0,
    overflowX: "auto",
    overflowY: "hidden",
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    scrollbarWidth: "thin",
  },
  tab: { maxWidth: "160px" },
  label: { display: "inline-flex", alignItems: "center", gap: tokens.spacingHorizontalXS, minWidth: 0 },
  name: { overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
});

const OpenTab: React.FC<{ chatId: string }> = ({ chatId }) => {
  const styles = useStyles();
  const { t } = useStrings();
  const name = useChatName(chatId);
  const unread = usePanel((s) => s.conversations[chatId]?.unread ?? 0);
  const failed = usePanel((s) => s.conversations[chatId]?.outgoing.some((o) => o.state === "failed") ?? false);
  const label = unread > 0 ? t("OpenChats_TabUnread", name, unread) : failed ? t("OpenChats_TabFailed", name) : name;
  return (
    <Tab value={chatId} className={styles.tab} aria-label={label} title={label} data-open-chat={chatId}>
      <span className={styles.label}>
        <span className={styles.name}>{name}</span>
        {unread > 0 && <CounterBadge size="small" count={unread} aria-hidden="true" />}
        {failed && unread === 0 && <CounterBadge size="small" color="danger" count={1} dot aria-hidden="true" />}
      </span>
    </Tab>
  );
};

/** "All chats" and every open chat as tabs: switching keeps each chat's place and draft. */
export const OpenChatTabs: React.FC = () => {
  const styles = useStyles();
  const { t } = useStrings();
  const ids = usePanel((s) => s.openChatIds);
  const view = usePanel((s) => s.view);
  const active = usePanel((s) => s.activeChatId);
  const fresh = usePanel((s) => Object.keys(s.freshChats).length);
  const openChat = usePanel((s) => s.openChat);
  const showList = usePanel((s) => s.showList);
  if (ids.length === 0) return null;
  const selected = view === "list" ? "list" : (active ?? "list");
  const allLabel = fresh > 0 ? t("OpenChats_AllNew", fresh) : t("OpenChats_All");
  return (
    <div className={styles.strip}>
      <TabList
        size="small"
        selectedValue={selected}
        aria-label={t("OpenChats_Label")}
        onTabSelect={(_, d) => (d.value === "list" ? showList() : void openChat(String(d.value)))}
      >
        <Tab value="list" icon={<ChatMultipleRegular />} aria-label={allLabel} title={allLabel} data-open-chat="list">
          {t("OpenChats_AllShort")}
        </Tab>
        {ids.map((id) => (
          <OpenTab key={id} chatId={id} />
        ))}
      </TabList>
    </div>
  );
};
