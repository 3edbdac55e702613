import { $applyNodeReplacement, TextNode } from "lexical";
import type { DOMConversionMap, DOMConversionOutput, DOMExportOutput, EditorConfig, LexicalNode, NodeKey, SerializedTextNode, Spread } from "lexical";

export type SerializedMentionNode = Spread<{ userId: string }, SerializedTextNode>;

/** Attribute that marks a mention in the editor's own HTML (drafts); the outgoing body turns it into <at id="n">. */
export const MENTION_ATTR = "data-mention-user";

/** A person mentioned with @: one atomic token (deleted as a whole, never edited letter by letter). */
export class MentionNode extends TextNode {
  __userId: string;

  static getType(): string {
    return "chat-mention";
  }

  static clone(node: MentionNode): MentionNode {
    return new MentionNode(node.__userId, node.__text, node.__key);
  }

  constructor(userId = "", text = "", key?: NodeKey) {
    super(text, key);
    this.__userId = userId;
  }

  static importJSON(json: SerializedMentionNode): MentionNode {
    return $createMentionNode(json.userId, json.text).updateFromJSON(json);
  }

  exportJSON(): SerializedMentionNode {
    return { ...super.exportJSON(), userId: this.__userId };
  }

  getUserId(): string {
    return this.getLatest().__userId;
  }

  createDOM(config: EditorConfig): HTMLElement {
    const dom = super.createDOM(config);
    const cls = (config.theme as { mention?: string }).mention;
    if (cls) dom.className = cls;
    dom.setAttribute(MENTION_ATTR, this.__userId);
    dom.spellcheck = false;
    return dom;
  }

  exportDOM(): DOMExportOutput {
    const el = document.createElement("span");
    el.setAttribute(MENTION_ATTR, this.__userId);
    el.textContent = this.__text;
    return { element: el };
  }

  static importDOM(): DOMConversionMap | null {
    return {
      span: (node: HTMLElement) =>
        node.hasAttribute(MENTION_ATTR)
          ? {
              conversion: (el: HTMLElement): DOMConversionOutput => ({ node: $createMentionNode(el.getAttribute(MENTION_ATTR) ?? "", el.textContent ?? "") }),
              priority: 1,
            }
          : null,
    };
  }

  isTextEntity(): true {
    return true;
  }

  canInsertTextBefore(): boolean {
    return false;
  }

  canInsertTextAfter(): boolean {
    return false;
  }
}

export function $createMentionNode(userId: string, displayName: string): MentionNode {
  return $applyNodeReplacement(new MentionNode(userId, displayName).setMode("token").toggleDirectionless());
}

export function $isMentionNode(node: LexicalNode | null | undefined): node is MentionNode {
  return node instanceof MentionNode;
}
