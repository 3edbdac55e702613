/**
 * A prepared build output for packing tests, so no test rebuilds the control: a control folder
 * shaped like pcf-scripts' out/controls/TeamsChatPanel (manifest from the real input manifest, the
 * real resx files, a stand-in bundle) and a stand-in redirect page in out/webresources.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { XMLBuilder, XMLParser } from "fast-xml-parser";

export const REPO = path.resolve(__dirname, "../../..");
export const SOLUTION_SRC = path.join(REPO, "solution", "src");
export const REDIRECT_NAME = "tcp_/auth/redirect.html";
export const REDIRECT_HTML = '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Signing in</title></head><body><script src="stand-in.js"></script></body></html>\n';
export const BUNDLE = "/* stand-in for the production bundle */\nvar TeamsChatPanel = {};\n";

export interface Prepared {
  root: string;
  srcDir: string;
  controlDir: string;
  webResourcesDir: string;
  outDir: string;
}

const xml = { ignoreAttributes: false, attributeNamePrefix: "@_", preserveOrder: true } as const;

/** The built manifest as pcf-scripts writes it: code path bundle.js, api-version and built-by added. */
export function builtManifest(): string {
  const input = fs.readFileSync(path.join(REPO, "TeamsChatPanel", "ControlManifest.Input.xml"), "utf8");
  const doc = new XMLParser({ ...xml, parseTagValue: false, trimValues: true }).parse(input);
  type N = Record<string, unknown>;
  const manifest = (doc as N[]).find((n) => "manifest" in n)!.manifest as N[];
  const control = manifest.find((n) => "control" in n)!;
  (control[":@"] as Record<string, string>)["@_api-version"] = "1.3.18";
  const parts = control.control as N[];
  const resources = parts.find((n) => "resources" in n)!.resources as N[];
  const code = resources.find((n) => "code" in n)!;
  (code[":@"] as Record<string, string>)["@_path"] = "bundle.js";
  parts.push({ "built-by": [], ":@": { "@_name": "pac", "@_version": "1.51.1" } });
  return new XMLBuilder({ ...xml, format: true, indentBy: "  ", suppressEmptyNode: true }).build(doc) as string;
}

/** A temporary folder with a copy of solution/src, a control build output and the web resources. */
export function prepare(): Prepared {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "tcp-pack-"));
  const p: Prepared = {
    root,
    srcDir: path.join(root, "src"),
    controlDir: path.join(root, "out", "controls", "TeamsChatPanel"),
    webResourcesDir: path.join(root, "out", "webresources"),
    outDir: path.join(root, "bin"),
  };
  fs.cpSync(SOLUTION_SRC, p.srcDir, { recursive: true });
  fs.mkdirSync(path.join(p.controlDir, "strings"), { recursive: true });
  fs.writeFileSync(path.join(p.controlDir, "ControlManifest.xml"), builtManifest());
  fs.writeFileSync(path.join(p.controlDir, "bundle.js"), BUNDLE);
  fs.writeFileSync(path.join(p.controlDir, "bundle.js.LICENSE.txt"), "/*! stand-in license notice */\n");
  for (const lang of ["1033", "1031"]) {
    const name = `TeamsChatPanel.${lang}.resx`;
    fs.copyFileSync(path.join(REPO, "TeamsChatPanel", "strings", name), path.join(p.controlDir, "strings", name));
  }
  const redirect = path.join(p.webResourcesDir, ...REDIRECT_NAME.split("/"));
  fs.mkdirSync(path.dirname(redirect), { recursive: true });
  fs.writeFileSync(redirect, REDIRECT_HTML);
  return p;
}

export function cleanup(p: Prepared): void {
  fs.rmSync(p.root, { recursive: true, force: true });
}

/** Files in a folder (recursively), or [] when it does not exist. */
export function filesIn(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
}
