// Merged into pcf-scripts' webpack config (featureconfig.json turns this on).
module.exports = {
  module: {
    rules: [
      // @fluentui/react-icons ships ESM that imports "react/jsx-runtime" without an extension.
      { test: /\.m?js$/, resolve: { fullySpecified: false } },
      // The Graph client's index re-exports upload tasks, batching and more that the panel never uses; it has no
      // side effects on import, so webpack may leave out what is not imported.
      { test: /[\\/]node_modules[\\/]@microsoft[\\/]microsoft-graph-client[\\/]/, sideEffects: false },
    ],
  },
};
