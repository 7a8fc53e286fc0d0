import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Driver } from "neo4j-driver";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../src/local-neo4j/free-port.js";
import { startLocalNeo4j, type StartedLocalNeo4j } from "../../src/local-neo4j/start-local-neo4j.js";
import { createDriver } from "../../src/create-driver.js";
import { batchParameters, type BatchShape } from "../../src/plan/batch-parameters.js";
import { BatchWriter } from "../../src/run/batch-writer.js";
import { markerId } from "../../src/run/checkpoint-store.js";
import { Neo4jSink } from "../../src/run/neo4j-sink.js";
import type { RunEvent } from "../../src/run/run-events.js";
import { stageBookmarks } from "../../src/run/stage-bookmarks.js";
import { neo4jConnection, openDriver, uniqueLabel } from "../support/neo4j.js";
import { EXACT_ID_GRAPH, ID_ROWS, idGraph, idPipeline, idRowsCsv } from "../support/id-load.js";
import { query, runIn, workDir } from "../support/run-fixture.js";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";

const ROWS = ID_ROWS;
const EXACT = EXACT_ID_GRAPH;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line: string): void => void process.stderr.write(`[faults] ${line}\n`);

function setUp(name: string, label: string, batchSize: number): { dir: string; yaml: string } {
  return { dir: workDir({ "rows.csv": idRowsCsv() }), yaml: idPipeline(name, label, { batchSize, concurrency: 4 }) };
}

const graphState = idGraph;

async function markerCount(driver: Driver, run: string): Promise<number> {
  const [row] = await query<{ n: number }>(driver, "MATCH (m:GraphloadBatch {run: $run}) RETURN toFloat(count(m)) AS n", { run });
  return row.n;
}

/** Counts retry events by error code, to say what the faults looked like from the client. */
function retryLog(): { onEvent: (event: RunEvent) => void; codes: Map<string, number>; messages: Map<string, string> } {
  const codes = new Map<string, number>();
  const messages = new Map<string, string>();
  return {
    codes,
    messages,
    onEvent: (event) => {
      if (event.type !== "retry") return;
      codes.set(event.error.code, (codes.get(event.error.code) ?? 0) + 1);
      if (!messages.has(event.error.code)) messages.set(event.error.code, event.error.message.slice(0, 160));
    },
  };
}

/** A TCP proxy in front of the test server, and a driver that reaches the server only through it. */
async function behindProxy(concurrency: number): Promise<{ proxy: TcpProxy; driver: Driver }> {
  const connection = neo4jConnection();
  const target = new URL(connection.uri);
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 7687) });
  // bolt://, not neo4j://: routing would hand out the server's own address and bypass the proxy.
  const driver = createDriver({ uri: `bolt://${proxy.host}:${proxy.port}`, user: connection.user, password: connection.password, concurrency });
  return { proxy, driver };
}

describe("faults during a load", () => {
  // Batches small enough that most finish between two cuts; larger ones would mostly be retried.
  it("completes exactly once while every connection is cut every 500 ms", { timeout: 300_000 }, async () => {
    const direct = openDriver();
    const { proxy, driver } = await behindProxy(4);
    const label = uniqueLabel("Cut");
    const run = `faults-cut-${label}`;
    const { dir, yaml } = setUp(run, label, 500);
    const retries = retryLog();
    try {
      await driver.verifyConnectivity();
      proxy.startCutting(500);
      const started = performance.now();
      const summary = await runIn(driver, dir, yaml, { retryBudgetMs: 60_000, onEvent: retries.onEvent });
      const seconds = (performance.now() - started) / 1000;
      proxy.stopCutting();
      const state = await graphState(direct, label);
      const totals = summary.totals();
      log(
        `cut: status ${summary.status}${summary.error ? ` (${summary.error.code}: ${summary.error.message})` : ""}, ${totals.rowsWritten} rows written in ${totals.batches} batches, ` +
          `${proxy.connections} connections, ${proxy.cuts} cut, ${totals.retries} retries ${JSON.stringify(Object.fromEntries(retries.codes))}, ` +
          `${seconds.toFixed(1)} s, graph ${JSON.stringify(state)}`,
      );
      expect(summary.error).toBeUndefined();
      expect(summary.status).toBe("completed");
      expect(state).toEqual(EXACT);
      expect(totals.rowsWritten).toBe(ROWS);
      expect(proxy.cuts).toBeGreaterThan(0);
      expect(totals.retries).toBeGreaterThan(0);
      expect(await markerCount(direct, run)).toBe(0);
    } finally {
      await proxy.close();
      await driver.close();
      await direct.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe("Neo4j stopped mid-load and started again on the same data", () => {
    // A server of its own: stopping the tests' shared one would break the tests beside this one.
    const dataDir = mkdtempSync(join(tmpdir(), "graphload-faults-neo4j-"));
    let server: StartedLocalNeo4j | undefined;
    afterAll(async () => {
      await server?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it("completes within the retry budget, or stops and --resume completes it; exactly once either way", { timeout: 300_000 }, async () => {
      const port = await freePort();
      const start = (): Promise<StartedLocalNeo4j> => startLocalNeo4j({ dataDir, port, heap: "1g", pageCache: "128m" });
      let t = performance.now();
      server = await start();
      log(`restart: private server ${server.uri} up in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      const probe = openDriver({ uri: server.uri });
      const driver = createDriver({ uri: server.uri, concurrency: 4 });
      const label = uniqueLabel("Restart");
      const run = "faults-restart";
      const { dir, yaml } = setUp(run, label, 2000);
      const retries = retryLog();
      try {
        const began = performance.now();
        const loading = runIn(driver, dir, yaml, { retryBudgetMs: 60_000, onEvent: retries.onEvent });
        let before = 0;
        for (;;) {
          before = (await graphState(probe, label)).nodes;
          if (before >= 20_000) break;
          await sleep(50);
        }
        t = performance.now();
        await server.stop();
        const stopped = performance.now();
        log(`restart: stopped the server at ${before} nodes in ${((stopped - t) / 1000).toFixed(1)} s`);
        await sleep(10_000);
        t = performance.now();
        server = await start();
        const restarted = performance.now();
        log(`restart: started again in ${((restarted - t) / 1000).toFixed(1)} s; down ${((restarted - stopped) / 1000).toFixed(1)} s`);

        const summary = await loading;
        const firstTotals = summary.totals();
        log(
          `restart: first run ${summary.status}${summary.error ? ` (${summary.error.code})` : ""} after ${((performance.now() - began) / 1000).toFixed(1)} s, ` +
            `${firstTotals.rowsWritten} rows written, ${firstTotals.retries} retries ${JSON.stringify(Object.fromEntries(retries.codes))} ${JSON.stringify(Object.fromEntries(retries.messages))}`,
        );
        if (summary.status !== "completed") {
          expect(summary.exitCode).toBe(1);
          const resumed = await runIn(driver, dir, yaml, { resume: true, retryBudgetMs: 60_000 });
          log(`restart: --resume ${resumed.status}, ${resumed.totals().rowsWritten} rows written, ${resumed.totals().batchesSkipped} batches skipped`);
          expect(resumed.status).toBe("completed");
        }
        const state = await graphState(probe, label);
        log(`restart: graph ${JSON.stringify(state)}`);
        expect(state).toEqual(EXACT);
        expect(firstTotals.retries).toBeGreaterThan(0);
        expect(await markerCount(probe, run)).toBe(0);
      } finally {
        await driver.close();
        await probe.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

describe("a commit whose answer is lost", () => {
  it("reports the batch's unmatched rows and counters from its marker, and writes it once", { timeout: 60_000 }, async () => {
    const direct = openDriver();
    const { proxy, driver } = await behindProxy(1);
    const label = uniqueLabel("Lost");
    const run = `faults-lost-${label}`;
    // Rows 1 and 3 name a node that does not exist.
    const rows = [[0, 1], [0, 99], [2, 3], [5, 98], [4, 5]];
    const shape: BatchShape = { kind: "columns", text: [] };
    const cypher = [
      "UNWIND range(0, size($c0) - 1) AS i",
      `CALL (i) { MATCH (a:${label} {id: $c0[i]}) MATCH (b:${label} {id: $c1[i]}) CREATE (a)-[:LOST_LINK]->(b) RETURN count(*) AS matched }`,
      "WITH i, matched WHERE matched = 0",
      "RETURN i AS unmatched",
    ].join("\n");
    try {
      await direct.executeQuery(`UNWIND range(0, 5) AS id CREATE (:${label} {id: id})`);
      proxy.loseNextCommitReply();
      const writer = new BatchWriter(new Neo4jSink(driver), { retryBudgetMs: 30_000 });
      const outcome = await writer.write({
        cypher,
        parameters: batchParameters(shape, rows),
        shape,
        size: rows.length,
        bookmarks: stageBookmarks([]),
        marker: (start, end) => ({ id: markerId(run, "t", "0", start), run, task: "t", lane: "0", start, end, key: null, watermark: null }),
      });
      expect(proxy.lostCommitReplies).toBe(1);
      expect(outcome.retries).toBe(1);
      expect(outcome.unmatched).toEqual([1, 3]);
      expect(outcome.counters.relationshipsCreated).toBe(3);
      const [links] = await query<{ n: number }>(direct, `MATCH (:${label})-[r:LOST_LINK]->() RETURN toFloat(count(r)) AS n`);
      expect(links.n).toBe(3);
    } finally {
      await direct.executeQuery(`MATCH (n:${label}) DETACH DELETE n`);
      await direct.executeQuery("MATCH (m:GraphloadBatch {run: $run}) DELETE m", { run });
      await driver.close();
      await direct.close();
      await proxy.close();
    }
  });
});
