/* Globals the harness page gets from the platform's own library files and the control bundle. */
import type * as ReactNS from "react";
import type * as ReactDOMNS from "react-dom";

export type FluentTheme = Record<string, string | number>;

export interface FluentGlobals {
  webLightTheme: FluentTheme;
  webDarkTheme: FluentTheme;
  teamsHighContrastTheme: FluentTheme;
}

export interface ControlInstance {
  init(
    context: ComponentFramework.Context<unknown>,
    notifyOutputChanged?: () => void,
    state?: ComponentFramework.Dictionary,
  ): void;
  updateView(context: ComponentFramework.Context<unknown>): ReactNS.ReactElement;
  getOutputs?(): Record<string, unknown>;
  destroy(): void;
}

export type ControlConstructor = new (hostOptions?: unknown) => ControlInstance;

declare global {
  interface Window {
    Reactv16?: typeof ReactNS;
    ReactDOMv16?: typeof ReactDOMNS;
    React?: typeof ReactNS;
    ReactDOM?: typeof ReactDOMNS;
    FluentUIReactv940?: FluentGlobals;
    /** Defined by bundle.js when there is no window.ComponentFramework.registerControl. */
    TeamsChatPanel?: { TeamsChatPanel?: ControlConstructor };
  }
}
