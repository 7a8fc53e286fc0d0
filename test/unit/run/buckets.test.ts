import { describe, expect, it } from "vitest";
import { int } from "neo4j-driver";
import { keyHash } from "../../../src/plan/key-hash.js";
import { bucketOf, bucketsFor, laneOf } from "../../../src/run/buckets.js";

describe("buckets", () => {
  it("hashes a key the same in every run, integers like their text, and spreads keys over all buckets", () => {
    expect(keyHash(["Person|id", int(42)])).toBe(keyHash(["Person|id", "42"]));
    expect(keyHash(["Person|id", 1])).not.toBe(keyHash(["Company|id", 1]));
    expect(new Set(Array.from({ length: 1000 }, (_, i) => bucketOf(keyHash([int(i)]), 10))).size).toBe(10);
  });

  it("keeps hashes in 32 signed bits and puts a key in the bucket its unsigned hash names, as runs before did", () => {
    const hashes = Array.from({ length: 1000 }, (_, i) => keyHash([String(i)]));
    expect(hashes.every((hash) => hash === (hash | 0))).toBe(true);
    expect(hashes.some((hash) => hash < 0)).toBe(true);
    // A resumed run finds its rows in the lanes an earlier run numbered them in.
    expect(keyHash(["Person|id", "1"])).toBe(-1161036078);
    expect(bucketOf(keyHash(["Person|id", "1"]), 10)).toBe(8);
    expect(bucketOf(keyHash(["Person|id", "2"]), 10)).toBe(7);
  });

  it("numbers every unordered pair of buckets once", () => {
    const buckets = bucketsFor(4);
    const lanes = new Set<number>();
    for (let a = 0; a < buckets; a++) {
      for (let b = a; b < buckets; b++) {
        expect(laneOf(b, a, buckets)).toBe(laneOf(a, b, buckets));
        lanes.add(laneOf(a, b, buckets));
      }
    }
    expect([...lanes].sort((x, y) => x - y)).toEqual(Array.from({ length: (buckets * (buckets + 1)) / 2 }, (_, i) => i));
  });
});
