import { GraphloadError } from "../errors.js";
import type { PointField } from "../model/pipeline.js";
import { compileConverter } from "./convert-value.js";
import { InvalidValue } from "./invalid-value.js";
import { toPoint } from "./point-value.js";

/**
 * A point made of several columns, each read as a float (a cell that is no number rejects
 * the row, naming its column). A null in any coordinate leaves the point null, for its
 * default or for no property at all.
 */
export function compilePointColumns(
  field: PointField,
  nullValues: readonly string[],
  options: { typedValues?: boolean } = {},
): (values: Readonly<Record<string, unknown>>) => unknown {
  const axes = Object.entries(field.columns).flatMap(([axis, column]) =>
    column === undefined ? [] : [{ axis, column, read: compileConverter({ property: field.property, column, type: { scalar: "float", list: false }, arrayDelimiter: ";" }, nullValues, options) }],
  );
  const crs = field.crs === undefined ? {} : { crs: field.crs };
  const columns = axes.map(({ column }) => JSON.stringify(column)).join(", ");
  return (values) => {
    const map: Record<string, unknown> = { ...crs };
    for (const { axis, column, read } of axes) {
      const coordinate = read(values[column]);
      if (coordinate === null) return null;
      map[axis] = coordinate;
    }
    try {
      return toPoint(map);
    } catch (error) {
      if (!(error instanceof InvalidValue)) throw error;
      throw new GraphloadError("GL_BAD_VALUE", `columns ${columns}: ${JSON.stringify(map)} is not a point (${error.reason})`, { column: columns });
    }
  };
}
