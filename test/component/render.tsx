import * as React from "react";
import { render } from "@testing-library/react";
import { App } from "../../TeamsChatPanel/app/App";
import { makeTranslate } from "../../TeamsChatPanel/app/strings";
import { createPanelStore } from "../../TeamsChatPanel/store/createPanelStore";
import type { RecordRef } from "../../TeamsChatPanel/domain/types";
import type { PanelEnv } from "../../TeamsChatPanel/store/types";
import type { LiveFactory } from "../../TeamsChatPanel/services/realtime/live";
import { CASE, FakeServices, ME } from "../support/fakes";
import { loadResx } from "../support/resx";

export interface RenderOptions {
  record?: RecordRef | null;
  lcid?: 1033 | 1031;
  tourDone?: boolean;
  env?: Partial<PanelEnv>;
  /** Live updates (a fake relay client); none: the panel runs without a relay. */
  live?: LiveFactory;
}

export function renderPanel(services = new FakeServices(), opts: RenderOptions = {}) {
  if (opts.tourDone !== false) services.prefsData.set(`tour.v1.${ME.systemUserId}`, "done");
  const strings = loadResx(opts.lcid ?? 1033);
  const store = createPanelStore(services, { record: opts.record === null ? undefined : (opts.record ?? CASE), userId: ME.systemUserId, clientUrl: "https://contoso.crm.dynamics.com", ...opts.env }, { live: opts.live });
  const host = { openUrl: vi.fn(), openRecord: vi.fn() };
  const t = makeTranslate((k) => strings[k] ?? k);
  const result = render(<App store={store} strings={{ t, locale: opts.lcid === 1031 ? "de-DE" : "en-US" }} host={host} height={600} now={services.now()} />);
  return { ...result, store, services, host, strings };
}
