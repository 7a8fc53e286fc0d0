// Compiled by test/unit/load/define-pipeline-types.test.ts: each @ts-expect-error marks a
// mistake the types must catch; the test also compiles a copy without the marks and expects
// an error on every marked line.
import { definePipeline } from "../../src/index.js";

interface Person {
  id: number;
  name: string;
  active: boolean;
}
declare function fetchPeople(): AsyncIterable<Person>;

// The library example of the README compiles: the row's type comes from the source.
definePipeline({
  name: "people",
  stages: [{ name: "nodes", tasks: [{
    name: "people", source: { rows: fetchPeople() },
    filter: (row) => row.active, transform: (row) => ({ ...row, name: row.name.trim() }),
    node: { labels: ["Person"], key: ["id"], properties: { id: "id", name: "name" } } }] }],
});

// A file's columns are known only when it is read: any column, any setting of the file format.
definePipeline({
  name: "files",
  stages: [{ name: "nodes", tasks: [{ name: "t", source: { file: "people.csv", delimiter: ";" }, filter: (row) => row.country === "DE", node: { labels: ["Person"], key: ["id"], properties: { id: { column: "id", type: "integer" } } } }] }],
});

definePipeline({
  name: "wrong column",
  stages: [{ name: "nodes", tasks: [{
    name: "people", source: { rows: fetchPeople() },
    node: { labels: ["Person"], key: ["id"], properties: {
      id: "id",
      // @ts-expect-error a column the rows do not have
      name: "nmae",
    } } }] }],
});

definePipeline({
  name: "column of the row, not of the transform's output",
  stages: [{ name: "nodes", tasks: [{
    name: "people", source: { rows: [{ id: 1, first: "Ada", last: "Lovelace" }] },
    transform: (row) => ({ id: row.id, name: `${row.first} ${row.last}` }),
    node: { labels: ["Person"], key: ["id"], properties: {
      id: "id",
      // @ts-expect-error "first" is gone after transform
      first: { column: "first" },
    } } }] }],
});

definePipeline({
  name: "misspelt setting",
  stages: [{ name: "nodes", tasks: [{
    name: "people", source: { rows: fetchPeople() },
    node: { labels: ["Person"], key: ["id"],
      // @ts-expect-error "propertes" is no setting of a node mapping
      propertes: { id: "id" } } }] }],
});

definePipeline({
  name: "filter reads a field the rows lack",
  stages: [{ name: "nodes", tasks: [{
    name: "people", source: { rows: fetchPeople() },
    // @ts-expect-error Person has no "actve"
    filter: (row) => row.actve,
    node: { labels: ["Person"], key: ["id"] } }] }],
});

definePipeline({
  name: "where on a missing column",
  stages: [{ name: "nodes", tasks: [{
    name: "people", source: { rows: fetchPeople() },
    // @ts-expect-error Person has no "country"
    where: { column: "country", equals: "DE" },
    node: { labels: ["Person"], key: ["id"] } }] }],
});
