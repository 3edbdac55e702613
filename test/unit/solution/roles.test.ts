import { loadCustomizations, roleInheritance, rolePrivileges } from "./solution-source";

const T = "tcp_ChatLink";
const EXPECTED = {
  "TeamsChatPanel User": {
    [`prvCreate${T}`]: "Basic",
    [`prvRead${T}`]: "Global",
    [`prvWrite${T}`]: "Basic",
    [`prvDelete${T}`]: "Basic",
    [`prvAppend${T}`]: "Basic",
    [`prvAppendTo${T}`]: "Basic",
    // The panel reads tcp_TeamsChatPanelClientId/TenantId. Definitions are user-owned and belong to
    // whoever imported the solution, so Basic would read none: organization (Global), as Microsoft's
    // CoE Starter Kit role "Power Platform User SR" grants it. Values need no privilege of their own.
    prvReadEnvironmentVariableDefinition: "Global",
  },
  "TeamsChatPanel Link Manager": {
    [`prvDelete${T}`]: "Global",
  },
};

describe("security roles", () => {
  const cust = loadCustomizations();

  it("ships exactly the two roles with exactly these privileges and depths", () => {
    expect(Object.fromEntries(rolePrivileges(cust))).toEqual(EXPECTED);
  });

  it("would notice a changed depth, an extra privilege or a missing one", () => {
    const xml = JSON.stringify(cust);
    const changed = JSON.parse(xml.replace(`"prvRead${T}","@_level":"Global"`, `"prvRead${T}","@_level":"Basic"`));
    expect(Object.fromEntries(rolePrivileges(changed))).not.toEqual(EXPECTED);
    const extra = JSON.parse(xml);
    extra.Roles.Role[1].RolePrivileges.RolePrivilege.push({ "@_name": `prvRead${T}`, "@_level": "Global" });
    expect(Object.fromEntries(rolePrivileges(extra))).not.toEqual(EXPECTED);
    const missing = JSON.parse(xml);
    missing.Roles.Role[0].RolePrivileges.RolePrivilege.pop();
    expect(Object.fromEntries(rolePrivileges(missing))).not.toEqual(EXPECTED);
  });

  it("lets the User role read the environment variable definitions at organization depth, and asks for no value privilege", () => {
    const user = rolePrivileges(cust).get("TeamsChatPanel User")!;
    expect(user.prvReadEnvironmentVariableDefinition).toBe("Global");
    // Microsoft Learn (maker/data-platform/EnvironmentVariables.md, Security): the value table inherits
    // its permission from the definition. No prvReadEnvironmentVariableValue privilege exists to grant.
    expect(Object.keys(user).filter((n) => /EnvironmentVariableValue/.test(n))).toEqual([]);
  });

  it("ships both roles with member's privilege inheritance 'Direct User (Basic) access level and Team privileges' (isinherited=1)", () => {
    // Role.isinherited: 0 = Team privileges only, 1 = Direct User (Basic) access level and Team privileges
    // (powerapps-docs developer/data-platform/reference/entities/role.md). Written as the Role attribute
    // isinherited="1", as in the CoE Starter Kit's exported Roles/*.xml.
    expect(Object.fromEntries(roleInheritance(cust))).toEqual({ "TeamsChatPanel User": "1", "TeamsChatPanel Link Manager": "1" });
    const teamOnly = JSON.parse(JSON.stringify(cust).replace('"@_isinherited":"1"', '"@_isinherited":"0"'));
    expect(Object.fromEntries(roleInheritance(teamOnly))).not.toEqual({ "TeamsChatPanel User": "1", "TeamsChatPanel Link Manager": "1" });
  });

  it("gives each role a distinct braced GUID id", () => {
    const ids = cust.Roles.Role.map((r: { "@_id": string }) => r["@_id"]);
    for (const id of ids) expect(id).toMatch(/^\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("names privileges after the table's schema name (prv<Action>tcp_ChatLink, prvReadEnvironmentVariableDefinition) and only uses valid depths", () => {
    for (const privs of rolePrivileges(cust).values()) {
      for (const [name, level] of Object.entries(privs)) {
        expect(name).toMatch(/^prv(Create|Read|Write|Delete|Append|AppendTo|Assign|Share)(tcp_ChatLink|EnvironmentVariableDefinition)$/);
        expect(["Basic", "Local", "Deep", "Global"]).toContain(level);
      }
    }
  });
});
