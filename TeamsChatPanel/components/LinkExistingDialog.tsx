import * as React from "react";
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Radio, RadioGroup, SearchBox, makeStyles, tokens } from "@fluentui/react-components";
import { useDialogFocus } from "../app/useDialogFocus";
import { useStrings } from "../app/strings";
import type { ChatEntry } from "../domain/sections";
import { matchesFilter } from "../domain/text";

const MAX_SHOWN = 50;

const useStyles = makeStyles({
  list: { maxHeight: "280px", overflowY: "auto", display: "flex", flexDirection: "column" },
  empty: { color: tokens.colorNeutralForeground3, padding: tokens.spacingVerticalS },
  content: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
});

export interface LinkExistingDialogProps {
  open: boolean;
  /** The user's chats that are not linked to this record yet. */
  candidates: ChatEntry[];
  onClose(): void;
  onPick(entry: ChatEntry): void;
}

/** Pick one of the user's chats to link to this record, searching by name. */
export const LinkExistingDialog: React.FC<LinkExistingDialogProps> = ({ open, candidates, onClose, onPick }) => {
  const styles = useStyles();
  const { t } = useStrings();
  const surface = useDialogFocus(open);
  const [query, setQuery] = React.useState("");
  const [chosen, setChosen] = React.useState<string>("");
  const matches = React.useMemo(() => candidates.filter((c) => matchesFilter(c.name, query)), [candidates, query]);
  const shown = matches.slice(0, MAX_SHOWN);
  const picked = candidates.find((c) => c.chat.id === chosen);

  React.useEffect(() => {
    if (!open) {
      setQuery("");
      setChosen("");
    }
  }, [open]);

  return (
    <Dialog open={open} onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface ref={surface}>
        <DialogBody>
          <DialogTitle>{t("LinkExisting_Title")}</DialogTitle>
          <DialogContent className={styles.content}>
            <SearchBox aria-label={t("LinkExisting_Search")} placeholder={t("Filter_Placeholder")} value={query} onChange={(_, d) => setQuery(d.value)} dismiss={{ "aria-label": t("Filter_Clear") }} />
            <Field label={t("LinkExisting_ListLabel")} hint={matches.length > MAX_SHOWN ? t("LinkExisting_More", MAX_SHOWN, matches.length) : undefined}>
              {shown.length === 0 ? (
                <span className={styles.empty}>{candidates.length === 0 ? t("LinkExisting_None") : t("Section_NoMatches")}</span>
              ) : (
                <RadioGroup className={styles.list} value={chosen} onChange={(_, d) => setChosen(d.value)}>
                  {shown.map((c) => (
                    <Radio key={c.chat.id} value={c.chat.id} label={c.chat.chatType === "oneOnOne" ? t("LinkExisting_OneOnOne", c.name) : c.name} />
                  ))}
                </RadioGroup>
              )}
            </Field>
          </DialogContent>
          <DialogActions>
            <Button appearance="secondary" onClick={onClose}>
              {t("Action_Cancel")}
            </Button>
            <Button appearance="primary" disabled={!picked} onClick={() => picked && onPick(picked)}>
              {t("LinkExisting_Confirm")}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
};
