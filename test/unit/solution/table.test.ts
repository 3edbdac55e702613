import { TABLE_BY_NAME } from "../../simulator/schema";
import { attributesByLogicalName, chatLinkEntity, columnProblems, loadCustomizations, readSource, type X } from "./solution-source";

const sim = TABLE_BY_NAME.get("tcp_chatlink");
if (!sim) throw new Error("the simulator does not serve tcp_chatlink");
const entity = chatLinkEntity(loadCustomizations());
const attrs = attributesByLogicalName(entity);

/** customizations.xml with one substitution, parsed; fails loudly if the text to replace is gone. */
function mutated(from: string | RegExp, to: string): X {
  const xml = readSource("customizations.xml");
  const next = xml.replace(from, to);
  if (next === xml) throw new Error(`mutation did not apply: ${String(from)}`);
  return chatLinkEntity(loadCustomizations(next));
}

describe("tcp_ChatLink: the solution ships the schema the simulator serves", () => {
  it("has every simulator column with the same type and max length, and no column the simulator lacks", () => {
    expect(columnProblems(entity, sim)).toEqual([]);
  });

  it("reports a column missing on either side", () => {
    expect(columnProblems(mutated(/<attribute PhysicalName="tcp_TeamId">[\s\S]*?<\/attribute>/, ""), sim)).toEqual([
      "tcp_teamid: served by the simulator, missing from the solution",
    ]);
    const extra = { ...sim, columns: { ...sim.columns } };
    delete extra.columns.tcp_teamid;
    expect(columnProblems(entity, extra)).toEqual(["tcp_teamid: in the solution, not served by the simulator"]);
  });

  it("reports a different max length, type, choice value or owner target", () => {
    expect(columnProblems(mutated("<MaxLength>200</MaxLength>", "<MaxLength>250</MaxLength>"), sim)).toEqual([
      "tcp_chatid: simulator maxLength 200, solution MaxLength 250",
    ]);
    expect(columnProblems(mutated("<Type>picklist</Type>", "<Type>nvarchar</Type>"), sim)).toEqual([
      "tcp_kind: simulator type choice, solution type nvarchar",
    ]);
    expect(columnProblems(mutated('option value="100000001"', 'option value="100000002"'), sim)[0]).toMatch(/^tcp_kind: simulator options/);
    expect(columnProblems(mutated(/<LookupType id="[^"]*">9<\/LookupType>/, ""), sim)[0]).toMatch(/^ownerid: simulator targets/);
  });

  it("is the user-owned, audited table tcp_ChatLink with set name tcp_chatlinks and English/German names", () => {
    expect(entity["@_Name"]).toBe("tcp_ChatLink");
    expect(entity.EntitySetName).toBe(sim.entitySetName);
    expect(entity.OwnershipTypeMask).toBe(sim.ownership === "user" ? "UserOwned" : "OrganizationOwned");
    expect(entity.IsAuditEnabled).toBe("1");
    const names = Object.fromEntries(entity.LocalizedNames.LocalizedName.map((n: X) => [n["@_languagecode"], n["@_description"]]));
    const plural = Object.fromEntries(entity.LocalizedCollectionNames.LocalizedCollectionName.map((n: X) => [n["@_languagecode"], n["@_description"]]));
    expect(names["1033"]).toBe(sim.displayName);
    expect(plural["1033"]).toBe(sim.displayCollectionName);
  });

  it("describes the table as storing only the link, no Teams content", () => {
    const en = entity.Descriptions.Description.find((d: X) => d["@_languagecode"] === "1033")["@_description"];
    expect(en).toMatch(/only the link/i);
    expect(en).toMatch(/no Teams content/i);
  });

  it("has the simulator's primary id and primary name", () => {
    expect(attrs.get(sim.primaryId)?.Type).toBe("primarykey");
    const primaryNames = [...attrs.values()].filter((a: X) => String(a.DisplayMask ?? "").split("|").includes("PrimaryName"));
    expect(primaryNames.map((a: X) => a.LogicalName)).toEqual([sim.primaryName]);
  });

  it("requires kind, chat id, regarding table and regarding id; not name or team id", () => {
    const level = (n: string) => attrs.get(n)?.RequiredLevel;
    for (const n of ["tcp_kind", "tcp_chatid", "tcp_regardingtable", "tcp_regardingid"]) expect(level(n), n).toBe("required");
    for (const n of ["tcp_name", "tcp_teamid"]) expect(level(n), n).toBe("none");
  });

  it("gives every column a display name and a description", () => {
    for (const a of attrs.values()) {
      expect(a.displaynames?.displayname?.length, a.LogicalName).toBeGreaterThan(0);
      expect(a.Descriptions?.Description?.length, a.LogicalName).toBeGreaterThan(0);
    }
  });

  it("audits every custom column", () => {
    const custom = [...attrs.values()].filter((a: X) => a.IsCustomField === "1");
    expect(custom.map((a: X) => a.LogicalName).sort()).toEqual(["tcp_chatid", "tcp_kind", "tcp_name", "tcp_regardingid", "tcp_regardingtable", "tcp_teamid"]);
    for (const a of custom) expect(a.IsAuditEnabled, a.LogicalName).toBe("1");
  });

  it("has a local choice Chat = 100000000, Channel = 100000001", () => {
    const os = attrs.get("tcp_kind").optionset;
    expect(os.OptionSetType).toBe("picklist");
    expect(os["@_Name"]).toBe("tcp_chatlink_tcp_kind");
    const opts = os.options.option.map((o: X) => [o["@_value"], o.labels.label.find((l: X) => l["@_languagecode"] === "1033")["@_description"]]);
    expect(opts).toEqual([
      ["100000000", "Chat"],
      ["100000001", "Channel"],
    ]);
  });

  it("has the alternate key the simulator enforces, on the same columns in the same order", () => {
    const keys = Object.fromEntries(
      entity.EntityKeys.EntityKey.map((k: X) => [k.LogicalName, k.EntityKeyAttributes.AttributeName as string[]]),
    );
    expect(keys).toEqual(sim.keys);
    expect(keys.tcp_chatlink_chat_record).toEqual(["tcp_chatid", "tcp_regardingtable", "tcp_regardingid"]);
    for (const k of entity.EntityKeys.EntityKey) {
      expect(k.Name).toBe(k.LogicalName);
      for (const col of k.EntityKeyAttributes.AttributeName) expect(attrs.has(col), col).toBe(true);
    }
  });

  it("declares the owner, business unit and user relationships an export of a user-owned table has", () => {
    const rels = loadCustomizations().EntityRelationships.EntityRelationship.map((r: X) => `${r.ReferencingAttributeName}->${r.ReferencedEntityName}`);
    for (const r of ["OwnerId->Owner", "OwningBusinessUnit->BusinessUnit", "OwningUser->SystemUser", "OwningTeam->Team", "CreatedBy->SystemUser", "ModifiedBy->SystemUser"]) {
      expect(rels).toContain(r);
    }
  });
});
