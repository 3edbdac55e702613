/**
 * `npm run validate:solution`: checks customizations.xml of both packed zips against Microsoft's
 * CustomizationsSolution.xsd with xmllint (libxml2), and every other XML part for well-formedness.
 * The XSD is not part of this project: its path comes as an argument or SOLUTION_XSD.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PackError } from "./errors";
import { SOLUTION_XML, shown, zipName } from "./solution";
import { stampVersions } from "./version";
import { at, parseXml, text } from "./xml";
import { unzip } from "./zip";

export const DEFAULT_XSD = "../shared/reference/dataverse-solution/xsd/9.0.0.2090-xmllint/CustomizationsSolution.xsd";

export interface ValidateOptions {
  root: string;
  /** Path of CustomizationsSolution.xsd (a copy libxml2 can compile). */
  xsd?: string;
  zips?: string[];
  /** The xmllint program. */
  xmllint?: string;
}

export interface ValidateResult {
  ok: boolean;
  lines: string[];
}

/** The two zips `npm run pack` writes for the current package.json version. */
export function defaultZips(root: string): string[] {
  const version = stampVersions((JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version?: unknown }).version).solution;
  const solutionFile = path.join(root, "solution", "src", SOLUTION_XML);
  const unique = text(at(parseXml(fs.readFileSync(solutionFile, "utf8"), shown(solutionFile)), "ImportExportXml/SolutionManifest/UniqueName"))?.trim() ?? "";
  return [false, true].map((managed) => path.join(root, "solution", "bin", zipName(unique, version, managed)));
}

/** Throws PackError when the check cannot run at all (no XSD, no xmllint, no zip); otherwise reports each part. */
export function validateSolution(opts: ValidateOptions): ValidateResult {
  const xsd = path.resolve(opts.root, opts.xsd ?? DEFAULT_XSD);
  const xmllint = opts.xmllint ?? "xmllint";
  if (!fs.existsSync(xsd)) {
    throw new PackError(xsd, "XSD not found; pass the path of CustomizationsSolution.xsd (the copy xmllint can compile) as the first argument or in SOLUTION_XSD");
  }
  const probe = spawnSync(xmllint, ["--version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    throw new PackError(xmllint, "xmllint did not run; install it with `apt-get install -y libxml2-utils` (Debian) or set XMLLINT to its path");
  }
  const zips = opts.zips ?? defaultZips(opts.root);
  for (const z of zips) if (!fs.existsSync(z)) throw new PackError(shown(z), "missing; run npm run pack first");

  const lines: string[] = [];
  let ok = true;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tcp-validate-"));
  try {
    zips.forEach((z, i) => {
      const entries = unzip(new Uint8Array(fs.readFileSync(z)));
      for (const [name, data] of entries) {
        if (!/\.(xml|resx)$/i.test(name)) continue;
        const file = path.join(tmp, String(i), ...name.split("/"));
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, data);
        const schema = name === "customizations.xml";
        const r = spawnSync(xmllint, schema ? ["--noout", "--schema", xsd, file] : ["--noout", file], { encoding: "utf8" });
        const where = `${shown(z)}!${name}`;
        if (r.status === 0) lines.push(`ok   ${where}${schema ? ` validates against ${shown(xsd)}` : " is well-formed"}`);
        else {
          ok = false;
          const detail = `${r.stderr ?? ""}${r.stdout ?? ""}`.split(file).join(where).trim();
          lines.push(`FAIL ${where}${schema ? ` does not validate against ${shown(xsd)}` : " is not well-formed"}:`, ...detail.split("\n").map((l) => `     ${l}`));
        }
      }
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return { ok, lines };
}

export function validateCli(root: string, argv: string[], log = console.log, error = console.error): number {
  const xsd = argv.find((a) => a.endsWith(".xsd")) ?? process.env.SOLUTION_XSD;
  const zips = argv.filter((a) => a.endsWith(".zip")).map((z) => path.resolve(z));
  try {
    const r = validateSolution({ root, xsd, zips: zips.length ? zips : undefined, xmllint: process.env.XMLLINT });
    for (const l of r.lines) (r.ok ? log : error)(l);
    if (!r.ok) error("validate:solution: failed");
    return r.ok ? 0 : 1;
  } catch (e) {
    if (e instanceof PackError) {
      error(`validate:solution: ${e.message}`);
      return 1;
    }
    throw e;
  }
}
