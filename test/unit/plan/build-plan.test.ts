import { int } from "neo4j-driver";
import { describe, expect, it } from "vitest";
import { identityNote } from "../../../src/plan/merge-identities.js";
import { FILTERED } from "../../../src/plan/row-mapper.js";
import { taskPlanOf } from "../../support/plan-task.js";

const files = {
  "people.csv": "id,name,born,city,lat,lon,extra,notes\n",
  "people.jsonl": "",
};

describe("a task's plan", () => {
  it("maps a record to FILTERED where its where leaves it out", () => {
    const plan = taskPlanOf(
      `
name: people
source: { file: people.csv }
where: { all: [{ column: city, notIn: [Paris] }, { column: born, matches: "\\\\d{4}" }] }
node: { labels: [Person], key: [id], properties: { name: name } }
`,
      files,
    );
    expect(plan.mapRow({ id: "1", name: "Ada", born: "1815", city: "London" })).toEqual(["1", "Ada"]);
    expect(plan.mapRow({ id: "2", name: "Bob", born: "1815", city: "Paris" })).toBe(FILTERED);
    expect(plan.mapRow({ id: "3", name: "Cy", born: "", city: "Rome" })).toBe(FILTERED);
  });

  it("filters cypher tasks too, and by JSON equality for JSON Lines", () => {
    const plan = taskPlanOf(
      `
name: people
source: { file: people.jsonl }
where: { column: active, equals: true }
cypher: "MERGE (:P {id: row.id})"
`,
      files,
    );
    expect(plan.mapRow({ id: 1, active: true })).toEqual({ id: int(1), active: true });
    expect(plan.mapRow({ id: 1, active: "true" })).toBe(FILTERED);
  });

  it("puts every column the task reads nowhere else into one map, nulls left out", () => {
    const plan = taskPlanOf(
      `
name: people
source: { file: people.csv }
where: { column: notes, isNull: false }
node:
  labels: [Person, { column: city }]
  key: [id]
  properties:
    name: born
    location: { type: point, columns: { latitude: lat, longitude: lon } }
  allColumns: true
  exclude: [extra]
`,
      files,
    );
    const row = plan.mapRow({ id: "1", name: "Ada", born: "1815", city: "London", lat: "51.5", lon: "0", extra: "x", notes: "n", more: "", other: "o" });
    expect(row).not.toBe(FILTERED);
    // "name" is mapped (from "born"): the column of that name does not overwrite it.
    expect((row as unknown[])[3]).toEqual({ other: "o" });
  });

  it("keeps JSON values as they are in the map of other columns, and rejects what is no property value", () => {
    const plan = taskPlanOf(
      `
name: people
source: { file: people.jsonl }
node: { labels: [Person], key: [id], allColumns: true }
`,
      files,
    );
    expect(plan.mapRow({ id: 1, age: 36, tags: ["a"], score: 1.5, gone: null })).toEqual([int(1), { age: int(36), tags: ["a"], score: 1.5 }]);
    expect(() => plan.mapRow({ id: 1, address: { city: "x" } })).toThrow(expect.objectContaining({ code: "GL_BAD_VALUE", message: expect.stringContaining('column "address"') }));
  });

  it("rejects a relationship row whose key has no value", () => {
    const plan = taskPlanOf(
      `
name: lived
source: { file: people.csv }
relationship:
  type: LIVED_IN
  from: { label: Person, key: { id: id } }
  to: { label: City, key: { name: city }, merge: true }
  key: [since]
  properties: { since: { column: born, type: integer } }
`,
      files,
    );
    expect(plan.mapRow({ id: "1", city: "London", born: "1815" })).toEqual(["1", "London", "1815"]);
    expect(() => plan.mapRow({ id: "1", city: "London", born: "" })).toThrow(
      expect.objectContaining({ code: "GL_NULL_KEY", message: 'relationship key "since" has no value (column "born")' }),
    );
    expect(plan.endpoints!(["1", "London", 1815])).toEqual({ from: ["1"], to: ["London"] });
  });
});

describe("merge identities", () => {
  const relationship = (ends: string, mode = "merge") => `
name: lived
source: { file: people.csv }
mode: ${mode}
relationship:
  type: LIVED_IN
  from: { label: Person, key: { id: id }${ends.includes("from") ? ", merge: true" : ""} }
  to: { label: City, key: { name: city, country: notes }${ends.includes("to") ? ", merge: true" : ""} }
`;

  it("are a node task's key in merge mode, and nothing in create mode", () => {
    const node = (mode: string) => `
name: people
source: { file: people.csv }
mode: ${mode}
node: { labels: [Person, Human], key: [id, name] }
`;
    expect(taskPlanOf(node("merge"), files).identities!(["1", "Ada"], "")).toEqual([["Person:Human|id,name", "1", "Ada"]]);
    expect(taskPlanOf(node("create"), files).identities).toBeUndefined();
  });

  it("are a relationship's start node with its type when no endpoint is merged", () => {
    const plan = taskPlanOf(relationship(""), files);
    expect(plan.identities!(["1", "London", "UK"], "")).toEqual([["Person|id-[LIVED_IN]->City|name,country", "1"]]);
    expect(taskPlanOf(relationship("", "create"), files).identities).toBeUndefined();
  });

  it("are each merged endpoint's key, named as a node task merging it names it", () => {
    expect(taskPlanOf(relationship("to"), files).identities!(["1", "London", "UK"], "")).toEqual([["City|name,country", "London", "UK"]]);
    expect(taskPlanOf(relationship("from to"), files).identities!(["1", "London", "UK"], "")).toEqual([
      ["Person|id", "1"],
      ["City|name,country", "London", "UK"],
    ]);
    // Merged endpoints keep their nodes unique in create mode too.
    expect(taskPlanOf(relationship("from", "create"), files).identities!(["1", "London", "UK"], "")).toEqual([["Person|id", "1"]]);
  });

  it("name the type of the variant for a type taken from a column", () => {
    const plan = taskPlanOf(relationship("").replace("type: LIVED_IN", "type: { column: notes }"), files);
    expect(plan.identities!(["1", "London", "UK"], "VISITED")).toEqual([["Person|id-[VISITED]->City|name,country", "1"]]);
  });

  it("are described for plan", () => {
    expect(identityNote(taskPlanOf(relationship("to"), files).task.target, "merge")).toBe(
      "ordered by merged node (:City {name, country}): rows with the same node apply in source order, never two at once",
    );
    expect(identityNote(taskPlanOf(relationship(""), files).task.target, "merge")).toMatch(/^ordered by start node \(:Person \{id\}\) in merge mode/);
  });
});
