import { DataverseLinkStore } from "../services/dataverse/linkStore";
import { DataverseRecordReader } from "../services/dataverse/recordReader";
import { DataverseSetupProbe } from "../services/dataverse/setupProbe";
import { ENV_CLIENT_ID, ENV_TENANT_ID, resolveSignInConfig } from "../services/auth/config";
import { isGuid } from "../domain/ids";
import { readEnvironmentVariables } from "../services/auth/environment";
import { MsalAuthSession } from "../services/auth/msal";
import type { AuthSession } from "../services/auth/session";
import { CachedSuggestionReader } from "../services/dataverse/corpusCache";
import { DataverseSuggestionReader } from "../services/dataverse/suggestionReader";
import { createGraphClient, GRAPH_BASE_URL } from "../services/graph/client";
import { GraphChatGateway } from "../services/graph/chatGateway";
import { GraphChannelGateway } from "../services/graph/channels";
import { GraphConversationGateway } from "../services/graph/conversations";
import { GraphFileUploader } from "../services/graph/files";
import { TenorGifProvider } from "../services/gif/tenorGifProvider";
import { createPrefs } from "../services/prefs";
import { localeFromLcid } from "../domain/time";
import type { Services, TokenProvider } from "../services/ports";
import { documentVisibility, realClock, type Clock } from "../services/realtime/clock";
import type { LiveFactory } from "../services/realtime/live";
import { ENV_RELAY_URL, parseRelayUrl, type RelayUrlSetting } from "../services/realtime/relayConfig";
import { browserOnline, createRelayClient, type FetchLike, type WebSocketFactory } from "../services/realtime/relayClient";
import { relayScope } from "../domain/relayScope";
import { gifConfigFrom, relayUrlPropFrom, signInPropsFrom } from "./contextMapping";

/** What a host other than Dataverse (the local harness, tests) may supply; the platform supplies nothing. */
export interface HostOptions {
  graphBaseUrl?: string;
  tokenProvider?: TokenProvider;
  now?: () => Date;
  /** Live updates' clock (reconnect backoff, token renewal); real time when absent. */
  clock?: Clock;
  /** The relay's address instead of the environment variable and the form's property (the harness's local relay). */
  relayUrl?: string;
  /** Opens the relay's WebSocket (the harness, tests); the browser's WebSocket when absent. */
  webSocket?: WebSocketFactory;
}

type EnvValues = Record<string, string | undefined>;

/** The solution's environment variables, read once per panel in one request (unreadable ones read as unset). */
function environmentLoader(context: ComponentFramework.Context<unknown>): () => Promise<EnvValues> {
  let loaded: Promise<EnvValues> | undefined;
  return () => (loaded ??= readEnvironmentVariables(context.webAPI, [ENV_CLIENT_ID, ENV_TENANT_ID, ENV_RELAY_URL]).catch(() => ({}) as EnvValues));
}

function browserStorage(): Storage | undefined {
  try {
    return typeof window !== "undefined" ? window.localStorage : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Sign-in on MSAL, configured from the form's properties and the solution's environment variables. With a relay
 * configured, the first sign-in also asks consent to the relay's API, so live updates need no second prompt.
 */
export function createAuthSession(
  context: ComponentFramework.Context<unknown>,
  records: DataverseRecordReader,
  loadEnv = environmentLoader(context),
  relay: () => Promise<RelayTarget> = relayTargetLoader(context, {}, loadEnv),
): AuthSession {
  const props = signInPropsFrom(context);
  return new MsalAuthSession({
    loadConfig: async () => {
      // Unreadable variables (no privilege, no solution) read as unset: the message names what to set.
      const env = await loadEnv();
      return resolveSignInConfig({ ...props, env: { clientId: env[ENV_CLIENT_ID], tenantId: env[ENV_TENANT_ID] }, origin: window.location.origin });
    },
    loadLoginHint: async () => (await records.currentUser()).upn,
    loadConsentAlso: async () => {
      const t = await relay();
      return t.relay.kind === "ok" && t.clientId ? [relayScope(t.clientId)] : [];
    },
  });
}

interface RelayTarget {
  relay: RelayUrlSetting;
  /** The app registration exposing the relay's API; undefined when the client id is missing or not a GUID. */
  clientId?: string;
}

/**
 * The relay's address (the host option, else the form's property, else the environment variable) and the app whose
 * API it accepts tokens for, read once per panel.
 */
function relayTargetLoader(context: ComponentFramework.Context<unknown>, options: HostOptions, loadEnv: () => Promise<EnvValues>): () => Promise<RelayTarget> {
  let resolved: Promise<RelayTarget> | undefined;
  const target = async (): Promise<RelayTarget> => {
    const env = await loadEnv();
    const relay = options.relayUrl !== undefined ? parseRelayUrl(options.relayUrl, undefined) : parseRelayUrl(relayUrlPropFrom(context), env[ENV_RELAY_URL]);
    const clientId = (signInPropsFrom(context).clientId?.trim() || env[ENV_CLIENT_ID]?.trim() || "").replace(/^\{(.*)\}$/, "$1").toLowerCase();
    return { relay, clientId: isGuid(clientId) ? clientId : undefined };
  };
  return () => (resolved ??= target());
}

function sessionStorageOf(): Storage | undefined {
  try {
    return typeof window !== "undefined" ? window.sessionStorage : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Live updates from the relay: its address from the host option, else the form's property, else the environment
 * variable; tokens for the relay's API (api://{clientId}/access_as_user) through the panel's own sign-in.
 */
function liveFactory(options: HostOptions, tokens: TokenProvider, resolve: () => Promise<RelayTarget>): LiveFactory {
  return (handlers) =>
    createRelayClient({
      ...handlers,
      // Without the app's client id there is no API to ask a token for: the relay counts as not set up.
      relayUrl: async () => {
        const t = await resolve();
        return t.clientId ? t.relay : t.relay.kind === "ok" ? { kind: "invalid", value: t.relay.url } : t.relay;
      },
      getToken: async (forceRefresh) => tokens.getToken([relayScope((await resolve()).clientId ?? "")], { forceRefresh }),
      fetch: ((url, init) => fetch(url, init)) as FetchLike,
      webSocket: options.webSocket,
      clock: options.clock ?? realClock,
      visibility: documentVisibility(),
      online: browserOnline(),
      random: Math.random,
    });
}

/** The panel's services, and its live updates (created by the store once the panel has loaded). */
export function buildServices(context: ComponentFramework.Context<unknown>, options: HostOptions): Services & { live: LiveFactory } {
  const baseUrl = options.graphBaseUrl ?? GRAPH_BASE_URL;
  const records = new DataverseRecordReader(context.webAPI, context.utils, context.userSettings.userId);
  const loadEnv = environmentLoader(context);
  const relay = relayTargetLoader(context, options, loadEnv);
  const auth = options.tokenProvider ? undefined : createAuthSession(context, records, loadEnv, relay);
  const tokens = options.tokenProvider ?? (auth as AuthSession);
  const client = createGraphClient({ tokens, baseUrl });
  const gif = gifConfigFrom(context);
  const fetchFn = (input: string, init?: RequestInit) => fetch(input, init);
  return {
    chats: new GraphChatGateway(client, baseUrl),
    conversations: new GraphConversationGateway(client, baseUrl),
    channels: new GraphChannelGateway(client),
    files: new GraphFileUploader(client, fetchFn),
    gifs: gif ? new TenorGifProvider({ baseUrl: gif.baseUrl, key: gif.key, fetch: fetchFn, locale: localeFromLcid(context.userSettings.languageId) }) : undefined,
    links: new DataverseLinkStore(context.webAPI),
    records,
    auth,
    setup: new DataverseSetupProbe(context.webAPI, context.utils),
    prefs: createPrefs(browserStorage(), "tcp."),
    now: options.now ?? (() => new Date()),
    suggestions: new CachedSuggestionReader(new DataverseSuggestionReader(context.webAPI, options.now, context.utils), sessionStorageOf(), context.userSettings.userId),
    live: liveFactory(options, tokens, relay),
  };
}
