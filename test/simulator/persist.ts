/**
 * Crash-safe persistence: write a temp file next to the target, fsync it, then
 * rename over the target. rename is atomic on one filesystem, so a reader sees
 * either the old file or the new one, never a torn write.
 */
import * as fs from "node:fs";
import * as path from "node:path";

let tmpCounter = 0;

export interface WriteHooks {
  /** Test seam: runs after the temp file is durable and before the rename (throw to simulate a crash). */
  beforeRename?: (tmpPath: string) => void;
}

export function writeFileAtomic(file: string, data: string | Buffer, hooks: WriteHooks = {}): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${++tmpCounter}`;
  const fd = fs.openSync(tmp, "w");
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  hooks.beforeRename?.(tmp);
  fs.renameSync(tmp, file);
  // Make the rename itself durable; not every platform lets us fsync a directory.
  try {
    const dfd = fs.openSync(path.dirname(file), "r");
    try {
      fs.fsyncSync(dfd);
    } finally {
      fs.closeSync(dfd);
    }
  } catch {
    // best effort
  }
}

/** Temp files left by a process that died before its rename; they are never read. */
export function removeStaleTempFiles(file: string): void {
  const dir = path.dirname(file);
  const base = path.basename(file);
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    if (!n.startsWith(`${base}.tmp-`)) continue;
    const pid = Number(n.slice(base.length + 5).split("-")[0]);
    if (pid === process.pid) continue;
    try {
      fs.unlinkSync(path.join(dir, n));
    } catch {
      // another process may own it
    }
  }
}

export type LoadResult<T> = { kind: "missing" } | { kind: "ok"; value: T } | { kind: "corrupt"; error: string };

export function loadJson<T>(file: string): LoadResult<T> {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { kind: "missing" };
    throw e;
  }
  try {
    return { kind: "ok", value: JSON.parse(text) as T };
  } catch (e) {
    return { kind: "corrupt", error: (e as Error).message };
  }
}

/** Debounced writer: many mutations in a burst produce one write. */
export class DebouncedWriter {
  private timer: NodeJS.Timeout | null = null;
  private dirty = false;
  private closed = false;

  constructor(
    private readonly file: string,
    private readonly snapshot: () => string,
    private readonly delayMs = 50,
  ) {}

  schedule(): void {
    if (this.closed) return;
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flushSync();
    }, this.delayMs);
    this.timer.unref?.();
  }

  flushSync(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (!this.dirty) return;
    this.dirty = false;
    writeFileAtomic(this.file, this.snapshot());
  }

  close(): void {
    this.flushSync();
    this.closed = true;
  }
}
