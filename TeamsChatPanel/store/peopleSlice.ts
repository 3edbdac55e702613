import type { StateCreator } from "zustand/vanilla";
import { failureKind } from "../services/errors";
import type { Services } from "../services/ports";
import type { PanelState, PeopleSlice } from "./types";

export const MIN_QUERY_LENGTH = 2;

export const createPeopleSlice =
  (services: Services): StateCreator<PanelState, [], [], PeopleSlice> =>
  (set, get) => {
    let seq = 0;
    return {
      peopleQuery: "",
      people: [],
      peopleStatus: "idle",
      async searchPeople(query) {
        const q = query.trim();
        const mine = ++seq;
        if (q.length < MIN_QUERY_LENGTH) {
          set({ peopleQuery: q, people: [], peopleStatus: "idle", peopleError: undefined });
          return;
        }
        set({ peopleQuery: q, peopleStatus: "loading", peopleError: undefined });
        try {
          const found = await services.chats.searchPeople(q, 10);
          if (mine !== seq) return; // a later keystroke won
          const meId = get().me?.aadObjectId;
          set({ people: found.filter((p) => p.id !== meId), peopleStatus: "ready" });
        } catch (e) {
          if (mine !== seq) return;
          set({ people: [], peopleStatus: "error", peopleError: failureKind(e) });
        }
      },
      clearPeople() {
        seq++;
        set({ peopleQuery: "", people: [], peopleStatus: "idle", peopleError: undefined });
      },
    };
  };
