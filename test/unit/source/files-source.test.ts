import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { openSource } from "../../../src/source/open-source.js";
import type { SourceItem } from "../../../src/source/source-record.js";
import { buildPipeline, stage } from "../../support/pipeline-builder.js";
import { workDir } from "../../support/run-fixture.js";

/** A folder of files at relative paths, folders made as needed. */
function tree(files: Record<string, string | Buffer>): string {
  const dir = workDir();
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

function filesSource(dir: string, source: Record<string, unknown>) {
  const pipeline = buildPipeline(dir, "globs", [stage("nodes", { name: "rows", source, node: { labels: ["Row"], key: ["id"], properties: { id: "id" } } })]);
  if (pipeline.stages[0].kind !== "tasks") throw new Error("a task stage");
  return pipeline.stages[0].tasks[0].source;
}

async function readAll(dir: string, source: Record<string, unknown>): Promise<SourceItem[]> {
  const items: SourceItem[] = [];
  for await (const item of openSource(filesSource(dir, source)).records()) items.push(item);
  return items;
}

const ids = (items: readonly SourceItem[]): unknown[] => items.map((item) => (item.kind === "record" ? item.values.id : item.raw));

describe("a files source", () => {
  it("reads every match of a glob in name order as one source, each file with its own header, gzip by each name", async () => {
    const dir = tree({ "drops/b.csv": "id\nb1\nb2\n", "drops/a.csv.gz": gzipSync("id\na1\n"), "drops/c.csv": "id,x\nc1,1\n", "drops/sub/d.csv": "id\nd1\n", "drops/e.tsv": "id\ne1\n" });
    expect(ids(await readAll(dir, { files: "drops/*.csv*", format: "csv" }))).toEqual(["a1", "b1", "b2", "c1"]);
  });

  it("`*` stays within one folder level, `**` crosses levels", async () => {
    const dir = tree({ "x/1.jsonl": '{"id":"top"}\n', "x/y/2.jsonl": '{"id":"one down"}\n', "x/y/z/3.jsonl": '{"id":"two down"}\n' });
    expect(ids(await readAll(dir, { files: "x/*.jsonl" }))).toEqual(["top"]);
    expect(ids(await readAll(dir, { files: "x/*/*.jsonl" }))).toEqual(["one down"]);
    expect(ids(await readAll(dir, { files: "x/**/*.jsonl" }))).toEqual(["top", "one down", "two down"]);
  });

  it("counts lines within each file, and each record names its file", async () => {
    const dir = tree({ "in/1.csv": "id,n\nr1,1\nr2,2\n", "in/2.csv": "id,n\nr3,3\nbroken\nr4,4\n" });
    const items = await readAll(dir, { files: "in/*.csv" });
    const [first, second] = ["in/1.csv", "in/2.csv"].map((name) => relative(process.cwd(), join(dir, name)));
    expect(items.map((item) => [item.kind, item.file, item.line])).toEqual([
      ["record", first, 2],
      ["record", first, 3],
      ["record", second, 2],
      ["malformed", second, 3],
      ["record", second, 4],
    ]);
  });

  it("a glob that matches nothing is an error naming it, unless incremental", async () => {
    const dir = tree({ "in/1.csv": "id\n1\n" });
    await expect(readAll(dir, { files: "in/*.jsonl" })).rejects.toMatchObject({ code: "GL_NO_MATCH", message: expect.stringContaining("in/*.jsonl") });
    expect(await readAll(dir, { files: "in/*.jsonl", incremental: true })).toEqual([]);
  });

  it("knows its size up front when listed, and counts the bytes it reads", async () => {
    const dir = tree({ "in/1.csv": "id\n1\n", "in/2.csv": "id\n22\n" });
    const spec = filesSource(dir, { files: "in/*.csv" });
    const { listSourceInputs } = await import("../../../src/source/file-source.js");
    const inputs = await listSourceInputs(spec as Parameters<typeof listSourceInputs>[0]);
    const source = openSource(spec, { inputs });
    expect(source.totalBytes).toBe(11);
    for await (const _ of source.records());
    expect(source.bytesRead()).toBe(11);
  });
});
