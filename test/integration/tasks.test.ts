import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDriver, uniqueLabel } from "../support/neo4j.js";
import { query, runIn, workDir } from "../support/run-fixture.js";

const driver = openDriver();
afterAll(() => driver.close());

const count = async (cypher: string): Promise<number> => Number((await query(driver, cypher))[0].n);

function graphPipeline(person: string, knows: string, mode: "merge" | "create", extra = ""): string {
  return `
version: 1
name: graph
defaults: { batchSize: 50, concurrency: 8, mode: ${mode} }
stages:
  - name: nodes
    tasks:
      - name: people
        source: { file: people.csv }
        node:
          labels: [${person}]
          key: [id]
          properties:
            id: { column: id, type: integer }
            name: name
  - name: relationships
    tasks:
      - name: knows
        source: { file: knows.csv }
        relationship:
          type: ${knows}
          from: { label: ${person}, key: { id: from } }
          to: { label: ${person}, key: { id: to } }
          properties:
            since: { column: since, type: integer }
${extra}`;
}

/** n people and 2n KNOWS rows between them, deterministic. */
function graphFiles(n: number): Record<string, string> {
  const people = ["id,name", ...Array.from({ length: n }, (_, i) => `${i},person ${i}`)];
  const knows = ["from,to,since", ...Array.from({ length: 2 * n }, (_, i) => `${i % n},${(i * 7 + 1 + Math.floor(i / n)) % n},${2000 + (i % 20)}`)];
  return { "people.csv": people.join("\n") + "\n", "knows.csv": knows.join("\n") + "\n" };
}

describe("node and relationship tasks", () => {
  it("writes relationships in a later stage that sees every node of the stage before", async () => {
    const person = uniqueLabel("Person");
    const knows = uniqueLabel("KNOWS");
    const summary = await runIn(driver, workDir(graphFiles(2000)), graphPipeline(person, knows, "merge"));
    expect(summary.toJSON().error).toBeUndefined();
    expect(summary.exitCode).toBe(0);
    const [nodes, relationships] = summary.stages;
    expect(nodes.tasks[0]).toMatchObject({ rowsRead: 2000, rowsWritten: 2000 });
    expect(relationships.tasks[0]).toMatchObject({ rowsRead: 4000, rowsWritten: 4000, rowsUnmatched: 0 });
    // Merge mode routes rows into lanes by key: full batches, plus at most one partial batch per lane.
    expect(nodes.tasks[0].batches).toBeGreaterThanOrEqual(40);
    expect(relationships.tasks[0].batches).toBeGreaterThanOrEqual(80);
    expect(summary.bookmarks.length).toBeGreaterThan(0);

    // The server's counters, summed over batches, equal what the graph holds.
    const totals = summary.totals();
    expect(totals.counters.nodesCreated).toBe(await count(`MATCH (n:${person}) RETURN count(n) AS n`));
    expect(totals.counters.labelsAdded).toBe(2000);
    expect(totals.counters.relationshipsCreated).toBe(await count(`MATCH ()-[r:${knows}]->() RETURN count(r) AS n`));
    expect(totals.counters.propertiesSet).toBe(
      (await count(`MATCH (n:${person}) RETURN sum(size(keys(n))) AS n`)) + (await count(`MATCH ()-[r:${knows}]->() RETURN sum(size(keys(r))) AS n`)),
    );
  });

  it("merge mode writes each node and relationship once however often it runs", async () => {
    const person = uniqueLabel("Person");
    const knows = uniqueLabel("KNOWS");
    const dir = workDir(graphFiles(100));
    await runIn(driver, dir, graphPipeline(person, knows, "merge"));
    const again = await runIn(driver, dir, graphPipeline(person, knows, "merge"));
    expect(again.exitCode).toBe(0);
    expect(again.totals().counters.nodesCreated).toBe(0);
    expect(again.totals().counters.relationshipsCreated).toBe(0);
    expect(await count(`MATCH (n:${person}) RETURN count(n) AS n`)).toBe(100);
    expect(await count(`MATCH ()-[r:${knows}]->() RETURN count(r) AS n`)).toBe(200);
  });

  it("create mode writes every row again", async () => {
    const person = uniqueLabel("Person");
    const knows = uniqueLabel("KNOWS");
    const dir = workDir(graphFiles(100));
    const first = await runIn(driver, dir, graphPipeline(person, knows, "create", ""));
    expect(first.exitCode).toBe(0);
    expect(await count(`MATCH (n:${person}) RETURN count(n) AS n`)).toBe(100);
    expect(await count(`MATCH ()-[r:${knows}]->() RETURN count(r) AS n`)).toBe(200);
    // A second run without the node stage creates every relationship again, duplicates included.
    const second = await runIn(driver, dir, graphPipeline(person, knows, "create"), { stages: ["relationships"] });
    expect(second.totals().counters.relationshipsCreated).toBe(200);
    expect(await count(`MATCH ()-[r:${knows}]->() RETURN count(r) AS n`)).toBe(400);
  });

  it("counts and dead-letters relationship rows whose endpoints do not exist", async () => {
    const person = uniqueLabel("Person");
    const knows = uniqueLabel("KNOWS");
    const dir = workDir({ "people.csv": "id,name\n1,a\n2,b\n", "knows.csv": "from,to,since\n1,2,2000\n1,99,2001\n77,2,2002\n" });
    const summary = await runIn(driver, dir, graphPipeline(person, knows, "merge"));
    expect(summary.exitCode).toBe(3);
    expect(summary.stages[1].tasks[0]).toMatchObject({ rowsRead: 3, rowsWritten: 1, rowsUnmatched: 2, rowsRejected: 2 });
    // Batches finish in any order, and so do their dead letters.
    const letters = readFileSync(join(dir, "rejected.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line)).sort((a, b) => a.line - b.line);
    expect(letters.map((letter) => [letter.line, letter.code, letter.row])).toEqual([
      [3, "GL_ENDPOINT_NOT_FOUND", { from: "1", to: "99", since: "2001" }],
      [4, "GL_ENDPOINT_NOT_FOUND", { from: "77", to: "2", since: "2002" }],
    ]);
    expect(letters[0]).toMatchObject({ task: "knows", source: expect.stringContaining("knows.csv") });
  });

  it("dead-letters a row whose value does not convert and writes the rest", async () => {
    const person = uniqueLabel("Person");
    const dir = workDir({ "people.csv": "id,name\n1,a\nabc,b\n3,c\n" });
    const summary = await runIn(
      driver,
      dir,
      `
version: 1
name: bad-value
stages:
  - name: nodes
    tasks:
      - name: people
        source: { file: people.csv }
        node: { labels: [${person}], key: [id], properties: { id: { column: id, type: integer }, name: name } }
`,
    );
    expect(summary.exitCode).toBe(3);
    expect(await count(`MATCH (n:${person}) RETURN count(n) AS n`)).toBe(2);
    const [letter] = readFileSync(join(dir, "rejected.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line));
    expect(letter).toMatchObject({ line: 3, code: "GL_BAD_VALUE", row: { id: "abc", name: "b" } });
  });

  it("runs cypher tasks and statements stages", async () => {
    const label = uniqueLabel("Tag");
    const dir = workDir({ "tags.jsonl": '{"name":"a","weight":1}\n{"name":"b","weight":null}\n{"name":"a","weight":3}\n' });
    const summary = await runIn(
      driver,
      dir,
      `
version: 1
name: cypher
stages:
  - name: prepare
    statements:
      - "CREATE (:${label} {name: 'seed', weight: 0})"
      - "MATCH (n:${label} {name: 'seed'}) SET n.seen = true"
  - name: tags
    tasks:
      - name: tags
        source: { file: tags.jsonl }
        cypher: |
          MERGE (t:${label} {name: row.name})
          SET t.weight = coalesce(t.weight, 0) + coalesce(row.weight, 0), t.weightType = valueType(row.weight)
`,
    );
    expect(summary.exitCode).toBe(0);
    expect(summary.stages[0].counters.nodesCreated).toBe(1);
    const rows = await query(driver, `MATCH (n:${label}) RETURN n.name AS name, toFloat(n.weight) AS weight, n.seen AS seen, n.weightType AS type ORDER BY name`);
    expect(rows).toEqual([
      { name: "a", weight: 4, seen: null, type: "INTEGER NOT NULL" },
      { name: "b", weight: 0, seen: null, type: "NULL" },
      { name: "seed", weight: 0, seen: true, type: null },
    ]);
  });
});
