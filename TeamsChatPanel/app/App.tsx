import * as React from "react";
import { FluentProvider, webLightTheme, type Theme } from "@fluentui/react-components";
import { Panel } from "../components/Panel";
import { StoreProvider } from "../store/context";
import type { PanelStore } from "../store/createPanelStore";
import { HostProvider, type HostActions } from "./host";
import { StringsProvider, type StringsValue } from "./strings";
import { TourTargetsProvider } from "./tourTargets";

export interface AppProps {
  store: PanelStore;
  strings: StringsValue;
  host: HostActions;
  theme?: Theme;
  height: number;
  now: Date;
}

/** The panel with everything it reads from context: theme, strings, host navigation and its own store. */
export const App: React.FC<AppProps> = ({ store, strings, host, theme, height, now }) => {
  React.useEffect(() => {
    void store.getState().start();
  }, [store]);
  return (
    <FluentProvider theme={theme ?? webLightTheme} lang={strings.locale}>
      <StringsProvider value={strings}>
        <HostProvider value={host}>
          <StoreProvider store={store}>
            <TourTargetsProvider>
              <Panel height={height} now={now} />
            </TourTargetsProvider>
          </StoreProvider>
        </HostProvider>
      </StringsProvider>
    </FluentProvider>
  );
};
