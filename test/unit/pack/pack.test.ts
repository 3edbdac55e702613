import * as fs from "node:fs";
import * as path from "node:path";
import { XMLParser } from "fast-xml-parser";
import { packSolution } from "../../../scripts/pack/solution";
import { unzip, utf8 } from "../../../scripts/pack/zip";
import { TABLE_BY_NAME } from "../../simulator/schema";
import { chatLinkEntity, columnProblems, labelProblems, loadCustomizations, loadEnvVar, loadSolution, parse, rolePrivileges, wellFormed, type X } from "../solution/solution-source";
import { BUNDLE, builtManifest, cleanup, prepare, REDIRECT_HTML, SOLUTION_SRC, type Prepared } from "./fixture";

const BOM = "\ufeff";
const CONTROL = "Controls/tcp_TeamsChatPanel.TeamsChatPanel";
const REDIRECT_ENTRY = "WebResources/tcp_authredirecthtmlFF30ED02-0400-4577-B30A-CE0E6F0F63D1";
const EXPECTED_ENTRIES = [
  "customizations.xml",
  "[Content_Types].xml",
  "solution.xml",
  `${CONTROL}/ControlManifest.xml`,
  `${CONTROL}/bundle.js`,
  `${CONTROL}/bundle.js.LICENSE.txt`,
  `${CONTROL}/strings/TeamsChatPanel.1031.resx`,
  `${CONTROL}/strings/TeamsChatPanel.1033.resx`,
  REDIRECT_ENTRY,
  "environmentvariabledefinitions/tcp_TeamsChatPanelClientId/environmentvariabledefinition.xml",
  "environmentvariabledefinitions/tcp_TeamsChatPanelRelayUrl/environmentvariabledefinition.xml",
  "environmentvariabledefinitions/tcp_TeamsChatPanelTenantId/environmentvariabledefinition.xml",
];

let p: Prepared;
let files: { unmanaged: string; managed: string };
const zips: Record<"unmanaged" | "managed", Map<string, Uint8Array>> = { unmanaged: new Map(), managed: new Map() };
const text = (flavour: "unmanaged" | "managed", name: string) => {
  const data = zips[flavour].get(name);
  if (!data) throw new Error(`${flavour} zip has no ${name}`);
  return utf8(data);
};
const noBom = (t: string) => (t.startsWith(BOM) ? t.slice(1) : t);
const plain = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@_", parseTagValue: false, parseAttributeValue: false });

beforeAll(() => {
  p = prepare();
  files = packSolution({ ...p, version: "0.1.0" });
  zips.unmanaged = unzip(new Uint8Array(fs.readFileSync(files.unmanaged)));
  zips.managed = unzip(new Uint8Array(fs.readFileSync(files.managed)));
});
afterAll(() => cleanup(p));

describe("npm run pack: the solution zips", () => {
  it("writes TeamsChatPanel_<four-part version>_unmanaged.zip and _managed.zip, nothing else", () => {
    expect(path.basename(files.unmanaged)).toBe("TeamsChatPanel_0_1_0_0_unmanaged.zip");
    expect(path.basename(files.managed)).toBe("TeamsChatPanel_0_1_0_0_managed.zip");
    expect(fs.readdirSync(p.outDir).sort()).toEqual(["TeamsChatPanel_0_1_0_0_managed.zip", "TeamsChatPanel_0_1_0_0_unmanaged.zip"]);
  });

  it.each(["unmanaged", "managed"] as const)("%s: holds every part where Dataverse expects it, in the export's order, with no folder entries", (f) => {
    expect([...zips[f].keys()]).toEqual(EXPECTED_ENTRIES);
  });

  it.each(["unmanaged", "managed"] as const)("%s: every XML part is well-formed", (f) => {
    for (const name of EXPECTED_ENTRIES.filter((n) => /\.(xml|resx)$/.test(n))) expect(wellFormed(noBom(text(f, name))), name).toBe(true);
  });

  it("starts solution.xml, customizations.xml and [Content_Types].xml with a byte order mark like an export; the env var files without one", () => {
    for (const name of ["solution.xml", "customizations.xml", "[Content_Types].xml"]) expect(text("managed", name).startsWith(BOM), name).toBe(true);
    for (const name of EXPECTED_ENTRIES.filter((n) => n.startsWith("environmentvariabledefinitions/"))) {
      expect(text("managed", name).startsWith("<environmentvariabledefinition "), name).toBe(true);
    }
  });

  it("[Content_Types].xml has one Default per extension and an Override for the manifest and the extension-less web resource", () => {
    const types = plain.parse(noBom(text("unmanaged", "[Content_Types].xml"))).Types;
    expect(types["@_xmlns"]).toBe("http://schemas.openxmlformats.org/package/2006/content-types");
    expect(types.Default.map((d: X) => d["@_Extension"])).toEqual(["xml", "js", "txt", "resx"]);
    expect(types.Override.map((o: X) => o["@_PartName"])).toEqual([`/${CONTROL}/ControlManifest.xml`, `/${REDIRECT_ENTRY}`]);
    for (const t of [...types.Default, ...types.Override]) expect(t["@_ContentType"]).toBe("application/octet-stream");
  });

  it("stamps version 0.1.0.0 into both solution.xml files and sets Managed 0 and 1; nothing else differs", () => {
    const u = loadSolution(noBom(text("unmanaged", "solution.xml")));
    const m = loadSolution(noBom(text("managed", "solution.xml")));
    expect([u.Version, u.Managed]).toEqual(["0.1.0.0", "0"]);
    expect([m.Version, m.Managed]).toEqual(["0.1.0.0", "1"]);
    expect({ ...m, Managed: "0" }).toEqual(u);
    expect(text("managed", "customizations.xml")).toBe(text("unmanaged", "customizations.xml"));
  });

  it("keeps the solution and publisher of the source and lists a root component for every part shipped", () => {
    const m = loadSolution(noBom(text("managed", "solution.xml")));
    expect(m.UniqueName).toBe("TeamsChatPanel");
    expect(m.Publisher.CustomizationPrefix).toBe("tcp");
    const roots = m.RootComponents.RootComponent.map((r: X) => `${r["@_type"]}:${r["@_schemaName"] ?? r["@_id"]}`);
    expect(roots).toEqual(
      expect.arrayContaining(["1:tcp_chatlink", "61:tcp_/auth/redirect.html", "66:tcp_TeamsChatPanel.TeamsChatPanel"]),
    );
    // Environment variables travel as their folders only, as in Dataverse's exports.
    expect(roots.filter((r: string) => r.startsWith("380:"))).toEqual([]);
    const roleIds = loadCustomizations(noBom(text("managed", "customizations.xml"))).Roles.Role.map((r: X) => `20:${r["@_id"]}`);
    expect(roots.filter((r: string) => r.startsWith("20:")).sort()).toEqual(roleIds.sort());
  });

  it("ships customizations.xml with the same content as the source", () => {
    const source = loadCustomizations(fs.readFileSync(path.join(SOLUTION_SRC, "customizations.xml"), "utf8"));
    expect(loadCustomizations(noBom(text("unmanaged", "customizations.xml")))).toEqual(source);
  });

  it("ships the link table the simulator serves: columns, types, lengths, choice and alternate key", () => {
    const sim = TABLE_BY_NAME.get("tcp_chatlink")!;
    const entity = chatLinkEntity(loadCustomizations(noBom(text("managed", "customizations.xml"))));
    expect(columnProblems(entity, sim)).toEqual([]);
    const keys = Object.fromEntries(entity.EntityKeys.EntityKey.map((k: X) => [k.LogicalName, k.EntityKeyAttributes.AttributeName]));
    expect(keys).toEqual(sim.keys);
    expect(entity.EntitySetName).toBe(sim.entitySetName);
  });

  it("ships the role: read at organization depth, create and delete at user depth; the link manager deletes at organization depth", () => {
    const roles = rolePrivileges(loadCustomizations(noBom(text("managed", "customizations.xml"))));
    const user = roles.get("TeamsChatPanel User")!;
    expect([user.prvReadtcp_ChatLink, user.prvCreatetcp_ChatLink, user.prvDeletetcp_ChatLink]).toEqual(["Global", "Basic", "Basic"]);
    expect(roles.get("TeamsChatPanel Link Manager")).toEqual({ prvDeletetcp_ChatLink: "Global" });
  });

  it("ships the User role with read on environment variable definitions (organization) and both roles inheritable through teams", () => {
    const xml = noBom(text("managed", "customizations.xml"));
    expect(rolePrivileges(loadCustomizations(xml)).get("TeamsChatPanel User")!.prvReadEnvironmentVariableDefinition).toBe("Global");
    expect(xml).toMatch(/<Role id="\{4c692acc-[^"]*\}" name="TeamsChatPanel User" isinherited="1">/);
    expect(xml).toMatch(/<Role id="\{969e09aa-[^"]*\}" name="TeamsChatPanel Link Manager" isinherited="1">/);
  });

  it("ships the built control manifest with the package version stamped and nothing else changed", () => {
    const shipped = plain.parse(text("managed", `${CONTROL}/ControlManifest.xml`));
    const built = plain.parse(builtManifest());
    expect(shipped.manifest.control["@_version"]).toBe("0.1.0");
    built.manifest.control["@_version"] = "0.1.0";
    expect(shipped).toEqual(built);
  });

  it("ships the control's files byte for byte, and every file its manifest names", () => {
    expect(text("managed", `${CONTROL}/bundle.js`)).toBe(BUNDLE);
    for (const lang of ["1033", "1031"]) {
      const name = `strings/TeamsChatPanel.${lang}.resx`;
      expect(text("managed", `${CONTROL}/${name}`)).toBe(fs.readFileSync(path.join(p.controlDir, name), "utf8"));
    }
    const control = plain.parse(text("managed", `${CONTROL}/ControlManifest.xml`)).manifest.control;
    const paths = [control.resources.code, ...control.resources.resx].map((r: X) => r["@_path"]);
    for (const rel of paths) expect(zips.managed.has(`${CONTROL}/${rel}`), rel).toBe(true);
  });

  it("declares the control and the redirect page in customizations.xml at the paths the zip uses", () => {
    const cust = loadCustomizations(noBom(text("managed", "customizations.xml")));
    expect(cust.CustomControls.CustomControl).toEqual({ Name: "tcp_TeamsChatPanel.TeamsChatPanel", FileName: `/${CONTROL}/ControlManifest.xml` });
    const wr = cust.WebResources.WebResource;
    expect([wr.Name, wr.WebResourceType, wr.FileName]).toEqual(["tcp_/auth/redirect.html", "1", `/${REDIRECT_ENTRY}`]);
    expect(REDIRECT_ENTRY.endsWith(wr.WebResourceId.replace(/[{}]/g, "").toUpperCase())).toBe(true);
    expect(text("managed", REDIRECT_ENTRY)).toBe(REDIRECT_HTML);
  });

  it("ships both environment variable definitions as String, in the folder named after each", () => {
    for (const schema of ["tcp_TeamsChatPanelClientId", "tcp_TeamsChatPanelTenantId"]) {
      const d = loadEnvVar(schema, text("managed", `environmentvariabledefinitions/${schema}/environmentvariabledefinition.xml`));
      expect(d["@_schemaname"]).toBe(schema);
      expect(d.type).toBe("100000000");
      expect(labelProblems(parse(text("managed", `environmentvariabledefinitions/${schema}/environmentvariabledefinition.xml`)))).toEqual([]);
    }
  });

  it("gives the same bytes when packed again (fixed time stamps, fixed order)", () => {
    const again = prepare();
    try {
      const second = packSolution({ ...p, outDir: again.outDir, version: "0.1.0" });
      expect(Buffer.compare(fs.readFileSync(second.managed), fs.readFileSync(files.managed))).toBe(0);
      expect(Buffer.compare(fs.readFileSync(second.unmanaged), fs.readFileSync(files.unmanaged))).toBe(0);
    } finally {
      cleanup(again);
    }
  });

  it("takes a four-part package version as it is", () => {
    const other = prepare();
    try {
      const r = packSolution({ ...other, version: "2.3.4.5" });
      const entries = unzip(new Uint8Array(fs.readFileSync(r.managed)));
      expect(path.basename(r.managed)).toBe("TeamsChatPanel_2_3_4_5_managed.zip");
      expect(loadSolution(noBom(utf8(entries.get("solution.xml")!))).Version).toBe("2.3.4.5");
      expect(plain.parse(utf8(entries.get(`${CONTROL}/ControlManifest.xml`)!)).manifest.control["@_version"]).toBe("2.3.4.5");
    } finally {
      cleanup(other);
    }
  });
});
