import { describe, expect, it } from "vitest";
import { BatchScheduler } from "../../../src/run/batch-scheduler.js";

/** Jobs that finish when the test says, recording what started and what ran at once. */
function harness(limit: number) {
  const scheduler = new BatchScheduler(limit, 4);
  const running = new Map<string, { keys: ReadonlySet<number>; finish: () => void }>();
  const started: string[] = [];
  const overlaps: string[] = [];
  const job = (name: string, keys: ReadonlySet<number>) => () => {
    started.push(name);
    for (const [other, entry] of running) if ([...keys].some((key) => entry.keys.has(key))) overlaps.push(`${name}+${other}`);
    return new Promise<void>((resolve) => running.set(name, { keys, finish: () => (running.delete(name), resolve()) }));
  };
  const finish = async (name: string) => {
    running.get(name)!.finish();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { scheduler, running, started, overlaps, job, finish };
}

describe("BatchScheduler", () => {
  it("never runs two jobs sharing a key, and starts jobs sharing a key in submission order", async () => {
    const { scheduler, started, overlaps, job, finish } = harness(4);
    const group = scheduler.group({ concurrency: 4, maxQueued: 10 });
    await scheduler.submit(group, new Set([1]), job("a", new Set([1])));
    await scheduler.submit(group, new Set([1, 2]), job("b", new Set([1, 2])));
    // c shares key 2 with b, which waits: c waits behind it although key 2 is free.
    await scheduler.submit(group, new Set([2]), job("c", new Set([2])));
    await scheduler.submit(group, new Set([3]), job("d", new Set([3])));
    expect(started).toEqual(["a", "d"]);
    await finish("a");
    expect(started).toEqual(["a", "d", "b"]);
    await finish("b");
    expect(started).toEqual(["a", "d", "b", "c"]);
    expect(overlaps).toEqual([]);
  });

  it("runs jobs whose keys fall in the same bucket side by side when they share no key", async () => {
    const { scheduler, started, overlaps, job } = harness(4);
    const group = scheduler.group({ concurrency: 4, maxQueued: 10 });
    const hash = 2 ** 32 - 3;
    await scheduler.submit(group, new Set([1, hash]), job("a", new Set([1, hash])));
    await scheduler.submit(group, new Set([5, 9]), job("b", new Set([5, 9])));
    await scheduler.submit(group, new Set([hash]), job("c", new Set([hash])));
    expect(started).toEqual(["a", "b"]);
    expect(overlaps).toEqual([]);
  });

  it("keeps each group within its concurrency and the whole within the limit", async () => {
    const { scheduler, running, job, finish } = harness(3);
    const one = scheduler.group({ concurrency: 2, maxQueued: 10 });
    const two = scheduler.group({ concurrency: 2, maxQueued: 10 });
    for (const name of ["a1", "a2", "a3"]) await scheduler.submit(one, new Set(), job(name, new Set()));
    for (const name of ["b1", "b2"]) await scheduler.submit(two, new Set(), job(name, new Set()));
    expect([...running.keys()]).toEqual(["a1", "a2", "b1"]);
    // The oldest job that fits goes first: a3 was submitted before b2.
    await finish("a1");
    expect([...running.keys()]).toEqual(["a2", "b1", "a3"]);
  });

  it("makes a submitter wait while its group has too many jobs queued, and drains a group", async () => {
    const { scheduler, job, finish } = harness(1);
    const group = scheduler.group({ concurrency: 1, maxQueued: 1 });
    await scheduler.submit(group, new Set(), job("a", new Set()));
    let returned = false;
    const second = scheduler.submit(group, new Set(), job("b", new Set())).then(() => (returned = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(returned).toBe(false);
    await finish("a");
    await second;
    let drained = false;
    const drain = scheduler.drain(group).then(() => (drained = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(drained).toBe(false);
    await finish("b");
    await drain;
  });
});
