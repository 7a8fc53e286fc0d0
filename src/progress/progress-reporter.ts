import type { RunEvent } from "../run/run-events.js";

/** Shows a run's progress somewhere; runs report nothing unless given one. */
export interface ProgressReporter {
  onEvent(event: RunEvent): void;
  /** Flushes and releases the display (timers, terminal). */
  stop(): void;
}

export const silentReporter: ProgressReporter = { onEvent: () => undefined, stop: () => undefined };

export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}
