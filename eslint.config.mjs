import powerApps from "@microsoft/eslint-plugin-power-apps";
import tseslint from "typescript-eslint";

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
);
