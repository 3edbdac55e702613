import type { StateCreator } from "zustand/vanilla";
import type { FilterSlice, PanelState } from "./types";

export const createFilterSlice: StateCreator<PanelState, [], [], FilterSlice> = (set, get) => ({
  filter: "",
  collapsed: {},
  setFilter: (value) => set({ filter: value }),
  toggleSection: (section) => set({ collapsed: { ...get().collapsed, [section]: !get().collapsed[section] } }),
});
