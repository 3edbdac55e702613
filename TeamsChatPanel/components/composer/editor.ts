/** The message box's editor: Lexical's framework-free core, set up and driven without @lexical/react (React 16 here). */
import { $generateHtmlFromNodes, $generateNodesFromDOM } from "@lexical/html";
import { createEmptyHistoryState, registerHistory } from "@lexical/history";
import { $createLinkNode, $isLinkNode, $toggleLink, LinkNode, TOGGLE_LINK_COMMAND } from "@lexical/link";
import { $isListItemNode, $isListNode, INSERT_ORDERED_LIST_COMMAND, INSERT_UNORDERED_LIST_COMMAND, ListItemNode, ListNode, REMOVE_LIST_COMMAND, registerList } from "@lexical/list";
import { $createQuoteNode, $isQuoteNode, DRAG_DROP_PASTE, QuoteNode, registerRichText } from "@lexical/rich-text";
import { $setBlocksType } from "@lexical/selection";
import { $findMatchingParent, mergeRegister } from "@lexical/utils";
import {
  $createParagraphNode,
  $createTextNode,
  $getRoot,
  $getSelection,
  $isRangeSelection,
  $isTextNode,
  $setSelection,
  COMMAND_PRIORITY_CRITICAL,
  COMMAND_PRIORITY_HIGH,
  DROP_COMMAND,
  FORMAT_TEXT_COMMAND,
  INSERT_PARAGRAPH_COMMAND,
  KEY_ARROW_DOWN_COMMAND,
  KEY_ARROW_UP_COMMAND,
  KEY_DOWN_COMMAND,
  KEY_ENTER_COMMAND,
  KEY_ESCAPE_COMMAND,
  KEY_TAB_COMMAND,
  PASTE_COMMAND,
  createEditor,
} from "lexical";
import type { BaseSelection, EditorThemeClasses, LexicalEditor, LexicalNode, TextFormatType } from "lexical";
import { $createMentionNode, $isMentionNode, MENTION_ATTR, MentionNode } from "./mentionNode";
import { mentionMark } from "./outgoing";

export type InlineFormat = "bold" | "italic" | "underline" | "strikethrough" | "code";
export type BlockFormat = "bullet" | "number" | "quote";

export interface ActiveFormats {
  inline: Record<InlineFormat, boolean>;
  block: BlockFormat | null;
  link: boolean;
}

export const NO_FORMATS: ActiveFormats = {
  inline: { bold: false, italic: false, underline: false, strikethrough: false, code: false },
  block: null,
  link: false,
};

export type PickerKey = "next" | "previous" | "pick" | "close";

export interface ComposerHandlers {
  /** Enter without Shift. */
  submit(): void;
  /** Files pasted or dropped into the box. */
  files(files: File[]): void;
  /** Ctrl/Cmd+K. */
  linkShortcut(): void;
  /** Keys while the mention list is open; returns whether the list used the key. */
  pickerKey(key: PickerKey): boolean;
}

export function createComposerEditor(theme: EditorThemeClasses, onError: (e: Error) => void): LexicalEditor {
  return createEditor({
    namespace: "TeamsChatPanelComposer",
    theme,
    nodes: [ListNode, ListItemNode, LinkNode, QuoteNode, MentionNode],
    onError,
  });
}

/** Registers rich text, lists, links, history and the composer's own keys; returns one disposer for all. */
export function registerComposer(editor: LexicalEditor, handlers: ComposerHandlers): () => void {
  const picker = (key: PickerKey) => (event: KeyboardEvent | null) => {
    if (!handlers.pickerKey(key)) return false;
    event?.preventDefault();
    return true;
  };
  return mergeRegister(
    registerRichText(editor),
    registerList(editor),
    registerHistory(editor, createEmptyHistoryState(), 300),
    editor.registerCommand(
      TOGGLE_LINK_COMMAND,
      (payload) => {
        if (payload === null || typeof payload === "string") $toggleLink(payload);
        else $toggleLink(payload.url, payload);
        return true;
      },
      COMMAND_PRIORITY_HIGH,
    ),
    editor.registerCommand(KEY_ARROW_DOWN_COMMAND, picker("next"), COMMAND_PRIORITY_CRITICAL),
    editor.registerCommand(KEY_ARROW_UP_COMMAND, picker("previous"), COMMAND_PRIORITY_CRITICAL),
    editor.registerCommand(KEY_TAB_COMMAND, picker("pick"), COMMAND_PRIORITY_CRITICAL),
    // Escape closes the mention list; otherwise it leaves the caret where it is (rich text's default blurs the box,
    // which would drop focus on the page body).
    editor.registerCommand(KEY_ESCAPE_COMMAND, (event) => picker("close")(event) || true, COMMAND_PRIORITY_CRITICAL),
    editor.registerCommand(
      KEY_ENTER_COMMAND,
      (event) => {
        if (picker("pick")(event)) return true;
        if (event?.shiftKey) {
          // Shift+Enter: a new item inside a list (Enter alone always sends), a line break elsewhere (rich text's default).
          if (!$selectionInList()) return false;
          event.preventDefault();
          return editor.dispatchCommand(INSERT_PARAGRAPH_COMMAND, undefined);
        }
        event?.preventDefault();
        handlers.submit();
        return true;
      },
      COMMAND_PRIORITY_CRITICAL,
    ),
    editor.registerCommand(
      KEY_DOWN_COMMAND,
      (event) => {
        const mod = event.ctrlKey || event.metaKey;
        if (!mod || event.altKey) return false;
        const key = event.key.toLowerCase();
        if (key === "x" && event.shiftKey) {
          event.preventDefault();
          return editor.dispatchCommand(FORMAT_TEXT_COMMAND, "strikethrough");
        }
        if (key === "k" && !event.shiftKey) {
          event.preventDefault();
          handlers.linkShortcut();
          return true;
        }
        return false;
      },
      COMMAND_PRIORITY_HIGH,
    ),
    editor.registerCommand(
      DRAG_DROP_PASTE,
      (files) => {
        handlers.files(files);
        return true;
      },
      COMMAND_PRIORITY_HIGH,
    ),
    editor.registerCommand(
      PASTE_COMMAND,
      (event) => {
        // Files without text are attachments (a screenshot, a copied file). "Copy image" in a browser also puts an
        // <img> in HTML on the clipboard, which rich text's own paste would drop: take the picture itself.
        const data = "clipboardData" in event ? event.clipboardData : null;
        const files = data ? Array.from(data.files) : [];
        if (!data || files.length === 0 || data.getData("text/plain").trim() !== "") return false;
        event.preventDefault();
        handlers.files(files);
        return true;
      },
      COMMAND_PRIORITY_HIGH,
    ),
    editor.registerCommand(
      DROP_COMMAND,
      // Dropped files are taken by the composer's drop zone around the box (it also catches drops beside the text).
      (event) => (event.dataTransfer?.types ?? []).includes("Files"),
      COMMAND_PRIORITY_HIGH,
    ),
  );
}

function $selectionInList(): boolean {
  const selection = $getSelection();
  if (!$isRangeSelection(selection)) return false;
  return $findMatchingParent(selection.anchor.getNode(), $isListItemNode) !== null;
}

/** The formats at the caret, for the toolbar's pressed states. */
export function $readFormats(): ActiveFormats {
  const selection = $getSelection();
  if (!$isRangeSelection(selection)) return NO_FORMATS;
  const anchor = selection.anchor.getNode();
  const list = $findMatchingParent(anchor, $isListNode);
  const quote = $findMatchingParent(anchor, $isQuoteNode);
  const link = $findMatchingParent(anchor, $isLinkNode) ?? $findMatchingParent(selection.focus.getNode(), $isLinkNode);
  const f = (format: TextFormatType) => selection.hasFormat(format);
  return {
    inline: { bold: f("bold"), italic: f("italic"), underline: f("underline"), strikethrough: f("strikethrough"), code: f("code") },
    block: list ? (list.getListType() === "number" ? "number" : "bullet") : quote ? "quote" : null,
    link: link !== null,
  };
}

/** True when there is nothing to send in the text (blank lines and spaces do not count; a mention does). */
export function $isBlank(): boolean {
  const root = $getRoot();
  if (root.getTextContent().trim() !== "") return false;
  return !root.getAllTextNodes().some($isMentionNode);
}

/** The editor's own HTML for drafts ("" when blank), re-read by setHtml. */
export function getHtml(editor: LexicalEditor): string {
  return editor.getEditorState().read(() => ($isBlank() ? "" : $generateHtmlFromNodes(editor, null)));
}

/** Replaces the content with the given HTML (a draft); `select` puts the caret at the end (it also focuses the box). */
export function setHtml(editor: LexicalEditor, html: string, options: { tag?: string; select?: boolean } = {}): void {
  editor.update(
    () => {
      const root = $getRoot();
      root.clear();
      if (html.trim()) {
        const dom = new DOMParser().parseFromString(html, "text/html");
        const nodes = $generateNodesFromDOM(editor, dom);
        // Inline nodes at the top level (plain text drafts) need a paragraph around them.
        let paragraph: ReturnType<typeof $createParagraphNode> | null = null;
        for (const node of nodes) {
          if ($isBlockLike(node)) {
            paragraph = null;
            root.append(node);
          } else {
            if (!paragraph) {
              paragraph = $createParagraphNode();
              root.append(paragraph);
            }
            paragraph.append(node);
          }
        }
      }
      if (root.getChildrenSize() === 0) root.append($createParagraphNode());
      if (options.select !== false) root.selectEnd();
      else $setSelection(null);
    },
    { tag: options.tag, discrete: true },
  );
}

function $isBlockLike(node: LexicalNode): boolean {
  return !$isTextNode(node) && !$isLinkNode(node) && node.getType() !== "linebreak" && (node as { isInline?: () => boolean }).isInline?.() === false;
}

export function clearEditor(editor: LexicalEditor, tag?: string): void {
  setHtml(editor, "", { tag });
}

export interface SendExport {
  /** HTML with each mention replaced by a text mark (see outgoing.ts), "" when blank. */
  html: string;
  mentions: Array<{ userId: string; displayName: string }>;
}

/** The content as it will be sent: the editor's HTML with mentions reduced to marks, in document order. */
export function exportForSend(editor: LexicalEditor): SendExport {
  const html = getHtml(editor);
  if (!html) return { html: "", mentions: [] };
  const doc = new DOMParser().parseFromString(html, "text/html");
  const mentions: SendExport["mentions"] = [];
  doc.body.querySelectorAll(`span[${MENTION_ATTR}]`).forEach((el) => {
    el.replaceWith(doc.createTextNode(mentionMark(mentions.length)));
    mentions.push({ userId: el.getAttribute(MENTION_ATTR) ?? "", displayName: el.textContent ?? "" });
  });
  return { html: doc.body.innerHTML, mentions };
}

/** Inserts text at the caret (or at the end when the box never had a caret). */
export function insertText(editor: LexicalEditor, text: string): void {
  editor.update(() => {
    let selection = $getSelection();
    if (!$isRangeSelection(selection)) {
      $getRoot().selectEnd();
      selection = $getSelection();
    }
    if ($isRangeSelection(selection)) selection.insertText(text);
  });
}

export function toggleBlock(editor: LexicalEditor, block: BlockFormat, active: BlockFormat | null): void {
  if (block === "quote") {
    editor.update(() => {
      const selection = $getSelection();
      if ($isRangeSelection(selection)) $setBlocksType(selection, () => (active === "quote" ? $createParagraphNode() : $createQuoteNode()));
    });
    return;
  }
  if (active === block) editor.dispatchCommand(REMOVE_LIST_COMMAND, undefined);
  else editor.dispatchCommand(block === "bullet" ? INSERT_UNORDERED_LIST_COMMAND : INSERT_ORDERED_LIST_COMMAND, undefined);
}

export interface LinkDraft {
  url: string;
  text: string;
  /** Whether the caret is inside an existing link (then saving edits it). */
  existing: boolean;
}

/** What the link dialog starts with: the link at the caret, or the selected text. */
export function readLinkDraft(editor: LexicalEditor): { draft: LinkDraft; selection: BaseSelection | null } {
  return editor.getEditorState().read(() => {
    const selection = $getSelection();
    if (!$isRangeSelection(selection)) return { draft: { url: "", text: "", existing: false }, selection: null };
    const link = $findMatchingParent(selection.anchor.getNode(), $isLinkNode);
    if (link) return { draft: { url: link.getURL(), text: link.getTextContent(), existing: true }, selection: selection.clone() };
    return { draft: { url: "", text: selection.getTextContent(), existing: false }, selection: selection.clone() };
  });
}

/** Puts a link with the given text where the selection was (replacing the selected text or the link being edited). */
export function applyLink(editor: LexicalEditor, selection: BaseSelection | null, url: string, text: string): void {
  editor.update(() => {
    if (selection) $setSelection(selection.clone());
    let current = $getSelection();
    if (!$isRangeSelection(current)) {
      $getRoot().selectEnd();
      current = $getSelection();
    }
    if (!$isRangeSelection(current)) return;
    const existing = $findMatchingParent(current.anchor.getNode(), $isLinkNode);
    const label = text.trim() || url;
    if (existing) {
      existing.setURL(url);
      if (existing.getTextContent() !== label) {
        existing.clear();
        existing.append($createTextNode(label));
      }
      existing.selectEnd();
      return;
    }
    const link = $createLinkNode(url, { rel: "noopener noreferrer", target: "_blank" });
    link.append($createTextNode(label));
    current.insertNodes([link]);
    // Typing after the link continues as plain text.
    const after = $createTextNode(" ");
    link.insertAfter(after);
    after.select(1, 1);
  });
}

export function removeLink(editor: LexicalEditor, selection: BaseSelection | null): void {
  editor.update(() => {
    if (selection) $setSelection(selection.clone());
    $toggleLink(null);
  });
}

export interface MentionQuery {
  query: string;
  nodeKey: string;
  /** Offsets of "@query" in the text node. */
  start: number;
  end: number;
}

// "@" at the start or after a space, then up to two words of a name.
const MENTION_TRIGGER = /(?:^|[\s(])@((?:[\p{L}\p{M}\p{N}'.-]+(?: [\p{L}\p{M}\p{N}'.-]*)?)?)$/u;

/** The "@name" being typed right before the caret, if any. */
export function $mentionQuery(): MentionQuery | null {
  const selection = $getSelection();
  if (!$isRangeSelection(selection) || !selection.isCollapsed()) return null;
  const node = selection.anchor.getNode();
  if (!$isTextNode(node) || $isMentionNode(node) || selection.anchor.type !== "text") return null;
  const before = node.getTextContent().slice(0, selection.anchor.offset);
  const m = MENTION_TRIGGER.exec(before);
  if (!m) return null;
  return { query: m[1], nodeKey: node.getKey(), start: before.length - m[1].length - 1, end: before.length };
}

/** Replaces "@query" with the person's mention token and a space, caret after it. */
export function insertMention(editor: LexicalEditor, at: MentionQuery, person: { id: string; displayName: string }): void {
  editor.update(() => {
    const selection = $getSelection();
    const node = $isRangeSelection(selection) ? selection.anchor.getNode() : null;
    if (!$isTextNode(node) || node.getKey() !== at.nodeKey) return;
    const parts = node.splitText(at.start, at.end);
    const target = at.start === 0 ? parts[0] : parts[1];
    const mention = $createMentionNode(person.id, person.displayName);
    target.replace(mention);
    const space = $createTextNode(" ");
    mention.insertAfter(space);
    space.select(1, 1);
  });
}
