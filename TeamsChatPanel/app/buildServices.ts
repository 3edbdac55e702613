import { DataverseLinkStore } from "../services/dataverse/linkStore";
import { DataverseRecordReader } from "../services/dataverse/recordReader";
import { CachedSuggestionReader } from "../services/dataverse/corpusCache";
import { DataverseSuggestionReader } from "../services/dataverse/suggestionReader";
import { unconfiguredTokenProvider } from "../services/auth/unconfigured";
import { createGraphClient, GRAPH_BASE_URL } from "../services/graph/client";
import { GraphChatGateway } from "../services/graph/chatGateway";
import { GraphConversationGateway } from "../services/graph/conversations";
import { GraphFileUploader } from "../services/graph/files";
import { TenorGifProvider } from "../services/gif/tenorGifProvider";
import { createPrefs } from "../services/prefs";
import { localeFromLcid } from "../domain/time";
import type { Services, TokenProvider } from "../services/ports";
import type { Clock } from "../services/realtime/clock";
import { gifConfigFrom } from "./contextMapping";

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

function sessionStorageOf(): Storage | undefined {
  try {
    return typeof window !== "undefined" ? window.sessionStorage : undefined;
  } catch {
    return undefined;
  }
}

export function buildServices(context: ComponentFramework.Context<unknown>, options: HostOptions): Services {
  const baseUrl = options.graphBaseUrl ?? GRAPH_BASE_URL;
  const client = createGraphClient({ tokens: options.tokenProvider ?? unconfiguredTokenProvider, baseUrl });
  const gif = gifConfigFrom(context);
  const fetchFn = (input: string, init?: RequestInit) => fetch(input, init);
  return {
    chats: new GraphChatGateway(client, baseUrl),
    conversations: new GraphConversationGateway(client, baseUrl),
    files: new GraphFileUploader(client, fetchFn),
    gifs: gif ? new TenorGifProvider({ baseUrl: gif.baseUrl, key: gif.key, fetch: fetchFn, locale: localeFromLcid(context.userSettings.languageId) }) : undefined,
    links: new DataverseLinkStore(context.webAPI),
    records: new DataverseRecordReader(context.webAPI, context.utils, context.userSettings.userId),
    prefs: createPrefs(browserStorage(), "tcp."),
    now: options.now ?? (() => new Date()),
    suggestions: new CachedSuggestionReader(new DataverseSuggestionReader(context.webAPI, options.now, context.utils), sessionStorageOf(), context.userSettings.userId),
  };
}
