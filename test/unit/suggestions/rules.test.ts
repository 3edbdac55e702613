import { describe, expect, it } from "vitest";
import { defaultRules, parseRules } from "../../../TeamsChatPanel/domain/suggestions/rules";
import { initials, isCaseLike, mergeCandidates, type Candidate } from "../../../TeamsChatPanel/domain/suggestions/merge";

describe("rules", () => {
  it("has defaults per table: owner, linked chats, customer owner, activities", () => {
    expect(defaultRules("incident").map((r) => r.reason)).toEqual(["owner", "linkedChat", "customerOwner", "activity"]);
    expect(defaultRules("contact")[2]).toMatchObject({ path: ["parentcustomerid", "ownerid"] });
    expect(defaultRules("new_project").map((r) => r.reason)).toEqual(["owner", "linkedChat", "activity"]);
  });
  it("takes an empty property as the defaults", () => {
    expect(parseRules("", "account")).toEqual({ rules: defaultRules("account"), errors: [], fromAdmin: false });
  });
  it("parses a valid list", () => {
    const r = parseRules('[{"path":"ownerid"},{"path":"customerid/ownerid","label":"Account manager"},{"source":"activities","days":30},{"source":"linkedChats"}]', "incident");
    expect(r.errors).toEqual([]);
    expect(r.fromAdmin).toBe(true);
    expect(r.rules).toEqual([
      { kind: "lookup", path: ["ownerid"], reason: "owner" },
      { kind: "lookup", path: ["customerid", "ownerid"], reason: "customerOwner", label: "Account manager" },
      { kind: "activities", reason: "activity", days: 30 },
      { kind: "linkedChats", reason: "linkedChat" },
    ]);
  });
  it("names each bad rule and falls back to the defaults", () => {
    const r = parseRules('[{"path":"ownerid"},{"path":"owner id"},{"source":"emails"},{"path":"a.b.c.d"},5,{"source":"activities","days":0}]', "incident");
    expect(r.rules).toEqual(defaultRules("incident"));
    expect(r.fromAdmin).toBe(false);
    expect(r.errors.map((e) => [e.index, e.key])).toEqual([
      [2, "Suggest_RuleErr_Path"],
      [3, "Suggest_RuleErr_Source"],
      [4, "Suggest_RuleErr_Hops"],
      [5, "Suggest_RuleErr_NotObject"],
      [6, "Suggest_RuleErr_Days"],
    ]);
  });
  it("refuses bad JSON, a non-list and more than 10 rules", () => {
    expect(parseRules("[{", "incident").errors[0]).toMatchObject({ index: 0, key: "Suggest_RuleErr_Json" });
    expect(parseRules('{"path":"ownerid"}', "incident").errors[0].key).toBe("Suggest_RuleErr_NotList");
    const eleven = JSON.stringify(Array.from({ length: 11 }, () => ({ path: "ownerid" })));
    expect(parseRules(eleven, "incident").errors[0]).toMatchObject({ key: "Suggest_RuleErr_TooMany", args: ["11", "10"] });
  });
});

describe("merge", () => {
  const c = (id: string, reason: Candidate["reason"], extra: Partial<Candidate> = {}): Candidate => ({ systemUserId: id, aadObjectId: `aad-${id}`, fullName: `User ${id}`, isDisabled: false, reason, ...extra });
  it("keeps rule order, merges reasons, skips me, disabled and users without Entra id", () => {
    const out = mergeCandidates(
      [c("a", "owner"), c("me", "linkedChat"), c("b", "linkedChat"), c("A", "activity"), c("d", "activity", { isDisabled: true }), c("e", "activity", { aadObjectId: null }), c("a", "owner")],
      { systemUserId: "ME", aadObjectId: "aad-me" },
    );
    expect(out.map((s) => s.systemUserId)).toEqual(["a", "b"]);
    expect(out[0].reasons.map((r) => r.reason)).toEqual(["owner", "activity"]);
  });
  it("makes initials and tells case-like tables", () => {
    expect(initials("Megan Bowen")).toBe("MB");
    expect(initials("Cher")).toBe("C");
    expect(initials(" ")).toBe("?");
    expect(isCaseLike(["Title", "description", "ownerid"])).toBe(true);
    expect(isCaseLike(["name", "description"])).toBe(false);
  });
});
