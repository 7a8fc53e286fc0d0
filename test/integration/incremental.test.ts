import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphload, startGraphload } from "../support/cli.js";
import { neo4jConnection, openDriver, removeTestData, uniqueLabel } from "../support/neo4j.js";
import { startPostgres, type StartedPostgres } from "../support/postgres.js";
import { query, runIn, workDir } from "../support/run-fixture.js";
import { until } from "../support/until.js";

const driver = openDriver();
let postgres: StartedPostgres;
const labels: string[] = [];
const pipelines: string[] = [];
const log = (line: string): void => void process.stderr.write(`[incremental] ${line}\n`);

beforeAll(async () => {
  postgres = await startPostgres();
}, 300_000);
afterAll(async () => {
  await removeTestData(driver, { labels, pipelines });
  await postgres?.stop();
  await driver.close();
});

/** A table of events whose `updated_at` repeats ten times (ties across batch boundaries) with microseconds. */
async function eventsTable(table: string, rows: number): Promise<void> {
  await postgres.psql("postgres", { sql: `CREATE TABLE ${table} (id int8 PRIMARY KEY, updated_at timestamptz NOT NULL, name text)` });
  await addEvents(table, 1, rows);
}

async function addEvents(table: string, from: number, to: number): Promise<void> {
  await postgres.psql("postgres", {
    sql: `INSERT INTO ${table} SELECT i, timestamptz '2024-01-01 00:00:00.123456+00' + (i / 10) * interval '1 second', 'event ' || i FROM generate_series(${from}, ${to}) AS i`,
  });
}

function names(): { label: string; name: string; table: string } {
  const label = uniqueLabel("Event");
  labels.push(label);
  const name = `incremental-${label}`;
  pipelines.push(name);
  return { label, name, table: label.toLowerCase() };
}

function eventsPipeline(name: string, label: string, source: string, settings = "batchSize: 7, concurrency: 3"): string {
  return `
version: 1
name: ${name}
defaults: { mode: create, ${settings} }
stages:
  - name: nodes
    tasks:
      - name: events
        source: ${source}
        node: { labels: [${label}], key: [id], properties: { id: id, name: name, updatedAt: updated_at } }
`;
}

async function graph(label: string): Promise<{ nodes: number; ids: number }> {
  const [counts] = await query<{ nodes: number; ids: number }>(driver, `MATCH (n:${label}) RETURN toFloat(count(n)) AS nodes, toFloat(count(DISTINCT n.id)) AS ids`);
  return counts;
}

async function watermark(name: string): Promise<{ value: string; type: string } | undefined> {
  const [stored] = await query<{ value: string; type: string }>(
    driver,
    "MATCH (w:GraphloadWatermark {pipeline: $name, task: 'events'}) RETURN toString(w.value) AS value, valueType(w.value) AS type",
    { name },
  );
  return stored;
}

const readOf = (summary: { stages: { tasks: { rowsRead: number }[] }[] }): number => summary.stages[0].tasks[0].rowsRead;

describe("an incremental PostgreSQL source", () => {
  it("reads only the rows added since the last run, ties across batches included, the watermark typed as the column", async () => {
    const { label, name, table } = names();
    await eventsTable(table, 95);
    const source = `{ postgres: { url: "${postgres.url()}", query: "SELECT id, updated_at, name FROM ${table} WHERE updated_at > $1 ORDER BY updated_at, id", incremental: { column: updated_at, initial: "2000-01-01T00:00:00Z" } } }`;
    const yaml = eventsPipeline(name, label, source);
    const dir = workDir();

    const first = await runIn(driver, dir, yaml);
    expect(first.exitCode).toBe(0);
    expect(readOf(first)).toBe(95);
    expect(await watermark(name)).toEqual({ value: "2024-01-01T00:00:09.123456Z", type: "ZONED DATETIME NOT NULL" });

    // 96–99 share the last run's highest timestamp: rows committed after a run read them never come back.
    await addEvents(table, 100, 160);
    const second = await runIn(driver, dir, yaml);
    expect(readOf(second)).toBe(61);
    expect(await graph(label)).toEqual({ nodes: 156, ids: 156 });
    expect(await watermark(name)).toEqual({ value: "2024-01-01T00:00:16.123456Z", type: "ZONED DATETIME NOT NULL" });

    const third = await runIn(driver, dir, yaml);
    expect(third.exitCode).toBe(0);
    expect(readOf(third)).toBe(0);
    expect((await watermark(name))?.value).toBe("2024-01-01T00:00:16.123456Z");
  });

  it("with keyset paging, killed half-way (SIGKILL) and resumed with new rows added meanwhile: every row once, the watermark the highest", async () => {
    const { label, name, table } = names();
    const rows = 20_000;
    await eventsTable(table, rows);
    const source = `{ postgres: { url: "${postgres.url()}", query: "SELECT id, updated_at, name FROM ${table} WHERE updated_at > $3 AND id > $1 ORDER BY id LIMIT $2", keyset: { column: id, after: 0, page: 500 }, incremental: { column: updated_at, initial: "2000-01-01T00:00:00Z" } } }`;
    const dir = workDir({ "p.yaml": eventsPipeline(name, label, source, "batchSize: 100, concurrency: 2") });
    const killed = await killedHalfWay(dir, label, rows);
    log(`SIGKILL after ${killed} of ${rows} rows`);

    await addEvents(table, rows + 1, rows + 500);
    const resumed = await graphload(["run", "p.yaml", "--resume", "--no-progress", "--summary-json", "summary.json"], { cwd: dir });
    expect(resumed.stderr).toBe("");
    expect(resumed.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
    log(`--resume read ${summary.stages[0].tasks[0].rowsRead} rows, skipped ${summary.stages[0].tasks[0].batchesSkipped} batches`);
    expect(await graph(label)).toEqual({ nodes: rows + 500, ids: rows + 500 });
    expect(await watermark(name)).toEqual({ value: `2024-01-01T00:34:10.123456Z`, type: "ZONED DATETIME NOT NULL" });

    // Later rows have later timestamps: 20510 is the first beyond the watermark's tie group.
    await addEvents(table, rows + 510, rows + 609);
    // --verify compares an incremental task's rows read and written, not the nodes of earlier runs.
    const next = await graphload(["run", "p.yaml", "--resume", "--verify", "--no-progress", "--summary-json", "summary.json"], { cwd: dir });
    expect(next.stderr).toBe("");
    expect(next.code).toBe(0);
    expect(readOf(JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")))).toBe(100);
    expect(await graph(label)).toEqual({ nodes: rows + 600, ids: rows + 600 });
  });

  it("killed half-way (SIGKILL) without keyset and resumed: exact; --fresh after a kill never moves the watermark", async () => {
    const { label, name, table } = names();
    const rows = 20_000;
    await eventsTable(table, rows);
    const source = `{ postgres: { url: "${postgres.url()}", query: "SELECT id, updated_at, name FROM ${table} WHERE id > $1 ORDER BY id", fetchSize: 200, incremental: { column: id, initial: 0 } } }`;
    const dir = workDir({ "p.yaml": eventsPipeline(name, label, source, "batchSize: 100, concurrency: 2") });
    await killedHalfWay(dir, label, rows);
    expect(await watermark(name)).toBeUndefined();
    const resumed = await graphload(["run", "p.yaml", "--resume", "--no-progress"], { cwd: dir });
    expect(resumed.code).toBe(0);
    expect(await graph(label)).toEqual({ nodes: rows, ids: rows });
    expect(await watermark(name)).toEqual({ value: String(rows), type: "INTEGER NOT NULL" });

    await addEvents(table, rows + 1, rows + 10_000);
    await killedHalfWay(dir, label, rows + 10_000);
    const fresh = await graphload(["run", "p.yaml", "--fresh", "--no-progress"], { cwd: dir });
    expect(fresh.code).toBe(0);
    // --fresh starts the interrupted increment over: in create mode its committed rows come again, none is lost.
    const after = await graph(label);
    expect(after.ids).toBe(rows + 10_000);
    expect(await watermark(name)).toEqual({ value: String(rows + 10_000), type: "INTEGER NOT NULL" });
  });
});

describe("an incremental Neo4j source", () => {
  it("reads the nodes beyond the watermark, an INTEGER beyond 2^53 kept exact", async () => {
    const { label, name } = names();
    const origin = uniqueLabel("Origin");
    labels.push(origin);
    const base = 9_007_199_254_740_000n;
    const add = (from: number, to: number) =>
      driver.executeQuery(`UNWIND range($from, $to) AS i CREATE (:${origin} {seq: toInteger($base) + i, name: 'n' + i})`, { from, to, base: base.toString() });
    await add(1, 50);
    const connection = neo4jConnection();
    const source = `{ neo4j: { uri: "${connection.uri}", query: "MATCH (o:${origin}) WHERE o.seq > $watermark RETURN o.seq AS id, o.name AS name, null AS updated_at", incremental: { column: id, initial: 0 } } }`;
    const yaml = eventsPipeline(name, label, source);
    const dir = workDir();
    expect(readOf(await runIn(driver, dir, yaml))).toBe(50);
    expect(await watermark(name)).toEqual({ value: (base + 50n).toString(), type: "INTEGER NOT NULL" });
    await add(51, 80);
    expect(readOf(await runIn(driver, dir, yaml))).toBe(30);
    expect(await graph(label)).toEqual({ nodes: 80, ids: 80 });
    expect(await watermark(name)).toEqual({ value: (base + 80n).toString(), type: "INTEGER NOT NULL" });
  });
});

describe("an incremental files glob", () => {
  const csv = (from: number, to: number) => ["id,name", ...Array.from({ length: to - from + 1 }, (_, i) => `${from + i},n${from + i}`)].join("\n") + "\n";

  it("reads only each new drop, a rewritten file again, and nothing when nothing is new; a stopped run resumes with its own files", async () => {
    const { label, name } = names();
    const dir = workDir();
    mkdirSync(join(dir, "drops"));
    const drop = (file: string, from: number, to: number) => writeFileSync(join(dir, "drops", file), csv(from, to));
    drop("2024-01-01.csv", 1, 100);
    drop("2024-01-02.csv", 101, 150);
    const yaml = eventsPipeline(name, label, `{ files: "drops/*.csv", incremental: true }`).replace("updatedAt: updated_at", "file: name");
    const run = (options = {}) => runIn(driver, dir, yaml, options);

    expect(readOf(await run())).toBe(150);
    drop("2024-01-03.csv", 151, 180);
    expect(readOf(await run())).toBe(30);
    expect(await graph(label)).toEqual({ nodes: 180, ids: 180 });
    const nothing = await run();
    expect([nothing.exitCode, readOf(nothing)]).toEqual([0, 0]);
    drop("2024-01-02.csv", 1001, 1040);
    expect(readOf(await run())).toBe(40);

    // Stopped after its first batch, with two new drops; a third lands before the resume and waits for the next run.
    drop("2024-01-04.csv", 2001, 2100);
    drop("2024-01-05.csv", 2101, 2200);
    const controller = new AbortController();
    const stopped = await run({ signal: controller.signal, onEvent: (event: { type: string }) => event.type === "batch" && controller.abort() });
    expect(stopped.exitCode).toBe(1);
    drop("2024-01-06.csv", 3001, 3010);
    const resumed = await run({ resume: true });
    expect(resumed.exitCode).toBe(0);
    expect(await graph(label)).toEqual({ nodes: 420, ids: 420 });
    expect(readOf(await run())).toBe(10);
    const [loaded] = await query<{ files: string[]; identities: number }>(
      driver,
      "MATCH (f:GraphloadFile {pipeline: $name, task: 'events'}) WITH f ORDER BY f.name RETURN collect(f.name) AS files, toFloat(count(DISTINCT f.identity)) AS identities",
      { name },
    );
    expect(loaded.files).toEqual(["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-06"].map((day) => join("drops", `${day}.csv`)).map((file) => expect.stringContaining(file)));
    expect(loaded.identities).toBe(6);
  });

  it("matching nothing, reads nothing and succeeds", async () => {
    const { label, name } = names();
    const summary = await runIn(driver, workDir(), eventsPipeline(name, label, `{ files: "drops/*.csv", incremental: true }`).replace("updatedAt: updated_at", "file: name"));
    expect([summary.exitCode, readOf(summary)]).toEqual([0, 0]);
  });
});

/** Starts `run` in a process and kills it with SIGKILL once a fifth of the rows are in the graph. */
async function killedHalfWay(dir: string, label: string, rows: number): Promise<number> {
  const before = (await graph(label)).nodes;
  const run = startGraphload(["run", "p.yaml", "--no-progress"], { cwd: dir });
  await until(async () => (await graph(label)).nodes - before >= (rows - before) / 5, 20);
  run.child.kill("SIGKILL");
  expect(await run.exited).toBe(null);
  const { nodes } = await graph(label);
  // Killed half-way, not after the end.
  expect(nodes).toBeLessThan(rows);
  return nodes;
}
