// Production build that fails when it fails: pcf-scripts exits 0 on errors,
// so we read its log, type-check separately and enforce the bundle budget.
import { spawnSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";

const BUDGET_GZIP_BYTES = 150 * 1024;
const bundle = join("out", "controls", "TeamsChatPanel", "bundle.js");

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: "utf8", shell: false });
  return { code: r.status ?? 1, out: `${r.stdout ?? ""}${r.stderr ?? ""}` };
}

const pcf = run("npx", ["pcf-scripts", "rebuild", "--buildMode", "production"]);
if (!/\[(re)?build\] Succeeded/.test(pcf.out) || /\[(re)?build\] Failed/.test(pcf.out)) {
  process.stderr.write(pcf.out);
  console.error("build: pcf-scripts did not report success");
  process.exit(1);
}

// After pcf-scripts, which generates ManifestTypes.d.ts that the control's types import.
const tsc = run("npx", ["tsc", "--noEmit", "-p", "tsconfig.json"]);
if (tsc.code !== 0) {
  process.stderr.write(tsc.out);
  console.error("build: type check failed");
  process.exit(1);
}

const raw = readFileSync(bundle);
const gz = gzipSync(raw, { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`build: ${bundle} ${kb(statSync(bundle).size)} (${kb(gz)} gzipped; budget ${kb(BUDGET_GZIP_BYTES)} gzipped, React and Fluent come from the platform)`);
if (gz > BUDGET_GZIP_BYTES) {
  console.error(`build: bundle is over budget by ${kb(gz - BUDGET_GZIP_BYTES)}`);
  process.exit(1);
}
