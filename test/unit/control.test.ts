import type * as React from "react";
import { TeamsChatPanel } from "../../TeamsChatPanel/index";
import type { AppProps } from "../../TeamsChatPanel/app/App";
import { recordFrom, heightFrom } from "../../TeamsChatPanel/app/contextMapping";
import type { IInputs } from "../../TeamsChatPanel/generated/ManifestTypes";

function context(over: { entityId?: string; entityTypeName?: string; allocatedHeight?: number; panelHeight?: number | null; lcid?: number } = {}) {
  const trackContainerResize = vi.fn();
  const ctx = {
    mode: { contextInfo: { entityTypeName: over.entityTypeName ?? "incident", entityId: over.entityId ?? "{AAAAAAAA-0000-0000-0000-000000000001}" }, trackContainerResize, allocatedHeight: over.allocatedHeight ?? -1, allocatedWidth: 400 },
    userSettings: { userId: "{BBBBBBBB-0000-0000-0000-000000000002}", languageId: over.lcid ?? 1031 },
    resources: { getString: (k: string) => (k === "Tab_Chat" ? "Chat" : k) },
    parameters: { panelHeight: { raw: over.panelHeight === undefined ? 500 : over.panelHeight } },
    navigation: { openUrl: vi.fn(), openForm: vi.fn(() => Promise.resolve()) },
    webAPI: {},
    utils: {},
  };
  return { ctx: ctx as unknown as ComponentFramework.Context<IInputs>, trackContainerResize, raw: ctx };
}

describe("TeamsChatPanel control adapter", () => {
  it("asks the host for its size and maps context to the App's props", () => {
    const control = new TeamsChatPanel({ now: () => new Date("2026-11-28T10:00:00Z") });
    const { ctx, trackContainerResize } = context();
    control.init(ctx);
    expect(trackContainerResize).toHaveBeenCalledWith(true);
    const el = control.updateView(ctx) as React.ReactElement<AppProps>;
    expect(el.props.height).toBe(500);
    expect(el.props.strings.locale).toBe("de-DE");
    expect(el.props.strings.t("Tab_Chat")).toBe("Chat");
    expect(el.props.store.getState().env).toMatchObject({ record: { table: "incident", id: "aaaaaaaa-0000-0000-0000-000000000001" }, userId: "bbbbbbbb-0000-0000-0000-000000000002", chatNaming: "recordTitle", introMessage: true, introFields: "", graphRoot: "https://graph.microsoft.com/v1.0/" });
  });

  it("keeps one store across updates and starts a new one when the record gets saved", () => {
    const control = new TeamsChatPanel();
    const unsaved = context({ entityId: "" });
    control.init(unsaved.ctx);
    const first = (control.updateView(unsaved.ctx) as React.ReactElement<AppProps>).props.store;
    expect(first.getState().env.record).toBeUndefined();
    expect((control.updateView(unsaved.ctx) as React.ReactElement<AppProps>).props.store).toBe(first);
    const saved = context();
    const second = (control.updateView(saved.ctx) as React.ReactElement<AppProps>).props.store;
    expect(second).not.toBe(first);
    expect(second.getState().env.record?.table).toBe("incident");
  });

  it("keeps two instances on one page apart", () => {
    const a = new TeamsChatPanel();
    const b = new TeamsChatPanel();
    const { ctx } = context();
    const sa = (a.updateView(ctx) as React.ReactElement<AppProps>).props.store;
    const sb = (b.updateView(ctx) as React.ReactElement<AppProps>).props.store;
    sa.getState().setFilter("printer");
    expect(sb.getState().filter).toBe("");
  });

  it("never writes to the bound column", () => {
    expect(new TeamsChatPanel().getOutputs()).toEqual({});
  });

  it("treats a missing or malformed id as an unsaved record", () => {
    expect(recordFrom(context({ entityId: "" }).ctx)).toBeUndefined();
    expect(recordFrom(context({ entityId: "not-a-guid" }).ctx)).toBeUndefined();
  });

  it("uses the allocated height when the form gives one, the admin's height otherwise, never below 320", () => {
    expect(heightFrom(context({ allocatedHeight: 700 }).ctx, 500)).toBe(700);
    expect(heightFrom(context().ctx, 100)).toBe(320);
    expect(heightFrom(context().ctx, null)).toBe(640);
  });

  it("opens records and URLs through the platform's navigation", async () => {
    const control = new TeamsChatPanel();
    const { ctx, raw } = context();
    const el = control.updateView(ctx) as React.ReactElement<AppProps>;
    el.props.host.openRecord({ table: "account", id: "x" });
    el.props.host.openUrl("https://teams.microsoft.com/l/chat/1/0");
    expect(raw.navigation.openForm).toHaveBeenCalledWith({ entityName: "account", entityId: "x" });
    expect(raw.navigation.openUrl).toHaveBeenCalledWith("https://teams.microsoft.com/l/chat/1/0");
  });
});
