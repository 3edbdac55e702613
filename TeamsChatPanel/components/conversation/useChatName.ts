import * as React from "react";
import { useStrings } from "../../app/strings";
import { chatDisplayName } from "../../domain/chatName";
import type { ChatSummary } from "../../domain/types";
import { usePanel } from "../../store/context";

export function useChatSummary(chatId: string): ChatSummary | undefined {
  return usePanel((s) => s.chats.find((c) => c.id === chatId));
}

/** The chat's name as the list shows it (topic, or the other people's names). */
export function useChatName(chatId: string): string {
  const { t } = useStrings();
  const chat = useChatSummary(chatId);
  const meId = usePanel((s) => s.me?.aadObjectId ?? "");
  return React.useMemo(
    () => (chat ? chatDisplayName(chat, meId, { andOthers: (names, n) => t("ChatName_AndOthers", names, n), untitled: t("ChatName_Untitled") }) : t("ChatName_Untitled")),
    [chat, meId, t],
  );
}
