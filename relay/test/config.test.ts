import { ConfigError, loadConfig, originAllowed } from "../src/config.js";
import { CLIENT, TENANT, testCertificate } from "./fixtures.js";

async function env(overrides: Record<string, string | undefined> = {}) {
  const { cert, key } = await testCertificate();
  return {
    TENANT_ID: TENANT,
    CLIENT_ID: CLIENT,
    CLIENT_SECRET: "s",
    PUBLIC_URL: "https://relay.example/",
    WEBPUBSUB_CONNECTION_STRING: "Endpoint=https://x.webpubsub.azure.com;AccessKey=k;Version=1.0;",
    NOTIFICATION_CERT_PEM: cert,
    NOTIFICATION_KEY_PEM: key,
    NOTIFICATION_CERT_ID: "c1",
    CLIENT_STATE_SECRET: "0123456789abcdef",
    ALLOWED_ORIGINS: "https://*.crm.dynamics.com, https://panel.example",
    ...overrides,
  };
}

describe("config", () => {
  it("applies the documented defaults", async () => {
    const config = loadConfig(await env());
    expect(config).toMatchObject({
      mode: "perUser",
      webPubSubHub: "chat",
      publicUrl: "https://relay.example",
      graphBaseUrl: "https://graph.microsoft.com/v1.0",
      tokenIssuer: `https://login.microsoftonline.com/${TENANT}/v2.0`,
      validationJwksUrl: "https://login.microsoftonline.com/common/discovery/v2.0/keys",
      negotiateJwksUrl: `https://login.microsoftonline.com/${TENANT}/discovery/v2.0/keys`,
      graceMinutes: 15,
      allowedOrigins: ["https://*.crm.dynamics.com", "https://panel.example"],
    });
  });

  it("names every variable that is wrong", async () => {
    try {
      loadConfig(await env({ TENANT_ID: "nope", MODE: "everything", CLIENT_SECRET: "", GRACE_MINUTES: "-1", ALLOWED_ORIGINS: "" }));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const text = (error as ConfigError).problems.join("\n");
      for (const name of ["TENANT_ID", "MODE", "CLIENT_SECRET", "GRACE_MINUTES", "ALLOWED_ORIGINS"]) expect(text).toContain(name);
    }
  });

  it("matches wildcard origins one host label deep", () => {
    const allowed = ["https://*.crm.dynamics.com"];
    expect(originAllowed("https://org.crm.dynamics.com", allowed)).toBe(true);
    expect(originAllowed("https://a.b.crm.dynamics.com", allowed)).toBe(false);
    expect(originAllowed("https://org.crm.dynamics.com.evil.example", allowed)).toBe(false);
    expect(originAllowed("https://crm.dynamics.com", allowed)).toBe(false);
  });
});
