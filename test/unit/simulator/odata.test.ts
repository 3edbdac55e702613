import { ODataError, evaluate, parseExpand, parseFilter, parseOrderBy, sortRows } from "../../simulator/odata";
import { TABLE_BY_NAME } from "../../simulator/schema";

const link = TABLE_BY_NAME.get("tcp_chatlink")!;
const incident = TABLE_BY_NAME.get("incident")!;
const me = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
const rows = [
  { tcp_chatlinkid: "1", tcp_chatid: "19:a@thread.v2", tcp_regardingtable: "incident", tcp_kind: 100000000, _ownerid_value: me, createdon: "2025-01-02T00:00:00Z" },
  { tcp_chatlinkid: "2", tcp_chatid: "19:b@thread.v2", tcp_regardingtable: "account", tcp_kind: 100000001, _ownerid_value: "bbbbbbbb-aaaa-4aaa-8aaa-aaaaaaaaaaaa", createdon: "2025-01-01T00:00:00Z" },
  { tcp_chatlinkid: "3", tcp_chatid: "19:it's@thread.v2", tcp_regardingtable: null, tcp_kind: 100000000, _ownerid_value: me, createdon: null },
];
const run = (f: string) => rows.filter((r) => evaluate(parseFilter(f, link), r, me)).map((r) => r.tcp_chatlinkid);

describe("Dataverse $filter parser", () => {
  it("evaluates comparisons, logic and precedence (not > and > or)", () => {
    expect(run("tcp_kind eq 100000000")).toEqual(["1", "3"]);
    expect(run("tcp_kind eq 100000001 or tcp_regardingtable eq 'incident' and tcp_kind eq 100000001")).toEqual(["2"]);
    expect(run("(tcp_kind eq 100000001 or tcp_regardingtable eq 'incident') and tcp_kind eq 100000001")).toEqual(["2"]);
    expect(run("not tcp_kind eq 100000000")).toEqual(["2"]);
    expect(run("createdon gt 2025-01-01T12:00:00Z")).toEqual(["1"]);
    expect(run("tcp_regardingtable eq null")).toEqual(["3"]);
    expect(run("tcp_regardingtable ne null")).toEqual(["1", "2"]);
  });

  it("handles escaped quotes, case-insensitive string comparison and string functions", () => {
    expect(run("tcp_chatid eq '19:it''s@thread.v2'")).toEqual(["3"]);
    expect(run("tcp_regardingtable eq 'INCIDENT'")).toEqual(["1"]);
    expect(run("contains(tcp_chatid,'B@')")).toEqual(["2"]);
    expect(run("startswith(tcp_chatid,'19:')")).toEqual(["1", "2", "3"]);
  });

  it("supports In, NotIn and EqualUserId", () => {
    expect(run("Microsoft.Dynamics.CRM.In(PropertyName='tcp_regardingtable',PropertyValues=['account','incident'])")).toEqual(["1", "2"]);
    expect(run("Microsoft.Dynamics.CRM.NotIn(PropertyName='tcp_regardingtable',PropertyValues=['account'])")).toEqual(["1"]);
    expect(run("Microsoft.Dynamics.CRM.EqualUserId(PropertyName='ownerid')")).toEqual(["1", "3"]);
  });

  it("throws Dataverse-style errors for unknown properties, type mismatches and syntax", () => {
    expect(() => parseFilter("tcp_nope eq 1", link)).toThrow("Could not find a property named 'tcp_nope' on type 'Microsoft.Dynamics.CRM.tcp_chatlink'.");
    expect(() => parseFilter("tcp_kind eq 'chat'", link)).toThrow("Found operand types 'Edm.Int32' and 'Edm.String' for operator kind 'Equal'");
    expect(() => parseFilter("tcp_kind eq", link)).toThrow(ODataError);
    expect(() => parseFilter("tcp_kind eq 1 and", link)).toThrow(/Syntax error/);
    expect(() => parseFilter("tcp_chatid eq 'unterminated", link)).toThrow(/unterminated/);
    expect(() => parseFilter("contains(tcp_kind,'1')", link)).toThrow(/No function signature/);
  });

  it("parses $orderby terms and sorts nulls first ascending", () => {
    const sorted = sortRows(rows, parseOrderBy("createdon asc", link), link).map((r) => r.tcp_chatlinkid);
    expect(sorted).toEqual(["3", "2", "1"]);
    expect(sortRows(rows, parseOrderBy("tcp_kind desc,createdon desc", link), link).map((r) => r.tcp_chatlinkid)).toEqual(["2", "1", "3"]);
    expect(() => parseOrderBy("title sideways", incident)).toThrow(/sort direction/);
  });

  it("parses $expand with nested options", () => {
    expect(parseExpand("customerid_account($select=name,accountnumber),owninguser($select=fullname)")).toEqual([
      { nav: "customerid_account", select: "name,accountnumber" },
      { nav: "owninguser", select: "fullname" },
    ]);
  });
});
