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
