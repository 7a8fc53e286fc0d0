import { statSync } from "node:fs";
import { resolve } from "node:path";
import { GraphloadError } from "../errors.js";
import type { InputEntry } from "../input/input-entry.js";
import { fileNameOf, isRemote, locationName } from "../input/input-location.js";
import { openInputRanges } from "../input/input-ranges.js";
import { listInputs, openInput } from "../input/list-inputs.js";
import type { SourceSpec } from "../model/pipeline.js";
import { detectFormat } from "../model/source-format.js";
import { parquetRecords } from "./parquet-records.js";
import { readOnce } from "./read-once.js";
import type { RecordSource, SourceItem } from "./source-record.js";
import { textRecords } from "./text-records.js";

export interface FileSourceOptions {
  /** Name for logs and dead letters; the path relative to the working directory, the URL or glob, or `stdin`, when absent. */
  readonly displayName?: string;
  /** A `file` or `files` source's inputs as listed when the run began (listSourceInputs); listed on the first read when absent. */
  readonly inputs?: readonly InputEntry[];
}

/**
 * A `file` (local, web or object) or the files of a `files` glob, read one after another
 * as one source; a record of a glob's file carries its name, and lines count within it.
 */
export function openFileSource(spec: Extract<SourceSpec, { kind: "file" | "files" }>, options: FileSourceOptions): RecordSource {
  const name = options.displayName ?? (spec.kind === "file" ? locationName(spec.path) : locationName(isRemote(spec.glob) ? spec.glob : resolve(spec.baseDir, spec.glob)));
  const known = options.inputs ?? (spec.kind === "file" ? [fileEntry(spec.path)] : undefined);
  let bytesRead = 0;
  const count = (bytes: number): number => (bytesRead += bytes);
  async function* read(): AsyncGenerator<SourceItem[]> {
    const entries = known ?? (await listSourceInputs(spec));
    for (const entry of entries) {
      const gzip = spec.gzip ?? detectFormat(fileNameOf(entry.location))?.gzip ?? false;
      const entryName = spec.kind === "file" ? name : entry.name;
      const records =
        spec.format === "parquet"
          ? parquetRecords(() => openInputRanges(entry, count), entryName, spec.decimal)
          : textRecords(spec, () => openInput(entry, gzip), gzip, entryName, count);
      if (spec.kind === "file") {
        yield* records;
        continue;
      }
      for await (const chunk of records) {
        // Set on records already made rather than passed to every parser: only a glob pays for it.
        for (const item of chunk) (item as { file?: string }).file = entry.name;
        yield chunk;
      }
    }
  }
  return { name, totalBytes: totalOf(known), bytesRead: () => bytesRead, ...readOnce(name, read) };
}

/**
 * The inputs of a `file` or `files` source, in the order it reads them. A glob that
 * matches nothing is an error, unless the source is incremental: then there is nothing new.
 */
export async function listSourceInputs(spec: Extract<SourceSpec, { kind: "file" | "files" }>): Promise<InputEntry[]> {
  if (spec.kind === "file") return listInputs(spec.path, { glob: false, cwd: process.cwd() });
  const entries = await listInputs(spec.glob, { glob: true, cwd: spec.baseDir });
  if (entries.length === 0 && !spec.incremental) {
    throw new GraphloadError("GL_NO_MATCH", `no file matches "${spec.glob}"${isRemote(spec.glob) ? "" : ` (in ${spec.baseDir})`}; check the glob, or set "incremental: true" if an empty drop is normal`, { source: spec.glob });
  }
  return entries;
}

/** A local file's size is known at once; a web address's or an object's when listed. */
function fileEntry(path: string): InputEntry {
  return { location: path, name: locationName(path), size: isRemote(path) ? undefined : fileSize(path) };
}

function totalOf(entries: readonly InputEntry[] | undefined): number | undefined {
  if (!entries) return undefined;
  let total = 0;
  for (const entry of entries) {
    if (entry.size === undefined) return undefined;
    total += entry.size;
  }
  return total;
}

function fileSize(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}
