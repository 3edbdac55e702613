/**
 * XML through fast-xml-parser in its order-preserving form, so a file read and written again keeps
 * its elements in the order Dataverse expects.
 */
import { XMLBuilder, XMLParser, XMLValidator } from "fast-xml-parser";
import { PackError } from "./errors";

/** One node of fast-xml-parser's preserveOrder tree: `{ tag: children, ":@": attributes }`. */
export type XNode = Record<string, unknown>;

const ATTR = "@_";
const options = { ignoreAttributes: false, attributeNamePrefix: ATTR, preserveOrder: true, commentPropName: "#comment" } as const;
const parser = new XMLParser({ ...options, parseTagValue: false, parseAttributeValue: false, trimValues: true });
const pretty = new XMLBuilder({ ...options, format: true, indentBy: "  ", suppressEmptyNode: true });
const oneLine = new XMLBuilder({ ...options, format: false, suppressEmptyNode: true });

export const BOM = "\ufeff";

/** The parsed document, or a PackError naming the file, line and column when it is not well formed. */
export function parseXml(text: string, file: string): XNode[] {
  const body = text.startsWith(BOM) ? text.slice(1) : text;
  const ok = XMLValidator.validate(body);
  if (ok !== true) throw new PackError(file, `not well-formed XML at line ${ok.err.line}, column ${ok.err.col}: ${ok.err.msg}`);
  return parser.parse(body) as XNode[];
}

export function buildXml(doc: XNode[], { format = true } = {}): string {
  // The builder opens with a line break when the document has no XML declaration.
  return ((format ? pretty : oneLine).build(doc) as string).replace(/^\n/, "");
}

export function tagOf(node: XNode): string {
  return Object.keys(node).find((k) => k !== ":@") ?? "";
}

export function kids(node: XNode): XNode[] {
  const v = node[tagOf(node)];
  return Array.isArray(v) ? (v as XNode[]) : [];
}

export function childrenNamed(node: XNode, name: string): XNode[] {
  return kids(node).filter((k) => tagOf(k) === name);
}

export function child(node: XNode, name: string): XNode | undefined {
  return childrenNamed(node, name)[0];
}

/** The element at a slash path from the document (first match at each step). */
export function at(doc: XNode[], path: string): XNode | undefined {
  const [first, ...rest] = path.split("/");
  let node = doc.find((n) => tagOf(n) === first);
  for (const step of rest) node = node && child(node, step);
  return node;
}

export function text(node: XNode | undefined): string | undefined {
  if (!node) return undefined;
  const t = kids(node).find((k) => "#text" in k);
  return t === undefined ? "" : String(t["#text"]);
}

export function setText(node: XNode, value: string): void {
  node[tagOf(node)] = [{ "#text": value }];
}

export function attr(node: XNode | undefined, name: string): string | undefined {
  const attrs = node?.[":@"] as Record<string, unknown> | undefined;
  const v = attrs?.[ATTR + name];
  return v === undefined ? undefined : String(v);
}

export function setAttr(node: XNode, name: string, value: string): void {
  const attrs = (node[":@"] ??= {}) as Record<string, unknown>;
  attrs[ATTR + name] = value;
}

/** A new element for the builder: `el("Default", { Extension: "xml" })`. */
export function el(tag: string, attrs: Record<string, string> = {}, children: XNode[] = []): XNode {
  const node: XNode = { [tag]: children };
  if (Object.keys(attrs).length) node[":@"] = Object.fromEntries(Object.entries(attrs).map(([k, v]) => [ATTR + k, v]));
  return node;
}

export function declaration(): XNode {
  return el("?xml", { version: "1.0", encoding: "utf-8" }, [{ "#text": "" }]);
}
