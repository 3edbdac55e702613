// @vitest-environment jsdom
import { buildOutgoing, escapeHtml, mentionMark, newClientId } from "../../../TeamsChatPanel/components/composer/outgoing";
import { cleanOutgoingHtml } from "../../../TeamsChatPanel/domain/sanitize";
import type { UploadedFile } from "../../../TeamsChatPanel/domain/messages";

const identity = (html: string) => html;
const FILE: UploadedFile = { attachmentId: "7f2e-11aa", driveItemId: "item-1", name: "plan.docx", webUrl: "https://contoso-my.sharepoint.com/plan.docx", size: 10 };

describe("buildOutgoing", () => {
  it("numbers mentions 0, 1, … in body order and lists them for Graph", () => {
    const m = buildOutgoing({
      html: `<p>Hi ${mentionMark(0)} and ${mentionMark(1)}</p>`,
      mentions: [
        { userId: "aad-adele", displayName: "Adele Vance" },
        { userId: "aad-lee", displayName: "Lee Gu" },
      ],
      images: [],
      files: [],
      importance: "normal",
      clean: identity,
      newId: () => "c1",
    });
    expect(m.html).toBe('<p>Hi <at id="0">Adele Vance</at> and <at id="1">Lee Gu</at></p>');
    expect(m.mentions).toEqual([
      { id: 0, userId: "aad-adele", displayName: "Adele Vance" },
      { id: 1, userId: "aad-lee", displayName: "Lee Gu" },
    ]);
    expect(m.clientId).toBe("c1");
  });

  it("escapes a display name inside the mention tag", () => {
    const m = buildOutgoing({ html: `<p>${mentionMark(0)}</p>`, mentions: [{ userId: "u", displayName: 'O<b>"Brien"</b> & co' }], images: [], files: [], importance: "normal", clean: identity });
    expect(m.html).toBe('<p><at id="0">O&lt;b&gt;&quot;Brien&quot;&lt;/b&gt; &amp; co</at></p>');
  });

  it("drops a mark with no mention behind it and leaves out mentions the body lost", () => {
    const m = buildOutgoing({
      html: `<p>${mentionMark(1)} ${mentionMark(5)}</p>`,
      mentions: [
        { userId: "a", displayName: "A" },
        { userId: "b", displayName: "B" },
      ],
      images: [],
      files: [],
      importance: "normal",
      clean: identity,
    });
    expect(m.html).toBe('<p><at id="1">B</at> </p>');
    expect(m.mentions).toEqual([{ id: 1, userId: "b", displayName: "B" }]);
  });

  it("appends inline images as hosted contents 1, 2, … and files as attachments, in order", () => {
    const m = buildOutgoing({
      html: "<p>see</p>",
      mentions: [],
      images: [
        { contentType: "image/png", base64: "AAA" },
        { contentType: "image/gif", base64: "BBB" },
      ],
      files: [FILE],
      importance: "high",
      clean: identity,
    });
    expect(m.html).toBe('<p>see</p><img src="../hostedContents/1/$value"><img src="../hostedContents/2/$value"><attachment id="7f2e-11aa"></attachment>');
    expect(m.hostedContents).toEqual([
      { tempId: "1", contentType: "image/png", base64: "AAA" },
      { tempId: "2", contentType: "image/gif", base64: "BBB" },
    ]);
    expect(m.files).toEqual([FILE]);
    expect(m.importance).toBe("high");
  });

  it("sends only the attachments when there is no text (the cleaner is not asked about an empty body)", () => {
    const clean = vi.fn(identity);
    const m = buildOutgoing({ html: "", mentions: [], images: [], files: [FILE], importance: "urgent", clean });
    expect(clean).not.toHaveBeenCalled();
    expect(m.html).toBe('<attachment id="7f2e-11aa"></attachment>');
    expect(m.importance).toBe("urgent");
  });

  it("cleans the editor's markup with the real outgoing cleaner, mention marks surviving it", () => {
    const editorHtml = `<p class="x" dir="ltr"><span style="white-space: pre-wrap;">Hi </span>${mentionMark(0)}<b><strong class="y" style="white-space: pre-wrap;">now</strong></b></p>`;
    const m = buildOutgoing({ html: editorHtml, mentions: [{ userId: "aad-alex", displayName: "Alex Wilber" }], images: [], files: [], importance: "normal", clean: cleanOutgoingHtml });
    expect(m.html).toBe('<p>Hi <at id="0">Alex Wilber</at><b>now</b></p>');
  });

  it("makes a new client id each time, with or without crypto.randomUUID", () => {
    expect(newClientId()).not.toBe(newClientId());
    const original = globalThis.crypto.randomUUID;
    try {
      Object.defineProperty(globalThis.crypto, "randomUUID", { value: undefined, configurable: true });
      const a = newClientId();
      expect(a).toMatch(/^c-[a-z0-9]+-[a-z0-9]+$/);
      expect(a).not.toBe(newClientId());
    } finally {
      Object.defineProperty(globalThis.crypto, "randomUUID", { value: original, configurable: true });
    }
  });
});

describe("escapeHtml", () => {
  it("escapes the characters that matter in text and attributes", () => {
    expect(escapeHtml(`<a href="x">&</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
  });
});
