import type { ChatMessageItem, UploadedFile } from "../../../TeamsChatPanel/domain/messages";
import { CLOCK_SKEW_MS, describeSendFailure, findEcho, nextSendState, normaliseForEcho, retryDelayMs, shouldCheckBeforeRetry, type SendState } from "../../../TeamsChatPanel/domain/sendRules";
import { AuthRequiredError, ServiceError } from "../../../TeamsChatPanel/services/errors";

const ME = "me-aad-id";
const SENT_AT = "2026-11-28T12:00:00.000Z";
const file: UploadedFile = { attachmentId: "153FA47D-18C9-4179-BE08-9879815A9F90", driveItemId: "01A", name: "report.pdf", webUrl: "https://contoso-my.sharepoint.com/report.pdf", size: 10 };

function candidate(id: string, html: string, extra: Partial<ChatMessageItem> = {}): ChatMessageItem {
  return {
    id,
    chatId: "c1",
    kind: "message",
    createdDateTime: "2026-11-28T12:00:05.000Z",
    lastModifiedDateTime: "2026-11-28T12:00:05.000Z",
    from: { id: ME, displayName: "Me" },
    importance: "normal",
    body: { contentType: "html", content: html },
    attachments: [],
    mentions: [],
    ...extra,
  };
}

const plain = { html: "<p>Printer is <b>back</b> online&nbsp;now</p>", files: [], hostedCount: 0, sentAt: SENT_AT };

describe("shouldCheckBeforeRetry", () => {
  it("checks when the outcome is unknown: timeouts, network failures, 5xx", () => {
    expect(shouldCheckBeforeRetry(new ServiceError("offline", "The send did not answer in time", undefined, "timeout"))).toBe(true);
    expect(shouldCheckBeforeRetry(new ServiceError("offline", "Failed to fetch"))).toBe(true);
    expect(shouldCheckBeforeRetry(new TypeError("Failed to fetch"))).toBe(true);
    expect(shouldCheckBeforeRetry(new ServiceError("service", "Bad gateway", 502))).toBe(true);
    expect(shouldCheckBeforeRetry(new ServiceError("service", "Unavailable", 503))).toBe(true);
    expect(shouldCheckBeforeRetry(new ServiceError("invalid", "Request timeout", 408))).toBe(true);
    expect(shouldCheckBeforeRetry(Object.assign(new Error("aborted"), { name: "AbortError" }))).toBe(true);
    expect(shouldCheckBeforeRetry("something odd")).toBe(true);
  });

  it("retries directly after a refusal (4xx): Teams never posted it", () => {
    expect(shouldCheckBeforeRetry(new ServiceError("invalid", "Bad request", 400))).toBe(false);
    expect(shouldCheckBeforeRetry(new ServiceError("forbidden", "Forbidden", 403))).toBe(false);
    expect(shouldCheckBeforeRetry(new ServiceError("notFound", "Not found", 404))).toBe(false);
    expect(shouldCheckBeforeRetry(new ServiceError("throttled", "Too many", 429, undefined, 5))).toBe(false);
    expect(shouldCheckBeforeRetry(new AuthRequiredError())).toBe(false);
  });

  it("describes a failure for the UI", () => {
    expect(describeSendFailure(new ServiceError("offline", "late", undefined, "timeout"))).toEqual({ kind: "offline", timedOut: true, outcomeUnknown: true, retryAfterSeconds: undefined });
    expect(describeSendFailure(new ServiceError("throttled", "slow down", 429, undefined, 7))).toEqual({ kind: "throttled", timedOut: false, outcomeUnknown: false, retryAfterSeconds: 7 });
    expect(describeSendFailure(new TypeError("Failed to fetch"))).toMatchObject({ kind: "offline", outcomeUnknown: true });
  });
});

describe("the send state machine", () => {
  const timeout = new ServiceError("offline", "late", undefined, "timeout");
  const refused = new ServiceError("invalid", "bad", 400);

  it("goes sending → sent", () => {
    expect(nextSendState({ status: "sending", attempt: 1 }, { type: "posted", messageId: "m1" })).toEqual({ status: "sent", attempt: 1, messageId: "m1" });
  });

  it("retries a refused send directly", () => {
    const failed = nextSendState({ status: "sending", attempt: 1 }, { type: "error", error: refused });
    expect(failed).toMatchObject({ status: "failed", failure: { outcomeUnknown: false } });
    expect(nextSendState(failed, { type: "retry" })).toEqual({ status: "sending", attempt: 2 });
  });

  it("looks for the echo before retrying a send with unknown outcome", () => {
    const failed = nextSendState({ status: "sending", attempt: 1 }, { type: "error", error: timeout });
    const checking = nextSendState(failed, { type: "retry" });
    expect(checking).toMatchObject({ status: "checking", attempt: 1 });
    expect(nextSendState(checking, { type: "echoFound", messageId: "m9" })).toEqual({ status: "sent", attempt: 1, messageId: "m9" });
    expect(nextSendState(checking, { type: "echoMissing" })).toEqual({ status: "sending", attempt: 2 });
  });

  it("stays unknown when the check itself fails, so the next retry checks again", () => {
    const checking: SendState = { status: "checking", attempt: 1, failure: describeSendFailure(timeout) };
    const failed = nextSendState(checking, { type: "checkFailed", error: refused });
    expect(failed).toMatchObject({ status: "failed", failure: { kind: "invalid", outcomeUnknown: true, timedOut: true } });
    expect(nextSendState(failed, { type: "retry" })).toMatchObject({ status: "checking" });
  });

  it("ignores events that do not fit the state", () => {
    const sent: SendState = { status: "sent", attempt: 1, messageId: "m1" };
    expect(nextSendState(sent, { type: "retry" })).toBe(sent);
    const sending: SendState = { status: "sending", attempt: 1 };
    expect(nextSendState(sending, { type: "retry" })).toBe(sending);
    const failed = nextSendState(sending, { type: "error", error: refused });
    expect(nextSendState(failed, { type: "posted", messageId: "x" })).toBe(failed);
  });
});

describe("retryDelayMs", () => {
  it("obeys Retry-After, else backs off exponentially up to 30 s with jitter", () => {
    expect(retryDelayMs(1, 7)).toBe(7000);
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 10].map((a) => retryDelayMs(a, undefined, mid))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(retryDelayMs(1, undefined, () => 0)).toBe(800);
    expect(retryDelayMs(1, undefined, () => 0.999999)).toBe(1200);
  });
});

describe("normaliseForEcho", () => {
  it("compares words, not markup", () => {
    expect(normaliseForEcho("<p>Hi&nbsp;<b>there</b></p><p>next   line</p>")).toBe("Hi there next line");
    expect(normaliseForEcho("Hi there<br>next line")).toBe("Hi there next line");
  });
  it("treats our image markers and Teams' hosted URLs alike", () => {
    expect(normaliseForEcho('<p>look <img src="../hostedContents/1/$value"></p>')).toBe(normaliseForEcho('<p>look <img src="https://graph.microsoft.com/v1.0/chats/c/messages/1/hostedContents/aWQ9/$value" width="200" alt="image"></p>'));
  });
  it("normalises mentions and emoji tags", () => {
    expect(normaliseForEcho('<p><at id="0">Megan Bowen</at> ok 😄</p>')).toBe(normaliseForEcho('<p><at id="0"><span>Megan Bowen</span></at> ok <emoji id="smile" alt="😄" title="Smile"></emoji></p>'));
    expect(normaliseForEcho('<at id="0">Megan</at>')).toBe("@Megan");
  });
});

describe("findEcho", () => {
  it("finds my message with the same words after the send", () => {
    const echo = candidate("m2", '<div><p>Printer is <strong>back</strong> online now</p></div>');
    expect(findEcho(plain, [candidate("m1", "<p>other</p>"), echo], ME)).toBe(echo);
  });

  it("accepts an echo that looks up to two minutes older (clock skew), not more", () => {
    const justInside = candidate("m1", plain.html, { createdDateTime: new Date(Date.parse(SENT_AT) - CLOCK_SKEW_MS).toISOString() });
    const tooOld = candidate("m2", plain.html, { createdDateTime: new Date(Date.parse(SENT_AT) - CLOCK_SKEW_MS - 1000).toISOString() });
    expect(findEcho(plain, [justInside], ME)).toBe(justInside);
    expect(findEcho(plain, [tooOld], ME)).toBeUndefined();
  });

  it("ignores other people's messages, deleted ones and events", () => {
    expect(findEcho(plain, [candidate("m1", plain.html, { from: { id: "someone-else", displayName: "X" } })], ME)).toBeUndefined();
    expect(findEcho(plain, [candidate("m1", plain.html, { deletedDateTime: "2026-11-28T12:01:00Z" })], ME)).toBeUndefined();
    expect(findEcho(plain, [candidate("m1", plain.html, { kind: "event" })], ME)).toBeUndefined();
    expect(findEcho(plain, [candidate("m1", plain.html, { from: undefined })], ME)).toBeUndefined();
  });

  it("matches my id case-insensitively", () => {
    const echo = candidate("m1", plain.html, { from: { id: ME.toUpperCase(), displayName: "Me" } });
    expect(findEcho(plain, [echo], ME)).toBe(echo);
  });

  it("needs the same text", () => {
    expect(findEcho(plain, [candidate("m1", "<p>Printer is back online</p>")], ME)).toBeUndefined();
    expect(findEcho(plain, [candidate("m1", "<p>printer is back online now</p>")], ME)).toBeUndefined();
  });

  it("needs the same attachments, by id, whatever their case or braces", () => {
    const withFile = { html: `<p>see</p><attachment id="${file.attachmentId}"></attachment>`, files: [file], hostedCount: 0, sentAt: SENT_AT };
    const echo = candidate("m1", `<p>see</p><attachment id="${file.attachmentId.toLowerCase()}"></attachment>`, {
      attachments: [{ id: `{${file.attachmentId.toLowerCase()}}`, contentType: "reference", name: "report.pdf" }],
    });
    expect(findEcho(withFile, [echo], ME)).toBe(echo);
    expect(findEcho(withFile, [{ ...echo, attachments: [] }], ME)).toBeUndefined();
    expect(findEcho(withFile, [{ ...echo, attachments: [{ id: "other", contentType: "reference" }] }], ME)).toBeUndefined();
    expect(findEcho({ ...withFile, files: [] }, [echo], ME)).toBeUndefined();
  });

  it("needs the same number of inline images", () => {
    const out = { html: '<p>look <img src="../hostedContents/1/$value"></p>', files: [], hostedCount: 1, sentAt: SENT_AT };
    const echo = candidate("m1", '<p>look <img src="https://graph.microsoft.com/v1.0/chats/c1/messages/m1/hostedContents/aWQ9/$value"></p>');
    expect(findEcho(out, [echo], ME)).toBe(echo);
    expect(findEcho(out, [candidate("m2", "<p>look</p>")], ME)).toBeUndefined();
    expect(findEcho({ ...out, hostedCount: 2 }, [echo], ME)).toBeUndefined();
  });

  it("matches mentions however Teams wraps them", () => {
    const out = { html: '<p><at id="0">Megan Bowen</at> please check</p>', files: [], hostedCount: 0, sentAt: SENT_AT };
    const echo = candidate("m1", '<div><div><at id="0">Megan Bowen</at>&nbsp;please check</div></div>');
    expect(findEcho(out, [echo], ME)).toBe(echo);
  });

  it("never takes a message the chat already showed, and prefers the earliest match", () => {
    const earlier = candidate("m1", plain.html, { createdDateTime: "2026-11-28T11:59:30.000Z" });
    const later = candidate("m2", plain.html, { createdDateTime: "2026-11-28T12:00:10.000Z" });
    expect(findEcho(plain, [later, earlier], ME)).toBe(earlier);
    expect(findEcho(plain, [later, earlier], ME, new Set(["m1"]))).toBe(later);
  });

  it("finds nothing without a valid send time or my id", () => {
    const echo = candidate("m1", plain.html);
    expect(findEcho({ ...plain, sentAt: "soon" }, [echo], ME)).toBeUndefined();
    expect(findEcho(plain, [echo], "")).toBeUndefined();
    expect(findEcho(plain, [], ME)).toBeUndefined();
  });
});
