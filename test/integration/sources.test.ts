import { gzipSync } from "node:zlib";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { openDriver, uniqueLabel } from "../support/neo4j.js";
import { query, runIn, workDir } from "../support/run-fixture.js";

const driver = openDriver();
afterAll(() => driver.close());

const people = [
  { id: 1, name: "Ada Lovelace", born: 1815 },
  { id: 2, name: "Alan Turing", born: 1912 },
  { id: 3, name: 'Grace "Amazing" Hopper, RADM', born: 1906 },
];
const csv = "id,name,born\n" + people.map((p) => `${p.id},"${p.name.replaceAll('"', '""')}",${p.born}`).join("\n") + "\n";
const tsv = "id\tname\tborn\n" + people.map((p) => `${p.id}\t${p.name}\t${p.born}`).join("\n") + "\n";
const jsonl = people.map((p) => JSON.stringify(p)).join("\n") + "\n";

function nodePipeline(label: string, source: string): string {
  return `
version: 1
name: sources
stages:
  - name: load
    tasks:
      - name: people
        source: ${source}
        node:
          labels: [${label}]
          key: [id]
          properties:
            id: { column: id, type: integer }
            name: name
            born: { column: born, type: integer }
`;
}

async function loaded(label: string): Promise<Array<{ id: number; name: string; born: number; idType: string }>> {
  return query(driver, `MATCH (n:${label}) RETURN toFloat(n.id) AS id, n.name AS name, toFloat(n.born) AS born, valueType(n.id) AS idType ORDER BY id`);
}

describe("sources", () => {
  const files = {
    "people.csv": csv,
    "people.tsv": tsv,
    "people.jsonl": jsonl,
    "people.csv.gz": gzipSync(csv),
    "people.tsv.gz": gzipSync(tsv),
    "people.ndjson.gz": gzipSync(jsonl),
    "headless.csv": csv.split("\n").slice(1).join("\n"),
  };
  const dir = workDir(files);
  const cases: Array<[string, string]> = [
    ["CSV", "{ file: people.csv }"],
    ["TSV", "{ file: people.tsv }"],
    ["JSON Lines", "{ file: people.jsonl }"],
    ["gzip CSV", "{ file: people.csv.gz }"],
    ["gzip TSV", "{ file: people.tsv.gz }"],
    ["gzip NDJSON", "{ file: people.ndjson.gz }"],
    ["CSV with explicit columns and no header", "{ file: headless.csv, header: false, columns: [id, name, born] }"],
  ];

  it.each(cases)("loads %s", async (_name, source) => {
    const label = uniqueLabel("Src");
    const summary = await runIn(driver, dir, nodePipeline(label, source));
    expect(summary.exitCode).toBe(0);
    expect(summary.totals()).toMatchObject({ rowsRead: 3, rowsWritten: 3, rowsRejected: 0 });
    expect(await loaded(label)).toEqual(people.map((p) => ({ ...p, idType: "INTEGER NOT NULL" })));
  });

  it("loads CSV with a custom delimiter and quote", async () => {
    const label = uniqueLabel("Src");
    const text = "id|name|born\n1|'Ada | Countess'|1815\n";
    const summary = await runIn(driver, workDir({ "p.csv": text }), nodePipeline(label, "{ file: p.csv, delimiter: '|', quote: \"'\" }"));
    expect(summary.exitCode).toBe(0);
    expect(await loaded(label)).toEqual([{ id: 1, name: "Ada | Countess", born: 1815, idType: "INTEGER NOT NULL" }]);
  });

  it("loads standard input, plain and gzip", async () => {
    for (const [format, body] of [
      ["csv", Buffer.from(csv)],
      ["jsonl", gzipSync(jsonl)],
    ] as const) {
      const label = uniqueLabel("Stdin");
      const gzip = format === "jsonl";
      const summary = await runIn(driver, dir, nodePipeline(label, `{ stdin: true, format: ${format}, gzip: ${gzip} }`), {
        stdin: Readable.from([body]),
      });
      expect(summary.exitCode).toBe(0);
      expect(await loaded(label)).toHaveLength(3);
    }
  });
});
