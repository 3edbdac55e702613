import type { StateCreator } from "zustand/vanilla";
import { topicProblem } from "../domain/chatRules";
import { sameRecord } from "../domain/ids";
import type { ChatLink } from "../domain/types";
import { failureKind, type FailureKind } from "../services/errors";
import type { Services } from "../services/ports";
import { recordKey, type LinkActionsSlice, type PanelState, type PendingLink } from "./types";

/** Seconds before the next automatic retry of a pending link: 2, 4, 8 … capped at a minute. */
export function pendingBackoffSeconds(attempts: number): number {
  return Math.min(60, 2 ** Math.max(1, attempts));
}

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

    const prefsKey = () => `pendingLinks.v1.${get().env.userId.toLowerCase()}`;
    const loadPending = (): PendingLink[] => {
      try {
        const raw = services.prefs.get(prefsKey());
        const list = raw ? (JSON.parse(raw) as PendingLink[]) : [];
        return Array.isArray(list) ? list.filter((p) => p && typeof p.chatId === "string" && typeof p.table === "string" && typeof p.id === "string") : [];
      } catch {
        return [];
      }
    };
    const savePending = (list: PendingLink[]) => {
      services.prefs.set(prefsKey(), JSON.stringify(list));
      set({ pendingLinks: list.filter((p) => isHere(p)) });
    };
    const isHere = (p: PendingLink) => {
      const record = get().env.record;
      return !!record && recordKey(record) === recordKey({ table: p.table, id: p.id });
    };
    const timers = new Map<string, ReturnType<typeof setTimeout>>();
    const schedule = (p: PendingLink) => {
      clearTimeout(timers.get(p.chatId));
      timers.set(
        p.chatId,
        setTimeout(() => void attempt(p.chatId, false), pendingBackoffSeconds(p.attempts) * 1000),
      );
    };

    /** One try at writing a pending link; success or a refusal ends it, anything else schedules the next try. */
    const attempt = async (chatId: string, byUser: boolean): Promise<boolean> => {
      const all = loadPending();
      const p = all.find((x) => x.chatId === chatId);
      if (!p || get().busyChats[chatId]) return false;
      setBusy(chatId, true);
      try {
        const link = await services.links.createLink(chatId, { table: p.table, id: p.id });
        savePending(loadPending().filter((x) => x.chatId !== chatId));
        set({ links: [...get().links.filter((l) => l.id !== link.id && l.id !== `pending:${chatId}`), link], notice: { intent: "success", key: "Link_Done", args: [p.name] } });
        return true;
      } catch (e) {
        const kind = failureKind(e);
        if (kind === "forbidden") {
          savePending(loadPending().filter((x) => x.chatId !== chatId));
          set({ links: get().links.filter((l) => l.id !== `pending:${chatId}`), notice: { intent: "error", key: "Link_Forbidden", args: [p.name] } });
          return false;
        }
        const next = { ...p, attempts: p.attempts + 1 };
        savePending(loadPending().map((x) => (x.chatId === chatId ? next : x)));
        if (byUser) set({ notice: { intent: "error", key: "Pending_StillFailing", args: [p.name] } });
        schedule(next);
        return false;
      } finally {
        setBusy(chatId, false);
      }
    };

    return {
      busyChats: {},
      pendingLinks: [],

      async linkNewChat(chatId, chatName) {
        const record = get().env.record;
        if (!record) return false;
        const pending: PendingLink = { chatId, table: record.table, id: record.id, name: chatName, attempts: 0 };
        // Saved before the write, so a reload in between still knows the chat belongs to this record.
        savePending([...loadPending().filter((x) => x.chatId !== chatId), pending]);
        set({ links: [...get().links, { id: `pending:${chatId}`, kind: "chat", chatId, record }] });
        const ok = await attempt(chatId, false);
        if (!ok && get().pendingLinks.some((x) => x.chatId === chatId)) set({ notice: { intent: "warning", key: "Pending_Notice", args: [chatName] }, focusChatId: chatId });
        return ok;
      },

      retryPendingLink: (chatId) => attempt(chatId, true),

      resumePendingLinks() {
        const here = loadPending().filter(isHere);
        set({ pendingLinks: here });
        const record = get().env.record;
        if (!record) return;
        const known = new Set(get().links.map((l) => l.chatId));
        set({ links: [...get().links, ...here.filter((p) => !known.has(p.chatId)).map((p) => ({ id: `pending:${p.chatId}`, kind: "chat" as const, chatId: p.chatId, record }))] });
        for (const p of here) void attempt(p.chatId, false);
      },

      dispose() {
        for (const t of timers.values()) clearTimeout(t);
        timers.clear();
      },

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
