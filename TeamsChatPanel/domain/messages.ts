/** Conversation types: messages as the panel shows and sends them, independent of Graph's wire shape. */
import type { PreviewEvent } from "./types";

export type Importance = "normal" | "high" | "urgent";

export interface MessageSender {
  id: string;
  displayName: string;
}

export interface MessageAttachment {
  id: string;
  /** "reference" for files in OneDrive/SharePoint; cards and others keep Graph's value. */
  contentType: string;
  name?: string;
  contentUrl?: string;
  thumbnailUrl?: string;
}

export interface MessageMention {
  id: number;
  text: string;
  userId?: string;
}

/** One message of a chat as read from Teams. System events (members added, renamed…) carry `event`. */
export interface ChatMessageItem {
  id: string;
  chatId: string;
  kind: "message" | "event";
  createdDateTime: string;
  lastModifiedDateTime: string;
  /** Set when the sender edited the message. */
  editedDateTime?: string;
  /** Set when the message was deleted; its body is then empty. */
  deletedDateTime?: string;
  from?: MessageSender;
  importance: Importance;
  subject?: string;
  /** Untrusted: HTML goes through domain/sanitize before it reaches the DOM. */
  body: { contentType: "text" | "html"; content: string };
  attachments: MessageAttachment[];
  mentions: MessageMention[];
  event?: PreviewEvent;
}

/** A file already uploaded to the sender's OneDrive, ready to be attached (chatmessage-post: reference attachment). */
export interface UploadedFile {
  /** The driveItem eTag's GUID: the attachment id Teams expects. */
  attachmentId: string;
  driveItemId: string;
  name: string;
  webUrl: string;
  size: number;
}

/** An inline image that travels with the message as a hosted content. */
export interface InlineImage {
  /** The temporaryId referenced as ../hostedContents/{tempId}/$value in the body. */
  tempId: string;
  contentType: string;
  /** Base64 without a data: prefix. */
  base64: string;
}

/** What the composer hands over when the user sends; the body already carries the markers Graph needs. */
export interface OutgoingMessage {
  /** Our id for the optimistic row and for matching the echo from Teams (never sent to Graph). */
  clientId: string;
  /** HTML body: mentions as <at id="n">Name</at>, inline images as <img src="../hostedContents/{tempId}/$value">, files as <attachment id="…"></attachment>. */
  html: string;
  importance: Importance;
  mentions: Array<{ id: number; userId: string; displayName: string }>;
  hostedContents: InlineImage[];
  files: UploadedFile[];
}

/** What is kept per chat so nothing typed is lost (browser storage, never on a server of ours). */
export interface Draft {
  /** The editor's HTML (our own markup, re-read by the editor). */
  html: string;
  importance: Importance;
  files: UploadedFile[];
  savedAt: string;
}

export interface GifResult {
  id: string;
  title: string;
  /** Small animated preview for the picker. */
  previewUrl: string;
  /** The GIF that is sent (downloaded and attached as a hosted content). */
  url: string;
  width: number;
  height: number;
}
