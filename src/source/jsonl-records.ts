import { isUtf8 } from "node:buffer";
import type { Readable } from "node:stream";
import type { ErrorCode } from "../error-codes.js";
import { GraphloadError } from "../errors.js";
import { sourceError } from "./source-error.js";
import type { MalformedRecord, SourceItem } from "./source-record.js";

const LF = 10;
const BOM = 0xfeff;
/** A line this long is no JSON Lines record; holding it would let memory grow with the input. */
const MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * The records of JSON Lines bytes, a chunk of input at a time: one JSON object per line, blank lines skipped. Lines are
 * split on bytes; a stretch of whole lines that is valid UTF-8 (the usual case) is decoded
 * at once, otherwise each line is checked on its own so only the broken ones are rejected.
 * `openBytes` is called on the first read, so a generator never iterated opens nothing.
 */
export async function* jsonlRecords(openBytes: () => Readable, source: string): AsyncGenerator<SourceItem[]> {
  let line = 0;
  let partial: Buffer[] = [];
  let partialBytes = 0;
  const bytes = openBytes();
  try {
    for await (const chunk of bytes) {
      const lastBreak = chunk.lastIndexOf(LF);
      if (lastBreak === -1) {
        partialBytes += chunk.length;
        if (partialBytes > MAX_LINE_BYTES) {
          throw new GraphloadError("GL_LINE_TOO_LONG", `line ${line + 1} is longer than ${MAX_LINE_BYTES} bytes`, { line: line + 1 });
        }
        partial.push(chunk);
        continue;
      }
      const items: SourceItem[] = [];
      const whole = partial.length > 0 ? Buffer.concat([...partial, chunk.subarray(0, lastBreak + 1)]) : chunk.subarray(0, lastBreak + 1);
      partial = lastBreak + 1 < chunk.length ? [chunk.subarray(lastBreak + 1)] : [];
      partialBytes = chunk.length - lastBreak - 1;
      if (isUtf8(whole)) {
        const text = whole.toString("utf8");
        for (let from = 0; from < text.length; ) {
          const to = text.indexOf("\n", from);
          const item = parseLine(text.slice(from, to), ++line);
          if (item) items.push(item);
          from = to + 1;
        }
      } else {
        for (let from = 0; from < whole.length; ) {
          const to = whole.indexOf(LF, from);
          const item = decodeLine(whole.subarray(from, to), ++line);
          if (item) items.push(item);
          from = to + 1;
        }
      }
      if (items.length > 0) yield items;
    }
  } catch (error) {
    throw sourceError(error, source);
  } finally {
    bytes.destroy();
  }
  if (partial.length > 0) {
    const item = decodeLine(Buffer.concat(partial), ++line);
    if (item) yield [item];
  }
}

function decodeLine(bytes: Buffer, line: number): SourceItem | undefined {
  if (isUtf8(bytes)) return parseLine(bytes.toString("utf8"), line);
  return malformed(line, bytes.toString("utf8"), "GL_INVALID_UTF8", "the line is not valid UTF-8");
}

/** A blank line yields nothing; it only fails JSON.parse, so the usual line pays no check. */
function parseLine(text: string, line: number): SourceItem | undefined {
  if (line === 1 && text.charCodeAt(0) === BOM) text = text.slice(1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (text.trim() === "") return undefined;
    return malformed(line, text, "GL_MALFORMED_JSON", `not valid JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return malformed(line, text, "GL_MALFORMED_JSON", "the line is not a JSON object");
  }
  return { kind: "record", line, values: value as Record<string, unknown> };
}

function malformed(line: number, raw: string, code: ErrorCode, message: string): MalformedRecord {
  return { kind: "malformed", line, raw: raw.endsWith("\r") ? raw.slice(0, -1) : raw, code, message };
}
