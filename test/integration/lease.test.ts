import { readdirSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Neo4jCheckpointStore } from "../../src/run/neo4j-checkpoint-store.js";
import { graphload, startGraphload } from "../support/cli.js";
import { exactIdGraph, idGraph, idPipeline, idRowsCsv } from "../support/id-load.js";
import { leaseOf, markerCount } from "../support/kept-state.js";
import { openDriver, removeTestData, uniqueLabel } from "../support/neo4j.js";
import { query, workDir } from "../support/run-fixture.js";
import { until } from "../support/until.js";

const driver = openDriver();
const pipelines: string[] = [];
const labels: string[] = [];

afterAll(async () => {
  await removeTestData(driver, { labels, pipelines });
  await driver.close();
});

const SMALL = 20_000;
const log = (line: string): void => void process.stderr.write(`[lease] ${line}\n`);

function names(prefix: string): { pipeline: string; label: string } {
  const pipeline = uniqueLabel(`lease-${prefix}`).toLowerCase().replaceAll("_", "-");
  const label = uniqueLabel("Lease");
  pipelines.push(pipeline);
  labels.push(label);
  return { pipeline, label };
}

async function runRecord(pipeline: string): Promise<Record<string, unknown> | undefined> {
  const [row] = await query(driver, "MATCH (r:GraphloadRun {name: $pipeline}) RETURN r.fingerprint AS fingerprint, r.status AS status, toString(r.startedAt) AS startedAt", { pipeline });
  return row;
}

describe("one run of a pipeline at a time, against the server", () => {
  it("--resume with nothing to resume is a normal run, which takes and releases the lease", async () => {
    const { pipeline, label } = names("nothing");
    const dir = workDir({ "p.yaml": idPipeline(pipeline, label, { batchSize: 1000, concurrency: 2 }), "rows.csv": idRowsCsv(SMALL) });
    const result = await graphload(["run", "p.yaml", "--resume", "--no-progress", "--summary-json", "summary.json"], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(await idGraph(driver, label)).toEqual(exactIdGraph(SMALL));
    expect(JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")).totals.batchesSkipped).toBe(0);
    expect(await leaseOf(driver, pipeline)).toBeUndefined();
    expect(await runRecord(pipeline)).toMatchObject({ status: "completed" });
  });

  it("a run killed with SIGKILL at a random point is resumed at once: its lease (this host, pid gone) is taken over; exact, in create mode", async () => {
    const { pipeline, label } = names("kill");
    const rows = 60_000;
    const dir = workDir({ "p.yaml": idPipeline(pipeline, label, { batchSize: 200, concurrency: 2 }), "rows.csv": idRowsCsv(rows) });
    const killAt = Math.floor(rows * (0.05 + Math.random() * 0.85));
    const doomed = startGraphload(["run", "p.yaml", "--no-progress"], { cwd: dir });
    await until(async () => (await idGraph(driver, label)).nodes >= killAt);
    doomed.child.kill("SIGKILL");
    expect(await doomed.exited).toBe(null);
    const partial = await idGraph(driver, label);
    expect(partial.nodes).toBeLessThan(rows);
    // The dead run's lease is still there, renewed moments ago: only its pid says it is gone.
    expect(await leaseOf(driver, pipeline)).toMatchObject({ host: hostname(), pid: doomed.child.pid });

    const resumed = await graphload(["run", "p.yaml", "--resume", "--no-progress", "--summary-json", "summary.json"], { cwd: dir });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(await idGraph(driver, label)).toEqual(exactIdGraph(rows));
    const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
    log(`SIGKILL at ${partial.nodes} of ${rows} nodes (aimed at ${killAt}); --resume skipped ${summary.totals.batchesSkipped} batches, wrote ${summary.totals.rowsWritten}`);
    expect(summary.totals.rowsWritten).toBe(rows - partial.nodes);
    expect(await leaseOf(driver, pipeline)).toBeUndefined();
  });

  it("refuses a second run during a live one, plain, --resume or --fresh: exit 4 naming the holder, nothing written, and the first finishes exact", async () => {
    const { pipeline, label } = names("live");
    const other = uniqueLabel("LeaseOther");
    labels.push(other);
    const rows = 30_000;
    const csv = idRowsCsv(rows).trimEnd().split("\n");
    const first = `
version: 1
name: ${pipeline}
defaults: { batchSize: 1000, concurrency: 2, mode: create }
stages:
  - name: nodes
    tasks:
      - name: rows
        source: { stdin: true, format: csv }
        node: { labels: [${label}], key: [id], properties: { id: { column: id, type: integer }, name: name } }
`;
    // The same pipeline name, writing elsewhere and asking for a constraint: any write of it would show.
    const second = `
version: 1
name: ${pipeline}
defaults: { mode: merge }
stages:
  - name: nodes
    tasks:
      - name: rows
        source: { file: rows.csv }
        node: { labels: [${other}], key: [id], properties: { id: { column: id, type: integer } } }
`;
    const dir = workDir({ "first.yaml": first, "second.yaml": second, "rows.csv": `${csv.join("\n")}\n` });
    const live = startGraphload(["run", "first.yaml", "--no-progress", "--dead-letter", "first.rejected.jsonl"], { cwd: dir });
    live.child.stdin.write(`${csv.slice(0, rows / 2 + 1).join("\n")}\n`);
    // Half the rows in, the rest not yet sent: the first run is live and idle, its state still.
    await until(async () => (await idGraph(driver, label)).nodes >= rows / 2 - 1000 || live.child.exitCode !== null);
    expect(live.child.exitCode).toBe(null);
    const lease = await leaseOf(driver, pipeline);
    expect(lease).toMatchObject({ host: hostname(), pid: live.child.pid });
    const record = await runRecord(pipeline);
    const markers = await markerCount(driver, pipeline);
    const nodes = (await idGraph(driver, label)).nodes;
    for (const flags of [[], ["--resume"], ["--fresh"]]) {
      const refused = await graphload(["run", "second.yaml", "--no-progress", ...flags], { cwd: dir });
      expect(refused.code, `${flags.join(" ")}: ${refused.stderr}`).toBe(4);
      expect(refused.stderr).toContain("GL_RUN_IN_PROGRESS");
      expect(refused.stderr).toContain(`host ${hostname()}, pid ${live.child.pid}, started `);
      expect(await leaseOf(driver, pipeline)).toEqual(lease);
      expect(await runRecord(pipeline)).toEqual(record);
      expect(await markerCount(driver, pipeline)).toBe(markers);
      expect((await idGraph(driver, label)).nodes).toBe(nodes);
      expect((await idGraph(driver, other)).nodes).toBe(0);
    }
    const [constraints] = await query<{ n: number }>(driver, "SHOW CONSTRAINTS YIELD labelsOrTypes WHERE $other IN labelsOrTypes RETURN toFloat(count(*)) AS n", { other });
    expect(constraints.n).toBe(0);
    expect(readdirSync(dir).filter((file) => file.endsWith(".rejected.jsonl"))).toEqual([]);

    live.child.stdin.end(`${csv.slice(rows / 2 + 1).join("\n")}\n`);
    expect(await live.exited, live.stdout() + live.stderr()).toBe(0);
    expect(await idGraph(driver, label)).toEqual(exactIdGraph(rows));
    expect(await leaseOf(driver, pipeline)).toBeUndefined();
  });

  it("takes over another host's lapsed lease with a short --lease-timeout, and refuses it under the default", async () => {
    const { pipeline, label } = names("foreign");
    const dir = workDir({ "p.yaml": idPipeline(pipeline, label, { batchSize: 1000, concurrency: 2 }), "rows.csv": idRowsCsv(SMALL) });
    await new Neo4jCheckpointStore(driver, undefined, pipeline, { retryBudgetMs: 0 }).prepare();
    await driver.executeQuery(
      `CREATE (:GraphloadLease {name: $pipeline, token: 'foreign', host: 'batch-host-7', pid: 77,
         startedAt: datetime() - duration('PT5M'), renewedAt: datetime() - duration('PT30S')})`,
      { pipeline },
    );
    const refused = await graphload(["run", "p.yaml", "--no-progress"], { cwd: dir });
    expect(refused.code, refused.stderr).toBe(4);
    expect(refused.stderr).toContain("host batch-host-7, pid 77");
    expect((await idGraph(driver, label)).nodes).toBe(0);
    expect(await runRecord(pipeline)).toBeUndefined();

    const tooShort = await graphload(["run", "p.yaml", "--no-progress", "--lease-timeout", "5"], { cwd: dir });
    expect(tooShort.code).toBe(2);

    const took = await graphload(["run", "p.yaml", "--no-progress", "--lease-timeout", "20"], { cwd: dir });
    expect(took.code, took.stderr).toBe(0);
    expect(await idGraph(driver, label)).toEqual(exactIdGraph(SMALL));
    expect(await leaseOf(driver, pipeline)).toBeUndefined();
  });

  it("lets exactly one of many runs racing for the lease win, whether they find none or a lapsed one", async () => {
    const { pipeline } = names("race");
    const stores = Array.from({ length: 8 }, () => new Neo4jCheckpointStore(driver, undefined, pipeline, { retryBudgetMs: 30_000 }));
    await stores[0].prepare();
    for (const round of ["none", "lapsed"]) {
      if (round === "lapsed") await driver.executeQuery("MATCH (l:GraphloadLease {name: $pipeline}) SET l.renewedAt = datetime() - duration('PT2M')", { pipeline });
      const attempts = await Promise.all(
        stores.map((store, i) => store.takeLease({ token: `${round}-${i}`, host: "racer", pid: i }, 60_000, (held) => held.lapsed)),
      );
      const winners = attempts.filter((attempt) => attempt.taken);
      expect(winners, round).toHaveLength(1);
      const winner = winners[0].holder.token;
      for (const attempt of attempts) expect(attempt.holder.token).toBe(winner);
      expect((await leaseOf(driver, pipeline))?.token).toBe(winner);
    }
  });
});

