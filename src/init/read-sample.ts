import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { basename } from "node:path";
import { createGunzip } from "node:zlib";
import { GraphloadError } from "../errors.js";
import type { SourceFormat } from "../model/pipeline.js";
import { detectFormat } from "../model/source-format.js";
import { detectDelimiter, looksLikeData, parseCsv } from "./read-text.js";
import { SPREAD_CHUNKS, type TableSample } from "./table-sample.js";
import { unique } from "./names.js";

/** Files up to this size are read whole; a sample of a larger one is this size too. */
export const SAMPLE_BYTES = 256 * 1024;
const CHUNK_BYTES = 16 * 1024;
const HEAD_BYTES = SAMPLE_BYTES - SPREAD_CHUNKS * CHUNK_BYTES;
const LF = 0x0a;

/**
 * Reads a sample of a data file: the whole of a small file; of a large one its start and
 * a few stretches spread over the rest (sorted files hold other values at their end than
 * at their start), cut to whole lines. A gzip file can only be read from its start. Time
 * and memory do not grow with the file.
 */
export async function readSample(path: string, file: string): Promise<TableSample> {
  const detected = detectFormat(path);
  if (!detected) {
    const hint = /\.json$/i.test(path) ? "; a JSON array is not read, but its elements one per line are JSON Lines (jq -c '.[]')" : "";
    throw new GraphloadError("GL_UNKNOWN_FORMAT", `${path}: not a .csv, .tsv, .jsonl or .ndjson file (optionally .gz)${hint}`);
  }
  if (detected.format === "parquet") {
    // A Parquet file names and types its columns itself: a task maps them with no "type" to guess.
    throw new GraphloadError(
      "GL_UNKNOWN_FORMAT",
      `${path}: init drafts from text files only; a Parquet file's columns keep their own types, so write its task by hand: source: { file: ${basename(path)} } with properties named after its columns (README, "Parquet")`,
    );
  }
  const { size } = await stat(path);
  const bytes = detected.gzip ? await gunzipStart(path, size) : await fileSample(path, size);
  const stem = basename(path).replace(/\.gz$/i, "").replace(/\.[^.]*$/, "");
  const base = { file, stem, format: detected.format, gzip: detected.gzip };
  const { bytesUsed, ...table } = detected.format === "jsonl" ? jsonlTable(bytes) : csvTable(bytes, detected.format);
  const read = bytes.gzip ? bytes.readBytes : bytesUsed;
  const estimatedRows = bytes.complete ? table.rows.length : Math.max(table.rows.length, Math.round((table.rows.length * bytes.fileBytes) / Math.max(1, read)));
  return { ...base, ...table, complete: bytes.complete, estimatedRows };
}

interface SampledBytes {
  /** The start of the file, cut after its last whole line unless the file ends there. */
  readonly head: Buffer;
  /** Whole lines from further in. */
  readonly chunks: readonly Buffer[];
  readonly complete: boolean;
  /** Bytes of the file read, and its size (compressed, for gzip), to estimate its rows. */
  readonly readBytes: number;
  readonly fileBytes: number;
  readonly gzip: boolean;
}

/** A table read from sampled bytes, and how many of them its rows came from. */
type ReadTable = Pick<TableSample, "columns" | "rows" | "header" | "delimiter" | "renamed"> & { readonly bytesUsed: number };

async function fileSample(path: string, size: number): Promise<SampledBytes> {
  const handle = await open(path, "r");
  try {
    const read = async (position: number, length: number): Promise<Buffer> => {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      return buffer.subarray(0, bytesRead);
    };
    if (size <= SAMPLE_BYTES) return { head: await read(0, size), chunks: [], complete: true, readBytes: size, fileBytes: size, gzip: false };
    const head = toLastLine(await read(0, HEAD_BYTES));
    const span = size - HEAD_BYTES - CHUNK_BYTES;
    const chunks: Buffer[] = [];
    for (let index = 1; index <= SPREAD_CHUNKS; index++) {
      const chunk = await read(HEAD_BYTES + Math.floor((span * index) / SPREAD_CHUNKS), CHUNK_BYTES);
      const start = chunk.indexOf(LF) + 1;
      // The last stretch ends with the file, whose last line may lack its line break.
      const lines = index === SPREAD_CHUNKS ? chunk.subarray(start) : toLastLine(chunk.subarray(start));
      if (start > 0 && lines.length > 0) chunks.push(lines);
    }
    return { head, chunks, complete: false, readBytes: head.length + chunks.reduce((sum, chunk) => sum + chunk.length, 0), fileBytes: size, gzip: false };
  } finally {
    await handle.close();
  }
}

async function gunzipStart(path: string, size: number): Promise<SampledBytes> {
  const input = createReadStream(path);
  const gunzip = createGunzip();
  const parts: Buffer[] = [];
  let length = 0;
  let complete = true;
  try {
    for await (const part of input.pipe(gunzip) as AsyncIterable<Buffer>) {
      parts.push(part);
      length += part.length;
      if (length >= SAMPLE_BYTES) {
        complete = false;
        break;
      }
    }
  } catch (error) {
    throw new GraphloadError("GL_READ_FAILED", `${path}: not readable as gzip: ${(error as Error).message}`);
  } finally {
    input.destroy();
    gunzip.destroy();
  }
  const all = Buffer.concat(parts);
  const head = complete ? all : toLastLine(all.subarray(0, SAMPLE_BYTES));
  return { head, chunks: [], complete, readBytes: complete ? size : Math.max(1, input.bytesRead), fileBytes: size, gzip: true };
}

function toLastLine(buffer: Buffer): Buffer {
  const end = buffer.lastIndexOf(LF);
  return end === -1 ? buffer.subarray(0, 0) : buffer.subarray(0, end + 1);
}

function csvTable(bytes: SampledBytes, format: SourceFormat): ReadTable {
  const text = bytes.head.toString("utf8");
  const own = format === "tsv" ? "\t" : ",";
  const delimiter = detectDelimiter(text, own);
  const records = parseCsv(text, delimiter);
  if (records.length === 0) return { columns: [], rows: [], header: true, bytesUsed: bytes.head.length };
  const header = !looksLikeData(records[0]);
  const named = header ? records[0] : records[0].map((_, index) => `column${index + 1}`);
  const columns = distinctNames(named);
  const rows = header ? records.slice(1) : records;
  // Started mid-file, a stretch may begin inside a quoted field; where fields span lines that is likely, so only the start is read.
  const multiline = rows.some((row) => row.some((field) => field.includes("\n")));
  const chunks = multiline ? [] : bytes.chunks;
  for (const chunk of chunks) rows.push(...parseCsv(chunk.toString("utf8"), delimiter));
  return {
    columns,
    rows: rows.filter((row) => row.length === columns.length),
    header,
    ...(delimiter !== own ? { delimiter } : {}),
    ...(columns.some((column, index) => column !== named[index]) ? { renamed: true } : {}),
    bytesUsed: chunks.reduce((sum, chunk) => sum + chunk.length, bytes.head.length),
  };
}

/** Repeated names made distinct (`name`, `name2`); unnamed columns may repeat, as a run allows. */
function distinctNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.map((name) => (name === "" ? name : unique(name, seen)));
}

function jsonlTable(bytes: SampledBytes): ReadTable {
  const records: Array<Record<string, unknown>> = [];
  for (const buffer of [bytes.head, ...bytes.chunks]) {
    for (const line of buffer.toString("utf8").replace(/^\uFEFF/, "").split("\n")) {
      if (line.trim() === "") continue;
      try {
        const value: unknown = JSON.parse(line);
        if (value !== null && typeof value === "object" && !Array.isArray(value)) records.push(value as Record<string, unknown>);
      } catch {
        // A line a run would reject says nothing about the others.
      }
    }
  }
  const columns = [...new Set(records.flatMap((record) => Object.keys(record)))];
  const bytesUsed = bytes.chunks.reduce((sum, chunk) => sum + chunk.length, bytes.head.length);
  return { columns, rows: records.map((record) => columns.map((column) => record[column])), header: true, bytesUsed };
}
