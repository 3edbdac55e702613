/** `npm run pack`: build the production control, then write the unmanaged and managed solution zips. */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { PackError } from "./errors";
import { packSolution, shown } from "./solution";

export interface PackCliOptions {
  root: string;
  argv: string[];
  log?: (line: string) => void;
  error?: (line: string) => void;
}

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** Exit code: 0 when both zips were written. */
export function packCli({ root, argv, log = console.log, error = console.error }: PackCliOptions): number {
  if (!argv.includes("--skip-build")) {
    const build = spawnSync(process.execPath, [path.join("scripts", "build.mjs")], { cwd: root, stdio: "inherit" });
    if (build.status !== 0) {
      error("pack: the production build failed (see above); no solution was written");
      return 1;
    }
  }
  const pkgFile = path.join(root, "package.json");
  try {
    const version = (JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { version?: unknown }).version;
    const result = packSolution({
      srcDir: path.resolve(root, option(argv, "--src") ?? "solution/src"),
      controlDir: path.resolve(root, option(argv, "--control") ?? "out/controls/TeamsChatPanel"),
      webResourcesDir: path.resolve(root, option(argv, "--webresources") ?? "out/webresources"),
      outDir: path.resolve(root, option(argv, "--out") ?? "solution/bin"),
      version: version as string,
      versionFile: shown(pkgFile),
    });
    for (const f of [result.unmanaged, result.managed]) log(`pack: ${shown(f)} (${(fs.statSync(f).size / 1024).toFixed(1)} KB, solution version ${result.solutionVersion})`);
    return 0;
  } catch (e) {
    if (e instanceof PackError) {
      error(`pack: ${e.message}`);
      error("pack: no solution was written");
      return 1;
    }
    throw e;
  }
}
