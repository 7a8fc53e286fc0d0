import { resolve } from "node:path";
import { GraphloadError } from "../errors.js";
import { escapeIdentifier } from "../model/escape-identifier.js";
import type { RawFieldMapping, RawName, RawPipeline, RawSource, RawStage, RawTask } from "../pipeline/raw-pipeline.js";
import { parseAdminHeader, type AdminColumn, type AdminFileKind } from "./admin-header.js";
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
      const group = idGroupOf(columns);
      if (group !== undefined) groups.add(group);
      return adminNodeTask(input.names, columns, args, taskName("nodes", index, input, fileIndex), sourceOf(args, cwd, file, fileIndex === 0, columns));
    }),
  );
  const relationshipTasks = args.relationships.flatMap((input, index) =>
    input.files.map((file, fileIndex) => {
      const columns = headerOf(args, input, file, headers, "relationships");
      return adminRelationshipTask(input.names, columns, args, taskName("relationships", index, input, fileIndex), sourceOf(args, cwd, file, fileIndex === 0, columns));
    }),
  );
  const { before, after } = importIdStages(groups);
  const stages: RawStage[] = [
    ...before,
    { name: "nodes", tasks: nodeTasks },
    ...(relationshipTasks.length > 0 ? [{ name: "relationships", tasks: relationshipTasks }] : []),
    ...after,
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

/**
 * The stages around an import's tasks for the ID groups its node files declare: the first
 * makes each group's uniqueness constraint, the last removes the import labels, the property
 * and the constraints again. None when no node file has an :ID.
 */
export function importIdStages(groups: Iterable<string>): { before: RawStage[]; after: RawStage[] } {
  const ordered = [...new Set(groups)].sort();
  if (ordered.length === 0) return { before: [], after: [] };
  return {
    before: [
      {
        name: "import-ids",
        statements: ordered.map(
          (group) => `CREATE CONSTRAINT ${escapeIdentifier(constraintName(group))} IF NOT EXISTS FOR (n:${escapeIdentifier(importIdLabel(group))}) REQUIRE n.${IMPORT_ID_PROPERTY} IS UNIQUE`,
        ),
      },
    ],
    after: [
      {
        name: "remove-import-ids",
        statements: ordered.flatMap((group) => {
          const label = escapeIdentifier(importIdLabel(group));
          return [`MATCH (n:${label}) CALL (n) { REMOVE n:${label}, n.${IMPORT_ID_PROPERTY} } IN TRANSACTIONS OF 10000 ROWS`, `DROP CONSTRAINT ${escapeIdentifier(constraintName(group))} IF EXISTS`];
        }),
      },
    ],
  };
}

/** The ID group a node file's header declares, if it has an :ID column. */
export function idGroupOf(columns: readonly AdminColumn[]): string | undefined {
  const id = columns.find((column) => column.kind === "id");
  return id?.kind === "id" ? id.group : undefined;
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

/** What reading a file of neo4j-admin's format takes besides its header. */
export type AdminReadOptions = Pick<AdminImportArguments, "arrayDelimiter" | "idType" | "inputType">;

function properties(columns: readonly AdminColumn[], args: AdminReadOptions): Record<string, RawFieldMapping> {
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

/**
 * The create-mode node task of one file: `labels` (as `--nodes=Label=` gives them) and the
 * header's :LABEL column, its :ID stored under the group's import label and `__importId`.
 */
export function adminNodeTask(names: readonly string[], columns: readonly AdminColumn[], args: AdminReadOptions, name: string, source: RawSource): RawTask {
  const id = columns.find((column): column is Extract<AdminColumn, { kind: "id" }> => column.kind === "id");
  const label = columns.find((column) => column.kind === "label");
  const labels: RawName[] = [...names, ...(id ? [importIdLabel(id.group)] : []), ...(label ? [{ column: label.column, arrayDelimiter: args.arrayDelimiter }] : [])];
  const idField = id && { column: id.column, type: args.idType };
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

/** The relationship task of one file: its type from `names[0]` or the :TYPE column, its ends matched on their groups' import labels. */
export function adminRelationshipTask(names: readonly string[], columns: readonly AdminColumn[], args: AdminReadOptions, name: string, source: RawSource): RawTask {
  const end = (kind: "start" | "end") => {
    const column = columns.find((entry): entry is Extract<AdminColumn, { kind: "start" | "end" }> => entry.kind === kind)!;
    return { label: importIdLabel(column.group), key: { [IMPORT_ID_PROPERTY]: { column: column.column, type: args.idType } } };
  };
  const typeColumn = columns.find((column) => column.kind === "type");
  const fixed = names[0];
  if (!typeColumn && fixed === undefined) {
    throw new GraphloadError("GL_ADMIN_HEADER", `${source.file ?? source.files}: no relationship type: give it as --relationships=TYPE=… (a pipeline: relationship.type) or in a :TYPE column`);
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
