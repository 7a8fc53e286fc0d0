import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { definePipeline } from "../../../src/load/define-pipeline.js";
import { PipelineValidationError } from "../../../src/model/validation-issue.js";
import { runPipeline } from "../../../src/run/run-pipeline.js";
import { MemoryCheckpointStore } from "../../support/memory-checkpoint-store.js";
import { MemorySink } from "../../support/memory-sink.js";
import { workDir } from "../../support/run-fixture.js";

interface Person {
  id: number;
  name: string;
  active: boolean;
}

const people = (count: number): Person[] => Array.from({ length: count }, (_, index) => ({ id: index + 1, name: ` person ${index + 1} `, active: index % 3 !== 0 }));

function issuesOf(action: () => unknown): Array<{ path: string; code: string }> {
  try {
    action();
  } catch (error) {
    if (error instanceof PipelineValidationError) return error.issues.map(({ path, code }) => ({ path, code }));
    throw error;
  }
  throw new Error("no validation error");
}

describe("definePipeline", () => {
  it("takes the file's format as an object, version left out, with a rows source, filter and transform", () => {
    const rows = people(3);
    const filter = (row: Person) => row.active;
    const pipeline = definePipeline({
      name: "people",
      stages: [{ name: "nodes", tasks: [{ name: "people", source: { rows }, filter, transform: (row) => ({ ...row, name: row.name.trim() }), node: { labels: ["Person"], key: ["id"], properties: { id: "id", name: "name" } } }] }],
    });
    const [stage] = pipeline.stages;
    expect(stage.kind).toBe("tasks");
    const task = stage.kind === "tasks" ? stage.tasks[0] : undefined;
    expect(task?.source).toEqual({ kind: "rows", rows });
    expect(task?.filter).toBe(filter);
    expect(task?.transform?.({ id: 1, name: " a ", active: true })).toEqual({ id: 1, name: "a", active: true });
    expect(task?.target).toMatchObject({ kind: "node", labels: ["Person"] });
  });

  it("reports every problem at once with its path: the file's rules, and what only code has", () => {
    const definition = {
      name: "broken",
      stages: [
        {
          name: "nodes",
          tasks: [
            { name: "a", source: { rows: 42 }, filter: "active", node: { labels: ["A"], key: ["id"], colour: "red" } },
            { name: "b", source: { rows: [], file: "b.csv" }, transform: {}, node: { labels: ["B"], key: ["id"] } },
          ],
        },
      ],
    };
    expect(issuesOf(() => definePipeline(definition as never))).toEqual(
      expect.arrayContaining([
        { path: "$.stages[0].tasks[0].source.rows", code: "GL_WRONG_TYPE" },
        { path: "$.stages[0].tasks[0].filter", code: "GL_WRONG_TYPE" },
        { path: "$.stages[0].tasks[0].node.colour", code: "GL_UNKNOWN_KEY" },
        { path: "$.stages[0].tasks[1].source", code: "GL_SOURCE_KIND" },
        { path: "$.stages[0].tasks[1].transform", code: "GL_WRONG_TYPE" },
      ]),
    );
  });

  it("a text is no rows source, though strings are iterable", () => {
    const definition = { name: "p", stages: [{ name: "s", tasks: [{ name: "t", source: { rows: "id\n1" }, node: { labels: ["A"], key: ["id"] } }] }] };
    expect(issuesOf(() => definePipeline(definition as never))).toEqual([{ path: "$.stages[0].tasks[0].source.rows", code: "GL_WRONG_TYPE" }]);
  });
});

describe("a rows source in the engine", () => {
  it("applies filter then transform before mapping: filtered rows counted, a throw and a non-object set aside with their errors", async () => {
    const dir = workDir();
    const store = new MemoryCheckpointStore("rows");
    const sink = new MemorySink(store);
    const rows: unknown[] = [...people(6), "not an object", { id: 99, name: "throws", active: true }];
    const pipeline = definePipeline({
      name: "rows",
      stages: [{ name: "nodes", tasks: [{
        name: "people",
        source: { rows: rows as Person[] },
        filter: (row) => row.active,
        transform: (row) => {
          if (row.id === 99) throw new Error("no person 99");
          return { ...row, name: row.name.trim() };
        },
        node: { labels: ["Person"], key: ["id"], properties: { id: "id", name: "name" } },
      }] }],
    });
    const summary = await runPipeline(pipeline, { sink, checkpoints: store, deadLetterFile: join(dir, "rejected.jsonl") });
    expect(summary.totals()).toMatchObject({ rowsRead: 8, rowsFiltered: 2, rowsRejected: 2, rowsWritten: 4 });
    expect(sink.rows.map((row) => (row as unknown[])[1])).toEqual(["person 2", "person 3", "person 5", "person 6"]);
    const letters = readFileSync(join(dir, "rejected.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(letters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 7, code: "GL_MALFORMED_ROW", row: '"not an object"' }),
        expect.objectContaining({ line: 8, code: "GL_ROW_FUNCTION", message: "transform: no person 99", row: { id: 99, name: "throws", active: true } }),
      ]),
    );
  });
});
