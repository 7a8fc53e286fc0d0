import type { WhereCondition } from "../model/pipeline.js";

/** A condition as `graphload plan` shows it: `role in ["PS", "SS"] and not (seq is null)`. */
export function whereText(condition: WhereCondition): string {
  const value = (item: unknown) => JSON.stringify(item);
  switch (condition.kind) {
    case "equals":
      return `${condition.column} = ${value(condition.value)}`;
    case "in":
      return `${condition.column} in [${condition.values.map(value).join(", ")}]`;
    case "notIn":
      return `${condition.column} not in [${condition.values.map(value).join(", ")}]`;
    case "isNull":
      return `${condition.column} is ${condition.value ? "" : "not "}null`;
    case "matches":
      return `${condition.column} matches /${condition.pattern}/`;
    case "all":
    case "any":
      return condition.conditions.map((inner) => `(${whereText(inner)})`).join(condition.kind === "all" ? " and " : " or ");
    case "not":
      return `not (${whereText(condition.condition)})`;
  }
}
