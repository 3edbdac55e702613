import { timingSafeEqual } from "node:crypto";
import type { Logger } from "./clock.js";
import type { RelayMode } from "./config.js";
import { DecryptError, type Decryptor, type EncryptedContent } from "./crypto.js";
import type { MembershipCache } from "./membership.js";
import type { Presence } from "./presence.js";
import type { Frame, Push } from "./push.js";
import { describe, type LifecycleEvent, type SubscriptionOwner } from "./subscriptions.js";
import type { ValidationTokenVerifier } from "./validationTokens.js";

export type DropReason =
  | "malformed"
  | "duplicate"
  | "clientState"
  | "unknownSubscription"
  | "noRecipient"
  | "validationToken"
  | "certificate"
  | "signature"
  | "decrypt";

export interface RelayStats {
  /** Change notifications received (items of `value`). */
  received: number;
  /** Notifications decrypted (each one past every check). */
  decrypted: number;
  /** Frames handed to Web PubSub (one per recipient). */
  delivered: number;
  pushFailed: number;
  dropped: Record<DropReason, number>;
  lifecycle: Record<LifecycleEvent | "dropped", number>;
  membershipUpdates: number;
}

export function createStats(): RelayStats {
  return {
    received: 0,
    decrypted: 0,
    delivered: 0,
    pushFailed: 0,
    dropped: {
      malformed: 0,
      duplicate: 0,
      clientState: 0,
      unknownSubscription: 0,
      noRecipient: 0,
      validationToken: 0,
      certificate: 0,
      signature: 0,
      decrypt: 0,
    },
    lifecycle: { reauthorizationRequired: 0, subscriptionRemoved: 0, missed: 0, dropped: 0 },
    membershipUpdates: 0,
  };
}

export interface PipelineDeps {
  mode: RelayMode;
  clientState: string;
  subscriptions: {
    lookup(subscriptionId: string): SubscriptionOwner | undefined;
    lifecycle(subscriptionId: string, event: LifecycleEvent): Promise<boolean>;
  };
  presence: Presence;
  membership?: MembershipCache;
  verifyValidationTokens: ValidationTokenVerifier;
  decryptor: Decryptor;
  push: Push;
  stats: RelayStats;
  log: Logger;
}

interface ChangeNotification {
  subscriptionId?: unknown;
  clientState?: unknown;
  changeType?: unknown;
  resource?: unknown;
  resourceData?: { id?: unknown };
  encryptedContent?: EncryptedContent;
  lifecycleEvent?: unknown;
}

const CHANGE_TYPES = new Set(["created", "updated", "deleted"]);
const LIFECYCLE_EVENTS = new Set(["reauthorizationRequired", "subscriptionRemoved", "missed"]);

/** `chats('19:…')/messages('…')` (or `chats/19:…/…`) → the chat id. */
export function chatIdFromResource(resource: unknown): string | undefined {
  if (typeof resource !== "string") return undefined;
  const match = /chats\('([^']+)'\)/i.exec(resource) ?? /chats\/([^/('"]+)/i.exec(resource);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}

function sameSecret(presented: unknown, expected: Buffer): boolean {
  if (typeof presented !== "string") return false;
  const p = Buffer.from(presented);
  return p.length === expected.length && timingSafeEqual(p, expected);
}

/**
 * One notification POST, after the 202: clientState → drop what no connected panel needs → validation tokens (once per
 * POST) → signature → decrypt → frames to the recipients. The costly steps come last, so traffic of users without an
 * open panel costs a map lookup.
 */
export function createNotificationPipeline(deps: PipelineDeps) {
  const expectedState = Buffer.from(deps.clientState);
  const { stats } = deps;
  // A notification can arrive more than once (Graph retries a delivery whose answer was late or lost): a repeat carries
  // the same encrypted content, so its signature identifies it before any costly step.
  const seen = new Set<string>();
  const SEEN_MAX = 20_000;
  const firstTime = (key: string): boolean => {
    if (seen.has(key)) return false;
    seen.add(key);
    if (seen.size > SEEN_MAX) seen.delete(seen.values().next().value as string);
    return true;
  };
  // Decryption is synchronous CPU work: let the event loop answer Graph's next POSTs in between.
  const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

  async function recipients(owner: SubscriptionOwner, chatId: string | undefined): Promise<string[]> {
    if (owner.kind === "user") return deps.presence.isConnected(owner.userId) ? [owner.userId] : [];
    // A membership change matters only for a chat whose members are cached (the cache itself is the "recipient").
    if (owner.kind === "tenantMembers") return chatId && deps.membership?.isCached(chatId) ? ["membership-cache"] : [];
    if (!chatId || !deps.membership || deps.presence.connectionCount === 0) return [];
    const members = await deps.membership.members(chatId);
    return [...members].filter((userId) => deps.presence.isConnected(userId));
  }

  async function send(userId: string, frame: Frame): Promise<void> {
    try {
      await deps.push.sendToUser(userId, frame);
      stats.delivered++;
    } catch (error) {
      stats.pushFailed++;
      deps.log.warn("push failed", { error: describe(error) });
    }
  }

  async function notifications(body: unknown): Promise<void> {
    const items = (body as { value?: unknown })?.value;
    if (!Array.isArray(items)) {
      stats.dropped.malformed++;
      return;
    }
    let tokensValid: Promise<boolean> | undefined;
    const validTokens = () => (tokensValid ??= deps.verifyValidationTokens((body as { validationTokens?: unknown }).validationTokens));

    for (const raw of items as ChangeNotification[]) {
      stats.received++;
      if (!raw || typeof raw !== "object" || typeof raw.subscriptionId !== "string") {
        stats.dropped.malformed++;
        continue;
      }
      // concepts/change-notifications-delivery-webhooks.md: compare clientState with the subscription's.
      if (!sameSecret(raw.clientState, expectedState)) {
        stats.dropped.clientState++;
        continue;
      }
      const owner = deps.subscriptions.lookup(raw.subscriptionId);
      if (!owner) {
        stats.dropped.unknownSubscription++;
        continue;
      }
      const signature = typeof raw.encryptedContent?.dataSignature === "string" ? raw.encryptedContent.dataSignature : `${String(raw.changeType)}|${String(raw.resource)}`;
      if (!firstTime(`${raw.subscriptionId}|${signature}`)) {
        stats.dropped.duplicate++;
        continue;
      }
      const changeType = typeof raw.changeType === "string" ? raw.changeType : "";
      const chatId = chatIdFromResource(raw.resource);
      if (!CHANGE_TYPES.has(changeType) || (owner.kind !== "user" && !chatId)) {
        stats.dropped.malformed++;
        continue;
      }
      let to: string[];
      try {
        to = await recipients(owner, chatId);
      } catch (error) {
        deps.log.warn("chat members unavailable", { error: describe(error) });
        to = [];
      }
      if (to.length === 0) {
        stats.dropped.noRecipient++;
        continue;
      }
      // concepts/change-notifications-with-resource-data.md, "How to validate": every validation token must pass.
      if (!(await validTokens())) {
        stats.dropped.validationToken++;
        continue;
      }
      let resource: Record<string, unknown> | undefined;
      if (raw.encryptedContent) {
        await breathe();
        try {
          resource = deps.decryptor.decrypt(raw.encryptedContent) as Record<string, unknown>;
          stats.decrypted++;
        } catch (error) {
          stats.dropped[error instanceof DecryptError ? error.reason : "decrypt"]++;
          continue;
        }
      } else if (changeType !== "deleted") {
        stats.dropped.decrypt++;
        continue;
      }

      if (owner.kind === "tenantMembers") {
        const userId = typeof resource?.userId === "string" ? resource.userId : undefined;
        if (changeType === "created" && userId) deps.membership?.added(chatId!, userId);
        else if (changeType === "deleted") deps.membership?.removed(chatId!, userId);
        stats.membershipUpdates++;
        continue;
      }
      const message = resource ?? { id: typeof raw.resourceData?.id === "string" ? raw.resourceData.id : undefined, chatId };
      const messageChatId = chatId ?? (typeof message.chatId === "string" ? message.chatId : undefined);
      if (!messageChatId) {
        stats.dropped.malformed++;
        continue;
      }
      const frame: Frame = {
        type: "message",
        chatId: messageChatId,
        changeType: changeType as "created" | "updated" | "deleted",
        message,
      };
      await Promise.all(to.map((userId) => send(userId, frame)));
    }
  }

  async function lifecycle(body: unknown): Promise<void> {
    const items = (body as { value?: unknown })?.value;
    if (!Array.isArray(items)) {
      stats.lifecycle.dropped++;
      return;
    }
    const tokens = (body as { validationTokens?: unknown }).validationTokens;
    // Lifecycle notifications of rich subscriptions may carry validation tokens; when they do, they must pass.
    const tokensOk = tokens === undefined ? true : await deps.verifyValidationTokens(tokens);
    for (const raw of items as ChangeNotification[]) {
      const event = raw?.lifecycleEvent;
      if (
        !tokensOk ||
        typeof raw?.subscriptionId !== "string" ||
        typeof event !== "string" ||
        !LIFECYCLE_EVENTS.has(event) ||
        !sameSecret(raw.clientState, expectedState)
      ) {
        stats.lifecycle.dropped++;
        continue;
      }
      try {
        const known = await deps.subscriptions.lifecycle(raw.subscriptionId, event as LifecycleEvent);
        if (known) stats.lifecycle[event as LifecycleEvent]++;
        else stats.lifecycle.dropped++;
      } catch (error) {
        deps.log.warn("lifecycle handling failed", { event, error: describe(error) });
      }
    }
  }

  return { notifications, lifecycle };
}
