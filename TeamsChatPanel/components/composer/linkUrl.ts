/** http(s) and mailto only: the links Teams shows as links, and none that could run script. */
export function validLinkUrl(raw: string): string | null {
  const value = raw.trim();
  if (!value) return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(value) ? value : /^[^\s@/]+@[^\s@/]+\.[^\s@/]+$/.test(value) ? `mailto:${value}` : `https://${value}`;
  try {
    const url = new URL(withScheme);
    if (url.protocol === "mailto:") return url.pathname.includes("@") ? withScheme : null;
    if ((url.protocol === "http:" || url.protocol === "https:") && url.hostname.includes(".") && !/\s/.test(value)) return url.href;
    return null;
  } catch {
    return null;
  }
}
