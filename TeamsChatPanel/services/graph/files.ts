import type { Client } from "@microsoft/microsoft-graph-client";
import type { UploadedFile } from "../../domain/messages";
import { ServiceError, kindForStatus } from "../errors";
import type { FileUploader, UploadProgress } from "../ports";
import { MAX_SILENT_RETRY_AFTER_SECONDS, ScopeOptions } from "./client";
import { toServiceError } from "./errors";
import { SCOPES } from "./scopes";

/** The OneDrive folder Teams itself puts chat attachments in (the recipients get access through the message). */
export const TEAMS_CHAT_FILES_FOLDER = "Microsoft Teams Chat Files";
/** Up to this size a file goes in one PUT; larger files use a resumable upload session. */
export const SIMPLE_UPLOAD_LIMIT = 4 * 1024 * 1024;
/** Upload-session fragments must be multiples of 320 KiB (driveitem-createuploadsession). */
export const FRAGMENT_UNIT = 320 * 1024;
/** Ten units (3.2 MiB): few requests, yet a lost fragment costs little to resend. */
export const DEFAULT_CHUNK_SIZE = 10 * FRAGMENT_UNIT;

export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

export interface GraphFileUploaderOptions {
  simpleUploadLimit?: number;
  /** A multiple of 320 KiB. */
  chunkSize?: number;
  /** Retries of one fragment before the upload fails. */
  maxRetries?: number;
  /** Pause before a retry when the service names none (multiplied by the attempt number). */
  retryDelayMs?: number;
}

interface DriveItemWire {
  id?: unknown;
  name?: unknown;
  eTag?: unknown;
  webUrl?: unknown;
  size?: unknown;
}

interface SessionStatusWire {
  nextExpectedRanges?: unknown;
}

const RETRYABLE = (status: number) => status === 416 || status === 429 || status >= 500;

/**
 * Uploads chat attachments to the sender's OneDrive (FileUploader port). Graph calls go through the control's
 * Graph client with Files.ReadWrite; fragments of an upload session go with the plain `fetch` straight to the
 * session's uploadUrl, which is pre-authenticated: the Graph token is never sent there.
 *
 * Failures reject with ServiceError. Cancelling through the AbortSignal rejects with the signal's AbortError
 * instead, so the caller can tell "cancelled" from "failed"; a started session is then deleted.
 */
export class GraphFileUploader implements FileUploader {
  private readonly fetchFn: FetchFn;
  private readonly simpleLimit: number;
  private readonly chunkSize: number;
  private readonly maxRetries: number;
  private readonly retryDelayMs: number;

  constructor(
    private readonly client: Client,
    fetchFn: FetchFn,
    options: GraphFileUploaderOptions = {},
  ) {
    // Called through a closure: a browser's fetch throws "Illegal invocation" when called as a method of another object.
    this.fetchFn = (input, init) => fetchFn(input, init);
    this.simpleLimit = options.simpleUploadLimit ?? SIMPLE_UPLOAD_LIMIT;
    this.chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    if (this.chunkSize <= 0 || this.chunkSize % FRAGMENT_UNIT !== 0) throw new Error("chunkSize must be a positive multiple of 320 KiB");
    this.maxRetries = options.maxRetries ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
  }

  async upload(file: Blob & { name: string }, onProgress: (p: UploadProgress) => void, signal?: AbortSignal): Promise<UploadedFile> {
    throwIfAborted(signal);
    const total = file.size;
    onProgress({ sent: 0, total });
    const item = total <= this.simpleLimit ? await this.simpleUpload(file, signal) : await this.sessionUpload(file, onProgress, signal);
    onProgress({ sent: total, total });
    return toUploadedFile(item);
  }

  private itemPath(name: string, action: string): string {
    return `/me/drive/root:/${encodeURIComponent(TEAMS_CHAT_FILES_FOLDER)}/${encodeURIComponent(name)}:/${action}`;
  }

  /** driveitem-put-content: one PUT; a clashing name gets " 1", " 2"… like Teams does. */
  private async simpleUpload(file: Blob & { name: string }, signal?: AbortSignal): Promise<DriveItemWire> {
    try {
      let req = this.client
        .api(`${this.itemPath(file.name, "content")}?@microsoft.graph.conflictBehavior=rename`)
        .middlewareOptions([new ScopeOptions([...SCOPES.uploadFiles])])
        .header("Content-Type", file.type || "application/octet-stream");
      if (signal) req = req.option("signal", signal);
      return (await req.put(file)) as DriveItemWire;
    } catch (e) {
      throwIfAborted(signal);
      throw toServiceError(e);
    }
  }

  private async sessionUpload(file: Blob & { name: string }, onProgress: (p: UploadProgress) => void, signal?: AbortSignal): Promise<DriveItemWire> {
    let uploadUrl: string;
    try {
      let req = this.client.api(this.itemPath(file.name, "createUploadSession")).middlewareOptions([new ScopeOptions([...SCOPES.uploadFiles])]);
      if (signal) req = req.option("signal", signal);
      const session = (await req.post({ item: { "@microsoft.graph.conflictBehavior": "rename", name: file.name } })) as { uploadUrl?: unknown };
      if (typeof session?.uploadUrl !== "string" || !session.uploadUrl) throw new ServiceError("service", "The upload session has no uploadUrl");
      uploadUrl = session.uploadUrl;
    } catch (e) {
      throwIfAborted(signal);
      throw toServiceError(e);
    }
    try {
      return await this.sendFragments(uploadUrl, file, onProgress, signal);
    } catch (e) {
      // Cancelled or failed for good: drop the partial upload rather than leave it until the session expires.
      void this.fetchFn(uploadUrl, { method: "DELETE" }).catch(() => undefined);
      throw e;
    }
  }

  private async sendFragments(uploadUrl: string, file: Blob, onProgress: (p: UploadProgress) => void, signal?: AbortSignal): Promise<DriveItemWire> {
    const total = file.size;
    let offset = 0;
    let failures = 0;
    for (;;) {
      throwIfAborted(signal);
      const end = Math.min(offset + this.chunkSize, total) - 1;
      let res: Response | undefined;
      try {
        res = await this.fetchFn(uploadUrl, { method: "PUT", headers: { "Content-Range": `bytes ${offset}-${end}/${total}` }, body: file.slice(offset, end + 1), signal });
      } catch (e) {
        throwIfAborted(signal);
        if (!(e instanceof TypeError)) throw toServiceError(e);
      }
      if (res && (res.status === 200 || res.status === 201)) return (await res.json()) as DriveItemWire;
      if (res && res.status === 202) {
        offset = nextOffset((await res.json()) as SessionStatusWire) ?? end + 1;
        failures = 0;
        onProgress({ sent: offset, total });
        continue;
      }
      if (res && !RETRYABLE(res.status)) throw await fragmentError(res);
      failures++;
      if (failures > this.maxRetries) throw res ? await fragmentError(res) : new ServiceError("offline", "The upload lost its connection");
      const after = res ? retryAfterSeconds(res) : undefined;
      await res?.text().catch(() => "");
      if (after !== undefined && after > MAX_SILENT_RETRY_AFTER_SECONDS) {
        throw new ServiceError("throttled", "OneDrive asked to wait before the next fragment", res?.status, undefined, after);
      }
      await pause(after !== undefined ? after * 1000 : this.retryDelayMs * failures, signal);
      offset = (await this.resumeOffset(uploadUrl, signal)) ?? offset;
    }
  }

  /** Where the service wants the next fragment to start (GET on the uploadUrl); undefined when it cannot say. */
  private async resumeOffset(uploadUrl: string, signal?: AbortSignal): Promise<number | undefined> {
    let res: Response;
    try {
      res = await this.fetchFn(uploadUrl, { method: "GET", signal });
    } catch {
      throwIfAborted(signal);
      return undefined;
    }
    if (res.status === 404) throw await fragmentError(res);
    if (!res.ok) return undefined;
    return nextOffset((await res.json()) as SessionStatusWire);
  }
}

function nextOffset(status: SessionStatusWire): number | undefined {
  const ranges = status?.nextExpectedRanges;
  if (!Array.isArray(ranges) || typeof ranges[0] !== "string") return undefined;
  const start = Number(ranges[0].split("-")[0]);
  return Number.isInteger(start) && start >= 0 ? start : undefined;
}

function retryAfterSeconds(res: Response): number | undefined {
  const raw = res.headers.get("Retry-After");
  if (raw === null || raw.trim() === "") return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

async function fragmentError(res: Response): Promise<ServiceError> {
  let code: string | undefined;
  let message = `Upload failed with HTTP ${res.status}`;
  try {
    const body = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body?.error?.code === "string") code = body.error.code;
    if (typeof body?.error?.message === "string" && body.error.message) message = body.error.message;
  } catch {
    // not JSON: keep the status line
  }
  return new ServiceError(kindForStatus(res.status), message, res.status, code, retryAfterSeconds(res));
}

/** attachmentId is the GUID inside the driveItem's eTag ("{GUID},version"), lower-case as chat messages use it. */
export function toUploadedFile(item: DriveItemWire): UploadedFile {
  const guid = typeof item?.eTag === "string" ? /\{([0-9a-fA-F-]{36})\}/.exec(item.eTag)?.[1] : undefined;
  if (!guid || typeof item.id !== "string" || typeof item.name !== "string" || typeof item.webUrl !== "string") {
    throw new ServiceError("service", "OneDrive answered without the file's id, name, eTag or webUrl");
  }
  return { attachmentId: guid.toLowerCase(), driveItemId: item.id, name: item.name, webUrl: item.webUrl, size: typeof item.size === "number" ? item.size : 0 };
}

function abortError(signal: AbortSignal): unknown {
  if (signal.reason !== undefined) return signal.reason;
  return typeof DOMException !== "undefined" ? new DOMException("The upload was cancelled", "AbortError") : new Error("The upload was cancelled");
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw abortError(signal);
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
