import * as React from "react";
import { Button, Text, Toolbar, ToolbarButton, ToolbarToggleButton, Tooltip, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import { AttachRegular, SendRegular, TextEditStyleRegular } from "@fluentui/react-icons";
import { mergeRegister } from "@lexical/utils";
import { FORMAT_TEXT_COMMAND } from "lexical";
import type { BaseSelection, LexicalEditor } from "lexical";
import { useStrings } from "../../app/strings";
import type { Draft, GifResult, Importance, OutgoingMessage, UploadedFile } from "../../domain/messages";
import { cleanOutgoingHtml } from "../../domain/sanitize";
import { matchesFilter } from "../../domain/text";
import type { GifProvider } from "../../services/ports";
import { Attachments, useAttachments } from "./Attachments";
import type { UploadFn } from "./Attachments";
import { DeliveryMenu, ImportanceBadge } from "./DeliveryMenu";
import {
  $isBlank,
  $mentionQuery,
  $readFormats,
  NO_FORMATS,
  applyLink,
  clearEditor,
  createComposerEditor,
  exportForSend,
  getHtml,
  insertMention,
  insertText,
  readLinkDraft,
  registerComposer,
  removeLink,
  setHtml,
  toggleBlock,
} from "./editor";
import type { ActiveFormats, BlockFormat, InlineFormat, LinkDraft, MentionQuery, PickerKey } from "./editor";
import { EmojiPicker } from "./EmojiPicker";
import { GifPicker } from "./GifPicker";
import { MentionPicker, mentionOptionId } from "./MentionPicker";
import type { MentionCandidate } from "./MentionPicker";
import { buildOutgoing } from "./outgoing";
import { FormatToolbar } from "./Toolbar";

export const DRAFT_DELAY_MS = 400;
const MAX_MENTION_MATCHES = 8;
/** Updates that are not the user's edits (a restored draft, the box emptied after sending): no draft save. */
const QUIET_TAG = "composer-quiet";

export interface ComposerProps {
  /** A new chat gets a fresh composer (its own editor, draft and uploads). */
  chatId: string;
  chatName: string;
  initialDraft?: Draft;
  /** Debounced while typing; at once when the box loses focus or goes away with unsaved changes. */
  onDraftChange(draft: Draft): void;
  /** The composer empties itself right after this call. */
  onSend(message: OutgoingMessage): void;
  /** People who can be mentioned (without the current user). */
  participants: Array<{ id: string; displayName: string }>;
  upload: UploadFn;
  /** The GIF button is hidden without a provider. */
  gifs?: GifProvider;
  disabled?: boolean;
  now(): Date;
}

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, padding: tokens.spacingHorizontalS, minWidth: 0 },
  box: {
    position: "relative",
    display: "flex",
    flexDirection: "column",
    backgroundColor: tokens.colorNeutralBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    borderBottom: `${tokens.strokeWidthThick} solid ${tokens.colorNeutralStrokeAccessible}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    ":focus-within": { borderBottomColor: tokens.colorCompoundBrandStroke },
  },
  dropping: { outline: `${tokens.strokeWidthThick} dashed ${tokens.colorBrandStroke1}` },
  editorWrap: { position: "relative" },
  editor: {
    minHeight: "36px",
    maxHeight: "200px",
    overflowY: "auto",
    outlineStyle: "none",
    padding: `${tokens.spacingVerticalXS} 0`,
    fontSize: tokens.fontSizeBase300,
    lineHeight: tokens.lineHeightBase300,
    color: tokens.colorNeutralForeground1,
    wordBreak: "break-word",
    whiteSpace: "pre-wrap",
  },
  placeholder: {
    position: "absolute",
    top: tokens.spacingVerticalXS,
    left: 0,
    color: tokens.colorNeutralForeground4,
    pointerEvents: "none",
    userSelect: "none",
    fontSize: tokens.fontSizeBase300,
    lineHeight: tokens.lineHeightBase300,
  },
  actions: { display: "flex", alignItems: "center", justifyContent: "space-between", gap: tokens.spacingHorizontalXS },
  tools: { padding: 0, flexWrap: "wrap" },
  badge: { alignSelf: "flex-start" },
  notice: { color: tokens.colorPaletteRedForeground1 },
  hiddenInput: { display: "none" },
  // Editor theme: the classes Lexical puts on what it renders.
  paragraph: { margin: 0 },
  bold: { fontWeight: tokens.fontWeightSemibold },
  italic: { fontStyle: "italic" },
  underline: { textDecorationLine: "underline" },
  strikethrough: { textDecorationLine: "line-through" },
  underlineStrikethrough: { textDecorationLine: "underline line-through" },
  code: { fontFamily: tokens.fontFamilyMonospace, backgroundColor: tokens.colorNeutralBackground3, padding: "0 2px", borderRadius: tokens.borderRadiusSmall },
  quote: { margin: `${tokens.spacingVerticalXS} 0`, paddingLeft: tokens.spacingHorizontalM, borderLeft: `${tokens.strokeWidthThick} solid ${tokens.colorNeutralStroke1}`, color: tokens.colorNeutralForeground2 },
  list: { margin: 0, paddingLeft: "20px" },
  link: { color: tokens.colorBrandForegroundLink },
  mention: { color: tokens.colorBrandForeground1, fontWeight: tokens.fontWeightSemibold },
});

/** The message box of a chat: rich text, emoji, GIFs, files, mentions, delivery options, and a draft that is never lost. */
export const Composer: React.FC<ComposerProps> = (props) => <ComposerBox key={props.chatId} {...props} />;

interface MentionState {
  at: MentionQuery;
  items: MentionCandidate[];
  active: number;
}

const ComposerBox: React.FC<ComposerProps> = (props) => {
  const { chatId, chatName, initialDraft, gifs, disabled } = props;
  const styles = useStyles();
  const { t } = useStrings();
  const rootRef = React.useRef<HTMLDivElement>(null);
  const editorRef = React.useRef<LexicalEditor | null>(null);
  const fileInput = React.useRef<HTMLInputElement>(null);
  // Unique per instance: two panels on one page may show the same chat.
  const instance = React.useRef(Math.random().toString(36).slice(2, 8));
  const listId = `composer-mentions-${chatId.replace(/[^A-Za-z0-9_-]/g, "").slice(-24)}-${instance.current}`;

  const [formats, setFormats] = React.useState<ActiveFormats>(NO_FORMATS);
  const [blank, setBlank] = React.useState(true);
  const [importance, setImportance] = React.useState<Importance>(initialDraft?.importance ?? "normal");
  const [showFormat, setShowFormat] = React.useState(false);
  const [link, setLink] = React.useState<{ open: boolean; draft: LinkDraft; selection: BaseSelection | null }>({ open: false, draft: { url: "", text: "", existing: false }, selection: null });
  const [mention, setMention] = React.useState<MentionState | null>(null);
  const [dropping, setDropping] = React.useState(false);
  const attachments = useAttachments(props.upload, initialDraft?.files);

  // Latest values for the editor's callbacks, which are registered once.
  const latest = React.useRef({ props, mention, importance, attachments, dismissed: "" });
  latest.current = { ...latest.current, props, mention, importance, attachments };

  const focusEditor = React.useCallback(() => {
    // After a popover closes Fluent restores focus to its trigger; take it back on the next tick.
    setTimeout(() => editorRef.current?.focus(), 0);
  }, []);

  // ---- Drafts -------------------------------------------------------------------------------------------------
  const draftTimer = React.useRef<ReturnType<typeof setTimeout>>();
  const draftDirty = React.useRef(false);
  const doneFiles = attachments.files.filter((f) => f.status === "done" && f.result).map((f) => f.result as UploadedFile);
  const doneFilesRef = React.useRef(doneFiles);
  doneFilesRef.current = doneFiles;

  const flushDraft = React.useCallback(() => {
    clearTimeout(draftTimer.current);
    const editor = editorRef.current;
    if (!draftDirty.current || !editor) return;
    draftDirty.current = false;
    const { props: p, importance: imp } = latest.current;
    p.onDraftChange({ html: getHtml(editor), importance: imp, files: doneFilesRef.current, savedAt: p.now().toISOString() });
  }, []);

  const scheduleDraft = React.useCallback(() => {
    draftDirty.current = true;
    clearTimeout(draftTimer.current);
    draftTimer.current = setTimeout(flushDraft, DRAFT_DELAY_MS);
  }, [flushDraft]);

  const doneKey = doneFiles.map((f) => f.attachmentId).join("|");
  const savedMeta = React.useRef({ importance, doneKey });
  React.useEffect(() => {
    const saved = savedMeta.current;
    if (saved.importance === importance && saved.doneKey === doneKey) return;
    savedMeta.current = { importance, doneKey };
    scheduleDraft();
  }, [importance, doneKey, scheduleDraft]);

  // ---- Files and images ---------------------------------------------------------------------------------------
  const takeFiles = React.useCallback((files: File[]) => {
    const { attachments: a } = latest.current;
    const images = files.filter((f) => f.type.startsWith("image/"));
    const others = files.filter((f) => !f.type.startsWith("image/"));
    images.forEach((img) => void a.addImage(img, img.name || "image"));
    if (others.length) a.addFiles(others);
  }, []);

  // ---- Sending ------------------------------------------------------------------------------------------------
  const uploading = attachments.files.some((f) => f.status === "uploading");
  const failed = attachments.files.some((f) => f.status === "failed");
  const empty = blank && attachments.images.length === 0 && doneFiles.length === 0;
  const blockReason = disabled ? undefined : uploading ? t("Composer_SendWaitUploads") : failed ? t("Composer_SendFailedUpload") : empty ? t("Composer_SendEmpty") : undefined;
  const canSend = !disabled && !blockReason;

  const send = () => {
    const editor = editorRef.current;
    if (!editor || !canSend) return;
    const content = exportForSend(editor);
    const message = buildOutgoing({
      html: content.html,
      mentions: content.mentions,
      images: attachments.images,
      files: doneFiles,
      importance,
      clean: cleanOutgoingHtml,
    });
    props.onSend(message);
    clearEditor(editor, QUIET_TAG);
    attachments.clear();
    setImportance("normal");
    // What was sent is the store's now: the kept draft is emptied at once, not after the debounce.
    clearTimeout(draftTimer.current);
    draftDirty.current = false;
    savedMeta.current = { importance: "normal", doneKey: "" };
    props.onDraftChange({ html: "", importance: "normal", files: [], savedAt: props.now().toISOString() });
    editor.focus();
  };
  const sendRef = React.useRef(send);
  sendRef.current = send;

  // ---- Mentions -----------------------------------------------------------------------------------------------
  const pickMention = React.useCallback((person: MentionCandidate) => {
    const editor = editorRef.current;
    const current = latest.current.mention;
    if (!editor || !current) return;
    insertMention(editor, current.at, person);
    setMention(null);
    editor.focus();
  }, []);

  const pickerKey = React.useCallback(
    (key: PickerKey): boolean => {
      const current = latest.current.mention;
      if (!current) return false;
      const n = current.items.length;
      if (key === "next" || key === "previous") {
        setMention({ ...current, active: (current.active + (key === "next" ? 1 : n - 1)) % n });
      } else if (key === "pick") {
        pickMention(current.items[current.active]);
      } else {
        latest.current.dismissed = `${current.at.nodeKey}:${current.at.start}`;
        setMention(null);
      }
      return true;
    },
    [pickMention],
  );

  // ---- The editor ---------------------------------------------------------------------------------------------
  React.useEffect(() => {
    const root = rootRef.current;
    if (!root) return;
    const theme = {
      paragraph: styles.paragraph,
      quote: styles.quote,
      link: styles.link,
      mention: styles.mention,
      list: { ul: styles.list, ol: styles.list },
      text: {
        bold: styles.bold,
        italic: styles.italic,
        underline: styles.underline,
        strikethrough: styles.strikethrough,
        underlineStrikethrough: styles.underlineStrikethrough,
        code: styles.code,
      },
    };
    const editor = createComposerEditor(theme, (e) => {
      // A bug in an editor update must not take the whole panel down; the text stays as it was.
      console.error(e);
    });
    editor.setRootElement(root);
    editorRef.current = editor;
    const dispose = mergeRegister(
      registerComposer(editor, {
        submit: () => sendRef.current(),
        files: takeFiles,
        linkShortcut: () => openLinkRef.current(),
        pickerKey,
      }),
      editor.registerUpdateListener(({ editorState, dirtyElements, dirtyLeaves, tags }) => {
        editorState.read(() => {
          setFormats($readFormats());
          setBlank($isBlank());
          const at = $mentionQuery();
          const people = latest.current.props.participants;
          const items = at ? people.filter((p) => matchesFilter(p.displayName, at.query)).slice(0, MAX_MENTION_MATCHES) : [];
          if (!at || items.length === 0 || latest.current.dismissed === `${at.nodeKey}:${at.start}`) {
            setMention(null);
          } else {
            const previous = latest.current.mention;
            const same = previous && previous.at.nodeKey === at.nodeKey && previous.at.start === at.start;
            setMention({ at, items, active: same ? Math.min(previous.active, items.length - 1) : 0 });
          }
        });
        if ((dirtyElements.size > 0 || dirtyLeaves.size > 0) && !tags.has(QUIET_TAG)) scheduleDraft();
      }),
    );
    if (initialDraft?.html) setHtml(editor, initialDraft.html, { tag: QUIET_TAG, select: false });
    return () => {
      flushDraft();
      dispose();
      editor.setRootElement(null);
      editorRef.current = null;
    };
    // The editor lives as long as this composer (one chat); its callbacks read the latest props through refs.
  }, []);

  React.useEffect(() => {
    editorRef.current?.setEditable(!disabled);
  }, [disabled]);

  // ---- Toolbar actions ----------------------------------------------------------------------------------------
  const onInline = (format: InlineFormat) => {
    editorRef.current?.dispatchCommand(FORMAT_TEXT_COMMAND, format);
    editorRef.current?.focus();
  };
  const onBlock = (block: BlockFormat) => {
    const editor = editorRef.current;
    if (!editor) return;
    toggleBlock(editor, block, formats.block);
    editor.focus();
  };
  const openLink = () => {
    const editor = editorRef.current;
    if (!editor || disabled) return;
    const { draft, selection } = readLinkDraft(editor);
    setShowFormat(true);
    setLink({ open: true, draft, selection });
  };
  const openLinkRef = React.useRef(openLink);
  openLinkRef.current = openLink;
  const closeLink = () => {
    setLink((l) => ({ ...l, open: false }));
    focusEditor();
  };

  const onEmoji = (emoji: string) => {
    const editor = editorRef.current;
    if (!editor) return;
    insertText(editor, emoji);
    focusEditor();
  };

  const onGif = async (blob: Blob, gif: GifResult) => {
    const added = await attachments.addImage(blob.type ? blob : new Blob([blob], { type: "image/gif" }), gif.title);
    return added;
  };

  const onBlur = (e: React.FocusEvent) => {
    const next = e.relatedTarget as Node | null;
    if (!next || !e.currentTarget.contains(next)) flushDraft();
  };

  const onDragOver = (e: React.DragEvent) => {
    if (disabled || !Array.from(e.dataTransfer.types).includes("Files")) return;
    e.preventDefault();
    setDropping(true);
  };
  const onDrop = (e: React.DragEvent) => {
    setDropping(false);
    if (disabled || e.dataTransfer.files.length === 0) return;
    e.preventDefault();
    takeFiles(Array.from(e.dataTransfer.files));
  };

  const label = t("Composer_EditorLabel", chatName);
  const activeId = mention ? mentionOptionId(listId, mention.active) : undefined;

  return (
    <div className={styles.root} onBlur={onBlur} onDragOver={onDragOver} onDragLeave={() => setDropping(false)} onDrop={onDrop}>
      <ImportanceBadge value={importance} className={styles.badge} />
      {showFormat && (
        <FormatToolbar
          formats={formats}
          disabled={disabled}
          onInline={onInline}
          onBlock={onBlock}
          link={{
            open: link.open,
            draft: link.draft,
            onOpen: openLink,
            onSave: (url, text) => {
              if (editorRef.current) applyLink(editorRef.current, link.selection, url, text);
              closeLink();
            },
            onRemove: () => {
              if (editorRef.current) removeLink(editorRef.current, link.selection);
              closeLink();
            },
            onClose: closeLink,
          }}
        />
      )}
      <div className={mergeClasses(styles.box, dropping && styles.dropping)}>
        {mention && <MentionPicker id={listId} items={mention.items} active={mention.active} onPick={pickMention} />}
        <div className={styles.editorWrap}>
          <div
            ref={rootRef}
            className={styles.editor}
            contentEditable={!disabled}
            suppressContentEditableWarning
            role="textbox"
            aria-multiline="true"
            aria-label={label}
            aria-placeholder={t("Composer_Placeholder")}
            aria-disabled={disabled || undefined}
            tabIndex={disabled ? -1 : 0}
            aria-autocomplete="list"
            aria-controls={mention ? listId : undefined}
            aria-activedescendant={activeId}
            spellCheck
          />
          {blank && (
            <div className={styles.placeholder} aria-hidden>
              {t("Composer_Placeholder")}
            </div>
          )}
        </div>
        <Attachments files={attachments.files} images={attachments.images} onCancel={attachments.remove} onRetry={attachments.retry} onRemoveImage={attachments.removeImage} />
        {attachments.notice && (
          <Text size={200} className={styles.notice} role="alert">
            {attachments.notice}
          </Text>
        )}
      </div>
      <div className={styles.actions}>
        <Toolbar aria-label={t("Composer_Actions")} size="small" className={styles.tools} checkedValues={{ panel: showFormat ? ["format"] : [] }}>
          <Tooltip content={t("Composer_Format")} relationship="label">
            <ToolbarToggleButton
              appearance="subtle"
              name="panel"
              value="format"
              icon={<TextEditStyleRegular />}
              aria-expanded={showFormat}
              onClick={() => setShowFormat((v) => !v)}
            />
          </Tooltip>
          <EmojiPicker disabled={disabled} onPick={onEmoji} onClosed={focusEditor} />
          {gifs && <GifPicker gifs={gifs} disabled={disabled} onPicked={onGif} onClosed={focusEditor} />}
          <Tooltip content={t("Composer_Attach")} relationship="label">
            <ToolbarButton appearance="subtle" icon={<AttachRegular />} disabled={disabled} onClick={() => fileInput.current?.click()} />
          </Tooltip>
          <DeliveryMenu value={importance} disabled={disabled} onChange={setImportance} onClosed={focusEditor} />
        </Toolbar>
        <input
          ref={fileInput}
          className={styles.hiddenInput}
          type="file"
          multiple
          tabIndex={-1}
          aria-hidden
          data-testid="composer-file-input"
          onChange={(e) => {
            const list = Array.from(e.currentTarget.files ?? []);
            e.currentTarget.value = "";
            if (list.length) attachments.addFiles(list);
            focusEditor();
          }}
        />
        <Tooltip content={blockReason ?? t("Composer_SendHint")} relationship="description">
          <Button appearance="transparent" icon={<SendRegular />} aria-label={t("Composer_Send")} disabledFocusable={!canSend} onClick={send} />
        </Tooltip>
      </div>
    </div>
  );
};
