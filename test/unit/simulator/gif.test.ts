import { DEMO_GIF_KEY, GIF_API_PATH } from "../../simulator/gif";
import { type SimClient, startClient } from "../../simulator/test-client";

interface Media {
  url: string;
  dims: [number, number];
  size: number;
}
interface Result {
  id: string;
  title: string;
  content_description: string;
  media_formats: Record<string, Media>;
}
interface SearchPage {
  results: Result[];
  next: string;
}

let c: SimClient;
beforeAll(async () => {
  c = await startClient({ seed: "empty" });
});
afterAll(() => c.close());

const api = (endpoint: string, params: Record<string, string>) => fetch(`${c.url}${GIF_API_PATH}${endpoint}?${new URLSearchParams(params)}`);
async function page(endpoint: string, params: Record<string, string>): Promise<SearchPage> {
  const r = await api(endpoint, { key: DEMO_GIF_KEY, ...params });
  expect(r.status).toBe(200);
  return (await r.json()) as SearchPage;
}

/** A plain GIF reader (any LZW code stream, no early change) so the test checks the bytes, not our own encoder's idea of them. */
function decodeGif(buf: Buffer): { width: number; height: number; frames: Uint8Array[]; loops: boolean; delays: number[] } {
  expect(buf.subarray(0, 6).toString("ascii")).toBe("GIF89a");
  const width = buf.readUInt16LE(6);
  const height = buf.readUInt16LE(8);
  const packed = buf[10];
  let p = 13 + (packed & 0x80 ? 3 * (1 << ((packed & 7) + 1)) : 0);
  const frames: Uint8Array[] = [];
  const delays: number[] = [];
  let loops = false;
  const blocks = (): Buffer => {
    const parts: Buffer[] = [];
    for (let n = buf[p++]; n !== 0; n = buf[p++]) {
      parts.push(buf.subarray(p, p + n));
      p += n;
    }
    return Buffer.concat(parts);
  };
  for (;;) {
    const kind = buf[p++];
    if (kind === 0x3b) break;
    if (kind === 0x21) {
      const label = buf[p++];
      const data = blocks();
      if (label === 0xff && data.subarray(0, 11).toString("ascii") === "NETSCAPE2.0") loops = true;
      if (label === 0xf9) delays.push(data.readUInt16LE(1));
      continue;
    }
    expect(kind).toBe(0x2c);
    const w = buf.readUInt16LE(p + 4);
    const h = buf.readUInt16LE(p + 6);
    p += 9;
    const minSize = buf[p++];
    const data = blocks();
    const clear = 1 << minSize;
    let size = minSize + 1;
    let dict: number[][] = [];
    const reset = () => {
      dict = Array.from({ length: clear + 2 }, (_, i) => [i]);
      size = minSize + 1;
    };
    reset();
    const out: number[] = [];
    let prev: number[] | null = null;
    let bit = 0;
    while (bit + size <= data.length * 8) {
      let code = 0;
      for (let i = 0; i < size; i++, bit++) code |= ((data[bit >> 3] >> (bit & 7)) & 1) << i;
      if (code === clear) {
        reset();
        prev = null;
        continue;
      }
      if (code === clear + 1) break;
      const entry: number[] = code < dict.length ? dict[code] : prev ? [...prev, prev[0]] : [];
      out.push(...entry);
      if (prev) dict.push([...prev, entry[0]]);
      prev = entry;
      if (dict.length === 1 << size && size < 12) size++;
    }
    expect(out).toHaveLength(w * h);
    frames.push(Uint8Array.from(out));
  }
  return { width, height, frames, loops, delays };
}

describe("demo GIF API (Tenor v2 shape)", () => {
  it("searches the catalogue by word and maps results to Tenor's response objects", async () => {
    const res = await page("search", { q: "thumbs", limit: "10", media_filter: "gif,tinygif" });
    expect(res.results.map((r) => r.title)).toEqual(["thumbs up"]);
    const [r] = res.results;
    expect(r.content_description).toMatch(/thumbs up/i);
    expect(Object.keys(r.media_formats).sort()).toEqual(["gif", "tinygif"]);
    expect(r.media_formats.gif.url).toBe(`${c.url}/gifapi/media/${r.id}.gif`);
    expect(r.media_formats.tinygif.dims[0]).toBeLessThan(r.media_formats.gif.dims[0]);
    expect(res.next).toBe("");
    // tags match too, after title matches
    const thanks = await page("search", { q: "thanks" });
    expect(thanks.results[0].title).toBe("thank you");
    const coffee = await page("search", { q: "Coffee" });
    expect(coffee.results.map((x) => x.title)).toEqual(["coffee"]);
    expect((await page("search", { q: "zebra crossing" })).results).toEqual([]);
  });

  it("keeps only the formats asked for in media_filter", async () => {
    const res = await page("search", { q: "celebrate", media_filter: "tinygif" });
    expect(res.results.length).toBeGreaterThan(0);
    expect(res.results.every((r) => Object.keys(r.media_formats).join() === "tinygif")).toBe(true);
  });

  it("lists featured GIFs for the empty query, pages with next/pos, and caps limit at 50", async () => {
    const first = await page("featured", { limit: "10" });
    expect(first.results).toHaveLength(10);
    expect(first.next).toBe("10");
    const second = await page("featured", { limit: "10", pos: first.next });
    expect(second.results[0].id).not.toBe(first.results[0].id);
    const all = await page("featured", { limit: "500" });
    expect(all.results.length).toBeGreaterThanOrEqual(20);
    expect(all.results.length).toBeLessThanOrEqual(50);
    expect(new Set(all.results.map((r) => r.id)).size).toBe(all.results.length);
    expect((await api("featured", { key: DEMO_GIF_KEY, limit: "ten" })).status).toBe(400);
  });

  it("refuses a missing key with 403 and a wrong key with 400, as Google APIs do", async () => {
    const missing = await api("search", { q: "coffee" });
    expect(missing.status).toBe(403);
    expect(((await missing.json()) as { error: { status: string } }).error.status).toBe("PERMISSION_DENIED");
    const wrong = await api("search", { q: "coffee", key: "nope" });
    expect(wrong.status).toBe(400);
    const body = (await wrong.json()) as { error: { code: number; message: string; status: string; details: Array<{ reason: string }> } };
    expect(body.error).toMatchObject({ code: 400, status: "INVALID_ARGUMENT" });
    expect(body.error.details[0].reason).toBe("API_KEY_INVALID");
    expect((await api("trending", { key: DEMO_GIF_KEY })).status).toBe(404);
    // the demo provider is same-origin with the harness and sends no CORS headers
    expect(missing.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("serves real animated GIFs (two looping frames) at the advertised sizes", async () => {
    const [r] = (await page("search", { q: "coffee" })).results;
    for (const format of ["gif", "tinygif"]) {
      const m = r.media_formats[format];
      const res = await fetch(m.url);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/gif");
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.length).toBe(m.size);
      const gif = decodeGif(bytes);
      expect([gif.width, gif.height]).toEqual(m.dims);
      expect(gif.frames).toHaveLength(2);
      expect(gif.loops).toBe(true);
      expect(gif.delays.every((d) => d > 0)).toBe(true);
      expect(Buffer.from(gif.frames[0]).equals(Buffer.from(gif.frames[1]))).toBe(false);
    }
    expect((await fetch(`${c.url}/gifapi/media/nothing.gif`)).status).toBe(404);
  });
});
