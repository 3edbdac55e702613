/**
 * Builds the importable Dataverse solution zips from the source in solution/src and the build
 * output (the control and the web resources), without .NET: the zip layout and XML follow what
 * Dataverse exports (see solution/README.md).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PackError } from "./errors";
import { stampVersions } from "./version";
import { at, attr, BOM, buildXml, child, childrenNamed, declaration, el, kids, parseXml, setAttr, setText, tagOf, text, type XNode } from "./xml";
import { zip } from "./zip";

export interface PackInputs {
  /** solution/src: solution.xml, customizations.xml, environmentvariabledefinitions/. */
  srcDir: string;
  /** The built control: out/controls/TeamsChatPanel (ControlManifest.xml, bundle.js, strings/). */
  controlDir: string;
  /** Built web resources by name: out/webresources (tcp_/auth/redirect.html). */
  webResourcesDir: string;
  /** package.json's version. */
  version: string;
  /** Where the version came from, for messages. */
  versionFile?: string;
}

export interface PackOutputs extends PackInputs {
  /** solution/bin */
  outDir: string;
}

export const SOLUTION_XML = "solution.xml";
export const CUSTOMIZATIONS_XML = "customizations.xml";
export const CONTENT_TYPES_XML = "[Content_Types].xml";
export const ENV_VARS_DIR = "environmentvariabledefinitions";
export const ENV_VAR_FILE = "environmentvariabledefinition.xml";
export const CONTROL_MANIFEST = "ControlManifest.xml";
/** The zip folder of web resource files (the packer's own layout, not a URL). */
export const WEB_RESOURCES_DIR = "WebResources";

/** Solution component types used in RootComponents. */
const COMPONENT = { webResource: "61", customControl: "66" } as const;
/**
 * The component type of an environment variable definition. Real exports (Microsoft's CoE Starter
 * Kit with 65 definitions, other 2025 exports) ship the definition folders and list no root
 * component of this type, so the packer refuses one (solution/README.md).
 */
const ENV_VAR_COMPONENT = "380";

const enc = new TextEncoder();

/** A path as the user would type it: relative to the working folder when inside it. */
export function shown(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel.split(path.sep).join("/") : p;
}

function readText(file: string, what: string): string {
  if (!fs.existsSync(file)) throw new PackError(shown(file), `missing (${what})`);
  if (!fs.statSync(file).isFile()) throw new PackError(shown(file), `is not a file (${what})`);
  const data = fs.readFileSync(file);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(data);
  } catch {
    throw new PackError(shown(file), "is not UTF-8 text");
  }
}

function required(node: XNode | undefined, file: string, where: string): XNode {
  if (!node) throw new PackError(shown(file), `has no <${where}>`);
  return node;
}

function requiredText(node: XNode | undefined, file: string, where: string): string {
  const t = text(required(node, file, where))?.trim();
  if (!t) throw new PackError(shown(file), `<${where}> is empty`);
  return t;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(path.relative(dir, p).split(path.sep).join("/"));
    }
  };
  walk(dir);
  return out;
}

/** The zip entry name for a FileName attribute of customizations.xml ("/Controls/x/y.xml" -> "Controls/x/y.xml"). */
function entryName(fileName: string): string {
  return fileName.replace(/^\/+/, "");
}

function xmlEntry(doc: XNode[], bom: boolean): Uint8Array {
  return enc.encode((bom ? BOM : "") + buildXml(doc));
}

interface ControlParts {
  name: string;
  entries: [string, Uint8Array][];
}

/** The control folder: its manifest with the version stamped, and every file of the build output. */
function controlParts(inputs: PackInputs, prefix: string, customizationsFile: string, customControls: XNode[], controlVersion: string): ControlParts[] {
  if (customControls.length === 0) return [];
  if (customControls.length > 1) throw new PackError(shown(customizationsFile), "lists more than one <CustomControl>; this packer ships exactly one control");
  const declared = customControls[0];
  const name = requiredText(child(declared, "Name"), customizationsFile, "CustomControl/Name");
  const fileName = requiredText(child(declared, "FileName"), customizationsFile, "CustomControl/FileName");
  if (fileName !== `/Controls/${name}/${CONTROL_MANIFEST}`) {
    throw new PackError(shown(customizationsFile), `CustomControl ${name} has FileName ${fileName}; Dataverse expects /Controls/${name}/${CONTROL_MANIFEST}`);
  }
  const manifestFile = path.join(inputs.controlDir, CONTROL_MANIFEST);
  const manifest = parseXml(readText(manifestFile, "the built control manifest; run npm run build"), shown(manifestFile));
  const control = required(at(manifest, "manifest/control"), manifestFile, "manifest/control");
  const built = `${prefix}_${attr(control, "namespace")}.${attr(control, "constructor")}`;
  if (built !== name) {
    throw new PackError(shown(customizationsFile), `CustomControl ${name} does not match the built control ${built} (${shown(manifestFile)}: <publisher prefix>_<namespace>.<constructor>)`);
  }
  setAttr(control, "version", controlVersion);
  const resources = required(child(control, "resources"), manifestFile, "control/resources");
  for (const r of kids(resources)) {
    const p = attr(r, "path");
    if (p !== undefined && !fs.existsSync(path.join(inputs.controlDir, p))) {
      throw new PackError(shown(path.join(inputs.controlDir, p)), `missing: the control manifest's <${tagOf(r)} path="${p}"> points to it`);
    }
  }
  const folder = `Controls/${name}/`;
  const entries: [string, Uint8Array][] = [];
  for (const rel of listFiles(inputs.controlDir)) {
    const file = path.join(inputs.controlDir, rel);
    if (rel === CONTROL_MANIFEST) {
      entries.push([folder + rel, enc.encode(buildXml(manifest))]);
      continue;
    }
    // resx and other XML travel byte for byte, but a broken one would only fail inside Dataverse.
    if (/\.(resx|xml)$/i.test(rel)) parseXml(readText(file, "control resource"), shown(file));
    entries.push([folder + rel, new Uint8Array(fs.readFileSync(file))]);
  }
  return [{ name, entries }];
}

function webResourceParts(inputs: PackInputs, customizationsFile: string, webResources: XNode[]): { names: string[]; entries: [string, Uint8Array][] } {
  const names: string[] = [];
  const entries: [string, Uint8Array][] = [];
  for (const wr of webResources) {
    const name = requiredText(child(wr, "Name"), customizationsFile, "WebResource/Name");
    const fileName = requiredText(child(wr, "FileName"), customizationsFile, `WebResource/FileName of ${name}`);
    requiredText(child(wr, "WebResourceId"), customizationsFile, `WebResource/WebResourceId of ${name}`);
    if (!fileName.startsWith(`/${WEB_RESOURCES_DIR}/`)) throw new PackError(shown(customizationsFile), `WebResource ${name} has FileName ${fileName}; Dataverse expects /${WEB_RESOURCES_DIR}/…`);
    const file = path.join(inputs.webResourcesDir, ...name.split("/"));
    if (!fs.existsSync(file)) {
      throw new PackError(shown(file), `missing: the web resource ${name} is built by npm run build (it is the page Microsoft Entra sign-in returns to)`);
    }
    names.push(name);
    entries.push([entryName(fileName), new Uint8Array(fs.readFileSync(file))]);
  }
  return { names, entries };
}

function envVarParts(srcDir: string): { names: string[]; entries: [string, Uint8Array][] } {
  const dir = path.join(srcDir, ENV_VARS_DIR);
  if (!fs.existsSync(dir)) return { names: [], entries: [] };
  const names: string[] = [];
  const entries: [string, Uint8Array][] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const file = path.join(dir, e.name, ENV_VAR_FILE);
    if (!e.isDirectory()) throw new PackError(shown(path.join(dir, e.name)), `is not a folder; ${ENV_VARS_DIR}/ holds one folder per variable`);
    const doc = parseXml(readText(file, `definition of the environment variable ${e.name}`), shown(file));
    const def = required(at(doc, "environmentvariabledefinition"), file, "environmentvariabledefinition");
    const schema = attr(def, "schemaname");
    if (schema !== e.name) throw new PackError(shown(file), `schemaname "${schema ?? ""}" differs from its folder name ${e.name}`);
    requiredText(child(def, "type"), file, "type");
    names.push(schema);
    entries.push([`${ENV_VARS_DIR}/${e.name}/${ENV_VAR_FILE}`, xmlEntry(doc, false)]);
  }
  return { names, entries };
}

/** One Default per extension and an Override for files without one and for control manifests, as Dataverse writes it. */
export function contentTypes(names: string[]): Uint8Array {
  const defaults: string[] = [];
  const overrides: string[] = [];
  for (const n of names) {
    const base = n.slice(n.lastIndexOf("/") + 1);
    const dot = base.lastIndexOf(".");
    if (dot > 0) {
      const ext = base.slice(dot + 1).toLowerCase();
      if (!defaults.includes(ext)) defaults.push(ext);
    }
    if (dot <= 0 || (n.startsWith("Controls/") && base === CONTROL_MANIFEST)) overrides.push(`/${n}`);
  }
  const type = "application/octet-stream";
  const doc = [
    declaration(),
    el("Types", { xmlns: "http://schemas.openxmlformats.org/package/2006/content-types" }, [
      ...defaults.map((Extension) => el("Default", { Extension, ContentType: type })),
      ...overrides.map((PartName) => el("Override", { PartName, ContentType: type })),
    ]),
  ];
  return enc.encode(BOM + buildXml(doc, { format: false }));
}

function checkRoots(rootComponents: XNode, file: string, type: string, expected: string[], what: string): void {
  const listed = childrenNamed(rootComponents, "RootComponent")
    .filter((r) => attr(r, "type") === type)
    .map((r) => attr(r, "schemaName") ?? "")
    .sort();
  const want = [...expected].sort();
  if (JSON.stringify(listed) !== JSON.stringify(want)) {
    throw new PackError(shown(file), `RootComponents of type ${type} (${what}) are [${listed.join(", ")}] but the solution ships [${want.join(", ")}]`);
  }
}

/** The entries of one zip, in the order Dataverse writes them. Throws PackError; writes nothing. */
export function buildSolution(inputs: PackInputs, managed: boolean): [string, Uint8Array][] {
  const versions = stampVersions(inputs.version, inputs.versionFile);
  const solutionFile = path.join(inputs.srcDir, SOLUTION_XML);
  const customizationsFile = path.join(inputs.srcDir, CUSTOMIZATIONS_XML);

  const solution = parseXml(readText(solutionFile, "the solution manifest"), shown(solutionFile));
  const manifest = required(at(solution, "ImportExportXml/SolutionManifest"), solutionFile, "ImportExportXml/SolutionManifest");
  requiredText(child(manifest, "UniqueName"), solutionFile, "SolutionManifest/UniqueName");
  setText(required(child(manifest, "Version"), solutionFile, "SolutionManifest/Version"), versions.solution);
  setText(required(child(manifest, "Managed"), solutionFile, "SolutionManifest/Managed"), managed ? "1" : "0");
  const prefix = requiredText(at(solution, "ImportExportXml/SolutionManifest/Publisher/CustomizationPrefix"), solutionFile, "Publisher/CustomizationPrefix");
  const roots = required(child(manifest, "RootComponents"), solutionFile, "SolutionManifest/RootComponents");

  const customizations = parseXml(readText(customizationsFile, "the tables, roles, web resources and controls"), shown(customizationsFile));
  const root = required(at(customizations, "ImportExportXml"), customizationsFile, "ImportExportXml");
  const webResources = childrenNamed(child(root, "WebResources") ?? el("WebResources"), "WebResource");
  const customControls = childrenNamed(child(root, "CustomControls") ?? el("CustomControls"), "CustomControl");

  const controls = controlParts(inputs, prefix, customizationsFile, customControls, versions.control);
  const web = webResourceParts(inputs, customizationsFile, webResources);
  const envVars = envVarParts(inputs.srcDir);
  checkRoots(roots, solutionFile, COMPONENT.customControl, controls.map((c) => c.name), "controls");
  checkRoots(roots, solutionFile, COMPONENT.webResource, web.names, "web resources");
  const envVarRoots = childrenNamed(roots, "RootComponent").filter((r) => attr(r, "type") === ENV_VAR_COMPONENT);
  if (envVarRoots.length) {
    throw new PackError(
      shown(solutionFile),
      `lists environment variables as RootComponents of type ${ENV_VAR_COMPONENT} (${envVarRoots.map((r) => attr(r, "schemaName") ?? attr(r, "id") ?? "?").join(", ")}); ` +
        `Dataverse exports list none and ship only the ${ENV_VARS_DIR}/ folders: remove those lines (solution/README.md)`,
    );
  }

  const rest = [...controls.flatMap((c) => c.entries), ...web.entries, ...envVars.entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const names = [CUSTOMIZATIONS_XML, SOLUTION_XML, ...rest.map((e) => e[0])];
  return [
    [CUSTOMIZATIONS_XML, xmlEntry(customizations, true)],
    [CONTENT_TYPES_XML, contentTypes(names)],
    [SOLUTION_XML, xmlEntry(solution, true)],
    ...rest,
  ];
}

export function zipName(uniqueName: string, version: string, managed: boolean): string {
  return `${uniqueName}_${version.replace(/\./g, "_")}_${managed ? "managed" : "unmanaged"}.zip`;
}

export interface PackResult {
  unmanaged: string;
  managed: string;
  solutionVersion: string;
}

/**
 * Writes <UniqueName>_<version>_unmanaged.zip and _managed.zip into outDir. Both are built in memory
 * first and written through temporary files renamed into place, so a failure leaves no half-built zip.
 */
export function packSolution(opts: PackOutputs): PackResult {
  const unmanagedEntries = buildSolution(opts, false);
  const managedEntries = buildSolution(opts, true);
  const { solution: solutionVersion } = stampVersions(opts.version, opts.versionFile);
  const uniqueName = text(at(parseXml(readText(path.join(opts.srcDir, SOLUTION_XML), "the solution manifest"), SOLUTION_XML), "ImportExportXml/SolutionManifest/UniqueName")) ?? "";
  const files: [string, Uint8Array][] = [
    [path.join(opts.outDir, zipName(uniqueName.trim(), solutionVersion, false)), zip(unmanagedEntries)],
    [path.join(opts.outDir, zipName(uniqueName.trim(), solutionVersion, true)), zip(managedEntries)],
  ];
  fs.mkdirSync(opts.outDir, { recursive: true });
  const temps: string[] = [];
  try {
    for (const [file, data] of files) {
      const tmp = `${file}.${process.pid}.tmp`;
      temps.push(tmp);
      fs.writeFileSync(tmp, data);
    }
    files.forEach(([file], i) => fs.renameSync(temps[i], file));
  } finally {
    for (const t of temps) fs.rmSync(t, { force: true });
  }
  return { unmanaged: files[0][0], managed: files[1][0], solutionVersion };
}
