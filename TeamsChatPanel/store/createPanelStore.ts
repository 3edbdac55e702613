import { createStore, type StoreApi } from "zustand/vanilla";
import type { Services } from "../services/ports";
import { createAuthSlice } from "./authSlice";
import { createChannelsSlice } from "./channelsSlice";
import { createChatsSlice } from "./chatsSlice";
import { createDiagnosticsSlice } from "./diagnosticsSlice";
import { createConversationsSlice, type ConversationsOptions } from "./conversationsSlice";
import { createFilterSlice } from "./filterSlice";
import { createLinkActionsSlice } from "./linkActionsSlice";
import { createNewChatSlice } from "./newChatSlice";
import { createPeopleSlice } from "./peopleSlice";
import { createSuggestionsSlice } from "./suggestionsSlice";
import { createTourSlice } from "./tourSlice";
import type { PanelEnv, PanelState } from "./types";

export type PanelStore = StoreApi<PanelState>;

/** One store per control instance: several panels on a page never share state. */
export function createPanelStore(services: Services, env: PanelEnv, options: ConversationsOptions = {}): PanelStore {
  const store = createStore<PanelState>()((...a) => ({
    env,
    ...createChatsSlice(services)(...a),
    ...createFilterSlice(...a),
    ...createPeopleSlice(services)(...a),
    ...createNewChatSlice(services)(...a),
    ...createTourSlice(services)(...a),
    ...createLinkActionsSlice(services)(...a),
    ...createConversationsSlice(services, options)(...a),
    ...createAuthSlice(services)(...a),
    ...createDiagnosticsSlice(services)(...a),
    ...createChannelsSlice(services)(...a),
    ...createSuggestionsSlice(services)(...a),
  }));
  const disconnectAuth = store.getState().connectAuth();
  // One dispose for the whole panel: pending-link timers, live updates, object URLs.
  const disposeLinks = store.getState().dispose;
  store.setState({
    dispose: () => {
      disposeLinks();
      disconnectAuth();
      store.getState().disposeConversations();
      store.getState().disposeChannels();
    },
  });
  return store;
}
