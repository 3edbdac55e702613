import type { Clock } from "./clock.js";

export interface MembershipOptions {
  /** `GET /chats/{id}/members` with the app token. */
  fetchMembers(chatId: string): Promise<string[]>;
  clock: Clock;
  ttlMs?: number;
  maxChats?: number;
}

interface Entry {
  members: Set<string>;
  expiresAt: number;
}

/**
 * Tenant mode: chat → member user ids, filled on first need, kept current by `/chats/getAllMembers` notifications.
 * Because those notifications keep it current, an entry lives long (6 hours): the Graph reads then grow with the
 * number of chats active in a day, not with the message rate, which matters since a tenant-wide subscription brings
 * every chat of the organisation (test/bench/tenant.ts). A `missed` membership notification clears it all.
 */
export class MembershipCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<Set<string>>>();
  private readonly ttlMs: number;
  private readonly maxChats: number;

  constructor(private readonly options: MembershipOptions) {
    this.ttlMs = options.ttlMs ?? 6 * 3_600_000;
    this.maxChats = options.maxChats ?? 100_000;
  }

  async members(chatId: string): Promise<ReadonlySet<string>> {
    const entry = this.entries.get(chatId);
    if (entry && entry.expiresAt > this.options.clock.now()) return entry.members;
    let pending = this.pending.get(chatId);
    if (!pending) {
      pending = this.options
        .fetchMembers(chatId)
        .then((ids) => {
          const members = new Set(ids);
          this.store(chatId, members);
          return members;
        })
        .finally(() => this.pending.delete(chatId));
      this.pending.set(chatId, pending);
    }
    return pending;
  }

  isCached(chatId: string): boolean {
    const entry = this.entries.get(chatId);
    return entry !== undefined && entry.expiresAt > this.options.clock.now();
  }

  added(chatId: string, userId: string): void {
    this.entries.get(chatId)?.members.add(userId);
  }

  removed(chatId: string, userId: string | undefined): void {
    if (userId === undefined) {
      this.entries.delete(chatId);
      return;
    }
    this.entries.get(chatId)?.members.delete(userId);
  }

  /** Membership notifications may have been lost: read each chat's members again when next needed. */
  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private store(chatId: string, members: Set<string>): void {
    this.entries.delete(chatId);
    if (this.entries.size >= this.maxChats) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(chatId, { members, expiresAt: this.options.clock.now() + this.ttlMs });
  }
}
