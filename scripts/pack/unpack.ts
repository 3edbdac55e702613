/**
 * The inverse of packing: a solution zip back into the three inputs the packer reads (solution
 * source, control build output, web resources). Packing what this writes gives the same zip again.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PackError } from "./errors";
import { CONTENT_TYPES_XML, CONTROL_MANIFEST, CUSTOMIZATIONS_XML, ENV_VARS_DIR, SOLUTION_XML } from "./solution";
import { at, BOM, child, childrenNamed, parseXml, text } from "./xml";
import { unzip, utf8 } from "./zip";

export interface UnpackDirs {
  srcDir: string;
  controlDir: string;
  webResourcesDir: string;
}

function write(file: string, data: Uint8Array | string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data);
}

export function unpackSolution(data: Uint8Array, dirs: UnpackDirs, label = "solution zip"): void {
  const entries = unzip(data);
  const get = (name: string) => {
    const e = entries.get(name);
    if (!e) throw new PackError(label, `has no ${name}`);
    return e;
  };
  const noBom = (d: Uint8Array) => {
    const t = utf8(d);
    return t.startsWith(BOM) ? t.slice(1) : t;
  };
  write(path.join(dirs.srcDir, SOLUTION_XML), noBom(get(SOLUTION_XML)));
  const customizations = noBom(get(CUSTOMIZATIONS_XML));
  write(path.join(dirs.srcDir, CUSTOMIZATIONS_XML), customizations);

  const doc = parseXml(customizations, `${label}: ${CUSTOMIZATIONS_XML}`);
  const webFiles = new Map<string, string>();
  for (const wr of childrenNamed(at(doc, "ImportExportXml/WebResources") ?? {}, "WebResource")) {
    webFiles.set((text(child(wr, "FileName")) ?? "").replace(/^\/+/, ""), text(child(wr, "Name")) ?? "");
  }
  for (const [name, bytes] of entries) {
    if (name === SOLUTION_XML || name === CUSTOMIZATIONS_XML || name === CONTENT_TYPES_XML) continue;
    if (name.startsWith(`${ENV_VARS_DIR}/`)) write(path.join(dirs.srcDir, ...name.split("/")), bytes);
    else if (name.startsWith("Controls/")) {
      const rel = name.split("/").slice(2);
      write(path.join(dirs.controlDir, ...rel), bytes);
    } else if (webFiles.has(name)) write(path.join(dirs.webResourcesDir, ...webFiles.get(name)!.split("/")), bytes);
    else throw new PackError(label, `holds ${name}, which the packer does not know where to put`);
  }
  if (![...entries.keys()].some((n) => n.endsWith(`/${CONTROL_MANIFEST}`))) throw new PackError(label, "has no control manifest");
}
