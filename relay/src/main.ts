import { ConfigError, loadConfig } from "./config.js";
import { createRelay } from "./server.js";

try {
  const config = loadConfig();
  const relay = createRelay(config);
  await relay.listen(config.port);
  const shutdown = () => {
    void relay.close().then(() => process.exit(0));
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
