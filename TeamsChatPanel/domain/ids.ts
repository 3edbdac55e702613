/** Dataverse ids arrive in several spellings ("{GUID}", upper case); compare them normalised. */
export function normaliseGuid(id: string | undefined | null): string {
  return (id ?? "").replace(/[{}]/g, "").trim().toLowerCase();
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isGuid(id: string | undefined | null): boolean {
  return GUID.test(normaliseGuid(id));
}

export function sameRecord(a: { table: string; id: string }, b: { table: string; id: string }): boolean {
  return a.table.toLowerCase() === b.table.toLowerCase() && normaliseGuid(a.id) === normaliseGuid(b.id);
}
