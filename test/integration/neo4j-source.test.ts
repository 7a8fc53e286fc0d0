import { afterAll, describe, expect, it } from "vitest";
import { neo4jConnection, openDriver, uniqueLabel } from "../support/neo4j.js";
import { query, runIn, workDir } from "../support/run-fixture.js";
import { verifyRun } from "../../src/run/verify-run.js";
import { pipelineIn } from "../support/run-fixture.js";

const driver = openDriver();
afterAll(() => driver.close());

const PERSONS = 2500;

/** CALL { … } IN TRANSACTIONS needs an auto-commit transaction. */
async function autoCommit(cypher: string, params: Record<string, unknown>): Promise<void> {
  const session = driver.session();
  try {
    await session.run(cypher, params);
  } finally {
    await session.close();
  }
}

/** A source graph in the tests' server: persons with typed properties, each knowing the next. */
async function seed(label: string, type: string): Promise<void> {
  await driver.executeQuery(
    `UNWIND range(0, $n - 1) AS i
     CREATE (:${label} {id: i, name: 'person ' + i, born: date('1970-01-01') + duration({days: i}), score: i / 4.0, seen: datetime({epochSeconds: i, timezone: 'Europe/Paris'}), tags: ['a', toString(i)]})`,
    { n: PERSONS },
  );
  await driver.executeQuery(
    `MATCH (p:${label}) WITH p ORDER BY p.id WITH collect(p) AS persons
     UNWIND range(0, size(persons) - 2) AS i
     WITH persons[i] AS a, persons[i + 1] AS b
     CREATE (a)-[:${type} {since: a.id}]->(b)`,
  );
}

function source(cypher: string, fetchSize = 100): string {
  const { uri, user, password } = neo4jConnection();
  const credentials = password !== undefined ? `, user: "${user ?? "neo4j"}", password: "${password}"` : "";
  return `{ neo4j: { uri: "${uri}"${credentials}, query: "${cypher}", fetchSize: ${fetchSize} } }`;
}

describe("a Neo4j source", () => {
  it("streams a query's records into nodes and relationships, their Neo4j types kept", async () => {
    const from = uniqueLabel("Src");
    const to = uniqueLabel("Dst");
    const type = uniqueLabel("NEXT");
    await seed(from, `${type}_SRC`);
    const yaml = `
version: 1
name: neo4j-source-${to}
stages:
  - name: schema
    statements: ["CREATE CONSTRAINT ${to}_id IF NOT EXISTS FOR (p:${to}) REQUIRE p.id IS UNIQUE"]
  - name: nodes
    tasks:
      - name: persons
        source: ${source(`MATCH (p:${from}) RETURN p.id AS id, p.name AS name, p.born AS born, p.score AS score, p.seen AS seen, p.tags AS tags ORDER BY id`)}
        node:
          labels: [${to}]
          key: [id]
          properties: { id: { column: id, type: integer }, name: name, born: { column: born, type: date }, score: score, seen: seen, tags: tags }
  - name: relationships
    tasks:
      - name: next
        source: ${source(`MATCH (a:${from})-[r:${type}_SRC]->(b:${from}) RETURN a.id AS from, b.id AS to, r.since AS since`)}
        relationship:
          type: ${type}
          from: { label: ${to}, key: { id: from } }
          to: { label: ${to}, key: { id: to } }
          properties: { since: since }
`;
    const summary = await runIn(driver, workDir(), yaml);
    expect(summary.error).toBeUndefined();
    const [nodes, relationships] = summary.stages.slice(1).map((stage) => stage.tasks[0]);
    expect(nodes).toMatchObject({ rowsRead: PERSONS, rowsWritten: PERSONS, rowsRejected: 0 });
    expect(relationships).toMatchObject({ rowsRead: PERSONS - 1, rowsWritten: PERSONS - 1, rowsUnmatched: 0 });

    const [types] = await query(
      driver,
      `MATCH (p:${to} {id: 7}) RETURN valueType(p.id) AS id, valueType(p.born) AS born, valueType(p.score) AS score, valueType(p.seen) AS seen, valueType(p.tags) AS tags, p.born = date('1970-01-08') AS bornRight`,
    );
    expect(types).toEqual({
      id: "INTEGER NOT NULL",
      born: "DATE NOT NULL",
      score: "FLOAT NOT NULL",
      seen: "ZONED DATETIME NOT NULL",
      tags: "LIST<STRING NOT NULL> NOT NULL",
      bornRight: true,
    });
    const [copied] = await query(
      driver,
      `MATCH (s:${from}) MATCH (d:${to} {id: s.id})
       RETURN toFloat(count(*)) AS n, toFloat(sum(CASE WHEN d.name = s.name AND d.born = s.born AND d.score = s.score AND d.seen = s.seen AND d.tags = s.tags THEN 1 ELSE 0 END)) AS same`,
    );
    expect(copied).toEqual({ n: PERSONS, same: PERSONS });
    const [rels] = await query(driver, `MATCH (a:${to})-[r:${type}]->(b:${to}) WHERE b.id = a.id + 1 AND r.since = a.id RETURN toFloat(count(r)) AS n`);
    expect(rels.n).toBe(PERSONS - 1);
  });

  it("fails the run with the server's message when the query is wrong", async () => {
    const label = uniqueLabel("Dst");
    const yaml = `
version: 1
name: neo4j-source-bad-${label}
stages:
  - name: nodes
    tasks:
      - name: persons
        source: ${source("MATCH (p) RETURN p.id AS id ORDER BY nonsense(")}
        node: { labels: [${label}], key: [id] }
`;
    const summary = await runIn(driver, workDir(), yaml);
    expect(summary.status).toBe("failed");
    expect(summary.error?.message).toMatch(/Invalid input|SyntaxError|syntax/i);
  });

  it("migrates 100,000 nodes and 200,000 relationships by keyset, interrupted and resumed after the last committed key", async () => {
    const from = uniqueLabel("KeySrc");
    const to = uniqueLabel("KeyDst");
    const type = uniqueLabel("LINK");
    const nodes = 100_000;
    await driver.executeQuery(`CREATE CONSTRAINT ${from}_id IF NOT EXISTS FOR (p:${from}) REQUIRE p.id IS UNIQUE`);
    await driver.executeQuery(`CREATE INDEX ${type}_seq IF NOT EXISTS FOR ()-[r:${type}_SRC]-() ON (r.seq)`);
    await autoCommit(`UNWIND range(0, $n - 1) AS i CALL { WITH i CREATE (:${from} {id: i, name: 'n' + i}) } IN TRANSACTIONS OF 20000 ROWS`, { n: nodes });
    await autoCommit(
      `UNWIND range(0, 2 * $n - 1) AS seq
       CALL { WITH seq MATCH (a:${from} {id: seq % $n}) MATCH (b:${from} {id: (seq * 7 + 3) % $n}) CREATE (a)-[:${type}_SRC {seq: seq}]->(b) } IN TRANSACTIONS OF 20000 ROWS`,
      { n: nodes },
    );
    const yaml = `
version: 1
name: neo4j-keyset-${to}
defaults: { batchSize: 2000, concurrency: 4, mode: create }
stages:
  - name: schema
    statements: ["CREATE CONSTRAINT ${to}_id IF NOT EXISTS FOR (p:${to}) REQUIRE p.id IS UNIQUE"]
  - name: nodes
    tasks:
      - name: nodes
        source:
          neo4j:
            uri: "${neo4jConnection().uri}"
            query: "MATCH (p:${from}) WHERE p.id > $after RETURN p.id AS id, p.name AS name ORDER BY p.id LIMIT $page"
            keyset: { column: id, after: -1, page: 5000 }
        node: { labels: [${to}], key: [id], properties: { name: name } }
  - name: relationships
    tasks:
      - name: links
        source:
          neo4j:
            uri: "${neo4jConnection().uri}"
            query: "MATCH (a)-[r:${type}_SRC]->(b) WHERE r.seq > $after RETURN r.seq AS seq, a.id AS from, b.id AS to ORDER BY r.seq LIMIT $page"
            keyset: { column: seq, after: -1, page: 5000 }
        relationship:
          type: ${type}
          from: { label: ${to}, key: { id: from } }
          to: { label: ${to}, key: { id: to } }
          properties: { seq: seq }
`;
    const dir = workDir();
    const abort = new AbortController();
    const first = await runIn(driver, dir, yaml, {
      signal: abort.signal,
      onEvent: (event) => {
        if (event.type === "task-progress" && event.task === "links" && event.progress.batches >= 30) abort.abort();
      },
    });
    expect(first.status).toBe("stopped");
    const [partial] = await query<{ n: number }>(driver, `MATCH (:${to})-[r:${type}]->(:${to}) RETURN toFloat(count(r)) AS n`);
    expect(partial.n).toBeGreaterThan(0);
    expect(partial.n).toBeLessThan(2 * nodes);

    const resumed = await runIn(driver, dir, yaml, { resume: true });
    expect(resumed.status).toBe("completed");
    const links = resumed.stages[2].tasks[0];
    // Read from after the last committed key, not from the start.
    expect(links.rowsBeforeResume).toBeGreaterThan(0);
    expect(links.rowsRead).toBe(2 * nodes - links.rowsBeforeResume);
    expect(resumed.stages[1].tasks[0]).toMatchObject({ rowsRead: 0, rowsBeforeResume: nodes });

    const [graph] = await query(
      driver,
      `MATCH (n:${to}) WITH toFloat(count(n)) AS nodes, toFloat(count(DISTINCT n.id)) AS ids
       MATCH (:${to})-[r:${type}]->(:${to}) RETURN nodes, ids, toFloat(count(r)) AS links, toFloat(count(DISTINCT r.seq)) AS seqs, toFloat(sum(r.seq)) AS checksum`,
    );
    expect(graph).toEqual({ nodes, ids: nodes, links: 2 * nodes, seqs: 2 * nodes, checksum: (2 * nodes * (2 * nodes - 1)) / 2 });
    const report = await verifyRun(resumed, pipelineIn(dir, yaml), driver);
    expect(report.ok).toBe(true);
  }, 240_000);
});
