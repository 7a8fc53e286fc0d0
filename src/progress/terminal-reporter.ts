import { MultiBar, Presets, type SingleBar } from "cli-progress";
import { countText } from "../count-text.js";
import type { RunEvent } from "../run/run-events.js";
import { rowsPerSecond } from "../run/run-summary.js";
import { formatBytes, type ProgressReporter } from "./progress-reporter.js";

/**
 * One cli-progress bar per running task. Where the input size is known the bar measures
 * bytes (so the ETA is real); otherwise it counts rows without an end.
 */
export class TerminalReporter implements ProgressReporter {
  private readonly bars: MultiBar;
  private readonly taskBars = new Map<string, { bar: SingleBar; sized: boolean }>();

  constructor(stream: NodeJS.WriteStream = process.stderr) {
    this.bars = new MultiBar(
      {
        stream,
        clearOnComplete: false,
        hideCursor: true,
        format: "{task} |{bar}| {percentage}% {rows} rows, {rate} rows/s, {bytes} | ETA {eta_formatted}",
        autopadding: true,
      },
      Presets.shades_classic,
    );
  }

  onEvent(event: RunEvent): void {
    if (event.type === "task-start") {
      const sized = event.totalBytes !== undefined && event.totalBytes > 0;
      const bar = this.bars.create(sized ? event.totalBytes! : 0, 0, { task: event.task.padEnd(20), rows: 0, rate: 0, bytes: formatBytes(0) });
      this.taskBars.set(event.task, { bar, sized });
      return;
    }
    if (event.type !== "task-progress" && event.type !== "task-end") return;
    const entry = this.taskBars.get(event.task);
    if (!entry) return;
    const summary = event.type === "task-end" ? event.summary : event.progress;
    const rate = rowsPerSecond(summary.rowsWritten, summary.durationMs);
    const payload = { task: event.task.padEnd(20), rows: countText(summary.rowsRead), rate: countText(rate), bytes: formatBytes(summary.bytesRead) };
    if (event.type === "task-end" && !entry.sized) entry.bar.setTotal(Math.max(1, summary.rowsRead));
    entry.bar.update(entry.sized ? summary.bytesRead : summary.rowsRead, payload);
    if (event.type === "task-end") entry.bar.stop();
  }

  stop(): void {
    this.bars.stop();
  }
}
