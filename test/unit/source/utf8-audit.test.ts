import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describe, expect, it } from "vitest";
import { Utf8Audit } from "../../../src/source/utf8-audit.js";

/** Pieces that decode independently of their neighbours, each with the notes its U+FFFD should leave. */
const PIECES: { bytes: number[]; notes: boolean[] }[] = [
  { bytes: [...Buffer.from("plain ascii")], notes: [] },
  { bytes: [...Buffer.from("é€𝄞")], notes: [] },
  { bytes: [0xef, 0xbf, 0xbd], notes: [false] },
  { bytes: [0xff], notes: [true] },
  { bytes: [0x80, 0x80], notes: [true, true] },
  { bytes: [0xc3], notes: [true] },
  { bytes: [0xe2, 0x82], notes: [true] },
  { bytes: [0xf0, 0x9d, 0x84], notes: [true] },
  { bytes: [0xc0, 0xaf], notes: [true, true] },
  { bytes: [0xe0, 0x80, 0xaf], notes: [true, true, true] },
  { bytes: [0xed, 0xa0, 0x80], notes: [true, true, true] },
  { bytes: [0xf4, 0x90, 0x80, 0x80], notes: [true, true, true, true] },
  { bytes: [0xf5], notes: [true] },
];

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

async function audit(input: Buffer, chunkSizes: () => number): Promise<Utf8Audit> {
  const chunks: Buffer[] = [];
  for (let at = 0; at < input.length; ) {
    const size = chunkSizes();
    chunks.push(input.subarray(at, at + size));
    at += size;
  }
  const auditor = new Utf8Audit();
  await pipeline(Readable.from(chunks), auditor, new Writable({ write: (_chunk, _encoding, done) => done() }));
  return auditor;
}

describe("Utf8Audit", () => {
  it("notes every U+FFFD the decoder produces, whether invalid bytes or genuine, however the input is cut", async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const next = random(seed);
      const expected: boolean[] = [];
      const bytes: number[] = [];
      for (let i = 0; i < 200; i++) {
        const piece = PIECES[Math.floor(next() * PIECES.length)];
        bytes.push(...piece.bytes, 0x2c);
        expected.push(...piece.notes);
      }
      const input = Buffer.from(bytes);
      expect(input.toString("utf8").split("\uFFFD").length - 1).toBe(expected.length);
      const auditor = await audit(input, () => 1 + Math.floor(next() * 7));
      const taken = expected.map(() => auditor.takeInvalid(1));
      expect(taken).toEqual(expected);
      expect(auditor.pending).toBe(false);
    }
  });

  it("passes valid input without notes and notes a sequence cut off by the end", async () => {
    const valid = await audit(Buffer.from("a,é\n€,𝄞\n".repeat(1000)), () => 5);
    expect(valid.pending).toBe(false);
    const cut = await audit(Buffer.from([0x61, 0xe2, 0x82]), () => 2);
    expect(cut.pending).toBe(true);
    expect(cut.takeInvalid(1)).toBe(true);
  });

  it("takes several notes at once and tells whether any was invalid", async () => {
    const auditor = await audit(Buffer.from([0xef, 0xbf, 0xbd, 0x2c, 0xff, 0x2c, 0xef, 0xbf, 0xbd]), () => 64);
    expect(auditor.takeInvalid(2)).toBe(true);
    expect(auditor.takeInvalid(1)).toBe(false);
    expect(auditor.pending).toBe(false);
  });
});
