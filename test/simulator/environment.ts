/**
 * Environment variable values in the simulated Dataverse, set the way an admin sets a current
 * value: the harness points `tcp_TeamsChatPanelRelayUrl` at its own relay on every start (its port
 * changes from run to run), so the panel reads it through the same query as in a real org.
 */
import { randomUUID } from "node:crypto";
import type { SimState } from "./state";

type Row = Record<string, unknown>;

/** Sets (or clears, with null) the current value of a variable, defining it first when an older data file lacks it. */
export function setEnvironmentValue(state: SimState, schemaname: string, displayname: string, value: string | null): void {
  const defs = (state.dataverse.environmentvariabledefinition ??= {}) as Record<string, Row>;
  const values = (state.dataverse.environmentvariablevalue ??= {}) as Record<string, Row>;
  const template = Object.values(defs)[0];
  let def = Object.values(defs).find((d) => d.schemaname === schemaname);
  if (!def) {
    const id = randomUUID();
    def = { ...(template ?? {}), environmentvariabledefinitionid: id, schemaname, displayname, description: displayname, defaultvalue: null, type: 100000000, statecode: 0 };
    defs[id] = def;
  }
  const existing = Object.entries(values).find(([, v]) => v.schemaname === schemaname);
  if (value === null) {
    if (existing) delete values[existing[0]];
    return;
  }
  if (existing) {
    existing[1].value = value;
    return;
  }
  const id = randomUUID();
  const valueTemplate = Object.values(values)[0] ?? template ?? {};
  values[id] = { ...valueTemplate, environmentvariablevalueid: id, schemaname, value, _environmentvariabledefinitionid_value: def.environmentvariabledefinitionid, statecode: 0 };
  delete values[id].environmentvariabledefinitionid;
}
