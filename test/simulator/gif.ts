/**
 * A demo GIF search service shaped like Tenor's API v2 (tenor.googleapis.com/v2), so the GIF picker works in
 * the harness with no key from a real provider. Served on the simulator's origin:
 *
 *   GET /gifapi/v2/search?q=&key=&limit=&pos=&media_filter=gif,tinygif   search the catalogue by words
 *   GET /gifapi/v2/featured?key=&limit=&pos=&media_filter=               everything, for an empty query
 *   GET /gifapi/media/{id}.gif, /gifapi/media/{id}-tiny.gif               the animated GIFs themselves
 *
 * Response and error shapes follow Tenor's: results[] of response objects with media_formats keyed by format
 * (url, dims [w, h], duration, size), a `next` position; errors as Google APIs send them
 * ({ error: { code, message, status, details } }). Media URLs need no key, as Tenor's media host does not.
 */
import type { SimRequest, SimResponse } from "./util";

/** The key the harness configures for the demo provider; any other key is refused like an invalid Google API key. */
export const DEMO_GIF_KEY = "demo-gif-key";
/** Base of the API (what an admin would set as the provider's base URL, e.g. https://tenor.googleapis.com/v2/). */
export const GIF_API_PATH = "/gifapi/v2/";
export const GIF_MEDIA_PATH = "/gifapi/media/";

const DEFAULT_LIMIT = 20;
/** Tenor's documented maximum; larger values are clamped. */
const MAX_LIMIT = 50;

type Rgb = [number, number, number];

interface CatalogueEntry {
  id: string;
  title: string;
  tags: string[];
}

/** Titles people search for in a support team's chats; ids are stable so links survive restarts. */
const CATALOGUE: CatalogueEntry[] = [
  ["thumbs up", ["ok", "approve", "like", "yes"]],
  ["thank you", ["thanks", "grateful", "appreciate"]],
  ["celebrate", ["party", "yay", "success", "win"]],
  ["coffee", ["morning", "break", "caffeine"]],
  ["high five", ["team", "nice", "great"]],
  ["good morning", ["hello", "morning", "sunrise"]],
  ["well done", ["congrats", "bravo", "great job"]],
  ["applause", ["clap", "bravo", "standing ovation"]],
  ["mind blown", ["wow", "amazing", "shocked"]],
  ["facepalm", ["oops", "mistake", "sigh"]],
  ["on it", ["working", "busy", "doing it"]],
  ["waiting", ["patience", "clock", "soon"]],
  ["welcome", ["hello", "new", "onboard"]],
  ["happy friday", ["weekend", "friday", "dance"]],
  ["congratulations", ["congrats", "celebrate", "award"]],
  ["laughing", ["lol", "funny", "haha"]],
  ["sad", ["sorry", "cry", "tears"]],
  ["ok hand", ["ok", "perfect", "fine"]],
  ["bye", ["goodbye", "see you", "wave"]],
  ["deal with it", ["cool", "sunglasses"]],
  ["thinking", ["hmm", "ponder", "idea"]],
  ["fire", ["hot", "urgent", "lit"]],
  ["printer", ["jam", "office", "paper"]],
  ["good night", ["night", "sleep", "moon"]],
].map(([title, tags], i) => ({ id: `demo${String(i + 1).padStart(4, "0")}`, title: title as string, tags: tags as string[] }));

interface Rendered {
  gif: Buffer;
  tiny: Buffer;
  dims: [number, number];
  tinyDims: [number, number];
}

export class GifApi {
  private readonly rendered = new Map<string, Rendered>();

  /** True when the path belongs to this service (the host server then sends whatever handle() answers). */
  static owns(path: string): boolean {
    return path.startsWith(GIF_API_PATH) || path.startsWith(GIF_MEDIA_PATH);
  }

  handle(req: SimRequest): SimResponse {
    if (req.method !== "GET" && req.method !== "HEAD") return googleError(405, "INVALID_ARGUMENT", "Only GET is supported.");
    if (req.path.startsWith(GIF_MEDIA_PATH)) return this.media(req.path.slice(GIF_MEDIA_PATH.length));
    const endpoint = req.path.slice(GIF_API_PATH.length).replace(/\/+$/, "");
    if (endpoint !== "search" && endpoint !== "featured") return googleError(404, "NOT_FOUND", `Method not found: ${endpoint || "(none)"}.`);
    const key = req.query.get("key");
    if (!key) return googleError(403, "PERMISSION_DENIED", "The request is missing a valid API key.", "API_KEY_MISSING");
    if (key !== DEMO_GIF_KEY) return googleError(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", "API_KEY_INVALID");
    const rawLimit = req.query.get("limit");
    const limit = rawLimit === null || rawLimit === "" ? DEFAULT_LIMIT : Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1) return googleError(400, "INVALID_ARGUMENT", `Invalid value at 'limit' (TYPE_INT32), "${rawLimit}"`);
    const pos = Number(req.query.get("pos") ?? "0");
    const start = Number.isInteger(pos) && pos > 0 ? pos : 0;
    let matches = CATALOGUE;
    if (endpoint === "search") {
      const q = req.query.get("q");
      if (q === null) return googleError(400, "INVALID_ARGUMENT", "Missing required parameter: q.");
      matches = search(q);
    }
    const wanted = (req.query.get("media_filter") ?? "")
      .split(",")
      .map((f) => f.trim().toLowerCase())
      .filter(Boolean);
    const page = matches.slice(start, start + Math.min(limit, MAX_LIMIT));
    const end = start + page.length;
    return {
      status: 200,
      headers: { "Content-Type": "application/json; charset=UTF-8" },
      body: {
        results: page.map((e) => this.resultJson(req.origin, e, wanted)),
        next: end < matches.length ? String(end) : "",
      },
    };
  }

  private render(e: CatalogueEntry): Rendered {
    let r = this.rendered.get(e.id);
    if (!r) {
      const i = CATALOGUE.indexOf(e);
      const dims: [number, number] = i % 3 === 2 ? [96, 72] : [96, 96];
      const tinyDims: [number, number] = [dims[0] / 2, dims[1] / 2];
      const colour = hueColour(i / CATALOGUE.length);
      r = { gif: animatedSquare(dims[0], dims[1], colour), tiny: animatedSquare(tinyDims[0], tinyDims[1], colour), dims, tinyDims };
      this.rendered.set(e.id, r);
    }
    return r;
  }

  private resultJson(origin: string, e: CatalogueEntry, wanted: string[]): Record<string, unknown> {
    const r = this.render(e);
    const formats: Record<string, unknown> = {
      gif: { url: `${origin}${GIF_MEDIA_PATH}${e.id}.gif`, dims: r.dims, duration: 1, size: r.gif.length },
      tinygif: { url: `${origin}${GIF_MEDIA_PATH}${e.id}-tiny.gif`, dims: r.tinyDims, duration: 1, size: r.tiny.length },
    };
    const media = wanted.length ? Object.fromEntries(Object.entries(formats).filter(([k]) => wanted.includes(k))) : formats;
    return {
      id: e.id,
      title: e.title,
      media_formats: media,
      created: 1700000000 + CATALOGUE.indexOf(e) * 86400,
      content_description: `${e.title[0].toUpperCase()}${e.title.slice(1)} animated GIF`,
      itemurl: `${origin}${GIF_MEDIA_PATH}${e.id}.gif`,
      url: `${origin}${GIF_MEDIA_PATH}${e.id}.gif`,
      tags: e.tags,
      flags: [],
      hasaudio: false,
    };
  }

  private media(file: string): SimResponse {
    const m = /^([a-z0-9]+)(-tiny)?\.gif$/.exec(file);
    const entry = m ? CATALOGUE.find((e) => e.id === m[1]) : undefined;
    if (!m || !entry) return { status: 404, headers: { "Content-Type": "text/plain" }, body: Buffer.from("Not found") };
    const r = this.render(entry);
    return { status: 200, headers: { "Content-Type": "image/gif", "Cache-Control": "public, max-age=86400" }, body: m[2] ? r.tiny : r.gif };
  }
}

/** Every word of the query must start a word of the title or a tag; title matches rank first. */
function search(q: string): CatalogueEntry[] {
  const words = q.toLowerCase().split(/[\s+,]+/).filter(Boolean);
  if (words.length === 0) return CATALOGUE;
  const hits = (text: string) => words.every((w) => text.split(/\s+/).some((t) => t.startsWith(w)));
  const byTitle = CATALOGUE.filter((e) => hits(e.title));
  const byTag = CATALOGUE.filter((e) => !byTitle.includes(e) && hits([e.title, ...e.tags].join(" ")));
  return [...byTitle, ...byTag];
}

function googleError(code: number, status: string, message: string, reason?: string): SimResponse {
  const details = reason ? [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason, domain: "googleapis.com", metadata: { service: "tenor.googleapis.com" } }] : [];
  return { status: code, headers: { "Content-Type": "application/json; charset=UTF-8" }, body: { error: { code, message, status, details } } };
}

function hueColour(h: number): Rgb {
  const f = (n: number) => {
    const k = (n + h * 12) % 12;
    return Math.round(255 * (0.55 - 0.4 * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

/**
 * A two-frame looping GIF89a: a coloured field with a white square that hops between two corners. The LZW
 * stream sends a clear code before every pixel, so no decoder ever grows its code table: bigger than real
 * compression, but trivially valid for every decoder.
 */
export function animatedSquare(width: number, height: number, colour: Rgb): Buffer {
  const palette: Rgb[] = [colour, [255, 255, 255], [36, 36, 36], [Math.round(colour[0] / 2), Math.round(colour[1] / 2), Math.round(colour[2] / 2)]];
  const side = Math.floor(Math.min(width, height) / 3);
  const frame = (x0: number, y0: number): Uint8Array => {
    const px = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const border = x === 0 || y === 0 || x === width - 1 || y === height - 1;
        const inSquare = x >= x0 && x < x0 + side && y >= y0 && y < y0 + side;
        const shadow = x >= x0 + 2 && x < x0 + side + 2 && y >= y0 + 2 && y < y0 + side + 2;
        px[y * width + x] = border ? 2 : inSquare ? 1 : shadow ? 3 : 0;
      }
    }
    return px;
  };
  const margin = Math.floor(side / 3);
  const frames = [frame(margin, margin), frame(width - side - margin - 2, height - side - margin - 2)];
  const le = (n: number) => [n & 0xff, (n >> 8) & 0xff];
  const out: number[] = [...Buffer.from("GIF89a", "ascii"), ...le(width), ...le(height), 0x91, 0, 0];
  for (const c of palette) out.push(...c);
  out.push(0x21, 0xff, 0x0b, ...Buffer.from("NETSCAPE2.0", "ascii"), 0x03, 0x01, 0x00, 0x00, 0x00);
  for (const px of frames) {
    out.push(0x21, 0xf9, 0x04, 0x04, ...le(50), 0x00, 0x00);
    out.push(0x2c, ...le(0), ...le(0), ...le(width), ...le(height), 0x00);
    out.push(2, ...subBlocks(lzwLiteral(px)), 0x00);
  }
  out.push(0x3b);
  return Buffer.from(out);
}

/** LZW codes for a 2-bit image (minimum code size 2: clear = 4, end = 5, 3-bit codes), packed LSB first. */
function lzwLiteral(px: Uint8Array): number[] {
  const bytes: number[] = [];
  let acc = 0;
  let bits = 0;
  const put = (code: number) => {
    acc |= code << bits;
    bits += 3;
    while (bits >= 8) {
      bytes.push(acc & 0xff);
      acc >>= 8;
      bits -= 8;
    }
  };
  for (const p of px) {
    put(4);
    put(p);
  }
  put(5);
  if (bits > 0) bytes.push(acc & 0xff);
  return bytes;
}

function subBlocks(data: number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < data.length; i += 255) {
    const part = data.slice(i, i + 255);
    out.push(part.length, ...part);
  }
  return out;
}
