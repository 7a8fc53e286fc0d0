import { describe, expect, it } from "vitest";
import { ReportRecorder } from "../../../src/report/report-recorder.js";
import { RunRecorder } from "../../../src/run/run-recorder.js";
import type { RunEvent } from "../../../src/run/run-events.js";
import { sampleRun } from "./sample-run.js";

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

describe("ReportRecorder", () => {
  it("counts rows, batches, retries and rejections per second of the run, per task", () => {
    const { report, summary } = sampleRun();
    const data = report.data({ summary });
    expect(data.bucketMs).toBe(1000);
    const [people, places] = data.stages[0].tasks;
    const knows = data.stages[1].tasks[0];
    expect(people.series.first).toBe(0);
    // Batches end at 250, 350, …, 4150 ms: 8 in the first second (250…950), 10 in each of the next three, 2 in the last.
    expect(people.series.batches).toEqual([8, 10, 10, 10, 2]);
    expect(people.series.written).toEqual([8000, 10_000, 10_000, 10_000, 2000]);
    expect(sum(people.series.read)).toBe(40_000);
    expect(sum(people.series.rejected)).toBe(5);
    expect(places.series.written).toEqual([499]);
    expect(knows.series.first).toBe(4);
    expect(sum(knows.series.retries)).toBe(9);
    expect(sum(knows.series.deadlocks)).toBe(8);
    expect(sum(knows.series.rejected)).toBe(60);
    expect(knows.retryCodes.map((retry) => [retry.code, retry.count])).toEqual([
      ["Neo.TransientError.Transaction.DeadlockDetected", 8],
      ["ServiceUnavailable", 1],
    ]);
  });

  it("takes the task's figures from the summary and times from the events", () => {
    const { report, summary } = sampleRun();
    const data = report.data({ summary });
    expect(data.durationMs).toBe(8800);
    expect(data.stages.map((stage) => [stage.stage, stage.startMs, stage.endMs])).toEqual([
      ["nodes", 100, 4200],
      ["links", 4200, 8800],
    ]);
    const people = data.stages[0].tasks[0];
    expect(people).toMatchObject({ startMs: 100, endMs: 4200, summary: { rowsWritten: 40_000, rowsRejected: 5, batches: 40 } });
    expect(data.totals).toMatchObject({ rowsWritten: 40_000 + 499 + 30 * 498, retries: 9, deadlocks: 8 });
  });

  it("gives latency percentiles per bucket and over the task", () => {
    const { report, summary } = sampleRun();
    const people = report.data({ summary }).stages[0].tasks[0];
    // Latencies 80…170 ms, ten of each; bins are about 19 % wide.
    expect(people.latency!.batches).toBe(40);
    expect(people.latency!.p50).toBeGreaterThan(110);
    expect(people.latency!.p50).toBeLessThan(140);
    expect(people.latency!.p99).toBeLessThanOrEqual(170);
    expect(people.latency!.max).toBe(170);
    expect(people.series.max[1]).toBe(170);
    expect(people.series.p50.every((value) => value !== null)).toBe(true);
  });

  it("keeps a few rejected rows per code, with the message and the record, the commonest code first", () => {
    const { report, summary } = sampleRun();
    const { rejected } = report.data({ summary });
    expect(rejected.map((group) => [group.code, group.count, group.unmatched])).toEqual([
      ["GL_ENDPOINT_NOT_FOUND", 60, 60],
      ["GL_BAD_VALUE", 5, 0],
      ["GL_MALFORMED_RECORD", 1, 0],
    ]);
    expect(rejected[0].examples).toHaveLength(3);
    expect(rejected[1].examples[0]).toEqual({
      task: "people",
      source: "people.csv",
      line: 103,
      message: `column "born": "31/02/1990" is not a date`,
      row: `{"id":"3","born":"31/02/1990"}`,
    });
    expect(rejected[2].examples[0].row).toBe("7,<b>Zürich</b>");
    expect(rejected[1].tasks).toEqual([{ task: "people", count: 5 }]);
  });

  it("never keeps a password: not from sources, retry messages or errors", () => {
    const { report, summary } = sampleRun();
    summary.error = { code: "X", message: "could not reach neo4j://admin:pa55@host" };
    const text = JSON.stringify(report.data({ summary }));
    expect(text).not.toContain("s3cret");
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("pa55");
    expect(text).toContain("postgresql://loader:***@db/geo");
  });

  it("stays within maxBuckets on a long run by widening buckets, losing no count", () => {
    let now = 0;
    const report = new ReportRecorder({ now: () => now, maxBuckets: 16 });
    const run = new RunRecorder("long");
    const emit = (event: RunEvent): void => {
      run.record(event);
      report.record(event);
    };
    emit({ type: "stage-start", stage: "s", kind: "tasks", tasks: ["t", "u"] });
    emit({ type: "task-start", stage: "s", task: "t", source: "t.csv", totalBytes: undefined, batchesSkipped: 0, rowsBeforeResume: 0 });
    let written = 0;
    for (let second = 0; second < 1000; second++) {
      now = second * 1000 + 500;
      if (second === 300) emit({ type: "task-start", stage: "s", task: "u", source: "u.csv", totalBytes: undefined, batchesSkipped: 0, rowsBeforeResume: 0 });
      emit({ type: "batch", stage: "s", task: "t", rows: second, written: second, counters: {}, transactions: 1, latencyMs: 10 + (second % 50) });
      if (second >= 300) emit({ type: "batch", stage: "s", task: "u", rows: 1, written: 1, counters: {}, transactions: 1, latencyMs: 5 });
      if (second % 100 === 0) emit({ type: "retry", stage: "s", task: "t", attempt: 1, deadlock: true, error: { code: "D", message: "" } });
      written += second;
    }
    emit({ type: "run-end", status: "completed", durationMs: now, bookmarks: [] });
    const data = report.data({ summary: run.summary });
    expect(data.bucketMs).toBe(64_000);
    const [t, u] = data.stages[0].tasks;
    expect(t.series.written.length).toBeLessThanOrEqual(16);
    expect(sum(t.series.written)).toBe(written);
    expect(sum(t.series.batches)).toBe(1000);
    expect(sum(t.series.deadlocks)).toBe(10);
    expect(t.latency!.batches).toBe(1000);
    expect(u.series.first).toBe(Math.floor(300_500 / 64_000));
    expect(sum(u.series.written)).toBe(700);
  });

  it("does constant work per event: a million batch events in well under a few seconds", () => {
    let now = 0;
    const report = new ReportRecorder({ now: () => now });
    report.record({ type: "stage-start", stage: "s", kind: "tasks", tasks: ["t"] });
    report.record({ type: "task-start", stage: "s", task: "t", source: "t.csv", totalBytes: undefined, batchesSkipped: 0, rowsBeforeResume: 0 });
    const batch: RunEvent = { type: "batch", stage: "s", task: "t", rows: 1000, written: 1000, counters: {}, transactions: 1, latencyMs: 12 };
    const started = performance.now();
    // A simulated 10-hour run: 1,000,000 batches, the clock stepping 36 ms each.
    for (let i = 0; i < 1_000_000; i++) {
      now += 36;
      report.record(batch);
    }
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(3000);
    expect(report.data({ summary: new RunRecorder("s").summary }).bucketMs).toBeGreaterThan(1000);
  });

  it("caps the codes kept apart, counting the rest", () => {
    let now = 0;
    const report = new ReportRecorder({ now: () => now, maxCodes: 2, examplesPerCode: 1 });
    const run = new RunRecorder("codes");
    for (const event of [
      { type: "stage-start", stage: "s", kind: "tasks", tasks: ["t"] },
      { type: "task-start", stage: "s", task: "t", source: "t.csv", totalBytes: undefined, batchesSkipped: 0, rowsBeforeResume: 0 },
      ...["A", "B", "C", "A", "D"].map((code, line) => ({ type: "rejected", stage: "s", task: "t", line, code, message: code, row: {}, unmatched: false })),
    ] as RunEvent[]) {
      now += 10;
      run.record(event);
      report.record(event);
    }
    const data = report.data({ summary: run.summary });
    expect(data.rejected.map((group) => [group.code, group.count, group.examples.length])).toEqual([
      ["A", 2, 1],
      ["B", 1, 1],
    ]);
    expect(data.rejectedOtherCodes).toBe(2);
  });
});
