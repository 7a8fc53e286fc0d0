import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { graphload } from "../support/cli.js";
import { openDriver, uniqueLabel } from "../support/neo4j.js";
import { query, workDir } from "../support/run-fixture.js";

const driver = openDriver();
afterAll(() => driver.close());

/** Names written to break out of a backtick-quoted identifier, a map literal or the statement. */
function hostileNames() {
  const tag = randomBytes(6).toString("hex");
  return {
    tag,
    label: `Person\` {x:1}) DETACH DELETE (m) //${tag}`,
    quoteLabel: `a'b"c${tag}`,
    key: `id\`: row.k[0]}) MATCH (m) DETACH DELETE m //${tag}`,
    quoteProperty: `a'b${tag}`,
    statementProperty: `x;MATCH (n) DETACH DELETE n${tag}`,
    braceProperty: `p}) SET n.pwned = true //${tag}`,
    type: `R\`]->(b) DETACH DELETE a, b //${tag}`,
    relProperty: `since'}]->() RETURN 1;${tag}`,
  };
}

/** Values that look like Cypher; they travel as parameters and must be stored as written. */
const ROWS = [
  { id: "p1", name: "Robert'); MATCH (n) DETACH DELETE n; //", note: "} ) DETACH DELETE n //", braces: "{x: 1}", friend: "p2`}) //", since: "`r` $rows" },
  { id: "p2`}) //", name: "`backtick` $param {x:1}", note: "CALL db.clearQueryCaches()", braces: "\\u0060; DROP", friend: "p1", since: "';--" },
];

async function canary(): Promise<{ label: string; alive: () => Promise<number> }> {
  const label = uniqueLabel("Canary");
  await driver.executeQuery(`CREATE (:${label} {alive: true})`);
  return {
    label,
    alive: async () => {
      const [row] = await query<{ n: number }>(driver, `MATCH (c:${label} {alive: true}) RETURN toFloat(count(c)) AS n`);
      return row.n;
    },
  };
}

describe("identifiers and values that look like Cypher", () => {
  it("writes hostile labels, types and property names verbatim, and values as given", async () => {
    const names = hostileNames();
    const bird = await canary();
    const pipeline = {
      version: 1,
      name: "injection",
      stages: [
        {
          name: "nodes",
          tasks: [
            {
              name: "people",
              source: { file: "people.jsonl" },
              node: {
                labels: [names.label, names.quoteLabel],
                key: [names.key],
                properties: {
                  [names.key]: "id",
                  [names.quoteProperty]: "name",
                  [names.statementProperty]: "note",
                  [names.braceProperty]: "braces",
                },
              },
            },
          ],
        },
        {
          name: "relationships",
          tasks: [
            {
              name: "friends",
              source: { file: "people.jsonl" },
              relationship: {
                type: names.type,
                from: { label: names.label, key: { [names.key]: "id" } },
                to: { label: names.label, key: { [names.key]: "friend" } },
                properties: { [names.relProperty]: "since" },
              },
            },
          ],
        },
      ],
    };
    const dir = workDir({
      "p.yaml": JSON.stringify(pipeline, null, 2),
      "people.jsonl": ROWS.map((row) => JSON.stringify(row)).join("\n") + "\n",
    });

    const result = await graphload(["run", "p.yaml", "--no-progress", "--dead-letter", "dead.jsonl", "--summary-json", "summary.json"], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(0);

    expect(await bird.alive()).toBe(1);
    const [pwned] = await query<{ n: number }>(driver, "MATCH (n) WHERE n.pwned IS NOT NULL RETURN toFloat(count(n)) AS n");
    expect(pwned.n).toBe(0);

    // The only labels, types and property keys carrying this test's tag are the ones it named.
    const labels = await query<{ label: string }>(driver, "CALL db.labels() YIELD label WHERE label CONTAINS $tag RETURN label ORDER BY label", { tag: names.tag });
    expect(labels.map((row) => row.label)).toEqual([names.label, names.quoteLabel].sort());
    const types = await query<{ type: string }>(driver, "CALL db.relationshipTypes() YIELD relationshipType AS type WHERE type CONTAINS $tag RETURN type", { tag: names.tag });
    expect(types.map((row) => row.type)).toEqual([names.type]);
    const keys = await query<{ key: string }>(driver, "CALL db.propertyKeys() YIELD propertyKey AS key WHERE key CONTAINS $tag RETURN key ORDER BY key", { tag: names.tag });
    expect(keys.map((row) => row.key)).toEqual([names.key, names.quoteProperty, names.statementProperty, names.braceProperty, names.relProperty].sort());

    const nodes = await query<{ labels: string[]; props: Record<string, unknown> }>(
      driver,
      "MATCH (n) WHERE $label IN labels(n) RETURN labels(n) AS labels, properties(n) AS props ORDER BY n[$key]",
      { label: names.label, key: names.key },
    );
    expect(nodes.map((node) => ({ labels: [...node.labels].sort(), props: node.props }))).toEqual(
      ROWS.map((row) => ({
        labels: [names.label, names.quoteLabel].sort(),
        props: { [names.key]: row.id, [names.quoteProperty]: row.name, [names.statementProperty]: row.note, [names.braceProperty]: row.braces },
      })),
    );

    const relationships = await query(
      driver,
      "MATCH (a)-[r]->(b) WHERE type(r) = $type RETURN type(r) AS type, a[$key] AS from, b[$key] AS to, properties(r) AS props ORDER BY from",
      { type: names.type, key: names.key },
    );
    expect(relationships).toEqual(
      ROWS.map((row) => ({ type: names.type, from: row.id, to: ROWS.find((other) => other.id !== row.id)!.id, props: { [names.relProperty]: row.since } })),
    );

    const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
    expect(summary.totals).toMatchObject({ rowsRead: 4, rowsWritten: 4, rowsRejected: 0 });
    expect(summary.totals.counters).toMatchObject({
      nodesCreated: 2,
      nodesDeleted: 0,
      relationshipsCreated: 2,
      relationshipsDeleted: 0,
      labelsAdded: 4,
      labelsRemoved: 0,
      propertiesSet: 2 * 4 + 2 * 1,
    });
  });

  it("refuses identifiers that cannot be escaped, with exit 2, and writes nothing", async () => {
    const names = hostileNames();
    const bird = await canary();
    const pipeline = {
      version: 1,
      name: "refused",
      stages: [
        {
          name: "nodes",
          tasks: [
            {
              name: "people",
              source: { file: "people.jsonl" },
              node: { labels: [`Line\nBreak${names.tag}`], key: ["id"], properties: { id: "id", [`nul\u0000${names.tag}`]: "name" } },
            },
            {
              name: "fine",
              source: { file: "people.jsonl" },
              node: { labels: [names.label], key: ["id"] },
            },
          ],
        },
        {
          name: "relationships",
          tasks: [
            {
              name: "friends",
              source: { file: "people.jsonl" },
              relationship: { type: " ", from: { label: names.label, key: { id: "id" } }, to: { label: names.label, key: { id: "friend" } } },
            },
          ],
        },
      ],
    };
    const dir = workDir({
      "p.yaml": JSON.stringify(pipeline, null, 2),
      "people.jsonl": ROWS.map((row) => JSON.stringify(row)).join("\n") + "\n",
    });
    const result = await graphload(["run", "p.yaml", "--no-progress", "--dead-letter", "dead.jsonl"], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).toContain("GL_INVALID_IDENTIFIER");
    expect(result.stderr).toContain("$.stages[0].tasks[0].node.labels[0]");
    expect(result.stderr).toContain("control character");
    expect(result.stderr).toContain("$.stages[1].tasks[0].relationship.type");
    expect(result.stderr).toContain("must not be empty");

    expect(await bird.alive()).toBe(1);
    const labels = await query(driver, "CALL db.labels() YIELD label WHERE label CONTAINS $tag RETURN label", { tag: names.tag });
    expect(labels).toEqual([]);
  });
});
