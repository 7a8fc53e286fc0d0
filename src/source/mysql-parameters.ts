import { isDate, isDateTime, isInt, isLocalDateTime, isLocalTime, type DateTime } from "neo4j-driver";
import { GraphloadError } from "../errors.js";

/**
 * A MySQL query with its `$1, $2, …` bound: each placeholder becomes the literal of its
 * value, so a placeholder may repeat and come in any order. Placeholders inside string
 * literals, quoted identifiers and comments are text, not placeholders; `$` inside a name
 * (`price$1`) is part of the name. Literals are written so that no sql_mode changes what
 * they mean (strings and bytes in hexadecimal), which is why graphload binds them itself
 * instead of leaving `?` to the client library, whose substitution does not know literals.
 */
export function bindMysqlParameters(sql: string, values: readonly unknown[]): string {
  let bound = "";
  let from = 0;
  for (const { start, end, index } of placeholders(sql)) {
    if (index < 1 || index > values.length) {
      const given = values.length === 0 ? "none is bound here" : `only ${values.map((_, at) => `$${at + 1}`).join(", ")} ${values.length === 1 ? "is" : "are"} bound here`;
      throw new GraphloadError("GL_READ_FAILED", `the query uses $${index}, but ${given} (keyset: $1 the key before the page, $2 the page size)`);
    }
    bound += sql.slice(from, start) + mysqlLiteral(values[index - 1]);
    from = end;
  }
  return bound + sql.slice(from);
}

interface Placeholder {
  readonly start: number;
  readonly end: number;
  readonly index: number;
}

const NAME_CHAR = /[\p{L}\p{N}_$]/u;
const DIGIT = /[0-9]/;

/** Where `$n` stands in MySQL text, skipping '…', "…", `…`, -- …, # … and /* … *\/ (but not /*! … *\/, which MySQL runs). */
function* placeholders(sql: string): Generator<Placeholder> {
  const length = sql.length;
  let at = 0;
  while (at < length) {
    const char = sql[at];
    if (char === "'" || char === '"' || char === "`") {
      at = quotedEnd(sql, at, char);
    } else if ((char === "-" && sql[at + 1] === "-" && (at + 2 >= length || /\s/.test(sql[at + 2]))) || char === "#") {
      const newline = sql.indexOf("\n", at);
      at = newline === -1 ? length : newline + 1;
    } else if (char === "/" && sql[at + 1] === "*" && sql[at + 2] !== "!" && !(sql[at + 2] === "M" && sql[at + 3] === "!")) {
      const close = sql.indexOf("*/", at + 2);
      at = close === -1 ? length : close + 2;
    } else if (char === "$" && DIGIT.test(sql[at + 1] ?? "") && !(at > 0 && NAME_CHAR.test(sql[at - 1]))) {
      let end = at + 1;
      while (end < length && DIGIT.test(sql[end])) end++;
      yield { start: at, end, index: Number(sql.slice(at + 1, end)) };
      at = end;
    } else {
      at++;
    }
  }
}

/** The index after a quoted text starting at `start`: a doubled quote stays inside, and in strings a backslash escapes the next character. */
function quotedEnd(sql: string, start: number, quote: string): number {
  let at = start + 1;
  while (at < sql.length) {
    const char = sql[at];
    if (char === "\\" && quote !== "`") at += 2;
    else if (char === quote && sql[at + 1] === quote) at += 2;
    else if (char === quote) return at + 1;
    else at++;
  }
  return sql.length;
}

/**
 * A value as MySQL text: numbers as numbers (a 64-bit INTEGER exactly), strings as UTF-8 in
 * hexadecimal, byte arrays as bytes, temporal values as their ISO text (a zoned one at UTC,
 * the session's time zone), microseconds at most.
 */
export function mysqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (typeof value === "bigint" || isInt(value)) return String(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new GraphloadError("GL_READ_FAILED", `${value} has no MySQL literal`);
    return String(value);
  }
  if (value instanceof Uint8Array || value instanceof Int8Array) return `X'${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex")}'`;
  if (isDateTime(value)) return text(utcText(value as DateTime));
  if (isDate(value) || isLocalDateTime(value) || isLocalTime(value)) return text(String(value).replace(/(\.\d{6})\d+/, "$1"));
  return text(String(value));
}

function text(value: string): string {
  return `_utf8mb4 X'${Buffer.from(value, "utf8").toString("hex")}'`;
}

/** `yyyy-MM-ddTHH:mm:ss[.ffffff]` at UTC. */
function utcText(value: DateTime): string {
  const instant = value.toStandardDate().toISOString().slice(0, 19);
  const micros = Math.floor(Number(value.nanosecond) / 1000);
  return micros === 0 ? instant : `${instant}.${String(micros).padStart(6, "0")}`;
}
