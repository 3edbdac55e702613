import type { StateCreator } from "zustand/vanilla";
import type { ChatMessageItem, Draft, OutgoingMessage } from "../domain/messages";
import type { ChatSummary } from "../domain/types";
import { clearDraft, loadDraft, saveDraft } from "../domain/drafts";
import { CLOCK_SKEW_MS, findEcho, shouldCheckBeforeRetry } from "../domain/sendRules";
import { ServiceError, failureKind } from "../services/errors";
import { ALL_HISTORY } from "../services/graph/members";
import type { Services } from "../services/ports";
import type { LiveFactory, LiveUpdates } from "../services/realtime/live";
import { mergeChats } from "./chatsSlice";
import type { Conversation, ConversationsSlice, OutgoingItem, PanelState } from "./types";

/** Tabs kept open at once; opening one more closes the one used longest ago (its draft is kept). */
export const MAX_OPEN_CHATS = 5;
/** Coming back to the page refreshes at most this often (only while live updates are paused). */
export const RETURN_REFRESH_MIN_MS = 30_000;
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
  /** Creates the relay client once the panel has loaded; without it the panel refreshes on the agent's actions only. */
  live?: LiveFactory;
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
          return { status: "ready", messages, older: page.next };
        });
      } catch (e) {
        if (disposed || !get().conversations[chatId]) return;
        patch(chatId, { status: "error", error: failureKind(e), retryAfterSeconds: e instanceof ServiceError ? e.retryAfterSeconds : undefined });
      }
    };

    const ensureLive = () => {
      if (!live && options.live && !disposed) {
        live = options.live({
          onMessage: (chatId, changeType, message, preview) => get().applyLiveMessage(chatId, changeType, message, preview),
          onResync: (reason) => void get().resync(reason),
          onStatus: (status) => {
            if (!disposed) set({ liveStatus: status });
          },
        });
        live.start();
      }
    };
    const isLive = () => get().liveStatus.state === "live";

    /**
     * Takes messages from Teams into an open conversation: one copy per id, unread counted for others' new messages
     * when the agent is not reading it, and a failed send whose echo shows up is no longer pending (it did reach Teams).
     * `page`: the items are the chat's newest page; when it does not reach what was loaded, it replaces it, so no
     * hole is left between them (older pages continue from there).
     */
    const absorb = (chatId: string, items: ChatMessageItem[], page?: { next?: string }) => {
      const x = get().conversations[chatId];
      if (!x || items.length === 0) return;
      const known = new Set(x.messages.map((m) => m.id));
      const meId = get().me?.aadObjectId;
      const added = items.filter((m) => !known.has(m.id));
      const fromOthers = added.filter((m) => m.from?.id !== meId && !m.deletedDateTime).length;
      const reading = get().view === "chat" && get().activeChatId === chatId;
      const newestKnown = x.messages[x.messages.length - 1]?.createdDateTime;
      const gap = !!page?.next && !!newestKnown && added.length === items.length && items.every((m) => m.createdDateTime > newestKnown);
      patch(chatId, (c) => {
        const messages = gap ? mergeMessages([], items) : mergeMessages(c.messages, items);
        const outgoing = c.outgoing.filter((o) => !(o.state === "failed" && o.outcomeUnknown && findEcho(fingerprint(o), added, meId ?? "", new Set(o.knownIds ?? []))));
        return { messages, outgoing, unread: reading ? 0 : c.unread + fromOthers, ...(gap ? { older: page?.next } : {}) };
      });
      if (conv(chatId).outgoing.length !== x.outgoing.length) saveOutbox(chatId);
    };

    /** One chat-list page from Teams: chats that moved and were written to by someone else are marked. */
    const absorbList = (items: ChatSummary[]) => {
      const before = new Map(get().chats.map((c) => [c.id, c] as const));
      const meId = get().me?.aadObjectId;
      const fresh = { ...get().freshChats };
      for (const c of items) {
        const old = before.get(c.id);
        if (old && old.lastUpdatedDateTime >= c.lastUpdatedDateTime) continue;
        const readingIt = get().view === "chat" && get().activeChatId === c.id;
        if (c.lastMessage?.senderId && c.lastMessage.senderId !== meId && !readingIt) fresh[c.id] = true;
      }
      set({ chats: mergeChats(get().chats, items), freshChats: fresh });
    };

    /** The newest page of an open chat that has loaded (one request). Failures keep what is shown. */
    const refreshChat = async (chatId: string) => {
      if (get().conversations[chatId]?.status !== "ready") return;
      try {
        const page = await services.conversations.listMessages(chatId);
        if (!disposed) absorb(chatId, page.items, { next: page.next });
      } catch {
        // Left or deleted chat, network: the conversation keeps what it has; opening it again says what is wrong.
      }
    };

    /** The chat list's first page and the newest page of the given chats, read together. */
    const refreshSome = async (chatIds: string[]) => {
      if (disposed || get().status !== "ready") return;
      const list = services.chats.listChats().then(
        (page) => {
          if (!disposed && get().status === "ready") {
            absorbList(page.items);
            set({ lastUpdatedAt: services.now().getTime() });
          }
        },
        () => undefined,
      );
      await Promise.all([list, ...chatIds.map(refreshChat)]);
    };

    let resyncing: Promise<void> | undefined;
    // Chats being read into the list, so a burst of messages in a new chat reads it once.
    const fetchingChats = new Set<string>();
    /** Chats the list does not have (restored tabs of older chats, a new chat learnt from the relay): one read. */
    const readIntoList = (ids: string[]) => {
      const wanted = ids.filter((id) => !fetchingChats.has(id));
      if (wanted.length === 0) return;
      for (const id of wanted) fetchingChats.add(id);
      void services.chats
        .getChats(wanted)
        .then((found) => {
          if (!disposed && found.length) set({ chats: mergeChats(get().chats, found) });
        })
        .catch(() => undefined)
        .finally(() => wanted.forEach((id) => fetchingChats.delete(id)));
    };

    const attempt = async (chatId: string, clientId: string) => {
      const item = conv(chatId).outgoing.find((i) => i.message.clientId === clientId);
      if (!item) return;
      const setItem = (change: Partial<OutgoingItem>) =>
        patch(chatId, (c) => ({ outgoing: c.outgoing.map((i) => (i.message.clientId === clientId ? { ...i, ...change } : i)) }));
      const delivered = (message: ChatMessageItem) => {
        patch(chatId, (c) => {
          const messages = mergeMessages(c.messages, [message]);
          return { messages, outgoing: c.outgoing.filter((i) => i.message.clientId !== clientId) };
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
      liveStatus: options.live ? { state: "connecting" } : { state: "paused", reason: "notConfigured" },

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
        if (conv(chatId).status === "idle" || conv(chatId).status === "error") await loadFirstPage(chatId);
        // Without live updates, opening a chat is when the agent expects it to be current.
        else if (!isLive()) await refreshChat(chatId);
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
        await attempt(chatId, message.clientId);
        // Without live updates, sending is a moment the agent expects an answer: read the list and this chat once.
        if (!isLive() && !conv(chatId).outgoing.some((i) => i.message.clientId === message.clientId)) await refreshSome([chatId]);
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

      applyLiveMessage(chatId, changeType, message, preview) {
        if (disposed) return;
        let m = message;
        const old = get().conversations[chatId]?.messages.find((x) => x.id === message.id);
        if (changeType === "deleted") {
          // Shown as the panel shows any deleted message: kept in place, its body gone.
          const at = m.deletedDateTime ?? m.lastModifiedDateTime;
          const modified = old && old.lastModifiedDateTime > m.lastModifiedDateTime ? old.lastModifiedDateTime : m.lastModifiedDateTime;
          m = { ...m, deletedDateTime: at, lastModifiedDateTime: modified, body: { ...m.body, content: "" }, attachments: [], mentions: [] };
        }
        absorb(chatId, [m]);

        const chats = get().chats;
        const existing = chats.find((c) => c.id === chatId);
        const last = existing?.lastMessage;
        if (existing) {
          let next: ChatSummary = existing;
          if (changeType === "created" && (!last || m.createdDateTime >= last.createdDateTime)) {
            next = { ...existing, lastMessage: preview, lastUpdatedDateTime: m.createdDateTime > existing.lastUpdatedDateTime ? m.createdDateTime : existing.lastUpdatedDateTime };
          } else if (changeType !== "created" && last && last.createdDateTime === m.createdDateTime) {
            next = { ...existing, lastMessage: preview };
          }
          if (next !== existing) set({ chats: mergeChats(chats, [next]) });
        } else if (changeType === "created" && get().status === "ready") {
          // A chat the list has not shown yet (someone started it): read it once, as Teams would show it.
          readIntoList([chatId]);
        }
        const meId = get().me?.aadObjectId;
        const readingIt = get().view === "chat" && get().activeChatId === chatId;
        const byOther = !!preview.senderId && preview.senderId !== meId;
        const patchState: Partial<PanelState> = { lastUpdatedAt: services.now().getTime() };
        if (changeType === "created" && byOther && !readingIt && !old) patchState.freshChats = { ...get().freshChats, [chatId]: true };
        set(patchState);
      },

      resync() {
        resyncing ??= refreshSome(get().openChatIds).finally(() => (resyncing = undefined));
        return resyncing;
      },

      async refresh() {
        live?.reconnect();
        await get().resync("refresh");
      },

      pageReturned() {
        if (isLive() || disposed || get().status !== "ready") return;
        const last = get().lastUpdatedAt;
        if (last !== undefined && services.now().getTime() - last < RETURN_REFRESH_MIN_MS) return;
        void get().resync("returned");
      },

      liveInfo() {
        return live?.info() ?? { status: get().liveStatus };
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
        readIntoList(missing);
      },

      startLive() {
        ensureLive();
      },

      resumeLive() {
        const status = get().liveStatus;
        if (status.state === "paused" && (status.reason === "needsUser" || status.reason === "unauthorized")) live?.reconnect();
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
