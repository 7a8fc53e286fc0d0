import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { definePipeline } from "../../src/load/define-pipeline.js";
import type { RunEvent } from "../../src/run/run-events.js";
import { runPipeline } from "../../src/run/run-pipeline.js";
import { openDriver, uniqueLabel } from "../support/neo4j.js";
import { query, workDir } from "../support/run-fixture.js";

const driver = openDriver();
afterAll(() => driver.close());

interface Person {
  id: number;
  name: string;
  active: boolean;
}

/** `count` people from an async generator, as an API or a queue would hand them over; `produced` counts what was taken. */
function fetchPeople(count: number, options: { throwAfter?: number } = {}) {
  const progress = { produced: 0 };
  async function* generate(): AsyncGenerator<Person> {
    for (let id = 1; id <= count; id++) {
      if (id - 1 === options.throwAfter) throw new Error(`the people API went away after ${options.throwAfter} people`);
      progress.produced++;
      yield { id, name: `  person ${id}  `, active: id % 10 !== 0 };
    }
  }
  return { rows: generate(), progress };
}

const count = async (label: string): Promise<{ nodes: number; ids: number }> => {
  const [row] = await query<{ nodes: unknown; ids: unknown }>(driver, `MATCH (n:${label}) RETURN count(n) AS nodes, count(DISTINCT n.id) AS ids`);
  return { nodes: Number(row.nodes), ids: Number(row.ids) };
};

/** Many nodes go in several transactions, which only an auto-commit query may run. */
async function removeLabel(label: string): Promise<void> {
  const session = driver.session();
  try {
    await session.run(`MATCH (n:${label}) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS`);
  } finally {
    await session.close();
  }
}

describe("rows from code (definePipeline with a rows source), against the real Neo4j", () => {
  it("loads 100,000 rows of an async generator with filter and transform, exactly", async () => {
    const label = uniqueLabel("Rows");
    const { rows } = fetchPeople(100_000);
    const pipeline = definePipeline({
      name: `rows-${label.toLowerCase()}`,
      stages: [{ name: "nodes", tasks: [{
        name: "people",
        source: { rows },
        filter: (row) => row.active,
        transform: (row) => ({ ...row, name: row.name.trim(), initial: row.name.trim()[0] }),
        node: { labels: [label], key: ["id"], properties: { id: "id", name: "name", initial: "initial" } },
      }] }],
    });
    const summary = await runPipeline(pipeline, { driver, deadLetterFile: join(workDir(), "rejected.jsonl") });
    expect(summary.error).toBeUndefined();
    expect(summary.totals()).toMatchObject({ rowsRead: 100_000, rowsFiltered: 10_000, rowsWritten: 90_000, rowsRejected: 0, counters: { nodesCreated: 90_000 } });
    expect(await count(label)).toEqual({ nodes: 90_000, ids: 90_000 });
    const sample = await query<{ name: string; initial: string; tenth: unknown }>(
      driver,
      `MATCH (n:${label} {id: 12345}) OPTIONAL MATCH (t:${label} {id: 12340}) RETURN n.name AS name, n.initial AS initial, t AS tenth`,
    );
    expect(sample).toEqual([{ name: "person 12345", initial: "p", tenth: null }]);
    await removeLabel(label);
  }, 600_000);

  it("loads an array, values typed like JSON Lines, exactly", async () => {
    const label = uniqueLabel("Rows");
    const rows = Array.from({ length: 2_500 }, (_, index) => ({ id: index, score: index / 4, tags: ["a", String(index)], born: "2001-02-03" }));
    const pipeline = definePipeline({
      name: `rows-${label.toLowerCase()}`,
      stages: [{ name: "nodes", tasks: [{
        name: "scores",
        source: { rows },
        node: { labels: [label], key: ["id"], properties: { id: "id", score: "score", tags: "tags", born: { column: "born", type: "date" } } },
      }] }],
    });
    const summary = await runPipeline(pipeline, { driver, deadLetterFile: join(workDir(), "rejected.jsonl") });
    expect(summary.totals()).toMatchObject({ rowsRead: 2_500, rowsWritten: 2_500, rowsRejected: 0 });
    expect(await count(label)).toEqual({ nodes: 2_500, ids: 2_500 });
    const [row] = await query(driver, `MATCH (n:${label} {id: 7}) RETURN n.score AS score, valueType(n.score) AS scoreType, n.tags AS tags, valueType(n.born) AS bornType`);
    expect(row).toEqual({ score: 1.75, scoreType: "FLOAT NOT NULL", tags: ["a", "7"], bornType: "DATE NOT NULL" });
    await removeLabel(label);
  });

  it("a producer that throws fails the run with its error; run again with resume and the same rows, it finishes exactly, nothing twice (create mode)", async () => {
    const label = uniqueLabel("Rows");
    const name = `rows-${label.toLowerCase()}`;
    const dir = workDir();
    const define = (rows: AsyncIterable<Person>) =>
      definePipeline({
        name,
        defaults: { batchSize: 500, mode: "create" },
        stages: [{ name: "nodes", tasks: [{ name: "people", source: { rows }, node: { labels: [label], key: ["id"], properties: { id: "id", name: "name" } } }] }],
      });
    const failing = await runPipeline(define(fetchPeople(5_000, { throwAfter: 2_750 }).rows), { driver, deadLetterFile: join(dir, "rejected.jsonl") });
    expect(failing.status).toBe("failed");
    expect(failing.exitCode).toBe(1);
    expect(failing.error?.code).toBe("GL_ROWS_SOURCE");
    expect(failing.error?.message).toContain("the people API went away after 2750 people");
    const written = (await count(label)).nodes;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThanOrEqual(2_750);

    // A plain run refuses: the interrupted run is there to resume.
    await expect(runPipeline(define(fetchPeople(5_000).rows), { driver, deadLetterFile: join(dir, "rejected.jsonl") })).rejects.toThrow(/interrupted/);
    const resumed = await runPipeline(define(fetchPeople(5_000).rows), { driver, resume: true, deadLetterFile: join(dir, "rejected.jsonl") });
    expect(resumed.status).toBe("completed");
    expect(resumed.totals().batchesSkipped).toBe(Math.floor(written / 500));
    expect(resumed.totals().rowsWritten).toBe(5_000 - written);
    expect(await count(label)).toEqual({ nodes: 5_000, ids: 5_000 });
    await removeLabel(label);
  });

  it("pulls from the producer only as the batches are written: it is never read far ahead", async () => {
    const label = uniqueLabel("Rows");
    const total = 20_000;
    const { rows, progress } = fetchPeople(total);
    const batchSize = 500;
    const concurrency = 2;
    let written = 0;
    let lead = 0;
    const pipeline = definePipeline({
      name: `rows-${label.toLowerCase()}`,
      defaults: { batchSize, concurrency },
      stages: [{ name: "nodes", tasks: [{ name: "people", source: { rows }, node: { labels: [label], key: ["id"], properties: { id: "id" } } }] }],
    });
    const summary = await runPipeline(pipeline, {
      driver,
      deadLetterFile: join(workDir(), "rejected.jsonl"),
      onEvent: (event: RunEvent) => {
        if (event.type !== "batch") return;
        // Rows taken from the producer that no committed batch holds yet.
        lead = Math.max(lead, progress.produced - written);
        written += event.rows;
      },
    });
    expect(summary.totals().rowsWritten).toBe(total);
    // At most: the batches in flight and queued, the one being filled, and one chunk read from the producer.
    const bound = batchSize * (concurrency + 2) + 1_000;
    expect(lead).toBeGreaterThan(0);
    expect(lead).toBeLessThanOrEqual(bound);
    await removeLabel(label);
  });
});
