import { describe, expect, it, vi } from "vitest";
import type { Pipeline } from "../../../src/model/pipeline.js";
import { peopleRun, runOnFakes as run, seqRowsCsv as rowsCsv } from "../../support/engine-run.js";
import { MemoryCheckpointStore } from "../../support/memory-checkpoint-store.js";
import { MemorySink } from "../../support/memory-sink.js";
import { ManualLeaseTimer } from "../../support/manual-lease-timer.js";
import { workDir } from "../../support/run-fixture.js";
import { until } from "../../support/until.js";

const people = (dir: string, settings: Record<string, unknown> = {}): Pipeline => peopleRun(dir, { mode: "create", ...settings });

describe("one run of a pipeline at a time", () => {
  it("refuses a second run while one is live, plain, --resume or --fresh, writing nothing and touching no state; the first finishes exact", async () => {
    const dir = workDir({ "rows.csv": rowsCsv(2000) });
    const pipeline = people(dir, { batchSize: 20, concurrency: 1 });
    const store = new MemoryCheckpointStore("people");
    const sink = new MemorySink(store, { latencyMs: 2 });
    const first = run(pipeline, dir, store, sink);
    await until(() => sink.committed.length >= 3, 1);
    const record = store.record;
    for (const flags of [{}, { resume: true }, { fresh: true }]) {
      const markers = store.markers.size;
      const second = new MemorySink(store);
      await expect(run(pipeline, dir, store, second, flags)).rejects.toMatchObject({ code: "GL_RUN_IN_PROGRESS" });
      expect(second.attempts).toEqual([]);
      expect(second.statements).toEqual([]);
      expect(store.record).toBe(record);
      expect(store.markers.size).toBeGreaterThanOrEqual(markers);
    }
    const summary = await first;
    expect(summary.status).toBe("completed");
    expect(sink.rows.map((row) => Number((row as string[])[1])).sort((a, b) => a - b)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
    expect(store.storedLease).toBeUndefined();
  });

  it("releases the lease when a run fails, and when it cannot begin", async () => {
    const dir = workDir({ "rows.csv": rowsCsv(100) });
    const store = new MemoryCheckpointStore("people");
    const failed = await run(people(dir, { batchSize: 10 }), dir, store, new MemorySink(store, { fault: () => "fatal" }));
    expect(failed.status).toBe("failed");
    expect(store.storedLease).toBeUndefined();
    await expect(run(people(dir), dir, store, new MemorySink(store))).rejects.toMatchObject({ code: "GL_INTERRUPTED_RUN" });
    expect(store.storedLease).toBeUndefined();
  });

  it("stops writing once another run took the lease over: batches are refused at once, the renewal fails the run", async () => {
    const dir = workDir({ "rows.csv": rowsCsv(2000) });
    const clock = { now: Date.UTC(2026, 10, 29, 2, 0, 0) };
    const store = new MemoryCheckpointStore("people", { now: () => clock.now });
    const timer = new ManualLeaseTimer();
    const sink = new MemorySink(store, { latencyMs: 2 });
    const running = run(people(dir, { batchSize: 20, concurrency: 2 }), dir, store, sink, { timers: { sleep: async () => undefined, lease: timer } });
    await until(() => sink.committed.length >= 3, 1);
    clock.now += 61_000;
    const taken = await store.takeLease({ token: "other", host: "batch-7", pid: 4242 }, 60_000, (held) => held.lapsed);
    expect(taken.taken).toBe(true);
    const committedAtTakeover = sink.committed.length;
    await timer.tick();
    const summary = await running;
    expect(summary.status).toBe("failed");
    expect(summary.toJSON().error?.code).toBe("GL_LEASE_LOST");
    // Batches in flight at the takeover are refused too: their markers find another holder.
    expect(sink.committed.length).toBe(committedAtTakeover);
    expect(store.storedLease?.token).toBe("other");
  });

  it("does not mark a run completed once another run took its lease over after its last batch: GL_LEASE_LOST, resumable", async () => {
    const dir = workDir({ "rows.csv": rowsCsv(100) });
    const clock = { now: Date.UTC(2026, 10, 29, 2, 0, 0) };
    const store = new MemoryCheckpointStore("people", { now: () => clock.now });
    const complete = store.complete.bind(store);
    vi.spyOn(store, "complete").mockImplementation(async (...args) => {
      clock.now += 61_000;
      expect((await store.takeLease({ token: "other", host: "batch-7", pid: 4242 }, 60_000, (held) => held.lapsed)).taken).toBe(true);
      return complete(...args);
    });
    const summary = await run(people(dir, { batchSize: 20 }), dir, store, new MemorySink(store));
    expect(summary.status).toBe("failed");
    expect(summary.toJSON().error?.code).toBe("GL_LEASE_LOST");
    expect(store.record?.status).toBe("running");
    expect(store.markers.size).toBe(5);
    expect(store.storedLease?.token).toBe("other");
  });
});
