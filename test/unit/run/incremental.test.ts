import { statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import neo4j, { int, isInt } from "neo4j-driver";
import { describe, expect, it } from "vitest";
import type { InputEntry } from "../../../src/input/input-entry.js";
import type { Task } from "../../../src/model/pipeline.js";
import { Batcher, type Batch } from "../../../src/run/batcher.js";
import { runPipeline, type RunOptions } from "../../../src/run/run-pipeline.js";
import { beginIncrement } from "../../../src/run/task-increment.js";
import { compareWatermarks, higherWatermark } from "../../../src/run/watermark-order.js";
import { sqlRows } from "../../../src/source/query-rows.js";
import type { SourceRecord } from "../../../src/source/source-record.js";
import { MemoryCheckpointStore } from "../../support/memory-checkpoint-store.js";
import { MemorySink } from "../../support/memory-sink.js";
import { buildPipeline, stage } from "../../support/pipeline-builder.js";
import { issuesOf, pipelineOf } from "../../support/plan-task.js";
import { workDir } from "../../support/run-fixture.js";

const { DateTime, LocalDateTime, Date: Neo4jDate } = neo4j.types;
const compare = (a: unknown, b: unknown) => compareWatermarks(a, b, "c");

describe("the order of watermark values", () => {
  it("compares integers exactly beyond 2^53, with plain numbers and with fractions", () => {
    expect(compare(int("9007199254740993"), int("9007199254740992"))).toBe(1);
    expect(compare(int(5), 5)).toBe(0);
    expect(compare(4.5, int(5))).toBe(-1);
    expect(compare(10n, int(9))).toBe(1);
  });

  it("compares zoned date-times by the instant, local ones and dates by their fields", () => {
    // 10:00+02:00 is 08:00Z: earlier than 09:00Z.
    expect(compare(new DateTime(2024, 1, 1, 10, 0, 0, 0, 7200), new DateTime(2024, 1, 1, 9, 0, 0, 0, 0))).toBe(-1);
    expect(compare(new DateTime(2024, 1, 1, 9, 0, 0, 1, 0), new DateTime(2024, 1, 1, 11, 0, 0, 0, 7200))).toBe(1);
    expect(compare(new LocalDateTime(2024, 1, 1, 0, 0, 0, 5), new LocalDateTime(2024, 1, 1, 0, 0, 0, 5))).toBe(0);
    expect(compare(new Neo4jDate(2023, 12, 31), new Neo4jDate(2024, 1, 1))).toBe(-1);
    expect(compare("2024-01-10", "2024-01-09")).toBe(1);
  });

  it("refuses values of two kinds, and values no watermark can be", () => {
    expect(() => compare(int(1), "1")).toThrow(expect.objectContaining({ code: "GL_WATERMARK_TYPE" }));
    expect(() => compare(true, false)).toThrow(expect.objectContaining({ code: "GL_WATERMARK_TYPE" }));
    expect(higherWatermark(int(3), undefined, "c")).toEqual(int(3));
    expect(higherWatermark(int(3), int(7), "c")).toEqual(int(7));
  });
});

describe("batches of an incremental source", () => {
  const record = (line: number, value: number): SourceRecord => ({ kind: "record", line, values: { v: int(value) } });
  const higher = (value: unknown, highest: unknown) => higherWatermark(value, highest, "v");

  it("carry the highest value of the records they cover, rows or not, in any order", () => {
    const cut = new Batcher({ routing: { kind: "ordinal" }, batchSize: () => 2, laneBudget: () => Infinity, committed: [], higher });
    const ready: Batch[] = [];
    const values = [5, 9, 7, 3, 8];
    values.forEach((value, index) => {
      expect(cut.countRecord(undefined, ready, int(value))).toBe(false);
      // The record of 9 is filtered: its batch still covers, and marks, it.
      if (value !== 9) cut.add([value], record(index + 1, value), "", [], ready);
    });
    cut.finish(ready);
    expect(ready.map((batch) => [batch.firstSeq, batch.lastSeq, Number(batch.watermark)])).toEqual([
      [1, 3, 9],
      [4, 5, 8],
    ]);
  });

  it("in routed lanes, carry the highest of their own rows", () => {
    const cut = new Batcher({ routing: { kind: "routed", buckets: 2, ordered: false }, batchSize: () => 2, laneBudget: () => Infinity, committed: [], higher });
    const ready: Batch[] = [];
    [4, 1, 6, 3].forEach((value, index) => cut.add([value], record(index + 1, value), "", [value], ready, int(value)));
    cut.finish(ready);
    expect(ready.map((batch) => [batch.lane, Number(batch.watermark)]).sort()).toEqual([
      ["#0", 6],
      ["#2", 3],
    ]);
  });
});

describe("an incremental task's increment", () => {
  const task = { name: "t", source: { kind: "postgres", url: "", query: "", fetchSize: 1, incremental: { column: "id", initial: int(0) } } } as unknown as Task;
  const watermarkOf = async (store: MemoryCheckpointStore) => (await beginIncrement(store, task))?.increment;

  it("starts from initial, is kept for a resume whatever the watermark, and moves only when a run completes", async () => {
    const store = new MemoryCheckpointStore("p");
    await store.begin("f", "d");
    expect(await watermarkOf(store)).toEqual({ watermark: int(0) });
    // A resume reads what the interrupted run read, even had the stored watermark changed.
    store.storedWatermarks.set("t", { task: "t", value: int(99), updatedAt: "" });
    expect(await watermarkOf(store)).toEqual({ watermark: int(0) });
    await store.complete(false, new Map([["t", { watermark: int(50) }]]));
    expect((await store.watermarks()).map(({ task, value }) => [task, value])).toEqual([["t", int(50)]]);
    expect(store.increments.size).toBe(0);
    await store.begin("f", "d");
    expect(await watermarkOf(store)).toEqual({ watermark: int(50) });
  });

  it("of files: those no completed run loaded with the same name, size and content; a resume reads the interrupted run's, unchanged", async () => {
    const dir = workDir({ "a.csv": "id\n1\n", "b.csv": "id\n2\n" });
    const files = { ...task, source: { kind: "files", incremental: true } } as unknown as Task;
    const entry = (name: string): InputEntry => ({ location: join(dir, name), name, size: statSync(join(dir, name)).size });
    const store = new MemoryCheckpointStore("p");
    const chosen = async (...names: string[]) => (await beginIncrement(store, files, names.map(entry)))?.inputs?.map((input) => input.name);

    expect(await chosen("a.csv", "b.csv")).toEqual(["a.csv", "b.csv"]);
    await store.complete(false, new Map([["t", { files: store.increments.get("t")!.files }]]));
    writeFileSync(join(dir, "c.csv"), "id\n3\n");
    writeFileSync(join(dir, "b.csv"), "id\n4\n");
    expect(await chosen("a.csv", "b.csv", "c.csv")).toEqual(["b.csv", "c.csv"]);
    // Resuming: a new drop waits for the next run; a file of the interrupted run that changed refuses.
    writeFileSync(join(dir, "d.csv"), "id\n5\n");
    expect(await chosen("a.csv", "b.csv", "c.csv", "d.csv")).toEqual(["b.csv", "c.csv"]);
    writeFileSync(join(dir, "c.csv"), "id\n6\n");
    await expect(chosen("a.csv", "b.csv", "c.csv", "d.csv")).rejects.toMatchObject({ code: "GL_RESUME_MISMATCH", message: expect.stringContaining("c.csv") });
    await store.clear();
    expect(await chosen()).toEqual([]);
  });

  it("survives --fresh and a new run's clear: they discard markers and increments, never watermarks or loaded files", async () => {
    const store = new MemoryCheckpointStore("p");
    await store.complete(false, new Map([["t", { watermark: int(7), files: [{ name: "a.csv", size: 3, identity: "x" }] }]]));
    await store.beginIncrement("t", { watermark: int(7) });
    await store.clear();
    expect(store.increments.size).toBe(0);
    expect((await store.watermarks())[0].value).toEqual(int(7));
    expect((await store.loadedFiles("t")).map((file) => file.name)).toEqual(["a.csv"]);
    expect(await store.forgetFiles("t")).toBe(1);
    expect(await store.resetWatermark("t")).toBe(true);
    expect(await store.resetWatermark("t")).toBe(false);
  });
});

describe("incremental sources in the pipeline file", () => {
  const pg = (query: string, extra = "") => `
name: t
source: { postgres: { url: "postgresql://h/db", query: "${query}", ${extra} incremental: { column: id, initial: 0 } } }
node: { labels: [A], key: [id] }`;
  const at = "$.stages[0].tasks[0].source";
  const codes = (task: string) => issuesOf([task]).map(({ path, code }) => `${path} ${code}`);

  it("want the watermark as the SQL placeholder after keyset's, and as $watermark in Cypher", () => {
    expect(codes(pg("SELECT * FROM t"))).toEqual([`${at}.postgres.query GL_INCREMENTAL_PLACEHOLDER`]);
    expect(codes(pg("SELECT * FROM t WHERE id > $1 LIMIT $2", "keyset: { column: id, after: 0 },"))).toEqual([`${at}.postgres.query GL_INCREMENTAL_PLACEHOLDER`]);
    expect(codes(pg("SELECT * FROM t WHERE id > $1 AND id > $2"))).toEqual([`${at}.postgres.query GL_INCREMENTAL_PLACEHOLDER`]);
    expect(() => pipelineOf([pg("SELECT * FROM t WHERE u > $3 AND id > $1 ORDER BY id LIMIT $2", "keyset: { column: id, after: 0 },")])).not.toThrow();
    const mysql = (query: string) => pg(query).replace('postgres: { url: "postgresql://h/db"', 'mysql: { url: "mysql://h/db"');
    expect(codes(mysql("SELECT * FROM t"))).toEqual([`${at}.mysql.query GL_INCREMENTAL_PLACEHOLDER`]);
    expect(() => pipelineOf([mysql("SELECT * FROM t WHERE id > $1")])).not.toThrow();
    const cypher = `
name: t
source: { neo4j: { uri: "bolt://h", query: "MATCH (n) RETURN n.id AS id", incremental: { column: id, initial: 0 } } }
node: { labels: [A], key: [id] }`;
    expect(codes(cypher)).toEqual([`${at}.neo4j.query GL_INCREMENTAL_PLACEHOLDER`]);
  });

  it("type initial as the column is, and refuse a date that does not exist", () => {
    const initialOf = (initial: string) => {
      const source = pipelineOf([pg("SELECT * FROM t WHERE id > $1").replace("initial: 0", `initial: ${initial}`)]).stages[0];
      return source.kind === "tasks" && "incremental" in source.tasks[0].source ? source.tasks[0].source.incremental?.initial : undefined;
    };
    expect(isInt(initialOf("9007199254740991"))).toBe(true);
    expect(String(initialOf('"2024-01-31T00:00:00Z"'))).toBe("2024-01-31T00:00:00Z");
    expect(initialOf('"2024-01-31"')).toBeInstanceOf(Neo4jDate);
    expect(initialOf('"2024-01-31 10:00:00"')).toBeInstanceOf(LocalDateTime);
    expect(initialOf('"abc"')).toBe("abc");
    const bad = issuesOf([pg("SELECT * FROM t WHERE id > $1").replace("initial: 0", 'initial: "2024-02-30"')]);
    expect(bad.map(({ path, code }) => `${path} ${code}`)).toEqual([`${at}.postgres.incremental.initial GL_INVALID_VALUE`]);
    expect(codes(pg("SELECT * FROM t WHERE id > $1").replace("incremental: { column: id, initial: 0 }", "incremental: { column: id }"))).toEqual([
      `${at}.postgres.incremental.initial GL_MISSING_SETTING`,
    ]);
  });

  it("bind SQL placeholders in order: keyset's key and page, then the watermark", async () => {
    const bound: (readonly unknown[])[] = [];
    const read = async function* (parameters: readonly unknown[]) {
      bound.push(parameters);
      yield* [];
    };
    const incremental = { column: "c", initial: int(0) };
    for await (const _ of sqlRows({ incremental }, { watermark: int("9007199254740993") }, read));
    for await (const _ of sqlRows({ incremental }, {}, read));
    const stamp = new DateTime(2024, 1, 1, 0, 0, 0, 0, 0);
    for await (const _ of sqlRows({ keyset: { column: "id", after: 0, page: 100 }, incremental }, { after: 5, watermark: stamp }, read));
    for await (const _ of sqlRows({ keyset: { column: "id", after: 0, page: 100 } }, {}, read));
    expect(bound).toEqual([[int("9007199254740993")], [int(0)], [5, 100, stamp], [0, 100]]);
  });
});

describe("an incremental files glob, run by the engine against in-memory fakes", () => {
  it("resumes a failed run with its own files exactly, records them loaded only when it completes, and then reads the new drop alone", async () => {
    const csv = (from: number, to: number) => ["id", ...Array.from({ length: to - from + 1 }, (_, i) => String(from + i))].join("\n") + "\n";
    const dir = workDir({ "a.csv": csv(1, 60), "b.csv": csv(61, 100) });
    const pipeline = buildPipeline(dir, "drops", [stage("nodes", { name: "t", source: { files: "*.csv", incremental: true }, node: { labels: ["A"], key: ["id"] } })], {
      batchSize: 10,
      concurrency: 2,
      mode: "create",
    });
    const store = new MemoryCheckpointStore("drops");
    const run = (sink: MemorySink, options: Partial<RunOptions> = {}) =>
      runPipeline(pipeline, { sink, checkpoints: store, deadLetterFile: join(dir, "rejected.jsonl"), timers: { sleep: async () => undefined }, ...options });
    const ids = (sink: MemorySink) => sink.rows.map((row) => Number((row as unknown[])[0]));

    let failed = false;
    const failing = new MemorySink(store, { fault: (transaction) => (!failed && transaction.rows.some((row) => (row as unknown[])[0] === "75") ? ((failed = true), "fatal") : undefined) });
    expect((await run(failing)).status).toBe("failed");
    expect(await store.loadedFiles("t")).toEqual([]);
    writeFileSync(join(dir, "c.csv"), csv(101, 120));
    const resumed = new MemorySink(store);
    expect((await run(resumed, { resume: true })).status).toBe("completed");
    expect([...ids(failing), ...ids(resumed)].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect((await store.loadedFiles("t")).map((file) => [basename(file.name), file.identity.slice(0, 7)])).toEqual([
      ["a.csv", "sha256:"],
      ["b.csv", "sha256:"],
    ]);
    const next = new MemorySink(store);
    const summary = await run(next);
    expect(summary.stages[0].tasks[0].rowsRead).toBe(20);
    expect(ids(next).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 101));
  });
});
