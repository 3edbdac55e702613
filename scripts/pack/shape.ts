/**
 * The shape of real Dataverse solution exports, as facts, checked against a packed zip. Microsoft's
 * 9.0 XSD is old (it rejects `Role/@isinherited`, `connectionreferences`, form `headerdensity`, all
 * of which current exports carry and import), no XSD covers solution.xml, the content types or the
 * environment variable files, and the XSD may not be at hand at all; so `npm run validate:solution`
 * always runs these checks, and the XSD only when one is given.
 *
 * Every fact comes from exported solutions read for this project (solution/README.md lists them):
 * S1 a pac-built PCF solution, S2 2025 Dataverse exports with environment variables, S3 a 9.1
 * unmanaged export with a custom table, S4 a 9.1 managed export, S5 a 9.2 export zip, S6 Microsoft's
 * CoE Starter Kit (roles, 65 environment variables). Nothing here reads those files.
 */
import { attr, BOM, childrenNamed, kids, parseXml, tagOf, type XNode } from "./xml";

// Keeps a byte order mark, so its presence can be checked.
const dec = new TextDecoder("utf-8", { ignoreBOM: true });

/** The first three entries of an export zip, in this order (S4, S5). */
export const LEADING_ENTRIES = ["customizations.xml", "[Content_Types].xml", "solution.xml"];

/** Children of SolutionManifest, in export order (S1, S2, S4). */
export const MANIFEST_ORDER = ["UniqueName", "LocalizedNames", "Descriptions", "Version", "Managed", "Publisher", "RootComponents", "MissingDependencies"];

/**
 * Root component types this solution may list, with how real exports name them: 1 table by
 * lower-case logical name (S2, S3, S4, S6), 20 role by id only (S6), 61 web resource by name
 * (S4, S6), 66 control by <prefix>_<namespace>.<constructor> (S1). 380 (environment variable
 * definition) appears in no export: S2 and S6 ship the definition folders without it.
 */
export const ROOT_TYPES: Record<string, "schemaName" | "id"> = { "1": "schemaName", "20": "id", "61": "schemaName", "66": "schemaName" };

/** Top-level elements of customizations.xml, in the order exports write them (S1, S2, S4; the 9.0 XSD sequence). */
export const CUSTOMIZATIONS_ORDER = [
  "Entities",
  "Roles",
  "Workflows",
  "FieldSecurityProfiles",
  "Templates",
  "EntityMaps",
  "EntityRelationships",
  "OrganizationSettings",
  "optionsets",
  "WebResources",
  "CustomControls",
  "SolutionPluginAssemblies",
  "EntityDataProviders",
  "connectionreferences",
  "Languages",
];

/** Children of an exported Entity (S3, S4). */
export const ENTITY_ORDER = ["Name", "EntityInfo", "FormXml", "SavedQueries", "RibbonDiffXml"];
/** Children of a systemform (S3, S4). */
export const SYSTEMFORM_ORDER = ["formid", "IntroducedVersion", "FormPresentation", "FormActivationState", "form", "IsCustomizable", "CanBeDeleted", "LocalizedNames", "Descriptions"];
/** Children of a savedquery (S3, S4). */
export const SAVEDQUERY_ORDER = ["IsCustomizable", "CanBeDeleted", "isquickfindquery", "isprivate", "isdefault", "savedqueryid", "layoutxml", "querytype", "fetchxml", "IntroducedVersion", "LocalizedNames", "Descriptions"];
/** View types of a new custom table's export (S3, S4): public (0), advanced find (1), associated (2), quick find (4), lookup (64). */
export const STANDARD_QUERY_TYPES = ["0", "1", "2", "4", "64"];
/** Attributes and children of an exported Role (S6; `isinherited` is newer than the 9.0 XSD). */
export const ROLE_ATTRIBUTES = ["id", "name", "isinherited", "unmodified"];
export const ROLE_ORDER = ["IsCustomizable", "IntroducedVersion", "RolePrivileges"];
export const PRIVILEGE_LEVELS = ["Basic", "Local", "Deep", "Global"];
/** Children of a WebResource (S4, S7; the XSD sequence). */
export const WEBRESOURCE_ORDER = [
  "WebResourceId",
  "Name",
  "DisplayName",
  "Description",
  "LanguageCode",
  "WebResourceType",
  "IntroducedVersion",
  "IsEnabledForMobileClient",
  "IsAvailableForMobileOffline",
  "DependencyXml",
  "IsCustomizable",
  "CanBeDeleted",
  "IsHidden",
  "FileName",
];

const GUID = /^\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$/i;

/** Names of the element children, in order. */
function tags(node: XNode): string[] {
  return kids(node)
    .map(tagOf)
    .filter((t) => t !== "#text" && t !== "#comment");
}

/** true when `seen` is in the order of `order` and uses only names from it. */
function inOrder(seen: string[], order: string[]): string | undefined {
  let last = -1;
  for (const t of seen) {
    const i = order.indexOf(t);
    if (i < 0) return `<${t}> is not among ${order.join(", ")}`;
    if (i < last) return `<${t}> comes after <${order[last]}>; exports order them ${order.join(", ")}`;
    last = i;
  }
  return undefined;
}

function rootOf(doc: XNode[], name: string): XNode | undefined {
  return doc.find((n) => tagOf(n) === name);
}

function attrNames(node: XNode): string[] {
  return Object.keys((node[":@"] as Record<string, unknown> | undefined) ?? {}).map((k) => k.replace(/^@_/, ""));
}

function deep(node: XNode, name: string): XNode[] {
  const out: XNode[] = [];
  const visit = (n: XNode) => {
    for (const k of kids(n)) {
      if (tagOf(k) === name) out.push(k);
      visit(k);
    }
  };
  visit(node);
  return out;
}

function textOf(node: XNode | undefined): string {
  if (!node) return "";
  const t = kids(node).find((k) => "#text" in k);
  return t === undefined ? "" : String(t["#text"]);
}

function solutionProblems(text: string): string[] {
  const out: string[] = [];
  const root = rootOf(parseXml(text, "solution.xml"), "ImportExportXml");
  if (!root) return ["solution.xml: no <ImportExportXml>"];
  for (const a of ["version", "SolutionPackageVersion", "languagecode", "generatedBy"]) if (attr(root, a) === undefined) out.push(`solution.xml: <ImportExportXml> has no ${a} (S1, S2)`);
  const manifest = childrenNamed(root, "SolutionManifest")[0];
  if (!manifest) return [...out, "solution.xml: no <SolutionManifest>"];
  const order = inOrder(tags(manifest), MANIFEST_ORDER);
  if (order) out.push(`solution.xml: SolutionManifest: ${order}`);
  for (const r of deep(manifest, "RootComponent")) {
    const type = attr(r, "type") ?? "";
    const key = ROOT_TYPES[type];
    if (!key) {
      out.push(`solution.xml: RootComponent type ${type}${type === "380" ? " (environment variable): exports ship only the definition folder" : " is not one this solution ships"}`);
      continue;
    }
    if (key === "id" && (attr(r, "schemaName") !== undefined || !GUID.test(attr(r, "id") ?? ""))) out.push(`solution.xml: RootComponent type ${type} is named by a braced id only (S6)`);
    if (key === "schemaName" && !attr(r, "schemaName")) out.push(`solution.xml: RootComponent type ${type} has no schemaName`);
    if (type === "1" && attr(r, "schemaName") !== attr(r, "schemaName")?.toLowerCase()) out.push(`solution.xml: table RootComponent ${attr(r, "schemaName")} is not the lower-case logical name (S2, S3)`);
    if (attr(r, "behavior") !== "0") out.push(`solution.xml: RootComponent type ${type} has behavior ${attr(r, "behavior")}, exports write 0`);
  }
  return out;
}

function customizationsProblems(text: string, entryNames: Set<string>): string[] {
  const out: string[] = [];
  const root = rootOf(parseXml(text, "customizations.xml"), "ImportExportXml");
  if (!root) return ["customizations.xml: no <ImportExportXml>"];
  const top = inOrder(tags(root), CUSTOMIZATIONS_ORDER);
  if (top) out.push(`customizations.xml: ${top}`);
  for (const entity of deep(root, "Entity")) {
    const name = textOf(childrenNamed(entity, "Name")[0]);
    const order = inOrder(tags(entity), ENTITY_ORDER);
    if (order) out.push(`customizations.xml: Entity ${name}: ${order}`);
    const forms = childrenNamed(entity, "FormXml").flatMap((f) => childrenNamed(f, "forms"));
    if (!forms.some((f) => attr(f, "type") === "main")) out.push(`customizations.xml: Entity ${name} has no main form (exports of a custom table have one)`);
    for (const sf of forms.flatMap((f) => childrenNamed(f, "systemform"))) {
      const o = inOrder(tags(sf), SYSTEMFORM_ORDER);
      if (o) out.push(`customizations.xml: Entity ${name} systemform: ${o}`);
    }
    const queries = childrenNamed(entity, "SavedQueries").flatMap((s) => childrenNamed(s, "savedqueries")).flatMap((s) => childrenNamed(s, "savedquery"));
    const types = new Set(queries.map((q) => textOf(childrenNamed(q, "querytype")[0])));
    for (const t of STANDARD_QUERY_TYPES) if (!types.has(t)) out.push(`customizations.xml: Entity ${name} has no view of querytype ${t} (exports of a custom table have one)`);
    for (const q of queries) {
      const o = inOrder(tags(q), SAVEDQUERY_ORDER);
      if (o) out.push(`customizations.xml: Entity ${name} savedquery: ${o}`);
    }
  }
  for (const role of deep(root, "Role")) {
    const name = attr(role, "name");
    for (const a of attrNames(role)) if (!ROLE_ATTRIBUTES.includes(a)) out.push(`customizations.xml: Role ${name} has attribute ${a}, which exported roles do not`);
    if (!GUID.test(attr(role, "id") ?? "")) out.push(`customizations.xml: Role ${name} has no braced GUID id`);
    const inherited = attr(role, "isinherited");
    if (inherited !== undefined && inherited !== "0" && inherited !== "1") out.push(`customizations.xml: Role ${name} isinherited="${inherited}"; the choice is 0 or 1`);
    const o = inOrder(tags(role), ROLE_ORDER);
    if (o) out.push(`customizations.xml: Role ${name}: ${o}`);
    for (const p of deep(role, "RolePrivilege")) {
      if (!/^prv[A-Za-z]+/.test(attr(p, "name") ?? "")) out.push(`customizations.xml: Role ${name} privilege "${attr(p, "name")}" is not a prv… name`);
      if (!PRIVILEGE_LEVELS.includes(attr(p, "level") ?? "")) out.push(`customizations.xml: Role ${name} ${attr(p, "name")} level ${attr(p, "level")}`);
    }
  }
  for (const wr of deep(root, "WebResource")) {
    const o = inOrder(tags(wr), WEBRESOURCE_ORDER);
    if (o) out.push(`customizations.xml: WebResource: ${o}`);
    const file = textOf(childrenNamed(wr, "FileName")[0]).replace(/^\/+/, "");
    if (!entryNames.has(file)) out.push(`customizations.xml: WebResource file ${file} is not in the zip`);
  }
  for (const cc of deep(root, "CustomControl")) {
    const file = textOf(childrenNamed(cc, "FileName")[0]).replace(/^\/+/, "");
    if (!entryNames.has(file)) out.push(`customizations.xml: CustomControl file ${file} is not in the zip`);
  }
  return out;
}

function envVarProblems(name: string, text: string): string[] {
  const out: string[] = [];
  if (text.startsWith(BOM) || text.trimStart().startsWith("<?xml")) out.push(`${name}: starts with a BOM or an XML declaration; exported definitions have neither (S2)`);
  const def = rootOf(parseXml(text, name), "environmentvariabledefinition");
  if (!def) return [...out, `${name}: no <environmentvariabledefinition>`];
  const folder = name.split("/")[1];
  if (attr(def, "schemaname") !== folder) out.push(`${name}: schemaname ${attr(def, "schemaname")} is not its folder name`);
  const t = tags(def);
  if (JSON.stringify(t) !== JSON.stringify([...t].sort())) out.push(`${name}: elements not in alphabetical order (${t.join(", ")}), as exports write them (S2)`);
  return out;
}

function contentTypesProblems(text: string, names: string[]): string[] {
  const out: string[] = [];
  if (!text.startsWith(BOM)) out.push("[Content_Types].xml: no byte order mark (S2, S4)");
  if (/\n/.test(text.trim())) out.push("[Content_Types].xml: more than one line (S2, S4)");
  const types = rootOf(parseXml(text, "[Content_Types].xml"), "Types");
  if (!types) return [...out, "[Content_Types].xml: no <Types>"];
  const declared = new Set(childrenNamed(types, "Default").map((d) => attr(d, "Extension")));
  const overrides = new Set(childrenNamed(types, "Override").map((o) => attr(o, "PartName")));
  for (const n of names) {
    const base = n.slice(n.lastIndexOf("/") + 1);
    const dot = base.lastIndexOf(".");
    if (dot > 0 ? !declared.has(base.slice(dot + 1).toLowerCase()) : !overrides.has(`/${n}`)) out.push(`[Content_Types].xml: nothing declares ${n}`);
  }
  return out;
}

/** Where a packed zip differs from the shape of real exports (empty = fine). */
export function shapeProblems(entries: Map<string, Uint8Array>): string[] {
  const names = [...entries.keys()];
  const out: string[] = [];
  if (JSON.stringify(names.slice(0, 3)) !== JSON.stringify(LEADING_ENTRIES)) out.push(`zip: starts with ${names.slice(0, 3).join(", ")}; exports start with ${LEADING_ENTRIES.join(", ")}`);
  if (names.some((n) => n.endsWith("/"))) out.push("zip: has folder entries; exports have none");
  const text = (n: string) => dec.decode(entries.get(n));
  const set = new Set(names);
  try {
    if (set.has("solution.xml")) out.push(...solutionProblems(text("solution.xml")));
    if (set.has("customizations.xml")) out.push(...customizationsProblems(text("customizations.xml"), set));
    if (set.has("[Content_Types].xml")) out.push(...contentTypesProblems(text("[Content_Types].xml"), names.filter((n) => n !== "[Content_Types].xml")));
    for (const n of names.filter((x) => /^environmentvariabledefinitions\/[^/]+\/environmentvariabledefinition\.xml$/.test(x))) out.push(...envVarProblems(n, text(n)));
  } catch (e) {
    out.push(e instanceof Error ? e.message : String(e));
  }
  return out;
}
