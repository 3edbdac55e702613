import powerApps from "@microsoft/eslint-plugin-power-apps";
import tseslint from "typescript-eslint";

/*
 * Architecture boundaries (DESIGN.md §2: one direction of flow). Import paths are relative, so each
 * pattern is a regular expression on the path as written. ESLint does not merge one rule's options
 * across `files` blocks (the last matching block wins), so every block below lists all the
 * restrictions that apply to its folder.
 */
const layer = (names, message) => ({ regex: `^(\\.\\./)+(${names.join("|")})(/|$)`, caseSensitive: true, message });
const noTestOrRelay = layer(["test", "relay"], "The control must not import the tests, the simulator or the relay.");
const boundaries = (...patterns) => ({ "@typescript-eslint/no-restricted-imports": ["error", { patterns: [noTestOrRelay, ...patterns] }] });

export default tseslint.config(
  { ignores: ["node_modules/**", "out/**", "**/generated/**", "solution/out/**", "webpack.config.js", ".sim-data/**"] },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx,mjs}"],
    plugins: { "@microsoft/power-apps": powerApps },
    rules: {
      ...powerApps.configs.paCheckerHosted.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // The simulator, harness and tests are Node/browser tooling, not code that runs on a form.
    files: ["test/**", "scripts/**"],
    rules: {
      "@microsoft/power-apps/avoid-modals": "off",
      "@microsoft/power-apps/avoid-window-top": "off",
      "@microsoft/power-apps/use-relative-uri": "off",
    },
  },
  {
    files: ["TeamsChatPanel/**/*.{ts,tsx}"],
    rules: boundaries(),
  },
  {
    files: ["TeamsChatPanel/domain/**/*.{ts,tsx}"],
    rules: boundaries(layer(["services", "store", "components", "app"], "domain/ is pure: it imports nothing from services/, store/, components/ or app/. Move what it needs into domain/.")),
  },
  {
    files: ["TeamsChatPanel/services/**/*.{ts,tsx}"],
    rules: boundaries(layer(["store", "components", "app"], "services/ are adapters: they must not import store/, components/ or app/.")),
  },
  {
    files: ["TeamsChatPanel/store/**/*.{ts,tsx}"],
    rules: boundaries(layer(["components", "app"], "store/ must not import components/ or app/.")),
  },
  {
    files: ["TeamsChatPanel/components/**/*.{ts,tsx}"],
    rules: boundaries({
      regex: "^(\\.\\./)+services/(graph|dataverse|gif)(/|$)|^(\\.\\./)+services/auth/msal|^(\\.\\./)+services/realtime/relayClient",
      caseSensitive: true,
      allowTypeImports: true,
      message: "Components never call service adapters (only store actions do); type-only imports are fine.",
    }),
  },
  {
    files: ["relay/**/*.{ts,tsx,mjs}"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            { regex: "(^|/)TeamsChatPanel(/|$)", caseSensitive: true, message: "The relay is deployed on its own: it must not import the control." },
            { regex: "^(\\.\\./){2,}test(/|$)", caseSensitive: true, message: "The relay must not import the control's tests or simulator." },
          ],
        },
      ],
    },
  },
);
