import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphload } from "../support/cli.js";
import { openDriver, uniqueLabel } from "../support/neo4j.js";
import { seriesValue, startPushgateway, type StartedPushgateway } from "../support/pushgateway.js";
import { query, workDir } from "../support/run-fixture.js";

let gateway: StartedPushgateway;
const driver = openDriver();

beforeAll(async () => {
  gateway = await startPushgateway();
}, 600_000);

afterAll(async () => {
  await gateway?.stop();
  await driver.close();
});

function pipeline(name: string, label: string): string {
  return `
version: 1
name: ${name}
stages:
  - name: nodes
    tasks:
      - name: people
        source: { file: people.csv }
        where: { column: active, equals: "yes" }
        node:
          labels: [${label}]
          key: [id]
          properties: { id: { column: id, type: integer }, born: { column: born, type: date } }
`;
}

// Six rows: one left out by `where`, one with a date that does not convert.
const PEOPLE = "id,born,active\n1,1815-12-10,yes\n2,1912-06-23,yes\n3,not a date,yes\n4,1906-12-09,no\n5,1852-01-01,yes\n6,1903-12-28,yes\n";

describe("--metrics-push to a real Prometheus Pushgateway", () => {
  it("pushes the run's figures under job = the pipeline name; a failed run keeps the last success time; a later success moves it", async () => {
    const label = uniqueLabel("Metrics");
    const name = `metrics-${label.toLowerCase()}`;
    const dir = workDir({ "p.yaml": pipeline(name, label), "people.csv": PEOPLE });
    const series = async (metric: string, labels: Record<string, string> = {}): Promise<number | undefined> =>
      seriesValue(await gateway.metrics(), metric, { job: name, ...labels });

    const before = Date.now() / 1000;
    const first = await graphload(["run", "p.yaml", "--metrics-push", gateway.url, "--batch-size", "2", "--no-progress", "--dead-letter", "first.jsonl"], { cwd: dir });
    expect(first.stderr).not.toContain("warning");
    expect(first.code).toBe(3);
    const rows = (outcome: string) => series("graphload_rows_total", { task: "people", outcome });
    expect(await rows("read")).toBe(6);
    expect(await rows("filtered")).toBe(1);
    expect(await rows("rejected")).toBe(1);
    expect(await rows("written")).toBe(4);
    expect(await series("graphload_batches_total", { task: "people" })).toBeGreaterThanOrEqual(2);
    expect(await series("graphload_retries_total", { task: "people" })).toBe(0);
    expect(await series("graphload_run_exit_code")).toBe(3);
    expect(await series("graphload_run_duration_seconds")).toBeGreaterThan(0);
    const firstSuccess = await series("graphload_last_success_timestamp_seconds");
    expect(firstSuccess).toBeGreaterThanOrEqual(Math.floor(before));
    expect(firstSuccess).toBeLessThanOrEqual(Date.now() / 1000);
    expect(Number((await query(driver, `MATCH (n:${label}) RETURN count(n) AS n`))[0].n)).toBe(4);

    // The same pipeline again, stopped by its first rejected row: a failed run (exit 1).
    await driver.executeQuery(`MATCH (n:${label}) DETACH DELETE n`);
    const failed = await graphload(["run", "p.yaml", "--metrics-push", gateway.url, "--batch-size", "2", "--max-errors", "0", "--no-progress", "--dead-letter", "failed.jsonl"], { cwd: dir });
    expect(failed.code).toBe(1);
    expect(await series("graphload_run_exit_code")).toBe(1);
    expect(await series("graphload_last_success_timestamp_seconds")).toBe(firstSuccess);

    const resumed = await graphload(["run", "p.yaml", "--resume", "--metrics-push", gateway.url, "--batch-size", "2", "--no-progress", "--dead-letter", "resumed.jsonl"], { cwd: dir });
    expect(resumed.code).toBe(3);
    expect(await series("graphload_run_exit_code")).toBe(3);
    expect(await series("graphload_last_success_timestamp_seconds")).toBeGreaterThan(firstSuccess!);
    await driver.executeQuery(`MATCH (n:${label}) DETACH DELETE n`);
  });

  it("a gateway that cannot be reached costs a warning, never the load (exit 0)", async () => {
    const label = uniqueLabel("Metrics");
    const dir = workDir({ "p.yaml": pipeline(`metrics-${label.toLowerCase()}`, label), "people.csv": "id,born,active\n1,1815-12-10,yes\n" });
    const result = await graphload(["run", "p.yaml", "--metrics-push", "http://127.0.0.1:1", "--no-progress", "--log-format", "json"], { cwd: dir });
    expect(result.code).toBe(0);
    const warnings = result.stderr
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { event: string; message: string })
      .filter((line) => line.event === "warning");
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toMatch(/metrics could not be pushed to http:\/\/127\.0\.0\.1:1\/ \(.*ECONNREFUSED/);
    expect(Number((await query(driver, `MATCH (n:${label}) RETURN count(n) AS n`))[0].n)).toBe(1);
    await driver.executeQuery(`MATCH (n:${label}) DETACH DELETE n`);
  });

  it("refuses a gateway URL that is not http(s) before writing anything (exit 2)", async () => {
    const label = uniqueLabel("Metrics");
    const dir = workDir({ "p.yaml": pipeline(`metrics-${label.toLowerCase()}`, label), "people.csv": "id,born,active\n1,1815-12-10,yes\n" });
    const result = await graphload(["run", "p.yaml", "--metrics-push", "pushgateway:9091", "--no-progress"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("GL_INVALID_OPTIONS");
    expect(Number((await query(driver, `MATCH (n:${label}) RETURN count(n) AS n`))[0].n)).toBe(0);
  });
});
