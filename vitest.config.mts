import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // React 16 has no "exports" map, so ESM imports of its subpaths need the file name.
    alias: [
      { find: /^react\/jsx-runtime$/, replacement: "react/jsx-runtime.js" },
      { find: /^react\/jsx-dev-runtime$/, replacement: "react/jsx-dev-runtime.js" },
    ],
  },
  test: {
    globals: true,
    server: { deps: { inline: [/@fluentui\//, /@griffel\//] } },
    projects: [
      {
        extends: true,
        test: { name: "unit", environment: "node", include: ["test/unit/**/*.test.ts"] },
      },
      {
        extends: true,
        test: { name: "relay", environment: "node", include: ["relay/test/**/*.test.ts"] },
      },
      {
        extends: true,
        test: {
          name: "component",
          environment: "jsdom",
          // Fluent + jsdom is slow on a shared two-core machine; these are behaviour tests, not timings.
          testTimeout: 20_000,
          include: ["test/component/**/*.test.tsx"],
          setupFiles: ["test/component/setup.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          environment: "node",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
          // expect.poll waits for a browser condition; its default of 1 s is an idle machine's
          // timing. A generous but finite default, so a slow render is waited for, not failed.
          expect: { poll: { timeout: 20_000, interval: 100 } },
        },
      },
    ],
  },
});
