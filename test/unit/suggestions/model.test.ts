import { describe, expect, it } from "vitest";
import { MAX_TEXT, buildModel, rankResolvers, similarCases, stem, tokenize, type ResolvedCase } from "../../../TeamsChatPanel/domain/suggestions/textModel";

const corpus: ResolvedCase[] = [
  { id: "1", title: "Printer offline after driver update", description: "The printer shows offline since the driver update.", resolverId: "tomas" },
  { id: "2", title: "Printer jams in tray 2", description: "Paper jams on every print job.", resolverId: "lucas" },
  { id: "3", title: "VPN drops every hour", description: "Site-to-site VPN tunnel goes down.", resolverId: "sofia" },
  { id: "4", title: "Wrong VAT on invoice", description: "<p>The invoice shows <b>wrong</b> VAT&nbsp;rate.</p>", resolverId: "mateo" },
  { id: "5", title: "Printer offline on network", description: "Printer lost its IP address and went offline.", resolverId: "tomas" },
];

describe("tokenize", () => {
  it("strips HTML, decodes entities, drops stop words and numbers, stems", () => {
    expect(tokenize("<p>The <b>printers</b>&nbsp;are jammed 42 times</p><script>alert(1)</script>")).toEqual(["printer", "jam", "time"]);
  });
  it("takes empty and missing text", () => {
    expect(tokenize("")).toEqual([]);
    expect(tokenize(null)).toEqual([]);
  });
  it("cuts huge text instead of choking on it", () => {
    const huge = "printer ".repeat(200_000);
    expect(tokenize(huge).length).toBeLessThanOrEqual(MAX_TEXT / 2);
  });
  it("stems inflections to one form", () => {
    expect(stem("printers")).toBe(stem("printer"));
    expect(stem("updated")).toBe(stem("update"));
    expect(stem("jammed")).toBe(stem("jams"));
    expect(stem("policies")).toBe("policy");
  });
});

describe("similar cases", () => {
  const model = buildModel(corpus);
  it("finds the closest case first with its shared words", () => {
    const [top] = similarCases(model, { title: "Printer offline", description: "Printer offline after Windows driver updates" });
    expect(top.case.id).toBe("1");
    expect(top.sharedTerms).toContain("offline");
    expect(top.sharedTerms.length).toBeLessThanOrEqual(3);
    expect(top.similarity).toBeGreaterThan(0.5);
    expect(top.similarity).toBeLessThanOrEqual(1);
  });
  it("gives an identical case 100 % and an unrelated one nothing", () => {
    const same = similarCases(model, { title: corpus[2].title, description: corpus[2].description });
    expect(Math.round(same[0].similarity * 100)).toBe(100);
    expect(similarCases(model, { title: "Lunch menu", description: "Pizza on Friday" })).toEqual([]);
  });
  it("takes empty titles and descriptions", () => {
    expect(similarCases(model, { title: "", description: "VPN tunnel down" })[0].case.id).toBe("3");
    expect(similarCases(model, { title: null, description: null })).toEqual([]);
  });
  it("ranks people, one entry each, excluding the given users", () => {
    const people = rankResolvers(model, { title: "Printer offline", description: "offline printer" });
    expect(people[0].userId).toBe("tomas");
    expect(new Set(people.map((p) => p.userId)).size).toBe(people.length);
    expect(people[0].confidence).toBeGreaterThan(0);
    expect(people[0].confidence).toBeLessThanOrEqual(100);
    expect(rankResolvers(model, { title: "Printer offline", description: "" }, new Set(["tomas"])).map((p) => p.userId)).not.toContain("tomas");
  });
  it("does not suggest the case itself", () => {
    expect(similarCases(model, { id: "3", title: corpus[2].title, description: corpus[2].description }).map((s) => s.case.id)).not.toContain("3");
  });
});
