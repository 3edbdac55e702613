/**
 * "Related to this record": the admin's rules as data. The property holds a JSON list of at most 10 rules,
 * tried in order. A rule is either a lookup path from the record to a user or a team (a team stands for its
 * members), or one of the two built-in sources: people with chats linked to the record, and people with
 * activities regarding it.
 *   [{ "path": "ownerid" }, { "source": "linkedChats" }, { "path": "customerid.ownerid", "label": "Account manager" },
 *    { "source": "activities" }]
 */
export const MAX_RULES = 10;
/** At most this many lookups in one path (record -> customer -> owner is two). */
export const MAX_HOPS = 3;

export type RuleReason = "owner" | "teamMember" | "linkedChat" | "customerOwner" | "activity" | "custom";

export type Rule =
  | { kind: "lookup"; path: string[]; reason: RuleReason; label?: string }
  | { kind: "linkedChats"; reason: "linkedChat" }
  | { kind: "activities"; reason: "activity"; days: number };

export interface RuleError {
  /** 1-based position in the admin's list; 0 for the property as a whole. */
  index: number;
  /** Message key and its arguments, turned into words by the component. */
  key: "Suggest_RuleErr_Json" | "Suggest_RuleErr_NotList" | "Suggest_RuleErr_TooMany" | "Suggest_RuleErr_NotObject" | "Suggest_RuleErr_Path" | "Suggest_RuleErr_Hops" | "Suggest_RuleErr_Source" | "Suggest_RuleErr_Label" | "Suggest_RuleErr_Days" | "Suggest_RuleErr_Column";
  args: string[];
}

export interface ParsedRules {
  rules: Rule[];
  /** Empty when the admin's list is valid (or absent); otherwise the defaults are in `rules`. */
  errors: RuleError[];
  /** `rules` is the admin's list (so a rule that later fails to apply is theirs to fix), not the defaults. */
  fromAdmin: boolean;
}

const SEGMENT = /^[a-z_][a-z0-9_]{0,63}$/i;
const DEFAULT_ACTIVITY_DAYS = 90;

/** Customer columns on the tables Dynamics 365 ships; custom tables get the owner, chats and activities. */
const CUSTOMER_LOOKUP: Record<string, string> = {
  incident: "customerid",
  contact: "parentcustomerid",
  opportunity: "customerid",
};

export function defaultRules(table: string): Rule[] {
  const rules: Rule[] = [{ kind: "lookup", path: ["ownerid"], reason: "owner" }, { kind: "linkedChats", reason: "linkedChat" }];
  const customer = CUSTOMER_LOOKUP[table];
  if (customer) rules.push({ kind: "lookup", path: [customer, "ownerid"], reason: "customerOwner" });
  rules.push({ kind: "activities", reason: "activity", days: DEFAULT_ACTIVITY_DAYS });
  return rules;
}

function reasonFor(path: string[]): RuleReason {
  if (path.length === 1 && path[0] === "ownerid") return "owner";
  if (path.length === 2 && path[1] === "ownerid" && /customer|account/.test(path[0])) return "customerOwner";
  return "custom";
}

function parseOne(raw: unknown, index: number): Rule | RuleError {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return { index, key: "Suggest_RuleErr_NotObject", args: [] };
  const r = raw as Record<string, unknown>;
  if (r.label !== undefined && (typeof r.label !== "string" || r.label.length > 60)) return { index, key: "Suggest_RuleErr_Label", args: [] };
  if ("source" in r) {
    if (r.source === "linkedChats") return { kind: "linkedChats", reason: "linkedChat" };
    if (r.source === "activities") {
      const days = r.days === undefined ? DEFAULT_ACTIVITY_DAYS : r.days;
      if (typeof days !== "number" || !Number.isInteger(days) || days < 1 || days > 3650) return { index, key: "Suggest_RuleErr_Days", args: [] };
      return { kind: "activities", reason: "activity", days };
    }
    return { index, key: "Suggest_RuleErr_Source", args: [String(r.source)] };
  }
  if (typeof r.path !== "string") return { index, key: "Suggest_RuleErr_Path", args: [""] };
  const path = r.path.trim().split(/[./]/);
  const bad = path.find((s) => !SEGMENT.test(s));
  if (bad !== undefined) return { index, key: "Suggest_RuleErr_Path", args: [r.path] };
  if (path.length > MAX_HOPS) return { index, key: "Suggest_RuleErr_Hops", args: [String(MAX_HOPS)] };
  const lower = path.map((s) => s.toLowerCase());
  return { kind: "lookup", path: lower, reason: reasonFor(lower), ...(typeof r.label === "string" && r.label.trim() ? { label: r.label.trim() } : {}) };
}

/** The admin's rules, or the table's defaults with every problem found (each names its rule). */
export function parseRules(json: string | null | undefined, table: string): ParsedRules {
  const text = (json ?? "").trim();
  if (!text) return { rules: defaultRules(table), errors: [], fromAdmin: false };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { rules: defaultRules(table), errors: [{ index: 0, key: "Suggest_RuleErr_Json", args: [e instanceof Error ? e.message : String(e)] }], fromAdmin: false };
  }
  if (!Array.isArray(data)) return { rules: defaultRules(table), errors: [{ index: 0, key: "Suggest_RuleErr_NotList", args: [] }], fromAdmin: false };
  if (data.length > MAX_RULES) return { rules: defaultRules(table), errors: [{ index: 0, key: "Suggest_RuleErr_TooMany", args: [String(data.length), String(MAX_RULES)] }], fromAdmin: false };
  const rules: Rule[] = [];
  const errors: RuleError[] = [];
  data.forEach((raw, i) => {
    const r = parseOne(raw, i + 1);
    if ("key" in r) errors.push(r);
    else rules.push(r);
  });
  return errors.length ? { rules: defaultRules(table), errors, fromAdmin: false } : { rules, errors: [], fromAdmin: true };
}
