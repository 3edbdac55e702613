/**
 * The Dataverse tables the simulator knows: column types drive $select/$filter
 * validation, formatted values and lookup annotations.
 */

export type ColumnType = "guid" | "string" | "memo" | "int" | "decimal" | "bool" | "datetime" | "choice" | "lookup";

export interface ColumnDef {
  type: ColumnType;
  maxLength?: number;
  /** choice labels (also statecode/statuscode). */
  options?: Record<number, string>;
  /** lookup target tables (more than one = polymorphic). */
  targets?: string[];
  /** Set by the platform only. */
  readOnly?: boolean;
  /** Column-level (field) security: AttributeMetadata.IsSecured; readable only through a field security profile. */
  secured?: boolean;
  /** Display name served in attribute metadata (falls back to the logical name). */
  label?: string;
}

export interface OneToMany {
  /** navigation property name on the referenced (this) table */
  name: string;
  table: string;
  /** lookup column on the referencing table */
  column: string;
}

export interface TableDef {
  logicalName: string;
  entitySetName: string;
  primaryId: string;
  primaryName: string;
  displayName: string;
  displayCollectionName: string;
  objectTypeCode: number;
  ownership: "user" | "organization";
  columns: Record<string, ColumnDef>;
  oneToMany?: OneToMany[];
  /** Alternate keys: name -> columns. */
  keys?: Record<string, string[]>;
}

const audit: Record<string, ColumnDef> = {
  createdon: { type: "datetime", readOnly: true },
  modifiedon: { type: "datetime", readOnly: true },
  createdby: { type: "lookup", targets: ["systemuser"], readOnly: true },
  modifiedby: { type: "lookup", targets: ["systemuser"], readOnly: true },
  versionnumber: { type: "int", readOnly: true },
};

const owned: Record<string, ColumnDef> = {
  ...audit,
  ownerid: { type: "lookup", targets: ["systemuser", "team"] },
  owningbusinessunit: { type: "lookup", targets: ["businessunit"], readOnly: true },
};

const activeState = { 0: "Active", 1: "Inactive" };

export const TABLES: TableDef[] = [
  {
    logicalName: "systemuser",
    entitySetName: "systemusers",
    primaryId: "systemuserid",
    primaryName: "fullname",
    displayName: "User",
    displayCollectionName: "Users",
    objectTypeCode: 8,
    ownership: "organization",
    columns: {
      systemuserid: { type: "guid", readOnly: true },
      fullname: { type: "string", maxLength: 200, readOnly: true },
      firstname: { type: "string", maxLength: 256 },
      lastname: { type: "string", maxLength: 256 },
      domainname: { type: "string", maxLength: 1024 },
      internalemailaddress: { type: "string", maxLength: 100 },
      azureactivedirectoryobjectid: { type: "guid" },
      title: { type: "string", maxLength: 128 },
      jobtitle: { type: "string", maxLength: 100 },
      isdisabled: { type: "bool", readOnly: true },
      businessunitid: { type: "lookup", targets: ["businessunit"] },
      ...audit,
    },
  },
  {
    logicalName: "team",
    entitySetName: "teams",
    primaryId: "teamid",
    primaryName: "name",
    displayName: "Team",
    displayCollectionName: "Teams",
    objectTypeCode: 9,
    ownership: "organization",
    columns: {
      teamid: { type: "guid", readOnly: true },
      name: { type: "string", maxLength: 160 },
      description: { type: "memo", maxLength: 2000 },
      teamtype: { type: "choice", options: { 0: "Owner", 1: "Access", 2: "Security Group", 3: "Office Group" } },
      administratorid: { type: "lookup", targets: ["systemuser"] },
      azureactivedirectoryobjectid: { type: "guid" },
      isdefault: { type: "bool" },
      ...audit,
    },
  },
  {
    logicalName: "teammembership",
    entitySetName: "teammemberships",
    primaryId: "teammembershipid",
    primaryName: "teammembershipid",
    displayName: "Team membership",
    displayCollectionName: "Team memberships",
    objectTypeCode: 23,
    ownership: "organization",
    columns: {
      teammembershipid: { type: "guid", readOnly: true },
      teamid: { type: "guid" },
      systemuserid: { type: "guid" },
      versionnumber: { type: "int", readOnly: true },
    },
  },
  {
    logicalName: "incident",
    entitySetName: "incidents",
    primaryId: "incidentid",
    primaryName: "title",
    displayName: "Case",
    displayCollectionName: "Cases",
    objectTypeCode: 112,
    ownership: "user",
    columns: {
      incidentid: { type: "guid", readOnly: true },
      title: { type: "string", maxLength: 200, label: "Case Title" },
      ticketnumber: { type: "string", maxLength: 100, label: "Case Number" },
      description: { type: "memo", maxLength: 2000, label: "Description", secured: true },
      prioritycode: { type: "choice", options: { 1: "High", 2: "Normal", 3: "Low" }, label: "Priority" },
      severitycode: { type: "choice", options: { 1: "Default Value" } },
      caseorigincode: { type: "choice", options: { 1: "Phone", 2: "Email", 3: "Web", 2483: "Facebook", 3986: "Twitter", 700610000: "IoT" } },
      casetypecode: { type: "choice", options: { 1: "Question", 2: "Problem", 3: "Request" } },
      statecode: { type: "choice", options: { 0: "Active", 1: "Resolved", 2: "Cancelled" } },
      statuscode: {
        type: "choice",
        label: "Status Reason",
        options: { 1: "In Progress", 2: "On Hold", 3: "Waiting for Details", 4: "Researching", 5: "Problem Solved", 1000: "Information Provided", 6: "Cancelled", 2000: "Merged" },
      },
      customerid: { type: "lookup", targets: ["account", "contact"], label: "Customer" },
      primarycontactid: { type: "lookup", targets: ["contact"], label: "Contact" },
      ...owned,
    },
  },
  {
    logicalName: "account",
    entitySetName: "accounts",
    primaryId: "accountid",
    primaryName: "name",
    displayName: "Account",
    displayCollectionName: "Accounts",
    objectTypeCode: 1,
    ownership: "user",
    columns: {
      accountid: { type: "guid", readOnly: true },
      name: { type: "string", maxLength: 160, label: "Account Name" },
      accountnumber: { type: "string", maxLength: 20, label: "Account Number" },
      telephone1: { type: "string", maxLength: 50, label: "Main Phone" },
      emailaddress1: { type: "string", maxLength: 100, label: "Email" },
      websiteurl: { type: "string", maxLength: 200, label: "Website" },
      address1_city: { type: "string", maxLength: 80, label: "Address 1: City" },
      address1_country: { type: "string", maxLength: 80 },
      numberofemployees: { type: "int" },
      revenue: { type: "decimal" },
      primarycontactid: { type: "lookup", targets: ["contact"], label: "Primary Contact" },
      statecode: { type: "choice", options: activeState },
      statuscode: { type: "choice", options: { 1: "Active", 2: "Inactive" } },
      ...owned,
    },
  },
  {
    logicalName: "contact",
    entitySetName: "contacts",
    primaryId: "contactid",
    primaryName: "fullname",
    displayName: "Contact",
    displayCollectionName: "Contacts",
    objectTypeCode: 2,
    ownership: "user",
    columns: {
      contactid: { type: "guid", readOnly: true },
      fullname: { type: "string", maxLength: 160, readOnly: true },
      firstname: { type: "string", maxLength: 50 },
      lastname: { type: "string", maxLength: 50 },
      jobtitle: { type: "string", maxLength: 100 },
      emailaddress1: { type: "string", maxLength: 100, label: "Email" },
      telephone1: { type: "string", maxLength: 50, label: "Business Phone" },
      mobilephone: { type: "string", maxLength: 50, label: "Mobile Phone" },
      parentcustomerid: { type: "lookup", targets: ["account", "contact"], label: "Company Name" },
      statecode: { type: "choice", options: activeState },
      statuscode: { type: "choice", options: { 1: "Active", 2: "Inactive" } },
      ...owned,
    },
  },
  {
    logicalName: "incidentresolution",
    entitySetName: "incidentresolutions",
    primaryId: "activityid",
    primaryName: "subject",
    displayName: "Case Resolution",
    displayCollectionName: "Case Resolutions",
    objectTypeCode: 4206,
    ownership: "user",
    columns: {
      activityid: { type: "guid", readOnly: true },
      subject: { type: "string", maxLength: 200 },
      description: { type: "memo", maxLength: 2000 },
      incidentid: { type: "lookup", targets: ["incident"] },
      timespent: { type: "int" },
      actualend: { type: "datetime" },
      statecode: { type: "choice", options: { 0: "Open", 1: "Completed", 2: "Canceled" } },
      statuscode: { type: "choice", options: { 1: "Open", 2: "Closed", 3: "Canceled" } },
      ...owned,
    },
  },
  {
    logicalName: "activitypointer",
    entitySetName: "activitypointers",
    primaryId: "activityid",
    primaryName: "subject",
    displayName: "Activity",
    displayCollectionName: "Activities",
    objectTypeCode: 4200,
    ownership: "user",
    columns: {
      activityid: { type: "guid", readOnly: true },
      subject: { type: "string", maxLength: 400 },
      description: { type: "memo", maxLength: 8000 },
      activitytypecode: { type: "string", maxLength: 64 },
      regardingobjectid: { type: "lookup", targets: ["incident", "account", "contact"] },
      scheduledend: { type: "datetime" },
      actualend: { type: "datetime" },
      prioritycode: { type: "choice", options: { 0: "Low", 1: "Normal", 2: "High" } },
      statecode: { type: "choice", options: { 0: "Open", 1: "Completed", 2: "Canceled", 3: "Scheduled" } },
      ...owned,
    },
  },
  {
    logicalName: "environmentvariabledefinition",
    entitySetName: "environmentvariabledefinitions",
    primaryId: "environmentvariabledefinitionid",
    primaryName: "schemaname",
    displayName: "Environment Variable Definition",
    displayCollectionName: "Environment Variable Definitions",
    objectTypeCode: 380,
    ownership: "user",
    columns: {
      environmentvariabledefinitionid: { type: "guid", readOnly: true },
      schemaname: { type: "string", maxLength: 100 },
      displayname: { type: "string", maxLength: 100 },
      description: { type: "memo", maxLength: 2000 },
      defaultvalue: { type: "memo", maxLength: 2000 },
      type: { type: "choice", options: { 100000000: "String", 100000001: "Number", 100000002: "Boolean", 100000003: "JSON", 100000004: "Data source", 100000005: "Secret" } },
      statecode: { type: "choice", options: activeState },
      ...owned,
    },
    oneToMany: [{ name: "environmentvariabledefinition_environmentvariablevalue", table: "environmentvariablevalue", column: "environmentvariabledefinitionid" }],
  },
  {
    logicalName: "environmentvariablevalue",
    entitySetName: "environmentvariablevalues",
    primaryId: "environmentvariablevalueid",
    primaryName: "schemaname",
    displayName: "Environment Variable Value",
    displayCollectionName: "Environment Variable Values",
    objectTypeCode: 381,
    ownership: "user",
    columns: {
      environmentvariablevalueid: { type: "guid", readOnly: true },
      schemaname: { type: "string", maxLength: 100 },
      value: { type: "memo", maxLength: 2000 },
      environmentvariabledefinitionid: { type: "lookup", targets: ["environmentvariabledefinition"] },
      statecode: { type: "choice", options: activeState },
      ...owned,
    },
  },
  {
    logicalName: "tcp_chatlink",
    entitySetName: "tcp_chatlinks",
    primaryId: "tcp_chatlinkid",
    primaryName: "tcp_name",
    displayName: "Chat link",
    displayCollectionName: "Chat links",
    objectTypeCode: 10342,
    ownership: "user",
    columns: {
      tcp_chatlinkid: { type: "guid", readOnly: true },
      tcp_name: { type: "string", maxLength: 100 },
      tcp_kind: { type: "choice", options: { 100000000: "Chat", 100000001: "Channel" } },
      tcp_chatid: { type: "string", maxLength: 200 },
      tcp_teamid: { type: "string", maxLength: 100 },
      tcp_regardingtable: { type: "string", maxLength: 64 },
      tcp_regardingid: { type: "string", maxLength: 36 },
      statecode: { type: "choice", options: activeState },
      statuscode: { type: "choice", options: { 1: "Active", 2: "Inactive" } },
      ...owned,
    },
    keys: { tcp_chatlink_chat_record: ["tcp_chatid", "tcp_regardingtable", "tcp_regardingid"] },
  },
  // Forms (the systemform table): only its metadata is read, by the panel's check for who may customize forms.
  {
    logicalName: "systemform",
    entitySetName: "systemforms",
    primaryId: "formid",
    primaryName: "name",
    displayName: "Form",
    displayCollectionName: "Forms",
    objectTypeCode: 1030,
    ownership: "organization",
    columns: {
      formid: { type: "guid", readOnly: true },
      name: { type: "string", maxLength: 100 },
      objecttypecode: { type: "string", maxLength: 100 },
      type: { type: "int" },
      ...audit,
    },
  },
  // Column-level security (column-level-security page): profiles, their per-column permissions
  // (canread 4 = Allowed, 0 = Not Allowed) and the N:N intersects with users and teams.
  {
    logicalName: "fieldsecurityprofile",
    entitySetName: "fieldsecurityprofiles",
    primaryId: "fieldsecurityprofileid",
    primaryName: "name",
    displayName: "Field Security Profile",
    displayCollectionName: "Field Security Profiles",
    objectTypeCode: 1200,
    ownership: "organization",
    columns: {
      fieldsecurityprofileid: { type: "guid", readOnly: true },
      name: { type: "string", maxLength: 100 },
      description: { type: "memo", maxLength: 2000 },
      ...audit,
    },
  },
  {
    logicalName: "fieldpermission",
    entitySetName: "fieldpermissions",
    primaryId: "fieldpermissionid",
    primaryName: "fieldpermissionid",
    displayName: "Field Permission",
    displayCollectionName: "Field Permissions",
    objectTypeCode: 1201,
    ownership: "organization",
    columns: {
      fieldpermissionid: { type: "guid", readOnly: true },
      entityname: { type: "string", maxLength: 128 },
      attributelogicalname: { type: "string", maxLength: 128 },
      canread: { type: "choice", options: { 0: "Not Allowed", 4: "Allowed" } },
      cancreate: { type: "choice", options: { 0: "Not Allowed", 4: "Allowed" } },
      canupdate: { type: "choice", options: { 0: "Not Allowed", 4: "Allowed" } },
      fieldsecurityprofileid: { type: "lookup", targets: ["fieldsecurityprofile"] },
      versionnumber: { type: "int", readOnly: true },
    },
  },
  {
    logicalName: "systemuserprofiles",
    entitySetName: "systemuserprofilescollection",
    primaryId: "systemuserprofileid",
    primaryName: "systemuserprofileid",
    displayName: "System User Profiles",
    displayCollectionName: "System User Profiles",
    objectTypeCode: 1202,
    ownership: "organization",
    columns: {
      systemuserprofileid: { type: "guid", readOnly: true },
      systemuserid: { type: "guid" },
      fieldsecurityprofileid: { type: "guid" },
      versionnumber: { type: "int", readOnly: true },
    },
  },
  {
    logicalName: "teamprofiles",
    entitySetName: "teamprofilescollection",
    primaryId: "teamprofileid",
    primaryName: "teamprofileid",
    displayName: "Team Profiles",
    displayCollectionName: "Team Profiles",
    objectTypeCode: 1203,
    ownership: "organization",
    columns: {
      teamprofileid: { type: "guid", readOnly: true },
      teamid: { type: "guid" },
      fieldsecurityprofileid: { type: "guid" },
      versionnumber: { type: "int", readOnly: true },
    },
  },
];

export const TABLE_BY_SET = new Map(TABLES.map((t) => [t.entitySetName, t]));
export const TABLE_BY_NAME = new Map(TABLES.map((t) => [t.logicalName, t]));

/** The wire name of a column: lookups are exposed as _name_value. */
export function wireName(col: string, def: ColumnDef): string {
  return def.type === "lookup" ? `_${col}_value` : col;
}

export interface WireColumn {
  wire: string;
  column: string;
  def: ColumnDef;
}

const wireCache = new Map<string, Map<string, WireColumn>>();

/** Every property a client may $select/$filter on, by wire name. */
export function wireColumns(t: TableDef): Map<string, WireColumn> {
  let m = wireCache.get(t.logicalName);
  if (!m) {
    m = new Map();
    for (const [column, def] of Object.entries(t.columns)) {
      const wire = wireName(column, def);
      m.set(wire, { wire, column, def });
    }
    wireCache.set(t.logicalName, m);
  }
  return m;
}

/** Single-valued navigation properties for lookups: name -> (column, target). */
export function navigationProperties(t: TableDef): Map<string, { column: string; target: string }> {
  const m = new Map<string, { column: string; target: string }>();
  for (const [column, def] of Object.entries(t.columns)) {
    if (def.type !== "lookup" || !def.targets) continue;
    if (def.targets.length === 1) m.set(column, { column, target: def.targets[0] });
    else for (const target of def.targets) m.set(`${column}_${target}`, { column, target });
    if (column === "ownerid") {
      m.set("owninguser", { column, target: "systemuser" });
      m.set("owningteam", { column, target: "team" });
    }
  }
  return m;
}

export function edmType(def: ColumnDef): string {
  switch (def.type) {
    case "guid":
    case "lookup":
      return "Edm.Guid";
    case "int":
    case "choice":
      return "Edm.Int32";
    case "decimal":
      return "Edm.Decimal";
    case "bool":
      return "Edm.Boolean";
    case "datetime":
      return "Edm.DateTimeOffset";
    default:
      return "Edm.String";
  }
}
