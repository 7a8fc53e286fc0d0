import { describe, expect, it } from "vitest";
import { renderTaskChart, renderTimeline } from "../../../src/report/charts.js";
import { clock, compact, duration, niceTicks, timeStep } from "../../../src/report/format.js";
import { REPORT_CSP, renderCounters, renderRejected, renderReport, renderSettings } from "../../../src/report/render-report.js";
import type { ReportData } from "../../../src/report/report-data.js";
import { RunRecorder } from "../../../src/run/run-recorder.js";
import { ReportRecorder } from "../../../src/report/report-recorder.js";
import { externalReferences } from "../../support/page-references.js";
import { sampleRun } from "./sample-run.js";

function sampleData(): ReportData {
  const { report, summary } = sampleRun();
  return report.data({
    summary,
    settings: [{ name: "Neo4j URI", value: "bolt://127.0.0.1:7687" }],
    versions: [
      { name: "graphload", value: "0.1.0" },
      { name: "Neo4j server", value: "5.26.0" },
    ],
  });
}

describe("renderReport", () => {
  it("is one page that loads nothing: a CSP allowing inline styles and scripts only, and no reference out", () => {
    const html = renderReport(sampleData());
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`);
    expect(REPORT_CSP).toBe("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'");
    expect(externalReferences(html)).toEqual([]);
  });

  it("names every task and draws a chart for each, plus the timeline", () => {
    const html = renderReport(sampleData());
    for (const task of ["people", "places", "knows"]) {
      expect(html).toContain(`<h3>${task}</h3>`);
      expect(html).toContain(`id="task-`);
    }
    expect(html.match(/<svg /g)).toHaveLength(4);
    expect(html).toContain("nodes / people");
    expect(html).toContain("links / knows");
  });

  it("shows the outcome at a glance", () => {
    const html = renderReport(sampleData());
    expect(html).toMatch(/status<\/div><div class="tile-value">completed<\/div><div class="tile-note">exit 3, rows rejected/);
    expect(html).toContain(`rows written</div><div class="tile-value">55,439</div>`);
    expect(html).toContain(`retries</div><div class="tile-value">9</div><div class="tile-note">8 deadlocks</div>`);
  });

  it("escapes whatever the data says: task names, messages, rows", () => {
    const data = sampleData();
    const hostile: ReportData = {
      ...data,
      pipeline: `<script>alert("p")</script>`,
      rejected: [{ code: "GL_X", count: 1, unmatched: 0, tasks: [{ task: "<img src=x>", count: 1 }], examples: [{ task: "<img src=x>", source: "a.csv", line: 1, message: "</td><script>x()</script>", row: `{"a":"<b onmouseover=y()>"}` }] }],
    };
    const html = renderReport(hostile);
    // The page's only <script> would be graphload's own; it has none.
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img src=x>");
    expect(html).not.toContain("<b onmouseover");
    expect(html).toContain("&lt;script&gt;alert(&quot;p&quot;)&lt;/script&gt;");
    expect(externalReferences(html)).toEqual([]);
  });

  it("finds what a page would load, if anything (the check above checks something)", () => {
    const page = `<style>body { background: url(x.png) }</style><img src="http://example.com/a.png"><a href="#top">top</a><link rel="stylesheet" href="https://cdn.example/s.css"><p>&lt;img src="y"&gt;</p>`;
    expect(externalReferences(page)).toEqual(["<img>", "src=http://example.com/a.png", "<link>", "href=https://cdn.example/s.css", "url( in a stylesheet"]);
  });

  it("shows a failed run's error", () => {
    const data = { ...sampleData(), status: "failed" as const, exitCode: 1, error: { code: "GL_TOO_MANY_ERRORS", message: "more than 3 rows were rejected" } };
    const html = renderReport(data);
    expect(html).toContain(`<div class="tile bad"><div class="tile-name">status</div><div class="tile-value">failed</div>`);
    expect(html).toContain("<strong>GL_TOO_MANY_ERRORS</strong>: more than 3 rows were rejected");
  });

  it("renders a run in which nothing ran", () => {
    const run = new RunRecorder("empty");
    run.record({ type: "run-end", status: "failed", error: { code: "E", message: "no" }, durationMs: 5, bookmarks: [] });
    const html = renderReport(new ReportRecorder().data({ summary: run.summary }));
    expect(html).toContain("No stage ran.");
    expect(html).toContain("No task ran.");
    expect(html).toContain("No row was rejected.");
    expect(html).toContain("The server reported no changes.");
  });
});

describe("report sections", () => {
  it("groups rejected rows by code, commonest first, with examples and how many more", () => {
    const html = renderRejected(sampleData());
    const codes = [...html.matchAll(/<h3><code>([^<]+)<\/code>/g)].map((match) => match[1]);
    expect(codes).toEqual(["GL_ENDPOINT_NOT_FOUND", "GL_BAD_VALUE", "GL_MALFORMED_RECORD"]);
    expect(html).toContain("60 rows");
    expect(html).toContain("60 with a missing start or end node");
    expect(html).toContain("and 57 more in <code>/tmp/sample.rejected.jsonl</code>");
    expect(html).toContain("<code>people.csv:103</code>");
    expect(html).toContain("<pre>7,&lt;b&gt;Zürich&lt;/b&gt;</pre>");
  });

  it("lists the server's counters per task and in total, only the columns with changes", () => {
    const html = renderCounters(sampleData());
    const columns = [...html.matchAll(/<th class="num">([^<]+)<\/th>/g)].map((match) => match[1]);
    expect(columns).toEqual(["nodes created", "relationships created", "properties set", "labels added", "constraints added"]);
    expect(html).toContain("<tr><th>links / knows</th><td class=\"num\">0</td><td class=\"num\">14,940</td>");
    expect(html).toContain("<tfoot><tr><th>total</th><td class=\"num\">40,499</td>");
  });

  it("lists settings and versions", () => {
    const html = renderSettings(sampleData());
    expect(html).toContain("<th>Neo4j URI</th><td>bolt://127.0.0.1:7687</td>");
    expect(html).toContain("<th>Neo4j server</th><td>5.26.0</td>");
  });
});

describe("charts", () => {
  it("plots throughput, latency percentiles, retries and rejections of a task on the run's time axis", () => {
    const data = sampleData();
    const knows = data.stages[1].tasks[0];
    const svg = renderTaskChart(knows, data);
    expect(svg).toMatch(/^<svg class="chart" viewBox="0 0 960 \d+"/);
    // Written (area), read (line), three percentiles.
    expect(svg.match(/<path /g)!.length).toBeGreaterThanOrEqual(5);
    expect(svg).toContain('fill="#b91c1c"'); // deadlocks
    expect(svg).toContain('fill="#7c3aed"'); // rejected rows
    // One hover target per bucket in which something happened, naming its numbers.
    expect(svg.match(/class="hover"/g)).toHaveLength(knows.series.written.length);
    expect(svg).toMatch(/<title>4s – 5s\n[\d,]+ rows\/s written/);
    // Labels of the shared axis run to the end of the run (8.8 s: a label each second).
    expect(svg).toContain(">8s</text>");
  });

  it("says so when a task wrote no batch", () => {
    const data = sampleData();
    const task = { ...data.stages[0].tasks[1], latency: undefined, series: { ...data.stages[0].tasks[1].series, p50: [null], p90: [null], p99: [null], max: [null] } };
    expect(renderTaskChart(task, data)).toContain("no batches written");
  });

  it("draws one timeline bar per task, linking to its chart, after the schema step", () => {
    const svg = renderTimeline(sampleData());
    expect(svg.match(/<a href="#task-/g)).toHaveLength(3);
    expect(svg).toContain('href="#task-links-knows"');
    // The sample's constraint took from the recorder's start to the first stage, 100 ms.
    expect(svg).toContain(">start and schema</text>");
    expect(svg).toContain(">100 ms · schema: 1 created</text>");
  });
});

describe("formatting", () => {
  it("picks round gridlines", () => {
    expect(niceTicks(9500)).toEqual([0, 2500, 5000, 7500, 10_000]);
    expect(niceTicks(3)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });

  it("writes numbers and times briefly", () => {
    expect(compact(12_345)).toBe("12.3k");
    expect(compact(1_500_000)).toBe("1.5M");
    expect(compact(950)).toBe("950");
    expect(duration(0)).toBe("0");
    expect(duration(0.42)).toBe("0.4 ms");
    expect(duration(120.4)).toBe("120 ms");
    expect(duration(4210)).toBe("4.2 s");
    expect(duration(185_000)).toBe("3 min 5 s");
    expect(duration(3_720_000)).toBe("1 h 2 min");
    expect(clock(90)).toBe("1m30s");
    expect(timeStep(8.8)).toBe(2);
    expect(timeStep(3600)).toBe(600);
  });
});
