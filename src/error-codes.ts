/**
 * Every code graphload raises, with the exit code it ends a command with and what it means.
 * Scripts and dead-letter readers rely on these; the README's table of them is generated
 * from this one (`npm run docs:errors`), and a GraphloadError cannot carry a GL_ code that is
 * not listed here.
 */

/** The process exit codes: the contract scripts and schedulers rely on (README, "Exit codes"). */
export const EXIT = {
  OK: 0,
  /** The run failed or was stopped; it can be resumed. */
  FAILED: 1,
  /** Invalid pipeline or arguments, or a start refused; nothing was written. */
  INVALID: 2,
  /** Finished, but some rows were rejected into the dead-letter file. */
  REJECTED: 3,
  /** Another run of the same pipeline holds its lease; nothing was written. */
  IN_PROGRESS: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

interface CodeEntry {
  /**
   * The exit code when this error stops graphload before a run begins; `row` for a code that
   * rejects one row into the dead-letter file, which makes a finished run exit 3.
   */
  readonly exit: typeof EXIT.FAILED | typeof EXIT.INVALID | typeof EXIT.IN_PROGRESS | "row";
  readonly meaning: string;
}

export const ERROR_CODES = {
  // The pipeline file: GL_INVALID_PIPELINE lists every problem found, each with a code below.
  GL_INVALID_PIPELINE: { exit: 2, meaning: "the pipeline (or import specification) has problems; each is listed with its path and one of the codes below" },
  GL_SYNTAX: { exit: 2, meaning: "the file is not valid YAML or JSON" },
  GL_ENV_UNSET: { exit: 2, meaning: "`${VAR}` names an environment variable that is not set, and gives no default" },
  GL_UNKNOWN_KEY: { exit: 2, meaning: "a setting the format does not have (often a misspelt one)" },
  GL_MISSING_SETTING: { exit: 2, meaning: "a setting that is required is missing" },
  GL_WRONG_TYPE: { exit: 2, meaning: "a setting has the wrong type: a list where text belongs, …" },
  GL_INVALID_VALUE: { exit: 2, meaning: "a setting has a value it does not allow, such as an unknown mode or a date format that cannot work" },
  GL_OUT_OF_RANGE: { exit: 2, meaning: "a number is outside its setting's range" },
  GL_EMPTY: { exit: 2, meaning: "a text, list or map that must not be empty is" },
  GL_TOO_LONG: { exit: 2, meaning: "a text is longer than its setting allows" },
  GL_STAGE_KIND: { exit: 2, meaning: 'a stage has both or neither of "tasks" and "statements"' },
  GL_TASK_KIND: { exit: 2, meaning: 'a task writes not exactly one of "node", "relationship" or "cypher"' },
  GL_DUPLICATE_NAME: { exit: 2, meaning: "a name is used twice: a stage, a task, a key property, or a column of a header" },
  GL_INVALID_IDENTIFIER: { exit: 2, meaning: "a label, type or property name is empty or holds a control character" },
  GL_SOURCE_KIND: { exit: 2, meaning: 'a source is not exactly one of "file", "files", "stdin", "neo4j", "postgres", "mysql" or "inline"' },
  GL_NOT_APPLICABLE: { exit: 2, meaning: "a setting that does not apply to this source or type" },
  GL_STDIN_TWICE: { exit: 2, meaning: "standard input is read by tasks of two stages, or with different settings" },
  GL_FILE_NOT_FOUND: { exit: 2, meaning: "the pipeline file or a source file (local, web or object) is not there" },
  GL_NO_MATCH: { exit: 2, meaning: 'a "files" glob matches no file (with "incremental: true" that is a run that reads nothing)' },
  GL_UNKNOWN_FORMAT: { exit: 2, meaning: 'the format cannot be told from the file name, or standard input has no "format"' },
  GL_NO_COLUMNS: { exit: 2, meaning: 'a CSV or TSV source with "header: false" does not name its "columns"' },
  GL_STRATEGY_NEEDS_ENDPOINTS: { exit: 2, meaning: 'strategy "mix-and-batch" on a task that writes no relationships' },
  GL_UNKNOWN_COLUMN: { exit: 2, meaning: "a column the task maps is not in its file's header" },
  GL_MALFORMED_HEADER: { exit: 2, meaning: 'a CSV or TSV header is not valid UTF-8, or names a different number of columns than "columns"' },
  GL_WHERE_OPERATOR: { exit: 2, meaning: "a `where` condition has no operator, or more than one" },
  GL_INVALID_REGEX: { exit: 2, meaning: "a `where` condition's `matches` is not a valid regular expression" },
  GL_FIELD_SOURCE: { exit: 2, meaning: 'a property names neither a "column" nor a point\'s "columns", or both' },
  GL_POINT_COLUMNS: { exit: 2, meaning: 'a point\'s "columns" are not latitude/longitude[/height] or x/y[/z]' },
  GL_INVALID_DEFAULT: { exit: 2, meaning: "a `default` does not convert to its property's type" },
  GL_UNKNOWN_PROPERTY: { exit: 2, meaning: "a relationship `key` names a property the relationship does not set" },
  GL_READ_FAILED: { exit: 2, meaning: "a source cannot be read: no permission, not gzip, a database's error" },
  GL_INCREMENTAL_PLACEHOLDER: { exit: 2, meaning: "an incremental source's query does not take the watermark where it must ($watermark in Cypher; $1, or $3 after keyset's $1 and $2, in SQL)" },
  // Neo4j's import specification, compiled into a pipeline.
  GL_UNSUPPORTED_SOURCE: { exit: 2, meaning: "an import specification's source type, URI or data source is one graphload does not read" },
  GL_DATA_SOURCE_UNSET: { exit: 2, meaning: "a jdbc source's data source has no URL: give --data-source NAME=URL" },
  GL_UNKNOWN_SOURCE: { exit: 2, meaning: "a target names a source the specification does not have" },
  GL_UNKNOWN_TARGET: { exit: 2, meaning: "a relationship target names a node target that is not there or not active" },
  GL_SPEC_VERSION: { exit: 2, meaning: 'the specification\'s `version` is not one graphload reads ("1")' },
  GL_SPEC_UNKNOWN_SOURCE_TYPE: { exit: 2, meaning: "a source's `type` is not one of the types import-spec defines" },
  GL_SPEC_SOURCE_FIELD: { exit: 2, meaning: "a source lacks a field its type needs, or has one it does not take" },
  GL_SPEC_UNKNOWN_ACTION_TYPE: { exit: 2, meaning: "an action's `type` is not one import-spec defines" },
  GL_SPEC_DUPLICATE_NAME: { exit: 2, meaning: "two sources, targets or actions share a name" },
  GL_SPEC_UNKNOWN_SOURCE: { exit: 2, meaning: "a target names a source the specification does not have" },
  GL_SPEC_UNUSED_SOURCE: { exit: 2, meaning: "a source no target reads (a warning)" },
  GL_SPEC_UNKNOWN_DEPENDENCY: { exit: 2, meaning: "`depends_on` names a target or action that is not there" },
  GL_SPEC_DUPLICATE_DEPENDENCY: { exit: 2, meaning: "`depends_on` names the same dependency twice" },
  GL_SPEC_REDUNDANT_DEPENDENCY: { exit: 2, meaning: "`depends_on` names a dependency a node reference already implies" },
  GL_SPEC_DEPENDENCY_CYCLE: { exit: 2, meaning: "targets depend on each other in a cycle" },
  GL_SPEC_UNKNOWN_NODE_TARGET: { exit: 2, meaning: "a relationship\"s node reference names no node target" },
  GL_SPEC_INACTIVE_NODE_TARGET: { exit: 2, meaning: "a relationship\"s node reference names an inactive node target" },
  GL_SPEC_KEYLESS_NODE: { exit: 2, meaning: "a relationship references a node target that has no key" },
  GL_SPEC_KEY_MAPPING_UNKNOWN_PROPERTY: { exit: 2, meaning: "a node reference\"s key mapping names a property the node does not have" },
  GL_SPEC_KEY_MAPPING_NOT_KEY: { exit: 2, meaning: "a node reference\"s key mapping names a property outside the node\"s key" },
  GL_SPEC_PARTIAL_KEY_MAPPING: { exit: 2, meaning: "a node reference\"s key mappings match only part of the node\"s key" },
  GL_SPEC_KEY_MAPPING_NO_EXACT_MATCH: { exit: 2, meaning: "a node reference\"s key mappings match no key of the node exactly" },
  GL_SPEC_UNKNOWN_LABEL: { exit: 2, meaning: "a schema item names a label the target does not have" },
  GL_SPEC_UNMAPPED_PROPERTY: { exit: 2, meaning: "a schema item names a property the target does not map" },
  GL_SPEC_DUPLICATE_SCHEMA: { exit: 2, meaning: "the same constraint or index is declared twice" },
  GL_SPEC_DUPLICATE_SCHEMA_NAME: { exit: 2, meaning: "two schema items share a name" },
  GL_SPEC_REDUNDANT_SCHEMA: { exit: 2, meaning: "a schema item another one already implies (a key and a unique constraint on the same properties, \u2026)" },
  GL_SPEC_UNTYPED_PROPERTY: { exit: 2, meaning: "a type constraint on a property whose mapping has no type" },
  GL_SPEC_BYTE_ARRAY_TYPE_CONSTRAINT: { exit: 2, meaning: "a type constraint on a byte array property, which Neo4j cannot constrain" },
  GL_SPEC_DUPLICATE_LABEL: { exit: 2, meaning: "a target lists a label twice" },
  GL_SPEC_DUPLICATE_PROPERTY: { exit: 2, meaning: "a target maps a property twice" },
  GL_SPEC_DIMENSION_NOT_VECTOR: { exit: 2, meaning: "a vector index\"s dimensions on a property that is no vector" },
  GL_SPEC_NO_ACTIVE_TARGET: { exit: 2, meaning: "the specification has no active target" },
  GL_SPEC_BLANK_QUERY: { exit: 2, meaning: "a Cypher action or query target has a blank query" },
  GL_SPEC_EXECUTION_MODE: { exit: 2, meaning: "an action\"s `execution_mode` is missing or not one import-spec defines" },
  GL_SPEC_GRAPH_TYPE: { exit: 2, meaning: "the specification\"s graph type is not one graphload supports" },
  GL_UNSUPPORTED_QUERY: { exit: 2, meaning: "a query target does not start with UNWIND $rows AS row" },
  // A run that cannot start as asked: nothing was written.
  GL_UNKNOWN_STAGE: { exit: 2, meaning: "--stage names a stage the pipeline does not have" },
  GL_INVALID_OPTIONS: { exit: 2, meaning: "options that contradict each other (--resume with --fresh) or are not valid" },
  GL_SECRET_FILE: { exit: 2, meaning: "a secret file (`--password-file`, `NEO4J_PASSWORD_FILE`, `GRAPHLOAD_DATA_SOURCE_<NAME>_FILE`) cannot be read" },
  GL_INTERRUPTED_RUN: { exit: 2, meaning: "a run of this pipeline was interrupted: run again with --resume, or --fresh to start over" },
  GL_RESUME_MISMATCH: { exit: 2, meaning: "cannot resume: the pipeline or one of its input files changed since the interrupted run" },
  GL_ADMIN_HEADER: { exit: 2, meaning: "a header in neo4j-admin's import format that graphload cannot read: an unknown type or option, or a column the file's kind does not take" },
  GL_ADMIN_ARGUMENT: { exit: 2, meaning: "an argument of `graphload import` (neo4j-admin database import's own) that is unknown, malformed or has no online meaning" },
  GL_RUN_IN_PROGRESS: { exit: 4, meaning: "another run of the same pipeline holds its lease (named: host, pid, start); nothing was written, nor any state touched" },
  GL_LOCAL_NEO4J_OPTION: { exit: 2, meaning: "a memory setting of the local Neo4j is not a size such as 512m or 2g" },
  // A run that broke, or was stopped: resume it with --resume.
  GL_STOPPED: { exit: 1, meaning: "the run was stopped (SIGINT, SIGTERM, or the caller's AbortSignal)" },
  GL_LEASE_LOST: { exit: 1, meaning: "the run's lease lapsed and another run took it over; the run stopped writing" },
  GL_TOO_MANY_ERRORS: { exit: 1, meaning: "more rows were rejected than --max-errors allows" },
  GL_IMPORT_BAD_ENTRIES: { exit: 1, meaning: "`graphload import`: a bad relationship or duplicate node without its --skip option, or more skipped than --bad-tolerance, as neo4j-admin fails" },
  GL_INPUT_REFUSED: { exit: 1, meaning: "a web server or object store refused access to an input; the message carries its code (HTTP 403, AccessDenied, InvalidAccessKeyId …)" },
  GL_INPUT_FAILED: { exit: 1, meaning: "reading a remote input failed: the connection dropped, the body was cut short, the server erred; run again with --resume" },
  GL_LINE_TOO_LONG: { exit: 1, meaning: "a JSON Lines line is longer than 64 MiB" },
  GL_VERIFY_MISMATCH: { exit: 1, meaning: "--verify found rows read and rows written (or nodes found) that differ" },
  GL_LOCAL_NEO4J_TOOLS: { exit: 1, meaning: "the local Neo4j needs Java 17+ and Maven, and one is missing or too old" },
  GL_LOCAL_NEO4J_BUILD: { exit: 1, meaning: "building the local Neo4j's launcher with Maven failed" },
  GL_LOCAL_NEO4J_START: { exit: 1, meaning: "the local Neo4j did not start; the message quotes its log" },
  GL_LOCAL_NEO4J_UNRESPONSIVE: { exit: 1, meaning: "the local Neo4j runs but does not answer on Bolt" },
  GL_LOCAL_NEO4J_LOCKED: { exit: 1, meaning: "another graphload holds the local Neo4j's lock for too long" },
  GL_WATERMARK_COLUMN: { exit: 1, meaning: "an incremental source's rows lack its `column`: the query must return it" },
  GL_WATERMARK_TYPE: { exit: 1, meaning: "an incremental column holds a value no watermark can be (a number, text, date or date-time), or values of two kinds" },
  GL_ROWS_SOURCE: { exit: 1, meaning: "the iterable of a `rows` source (a pipeline given in code) threw; the message carries its error" },
  GL_ERROR: { exit: 1, meaning: "an error that brings no code of its own" },
  // One row, set aside in the dead-letter file; the run goes on. Rows the server refuses carry its code instead (Neo.ClientError…).
  GL_BAD_VALUE: { exit: "row", meaning: "a value does not convert to its property's type" },
  GL_NULL_KEY: { exit: "row", meaning: "a key property has no value in the row, so the row cannot be matched or merged" },
  GL_UNMAPPED_VALUE: { exit: "row", meaning: "a type or label column holds a value its `values` map does not name" },
  GL_UNKNOWN_VARIANT: { exit: "row", meaning: "a row's type or label value makes no statement the task can run" },
  GL_ENDPOINT_NOT_FOUND: { exit: "row", meaning: "a relationship's start or end node is not in the graph" },
  GL_MALFORMED_RECORD: { exit: "row", meaning: "a CSV or TSV record has the wrong number of fields, or a quote that never closes" },
  GL_MALFORMED_JSON: { exit: "row", meaning: "a JSON Lines line is not valid JSON, or not an object" },
  GL_INVALID_UTF8: { exit: "row", meaning: "a record is not valid UTF-8" },
  GL_MALFORMED_ROW: { exit: "row", meaning: "an item of a `rows` source is not a plain object" },
  GL_ROW_FUNCTION: { exit: "row", meaning: "a task's `filter` or `transform` threw for the row, or `transform` returned no object" },
} as const satisfies Record<`GL_${string}`, CodeEntry>;

export type ErrorCode = keyof typeof ERROR_CODES;

declare const foreign: unique symbol;

/**
 * A code graphload did not make, passed on as it came: Neo4j's (`Neo.ClientError…`), the
 * driver's (`ServiceUnavailable`), Node's (`ECONNRESET`), PostgreSQL's. Apart from Neo4j's,
 * written as literals where graphload matches them, only `codeOf` makes one, so a GL_ code
 * missing from the registry cannot pass as one.
 */
export type ForeignCode = `Neo.${string}` | (string & { readonly [foreign]: true });

/** What an error, a dead letter or a summary may carry as its code. */
export type AnyErrorCode = ErrorCode | ForeignCode;

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === "string" && Object.hasOwn(ERROR_CODES, code);
}

/** The code of any error: graphload's, or another's passed on; GL_ERROR for an error without one. */
export function codeOf(error: unknown): AnyErrorCode {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  if (typeof code !== "string" || code === "") return "GL_ERROR";
  return code as AnyErrorCode;
}

/**
 * The exit code of a command that an error stopped before a run began: the registry's for
 * graphload's codes, 1 for any other error (a server, the network, a bug).
 */
export function failureExitCode(error: unknown): ExitCode {
  const code = codeOf(error);
  if (!isErrorCode(code)) return EXIT.FAILED;
  const { exit } = ERROR_CODES[code];
  return exit === "row" ? EXIT.FAILED : exit;
}

/**
 * The exit code of a run that began. Whatever stopped it, it exits 1: something may have
 * been written, and --resume continues it. A finished run exits 3 when it set rows aside.
 */
export function runExitCode(run: { readonly status: "completed" | "failed" | "stopped"; readonly rowsRejected: number }): ExitCode {
  if (run.status !== "completed") return EXIT.FAILED;
  return run.rowsRejected > 0 ? EXIT.REJECTED : EXIT.OK;
}
