import { CORPUS_FRESH_MS, CachedSuggestionReader } from "../../../TeamsChatPanel/services/dataverse/corpusCache";
import type { SuggestionReader } from "../../../TeamsChatPanel/services/ports";

function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
}

function inner() {
  let reads = 0;
  const r: SuggestionReader = {
    resolvedCases: async () => {
      reads++;
      return [{ id: "1", title: "Printer offline", description: "x".repeat(3000), resolverId: "u1" }];
    },
    relatedPeople: async () => ({ people: [], skipped: [] }),
    users: async () => [],
    recordText: async () => null,
    canCustomize: async () => false,
  };
  return { r, reads: () => reads };
}

describe("corpus cache", () => {
  it("reads the corpus once per session: a second panel (new instance) uses the stored copy", async () => {
    const storage = memoryStorage();
    const a = inner();
    let now = 1_000_000;
    const first = new CachedSuggestionReader(a.r, storage, "me", () => now);
    const second = new CachedSuggestionReader(a.r, storage, "me", () => now);
    await first.resolvedCases(12, 5000);
    const again = await second.resolvedCases(12, 5000);
    expect(a.reads()).toBe(1);
    expect(again[0]).toMatchObject({ id: "1", title: "Printer offline", resolverId: "u1" });
    expect(again[0].description!.length).toBeLessThanOrEqual(500);
    now += CORPUS_FRESH_MS + 1;
    await second.resolvedCases(12, 5000);
    expect(a.reads()).toBe(2);
  });

  it("shares one read between simultaneous requests and keeps working when storage refuses", async () => {
    const a = inner();
    const full = { getItem: () => null, setItem: () => { throw new Error("QuotaExceededError"); } };
    const c = new CachedSuggestionReader(a.r, full, "me");
    const [x, y] = await Promise.all([c.resolvedCases(12, 5000), c.resolvedCases(12, 5000)]);
    expect(a.reads()).toBe(1);
    expect(x).toBe(y);
  });

  it("keeps users and window sizes apart", async () => {
    const storage = memoryStorage();
    const a = inner();
    await new CachedSuggestionReader(a.r, storage, "me", () => 1).resolvedCases(12, 5000);
    await new CachedSuggestionReader(a.r, storage, "other", () => 1).resolvedCases(12, 5000);
    await new CachedSuggestionReader(a.r, storage, "me", () => 1).resolvedCases(6, 5000);
    expect(a.reads()).toBe(3);
  });
});
