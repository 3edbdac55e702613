/**
 * Teams' rules for channel names (Microsoft Teams limits and specifications, "Channel names"): at most 50
 * characters; none of ~ # % & * { } + / \ : < > ? | ' " , . nor control characters (0-1F, 80-9F); not one of
 * the reserved words; not starting with _ or . and not ending with . — Teams refuses a name used by another
 * channel of the same team, which only Teams can check.
 */
export const CHANNEL_NAME_MAX = 50;

export type ChannelNameProblem = "empty" | "tooLong" | "characters" | "reserved" | "edges";

const FORBIDDEN = /[~#%&*{}+/\\:<>?|'",.\u0000-\u001f\u0080-\u009f]/;
const FORBIDDEN_ALL = /[~#%&*{}+/\\:<>?|'",.\u0000-\u001f\u0080-\u009f]/g;
const RESERVED = /^(forms|con|conin\$|conout\$|prn|aux|nul|com[1-9]|lpt[1-9]|desktop\.ini)$/i;

export function channelNameProblem(name: string): ChannelNameProblem | null {
  const n = name.trim();
  if (!n) return "empty";
  if (n.length > CHANNEL_NAME_MAX) return "tooLong";
  if (RESERVED.test(n) || /_vti_/i.test(n)) return "reserved";
  if (/^[_.]/.test(n) || n.endsWith(".")) return "edges";
  if (FORBIDDEN.test(n)) return "characters";
  return null;
}

/** The characters of a name Teams would refuse, each once, for the message to the user. */
export function forbiddenCharacters(name: string): string[] {
  return [...new Set(name.match(FORBIDDEN_ALL) ?? [])].filter((c) => c.trim() !== "");
}

/**
 * A valid channel name made from the record's title: refused characters become spaces (a "/" or ":" in a
 * title separates words), spaces collapse, the edges Teams refuses are trimmed, and a long title is cut at a
 * word boundary. A title with nothing usable left gives the fallback.
 */
export function proposeChannelName(title: string, fallback = "Collaboration"): string {
  let n = title.replace(FORBIDDEN_ALL, " ").replace(/\s+/g, " ").trim();
  n = n.replace(/^[_\s]+/, "").trim();
  if (n.length > CHANNEL_NAME_MAX) {
    const cut = n.slice(0, CHANNEL_NAME_MAX + 1);
    const space = cut.lastIndexOf(" ");
    n = (space >= 20 ? cut.slice(0, space) : n.slice(0, CHANNEL_NAME_MAX)).trim();
  }
  n = n.replace(/[\s-]+$/, "").trim();
  if (!n || channelNameProblem(n)) return channelNameProblem(fallback) ? "Collaboration" : fallback;
  return n;
}
