import * as fs from "node:fs";
import * as path from "node:path";
import { XMLParser } from "fast-xml-parser";
import { SCOPES } from "../../../TeamsChatPanel/services/graph/scopes";
import { REPO, SOLUTION_SRC } from "./fixture";

/** docs/ADMIN.md must not drift from what ships: properties, scopes, variable names, redirect page. */
const guide = fs.readFileSync(path.join(REPO, "docs", "ADMIN.md"), "utf8");

describe("docs/ADMIN.md agrees with what ships", () => {
  it("lists every property of the control manifest by name", () => {
    const manifest = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@_", isArray: (n) => n === "property" }).parse(
      fs.readFileSync(path.join(REPO, "TeamsChatPanel", "ControlManifest.Input.xml"), "utf8"),
    );
    const names: string[] = manifest.manifest.control.property.map((p: { "@_name": string }) => p["@_name"]);
    expect(names.length).toBeGreaterThan(5);
    for (const n of names) expect(guide, n).toContain(`(\`${n}\`)`);
  });

  it("asks the admin for every scope the control requests", () => {
    const scopes = [...new Set(Object.values(SCOPES).flat())];
    for (const s of scopes) expect(guide, s).toMatch(new RegExp(`^\\| \`${s.replace(/\./g, "\\.")}\` \\|`, "m"));
  });

  it("names the environment variables the solution ships", () => {
    const vars = fs.readdirSync(path.join(SOLUTION_SRC, "environmentvariabledefinitions"));
    expect(vars.sort()).toEqual(["tcp_TeamsChatPanelClientId", "tcp_TeamsChatPanelRelayUrl", "tcp_TeamsChatPanelTenantId"]);
    for (const v of vars) expect(guide, v).toContain(`\`${v}\``);
  });

  it("gives the redirect URI of the web resource the solution ships", () => {
    const cust = fs.readFileSync(path.join(SOLUTION_SRC, "customizations.xml"), "utf8");
    const name = /<WebResource>[\s\S]*?<Name>([^<]+)<\/Name>/.exec(cust)?.[1];
    expect(name).toBe("tcp_/auth/redirect.html");
    expect(guide).toContain(["https://<org>.crm.dynamics.com", "WebResources", name].join("/"));
  });
});
