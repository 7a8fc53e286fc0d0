import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it, vi } from "vitest";
import { runPipeline } from "../../../src/run/run-pipeline.js";
import type { Pipeline } from "../../../src/model/pipeline.js";
import { peopleRun, runOnFakes as run, seqRowsCsv as rowsCsv } from "../../support/engine-run.js";
import { MemoryCheckpointStore } from "../../support/memory-checkpoint-store.js";
import { MemorySink, type Fault, type Transaction } from "../../support/memory-sink.js";
import { buildPipeline, nodeTask, stage } from "../../support/pipeline-builder.js";
import { workDir } from "../../support/run-fixture.js";

const seqOf = (row: unknown): number => Number((row as string[])[1]);
const idOf = (row: unknown): unknown => (row as unknown[])[0];

/** Failing the transaction that holds the row with this seq, on its first attempt only. */
function once(seq: number, fault: Fault): (transaction: Transaction) => Fault | undefined {
  let done = false;
  return (transaction) => {
    if (done || !transaction.rows.some((row) => seqOf(row) === seq)) return undefined;
    done = true;
    return fault;
  };
}

function expectEachRowOnce(sink: MemorySink, count: number): void {
  const seqs = sink.rows.map(seqOf).sort((a, b) => a - b);
  expect(seqs).toEqual(Array.from({ length: count }, (_, i) => i));
}

describe("the engine, against in-memory fakes", () => {
  for (const mode of ["create", "merge"] as const) {
    it(`resumes a ${mode}-mode run that failed, writing every row exactly once`, async () => {
      const dir = workDir({ "rows.csv": rowsCsv(1000, 37) });
      const pipeline = peopleRun(dir, { batchSize: 50, concurrency: 4, mode });
      const store = new MemoryCheckpointStore("people");
      const failing = new MemorySink(store, { fault: once(600, "fatal") });
      const asked = vi.spyOn(store, "committedRanges");
      const first = await run(pipeline, dir, store, failing);
      expect(first.status).toBe("failed");
      // Only a resumed run can find batches committed before it began.
      expect(asked).not.toHaveBeenCalled();
      expect(failing.rows.length).toBeLessThan(1000);

      await expect(run(pipeline, dir, store, new MemorySink(store))).rejects.toMatchObject({ code: "GL_INTERRUPTED_RUN" });
      const healthy = new MemorySink(store);
      const second = await run(pipeline, dir, store, healthy, { resume: true });
      expect(asked).toHaveBeenCalledOnce();
      expect(second.status).toBe("completed");
      expect(second.stages[0].tasks[0].batchesSkipped).toBe(failing.committed.length);
      expect(failing.rows.length + healthy.rows.length).toBe(1000);
      expectEachRowOnce({ rows: [...failing.rows, ...healthy.rows] } as MemorySink, 1000);
      expect(store.markers.size).toBe(0);
    });
  }

  it("counts a batch whose commit was lost and then found by its marker as written once", async () => {
    const dir = workDir({ "rows.csv": rowsCsv(200) });
    const store = new MemoryCheckpointStore("people");
    const sink = new MemorySink(store, { fault: once(120, "unknown-outcome") });
    const summary = await run(peopleRun(dir, { batchSize: 40, concurrency: 2, mode: "create" }), dir, store, sink);
    expect(summary.status).toBe("completed");
    expectEachRowOnce(sink, 200);
    expect(summary.stages[0].tasks[0].retries).toBe(1);
    expect(summary.totals().counters.nodesCreated).toBe(200);
  });

  it("retries deadlocks and lost connections, counting each", async () => {
    const dir = workDir({ "rows.csv": rowsCsv(300) });
    const store = new MemoryCheckpointStore("people");
    const deadlock = once(10, "deadlock");
    const lost = once(250, "lost-connection");
    const sink = new MemorySink(store, { fault: (transaction) => deadlock(transaction) ?? lost(transaction) });
    const summary = await run(peopleRun(dir, { batchSize: 100, concurrency: 2, mode: "create" }), dir, store, sink);
    expectEachRowOnce(sink, 300);
    const task = summary.stages[0].tasks[0];
    expect([task.retries, task.deadlocks, task.rowsWritten]).toEqual([2, 1, 300]);
  });

  it("splits a refused batch until the refused rows stand alone, dead-lettering them at their lines", async () => {
    const dir = workDir({ "rows.csv": rowsCsv(100) });
    const store = new MemoryCheckpointStore("people");
    const refused = new Set([7, 42]);
    const sink = new MemorySink(store, { fault: () => ({ refuseRows: (row) => refused.has(seqOf(row)) }) });
    const summary = await run(peopleRun(dir, { batchSize: 25, concurrency: 2, mode: "create" }), dir, store, sink);
    expect(summary.exitCode).toBe(3);
    expect(sink.rows.map(seqOf).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i).filter((i) => !refused.has(i)));
    const letters = readFileSync(join(dir, "rejected.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line));
    expect(letters.map((letter) => [letter.line, letter.code])).toEqual([
      [9, "Neo.ClientError.Schema.ConstraintValidationFailed"],
      [44, "Neo.ClientError.Schema.ConstraintValidationFailed"],
    ]);
  });

  it("merge mode: never two transactions with the same key at once, and each key's rows in source order", async () => {
    const dir = workDir({ "rows.csv": rowsCsv(4000, 40) });
    const store = new MemoryCheckpointStore("people");
    const sink = new MemorySink(store, { latencyMs: 1, keyOf: idOf });
    const summary = await run(peopleRun(dir, { batchSize: 20, concurrency: 8, mode: "merge" }), dir, store, sink);
    expect(summary.status).toBe("completed");
    expect(sink.overlaps).toEqual([]);
    expectEachRowOnce(sink, 4000);
    const seen = new Map<unknown, number>();
    for (const row of sink.rows) {
      expect(seqOf(row)).toBeGreaterThan(seen.get(idOf(row)) ?? -1);
      seen.set(idOf(row), seqOf(row));
    }
    const peak = Math.max(...sink.committed.map((_, i) => i));
    expect(peak).toBeGreaterThan(0);
  });

  it("merge mode: two tasks of a stage merging one label never write the same key at once", async () => {
    const dir = workDir({ "a.csv": rowsCsv(2000, 30), "b.csv": rowsCsv(2000, 30) });
    const store = new MemoryCheckpointStore("people");
    const sink = new MemorySink(store, { latencyMs: 1, keyOf: idOf });
    const tasks = ["a", "b"].map((name) => nodeTask(name, `${name}.csv`, ["Person"], ["id"], { id: "id", seq: "seq" }));
    const summary = await run(peopleRun(dir, { batchSize: 20, concurrency: 8, mode: "merge" }, tasks), dir, store, sink);
    expect(summary.status).toBe("completed");
    expect(sink.rows).toHaveLength(4000);
    expect(sink.overlaps).toEqual([]);
  });

  it("create mode runs batches side by side", async () => {
    const dir = workDir({ "rows.csv": rowsCsv(2000, 10) });
    const store = new MemoryCheckpointStore("people");
    const sink = new MemorySink(store, { latencyMs: 2, keyOf: idOf });
    await run(peopleRun(dir, { batchSize: 50, concurrency: 4, mode: "create" }), dir, store, sink);
    expect(sink.overlaps.length).toBeGreaterThan(0);
  });

  it("stops retrying at once when the run is aborted, and says it stopped", async () => {
    const dir = workDir({ "rows.csv": rowsCsv(10) });
    const store = new MemoryCheckpointStore("people");
    const sink = new MemorySink(store, { fault: () => "lost-connection" });
    const controller = new AbortController();
    const sleep = (_ms: number, signal?: AbortSignal) => new Promise<void>((resolve) => signal?.addEventListener("abort", () => resolve()));
    setTimeout(() => controller.abort(), 20);
    const summary = await run(peopleRun(dir, { batchSize: 5, concurrency: 1, mode: "create" }), dir, store, sink, { signal: controller.signal, timers: { sleep } });
    expect(summary.status).toBe("stopped");
    expect(sink.committed).toHaveLength(0);
  });

  it("feeds tasks of a stage that read the same source from one read of it", async () => {
    const dir = workDir({});
    const stdin = new PassThrough();
    stdin.end(rowsCsv(500));
    const source = { stdin: true, format: "csv" };
    const tasks = ["a", "b"].map((name) => ({ ...nodeTask(name, "unused.csv", ["Person"], ["id"], { id: "id", seq: "seq" }), source }));
    const store = new MemoryCheckpointStore("people");
    const sink = new MemorySink(store);
    const summary = await run(peopleRun(dir, { batchSize: 100, mode: "create" }, tasks), dir, store, sink, { stdin });
    expect(summary.stages[0].tasks.map((task) => [task.task, task.rowsRead, task.rowsWritten])).toEqual([
      ["a", 500, 500],
      ["b", 500, 500],
    ]);
  });

  it("refuses --resume with --fresh in the library too", async () => {
    const dir = workDir({ "rows.csv": rowsCsv(1) });
    const store = new MemoryCheckpointStore("people");
    await expect(run(peopleRun(dir, {}), dir, store, new MemorySink(store), { resume: true, fresh: true })).rejects.toMatchObject({ code: "GL_INVALID_OPTIONS" });
  });

  it("--resume with no earlier run is a normal run", async () => {
    const dir = workDir({ "rows.csv": rowsCsv(300) });
    const store = new MemoryCheckpointStore("people");
    const sink = new MemorySink(store);
    const summary = await run(peopleRun(dir, { batchSize: 50, mode: "create" }), dir, store, sink, { resume: true });
    expect(summary.status).toBe("completed");
    expect(summary.stages[0].tasks[0].batchesSkipped).toBe(0);
    expectEachRowOnce(sink, 300);
    expect(store.record?.status).toBe("completed");
  });

  it("--resume after a completed run is a normal run, even when that run kept its markers", async () => {
    const dir = workDir({ "rows.csv": rowsCsv(300) });
    const pipeline = peopleRun(dir, { batchSize: 50, mode: "merge" });
    const store = new MemoryCheckpointStore("people");
    const first = await run(pipeline, dir, store, new MemorySink(store), { keepMarkers: true });
    expect(first.status).toBe("completed");
    expect(store.markers.size).toBeGreaterThan(0);
    const sink = new MemorySink(store);
    const summary = await run(pipeline, dir, store, sink, { resume: true });
    expect(summary.status).toBe("completed");
    expect(summary.stages[0].tasks[0].batchesSkipped).toBe(0);
    expectEachRowOnce(sink, 300);
  });

  it("a resumed run appends its rejected rows to the interrupted run's file", async () => {
    const dir = workDir({ "rows.csv": rowsCsv(400) });
    const pipeline = peopleRun(dir, { batchSize: 50, concurrency: 1, mode: "create" });
    const store = new MemoryCheckpointStore("people");
    const refuse = (seq: number) => (transaction: Transaction): Fault | undefined =>
      transaction.rows.some((row) => seqOf(row) === seq) ? { refuseRows: (row) => seqOf(row) === seq } : undefined;
    const failAt300 = once(300, "fatal");
    const first = await run(pipeline, dir, store, new MemorySink(store, { fault: (transaction) => failAt300(transaction) ?? refuse(10)(transaction) }));
    expect(first.status).toBe("failed");
    const file = join(dir, "rejected.jsonl");
    const lines = (): number[] => readFileSync(file, "utf8").trim().split("\n").map((line) => JSON.parse(line).line);
    expect(lines()).toEqual([12]);
    const second = await runPipeline(pipeline, { sink: new MemorySink(store, { fault: refuse(310) }), checkpoints: store, resume: true, timers: { sleep: async () => undefined } });
    expect(second.status).toBe("completed");
    expect(second.deadLetterFile).toBe(file);
    expect(lines()).toEqual([12, 312]);
  });
});

describe("the engine over a files glob", () => {
  /** `files` files of `per` rows each, named so they sort as numbered; seqs run on across files. */
  function drops(files: number, per: number): Record<string, string> {
    return Object.fromEntries(Array.from({ length: files }, (_, f) => [`drop-${f + 1}.csv`, ["id,seq", ...Array.from({ length: per }, (_, i) => `k${f * per + i},${f * per + i}`)].join("\n") + "\n"]));
  }

  const globRun = (dir: string, settings: Record<string, unknown>): Pipeline =>
    buildPipeline(dir, "people", [stage("nodes", { name: "people", source: { files: "drop-*.csv" }, node: { labels: ["Person"], key: ["id"], properties: { id: "id", seq: "seq" } } })], settings);

  it("resumes a failed run over several files exactly once, and refuses to resume once a file has appeared", async () => {
    const dir = workDir(drops(3, 200));
    const pipeline = globRun(dir, { batchSize: 30, concurrency: 3, mode: "create" });
    const store = new MemoryCheckpointStore("people");
    const failing = new MemorySink(store, { fault: once(330, "fatal") });
    expect((await run(pipeline, dir, store, failing)).status).toBe("failed");

    // A file sorting before the others would shift every record's number: resuming cannot be exact.
    writeFileSync(join(dir, "drop-0.csv"), "id,seq\nnew,9999\n");
    await expect(run(pipeline, dir, store, new MemorySink(store), { resume: true })).rejects.toMatchObject({ code: "GL_RESUME_MISMATCH" });
    rmSync(join(dir, "drop-0.csv"));

    const healthy = new MemorySink(store);
    const second = await run(pipeline, dir, store, healthy, { resume: true });
    expect(second.status).toBe("completed");
    expectEachRowOnce({ rows: [...failing.rows, ...healthy.rows] } as MemorySink, 600);
  });

  it("dead-letters a rejected row with its file and its line within that file", async () => {
    const files = drops(2, 5);
    files["drop-2.csv"] = files["drop-2.csv"].replace("k7,7\n", "k7,7,extra\n");
    const dir = workDir(files);
    const store = new MemoryCheckpointStore("people");
    const summary = await run(globRun(dir, { batchSize: 3 }), dir, store, new MemorySink(store));
    expect(summary.exitCode).toBe(3);
    const letters = readFileSync(join(dir, "rejected.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line));
    expect(letters.map((letter) => [letter.source, letter.line, letter.code])).toEqual([[relative(process.cwd(), join(dir, "drop-2.csv")), 4, "GL_MALFORMED_RECORD"]]);
  });

  it("a glob that matches nothing stops the run before it begins (exit 2)", async () => {
    const dir = workDir({});
    const store = new MemoryCheckpointStore("people");
    await expect(run(globRun(dir, {}), dir, store, new MemorySink(store))).rejects.toMatchObject({ code: "GL_NO_MATCH" });
    expect(await store.previous()).toBeUndefined();
  });
});
