import { COUNTER_NAMES, type CounterName, type ServerCounters } from "../run/server-counters.js";
import { COLORS, renderTaskChart, renderTimeline, taskAnchor } from "./charts.js";
import { countText } from "../count-text.js";
import { duration, escapeHtml } from "./format.js";
import type { Entry, ReportData, ReportTask } from "./report-data.js";

/**
 * Allows the page's own inline styles and scripts and nothing else: a report opened from
 * a mail or a shared folder fetches nothing, so it works offline and leaks nothing.
 */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'";

/** The whole report as one self-contained HTML page. */
export function renderReport(data: ReportData): string {
  const title = `graphload report: ${data.pipeline}`;
  const tasks = data.stages.flatMap((stage) => stage.tasks);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(data.pipeline)} <span class="subtitle">graphload run report</span></h1>
<p class="muted">Started ${escapeHtml(data.startedAt.replace("T", " ").replace(/\.\d+Z$/, " UTC"))} · ${escapeHtml(duration(data.durationMs))}</p>
</header>
${renderOverview(data)}
<section>
<h2>Timeline</h2>
${renderTimeline(data)}
</section>
<section>
<h2>Tasks</h2>
${tasks.length > 0 ? tasks.map((task) => renderTask(task, data)).join("\n") : `<p class="muted">No task ran.</p>`}
</section>
${renderRejected(data)}
${renderCounters(data)}
${renderSettings(data)}
<footer class="muted">Time buckets of ${escapeHtml(duration(data.bucketMs))}; latencies are per batch, retries included, from the client's side.</footer>
</main>
</body>
</html>
`;
}

/** The outcome in a few figures, for a glance. */
export function renderOverview(data: ReportData): string {
  const { totals } = data;
  const rejected = totals.rowsRejected;
  const tone = data.status !== "completed" ? "bad" : rejected > 0 ? "warn" : "ok";
  const tiles: { name: string; value: string; note?: string; tone?: string }[] = [
    { name: "status", value: data.status, note: `exit ${data.exitCode}${data.status === "completed" && rejected > 0 ? ", rows rejected" : ""}`, tone },
    { name: "duration", value: duration(data.durationMs) },
    { name: "rows written", value: countText(totals.rowsWritten), note: `of ${countText(totals.rowsRead)} read` },
    { name: "rows/s", value: countText(totals.rowsPerSecond), note: "written, whole run" },
    { name: "rejected", value: countText(rejected), ...(totals.rowsUnmatched > 0 ? { note: `${countText(totals.rowsUnmatched)} unmatched` } : {}), ...(rejected > 0 ? { tone: "warn" } : {}) },
    { name: "retries", value: countText(totals.retries), note: `${countText(totals.deadlocks)} deadlocks`, ...(totals.retries > 0 ? { tone: "warn" } : {}) },
  ];
  const error = data.error ? `<p class="error"><strong>${escapeHtml(data.error.code)}</strong>: ${escapeHtml(data.error.message)}</p>` : "";
  return `<section class="tiles">${tiles
    .map(
      (tile) =>
        `<div class="tile${tile.tone ? ` ${tile.tone}` : ""}"><div class="tile-name">${tile.name}</div><div class="tile-value">${escapeHtml(tile.value)}</div>${tile.note ? `<div class="tile-note">${escapeHtml(tile.note)}</div>` : ""}</div>`,
    )
    .join("")}</section>${error}`;
}

/** A task's figures and its chart. */
export function renderTask(task: ReportTask, data: Pick<ReportData, "durationMs" | "bucketMs" | "stages">): string {
  const s = task.summary;
  const stats: [string, string][] = [
    ["read", countText(s.rowsRead)],
    ["written", countText(s.rowsWritten)],
    ["rejected", countText(s.rowsRejected)],
    ...(s.rowsUnmatched > 0 ? [["of which unmatched", countText(s.rowsUnmatched)] as [string, string]] : []),
    ...(s.rowsFiltered > 0 ? [["filtered", countText(s.rowsFiltered)] as [string, string]] : []),
    ...(s.batchesSkipped > 0 ? [["batches skipped (resumed)", countText(s.batchesSkipped)] as [string, string]] : []),
    ["batches", countText(s.batches)],
    ["retries", countText(s.retries)],
    ["deadlocks", countText(s.deadlocks)],
    ["rows/s", countText(s.rowsPerSecond)],
    ["time", duration(s.durationMs)],
  ];
  const latency = task.latency
    ? `<p class="latency">Batch latency: p50 <strong>${duration(task.latency.p50)}</strong> · p90 <strong>${duration(task.latency.p90)}</strong> · p99 <strong>${duration(task.latency.p99)}</strong> · max <strong>${duration(task.latency.max)}</strong> over ${countText(task.latency.batches)} ${task.latency.batches === 1 ? "batch" : "batches"}</p>`
    : "";
  const retries =
    task.retryCodes.length > 0
      ? `<details class="retries"><summary>Why batches were retried</summary><ul>${task.retryCodes
          .map((retry) => `<li><code>${escapeHtml(retry.code)}</code> × ${countText(retry.count)}: ${escapeHtml(retry.message)}</li>`)
          .join("")}</ul></details>`
      : "";
  const meta = [`stage <strong>${escapeHtml(task.stage)}</strong>`, `source <code>${escapeHtml(task.source)}</code>`];
  if (task.target) meta.push(`writes <code>${escapeHtml(task.target)}</code>`);
  if (task.settings) meta.push(escapeHtml(task.settings));
  return `<article class="task" id="${taskAnchor(task)}">
<h3>${escapeHtml(task.task)}</h3>
<p class="meta">${meta.join(" · ")}</p>
<dl class="stats">${stats.map(([name, value]) => `<div><dt>${name}</dt><dd>${value}</dd></div>`).join("")}</dl>
${latency}
${renderTaskChart(task, data)}
${retries}
</article>`;
}

/** Rejected rows by code, the commonest first, each with the first few rows as the dead-letter file has them. */
export function renderRejected(data: Pick<ReportData, "rejected" | "rejectedOtherCodes" | "deadLetterFile">): string {
  if (data.rejected.length === 0 && data.rejectedOtherCodes === 0) return `<section><h2>Rejected rows</h2><p class="muted">No row was rejected.</p></section>`;
  const groups = data.rejected.map((group) => {
    const tasks = group.tasks.map((task) => `${escapeHtml(task.task)} (${countText(task.count)})`).join(", ");
    const more = group.count - group.examples.length;
    const examples = group.examples
      .map(
        (example) =>
          `<tr><td>${escapeHtml(example.task)}</td><td><code>${escapeHtml(example.source)}:${example.line}</code></td><td>${escapeHtml(example.message)}</td><td><pre>${escapeHtml(example.row)}</pre></td></tr>`,
      )
      .join("");
    return `<article class="rejected-code">
<h3><code>${escapeHtml(group.code)}</code> <span class="count">${countText(group.count)} ${group.count === 1 ? "row" : "rows"}</span></h3>
<p class="meta">from ${tasks}${group.unmatched > 0 ? ` · ${countText(group.unmatched)} with a missing start or end node` : ""}</p>
<table class="examples"><thead><tr><th>task</th><th>source:line</th><th>message</th><th>row</th></tr></thead><tbody>${examples}</tbody></table>
${more > 0 ? `<p class="muted">and ${countText(more)} more${data.deadLetterFile ? ` in <code>${escapeHtml(data.deadLetterFile)}</code>` : ""}</p>` : ""}
</article>`;
  });
  const other = data.rejectedOtherCodes > 0 ? `<p class="muted">${countText(data.rejectedOtherCodes)} more rows under further codes (see the dead-letter file).</p>` : "";
  const file = data.deadLetterFile ? `<p class="muted">All rejected rows are in <code>${escapeHtml(data.deadLetterFile)}</code>.</p>` : "";
  return `<section><h2>Rejected rows by code</h2>${file}${groups.join("\n")}${other}</section>`;
}

const COUNTER_LABELS: Record<CounterName, string> = {
  nodesCreated: "nodes created",
  nodesDeleted: "nodes deleted",
  relationshipsCreated: "relationships created",
  relationshipsDeleted: "relationships deleted",
  propertiesSet: "properties set",
  labelsAdded: "labels added",
  labelsRemoved: "labels removed",
  indexesAdded: "indexes added",
  indexesRemoved: "indexes removed",
  constraintsAdded: "constraints added",
  constraintsRemoved: "constraints removed",
};

/** The server's update counters per task, per statements stage and for the schema, in the columns that are not all zero. */
export function renderCounters(data: Pick<ReportData, "stages" | "schema" | "totals">): string {
  const rows: [string, ServerCounters][] = [];
  if (data.schema.operations.length > 0) rows.push(["schema", data.schema.counters]);
  for (const stage of data.stages) {
    if (stage.kind === "statements") rows.push([`${stage.stage} (statements)`, stage.counters]);
    for (const task of stage.tasks) rows.push([`${stage.stage} / ${task.task}`, task.summary.counters]);
  }
  const columns = COUNTER_NAMES.filter((name) => data.totals.counters[name] > 0);
  if (columns.length === 0) return `<section><h2>Server counters</h2><p class="muted">The server reported no changes.</p></section>`;
  const cells = (counters: ServerCounters): string => columns.map((name) => `<td class="num">${countText(counters[name])}</td>`).join("");
  return `<section><h2>Server counters</h2>
<table class="counters"><thead><tr><th></th>${columns.map((name) => `<th class="num">${COUNTER_LABELS[name]}</th>`).join("")}</tr></thead>
<tbody>${rows.map(([name, counters]) => `<tr><th>${escapeHtml(name)}</th>${cells(counters)}</tr>`).join("")}</tbody>
<tfoot><tr><th>total</th>${cells(data.totals.counters)}</tr></tfoot></table>${renderSchema(data)}</section>`;
}

function renderSchema(data: Pick<ReportData, "schema">): string {
  const operations = data.schema.operations;
  if (operations.length === 0) return "";
  return `<details class="schema"><summary>Schema the run made sure of (${operations.length})</summary><ul>${operations
    .map((operation) => `<li>${escapeHtml(operation.description)}: ${operation.result}${operation.message ? ` (${escapeHtml(operation.message)})` : ""}</li>`)
    .join("")}</ul></details>`;
}

/** What the run was asked to do and with which versions. */
export function renderSettings(data: Pick<ReportData, "settings" | "versions">): string {
  const table = (title: string, entries: readonly Entry[]): string =>
    entries.length === 0
      ? ""
      : `<div><h3>${title}</h3><table class="settings"><tbody>${entries.map((entry) => `<tr><th>${escapeHtml(entry.name)}</th><td>${escapeHtml(entry.value)}</td></tr>`).join("")}</tbody></table></div>`;
  return `<section><h2>Settings and versions</h2><div class="columns">${table("Run", data.settings)}${table("Versions", data.versions)}</div></section>`;
}

const STYLE = `
:root { color-scheme: light; --muted: #64748b; --line: #e2e8f0; --ok: #15803d; --warn: #b45309; --bad: #b91c1c; }
* { box-sizing: border-box; }
body { margin: 0; background: #f8fafc; color: #0f172a; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1080px; margin: 0 auto; padding: 20px 24px 40px; }
h1 { font-size: 24px; margin: 0 0 2px; }
h1 .subtitle { font-size: 14px; font-weight: normal; color: var(--muted); margin-left: 8px; }
h2 { font-size: 18px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 16px; margin: 0 0 4px; }
code, pre { font: 12px/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
pre { margin: 0; white-space: pre-wrap; word-break: break-all; max-height: 8em; overflow: auto; }
.muted { color: var(--muted); }
.tiles { display: grid; grid-template-columns: repeat(6, 1fr); gap: 10px; margin-top: 14px; }
.tile { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; }
.tile-name { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.tile-value { font-size: 18px; font-weight: 600; }
.tile-note { color: var(--muted); font-size: 12px; }
.tile.ok .tile-value { color: var(--ok); } .tile.warn .tile-value { color: var(--warn); } .tile.bad .tile-value { color: var(--bad); }
.error { background: #fef2f2; border: 1px solid #fecaca; color: var(--bad); border-radius: 8px; padding: 8px 12px; }
.task, .rejected-code { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin: 0 0 14px; }
.meta { color: var(--muted); margin: 0 0 6px; }
.stats { display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 0 0 4px; }
.stats div { display: flex; gap: 6px; } .stats dt { color: var(--muted); } .stats dd { margin: 0; font-weight: 600; }
.latency { margin: 0 0 6px; }
svg.chart { display: block; margin-top: 4px; font-size: 11px; }
svg .tick, svg .note { fill: ${COLORS.axis}; font-size: 11px; }
svg .label { fill: #0f172a; font-size: 12px; }
svg .panel { fill: #0f172a; font-size: 12px; font-weight: 600; }
svg .legend { fill: #334155; font-size: 11px; }
svg .muted-svg { fill: var(--muted); font-size: 12px; }
svg .hover { fill: transparent; } svg .hover:hover { fill: rgba(15, 23, 42, .06); }
svg a:hover rect { opacity: .8; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid var(--line); }
thead th { color: var(--muted); font-weight: 600; font-size: 12px; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
tfoot th, tfoot td { font-weight: 600; border-top: 2px solid var(--line); }
.examples td:nth-child(3) { max-width: 320px; } .examples td:nth-child(4) { max-width: 360px; }
.count { font-size: 13px; color: var(--warn); font-weight: normal; margin-left: 6px; }
.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.settings th { width: 40%; color: var(--muted); font-weight: normal; }
details { margin-top: 6px; } summary { cursor: pointer; color: var(--muted); }
footer { margin-top: 28px; font-size: 12px; }
@media (max-width: 800px) { .tiles { grid-template-columns: repeat(2, 1fr); } .columns { grid-template-columns: 1fr; } }
`;
