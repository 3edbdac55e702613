import * as fs from "node:fs";
import { shapeProblems } from "../../../scripts/pack/shape";
import { packSolution } from "../../../scripts/pack/solution";
import { unzip } from "../../../scripts/pack/zip";
import { cleanup, prepare, type Prepared } from "./fixture";

/**
 * The packed zip against the shape of real Dataverse exports, so the 9.0 XSD (which predates
 * attributes current exports use, and which the project does not carry) is not the only measure.
 * The facts are written here, from exports read for the project (solution/README.md: S1 pac-built
 * PCF solution, S2 2025 exports with environment variables, S3/S4 9.1 exports with a custom table,
 * S6 Microsoft's CoE Starter Kit); nothing is read from outside the project.
 */
let p: Prepared;
let entries: Map<string, Uint8Array>;
const BOM = "\ufeff";
const text = (name: string) => new TextDecoder("utf-8", { ignoreBOM: true }).decode(entries.get(name));
/** A copy of the packed entries with one part's text changed. */
function withPart(name: string, change: (t: string) => string): Map<string, Uint8Array> {
  const next = new Map(entries);
  const before = text(name);
  const after = change(before);
  if (after === before) throw new Error(`mutation of ${name} did not apply`);
  next.set(name, new TextEncoder().encode(after));
  return next;
}

beforeAll(() => {
  p = prepare();
  entries = unzip(new Uint8Array(fs.readFileSync(packSolution({ ...p, version: "0.1.0" }).managed)));
});
afterAll(() => cleanup(p));

describe("the packed solution has the shape of a Dataverse export", () => {
  it("passes every shape check validate:solution runs", () => {
    expect(shapeProblems(entries)).toEqual([]);
  });

  it("starts with customizations.xml, [Content_Types].xml, solution.xml and has no folder entries (S4, S5)", () => {
    const names = [...entries.keys()];
    expect(names.slice(0, 3)).toEqual(["customizations.xml", "[Content_Types].xml", "solution.xml"]);
    expect(names.filter((n) => n.endsWith("/"))).toEqual([]);
  });

  it("lists only root component types exports use, named as they name them, and no environment variable (S2, S6 list no 380)", () => {
    const roots = [...text("solution.xml").matchAll(/<RootComponent ([^>]*)\/>/g)].map((m) => m[1].trim());
    const types = new Set(roots.map((r) => /type="(\d+)"/.exec(r)?.[1]));
    expect([...types].sort()).toEqual(["1", "20", "61", "66"]);
    for (const r of roots.filter((x) => x.startsWith('type="20"'))) expect(r).toMatch(/^type="20" id="\{[0-9a-f-]{36}\}" behavior="0"$/);
    expect(roots).toContain('type="1" schemaName="tcp_chatlink" behavior="0"');
  });

  it("writes roles as the CoE Starter Kit exports them: id, name, isinherited; IsCustomizable, IntroducedVersion, RolePrivileges (S6)", () => {
    const roles = [...text("customizations.xml").matchAll(/<Role ([^>]*)>([\s\S]*?)<\/Role>/g)];
    expect(roles).toHaveLength(2);
    for (const [, attrs, body] of roles) {
      expect([...attrs.matchAll(/(\w+)="/g)].map((m) => m[1])).toEqual(["id", "name", "isinherited"]);
      expect([...body.matchAll(/^ {6}<(\w+)/gm)].map((m) => m[1])).toEqual(["IsCustomizable", "IntroducedVersion", "RolePrivileges"]);
    }
  });

  it("orders the table as exports do: Name, EntityInfo, FormXml, SavedQueries (S3, S4)", () => {
    const entity = /<Entity>([\s\S]*?)\n {4}<\/Entity>/.exec(text("customizations.xml"))![1];
    expect([...entity.matchAll(/^ {6}<(\w+)/gm)].map((m) => m[1])).toEqual(["Name", "EntityInfo", "FormXml", "SavedQueries"]);
  });

  it("writes [Content_Types].xml with a BOM on one line, environment variable files with neither BOM nor declaration (S2, S4)", () => {
    expect(text("[Content_Types].xml").startsWith(BOM)).toBe(true);
    expect(text("[Content_Types].xml").trim()).not.toContain("\n");
    const envVars = [...entries.keys()].filter((n) => n.startsWith("environmentvariabledefinitions/"));
    expect(envVars.length).toBeGreaterThan(0);
    for (const n of envVars) expect(text(n).startsWith("<environmentvariabledefinition ")).toBe(true);
  });

  it("notices each kind of difference from an export", () => {
    const cases: [Map<string, Uint8Array>, RegExp][] = [
      [withPart("solution.xml", (t) => t.replace("<RootComponents>", '<RootComponents><RootComponent type="380" schemaName="tcp_X" behavior="0" />')), /RootComponent type 380 \(environment variable\)/],
      [withPart("solution.xml", (t) => t.replace(/<RootComponent type="20" id="([^"]+)"/, '<RootComponent type="20" schemaName="x" id="$1"')), /type 20 is named by a braced id only/],
      [withPart("solution.xml", (t) => t.replace('schemaName="tcp_chatlink"', 'schemaName="tcp_ChatLink"')), /not the lower-case logical name/],
      [withPart("customizations.xml", (t) => t.replace('isinherited="1"', 'isinherited="1" inherited="yes"')), /Role TeamsChatPanel User has attribute inherited/],
      [withPart("customizations.xml", (t) => t.replace('isinherited="1"', 'isinherited="2"')), /isinherited="2"; the choice is 0 or 1/],
      [withPart("customizations.xml", (t) => t.replace('level="Global"', 'level="Organization"')), /level Organization/],
      [withPart("customizations.xml", (t) => t.replace(/<querytype>64<\/querytype>/, "<querytype>8192</querytype>")), /no view of querytype 64/],
      [withPart("customizations.xml", (t) => t.replace('<forms type="main">', '<forms type="quick">')), /has no main form/],
      [withPart("customizations.xml", (t) => t.replace(/(<Roles>[\s\S]*<\/Roles>)\s*(<Workflows\s*\/>)/, "$2$1")), /<Roles> comes after <Workflows>/],
      [withPart("environmentvariabledefinitions/tcp_TeamsChatPanelClientId/environmentvariabledefinition.xml", (t) => `<?xml version="1.0" encoding="utf-8"?>\n${t}`), /starts with a BOM or an XML declaration/],
      [withPart("[Content_Types].xml", (t) => t.slice(1)), /no byte order mark/],
    ];
    for (const [zip, problem] of cases) expect(shapeProblems(zip).join("\n")).toMatch(problem);
  });
});
