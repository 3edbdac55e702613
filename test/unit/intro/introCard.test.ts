import { DEFAULT_INTRO_FIELDS, buildIntroCard, introFieldsFor, recordUrl, safeHttpUrl } from "../../../TeamsChatPanel/domain/introCard";

describe("introFieldsFor", () => {
  it("uses the table's defaults when the admin lists nothing", () => {
    expect(introFieldsFor("incident", "")).toEqual(["ticketnumber", "prioritycode", "statuscode", "customerid"]);
    expect(introFieldsFor("account", null)).toEqual(["accountnumber", "telephone1", "address1_city", "primarycontactid"]);
    expect(introFieldsFor("contact", undefined)).toEqual(["emailaddress1", "telephone1", "parentcustomerid"]);
    expect(introFieldsFor("tcp_custom", "  ")).toEqual([]);
  });

  it("returns a copy, so callers cannot change the defaults", () => {
    const a = introFieldsFor("incident", "");
    a.push("x");
    expect(DEFAULT_INTRO_FIELDS.incident).toHaveLength(4);
  });

  it("trims, lower-cases, de-duplicates and drops invalid names", () => {
    expect(introFieldsFor("incident", " Title , title,CustomerId,1bad, ,with space,semi;colon,_x_value,new_field2")).toEqual(["title", "customerid", "_x_value", "new_field2"]);
  });

  it("keeps at most 8 columns", () => {
    expect(introFieldsFor("account", "a,b,c,d,e,f,g,h,i,j")).toEqual(["a", "b", "c", "d", "e", "f", "g", "h"]);
  });

  it("falls back to the defaults when every listed name is invalid", () => {
    expect(introFieldsFor("contact", "1x, ,$top")).toEqual(DEFAULT_INTRO_FIELDS.contact);
  });
});

describe("recordUrl", () => {
  it("builds the documented main.aspx form URL", () => {
    expect(recordUrl("https://contoso.crm.dynamics.com/", "incident", "{8A2B7C1D-0000-4000-8000-00000000ABCD}", "f1e2d3c4-0000-4000-8000-000000000001")).toBe(
      "https://contoso.crm.dynamics.com/main.aspx?appid=f1e2d3c4-0000-4000-8000-000000000001&pagetype=entityrecord&etn=incident&id=8a2b7c1d-0000-4000-8000-00000000abcd",
    );
  });

  it("leaves appid out when unknown and encodes the parts", () => {
    expect(recordUrl("https://contoso.crm.dynamics.com", "Account", "a&b")).toBe("https://contoso.crm.dynamics.com/main.aspx?pagetype=entityrecord&etn=account&id=a%26b");
  });
});

describe("buildIntroCard", () => {
  const base = {
    title: "Printer jams",
    recordUrl: "https://contoso.crm.dynamics.com/main.aspx?pagetype=entityrecord&etn=incident&id=1",
    tableLabel: "Case",
    fields: [
      { label: "Priority", value: "High" },
      { label: "Customer", value: "Fabrikam" },
    ],
    heading: "Case details",
    openLabel: "Open in Dynamics 365",
  };

  it("shows heading, linked title, fields and the open link with simple tags only", () => {
    const html = buildIntroCard(base);
    expect(html).toContain("<strong>Case details</strong>");
    expect(html).toContain('Case: <strong><a href="https://contoso.crm.dynamics.com/main.aspx?pagetype=entityrecord&amp;etn=incident&amp;id=1">Printer jams</a></strong>');
    expect(html).toContain("<strong>Priority:</strong> High<br><strong>Customer:</strong> Fabrikam");
    expect(html).toContain(">Open in Dynamics 365</a></p>");
    const tags = new Set([...html.matchAll(/<\/?([a-z]+)/g)].map((m) => m[1]));
    expect([...tags].every((t) => ["p", "strong", "a", "br"].includes(t))).toBe(true);
  });

  it("escapes every value: title, labels, field values, heading and link text", () => {
    const html = buildIntroCard({
      ...base,
      title: `<script>alert("x")</script> & co`,
      tableLabel: "Ca<se",
      fields: [{ label: `Pri"ority`, value: `<img src=x onerror="alert(1)"> & 'quote'` }],
      heading: "<b>Details</b>",
      openLabel: 'Open "now" & <go>',
    });
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<b>");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co");
    expect(html).toContain("Ca&lt;se: ");
    expect(html).toContain("<strong>Pri&quot;ority:</strong> &lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#39;quote&#39;");
    expect(html).toContain("&lt;b&gt;Details&lt;/b&gt;");
    expect(html).toContain("Open &quot;now&quot; &amp; &lt;go&gt;");
  });

  it("keeps only http(s) links: a javascript: or relative URL gives plain text and no open link", () => {
    for (const bad of ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>x</b>", "/main.aspx?id=1", "not a url"]) {
      const html = buildIntroCard({ ...base, recordUrl: bad });
      expect(html).not.toContain("<a ");
      expect(html).not.toMatch(/javascript:/i);
      expect(html).not.toContain("Open in Dynamics 365");
      expect(html).toContain("<strong>Printer jams</strong>");
    }
    expect(safeHttpUrl("http://localhost:8181/main.aspx")).toBe("http://localhost:8181/main.aspx");
  });

  it("cannot break out of the href attribute", () => {
    const html = buildIntroCard({ ...base, recordUrl: 'https://x.example/a"onmouseover="alert(1)' });
    const href = /href="([^"]*)"/.exec(html)?.[1] ?? "";
    expect(href.startsWith("https://x.example/")).toBe(true);
    expect(html).not.toContain('"onmouseover');
  });

  it("leaves out empty fields and shows the table name when the title is empty", () => {
    const html = buildIntroCard({ ...base, title: " ", fields: [{ label: "Priority", value: "" }, { label: "", value: "x" }] });
    expect(html).not.toContain("Priority");
    expect(html).toContain(">Case</a>");
    expect(html).not.toContain("<br>");
  });
});
