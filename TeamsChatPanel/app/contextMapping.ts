import type { Theme } from "@fluentui/react-components";
import { isGuid, normaliseGuid } from "../domain/ids";
import { localeFromLcid } from "../domain/time";
import type { RecordRef } from "../domain/types";
import type { PanelEnv } from "../store/types";
import type { HostActions } from "./host";
import { makeTranslate, type StringsValue } from "./strings";

interface ContextInfo {
  entityTypeName?: string;
  entityId?: string;
}

/** The form's record. contextInfo is how a field control on a form learns its record; no id means not saved yet. */
export function recordFrom(context: ComponentFramework.Context<unknown>): RecordRef | undefined {
  const info = (context.mode as unknown as { contextInfo?: ContextInfo }).contextInfo;
  const table = info?.entityTypeName?.trim().toLowerCase();
  const id = info?.entityId;
  if (!table || !id || !isGuid(id)) return undefined;
  return { table, id: normaliseGuid(id) };
}

interface PanelParameters {
  chatNaming?: { raw?: string | null };
  introMessage?: { raw?: boolean | null };
  introFields?: { raw?: string | null };
  gifApiKey?: { raw?: string | null };
  gifApiUrl?: { raw?: string | null };
  showSuggestions?: { raw?: boolean | null };
  suggestionRules?: { raw?: string | null };
  suggestionMonths?: { raw?: number | null };
  channelReading?: { raw?: boolean | null };
  clientId?: { raw?: string | null };
  tenantId?: { raw?: string | null };
  authorityHost?: { raw?: string | null };
  redirectPath?: { raw?: string | null };
  showDiagnostics?: { raw?: boolean | null };
  relayUrl?: { raw?: string | null };
}

/** The form's override of the relay address (blank: the environment variable). */
export function relayUrlPropFrom(context: ComponentFramework.Context<unknown>): string | null | undefined {
  return ((context.parameters ?? {}) as PanelParameters).relayUrl?.raw;
}

/** The per-form sign-in overrides; blank ones fall back to the environment variables and defaults. */
export function signInPropsFrom(context: ComponentFramework.Context<unknown>): { clientId?: string | null; tenantId?: string | null; authorityHost?: string | null; redirectPath?: string | null } {
  const p = (context.parameters ?? {}) as PanelParameters;
  return { clientId: p.clientId?.raw, tenantId: p.tenantId?.raw, authorityHost: p.authorityHost?.raw, redirectPath: p.redirectPath?.raw };
}

/** Tenor's v2 API, the default GIF provider when the admin gives a key. */
export const DEFAULT_GIF_API_URL = "https://tenor.googleapis.com/v2";

/** The admin's GIF provider: none without a key; only https endpoints (or the local harness) are taken. */
export function gifConfigFrom(context: ComponentFramework.Context<unknown>): { baseUrl: string; key: string } | undefined {
  const p = (context.parameters ?? {}) as PanelParameters;
  const key = p.gifApiKey?.raw?.trim();
  if (!key) return undefined;
  const baseUrl = (p.gifApiUrl?.raw?.trim() || DEFAULT_GIF_API_URL).replace(/\/+$/, "");
  if (!/^https:\/\//i.test(baseUrl) && !/^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?\//i.test(baseUrl)) return undefined;
  return { baseUrl, key };
}

interface PageInfo {
  getClientUrl?: () => string;
  appId?: string;
}

/** The app's base URL and id for links to records; context.page is how a control on a form learns them. */
function pageFrom(context: ComponentFramework.Context<unknown>): { clientUrl?: string; appId?: string } {
  const page = (context as unknown as { page?: PageInfo }).page;
  let clientUrl: string | undefined;
  try {
    clientUrl = page?.getClientUrl?.();
  } catch {
    clientUrl = undefined;
  }
  if (!clientUrl && typeof window !== "undefined") clientUrl = window.location.origin;
  return { clientUrl, appId: page?.appId };
}

export function envFrom(context: ComponentFramework.Context<unknown>): PanelEnv {
  const p = (context.parameters ?? {}) as PanelParameters;
  return {
    record: recordFrom(context),
    userId: normaliseGuid(context.userSettings.userId),
    chatNaming: p.chatNaming?.raw === "participants" ? "participants" : "recordTitle",
    introMessage: p.introMessage?.raw !== false,
    introFields: p.introFields?.raw ?? "",
    showDiagnostics: p.showDiagnostics?.raw === true,
    channelReading: p.channelReading?.raw !== false,
    showSuggestions: p.showSuggestions?.raw !== false,
    suggestRules: p.suggestionRules?.raw ?? "",
    suggestMonths: typeof p.suggestionMonths?.raw === "number" && p.suggestionMonths.raw > 0 ? Math.min(60, Math.floor(p.suggestionMonths.raw)) : undefined,
    ...pageFrom(context),
  };
}

export function themeFrom(context: ComponentFramework.Context<unknown>): Theme | undefined {
  return context.fluentDesignLanguage?.tokenTheme as Theme | undefined;
}

export const DEFAULT_HEIGHT = 640;
const MIN_HEIGHT = 320;

/** The admin's panelHeight, or the height the form allocates when it gives one. */
export function heightFrom(context: ComponentFramework.Context<unknown>, configured: number | null | undefined): number {
  const allocated = context.mode.allocatedHeight;
  if (typeof allocated === "number" && allocated > 0) return Math.max(MIN_HEIGHT, allocated);
  const h = typeof configured === "number" && configured > 0 ? configured : DEFAULT_HEIGHT;
  return Math.max(MIN_HEIGHT, h);
}

export function stringsFrom(context: ComponentFramework.Context<unknown>): StringsValue {
  return { t: makeTranslate((k) => context.resources.getString(k)), locale: localeFromLcid(context.userSettings.languageId) };
}

export function hostFrom(context: ComponentFramework.Context<unknown>): HostActions {
  return {
    openUrl: (url) => context.navigation.openUrl(url),
    openRecord: (ref) => void context.navigation.openForm({ entityName: ref.table, entityId: ref.id }),
  };
}
