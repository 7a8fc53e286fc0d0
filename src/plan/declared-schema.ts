/** A label and properties that a statement of the pipeline puts a constraint or index on. */
export interface DeclaredSchema {
  readonly label: string;
  readonly properties: readonly string[];
}

const NAME = "(?:`(?:[^`]|``)+`|[A-Za-z_][A-Za-z0-9_]*)";
const PROPERTY = `${NAME}\\s*\\.\\s*(${NAME})`;
const PROPERTIES = `\\(?\\s*(${PROPERTY}(?:\\s*,\\s*${PROPERTY})*)\\s*\\)?`;
const NODE = `FOR\\s*\\(\\s*${NAME}\\s*:\\s*(${NAME})\\s*\\)`;
const CONSTRAINT = new RegExp(`^\\s*CREATE\\s+CONSTRAINT\\b.*?\\b${NODE}\\s*REQUIRE\\s*${PROPERTIES}\\s*IS\\s+(?:UNIQUE|NODE\\s+KEY)`, "is");
const INDEX = new RegExp(`^\\s*CREATE\\s+(?:RANGE\\s+)?INDEX\\b.*?\\b${NODE}\\s*ON\\s*\\(\\s*(${PROPERTY}(?:\\s*,\\s*${PROPERTY})*)\\s*\\)`, "is");

/**
 * The node constraints and range indexes that the pipeline's own `statements` create, in
 * the common `CREATE CONSTRAINT … FOR (n:L) REQUIRE n.p IS UNIQUE` and `CREATE INDEX … FOR
 * (n:L) ON (n.p)` forms. graphload leaves these to the user: its index would make the
 * user's constraint on the same properties fail, and its constraint would duplicate theirs.
 */
export function declaredSchema(statements: readonly string[]): DeclaredSchema[] {
  return statements.flatMap((statement) => {
    const match = CONSTRAINT.exec(statement) ?? INDEX.exec(statement);
    if (!match) return [];
    const properties = [...match[2].matchAll(new RegExp(PROPERTY, "g"))].map((property) => unquote(property[1]));
    return [{ label: unquote(match[1]), properties }];
  });
}

function unquote(name: string): string {
  return name.startsWith("`") ? name.slice(1, -1).replaceAll("``", "`") : name;
}
