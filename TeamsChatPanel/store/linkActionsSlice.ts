import type { StateCreator } from "zustand/vanilla";
import { topicProblem } from "../domain/chatRules";
import { sameRecord } from "../domain/ids";
import type { ChatLink } from "../domain/types";
import { failureKind, type FailureKind } from "../services/errors";
import type { Services } from "../services/ports";
import type { LinkActionsSlice, PanelState } from "./types";

const FAILURE_KEYS = {
  Link: { forbidden: "Link_Forbidden", other: "Link_Failed" },
  Unlink: { forbidden: "Unlink_Forbidden", other: "Unlink_Failed" },
  Rename: { forbidden: "Rename_Forbidden", other: "Rename_Failed" },
} as const;

function failureKey(action: keyof typeof FAILURE_KEYS, kind: FailureKind): string {
  if (kind === "forbidden") return FAILURE_KEYS[action].forbidden;
  if (kind === "offline") return "Action_Offline";
  if (kind === "auth") return "Error_Auth_Body";
  return FAILURE_KEYS[action].other;
}

/** Link, unlink and rename act at once in the list and roll back with a message when the server says no. */
export const createLinkActionsSlice =
  (services: Services): StateCreator<PanelState, [], [], LinkActionsSlice> =>
  (set, get) => {
    const setBusy = (chatId: string, busy: boolean) => {
      const next = { ...get().busyChats };
      if (busy) next[chatId] = true;
      else delete next[chatId];
      set({ busyChats: next });
    };

    return {
      busyChats: {},

      async linkChat(chatId, chatName) {
        const record = get().env.record;
        if (!record || get().busyChats[chatId]) return false;
        const optimistic: ChatLink = { id: `pending:${chatId}`, kind: "chat", chatId, record };
        set({ links: [...get().links, optimistic], notice: undefined });
        setBusy(chatId, true);
        try {
          const link = await services.links.createLink(chatId, record);
          set({ links: [...get().links.filter((l) => l.id !== optimistic.id && l.id !== link.id), link], notice: { intent: "success", key: "Link_Done", args: [chatName] }, focusChatId: chatId });
          return true;
        } catch (e) {
          set({ links: get().links.filter((l) => l.id !== optimistic.id), notice: { intent: "error", key: failureKey("Link", failureKind(e)), args: [chatName] }, focusChatId: chatId });
          return false;
        } finally {
          setBusy(chatId, false);
        }
      },

      async unlinkChat(chatId, chatName) {
        const record = get().env.record;
        if (!record || get().busyChats[chatId]) return false;
        const removed = get().links.filter((l) => l.chatId === chatId && l.kind === "chat" && sameRecord(l.record, record));
        if (removed.length === 0) return false;
        set({ links: get().links.filter((l) => !removed.includes(l)), notice: undefined });
        setBusy(chatId, true);
        try {
          for (const link of removed) await services.links.deleteLink(link.id);
          set({ notice: { intent: "success", key: "Unlink_Done", args: [chatName] }, focusChatId: chatId });
          return true;
        } catch (e) {
          set({ links: [...get().links, ...removed.filter((r) => !get().links.some((l) => l.id === r.id))], notice: { intent: "error", key: failureKey("Unlink", failureKind(e)), args: [chatName] }, focusChatId: chatId });
          return false;
        } finally {
          setBusy(chatId, false);
        }
      },

      async renameChat(chatId, topic) {
        const name = topic.trim();
        const chat = get().chats.find((c) => c.id === chatId);
        if (!chat || chat.chatType !== "group" || !name || topicProblem(name) || get().busyChats[chatId]) return false;
        const before = chat.topic;
        const swap = (t: string | null) => set({ chats: get().chats.map((c) => (c.id === chatId ? { ...c, topic: t } : c)) });
        swap(name);
        set({ notice: undefined });
        setBusy(chatId, true);
        try {
          await services.chats.renameChat(chatId, name);
          set({ notice: { intent: "success", key: "Rename_Done", args: [name] }, focusChatId: chatId });
          return true;
        } catch (e) {
          swap(before);
          set({ notice: { intent: "error", key: failureKey("Rename", failureKind(e)), args: [name] }, focusChatId: chatId });
          return false;
        } finally {
          setBusy(chatId, false);
        }
      },

      dismissNotice: () => set({ notice: undefined }),
    };
  };
