import { createHash } from "node:crypto";
import { createGraphClient } from "../../../TeamsChatPanel/services/graph/client";
import { DEFAULT_CHUNK_SIZE, FRAGMENT_UNIT, GraphFileUploader, type GraphFileUploaderOptions, SIMPLE_UPLOAD_LIMIT, TEAMS_CHAT_FILES_FOLDER } from "../../../TeamsChatPanel/services/graph/files";
import { ServiceError } from "../../../TeamsChatPanel/services/errors";
import type { UploadProgress } from "../../../TeamsChatPanel/services/ports";
import { type DirectoryUser, type SimClient, startClient } from "../../simulator/test-client";

interface LogEntry {
  method: string;
  path: string;
  status: number;
}

let c: SimClient;
let megan: DirectoryUser;

beforeAll(async () => {
  c = await startClient({ seed: "demo" });
  megan = (await c.directory())[0];
});
afterAll(() => c.close());
beforeEach(async () => {
  await c.control("/requests", { method: "DELETE" });
});
afterEach(() => c.control("/faults", { method: "DELETE" }));

/** A Graph client against the simulator whose tokens carry exactly the scopes each request asks for (or a fixed set). */
function uploader(options: GraphFileUploaderOptions = {}, fixedScopes?: string[]) {
  const requested: string[][] = [];
  const tokens = {
    getToken: async (scopes: string[]) => {
      requested.push(scopes);
      return c.token(megan.upn, fixedScopes ?? scopes);
    },
  };
  const client = createGraphClient({ tokens, baseUrl: `${c.url}/graph`, retryDelaySeconds: 0 });
  return { up: new GraphFileUploader(client, fetch, { retryDelayMs: 0, ...options }), requested };
}

function file(size: number, name: string, type = "application/octet-stream", seed = 3): File {
  const b = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1664525 + 1013904223) >>> 0;
    b[i] = x >>> 24;
  }
  return new File([b], name, { type });
}

async function sha(f: Blob): Promise<string> {
  return createHash("sha256").update(Buffer.from(await f.arrayBuffer())).digest("hex").toUpperCase();
}

async function requests(): Promise<LogEntry[]> {
  return ((await (await c.control("/requests")).json()) as { requests: LogEntry[] }).requests;
}

const stored = (id: string) => c.sim.state.driveItems!.find((i) => i.id === id)!;

describe("GraphFileUploader against the simulator", () => {
  it("puts a small file in one request into Microsoft Teams Chat Files, reporting 0 then all", async () => {
    const { up, requested } = uploader();
    const f = file(10_000, "notes.txt", "text/plain");
    const progress: UploadProgress[] = [];
    const res = await up.upload(f, (p) => progress.push(p));
    expect(progress).toEqual([
      { sent: 0, total: 10_000 },
      { sent: 10_000, total: 10_000 },
    ]);
    const item = stored(res.driveItemId);
    expect(item.path).toBe(`${TEAMS_CHAT_FILES_FOLDER}/notes.txt`);
    expect(item.mimeType).toBe("text/plain");
    expect(res).toEqual({ attachmentId: item.etagGuid.toLowerCase(), driveItemId: item.id, name: "notes.txt", webUrl: expect.stringContaining("/Microsoft%20Teams%20Chat%20Files/notes.txt"), size: 10_000 });
    expect(res.attachmentId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(requested.every((s) => s.join() === "Files.ReadWrite")).toBe(true);
    const log = await requests();
    expect(log.map((e) => `${e.method} ${e.status}`)).toEqual(["PUT 201"]);
    expect(decodeURIComponent(log[0].path)).toContain("conflictBehavior=rename");
  });

  it("keeps files up to 4 MiB on the simple path, exact bytes included", async () => {
    const { up } = uploader();
    const f = file(SIMPLE_UPLOAD_LIMIT, "exactly-4-mib.bin");
    const res = await up.upload(f, () => undefined);
    expect(stored(res.driveItemId)).toMatchObject({ size: SIMPLE_UPLOAD_LIMIT, sha256Hash: await sha(f) });
    expect((await requests()).map((e) => e.method)).toEqual(["PUT"]);
  });

  it("sends a 1.5 MB file through a session in 320 KiB fragments, with progress after each", async () => {
    const { up } = uploader({ simpleUploadLimit: 1024 * 1024, chunkSize: FRAGMENT_UNIT });
    const f = file(1_500_000, "scan.pdf", "application/pdf");
    const progress: number[] = [];
    const res = await up.upload(f, (p) => progress.push(p.sent));
    expect(progress).toEqual([0, 327_680, 655_360, 983_040, 1_310_720, 1_500_000]);
    expect(stored(res.driveItemId)).toMatchObject({ size: 1_500_000, sha256Hash: await sha(f), mimeType: "application/pdf" });
    const log = await requests();
    expect(log.map((e) => `${e.method} ${e.status}`)).toEqual(["POST 200", "PUT 202", "PUT 202", "PUT 202", "PUT 202", "PUT 201"]);
    // fragments go to the pre-authenticated uploadUrl (which refuses an Authorization header with 401)
    expect(log.slice(1).every((e) => e.path.startsWith("/upload/"))).toBe(true);
  });

  it("sends a 7 MB file in 3.2 MiB fragments by default", async () => {
    const { up } = uploader();
    const f = file(7_000_000, "Quarterly review.pptx");
    const progress: number[] = [];
    const res = await up.upload(f, (p) => progress.push(p.sent));
    expect(progress).toEqual([0, DEFAULT_CHUNK_SIZE, 2 * DEFAULT_CHUNK_SIZE, 7_000_000]);
    expect(res.size).toBe(7_000_000);
    expect(stored(res.driveItemId)).toMatchObject({ size: 7_000_000, sha256Hash: await sha(f), path: `${TEAMS_CHAT_FILES_FOLDER}/Quarterly review.pptx` });
    expect((await requests()).map((e) => `${e.method} ${e.status}`)).toEqual(["POST 200", "PUT 202", "PUT 202", "PUT 201"]);
  });

  it("resumes after a failed fragment: waits Retry-After, asks the session where to go on, and finishes intact", async () => {
    await c.control("/faults", { method: "POST", json: { service: "graph", method: "PUT", path: "^/upload/", status: 503, retryAfter: 1, times: 1 } });
    const { up } = uploader({ simpleUploadLimit: 1024 * 1024, chunkSize: FRAGMENT_UNIT });
    const f = file(1_200_000, "flaky.bin");
    const started = Date.now();
    const res = await up.upload(f, () => undefined);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(stored(res.driveItemId).sha256Hash).toBe(await sha(f));
    expect((await requests()).map((e) => `${e.method} ${e.status}`)).toEqual(["POST 200", "PUT 503", "GET 200", "PUT 202", "PUT 202", "PUT 202", "PUT 201"]);
  });

  it("gives up after three retries of one fragment, reports the failure and deletes the session", async () => {
    await c.control("/faults", { method: "POST", json: { service: "graph", method: "PUT", path: "^/upload/", status: 500, times: 10 } });
    const { up } = uploader({ simpleUploadLimit: 1024 * 1024, chunkSize: FRAGMENT_UNIT });
    const err = (await up.upload(file(1_200_000, "doomed.bin"), () => undefined).catch((e) => e)) as ServiceError;
    expect(err).toBeInstanceOf(ServiceError);
    expect(err).toMatchObject({ kind: "service", status: 500 });
    await vi.waitFor(async () => expect((await requests()).some((e) => e.method === "DELETE" && e.status === 204)).toBe(true));
    expect((await requests()).filter((e) => e.method === "PUT")).toHaveLength(4);
    expect(c.sim.state.driveItems!.some((i) => i.name === "doomed.bin")).toBe(false);
  });

  it("does not sit through a long Retry-After: it reports throttling with the wait", async () => {
    await c.control("/faults", { method: "POST", json: { service: "graph", method: "PUT", path: "^/upload/", status: 429, retryAfter: 60, times: 1 } });
    const { up } = uploader({ simpleUploadLimit: 1024 * 1024 });
    const err = (await up.upload(file(2_000_000, "busy.bin"), () => undefined).catch((e) => e)) as ServiceError;
    expect(err).toMatchObject({ kind: "throttled", retryAfterSeconds: 60 });
  });

  it("cancels through the AbortSignal: rejects with AbortError and deletes the session", async () => {
    const { up } = uploader({ simpleUploadLimit: 1024 * 1024, chunkSize: FRAGMENT_UNIT });
    const controller = new AbortController();
    const sent: number[] = [];
    const err = (await up
      .upload(file(1_500_000, "cancelled.bin"), (p) => {
        sent.push(p.sent);
        if (p.sent > 0) controller.abort();
      }, controller.signal)
      .catch((e) => e)) as Error;
    expect(err.name).toBe("AbortError");
    expect(sent).toEqual([0, FRAGMENT_UNIT]);
    await vi.waitFor(async () => expect((await requests()).map((e) => `${e.method} ${e.status}`)).toEqual(["POST 200", "PUT 202", "DELETE 204"]));
    expect(c.sim.state.driveItems!.some((i) => i.name === "cancelled.bin")).toBe(false);
    // an already-cancelled upload sends nothing
    await c.control("/requests", { method: "DELETE" });
    await expect(up.upload(file(10, "never.txt"), () => undefined, controller.signal)).rejects.toMatchObject({ name: "AbortError" });
    expect(await requests()).toEqual([]);
  });

  it("renames on a name collision, on both paths", async () => {
    const { up } = uploader({ simpleUploadLimit: 1024 * 1024 });
    const a = await up.upload(file(100, "invoice.pdf"), () => undefined);
    const b = await up.upload(file(100, "invoice.pdf"), () => undefined);
    const big = await up.upload(file(1_100_000, "invoice.pdf"), () => undefined);
    expect([a.name, b.name, big.name]).toEqual(["invoice.pdf", "invoice 1.pdf", "invoice 2.pdf"]);
    expect(new Set([a.attachmentId, b.attachmentId, big.attachmentId]).size).toBe(3);
  });

  it("turns a missing Files.ReadWrite consent into a forbidden ServiceError on both paths", async () => {
    const { up } = uploader({ simpleUploadLimit: 1024 * 1024 }, ["Chat.ReadWrite"]);
    await expect(up.upload(file(10, "small.txt"), () => undefined)).rejects.toMatchObject({ kind: "forbidden", status: 403 });
    await expect(up.upload(file(2_000_000, "large.bin"), () => undefined)).rejects.toMatchObject({ kind: "forbidden", status: 403 });
  });

  it("refuses a chunk size the service would reject", () => {
    const client = createGraphClient({ tokens: { getToken: async () => "x" } });
    expect(() => new GraphFileUploader(client, fetch, { chunkSize: 1_000_000 })).toThrow(/320 KiB/);
  });
});
