/** The test-facing API the harness page exposes as `window.__harness` (types only). */
import type { Directory } from "./context";
import type { HarnessQuery, RecordKey, ThemeName } from "./state";

export interface HarnessApi {
  /** Resolves when the current control instance has rendered; replaced on every re-mount. */
  ready: Promise<void>;
  /** The resolved state (defaults filled in), as in the URL. */
  state: HarnessQuery & { user: string; record: RecordKey };
  /** updateView calls across all instances. */
  renders: number;
  /** Control instances created (new Ctor + init). */
  mounts: number;
  /** What GET /__sim/directory returned at load. */
  directory: Directory;
  /** Failures of init/updateView/destroy and of the harness itself, newest last. */
  errors: string[];
  /** Things a control left behind that the platform's page would suffer from too (e.g. chrome still aria-hidden after destroy). */
  warnings: string[];
  /** getOutputs() results after each notifyOutputChanged. */
  outputs: Record<string, unknown>[];
  /** Requests the harness context made: "METHOD url" Dataverse calls, scope lists of token requests. */
  requests: { dataverse: string[]; token: string[][] };
  /** Changes the state as the toolbar does: URL updated, control destroyed and re-created. */
  navigate(change: Partial<HarnessQuery>): Promise<void>;
  /** Changes theme or parameters in place: the same instance gets updateView with a new context. */
  update(change: { theme?: ThemeName; params?: Record<string, string> }): Promise<void>;
  /** Destroys the control and empties the pane (data-harness-ready becomes "unmounted"); navigate() mounts again. */
  unmount(): void;
  /** The running control instance (for white-box checks). */
  control(): unknown;
  /** A fresh snapshot of the context the control gets (webAPI, utils, userSettings… to try from a test). */
  context(): ComponentFramework.Context<unknown> | undefined;
}

declare global {
  interface Window {
    __harness: HarnessApi;
  }
}
