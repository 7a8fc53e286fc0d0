import { describe, expect, it } from "vitest";
import { RunSummary } from "../../../src/run/run-summary.js";

function summaryWith(rejected: number): RunSummary {
  const summary = new RunSummary("demo");
  const stage = summary.addStage("nodes", "tasks");
  stage.durationMs = 2000;
  const task = { ...RunSummary.newTask("people", "people.csv"), rowsRead: 100, rowsWritten: 100 - rejected, rowsRejected: rejected, batches: 2, durationMs: 2000 };
  task.counters.nodesCreated = 100 - rejected;
  stage.tasks.push(task);
  summary.durationMs = 2000;
  return summary;
}

describe("RunSummary", () => {
  it("sums tasks into totals and derives the exit code", () => {
    expect(summaryWith(0).exitCode).toBe(0);
    expect(summaryWith(3).exitCode).toBe(3);
    const failed = summaryWith(0);
    failed.status = "failed";
    expect(failed.exitCode).toBe(1);
    expect(summaryWith(3).toJSON()).toMatchObject({
      status: "completed",
      exitCode: 3,
      totals: { rowsRead: 100, rowsWritten: 97, rowsRejected: 3, batches: 2, rowsPerSecond: 49, counters: { nodesCreated: 97 } },
      stages: [{ stage: "nodes", rowsPerSecond: 49, tasks: [{ task: "people", rowsPerSecond: 49 }] }],
    });
  });

  it("formats a table with the counters that moved", () => {
    const text = summaryWith(0).format();
    expect(text).toContain("pipeline demo: completed (exit 0)");
    expect(text).toMatch(/ {2}people\s+100\s+100\s+0/);
    expect(text).toContain("server counters: nodesCreated 100");
  });
});
