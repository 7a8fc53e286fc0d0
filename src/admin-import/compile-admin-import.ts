import { resolve } from "node:path";
import { GraphloadError } from "../errors.js";
import { escapeIdentifier } from "../model/escape-identifier.js";
import type { RawFieldMapping, RawName, RawPipeline, RawSource, RawStage, RawTask } from "../pipeline/raw-pipeline.js";
import { parseAdminHeader, type AdminColumn, type AdminFileKind, type IdValueType } from "./admin-header.js";
import type { AdminImportArguments, AdminInputGroup } from "./admin-arguments.js";

/**
 * The property that holds a node's import ID while relationships are matched to it, under
 * the label of its ID group: neo4j-admin matches IDs in memory, graphload through this
 * label and property, made unique by a constraint, both removed once the load is done.
 */
export const IMPORT_ID_PROPERTY = "__importId";

/** The label of an ID group's nodes during the load: `__ImportId` for the global group, `__ImportId_Person` for `:ID(Person)`. */
export function importIdLabel(group: string): string {
  return group === "" ? "__ImportId" : `__ImportId_${group}`;
}

function constraintName(group: string): string {
  return `graphload_import_id${group === "" ? "" : `_${group}`}`;
}

/** neo4j-admin's default DATABASE. */
const DEFAULT_DATABASE = "neo4j";

/** Cell text read as a missing value, which leaves the property unset as neo4j-admin does. */
const NULL_VALUES = [""];

/**
 * The pipeline `graphload import` runs for neo4j-admin's arguments and the headers, keyed by
 * file as the arguments name it: for CSV each `--nodes` / `--relationships` group's first
 * file's first line, split into fields; for Parquet (`--input-type parquet`) every file's
 * column names, since each file names its own columns. Pure: reading headers is the caller's.
 *
 * One task per file, the first file of a group reading its header line and the others
 * (data only) taking the header's names; nodes in create mode under their group's import
 * label, relationships created between nodes matched on that label and `__importId`. The
 * first stage makes each group's uniqueness constraint, the last removes the import labels,
 * the property and the constraints again, so the graph is the one neo4j-admin builds.
 */
export function compileAdminImport(args: AdminImportArguments, headers: ReadonlyMap<string, readonly string[]>, cwd: string): RawPipeline {
  const groups = new Set<string>();
  const nodeTasks = args.nodes.flatMap((input, index) =>
    input.files.map((file, fileIndex) => {
      const columns = headerOf(args, input, file, headers, "nodes");
      const id = columns.find((column) => column.kind === "id");
      if (id?.kind === "id") groups.add(id.group);
      return nodeTask(input, columns, args, taskName("nodes", index, input, fileIndex), sourceOf(args, cwd, file, fileIndex === 0, columns));
    }),
  );
  const relationshipTasks = args.relationships.flatMap((input, index) =>
    input.files.map((file, fileIndex) => {
      const columns = headerOf(args, input, file, headers, "relationships");
      return relationshipTask(input, columns, args, taskName("relationships", index, input, fileIndex), sourceOf(args, cwd, file, fileIndex === 0, columns));
    }),
  );
  const ordered = [...groups].sort();
  const stages: RawStage[] = [
    ...(ordered.length > 0
      ? [
          {
            name: "import-ids",
            statements: ordered.map(
              (group) =>
                `CREATE CONSTRAINT ${escapeIdentifier(constraintName(group))} IF NOT EXISTS FOR (n:${escapeIdentifier(importIdLabel(group))}) REQUIRE n.${IMPORT_ID_PROPERTY} IS UNIQUE`,
            ),
          },
        ]
      : []),
    { name: "nodes", tasks: nodeTasks },
    ...(relationshipTasks.length > 0 ? [{ name: "relationships", tasks: relationshipTasks }] : []),
    ...(ordered.length > 0
      ? [
          {
            name: "remove-import-ids",
            statements: ordered.flatMap((group) => {
              const label = escapeIdentifier(importIdLabel(group));
              return [
                `MATCH (n:${label}) CALL (n) { REMOVE n:${label}, n.${IMPORT_ID_PROPERTY} } IN TRANSACTIONS OF 10000 ROWS`,
                `DROP CONSTRAINT ${escapeIdentifier(constraintName(group))} IF EXISTS`,
              ];
            }),
          },
        ]
      : []),
  ];
  const database = args.database ?? DEFAULT_DATABASE;
  return {
    version: 1,
    name: `import-${database}`,
    neo4j: { database },
    defaults: { mode: "create", nullValues: NULL_VALUES, ...(args.threads !== undefined ? { concurrency: args.threads } : {}) },
    // The import-ids stage makes the one constraint the lookups need; any other would stay behind.
    schema: { create: false },
    stages,
  };
}

/** The files whose header the caller reads: each group's first for CSV, every file for Parquet. */
export function headerFiles(args: AdminImportArguments): string[] {
  return [...args.nodes, ...args.relationships].flatMap((input) => (args.inputType === "parquet" ? input.files : input.files.slice(0, 1)));
}

function headerOf(args: AdminImportArguments, input: AdminInputGroup, file: string, headers: ReadonlyMap<string, readonly string[]>, kind: AdminFileKind): AdminColumn[] {
  const named = args.inputType === "parquet" ? file : input.files[0];
  const fields = headers.get(named);
  if (fields === undefined) throw new Error(`no header was read for ${named}`);
  return parseAdminHeader(fields, kind, named);
}

function taskName(kind: AdminFileKind, index: number, input: AdminInputGroup, fileIndex: number): string {
  return `${kind}-${index + 1}${input.files.length > 1 ? `.${fileIndex + 1}` : ""}`;
}

function sourceOf(args: AdminImportArguments, cwd: string, file: string, header: boolean, columns: readonly AdminColumn[]): RawSource {
  // A Parquet file's column names are the header entries themselves.
  if (args.inputType === "parquet") return { file: resolve(cwd, file), format: "parquet" };
  return {
    file: resolve(cwd, file),
    format: "csv",
    delimiter: args.delimiter,
    quote: args.quote,
    header,
    columns: columns.map((column) => column.column),
    ...(args.trimStrings ? { trim: true } : {}),
  };
}

function idType(type: IdValueType): string {
  return type === "integer" ? "integer" : "string";
}

function properties(columns: readonly AdminColumn[], args: AdminImportArguments): Record<string, RawFieldMapping> {
  const { arrayDelimiter } = args;
  const map: Record<string, RawFieldMapping> = {};
  for (const column of columns) {
    if (column.kind !== "property") continue;
    // A Parquet column with no type in its name keeps the type the file gives it.
    if (!column.declared && args.inputType === "parquet") {
      map[column.property] = { column: column.column };
      continue;
    }
    map[column.property] = {
      column: column.column,
      type: column.type,
      ...(column.type.endsWith("[]") ? { arrayDelimiter } : {}),
      ...(column.timezone !== undefined ? { timezone: column.timezone } : {}),
    };
  }
  return map;
}

function nodeTask(input: AdminInputGroup, columns: readonly AdminColumn[], args: AdminImportArguments, name: string, source: RawSource): RawTask {
  const id = columns.find((column): column is Extract<AdminColumn, { kind: "id" }> => column.kind === "id");
  const label = columns.find((column) => column.kind === "label");
  const labels: RawName[] = [...input.names, ...(id ? [importIdLabel(id.group)] : []), ...(label ? [{ column: label.column, arrayDelimiter: args.arrayDelimiter }] : [])];
  const idField = id && { column: id.column, type: idType(args.idType) };
  return {
    name,
    source,
    node: {
      labels,
      key: id ? [IMPORT_ID_PROPERTY] : [],
      properties: {
        ...(idField ? { [IMPORT_ID_PROPERTY]: idField } : {}),
        ...(idField && id.property !== undefined ? { [id.property]: idField } : {}),
        ...properties(columns, args),
      },
    },
  };
}

function relationshipTask(input: AdminInputGroup, columns: readonly AdminColumn[], args: AdminImportArguments, name: string, source: RawSource): RawTask {
  const end = (kind: "start" | "end") => {
    const column = columns.find((entry): entry is Extract<AdminColumn, { kind: "start" | "end" }> => entry.kind === kind)!;
    return { label: importIdLabel(column.group), key: { [IMPORT_ID_PROPERTY]: { column: column.column, type: idType(args.idType) } } };
  };
  const typeColumn = columns.find((column) => column.kind === "type");
  const fixed = input.names[0];
  if (!typeColumn && fixed === undefined) {
    throw new GraphloadError("GL_ADMIN_HEADER", `${input.files[0]}: no relationship type: give it as --relationships=TYPE=… or in a :TYPE column`);
  }
  return {
    name,
    source,
    relationship: {
      type: typeColumn ? { column: typeColumn.column } : fixed,
      from: end("start"),
      to: end("end"),
      properties: properties(columns, args),
    },
  };
}
