import { labelProblems, listXmlFiles, loadCustomizations, parse, readSource } from "./solution-source";

describe("labels: English (1033) and German (1031) everywhere", () => {
  it.each(listXmlFiles())("%s has a 1033 and a 1031 label for every name, description and option", (rel) => {
    expect(labelProblems(parse(readSource(rel)))).toEqual([]);
  });

  it("finds label containers at every level (so the check above is not vacuous)", () => {
    const xml = readSource("customizations.xml");
    const count = (tag: string) => xml.split(`<${tag}>`).length - 1;
    expect(count("displaynames")).toBeGreaterThan(20);
    expect(count("labels")).toBeGreaterThanOrEqual(6);
  });

  it("reports a missing German label", () => {
    const xml = readSource("customizations.xml").replace('<displayname description="Art" languagecode="1031" />', "");
    expect(labelProblems(parse(xml))).toEqual([expect.stringMatching(/displaynames: no 1031 displayname$/)]);
    const env = readSource("environmentvariabledefinitions/tcp_TeamsChatPanelTenantId/environmentvariabledefinition.xml").replace(/<label description="[^"]*" languagecode="1031" \/>\s*<\/displayname>/, "</displayname>");
    expect(labelProblems(parse(env))).toEqual(["/environmentvariabledefinition/displayname: no 1031 label"]);
  });

  it("lists both languages in customizations.xml", () => {
    expect(loadCustomizations().Languages.Language).toEqual(["1033", "1031"]);
  });
});
