import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Neo4jSink } from "../../src/run/neo4j-sink.js";
import { markerId } from "../../src/run/checkpoint-store.js";
import { graphload, startGraphload } from "../support/cli.js";
import { openDriver, uniqueLabel } from "../support/neo4j.js";
import { EXACT_ID_GRAPH, ID_ROWS, idGraph, idPipeline, idRowsCsv } from "../support/id-load.js";
import { query, workDir } from "../support/run-fixture.js";
import { until } from "../support/until.js";
import { stageBookmarks } from "../../src/run/stage-bookmarks.js";

const driver = openDriver();
afterAll(() => driver.close());

const ROWS = ID_ROWS;
const EXACT = EXACT_ID_GRAPH;

function setUp(name: string): { dir: string; label: string } {
  const label = uniqueLabel("Resume");
  return { dir: workDir({ "p.yaml": idPipeline(name, label, { batchSize: 1000, concurrency: 2 }), "rows.csv": idRowsCsv() }), label };
}

const graphState = (label: string) => idGraph(driver, label);
const log = (line: string): void => void process.stderr.write(`[resume] ${line}\n`);

/** Starts a run and sends `signal` once some batches have committed. */
async function interrupted(dir: string, label: string, signal: NodeJS.Signals): Promise<{ code: number | null; stdout: string }> {
  const run = startGraphload(["run", "p.yaml", "--no-progress"], { cwd: dir });
  await until(async () => (await graphState(label)).nodes >= 20_000);
  run.child.kill(signal);
  return { code: await run.exited, stdout: run.stdout() };
}

describe("exactly once", () => {
  it("resumes a run killed with SIGKILL in create mode: no row lost, none written twice", async () => {
    const { dir, label } = setUp("resume-kill");
    const killed = await interrupted(dir, label, "SIGKILL");
    expect(killed.code).toBe(null);
    const partial = await graphState(label);
    expect(partial.nodes).toBeLessThan(ROWS);

    const again = await graphload(["run", "p.yaml", "--no-progress"], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("--resume");

    const resumed = await graphload(["run", "p.yaml", "--resume", "--no-progress", "--summary-json", "summary.json"], { cwd: dir });
    expect(resumed.code).toBe(0);
    expect(await graphState(label)).toEqual(EXACT);
    const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
    expect(summary.totals.batchesSkipped).toBeGreaterThan(0);
    log(`SIGKILL at ${partial.nodes} of ${ROWS} nodes; --resume skipped ${summary.totals.batchesSkipped} batches, wrote ${summary.totals.rowsWritten} rows, ${summary.totals.retries} retries; graph ${JSON.stringify(await graphState(label))}`);
    expect(summary.totals.rowsWritten).toBe(ROWS - partial.nodes);
    // A completed run leaves no markers behind.
    const [markers] = await query(driver, "MATCH (m:GraphloadBatch {run: 'resume-kill'}) RETURN toFloat(count(m)) AS n");
    expect(markers.n).toBe(0);
  });

  it("stops on SIGTERM after the batches in flight, with the summary and exit 1; --resume completes", async () => {
    const { dir, label } = setUp("resume-term");
    const stopped = await interrupted(dir, label, "SIGTERM");
    expect(stopped.code).toBe(1);
    expect(stopped.stdout).toContain("pipeline resume-term: stopped");
    const atStop = await graphState(label);
    const resumed = await graphload(["run", "p.yaml", "--resume", "--no-progress", "--summary-json", "summary.json"], { cwd: dir });
    expect(resumed.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
    log(`SIGTERM: stopped with ${atStop.nodes} of ${ROWS} nodes; --resume skipped ${summary.totals.batchesSkipped} batches, wrote ${summary.totals.rowsWritten} rows; graph ${JSON.stringify(await graphState(label))}`);
    expect(summary.totals.rowsWritten).toBe(ROWS - atStop.nodes);
    expect(await graphState(label)).toEqual(EXACT);
  });

  it("refuses to resume when an input changed", async () => {
    const { dir, label } = setUp("resume-changed");
    await interrupted(dir, label, "SIGKILL");
    appendFileSync(join(dir, "rows.csv"), `${ROWS},late\n`);
    const refused = await graphload(["run", "p.yaml", "--resume", "--no-progress"], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("GL_RESUME_MISMATCH");
    expect(refused.stderr).toContain("input file rows.csv changed size");
    expect(refused.stderr).toContain("--fresh");
    const fresh = await graphload(["run", "p.yaml", "--fresh", "--no-progress", "--keep-markers"], { cwd: dir });
    expect(fresh.code).toBe(0);
    const [markers] = await query(driver, "MATCH (m:GraphloadBatch {run: 'resume-changed'}) RETURN toFloat(count(m)) AS n");
    expect(markers.n).toBe(201);
  });

  it("counts a batch whose marker exists as committed, without writing it again", async () => {
    const label = uniqueLabel("Marker");
    const sink = new Neo4jSink(driver);
    const run = uniqueLabel("run");
    const marker = { id: markerId(run, "t", "0", 1), run, task: "t", lane: "0", start: 1, end: 2, key: null, watermark: null };
    const batch = { cypher: `UNWIND $rows AS row CREATE (:${label} {id: row.id})`, parameters: { rows: [{ id: 1 }, { id: 2 }] }, bookmarks: stageBookmarks([]), marker };
    const stackTraceLimit = Error.stackTraceLimit;
    expect((await sink.write(batch)).alreadyCommitted).toBeUndefined();
    expect((await sink.write(batch)).alreadyCommitted).toBe(true);
    // The sink lowers it only while the driver creates a result.
    expect(Error.stackTraceLimit).toBe(stackTraceLimit);
    const [stored] = await query(driver, `MATCH (n:${label}) RETURN toFloat(count(n)) AS n`);
    expect(stored.n).toBe(2);
    await driver.executeQuery("MATCH (m:GraphloadBatch {run: $run}) DELETE m", { run });
  });
});
