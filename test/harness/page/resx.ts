/** context.resources.getString: the resx of the user's language, then 1033, then the key (like the platform). */

export type Strings = Map<string, string>;

export function parseResx(xml: string): Strings {
  const doc = new DOMParser().parseFromString(xml, "application/xml");
  if (doc.getElementsByTagName("parsererror").length > 0) throw new Error("resx is not well-formed XML");
  const strings: Strings = new Map();
  for (const data of Array.from(doc.getElementsByTagName("data"))) {
    const name = data.getAttribute("name");
    const value = data.getElementsByTagName("value")[0];
    if (name && value) strings.set(name, value.textContent ?? "");
  }
  return strings;
}

async function fetchResx(lcid: number): Promise<Strings | undefined> {
  const response = await fetch(`/control/strings/TeamsChatPanel.${lcid}.resx`, { cache: "no-store" });
  if (!response.ok) return undefined;
  return parseResx(await response.text());
}

export interface LoadedStrings {
  primary?: Strings;
  fallback?: Strings;
}

export async function loadStrings(lcid: number): Promise<LoadedStrings> {
  const [primary, fallback] = await Promise.all([fetchResx(lcid), lcid === 1033 ? Promise.resolve(undefined) : fetchResx(1033)]);
  return { primary, fallback };
}

export function getString(strings: LoadedStrings, key: string): string {
  return strings.primary?.get(key) ?? strings.fallback?.get(key) ?? key;
}
