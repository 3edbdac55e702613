/**
 * Injected faults: latency, throttling and failures per route, so tests can
 * prove a client's retry/backoff behaviour against the services' real error bodies.
 */
import { randomUUID } from "node:crypto";

export type Service = "graph" | "dataverse";

export interface FaultSpec {
  service?: Service;
  method?: string;
  /**
   * Regex source, matched against the full request path + query (e.g. "/graph/v1.0/me/chats?$top=50").
   * OneDrive upload-session URLs count as service "graph" with the path "/upload/{token}".
   */
  path: string;
  status?: number;
  retryAfter?: number;
  latencyMs?: number;
  /** How many matching requests the fault applies to; absent = unlimited. */
  times?: number;
  /** Replaces the service's own error body. */
  body?: unknown;
}

export interface Fault extends FaultSpec {
  id: string;
  regex: RegExp;
  remaining: number | null;
  hits: number;
}

export class FaultRegistry {
  private faults: Fault[] = [];

  add(spec: FaultSpec): Fault {
    if (typeof spec.path !== "string") throw new Error("path (a regular expression string) is required");
    const regex = new RegExp(spec.path);
    if (spec.status !== undefined && (!Number.isInteger(spec.status) || spec.status < 100 || spec.status > 599)) {
      throw new Error("status must be an HTTP status code");
    }
    if (spec.times !== undefined && (!Number.isInteger(spec.times) || spec.times < 1)) throw new Error("times must be a positive integer");
    const f: Fault = { ...spec, id: randomUUID(), regex, remaining: spec.times ?? null, hits: 0 };
    this.faults.push(f);
    return f;
  }

  /**
   * Teams' per-team/channel limit (at most 4 requests per second on one team or channel, the Teams throttling
   * section of the Graph throttling-limits page), off unless a test turns it on: the demo should not throttle.
   */
  teamLimitPerSecond: number | null = null;
  private readonly teamHits = new Map<string, number[]>();

  /** Counts one request on a team or channel; the seconds to wait when it is over the limit, else null. */
  teamRequest(key: string, nowMs: number): number | null {
    if (this.teamLimitPerSecond === null) return null;
    const recent = (this.teamHits.get(key) ?? []).filter((t) => nowMs - t < 1000);
    if (recent.length >= this.teamLimitPerSecond) {
      this.teamHits.set(key, recent);
      return Math.max(1, Math.ceil((1000 - (nowMs - recent[0])) / 1000));
    }
    recent.push(nowMs);
    this.teamHits.set(key, recent);
    return null;
  }

  clear(): void {
    this.faults = [];
    this.teamLimitPerSecond = null;
    this.teamHits.clear();
  }

  list(): Omit<Fault, "regex">[] {
    return this.faults.map(({ regex: _r, ...rest }) => rest);
  }

  /** First matching fault, consumed once (removed when its count runs out). */
  take(service: Service, method: string, pathAndQuery: string): Fault | undefined {
    let decoded = pathAndQuery;
    try {
      decoded = decodeURIComponent(pathAndQuery);
    } catch {
      // keep raw
    }
    for (const f of this.faults) {
      if (f.service && f.service !== service) continue;
      if (f.method && f.method.toUpperCase() !== method.toUpperCase()) continue;
      if (!f.regex.test(pathAndQuery) && !f.regex.test(decoded)) continue;
      f.hits++;
      if (f.remaining !== null) {
        f.remaining--;
        if (f.remaining <= 0) this.faults = this.faults.filter((x) => x !== f);
      }
      return f;
    }
    return undefined;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
