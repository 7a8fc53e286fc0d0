#!/usr/bin/env node
// The Parquet reader alone: hyparquet (with hyparquet-compressors) reads every row of a file
// as an object, one row group at a time through a file handle, and touches each row; prints
// rows/s as JSON. How the reader was chosen against others: bench/RESULTS.md, "Parquet".
//   node bench/parquet-reader.mjs file.parquet
import { open } from "node:fs/promises";
import { parquetMetadataAsync, parquetRead } from "hyparquet";
import { compressors } from "hyparquet-compressors";

const handle = await open(process.argv[2], "r");
const { size } = await handle.stat();
const file = {
  byteLength: size,
  async slice(start, end = size) {
    const bytes = new Uint8Array(end - start);
    await handle.read(bytes, 0, bytes.length, start);
    return bytes.buffer;
  },
};
const started = performance.now();
const metadata = await parquetMetadataAsync(file);
let rows = 0;
let first = 0;
let check = 0;
for (const group of metadata.row_groups) {
  const count = Number(group.num_rows);
  await parquetRead({
    file,
    metadata,
    compressors,
    rowStart: first,
    rowEnd: first + count,
    rowFormat: "object",
    onComplete: (read) => {
      for (const row of read) check ^= row.name?.length ?? 0;
      rows += read.length;
    },
  });
  first += count;
}
await handle.close();
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ rows, seconds: +seconds.toFixed(2), rowsPerSecond: Math.round(rows / seconds), rowGroups: metadata.row_groups.length, check }));
