/**
 * Sending a message without ever posting it twice.
 *
 * A send that fails with a clear refusal (4xx) never reached the chat: retrying posts it once. A send whose
 * outcome is unknown (timeout, lost connection, 5xx) may have been posted: before retrying, the store reads the
 * chat's newest messages and looks for the echo with `findEcho`; only when there is none does it post again.
 */
import type { ChatMessageItem, UploadedFile } from "./messages";
import { ServiceError, type FailureKind } from "./errors";
import { decodeEntities } from "./text";

/** Clocks of the browser and of Teams may differ: an echo may look up to this much older than our send. */
export const CLOCK_SKEW_MS = 2 * 60_000;

export interface SendFailure {
  kind: FailureKind;
  /** The request ran out of time: Teams may still have posted it. */
  timedOut: boolean;
  /** Teams may have posted the message: look for it before posting again. */
  outcomeUnknown: boolean;
  /** Seconds Teams asked us to wait (429). */
  retryAfterSeconds?: number;
}

export type SendState =
  | { status: "sending"; attempt: number }
  | { status: "checking"; attempt: number; failure: SendFailure }
  | { status: "sent"; attempt: number; messageId: string }
  | { status: "failed"; attempt: number; failure: SendFailure };

export type SendEvent =
  | { type: "posted"; messageId: string }
  | { type: "error"; error: unknown }
  | { type: "retry" }
  | { type: "echoFound"; messageId: string }
  | { type: "echoMissing" }
  | { type: "checkFailed"; error: unknown };

function isTimeout(error: unknown): boolean {
  if (error instanceof ServiceError) return error.code === "timeout";
  const name = (error as { name?: unknown } | null)?.name;
  return name === "TimeoutError" || name === "AbortError";
}

/** Whether a failed send may have reached Teams, so a retry must first look for it. */
export function shouldCheckBeforeRetry(error: unknown): boolean {
  if (isTimeout(error)) return true;
  if (error instanceof ServiceError) {
    if (error.status !== undefined && error.status >= 500) return true;
    if (error.status === 408) return true;
    // "offline": the request may have left before the connection dropped; "service" without a status: unknown.
    return error.kind === "offline" || (error.kind === "service" && error.status === undefined);
  }
  // fetch rejects with a TypeError when the network fails; anything unexpected counts as unknown too,
  // because one extra read is cheap and a double post is not.
  return true;
}

export function describeSendFailure(error: unknown): SendFailure {
  const kind: FailureKind = error instanceof ServiceError ? error.kind : error instanceof TypeError || isTimeout(error) ? "offline" : "service";
  return {
    kind,
    timedOut: isTimeout(error),
    outcomeUnknown: shouldCheckBeforeRetry(error),
    retryAfterSeconds: error instanceof ServiceError ? error.retryAfterSeconds : undefined,
  };
}

/** The send state machine; events that make no sense in a state leave it unchanged. */
export function nextSendState(state: SendState, event: SendEvent): SendState {
  switch (state.status) {
    case "sending":
      if (event.type === "posted") return { status: "sent", attempt: state.attempt, messageId: event.messageId };
      if (event.type === "error") return { status: "failed", attempt: state.attempt, failure: describeSendFailure(event.error) };
      return state;
    case "failed":
      if (event.type !== "retry") return state;
      return state.failure.outcomeUnknown ? { status: "checking", attempt: state.attempt, failure: state.failure } : { status: "sending", attempt: state.attempt + 1 };
    case "checking":
      if (event.type === "echoFound") return { status: "sent", attempt: state.attempt, messageId: event.messageId };
      if (event.type === "echoMissing") return { status: "sending", attempt: state.attempt + 1 };
      // Could not look: the outcome is still unknown, so the next retry must look again.
      if (event.type === "checkFailed") return { status: "failed", attempt: state.attempt, failure: { ...describeSendFailure(event.error), outcomeUnknown: true, timedOut: state.failure.timedOut } };
      return state;
    case "sent":
      return state;
  }
}

/** Wait before an automatic retry: Retry-After when Teams gave one, else 1 s, 2 s, 4 s… up to 30 s, with ±20 % jitter. */
export function retryDelayMs(attempt: number, retryAfterSeconds?: number, random: () => number = Math.random): number {
  if (retryAfterSeconds !== undefined && retryAfterSeconds >= 0) return retryAfterSeconds * 1000;
  const base = Math.min(30_000, 1000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

const IMAGE_MARK = "\uFFFC";

/**
 * The words of a message as Teams and we both write them: tags stripped, entities decoded, whitespace collapsed,
 * every image one marker (our ../hostedContents/1/$value becomes a Graph URL in the echo), Teams emoji tags as their
 * character, mentions as "@Name", attachment markers gone (compared by id instead).
 */
export function normaliseForEcho(html: string): string {
  const text = html
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1>/gi, " ")
    .replace(/<emoji\b[^>]*\balt="([^"]*)"[^>]*>(?:\s*<\/emoji>)?/gi, "$1")
    .replace(/<at\b[^>]*>([\s\S]*?)<\/at>/gi, (_m, inner: string) => ` @${inner.replace(/<[^>]*>/g, "").trim()} `)
    .replace(/<img\b[^>]*>/gi, ` ${IMAGE_MARK} `)
    .replace(/<br\s*\/?>|<\/?(p|div|li|ul|ol|h\d|blockquote|pre|tr|td|th|table)\b[^>]*>/gi, " ")
    .replace(/<[^>]*>/g, "");
  return decodeEntities(text).replace(/[\s\u200b]+/g, " ").trim();
}

function normaliseId(id: string): string {
  return id.trim().replace(/^\{|\}$/g, "").toLowerCase();
}

function sameIds(a: string[], b: string[]): boolean {
  const x = a.map(normaliseId).sort();
  const y = b.map(normaliseId).sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

export interface OutgoingFingerprint {
  html: string;
  files: UploadedFile[];
  /** How many inline images travelled as hosted contents. */
  hostedCount: number;
  /** ISO time of the first attempt. */
  sentAt: string;
}

/**
 * The message in `candidates` that is the echo of an earlier attempt of `outgoing`: sent by me, not deleted,
 * created no earlier than sentAt minus the clock skew, with the same words, images and attachment ids.
 * Messages the chat already showed before the send (`knownIds`) are never an echo; the earliest match wins.
 */
export function findEcho(outgoing: OutgoingFingerprint, candidates: ChatMessageItem[], meId: string, knownIds?: ReadonlySet<string>): ChatMessageItem | undefined {
  const sentAt = Date.parse(outgoing.sentAt);
  if (Number.isNaN(sentAt) || !meId) return undefined;
  const me = meId.toLowerCase();
  const text = normaliseForEcho(outgoing.html);
  const fileIds = outgoing.files.map((f) => f.attachmentId);
  const matches = candidates.filter((m) => {
    if (m.kind !== "message" || m.deletedDateTime || knownIds?.has(m.id)) return false;
    if ((m.from?.id ?? "").toLowerCase() !== me) return false;
    const created = Date.parse(m.createdDateTime);
    if (Number.isNaN(created) || created < sentAt - CLOCK_SKEW_MS) return false;
    const body = m.body.contentType === "html" ? normaliseForEcho(m.body.content) : m.body.content.replace(/\s+/g, " ").trim();
    if (body !== text) return false;
    if (body.split(IMAGE_MARK).length - 1 !== outgoing.hostedCount) return false;
    const references = m.attachments.filter((a) => a.contentType === "reference").map((a) => a.id);
    return sameIds(references, fileIds);
  });
  return matches.sort((a, b) => Date.parse(a.createdDateTime) - Date.parse(b.createdDateTime))[0];
}
