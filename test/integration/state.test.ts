import { hostname } from "node:os";
import { int } from "neo4j-driver";
import { afterAll, describe, expect, it } from "vitest";
import { Neo4jCheckpointStore } from "../../src/run/neo4j-checkpoint-store.js";
import { graphload, startGraphload } from "../support/cli.js";
import { idGraph } from "../support/id-load.js";
import { leaseOf, markerCount } from "../support/kept-state.js";
import { openDriver, removeTestData, uniqueLabel } from "../support/neo4j.js";
import { workDir } from "../support/run-fixture.js";
import { until } from "../support/until.js";

const driver = openDriver();
const pipelines: string[] = [];
const labels: string[] = [];

afterAll(async () => {
  await removeTestData(driver, { labels, pipelines });
  await driver.close();
});

function names(prefix: string): { pipeline: string; label: string } {
  const pipeline = uniqueLabel(`state-${prefix}`).toLowerCase().replaceAll("_", "-");
  const label = uniqueLabel("State");
  pipelines.push(pipeline);
  labels.push(label);
  return { pipeline, label };
}

describe("graphload state", () => {
  it("shows a live run's lease, record and markers and refuses every edit; once its process is gone, shows it interrupted and releases its lease", async () => {
    const { pipeline, label } = names("live");
    const dir = workDir({
      "p.yaml": `
version: 1
name: ${pipeline}
defaults: { batchSize: 500, concurrency: 2, mode: create }
stages:
  - name: nodes
    tasks:
      - name: rows
        source: { stdin: true, format: csv }
        node: { labels: [${label}], key: [id], properties: { id: { column: id, type: integer } } }
`,
    });
    const live = startGraphload(["run", "p.yaml", "--no-progress"], { cwd: dir });
    live.child.stdin.write(["id", ...Array.from({ length: 5000 }, (_, i) => String(i))].join("\n") + "\n");
    await until(async () => (await idGraph(driver, label)).nodes >= 4500);
    const markers = await markerCount(driver, pipeline);
    expect(markers).toBeGreaterThan(0);

    const shown = await graphload(["state", "p.yaml"], { cwd: dir });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`pipeline ${pipeline}`);
    expect(shown.stdout).toContain(`lease: held by host ${hostname()}, pid ${live.child.pid}, started `);
    expect(shown.stdout).toContain("live: a run is in progress");
    expect(shown.stdout).toContain("last run: in progress, started ");
    expect(shown.stdout).toContain(`  rows: ${markers} batches`);

    const lease = await leaseOf(driver, pipeline);
    for (const edit of [["--release-lease"], ["--reset-watermark", "rows"], ["--forget-files", "rows"]]) {
      // By name as well as by file: the name is all state needs.
      const refused = await graphload(["state", pipeline, ...edit], { cwd: dir });
      expect(refused.code, `${edit.join(" ")}: ${refused.stderr}`).toBe(4);
      expect(refused.stderr).toContain("GL_RUN_IN_PROGRESS");
      expect(refused.stderr).toContain("Wait for it to end, or stop it");
      expect(await leaseOf(driver, pipeline)).toEqual(lease);
    }

    live.child.kill("SIGKILL");
    await live.exited;
    const dead = await graphload(["state", "p.yaml"], { cwd: dir });
    expect(dead.stdout).toContain("its process is gone: the next run takes it over");
    expect(dead.stdout).toContain("last run: interrupted, started ");
    expect(dead.stdout).toContain("--resume to continue it, or --fresh to discard its batch markers");

    const released = await graphload(["state", "p.yaml", "--release-lease"], { cwd: dir });
    expect(released.code, released.stderr).toBe(0);
    expect(released.stderr).toContain(`lease released (it was held by host ${hostname()}, pid ${live.child.pid}`);
    expect(released.stdout).toContain("lease: free");
    expect(await leaseOf(driver, pipeline)).toBeUndefined();
    // The interrupted run stays resumable: its record and markers are untouched.
    expect(await markerCount(driver, pipeline)).toBe(markers);
    expect(released.stdout).toContain("last run: interrupted");
  });

  it("completes a run only while the lease it names holds the pipeline: otherwise nothing is written and the run stays resumable", async () => {
    const { pipeline } = names("fence");
    const store = new Neo4jCheckpointStore(driver, undefined, pipeline, { retryBudgetMs: 10_000 });
    await store.prepare();
    expect((await store.takeLease({ token: "mine", host: hostname(), pid: process.pid }, 60_000, () => false)).taken).toBe(true);
    await store.begin("fingerprint", "dead-letters.jsonl");
    await driver.executeQuery("CREATE (:GraphloadBatch {id: $id, run: $run, task: 'orders', lane: '0', start: 0, end: 10})", { id: `${pipeline}-0`, run: pipeline });
    const advances = new Map([["orders", { watermark: int(42) }]]);

    expect(await store.complete(false, advances, "taken-over")).toBe(false);
    expect((await store.previous())?.status).toBe("running");
    expect(await markerCount(driver, pipeline)).toBe(1);
    expect(await store.watermarks()).toEqual([]);

    expect(await store.complete(false, advances, "mine")).toBe(true);
    expect((await store.previous())?.status).toBe("completed");
    expect(await markerCount(driver, pipeline)).toBe(0);
    expect((await store.watermarks()).map((watermark) => Number(watermark.value))).toEqual([42]);
    await store.releaseLease("mine");
  });

  it("shows watermarks and loaded files, and forgets each on its own", async () => {
    const { pipeline } = names("kept");
    const store = new Neo4jCheckpointStore(driver, undefined, pipeline, { retryBudgetMs: 10_000 });
    await store.prepare();
    await store.begin("fingerprint", "dead-letters.jsonl");
    await store.complete(
      false,
      new Map([
        ["orders", { watermark: int(42) }],
        ["drops", { files: [{ name: "drops/a.csv", size: 3, identity: "h1" }, { name: "drops/b.csv", size: 5, identity: "h2" }] }],
      ]),
    );
    const shown = await graphload(["state", pipeline]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain("last run: completed, started ");
    expect(shown.stdout).toMatch(/ {2}orders: 42 \(set \d{4}-/);
    expect(shown.stdout).toContain("  drops: 2 files");
    expect(shown.stdout).toContain("    drops/a.csv (3 bytes, loaded ");
    const json = JSON.parse((await graphload(["state", pipeline, "--json"])).stdout);
    expect(json).toMatchObject({ pipeline, lease: null, run: { status: "completed" }, markers: [], watermarks: [{ task: "orders", value: 42 }] });
    expect(json.loadedFiles.map((file: { name: string }) => file.name)).toEqual(["drops/a.csv", "drops/b.csv"]);

    const reset = await graphload(["state", pipeline, "--reset-watermark", "orders"]);
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stderr).toContain('task orders: watermark reset; its next run starts from "initial"');
    expect(reset.stdout).toContain("watermarks: none");
    expect(reset.stdout).toContain("  drops: 2 files");

    const forgot = await graphload(["state", pipeline, "--forget-files", "drops"]);
    expect(forgot.code, forgot.stderr).toBe(0);
    expect(forgot.stderr).toContain("task drops: 2 loaded files forgotten");
    expect(forgot.stdout).toContain("loaded files: none");
    expect(forgot.stdout).toContain("last run: completed");
  });

  it("releases another host's lease only once it has lapsed, by the timeout asked for", async () => {
    const { pipeline } = names("foreign");
    await new Neo4jCheckpointStore(driver, undefined, pipeline, { retryBudgetMs: 10_000 }).prepare();
    await driver.executeQuery(
      `CREATE (:GraphloadLease {name: $pipeline, token: 'foreign', host: 'batch-host-9', pid: 12,
         startedAt: datetime() - duration('PT5M'), renewedAt: datetime() - duration('PT30S')})`,
      { pipeline },
    );
    const shown = await graphload(["state", pipeline]);
    expect(shown.stdout).toContain("lease: held by host batch-host-9, pid 12");
    expect(shown.stdout).toContain("live: a run is in progress");
    expect((await graphload(["state", pipeline, "--lease-timeout", "20"])).stdout).toContain("lapsed (not renewed for 20 s)");
    const refused = await graphload(["state", pipeline, "--release-lease"]);
    expect(refused.code).toBe(4);
    expect(await leaseOf(driver, pipeline)).toMatchObject({ token: "foreign" });
    const released = await graphload(["state", pipeline, "--release-lease", "--lease-timeout", "20"]);
    expect(released.code, released.stderr).toBe(0);
    expect(await leaseOf(driver, pipeline)).toBeUndefined();
  });
});
