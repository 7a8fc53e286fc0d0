import { GraphloadError } from "../errors.js";
import { ID_TYPES, type IdValueType } from "./admin-header.js";

/** One `--nodes` or `--relationships`: its files (the first one's first line is the header) and the labels or type before `=`. */
export interface AdminInputGroup {
  readonly names: readonly string[];
  readonly files: readonly string[];
}

/** `neo4j-admin database import full`'s arguments, as `graphload import` takes them. */
export interface AdminImportArguments {
  /** The DATABASE word, where given; graphload's --database and the environment come after it, then `neo4j`. */
  readonly database?: string;
  readonly nodes: readonly AdminInputGroup[];
  readonly relationships: readonly AdminInputGroup[];
  readonly delimiter: string;
  readonly arrayDelimiter: string;
  readonly quote: string;
  readonly idType: IdValueType;
  readonly inputType: "csv" | "parquet";
  readonly ignoreEmptyStrings: boolean;
  readonly trimStrings: boolean;
  readonly skipBadRelationships: boolean;
  readonly skipDuplicateNodes: boolean;
  readonly badTolerance: number;
  readonly threads?: number;
  readonly reportFile?: string;
}

type Flag = "boolean" | "value";

/** Options graphload reads, and the kind of each: booleans take `--x`, `--x=true` or `--x=false`. */
const READ: Readonly<Record<string, Flag>> = {
  nodes: "value",
  relationships: "value",
  delimiter: "value",
  "array-delimiter": "value",
  quote: "value",
  "id-type": "value",
  "input-type": "value",
  "ignore-empty-strings": "boolean",
  "trim-strings": "boolean",
  "skip-bad-relationships": "boolean",
  "skip-duplicate-nodes": "boolean",
  "bad-tolerance": "value",
  threads: "value",
  "report-file": "value",
  "input-encoding": "value",
  "legacy-style-quoting": "boolean",
  "ignore-extra-columns": "boolean",
  "auto-skip-subsequent-headers": "boolean",
  // Accepted and left alone: how the offline importer works, not what it builds.
  strict: "boolean",
  "normalize-types": "boolean",
  "skip-bad-entries-logging": "boolean",
  "multiline-fields": "value",
  "multiline-fields-format": "value",
  "read-buffer-size": "value",
  verbose: "boolean",
};

/** Options of the offline importer that mean nothing for a running database, with what to do instead. */
const OFFLINE_ONLY: Readonly<Record<string, string>> = {
  "overwrite-destination": "graphload never deletes a database; it loads into the running one, which may hold data already",
  format: "the store format is the server's business; create the database with it (CREATE DATABASE … OPTIONS {storeFormat: …})",
  "high-parallel-io": "graphload writes through the server; --threads sets how many transactions run at once",
  "max-off-heap-memory": "graphload's memory is bounded by --batch-size × --threads; the server's by its own settings",
  "additional-config": "there is no offline store to configure; the server's settings apply",
  schema: "create indexes and constraints with Cypher before or after the load (graphload run with a statements stage)",
  "expand-commands": "there is no configuration to expand",
};

const DEFAULT_BAD_TOLERANCE = 1000;

/**
 * Reads the arguments that follow `graphload import`: neo4j-admin's (`--nodes=…`, `--delimiter
 * ';'`, `--skip-bad-relationships=true`, `[full] [DATABASE]`), graphload's own flags having
 * been taken out already. Throws GL_ADMIN_ARGUMENT, naming the argument, for one it does
 * not know, a malformed value, incremental mode and the options that have no meaning online.
 */
export function parseAdminArguments(argv: readonly string[]): AdminImportArguments {
  const values = new Map<string, string[]>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (!token.startsWith("--")) {
      positional.push(token);
      continue;
    }
    const at = token.indexOf("=");
    const name = token.slice(2, at === -1 ? undefined : at);
    if (Object.hasOwn(OFFLINE_ONLY, name)) fail(`--${name} is an option of the offline importer with no meaning online: ${OFFLINE_ONLY[name]}`);
    const kind = READ[name];
    if (kind === undefined) fail(`unknown option --${name}; graphload import takes neo4j-admin database import full's options and graphload's connection and run flags (see graphload import --help)`);
    let value: string;
    if (at !== -1) value = token.slice(at + 1);
    else if (kind === "boolean") value = "true";
    else if (i + 1 < argv.length) value = argv[++i];
    else fail(`--${name} needs a value`);
    values.set(name, [...(values.get(name) ?? []), value!]);
  }
  const last = (name: string): string | undefined => values.get(name)?.at(-1);
  const flag = (name: string): boolean => {
    const value = last(name);
    if (value === undefined) return false;
    if (!/^(true|false)$/i.test(value)) fail(`--${name} takes true or false, not "${value}"`);
    return value.toLowerCase() === "true";
  };

  if (positional[0] === "incremental") fail("incremental mode adds to a stopped database offline; graphload always loads into the running database, so leave out the word incremental");
  if (positional[0] === "full") positional.shift();
  if (positional.length > 1) fail(`expected at most one database name, got ${positional.map((word) => JSON.stringify(word)).join(", ")}`);
  if (flag("legacy-style-quoting")) fail("--legacy-style-quoting (backslash-escaped quotes) is not read; quotes are escaped by doubling them");
  if (flag("ignore-extra-columns")) fail("--ignore-extra-columns is not supported: a row with more fields than its header is rejected");
  if (flag("auto-skip-subsequent-headers")) fail("--auto-skip-subsequent-headers is not supported: remove the repeated header lines from the data files");
  const encoding = last("input-encoding");
  if (encoding !== undefined && !/^utf-?8$/i.test(encoding)) fail(`--input-encoding ${encoding}: graphload reads UTF-8 only`);
  const idType = last("id-type") ?? "string";
  if (!Object.hasOwn(ID_TYPES, idType.toLowerCase())) fail(`--id-type takes string, integer or actual, not "${idType}"`);
  const inputType = (last("input-type") ?? "csv").toLowerCase();
  if (inputType !== "csv" && inputType !== "parquet") fail(`--input-type takes csv or parquet, not "${inputType}"`);
  const nodes = (values.get("nodes") ?? []).map((value) => inputGroup("nodes", value));
  if (nodes.length === 0) fail("--nodes is required: give at least one --nodes=[Label[:Label]=]header.csv,data.csv,…");
  return {
    ...optional("database", positional[0]),
    nodes,
    relationships: (values.get("relationships") ?? []).map((value) => inputGroup("relationships", value)),
    delimiter: character("delimiter", last("delimiter") ?? ","),
    arrayDelimiter: character("array-delimiter", last("array-delimiter") ?? ";"),
    quote: character("quote", last("quote") ?? '"'),
    idType: ID_TYPES[idType.toLowerCase()],
    inputType,
    ignoreEmptyStrings: flag("ignore-empty-strings"),
    trimStrings: flag("trim-strings"),
    skipBadRelationships: flag("skip-bad-relationships"),
    skipDuplicateNodes: flag("skip-duplicate-nodes"),
    badTolerance: count("bad-tolerance", last("bad-tolerance")) ?? DEFAULT_BAD_TOLERANCE,
    ...optional("threads", count("threads", last("threads"), 1)),
    ...optional("reportFile", last("report-file")),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** `[Label[:Label]=]file,file,…`; `TYPE=` for relationships. */
function inputGroup(option: "nodes" | "relationships", value: string): AdminInputGroup {
  const at = value.indexOf("=");
  const prefix = at === -1 ? "" : value.slice(0, at);
  const names = prefix === "" ? [] : prefix.split(":").filter((name) => name !== "");
  if (option === "relationships" && names.length > 1) fail(`--relationships=${value}: a relationship has one type, not ${names.join(":")}`);
  const files = value.slice(at + 1).split(",").filter((file) => file !== "");
  if (files.length === 0) fail(`--${option}=${value} names no file`);
  return { names, files };
}

/** A one-character setting, also as neo4j-admin writes them: `TAB`, `\t`, `U+20AC`. */
function character(option: string, value: string): string {
  const text = value === "TAB" || value === "\\t" ? "\t" : /^U\+[0-9A-Fa-f]{4,6}$/.test(value) ? String.fromCodePoint(parseInt(value.slice(2), 16)) : value;
  if ([...text].length !== 1) fail(`--${option} takes one character (or TAB, or U+hhhh), not "${value}"`);
  return text;
}

function count(option: string, value: string | undefined, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min) fail(`--${option} takes a whole number of at least ${min}, not "${value}"`);
  return number;
}

function fail(message: string): never {
  throw new GraphloadError("GL_ADMIN_ARGUMENT", message);
}
