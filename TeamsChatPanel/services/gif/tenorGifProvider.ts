import type { GifResult } from "../../domain/messages";
import { ServiceError, kindForStatus } from "../errors";
import type { GifProvider } from "../ports";

/** Tenor's API v2 root (the admin's key is a Google Cloud API key with the Tenor API enabled). */
export const TENOR_BASE_URL = "https://tenor.googleapis.com/v2/";
/** Tenor's maximum page size. */
export const TENOR_MAX_LIMIT = 50;

export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

export interface TenorGifProviderOptions {
  /** The API root, e.g. TENOR_BASE_URL, or the simulator's /gifapi/v2/. */
  baseUrl: string;
  key: string;
  fetch: FetchFn;
  /** The user's language (e.g. "de-DE"): search terms are understood and titles returned in it. */
  locale?: string;
  /** Names this integration in Tenor's analytics. */
  clientKey?: string;
}

interface MediaWire {
  url?: unknown;
  dims?: unknown;
}

interface ResultWire {
  id?: unknown;
  title?: unknown;
  content_description?: unknown;
  media_formats?: Record<string, MediaWire | undefined>;
}

/**
 * GifProvider over Tenor's API v2: `search` for a query, `featured` for an empty one, asking only for the two
 * formats the picker uses (tinygif previews, the gif that is sent) and content safe for work.
 */
export class TenorGifProvider implements GifProvider {
  private readonly base: string;
  private readonly fetchFn: FetchFn;

  constructor(private readonly options: TenorGifProviderOptions) {
    this.base = options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`;
    // Called through a closure: a browser's fetch throws "Illegal invocation" when called as a method of another object.
    const f = options.fetch;
    this.fetchFn = (input, init) => f(input, init);
  }

  async search(query: string, limit: number, signal?: AbortSignal): Promise<GifResult[]> {
    const q = query.trim();
    const params = new URLSearchParams({
      key: this.options.key,
      client_key: this.options.clientKey ?? "teams-chat-panel",
      limit: String(Math.max(1, Math.min(TENOR_MAX_LIMIT, Math.floor(limit) || 1))),
      media_filter: "gif,tinygif",
      contentfilter: "high",
    });
    if (q) params.set("q", q);
    if (this.options.locale) params.set("locale", this.options.locale.replace("-", "_"));
    const res = await this.request(`${this.base}${q ? "search" : "featured"}?${params}`, signal);
    let body: { results?: unknown };
    try {
      body = (await res.json()) as { results?: unknown };
    } catch {
      throw new ServiceError("service", "The GIF service answered with something that is not JSON", res.status);
    }
    if (!Array.isArray(body?.results)) throw new ServiceError("service", "The GIF service answered without results", res.status);
    return (body.results as ResultWire[]).map(toGifResult).filter((g): g is GifResult => g !== null);
  }

  async download(gif: GifResult, signal?: AbortSignal): Promise<Blob> {
    if (!/^https?:\/\//i.test(gif.url)) throw new ServiceError("invalid", "The GIF's address is not a web address");
    const res = await this.request(gif.url, signal);
    let blob: Blob;
    try {
      blob = await res.blob();
    } catch (e) {
      throw failure(e, signal);
    }
    // Hosted contents need an image type; a media host that omits it still sends a GIF.
    return blob.type.startsWith("image/") ? blob : new Blob([blob], { type: "image/gif" });
  }

  private async request(url: string, signal?: AbortSignal): Promise<Response> {
    let res: Response;
    try {
      res = await this.fetchFn(url, { method: "GET", signal });
    } catch (e) {
      throw failure(e, signal);
    }
    if (!res.ok) throw await errorFrom(res);
    return res;
  }
}

function toGifResult(r: ResultWire): GifResult | null {
  const gif = r?.media_formats?.gif;
  const tiny = r?.media_formats?.tinygif;
  if (typeof r?.id !== "string" || typeof gif?.url !== "string" || typeof tiny?.url !== "string") return null;
  const dims = Array.isArray(gif.dims) ? gif.dims : [];
  // content_description is what Tenor recommends for accessible names; titles are often empty.
  const title = [r.content_description, r.title].find((t): t is string => typeof t === "string" && t.trim() !== "") ?? "";
  return {
    id: r.id,
    title: title.trim(),
    previewUrl: tiny.url,
    url: gif.url,
    width: typeof dims[0] === "number" ? dims[0] : 0,
    height: typeof dims[1] === "number" ? dims[1] : 0,
  };
}

/** Google API errors: { error: { code, message, status, details: [{ reason }] } }. A refused key is the admin's to fix. */
async function errorFrom(res: Response): Promise<ServiceError> {
  let message = `The GIF service answered HTTP ${res.status}`;
  let code: string | undefined;
  try {
    const body = (await res.json()) as { error?: { message?: unknown; status?: unknown; details?: Array<{ reason?: unknown }> } };
    const err = body?.error;
    if (typeof err?.message === "string" && err.message) message = err.message;
    const reason = Array.isArray(err?.details) ? err.details.map((d) => d?.reason).find((x) => typeof x === "string") : undefined;
    code = typeof reason === "string" ? reason : typeof err?.status === "string" ? err.status : undefined;
  } catch {
    // not JSON: keep the status line
  }
  const keyProblem = res.status === 403 || (code !== undefined && /^API_KEY/.test(code));
  const after = Number(res.headers.get("Retry-After") ?? NaN);
  return new ServiceError(keyProblem ? "forbidden" : kindForStatus(res.status), message, res.status, code, Number.isFinite(after) ? after : undefined);
}

function failure(e: unknown, signal?: AbortSignal): unknown {
  // Cancelling is not a failure: hand the AbortError back untouched.
  if (signal?.aborted) return signal.reason ?? e;
  if (e instanceof ServiceError) return e;
  return new ServiceError("offline", e instanceof Error ? e.message : String(e));
}
