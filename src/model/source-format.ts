import type { SourceFormat } from "./pipeline.js";

const EXTENSIONS: ReadonlyMap<string, SourceFormat> = new Map([
  [".csv", "csv"],
  [".tsv", "tsv"],
  [".jsonl", "jsonl"],
  [".ndjson", "jsonl"],
  [".parquet", "parquet"],
]);

/**
 * The format a file name announces: `.csv`, `.tsv`, `.jsonl`, `.ndjson`, each optionally followed
 * by `.gz`, or `.parquet` (compressed inside, page by page).
 */
export function detectFormat(path: string): { format: SourceFormat; gzip: boolean } | undefined {
  const lower = path.toLowerCase();
  const gzip = lower.endsWith(".gz");
  const name = gzip ? lower.slice(0, -3) : lower;
  const format = EXTENSIONS.get(name.slice(name.lastIndexOf(".")));
  return format ? { format, gzip } : undefined;
}
