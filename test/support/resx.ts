import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Reads a resx file of the control into a key → text map (the same strings the platform serves). */
export function loadResx(lcid: 1033 | 1031): Record<string, string> {
  const xml = readFileSync(join(__dirname, "..", "..", "TeamsChatPanel", "strings", `TeamsChatPanel.${lcid}.resx`), "utf8");
  const out: Record<string, string> = {};
  const re = /<data name="([^"]+)"[^>]*>\s*<value>([\s\S]*?)<\/value>/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(xml))) {
    out[m[1]] = m[2].replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
  }
  return out;
}
