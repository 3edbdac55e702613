// npm run pack: builds the production control, then writes solution/bin/TeamsChatPanel_<version>_unmanaged.zip
// and _managed.zip (see solution/README.md). `--skip-build` packs the existing out/ as it is.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { packCli } from "./pack/cli.ts";

process.exitCode = packCli({ root: resolve(dirname(fileURLToPath(import.meta.url)), ".."), argv: process.argv.slice(2) });
