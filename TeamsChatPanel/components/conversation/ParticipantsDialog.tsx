import * as React from "react";
import {
  Avatar,
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  Spinner,
  makeStyles,
  tokens,
  useId,
} from "@fluentui/react-components";
import { useDialogFocus } from "../../app/useDialogFocus";
import { useStrings } from "../../app/strings";
import type { ChatMember, ChatType, Person } from "../../domain/types";
import { usePanel } from "../../store/context";
import { PeoplePicker, type PeoplePickerHandle } from "../PeoplePicker";

/** Teams offers between 1 and 365 days of history to people added to a chat. */
export const HISTORY_DAYS_MIN = 1;
export const HISTORY_DAYS_MAX = 365;

export type HistoryChoice = "none" | "all" | "days";

export interface ParticipantsDialogProps {
  open: boolean;
  chatName: string;
  chatType: ChatType;
  members: ChatMember[];
  membersStatus: "loading" | "ready" | "error";
  /** The signed-in user's Entra object id. */
  meId: string;
  onRetry(): void;
  /** Resolves false when adding failed; the dialog then keeps the picks and the history choice. */
  onAdd(people: Person[], history: HistoryChoice, days?: number): Promise<boolean>;
  onRemove(member: ChatMember): Promise<boolean>;
  onClose(): void;
  /** A one-to-one chat cannot grow: when given, the user may start a group chat with the people picked. */
  onStartGroup?(people: Person[]): void;
}

const useStyles = makeStyles({
  content: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  section: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  heading: { margin: 0, fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
  list: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  row: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, minHeight: "40px" },
  who: { display: "flex", flexDirection: "column", minWidth: 0, flexGrow: 1 },
  name: { overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
  email: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
  confirm: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXS,
    padding: tokens.spacingHorizontalS,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground3,
  },
  confirmActions: { display: "flex", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
  error: { color: tokens.colorPaletteRedForeground1 },
  days: { marginLeft: tokens.spacingHorizontalXXL, maxWidth: "160px" },
  status: { color: tokens.colorNeutralForeground2 },
});

/** A whole number of days Teams accepts, or null. */
export function parseHistoryDays(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,3}$/.test(t)) return null;
  const n = Number(t);
  return n >= HISTORY_DAYS_MIN && n <= HISTORY_DAYS_MAX ? n : null;
}

/** Who is in a chat; add people from the directory with a history choice; remove people after asking. */
export const ParticipantsDialog: React.FC<ParticipantsDialogProps> = (props) => {
  const { open, chatName, chatType, members, membersStatus, meId, onRetry, onAdd, onRemove, onClose, onStartGroup } = props;
  const styles = useStyles();
  const { t, locale } = useStrings();
  const clearPeople = usePanel((s) => s.clearPeople);

  const surface = useDialogFocus(open);
  const listHeadingId = useId("participants-heading");
  const addHeadingId = useId("participants-add");
  const historyLabelId = useId("participants-history");

  const [query, setQuery] = React.useState("");
  const [picked, setPicked] = React.useState<Person[]>([]);
  // Sharing no history is the least a newcomer is shown; the user widens it on purpose.
  const [history, setHistory] = React.useState<HistoryChoice>("none");
  const [daysText, setDaysText] = React.useState("7");
  const [adding, setAdding] = React.useState(false);
  const [addFailed, setAddFailed] = React.useState(false);
  const [confirming, setConfirming] = React.useState<string | null>(null);
  const [removing, setRemoving] = React.useState<string | null>(null);
  const [removeFailed, setRemoveFailed] = React.useState<string | null>(null);
  // Hidden at once after a removal succeeds, before the refreshed roster arrives, so focus has a stable place.
  const [removed, setRemoved] = React.useState<string[]>([]);
  const [status, setStatus] = React.useState("");

  const removeButtons = React.useRef(new Map<string, HTMLButtonElement>());
  const daysInput = React.useRef<HTMLInputElement>(null);
  const searchInput = React.useRef<PeoplePickerHandle>(null);
  const closeButton = React.useRef<HTMLButtonElement>(null);
  const pendingFocus = React.useRef<string | null>(null);
  const keepButton = React.useRef<HTMLButtonElement>(null);
  const mounted = React.useRef(true);
  React.useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );

  // A fresh start each time the dialog opens (closing after a failure keeps nothing half-done).
  React.useEffect(() => {
    if (!open) return;
    setQuery("");
    setPicked([]);
    setHistory("none");
    setDaysText("7");
    setAddFailed(false);
    setConfirming(null);
    setRemoveFailed(null);
    setRemoved([]);
    setStatus("");
  }, [open]);

  // Once the roster no longer has someone, they need not be hidden any more (and may be added back).
  React.useEffect(() => {
    setRemoved((r) => {
      const still = r.filter((id) => members.some((m) => m.membershipId === id));
      return still.length === r.length ? r : still;
    });
  }, [members, removed]);

  const collator = React.useMemo(() => new Intl.Collator(locale, { sensitivity: "base" }), [locale]);
  const shown = React.useMemo(
    () => members.filter((m) => !removed.includes(m.membershipId)).sort((a, b) => collator.compare(a.displayName, b.displayName)),
    [members, removed, collator],
  );

  // Focus the Remove button asked for once it is rendered (after a cancel, or the next row after a removal).
  React.useEffect(() => {
    const id = pendingFocus.current;
    if (id === null) return;
    pendingFocus.current = null;
    const button = id ? removeButtons.current.get(id) : undefined;
    (button ?? searchInput.current ?? closeButton.current)?.focus();
  });

  // Asking moves focus to "Cancel", so a stray Enter never removes anyone.
  React.useEffect(() => {
    if (confirming) keepButton.current?.focus();
  }, [confirming]);

  const oneOnOne = chatType === "oneOnOne";
  const canRemove = (m: ChatMember) => !oneOnOne && m.userId !== meId;
  const other = members.find((m) => m.userId !== meId);

  const memberIds = new Set(members.filter((m) => !removed.includes(m.membershipId)).map((m) => m.userId));

  const days = parseHistoryDays(daysText);
  const daysInvalid = history === "days" && days === null;
  const busy = adding || removing !== null;

  const close = () => {
    searchInput.current?.cancelSearch();
    clearPeople();
    onClose();
  };

  const submitAdd = async (e?: React.FormEvent) => {
    e?.preventDefault();
    if (adding || picked.length === 0) return;
    if (daysInvalid) {
      daysInput.current?.focus();
      return;
    }
    setAdding(true);
    setAddFailed(false);
    setStatus("");
    const names = picked.map((p) => p.displayName).join(", ");
    const ok = await onAdd(picked, history, history === "days" ? (days ?? undefined) : undefined);
    if (!mounted.current) return;
    setAdding(false);
    if (ok) {
      setPicked([]);
      setQuery("");
      setStatus(t("Participants_Added", names));
      searchInput.current?.focus();
    } else {
      setAddFailed(true);
    }
  };

  const askRemove = (m: ChatMember) => {
    setConfirming(m.membershipId);
    setRemoveFailed(null);
    setStatus("");
  };

  const cancelRemove = (m: ChatMember) => {
    setConfirming(null);
    setRemoveFailed(null);
    pendingFocus.current = m.membershipId;
  };

  const confirmRemove = async (m: ChatMember) => {
    if (removing) return;
    setRemoving(m.membershipId);
    setRemoveFailed(null);
    const ok = await onRemove(m);
    if (!mounted.current) return;
    setRemoving(null);
    if (!ok) {
      setRemoveFailed(m.membershipId);
      return;
    }
    // Focus moves to the next person who can be removed (or the one before), else to the search field.
    const removable = shown.filter(canRemove);
    const at = removable.findIndex((x) => x.membershipId === m.membershipId);
    const next = removable[at + 1] ?? removable[at - 1];
    pendingFocus.current = next ? next.membershipId : "";
    setConfirming(null);
    setRemoved((r) => [...r, m.membershipId]);
    setStatus(t("Participants_Removed", m.displayName));
  };

  const nameOf = (m: ChatMember) => (m.userId === meId ? t("Participants_You", m.displayName) : m.displayName);

  const renderMember = (m: ChatMember) => {
    const asking = confirming === m.membershipId;
    const working = removing === m.membershipId;
    return (
      <li key={m.membershipId}>
        <div className={styles.row}>
          <Avatar aria-hidden="true" name={m.displayName} color="colorful" size={32} />
          <div className={styles.who}>
            <span className={styles.name}>{nameOf(m)}</span>
            {m.email && <span className={styles.email}>{m.email}</span>}
          </div>
          {canRemove(m) && !asking && (
            <Button
              size="small"
              appearance="subtle"
              aria-label={t("Participants_Remove", m.displayName)}
              disabled={busy}
              onClick={() => askRemove(m)}
              ref={(el: HTMLButtonElement | null) => {
                if (el) removeButtons.current.set(m.membershipId, el);
                else removeButtons.current.delete(m.membershipId);
              }}
            >
              {t("Participants_RemoveShort")}
            </Button>
          )}
        </div>
        {asking && (
          <div
            role="group"
            aria-label={t("Participants_RemoveConfirm", m.displayName)}
            className={styles.confirm}
            onKeyDown={(e) => {
              // Escape answers "no" here instead of closing the whole dialog.
              if (e.key === "Escape" && !working) {
                e.stopPropagation();
                e.preventDefault();
                cancelRemove(m);
              }
            }}
          >
            <span>{t("Participants_RemoveConfirm", m.displayName)}</span>
            {removeFailed === m.membershipId && (
              <span role="alert" className={styles.error}>
                {t("Participants_RemoveFailed", m.displayName)}
              </span>
            )}
            <div className={styles.confirmActions}>
              <Button size="small" appearance="primary" disabled={working} icon={working ? <Spinner size="extra-tiny" /> : undefined} onClick={() => void confirmRemove(m)}>
                {working ? t("Participants_Removing") : t("Participants_RemoveYes")}
              </Button>
              <Button size="small" appearance="secondary" disabled={working} onClick={() => cancelRemove(m)} ref={keepButton}>
                {t("Action_Cancel")}
              </Button>
            </div>
          </div>
        )}
      </li>
    );
  };

  const picker = (
    <PeoplePicker
      ref={searchInput}
      label={t("Participants_SearchLabel")}
      inputLabel={t("Participants_SearchLabel")}
      placeholder={t("Participants_SearchPlaceholder")}
      pickedLabel={t("Participants_PickedLabel")}
      unpickLabel={(name) => t("Participants_Unpick", name)}
      unpickLabelOn="tag"
      query={query}
      onQueryChange={setQuery}
      picked={picked}
      onPickedChange={setPicked}
      leaveOut={memberIds}
      allLeftOutText={(q) => t("Participants_AllIn", q)}
      disabled={adding}
    />
  );

  return (
    <Dialog open={open} onOpenChange={(_, d) => !d.open && !adding && close()}>
      <DialogSurface ref={surface} aria-describedby={undefined}>
        {/* Our own inline validation speaks the panel's language; the browser's bubble would not. */}
        <form onSubmit={submitAdd} noValidate>
          <DialogBody>
            <DialogTitle>{t("Participants_Title", chatName)}</DialogTitle>
            <DialogContent className={styles.content}>
              <section className={styles.section} aria-labelledby={listHeadingId}>
                <h3 id={listHeadingId} className={styles.heading}>
                  {membersStatus === "ready" ? t("Participants_Count", shown.length) : t("Participants_Heading")}
                </h3>
                {membersStatus === "loading" && <Spinner size="tiny" labelPosition="after" label={t("Participants_Loading")} />}
                {membersStatus === "error" && (
                  <MessageBar intent="error" layout="multiline">
                    <MessageBarBody>{t("Participants_LoadFailed")}</MessageBarBody>
                    <Button size="small" onClick={onRetry}>
                      {t("Action_Retry")}
                    </Button>
                  </MessageBar>
                )}
                {membersStatus === "ready" && (
                  <ul className={styles.list} aria-labelledby={listHeadingId}>
                    {shown.map(renderMember)}
                  </ul>
                )}
                <div role="status" className={styles.status}>
                  {status}
                </div>
              </section>

              {oneOnOne ? (
                <section className={styles.section}>
                  <MessageBar intent="info" layout="multiline">
                    <MessageBarBody>{t("Participants_OneOnOne", other?.displayName ?? chatName)}</MessageBarBody>
                  </MessageBar>
                  {onStartGroup && (
                    <>
                      {picker}
                      <div>
                        <Button appearance="primary" onClick={() => onStartGroup(picked)}>
                          {t("Participants_StartGroup")}
                        </Button>
                      </div>
                    </>
                  )}
                </section>
              ) : (
                <section className={styles.section} aria-labelledby={addHeadingId}>
                  <h3 id={addHeadingId} className={styles.heading}>
                    {t("Participants_AddHeading")}
                  </h3>
                  {picker}
                  <span id={historyLabelId}>{t("Participants_HistoryLabel")}</span>
                  <RadioGroup aria-labelledby={historyLabelId} value={history} disabled={adding} onChange={(_, d) => setHistory(d.value as HistoryChoice)}>
                    <Radio value="none" label={t("Participants_HistoryNone")} />
                    <Radio value="days" label={t("Participants_HistoryDays")} />
                    <Radio value="all" label={t("Participants_HistoryAll")} />
                  </RadioGroup>
                  {history === "days" && (
                    <Field
                      className={styles.days}
                      label={t("Participants_Days")}
                      validationState={daysInvalid ? "error" : "none"}
                      validationMessage={daysInvalid ? t("Participants_DaysInvalid", HISTORY_DAYS_MIN, HISTORY_DAYS_MAX) : undefined}
                    >
                      <Input ref={daysInput} type="number" inputMode="numeric" min={HISTORY_DAYS_MIN} max={HISTORY_DAYS_MAX} value={daysText} disabled={adding} onChange={(_, d) => setDaysText(d.value)} />
                    </Field>
                  )}
                  {addFailed && (
                    <MessageBar intent="error" role="alert" layout="multiline">
                      <MessageBarBody>{t("Participants_AddFailed")}</MessageBarBody>
                    </MessageBar>
                  )}
                  <div>
                    <Button appearance="primary" type="submit" disabled={picked.length === 0 || adding} icon={adding ? <Spinner size="tiny" /> : undefined}>
                      {adding ? t("Participants_Adding") : t("Participants_Add")}
                    </Button>
                  </div>
                </section>
              )}
            </DialogContent>
            <DialogActions>
              <Button ref={closeButton} appearance="secondary" onClick={close} disabled={adding}>
                {t("Participants_Close")}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
};
