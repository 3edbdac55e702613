import * as React from "react";
import { makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import {
  CodeRegular,
  DocumentPdfRegular,
  DocumentRegular,
  DocumentTextRegular,
  FolderZipRegular,
  ImageRegular,
  MusicNote2Regular,
  SlideTextRegular,
  TableRegular,
  VideoRegular,
} from "@fluentui/react-icons";
import { useStrings } from "../../app/strings";
import type { ChatMessageItem, MessageAttachment } from "../../domain/messages";
import { HOSTED_ATTR, MENTION_CLASS, safeLinkUrl, sanitizeMessageHtml } from "../../domain/sanitize";

/*
 * The body of one message: sanitised Teams HTML (or plain text), inline images loaded with the user's token,
 * and file attachments as cards. Sender, time, "Edited" and importance belong to the message row around it.
 */

export interface MessageBodyProps {
  message: ChatMessageItem;
  /** The Graph root: only hosted contents under it are loaded with the user's token. */
  graphBaseUrl: string;
  /** Loads a hosted content and resolves to an object URL the loader owns (and revokes). */
  loadHostedImage(url: string): Promise<string>;
}

const useStyles = makeStyles({
  body: {
    fontSize: tokens.fontSizeBase300,
    lineHeight: tokens.lineHeightBase300,
    color: tokens.colorNeutralForeground1,
    overflowWrap: "anywhere",
    "& p": { margin: 0 },
    "& ul": { margin: `${tokens.spacingVerticalXS} 0`, paddingLeft: tokens.spacingHorizontalXL },
    "& ol": { margin: `${tokens.spacingVerticalXS} 0`, paddingLeft: tokens.spacingHorizontalXL },
    "& h1": { fontSize: tokens.fontSizeBase500, margin: `${tokens.spacingVerticalXS} 0` },
    "& h2": { fontSize: tokens.fontSizeBase400, margin: `${tokens.spacingVerticalXS} 0` },
    "& h3": { fontSize: tokens.fontSizeBase300, margin: `${tokens.spacingVerticalXS} 0` },
    "& a": { color: tokens.colorBrandForegroundLink },
    [`& .${MENTION_CLASS}`]: { color: tokens.colorBrandForeground1, fontWeight: tokens.fontWeightSemibold },
    "& code": {
      fontFamily: tokens.fontFamilyMonospace,
      fontSize: tokens.fontSizeBase200,
      backgroundColor: tokens.colorNeutralBackground4,
      borderRadius: tokens.borderRadiusSmall,
      padding: "0 2px",
    },
    "& pre": {
      fontFamily: tokens.fontFamilyMonospace,
      fontSize: tokens.fontSizeBase200,
      backgroundColor: tokens.colorNeutralBackground4,
      borderRadius: tokens.borderRadiusMedium,
      padding: tokens.spacingHorizontalS,
      margin: `${tokens.spacingVerticalXS} 0`,
      whiteSpace: "pre-wrap",
      overflowX: "auto",
    },
    "& pre code": { backgroundColor: "transparent", padding: 0 },
    "& blockquote": {
      margin: `${tokens.spacingVerticalXS} 0`,
      paddingLeft: tokens.spacingHorizontalS,
      borderLeft: `${tokens.strokeWidthThick} solid ${tokens.colorNeutralStroke1}`,
      color: tokens.colorNeutralForeground2,
    },
    "& table": { borderCollapse: "collapse", margin: `${tokens.spacingVerticalXS} 0`, fontSize: tokens.fontSizeBase200, display: "block", overflowX: "auto", maxWidth: "100%" },
    "& th": { border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`, padding: `2px ${tokens.spacingHorizontalXS}`, textAlign: "left", fontWeight: tokens.fontWeightSemibold },
    "& td": { border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`, padding: `2px ${tokens.spacingHorizontalXS}` },
    "& hr": { border: 0, borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}` },
    "& img": { maxWidth: "100%", height: "auto", verticalAlign: "bottom", borderRadius: tokens.borderRadiusMedium },
    // A hosted image before its bytes arrive: keep some room so the row does not jump much.
    [`& img[${HOSTED_ATTR}]:not([src])`]: { minWidth: "48px", minHeight: "48px", backgroundColor: tokens.colorNeutralBackground5 },
    "& .tcp-image-failed": {
      display: "inline-block",
      padding: `2px ${tokens.spacingHorizontalS}`,
      border: `${tokens.strokeWidthThin} dashed ${tokens.colorNeutralStroke1}`,
      borderRadius: tokens.borderRadiusMedium,
      color: tokens.colorNeutralForeground3,
      fontSize: tokens.fontSizeBase200,
    },
  },
  text: { whiteSpace: "pre-wrap" },
  deleted: { fontStyle: "italic", color: tokens.colorNeutralForeground3 },
  note: { fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground3 },
  files: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, marginTop: tokens.spacingVerticalXS },
  card: {
    display: "flex",
    alignItems: "center",
    gap: tokens.spacingHorizontalS,
    maxWidth: "100%",
    boxSizing: "border-box",
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalS}`,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    textDecoration: "none",
  },
  cardLink: {
    ":hover": { backgroundColor: tokens.colorNeutralBackground1Hover },
    ":focus-visible": { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`, outlineOffset: "1px" },
  },
  icon: { fontSize: "24px", flexShrink: 0, color: tokens.colorBrandForeground1 },
  fileName: { overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap", fontWeight: tokens.fontWeightSemibold },
});

export type FileKind = "pdf" | "word" | "sheet" | "slides" | "image" | "video" | "audio" | "archive" | "code" | "text" | "other";

const KIND_BY_EXTENSION: Record<string, FileKind> = {};
for (const [kind, exts] of Object.entries({
  pdf: "pdf",
  word: "doc docx docm dot dotx odt rtf",
  sheet: "xls xlsx xlsm xlsb csv ods",
  slides: "ppt pptx pptm pps ppsx odp",
  image: "png jpg jpeg gif bmp svg webp heic tif tiff",
  video: "mp4 mov avi wmv webm mkv m4v",
  audio: "mp3 wav m4a wma ogg aac flac",
  archive: "zip 7z rar tar gz tgz",
  code: "js ts tsx jsx json xml html htm css cs py java ps1 sql yaml yml",
  text: "txt md log",
}) as Array<[FileKind, string]>) {
  for (const ext of exts.split(" ")) KIND_BY_EXTENSION[ext] = kind;
}

/** What kind of file a name stands for, by its extension. */
export function fileKind(name: string): FileKind {
  const dot = name.lastIndexOf(".");
  return (dot >= 0 && KIND_BY_EXTENSION[name.slice(dot + 1).toLowerCase()]) || "other";
}

const KIND_ICON: Record<FileKind, typeof DocumentRegular> = {
  pdf: DocumentPdfRegular,
  word: DocumentTextRegular,
  sheet: TableRegular,
  slides: SlideTextRegular,
  image: ImageRegular,
  video: VideoRegular,
  audio: MusicNote2Regular,
  archive: FolderZipRegular,
  code: CodeRegular,
  text: DocumentTextRegular,
  other: DocumentRegular,
};

function attachmentName(a: MessageAttachment): string {
  if (a.name?.trim()) return a.name.trim();
  const last = (a.contentUrl ?? "").split(/[?#]/)[0].split("/").filter(Boolean).pop();
  try {
    return last ? decodeURIComponent(last) : a.id;
  } catch {
    return last ?? a.id;
  }
}

const FileCard: React.FC<{ attachment: MessageAttachment }> = ({ attachment }) => {
  const styles = useStyles();
  const { t } = useStrings();
  const name = attachmentName(attachment);
  const kind = fileKind(name);
  const Icon = KIND_ICON[kind];
  const link = safeLinkUrl(attachment.contentUrl ?? null);
  const href = link && /^https?:/.test(link) ? link : undefined;
  const content = (
    <>
      <Icon className={styles.icon} aria-hidden="true" />
      <span className={styles.fileName}>{name}</span>
    </>
  );
  // A file whose address is not an ordinary web link is still listed, but not as a link.
  return href ? (
    <a className={mergeClasses(styles.card, styles.cardLink)} href={href} target="_blank" rel="noopener noreferrer" aria-label={t("MessageBody_OpenFile", name)} title={name} data-file-kind={kind}>
      {content}
    </a>
  ) : (
    <div className={styles.card} title={name} data-file-kind={kind}>
      {content}
    </div>
  );
};

/** Sanitised HTML, with each hosted image fetched through the loader once the HTML is in the DOM. */
const HtmlBody: React.FC<{ html: string; graphBaseUrl: string; loadHostedImage(url: string): Promise<string> }> = ({ html, graphBaseUrl, loadHostedImage }) => {
  const styles = useStyles();
  const { t } = useStrings();
  const ref = React.useRef<HTMLDivElement>(null);
  const safe = React.useMemo(() => sanitizeMessageHtml(html, { graphBaseUrl }), [html, graphBaseUrl]);
  const failedLabel = t("MessageBody_ImageFailed");

  React.useEffect(() => {
    const root = ref.current;
    if (!root || !safe.hostedImages.length) return;
    let cancelled = false;
    for (const img of Array.from(root.querySelectorAll<HTMLImageElement>(`img[${HOSTED_ATTR}]`))) {
      const url = img.getAttribute(HOSTED_ATTR) ?? "";
      loadHostedImage(url).then(
        (src) => {
          if (!cancelled && img.isConnected) img.setAttribute("src", src);
        },
        () => {
          if (cancelled || !img.isConnected) return;
          // Text only (textContent), so nothing in the alt text can become markup.
          const note = img.ownerDocument.createElement("span");
          note.className = "tcp-image-failed";
          note.textContent = img.alt ? `${img.alt} (${failedLabel})` : failedLabel;
          img.replaceWith(note);
        },
      );
    }
    return () => {
      cancelled = true;
    };
  }, [safe, loadHostedImage, failedLabel]);

  // The only HTML put into the DOM: the sanitiser's output.
  return <div ref={ref} className={styles.body} dangerouslySetInnerHTML={{ __html: safe.html }} />;
};

export const MessageBody: React.FC<MessageBodyProps> = ({ message, graphBaseUrl, loadHostedImage }) => {
  const styles = useStyles();
  const { t } = useStrings();
  if (message.deletedDateTime) {
    return <div className={mergeClasses(styles.body, styles.deleted)}>{t("MessageBody_Deleted")}</div>;
  }
  const files = message.attachments.filter((a) => a.contentType === "reference");
  const hasCard = message.attachments.some((a) => a.contentType.startsWith("application/vnd.microsoft.card"));
  const { contentType, content } = message.body;
  return (
    <div data-message-body="">
      {contentType === "html" ? (
        content.trim() && <HtmlBody html={content} graphBaseUrl={graphBaseUrl} loadHostedImage={loadHostedImage} />
      ) : (
        content && <div className={mergeClasses(styles.body, styles.text)}>{content}</div>
      )}
      {hasCard && <div className={styles.note}>{t("MessageBody_Card")}</div>}
      {files.length > 0 && (
        <div className={styles.files}>
          {files.map((a) => (
            <FileCard key={a.id} attachment={a} />
          ))}
        </div>
      )}
    </div>
  );
};
