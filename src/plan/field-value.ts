import { compileConverter } from "../convert/convert-value.js";
import { convertDefault } from "../convert/default-value.js";
import { compilePointColumns } from "../convert/point-columns.js";
import type { FieldMapping } from "../model/pipeline.js";

/** Reads one field's value from a source record: converted, its default where null; null leaves the property unset. */
export type FieldReader = (values: Readonly<Record<string, unknown>>) => unknown;

export function compileFieldReader(field: FieldMapping, nullValues: readonly string[], options: { typedValues: boolean; wire?: boolean }): FieldReader {
  let read: FieldReader;
  if ("columns" in field) {
    read = compilePointColumns(field, nullValues, options);
  } else {
    const convert = compileConverter(field, nullValues, options);
    const column = field.column;
    read = (values) => convert(values[column]);
  }
  if (field.default === undefined) return read;
  const fallback = convertDefault(field);
  return (values) => read(values) ?? fallback;
}
