import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { GraphloadError } from "../errors.js";
import type { InputEntry } from "./input-entry.js";
import { locationName } from "./input-location.js";

/** Large reads: per-chunk work (decompression, UTF-8 checks, parser bookkeeping) then hardly counts. */
export const CHUNK_BYTES = 256 * 1024;

/** The local file at `path` (relative to `cwd`), or the files a glob matches there. */
export async function listLocal(path: string, glob: boolean, cwd: string): Promise<InputEntry[]> {
  if (!glob) return [await localEntry(resolve(cwd, path))];
  // Loaded only for globs: a run over plain files does not pay for them.
  const [{ splitGlob }, { glob: crawl }] = await Promise.all([import("./glob-pattern.js"), import("tinyglobby")]);
  const split = splitGlob(path);
  const base = resolve(cwd, split.base);
  if (split.glob === "") return (await isFile(base)) ? [await localEntry(base)] : [];
  const matches = await crawl(split.glob, { cwd: base, onlyFiles: true, expandDirectories: false, followSymbolicLinks: true });
  return Promise.all(matches.map((match) => localEntry(join(base, match))));
}

async function localEntry(path: string): Promise<InputEntry> {
  const stats = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") throw new GraphloadError("GL_FILE_NOT_FOUND", `no file at ${path}`, { source: path });
    throw error;
  });
  return { location: path, name: locationName(path), size: stats.size, modified: stats.mtimeMs };
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

export function openLocal(path: string): Readable {
  return createReadStream(path, { highWaterMark: CHUNK_BYTES });
}

/** `sha256:<hex>` of the file's bytes: the file is read whole, once. */
export async function localContentId(path: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(openLocal(path), hash);
  return `sha256:${hash.digest("hex")}`;
}
