/** System events of a chat (people added or removed, renamed) as one plain sentence: a resx key and its arguments. */
import type { PreviewEvent } from "./types";

export interface EventLine {
  key: string;
  args: string[];
}

interface ListFormatter {
  format(items: string[]): string;
}

/** "Alex, Lee and Megan" in the user's language; plain commas where the browser has no Intl.ListFormat. */
export function joinNames(names: string[], locale?: string): string {
  const ListFormat = (Intl as unknown as { ListFormat?: new (locale?: string, options?: { type: string; style: string }) => ListFormatter }).ListFormat;
  if (ListFormat) {
    try {
      return new ListFormat(locale, { type: "conjunction", style: "long" }).format(names);
    } catch {
      // an unknown locale tag: fall through to commas
    }
  }
  return names.join(", ");
}

/**
 * The sentence for a system event. Names come from Teams (display names); `locale` joins them.
 * Without an actor (Teams leaves the initiator out at times) the sentence says what happened without a subject.
 */
export function eventLine(event: PreviewEvent, locale?: string): EventLine {
  const actor = event.actorName?.trim() || undefined;
  const names = (event.names ?? []).map((n) => n.trim()).filter(Boolean);
  const list = joinNames(names, locale);
  switch (event.type) {
    case "membersAdded":
      if (actor && names.length === 1 && names[0] === actor) return { key: "SystemEvent_Joined", args: [actor] };
      if (actor && names.length) return { key: "SystemEvent_Added", args: [actor, list] };
      if (actor) return { key: "SystemEvent_AddedPeople", args: [actor] };
      if (names.length) return { key: "SystemEvent_AddedNoActor", args: [list] };
      break;
    case "membersDeleted":
      if (actor && names.length === 1 && names[0] === actor) return { key: "SystemEvent_Left", args: [actor] };
      if (actor && names.length) return { key: "SystemEvent_Removed", args: [actor, list] };
      if (actor) return { key: "SystemEvent_RemovedPeople", args: [actor] };
      if (names.length) return { key: "SystemEvent_RemovedNoActor", args: [list] };
      break;
    case "renamed": {
      const topic = event.topic?.trim();
      if (topic) return actor ? { key: "SystemEvent_Renamed", args: [actor, topic] } : { key: "SystemEvent_RenamedNoActor", args: [topic] };
      return actor ? { key: "SystemEvent_NameRemoved", args: [actor] } : { key: "SystemEvent_NameRemovedNoActor", args: [] };
    }
  }
  return { key: "SystemEvent_Other", args: [] };
}
