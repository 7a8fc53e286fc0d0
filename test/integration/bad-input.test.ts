import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { graphload } from "../support/cli.js";
import { openDriver, uniqueLabel } from "../support/neo4j.js";
import { query, workDir } from "../support/run-fixture.js";

const driver = openDriver();
afterAll(() => driver.close());

const CORPUS = fileURLToPath(new URL("../../fixtures/bad-input/", import.meta.url));

/** The 100 KB field of people.csv line 11, as fixtures/bad-input/generate.mjs writes it. */
const LONG_BIO = 'long "start", ' + "abcdefghijklmnopqrstuvwxyz0123456789".repeat(2778).slice(0, 100_000 - 27) + ', "end" here.';

const MALFORMED = "GL_MALFORMED_RECORD";
const BAD_VALUE = "GL_BAD_VALUE";
const INVALID_UTF8 = "GL_INVALID_UTF8";
const MALFORMED_JSON = "GL_MALFORMED_JSON";
const NULL_KEY = "GL_NULL_KEY";
const UNMATCHED = "GL_ENDPOINT_NOT_FOUND";
const DUPLICATE = "Neo.ClientError.Schema.ConstraintValidationFailed";

/** Every bad row of the corpus (fixtures/bad-input/README.md): task, source, start line, code. */
const EXPECTED_REJECTS: Array<[string, string, number, string]> = [
  ["cities", "cities.jsonl", 2, BAD_VALUE],
  ["cities", "cities.jsonl", 3, MALFORMED_JSON],
  ["cities", "cities.jsonl", 4, MALFORMED_JSON],
  ["cities", "cities.jsonl", 6, NULL_KEY],
  ["cities", "cities.jsonl", 8, INVALID_UTF8],
  ["cities", "cities.jsonl", 9, MALFORMED_JSON],
  ["knows", "knows.csv", 3, UNMATCHED],
  ["knows", "knows.csv", 4, BAD_VALUE],
  ["knows", "knows.csv", 6, UNMATCHED],
  ["knows", "knows.csv", 8, MALFORMED],
  ["people", "people.csv", 3, BAD_VALUE],
  ["people", "people.csv", 7, BAD_VALUE],
  ["people", "people.csv", 8, BAD_VALUE],
  ["people", "people.csv", 9, MALFORMED],
  ["people", "people.csv", 10, MALFORMED],
  ["people", "people.csv", 12, INVALID_UTF8],
  ["people", "people.csv", 13, DUPLICATE],
  ["people", "people.csv", 17, BAD_VALUE],
  ["people", "people.csv", 18, NULL_KEY],
];

interface Letter {
  task: string;
  source: string;
  line: number;
  row: unknown;
  code: string;
  message: string;
}

describe("the bad-input corpus", () => {
  it("rejects exactly the bad rows, at their start lines, and writes every good row intact", async () => {
    const person = uniqueLabel("BadPerson");
    const city = uniqueLabel("BadCity");
    const knows = uniqueLabel("BAD_KNOWS");
    await driver.executeQuery(`CREATE CONSTRAINT ${person}_id FOR (n:${person}) REQUIRE n.id IS UNIQUE`);
    const dir = workDir({
      "p.yaml": `
version: 1
name: bad-input
defaults: { batchSize: 4, concurrency: 2 }
stages:
  - name: nodes
    tasks:
      - name: people
        source: { file: people.csv }
        mode: create
        concurrency: 1
        node:
          labels: [${person}]
          key: [id]
          properties:
            id: { column: id, type: integer }
            name: name
            age: { column: age, type: integer }
            born: { column: born, type: date }
            active: { column: active, type: boolean }
            bio: bio
      - name: cities
        source: { file: cities.jsonl }
        node:
          labels: [${city}]
          key: [code]
          properties: { code: code, name: name, population: { column: population, type: integer } }
  - name: relationships
    tasks:
      - name: knows
        source: { file: knows.csv }
        relationship:
          type: ${knows}
          from: { label: ${person}, key: { id: from } }
          to: { label: ${person}, key: { id: to } }
          properties: { since: { column: since, type: integer } }
`,
    });
    for (const file of ["people.csv", "knows.csv", "cities.jsonl"]) copyFileSync(join(CORPUS, file), join(dir, file));

    const result = await graphload(["run", "p.yaml", "--no-progress", "--dead-letter", "dead.jsonl", "--summary-json", "summary.json"], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(3);

    const letters: Letter[] = readFileSync(join(dir, "dead.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const found = letters
      .map((letter) => [letter.task, letter.source, letter.line, letter.code] as [string, string, number, string])
      .sort((a, b) => a[1].localeCompare(b[1]) || a[2] - b[2]);
    expect(found).toEqual(EXPECTED_REJECTS);
    const letterAt = (source: string, line: number): Letter => letters.find((letter) => letter.source === source && letter.line === line)!;
    expect(letterAt("people.csv", 13).row).toMatchObject({ id: "1", name: "Alice Again" });
    expect(letterAt("people.csv", 9).row).toBe("6,Frank,44");
    expect(letterAt("people.csv", 10).row).toBe("7,Grace,55,1969-07-07,true,x,extra");
    expect(letterAt("people.csv", 17).row).toMatchObject({ id: "11", name: "Ken", age: "xyz" });
    expect(letterAt("cities.jsonl", 3).row).toBe('{"code":"CPH","name":"Copenhagen"');
    expect(letterAt("cities.jsonl", 4).row).toBe("[1,2,3]");
    expect(letterAt("cities.jsonl", 9).row).toBe('"just a string"');
    expect(letterAt("knows.csv", 3).row).toEqual({ from: "1", to: "999", since: "2021" });
    for (const letter of letters) expect(letter.message).not.toBe("");

    const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
    const tasks = Object.fromEntries(summary.stages.flatMap((stage: { tasks: Array<{ task: string }> }) => stage.tasks.map((task) => [task.task, task])));
    expect(tasks.people).toMatchObject({ rowsRead: 14, rowsWritten: 5, rowsRejected: 9, rowsUnmatched: 0 });
    expect(tasks.cities).toMatchObject({ rowsRead: 9, rowsWritten: 3, rowsRejected: 6, rowsUnmatched: 0 });
    expect(tasks.knows).toMatchObject({ rowsRead: 8, rowsWritten: 4, rowsRejected: 4, rowsUnmatched: 2 });
    expect(summary.totals).toMatchObject({ rowsRead: 31, rowsWritten: 12, rowsRejected: 19, rowsUnmatched: 2 });

    const people = await query(
      driver,
      `MATCH (n:${person}) RETURN toFloat(n.id) AS id, n.name AS name, toFloat(n.age) AS age, toString(n.born) AS born, n.active AS active, n.bio AS bio ORDER BY id`,
    );
    expect(people).toEqual([
      { id: 1, name: "Alice", age: 30, born: "1994-01-15", active: true, bio: "plain" },
      { id: 3, name: 'Carol "CJ" Jones', age: 41, born: "1983-02-28", active: true, bio: "line one\r\nline two\r\nline three" },
      { id: 8, name: "Heidi", age: 28, born: "1996-12-31", active: false, bio: LONG_BIO },
      { id: 10, name: "Judy\nMulti, Line", age: 27, born: "2000-02-29", active: false, bio: "a\nb" },
      { id: 12, name: "Liam", age: 60, born: "1964-04-04", active: false, bio: null },
    ]);
    expect(LONG_BIO).toHaveLength(100_000);

    const cities = await query(driver, `MATCH (c:${city}) RETURN c.code AS code, c.name AS name, toFloat(c.population) AS population ORDER BY code`);
    expect(cities).toEqual([
      { code: "AMS", name: "Amsterdam", population: 905234 },
      { code: "EDI", name: "Edinburgh'}) DETACH DELETE n //", population: 530000 },
      { code: "FLR", name: "Firenze\nFlorence", population: 382258 },
    ]);

    const relationships = await query(
      driver,
      `MATCH (a)-[r:${knows}]->(b) RETURN toFloat(a.id) AS from, toFloat(b.id) AS to, toFloat(r.since) AS since ORDER BY from, to`,
    );
    expect(relationships).toEqual([
      { from: 1, to: 3, since: 2020 },
      { from: 8, to: 10, since: 2022 },
      { from: 10, to: 12, since: 2018 },
      { from: 12, to: 1, since: 2019 },
    ]);

    // Nothing but the rows above: a checksum over every node and relationship under the test's names.
    const [checksum] = await query(
      driver,
      `CALL { MATCH (n:${person}) RETURN toFloat(count(n)) AS people, toFloat(sum(n.id)) AS idSum, toFloat(sum(size(n.bio))) AS bioChars }
       CALL { MATCH (c:${city}) RETURN toFloat(count(c)) AS cities }
       CALL { MATCH ()-[r:${knows}]->() RETURN toFloat(count(r)) AS knows }
       RETURN people, idSum, bioChars, cities, knows`,
    );
    expect(checksum).toEqual({ people: 5, idSum: 34, bioChars: 5 + 30 + 100_000 + 3, cities: 3, knows: 4 });
  });

  it("keeps the corpus byte for byte as its generator writes it", async () => {
    const dir = workDir();
    const generator = join(dir, "generate.mjs");
    writeFileSync(generator, readFileSync(join(CORPUS, "generate.mjs")));
    const { execFileSync } = await import("node:child_process");
    execFileSync(process.execPath, [generator], { cwd: dir });
    for (const file of ["people.csv", "knows.csv", "cities.jsonl"]) {
      expect(readFileSync(join(dir, file)).equals(readFileSync(join(CORPUS, file))), file).toBe(true);
    }
    const people = readFileSync(join(CORPUS, "people.csv"));
    expect([...people.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(people.includes(Buffer.from([0xff, 0xfe, 0xc3]))).toBe(true);
    expect(people.subarray(0, 40).includes(Buffer.from("\r\n"))).toBe(true);
  });
});
