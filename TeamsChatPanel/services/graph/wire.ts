/** The parts of Graph v1.0 resources the panel reads (api-reference/v1.0/resources). */
export interface WireIdentity {
  id?: string;
  displayName?: string | null;
  userIdentityType?: string;
}

export interface WireMember {
  "@odata.type"?: string;
  id: string;
  displayName?: string | null;
  userId?: string;
  email?: string | null;
  roles?: string[];
}

export interface WireEventDetail {
  "@odata.type"?: string;
  members?: Array<{ id: string; displayName?: string | null }>;
  initiator?: { user?: WireIdentity | null; application?: WireIdentity | null } | null;
  chatDisplayName?: string | null;
}

export interface WireMessagePreview {
  id: string;
  createdDateTime: string;
  isDeleted?: boolean;
  messageType?: string;
  eventDetail?: WireEventDetail | null;
  body?: { contentType?: string; content?: string | null } | null;
  from?: { user?: WireIdentity | null; application?: WireIdentity | null } | null;
}

export interface WireChat {
  id: string;
  topic?: string | null;
  createdDateTime: string;
  lastUpdatedDateTime?: string | null;
  chatType: string;
  webUrl?: string | null;
  members?: WireMember[];
  lastMessagePreview?: WireMessagePreview | null;
}

export interface WireUser {
  id: string;
  displayName?: string | null;
  mail?: string | null;
  userPrincipalName?: string | null;
  jobTitle?: string | null;
}

export interface WireCollection<T> {
  value: T[];
  "@odata.nextLink"?: string;
}

export interface WireBatchResponse {
  responses: Array<{ id: string; status: number; headers?: Record<string, string>; body?: unknown }>;
}

export interface WireChatMessage {
  id: string;
  chatId?: string | null;
  messageType?: string;
  createdDateTime: string;
  lastModifiedDateTime?: string | null;
  lastEditedDateTime?: string | null;
  deletedDateTime?: string | null;
  importance?: string | null;
  subject?: string | null;
  from?: { user?: WireIdentity | null; application?: WireIdentity | null } | null;
  body?: { contentType?: string; content?: string | null } | null;
  attachments?: Array<{ id?: string | null; contentType?: string | null; contentUrl?: string | null; name?: string | null; thumbnailUrl?: string | null }> | null;
  mentions?: Array<{ id?: number; mentionText?: string | null; mentioned?: { user?: WireIdentity | null } | null }> | null;
  eventDetail?: WireEventDetail | null;
}
