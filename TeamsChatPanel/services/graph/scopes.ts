/**
 * Least-privilege delegated scopes per feature (DESIGN.md §4). Each call asks only for its own,
 * so a user is never asked to consent to more than the feature in use needs.
 */
export const SCOPES = {
  /** GET /me/chats with members and lastMessagePreview expanded, GET /chats/{id}. */
  readChats: ["Chat.Read"],
  /** POST /chats. */
  createChat: ["Chat.Create"],
  /** PATCH /chats/{id} (topic). */
  renameChat: ["Chat.ReadWrite"],
  /** GET /users?$search. */
  searchPeople: ["User.ReadBasic.All"],
} as const satisfies Record<string, readonly string[]>;
