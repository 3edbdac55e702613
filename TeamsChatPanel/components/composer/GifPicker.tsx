import * as React from "react";
import { Button, Popover, PopoverSurface, PopoverTrigger, SearchBox, Spinner, Text, ToolbarButton, Tooltip, makeStyles, tokens, useArrowNavigationGroup } from "@fluentui/react-components";
import { GifRegular } from "@fluentui/react-icons";
import { useStrings } from "../../app/strings";
import type { GifResult } from "../../domain/messages";
import type { GifProvider } from "../../services/ports";

export const GIF_SEARCH_DELAY_MS = 300;
const GIF_LIMIT = 24;

const useStyles = makeStyles({
  surface: { width: "min(320px, calc(100vw - 32px))", display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  grid: { display: "grid", gridTemplateColumns: "repeat(3, 1fr)", gap: tokens.spacingHorizontalXS, maxHeight: "260px", overflowY: "auto" },
  item: { padding: 0, minWidth: 0, height: "80px", overflow: "hidden" },
  img: { width: "100%", height: "100%", objectFit: "cover" },
  status: { display: "flex", flexDirection: "column", alignItems: "flex-start", gap: tokens.spacingVerticalXS, color: tokens.colorNeutralForeground3 },
});

type Phase = { kind: "idle" } | { kind: "searching" } | { kind: "results"; items: GifResult[] } | { kind: "failed"; what: "search" | "download"; gif?: GifResult } | { kind: "adding"; gif: GifResult };

export interface GifPickerProps {
  gifs: GifProvider;
  disabled?: boolean;
  /** The downloaded GIF; resolves false when it could not be added (the composer says why). */
  onPicked(blob: Blob, gif: GifResult): Promise<boolean>;
  onClosed(): void;
}

/** Searches the admin's GIF provider; a picked GIF is downloaded and goes with the message as an inline image. */
export const GifPicker: React.FC<GifPickerProps> = ({ gifs, disabled, onPicked, onClosed }) => {
  const styles = useStyles();
  const { t } = useStrings();
  const grid = useArrowNavigationGroup({ axis: "grid", memorizeCurrent: true });
  const [open, setOpen] = React.useState(false);
  const [query, setQuery] = React.useState("");
  const [phase, setPhase] = React.useState<Phase>({ kind: "idle" });
  const [attempt, setAttempt] = React.useState(0);
  const results = React.useRef<GifResult[]>([]);
  const download = React.useRef<AbortController | null>(null);

  React.useEffect(() => {
    const q = query.trim();
    if (!open || !q) {
      setPhase({ kind: "idle" });
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setPhase({ kind: "searching" });
      gifs.search(q, GIF_LIMIT, controller.signal).then(
        (items) => {
          if (controller.signal.aborted) return;
          results.current = items;
          setPhase({ kind: "results", items });
        },
        () => !controller.signal.aborted && setPhase({ kind: "failed", what: "search" }),
      );
    }, GIF_SEARCH_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [gifs, open, query, attempt]);

  React.useEffect(() => () => download.current?.abort(), []);

  const close = () => {
    download.current?.abort();
    setOpen(false);
    setQuery("");
    onClosed();
  };

  const pick = (gif: GifResult) => {
    download.current?.abort();
    const controller = new AbortController();
    download.current = controller;
    setPhase({ kind: "adding", gif });
    gifs.download(gif, controller.signal).then(
      async (blob) => {
        if (controller.signal.aborted) return;
        const added = await onPicked(blob, gif);
        if (added) close();
        else setPhase({ kind: "results", items: results.current });
      },
      () => !controller.signal.aborted && setPhase({ kind: "failed", what: "download", gif }),
    );
  };

  const retry = () => {
    if (phase.kind === "failed" && phase.what === "download" && phase.gif) pick(phase.gif);
    else setAttempt((n) => n + 1);
  };

  return (
    <Popover open={open} onOpenChange={(_, d) => (d.open ? setOpen(true) : close())} trapFocus positioning="above-start">
      <PopoverTrigger disableButtonEnhancement>
        <Tooltip content={t("Composer_Gif")} relationship="label">
          <ToolbarButton appearance="subtle" disabled={disabled} icon={<GifRegular />} aria-expanded={open} />
        </Tooltip>
      </PopoverTrigger>
      <PopoverSurface className={styles.surface} aria-label={t("Composer_GifTitle")}>
        <SearchBox
          aria-label={t("Composer_GifSearch")}
          placeholder={t("Composer_GifSearch")}
          value={query}
          onChange={(_, d) => setQuery(d.value)}
          dismiss={{ "aria-label": t("Filter_Clear") }}
        />
        <div aria-live="polite" className={styles.status}>
          {phase.kind === "idle" && <Text size={200}>{t("Composer_GifHint")}</Text>}
          {phase.kind === "searching" && <Spinner size="tiny" label={t("Composer_GifSearching")} />}
          {phase.kind === "adding" && <Spinner size="tiny" label={t("Composer_GifAdding", phase.gif.title)} />}
          {phase.kind === "results" && phase.items.length === 0 && <Text size={200}>{t("Composer_GifNone", query.trim())}</Text>}
          {phase.kind === "failed" && (
            <>
              <Text size={200} role="alert">
                {phase.what === "search" ? t("Composer_GifSearchFailed") : t("Composer_GifDownloadFailed")}
              </Text>
              <Button size="small" onClick={retry}>
                {t("Action_Retry")}
              </Button>
            </>
          )}
        </div>
        {phase.kind === "results" && phase.items.length > 0 && (
          <div className={styles.grid} {...grid} role="group" aria-label={t("Composer_GifResults")}>
            {phase.items.map((gif) => (
              <Button key={gif.id} className={styles.item} appearance="subtle" onClick={() => pick(gif)}>
                <img className={styles.img} src={gif.previewUrl} alt={gif.title} loading="lazy" />
              </Button>
            ))}
          </div>
        )}
      </PopoverSurface>
    </Popover>
  );
};
