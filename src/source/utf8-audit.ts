import { isUtf8 } from "node:buffer";
import { Transform, type TransformCallback } from "node:stream";

/** How a genuine U+FFFD is encoded: it decodes to the same character as an invalid sequence. */
const REPLACEMENT_CHARACTER = Buffer.from("\uFFFD");

/**
 * Passes bytes through unchanged, noting in input order, for every U+FFFD that decoding them
 * will produce, whether it replaces invalid bytes or was in the input. A reader downstream
 * tells whether a record was valid UTF-8 by counting the U+FFFD in its decoded text and
 * taking that many notes. Runs the decoder of the WHATWG Encoding Standard (the one Node
 * decodes with), so it finds the same invalid sequences; a chunk that is valid UTF-8 and
 * holds no U+FFFD is checked natively and leaves no notes.
 */
export class Utf8Audit extends Transform {
  /** true: U+FFFD standing for invalid bytes; false: U+FFFD that was in the input. */
  private notes: boolean[] = [];
  private taken = 0;
  private needed = 0;
  private seen = 0;
  private codePoint = 0;
  private lower = 0x80;
  private upper = 0xbf;

  /** Whether some U+FFFD of the decoded text has not been taken yet. */
  get pending(): boolean {
    return this.taken < this.notes.length;
  }

  /** Takes the notes of the next `count` U+FFFD; true when any of them replaced invalid bytes. */
  takeInvalid(count: number): boolean {
    let invalid = false;
    const end = Math.min(this.taken + count, this.notes.length);
    for (; this.taken < end; this.taken++) invalid ||= this.notes[this.taken];
    if (this.taken === this.notes.length) {
      this.notes = [];
      this.taken = 0;
    }
    return invalid;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.scan(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.needed > 0) this.fail();
    callback();
  }

  private scan(chunk: Buffer): void {
    let start = 0;
    while (this.needed > 0 && start < chunk.length) this.step(chunk[start++]);
    const end = completeSequencesEnd(chunk, start);
    const body = chunk.subarray(start, end);
    if (!isUtf8(body) || body.includes(REPLACEMENT_CHARACTER)) {
      for (let i = start; i < end; i++) this.step(chunk[i]);
    }
    for (let i = end; i < chunk.length; i++) this.step(chunk[i]);
  }

  private step(byte: number): void {
    if (this.needed === 0) {
      if (byte < 0x80) return;
      if (byte >= 0xc2 && byte <= 0xdf) {
        this.begin(1, byte & 0x1f);
      } else if (byte >= 0xe0 && byte <= 0xef) {
        if (byte === 0xe0) this.lower = 0xa0;
        if (byte === 0xed) this.upper = 0x9f;
        this.begin(2, byte & 0x0f);
      } else if (byte >= 0xf0 && byte <= 0xf4) {
        if (byte === 0xf0) this.lower = 0x90;
        if (byte === 0xf4) this.upper = 0x8f;
        this.begin(3, byte & 0x07);
      } else {
        this.notes.push(true);
      }
      return;
    }
    if (byte < this.lower || byte > this.upper) {
      // The standard ends the broken sequence here and reads this byte afresh.
      this.fail();
      this.step(byte);
      return;
    }
    this.lower = 0x80;
    this.upper = 0xbf;
    this.codePoint = (this.codePoint << 6) | (byte & 0x3f);
    if (++this.seen === this.needed) {
      if (this.codePoint === 0xfffd) this.notes.push(false);
      this.needed = 0;
    }
  }

  private begin(needed: number, bits: number): void {
    this.needed = needed;
    this.seen = 0;
    this.codePoint = bits;
  }

  private fail(): void {
    this.notes.push(true);
    this.needed = 0;
    this.lower = 0x80;
    this.upper = 0xbf;
  }
}

/** End of the last complete sequence: a sequence cut by the chunk's end goes through the slow path. */
function completeSequencesEnd(chunk: Buffer, start: number): number {
  const floor = Math.max(start, chunk.length - 3);
  let lead = chunk.length - 1;
  while (lead >= floor && (chunk[lead] & 0xc0) === 0x80) lead--;
  if (lead < floor) return chunk.length;
  const byte = chunk[lead];
  const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
  return lead + length > chunk.length ? lead : chunk.length;
}
