/**
 * The panels' side of the relay benchmark, in its own process (each WebSocket is a file descriptor, and the
 * Web PubSub stand-in holds the other end): opens one plain WebSocket per negotiated URL, like the panel, and
 * records when each message frame arrives. Driven over IPC by test/bench/relay.ts.
 */
import WebSocket from "ws";

type Command = { type: "connect"; urls: string[] } | { type: "report" } | { type: "close" };

const sockets: WebSocket[] = [];
/** chat id|message id → arrival time (ms since epoch) per receiving panel (the first one; repeats are counted apart). */
const arrivals = new Map<string, Map<number, number>>();
let repeats = 0;
let frames = 0;
let otherFrames = 0;

function open(url: string): Promise<void> {
  const panel = sockets.length;
  return new Promise((ok, fail) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.on("message", (data) => {
      const at = Date.now();
      frames++;
      try {
        const f = JSON.parse(String(data)) as { type?: string; chatId?: string; message?: { id?: string } };
        // Message ids are unique within a chat only.
        const id = f.type === "message" && f.message?.id ? `${f.chatId}|${f.message.id}` : undefined;
        if (!id) {
          otherFrames++;
          return;
        }
        const byPanel = arrivals.get(id) ?? new Map<number, number>();
        arrivals.set(id, byPanel);
        if (byPanel.has(panel)) repeats++;
        else byPanel.set(panel, at);
      } catch {
        otherFrames++;
      }
    });
    ws.once("open", () => ok());
    ws.once("error", fail);
    sockets.push(ws);
  });
}

async function connectAll(urls: string[]): Promise<void> {
  // A few hundred handshakes at a time: enough to be quick, few enough not to trip the stand-in's accept queue.
  const width = 200;
  for (let i = 0; i < urls.length; i += width) await Promise.all(urls.slice(i, i + width).map(open));
}

process.on("message", (cmd: Command) => {
  if (cmd.type === "connect") {
    connectAll(cmd.urls).then(
      () => process.send?.({ type: "connected", count: sockets.length }),
      (e: Error) => process.send?.({ type: "error", message: e.message }),
    );
  } else if (cmd.type === "report") {
    process.send?.({ type: "report", frames, otherFrames, repeats, arrivals: [...arrivals.entries()].map(([id, byPanel]) => [id, [...byPanel.values()]]) });
  } else if (cmd.type === "close") {
    for (const ws of sockets) ws.terminate();
    process.exit(0);
  }
});
process.send?.({ type: "ready" });
