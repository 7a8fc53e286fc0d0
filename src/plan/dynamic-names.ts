import { GraphloadError } from "../errors.js";
import { identifierProblem } from "../pipeline/identifier.js";
import type { NameFromColumn, TaskTarget } from "../model/pipeline.js";

/**
 * Labels and relationship types taken from columns. A task with any of them runs one
 * statement per combination of names (its "variant"), since Cypher cannot take a label or
 * type as a parameter where an index would serve it. A variant is the names in order,
 * joined by ":", each backtick-quoted unless a plain identifier: `Hub:Large`, `` `Big Cat` ``.
 */
export type VariantReader = (values: Readonly<Record<string, unknown>>) => string;

/** The names a task takes from columns, in variant order, with what each is called in errors. */
export function dynamicNames(target: TaskTarget): { source: NameFromColumn; what: string }[] {
  if (target.kind === "node") return target.labelColumns.map((source) => ({ source, what: "label" }));
  if (target.kind === "relationship" && typeof target.type !== "string") return [{ source: target.type, what: "relationship type" }];
  return [];
}

/** Undefined for a task whose labels and type are all fixed. */
export function compileVariantReader(target: TaskTarget, nullValues: readonly string[]): VariantReader | undefined {
  const readers = dynamicNames(target).map(({ source, what }) => nameReader(source, what, nullValues));
  if (readers.length === 0) return undefined;
  const fixed = target.kind === "node" ? target.labels : [];
  return (values) => encodeVariant(readers.flatMap((read) => read(values)).filter((name) => !fixed.includes(name)));
}

/** The names a row gives: one, or with `arrayDelimiter` any number (none for an empty cell), a list's items too. */
function nameReader(source: NameFromColumn, what: string, nullValues: readonly string[]): (values: Readonly<Record<string, unknown>>) => string[] {
  const nulls = new Set(nullValues);
  const { column, values: mapped, arrayDelimiter } = source;
  const nameOf = (cell: string | null): string => {
    let name = cell;
    if (mapped) {
      name = cell !== null && Object.hasOwn(mapped, cell) ? mapped[cell] : null;
      if (name === null) {
        const shown = cell === null ? "an empty cell" : JSON.stringify(cell);
        throw new GraphloadError("GL_UNMAPPED_VALUE", `${what} from column "${column}": ${shown} is not one of ${Object.keys(mapped).map((key) => JSON.stringify(key)).join(", ")}`, { column });
      }
    }
    const problem = name === null ? `${what} from column "${column}" must not be empty` : identifierProblem(name, `${what} from column "${column}":`);
    if (problem) throw new GraphloadError("GL_INVALID_IDENTIFIER", problem, { column });
    return name!;
  };
  return (values) => {
    const raw = values[column];
    // A list column (Parquet's LIST<STRING> under :LABEL) gives its items as the names.
    if (arrayDelimiter !== undefined && Array.isArray(raw)) return raw.filter((item) => item !== null && item !== undefined && item !== "").map((item) => nameOf(String(item)));
    const cell = raw === undefined || raw === null || (typeof raw === "string" && nulls.has(raw)) ? null : String(raw);
    if (arrayDelimiter === undefined) return [nameOf(cell)];
    return cell === null ? [] : cell.split(arrayDelimiter).filter((part) => part !== "").map(nameOf);
  };
}

/**
 * Every variant knowable before reading: each combination of the `values` names, or none
 * when some name is the cell itself. A task with fixed names has the one variant "".
 */
export function knownVariants(target: TaskTarget): string[] | undefined {
  const names = dynamicNames(target);
  if (names.length === 0) return [""];
  if (names.some(({ source }) => !source.values || source.arrayDelimiter !== undefined)) return undefined;
  const fixed = target.kind === "node" ? target.labels : [];
  let combinations: string[][] = [[]];
  for (const { source } of names) {
    const choices = [...new Set(Object.values(source.values!))];
    combinations = combinations.flatMap((combination) => choices.map((choice) => [...combination, choice]));
  }
  return [...new Set(combinations.map((combination) => encodeVariant(combination.filter((name) => !fixed.includes(name)))))];
}

/** A stand-in variant naming the columns, to show the shape of statements whose names are only known when read. */
export function exampleVariant(target: TaskTarget): string {
  return encodeVariant(dynamicNames(target).map(({ source }) => `{${source.column}}`));
}

export function encodeVariant(names: readonly string[]): string {
  return [...new Set(names)].map((name) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : "`" + name.replaceAll("`", "``") + "`")).join(":");
}

export function decodeVariant(variant: string): string[] {
  const names: string[] = [];
  let i = 0;
  while (i < variant.length) {
    let name = "";
    if (variant[i] === "`") {
      i++;
      while (i < variant.length && !(variant[i] === "`" && variant[i + 1] !== "`")) {
        name += variant[i];
        i += variant[i] === "`" ? 2 : 1;
      }
      i++;
    } else {
      while (i < variant.length && variant[i] !== ":") name += variant[i++];
    }
    names.push(name);
    i++; // the ":" between names
  }
  return names;
}
