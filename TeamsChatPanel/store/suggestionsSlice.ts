import type { StateCreator } from "zustand/vanilla";
import { mergeCandidates, type Suggestion } from "../domain/suggestions/merge";
import { parseRules, type RuleError } from "../domain/suggestions/rules";
import { buildModel, rankResolvers, type TextModel } from "../domain/suggestions/textModel";
import { failureKind, type FailureKind } from "../services/errors";
import type { Services } from "../services/ports";
import type { LoadStatus, PanelState } from "./types";

/** Resolved cases read for the model: enough history to know who solves what, bounded so the read stays cheap. */
export const CORPUS_CAP = 5000;
export const DEFAULT_MONTHS = 12;

export interface SimilarSuggestion {
  systemUserId: string;
  aadObjectId: string;
  fullName: string;
  /** 0..100 */
  confidence: number;
  caseId: string;
  caseTitle: string;
  sharedTerms: string[];
}

export interface SuggestionsSlice {
  relatedStatus: LoadStatus;
  relatedError?: FailureKind;
  related: Suggestion[];
  /** "hidden": the record's table is not case-like (no title and description to compare). */
  similarStatus: LoadStatus | "hidden";
  similarError?: FailureKind;
  similar: SimilarSuggestion[];
  /** What is wrong with the admin's rules; only filled for users who can change the form. */
  ruleErrors: RuleError[];
  loadSuggestions(): Promise<void>;
  retrySimilar(): Promise<void>;
  retryRelated(): Promise<void>;
  /** Opens this person's one-to-one chat, starting it in Teams when there is none yet. */
  chatWith(person: { aadObjectId: string; fullName: string }): Promise<void>;
}

export const createSuggestionsSlice =
  (services: Services): StateCreator<PanelState, [], [], SuggestionsSlice> =>
  (set, get) => {
    let model: { key: string; model: TextModel } | undefined;
    let started = false;

    const loadRelated = async () => {
      const reader = services.suggestions;
      const { env, me } = get();
      if (!reader || !env.record || !me) return;
      const parsed = parseRules(env.suggestRules, env.record.table);
      // Agents get the defaults (or the rules that work) quietly; the people who can fix the property are told what is wrong.
      const tellAdmins = (errors: RuleError[]) => {
        if (errors.length) void reader.canCustomize().then((admin) => admin && set({ ruleErrors: errors }));
      };
      tellAdmins(parsed.errors);
      set({ relatedStatus: "loading", relatedError: undefined });
      try {
        const { links, linksStatus } = get();
        const here = env.record;
        const owners =
          linksStatus === "ready"
            ? links.filter((l) => l.record.table === here.table && l.record.id.toLowerCase() === here.id.toLowerCase() && l.ownerId).map((l) => l.ownerId as string)
            : undefined;
        const { people, skipped } = await reader.relatedPeople(env.record, parsed.rules, owners);
        set({ related: mergeCandidates(people, me), relatedStatus: "ready" });
        // A default rule that does not fit this table (an organisation-owned table has no owner) is nobody's mistake.
        if (parsed.fromAdmin) tellAdmins(skipped.map((s) => ({ index: s.rule + 1, key: "Suggest_RuleErr_Column", args: [s.column, s.table] })));
      } catch (e) {
        set({ relatedStatus: "error", relatedError: failureKind(e) });
      }
    };

    const loadSimilar = async () => {
      const reader = services.suggestions;
      const { env, me } = get();
      if (!reader || !env.record || !me) return;
      set({ similarStatus: "loading", similarError: undefined });
      try {
        const text = await reader.recordText(env.record);
        if (!text) {
          set({ similarStatus: "hidden", similar: [] });
          return;
        }
        const months = env.suggestMonths && env.suggestMonths > 0 ? env.suggestMonths : DEFAULT_MONTHS;
        const key = `${months}`;
        if (!model || model.key !== key) model = { key, model: buildModel(await reader.resolvedCases(months, CORPUS_CAP)) };
        const ranked = rankResolvers(model.model, { id: env.record.id, ...text }, new Set([me.systemUserId])).slice(0, 10);
        const users = new Map((await reader.users(ranked.map((r) => r.userId))).map((u) => [u.systemUserId, u]));
        const similar: SimilarSuggestion[] = [];
        for (const r of ranked) {
          const u = users.get(r.userId);
          // Teams cannot chat with disabled users or users without an Entra object id.
          if (!u || u.isDisabled || !u.aadObjectId || u.aadObjectId === me.aadObjectId) continue;
          similar.push({ systemUserId: u.systemUserId, aadObjectId: u.aadObjectId, fullName: u.fullName, confidence: r.confidence, caseId: r.best.case.id, caseTitle: r.best.case.title ?? "", sharedTerms: r.best.sharedTerms });
        }
        set({ similar, similarStatus: "ready" });
      } catch (e) {
        set({ similarStatus: "error", similarError: failureKind(e) });
      }
    };

    return {
      relatedStatus: "idle",
      related: [],
      similarStatus: "idle",
      similar: [],
      ruleErrors: [],
      async loadSuggestions() {
        if (started || !services.suggestions || get().env.showSuggestions === false) return;
        started = true;
        // The two groups load side by side: a failing model never holds back the rules.
        await Promise.all([loadRelated(), loadSimilar()]);
      },
      retrySimilar: loadSimilar,
      retryRelated: loadRelated,
      async chatWith(person) {
        const existing = get().chats.find((c) => c.chatType === "oneOnOne" && c.members.some((m) => m.userId === person.aadObjectId));
        const id = existing?.id ?? (await get().createChat([{ id: person.aadObjectId, displayName: person.fullName }], ""));
        if (id) await get().openChat(id);
        else set({ notice: { intent: "error", key: "Suggest_ChatFailed", args: [person.fullName] } });
      },
    };
  };
