import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runPipeline } from "../../src/run/run-pipeline.js";
import { openDriver, uniqueLabel } from "../support/neo4j.js";
import { buildPipeline, stage } from "../support/pipeline-builder.js";
import { query, workDir } from "../support/run-fixture.js";

const driver = openDriver();
afterAll(() => driver.close());

const KEYS = 40;
const ROWS = 20_000;

/** `ROWS` rows `key,seq` over 40 keys, each key's rows spread over the whole file, seq their place in it. */
const hotKeys = ["key,seq", ...Array.from({ length: ROWS }, (_, i) => `age-${(i * 7) % KEYS},${i}`)].join("\n") + "\n";

const groupTask = (name: string, file: string, label: string) => ({
  name,
  source: { file },
  node: { labels: [label], key: ["key"], properties: { key: "key", last: { column: "seq", type: "integer" } }, onCreate: { first: { column: "seq", type: "integer" } } },
});

/** The duplicate scenario: many small batches over few keys, at high concurrency. */
async function load(label: string, tasks: readonly Record<string, unknown>[], createSchema: boolean) {
  const dir = workDir({ "a.csv": hotKeys, "b.csv": hotKeys });
  const pipeline = buildPipeline(dir, `hot-${label}`, [stage("nodes", ...tasks)], { batchSize: 100, concurrency: 8, mode: "merge" }, createSchema ? {} : { schema: { create: false } });
  const summary = await runPipeline(pipeline, { driver, deadLetterFile: join(dir, "rejected.jsonl") });
  expect(summary.status).toBe("completed");
  return query<{ key: string; n: number; first: number; last: number }>(
    driver,
    `MATCH (n:${label}) RETURN n.key AS key, toFloat(count(*)) AS n, toFloat(min(n.first)) AS first, toFloat(max(n.last)) AS last ORDER BY key`,
  );
}

/** The first and last row (seq) of each key in the file. */
function firstAndLast(key: string): { first: number; last: number } {
  const k = Number(key.slice("age-".length));
  const seqs = Array.from({ length: ROWS }, (_, i) => i).filter((i) => (i * 7) % KEYS === k);
  return { first: seqs[0], last: seqs.at(-1)! };
}

describe("merge mode's guarantee, against the real server", () => {
  for (const createSchema of [false, true]) {
    const constraint = createSchema ? "with the constraint graphload creates" : "without a constraint";
    it(`two tasks of a stage merging one label over 40 hot keys: one node per key, every run (${constraint})`, async () => {
      for (let round = 0; round < 3; round++) {
        const label = uniqueLabel("AgeGroup");
        const nodes = await load(label, [groupTask("a", "a.csv", label), groupTask("b", "b.csv", label)], createSchema);
        expect(nodes.map((node) => [node.key, node.n])).toEqual(Array.from({ length: KEYS }, (_, k) => [`age-${k}`, 1]).sort());
      }
    });

    it(`one task: onCreate keeps each key's first row, properties its last (${constraint})`, async () => {
      const label = uniqueLabel("AgeGroup");
      const nodes = await load(label, [groupTask("a", "a.csv", label)], createSchema);
      expect(nodes).toHaveLength(KEYS);
      for (const node of nodes) expect(node).toEqual({ key: node.key, n: 1, ...firstAndLast(node.key) });
    });
  }
});
