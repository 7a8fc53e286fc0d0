import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { graphload, startGraphload } from "../support/cli.js";
import { openDriver, uniqueLabel } from "../support/neo4j.js";
import { query, workDir } from "../support/run-fixture.js";

const driver = openDriver();
afterAll(() => driver.close());

function pipeline(label: string): string {
  return `
version: 1
name: cli
stages:
  - name: nodes
    tasks:
      - name: people
        source: { file: people.csv }
        node:
          labels: [${label}]
          key: [id]
          properties: { id: { column: id, type: integer }, born: { column: born, type: date } }
`;
}

const nodes = async (label: string): Promise<number> => Number((await query(driver, `MATCH (n:${label}) RETURN count(n) AS n`))[0].n);

describe("graphload CLI", () => {
  it("runs a pipeline, prints the summary and writes it as JSON (exit 0)", async () => {
    const label = uniqueLabel("Cli");
    const dir = workDir({ "p.yaml": pipeline(label), "people.csv": "id,born\n1,1815-12-10\n2,1912-06-23\n" });
    const result = await graphload(["run", "p.yaml", "--summary-json", "summary.json", "--batch-size", "1"], { cwd: dir });
    expect(result.stderr).not.toContain("error");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("pipeline cli: completed (exit 0)");
    const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
    expect(summary).toMatchObject({ status: "completed", exitCode: 0, totals: { rowsRead: 2, rowsWritten: 2, batches: 2, counters: { nodesCreated: 2 } } });
    expect(summary.bookmarks.length).toBeGreaterThan(0);
    expect(await nodes(label)).toBe(2);
  });

  it("exits 3 when rows were rejected, naming the dead-letter file", async () => {
    const label = uniqueLabel("Cli");
    const dir = workDir({ "p.yaml": pipeline(label), "people.csv": "id,born\n1,1815-12-10\n2,not a date\n" });
    const result = await graphload(["run", "p.yaml", "--dead-letter", "bad.jsonl", "--no-progress"], { cwd: dir });
    expect(result.code).toBe(3);
    expect(result.stdout).toContain("1 rows rejected");
    expect(JSON.parse(readFileSync(join(dir, "bad.jsonl"), "utf8"))).toMatchObject({ line: 3, code: "GL_BAD_VALUE" });
  });

  it("names the default dead-letter file after the run's start", async () => {
    const label = uniqueLabel("Cli");
    const dir = workDir({ "p.yaml": pipeline(label), "people.csv": "id,born\n1,1815-12-10\n2,not a date\n" });
    const result = await graphload(["run", "p.yaml", "--no-progress"], { cwd: dir });
    expect(result.code).toBe(3);
    const files = readdirSync(dir).filter((name) => name.endsWith(".rejected.jsonl"));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^[\w-]+\.\d{8}T\d{6}\.rejected\.jsonl$/);
    expect(result.stdout).toContain(files[0]);
  });

  it("exits 2 on an invalid pipeline, with every error's path and code, and writes nothing", async () => {
    const label = uniqueLabel("Cli");
    const broken = pipeline(label).replace("key: [id]", "key: [id]\n          colour: red").replace("version: 1", "version: 1\nbatchsize: 3");
    const dir = workDir({ "p.yaml": broken, "people.csv": "id,born\n1,1815-12-10\n" });
    const result = await graphload(["run", "p.yaml"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("$.stages[0].tasks[0].node.colour");
    expect(result.stderr).toContain("$.batchsize");
    expect(result.stderr).toContain("GL_UNKNOWN_KEY");
    expect(await nodes(label)).toBe(0);
  });

  it("exits 2 on invalid arguments", async () => {
    const dir = workDir({ "p.yaml": pipeline("X"), "people.csv": "id,born\n" });
    expect((await graphload(["run", "p.yaml", "--batch-size", "zero"], { cwd: dir })).code).toBe(2);
    expect((await graphload(["run", "p.yaml", "--stage", "nope"], { cwd: dir })).code).toBe(2);
    expect((await graphload(["frobnicate"], { cwd: dir })).code).toBe(2);
  });

  it("plans without writing: stages, Cypher and converted rows", async () => {
    const label = uniqueLabel("Cli");
    const dir = workDir({ "p.yaml": pipeline(label), "people.csv": "id,born\n1,1815-12-10\n2,1912-06-23\nx,1900-01-01\n" });
    const result = await graphload(["plan", "p.yaml", "--rows", "3"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("stage nodes");
    expect(result.stdout).toContain(`MERGE (n:\`${label}\` {\`id\`: toInteger(c0[i])})`);
    expect(result.stdout).toContain('line 2: {"id":"1 (INTEGER)","born":"1815-12-10 (DATE)"}');
    expect(result.stdout).toContain("line 4: rejected GL_BAD_VALUE");
    expect(await nodes(label)).toBe(0);
  });

  it("ends quietly when its reader stops early (graphload plan … | head)", async () => {
    const dir = workDir({ "p.yaml": pipeline(uniqueLabel("Cli")), "people.csv": "id,born\n1,1815-12-10\n" });
    const run = startGraphload(["plan", "p.yaml", "--rows", "3"], { cwd: dir });
    // Closed before the plan is printed: every write meets a closed pipe.
    run.child.stdout.destroy();
    run.child.stdin.end();
    expect(await run.exited).toBe(0);
    expect(run.stderr()).toBe("");
  });

  it("shows help with examples and the version", async () => {
    const help = await graphload(["run", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Examples:");
    const version = await graphload(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version);
  });

  it("never prints the password", async () => {
    const label = uniqueLabel("Cli");
    const dir = workDir({ "p.yaml": pipeline(label), "people.csv": "id,born\n1,1815-12-10\n" });
    const result = await graphload(["run", "p.yaml", "--uri", "bolt://127.0.0.1:1", "--password", "s3cr3t-value", "--retry-time", "0"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).not.toContain("s3cr3t-value");
  });
});
