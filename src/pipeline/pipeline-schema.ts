import { SCALAR_TYPES } from "./pipeline.js";

/**
 * JSON Schema of the pipeline file, `version: 1`. It checks shape only (keys, types, ranges);
 * rules that relate one part of the file to another live in pipeline-rules.ts.
 */
/** A pipeline's name identifies its checkpoints and its dead-letter file. */
export const NAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]*$";

const typeNames = SCALAR_TYPES.flatMap((scalar) => [scalar, `${scalar}[]`]);

const settings = {
  // "auto": sized from the server's pace (adaptive-batch-size.ts).
  batchSize: { type: ["integer", "string"], if: { type: "string" }, then: { const: "auto" }, else: { minimum: 1, maximum: 1_000_000 } },
  concurrency: { type: "integer", minimum: 1, maximum: 256 },
  mode: { enum: ["merge", "create"] },
  nullValues: { type: "array", items: { type: "string" } },
} as const;

const fieldMapping = {
  type: ["string", "object"],
  minLength: 1,
  if: { type: "object" },
  then: {
    additionalProperties: false,
    required: ["column"],
    properties: {
      column: { type: "string", minLength: 1 },
      type: { enum: typeNames },
      format: { type: "string", minLength: 1 },
      arrayDelimiter: { type: "string", minLength: 1 },
    },
  },
} as const;

const fieldMap = { type: "object", additionalProperties: fieldMapping } as const;

const endpoint = {
  type: "object",
  additionalProperties: false,
  required: ["label", "key"],
  properties: {
    label: { type: "string" },
    key: { ...fieldMap, minProperties: 1 },
  },
} as const;

/** What every database source has: the query, how many rows to fetch at a time, keyset paging. */
const databaseQuery = {
  query: { type: "string", minLength: 1 },
  fetchSize: { type: "integer", minimum: 1, maximum: 1_000_000 },
  keyset: {
    type: "object",
    additionalProperties: false,
    required: ["column", "after"],
    properties: {
      column: { type: "string", minLength: 1 },
      after: { type: ["integer", "number", "string"] },
      page: { type: "integer", minimum: 1, maximum: 10_000_000 },
    },
  },
} as const;

const source = {
  type: "object",
  additionalProperties: false,
  properties: {
    file: { type: "string", minLength: 1 },
    stdin: { const: true },
    format: { enum: ["csv", "tsv", "jsonl", "ndjson"] },
    gzip: { type: "boolean" },
    delimiter: { type: "string", minLength: 1, maxLength: 1 },
    quote: { type: "string", minLength: 1, maxLength: 1 },
    header: { type: "boolean" },
    columns: { type: "array", minItems: 1, items: { type: "string", minLength: 1 } },
    neo4j: {
      type: "object",
      additionalProperties: false,
      required: ["uri", "query"],
      properties: {
        uri: { type: "string", minLength: 1 },
        user: { type: "string" },
        password: { type: "string" },
        database: { type: "string", minLength: 1 },
        ...databaseQuery,
      },
    },
    inline: {
      type: "object",
      additionalProperties: false,
      required: ["header", "data"],
      properties: {
        header: { type: "array", minItems: 1, items: { type: "string", minLength: 1 } },
        data: { type: "array", items: { type: "array" } },
      },
    },
    postgres: {
      type: "object",
      additionalProperties: false,
      required: ["url", "query"],
      properties: {
        url: { type: "string", minLength: 1 },
        ...databaseQuery,
      },
    },
  },
} as const;

const task = {
  type: "object",
  additionalProperties: false,
  required: ["name", "source"],
  properties: {
    name: { type: "string", minLength: 1 },
    source,
    node: {
      type: "object",
      additionalProperties: false,
      required: ["labels", "key"],
      properties: {
        labels: { type: "array", minItems: 1, items: { type: "string" } },
        key: { type: "array", minItems: 1, items: { type: "string" } },
        properties: fieldMap,
      },
    },
    relationship: {
      type: "object",
      additionalProperties: false,
      required: ["type", "from", "to"],
      properties: {
        type: { type: "string" },
        from: endpoint,
        to: endpoint,
        properties: fieldMap,
      },
    },
    cypher: { type: "string", minLength: 1 },
    strategy: { enum: ["parallel", "serial", "mix-and-batch"] },
    ...settings,
  },
} as const;

export const pipelineSchema = {
  type: "object",
  additionalProperties: false,
  required: ["version", "name", "stages"],
  properties: {
    version: { const: 1 },
    name: { type: "string", minLength: 1, pattern: NAME_PATTERN },
    neo4j: {
      type: "object",
      additionalProperties: false,
      properties: {
        uri: { type: "string" },
        database: { type: "string" },
        user: { type: "string" },
        password: { type: "string" },
      },
    },
    defaults: { type: "object", additionalProperties: false, properties: settings },
    stages: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["name"],
        properties: {
          name: { type: "string", minLength: 1 },
          statements: { type: "array", minItems: 1, items: { type: "string", minLength: 1 } },
          tasks: { type: "array", minItems: 1, items: task },
        },
      },
    },
  },
} as const;
