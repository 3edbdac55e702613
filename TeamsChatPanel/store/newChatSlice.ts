import type { StateCreator } from "zustand/vanilla";
import { ServiceError, failureKind } from "../services/errors";
import type { Services } from "../services/ports";
import { mergeChats } from "./chatsSlice";
import { recordIntroHtml } from "./intro";
import type { IntroTexts, NewChatSlice, PanelState } from "./types";

export const createNewChatSlice =
  (services: Services): StateCreator<PanelState, [], [], NewChatSlice> =>
  (set, get) => {
    /** The record's card as the first message; the chat is useful without it, so a failure only warns. */
    const sendIntro = async (chatId: string, chatName: string, texts: IntroTexts) => {
      if (!get().env.record) return;
      try {
        const html = await recordIntroHtml(services, get(), texts);
        if (!html) return;
        await services.chats.sendHtml(chatId, html);
      } catch {
        set({ notice: { intent: "warning", key: "Intro_Failed", args: [chatName] } });
      }
    };
    return {
    createStatus: "idle",
    async createChat(people, topic) {
      const me = get().me;
      if (!me?.aadObjectId) {
        set({ createStatus: "error", createError: "service" });
        return undefined;
      }
      set({ createStatus: "creating", createError: undefined });
      try {
        const chat = await services.chats.createChat({ meId: me.aadObjectId, memberIds: people.map((p) => p.id), topic: people.length > 1 ? topic : undefined });
        set({ chats: mergeChats(get().chats, [chat]), createStatus: "idle", focusChatId: chat.id, filter: "" });
        return chat.id;
      } catch (e) {
        set({ createStatus: "error", createError: e instanceof ServiceError ? e.kind : failureKind(e) });
        return undefined;
      }
    },
    async createLinkedChat(people, topic, intro) {
      const me = get().me;
      if (!me?.aadObjectId || !get().env.record) {
        set({ createStatus: "error", createError: "service" });
        return undefined;
      }
      set({ createStatus: "creating", createError: undefined });
      let chatId: string;
      try {
        const chat = await services.chats.createChat({ meId: me.aadObjectId, memberIds: people.map((p) => p.id), topic: topic.trim() || undefined, forceGroup: true });
        chatId = chat.id;
        set({ chats: mergeChats(get().chats, [chat]), createStatus: "idle", filter: "" });
      } catch (e) {
        set({ createStatus: "error", createError: e instanceof ServiceError ? e.kind : failureKind(e) });
        return undefined;
      }
      // The chat exists in Teams now; if Dataverse fails the link stays pending (across reloads) and is retried.
      set({ focusChatId: chatId });
      const chatName = topic.trim() || people.map((p) => p.displayName).join(", ");
      await get().linkNewChat(chatId, chatName);
      if (intro && get().env.introMessage !== false) await sendIntro(chatId, chatName, intro);
      return chatId;
    },
    resetCreate: () => set({ createStatus: "idle", createError: undefined }),
    clearFocus: () => set({ focusChatId: undefined }),
  };
  };
