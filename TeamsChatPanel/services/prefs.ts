import type { Prefs } from "./ports";

/** Browser storage when it is available (it can be blocked by policy); memory otherwise. */
export function createPrefs(storage: Storage | undefined, prefix: string): Prefs {
  const memory = new Map<string, string>();
  return {
    get(key) {
      try {
        const v = storage?.getItem(prefix + key);
        if (v !== null && v !== undefined) return v;
      } catch {
        // storage blocked: fall through to memory
      }
      return memory.get(key) ?? null;
    },
    set(key, value) {
      memory.set(key, value);
      try {
        storage?.setItem(prefix + key, value);
      } catch {
        // storage blocked or full: memory keeps it for this session
      }
    },
  };
}
