import { unzipSync, zipSync, type Zippable } from "fflate";

/**
 * Every entry gets the same time stamp, so packing the same input twice gives the same bytes (and a
 * diff of two releases shows only what changed). 1980-01-01 is the earliest time a zip can store.
 */
const FIXED_TIME = new Date(1980, 0, 1, 0, 0, 0);

/** A zip of the entries in the given order (Dataverse reads it like its own exports: flat, no folder entries). */
export function zip(entries: [string, Uint8Array][]): Uint8Array {
  const z: Zippable = {};
  for (const [name, data] of entries) z[name] = [data, { mtime: FIXED_TIME, level: 6 }];
  return zipSync(z);
}

/** The entries of a zip, in their stored order. */
export function unzip(data: Uint8Array): Map<string, Uint8Array> {
  return new Map(Object.entries(unzipSync(data)));
}

/** Text of an entry as stored: a byte order mark, when there is one, is kept. */
export function utf8(data: Uint8Array): string {
  return new TextDecoder("utf-8", { ignoreBOM: true, fatal: true }).decode(data);
}
