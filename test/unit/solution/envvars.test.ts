import { loadEnvVar, readSource } from "./solution-source";

const STRING = "100000000";
const VARS = {
  tcp_TeamsChatPanelClientId: "Teams Chat Panel: Microsoft Entra app (client) ID",
  tcp_TeamsChatPanelTenantId: "Teams Chat Panel: Microsoft Entra tenant ID",
};

describe("environment variable definitions", () => {
  it.each(Object.entries(VARS))("%s is a String definition named %j", (schema, display) => {
    const d = loadEnvVar(schema);
    expect(d["@_schemaname"]).toBe(schema);
    expect(d.type).toBe(STRING);
    expect(d.displayname["@_default"]).toBe(display);
    expect(d.displayname.label.find((l: { "@_languagecode": string }) => l["@_languagecode"] === "1033")["@_description"]).toBe(display);
    expect(d.secretstore).toBe("0");
  });

  it.each(Object.keys(VARS))("%s has no default value and tells the admin what to enter", (schema) => {
    const d = loadEnvVar(schema);
    expect(d).not.toHaveProperty("defaultvalue");
    expect(d.description["@_default"]).toMatch(/Microsoft Entra/);
    expect(d.description["@_default"]).toMatch(/GUID/);
  });

  it("tcp_TeamsChatPanelRelayUrl is an optional String with no default value (empty: no relay)", () => {
    const d = loadEnvVar("tcp_TeamsChatPanelRelayUrl");
    expect(d["@_schemaname"]).toBe("tcp_TeamsChatPanelRelayUrl");
    expect(d.type).toBe(STRING);
    expect(d.displayname["@_default"]).toBe("Teams Chat Panel: live-updates relay address");
    expect(d).not.toHaveProperty("defaultvalue");
    expect(d.isrequired).toBe("0");
    expect(d.secretstore).toBe("0");
    expect(d.description["@_default"]).toMatch(/https/);
    expect(d.description.label.map((l: { "@_languagecode": string }) => l["@_languagecode"]).sort()).toEqual(["1031", "1033"]);
  });

  it("keeps the elements in the alphabetical order real exports use", () => {
    for (const schema of [...Object.keys(VARS), "tcp_TeamsChatPanelRelayUrl"]) {
      const xml = readSource(`environmentvariabledefinitions/${schema}/environmentvariabledefinition.xml`);
      const tags = [...xml.matchAll(/^ {2}<([a-z]+)[ >]/gm)].map((m) => m[1]);
      expect(tags).toEqual([...tags].sort());
      expect(tags).toEqual(["description", "displayname", "introducedversion", "iscustomizable", "isrequired", "secretstore", "type"]);
    }
  });

  it("would notice a wrong type or a wrong schema name", () => {
    const xml = readSource("environmentvariabledefinitions/tcp_TeamsChatPanelTenantId/environmentvariabledefinition.xml");
    expect(loadEnvVar("tcp_TeamsChatPanelTenantId", xml.replace(`<type>${STRING}</type>`, "<type>100000001</type>")).type).not.toBe(STRING);
    expect(loadEnvVar("tcp_TeamsChatPanelTenantId", xml.replace('schemaname="tcp_TeamsChatPanelTenantId"', 'schemaname="tcp_tenantid"'))["@_schemaname"]).not.toBe("tcp_TeamsChatPanelTenantId");
  });
});
