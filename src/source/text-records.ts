import { pipeline, Transform, type Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { CHUNK_BYTES } from "../input/local-inputs.js";
import type { SourceFormat, SourceSpec } from "../model/pipeline.js";
import { lazily } from "./lazily.js";
import type { SourceItem } from "./source-record.js";

/** The records of one input's bytes: counted as they arrive (compressed bytes for gzip), then decompressed and parsed. */
export function textRecords(spec: Extract<SourceSpec, { format: SourceFormat }>, input: () => NodeJS.ReadableStream, gzip: boolean, name: string, count: (bytes: number) => void): AsyncIterable<SourceItem[]> {
  const openBytes = (): Readable => {
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        count(chunk.length);
        done(null, chunk);
      },
    });
    // A failure anywhere reaches the reader through the last stream; destroying that one closes the input.
    const ignore = (): void => {};
    return gzip ? pipeline(input(), counter, createGunzip({ chunkSize: CHUNK_BYTES }), ignore) : pipeline(input(), counter, ignore);
  };
  // Each format's parser is imported when its first file is read (lazily.ts).
  return spec.format === "jsonl"
    ? lazily(() => import("./jsonl-records.js"), (reader) => reader.jsonlRecords(openBytes, name))
    : lazily(() => import("./csv-records.js"), (reader) => reader.csvRecords(openBytes, spec.csv, name));
}
