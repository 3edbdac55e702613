import * as React from "react";
import { useStore } from "zustand";
import type { PanelStore } from "./createPanelStore";
import type { PanelState } from "./types";

const StoreContext = React.createContext<PanelStore | null>(null);

export const StoreProvider: React.FC<{ store: PanelStore }> = ({ store, children }) => <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;

export function usePanel<T>(selector: (s: PanelState) => T): T {
  const store = React.useContext(StoreContext);
  if (!store) throw new Error("usePanel outside StoreProvider");
  return useStore(store, selector);
}
