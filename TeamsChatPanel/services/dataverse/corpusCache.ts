/**
 * The resolved-case corpus is read once per browser session: kept in sessionStorage for a freshness window,
 * so opening a second case (a new panel instance) ranks at once without reading Dataverse again.
 */
import type { ResolvedCase } from "../../domain/suggestions/textModel";
import type { SuggestionReader } from "../ports";

/** How long a corpus read stays good: resolved cases change slowly. */
export const CORPUS_FRESH_MS = 4 * 60 * 60 * 1000;
/** Stored descriptions are cut: the start says what a case is about, and sessionStorage holds about 5 MB. */
const STORED_TEXT = 500;
const VERSION = 1;

interface Stored {
  v: number;
  at: number;
  /** [id, title, description, resolverId] */
  rows: Array<[string, string | null, string | null, string]>;
}

export interface CorpusStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The reader with resolvedCases served from the session cache; one read at a time per key. */
export class CachedSuggestionReader implements SuggestionReader {
  private pending = new Map<string, Promise<ResolvedCase[]>>();

  constructor(
    private readonly inner: SuggestionReader,
    private readonly storage: CorpusStorage | undefined,
    private readonly userId: string,
    private readonly now: () => number = () => Date.now(),
  ) {}

  private key(months: number, cap: number): string {
    return `tcp.suggest.corpus:${this.userId}:${months}:${cap}`;
  }

  private read(key: string): ResolvedCase[] | undefined {
    try {
      const raw = this.storage?.getItem(key);
      if (!raw) return undefined;
      const data = JSON.parse(raw) as Stored;
      if (data.v !== VERSION || this.now() - data.at > CORPUS_FRESH_MS || this.now() < data.at) return undefined;
      return data.rows.map(([id, title, description, resolverId]) => ({ id, title, description, resolverId }));
    } catch {
      return undefined;
    }
  }

  async resolvedCases(months: number, cap: number): Promise<ResolvedCase[]> {
    const key = this.key(months, cap);
    const cached = this.read(key);
    if (cached) return cached;
    let p = this.pending.get(key);
    if (!p) {
      p = this.inner.resolvedCases(months, cap).then((cases) => {
        const stored: Stored = { v: VERSION, at: this.now(), rows: cases.map((c) => [c.id, c.title ?? null, c.description ? c.description.slice(0, STORED_TEXT) : null, c.resolverId]) };
        try {
          this.storage?.setItem(key, JSON.stringify(stored));
        } catch {
          // Storage full or blocked: this panel still has the corpus; the next one reads it again.
        }
        return cases;
      });
      p.then(
        () => this.pending.delete(key),
        () => this.pending.delete(key),
      );
      this.pending.set(key, p);
    }
    return p;
  }

  relatedPeople: SuggestionReader["relatedPeople"] = (record, rules, owners) => this.inner.relatedPeople(record, rules, owners);
  users: SuggestionReader["users"] = (ids) => this.inner.users(ids);
  recordText: SuggestionReader["recordText"] = (record) => this.inner.recordText(record);
  canCustomize: SuggestionReader["canCustomize"] = () => this.inner.canCustomize();
}
