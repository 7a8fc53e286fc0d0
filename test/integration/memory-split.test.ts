import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Driver } from "neo4j-driver";
import { startLocalNeo4j, type StartedLocalNeo4j } from "../../src/local-neo4j/start-local-neo4j.js";
import { createDriver } from "../../src/create-driver.js";
import { query, runIn, workDir } from "../support/run-fixture.js";

/**
 * A private server whose transactions may use 10 MiB in all, so that a large batch fails
 * with the server's own memory error. It is not the shared test server: its limit would
 * break other tests.
 */
let server: StartedLocalNeo4j;
let driver: Driver;
beforeAll(async () => {
  server = await startLocalNeo4j({ heap: "512m", pageCache: "64m", txMemory: "10m" });
  driver = createDriver({ uri: server.uri, concurrency: 2 });
}, 180_000);
afterAll(async () => {
  await driver?.close();
  await server?.stop();
});

const ROWS = 20_000;
const padding = "x".repeat(500);

describe("batches too large for the server's memory", () => {
  it("are split and sent again, not retried as they are", async () => {
    // The server refuses this batch whole (asked once, in an auto-commit transaction: a
    // managed one would retry the transient error for a minute)...
    const session = driver.session();
    await expect(session.run("UNWIND range(1, $n) AS i CREATE (:Probe {s: toString(i) + $padding})", { n: ROWS / 2, padding })).rejects.toMatchObject({
      code: "Neo.TransientError.General.MemoryPoolOutOfMemoryError",
    });
    await session.close();

    // ...and graphload still writes every row.
    const rows = ["id,text", ...Array.from({ length: ROWS }, (_, i) => `${i},${i}${padding}`)].join("\n");
    const summary = await runIn(
      driver,
      workDir({ "rows.csv": rows }),
      `
version: 1
name: memory-split
defaults: { batchSize: ${ROWS / 2}, concurrency: 1, mode: create }
stages:
  - name: nodes
    tasks:
      - name: rows
        source: { file: rows.csv }
        node: { labels: [Big], key: [id], properties: { id: { column: id, type: integer }, text: text } }
`,
      { retryBudgetMs: 10_000 },
    );
    expect(summary.toJSON().error).toBeUndefined();
    expect(summary.totals()).toMatchObject({ rowsRead: ROWS, rowsWritten: ROWS, rowsRejected: 0 });
    const [stored] = await query(driver, "MATCH (n:Big) RETURN toFloat(count(n)) AS n, toFloat(count(DISTINCT n.id)) AS ids, toFloat(sum(n.id)) AS checksum");
    expect(stored).toEqual({ n: ROWS, ids: ROWS, checksum: (ROWS * (ROWS - 1)) / 2 });
  });
});
