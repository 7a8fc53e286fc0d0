/**
 * A label, type or property name as Cypher text: backtick-quoted, backticks doubled, so no
 * name from a pipeline or an import specification can change a statement's shape.
 */
export function escapeIdentifier(name: string): string {
  return "`" + name.replaceAll("`", "``") + "`";
}
