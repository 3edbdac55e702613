import * as React from "react";
import { Avatar, Button, Link, MessageBar, MessageBarActions, MessageBarBody, Spinner, Tooltip, makeStyles, tokens } from "@fluentui/react-components";
import { ChatRegular, ChevronDownRegular, ChevronRightRegular, LinkAddRegular } from "@fluentui/react-icons";
import { useHost } from "../app/host";
import { useStrings } from "../app/strings";
import type { RuleError, RuleReason } from "../domain/suggestions/rules";
import type { Suggestion } from "../domain/suggestions/merge";
import type { Person } from "../domain/types";
import { usePanel } from "../store/context";
import type { SimilarSuggestion } from "../store/suggestionsSlice";

/** How many people each group shows before "Show more". */
export const TOP = 3;

const useStyles = makeStyles({
  root: { flexShrink: 0, maxHeight: "45%", overflowY: "auto", borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`, padding: `0 ${tokens.spacingHorizontalS} ${tokens.spacingVerticalXS}` },
  heading: { margin: 0, fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
  group: { margin: `${tokens.spacingVerticalXS} 0 0`, fontSize: tokens.fontSizeBase200, fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground2 },
  list: { listStyleType: "none", margin: 0, padding: 0 },
  item: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, padding: `${tokens.spacingVerticalXXS} 0` },
  text: { display: "flex", flexDirection: "column", flexGrow: 1, minWidth: 0 },
  name: { fontWeight: tokens.fontWeightSemibold, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
  reason: { fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
  actions: { display: "flex", flexShrink: 0, alignItems: "center" },
  muted: { fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2, margin: `${tokens.spacingVerticalXXS} 0` },
  bar: { margin: `${tokens.spacingVerticalXS} 0` },
});

const REASON_KEYS: Record<RuleReason, string> = {
  owner: "Suggest_Reason_Owner",
  teamMember: "Suggest_Reason_TeamMember",
  linkedChat: "Suggest_Reason_LinkedChat",
  customerOwner: "Suggest_Reason_CustomerOwner",
  activity: "Suggest_Reason_Activity",
  custom: "Suggest_Reason_Custom",
};

export interface SuggestedContactsProps {
  /** Opens the new linked chat dialog with this person picked; undefined while linking is not possible. */
  onStartLinked?: (person: Person) => void;
}

const PersonActions: React.FC<{ person: { aadObjectId: string; fullName: string }; onStartLinked?: (p: Person) => void }> = ({ person, onStartLinked }) => {
  const styles = useStyles();
  const { t } = useStrings();
  const chatWith = usePanel((s) => s.chatWith);
  const [busy, setBusy] = React.useState(false);
  return (
    <span className={styles.actions}>
      <Tooltip content={t("Suggest_StartLinked", person.fullName)} relationship="label">
        <Button appearance="subtle" size="small" icon={<LinkAddRegular />} disabled={!onStartLinked} onClick={() => onStartLinked?.({ id: person.aadObjectId, displayName: person.fullName })} />
      </Tooltip>
      <Tooltip content={t("Suggest_Chat", person.fullName)} relationship="label">
        <Button
          appearance="subtle"
          size="small"
          icon={busy ? <Spinner size="extra-tiny" /> : <ChatRegular />}
          disabledFocusable={busy}
          onClick={() => {
            setBusy(true);
            void chatWith(person).finally(() => setBusy(false));
          }}
        />
      </Tooltip>
    </span>
  );
};

function useShowMore(count: number): { shown: number; toggle: React.ReactNode } {
  const { t } = useStrings();
  const [all, setAll] = React.useState(false);
  if (count <= TOP) return { shown: count, toggle: null };
  return {
    shown: all ? count : TOP,
    toggle: (
      <Button appearance="transparent" size="small" aria-expanded={all} onClick={() => setAll(!all)}>
        {all ? t("Suggest_ShowFewer") : t("Suggest_ShowMore", count - TOP)}
      </Button>
    ),
  };
}

const SimilarGroup: React.FC<{ items: SimilarSuggestion[]; onStartLinked?: (p: Person) => void }> = ({ items, onStartLinked }) => {
  const styles = useStyles();
  const { t } = useStrings();
  const host = useHost();
  const { shown, toggle } = useShowMore(items.length);
  return (
    <>
      <ul className={styles.list} aria-label={t("Suggest_Similar_Title")}>
        {items.slice(0, shown).map((s) => {
          const title = s.caseTitle || t("Suggest_UntitledCase");
          const explanation = s.sharedTerms.length ? t("Suggest_Explain", title, s.confidence, s.sharedTerms.join(", ")) : t("Suggest_ExplainNoTerms", title, s.confidence);
          return (
            <li key={s.systemUserId} className={styles.item} data-testid="suggest-similar-item">
              <Avatar name={s.fullName} size={28} aria-hidden />
              <span className={styles.text}>
                <span className={styles.name}>{s.fullName}</span>
                <span className={styles.reason}>
                  {t("Suggest_Resolved")}{" "}
                  <Link inline onClick={() => host.openRecord({ table: "incident", id: s.caseId })} aria-label={t("Suggest_OpenCase", title)}>
                    {title}
                  </Link>
                </span>
              </span>
              <Tooltip content={explanation} relationship="description">
                <Button appearance="transparent" size="small" aria-label={t("Suggest_Confidence", s.confidence)} data-testid="suggest-confidence">
                  {`${s.confidence}%`}
                </Button>
              </Tooltip>
              <PersonActions person={s} onStartLinked={onStartLinked} />
            </li>
          );
        })}
      </ul>
      {toggle}
    </>
  );
};

const RelatedGroup: React.FC<{ items: Suggestion[]; onStartLinked?: (p: Person) => void }> = ({ items, onStartLinked }) => {
  const styles = useStyles();
  const { t } = useStrings();
  const { shown, toggle } = useShowMore(items.length);
  return (
    <>
      <ul className={styles.list} aria-label={t("Suggest_Related_Title")}>
        {items.slice(0, shown).map((s) => (
          <li key={s.systemUserId} className={styles.item} data-testid="suggest-related-item">
            <Avatar name={s.fullName} size={28} aria-hidden />
            <span className={styles.text}>
              <span className={styles.name}>{s.fullName}</span>
              <span className={styles.reason}>{s.reasons.map((r) => t(REASON_KEYS[r.reason], r.detail ?? "")).join(" · ")}</span>
            </span>
            <PersonActions person={s} onStartLinked={onStartLinked} />
          </li>
        ))}
      </ul>
      {toggle}
    </>
  );
};

function ruleErrorText(t: (key: string, ...args: Array<string | number>) => string, e: RuleError): string {
  const what = t(e.key, ...e.args);
  return e.index === 0 ? what : t("Suggest_RuleErr_At", e.index, what);
}

/** Who can help with this record: people the admin's rules connect to it, and people who solved similar cases. */
export const SuggestedContacts: React.FC<SuggestedContactsProps> = ({ onStartLinked }) => {
  const styles = useStyles();
  const { t } = useStrings();
  const enabled = usePanel((s) => s.env.showSuggestions !== false && !!s.env.record);
  const status = usePanel((s) => s.status);
  const load = usePanel((s) => s.loadSuggestions);
  const related = usePanel((s) => s.related);
  const relatedStatus = usePanel((s) => s.relatedStatus);
  const retryRelated = usePanel((s) => s.retryRelated);
  const similar = usePanel((s) => s.similar);
  const similarStatus = usePanel((s) => s.similarStatus);
  const retrySimilar = usePanel((s) => s.retrySimilar);
  const ruleErrors = usePanel((s) => s.ruleErrors);
  const linksStatus = usePanel((s) => s.linksStatus);
  const linkedHere = usePanel((s) => (s.env.record ? s.links.some((l) => l.record.table === s.env.record?.table && l.record.id.toLowerCase() === s.env.record?.id.toLowerCase()) : false));
  // Open by default while nothing is linked here yet (finding someone is the next step); once chats are
  // linked the list needs the room, and the suggestions are one click away.
  const [choice, setChoice] = React.useState<boolean | undefined>();
  const open = choice ?? !linkedHere;
  const headingId = "tcp-suggest-heading";
  const linksKnown = linksStatus === "ready" || linksStatus === "error";

  React.useEffect(() => {
    // Read only when shown: a collapsed section costs no request.
    if (enabled && open && status === "ready" && linksKnown) void load();
  }, [enabled, open, status, linksKnown, load]);

  if (!enabled || status !== "ready" || !linksKnown) return null;
  const loading = (st: string) => st === "loading";

  return (
    <section className={styles.root} aria-labelledby={headingId} data-testid="suggestions">
      <h2 className={styles.heading} id={headingId}>
        <Button appearance="transparent" size="small" icon={open ? <ChevronDownRegular /> : <ChevronRightRegular />} aria-expanded={open} onClick={() => setChoice(!open)}>
          {t("Suggest_Title")}
        </Button>
      </h2>
      {open && (
        <>
          {ruleErrors.length > 0 && (
            <MessageBar intent="warning" layout="multiline" className={styles.bar} data-testid="suggest-rule-errors">
              <MessageBarBody>
                {t(ruleErrors.every((e) => e.key === "Suggest_RuleErr_Column") ? "Suggest_RuleErr_IntroSkipped" : "Suggest_RuleErr_Intro")}
                <ul>
                  {ruleErrors.map((e) => (
                    <li key={`${e.index}-${e.key}`}>{ruleErrorText(t, e)}</li>
                  ))}
                </ul>
              </MessageBarBody>
            </MessageBar>
          )}
          {similarStatus !== "hidden" && (
            <>
              <div role="heading" aria-level={3} className={styles.group}>
                {t("Suggest_Similar_Title")}
              </div>
              {loading(similarStatus) || similarStatus === "idle" ? (
                <Spinner size="tiny" label={t("Suggest_Loading")} />
              ) : similarStatus === "error" ? (
                <MessageBar intent="error" layout="multiline" className={styles.bar} data-testid="suggest-similar-error">
                  <MessageBarBody>{t("Suggest_Similar_Failed")}</MessageBarBody>
                  <MessageBarActions>
                    <Button size="small" onClick={() => void retrySimilar()}>
                      {t("Action_Retry")}
                    </Button>
                  </MessageBarActions>
                </MessageBar>
              ) : similar.length ? (
                <SimilarGroup items={similar} onStartLinked={onStartLinked} />
              ) : (
                <p className={styles.muted}>{t("Suggest_Similar_None")}</p>
              )}
            </>
          )}
          <div role="heading" aria-level={3} className={styles.group}>
            {t("Suggest_Related_Title")}
          </div>
          {loading(relatedStatus) || relatedStatus === "idle" ? (
            <Spinner size="tiny" label={t("Suggest_Loading")} />
          ) : relatedStatus === "error" ? (
            <MessageBar intent="error" layout="multiline" className={styles.bar} data-testid="suggest-related-error">
              <MessageBarBody>{t("Suggest_Related_Failed")}</MessageBarBody>
              <MessageBarActions>
                <Button size="small" onClick={() => void retryRelated()}>
                  {t("Action_Retry")}
                </Button>
              </MessageBarActions>
            </MessageBar>
          ) : related.length ? (
            <RelatedGroup items={related} onStartLinked={onStartLinked} />
          ) : (
            <p className={styles.muted}>{t("Suggest_Related_None")}</p>
          )}
        </>
      )}
    </section>
  );
};
