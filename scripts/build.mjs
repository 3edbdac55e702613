// Production build that fails when it fails: pcf-scripts exits 0 on errors,
// so we read its log, type-check separately and enforce the bundle budget.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";

// MSAL browser v5 alone is ~78 KB gzipped; see README "Bundle".
const BUDGET_GZIP_BYTES = 240 * 1024;
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

// The sign-in redirect page: one self-contained HTML web resource running MSAL's redirect bridge.
const { build } = await import("esbuild");
const bridge = await build({
  entryPoints: [join("TeamsChatPanel", "redirect", "redirect.ts")],
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2020",
  platform: "browser",
  write: false,
  logLevel: "silent",
}).catch((e) => {
  console.error(`build: redirect page failed: ${e.message}`);
  process.exit(1);
});
const script = bridge.outputFiles[0].text.replace(/<\/script/gi, "<\\/script");
const page = `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>Sign-in</title></head><body><script>${script}</script></body></html>\n`;
const redirectDir = join("out", "webresources", "tcp_", "auth");
mkdirSync(redirectDir, { recursive: true });
writeFileSync(join(redirectDir, "redirect.html"), page);
console.log(`build: ${join(redirectDir, "redirect.html")} ${kb(Buffer.byteLength(page))}`);
