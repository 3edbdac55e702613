import { loadCustomizations, rolePrivileges } from "./solution-source";

const T = "tcp_ChatLink";
const EXPECTED = {
  "TeamsChatPanel User": {
    [`prvCreate${T}`]: "Basic",
    [`prvRead${T}`]: "Global",
    [`prvWrite${T}`]: "Basic",
    [`prvDelete${T}`]: "Basic",
    [`prvAppend${T}`]: "Basic",
    [`prvAppendTo${T}`]: "Basic",
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

  it("gives each role a distinct braced GUID id", () => {
    const ids = cust.Roles.Role.map((r: { "@_id": string }) => r["@_id"]);
    for (const id of ids) expect(id).toMatch(/^\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("names privileges after the table's schema name (prv<Action>tcp_ChatLink) and only uses valid depths", () => {
    for (const privs of rolePrivileges(cust).values()) {
      for (const [name, level] of Object.entries(privs)) {
        expect(name).toMatch(/^prv(Create|Read|Write|Delete|Append|AppendTo|Assign|Share)tcp_ChatLink$/);
        expect(["Basic", "Local", "Deep", "Global"]).toContain(level);
      }
    }
  });
});
