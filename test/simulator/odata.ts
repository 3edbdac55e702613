/**
 * The OData subset Dataverse's Web API accepts from this project: $filter with
 * comparison/logical operators, string functions and Microsoft.Dynamics.CRM.In,
 * $orderby, $select, $expand. Errors carry Dataverse's messages so a client sees
 * what the real service would tell it.
 */
import { type TableDef, type WireColumn, edmType, wireColumns } from "./schema";
import { GUID_RE } from "./util";
import type { DvRow } from "./state";

export class ODataError extends Error {
  constructor(message: string) {
    super(message);
  }
}

type Tok =
  | { t: "ident"; v: string; pos: number }
  | { t: "str"; v: string; pos: number }
  | { t: "num"; v: number; raw: string; pos: number }
  | { t: "guid"; v: string; pos: number }
  | { t: "date"; v: string; pos: number }
  | { t: "punct"; v: string; pos: number };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const rest = src.slice(i);
    if (ch === "'") {
      let j = i + 1;
      let v = "";
      for (;;) {
        if (j >= src.length) throw new ODataError(`There is an unterminated string literal at position ${i} in '${src}'.`);
        if (src[j] === "'") {
          if (src[j + 1] === "'") {
            v += "'";
            j += 2;
            continue;
          }
          break;
        }
        v += src[j++];
      }
      out.push({ t: "str", v, pos: i });
      i = j + 1;
      continue;
    }
    const g = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/.exec(rest);
    if (g) {
      out.push({ t: "guid", v: g[0].toLowerCase(), pos: i });
      i += g[0].length;
      continue;
    }
    const d = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?/.exec(rest);
    if (d) {
      out.push({ t: "date", v: d[0], pos: i });
      i += d[0].length;
      continue;
    }
    const n = /^-?\d+(\.\d+)?/.exec(rest);
    if (n) {
      out.push({ t: "num", v: Number(n[0]), raw: n[0], pos: i });
      i += n[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_./]*/.exec(rest);
    if (id) {
      out.push({ t: "ident", v: id[0], pos: i });
      i += id[0].length;
      continue;
    }
    if ("(),[]=".includes(ch)) {
      out.push({ t: "punct", v: ch, pos: i });
      i++;
      continue;
    }
    throw new ODataError(`Syntax error: character '${ch}' is not valid at position ${i} in '${src}'.`);
  }
  return out;
}

export type Literal = { type: string; value: unknown };

export type FilterNode =
  | { kind: "and" | "or"; left: FilterNode; right: FilterNode }
  | { kind: "not"; expr: FilterNode }
  | { kind: "cmp"; op: string; col: WireColumn; lit: Literal }
  | { kind: "strfn"; fn: "contains" | "startswith" | "endswith"; col: WireColumn; value: string }
  | { kind: "in"; col: WireColumn; values: string[]; negate: boolean }
  | { kind: "userid"; col: WireColumn; negate: boolean }
  | { kind: "const"; value: boolean };

const OP_KIND: Record<string, string> = {
  eq: "Equal",
  ne: "NotEqual",
  gt: "GreaterThan",
  ge: "GreaterThanOrEqual",
  lt: "LessThan",
  le: "LessThanOrEqual",
};

export function unknownProperty(name: string, t: TableDef): ODataError {
  return new ODataError(`Could not find a property named '${name}' on type 'Microsoft.Dynamics.CRM.${t.logicalName}'.`);
}

export function parseFilter(src: string, table: TableDef): FilterNode {
  const toks = tokenize(src);
  let p = 0;
  const cols = wireColumns(table);
  const peek = () => toks[p];
  const syntax = (tok?: Tok): ODataError =>
    new ODataError(`Syntax error at position ${tok ? tok.pos : src.length} in '${src}'.`);
  const expectPunct = (v: string) => {
    const tk = toks[p];
    if (!tk || tk.t !== "punct" || tk.v !== v) throw syntax(tk);
    p++;
  };
  const column = (name: string): WireColumn => {
    const c = cols.get(name);
    if (!c) throw unknownProperty(name, table);
    return c;
  };
  const literal = (): Literal => {
    const tk = toks[p++];
    if (!tk) throw syntax();
    switch (tk.t) {
      case "str":
        return { type: "Edm.String", value: tk.v };
      case "guid":
        return { type: "Edm.Guid", value: tk.v };
      case "date":
        return { type: tk.v.length > 10 ? "Edm.DateTimeOffset" : "Edm.Date", value: tk.v };
      case "num":
        return { type: Number.isInteger(tk.v) ? "Edm.Int32" : "Edm.Decimal", value: tk.v };
      case "ident":
        if (tk.v === "null") return { type: "null", value: null };
        if (tk.v === "true" || tk.v === "false") return { type: "Edm.Boolean", value: tk.v === "true" };
        throw syntax(tk);
      default:
        throw syntax(tk);
    }
  };
  // Microsoft.Dynamics.CRM.In(PropertyName='x',PropertyValues=['a','b'])
  const crmFunction = (name: string, pos: number): FilterNode => {
    const fn = name.slice("Microsoft.Dynamics.CRM.".length);
    expectPunct("(");
    const args: Record<string, string | string[]> = {};
    while (peek() && !(peek().t === "punct" && peek().v === ")")) {
      const key = toks[p++];
      if (key.t !== "ident") throw syntax(key);
      expectPunct("=");
      const tk = peek();
      if (tk && tk.t === "punct" && tk.v === "[") {
        p++;
        const vals: string[] = [];
        while (peek() && !(peek().t === "punct" && peek().v === "]")) {
          const v = toks[p++];
          if (v.t !== "str") throw new ODataError(`Invalid value for PropertyValues: values of function ${fn} must be string literals.`);
          vals.push(v.v);
          if (peek() && peek().t === "punct" && peek().v === ",") p++;
        }
        expectPunct("]");
        args[key.v] = vals;
      } else {
        const v = toks[p++];
        if (!v || v.t !== "str") throw syntax(v);
        args[key.v] = v.v;
      }
      if (peek() && peek().t === "punct" && peek().v === ",") p++;
    }
    expectPunct(")");
    const propName = args.PropertyName;
    if (typeof propName !== "string") throw new ODataError(`The parameter 'PropertyName' of function '${name}' is required.`);
    const col = propName.startsWith("_") ? column(propName) : cols.get(propName) ?? cols.get(`_${propName}_value`) ?? column(propName);
    switch (fn) {
      case "In":
      case "NotIn": {
        const vals = args.PropertyValues;
        if (!Array.isArray(vals)) throw new ODataError(`The parameter 'PropertyValues' of function '${name}' is required.`);
        return { kind: "in", col, values: vals, negate: fn === "NotIn" };
      }
      case "EqualUserId":
      case "NotEqualUserId":
        return { kind: "userid", col, negate: fn === "NotEqualUserId" };
      default:
        throw new ODataError(`The function '${name}' at position ${pos} is not supported by this simulator.`);
    }
  };
  const primary = (): FilterNode => {
    const tk = peek();
    if (!tk) throw syntax();
    if (tk.t === "punct" && tk.v === "(") {
      p++;
      const e = orExpr();
      expectPunct(")");
      return e;
    }
    if (tk.t === "ident" && tk.v === "not") {
      p++;
      return { kind: "not", expr: primary() };
    }
    if (tk.t === "ident" && (tk.v === "contains" || tk.v === "startswith" || tk.v === "endswith")) {
      p++;
      expectPunct("(");
      const prop = toks[p++];
      if (!prop || prop.t !== "ident") throw syntax(prop);
      const col = column(prop.v);
      expectPunct(",");
      const val = toks[p++];
      if (!val || val.t !== "str") throw syntax(val);
      expectPunct(")");
      if (edmType(col.def) !== "Edm.String") {
        throw new ODataError(`No function signature for the function with name '${tk.v}' matches the specified arguments. The function signatures considered are: ${tk.v}(Edm.String Nullable=true, Edm.String Nullable=true).`);
      }
      return { kind: "strfn", fn: tk.v, col, value: val.v };
    }
    if (tk.t === "ident" && tk.v.startsWith("Microsoft.Dynamics.CRM.")) {
      p++;
      return crmFunction(tk.v, tk.pos);
    }
    if (tk.t === "ident") {
      p++;
      if (tk.v === "true" || tk.v === "false") return { kind: "const", value: tk.v === "true" };
      const col = column(tk.v);
      const op = toks[p++];
      if (!op || op.t !== "ident" || !(op.v in OP_KIND)) throw syntax(op);
      const lit = literal();
      checkTypes(col, lit, op.v);
      return { kind: "cmp", op: op.v, col, lit };
    }
    throw syntax(tk);
  };
  const andExpr = (): FilterNode => {
    let left = primary();
    while (peek() && peek().t === "ident" && peek().v === "and") {
      p++;
      left = { kind: "and", left, right: primary() };
    }
    return left;
  };
  const orExpr = (): FilterNode => {
    let left = andExpr();
    while (peek() && peek().t === "ident" && peek().v === "or") {
      p++;
      left = { kind: "or", left, right: andExpr() };
    }
    return left;
  };
  const tree = orExpr();
  if (p < toks.length) throw syntax(toks[p]);
  return tree;
}

function checkTypes(col: WireColumn, lit: Literal, op: string): void {
  if (lit.type === "null") return;
  const colType = edmType(col.def);
  const numeric = (t: string) => t === "Edm.Int32" || t === "Edm.Decimal";
  const dates = (t: string) => t === "Edm.DateTimeOffset" || t === "Edm.Date";
  if (colType === lit.type) return;
  if (numeric(colType) && numeric(lit.type)) return;
  if (dates(colType) && dates(lit.type)) return;
  throw new ODataError(
    `A binary operator with incompatible types was detected. Found operand types '${colType}' and '${lit.type}' for operator kind '${OP_KIND[op]}'.`,
  );
}

function norm(v: unknown): unknown {
  if (typeof v === "string") return v.toLowerCase();
  return v;
}

function compare(a: unknown, b: unknown, type: string): number {
  if (type === "Edm.DateTimeOffset") {
    return new Date(String(a)).getTime() - new Date(String(b)).getTime();
  }
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  const x = String(norm(a));
  const y = String(norm(b));
  return x < y ? -1 : x > y ? 1 : 0;
}

export function evaluate(node: FilterNode, row: DvRow, callerSystemUserId: string): boolean {
  switch (node.kind) {
    case "const":
      return node.value;
    case "and":
      return evaluate(node.left, row, callerSystemUserId) && evaluate(node.right, row, callerSystemUserId);
    case "or":
      return evaluate(node.left, row, callerSystemUserId) || evaluate(node.right, row, callerSystemUserId);
    case "not":
      return !evaluate(node.expr, row, callerSystemUserId);
    case "strfn": {
      const v = row[node.col.wire];
      if (typeof v !== "string") return false;
      const a = v.toLowerCase();
      const b = node.value.toLowerCase();
      return node.fn === "contains" ? a.includes(b) : node.fn === "startswith" ? a.startsWith(b) : a.endsWith(b);
    }
    case "in": {
      const v = row[node.col.wire];
      const hit = v !== null && v !== undefined && node.values.some((x) => String(x).toLowerCase() === String(v).toLowerCase());
      return node.negate ? !hit && v !== null && v !== undefined : hit;
    }
    case "userid": {
      const v = row[node.col.wire];
      const hit = typeof v === "string" && v.toLowerCase() === callerSystemUserId.toLowerCase();
      return node.negate ? !hit : hit;
    }
    case "cmp": {
      const v = row[node.col.wire];
      const lit = node.lit;
      if (lit.type === "null") {
        const isNull = v === null || v === undefined;
        return node.op === "eq" ? isNull : node.op === "ne" ? !isNull : false;
      }
      if (v === null || v === undefined) return node.op === "ne";
      const c = compare(v, lit.value, edmType(node.col.def));
      switch (node.op) {
        case "eq":
          return c === 0;
        case "ne":
          return c !== 0;
        case "gt":
          return c > 0;
        case "ge":
          return c >= 0;
        case "lt":
          return c < 0;
        default:
          return c <= 0;
      }
    }
  }
}

export interface OrderTerm {
  col: WireColumn;
  desc: boolean;
}

export function parseOrderBy(src: string, table: TableDef): OrderTerm[] {
  const cols = wireColumns(table);
  return src.split(",").map((part) => {
    const bits = part.trim().split(/\s+/);
    if (bits.length === 0 || bits.length > 2 || !bits[0]) throw new ODataError(`Syntax error at position 0 in '${src}'.`);
    const col = cols.get(bits[0]);
    if (!col) throw unknownProperty(bits[0], table);
    const dir = (bits[1] ?? "asc").toLowerCase();
    if (dir !== "asc" && dir !== "desc") throw new ODataError(`Syntax error: '${bits[1]}' is not a valid sort direction in '${src}'.`);
    return { col, desc: dir === "desc" };
  });
}

export function sortRows(rows: DvRow[], terms: OrderTerm[], table: TableDef): DvRow[] {
  const pk = table.primaryId;
  return rows.slice().sort((a, b) => {
    for (const t of terms) {
      const av = a[t.col.wire];
      const bv = b[t.col.wire];
      const an = av === null || av === undefined;
      const bn = bv === null || bv === undefined;
      let c: number;
      // SQL Server: nulls sort first ascending.
      if (an && bn) c = 0;
      else if (an) c = -1;
      else if (bn) c = 1;
      else c = compare(av, bv, edmType(t.col.def));
      if (c !== 0) return t.desc ? -c : c;
    }
    return String(a[pk]).localeCompare(String(b[pk]));
  });
}

export function parseSelect(src: string, table: TableDef): WireColumn[] {
  const cols = wireColumns(table);
  return src
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((name) => {
      const c = cols.get(name);
      if (!c) throw unknownProperty(name, table);
      return c;
    });
}

export interface ExpandTerm {
  nav: string;
  select?: string;
  filter?: string;
  orderby?: string;
}

/** Splits "a($select=x,y),b" at top-level commas. */
export function parseExpand(src: string): ExpandTerm[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of src) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      parts.push(cur);
      cur = "";
    } else cur += ch;
  }
  if (cur.trim()) parts.push(cur);
  return parts.map((raw) => {
    const m = /^\s*([A-Za-z0-9_]+)\s*(?:\((.*)\))?\s*$/.exec(raw);
    if (!m) throw new ODataError(`Syntax error in $expand at '${raw}'.`);
    const term: ExpandTerm = { nav: m[1] };
    if (m[2]) {
      for (const opt of m[2].split(";")) {
        const eq = opt.indexOf("=");
        const k = opt.slice(0, eq).trim().toLowerCase();
        const v = opt.slice(eq + 1).trim();
        if (k === "$select") term.select = v;
        else if (k === "$filter") term.filter = v;
        else if (k === "$orderby") term.orderby = v;
        else throw new ODataError(`The query option '${k}' is not supported inside $expand by this simulator.`);
      }
    }
    return term;
  });
}

export function isGuid(s: string): boolean {
  return GUID_RE.test(s);
}
