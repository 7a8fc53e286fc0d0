import { open } from "node:fs/promises";
import { GraphloadError } from "../errors.js";
import type { InputEntry } from "./input-entry.js";
import { parseLocation } from "./input-location.js";

/**
 * An input read by byte ranges rather than streamed, as a format that starts from its end
 * (Parquet's footer) needs: hyparquet's AsyncBuffer, plus closing.
 */
export interface ByteRanges {
  readonly byteLength: number;
  slice(start: number, end?: number): Promise<ArrayBuffer>;
  close(): Promise<void>;
}

/** An input's byte ranges; `onRead` hears of every byte read, for progress. */
export async function openInputRanges(entry: InputEntry, onRead: (bytes: number) => void = () => {}): Promise<ByteRanges> {
  const parsed = parseLocation(entry.location);
  if (parsed.kind !== "local") {
    throw new GraphloadError("GL_NOT_APPLICABLE", `${entry.name}: Parquet is read by byte ranges from local files only; download it first`, { source: entry.name });
  }
  return fileRanges(parsed.path, onRead);
}

/** A local file through one file handle, each range read straight into a buffer of its own. */
export async function fileRanges(path: string, onRead: (bytes: number) => void = () => {}): Promise<ByteRanges> {
  const handle = await open(path, "r");
  const { size } = await handle.stat();
  return {
    byteLength: size,
    async slice(start, end = size) {
      const buffer = new ArrayBuffer(Math.max(0, Math.min(end, size) - start));
      const bytes = new Uint8Array(buffer);
      for (let done = 0; done < bytes.length; ) {
        const { bytesRead } = await handle.read(bytes, done, bytes.length - done, start + done);
        if (bytesRead === 0) break;
        done += bytesRead;
        onRead(bytesRead);
      }
      return buffer;
    },
    close: () => handle.close(),
  };
}
