/**
 * The relay under benchmark, in a process of its own so that its memory is its own: the real relay code
 * (relay/src), configured over IPC, reporting its memory and counters when asked.
 */
import { createRelay, type Relay } from "../../relay/src/server";
import type { RelayConfig } from "../../relay/src/config";

type Command = { type: "start"; config: RelayConfig } | { type: "memory" } | { type: "stats" } | { type: "close" };

let relay: Relay | undefined;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

function memory() {
  global.gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed };
}

process.on("message", (cmd: Command) => {
  if (cmd.type === "start") {
    relay = createRelay(cmd.config, { log: quiet });
    relay.listen(cmd.config.port).then(
      ({ url }) => process.send?.({ type: "started", url }),
      (e: Error) => process.send?.({ type: "error", message: e.message }),
    );
  } else if (cmd.type === "memory") {
    process.send?.({ type: "memory", ...memory() });
  } else if (cmd.type === "stats") {
    process.send?.({ type: "stats", stats: relay?.stats() });
  } else if (cmd.type === "close") {
    void (relay?.close() ?? Promise.resolve()).then(() => process.exit(0));
  }
});
process.send?.({ type: "ready" });
