import * as React from "react";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { $createParagraphNode, $createTextNode, $getRoot, $getSelection, $isRangeSelection } from "lexical";
import type { LexicalEditor } from "lexical";
import { StringsProvider, makeTranslate } from "../../TeamsChatPanel/app/strings";
import { Composer } from "../../TeamsChatPanel/components/composer/Composer";
import type { ComposerProps } from "../../TeamsChatPanel/components/composer/Composer";
import type { Draft, GifResult, OutgoingMessage, UploadedFile } from "../../TeamsChatPanel/domain/messages";
import type { GifProvider, UploadProgress } from "../../TeamsChatPanel/services/ports";
import { ServiceError } from "../../TeamsChatPanel/services/errors";
import { loadResx } from "../support/resx";

// jsdom has no layout; Lexical measures the caret to scroll it into view when it moves the selection.
beforeAll(() => {
  const empty = () => ({ x: 0, y: 0, top: 0, left: 0, right: 0, bottom: 0, width: 0, height: 0, toJSON: () => ({}) }) as DOMRect;
  Range.prototype.getBoundingClientRect ??= empty;
  Range.prototype.getClientRects ??= () => ({ length: 0, item: () => null, [Symbol.iterator]: [][Symbol.iterator] }) as unknown as DOMRectList;
});

const NOW = new Date(Date.UTC(2026, 10, 28, 10, 0));
const PEOPLE = [
  { id: "aad-adele", displayName: "Adele Vance" },
  { id: "aad-alex", displayName: "Alex Wilber" },
  { id: "aad-lee", displayName: "Lee Gu" },
];

function setup(overrides: Partial<ComposerProps> = {}, lcid: 1033 | 1031 = 1033) {
  const strings = loadResx(lcid);
  const t = makeTranslate((k) => strings[k] ?? k);
  const sent: OutgoingMessage[] = [];
  const drafts: Draft[] = [];
  const props: ComposerProps = {
    chatId: "19:chat1@thread.v2",
    chatName: "Adele Vance",
    onDraftChange: (d) => drafts.push(d),
    onSend: (m) => sent.push(m),
    participants: PEOPLE,
    upload: vi.fn(() => new Promise<UploadedFile>(() => undefined)),
    now: () => NOW,
    ...overrides,
  };
  const ui = (p: ComposerProps) => (
    <FluentProvider theme={webLightTheme}>
      <StringsProvider value={{ t, locale: lcid === 1031 ? "de-DE" : "en-US" }}>
        <Composer {...p} />
      </StringsProvider>
    </FluentProvider>
  );
  const result = render(ui(props));
  const box = screen.getByRole("textbox", { name: lcid === 1031 ? "Nachricht an Adele Vance" : "Message Adele Vance" });
  const editor = (box as unknown as { __lexicalEditor: LexicalEditor }).__lexicalEditor;
  return { ...result, props, sent, drafts, box, editor, rerenderWith: (p: Partial<ComposerProps>) => result.rerender(ui({ ...props, ...p })) };
}

/** jsdom cannot type into a contentEditable the way a browser does: put text in through the editor, caret at the end. */
function typeText(editor: LexicalEditor, text: string) {
  // The caret is in the box, as when a person types (Lexical then keeps the DOM selection in step).
  act(() => editor.getRootElement()?.focus());
  act(() => {
    editor.update(
      () => {
        const root = $getRoot();
        let paragraph = root.getLastChild();
        if (!paragraph) {
          paragraph = $createParagraphNode();
          root.append(paragraph);
        }
        const node = $createTextNode(text);
        (paragraph as ReturnType<typeof $createParagraphNode>).append(node);
        node.select();
      },
      { discrete: true },
    );
  });
}

function sendButton() {
  return screen.getByRole("button", { name: "Send" });
}

describe("Composer", () => {
  it("sends with Enter: onSend once with the text, then the box is empty and the kept draft emptied", async () => {
    const { editor, box, sent, drafts } = setup();
    typeText(editor, "Hello there");
    fireEvent.keyDown(box, { key: "Enter" });
    expect(sent).toHaveLength(1);
    expect(sent[0].html).toBe("<p>Hello there</p>");
    expect(sent[0].importance).toBe("normal");
    expect(sent[0].mentions).toEqual([]);
    expect(sent[0].clientId).toMatch(/\S{8,}/);
    await waitFor(() => expect(box.textContent).toBe(""));
    expect(drafts.at(-1)).toMatchObject({ html: "", files: [], importance: "normal" });
  });

  it("is in the tab order, named after the chat, with the placeholder", () => {
    const { box } = setup();
    expect(box).toHaveAttribute("tabindex", "0");
    expect(box).toHaveAttribute("aria-placeholder", "Type a message");
    expect(screen.getByText("Type a message")).toBeInTheDocument();
  });

  it("speaks German when the user does", async () => {
    const { box } = setup({}, 1031);
    expect(box).toHaveAttribute("aria-placeholder", "Nachricht eingeben");
    expect(screen.getByRole("button", { name: "Senden" })).toHaveAccessibleDescription("Geben Sie eine Nachricht ein oder fügen Sie eine Datei hinzu, um zu senden.");
    await userEvent.click(screen.getByRole("button", { name: "Formatieren" }));
    expect(screen.getByRole("button", { name: "Fett (Strg+B)" })).toBeInTheDocument();
  });

  it("does not send with Shift+Enter", () => {
    const { editor, box, sent } = setup();
    typeText(editor, "first line");
    fireEvent.keyDown(box, { key: "Enter", shiftKey: true });
    expect(sent).toHaveLength(0);
    expect(box.textContent).toContain("first line");
  });

  it("cannot send an empty message: Enter does nothing and Send explains why", async () => {
    const { editor, box, sent } = setup();
    expect(sendButton()).toHaveAttribute("aria-disabled", "true");
    expect(sendButton()).toHaveAccessibleDescription("Type a message or add a file to send.");
    fireEvent.keyDown(box, { key: "Enter" });
    typeText(editor, "   ");
    fireEvent.keyDown(box, { key: "Enter" });
    await userEvent.click(sendButton());
    expect(sent).toHaveLength(0);
    typeText(editor, "ok");
    expect(sendButton()).not.toHaveAttribute("aria-disabled", "true");
    await userEvent.click(sendButton());
    expect(sent).toHaveLength(1);
  });

  it("shows the formatting toolbar on Format; Bold then typing sends bold text and the button shows it is on", async () => {
    const { editor, sent } = setup();
    expect(screen.queryByRole("toolbar", { name: "Formatting" })).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Format" }));
    const toolbar = screen.getByRole("toolbar", { name: "Formatting" });
    typeText(editor, "plain ");
    const bold = within(toolbar).getByRole("button", { name: "Bold (Ctrl+B)" });
    await userEvent.click(bold);
    await waitFor(() => expect(bold).toHaveAttribute("aria-pressed", "true"));
    act(() => {
      editor.update(
        () => {
          const sel = $getSelection();
          if ($isRangeSelection(sel)) sel.insertText("strong");
        },
        { discrete: true },
      );
    });
    await userEvent.click(sendButton());
    expect(sent[0].html).toMatch(/^<p>plain <(b|strong)>strong<\/(b|strong)><\/p>$/);
  });

  it("inserts a picked emoji at the caret and puts focus back in the box", async () => {
    const { editor, box, sent } = setup();
    typeText(editor, "Thanks ");
    await userEvent.click(screen.getByRole("button", { name: "Emoji" }));
    const dialog = await screen.findByRole("group", { name: /Smileys|Emoji_Category_Smileys/ });
    expect(dialog).toBeInTheDocument();
    await userEvent.type(screen.getByRole("searchbox", { name: "Search emoji" }), "thumbs");
    await userEvent.click(await screen.findByRole("button", { name: /thumbs up/i }));
    await waitFor(() => expect(box.textContent).toBe("Thanks 👍"));
    await waitFor(() => expect(box).toHaveFocus());
    await userEvent.click(sendButton());
    expect(sent[0].html).toBe("<p>Thanks 👍</p>");
  });

  it("adds a picked GIF as an inline image and sends it as hosted content 1", async () => {
    const gif: GifResult = { id: "g1", title: "Happy cat", previewUrl: "https://gifs.test/p/cat.gif", url: "https://gifs.test/cat.gif", width: 200, height: 150 };
    const search = vi.fn(async (_q: string, _limit: number, _signal?: AbortSignal) => [gif]);
    const download = vi.fn(async () => new Blob([new Uint8Array([71, 73, 70, 56, 57, 97])], { type: "image/gif" }));
    const gifs: GifProvider = { search, download };
    const { editor, sent } = setup({ gifs });
    typeText(editor, "look");
    await userEvent.click(screen.getByRole("button", { name: "GIF" }));
    await userEvent.type(screen.getByRole("searchbox", { name: "Search GIFs" }), "cat");
    await userEvent.click(await screen.findByRole("button", { name: "Happy cat" }));
    // Debounced: one search for the whole query, with a signal to cancel it.
    expect(search).toHaveBeenCalledTimes(1);
    expect(search).toHaveBeenCalledWith("cat", expect.any(Number), expect.any(AbortSignal));
    expect(download).toHaveBeenCalledWith(gif, expect.any(AbortSignal));
    expect(await screen.findByRole("img", { name: "Image 1: Happy cat" })).toBeInTheDocument();
    await userEvent.click(sendButton());
    expect(sent[0].hostedContents).toEqual([{ tempId: "1", contentType: "image/gif", base64: "R0lGODlh" }]);
    expect(sent[0].html).toBe('<p>look</p><img src="../hostedContents/1/$value">');
    expect(screen.queryByRole("img", { name: /Image 1/ })).not.toBeInTheDocument();
  });

  it("says when GIFs cannot be loaded and retries", async () => {
    const search = vi.fn().mockRejectedValueOnce(new ServiceError("offline", "down")).mockResolvedValue([{ id: "g2", title: "Dog", previewUrl: "https://gifs.test/d.gif", url: "https://gifs.test/d.gif", width: 1, height: 1 }]);
    setup({ gifs: { search, download: vi.fn() } });
    await userEvent.click(screen.getByRole("button", { name: "GIF" }));
    await userEvent.type(screen.getByRole("searchbox", { name: "Search GIFs" }), "dog");
    expect(await screen.findByRole("alert")).toHaveTextContent("GIFs could not be loaded");
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("button", { name: "Dog" })).toBeInTheDocument();
    expect(search).toHaveBeenCalledTimes(2);
  });

  it("sends urgent when Urgent is chosen, shows it until sent, and explains it in the menu", async () => {
    const { editor, sent } = setup();
    typeText(editor, "server down");
    await userEvent.click(screen.getByRole("button", { name: "Delivery options" }));
    const urgent = await screen.findByRole("menuitemradio", { name: /Urgent/ });
    expect(urgent).toHaveTextContent("notified repeatedly");
    await userEvent.click(urgent);
    expect(await screen.findByText("Urgent", { selector: "div,span" })).toBeInTheDocument();
    await userEvent.click(sendButton());
    expect(sent[0].importance).toBe("urgent");
    await waitFor(() => expect(screen.queryByText("Urgent", { selector: "div,span" })).not.toBeInTheDocument());
  });

  it("uploads an attached file with progress, keeps Send disabled until it is done, and sends it as an attachment", async () => {
    let progress: ((p: UploadProgress) => void) | undefined;
    let finish: ((f: UploadedFile) => void) | undefined;
    const upload = vi.fn((_file: File, onProgress: (p: UploadProgress) => void) => {
      progress = onProgress;
      return new Promise<UploadedFile>((resolve) => (finish = resolve));
    });
    const { editor, sent } = setup({ upload });
    typeText(editor, "report attached");
    const file = new File(["x".repeat(2048)], "report.pdf", { type: "application/pdf" });
    await userEvent.upload(screen.getByTestId("composer-file-input"), file);
    expect(upload).toHaveBeenCalledWith(file, expect.any(Function), expect.any(AbortSignal));
    act(() => progress?.({ sent: 1024, total: 2048 }));
    const bar = await screen.findByRole("progressbar", { name: "Uploading report.pdf" });
    expect(bar).toHaveAttribute("aria-valuenow", "50");
    expect(sendButton()).toHaveAttribute("aria-disabled", "true");
    expect(sendButton()).toHaveAccessibleDescription("Wait until your files have finished uploading.");
    await userEvent.click(sendButton());
    expect(sent).toHaveLength(0);
    act(() => finish?.({ attachmentId: "5e0a3b4c-1111-2222-3333-444455556666", driveItemId: "drive-1", name: "report.pdf", webUrl: "https://contoso-my.sharepoint.com/report.pdf", size: 2048 }));
    await waitFor(() => expect(screen.queryByRole("progressbar")).not.toBeInTheDocument());
    expect(sendButton()).not.toHaveAttribute("aria-disabled", "true");
    await userEvent.click(sendButton());
    expect(sent[0].files.map((f) => f.name)).toEqual(["report.pdf"]);
    expect(sent[0].html).toBe('<p>report attached</p><attachment id="5e0a3b4c-1111-2222-3333-444455556666"></attachment>');
  });

  it("keeps a failed upload with what happened and a Retry that uploads again", async () => {
    const done: UploadedFile = { attachmentId: "abc-1", driveItemId: "d", name: "notes.txt", webUrl: "https://x/notes.txt", size: 5 };
    const upload = vi.fn().mockRejectedValueOnce(new ServiceError("offline", "no network")).mockResolvedValueOnce(done);
    setup({ upload });
    await userEvent.upload(screen.getByTestId("composer-file-input"), new File(["hello"], "notes.txt", { type: "text/plain" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("you seem to be offline");
    expect(screen.getByText("notes.txt")).toBeInTheDocument();
    expect(sendButton()).toHaveAccessibleDescription("A file could not be uploaded: retry it or remove it before sending.");
    await userEvent.click(screen.getByRole("button", { name: "Retry uploading notes.txt" }));
    await waitFor(() => expect(screen.queryByRole("alert")).not.toBeInTheDocument());
    expect(upload).toHaveBeenCalledTimes(2);
    expect(sendButton()).not.toHaveAttribute("aria-disabled", "true");
  });

  it("cancels an upload in progress by aborting it", async () => {
    let signal: AbortSignal | undefined;
    const upload = vi.fn((_f: File, _p: unknown, s: AbortSignal) => {
      signal = s;
      return new Promise<UploadedFile>(() => undefined);
    });
    setup({ upload });
    await userEvent.upload(screen.getByTestId("composer-file-input"), new File(["abc"], "big.zip"));
    await userEvent.click(screen.getByRole("button", { name: "Cancel upload of big.zip" }));
    expect(signal?.aborted).toBe(true);
    expect(screen.queryByText("big.zip")).not.toBeInTheDocument();
    expect(sendButton()).toHaveAccessibleDescription("Type a message or add a file to send.");
  });

  it("turns dropped images into inline images and refuses ones over 4 MB with a clear message", async () => {
    const upload = vi.fn(() => new Promise<UploadedFile>(() => undefined));
    const { container, sent } = setup({ upload });
    const png = new File([new Uint8Array([137, 80, 78, 71])], "shot.png", { type: "image/png" });
    const huge = new File([new Uint8Array(4 * 1024 * 1024 + 1)], "huge.png", { type: "image/png" });
    const zone = container.querySelector("[contenteditable]")!.closest("div[class]")!.parentElement!.parentElement!;
    fireEvent.drop(zone, { dataTransfer: { files: [png], types: ["Files"] } });
    expect(await screen.findByRole("img", { name: "Image 1: shot.png" })).toBeInTheDocument();
    fireEvent.drop(zone, { dataTransfer: { files: [huge], types: ["Files"] } });
    expect(await screen.findByRole("alert")).toHaveTextContent("“huge.png” is larger than 4 MB");
    expect(upload).not.toHaveBeenCalled();
    await userEvent.click(sendButton());
    expect(sent[0].hostedContents).toEqual([{ tempId: "1", contentType: "image/png", base64: "iVBORw==" }]);
    expect(sent[0].html).toBe('<img src="../hostedContents/1/$value">');
  });

  it("takes a pasted picture (as a browser copies it, with its HTML) as an inline image, and uploads a pasted file", async () => {
    const upload = vi.fn(() => new Promise<UploadedFile>(() => undefined));
    const { editor, box } = setup({ upload });
    typeText(editor, "look: ");
    const png = new File([new Uint8Array([137, 80, 78, 71])], "image.png", { type: "image/png" });
    const clipboard = (files: File[], html: string) => ({ files, types: ["text/html", "Files"], getData: (type: string) => (type === "text/html" ? html : "") });
    fireEvent.paste(box, { clipboardData: clipboard([png], '<img src="https://example.test/cat.png">') });
    expect(await screen.findByRole("img", { name: "Image 1: image.png" })).toBeInTheDocument();
    expect(box.textContent).toBe("look: ");
    const pdf = new File(["%PDF"], "spec.pdf", { type: "application/pdf" });
    fireEvent.paste(box, { clipboardData: { files: [pdf], types: ["Files"], getData: () => "" } });
    await waitFor(() => expect(upload).toHaveBeenCalledWith(pdf, expect.any(Function), expect.any(AbortSignal)));
  });

  it("uploads a dropped file that is not an image", async () => {
    const upload = vi.fn(() => new Promise<UploadedFile>(() => undefined));
    const { container } = setup({ upload });
    const doc = new File(["a,b"], "data.csv", { type: "text/csv" });
    fireEvent.drop(container.firstElementChild!.firstElementChild!, { dataTransfer: { files: [doc], types: ["Files"] } });
    await waitFor(() => expect(upload).toHaveBeenCalledWith(doc, expect.any(Function), expect.any(AbortSignal)));
  });

  it("offers matching participants after @ and inserts a mention token sent as <at id=\"0\">", async () => {
    const { editor, box, sent } = setup();
    typeText(editor, "Hi @a");
    const list = await screen.findByRole("listbox", { name: "People to mention" });
    expect(within(list).getAllByRole("option").map((o) => o.textContent)).toEqual(["AVAdele Vance", "AWAlex Wilber"]);
    expect(box).toHaveAttribute("aria-activedescendant", within(list).getAllByRole("option")[0].id);
    fireEvent.keyDown(box, { key: "ArrowDown" });
    await waitFor(() => expect(within(list).getByRole("option", { name: /Alex Wilber/ })).toHaveAttribute("aria-selected", "true"));
    fireEvent.keyDown(box, { key: "Enter" });
    expect(sent).toHaveLength(0);
    await waitFor(() => expect(screen.queryByRole("listbox")).not.toBeInTheDocument());
    typeText(editor, "please check");
    fireEvent.keyDown(box, { key: "Enter" });
    expect(sent[0].html).toBe('<p>Hi <at id="0">Alex Wilber</at> please check</p>');
    expect(sent[0].mentions).toEqual([{ id: 0, userId: "aad-alex", displayName: "Alex Wilber" }]);
  });

  it("closes the mention list with Escape without inserting anything", async () => {
    const { editor, box } = setup();
    typeText(editor, "@lee");
    await screen.findByRole("listbox");
    fireEvent.keyDown(box, { key: "Escape" });
    await waitFor(() => expect(screen.queryByRole("listbox")).not.toBeInTheDocument());
    expect(box.textContent).toBe("@lee");
  });

  it("restores a draft (text, formatting, delivery option, uploaded files) and sends it", async () => {
    const file: UploadedFile = { attachmentId: "f-1", driveItemId: "d-1", name: "plan.docx", webUrl: "https://x/plan.docx", size: 1536 };
    const { box, sent } = setup({ initialDraft: { html: "<p>Draft <b>text</b></p>", importance: "high", files: [file], savedAt: NOW.toISOString() } });
    await waitFor(() => expect(box.textContent).toBe("Draft text"));
    expect(screen.getByText("Important", { selector: "div,span" })).toBeInTheDocument();
    expect(screen.getByText("plan.docx")).toBeInTheDocument();
    expect(screen.getByText("1.5 KB")).toBeInTheDocument();
    await userEvent.click(sendButton());
    expect(sent[0]).toMatchObject({ html: '<p>Draft <b>text</b></p><attachment id="f-1"></attachment>', importance: "high", files: [file] });
  });

  it("reports draft changes after a pause, and at once when the composer goes away", async () => {
    const { editor, drafts, unmount } = setup();
    typeText(editor, "half a thought");
    expect(drafts).toHaveLength(0);
    await waitFor(() => expect(drafts).toHaveLength(1), { timeout: 2000 });
    expect(drafts[0]).toMatchObject({ html: expect.stringContaining("half a thought"), importance: "normal", files: [], savedAt: NOW.toISOString() });
    typeText(editor, " and more");
    unmount();
    expect(drafts).toHaveLength(2);
    expect(drafts[1].html).toContain("and more");
  });

  it("saves the draft at once when focus leaves the composer", async () => {
    const { editor, drafts } = setup();
    const outside = document.createElement("button");
    document.body.appendChild(outside);
    typeText(editor, "before lunch");
    act(() => outside.focus());
    expect(drafts).toHaveLength(1);
    expect(drafts[0].html).toContain("before lunch");
    outside.remove();
  });

  it("keeps a mention through a draft: restored as a token and sent as <at>", async () => {
    const first = setup();
    typeText(first.editor, "@lee");
    await screen.findByRole("listbox");
    fireEvent.keyDown(first.box, { key: "Tab" });
    await waitFor(() => expect(screen.queryByRole("listbox")).not.toBeInTheDocument());
    first.unmount();
    const saved = first.drafts.at(-1)!;
    const second = setup({ initialDraft: saved });
    await waitFor(() => expect(second.box.textContent).toBe("Lee Gu "));
    await userEvent.click(sendButton());
    expect(second.sent[0].html).toBe('<p><at id="0">Lee Gu</at> </p>');
    expect(second.sent[0].mentions).toEqual([{ id: 0, userId: "aad-lee", displayName: "Lee Gu" }]);
  });

  it("keeps focus in the box on Escape", () => {
    const { editor, box } = setup();
    typeText(editor, "text");
    fireEvent.keyDown(box, { key: "Escape" });
    expect(box).toHaveFocus();
  });

  it("validates a link's address inline, keeps what was typed, and inserts a valid link", async () => {
    const { editor, sent } = setup();
    typeText(editor, "see ");
    await userEvent.click(screen.getByRole("button", { name: "Format" }));
    await userEvent.click(screen.getByRole("button", { name: "Insert link (Ctrl+K)" }));
    const address = await screen.findByRole("textbox", { name: "Address" });
    await userEvent.type(address, "javascript:alert(1)");
    await userEvent.type(screen.getByRole("textbox", { name: "Text to display" }), "docs");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(screen.getByText(/Enter a web address/)).toBeInTheDocument();
    expect(address).toHaveValue("javascript:alert(1)");
    await userEvent.clear(address);
    await userEvent.type(address, "https://contoso.com/docs");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(screen.queryByRole("textbox", { name: "Address" })).not.toBeInTheDocument());
    await userEvent.click(sendButton());
    // A space after the link so that typing goes on as plain text.
    expect(sent[0].html).toBe('<p>see <a href="https://contoso.com/docs">docs</a> </p>');
  });

  it("starts afresh for another chat", async () => {
    const { editor, rerenderWith } = setup();
    typeText(editor, "for chat one");
    rerenderWith({ chatId: "19:chat2@thread.v2", chatName: "Lee Gu" });
    const other = screen.getByRole("textbox", { name: "Message Lee Gu" });
    expect(other.textContent).toBe("");
  });

  it("disables typing and every action when disabled", () => {
    setup({ disabled: true });
    expect(screen.getByRole("textbox", { name: "Message Adele Vance" })).toHaveAttribute("contenteditable", "false");
    expect(screen.getByRole("button", { name: "Attach files" })).toBeDisabled();
    expect(sendButton()).toHaveAttribute("aria-disabled", "true");
  });
});
