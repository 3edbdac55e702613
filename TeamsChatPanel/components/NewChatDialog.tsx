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
  Spinner,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useDialogFocus } from "../app/useDialogFocus";
import { useStrings } from "../app/strings";
import { TOPIC_MAX_LENGTH, proposedChatName, topicProblem } from "../domain/chatRules";
import type { Person } from "../domain/types";
import { usePanel } from "../store/context";
import { PeoplePicker, type PeoplePickerHandle } from "./PeoplePicker";

const useStyles = makeStyles({
  content: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  secondary: { color: tokens.colorNeutralForeground2 },
});

export interface NewChatDialogProps {
  open: boolean;
  onClose(createdChatId?: string): void;
  /** A group chat linked to this record, with a proposed name; people may be picked in advance. */
  linked?: { people: Person[]; fromOneOnOne?: string };
}

/** Start an unlinked chat: people from the directory (search as you type), a name for a group. */
export const NewChatDialog: React.FC<NewChatDialogProps> = ({ open, onClose, linked }) => {
  const styles = useStyles();
  const { t } = useStrings();
  const clearPeople = usePanel((s) => s.clearPeople);
  const createChat = usePanel((s) => s.createChat);
  const createLinkedChat = usePanel((s) => s.createLinkedChat);
  const recordTitle = usePanel((s) => s.record?.title ?? "");
  const naming = usePanel((s) => s.env.chatNaming);
  const introAllowed = usePanel((s) => s.env.introMessage !== false);
  const tableLabel = usePanel((s) => s.record?.tableDisplayName ?? s.env.record?.table ?? "");
  const [sendIntro, setSendIntro] = React.useState(true);
  const createStatus = usePanel((s) => s.createStatus);
  const createError = usePanel((s) => s.createError);
  const resetCreate = usePanel((s) => s.resetCreate);

  const surface = useDialogFocus(open);
  const [query, setQuery] = React.useState("");
  const [picked, setPicked] = React.useState<Person[]>([]);
  const [topic, setTopic] = React.useState("");
  // The proposed name follows the admin's rule until the user edits it.
  const [topicEdited, setTopicEdited] = React.useState(false);
  const linkedKey = linked ? linked.people.map((p) => p.id).join(",") : null;
  React.useEffect(() => {
    if (!open || linkedKey === null) return;
    setPicked(linked?.people ?? []);
    setTopicEdited(false);
  }, [open, linkedKey]);
  const proposed = proposedChatName(naming, recordTitle, picked);
  React.useEffect(() => {
    if (linked && open && !topicEdited) setTopic(proposed);
  }, [linked, open, topicEdited, proposed]);
  const picker = React.useRef<PeoplePickerHandle>(null);

  const isGroup = picked.length > 1 || !!linked;
  const problem = isGroup ? topicProblem(topic) : null;
  const topicMessage = problem === "tooLong" ? t("NewChat_TopicTooLong", TOPIC_MAX_LENGTH, topic.length) : problem === "colon" ? t("NewChat_TopicColon") : undefined;
  const creating = createStatus === "creating";
  const canCreate = picked.length > 0 && !problem && !creating;

  const close = (id?: string) => {
    picker.current?.cancelSearch();
    clearPeople();
    resetCreate();
    if (id) {
      setPicked([]);
      setTopic("");
      setQuery("");
    }
    onClose(id);
  };

  const submit = async (e?: React.FormEvent) => {
    e?.preventDefault();
    if (!canCreate) return;
    const intro = linked && introAllowed && sendIntro ? { heading: t("Intro_Heading", tableLabel), openLabel: t("Intro_Open"), tableLabel } : undefined;
    const id = linked ? await createLinkedChat(picked, topic, intro) : await createChat(picked, topic);
    if (id) close(id);
  };

  const errorText = createError === "forbidden" ? t("NewChat_ErrorForbidden") : createError === "auth" ? t("Error_Auth_Body") : createError === "throttled" ? t("Error_Throttled_Body") : t("NewChat_ErrorGeneric");

  return (
    <Dialog open={open} onOpenChange={(_, d) => !d.open && !creating && close()}>
      <DialogSurface ref={surface} aria-describedby={undefined}>
        <form onSubmit={submit}>
          <DialogBody>
            <DialogTitle>{linked ? t("NewLinkedChat_Title") : t("NewChat_Title")}</DialogTitle>
            <DialogContent className={styles.content}>
              {linked?.fromOneOnOne && (
                <MessageBar intent="info" layout="multiline">
                  <MessageBarBody>{t("LinkOneOnOne_Body", linked.fromOneOnOne)}</MessageBarBody>
                </MessageBar>
              )}
              <PeoplePicker
                ref={picker}
                label={t("NewChat_PeopleLabel")}
                inputLabel={t("NewChat_SearchLabel")}
                placeholder={t("NewChat_SearchPlaceholder")}
                pickedLabel={t("NewChat_PickedLabel")}
                unpickLabel={(name) => t("NewChat_RemovePerson", name)}
                unpickLabelOn="dismissIcon"
                query={query}
                onQueryChange={setQuery}
                picked={picked}
                onPickedChange={setPicked}
                disabled={creating}
              />
              {isGroup && (
                <Field label={linked ? t("NewLinkedChat_TopicLabel") : t("NewChat_TopicLabel")} hint={problem ? undefined : t("NewChat_TopicHint", TOPIC_MAX_LENGTH)} validationState={problem ? "error" : "none"} validationMessage={topicMessage}>
                  <Input
                    value={topic}
                    onChange={(_, d) => {
                      setTopic(d.value);
                      setTopicEdited(true);
                    }}
                    disabled={creating}
                  />
                </Field>
              )}
              {picked.length === 1 && !linked && <span className={styles.secondary}>{t("NewChat_OneOnOneHint", picked[0].displayName)}</span>}
              {linked && <span className={styles.secondary}>{t("NewLinkedChat_Hint")}</span>}
              {linked && introAllowed && <Checkbox checked={sendIntro} onChange={(_, d) => setSendIntro(!!d.checked)} label={t("NewLinkedChat_Intro")} disabled={creating} />}
              {createStatus === "error" && (
                <MessageBar intent="error" role="alert">
                  <MessageBarBody>{errorText}</MessageBarBody>
                </MessageBar>
              )}
            </DialogContent>
            <DialogActions>
              <Button appearance="secondary" onClick={() => close()} disabled={creating}>
                {t("Action_Cancel")}
              </Button>
              <Button appearance="primary" type="submit" disabled={!canCreate} icon={creating ? <Spinner size="tiny" /> : undefined}>
                {creating ? t("NewChat_Creating") : t("NewChat_Create")}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
};
