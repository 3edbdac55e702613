/** Teams' rules for a group chat's name (Graph PATCH /chats and POST /chats). */
export const TOPIC_MAX_LENGTH = 250;

export type TopicProblem = "tooLong" | "colon" | null;

export function topicProblem(topic: string): TopicProblem {
  if (topic.length > TOPIC_MAX_LENGTH) return "tooLong";
  if (topic.includes(":")) return "colon";
  return null;
}

/** A chat with one other person is a oneOnOne chat; two or more others make a group chat. */
export function chatTypeFor(otherPeople: number): "oneOnOne" | "group" {
  return otherPeople <= 1 ? "oneOnOne" : "group";
}

/**
 * The proposed name of a new linked chat, by the admin's rule: the record's title, or the people's names.
 * Made valid for Teams (no ':', at most 250 characters) so the proposal never starts as an error.
 */
export function proposedChatName(rule: "recordTitle" | "participants" | undefined, recordTitle: string, people: Array<{ displayName: string }>): string {
  const raw = rule === "participants" ? people.map((p) => p.displayName.trim()).filter(Boolean).join(", ") : recordTitle.trim();
  return raw.replace(/\s*:\s*/g, " - ").slice(0, TOPIC_MAX_LENGTH).trim();
}
