/**
 * How a batch travels to its statement:
 * - `columns` (node and relationship tasks): one list per position of the positional rows,
 *   `$c0`, `$c1`, …, which the statement reads as `$c0[i]` for the batch's row `i`. The
 *   driver packs a list of plain values with no header, no list and no closure per row;
 *   that cost about a third less client CPU than a list per row, for the same server work
 *   (bench/RESULTS.md, "Column lists"). A `text` position whose values in the batch are all
 *   strings without TEXT_SEPARATOR, not too long together, goes as one string, `$t1`, which
 *   the statement splits once: the driver encodes one string where it would encode thousands
 *   (bench/RESULTS.md, "Text columns as one string"). Then `$c1` is null, and otherwise `$t1`.
 * - `rows` (cypher tasks): `$rows`, one map per row, which the user's statement reads as `row.name`.
 */
export type BatchShape = { readonly kind: "rows" } | ColumnsShape;

export interface ColumnsShape {
  readonly kind: "columns";
  /** The positions whose values are text, or may be (wire-format.ts): each may go as one string. */
  readonly text: readonly number[];
}

export const ROWS: BatchShape = { kind: "rows" };

/** What separates a text column's values in its one string: a control character that text rarely holds. */
export const TEXT_SEPARATOR = "\u001f";

/** The parameter holding the values at `position` of a batch's rows, as a list. */
export function columnParameter(position: number): string {
  return `c${position}`;
}

/** The parameter holding the values at a text position of a batch's rows, as one string. */
export function textParameter(position: number): string {
  return `t${position}`;
}

/** The statement's parameters for `rows`, all of one task and so of one width. */
export function batchParameters(shape: BatchShape, rows: readonly unknown[]): Record<string, unknown> {
  if (shape.kind === "rows") return { rows };
  const parameters: Record<string, unknown> = {};
  const count = rows.length;
  const width = count === 0 ? 0 : (rows[0] as readonly unknown[]).length;
  for (let position = 0; position < width; position++) {
    const column = new Array<unknown>(count);
    for (let i = 0; i < count; i++) column[i] = (rows[i] as readonly unknown[])[position];
    if (!shape.text.includes(position)) {
      parameters[columnParameter(position)] = column;
    } else if (allPlainText(column)) {
      parameters[columnParameter(position)] = null;
      parameters[textParameter(position)] = column.join(TEXT_SEPARATOR);
    } else {
      parameters[columnParameter(position)] = column;
      parameters[textParameter(position)] = null;
    }
  }
  return parameters;
}

/**
 * The rows `batchParameters` made `parameters` of, in order: for a writer that sends a part of
 * a batch after a failure, and for a message that shows a row.
 */
export function parameterRows(shape: BatchShape, parameters: Readonly<Record<string, unknown>>): unknown[] {
  if (shape.kind === "rows") return parameters.rows as unknown[];
  const columns: (readonly unknown[])[] = [];
  for (let position = 0; columnParameter(position) in parameters; position++) {
    const list = parameters[columnParameter(position)] as readonly unknown[] | null;
    columns.push(list ?? (parameters[textParameter(position)] as string).split(TEXT_SEPARATOR));
  }
  const count = columns.length === 0 ? 0 : columns[0].length;
  return Array.from({ length: count }, (_, i) => columns.map((column) => column[i]));
}

/**
 * The parameters of several parts' rows one after the other, each part's from
 * `batchParameters`: the same as `batchParameters` gives for all their rows at once.
 */
export function joinParameters(shape: BatchShape, parts: readonly Readonly<Record<string, unknown>>[]): Record<string, unknown> {
  if (shape.kind === "rows") return { rows: concat(parts.map((part) => part.rows as unknown[])) };
  const joined: Record<string, unknown> = {};
  for (let position = 0; parts.length > 0 && columnParameter(position) in parts[0]; position++) {
    const list = columnParameter(position);
    if (!shape.text.includes(position)) {
      joined[list] = concat(parts.map((part) => part[list] as unknown[]));
      continue;
    }
    const text = textParameter(position);
    const strings = parts.map((part) => part[text]);
    // Each part's string was checked for the separator when it was made; together they may be too long.
    if (strings.every((string) => typeof string === "string") && strings.reduce((length, string) => length + string.length + 1, 0) <= MAX_JOINED_LENGTH) {
      joined[list] = null;
      joined[text] = strings.join(TEXT_SEPARATOR);
    } else {
      joined[list] = concat(parts.map((part) => (part[list] as unknown[] | null) ?? (part[text] as string).split(TEXT_SEPARATOR)));
      joined[text] = null;
    }
  }
  return joined;
}

/** Lists one after the other; a list that is a value stays one value. */
function concat(lists: readonly (readonly unknown[])[]): unknown[] {
  return ([] as unknown[]).concat(...lists);
}

/**
 * Characters beyond which a column goes as its list: a string has a maximum length (about
 * 2^29 characters in V8), and a column of large documents gains nothing from one copy more.
 */
export const MAX_JOINED_LENGTH = 2 ** 24;

/**
 * Every value a string that the separator cannot split, and at least one (an empty string
 * splits into one value), and all of them short enough together to be one string.
 */
function allPlainText(column: readonly unknown[]): boolean {
  if (column.length === 0) return false;
  let length = 0;
  for (let i = 0; i < column.length; i++) {
    const value = column[i];
    if (typeof value !== "string" || value.includes(TEXT_SEPARATOR)) return false;
    length += value.length + 1;
  }
  return length <= MAX_JOINED_LENGTH;
}
