import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { batchParameters } from "../../src/plan/batch-parameters.js";
import type { TaskPlan } from "../../src/plan/build-plan.js";
import { FILTERED } from "../../src/plan/row-mapper.js";
import { graphload } from "../support/cli.js";
import { dropSchemaOf, openDriver, uniqueLabel } from "../support/neo4j.js";
import { taskPlanOf } from "../support/plan-task.js";
import { query, runIn, workDir } from "../support/run-fixture.js";

const driver = openDriver();
/** Labels whose constraints and indexes a run may have created, dropped at the end so the shared database does not collect them. */
const labels: string[] = [];
const label = (prefix: string): string => {
  const name = uniqueLabel(prefix);
  labels.push(name);
  return name;
};
afterAll(async () => {
  await dropSchemaOf(driver, labels);
  await driver.close();
});

const deadLetters = (dir: string): Array<{ line: number; code: string; message: string; row: unknown }> =>
  readFileSync(join(dir, "rejected.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line))
    .sort((a, b) => a.line - b.line);

/**
 * Applies a task's plan to records as its contract says the engine does, one statement per
 * variant, in one sequential pass: the plan's statements checked on the server, whatever
 * the engine around them.
 */
async function applyPlan(plan: TaskPlan, records: Array<Record<string, unknown>>): Promise<void> {
  const byVariant = new Map<string, unknown[]>();
  for (const values of records) {
    const row = plan.mapRow(values);
    if (row === FILTERED) continue;
    const variant = plan.variantOf?.(values) ?? "";
    byVariant.set(variant, [...(byVariant.get(variant) ?? []), row]);
  }
  for (const [variant, rows] of byVariant) await driver.executeQuery(plan.statement(variant), batchParameters(plan.shape, rows));
}

describe("mapping real data: statements on the server", () => {
  it("sends text columns as one string where it can and as lists where it cannot, with the same values either way", async () => {
    const word = label("Word");
    const plan = taskPlanOf(
      `
name: words
source: { file: words.jsonl }
mode: create
nullValues: []
node:
  labels: [${word}]
  key: [id]
  properties:
    id: { column: id, type: integer }
    text: text
    born: { column: born, type: date }
`,
      { "words.jsonl": "" },
    );
    const batches = [
      [
        { id: 1, text: "é😀 \"quoted\", two\nlines", born: "1815-12-10" },
        { id: 2, text: "", born: "1906-12-09" },
      ],
      [
        { id: 3, text: null, born: null },
        { id: 4, text: "a\u001fb", born: "2000-01-01" },
      ],
      [{ id: 5, text: 42, born: "2024-02-29" }],
      [{ id: 6, text: "", born: "1970-01-01" }],
    ];
    const sent = [];
    for (const records of batches) {
      const parameters = batchParameters(plan.shape, records.map((values) => plan.mapRow(values)));
      sent.push([typeof parameters.t1, typeof parameters.t2]);
      await driver.executeQuery(plan.statement(""), parameters);
    }
    // One string, lists (a null, the separator), a list (a number), one string (an empty one).
    expect(sent).toEqual([
      ["string", "string"],
      ["object", "object"],
      ["object", "string"],
      ["string", "string"],
    ]);
    const found = await query(driver, `MATCH (n:${word}) RETURN n.id AS id, n.text AS text, valueType(n.text) AS type, toString(n.born) AS born ORDER BY id`);
    const plain = (value: unknown): unknown => (typeof value === "object" && value !== null ? Number(value) : value);
    expect(found.map(({ id, text, type, born }) => [Number(id), plain(text), type, born])).toEqual([
      [1, 'é😀 "quoted", two\nlines', "STRING NOT NULL", "1815-12-10"],
      [2, "", "STRING NOT NULL", "1906-12-09"],
      [3, null, "NULL", null],
      [4, "a\u001fb", "STRING NOT NULL", "2000-01-01"],
      [5, 42, "INTEGER NOT NULL", "2024-02-29"],
      [6, "", "STRING NOT NULL", "1970-01-01"],
    ]);
  });

  it("writes each variant's labels and types, escaped, as the plan's statements say", async () => {
    const thing = label("Thing");
    const files = { "things.csv": "id,kind,rel\n" };
    const nodes = taskPlanOf(`name: things\nsource: { file: things.csv }\nnode: { labels: [${thing}, { column: kind }], key: [id] }`, files);
    await applyPlan(nodes, [
      { id: "1", kind: "Large" },
      { id: "2", kind: "Big Cat" },
      { id: "1", kind: "Hub" },
    ]);
    const found = await query(driver, `MATCH (n:${thing}) RETURN n.id AS id, [l IN labels(n) WHERE l <> $thing] AS extra ORDER BY id`, { thing });
    expect(found.map(({ id, extra }) => [id, [...(extra as string[])].sort()])).toEqual([
      ["1", ["Hub", "Large"]],
      ["2", ["Big Cat"]],
    ]);

    const type = uniqueLabel("T");
    const rels = taskPlanOf(
      `name: rels\nsource: { file: things.csv }\nrelationship:\n  type: { column: rel }\n  from: { label: ${thing}, key: { id: id } }\n  to: { label: ${thing}, key: { id: kind } }`,
      files,
    );
    const hostile = `${type}\`]->(b) DETACH DELETE b //`;
    await applyPlan(rels, [
      { id: "1", kind: "2", rel: `${type}_A` },
      { id: "2", kind: "1", rel: hostile },
    ]);
    const types = await query(driver, `MATCH (a:${thing})-[r]->(b:${thing}) RETURN a.id AS a, type(r) AS type, b.id AS b ORDER BY a`);
    expect(types).toEqual([
      { a: "1", type: `${type}_A`, b: "2" },
      { a: "2", type: hostile, b: "1" },
    ]);
  });

  it("merges a node on the labels from its columns when it has no fixed label", async () => {
    const apple = label("Apple");
    const pear = label("Pear");
    const plan = taskPlanOf(
      `name: fruit\nsource: { file: fruit.csv }\nnode: { labels: [{ column: kind, values: { a: ${apple}, p: ${pear} } }], key: [id], properties: { id: { column: id, type: integer } } }`,
      { "fruit.csv": "id,kind\n" },
    );
    await applyPlan(plan, [
      { id: "1", kind: "a" },
      { id: "1", kind: "p" },
      { id: "1", kind: "a" },
    ]);
    expect(await query(driver, `MATCH (n) WHERE n:${apple} OR n:${pear} RETURN labels(n) AS labels, valueType(n.id) AS type ORDER BY labels`)).toEqual([
      { labels: [apple], type: "INTEGER NOT NULL" },
      { labels: [pear], type: "INTEGER NOT NULL" },
    ]);
  });
});

describe("mapping real data: runs", () => {
  it("loads the design's suspects: where, type from values, merged endpoint with onCreate, relationship key, default", async () => {
    const caseLabel = label("Case");
    const drug = label("Drug");
    const dir = workDir({
      "cases.csv": "primaryid\n100\n101\n",
      "drugs.csv": [
        "primaryid,name,substance,seq,route,role",
        "100,aspirin,ASA,1,oral,PS",
        "100,ibuprofen,IBU,2,,SS",
        "100,aspirin,ASA-2,3,,C",
        "101,aspirin,ASA-3,1,iv,I",
        "101,paracetamol,PCM,2,,XX",
        "102,morphine,MOR,1,,PS",
        "101,codeine,COD,3,,Q",
        "100,aspirin,ASA-4,1,rectal,PS",
        "",
      ].join("\n"),
    });
    const summary = await runIn(
      driver,
      dir,
      `
version: 1
name: ${uniqueLabel("suspects")}
defaults: { batchSize: 2, concurrency: 4 }
stages:
  - name: cases
    tasks:
      - name: cases
        source: { file: cases.csv }
        node: { labels: [${caseLabel}], key: [primaryid], properties: { primaryid: { column: primaryid, type: integer } } }
  - name: suspects
    tasks:
      - name: suspects
        source: { file: drugs.csv }
        where: { column: role, notIn: [XX] }
        relationship:
          type: { column: role, values: { PS: IS_PRIMARY_SUSPECT, SS: IS_SECONDARY_SUSPECT, C: IS_CONCOMITANT, I: IS_INTERACTING } }
          from: { label: ${caseLabel}, key: { primaryid: primaryid } }
          to:   { label: ${drug}, key: { name: name }, merge: true, onCreate: { substance: substance } }
          key: [drugSequence]
          properties:
            drugSequence: { column: seq, type: integer }
            route: { column: route, default: UNKNOWN }
`,
    );
    expect(summary.toJSON().error).toBeUndefined();
    expect(summary.stages[1].tasks[0]).toMatchObject({ rowsRead: 8, rowsFiltered: 1, rowsRejected: 2, rowsUnmatched: 1, rowsWritten: 5 });
    expect(summary.exitCode).toBe(3);
    expect(deadLetters(dir).map(({ line, code }) => [line, code])).toEqual([
      [7, "GL_ENDPOINT_NOT_FOUND"],
      [8, "GL_UNMAPPED_VALUE"],
    ]);

    // The missing case created nothing, not even its drug; the first aspirin row's onCreate holds.
    expect(await query(driver, `MATCH (d:${drug}) RETURN d.name AS name, d.substance AS substance ORDER BY name`)).toEqual([
      { name: "aspirin", substance: "ASA" },
      { name: "ibuprofen", substance: "IBU" },
    ]);
    const relationships = await query(
      driver,
      `MATCH (c:${caseLabel})-[r]->(d:${drug})
       RETURN c.primaryid AS case, type(r) AS type, d.name AS drug, r.drugSequence AS seq, valueType(r.drugSequence) AS seqType, r.route AS route
       ORDER BY case, seq`,
    );
    expect(relationships.map((r) => ({ ...r, case: Number(r.case), seq: Number(r.seq) }))).toEqual([
      { case: 100, type: "IS_PRIMARY_SUSPECT", drug: "aspirin", seq: 1, seqType: "INTEGER NOT NULL", route: "rectal" },
      { case: 100, type: "IS_SECONDARY_SUSPECT", drug: "ibuprofen", seq: 2, seqType: "INTEGER NOT NULL", route: "UNKNOWN" },
      { case: 100, type: "IS_CONCOMITANT", drug: "aspirin", seq: 3, seqType: "INTEGER NOT NULL", route: "UNKNOWN" },
      { case: 101, type: "IS_INTERACTING", drug: "aspirin", seq: 1, seqType: "INTEGER NOT NULL", route: "iv" },
    ]);
  });

  it("creates nothing for a row whose endpoint that must exist is missing, not even the merged one", async () => {
    const person = label("Person");
    const company = label("Company");
    const works = uniqueLabel("WORKS_AT");
    const dir = workDir({ "works.csv": "person,company\nada,acme\nbob,nowhere\nada,acme\n" });
    await driver.executeQuery(`CREATE (:${company} {name: "acme"})`);
    const summary = await runIn(
      driver,
      dir,
      `
version: 1
name: ${uniqueLabel("works")}
stages:
  - name: works
    tasks:
      - name: works
        source: { file: works.csv }
        relationship:
          type: ${works}
          from: { label: ${person}, key: { name: person }, merge: true, onCreate: { since: { column: company, default: x } } }
          to: { label: ${company}, key: { name: company } }
`,
    );
    expect(summary.stages[0].tasks[0]).toMatchObject({ rowsRead: 3, rowsWritten: 2, rowsUnmatched: 1, rowsRejected: 1 });
    expect(deadLetters(dir)).toMatchObject([{ line: 3, code: "GL_ENDPOINT_NOT_FOUND", row: { person: "bob", company: "nowhere" } }]);
    expect(await query(driver, `MATCH (p:${person}) RETURN p.name AS name, p.since AS since`)).toEqual([{ name: "ada", since: "acme" }]);
    expect(await query(driver, `MATCH (:${person})-[r:${works}]->(:${company}) RETURN count(r) AS n`)).toEqual([{ n: expect.objectContaining({ low: 1 }) }]);
  });

  it("loads airports: a label from a column, a point from columns, onCreate, and every other column; a second run keeps what it must", async () => {
    const airport = label("Airport");
    const files = (rows: string[]) => ({ "airports.csv": ["iata,lat,lon,kind,seen,city,elevation,", ...rows, ""].join("\n") });
    const pipeline = `
version: 1
name: ${uniqueLabel("airports")}
stages:
  - name: airports
    tasks:
      - name: airports
        source: { file: airports.csv }
        node:
          labels: [${airport}, { column: kind }]
          key: [iata]
          properties:
            iata: iata
            location: { type: point, columns: { latitude: lat, longitude: lon } }
          onCreate:
            firstSeen: { column: seen, type: date }
          allColumns: true
          exclude: [lat, lon, kind, seen]
`;
    const dir = workDir(files(["TXL,52.56,13.29,Large,2020-01-01,Berlin,37,", "HAM,53.63,9.99,Medium,2021-05-05,Hamburg,,"]));
    const first = await runIn(driver, dir, pipeline);
    expect(first.exitCode).toBe(0);
    writeFileSync(join(dir, "airports.csv"), files(["TXL,,,Closed,2024-12-31,Berlin-Tegel,,"])["airports.csv"]);
    const second = await runIn(driver, dir, pipeline);
    expect(second.exitCode).toBe(0);

    const airports = await query(
      driver,
      `MATCH (a:${airport})
       RETURN a.iata AS iata, [l IN labels(a) WHERE l <> $airport] AS kinds, a.location.latitude AS lat, a.location.longitude AS lon,
              a.location.srid AS srid, valueType(a.location) AS locationType, toString(a.firstSeen) AS firstSeen, valueType(a.firstSeen) AS seenType,
              a.city AS city, a.elevation AS elevation, valueType(a.elevation) AS elevationType, keys(a) AS keys
       ORDER BY iata`,
      { airport },
    );
    expect(airports.map((a) => ({ ...a, kinds: [...(a.kinds as string[])].sort(), keys: [...(a.keys as string[])].sort(), srid: Number(a.srid) }))).toEqual([
      {
        iata: "HAM",
        kinds: ["Medium"],
        lat: 53.63,
        lon: 9.99,
        srid: 4326,
        locationType: "POINT NOT NULL",
        firstSeen: "2021-05-05",
        seenType: "DATE NOT NULL",
        city: "Hamburg",
        elevation: null,
        elevationType: "NULL",
        keys: ["city", "firstSeen", "iata", "location"],
      },
      {
        // A null keeps the value there (location, elevation); onCreate keeps the first run's date; labels add up.
        iata: "TXL",
        kinds: ["Closed", "Large"],
        lat: 52.56,
        lon: 13.29,
        srid: 4326,
        locationType: "POINT NOT NULL",
        firstSeen: "2020-01-01",
        seenType: "DATE NOT NULL",
        city: "Berlin-Tegel",
        elevation: "37",
        elevationType: "STRING NOT NULL",
        keys: ["city", "elevation", "firstSeen", "iata", "location"],
      },
    ]);
  });

  it("takes defaults with their YAML type and JSON values as they are", async () => {
    const person = label("Person");
    const dir = workDir({
      "people.jsonl": [
        '{"id": 1, "born": null, "since": null, "age": 36, "score": 1.5, "tags": ["a", "b"], "active": true, "gone": null}',
        '{"id": 2, "born": 1815, "since": "2001-02-03", "age": "36"}',
        "",
      ].join("\n"),
    });
    const summary = await runIn(
      driver,
      dir,
      `
version: 1
name: ${uniqueLabel("people")}
stages:
  - name: people
    tasks:
      - name: people
        source: { file: people.jsonl }
        node:
          labels: [${person}]
          key: [id]
          properties:
            born: { column: born, default: 1900 }
            since: { column: since, type: date, default: "2000-01-01" }
          allColumns: true
`,
    );
    expect(summary.exitCode).toBe(0);
    const types = await query(
      driver,
      `MATCH (p:${person}) RETURN p.id AS id, p.born AS born, valueType(p.born) AS born_t, toString(p.since) AS since, valueType(p.since) AS since_t,
              valueType(p.age) AS age_t, valueType(p.score) AS score_t, valueType(p.tags) AS tags_t, valueType(p.active) AS active_t, p.gone IS NULL AS gone
       ORDER BY id`,
    );
    expect(types.map((row) => ({ ...row, id: Number(row.id), born: Number(row.born) }))).toEqual([
      {
        id: 1,
        born: 1900,
        born_t: "INTEGER NOT NULL",
        since: "2000-01-01",
        since_t: "DATE NOT NULL",
        age_t: "INTEGER NOT NULL",
        score_t: "FLOAT NOT NULL",
        tags_t: "LIST<STRING NOT NULL> NOT NULL",
        active_t: "BOOLEAN NOT NULL",
        gone: true,
      },
      { id: 2, born: 1815, born_t: "INTEGER NOT NULL", since: "2001-02-03", since_t: "DATE NOT NULL", age_t: "STRING NOT NULL", score_t: "NULL", tags_t: "NULL", active_t: "NULL", gone: true },
    ]);
  });

  it("filters by JSON equality and isNull in a cypher task, counting what it leaves out", async () => {
    const member = label("Member");
    const dir = workDir({
      "members.jsonl": ['{"id": 1, "active": true, "email": "a@x"}', '{"id": 2, "active": "true", "email": "b@x"}', '{"id": 3, "active": true, "email": null}', '{"id": 4, "active": true}', ""].join(
        "\n",
      ),
    });
    const summary = await runIn(
      driver,
      dir,
      `
version: 1
name: ${uniqueLabel("members")}
stages:
  - name: members
    tasks:
      - name: members
        source: { file: members.jsonl }
        where: { all: [{ column: active, equals: true }, { not: { column: email, isNull: true } }] }
        cypher: "CREATE (:${member} {id: row.id})"
`,
    );
    expect(summary.exitCode).toBe(0);
    expect(await query(driver, `MATCH (m:${member}) RETURN m.id AS id`)).toEqual([{ id: expect.objectContaining({ low: 1 }) }]);
    expect(summary.stages[0].tasks[0]).toMatchObject({ rowsRead: 4, rowsWritten: 1, rowsFiltered: 3, rowsRejected: 0 });
  });

  it("creates each merged node once whatever the concurrency, applying its rows in source order", async () => {
    const caseLabel = label("Case");
    const drug = label("Drug");
    const type = uniqueLabel("TAKES");
    const rows = Array.from({ length: 2000 }, (_, i) => `${i},d${i % 20},s${i}`);
    const dir = workDir({ "cases.csv": ["id", ...Array.from({ length: 2000 }, (_, i) => String(i)), ""].join("\n"), "takes.csv": ["case,drug,substance", ...rows, ""].join("\n") });
    const summary = await runIn(
      driver,
      dir,
      `
version: 1
name: ${uniqueLabel("takes")}
schema: { create: false }
defaults: { batchSize: 10, concurrency: 8 }
stages:
  - name: cases
    tasks:
      - name: cases
        source: { file: cases.csv }
        node: { labels: [${caseLabel}], key: [id] }
  - name: takes
    tasks:
      - name: takes
        source: { file: takes.csv }
        relationship:
          type: ${type}
          from: { label: ${caseLabel}, key: { id: case } }
          to: { label: ${drug}, key: { name: drug }, merge: true, onCreate: { substance: substance } }
          properties: { last: substance }
`,
    );
    expect(summary.exitCode).toBe(0);
    const drugs = await query(driver, `MATCH (d:${drug}) RETURN d.name AS name, d.substance AS substance ORDER BY toInteger(substring(name, 1))`);
    expect(drugs).toEqual(Array.from({ length: 20 }, (_, i) => ({ name: `d${i}`, substance: `s${i}` })));
    expect(await query(driver, `MATCH ()-[r:${type}]->() RETURN count(r) AS n`)).toEqual([{ n: expect.objectContaining({ low: 2000 }) }]);
  });

  it("creates the constraints and indexes of its merges and lookups, and none with schema: { create: false }", async () => {
    const person = label("Person");
    const company = label("Company");
    const dir = workDir({ "people.csv": "id,company\n1,acme\n" });
    const pipeline = (create: boolean) => `
version: 1
name: ${uniqueLabel(`schema-${create}`)}
schema: { create: ${create} }
stages:
  - name: people
    tasks:
      - name: people
        source: { file: people.csv }
        node: { labels: [${person}], key: [id] }
  - name: works
    tasks:
      - name: works
        source: { file: people.csv }
        relationship:
          type: WORKS_AT
          from: { label: ${person}, key: { id: id } }
          to: { label: ${company}, key: { name: company } }
`;
    const schemaOf = async () =>
      (
        await query<{ name: string; type: string; labels: string[]; properties: string[] }>(
          driver,
          "SHOW INDEXES YIELD name, type, labelsOrTypes AS labels, properties, owningConstraint WHERE any(l IN labels WHERE l IN $names) RETURN name, owningConstraint IS NOT NULL AS constraint, labels, properties ORDER BY name",
          { names: [person, company] },
        )
      ).map((row) => ({ ...row }));
    await runIn(driver, dir, pipeline(false));
    expect(await schemaOf()).toEqual([]);
    await runIn(driver, dir, pipeline(true));
    expect(await schemaOf()).toEqual([
      { name: `graphload_${company}_name_index`, constraint: false, labels: [company], properties: ["name"] },
      { name: `graphload_${person}_id_unique`, constraint: true, labels: [person], properties: ["id"] },
    ]);
  });

  it("shows the schema, where, ordering and every statement in plan", async () => {
    const drug = label("Drug");
    const dir = workDir({
      "drugs.csv": "primaryid,name,role\n1,aspirin,PS\n1,ibuprofen,XX\n",
      "p.yaml": `
version: 1
name: plan
stages:
  - name: suspects
    tasks:
      - name: suspects
        source: { file: drugs.csv }
        where: { column: role, in: [PS, SS] }
        relationship:
          type: { column: role, values: { PS: IS_PRIMARY_SUSPECT, SS: IS_SECONDARY_SUSPECT } }
          from: { label: Case, key: { primaryid: primaryid } }
          to: { label: ${drug}, key: { name: name }, merge: true }
`,
    });
    const result = await graphload(["plan", "p.yaml", "--rows", "2"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`constraint graphload_${drug}_name_unique: uniqueness of (:${drug} {name})`);
    expect(result.stdout).toContain("index graphload_Case_primaryid_index: lookups of (:Case {primaryid})");
    expect(result.stdout).toContain('where role in ["PS", "SS"]; other rows are counted as filtered');
    expect(result.stdout).toContain(`ordered by merged node (:${drug} {name})`);
    expect(result.stdout).toContain("for IS_PRIMARY_SUSPECT:");
    expect(result.stdout).toContain("for IS_SECONDARY_SUSPECT:");
    expect(result.stdout).toContain("MERGE (a)-[r:`IS_SECONDARY_SUSPECT`]->(b)");
    expect(result.stdout).toContain('line 2: {"from.primaryid":"1","to.name":"aspirin"} as IS_PRIMARY_SUSPECT');
    expect(result.stdout).toContain("line 3: filtered out (where)");
  });
});
