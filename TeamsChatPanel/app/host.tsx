import * as React from "react";
import type { RecordRef } from "../domain/types";

/** What the panel asks of the page it lives on (the form): navigation only, never data. */
export interface HostActions {
  openUrl(url: string): void;
  openRecord(ref: RecordRef): void;
}

const HostContext = React.createContext<HostActions>({ openUrl: () => undefined, openRecord: () => undefined });

export const HostProvider: React.FC<{ value: HostActions }> = ({ value, children }) => <HostContext.Provider value={value}>{children}</HostContext.Provider>;

export function useHost(): HostActions {
  return React.useContext(HostContext);
}
