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

/** How one property (or key, or endpoint key) is read from a source record. */
export interface FieldMapping {
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
}

export type WriteMode = "merge" | "create";

export type SourceFormat = "csv" | "tsv" | "jsonl";

export interface CsvOptions {
  readonly delimiter: string;
  readonly quote: string;
  /** False when the file has no header line; `columns` then names the fields. */
  readonly header: boolean;
  /** Explicit column names; with a header they replace the header's names. */
  readonly columns?: readonly string[];
}

export type SourceSpec =
  | {
      readonly kind: "file";
      /** Absolute path. */
      readonly path: string;
      readonly format: SourceFormat;
      readonly gzip: boolean;
      readonly csv: CsvOptions;
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
    }
  | {
      /** Rows written in the pipeline itself (an import specification's `text` source). */
      readonly kind: "inline";
      readonly header: readonly string[];
      /** One array of values per row, in header order; values keep their JSON types. */
      readonly data: readonly (readonly unknown[])[];
    }
  | {
      /** The rows of a SQL query, read through a server-side cursor. */
      readonly kind: "postgres";
      /** `postgresql://user:password@host:port/database` */
      readonly url: string;
      readonly query: string;
      readonly fetchSize: number;
      readonly keyset?: Keyset;
    };

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
  readonly labels: readonly string[];
  readonly key: readonly FieldMapping[];
  /** Properties other than the key. */
  readonly properties: readonly FieldMapping[];
}

export interface EndpointRef {
  readonly label: string;
  readonly key: readonly FieldMapping[];
}

export interface RelationshipTarget {
  readonly kind: "relationship";
  readonly type: string;
  readonly from: EndpointRef;
  readonly to: EndpointRef;
  readonly properties: readonly FieldMapping[];
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

export interface Pipeline {
  readonly name: string;
  /** Absolute path of the pipeline file, or undefined for a pipeline built in code. */
  readonly file?: string;
  readonly neo4j: ConnectionSettings;
  readonly defaults: TaskSettings;
  readonly stages: readonly Stage[];
  /** What the file asked for that is done differently (an import specification on Neo4j Community). */
  readonly warnings?: readonly string[];
}
