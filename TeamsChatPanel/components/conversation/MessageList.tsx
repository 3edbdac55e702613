import * as React from "react";
import { Button, Spinner, makeStyles, tokens } from "@fluentui/react-components";
import { ArrowDownRegular } from "@fluentui/react-icons";
import { useStrings } from "../../app/strings";
import { useVirtualizer } from "../../app/useVirtualizer";
import type { ChatMessageItem } from "../../domain/messages";
import type { Conversation, OutgoingItem } from "../../store/types";
import { DayRow, EventRow, MessageItem, OutgoingItemView } from "./MessageItem";

export type ListItem =
  | { key: string; kind: "top" }
  | { key: string; kind: "day"; label: string }
  | { key: string; kind: "message"; message: ChatMessageItem; first: boolean }
  | { key: string; kind: "event"; message: ChatMessageItem }
  | { key: string; kind: "outgoing"; item: OutgoingItem };

const ESTIMATE = { top: 40, day: 36, message: 56, event: 32, outgoing: 72 } as const;
/** How close to the top (px) the reader must be before older messages are fetched. */
const LOAD_OLDER_PX = 300;
/** Within this distance of the end the list keeps following new messages. */
const BOTTOM_SLACK_PX = 48;

const useStyles = makeStyles({
  scroller: { flexGrow: 1, minHeight: 0, overflowY: "auto", overflowX: "hidden", position: "relative", outline: "none", ":focus-visible": { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`, outlineOffset: "-2px" } },
  inner: { position: "relative", width: "100%" },
  item: { position: "absolute", top: 0, left: 0, width: "100%" },
  top: { display: "flex", justifyContent: "center", alignItems: "center", gap: tokens.spacingHorizontalS, minHeight: "40px", color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  wrap: { position: "relative", display: "flex", flexDirection: "column", flexGrow: 1, minHeight: 0 },
  jump: { position: "absolute", bottom: tokens.spacingVerticalS, left: "50%", transform: "translateX(-50%)", boxShadow: tokens.shadow8 },
  hidden: { position: "absolute", width: "1px", height: "1px", overflow: "hidden", clip: "rect(0 0 0 0)", whiteSpace: "nowrap" },
});

export interface MessageListProps {
  chatName: string;
  conversation: Conversation;
  items: ListItem[];
  meId: string;
  locale: string;
  graphRoot: string;
  loadHostedImage(url: string): Promise<string>;
  onLoadOlder(): void;
  onRetry(clientId: string): void;
  onDiscard(clientId: string): void;
  onScrollSaved(scroll: { offset: number; atBottom: boolean }): void;
}

/**
 * Newest at the bottom, virtualised (a 5,000-message chat costs a screenful of DOM), older pages loaded
 * when the reader nears the top without the view jumping, and following new messages only when the reader
 * is at the end (otherwise a "New messages" button appears).
 */
export const MessageList: React.FC<MessageListProps> = ({ chatName, conversation, items, meId, locale, graphRoot, loadHostedImage, onLoadOlder, onRetry, onDiscard, onScrollSaved }) => {
  const styles = useStyles();
  const { t } = useStrings();
  const scrollRef = React.useRef<HTMLDivElement | null>(null);
  const atBottom = React.useRef(conversation.scroll?.atBottom ?? true);
  const anchor = React.useRef<{ key: string; delta: number } | undefined>();
  const [showJump, setShowJump] = React.useState(false);
  const [announcement, setAnnouncement] = React.useState("");

  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => ESTIMATE[items[i]?.kind ?? "message"],
    getItemKey: (i) => items[i]?.key ?? i,
    overscan: 8,
  });

  const lastKey = items.length ? items[items.length - 1].key : "";
  const firstMessageKey = items.find((i) => i.kind !== "top")?.key ?? "";

  const toEnd = React.useCallback(() => {
    if (items.length) virtualizer.scrollToIndex(items.length - 1, { align: "end" });
    const el = scrollRef.current;
    // Heights are measured after paint: settle on the real end once more.
    requestAnimationFrame(() => {
      if (el && atBottom.current) el.scrollTop = el.scrollHeight;
    });
  }, [items.length, virtualizer]);

  // First render of this chat: back to where the reader was, or the end.
  const restored = React.useRef(false);
  React.useLayoutEffect(() => {
    if (restored.current || items.length <= 1) return;
    restored.current = true;
    const saved = conversation.scroll;
    if (saved && !saved.atBottom) virtualizer.scrollToOffset(saved.offset);
    else toEnd();
  });

  // Older messages arrived above: keep the message the reader was looking at in the same place.
  const prevFirst = React.useRef(firstMessageKey);
  React.useLayoutEffect(() => {
    if (prevFirst.current === firstMessageKey) return;
    prevFirst.current = firstMessageKey;
    const a = anchor.current;
    if (!a || atBottom.current) return;
    const index = items.findIndex((i) => i.key === a.key);
    if (index < 0) return;
    const start = virtualizer.getOffsetForIndex(index, "start")?.[0];
    if (start !== undefined) virtualizer.scrollToOffset(start + a.delta);
  }, [firstMessageKey, items, virtualizer]);

  // Still at the top after a page arrived (a short page, or the reader holds the top): keep loading, since no
  // scroll event will come from a list that is already at 0.
  React.useEffect(() => {
    const el = scrollRef.current;
    if (el && restored.current && !atBottom.current && el.scrollTop < LOAD_OLDER_PX && conversation.older && !conversation.loadingOlder && !conversation.olderError) onLoadOlder();
  }, [conversation.older, conversation.loadingOlder, conversation.olderError, onLoadOlder]);

  // New messages at the end: follow them when the reader is there, otherwise offer a jump.
  const prevLast = React.useRef(lastKey);
  React.useLayoutEffect(() => {
    if (prevLast.current === lastKey) return;
    const previous = prevLast.current;
    prevLast.current = lastKey;
    if (!restored.current) return;
    const last = items[items.length - 1];
    const fromOther = last && last.kind === "message" && last.message.from?.id !== meId;
    if (fromOther && last.kind === "message") setAnnouncement(t("Messages_NewFrom", last.message.from?.displayName ?? ""));
    if (atBottom.current || (last && last.kind === "outgoing")) toEnd();
    else if (previous && fromOther) setShowJump(true);
  }, [lastKey, items, meId, t, toEnd]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK_PX;
    atBottom.current = bottom;
    if (bottom && showJump) setShowJump(false);
    // The anchor is a message, never the "older messages" row at the top, which stays first when a page arrives.
    const first = virtualizer.getVirtualItems().find((v) => v.end > el.scrollTop && v.key !== "top");
    if (first) anchor.current = { key: String(first.key), delta: el.scrollTop - first.start };
    if (el.scrollTop < LOAD_OLDER_PX && conversation.older && !conversation.loadingOlder && !conversation.olderError) onLoadOlder();
  };

  // The place is kept for when the user comes back to this chat.
  const save = React.useRef(onScrollSaved);
  save.current = onScrollSaved;
  React.useEffect(
    () => () => {
      const el = scrollRef.current;
      if (el) save.current({ offset: el.scrollTop, atBottom: atBottom.current });
    },
    [],
  );

  const renderItem = (item: ListItem) => {
    switch (item.kind) {
      case "top":
        return (
          <div className={styles.top}>
            {conversation.loadingOlder ? (
              <Spinner size="tiny" label={t("Messages_LoadingOlder")} />
            ) : conversation.olderError ? (
              <>
                <span>{t("Messages_OlderFailed")}</span>
                <Button size="small" onClick={onLoadOlder}>
                  {t("Action_Retry")}
                </Button>
              </>
            ) : conversation.older ? (
              <Button size="small" appearance="subtle" onClick={onLoadOlder}>
                {t("Messages_LoadOlder")}
              </Button>
            ) : (
              <span>{t("Messages_Start")}</span>
            )}
          </div>
        );
      case "day":
        return <DayRow label={item.label} />;
      case "event":
        return <EventRow message={item.message} locale={locale} />;
      case "message":
        return <MessageItem message={item.message} mine={item.message.from?.id === meId} firstOfGroup={item.first} locale={locale} graphRoot={graphRoot} loadHostedImage={loadHostedImage} />;
      case "outgoing":
        return <OutgoingItemView item={item.item} chatId={conversation.chatId} graphRoot={graphRoot} onRetry={() => onRetry(item.item.message.clientId)} onDiscard={() => onDiscard(item.item.message.clientId)} />;
    }
  };

  return (
    <div className={styles.wrap}>
      <div ref={scrollRef} className={styles.scroller} onScroll={onScroll} tabIndex={0} role="region" aria-label={t("Messages_Label", chatName)} data-testid="message-list" data-virtual-scroll="true">
        <div className={styles.inner} style={{ height: virtualizer.getTotalSize() }} role="list">
          {virtualizer.getVirtualItems().map((v) => {
            const item = items[v.index];
            if (!item) return null;
            return (
              <div key={String(v.key)} data-index={v.index} ref={virtualizer.measureElement} className={styles.item} style={{ transform: `translateY(${v.start}px)` }} role="listitem">
                {renderItem(item)}
              </div>
            );
          })}
        </div>
      </div>
      {showJump && (
        <Button
          className={styles.jump}
          shape="circular"
          icon={<ArrowDownRegular />}
          onClick={() => {
            atBottom.current = true;
            setShowJump(false);
            toEnd();
            scrollRef.current?.focus();
          }}
        >
          {t("Messages_JumpNew")}
        </Button>
      )}
      <div className={styles.hidden} aria-live="polite" role="status">
        {announcement}
      </div>
    </div>
  );
};
