import type { Clock, Logger } from "./clock.js";
import type { RelayMode } from "./config.js";
import { EntraError, type TokenProvider } from "./entra.js";
import { GraphError, type GraphClient, type NewSubscription } from "./graph.js";
import type { Presence } from "./presence.js";
import type { Frame, Push } from "./push.js";

/**
 * Lifetime asked for each subscription. api-reference/v1.0/resources/subscription.md, "Maximum length of subscription
 * per resource type": Teams chatMessage 60 minutes; asking for a little less leaves room for clock skew. Subscriptions
 * longer than an hour would need `lifecycleNotificationUrl`; the relay always sets it anyway, since `missed` and
 * `subscriptionRemoved` arrive only there (concepts/change-notifications-lifecycle-events.md).
 */
export const SUBSCRIPTION_LIFETIME_MS = 55 * 60_000;
/** Renewal is due this long before expiry. */
export const RENEW_BEFORE_MS = 10 * 60_000;
/** Retry delay after a failure Graph gave no Retry-After for. */
export const RETRY_MS = 60_000;

export type SubscriptionOwner =
  | { kind: "user"; userId: string }
  | { kind: "tenantMessages" }
  | { kind: "tenantMembers" };

export type LifecycleEvent = "reauthorizationRequired" | "subscriptionRemoved" | "missed";

export class SubscriptionError extends Error {
  constructor(
    readonly code: "subscriptionFailed" | "quotaExceeded",
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "SubscriptionError";
  }
}

export interface SubscriptionManagerOptions {
  mode: RelayMode;
  /** Notifications of this resource may have been lost (`missed`, or the subscription was removed). */
  onGap?: (resource: string) => void;
  graph: GraphClient;
  tokens: TokenProvider;
  push: Push;
  presence: Presence;
  clock: Clock;
  log: Logger;
  notificationUrl: string;
  lifecycleNotificationUrl: string;
  clientState: string;
  /** base64 DER of the notification certificate. */
  encryptionCertificate: string;
  encryptionCertificateId: string;
  graceMinutes: number;
}

interface Managed {
  key: string;
  owner: SubscriptionOwner;
  resource: string;
  changeType: string;
  id?: string;
  expiresAt: number;
  renewTimer?: unknown;
  graceTimer?: unknown;
  /** Per user: the latest negotiate token, the OBO assertion. */
  assertion?: string;
  /** Per user: the OBO exchange failed; the user's panels were asked to negotiate again. */
  needsNegotiate?: boolean;
  queue: Promise<unknown>;
  removed?: boolean;
}

export interface SubscriptionState {
  mode: RelayMode;
  userSubscriptions: number;
  usersInGrace: number;
  usersNeedingNegotiate: number;
  tenant: { resource: string; active: boolean; expiresAt?: string }[];
}

const TENANT_MESSAGES = "tenant:messages";
const TENANT_MEMBERS = "tenant:members";

function normalizeResource(resource: string): string {
  return resource.replace(/^\/+/, "").toLowerCase();
}

/**
 * Keeps the Graph subscriptions the relay needs.
 *
 * Per-user mode is the default because it needs only the delegated Chat.Read the panel already has: the tenant-wide
 * `/chats/getAllMessages` needs the application permission Chat.Read.All (every chat of the organisation) and is a
 * protected API Microsoft must approve first (concepts/teams-changenotifications-chatmessage.md). Per-user
 * subscriptions count against Graph's quotas (10 per user, 10,000 chat-message subscriptions per tenant), so a user
 * has one only while a panel of theirs is open, plus a grace period after the last one closes.
 */
export class SubscriptionManager {
  private readonly byKey = new Map<string, Managed>();
  private readonly byId = new Map<string, Managed>();
  private tenantRetry?: unknown;
  private stopped = false;

  constructor(private readonly o: SubscriptionManagerOptions) {
    o.presence.onChange((userId, online) => this.presenceChanged(userId, online));
  }

  /** Per-user mode, on negotiate: make sure the user's subscription exists and lasts (create, adopt or renew). */
  async ensureForUser(userId: string, assertion: string): Promise<void> {
    let m = this.byKey.get(userId);
    if (!m) {
      m = {
        key: userId,
        owner: { kind: "user", userId },
        resource: `/users/${userId}/chats/getAllMessages`,
        changeType: "created,updated,deleted",
        expiresAt: 0,
        queue: Promise.resolve(),
      };
      this.byKey.set(userId, m);
    }
    m.assertion = assertion;
    m.needsNegotiate = false;
    if (!this.o.presence.isConnected(userId)) this.startGrace(m);
    const managed = m;
    try {
      await this.serial(managed, async () => {
        if (managed.id && managed.expiresAt - this.o.clock.now() > RENEW_BEFORE_MS) return;
        if (managed.id) {
          await this.renewOrRecreate(managed);
        } else {
          await this.adoptOrCreate(managed);
        }
        this.schedule(managed);
      });
    } catch (error) {
      throw this.toSubscriptionError(error);
    }
  }

  /** Tenant mode: the tenant-wide message and membership subscriptions exist. */
  async ensureTenant(): Promise<void> {
    const specs: [string, SubscriptionOwner, string, string][] = [
      [TENANT_MESSAGES, { kind: "tenantMessages" }, "/chats/getAllMessages", "created,updated,deleted"],
      [TENANT_MEMBERS, { kind: "tenantMembers" }, "/chats/getAllMembers", "created,deleted"],
    ];
    try {
      await Promise.all(
        specs.map(async ([key, owner, resource, changeType]) => {
          let m = this.byKey.get(key);
          if (!m) {
            m = { key, owner, resource, changeType, expiresAt: 0, queue: Promise.resolve() };
            this.byKey.set(key, m);
          }
          const managed = m;
          await this.serial(managed, async () => {
            if (managed.id) return;
            await this.adoptOrCreate(managed);
            this.schedule(managed);
          });
        }),
      );
    } catch (error) {
      this.o.log.warn("tenant subscriptions not ready; retrying", { error: describe(error) });
      this.scheduleTenantRetry(error);
      throw this.toSubscriptionError(error);
    }
  }

  lookup(subscriptionId: string): SubscriptionOwner | undefined {
    return this.byId.get(subscriptionId)?.owner;
  }

  /** Users a notification of this subscription may go to, before membership filtering. */
  isUserWanted(userId: string): boolean {
    return this.o.presence.isConnected(userId);
  }

  async lifecycle(subscriptionId: string, event: LifecycleEvent): Promise<boolean> {
    const m = this.byId.get(subscriptionId);
    if (!m) return false;
    this.o.log.info("lifecycle event", { event, owner: m.owner.kind });
    switch (event) {
      case "reauthorizationRequired":
        // concepts/change-notifications-lifecycle-events.md: renewing (PATCH expirationDateTime) reauthorizes.
        await this.serial(m, () => this.renewal(m));
        break;
      case "subscriptionRemoved":
        this.o.onGap?.(m.resource);
        this.byId.delete(subscriptionId);
        m.id = undefined;
        if (m.owner.kind === "user" && !this.wanted(m)) {
          this.forget(m);
          break;
        }
        await this.serial(m, async () => {
          try {
            await this.create(m);
            this.schedule(m);
          } catch (error) {
            this.failed(m, error);
          }
        });
        await this.notify(m, { type: "resync", reason: "removed" });
        break;
      case "missed":
        this.o.onGap?.(m.resource);
        await this.notify(m, { type: "resync", reason: "missed" });
        break;
    }
    return true;
  }

  state(): SubscriptionState {
    const users = [...this.byKey.values()].filter((m) => m.owner.kind === "user");
    return {
      mode: this.o.mode,
      userSubscriptions: users.filter((m) => m.id).length,
      usersInGrace: users.filter((m) => m.graceTimer !== undefined).length,
      usersNeedingNegotiate: users.filter((m) => m.needsNegotiate).length,
      tenant: [...this.byKey.values()]
        .filter((m) => m.owner.kind !== "user")
        .map((m) => ({
          resource: m.resource,
          active: m.id !== undefined,
          expiresAt: m.id ? new Date(m.expiresAt).toISOString() : undefined,
        })),
    };
  }

  /** Stops timers; per-user subscriptions are left to lapse (Graph expires them within the hour). */
  stop(): void {
    this.stopped = true;
    for (const m of this.byKey.values()) {
      this.o.clock.clearTimeout(m.renewTimer);
      this.o.clock.clearTimeout(m.graceTimer);
    }
    this.o.clock.clearTimeout(this.tenantRetry);
  }

  // ---- internals ----

  private wanted(m: Managed): boolean {
    if (m.owner.kind !== "user") return true;
    return this.o.presence.isConnected(m.owner.userId) || m.graceTimer !== undefined;
  }

  private async token(m: Managed): Promise<string> {
    if (m.owner.kind !== "user") return this.o.tokens.appToken();
    if (!m.assertion) throw new EntraError(400, "invalid_grant", "no negotiate token for this user");
    return this.o.tokens.userToken(m.owner.userId, m.assertion);
  }

  private body(m: Managed): NewSubscription {
    return {
      resource: m.resource,
      changeType: m.changeType,
      notificationUrl: this.o.notificationUrl,
      lifecycleNotificationUrl: this.o.lifecycleNotificationUrl,
      expirationDateTime: new Date(this.o.clock.now() + SUBSCRIPTION_LIFETIME_MS).toISOString(),
      clientState: this.o.clientState,
      includeResourceData: true,
      encryptionCertificate: this.o.encryptionCertificate,
      encryptionCertificateId: this.o.encryptionCertificateId,
    };
  }

  private track(m: Managed, id: string, expirationDateTime: string): void {
    if (m.id && m.id !== id) this.byId.delete(m.id);
    m.id = id;
    const parsed = Date.parse(expirationDateTime);
    m.expiresAt = Number.isNaN(parsed) ? this.o.clock.now() + SUBSCRIPTION_LIFETIME_MS : parsed;
    this.byId.set(id, m);
  }

  private async create(m: Managed): Promise<void> {
    const token = await this.token(m);
    const created = await this.o.graph.createSubscription(token, this.body(m));
    this.track(m, created.id, created.expirationDateTime);
    this.o.log.info("subscription created", { owner: m.owner.kind, subscriptionId: created.id });
  }

  /** After a restart the relay's earlier subscription may still exist: reuse it rather than spend quota on a twin. */
  private async adoptOrCreate(m: Managed): Promise<void> {
    const token = await this.token(m);
    try {
      const existing = (await this.o.graph.listSubscriptions(token)).find(
        (s) => normalizeResource(s.resource) === normalizeResource(m.resource) && s.notificationUrl === this.o.notificationUrl,
      );
      if (existing) {
        const renewed = await this.o.graph.renewSubscription(token, existing.id, this.body(m).expirationDateTime);
        this.track(m, renewed.id ?? existing.id, renewed.expirationDateTime);
        this.o.log.info("subscription adopted", { owner: m.owner.kind, subscriptionId: existing.id });
        return;
      }
    } catch (error) {
      if (error instanceof GraphError && error.throttled) throw error;
      // Listing is an optimisation; creating still works.
    }
    await this.create(m);
  }

  private async renewOrRecreate(m: Managed): Promise<void> {
    const token = await this.token(m);
    try {
      const renewed = await this.o.graph.renewSubscription(token, m.id!, this.body(m).expirationDateTime);
      this.track(m, m.id!, renewed.expirationDateTime);
    } catch (error) {
      if (!(error instanceof GraphError) || error.status !== 404) throw error;
      // Gone (expired or removed): a new one, and the panels read once what they may have missed.
      if (m.id) this.byId.delete(m.id);
      m.id = undefined;
      await this.create(m);
      await this.notify(m, { type: "resync", reason: "subscribed" });
    }
  }

  /** A timer-driven (or reauthorizationRequired) renewal; never throws. */
  private async renewal(m: Managed): Promise<void> {
    if (this.stopped || m.removed) return;
    if (!this.wanted(m)) return;
    try {
      if (m.id) await this.renewOrRecreate(m);
      else await this.create(m);
      this.schedule(m);
    } catch (error) {
      this.failed(m, error);
    }
  }

  private failed(m: Managed, error: unknown): void {
    if (error instanceof EntraError && error.needsUser && m.owner.kind === "user") {
      // The negotiate token can't be exchanged any more: only the panel can get a fresh one.
      m.needsNegotiate = true;
      this.o.tokens.forgetUser(m.owner.userId);
      this.o.log.warn("user token expired; asking the panels to negotiate", { error: describe(error) });
      void this.notify(m, { type: "renew" });
      return;
    }
    const retryAfter =
      (error instanceof GraphError || error instanceof EntraError) && error.retryAfterSeconds !== undefined
        ? error.retryAfterSeconds * 1000
        : RETRY_MS;
    this.o.log.warn("subscription renewal failed; retrying", { owner: m.owner.kind, error: describe(error), retryInMs: retryAfter });
    this.scheduleAt(m, this.o.clock.now() + retryAfter);
  }

  private schedule(m: Managed): void {
    this.scheduleAt(m, m.expiresAt - RENEW_BEFORE_MS);
  }

  private scheduleAt(m: Managed, at: number): void {
    if (this.stopped) return;
    this.o.clock.clearTimeout(m.renewTimer);
    m.renewTimer = this.o.clock.setTimeout(
      () => {
        m.renewTimer = undefined;
        void this.serial(m, () => this.renewal(m));
      },
      Math.max(0, at - this.o.clock.now()),
    );
  }

  private scheduleTenantRetry(error: unknown): void {
    if (this.stopped || this.tenantRetry !== undefined) return;
    const delay =
      error instanceof GraphError && error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : RETRY_MS;
    this.tenantRetry = this.o.clock.setTimeout(() => {
      this.tenantRetry = undefined;
      this.ensureTenant().catch(() => {});
    }, delay);
  }

  private presenceChanged(userId: string, online: boolean): void {
    const m = this.byKey.get(userId);
    if (!m) return;
    if (online) {
      this.o.clock.clearTimeout(m.graceTimer);
      m.graceTimer = undefined;
    } else {
      this.startGrace(m);
    }
  }

  private startGrace(m: Managed): void {
    this.o.clock.clearTimeout(m.graceTimer);
    m.graceTimer = this.o.clock.setTimeout(() => {
      m.graceTimer = undefined;
      if (m.owner.kind === "user" && this.o.presence.isConnected(m.owner.userId)) return;
      void this.serial(m, () => this.endSubscription(m));
    }, this.o.graceMinutes * 60_000);
  }

  /** Grace over: delete the user's subscription (if that fails it lapses within the hour). */
  private async endSubscription(m: Managed): Promise<void> {
    if (m.owner.kind !== "user" || this.o.presence.isConnected(m.owner.userId) || m.graceTimer !== undefined) return;
    const id = m.id;
    this.forget(m);
    if (!id) return;
    try {
      const token = await this.token(m);
      await this.o.graph.deleteSubscription(token, id);
      this.o.log.info("subscription deleted after grace", { subscriptionId: id });
    } catch (error) {
      this.o.log.info("subscription left to lapse", { subscriptionId: id, error: describe(error) });
    }
    this.o.tokens.forgetUser(m.owner.userId);
  }

  private forget(m: Managed): void {
    m.removed = true;
    this.o.clock.clearTimeout(m.renewTimer);
    this.o.clock.clearTimeout(m.graceTimer);
    m.renewTimer = m.graceTimer = undefined;
    if (m.id) this.byId.delete(m.id);
    if (this.byKey.get(m.key) === m) this.byKey.delete(m.key);
  }

  private async notify(m: Managed, frame: Frame): Promise<void> {
    const users = m.owner.kind === "user" ? [m.owner.userId] : this.o.presence.connectedUsers();
    await Promise.all(
      users.map((userId) =>
        this.o.push.sendToUser(userId, frame).catch((error: unknown) => {
          this.o.log.warn("push failed", { frame: frame.type, error: describe(error) });
        }),
      ),
    );
  }

  /** One Graph operation at a time per subscription. */
  private serial<T>(m: Managed, op: () => Promise<T>): Promise<T> {
    const next = m.queue.then(op, op);
    m.queue = next.catch(() => {});
    return next;
  }

  private toSubscriptionError(error: unknown): SubscriptionError {
    if (error instanceof SubscriptionError) return error;
    if (error instanceof GraphError) {
      if (error.status === 403 && /quota|limit|exceed/i.test(`${error.code} ${error.message}`)) {
        return new SubscriptionError("quotaExceeded", "Graph's subscription quota is reached", error.retryAfterSeconds);
      }
      return new SubscriptionError("subscriptionFailed", `Graph refused the subscription (${error.status} ${error.code})`, error.retryAfterSeconds);
    }
    if (error instanceof EntraError) {
      return new SubscriptionError("subscriptionFailed", `token exchange failed (${error.code})`, error.retryAfterSeconds);
    }
    return new SubscriptionError("subscriptionFailed", "subscription could not be created");
  }
}

export function describe(error: unknown): string {
  if (error instanceof GraphError) return `graph ${error.status} ${error.code}`;
  if (error instanceof EntraError) return `entra ${error.status} ${error.code}`;
  return error instanceof Error ? error.name : "error";
}
