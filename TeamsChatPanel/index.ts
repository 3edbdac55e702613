import * as React from "react";
import { App } from "./app/App";
import { buildServices, type HostOptions } from "./app/buildServices";
import { envFrom, heightFrom, hostFrom, stringsFrom, themeFrom } from "./app/contextMapping";
import { GRAPH_BASE_URL, GRAPH_VERSION } from "./services/graph/client";
import { documentVisibility, realClock } from "./services/realtime/clock";
import { createPoller } from "./services/realtime/poller";
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
      const clock = this.options.clock ?? realClock;
      this.store = createPanelStore(buildServices(context, this.options), env, {
        live: ({ get }) =>
          createPoller({
            clock,
            visibility: documentVisibility(),
            random: Math.random,
            pollList: () => get().pollList(),
            pollChat: (id) => get().pollChat(id),
            openChatIds: () => get().openChatIds,
            activeChatId: () => (get().view === "chat" ? get().activeChatId : undefined),
          }),
      });
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
