import { loadCustomizations, loadSolution, readSource, type X } from "./solution-source";

const CHOICE_VALUES = [100000000, 100000001];

describe("solution.xml: solution and publisher", () => {
  const m = loadSolution();

  it("is the unmanaged TeamsChatPanel solution, version 0.1.0.0", () => {
    expect(m.UniqueName).toBe("TeamsChatPanel");
    expect(m.Version).toBe("0.1.0.0");
    expect(m.Managed).toBe("0");
  });

  it("is published by teamschatpanel with prefix tcp", () => {
    const p = m.Publisher;
    expect(p.UniqueName).toBe("teamschatpanel");
    expect(p.LocalizedNames.LocalizedName.find((n: X) => n["@_languagecode"] === "1033")["@_description"]).toBe("TeamsChatPanel");
    expect(p.CustomizationPrefix).toBe("tcp");
  });

  it("has an option value prefix that yields the choice values we use (prefix × 10,000 + n)", () => {
    const prefix = Number(m.Publisher.CustomizationOptionValuePrefix);
    expect(prefix).toBeGreaterThanOrEqual(10000);
    expect(prefix).toBeLessThanOrEqual(99999);
    for (const v of CHOICE_VALUES) expect(Math.floor(v / 10000), String(v)).toBe(prefix);
  });

  it("lists the table, both roles (by id), the redirect page, the control and both environment variables as root components", () => {
    const roots: X[] = m.RootComponents.RootComponent;
    const key = (r: X) => `${r["@_type"]}:${r["@_schemaName"] ?? r["@_id"]}`;
    const roleIds = loadCustomizations().Roles.Role.map((r: X) => `20:${r["@_id"]}`);
    expect(roots.map(key).sort()).toEqual(["1:tcp_chatlink", ...roleIds, "61:tcp_/auth/redirect.html", "66:tcp_TeamsChatPanel.TeamsChatPanel", "380:tcp_TeamsChatPanelClientId", "380:tcp_TeamsChatPanelRelayUrl", "380:tcp_TeamsChatPanelTenantId"].sort());
    for (const r of roots) expect(r["@_behavior"]).toBe("0");
  });

  it("uses the element order of real exports in SolutionManifest and Publisher", () => {
    const order = (xml: string, names: string[]) => names.map((n) => xml.indexOf(`<${n}>`));
    const xml = readSource("solution.xml");
    const manifest = order(xml, ["UniqueName", "LocalizedNames", "Descriptions", "Version", "Managed", "Publisher", "RootComponents"]);
    expect(manifest).toEqual([...manifest].sort((a, b) => a - b));
    expect(manifest).not.toContain(-1);
    const pub = xml.slice(xml.indexOf("<Publisher>"));
    const publisher = order(pub, ["UniqueName", "LocalizedNames", "Descriptions", "CustomizationPrefix", "CustomizationOptionValuePrefix", "Addresses"]);
    expect(publisher).toEqual([...publisher].sort((a, b) => a - b));
    expect(publisher).not.toContain(-1);
  });
});
