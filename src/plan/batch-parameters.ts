/**
 * How a batch travels to its statement:
 * - `columns` (node and relationship tasks): one list per position of the positional rows,
 *   `$c0`, `$c1`, …, which the statement reads as `$c0[i]` for the batch's row `i`. The
 *   driver packs a list of plain values with no header, no list and no closure per row;
 *   that cost about a third less client CPU than a list per row, for the same server work
 *   (bench/RESULTS.md, "Column lists").
 * - `rows` (cypher tasks): `$rows`, one map per row, which the user's statement reads as `row.name`.
 */
export type BatchShape = "rows" | "columns";

/** The parameter holding the values at `position` of a batch's rows. */
export function columnParameter(position: number): string {
  return `c${position}`;
}

/** The statement's parameters for `rows`, all of one task and so of one width. */
export function batchParameters(shape: BatchShape, rows: readonly unknown[]): Record<string, unknown> {
  if (shape === "rows") return { rows };
  const parameters: Record<string, unknown[]> = {};
  const count = rows.length;
  const width = count === 0 ? 0 : (rows[0] as readonly unknown[]).length;
  for (let position = 0; position < width; position++) {
    const column = new Array<unknown>(count);
    for (let i = 0; i < count; i++) column[i] = (rows[i] as readonly unknown[])[position];
    parameters[columnParameter(position)] = column;
  }
  return parameters;
}
