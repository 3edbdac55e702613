import { createHmac, timingSafeEqual } from "node:crypto";

export type PresenceListener = (userId: string, online: boolean) => void;

/** Who has a panel connected, fed by Web PubSub's `connected` / `disconnected` system events (keyed by connectionId). */
export class Presence {
  private readonly byConnection = new Map<string, string>();
  private readonly counts = new Map<string, number>();
  private readonly listeners: PresenceListener[] = [];

  onChange(listener: PresenceListener): void {
    this.listeners.push(listener);
  }

  connected(connectionId: string, userId: string): void {
    if (this.byConnection.has(connectionId)) return;
    this.byConnection.set(connectionId, userId);
    const count = (this.counts.get(userId) ?? 0) + 1;
    this.counts.set(userId, count);
    if (count === 1) for (const listener of this.listeners) listener(userId, true);
  }

  disconnected(connectionId: string): void {
    const userId = this.byConnection.get(connectionId);
    if (userId === undefined) return;
    this.byConnection.delete(connectionId);
    const count = (this.counts.get(userId) ?? 1) - 1;
    if (count > 0) {
      this.counts.set(userId, count);
      return;
    }
    this.counts.delete(userId);
    for (const listener of this.listeners) listener(userId, false);
  }

  isConnected(userId: string): boolean {
    return this.counts.has(userId);
  }

  connectedUsers(): string[] {
    return [...this.counts.keys()];
  }

  get connectionCount(): number {
    return this.byConnection.size;
  }
}

/**
 * Checks `ce-signature` of a Web PubSub CloudEvents request: a comma list of `sha256=<hex HMAC-SHA256 of the
 * connectionId with an access key>` (one per key, so key rotation keeps working); any match passes.
 */
export function verifyWebPubSubSignature(connectionId: string, header: string | undefined, accessKeys: string[]): boolean {
  if (!header || !connectionId) return false;
  const presented = header
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.startsWith("sha256="))
    .map((s) => Buffer.from(s.slice(7), "hex"));
  return accessKeys.some((key) => {
    if (!key) return false;
    const expected = createHmac("sha256", key).update(connectionId).digest();
    return presented.some((p) => p.length === expected.length && timingSafeEqual(p, expected));
  });
}

/** Header a Web PubSub CloudEvents request carries, for tests and the local stand-in. */
export function webPubSubSignature(connectionId: string, accessKey: string): string {
  return `sha256=${createHmac("sha256", accessKey).update(connectionId).digest("hex")}`;
}
