import type { ReadFrom, RecordSource, SourceItem } from "./source-record.js";

/** `chunks` and `records` of a source that can be read once, by either. */
export function readOnce(name: string, open: (from?: ReadFrom) => AsyncIterable<SourceItem[]>): Pick<RecordSource, "chunks" | "records"> {
  let opened = false;
  const chunks = (from?: ReadFrom): AsyncIterable<SourceItem[]> => {
    if (opened) throw new Error(`${name} has been read already`);
    opened = true;
    return open(from);
  };
  return {
    chunks,
    records: (from) => {
      const read = chunks(from);
      return (async function* () {
        for await (const chunk of read) yield* chunk;
      })();
    },
  };
}
