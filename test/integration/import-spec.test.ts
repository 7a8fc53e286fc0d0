import { fileURLToPath } from "node:url";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalNeo4j, type StartedLocalNeo4j } from "../../src/local-neo4j/start-local-neo4j.js";
import { graphload } from "../support/cli.js";
import { openDriver } from "../support/neo4j.js";
import { startPostgres, type StartedPostgres } from "../support/postgres.js";
import { query, workDir } from "../support/run-fixture.js";

const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));

// The specifications write fixed labels (Product, Category): a server of their own keeps
// their counts apart from the other tests' Northwind.
let neo4j: StartedLocalNeo4j;
let driver: Driver;
let postgres: StartedPostgres;

beforeAll(async () => {
  [neo4j, postgres] = await Promise.all([startLocalNeo4j({ heap: "512m", pageCache: "64m" }), startPostgres()]);
  driver = openDriver({ uri: neo4j.uri });
  await postgres.psql("postgres", { sql: "CREATE DATABASE northwind" });
  await postgres.psql("northwind", { file: fixture("northwind-postgres/northwind.sql") });
});
afterAll(async () => {
  await driver?.close();
  await Promise.all([neo4j?.stop(), postgres?.stop()]);
});

const run = (spec: string, extra: string[] = [], env: Record<string, string> = {}) =>
  graphload(["run", fixture(`import-spec/${spec}`), "--uri", neo4j.uri, "--no-progress", ...extra], { cwd: workDir(), env: { NEO4J_USERNAME: undefined, NEO4J_PASSWORD: undefined, ...env } as Record<string, string> });

async function counts(): Promise<Record<string, number>> {
  const [row] = await query<Record<string, number>>(
    driver,
    `RETURN COUNT { (:Product) } AS products, COUNT { (:Category) } AS categories,
            COUNT { (:Product)-[:BELONGS_TO_CATEGORY]->(:Category) } AS belongsTo, COUNT { (:Category)-[:CATEGORY_INCLUDES_PRODUCT]->(:Product) } AS includes`,
  );
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value)]));
}

describe("Neo4j's import specification", () => {
  it("refuses to run without its data source, saying how to give it", async () => {
    const result = await run("northwind-spec.yaml");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("$.sources[0].data_source");
    expect(result.stderr).toContain("--data-source northwind=");
    expect(result.stderr).toContain("GRAPHLOAD_DATA_SOURCE_NORTHWIND");
  });

  it("runs the example specifications unchanged against PostgreSQL's Northwind", async () => {
    const first = await run("northwind-spec.yaml", ["--data-source", `northwind=${postgres.url("northwind")}`, "--verify"]);
    expect(first.stderr).toContain("NODE KEY");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("verified");
    expect(await counts()).toEqual({ products: 77, categories: 8, belongsTo: 77, includes: 0 });
    const [chai] = await query(driver, "MATCH (p:Product {name: 'Chai'})-[:BELONGS_TO_CATEGORY]->(c:Category) RETURN p.unitPrice AS price, c.name AS category");
    expect(chai).toEqual({ price: 18, category: "Beverages" });
    // Community has no node keys: the specification's key constraints are uniqueness constraints of their names, which serve graphload's merges too.
    const constraints = await query<{ name: string; type: string }>(driver, "SHOW CONSTRAINTS YIELD name, type RETURN name, type ORDER BY name");
    expect(constraints.map((c) => [c.name, c.type])).toEqual(
      expect.arrayContaining([
        ["category_name_key_constraint", "UNIQUENESS"],
        ["product_name_key_constraint", "UNIQUENESS"],
      ]),
    );
    expect(constraints.filter((c) => /^graphload_(Product|Category)_/.test(c.name))).toEqual([]);

    // The data source from the environment this time; merge mode writes nothing twice.
    const second = await run("northwind-with-reverse-rels-spec.yaml", [], { GRAPHLOAD_DATA_SOURCE_NORTHWIND: `jdbc:${postgres.url("northwind")}` });
    expect(second.code).toBe(0);
    expect(await counts()).toEqual({ products: 77, categories: 8, belongsTo: 77, includes: 77 });
  });

  it("runs text sources (inline rows and CSV files), actions at their stages and dependent targets", async () => {
    const spec = `
version: "1"
sources:
  - { name: teams, type: text, header: [team_id, team_name], data: [[1, "Red"], [2, "Blue"]] }
  - { name: players, type: text, uri: players.csv }
targets:
  nodes:
    - name: team_nodes
      source: teams
      labels: [SpecTeam]
      properties:
        - { source_field: team_id, target_property: id, target_property_type: integer }
        - { source_field: team_name, target_property: name }
      schema: { key_constraints: [{ name: spec_team_id, label: SpecTeam, properties: [id] }] }
    - name: player_nodes
      source: players
      depends_on: [team_nodes]
      labels: [SpecPlayer]
      properties:
        - { source_field: player, target_property: name }
        - { source_field: team, target_property: teamId, target_property_type: integer }
      schema: { unique_constraints: [{ name: spec_player_name, label: SpecPlayer, properties: [name] }] }
  relationships:
    - name: plays_for
      source: players
      type: PLAYS_FOR
      start_node_reference: player_nodes
      end_node_reference: { name: team_nodes, key_mappings: [{ source_field: team, node_property: id }] }
actions:
  - { name: begin, type: cypher, stage: start, query: "CREATE (:SpecLog {step: 'start'})" }
  - { name: after_nodes, type: cypher, stage: post_nodes, query: "MATCH (p:SpecPlayer) WITH count(p) AS n CREATE (:SpecLog {step: 'post_nodes', players: n})" }
  - { name: finish, type: cypher, stage: end, query: "MATCH ()-[r:PLAYS_FOR]->() WITH count(r) AS n CREATE (:SpecLog {step: 'end', links: n})" }
`;
    const dir = workDir({ "team-spec.yaml": spec, "players.csv": "player,team\nann,1\nbob,2\ncid,2\n" });
    const result = await graphload(["run", "team-spec.yaml", "--uri", neo4j.uri, "--no-progress"], { cwd: dir, env: { NEO4J_USERNAME: undefined, NEO4J_PASSWORD: undefined } as Record<string, string> });
    expect(result.code).toBe(0);
    const log = await query(driver, "MATCH (l:SpecLog) RETURN l.step AS step, l.players AS players, l.links AS links ORDER BY step");
    expect(log.map((entry) => [entry.step, entry.players === null ? null : Number(entry.players), entry.links === null ? null : Number(entry.links)])).toEqual([
      ["end", null, 3],
      ["post_nodes", 3, null],
      ["start", null, null],
    ]);
    const plays = await query(driver, "MATCH (p:SpecPlayer)-[:PLAYS_FOR]->(t:SpecTeam) RETURN p.name AS player, t.name AS team ORDER BY player");
    expect(plays).toEqual([
      { player: "ann", team: "Red" },
      { player: "bob", team: "Blue" },
      { player: "cid", team: "Blue" },
    ]);
  });
});
