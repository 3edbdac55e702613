// Browser tests drive Debian's Chromium; make sure it is there before they start.
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";

const CHROMIUM = "/usr/bin/chromium";
const INSTALL = "apt-get update && apt-get install -y chromium";

if (existsSync(CHROMIUM)) process.exit(0);

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
const hasApt = spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status === 0;
if (!isRoot || !hasApt) {
  console.error(`Chromium is missing at ${CHROMIUM}; the browser tests need it. Install it with:\n  sudo sh -c '${INSTALL}'`);
  process.exit(1);
}
console.log(`Chromium is missing at ${CHROMIUM}; installing Debian's chromium package (${INSTALL})…`);
const r = spawnSync("sh", ["-c", INSTALL], { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
if (r.status !== 0 || !existsSync(CHROMIUM)) {
  console.error(`Installing Chromium failed. Run it yourself:\n  ${INSTALL}`);
  process.exit(1);
}
