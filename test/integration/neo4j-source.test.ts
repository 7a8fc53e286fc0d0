import { afterAll, describe, expect, it } from "vitest";
import { neo4jConnection, openDriver, uniqueLabel } from "../support/neo4j.js";
import { query, runIn, workDir } from "../support/run-fixture.js";

const driver = openDriver();
afterAll(() => driver.close());

const PERSONS = 2500;

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
});
