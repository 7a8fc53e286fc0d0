import type { RunEvent } from "../../../src/run/run-events.js";
import { RunRecorder } from "../../../src/run/run-recorder.js";
import { ReportRecorder, type ReportRecorderOptions } from "../../../src/report/report-recorder.js";

/**
 * A run replayed from events on a stepped clock: what the engine would emit for a node
 * stage of two tasks and a relationship stage with deadlocks and endpoints not found.
 * The summary comes from the engine's own RunRecorder, fed the same events.
 */
export function sampleRun(options: ReportRecorderOptions = {}) {
  let now = 0;
  const report = new ReportRecorder({ now: () => now, ...options });
  const run = new RunRecorder("sample");
  const emit = (event: RunEvent, at?: number): void => {
    if (at !== undefined) now = at;
    run.record(event);
    report.record(event);
  };
  const counters = (nodes: number) => ({ nodesCreated: nodes, propertiesSet: nodes * 2, labelsAdded: nodes });

  emit({ type: "schema", outcome: { name: "c1", description: "uniqueness of (:Person {id})", result: "created" }, counters: { constraintsAdded: 1 } }, 0);
  emit({ type: "stage-start", stage: "nodes", kind: "tasks", tasks: ["people", "places"] }, 100);
  emit({ type: "task-start", stage: "nodes", task: "people", source: "people.csv", totalBytes: 1000, batchesSkipped: 0, rowsBeforeResume: 0 }, 100);
  emit({ type: "task-start", stage: "nodes", task: "places", source: "postgresql://loader:s3cret@db/geo", totalBytes: undefined, batchesSkipped: 0, rowsBeforeResume: 0 }, 100);
  for (let i = 0; i < 40; i++) {
    const at = 200 + i * 100;
    emit({ type: "records", stage: "nodes", task: "people", read: 1000, filtered: 0, skipped: 0 }, at);
    emit({ type: "batch", stage: "nodes", task: "people", rows: 1000, written: 1000, counters: counters(1000), transactions: 1, latencyMs: 80 + (i % 10) * 10 }, at + 50);
    if (i % 8 === 3) {
      emit({ type: "rejected", stage: "nodes", task: "people", line: 100 + i, code: "GL_BAD_VALUE", message: `column "born": "31/02/1990" is not a date`, row: { id: String(i), born: "31/02/1990" }, unmatched: false }, at + 60);
    }
  }
  emit({ type: "records", stage: "nodes", task: "places", read: 500, filtered: 0, skipped: 0 }, 300);
  emit({ type: "batch", stage: "nodes", task: "places", rows: 500, written: 499, counters: counters(499), transactions: 1, latencyMs: 40 }, 400);
  emit({ type: "rejected", stage: "nodes", task: "places", line: 7, code: "GL_MALFORMED_RECORD", message: "expected 3 fields, found 2", row: "7,<b>Zürich</b>", unmatched: false }, 400);
  emit({ type: "task-end", stage: "nodes", task: "places", bytesRead: 0, durationMs: 300, summary: run.task("nodes", "places") }, 400);
  emit({ type: "task-end", stage: "nodes", task: "people", bytesRead: 1000, durationMs: 4100, summary: run.task("nodes", "people") }, 4200);
  emit({ type: "stage-end", stage: "nodes", durationMs: 4100 }, 4200);

  emit({ type: "stage-start", stage: "links", kind: "tasks", tasks: ["knows"] }, 4200);
  emit({ type: "task-start", stage: "links", task: "knows", source: "knows.csv", totalBytes: 500, batchesSkipped: 0, rowsBeforeResume: 0 }, 4200);
  for (let i = 0; i < 30; i++) {
    const at = 4300 + i * 150;
    emit({ type: "records", stage: "links", task: "knows", read: 500, filtered: 0, skipped: 0 }, at);
    if (i % 4 === 1) {
      emit({ type: "retry", stage: "links", task: "knows", attempt: 1, deadlock: true, error: { code: "Neo.TransientError.Transaction.DeadlockDetected", message: "ForsetiClient[transactionId=12] can't acquire ExclusiveLock" } }, at + 20);
    }
    if (i === 20) {
      emit({ type: "retry", stage: "links", task: "knows", attempt: 1, deadlock: false, error: { code: "ServiceUnavailable", message: "Connection to bolt://neo4j:hunter2@db:7687 was closed" } }, at + 30);
    }
    emit({ type: "batch", stage: "links", task: "knows", rows: 500, written: 498, counters: { relationshipsCreated: 498 }, transactions: 1, latencyMs: i % 4 === 1 ? 900 : 200 + i * 5 }, at + 100);
    for (const line of [2 * i, 2 * i + 1]) {
      emit({ type: "rejected", stage: "links", task: "knows", line, code: "GL_ENDPOINT_NOT_FOUND", message: `no start node (:Person {id: "${line}"})`, row: { from: String(line), to: "999" }, unmatched: true }, at + 110);
    }
  }
  emit({ type: "task-end", stage: "links", task: "knows", bytesRead: 500, durationMs: 4600, summary: run.task("links", "knows") }, 8800);
  emit({ type: "stage-end", stage: "links", durationMs: 4600 }, 8800);
  emit({ type: "run-end", status: "completed", durationMs: 8800, bookmarks: [], deadLetterFile: "/tmp/sample.rejected.jsonl" }, 8800);
  return { report, summary: run.summary, setNow: (value: number) => (now = value), emit };
}
