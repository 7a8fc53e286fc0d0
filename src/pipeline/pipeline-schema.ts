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
    // "column" or, for a point, "columns": which one is pipeline-rules.ts' business, with a clearer message.
    additionalProperties: false,
    properties: {
      column: { type: "string", minLength: 1 },
      columns: {
        type: "object",
        additionalProperties: false,
        minProperties: 2,
        properties: Object.fromEntries(["x", "y", "z", "latitude", "longitude", "height"].map((axis) => [axis, { type: "string", minLength: 1 }])),
      },
      crs: { enum: ["wgs-84", "wgs-84-3d", "cartesian", "cartesian-3d"] },
      type: { enum: typeNames },
      format: { type: "string", minLength: 1 },
      arrayDelimiter: { type: "string", minLength: 1 },
      default: { type: ["string", "number", "boolean", "array", "object"] },
    },
  },
} as const;

const fieldMap = { type: "object", additionalProperties: fieldMapping } as const;

/** A label or relationship type: the name itself, or `{ column, values }` to read it from a column. */
const name = {
  type: ["string", "object"],
  if: { type: "object" },
  then: {
    additionalProperties: false,
    required: ["column"],
    properties: {
      column: { type: "string", minLength: 1 },
      values: { type: "object", minProperties: 1, additionalProperties: { type: "string" } },
    },
  },
} as const;

const allColumns = {
  allColumns: { type: "boolean" },
  exclude: { type: "array", items: { type: "string", minLength: 1 } },
} as const;

const endpoint = {
  type: "object",
  additionalProperties: false,
  required: ["label", "key"],
  properties: {
    label: { type: "string" },
    key: { ...fieldMap, minProperties: 1 },
    merge: { type: "boolean" },
    onCreate: fieldMap,
  },
} as const;

const whereValue = { type: ["string", "number", "boolean"] } as const;

/** A `where` condition; that it has exactly one operator is checked in pipeline-rules.ts. */
const where = {
  type: "object",
  additionalProperties: false,
  properties: {
    column: { type: "string", minLength: 1 },
    equals: whereValue,
    in: { type: "array", minItems: 1, items: whereValue },
    notIn: { type: "array", minItems: 1, items: whereValue },
    isNull: { type: "boolean" },
    matches: { type: "string" },
    all: { type: "array", minItems: 1, items: { $ref: "#/$defs/where" } },
    any: { type: "array", minItems: 1, items: { $ref: "#/$defs/where" } },
    not: { $ref: "#/$defs/where" },
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
    where: { $ref: "#/$defs/where" },
    node: {
      type: "object",
      additionalProperties: false,
      required: ["labels", "key"],
      properties: {
        labels: { type: "array", minItems: 1, items: name },
        key: { type: "array", minItems: 1, items: { type: "string" } },
        properties: fieldMap,
        onCreate: fieldMap,
        ...allColumns,
      },
    },
    relationship: {
      type: "object",
      additionalProperties: false,
      required: ["type", "from", "to"],
      properties: {
        type: name,
        from: endpoint,
        to: endpoint,
        key: { type: "array", minItems: 1, items: { type: "string" } },
        properties: fieldMap,
        onCreate: fieldMap,
        ...allColumns,
      },
    },
    cypher: { type: "string", minLength: 1 },
    strategy: { enum: ["parallel", "serial", "mix-and-batch"] },
    ...settings,
  },
} as const;

export const pipelineSchema = {
  $defs: { where },
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
    schema: { type: "object", additionalProperties: false, properties: { create: { type: "boolean" } } },
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
