/**
 * `npm run validate:solution`: checks both packed zips with what the project itself carries:
 * every XML part well-formed, and every part in the shape of real Dataverse exports (shape.ts).
 * Given Microsoft's CustomizationsSolution.xsd (as an argument or in SOLUTION_XSD; the project does
 * not carry it, see solution/README.md), it also runs xmllint --schema on customizations.xml, with
 * the attributes that current exports use but the 9.0 schema predates taken out first.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PackError } from "./errors";
import { shapeProblems } from "./shape";
import { SOLUTION_XML, shown, zipName } from "./solution";
import { stampVersions } from "./version";
import { at, parseXml, text } from "./xml";
import { unzip } from "./zip";

/**
 * Attributes real, importable exports carry that the 9.0.0.2090 XSD does not know; removed from the
 * copy xmllint sees. Role/@isinherited: member's privilege inheritance (Microsoft's CoE Starter Kit
 * exports it; Role.isinherited in the Dataverse table reference).
 */
export const NEWER_THAN_XSD: { element: string; attribute: string }[] = [{ element: "Role", attribute: "isinherited" }];

export interface ValidateOptions {
  root: string;
  /** Path of CustomizationsSolution.xsd (a copy libxml2 can compile); without it the schema check is skipped. */
  xsd?: string;
  zips?: string[];
  /** The xmllint program (only used with an XSD). */
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

/** customizations.xml without the attributes the 9.0 XSD predates. */
export function withoutNewerAttributes(xml: string): string {
  let out = xml;
  for (const { element, attribute } of NEWER_THAN_XSD) {
    out = out.replace(new RegExp(`(<${element}\\b[^>]*?)\\s${attribute}="[^"]*"`, "g"), "$1");
  }
  return out;
}

/** Throws PackError when a check cannot run at all (a given XSD missing, no xmllint for it, no zip); otherwise reports each part. */
export function validateSolution(opts: ValidateOptions): ValidateResult {
  const xsd = opts.xsd === undefined ? undefined : path.resolve(opts.root, opts.xsd);
  const xmllint = opts.xmllint ?? "xmllint";
  if (xsd !== undefined) {
    if (!fs.existsSync(xsd)) throw new PackError(xsd, "XSD not found; pass the path of CustomizationsSolution.xsd (the copy xmllint can compile) as the first argument or in SOLUTION_XSD, or leave both unset to skip the schema check");
    const probe = spawnSync(xmllint, ["--version"], { encoding: "utf8" });
    if (probe.error || probe.status !== 0) {
      throw new PackError(xmllint, "xmllint did not run; install it with `apt-get install -y libxml2-utils` (Debian) or set XMLLINT to its path");
    }
  }
  const zips = opts.zips ?? defaultZips(opts.root);
  for (const z of zips) if (!fs.existsSync(z)) throw new PackError(shown(z), "missing; run npm run pack first");

  const lines: string[] = [];
  let ok = true;
  const fail = (head: string, detail: string[]) => {
    ok = false;
    lines.push(head, ...detail.map((l) => `     ${l}`));
  };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tcp-validate-"));
  try {
    zips.forEach((z, i) => {
      const entries = unzip(new Uint8Array(fs.readFileSync(z)));
      for (const [name, data] of entries) {
        if (!/\.(xml|resx)$/i.test(name)) continue;
        const where = `${shown(z)}!${name}`;
        try {
          parseXml(new TextDecoder("utf-8", { fatal: true }).decode(data), where);
          lines.push(`ok   ${where} is well-formed`);
        } catch (e) {
          fail(`FAIL ${where} is not well-formed:`, [e instanceof Error ? e.message : String(e)]);
        }
      }
      const shape = shapeProblems(entries);
      if (shape.length === 0) lines.push(`ok   ${shown(z)} has the shape of a Dataverse export (scripts/pack/shape.ts)`);
      else fail(`FAIL ${shown(z)} differs from the shape of a Dataverse export:`, shape);

      if (xsd === undefined) return;
      const cust = entries.get("customizations.xml");
      const where = `${shown(z)}!customizations.xml`;
      if (!cust) return fail(`FAIL ${where} is missing`, []);
      const file = path.join(tmp, String(i), "customizations.xml");
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, withoutNewerAttributes(new TextDecoder().decode(cust)));
      const r = spawnSync(xmllint, ["--noout", "--schema", xsd, file], { encoding: "utf8" });
      const ignored = NEWER_THAN_XSD.map((n) => `${n.element}/@${n.attribute}`).join(", ");
      if (r.status === 0) lines.push(`ok   ${where} validates against ${shown(xsd)} (not checked there: ${ignored}, newer than that schema)`);
      else fail(`FAIL ${where} does not validate against ${shown(xsd)}:`, `${r.stderr ?? ""}${r.stdout ?? ""}`.split(file).join(where).trim().split("\n"));
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (xsd === undefined) lines.push("note no XSD given (argument or SOLUTION_XSD): the schema check was skipped; the checks above need nothing outside the project");
  return { ok, lines };
}

export function validateCli(root: string, argv: string[], log = console.log, error = console.error): number {
  const xsd = argv.find((a) => a.endsWith(".xsd")) ?? (process.env.SOLUTION_XSD || undefined);
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
