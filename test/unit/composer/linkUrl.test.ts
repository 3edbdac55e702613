import { validLinkUrl } from "../../../TeamsChatPanel/components/composer/linkUrl";

describe("validLinkUrl", () => {
  it("accepts http, https and mailto addresses", () => {
    expect(validLinkUrl("https://contoso.com/docs?a=1")).toBe("https://contoso.com/docs?a=1");
    expect(validLinkUrl("http://intranet.contoso.com")).toBe("http://intranet.contoso.com/");
    expect(validLinkUrl("mailto:adele@contoso.com")).toBe("mailto:adele@contoso.com");
  });

  it("completes a bare host with https and a bare email address with mailto", () => {
    expect(validLinkUrl("  contoso.com/help ")).toBe("https://contoso.com/help");
    expect(validLinkUrl("adele@contoso.com")).toBe("mailto:adele@contoso.com");
  });

  it("refuses other schemes, blanks and things that are not addresses", () => {
    for (const bad of ["", "   ", "javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<b>x</b>", "vbscript:x", "ftp://contoso.com", "file:///etc/passwd", "not a url", "mailto:", "http://localhost"]) {
      expect({ bad, result: validLinkUrl(bad) }).toEqual({ bad, result: null });
    }
  });
});
