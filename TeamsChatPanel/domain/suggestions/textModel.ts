/**
 * Similar solved cases: a TF-IDF cosine model over resolved cases, small enough to explain on hover.
 * Each case is a bag of stemmed words (title counted twice: titles say what the case is about);
 * a word's weight is its count damped by log and multiplied by its rarity across the corpus (idf).
 * The similarity of two cases is the cosine of their weight vectors: 0 % means no shared word that
 * matters, 100 % the same words in the same proportions. That number is what the panel shows, so the
 * percentage means the same thing on every record. Written here rather than with a search library to
 * keep the bundle small and the score explainable term by term.
 */
import { decodeEntities, foldForSearch } from "../text";

/** Descriptions are cut here: the first part says what the case is about, and ranking stays fast. */
export const MAX_TEXT = 4000;

const STOP = new Set(
  ("a about above after again against all also am an and any are as at be because been before being below between both but by " +
    "can cannot could did do does doing down during each few for from further had has have having he her here hers him his how i if " +
    "in into is it its itself just me more most my no nor not now of off on once only or other our ours out over own same she should " +
    "so some such than that the their theirs them then there these they this those through to too under until up very via was we were " +
    "what when where which while who whom why will with would you your yours hi hello thanks thank please regards dear customer " +
    "case issue problem reported since every still again get got also one two new")
    .split(" "),
);

/** A light English stemmer (plural, -ing, -ed, -ly, -ment) so "printers", "printing" and "printed" meet. */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3 || /\d/.test(w)) return w;
  if (w.endsWith("ies") && w.length > 4) w = w.slice(0, -3) + "y";
  else if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is")) w = w.slice(0, -1);
  for (const suffix of ["ingly", "edly", "ing", "ed", "ly", "ment"]) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3) {
      w = w.slice(0, -suffix.length);
      // "jammed" -> "jamm" -> "jam"; "updated" -> "updat" stays, as does its sibling "update" -> "updat".
      if (/([b-df-hj-np-tv-z])\1$/.test(w) && !/(ll|ss|zz)$/.test(w)) w = w.slice(0, -1);
      break;
    }
  }
  if (w.endsWith("e") && w.length > 4) w = w.slice(0, -1);
  return w;
}

/** The plain, folded words worth comparing: HTML removed, entities decoded, stop words and bare numbers dropped, long text cut. */
function words(text: string | null | undefined): string[] {
  if (!text) return [];
  const plain = decodeEntities(text.slice(0, MAX_TEXT * 2).replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ").replace(/<[^>]*>/g, " ")).slice(0, MAX_TEXT);
  return foldForSearch(plain)
    .split(/[^a-z0-9]+/)
    .filter((raw) => raw.length >= 2 && !STOP.has(raw) && !/^\d+$/.test(raw));
}

/** Stemmed words of a title or description. */
export function tokenize(text: string | null | undefined): string[] {
  return words(text).map(stem);
}

export interface CaseText {
  title: string | null | undefined;
  description: string | null | undefined;
}

export interface ResolvedCase extends CaseText {
  id: string;
  /** Who resolved it: systemuser id. */
  resolverId: string;
  resolvedOn?: string;
}

type Vector = Map<string, number>;

interface Doc {
  c: ResolvedCase;
  vector: Vector;
}

export interface TextModel {
  docs: Doc[];
  idf: Map<string, number>;
  /** term -> the docs that hold it and its weight in each: ranking touches only cases sharing a word with the query. */
  postings: Map<string, { docs: number[]; weights: number[] }>;
  /** Display form of a stem (the first word seen for it), for explanations. */
  surface: Map<string, string>;
}

function counts(text: CaseText, surface?: Map<string, string>, stems?: Map<string, string>): Map<string, number> {
  const tf = new Map<string, number>();
  const add = (t: string | null | undefined, weight: number) => {
    for (const raw of words(t)) {
      // Building a model stems the same words thousands of times: remember them.
      let term = stems?.get(raw);
      if (term === undefined) {
        term = stem(raw);
        stems?.set(raw, term);
      }
      if (surface && !surface.has(term)) surface.set(term, raw);
      tf.set(term, (tf.get(term) ?? 0) + weight);
    }
  };
  add(text.title, 2);
  add(text.description, 1);
  return tf;
}

function weigh(tf: Map<string, number>, idf: Map<string, number>): Vector {
  const v: Vector = new Map();
  let norm = 0;
  for (const [term, n] of tf) {
    const w = (1 + Math.log(n)) * (idf.get(term) ?? 0);
    if (w > 0) {
      v.set(term, w);
      norm += w * w;
    }
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [term, w] of v) v.set(term, w / norm);
  return v;
}

export function buildModel(cases: ResolvedCase[]): TextModel {
  const surface = new Map<string, string>();
  const stems = new Map<string, string>();
  const tfs = cases.map((c) => counts(c, surface, stems));
  const df = new Map<string, number>();
  for (const tf of tfs) for (const term of tf.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  const idf = new Map<string, number>();
  const n = cases.length;
  for (const [term, d] of df) idf.set(term, Math.log((n + 1) / (d + 0.5)));
  const docs = cases.map((c, i) => ({ c, vector: weigh(tfs[i], idf) }));
  const postings = new Map<string, { docs: number[]; weights: number[] }>();
  docs.forEach((d, i) => {
    for (const [term, w] of d.vector) {
      let list = postings.get(term);
      if (!list) postings.set(term, (list = { docs: [], weights: [] }));
      list.docs.push(i);
      list.weights.push(w);
    }
  });
  return { docs, idf, postings, surface };
}

export interface SimilarCase {
  case: ResolvedCase;
  /** Cosine similarity, 0..1. */
  similarity: number;
  /** Shared words, strongest first (display form). */
  sharedTerms: string[];
}

/** The resolved cases most like the given text, best first. */
export function similarCases(model: TextModel, query: CaseText & { id?: string }, limit = 50): SimilarCase[] {
  const q = weigh(counts(query), model.idf);
  // Dot products of unit vectors, accumulated term by term in one flat array (no per-doc maps: this is the hot loop).
  const scores = new Float64Array(model.docs.length);
  const touched: number[] = [];
  for (const [term, w] of q) {
    const list = model.postings.get(term);
    if (!list) continue;
    for (let k = 0; k < list.docs.length; k++) {
      const i = list.docs[k];
      if (scores[i] === 0) touched.push(i);
      scores[i] += w * list.weights[k];
    }
  }
  const top = touched
    .filter((i) => scores[i] > 0 && model.docs[i].c.id !== query.id)
    .sort((a, b) => scores[b] - scores[a] || a - b)
    .slice(0, limit)
    .map((i) => [i, scores[i]] as const);
  return top.map(([i, s]) => {
    const doc = model.docs[i];
    const shared = [...q.entries()]
      .filter(([term]) => doc.vector.has(term))
      .map(([term, w]) => [term, w * (doc.vector.get(term) ?? 0)] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([term]) => model.surface.get(term) ?? term);
    return { case: doc.c, similarity: Math.min(1, s), sharedTerms: shared };
  });
}

export interface ResolverSuggestion {
  userId: string;
  /** 0..100: the similarity of the most similar case this person resolved. */
  confidence: number;
  best: SimilarCase;
  /** Ranking score: best similarity plus a little for each further similar case they solved. */
  score: number;
}

/** Below this cosine two cases share only incidental words; such matches are not shown. */
export const MIN_SIMILARITY = 0.08;

/** People who resolved the most similar cases, best first; one entry per person. */
export function rankResolvers(model: TextModel, query: CaseText & { id?: string }, exclude: ReadonlySet<string> = new Set()): ResolverSuggestion[] {
  const byUser = new Map<string, { best: SimilarCase; sims: number[] }>();
  for (const s of similarCases(model, query, 60)) {
    if (s.similarity < MIN_SIMILARITY || exclude.has(s.case.resolverId)) continue;
    const e = byUser.get(s.case.resolverId);
    if (e) e.sims.push(s.similarity);
    else byUser.set(s.case.resolverId, { best: s, sims: [s.similarity] });
  }
  return [...byUser.entries()]
    .map(([userId, e]) => ({
      userId,
      best: e.best,
      confidence: Math.round(e.best.similarity * 100),
      // Repeated experience counts, less than the single best match: 25 % of the second, 10 % of the third.
      score: e.sims[0] + 0.25 * (e.sims[1] ?? 0) + 0.1 * (e.sims[2] ?? 0),
    }))
    .sort((a, b) => b.score - a.score || a.userId.localeCompare(b.userId));
}
