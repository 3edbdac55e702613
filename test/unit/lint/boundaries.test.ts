/**
 * The architecture boundaries in eslint.config.mjs (DESIGN.md §2) bite: each snippet is linted as if it
 * lived at filePath, with the project's own config.
 */
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const RULE = "@typescript-eslint/no-restricted-imports";

async function restricted(code: string, filePath: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root, overrideConfigFile: "eslint.config.mjs" });
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === RULE).map((m) => m.message);
}

describe("import boundaries", () => {
  it("domain/ may not import a service adapter", async () => {
    const messages = await restricted(`import { createGraphClient } from "../services/graph/client";\nexport const c = createGraphClient;\n`, "TeamsChatPanel/domain/example.ts");
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain("'../services/graph/client' import is restricted");
    expect(messages[0]).toContain("domain/ is pure");
  });

  it("domain/ may import domain/", async () => {
    expect(await restricted(`import { isGuid } from "./ids";\nexport const g = isGuid;\n`, "TeamsChatPanel/domain/example.ts")).toEqual([]);
  });

  it.each([
    ["TeamsChatPanel/domain/suggestions/example.ts", `import type { Services } from "../../services/ports";`],
    ["TeamsChatPanel/domain/example.ts", `import { usePanel } from "../store/context";`],
    ["TeamsChatPanel/services/graph/example.ts", `import { usePanel } from "../../store/context";`],
    ["TeamsChatPanel/store/example.ts", `import { Panel } from "../components/Panel";`],
    ["TeamsChatPanel/components/example.tsx", `import { createGraphClient } from "../services/graph/client";`],
    ["TeamsChatPanel/components/composer/example.tsx", `import { MsalAuthSession } from "../../services/auth/msal";`],
    ["TeamsChatPanel/components/example.tsx", `import { createRelayClient } from "../services/realtime/relayClient";`],
    ["TeamsChatPanel/app/example.ts", `import { makeServices } from "../../test/support/fakes";`],
    ["relay/src/example.ts", `import { ServiceError } from "../../TeamsChatPanel/domain/errors";`],
    ["relay/test/example.ts", `import { startSimulator } from "../../test/simulator/server";`],
  ])("%s: %s is restricted", async (filePath, code) => {
    expect(await restricted(`${code}\nexport {};\n`, filePath)).toHaveLength(1);
  });

  it.each([
    ["TeamsChatPanel/components/example.tsx", `import type { GraphChatGateway } from "../services/graph/chatGateway";`],
    ["TeamsChatPanel/components/example.tsx", `import type { Services } from "../services/ports";`],
    ["TeamsChatPanel/components/example.tsx", `import { usePanel } from "../store/context";`],
    ["TeamsChatPanel/store/example.ts", `import type { ChatGateway } from "../services/ports";`],
    ["TeamsChatPanel/app/example.ts", `import { createGraphClient } from "../services/graph/client";`],
    ["relay/test/example.ts", `import { loadConfig } from "../src/config.js";`],
  ])("%s: %s is allowed", async (filePath, code) => {
    expect(await restricted(`${code}\nexport {};\n`, filePath)).toEqual([]);
  });
});
