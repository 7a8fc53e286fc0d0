import { isDate, isInt, type Date as Neo4jDate, type Integer } from "neo4j-driver";
import type { ValueType } from "../model/pipeline.js";

/**
 * How a converted value travels in `$rows`, and the Cypher that gives it its type again on
 * the server. The driver packs an INTEGER from an Integer object through 64-bit arithmetic
 * on objects, and a DATE through an epoch-day computation in the same arithmetic; per row,
 * that was the largest share of graphload's CPU time (bench/RESULTS.md). An integer read from
 * text travels as that text (convert/scalar-converters.ts), any other whole number in the safe
 * range as a FLOAT, exact, and `toInteger()` makes either an INTEGER again; a date travels as
 * its ISO text for `date()`. Every other value travels as it is. Text lets a batch send the
 * whole column as one string, where the driver packs each number of a list on its own
 * (bench/RESULTS.md, "Integers as the text they were written as").
 * Most values come converted to a number or text already: they are let through before the
 * driver's tests, which read a property of the value and cost a primitive a wrapper lookup.
 */
export interface WireFormat {
  readonly encode: (value: unknown) => unknown;
  /** The Cypher expression of the typed value, given the expression of what travelled. */
  readonly decode: (expression: string) => string;
  /**
   * What travels is text (a string, or null), or may be (a value the source gives as it
   * is): a batch may then send the column as one string (batch-parameters.ts).
   */
  readonly text: boolean;
}

const AS_IS: WireFormat = { encode: (value) => value, decode: (expression) => expression, text: false };

const TEXT: WireFormat = { ...AS_IS, text: true };

const INTEGER: WireFormat = {
  encode: (value) => (typeof value === "object" && isInt(value) && (value as Integer).inSafeRange() ? (value as Integer).toNumber() : value),
  decode: (expression) => `toInteger(${expression})`,
  text: true,
};

const DATE: WireFormat = {
  encode: (value) => (typeof value === "object" && isDate(value) ? (value as Neo4jDate).toString() : value),
  decode: (expression) => `date(${expression})`,
  text: true,
};

export function wireFormat(type: ValueType | undefined): WireFormat {
  if (type === undefined || (type.scalar === "string" && !type.list)) return TEXT;
  const scalar = type.scalar === "integer" ? INTEGER : type.scalar === "date" ? DATE : undefined;
  if (!scalar) return AS_IS;
  if (!type.list) return scalar;
  return {
    encode: (value) => (Array.isArray(value) ? value.map(scalar.encode) : value),
    decode: (expression) => `[x IN ${expression} | ${scalar.decode("x")}]`,
    text: false,
  };
}
