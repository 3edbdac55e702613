/**
 * Safe HTML for chat messages, in both directions.
 *
 * - `sanitizeMessageHtml`: Teams message HTML read from Graph (untrusted) → HTML that may be put into the DOM.
 * - `sanitizeMessageText`: a message whose body.contentType is "text" → escaped HTML with its line breaks
 *   (MessageBody renders text bodies as React text instead; this is for places that need HTML).
 * - `cleanOutgoingHtml`: our editor's HTML → the small HTML dialect Teams accepts in POST /chats/{id}/messages.
 *
 * DOMPurify does the parsing and the first, generic pass (allow-listed tags and attributes, URL schemes,
 * mXSS defences). A second pass over the DOMPurify result then enforces our per-tag attribute list, rewrites the
 * Teams-specific tags and adds the attributes we own (link target/rel, mention and hosted image markers). Both
 * passes run on DOM nodes; the only HTML string parsed is the input, and the only one produced is the output.
 */
import DOMPurify from "dompurify";

type Purifier = ReturnType<typeof DOMPurify>;

export interface SanitizedHtml {
  /** Safe to assign to innerHTML. */
  html: string;
  /** Graph hosted content URLs of inline images, in order; each appears as <img data-tcp-hosted="url"> without src. */
  hostedImages: string[];
}

export interface SanitizeOptions {
  /** The Graph root the panel talks to (e.g. https://graph.microsoft.com): only its hosted contents are loaded with the user's token. */
  graphBaseUrl: string;
}

/** Class and data attributes the view styles and reads; input can never carry them (data-* and class are stripped). */
export const MENTION_CLASS = "tcp-mention";
export const MENTION_ATTR = "data-tcp-mention";
export const HOSTED_ATTR = "data-tcp-hosted";

const LINK_SCHEMES = new Set(["https:", "http:", "mailto:", "tel:"]);
const LINK_REL = "noopener noreferrer";
const BLOCK_TAGS = new Set(["P", "DIV", "UL", "OL", "LI", "PRE", "BLOCKQUOTE", "H1", "H2", "H3", "H4", "H5", "H6", "TABLE", "HR"]);

const INCOMING: Parameters<Purifier["sanitize"]>[1] = {
  ALLOWED_TAGS: [
    "p", "br", "div", "span", "b", "strong", "i", "em", "u", "s", "strike", "del", "ul", "ol", "li", "a", "code", "pre",
    "blockquote", "h1", "h2", "h3", "table", "thead", "tbody", "tr", "th", "td", "img", "hr",
    // Teams tags, rewritten by the second pass.
    "at", "emoji",
  ],
  // id and itemtype are read by the second pass (mentions, Teams emoji images) and never survive it.
  ALLOWED_ATTR: ["href", "src", "alt", "width", "height", "id", "itemtype"],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|tel:)/i,
  // DOMPurify checks every attribute that is not "URI safe" against the URL pattern; sizes are plain numbers.
  ADD_URI_SAFE_ATTR: ["width", "height"],
  KEEP_CONTENT: true,
};

const OUTGOING: Parameters<Purifier["sanitize"]>[1] = {
  ALLOWED_TAGS: [
    "p", "br", "div", "span", "b", "strong", "i", "em", "u", "s", "strike", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6", "at", "attachment", "img",
  ],
  // style and class are read to map the editor's text formats, then removed.
  ALLOWED_ATTR: ["href", "src", "alt", "width", "height", "id", "style", "class"],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|tel:|\.\.\/hostedContents\/)/i,
  ADD_URI_SAFE_ATTR: ["width", "height"],
  KEEP_CONTENT: true,
};

// One DOMPurify per window, without hooks or set config: it holds no state between calls, so sharing it
// between control instances on a page is safe, and building it once keeps long chats cheap to render.
const purifiers = new WeakMap<object, Purifier>();

function purifier(): Purifier {
  if (typeof window === "undefined") throw new Error("Sanitising HTML needs a DOM (browser or jsdom).");
  let p = purifiers.get(window);
  if (!p) {
    p = DOMPurify(window);
    purifiers.set(window, p);
  }
  return p;
}

function toFragment(html: string, config: Parameters<Purifier["sanitize"]>[1]): DocumentFragment {
  return purifier().sanitize(html, { ...config, RETURN_DOM_FRAGMENT: true }) as DocumentFragment;
}

function serialise(fragment: DocumentFragment): string {
  const host = fragment.ownerDocument.createElement("div");
  host.appendChild(fragment);
  return host.innerHTML;
}

function stripAttributes(el: Element): void {
  for (const a of Array.from(el.attributes)) el.removeAttribute(a.name);
}

/** Replaces an element by its children. */
function unwrap(el: Element): void {
  el.replaceWith(...Array.from(el.childNodes));
}

function rename(el: Element, tag: string): Element {
  const next = el.ownerDocument.createElement(tag);
  while (el.firstChild) next.appendChild(el.firstChild);
  el.parentNode?.replaceChild(next, el);
  return next;
}

/** A link keeps only its href, when that is safe; otherwise it becomes its text. False when unwrapped. */
function keepSafeLink(el: Element): boolean {
  const href = safeLinkUrl(el.getAttribute("href"));
  if (!href) {
    unwrap(el);
    return false;
  }
  stripAttributes(el);
  el.setAttribute("href", href);
  return true;
}

function replaceWithText(el: Element, text: string): void {
  el.parentNode?.replaceChild(el.ownerDocument.createTextNode(text), el);
}

/** The URL of a link we let through: absolute, one of our schemes, normalised; undefined otherwise. */
export function safeLinkUrl(raw: string | null): string | undefined {
  if (!raw) return undefined;
  try {
    // The URL parser drops surrounding spaces and control characters and inner tabs and newlines, as browsers do
    // when they follow a link, so "java\tscript:" or " javascript:" show their real scheme here.
    const url = new URL(raw);
    return LINK_SCHEMES.has(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A Graph hosted content URL under graphBaseUrl (…/hostedContents/{id}/$value), normalised; undefined for anything
 * else. The view fetches these with the user's token, so another host or a path outside the base is refused.
 */
export function hostedContentUrl(src: string | null, graphBaseUrl: string): string | undefined {
  if (!src) return undefined;
  let url: URL;
  let base: URL;
  try {
    url = new URL(src.trim());
    base = new URL(graphBaseUrl);
  } catch {
    return undefined;
  }
  if (url.origin !== base.origin || url.username || url.password || url.search || url.hash) return undefined;
  const basePath = base.pathname.endsWith("/") ? base.pathname : `${base.pathname}/`;
  if (!url.pathname.startsWith(basePath)) return undefined;
  if (!/\/hostedContents\/[^/]+\/\$value$/.test(url.pathname)) return undefined;
  return url.href;
}

function dimension(v: string | null): string | undefined {
  return v && /^\d{1,4}$/.test(v.trim()) ? v.trim() : undefined;
}

function finishIncomingImage(img: Element, graphBaseUrl: string, hosted: string[]): void {
  const alt = img.getAttribute("alt") ?? "";
  // Teams draws its own emoji as images of a CDN; the character itself reads and copies better.
  if (/schema\.skype\.com\/emoji/i.test(img.getAttribute("itemtype") ?? "")) {
    replaceWithText(img, alt);
    return;
  }
  const src = img.getAttribute("src");
  const width = dimension(img.getAttribute("width"));
  const height = dimension(img.getAttribute("height"));
  const hostedUrl = hostedContentUrl(src, graphBaseUrl);
  let external: string | undefined;
  if (!hostedUrl && src) {
    const link = safeLinkUrl(src);
    if (link?.startsWith("https:")) external = link;
  }
  if (!hostedUrl && !external) {
    replaceWithText(img, alt);
    return;
  }
  stripAttributes(img);
  img.setAttribute("alt", alt);
  if (width) img.setAttribute("width", width);
  if (height) img.setAttribute("height", height);
  if (hostedUrl) {
    img.setAttribute(HOSTED_ATTR, hostedUrl);
    hosted.push(hostedUrl);
  } else if (external) {
    img.setAttribute("src", external);
    img.setAttribute("referrerpolicy", "no-referrer");
    img.setAttribute("loading", "lazy");
  }
}

/** Sanitises Teams message HTML from Graph for display. See the file comment for what survives. */
export function sanitizeMessageHtml(html: string, opts: SanitizeOptions): SanitizedHtml {
  const fragment = toFragment(html, INCOMING);
  const hostedImages: string[] = [];
  // A static snapshot in document order: parents are handled before their children, and moving children
  // (unwrap, rename) keeps them in the list.
  for (const el of Array.from(fragment.querySelectorAll("*"))) {
    const tag = el.tagName.toLowerCase();
    if (tag === "at") {
      const id = el.getAttribute("id") ?? "";
      const span = rename(el, "span");
      span.setAttribute("class", MENTION_CLASS);
      if (/^\d{1,6}$/.test(id)) span.setAttribute(MENTION_ATTR, id);
    } else if (tag === "emoji") {
      replaceWithText(el, el.getAttribute("alt") ?? el.textContent ?? "");
    } else if (tag === "img") {
      finishIncomingImage(el, opts.graphBaseUrl, hostedImages);
    } else if (tag === "a") {
      if (keepSafeLink(el)) {
        el.setAttribute("target", "_blank");
        el.setAttribute("rel", LINK_REL);
      }
    } else {
      stripAttributes(el);
    }
  }
  return { html: serialise(fragment), hostedImages };
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** A plain text body as HTML: every character escaped, line breaks kept as <br>. */
export function sanitizeMessageText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]).replace(/\r\n?|\n/g, "<br>");
}

/** Text formats a leftover editor span stands for, read from its inline style or its theme class names. */
function spanFormats(el: Element): string[] {
  const style = (el.getAttribute("style") ?? "").toLowerCase();
  const cls = (el.getAttribute("class") ?? "").toLowerCase();
  const out: string[] = [];
  if (/font-weight\s*:\s*(bold|bolder|[6-9]00)/.test(style) || /\bbold\b|-bold\b/.test(cls)) out.push("b");
  if (/font-style\s*:\s*italic/.test(style) || /\bitalic\b|-italic\b/.test(cls)) out.push("i");
  if (/text-decoration[^;]*underline/.test(style) || /underline/.test(cls)) out.push("u");
  if (/text-decoration[^;]*line-through/.test(style) || /strikethrough|line-through/.test(cls)) out.push("s");
  if (/font-family\s*:[^;]*mono/.test(style) || /-code\b|\bcode\b/.test(cls)) out.push("code");
  return out;
}

const SAME_FORMAT: Record<string, string> = { strong: "b", b: "b", em: "i", i: "i", s: "s", strike: "s", del: "s", u: "u", code: "code" };

function isBlank(el: Element): boolean {
  return !(el.textContent ?? "").replace(/\u00a0/g, " ").trim() && !el.querySelector("img,at,attachment");
}

const HOSTED_REF = /^\.\.\/hostedContents\/[A-Za-z0-9_-]{1,64}\/\$value$/;

/**
 * Our editor's HTML → what we post to Teams: formatting tags only (b, strong, i, em, u, s, code, pre, blockquote, lists,
 * links, paragraphs, line breaks), Teams markers kept (<at id>, <attachment id>, <img src="../hostedContents/N/$value">),
 * the editor's classes, styles, dir and wrapper spans dropped, leading and trailing empty paragraphs trimmed.
 */
export function cleanOutgoingHtml(editorHtml: string): string {
  const fragment = toFragment(editorHtml, OUTGOING);
  for (const el of Array.from(fragment.querySelectorAll("*"))) {
    const tag = el.tagName.toLowerCase();
    if (tag === "span") {
      // Lexical wraps every text run in a span (white-space: pre-wrap); a format it still carries becomes a tag.
      let inner: Element = el;
      const formats = spanFormats(el);
      for (const f of formats) {
        const wrapper = el.ownerDocument.createElement(f);
        while (inner.firstChild) wrapper.appendChild(inner.firstChild);
        inner.appendChild(wrapper);
        inner = wrapper;
      }
      unwrap(el);
      continue;
    }
    const format = SAME_FORMAT[tag];
    if (format) {
      // Lexical exports bold as <b><strong>…</strong></b>: one tag per format is enough.
      const parent = el.parentElement;
      if (parent && SAME_FORMAT[parent.tagName.toLowerCase()] === format) {
        unwrap(el);
        continue;
      }
      stripAttributes(el);
      if (tag === "strike" || tag === "del") rename(el, "s");
      continue;
    }
    if (tag === "a") {
      keepSafeLink(el);
    } else if (tag === "at") {
      const id = el.getAttribute("id") ?? "";
      if (!/^\d{1,6}$/.test(id)) {
        unwrap(el);
        continue;
      }
      stripAttributes(el);
      el.setAttribute("id", id);
    } else if (tag === "attachment") {
      const id = (el.getAttribute("id") ?? "").trim();
      if (!/^[A-Za-z0-9{}-]{1,80}$/.test(id)) {
        el.remove();
        continue;
      }
      stripAttributes(el);
      el.setAttribute("id", id);
      el.textContent = "";
    } else if (tag === "img") {
      const src = (el.getAttribute("src") ?? "").trim();
      if (!HOSTED_REF.test(src)) {
        el.remove();
        continue;
      }
      const alt = el.getAttribute("alt");
      const width = dimension(el.getAttribute("width"));
      const height = dimension(el.getAttribute("height"));
      stripAttributes(el);
      el.setAttribute("src", src);
      if (alt) el.setAttribute("alt", alt);
      if (width) el.setAttribute("width", width);
      if (height) el.setAttribute("height", height);
    } else if (tag === "div") {
      const hasBlocks = Array.from(el.children).some((c) => BLOCK_TAGS.has(c.tagName));
      if (hasBlocks || el.parentElement?.closest("p,li,pre")) unwrap(el);
      else rename(el, "p");
    } else if (/^h[1-6]$/.test(tag)) {
      // Teams chat has no headings: a bold paragraph keeps the emphasis.
      const p = el.ownerDocument.createElement("p");
      const b = el.ownerDocument.createElement("b");
      while (el.firstChild) b.appendChild(el.firstChild);
      p.appendChild(b);
      el.parentNode?.replaceChild(p, el);
    } else {
      stripAttributes(el);
    }
  }
  // Empty paragraphs the editor leaves at either end would show as blank lines in Teams.
  const blankEdge = (n: ChildNode | null): n is Element => !!n && n.nodeType === 1 && (n as Element).tagName === "P" && isBlank(n as Element);
  const edge = (fromEnd: boolean): ChildNode | null => {
    const nodes = Array.from(fragment.childNodes).filter((n) => n.nodeType !== 3 || (n.textContent ?? "").trim());
    return (fromEnd ? nodes[nodes.length - 1] : nodes[0]) ?? null;
  };
  for (let n = edge(false); blankEdge(n); n = edge(false)) n.remove();
  for (let n = edge(true); blankEdge(n); n = edge(true)) n.remove();
  return serialise(fragment).trim();
}
