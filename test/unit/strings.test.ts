import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { loadResx } from "../support/resx";

const root = join(__dirname, "..", "..", "TeamsChatPanel");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (name === "generated") return [];
    return statSync(p).isDirectory() ? sources(p) : /\.(tsx?|xml)$/.test(name) ? [p] : [];
  });
}

/** Keys referenced in code (t("Key"), maps of keys) and in the manifest (*-key="Key"). */
function referencedKeys(): Set<string> {
  const keys = new Set<string>();
  for (const file of sources(root)) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/"([A-Z][A-Za-z]+_[A-Za-z_]+)"/g)) keys.add(m[1]);
  }
  return keys;
}

describe("strings", () => {
  const en = loadResx(1033);
  const de = loadResx(1031);

  it("has every referenced key in English and German", () => {
    const missing = [...referencedKeys()].filter((k) => !(k in en) || !(k in de));
    expect(missing).toEqual([]);
  });

  it("has the same keys and placeholders in both languages, and no empty text", () => {
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en)) {
      const holes = (s: string) => (s.match(/\{\d+\}/g) ?? []).sort().join();
      expect({ key, de: holes(de[key]) }).toEqual({ key, de: holes(en[key]) });
      expect(en[key].trim()).not.toBe("");
      expect(de[key].trim()).not.toBe("");
    }
  });

  it("has no unused strings", () => {
    const used = referencedKeys();
    expect(Object.keys(en).filter((k) => !used.has(k))).toEqual([]);
  });
});
