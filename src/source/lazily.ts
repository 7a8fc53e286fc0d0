import type { SourceItem } from "./source-record.js";

/**
 * A reader's records with its module imported only when they are first read. Start-up is
 * CPU time every run pays, so no reader is imported with the modules that choose one: a
 * plain CSV run loads no database client, SDK, Parquet reader or JSON Lines parser. A new
 * source kind or format is opened the same way, and keeps its heavy packages out of the
 * modules above it:
 *
 *     lazily(() => import("./kind-records.js"), (reader) => reader.kindRecords(spec, name, from))
 */
export async function* lazily<M>(load: () => Promise<M>, read: (reader: M) => AsyncIterable<SourceItem[]>): AsyncGenerator<SourceItem[]> {
  yield* read(await load());
}
