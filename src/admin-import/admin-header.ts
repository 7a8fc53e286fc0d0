import { parseMapLiteral } from "../convert/map-literal.js";
import { GraphloadError } from "../errors.js";
import type { ScalarType } from "../model/pipeline.js";

/** What a file of neo4j-admin's import format holds: nodes (`--nodes`) or relationships (`--relationships`). */
export type AdminFileKind = "nodes" | "relationships";

/** How a column's values name nodes: `--id-type string` keeps them as text, `integer` (and `actual`) as integers. */
export type IdValueType = "string" | "integer";

/** neo4j-admin's `--id-type` values (a pipeline's `idType`) and how graphload reads the IDs. */
export const ID_TYPES: Readonly<Record<string, IdValueType>> = { string: "string", integer: "integer", actual: "integer" };

/**
 * One column of a header, as graphload maps it. `column` is the name the column gets in the
 * pipeline: the header's own text, made unique where a header repeats one (two `:IGNORE`s).
 */
export type AdminColumn =
  /** `declared` false for a bare `name`: a string in CSV, the column's own type in Parquet. */
  | { readonly kind: "property"; readonly column: string; readonly property: string; readonly type: string; readonly declared: boolean; readonly timezone?: string }
  /** `id:ID(Group)`: `property` absent for `:ID`, whose value neo4j-admin keeps out of the graph. */
  | { readonly kind: "id"; readonly column: string; readonly group: string; readonly property?: string }
  | { readonly kind: "start" | "end"; readonly column: string; readonly group: string }
  | { readonly kind: "label" | "type" | "ignore"; readonly column: string };

/** neo4j-admin's header types and the property type each becomes; `[]` after any makes a list. */
const HEADER_TYPES: ReadonlyMap<string, ScalarType> = new Map([
  ["int", "integer"],
  ["long", "integer"],
  ["short", "integer"],
  ["byte", "integer"],
  ["float", "float"],
  ["double", "float"],
  ["boolean", "boolean"],
  ["char", "string"],
  ["string", "string"],
  ["point", "point"],
  ["date", "date"],
  ["localtime", "localtime"],
  ["time", "time"],
  ["localdatetime", "localdatetime"],
  ["datetime", "datetime"],
  ["duration", "duration"],
]);

/** The zone neo4j-admin reads a datetime or time without one in (its `db.temporal.timezone` default). */
const DEFAULT_TIMEZONE = "Z";

const ENTRY = /^(?<name>.*?)(?::(?<type>[A-Za-z_]+(?:\[\])?)(?:\((?<group>[^)]*)\))?)?(?<options>\{.*\})?$/s;

/**
 * The columns of a header line of neo4j-admin's import format: `name`, `name:type`,
 * `name:type[]`, `name:type{timezone: …}`, `[name]:ID[(Group)]`, `:LABEL`, `:START_ID[(Group)]`,
 * `:END_ID[(Group)]`, `:TYPE`, `:IGNORE`. Throws GL_ADMIN_HEADER naming the column and what to
 * do for a type graphload does not know, an option it does not read, or a column a file of
 * this kind cannot have (an `:ID` among relationships, two `:START_ID`s, …).
 */
export function parseAdminHeader(fields: readonly string[], kind: AdminFileKind, file: string): AdminColumn[] {
  const used = new Set<string>();
  const unique = (text: string): string => {
    const base = text === "" ? ":IGNORE" : text;
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base} (${n})`;
    used.add(name);
    return name;
  };
  const columns = fields.map((field) => parseEntry(field, unique(field), file));
  checkKinds(columns, kind, file);
  return columns;
}

function parseEntry(field: string, column: string, file: string): AdminColumn {
  const fail = (why: string): never => {
    throw new GraphloadError("GL_ADMIN_HEADER", `${file}: header column ${JSON.stringify(field)}: ${why}`, { column: field });
  };
  if (field.trim() === "") return { kind: "ignore", column };
  const match = ENTRY.exec(field.trim());
  if (!match?.groups) return fail("expected name:type, e.g. age:int");
  const { name, type, group, options } = match.groups;
  const settings = options === undefined ? {} : readOptions(options, fail);
  if (type === undefined) {
    if (group !== undefined) fail("a group belongs to :ID, :START_ID or :END_ID");
    return property(column, name, undefined, settings, fail);
  }
  const keyword = type.toUpperCase();
  const groupName = group ?? "";
  switch (keyword) {
    case "ID":
      noOptions(settings, fail);
      return { kind: "id", column, group: groupName, ...(name !== "" ? { property: name } : {}) };
    case "START_ID":
    case "END_ID":
      noOptions(settings, fail);
      return { kind: keyword === "START_ID" ? "start" : "end", column, group: groupName };
    case "LABEL":
    case "TYPE":
    case "IGNORE":
      noOptions(settings, fail);
      if (group !== undefined) fail("a group belongs to :ID, :START_ID or :END_ID");
      return { kind: keyword === "LABEL" ? "label" : keyword === "TYPE" ? "type" : "ignore", column };
  }
  if (group !== undefined) fail("a group belongs to :ID, :START_ID or :END_ID");
  if (name === "") fail("a property column needs a name before the colon");
  return property(column, name, type, settings, fail);
}

function property(column: string, name: string, declaredType: string | undefined, settings: Record<string, string | number>, fail: (why: string) => never): AdminColumn {
  const headerType = declaredType ?? "string";
  const list = headerType.endsWith("[]");
  const base = (list ? headerType.slice(0, -2) : headerType).toLowerCase();
  const scalar = HEADER_TYPES.get(base);
  if (scalar === undefined) fail(`unknown type "${headerType}"; neo4j-admin's types are ${[...HEADER_TYPES.keys()].join(", ")}, each also with []`);
  const { timezone, ...rest } = settings;
  noOptions(rest, fail);
  const zoned = scalar === "datetime" || scalar === "time";
  if (timezone !== undefined && !zoned) fail('the option "timezone" applies to datetime and time only');
  return {
    kind: "property",
    column,
    property: name,
    type: `${scalar}${list ? "[]" : ""}`,
    declared: declaredType !== undefined,
    ...(zoned ? { timezone: timezone === undefined ? DEFAULT_TIMEZONE : String(timezone) } : {}),
  };
}

function readOptions(text: string, fail: (why: string) => never): Record<string, string | number> {
  try {
    return parseMapLiteral(text);
  } catch {
    return fail(`cannot read the options ${text}`);
  }
}

function noOptions(settings: Record<string, unknown>, fail: (why: string) => never): void {
  const names = Object.keys(settings);
  if (names.length > 0) fail(`graphload does not read the option${names.length > 1 ? "s" : ""} ${names.join(", ")} here (only timezone, on datetime and time)`);
}

function checkKinds(columns: readonly AdminColumn[], kind: AdminFileKind, file: string): void {
  const count = (wanted: AdminColumn["kind"]) => columns.filter((column) => column.kind === wanted).length;
  const fail = (why: string): never => {
    throw new GraphloadError("GL_ADMIN_HEADER", `${file}: ${why}`);
  };
  if (kind === "nodes") {
    for (const other of ["start", "end", "type"] as const) if (count(other) > 0) fail("a node file's header has no :START_ID, :END_ID or :TYPE; give it with --relationships");
    if (count("id") > 1) fail("a node file's header has at most one :ID column");
    if (count("label") > 1) fail("a node file's header has at most one :LABEL column");
  } else {
    for (const other of ["id", "label"] as const) if (count(other) > 0) fail("a relationship file's header has no :ID or :LABEL; give it with --nodes");
    if (count("start") !== 1 || count("end") !== 1) fail("a relationship file's header needs one :START_ID and one :END_ID column");
    if (count("type") > 1) fail("a relationship file's header has at most one :TYPE column");
  }
}
