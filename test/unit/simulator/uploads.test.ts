import { createHash } from "node:crypto";
import { type DirectoryUser, type SimClient, startClient } from "../../simulator/test-client";

interface Session {
  uploadUrl: string;
  expirationDateTime: string;
  nextExpectedRanges: string[];
}
interface DriveItem {
  id: string;
  name: string;
  size: number;
  eTag: string;
  webUrl: string;
  file: { mimeType: string; hashes: { sha256Hash: string } };
}
interface GraphErr {
  error: { code: string; message: string };
}

const KIB320 = 327_680;
const enc = encodeURIComponent;
let c: SimClient;
let megan: DirectoryUser;
let token: string;
let clock = Date.parse("2025-05-01T08:00:00.000Z");

beforeAll(async () => {
  c = await startClient({ seed: "demo", now: () => new Date(clock) });
  megan = (await c.directory())[0];
  token = await c.token(megan.upn, undefined, 30 * 86400);
});
afterAll(() => c.close());
afterEach(() => c.control("/faults", { method: "DELETE" }));

async function json<T>(r: Response): Promise<T> {
  return (await r.json()) as T;
}

/** Deterministic bytes so a corrupted or shifted fragment changes the hash. */
function bytes(n: number, seed = 7): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex").toUpperCase();
const sessionPath = (name: string) => `/me/drive/root:/${enc("Microsoft Teams Chat Files")}/${enc(name)}:/createUploadSession`;

async function open(name: string, item: Record<string, unknown> = { "@microsoft.graph.conflictBehavior": "rename" }): Promise<Session> {
  const r = await c.graph(token, sessionPath(name), { method: "POST", json: { item } });
  expect(r.status).toBe(200);
  return json<Session>(r);
}

function put(url: string, data: Buffer, start: number, total: number, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: "PUT", body: Uint8Array.from(data), headers: { "Content-Range": `bytes ${start}-${start + data.length - 1}/${total}`, ...headers } });
}

/** Sends the file in fragments of `size` bytes and returns the last response. */
async function sendAll(url: string, file: Buffer, size = KIB320 * 2): Promise<Response> {
  let last!: Response;
  for (let start = 0; start < file.length; start += size) {
    last = await put(url, file.subarray(start, start + size), start, file.length);
    if (start + size < file.length) expect(last.status).toBe(202);
  }
  return last;
}

describe("createUploadSession (driveitem-createuploadsession)", () => {
  it("answers an uploadSession whose uploadUrl is on the simulator's origin, outside the Graph root", async () => {
    const s = await open("manual.pdf");
    expect(s.uploadUrl.startsWith(`${c.url}/upload/`)).toBe(true);
    expect(s.uploadUrl).not.toContain("/graph/");
    expect(Date.parse(s.expirationDateTime)).toBeGreaterThan(clock);
    expect(s.nextExpectedRanges).toEqual(["0-"]);
  });

  it("needs Files.ReadWrite and answers OneDrive's accessDenied without it", async () => {
    const noFiles = await c.token(megan.upn, ["Chat.ReadWrite"], 30 * 86400);
    const r = await c.graph(noFiles, sessionPath("x.pdf"), { method: "POST", json: {} });
    expect(r.status).toBe(403);
    expect((await json<GraphErr>(r)).error.code).toBe("accessDenied");
  });

  it("takes a session below a folder item, refuses GET, a name that differs from the path, bad conflict values and deferCommit", async () => {
    expect((await c.graph(token, sessionPath("a.txt"))).status).toBe(405);
    const mismatch = await c.graph(token, sessionPath("a.txt"), { method: "POST", json: { item: { name: "b.txt" } } });
    expect(mismatch.status).toBe(400);
    expect((await c.graph(token, sessionPath("a.txt"), { method: "POST", json: { item: { "@microsoft.graph.conflictBehavior": "merge" } } })).status).toBe(400);
    expect((await c.graph(token, sessionPath("a.txt"), { method: "POST", json: { deferCommit: true } })).status).toBe(400);
    expect((await c.graph(token, `/me/drive/items/NOPE:/a.txt:/createUploadSession`, { method: "POST", json: {} })).status).toBe(404);
    // the folder appears with the first file uploaded into it
    expect((await sendAll((await open("seed.txt")).uploadUrl, bytes(10))).status).toBe(201);
    const parent = c.sim.state.driveItems!.find((i) => i.folder && i.ownerId === megan.aadObjectId && i.path === "Microsoft Teams Chat Files")!;
    const r = await c.graph(token, `/me/drive/items/${parent.id}:/below.txt:/createUploadSession`, { method: "POST" });
    expect(r.status).toBe(200);
    const done = await sendAll((await json<Session>(r)).uploadUrl, bytes(99));
    expect(done.status).toBe(201);
    expect((await json<DriveItem>(done)).webUrl).toContain("/Microsoft%20Teams%20Chat%20Files/below.txt");
  });
});

describe("uploading fragments to the uploadUrl", () => {
  it("accepts ordered fragments (202 with the next range) and creates the same driveItem a simple upload does", async () => {
    const file = bytes(KIB320 * 3 + 1234);
    const s = await open("jam counter.xlsx");
    const first = await put(s.uploadUrl, file.subarray(0, KIB320), 0, file.length);
    expect(first.status).toBe(202);
    expect(await json<Omit<Session, "uploadUrl">>(first)).toMatchObject({ nextExpectedRanges: [`${KIB320}-`] });
    const rest = await put(s.uploadUrl, file.subarray(KIB320, KIB320 * 3), KIB320, file.length);
    expect(rest.status).toBe(202);
    const last = await put(s.uploadUrl, file.subarray(KIB320 * 3), KIB320 * 3, file.length);
    expect(last.status).toBe(201);
    const item = await json<DriveItem>(last);
    expect(item).toMatchObject({ name: "jam counter.xlsx", size: file.length, file: { mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", hashes: { sha256Hash: sha(file) } } });
    expect(item.eTag).toMatch(/^"\{[0-9A-F-]{36}\},1"$/);
    expect(item.webUrl).toBe("https://contososupport-my.sharepoint.com/personal/megan_pierce_contososupport_onmicrosoft_com/Documents/Microsoft%20Teams%20Chat%20Files/jam%20counter.xlsx");
    // a simple upload answers with exactly the same properties
    const simple = await c.graph(token, `/me/drive/root:/${enc("Microsoft Teams Chat Files")}/${enc("small.txt")}:/content`, { method: "PUT", body: "hi", headers: { "Content-Type": "text/plain" } });
    expect(Object.keys(await json<object>(simple)).sort()).toEqual(Object.keys(item).sort());
    // the session is finished: its URL is gone
    expect((await fetch(s.uploadUrl)).status).toBe(404);
  });

  it("takes a whole small file in one fragment", async () => {
    const file = bytes(1000);
    const r = await put((await open("one.bin")).uploadUrl, file, 0, file.length);
    expect(r.status).toBe(201);
    expect((await json<DriveItem>(r)).size).toBe(1000);
  });

  it("refuses an Authorization header on the uploadUrl with 401 and keeps the session as it was", async () => {
    const s = await open("auth.bin");
    const r = await put(s.uploadUrl, bytes(KIB320), 0, KIB320 * 2, { Authorization: `Bearer ${token}` });
    expect(r.status).toBe(401);
    expect((await json<GraphErr>(r)).error.message).toMatch(/Authorization/);
    expect((await json<Session>(await fetch(s.uploadUrl))).nextExpectedRanges).toEqual(["0-"]);
  });

  it("answers 416 for overlapping or skipped ranges, with the status telling where to resume", async () => {
    const file = bytes(KIB320 * 3);
    const s = await open("ranges.bin");
    expect((await put(s.uploadUrl, file.subarray(0, KIB320), 0, file.length)).status).toBe(202);
    const overlap = await put(s.uploadUrl, file.subarray(0, KIB320), 0, file.length);
    expect(overlap.status).toBe(416);
    expect((await json<GraphErr>(overlap)).error.code).toBe("invalidRange");
    const gap = await put(s.uploadUrl, file.subarray(KIB320 * 2), KIB320 * 2, file.length);
    expect(gap.status).toBe(416);
    const status = await json<Session>(await fetch(s.uploadUrl));
    expect(status.nextExpectedRanges).toEqual([`${KIB320}-`]);
    expect(Date.parse(status.expirationDateTime)).toBeGreaterThan(clock);
    const end = await put(s.uploadUrl, file.subarray(KIB320), KIB320, file.length);
    expect(end.status).toBe(201);
    expect((await json<DriveItem>(end)).file.hashes.sha256Hash).toBe(sha(file));
  });

  it("enforces the fragment rules: 320 KiB multiples except the last, one total, a length that matches, under 60 MiB", async () => {
    const s = await open("rules.bin");
    const total = KIB320 * 4;
    const odd = await put(s.uploadUrl, bytes(KIB320 + 1), 0, total);
    expect(odd.status).toBe(400);
    expect((await json<GraphErr>(odd)).error.message).toMatch(/320 KiB/);
    expect((await put(s.uploadUrl, bytes(KIB320), 0, total)).status).toBe(202);
    expect((await put(s.uploadUrl, bytes(KIB320), KIB320, total + 1)).status).toBe(400);
    const lying = await fetch(s.uploadUrl, { method: "PUT", body: Uint8Array.from(bytes(10)), headers: { "Content-Range": `bytes ${KIB320}-${KIB320 + 19}/${total}` } });
    expect(lying.status).toBe(400);
    expect((await fetch(s.uploadUrl, { method: "PUT", body: Uint8Array.from(bytes(10)) })).status).toBe(400);
    const huge = KIB320 * 193; // 60.3 MiB
    expect((await put(s.uploadUrl, Buffer.alloc(huge), KIB320, KIB320 + huge + 5)).status).toBe(413);
    expect((await json<Session>(await fetch(s.uploadUrl))).nextExpectedRanges).toEqual([`${KIB320}-`]);
  });

  it("cancels with DELETE (204), after which the uploadUrl is unknown (404 itemNotFound)", async () => {
    const s = await open("cancel.bin");
    expect((await put(s.uploadUrl, bytes(KIB320), 0, KIB320 * 2)).status).toBe(202);
    expect((await fetch(s.uploadUrl, { method: "DELETE" })).status).toBe(204);
    const gone = await fetch(s.uploadUrl);
    expect(gone.status).toBe(404);
    expect((await json<GraphErr>(gone)).error.code).toBe("itemNotFound");
    expect((await put(s.uploadUrl, bytes(KIB320), KIB320, KIB320 * 2)).status).toBe(404);
    expect((await fetch(`${c.url}/upload/not-a-session`)).status).toBe(404);
  });

  it("expires an idle session; every accepted fragment renews it", async () => {
    const s = await open("slow.bin");
    clock += 50 * 60_000;
    const r = await put(s.uploadUrl, bytes(KIB320), 0, KIB320 * 2);
    expect(r.status).toBe(202);
    expect(Date.parse((await json<Session>(r)).expirationDateTime)).toBeGreaterThan(Date.parse(s.expirationDateTime));
    clock += 50 * 60_000;
    expect((await fetch(s.uploadUrl)).status).toBe(200);
    clock += 11 * 60_000;
    expect((await fetch(s.uploadUrl)).status).toBe(404);
  });
});

describe("name conflicts", () => {
  it("fails by default when the name exists, renames or replaces when asked", async () => {
    const name = "report.docx";
    const first = await sendAll((await open(name)).uploadUrl, bytes(100));
    expect(first.status).toBe(201);
    const firstItem = await json<DriveItem>(first);
    const clash = await c.graph(token, sessionPath(name), { method: "POST", json: {} });
    expect(clash.status).toBe(409);
    expect((await json<GraphErr>(clash)).error.code).toBe("nameAlreadyExists");
    const renamed = await sendAll((await open(name)).uploadUrl, bytes(100));
    expect((await json<DriveItem>(renamed)).name).toBe("report 1.docx");
    const replaced = await sendAll((await open(name, { "@microsoft.graph.conflictBehavior": "replace" })).uploadUrl, bytes(200, 9));
    expect(replaced.status).toBe(200);
    const item = await json<DriveItem>(replaced);
    expect(item.id).toBe(firstItem.id);
    expect(item.size).toBe(200);
    expect(item.eTag).toBe(firstItem.eTag.replace(",1\"", ",2\""));
  });

  it("reports a clash that appeared during the upload on the last fragment (409)", async () => {
    const s = await open("race.txt", { "@microsoft.graph.conflictBehavior": "fail" });
    await c.graph(token, `/me/drive/root:/${enc("Microsoft Teams Chat Files")}/race.txt:/content`, { method: "PUT", body: "first" });
    const r = await put(s.uploadUrl, bytes(50), 0, 50);
    expect(r.status).toBe(409);
    expect((await json<GraphErr>(r)).error.code).toBe("nameAlreadyExists");
  });
});

describe("faults and the request log", () => {
  it("lets a test fail one fragment (service graph, path /upload/); the session resumes where it was", async () => {
    const file = bytes(KIB320 * 2 + 10);
    const s = await open("flaky.bin");
    const f = await c.control("/faults", { method: "POST", json: { service: "graph", method: "PUT", path: "^/upload/", status: 503, retryAfter: 2, times: 1 } });
    expect(f.status).toBe(201);
    const failed = await put(s.uploadUrl, file.subarray(0, KIB320), 0, file.length);
    expect(failed.status).toBe(503);
    expect(failed.headers.get("retry-after")).toBe("2");
    expect((await json<Session>(await fetch(s.uploadUrl))).nextExpectedRanges).toEqual(["0-"]);
    const done = await sendAll(s.uploadUrl, file, KIB320);
    expect(done.status).toBe(201);
    expect((await json<DriveItem>(done)).file.hashes.sha256Hash).toBe(sha(file));
    const log = (await json<{ requests: Array<{ service: string; method: string; path: string; status: number; caller: string | null }> }>(await c.control("/requests"))).requests;
    const puts = log.filter((e) => e.method === "PUT" && e.path.startsWith("/upload/") && e.path === new URL(s.uploadUrl).pathname);
    expect(puts.map((e) => e.status)).toEqual([503, 202, 202, 201]);
    expect(puts.every((e) => e.service === "graph" && e.caller === megan.upn)).toBe(true);
  });
});
