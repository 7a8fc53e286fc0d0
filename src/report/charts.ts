import { countText } from "../count-text.js";
import { clock, compact, duration, escapeHtml, niceTicks, timeStep } from "./format.js";
import type { ReportData, ReportTask } from "./report-data.js";

/**
 * The report's plots as plain SVG strings: no script and no library, so the page renders
 * the same in any browser and from a file. Every chart of a report shares one time axis,
 * from the run's first event to its end, so tasks line up with each other.
 */

const WIDTH = 960;
const LEFT = 72;
const RIGHT = 16;
/** The timeline's labels are task names, wider than a chart's tick labels. */
const TIMELINE_LEFT = 200;

export const COLORS = {
  written: "#2563eb",
  read: "#94a3b8",
  p50: "#0d9488",
  p90: "#d97706",
  p99: "#dc2626",
  retry: "#f59e0b",
  deadlock: "#b91c1c",
  rejected: "#7c3aed",
  grid: "#e2e8f0",
  axis: "#64748b",
  window: "#f1f5f9",
} as const;

export const STAGE_COLORS = ["#2563eb", "#0d9488", "#7c3aed", "#db2777", "#ea580c", "#65a30d", "#0891b2", "#a16207"];

/** The shared time axis: milliseconds since the run began to x in the plot. */
export class TimeAxis {
  readonly durationMs: number;
  private readonly left: number;
  constructor(durationMs: number, left = LEFT) {
    this.durationMs = Math.max(durationMs, 1);
    this.left = left;
  }
  x(ms: number): number {
    return this.left + (Math.min(Math.max(ms, 0), this.durationMs) / this.durationMs) * (WIDTH - RIGHT - this.left);
  }
  /** Labels and gridlines along the bottom edge `y` and up to `top`. */
  render(top: number, y: number): string {
    const seconds = this.durationMs / 1000;
    const step = timeStep(seconds);
    const parts: string[] = [];
    for (let s = 0; s <= seconds + 1e-9; s += step) {
      const x = fixed(this.x(s * 1000));
      parts.push(`<line x1="${x}" y1="${top}" x2="${x}" y2="${y}" stroke="${COLORS.grid}"/>`);
      parts.push(`<text x="${x}" y="${y + 14}" text-anchor="middle" class="tick">${clock(s)}</text>`);
    }
    return parts.join("");
  }
}

const fixed = (value: number): string => (Math.round(value * 10) / 10).toString();

/** One bar per task (and per statements stage) from its start to its end: where the time went. */
export function renderTimeline(data: ReportData): string {
  const axis = new TimeAxis(data.durationMs, TIMELINE_LEFT);
  const rows: { label: string; startMs: number; endMs: number; color: string; note: string; href?: string }[] = [];
  // Before the first stage: taking the run's lease, then the constraints and indexes its merges need.
  const firstStage = data.stages[0]?.startMs;
  if (firstStage !== undefined) {
    const outcomes = (["created", "present", "failed"] as const)
      .map((result) => [result, data.schema.operations.filter((operation) => operation.result === result).length] as const)
      .filter(([, n]) => n > 0)
      .map(([result, n]) => `${n} ${result === "present" ? "already there" : result}`);
    const note = [duration(firstStage), ...(outcomes.length > 0 ? [`schema: ${outcomes.join(", ")}`] : [])].join(" · ");
    rows.push({ label: "start and schema", startMs: 0, endMs: firstStage, color: COLORS.axis, note });
  }
  data.stages.forEach((stage, index) => {
    const color = STAGE_COLORS[index % STAGE_COLORS.length];
    const stageEnd = stage.endMs ?? data.durationMs;
    if (stage.kind === "statements") {
      rows.push({ label: `${stage.stage} (statements)`, startMs: stage.startMs, endMs: stageEnd, color, note: duration(stageEnd - stage.startMs) });
      return;
    }
    for (const task of stage.tasks) {
      const endMs = task.endMs ?? data.durationMs;
      rows.push({
        label: `${stage.stage} / ${task.task}`,
        startMs: task.startMs,
        endMs,
        color,
        note: `${duration(endMs - task.startMs)} · ${compact(task.summary.rowsPerSecond)} rows/s`,
        href: `#${taskAnchor(task)}`,
      });
    }
  });
  if (rows.length === 0) return `<p class="muted">No stage ran.</p>`;
  const rowHeight = 24;
  const top = 4;
  const bottom = top + rows.length * rowHeight;
  const height = bottom + 22;
  const bars = rows.map((row, index) => {
    const y = top + index * rowHeight;
    const x1 = axis.x(row.startMs);
    const x2 = Math.max(axis.x(row.endMs), x1 + 2);
    const label = escapeHtml(shorten(row.label, 30));
    const title = `<title>${escapeHtml(`${row.label}: ${duration(row.startMs)} to ${duration(row.endMs)} (${row.note})`)}</title>`;
    const noteRight = x2 + 6 + row.note.length * 6 < WIDTH;
    const note = noteRight
      ? `<text x="${fixed(x2 + 6)}" y="${y + 16}" class="note">${escapeHtml(row.note)}</text>`
      : `<text x="${fixed(x1 - 6)}" y="${y + 16}" text-anchor="end" class="note">${escapeHtml(row.note)}</text>`;
    const bar = `<rect x="${fixed(x1)}" y="${y + 4}" width="${fixed(x2 - x1)}" height="${rowHeight - 8}" rx="3" fill="${row.color}">${title}</rect>`;
    const text = `<text x="${TIMELINE_LEFT - 8}" y="${y + 16}" text-anchor="end" class="label">${label}</text>`;
    return row.href ? `<a href="${escapeHtml(row.href)}">${text}${bar}</a>${note}` : `${text}${bar}${note}`;
  });
  return svg(height, "Timeline of stages and tasks", `${axis.render(top, bottom)}${bars.join("")}`);
}

/** Labels longer than the left margin allows keep their end, where a task's name is. */
function shorten(label: string, max: number): string {
  return label.length <= max ? label : `…${label.slice(label.length - max + 1)}`;
}

export function taskAnchor(task: Pick<ReportTask, "stage" | "task">): string {
  return `task-${slug(task.stage)}-${slug(task.task)}`;
}

const slug = (text: string): string => text.replace(/[^A-Za-z0-9_-]+/g, "_");

interface Slot {
  /** Index into the series. */
  readonly index: number;
  /** Bucket clipped to the task's window, in ms. */
  readonly fromMs: number;
  readonly toMs: number;
  /** Seconds of the task within the bucket, at least a quarter bucket so one early batch makes no spike. */
  readonly seconds: number;
}

/**
 * A task's chart, three panels over the run's time axis: rows per second written (and
 * read), batch latency percentiles per time bucket, and the retries (deadlocks in dark
 * red) and rejected rows in each bucket. Hovering a bucket names its numbers.
 */
export function renderTaskChart(task: ReportTask, data: Pick<ReportData, "durationMs" | "bucketMs" | "stages">): string {
  const axis = new TimeAxis(data.durationMs);
  const { series } = task;
  const startMs = task.startMs;
  const endMs = task.endMs ?? data.durationMs;
  const slots: Slot[] = series.written.map((_, index) => {
    const bucketStart = (series.first + index) * data.bucketMs;
    const fromMs = Math.max(bucketStart, startMs);
    const toMs = Math.max(Math.min(bucketStart + data.bucketMs, endMs), fromMs);
    return { index, fromMs, toMs, seconds: Math.max(toMs - fromMs, data.bucketMs / 4) / 1000 };
  });

  const throughput = { top: 22, height: 96 };
  const latency = { top: throughput.top + throughput.height + 28, height: 68 };
  const events = { top: latency.top + latency.height + 28, lane: 16, gap: 6 };
  const bottom = events.top + 2 * events.lane + events.gap;
  const height = bottom + 22;
  const parts: string[] = [];

  parts.push(`<rect x="${fixed(axis.x(startMs))}" y="${throughput.top - 16}" width="${fixed(Math.max(axis.x(endMs) - axis.x(startMs), 1))}" height="${bottom - throughput.top + 16}" fill="${COLORS.window}"/>`);
  parts.push(axis.render(throughput.top, bottom));
  for (const stage of data.stages) {
    // A line at the very start would only hide the axis.
    if (stage.startMs <= data.durationMs * 0.01) continue;
    const x = fixed(axis.x(stage.startMs));
    parts.push(`<line x1="${x}" y1="${throughput.top - 16}" x2="${x}" y2="${bottom}" stroke="${COLORS.axis}" stroke-dasharray="3 3"><title>stage ${escapeHtml(stage.stage)} starts</title></line>`);
  }

  // Throughput: written as a filled step area, read as a line.
  const rate = (values: readonly number[], slot: Slot): number => values[slot.index] / slot.seconds;
  const rateMax = Math.max(0, ...slots.map((slot) => Math.max(rate(series.written, slot), rate(series.read, slot))));
  const rateTicks = niceTicks(rateMax);
  const rateY = scale(throughput, rateTicks[rateTicks.length - 1]);
  parts.push(panelTitle(throughput.top, "rows/s", [["written", COLORS.written], ["read", COLORS.read]]));
  parts.push(gridlines(rateTicks, rateY, compact));
  parts.push(stepPath(slots, axis, (slot) => rateY(rate(series.written, slot)), throughput.top + throughput.height, COLORS.written, true));
  parts.push(stepPath(slots, axis, (slot) => rateY(rate(series.read, slot)), throughput.top + throughput.height, COLORS.read, false));

  // Latency percentiles per bucket.
  const latencyMax = Math.max(0, ...series.p99.map((value) => value ?? 0));
  parts.push(panelTitle(latency.top, "batch latency", [["p50", COLORS.p50], ["p90", COLORS.p90], ["p99", COLORS.p99]]));
  if (latencyMax > 0) {
    const latencyTicks = niceTicks(latencyMax, 3);
    const latencyY = scale(latency, latencyTicks[latencyTicks.length - 1]);
    parts.push(gridlines(latencyTicks, latencyY, duration));
    for (const [name, color] of [["p50", COLORS.p50], ["p90", COLORS.p90], ["p99", COLORS.p99]] as const) {
      parts.push(linePath(slots, axis, series[name], latencyY, color));
    }
  } else {
    parts.push(`<text x="${LEFT + 8}" y="${latency.top + latency.height / 2}" class="muted-svg">no batches written</text>`);
    parts.push(`<line x1="${LEFT}" y1="${latency.top + latency.height}" x2="${WIDTH - RIGHT}" y2="${latency.top + latency.height}" stroke="${COLORS.grid}"/>`);
  }

  // Retries and rejections: one lane each, bar height relative to the lane's busiest bucket.
  const retryLane = { top: events.top, height: events.lane };
  const rejectLane = { top: events.top + events.lane + events.gap, height: events.lane };
  parts.push(panelTitle(events.top, "", [["retries", COLORS.retry], ["deadlocks", COLORS.deadlock], ["rejected rows", COLORS.rejected]]));
  parts.push(laneLabel(retryLane, "retries"), laneLabel(rejectLane, "rejected"));
  parts.push(laneBars(slots, axis, retryLane, series.retries, series.deadlocks, COLORS.retry, COLORS.deadlock));
  parts.push(laneBars(slots, axis, rejectLane, series.rejected, undefined, COLORS.rejected, COLORS.rejected));

  // Hover targets, last so they are on top.
  for (const slot of slots) {
    const i = slot.index;
    if (series.batches[i] + series.read[i] + series.retries[i] + series.rejected[i] === 0) continue;
    const x1 = axis.x(slot.fromMs);
    const width = Math.max(axis.x(slot.toMs) - x1, 1);
    parts.push(`<rect class="hover" x="${fixed(x1)}" y="${throughput.top}" width="${fixed(width)}" height="${bottom - throughput.top}"><title>${escapeHtml(describeSlot(task, slot, data.bucketMs))}</title></rect>`);
  }
  return svg(height, `${task.stage} / ${task.task}: rows per second, batch latency, retries and rejected rows over time`, parts.join(""));
}

function describeSlot(task: ReportTask, slot: Slot, bucketMs: number): string {
  const { series } = task;
  const i = slot.index;
  const from = ((series.first + i) * bucketMs) / 1000;
  const lines = [
    `${clock(from)} – ${clock(from + bucketMs / 1000)}`,
    `${countText(series.written[i] / slot.seconds)} rows/s written, ${countText(series.read[i] / slot.seconds)} read`,
    `${countText(series.batches[i])} batches`,
  ];
  const p50 = series.p50[i];
  if (p50 !== null) lines.push(`latency p50 ${duration(p50)} · p90 ${duration(series.p90[i]!)} · p99 ${duration(series.p99[i]!)} · max ${duration(series.max[i]!)}`);
  if (series.retries[i] > 0) lines.push(`${countText(series.retries[i])} retries (${countText(series.deadlocks[i])} deadlocks)`);
  if (series.rejected[i] > 0) lines.push(`${countText(series.rejected[i])} rows rejected`);
  return lines.join("\n");
}

interface Panel {
  readonly top: number;
  readonly height: number;
}

/** Value to y within `panel`, 0 at its bottom edge. */
function scale(panel: Panel, max: number): (value: number) => number {
  return (value) => panel.top + panel.height - (max > 0 ? (Math.min(value, max) / max) * panel.height : 0);
}

function panelTitle(top: number, title: string, legend: readonly (readonly [string, string])[]): string {
  let x = LEFT + (title ? title.length * 7 + 14 : 0);
  const items = legend.map(([name, color]) => {
    const item = `<rect x="${x}" y="${top - 13}" width="10" height="10" rx="2" fill="${color}"/><text x="${x + 14}" y="${top - 4}" class="legend">${escapeHtml(name)}</text>`;
    x += 14 + name.length * 6.5 + 14;
    return item;
  });
  return `${title ? `<text x="${LEFT}" y="${top - 4}" class="panel">${escapeHtml(title)}</text>` : ""}${items.join("")}`;
}

function gridlines(ticks: readonly number[], y: (value: number) => number, label: (value: number) => string): string {
  return ticks
    .map((tick) => {
      const at = fixed(y(tick));
      return `<line x1="${LEFT}" y1="${at}" x2="${WIDTH - RIGHT}" y2="${at}" stroke="${COLORS.grid}"/><text x="${LEFT - 6}" y="${at}" dy="4" text-anchor="end" class="tick">${escapeHtml(label(tick))}</text>`;
    })
    .join("");
}

/** A step line over the slots (one level per bucket), filled down to `base` when `fill`. */
function stepPath(slots: readonly Slot[], axis: TimeAxis, y: (slot: Slot) => number, base: number, color: string, fill: boolean): string {
  if (slots.length === 0) return "";
  const commands: string[] = [];
  let previousEnd: number | undefined;
  for (const slot of slots) {
    const x1 = fixed(axis.x(slot.fromMs));
    const x2 = fixed(axis.x(slot.toMs));
    const level = fixed(y(slot));
    commands.push(previousEnd === slot.fromMs ? `L${x1} ${level}` : `${fill ? `M${x1} ${base}L` : "M"}${x1} ${level}`);
    commands.push(`L${x2} ${level}`);
    previousEnd = slot.toMs;
  }
  if (fill) return `<path d="${commands.join("")}L${fixed(axis.x(slots[slots.length - 1].toMs))} ${base}Z" fill="${color}" fill-opacity="0.35" stroke="${color}" stroke-width="1.5"/>`;
  return `<path d="${commands.join("")}" fill="none" stroke="${color}" stroke-width="1.2"/>`;
}

/** A line through the middle of each bucket that has a value; a dot where a value stands alone. */
function linePath(slots: readonly Slot[], axis: TimeAxis, values: readonly (number | null)[], y: (value: number) => number, color: string): string {
  const runs: string[][] = [];
  let current: string[] = [];
  for (const slot of slots) {
    const value = values[slot.index];
    if (value === null) {
      if (current.length > 0) runs.push(current);
      current = [];
      continue;
    }
    current.push(`${fixed(axis.x((slot.fromMs + slot.toMs) / 2))} ${fixed(y(value))}`);
  }
  if (current.length > 0) runs.push(current);
  return runs
    .map((points) => {
      if (points.length === 1) {
        const [cx, cy] = points[0].split(" ");
        return `<circle cx="${cx}" cy="${cy}" r="2.5" fill="${color}"/>`;
      }
      return `<path d="M${points.join("L")}" fill="none" stroke="${color}" stroke-width="1.5" stroke-linejoin="round"/>`;
    })
    .join("");
}

function laneLabel(lane: Panel, label: string): string {
  return `<text x="${LEFT - 6}" y="${lane.top + lane.height - 4}" text-anchor="end" class="tick">${label}</text><line x1="${LEFT}" y1="${lane.top + lane.height}" x2="${WIDTH - RIGHT}" y2="${lane.top + lane.height}" stroke="${COLORS.grid}"/>`;
}

/** Bars of `values` per bucket; `dark` (a part of the same count) drawn at the bottom of each bar in `darkColor`. */
function laneBars(slots: readonly Slot[], axis: TimeAxis, lane: Panel, values: readonly number[], dark: readonly number[] | undefined, color: string, darkColor: string): string {
  const max = Math.max(0, ...values);
  if (max === 0) return "";
  const height = (value: number): number => (value > 0 ? Math.max(3, (value / max) * lane.height) : 0);
  const bars: string[] = [];
  for (const slot of slots) {
    const value = values[slot.index];
    if (value === 0) continue;
    const x = axis.x(slot.fromMs);
    const width = fixed(Math.max(axis.x(slot.toMs) - x, 2));
    const total = height(value);
    const darkHeight = dark ? Math.min(total, dark[slot.index] > 0 ? Math.max(2, (dark[slot.index] / value) * total) : 0) : 0;
    const bottom = lane.top + lane.height;
    if (total > darkHeight) bars.push(`<rect x="${fixed(x)}" y="${fixed(bottom - total)}" width="${width}" height="${fixed(total - darkHeight)}" fill="${color}"/>`);
    if (darkHeight > 0) bars.push(`<rect x="${fixed(x)}" y="${fixed(bottom - darkHeight)}" width="${width}" height="${fixed(darkHeight)}" fill="${darkColor}"/>`);
  }
  return bars.join("");
}

function svg(height: number, label: string, body: string): string {
  return `<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-label="${escapeHtml(label)}">${body}</svg>`;
}
