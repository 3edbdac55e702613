import { listXmlFiles, readSource, wellFormed } from "./solution-source";

describe("solution source: files and well-formedness", () => {
  it("holds exactly the files a packed solution needs (no stray or missing XML)", () => {
    expect(listXmlFiles()).toEqual([
      "customizations.xml",
      "environmentvariabledefinitions/tcp_TeamsChatPanelClientId/environmentvariabledefinition.xml",
      "environmentvariabledefinitions/tcp_TeamsChatPanelRelayUrl/environmentvariabledefinition.xml",
      "environmentvariabledefinitions/tcp_TeamsChatPanelTenantId/environmentvariabledefinition.xml",
      "solution.xml",
    ]);
  });

  it.each(listXmlFiles())("%s is well formed XML", (rel) => {
    expect(wellFormed(readSource(rel))).toBe(true);
  });

  it("the well-formedness check rejects broken XML", () => {
    const xml = readSource("customizations.xml");
    expect(wellFormed(xml.replace("</Roles>", ""))).toMatch(/at \d+:\d+/);
    expect(wellFormed(xml.replace('name="TeamsChatPanel User"', 'name="TeamsChatPanel User'))).not.toBe(true);
  });

  it("writes the files as UTF-8 without a byte order mark, so German labels survive packing", () => {
    for (const rel of listXmlFiles()) {
      const text = readSource(rel);
      expect(text.charCodeAt(0), rel).not.toBe(0xfeff);
      expect(text, rel).not.toContain("\ufffd");
    }
    expect(readSource("customizations.xml")).toContain("Chat-Verknüpfung");
  });
});
