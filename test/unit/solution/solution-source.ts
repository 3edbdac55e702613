/**
 * Reads the Dataverse solution source in solution/src with fast-xml-parser and offers small
 * checks that return a list of problems (empty = fine). The tests run each check on the real
 * files and on a deliberately broken copy, so every check is shown to be able to fail.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { ColumnDef, TableDef } from "../../simulator/schema";

export const SOLUTION_SRC = path.resolve(__dirname, "../../../solution/src");
export const LANGS = ["1033", "1031"] as const;

/** Elements that can repeat; always parsed as arrays so one occurrence looks like many. */
const LISTS = new Set([
  "Entity",
  "attribute",
  "Description",
  "LocalizedName",
  "LocalizedCollectionName",
  "label",
  "option",
  "state",
  "status",
  "EntityKey",
  "AttributeName",
  "Role",
  "RolePrivilege",
  "RootComponent",
  "EntityRelationship",
  "LookupType",
  "Language",
]);

// Loose by nature: the shape of parsed XML is checked by the tests, not by the type system.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type X = any;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  jPath: true,
  // "displayname" is a list item under <displaynames> but a single element in an env var definition.
  isArray: (name, jpath) => LISTS.has(name) || (name === "displayname" && String(jpath).endsWith("displaynames.displayname")),
});

/** All .xml files under solution/src, relative, with forward slashes, sorted. */
export function listXmlFiles(root = SOLUTION_SRC): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".xml")) out.push(path.relative(root, p).split(path.sep).join("/"));
    }
  };
  walk(root);
  return out.sort();
}

export function readSource(rel: string): string {
  return fs.readFileSync(path.join(SOLUTION_SRC, rel), "utf8");
}

/** true, or the validator's message (line and column) when the text is not well formed XML. */
export function wellFormed(xml: string): true | string {
  const r = XMLValidator.validate(xml);
  return r === true ? true : `${r.err.code} at ${r.err.line}:${r.err.col}: ${r.err.msg}`;
}

export function parse(xml: string): X {
  const ok = wellFormed(xml);
  if (ok !== true) throw new Error(`not well formed: ${ok}`);
  return parser.parse(xml);
}

export function loadCustomizations(xml = readSource("customizations.xml")): X {
  return parse(xml).ImportExportXml;
}
export function loadSolution(xml = readSource("solution.xml")): X {
  return parse(xml).ImportExportXml.SolutionManifest;
}
export function loadEnvVar(schema: string, xml?: string): X {
  const text = xml ?? readSource(`environmentvariabledefinitions/${schema}/environmentvariabledefinition.xml`);
  return parse(text).environmentvariabledefinition;
}

export function chatLinkEntity(cust: X): X {
  const e = (cust.Entities?.Entity ?? []).find((x: X) => x.EntityInfo?.entity?.["@_Name"] === "tcp_ChatLink");
  if (!e) throw new Error("tcp_ChatLink entity not found in customizations.xml");
  return e.EntityInfo.entity;
}

export function attributesByLogicalName(entity: X): Map<string, X> {
  return new Map((entity.attributes?.attribute ?? []).map((a: X) => [a.LogicalName, a]));
}

// ---------------------------------------------------------------- columns vs. the simulator

/** Dataverse attribute types (the <Type> element) that serve each simulator column type. */
const TYPE_MAP: Record<ColumnDef["type"], string[]> = {
  guid: ["primarykey", "uniqueidentifier"],
  string: ["nvarchar"],
  memo: ["ntext"],
  int: ["int"],
  decimal: ["decimal"],
  bool: ["bit"],
  datetime: ["datetime"],
  choice: ["picklist", "state", "status"],
  lookup: ["lookup", "owner", "customer"],
};

/** Object type codes of the lookup targets the simulator uses on this table. */
const OTC: Record<string, string> = { systemuser: "8", team: "9" };

/**
 * Columns the platform adds to every table that an export does not list (so the simulator
 * serves them but the solution cannot contain them).
 */
export const PLATFORM_ONLY = new Set(["versionnumber"]);

/**
 * System columns that an unmanaged export of a user-owned table lists but the simulator does
 * not serve (the control never reads them). Anything else missing from the simulator is an error.
 */
export const EXPORT_ONLY_SYSTEM = new Set([
  "createdonbehalfby",
  "modifiedonbehalfby",
  "owningteam",
  "owninguser",
  "importsequencenumber",
  "overriddencreatedon",
  "timezoneruleversionnumber",
  "utcconversiontimezonecode",
]);

function options(attr: X): Map<number, string> {
  const os = attr.optionset;
  const items: X[] = os?.options?.option ?? os?.states?.state ?? os?.statuses?.status ?? [];
  return new Map(
    items.map((o: X) => [Number(o["@_value"]), o.labels?.label?.find((l: X) => l["@_languagecode"] === "1033")?.["@_description"]]),
  );
}

export function columnProblems(entity: X, table: TableDef): string[] {
  const problems: string[] = [];
  const attrs = attributesByLogicalName(entity);
  for (const [name, col] of Object.entries(table.columns)) {
    if (PLATFORM_ONLY.has(name)) continue;
    const a = attrs.get(name);
    if (!a) {
      problems.push(`${name}: served by the simulator, missing from the solution`);
      continue;
    }
    if (!TYPE_MAP[col.type].includes(a.Type)) problems.push(`${name}: simulator type ${col.type}, solution type ${a.Type}`);
    const max = a.MaxLength === undefined ? undefined : Number(a.MaxLength);
    if (col.type === "string" && max !== col.maxLength) problems.push(`${name}: simulator maxLength ${col.maxLength}, solution MaxLength ${max}`);
    if (col.type === "choice") {
      const mine = options(a);
      const theirs = new Map(Object.entries(col.options ?? {}).map(([v, l]) => [Number(v), l]));
      const fmt = (m: Map<number, string>) => JSON.stringify([...m].sort((x, y) => x[0] - y[0]));
      if (fmt(mine) !== fmt(theirs)) problems.push(`${name}: simulator options ${fmt(theirs)}, solution options ${fmt(mine)}`);
    }
    if (col.type === "lookup" && a.Type === "owner") {
      const types = (a.LookupTypes?.LookupType ?? []).map((t: X) => String(t["#text"] ?? t)).sort();
      const want = (col.targets ?? []).map((t) => OTC[t] ?? t).sort();
      if (JSON.stringify(types) !== JSON.stringify(want)) problems.push(`${name}: simulator targets ${want}, solution LookupTypes ${types}`);
    }
  }
  for (const name of attrs.keys()) {
    if (!(name in table.columns) && !EXPORT_ONLY_SYSTEM.has(name)) problems.push(`${name}: in the solution, not served by the simulator`);
  }
  return problems;
}

// ---------------------------------------------------------------- labels

/** Every element that carries display text, with the label children it must have per language. */
export function labelProblems(node: X, where = ""): string[] {
  const problems: string[] = [];
  const containers: Record<string, string> = {
    displaynames: "displayname",
    Descriptions: "Description",
    LocalizedNames: "LocalizedName",
    LocalizedCollectionNames: "LocalizedCollectionName",
    labels: "label",
    displayname: "label", // environment variable definition
    description: "label", // environment variable definition
  };
  const visit = (n: X, at: string) => {
    if (Array.isArray(n)) return n.forEach((x, i) => visit(x, `${at}[${i}]`));
    if (!n || typeof n !== "object") return;
    for (const [k, v] of Object.entries(n)) {
      if (k.startsWith("@_")) continue;
      const child = containers[k];
      // "displayname" is both a container (env vars) and an item (displaynames/displayname).
      if (child && !(k === "displayname" && at.endsWith("/displaynames"))) {
        const items: X[] = (v as X)?.[child] ?? [];
        for (const lang of LANGS) {
          const hit = items.find((i: X) => i["@_languagecode"] === lang);
          if (!hit || !String(hit["@_description"] ?? "").trim()) problems.push(`${at}/${k}: no ${lang} ${child}`);
        }
      }
      visit(v, `${at}/${k}`);
    }
  };
  visit(node, where);
  return problems;
}

// ---------------------------------------------------------------- roles

export type Privileges = Record<string, string>;

export function rolePrivileges(cust: X): Map<string, Privileges> {
  return new Map(
    (cust.Roles?.Role ?? []).map((r: X) => [
      r["@_name"],
      Object.fromEntries((r.RolePrivileges?.RolePrivilege ?? []).map((p: X) => [p["@_name"], p["@_level"]])),
    ]),
  );
}

/** Each role's member's privilege inheritance (the Role attribute isinherited; undefined when absent). */
export function roleInheritance(cust: X): Map<string, string | undefined> {
  return new Map((cust.Roles?.Role ?? []).map((r: X) => [r["@_name"], r["@_isinherited"]]));
}
