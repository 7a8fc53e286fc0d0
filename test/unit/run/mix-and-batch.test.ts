import { describe, expect, it } from "vitest";
import { int } from "neo4j-driver";
import { LaneDispatcher } from "../../../src/run/lane-dispatcher.js";
import { bucketOf, bucketsFor, laneBuckets, laneOf } from "../../../src/run/mix-and-batch.js";

describe("mix and batch lanes", () => {
  it("puts a node in the same bucket whichever endpoint it is, and integers like their text", () => {
    expect(bucketOf([int(42)], 10)).toBe(bucketOf([int(42)], 10));
    expect(bucketOf([int(42)], 10)).toBe(bucketOf(["42"], 10));
    const spread = new Set(Array.from({ length: 1000 }, (_, i) => bucketOf([int(i)], 10)));
    expect(spread.size).toBe(10);
  });

  it("numbers every unordered bucket pair once, and each lane touches exactly its pair", () => {
    const buckets = bucketsFor(4);
    const lanes = laneBuckets(buckets);
    expect(lanes).toHaveLength((buckets * (buckets + 1)) / 2);
    for (let a = 0; a < buckets; a++) {
      for (let b = 0; b < buckets; b++) {
        const lane = laneOf(a, b, buckets);
        expect(laneOf(b, a, buckets)).toBe(lane);
        expect(new Set(lanes[lane])).toEqual(new Set([a, b]));
      }
    }
  });
});

describe("LaneDispatcher", () => {
  /** Jobs that finish when the test says, recording what ran at once. */
  function harness(concurrency: number, maxQueued: number) {
    const dispatcher = new LaneDispatcher(concurrency, maxQueued);
    const running = new Map<string, { buckets: readonly number[]; finish: () => void }>();
    const overlaps: string[] = [];
    let peak = 0;
    const submit = (name: string, buckets: number[]) =>
      dispatcher.submit(buckets, () => {
        for (const [other, job] of running) if (job.buckets.some((b) => buckets.includes(b))) overlaps.push(`${name}+${other}`);
        return new Promise<void>((resolve) => {
          running.set(name, { buckets, finish: () => (running.delete(name), resolve()) });
          peak = Math.max(peak, running.size);
        });
      });
    const finish = async (name: string) => {
      running.get(name)!.finish();
      await new Promise((resolve) => setImmediate(resolve));
    };
    return { dispatcher, running, overlaps, submit, finish, peak: () => peak };
  }

  it("never runs two jobs sharing a bucket, and takes the oldest job that fits", async () => {
    const h = harness(3, 10);
    await h.submit("a", [0, 1]);
    await h.submit("b", [1, 2]);
    await h.submit("c", [3]);
    await h.submit("d", [2, 4]);
    expect([...h.running.keys()]).toEqual(["a", "c", "d"]);
    await h.finish("a");
    expect([...h.running.keys()]).toEqual(["c", "d"]);
    await h.finish("d");
    expect([...h.running.keys()]).toEqual(["c", "b"]);
    await h.finish("b");
    await h.finish("c");
    await h.dispatcher.drain();
    expect(h.overlaps).toEqual([]);
  });

  it("holds the submitter while too many jobs wait, and drains", async () => {
    const h = harness(1, 2);
    await h.submit("a", [0]);
    await h.submit("b", [0]);
    let third = false;
    const submitted = h.submit("c", [0]).then(() => (third = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(third).toBe(false);
    await h.finish("a");
    await submitted;
    expect(third).toBe(true);
    let drained = false;
    const draining = h.dispatcher.drain().then(() => (drained = true));
    await h.finish("b");
    expect(drained).toBe(false);
    await h.finish("c");
    await draining;
    expect(h.peak()).toBe(1);
  });
});
