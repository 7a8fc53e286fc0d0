import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { graphload } from "../support/cli.js";
import { openInChromium, pngSize } from "../support/chromium.js";
import { neo4jConnection, openDriver, uniqueLabel } from "../support/neo4j.js";
import { externalReferences } from "../support/page-references.js";
import { query, workDir } from "../support/run-fixture.js";
import { startTcpProxy } from "../support/tcp-proxy.js";

/** Kept after the run for people and CI to look at (gitignored). */
const ARTIFACTS = fileURLToPath(new URL("../artifacts/", import.meta.url));

const driver = openDriver();
const hub = uniqueLabel("ReportHub");
const person = uniqueLabel("ReportPerson");
const link = uniqueLabel("REPORT_LINK");

afterAll(async () => {
  const session = driver.session();
  try {
    await session.run(`MATCH (n) WHERE n:${hub} OR n:${person} CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS`);
  } finally {
    await session.close();
  }
  const owned = "WHERE any(label IN labelsOrTypes WHERE label IN $names)";
  for (const { name } of await query<{ name: string }>(driver, `SHOW CONSTRAINTS YIELD name, labelsOrTypes ${owned} RETURN name`, { names: [hub, person] })) {
    await driver.executeQuery(`DROP CONSTRAINT \`${name}\` IF EXISTS`);
  }
  await driver.close();
});

const HUBS = 40;
const PEOPLE = 12_000;
const LINKS = 6_000;

/** The same "random" data every time: deadlocks come from the concurrency, not from luck in the data. */
function generator(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

/**
 * Two node tasks, then relationships between a few hub nodes written eight batches at a
 * time in random order, which makes the server choose deadlock victims. Bad values,
 * lines with a field too many and relationships to a hub that does not exist give
 * rejected rows of three codes.
 */
function inputs(): { files: Record<string, string>; rejected: Record<string, number> } {
  const random = generator(15);
  const hubs = ["id,name", ...Array.from({ length: HUBS }, (_, id) => `${id},hub ${id}`), "x7,hub with a bad id"];
  const people = ["id,name,born"];
  let badDates = 0;
  let malformed = 0;
  for (let id = 0; id < PEOPLE; id++) {
    if (id % 10_007 === 5) {
      people.push(`${id},person ${id},1990-01-01,a field too many`);
      malformed++;
    } else if (id % 3001 === 17) {
      people.push(`${id},person ${id},31/02/1990`);
      badDates++;
    } else people.push(`${id},person ${id},19${String(id % 100).padStart(2, "0")}-0${1 + (id % 9)}-1${id % 10}`);
  }
  const links = ["a,b,w"];
  let missing = 0;
  for (let i = 0; i < LINKS; i++) {
    const a = Math.floor(random() * HUBS);
    let b = Math.floor(random() * HUBS);
    if (i % 2500 === 11) {
      b = 999;
      missing++;
    }
    links.push(`${a},${b},${i}`);
  }
  const csv = (lines: string[]): string => `${lines.join("\n")}\n`;
  return {
    files: {
      "hubs.csv": csv(hubs),
      "people.csv": csv(people),
      "links.csv": csv(links),
      "pipeline.yaml": `
version: 1
name: report-${hub}
defaults: { batchSize: 1000, concurrency: 8 }
stages:
  - name: nodes
    tasks:
      - name: hubs
        source: { file: hubs.csv }
        node: { labels: [${hub}], key: [id], properties: { id: { column: id, type: integer }, name: name } }
      - name: people
        source: { file: people.csv }
        node:
          labels: [${person}]
          key: [id]
          properties: { id: { column: id, type: integer }, name: name, born: { column: born, type: date } }
  - name: links
    tasks:
      - name: links
        source: { file: links.csv }
        batchSize: 200
        strategy: parallel
        relationship:
          type: ${link}
          from: { label: ${hub}, key: { id: { column: a, type: integer } } }
          to: { label: ${hub}, key: { id: { column: b, type: integer } } }
          properties: { w: { column: w, type: integer } }
`,
    },
    rejected: { GL_BAD_VALUE: badDates + 1, GL_MALFORMED_RECORD: malformed, GL_ENDPOINT_NOT_FOUND: missing },
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Placed in a copy of the page: the browser's layout of each chart, written into the DOM for --dump-dom. */
const MEASURE = `<script>
const charts = [...document.querySelectorAll("svg.chart")].map((svg) => {
  const box = svg.getBoundingClientRect();
  const marks = [...svg.querySelectorAll("path, rect, circle")].filter((mark) => { const b = mark.getBBox(); return b.width > 0 && b.height > 0; }).length;
  return { label: svg.getAttribute("aria-label"), width: box.width, height: box.height, marks };
});
const out = document.createElement("pre");
out.id = "measured";
out.textContent = JSON.stringify({ charts, width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight });
document.body.append(out);
</script>`;

interface Measured {
  charts: { label: string; width: number; height: number; marks: number }[];
  width: number;
  height: number;
}

function measuredIn(dom: string): Measured {
  const match = /<pre id="measured">([\s\S]*?)<\/pre>/.exec(dom);
  if (!match) throw new Error("the measuring script did not run");
  return JSON.parse(match[1].replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&")) as Measured;
}

describe("run --report", () => {
  it("writes one page of a run with retries and rejected rows that Chromium renders offline", { timeout: 300_000 }, async () => {
    const { files, rejected } = inputs();
    const dir = workDir(files);
    const connection = neo4jConnection();
    const target = new URL(connection.uri);
    // Connections cut mid-load give retries that are not deadlocks, on the same time axis.
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 7687) });
    // A server with authentication off accepts any password: one the page must not show.
    const password = connection.password ?? "report-test-secret";
    try {
      let running = true;
      const run = graphload(["run", "pipeline.yaml", "--report", "report.html", "--summary-json", "summary.json", "--dead-letter", "rejected.jsonl", "--no-progress"], {
        cwd: dir,
        env: { NEO4J_URI: `bolt://${proxy.host}:${proxy.port}`, NEO4J_PASSWORD: password },
      }).finally(() => (running = false));
      // Cut twice once relationships are being written.
      while (running && (await query<{ n: number }>(driver, `MATCH ()-[r:${link}]->() RETURN toFloat(count(r)) AS n`))[0].n === 0) await sleep(100);
      for (let cut = 0; cut < 2 && running; cut++) {
        proxy.cutAll();
        await sleep(800);
      }
      const result = await run;
      expect(result.stderr).not.toContain("error");
      expect(result.code).toBe(3);

      const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
      expect(summary.totals.rowsRejected).toBe(Object.values(rejected).reduce((a, b) => a + b, 0));
      expect(summary.totals.retries).toBeGreaterThan(0);
      const html = readFileSync(join(dir, "report.html"), "utf8");
      mkdirSync(ARTIFACTS, { recursive: true });
      writeFileSync(join(ARTIFACTS, "run-report.html"), html);
      expect(html).not.toContain(password);

      // The page as Chromium has it once loaded, and what the page logged: a load it tried would be a CSP violation.
      const opened = await openInChromium(join(dir, "report.html"), ["--dump-dom"]);
      const dom = opened.stdout;
      expect(dom).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">`);
      expect(externalReferences(dom)).toEqual([]);
      expect(opened.console).toEqual([]);
      for (const task of ["hubs", "people", "links"]) expect(dom).toContain(`<h3>${task}</h3>`);
      for (const label of ["start and schema", "nodes / hubs", "nodes / people", "links / links"]) expect(dom).toContain(`>${label}</text>`);
      expect(dom).toContain(`retries</div><div class="tile-value">${summary.totals.retries.toLocaleString("en-US")}</div>`);
      expect(dom).toContain(`rows written</div><div class="tile-value">${summary.totals.rowsWritten.toLocaleString("en-US")}</div>`);
      expect(dom).toMatch(/<th>Neo4j server<\/th><td>5\.\d+/);
      expect(dom).toMatch(/<th>neo4j-driver<\/th><td>\d+\.\d+\.\d+/);

      // Rejected rows by code, each with its count and the first rows of the dead-letter file as examples.
      const letters = readFileSync(join(dir, "rejected.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line));
      for (const [code, count] of Object.entries(rejected)) {
        expect(dom).toContain(`<h3><code>${code}</code> <span class="count">${count} ${count === 1 ? "row" : "rows"}</span></h3>`);
        const first = letters.find((letter) => letter.code === code);
        expect(dom).toContain(`<code>${first.source}:${first.line}</code>`);
      }

      // Laid out by the browser: every chart (timeline and one per task) has a size and drawn marks.
      const instrumented = join(dir, "measure.html");
      writeFileSync(instrumented, html.replace("</body>", `${MEASURE}</body>`));
      const measured = measuredIn((await openInChromium(instrumented, ["--window-size=1280,900", "--dump-dom"])).stdout);
      // Tasks of a stage in the order they started, as in the summary.
      const charted = measured.charts.map((chart) => chart.label.split(":")[0]);
      expect([charted[0], ...charted.slice(1).sort()]).toEqual(["Timeline of stages and tasks", "links / links", "nodes / hubs", "nodes / people"]);
      const [timeline, ...taskCharts] = measured.charts;
      // A bar per task and one for the start of the run (where the key constraints are created).
      expect(timeline.marks).toBe(4);
      for (const chart of measured.charts) {
        expect(chart.width).toBeGreaterThan(900);
        expect(chart.height).toBeGreaterThan(80);
      }
      // The task's window, written rows as an area, the read rows' line, latency lines or dots, bars, hover targets.
      for (const chart of taskCharts) expect(chart.marks).toBeGreaterThan(5);
      expect(measured.width).toBeLessThanOrEqual(1280);

      // The whole page as a picture, for people and CI to look at.
      const png = join(ARTIFACTS, "run-report.png");
      rmSync(png, { force: true });
      const height = Math.min(measured.height, 10_000);
      await openInChromium(join(dir, "report.html"), [`--window-size=1280,${height}`, `--screenshot=${png}`]);
      expect(pngSize(readFileSync(png))).toEqual({ width: 1280, height });
    } finally {
      await proxy.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("would see a page that loads something: the browser logs the CSP violation", async () => {
    const dir = workDir({
      "page.html": `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"></head><body><img src="http://192.0.2.1/x.png"></body></html>`,
    });
    try {
      const opened = await openInChromium(join(dir, "page.html"), ["--dump-dom"]);
      expect(opened.console.join("\n")).toContain("Content Security Policy");
      expect(externalReferences(opened.stdout)).toContain("src=http://192.0.2.1/x.png");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
