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

  it("asks for the Node.js version package.json's engines field requires", () => {
    const engines = (JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { engines: { node: string } }).engines.node;
    const min = /^>=\s*(\d+\.\d+)/.exec(engines)?.[1];
    expect(min).toBeDefined();
    expect(guide).toContain(`Node.js ${min} or later`);
    expect(guide).not.toMatch(/with Node 20 and npm/);
  });

  it("lists exactly the external-service-usage domains of the manifest, and says they are fixed at build time", () => {
    const manifest = fs.readFileSync(path.join(REPO, "TeamsChatPanel", "ControlManifest.Input.xml"), "utf8");
    const domains = [...(/<external-service-usage[^>]*>([\s\S]*?)<\/external-service-usage>/.exec(manifest)?.[1] ?? "").matchAll(/<domain>([^<]+)<\/domain>/g)].map((m) => m[1]);
    expect(domains.length).toBeGreaterThan(0);
    const listed = /The control declares the services it calls \(([^)]*)\)\. That list is fixed\s+when the control is built/.exec(guide)?.[1] ?? "";
    expect([...listed.matchAll(/`([a-z0-9.-]+\.[a-z]{2,})`/g)].map((m) => m[1])).toEqual(domains);
    expect(guide).not.toMatch(/allowed domains/);
  });

  it("describes the form designer as it is: unused-columns filter, Hide label, Web/Mobile/Tablet ticked by default", () => {
    expect(guide).toContain("**Show only unused columns**");
    expect(guide).toContain("**Hide label**");
    expect(guide).not.toMatch(/untick \*\*Show label\*\*/);
    expect(guide).toMatch(/\*\*Web\*\*, \*\*Mobile\*\* and \*\*Tablet\*\* are all ticked by default/);
  });

  it("sends the admin to the Default solution (or the import prompt) for variable values after a managed import", () => {
    const step4 = /## 4\. [\s\S]*?\n## 5\./.exec(guide)?.[0] ?? "";
    expect(step4).toMatch(/import prompt/);
    expect(step4).toMatch(/\*\*Default Solution\*\* → \*\*Environment variables\*\*/);
    expect(step4).not.toMatch(/^Solutions → \*\*TeamsChatPanel\*\* → \*\*Environment variables\*\*/m);
  });

  it("names the Entra roles that may consent to delegated permissions, licensing, the German-labels warning and Customer Service's own Teams chat", () => {
    expect(guide).toMatch(/\*\*Cloud Application Administrator\*\* or\s+\*\*Application Administrator\*\* may grant tenant-wide consent/);
    expect(guide).not.toMatch(/consent for\s+all users needs Privileged Role Administrator/);
    expect(guide).toMatch(/\*\*premium\*\* component/);
    expect(guide).toMatch(/\*\*imported with warnings\*\*/);
    expect(guide).toMatch(/Embedded chat using Teams/);
  });

  it("names the privilege the User role adds for the sign-in settings and the team inheritance setting the roles ship with", () => {
    const cust = fs.readFileSync(path.join(SOLUTION_SRC, "customizations.xml"), "utf8");
    expect(cust).toContain('<RolePrivilege name="prvReadEnvironmentVariableDefinition" level="Global" />');
    expect(guide).toContain("`prvReadEnvironmentVariableDefinition`");
    expect(cust).toMatch(/name="TeamsChatPanel User" isinherited="1"/);
    expect(guide).toContain("*Direct User (Basic) access level and Team privileges*");
  });
});
