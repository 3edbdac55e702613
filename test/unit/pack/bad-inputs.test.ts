import * as fs from "node:fs";
import * as path from "node:path";
import { PackError } from "../../../scripts/pack/errors";
import { packSolution } from "../../../scripts/pack/solution";
import { cleanup, filesIn, prepare, type Prepared } from "./fixture";

let p: Prepared;
beforeEach(() => {
  p = prepare();
});
afterEach(() => cleanup(p));

/** Packs, expects a PackError naming `file` (relative to the temp folder) and a reason; checks no zip or temp file was left. */
function fails(file: string, reason: RegExp, version = "0.1.0"): PackError {
  let err: unknown;
  try {
    packSolution({ ...p, version });
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(PackError);
  const e = err as PackError;
  expect(e.file.split(path.sep).join("/")).toMatch(new RegExp(`${file.replace(/[.[\]]/g, "\\$&")}$`));
  expect(e.reason).toMatch(reason);
  expect(e.message).toBe(`${e.file}: ${e.reason}`);
  expect(filesIn(p.outDir)).toEqual([]);
  return e;
}

const edit = (rel: string, from: string | RegExp, to: string) => {
  const file = path.join(p.root, rel);
  const before = fs.readFileSync(file, "utf8");
  const after = before.replace(from, to);
  if (after === before) throw new Error(`edit did not apply to ${rel}: ${String(from)}`);
  fs.writeFileSync(file, after);
};

describe("npm run pack refuses bad input with the file and the reason, and writes no zip", () => {
  it("a missing solution.xml", () => {
    fs.rmSync(path.join(p.srcDir, "solution.xml"));
    fails("src/solution.xml", /^missing \(the solution manifest\)$/);
  });

  it("a malformed customizations.xml, with line and column", () => {
    edit("src/customizations.xml", "</Roles>", "");
    fails("src/customizations.xml", /^not well-formed XML at line \d+, column \d+: /);
  });

  it("a malformed environment variable definition", () => {
    edit("src/environmentvariabledefinitions/tcp_TeamsChatPanelTenantId/environmentvariabledefinition.xml", "</type>", "</typo>");
    fails("src/environmentvariabledefinitions/tcp_TeamsChatPanelTenantId/environmentvariabledefinition.xml", /^not well-formed XML at line \d+/);
  });

  it("a missing environment variable definition file", () => {
    fs.rmSync(path.join(p.srcDir, "environmentvariabledefinitions", "tcp_TeamsChatPanelClientId", "environmentvariabledefinition.xml"));
    fails("src/environmentvariabledefinitions/tcp_TeamsChatPanelClientId/environmentvariabledefinition.xml", /^missing \(definition of the environment variable tcp_TeamsChatPanelClientId\)$/);
  });

  it("an environment variable whose schema name differs from its folder", () => {
    edit("src/environmentvariabledefinitions/tcp_TeamsChatPanelTenantId/environmentvariabledefinition.xml", 'schemaname="tcp_TeamsChatPanelTenantId"', 'schemaname="tcp_TenantId"');
    fails("src/environmentvariabledefinitions/tcp_TeamsChatPanelTenantId/environmentvariabledefinition.xml", /schemaname "tcp_TenantId" differs from its folder name tcp_TeamsChatPanelTenantId/);
  });

  it("a solution.xml without a Version element", () => {
    edit("src/solution.xml", /<Version>[^<]*<\/Version>/, "");
    fails("src/solution.xml", /^has no <SolutionManifest\/Version>$/);
  });

  it("a root component list that misses a shipped part", () => {
    edit("src/solution.xml", /<RootComponent type="66"[^>]*\/>/, "");
    fails("src/solution.xml", /RootComponents of type 66 \(controls\) are \[\] but the solution ships \[tcp_TeamsChatPanel\.TeamsChatPanel\]/);
  });

  it("an environment variable listed as a root component (type 380), which exports never do", () => {
    edit("src/solution.xml", "<RootComponents>", '<RootComponents>\n      <RootComponent type="380" schemaName="tcp_TeamsChatPanelClientId" behavior="0" />');
    fails("src/solution.xml", /lists environment variables as RootComponents of type 380 \(tcp_TeamsChatPanelClientId\); Dataverse exports list none/);
  });

  it("the redirect page missing from the build output", () => {
    fs.rmSync(path.join(p.webResourcesDir, "tcp_", "auth", "redirect.html"));
    fails(["out", "webresources", "tcp_", "auth", "redirect.html"].join("/"), /^missing: the web resource tcp_\/auth\/redirect\.html is built by npm run build/);
  });

  it("no built control manifest", () => {
    fs.rmSync(path.join(p.controlDir, "ControlManifest.xml"));
    fails("out/controls/TeamsChatPanel/ControlManifest.xml", /^missing \(the built control manifest; run npm run build\)$/);
  });

  it("a file the control manifest names missing from the build", () => {
    fs.rmSync(path.join(p.controlDir, "bundle.js"));
    fails("out/controls/TeamsChatPanel/bundle.js", /^missing: the control manifest's <code path="bundle.js"> points to it$/);
  });

  it("a malformed resx in the build", () => {
    edit("out/controls/TeamsChatPanel/strings/TeamsChatPanel.1031.resx", "</root>", "");
    fails("out/controls/TeamsChatPanel/strings/TeamsChatPanel.1031.resx", /^not well-formed XML/);
  });

  it("a built control that is not the one customizations.xml declares", () => {
    edit("out/controls/TeamsChatPanel/ControlManifest.xml", 'namespace="TeamsChatPanel"', 'namespace="Other"');
    fails("src/customizations.xml", /CustomControl tcp_TeamsChatPanel\.TeamsChatPanel does not match the built control tcp_Other\.TeamsChatPanel/);
  });

  it.each([
    ["1.x", /version "1\.x" cannot be a Dataverse solution version/],
    ["1.2.3.4.5", /version "1\.2\.3\.4\.5" has 5 parts; Dataverse needs four after stamping/],
    ["1.2", /version "1\.2" has 2 parts/],
    ["1.0.0-beta.1", /no pre-release or build tags/],
    ["1.0.3000000000", /part 3000000000 is larger than Dataverse allows/],
    ["", /no "version"/],
  ])("a package version Dataverse would refuse: %j", (version, reason) => {
    const e = fails("package.json", reason, version);
    expect(e.reason).toMatch(/1\.2\.3 \(packed as 1\.2\.3\.0\)/);
  });

  it("keeps zips of an earlier good pack untouched when a later pack fails", () => {
    const good = packSolution({ ...p, version: "0.1.0" });
    const before = fs.readFileSync(good.managed);
    fs.rmSync(path.join(p.srcDir, "customizations.xml"));
    expect(() => packSolution({ ...p, version: "0.1.0" })).toThrow(PackError);
    expect(fs.readdirSync(p.outDir).sort()).toEqual([path.basename(good.managed), path.basename(good.unmanaged)].sort());
    expect(fs.readFileSync(good.managed).equals(before)).toBe(true);
  });
});
