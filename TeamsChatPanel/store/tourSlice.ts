import type { StateCreator } from "zustand/vanilla";
import type { Services } from "../services/ports";
import { TOUR_STEPS, type PanelState, type TourSlice } from "./types";

/** Bump when the walkthrough changes enough to show it again. */
const TOUR_VERSION = "1";

export const createTourSlice =
  (services: Services): StateCreator<PanelState, [], [], TourSlice> =>
  (set, get) => {
    const key = () => `tour.v${TOUR_VERSION}.${get().env.userId.toLowerCase()}`;
    return {
      tourStep: undefined,
      maybeStartTour() {
        if (get().tourStep || services.prefs.get(key()) === "done") return;
        set({ tourStep: TOUR_STEPS[0] });
      },
      startTour: () => set({ tourStep: TOUR_STEPS[0] }),
      nextTourStep() {
        const i = TOUR_STEPS.indexOf(get().tourStep ?? TOUR_STEPS[0]);
        if (i >= TOUR_STEPS.length - 1) get().endTour();
        else set({ tourStep: TOUR_STEPS[i + 1] });
      },
      endTour() {
        services.prefs.set(key(), "done");
        set({ tourStep: undefined });
      },
    };
  };
