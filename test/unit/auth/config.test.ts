import { adminConsentUrl, DEFAULT_AUTHORITY_HOST, DEFAULT_REDIRECT_PATH, ENV_CLIENT_ID, ENV_TENANT_ID, resolveSignInConfig, type ConfigInputs, type SignInConfig } from "../../../TeamsChatPanel/services/auth/config";

const CLIENT = "6f1c2d3e-4a5b-4c6d-8e7f-90a1b2c3d4e5";
const OTHER_CLIENT = "0a0b0c0d-1111-4222-8333-444455556666";
const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const ORIGIN = "https://contoso.crm.dynamics.com";

function inputs(partial: Partial<ConfigInputs> = {}): ConfigInputs {
  return { env: { clientId: CLIENT, tenantId: TENANT }, origin: ORIGIN, ...partial };
}

function ok(partial: Partial<ConfigInputs> = {}): SignInConfig {
  const r = resolveSignInConfig(inputs(partial));
  if (!r.ok) throw new Error(`expected a valid configuration, got ${JSON.stringify(r.problems)}`);
  return r.config;
}

function problems(partial: Partial<ConfigInputs> = {}) {
  const r = resolveSignInConfig(inputs(partial));
  if (r.ok) throw new Error(`expected problems, got ${JSON.stringify(r.config)}`);
  return r.problems;
}

describe("resolveSignInConfig", () => {
  it("names the two environment variables the solution ships", () => {
    expect(ENV_CLIENT_ID).toBe("tcp_TeamsChatPanelClientId");
    expect(ENV_TENANT_ID).toBe("tcp_TeamsChatPanelTenantId");
  });

  it("uses the environment variables with the public Entra host and the shipped redirect page by default", () => {
    expect(ok()).toEqual({
      clientId: CLIENT,
      tenantId: TENANT,
      authority: `https://login.microsoftonline.com/${TENANT}`,
      entra: true,
      authorityHostName: "login.microsoftonline.com",
      redirectUri: `${ORIGIN}/WebResources/tcp_/auth/redirect.html`,
    });
    expect(DEFAULT_AUTHORITY_HOST).toBe("https://login.microsoftonline.com");
    // The solution's HTML web resource, registered as redirect URI in Entra (never loaded by the panel).
    // eslint-disable-next-line @microsoft/power-apps/use-cached-webresource
    expect(DEFAULT_REDIRECT_PATH).toBe("/WebResources/tcp_/auth/redirect.html");
  });

  it("prefers the per-form properties over the environment variables", () => {
    const c = ok({ clientId: OTHER_CLIENT, tenantId: "fabrikam.onmicrosoft.com" });
    expect(c.clientId).toBe(OTHER_CLIENT);
    expect(c.tenantId).toBe("fabrikam.onmicrosoft.com");
    expect(c.authority).toBe("https://login.microsoftonline.com/fabrikam.onmicrosoft.com");
  });

  it("falls back to the environment variable when a form property is blank, null or absent", () => {
    expect(ok({ clientId: "   ", tenantId: null }).clientId).toBe(CLIENT);
    expect(ok({ clientId: "", tenantId: "" }).tenantId).toBe(TENANT);
    expect(ok({ clientId: undefined }).clientId).toBe(CLIENT);
  });

  it("accepts a GUID in braces, upper case or with spaces around it, and keeps the client id lower case", () => {
    const c = ok({ env: { clientId: `  {${CLIENT.toUpperCase()}}  `, tenantId: ` {${TENANT}} ` } });
    expect(c.clientId).toBe(CLIENT);
    expect(c.tenantId).toBe(TENANT);
    expect(c.authority).toBe(`https://login.microsoftonline.com/${TENANT}`);
  });

  it("reports a missing client id and a missing tenant id together", () => {
    expect(problems({ env: {} })).toEqual([
      { setting: "clientId", issue: "missing" },
      { setting: "tenantId", issue: "missing" },
    ]);
    expect(problems({ env: { clientId: "  ", tenantId: null } })).toEqual([
      { setting: "clientId", issue: "missing" },
      { setting: "tenantId", issue: "missing" },
    ]);
  });

  it("reports a client id that is not a GUID, with what the admin typed", () => {
    expect(problems({ clientId: "my-teams-app" })).toEqual([{ setting: "clientId", issue: "invalid", value: "my-teams-app" }]);
    expect(problems({ env: { clientId: "6f1c2d3e-4a5b-4c6d-8e7f", tenantId: TENANT } })).toEqual([{ setting: "clientId", issue: "invalid", value: "6f1c2d3e-4a5b-4c6d-8e7f" }]);
  });

  it("accepts a tenant GUID or a domain name, and refuses anything else", () => {
    expect(ok({ tenantId: "contoso.onmicrosoft.com" }).tenantId).toBe("contoso.onmicrosoft.com");
    expect(ok({ tenantId: "login.contoso.co.uk" }).tenantId).toBe("login.contoso.co.uk");
    for (const bad of ["contoso", "common", "contoso .com", "https://contoso.com", "contoso.onmicrosoft.com/", "-contoso.com", "72f988bf-86f1-41af-91ab"]) {
      expect(problems({ tenantId: bad })).toEqual([{ setting: "tenantId", issue: "invalid", value: bad }]);
    }
  });

  it("uses a national cloud host as Entra and trims a trailing slash", () => {
    const c = ok({ authorityHost: "https://login.microsoftonline.us/" });
    expect(c.authority).toBe(`https://login.microsoftonline.us/${TENANT}`);
    expect(c.entra).toBe(true);
    expect(c.authorityHostName).toBe("login.microsoftonline.us");
    expect(ok({ authorityHost: "HTTPS://Login.Partner.MicrosoftOnline.CN" }).entra).toBe(true);
  });

  it("treats any other https host as a plain OpenID Connect provider, keeping its port and path", () => {
    const c = ok({ authorityHost: "https://localhost:8443/oidc/" });
    expect(c.entra).toBe(false);
    expect(c.authorityHostName).toBe("localhost:8443");
    expect(c.authority).toBe(`https://localhost:8443/oidc/${TENANT}`);
  });

  it("uses the default host when the authority host property is blank", () => {
    expect(ok({ authorityHost: "  " }).authority).toBe(`https://login.microsoftonline.com/${TENANT}`);
    expect(ok({ authorityHost: null }).entra).toBe(true);
  });

  it("refuses an authority host that is not https, not a URL, or carries a query or fragment", () => {
    for (const bad of ["http://login.microsoftonline.com", "login.microsoftonline.com", "ftp://login.example.com", "https://login.example.com/?x=1", "https://login.example.com/#frag", "not a url"]) {
      expect(problems({ authorityHost: bad })).toEqual([{ setting: "authorityHost", issue: "invalid", value: bad }]);
    }
  });

  it("builds the redirect URI from the app's origin and the redirect path", () => {
    expect(ok({ origin: `${ORIGIN}/` }).redirectUri).toBe(`${ORIGIN}/WebResources/tcp_/auth/redirect.html`);
    expect(ok({ redirectPath: " /custom/signin.html " }).redirectUri).toBe(`${ORIGIN}/custom/signin.html`);
    expect(ok({ redirectPath: "" }).redirectUri).toBe(`${ORIGIN}${DEFAULT_REDIRECT_PATH}`);
  });

  it("refuses a redirect path that is relative, protocol-relative or carries spaces, a query or a fragment", () => {
    for (const bad of ["WebResources/tcp_/auth/redirect.html", "//evil.example/redirect.html", "https://evil.example/redirect.html", "/Web Resources/redirect.html", "/redirect.html?x=1", "/redirect.html#a"]) {
      expect(problems({ redirectPath: bad })).toEqual([{ setting: "redirectPath", issue: "invalid", value: bad }]);
    }
  });

  it("lists every problem at once so the admin fixes them in one visit", () => {
    expect(problems({ env: { clientId: "x" }, authorityHost: "http://idp.example", redirectPath: "relative" })).toEqual([
      { setting: "clientId", issue: "invalid", value: "x" },
      { setting: "tenantId", issue: "missing" },
      { setting: "authorityHost", issue: "invalid", value: "http://idp.example" },
      { setting: "redirectPath", issue: "invalid", value: "relative" },
    ]);
  });
});

describe("adminConsentUrl", () => {
  it("points at the tenant's v2 admin consent page with the client id, the Graph scopes and the redirect page", () => {
    const config = ok();
    const url = new URL(adminConsentUrl(config, ["ChannelMessage.Read.All", "Chat.Read"]));
    expect(`${url.origin}${url.pathname}`).toBe(`https://login.microsoftonline.com/${TENANT}/v2.0/adminconsent`);
    expect(url.searchParams.get("client_id")).toBe(CLIENT);
    expect(url.searchParams.get("scope")).toBe("https://graph.microsoft.com/ChannelMessage.Read.All https://graph.microsoft.com/Chat.Read");
    expect(url.searchParams.get("redirect_uri")).toBe(`${ORIGIN}/WebResources/tcp_/auth/redirect.html`);
  });

  it("keeps a scope that already names its resource", () => {
    const url = new URL(adminConsentUrl(ok(), ["https://graph.microsoft.us/Chat.Read"]));
    expect(url.searchParams.get("scope")).toBe("https://graph.microsoft.us/Chat.Read");
  });

  it("follows the configured authority (national cloud, domain tenant)", () => {
    const url = adminConsentUrl(ok({ authorityHost: "https://login.microsoftonline.us", tenantId: "contoso.onmicrosoft.us" }), ["Chat.Read"]);
    expect(url.startsWith("https://login.microsoftonline.us/contoso.onmicrosoft.us/v2.0/adminconsent?")).toBe(true);
  });
});
