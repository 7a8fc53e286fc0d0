import { SCALAR_TYPES } from "../model/pipeline.js";

/**
 * JSON Schema of the pipeline file, `version: 1`. It checks shape only (keys, types, ranges);
 * rules that relate one part of the file to another live in pipeline-rules.ts. The same
 * object is published as `graphload schema` (src/schema/pipeline-json-schema.ts), so every
 * key carries a `description` and `examples` for editors to show.
 */
/** A pipeline's name identifies its checkpoints and its dead-letter file. */
export const NAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]*$";

const typeNames = SCALAR_TYPES.flatMap((scalar) => [scalar, `${scalar}[]`]);

const settings = {
  // "auto": sized from the server's pace (adaptive-batch-size.ts).
  batchSize: {
    description: 'Rows per write transaction (default 5000), or "auto": sized from the server\'s pace, aiming at 500 ms transactions and halving on memory errors.',
    examples: [5000, "auto"],
    type: ["integer", "string"],
    if: { type: "string" },
    then: { const: "auto" },
    else: { minimum: 1, maximum: 1_000_000 },
  },
  concurrency: { description: "Transactions in flight at once, for the whole run (default 4).", examples: [4], type: "integer", minimum: 1, maximum: 256 },
  mode: {
    description: "merge (default): MERGE nodes on their key and relationships on their endpoints (and key); create: CREATE, faster where nothing exists yet.",
    examples: ["merge"],
    enum: ["merge", "create"],
  },
  nullValues: {
    description: 'Cells read as null, so the property is left unset (compared as written, untrimmed). Default [""]. Not applied to values from databases.',
    examples: [["", "NULL"], ["", "\\N", "NA"]],
    type: "array",
    items: { type: "string" },
  },
} as const;

const fieldMapping = {
  description:
    'A property read from a column: the column\'s name as text, or { column, type, format, arrayDelimiter, default }; a point from several columns is { type: point, columns, crs, default }. Without a type, CSV cells stay text and JSON values keep their JSON type.',
  examples: ["productName", { column: "unitPrice", type: "float" }, { column: "orderDate", type: "localdatetime", format: "yyyy-MM-dd HH:mm:ss.SSS" }, { type: "point", columns: { latitude: "lat", longitude: "lon" } }],
  type: ["string", "object"],
  minLength: 1,
  if: { type: "object" },
  then: {
    // "column" or, for a point, "columns": which one is pipeline-rules.ts' business, with a clearer message.
    additionalProperties: false,
    properties: {
      column: { description: "The column (CSV header, JSON key, database column) the value is read from.", examples: ["unitPrice"], type: "string", minLength: 1 },
      columns: {
        description: "The columns of a point: latitude and longitude (and height) for WGS-84, or x and y (and z) for Cartesian; each read as a float. A null in any leaves the point unset.",
        examples: [{ latitude: "lat", longitude: "lon" }, { x: "px", y: "py" }],
        type: "object",
        additionalProperties: false,
        minProperties: 2,
        properties: Object.fromEntries(
          (["x", "y", "z", "latitude", "longitude", "height"] as const).map((axis) => [
            axis,
            { description: `The column holding the point's ${axis}.`, examples: [{ x: "px", y: "py", z: "pz", latitude: "lat", longitude: "lon", height: "alt" }[axis]], type: "string", minLength: 1 },
          ]),
        ),
      },
      crs: {
        description: "The coordinate reference system of a point from columns, where it is not the one its axes imply (x/y: cartesian; latitude/longitude: wgs-84).",
        examples: ["cartesian-3d"],
        enum: ["wgs-84", "wgs-84-3d", "cartesian", "cartesian-3d"],
      },
      type: {
        description: "The property's type; a value that does not convert rejects its row into the dead-letter file. `[]` makes a list of it, split on arrayDelimiter.",
        examples: ["integer", "localdatetime", "string[]"],
        enum: typeNames,
      },
      format: {
        description: "The pattern of a date or time type, in Java DateTimeFormatter letters, read as APOC reads them (ISO 8601 when absent).",
        examples: ["yyyy-MM-dd HH:mm:ss.SSS", "M/d/yyyy", "MMM d, yyyy"],
        type: "string",
        minLength: 1,
      },
      arrayDelimiter: { description: 'What separates the elements of a list type within one cell (default ";").', examples: ["|"], type: "string", minLength: 1 },
      timezone: {
        description: "For a datetime (or time) whose text has no offset or zone: the one it is in (Z, +02:00, Europe/Berlin; a time takes an offset). Without it such a text is rejected.",
        examples: ["Z", "Europe/Berlin"],
        type: "string",
        minLength: 1,
      },
      default: {
        description: "The value used where the cell is null or missing, converted as a cell of this property would be; on an untyped property it keeps its YAML type.",
        examples: [0, "UNKNOWN", "01.01.1970"],
        type: ["string", "number", "boolean", "array", "object"],
      },
    },
  },
} as const;

/** Referenced, not repeated: one definition with its documentation, however many maps hold it. */
const fieldMap = { type: "object", additionalProperties: { $ref: "#/$defs/fieldMapping" } } as const;

/** A label or relationship type: the name itself, or `{ column, values }` to read it from a column. */
const name = {
  type: ["string", "object"],
  if: { type: "object" },
  then: {
    additionalProperties: false,
    required: ["column"],
    properties: {
      column: { description: "The column whose cell is the name (or is looked up in values).", examples: ["kind"], type: "string", minLength: 1 },
      values: {
        description: "Cells mapped to names; a row whose cell is not listed is rejected (GL_UNMAPPED_VALUE).",
        examples: [{ PS: "IS_PRIMARY_SUSPECT", SS: "IS_SECONDARY_SUSPECT" }],
        type: "object",
        minProperties: 1,
        additionalProperties: { type: "string" },
      },
      arrayDelimiter: {
        description: "Labels only: the cell holds several labels separated by this (an empty cell gives none), as neo4j-admin's :LABEL column.",
        examples: [";"],
        type: "string",
        minLength: 1,
      },
    },
  },
} as const;

const allColumns = {
  allColumns: {
    description: "Every column the task reads nowhere else becomes a property of its own name (CSV cells as text, JSON values as they are).",
    examples: [true],
    type: "boolean",
  },
  exclude: { description: "Columns allColumns leaves out.", examples: [["lat", "lon"]], type: "array", items: { type: "string", minLength: 1 } },
} as const;

const endpoint = {
  type: "object",
  additionalProperties: false,
  required: ["label", "key"],
  properties: {
    label: { description: "The label of the node at this end.", examples: ["Product"], type: "string" },
    key: {
      ...fieldMap,
      description: "The node's key properties and where their values come from: { property: column }. The shorthand takes the type a node task gives that label's key.",
      examples: [{ productID: "productID" }, { shipperID: "shipVia" }, { primaryid: { column: "id", type: "integer" } }],
      minProperties: 1,
    },
    merge: {
      description: "Create the node when it is missing (MERGE on label and key); without it the node must exist, or the row is dead-lettered with GL_ENDPOINT_NOT_FOUND.",
      examples: [true],
      type: "boolean",
    },
    onCreate: { ...fieldMap, description: "Properties set on a merged endpoint only when it is created.", examples: [{ substance: "substance" }] },
  },
} as const;

const whereValue = { type: ["string", "number", "boolean"] } as const;

/** A `where` condition; that it has exactly one operator is checked in pipeline-rules.ts. */
const where = {
  description:
    "Which records are written; the others are counted as filtered. One operator per condition ({ column, equals | in | notIn | isNull | matches }), combined with all, any and not.",
  examples: [{ column: "country", in: ["DE", "AT", "CH"] }, { all: [{ column: "email", isNull: false }, { not: { column: "status", equals: "deleted" } }] }],
  type: "object",
  additionalProperties: false,
  properties: {
    column: { description: "The column the condition tests.", examples: ["country"], type: "string", minLength: 1 },
    equals: { ...whereValue, description: "Holds where the value equals this (CSV cells compared as text, JSON values by JSON equality).", examples: ["DE", 1] },
    in: { description: "Holds where the value is one of these.", examples: [["DE", "AT", "CH"]], type: "array", minItems: 1, items: whereValue },
    notIn: { description: "Holds where the value is none of these (a null is in no list).", examples: [["test", "demo"]], type: "array", minItems: 1, items: whereValue },
    isNull: { description: "true: holds where the value is null (after nullValues) or missing; false: where it is not.", examples: [false], type: "boolean" },
    matches: { description: "Holds where the whole value matches this regular expression (JavaScript syntax, the common subset of Java's =~).", examples: ["[A-Z]{3}"], type: "string" },
    all: { description: "Holds where every condition holds.", examples: [[{ column: "a", isNull: false }, { column: "b", equals: "x" }]], type: "array", minItems: 1, items: { $ref: "#/$defs/where" } },
    any: { description: "Holds where at least one condition holds.", examples: [[{ column: "kind", equals: "PS" }, { column: "kind", equals: "SS" }]], type: "array", minItems: 1, items: { $ref: "#/$defs/where" } },
    not: { description: "Holds where the condition does not.", examples: [{ column: "email", isNull: true }], $ref: "#/$defs/where" },
  },
} as const;

/** What every database source has: the query, how many rows to fetch at a time, keyset paging. */
const databaseQuery = {
  query: { description: "The query whose rows are the source's records.", examples: ["SELECT productid, productname FROM products"], type: "string", minLength: 1 },
  fetchSize: { description: "Rows fetched from the database at a time (default 1000); for MySQL, rows read ahead before graphload stops reading from the server.", examples: [1000], type: "integer", minimum: 1, maximum: 1_000_000 },
  keyset: {
    description: "Page through the source by a key: the query reads one page after the last key, in that key's order, and a resumed run starts after the last key that committed.",
    examples: [{ column: "productid", after: 0, page: 10000 }],
    type: "object",
    additionalProperties: false,
    required: ["column", "after"],
    properties: {
      column: { description: "The key column the pages follow, in the query's order.", examples: ["productid"], type: "string", minLength: 1 },
      after: { description: "The key below the first one: where the first page starts.", examples: [0, ""], type: ["integer", "number", "string"] },
      page: { description: "Rows per page (default 10000).", examples: [10000], type: "integer", minimum: 1, maximum: 10_000_000 },
    },
  },
  incremental: {
    description:
      "Read only rows beyond the watermark, the highest value of `column` that earlier runs committed (`initial` before the first): the query takes it as $watermark (Cypher) or as the SQL placeholder after keyset's ($1 alone, $3 after keyset's $1 and $2).",
    examples: [{ column: "updated_at", initial: "1970-01-01T00:00:00Z" }, { column: "id", initial: 0 }],
    type: "object",
    additionalProperties: false,
    required: ["column", "initial"],
    properties: {
      column: { description: "The column whose highest value read becomes the next run's watermark; the query must return it.", examples: ["updated_at"], type: "string", minLength: 1 },
      initial: {
        description: "The watermark before the first run: a number, text, or an ISO 8601 date (2024-01-31), local date-time (2024-01-31T00:00:00) or date-time with offset (2024-01-31T00:00:00Z), which is then of that type.",
        examples: [0, "1970-01-01T00:00:00Z", "2024-01-01"],
        type: ["integer", "number", "string"],
      },
    },
  },
} as const;

/** What the SQL sources add: how DECIMAL values arrive. */
const sqlQuery = {
  ...databaseQuery,
  decimal: {
    description: 'DECIMAL / NUMERIC values as FLOAT ("float", the default) or as their exact text ("string").',
    examples: ["string"],
    enum: ["float", "string"],
  },
} as const;

/** A SQL database's source block: its URL and the query's settings. */
function sqlSource(description: string, example: { url: string; query: string }, url: { description: string; examples: string[] }) {
  return {
    description,
    examples: [example],
    type: "object",
    additionalProperties: false,
    required: ["url", "query"],
    properties: { url: { ...url, type: "string", minLength: 1 }, ...sqlQuery },
  } as const;
}

const source = {
  description: "Where the task's records come from: exactly one of file, files, stdin, neo4j, postgres, mysql or inline.",
  examples: [{ file: "data/products.csv" }, { files: "drops/*.csv.gz" }, { file: "s3://exports/products.csv" }, { stdin: true, format: "jsonl" }],
  type: "object",
  additionalProperties: false,
  properties: {
    file: {
      description:
        "A data file, relative to the pipeline file, or an https://, http:// or s3://bucket/key address (streamed); the format comes from its extension (.csv, .tsv, .jsonl, .ndjson, each optionally .gz, or .parquet).",
      examples: ["data/products.csv", "events.jsonl.gz", "https://example.com/exports/products.csv.gz", "s3://exports/products.csv"],
      type: "string",
      minLength: 1,
    },
    files: {
      description:
        "A glob whose matches are read in name order as one source: local files relative to the pipeline file, or objects (s3://bucket/glob). * stays within one folder level, ** crosses levels; the format comes from the glob's extension. A glob that matches nothing is an error, unless incremental.",
      examples: ["drops/*.csv.gz", "exports/**/*.jsonl", "s3://exports/daily/*.csv"],
      type: "string",
      minLength: 1,
    },
    incremental: {
      description: "With files: skip the files earlier runs loaded (same name, size and content hash, or an object's ETag), so each run reads the new ones; a glob that matches nothing reads nothing.",
      examples: [true],
      type: "boolean",
    },
    stdin: { description: "Read standard input; give its format.", examples: [true], const: true },
    format: {
      description:
        "The format, where the file name does not tell it. neo4j-admin: a file prepared for neo4j-admin database import (CSV, or Parquet by its .parquet name), whose header (id:ID(Group), :LABEL, :START_ID, :END_ID, :TYPE, name:int[] …) says what the task creates.",
      examples: ["csv", "jsonl", "neo4j-admin"],
      enum: ["csv", "tsv", "jsonl", "ndjson", "parquet", "neo4j-admin"],
    },
    headerFile: {
      description: "format neo4j-admin: the header file apart from the data files (neo4j-admin's --nodes=header.csv,data.csv); the data files then have no header line.",
      examples: ["persons-header.csv"],
      type: "string",
      minLength: 1,
    },
    arrayDelimiter: { description: "format neo4j-admin: what splits lists and :LABEL cells (neo4j-admin's --array-delimiter, default ;).", examples: ["|"], type: "string", minLength: 1, maxLength: 1 },
    idType: { description: "format neo4j-admin: how :ID, :START_ID and :END_ID values are read (neo4j-admin's --id-type, default string).", examples: ["integer"], enum: ["string", "integer", "actual"] },
    gzip: { description: "The input is gzip-compressed, where the file name does not say .gz.", examples: [true], type: "boolean" },
    delimiter: { description: 'The field separator of CSV or TSV (default "," and tab).', examples: [";", "|"], type: "string", minLength: 1, maxLength: 1 },
    quote: { description: 'The quote character of CSV or TSV (default ").', examples: ["'"], type: "string", minLength: 1, maxLength: 1 },
    header: { description: "Whether the first line names the columns (default true); without one, columns names them.", examples: [false], type: "boolean" },
    columns: {
      description: "Names of the fields, in order: required without a header; with one, they replace its names.",
      examples: [["id", "name", "age"]],
      type: "array",
      minItems: 1,
      items: { type: "string", minLength: 1 },
    },
    trim: { description: "Drop the whitespace around each field of CSV or TSV (default false).", examples: [true], type: "boolean" },
    decimal: {
      description: 'Parquet DECIMAL columns as FLOAT ("float", the default) or as their exact text ("string").',
      examples: ["string"],
      enum: ["float", "string"],
    },
    neo4j: {
      description: "The records of a Cypher read query against any Neo4j; values keep their Neo4j types.",
      examples: [{ uri: "bolt://old-server:7687", user: "neo4j", password: "${OLD_PASSWORD}", query: "MATCH (p:Person) RETURN p.id AS id, p.name AS name" }],
      type: "object",
      additionalProperties: false,
      required: ["uri", "query"],
      properties: {
        uri: { description: "The server to read from.", examples: ["bolt://old-server:7687", "neo4j+s://xxxxxxxx.databases.neo4j.io"], type: "string", minLength: 1 },
        user: { description: "The user to read as.", examples: ["neo4j"], type: "string" },
        password: { description: "The user's password; take it from the environment.", examples: ["${OLD_PASSWORD}"], type: "string" },
        database: { description: "The database to read from (default: the server's default).", examples: ["people"], type: "string", minLength: 1 },
        ...databaseQuery,
      },
    },
    inline: {
      description: "Rows written in the pipeline itself, values with their JSON types.",
      examples: [{ header: ["a", "b"], data: [[1, "x"], [2, "y"]] }],
      type: "object",
      additionalProperties: false,
      required: ["header", "data"],
      properties: {
        header: { description: "The column names.", examples: [["a", "b"]], type: "array", minItems: 1, items: { type: "string", minLength: 1 } },
        data: { description: "The rows, one list of values each, in the header's order.", examples: [[[1, "x"], [2, "y"]]], type: "array", items: { type: "array" } },
      },
    },
    postgres: sqlSource(
      "The rows of a SQL query, read through a server-side cursor; values keep their PostgreSQL types.",
      { url: "${NORTHWIND_URL}", query: "SELECT productid, productname FROM products" },
      { description: "A PostgreSQL connection URL.", examples: ["postgresql://user:password@127.0.0.1:5432/northwind"] },
    ),
    mysql: sqlSource(
      "The rows of a SQL query on MySQL or MariaDB, streamed; values keep their MySQL types. Placeholders are written $1, $2, … as for PostgreSQL.",
      { url: "${SHOP_URL}", query: "SELECT id, name FROM customers" },
      { description: "A MySQL or MariaDB connection URL.", examples: ["mysql://user:password@127.0.0.1:3306/shop"] },
    ),
  },
} as const;

const task = {
  type: "object",
  additionalProperties: false,
  required: ["name", "source"],
  properties: {
    name: { description: "The task's name, unique in the pipeline: it names the task in the summary, in checkpoints and in dead letters.", examples: ["products"], type: "string", minLength: 1 },
    source,
    where: { $ref: "#/$defs/where" },
    node: {
      description: "Write each record as a node.",
      examples: [{ labels: ["Product"], key: ["productID"], properties: { productID: { column: "productID", type: "integer" }, productName: "productName" } }],
      type: "object",
      additionalProperties: false,
      required: ["labels", "key"],
      properties: {
        labels: {
          description: "The node's labels: names, or { column } / { column, values } to take one from each record.",
          examples: [["Product"], ["Airport", { column: "kind" }]],
          type: "array",
          minItems: 1,
          items: name,
        },
        key: {
          description: "The properties that identify the node: MERGE on them in merge mode. A key property not under properties reads the column of its name. Empty only in create mode.",
          examples: [["productID"], ["orderID", "productID"]],
          type: "array",
          items: { type: "string" },
        },
        properties: { ...fieldMap, description: "Properties set on create and on every match ({ property: mapping }); a null keeps the value in the graph.", examples: [{ productName: "productName", unitPrice: { column: "unitPrice", type: "float" } }] },
        onCreate: { ...fieldMap, description: "Properties set only when the node is created (ON CREATE SET).", examples: [{ firstSeen: { column: "seen", type: "date" } }] },
        ...allColumns,
      },
    },
    relationship: {
      description: "Write each record as a relationship between two nodes found (or merged) by their keys.",
      examples: [{ type: "PART_OF", from: { label: "Product", key: { productID: "productID" } }, to: { label: "Category", key: { categoryID: "categoryID" } } }],
      type: "object",
      additionalProperties: false,
      required: ["type", "from", "to"],
      properties: {
        type: { ...name, description: "The relationship type: a name, or { column } / { column, values } to take it from each record.", examples: ["PART_OF", { column: "role", values: { PS: "IS_PRIMARY_SUSPECT" } }] },
        from: { ...endpoint, description: "The start node.", examples: [{ label: "Product", key: { productID: "productID" } }] },
        to: { ...endpoint, description: "The end node.", examples: [{ label: "Drug", key: { name: "name" }, merge: true }] },
        key: {
          description: "Relationship properties that, with the endpoints and the type, identify a relationship in merge mode; without it there is one relationship of the type between two nodes.",
          examples: [["drugSequence"]],
          type: "array",
          minItems: 1,
          items: { type: "string" },
        },
        properties: { ...fieldMap, description: "Properties set on create and on every match.", examples: [{ quantity: { column: "quantity", type: "integer" } }] },
        onCreate: { ...fieldMap, description: "Properties set only when the relationship is created.", examples: [{ since: { column: "since", type: "date" } }] },
        ...allColumns,
      },
    },
    cypher: {
      description: "Your own Cypher after UNWIND $rows AS row: row holds every column (CSV cells as text, null where nullValues say).",
      examples: ["MATCH (c:Customer {customerID: row.customerID})\nMATCH (o:Order {orderID: toInteger(row.orderID)})\nMERGE (c)-[:PURCHASED]->(o)"],
      type: "string",
      minLength: 1,
    },
    strategy: {
      description: "How the task's batches run side by side: parallel (default), serial, or mix-and-batch (relationships: never two batches touching the same node at once).",
      examples: ["mix-and-batch"],
      enum: ["parallel", "serial", "mix-and-batch"],
    },
    ...settings,
  },
} as const;

export const pipelineSchema = {
  $defs: { where, fieldMapping },
  type: "object",
  additionalProperties: false,
  required: ["version", "name", "stages"],
  properties: {
    version: { description: "The version of the pipeline format.", examples: [1], const: 1 },
    name: {
      description: "Names the run in logs, its checkpoints in the graph and the dead-letter file: letters, digits, '.', '_' and '-'.",
      examples: ["northwind"],
      type: "string",
      minLength: 1,
      pattern: NAME_PATTERN,
    },
    neo4j: {
      description: "The server to write to, unless flags or the environment (NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE) say otherwise.",
      examples: [{ uri: "${NEO4J_URI:-bolt://localhost:7687}", user: "${NEO4J_USERNAME:-neo4j}", password: "${NEO4J_PASSWORD}" }],
      type: "object",
      additionalProperties: false,
      properties: {
        uri: { description: "bolt://, neo4j:// (routing), or their TLS forms +s and +ssc.", examples: ["bolt://localhost:7687"], type: "string" },
        database: { description: "The database to write to (default: the server's default).", examples: ["neo4j"], type: "string" },
        user: { description: "The user to write as.", examples: ["neo4j"], type: "string" },
        password: { description: "The user's password; take it from the environment.", examples: ["${NEO4J_PASSWORD}"], type: "string" },
      },
    },
    defaults: {
      description: "Settings of every task that does not give its own.",
      examples: [{ batchSize: 1000, concurrency: 4, mode: "merge", nullValues: ["", "NULL"] }],
      type: "object",
      additionalProperties: false,
      properties: settings,
    },
    schema: {
      description: "The constraints and indexes a run creates for merge keys and endpoint lookups.",
      examples: [{ create: false }],
      type: "object",
      additionalProperties: false,
      properties: { create: { description: "false: create none of them (default true).", examples: [false], type: "boolean" } },
    },
    stages: {
      description: "Run in order; each stage starts from the bookmarks of all the sessions of the stage before.",
      examples: [[{ name: "nodes", tasks: [{ name: "products", source: { file: "products.csv" }, node: { labels: ["Product"], key: ["productID"] } }] }]],
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["name"],
        properties: {
          name: { description: "The stage's name, unique in the pipeline (--stage NAME runs only some).", examples: ["nodes"], type: "string", minLength: 1 },
          statements: {
            description: "Plain Cypher, run once each, in order, in auto-commit transactions; keep them idempotent (IF NOT EXISTS), as a resumed run runs them again.",
            examples: [["CREATE INDEX product_name IF NOT EXISTS FOR (p:Product) ON (p.productName)"]],
            type: "array",
            minItems: 1,
            items: { type: "string", minLength: 1 },
          },
          tasks: { description: "Tasks that run side by side, each writing its source's records.", examples: [[{ name: "products", source: { file: "products.csv" }, node: { labels: ["Product"], key: ["productID"] } }]], type: "array", minItems: 1, items: task },
        },
      },
    },
  },
} as const;
