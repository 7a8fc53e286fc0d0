import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { graphload } from "../support/cli.js";
import { openDriver, uniqueLabel } from "../support/neo4j.js";
import { query, runIn, workDir } from "../support/run-fixture.js";

const driver = openDriver();
afterAll(() => driver.close());

const letters = (dir: string, file = "rejected.jsonl") =>
  readFileSync(join(dir, file), "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));

describe("rows the server refuses", () => {
  it("isolates duplicate keys in create mode under a constraint and writes every other row", async () => {
    const label = uniqueLabel("Dup");
    await driver.executeQuery(`CREATE CONSTRAINT ${label}_id FOR (n:${label}) REQUIRE n.id IS UNIQUE`);
    const ids = [1, 2, 3, 2, 4, 5, 6, 1, 7, 8];
    const dir = workDir({ "rows.csv": "id\n" + ids.join("\n") + "\n" });
    const summary = await runIn(
      driver,
      dir,
      `
version: 1
name: dup
defaults: { batchSize: 10, mode: create }
stages:
  - name: nodes
    tasks:
      - name: rows
        source: { file: rows.csv }
        node: { labels: [${label}], key: [id], properties: { id: { column: id, type: integer } } }
`,
    );
    expect(summary.exitCode).toBe(3);
    expect(summary.stages[0].tasks[0]).toMatchObject({ rowsRead: 10, rowsWritten: 8, rowsRejected: 2 });
    const [stored] = await query(driver, `MATCH (n:${label}) RETURN toFloat(count(n)) AS n, toFloat(count(DISTINCT n.id)) AS ids`);
    expect(stored).toEqual({ n: 8, ids: 8 });
    expect(letters(dir).map((letter) => [letter.line, letter.code, letter.row])).toEqual([
      [5, "Neo.ClientError.Schema.ConstraintValidationFailed", { id: "2" }],
      [9, "Neo.ClientError.Schema.ConstraintValidationFailed", { id: "1" }],
    ]);
  });

  it("isolates the rows of a cypher task that fail on the server", async () => {
    const label = uniqueLabel("Div");
    const dir = workDir({ "rows.jsonl": [4, 2, 0, 1, 0, 8].map((d, i) => JSON.stringify({ i, d })).join("\n") });
    const summary = await runIn(
      driver,
      dir,
      `
version: 1
name: div
stages:
  - name: s
    tasks:
      - name: divide
        source: { file: rows.jsonl }
        cypher: |
          CREATE (:${label} {i: row.i, q: 8 / row.d})
`,
    );
    expect(summary.exitCode).toBe(3);
    expect(letters(dir).map((letter) => [letter.line, letter.code])).toEqual([
      [3, "Neo.ClientError.Statement.ArithmeticError"],
      [5, "Neo.ClientError.Statement.ArithmeticError"],
    ]);
    const [stored] = await query(driver, `MATCH (n:${label}) RETURN toFloat(count(n)) AS n`);
    expect(stored.n).toBe(4);
  });

  it("stops with exit 1 once more than --max-errors rows are rejected", async () => {
    const label = uniqueLabel("Max");
    const dir = workDir({
      "p.yaml": `
version: 1
name: max
defaults: { batchSize: 2, concurrency: 1 }
stages:
  - name: s
    tasks:
      - name: t
        source: { file: rows.csv }
        node: { labels: [${label}], key: [id], properties: { id: { column: id, type: integer } } }
`,
      "rows.csv": "id\n1\nx\n2\ny\n3\nz\n4\n",
    });
    const result = await graphload(["run", "p.yaml", "--max-errors", "1", "--no-progress"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("GL_TOO_MANY_ERRORS");
    // The stopped run is resumable; starting it again needs --resume or --fresh.
    const again = await graphload(["run", "p.yaml", "--max-errors", "3", "--no-progress"], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("GL_INTERRUPTED_RUN");
    const within = await graphload(["run", "p.yaml", "--max-errors", "3", "--no-progress", "--fresh"], { cwd: dir });
    expect(within.code).toBe(3);
  });
});
