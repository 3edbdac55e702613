/**
 * Reads the solution's environment variables through context.webAPI: the current value when the
 * admin set one, else the definition's default. One request for all of them.
 */
export async function readEnvironmentVariables(webAPI: ComponentFramework.WebApi, schemaNames: readonly string[]): Promise<Record<string, string | undefined>> {
  const filter = schemaNames.map((n) => `schemaname eq '${n.replace(/'/g, "''")}'`).join(" or ");
  const result = await webAPI.retrieveMultipleRecords(
    "environmentvariabledefinition",
    `?$select=schemaname,defaultvalue&$filter=${filter}&$expand=environmentvariabledefinition_environmentvariablevalue($select=value)`,
  );
  const out: Record<string, string | undefined> = {};
  for (const row of result.entities) {
    const name = String(row.schemaname ?? "");
    const values = (row.environmentvariabledefinition_environmentvariablevalue ?? []) as { value?: string | null }[];
    const current = values.map((v) => v.value?.trim()).find((v) => !!v);
    const fallback = typeof row.defaultvalue === "string" ? row.defaultvalue.trim() : "";
    out[name] = current || fallback || undefined;
  }
  return out;
}
