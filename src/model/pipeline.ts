/**
 * The validated, normalised pipeline: what `loadPipeline` returns and the planner consumes.
 * Every optional setting of the file has been resolved to a value here, and every path is
 * absolute, so nothing downstream needs to know where the file was.
 */

export const SCALAR_TYPES = [
  "string",
  "integer",
  "float",
  "boolean",
  "date",
  "datetime",
  "localdatetime",
  "time",
  "localtime",
  "duration",
  "point",
] as const;

export type ScalarType = (typeof SCALAR_TYPES)[number];

/** A property type: `integer` is `{ scalar: "integer", list: false }`, `integer[]` is a list. */
export interface ValueType {
  readonly scalar: ScalarType;
  readonly list: boolean;
}

/** How one property (or key, or endpoint key) is read from a source record: from one column, or a point from several. */
export type FieldMapping = ColumnField | PointField;

/** A property read from one column. */
export interface ColumnField {
  /** Property name in the graph. */
  readonly property: string;
  /** Column (CSV header, JSON key) in the source record. */
  readonly column: string;
  /** Absent: the value is passed as the source gives it (CSV: string, JSON: its JSON type). */
  readonly type?: ValueType;
  /** Pattern for temporal types, e.g. `yyyy-MM-dd HH:mm:ss.SSS`; ISO 8601 when absent. */
  readonly format?: string;
  /** Separator of list elements inside one cell. */
  readonly arrayDelimiter: string;
  /** The zone or offset of a `datetime` (an offset for a `time`) whose text has none; absent: such a text is rejected. */
  readonly timezone?: string;
  /** The value where the cell is null, converted as a cell would be; absent: none. */
  readonly default?: unknown;
}

/** The columns of a point's coordinates: `latitude`/`longitude`[/`height`] (WGS-84) or `x`/`y`[/`z`] (Cartesian). */
export type PointColumns = Readonly<Partial<Record<"x" | "y" | "z" | "latitude" | "longitude" | "height", string>>>;

/** A point whose coordinates are read from several columns, each as a float. */
export interface PointField {
  readonly property: string;
  readonly columns: PointColumns;
  /** `wgs-84`, `wgs-84-3d`, `cartesian`, `cartesian-3d`; absent: implied by the coordinates' names and count. */
  readonly crs?: string;
  readonly type: { readonly scalar: "point"; readonly list: false };
  /** The point where any coordinate is null, written as a point cell would be. */
  readonly default?: unknown;
}

/** The columns a field reads, in the order a person would name them. */
export function fieldColumns(field: FieldMapping): string[] {
  return "columns" in field ? Object.values(field.columns).filter((column): column is string => column !== undefined) : [field.column];
}

/**
 * A label or a relationship type taken from a column: the cell itself, or the name that
 * `values` gives the cell (a cell missing from `values` rejects its row).
 */
export interface NameFromColumn {
  readonly column: string;
  readonly values?: Readonly<Record<string, string>>;
  /** Labels only: the cell holds several names split on it (an empty cell, none), as neo4j-admin's `:LABEL` column. */
  readonly arrayDelimiter?: string;
}

/** `allColumns: true`: every column the task reads nowhere else, as a property of its own name, except these. */
export interface AllColumns {
  readonly exclude: readonly string[];
}

/**
 * Which records a task writes. A condition on a column compares the value as read: CSV text
 * with the pipeline's values as text, JSON and database values by JSON equality; a null
 * (after `nullValues`) equals nothing and is in no list.
 */
export type WhereCondition =
  | { readonly kind: "equals"; readonly column: string; readonly value: WhereValue }
  | { readonly kind: "in" | "notIn"; readonly column: string; readonly values: readonly WhereValue[] }
  | { readonly kind: "isNull"; readonly column: string; readonly value: boolean }
  | { readonly kind: "matches"; readonly column: string; readonly pattern: string }
  | { readonly kind: "all" | "any"; readonly conditions: readonly WhereCondition[] }
  | { readonly kind: "not"; readonly condition: WhereCondition };

export type WhereValue = string | number | boolean;

export type WriteMode = "merge" | "create";

export type SourceFormat = "csv" | "tsv" | "jsonl" | "parquet";

/** How exact decimals (Parquet's DECIMAL, SQL's DECIMAL / NUMERIC) arrive: as the nearest FLOAT, or as their exact text. */
export type DecimalMode = "float" | "string";

export interface CsvOptions {
  readonly delimiter: string;
  readonly quote: string;
  /** False when the file has no header line; `columns` then names the fields. */
  readonly header: boolean;
  /** Explicit column names; with a header they replace the header's names. */
  readonly columns?: readonly string[];
  /** Whether whitespace around each field is dropped. */
  readonly trim?: boolean;
}

export type SourceSpec =
  | {
      readonly kind: "file";
      /** Absolute path, or an `http(s)://` or `s3://bucket/key` URL. */
      readonly path: string;
      readonly format: SourceFormat;
      readonly gzip: boolean;
      readonly csv: CsvOptions;
      /** Parquet DECIMAL columns as FLOAT (default) or exact STRING. */
      readonly decimal: DecimalMode;
    }
  | {
      /** Every file or object a glob matches, read in name order as one source. */
      readonly kind: "files";
      /** The glob as written: a path relative to `baseDir`, or `s3://bucket/key-glob`. */
      readonly glob: string;
      readonly baseDir: string;
      readonly format: SourceFormat;
      /** Set by the pipeline, or else each file's name tells (`.gz`). */
      readonly gzip?: boolean;
      readonly csv: CsvOptions;
      /** Files loaded by earlier runs are skipped, and a glob that matches nothing reads nothing. */
      readonly incremental: boolean;
      /** Parquet DECIMAL columns as FLOAT (default) or exact STRING. */
      readonly decimal: DecimalMode;
    }
  | {
      readonly kind: "stdin";
      readonly format: SourceFormat;
      readonly gzip: boolean;
      readonly csv: CsvOptions;
    }
  | {
      /** The records a Cypher query returns, read from any Neo4j in a read session. */
      readonly kind: "neo4j";
      readonly uri: string;
      readonly user?: string;
      readonly password?: string;
      readonly database?: string;
      readonly query: string;
      /** Records pulled from the server at a time: the stream's backpressure. */
      readonly fetchSize: number;
      readonly keyset?: Keyset;
      readonly incremental?: Incremental;
    }
  | {
      /** Rows written in the pipeline itself (an import specification's `text` source). */
      readonly kind: "inline";
      readonly header: readonly string[];
      /** One array of values per row, in header order; values keep their JSON types. */
      readonly data: readonly (readonly unknown[])[];
    }
  | SqlSource<"postgres">
  | SqlSource<"mysql">
  | {
      /** Rows a program hands over (`definePipeline`): read only as fast as the batches are written. */
      readonly kind: "rows";
      readonly rows: RowIterable;
    };

/**
 * The rows of a SQL query on PostgreSQL (read through a server-side cursor) or MySQL /
 * MariaDB (streamed), with `$1, $2, …` placeholders for what graphload binds.
 */
export interface SqlSource<Kind extends "postgres" | "mysql"> {
  readonly kind: Kind;
  /** `postgresql://user:password@host:port/database`, `mysql://user:password@host:port/database` */
  readonly url: string;
  readonly query: string;
  /** Rows read ahead of the engine: the cursor's page (PostgreSQL), the rows buffered before reading pauses (MySQL). */
  readonly fetchSize: number;
  readonly keyset?: Keyset;
  readonly incremental?: Incremental;
  /** DECIMAL / NUMERIC values as FLOAT (default) or as their exact text. */
  readonly decimal: DecimalMode;
}

/** A source record as code sees it: column name → value. */
export type SourceRow = Readonly<Record<string, unknown>>;

/** Any iterable or async iterable of plain objects: an array, a generator, a stream in object mode. */
export type RowIterable<Row = SourceRow> = Iterable<Row> | AsyncIterable<Row>;

/** Whether a record is loaded; a throw rejects the record. */
export type RowFilter = (row: SourceRow) => unknown;

/** The record as the mapping reads it; a throw rejects the record. */
export type RowTransform = (row: SourceRow) => object;

/**
 * How a task's batches run side by side: `parallel` up to the task's concurrency, `serial`
 * one at a time, `mix-and-batch` (relationship tasks) in parallel but never two batches
 * touching the same node at once.
 */
export type Strategy = "parallel" | "serial" | "mix-and-batch";

/**
 * Keyset paging of a database source: the query reads one page of rows whose `column` is
 * beyond a key (Cypher `$after` and `$page`, SQL `$1` and `$2`), in that column's order.
 * graphload asks for page after page, and a resumed run starts after the last key that
 * committed instead of at the beginning.
 */
export interface Keyset {
  readonly column: string;
  /** The key before the first row, e.g. -1 or "". */
  readonly after: number | string;
  readonly page: number;
}

/**
 * An incremental database source: each run reads only the rows whose `column` is beyond
 * the watermark, the highest value earlier runs committed (`initial` before the first).
 * The query takes it as `$watermark` (Cypher) or as the SQL placeholder after keyset's
 * (`$1` alone, `$3` after keyset's `$1` and `$2`).
 */
export interface Incremental {
  readonly column: string;
  /** Typed as the column is: an Integer, a float, text, or a Neo4j DATE / LOCAL DATETIME / DATETIME. */
  readonly initial: unknown;
}

export interface TaskSettings {
  /** Rows per transaction, or `auto`: sized to the server's pace, shrunk on memory errors. */
  readonly batchSize: number | "auto";
  readonly concurrency: number;
  readonly mode: WriteMode;
  /** Cell values read as null (the property is left unset). */
  readonly nullValues: readonly string[];
}

export interface NodeTarget {
  readonly kind: "node";
  /** The labels written as they are; with merge mode the node is matched on them and its key. */
  readonly labels: readonly string[];
  /**
   * Labels taken from columns. They are added to a merged node (`SET n:…`), so a node keeps
   * its identity whatever a row says its kind is; only a task without fixed labels merges on them.
   */
  readonly labelColumns: readonly NameFromColumn[];
  readonly key: readonly FieldMapping[];
  /** Properties other than the key, set on create and on every match. */
  readonly properties: readonly FieldMapping[];
  /** Properties set only when the node is created. */
  readonly onCreate: readonly FieldMapping[];
  readonly allColumns?: AllColumns;
}

export interface EndpointRef {
  readonly label: string;
  readonly key: readonly FieldMapping[];
  /** Created when missing (MERGE on the key); otherwise the node must exist. */
  readonly merge: boolean;
  /** Properties a merged endpoint is given when it is created. */
  readonly onCreate: readonly FieldMapping[];
}

export interface RelationshipTarget {
  readonly kind: "relationship";
  readonly type: string | NameFromColumn;
  readonly from: EndpointRef;
  readonly to: EndpointRef;
  /** Properties that, with the endpoints and type, identify the relationship in merge mode. */
  readonly key: readonly FieldMapping[];
  /** Properties other than the key, set on create and on every match. */
  readonly properties: readonly FieldMapping[];
  /** Properties other than the key set only when the relationship is created. */
  readonly onCreate: readonly FieldMapping[];
  readonly allColumns?: AllColumns;
}

export interface CypherTarget {
  readonly kind: "cypher";
  /** The statement body that follows `UNWIND $rows AS row`. */
  readonly cypher: string;
}

export type TaskTarget = NodeTarget | RelationshipTarget | CypherTarget;

export interface Task {
  readonly name: string;
  readonly source: SourceSpec;
  readonly target: TaskTarget;
  readonly settings: TaskSettings;
  readonly strategy: Strategy;
  /** Records that fail it are counted as filtered and not written. */
  readonly where?: WhereCondition;
  /** Given in code: records it returns a falsy value for are counted as filtered, before `transform`. */
  readonly filter?: RowFilter;
  /** Given in code: what the mapping (and `where`) reads instead of the record. */
  readonly transform?: RowTransform;
}

export type Stage =
  | { readonly kind: "tasks"; readonly name: string; readonly tasks: readonly Task[] }
  | { readonly kind: "statements"; readonly name: string; readonly statements: readonly string[] };

export interface ConnectionSettings {
  readonly uri?: string;
  readonly user?: string;
  readonly password?: string;
  readonly database?: string;
}

export type SchemaItemKind = "key" | "unique" | "existence" | "type" | "range" | "text" | "point" | "fulltext" | "vector";

/**
 * A constraint or index the pipeline declares under its own name (an import specification's
 * `schema`), made sure of before the first stage along with the ones graphload derives.
 */
export interface SchemaItem {
  readonly kind: SchemaItemKind;
  /** Its name in `SHOW CONSTRAINTS` / `SHOW INDEXES`. */
  readonly name: string;
  /** Nodes of these labels (several only for a full-text index), or relationships of this type. */
  readonly on: { readonly labels: readonly string[] } | { readonly type: string };
  /** One for existence and type constraints and for text, point and vector indexes. */
  readonly properties: readonly string[];
  /** Type constraints: the Cypher type, `STRING`, `LIST<INTEGER NOT NULL>`. */
  readonly propertyType?: string;
  /** The `OPTIONS` map as Neo4j takes it: `indexProvider`, `indexConfig`. */
  readonly options?: Readonly<Record<string, unknown>>;
}

export interface Pipeline {
  readonly name: string;
  /** Absolute path of the pipeline file, or undefined for a pipeline built in code. */
  readonly file?: string;
  readonly neo4j: ConnectionSettings;
  readonly defaults: TaskSettings;
  readonly stages: readonly Stage[];
  /**
   * Whether a run first creates the constraints and indexes its merges and lookups need, and
   * the ones it declares.
   */
  readonly schema: { readonly create: boolean; readonly declared?: readonly SchemaItem[] };
  /** What the file asked for that is done differently (an import specification on Neo4j Community). */
  readonly warnings?: readonly string[];
}
