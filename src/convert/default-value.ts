import { GraphloadError } from "../errors.js";
import type { ColumnField, FieldMapping } from "../model/pipeline.js";
import { compileConverter } from "./convert-value.js";

/**
 * A field's `default`, converted as a cell of the field would be (its type, format and
 * list delimiter), so `default: "1900"` on an integer is the INTEGER 1900, and on an untyped
 * field a YAML value keeps its type (`default: 1900` is an INTEGER, `default: 2.5` a FLOAT).
 * `nullValues` do not apply: a default is never read as null. Throws GL_INVALID_DEFAULT.
 */
export function convertDefault(field: FieldMapping): unknown {
  const asCell: ColumnField = {
    property: field.property,
    column: field.property,
    type: field.type,
    format: "format" in field ? field.format : undefined,
    arrayDelimiter: "arrayDelimiter" in field ? field.arrayDelimiter : ";",
  };
  try {
    return compileConverter(asCell, [])(field.default);
  } catch (error) {
    if (!(error instanceof GraphloadError)) throw error;
    const reason = error.message.replace(`column "${asCell.column}": `, "");
    throw new GraphloadError("GL_INVALID_DEFAULT", `the default of "${field.property}" does not convert: ${reason}`, { property: field.property });
  }
}
