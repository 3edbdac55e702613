/** Time and visibility as ports, so live updates can be tested with a fake clock and benchmarked faster than real time. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** Runs `factor` times faster than real time (the benchmark simulates an hour in a minute). */
export function scaledClock(factor: number, base: Clock = realClock): Clock {
  const start = base.now();
  return {
    now: () => start + (base.now() - start) * factor,
    setTimeout: (fn, ms) => base.setTimeout(fn, ms / factor),
    clearTimeout: (h) => base.clearTimeout(h),
  };
}

export interface VisibilitySource {
  isVisible(): boolean;
  subscribe(onChange: () => void): () => void;
}

/** The page's visibility (Page Visibility API); always visible where there is no document. */
export function documentVisibility(doc: Document | undefined = typeof document !== "undefined" ? document : undefined): VisibilitySource {
  return {
    isVisible: () => !doc || doc.visibilityState !== "hidden",
    subscribe(onChange) {
      if (!doc) return () => undefined;
      doc.addEventListener("visibilitychange", onChange);
      return () => doc.removeEventListener("visibilitychange", onChange);
    },
  };
}
