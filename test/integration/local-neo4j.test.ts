import { realpathSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../src/local-neo4j/free-port.js";
import { graphload } from "../support/cli.js";
import { uniqueLabel, withDriver } from "../support/neo4j.js";
import { workDir } from "../support/run-fixture.js";

// A server of its own, beside the tests' shared one: in a folder and on a port of its own.
const cwd = realpathSync(workDir());
const otherCwd = realpathSync(workDir());
let port: number;
let startArgs: string[];
const label = uniqueLabel("Kept");

const lastLine = (text: string): string => text.trimEnd().split("\n").at(-1) ?? "";
const countKept = (uri: string): Promise<number> =>
  withDriver(async (driver) => Number((await driver.executeQuery(`MATCH (n:${label}) RETURN count(n) AS n`)).records[0].get("n")), { uri });

beforeAll(async () => {
  port = await freePort();
  startArgs = ["neo4j", "start", "--port", String(port), "--data-dir", "db", "--heap", "512m", "--page-cache", "64m"];
});

afterAll(async () => {
  await graphload(["neo4j", "stop"], { cwd });
  rmSync(cwd, { recursive: true, force: true });
  rmSync(otherCwd, { recursive: true, force: true });
});

describe("graphload neo4j start | status | stop", () => {
  it("status says not running (exit 1) before anything was started", async () => {
    const status = await graphload(["neo4j", "status", "--json"], { cwd });
    expect(status.code).toBe(1);
    expect(JSON.parse(status.stdout)).toEqual({ running: false, dataDir: join(cwd, ".graphload/neo4j/data"), logFile: join(cwd, ".graphload/neo4j/neo4j.log") });
  });

  it("start prints the Bolt URI as the last line of stdout; a second start only repeats it", async () => {
    const first = await graphload(startArgs, { cwd });
    expect(first.stderr).toContain("ready");
    expect(first.code).toBe(0);
    expect(lastLine(first.stdout)).toBe(`bolt://127.0.0.1:${port}`);

    const second = await graphload(startArgs, { cwd });
    expect(second.code).toBe(0);
    expect(lastLine(second.stdout)).toBe(`bolt://127.0.0.1:${port}`);
    expect(second.stderr).toContain("already running");
  });

  it("status --json describes the running server", async () => {
    const status = await graphload(["neo4j", "status", "--json"], { cwd });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      running: true,
      uri: `bolt://127.0.0.1:${port}`,
      dataDir: join(cwd, "db"),
      version: expect.stringMatching(/^5\.26\./),
      port,
      pid: expect.any(Number),
      logFile: join(cwd, ".graphload/neo4j/neo4j.log"),
    });
    const plain = await graphload(["neo4j", "status"], { cwd });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain(`running bolt://127.0.0.1:${port}`);
  });

  it("a start on a port already taken fails at once with exit 1 and says so", async () => {
    const clash = await graphload(["neo4j", "start", "--port", String(port), "--heap", "256m", "--page-cache", "16m"], { cwd: otherCwd });
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain(`port 127.0.0.1:${port} is already in use`);
    expect(clash.stdout).toBe("");
    expect((await graphload(["neo4j", "status"], { cwd: otherCwd })).code).toBe(1);
  });

  it("keeps the data across stop and start", async () => {
    const uri = `bolt://127.0.0.1:${port}`;
    await withDriver((driver) => driver.executeQuery(`CREATE (:${label} {id: 1})`), { uri });
    const stop = await graphload(["neo4j", "stop"], { cwd });
    expect(stop.code).toBe(0);
    expect(stop.stderr).toContain("stopped the local Neo4j");
    expect((await graphload(["neo4j", "status"], { cwd })).code).toBe(1);

    const restart = await graphload(startArgs, { cwd });
    expect(restart.code).toBe(0);
    expect(lastLine(restart.stdout)).toBe(uri);
    expect(await countKept(uri)).toBe(1);
  });

  it("after stop, status says not running and a second stop is harmless", async () => {
    expect((await graphload(["neo4j", "stop"], { cwd })).code).toBe(0);
    const status = await graphload(["neo4j", "status", "--json"], { cwd });
    expect(status.code).toBe(1);
    expect(JSON.parse(status.stdout)).toMatchObject({ running: false });
    const plain = await graphload(["neo4j", "status"], { cwd });
    expect(plain.stdout).toMatch(/^not running\n/);
    const again = await graphload(["neo4j", "stop"], { cwd });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("not running");
  });
});
