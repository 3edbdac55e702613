import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { decodeJwt } from "jose";
import { createWebPubSubPush } from "../src/push.js";
import { ALICE } from "./fixtures.js";

describe("Web PubSub adapter (real SDK against a local endpoint)", () => {
  it("sends frames as JSON to the user and issues ws:// client URLs for an http:// Endpoint", async () => {
    const requests: { method?: string; url?: string; type?: string; body: string; auth?: string }[] = [];
    const server = createServer((req: IncomingMessage, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        requests.push({ method: req.method, url: req.url, type: req.headers["content-type"], body, auth: req.headers.authorization });
        res.writeHead(202);
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const push = createWebPubSubPush(`Endpoint=http://127.0.0.1:${port};AccessKey=local-key-0123456789;Version=1.0;`, "chat");
      await push.sendToUser(ALICE, { type: "resync", reason: "missed" });
      expect(requests).toHaveLength(1);
      expect(requests[0].method).toBe("POST");
      expect(requests[0].url).toMatch(new RegExp(`^/api/hubs/chat/users/${ALICE}/:send\\?api-version=`));
      expect(requests[0].type).toMatch(/^application\/json/);
      expect(JSON.parse(requests[0].body)).toEqual({ type: "resync", reason: "missed" });
      expect(requests[0].auth).toMatch(/^Bearer /);

      const { url } = await push.clientUrl(ALICE, 60);
      expect(url.startsWith(`ws://127.0.0.1:${port}/client/hubs/chat?access_token=`)).toBe(true);
      const claims = decodeJwt(new URL(url).searchParams.get("access_token")!);
      expect(claims.sub).toBe(ALICE);
      expect(claims.exp! - claims.iat!).toBe(3600);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
