import * as fs from "node:fs";
import * as path from "node:path";
import { packSolution } from "../../../scripts/pack/solution";
import { unpackSolution } from "../../../scripts/pack/unpack";
import { unzip } from "../../../scripts/pack/zip";
import { cleanup, prepare, type Prepared } from "./fixture";

let p: Prepared;
beforeAll(() => {
  p = prepare();
});
afterAll(() => cleanup(p));

describe("round trip: pack -> unpack -> pack", () => {
  it.each(["unmanaged", "managed"] as const)("the %s zip unpacks into inputs that pack into the same zip", (flavour) => {
    const first = packSolution({ ...p, version: "0.1.0" });
    const zipped = new Uint8Array(fs.readFileSync(first[flavour]));
    const back = path.join(p.root, `back-${flavour}`);
    const dirs = { srcDir: path.join(back, "src"), controlDir: path.join(back, "control"), webResourcesDir: path.join(back, "webresources") };
    unpackSolution(zipped, dirs);

    // The unpacked source is the solution source again (plus the stamped version and managed flag).
    expect(fs.existsSync(path.join(dirs.webResourcesDir, "tcp_", "auth", "redirect.html"))).toBe(true);
    expect(fs.readdirSync(path.join(dirs.srcDir, "environmentvariabledefinitions")).sort()).toEqual(["tcp_TeamsChatPanelClientId", "tcp_TeamsChatPanelRelayUrl", "tcp_TeamsChatPanelTenantId"]);

    const second = packSolution({ ...dirs, outDir: path.join(back, "bin"), version: "0.1.0" });
    const a = unzip(zipped);
    const b = unzip(new Uint8Array(fs.readFileSync(second[flavour])));
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [name, data] of a) expect(Buffer.from(b.get(name)!).equals(Buffer.from(data)), name).toBe(true);
    expect(Buffer.from(fs.readFileSync(second[flavour])).equals(Buffer.from(zipped))).toBe(true);
  });

  it("refuses to unpack a zip with a part it cannot place", async () => {
    const { zip } = await import("../../../scripts/pack/zip");
    const first = packSolution({ ...p, version: "0.1.0" });
    const entries = [...unzip(new Uint8Array(fs.readFileSync(first.managed)))];
    entries.push(["Workflows/stray.json", new TextEncoder().encode("{}")]);
    const dirs = { srcDir: path.join(p.root, "x", "src"), controlDir: path.join(p.root, "x", "c"), webResourcesDir: path.join(p.root, "x", "w") };
    expect(() => unpackSolution(zip(entries), dirs, "stray.zip")).toThrow("stray.zip: holds Workflows/stray.json, which the packer does not know where to put");
  });
});
