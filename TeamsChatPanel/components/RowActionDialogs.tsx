import * as React from "react";
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Input, Spinner } from "@fluentui/react-components";
import { useDialogFocus } from "../app/useDialogFocus";
import { useStrings } from "../app/strings";
import { TOPIC_MAX_LENGTH, topicProblem } from "../domain/chatRules";
import type { ChatEntry } from "../domain/sections";
import { usePanel } from "../store/context";
import type { RowAction } from "./ChatRow";

export interface PendingAction {
  action: RowAction;
  entry: ChatEntry;
}

export interface RowActionDialogsProps {
  pending?: PendingAction;
  onClose(): void;
}

/** Confirmations and small forms behind a chat row's menu: unlink and rename. */
export const RowActionDialogs: React.FC<RowActionDialogsProps> = ({ pending, onClose }) => {
  const { t } = useStrings();
  const unlinkChat = usePanel((s) => s.unlinkChat);
  const renameChat = usePanel((s) => s.renameChat);
  const mySystemUserId = usePanel((s) => s.me?.systemUserId);
  const record = usePanel((s) => s.env.record);
  const links = usePanel((s) => s.links);
  const [topic, setTopic] = React.useState("");
  const [working, setWorking] = React.useState(false);
  const surface = useDialogFocus(!!pending);

  React.useEffect(() => {
    setTopic(pending?.action === "rename" ? (pending.entry.chat.topic ?? "") : "");
    setWorking(false);
  }, [pending]);

  if (!pending) return null;
  const { action, entry } = pending;
  const name = entry.name;

  if (action === "unlink") {
    const mine = links.filter((l) => l.chatId === entry.chat.id && record && l.record.id === record.id).every((l) => !l.ownerId || l.ownerId === mySystemUserId);
    const confirm = async () => {
      setWorking(true);
      onClose();
      await unlinkChat(entry.chat.id, name);
    };
    return (
      <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
        <DialogSurface ref={surface}>
          <DialogBody>
            <DialogTitle>{t("Unlink_Title")}</DialogTitle>
            <DialogContent>
              <p>{t("Unlink_Body", name)}</p>
              {!mine && <p>{t("Unlink_NotYours")}</p>}
            </DialogContent>
            <DialogActions>
              <Button appearance="secondary" onClick={onClose}>
                {t("Action_Cancel")}
              </Button>
              <Button appearance="primary" disabled={working} onClick={() => void confirm()}>
                {t("Unlink_Confirm")}
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    );
  }

  const trimmed = topic.trim();
  const problem = topicProblem(trimmed);
  const message = problem === "tooLong" ? t("NewChat_TopicTooLong", TOPIC_MAX_LENGTH, trimmed.length) : problem === "colon" ? t("NewChat_TopicColon") : !trimmed ? t("Rename_Empty") : undefined;
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (message || working) return;
    setWorking(true);
    onClose();
    await renameChat(entry.chat.id, trimmed);
  };
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface ref={surface}>
        <form onSubmit={submit}>
          <DialogBody>
            <DialogTitle>{t("Rename_Title")}</DialogTitle>
            <DialogContent>
              <Field label={t("Rename_Label")} validationState={message && topic !== "" ? "error" : "none"} validationMessage={topic !== "" ? message : undefined} hint={t("NewChat_TopicHint", TOPIC_MAX_LENGTH)}>
                <Input value={topic} onChange={(_, d) => setTopic(d.value)} />
              </Field>
            </DialogContent>
            <DialogActions>
              <Button appearance="secondary" onClick={onClose}>
                {t("Action_Cancel")}
              </Button>
              <Button appearance="primary" type="submit" disabled={!!message || working} icon={working ? <Spinner size="tiny" /> : undefined}>
                {t("Rename_Confirm")}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
};
