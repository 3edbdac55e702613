// Merged into pcf-scripts' webpack config (featureconfig.json turns this on).
// @fluentui/react-icons ships ESM that imports "react/jsx-runtime" without an extension.
module.exports = {
  module: {
    rules: [{ test: /\.m?js$/, resolve: { fullySpecified: false } }],
  },
};
