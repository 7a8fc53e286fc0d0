import { fileURLToPath } from "node:url";
import { pipelineSchema } from "../pipeline/pipeline-schema.js";

/** Where the build writes the schema: `dist/pipeline.schema.json`, shipped in the package. */
export const SCHEMA_FILE = fileURLToPath(new URL("../pipeline.schema.json", import.meta.url));

/** Text holding a `${VAR}` or `${VAR:-default}` reference (interpolate-env.ts). */
const ENV_REFERENCE = { type: "string", pattern: "\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}" } as const;

/**
 * The JSON Schema of the pipeline file as editors and other validators take it: the very
 * object graphload validates with (pipeline-schema.ts), named as draft 2020-12. It uses only
 * keywords draft-07 has too, so editors that know only draft-07 read it the same.
 */
export function pipelineJsonSchema(): Record<string, unknown> {
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "graphload pipeline",
    description:
      "A graphload pipeline: stages run in order, each of Cypher statements or of tasks that stream a source's records into Neo4j as nodes, relationships or your own Cypher. Shape only: graphload plan also checks what relates one part to another, and ${VAR} references after they are replaced.",
    ...(withEnvReferences(pipelineSchema) as Record<string, unknown>),
  };
}

/**
 * graphload replaces `${VAR}` in every string before it validates, so a name written
 * `"airports${SUFFIX:-}"` is checked as `airports`. An editor sees the text as written: where
 * a string must match a pattern or be one of a list, text with a reference is allowed too.
 * Nothing else differs from the validator's schema.
 */
export function withEnvReferences(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withEnvReferences);
  if (schema === null || typeof schema !== "object") return schema;
  const node = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, key === "examples" || key === "enum" || key === "const" ? value : withEnvReferences(value)]));
  const constrained = typeof node.pattern === "string" || (Array.isArray(node.enum) && node.enum.every((value: unknown) => typeof value === "string"));
  if (!constrained) return node;
  const { description, examples, ...rule } = node;
  return { ...(description === undefined ? {} : { description }), ...(examples === undefined ? {} : { examples }), anyOf: [rule, ENV_REFERENCE] };
}

/** The schema as written to a file or printed: two-space JSON, ending in a newline. */
export function pipelineJsonSchemaText(): string {
  return `${JSON.stringify(pipelineJsonSchema(), null, 2)}\n`;
}
