import type { FileMetaData } from "hyparquet";
import { InvalidValue } from "../convert/invalid-value.js";
import { GraphloadError } from "../errors.js";
import { fileRanges, type ByteRanges } from "../input/input-ranges.js";
import type { DecimalMode } from "../model/pipeline.js";
import { parquetColumns, RAW_PARSERS, type ParquetColumn } from "./parquet-types.js";
import { sourceError } from "./source-error.js";
import type { SourceItem } from "./source-record.js";

/** Records handed to the engine at a time: a row group is cut into chunks of this many. */
const CHUNK_ROWS = 4096;

/** The columns of a Parquet file and their types, from its footer alone: what the column check and `graphload import`'s headers read. */
export async function parquetFileColumns(path: string, name: string): Promise<ParquetColumn[]> {
  const input = await openRanges(() => fileRanges(path), name);
  try {
    const { hyparquet } = await loadReader();
    return parquetColumns(hyparquet.parquetSchema(await readFooter(hyparquet, input, name)), "float");
  } finally {
    await input.close();
  }
}

/**
 * The rows of a Parquet file, a row group at a time and never more: each group's column
 * chunks are read by byte range, decoded, converted to Neo4j's types (parquet-types.ts) and
 * handed over in chunks of records. A row's `line` is its number in the file, from 1; a
 * null leaves its column null. hyparquet is loaded here, when a Parquet file is opened, so
 * runs that read none never load it.
 */
export async function* parquetRecords(openInput: () => Promise<ByteRanges>, name: string, decimal: DecimalMode): AsyncGenerator<SourceItem[]> {
  const input = await openRanges(openInput, name);
  try {
    const { hyparquet, compressors } = await loadReader();
    const metadata = await readFooter(hyparquet, input, name);
    const columns = parquetColumns(hyparquet.parquetSchema(metadata), decimal).filter((column) => column.convert);
    let first = 0;
    for (const group of metadata.row_groups) {
      const count = Number(group.num_rows);
      let rows: Record<string, unknown>[] = [];
      try {
        await hyparquet.parquetRead({
          file: input,
          metadata,
          compressors,
          parsers: RAW_PARSERS,
          utf8: false,
          rowStart: first,
          rowEnd: first + count,
          rowFormat: "object",
          onComplete: (read) => (rows = read),
        });
      } catch (error) {
        throw invalidParquet(error, name, `row group at row ${first + 1}`);
      }
      for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
        yield convertRows(rows, start, Math.min(start + CHUNK_ROWS, rows.length), first, columns);
      }
      first += count;
    }
  } finally {
    await input.close();
  }
}

type Hyparquet = typeof import("hyparquet");

async function loadReader(): Promise<{ hyparquet: Hyparquet; compressors: import("hyparquet").Compressors }> {
  const [hyparquet, { compressors }] = await Promise.all([import("hyparquet"), import("hyparquet-compressors")]);
  return { hyparquet, compressors };
}

async function openRanges(openInput: () => Promise<ByteRanges>, name: string): Promise<ByteRanges> {
  try {
    return await openInput();
  } catch (error) {
    throw sourceError(error, name);
  }
}

async function readFooter(hyparquet: Hyparquet, input: ByteRanges, name: string): Promise<FileMetaData> {
  try {
    return await hyparquet.parquetMetadataAsync(input);
  } catch (error) {
    throw invalidParquet(error, name, "footer");
  }
}

/** hyparquet's plain Errors (a bad magic number, a page that does not decode) as the source's error. */
function invalidParquet(error: unknown, name: string, where: string): GraphloadError {
  if (error instanceof GraphloadError || (error as NodeJS.ErrnoException).code !== undefined) return sourceError(error, name);
  const reason = error instanceof Error ? error.message : String(error);
  return new GraphloadError("GL_READ_FAILED", `${name}: not a valid Parquet file (${where}: ${reason}); is it whole, and Parquet?`, { source: name }, { cause: error });
}

/** Converts rows [start, end) in place; a row with a value Neo4j cannot hold is set aside as malformed. */
function convertRows(rows: Record<string, unknown>[], start: number, end: number, first: number, columns: readonly ParquetColumn[]): SourceItem[] {
  const items = new Array<SourceItem>(end - start);
  for (let i = start; i < end; i++) {
    const values = rows[i];
    const line = first + i + 1;
    let column = "";
    try {
      for (const { name, convert } of columns) {
        column = name;
        const value = values[name];
        if (value !== null && value !== undefined) values[name] = convert!(value);
      }
      items[i - start] = { kind: "record", line, values };
    } catch (error) {
      if (!(error instanceof InvalidValue)) throw error;
      items[i - start] = { kind: "malformed", line, raw: JSON.stringify(values, (_, value) => (typeof value === "bigint" ? value.toString() : value)), code: "GL_BAD_VALUE", message: `column "${column}": ${error.message}` };
    }
  }
  // The group's rows are released chunk by chunk as the engine takes them.
  for (let i = start; i < end; i++) rows[i] = undefined as never;
  return items;
}
