import * as fs from "node:fs";
import * as path from "node:path";
import { packSolution } from "../../../scripts/pack/solution";
import { validateSolution, withoutNewerAttributes } from "../../../scripts/pack/validate";
import { unzip, zip } from "../../../scripts/pack/zip";
import { cleanup, prepare, type Prepared } from "./fixture";

/**
 * The project carries no XSD and the machine may have no xmllint, so the schema tests use a stand-in
 * schema file and a stand-in xmllint that logs its arguments and rejects files marked as invalid.
 * Without an XSD, validate:solution runs only what the project carries (well-formedness, export shape).
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
  it("without an XSD: checks every XML part and the export shape of both zips, runs no xmllint, and says the schema check was skipped", () => {
    fs.rmSync(calls, { force: true });
    const r = validateSolution({ root: p.root, zips, xmllint });
    expect(r.ok).toBe(true);
    expect(fs.existsSync(calls)).toBe(false);
    expect(r.lines.filter((l) => l.includes("customizations.xml is well-formed"))).toHaveLength(2);
    expect(r.lines.some((l) => l.includes("ControlManifest.xml is well-formed"))).toBe(true);
    expect(r.lines.filter((l) => l.includes("has the shape of a Dataverse export"))).toHaveLength(2);
    expect(r.lines.at(-1)).toMatch(/^note no XSD given .*the schema check was skipped/);
  });

  it("needs nothing outside the project: no default path beside it", () => {
    const source = fs.readFileSync(path.join(__dirname, "../../../scripts/pack/validate.ts"), "utf8");
    expect(source).not.toMatch(/\.\.\/shared|reference\/dataverse-solution/);
  });

  it("fails, naming the zip and each difference, when a zip is not shaped like an export", () => {
    const bad = path.join(p.root, "shape.zip");
    const entries = unzip(new Uint8Array(fs.readFileSync(zips[1])));
    const solution = new TextDecoder().decode(entries.get("solution.xml")).replace("<RootComponents>", '<RootComponents><RootComponent type="380" schemaName="tcp_X" behavior="0" />');
    entries.set("solution.xml", new TextEncoder().encode(solution));
    fs.writeFileSync(bad, zip([...entries]));
    const r = validateSolution({ root: p.root, zips: [bad] });
    expect(r.ok).toBe(false);
    expect(r.lines.join("\n")).toMatch(/FAIL .*shape\.zip differs from the shape of a Dataverse export:\n\s+solution\.xml: RootComponent type 380 \(environment variable\)/);
  });

  it("with an XSD: runs xmllint --schema on customizations.xml of both zips, without the attributes newer than the 9.0 schema", () => {
    fs.rmSync(calls, { force: true });
    const r = validateSolution({ root: p.root, xsd, zips, xmllint });
    expect(r.ok).toBe(true);
    const lines = fs.readFileSync(calls, "utf8").trim().split("\n");
    const schemaRuns = lines.filter((l) => l.includes("--schema"));
    expect(schemaRuns).toHaveLength(2);
    for (const l of schemaRuns) expect(l).toMatch(new RegExp(`^--noout --schema ${xsd.replace(/[.]/g, "\\.")} .*customizations\\.xml$`));
    expect(r.lines.filter((l) => /customizations\.xml validates against .*not checked there: Role\/@isinherited/.test(l))).toHaveLength(2);
    expect(r.lines.every((l) => l.startsWith("ok "))).toBe(true);
  });

  it("takes only the newer attributes out of the copy the schema sees", () => {
    const xml = '<Roles><Role id="{a}" name="R" isinherited="1"><IsCustomizable>1</IsCustomizable></Role></Roles>';
    expect(withoutNewerAttributes(xml)).toBe('<Roles><Role id="{a}" name="R"><IsCustomizable>1</IsCustomizable></Role></Roles>');
  });

  it("fails and shows xmllint's message, naming the zip and the part", () => {
    const bad = path.join(p.root, "bad.zip");
    fs.writeFileSync(bad, zip([["customizations.xml", new TextEncoder().encode("<ImportExportXml><MARKED_INVALID/></ImportExportXml>")]]));
    const r = validateSolution({ root: p.root, xsd, zips: [bad], xmllint });
    expect(r.ok).toBe(false);
    expect(r.lines.join("\n")).toMatch(/FAIL .*bad\.zip!customizations\.xml does not validate against /);
    expect(r.lines.join("\n")).toMatch(/bad\.zip!customizations\.xml:3: element Bad: Schemas validity error/);
  });

  it("says how to get the XSD when a given one is missing", () => {
    expect(() => validateSolution({ root: p.root, xsd: path.join(p.root, "nope.xsd"), zips, xmllint })).toThrow(/nope\.xsd: XSD not found; pass the path of CustomizationsSolution\.xsd .* or in SOLUTION_XSD, or leave both unset/);
  });

  it("says how to install xmllint when an XSD is given and xmllint is missing", () => {
    expect(() => validateSolution({ root: p.root, xsd, zips, xmllint: path.join(p.root, "no-xmllint") })).toThrow(/xmllint did not run; install it with `apt-get install -y libxml2-utils`/);
  });

  it("asks for npm run pack when a zip is missing", () => {
    expect(() => validateSolution({ root: p.root, zips: [path.join(p.root, "gone.zip")] })).toThrow(/gone\.zip: missing; run npm run pack first/);
  });
});
