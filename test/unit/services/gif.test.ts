import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { TenorGifProvider } from "../../../TeamsChatPanel/services/gif/tenorGifProvider";
import { ServiceError } from "../../../TeamsChatPanel/services/errors";
import { DEMO_GIF_KEY, GIF_API_PATH } from "../../simulator/gif";
import { type SimClient, startClient } from "../../simulator/test-client";

let c: SimClient;
const seen: string[] = [];
const recordingFetch = (input: string, init?: RequestInit) => {
  seen.push(input);
  return fetch(input, init);
};

beforeAll(async () => {
  c = await startClient({ seed: "empty" });
});
afterAll(() => c.close());
beforeEach(() => (seen.length = 0));

const provider = (key = DEMO_GIF_KEY, locale?: string) => new TenorGifProvider({ baseUrl: `${c.url}${GIF_API_PATH}`, key, fetch: recordingFetch, locale });

describe("TenorGifProvider against the demo GIF API", () => {
  it("searches with the key, the two formats it needs and safe content, and maps previews and sizes", async () => {
    const results = await provider(DEMO_GIF_KEY, "de-DE").search("  thank you ", 8);
    expect(results[0]).toMatchObject({ title: "Thank you animated GIF", width: 96, height: 96 });
    expect(results[0].previewUrl).toMatch(/-tiny\.gif$/);
    expect(results[0].url).toMatch(/\/gifapi\/media\/demo\d+\.gif$/);
    const url = new URL(seen[0]);
    expect(url.pathname).toBe(`${GIF_API_PATH}search`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ q: "thank you", key: DEMO_GIF_KEY, limit: "8", media_filter: "gif,tinygif", contentfilter: "high", locale: "de_DE" });
  });

  it("shows featured GIFs for an empty query and keeps the limit within Tenor's 50", async () => {
    const featured = await provider().search("", 100);
    const url = new URL(seen[0]);
    expect(url.pathname).toBe(`${GIF_API_PATH}featured`);
    expect(url.searchParams.get("q")).toBeNull();
    expect(url.searchParams.get("limit")).toBe("50");
    expect(featured.length).toBeGreaterThanOrEqual(20);
    expect(featured.every((g) => g.previewUrl !== g.url && g.width > 0 && g.height > 0)).toBe(true);
    expect((await provider().search("zebra crossing", 10)).length).toBe(0);
  });

  it("downloads the picked GIF as an image/gif Blob", async () => {
    const [gif] = await provider().search("coffee", 1);
    const blob = await provider().download(gif);
    expect(blob.type).toBe("image/gif");
    const head = Buffer.from(await blob.slice(0, 6).arrayBuffer()).toString("ascii");
    expect(head).toBe("GIF89a");
    await expect(provider().download({ ...gif, url: `${c.url}/gifapi/media/missing.gif` })).rejects.toMatchObject({ kind: "notFound", status: 404 });
    await expect(provider().download({ ...gif, url: "javascript:alert(1)" })).rejects.toMatchObject({ kind: "invalid" });
  });

  it("reports a wrong or missing key as forbidden (the admin's setting to fix)", async () => {
    const wrong = (await provider("not-the-key").search("coffee", 5).catch((e) => e)) as ServiceError;
    expect(wrong).toBeInstanceOf(ServiceError);
    expect(wrong).toMatchObject({ kind: "forbidden", status: 400, code: "API_KEY_INVALID" });
    await expect(provider("").search("coffee", 5)).rejects.toMatchObject({ kind: "forbidden", status: 403 });
  });

  it("reports an unreachable service as offline and passes a cancellation through as AbortError", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const offline = new TenorGifProvider({ baseUrl: `http://127.0.0.1:${port}/v2`, key: "k", fetch });
    await expect(offline.search("coffee", 5)).rejects.toMatchObject({ kind: "offline" });

    const controller = new AbortController();
    controller.abort();
    await expect(provider().search("coffee", 5, controller.signal)).rejects.toMatchObject({ name: "AbortError" });
  });

  it("skips results without both formats and reports a broken answer as a service failure", async () => {
    const fake = (body: unknown) =>
      new TenorGifProvider({ baseUrl: "https://gifs.example/v2", key: "k", fetch: async () => new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } }) });
    const results = await fake({
      results: [
        { id: "a", title: "", content_description: "A", media_formats: { gif: { url: "https://m.example/a.gif", dims: [10, 20] } } },
        { id: "b", title: "B title", content_description: "", media_formats: { gif: { url: "https://m.example/b.gif", dims: [30, 40] }, tinygif: { url: "https://m.example/b-t.gif", dims: [15, 20] } } },
      ],
      next: "",
    }).search("x", 5);
    expect(results).toEqual([{ id: "b", title: "B title", previewUrl: "https://m.example/b-t.gif", url: "https://m.example/b.gif", width: 30, height: 40 }]);
    await expect(fake({ oops: true }).search("x", 5)).rejects.toMatchObject({ kind: "service" });
  });
});
