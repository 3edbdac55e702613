import * as React from "react";
import { Button, Menu, MenuItem, MenuList, MenuPopover, MenuTrigger, Tab, TabList, makeStyles, tokens } from "@fluentui/react-components";
import { ArrowClockwiseRegular, StethoscopeRegular, LightbulbRegular, MoreVerticalRegular } from "@fluentui/react-icons";
import { useStrings } from "../app/strings";
import { useTourTarget } from "../app/tourTargets";
import { usePageReturn } from "../app/usePageReturn";
import { usePanel } from "../store/context";
import { ChannelTab } from "./ChannelTab";
import { ChatTab } from "./ChatTab";
import { ConversationView } from "./conversation/ConversationView";
import { OpenChatTabs } from "./conversation/OpenChatTabs";
import { LiveStatus } from "./LiveStatus";
import { Tour } from "./Tour";
import { AuthBanner } from "./SignIn";
import { DiagnosticsDialog } from "./DiagnosticsDialog";

const useStyles = makeStyles({
  root: {
    display: "flex",
    flexDirection: "column",
    boxSizing: "border-box",
    minWidth: "280px",
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    fontFamily: tokens.fontFamilyBase,
    fontSize: tokens.fontSizeBase300,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    overflow: "hidden",
  },
  header: { flexShrink: 0, display: "flex", alignItems: "center", justifyContent: "space-between", borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`, paddingRight: tokens.spacingHorizontalXS },
  body: { display: "flex", flexDirection: "column", flexGrow: 1, minHeight: 0 },
  pane: { display: "flex", flexDirection: "column", flexGrow: 1, minHeight: 0 },
  gone: { display: "none" },
});

/** The list and the open chats: the list stays mounted while a chat is read, so it keeps its place. */
const ChatArea: React.FC<{ now: Date }> = ({ now }) => {
  const styles = useStyles();
  const view = usePanel((s) => s.view);
  const active = usePanel((s) => s.activeChatId);
  const reading = view === "chat" && !!active;
  const listReady = usePanel((s) => s.status === "ready");
  return (
    <>
      <OpenChatTabs />
      {/* Above the list and the open chat alike: an agent reading a chat also sees that updates are paused. */}
      {listReady && <LiveStatus now={now} />}
      <div className={reading ? styles.gone : styles.pane}>
        <ChatTab now={now} />
      </div>
      {reading && active && <ConversationView key={active} chatId={active} now={now} />}
    </>
  );
};

type TabId = "chat" | "channel";

export interface PanelProps {
  height: number;
  now: Date;
}

export const Panel: React.FC<PanelProps> = ({ height, now }) => {
  const styles = useStyles();
  const { t } = useStrings();
  const [tab, setTab] = React.useState<TabId>("chat");
  const startTour = usePanel((s) => s.startTour);
  const start = usePanel((s) => s.start);
  const status = usePanel((s) => s.status);
  const menuTarget = useTourTarget("menu");
  const pageReturned = usePanel((s) => s.pageReturned);
  const showDiagnostics = usePanel((s) => s.env.showDiagnostics === true);
  const [diagnosticsOpen, setDiagnosticsOpen] = React.useState(false);
  usePageReturn(pageReturned);
  const tabIds = { chat: "tcp-tab-chat", channel: "tcp-tab-channel" };

  return (
    <section className={styles.root} style={{ height }} aria-label={t("Panel_Label")} data-testid="tcp-root">
      <div className={styles.header}>
        <TabList selectedValue={tab} onTabSelect={(_, d) => setTab(d.value as TabId)} aria-label={t("Tabs_Label")}>
          <Tab id={tabIds.chat} value="chat">
            {t("Tab_Chat")}
          </Tab>
          <Tab id={tabIds.channel} value="channel">
            {t("Tab_Channel")}
          </Tab>
        </TabList>
        <Menu>
          <MenuTrigger disableButtonEnhancement>
            <Button ref={menuTarget} appearance="subtle" icon={<MoreVerticalRegular />} aria-label={t("Menu_Label")} />
          </MenuTrigger>
          <MenuPopover>
            <MenuList>
              <MenuItem
                icon={<LightbulbRegular />}
                onClick={() => {
                  setTab("chat");
                  startTour();
                }}
              >
                {t("Menu_ShowTour")}
              </MenuItem>
              <MenuItem icon={<ArrowClockwiseRegular />} disabled={status === "loading" || status === "unsaved"} onClick={() => void start()}>
                {t("Menu_Refresh")}
              </MenuItem>
              {showDiagnostics && (
                <MenuItem icon={<StethoscopeRegular />} onClick={() => setDiagnosticsOpen(true)}>
                  {t("Menu_Diagnostics")}
                </MenuItem>
              )}
            </MenuList>
          </MenuPopover>
        </Menu>
      </div>
      <AuthBanner />
      <div className={styles.body} role="tabpanel" aria-labelledby={tabIds[tab]}>
        {tab === "chat" ? <ChatArea now={now} /> : <ChannelTab now={now} />}
      </div>
      {tab === "chat" && <Tour />}
      {showDiagnostics && <DiagnosticsDialog open={diagnosticsOpen} onClose={() => setDiagnosticsOpen(false)} />}
    </section>
  );
};
