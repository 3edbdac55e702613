/** One list of people from several sources: nobody twice (their reasons merge), never the current user. */
import type { RuleReason } from "./rules";

export interface Candidate {
  systemUserId: string;
  aadObjectId: string | null;
  fullName: string;
  isDisabled: boolean;
  reason: RuleReason;
  /** Admin's label for a custom rule, or the team's name for a team member. */
  detail?: string;
}

export interface Suggestion {
  systemUserId: string;
  /** Microsoft Entra object id: the Graph user id a chat is made with. */
  aadObjectId: string;
  fullName: string;
  reasons: Array<{ reason: RuleReason; detail?: string }>;
}

/**
 * Candidates in rule order become suggestions in that order. Disabled users and users without an Entra
 * object id are skipped (Teams cannot chat with them), as is the current user.
 */
export function mergeCandidates(candidates: Candidate[], currentUser: { systemUserId: string; aadObjectId?: string }): Suggestion[] {
  const out = new Map<string, Suggestion>();
  const me = currentUser.aadObjectId?.toLowerCase();
  for (const c of candidates) {
    if (c.isDisabled || !c.aadObjectId) continue;
    const id = c.systemUserId.toLowerCase();
    if (id === currentUser.systemUserId.toLowerCase() || c.aadObjectId.toLowerCase() === me) continue;
    const existing = out.get(id);
    if (existing) {
      if (!existing.reasons.some((r) => r.reason === c.reason && r.detail === c.detail)) existing.reasons.push({ reason: c.reason, ...(c.detail ? { detail: c.detail } : {}) });
    } else {
      out.set(id, { systemUserId: c.systemUserId, aadObjectId: c.aadObjectId, fullName: c.fullName, reasons: [{ reason: c.reason, ...(c.detail ? { detail: c.detail } : {}) }] });
    }
  }
  return [...out.values()];
}

/** Two short words for an avatar when there is no photo. */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (!parts.length) return "?";
  return ((parts[0][0] ?? "") + (parts.length > 1 ? parts[parts.length - 1][0] : "")).toUpperCase();
}

/** Case-like tables have a title and a description to compare; only they get the similar-cases group. */
export function isCaseLike(columns: ReadonlyArray<string>): boolean {
  const set = new Set(columns.map((c) => c.toLowerCase()));
  return set.has("title") && set.has("description");
}
