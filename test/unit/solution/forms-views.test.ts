import { XMLParser } from "fast-xml-parser";
import { attributesByLogicalName, chatLinkEntity, loadCustomizations, readSource, type X } from "./solution-source";

/**
 * The link table's main form and system views, so an admin can open, list, search and audit links
 * in the app. The shape is that of real exports (a custom table's FormXml/forms[type=main] and the
 * SavedQueries of a new table: active and inactive (querytype 0), advanced find (1), associated (2),
 * quick find (4) and lookup (64)).
 */
const LISTS = new Set(["Entity", "forms", "systemform", "tab", "column", "section", "row", "cell", "label", "LocalizedName", "Description", "savedquery", "attribute", "condition", "filter"]);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => LISTS.has(name),
});

const GUID = /^\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$/;
const QUERY = { active: "0", advancedFind: "1", associated: "2", quickFind: "4", lookup: "64" } as const;

function entityOf(xml: string): X {
  const entity = (parser.parse(xml).ImportExportXml.Entities.Entity as X[]).find((e) => e.Name["#text"] === "tcp_ChatLink");
  if (!entity) throw new Error("no tcp_ChatLink entity");
  return entity;
}
const name1033 = (n: X) => (n.LocalizedNames.LocalizedName as X[]).find((l) => l["@_languagecode"] === "1033")?.["@_description"];
const views = (e: X): X[] => e.SavedQueries?.savedqueries?.savedquery ?? [];
const cellsOf = (form: X): X[] =>
  (form.form.tabs.tab as X[]).flatMap((t) => (t.columns.column as X[]).flatMap((c) => (c.sections?.section ?? []).flatMap((s: X) => (s.rows?.row ?? []).flatMap((r: X) => r.cell ?? []))));

/** Problems with the form and views of the link table (empty = fine). */
function problems(xml: string): string[] {
  const out: string[] = [];
  const entity = entityOf(xml);
  const columns = new Set(attributesByLogicalName(chatLinkEntity(loadCustomizations(xml))).keys());
  const mainForms = (entity.FormXml?.forms ?? []).filter((f: X) => f["@_type"] === "main").flatMap((f: X) => f.systemform);
  if (mainForms.length !== 1) out.push(`${mainForms.length} main forms, want 1`);
  for (const form of mainForms) {
    if (!GUID.test(form.formid)) out.push(`form id ${form.formid} is not a braced lower-case GUID`);
    const fields = cellsOf(form).map((c) => c.control?.["@_datafieldname"]).filter(Boolean);
    for (const f of fields) if (!columns.has(f)) out.push(`form field ${f} is not a column of tcp_chatlink`);
    for (const f of ["tcp_name", "tcp_kind", "tcp_chatid", "tcp_teamid", "tcp_regardingtable", "tcp_regardingid", "ownerid", "createdon", "createdby"]) {
      if (!fields.includes(f)) out.push(`form lacks ${f}`);
    }
  }
  const byType = new Map<string, X[]>();
  for (const v of views(entity)) byType.set(v.querytype, [...(byType.get(v.querytype) ?? []), v]);
  for (const [what, type] of Object.entries(QUERY)) if (!byType.has(type)) out.push(`no ${what} view (querytype ${type})`);
  const ids = new Set<string>();
  for (const v of views(entity)) {
    const label = name1033(v);
    if (!GUID.test(v.savedqueryid)) out.push(`${label}: id ${v.savedqueryid} is not a braced lower-case GUID`);
    ids.add(v.savedqueryid);
    const fetchEntity = v.fetchxml.fetch.entity;
    if (fetchEntity["@_name"] !== "tcp_chatlink") out.push(`${label}: fetch entity ${fetchEntity["@_name"]}`);
    const named = [...(fetchEntity.attribute ?? []).map((a: X) => a["@_name"]), ...(v.layoutxml?.grid?.row?.[0]?.cell ?? []).map((c: X) => c["@_name"])];
    for (const n of named) if (!columns.has(n)) out.push(`${label}: ${n} is not a column of tcp_chatlink`);
    if (v.layoutxml && v.layoutxml.grid.row[0]["@_id"] !== "tcp_chatlinkid") out.push(`${label}: grid row id is not the primary key`);
  }
  if (ids.size !== views(entity).length) out.push("two views share an id");
  const defaults = (byType.get(QUERY.active) ?? []).filter((v) => v.isdefault === "1");
  if (defaults.length !== 1) out.push(`${defaults.length} default public views, want 1`);
  const quick = byType.get(QUERY.quickFind)?.[0];
  if (quick) {
    if (quick.isquickfindquery !== "1") out.push("quick find view is not marked isquickfindquery");
    const fields = (quick.fetchxml.fetch.entity.filter as X[]).filter((f) => f["@_isquickfindfields"] === "1").flatMap((f) => f.condition.map((c: X) => c["@_attribute"]));
    for (const f of ["tcp_name", "tcp_chatid", "tcp_regardingid"]) if (!fields.includes(f)) out.push(`quick find does not search ${f}`);
  }
  return out;
}

const xml = readSource("customizations.xml");

describe("tcp_ChatLink: main form and system views", () => {
  it("has one main form with every link column, the owner and the history, and the five standard views", () => {
    expect(problems(xml)).toEqual([]);
  });

  it("names the views as an export does, in English and German", () => {
    const names = views(entityOf(xml)).map((v) => [v.querytype, name1033(v), v.isdefault]);
    expect(names).toEqual([
      ["0", "Active Chat links", "1"],
      ["0", "Inactive Chat links", "0"],
      ["1", "Chat link Advanced Find View", "1"],
      ["2", "Chat link Associated View", "1"],
      ["4", "Quick Find Active Chat links", "1"],
      ["64", "Chat link Lookup View", "1"],
    ]);
    for (const v of views(entityOf(xml))) expect((v.LocalizedNames.LocalizedName as X[]).map((l) => l["@_languagecode"])).toEqual(["1033", "1031"]);
  });

  it("lists active links in the active views and inactive ones in the inactive view", () => {
    const state = (label: string) => {
      const v = views(entityOf(xml)).find((q) => name1033(q) === label);
      return (v.fetchxml.fetch.entity.filter as X[]).find((f) => f["@_type"] === "and")?.condition.find((c: X) => c["@_attribute"] === "statecode")?.["@_value"];
    };
    expect([state("Active Chat links"), state("Inactive Chat links"), state("Quick Find Active Chat links")]).toEqual(["0", "1", "0"]);
  });

  it("shows the audit columns read-only on the form", () => {
    const form = entityOf(xml).FormXml.forms[0].systemform[0];
    const disabled = Object.fromEntries(cellsOf(form).map((c) => [c.control["@_datafieldname"], c.control["@_disabled"] === "true"]));
    expect(disabled).toMatchObject({ createdby: true, createdon: true, modifiedby: true, modifiedon: true, tcp_name: false, ownerid: false });
  });

  it("would notice a missing view, a field that is not a column, a second default view or a quick find without the chat id", () => {
    const cut = (re: RegExp) => {
      const next = xml.replace(re, "");
      if (next === xml) throw new Error(`mutation did not apply: ${re}`);
      return next;
    };
    expect(problems(cut(/<savedquery>(?:(?!<\/savedquery>)[\s\S])*?<querytype>64<\/querytype>[\s\S]*?<\/savedquery>/))).toContain("no lookup view (querytype 64)");
    expect(problems(xml.replace('datafieldname="tcp_teamid"', 'datafieldname="tcp_team"'))).toContain("form field tcp_team is not a column of tcp_chatlink");
    expect(problems(xml.replace(/(<isdefault>)0(<\/isdefault>\s*<savedqueryid>\{9b2e5c8d)/, "$11$2"))).toContain("2 default public views, want 1");
    expect(problems(cut(/\s*<condition attribute="tcp_chatid" operator="like" value="\{0\}" \/>/))).toContain("quick find does not search tcp_chatid");
  });
});
