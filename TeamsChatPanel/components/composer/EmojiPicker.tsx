import * as React from "react";
import { Button, Popover, PopoverSurface, PopoverTrigger, SearchBox, Tab, TabList, Text, ToolbarButton, Tooltip, makeStyles, tokens, useArrowNavigationGroup } from "@fluentui/react-components";
import { EmojiRegular } from "@fluentui/react-icons";
import { useStrings } from "../../app/strings";
import { EMOJI_CATEGORIES, emojiInCategory, searchEmoji } from "../../domain/emoji";
import type { Emoji, EmojiCategoryId } from "../../domain/emoji";

const useStyles = makeStyles({
  surface: { width: "min(300px, calc(100vw - 32px))", display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  tabs: { flexWrap: "wrap" },
  tab: { minWidth: 0, padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalXS}` },
  grid: { display: "grid", gridTemplateColumns: "repeat(8, 1fr)", gap: "2px", maxHeight: "220px", overflowY: "auto" },
  emoji: { minWidth: 0, padding: 0, height: "32px", fontSize: "20px", lineHeight: "20px" },
  empty: { color: tokens.colorNeutralForeground3 },
});

export interface EmojiPickerProps {
  disabled?: boolean;
  onPick(emoji: string): void;
  onClosed(): void;
}

/** Search, categories and a grid (arrow keys move, Enter inserts at the caret); every emoji button is named. */
export const EmojiPicker: React.FC<EmojiPickerProps> = ({ disabled, onPick, onClosed }) => {
  const styles = useStyles();
  const { t } = useStrings();
  const grid = useArrowNavigationGroup({ axis: "grid", memorizeCurrent: true });
  const gridRef = React.useRef<HTMLDivElement>(null);
  const [open, setOpen] = React.useState(false);
  const [query, setQuery] = React.useState("");
  const [category, setCategory] = React.useState<EmojiCategoryId>(EMOJI_CATEGORIES[0].id);

  const searching = query.trim() !== "";
  const shown: Emoji[] = React.useMemo(() => (searching ? searchEmoji(query) : emojiInCategory(category)), [searching, query, category]);

  const close = () => {
    setOpen(false);
    setQuery("");
    onClosed();
  };
  const pick = (e: Emoji) => {
    onPick(e.char);
    close();
  };

  const onSearchKey = (e: React.KeyboardEvent) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      gridRef.current?.querySelector("button")?.focus();
    } else if (e.key === "Enter" && shown.length > 0) {
      e.preventDefault();
      pick(shown[0]);
    }
  };

  return (
    <Popover open={open} onOpenChange={(_, d) => (d.open ? setOpen(true) : close())} trapFocus positioning="above-start">
      <PopoverTrigger disableButtonEnhancement>
        <Tooltip content={t("Composer_Emoji")} relationship="label">
          <ToolbarButton appearance="subtle" disabled={disabled} icon={<EmojiRegular />} aria-expanded={open} />
        </Tooltip>
      </PopoverTrigger>
      <PopoverSurface className={styles.surface} aria-label={t("Composer_EmojiTitle")}>
        <SearchBox
          aria-label={t("Composer_EmojiSearch")}
          placeholder={t("Composer_EmojiSearch")}
          value={query}
          onChange={(_, d) => setQuery(d.value)}
          onKeyDown={onSearchKey}
          dismiss={{ "aria-label": t("Filter_Clear") }}
        />
        {!searching && (
          <TabList className={styles.tabs} size="small" selectedValue={category} onTabSelect={(_, d) => setCategory(d.value as EmojiCategoryId)} aria-label={t("Composer_EmojiCategories")}>
            {EMOJI_CATEGORIES.map((c) => (
              <Tooltip key={c.id} content={t(c.labelKey)} relationship="label">
                <Tab className={styles.tab} value={c.id}>
                  <span aria-hidden>{c.icon}</span>
                </Tab>
              </Tooltip>
            ))}
          </TabList>
        )}
        {shown.length === 0 ? (
          <Text size={200} className={styles.empty} role="status">
            {t("Composer_EmojiNone", query.trim())}
          </Text>
        ) : (
          <div ref={gridRef} className={styles.grid} {...grid} role="group" aria-label={searching ? t("Composer_EmojiResults") : t(EMOJI_CATEGORIES.find((c) => c.id === category)?.labelKey ?? "")}>
            {shown.map((e) => (
              <Button key={e.char} className={styles.emoji} appearance="subtle" aria-label={e.name} title={e.name} onClick={() => pick(e)}>
                {e.char}
              </Button>
            ))}
          </div>
        )}
      </PopoverSurface>
    </Popover>
  );
};
