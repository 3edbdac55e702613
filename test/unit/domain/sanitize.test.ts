// @vitest-environment jsdom
import { cleanOutgoingHtml, hostedContentUrl, safeLinkUrl, sanitizeMessageHtml, sanitizeMessageText } from "../../../TeamsChatPanel/domain/sanitize";
import { XSS_CORPUS } from "./xss-corpus";

const GRAPH = "https://graph.microsoft.com";
const opts = { graphBaseUrl: GRAPH };
const HOSTED = `${GRAPH}/v1.0/chats/19:abc@thread.v2/messages/1700000000000/hostedContents/aWQ9eF8wLXd1cy1kMSxh/$value`;

/** Parses HTML into a detached, inert tree (a template's content never runs scripts or loads anything). */
function parse(html: string): DocumentFragment {
  const t = document.createElement("template");
  t.innerHTML = html;
  return t.content;
}

const VIEW_TAGS = new Set("p br div span b strong i em u s strike del ul ol li a code pre blockquote h1 h2 h3 table thead tbody tr th td img hr".split(" "));
const VIEW_ATTRS = new Set(["href", "target", "rel", "alt", "width", "height", "src", "referrerpolicy", "loading", "class", "data-tcp-mention", "data-tcp-hosted"]);

function schemeOf(url: string): string | undefined {
  try {
    return new URL(url).protocol;
  } catch {
    return undefined;
  }
}

/** Everything that must hold for any output of sanitizeMessageHtml, whatever the input. */
function viewProblems(html: string): string[] {
  const problems: string[] = [];
  for (const el of Array.from(parse(html).querySelectorAll("*"))) {
    const tag = el.tagName.toLowerCase();
    if (!VIEW_TAGS.has(tag)) problems.push(`element <${tag}>`);
    for (const a of Array.from(el.attributes)) {
      if (a.name.startsWith("on")) problems.push(`handler ${a.name} on <${tag}>`);
      if (!VIEW_ATTRS.has(a.name)) problems.push(`attribute ${a.name} on <${tag}>`);
    }
    if (el.hasAttribute("style")) problems.push(`style on <${tag}>`);
    if (el.hasAttribute("class") && !(tag === "span" && el.getAttribute("class") === "tcp-mention")) problems.push(`class on <${tag}>`);
    if (el.hasAttribute("href")) {
      if (tag !== "a") problems.push(`href on <${tag}>`);
      if (!["https:", "http:", "mailto:", "tel:"].includes(schemeOf(el.getAttribute("href") ?? "") ?? "")) problems.push(`href ${el.getAttribute("href")}`);
    }
    if (el.hasAttribute("src")) {
      if (tag !== "img") problems.push(`src on <${tag}>`);
      if (schemeOf(el.getAttribute("src") ?? "") !== "https:") problems.push(`src ${el.getAttribute("src")}`);
    }
    if (el.hasAttribute("data-tcp-hosted") && (tag !== "img" || hostedContentUrl(el.getAttribute("data-tcp-hosted"), GRAPH) === undefined)) problems.push("foreign hosted marker");
    if (tag === "a" && (el.getAttribute("target") !== "_blank" || el.getAttribute("rel") !== "noopener noreferrer")) problems.push("link without target/rel");
  }
  return problems;
}

const SEND_TAGS = new Set("p br b strong i em u s code pre blockquote ul ol li a at attachment img".split(" "));
const SEND_ATTRS: Record<string, string[]> = { a: ["href"], at: ["id"], attachment: ["id"], img: ["src", "alt", "width", "height"] };

/** Everything that must hold for any output of cleanOutgoingHtml. */
function sendProblems(html: string): string[] {
  const problems: string[] = [];
  for (const el of Array.from(parse(html).querySelectorAll("*"))) {
    const tag = el.tagName.toLowerCase();
    if (!SEND_TAGS.has(tag)) problems.push(`element <${tag}>`);
    for (const a of Array.from(el.attributes)) if (!(SEND_ATTRS[tag] ?? []).includes(a.name)) problems.push(`attribute ${a.name} on <${tag}>`);
    if (tag === "a" && !["https:", "http:", "mailto:", "tel:"].includes(schemeOf(el.getAttribute("href") ?? "") ?? "")) problems.push(`href ${el.getAttribute("href")}`);
    if (tag === "img" && !/^\.\.\/hostedContents\/[A-Za-z0-9_-]+\/\$value$/.test(el.getAttribute("src") ?? "")) problems.push(`src ${el.getAttribute("src")}`);
  }
  return problems;
}

describe("sanitizeMessageHtml against hostile input", () => {
  it("checks outputs with invariants that do catch hostile markup", () => {
    // The invariants below must flag raw payloads, or a passing corpus would prove nothing.
    expect(viewProblems("<img src=x onerror=alert(1)>")).toEqual(expect.arrayContaining(["handler onerror on <img>", "src x"]));
    expect(viewProblems('<a href="javascript:alert(1)">x</a>')).toEqual(expect.arrayContaining(["href javascript:alert(1)", "link without target/rel"]));
    expect(viewProblems('<svg><p style="x" class="y">t</p></svg>')).toEqual(expect.arrayContaining(["element <svg>", "style on <p>", "class on <p>"]));
    expect(sendProblems('<img src="https://x.example/a.png"><span id="a">x</span>')).toEqual(["src https://x.example/a.png", "element <span>", "attribute id on <span>"]);
    const flagged = XSS_CORPUS.filter((p) => viewProblems(p).length > 0);
    expect(flagged.length).toBeGreaterThanOrEqual(XSS_CORPUS.length - 5);
  });

  it("has a corpus of at least 60 payloads", () => {
    expect(XSS_CORPUS.length).toBeGreaterThanOrEqual(60);
    expect(new Set(XSS_CORPUS).size).toBe(XSS_CORPUS.length);
  });

  it.each(XSS_CORPUS.map((p, i) => [i, p]))("#%i leaves only allowed markup: %s", (_i, payload) => {
    const out = sanitizeMessageHtml(payload as string, opts);
    expect(viewProblems(out.html)).toEqual([]);
    // Nothing from the input may make the view fetch with the user's token.
    expect(out.hostedImages).toEqual([]);
  });

  it.each(XSS_CORPUS.map((p, i) => [i, p]))("#%i is cleaned for sending too: %s", (_i, payload) => {
    expect(sendProblems(cleanOutgoingHtml(payload as string))).toEqual([]);
  });

  it("keeps the words around removed markup and never turns escaped text into markup", () => {
    expect(sanitizeMessageHtml("<p>before<script>alert(1)</script>after</p>", opts).html).toBe("<p>beforeafter</p>");
    const emoji = sanitizeMessageHtml('<emoji alt="&lt;img src=x onerror=alert(1)&gt;"></emoji>', opts).html;
    expect(parse(emoji).querySelector("img")).toBeNull();
    expect(parse(emoji).textContent).toBe("<img src=x onerror=alert(1)>");
  });

  it("does not let input forge the mention class or the hosted image marker", () => {
    const out = sanitizeMessageHtml('<span class="tcp-mention" data-tcp-mention="1">fake</span><img data-tcp-hosted="' + HOSTED + '" alt="x">', opts);
    expect(out.html).toBe("<span>fake</span>x");
    expect(out.hostedImages).toEqual([]);
  });

  it("turns a link that is not absolute http(s), mailto or tel into plain text", () => {
    for (const href of ["javascript:alert(1)", "/relative", "#top", "ftp://files.example/x", "", "data:text/html,x"]) {
      expect(sanitizeMessageHtml(`<a href="${href}">text</a>`, opts).html).toBe("text");
    }
  });
});

describe("sanitizeMessageHtml keeps Teams formatting", () => {
  const html = (s: string) => sanitizeMessageHtml(s, opts).html;

  it("keeps inline formats", () => {
    const input = "<p><b>b</b> <strong>s</strong> <i>i</i> <em>e</em> <u>u</u> <s>x</s> <strike>k</strike> <del>d</del> <code>c</code></p>";
    expect(html(input)).toBe(input);
  });

  it("keeps lists, quotes, code blocks, headings and rules", () => {
    const input = "<h1>T</h1><h2>S</h2><h3>s</h3><ul><li>one<ol><li>a</li></ol></li></ul><blockquote>quoted</blockquote><pre>let x = 1;\n  y</pre><hr><div>d</div>";
    expect(html(input)).toBe(input);
  });

  it("keeps tables without their attributes", () => {
    const input = '<table border="1" style="width:100%"><thead><tr><th>Name</th></tr></thead><tbody><tr><td colspan="2">Lee</td></tr></tbody></table>';
    expect(html(input)).toBe("<table><thead><tr><th>Name</th></tr></thead><tbody><tr><td>Lee</td></tr></tbody></table>");
  });

  it("opens links in a new tab without opener or referrer", () => {
    expect(html('<a href="https://contoso.com/a?b=1&amp;c=2" title="t">site</a>')).toBe('<a href="https://contoso.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">site</a>');
    expect(html('<a href="mailto:lee@contoso.com">mail</a>')).toBe('<a href="mailto:lee@contoso.com" target="_blank" rel="noopener noreferrer">mail</a>');
    expect(html('<a href="tel:+4930123">call</a>')).toBe('<a href="tel:+4930123" target="_blank" rel="noopener noreferrer">call</a>');
    expect(html('<a href="http://intranet.contoso.com/">old</a>')).toContain('href="http://intranet.contoso.com/"');
  });

  it("turns Teams mentions into styled spans that carry the mention id", () => {
    expect(html('<p>Hi <at id="0">Megan Bowen</at> and <at id="12">Lee</at></p>')).toBe(
      '<p>Hi <span class="tcp-mention" data-tcp-mention="0">Megan Bowen</span> and <span class="tcp-mention" data-tcp-mention="12">Lee</span></p>',
    );
    expect(html('<at id="everyone">Team</at>')).toBe('<span class="tcp-mention">Team</span>');
  });

  it("shows Teams emoji as their characters", () => {
    expect(html('<p>ok <emoji id="smile" alt="😄" title="Smile"></emoji></p>')).toBe("<p>ok 😄</p>");
    expect(html('<img itemtype="http://schema.skype.com/Emoji" alt="👍" src="https://statics.teams.cdn.office.net/emoticons/like.png" width="20">')).toBe("👍");
  });

  it("drops attachment and system event markers (files render as cards)", () => {
    expect(html('<p>See file</p><attachment id="153fa47d-18c9-4179-be08-9879815a9f90"></attachment><systemEventMessage/>')).toBe("<p>See file</p>");
  });

  it("marks Graph hosted images for loading with the user's token and lists them", () => {
    const out = sanitizeMessageHtml(`<p><img src="${HOSTED}" width="250" height="100" alt="screenshot" style="vertical-align:bottom"></p>`, opts);
    expect(out.hostedImages).toEqual([HOSTED]);
    const img = parse(out.html).querySelector("img");
    expect(img?.hasAttribute("src")).toBe(false);
    expect(img?.getAttribute("data-tcp-hosted")).toBe(HOSTED);
    expect(img?.getAttribute("alt")).toBe("screenshot");
    expect(img?.getAttribute("width")).toBe("250");
    expect(img?.getAttribute("height")).toBe("100");
  });

  it("keeps other https images, without referrer and lazily loaded", () => {
    expect(html('<img src="https://media.contoso.com/a.gif" alt="gif" width="100%">')).toBe('<img alt="gif" src="https://media.contoso.com/a.gif" referrerpolicy="no-referrer" loading="lazy">');
  });

  it("replaces images from any other source by their alt text", () => {
    expect(html('<p>a<img src="data:image/png;base64,AAAA" alt="[pic]">b</p>')).toBe("<p>a[pic]b</p>");
    expect(html('<img src="http://insecure.example/a.png" alt="x">')).toBe("x");
    expect(html('<img src="../hostedContents/1/$value" alt="y">')).toBe("y");
    expect(html("<img>")).toBe("");
  });

  it("strips class, style, ids and data attributes from input", () => {
    expect(html('<div class="x" style="color:red" id="a" data-x="1" dir="rtl" title="t">x</div>')).toBe("<div>x</div>");
  });
});

describe("hostedContentUrl", () => {
  it("accepts hosted contents under the Graph root only", () => {
    expect(hostedContentUrl(HOSTED, GRAPH)).toBe(HOSTED);
    expect(hostedContentUrl(HOSTED, `${GRAPH}/v1.0`)).toBe(HOSTED);
    expect(hostedContentUrl(HOSTED, `${GRAPH}/v1.0/`)).toBe(HOSTED);
    expect(hostedContentUrl("http://127.0.0.1:7071/graph/v1.0/chats/c/messages/1/hostedContents/h1/$value", "http://127.0.0.1:7071/graph")).toBe("http://127.0.0.1:7071/graph/v1.0/chats/c/messages/1/hostedContents/h1/$value");
  });
  it("refuses look-alike hosts, other paths, query strings and credentials", () => {
    expect(hostedContentUrl("https://graph.microsoft.com.evil.example/v1.0/chats/c/messages/1/hostedContents/h/$value", GRAPH)).toBeUndefined();
    expect(hostedContentUrl("https://evil.example/v1.0/chats/c/messages/1/hostedContents/h/$value", GRAPH)).toBeUndefined();
    expect(hostedContentUrl(`${GRAPH}/beta/chats/c/messages/1/hostedContents/h/$value`, `${GRAPH}/v1.0`)).toBeUndefined();
    expect(hostedContentUrl(`${GRAPH}/v1.0/../beta/chats/c/messages/1/hostedContents/h/$value`, `${GRAPH}/v1.0`)).toBeUndefined();
    expect(hostedContentUrl(`${GRAPH}/v1.0/chats/c/messages/1/hostedContents/h/$value?x=1`, GRAPH)).toBeUndefined();
    expect(hostedContentUrl(`https://user:pw@graph.microsoft.com/v1.0/chats/c/messages/1/hostedContents/h/$value`, GRAPH)).toBeUndefined();
    expect(hostedContentUrl(`${GRAPH}/v1.0/me/photo/$value`, GRAPH)).toBeUndefined();
    expect(hostedContentUrl(null, GRAPH)).toBeUndefined();
  });
  it("keeps a look-alike host's image as an ordinary external image, never as a hosted one", () => {
    const out = sanitizeMessageHtml('<img src="https://graph.microsoft.com.evil.example/v1.0/hostedContents/1/$value" alt="x">', opts);
    expect(out.hostedImages).toEqual([]);
    expect(out.html).not.toContain("data-tcp-hosted");
  });
});

describe("safeLinkUrl", () => {
  it("sees through spaces, tabs and control characters as browsers do", () => {
    expect(safeLinkUrl(" \tjavascript:alert(1)")).toBeUndefined();
    expect(safeLinkUrl("java\nscript:alert(1)")).toBeUndefined();
    expect(safeLinkUrl("  https://contoso.com ")).toBe("https://contoso.com/");
    expect(safeLinkUrl(null)).toBeUndefined();
  });
});

describe("sanitizeMessageText", () => {
  it("escapes everything and keeps line breaks", () => {
    expect(sanitizeMessageText('a < b & "c"\r\nnext\nlast <script>')).toBe("a &lt; b &amp; &quot;c&quot;<br>next<br>last &lt;script&gt;");
  });
});

describe("cleanOutgoingHtml", () => {
  it("drops the editor's wrapper spans, classes and direction", () => {
    expect(cleanOutgoingHtml('<p class="tcp-paragraph" dir="ltr"><span style="white-space: pre-wrap;">Hello team</span></p>')).toBe("<p>Hello team</p>");
  });

  it("keeps one tag per format from Lexical's export", () => {
    expect(cleanOutgoingHtml('<p><b><strong class="bold" style="white-space: pre-wrap;">bold</strong></b> <i><em style="white-space: pre-wrap;">it</em></i> <u><span style="white-space: pre-wrap;">un</span></u> <s><span>st</span></s></p>')).toBe(
      "<p><b>bold</b> <i>it</i> <u>un</u> <s>st</s></p>",
    );
    expect(cleanOutgoingHtml('<p><i><b><strong style="white-space: pre-wrap;">both</strong></b></i></p>')).toBe("<p><i><b>both</b></i></p>");
    expect(cleanOutgoingHtml("<p><strike>a</strike><del>b</del></p>")).toBe("<p><s>a</s><s>b</s></p>");
  });

  it("maps leftover format spans to tags", () => {
    expect(cleanOutgoingHtml('<p><span style="font-weight: bold; font-style: italic;">x</span><span style="text-decoration: underline line-through">y</span><span class="tcp-text-bold">z</span></p>')).toBe(
      "<p><b><i>x</i></b><u><s>y</s></u><b>z</b></p>",
    );
  });

  it("keeps lists, quotes, code and links, without the editor's attributes", () => {
    expect(cleanOutgoingHtml('<ul class="ul"><li value="1" class="li"><span>one</span></li><li value="2" class="nested"><ol><li value="1">a</li></ol></li></ul>')).toBe("<ul><li>one</li><li><ol><li>a</li></ol></li></ul>");
    expect(cleanOutgoingHtml('<blockquote class="q"><span>said</span></blockquote><pre spellcheck="false">code()</pre><p><code><span>x</span></code></p>')).toBe("<blockquote>said</blockquote><pre>code()</pre><p><code>x</code></p>");
    expect(cleanOutgoingHtml('<p><a href="https://contoso.com" rel="noreferrer" class="link" target="_blank"><span>site</span></a> <a href="javascript:alert(1)">bad</a></p>')).toBe('<p><a href="https://contoso.com/">site</a> bad</p>');
  });

  it("keeps the Teams markers for mentions, files and inline images", () => {
    const input = '<p><at id="0">Megan Bowen</at> see <img src="../hostedContents/1/$value" alt="pasted" width="300" style="x"></p><attachment id="153fa47d-18c9-4179-be08-9879815a9f90"></attachment>';
    expect(cleanOutgoingHtml(input)).toBe('<p><at id="0">Megan Bowen</at> see <img src="../hostedContents/1/$value" alt="pasted" width="300"></p><attachment id="153fa47d-18c9-4179-be08-9879815a9f90"></attachment>');
  });

  it("drops images in any other form and invalid markers", () => {
    expect(cleanOutgoingHtml('<p>a<img src="https://contoso.com/x.png">b<img src="data:image/png;base64,AA">c<img src="../hostedContents/../x/$value"></p>')).toBe("<p>abc</p>");
    expect(cleanOutgoingHtml('<p><at id="x">Lee</at><attachment id="a b"></attachment></p>')).toBe("<p>Lee</p>");
  });

  it("turns headings and divs into paragraphs Teams shows", () => {
    expect(cleanOutgoingHtml("<h1>Title</h1><div>line</div>")).toBe("<p><b>Title</b></p><p>line</p>");
  });

  it("trims empty paragraphs at both ends and keeps the ones between", () => {
    expect(cleanOutgoingHtml("<p><br></p><p> </p><p>a</p><p><br></p><p>b</p><p><br></p>\n<p>&nbsp;</p>")).toBe("<p>a</p><p><br></p><p>b</p>");
    expect(cleanOutgoingHtml('<p><br></p><p><img src="../hostedContents/1/$value"></p>')).toBe('<p><img src="../hostedContents/1/$value"></p>');
    expect(cleanOutgoingHtml("<p><br></p>")).toBe("");
  });
});
