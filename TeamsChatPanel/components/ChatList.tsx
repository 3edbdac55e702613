import * as React from "react";
import { Button, Spinner, makeStyles, tokens } from "@fluentui/react-components";
import { ChevronDownRegular, ChevronRightRegular } from "@fluentui/react-icons";
import { useStrings } from "../app/strings";
import { useVirtualizer } from "../app/useVirtualizer";
import type { ListRow } from "../domain/sections";
import type { SectionId } from "../domain/types";
import { usePanel } from "../store/context";

const ROW_HEIGHT = { header: 36, chat: 64, chatWithLinks: 92, empty: 44, more: 48 } as const;

function rowHeight(row: ListRow): number {
  if (row.kind === "chat") return row.entry.otherLinks.length > 0 || row.entry.pending ? ROW_HEIGHT.chatWithLinks : ROW_HEIGHT.chat;
  return ROW_HEIGHT[row.kind];
}

function rowKey(row: ListRow): string {
  if (row.kind === "chat") return `c:${row.entry.chat.id}`;
  if (row.kind === "more") return "more";
  return `${row.kind}:${row.section}`;
}

const useStyles = makeStyles({
  scroller: { flexGrow: 1, minHeight: 0, overflowY: "auto", overflowX: "hidden", position: "relative" },
  inner: { position: "relative", width: "100%" },
  item: { position: "absolute", top: 0, left: 0, width: "100%", boxSizing: "border-box", paddingLeft: tokens.spacingHorizontalXS, paddingRight: tokens.spacingHorizontalXS },
  header: { margin: 0, display: "flex", alignItems: "center", height: "100%" },
  headerButton: { fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground2 },
  empty: { display: "flex", alignItems: "center", height: "100%", paddingLeft: "40px", color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  more: { display: "flex", alignItems: "center", justifyContent: "center", height: "100%", gap: tokens.spacingHorizontalS },
});

const SECTION_LABEL: Record<SectionId, string> = { linkedHere: "Section_LinkedHere", linkedElsewhere: "Section_LinkedElsewhere", other: "Section_Other" };
const SECTION_EMPTY: Record<SectionId, string> = { linkedHere: "Section_LinkedHere_Empty", linkedElsewhere: "Section_LinkedElsewhere_Empty", other: "Section_Other_Empty" };

export interface ChatListProps {
  rows: ListRow[];
  renderChat(row: Extract<ListRow, { kind: "chat" }>, ctx: { active: boolean; tabbable: boolean; position: number; setSize: number; onFocusRow(): void; buttonRef(el: HTMLButtonElement | null): void }): React.ReactNode;
  linksUnavailable: boolean;
  filtering: boolean;
  listRef?: (el: HTMLElement | null) => void;
}

/**
 * One virtualised list for all sections, so 5,000 chats cost a screenful of DOM nodes.
 * Keyboard: one tab stop (roving), arrows/Home/End move between rows, Enter opens.
 */
export const ChatList: React.FC<ChatListProps> = ({ rows, renderChat, linksUnavailable, filtering, listRef }) => {
  const styles = useStyles();
  const { t } = useStrings();
  const toggleSection = usePanel((s) => s.toggleSection);
  const loadMore = usePanel((s) => s.loadMore);
  const next = usePanel((s) => s.next);
  const loadingMore = usePanel((s) => s.loadingMore);
  const moreError = usePanel((s) => s.moreError);
  const focusChatId = usePanel((s) => s.focusChatId);
  const clearFocus = usePanel((s) => s.clearFocus);
  const scrollRef = React.useRef<HTMLDivElement | null>(null);
  const focusables = React.useRef(new Map<number, HTMLElement>());
  const [active, setActive] = React.useState(0);
  const pendingFocus = React.useRef<number | null>(null);

  const interactive = React.useMemo(() => rows.map((r, i) => (r.kind === "chat" || r.kind === "header" || (r.kind === "more" && !!moreError) ? i : -1)).filter((i) => i >= 0), [rows, moreError]);
  const chatCount = React.useMemo(() => rows.filter((r) => r.kind === "chat").length, [rows]);
  const chatPositions = React.useMemo(() => {
    const m = new Map<number, number>();
    let n = 0;
    rows.forEach((r, i) => r.kind === "chat" && m.set(i, ++n));
    return m;
  }, [rows]);
  const setScroller = React.useCallback(
    (el: HTMLDivElement | null) => {
      scrollRef.current = el;
      listRef?.(el);
    },
    [listRef],
  );
  const activeIndex = interactive.includes(active) ? active : (interactive[0] ?? 0);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => rowHeight(rows[i]),
    getItemKey: (i) => rowKey(rows[i]),
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();

  // Infinite scroll: fetch the next Graph page when the end comes into view.
  const lastIndex = items.length ? items[items.length - 1].index : -1;
  React.useEffect(() => {
    if (next && !loadingMore && !moreError && lastIndex >= rows.length - 6) void loadMore();
  }, [lastIndex, rows.length, next, loadingMore, moreError, loadMore]);

  const focusIndex = React.useCallback(
    (index: number) => {
      setActive(index);
      const el = focusables.current.get(index);
      if (el) {
        el.focus();
        virtualizer.scrollToIndex(index, { align: "auto" });
      } else {
        pendingFocus.current = index;
        virtualizer.scrollToIndex(index, { align: "auto" });
      }
    },
    [virtualizer],
  );

  React.useLayoutEffect(() => {
    if (pendingFocus.current === null) return;
    const el = focusables.current.get(pendingFocus.current);
    if (el) {
      el.focus();
      pendingFocus.current = null;
    }
  });

  // A chat just created: bring it into view and give it focus.
  React.useEffect(() => {
    if (!focusChatId) return;
    const index = rows.findIndex((r) => r.kind === "chat" && r.entry.chat.id === focusChatId);
    if (index >= 0) {
      focusIndex(index);
      clearFocus();
    }
  }, [focusChatId, rows, focusIndex, clearFocus]);

  const onKeyDown = (e: React.KeyboardEvent) => {
    const pos = interactive.indexOf(activeIndex);
    let target: number | undefined;
    if (e.key === "ArrowDown") target = interactive[Math.min(pos + 1, interactive.length - 1)];
    else if (e.key === "ArrowUp") target = interactive[Math.max(pos - 1, 0)];
    else if (e.key === "Home") target = interactive[0];
    else if (e.key === "End") target = interactive[interactive.length - 1];
    if (target === undefined) return;
    e.preventDefault();
    focusIndex(target);
  };

  const register = (index: number) => (el: HTMLElement | null) => {
    if (el) focusables.current.set(index, el);
    else focusables.current.delete(index);
  };

  return (
    <div
      ref={setScroller}
      className={styles.scroller}
      data-virtual-scroll="true"
      onKeyDown={onKeyDown}
    >
      <div role="list" aria-label={filtering ? t("ChatList_FilteredLabel") : t("ChatList_Label")} className={styles.inner} style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const row = rows[item.index];
          const style: React.CSSProperties = { transform: `translateY(${item.start}px)`, height: item.size };
          const tabbable = item.index === activeIndex;
          if (row.kind === "chat") {
            return (
              <div key={String(item.key)} className={styles.item} style={style} data-index={item.index}>
                {renderChat(row, {
                  active: tabbable,
                  tabbable,
                  position: chatPositions.get(item.index) ?? 0,
                  setSize: chatCount,
                  onFocusRow: () => setActive(item.index),
                  buttonRef: register(item.index),
                })}
              </div>
            );
          }
          if (row.kind === "header") {
            const label = linksUnavailable ? t("Section_AllChats") : t(SECTION_LABEL[row.section]);
            return (
              <div key={String(item.key)} role="listitem" className={styles.item} style={style} data-index={item.index}>
                <h3 className={styles.header}>
                  <Button
                    ref={register(item.index)}
                    appearance="transparent"
                    size="small"
                    className={styles.headerButton}
                    icon={row.collapsed ? <ChevronRightRegular /> : <ChevronDownRegular />}
                    aria-expanded={!row.collapsed}
                    tabIndex={tabbable ? 0 : -1}
                    onFocus={() => setActive(item.index)}
                    onClick={() => toggleSection(row.section)}
                  >
                    {t("Section_HeaderWithCount", label, row.count)}
                  </Button>
                </h3>
              </div>
            );
          }
          if (row.kind === "empty") {
            return (
              <div key={String(item.key)} role="listitem" className={styles.item} style={style} data-index={item.index}>
                <div className={styles.empty}>{filtering ? t("Section_NoMatches") : t(SECTION_EMPTY[row.section])}</div>
              </div>
            );
          }
          return (
            <div key={String(item.key)} role="listitem" className={styles.item} style={style} data-index={item.index}>
              <div className={styles.more}>
                {moreError ? (
                  <>
                    <span>{t("ChatList_MoreFailed")}</span>
                    <Button ref={register(item.index)} size="small" tabIndex={tabbable ? 0 : -1} onFocus={() => setActive(item.index)} onClick={() => void loadMore()}>
                      {t("Action_Retry")}
                    </Button>
                  </>
                ) : (
                  <Spinner size="tiny" label={t("ChatList_LoadingMore")} />
                )}
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
};
