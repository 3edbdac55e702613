import * as React from "react";
import {
  Button,
  Checkbox,
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
} from "@fluentui/react-components";
import { SearchRegular } from "@fluentui/react-icons";
import { useStrings } from "../../app/strings";
import { useDialogFocus } from "../../app/useDialogFocus";
import { CHANNEL_NAME_MAX, channelNameProblem, forbiddenCharacters, proposeChannelName } from "../../domain/channelName";
import { usePanel } from "../../store/context";

const useStyles = makeStyles({
  content: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  list: { maxHeight: "180px", overflowY: "auto", border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, padding: tokens.spacingHorizontalXS },
  secondary: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  status: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, color: tokens.colorNeutralForeground2 },
});

export type CollaborateMode = "create" | "link";

export interface CollaborateDialogProps {
  open: boolean;
  onClose(): void;
}

/** "Collaborate with Microsoft Teams": a new standard channel in one of the user's teams, or an existing channel. */
export const CollaborateDialog: React.FC<CollaborateDialogProps> = ({ open, onClose }) => {
  const styles = useStyles();
  const { t } = useStrings();
  const surface = useDialogFocus(open);
  const teams = usePanel((s) => s.teams);
  const teamsStatus = usePanel((s) => s.teamsStatus);
  const loadTeams = usePanel((s) => s.loadTeams);
  const teamChannels = usePanel((s) => s.teamChannels);
  const loadTeamChannels = usePanel((s) => s.loadTeamChannels);
  const action = usePanel((s) => s.channelAction);
  const actionError = usePanel((s) => s.channelActionError);
  const resetAction = usePanel((s) => s.resetChannelAction);
  const createAndLink = usePanel((s) => s.createAndLinkChannel);
  const linkExisting = usePanel((s) => s.linkExistingChannel);
  const linked = usePanel((s) => s.linkedChannels);
  const recordTitle = usePanel((s) => s.record?.title ?? "");
  const tableLabel = usePanel((s) => s.record?.tableDisplayName ?? s.env.record?.table ?? "");
  const introAllowed = usePanel((s) => s.env.introMessage !== false);

  const [mode, setMode] = React.useState<CollaborateMode>("create");
  const [filter, setFilter] = React.useState("");
  const [teamId, setTeamId] = React.useState<string>("");
  const [channelId, setChannelId] = React.useState<string>("");
  const [name, setName] = React.useState("");
  const [nameEdited, setNameEdited] = React.useState(false);
  const [sendIntro, setSendIntro] = React.useState(true);
  const [submitted, setSubmitted] = React.useState(false);

  React.useEffect(() => {
    if (open && teamsStatus !== "loading" && teamsStatus !== "ready") void loadTeams().catch(() => undefined);
  }, [open, teamsStatus, loadTeams]);
  React.useEffect(() => {
    if (open && !nameEdited) setName(proposeChannelName(recordTitle, t("Collab_NameFallback")));
  }, [open, nameEdited, recordTitle, t]);
  React.useEffect(() => {
    if (open && mode === "link" && teamId && !teamChannels[teamId]) void loadTeamChannels(teamId);
  }, [open, mode, teamId, teamChannels, loadTeamChannels]);

  const busy = action !== "idle";
  const team = teams.find((x) => x.id === teamId);
  const shown = teams.filter((x) => (mode === "link" || !x.isArchived) && x.displayName.toLowerCase().includes(filter.trim().toLowerCase()));
  const channels = teamId ? teamChannels[teamId] : undefined;
  const linkedIds = new Set(linked.map((l) => l.channelId));

  const problem = channelNameProblem(name);
  const nameMessage =
    problem === "empty"
      ? t("Collab_NameEmpty")
      : problem === "tooLong"
        ? t("Collab_NameTooLong", CHANNEL_NAME_MAX, name.trim().length)
        : problem === "characters"
          ? t("Collab_NameCharacters", forbiddenCharacters(name).join(" "))
          : problem === "reserved"
            ? t("Collab_NameReserved")
            : problem === "edges"
              ? t("Collab_NameEdges")
              : undefined;
  const showNameProblem = !!problem && (nameEdited || submitted);

  const close = () => {
    if (busy) return;
    resetAction();
    setSubmitted(false);
    onClose();
  };

  const submit = async (e?: React.FormEvent) => {
    e?.preventDefault();
    setSubmitted(true);
    if (busy || !team) return;
    if (mode === "create") {
      if (problem) return;
      const intro = introAllowed && sendIntro ? { heading: t("Intro_Heading", tableLabel), openLabel: t("Intro_Open"), tableLabel } : undefined;
      if (await createAndLink(team.id, name, intro)) {
        setNameEdited(false);
        setTeamId("");
        setFilter("");
        close();
      }
    } else {
      const channel = channels?.channels.find((c) => c.id === channelId);
      if (!channel) return;
      if (await linkExisting(team.id, channel)) {
        setChannelId("");
        close();
      }
    }
  };

  const errorText = (() => {
    if (!actionError) return undefined;
    if (actionError.code === "duplicateName") return t("Collab_ErrorDuplicate", name.trim(), team?.displayName ?? "");
    switch (actionError.kind) {
      case "invalid":
        return t("Collab_ErrorInvalid");
      case "forbidden":
        return mode === "create" ? t("Collab_ErrorCreateForbidden", team?.displayName ?? "") : t("Channel_LinkForbidden", "");
      case "auth":
        return t("Error_Auth_Body");
      case "throttled":
        return t("Error_Throttled_Body");
      case "offline":
        return t("Action_Offline");
      default:
        return mode === "create" ? t("Collab_ErrorCreate") : t("Channel_LinkFailed", "");
    }
  })();

  const canSubmit = !busy && !!team && (mode === "create" ? !team.isArchived : !!channelId && !linkedIds.has(channelId));
  const teamLabelId = "tcp-collab-team-label";

  return (
    <Dialog open={open} onOpenChange={(_, d) => !d.open && close()}>
      <DialogSurface ref={surface} aria-describedby={undefined}>
        <form onSubmit={submit} noValidate>
          <DialogBody>
            <DialogTitle>{t("Collab_Title")}</DialogTitle>
            <DialogContent className={styles.content}>
              <RadioGroup
                value={mode}
                aria-label={t("Collab_ModeLabel")}
                onChange={(_, d) => {
                  setMode(d.value as CollaborateMode);
                  resetAction();
                  setSubmitted(false);
                  if (d.value === "create" && team?.isArchived) setTeamId("");
                }}
                disabled={busy}
              >
                <Radio value="create" label={t("Collab_ModeCreate")} />
                <Radio value="link" label={t("Collab_ModeLink")} />
              </RadioGroup>

              <Field label={t("Collab_TeamFilter")}>
                <Input contentBefore={<SearchRegular aria-hidden="true" />} value={filter} onChange={(_, d) => setFilter(d.value)} disabled={busy} />
              </Field>
              <div>
                <span id={teamLabelId} className={styles.secondary}>
                  {t("Collab_TeamLabel")}
                </span>
                {teamsStatus === "loading" && <Spinner size="tiny" label={t("Collab_TeamsLoading")} />}
                {teamsStatus === "error" && (
                  <MessageBar intent="error" role="alert">
                    <MessageBarBody>
                      {t("Collab_TeamsFailed")}{" "}
                      <Button size="small" appearance="transparent" onClick={() => void loadTeams().catch(() => undefined)}>
                        {t("Action_Retry")}
                      </Button>
                    </MessageBarBody>
                  </MessageBar>
                )}
                {teamsStatus === "ready" && shown.length === 0 && <p className={styles.secondary}>{filter ? t("Collab_NoTeamMatch", filter) : t("Collab_NoTeams")}</p>}
                {shown.length > 0 && (
                  <RadioGroup
                    className={styles.list}
                    aria-labelledby={teamLabelId}
                    value={teamId}
                    onChange={(_, d) => {
                      setTeamId(d.value);
                      setChannelId("");
                      resetAction();
                    }}
                    disabled={busy}
                  >
                    {shown.map((x) => (
                      <Radio key={x.id} value={x.id} label={x.isArchived ? t("Collab_TeamArchived", x.displayName) : x.displayName} />
                    ))}
                  </RadioGroup>
                )}
              </div>

              {mode === "create" ? (
                <>
                  <Field
                    label={t("Collab_NameLabel")}
                    hint={showNameProblem ? undefined : t("Collab_NameHint", CHANNEL_NAME_MAX)}
                    validationState={showNameProblem ? "error" : "none"}
                    validationMessage={showNameProblem ? nameMessage : undefined}
                  >
                    <Input
                      value={name}
                      onChange={(_, d) => {
                        setName(d.value);
                        setNameEdited(true);
                        if (actionError) resetAction();
                      }}
                      disabled={busy}
                    />
                  </Field>
                  {introAllowed && <Checkbox checked={sendIntro} onChange={(_, d) => setSendIntro(!!d.checked)} label={t("Collab_Intro")} disabled={busy} />}
                  {submitted && !team && <span className={styles.secondary} role="alert">{t("Collab_PickTeam")}</span>}
                </>
              ) : (
                team && (
                  <div>
                    <span id="tcp-collab-channel-label" className={styles.secondary}>
                      {t("Collab_ChannelLabel", team.displayName)}
                    </span>
                    {(!channels || channels.status === "loading") && <Spinner size="tiny" label={t("Collab_ChannelsLoading")} />}
                    {channels?.status === "error" && (
                      <MessageBar intent="error" role="alert">
                        <MessageBarBody>
                          {t("Collab_ChannelsFailed")}{" "}
                          <Button size="small" appearance="transparent" onClick={() => void loadTeamChannels(team.id)}>
                            {t("Action_Retry")}
                          </Button>
                        </MessageBarBody>
                      </MessageBar>
                    )}
                    {channels?.status === "ready" && (
                      <RadioGroup className={styles.list} aria-labelledby="tcp-collab-channel-label" value={channelId} onChange={(_, d) => setChannelId(d.value)} disabled={busy}>
                        {channels.channels.map((c) => (
                          <Radio key={c.id} value={c.id} disabled={linkedIds.has(c.id)} label={linkedIds.has(c.id) ? t("Collab_ChannelLinked", c.displayName) : c.displayName} />
                        ))}
                      </RadioGroup>
                    )}
                  </div>
                )
              )}
              {errorText && (
                <MessageBar intent="error" role="alert">
                  <MessageBarBody>{errorText}</MessageBarBody>
                </MessageBar>
              )}
            </DialogContent>
            <DialogActions>
              <Button appearance="secondary" onClick={close} disabled={busy}>
                {t("Action_Cancel")}
              </Button>
              <Button appearance="primary" type="submit" disabled={!canSubmit} icon={busy ? <Spinner size="tiny" /> : undefined}>
                {mode === "create" ? (action === "creating" ? t("Collab_Creating") : t("Collab_Create")) : action === "linking" ? t("Collab_Linking") : t("Collab_Start")}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
};
