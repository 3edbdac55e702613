import type { StateCreator } from "zustand/vanilla";
import type { ChatMessageItem, Draft, OutgoingMessage } from "../domain/messages";
import { clearDraft, loadDraft, saveDraft } from "../domain/drafts";
import { CLOCK_SKEW_MS, findEcho, shouldCheckBeforeRetry } from "../domain/sendRules";
import { ServiceError, failureKind } from "../services/errors";
import { ALL_HISTORY } from "../services/graph/members";
import type { Services } from "../services/ports";
import type { LiveUpdates } from "../services/realtime/poller";
import { mergeChats } from "./chatsSlice";
import type { Conversation, ConversationsSlice, OutgoingItem, PanelState } from "./types";

/** Tabs kept open at once; opening one more closes the one used longest ago (its draft is kept). */
export const MAX_OPEN_CHATS = 5;
/** An outbox entry above this size is kept in memory only (browser storage is small). */
const OUTBOX_MAX_CHARS = 1_000_000;

/** One copy per message id, oldest first (ties by id, which Teams issues in time order). */
export function mergeMessages(existing: ChatMessageItem[], incoming: ChatMessageItem[]): ChatMessageItem[] {
  if (incoming.length === 0) return existing;
  const byId = new Map(existing.map((m) => [m.id, m] as const));
  for (const m of incoming) {
    const old = byId.get(m.id);
    if (!old || old.lastModifiedDateTime <= m.lastModifiedDateTime) byId.set(m.id, m);
  }
  return [...byId.values()].sort((a, b) => (a.createdDateTime < b.createdDateTime ? -1 : a.createdDateTime > b.createdDateTime ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function newestModified(messages: ChatMessageItem[], current?: string): string | undefined {
  let since = current;
  for (const m of messages) if (!since || m.lastModifiedDateTime > since) since = m.lastModifiedDateTime;
  return since;
}

function fingerprint(item: OutgoingItem) {
  return { html: item.message.html, files: item.message.files, hostedCount: item.message.hostedContents.length, sentAt: item.sentAt };
}

/** Ids of my messages from the echo window before a send (small: only the last minutes). */
function recentOwnIds(messages: ChatMessageItem[], meId: string | undefined, at: Date): string[] {
  const from = at.getTime() - CLOCK_SKEW_MS;
  return messages.filter((m) => m.from?.id === meId && Date.parse(m.createdDateTime) >= from).map((m) => m.id);
}

function emptyConversation(chatId: string): Conversation {
  return { chatId, status: "idle", messages: [], loadingOlder: false, outgoing: [], unread: 0, membersStatus: "idle" };
}


export interface ConversationsOptions {
  /** Creates the live-update scheduler once the store exists (the poller, or a relay client later). */
  live?: (store: { get: () => PanelState }) => LiveUpdates;
}

export const createConversationsSlice =
  (services: Services, options: ConversationsOptions = {}): StateCreator<PanelState, [], [], ConversationsSlice> =>
  (set, get) => {
    const hosted = new Map<string, Promise<string>>();
    const objectUrls: string[] = [];
    let live: LiveUpdates | undefined;
    let disposed = false;

    const userKey = () => get().env.userId.toLowerCase();
    const conv = (chatId: string): Conversation => get().conversations[chatId] ?? emptyConversation(chatId);
    const patch = (chatId: string, change: Partial<Conversation> | ((c: Conversation) => Partial<Conversation>)) => {
      const current = conv(chatId);
      const delta = typeof change === "function" ? change(current) : change;
      set({ conversations: { ...get().conversations, [chatId]: { ...current, ...delta } } });
    };

    // ------------------------------------------------------------------ tabs kept across reloads
    const tabsKey = () => `openChats.v1.${userKey()}`;
    const saveTabs = () => services.prefs.set(tabsKey(), JSON.stringify({ ids: get().openChatIds, active: get().activeChatId }));
    const restoreTabs = (): { ids: string[]; active?: string } => {
      try {
        const raw = services.prefs.get(tabsKey());
        const v = raw ? (JSON.parse(raw) as { ids?: unknown; active?: unknown }) : undefined;
        const ids = Array.isArray(v?.ids) ? v.ids.filter((x): x is string => typeof x === "string").slice(0, MAX_OPEN_CHATS) : [];
        return { ids, active: typeof v?.active === "string" && ids.includes(v.active) ? v.active : undefined };
      } catch {
        return { ids: [] };
      }
    };

    // ------------------------------------------------------------------ outbox kept across reloads
    const outboxKey = (chatId: string) => `outbox.v1.${userKey()}.${chatId}`;
    const saveOutbox = (chatId: string) => {
      const items = conv(chatId).outgoing;
      const keep = items.filter((i) => JSON.stringify(i.message).length <= OUTBOX_MAX_CHARS);
      services.prefs.set(outboxKey(chatId), keep.length ? JSON.stringify(keep) : "");
    };
    const loadOutbox = (chatId: string): OutgoingItem[] => {
      try {
        const raw = services.prefs.get(outboxKey(chatId));
        const list = raw ? (JSON.parse(raw) as OutgoingItem[]) : [];
        if (!Array.isArray(list)) return [];
        // A send that was under way when the page went away may or may not have reached Teams.
        return list
          .filter((i) => i && i.message && typeof i.message.clientId === "string" && typeof i.message.html === "string")
          .map((i) => (i.state === "failed" ? i : { ...i, state: "failed" as const, failure: "offline" as const, outcomeUnknown: true }));
      } catch {
        return [];
      }
    };

    const markRead = (chatId: string) => {
      const fresh = { ...get().freshChats };
      delete fresh[chatId];
      set({ freshChats: fresh });
      patch(chatId, { unread: 0 });
    };

    const loadFirstPage = async (chatId: string) => {
      patch(chatId, { status: "loading", error: undefined, retryAfterSeconds: undefined });
      try {
        const page = await services.conversations.listMessages(chatId);
        if (disposed || !get().conversations[chatId]) return;
        patch(chatId, (c) => {
          const messages = mergeMessages(c.messages, page.items);
          return { status: "ready", messages, older: page.next, since: newestModified(messages, c.since) };
        });
      } catch (e) {
        if (disposed || !get().conversations[chatId]) return;
        patch(chatId, { status: "error", error: failureKind(e), retryAfterSeconds: e instanceof ServiceError ? e.retryAfterSeconds : undefined });
      }
    };

    const ensureLive = () => {
      if (!live && options.live && !disposed) {
        live = options.live({ get });
        live.start();
      }
    };

    const attempt = async (chatId: string, clientId: string) => {
      const item = conv(chatId).outgoing.find((i) => i.message.clientId === clientId);
      if (!item) return;
      const setItem = (change: Partial<OutgoingItem>) =>
        patch(chatId, (c) => ({ outgoing: c.outgoing.map((i) => (i.message.clientId === clientId ? { ...i, ...change } : i)) }));
      const delivered = (message: ChatMessageItem) => {
        patch(chatId, (c) => {
          const messages = mergeMessages(c.messages, [message]);
          return { messages, since: newestModified(messages, c.since), outgoing: c.outgoing.filter((i) => i.message.clientId !== clientId) };
        });
        saveOutbox(chatId);
      };
      if (item.outcomeUnknown) {
        // The last try may have reached Teams: look before posting again, so nothing is posted twice.
        setItem({ state: "checking" });
        try {
          const page = await services.conversations.listMessages(chatId);
          const meId = get().me?.aadObjectId ?? "";
          const echo = findEcho(fingerprint(item), page.items, meId, new Set(item.knownIds ?? []));
          if (echo) {
            delivered(echo);
            return;
          }
        } catch (e) {
          setItem({ state: "failed", failure: failureKind(e) });
          saveOutbox(chatId);
          return;
        }
      }
      setItem({ state: "sending", attempts: item.attempts + (item.state === "failed" ? 1 : 0) });
      try {
        const created = await services.conversations.send(chatId, item.message);
        delivered(created);
      } catch (e) {
        setItem({ state: "failed", failure: failureKind(e), outcomeUnknown: shouldCheckBeforeRetry(e) });
        saveOutbox(chatId);
      }
    };

    return {
      view: "list",
      openChatIds: [],
      conversations: {},
      freshChats: {},

      async openChat(chatId) {
        let ids = get().openChatIds;
        if (!ids.includes(chatId)) {
          ids = [...ids, chatId];
          while (ids.length > MAX_OPEN_CHATS) {
            const drop = ids.find((id) => id !== chatId && id !== get().activeChatId) ?? ids[0];
            ids = ids.filter((id) => id !== drop);
          }
        }
        const conversations = { ...get().conversations };
        for (const id of Object.keys(conversations)) if (!ids.includes(id)) delete conversations[id];
        for (const id of ids) if (!conversations[id]) conversations[id] = { ...emptyConversation(id), outgoing: loadOutbox(id) };
        set({ openChatIds: ids, activeChatId: chatId, view: "chat", conversations });
        saveTabs();
        markRead(chatId);
        ensureLive();
        live?.nudge("opened");
        if (conv(chatId).status === "idle" || conv(chatId).status === "error") await loadFirstPage(chatId);
      },

      showList() {
        set({ view: "list" });
      },

      closeChat(chatId) {
        const ids = get().openChatIds.filter((id) => id !== chatId);
        const conversations = { ...get().conversations };
        delete conversations[chatId];
        const wasActive = get().activeChatId === chatId;
        const index = get().openChatIds.indexOf(chatId);
        const active = wasActive ? ids[Math.min(index, ids.length - 1)] : get().activeChatId;
        set({ openChatIds: ids, conversations, activeChatId: active, view: wasActive && !active ? "list" : get().view });
        saveTabs();
        if (wasActive && active && conv(active).status === "idle") void loadFirstPage(active);
      },

      async loadOlder(chatId) {
        const c = get().conversations[chatId];
        if (!c || !c.older || c.loadingOlder) return;
        patch(chatId, { loadingOlder: true, olderError: undefined });
        try {
          const page = await services.conversations.listMessages(chatId, c.older);
          if (!get().conversations[chatId]) return;
          patch(chatId, (x) => ({ messages: mergeMessages(x.messages, page.items), older: page.next, loadingOlder: false }));
        } catch (e) {
          if (!get().conversations[chatId]) return;
          patch(chatId, { loadingOlder: false, olderError: failureKind(e) });
        }
      },

      async reloadChat(chatId) {
        if (get().conversations[chatId]) await loadFirstPage(chatId);
      },

      async sendMessage(chatId, message: OutgoingMessage) {
        const at = services.now();
        const item: OutgoingItem = { message, state: "sending", sentAt: at.toISOString(), attempts: 1, knownIds: recentOwnIds(conv(chatId).messages, get().me?.aadObjectId, at) };
        patch(chatId, (c) => ({ outgoing: [...c.outgoing, item] }));
        saveOutbox(chatId);
        clearDraft(services.prefs, get().env.userId, chatId);
        live?.nudge("sent");
        await attempt(chatId, message.clientId);
      },

      async retrySend(chatId, clientId) {
        const item = conv(chatId).outgoing.find((i) => i.message.clientId === clientId);
        if (!item || item.state !== "failed") return;
        await attempt(chatId, clientId);
      },

      discardSend(chatId, clientId) {
        patch(chatId, (c) => ({ outgoing: c.outgoing.filter((i) => i.message.clientId !== clientId) }));
        saveOutbox(chatId);
      },

      draftFor(chatId) {
        return loadDraft(services.prefs, get().env.userId, chatId);
      },

      saveDraft(chatId, draft: Draft) {
        saveDraft(services.prefs, get().env.userId, chatId, draft, services.now());
        live?.nudge("typing");
      },

      saveScroll(chatId, scroll) {
        if (get().conversations[chatId]) patch(chatId, { scroll });
      },

      loadHostedImage(url) {
        let p = hosted.get(url);
        if (!p) {
          p = services.conversations.hostedContent(url).then((blob) => {
            const objectUrl = URL.createObjectURL(blob);
            objectUrls.push(objectUrl);
            return objectUrl;
          });
          // A failed load may succeed later (network back): do not cache the failure.
          p.catch(() => hosted.delete(url));
          hosted.set(url, p);
        }
        return p;
      },

      async loadMembers(chatId) {
        patch(chatId, { membersStatus: "loading" });
        try {
          const members = await services.conversations.listMembers(chatId);
          patch(chatId, { members, membersStatus: "ready" });
        } catch {
          patch(chatId, { membersStatus: "error" });
        }
      },

      async addMembers(chatId, people, history, days) {
        const from =
          history === "all" ? ALL_HISTORY : history === "days" && days ? new Date(services.now().getTime() - days * 86_400_000).toISOString() : undefined;
        try {
          for (const p of people) {
            if (conv(chatId).members?.some((m) => m.userId === p.id)) continue;
            await services.conversations.addMember(chatId, p.id, from);
          }
          await get().loadMembers(chatId);
          return true;
        } catch {
          // Some may have been added before the failure: show who is in now.
          await get().loadMembers(chatId);
          return false;
        }
      },

      async removeMember(chatId, member) {
        try {
          await services.conversations.removeMember(chatId, member.membershipId);
          patch(chatId, (c) => ({ members: c.members?.filter((m) => m.membershipId !== member.membershipId) }));
          return true;
        } catch {
          return false;
        }
      },

      async pollList() {
        const page = await services.chats.listChats();
        const before = new Map(get().chats.map((c) => [c.id, c] as const));
        const meId = get().me?.aadObjectId;
        const changed: string[] = [];
        const fresh = { ...get().freshChats };
        for (const c of page.items) {
          const old = before.get(c.id);
          if (old && old.lastUpdatedDateTime === c.lastUpdatedDateTime) continue;
          if (!old && get().status !== "ready") continue;
          changed.push(c.id);
          const readingIt = get().view === "chat" && get().activeChatId === c.id;
          if (c.lastMessage?.senderId && c.lastMessage.senderId !== meId && !readingIt) fresh[c.id] = true;
        }
        if (changed.length) set({ chats: mergeChats(get().chats, page.items), freshChats: fresh });
        return { changedChatIds: changed };
      },

      async pollChat(chatId) {
        const c = get().conversations[chatId];
        if (!c || c.status !== "ready") return { newMessages: 0 };
        if (!c.since) {
          await loadFirstPage(chatId);
          return { newMessages: 0 };
        }
        const items = await services.conversations.messagesSince(chatId, c.since);
        if (!get().conversations[chatId] || items.length === 0) return { newMessages: 0 };
        const known = new Set(get().conversations[chatId].messages.map((m) => m.id));
        const meId = get().me?.aadObjectId;
        const added = items.filter((m) => !known.has(m.id));
        const fromOthers = added.filter((m) => m.from?.id !== meId).length;
        const reading = get().view === "chat" && get().activeChatId === chatId;
        patch(chatId, (x) => {
          const messages = mergeMessages(x.messages, items);
          // A failed send whose answer was lost may show up here: it did reach Teams, so it is no longer pending.
          const outgoing = x.outgoing.filter((o) => !(o.state === "failed" && o.outcomeUnknown && findEcho(fingerprint(o), added, meId ?? "", new Set(o.knownIds ?? []))));
          return { messages, outgoing, since: newestModified(messages, x.since), unread: reading ? 0 : x.unread + fromOthers };
        });
        if (conv(chatId).outgoing.length !== c.outgoing.length) saveOutbox(chatId);
        return { newMessages: added.length };
      },

      gifs: services.gifs,

      uploadFile(file, onProgress, signal) {
        return services.files.upload(file, onProgress, signal);
      },

      restoreOpenChats() {
        if (get().openChatIds.length) return;
        const { ids, active } = restoreTabs();
        if (ids.length === 0) return;
        const conversations: Record<string, Conversation> = {};
        for (const id of ids) conversations[id] = { ...emptyConversation(id), outgoing: loadOutbox(id) };
        set({ openChatIds: ids, activeChatId: active, conversations });
        // Tabs of older chats than the first page: read them so they have a name.
        const known = new Set(get().chats.map((c) => c.id));
        const missing = ids.filter((id) => !known.has(id));
        if (missing.length) {
          void services.chats
            .getChats(missing)
            .then((found) => {
              if (!disposed && found.length) set({ chats: mergeChats(get().chats, found) });
            })
            .catch(() => undefined);
        }
      },

      startLive() {
        ensureLive();
      },

      nudgeLive(reason) {
        live?.nudge(reason);
      },

      disposeConversations() {
        disposed = true;
        live?.dispose();
        live = undefined;
        for (const u of objectUrls) URL.revokeObjectURL(u);
        objectUrls.length = 0;
        hosted.clear();
      },
    };
  };
