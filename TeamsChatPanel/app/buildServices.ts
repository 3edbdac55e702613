import { DataverseLinkStore } from "../services/dataverse/linkStore";
import { DataverseRecordReader } from "../services/dataverse/recordReader";
import { DataverseSetupProbe } from "../services/dataverse/setupProbe";
import { ENV_CLIENT_ID, ENV_TENANT_ID, resolveSignInConfig } from "../services/auth/config";
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
import type { Clock } from "../services/realtime/clock";
import { gifConfigFrom, signInPropsFrom } from "./contextMapping";

/** What a host other than Dataverse (the local harness, tests) may supply; the platform supplies nothing. */
export interface HostOptions {
  graphBaseUrl?: string;
  tokenProvider?: TokenProvider;
  now?: () => Date;
  /** Live updates' clock: the benchmark runs an hour of polling in a minute. */
  clock?: Clock;
}

function browserStorage(): Storage | undefined {
  try {
    return typeof window !== "undefined" ? window.localStorage : undefined;
  } catch {
    return undefined;
  }
}

/** Sign-in on MSAL, configured from the form's properties and the solution's environment variables. */
export function createAuthSession(context: ComponentFramework.Context<unknown>, records: DataverseRecordReader): AuthSession {
  const props = signInPropsFrom(context);
  return new MsalAuthSession({
    loadConfig: async () => {
      // Unreadable variables (no privilege, no solution) read as unset: the message names what to set.
      const env = await readEnvironmentVariables(context.webAPI, [ENV_CLIENT_ID, ENV_TENANT_ID]).catch(() => ({}) as Record<string, string | undefined>);
      return resolveSignInConfig({ ...props, env: { clientId: env[ENV_CLIENT_ID], tenantId: env[ENV_TENANT_ID] }, origin: window.location.origin });
    },
    loadLoginHint: async () => (await records.currentUser()).upn,
  });
}

function sessionStorageOf(): Storage | undefined {
  try {
    return typeof window !== "undefined" ? window.sessionStorage : undefined;
  } catch {
    return undefined;
  }
}

export function buildServices(context: ComponentFramework.Context<unknown>, options: HostOptions): Services {
  const baseUrl = options.graphBaseUrl ?? GRAPH_BASE_URL;
  const records = new DataverseRecordReader(context.webAPI, context.utils, context.userSettings.userId);
  const auth = options.tokenProvider ? undefined : createAuthSession(context, records);
  const client = createGraphClient({ tokens: options.tokenProvider ?? (auth as AuthSession), baseUrl });
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
  };
}
