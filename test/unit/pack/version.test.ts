import * as fs from "node:fs";
import * as path from "node:path";
import { stampVersions } from "../../../scripts/pack/version";
import { REPO } from "./fixture";

describe("version stamping", () => {
  it("gives a three-part package version a revision of 0 for the solution and keeps it for the control", () => {
    expect(stampVersions("0.1.0")).toEqual({ control: "0.1.0", solution: "0.1.0.0" });
    expect(stampVersions("12.0.7")).toEqual({ control: "12.0.7", solution: "12.0.7.0" });
  });

  it("takes four whole numbers as they are", () => {
    expect(stampVersions("1.2.3.4")).toEqual({ control: "1.2.3.4", solution: "1.2.3.4" });
  });

  it("accepts this project's own package.json version", () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { version: string };
    expect(stampVersions(version).solution.split(".")).toHaveLength(4);
  });

  it.each(["1", "1.2", "1.2.3.4.5", "v1.2.3", "1.2.3-rc.1", "1.2.3+build", "1..3", " 1.2.3", "1.2.x"])("refuses %j and names package.json", (v) => {
    expect(() => stampVersions(v)).toThrow(/^package\.json: (version|no)/);
  });

  it("refuses a missing version", () => {
    expect(() => stampVersions(undefined)).toThrow('package.json: no "version" to stamp into the solution');
  });
});
