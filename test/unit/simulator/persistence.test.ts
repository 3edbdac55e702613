import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadJson, writeFileAtomic } from "../../simulator/persist";
import { createSimulator } from "../../simulator/server";
import type { SimState } from "../../simulator/state";
import { startClient } from "../../simulator/test-client";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "tcp-sim-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("persistence", () => {
  it("seeds a missing file, keeps mutations across a restart", async () => {
    const file = path.join(dir, "state.json");
    const a = await startClient({ dataFile: file, seed: "demo" });
    expect(fs.existsSync(file)).toBe(true);
    const megan = (await a.directory())[0];
    const created = await a.dv(megan.systemuserid, "/tcp_chatlinks", {
      method: "POST",
      json: { tcp_name: "x", tcp_kind: 100000000, tcp_chatid: "19:persist@thread.v2", tcp_regardingtable: "incident", tcp_regardingid: "1" },
    });
    expect(created.status).toBe(204);
    const token = await a.token(megan.upn);
    const chat = a.sim.state.chats.find((ch) => ch.members.some((m) => m.userId === megan.aadObjectId))!;
    const posted = await a.graph(token, `/chats/${encodeURIComponent(chat.id)}/messages`, { method: "POST", json: { body: { content: "survives restarts" } } });
    const msgId = ((await posted.json()) as { id: string }).id;
    await a.close();

    const b = await startClient({ dataFile: file, seed: "demo" });
    const links = Object.values(b.sim.state.dataverse.tcp_chatlink).filter((r) => r.tcp_chatid === "19:persist@thread.v2");
    expect(links).toHaveLength(1);
    expect(b.sim.state.chats.find((ch) => ch.id === chat.id)!.messages.some((m) => m.id === msgId && m.body.content === "survives restarts")).toBe(true);
    // tokens from the previous process are not accepted (new signing key), like a stale real token
    expect((await b.graph(token, "/me")).status).toBe(401);
    await b.close();
  });

  it("writes mutations on its own shortly after they happen (debounced), and flush() writes immediately", async () => {
    const file = path.join(dir, "state.json");
    const sim = await createSimulator({ dataFile: file, seed: "empty" });
    const before = fs.readFileSync(file, "utf8");
    sim.state.bulkCounter = 41; // direct edits are not observed...
    await sim.flush();
    expect(fs.readFileSync(file, "utf8")).toBe(before); // ...so nothing is pending
    const a = await startClient({ dataFile: file, seed: "empty" });
    await a.control("/reset", { method: "POST", json: { seed: "demo" } });
    await new Promise((r) => setTimeout(r, 250));
    const onDisk = JSON.parse(fs.readFileSync(file, "utf8")) as SimState;
    expect(onDisk.seed).toBe("demo");
    expect(onDisk.users.length).toBeGreaterThan(10);
    await a.close();
    await sim.close();
  });

  it("never exposes a half-written file: a crash between write and rename leaves the old file intact", async () => {
    const file = path.join(dir, "state.json");
    writeFileAtomic(file, JSON.stringify({ generation: 1 }));
    expect(() =>
      writeFileAtomic(file, JSON.stringify({ generation: 2, padding: "x".repeat(100000) }), {
        beforeRename: () => {
          throw new Error("simulated crash");
        },
      }),
    ).toThrow("simulated crash");
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual({ generation: 1 });
    const leftovers = fs.readdirSync(dir).filter((n) => n.startsWith("state.json.tmp-"));
    expect(leftovers).toHaveLength(1);
    expect(fs.readFileSync(path.join(dir, leftovers[0]), "utf8")).toContain('"generation":2');
    expect(loadJson(file)).toEqual({ kind: "ok", value: { generation: 1 } });
  });

  it("survives SIGKILL in the middle of a write loop", async () => {
    const file = path.join(dir, "state.json");
    const persist = path.resolve(__dirname, "../../simulator/persist.ts");
    const script = path.join(dir, "writer.ts");
    fs.writeFileSync(
      script,
      `import { writeFileAtomic } from ${JSON.stringify(persist)};
let n = 0;
const big = "y".repeat(2_000_000);
process.stdout.write("started\\n");
for (;;) writeFileAtomic(${JSON.stringify(file)}, JSON.stringify({ n: ++n, big }));
`,
    );
    const child = spawn(process.execPath, ["--import", "tsx", script], { cwd: path.resolve(__dirname, "../../.."), stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve) => child.stdout!.once("data", () => resolve()));
    // let it write a few generations, then kill it without warning
    for (let i = 0; i < 100 && !fs.existsSync(file); i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300));
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    const loaded = loadJson<{ n: number; big: string }>(file);
    expect(loaded.kind).toBe("ok");
    if (loaded.kind === "ok") {
      expect(loaded.value.n).toBeGreaterThan(0);
      expect(loaded.value.big).toHaveLength(2_000_000);
    }
    // a simulator started on that file ignores and cleans the dead process's temp files
    const sim = await createSimulator({ dataFile: file });
    expect(fs.readdirSync(dir).filter((n) => n.startsWith("state.json.tmp-"))).toHaveLength(0);
    await sim.close();
  }, 20_000);

  it("keeps an unreadable file aside and starts from the seed", async () => {
    const file = path.join(dir, "state.json");
    fs.writeFileSync(file, '{"version":1, "users": [');
    const sim = await createSimulator({ dataFile: file, seed: "demo" });
    expect(sim.state.users.length).toBeGreaterThan(10);
    expect(fs.readdirSync(dir).some((n) => n.startsWith("state.json.corrupt-"))).toBe(true);
    expect((loadJson<SimState>(file) as { value: SimState }).value.seed).toBe("demo");
    await sim.close();
  });
});
