import * as fs from "node:fs";
import * as path from "node:path";
import { PackError } from "../../../scripts/pack/errors";
import { packSolution } from "../../../scripts/pack/solution";
import { validateSolution } from "../../../scripts/pack/validate";
import { zip } from "../../../scripts/pack/zip";
import { cleanup, prepare, type Prepared } from "./fixture";

/**
 * The project carries no XSD and the machine may have no xmllint, so these tests use a stand-in
 * schema file and a stand-in xmllint that logs its arguments and rejects files marked as invalid.
 * CI runs the real xmllint against Microsoft's XSD (npm run validate:solution).
 */
let p: Prepared;
let xsd: string;
let xmllint: string;
let calls: string;
let zips: string[];

beforeAll(() => {
  p = prepare();
  xsd = path.join(p.root, "CustomizationsSolution.xsd");
  fs.writeFileSync(xsd, '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"/>\n');
  calls = path.join(p.root, "xmllint-calls.txt");
  xmllint = path.join(p.root, "xmllint");
  fs.writeFileSync(
    xmllint,
    [
      "#!/bin/sh",
      `echo "$@" >> '${calls}'`,
      'if [ "$1" = "--version" ]; then echo "xmllint: using libxml version 21400" >&2; exit 0; fi',
      'for f; do last="$f"; done',
      'if grep -q MARKED_INVALID "$last"; then echo "$last:3: element Bad: Schemas validity error : not expected." >&2; echo "$last fails to validate" >&2; exit 3; fi',
      'echo "$last validates" >&2',
      "exit 0",
      "",
    ].join("\n"),
  );
  fs.chmodSync(xmllint, 0o755);
  const r = packSolution({ ...p, version: "0.1.0" });
  zips = [r.unmanaged, r.managed];
});
afterAll(() => cleanup(p));

describe("npm run validate:solution", () => {
  it("runs xmllint --schema on customizations.xml of both zips and --noout on every other XML part", () => {
    fs.rmSync(calls, { force: true });
    const r = validateSolution({ root: p.root, xsd, zips, xmllint });
    expect(r.ok).toBe(true);
    const lines = fs.readFileSync(calls, "utf8").trim().split("\n");
    const schemaRuns = lines.filter((l) => l.includes("--schema"));
    expect(schemaRuns).toHaveLength(2);
    for (const l of schemaRuns) expect(l).toMatch(new RegExp(`^--noout --schema ${xsd.replace(/[.]/g, "\\.")} .*customizations\\.xml$`));
    expect(r.lines.filter((l) => l.includes("customizations.xml validates against"))).toHaveLength(2);
    expect(r.lines.some((l) => l.includes("ControlManifest.xml is well-formed"))).toBe(true);
    expect(r.lines.every((l) => l.startsWith("ok "))).toBe(true);
  });

  it("fails and shows xmllint's message, naming the zip and the part", () => {
    const bad = path.join(p.root, "bad.zip");
    fs.writeFileSync(bad, zip([["customizations.xml", new TextEncoder().encode("<ImportExportXml><MARKED_INVALID/></ImportExportXml>")]]));
    const r = validateSolution({ root: p.root, xsd, zips: [bad], xmllint });
    expect(r.ok).toBe(false);
    expect(r.lines[0]).toMatch(/^FAIL .*bad\.zip!customizations\.xml does not validate against /);
    expect(r.lines.join("\n")).toMatch(/bad\.zip!customizations\.xml:3: element Bad: Schemas validity error/);
  });

  it("says how to get the XSD when it is missing", () => {
    expect(() => validateSolution({ root: p.root, xsd: path.join(p.root, "nope.xsd"), zips, xmllint })).toThrow(/nope\.xsd: XSD not found; pass the path of CustomizationsSolution\.xsd .* or in SOLUTION_XSD/);
  });

  it("defaults to the XSD in ../shared beside the project", () => {
    const e = (() => {
      try {
        validateSolution({ root: path.join(p.root, "project"), zips, xmllint });
      } catch (err) {
        return err as PackError;
      }
    })();
    expect(e?.file).toBe(path.join(p.root, "shared/reference/dataverse-solution/xsd/9.0.0.2090-xmllint/CustomizationsSolution.xsd"));
  });

  it("says how to install xmllint when it is missing", () => {
    expect(() => validateSolution({ root: p.root, xsd, zips, xmllint: path.join(p.root, "no-xmllint") })).toThrow(/xmllint did not run; install it with `apt-get install -y libxml2-utils`/);
  });

  it("asks for npm run pack when a zip is missing", () => {
    expect(() => validateSolution({ root: p.root, xsd, zips: [path.join(p.root, "gone.zip")], xmllint })).toThrow(/gone\.zip: missing; run npm run pack first/);
  });
});
