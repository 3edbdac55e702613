import type { StateCreator } from "zustand/vanilla";
import type { ChatLink, ChatSummary, RecordRef } from "../domain/types";
import { ServiceError, failureKind } from "../services/errors";
import type { Services } from "../services/ports";
import { recordKey, type ChatsSlice, type PanelState } from "./types";

/** Keeps one copy per chat, most recent first (Graph's order), whatever order pages and fetches arrive in. */
export function mergeChats(existing: ChatSummary[], incoming: ChatSummary[]): ChatSummary[] {
  const byId = new Map(existing.map((c) => [c.id, c] as const));
  for (const c of incoming) byId.set(c.id, c);
  return [...byId.values()].sort((a, b) => (a.lastUpdatedDateTime < b.lastUpdatedDateTime ? 1 : a.lastUpdatedDateTime > b.lastUpdatedDateTime ? -1 : 0));
}

export function mergeLinks(existing: ChatLink[], incoming: ChatLink[]): ChatLink[] {
  const byId = new Map(existing.map((l) => [l.id, l] as const));
  for (const l of incoming) byId.set(l.id, l);
  return [...byId.values()];
}

export const createChatsSlice =
  (services: Services): StateCreator<PanelState, [], [], ChatsSlice> =>
  (set, get) => {
    // Responses from a superseded load (reload, retry) are dropped.
    let generation = 0;

    const loadTitles = async (gen: number, links: ChatLink[]) => {
      const here = get().env.record;
      const known = get().recordTitles;
      const wanted = new Map<string, RecordRef>();
      for (const l of links) {
        const key = recordKey(l.record);
        if (here && key === recordKey(here)) continue;
        if (!(key in known)) wanted.set(key, l.record);
      }
      if (wanted.size === 0) return;
      const found = await services.records.titles([...wanted.values()]).catch(() => []);
      if (gen !== generation) return;
      const titles = { ...get().recordTitles };
      for (const key of wanted.keys()) titles[key] = null;
      for (const info of found) titles[recordKey(info)] = info;
      set({ recordTitles: titles });
    };

    /** Chats linked to this record that are not in the loaded pages: fetch them (Graph refuses non-members). */
    const loadMissingLinked = async (gen: number) => {
      const { env, links, chats } = get();
      if (!env.record) return;
      const here = recordKey(env.record);
      const loaded = new Set(chats.map((c) => c.id));
      const missing = [...new Set([...links.filter((l) => l.kind === "chat" && recordKey(l.record) === here && !loaded.has(l.chatId)).map((l) => l.chatId), ...get().pendingLinks.map((p) => p.chatId).filter((id) => !loaded.has(id))])];
      if (missing.length === 0) return;
      const found = await services.chats.getChats(missing).catch(() => [] as ChatSummary[]);
      if (gen !== generation || found.length === 0) return;
      set({ chats: mergeChats(get().chats, found) });
    };

    const loadLinks = async (gen: number, chatIds: string[], includeRecord: boolean) => {
      const record = includeRecord ? get().env.record : undefined;
      const links = await services.links.linksFor({ record, chatIds });
      if (gen !== generation) return;
      set({ links: mergeLinks(get().links, links), linksStatus: "ready" });
      void loadTitles(gen, links);
    };

    return {
      status: "idle",
      chats: [],
      loadingMore: false,
      links: [],
      linksStatus: "idle",
      recordTitles: {},

      async start() {
        const gen = ++generation;
        const { env } = get();
        if (!env.record) {
          set({ status: "unsaved" });
          return;
        }
        set({ status: "loading", error: undefined, retryAfterSeconds: undefined, chats: [], next: undefined, links: [], linksStatus: "loading", moreError: undefined });
        // Context reads run beside the Graph call; the link query needs the chat ids, so it follows it.
        const mePromise = services.records.currentUser().catch(() => undefined);
        const recordPromise = services.records.recordInfo(env.record).catch(() => undefined);
        let page;
        try {
          page = await services.chats.listChats();
        } catch (e) {
          if (gen !== generation) return;
          const kind = failureKind(e);
          set({ status: kind === "auth" ? "auth" : "error", error: kind, retryAfterSeconds: e instanceof ServiceError ? e.retryAfterSeconds : undefined, linksStatus: "idle" });
          return;
        }
        const [me, record] = await Promise.all([mePromise, recordPromise]);
        if (gen !== generation) return;
        set({ me, record, chats: mergeChats([], page.items), next: page.next });
        try {
          await loadLinks(gen, page.items.map((c) => c.id), true);
        } catch {
          if (gen !== generation) return;
          set({ linksStatus: "error" });
        }
        if (gen !== generation) return;
        set({ status: "ready", lastUpdatedAt: services.now().getTime() });
        if (get().linksStatus === "ready") get().resumePendingLinks();
        get().maybeStartTour();
        get().restoreOpenChats();
        get().startLive();
        void loadMissingLinked(gen);
      },

      async loadMore() {
        const { next, loadingMore, status } = get();
        if (!next || loadingMore || status !== "ready") return;
        const gen = generation;
        set({ loadingMore: true, moreError: undefined });
        try {
          const page = await services.chats.listChats(next);
          if (gen !== generation) return;
          set({ chats: mergeChats(get().chats, page.items), next: page.next, loadingMore: false });
          if (get().linksStatus === "ready") {
            await loadLinks(gen, page.items.map((c) => c.id), false).catch(() => {
              if (gen === generation) set({ linksStatus: "error" });
            });
          }
        } catch (e) {
          if (gen !== generation) return;
          set({ loadingMore: false, moreError: failureKind(e) });
        }
      },

      async retryLinks() {
        const gen = generation;
        set({ linksStatus: "loading" });
        try {
          await loadLinks(gen, get().chats.map((c) => c.id), true);
          void loadMissingLinked(gen);
        } catch {
          if (gen === generation) set({ linksStatus: "error" });
        }
      },
    };
  };
