// @vitest-environment jsdom
import { $createParagraphNode, $createTextNode, $getRoot } from "lexical";
import type { LexicalEditor } from "lexical";
import { $isBlank, $mentionQuery, createComposerEditor, exportForSend, getHtml, insertMention, insertText, registerComposer, setHtml, toggleBlock } from "../../../TeamsChatPanel/components/composer/editor";
import { mentionMark } from "../../../TeamsChatPanel/components/composer/outgoing";

const disposers: Array<() => void> = [];
afterEach(() => disposers.splice(0).forEach((d) => d()));

/** Editor updates commit in a microtask, as in the browser. */
const settle = () => new Promise((r) => setTimeout(r, 0));

function editorWith(text?: string): LexicalEditor {
  const editor = createComposerEditor({}, (e) => {
    throw e;
  });
  disposers.push(registerComposer(editor, { submit: vi.fn(), files: vi.fn(), linkShortcut: vi.fn(), pickerKey: () => false }));
  if (text !== undefined) {
    editor.update(
      () => {
        const p = $createParagraphNode();
        const t = $createTextNode(text);
        p.append(t);
        $getRoot().clear().append(p);
        t.select();
      },
      { discrete: true },
    );
  }
  return editor;
}

const read = <T>(editor: LexicalEditor, fn: () => T): T => editor.getEditorState().read(fn);

describe("composer editor", () => {
  it("treats spaces and empty lines as blank, and gives no HTML for them", () => {
    const editor = editorWith("   ");
    expect(read(editor, $isBlank)).toBe(true);
    expect(getHtml(editor)).toBe("");
    expect(exportForSend(editor)).toEqual({ html: "", mentions: [] });
  });

  it("wraps a plain-text draft in a paragraph and reads formatting back", () => {
    const editor = editorWith();
    setHtml(editor, "just text");
    expect(read(editor, () => $getRoot().getTextContent())).toBe("just text");
    setHtml(editor, "<p>a <b>b</b></p><ul><li>one</li></ul><blockquote>q</blockquote><p><a href=\"https://contoso.com\">c</a></p>");
    const html = getHtml(editor);
    expect(html).toMatch(/<b>|<strong/);
    expect(html).toContain("<ul");
    expect(html).toContain("<blockquote");
    expect(html).toContain('href="https://contoso.com"');
  });

  it("finds the @name being typed before the caret, only after a space or at the start", () => {
    expect(read(editorWith("Hi @ade"), $mentionQuery)).toMatchObject({ query: "ade", start: 3, end: 7 });
    expect(read(editorWith("@"), $mentionQuery)).toMatchObject({ query: "", start: 0, end: 1 });
    expect(read(editorWith("ask @Adele V"), $mentionQuery)).toMatchObject({ query: "Adele V" });
    expect(read(editorWith("mail me at a@contoso"), $mentionQuery)).toBeNull();
    expect(read(editorWith("three @words in a row"), $mentionQuery)).toBeNull();
  });

  it("replaces @name with a mention token that sends as a mark and survives a draft", async () => {
    const editor = editorWith("Hi @ale");
    const at = read(editor, $mentionQuery)!;
    insertMention(editor, at, { id: "aad-alex", displayName: "Alex Wilber" });
    insertText(editor, "thanks");
    await settle();
    expect(read(editor, () => $getRoot().getTextContent())).toBe("Hi Alex Wilber thanks");
    const sent = exportForSend(editor);
    expect(sent.mentions).toEqual([{ userId: "aad-alex", displayName: "Alex Wilber" }]);
    expect(sent.html).toContain(mentionMark(0));
    expect(sent.html).not.toContain("Alex Wilber");

    const restored = editorWith();
    setHtml(restored, getHtml(editor));
    expect(exportForSend(restored).mentions).toEqual([{ userId: "aad-alex", displayName: "Alex Wilber" }]);
    expect(read(restored, $isBlank)).toBe(false);
  });

  it("a mention alone is not blank", async () => {
    const editor = editorWith("@lee");
    insertMention(editor, read(editor, $mentionQuery)!, { id: "aad-lee", displayName: "Lee Gu" });
    await settle();
    expect(read(editor, () => $getRoot().getTextContent())).toBe("Lee Gu ");
    expect(read(editor, $isBlank)).toBe(false);
  });

  it("toggles lists and quotes on the current line", async () => {
    const editor = editorWith("line");
    toggleBlock(editor, "bullet", null);
    await settle();
    expect(getHtml(editor)).toContain("<ul");
    toggleBlock(editor, "bullet", "bullet");
    await settle();
    expect(getHtml(editor)).not.toContain("<ul");
    toggleBlock(editor, "quote", null);
    await settle();
    expect(getHtml(editor)).toContain("<blockquote");
    toggleBlock(editor, "quote", "quote");
    await settle();
    expect(getHtml(editor)).not.toContain("<blockquote");
    expect(read(editor, () => $getRoot().getTextContent())).toBe("line");
  });
});
