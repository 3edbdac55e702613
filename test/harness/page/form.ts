/** The read-only main column of the simulated model-driven form. */
import type { HostRecord } from "./context";
import type { DataverseClient } from "./webapi";

const FORMATTED = "@OData.Community.Display.V1.FormattedValue";

/** The columns a case / account / contact main form shows first; other tables get a generic list. */
const FIELDS: Record<string, [string, string][]> = {
  incident: [
    ["ticketnumber", "Case number"],
    ["title", "Case title"],
    ["customerid", "Customer"],
    ["prioritycode", "Priority"],
    ["caseorigincode", "Origin"],
    ["statuscode", "Status reason"],
    ["ownerid", "Owner"],
    ["createdon", "Created on"],
    ["description", "Description"],
  ],
  account: [
    ["name", "Account name"],
    ["accountnumber", "Account number"],
    ["telephone1", "Phone"],
    ["emailaddress1", "Email"],
    ["address1_city", "City"],
    ["primarycontactid", "Primary contact"],
    ["ownerid", "Owner"],
  ],
  contact: [
    ["fullname", "Full name"],
    ["jobtitle", "Job title"],
    ["parentcustomerid", "Company name"],
    ["emailaddress1", "Email"],
    ["telephone1", "Business phone"],
    ["ownerid", "Owner"],
  ],
};

function valueOf(entity: Record<string, unknown>, column: string): string | undefined {
  for (const key of [column, `_${column}_value`]) {
    const formatted = entity[`${key}${FORMATTED}`];
    if (formatted !== undefined && formatted !== null && formatted !== "") return String(formatted);
  }
  for (const key of [column, `_${column}_value`]) {
    const raw = entity[key];
    if (raw !== undefined && raw !== null && raw !== "") return typeof raw === "object" ? JSON.stringify(raw) : String(raw);
  }
  return undefined;
}

function genericFields(entity: Record<string, unknown>, primaryName: string): [string, string][] {
  return Object.keys(entity)
    .filter((k) => !k.includes("@") && !k.startsWith("_") && k !== primaryName && typeof entity[k] !== "object" && !/id$/.test(k))
    .slice(0, 7)
    .map((k) => [k, k]);
}

export interface FormElements {
  title: HTMLElement;
  table: HTMLElement;
  fields: HTMLElement;
  message: HTMLElement;
}

export function tableLabel(record: HostRecord): string {
  return record.definition?.DisplayName ?? record.table;
}

export async function renderForm(el: FormElements, record: HostRecord, dataverse: DataverseClient, isCurrent: () => boolean): Promise<void> {
  el.title.textContent = record.id ? record.name || "(no name)" : `New ${tableLabel(record)}`;
  el.table.textContent = record.id ? tableLabel(record) : `${tableLabel(record)} · Unsaved`;
  el.message.hidden = true;
  el.message.textContent = "";
  const primary = record.definition?.PrimaryNameAttribute ?? "name";
  let entity: Record<string, unknown> = {};
  if (record.id) {
    try {
      entity = await dataverse.retrieveRecord(record.table, record.id);
    } catch (e) {
      if (!isCurrent()) return;
      el.message.hidden = false;
      el.message.textContent = `The record could not be loaded: ${(e as { message?: string }).message ?? String(e)}`;
    }
  }
  if (!isCurrent()) return;
  const fields = FIELDS[record.table] ?? [[primary, "Name"], ...genericFields(entity, primary)];
  el.fields.replaceChildren(
    ...fields.map(([column, label]) => {
      const row = document.createElement("div");
      row.className = "field";
      const dt = document.createElement("dt");
      dt.textContent = label;
      const dd = document.createElement("dd");
      dd.textContent = valueOf(entity, column) ?? "---";
      dd.dataset.column = column;
      row.append(dt, dd);
      return row;
    }),
  );
}
