import type { RowIterable } from "./pipeline.js";

/**
 * A pipeline given in code (`definePipeline`): the pipeline file's format as TypeScript
 * types, so that an editor checks the object, plus what only code can give: a task may read
 * `{ rows: iterable }` and carry `filter` and `transform` functions.
 *
 * `Row` is the type of the rows the `rows` sources give (inferred from them) and `Out` what
 * `transform` makes of a row (inferred from it); the columns the mappings name must be keys
 * of `Out`, so a misspelt column is a type error. With no `rows` source both are any plain
 * object and columns any text: a file's columns are known only when it is read. One row type
 * is inferred per pipeline: tasks that read rows of different shapes name it, e.g.
 * `definePipeline<Record<string, unknown>>(…)`.
 */
export interface PipelineDefinition<Row extends object = AnyRow, Out extends object = Row> {
  /** The file format's version; may be left out. */
  readonly version?: 1;
  readonly name: string;
  readonly neo4j?: { readonly uri?: string; readonly database?: string; readonly user?: string; readonly password?: string };
  readonly defaults?: TaskSettingsDefinition;
  readonly schema?: { readonly create?: boolean };
  readonly stages: readonly StageDefinition<Row, Out>[];
}

// `any`, not `unknown`: a filter or transform over rows of no declared type reads them freely.
export type AnyRow = Record<string, any>;

export type StageDefinition<Row extends object = AnyRow, Out extends object = Row> =
  | { readonly name: string; readonly tasks: readonly TaskDefinition<Row, Out>[]; readonly statements?: never }
  | { readonly name: string; readonly statements: readonly string[]; readonly tasks?: never };

export interface TaskSettingsDefinition {
  readonly batchSize?: number | "auto";
  readonly concurrency?: number;
  readonly mode?: "merge" | "create";
  readonly nullValues?: readonly string[];
}

/** A task writes exactly one of `node`, `relationship` or `cypher`. */
export interface TaskDefinition<Row extends object = AnyRow, Out extends object = Row> extends TaskSettingsDefinition {
  readonly name: string;
  readonly source: RowsSourceDefinition<Row> | SourceSettingsDefinition;
  /** Rows it returns a falsy value for are counted as `rowsFiltered`; a throw rejects the row. Runs before `transform`. */
  readonly filter?: (row: Row) => unknown;
  /** The row the mapping reads (a plain object); a throw rejects the row into the dead-letter file. */
  readonly transform?: (row: Row) => Out;
  readonly where?: WhereDefinition<Out>;
  readonly strategy?: "parallel" | "serial" | "mix-and-batch";
  readonly node?: NodeDefinition<Out>;
  readonly relationship?: RelationshipDefinition<Out>;
  readonly cypher?: string;
}

/**
 * Rows from code: any iterable or async iterable of plain objects, read only as fast as the
 * batches are written. Values are typed like JSON Lines (numbers, strings, booleans, lists,
 * nested objects; `type` in the mapping converts). It is read once per stage that reads it.
 */
export interface RowsSourceDefinition<Row> {
  readonly rows: RowIterable<Row>;
}

/** A source as the pipeline file writes it (`file`, `files`, `stdin`, `neo4j`, `postgres`, …), checked when the pipeline is defined. */
export interface SourceSettingsDefinition {
  readonly rows?: never;
  readonly [setting: string]: unknown;
}

/** The columns of `Out`: any text when it is a plain object of no declared keys. */
// NoInfer: the columns a mapping names are checked against the rows, never taken as their type.
export type ColumnOf<Out> = NoInfer<string extends keyof Out ? string : Extract<keyof Out, string>>;

export type FieldDefinition<Out> =
  | ColumnOf<Out>
  | {
      readonly column: ColumnOf<Out>;
      readonly type?: string;
      readonly format?: string;
      readonly arrayDelimiter?: string;
      readonly timezone?: string;
      readonly default?: unknown;
    }
  | {
      readonly type: "point";
      readonly columns: Readonly<Partial<Record<"x" | "y" | "z" | "latitude" | "longitude" | "height", ColumnOf<Out>>>>;
      readonly crs?: string;
      readonly default?: unknown;
    };

export type FieldsDefinition<Out> = Readonly<Record<string, FieldDefinition<Out>>>;

/** A label or relationship type: a name, or taken from a column. */
export type NameDefinition<Out> = string | { readonly column: ColumnOf<Out>; readonly values?: Readonly<Record<string, string>>; readonly arrayDelimiter?: string };

export interface NodeDefinition<Out> {
  readonly labels: readonly NameDefinition<Out>[];
  readonly key: readonly string[];
  readonly properties?: FieldsDefinition<Out>;
  readonly onCreate?: FieldsDefinition<Out>;
  readonly allColumns?: boolean;
  readonly exclude?: readonly ColumnOf<Out>[];
}

export interface EndpointDefinition<Out> {
  readonly label: string;
  readonly key: FieldsDefinition<Out>;
  readonly merge?: boolean;
  readonly onCreate?: FieldsDefinition<Out>;
}

export interface RelationshipDefinition<Out> {
  readonly type: NameDefinition<Out>;
  readonly from: EndpointDefinition<Out>;
  readonly to: EndpointDefinition<Out>;
  readonly key?: readonly string[];
  readonly properties?: FieldsDefinition<Out>;
  readonly onCreate?: FieldsDefinition<Out>;
  readonly allColumns?: boolean;
  readonly exclude?: readonly ColumnOf<Out>[];
}

type WhereValue = string | number | boolean;

/** Exactly one operator, with `column` for those that test a column. */
export type WhereDefinition<Out> =
  | { readonly column: ColumnOf<Out>; readonly equals: WhereValue }
  | { readonly column: ColumnOf<Out>; readonly in: readonly WhereValue[] }
  | { readonly column: ColumnOf<Out>; readonly notIn: readonly WhereValue[] }
  | { readonly column: ColumnOf<Out>; readonly isNull: boolean }
  | { readonly column: ColumnOf<Out>; readonly matches: string }
  | { readonly all: readonly WhereDefinition<Out>[] }
  | { readonly any: readonly WhereDefinition<Out>[] }
  | { readonly not: WhereDefinition<Out> };
