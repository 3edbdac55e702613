import * as React from "react";
import { App } from "./app/App";
import { buildServices, type HostOptions } from "./app/buildServices";
import { envFrom, heightFrom, hostFrom, stringsFrom, themeFrom } from "./app/contextMapping";
import { GRAPH_BASE_URL, GRAPH_VERSION } from "./services/graph/client";
import { createPanelStore, type PanelStore } from "./store/createPanelStore";
import { recordKey } from "./store/types";
import type { IInputs, IOutputs } from "./generated/ManifestTypes";

export type { HostOptions } from "./app/buildServices";

/** Adapter between the PCF host and the panel: services and store once per instance, context → props on each update. */
export class TeamsChatPanel implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  private store?: PanelStore;
  private storeKey = "";

  constructor(private readonly options: HostOptions = {}) {}

  public init(context: ComponentFramework.Context<IInputs>): void {
    context.mode.trackContainerResize(true);
  }

  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    const env = { ...envFrom(context), graphRoot: `${(this.options.graphBaseUrl ?? GRAPH_BASE_URL).replace(/\/+$/, "")}/${GRAPH_VERSION}/` };
    // A new record being saved gives the form an id: start over for that record.
    const key = `${env.userId}|${env.record ? recordKey(env.record) : "unsaved"}`;
    if (!this.store || key !== this.storeKey) {
      this.store?.getState().dispose();
      const services = buildServices(context, this.options);
      // Live updates come from the relay (HostOptions.relayUrl / webSocket in the harness); nothing polls Graph.
      this.store = createPanelStore(services, env, { live: services.live });
      this.storeKey = key;
    }
    return React.createElement(App, {
      key,
      store: this.store,
      strings: stringsFrom(context),
      host: hostFrom(context),
      theme: themeFrom(context),
      height: heightFrom(context, context.parameters.panelHeight?.raw),
      now: (this.options.now ?? (() => new Date()))(),
    });
  }

  /** The bound column is only an anchor on the form; the panel never writes to it. */
  public getOutputs(): IOutputs {
    return {};
  }

  public destroy(): void {
    this.store?.getState().dispose();
    this.store = undefined;
  }
}
