/** The subset of fetch the relay uses (tests inject stubs). */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** Seconds from a `Retry-After` header (delta-seconds or HTTP date), or undefined. */
export function retryAfterSeconds(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(header);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}
