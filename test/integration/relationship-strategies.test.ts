import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDriver, uniqueLabel } from "../support/neo4j.js";
import { query, runIn, workDir } from "../support/run-fixture.js";

const driver = openDriver();
afterAll(() => driver.close());

const PERSONS = 3000;
const KNOWS = 30_000;

/** Deterministic pairs between a few thousand persons: many batches share nodes, as real graphs do. */
function knowsRows(): { csv: string; missingLines: number[]; sinceSum: number } {
  let state = 7;
  const next = (): number => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const lines = ["from,to,since"];
  const missingLines: number[] = [];
  let sinceSum = 0;
  for (let i = 0; i < KNOWS; i++) {
    const since = 1990 + (i % 30);
    if (i % 5000 === 17) {
      lines.push(`${PERSONS + i},0,${since}`);
      missingLines.push(lines.length);
      continue;
    }
    lines.push(`${Math.floor(next() * PERSONS)},${Math.floor(next() * PERSONS)},${since}`);
    sinceSum += since;
  }
  return { csv: lines.join("\n") + "\n", missingLines, sinceSum };
}

const knows = knowsRows();
const matched = KNOWS - knows.missingLines.length;

function setUp(strategy: string): { dir: string; yaml: string; label: string; type: string } {
  const label = uniqueLabel("Strat");
  const type = `KNOWS_${label}`;
  const persons = ["id", ...Array.from({ length: PERSONS }, (_, i) => String(i))].join("\n") + "\n";
  const yaml = `
version: 1
name: strategy-${label}
defaults: { batchSize: 500, concurrency: 4, mode: create }
stages:
  - name: schema
    statements: ["CREATE CONSTRAINT ${label}_id IF NOT EXISTS FOR (p:${label}) REQUIRE p.id IS UNIQUE"]
  - name: nodes
    tasks:
      - name: persons
        source: { file: persons.csv }
        node: { labels: [${label}], key: [id], properties: { id: { column: id, type: integer } } }
  - name: rels
    tasks:
      - name: knows
        source: { file: knows.csv }
        strategy: ${strategy}
        relationship:
          type: ${type}
          from: { label: ${label}, key: { id: from } }
          to: { label: ${label}, key: { id: to } }
          properties: { since: { column: since, type: integer } }
`;
  return { dir: workDir({ "persons.csv": persons, "knows.csv": knows.csv }), yaml, label, type };
}

async function relationships(type: string): Promise<{ count: number; since: number }> {
  const [row] = await query<{ count: number; since: number }>(driver, `MATCH ()-[r:${type}]->() RETURN toFloat(count(r)) AS count, toFloat(coalesce(sum(r.since), 0)) AS since`);
  return row;
}

describe("relationship strategies", () => {
  for (const strategy of ["serial", "parallel", "mix-and-batch"]) {
    it(`${strategy}: writes every relationship once and reports each missing endpoint at its line`, async () => {
      const { dir, yaml, type } = setUp(strategy);
      try {
        const summary = await runIn(driver, dir, yaml);
        const task = summary.stages[2].tasks[0];
        expect(summary.status).toBe("completed");
        expect(task).toMatchObject({ rowsRead: KNOWS, rowsWritten: matched, rowsUnmatched: knows.missingLines.length });
        expect(task.counters.relationshipsCreated).toBe(matched);
        expect(await relationships(type)).toEqual({ count: matched, since: knows.sinceSum });
        const letters = readFileSync(join(dir, "rejected.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line));
        expect(letters.map((letter) => [letter.line, letter.code]).sort((a, b) => a[0] - b[0])).toEqual(
          knows.missingLines.map((line) => [line, "GL_ENDPOINT_NOT_FOUND"]),
        );
        process.stderr.write(`[strategies] ${strategy}: ${task.batches} batches, ${task.deadlocks} deadlocks, ${task.retries} retries, ${(task.durationMs / 1000).toFixed(1)} s\n`);
        if (strategy === "serial") expect(task.deadlocks).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it("mix-and-batch: a stopped run resumes by lane, skipping exactly what committed", async () => {
    const { dir, yaml, type } = setUp("mix-and-batch");
    try {
      const abort = new AbortController();
      const first = await runIn(driver, dir, yaml, {
        signal: abort.signal,
        onEvent: (event) => {
          if (event.type === "task-progress" && event.task === "knows" && event.progress.batches >= 15) abort.abort();
        },
      });
      expect(first.status).toBe("stopped");
      const partial = await relationships(type);
      expect(partial.count).toBeGreaterThan(0);
      expect(partial.count).toBeLessThan(matched);

      const resumed = await runIn(driver, dir, yaml, { resume: true });
      const task = resumed.stages[2].tasks[0];
      expect(resumed.status).toBe("completed");
      expect(task.batchesSkipped).toBeGreaterThanOrEqual(15);
      expect(task.rowsWritten).toBe(matched - partial.count);
      expect(await relationships(type)).toEqual({ count: matched, since: knows.sinceSum });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
