import type { Clock, VisibilitySource } from "../../TeamsChatPanel/services/realtime/clock";
import type { FetchResponseLike, OnlineSource, WebSocketLike } from "../../TeamsChatPanel/services/realtime/relayClient";

/** A clock whose timers run only when the test advances it. */
export class FakeClock implements Clock {
  private t = Date.UTC(2026, 10, 28, 10, 0);
  private seq = 0;
  private timers = new Map<number, { at: number; fn: () => void; ms: number }>();
  /** Every delay asked for, in order. */
  delays: number[] = [];
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + ms, fn, ms });
    this.delays.push(ms);
    return id;
  };
  clearTimeout = (h: unknown) => void this.timers.delete(h as number);
  pending(): number {
    return this.timers.size;
  }
  /** Runs due timers in time order, letting promises settle between them. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      const next = [...this.timers.entries()].filter(([, x]) => x.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = next[1].at;
      next[1].fn();
      await settle();
    }
    this.t = end;
    await settle();
  }
}

export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

export class FakeSocket implements WebSocketLike {
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {}
  close(): void {
    this.closed = true;
  }
  open(): void {
    this.onopen?.({});
  }
  send(frame: unknown): void {
    this.onmessage?.({ data: typeof frame === "string" ? frame : JSON.stringify(frame) });
  }
  drop(): void {
    this.onclose?.({});
  }
}

export class FakeVisibility implements VisibilitySource {
  visible = true;
  private listeners = new Set<() => void>();
  isVisible = () => this.visible;
  subscribe(fn: () => void) {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  }
  set(visible: boolean) {
    this.visible = visible;
    for (const l of [...this.listeners]) l();
  }
  get count() {
    return this.listeners.size;
  }
}

export class FakeOnline implements OnlineSource {
  private listeners = new Set<() => void>();
  subscribe(fn: () => void) {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  }
  fire() {
    for (const l of [...this.listeners]) l();
  }
  get count() {
    return this.listeners.size;
  }
}

export function response(status: number, body?: unknown): FetchResponseLike {
  return { ok: status >= 200 && status < 300, status, json: async () => body };
}
