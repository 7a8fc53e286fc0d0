import { realpathSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PORT, portIsFree } from "../../src/local-neo4j/choose-port.js";
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

  it("caps its transaction logs as a packaged Neo4j does, so repeated loads do not fill the disk", async () => {
    const retention = await withDriver(
      async (driver) =>
        (await driver.executeQuery(`CALL dbms.listConfig("db.tx_log.rotation.retention_policy") YIELD value RETURN value`)).records[0].get("value"),
      { uri: `bolt://127.0.0.1:${port}` },
    );
    expect(retention).toBe("2 days 2G");
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

describe("graphload neo4j start with the default port taken", () => {
  const loaded = uniqueLabel("Loaded");
  const pipeline = `
version: 1
name: busy-default
stages:
  - name: nodes
    tasks:
      - name: loaded
        source: { file: loaded.csv }
        node: { labels: [${loaded}], key: [id], properties: { id: { column: id, type: integer } } }
`;
  const busyCwd = realpathSync(workDir({ "p.yaml": pipeline, "loaded.csv": "id\n1\n2\n3\n" }));
  let holder: Server | undefined;

  beforeAll(async () => {
    // Held here unless something (the tests' own Neo4j, say) holds it already: taken either way.
    holder = await new Promise<Server | undefined>((resolve) => {
      const server = createServer();
      server.once("error", () => resolve(undefined));
      server.listen(DEFAULT_PORT, "127.0.0.1", () => resolve(server));
    });
  });

  afterAll(async () => {
    await graphload(["neo4j", "stop"], { cwd: busyCwd });
    await new Promise((resolve) => (holder ? holder.close(resolve) : resolve(undefined)));
    rmSync(busyCwd, { recursive: true, force: true });
  });

  it("takes the next free port and says so; status and a run without a URI find it there", async () => {
    expect(await portIsFree(DEFAULT_PORT)).toBe(false);
    const start = await graphload(["neo4j", "start", "--data-dir", "db", "--heap", "512m", "--page-cache", "64m"], { cwd: busyCwd });
    expect(start.code).toBe(0);
    const uri = lastLine(start.stdout);
    const chosen = Number(/^bolt:\/\/127\.0\.0\.1:(\d+)$/.exec(uri)?.[1]);
    expect(chosen).toBeGreaterThan(DEFAULT_PORT);
    expect(start.stderr).toContain(`port 127.0.0.1:${DEFAULT_PORT} is taken`);
    expect(start.stderr).toContain(`takes ${chosen}`);

    const status = await graphload(["neo4j", "status", "--json"], { cwd: busyCwd });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ running: true, uri, port: chosen });

    // With no URI anywhere, the run has only this folder's state to find the server by.
    const run = await graphload(["run", "p.yaml", "--no-progress"], {
      cwd: busyCwd,
      env: { NEO4J_URI: undefined, NEO4J_USERNAME: undefined, NEO4J_PASSWORD: undefined },
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`using the local Neo4j at ${uri}`);
    const count = await withDriver(async (driver) => (await driver.executeQuery(`MATCH (n:${loaded}) RETURN count(n) AS n`)).records[0].get("n"), { uri });
    expect(Number(count)).toBe(3);
  });
});
