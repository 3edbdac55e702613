import type { Translate } from "../app/strings";
import type { MessagePreview } from "../domain/types";

/** One line under a chat's name, in the user's language; "You: …" for the user's own messages, like Teams. */
export function previewLine(p: MessagePreview | undefined, meId: string | undefined, t: Translate): string {
  if (!p) return t("Preview_NoMessages");
  const mine = !!meId && p.senderId === meId;
  const who = mine ? t("Preview_You") : (p.senderName ?? "");
  const prefix = (s: string) => (who ? t("Preview_SenderPrefix", who, s) : s);
  switch (p.kind) {
    case "deleted":
      return t("Preview_Deleted");
    case "file":
      return prefix(t("Preview_File"));
    case "image":
      return prefix(t("Preview_Image"));
    case "event": {
      const e = p.event;
      const actor = e?.actorName ?? t("Preview_Someone");
      const names = (e?.names ?? []).join(", ");
      if (e?.type === "membersAdded") return t("Preview_EventAdded", actor, names);
      if (e?.type === "membersDeleted") return t("Preview_EventRemoved", actor, names);
      if (e?.type === "renamed") return t("Preview_EventRenamed", actor, e.topic ?? "");
      return t("Preview_EventOther");
    }
    default:
      return mine || p.senderName ? prefix(p.text) : p.text;
  }
}
