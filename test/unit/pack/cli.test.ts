import * as fs from "node:fs";
import * as path from "node:path";
import { packCli } from "../../../scripts/pack/cli";
import { cleanup, filesIn, prepare, type Prepared } from "./fixture";

let p: Prepared;
beforeEach(() => {
  p = prepare();
});
afterEach(() => cleanup(p));

function run(version: string, build?: string) {
  fs.writeFileSync(path.join(p.root, "package.json"), JSON.stringify({ name: "x", version }));
  if (build !== undefined) {
    fs.mkdirSync(path.join(p.root, "scripts"), { recursive: true });
    fs.writeFileSync(path.join(p.root, "scripts", "build.mjs"), build);
  }
  const log: string[] = [];
  const error: string[] = [];
  const argv = ["--src", p.srcDir, "--control", p.controlDir, "--webresources", p.webResourcesDir, "--out", p.outDir];
  const code = packCli({ root: p.root, argv: build === undefined ? ["--skip-build", ...argv] : argv, log: (l) => log.push(l), error: (l) => error.push(l) });
  return { code, log, error };
}

describe("npm run pack (command line)", () => {
  it("packs the version in package.json and says where the zips are", () => {
    const r = run("1.4.2");
    expect(r.code).toBe(0);
    expect(r.error).toEqual([]);
    expect(r.log).toEqual([expect.stringMatching(/TeamsChatPanel_1_4_2_0_unmanaged\.zip \([\d.]+ KB, solution version 1\.4\.2\.0\)$/), expect.stringMatching(/TeamsChatPanel_1_4_2_0_managed\.zip /)]);
    expect(filesIn(p.outDir).sort()).toEqual(["TeamsChatPanel_1_4_2_0_managed.zip", "TeamsChatPanel_1_4_2_0_unmanaged.zip"]);
  });

  it("refuses a version Dataverse would reject, names package.json, and writes nothing", () => {
    const r = run("1.x");
    expect(r.code).toBe(1);
    expect(r.error[0]).toMatch(/^pack: .*package\.json: version "1\.x" cannot be a Dataverse solution version/);
    expect(r.error[1]).toBe("pack: no solution was written");
    expect(filesIn(p.outDir)).toEqual([]);
  });

  it("builds first and stops when the build fails", () => {
    const r = run("0.1.0", "process.exit(3);\n");
    expect(r.code).toBe(1);
    expect(r.error).toEqual(["pack: the production build failed (see above); no solution was written"]);
    expect(filesIn(p.outDir)).toEqual([]);
  });

  it("packs after a build that succeeds", () => {
    const r = run("0.1.0", "process.exit(0);\n");
    expect(r.code).toBe(0);
    expect(filesIn(p.outDir)).toHaveLength(2);
  });
});
