import * as React from "react";
import { render, screen, waitFor } from "@testing-library/react";
import { StringsProvider, makeTranslate } from "../../TeamsChatPanel/app/strings";
import { MessageBody, fileKind } from "../../TeamsChatPanel/components/conversation/MessageBody";
import type { ChatMessageItem } from "../../TeamsChatPanel/domain/messages";
import { loadResx } from "../support/resx";

const GRAPH = "https://graph.microsoft.com";
const HOSTED = `${GRAPH}/v1.0/chats/19:abc@thread.v2/messages/1700000000000/hostedContents/aWQ9eF8w/$value`;

function message(content: string, extra: Partial<ChatMessageItem> = {}): ChatMessageItem {
  return {
    id: "1700000000000",
    chatId: "19:abc@thread.v2",
    kind: "message",
    createdDateTime: "2026-11-28T10:00:00Z",
    lastModifiedDateTime: "2026-11-28T10:00:00Z",
    from: { id: "u1", displayName: "Megan Bowen" },
    importance: "normal",
    body: { contentType: "html", content },
    attachments: [],
    mentions: [],
    ...extra,
  };
}

function renderBody(m: ChatMessageItem, loadHostedImage: (url: string) => Promise<string> = () => Promise.reject(new Error("none")), lcid: 1033 | 1031 = 1033) {
  const strings = loadResx(lcid);
  const t = makeTranslate((k) => strings[k] ?? k);
  return render(
    <StringsProvider value={{ t, locale: lcid === 1031 ? "de-DE" : "en-US" }}>
      <MessageBody message={m} graphBaseUrl={GRAPH} loadHostedImage={loadHostedImage} />
    </StringsProvider>,
  );
}

describe("MessageBody", () => {
  it("renders Teams formatting: bold, lists, code, quotes, links and mentions", () => {
    const { container } = renderBody(
      message('<p>Hi <at id="0">Lee Gu</at>, <b>please</b> check:</p><ul><li>one</li><li>two</li></ul><pre>npm test</pre><blockquote>quoted</blockquote><p><a href="https://contoso.com/case">the case</a></p>'),
    );
    expect(screen.getByText("please").tagName).toBe("B");
    expect(screen.getAllByRole("listitem").map((li) => li.textContent)).toEqual(["one", "two"]);
    expect(screen.getByText("npm test").tagName).toBe("PRE");
    expect(screen.getByText("quoted").tagName).toBe("BLOCKQUOTE");
    const link = screen.getByRole("link", { name: "the case" });
    expect(link).toHaveAttribute("href", "https://contoso.com/case");
    expect(link).toHaveAttribute("target", "_blank");
    expect(link).toHaveAttribute("rel", "noopener noreferrer");
    const mention = screen.getByText("Lee Gu");
    expect(mention).toHaveClass("tcp-mention");
    expect(mention).toHaveAttribute("data-tcp-mention", "0");
    expect(container.querySelector("[style]")).toBeNull();
  });

  it("never lets script, handlers or javascript: links reach the DOM", () => {
    const w = window as unknown as { __pwned?: number };
    const { container } = renderBody(
      message('<p onclick="window.__pwned=1">x</p><script>window.__pwned=2</script><img src=x onerror="window.__pwned=3"><a href="javascript:window.__pwned=4">click</a><svg onload="window.__pwned=5"></svg><iframe srcdoc="<script>parent.__pwned=6</script>"></iframe>'),
    );
    expect(container.querySelector("script, svg, iframe")).toBeNull();
    for (const el of Array.from(container.querySelectorAll("*"))) {
      expect(Array.from(el.attributes).filter((a) => a.name.startsWith("on"))).toEqual([]);
    }
    expect(screen.queryByRole("link", { name: "click" })).toBeNull();
    expect(screen.getByText("click")).toBeInTheDocument();
    expect(w.__pwned).toBeUndefined();
  });

  it("loads a hosted image through the loader and shows its object URL", async () => {
    const load = vi.fn(() => Promise.resolve("blob:https://panel/1234"));
    renderBody(message(`<p><img src="${HOSTED}" alt="screenshot" width="200"></p>`), load);
    const img = screen.getByRole("img", { name: "screenshot" });
    await waitFor(() => expect(img).toHaveAttribute("src", "blob:https://panel/1234"));
    expect(load).toHaveBeenCalledWith(HOSTED);
    expect(load).toHaveBeenCalledTimes(1);
    expect(img).toHaveAttribute("width", "200");
  });

  it("shows a fallback with the alt text when an image cannot be loaded", async () => {
    const { container } = renderBody(message(`<p><img src="${HOSTED}" alt="diagram"></p><p><img src="${HOSTED.replace("aWQ9eF8w", "other")}"></p>`), () => Promise.reject(new Error("403")));
    expect(await screen.findByText("diagram (Image could not be loaded)")).toBeInTheDocument();
    expect(screen.getByText("Image could not be loaded")).toBeInTheDocument();
    expect(container.querySelector("img")).toBeNull();
  });

  it("says the fallback in German for German users", async () => {
    renderBody(message(`<img src="${HOSTED}">`), () => Promise.reject(new Error("x")), 1031);
    expect(await screen.findByText("Das Bild konnte nicht geladen werden")).toBeInTheDocument();
  });

  it("sets nothing on an image after the message left the screen", async () => {
    let resolve: (v: string) => void = () => undefined;
    const load = vi.fn(() => new Promise<string>((r) => (resolve = r)));
    const { container, unmount } = renderBody(message(`<img src="${HOSTED}" alt="late">`), load);
    const img = container.querySelector("img") as HTMLImageElement;
    unmount();
    resolve("blob:late");
    await Promise.resolve();
    expect(img.hasAttribute("src")).toBe(false);
  });

  it("does not load images from other hosts with the user's token", () => {
    const load = vi.fn(() => Promise.resolve("blob:x"));
    renderBody(message('<img src="https://graph.microsoft.com.evil.example/v1.0/hostedContents/1/$value" alt="evil">'), load);
    expect(load).not.toHaveBeenCalled();
  });

  it("shows file attachments as cards that open the file in a new tab", () => {
    renderBody(
      message('<p>Report attached</p><attachment id="a1"></attachment>', {
        attachments: [
          { id: "a1", contentType: "reference", name: "Q3 report.pdf", contentUrl: "https://contoso-my.sharepoint.com/personal/megan/Documents/Q3%20report.pdf" },
          { id: "a2", contentType: "reference", contentUrl: "https://contoso-my.sharepoint.com/personal/megan/Documents/Budget%202027.xlsx" },
          { id: "a3", contentType: "reference", name: "run.ps1", contentUrl: "javascript:alert(1)" },
        ],
      }),
    );
    const pdf = screen.getByRole("link", { name: "Open Q3 report.pdf" });
    expect(pdf).toHaveAttribute("href", "https://contoso-my.sharepoint.com/personal/megan/Documents/Q3%20report.pdf");
    expect(pdf).toHaveAttribute("target", "_blank");
    expect(pdf).toHaveAttribute("rel", "noopener noreferrer");
    expect(pdf).toHaveAttribute("data-file-kind", "pdf");
    expect(screen.getByRole("link", { name: "Open Budget 2027.xlsx" })).toHaveAttribute("data-file-kind", "sheet");
    // A file with an unsafe address is listed, not linked.
    expect(screen.getByText("run.ps1")).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Open run.ps1" })).toBeNull();
    expect(screen.getByText("Report attached")).toBeInTheDocument();
  });

  it("marks a deleted message and shows none of its content", () => {
    renderBody(message("<p>secret</p>", { deletedDateTime: "2026-11-28T10:05:00Z", attachments: [{ id: "a1", contentType: "reference", name: "x.pdf", contentUrl: "https://x.example/x.pdf" }] }));
    expect(screen.getByText("This message has been deleted.")).toBeInTheDocument();
    expect(screen.queryByText("secret")).toBeNull();
    expect(screen.queryByRole("link")).toBeNull();
  });

  it("renders a text message as text, keeping its line breaks", () => {
    const { container } = renderBody(message("<b>not bold</b>\nsecond line", { body: { contentType: "text", content: "<b>not bold</b>\nsecond line" } }));
    expect(container.querySelector("b")).toBeNull();
    expect(container.textContent).toBe("<b>not bold</b>\nsecond line");
  });

  it("points to Teams for cards it cannot show", () => {
    renderBody(message("", { attachments: [{ id: "c1", contentType: "application/vnd.microsoft.card.adaptive" }] }));
    expect(screen.getByText(/has a card the panel cannot show/)).toBeInTheDocument();
  });
});

describe("fileKind", () => {
  it("picks a kind by extension", () => {
    expect(["a.PDF", "b.docx", "c.csv", "d.pptx", "e.jpeg", "f.mp4", "g.mp3", "h.zip", "i.json", "j.txt", "k", "l.unknown"].map(fileKind)).toEqual([
      "pdf", "word", "sheet", "slides", "image", "video", "audio", "archive", "code", "text", "other", "other",
    ]);
  });
});
