import * as React from "react";
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Input, Spinner } from "@fluentui/react-components";
import { useStrings } from "../app/strings";
import { TOPIC_MAX_LENGTH, topicProblem } from "../domain/chatRules";
import type { ChatEntry } from "../domain/sections";
import type { Person } from "../domain/types";
import { usePanel } from "../store/context";
import type { RowAction } from "./ChatRow";

export interface PendingAction {
  action: RowAction;
  entry: ChatEntry;
}

export interface RowActionDialogsProps {
  pending?: PendingAction;
  onClose(): void;
  /** A one-to-one chat cannot be linked: start a linked group chat with that person instead. */
  onStartLinkedWith(person: Person): void;
}

/** Confirmations and small forms behind a chat row's menu: unlink, rename, and why a 1:1 chat cannot be linked. */
export const RowActionDialogs: React.FC<RowActionDialogsProps> = ({ pending, onClose, onStartLinkedWith }) => {
  const { t } = useStrings();
  const unlinkChat = usePanel((s) => s.unlinkChat);
  const renameChat = usePanel((s) => s.renameChat);
  const meId = usePanel((s) => s.me?.aadObjectId);
  const mySystemUserId = usePanel((s) => s.me?.systemUserId);
  const record = usePanel((s) => s.env.record);
  const links = usePanel((s) => s.links);
  const [topic, setTopic] = React.useState("");
  const [working, setWorking] = React.useState(false);

  React.useEffect(() => {
    setTopic(pending?.action === "rename" ? (pending.entry.chat.topic ?? "") : "");
    setWorking(false);
  }, [pending]);

  if (!pending) return null;
  const { action, entry } = pending;
  const name = entry.name;

  if (action === "link") {
    // Only reached for one-to-one chats; group chats are linked straight from the menu.
    const other = entry.chat.members.find((m) => m.userId !== meId);
    const person: Person | undefined = other ? { id: other.userId, displayName: other.displayName, email: other.email } : undefined;
    return (
      <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>{t("LinkOneOnOne_Title")}</DialogTitle>
            <DialogContent>{t("LinkOneOnOne_Body", name)}</DialogContent>
            <DialogActions>
              <Button appearance="secondary" onClick={onClose}>
                {t("Action_Cancel")}
              </Button>
              <Button appearance="primary" disabled={!person} onClick={() => person && onStartLinkedWith(person)}>
                {t("LinkOneOnOne_Start", person?.displayName ?? name)}
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    );
  }

  if (action === "unlink") {
    const mine = links.filter((l) => l.chatId === entry.chat.id && record && l.record.id === record.id).every((l) => !l.ownerId || l.ownerId === mySystemUserId);
    const confirm = async () => {
      setWorking(true);
      onClose();
      await unlinkChat(entry.chat.id, name);
    };
    return (
      <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
        <DialogSurface>
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
      <DialogSurface>
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
