import { describe, expect, it } from "vitest";
import { issuesOf, pipelineOf } from "../../support/plan-task.js";

const files = { "rows.csv": "id,name,kind,lat,lon,seq,route\n" };
const at = "$.stages[0].tasks[0]";
const codes = (tasks: string[], head = "") => issuesOf(tasks, files, head).map(({ path, code }) => `${path} ${code}`);

describe("validation of mapping keys", () => {
  it("accepts the whole of the design's example", () => {
    expect(() =>
      pipelineOf(
        [
          `
name: suspects
source: { file: rows.csv }
where: { any: [{ column: kind, in: [PS, SS] }, { not: { column: route, isNull: true } }] }
relationship:
  type: { column: kind, values: { PS: IS_PRIMARY_SUSPECT, SS: IS_SECONDARY_SUSPECT } }
  from: { label: Case, key: { primaryid: { column: id, type: integer, default: 0 } } }
  to: { label: Drug, key: { name: name }, merge: true, onCreate: { substance: route } }
  key: [drugSequence]
  properties:
    drugSequence: { column: seq, type: integer }
    route: { column: route, default: UNKNOWN }
  allColumns: true
  exclude: [lat]
`,
          `
name: airports
source: { file: rows.csv }
node:
  labels: [Airport, { column: kind }]
  key: [id]
  properties:
    location: { type: point, columns: { latitude: lat, longitude: lon }, default: { latitude: 0, longitude: 0 } }
  onCreate: { firstSeen: { column: seq, type: date, format: "yyyyMMdd", default: "19700101" } }
  allColumns: true
`,
        ],
        files,
        "schema: { create: false }\n",
      ),
    ).not.toThrow();
  });

  it("reports where conditions with no operator or two, a missing column and a bad pattern, all at once", () => {
    const issues = issuesOf(
      [
        `
name: t
source: { file: rows.csv }
where:
  all:
    - { column: kind, equals: a, in: [b] }
    - { equals: a }
    - { column: kind }
    - { column: kind, any: [{ column: kind, matches: "(" }] }
    - { not: { column: kind, isNull: maybe } }
node: { labels: [A], key: [id] }
`,
      ],
      files,
    );
    expect(issues.map(({ path, code }) => `${path} ${code}`)).toEqual([
      `${at}.where.all[4].not.isNull GL_WRONG_TYPE`,
      `${at}.where.all[0] GL_WHERE_OPERATOR`,
      `${at}.where.all[1].column GL_MISSING_SETTING`,
      `${at}.where.all[2] GL_WHERE_OPERATOR`,
      `${at}.where.all[3].column GL_NOT_APPLICABLE`,
      `${at}.where.all[3].any[0].matches GL_INVALID_REGEX`,
    ]);
    expect(issues[1].message).toBe('a condition has exactly one of equals, in, notIn, isNull, matches (each with "column"), all, any or not; this one has equals and in');
    expect(issues.some((issue) => issue.code === "GL_UNKNOWN_KEY")).toBe(false);
  });

  it("keeps unknown keys errors, with a suggestion", () => {
    const issues = issuesOf([`\nname: t\nsource: { file: rows.csv }\nwhere: { column: kind, equal: a }\nnode: { labels: [A], key: [id], onCreated: {} }\n`], files);
    expect(issues.map(({ path, code }) => `${path} ${code}`)).toContain(`${at}.where.equal GL_UNKNOWN_KEY`);
    expect(issues.find((issue) => issue.path === `${at}.node.onCreated`)?.message).toMatch(/did you mean "onCreate"/);
  });

  it("reports points whose columns do not fit, and fields with both or neither of column and columns", () => {
    expect(
      codes([
        `
name: t
source: { file: rows.csv }
node:
  labels: [A]
  key: [id]
  properties:
    a: { type: point, columns: { latitude: lat, x: lon } }
    b: { type: point, columns: { latitude: lat, longitude: lon }, crs: cartesian }
    c: { columns: { x: lat, y: lon } }
    d: { column: lat, columns: { x: lat, y: lon }, type: point }
    e: { type: integer }
    f: { column: lat, type: point, crs: wgs-84 }
    g: { type: point, columns: { x: lat, y: lon }, crs: cartesian-3d }
`,
      ]),
    ).toEqual([
      `${at}.node.properties.a.columns GL_POINT_COLUMNS`,
      `${at}.node.properties.b.columns GL_POINT_COLUMNS`,
      `${at}.node.properties.c.columns GL_NOT_APPLICABLE`,
      `${at}.node.properties.d GL_FIELD_SOURCE`,
      `${at}.node.properties.e.column GL_MISSING_SETTING`,
      `${at}.node.properties.f.crs GL_NOT_APPLICABLE`,
      `${at}.node.properties.g.columns GL_POINT_COLUMNS`,
    ]);
  });

  it("reports defaults that do not convert as the property's cells would", () => {
    const issues = issuesOf(
      [
        `
name: t
source: { file: rows.csv }
relationship:
  type: T
  from: { label: A, key: { id: { column: id, type: integer, default: soon } } }
  to: { label: B, key: { id: id } }
  properties:
    when: { column: seq, type: date, default: "31.12.1999" }
    tags: { column: kind, default: { a: 1 } }
    none: { column: kind, default: null }
`,
      ],
      files,
    );
    expect(issues.map(({ path, code }) => `${path} ${code}`)).toEqual([
      `${at}.relationship.properties.none.default GL_WRONG_TYPE`,
      `${at}.relationship.properties.when.default GL_INVALID_DEFAULT`,
      `${at}.relationship.properties.tags.default GL_INVALID_DEFAULT`,
      `${at}.relationship.from.key.id.default GL_INVALID_DEFAULT`,
    ]);
    expect(issues[1].message).toBe('the default of "when" does not convert: "31.12.1999" is not a date (expected e.g. 1996-07-04)');
  });

  it("reports onCreate names that are keys or properties already, and endpoint onCreate without merge", () => {
    expect(
      codes([
        `
name: t
source: { file: rows.csv }
node: { labels: [A], key: [id], properties: { name: name }, onCreate: { id: id, name: name, kind: kind } }
`,
        `
name: r
source: { file: rows.csv }
relationship:
  type: T
  from: { label: A, key: { id: id }, onCreate: { name: name } }
  to: { label: B, key: { id: id }, merge: true, onCreate: { id: name } }
  properties: { seq: seq }
  onCreate: { seq: seq }
`,
      ]),
    ).toEqual([
      `${at}.node.onCreate.id GL_NOT_APPLICABLE`,
      `${at}.node.onCreate.name GL_DUPLICATE_NAME`,
      "$.stages[1].tasks[0].relationship.onCreate.seq GL_DUPLICATE_NAME",
      "$.stages[1].tasks[0].relationship.from.onCreate GL_NOT_APPLICABLE",
      "$.stages[1].tasks[0].relationship.to.onCreate.id GL_NOT_APPLICABLE",
    ]);
  });

  it("reports relationship keys that name no property, twice, and exclude without allColumns", () => {
    const issues = issuesOf(
      [
        `
name: r
source: { file: rows.csv }
relationship:
  type: T
  from: { label: A, key: { id: id } }
  to: { label: B, key: { id: id } }
  key: [seq, seq, first, sequence]
  properties: { seq: seq }
  onCreate: { first: route }
  exclude: [lat]
`,
      ],
      files,
    );
    expect(issues.map(({ path, code }) => `${path} ${code}`)).toEqual([
      `${at}.relationship.key[1] GL_DUPLICATE_NAME`,
      `${at}.relationship.key[3] GL_UNKNOWN_PROPERTY`,
      `${at}.relationship.exclude GL_NOT_APPLICABLE`,
    ]);
    expect(issues[1].message).toBe('relationship key "sequence" is none of the relationship\'s properties; map it under "properties" (or "onCreate")');
  });

  it("reports names from columns: an empty values map, invalid names, and labels or types of the wrong shape", () => {
    expect(
      codes([
        `
name: t
source: { file: rows.csv }
node: { labels: [{ column: kind, values: {} }, { column: kind, values: { a: "" } }, { values: { a: B } }, 3], key: [id] }
`,
      ]),
    ).toEqual([
      `${at}.node.labels[0].values GL_EMPTY`,
      `${at}.node.labels[2].column GL_MISSING_SETTING`,
      `${at}.node.labels[3] GL_WRONG_TYPE`,
      `${at}.node.labels[1].values.a GL_INVALID_IDENTIFIER`,
    ]);
  });

  it("reports columns that a CSV header lacks, wherever the task reads them", async () => {
    const { loadPipeline } = await import("../../../src/load/load-pipeline.js");
    const { writeFileSync, mkdtempSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "graphload-columns-"));
    writeFileSync(join(dir, "rows.csv"), "id,name\n1,a\n");
    writeFileSync(
      join(dir, "p.yaml"),
      `version: 1
name: t
stages:
  - name: s
    tasks:
      - name: t
        source: { file: rows.csv }
        where: { not: { column: role, isNull: true } }
        node:
          labels: [A, { column: kind }]
          key: [id]
          properties: { at: { type: point, columns: { x: px, y: name } } }
          onCreate: { first: seen }
          allColumns: true
          exclude: [nmae]
`,
    );
    const error = await loadPipeline(join(dir, "p.yaml")).catch((caught: unknown) => caught);
    expect((error as { issues: { path: string; code: string }[] }).issues.map(({ path, code }) => `${path} ${code}`)).toEqual([
      `${at}.where.not.column GL_UNKNOWN_COLUMN`,
      `${at}.node.labels GL_UNKNOWN_COLUMN`,
      `${at}.node.properties.at.columns.x GL_UNKNOWN_COLUMN`,
      `${at}.node.onCreate.first GL_UNKNOWN_COLUMN`,
      `${at}.node.exclude[0] GL_UNKNOWN_COLUMN`,
    ]);
  });
});
