import { describe, expect, it } from "vitest";
import { LogReporter } from "../../../src/progress/log-reporter.js";
import { RunSummary } from "../../../src/run/run-summary.js";

describe("LogReporter", () => {
  it("writes at most one progress line per task per interval, on the injected clock", () => {
    const lines: string[] = [];
    let now = 0;
    const reporter = new LogReporter({ format: "text", intervalMs: 5000, now: () => now, write: (line) => lines.push(line) });
    const progress = { ...RunSummary.newTask("people", "people.csv"), rowsRead: 10, rowsWritten: 10, durationMs: 1000, bytesRead: 2048 };
    reporter.onEvent({ type: "task-start", stage: "nodes", task: "people", source: "people.csv", totalBytes: 4096 });
    now = 1000;
    reporter.onEvent({ type: "task-progress", stage: "nodes", task: "people", progress, totalBytes: 4096 });
    now = 5000;
    reporter.onEvent({ type: "task-progress", stage: "nodes", task: "people", progress, totalBytes: 4096 });
    now = 6000;
    reporter.onEvent({ type: "task-progress", stage: "nodes", task: "people", progress, totalBytes: 4096 });
    expect(lines).toEqual(["task people reading people.csv", "task people: 10 read, 10 written, 0 rejected, 10 rows/s, 2.0 KB (50%)"]);
  });

  it("writes JSON lines", () => {
    const lines: string[] = [];
    const reporter = new LogReporter({ format: "json", now: () => 0, write: (line) => lines.push(line) });
    reporter.onEvent({ type: "stage-start", stage: "nodes", tasks: ["people"] });
    expect(JSON.parse(lines[0])).toEqual({ time: "1970-01-01T00:00:00.000Z", event: "stage-start", stage: "nodes" });
  });
});
